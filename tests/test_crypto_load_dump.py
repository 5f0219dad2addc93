"""
load_certificate / dump_certificate (PEM, ASN1), load_privatekey /
dump_privatekey, load_publickey / dump_publickey (API.md 1.8, 2.3 crypto
passphrase row, 3.2 rows 2, 13-17, section 4: 20.0.0 NUL passphrases,
2011-09-14 passphrase callback fixes, 16.1.0 FILETYPE_TEXT).
"""


import pytest

from OpenSSL import crypto
from OpenSSL.crypto import (
    FILETYPE_ASN1,
    FILETYPE_PEM,
    FILETYPE_TEXT,
    X509,
    Error,
    PKey,
)

from external import needs_openssl, openssl
from crypto_support import (
    ENCRYPTED_KEY_PASSPHRASE,
    ENCRYPTED_KEY_PEM,
    assert_queue_empty,
    cached_crypto_key,
    dsa1024,
    error_queue,
    rsa1024,
    self_signed,
)

PASSPHRASE_TOO_LONG = "passphrase returned by callback is too long"
ONLY_PEM = "only FILETYPE_PEM key format supports encryption"


@pytest.fixture(scope="module")
def cert():
    return self_signed()


@pytest.fixture(scope="module")
def encrypted():
    """rsa1024() as PKCS#8 PEM encrypted with AES-256 under b'secret'."""
    return crypto.dump_privatekey(FILETYPE_PEM, rsa1024(), "aes256",
                                  b"secret")


def same_key(a, b):
    return crypto.dump_privatekey(FILETYPE_ASN1, a) == (
        crypto.dump_privatekey(FILETYPE_ASN1, b)
    )


# -------------------------------------------------------------------------
# Certificates
# -------------------------------------------------------------------------


class TestCertificates:
    def test_pem_round_trip(self, cert):
        pem = crypto.dump_certificate(FILETYPE_PEM, cert)
        assert pem.startswith(b"-----BEGIN CERTIFICATE-----\n")
        assert pem.endswith(b"-----END CERTIFICATE-----\n")
        again = crypto.load_certificate(FILETYPE_PEM, pem)
        assert isinstance(again, X509)
        assert crypto.dump_certificate(FILETYPE_PEM, again) == pem

    def test_der_round_trip(self, cert):
        from cryptography.hazmat.primitives.serialization import Encoding

        der = crypto.dump_certificate(FILETYPE_ASN1, cert)
        assert der == cert.to_cryptography().public_bytes(Encoding.DER)
        again = crypto.load_certificate(FILETYPE_ASN1, der)
        assert crypto.dump_certificate(FILETYPE_ASN1, again) == der

    def test_keywords(self, cert):
        pem = crypto.dump_certificate(type=FILETYPE_PEM, cert=cert)
        again = crypto.load_certificate(type=FILETYPE_PEM, buffer=pem)
        assert again.get_serial_number() == cert.get_serial_number()

    def test_text(self, cert):
        text = crypto.dump_certificate(FILETYPE_TEXT, cert)
        assert text.startswith(b"Certificate:\n")
        assert b"Serial Number: 1 (0x1)" in text
        # 0.13's FILETYPE_TEXT value means the same (3.2 row 2)
        assert crypto.dump_certificate(58, cert) == text

    def test_pem_with_surrounding_text(self, cert):
        pem = crypto.dump_certificate(FILETYPE_PEM, cert)
        again = crypto.load_certificate(FILETYPE_PEM,
                                        b"leading junk\n" + pem + b"tail\n")
        assert crypto.dump_certificate(FILETYPE_PEM, again) == pem

    def test_str_buffer_is_ascii(self, cert):
        pem = crypto.dump_certificate(FILETYPE_PEM, cert)
        again = crypto.load_certificate(FILETYPE_PEM, pem.decode("ascii"))
        assert crypto.dump_certificate(FILETYPE_PEM, again) == pem
        with pytest.raises(UnicodeEncodeError):
            crypto.load_certificate(FILETYPE_PEM, "\u00e9" + pem.decode())

    def test_bytes_like_buffer(self, cert):
        der = crypto.dump_certificate(FILETYPE_ASN1, cert)
        for buf in (bytearray(der), memoryview(der)):
            again = crypto.load_certificate(FILETYPE_ASN1, buf)
            assert crypto.dump_certificate(FILETYPE_ASN1, again) == der

    @pytest.mark.parametrize("bad", [None, 1, 1.0, ["x"]])
    def test_wrong_buffer_type(self, bad):
        with pytest.raises(TypeError):
            crypto.load_certificate(FILETYPE_PEM, bad)

    @pytest.mark.parametrize("filetype", [FILETYPE_TEXT, 58, 0, 3, -1, None,
                                          "PEM", 2**70])
    def test_load_bad_type(self, cert, filetype):
        pem = crypto.dump_certificate(FILETYPE_PEM, cert)
        with pytest.raises(ValueError) as info:
            crypto.load_certificate(filetype, pem)
        assert str(info.value) == (
            "type argument must be FILETYPE_PEM or FILETYPE_ASN1"
        )

    @pytest.mark.parametrize("filetype", [0, 3, 57, 59, None, "PEM"])
    def test_dump_bad_type(self, cert, filetype):
        with pytest.raises(ValueError) as info:
            crypto.dump_certificate(filetype, cert)
        assert str(info.value) == (
            "type argument must be FILETYPE_PEM, FILETYPE_ASN1, or "
            "FILETYPE_TEXT"
        )

    @pytest.mark.parametrize("bad", [None, 1, b"pem", rsa1024()])
    def test_dump_not_a_certificate(self, bad):
        # TypeError (0.13) and AttributeError (23/26) in one (3.1 rule 3)
        with pytest.raises(TypeError):
            crypto.dump_certificate(FILETYPE_PEM, bad)
        with pytest.raises(AttributeError):
            crypto.dump_certificate(FILETYPE_PEM, bad)

    @pytest.mark.parametrize("filetype, data", [
        (FILETYPE_PEM, b"junk"),
        (FILETYPE_PEM, b""),
        (FILETYPE_PEM, b"-----BEGIN CERTIFICATE-----\nAAAA\n"
                       b"-----END CERTIFICATE-----\n"),
        (FILETYPE_ASN1, b"junk"),
        (FILETYPE_ASN1, b""),
        (FILETYPE_ASN1, b"\x30\x82\xff\xff"),
    ])
    def test_load_garbage(self, filetype, data):
        with pytest.raises(Error) as info:
            crypto.load_certificate(filetype, data)
        errors = info.value.args[0]
        # OpenSSL says nothing about empty DER input: Error([]), as in
        # pyOpenSSL.
        assert isinstance(errors, list) and (errors or not data)
        for lib, func, reason in errors:
            assert type(lib) is str and type(reason) is str
            assert func == ""
        assert_queue_empty()

    def test_load_truncated_der(self, cert):
        der = crypto.dump_certificate(FILETYPE_ASN1, cert)
        with pytest.raises(Error):
            crypto.load_certificate(FILETYPE_ASN1, der[:-10])
        assert_queue_empty()

    def test_dump_empty_certificate(self):
        with pytest.raises(Error):
            crypto.dump_certificate(FILETYPE_PEM, X509())
        assert_queue_empty()

    def test_subclass_instance(self, cert):
        class MyCert(X509):
            pass

        mine = MyCert.from_cryptography(cert.to_cryptography())
        assert crypto.dump_certificate(FILETYPE_PEM, mine) == (
            crypto.dump_certificate(FILETYPE_PEM, cert)
        )


# -------------------------------------------------------------------------
# Private keys: formats
# -------------------------------------------------------------------------


class TestPrivateKeyFormats:
    def test_pem_is_pkcs8(self):
        pem = crypto.dump_privatekey(FILETYPE_PEM, rsa1024())
        assert pem.startswith(b"-----BEGIN PRIVATE KEY-----\n")
        key = crypto.load_privatekey(FILETYPE_PEM, pem)
        assert isinstance(key, PKey)
        assert key._only_public is False
        assert same_key(key, rsa1024())

    def test_der(self):
        der = crypto.dump_privatekey(FILETYPE_ASN1, rsa1024())
        assert der[:1] == b"\x30"
        key = crypto.load_privatekey(FILETYPE_ASN1, der)
        assert same_key(key, rsa1024())

    def test_keywords(self):
        pem = crypto.dump_privatekey(type=FILETYPE_PEM, pkey=rsa1024(),
                                     cipher=None, passphrase=None)
        key = crypto.load_privatekey(type=FILETYPE_PEM, buffer=pem,
                                     passphrase=None)
        assert same_key(key, rsa1024())

    @pytest.mark.parametrize("kind", ["rsa", "dsa", "ec", "ed25519",
                                      "ed448"])
    def test_every_key_type(self, kind):
        key = PKey.from_cryptography_key(cached_crypto_key(kind))
        for filetype in (FILETYPE_PEM, FILETYPE_ASN1):
            data = crypto.dump_privatekey(filetype, key)
            again = crypto.load_privatekey(filetype, data)
            assert again.type() == key.type()
            assert same_key(again, key)

    def test_traditional_pem(self):
        from cryptography.hazmat.primitives import serialization

        pem = rsa1024().to_cryptography_key().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
        assert pem.startswith(b"-----BEGIN RSA PRIVATE KEY-----")
        assert same_key(crypto.load_privatekey(FILETYPE_PEM, pem), rsa1024())

    def test_str_buffer(self):
        pem = crypto.dump_privatekey(FILETYPE_PEM, rsa1024())
        key = crypto.load_privatekey(FILETYPE_PEM, pem.decode("ascii"))
        assert same_key(key, rsa1024())

    def test_text(self):
        text = crypto.dump_privatekey(FILETYPE_TEXT, rsa1024())
        assert text.startswith(b"RSA Private-Key: (1024 bit, 2 primes)\n")
        assert b"\nmodulus:\n" in text
        assert b"\npublicExponent: 65537 (0x10001)\n" in text
        assert b"\nprivateExponent:\n" in text
        assert crypto.dump_privatekey(58, rsa1024()) == text

    def test_text_public_only(self):
        pub = self_signed().get_pubkey()
        text = crypto.dump_privatekey(FILETYPE_TEXT, pub)
        assert text.startswith(b"RSA Public-Key: (1024 bit)\nModulus:\n")
        assert b"Exponent: 65537 (0x10001)" in text

    @needs_openssl
    def test_text_is_rsa_print(self, tmp_path):
        # pyOpenSSL prints with RSA_print(): on OpenSSL 3 that is the
        # provider's text form with an "RSA " prefix.
        path = tmp_path / "key.pem"
        path.write_bytes(crypto.dump_privatekey(FILETYPE_PEM, rsa1024()))
        out = openssl("pkey", "-in", str(path), "-text", "-noout").stdout
        assert crypto.dump_privatekey(FILETYPE_TEXT, rsa1024()) == (
            b"RSA " + out
        )

    @pytest.mark.parametrize("kind", ["dsa", "ec", "ed25519"])
    def test_text_only_rsa(self, kind):
        key = PKey.from_cryptography_key(cached_crypto_key(kind))
        with pytest.raises(
            TypeError, match="^Only RSA keys are supported for FILETYPE_TEXT$"
        ):
            crypto.dump_privatekey(FILETYPE_TEXT, key)

    @pytest.mark.parametrize("filetype", [FILETYPE_TEXT, 58, 0, 3, None])
    def test_load_bad_type(self, filetype):
        pem = crypto.dump_privatekey(FILETYPE_PEM, rsa1024())
        with pytest.raises(ValueError) as info:
            crypto.load_privatekey(filetype, pem)
        assert str(info.value) == (
            "type argument must be FILETYPE_PEM or FILETYPE_ASN1"
        )

    @pytest.mark.parametrize("filetype", [0, 3, 57, None])
    def test_dump_bad_type(self, filetype):
        with pytest.raises(ValueError) as info:
            crypto.dump_privatekey(filetype, rsa1024())
        assert str(info.value) == (
            "type argument must be FILETYPE_PEM, FILETYPE_ASN1, or "
            "FILETYPE_TEXT"
        )

    @pytest.mark.parametrize("bad", [None, 1, "key", X509()])
    def test_dump_not_a_key(self, bad):
        with pytest.raises(TypeError) as info:
            crypto.dump_privatekey(FILETYPE_PEM, bad)
        assert str(info.value) == "pkey must be a PKey"

    @pytest.mark.parametrize("filetype", [FILETYPE_PEM, FILETYPE_ASN1])
    def test_dump_public_only(self, filetype):
        pem = crypto.dump_publickey(FILETYPE_PEM, rsa1024())
        with pytest.raises(Error):
            crypto.dump_privatekey(
                filetype, crypto.load_publickey(FILETYPE_PEM, pem)
            )
        assert_queue_empty()
        # get_pubkey() of a certificate that was given the private key is
        # public-only too (OpenSSL caches the whole key; pyOpenSSL 23/26
        # hand the private part back here).
        with pytest.raises(Error):
            crypto.dump_privatekey(filetype, self_signed().get_pubkey())
        assert_queue_empty()

    @pytest.mark.parametrize("filetype", [FILETYPE_PEM, FILETYPE_ASN1])
    def test_dump_uninitialized(self, filetype):
        with pytest.raises(Error):
            crypto.dump_privatekey(filetype, PKey())
        assert_queue_empty()

    @pytest.mark.parametrize("filetype, data", [
        (FILETYPE_PEM, b"junk"), (FILETYPE_PEM, b""),
        (FILETYPE_ASN1, b"junk"), (FILETYPE_ASN1, b""),
    ])
    def test_load_garbage(self, filetype, data):
        with pytest.raises(Error) as info:
            crypto.load_privatekey(filetype, data)
        assert isinstance(info.value.args[0], list)
        assert info.value.args[0] or not data
        assert_queue_empty()

    def test_load_public_key_as_private(self):
        pem = crypto.dump_publickey(FILETYPE_PEM, rsa1024())
        with pytest.raises(Error):
            crypto.load_privatekey(FILETYPE_PEM, pem)
        assert_queue_empty()


# -------------------------------------------------------------------------
# Private keys: encryption and passphrases
# -------------------------------------------------------------------------


class TestPassphrase:
    def test_bytes(self, encrypted):
        assert encrypted.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
        key = crypto.load_privatekey(FILETYPE_PEM, encrypted, b"secret")
        assert same_key(key, rsa1024())

    def test_legacy_encrypted_pem(self):
        key = crypto.load_privatekey(FILETYPE_PEM, ENCRYPTED_KEY_PEM,
                                     ENCRYPTED_KEY_PASSPHRASE)
        assert key.type() == crypto.TYPE_RSA
        assert key.check() is True

    def test_callable(self, encrypted):
        calls = []

        def cb(rwflag):
            calls.append(rwflag)
            return b"secret"

        key = crypto.load_privatekey(FILETYPE_PEM, encrypted, cb)
        assert same_key(key, rsa1024())
        assert calls and set(calls) == {0}

    def test_wrong_passphrase(self, encrypted):
        with pytest.raises(Error) as info:
            crypto.load_privatekey(FILETYPE_PEM, encrypted, b"wrong")
        assert info.value.args[0]
        assert_queue_empty()
        with pytest.raises(Error):
            crypto.load_privatekey(FILETYPE_PEM, encrypted, lambda rw: b"no")
        assert_queue_empty()

    def test_missing_passphrase(self, encrypted):
        with pytest.raises(Error) as info:
            crypto.load_privatekey(FILETYPE_PEM, encrypted)
        assert info.value.args[0]
        assert_queue_empty()
        with pytest.raises(Error):
            crypto.load_privatekey(FILETYPE_PEM, ENCRYPTED_KEY_PEM, None)
        assert_queue_empty()

    def test_empty_passphrase_is_a_passphrase(self, encrypted):
        with pytest.raises(Error):
            crypto.load_privatekey(FILETYPE_PEM, encrypted, b"")
        with pytest.raises(Error):
            crypto.load_privatekey(FILETYPE_PEM, encrypted, lambda rw: b"")
        assert_queue_empty()
        pem = crypto.dump_privatekey(FILETYPE_PEM, rsa1024(), "aes256", b"")
        assert same_key(crypto.load_privatekey(FILETYPE_PEM, pem, b""),
                        rsa1024())

    @pytest.mark.parametrize("result", ["secret", None, 1, bytearray(b"x"),
                                        memoryview(b"secret")])
    def test_callable_returns_non_bytes(self, encrypted, result):
        # 0.13: crypto.Error; 23/26: ValueError (3.2 row 13)
        with pytest.raises(ValueError) as info:
            crypto.load_privatekey(FILETYPE_PEM, encrypted, lambda rw: result)
        assert isinstance(info.value, Error)
        assert info.value.args == ("Bytes expected",)
        assert_queue_empty()

    def test_callable_raises(self, encrypted):
        # the original exception object is re-raised (3.2 row 14)
        problem = ZeroDivisionError("from the callback")

        def cb(rwflag):
            raise problem

        with pytest.raises(ZeroDivisionError) as info:
            crypto.load_privatekey(FILETYPE_PEM, encrypted, cb)
        assert info.value is problem
        assert_queue_empty()

    def test_callable_raises_base_exception(self, encrypted):
        class Stop(BaseException):
            pass

        def cb(rwflag):
            raise Stop()

        with pytest.raises(Stop):
            crypto.load_privatekey(FILETYPE_PEM, encrypted, cb)
        assert_queue_empty()

    def test_callable_wrong_signature(self, encrypted):
        with pytest.raises(TypeError):
            crypto.load_privatekey(FILETYPE_PEM, encrypted, lambda: b"x")
        assert_queue_empty()

    def test_callable_not_called_for_plain_key(self):
        calls = []
        pem = crypto.dump_privatekey(FILETYPE_PEM, rsa1024())
        key = crypto.load_privatekey(
            FILETYPE_PEM, pem, lambda rw: calls.append(rw) or 1 / 0
        )
        assert calls == []
        assert same_key(key, rsa1024())
        assert same_key(crypto.load_privatekey(FILETYPE_PEM, pem, b"unused"),
                        rsa1024())

    @pytest.mark.parametrize("length", [1, 100, 1023, 1024])
    def test_long_passphrases(self, length):
        passphrase = bytes(range(1, 256)) * 5
        passphrase = passphrase[:length]
        pem = crypto.dump_privatekey(FILETYPE_PEM, rsa1024(), "aes128",
                                     passphrase)
        for given in (passphrase, lambda rw: passphrase):
            key = crypto.load_privatekey(FILETYPE_PEM, pem, given)
            assert same_key(key, rsa1024())

    def test_too_long_bytes(self, encrypted):
        with pytest.raises(ValueError) as info:
            crypto.load_privatekey(FILETYPE_PEM, encrypted, b"x" * 1025)
        assert str(info.value) == PASSPHRASE_TOO_LONG
        assert_queue_empty()

    def test_too_long_callable(self, encrypted):
        with pytest.raises(ValueError) as info:
            crypto.load_privatekey(FILETYPE_PEM, encrypted,
                                   lambda rw: b"x" * 1025)
        assert str(info.value) == PASSPHRASE_TOO_LONG
        assert_queue_empty()

    @pytest.mark.parametrize("form", ["bytes", "callable"])
    def test_nul_bytes_used_in_full(self, form):
        # 20.0.0: a NUL in a passphrase neither truncates it nor errors
        full = b"foo\x00bar"
        short = b"foo"
        wrap = (lambda p: p) if form == "bytes" else (lambda p: lambda rw: p)
        pem = crypto.dump_privatekey(FILETYPE_PEM, rsa1024(), "aes256",
                                     wrap(full))
        assert same_key(crypto.load_privatekey(FILETYPE_PEM, pem,
                                               wrap(full)), rsa1024())
        with pytest.raises(Error):
            crypto.load_privatekey(FILETYPE_PEM, pem, wrap(short))
        pem = crypto.dump_privatekey(FILETYPE_PEM, rsa1024(), "aes256",
                                     wrap(short))
        with pytest.raises(Error):
            crypto.load_privatekey(FILETYPE_PEM, pem, wrap(full))
        assert_queue_empty()

    @pytest.mark.parametrize("passphrase", ["secret", 1, 1.5, ["x"],
                                            bytearray(b"secret")])
    def test_wrong_passphrase_type(self, encrypted, passphrase):
        with pytest.raises(TypeError) as info:
            crypto.load_privatekey(FILETYPE_PEM, encrypted, passphrase)
        assert str(info.value) == (
            "Last argument must be a byte string or a callable."
        )

    @pytest.mark.parametrize("filetype", [FILETYPE_ASN1, FILETYPE_TEXT, 58,
                                          3])
    @pytest.mark.parametrize("passphrase", [b"x", lambda rw: b"x", "x"])
    def test_passphrase_needs_pem(self, filetype, passphrase):
        der = crypto.dump_privatekey(FILETYPE_ASN1, rsa1024())
        with pytest.raises(ValueError) as info:
            crypto.load_privatekey(filetype, der, passphrase)
        assert str(info.value) == ONLY_PEM


class TestDumpEncrypted:
    @pytest.mark.parametrize("cipher", ["aes256", "aes-128-cbc",
                                        "AES-256-CBC", "des3", b"aes192"])
    def test_ciphers(self, cipher):
        pem = crypto.dump_privatekey(FILETYPE_PEM, rsa1024(), cipher, b"pw")
        assert pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
        assert same_key(crypto.load_privatekey(FILETYPE_PEM, pem, b"pw"),
                        rsa1024())

    def test_callable_gets_rwflag_1(self):
        calls = []

        def cb(rwflag):
            calls.append(rwflag)
            return b"pw"

        pem = crypto.dump_privatekey(FILETYPE_PEM, rsa1024(), "aes256", cb)
        assert calls == [1]
        assert same_key(crypto.load_privatekey(FILETYPE_PEM, pem, b"pw"),
                        rsa1024())

    def test_keywords(self):
        pem = crypto.dump_privatekey(type=FILETYPE_PEM, pkey=rsa1024(),
                                     cipher="aes256", passphrase=b"kw")
        assert same_key(crypto.load_privatekey(FILETYPE_PEM, pem, b"kw"),
                        rsa1024())

    def test_cipher_without_passphrase(self):
        # 0.13: ValueError; 23/26: TypeError (3.2 row 16)
        for filetype in (FILETYPE_PEM, FILETYPE_ASN1, FILETYPE_TEXT):
            with pytest.raises(TypeError) as info:
                crypto.dump_privatekey(filetype, rsa1024(), "aes256")
            assert isinstance(info.value, ValueError)
            assert str(info.value) == (
                "if a value is given for cipher one must also be given for "
                "passphrase"
            )

    def test_passphrase_without_cipher_is_ignored(self):
        pem = crypto.dump_privatekey(FILETYPE_PEM, rsa1024(), None, b"pw")
        assert pem == crypto.dump_privatekey(FILETYPE_PEM, rsa1024())
        calls = []
        crypto.dump_privatekey(FILETYPE_PEM, rsa1024(), None,
                               lambda rw: calls.append(rw) or b"x")
        assert calls == []

    @pytest.mark.parametrize("cipher", ["zippers", "", "aes256\x00",
                                        b"zippers"])
    def test_unknown_cipher(self, cipher):
        with pytest.raises(ValueError) as info:
            crypto.dump_privatekey(FILETYPE_PEM, rsa1024(), cipher, b"pw")
        assert str(info.value) == "Invalid cipher name"
        assert_queue_empty()

    @pytest.mark.parametrize("filetype", [FILETYPE_ASN1, FILETYPE_TEXT, 58])
    def test_passphrase_needs_pem(self, filetype):
        with pytest.raises(ValueError) as info:
            crypto.dump_privatekey(filetype, rsa1024(), "aes256", b"pw")
        assert str(info.value) == ONLY_PEM
        with pytest.raises(ValueError) as info:
            crypto.dump_privatekey(filetype, rsa1024(), None, b"pw")
        assert str(info.value) == ONLY_PEM

    @pytest.mark.parametrize("passphrase", ["pw", 1, bytearray(b"pw")])
    def test_wrong_passphrase_type(self, passphrase):
        with pytest.raises(TypeError) as info:
            crypto.dump_privatekey(FILETYPE_PEM, rsa1024(), "aes256",
                                   passphrase)
        assert str(info.value) == (
            "Last argument must be a byte string or a callable."
        )

    def test_too_long(self):
        for passphrase in (b"x" * 1025, lambda rw: b"x" * 1025):
            with pytest.raises(ValueError) as info:
                crypto.dump_privatekey(FILETYPE_PEM, rsa1024(), "aes256",
                                       passphrase)
            assert str(info.value) == PASSPHRASE_TOO_LONG
            assert_queue_empty()

    @pytest.mark.parametrize("result", ["pw", None, 0])
    def test_callable_returns_non_bytes(self, result):
        with pytest.raises(ValueError) as info:
            crypto.dump_privatekey(FILETYPE_PEM, rsa1024(), "aes256",
                                   lambda rw: result)
        assert isinstance(info.value, Error)
        assert info.value.args == ("Bytes expected",)
        assert_queue_empty()

    def test_callable_raises(self):
        problem = KeyError("dump")

        def cb(rwflag):
            raise problem

        with pytest.raises(KeyError) as info:
            crypto.dump_privatekey(FILETYPE_PEM, rsa1024(), "aes256", cb)
        assert info.value is problem
        assert_queue_empty()

    def test_callable_regenerates_the_key(self):
        # The callback runs while the key is being written: replacing the
        # PKey's key from there must not pull the EVP_PKEY out from under
        # the write. The old key is written.
        key = PKey()
        key.generate_key(crypto.TYPE_RSA, 1024)
        old = crypto.dump_privatekey(FILETYPE_ASN1, key)

        def cb(rwflag):
            key.generate_key(crypto.TYPE_RSA, 1024)
            return b"pw"

        pem = crypto.dump_privatekey(FILETYPE_PEM, key, "aes256", cb)
        loaded = crypto.load_privatekey(FILETYPE_PEM, pem, b"pw")
        assert crypto.dump_privatekey(FILETYPE_ASN1, loaded) == old
        assert crypto.dump_privatekey(FILETYPE_ASN1, key) != old


# -------------------------------------------------------------------------
# Public keys
# -------------------------------------------------------------------------


class TestPublicKeys:
    @pytest.mark.parametrize("kind", ["rsa", "dsa", "ec", "ed25519",
                                      "ed448"])
    def test_round_trip(self, kind):
        from cryptography.hazmat.primitives import serialization

        ckey = cached_crypto_key(kind)
        key = PKey.from_cryptography_key(ckey)
        expected_pem = ckey.public_key().public_bytes(
            serialization.Encoding.PEM,
            serialization.PublicFormat.SubjectPublicKeyInfo,
        )
        pem = crypto.dump_publickey(FILETYPE_PEM, key)
        assert pem == expected_pem
        der = crypto.dump_publickey(FILETYPE_ASN1, key)
        for filetype, data in ((FILETYPE_PEM, pem), (FILETYPE_ASN1, der)):
            pub = crypto.load_publickey(filetype, data)
            assert isinstance(pub, PKey)
            assert pub._only_public is True
            assert pub.type() == key.type()
            assert crypto.dump_publickey(filetype, pub) == data

    def test_keywords(self):
        pem = crypto.dump_publickey(type=FILETYPE_PEM, pkey=rsa1024())
        pub = crypto.load_publickey(type=FILETYPE_PEM, buffer=pem)
        assert pub.bits() == 1024

    def test_str_buffer(self):
        pem = crypto.dump_publickey(FILETYPE_PEM, rsa1024())
        pub = crypto.load_publickey(FILETYPE_PEM, pem.decode("ascii"))
        assert crypto.dump_publickey(FILETYPE_PEM, pub) == pem

    def test_public_key_cannot_sign(self):
        pub = crypto.load_publickey(
            FILETYPE_PEM, crypto.dump_publickey(FILETYPE_PEM, rsa1024())
        )
        with pytest.raises(ValueError, match="^Key only has public part$"):
            X509().sign(pub, "sha256")

    @pytest.mark.parametrize("filetype", [FILETYPE_TEXT, 58, 0, 3, None])
    def test_bad_type(self, filetype):
        with pytest.raises(ValueError) as info:
            crypto.dump_publickey(filetype, rsa1024())
        assert str(info.value) == (
            "type argument must be FILETYPE_PEM or FILETYPE_ASN1"
        )
        pem = crypto.dump_publickey(FILETYPE_PEM, rsa1024())
        with pytest.raises(ValueError) as info:
            crypto.load_publickey(filetype, pem)
        assert str(info.value) == (
            "type argument must be FILETYPE_PEM or FILETYPE_ASN1"
        )

    @pytest.mark.parametrize("filetype, data", [
        (FILETYPE_PEM, b"junk"), (FILETYPE_ASN1, b"junk"),
        (FILETYPE_PEM, b""), (FILETYPE_ASN1, b"\x30\x00"),
    ])
    def test_load_garbage(self, filetype, data):
        with pytest.raises(Error) as info:
            crypto.load_publickey(filetype, data)
        assert info.value.args[0]
        assert_queue_empty()

    def test_load_private_key_pem_as_public(self):
        pem = crypto.dump_privatekey(FILETYPE_PEM, rsa1024())
        with pytest.raises(Error):
            crypto.load_publickey(FILETYPE_PEM, pem)
        assert_queue_empty()

    @pytest.mark.parametrize("bad", [None, 1, X509()])
    def test_dump_not_a_key(self, bad):
        with pytest.raises(TypeError):
            crypto.dump_publickey(FILETYPE_PEM, bad)
        with pytest.raises(AttributeError):
            crypto.dump_publickey(FILETYPE_PEM, bad)

    def test_dump_uninitialized(self):
        with pytest.raises(Error):
            crypto.dump_publickey(FILETYPE_PEM, PKey())
        assert_queue_empty()

    def test_from_certificate(self):
        cert = self_signed(dsa1024())
        assert crypto.dump_publickey(FILETYPE_PEM, cert.get_pubkey()) == (
            crypto.dump_publickey(FILETYPE_PEM, dsa1024())
        )


def test_error_queue_empty_after_failures(encrypted):
    failing = [
        lambda: crypto.load_certificate(FILETYPE_PEM, b"junk"),
        lambda: crypto.load_certificate(FILETYPE_ASN1, b"junk"),
        lambda: crypto.load_privatekey(FILETYPE_PEM, b"junk"),
        lambda: crypto.load_privatekey(FILETYPE_PEM, encrypted),
        lambda: crypto.load_privatekey(FILETYPE_PEM, encrypted, b"bad"),
        lambda: crypto.load_privatekey(FILETYPE_PEM, encrypted,
                                       lambda rw: "str"),
        lambda: crypto.load_publickey(FILETYPE_PEM, b"junk"),
        lambda: crypto.dump_certificate(FILETYPE_PEM, X509()),
        lambda: crypto.dump_publickey(FILETYPE_PEM, PKey()),
        lambda: crypto.dump_privatekey(FILETYPE_PEM, PKey()),
    ]
    for func in failing:
        with pytest.raises(Error):
            func()
        assert error_queue() == []


def test_passphrase_callbacks_from_many_threads(encrypted):
    """
    Key loads and dumps run without the GIL and take it back in the
    passphrase callback: many threads at once must all get their own
    callback and result.
    """
    import threading

    errors = []

    def work(n):
        try:
            mine = b"thread-%d" % n
            for _ in range(5):
                pem = crypto.dump_privatekey(FILETYPE_PEM, rsa1024(), "aes128",
                                             lambda rw: mine)
                key = crypto.load_privatekey(FILETYPE_PEM, pem,
                                             lambda rw: mine)
                assert same_key(key, rsa1024())
                with pytest.raises(Error):
                    crypto.load_privatekey(FILETYPE_PEM, pem, b"other")
                with pytest.raises(KeyError):
                    crypto.load_privatekey(
                        FILETYPE_PEM, encrypted,
                        lambda rw: (_ for _ in ()).throw(KeyError(n)))
                assert error_queue() == []
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
