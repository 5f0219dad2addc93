"""
The implicit contract real programs rely on (DOWNSTREAM.md 1.1, 1.2, 1.7,
1.8): private names they touch, module names, star-imports, return values,
subclassing, buffers, and SysCallError(-1, 'Unexpected EOF') on every
kind of EOF.
"""

import errno
import importlib
import select
import socket
import struct

import pytest

from OpenSSL import SSL, crypto

from ssl26helpers import (
    client_context,
    connected_pair,
    connected_socket_pair,
    memory_pair,
    move,
    server_context,
    start,
    tcp_socket_pair,
)

# ---------------------------------------------------------------------------
# Private names programs touch
# ---------------------------------------------------------------------------


def test_util_lib_and_ffi():
    # Twisted: "from OpenSSL._util import lib"; scrapy imports the module.
    util = importlib.import_module("OpenSSL._util")
    assert util.lib is not None
    assert util.ffi is not None
    namespace = {}
    exec("from OpenSSL._util import lib, ffi", namespace)
    assert namespace["lib"] is util.lib


def test_x509_private_handle():
    # urllib3's inject_into_urllib3() checks this.
    assert crypto.X509()._x509 is not None


def test_context_private_handle():
    ctx = SSL.Context(SSL.TLS_METHOD)
    first = ctx._context
    assert first is not None
    assert ctx._context == first
    assert ctx._context is first
    assert SSL.Context(SSL.TLS_METHOD)._context != first


def test_connection_socket_attribute():
    ssock, csock = tcp_socket_pair()
    with ssock, csock:
        conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), csock)
        assert conn._socket is csock
    assert SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)._socket is None


def test_x509name_private_handle():
    assert crypto.X509().get_subject()._name is not None


def classes_of(module):
    for name in dir(module):
        obj = getattr(module, name)
        if isinstance(obj, type):
            yield name, obj


def test_module_of_every_type():
    for name, cls in classes_of(SSL):
        if name in ("X509", "X509Name", "X509Store", "PKey"):
            assert cls.__module__ == "OpenSSL.crypto", name
            assert cls is getattr(crypto, name)
        else:
            assert cls.__module__ == "OpenSSL.SSL", name
    for name, cls in classes_of(crypto):
        assert cls.__module__ == "OpenSSL.crypto", name
    assert type(SSL.NO_OVERLAPPING_PROTOCOLS).__module__ == "OpenSSL.SSL"
    for cls in (SSL.Context, SSL.Connection, SSL.Session, SSL.Error):
        assert repr(cls) == "<class 'OpenSSL.SSL.%s'>" % cls.__name__


# ---------------------------------------------------------------------------
# Star-imports (eventlet); test_ssl_module.py and test_crypto_misc.py
# check __all__ itself
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("module", ["OpenSSL.SSL", "OpenSSL.crypto"])
def test_star_import(module):
    namespace = {}
    exec("from %s import *" % module, namespace)
    mod = importlib.import_module(module)
    for name in mod.__all__:
        assert namespace[name] is getattr(mod, name)


# ---------------------------------------------------------------------------
# Return values, arguments, subclassing
# ---------------------------------------------------------------------------


def test_set_options_and_set_mode_return_new_bitmask():
    ctx = SSL.Context(SSL.TLS_METHOD)
    assert SSL.OP_NO_SSLv2 == 0             # a no-op on OpenSSL 3
    base = ctx.set_options(SSL.OP_NO_SSLv2)
    assert isinstance(base, int)
    options = ctx.set_options(SSL.OP_NO_COMPRESSION)
    assert options == base | SSL.OP_NO_COMPRESSION
    both = ctx.set_options(SSL.OP_NO_TICKET)
    assert both == options | SSL.OP_NO_TICKET
    mode = ctx.set_mode(SSL.MODE_RELEASE_BUFFERS)
    assert isinstance(mode, int) and mode & SSL.MODE_RELEASE_BUFFERS
    conn = SSL.Connection(ctx, None)
    assert conn.set_options(SSL.OP_NO_COMPRESSION) & both == both


def test_shutdown_with_argument_is_type_error():
    # eventlet's shutdown_safe() tells pyOpenSSL sockets apart this way.
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    with pytest.raises(TypeError):
        conn.shutdown(socket.SHUT_RDWR)


def test_makefile_not_implemented():
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    with pytest.raises(NotImplementedError):
        conn.makefile()
    with pytest.raises(NotImplementedError):
        conn.makefile("rb", buffering=0)


def test_constructor_messages():
    with pytest.raises(TypeError, match=r"argument must be an int, or "
                                        r"have a fileno\(\) method\."):
        SSL.Connection(SSL.Context(SSL.TLS_METHOD), "not a socket")
    with pytest.raises(TypeError, match="context must be a Context "
                                        "instance"):
        SSL.Connection(object(), None)


def test_twisted_import_time_connection():
    conn = SSL.Connection(SSL.Context(SSL.TLSv1_METHOD), None)
    assert conn.get_context().set_options(0) >= 0


def test_subclass_sets_attributes_before_init(server):
    # pymongo's _sslConn does this.
    class PyMongoConnection(SSL.Connection):
        def __init__(self, ctx, sock, suppress_ragged_eofs):
            self.socket_checker = "checker"
            self.suppress_ragged_eofs = suppress_ragged_eofs
            super().__init__(ctx, sock)

    ssock, csock = tcp_socket_pair()
    with ssock, csock:
        conn = PyMongoConnection(client_context(), csock, True)
        assert conn.socket_checker == "checker"
        assert conn.suppress_ragged_eofs is True
        assert conn.__dict__ == {"socket_checker": "checker",
                                 "suppress_ragged_eofs": True}
        assert vars(conn) is conn.__dict__
        # Forwarded socket attributes still work.
        assert conn.family == socket.AF_INET
        assert conn.gettimeout() is None
        assert isinstance(conn, SSL.Connection)


def test_plain_connection_accepts_attributes():
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    conn.anything = 1
    assert conn.anything == 1
    assert conn.__dict__ == {"anything": 1}


def test_socket_attribute_fallback():
    ssock, csock = tcp_socket_pair()
    with ssock, csock:
        conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), csock)
        assert conn.fileno() == csock.fileno()
        assert conn.getpeername() == ssock.getsockname()
        conn.settimeout(3)
        assert csock.gettimeout() == 3
        # The Connection's own __dict__, not the socket's.
        assert "settimeout" not in conn.__dict__
    memory = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    with pytest.raises(AttributeError,
                       match="'Connection' object has no attribute "
                             "'fileno'"):
        memory.fileno()


def test_send_buffers_and_flags(server):
    s, c = connected_pair(server_context(server), client_context())
    data = memoryview(b"0123456789")
    assert s.send(data[2:5], 0) == 3
    assert s.sendall(data[5:], flags=0) == 5
    assert s.send(bytearray(b"ab")) == 2
    assert s.write(memoryview(bytearray(b"cd"))[1:]) == 1
    assert s.send(buf=b"!", flags=socket.MSG_DONTWAIT) == 1
    move(s, c)
    got = b""
    while True:
        try:
            got += c.recv(100)
        except SSL.WantReadError:
            break
    assert got == b"23456789abd!"


def test_send_rejects_non_contiguous(server):
    s, c = connected_pair(server_context(server), client_context())
    with pytest.raises((TypeError, BufferError, ValueError)):
        s.send(memoryview(b"0123456789")[::2])


def test_exception_hierarchy():
    for exc in (SSL.WantReadError, SSL.WantWriteError,
                SSL.WantX509LookupError, SSL.ZeroReturnError,
                SSL.SysCallError):
        assert issubclass(exc, SSL.Error)
    assert not issubclass(crypto.Error, SSL.Error)
    assert not issubclass(SSL.Error, crypto.Error)


# ---------------------------------------------------------------------------
# SysCallError(-1, 'Unexpected EOF')
# ---------------------------------------------------------------------------

EOF = (-1, "Unexpected EOF")


def test_eof_memory_recv(server):
    s, c = connected_pair(server_context(server), client_context())
    c.bio_shutdown()
    with pytest.raises(SSL.SysCallError) as info:
        c.recv(100)
    assert info.value.args == EOF


def test_eof_memory_recv_into_and_read(server):
    s, c = connected_pair(server_context(server), client_context())
    c.bio_shutdown()
    with pytest.raises(SSL.SysCallError) as info:
        c.recv_into(bytearray(10))
    assert info.value.args == EOF
    with pytest.raises(SSL.SysCallError) as info:
        c.read(10)
    assert info.value.args == EOF


def test_eof_memory_handshake(server):
    s, c = memory_pair(server_context(server), client_context())
    start(c)
    c.bio_shutdown()
    with pytest.raises(SSL.SysCallError) as info:
        c.do_handshake()
    assert info.value.args == EOF
    s.bio_shutdown()
    with pytest.raises(SSL.SysCallError) as info:
        s.do_handshake()
    assert info.value.args == EOF


def test_eof_memory_partial_record(server):
    s, c = connected_pair(server_context(server), client_context())
    s.send(b"x" * 100)
    record = s.bio_read(65536)
    c.bio_write(record[:20])
    c.bio_shutdown()
    with pytest.raises(SSL.SysCallError) as info:
        c.recv(100)
    assert info.value.args == EOF


def test_eof_socket_recv(server):
    s, c = connected_socket_pair(server_context(server), client_context())
    s._socket.close()
    select.select([c], [], [], 10)
    with pytest.raises(SSL.SysCallError) as info:
        c.recv(100)
    assert info.value.args == EOF
    c._socket.close()


def test_eof_socket_handshake(server):
    ssock, csock = tcp_socket_pair()
    ssock.close()
    with csock:
        c = SSL.Connection(client_context(), csock)
        c.set_connect_state()
        with pytest.raises(SSL.SysCallError) as info:
            c.do_handshake()
        assert info.value.args == EOF


def test_eof_socket_handshake_midway(server):
    ssock, csock = tcp_socket_pair()
    with csock:
        c = SSL.Connection(client_context(), csock)
        c.set_connect_state()
        csock.setblocking(False)
        with pytest.raises(SSL.WantReadError):
            c.do_handshake()
        ssock.recv(65536)           # the ClientHello, then hang up
        ssock.close()
        select.select([c], [], [], 10)
        with pytest.raises(SSL.SysCallError) as info:
            c.do_handshake()
        assert info.value.args == EOF


def test_send_after_peer_closed(server):
    s, c = connected_socket_pair(server_context(server), client_context())
    s._socket.close()
    with pytest.raises(SSL.SysCallError) as info:
        for _ in range(100):
            c.send(b"x" * 16384)
            select.select([], [c], [], 10)
    assert info.value.args[0] in (errno.EPIPE, errno.ECONNRESET)
    assert info.value.args[1] == errno.errorcode[info.value.args[0]]
    c._socket.close()


def test_connection_reset(server):
    s, c = connected_socket_pair(server_context(server), client_context())
    s._socket.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                         struct.pack("ii", 1, 0))
    s._socket.close()
    select.select([c], [], [], 10)
    with pytest.raises(SSL.SysCallError) as info:
        c.recv(100)
    assert info.value.args == (errno.ECONNRESET, "ECONNRESET")
    c._socket.close()


def test_clean_close_is_zero_return(server):
    s, c = connected_pair(server_context(server), client_context())
    assert s.shutdown() is False
    move(s, c)
    with pytest.raises(SSL.ZeroReturnError):
        c.recv(100)
    assert c.get_shutdown() == SSL.RECEIVED_SHUTDOWN
