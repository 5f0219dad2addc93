"""
Regression tests for defects found in a review of src/crypto: each test
fails on the code before its fix.
"""

import warnings

import pytest

from OpenSSL import crypto
from OpenSSL.crypto import FILETYPE_ASN1, PKey

from crypto_support import error_queue, self_signed


def fresh_rsa():
    key = PKey()
    key.generate_key(crypto.TYPE_RSA, 1024)
    return key


# ---------------------------------------------------------------------------
# CRL.export: the key is read after the md5 DeprecationWarning
# ---------------------------------------------------------------------------


def test_crl_export_key_replaced_by_warning_hook():
    """
    The md5 default warns before signing; a warnings hook that replaces the
    key (generate_key frees the EVP_PKEY the PKey held) must not leave
    export() signing with the freed key: it signs with the key the PKey
    holds when signing happens.
    """
    from cryptography import x509
    key = fresh_rsa()
    cert = self_signed()        # another key: only `key` holds its EVP_PKEY

    def hook(*args, **kwargs):
        key.generate_key(crypto.TYPE_RSA, 1024)

    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = hook
        der = crypto.CRL().export(cert, key, FILETYPE_ASN1)
    # cryptography refuses md5 signatures: check with crypto.verify().
    crl = x509.load_der_x509_crl(der)
    crypto.verify(self_signed(key), crl.signature, crl.tbs_certlist_bytes,
                  "md5")
    assert error_queue() == []


# ---------------------------------------------------------------------------
# Subclasses may give __init__ another signature (API.md 3.1 rule 5)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("base", [
    crypto.X509Req, crypto.CRL, crypto.Revoked, crypto.PKCS7, crypto.PKCS12,
    crypto.NetscapeSPKI,
])
def test_subclass_init_with_its_own_arguments(base):
    """
    As with pyOpenSSL's Python classes (and our X509, PKey, X509Store...),
    the constructor's arguments go to __init__: a subclass whose __init__
    takes other arguments can be instantiated. tp_new used to parse them
    and refused any argument.
    """
    class Sub(base):
        def __init__(self, label, *, extra=None):
            super().__init__()
            self.label = label
            self.extra = extra

    obj = Sub("x", extra=2)
    assert (type(obj), obj.label, obj.extra) == (Sub, "x", 2)
    # The base class still takes no arguments (NetscapeSPKI: enc only).
    with pytest.raises(TypeError):
        base(1, 2)
    with pytest.raises(TypeError):
        base(nope=1)


def test_netscape_spki_subclass_passes_enc_to_init():
    key = fresh_rsa()
    spki = crypto.NetscapeSPKI()
    spki.set_pubkey(key)
    spki.sign(key, "sha256")
    encoded = spki.b64_encode()

    class Sub(crypto.NetscapeSPKI):
        def __init__(self, name, enc):
            super().__init__(enc)
            self.name = name

    sub = Sub("n", encoded)
    assert sub.b64_encode() == encoded
    assert sub.verify(key) is True
    assert crypto.NetscapeSPKI(enc=encoded).b64_encode() == encoded
    with pytest.raises(crypto.Error):
        Sub("n", b"!!!")


# ---------------------------------------------------------------------------
# PKCS12.export: a friendly name with a NUL byte is not cut short
# ---------------------------------------------------------------------------


def test_pkcs12_export_refuses_friendly_name_with_nul():
    """
    PKCS12_create() reads the friendly name as a C string: b"good\\0evil"
    was exported as b"good" without a word (API.md section 4: a NUL must
    never silently shorten a name). export() raises ValueError instead,
    as it does for a passphrase with a NUL byte.
    """
    key = fresh_rsa()
    p12 = crypto.PKCS12()
    p12.set_privatekey(key)
    p12.set_certificate(self_signed(key))
    for name in (b"good\0evil", b"\0", b"trailing\0"):
        p12.set_friendlyname(name)
        with pytest.raises(ValueError, match="NUL"):
            p12.export(b"passphrase")
        assert p12.get_friendlyname() == name
        assert error_queue() == []
    p12.set_friendlyname(b"good")
    loaded = crypto.load_pkcs12(p12.export(b"passphrase"), b"passphrase")
    assert loaded.get_friendlyname() == b"good"


# ---------------------------------------------------------------------------
# A curve name with a NUL byte names no curve
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["prime256v1\0junk", "secp384r1\0",
                                  "secp256r1\0"])
def test_curve_name_with_nul_is_unknown(name):
    """
    The name of a cryptography EllipticCurve (Context.set_tmp_ecdh) went to
    OBJ_txt2nid() as a C string, so "prime256v1\\0junk" silently selected
    prime256v1. It is an unknown curve, as any other unknown name.
    """
    from OpenSSL import SSL

    class Curve:
        pass

    curve = Curve()
    curve.name = name
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(SSL.Error) as info:
        ctx.set_tmp_ecdh(curve)
    assert info.value.args[0] == [
        ("object identifier routines", "", "unknown object name")]
    assert error_queue() == []
    curve.name = name.split("\0")[0]
    ctx.set_tmp_ecdh(curve)
