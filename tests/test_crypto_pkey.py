"""
OpenSSL.crypto.PKey (API.md 1.9.8, 2.1, 3.1, 3.2 row 9, 4.2 'PKey.check').
"""

import threading
import weakref

import pytest

from OpenSSL import crypto
from OpenSSL.crypto import (
    FILETYPE_ASN1,
    FILETYPE_PEM,
    TYPE_DSA,
    TYPE_RSA,
    Error,
    PKey,
)

from crypto_support import (
    INCONSISTENT_KEY_PEM,
    P_NOT_PRIME_KEY_PEM,
    assert_queue_empty,
    cached_crypto_key,
    dsa1024,
    error_queue,
    rsa1024,
    self_signed,
)

KINDS = ["rsa", "dsa", "ec", "ed25519", "ed448"]
TYPE_IDS = {"rsa": 6, "dsa": 116, "ec": 408, "ed25519": 1087, "ed448": 1088}
BITS = {"rsa": 1024, "dsa": 1024, "ec": 256, "ed25519": 256, "ed448": 456}


def public_der(key):
    from cryptography.hazmat.primitives import serialization

    return key.public_bytes(
        serialization.Encoding.DER,
        serialization.PublicFormat.SubjectPublicKeyInfo,
    )


# -------------------------------------------------------------------------
# Construction, type and bits
# -------------------------------------------------------------------------


class TestConstruction:
    def test_empty_key(self):
        key = PKey()
        assert isinstance(key, PKey)
        assert key.type() == 0
        assert key.bits() == 0
        assert key._initialized is False
        assert key._only_public is False

    def test_takes_no_arguments(self):
        with pytest.raises(TypeError):
            PKey(1)
        with pytest.raises(TypeError):
            PKey(type=TYPE_RSA)

    def test_type_constants(self):
        assert TYPE_RSA == 6
        assert TYPE_DSA == 116
        assert crypto.TYPE_DH == 28
        assert crypto.TYPE_EC == 408

    def test_class_identity(self):
        assert PKey.__module__ == "OpenSSL.crypto"
        assert PKey.__name__ == "PKey"
        assert PKey.__qualname__ == "PKey"
        assert crypto.PKeyType is PKey

    def test_private_handle_exists(self):
        assert PKey()._pkey is not None


class TestGenerateKey:
    def test_rsa(self):
        key = PKey()
        assert key.generate_key(TYPE_RSA, 1024) is None
        assert key.type() == TYPE_RSA
        assert key.bits() == 1024
        assert key._initialized is True
        assert key.check() is True

    def test_rsa_exponent_is_65537(self):
        key = rsa1024().to_cryptography_key()
        assert key.public_key().public_numbers().e == 65537

    def test_dsa(self):
        key = dsa1024()
        assert key.type() == TYPE_DSA
        assert key.bits() == 1024
        with pytest.raises(TypeError, match="Only RSA keys"):
            key.check()

    def test_dsa_below_2048_uses_160_bit_q(self):
        # pyOpenSSL's DSA_generate_parameters_ex() gives FIPS 186-2 style
        # parameters below 2048 bits.
        numbers = dsa1024().to_cryptography_key().parameters()
        assert numbers.parameter_numbers().q.bit_length() == 160

    def test_dsa_2048_uses_256_bit_q(self):
        # ... and FIPS 186-4 with a 256-bit q from 2048 bits on (the
        # provider's own default would be 224).
        key = PKey()
        key.generate_key(TYPE_DSA, 2048)
        assert key.bits() == 2048
        numbers = key.to_cryptography_key().parameters()
        assert numbers.parameter_numbers().q.bit_length() == 256

    @pytest.mark.parametrize("bits", [256, 511])
    def test_dsa_too_small(self, bits):
        with pytest.raises(Error):
            PKey().generate_key(TYPE_DSA, bits)
        assert_queue_empty()

    def test_keywords(self):
        key = PKey()
        key.generate_key(type=TYPE_RSA, bits=1024)
        assert key.bits() == 1024

    def test_regeneration_replaces_key(self):
        key = PKey()
        key.generate_key(TYPE_RSA, 1024)
        first = crypto.dump_publickey(FILETYPE_PEM, key)
        key.generate_key(TYPE_DSA, 512)
        assert key.type() == TYPE_DSA
        assert key.bits() == 512
        assert crypto.dump_publickey(FILETYPE_PEM, key) != first

    def test_regenerating_a_public_key_gives_a_private_key(self):
        pub = rsa1024().to_cryptography_key().public_key()
        key = PKey.from_cryptography_key(pub)
        key.generate_key(TYPE_RSA, 1024)
        assert key._only_public is False
        self_signed(key)  # can sign now

    @pytest.mark.parametrize("args", [("foo", 1024), (TYPE_RSA, "bar"),
                                      (TYPE_RSA, 1024.0), (TYPE_RSA, None),
                                      (None, 1024)])
    def test_non_int_arguments(self, args):
        with pytest.raises(TypeError):
            PKey().generate_key(*args)

    def test_messages_for_non_int(self):
        with pytest.raises(TypeError, match="^type must be an integer$"):
            PKey().generate_key("foo", 1)
        with pytest.raises(TypeError, match="^bits must be an integer$"):
            PKey().generate_key(TYPE_RSA, "1")

    def test_unknown_type(self):
        with pytest.raises(Error) as info:
            PKey().generate_key(-1, 0)
        # A plain string payload, not a list (API.md 2.1).
        assert info.value.args == ("No such key type",)
        assert_queue_empty()
        with pytest.raises(Error):
            PKey().generate_key(crypto.TYPE_EC, 256)

    @pytest.mark.parametrize("bits", [0, -1, -(2**40)])
    def test_rsa_bad_bits(self, bits):
        with pytest.raises(ValueError, match="Invalid number of bits"):
            PKey().generate_key(TYPE_RSA, bits)
        assert_queue_empty()

    @pytest.mark.parametrize("bits", [0, -1])
    def test_dsa_bad_bits_is_error(self, bits):
        with pytest.raises(Error) as info:
            PKey().generate_key(TYPE_DSA, bits)
        assert isinstance(info.value.args[0], list)
        assert_queue_empty()

    def test_rsa_too_small_is_error(self):
        with pytest.raises(Error) as info:
            PKey().generate_key(TYPE_RSA, 256)
        assert info.value.args[0]
        assert all(len(t) == 3 for t in info.value.args[0])
        assert_queue_empty()

    @pytest.mark.parametrize("bits", [2**31, 2**40, 2**70])
    def test_bits_out_of_c_int_range(self, bits):
        with pytest.raises(OverflowError):
            PKey().generate_key(TYPE_RSA, bits)

    def test_failed_generation_leaves_key_alone(self):
        key = PKey()
        key.generate_key(TYPE_RSA, 1024)
        pem = crypto.dump_privatekey(FILETYPE_PEM, key)
        with pytest.raises(Error):
            key.generate_key(TYPE_RSA, 256)
        assert crypto.dump_privatekey(FILETYPE_PEM, key) == pem

    def test_other_threads_run_during_generation(self):
        # The GIL is released while the key is generated.
        done = threading.Event()
        counter = []

        def spin():
            while not done.is_set():
                counter.append(1)
                if len(counter) > 10**6:
                    break

        t = threading.Thread(target=spin)
        t.start()
        try:
            for _ in range(3):
                PKey().generate_key(TYPE_RSA, 2048)
        finally:
            done.set()
            t.join()
        assert counter


# -------------------------------------------------------------------------
# check()
# -------------------------------------------------------------------------


class TestCheck:
    def test_good_key(self):
        assert rsa1024().check() is True

    def test_inconsistent_key(self):
        key = crypto.load_privatekey(FILETYPE_PEM, INCONSISTENT_KEY_PEM)
        with pytest.raises(Error) as info:
            key.check()
        assert info.value.args[0]
        assert_queue_empty()

    def test_p_not_prime(self):
        with pytest.raises(Error):
            crypto.load_privatekey(FILETYPE_PEM, P_NOT_PRIME_KEY_PEM).check()
        assert_queue_empty()

    def test_public_only(self):
        pub = self_signed().get_pubkey()
        with pytest.raises(TypeError, match="^public key only$"):
            pub.check()

    def test_public_only_from_load_publickey(self):
        pem = crypto.dump_publickey(FILETYPE_PEM, rsa1024())
        with pytest.raises(TypeError, match="public key only"):
            crypto.load_publickey(FILETYPE_PEM, pem).check()

    def test_not_rsa(self):
        with pytest.raises(
            TypeError, match=r"^Only RSA keys can currently be checked\.$"
        ):
            dsa1024().check()

    def test_uninitialized(self):
        with pytest.raises(TypeError):
            PKey().check()


# -------------------------------------------------------------------------
# Key types loaded from files and from cryptography
# -------------------------------------------------------------------------


class TestKeyTypes:
    @pytest.mark.parametrize("kind", KINDS)
    def test_type_and_bits(self, kind):
        key = PKey.from_cryptography_key(cached_crypto_key(kind))
        assert key.type() == TYPE_IDS[kind]
        assert key.bits() == BITS[kind]

    def test_ec_is_type_ec(self):
        key = PKey.from_cryptography_key(cached_crypto_key("ec"))
        assert key.type() == crypto.TYPE_EC

    # cryptography 50 deprecates finite-field DH; the key is only a fixture.
    @pytest.mark.filterwarnings("ignore:Diffie-Hellman over finite fields")
    def test_dh_key(self):
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import dh

        params = dh.generate_parameters(2, 512)
        der = params.generate_private_key().private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        key = crypto.load_privatekey(FILETYPE_ASN1, der)
        assert key.type() == crypto.TYPE_DH
        assert key.bits() == 512
        # cryptography DH keys are not a supported conversion source
        with pytest.raises(TypeError, match="Unsupported key type"):
            PKey.from_cryptography_key(params.generate_private_key())
        # a DH key cannot sign
        cert = crypto.X509()
        with pytest.raises(Error):
            cert.sign(key, "sha256")
        assert_queue_empty()


# -------------------------------------------------------------------------
# cryptography conversions
# -------------------------------------------------------------------------


class TestCryptographyConversion:
    @pytest.mark.parametrize("kind", KINDS)
    def test_private_round_trip(self, kind):
        ckey = cached_crypto_key(kind)
        key = PKey.from_cryptography_key(ckey)
        assert isinstance(key, PKey)
        assert key._only_public is False
        assert key._initialized is True
        back = key.to_cryptography_key()
        assert type(back) is type(ckey) or isinstance(
            back, type(ckey).__mro__[1]
        )
        assert public_der(back.public_key()) == public_der(ckey.public_key())

    @pytest.mark.parametrize("kind", KINDS)
    def test_public_round_trip(self, kind):
        cpub = cached_crypto_key(kind).public_key()
        key = PKey.from_cryptography_key(cpub)
        assert key._only_public is True
        assert key._initialized is True
        back = key.to_cryptography_key()
        assert public_der(back) == public_der(cpub)
        assert not hasattr(back, "private_bytes")

    @pytest.mark.parametrize("kind", KINDS)
    def test_private_keys_can_sign_certificates(self, kind):
        key = PKey.from_cryptography_key(cached_crypto_key(kind))
        cert = self_signed(key)
        ccert = cert.to_cryptography()
        assert public_der(ccert.public_key()) == public_der(
            cached_crypto_key(kind).public_key()
        )

    @pytest.mark.parametrize("kind", KINDS)
    def test_public_keys_cannot_sign(self, kind):
        key = PKey.from_cryptography_key(cached_crypto_key(kind).public_key())
        with pytest.raises(ValueError, match="^Key only has public part$"):
            self_signed(key)

    def test_conversions_are_copies(self):
        key = PKey()
        key.generate_key(TYPE_RSA, 1024)
        ckey = key.to_cryptography_key()
        key.generate_key(TYPE_RSA, 1024)
        assert public_der(ckey.public_key()) != public_der(
            key.to_cryptography_key().public_key()
        )

    def test_generated_key_round_trip(self):
        key = rsa1024()
        ckey = key.to_cryptography_key()
        again = PKey.from_cryptography_key(ckey)
        assert crypto.dump_privatekey(FILETYPE_ASN1, again) == (
            crypto.dump_privatekey(FILETYPE_ASN1, key)
        )

    def test_public_from_certificate(self):
        cert = self_signed()
        ckey = cert.get_pubkey().to_cryptography_key()
        assert public_der(ckey) == public_der(
            rsa1024().to_cryptography_key().public_key()
        )

    @pytest.mark.parametrize("kind", ["x25519", "x448", "object", "pkey"])
    def test_unsupported(self, kind):
        if kind == "x25519":
            from cryptography.hazmat.primitives.asymmetric import x25519

            obj = x25519.X25519PrivateKey.generate()
        elif kind == "x448":
            from cryptography.hazmat.primitives.asymmetric import x448

            obj = x448.X448PrivateKey.generate()
        elif kind == "object":
            obj = object()
        else:
            obj = rsa1024()  # a PKey is not a cryptography key
        with pytest.raises(TypeError, match="^Unsupported key type$"):
            PKey.from_cryptography_key(obj)

    def test_keyword(self):
        key = PKey.from_cryptography_key(crypto_key=cached_crypto_key("ec"))
        assert key.type() == crypto.TYPE_EC

    def test_subclass_classmethod(self):
        class MyKey(PKey):
            pass

        key = MyKey.from_cryptography_key(cached_crypto_key("rsa"))
        assert isinstance(key, PKey)
        assert key.bits() == 1024

    def test_uninitialized_to_cryptography(self):
        with pytest.raises(Error):
            PKey().to_cryptography_key()
        assert_queue_empty()


# -------------------------------------------------------------------------
# Object model (API.md 3.1 rule 5)
# -------------------------------------------------------------------------


class TestObjectModel:
    def test_weakref(self):
        key = PKey()
        ref = weakref.ref(key)
        assert ref() is key
        del key
        assert ref() is None

    def test_no_instance_dict_on_base(self):
        with pytest.raises(AttributeError):
            PKey().foo = 1

    def test_subclass(self):
        class MyKey(PKey):
            def __init__(self, label):
                super().__init__()
                self.label = label

        key = MyKey("x")
        assert key.label == "x"
        key.generate_key(TYPE_RSA, 1024)
        assert key.bits() == 1024
        assert weakref.ref(key)() is key
        self_signed(key)

    def test_subclass_without_init_call(self):
        class MyKey(PKey):
            def __init__(self):
                pass

        key = MyKey()
        assert key.type() == 0
        with pytest.raises(ValueError, match="^Key is uninitialized$"):
            crypto.X509().sign(key, "sha256")
        with pytest.raises(Error):
            crypto.X509().set_pubkey(key)
        assert_queue_empty()

    def test_repr_names_class(self):
        assert "OpenSSL.crypto.PKey" in repr(PKey())


def test_error_queue_empty_after_failures():
    for func in [
        lambda: PKey().generate_key(TYPE_RSA, 16),
        lambda: PKey().generate_key(99, 1024),
        lambda: crypto.load_privatekey(FILETYPE_PEM, INCONSISTENT_KEY_PEM)
        .check(),
        lambda: PKey().to_cryptography_key(),
    ]:
        with pytest.raises(Error):
            func()
        assert error_queue() == []
