"""
Garbage collection (API.md 3.4, DESIGN "Garbage collection"): every
callback a Context or Connection holds, its application data and a
Session's Context are visible to the cycle collector, so that the usual
cycles -- Context -> callback -> Connection -> Context, Connection ->
app_data -> Connection, Context -> Session -> Context -- are freed once
nothing else refers to them. Each test builds the cycle, drops it and
checks with a weak reference that gc.collect() freed it.
"""

import gc
import weakref

import pytest

from conftest import assert_collected
from OpenSSL import SSL
from sslhelpers import (
    client_context,
    handshake_in_memory,
    handshake_pair,
    memory_pair,
    server_context,
    socket_connections,
)


def no_refs_left(*objects):
    refs = [weakref.ref(o) for o in objects]
    del objects
    gc.collect()
    return all(r() is None for r in refs)


# ---------------------------------------------------------------------------
# Context callbacks referring to a Connection of that Context
# ---------------------------------------------------------------------------

CONTEXT_SETTERS = {
    "verify": lambda ctx, cb: ctx.set_verify(SSL.VERIFY_PEER, cb),
    "info": lambda ctx, cb: ctx.set_info_callback(cb),
    "servername": lambda ctx, cb: ctx.set_tlsext_servername_callback(cb),
    "passwd": lambda ctx, cb: ctx.set_passwd_cb(cb),
    "passwd-userdata": lambda ctx, cb: ctx.set_passwd_cb(len, cb),
    "alpn": lambda ctx, cb: ctx.set_alpn_select_callback(cb),
    "ocsp-server": lambda ctx, cb: ctx.set_ocsp_server_callback(cb),
    "ocsp-server-data": lambda ctx, cb: ctx.set_ocsp_server_callback(len,
                                                                     cb),
    "ocsp-client": lambda ctx, cb: ctx.set_ocsp_client_callback(cb),
    "keylog": lambda ctx, cb: ctx.set_keylog_callback(cb),
    "cookie-generate": lambda ctx, cb: ctx.set_cookie_generate_callback(cb),
    "cookie-verify": lambda ctx, cb: ctx.set_cookie_verify_callback(cb),
    "app-data": lambda ctx, cb: ctx.set_app_data(cb),
}


@pytest.mark.parametrize("setter", sorted(CONTEXT_SETTERS))
@pytest.mark.parametrize("before", [True, False],
                         ids=["set-before-Connection", "set-after"])
def test_context_callback_connection_cycle(setter, before):
    def make_cycle():
        ctx = SSL.Context(SSL.TLS_METHOD)
        holder = []

        def callback(*args):
            return holder

        if before:
            CONTEXT_SETTERS[setter](ctx, callback)
        conn = SSL.Connection(ctx, None)
        holder.append(conn)
        if not before:
            CONTEXT_SETTERS[setter](ctx, callback)
        return conn

    assert_collected(make_cycle)


@pytest.mark.parametrize("setter", sorted(CONTEXT_SETTERS))
def test_context_callback_context_cycle(setter):
    def make_cycle():
        ctx = SSL.Context(SSL.TLS_METHOD)
        CONTEXT_SETTERS[setter](ctx, lambda *args: ctx)
        return ctx

    assert_collected(make_cycle)


def test_bound_method_callbacks():
    """A common pattern: the callbacks are methods of an object that owns
    the Context."""

    class Server:
        def __init__(self):
            self.ctx = SSL.Context(SSL.TLS_METHOD)
            self.ctx.set_verify(SSL.VERIFY_PEER, self.verify)
            self.ctx.set_info_callback(self.info)
            self.ctx.set_tlsext_servername_callback(self.servername)
            self.ctx.set_passwd_cb(self.passwd, self)
            self.conn = SSL.Connection(self.ctx, None)
            self.conn.set_app_data(self)

        def verify(self, *args):
            return True

        def info(self, *args):
            pass

        def servername(self, conn):
            pass

        def passwd(self, *args):
            return b""

    assert_collected(Server)


# ---------------------------------------------------------------------------
# Connection-level callbacks and app data
# ---------------------------------------------------------------------------


def test_connection_verify_callback_cycle():
    def make_cycle():
        conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
        conn.set_verify(SSL.VERIFY_PEER, lambda *args: conn)
        return conn

    assert_collected(make_cycle)


def test_connection_info_callback_cycle():
    def make_cycle():
        conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
        conn.set_info_callback(lambda *args: conn)
        return conn

    assert_collected(make_cycle)


def test_connection_app_data_cycle():
    def make_cycle():
        conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
        conn.set_app_data(conn)
        return conn

    assert_collected(make_cycle)


def test_connection_app_data_object_cycle():
    class Protocol:
        pass

    def make_cycle():
        proto = Protocol()
        proto.conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
        proto.conn.set_app_data(proto)
        return proto

    assert_collected(make_cycle)


def test_connection_dict_cycle():
    def make_cycle():
        conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
        conn.me = conn
        return conn

    assert_collected(make_cycle)


def test_connection_subclass_cycle():
    class Mine(SSL.Connection):
        pass

    def make_cycle():
        conn = Mine(SSL.Context(SSL.TLS_METHOD), None)
        conn.me = conn
        return conn

    assert_collected(make_cycle)


def test_context_subclass_cycle():
    class Mine(SSL.Context):
        pass

    def make_cycle():
        ctx = Mine(SSL.TLS_METHOD)
        ctx.me = ctx
        return ctx

    assert_collected(make_cycle)


def test_socket_connection_cycle(ca, server):
    def make_cycle():
        server_conn, client_conn = socket_connections(server_context(server),
                                                      client_context(ca))
        server_conn.set_app_data(client_conn)
        client_conn.set_app_data(server_conn)
        server_conn._socket.close()
        client_conn._socket.close()
        return server_conn

    assert_collected(make_cycle)


# ---------------------------------------------------------------------------
# Sessions
# ---------------------------------------------------------------------------


def test_session_context_cycle(ca, server):
    def make_cycle():
        cctx = client_context(ca)
        server_conn, client_conn = handshake_pair(server_context(server),
                                                  cctx)
        session = client_conn.get_session()
        cctx.set_app_data(session)          # Context -> Session -> Context
        return session

    assert_collected(make_cycle)


def test_bare_session_cycle():
    class MySession(SSL.Session):
        pass

    def make_cycle():
        s = MySession()
        s.me = s
        return s

    assert_collected(make_cycle)


# ---------------------------------------------------------------------------
# After real handshakes that ran callbacks
# ---------------------------------------------------------------------------


def test_everything_freed_after_handshakes_with_callbacks(ca, server):
    def run():
        sctx = server_context(server)
        cctx = client_context(ca)
        conns = []
        cctx.set_verify(SSL.VERIFY_PEER,
                        lambda conn, *a: conns.append(conn) or True)
        sctx.set_info_callback(lambda conn, *a: conns.append(conn))
        sctx.set_tlsext_servername_callback(lambda conn: conns.append(conn))
        server_conn, client_conn = handshake_pair(sctx, cctx,
                                                  server_name=b"localhost")
        return sctx, cctx, server_conn, client_conn, conns

    objects = run()
    refs = [weakref.ref(o) for o in objects[:4]]
    del objects
    gc.collect()
    assert [r() for r in refs] == [None] * 4


def test_connection_freed_after_callback_exception(ca, server):
    """The exception a verify callback raised holds a traceback whose
    frames refer to the Connection: the exception is the Connection's
    until raised, and none of it may keep the Connection alive."""

    class Problem(Exception):
        pass

    def run():
        def verify(conn, *args):
            raise Problem(conn)

        cctx = client_context(ca, callback=verify)
        server_conn, client_conn = memory_pair(server_context(server), cctx)
        with pytest.raises(Problem) as info:
            handshake_in_memory(client_conn, server_conn)
        assert info.value.args[0] is client_conn
        return client_conn

    assert_collected(run)


def test_no_leak_of_connections_in_a_loop(ca, server):
    sctx = server_context(server)
    cctx = client_context(ca, callback=lambda *a: True)
    handshake_pair(sctx, cctx)
    gc.collect()
    before = len(gc.get_objects())
    for _ in range(50):
        handshake_pair(sctx, cctx)
    gc.collect()
    assert len(gc.get_objects()) - before < 50
