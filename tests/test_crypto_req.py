"""
OpenSSL.crypto.X509Req, load_certificate_request and
dump_certificate_request (API.md 1.8, 1.9.3; 3.2 rows 2, 9, 44, 45).

Expected values and messages are pyOpenSSL 23.0.0's, observed by running it
on the same inputs; golden_reqcrl.py holds its output for fixed inputs.
"""

import gc
import inspect
import weakref

import pytest

from OpenSSL import crypto
from OpenSSL.crypto import (
    FILETYPE_ASN1,
    FILETYPE_PEM,
    FILETYPE_TEXT,
    X509Req,
    dump_certificate_request,
    load_certificate_request,
)

import golden_reqcrl as golden
import pki
from external import needs_openssl, openssl
from conftest import assert_collected, measures_rss, rss_kb

HAS_EXTENSION = hasattr(crypto, "X509Extension")
needs_extension = pytest.mark.skipif(
    not HAS_EXTENSION, reason="X509Extension is not available yet"
)


def assert_queue_empty():
    with pytest.raises(crypto.Error) as info:
        crypto._exception_from_error_queue()
    assert info.value.args[0] == []


def make_golden_req():
    """The request whose output pyOpenSSL 23.0.0 gave as REQ_PEM/REQ_TEXT."""
    key = crypto.load_privatekey(FILETYPE_PEM, golden.GOLDEN_KEY)
    req = X509Req()
    s = req.get_subject()
    s.C = "US"
    s.O = "Golden Org"
    s.CN = "req.golden.example"
    s.emailAddress = "req@golden.example"
    req.set_pubkey(key)
    req.sign(key, "sha256")
    return req


def signed_request(key, cn="request.example", digest="sha256"):
    req = X509Req()
    req.get_subject().CN = cn
    req.set_pubkey(key)
    req.sign(key, digest)
    return req


@pytest.fixture(scope="module")
def small_key():
    return pki.make_key(1024)


# ---------------------------------------------------------------------------
# Construction and object model
# ---------------------------------------------------------------------------


def test_type_and_aliases():
    assert X509Req.__name__ == "X509Req"
    assert X509Req.__module__ == "OpenSSL.crypto"
    assert crypto.X509ReqType is X509Req
    for name in ("X509Req", "X509ReqType", "load_certificate_request",
                 "dump_certificate_request"):
        assert name in crypto.__all__


def test_new_request_has_version_0():
    req = X509Req()
    assert req.get_version() == 0
    assert isinstance(req.get_version(), int)


def test_constructor_takes_no_arguments():
    with pytest.raises(TypeError):
        X509Req(1)
    with pytest.raises(TypeError):
        X509Req(version=0)


def test_subclass_and_weakref():
    class MyReq(X509Req):
        pass

    req = MyReq()
    req.note = "attribute"
    assert req.get_version() == 0
    ref = weakref.ref(req)
    del req
    gc.collect()
    assert ref() is None


def test_signatures_have_keyword_names():
    expected = {
        "set_pubkey": ["pkey"],
        "set_version": ["version"],
        "add_extensions": ["extensions"],
        "sign": ["pkey", "digest"],
        "verify": ["pkey"],
        "get_pubkey": [],
        "get_version": [],
        "get_subject": [],
        "get_extensions": [],
        "to_cryptography": [],
    }
    req = X509Req()
    for name, params in expected.items():
        sig = inspect.signature(getattr(req, name))
        assert list(sig.parameters) == params, name
    assert list(inspect.signature(X509Req.from_cryptography).parameters) == [
        "crypto_req"
    ]
    assert list(inspect.signature(load_certificate_request).parameters) == [
        "type",
        "buffer",
    ]
    assert list(inspect.signature(dump_certificate_request).parameters) == [
        "type",
        "req",
    ]


# ---------------------------------------------------------------------------
# Version
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("version", [0, 1, 5, -1, 2**63 - 1, True])
def test_set_version_hands_any_int_to_openssl(version):
    # API.md 3.2 row 44: 23.0.0's behaviour.
    req = X509Req()
    req.set_version(version)
    assert req.get_version() == int(version)
    req.set_version(version=0)
    assert req.get_version() == 0


@pytest.mark.parametrize("bad", ["1", 1.0, None, b"0"])
def test_set_version_rejects_non_int(bad):
    with pytest.raises(TypeError, match="an integer is required"):
        X509Req().set_version(bad)


def test_set_version_huge_int():
    with pytest.raises(OverflowError):
        X509Req().set_version(2**64)


# ---------------------------------------------------------------------------
# Public key
# ---------------------------------------------------------------------------


def test_get_pubkey_of_new_request_raises_error():
    with pytest.raises(crypto.Error) as info:
        X509Req().get_pubkey()
    assert info.value.args[0] == [
        ("digital envelope routines", "", "decode error")
    ]
    assert_queue_empty()


def test_set_and_get_pubkey(small_key):
    req = X509Req()
    req.set_pubkey(small_key)
    pub = req.get_pubkey()
    assert isinstance(pub, crypto.PKey)
    assert pub.bits() == 1024
    assert pub.type() == crypto.TYPE_RSA
    assert crypto.dump_publickey(FILETYPE_PEM, pub) == crypto.dump_publickey(
        FILETYPE_PEM, small_key
    )
    # Only the public part comes back: it cannot sign.
    with pytest.raises(ValueError, match="^Key has only public part$"):
        req.sign(pub, "sha256")


def test_set_pubkey_keyword(small_key):
    req = X509Req()
    req.set_pubkey(pkey=small_key)
    assert req.get_pubkey().bits() == 1024


@pytest.mark.parametrize("bad", [object(), None, "key", 1])
def test_set_pubkey_wrong_type(bad):
    with pytest.raises(TypeError) as info:
        X509Req().set_pubkey(bad)
    # pyOpenSSL 23 raised AttributeError here: the exception is both.
    assert isinstance(info.value, AttributeError)
    assert str(info.value).startswith("pkey must be a PKey instance")


def test_set_pubkey_uninitialized_key():
    with pytest.raises(crypto.Error) as info:
        X509Req().set_pubkey(crypto.PKey())
    assert info.value.args[0] == [
        ("x509 certificate routines", "", "unsupported algorithm")
    ]
    assert_queue_empty()


# ---------------------------------------------------------------------------
# Subject: a live view
# ---------------------------------------------------------------------------


def test_subject_is_live_view():
    req = X509Req()
    subject = req.get_subject()
    assert isinstance(subject, crypto.X509Name)
    subject.CN = "first"
    subject.O = "Org"
    assert req.get_subject().CN == "first"
    assert req.get_subject().O == "Org"
    other = req.get_subject()
    other.CN = "second"
    assert subject.CN == "second"
    # Setting a field replaces the entry, which moves to the end (as in
    # pyOpenSSL 23).
    assert req.get_subject().get_components() == [
        (b"O", b"Org"),
        (b"CN", b"second"),
    ]


def test_subject_view_keeps_request_alive():
    # API.md 4.2 (2008-04-26): the view must not outlive its request's
    # memory.
    req = X509Req()
    req.get_subject().CN = "kept"
    ref = weakref.ref(req)
    subject = req.get_subject()
    del req
    gc.collect()
    assert ref() is not None
    assert subject.CN == "kept"
    subject.CN = "changed"
    assert ref().get_subject().CN == "changed"
    del subject
    gc.collect()
    assert ref() is None


def test_subject_view_cycle_is_collected():
    class MyReq(X509Req):
        pass

    def make_cycle():
        req = MyReq()
        req.subject = req.get_subject()
        req.subject.CN = "cycle"
        return req

    assert_collected(make_cycle)


def test_subject_view_in_name_dict_cycle_is_collected():
    def make_cycle():
        req = X509Req()
        name = req.get_subject()
        name._back = name
        return name

    assert_collected(make_cycle)


def test_subject_of_loaded_request():
    req = load_certificate_request(FILETYPE_PEM, golden.OPENSSL_REQ)
    assert req.get_subject().CN == "with attributes"
    assert req.get_subject().get_components() == [(b"CN", b"with attributes")]


# ---------------------------------------------------------------------------
# Signing and verification
# ---------------------------------------------------------------------------


def test_sign_and_verify(small_key):
    req = signed_request(small_key)
    # API.md 3.2 row 9: True (23.0.0 returned the int 1).
    assert req.verify(small_key) is True
    assert req.verify(req.get_pubkey()) is True
    assert req.verify(pkey=small_key) is True


def test_sign_keywords(small_key):
    req = X509Req()
    req.set_pubkey(small_key)
    req.sign(pkey=small_key, digest="sha512")
    assert req.verify(small_key) is True
    assert b"sha512WithRSAEncryption" in dump_certificate_request(
        FILETYPE_TEXT, req
    )


def test_sign_with_bytes_digest(small_key):
    req = X509Req()
    req.set_pubkey(small_key)
    req.sign(small_key, b"sha384")
    assert req.verify(small_key) is True


def test_verify_with_wrong_key(small_key):
    req = signed_request(small_key)
    other = pki.make_key(1024)
    with pytest.raises(crypto.Error) as info:
        req.verify(other)
    assert info.value.args[0]
    assert all(len(entry) == 3 for entry in info.value.args[0])
    assert_queue_empty()


def test_verify_unsigned_request(small_key):
    with pytest.raises(crypto.Error) as info:
        X509Req().verify(small_key)
    assert info.value.args[0] == [
        ("asn1 encoding routines", "", "unknown signature algorithm")
    ]
    assert_queue_empty()


def test_verify_with_key_of_other_type(small_key):
    req = signed_request(small_key)
    ed = crypto.load_privatekey(FILETYPE_PEM, golden.ED25519_KEY)
    with pytest.raises(crypto.Error) as info:
        req.verify(ed)
    assert info.value.args[0] == [
        ("asn1 encoding routines", "", "wrong public key type")
    ]
    assert_queue_empty()


def test_verify_with_uninitialized_key(small_key):
    req = signed_request(small_key)
    with pytest.raises(crypto.Error):
        req.verify(crypto.PKey())
    assert_queue_empty()


@pytest.mark.parametrize("bad", [object(), None, b"key"])
def test_verify_wrong_type(bad):
    with pytest.raises(TypeError) as info:
        X509Req().verify(bad)
    assert str(info.value) == "pkey must be a PKey instance"


def test_sign_public_only_key(small_key):
    public = crypto.load_publickey(
        FILETYPE_PEM, crypto.dump_publickey(FILETYPE_PEM, small_key)
    )
    req = X509Req()
    req.set_pubkey(public)
    with pytest.raises(ValueError) as info:
        req.sign(public, "sha256")
    assert str(info.value) == "Key has only public part"


def test_sign_uninitialized_key():
    with pytest.raises(ValueError) as info:
        X509Req().sign(crypto.PKey(), "sha256")
    assert str(info.value) == "Key is uninitialized"


def test_sign_unknown_digest(small_key):
    req = X509Req()
    req.set_pubkey(small_key)
    with pytest.raises(ValueError) as info:
        req.sign(small_key, "no-such-digest")
    assert str(info.value) == "No such digest method"
    assert_queue_empty()


@pytest.mark.parametrize("bad", [object(), None, "key"])
def test_sign_wrong_key_type(bad):
    with pytest.raises(TypeError) as info:
        X509Req().sign(bad, "sha256")
    assert isinstance(info.value, AttributeError)


def test_sign_without_public_key_set(small_key):
    with pytest.raises(crypto.Error) as info:
        X509Req().sign(small_key, "sha256")
    assert ("asn1 encoding routines", "", "illegal zero content") in (
        info.value.args[0]
    )
    assert_queue_empty()


def test_sign_with_key_that_cannot_sign():
    x25519 = crypto.load_privatekey(FILETYPE_PEM, golden.X25519_KEY)
    req = X509Req()
    req.set_pubkey(x25519)
    with pytest.raises(crypto.Error):
        req.sign(x25519, "sha256")
    assert_queue_empty()


def test_sign_with_ec_dsa_and_ed25519_keys():
    keys = [
        crypto.load_privatekey(FILETYPE_PEM, golden.ED25519_KEY),
        crypto.load_privatekey(FILETYPE_PEM, golden.EC_KEY),
        pki.make_key(1024, crypto.TYPE_DSA),
    ]
    for key in keys:
        req = signed_request(key, digest="sha256")
        assert req.verify(key) is True
        again = load_certificate_request(
            FILETYPE_ASN1, dump_certificate_request(FILETYPE_ASN1, req)
        )
        assert again.verify(again.get_pubkey()) is True


def test_resign_after_subject_change(small_key):
    req = signed_request(small_key, cn="before")
    req.get_subject().CN = "after"
    req.sign(small_key, "sha256")
    again = load_certificate_request(
        FILETYPE_PEM, dump_certificate_request(FILETYPE_PEM, req)
    )
    assert again.get_subject().CN == "after"
    assert again.verify(small_key) is True


# ---------------------------------------------------------------------------
# Extensions
# ---------------------------------------------------------------------------


def test_get_extensions_none():
    assert X509Req().get_extensions() == []
    req = load_certificate_request(FILETYPE_PEM, golden.REQ_PEM)
    assert req.get_extensions() == []


@pytest.mark.parametrize("bad", [[1], [None], ["ext"], [object()]])
def test_add_extensions_non_extension_element(bad):
    with pytest.raises(ValueError) as info:
        X509Req().add_extensions(bad)
    assert str(info.value) == "One of the elements is not an X509Extension"


def test_add_extensions_not_iterable():
    with pytest.raises(TypeError) as info:
        X509Req().add_extensions(1)
    assert str(info.value) == "'int' object is not iterable"


def test_add_extensions_iterator_raising():
    def gen():
        yield from ()
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        X509Req().add_extensions(gen())


def test_add_extensions_empty():
    req = X509Req()
    req.add_extensions(extensions=[])
    assert req.get_extensions() == []


@needs_extension
def test_add_and_get_extensions(small_key):
    exts = [
        crypto.X509Extension(b"basicConstraints", True, b"CA:FALSE"),
        crypto.X509Extension(b"keyUsage", False, b"digitalSignature"),
    ]
    req = X509Req()
    # Any iterable (3.2 row 45), here a generator of fresh objects.
    req.add_extensions(e for e in exts)
    got = req.get_extensions()
    assert [e.get_short_name() for e in got] == [
        b"basicConstraints",
        b"keyUsage",
    ]
    assert [e.get_critical() for e in got] == [1, 0]
    req.set_pubkey(small_key)
    req.sign(small_key, "sha256")
    again = load_certificate_request(
        FILETYPE_ASN1, dump_certificate_request(FILETYPE_ASN1, req)
    )
    assert [str(e) for e in again.get_extensions()] == [
        "CA:FALSE",
        "Digital Signature",
    ]


@needs_extension
def test_get_extensions_of_loaded_request():
    req = load_certificate_request(FILETYPE_PEM, golden.OPENSSL_REQ)
    got = req.get_extensions()
    assert [e.get_short_name() for e in got] == [
        b"subjectAltName",
        b"extendedKeyUsage",
    ]


@needs_extension
def test_add_extensions_twice_is_refused():
    # OpenSSL 3 refuses a second extensionRequest attribute; 23.0.0 gives
    # the same Error.
    req = X509Req()
    req.add_extensions(
        [crypto.X509Extension(b"basicConstraints", False, b"CA:FALSE")]
    )
    with pytest.raises(crypto.Error) as info:
        req.add_extensions(
            [crypto.X509Extension(b"keyUsage", False, b"keyCertSign")]
        )
    assert info.value.args[0] == [
        ("x509 certificate routines", "", "duplicate attribute")
    ]


# ---------------------------------------------------------------------------
# load_certificate_request / dump_certificate_request
# ---------------------------------------------------------------------------


def test_golden_output_matches_pyopenssl_23():
    req = make_golden_req()
    assert dump_certificate_request(FILETYPE_PEM, req) == golden.REQ_PEM
    assert dump_certificate_request(FILETYPE_TEXT, req) == golden.REQ_TEXT
    # 0.13's FILETYPE_TEXT (API.md 3.2 row 2).
    assert dump_certificate_request(58, req) == golden.REQ_TEXT


def test_load_dump_round_trip():
    req = load_certificate_request(FILETYPE_PEM, golden.REQ_PEM)
    der = dump_certificate_request(FILETYPE_ASN1, req)
    assert der[0] == 0x30
    again = load_certificate_request(FILETYPE_ASN1, der)
    assert dump_certificate_request(FILETYPE_PEM, again) == golden.REQ_PEM
    assert dump_certificate_request(FILETYPE_TEXT, again) == golden.REQ_TEXT
    assert again.verify(again.get_pubkey()) is True


def test_load_accepts_str_and_buffers():
    req = load_certificate_request(FILETYPE_PEM, golden.REQ_PEM.decode())
    der = dump_certificate_request(FILETYPE_ASN1, req)
    for buffer in (bytearray(der), memoryview(der)):
        got = load_certificate_request(FILETYPE_ASN1, buffer)
        assert dump_certificate_request(FILETYPE_ASN1, got) == der
    got = load_certificate_request(type=FILETYPE_ASN1, buffer=der)
    assert got.get_subject().CN == "req.golden.example"


def test_load_returns_base_type():
    req = load_certificate_request(FILETYPE_PEM, golden.REQ_PEM)
    assert type(req) is X509Req


@pytest.mark.parametrize(
    "filetype, data, reason",
    [
        (FILETYPE_PEM, b"garbage", "no start line"),
        (FILETYPE_PEM, b"", "no start line"),
        (FILETYPE_ASN1, b"garbage", "not enough data"),
                # An empty DER buffer: OpenSSL records no error (23.0.0 gives
        # Error([]) too).
        (FILETYPE_ASN1, b"", None),
    ],
)
def test_load_garbage(filetype, data, reason):
    with pytest.raises(crypto.Error) as info:
        load_certificate_request(filetype, data)
    if reason is None:
        assert info.value.args[0] == []
    else:
        assert info.value.args[0][-1][2] == reason
    assert_queue_empty()


def test_load_truncated_der():
    der = dump_certificate_request(
        FILETYPE_ASN1, load_certificate_request(FILETYPE_PEM, golden.REQ_PEM)
    )
    for cut in (1, 5, len(der) // 2, len(der) - 1):
        with pytest.raises(crypto.Error):
            load_certificate_request(FILETYPE_ASN1, der[:cut])
        assert_queue_empty()


def test_load_damaged_pem():
    lines = golden.REQ_PEM.splitlines(keepends=True)
    broken = b"".join(lines[:3] + [b"!!!!not base64!!!!\n"] + lines[4:])
    with pytest.raises(crypto.Error):
        load_certificate_request(FILETYPE_PEM, broken)
    truncated = b"".join(lines[:-3] + lines[-1:])
    with pytest.raises(crypto.Error):
        load_certificate_request(FILETYPE_PEM, truncated)
    # A certificate is not a request.
    with pytest.raises(crypto.Error):
        load_certificate_request(FILETYPE_PEM, golden.GOLDEN_CERT)
    assert_queue_empty()


@pytest.mark.parametrize("filetype", [FILETYPE_TEXT, 58, 3, 0, -1, 2**70])
def test_load_bad_type(filetype):
    with pytest.raises(ValueError) as info:
        load_certificate_request(filetype, golden.REQ_PEM)
    assert str(info.value) == (
        "type argument must be FILETYPE_PEM or FILETYPE_ASN1"
    )


def test_load_non_ascii_str():
    with pytest.raises(UnicodeEncodeError):
        load_certificate_request(FILETYPE_PEM, "\u00e9")


@pytest.mark.parametrize("bad", [1, None, object()])
def test_load_bad_buffer_type(bad):
    with pytest.raises(TypeError):
        load_certificate_request(FILETYPE_PEM, bad)


@pytest.mark.parametrize("filetype", [3, 0, "PEM", None])
def test_dump_bad_type(filetype):
    with pytest.raises(ValueError) as info:
        dump_certificate_request(filetype, X509Req())
    assert str(info.value) == (
        "type argument must be FILETYPE_PEM, FILETYPE_ASN1, or FILETYPE_TEXT"
    )


@pytest.mark.parametrize("bad", [object(), None, crypto.X509()])
def test_dump_wrong_object(bad):
    with pytest.raises(TypeError) as info:
        dump_certificate_request(FILETYPE_PEM, bad)
    assert isinstance(info.value, AttributeError)
    assert str(info.value).startswith("req must be an X509Req instance")


def test_dump_keywords():
    req = load_certificate_request(FILETYPE_PEM, golden.REQ_PEM)
    assert dump_certificate_request(type=FILETYPE_PEM, req=req) == (
        golden.REQ_PEM
    )


def test_dump_unsigned_empty_request():
    with pytest.raises(crypto.Error) as info:
        dump_certificate_request(FILETYPE_PEM, X509Req())
    assert info.value.args[0] == [
        ("asn1 encoding routines", "", "illegal zero content"),
        ("PEM routines", "", "ASN1 lib"),
    ]
    with pytest.raises(crypto.Error):
        dump_certificate_request(FILETYPE_ASN1, X509Req())
    assert_queue_empty()


def test_dump_text_of_empty_request():
    # X509_REQ_print_ex prints the key decoding error into its output, as
    # pyOpenSSL 23 shows it; the queue is drained.
    text = dump_certificate_request(FILETYPE_TEXT, X509Req())
    assert text.startswith(
        b"Certificate Request:\n"
        b"    Data:\n"
        b"        Version: 1 (0x0)\n"
        b"        Subject: \n"
        b"        Subject Public Key Info:\n"
        b"            Public Key Algorithm: NULL\n"
        b"            Unable to load Public Key\n"
    )
    assert b"decode error" in text
    assert_queue_empty()


def test_dump_text_of_request_with_attributes():
    req = load_certificate_request(FILETYPE_PEM, golden.OPENSSL_REQ)
    text = dump_certificate_request(FILETYPE_TEXT, req)
    assert b"challengePassword        :secret123\n" in text
    assert b"unstructuredName         :An Unstructured Name\n" in text
    assert (
        b"                X509v3 Subject Alternative Name: \n"
        b"                    email:x@example.com, URI:http://example.com/, "
        b"DNS:a.example\n"
    ) in text


@needs_openssl
@pytest.mark.parametrize("which", ["REQ_PEM", "OPENSSL_REQ"])
def test_dump_text_is_openssl_req_text(which, tmp_path):
    pem = getattr(golden, which)
    path = tmp_path / "req.pem"
    path.write_bytes(pem)
    cli = openssl("req", "-in", str(path), "-noout", "-text",
                  "-nameopt", "compat").stdout
    req = load_certificate_request(FILETYPE_PEM, pem)
    assert dump_certificate_request(FILETYPE_TEXT, req) == cli


def test_load_damaged_der_does_not_crash():
    der = bytearray(dump_certificate_request(
        FILETYPE_ASN1, load_certificate_request(FILETYPE_PEM,
                                                golden.OPENSSL_REQ)))
    for i in range(0, len(der), 2):
        damaged = bytearray(der)
        damaged[i] ^= 0xFF
        try:
            req = load_certificate_request(FILETYPE_ASN1, bytes(damaged))
        except crypto.Error:
            assert_queue_empty()
            continue
        # Whatever loads can be used: each call answers or raises Error.
        calls = [
            req.get_version,
            req.get_pubkey,
            lambda: req.get_subject().get_components(),
            lambda: req.verify(req.get_pubkey()),
            lambda: dump_certificate_request(FILETYPE_TEXT, req),
            lambda: dump_certificate_request(FILETYPE_ASN1, req),
        ]
        if HAS_EXTENSION:
            calls.append(req.get_extensions)
        for call in calls:
            try:
                call()
            except crypto.Error:
                pass
            assert_queue_empty()


# ---------------------------------------------------------------------------
# cryptography interop
# ---------------------------------------------------------------------------


def test_to_cryptography():
    from cryptography import x509
    req = load_certificate_request(FILETYPE_PEM, golden.REQ_PEM)
    csr = req.to_cryptography()
    assert isinstance(csr, x509.CertificateSigningRequest)
    assert csr.is_signature_valid
    assert csr.subject.rfc4514_string() == (
        "1.2.840.113549.1.9.1=req@golden.example,CN=req.golden.example,"
        "O=Golden Org,C=US"
    )
    # An independent copy.
    req.get_subject().CN = "changed"
    assert "req.golden.example" in csr.subject.rfc4514_string()


def test_to_cryptography_of_empty_request():
    with pytest.raises(crypto.Error):
        X509Req().to_cryptography()
    assert_queue_empty()


def test_from_cryptography():
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    csr = x509.load_pem_x509_csr(golden.OPENSSL_REQ)
    req = X509Req.from_cryptography(csr)
    assert type(req) is X509Req
    assert req.get_subject().CN == "with attributes"
    assert dump_certificate_request(FILETYPE_ASN1, req) == csr.public_bytes(
        Encoding.DER
    )
    assert req.verify(req.get_pubkey()) is True

    class MyReq(X509Req):
        pass

    assert type(MyReq.from_cryptography(crypto_req=csr)) is MyReq


@pytest.mark.parametrize("bad", [object(), None, b"der"])
def test_from_cryptography_wrong_type(bad):
    with pytest.raises(TypeError) as info:
        X509Req.from_cryptography(bad)
    assert str(info.value) == "Must be a certificate signing request"


def test_from_cryptography_rejects_certificate():
    from cryptography import x509
    cert = x509.load_pem_x509_certificate(golden.GOLDEN_CERT)
    with pytest.raises(TypeError):
        X509Req.from_cryptography(cert)


def test_private_req_attribute():
    assert X509Req()._req is not None


# ---------------------------------------------------------------------------
# Memory
# ---------------------------------------------------------------------------


@measures_rss
def test_repeated_request_operations_do_not_grow_memory(small_key):
    def work(n):
        for i in range(n):
            req = X509Req()
            req.get_subject().CN = "loop"
            req.set_pubkey(small_key)
            req.get_pubkey()
            req.set_version(0)
            req.add_extensions([])
            req.get_extensions()
            if i % 16 == 0:
                req.sign(small_key, "sha256")
                req.verify(small_key)
            loaded = load_certificate_request(FILETYPE_PEM, golden.OPENSSL_REQ)
            loaded.get_subject().get_components()
            dump_certificate_request(FILETYPE_TEXT, loaded)
            dump_certificate_request(FILETYPE_ASN1, loaded)
            try:
                load_certificate_request(FILETYPE_ASN1, b"\x30\x03\x02\x01")
            except crypto.Error:
                pass
            try:
                X509Req().verify(small_key)
            except crypto.Error:
                pass

    work(300)
    gc.collect()
    before = rss_kb()
    work(2000)
    gc.collect()
    grown = rss_kb() - before
    assert grown < 768, "RSS grew by %d KiB" % grown


# ---------------------------------------------------------------------------
# Error queue hygiene
# ---------------------------------------------------------------------------


def test_every_failure_leaves_queue_empty(small_key):
    failures = [
        lambda: X509Req().get_pubkey(),
        lambda: X509Req().verify(small_key),
        lambda: load_certificate_request(FILETYPE_PEM, b"junk"),
        lambda: load_certificate_request(FILETYPE_ASN1, b"\x30\x82\xff"),
        lambda: dump_certificate_request(FILETYPE_PEM, X509Req()),
        lambda: X509Req().sign(small_key, "sha256"),
    ]
    for fail in failures:
        with pytest.raises(crypto.Error):
            fail()
        assert_queue_empty()
