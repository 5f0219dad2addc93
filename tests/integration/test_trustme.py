"""
trustme configuring this package's SSL.Context: CA.configure_trust() and
LeafCert.configure_cert() recognise it by its __module__ ("OpenSSL.SSL")
and call get_cert_store().add_cert(), use_privatekey(),
use_certificate() and add_extra_chain_cert() (trustme >= 1.2 hands over
cryptography objects). Two of our Connections then verify each other over
TCP on 127.0.0.1.
"""

import trustme

from OpenSSL import SSL, crypto


def make_contexts(ca, server_leaf, client_leaf=None, client_ca=None):
    """A server and a client Context configured by trustme."""
    calls = {"server": [], "client": []}

    def recorder(side):
        def callback(conn, cert, errno, depth, ok):
            calls[side].append((cert.get_subject().CN, errno, depth, ok))
            return ok

        return callback

    server_ctx = SSL.Context(SSL.TLS_SERVER_METHOD)
    server_leaf.configure_cert(server_ctx)
    client_ctx = SSL.Context(SSL.TLS_CLIENT_METHOD)
    (client_ca or ca).configure_trust(client_ctx)
    client_ctx.set_verify(SSL.VERIFY_PEER, recorder("client"))
    if client_leaf is not None:
        ca.configure_trust(server_ctx)
        server_ctx.set_verify(
            SSL.VERIFY_PEER | SSL.VERIFY_FAIL_IF_NO_PEER_CERT,
            recorder("server"),
        )
        client_leaf.configure_cert(client_ctx)
    return server_ctx, client_ctx, calls


def exchange(pair):
    pair.client.sendall(b"ping from client")
    assert pair.server.recv(100) == b"ping from client"
    pair.server.sendall(b"pong from server")
    assert pair.client.recv(100) == b"pong from server"


def san_dns_names(x509):
    from cryptography import x509 as cx509

    san = x509.to_cryptography().extensions.get_extension_for_class(
        cx509.SubjectAlternativeName
    )
    return san.value.get_values_for_type(cx509.DNSName)


def test_context_is_recognised():
    ctx = SSL.Context(SSL.TLS_METHOD)
    assert type(ctx).__module__ == "OpenSSL.SSL"
    trustme.CA().configure_trust(ctx)  # would raise TypeError otherwise


def test_mutual_verification(tls_pair):
    ca = trustme.CA()
    server_leaf = ca.issue_cert("localhost", "127.0.0.1")
    client_leaf = ca.issue_cert("client.example")
    server_ctx, client_ctx, calls = make_contexts(ca, server_leaf, client_leaf)
    pair = tls_pair(server_ctx, client_ctx)
    assert pair.client_error is None and pair.server_error is None, (
        pair.client_error,
        pair.server_error,
    )
    exchange(pair)
    assert san_dns_names(pair.client.get_peer_certificate()) == ["localhost"]
    assert san_dns_names(pair.server.get_peer_certificate()) == [
        "client.example"
    ]
    # Each side's verify callback saw the root then the leaf, both fine.
    for side in ("client", "server"):
        depths = [(depth, ok) for (_cn, _errno, depth, ok) in calls[side]]
        assert depths == [(1, 1), (0, 1)], (side, calls[side])
    root = pair.client.get_verified_chain()[-1]
    assert crypto.dump_certificate(crypto.FILETYPE_PEM, root) == (
        ca.cert_pem.bytes()
    )


def test_rsa_keys(tls_pair):
    ca = trustme.CA(key_type=trustme.KeyType.RSA)
    leaf = ca.issue_cert("localhost", key_type=trustme.KeyType.RSA)
    server_ctx, client_ctx, _ = make_contexts(ca, leaf)
    pair = tls_pair(server_ctx, client_ctx)
    assert pair.client_error is None and pair.server_error is None
    exchange(pair)


def test_intermediate_chain_sent_with_add_extra_chain_cert(tls_pair):
    root = trustme.CA()
    intermediate = root.create_child_ca()
    leaf = intermediate.issue_cert("localhost")
    server_ctx, client_ctx, calls = make_contexts(root, leaf)
    pair = tls_pair(server_ctx, client_ctx)
    assert pair.client_error is None and pair.server_error is None
    exchange(pair)
    chain = pair.client.get_peer_cert_chain()
    assert len(chain) >= 2
    verified = pair.client.get_verified_chain()
    assert len(verified) == 3
    assert [d for (_cn, _e, d, ok) in calls["client"]] == [2, 1, 0]
    assert all(ok for (_cn, _e, _d, ok) in calls["client"])


def test_other_ca_rejected(tls_pair):
    ca = trustme.CA()
    stranger = trustme.CA()
    leaf = ca.issue_cert("localhost")
    server_ctx, client_ctx, calls = make_contexts(ca, leaf, client_ca=stranger)
    pair = tls_pair(server_ctx, client_ctx)
    assert isinstance(pair.client_error, SSL.Error)
    assert pair.client_error.args[0][-1][2] == "certificate verify failed"
    assert isinstance(pair.server_error, SSL.Error)
    assert pair.server_error.args[0][-1][2] == "tlsv1 alert unknown ca"
    # X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY on the leaf.
    assert calls["client"][0][1] == 20


def test_client_without_certificate_rejected(tls_pair):
    ca = trustme.CA()
    server_leaf = ca.issue_cert("localhost")
    client_leaf = ca.issue_cert("client.example")
    server_ctx, client_ctx, _ = make_contexts(ca, server_leaf, client_leaf)
    # A fresh client context: trusts the CA, presents nothing.
    bare_client = SSL.Context(SSL.TLS_CLIENT_METHOD)
    ca.configure_trust(bare_client)
    bare_client.set_verify(SSL.VERIFY_PEER, None)
    pair = tls_pair(server_ctx, bare_client)
    assert isinstance(pair.server_error, SSL.Error)
    assert pair.server_error.args[0][-1][2] == (
        "peer did not return a certificate"
    )
    # TLS 1.3: the client learns it on its next read.
    if pair.client_error is None:
        try:
            pair.client.recv(10)
        except SSL.Error as e:
            assert e.args[0][-1][2] == "tlsv13 alert certificate required"
        else:  # pragma: no cover
            raise AssertionError("recv succeeded")
