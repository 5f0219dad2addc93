"""
Small helpers for the tests of today's pyOpenSSL API (test_ssl26_*.py):
contexts made from the session PKI, memory-BIO and socket connection pairs,
and loops that drive handshakes without sleeping.

Every loop is bounded and waits on select() (sockets) or on data moved
(memory BIOs), never on time: a stalled handshake fails with AssertionError
instead of hanging.
"""

import select
import socket

from OpenSSL import SSL

LARGE = 65536

#: How long one select() may wait for the peer before a loop gives up. Only
#: reached when something is broken.
SELECT_TIMEOUT = 10


# ---------------------------------------------------------------------------
# Contexts
# ---------------------------------------------------------------------------


def server_context(pair, method=SSL.TLS_METHOD):
    """A Context using the (key, cert) `pair`."""
    key, cert = pair
    ctx = SSL.Context(method)
    ctx.use_privatekey(key)
    ctx.use_certificate(cert)
    return ctx


def client_context(method=SSL.TLS_METHOD, ca=None, verify=False):
    """A client Context; with `ca` (a (key, cert) pair) it trusts that CA,
    and with verify=True it requires a valid server certificate."""
    ctx = SSL.Context(method)
    if ca is not None:
        ctx.get_cert_store().add_cert(ca[1])
    if verify:
        ctx.set_verify(SSL.VERIFY_PEER)
    return ctx


# ---------------------------------------------------------------------------
# Memory BIOs
# ---------------------------------------------------------------------------


def memory_pair(server_ctx, client_ctx):
    """(server, client) Connections on memory BIOs, in accept and connect
    state, not yet handshaken."""
    server = SSL.Connection(server_ctx, None)
    server.set_accept_state()
    client = SSL.Connection(client_ctx, None)
    client.set_connect_state()
    return server, client


def move(source, sink):
    """Move what `source` wants to send into `sink`; True if anything moved."""
    try:
        data = source.bio_read(LARGE)
    except SSL.WantReadError:
        return False
    sink.bio_write(data)
    return True


def pump(server, client):
    """Move data both ways until neither side has anything to send."""
    moved = True
    while moved:
        moved = move(client, server) | move(server, client)


def handshake(server, client, rounds=50):
    """
    Drive the handshake of a memory-BIO pair to its end. The client runs
    first in each round; any exception other than WantReadError (a callback's
    exception re-raised by do_handshake, an SSL.Error, ...) propagates from
    the side that raised it.
    """
    done = {server: False, client: False}
    for _ in range(rounds):
        progress = False
        for conn, peer in ((client, server), (server, client)):
            if not done[conn]:
                try:
                    conn.do_handshake()
                except SSL.WantReadError:
                    pass
                else:
                    done[conn] = True
                    progress = True
            progress |= move(conn, peer)
        if all(done.values()) and not progress:
            return
    raise AssertionError("the handshake made no progress")


def connected_pair(server_ctx, client_ctx):
    """A memory-BIO pair that has completed its handshake."""
    server, client = memory_pair(server_ctx, client_ctx)
    handshake(server, client)
    return server, client


def read_ticket(server, client):
    """Let a TLS 1.3 client process what the server sent after the
    handshake (session tickets): move it over and call recv()."""
    move(server, client)
    try:
        client.recv(1)
    except SSL.WantReadError:
        pass


# ---------------------------------------------------------------------------
# Sockets on 127.0.0.1
# ---------------------------------------------------------------------------


def tcp_socket_pair():
    """(server_sock, client_sock): a connected TCP pair on 127.0.0.1."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        client = socket.create_connection(listener.getsockname())
        server, _ = listener.accept()
    finally:
        listener.close()
    return server, client


def socket_pair(server_ctx, client_ctx, blocking=False):
    """(server, client) Connections on a TCP pair, not yet handshaken."""
    ssock, csock = tcp_socket_pair()
    ssock.setblocking(blocking)
    csock.setblocking(blocking)
    server = SSL.Connection(server_ctx, ssock)
    server.set_accept_state()
    client = SSL.Connection(client_ctx, csock)
    client.set_connect_state()
    return server, client


def drive(steps, rounds=200):
    """
    Run the non-blocking `steps` (a dict: Connection -> callable doing one
    step, e.g. do_handshake) until each has returned once. A step raising
    WantReadError/WantWriteError is retried once select() says its socket is
    ready; any other exception propagates.
    """
    pending = dict(steps)
    for _ in range(rounds):
        readers, writers = [], []
        for conn, step in list(pending.items()):
            try:
                step()
            except SSL.WantReadError:
                readers.append(conn)
            except SSL.WantWriteError:
                writers.append(conn)
            else:
                del pending[conn]
        if not pending:
            return
        r, w, _ = select.select(readers, writers, [], SELECT_TIMEOUT)
        if not r and not w:
            raise AssertionError("the peers stalled")
    raise AssertionError("too many rounds")


def socket_handshake(server, client):
    drive({client: client.do_handshake, server: server.do_handshake})


def connected_socket_pair(server_ctx, client_ctx):
    server, client = socket_pair(server_ctx, client_ctx)
    socket_handshake(server, client)
    return server, client


def recv_all(conn, size):
    """Receive exactly `size` bytes on a non-blocking socket Connection."""
    data = b""
    while len(data) < size:
        try:
            data += conn.recv(size - len(data))
        except SSL.WantReadError:
            r, _, _ = select.select([conn], [], [], SELECT_TIMEOUT)
            if not r:
                raise AssertionError("no data arrived")
    return data


# ---------------------------------------------------------------------------
# DTLS
# ---------------------------------------------------------------------------


def dtls_contexts(server, gen=None, verify=None):
    """
    A DTLS server Context with the `server` (key, cert) pair and cookie
    callbacks (a fixed cookie by default) and a DTLS client Context. Both
    skip the MTU query (memory BIOs and socket BIOs cannot answer it).
    """
    sctx = server_context(server, SSL.DTLS_SERVER_METHOD)
    sctx.set_options(SSL.OP_NO_QUERY_MTU)
    sctx.set_cookie_generate_callback(gen or (lambda conn: b"cookie"))
    sctx.set_cookie_verify_callback(
        verify or (lambda conn, cookie: cookie == b"cookie")
    )
    cctx = SSL.Context(SSL.DTLS_CLIENT_METHOD)
    cctx.set_options(SSL.OP_NO_QUERY_MTU)
    return sctx, cctx


def dtls_memory_pair(sctx, cctx, mtu=1500):
    server, client = memory_pair(sctx, cctx)
    server.set_ciphertext_mtu(mtu)
    client.set_ciphertext_mtu(mtu)
    return server, client


def start(conn):
    """One do_handshake() step that is expected to want more input."""
    try:
        conn.do_handshake()
    except SSL.WantReadError:
        pass


def dtls_listen(server, client):
    """
    Run the stateless cookie exchange of a memory-BIO DTLS pair: the first
    ClientHello gets a HelloVerifyRequest, the second (with the cookie)
    makes DTLSv1_listen() return. Exceptions propagate.
    """
    start(client)
    move(client, server)
    for _ in range(5):
        try:
            server.DTLSv1_listen()
        except SSL.WantReadError:
            move(server, client)
            start(client)
            move(client, server)
        else:
            return
    raise AssertionError("DTLSv1_listen never accepted a ClientHello")


def udp_socket_pair():
    """(server_sock, client_sock): two UDP sockets on 127.0.0.1, each
    connected to the other, non-blocking."""
    a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    a.bind(("127.0.0.1", 0))
    b.bind(("127.0.0.1", 0))
    a.connect(b.getsockname())
    b.connect(a.getsockname())
    a.setblocking(False)
    b.setblocking(False)
    return a, b
