"""
OpenSSL.crypto.X509Extension (API.md 1.9.4, 3.3, section 4: the
2013-08-11 subjectAltName NUL fix and the 0.10 constructor fix) and the
X509 methods that use it: get_extension_count, get_extension and
add_extensions (1.9.1, 3.2 row 45).
"""

import copy
import gc
import hashlib
import inspect
import json
import pickle
import weakref

import pytest

import pki
from external import needs_reference, run_reference
from conftest import assert_collected
from OpenSSL import crypto
from OpenSSL.crypto import Error, X509, X509Extension

GOOD_EVIL = "good.example\x00.evil"


def assert_queue_empty():
    """The OpenSSL error queue of this thread holds nothing."""
    with pytest.raises(Error) as info:
        crypto._exception_from_error_queue()
    assert info.value.args == ([],)


def der_hex(data):
    """b'DER:30:03:...' for X509Extension's generic syntax."""
    return b"DER:" + b":".join(b"%02X" % byte for byte in data)


def der_length(n):
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def general_names(*entries):
    """DER of GeneralNames from (context tag, raw bytes) pairs."""
    body = b"".join(
        bytes([0x80 | tag]) + der_length(len(raw)) + raw
        for tag, raw in entries
    )
    return b"\x30" + der_length(len(body)) + body


def san_with_nul():
    """A subjectAltName whose DNS name and email hide a NUL byte."""
    data = general_names(
        (2, GOOD_EVIL.encode("ascii")),
        (1, b"me@good.example\x00.evil"),
        (6, b"https://good.example\x00.evil/"),
    )
    return X509Extension(b"subjectAltName", False, der_hex(data))


def signed_cert(extensions, key=None):
    key = key or pki.make_key(1024)
    cert = pki.make_cert(key, "ext test", v3_extensions=False,
                         extensions=extensions)
    return cert


def reference_strings(pem):
    """
    str() of every extension of the certificate `pem`, as pyOpenSSL
    23.0.0 renders them (None where 23.0.0 raises).
    """
    script = (
        "import json, sys\n"
        "from OpenSSL import crypto\n"
        "c = crypto.load_certificate(crypto.FILETYPE_PEM,"
        " sys.stdin.buffer.read())\n"
        "out = []\n"
        "for i in range(c.get_extension_count()):\n"
        "    e = c.get_extension(i)\n"
        "    try:\n"
        "        out.append(str(e))\n"
        "    except Exception:\n"
        "        out.append(None)\n"
        "print(json.dumps(out))\n"
    )
    return json.loads(run_reference(script, pem))


# ---------------------------------------------------------------------------
# The type
# ---------------------------------------------------------------------------


def test_type_identity_and_name():
    assert crypto.X509ExtensionType is X509Extension
    assert X509Extension.__module__ == "OpenSSL.crypto"
    assert X509Extension.__name__ == "X509Extension"
    assert "X509Extension" in crypto.__all__
    assert "X509ExtensionType" in crypto.__all__
    ext = X509Extension(b"basicConstraints", False, b"CA:TRUE")
    assert type(ext) is X509Extension
    assert repr(ext).startswith("<OpenSSL.crypto.X509Extension object at ")


def test_signature():
    sig = inspect.signature(X509Extension)
    assert list(sig.parameters) == [
        "type_name", "critical", "value", "subject", "issuer"
    ]
    assert sig.parameters["subject"].default is None
    assert sig.parameters["issuer"].default is None
    for name in ("get_critical", "get_short_name", "get_data"):
        assert list(inspect.signature(getattr(X509Extension, name))
                    .parameters) == ["self"]


def test_weakref():
    ext = X509Extension(b"basicConstraints", False, b"CA:TRUE")
    ref = weakref.ref(ext)
    assert ref() is ext
    del ext
    gc.collect()
    assert ref() is None


def test_no_instance_dict():
    ext = X509Extension(b"basicConstraints", False, b"CA:TRUE")
    with pytest.raises(AttributeError):
        ext.foo = 1


class _Ext(X509Extension):
    pass


class _BasicConstraints(X509Extension):
    """A subclass with its own constructor signature."""

    def __init__(self, ca, critical=True):
        super().__init__(b"basicConstraints", critical,
                         b"CA:TRUE" if ca else b"CA:FALSE")
        self.ca = ca


def test_subclass():
    ext = _Ext(b"keyUsage", True, b"digitalSignature")
    assert isinstance(ext, X509Extension)
    assert ext.get_short_name() == b"keyUsage"
    assert ext.get_critical() == 1
    ext.note = "instances of subclasses have a __dict__"
    assert ext.__dict__ == {"note": "instances of subclasses have a __dict__"}
    assert str(ext) == "Digital Signature"


def test_subclass_with_own_init():
    ext = _BasicConstraints(True)
    assert ext.ca is True
    assert ext.get_critical() == 1
    assert str(ext) == "CA:TRUE"
    ext = _BasicConstraints(False, critical=False)
    assert ext.get_critical() == 0
    assert str(ext) == "CA:FALSE"
    cert = X509()
    cert.add_extensions([ext])
    assert cert.get_extension(0).get_data() == ext.get_data()


def test_subclass_cycle_collected():
    def make_cycle():
        ext = _Ext(b"basicConstraints", False, b"CA:TRUE")
        ext.me = ext
        return ext

    assert_collected(make_cycle)


def test_subclass_cycle_through_own_init_collected():
    def make_cycle():
        ext = _BasicConstraints(True)
        ext.others = [ext, {"self": ext}]
        return ext

    assert_collected(make_cycle)


def test_reinit_replaces_extension():
    ext = X509Extension(b"basicConstraints", True, b"CA:TRUE")
    ext.__init__(b"keyUsage", False, b"cRLSign")
    assert ext.get_short_name() == b"keyUsage"
    assert ext.get_critical() == 0
    # A failed re-initialisation keeps the extension it had.
    with pytest.raises(Error):
        ext.__init__(b"no such extension", False, b"x")
    assert ext.get_short_name() == b"keyUsage"
    assert str(ext) == "CRL Sign"
    assert_queue_empty()


def test_copy():
    ext = X509Extension(b"basicConstraints", True, b"CA:TRUE")
    dup = copy.copy(ext)
    assert dup is not ext
    assert type(dup) is X509Extension
    assert (dup.get_short_name(), dup.get_critical(), dup.get_data(),
            str(dup)) == (b"basicConstraints", 1, ext.get_data(), "CA:TRUE")
    # Independent: re-initialising one leaves the other alone.
    ext.__init__(b"keyUsage", False, b"cRLSign")
    assert str(dup) == "CA:TRUE"


def test_copy_subclass_keeps_type_and_attributes():
    ext = _BasicConstraints(True)
    ext.tags = ["a"]
    dup = copy.copy(ext)
    assert type(dup) is _BasicConstraints
    assert dup.ca is True
    assert dup.tags is ext.tags
    assert str(dup) == "CA:TRUE"


def test_deepcopy_and_pickle_refused():
    # As pyOpenSSL 23.0.0 (its cffi handle cannot be pickled either).
    ext = X509Extension(b"basicConstraints", True, b"CA:TRUE")
    with pytest.raises(TypeError):
        copy.deepcopy(ext)
    with pytest.raises(TypeError):
        pickle.dumps(ext)


def test_new_without_init_is_empty_not_crashing():
    ext = X509Extension.__new__(X509Extension)
    assert ext.get_short_name() == b"UNDEF"
    assert ext.get_data() == b""
    assert ext.get_critical() == 0
    assert str(ext) == ""
    assert copy.copy(ext).get_short_name() == b"UNDEF"
    cert = X509()
    with pytest.raises(Error):
        cert.add_extensions([ext])
    assert cert.get_extension_count() == 0
    assert_queue_empty()


# ---------------------------------------------------------------------------
# Construction
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "type_name, critical, value, data, text",
    [
        (b"basicConstraints", True, b"CA:TRUE", b"0\x03\x01\x01\xff",
         "CA:TRUE"),
        (b"basicConstraints", False, b"CA:FALSE", b"0\x00", "CA:FALSE"),
        (b"basicConstraints", False, b"CA:TRUE,pathlen:3",
         b"0\x06\x01\x01\xff\x02\x01\x03", "CA:TRUE, pathlen:3"),
        (b"keyUsage", True, b"keyCertSign, cRLSign", b"\x03\x02\x01\x06",
         "Certificate Sign, CRL Sign"),
        (b"keyUsage", False, b"digitalSignature,keyEncipherment",
         b"\x03\x02\x05\xa0", "Digital Signature, Key Encipherment"),
        (b"extendedKeyUsage", False, b"serverAuth,clientAuth",
         b"0\x14\x06\x08+\x06\x01\x05\x05\x07\x03\x01"
         b"\x06\x08+\x06\x01\x05\x05\x07\x03\x02",
         "TLS Web Server Authentication, TLS Web Client Authentication"),
        (b"nsComment", False, b"hello world", b"\x16\x0bhello world",
         "hello world"),
        (b"tlsfeature", False, b"status_request", b"0\x03\x02\x01\x05",
         "status_request"),
        (b"crlDistributionPoints", False, b"URI:http://example.com/crl",
         b"0\x1e0\x1c\xa0\x1a\xa0\x18\x86\x16http://example.com/crl",
         "Full Name:\n  URI:http://example.com/crl"),
        (b"nameConstraints", True, b"permitted;DNS:example.com",
         b"0\x11\xa0\x0f0\r\x82\x0bexample.com",
         "Permitted:\n  DNS:example.com"),
        (b"authorityInfoAccess", False, b"OCSP;URI:http://ocsp.example/",
         b"0\x220\x20\x06\x08+\x06\x01\x05\x05\x070\x01"
         b"\x86\x14http://ocsp.example/",
         "OCSP - URI:http://ocsp.example/"),
        (b"subjectAltName", False,
         b"DNS:localhost, IP:127.0.0.1, email:a@b.c, URI:http://x/, "
         b"IP:::1, RID:1.2.3.4",
         b"0:\x82\tlocalhost\x87\x04\x7f\x00\x00\x01\x81\x05a@b.c"
         b"\x86\thttp://x/\x87\x10" + b"\x00" * 15 + b"\x01\x88\x03*\x03\x04",
         "DNS:localhost, IP Address:127.0.0.1, email:a@b.c, URI:http://x/, "
         "IP Address:0:0:0:0:0:0:0:1, Registered ID:1.2.3.4"),
        (b"subjectAltName", False, b"otherName:1.2.3.4;UTF8:hello",
         b"0\x10\xa0\x0e\x06\x03*\x03\x04\xa0\x07\x0c\x05hello",
         "othername:<unsupported>"),
        (b"subjectAltName", False, b"DNS:caf\xc3\xa9.example",
         b"0\x0f\x82\rcaf\xc3\xa9.example", "DNS:caf\u00e9.example"),
    ],
)
def test_construct(type_name, critical, value, data, text):
    ext = X509Extension(type_name, critical, value)
    assert ext.get_short_name() == type_name
    assert type(ext.get_short_name()) is bytes
    assert ext.get_critical() == int(critical)
    assert type(ext.get_critical()) is int
    assert ext.get_data() == data
    assert type(ext.get_data()) is bytes
    assert str(ext) == text
    assert type(str(ext)) is str
    assert_queue_empty()


def test_keywords():
    ext = X509Extension(type_name=b"basicConstraints", critical=True,
                        value=b"CA:TRUE", subject=None, issuer=None)
    assert ext.get_short_name() == b"basicConstraints"
    assert ext.get_critical() == 1
    ext = X509Extension(b"basicConstraints", value=b"CA:FALSE", critical=0)
    assert ext.get_critical() == 0
    assert str(ext) == "CA:FALSE"


@pytest.mark.parametrize("truthy", [True, 1, -1, 2.5, "yes", b"x", [0],
                                    object()])
def test_critical_truthy(truthy):
    ext = X509Extension(b"basicConstraints", truthy, b"CA:TRUE")
    assert ext.get_critical() == 1


@pytest.mark.parametrize("falsy", [False, 0, 0.0, None, "", b"", [], ()])
def test_critical_falsy(falsy):
    ext = X509Extension(b"basicConstraints", falsy, b"CA:TRUE")
    assert ext.get_critical() == 0


def test_critical_prefix_in_value():
    # pyOpenSSL passes OpenSSL's syntax through: a "critical," prefix in
    # the value itself also marks the extension critical.
    ext = X509Extension(b"basicConstraints", False, b"critical,CA:TRUE")
    assert ext.get_critical() == 1
    assert str(ext) == "CA:TRUE"


def test_critical_whose_truth_raises():
    class Bad:
        def __bool__(self):
            raise ZeroDivisionError("no truth")

    with pytest.raises(ZeroDivisionError, match="no truth"):
        X509Extension(b"basicConstraints", Bad(), b"CA:TRUE")
    assert_queue_empty()


def test_unknown_extension_name():
    with pytest.raises(Error) as info:
        X509Extension(b"thisIsMadeUp", False, b"hi")
    assert info.value.args == ([
        ("X509 V3 routines", "", "unknown extension name"),
        ("X509 V3 routines", "", "error in extension"),
    ],)
    assert_queue_empty()


@pytest.mark.parametrize("type_name", [
    b"", b"1.2.3.4", b"commonName", b"\xff\xfe", b" basicConstraints",
    # Only short names are looked up, as in OpenSSL's configuration files.
    b"2.5.29.19", b"X509v3 Basic Constraints",
])
def test_name_without_extension_method(type_name):
    with pytest.raises(Error) as info:
        X509Extension(type_name, False, b"whatever")
    assert ("X509 V3 routines", "", "error in extension") in \
        info.value.args[0]
    assert_queue_empty()


@pytest.mark.parametrize(
    "type_name, value, reason",
    [
        (b"basicConstraints", b"garbage", "invalid name"),
        (b"basicConstraints", b"", "invalid empty name"),
        (b"basicConstraints", b"CA:maybe", "invalid boolean string"),
        (b"keyUsage", b"fooSign", "unknown bit string argument"),
        (b"subjectAltName", b"DNS", "missing value"),
        (b"subjectAltName", b"IP:300.1.1.1", "bad ip address"),
        (b"subjectAltName", b"@section", "invalid extension string"),
        (b"subjectAltName", b"dirName:section", "section not found"),
        (b"subjectAltName", b"email:copy", "no subject details"),
        (b"issuerAltName", b"issuer:copy", "no issuer details"),
        (b"subjectKeyIdentifier", b"hash", "no subject details"),
        (b"authorityKeyIdentifier", b"keyid:always",
         "no issuer certificate"),
        (b"certificatePolicies", b"1.2.3.4", "no config database"),
        (b"1.2.3.4", b"DER:zz", "illegal hex digit"),
        (b"1.2.3.4", b"ASN1:NOSUCH:1", "unknown tag"),
    ],
)
def test_bad_value(type_name, value, reason):
    with pytest.raises(Error) as info:
        X509Extension(type_name, False, value)
    errors = info.value.args[0]
    assert isinstance(errors, list)
    assert all(isinstance(e, tuple) and len(e) == 3 for e in errors)
    assert reason in [e[2] for e in errors], errors
    assert_queue_empty()


@pytest.mark.parametrize("bad", ["basicConstraints", bytearray(b"x"),
                                 memoryview(b"x"), None, 1, object()])
def test_type_name_must_be_bytes(bad):
    with pytest.raises(TypeError, match="type_name must be a byte string"):
        X509Extension(bad, False, b"CA:TRUE")


@pytest.mark.parametrize("bad", ["CA:TRUE", bytearray(b"CA:TRUE"),
                                 memoryview(b"CA:TRUE"), None, 1, 2.0])
def test_value_must_be_bytes(bad):
    with pytest.raises(TypeError, match="value must be a byte string"):
        X509Extension(b"basicConstraints", False, bad)


def test_embedded_nul_rejected():
    # OpenSSL takes C strings: a NUL would silently cut the value short
    # (pyOpenSSL 23.0.0 turned b"DNS:good.example\0.evil" into a SAN for
    # good.example). Refuse instead.
    with pytest.raises(ValueError, match="value must not contain a NUL"):
        X509Extension(b"subjectAltName", False,
                      GOOD_EVIL.encode("ascii").join([b"DNS:", b""]))
    with pytest.raises(ValueError,
                       match="type_name must not contain a NUL"):
        X509Extension(b"basicConstraints\x00junk", False, b"CA:TRUE")
    assert_queue_empty()


@pytest.mark.parametrize("args, kwargs", [
    ((), {}),
    ((b"basicConstraints",), {}),
    ((b"basicConstraints", False), {}),
    ((b"basicConstraints", False, b"CA:TRUE", None, None, None), {}),
    ((b"basicConstraints", False, b"CA:TRUE"), {"nope": 1}),
    ((b"basicConstraints", False), {"type_name": b"basicConstraints",
                                    "value": b"CA:TRUE"}),
])
def test_wrong_arguments(args, kwargs):
    with pytest.raises(TypeError):
        X509Extension(*args, **kwargs)


@pytest.mark.parametrize("which", ["subject", "issuer"])
@pytest.mark.parametrize("bad", [object(), b"cert", 1, crypto.X509Name(
    crypto.X509().get_subject())])
def test_subject_issuer_must_be_x509(which, bad):
    with pytest.raises(TypeError,
                       match="%s must be an X509 instance" % which):
        X509Extension(b"basicConstraints", False, b"CA:TRUE",
                      **{which: bad})
    # The class also derives from AttributeError (API.md 3.1 rule 3).
    with pytest.raises(AttributeError):
        X509Extension(b"basicConstraints", False, b"CA:TRUE",
                      **{which: bad})


def test_issuer_checked_before_subject():
    with pytest.raises(TypeError, match="issuer must be an X509"):
        X509Extension(b"basicConstraints", False, b"CA:TRUE",
                      subject=object(), issuer=object())


def test_argument_type_checked_before_openssl():
    # Nothing reaches OpenSSL when an argument is wrong.
    with pytest.raises(TypeError):
        X509Extension(b"thisIsMadeUp", False, b"x", subject=1)
    assert_queue_empty()


def test_subject_key_identifier_hash(ca):
    ca_key, ca_cert = ca
    ext = X509Extension(b"subjectKeyIdentifier", False, b"hash",
                        subject=ca_cert)
    # RFC 5280 method 1: SHA-1 of the subjectPublicKey bit string.
    spki = ca_cert.to_cryptography().public_key()
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import (
        Encoding, PublicFormat)

    expected = x509.SubjectKeyIdentifier.from_public_key(spki).digest
    assert ext.get_data() == b"\x04\x14" + expected
    assert str(ext) == ":".join("%02X" % b for b in expected)
    assert expected == hashlib.sha1(
        spki.public_bytes(Encoding.DER, PublicFormat.PKCS1)).digest()


def test_authority_key_identifier_from_issuer(ca, server):
    _, ca_cert = ca
    ext = X509Extension(b"authorityKeyIdentifier", False, b"keyid:always",
                        issuer=ca_cert)
    ski = X509Extension(b"subjectKeyIdentifier", False, b"hash",
                        subject=ca_cert)
    keyid = ski.get_data()[2:]
    assert ext.get_data() == b"\x30\x16\x80\x14" + keyid
    assert str(ext) == ":".join("%02X" % b for b in keyid)


def test_authority_key_identifier_issuer_without_ski():
    with pytest.raises(Error) as info:
        X509Extension(b"authorityKeyIdentifier", False, b"keyid:always",
                      issuer=X509())
    assert ("X509 V3 routines", "", "unable to get issuer keyid") in \
        info.value.args[0]
    assert_queue_empty()


def test_subject_and_issuer_copy(server, ca):
    _, server_cert = server
    _, ca_cert = ca
    server_cert = crypto.load_certificate(
        crypto.FILETYPE_PEM,
        crypto.dump_certificate(crypto.FILETYPE_PEM, server_cert))
    server_cert.get_subject().emailAddress = "srv@example.com"
    ext = X509Extension(b"subjectAltName", False, b"email:copy",
                        subject=server_cert)
    assert str(ext) == "email:srv@example.com"
    ca_copy = crypto.load_certificate(
        crypto.FILETYPE_PEM,
        crypto.dump_certificate(crypto.FILETYPE_PEM, ca_cert))
    ca_copy.add_extensions([
        X509Extension(b"subjectAltName", False, b"URI:http://ca.example/")])
    ext = X509Extension(b"issuerAltName", False, b"issuer:copy",
                        issuer=ca_copy)
    assert str(ext) == "URI:http://ca.example/"


def test_subject_and_issuer_not_kept():
    # The certificates are only read while building: the extension keeps
    # no reference to them.
    cert = pki.make_cert(pki.make_key(1024), "tmp")
    ref = weakref.ref(cert)
    ext = X509Extension(b"subjectKeyIdentifier", False, b"hash",
                        subject=cert, issuer=cert)
    del cert
    gc.collect()
    assert ref() is None
    assert len(ext.get_data()) == 22


def test_failing_constructor_repeated():
    # A failing constructor frees what it took, exactly once (API.md 4.2,
    # 2009-05-27): run the failure paths many times (ASan checks the rest).
    for _ in range(200):
        for args in [(b"nope", True, b"x"), (b"basicConstraints", 1, b"?"),
                     (b"subjectKeyIdentifier", 0, b"hash")]:
            with pytest.raises(Error):
                X509Extension(*args)
    assert_queue_empty()


def test_long_value():
    names = b", ".join(b"DNS:host%d.example" % i for i in range(2000))
    ext = X509Extension(b"subjectAltName", False, names)
    assert str(ext) == names.decode("ascii")
    assert len(ext.get_data()) > 30000


# ---------------------------------------------------------------------------
# str()
# ---------------------------------------------------------------------------


def test_str_subject_alt_name_keeps_nul():
    ext = san_with_nul()
    assert ext.get_short_name() == b"subjectAltName"
    text = str(ext)
    assert text == (
        "DNS:good.example\x00.evil, email:me@good.example\x00.evil, "
        "URI:https://good.example\x00.evil/"
    )
    assert "DNS:" + GOOD_EVIL in text
    assert_queue_empty()


def test_str_subject_alt_name_keeps_nul_through_certificate():
    cert = signed_cert([san_with_nul()])
    pem = crypto.dump_certificate(crypto.FILETYPE_PEM, cert)
    loaded = crypto.load_certificate(crypto.FILETYPE_PEM, pem)
    ext = loaded.get_extension(0)
    assert str(ext) == str(san_with_nul())
    assert str(ext).startswith("DNS:good.example\x00.evil, ")


@needs_reference
def test_str_subject_alt_name_with_nul_like_pyopenssl_23():
    cert = signed_cert([san_with_nul()])
    pem = crypto.dump_certificate(crypto.FILETYPE_PEM, cert)
    assert reference_strings(pem) == [str(san_with_nul())]


def san_of_every_kind():
    """A subjectAltName with an entry of each kind of GeneralName."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID
    import ipaddress

    san = x509.SubjectAlternativeName([
        x509.DNSName("example.com"),
        x509.RFC822Name("me@example.com"),
        x509.UniformResourceIdentifier("https://example.com/x"),
        x509.IPAddress(ipaddress.ip_address("192.0.2.1")),
        x509.IPAddress(ipaddress.ip_address("2001:db8::1")),
        x509.RegisteredID(x509.ObjectIdentifier("1.2.3.4")),
        x509.DirectoryName(x509.Name([
            x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
            x509.NameAttribute(NameOID.COMMON_NAME, "dir name"),
        ])),
        x509.OtherName(x509.ObjectIdentifier("1.3.6.1.5.5.7.8.9"),
                       b"\x0c\x05hello"),
        x509.OtherName(x509.ObjectIdentifier("1.2.3.4.5"), b"\x05\x00"),
    ])
    return X509Extension(b"subjectAltName", False,
                         der_hex(san.public_bytes()))


def test_str_subject_alt_name_other_entries_use_openssl_printer():
    ext = san_of_every_kind()
    assert str(ext) == (
        "DNS:example.com, email:me@example.com, URI:https://example.com/x, "
        "IP Address:192.0.2.1, IP Address:2001:DB8:0:0:0:0:0:1, "
        "Registered ID:1.2.3.4, DirName:C = US, CN = dir name, "
        "othername:SmtpUTF8Mailbox:hello, othername:<unsupported>"
    )


@needs_reference
def test_str_subject_alt_name_of_every_kind_like_pyopenssl_23():
    ext = san_of_every_kind()
    pem = crypto.dump_certificate(crypto.FILETYPE_PEM, signed_cert([ext]))
    assert reference_strings(pem) == [str(ext)]


def test_str_subject_alt_name_empty_entries():
    data = general_names((2, b""), (1, b""), (6, b""))
    ext = X509Extension(b"subjectAltName", False, der_hex(data))
    assert str(ext) == "DNS:, email:, URI:"


def test_str_subject_alt_name_not_utf8():
    ext = X509Extension(b"subjectAltName", False, b"DNS:caf\xe9.example")
    with pytest.raises(UnicodeDecodeError):
        str(ext)
    assert_queue_empty()


def test_str_malformed_subject_alt_name():
    # The DER does not decode as GeneralNames: shown as OpenSSL's
    # certificate printer shows it (the raw bytes, non-printables as '.').
    ext = X509Extension(b"subjectAltName", False, b"DER:01:02:41")
    assert ext.get_data() == b"\x01\x02A"
    assert str(ext) == "..A"
    assert_queue_empty()


def test_str_unknown_extension_like_certificate_text():
    # OpenSSL has no printer for these: str() shows them as the
    # certificate text dump does (pyOpenSSL 23.0.0 raised an empty Error).
    exts = [
        X509Extension(b"1.2.3.4", False, b"ASN1:UTF8String:hello"),
        X509Extension(b"1.2.3.5", True, b"DER:01:02"),
        X509Extension(b"nsComment", False, b""),
    ]
    assert [str(e) for e in exts] == ["..hello", "..", ".."]
    assert [e.get_short_name() for e in exts] == [b"UNDEF", b"UNDEF",
                                                  b"nsComment"]
    assert [e.get_critical() for e in exts] == [0, 1, 0]
    cert = signed_cert(exts)
    text = crypto.dump_certificate(crypto.FILETYPE_TEXT, cert).decode()
    assert "            1.2.3.4: \n                ..hello\n" in text
    assert "            1.2.3.5: critical\n                ..\n" in text
    assert "            Netscape Comment: \n                ..\n" in text
    assert_queue_empty()


def test_str_matches_certificate_text(server, ca):
    for _, cert in (server, ca):
        text = crypto.dump_certificate(crypto.FILETYPE_TEXT, cert).decode()
        for i in range(cert.get_extension_count()):
            rendered = str(cert.get_extension(i))
            assert "\n" + " " * 16 + rendered + "\n" in text


@needs_reference
def test_str_matches_pyopenssl_23(server, ca):
    exts = [
        X509Extension(b"basicConstraints", True, b"CA:TRUE,pathlen:0"),
        X509Extension(b"keyUsage", True, b"digitalSignature,keyCertSign"),
        X509Extension(b"extendedKeyUsage", False,
                      b"serverAuth,clientAuth,codeSigning,1.2.3.4"),
        X509Extension(b"subjectAltName", False,
                      b"DNS:a.example, DNS:*.b.example, IP:10.0.0.1, "
                      b"IP:fe80::1, email:x@y.z, URI:ldap://q/, RID:1.2.3"),
        X509Extension(b"crlDistributionPoints", False,
                      b"URI:http://a/crl, URI:http://b/crl"),
        X509Extension(b"authorityInfoAccess", False,
                      b"OCSP;URI:http://ocsp/, caIssuers;URI:http://ca/"),
        X509Extension(b"nameConstraints", True,
                      b"permitted;DNS:.example, excluded;IP:10.0.0.0/"
                      b"255.0.0.0"),
        X509Extension(b"tlsfeature", False, b"status_request"),
        X509Extension(b"nsComment", False, b"caf\xc3\xa9 comment"),
        X509Extension(b"nsCertType", False, b"server, client"),
        X509Extension(b"policyConstraints", False, b"requireExplicitPolicy:3"),
        X509Extension(b"inhibitAnyPolicy", False, b"2"),
        X509Extension(b"subjectKeyIdentifier", False,
                      b"01:02:03:04:05:06:07"),
        X509Extension(b"authorityKeyIdentifier", False, b"keyid:always",
                      issuer=ca[1]),
    ]
    cert = signed_cert(exts)
    pem = crypto.dump_certificate(crypto.FILETYPE_PEM, cert)
    ours = [str(cert.get_extension(i))
            for i in range(cert.get_extension_count())]
    assert ours == [str(e) for e in exts]
    assert reference_strings(pem) == ours
    pem = crypto.dump_certificate(crypto.FILETYPE_PEM, server[1])
    assert reference_strings(pem) == [
        str(server[1].get_extension(i))
        for i in range(server[1].get_extension_count())
    ]


# ---------------------------------------------------------------------------
# X509.get_extension_count / get_extension / add_extensions
# ---------------------------------------------------------------------------


def test_pki_certificates_are_v3(ca, server, client):
    def names(cert):
        return [(cert.get_extension(i).get_short_name(),
                 cert.get_extension(i).get_critical())
                for i in range(cert.get_extension_count())]

    assert names(ca[1]) == [(b"basicConstraints", 1), (b"keyUsage", 1),
                            (b"subjectKeyIdentifier", 0)]
    assert names(server[1]) == [
        (b"basicConstraints", 0), (b"subjectKeyIdentifier", 0),
        (b"authorityKeyIdentifier", 0), (b"subjectAltName", 0)]
    assert names(client[1]) == [
        (b"basicConstraints", 0), (b"subjectKeyIdentifier", 0),
        (b"authorityKeyIdentifier", 0)]
    assert str(server[1].get_extension(3)) == \
        "DNS:localhost, IP Address:127.0.0.1"
    assert str(ca[1].get_extension(0)) == "CA:TRUE"
    assert str(ca[1].get_extension(1)) == "Certificate Sign, CRL Sign"
    # The leaves name the CA's key.
    ca_ski = ca[1].get_extension(2).get_data()[2:]
    for _, leaf in (server, client):
        assert leaf.get_extension(2).get_data() == \
            b"\x30\x16\x80\x14" + ca_ski
    assert str(server[1].get_version()) == "2"


def test_pki_verifies_with_cryptography(ca, server, client):
    from cryptography import x509

    ca_c = ca[1].to_cryptography()
    assert ca_c.extensions.get_extension_for_class(
        x509.BasicConstraints).value.ca is True
    for _, leaf in (server, client):
        leaf_c = leaf.to_cryptography()
        leaf_c.verify_directly_issued_by(ca_c)
        aki = leaf_c.extensions.get_extension_for_class(
            x509.AuthorityKeyIdentifier).value
        ski = ca_c.extensions.get_extension_for_class(
            x509.SubjectKeyIdentifier).value
        assert aki.key_identifier == ski.digest
    san = server[1].to_cryptography().extensions.get_extension_for_class(
        x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["localhost"]
    assert [str(ip) for ip in san.get_values_for_type(x509.IPAddress)] == [
        "127.0.0.1"]


def test_get_extension_count():
    cert = X509()
    assert cert.get_extension_count() == 0
    cert.add_extensions([X509Extension(b"basicConstraints", True, b"CA:TRUE"),
                         X509Extension(b"keyUsage", False, b"cRLSign")])
    assert cert.get_extension_count() == 2
    assert type(cert.get_extension_count()) is int


def test_get_extension_returns_copies(server):
    _, cert = server
    first = cert.get_extension(0)
    second = cert.get_extension(0)
    assert first is not second
    assert type(first) is X509Extension
    assert first.get_data() == second.get_data()
    assert first.get_short_name() == b"basicConstraints"


def test_extension_outlives_certificate():
    cert = signed_cert([X509Extension(b"nsComment", False, b"kept")])
    ref = weakref.ref(cert)
    ext = cert.get_extension(0)
    del cert
    gc.collect()
    assert ref() is None
    assert str(ext) == "kept"
    assert ext.get_data() == b"\x16\x04kept"


@pytest.mark.parametrize("index", [-1, -2, 4, 5, 2**31, 2**63, 2**100,
                                   -2**100])
def test_get_extension_out_of_range(server, index):
    _, cert = server
    with pytest.raises(IndexError, match="extension index out of bounds"):
        cert.get_extension(index)
    assert_queue_empty()


@pytest.mark.parametrize("index", [None, "0", 0.0, b"\x00", [0]])
def test_get_extension_wrong_type(server, index):
    _, cert = server
    with pytest.raises(TypeError):
        cert.get_extension(index)


def test_get_extension_keyword(server):
    _, cert = server
    assert cert.get_extension(index=3).get_short_name() == b"subjectAltName"
    assert cert.get_extension(True).get_short_name() == \
        b"subjectKeyIdentifier"


def test_get_extension_empty_certificate():
    with pytest.raises(IndexError):
        X509().get_extension(0)


def _exts():
    return [X509Extension(b"basicConstraints", False, b"CA:FALSE"),
            X509Extension(b"keyUsage", True, b"digitalSignature"),
            X509Extension(b"nsComment", False, b"third")]


@pytest.mark.parametrize("wrap", [
    list, tuple, iter, lambda x: (e for e in x),
    lambda x: dict.fromkeys(x), lambda x: map(lambda e: e, x),
])
def test_add_extensions_any_iterable(wrap):
    exts = _exts()
    cert = X509()
    cert.add_extensions(wrap(exts))
    assert cert.get_extension_count() == 3
    assert [cert.get_extension(i).get_data() for i in range(3)] == [
        e.get_data() for e in exts]


def test_add_extensions_set_and_keyword():
    cert = X509()
    cert.add_extensions(extensions={_exts()[2]})
    assert cert.get_extension_count() == 1
    cert.add_extensions([])
    assert cert.get_extension_count() == 1


def test_add_extensions_subclass_instances():
    cert = X509()
    cert.add_extensions([_Ext(b"nsComment", False, b"sub"),
                         _BasicConstraints(True)])
    assert [cert.get_extension(i).get_short_name() for i in range(2)] == [
        b"nsComment", b"basicConstraints"]
    # What comes back is a plain X509Extension.
    assert type(cert.get_extension(1)) is X509Extension


@pytest.mark.parametrize("bad", [None, "basicConstraints", b"x", 1,
                                 object(), X509(),
                                 crypto.X509Name(X509().get_subject())])
def test_add_extensions_bad_element(bad):
    cert = X509()
    good = X509Extension(b"basicConstraints", False, b"CA:FALSE")
    with pytest.raises(ValueError,
                       match="One of the elements is not an X509Extension"):
        cert.add_extensions([good, bad, good])
    # As pyOpenSSL 23.0.0: the elements before the bad one were added.
    assert cert.get_extension_count() == 1


@pytest.mark.parametrize("bad", [None, 1, object(), 2.0])
def test_add_extensions_not_iterable(bad):
    with pytest.raises(TypeError):
        X509().add_extensions(bad)


def test_add_extensions_iterator_raises():
    def gen():
        yield X509Extension(b"basicConstraints", False, b"CA:FALSE")
        raise KeyError("from the iterator")

    cert = X509()
    with pytest.raises(KeyError, match="from the iterator"):
        cert.add_extensions(gen())
    assert cert.get_extension_count() == 1


def test_add_extensions_missing_argument():
    with pytest.raises(TypeError):
        X509().add_extensions()


def test_added_extensions_survive_signing_and_der_round_trip():
    exts = _exts() + [san_with_nul()]
    cert = signed_cert(exts)
    der = crypto.dump_certificate(crypto.FILETYPE_ASN1, cert)
    loaded = crypto.load_certificate(crypto.FILETYPE_ASN1, der)
    assert loaded.get_extension_count() == 4
    for i, ext in enumerate(exts):
        got = loaded.get_extension(i)
        assert got.get_short_name() == ext.get_short_name()
        assert got.get_critical() == ext.get_critical()
        assert got.get_data() == ext.get_data()
        assert str(got) == str(ext)


def test_get_data_matches_cryptography(server, ca):
    for _, cert in (server, ca):
        crypto_cert = cert.to_cryptography()
        ours = [(cert.get_extension(i).get_data(),
                 bool(cert.get_extension(i).get_critical()))
                for i in range(cert.get_extension_count())]
        theirs = [(e.value.public_bytes(), e.critical)
                  for e in crypto_cert.extensions]
        assert ours == theirs


def test_get_extension_many_times_no_growth(server):
    # X509.get_extension leaked in 0.13 (API.md 4.2): objects come and go.
    _, cert = server
    for _ in range(2000):
        ext = cert.get_extension(3)
        str(ext)
    gc.collect()
    assert_queue_empty()
