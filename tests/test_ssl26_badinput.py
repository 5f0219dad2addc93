"""
Bad input to the methods pyOpenSSL added after 0.13: wrong types, None,
huge or negative numbers, the wrong kind of connection (TLS vs DTLS,
memory vs socket), uninitialised objects and calls in the wrong state.
Each gets a clear exception -- never a crash.
"""

import itertools

import pytest

from OpenSSL import SSL, crypto

from ssl26helpers import (
    client_context,
    connected_pair,
    handshake,
    memory_pair,
    server_context,
)

BAD = [
    None, -1, 0, 2**64, -2**63 - 1, 1.5, "x", b"x", b"", bytearray(b"x"),
    [], [b"x"], object(), memoryview(b"ab"),
]

EXPECTED = (SSL.Error, TypeError, ValueError, OverflowError, AttributeError,
            NotImplementedError, ImportError, crypto.Error)

CONTEXT_METHODS = [
    "set_min_proto_version", "set_max_proto_version",
    "set_tls13_ciphersuites", "clear_mode", "set_mode", "set_options",
    "set_alpn_protos", "set_alpn_select_callback",
    "set_ocsp_server_callback", "set_ocsp_client_callback",
    "set_keylog_callback", "set_cookie_generate_callback",
    "set_cookie_verify_callback", "set_tlsext_use_srtp", "set_tmp_ecdh",
    "use_certificate", "use_privatekey", "add_client_ca",
    "add_extra_chain_cert", "set_info_callback", "set_verify",
]

CONNECTION_METHODS = [
    "set_options", "set_verify", "get_verify_mode", "set_info_callback",
    "use_certificate", "use_privatekey", "set_alpn_protos",
    "get_alpn_proto_negotiated", "request_ocsp", "set_ciphertext_mtu",
    "get_cleartext_mtu", "DTLSv1_listen", "DTLSv1_get_timeout",
    "DTLSv1_handle_timeout", "get_selected_srtp_profile",
    "get_protocol_version", "get_protocol_version_name", "get_cipher_name",
    "get_cipher_bits", "get_cipher_version", "get_group_name",
    "get_finished", "get_peer_finished", "export_keying_material",
    "get_verified_chain", "get_certificate", "get_peer_certificate",
    "get_peer_cert_chain", "get_client_ca_list", "get_session",
    "set_session",
]


def call_all(method, max_args=2):
    """Call `method` with every combination of up to max_args BAD values;
    return the set of outcome names. Fails on an unexpected exception."""
    outcomes = set()
    for n in range(max_args + 1):
        for args in itertools.product(BAD, repeat=n):
            try:
                method(*args)
            except EXPECTED as e:
                outcomes.add(type(e).__name__)
            else:
                outcomes.add("ok")
    return outcomes


@pytest.mark.parametrize("name", CONTEXT_METHODS)
@pytest.mark.parametrize("method", [SSL.TLS_METHOD, SSL.DTLS_METHOD])
def test_context_methods(name, method):
    ctx = SSL.Context(method)
    call_all(getattr(ctx, name))
    # The Context still works afterwards.
    SSL.Connection(ctx, None)


@pytest.mark.parametrize("name", CONNECTION_METHODS)
@pytest.mark.parametrize("method", [SSL.TLS_METHOD, SSL.DTLS_METHOD])
def test_connection_methods_before_handshake(name, method):
    conn = SSL.Connection(SSL.Context(method), None)
    call_all(getattr(conn, name))


@pytest.mark.parametrize("name", CONNECTION_METHODS)
def test_connection_methods_after_handshake(name, server):
    s, c = connected_pair(server_context(server), client_context())
    call_all(getattr(c, name))
    call_all(getattr(s, name), max_args=1)


@pytest.mark.parametrize("name", CONNECTION_METHODS)
def test_connection_methods_on_socket_connection(name):
    import socket

    with socket.socket() as sock:
        conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), sock)
        call_all(getattr(conn, name), max_args=1)


class LazyContext(SSL.Context):
    def __init__(self):
        pass


class LazyConnection(SSL.Connection):
    def __init__(self):
        pass


@pytest.mark.parametrize("name", CONTEXT_METHODS)
def test_uninitialised_context(name):
    ctx = LazyContext()
    method = getattr(ctx, name)
    with pytest.raises((AttributeError, TypeError)):
        method()
    for value in BAD[:4]:
        with pytest.raises((AttributeError, TypeError)):
            method(value)
    with pytest.raises(AttributeError):
        SSL.Connection(ctx, None)


@pytest.mark.parametrize("name", CONNECTION_METHODS)
def test_uninitialised_connection(name):
    conn = LazyConnection()
    assert call_all(getattr(conn, name), max_args=1) <= {
        "AttributeError", "TypeError", "ValueError", "OverflowError"}


def test_context_init_twice():
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(TypeError):
        ctx.__init__(SSL.DTLS_METHOD)
    SSL.Connection(ctx, None)


def test_connection_init_twice():
    ctx = SSL.Context(SSL.TLS_METHOD)
    conn = SSL.Connection(ctx, None)
    with pytest.raises(TypeError):
        conn.__init__(ctx, None)
    conn.set_connect_state()


def test_calls_in_the_wrong_state(server):
    # Handshake calls on a connection that is neither client nor server.
    conn = SSL.Connection(server_context(server), None)
    with pytest.raises(SSL.Error):
        conn.do_handshake()
    with pytest.raises(SSL.Error):
        conn.DTLSv1_listen()
    conn.get_finished()
    conn.get_cipher_name()
    with pytest.raises(SSL.Error):
        conn.export_keying_material(b"l", 8)


def test_io_after_fatal_error(server):
    sctx = server_context(server)
    sctx.set_alpn_select_callback(lambda conn, offered: b"")
    cctx = client_context()
    cctx.set_alpn_protos([b"h2"])
    s, c = memory_pair(sctx, cctx)
    with pytest.raises(SSL.Error):
        handshake(s, c)
    for conn in (s, c):
        for call in (conn.do_handshake, lambda: conn.send(b"x"),
                     lambda: conn.recv(10), conn.DTLSv1_listen):
            with pytest.raises(SSL.Error):
                call()
        assert conn.DTLSv1_handle_timeout() is False
        conn.get_alpn_proto_negotiated()
        conn.get_group_name()
