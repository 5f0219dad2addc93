"""
Garbage collection of the callbacks added by pyOpenSSL 0.15-26.x: each
one, set on a Context (or a Connection) and referring back to a Connection
of that Context, makes a reference cycle Context -> callback -> Connection
-> Context that the collector must free -- before any handshake, after the
callback ran, and after it raised an exception that is still waiting to be
re-raised.
"""

import gc
import sys
import weakref

import pytest

from OpenSSL import SSL

from conftest import assert_collected
from ssl26helpers import (
    client_context,
    dtls_contexts,
    dtls_listen,
    dtls_memory_pair,
    handshake,
    memory_pair,
    move,
    server_context,
    start,
)

# Each entry: (name, install) where install(conn, ctx, callback) puts
# `callback` where the trampolines find it; `callback` keeps `conn` alive.
CONTEXT_SETTERS = {
    "alpn_select": lambda ctx, cb: ctx.set_alpn_select_callback(cb),
    "ocsp_server": lambda ctx, cb: ctx.set_ocsp_server_callback(cb),
    "ocsp_client": lambda ctx, cb: ctx.set_ocsp_client_callback(cb),
    "ocsp_data": lambda ctx, cb: ctx.set_ocsp_server_callback(print, cb),
    "keylog": lambda ctx, cb: ctx.set_keylog_callback(cb),
    "cookie_generate": lambda ctx, cb: ctx.set_cookie_generate_callback(cb),
    "cookie_verify": lambda ctx, cb: ctx.set_cookie_verify_callback(cb),
    "info": lambda ctx, cb: ctx.set_info_callback(cb),
    "verify": lambda ctx, cb: ctx.set_verify(SSL.VERIFY_PEER, cb),
    "servername": lambda ctx, cb: ctx.set_tlsext_servername_callback(cb),
    "app_data": lambda ctx, cb: ctx.set_app_data(cb),
}

CONNECTION_SETTERS = {
    "info": lambda conn, cb: conn.set_info_callback(cb),
    "verify": lambda conn, cb: conn.set_verify(SSL.VERIFY_PEER, cb),
    "app_data": lambda conn, cb: conn.set_app_data(cb),
}


@pytest.mark.parametrize("name", sorted(CONTEXT_SETTERS))
def test_context_callback_cycle(name):
    def make():
        method = SSL.DTLS_METHOD if "cookie" in name else SSL.TLS_METHOD
        ctx = SSL.Context(method)
        conn = SSL.Connection(ctx, None)
        CONTEXT_SETTERS[name](ctx, lambda *args: conn)
        return conn

    assert_collected(make)


@pytest.mark.parametrize("name", sorted(CONTEXT_SETTERS))
def test_context_callback_cycle_keeps_context_alive_until_collected(name):
    def make():
        method = SSL.DTLS_METHOD if "cookie" in name else SSL.TLS_METHOD
        ctx = SSL.Context(method)
        conn = SSL.Connection(ctx, None)
        CONTEXT_SETTERS[name](ctx, lambda *args: conn)
        return ctx

    assert_collected(make)


@pytest.mark.parametrize("name", sorted(CONNECTION_SETTERS))
def test_connection_callback_cycle(name):
    def make():
        conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
        CONNECTION_SETTERS[name](conn, lambda *args: conn)
        return conn

    assert_collected(make)


def test_subclass_instance_dict_cycle():
    class Mine(SSL.Connection):
        pass

    def make():
        conn = Mine(SSL.Context(SSL.TLS_METHOD), None)
        conn.me = conn
        return conn

    assert_collected(make)


# ---------------------------------------------------------------------------
# After the callbacks ran
# ---------------------------------------------------------------------------


def test_alpn_cycle_after_handshake(server):
    def make():
        sctx = server_context(server)
        cctx = client_context()
        cctx.set_alpn_protos([b"h2"])
        s, c = memory_pair(sctx, cctx)
        sctx.set_alpn_select_callback(lambda conn, offered: (s, b"h2")[1])
        handshake(s, c)
        assert s.get_alpn_proto_negotiated() == b"h2"
        return s

    assert_collected(make)


def test_ocsp_cycle_after_handshake(server):
    def make():
        sctx = server_context(server)
        cctx = client_context()
        s, c = memory_pair(sctx, cctx)
        sctx.set_ocsp_server_callback(lambda conn, data: b"R", data=s)
        cctx.set_ocsp_client_callback(lambda conn, r, data: c is not None)
        c.request_ocsp()
        handshake(s, c)
        return c

    assert_collected(make)


def test_keylog_and_info_cycle_after_handshake(server):
    def make():
        sctx = server_context(server)
        s, c = memory_pair(sctx, client_context())
        sctx.set_keylog_callback(lambda conn, line: s)
        c.set_info_callback(lambda conn, where, ret: c)
        c.set_verify(SSL.VERIFY_PEER, lambda *args: c is not None)
        handshake(s, c)
        return s

    assert_collected(make)


def test_cookie_cycle_after_listen(server):
    def make():
        holder = []
        sctx, cctx = dtls_contexts(
            server, lambda conn: holder and b"cookie",
            lambda conn, cookie: holder is not None)
        s, c = dtls_memory_pair(sctx, cctx)
        holder.append(s)
        dtls_listen(s, c)
        handshake(s, c)
        return s

    assert_collected(make)


# ---------------------------------------------------------------------------
# Exceptions captured and not yet re-raised
# ---------------------------------------------------------------------------


class Boom(Exception):
    pass


def test_pending_exception_cycle(server):
    # The exception's traceback holds the callback's frame, which holds the
    # Connection: a cycle through the Connection's list of pending
    # exceptions, which is never re-raised here.
    def make():
        sctx = server_context(server)
        cctx = client_context()
        cctx.set_alpn_protos([b"h2"])
        s, c = memory_pair(sctx, cctx)

        def select(conn, offered):
            raise Boom(conn)

        sctx.set_alpn_select_callback(select)
        start(c)
        move(c, s)
        # Two failures recorded; one raised, one left behind.
        try:
            s.do_handshake()
        except Boom:
            pass
        return s

    assert_collected(make)


def test_pending_cookie_exception_cycle(server):
    # Raised by the handshake's cookie exchange, kept for DTLSv1_listen,
    # which is never called.
    def make():
        sctx, cctx = dtls_contexts(server, gen=lambda conn: conn.boom())
        sctx.set_options(SSL.OP_COOKIE_EXCHANGE)
        s, c = dtls_memory_pair(sctx, cctx)
        start(c)
        move(c, s)
        with pytest.raises(SSL.Error):
            s.do_handshake()
        return s

    assert_collected(make)


def test_verify_exception_left_pending(server):
    def make():
        s, c = memory_pair(server_context(server), client_context())

        def verify(conn, *args):
            raise Boom(conn)

        c.set_verify(SSL.VERIFY_PEER, verify)
        start(c)
        move(c, s)
        start(s)
        move(s, c)
        try:
            c.do_handshake()
        except Boom:
            pass
        return c

    assert_collected(make)


# ---------------------------------------------------------------------------
# Objects stay alive while OpenSSL can use them
# ---------------------------------------------------------------------------


def test_callback_kept_alive_by_context(server):
    calls = []
    sctx = server_context(server)
    cctx = client_context()
    cctx.set_alpn_protos([b"h2"])

    class Selector:
        def __call__(self, conn, offered):
            calls.append(offered)
            return offered[0]

    selector = Selector()
    ref = weakref.ref(selector)
    sctx.set_alpn_select_callback(selector)
    del selector
    gc.collect()
    assert ref() is not None
    s, c = memory_pair(sctx, cctx)
    handshake(s, c)
    assert calls == [[b"h2"]]
    sctx.set_alpn_select_callback(None)
    del s, c
    gc.collect()
    assert ref() is None


def test_connection_keeps_context_alive(server):
    sctx = server_context(server)
    ref = weakref.ref(sctx)
    s, c = memory_pair(sctx, client_context())
    del sctx
    gc.collect()
    assert ref() is not None
    handshake(s, c)
    assert s.get_context() is ref()


def test_replacing_callback_during_handshake(server):
    # A callback that replaces itself on its Context while it runs: the
    # trampoline holds its own reference, so nothing is freed under it.
    sctx = server_context(server)
    cctx = client_context()
    cctx.set_alpn_protos([b"h2"])

    def select(conn, offered):
        conn.get_context().set_alpn_select_callback(lambda c, o: b"h2")
        gc.collect()
        return offered[0]

    sctx.set_alpn_select_callback(select)
    del select
    s, c = memory_pair(sctx, cctx)
    handshake(s, c)
    assert c.get_alpn_proto_negotiated() == b"h2"


def test_weakrefs_to_ssl_objects(server):
    s, c = memory_pair(server_context(server), client_context())
    handshake(s, c)
    for obj in (s, s.get_context(), s.get_session()):
        assert weakref.ref(obj)() is obj
    assert sys.getrefcount(s) >= 2
