"""
A peer that stalls in the middle of a handshake on a blocking socket must
not hold up the Context: its mutators, new Connections and other
handshakes go on (sockbio.c lets go of the Context lock while a thread
waits in the kernel).
"""

import socket
import threading

from OpenSSL import SSL

from sslhelpers import TIMEOUT, client_context, server_context, socket_pair


def test_stalled_handshake_does_not_hold_up_the_context(server, ca):
    ctx = server_context(server)
    reading = threading.Event()

    def info(conn, where, ret):
        # The server is about to read the ClientHello.
        if where & SSL.SSL_CB_HANDSHAKE_START:
            reading.set()

    ctx.set_info_callback(info)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    stalled = socket.create_connection(listener.getsockname())
    accepted, _ = listener.accept()
    accepted.setblocking(True)
    errors = []

    def serve_stalled():
        conn = SSL.Connection(ctx, accepted)
        conn.set_accept_state()
        try:
            conn.do_handshake()     # waits for a ClientHello that never comes
        except SSL.Error as exc:
            errors.append(exc)

    stalled_thread = threading.Thread(target=serve_stalled, daemon=True)
    stalled_thread.start()
    try:
        assert reading.wait(TIMEOUT)
        # The stalled handshake must not keep a mutator waiting...
        done = threading.Event()
        mutator = threading.Thread(
            target=lambda: (ctx.set_options(SSL.OP_NO_TICKET), done.set()),
            daemon=True)
        mutator.start()
        assert done.wait(5), "set_options() waited for a stalled handshake"
        # ... nor, behind a mutator, a new connection and its handshake.
        ctx.set_info_callback(lambda *args: None)
        client_ctx = client_context(ca)
        a, b = socket_pair()
        for sock in (a, b):
            sock.setblocking(True)
            sock.settimeout(None)
        server_conn = SSL.Connection(ctx, a)
        server_conn.set_accept_state()
        client_conn = SSL.Connection(client_ctx, b)
        client_conn.set_connect_state()
        finished = []
        other = threading.Thread(
            target=lambda: (server_conn.do_handshake(),
                            finished.append(True)),
            daemon=True)
        other.start()
        client_conn.do_handshake()
        other.join(5)
        assert finished == [True]
        a.close()
        b.close()
    finally:
        stalled.close()
        stalled_thread.join(TIMEOUT)
        accepted.close()
        listener.close()
    assert not stalled_thread.is_alive()
    assert len(errors) == 1     # the stalled peer went away: EOF
