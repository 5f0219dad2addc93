"""
cryptography objects where pyOpenSSL 26.4 takes them (API.md 3.2 row 36):
certificates for use_certificate / add_client_ca / add_extra_chain_cert,
private keys for use_privatekey, curves for set_tmp_ecdh; X509Store.add_cert
still takes X509 only. Without cryptography installed everything else keeps
working.
"""

import datetime
import os
import subprocess
import sys
import textwrap

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.x509.oid import NameOID

from OpenSSL import SSL, crypto

from ssl26helpers import (
    client_context,
    connected_pair,
    handshake,
    memory_pair,
)


def self_signed(key, cn="crypto-server"):
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    now = datetime.datetime.now(datetime.timezone.utc)
    algorithm = (
        None if isinstance(key, (ed25519.Ed25519PrivateKey,
                                 ed448.Ed448PrivateKey))
        else hashes.SHA256()
    )
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, algorithm)
    )


KEY_MAKERS = {
    "rsa": lambda: rsa.generate_private_key(65537, 2048),
    "ec": lambda: ec.generate_private_key(ec.SECP256R1()),
    "ed25519": ed25519.Ed25519PrivateKey.generate,
    "ed448": ed448.Ed448PrivateKey.generate,
}


@pytest.fixture(scope="module")
def crypto_pairs():
    pairs = {}
    for name, make in KEY_MAKERS.items():
        key = make()
        pairs[name] = (key, self_signed(key, "crypto-" + name))
    return pairs


@pytest.mark.parametrize("kind", sorted(KEY_MAKERS))
def test_context_with_cryptography_objects(crypto_pairs, kind):
    key, cert = crypto_pairs[kind]
    sctx = SSL.Context(SSL.TLS_METHOD)
    sctx.use_certificate(cert)
    sctx.use_privatekey(key)
    sctx.check_privatekey()
    s, c = connected_pair(sctx, client_context())
    assert c.get_peer_certificate(as_cryptography=True) == cert
    assert s.get_certificate(as_cryptography=True) == cert


@pytest.mark.parametrize("kind", ["rsa", "ed25519"])
def test_connection_with_cryptography_objects(crypto_pairs, kind):
    key, cert = crypto_pairs[kind]
    s, c = memory_pair(SSL.Context(SSL.TLS_METHOD), client_context())
    s.use_certificate(cert)
    s.use_privatekey(pkey=key)
    handshake(s, c)
    assert c.get_peer_certificate(as_cryptography=True) == cert


def test_mixed_pyopenssl_and_cryptography(server):
    key, cert = server
    sctx = SSL.Context(SSL.TLS_METHOD)
    sctx.use_certificate(cert.to_cryptography())
    sctx.use_privatekey(key)
    sctx.check_privatekey()
    sctx2 = SSL.Context(SSL.TLS_METHOD)
    sctx2.use_certificate(cert)
    sctx2.use_privatekey(key.to_cryptography_key())
    sctx2.check_privatekey()
    connected_pair(sctx2, client_context())


@pytest.mark.parametrize("kind", ["rsa", "ec", "ed25519"])
def test_mismatched_cryptography_key(crypto_pairs, kind):
    other = KEY_MAKERS[kind]()
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.use_certificate(crypto_pairs[kind][1])
    with pytest.raises(SSL.Error):
        ctx.use_privatekey(other)
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    conn.use_certificate(crypto_pairs[kind][1])
    with pytest.raises(SSL.Error):
        conn.use_privatekey(other)


def test_cryptography_public_keys_are_refused(crypto_pairs):
    ctx = SSL.Context(SSL.TLS_METHOD)
    conn = SSL.Connection(ctx, None)
    for key, _ in crypto_pairs.values():
        with pytest.raises(TypeError, match="Unsupported key type"):
            ctx.use_privatekey(key.public_key())
        with pytest.raises(TypeError, match="Unsupported key type"):
            conn.use_privatekey(key.public_key())


@pytest.mark.parametrize("method", [
    "use_certificate", "add_client_ca", "add_extra_chain_cert"])
@pytest.mark.parametrize("bad", [None, 1, b"cert", "cert", object()])
def test_certificate_arguments(method, bad, crypto_pairs):
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(TypeError, match="[Cc]ertificate"):
        getattr(ctx, method)(bad)
    with pytest.raises(TypeError):
        getattr(ctx, method)(crypto_pairs["rsa"][0])


def test_add_client_ca_cryptography(server, ca):
    sctx = SSL.Context(SSL.TLS_METHOD)
    sctx.use_certificate(server[1])
    sctx.use_privatekey(server[0])
    sctx.add_client_ca(ca[1].to_cryptography())
    sctx.add_client_ca(certificate_authority=server[1].to_cryptography())
    sctx.set_verify(SSL.VERIFY_PEER)     # so that the names are sent
    s, c = connected_pair(sctx, client_context())
    expected = [
        ca[1].to_cryptography().subject,
        server[1].to_cryptography().subject,
    ]
    assert s.get_client_ca_list(as_cryptography=True) == expected
    assert c.get_client_ca_list(as_cryptography=True) == expected


def test_add_extra_chain_cert_cryptography(server, ca):
    sctx = SSL.Context(SSL.TLS_METHOD)
    sctx.use_certificate(server[1].to_cryptography())
    sctx.use_privatekey(server[0].to_cryptography_key())
    sctx.add_extra_chain_cert(certobj=ca[1].to_cryptography())
    s, c = connected_pair(sctx, client_context())
    assert c.get_peer_cert_chain(as_cryptography=True) == [
        server[1].to_cryptography(), ca[1].to_cryptography()
    ]


def test_x509_store_add_cert_is_x509_only(ca):
    store = crypto.X509Store()
    with pytest.raises(TypeError):
        store.add_cert(ca[1].to_cryptography())
    store.add_cert(ca[1])
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(TypeError):
        ctx.get_cert_store().add_cert(ca[1].to_cryptography())


# ---------------------------------------------------------------------------
# set_tmp_ecdh
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("curve, group", [
    (ec.SECP256R1(), "prime256v1"),
    (ec.SECP384R1(), "secp384r1"),
    (ec.SECP521R1(), "secp521r1"),
])
def test_set_tmp_ecdh_cryptography_curves(server, curve, group):
    sctx = SSL.Context(SSL.TLS_METHOD)
    sctx.use_certificate(server[1])
    sctx.use_privatekey(server[0])
    sctx.set_tmp_ecdh(curve)
    cctx = client_context()
    cctx.set_tmp_ecdh(curve=curve)
    s, c = connected_pair(sctx, cctx)
    assert s.get_group_name() in (group, curve.name)


def test_set_tmp_ecdh_pyopenssl_curve(server):
    sctx = SSL.Context(SSL.TLS_METHOD)
    sctx.use_certificate(server[1])
    sctx.use_privatekey(server[0])
    sctx.set_tmp_ecdh(crypto.get_elliptic_curve("secp384r1"))
    cctx = client_context()
    cctx.set_tmp_ecdh(crypto.get_elliptic_curve("secp384r1"))
    s, c = connected_pair(sctx, cctx)
    assert s.get_group_name() == "secp384r1"


def test_set_tmp_ecdh_unknown_curve_name():
    class Fake(ec.EllipticCurve):
        name = "no-such-curve"
        key_size = 1
        group_order = 1

    with pytest.raises(SSL.Error):
        SSL.Context(SSL.TLS_METHOD).set_tmp_ecdh(Fake())


@pytest.mark.parametrize("bad", [object(), "prime256v1", b"prime256v1",
                                 None, 415])
def test_set_tmp_ecdh_wrong_type(bad):
    # 26.4 raises AttributeError (curve.name), 0.13-era code expects
    # TypeError: one class derives from both (API.md 3.1 rule 3).
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(TypeError) as info:
        ctx.set_tmp_ecdh(bad)
    assert isinstance(info.value, AttributeError)


# ---------------------------------------------------------------------------
# Without cryptography
# ---------------------------------------------------------------------------

NO_CRYPTOGRAPHY = textwrap.dedent("""
    import sys
    sys.modules["cryptography"] = None
    from OpenSSL import SSL, crypto

    def read(name):
        with open(name, "rb") as f:
            return f.read()

    key = crypto.load_privatekey(crypto.FILETYPE_PEM, read("key.pem"))
    cert = crypto.load_certificate(crypto.FILETYPE_PEM, read("cert.pem"))
    sctx = SSL.Context(SSL.TLS_METHOD)
    sctx.use_certificate(cert)
    sctx.use_privatekey(key)
    sctx.check_privatekey()
    sctx.add_client_ca(cert)
    sctx.add_extra_chain_cert(cert)
    sctx.set_tmp_ecdh(crypto.get_elliptic_curve("prime256v1"))
    for method in (sctx.use_certificate, sctx.use_privatekey,
                   sctx.set_tmp_ecdh):
        try:
            method(object())
        except TypeError:
            pass
        else:
            raise AssertionError(method)

    s = SSL.Connection(sctx, None)
    s.set_accept_state()
    c = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    c.set_connect_state()
    for _ in range(10):
        for conn, peer in ((c, s), (s, c)):
            try:
                conn.do_handshake()
            except SSL.WantReadError:
                pass
            try:
                peer.bio_write(conn.bio_read(65536))
            except SSL.WantReadError:
                pass
    s.send(b"no cryptography")
    c.bio_write(s.bio_read(65536))
    assert c.recv(100) == b"no cryptography"
    assert c.get_peer_certificate().get_subject().CN == "localhost"
    assert len(c.get_peer_cert_chain()) == 2
    assert s.get_client_ca_list()[0].CN == "localhost"
    for getter in (c.get_peer_certificate, c.get_peer_cert_chain,
                   s.get_client_ca_list, s.get_certificate):
        try:
            getter(as_cryptography=True)
        except ImportError:
            pass
        else:
            raise AssertionError(getter)
    assert sys.modules["cryptography"] is None
    print("ok")
""")


def test_without_cryptography(server, tmp_path):
    key, cert = server
    (tmp_path / "key.pem").write_bytes(
        crypto.dump_privatekey(crypto.FILETYPE_PEM, key))
    (tmp_path / "cert.pem").write_bytes(
        crypto.dump_certificate(crypto.FILETYPE_PEM, cert))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in sys.path if p and os.path.isdir(p))
    result = subprocess.run(
        [sys.executable, "-c", NO_CRYPTOGRAPHY], cwd=tmp_path, env=env,
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
