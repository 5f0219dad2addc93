"""
Handshakes and the callbacks that run inside them (API.md 2.3, 2.4, 3.2
rows 5, 6, 18 to 20, 3.4, 4.1, 4.2): TLS 1.2 and 1.3, client
certificates, the verify callback (arguments, accepting, rejecting,
exceptions from Context- and Connection-level callbacks), the servername
callback (SNI switching with set_context, exceptions to sys.excepthook),
the info callback (calling methods of its Connection, exceptions to
sys.unraisablehook), and callbacks that use the Connection or Context
they run for without deadlocking.
"""

import gc
import sys

import pytest

from OpenSSL import SSL, crypto
from sslhelpers import (
    Background,
    assert_queue_empty,
    client_context,
    close_pair,
    handshake_in_memory,
    handshake_nonblocking,
    handshake_pair,
    memory_pair,
    pump,
    require_client_cert,
    server_context,
    socket_connections,
    transfer,
    use_pair,
)

VERSIONS = pytest.mark.parametrize(
    "version", [SSL.TLS1_2_VERSION, SSL.TLS1_3_VERSION], ids=["TLS1.2",
                                                             "TLS1.3"]
)

UNABLE_TO_GET_ISSUER_CERT_LOCALLY = 20


class CallbackProblem(Exception):
    pass


# ---------------------------------------------------------------------------
# Handshakes, client certificates
# ---------------------------------------------------------------------------


@VERSIONS
def test_handshake_and_data(ca, server, version):
    sctx = server_context(server, version=version)
    server_conn, client_conn = handshake_pair(sctx, client_context(ca))
    name = {SSL.TLS1_2_VERSION: "TLSv1.2", SSL.TLS1_3_VERSION: "TLSv1.3"}
    assert client_conn.get_protocol_version_name() == name[version]
    assert client_conn.get_cipher_version() == name[version]
    assert transfer(client_conn, server_conn, b"ping") == b"ping"
    assert transfer(server_conn, client_conn, b"pong") == b"pong"


@VERSIONS
def test_client_certificate_required_and_given(ca, server, client, version):
    seen = []
    sctx = require_client_cert(
        server_context(server, version=version), ca,
        callback=lambda conn, cert, errnum, depth, ok: seen.append(
            (cert.get_subject().CN, depth, ok)
        ) or ok,
    )
    cctx = use_pair(client_context(ca), client)
    server_conn, client_conn = handshake_pair(sctx, cctx)
    assert server_conn.get_peer_certificate().get_subject().CN == "client"
    assert seen == [("Test CA", 1, 1), ("client", 0, 1)]
    assert transfer(client_conn, server_conn, b"authenticated") == (
        b"authenticated"
    )


@VERSIONS
def test_client_certificate_missing(ca, server, version):
    sctx = require_client_cert(server_context(server, version=version), ca)
    server_conn, client_conn = memory_pair(sctx, client_context(ca))
    with pytest.raises(SSL.Error) as info:
        handshake_in_memory(client_conn, server_conn)
    assert type(info.value) is SSL.Error
    assert info.value.args == (
        [("SSL routines", "", "peer did not return a certificate")],
    )
    # the client learns it from the alert
    pump(server_conn, client_conn)
    with pytest.raises(SSL.Error) as info:
        client_conn.recv(10)
    alert = {
        SSL.TLS1_2_VERSION: "sslv3 alert handshake failure",
        SSL.TLS1_3_VERSION: "tlsv13 alert certificate required",
    }[version]
    assert info.value.args == ([("SSL routines", "", alert)],)
    assert_queue_empty()


def test_client_certificate_optional(ca, server):
    # VERIFY_PEER without FAIL_IF_NO_PEER_CERT: a client without a
    # certificate is let in.
    sctx = server_context(server)
    sctx.get_cert_store().add_cert(ca[1])
    sctx.set_verify(SSL.VERIFY_PEER)
    server_conn, _ = handshake_pair(sctx, client_context(ca))
    assert server_conn.get_peer_certificate() is None


def test_untrusted_client_certificate(ca, server):
    import pki

    stranger_key = pki.make_key()
    stranger = pki.make_cert(stranger_key, "stranger")    # self-signed
    sctx = require_client_cert(server_context(server), ca)
    cctx = use_pair(client_context(ca), (stranger_key, stranger))
    server_conn, client_conn = memory_pair(sctx, cctx)
    with pytest.raises(SSL.Error) as info:
        handshake_in_memory(client_conn, server_conn)
    assert info.value.args[0][-1][2] == "certificate verify failed"


def test_verify_client_once(ca, server, client):
    sctx = server_context(server)
    sctx.get_cert_store().add_cert(ca[1])
    sctx.set_verify(
        SSL.VERIFY_PEER | SSL.VERIFY_FAIL_IF_NO_PEER_CERT
        | SSL.VERIFY_CLIENT_ONCE
    )
    assert sctx.get_verify_mode() == 7
    cctx = use_pair(client_context(ca), client)
    server_conn, _ = handshake_pair(sctx, cctx)
    assert server_conn.get_peer_certificate().get_subject().CN == "client"


# ---------------------------------------------------------------------------
# Verify callback
# ---------------------------------------------------------------------------


@VERSIONS
def test_verify_callback_arguments(ca, server, version):
    calls = []

    def verify(*args):
        calls.append(args)
        return True

    cctx = client_context(ca, callback=verify)
    server_conn, client_conn = memory_pair(
        server_context(server, version=version), cctx
    )
    handshake_in_memory(client_conn, server_conn)
    assert len(calls) == 2
    for conn, cert, errnum, depth, ok in calls:
        # the user's own Connection object
        assert conn is client_conn
        assert type(cert) is crypto.X509
        assert type(errnum) is int and errnum == 0
        assert type(ok) is int and ok == 1
    assert [(c[1].get_subject().CN, c[3]) for c in calls] == [
        ("Test CA", 1), ("localhost", 0)
    ]


def test_verify_callback_certificates_stay_valid(ca, server):
    """API.md 4.1 (17.5.0): the X509 given to the callback holds its own
    reference; keep it and use it after everything else is gone."""
    kept = []
    cctx = client_context(
        ca, callback=lambda conn, cert, *rest: kept.append(cert) or True
    )
    server_conn, client_conn = handshake_pair(server_context(server), cctx)
    del server_conn, client_conn, cctx
    gc.collect()
    assert [c.get_subject().CN for c in kept] == ["Test CA", "localhost"]
    assert kept[1].digest("sha256") == server[1].digest("sha256")
    assert crypto.dump_certificate(crypto.FILETYPE_PEM, kept[0]) == (
        crypto.dump_certificate(crypto.FILETYPE_PEM, ca[1])
    )
    assert kept[1].get_issuer().CN == "Test CA"
    assert kept[1].get_pubkey().bits() == 2048


def test_verify_callback_preverify_failure(server):
    """An untrusted server: the callback sees ok=0 and the OpenSSL error
    code, and returning true accepts the certificate anyway."""
    calls = []

    def verify(conn, cert, errnum, depth, ok):
        calls.append((cert.get_subject().CN, errnum, depth, ok))
        return True

    cctx = SSL.Context(SSL.TLS_METHOD)
    cctx.set_verify(SSL.VERIFY_PEER, verify)
    server_conn, client_conn = handshake_pair(server_context(server), cctx)
    assert calls[0] == ("localhost", UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 0, 0)
    assert transfer(client_conn, server_conn, b"accepted") == b"accepted"


def test_verify_callback_passthrough(server, ca):
    # Twisted passes a callback returning preverify_ok unchanged.
    cctx = SSL.Context(SSL.TLS_METHOD)
    cctx.set_verify(SSL.VERIFY_PEER, lambda conn, cert, errno, depth, ok: ok)
    server_conn, client_conn = memory_pair(server_context(server), cctx)
    with pytest.raises(SSL.Error) as info:
        handshake_in_memory(client_conn, server_conn)
    assert info.value.args[0][-1][2] == "certificate verify failed"
    cctx.get_cert_store().add_cert(ca[1])
    handshake_pair(server_context(server), cctx)


@pytest.mark.parametrize("result", [False, 0, None, "", []])
def test_verify_callback_rejects(ca, server, result):
    cctx = client_context(ca, callback=lambda *args: result)
    server_conn, client_conn = memory_pair(server_context(server), cctx)
    with pytest.raises(SSL.Error) as info:
        handshake_in_memory(client_conn, server_conn)
    assert type(info.value) is SSL.Error
    assert info.value.args == (
        [("SSL routines", "", "certificate verify failed")],
    )
    # the server hears about it
    pump(server_conn, client_conn)
    with pytest.raises(SSL.Error):
        server_conn.do_handshake()
    assert_queue_empty()


@pytest.mark.parametrize("result", [True, 1, "yes", [0], 2**100])
def test_verify_callback_accepts(ca, server, result):
    cctx = client_context(ca, callback=lambda *args: result)
    handshake_pair(server_context(server), cctx)


def raising(problem):
    def callback(*args):
        raise problem
    return callback


@VERSIONS
def test_verify_callback_exception_context_level(ca, server, version):
    problem = CallbackProblem("from verify")
    cctx = client_context(ca, callback=raising(problem))
    server_conn, client_conn = memory_pair(
        server_context(server, version=version), cctx
    )
    with pytest.raises(CallbackProblem) as info:
        handshake_in_memory(client_conn, server_conn)
    assert info.value is problem
    assert info.value.__traceback__ is not None
    assert_queue_empty()
    # raised once: the connection is then just failed
    with pytest.raises(SSL.Error):
        client_conn.do_handshake()


@VERSIONS
def test_verify_callback_exception_connection_level(ca, server, version):
    # row 20: Connection-level callbacks are re-raised too
    problem = CallbackProblem("from Connection.set_verify")
    server_conn, client_conn = memory_pair(
        server_context(server, version=version), client_context(ca)
    )
    client_conn.set_verify(SSL.VERIFY_PEER, raising(problem))
    with pytest.raises(CallbackProblem) as info:
        handshake_in_memory(client_conn, server_conn)
    assert info.value is problem
    assert_queue_empty()


def test_verify_callback_exception_server_side(ca, server, client):
    problem = CallbackProblem("server verify")
    sctx = require_client_cert(server_context(server), ca,
                               callback=raising(problem))
    cctx = use_pair(client_context(ca), client)
    server_conn, client_conn = memory_pair(sctx, cctx)
    with pytest.raises(CallbackProblem) as info:
        handshake_in_memory(client_conn, server_conn)
    assert info.value is problem


def test_verify_callback_exception_from_send_and_recv(ca, server):
    """The handshake may run inside send() or recv(): the exception comes
    out of whichever I/O call ran it."""
    problem = CallbackProblem("from send")
    cctx = client_context(ca, callback=raising(problem))
    server_conn, client_conn = memory_pair(server_context(server), cctx)
    with pytest.raises(SSL.WantReadError):
        client_conn.send(b"data")
    pump(server_conn, client_conn)
    with pytest.raises(SSL.WantReadError):
        server_conn.recv(10)
    pump(server_conn, client_conn)
    with pytest.raises(CallbackProblem) as info:
        client_conn.recv(10)
    assert info.value is problem


@pytest.mark.parametrize("level", ["context", "connection"])
def test_verify_callback_exception_under_verify_none(ca, server, level):
    """Under VERIFY_NONE OpenSSL ignores the callback's verdict and the
    handshake completes; the exception still comes out of the
    do_handshake that ran the callback (pyOpenSSL checks its callback
    helpers after every call), and only once."""
    problem = CallbackProblem("ignored verdict")
    cctx = SSL.Context(SSL.TLS_METHOD)
    if level == "context":
        cctx.set_verify(SSL.VERIFY_NONE, raising(problem))
    server_conn, client_conn = memory_pair(server_context(server), cctx)
    if level == "connection":
        client_conn.set_verify(SSL.VERIFY_NONE, raising(problem))
    with pytest.raises(CallbackProblem) as info:
        handshake_in_memory(client_conn, server_conn)
    assert info.value is problem
    handshake_in_memory(client_conn, server_conn)
    assert client_conn.get_peer_certificate() is not None
    assert transfer(client_conn, server_conn, b"up") == b"up"
    with pytest.raises(SSL.WantReadError):
        client_conn.recv(10)


def test_verify_callback_bool_raises(ca, server):
    class Undecided:
        def __bool__(self):
            raise CallbackProblem("cannot decide")

    cctx = client_context(ca, callback=lambda *args: Undecided())
    server_conn, client_conn = memory_pair(server_context(server), cctx)
    with pytest.raises(CallbackProblem):
        handshake_in_memory(client_conn, server_conn)


def test_verify_callback_exception_over_sockets(ca, server):
    problem = CallbackProblem("over sockets")
    cctx = client_context(ca, callback=raising(problem))
    server_conn, client_conn = socket_connections(server_context(server),
                                                  cctx, blocking=True)
    bg = Background(server_conn.do_handshake)
    with pytest.raises(CallbackProblem) as info:
        client_conn.do_handshake()
    assert info.value is problem
    with pytest.raises(SSL.Error):
        bg.result()
    close_pair(server_conn, client_conn)


def test_verify_callback_snapshot(ca, server):
    """3.4: a Connection keeps the verify callback it was made with."""
    first, second = [], []
    cctx = client_context(ca, callback=lambda *a: first.append(1) or True)
    server_conn, client_conn = memory_pair(server_context(server), cctx)
    cctx.set_verify(SSL.VERIFY_PEER, lambda *a: second.append(1) or True)
    handshake_in_memory(client_conn, server_conn)
    assert first and not second
    handshake_pair(server_context(server), cctx)
    assert second


def test_verify_callback_removed_from_context(ca, server):
    calls = []
    cctx = client_context(ca, callback=lambda *a: calls.append(1) or True)
    server_conn, client_conn = memory_pair(server_context(server), cctx)
    cctx.set_verify(SSL.VERIFY_PEER, None)
    del cctx
    gc.collect()
    handshake_in_memory(client_conn, server_conn)
    assert calls


def test_verify_callback_may_use_its_connection(ca, server):
    seen = []

    def verify(conn, cert, errnum, depth, ok):
        seen.append((conn.get_app_data(), conn.get_servername(),
                     conn.get_context() is cctx,
                     conn.get_peer_certificate() is None))
        conn.set_app_data("verified at %d" % depth)
        return ok

    cctx = client_context(ca, callback=verify)
    server_conn, client_conn = memory_pair(server_context(server), cctx,
                                           server_name=b"localhost")
    client_conn.set_app_data("start")
    handshake_in_memory(client_conn, server_conn)
    assert seen[0][:3] == ("start", b"localhost", True)
    assert client_conn.get_app_data() == "verified at 0"


# ---------------------------------------------------------------------------
# Servername callback
# ---------------------------------------------------------------------------


def test_servername_callback_switches_context(ca, server):
    """acme: the callback picks a Context with the certificate for the
    name asked for; the client sees that certificate."""
    import pki

    other_key = pki.make_key()
    other_cert = pki.make_cert(other_key, "other.example", ca, 20,
                               san=b"DNS:other.example")
    default_ctx = server_context(server)
    other_ctx = server_context((other_key, other_cert))
    seen = []

    def pick(conn):
        seen.append((conn, conn.get_servername()))
        if conn.get_servername() == b"other.example":
            conn.set_context(other_ctx)

    default_ctx.set_tlsext_servername_callback(pick)
    for name, cn in ((b"other.example", "other.example"),
                     (b"localhost", "localhost")):
        server_conn, client_conn = memory_pair(default_ctx,
                                               client_context(ca),
                                               server_name=name)
        handshake_in_memory(client_conn, server_conn)
        assert seen[-1] == (server_conn, name)
        assert client_conn.get_peer_certificate().get_subject().CN == cn
        expected = other_ctx if name == b"other.example" else default_ctx
        assert server_conn.get_context() is expected
        assert transfer(client_conn, server_conn, b"ok") == b"ok"


def test_servername_callback_return_value_ignored(ca, server):
    sctx = server_context(server)
    sctx.set_tlsext_servername_callback(lambda conn: "ignored")
    handshake_pair(sctx, client_context(ca), server_name=b"localhost")


def test_servername_callback_not_called_without_sni(ca, server):
    calls = []
    sctx = server_context(server)
    sctx.set_tlsext_servername_callback(calls.append)
    handshake_pair(sctx, client_context(ca))
    # OpenSSL calls it even without a name; get_servername() is then None
    assert all(conn.get_servername() is None for conn in calls)


@VERSIONS
def test_servername_callback_exception(ca, server, monkeypatch, version):
    """Row 18, CVE-2026-27448: sys.excepthook, then a fatal alert; the
    handshake fails with SSL.Error and never goes on."""
    hooked = []
    monkeypatch.setattr(sys, "excepthook", lambda *a: hooked.append(a))
    problem = CallbackProblem("from servername")
    sctx = server_context(server, version=version)
    sctx.set_tlsext_servername_callback(raising(problem))
    server_conn, client_conn = memory_pair(sctx, client_context(ca),
                                           server_name=b"localhost")
    with pytest.raises(SSL.Error) as info:
        handshake_in_memory(client_conn, server_conn)
    assert type(info.value) is SSL.Error
    assert info.value.args == ([("SSL routines", "", "callback failed")],)
    assert len(hooked) == 1
    exc_type, exc_value, tb = hooked[0]
    assert exc_type is CallbackProblem
    assert exc_value is problem
    assert tb is not None
    # the client gets the alert and does not complete either
    pump(server_conn, client_conn)
    with pytest.raises(SSL.Error):
        client_conn.do_handshake()
    assert_queue_empty()


def test_servername_callback_mutates_its_context(ca, server):
    """3.4: a callback may change the Context whose handshake it runs in
    without deadlocking on that Context's lock."""
    sctx = server_context(server)

    def mutate(conn):
        ctx = conn.get_context()
        ctx.set_options(SSL.OP_NO_TICKET)
        ctx.set_timeout(123)
        ctx.set_verify(SSL.VERIFY_NONE, None)
        ctx.set_app_data("touched")

    sctx.set_tlsext_servername_callback(mutate)
    server_conn, client_conn = handshake_pair(sctx, client_context(ca),
                                              server_name=b"localhost")
    assert sctx.get_timeout() == 123
    assert sctx.get_app_data() == "touched"


def test_servername_callback_over_sockets(ca, server):
    sctx = server_context(server)
    names = []
    sctx.set_tlsext_servername_callback(
        lambda conn: names.append(conn.get_servername())
    )
    server_conn, client_conn = socket_connections(
        sctx, client_context(ca), server_name=b"localhost"
    )
    handshake_nonblocking(client_conn, server_conn)
    assert names == [b"localhost"]
    close_pair(server_conn, client_conn)


# ---------------------------------------------------------------------------
# Info callback
# ---------------------------------------------------------------------------


@VERSIONS
def test_info_callback_exception(ca, server, monkeypatch, version):
    """Row 19: reported through sys.unraisablehook; the handshake goes on."""
    reports = []
    monkeypatch.setattr(sys, "unraisablehook", reports.append)
    problem = CallbackProblem("from info")
    sctx = server_context(server, version=version)
    sctx.set_info_callback(raising(problem))
    server_conn, client_conn = handshake_pair(sctx, client_context(ca))
    assert reports
    assert all(r.exc_value is problem for r in reports)
    assert all(r.exc_type is CallbackProblem for r in reports)
    assert transfer(client_conn, server_conn, b"still up") == b"still up"
    assert_queue_empty()


def test_info_callback_sets_server_name(ca, server):
    """Twisted: the client's info callback sets SNI at
    SSL_CB_HANDSHAKE_START and reads its app data."""
    seen = []

    def info(conn, where, ret):
        if where & SSL.SSL_CB_HANDSHAKE_START:
            conn.set_tlsext_host_name(conn.get_app_data().encode("ascii"))
        if where & SSL.SSL_CB_HANDSHAKE_DONE:
            seen.append(conn.get_peer_certificate().get_subject().CN)

    cctx = client_context(ca)
    cctx.set_info_callback(info)
    names = []
    sctx = server_context(server)
    sctx.set_tlsext_servername_callback(
        lambda conn: names.append(conn.get_servername())
    )
    server_conn, client_conn = memory_pair(sctx, cctx)
    client_conn.set_app_data("localhost")
    handshake_in_memory(client_conn, server_conn)
    assert names == [b"localhost"]
    assert server_conn.get_servername() == b"localhost"
    assert seen == ["localhost"]


def test_info_callback_replaced_for_existing_connections(ca, server):
    """3.4: the info callback is read when it fires."""
    old, new = [], []
    sctx = server_context(server)
    sctx.set_info_callback(lambda *a: old.append(a))
    server_conn, client_conn = memory_pair(sctx, client_context(ca))
    sctx.set_info_callback(lambda *a: new.append(a))
    handshake_in_memory(client_conn, server_conn)
    assert not old and new


def test_info_callback_alerts(ca, server):
    alerts = []

    def info(conn, where, ret):
        if where & SSL.SSL_CB_ALERT:
            alerts.append((where, ret))

    cctx = client_context(ca)
    cctx.set_info_callback(info)
    server_conn, client_conn = handshake_pair(server_context(server), cctx)
    client_conn.shutdown()
    # close_notify: level warning (1), description 0
    assert alerts == [(SSL.SSL_CB_WRITE_ALERT, 0x100)]


def test_connection_info_callback(ca, server):
    context_calls, connection_calls = [], []
    sctx = server_context(server)
    sctx.set_info_callback(lambda *a: context_calls.append(a))
    server_conn, client_conn = memory_pair(sctx, client_context(ca))
    server_conn.set_info_callback(lambda *a: connection_calls.append(a))
    handshake_in_memory(client_conn, server_conn)
    assert connection_calls and not context_calls
    assert all(a[0] is server_conn for a in connection_calls)
    with pytest.raises(TypeError):
        server_conn.set_info_callback(None)


# ---------------------------------------------------------------------------
# Callbacks calling methods of their own Connection
# ---------------------------------------------------------------------------


OWN_CONNECTION_CALLS = {
    "do_handshake": lambda c: c.do_handshake(),
    "send": lambda c: c.send(b"x"),
    "sendall": lambda c: c.sendall(b"x"),
    "recv": lambda c: c.recv(1),
    "recv_into": lambda c: c.recv_into(bytearray(1)),
    "shutdown": lambda c: c.shutdown(),
    "renegotiate": lambda c: c.renegotiate(),
    "bio_read": lambda c: c.bio_read(100),
    "bio_write": lambda c: c.bio_write(b"\x16\x03\x03\x00\x05hello"),
    "bio_shutdown": lambda c: c.bio_shutdown(),
    "set_connect_state": lambda c: c.set_connect_state(),
    "set_accept_state": lambda c: c.set_accept_state(),
    "set_shutdown": lambda c: c.set_shutdown(3),
    "get_session": lambda c: c.get_session(),
    "set_verify": lambda c: c.set_verify(SSL.VERIFY_NONE),
    "set_context": lambda c: c.set_context(SSL.Context(SSL.TLS_METHOD)),
    "set_context_same": lambda c: c.set_context(c.get_context()),
    "context_set_cipher_list": lambda c: c.get_context().set_cipher_list(
        b"AES128-SHA"),
    "master_key": lambda c: c.master_key(),
    "get_peer_cert_chain": lambda c: c.get_peer_cert_chain(),
    "get_verified_chain": lambda c: c.get_verified_chain(),
    "export_keying_material": lambda c: c.export_keying_material(b"x", 8),
    "set_tlsext_host_name": lambda c: c.set_tlsext_host_name(b"other"),
    "get_state_string": lambda c: c.get_state_string(),
    "DTLSv1_listen": lambda c: c.DTLSv1_listen(),
    "DTLSv1_handle_timeout": lambda c: c.DTLSv1_handle_timeout(),
}


@pytest.mark.parametrize("call", sorted(OWN_CONNECTION_CALLS))
def test_callbacks_calling_their_connection_never_crash(ca, server, client,
                                                        call, monkeypatch):
    """Every callback kind, on both sides, calls a method of the
    Connection it was given: whatever happens to the handshake, it is an
    ordinary exception, never a crash or a hang. (Which calls are refused
    from a callback, and how, is test_ssl26_reentrancy.py's business.)"""
    monkeypatch.setattr(sys, "excepthook", lambda *a: None)
    monkeypatch.setattr(sys, "unraisablehook", lambda r: None)
    action = OWN_CONNECTION_CALLS[call]

    def callback(conn, *args):
        action(conn)
        return True

    for kind, side in (("verify", "client"), ("verify", "server"),
                       ("info", "client"), ("info", "server"),
                       ("servername", "server")):
        sctx = server_context(server)
        cctx = client_context(ca)
        if kind == "verify" and side == "client":
            cctx.set_verify(SSL.VERIFY_PEER, callback)
        elif kind == "verify":
            require_client_cert(sctx, ca, callback)
            use_pair(cctx, client)
        elif kind == "info":
            (cctx if side == "client" else sctx).set_info_callback(callback)
        else:
            sctx.set_tlsext_servername_callback(callback)
        server_conn, client_conn = memory_pair(sctx, cctx,
                                               server_name=b"localhost")
        try:
            handshake_in_memory(client_conn, server_conn)
        except (SSL.Error, RecursionError, AssertionError):
            pass
        assert_queue_empty()
