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


def has_extension(cert, short_name):
    """Does `cert` carry an extension called `short_name` (bytes)?"""
    return any(
        cert.get_extension(i).get_short_name() == short_name
        for i in range(cert.get_extension_count())
    )


def authority_key_id(issuer_cert):
    """
    An authorityKeyIdentifier naming the key of `issuer_cert`, as a list of
    zero or one extensions (none if the issuer has no subjectKeyIdentifier
    to refer to).
    """
    if issuer_cert is None or not has_extension(
        issuer_cert, b"subjectKeyIdentifier"
    ):
        return []
    return [
        crypto.X509Extension(
            b"authorityKeyIdentifier", False, b"keyid", issuer=issuer_cert
        )
    ]


def ca_extensions(cert, issuer_cert=None):
    """
    The extensions of a CA certificate `cert` (whose key is set) issued by
    `issuer_cert` (None: self-signed).
    """
    return [
        crypto.X509Extension(b"basicConstraints", True, b"CA:TRUE"),
        crypto.X509Extension(b"keyUsage", True, b"keyCertSign, cRLSign"),
        crypto.X509Extension(
            b"subjectKeyIdentifier", False, b"hash", subject=cert
        ),
    ] + authority_key_id(issuer_cert)


def leaf_extensions(cert, issuer_cert=None, san=None):
    """
    The extensions of an end-entity certificate `cert` (whose key is set)
    issued by `issuer_cert` (None: self-signed), with an optional
    subjectAltName value such as b"DNS:localhost, IP:127.0.0.1".
    """
    extensions = [
        crypto.X509Extension(b"basicConstraints", False, b"CA:FALSE"),
        crypto.X509Extension(
            b"subjectKeyIdentifier", False, b"hash", subject=cert
        ),
    ]
    extensions += authority_key_id(issuer_cert)
    if san is not None:
        if isinstance(san, str):
            san = san.encode("ascii")
        extensions.append(
            crypto.X509Extension(b"subjectAltName", False, san)
        )
    return extensions


def make_cert(
    key,
    cn,
    issuer=None,
    serial=1,
    not_before=0,
    not_after=ONE_DAY,
    digest="sha256",
    ca=False,
    san=None,
    extensions=(),
    v3_extensions=True,
):
    """
    A v3 certificate for `key` with subject CN=`cn`, signed by `issuer`
    (a (key, cert) pair) or self-signed when issuer is None.

    Unless v3_extensions is false, it carries the extensions of a real
    certificate: a CA (ca=True) gets critical basicConstraints CA:TRUE,
    critical keyUsage keyCertSign+cRLSign and a subjectKeyIdentifier; any
    other certificate gets basicConstraints CA:FALSE, a
    subjectKeyIdentifier and subjectAltName `san` (bytes or str in
    OpenSSL's syntax, e.g. "DNS:localhost, IP:127.0.0.1") when given.
    Both get an authorityKeyIdentifier (keyid of the issuer) when they have
    an issuer with a subjectKeyIdentifier. `extensions` (X509Extension
    objects) are added after those.
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
    issuer_cert = None if issuer is None else issuer[1]
    if v3_extensions:
        if ca:
            cert.add_extensions(ca_extensions(cert, issuer_cert))
        else:
            cert.add_extensions(leaf_extensions(cert, issuer_cert, san))
    cert.add_extensions(extensions)
    if issuer is None:
        cert.set_issuer(cert.get_subject())
        cert.sign(key, digest)
    else:
        issuer_key, issuer_cert = issuer
        cert.set_issuer(issuer_cert.get_subject())
        cert.sign(issuer_key, digest)
    return cert


def make_pki():
    """
    A CA, a server (CN=localhost, subjectAltName DNS:localhost and
    IP:127.0.0.1) and a client, as (key, cert) pairs.
    """
    ca_key = make_key()
    ca_cert = make_cert(ca_key, "Test CA", ca=True)
    server_key = make_key()
    server_cert = make_cert(
        server_key,
        "localhost",
        (ca_key, ca_cert),
        2,
        san=b"DNS:localhost, IP:127.0.0.1",
    )
    client_key = make_key()
    client_cert = make_cert(client_key, "client", (ca_key, ca_cert), 3)
    return {
        "ca": (ca_key, ca_cert),
        "server": (server_key, server_cert),
        "client": (client_key, client_cert),
    }
