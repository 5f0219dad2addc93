"""
OpenSSL.crypto.X509 (API.md 1.9.1, 2.5 'X509Name views', 3.2 rows 7, 9, 38,
section 4 rows 17.4.0, 2013-10-03, 2002-07-09).
"""

import datetime
import gc
import hashlib
import weakref

import pytest

from OpenSSL import crypto
from OpenSSL.crypto import FILETYPE_ASN1, FILETYPE_PEM, X509, Error, PKey

from crypto_support import (
    NUL_BYTE_CERT_PEM,
    OLD_ROOT_CERT_PEM,
    assert_queue_empty,
    cached_crypto_key,
    dsa1024,
    error_queue,
    rsa1024,
    self_signed,
)


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def parse_time(value):
    return datetime.datetime.strptime(value.decode("ascii"), "%Y%m%d%H%M%SZ")


@pytest.fixture
def cert():
    return self_signed()


# -------------------------------------------------------------------------
# Construction and object model
# -------------------------------------------------------------------------


class TestConstruction:
    def test_empty(self):
        cert = X509()
        assert isinstance(cert, X509)
        assert cert.get_version() == 0
        assert cert.get_serial_number() == 0
        assert cert.get_notBefore() is None
        assert cert.get_notAfter() is None
        assert cert.get_extension_count() == 0
        assert cert.get_subject().get_components() == []

    def test_no_arguments(self):
        with pytest.raises(TypeError):
            X509(1)
        with pytest.raises(TypeError):
            X509(x=1)

    def test_identity(self):
        assert X509.__module__ == "OpenSSL.crypto"
        assert X509.__name__ == "X509"
        assert crypto.X509Type is X509
        assert "OpenSSL.crypto.X509" in repr(X509())

    def test_private_x509_attribute(self):
        # urllib3's inject_into_urllib3() checks X509()._x509 is not None.
        assert X509()._x509 is not None

    def test_weakref(self):
        cert = X509()
        ref = weakref.ref(cert)
        del cert
        assert ref() is None

    def test_subclass(self):
        class MyCert(X509):
            def __init__(self, label, *args):
                super().__init__()
                self.label = label

        cert = MyCert("x", 1, 2)
        assert cert.label == "x"
        cert.set_serial_number(7)
        assert cert.get_serial_number() == 7
        assert weakref.ref(cert)() is cert
        assert isinstance(cert.get_subject(), crypto.X509Name)

    def test_no_dict_on_base(self):
        with pytest.raises(AttributeError):
            X509().foo = 1

    def test_identity_comparison(self):
        a, b = X509(), X509()
        assert a == a
        assert a != b


# -------------------------------------------------------------------------
# Version and serial number
# -------------------------------------------------------------------------


class TestVersion:
    @pytest.mark.parametrize("version", [0, 1, 2])
    def test_round_trip(self, version):
        cert = X509()
        assert cert.set_version(version) is None
        assert cert.get_version() == version

    def test_keyword(self):
        cert = X509()
        cert.set_version(version=2)
        assert cert.get_version() == 2

    @pytest.mark.parametrize("bad", [None, "2", 2.0, b"2"])
    def test_wrong_type(self, bad):
        with pytest.raises(TypeError, match="^version must be an integer$"):
            X509().set_version(bad)

    def test_too_large(self):
        with pytest.raises(OverflowError):
            X509().set_version(2**70)


class TestSerialNumber:
    @pytest.mark.parametrize(
        "serial", [0, 1, 0x7F, 0x80, 2**31, 2**63, 2**64 + 1, 2**159 - 1,
                   2**200, 2**1024 + 12345]
    )
    def test_round_trip(self, serial):
        cert = X509()
        assert cert.set_serial_number(serial) is None
        assert cert.get_serial_number() == serial

    def test_survives_der(self):
        key = rsa1024()
        cert = self_signed(key, serial=2**200 + 5)
        der = crypto.dump_certificate(FILETYPE_ASN1, cert)
        again = crypto.load_certificate(FILETYPE_ASN1, der)
        assert again.get_serial_number() == 2**200 + 5
        assert again.to_cryptography().serial_number == 2**200 + 5

    @pytest.mark.parametrize("serial", [-1, -5, -(2**100)])
    def test_negative(self, serial):
        # pyOpenSSL 26.4 crashes here and 23.0 raises Error([]); 0.13
        # stored small negative serials. Certificates in the wild carry
        # negative serials, so they are stored and read back unchanged.
        cert = X509()
        cert.set_serial_number(serial)
        assert cert.get_serial_number() == serial

    def test_bool_is_an_int(self):
        cert = X509()
        cert.set_serial_number(True)
        assert cert.get_serial_number() == 1

    def test_keyword(self):
        cert = X509()
        cert.set_serial_number(serial=42)
        assert cert.get_serial_number() == 42

    @pytest.mark.parametrize("bad", [None, "1", 1.0, b"\x01"])
    def test_wrong_type(self, bad):
        with pytest.raises(TypeError, match="^serial must be an integer$"):
            X509().set_serial_number(bad)

    def test_loaded_certificates(self):
        assert crypto.load_certificate(
            FILETYPE_PEM, NUL_BYTE_CERT_PEM
        ).get_serial_number() == 0
        assert crypto.load_certificate(
            FILETYPE_PEM, OLD_ROOT_CERT_PEM
        ).get_serial_number() == 0x3D0CC4E0C6DEB9F4

    def test_returns_int(self, cert):
        assert type(cert.get_serial_number()) is int


# -------------------------------------------------------------------------
# Validity
# -------------------------------------------------------------------------


class TestValidity:
    @pytest.mark.parametrize("which", ["notBefore", "notAfter"])
    def test_set_and_get_generalized(self, which):
        cert = X509()
        assert getattr(cert, "set_" + which)(b"20300101123456Z") is None
        assert getattr(cert, "get_" + which)() == b"20300101123456Z"

    @pytest.mark.parametrize("which", ["notBefore", "notAfter"])
    def test_utctime_is_returned_as_generalized(self, which):
        cert = X509()
        getattr(cert, "set_" + which)(b"300101123456Z")
        assert getattr(cert, "get_" + which)() == b"20300101123456Z"
        getattr(cert, "set_" + which)(b"991231235959Z")
        assert getattr(cert, "get_" + which)() == b"19991231235959Z"

    @pytest.mark.parametrize("which", ["notBefore", "notAfter"])
    def test_offset_form_round_trips(self, which):
        cert = X509()
        getattr(cert, "set_" + which)(b"20300101000000+0100")
        assert getattr(cert, "get_" + which)() == b"20300101000000+0100"

    @pytest.mark.parametrize("which", ["notBefore", "notAfter"])
    def test_keyword(self, which):
        cert = X509()
        getattr(cert, "set_" + which)(when=b"20300101000000Z")
        assert getattr(cert, "get_" + which)() == b"20300101000000Z"

    @pytest.mark.parametrize("which", ["notBefore", "notAfter"])
    @pytest.mark.parametrize("bad", ["20300101000000Z", None, 20300101,
                                     bytearray(b"20300101000000Z")])
    def test_not_bytes(self, which, bad):
        with pytest.raises(TypeError, match="^when must be a byte string$"):
            getattr(X509(), "set_" + which)(bad)

    @pytest.mark.parametrize("which", ["notBefore", "notAfter"])
    @pytest.mark.parametrize("bad", [b"", b"garbage", b"20301301000000Z",
                                     b"2030010100000Z",
                                     b"20300101000000Z\x00trailing"])
    def test_invalid(self, which, bad):
        cert = X509()
        with pytest.raises(ValueError, match="^Invalid string$"):
            getattr(cert, "set_" + which)(bad)
        assert getattr(cert, "get_" + which)() is None
        assert_queue_empty()

    def test_loaded_utctime(self):
        cert = crypto.load_certificate(FILETYPE_PEM, NUL_BYTE_CERT_PEM)
        assert cert.get_notBefore() == b"20130807131152Z"
        assert cert.get_notAfter() == b"20130807131252Z"

    def test_loaded_generalized_time(self):
        cert = crypto.load_certificate(FILETYPE_PEM, OLD_ROOT_CERT_PEM)
        assert cert.get_notBefore() == b"20090325123658Z"
        assert cert.get_notAfter() == b"20170611123658Z"

    @pytest.mark.parametrize("which", ["notBefore", "notAfter"])
    @pytest.mark.parametrize("amount", [0, 100, -100, 10 * 365 * 86400])
    def test_gmtime_adj(self, which, amount):
        cert = X509()
        # OpenSSL reads time(), which Linux serves from a coarse clock that
        # may still show the previous second when Python's clock has moved
        # on: allow that one second.
        before = utcnow().replace(microsecond=0) - datetime.timedelta(seconds=1)
        assert getattr(cert, "gmtime_adj_" + which)(amount) is None
        after = utcnow()
        value = parse_time(getattr(cert, "get_" + which)())
        delta = datetime.timedelta(seconds=amount)
        assert before + delta <= value <= after + delta

    @pytest.mark.parametrize("which", ["notBefore", "notAfter"])
    def test_gmtime_adj_keyword(self, which):
        cert = X509()
        getattr(cert, "gmtime_adj_" + which)(amount=0)
        assert getattr(cert, "get_" + which)() is not None

    @pytest.mark.parametrize("which", ["notBefore", "notAfter"])
    @pytest.mark.parametrize("bad", [None, "0", 1.5])
    def test_gmtime_adj_wrong_type(self, which, bad):
        with pytest.raises(TypeError, match="^amount must be an integer$"):
            getattr(X509(), "gmtime_adj_" + which)(bad)

    @pytest.mark.parametrize("which", ["notBefore", "notAfter"])
    def test_gmtime_adj_out_of_range(self, which):
        cert = X509()
        cert.set_notAfter(b"20300101000000Z")
        cert.set_notBefore(b"20300101000000Z")
        with pytest.raises(Error) as info:
            getattr(cert, "gmtime_adj_" + which)(2**62)
        assert info.value.args[0]
        assert getattr(cert, "get_" + which)() == b"20300101000000Z"
        assert_queue_empty()
        with pytest.raises(OverflowError):
            getattr(cert, "gmtime_adj_" + which)(2**70)

    def test_bytes_are_returned(self, cert):
        assert type(cert.get_notBefore()) is bytes
        assert type(cert.get_notAfter()) is bytes


class TestHasExpired:
    def test_not_expired(self, cert):
        assert cert.has_expired() is False

    def test_expired(self):
        cert = X509()
        cert.gmtime_adj_notAfter(-1)
        assert cert.has_expired() is True

    def test_expires_at_its_second(self):
        cert = X509()
        cert.gmtime_adj_notAfter(0)
        assert cert.has_expired() is True

    def test_far_future(self):
        cert = X509()
        cert.set_notAfter(b"99991231235959Z")
        assert cert.has_expired() is False

    def test_loaded(self):
        assert crypto.load_certificate(
            FILETYPE_PEM, NUL_BYTE_CERT_PEM
        ).has_expired() is True
        assert crypto.load_certificate(
            FILETYPE_PEM, OLD_ROOT_CERT_PEM
        ).has_expired() is True

    def test_utctime_not_after(self):
        cert = X509()
        cert.set_notAfter(b"491231235959Z")
        assert cert.has_expired() is False
        cert.set_notAfter(b"500101000000Z")
        assert cert.has_expired() is True

    def test_unset(self):
        with pytest.raises(ValueError, match="^Unable to determine notAfter$"):
            X509().has_expired()

    @pytest.mark.parametrize("value", [b"20300101000000+0100",
                                       b"20300101000000-0130",
                                       b"20300101000000.5Z"])
    def test_not_plain_z_form(self, value):
        # 23/26 parse notAfter with strptime('%Y%m%d%H%M%SZ') (3.2 row 38).
        cert = X509()
        cert.set_notAfter(value)
        with pytest.raises(ValueError) as info:
            cert.has_expired()
        assert str(info.value) == (
            "time data %r does not match format '%%Y%%m%%d%%H%%M%%SZ'"
            % value.decode()
        )
        assert_queue_empty()


# -------------------------------------------------------------------------
# Subject and issuer (views)
# -------------------------------------------------------------------------


class TestNames:
    def test_views_write_through(self):
        cert = X509()
        cert.get_subject().CN = "subject"
        cert.get_issuer().CN = "issuer"
        assert cert.get_subject().CN == "subject"
        assert cert.get_issuer().CN == "issuer"
        ccert = self_signed()
        subject = ccert.get_subject()
        subject.O = "Org"
        assert ccert.get_subject().O == "Org"

    def test_two_views_share_the_name(self):
        cert = X509()
        a, b = cert.get_subject(), cert.get_subject()
        a.CN = "x"
        assert b.CN == "x"

    def test_view_keeps_certificate_alive(self):
        cert = X509()
        cert.get_subject().CN = "alive"
        ref = weakref.ref(cert)
        name = cert.get_subject()
        del cert
        gc.collect()
        assert ref() is not None
        assert name.CN == "alive"
        del name
        gc.collect()
        assert ref() is None

    def test_view_of_temporary(self):
        name = self_signed(cn="temp").get_subject()
        gc.collect()
        assert name.CN == "temp"
        assert name.get_components() == [(b"CN", b"temp")]

    @pytest.mark.parametrize("which", ["subject", "issuer"])
    def test_set_copies(self, which):
        cert = X509()
        name = crypto.X509Name(X509().get_subject())
        name.CN = "first"
        getattr(cert, "set_" + which)(name)
        name.CN = "second"
        assert getattr(cert, "get_" + which)().CN == "first"

    @pytest.mark.parametrize("which", ["subject", "issuer"])
    def test_set_invalidates_old_views(self, which):
        cert = X509()
        old = getattr(cert, "get_" + which)()
        old.CN = "old"
        other = "issuer" if which == "subject" else "subject"
        other_view = getattr(cert, "get_" + other)()
        new = crypto.X509Name(old)
        new.CN = "new"
        getattr(cert, "set_" + which)(new)
        for use in [lambda: old.CN, lambda: old.get_components(),
                    lambda: old.der(), lambda: old.hash(), lambda: repr(old),
                    lambda: setattr(old, "CN", "x"), lambda: old == new,
                    lambda: crypto.X509Name(old),
                    lambda: cert.set_subject(old)]:
            with pytest.raises(AttributeError):
                use()
        # the other field's views are untouched
        other_view.CN = "still valid"
        assert getattr(cert, "get_" + other)().CN == "still valid"
        assert getattr(cert, "get_" + which)().CN == "new"

    def test_set_subject_to_own_subject(self):
        cert = X509()
        cert.get_subject().CN = "me"
        cert.set_subject(cert.get_subject())
        assert cert.get_subject().CN == "me"
        cert.set_issuer(cert.get_subject())
        assert cert.get_issuer().CN == "me"

    @pytest.mark.parametrize("which", ["subject", "issuer"])
    @pytest.mark.parametrize("bad", [None, "CN=x", 1, X509()])
    def test_set_wrong_type(self, which, bad):
        with pytest.raises(TypeError, match="^name must be an X509Name$"):
            getattr(X509(), "set_" + which)(bad)

    def test_keywords(self):
        cert = X509()
        name = crypto.X509Name(cert.get_subject())
        name.CN = "kw"
        cert.set_subject(subject=name)
        cert.set_issuer(issuer=name)
        assert cert.get_subject().CN == cert.get_issuer().CN == "kw"

    def test_subject_name_hash(self, cert):
        value = cert.subject_name_hash()
        assert type(value) is int
        assert 0 <= value < 2**32
        assert value == cert.get_subject().hash()
        other = self_signed(cn="other")
        assert other.subject_name_hash() != value


# -------------------------------------------------------------------------
# Keys and signing
# -------------------------------------------------------------------------


class TestPubkey:
    def test_get_pubkey_is_public_only(self, cert):
        pub = cert.get_pubkey()
        assert isinstance(pub, PKey)
        assert pub._only_public is True
        assert crypto.dump_publickey(FILETYPE_PEM, pub) == (
            crypto.dump_publickey(FILETYPE_PEM, rsa1024())
        )

    def test_get_pubkey_without_key(self):
        with pytest.raises(Error) as info:
            X509().get_pubkey()
        assert info.value.args[0]
        assert_queue_empty()

    def test_set_pubkey_keyword(self):
        cert = X509()
        cert.set_pubkey(pkey=rsa1024())
        assert cert.get_pubkey().bits() == 1024

    @pytest.mark.parametrize("bad", [None, 1, "key", X509()])
    def test_set_pubkey_wrong_type(self, bad):
        with pytest.raises(TypeError, match="^pkey must be a PKey instance$"):
            X509().set_pubkey(bad)
        # 23/26 read a private attribute: AttributeError (3.1 rule 3)
        with pytest.raises(AttributeError):
            X509().set_pubkey(bad)

    def test_set_public_only_key(self, cert):
        other = X509()
        other.set_pubkey(cert.get_pubkey())
        assert crypto.dump_publickey(FILETYPE_ASN1, other.get_pubkey()) == (
            crypto.dump_publickey(FILETYPE_ASN1, rsa1024())
        )


def verify_with_cryptography(cert):
    """Verify a self-signed certificate's signature with cryptography."""
    from cryptography.hazmat.primitives.asymmetric import (
        dsa,
        ec,
        ed448,
        ed25519,
        padding,
        rsa,
    )

    ccert = cert.to_cryptography()
    pub = ccert.public_key()
    sig, tbs = ccert.signature, ccert.tbs_certificate_bytes
    if isinstance(pub, rsa.RSAPublicKey):
        pub.verify(sig, tbs, padding.PKCS1v15(), ccert.signature_hash_algorithm)
    elif isinstance(pub, dsa.DSAPublicKey):
        pub.verify(sig, tbs, ccert.signature_hash_algorithm)
    elif isinstance(pub, ec.EllipticCurvePublicKey):
        pub.verify(sig, tbs, ec.ECDSA(ccert.signature_hash_algorithm))
    else:
        assert isinstance(pub, (ed25519.Ed25519PublicKey, ed448.Ed448PublicKey))
        pub.verify(sig, tbs)


class TestSign:
    @pytest.mark.parametrize(
        "digest, algorithm",
        [("sha256", b"sha256WithRSAEncryption"),
         ("SHA256", b"sha256WithRSAEncryption"),
         ("sha1", b"sha1WithRSAEncryption"),
         ("sha384", b"sha384WithRSAEncryption"),
         ("sha512", b"sha512WithRSAEncryption"),
         ("md5", b"md5WithRSAEncryption")],
    )
    def test_rsa_digests(self, digest, algorithm):
        cert = self_signed(digest=digest)
        assert cert.get_signature_algorithm() == algorithm
        verify_with_cryptography(cert)

    def test_dsa(self):
        cert = self_signed(dsa1024())
        assert cert.get_signature_algorithm() == b"dsa_with_SHA256"
        verify_with_cryptography(cert)

    def test_ec(self):
        key = PKey.from_cryptography_key(cached_crypto_key("ec"))
        cert = self_signed(key, digest="sha384")
        assert cert.get_signature_algorithm() == b"ecdsa-with-SHA384"
        verify_with_cryptography(cert)

    @pytest.mark.parametrize("kind, algorithm", [("ed25519", b"ED25519"),
                                                 ("ed448", b"ED448")])
    def test_eddsa_ignores_digest(self, kind, algorithm):
        # Ed25519/Ed448 sign the whole message; the digest name must still
        # be a known one, as pyOpenSSL checks it first.
        key = PKey.from_cryptography_key(cached_crypto_key(kind))
        cert = self_signed(key)
        assert cert.get_signature_algorithm() == algorithm
        verify_with_cryptography(cert)
        with pytest.raises(ValueError, match="^No such digest method$"):
            X509().sign(key, "monkeys")

    def test_keywords(self):
        cert = X509()
        cert.set_serial_number(1)
        cert.gmtime_adj_notBefore(0)
        cert.gmtime_adj_notAfter(60)
        cert.set_pubkey(rsa1024())
        cert.sign(pkey=rsa1024(), digest="sha256")
        verify_with_cryptography(cert)

    def test_public_only(self, cert):
        with pytest.raises(ValueError, match="^Key only has public part$"):
            X509().sign(cert.get_pubkey(), "sha256")

    def test_uninitialized(self):
        with pytest.raises(ValueError, match="^Key is uninitialized$"):
            X509().sign(PKey(), "sha256")

    @pytest.mark.parametrize("digest", ["monkeys", "", "sha256\x00",
                                        "sha2\u00e9"])
    def test_unknown_digest(self, digest):
        with pytest.raises(ValueError, match="^No such digest method$"):
            X509().sign(rsa1024(), digest)
        assert_queue_empty()

    @pytest.mark.parametrize("bad", [None, 1, "key", X509()])
    def test_not_a_key(self, bad):
        with pytest.raises(TypeError, match="^pkey must be a PKey instance$"):
            X509().sign(bad, "sha256")

    def test_check_order(self):
        # pyOpenSSL: type, public-only, initialized, then digest.
        with pytest.raises(ValueError, match="public part"):
            X509().sign(self_signed().get_pubkey(), "monkeys")
        with pytest.raises(ValueError, match="uninitialized"):
            X509().sign(PKey(), "monkeys")

    def test_unsigned_signature_algorithm(self):
        with pytest.raises(
            ValueError, match="^Undefined signature algorithm$"
        ):
            X509().get_signature_algorithm()
        assert_queue_empty()

    def test_loaded_signature_algorithm(self):
        cert = crypto.load_certificate(FILETYPE_PEM, OLD_ROOT_CERT_PEM)
        assert cert.get_signature_algorithm() == b"sha1WithRSAEncryption"

    def test_resign_with_other_key(self, cert):
        key = PKey.from_cryptography_key(cached_crypto_key("ec"))
        cert.set_pubkey(key)
        cert.sign(key, "sha256")
        verify_with_cryptography(cert)


# -------------------------------------------------------------------------
# Digest
# -------------------------------------------------------------------------


class TestDigest:
    @pytest.mark.parametrize("name", ["md5", "sha1", "sha256", "SHA256",
                                      "sha512"])
    def test_format_and_value(self, cert, name):
        der = crypto.dump_certificate(FILETYPE_ASN1, cert)
        expected = hashlib.new(name.lower(), der).hexdigest().upper()
        expected = b":".join(
            expected[i:i + 2].encode() for i in range(0, len(expected), 2)
        )
        assert cert.digest(name) == expected

    def test_keyword(self, cert):
        assert cert.digest(digest_name="sha1") == cert.digest("sha1")

    def test_bytes_name(self, cert):
        assert cert.digest(b"sha256") == cert.digest("sha256")

    @pytest.mark.parametrize("name", ["monkeys", "", "sha1\x00",
                                      b"sha1\x00x"])
    def test_unknown(self, cert, name):
        with pytest.raises(ValueError, match="^No such digest method$"):
            cert.digest(name)
        assert_queue_empty()

    def test_wrong_type(self, cert):
        with pytest.raises(TypeError):
            cert.digest(None)

    def test_empty_certificate(self):
        with pytest.raises(Error):
            X509().digest("sha256")
        assert_queue_empty()


class TestExtensionsCount:
    def test_empty(self):
        assert X509().get_extension_count() == 0

    def test_loaded(self):
        cert = crypto.load_certificate(FILETYPE_PEM, NUL_BYTE_CERT_PEM)
        assert cert.get_extension_count() == 4


# -------------------------------------------------------------------------
# cryptography
# -------------------------------------------------------------------------


class TestCryptography:
    def test_to_cryptography(self, cert):
        from cryptography import x509

        ccert = cert.to_cryptography()
        assert isinstance(ccert, x509.Certificate)
        assert ccert.serial_number == cert.get_serial_number()
        assert ccert.public_bytes(
            __import__(
                "cryptography.hazmat.primitives.serialization",
                fromlist=["Encoding"],
            ).Encoding.DER
        ) == crypto.dump_certificate(FILETYPE_ASN1, cert)

    def test_from_cryptography(self, cert):
        ccert = cert.to_cryptography()
        again = X509.from_cryptography(ccert)
        assert isinstance(again, X509)
        assert crypto.dump_certificate(FILETYPE_PEM, again) == (
            crypto.dump_certificate(FILETYPE_PEM, cert)
        )

    def test_keyword(self, cert):
        again = X509.from_cryptography(crypto_cert=cert.to_cryptography())
        assert again.get_serial_number() == cert.get_serial_number()

    def test_copies_are_independent(self, cert):
        ccert = cert.to_cryptography()
        again = X509.from_cryptography(ccert)
        again.set_serial_number(99)
        assert ccert.serial_number == cert.get_serial_number() != 99
        cert.set_serial_number(98)
        assert ccert.serial_number != 98

    @pytest.mark.parametrize("bad", [None, object(), b"der", "pem"])
    def test_from_wrong_type(self, bad):
        with pytest.raises(TypeError, match="^Must be a certificate$"):
            X509.from_cryptography(bad)

    def test_from_pyopenssl_x509(self, cert):
        with pytest.raises(TypeError):
            X509.from_cryptography(cert)

    def test_subclass(self, cert):
        class MyCert(X509):
            pass

        again = MyCert.from_cryptography(cert.to_cryptography())
        assert isinstance(again, X509)

    def test_empty_certificate(self):
        with pytest.raises(Error):
            X509().to_cryptography()
        assert_queue_empty()


def test_error_queue_empty_after_failures():
    failing = [
        lambda: X509().get_pubkey(),
        lambda: X509().digest("sha256"),
        lambda: X509().to_cryptography(),
        lambda: X509().set_pubkey(PKey()),
    ]
    for func in failing:
        with pytest.raises(Error):
            func()
        assert error_queue() == []
    for func in [
        lambda: X509().set_notAfter(b"junk"),
        lambda: X509().sign(rsa1024(), "junk"),
        lambda: X509().get_signature_algorithm(),
        lambda: X509().has_expired(),
    ]:
        with pytest.raises(ValueError):
            func()
        assert error_queue() == []
