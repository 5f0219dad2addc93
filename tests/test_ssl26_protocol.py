"""
Protocol control added by pyOpenSSL after 0.13, as 26.4 has it: method
selectors, protocol version bounds, TLS 1.3 cipher suites, modes,
per-connection options, verification and info callbacks, certificates and
keys; X509VerificationCodes and NO_OVERLAPPING_PROTOCOLS.
"""

import sys

import pytest

from OpenSSL import SSL, crypto

from ssl26helpers import (
    client_context,
    connected_pair,
    connected_socket_pair,
    handshake,
    memory_pair,
    server_context,
    socket_handshake,
    socket_pair,
)


# ---------------------------------------------------------------------------
# Method selectors (their values and "No such protocol": test_ssl_module.py)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("method", [None, "7", 7.0, b"\x07"])
def test_method_must_be_int(method):
    with pytest.raises(TypeError):
        SSL.Context(method)


def test_server_and_client_methods_talk(server):
    s, c = connected_pair(
        server_context(server, SSL.TLS_SERVER_METHOD),
        SSL.Context(SSL.TLS_CLIENT_METHOD),
    )
    assert c.get_protocol_version_name() == "TLSv1.3"
    s.send(b"over")
    c.bio_write(s.bio_read(4096))
    assert c.recv(10) == b"over"


def test_server_method_cannot_connect(server):
    conn = SSL.Connection(server_context(server, SSL.TLS_SERVER_METHOD), None)
    conn.set_connect_state()
    with pytest.raises(SSL.Error):
        conn.do_handshake()


def test_client_method_cannot_accept():
    client = SSL.Connection(SSL.Context(SSL.TLS_CLIENT_METHOD), None)
    client.set_connect_state()
    with pytest.raises(SSL.WantReadError):
        client.do_handshake()
    conn = SSL.Connection(SSL.Context(SSL.TLS_CLIENT_METHOD), None)
    conn.set_accept_state()
    conn.bio_write(client.bio_read(65536))
    with pytest.raises(SSL.Error):
        conn.do_handshake()


def test_dtls_method_cannot_talk_tls(server):
    s, c = memory_pair(
        server_context(server), SSL.Context(SSL.DTLS_CLIENT_METHOD)
    )
    with pytest.raises(SSL.Error):
        handshake(s, c)


# ---------------------------------------------------------------------------
# Protocol version bounds
# ---------------------------------------------------------------------------


def test_version_constants():
    assert SSL.SSL3_VERSION == 0x300
    assert SSL.TLS1_VERSION == 0x301
    assert SSL.TLS1_1_VERSION == 0x302
    assert SSL.TLS1_2_VERSION == 0x303
    assert SSL.TLS1_3_VERSION == 0x304


def test_max_version_tls12(server):
    sctx = server_context(server)
    sctx.set_max_proto_version(SSL.TLS1_2_VERSION)
    s, c = connected_pair(sctx, client_context())
    for conn in (s, c):
        assert conn.get_protocol_version() == SSL.TLS1_2_VERSION
        assert conn.get_protocol_version_name() == "TLSv1.2"


def test_min_version_tls13_over_sockets(server):
    cctx = client_context()
    cctx.set_min_proto_version(SSL.TLS1_3_VERSION)
    s, c = connected_socket_pair(server_context(server), cctx)
    assert c.get_protocol_version() == SSL.TLS1_3_VERSION
    assert s.get_protocol_version_name() == "TLSv1.3"


def test_no_common_version(server):
    sctx = server_context(server)
    sctx.set_max_proto_version(SSL.TLS1_2_VERSION)
    cctx = client_context()
    cctx.set_min_proto_version(SSL.TLS1_3_VERSION)
    s, c = socket_pair(sctx, cctx)
    with pytest.raises(SSL.Error):
        socket_handshake(s, c)


def test_zero_means_library_bounds(server):
    sctx = server_context(server)
    sctx.set_max_proto_version(SSL.TLS1_2_VERSION)
    sctx.set_max_proto_version(0)
    sctx.set_min_proto_version(0)
    s, c = connected_pair(sctx, client_context())
    assert c.get_protocol_version_name() == "TLSv1.3"


@pytest.mark.parametrize("version", [0x305, 12345, -1, 0x1FFFF])
def test_unsupported_version_is_error(version):
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(SSL.Error):
        ctx.set_min_proto_version(version)
    with pytest.raises(SSL.Error):
        ctx.set_max_proto_version(version)


def test_dtls_versions_on_dtls_context():
    ctx = SSL.Context(SSL.DTLS_METHOD)
    ctx.set_max_proto_version(0xFEFD)       # DTLS 1.2
    ctx.set_min_proto_version(0xFEFF)       # DTLS 1.0


@pytest.mark.parametrize("version", ["0x303", None, 3.0, b"\x03"])
def test_version_must_be_int(version):
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(TypeError):
        ctx.set_min_proto_version(version)
    with pytest.raises(TypeError):
        ctx.set_max_proto_version(version)


def test_version_keyword():
    ctx = SSL.Context(SSL.TLS_METHOD)
    assert ctx.set_min_proto_version(version=SSL.TLS1_2_VERSION) is None
    assert ctx.set_max_proto_version(version=SSL.TLS1_3_VERSION) is None


def test_version_out_of_range():
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises((OverflowError, SSL.Error)):
        ctx.set_min_proto_version(2**70)


# ---------------------------------------------------------------------------
# TLSv1*_METHOD pin one version
# ---------------------------------------------------------------------------


def test_tlsv1_2_method_pins_tls12(server):
    s, c = connected_pair(
        server_context(server), SSL.Context(SSL.TLSv1_2_METHOD)
    )
    assert c.get_protocol_version_name() == "TLSv1.2"
    assert s.get_protocol_version() == SSL.TLS1_2_VERSION


def test_tlsv1_2_server_refuses_tls13_only_client(server):
    cctx = client_context()
    cctx.set_min_proto_version(SSL.TLS1_3_VERSION)
    s, c = memory_pair(server_context(server, SSL.TLSv1_2_METHOD), cctx)
    with pytest.raises(SSL.Error):
        handshake(s, c)


def test_tlsv1_1_client_refused_by_tlsv1_2_server(server):
    s, c = memory_pair(
        server_context(server, SSL.TLSv1_2_METHOD),
        SSL.Context(SSL.TLSv1_1_METHOD),
    )
    with pytest.raises(SSL.Error):
        handshake(s, c)


def test_tlsv1_method_context_can_be_made():
    # Twisted builds Connection(Context(TLSv1_METHOD), None) at import.
    conn = SSL.Connection(SSL.Context(SSL.TLSv1_METHOD), None)
    assert conn.get_context() is not None


# ---------------------------------------------------------------------------
# TLS 1.3 cipher suites
# ---------------------------------------------------------------------------


def test_set_tls13_ciphersuites(server):
    sctx = server_context(server)
    sctx.set_tls13_ciphersuites(b"TLS_CHACHA20_POLY1305_SHA256")
    cctx = client_context()
    cctx.set_tls13_ciphersuites(
        ciphersuites=b"TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256"
    )
    s, c = connected_pair(sctx, cctx)
    assert c.get_cipher_name() == "TLS_CHACHA20_POLY1305_SHA256"
    assert s.get_cipher_name() == "TLS_CHACHA20_POLY1305_SHA256"


def test_tls13_ciphersuites_leave_tls12_ciphers_alone(server):
    sctx = server_context(server)
    sctx.set_tls13_ciphersuites(b"TLS_AES_128_GCM_SHA256")
    sctx.set_max_proto_version(SSL.TLS1_2_VERSION)
    s, c = connected_pair(sctx, client_context())
    assert c.get_cipher_version() == "TLSv1.2"
    assert "AES" in c.get_cipher_name()


@pytest.mark.parametrize(
    "value", ["TLS_AES_128_GCM_SHA256", None, 1, bytearray(b"TLS_AES")]
)
def test_tls13_ciphersuites_bytes_only(value):
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(TypeError, match="ciphersuites must be a byte string"):
        ctx.set_tls13_ciphersuites(value)


def test_tls13_ciphersuites_unknown():
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(SSL.Error) as info:
        ctx.set_tls13_ciphersuites(b"nonsense")
    assert info.value.args[0] == [("SSL routines", "", "no cipher match")]


def test_tls13_ciphersuites_nul():
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises((ValueError, TypeError)):
        ctx.set_tls13_ciphersuites(b"TLS_AES_128_GCM_SHA256\0x")


# ---------------------------------------------------------------------------
# Modes
# ---------------------------------------------------------------------------

# OpenSSL's values; pyOpenSSL exports only MODE_RELEASE_BUFFERS.
MODE_ENABLE_PARTIAL_WRITE = 0x1
MODE_ACCEPT_MOVING_WRITE_BUFFER = 0x2


def test_default_modes_and_clear_mode():
    ctx = SSL.Context(SSL.TLS_METHOD)
    ours = MODE_ENABLE_PARTIAL_WRITE | MODE_ACCEPT_MOVING_WRITE_BUFFER
    default = ctx.set_mode(0)       # OpenSSL 3 adds AUTO_RETRY itself
    assert default & ours == ours
    assert ctx.set_mode(SSL.MODE_RELEASE_BUFFERS) == (
        default | SSL.MODE_RELEASE_BUFFERS
    )
    assert ctx.clear_mode(SSL.MODE_RELEASE_BUFFERS) == default
    assert ctx.clear_mode(
        mode_to_clear=MODE_ACCEPT_MOVING_WRITE_BUFFER
    ) == default & ~MODE_ACCEPT_MOVING_WRITE_BUFFER
    assert ctx.clear_mode(0) == default & ~MODE_ACCEPT_MOVING_WRITE_BUFFER
    assert isinstance(ctx.clear_mode(0), int)
    assert ctx.clear_mode(default) == 0


@pytest.mark.parametrize("value", [None, "1", 1.0])
def test_clear_mode_int_only(value):
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(TypeError):
        ctx.clear_mode(value)


def test_clear_mode_after_connection(server):
    # Mutation stays legal once a Connection exists (API.md 3.4).
    sctx = server_context(server)
    connected_pair(sctx, client_context())
    assert not sctx.clear_mode(MODE_ENABLE_PARTIAL_WRITE) & (
        MODE_ENABLE_PARTIAL_WRITE
    )
    connected_pair(sctx, client_context())


# ---------------------------------------------------------------------------
# Connection.set_options
# ---------------------------------------------------------------------------


def test_connection_set_options_returns_mask():
    ctx = SSL.Context(SSL.TLS_METHOD)
    base = ctx.set_options(0)
    conn = SSL.Connection(ctx, None)
    mask = conn.set_options(SSL.OP_NO_TICKET)
    assert isinstance(mask, int)
    assert mask & SSL.OP_NO_TICKET
    assert mask & base == base
    assert conn.set_options(options=0) == mask
    # The Context and its other connections are not affected.
    assert not ctx.set_options(0) & SSL.OP_NO_TICKET
    assert not SSL.Connection(ctx, None).set_options(0) & SSL.OP_NO_TICKET


def test_connection_set_options_takes_effect(server):
    s, c = memory_pair(server_context(server), client_context())
    c.set_options(SSL.OP_NO_TLSv1_3)
    handshake(s, c)
    assert c.get_protocol_version_name() == "TLSv1.2"


@pytest.mark.parametrize("value", [None, "4", 4.0])
def test_connection_set_options_int_only(value):
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    with pytest.raises(TypeError):
        conn.set_options(value)


def test_connection_set_options_negative():
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    with pytest.raises((OverflowError, ValueError)):
        conn.set_options(-1)


# ---------------------------------------------------------------------------
# Connection.set_verify / get_verify_mode
# ---------------------------------------------------------------------------


def test_connection_verify_mode_defaults_to_context():
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.set_verify(SSL.VERIFY_PEER)
    conn = SSL.Connection(ctx, None)
    assert conn.get_verify_mode() == SSL.VERIFY_PEER
    conn.set_verify(SSL.VERIFY_NONE)
    assert conn.get_verify_mode() == SSL.VERIFY_NONE
    assert ctx.get_verify_mode() == SSL.VERIFY_PEER
    conn.set_verify(
        mode=SSL.VERIFY_PEER | SSL.VERIFY_FAIL_IF_NO_PEER_CERT, callback=None
    )
    assert conn.get_verify_mode() == (
        SSL.VERIFY_PEER | SSL.VERIFY_FAIL_IF_NO_PEER_CERT
    )


def test_connection_verify_callback_overrides_context(server, ca):
    ctx_calls, conn_calls = [], []
    cctx = client_context()
    cctx.set_verify(SSL.VERIFY_PEER, lambda *a: ctx_calls.append(a) or True)
    s, c = memory_pair(server_context(server), cctx)
    c.set_verify(SSL.VERIFY_PEER, lambda *a: conn_calls.append(a) or True)
    handshake(s, c)
    assert ctx_calls == []
    conn, cert, errnum, depth, ok = conn_calls[0]
    assert conn is c
    assert isinstance(cert, crypto.X509)
    assert cert.get_subject().CN == "localhost"
    assert depth == 0
    assert ok == 0
    assert errnum == SSL.X509VerificationCodes.ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY


def test_connection_verify_callback_rejects(server):
    s, c = memory_pair(server_context(server), client_context())
    c.set_verify(SSL.VERIFY_PEER, lambda *a: False)
    with pytest.raises(SSL.Error) as info:
        handshake(s, c)
    assert "certificate verify failed" in str(info.value)


def test_connection_verify_callback_exception_reraised(server):
    class Boom(Exception):
        pass

    s, c = memory_pair(server_context(server), client_context())

    def callback(*args):
        raise Boom("from the verify callback")

    c.set_verify(SSL.VERIFY_PEER, callback)
    with pytest.raises(Boom, match="from the verify callback"):
        handshake(s, c)


def test_connection_verify_success_with_ca(server, ca):
    s, c = memory_pair(server_context(server), client_context(ca=ca))
    seen = []
    c.set_verify(SSL.VERIFY_PEER, lambda conn, x, e, d, ok: seen.append(
        (d, e, ok)) or ok)
    handshake(s, c)
    assert seen == [(1, 0, 1), (0, 0, 1)]


@pytest.mark.parametrize("mode", [None, "1", 1.5])
def test_connection_set_verify_bad_mode(mode):
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    with pytest.raises(TypeError):
        conn.set_verify(mode)


@pytest.mark.parametrize("callback", [1, "cb", b"cb", object()])
def test_connection_set_verify_not_callable(callback):
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    with pytest.raises(TypeError):
        conn.set_verify(SSL.VERIFY_PEER, callback)


# ---------------------------------------------------------------------------
# Connection.set_info_callback
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("callback", [None, 1, "cb", object()])
def test_info_callback_must_be_callable(callback):
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    with pytest.raises(TypeError):
        conn.set_info_callback(callback)
    with pytest.raises(TypeError):
        SSL.Context(SSL.TLS_METHOD).set_info_callback(callback)


def test_connection_info_callback(server):
    sctx = server_context(server)
    ctx_seen, conn_seen = [], []
    sctx.set_info_callback(lambda *a: ctx_seen.append(a))
    s, c = memory_pair(sctx, client_context())
    s.set_info_callback(callback=lambda *a: conn_seen.append(a))
    handshake(s, c)
    assert ctx_seen == []
    assert all(conn is s for conn, _, _ in conn_seen)
    wheres = 0
    for _, where, ret in conn_seen:
        assert isinstance(where, int) and isinstance(ret, int)
        wheres |= where
    assert wheres & SSL.SSL_CB_HANDSHAKE_START
    assert wheres & SSL.SSL_CB_HANDSHAKE_DONE
    # Other connections of the Context keep the Context's callback.
    connected_pair(sctx, client_context())
    assert ctx_seen


def test_connection_info_callback_exception_is_unraisable(
    server, monkeypatch
):
    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    s, c = memory_pair(server_context(server), client_context())

    def callback(conn, where, ret):
        raise ValueError("info")

    c.set_info_callback(callback)
    handshake(s, c)
    assert unraisable
    assert all(isinstance(u.exc_value, ValueError) for u in unraisable)
    s.send(b"still fine")
    c.bio_write(s.bio_read(4096))
    assert c.recv(100) == b"still fine"


def test_connection_info_callback_may_use_connection(server):
    s, c = memory_pair(server_context(server), client_context())
    c.set_app_data("app")
    seen = []

    def callback(conn, where, ret):
        if where & SSL.SSL_CB_HANDSHAKE_START:
            seen.append(conn.get_app_data())
            conn.set_tlsext_host_name(b"example.com")

    c.set_info_callback(callback)
    handshake(s, c)
    assert seen and seen[0] == "app"
    assert s.get_servername() == b"example.com"


# ---------------------------------------------------------------------------
# Connection.use_certificate / use_privatekey
# ---------------------------------------------------------------------------


def test_connection_certificate_and_key(server):
    key, cert = server
    sctx = SSL.Context(SSL.TLS_METHOD)          # no certificate at all
    s, c = memory_pair(sctx, client_context())
    assert s.get_certificate() is None
    s.use_certificate(cert)
    s.use_privatekey(key)
    assert s.get_certificate().get_subject().CN == "localhost"
    handshake(s, c)
    assert c.get_peer_certificate().get_subject().CN == "localhost"
    # Other connections of the Context still have none.
    assert SSL.Connection(sctx, None).get_certificate() is None


def test_connection_without_certificate_fails(server):
    s, c = memory_pair(SSL.Context(SSL.TLS_METHOD), client_context())
    with pytest.raises(SSL.Error):
        handshake(s, c)


def test_connection_use_privatekey_mismatch(server, client):
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    conn.use_certificate(server[1])
    with pytest.raises(SSL.Error):
        conn.use_privatekey(client[0])


def test_connection_use_privatekey_public_only(server):
    pub = crypto.load_publickey(
        crypto.FILETYPE_PEM,
        crypto.dump_publickey(crypto.FILETYPE_PEM, server[0]),
    )
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    # pyOpenSSL (23.0 and 26.4 alike) hands it to OpenSSL, which takes it:
    # a handshake would fail later, not this call.
    assert conn.use_privatekey(pub) is None


@pytest.mark.parametrize("bad", [None, 1, "cert", b"cert", object()])
def test_connection_use_bad_types(bad, server):
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    with pytest.raises(TypeError, match="certificate"):
        conn.use_certificate(bad)
    with pytest.raises(TypeError, match="Unsupported key type"):
        conn.use_privatekey(bad)
    with pytest.raises(TypeError):
        conn.use_certificate(server[0])
    with pytest.raises(TypeError):
        conn.use_privatekey(server[1])


# ---------------------------------------------------------------------------
# X509VerificationCodes and NO_OVERLAPPING_PROTOCOLS
# ---------------------------------------------------------------------------

VERIFICATION_CODES = {
    "OK": 0,
    "ERR_UNABLE_TO_GET_ISSUER_CERT": 2,
    "ERR_UNABLE_TO_GET_CRL": 3,
    "ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE": 4,
    "ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE": 5,
    "ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY": 6,
    "ERR_CERT_SIGNATURE_FAILURE": 7,
    "ERR_CRL_SIGNATURE_FAILURE": 8,
    "ERR_CERT_NOT_YET_VALID": 9,
    "ERR_CERT_HAS_EXPIRED": 10,
    "ERR_CRL_NOT_YET_VALID": 11,
    "ERR_CRL_HAS_EXPIRED": 12,
    "ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD": 13,
    "ERR_ERROR_IN_CERT_NOT_AFTER_FIELD": 14,
    "ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD": 15,
    "ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD": 16,
    "ERR_OUT_OF_MEM": 17,
    "ERR_DEPTH_ZERO_SELF_SIGNED_CERT": 18,
    "ERR_SELF_SIGNED_CERT_IN_CHAIN": 19,
    "ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY": 20,
    "ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE": 21,
    "ERR_CERT_CHAIN_TOO_LONG": 22,
    "ERR_CERT_REVOKED": 23,
    "ERR_INVALID_CA": 79,
    "ERR_PATH_LENGTH_EXCEEDED": 25,
    "ERR_INVALID_PURPOSE": 26,
    "ERR_CERT_UNTRUSTED": 27,
    "ERR_CERT_REJECTED": 28,
    "ERR_SUBJECT_ISSUER_MISMATCH": 29,
    "ERR_AKID_SKID_MISMATCH": 30,
    "ERR_AKID_ISSUER_SERIAL_MISMATCH": 31,
    "ERR_KEYUSAGE_NO_CERTSIGN": 32,
    "ERR_UNABLE_TO_GET_CRL_ISSUER": 33,
    "ERR_UNHANDLED_CRITICAL_EXTENSION": 34,
    "ERR_KEYUSAGE_NO_CRL_SIGN": 35,
    "ERR_UNHANDLED_CRITICAL_CRL_EXTENSION": 36,
    "ERR_INVALID_NON_CA": 37,
    "ERR_PROXY_PATH_LENGTH_EXCEEDED": 38,
    "ERR_KEYUSAGE_NO_DIGITAL_SIGNATURE": 39,
    "ERR_PROXY_CERTIFICATES_NOT_ALLOWED": 40,
    "ERR_INVALID_EXTENSION": 41,
    "ERR_INVALID_POLICY_EXTENSION": 42,
    "ERR_NO_EXPLICIT_POLICY": 43,
    "ERR_DIFFERENT_CRL_SCOPE": 44,
    "ERR_UNSUPPORTED_EXTENSION_FEATURE": 45,
    "ERR_UNNESTED_RESOURCE": 46,
    "ERR_PERMITTED_VIOLATION": 47,
    "ERR_EXCLUDED_VIOLATION": 48,
    "ERR_SUBTREE_MINMAX": 49,
    "ERR_UNSUPPORTED_CONSTRAINT_TYPE": 51,
    "ERR_UNSUPPORTED_CONSTRAINT_SYNTAX": 52,
    "ERR_UNSUPPORTED_NAME_SYNTAX": 53,
    "ERR_CRL_PATH_VALIDATION_ERROR": 54,
    "ERR_HOSTNAME_MISMATCH": 62,
    "ERR_EMAIL_MISMATCH": 63,
    "ERR_IP_ADDRESS_MISMATCH": 64,
    "ERR_APPLICATION_VERIFICATION": 50,
}


def test_verification_codes():
    assert len(VERIFICATION_CODES) == 57
    codes = SSL.X509VerificationCodes
    public = {
        name: value for name, value in vars(codes).items()
        if not name.startswith("_")
    }
    assert public == VERIFICATION_CODES
    assert all(type(v) is int for v in public.values())
    assert isinstance(codes, type)
    assert codes.__module__ == "OpenSSL.SSL"
    assert "X509VerificationCodes" in SSL.__all__


def test_verification_codes_match_verify_callback(server):
    # A self-signed server certificate is reported with the named code.
    key = server[0]
    import pki

    cert = pki.make_cert(key, "self")
    s, c = memory_pair(server_context((key, cert)), client_context())
    seen = []
    c.set_verify(SSL.VERIFY_PEER,
                 lambda conn, x, errnum, depth, ok: seen.append(errnum) or 1)
    handshake(s, c)
    assert seen[0] == (
        SSL.X509VerificationCodes.ERR_DEPTH_ZERO_SELF_SIGNED_CERT
    )


def test_no_overlapping_protocols_is_a_sentinel():
    sentinel = SSL.NO_OVERLAPPING_PROTOCOLS
    assert SSL.NO_OVERLAPPING_PROTOCOLS is sentinel
    assert sentinel is not None
    assert sentinel != b""
    assert not isinstance(sentinel, (bytes, str, int))
    assert "NO_OVERLAPPING_PROTOCOLS" in SSL.__all__
    import importlib

    assert importlib.import_module("OpenSSL.SSL").NO_OVERLAPPING_PROTOCOLS \
        is sentinel


# ---------------------------------------------------------------------------
# Options added after 0.13
# ---------------------------------------------------------------------------


def test_newer_option_values():
    assert SSL.OP_LEGACY_SERVER_CONNECT == 0x4
    assert SSL.OP_IGNORE_UNEXPECTED_EOF == 0x80
    assert SSL.OP_NO_QUERY_MTU == 0x1000
    assert SSL.OP_COOKIE_EXCHANGE == 0x2000
    assert SSL.OP_NO_TICKET == 0x4000
    assert SSL.OP_NO_TLSv1_3 == 0x20000000
    assert SSL.OP_NO_RENEGOTIATION == 0x40000000


@pytest.mark.parametrize("method", [
    "SSLv23_METHOD", "TLSv1_METHOD", "TLSv1_1_METHOD", "TLSv1_2_METHOD",
    "TLS_METHOD", "TLS_SERVER_METHOD", "TLS_CLIENT_METHOD", "DTLS_METHOD",
    "DTLS_SERVER_METHOD", "DTLS_CLIENT_METHOD",
])
def test_legacy_server_connect_is_opt_in(method):
    # API.md 4.1 (23.3.0): never set by the library itself.
    ctx = SSL.Context(getattr(SSL, method))
    assert not ctx.set_options(0) & SSL.OP_LEGACY_SERVER_CONNECT
    conn = SSL.Connection(ctx, None)
    assert not conn.set_options(0) & SSL.OP_LEGACY_SERVER_CONNECT
    assert ctx.set_options(SSL.OP_LEGACY_SERVER_CONNECT) & (
        SSL.OP_LEGACY_SERVER_CONNECT)


def test_ignore_unexpected_eof_turns_eof_into_zero_return(server):
    cctx = client_context()
    cctx.set_options(SSL.OP_IGNORE_UNEXPECTED_EOF)
    s, c = connected_pair(server_context(server), cctx)
    c.bio_shutdown()
    with pytest.raises(SSL.ZeroReturnError):
        c.recv(10)
    # Without the option: SysCallError(-1, 'Unexpected EOF').
    s, c = connected_pair(server_context(server), client_context())
    c.bio_shutdown()
    with pytest.raises(SSL.SysCallError) as info:
        c.recv(10)
    assert info.value.args == (-1, "Unexpected EOF")


def test_openssl_version_function():
    text = SSL.OpenSSL_version(SSL.OPENSSL_VERSION)
    assert type(text) is bytes and text.startswith(b"OpenSSL 3.")
    assert SSL.OpenSSL_version(type=SSL.OPENSSL_VERSION) == text
    assert SSL.SSLeay_version(SSL.SSLEAY_VERSION) == text
    assert SSL.SSLeay_version is SSL.OpenSSL_version
    with pytest.raises(TypeError):
        SSL.OpenSSL_version("0")
