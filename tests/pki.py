"""
Keys and certificates for the tests, made at test time with the API under
test (OpenSSL.crypto). conftest.py builds one small PKI per session from
these helpers; tests that need something special call them directly.
"""

from OpenSSL import crypto

ONE_DAY = 24 * 60 * 60


def make_key(bits=2048, type=crypto.TYPE_RSA):
    key = crypto.PKey()
    key.generate_key(type, bits)
    return key


def make_name(**fields):
    name = crypto.X509().get_subject()
    for field, value in fields.items():
        setattr(name, field, value)
    return name


def make_cert(
    key,
    cn,
    issuer=None,
    serial=1,
    not_before=0,
    not_after=ONE_DAY,
    digest="sha256",
    ca=False,
):
    """
    A v3 certificate for `key` with subject CN=`cn`, signed by `issuer`
    (a (key, cert) pair) or self-signed when issuer is None.
    """
    cert = crypto.X509()
    cert.set_version(2)
    cert.set_serial_number(serial)
    subject = cert.get_subject()
    subject.C = "US"
    subject.O = "pyOpenSSL tests"
    subject.CN = cn
    cert.gmtime_adj_notBefore(not_before)
    cert.gmtime_adj_notAfter(not_after)
    cert.set_pubkey(key)
    if issuer is None:
        cert.set_issuer(cert.get_subject())
        cert.sign(key, digest)
    else:
        issuer_key, issuer_cert = issuer
        cert.set_issuer(issuer_cert.get_subject())
        cert.sign(issuer_key, digest)
    return cert


def make_pki():
    """A CA, a server (CN=localhost) and a client, as (key, cert) pairs."""
    ca_key = make_key()
    ca_cert = make_cert(ca_key, "Test CA", ca=True)
    server_key = make_key()
    server_cert = make_cert(server_key, "localhost", (ca_key, ca_cert), 2)
    client_key = make_key()
    client_cert = make_cert(client_key, "client", (ca_key, ca_cert), 3)
    return {
        "ca": (ca_key, ca_cert),
        "server": (server_key, server_cert),
        "client": (client_key, client_cert),
    }
