"""
Regression tests for defects found by a review of src/ssl and src/common:
each test failed (or hung, or tripped the sanitizers) before its fix.
"""

import gc
import os
import socket
import subprocess
import sys
import textwrap
import threading
import weakref

import pytest

from OpenSSL import SSL, crypto

from conftest import assert_collected
from sslhelpers import (
    TIMEOUT,
    Background,
    client_context,
    handshake_in_memory,
    handshake_pair,
    memory_pair,
    pump,
    server_context,
)


def run_child(code, timeout=30):
    """Run `code` in a fresh interpreter on this build (and under the same
    sanitizers, if any); return (returncode, output). A child that hangs
    is killed after `timeout` seconds and reported as returncode None."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [os.path.dirname(os.path.dirname(SSL.__file__))] +
        [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    try:
        proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)],
                              env=env, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        return None, (e.stdout or b"").decode()
    return proc.returncode, (proc.stdout + proc.stderr).decode()


# ---------------------------------------------------------------------------
# Context.set_client_ca_list
# ---------------------------------------------------------------------------


def assert_setter_waits_for_handshake(handshake, inside, go, context):
    """
    Run `handshake` in a thread until it pauses in a callback (it sets
    `inside`, then waits for `go`): a setter of `context` must wait for it,
    and finish once the handshake goes on.
    """
    running = Background(handshake)
    try:
        assert inside.wait(TIMEOUT)
        mutator = Background(context.set_options, SSL.OP_NO_COMPRESSION)
        with pytest.raises(AssertionError, match="did not finish"):
            mutator.result(timeout=0.5)
    finally:
        go.set()
    running.result()
    mutator.result()


def test_set_client_ca_list_from_generator_of_fresh_names():
    """The names of an iterator that yields its only reference to each
    X509Name are copied before the X509Name is dropped (it used to copy
    freed memory)."""
    base = crypto.X509().get_subject()
    names = []
    for i in range(8):
        name = crypto.X509Name(base)
        name.CN = "ca%d" % i
        names.append(name)
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.set_client_ca_list(crypto.X509Name(n) for n in names)
    got = SSL.Connection(ctx, None).get_client_ca_list()
    assert [n.CN for n in got] == ["ca%d" % i for i in range(8)]


# ---------------------------------------------------------------------------
# The Context lock (lock.c)
# ---------------------------------------------------------------------------


NESTED_HANDSHAKES = """
    import sys, threading
    from OpenSSL import SSL

    N = %d
    ctxs = [SSL.Context(SSL.TLS_METHOD) for _ in range(N)]
    conns = [SSL.Connection(c, None) for c in ctxs]
    started = []

    def make_cb(i):
        def cb(conn, where, ret):
            if not where & SSL.SSL_CB_HANDSHAKE_START or i in started:
                return
            started.append(i)
            if i + 1 < N:
                # A handshake of the next Connection, inside this one's:
                # this thread now holds one more Context shared.
                try:
                    conns[i + 1].do_handshake()
                except SSL.WantReadError:
                    pass
            else:
                # The innermost callback mutates its own Context.
                ctxs[i].set_options(SSL.OP_NO_TICKET)
        return cb

    for i, conn in enumerate(conns):
        conn.set_connect_state()
        conn.set_info_callback(make_cb(i))
    try:
        conns[0].do_handshake()
    except SSL.WantReadError:
        pass
    assert started == list(range(N)), started
    # Every hold was given back: another thread may mutate them all.
    t = threading.Thread(target=lambda: [c.set_mode(0) for c in ctxs])
    t.start()
    t.join(20)
    assert not t.is_alive(), "a Context stayed held"
    print("done")
"""


@pytest.mark.parametrize("depth", [16, 17, 31])
def test_callback_mutates_its_context_with_many_contexts_held(depth):
    """A thread inside handshakes of more than 16 Contexts at once (nested
    through callbacks) may still mutate its own Context from a callback:
    the table of this thread's holds used to forget the 17th and later, so
    the mutator waited for its own thread forever."""
    rc, out = run_child(NESTED_HANDSHAKES % depth)
    assert rc == 0 and "done" in out, (rc, out)


def test_handshake_in_passphrase_callback_keeps_the_lock_sound(
        tmp_path, server):
    """A passphrase callback (which runs under its Context's exclusive
    hold) that runs a handshake whose callback mutates that handshake's
    Context: the nested exclusive hold set the handshake's shared hold
    aside, but only the end of the outermost exclusive hold took holds
    back, so the handshake then gave back a hold that was not counted and
    the Context's lock stopped keeping mutators away from handshakes."""
    key_path = tmp_path / "key.pem"
    key_path.write_bytes(crypto.dump_privatekey(
        crypto.FILETYPE_PEM, server[0], "aes-128-cbc", b"secret"))
    ctx_key = SSL.Context(SSL.TLS_METHOD)
    ctx_c = SSL.Context(SSL.TLS_METHOD)
    mutated = []

    def passwd(maxlen, rwflag, userdata):
        conn = SSL.Connection(ctx_c, None)
        conn.set_connect_state()

        def info(conn, where, ret):
            if not mutated:
                ctx_c.set_options(SSL.OP_NO_TICKET)
                mutated.append(True)
        conn.set_info_callback(info)
        try:
            conn.do_handshake()
        except SSL.WantReadError:
            pass
        return b"secret"

    ctx_key.set_passwd_cb(passwd)
    ctx_key.use_privatekey_file(str(key_path))
    assert mutated

    # A handshake on ctx_c paused in a callback still keeps mutators of
    # ctx_c waiting until it returns.
    inside, go = threading.Event(), threading.Event()

    def paused_handshake():
        conn = SSL.Connection(ctx_c, None)
        conn.set_connect_state()

        def info(conn, where, ret):
            if not inside.is_set():
                inside.set()
                go.wait(TIMEOUT)
        conn.set_info_callback(info)
        try:
            conn.do_handshake()
        except SSL.WantReadError:
            pass

    assert_setter_waits_for_handshake(paused_handshake, inside, go, ctx_c)


# ---------------------------------------------------------------------------
# The passphrase callback of a Context
# ---------------------------------------------------------------------------


def _cert_with_encryption_headers(tmp_path, cert):
    pem = crypto.dump_certificate(crypto.FILETYPE_PEM, cert)
    first, rest = pem.split(b"\n", 1)
    path = tmp_path / "cert.pem"
    path.write_bytes(
        first + b"\nProc-Type: 4,ENCRYPTED\n"
        b"DEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n" + rest)
    return str(path)


class PassphraseProblem(Exception):
    pass


@pytest.mark.parametrize("load", ["use_certificate_file",
                                  "use_certificate_chain_file"])
def test_certificate_load_leaves_no_passphrase_problem(tmp_path, server,
                                                       client, load):
    """A certificate file load that asked the passphrase callback, which
    raised, raises Error (as pyOpenSSL does) and forgets the exception: it
    used to stay on the Context, to come out of a later use_privatekey()
    that failed for another reason."""
    path = _cert_with_encryption_headers(tmp_path, server[1])
    ctx = SSL.Context(SSL.TLS_METHOD)

    def passwd(maxlen, rwflag, userdata):
        raise PassphraseProblem("from the passphrase callback")

    ctx.set_passwd_cb(passwd)
    with pytest.raises(SSL.Error):
        getattr(ctx, load)(path)
    ctx.use_certificate(server[1])
    with pytest.raises(SSL.Error) as info:
        ctx.use_privatekey(client[0])       # not the certificate's key
    assert "key values mismatch" in str(info.value)


@pytest.mark.parametrize("load", ["use_certificate_file",
                                  "use_certificate_chain_file"])
def test_certificate_load_passphrase_problem_is_collected(tmp_path, server,
                                                          load):
    """The exception of the passphrase callback, whose traceback refers
    to the Context, does not keep the Context alive."""
    path = _cert_with_encryption_headers(tmp_path, server[1])

    def make():
        ctx = SSL.Context(SSL.TLS_METHOD)

        def passwd(maxlen, rwflag, userdata):
            assert ctx is not None
            raise PassphraseProblem("from the passphrase callback")

        ctx.set_passwd_cb(passwd)
        with pytest.raises(SSL.Error):
            getattr(ctx, load)(path)
        return ctx

    assert_collected(make)


PASSWD_CB_REPLACES_ITSELF = """
    import functools
    from OpenSSL import SSL

    ctx = SSL.Context(SSL.TLS_METHOD)

    def passwd(maxlen, rwflag, userdata):
        # Drops the Context's (only) reference to the callable running.
        ctx.set_passwd_cb(lambda *args: b"other")
        return b"secret"

    # A callable that uses its own state after calling the function.
    ctx.set_passwd_cb(functools.lru_cache(maxsize=None)(passwd))
    ctx.use_privatekey_file(%r)
    print("loaded")
"""


def test_passphrase_callback_replacing_itself(tmp_path, server):
    """A passphrase callback that calls set_passwd_cb(): the pem callback
    called the Context's callable through a borrowed reference, which the
    setter dropped while it ran (a crash with a callable that touches
    its own state afterwards, as functools.lru_cache does)."""
    path = tmp_path / "key.pem"
    path.write_bytes(crypto.dump_privatekey(
        crypto.FILETYPE_PEM, server[0], "aes-128-cbc", b"secret"))
    rc, out = run_child(PASSWD_CB_REPLACES_ITSELF % str(path))
    assert rc == 0 and "loaded" in out, (rc, out)


EXCEPTHOOK_REPLACES_ITSELF = """
    import functools, sys
    sys.path.insert(0, %r)
    import pki
    from OpenSSL import SSL
    from sslhelpers import (client_context, handshake_in_memory,
                            memory_pair, server_context)

    sctx = server_context(pki.make_pki()["server"])

    def servername(conn):
        raise ValueError("from the servername callback")

    sctx.set_tlsext_servername_callback(servername)
    seen = []

    def hook(exc_type, exc, tb):
        seen.append(exc_type)
        sys.excepthook = sys.__excepthook__   # drops the only reference

    # A callable that uses its own state after calling the function.
    sys.excepthook = functools.lru_cache(maxsize=None)(hook)
    server, client = memory_pair(sctx, client_context(),
                                 server_name=b"example.test")
    try:
        handshake_in_memory(client, server)
    except SSL.Error:
        pass
    assert seen == [ValueError], seen
    print("handled")
"""


def test_servername_excepthook_replacing_itself():
    """The servername trampoline hands an exception to sys.excepthook; it
    called the hook through the borrowed reference of the sys module, so
    a hook that replaces sys.excepthook was freed while it ran (a crash
    with a callable that touches its own state afterwards)."""
    tests_dir = os.path.dirname(os.path.abspath(__file__))
    rc, out = run_child(EXCEPTHOOK_REPLACES_ITSELF % tests_dir)
    assert rc == 0 and "handled" in out, (rc, out)


# ---------------------------------------------------------------------------
# Connection.set_context inside a handshake
# ---------------------------------------------------------------------------


def test_handshake_holds_the_context_it_switched_to(ca, server):
    """A servername callback switching the Connection to another Context:
    the rest of the handshake reads that Context's SSL_CTX (its client CA
    list, its ALPN and OCSP callbacks, ...), so it must keep that
    Context's mutators waiting as it does for the one it started with. It
    used to hold only the first one."""
    first = server_context(server)
    second = server_context(server)

    def switch(conn):
        conn.set_context(second)

    first.set_tlsext_servername_callback(switch)
    server_conn, client_conn = memory_pair(first, client_context(),
                                           server_name=b"example.test")
    try:
        client_conn.do_handshake()
    except SSL.WantReadError:
        pass
    pump(client_conn, server_conn)

    inside, go = threading.Event(), threading.Event()

    def info(conn, where, ret):
        # After the switch: pause the handshake inside a callback.
        if conn.get_context() is second and not inside.is_set():
            inside.set()
            go.wait(TIMEOUT)

    server_conn.set_info_callback(info)

    def handshake():
        try:
            server_conn.do_handshake()
        except SSL.WantReadError:
            pass

    assert_setter_waits_for_handshake(handshake, inside, go, second)
    # And both Contexts are free again.
    Background(first.set_options, SSL.OP_NO_COMPRESSION).result()
    Background(second.set_options, SSL.OP_NO_TICKET).result()
    handshake_in_memory(client_conn, server_conn)


# ---------------------------------------------------------------------------
# Connection.__init__
# ---------------------------------------------------------------------------


def test_connection_init_reentered_from_fileno():
    """__init__ checks that it was not called before, then calls the
    socket's fileno(), which may run __init__ on the same Connection: the
    outer call used to go on and overwrite the SSL, its BIOs and the
    references the inner call had installed (leaking them, and leaving a
    socket Connection with the memory BIOs of another SSL)."""
    ctx = SSL.Context(SSL.TLS_METHOD)
    a, b = socket.socketpair()
    conn = SSL.Connection.__new__(SSL.Connection)

    class Sock:
        def fileno(self):
            SSL.Connection.__init__(conn, ctx, None)
            return a.fileno()

    try:
        with pytest.raises(TypeError, match="only be called once"):
            SSL.Connection.__init__(conn, ctx, Sock())
        # The inner call's Connection, untouched: memory BIOs, no socket.
        assert conn._socket is None
        conn.set_connect_state()
        with pytest.raises(SSL.WantReadError):
            conn.do_handshake()
        assert conn.bio_read(65536).startswith(b"\x16\x03")
        ref = weakref.ref(ctx)
        del conn, ctx
        gc.collect()
        assert ref() is None, "a reference to the Context leaked"
    finally:
        a.close()
        b.close()


# ---------------------------------------------------------------------------
# Memory BIOs
# ---------------------------------------------------------------------------


def test_bio_read_zero_bytes_from_an_empty_bio():
    """bio_read(0) with nothing to read is WantReadError, as with
    OpenSSL's memory BIO under pyOpenSSL; our memory BIO answered a read
    of 0 bytes before looking whether it was empty, which made it
    Error([])."""
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    with pytest.raises(SSL.WantReadError):
        conn.bio_read(0)
    conn.set_connect_state()
    with pytest.raises(SSL.WantReadError):
        conn.do_handshake()
    # With data waiting, a read of 0 bytes reads nothing: Error([]), as
    # BIO_s_mem() under pyOpenSSL.
    with pytest.raises(SSL.Error) as info:
        conn.bio_read(0)
    assert type(info.value) is SSL.Error and info.value.args == ([],)
    assert conn.bio_read(65536).startswith(b"\x16\x03")
    with pytest.raises(SSL.WantReadError):
        conn.bio_read(0)


def _available_memory():
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return 0


@pytest.mark.skipif(
    not os.environ.get("PYOSSL_BIGMEM_TESTS") or
    _available_memory() < (12 << 30),
    reason="buffers more than 2 GiB of TLS data (about 10 s, 5 GiB of "
           "memory): set PYOSSL_BIGMEM_TESTS=1 to run")
def test_bio_read_more_than_int_max_pending(server):
    """bio_read(bufsiz) with bufsiz above INT_MAX and even more pending:
    bufsiz was cast to int without the INT_MAX clamp the pending count
    had, and the read failed with SystemError (a negative size)."""
    server_conn, client_conn = handshake_pair(server_context(server),
                                              client_context())
    chunk = memoryview(bytes(64 << 20))
    sent = 0
    while sent <= (1 << 31) + (32 << 20):
        sent += client_conn.sendall(chunk)
    data = client_conn.bio_read((1 << 31) + 1)
    assert len(data) == (1 << 31) - 1
