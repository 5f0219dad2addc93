"""
OpenSSL.crypto.CRL, OpenSSL.crypto.Revoked, load_crl and dump_crl
(API.md 1.8, 1.9.12, 1.9.13; 3.2 rows 2, 27, 28, 43; 4.1 17.3.0, 4.2
2011-09-13, 4.3).

Expected values and messages are pyOpenSSL 23.0.0's, observed by running it
on the same inputs, except where section 3 of the spec decides otherwise;
golden_reqcrl.py holds its output for fixed inputs.
"""

import datetime
import gc
import inspect
import time
import warnings
import weakref

import pytest

from OpenSSL import crypto
from OpenSSL.crypto import (
    CRL,
    FILETYPE_ASN1,
    FILETYPE_PEM,
    FILETYPE_TEXT,
    Revoked,
    dump_crl,
    load_crl,
)

import golden_reqcrl as golden
import pki
from conftest import measures_rss, rss_kb
from external import needs_openssl, openssl

MD5_WARNING = (
    "The default message digest (md5) is deprecated.  "
    "Pass the name of a message digest explicitly."
)

ALL_REASONS = [
    b"unspecified",
    b"keyCompromise",
    b"CACompromise",
    b"affiliationChanged",
    b"superseded",
    b"cessationOfOperation",
    b"certificateHold",
    b"removeFromCRL",
]

EMPTY_CRL_TEXT = (
    b"Certificate Revocation List (CRL):\n"
    b"        Version 1 (0x0)\n"
    b"        Signature Algorithm: NULL\n"
    b"        Issuer: \n"
    b"        Last Update: Bad time value\n"
    b"        Next Update: NONE\n"
    b"No Revoked Certificates.\n"
    b"    Signature Algorithm: NULL\n"
    b"    Signature Value:\n"
    b"\n"
)


def assert_queue_empty():
    with pytest.raises(crypto.Error) as info:
        crypto._exception_from_error_queue()
    assert info.value.args[0] == []


def golden_issuer():
    return (
        crypto.load_privatekey(FILETYPE_PEM, golden.GOLDEN_KEY),
        crypto.load_certificate(FILETYPE_PEM, golden.GOLDEN_CERT),
    )


def make_golden_crl():
    """The CRL whose output pyOpenSSL 23.0.0 gave as CRL_PEM/CRL_TEXT."""
    key, cert = golden_issuer()
    crl = CRL()
    crl.set_version(1)
    crl.set_lastUpdate(b"20240101000000Z")
    crl.set_nextUpdate(b"20240201000000Z")
    for serial, date, reason in [
        (b"0A", b"20231201120000Z", b"keyCompromise"),
        (b"03", b"20231115000000Z", None),
        (b"1234567890ABCDEF", b"20231130235959Z", b"certificate hold"),
    ]:
        r = Revoked()
        r.set_serial(serial)
        r.set_rev_date(date)
        if reason:
            r.set_reason(reason)
        crl.add_revoked(r)
    crl.sign(cert, key, b"sha256")
    return crl


def revoked(serial=b"01", date=b"20240101000000Z", reason=None):
    r = Revoked()
    r.set_serial(serial)
    r.set_rev_date(date)
    if reason is not None:
        r.set_reason(reason)
    return r


@pytest.fixture(scope="module")
def issuer():
    """A small (fast) self-signed issuer: (key, cert)."""
    key = pki.make_key(1024)
    return key, pki.make_cert(key, "CRL issuer", ca=True)


def dated_crl():
    """A CRL with lastUpdate/nextUpdate set (cryptography needs them)."""
    crl = CRL()
    crl.set_lastUpdate(b"20240101000000Z")
    crl.set_nextUpdate(b"20240201000000Z")
    return crl


def crypto_crl(crl):
    from cryptography import x509

    return x509.load_pem_x509_crl(
        dump_crl(FILETYPE_PEM, crl)
    )


# ---------------------------------------------------------------------------
# Names and object model
# ---------------------------------------------------------------------------


def test_names():
    for name in ("CRL", "Revoked", "load_crl", "dump_crl"):
        assert name in crypto.__all__
    assert CRL.__module__ == "OpenSSL.crypto"
    assert Revoked.__module__ == "OpenSSL.crypto"
    assert CRL.__qualname__ == "CRL"
    assert Revoked.__qualname__ == "Revoked"
    # CRLType existed only from 0.14 to 19.0.0 (API.md 3.3).
    assert not hasattr(crypto, "CRLType")


@pytest.mark.parametrize("cls", [CRL, Revoked])
def test_constructor_takes_no_arguments(cls):
    with pytest.raises(TypeError):
        cls(1)


@pytest.mark.parametrize("cls", [CRL, Revoked])
def test_subclass_and_weakref(cls):
    class Sub(cls):
        pass

    obj = Sub()
    obj.note = "attribute"
    ref = weakref.ref(obj)
    del obj
    gc.collect()
    assert ref() is None
    plain = cls()
    ref = weakref.ref(plain)
    del plain
    assert ref() is None


def test_signatures_have_keyword_names():
    expected = {
        Revoked: {
            "set_serial": ["hex_str"],
            "get_serial": [],
            "set_reason": ["reason"],
            "get_reason": [],
            "all_reasons": [],
            "set_rev_date": ["when"],
            "get_rev_date": [],
        },
        CRL: {
            "get_revoked": [],
            "add_revoked": ["revoked"],
            "get_issuer": [],
            "set_version": ["version"],
            "set_lastUpdate": ["when"],
            "set_nextUpdate": ["when"],
            "sign": ["issuer_cert", "issuer_key", "digest"],
            "export": ["cert", "key", "type", "days", "digest"],
            "to_cryptography": [],
        },
    }
    for cls, methods in expected.items():
        obj = cls()
        for name, params in methods.items():
            sig = inspect.signature(getattr(obj, name))
            assert list(sig.parameters) == params, name
    export = inspect.signature(CRL().export)
    assert export.parameters["type"].default == FILETYPE_PEM
    assert export.parameters["days"].default == 100
    assert export.parameters["digest"].default is None
    assert list(inspect.signature(CRL.from_cryptography).parameters) == [
        "crypto_crl"
    ]
    assert list(inspect.signature(load_crl).parameters) == ["type", "buffer"]
    assert list(inspect.signature(dump_crl).parameters) == ["type", "crl"]


# ---------------------------------------------------------------------------
# Revoked: serial number
# ---------------------------------------------------------------------------


def test_new_revoked_is_empty():
    r = Revoked()
    assert r.get_serial() == b"00"
    assert r.get_rev_date() is None
    assert r.get_reason() is None


@pytest.mark.parametrize(
    "given, expected",
    [
        (b"01", b"01"),
        (b"0", b"00"),
        (b"a", b"0A"),
        (b"abc", b"0ABC"),
        (b"abcdef0123", b"ABCDEF0123"),
        (b"-0a", b"-0A"),
        # BN_hex2bn reads the leading hex digits only, as in pyOpenSSL.
        (b"12zz", b"12"),
        (b"0x12", b"00"),
        (b"12\x0034", b"12"),
    ],
)
def test_set_serial(given, expected):
    r = Revoked()
    r.set_serial(given)
    assert r.get_serial() == expected


def test_set_serial_keyword():
    r = Revoked()
    r.set_serial(hex_str=b"ff")
    assert r.get_serial() == b"FF"


def test_set_serial_long_number_is_printed_like_i2a_asn1_integer():
    r = Revoked()
    r.set_serial(b"f" * 100)
    # i2a_ASN1_INTEGER breaks its output every 35 bytes with "\\\n".
    assert r.get_serial() == b"F" * 70 + b"\\\n" + b"F" * 30
    r.set_serial(b"1" * 4000)
    assert r.get_serial().replace(b"\\\n", b"") == b"1" * 4000


@pytest.mark.parametrize("bad", [b"", b"xyz", b"-", b" 12", b"\x0012"])
def test_set_serial_bad_hex(bad):
    with pytest.raises(ValueError) as info:
        Revoked().set_serial(bad)
    assert str(info.value) == "bad hex string"
    assert_queue_empty()


@pytest.mark.parametrize("bad", ["0a", 10, None, bytearray(b"0a")])
def test_set_serial_not_bytes(bad):
    with pytest.raises(TypeError):
        Revoked().set_serial(bad)


# ---------------------------------------------------------------------------
# Revoked: reason
# ---------------------------------------------------------------------------


def test_all_reasons_is_013_list():
    # API.md 3.2 row 28: 0.13's 8 entries, in this order.
    r = Revoked()
    assert r.all_reasons() == ALL_REASONS
    # A copy each time.
    reasons = r.all_reasons()
    reasons.append(b"bogus")
    assert r.all_reasons() == ALL_REASONS


@pytest.mark.parametrize(
    "reason, text, code",
    [
        (b"unspecified", b"Unspecified", 0),
        (b"keyCompromise", b"Key Compromise", 1),
        (b"CACompromise", b"CA Compromise", 2),
        (b"affiliationChanged", b"Affiliation Changed", 3),
        (b"superseded", b"Superseded", 4),
        (b"cessationOfOperation", b"Cessation Of Operation", 5),
        (b"certificateHold", b"Certificate Hold", 6),
        (b"removeFromCRL", b"Remove From CRL", 8),
    ],
)
def test_set_reason_stores_rfc5280_code(reason, text, code, issuer):
    r = revoked(reason=reason)
    assert r.get_reason() == text
    # The code in the DER: ENUMERATED inside the reasonCode extension.
    crl = dated_crl()
    crl.add_revoked(r)
    crl.sign(issuer[1], issuer[0], b"sha256")
    der = dump_crl(FILETYPE_ASN1, crl)
    assert bytes([0x0A, 0x01, code]) in der
    from cryptography import x509
    entry = crypto_crl(crl)[0]
    ext = entry.extensions.get_extension_for_class(x509.CRLReason)
    assert ext.value.reason.name.replace("_", "") == (
        reason.decode().lower()
    )


@pytest.mark.parametrize(
    "reason",
    [
        b"key compromise",
        b"KEYCOMPROMISE",
        b"Key Compromise",
        b" keyCompromise ",
    ],
)
def test_set_reason_ignores_case_and_spaces(reason):
    r = Revoked()
    r.set_reason(reason)
    assert r.get_reason() == b"Key Compromise"


def test_set_reason_replaces_reason(issuer):
    r = Revoked()
    r.set_serial(b"01")
    r.set_rev_date(b"20240101000000Z")
    r.set_reason(b"keyCompromise")
    r.set_reason(reason=b"superseded")
    assert r.get_reason() == b"Superseded"
    crl = CRL()
    crl.add_revoked(r)
    crl.sign(issuer[1], issuer[0], b"sha256")
    assert dump_crl(FILETYPE_TEXT, crl).count(b"CRL Reason Code") == 1


def test_set_reason_none_deletes():
    r = Revoked()
    r.set_reason(b"superseded")
    r.set_reason(None)
    assert r.get_reason() is None
    r.set_reason(None)
    assert r.get_reason() is None


@pytest.mark.parametrize(
    "bad, message",
    [
        (b"nope", "b'nope' is not in list"),
        (b"No Pe", "b'nope' is not in list"),
        (b"", "b'' is not in list"),
        (b"keyCompromise\x00", "b'keycompromise\\x00' is not in list"),
        (b"a" * 100, "b'%s' is not in list" % ("a" * 100)),
        (b"key\tcompromise", "b'key\\tcompromise' is not in list"),
    ],
)
def test_set_reason_unknown(bad, message):
    r = Revoked()
    r.set_reason(b"superseded")
    with pytest.raises(ValueError) as info:
        r.set_reason(bad)
    assert str(info.value) == message
    assert r.get_reason() == b"Superseded"


@pytest.mark.parametrize("bad", ["keyCompromise", 1, bytearray(b"superseded")])
def test_set_reason_not_bytes(bad):
    with pytest.raises(TypeError) as info:
        Revoked().set_reason(bad)
    assert str(info.value) == "reason must be None or a byte string"


# ---------------------------------------------------------------------------
# Revoked: revocation date
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "when, expected",
    [
        (b"20200101000000Z", b"20200101000000Z"),
        (b"200101000000Z", b"20200101000000Z"),
        (b"20600101000000Z", b"20600101000000Z"),
        (b"20200101000000+0100", b"20200101000000+0100"),
    ],
)
def test_rev_date(when, expected):
    r = Revoked()
    r.set_rev_date(when)
    assert r.get_rev_date() == expected
    r.set_rev_date(when=b"19991231235959Z")
    assert r.get_rev_date() == b"19991231235959Z"


@pytest.mark.parametrize(
    "bad", [b"nope", b"2020", b"", b"20201301000000Z", b"20200101000000Z\x00"]
)
def test_rev_date_invalid(bad):
    r = Revoked()
    with pytest.raises(ValueError) as info:
        r.set_rev_date(bad)
    assert str(info.value) == "Invalid string"
    assert r.get_rev_date() is None
    assert_queue_empty()


@pytest.mark.parametrize("bad", ["20200101000000Z", 20200101, None])
def test_rev_date_not_bytes(bad):
    with pytest.raises(TypeError) as info:
        Revoked().set_rev_date(bad)
    assert str(info.value) == "when must be a byte string"


# ---------------------------------------------------------------------------
# CRL: entries
# ---------------------------------------------------------------------------


def test_new_crl():
    crl = CRL()
    # API.md 3.2 row 43.
    assert crl.get_revoked() is None
    issuer = crl.get_issuer()
    assert isinstance(issuer, crypto.X509Name)
    assert issuer.get_components() == []


def test_add_revoked_adds_a_copy():
    crl = CRL()
    r = revoked(b"1a", reason=b"keyCompromise")
    crl.add_revoked(r)
    r.set_serial(b"ff")
    r.set_reason(None)
    entries = crl.get_revoked()
    assert isinstance(entries, tuple)
    assert [(e.get_serial(), e.get_rev_date(), e.get_reason())
            for e in entries] == [
        (b"1A", b"20240101000000Z", b"Key Compromise")
    ]


def test_get_revoked_returns_copies():
    crl = CRL()
    crl.add_revoked(revoked=revoked(b"01"))
    first = crl.get_revoked()[0]
    first.set_serial(b"99")
    assert crl.get_revoked()[0].get_serial() == b"01"
    assert crl.get_revoked()[0] is not crl.get_revoked()[0]
    assert type(first) is Revoked


def test_add_revoked_from_subclass():
    class MyRevoked(Revoked):
        pass

    r = MyRevoked()
    r.set_serial(b"05")
    r.set_rev_date(b"20240101000000Z")
    crl = CRL()
    crl.add_revoked(r)
    assert type(crl.get_revoked()[0]) is Revoked


def test_add_incomplete_revoked():
    # No revocation date: OpenSSL cannot copy it (as in pyOpenSSL 23).
    crl = CRL()
    with pytest.raises(crypto.Error):
        crl.add_revoked(Revoked())
    assert crl.get_revoked() is None
    assert_queue_empty()


@pytest.mark.parametrize("bad", [object(), None, b"01"])
def test_add_revoked_wrong_type(bad):
    with pytest.raises(TypeError) as info:
        CRL().add_revoked(bad)
    assert isinstance(info.value, AttributeError)
    assert str(info.value).startswith("revoked must be a Revoked instance")


def test_get_issuer_is_a_copy(issuer):
    key, cert = issuer
    crl = CRL()
    crl.sign(cert, key, b"sha256")
    name = crl.get_issuer()
    assert name == cert.get_subject()
    name.CN = "changed"
    assert crl.get_issuer().CN == "CRL issuer"


# ---------------------------------------------------------------------------
# CRL: fields
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("version", [0, 1, 5, -1, True])
def test_set_version(version, issuer):
    crl = CRL()
    crl.set_version(version)
    crl.sign(issuer[1], issuer[0], b"sha256")
    if version in (0, 1):
        assert b"Version %d (0x%x)" % (version + 1, version) in dump_crl(
            FILETYPE_TEXT, crl
        )


@pytest.mark.parametrize("bad", ["1", 1.0, None])
def test_set_version_not_int(bad):
    with pytest.raises(TypeError, match="an integer is required"):
        CRL().set_version(bad)


def test_set_version_huge():
    with pytest.raises(OverflowError):
        CRL().set_version(2**64)


def test_set_updates(issuer):
    crl = CRL()
    crl.set_lastUpdate(b"20240101000000Z")
    crl.set_nextUpdate(when=b"20240201000000Z")
    crl.sign(issuer[1], issuer[0], b"sha256")
    text = dump_crl(FILETYPE_TEXT, crl)
    assert b"Last Update: Jan  1 00:00:00 2024 GMT\n" in text
    assert b"Next Update: Feb  1 00:00:00 2024 GMT\n" in text


@pytest.mark.parametrize("method", ["set_lastUpdate", "set_nextUpdate"])
def test_set_updates_bad_input(method):
    crl = CRL()
    with pytest.raises(TypeError) as info:
        getattr(crl, method)("20240101000000Z")
    assert str(info.value) == "when must be a byte string"
    with pytest.raises(ValueError) as info:
        getattr(crl, method)(b"2024")
    assert str(info.value) == "Invalid string"
    assert_queue_empty()


# ---------------------------------------------------------------------------
# CRL: sign
# ---------------------------------------------------------------------------


def test_golden_output_matches_pyopenssl_23():
    crl = make_golden_crl()
    assert dump_crl(FILETYPE_PEM, crl) == golden.CRL_PEM
    assert dump_crl(FILETYPE_TEXT, crl) == golden.CRL_TEXT
    # 0.13's FILETYPE_TEXT (API.md 3.2 row 2).
    assert dump_crl(58, crl) == golden.CRL_TEXT


def test_sign_sorts_sets_issuer_and_verifies(issuer):
    key, cert = issuer
    crl = dated_crl()
    for serial in (b"30", b"10", b"20"):
        crl.add_revoked(revoked(serial))
    crl.sign(issuer_cert=cert, issuer_key=key, digest=b"sha256")
    assert [r.get_serial() for r in crl.get_revoked()] == [
        b"10",
        b"20",
        b"30",
    ]
    assert crl.get_issuer() == cert.get_subject()
    loaded = crypto_crl(crl)
    assert loaded.is_signature_valid(cert.to_cryptography().public_key())
    other = pki.make_key(1024)
    assert not loaded.is_signature_valid(
        crypto.load_publickey(
            FILETYPE_PEM, crypto.dump_publickey(FILETYPE_PEM, other)
        ).to_cryptography_key()
    )


def test_sign_with_str_digest(issuer):
    crl = CRL()
    crl.sign(issuer[1], issuer[0], "sha512")
    assert b"sha512WithRSAEncryption" in dump_crl(FILETYPE_TEXT, crl)


@pytest.mark.parametrize("digest", [b"nope", "nope", b""])
def test_sign_unknown_digest(digest, issuer):
    with pytest.raises(ValueError) as info:
        CRL().sign(issuer[1], issuer[0], digest)
    # pyOpenSSL 23 raised Error([]): the exception is both.
    assert isinstance(info.value, crypto.Error)
    assert str(info.value) == "No such digest method"
    assert_queue_empty()


def test_sign_wrong_types(issuer):
    key, cert = issuer
    with pytest.raises(TypeError) as info:
        CRL().sign(object(), key, b"sha256")
    assert isinstance(info.value, AttributeError)
    assert str(info.value).startswith("issuer_cert must be an X509 instance")
    with pytest.raises(TypeError) as info:
        CRL().sign(cert, cert, b"sha256")
    assert isinstance(info.value, AttributeError)
    assert str(info.value).startswith("issuer_key must be a PKey instance")
    with pytest.raises(TypeError):
        CRL().sign(cert, key, 256)


def test_sign_with_public_only_key(issuer):
    key, cert = issuer
    public = crypto.load_publickey(
        FILETYPE_PEM, crypto.dump_publickey(FILETYPE_PEM, key)
    )
    with pytest.raises(crypto.Error):
        CRL().sign(cert, public, b"sha256")
    assert_queue_empty()


def test_sign_with_uninitialized_key(issuer):
    with pytest.raises(crypto.Error):
        CRL().sign(issuer[1], crypto.PKey(), b"sha256")
    assert_queue_empty()


def test_sign_with_key_that_cannot_sign(issuer):
    x25519 = crypto.load_privatekey(FILETYPE_PEM, golden.X25519_KEY)
    with pytest.raises(crypto.Error):
        CRL().sign(issuer[1], x25519, b"sha256")
    assert_queue_empty()


@pytest.mark.parametrize("which", ["EC_KEY", "ED25519_KEY"])
def test_sign_with_other_key_types(which, issuer):
    key = crypto.load_privatekey(FILETYPE_PEM, getattr(golden, which))
    cert = pki.make_cert(key, "other issuer")
    crl = dated_crl()
    crl.add_revoked(revoked(b"07"))
    crl.sign(cert, key, b"sha256")
    loaded = crypto_crl(crl)
    assert loaded.is_signature_valid(cert.to_cryptography().public_key())


# ---------------------------------------------------------------------------
# CRL: export
# ---------------------------------------------------------------------------


def test_export_formats(issuer):
    key, cert = issuer
    crl = CRL()
    crl.add_revoked(revoked(b"0b", reason=b"superseded"))
    pem = crl.export(cert, key, digest=b"sha256")
    assert pem.startswith(b"-----BEGIN X509 CRL-----\n")
    der = crl.export(cert, key, FILETYPE_ASN1, digest=b"sha256")
    assert der[0] == 0x30
    text = crl.export(cert, key, FILETYPE_TEXT, digest=b"sha256")
    assert text.startswith(b"Certificate Revocation List (CRL):\n")
    assert b"Serial Number: 0B\n" in text
    assert crl.export(cert, key, 58, digest=b"sha256").startswith(
        b"Certificate Revocation List (CRL):\n"
    )
    out = crl.export(cert=cert, key=key, type=FILETYPE_PEM, days=3,
                     digest=b"sha384")
    loaded = load_crl(FILETYPE_PEM, out)
    assert b"sha384WithRSAEncryption" in dump_crl(FILETYPE_TEXT, loaded)


def test_export_sets_times_and_issuer(issuer):
    from cryptography import x509
    key, cert = issuer
    crl = CRL()
    before = datetime.datetime.now(datetime.timezone.utc).replace(
        microsecond=0
    )
    pem = crl.export(cert, key, days=7, digest=b"sha256")
    after = datetime.datetime.now(datetime.timezone.utc)
    loaded = x509.load_pem_x509_crl(pem)
    last = loaded.last_update_utc
    assert before <= last <= after
    assert loaded.next_update_utc - last == datetime.timedelta(days=7)
    assert loaded.is_signature_valid(cert.to_cryptography().public_key())
    assert crl.get_issuer() == cert.get_subject()


def test_export_negative_days(issuer):
    key, cert = issuer
    pem = CRL().export(cert, key, days=-3, digest=b"sha256")
    assert pem.startswith(b"-----BEGIN X509 CRL-----\n")


def test_export_default_digest_is_md5_with_warning(issuer):
    # API.md 3.2 row 27.
    key, cert = issuer
    crl = CRL()
    with pytest.warns(DeprecationWarning) as record:
        text = crl.export(cert, key, FILETYPE_TEXT)
    assert [str(w.message) for w in record] == [MD5_WARNING]
    assert record[0].filename == __file__
    assert b"Signature Algorithm: md5WithRSAEncryption\n" in text
    with pytest.warns(DeprecationWarning, match=r"md5"):
        crl.export(cert, key, digest=None)


def test_export_md5_warning_as_error(issuer):
    key, cert = issuer
    crl = CRL()
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        with pytest.raises(DeprecationWarning):
            crl.export(cert, key)
    assert crl.get_revoked() is None


def test_export_explicit_digest_does_not_warn(issuer):
    key, cert = issuer
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        CRL().export(cert, key, digest=b"sha256")


def test_export_unknown_digest(issuer):
    key, cert = issuer
    with pytest.raises(ValueError) as info:
        CRL().export(cert, key, digest=b"nope")
    assert str(info.value) == "No such digest method"


def test_export_wrong_types(issuer):
    key, cert = issuer
    crl = CRL()
    cases = [
        ((object(), key), {}, "cert must be an X509 instance"),
        ((cert, object()), {}, "key must be a PKey instance"),
        ((cert, cert), {}, "key must be a PKey instance"),
        ((cert, key, "PEM"), {}, "type must be an integer"),
        ((cert, key, None), {}, "type must be an integer"),
    ]
    for args, kwargs, message in cases:
        with pytest.raises(TypeError) as info:
            crl.export(*args, digest=b"sha256", **kwargs)
        assert str(info.value) == message
    with pytest.raises(TypeError, match="an integer is required"):
        crl.export(cert, key, days="7", digest=b"sha256")


@pytest.mark.parametrize("filetype", [0, 3, 100, -1])
def test_export_bad_type_leaves_crl_untouched(filetype, issuer):
    key, cert = issuer
    crl = make_golden_crl()
    with pytest.raises(ValueError) as info:
        crl.export(cert, key, filetype, digest=b"sha256")
    assert str(info.value) == (
        "type argument must be FILETYPE_PEM, FILETYPE_ASN1, or FILETYPE_TEXT"
    )
    assert dump_crl(FILETYPE_PEM, crl) == golden.CRL_PEM


def test_export_huge_days(issuer):
    key, cert = issuer
    with pytest.raises(OverflowError):
        CRL().export(cert, key, days=2**70, digest=b"sha256")
    with pytest.raises(OverflowError):
        CRL().export(cert, key, days=2**60, digest=b"sha256")
    # Representable, but beyond any time OpenSSL can encode.
    with pytest.raises(crypto.Error):
        CRL().export(cert, key, days=2**40, digest=b"sha256")
    assert_queue_empty()


def test_export_signing_failure_raises_error(issuer):
    # API.md 4.2 (2011-09-13).
    key, cert = issuer
    public = crypto.load_publickey(
        FILETYPE_PEM, crypto.dump_publickey(FILETYPE_PEM, key)
    )
    for bad_key in (public, crypto.PKey()):
        with pytest.raises(crypto.Error):
            CRL().export(cert, bad_key, digest=b"sha256")
        assert_queue_empty()


# ---------------------------------------------------------------------------
# load_crl / dump_crl
# ---------------------------------------------------------------------------


def test_load_openssl_ca_crl():
    crl = load_crl(FILETYPE_PEM, golden.OPENSSL_CA_CRL)
    entries = crl.get_revoked()
    assert [(r.get_serial(), r.get_reason()) for r in entries] == [
        (b"01", b"Key Compromise"),
        (b"02", b"Remove From CRL"),
        (b"03", b"Key Compromise"),
    ]
    assert all(len(r.get_rev_date()) == 15 for r in entries)
    assert crl.get_issuer().get_components() == [
        (b"C", b"DE"),
        (b"O", b"Test CA"),
        (b"CN", b"Test Root"),
    ]


def test_load_dump_round_trip():
    crl = load_crl(FILETYPE_PEM, golden.OPENSSL_CA_CRL)
    assert dump_crl(FILETYPE_PEM, crl) == golden.OPENSSL_CA_CRL
    der = dump_crl(FILETYPE_ASN1, crl)
    again = load_crl(FILETYPE_ASN1, der)
    assert dump_crl(FILETYPE_PEM, again) == golden.OPENSSL_CA_CRL
    assert dump_crl(type=FILETYPE_ASN1, crl=again) == der
    assert type(again) is CRL


def test_load_accepts_str_and_buffers():
    crl = load_crl(FILETYPE_PEM, golden.CRL_PEM.decode())
    der = dump_crl(FILETYPE_ASN1, crl)
    for buffer in (bytearray(der), memoryview(der)):
        assert dump_crl(FILETYPE_ASN1, load_crl(FILETYPE_ASN1, buffer)) == der
    assert dump_crl(FILETYPE_ASN1, load_crl(type=2, buffer=der)) == der


@needs_openssl
@pytest.mark.parametrize("which", ["CRL_PEM", "OPENSSL_CA_CRL"])
def test_dump_text_is_openssl_crl_text(which, tmp_path):
    pem = getattr(golden, which)
    path = tmp_path / "crl.pem"
    path.write_bytes(pem)
    cli = openssl("crl", "-in", str(path), "-noout", "-text",
                  "-nameopt", "compat").stdout
    assert dump_crl(FILETYPE_TEXT, load_crl(FILETYPE_PEM, pem)) == cli


def test_dump_new_crl():
    crl = CRL()
    with pytest.raises(crypto.Error) as info:
        dump_crl(FILETYPE_PEM, crl)
    assert info.value.args[0] == [
        ("asn1 encoding routines", "", "illegal zero content"),
        ("PEM routines", "", "ASN1 lib"),
    ]
    with pytest.raises(crypto.Error):
        dump_crl(FILETYPE_ASN1, crl)
    assert_queue_empty()
    assert dump_crl(FILETYPE_TEXT, crl) == EMPTY_CRL_TEXT
    assert_queue_empty()


@pytest.mark.parametrize(
    "filetype, data",
    [
        (FILETYPE_PEM, b"garbage"),
        (FILETYPE_PEM, b""),
        (FILETYPE_PEM, golden.GOLDEN_CERT),
        (FILETYPE_ASN1, b"garbage"),
        (FILETYPE_ASN1, b""),
        (FILETYPE_ASN1, b"\x30\x84\xff\xff\xff\xff"),
    ],
)
def test_load_garbage(filetype, data):
    with pytest.raises(crypto.Error):
        load_crl(filetype, data)
    assert_queue_empty()


def test_load_truncated():
    der = dump_crl(FILETYPE_ASN1, load_crl(FILETYPE_PEM, golden.CRL_PEM))
    for cut in range(0, len(der), 7):
        with pytest.raises(crypto.Error):
            load_crl(FILETYPE_ASN1, der[:cut])
        assert_queue_empty()
    lines = golden.CRL_PEM.splitlines(keepends=True)
    with pytest.raises(crypto.Error):
        load_crl(FILETYPE_PEM, b"".join(lines[:-3] + lines[-1:]))
    assert_queue_empty()


def test_load_damaged_der_does_not_crash():
    der = bytearray(dump_crl(FILETYPE_ASN1, load_crl(FILETYPE_PEM,
                                                      golden.OPENSSL_CA_CRL)))
    for i in range(0, len(der), 3):
        damaged = bytearray(der)
        damaged[i] ^= 0xFF
        try:
            crl = load_crl(FILETYPE_ASN1, bytes(damaged))
        except crypto.Error:
            assert_queue_empty()
            continue
        # Whatever loads can be used: each getter answers or raises Error.
        getters = [crl.get_issuer, lambda: dump_crl(FILETYPE_TEXT, crl),
                   lambda: dump_crl(FILETYPE_ASN1, crl)]
        for r in crl.get_revoked() or ():
            getters += [r.get_serial, r.get_reason, r.get_rev_date]
        for getter in getters:
            try:
                getter()
            except crypto.Error:
                pass
            assert_queue_empty()


@pytest.mark.parametrize("filetype", [FILETYPE_TEXT, 58, 3, 0, 2**70, "PEM"])
def test_load_bad_type(filetype):
    with pytest.raises(ValueError) as info:
        load_crl(filetype, golden.CRL_PEM)
    assert str(info.value) == (
        "type argument must be FILETYPE_PEM or FILETYPE_ASN1"
    )


@pytest.mark.parametrize("bad", [1, None, object()])
def test_load_bad_buffer(bad):
    with pytest.raises(TypeError):
        load_crl(FILETYPE_PEM, bad)


@pytest.mark.parametrize("filetype", [3, 0, None, "TEXT"])
def test_dump_bad_type(filetype):
    with pytest.raises(ValueError) as info:
        dump_crl(filetype, CRL())
    assert str(info.value) == (
        "type argument must be FILETYPE_PEM, FILETYPE_ASN1, or FILETYPE_TEXT"
    )


@pytest.mark.parametrize("bad", [object(), None, Revoked()])
def test_dump_wrong_object(bad):
    with pytest.raises(TypeError) as info:
        dump_crl(FILETYPE_PEM, bad)
    assert isinstance(info.value, AttributeError)
    assert str(info.value).startswith("crl must be a CRL instance")


# ---------------------------------------------------------------------------
# cryptography interop
# ---------------------------------------------------------------------------


def test_to_cryptography():
    from cryptography import x509
    crl = load_crl(FILETYPE_PEM, golden.OPENSSL_CA_CRL)
    got = crl.to_cryptography()
    assert isinstance(got, x509.CertificateRevocationList)
    assert len(got) == 3
    assert [r.serial_number for r in got] == [1, 2, 3]
    with pytest.raises(crypto.Error):
        CRL().to_cryptography()
    assert_queue_empty()


def test_from_cryptography():
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    original = x509.load_pem_x509_crl(golden.OPENSSL_CA_CRL)
    crl = CRL.from_cryptography(original)
    assert type(crl) is CRL
    assert dump_crl(FILETYPE_ASN1, crl) == original.public_bytes(Encoding.DER)

    class MyCRL(CRL):
        pass

    assert type(MyCRL.from_cryptography(crypto_crl=original)) is MyCRL


@pytest.mark.parametrize("bad", [object(), None, CRL()])
def test_from_cryptography_wrong_type(bad):
    with pytest.raises(TypeError) as info:
        CRL.from_cryptography(bad)
    assert str(info.value) == "Must be a certificate revocation list"


def test_private_attributes():
    assert CRL()._crl is not None
    assert Revoked()._revoked is not None


# ---------------------------------------------------------------------------
# Memory: repeated operations do not grow (API.md 4.1, 17.3.0)
# ---------------------------------------------------------------------------


@measures_rss
def test_repeated_crl_operations_do_not_grow_memory(issuer):
    key, cert = issuer
    pem = golden.OPENSSL_CA_CRL

    def work(n):
        for i in range(n):
            crl = CRL()
            r = Revoked()
            r.set_serial(b"%x" % (i + 1))
            r.set_rev_date(b"20240101000000Z")
            r.set_reason(b"keyCompromise")
            r.set_reason(b"superseded")
            r.get_reason()
            r.get_serial()
            r.get_rev_date()
            r.all_reasons()
            crl.add_revoked(r)
            crl.set_lastUpdate(b"20240101000000Z")
            crl.set_nextUpdate(b"20240201000000Z")
            crl.get_revoked()
            crl.get_issuer()
            if i % 16 == 0:
                crl.sign(cert, key, b"sha256")
                crl.export(cert, key, FILETYPE_ASN1, digest=b"sha256")
            loaded = load_crl(FILETYPE_PEM, pem)
            loaded.get_revoked()
            dump_crl(FILETYPE_TEXT, loaded)
            dump_crl(FILETYPE_ASN1, loaded)
            try:
                load_crl(FILETYPE_ASN1, b"\x30\x03\x02\x01")
            except crypto.Error:
                pass
            try:
                r.set_serial(b"zz")
            except ValueError:
                pass

    work(500)
    gc.collect()
    before = rss_kb()
    start = time.monotonic()
    # Steady state is flat (0 KiB); leaking one X509_REVOKED (~330 bytes)
    # per iteration shows as ~1600 KiB.
    work(5000)
    gc.collect()
    grown = rss_kb() - before
    assert grown < 768, "RSS grew by %d KiB in %.1fs" % (
        grown,
        time.monotonic() - start,
    )


# ---------------------------------------------------------------------------
# Error queue hygiene
# ---------------------------------------------------------------------------


def test_every_failure_leaves_queue_empty(issuer):
    key, cert = issuer
    failures = [
        (crypto.Error, lambda: load_crl(FILETYPE_PEM, b"junk")),
        (crypto.Error, lambda: load_crl(FILETYPE_ASN1, b"\x30\x82\xff")),
        (crypto.Error, lambda: dump_crl(FILETYPE_PEM, CRL())),
        (crypto.Error, lambda: CRL().add_revoked(Revoked())),
        (crypto.Error, lambda: CRL().sign(cert, crypto.PKey(), b"sha256")),
        (ValueError, lambda: CRL().sign(cert, key, b"nope")),
        (ValueError, lambda: Revoked().set_serial(b"q")),
        (ValueError, lambda: Revoked().set_rev_date(b"q")),
        (ValueError, lambda: CRL().set_lastUpdate(b"q")),
    ]
    for exc, fail in failures:
        with pytest.raises(exc):
            fail()
        assert_queue_empty()
