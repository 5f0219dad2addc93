"""
service_identity.pyopenssl on established Connections of this package:
verify_hostname / verify_ip_address read connection.get_peer_certificate()
and X509.to_cryptography().
"""

import pytest
import trustme
from service_identity import CertificateError, VerificationError
from service_identity.pyopenssl import (
    extract_patterns, verify_hostname, verify_ip_address,
)

from OpenSSL import SSL


def pki_contexts(pem, client_cert=False):
    server_ctx = SSL.Context(SSL.TLS_METHOD)
    server_ctx.use_certificate(pem.server.cert)
    server_ctx.use_privatekey(pem.server.key)
    client_ctx = SSL.Context(SSL.TLS_METHOD)
    client_ctx.load_verify_locations(pem.ca.cert_path)
    client_ctx.set_verify(SSL.VERIFY_PEER, None)
    if client_cert:
        server_ctx.load_verify_locations(pem.ca.cert_path)
        server_ctx.set_verify(
            SSL.VERIFY_PEER | SSL.VERIFY_FAIL_IF_NO_PEER_CERT, None
        )
        client_ctx.use_certificate_file(pem.client.cert_path)
        client_ctx.use_privatekey_file(pem.client.key_path)
    return server_ctx, client_ctx


@pytest.fixture
def established(tls_pair, pem):
    pair = tls_pair(*pki_contexts(pem, client_cert=True))
    assert pair.client_error is None and pair.server_error is None
    return pair


def test_hostname_matches(established):
    verify_hostname(established.client, "localhost")
    verify_hostname(established.client, "LOCALHOST")


@pytest.mark.parametrize(
    "name", ["example.com", "localhost.example", "www.localhost"]
)
def test_hostname_mismatch(established, name):
    with pytest.raises(VerificationError) as info:
        verify_hostname(established.client, name)
    assert name.encode() in repr(info.value).encode()


def test_ip_address_matches(established):
    verify_ip_address(established.client, "127.0.0.1")


@pytest.mark.parametrize("ip", ["127.0.0.2", "10.0.0.1", "::1"])
def test_ip_address_mismatch(established, ip):
    with pytest.raises(VerificationError):
        verify_ip_address(established.client, ip)


def test_certificate_without_subject_alt_name(established):
    # The client certificate has only CN=client: service_identity refuses
    # it outright rather than fall back to the CN.
    assert established.server.get_peer_certificate().get_subject().CN == (
        "client"
    )
    with pytest.raises(CertificateError):
        verify_hostname(established.server, "client")


def test_patterns_of_peer_certificate(established):
    patterns = extract_patterns(established.client.get_peer_certificate())
    kinds = sorted(type(p).__name__ for p in patterns)
    assert kinds == ["DNSPattern", "IPAddressPattern"]


def test_wildcard_and_ipv6(tls_pair):
    ca = trustme.CA()
    leaf = ca.issue_cert("*.example.org", "::1")
    server_ctx = SSL.Context(SSL.TLS_METHOD)
    leaf.configure_cert(server_ctx)
    client_ctx = SSL.Context(SSL.TLS_METHOD)
    ca.configure_trust(client_ctx)
    client_ctx.set_verify(SSL.VERIFY_PEER, None)
    pair = tls_pair(server_ctx, client_ctx, server_name=b"www.example.org")
    assert pair.client_error is None and pair.server_error is None
    verify_hostname(pair.client, "www.example.org")
    verify_ip_address(pair.client, "::1")
    for name in ("example.org", "a.b.example.org", "www.example.com"):
        with pytest.raises(VerificationError):
            verify_hostname(pair.client, name)
