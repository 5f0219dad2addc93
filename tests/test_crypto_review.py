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
    x509 = pytest.importorskip("cryptography.x509")
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
