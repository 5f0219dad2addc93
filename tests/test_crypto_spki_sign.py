"""
NetscapeSPKI and the module functions sign() and verify() (API.md 1.8,
1.9.11; 3.2 rows 7, 9, 30; section 4: the signature buffer is sized from
the key, sign/verify use the whole of data, NetscapeSPKI.verify raises on
failure). Expected values and messages are pyOpenSSL 23.0.0's.
"""

import os
import subprocess
import warnings
import weakref

import pytest

from OpenSSL import crypto
from OpenSSL.crypto import (
    FILETYPE_PEM,
    Error,
    NetscapeSPKI,
    PKey,
    X509,
    sign,
    verify,
)

import pki
from external import OPENSSL, needs_openssl, openssl

DATA_DIR = os.path.join(os.path.dirname(__file__), "data")


def public_only(key):
    return crypto.load_publickey(
        FILETYPE_PEM, crypto.dump_publickey(FILETYPE_PEM, key))


def from_cryptography(private_key):
    return PKey.from_cryptography_key(private_key)


@pytest.fixture(scope="module")
def keys():
    """One key of each kind that can sign, with a self-signed certificate."""
    from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519

    with open(os.path.join(DATA_DIR, "rsa8192.pem"), "rb") as f:
        rsa8192 = crypto.load_privatekey(FILETYPE_PEM, f.read())
    result = {
        "rsa1024": pki.make_key(1024),
        "rsa2048": pki.make_key(2048),
        "rsa8192": rsa8192,
        "dsa": pki.make_key(2048, crypto.TYPE_DSA),
        "p256": from_cryptography(ec.generate_private_key(ec.SECP256R1())),
        "p521": from_cryptography(ec.generate_private_key(ec.SECP521R1())),
        "ed25519": from_cryptography(ed25519.Ed25519PrivateKey.generate()),
        "ed448": from_cryptography(ed448.Ed448PrivateKey.generate()),
    }
    return {name: (key, pki.make_cert(key, name))
            for name, key in result.items()}


# ---------------------------------------------------------------------------
# NetscapeSPKI
# ---------------------------------------------------------------------------


class TestNetscapeSPKI:
    def test_names(self):
        assert crypto.NetscapeSPKIType is NetscapeSPKI
        assert NetscapeSPKI.__module__ == "OpenSSL.crypto"
        assert "NetscapeSPKI" in crypto.__all__
        assert "NetscapeSPKIType" in crypto.__all__

    def test_sign_verify(self, rsa_key):
        spki = NetscapeSPKI()
        assert spki.set_pubkey(rsa_key) is None
        assert spki.sign(rsa_key, "sha256") is None
        assert spki.verify(rsa_key) is True
        assert spki.verify(public_only(rsa_key)) is True
        assert spki.sign(pkey=rsa_key, digest="sha512") is None
        assert spki.verify(key=rsa_key) is True

    def test_verify_failure_raises(self, rsa_key, ca):
        # Section 4.2: a bad signature is an Error, never a falsy result.
        spki = NetscapeSPKI()
        spki.set_pubkey(rsa_key)
        spki.sign(rsa_key, "sha256")
        with pytest.raises(Error) as info:
            spki.verify(ca[0])
        assert info.value.args[0]
        assert all(len(entry) == 3 for entry in info.value.args[0])

    def test_b64_round_trip(self, rsa_key, ca):
        spki = NetscapeSPKI()
        spki.set_pubkey(rsa_key)
        spki.sign(rsa_key, "sha256")
        encoded = spki.b64_encode()
        assert type(encoded) is bytes
        for enc in (encoded, encoded.decode("ascii"), bytearray(encoded)):
            again = NetscapeSPKI(enc)
            assert again.b64_encode() == encoded
            assert again.verify(rsa_key) is True
            with pytest.raises(Error):
                again.verify(ca[0])
        assert NetscapeSPKI(enc=encoded).b64_encode() == encoded
        # None: an empty SPKI, as NetscapeSPKI().
        for empty in (NetscapeSPKI(None), NetscapeSPKI(enc=None)):
            with pytest.raises(Error):
                empty.b64_encode()

    def test_get_pubkey(self, rsa_key):
        spki = NetscapeSPKI()
        spki.set_pubkey(rsa_key)
        pub = spki.get_pubkey()
        assert type(pub) is PKey
        assert pub.bits() == rsa_key.bits()
        assert crypto.dump_publickey(FILETYPE_PEM, pub) == \
            crypto.dump_publickey(FILETYPE_PEM, rsa_key)
        # public-only
        with pytest.raises(ValueError) as info:
            spki.sign(pub, "sha256")
        assert str(info.value) == "Key has only public part"
        with pytest.raises(TypeError):
            pub.check()

    def test_sign_errors(self, rsa_key):
        spki = NetscapeSPKI()
        spki.set_pubkey(rsa_key)
        with pytest.raises(ValueError) as info:
            spki.sign(public_only(rsa_key), "sha256")
        assert str(info.value) == "Key has only public part"
        with pytest.raises(ValueError) as info:
            spki.sign(PKey(), "sha256")
        assert str(info.value) == "Key is uninitialized"
        with pytest.raises(ValueError) as info:
            spki.sign(rsa_key, "no-such-digest")
        assert str(info.value) == "No such digest method"
        # 23.0: AttributeError; 0.13: TypeError (3.1 rule 3).
        for bad in ("key", None, 1):
            with pytest.raises(TypeError):
                spki.sign(bad, "sha256")
            with pytest.raises(AttributeError):
                spki.sign(bad, "sha256")
        with pytest.raises(TypeError):
            spki.sign(rsa_key)

    def test_wrong_argument_types(self, rsa_key):
        spki = NetscapeSPKI()
        for method in (spki.verify, spki.set_pubkey):
            for bad in ("key", None, X509()):
                with pytest.raises(TypeError):
                    method(bad)
                with pytest.raises(AttributeError):
                    method(bad)

    def test_empty(self, rsa_key):
        spki = NetscapeSPKI()
        with pytest.raises(Error):
            spki.b64_encode()
        with pytest.raises(Error):
            spki.get_pubkey()
        with pytest.raises(Error):
            spki.verify(rsa_key)
        # Signing needs a public key in the SPKI.
        with pytest.raises(Error):
            spki.sign(rsa_key, "sha256")
        with pytest.raises(Error):
            spki.set_pubkey(PKey())

    def test_error_queue_left_empty(self, rsa_key):
        with pytest.raises(Error):
            NetscapeSPKI().b64_encode()
        with pytest.raises(Error) as info:
            crypto.load_certificate(FILETYPE_PEM, b"nothing")
        assert info.value.args == ([("PEM routines", "", "no start line")],)

    @pytest.mark.parametrize("enc", [
        b"abc", "abc", b"!!!!", b"", "", b"TUlJ", b"\0\0\0\0", "\u00e9" * 4,
        b"A" * 1000, b"MII" + b"A" * 10,
    ])
    def test_bad_enc(self, enc):
        if isinstance(enc, str) and not enc.isascii():
            with pytest.raises(UnicodeEncodeError):
                NetscapeSPKI(enc)
        else:
            with pytest.raises(Error):
                NetscapeSPKI(enc)

    def test_truncated_enc(self, rsa_key):
        spki = NetscapeSPKI()
        spki.set_pubkey(rsa_key)
        spki.sign(rsa_key, "sha256")
        encoded = spki.b64_encode()
        for n in range(4, len(encoded) - 4, 37):
            with pytest.raises(Error):
                NetscapeSPKI(encoded[:n])

    def test_enc_types(self):
        for bad in (1, 1.5, ["x"]):
            with pytest.raises(TypeError):
                NetscapeSPKI(bad)
        with pytest.raises(TypeError):
            NetscapeSPKI(b"a", b"b")

    @pytest.mark.parametrize("name", ["ed25519", "ed448", "p256", "dsa"])
    def test_other_key_types(self, keys, name):
        key = keys[name][0]
        spki = NetscapeSPKI()
        spki.set_pubkey(key)
        spki.sign(key, "sha256")
        assert spki.verify(key) is True
        again = NetscapeSPKI(spki.b64_encode())
        assert again.verify(public_only(key)) is True

    @needs_openssl
    def test_reads_openssl_spkac(self, tmp_path, server):
        key, _ = server
        path = tmp_path / "key.pem"
        path.write_bytes(crypto.dump_privatekey(FILETYPE_PEM, key))
        out = openssl("spkac", "-key", str(path), "-challenge", "hello",
                      "-digest", "sha256").stdout
        assert out.startswith(b"SPKAC=")
        spki = NetscapeSPKI(out[len(b"SPKAC="):].strip())
        assert spki.verify(key) is True
        assert crypto.dump_publickey(FILETYPE_PEM, spki.get_pubkey()) == \
            crypto.dump_publickey(FILETYPE_PEM, key)

    @needs_openssl
    def test_openssl_verifies_ours(self, tmp_path, server, ca):
        key, _ = server
        spki = NetscapeSPKI()
        spki.set_pubkey(key)
        spki.sign(key, "sha256")
        path = tmp_path / "spkac.txt"
        path.write_bytes(b"SPKAC=" + spki.b64_encode() + b"\n")
        result = openssl("spkac", "-in", str(path), "-verify", "-noout")
        assert b"Signature OK" in result.stdout + result.stderr
        # A signature by another key fails in the tool too.
        spki.sign(ca[0], "sha256")
        path.write_bytes(b"SPKAC=" + spki.b64_encode() + b"\n")
        result = subprocess.run(
            [OPENSSL, "spkac", "-in", str(path), "-verify", "-noout"],
            capture_output=True)
        assert b"Signature OK" not in result.stdout + result.stderr

    def test_subclass_and_weakref(self, rsa_key):
        class Sub(NetscapeSPKI):
            pass

        s = Sub()
        s.attr = 1
        s.set_pubkey(rsa_key)
        s.sign(rsa_key, "sha256")
        assert s.verify(rsa_key) is True
        ref = weakref.ref(s)
        del s
        assert ref() is None


# ---------------------------------------------------------------------------
# sign and verify
# ---------------------------------------------------------------------------


class TestSignVerify:
    def test_names(self):
        for name in ("sign", "verify"):
            assert name in crypto.__all__
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            crypto.sign
            crypto.verify

    @pytest.mark.parametrize("name", ["rsa1024", "rsa2048", "rsa8192", "dsa",
                                      "p256", "p521", "ed25519", "ed448"])
    def test_round_trip(self, keys, name):
        key, cert = keys[name]
        data = b"the data\0with a NUL\0" * 3
        signature = sign(key, data, "sha256")
        assert type(signature) is bytes
        assert 0 < len(signature) <= 1024
        assert verify(cert, signature, data, "sha256") is None
        # The whole of data is signed: a prefix up to a NUL is not it.
        with pytest.raises(Error):
            verify(cert, signature, b"the data", "sha256")
        with pytest.raises(Error):
            verify(cert, signature, data + b"\0", "sha256")
        with pytest.raises(Error):
            verify(cert, signature, data[:-1], "sha256")

    def test_rsa_signature_size_from_key(self, keys):
        # 0.13 had a fixed 512-byte buffer; 8192-bit keys need 1024.
        for name, size in (("rsa1024", 128), ("rsa2048", 256),
                           ("rsa8192", 1024)):
            key, _ = keys[name]
            assert len(sign(key, b"x", "sha256")) == size

    @pytest.mark.parametrize("digest", ["sha1", "sha224", "sha256", "sha384",
                                        "sha512", "md5", "SHA256",
                                        b"sha256"])
    def test_digests(self, server, digest):
        key, cert = server
        signature = sign(key, b"data", digest)
        verify(cert, signature, b"data", digest)
        other = "sha512" if digest not in ("sha512",) else "sha256"
        with pytest.raises(Error):
            verify(cert, signature, b"data", other)

    def test_rsa_is_deterministic(self, server):
        key, _ = server
        assert sign(key, b"abc", "sha256") == sign(key, b"abc", "sha256")

    def test_ed_keys_ignore_digest(self, keys):
        # Ed25519/Ed448 sign the whole message; the digest name is still
        # checked.
        key, cert = keys["ed25519"]
        signature = sign(key, b"data", "sha256")
        assert len(signature) == 64
        assert sign(key, b"data", "sha512") == signature
        verify(cert, signature, b"data", "md5")
        with pytest.raises(ValueError):
            sign(key, b"data", "nope")
        with pytest.raises(ValueError):
            verify(cert, signature, b"data", "nope")

    def test_unknown_digest(self, server):
        key, cert = server
        with pytest.raises(ValueError) as info:
            sign(key, b"data", "no-such-digest")
        assert str(info.value) == "No such digest method"
        with pytest.raises(ValueError) as info:
            verify(cert, b"sig", b"data", "no-such-digest")
        assert str(info.value) == "No such digest method"

    def test_wrong_signature(self, server, client):
        key, cert = server
        signature = sign(key, b"data", "sha256")
        with pytest.raises(Error) as info:
            verify(cert, signature[:-1] + bytes([signature[-1] ^ 1]),
                   b"data", "sha256")
        assert info.value.args[0]
        with pytest.raises(Error):
            verify(cert, b"", b"data", "sha256")
        with pytest.raises(Error):
            verify(cert, signature + b"x", b"data", "sha256")
        with pytest.raises(Error):
            verify(client[1], signature, b"data", "sha256")
        with pytest.raises(Error) as info:
            verify(cert, signature, b"other", "sha256")
        assert info.value.args == ([
            ("rsa routines", "", "bad signature"),
            ("Provider routines", "", "RSA lib"),
        ],)

    @pytest.mark.parametrize("name", ["dsa", "p256", "ed25519"])
    def test_wrong_signature_other_keys(self, keys, name):
        key, cert = keys[name]
        signature = sign(key, b"data", "sha256")
        for bad in (b"", b"\0" * len(signature), signature[:-2],
                    signature[::-1]):
            with pytest.raises(Error):
                verify(cert, bad, b"data", "sha256")
        other_key, other_cert = keys["p521" if name != "p521" else "p256"]
        with pytest.raises(Error):
            verify(other_cert, signature, b"data", "sha256")

    def test_str_data_warns(self, server):
        key, cert = server
        with pytest.warns(DeprecationWarning) as record:
            signature = sign(key, "d\u00e4ta", "sha256")
        assert str(record[0].message) == (
            "str for data is no longer accepted, use bytes")
        assert signature == sign(key, "d\u00e4ta".encode("utf-8"), "sha256")
        with pytest.warns(DeprecationWarning) as record:
            verify(cert, signature, "d\u00e4ta", "sha256")
        assert str(record[0].message) == (
            "str for data is no longer accepted, use bytes")

    def test_bytes_data_does_not_warn(self, server):
        key, cert = server
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            verify(cert, sign(key, b"data", "sha256"), b"data", "sha256")

    def test_keywords(self, server):
        key, cert = server
        signature = sign(pkey=key, data=b"d", digest="sha256")
        assert verify(cert=cert, signature=signature, data=b"d",
                      digest="sha256") is None

    def test_wrong_argument_types(self, server):
        key, cert = server
        signature = sign(key, b"data", "sha256")
        for bad in ("key", None, cert):
            with pytest.raises(TypeError):
                sign(bad, b"data", "sha256")
            with pytest.raises(AttributeError):
                sign(bad, b"data", "sha256")
        for bad in ("cert", None, key):
            with pytest.raises(TypeError):
                verify(bad, signature, b"data", "sha256")
            with pytest.raises(AttributeError):
                verify(bad, signature, b"data", "sha256")
        for bad in (1, None, bytearray(b"data"), memoryview(b"data")):
            with pytest.raises(TypeError):
                sign(key, bad, "sha256")
            with pytest.raises(TypeError):
                verify(cert, signature, bad, "sha256")
        for bad in ("sig", None, bytearray(signature), 1):
            with pytest.raises(TypeError):
                verify(cert, bad, b"data", "sha256")
        with pytest.raises(TypeError):
            sign(key, b"data", None)
        with pytest.raises(TypeError):
            sign(key, b"data")

    def test_public_only_and_uninitialized_keys(self, server):
        key, cert = server
        # pyOpenSSL 23.0 lets OpenSSL refuse these: crypto.Error.
        with pytest.raises(Error) as info:
            sign(public_only(key), b"data", "sha256")
        assert info.value.args == ([
            ("rsa routines", "", "missing private key"),
            ("Provider routines", "", "RSA lib"),
        ],)
        with pytest.raises(Error):
            sign(PKey(), b"data", "sha256")

    def test_certificate_without_key(self, server):
        key, _ = server
        signature = sign(key, b"data", "sha256")
        # Error in 23.0, ValueError in 0.13: both.
        with pytest.raises(Error) as info:
            verify(X509(), signature, b"data", "sha256")
        assert isinstance(info.value, ValueError)

    def test_large_data(self, server):
        key, cert = server
        data = os.urandom(3 * 1024 * 1024 + 7)
        signature = sign(key, data, "sha256")
        verify(cert, signature, data, "sha256")
        with pytest.raises(Error):
            verify(cert, signature, data[:-1], "sha256")

    def test_empty_data(self, keys):
        for name in ("rsa2048", "p256", "ed25519"):
            key, cert = keys[name]
            verify(cert, sign(key, b"", "sha256"), b"", "sha256")

    def test_error_queue_left_empty(self, server):
        key, cert = server
        with pytest.raises(Error):
            verify(cert, b"bad", b"data", "sha256")
        with pytest.raises(Error) as info:
            crypto.load_certificate(FILETYPE_PEM, b"nothing")
        assert info.value.args == ([("PEM routines", "", "no start line")],)

    def test_generate_key_while_signing(self, server):
        # sign() works on its own reference to the key, so replacing the
        # PKey's key meanwhile (another thread) cannot free it under it.
        import threading

        key = pki.make_key(1024)
        stop = threading.Event()

        def regenerate():
            while not stop.is_set():
                key.generate_key(crypto.TYPE_RSA, 1024)

        thread = threading.Thread(target=regenerate)
        thread.start()
        try:
            for _ in range(50):
                assert len(sign(key, b"data" * 1000, "sha256")) == 128
        finally:
            stop.set()
            thread.join()

    @needs_openssl
    @pytest.mark.parametrize("name", ["rsa2048", "rsa8192", "p256", "dsa"])
    def test_openssl_interop(self, tmp_path, keys, name):
        key, cert = keys[name]
        key_path = tmp_path / "key.pem"
        key_path.write_bytes(crypto.dump_privatekey(FILETYPE_PEM, key))
        pub_path = tmp_path / "pub.pem"
        pub_path.write_bytes(crypto.dump_publickey(FILETYPE_PEM, key))
        data_path = tmp_path / "data"
        data = b"interop\0data" * 100
        data_path.write_bytes(data)
        sig_path = tmp_path / "sig"
        # ours -> openssl
        sig_path.write_bytes(sign(key, data, "sha256"))
        result = openssl("dgst", "-sha256", "-verify", str(pub_path),
                         "-signature", str(sig_path), str(data_path))
        assert b"Verified OK" in result.stdout
        # openssl -> ours
        openssl("dgst", "-sha256", "-sign", str(key_path), "-out",
                str(sig_path), str(data_path))
        theirs = sig_path.read_bytes()
        verify(cert, theirs, data, "sha256")
        if name.startswith("rsa"):
            assert theirs == sign(key, data, "sha256")

    @needs_openssl
    def test_openssl_interop_ed25519(self, tmp_path, keys):
        key, cert = keys["ed25519"]
        key_path = tmp_path / "key.pem"
        key_path.write_bytes(crypto.dump_privatekey(FILETYPE_PEM, key))
        data_path = tmp_path / "data"
        data_path.write_bytes(b"ed\0data")
        sig = openssl("pkeyutl", "-sign", "-rawin", "-inkey", str(key_path),
                      "-in", str(data_path)).stdout
        assert sig == sign(key, b"ed\0data", "sha256")
        verify(cert, sig, b"ed\0data", "sha256")
