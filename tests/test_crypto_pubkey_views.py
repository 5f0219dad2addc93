"""
get_pubkey() hands out the public key only, whatever was given to
set_pubkey(): after set_pubkey(private_key) OpenSSL keeps, and its
get-pubkey calls return, the whole key, private part included.
"""

import pytest

from OpenSSL import crypto


def _holders():
    req = crypto.X509Req()
    spki = crypto.NetscapeSPKI()
    return [crypto.X509(), req, spki]


@pytest.mark.parametrize("holder", _holders(),
                         ids=lambda h: type(h).__name__)
def test_get_pubkey_after_set_pubkey_of_a_private_key(holder, rsa_key):
    holder.set_pubkey(rsa_key)
    pub = holder.get_pubkey()
    assert pub._only_public is True
    assert crypto.dump_publickey(crypto.FILETYPE_ASN1, pub) == (
        crypto.dump_publickey(crypto.FILETYPE_ASN1, rsa_key))
    # There is no private part to export, or to sign with.
    with pytest.raises(crypto.Error):
        crypto.dump_privatekey(crypto.FILETYPE_ASN1, pub)
    with pytest.raises(ValueError):
        crypto.X509().sign(pub, "sha256")
