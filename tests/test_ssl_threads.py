"""
Threads (API.md 3.4, DESIGN "Threads"): many threads handshaking over
loopback on one shared server Context and one shared client Context while
another thread keeps changing both; and several threads calling into one
Connection at once, which take turns. Every wait has a timeout, as a
safety net only: a deadlock fails the test instead of hanging the run.
"""

import datetime
import threading

import pytest

from OpenSSL import SSL, crypto
from sslhelpers import (
    TIMEOUT,
    Background,
    client_context,
    close_pair,
    handshake_in_memory,
    handshake_nonblocking,
    handshake_pair,
    loopback,
    memory_pair,
    pump,
    read_pending,
    recv_exactly,
    server_context,
    socket_connections,
)

THREADS = 8
HANDSHAKES = 20

# The server's cipher lists, and the client's: every client list holds
# every suite any server list can pick (with an RSA certificate), so that a
# client whose list changes between its hello and the server's answer
# still accepts the server's choice.
SERVER_CIPHERS = [
    b"ECDHE-RSA-AES128-GCM-SHA256",
    b"ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384",
    b"HIGH:!aNULL",
    b"DEFAULT",
]
CLIENT_CIPHERS = [b"ALL", b"DEFAULT:HIGH", b"HIGH:DEFAULT:!eNULL"]
CIPHER_LISTS = SERVER_CIPHERS


@pytest.fixture
def ca_file(tmp_path, ca):
    path = tmp_path / "ca.pem"
    path.write_bytes(crypto.dump_certificate(crypto.FILETYPE_PEM, ca[1]))
    return str(path)


def test_shared_contexts_mutated_during_handshakes(ca, server, ca_file):
    sctx = server_context(server)
    cctx = client_context(ca, callback=lambda *args: args[4])
    verified = []
    stop = threading.Event()

    def mutate():
        count = 0
        names = [ca[1].get_subject()]
        while not stop.is_set():
            i = count
            count += 1
            sctx.set_cipher_list(SERVER_CIPHERS[i % len(SERVER_CIPHERS)])
            cctx.set_cipher_list(CLIENT_CIPHERS[i % len(CLIENT_CIPHERS)])
            sctx.set_options(SSL.OP_NO_COMPRESSION)
            cctx.set_options(SSL.OP_CIPHER_SERVER_PREFERENCE)
            cctx.set_verify(
                SSL.VERIFY_PEER,
                lambda conn, cert, errnum, depth, ok: verified.append(depth)
                or ok,
            )
            cctx.load_verify_locations(ca_file)
            # The store is the SSL_CTX's own: its setters take the
            # Context's lock too.
            store = cctx.get_cert_store()
            store.add_cert(ca[1])
            store.set_flags(crypto.X509StoreFlags.PARTIAL_CHAIN)
            store.set_time(datetime.datetime.now(datetime.timezone.utc)
                           .replace(tzinfo=None))
            store.load_locations(ca_file)
            cctx.set_max_proto_version(
                SSL.TLS1_2_VERSION if i % 2 else SSL.TLS1_3_VERSION
            )
            sctx.use_certificate(server[1])
            sctx.use_privatekey(server[0])
            sctx.set_session_id(b"session-%d" % (i % 7))
            sctx.set_timeout(100 + i % 5)
            sctx.set_verify_depth(5 + i % 3)
            sctx.set_client_ca_list(names)
            sctx.set_mode(SSL.MODE_RELEASE_BUFFERS)
            sctx.set_info_callback(lambda conn, where, ret: None)
            sctx.set_tlsext_servername_callback(
                lambda conn: conn.get_servername()
            )
            sctx.set_app_data(i)
            cctx.set_app_data(i)
            sctx.check_privatekey()
        return count

    def work():
        done = 0
        for i in range(HANDSHAKES):
            server_conn, client_conn = loopback(sctx, cctx,
                                                server_name=b"localhost")
            try:
                assert client_conn.get_peer_certificate().get_subject().CN \
                    == "localhost"
                client_conn.sendall(b"%d" % i)
                assert recv_exactly(server_conn, len(b"%d" % i)) == b"%d" % i
                done += 1
            finally:
                close_pair(server_conn, client_conn)
        return done

    mutator = Background(mutate)
    workers = [Background(work) for _ in range(THREADS)]
    try:
        results = [w.result(timeout=120) for w in workers]
    finally:
        stop.set()
        mutations = mutator.result(timeout=120)
    assert results == [HANDSHAKES] * THREADS
    assert mutations > 0
    assert verified


def test_incompatible_mutations_fail_cleanly(ca, server):
    """The client's cipher list flips between two lists with nothing in
    common while handshakes run: a handshake whose list changed between
    its hello and the server's answer fails, with SSL.Error; the others
    complete. Nothing crashes or hangs."""
    sctx = server_context(server, version=SSL.TLS1_2_VERSION)
    sctx.set_cipher_list(b"ECDHE-RSA-AES128-GCM-SHA256:"
                         b"ECDHE-RSA-AES256-GCM-SHA384")
    cctx = client_context(ca)
    stop = threading.Event()

    def mutate():
        i = 0
        while not stop.is_set():
            cctx.set_cipher_list([b"ECDHE-RSA-AES128-GCM-SHA256",
                                  b"ECDHE-RSA-AES256-GCM-SHA384"][i % 2])
            sctx.set_cipher_list([b"ECDHE-RSA-AES256-GCM-SHA384",
                                  b"ECDHE-RSA-AES128-GCM-SHA256"][i % 2])
            i += 1
        return i

    def work():
        outcomes = []
        for _ in range(HANDSHAKES):
            server_conn, client_conn = socket_connections(sctx, cctx)
            try:
                handshake_nonblocking(client_conn, server_conn)
                outcomes.append("ok")
            except SSL.Error as e:
                outcomes.append(e.args[0][-1][2] if e.args and e.args[0]
                                else repr(e))
            finally:
                close_pair(server_conn, client_conn)
        return outcomes

    mutator = Background(mutate)
    workers = [Background(work) for _ in range(4)]
    try:
        outcomes = sum((w.result(timeout=120) for w in workers), [])
    finally:
        stop.set()
        mutator.result(timeout=120)
    assert len(outcomes) == 4 * HANDSHAKES
    allowed = {"ok", "wrong cipher returned", "no shared cipher",
               "sslv3 alert handshake failure",
               "tlsv1 alert internal error",
               "sslv3 alert illegal parameter"}
    assert set(outcomes) <= allowed, set(outcomes) - allowed


def test_shared_context_memory_pairs_in_threads(ca, server):
    sctx = server_context(server)
    cctx = client_context(ca)

    def work():
        for _ in range(10):
            server_conn, client_conn = handshake_pair(sctx, cctx)
            client_conn.send(b"x" * 1000)
            pump(server_conn, client_conn)
            assert read_pending(server_conn) == b"x" * 1000
        return True

    workers = [Background(work) for _ in range(4)]
    assert all(w.result(timeout=120) for w in workers)


def test_threads_share_one_memory_connection(ca, server):
    """Several threads send on one Connection while another drains its
    memory BIO and others call getters: they take turns, every record
    stays whole, and all the data arrives."""
    server_conn, client_conn = handshake_pair(server_context(server),
                                              client_context(ca))
    senders = 4
    messages = 200
    size = 1000
    stop = threading.Event()
    wire = []

    def send(letter):
        for _ in range(messages):
            assert client_conn.send(letter * size) == size
        return True

    def drain():
        while True:
            try:
                wire.append(client_conn.bio_read(1 << 20))
            except SSL.WantReadError:
                if stop.is_set():
                    return True

    def look():
        while not stop.is_set():
            client_conn.get_cipher_name()
            client_conn.pending()
            client_conn.get_peer_certificate()
            client_conn.get_state_string()
            client_conn.want_read()
        return True

    drainer = Background(drain)
    lookers = [Background(look) for _ in range(2)]
    threads = [Background(send, bytes([0x61 + i])) for i in range(senders)]
    try:
        assert all(t.result(timeout=120) for t in threads)
    finally:
        stop.set()
        assert drainer.result(timeout=120)
        assert all(t.result(timeout=120) for t in lookers)
    # what the senders wrote after the drainer's last look
    while True:
        try:
            wire.append(client_conn.bio_read(1 << 20))
        except SSL.WantReadError:
            break
    server_conn.bio_write(b"".join(wire))
    data = read_pending(server_conn)
    assert len(data) == senders * messages * size
    for i in range(senders):
        assert data.count(bytes([0x61 + i])) == messages * size


def test_second_thread_waits_for_a_blocked_recv(ca, server):
    """Thread A blocks in recv() on a blocking socket; thread B's send()
    on the same Connection waits for its turn. Nothing deadlocks: once
    the peer sends, A returns, then B sends."""
    server_conn, client_conn = socket_connections(
        server_context(server), client_context(ca), blocking=True
    )
    bg = Background(server_conn.do_handshake)
    client_conn.do_handshake()
    bg.result()

    reader = Background(client_conn.recv, 4)
    writer = Background(client_conn.send, b"ping")
    # Whichever thread got the Connection first, this unblocks both.
    server_conn.sendall(b"pong")
    assert reader.result() == b"pong"
    assert writer.result() == 4
    assert server_conn.recv(4) == b"ping"
    close_pair(server_conn, client_conn)


def test_concurrent_handshake_and_getters(ca, server):
    """Getters and setters from other threads while a blocking handshake
    runs on the Connection."""
    server_conn, client_conn = socket_connections(
        server_context(server), client_context(ca), blocking=True
    )
    stop = threading.Event()

    def poke():
        n = 0
        while not stop.is_set():
            client_conn.get_state_string()
            client_conn.set_app_data(n)
            client_conn.get_peer_certificate()
            client_conn.get_cipher_list()
            n += 1
        return n

    pokers = [Background(poke) for _ in range(2)]
    bg = Background(server_conn.do_handshake)
    try:
        client_conn.do_handshake()
        bg.result()
    finally:
        stop.set()
        for p in pokers:
            p.result()
    assert client_conn.get_peer_certificate().get_subject().CN == "localhost"
    close_pair(server_conn, client_conn)


def test_servername_callbacks_switching_across_mutated_contexts(ca, server):
    """Two handshakes, each inside the servername callback of its own
    Context, switch into each other's Context while a mutator waits on
    each: this deadlocked when a thread holding one Context queued behind
    the writer waiting on the other. Several rounds, since whether the
    writers are already waiting is up to the scheduler."""
    cctx = client_context(ca)
    for _ in range(20):
        c1 = server_context(server)
        c2 = server_context(server)
        barrier = threading.Barrier(4, timeout=TIMEOUT)

        def switch_to(other):
            def callback(conn):
                barrier.wait()          # both handshakes are in callbacks
                conn.set_context(other)
            return callback

        c1.set_tlsext_servername_callback(switch_to(c2))
        c2.set_tlsext_servername_callback(switch_to(c1))

        def handshake(ctx):
            server_conn, client_conn = memory_pair(ctx, cctx,
                                                   server_name=b"localhost")
            handshake_in_memory(client_conn, server_conn)
            return server_conn.get_context()

        def mutate(ctx):
            barrier.wait()
            for _ in range(50):
                ctx.set_options(SSL.OP_NO_TICKET)
            return True

        threads = [Background(handshake, c1), Background(handshake, c2),
                   Background(mutate, c1), Background(mutate, c2)]
        results = [t.result() for t in threads]
        assert results[0] is c2 and results[1] is c1


def test_servername_callbacks_mutating_each_others_context(ca, server):
    """Two handshakes, each inside the servername callback of its own
    Context, mutate the other's Context: each waits until the other
    Context has no handshake reading it, which deadlocked while a thread
    set aside only its holds of the Context it mutated."""
    cctx = client_context(ca)
    c1 = server_context(server)
    c2 = server_context(server)
    # Rounds start together, holding nothing: a thread waiting inside a
    # callback for a thread still busy with the previous round would be a
    # deadlock of the test's own making.
    start = threading.Barrier(2, timeout=TIMEOUT)
    inside = threading.Barrier(2, timeout=TIMEOUT)

    def mutate(other):
        def callback(conn):
            inside.wait()               # both handshakes hold their Context
            other.set_timeout(99)
            other.set_options(SSL.OP_NO_TICKET)
        return callback

    c1.set_tlsext_servername_callback(mutate(c2))
    c2.set_tlsext_servername_callback(mutate(c1))

    def handshakes(ctx):
        for _ in range(10):
            server_conn, client_conn = memory_pair(ctx, cctx,
                                                   server_name=b"localhost")
            start.wait()
            handshake_in_memory(client_conn, server_conn)
        return True

    threads = [Background(handshakes, c1), Background(handshakes, c2)]
    assert all(t.result() for t in threads)
    assert c1.get_timeout() == c2.get_timeout() == 99


def test_connections_created_while_context_mutates(ca, server):
    ctx = server_context(server)
    stop = threading.Event()

    def mutate():
        i = 0
        while not stop.is_set():
            ctx.set_cipher_list(CIPHER_LISTS[i % len(CIPHER_LISTS)])
            ctx.set_verify(SSL.VERIFY_NONE, lambda *a: True)
            i += 1
        return i

    mutator = Background(mutate)
    try:
        for _ in range(2000):
            conn = SSL.Connection(ctx, None)
            conn.get_cipher_list()
    finally:
        stop.set()
        assert mutator.result() > 0


def test_set_context_while_both_contexts_mutate(ca, server):
    a = server_context(server)
    b = server_context(server)
    stop = threading.Event()

    def mutate(ctx):
        i = 0
        while not stop.is_set():
            ctx.set_cipher_list(CIPHER_LISTS[i % len(CIPHER_LISTS)])
            ctx.use_certificate(server[1])
            i += 1
        return i

    mutators = [Background(mutate, a), Background(mutate, b)]
    try:
        conn = SSL.Connection(a, None)
        for i in range(2000):
            conn.set_context(b if i % 2 else a)
    finally:
        stop.set()
        for m in mutators:
            m.result()
    # the switched Connection still handshakes
    conn.set_accept_state()
    client_conn = SSL.Connection(client_context(ca), None)
    client_conn.set_connect_state()
    handshake_in_memory(client_conn, conn)


def test_passphrase_callback_errors_stay_with_their_thread(tmp_path, server):
    """Threads loading encrypted keys into one Context, whose callback
    raises a different exception in each thread: each load raises its own
    thread's exception, never another's, never a plain Error."""
    path = tmp_path / "key.pem"
    path.write_bytes(crypto.dump_privatekey(crypto.FILETYPE_PEM, server[0],
                                            "aes256", b"secret"))

    class Mine(Exception):
        pass

    def callback(maxlen, rwflag, userdata):
        raise Mine(threading.current_thread().name)

    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.set_passwd_cb(callback)

    def load():
        me = threading.current_thread().name
        for _ in range(50):
            try:
                ctx.use_privatekey_file(str(path))
            except Mine as e:
                assert e.args == (me,)
        return True

    threads = [Background(load) for _ in range(4)]
    assert all(t.result(timeout=120) for t in threads)
