"""
Connection getters added after 0.13 (API.md 1.6): negotiated protocol and
cipher, key exchange group, Finished messages, keying material exporter,
certificates and chains, and the keyword-only as_cryptography flag of the
certificate getters (24.3+, get_client_ca_list 26.3+).
"""

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding

from OpenSSL import SSL, crypto

from ssl26helpers import (
    client_context,
    connected_pair,
    connected_socket_pair,
    handshake,
    memory_pair,
    server_context,
)


def der(cert):
    return crypto.dump_certificate(crypto.FILETYPE_ASN1, cert)


@pytest.fixture(params=["tls13", "tls12"])
def version(request):
    return request.param


def versioned_pair(server, version, sockets=False):
    cctx = client_context()
    if version == "tls12":
        cctx.set_max_proto_version(SSL.TLS1_2_VERSION)
    make = connected_socket_pair if sockets else connected_pair
    return make(server_context(server), cctx)


# ---------------------------------------------------------------------------
# Protocol, cipher, group
# ---------------------------------------------------------------------------


def test_before_handshake():
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    assert conn.get_cipher_name() is None
    assert conn.get_cipher_bits() is None
    assert conn.get_cipher_version() is None
    assert conn.get_group_name() is None
    assert conn.get_finished() is None
    assert conn.get_peer_finished() is None
    assert conn.get_verified_chain() is None
    assert conn.get_peer_certificate() is None
    assert conn.get_peer_cert_chain() is None
    assert conn.get_alpn_proto_negotiated() == b""
    assert conn.get_selected_srtp_profile() == b""
    # OpenSSL's provisional answer for the version.
    assert isinstance(conn.get_protocol_version(), int)
    assert isinstance(conn.get_protocol_version_name(), str)


def test_negotiated_parameters(server, version):
    s, c = versioned_pair(server, version)
    expected = {"tls13": ("TLSv1.3", 0x304), "tls12": ("TLSv1.2", 0x303)}
    name, number = expected[version]
    for conn in (s, c):
        assert conn.get_protocol_version_name() == name
        assert conn.get_protocol_version() == number
        assert conn.get_cipher_version() == name
        assert type(conn.get_cipher_name()) is str
        assert conn.get_cipher_bits() == 256
        assert type(conn.get_group_name()) is str
    assert s.get_cipher_name() == c.get_cipher_name()
    assert s.get_group_name() == c.get_group_name()


def test_negotiated_parameters_over_sockets(server):
    s, c = versioned_pair(server, "tls13", sockets=True)
    assert c.get_cipher_name() == s.get_cipher_name()
    assert c.get_protocol_version_name() == "TLSv1.3"
    assert c.get_group_name() == s.get_group_name()


def test_cipher_bits_128(server):
    cctx = client_context()
    cctx.set_tls13_ciphersuites(b"TLS_AES_128_GCM_SHA256")
    s, c = connected_pair(server_context(server), cctx)
    assert c.get_cipher_name() == "TLS_AES_128_GCM_SHA256"
    assert c.get_cipher_bits() == 128


@pytest.mark.parametrize("curve, name", [
    (ec.SECP384R1(), "secp384r1"),
    (ec.SECP256R1(), "prime256v1"),
])
def test_group_name_follows_set_tmp_ecdh(server, version, curve, name):
    sctx = server_context(server)
    sctx.set_tmp_ecdh(curve)
    cctx = client_context()
    cctx.set_tmp_ecdh(curve)
    if version == "tls12":
        cctx.set_max_proto_version(SSL.TLS1_2_VERSION)
    s, c = connected_pair(sctx, cctx)
    assert c.get_group_name() in (name, curve.name)
    assert s.get_group_name() == c.get_group_name()


# ---------------------------------------------------------------------------
# Finished messages and exported keying material
# ---------------------------------------------------------------------------


def test_finished_messages(server, version):
    s, c = versioned_pair(server, version)
    size = {"tls13": 48, "tls12": 12}[version]
    for conn in (s, c):
        assert type(conn.get_finished()) is bytes
        assert len(conn.get_finished()) == size
        assert len(conn.get_peer_finished()) == size
    assert c.get_finished() == s.get_peer_finished()
    assert s.get_finished() == c.get_peer_finished()
    assert c.get_finished() != s.get_finished()


def test_export_keying_material(server, version):
    s, c = versioned_pair(server, version)
    key = c.export_keying_material(b"EXPERIMENTAL-label", 32)
    assert type(key) is bytes and len(key) == 32
    assert s.export_keying_material(b"EXPERIMENTAL-label", 32) == key
    with_ctx = c.export_keying_material(b"EXPERIMENTAL-label", 32, b"ctx")
    assert with_ctx != key
    assert s.export_keying_material(
        label=b"EXPERIMENTAL-label", olen=32, context=b"ctx") == with_ctx
    assert c.export_keying_material(b"other", 32) != key
    assert len(c.export_keying_material(b"EXPERIMENTAL-label", 1000)) == 1000
    if version == "tls12":
        # RFC 5705: an empty context is not the same as none.
        assert c.export_keying_material(b"EXPERIMENTAL-label", 32, b"") \
            != key


def test_export_keying_material_bytes_like(server):
    s, c = connected_pair(server_context(server), client_context())
    a = c.export_keying_material(b"label", 16, b"context")
    assert s.export_keying_material(bytearray(b"label"), 16,
                                    memoryview(b"context")) == a


def test_export_keying_material_before_handshake():
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    with pytest.raises(SSL.Error):
        conn.export_keying_material(b"label", 16)


@pytest.mark.parametrize("args, exc", [
    (("label", 16), TypeError),
    ((b"label", "16"), TypeError),
    ((b"label", None), TypeError),
    ((b"label", 16, "ctx"), TypeError),
    ((b"label", 16, 5), TypeError),
    ((b"label", -1), ValueError),
    ((b"label", 2**70), OverflowError),
])
def test_export_keying_material_bad_arguments(server, args, exc):
    s, c = connected_pair(server_context(server), client_context())
    with pytest.raises(exc):
        c.export_keying_material(*args)


# ---------------------------------------------------------------------------
# Certificates and chains
# ---------------------------------------------------------------------------


@pytest.fixture
def mutual(server, client, ca):
    """A TLS 1.3 pair where each side verifies the other against the CA,
    and the server also sends the CA certificate."""
    sctx = server_context(server)
    sctx.add_extra_chain_cert(ca[1])
    sctx.get_cert_store().add_cert(ca[1])
    sctx.set_verify(SSL.VERIFY_PEER | SSL.VERIFY_FAIL_IF_NO_PEER_CERT)
    sctx.add_client_ca(ca[1])
    cctx = server_context(client)
    cctx.get_cert_store().add_cert(ca[1])
    cctx.set_verify(SSL.VERIFY_PEER)
    return connected_pair(sctx, cctx)


def test_get_certificate(server, client, mutual):
    s, c = mutual
    assert der(s.get_certificate()) == der(server[1])
    assert der(c.get_certificate()) == der(client[1])
    cert = s.get_certificate(as_cryptography=True)
    assert isinstance(cert, x509.Certificate)
    assert cert == server[1].to_cryptography()
    assert isinstance(s.get_certificate(as_cryptography=False), crypto.X509)


def test_get_certificate_none():
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    assert conn.get_certificate() is None
    assert conn.get_certificate(as_cryptography=True) is None


def test_get_peer_certificate(server, client, mutual):
    s, c = mutual
    assert der(c.get_peer_certificate()) == der(server[1])
    assert der(s.get_peer_certificate()) == der(client[1])
    peer = c.get_peer_certificate(as_cryptography=True)
    assert isinstance(peer, x509.Certificate)
    assert peer == server[1].to_cryptography()
    assert peer.subject.rfc4514_string() == \
        "CN=localhost,O=pyOpenSSL tests,C=US"


def test_peer_cert_chain(server, client, ca, mutual):
    s, c = mutual
    # A client's chain starts with the server's certificate ...
    chain = c.get_peer_cert_chain()
    assert [der(x) for x in chain] == [der(server[1]), der(ca[1])]
    crypto_chain = c.get_peer_cert_chain(as_cryptography=True)
    assert all(isinstance(x, x509.Certificate) for x in crypto_chain)
    assert [x.public_bytes(Encoding.DER) for x in crypto_chain] == [
        der(server[1]), der(ca[1])
    ]
    # ... a server's leaves out the client's (the client, which trusts
    # the CA, sent it too).
    assert [der(x) for x in s.get_peer_cert_chain()] == [der(ca[1])]
    assert s.get_peer_cert_chain(as_cryptography=True) == [
        ca[1].to_cryptography()
    ]


def test_verified_chain(server, client, ca, mutual):
    s, c = mutual
    assert [der(x) for x in c.get_verified_chain()] == [
        der(server[1]), der(ca[1])
    ]
    assert [der(x) for x in s.get_verified_chain()] == [
        der(client[1]), der(ca[1])
    ]
    chain = s.get_verified_chain(as_cryptography=True)
    assert chain == [client[1].to_cryptography(), ca[1].to_cryptography()]


def test_verified_chain_none_without_peer_certificate(server):
    s, c = connected_pair(server_context(server), client_context())
    assert s.get_verified_chain() is None
    assert s.get_verified_chain(as_cryptography=True) is None
    assert s.get_peer_certificate(as_cryptography=True) is None
    assert s.get_peer_cert_chain(as_cryptography=True) is None


def test_client_ca_list(ca, mutual):
    s, c = mutual
    for conn in (s, c):
        names = conn.get_client_ca_list()
        assert [n.CN for n in names] == ["Test CA"]
        assert all(isinstance(n, crypto.X509Name) for n in names)
        crypto_names = conn.get_client_ca_list(as_cryptography=True)
        assert crypto_names == [ca[1].to_cryptography().subject]
        assert all(isinstance(n, x509.Name) for n in crypto_names)


def test_client_ca_list_empty():
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    assert conn.get_client_ca_list() == []
    assert conn.get_client_ca_list(as_cryptography=True) == []


GETTERS = [
    "get_certificate", "get_peer_certificate", "get_peer_cert_chain",
    "get_verified_chain", "get_client_ca_list",
]


@pytest.mark.parametrize("name", GETTERS)
def test_as_cryptography_is_keyword_only(name):
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    method = getattr(conn, name)
    with pytest.raises(TypeError):
        method(True)
    with pytest.raises(TypeError):
        method(as_crypto=True)
    method(as_cryptography=False)
    method()


@pytest.mark.parametrize("name", GETTERS)
def test_as_cryptography_truthiness(name, mutual):
    s, c = mutual
    got = getattr(c, name)(as_cryptography=1)
    if isinstance(got, list):
        got = got[0]
    assert not isinstance(got, (crypto.X509, crypto.X509Name))


def test_getters_after_failed_handshake(server):
    sctx = server_context(server)
    cctx = client_context(verify=True)      # no CA: verification fails
    s, c = memory_pair(sctx, cctx)
    with pytest.raises(SSL.Error):
        handshake(s, c)
    for conn in (s, c):
        conn.get_cipher_name()
        conn.get_group_name()
        conn.get_verified_chain()
        conn.get_peer_cert_chain(as_cryptography=True)
        conn.get_finished()
