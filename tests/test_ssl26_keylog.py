"""
Key logging (Context.set_keylog_callback): the callback receives the
Connection and each NSS key log line as bytes; an exception in it goes to
sys.unraisablehook and the handshake goes on (API.md 3.2 row 19).
"""

import re
import sys

import pytest

from OpenSSL import SSL

from ssl26helpers import (
    client_context,
    connected_pair,
    connected_socket_pair,
    handshake,
    memory_pair,
    server_context,
)

LINE = re.compile(rb"^([A-Z_0-9]+) ([0-9a-f]{64}) ([0-9a-f]+)$")

TLS13_LABELS = {
    b"CLIENT_HANDSHAKE_TRAFFIC_SECRET",
    b"SERVER_HANDSHAKE_TRAFFIC_SECRET",
    b"CLIENT_TRAFFIC_SECRET_0",
    b"SERVER_TRAFFIC_SECRET_0",
    b"EXPORTER_SECRET",
}


def logged_pair(server, max_version=0, sockets=False):
    lines = []
    sctx = server_context(server)
    cctx = client_context()
    if max_version:
        cctx.set_max_proto_version(max_version)
    sctx.set_keylog_callback(lambda conn, line: lines.append(("s", conn,
                                                              line)))
    cctx.set_keylog_callback(lambda conn, line: lines.append(("c", conn,
                                                              line)))
    make = connected_socket_pair if sockets else connected_pair
    s, c = make(sctx, cctx)
    return s, c, lines


def parse(lines, side):
    out = {}
    for who, _, line in lines:
        if who == side:
            m = LINE.match(line)
            assert m, line
            out[m.group(1)] = (m.group(2), m.group(3))
    return out


def test_tls12_client_random_line(server):
    s, c, lines = logged_pair(server, SSL.TLS1_2_VERSION)
    for who, conn, line in lines:
        assert type(line) is bytes
        assert not line.endswith(b"\n")
        assert conn is (s if who == "s" else c)
    client = parse(lines, "c")
    assert set(client) == {b"CLIENT_RANDOM"}
    random_hex, master_hex = client[b"CLIENT_RANDOM"]
    assert random_hex == c.client_random().hex().encode()
    assert master_hex == c.master_key().hex().encode()
    assert parse(lines, "s") == client


def test_tls13_traffic_secret_lines(server):
    s, c, lines = logged_pair(server)
    assert c.get_protocol_version_name() == "TLSv1.3"
    client = parse(lines, "c")
    assert set(client) == TLS13_LABELS
    for random_hex, secret_hex in client.values():
        assert random_hex == c.client_random().hex().encode()
        # TLS_AES_256_GCM_SHA384: secrets are SHA-384 sized.
        assert len(secret_hex) == 96
    assert parse(lines, "s") == client


def test_keylog_over_sockets(server):
    s, c, lines = logged_pair(server, sockets=True)
    assert set(parse(lines, "c")) == TLS13_LABELS


def test_only_the_context_with_a_callback_logs(server):
    lines = []
    cctx = client_context()
    cctx.set_keylog_callback(callback=lambda conn, l: lines.append(conn))
    s, c = connected_pair(server_context(server), cctx)
    assert lines and all(conn is c for conn in lines)


def test_exception_goes_to_unraisablehook(server, monkeypatch):
    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)

    def callback(conn, line):
        raise ValueError("keylog")

    cctx = client_context()
    cctx.set_keylog_callback(callback)
    s, c = connected_pair(server_context(server), cctx)
    assert len(unraisable) == len(TLS13_LABELS)
    for u in unraisable:
        assert isinstance(u.exc_value, ValueError)
        assert str(u.exc_value) == "keylog"
    # The handshake went on and the connection works.
    s.send(b"after")
    c.bio_write(s.bio_read(4096))
    assert c.recv(10) == b"after"


def test_return_value_ignored(server):
    cctx = client_context()
    cctx.set_keylog_callback(lambda conn, line: "ignored")
    connected_pair(server_context(server), cctx)


def test_not_callable_reported_when_called(server, monkeypatch):
    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    cctx = client_context()
    cctx.set_keylog_callback(42)
    connected_pair(server_context(server), cctx)
    assert unraisable
    assert all(isinstance(u.exc_value, TypeError) for u in unraisable)


def test_none_removes_callback(server):
    lines = []
    cctx = client_context()
    cctx.set_keylog_callback(lambda conn, line: lines.append(line))
    cctx.set_keylog_callback(None)
    connected_pair(server_context(server), cctx)
    assert lines == []


def test_replaced_after_connection_exists(server):
    first, second = [], []
    cctx = client_context()
    cctx.set_keylog_callback(lambda conn, line: first.append(line))
    s, c = memory_pair(server_context(server), cctx)
    cctx.set_keylog_callback(lambda conn, line: second.append(line))
    handshake(s, c)
    assert first == []
    assert len(second) == len(TLS13_LABELS)


def test_callback_may_use_connection(server):
    seen = []

    def callback(conn, line):
        seen.append((conn.get_app_data(), conn.client_random()))

    cctx = client_context()
    cctx.set_keylog_callback(callback)
    s, c = memory_pair(server_context(server), cctx)
    c.set_app_data("mine")
    handshake(s, c)
    assert seen
    assert all(app == "mine" for app, _ in seen)


def test_keylog_takes_one_argument():
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(TypeError):
        ctx.set_keylog_callback()
    with pytest.raises(TypeError):
        ctx.set_keylog_callback(print, print)
