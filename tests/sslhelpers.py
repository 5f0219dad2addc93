"""
Helpers shared by the tests of OpenSSL.SSL (tests/test_ssl_*.py):
contexts made from the session PKI of conftest.py, memory-BIO pairs and
their handshake loop, loopback socket pairs (127.0.0.1, port 0) with a
select()-based handshake loop, and a thread runner whose join has a
timeout (a safety net only: nothing here sleeps to synchronise).

Everything uses only the public API, so that the same helpers can drive
pyOpenSSL itself when a behaviour has to be compared with it.
"""

import select
import socket
import threading
import time

from OpenSSL import SSL

# A generous bound for anything that should take milliseconds: reached
# only if something hangs, so that a bug fails a test instead of the run.
TIMEOUT = 20.0


# ---------------------------------------------------------------------------
# Contexts
# ---------------------------------------------------------------------------


def pin(ctx, version):
    """Pin a Context to one protocol version (SSL.TLS1_2_VERSION, ...)."""
    if version is not None:
        ctx.set_min_proto_version(version)
        ctx.set_max_proto_version(version)
    return ctx


def server_context(server, method=SSL.TLS_METHOD, version=None):
    """A server Context with the (key, cert) pair `server`."""
    key, cert = server
    ctx = SSL.Context(method)
    ctx.use_privatekey(key)
    ctx.use_certificate(cert)
    return pin(ctx, version)


def client_context(ca=None, method=SSL.TLS_METHOD, version=None,
                   callback=None):
    """
    A client Context. With `ca` (a (key, cert) pair) it trusts that CA and
    verifies the server (VERIFY_PEER, with `callback` if given).
    """
    ctx = SSL.Context(method)
    if ca is not None:
        ctx.get_cert_store().add_cert(ca[1])
        ctx.set_verify(SSL.VERIFY_PEER, callback)
    return pin(ctx, version)


def require_client_cert(ctx, ca, callback=None):
    """Make a server Context ask for (and require) a client certificate
    issued by `ca`."""
    ctx.get_cert_store().add_cert(ca[1])
    ctx.set_verify(
        SSL.VERIFY_PEER | SSL.VERIFY_FAIL_IF_NO_PEER_CERT, callback
    )
    return ctx


def use_pair(ctx_or_conn, pair):
    """Give a Context or Connection the (key, cert) pair."""
    key, cert = pair
    ctx_or_conn.use_privatekey(key)
    ctx_or_conn.use_certificate(cert)
    return ctx_or_conn


_probe_context = None


def assert_queue_empty():
    """
    The OpenSSL error queue of this thread holds nothing stale: a fresh
    failure reports exactly its own error and nothing queued before it.
    """
    global _probe_context
    if _probe_context is None:
        _probe_context = SSL.Context(SSL.TLS_METHOD)
    try:
        _probe_context.set_cipher_list(b"no-such-cipher")
    except SSL.Error as e:
        assert e.args == ([("SSL routines", "", "no cipher match")],), e
    else:
        raise AssertionError("set_cipher_list accepted garbage")


# ---------------------------------------------------------------------------
# Memory-BIO pairs
# ---------------------------------------------------------------------------


def memory_pair(server_ctx, client_ctx, server_name=None):
    """A (server, client) pair of memory-BIO Connections, in accept and
    connect state. Nothing has been exchanged yet."""
    server = SSL.Connection(server_ctx, None)
    server.set_accept_state()
    client = SSL.Connection(client_ctx, None)
    client.set_connect_state()
    if server_name is not None:
        client.set_tlsext_host_name(server_name)
    return server, client


def pump(a, b):
    """Move every pending byte of TLS output between the memory BIOs of
    `a` and `b`, both ways. Returns the number of bytes moved."""
    moved = 0
    for src, dst in ((a, b), (b, a)):
        while True:
            try:
                data = src.bio_read(65536)
            except SSL.WantReadError:
                break
            dst.bio_write(data)
            moved += len(data)
    return moved


def handshake_in_memory(client, server, max_rounds=50):
    """
    Run the handshake of a memory-BIO pair to completion: each round
    drives the client, then the server, then moves the bytes. An exception
    other than WantReadError propagates from the side that raised it (the
    client's first, in a round).
    """
    for _ in range(max_rounds):
        done = True
        for conn in (client, server):
            try:
                conn.do_handshake()
            except SSL.WantReadError:
                done = False
        moved = pump(client, server)
        if done and not moved:
            return
    raise AssertionError("handshake did not finish in %d rounds" % max_rounds)


def handshake_pair(server_ctx, client_ctx, server_name=None):
    """A memory-BIO pair that has completed its handshake."""
    server, client = memory_pair(server_ctx, client_ctx, server_name)
    handshake_in_memory(client, server)
    return server, client


def transfer(sender, receiver, data):
    """Send `data` over a memory-BIO pair and return what the receiver
    reads (all of it)."""
    view = memoryview(data)
    sent = 0
    received = []
    got = 0
    while got < len(data):
        if sent < len(data):
            sent += sender.send(view[sent:sent + 65536])
        pump(sender, receiver)
        while True:
            try:
                chunk = receiver.recv(65536)
            except SSL.WantReadError:
                break
            received.append(chunk)
            got += len(chunk)
    return b"".join(received)


def read_pending(conn):
    """Let a memory-BIO connection process what it has been given (session
    tickets, alerts, ...) without application data arriving: recv until
    WantReadError. Returns the application data read, if any."""
    out = []
    while True:
        try:
            out.append(conn.recv(65536))
        except SSL.WantReadError:
            return b"".join(out)


# ---------------------------------------------------------------------------
# Loopback sockets
# ---------------------------------------------------------------------------


def socket_pair():
    """A connected (server_sock, client_sock) TCP pair on 127.0.0.1."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        client = socket.create_connection(listener.getsockname(),
                                          timeout=TIMEOUT)
        client.settimeout(None)
        server, _ = listener.accept()
    finally:
        listener.close()
    return server, client


def socket_connections(server_ctx, client_ctx, blocking=False,
                       server_name=None):
    """A (server, client) pair of Connections over a loopback socket pair,
    in accept and connect state, non-blocking unless `blocking`."""
    server_sock, client_sock = socket_pair()
    server_sock.setblocking(blocking)
    client_sock.setblocking(blocking)
    server = SSL.Connection(server_ctx, server_sock)
    server.set_accept_state()
    client = SSL.Connection(client_ctx, client_sock)
    client.set_connect_state()
    if server_name is not None:
        client.set_tlsext_host_name(server_name)
    return server, client


def _wait(conns, write=(), timeout=TIMEOUT, deadline=None):
    remaining = (deadline - time.monotonic()) if deadline else timeout
    if remaining <= 0:
        raise AssertionError("timed out")
    r, w, _ = select.select(conns, write, [], remaining)
    if not r and not w:
        raise AssertionError("timed out waiting for the peer")


def handshake_nonblocking(client, server, timeout=TIMEOUT):
    """
    Complete the handshake of two non-blocking socket Connections in this
    thread: call do_handshake on each until both succeed, and select() on
    the sockets of those still waiting. Exceptions other than WantReadError
    propagate.
    """
    deadline = time.monotonic() + timeout
    pending = [client, server]
    while pending:
        for conn in list(pending):
            try:
                conn.do_handshake()
            except SSL.WantReadError:
                continue
            pending.remove(conn)
        if pending:
            # A Connection is selectable: fileno() comes from its socket.
            _wait(pending, deadline=deadline)


def loopback(server_ctx, client_ctx, server_name=None):
    """A (server, client) pair of non-blocking socket Connections that has
    completed its handshake."""
    server, client = socket_connections(server_ctx, client_ctx,
                                        server_name=server_name)
    handshake_nonblocking(client, server)
    return server, client


def recv_exactly(conn, n, timeout=TIMEOUT):
    """Read exactly n bytes from a non-blocking socket Connection."""
    deadline = time.monotonic() + timeout
    out = bytearray()
    while len(out) < n:
        try:
            out += conn.recv(min(n - len(out), 65536))
        except SSL.WantReadError:
            _wait([conn], deadline=deadline)
    return bytes(out)


def close_pair(*conns):
    for conn in conns:
        sock = conn._socket
        if sock is not None:
            sock.close()


# ---------------------------------------------------------------------------
# Threads
# ---------------------------------------------------------------------------


class Background:
    """Run fn(*args) in a daemon thread; result() joins it (with a
    timeout) and returns its value or re-raises its exception."""

    def __init__(self, fn, *args):
        self._value = None
        self._error = None
        self._thread = threading.Thread(target=self._run, args=(fn, args),
                                        daemon=True)
        self._thread.start()

    def _run(self, fn, args):
        try:
            self._value = fn(*args)
        except BaseException as e:  # handed to the joining thread
            self._error = e

    def result(self, timeout=TIMEOUT):
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise AssertionError("background thread did not finish")
        if self._error is not None:
            raise self._error
        return self._value
