"""
Callbacks calling back into the Connection whose SSL call is running them.

Getters, setters, set_context, shutdown(), send(), recv() and the memory
BIOs may be used from a callback (Twisted calls shutdown() and bio_read()
from its info callback when hostname verification fails). Calls that
restart or replace the handshake state -- do_handshake(), DTLSv1_listen(),
DTLSv1_handle_timeout(), set_session(), set_accept_state(),
set_connect_state() -- crash OpenSSL 3.0 when made from inside its own
handshake, so they raise SSL.Error instead. SSL calls nested more than 32
deep on one thread raise RecursionError instead of overflowing the stack.
"""

import sys

import pytest

from OpenSSL import SSL

from ssl26helpers import (
    client_context,
    dtls_contexts,
    dtls_memory_pair,
    handshake,
    memory_pair,
    move,
    server_context,
    start,
)

REFUSED = [("SSL routines", "", "called a function you should not call")]


def refused_calls(conn, session=None):
    calls = {
        "do_handshake": conn.do_handshake,
        "DTLSv1_listen": conn.DTLSv1_listen,
        "DTLSv1_handle_timeout": conn.DTLSv1_handle_timeout,
        "set_accept_state": conn.set_accept_state,
        "set_connect_state": conn.set_connect_state,
    }
    if session is not None:
        calls["set_session"] = lambda: conn.set_session(session)
    return calls


def setup(server, where, callback):
    """A memory-BIO pair whose `where` callback is `callback`, wrapped so
    that it answers OpenSSL sensibly."""
    sctx = server_context(server)
    cctx = client_context()
    cctx.set_alpn_protos([b"h2"])

    def wrapped(conn, *args):
        callback(conn)
        return {"alpn": b"h2", "ocsp_server": b"R", "ocsp_client": True,
                "verify": True}.get(where)

    if where == "info":
        cctx.set_info_callback(wrapped)
    elif where == "alpn":
        sctx.set_alpn_select_callback(wrapped)
    elif where == "verify":
        cctx.set_verify(SSL.VERIFY_PEER, wrapped)
    elif where == "ocsp_server":
        sctx.set_ocsp_server_callback(wrapped)
    elif where == "ocsp_client":
        cctx.set_ocsp_client_callback(wrapped)
    elif where == "servername":
        sctx.set_tlsext_servername_callback(wrapped)
    elif where == "keylog":
        sctx.set_keylog_callback(wrapped)
    # Sessions of both Contexts, for set_session() in the callbacks.
    s, c = memory_pair(sctx, cctx)
    handshake(s, c)
    sessions = {sctx: s.get_session(), cctx: c.get_session()}
    s, c = memory_pair(sctx, cctx)
    c.request_ocsp()
    c.set_tlsext_host_name(b"localhost")
    return s, c, sessions


WHERE = ["info", "alpn", "verify", "ocsp_server", "ocsp_client",
         "servername", "keylog"]


@pytest.mark.parametrize("where", WHERE)
def test_handshake_restarting_calls_are_refused(server, where):
    outcomes = {}

    def callback(conn):
        if outcomes or sessions is None:
            return
        session = sessions[conn.get_context()]
        for name, call in refused_calls(conn, session).items():
            try:
                call()
            except SSL.Error as e:
                outcomes[name] = e.args
            else:
                outcomes[name] = "returned"

    sessions = None
    s, c, sessions = setup(server, where, callback)
    handshake(s, c)
    assert outcomes == {
        name: (REFUSED,) for name in refused_calls(c, "session")
    }
    # The handshake itself was not disturbed.
    s.send(b"fine")
    move(s, c)
    assert c.recv(10) == b"fine"


@pytest.mark.parametrize("where", WHERE)
def test_other_calls_are_allowed(server, where):
    done = []

    def callback(conn):
        if done or not armed:
            return
        done.append(True)
        conn.get_cipher_name()
        conn.get_peer_cert_chain()
        conn.get_session()
        conn.get_app_data()
        conn.set_app_data("from the callback")
        conn.get_servername()
        conn.pending()
        conn.get_state_string()
        for call in (lambda: conn.recv(1), lambda: conn.send(b"x"),
                     conn.shutdown):
            try:
                call()
            except SSL.Error:
                pass

    armed = False
    s, c, sessions = setup(server, where, callback)
    armed = True
    try:
        handshake(s, c)
    except SSL.Error:
        pass                            # shutdown() may end it
    assert done


def test_refused_only_inside_the_call(server):
    # The same calls outside any callback work as usual.
    s, c = memory_pair(server_context(server), client_context())
    c.set_connect_state()
    s.set_accept_state()
    handshake(s, c)
    c.set_session(c.get_session())
    assert c.DTLSv1_handle_timeout() is False


def test_other_connection_may_handshake_from_callback(server):
    other_s, other_c = memory_pair(server_context(server), client_context())
    ran = []

    def callback(conn, where, ret):
        if where & SSL.SSL_CB_HANDSHAKE_DONE and not ran:
            ran.append(True)
            handshake(other_s, other_c)

    s, c = memory_pair(server_context(server), client_context())
    c.set_info_callback(callback)
    handshake(s, c)
    assert ran
    assert other_c.get_cipher_name() is not None


def test_twisted_verification_failure_pattern(server):
    # Twisted's info callback, at HANDSHAKE_DONE, fails verification:
    # shutdown() (which may raise Error) and bio_read() of the alert.
    flushed = []

    def callback(conn, where, ret):
        if where & SSL.SSL_CB_HANDSHAKE_DONE:
            try:
                done = conn.shutdown()
            except SSL.Error:
                done = False
            assert done is False
            try:
                data = conn.bio_read(65536)
            except SSL.WantReadError:
                pass
            else:
                flushed.append(data)
                s.bio_write(data)          # off to the transport

    s, c = memory_pair(server_context(server), client_context())
    c.set_info_callback(callback)
    handshake(s, c)
    assert c.get_shutdown() & SSL.SENT_SHUTDOWN
    assert flushed
    with pytest.raises(SSL.ZeroReturnError):
        s.recv(10)


def test_info_callback_restarting_handshake_every_time(server,
                                                       monkeypatch):
    # This recursed until OpenSSL crashed.
    calls = []

    def callback(conn, where, ret):
        calls.append(where)
        conn.do_handshake()

    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    s, c = memory_pair(server_context(server), client_context())
    c.set_info_callback(callback)
    handshake(s, c)
    assert calls
    assert len(unraisable) == len(calls)
    assert all(isinstance(u.exc_value, SSL.Error) for u in unraisable)


def test_cookie_callbacks_cannot_listen_again(server):
    seen = []

    def gen(conn):
        for name, call in refused_calls(conn).items():
            try:
                call()
            except SSL.Error as e:
                seen.append(e.args)
        return b"cookie"

    sctx, cctx = dtls_contexts(server, gen)
    s, c = dtls_memory_pair(sctx, cctx)
    start(c)
    move(c, s)
    with pytest.raises(SSL.WantReadError):
        s.DTLSv1_listen()
    assert seen == [(REFUSED,)] * len(refused_calls(s))


def test_nesting_depth_is_bounded():
    # Each connection's info callback starts the next one's handshake: SSL
    # calls nest on this thread, and the 33rd raises RecursionError.
    conns = [SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
             for _ in range(40)]
    started = [False] * len(conns)
    reached = []

    def make_callback(i):
        def callback(conn, where, ret):
            if i + 1 < len(conns) and not started[i + 1]:
                started[i + 1] = True
                try:
                    conns[i + 1].do_handshake()
                except SSL.WantReadError:
                    reached.append(i + 1)
                except RecursionError:
                    reached.append("RecursionError")
        return callback

    for i, conn in enumerate(conns):
        conn.set_connect_state()
        conn.set_info_callback(make_callback(i))
    with pytest.raises(SSL.WantReadError):
        conns[0].do_handshake()
    assert "RecursionError" in reached
    assert max(n for n in reached if n != "RecursionError") == 31
    # Nothing is left nested: the connections work normally afterwards.
    for conn in conns[33:]:
        with pytest.raises(SSL.WantReadError):
            conn.do_handshake()
