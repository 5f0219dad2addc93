"""
dump_certificate(FILETYPE_TEXT, cert): OpenSSL's own certificate printer,
X509_print_ex(bio, cert, 0, 0), byte for byte (API.md 3.2 row 2;
DOWNSTREAM.md: acme parses the SAN list out of this text).

The matching command line is

    openssl x509 -noout -text -nameopt compat

X509_print_ex's name flags 0 are XN_FLAG_COMPAT, the old
"C=US, O=..., CN=..." form (the CLI's default is "C = US, ..."); its
certificate flags 0 print every field, which is the CLI's default too.
Both references are run in subprocesses on the same PEM: the openssl
CLI and pyOpenSSL 23.0.0 under Debian's /usr/bin/python3.
"""

import glob
import json

import pytest

import pki
from external import (
    needs_openssl, needs_reference, openssl, run_reference,
)
from OpenSSL import crypto
from OpenSSL.crypto import X509Extension

CLI_TEXT = ["x509", "-noout", "-text", "-nameopt", "compat"]


def assert_queue_empty():
    """The OpenSSL error queue of this thread holds nothing."""
    with pytest.raises(crypto.Error) as info:
        crypto._exception_from_error_queue()
    assert info.value.args == ([],)


def drain_queue():
    try:
        crypto._exception_from_error_queue()
    except crypto.Error:
        pass


def reloaded(cert):
    """`cert` as read back from its PEM, which is what the references see.
    (An in-memory certificate prints the EVP_PKEY given to set_pubkey,
    which can know more than the encoding keeps: the SEED of generated
    DSA parameters.)"""
    return crypto.load_certificate(crypto.FILETYPE_PEM, pem(cert))


def text(cert):
    return crypto.dump_certificate(crypto.FILETYPE_TEXT, cert)


def pem(cert):
    return crypto.dump_certificate(crypto.FILETYPE_PEM, cert)


def openssl_text(pem_bytes, extra=()):
    return openssl(*CLI_TEXT, *extra, input=pem_bytes).stdout


def pyopenssl23_text(pems):
    """dump_certificate(FILETYPE_TEXT) of pyOpenSSL 23.0.0 for each PEM."""
    script = (
        "import json, sys\n"
        "from OpenSSL import crypto\n"
        "out = []\n"
        "for p in json.load(sys.stdin):\n"
        "    c = crypto.load_certificate(crypto.FILETYPE_PEM, p.encode())\n"
        "    t = crypto.dump_certificate(crypto.FILETYPE_TEXT, c)\n"
        "    out.append(t.decode('latin-1'))\n"
        "print(json.dumps(out))\n"
    )
    out = run_reference(
        script, json.dumps([p.decode("ascii") for p in pems]).encode())
    return [t.encode("latin-1") for t in json.loads(out)]


# ---------------------------------------------------------------------------
# Certificates of every kind
# ---------------------------------------------------------------------------


def _self_signed(key, digest="sha256", **fields):
    cert = crypto.X509()
    cert.set_version(2)
    cert.set_serial_number(fields.pop("serial", 0x1234))
    subject = cert.get_subject()
    for name, value in fields.pop("name", [("CN", "self")]):
        setattr(subject, name, value)
    cert.set_issuer(subject)
    cert.set_notBefore(fields.pop("not_before", b"20240101000000Z"))
    cert.set_notAfter(fields.pop("not_after", b"20340101000000Z"))
    cert.set_pubkey(key)
    cert.add_extensions(fields.pop("extensions", []))
    assert not fields
    cert.sign(key, digest)
    return cert


def _ec_key(curve):
    from cryptography.hazmat.primitives.asymmetric import ec

    return crypto.PKey.from_cryptography_key(
        ec.generate_private_key(getattr(ec, curve)()))


def _ed25519_key():
    from cryptography.hazmat.primitives.asymmetric import ed25519

    return crypto.PKey.from_cryptography_key(
        ed25519.Ed25519PrivateKey.generate())


def _san_nul():
    body = b"\x82\x13good.example\x00.evil" + b"\x81\x05a@b.c"
    der = b"\x30" + bytes([len(body)]) + body
    return X509Extension(
        b"subjectAltName", False,
        b"DER:" + b":".join(b"%02X" % b for b in der))


@pytest.fixture(scope="module")
def certificates(pki_session):
    """name -> X509 covering keys, names, extensions and odd fields."""
    certs = {
        "ca": pki_session["ca"][1],
        "server": pki_session["server"][1],
        "client": pki_session["client"][1],
    }
    certs["ec-p256"] = _self_signed(
        _ec_key("SECP256R1"), "sha256",
        extensions=[X509Extension(b"keyUsage", True, b"digitalSignature"),
                    X509Extension(b"subjectAltName", False,
                                  b"DNS:ec.example, IP:::1")])
    certs["ec-p384"] = _self_signed(_ec_key("SECP384R1"), "sha384")
    certs["ec-secp256k1"] = _self_signed(_ec_key("SECP256K1"), "sha256")
    certs["ed25519"] = _self_signed(_ed25519_key(), "sha256")
    certs["rsa-1024-sha1"] = _self_signed(pki.make_key(1024), "sha1")
    certs["rsa-4096-sha512"] = _self_signed(pki.make_key(4096), "sha512")
    dsa = crypto.PKey()
    dsa.generate_key(crypto.TYPE_DSA, 2048)
    certs["dsa"] = _self_signed(dsa, "sha256")
    certs["unicode-and-nul-names"] = _self_signed(
        pki.make_key(1024),
        name=[("C", "DE"), ("ST", "Bayern"),
              ("O", "Caf\u00e9 M\u00fcller \u4e2d\u6587 \U0001f600"),
              ("OU", "with\x00nul"), ("CN", "nul\x00.evil.example"),
              ("emailAddress", "a@b.c"), ("L", "quote\" comma, slash/")],
        extensions=[_san_nul()])
    certs["bytes-name-values"] = _self_signed(
        pki.make_key(1024), name=[("CN", b"\xc3\xa9t\xc3\xa9"),
                                  ("O", b"plain")])
    certs["empty-subject"] = _self_signed(pki.make_key(1024), name=[])
    certs["v1-no-extensions"] = pki.make_cert(
        pki.make_key(1024), "v1", v3_extensions=False)
    certs["v1-no-extensions"].set_version(0)
    certs["v1-no-extensions"].sign(pki.make_key(1024), "sha256")
    certs["big-and-negative-serial"] = _self_signed(
        pki.make_key(1024), serial=2**159 - 1)
    certs["negative-serial"] = _self_signed(pki.make_key(1024), serial=-5)
    certs["generalized-time"] = _self_signed(
        pki.make_key(1024), not_before=b"19500101000000Z",
        not_after=b"20991231235959Z")
    certs["offset-time"] = _self_signed(
        pki.make_key(1024), not_before=b"20240101000000+0130",
        not_after=b"20300101000000-0800")
    certs["many-extensions"] = _self_signed(
        pki.make_key(2048),
        extensions=[
            X509Extension(b"basicConstraints", True, b"CA:TRUE,pathlen:2"),
            X509Extension(b"keyUsage", True,
                          b"digitalSignature,nonRepudiation,keyCertSign"),
            X509Extension(b"extendedKeyUsage", False,
                          b"serverAuth,clientAuth,OCSPSigning,1.2.3.4.5"),
            X509Extension(b"subjectAltName", False,
                          b"DNS:*.example.com, email:x@example.com, "
                          b"URI:https://example.com/, IP:192.0.2.7, "
                          b"RID:1.2.3.4, otherName:1.3.6.1.5.5.7.8.9;"
                          b"UTF8:me@example.com"),
            X509Extension(b"crlDistributionPoints", False,
                          b"URI:http://a.example/crl, URI:ldap://b/"),
            X509Extension(b"authorityInfoAccess", False,
                          b"OCSP;URI:http://ocsp.example/,"
                          b"caIssuers;URI:http://ca.example/ca.der"),
            X509Extension(b"nameConstraints", True,
                          b"permitted;DNS:.example.com,"
                          b"excluded;IP:10.0.0.0/255.0.0.0"),
            X509Extension(b"tlsfeature", False, b"status_request"),
            X509Extension(b"nsComment", False, b"a comment"),
            X509Extension(b"nsComment", False, b""),
            X509Extension(b"nsCertType", False, b"server, client, email"),
            X509Extension(b"policyConstraints", True,
                          b"requireExplicitPolicy:0"),
            X509Extension(b"inhibitAnyPolicy", True, b"1"),
            X509Extension(b"1.2.3.4.5.6", False, b"ASN1:UTF8String:opaque"),
            X509Extension(b"1.2.3.4.5.7", True, b"DER:00:01:02:FF"),
            X509Extension(b"subjectAltName", False, b"DER:01:02:03"),
        ])
    return certs


SYSTEM_CERTIFICATES = sorted(glob.glob("/etc/ssl/certs/*.pem"))
needs_system_certificates = pytest.mark.skipif(
    not SYSTEM_CERTIFICATES,
    reason="needs the system's CA certificates in /etc/ssl/certs "
           "(Debian package ca-certificates)",
)


def system_certificates(limit=25):
    paths = SYSTEM_CERTIFICATES[:limit]
    result = []
    for path in paths:
        with open(path, "rb") as f:
            result.append(crypto.load_certificate(crypto.FILETYPE_PEM,
                                                  f.read()))
    return result


# ---------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------


def test_filetype_text_values():
    assert crypto.FILETYPE_TEXT == 65535


def test_text_is_bytes(server):
    dumped = text(server[1])
    assert type(dumped) is bytes
    assert dumped.startswith(b"Certificate:\n    Data:\n        Version: 3 "
                             b"(0x2)\n")
    assert dumped.endswith(b"\n")


@pytest.mark.parametrize("filetype", [65535, 58])
def test_both_filetype_text_numbers(certificates, filetype):
    for cert in certificates.values():
        assert crypto.dump_certificate(filetype, cert) == text(cert)
    drain_queue()


def test_keyword_arguments(server):
    assert crypto.dump_certificate(type=crypto.FILETYPE_TEXT,
                                   cert=server[1]) == text(server[1])


@needs_openssl
def test_identical_to_openssl_cli(certificates):
    for name, cert in certificates.items():
        assert text(reloaded(cert)) == openssl_text(pem(cert)), name
    drain_queue()   # see test_queue_empty_after_text_of_undecodable_...


def test_in_memory_equals_reloaded(certificates):
    for name, cert in certificates.items():
        if name != "dsa":
            assert text(cert) == text(reloaded(cert)), name
    drain_queue()


@needs_openssl
@needs_system_certificates
def test_identical_to_openssl_cli_for_system_certificates():
    certs = system_certificates()
    for cert in certs:
        assert text(cert) == openssl_text(pem(cert))


@needs_reference
def test_identical_to_pyopenssl_23(certificates):
    names = list(certificates)
    pems = [pem(certificates[n]) for n in names]
    theirs = pyopenssl23_text(pems)
    for name, reference in zip(names, theirs):
        assert text(reloaded(certificates[name])) == reference, name
    drain_queue()


@needs_reference
@needs_system_certificates
def test_identical_to_pyopenssl_23_for_system_certificates():
    certs = system_certificates()
    theirs = pyopenssl23_text([pem(c) for c in certs])
    assert [text(c) for c in certs] == theirs


@needs_openssl
def test_cli_default_name_format_differs(server):
    # Documents the invocation: without -nameopt compat the CLI prints
    # names as "C = US, O = ..." and is not what X509_print_ex(.., 0, 0)
    # prints.
    ours = text(server[1])
    assert b"        Issuer: C=US, O=pyOpenSSL tests, CN=Test CA\n" in ours
    default = openssl("x509", "-noout", "-text", input=pem(server[1])).stdout
    assert default != ours
    assert openssl_text(pem(server[1]),
                        ["-certopt", "compatible"]) == ours


def test_san_parsable_from_text(server):
    # What acme does: find the SAN line in the dump.
    lines = text(server[1]).decode("ascii").splitlines()
    index = lines.index(
        "            X509v3 Subject Alternative Name: ")
    assert lines[index + 1] == \
        "                DNS:localhost, IP Address:127.0.0.1"


def test_pki_extensions_in_text(ca, server):
    ca_text = text(ca[1]).decode("ascii")
    assert "            X509v3 Basic Constraints: critical\n" \
           "                CA:TRUE\n" in ca_text
    assert "            X509v3 Key Usage: critical\n" \
           "                Certificate Sign, CRL Sign\n" in ca_text
    assert "            X509v3 Subject Key Identifier: \n" in ca_text
    server_text = text(server[1]).decode("ascii")
    assert "            X509v3 Basic Constraints: \n" \
           "                CA:FALSE\n" in server_text
    assert "            X509v3 Authority Key Identifier: \n" in server_text


def test_names_escaped_in_text(certificates):
    dumped = text(certificates["unicode-and-nul-names"])
    # XN_FLAG_COMPAT escapes what is not printable ASCII as \xNN and keeps
    # everything after a NUL.
    assert b"OU=with\\x00nul" in dumped
    assert b"CN=nul\\x00.evil.example" in dumped
    assert b"O=Caf\\xC3\\xA9 M\\xC3\\xBCller" in dumped
    # OpenSSL 3's SAN printer refuses a name with a NUL: the extension is
    # then shown raw, with '.' for what is not printable, never as a
    # truncated "DNS:good.example".
    assert b"X509v3 Subject Alternative Name: \n" \
           b"                0...good.example..evil..a@b.c\n" in dumped
    assert b"DNS:good.example" not in dumped
    drain_queue()


def test_ec_and_ed25519_key_details(certificates):
    assert b"Public Key Algorithm: id-ecPublicKey\n" in \
        text(certificates["ec-p256"])
    assert b"ASN1 OID: prime256v1\n" in text(certificates["ec-p256"])
    assert b"NIST CURVE: P-384\n" in text(certificates["ec-p384"])
    assert b"Signature Algorithm: ecdsa-with-SHA384\n" in \
        text(certificates["ec-p384"])
    assert b"Public Key Algorithm: ED25519\n" in \
        text(certificates["ed25519"])


def test_unsigned_certificate():
    # A bare X509() prints without crashing. Its missing key makes
    # X509_print_ex append the error queue to the text (ERR_print_errors,
    # lines that carry a thread id), which also leaves the queue empty.
    cert = crypto.X509()
    for filetype in (crypto.FILETYPE_TEXT, 58):
        dumped = crypto.dump_certificate(filetype, cert)
        assert dumped.startswith(b"Certificate:\n    Data:\n"
                                 b"        Version: 1 (0x0)\n")
        assert b"            Unable to load Public Key\n" in dumped
        assert b":X509_PUBKEY_get0:decode error:" in dumped
        assert dumped.endswith(b"    Signature Algorithm: NULL\n"
                               b"    Signature Value:\n\n")
        assert_queue_empty()


def test_queue_empty_after_text_of_undecodable_extension():
    cert = _self_signed(pki.make_key(1024), extensions=[
        X509Extension(b"subjectAltName", False, b"DER:01:02:03")])
    dumped = text(cert)
    assert b"X509v3 Subject Alternative Name: \n                ...\n" \
        in dumped
    assert_queue_empty()


@pytest.mark.parametrize("bad", [0, 3, 57, 59, 65534, 65536, -1, 2**70])
def test_bad_filetype(server, bad):
    with pytest.raises(ValueError):
        crypto.dump_certificate(bad, server[1])


@pytest.mark.parametrize("bad", [None, object(), b"cert", crypto.PKey()])
def test_bad_certificate(bad):
    with pytest.raises(TypeError):
        crypto.dump_certificate(crypto.FILETYPE_TEXT, bad)
    with pytest.raises(TypeError):
        crypto.dump_certificate(58, bad)


def test_load_refuses_text(server):
    dumped = text(server[1])
    for filetype in (crypto.FILETYPE_TEXT, 58):
        with pytest.raises(ValueError):
            crypto.load_certificate(filetype, dumped)
