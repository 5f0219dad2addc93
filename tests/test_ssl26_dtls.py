"""
DTLS (API.md 1.4-1.6, 2.3, 4.1): handshakes over memory BIOs and over UDP
on 127.0.0.1, the stateless cookie exchange of DTLSv1_listen() and its
callbacks (CVE-2026-27459: no cookie longer than 255 bytes is ever copied),
timers, MTUs and SRTP.
"""

import time

import pytest

from OpenSSL import SSL

from ssl26helpers import (
    LARGE,
    client_context,
    connected_pair,
    drive,
    dtls_contexts,
    dtls_listen,
    dtls_memory_pair,
    handshake,
    move,
    recv_all,
    server_context,
    start,
    udp_socket_pair,
)


class Boom(Exception):
    pass


def exchange(server, client):
    server.send(b"hello")
    move(server, client)
    assert client.recv(100) == b"hello"
    client.send(b"goodbye")
    move(client, server)
    assert server.recv(100) == b"goodbye"


# ---------------------------------------------------------------------------
# Handshakes
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("server_method, client_method", [
    (SSL.DTLS_METHOD, SSL.DTLS_METHOD),
    (SSL.DTLS_SERVER_METHOD, SSL.DTLS_CLIENT_METHOD),
])
def test_memory_handshake_without_cookies(server, server_method,
                                          client_method):
    sctx = server_context(server, server_method)
    sctx.set_options(SSL.OP_NO_QUERY_MTU)
    cctx = SSL.Context(client_method)
    cctx.set_options(SSL.OP_NO_QUERY_MTU)
    s, c = dtls_memory_pair(sctx, cctx)
    handshake(s, c)
    assert c.get_protocol_version_name() == "DTLSv1.2"
    assert s.get_protocol_version_name() == "DTLSv1.2"
    exchange(s, c)


def test_memory_handshake_with_listen(server):
    generated, verified = [], []

    def gen(conn):
        generated.append(conn)
        return b"xyzzy"

    def verify(conn, cookie):
        verified.append((conn, cookie))
        return cookie == b"xyzzy"

    sctx, cctx = dtls_contexts(server, gen, verify)
    s, c = dtls_memory_pair(sctx, cctx)
    dtls_listen(s, c)
    assert generated == [s]
    assert verified == [(s, b"xyzzy")]
    handshake(s, c)
    exchange(s, c)
    assert c.get_cipher_version() == "TLSv1.2"


def test_udp_handshake_with_listen(server):
    sctx, cctx = dtls_contexts(server)
    ssock, csock = udp_socket_pair()
    with ssock, csock:
        s = SSL.Connection(sctx, ssock)
        s.set_accept_state()
        c = SSL.Connection(cctx, csock)
        c.set_connect_state()
        s.set_ciphertext_mtu(1400)
        c.set_ciphertext_mtu(1400)
        listening = [True]

        def server_step():
            if listening[0]:
                s.DTLSv1_listen()
                listening[0] = False
            s.do_handshake()

        drive({c: c.do_handshake, s: server_step})
        assert c.get_protocol_version_name() == "DTLSv1.2"
        c.send(b"ping")
        assert recv_all(s, 4) == b"ping"
        s.send(b"pong" * 100)
        assert recv_all(c, 400) == b"pong" * 100


def test_udp_handshake_cookie_exchange_in_handshake(server):
    # OP_COOKIE_EXCHANGE without DTLSv1_listen: do_handshake() runs the
    # cookie callbacks itself.
    calls = []
    sctx, cctx = dtls_contexts(
        server, lambda conn: calls.append("gen") or b"c",
        lambda conn, cookie: calls.append("verify") or cookie == b"c")
    sctx.set_options(SSL.OP_COOKIE_EXCHANGE)
    ssock, csock = udp_socket_pair()
    with ssock, csock:
        s = SSL.Connection(sctx, ssock)
        s.set_accept_state()
        c = SSL.Connection(cctx, csock)
        c.set_connect_state()
        s.set_ciphertext_mtu(1400)
        c.set_ciphertext_mtu(1400)
        drive({c: c.do_handshake, s: s.do_handshake})
        assert calls == ["gen", "verify"]
        s.send(b"x")
        assert recv_all(c, 1) == b"x"


# ---------------------------------------------------------------------------
# DTLSv1_listen and the cookie callbacks
# ---------------------------------------------------------------------------


def test_listen_wants_read_before_any_data(server):
    sctx, cctx = dtls_contexts(server)
    s, c = dtls_memory_pair(sctx, cctx)
    with pytest.raises(SSL.WantReadError):
        s.DTLSv1_listen()
    assert s.DTLSv1_listen.__name__ == "DTLSv1_listen"


def test_listen_wants_read_after_cookieless_hello(server):
    calls = []
    sctx, cctx = dtls_contexts(
        server, lambda conn: calls.append("gen") or b"cookie")
    s, c = dtls_memory_pair(sctx, cctx)
    start(c)
    move(c, s)
    with pytest.raises(SSL.WantReadError):
        s.DTLSv1_listen()
    assert calls == ["gen"]
    # The HelloVerifyRequest went out, statelessly.
    hvr = s.bio_read(LARGE)
    assert hvr[0] == 22                   # handshake record
    assert hvr[13] == 3                   # hello_verify_request


def test_listen_wants_read_on_garbage(server):
    sctx, cctx = dtls_contexts(server)
    s, c = dtls_memory_pair(sctx, cctx)
    s.bio_write(b"\x16\xfe\xfd" + b"\x00" * 50)
    with pytest.raises(SSL.WantReadError):
        s.DTLSv1_listen()


def test_rejected_cookie_keeps_listening(server):
    sctx, cctx = dtls_contexts(server, lambda conn: b"cookie",
                               lambda conn, cookie: False)
    s, c = dtls_memory_pair(sctx, cctx)
    start(c)
    move(c, s)
    with pytest.raises(SSL.WantReadError):
        s.DTLSv1_listen()
    move(s, c)
    start(c)
    move(c, s)
    with pytest.raises(SSL.WantReadError):
        s.DTLSv1_listen()


@pytest.mark.parametrize("verdict", [1, "yes", [0], 2])
def test_truthy_cookie_verdict(server, verdict):
    sctx, cctx = dtls_contexts(server, verify=lambda conn, c: verdict)
    s, c = dtls_memory_pair(sctx, cctx)
    dtls_listen(s, c)


def test_cookie_of_255_bytes(server):
    cookie = bytes(range(255))
    sctx, cctx = dtls_contexts(server, lambda conn: cookie,
                               lambda conn, got: got == cookie)
    s, c = dtls_memory_pair(sctx, cctx)
    dtls_listen(s, c)
    handshake(s, c)
    exchange(s, c)


@pytest.mark.parametrize("size", [256, 1000, 100000])
def test_cookie_too_long_is_value_error(server, size):
    # CVE-2026-27459: never copied into OpenSSL's 255-byte buffer.
    sctx, cctx = dtls_contexts(server, lambda conn: b"\xff" * size,
                               lambda conn, cookie: True)
    s, c = dtls_memory_pair(sctx, cctx)
    start(c)
    move(c, s)
    with pytest.raises(ValueError, match="Cookie too long"):
        s.DTLSv1_listen()
    # Nothing was sent back, and the connection is still usable.
    with pytest.raises(SSL.WantReadError):
        s.bio_read(LARGE)
    with pytest.raises(SSL.WantReadError):
        s.DTLSv1_listen()


def test_cookie_too_long_in_handshake(server):
    # Without DTLSv1_listen the handshake fails with Error; the ValueError
    # waits for DTLSv1_listen, as every cookie callback exception does.
    sctx, cctx = dtls_contexts(server, lambda conn: b"x" * 300,
                               lambda conn, cookie: True)
    sctx.set_options(SSL.OP_COOKIE_EXCHANGE)
    s, c = dtls_memory_pair(sctx, cctx)
    with pytest.raises(SSL.Error) as info:
        handshake(s, c)
    assert not isinstance(info.value, ValueError)
    with pytest.raises(ValueError, match="Cookie too long"):
        s.DTLSv1_listen()


@pytest.mark.parametrize("value", ["cookie", None, 7, [b"c"]])
def test_cookie_not_bytes(server, value):
    sctx, cctx = dtls_contexts(server, lambda conn: value)
    s, c = dtls_memory_pair(sctx, cctx)
    start(c)
    move(c, s)
    with pytest.raises(TypeError):
        s.DTLSv1_listen()


def test_generate_exception_reraised_from_listen(server):
    raised = Boom("generate")

    def gen(conn):
        raise raised

    sctx, cctx = dtls_contexts(server, gen)
    s, c = dtls_memory_pair(sctx, cctx)
    start(c)
    move(c, s)
    with pytest.raises(Boom) as info:
        s.DTLSv1_listen()
    assert info.value is raised
    # Raised once.
    with pytest.raises(SSL.WantReadError):
        s.DTLSv1_listen()


def test_verify_exception_reraised_from_listen(server):
    raised = Boom("verify")

    def verify(conn, cookie):
        raise raised

    sctx, cctx = dtls_contexts(server, verify=verify)
    s, c = dtls_memory_pair(sctx, cctx)
    start(c)
    move(c, s)
    with pytest.raises(SSL.WantReadError):
        s.DTLSv1_listen()
    move(s, c)
    start(c)
    move(c, s)
    with pytest.raises(Boom) as info:
        s.DTLSv1_listen()
    assert info.value is raised


def test_cookie_exceptions_only_from_listen(server):
    def gen(conn):
        raise Boom("generate")

    sctx, cctx = dtls_contexts(server, gen)
    sctx.set_options(SSL.OP_COOKIE_EXCHANGE)
    s, c = dtls_memory_pair(sctx, cctx)
    start(c)
    move(c, s)
    with pytest.raises(SSL.Error) as info:
        s.do_handshake()
    assert not isinstance(info.value, Boom)
    assert ("SSL routines", "", "cookie gen callback failure") in (
        info.value.args[0]
    )
    # Other I/O calls do not raise it either; DTLSv1_listen does.
    with pytest.raises(SSL.Error) as info:
        s.recv(10)
    assert not isinstance(info.value, Boom)
    with pytest.raises(Boom):
        s.DTLSv1_listen()


def test_connection_keeps_its_cookie_callbacks(server):
    # Connections snapshot the cookie callbacks when they are made
    # (API.md 3.4), so replacing them on the Context affects new ones only.
    sctx, cctx = dtls_contexts(server, lambda conn: b"old",
                               lambda conn, cookie: cookie == b"old")
    s, c = dtls_memory_pair(sctx, cctx)
    sctx.set_cookie_generate_callback(lambda conn: b"new")
    sctx.set_cookie_verify_callback(lambda conn, cookie: False)
    dtls_listen(s, c)
    handshake(s, c)
    s2, c2 = dtls_memory_pair(sctx, cctx)
    start(c2)
    move(c2, s2)
    with pytest.raises(SSL.WantReadError):
        s2.DTLSv1_listen()
    assert b"new" in s2.bio_read(LARGE)


def test_listen_on_tls_connection(server):
    s, c = connected_pair(server_context(server), client_context())
    with pytest.raises(SSL.Error):
        s.DTLSv1_listen()


def test_listen_takes_no_arguments(server):
    sctx, cctx = dtls_contexts(server)
    s, c = dtls_memory_pair(sctx, cctx)
    with pytest.raises(TypeError):
        s.DTLSv1_listen(None)


# ---------------------------------------------------------------------------
# Timers
# ---------------------------------------------------------------------------


def test_no_timer_before_handshake():
    c = SSL.Connection(SSL.Context(SSL.DTLS_METHOD), None)
    assert c.DTLSv1_get_timeout() is None
    assert c.DTLSv1_handle_timeout() is False


def test_timer_on_tls_connection():
    c = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    assert c.DTLSv1_get_timeout() is None
    assert c.DTLSv1_handle_timeout() is False


def test_timer_runs_while_waiting_for_the_server():
    c = SSL.Connection(SSL.Context(SSL.DTLS_METHOD), None)
    c.set_connect_state()
    start(c)
    first = c.bio_read(LARGE)
    timeout = c.DTLSv1_get_timeout()
    assert isinstance(timeout, float)
    assert 0 < timeout <= 1.0
    # Not expired yet: nothing to do (unless this machine just stalled for
    # most of a second).
    if c.DTLSv1_get_timeout() > 0.2:
        assert c.DTLSv1_handle_timeout() is False
        with pytest.raises(SSL.WantReadError):
            c.bio_read(LARGE)
    timeout = c.DTLSv1_get_timeout()
    # Wait for the timer itself (about a second), then retransmit.
    time.sleep(timeout + 0.05)
    assert c.DTLSv1_get_timeout() == 0
    assert c.DTLSv1_handle_timeout() is True
    again = c.bio_read(LARGE)
    # The same ClientHello, in a record with the next sequence number.
    assert again[13:] == first[13:]
    assert again[:3] == first[:3]
    assert c.DTLSv1_get_timeout() > 1.0     # the timer doubled


def test_timer_stops_after_handshake(server):
    sctx, cctx = dtls_contexts(server)
    s, c = dtls_memory_pair(sctx, cctx)
    dtls_listen(s, c)
    handshake(s, c)
    assert c.DTLSv1_get_timeout() is None
    assert c.DTLSv1_handle_timeout() is False


# ---------------------------------------------------------------------------
# MTU
# ---------------------------------------------------------------------------


def test_mtu(server):
    sctx, cctx = dtls_contexts(server)
    s, c = dtls_memory_pair(sctx, cctx)
    dtls_listen(s, c)
    handshake(s, c)
    c.set_ciphertext_mtu(1000)
    assert 500 < c.get_cleartext_mtu() < 1000
    c.set_ciphertext_mtu(mtu=500)
    assert 0 < c.get_cleartext_mtu() < 500
    # A record never exceeds the MTU.
    c.send(b"x" * c.get_cleartext_mtu())
    assert len(c.bio_read(LARGE)) <= 500


def test_cleartext_mtu_before_handshake():
    c = SSL.Connection(SSL.Context(SSL.DTLS_METHOD), None)
    assert c.get_cleartext_mtu() == 0


def test_cleartext_mtu_on_tls_connection(server):
    # OpenSSL 3.0 itself would crash here; we answer 0.
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    assert conn.get_cleartext_mtu() == 0
    s, c = connected_pair(server_context(server), client_context())
    assert c.get_cleartext_mtu() == 0
    c.set_ciphertext_mtu(1000)


@pytest.mark.parametrize("mtu", ["1000", None, 1000.0])
def test_ciphertext_mtu_int_only(mtu):
    c = SSL.Connection(SSL.Context(SSL.DTLS_METHOD), None)
    with pytest.raises(TypeError):
        c.set_ciphertext_mtu(mtu)


def test_ciphertext_mtu_huge():
    c = SSL.Connection(SSL.Context(SSL.DTLS_METHOD), None)
    with pytest.raises(OverflowError):
        c.set_ciphertext_mtu(2**80)


# ---------------------------------------------------------------------------
# SRTP
# ---------------------------------------------------------------------------

SRTP_80 = b"SRTP_AES128_CM_SHA1_80"
SRTP_32 = b"SRTP_AES128_CM_SHA1_32"


def srtp_pair(server, server_profiles, client_profiles):
    sctx, cctx = dtls_contexts(server)
    if server_profiles is not None:
        sctx.set_tlsext_use_srtp(server_profiles)
    if client_profiles is not None:
        cctx.set_tlsext_use_srtp(profiles=client_profiles)
    s, c = dtls_memory_pair(sctx, cctx)
    dtls_listen(s, c)
    handshake(s, c)
    return s, c


def test_srtp_negotiated(server):
    s, c = srtp_pair(server, SRTP_80, SRTP_80)
    assert s.get_selected_srtp_profile() == SRTP_80
    assert c.get_selected_srtp_profile() == SRTP_80
    exchange(s, c)


def test_srtp_first_common_profile(server):
    s, c = srtp_pair(server, SRTP_32 + b":" + SRTP_80, SRTP_80)
    assert c.get_selected_srtp_profile() == SRTP_80


def test_srtp_no_common_profile(server):
    s, c = srtp_pair(server, SRTP_32, SRTP_80)
    assert s.get_selected_srtp_profile() == b""
    assert c.get_selected_srtp_profile() == b""


def test_srtp_not_asked(server):
    s, c = srtp_pair(server, SRTP_80, None)
    assert s.get_selected_srtp_profile() == b""
    assert c.get_selected_srtp_profile() == b""
    fresh = SSL.Connection(SSL.Context(SSL.DTLS_METHOD), None)
    assert fresh.get_selected_srtp_profile() == b""


@pytest.mark.parametrize("profiles", [
    "SRTP_AES128_CM_SHA1_80", None, 1, [SRTP_80], bytearray(SRTP_80)])
def test_srtp_bytes_only(profiles):
    ctx = SSL.Context(SSL.DTLS_METHOD)
    with pytest.raises(TypeError, match="profiles must be a byte string"):
        ctx.set_tlsext_use_srtp(profiles)


@pytest.mark.parametrize("profiles", [b"nonsense", b"", b"SRTP_AES128"])
def test_srtp_unknown_profile(profiles):
    ctx = SSL.Context(SSL.DTLS_METHOD)
    with pytest.raises(SSL.Error) as info:
        ctx.set_tlsext_use_srtp(profiles)
    assert info.value.args[0] == [
        ("SSL routines", "", "srtp unknown protection profile")
    ]


def test_srtp_nul():
    ctx = SSL.Context(SSL.DTLS_METHOD)
    with pytest.raises((ValueError, TypeError)):
        ctx.set_tlsext_use_srtp(SRTP_80 + b"\0")
