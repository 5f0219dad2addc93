"""
Connection I/O (API.md 1.6, 2.1, 3.2 rows 8, 33, 35, 41; DOWNSTREAM 1.1,
1.2): send/sendall/write and recv/read/recv_into with every buffer type,
MSG_PEEK, partial writes, large transfers both ways over memory BIOs and
loopback sockets (blocking and non-blocking), WantReadError and a
select()-driven handshake, clean shutdown and the Unexpected EOF cases.
"""

import os
import select
import socket
import time

import pytest

from OpenSSL import SSL
from sslhelpers import (
    TIMEOUT,
    Background,
    assert_queue_empty,
    client_context,
    close_pair,
    handshake_nonblocking,
    handshake_pair,
    loopback,
    memory_pair,
    pump,
    read_pending,
    recv_exactly,
    server_context,
    socket_connections,
    transfer,
)


@pytest.fixture
def pair(ca, server):
    """An established memory-BIO (server, client) pair."""
    return handshake_pair(server_context(server), client_context(ca))


@pytest.fixture
def sockets(ca, server):
    """An established non-blocking loopback (server, client) pair."""
    server_conn, client_conn = loopback(server_context(server),
                                        client_context(ca))
    yield server_conn, client_conn
    close_pair(server_conn, client_conn)


def received(server_conn, client_conn):
    """Move the client's output to the server and read it all there."""
    pump(server_conn, client_conn)
    return read_pending(server_conn)


# ---------------------------------------------------------------------------
# send, sendall, write
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("make", [
    bytes, bytearray, memoryview,
    lambda b: memoryview(b"xx" + b + b"yy")[2:-2],
    lambda b: memoryview(bytearray(b)),
])
@pytest.mark.parametrize("method", ["send", "sendall", "write"])
def test_send_buffer_types(pair, make, method):
    server_conn, client_conn = pair
    data = b"some application data"
    assert getattr(client_conn, method)(make(data)) == len(data)
    assert received(server_conn, client_conn) == data


def test_send_flags_are_ignored(pair):
    server_conn, client_conn = pair
    assert client_conn.send(b"abc", 0) == 3
    assert client_conn.send(b"def", socket.MSG_DONTWAIT) == 3
    assert client_conn.sendall(b"ghi", flags=0) == 3
    assert client_conn.send(buf=b"jkl", flags=0) == 3
    assert received(server_conn, client_conn) == b"abcdefghijkl"


def test_pymongo_send_memoryview_slice_with_flags(pair):
    server_conn, client_conn = pair
    view = memoryview(b"0123456789")
    assert client_conn.send(view[3:7], 0) == 4
    assert received(server_conn, client_conn) == b"3456"


@pytest.mark.parametrize("method", ["send", "sendall", "write"])
def test_send_str_warns(pair, method):
    server_conn, client_conn = pair
    with pytest.warns(DeprecationWarning) as record:
        assert getattr(client_conn, method)("h\u00e9llo") == 6
    assert str(record[0].message) == (
        "str for buf is no longer accepted, use bytes"
    )
    assert received(server_conn, client_conn) == "h\u00e9llo".encode()


@pytest.mark.parametrize("bad", [None, 1, 1.5, ["x"], object()])
@pytest.mark.parametrize("method", ["send", "sendall"])
def test_send_types(pair, bad, method):
    server_conn, client_conn = pair
    with pytest.raises(TypeError):
        getattr(client_conn, method)(bad)
    assert_queue_empty()


def test_send_empty(pair):
    # sendall writes nothing; send(b"") is an SSL_write of 0 bytes, which
    # returns 0 and maps as pyOpenSSL maps it. Neither breaks the
    # connection.
    server_conn, client_conn = pair
    assert client_conn.sendall(b"") == 0
    with pytest.raises(SSL.SysCallError) as info:
        client_conn.send(b"")
    assert info.value.args == (-1, "Unexpected EOF")
    assert_queue_empty()
    assert transfer(client_conn, server_conn, b"still fine") == b"still fine"


def test_sendall_returns_the_total(pair):
    server_conn, client_conn = pair
    data = os.urandom(300000)
    assert client_conn.sendall(data) == len(data)
    assert type(client_conn.sendall(data)) is int
    pump(server_conn, client_conn)
    assert read_pending(server_conn) == data + data


def test_send_before_handshake_starts_it(ca, server):
    # A client in connect state: send() runs the handshake first.
    server_conn, client_conn = memory_pair(server_context(server),
                                           client_context(ca))
    with pytest.raises(SSL.WantReadError):
        client_conn.send(b"early")
    for _ in range(10):
        pump(server_conn, client_conn)
        try:
            server_conn.do_handshake()
        except SSL.WantReadError:
            pass
        try:
            # retry with the same arguments
            assert client_conn.send(b"early") == 5
            break
        except SSL.WantReadError:
            pass
    assert received(server_conn, client_conn) == b"early"


# ---------------------------------------------------------------------------
# recv, read, recv_into, MSG_PEEK
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["recv", "read"])
def test_recv(pair, method):
    server_conn, client_conn = pair
    client_conn.send(b"0123456789")
    pump(server_conn, client_conn)
    recv = getattr(server_conn, method)
    assert recv(4) == b"0123"
    assert type(recv(1)) is bytes
    assert recv(bufsiz=100) == b"56789"
    with pytest.raises(SSL.WantReadError):
        recv(100)


def test_recv_zero(pair):
    # SSL_read of 0 bytes returns 0, which pyOpenSSL maps as an EOF (23.0
    # and this agree); the data stays there for the next read.
    server_conn, client_conn = pair
    with pytest.raises(SSL.WantReadError):
        server_conn.recv(0)
    client_conn.send(b"abc")
    pump(server_conn, client_conn)
    with pytest.raises(SSL.SysCallError) as info:
        server_conn.recv(0)
    assert info.value.args == (-1, "Unexpected EOF")
    assert server_conn.recv(10) == b"abc"
    assert_queue_empty()


def test_recv_peek(pair):
    server_conn, client_conn = pair
    client_conn.send(b"peekaboo")
    pump(server_conn, client_conn)
    assert server_conn.recv(4, socket.MSG_PEEK) == b"peek"
    assert server_conn.recv(100, socket.MSG_PEEK) == b"peekaboo"
    assert server_conn.pending() == 8
    assert server_conn.recv(4) == b"peek"
    assert server_conn.pending() == 4
    assert server_conn.read(100, flags=socket.MSG_PEEK) == b"aboo"
    # other flags are ignored
    assert server_conn.recv(2, socket.MSG_DONTWAIT) == b"ab"
    assert server_conn.recv(2, None) == b"oo"


def test_recv_into(pair):
    server_conn, client_conn = pair
    client_conn.send(b"into the buffer")
    pump(server_conn, client_conn)
    buf = bytearray(8)
    assert server_conn.recv_into(buf) == 8
    assert buf == b"into the"
    buf = bytearray(20)
    assert server_conn.recv_into(buf, 3) == 3
    assert buf[:3] == b" bu"
    assert server_conn.recv_into(buffer=buf, nbytes=100) == 4
    assert buf[:4] == b"ffer"


def test_recv_into_memoryview_and_peek(pair):
    server_conn, client_conn = pair
    client_conn.send(b"abcdef")
    pump(server_conn, client_conn)
    target = bytearray(10)
    view = memoryview(target)[2:]
    assert server_conn.recv_into(view, 3, socket.MSG_PEEK) == 3
    assert target == b"\0\0abc\0\0\0\0\0"
    assert server_conn.recv_into(view) == 6
    assert target == b"\0\0abcdef\0\0"
    # urllib3's SocketIO.readinto passes a writable memoryview
    assert server_conn.pending() == 0


def test_recv_into_read_only_buffer(pair):
    server_conn, client_conn = pair
    with pytest.raises(TypeError, match="writable"):
        server_conn.recv_into(b"read only")
    with pytest.raises(TypeError):
        server_conn.recv_into(None)


def test_recv_into_zero_size(pair):
    server_conn, client_conn = pair
    client_conn.send(b"x")
    pump(server_conn, client_conn)
    for args in ((bytearray(0),), (bytearray(5), 0)):
        with pytest.raises(SSL.SysCallError) as info:
            server_conn.recv_into(*args)
        assert info.value.args == (-1, "Unexpected EOF")
    assert server_conn.recv(1) == b"x"


def test_want_read_on_empty_memory_bio(pair):
    server_conn, client_conn = pair
    with pytest.raises(SSL.WantReadError) as info:
        server_conn.recv(10)
    assert info.value.args == ()
    with pytest.raises(SSL.WantReadError):
        server_conn.bio_read(10)
    assert server_conn.want_read() == 1
    assert_queue_empty()


# ---------------------------------------------------------------------------
# Memory BIO plumbing
# ---------------------------------------------------------------------------


def test_bio_write_types(pair):
    server_conn, client_conn = pair
    client_conn.send(b"through bytearray")
    data = client_conn.bio_read(65536)
    assert type(data) is bytes
    assert server_conn.bio_write(bytearray(data[:10])) == 10
    assert server_conn.bio_write(memoryview(data)[10:]) == len(data) - 10
    assert read_pending(server_conn) == b"through bytearray"


def test_bio_write_str_warns(pair):
    server_conn, client_conn = pair
    with pytest.warns(DeprecationWarning) as record:
        server_conn.bio_write("garbage")
    assert str(record[0].message) == (
        "str for buf is no longer accepted, use bytes"
    )
    with pytest.raises(SSL.Error):
        server_conn.recv(10)        # it was not a TLS record
    assert_queue_empty()


def test_bio_read_sizes(pair):
    server_conn, client_conn = pair
    client_conn.send(b"x" * 1000)
    first = client_conn.bio_read(10)
    assert len(first) == 10
    rest = client_conn.bio_read(bufsiz=1000000)
    server_conn.bio_write(first + rest)
    assert server_conn.recv(2000) == b"x" * 1000


def test_bio_methods_on_socket_connections(sockets):
    server_conn, client_conn = sockets
    for call in (lambda: client_conn.bio_read(10),
                 lambda: client_conn.bio_write(b"x"),
                 lambda: client_conn.bio_shutdown()):
        with pytest.raises(TypeError) as info:
            call()
        assert str(info.value) == "Connection sock was not None"


# ---------------------------------------------------------------------------
# Large transfers, partial writes
# ---------------------------------------------------------------------------

BIG = 4 * 1024 * 1024


def test_large_transfer_memory(pair):
    server_conn, client_conn = pair
    up = os.urandom(BIG)
    down = os.urandom(BIG)
    assert transfer(client_conn, server_conn, up) == up
    assert transfer(server_conn, client_conn, down) == down


def test_large_transfer_blocking_sockets(ca, server):
    server_conn, client_conn = socket_connections(
        server_context(server), client_context(ca), blocking=True
    )
    bg = Background(server_conn.do_handshake)
    client_conn.do_handshake()
    bg.result()
    up = os.urandom(BIG)
    down = os.urandom(BIG)

    def serve():
        got = bytearray()
        while len(got) < len(up):
            got += server_conn.recv(65536)
        assert server_conn.sendall(down) == len(down)
        return bytes(got)

    bg = Background(serve)
    assert client_conn.sendall(up) == len(up)
    got = bytearray()
    buf = bytearray(65536)
    while len(got) < len(down):
        n = client_conn.recv_into(buf)
        got += buf[:n]
    assert bg.result() == up
    assert got == down
    close_pair(server_conn, client_conn)


def small_buffers(server_conn, client_conn):
    """Kernel buffers far smaller than BIG, whatever the autotuning."""
    client_conn.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 32768)
    server_conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32768)


def test_partial_writes_and_want_write(sockets):
    """A non-blocking socket whose peer does not read: send() writes part
    of a large buffer (partial writes are on), then raises
    WantWriteError; the data all arrives once the peer reads."""
    server_conn, client_conn = sockets
    small_buffers(server_conn, client_conn)
    data = os.urandom(BIG)
    view = memoryview(data)
    sent = 0
    partial = False
    while True:
        try:
            n = client_conn.send(view[sent:])
        except SSL.WantWriteError:
            break
        assert 0 < n <= len(data) - sent
        if n < len(data) - sent:
            partial = True
        sent += n
        if sent == len(data):
            break
    assert partial
    assert sent < len(data)
    assert client_conn.want_write() == 1

    got = bytearray()
    deadline = time.monotonic() + TIMEOUT
    while len(got) < len(data):
        assert time.monotonic() < deadline
        progress = False
        try:
            got += server_conn.recv(65536)
            progress = True
        except SSL.WantReadError:
            pass
        if sent < len(data):
            try:
                # retry: a different (moved) buffer is fine too
                sent += client_conn.send(bytes(view[sent:sent + 100000]))
                progress = True
            except SSL.WantWriteError:
                pass
        if not progress:
            select.select([server_conn], [client_conn], [], 1)
    assert bytes(got) == data


def test_sendall_raises_want_write_midway(sockets):
    # row 8: no internal retry; the Want* error escapes at once
    server_conn, client_conn = sockets
    small_buffers(server_conn, client_conn)
    with pytest.raises(SSL.WantWriteError):
        client_conn.sendall(os.urandom(BIG))
    assert_queue_empty()


# ---------------------------------------------------------------------------
# Non-blocking sockets: WantReadError and the select() loop
# ---------------------------------------------------------------------------


def test_want_read_nonblocking_handshake(ca, server):
    server_conn, client_conn = socket_connections(server_context(server),
                                                  client_context(ca))
    with pytest.raises(SSL.WantReadError):
        server_conn.do_handshake()      # nothing from the client yet
    with pytest.raises(SSL.WantReadError):
        client_conn.do_handshake()      # sent the hello, waits
    handshake_nonblocking(client_conn, server_conn)
    assert client_conn.get_peer_certificate().get_subject().CN == (
        "localhost"
    )
    with pytest.raises(SSL.WantReadError):
        server_conn.recv(10)
    client_conn.sendall(b"ping")
    assert recv_exactly(server_conn, 4) == b"ping"
    server_conn.sendall(b"pong")
    assert recv_exactly(client_conn, 4) == b"pong"
    close_pair(server_conn, client_conn)


def test_handshake_with_socket_timeouts(ca, server):
    """urllib3: a socket with a timeout is non-blocking inside; WantRead
    from do_handshake means wait with select() and retry."""
    server_conn, client_conn = socket_connections(server_context(server),
                                                  client_context(ca))
    client_conn.settimeout(5.0)
    server_conn.settimeout(5.0)
    handshake_nonblocking(client_conn, server_conn)
    close_pair(server_conn, client_conn)


def test_recv_on_socket_connections(sockets):
    server_conn, client_conn = sockets
    client_conn.sendall(b"hello")
    select.select([server_conn], [], [], TIMEOUT)
    assert server_conn.recv(2, socket.MSG_PEEK) == b"he"
    assert recv_exactly(server_conn, 5) == b"hello"
    buf = bytearray(5)
    server_conn.sendall(b"world")
    while True:
        # the TLS 1.3 session tickets come first: WantReadError after them
        select.select([client_conn], [], [], TIMEOUT)
        try:
            assert client_conn.recv_into(buf) == 5
            break
        except SSL.WantReadError:
            pass
    assert buf == b"world"


# ---------------------------------------------------------------------------
# Shutdown: clean and unclean
# ---------------------------------------------------------------------------


def test_clean_shutdown_memory(pair):
    server_conn, client_conn = pair
    assert client_conn.shutdown() is False           # sent, not received
    assert client_conn.get_shutdown() == SSL.SENT_SHUTDOWN
    pump(server_conn, client_conn)
    with pytest.raises(SSL.ZeroReturnError) as info:
        server_conn.recv(10)
    assert info.value.args == ()
    assert server_conn.get_shutdown() == SSL.RECEIVED_SHUTDOWN
    assert server_conn.shutdown() is True            # both done
    assert server_conn.get_shutdown() == (
        SSL.SENT_SHUTDOWN | SSL.RECEIVED_SHUTDOWN
    )
    pump(server_conn, client_conn)
    assert client_conn.shutdown() is True
    assert client_conn.get_shutdown() == 3
    with pytest.raises(SSL.ZeroReturnError):
        client_conn.recv(10)
    assert_queue_empty()


def test_data_before_close_notify(pair):
    server_conn, client_conn = pair
    client_conn.send(b"last words")
    client_conn.shutdown()
    pump(server_conn, client_conn)
    assert server_conn.recv(100) == b"last words"
    with pytest.raises(SSL.ZeroReturnError):
        server_conn.recv(100)


def test_unexpected_eof_memory(pair):
    """bio_shutdown() then recv(): SysCallError(-1, 'Unexpected EOF'), which
    Twisted and urllib3 match on (DOWNSTREAM 1.1, 1.2)."""
    server_conn, client_conn = pair
    server_conn.bio_shutdown()
    with pytest.raises(SSL.SysCallError) as info:
        server_conn.recv(10)
    assert type(info.value) is SSL.SysCallError
    assert info.value.args == (-1, "Unexpected EOF")
    # and from send on the same connection afterwards
    with pytest.raises(SSL.SysCallError) as info:
        server_conn.send(b"x")
    assert info.value.args == (-1, "Unexpected EOF")
    assert_queue_empty()


def test_unexpected_eof_during_handshake_memory(ca, server):
    server_conn, client_conn = memory_pair(server_context(server),
                                           client_context(ca))
    server_conn.bio_shutdown()
    with pytest.raises(SSL.SysCallError) as info:
        server_conn.do_handshake()
    assert info.value.args == (-1, "Unexpected EOF")


@pytest.mark.parametrize("how", ["shutdown", "close"])
def test_unexpected_eof_socket(sockets, how):
    server_conn, client_conn = sockets
    read_pending_socket(client_conn, server_conn)
    # EOF without close_notify: a half close, or a full one
    if how == "shutdown":
        client_conn.sock_shutdown(socket.SHUT_WR)
    else:
        client_conn.close()
    select.select([server_conn], [], [], TIMEOUT)
    with pytest.raises(SSL.SysCallError) as info:
        server_conn.recv(10)
    assert info.value.args == (-1, "Unexpected EOF")
    # send after the peer closed (DOWNSTREAM 1.1 item 2)
    with pytest.raises(SSL.SysCallError) as info:
        server_conn.send(b"x")
    assert info.value.args == (-1, "Unexpected EOF")
    assert_queue_empty()


def read_pending_socket(conn, peer):
    """Make a non-blocking socket Connection read what its peer sent so far
    (the TLS 1.3 session tickets), so that closing it sends a FIN and not a
    RST: the peer sends one byte after them, and conn reads up to it."""
    peer.sendall(b"!")
    assert recv_exactly(conn, 1) == b"!"


def test_peer_reset_is_a_syscall_error(sockets):
    server_conn, client_conn = sockets
    # unread tickets on the client side: the kernel answers with a RST
    client_conn._socket.setsockopt(
        socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\0\0\0\0\0\0\0"
    )
    client_conn._socket.close()
    select.select([server_conn], [], [], TIMEOUT)
    with pytest.raises(SSL.SysCallError) as info:
        server_conn.recv(10)
    assert info.value.args == (104, "ECONNRESET")
    with pytest.raises(SSL.SysCallError) as info:
        server_conn.send(b"x")
    assert info.value.args[0] in (32, 104)
    assert info.value.args[1] in ("EPIPE", "ECONNRESET")
    assert_queue_empty()


def test_clean_shutdown_socket(sockets):
    server_conn, client_conn = sockets
    assert client_conn.shutdown() is False
    select.select([server_conn], [], [], TIMEOUT)
    with pytest.raises(SSL.ZeroReturnError):
        recv_exactly(server_conn, 1)
    assert server_conn.get_shutdown() & SSL.RECEIVED_SHUTDOWN
    assert server_conn.shutdown() is True
    # urllib3: ZeroReturnError plus RECEIVED_SHUTDOWN is a clean EOF
    deadline = time.monotonic() + TIMEOUT
    while True:
        try:
            client_conn.recv(10)
        except SSL.ZeroReturnError:
            break
        except SSL.WantReadError:
            assert time.monotonic() < deadline
            select.select([client_conn], [], [], 1)
    assert client_conn.get_shutdown() == (
        SSL.SENT_SHUTDOWN | SSL.RECEIVED_SHUTDOWN
    )


def test_shutdown_before_handshake():
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    with pytest.raises(SSL.Error) as info:
        conn.shutdown()
    assert info.value.args == ([("SSL routines", "", "uninitialized")],)
    assert_queue_empty()


def test_shutdown_during_handshake(ca, server):
    server_conn, client_conn = memory_pair(server_context(server),
                                           client_context(ca))
    with pytest.raises(SSL.WantReadError):
        client_conn.do_handshake()
    # Twisted treats an Error here as "not done"; OpenSSL 3 may also just
    # answer without sending anything.
    try:
        result = client_conn.shutdown()
    except SSL.Error:
        pass
    else:
        assert type(result) is bool
    assert_queue_empty()


def test_send_after_shutdown(pair):
    server_conn, client_conn = pair
    client_conn.shutdown()
    with pytest.raises(SSL.Error) as info:
        client_conn.send(b"too late")
    assert info.value.args == (
        [("SSL routines", "", "protocol is shutdown")],
    )
    assert_queue_empty()


def test_io_on_closed_socket(ca, server):
    server_conn, client_conn = loopback(server_context(server),
                                        client_context(ca))
    client_conn._socket.close()         # closed under the Connection
    for call in (lambda: client_conn.send(b"x"),
                 lambda: client_conn.recv(10),
                 lambda: client_conn.shutdown(),
                 lambda: client_conn.do_handshake()):
        try:
            call()
        except SSL.Error as e:
            if isinstance(e, SSL.SysCallError):
                assert e.args[0] in (-1, 9)     # EBADF
        except OSError:
            pass
    assert_queue_empty()
    server_conn._socket.close()
