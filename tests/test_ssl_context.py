"""
OpenSSL.SSL.Context (API.md 1.5, 2.1, 2.3, 3.2, 3.4): every method that
pyOpenSSL 0.13 or 23.0.0 has, its argument checking, its return value and
its effect on real handshakes (memory-BIO pairs; see sslhelpers.py).
"""

import os
import pathlib
import subprocess
import sys
import warnings

import pytest

from OpenSSL import SSL, crypto
from sslhelpers import (
    assert_queue_empty,
    client_context,
    handshake_in_memory,
    handshake_pair,
    memory_pair,
    pump,
    read_pending,
    require_client_cert,
    server_context,
    use_pair,
)

PEM = crypto.FILETYPE_PEM
ASN1 = crypto.FILETYPE_ASN1

# DH parameters: RFC 7919's ffdhe2048 (`openssl genpkey -genparam -algorithm
# DH -pkeyopt group:ffdhe2048`) and a 512-bit group OpenSSL refuses as too
# small (`openssl dhparam -dsaparam 512`).
DATA_DIR = os.path.join(os.path.dirname(__file__), "data")


@pytest.fixture(scope="module")
def files(tmp_path_factory, ca, server, client):
    """The session PKI written to files, PEM and DER, plus DH parameters
    and an encrypted copy of the server key."""
    d = tmp_path_factory.mktemp("ctxfiles")
    out = {}

    def write(name, data):
        path = d / name
        path.write_bytes(data)
        out[name] = str(path)

    write("ca.pem", crypto.dump_certificate(PEM, ca[1]))
    write("server.pem", crypto.dump_certificate(PEM, server[1]))
    write("server.der", crypto.dump_certificate(ASN1, server[1]))
    write("server.key", crypto.dump_privatekey(PEM, server[0]))
    write("server.key.der", crypto.dump_privatekey(ASN1, server[0]))
    write("client.key", crypto.dump_privatekey(PEM, client[0]))
    write(
        "server.key.enc",
        crypto.dump_privatekey(PEM, server[0], "aes256", b"secret"),
    )
    write(
        "server.key.enc1024",
        crypto.dump_privatekey(PEM, server[0], "aes256", b"p" * 1024),
    )
    write(
        "chain.pem",
        crypto.dump_certificate(PEM, server[1])
        + crypto.dump_certificate(PEM, ca[1]),
    )
    write("garbage", b"this is not PEM\n")
    # A c_rehash directory: the CA under <subject hash>.0
    hashdir = d / "hashdir"
    hashdir.mkdir()
    (hashdir / ("%08x.0" % ca[1].subject_name_hash())).write_bytes(
        crypto.dump_certificate(PEM, ca[1])
    )
    out["hashdir"] = str(hashdir)
    out["dh.pem"] = os.path.join(DATA_DIR, "ffdhe2048.pem")
    return out


def fresh():
    return SSL.Context(SSL.TLS_METHOD)


# ---------------------------------------------------------------------------
# Construction
# ---------------------------------------------------------------------------


def test_method_must_be_an_int():
    for bad in ("7", None, 7.0, b"7"):
        with pytest.raises(TypeError) as info:
            SSL.Context(bad)
        assert str(info.value) == "method must be an integer"


def test_method_keyword():
    assert isinstance(SSL.Context(method=SSL.TLS_METHOD), SSL.Context)


def test_init_twice_is_refused_and_harmless():
    ctx = fresh()
    ctx.set_options(SSL.OP_NO_TICKET)
    with pytest.raises(TypeError):
        ctx.__init__(SSL.TLS_METHOD)
    assert ctx.set_options(0) & SSL.OP_NO_TICKET


def test_modes_set_at_creation():
    # ENABLE_PARTIAL_WRITE (1) and ACCEPT_MOVING_WRITE_BUFFER (2): row 33
    mode = fresh().set_mode(0)
    assert mode & 1
    assert mode & 2


@pytest.mark.parametrize(
    "method,version",
    [
        (SSL.TLSv1_2_METHOD, "TLSv1.2"),
        (SSL.SSLv23_METHOD, "TLSv1.3"),
        (SSL.TLS_METHOD, "TLSv1.3"),
    ],
)
def test_methods_negotiate(ca, server, method, version):
    sctx = server_context(server, method=method)
    cctx = client_context(ca, method=method)
    _, client = handshake_pair(sctx, cctx)
    assert client.get_protocol_version_name() == version


def test_client_and_server_methods(ca, server):
    sctx = server_context(server, method=SSL.TLS_SERVER_METHOD)
    cctx = client_context(ca, method=SSL.TLS_CLIENT_METHOD)
    server_conn, client_conn = handshake_pair(sctx, cctx)
    assert client_conn.get_peer_certificate() is not None


def test_tlsv1_method_context_is_created(ca, server):
    # Twisted 22.4 does this at import time.
    SSL.Connection(SSL.Context(SSL.TLSv1_METHOD), None)


# ---------------------------------------------------------------------------
# Options, modes, timeouts, verify settings
# ---------------------------------------------------------------------------


def test_set_options_returns_the_new_mask():
    ctx = fresh()
    base = ctx.set_options(0)
    assert type(base) is int
    new = ctx.set_options(SSL.OP_NO_TICKET)
    assert new == base | SSL.OP_NO_TICKET
    # never clears
    assert ctx.set_options(SSL.OP_NO_COMPRESSION) == (
        base | SSL.OP_NO_TICKET | SSL.OP_NO_COMPRESSION
    )
    assert ctx.set_options(options=0) == new | SSL.OP_NO_COMPRESSION


def test_set_options_takes_high_bits():
    ctx = fresh()
    assert ctx.set_options(SSL.OP_ALL) & SSL.OP_ALL == SSL.OP_ALL
    assert ctx.set_options(SSL.OP_NO_RENEGOTIATION) & 0x40000000


@pytest.mark.parametrize("bad", [None, "1", 1.0, b"\x01"])
def test_set_options_type(bad):
    with pytest.raises(TypeError) as info:
        fresh().set_options(bad)
    assert str(info.value) == "options must be an integer"


@pytest.mark.parametrize("bad", [-1, 2**64])
def test_set_options_range(bad):
    with pytest.raises(OverflowError):
        fresh().set_options(bad)


def test_set_mode_returns_the_new_mask():
    ctx = fresh()
    base = ctx.set_mode(0)
    assert ctx.set_mode(SSL.MODE_RELEASE_BUFFERS) == (
        base | SSL.MODE_RELEASE_BUFFERS
    )
    with pytest.raises(TypeError) as info:
        ctx.set_mode("x")
    assert str(info.value) == "mode must be an integer"


def test_timeout():
    ctx = fresh()
    assert ctx.get_timeout() == 7200
    assert ctx.set_timeout(100) == 7200
    assert ctx.set_timeout(timeout=200) == 100
    assert ctx.get_timeout() == 200
    with pytest.raises(TypeError) as info:
        ctx.set_timeout("100")
    assert str(info.value) == "timeout must be an integer"
    with pytest.raises(OverflowError):
        ctx.set_timeout(2**70)
    assert ctx.get_timeout() == 200


def test_verify_depth():
    ctx = fresh()
    ctx.set_verify_depth(3)
    assert ctx.get_verify_depth() == 3
    ctx.set_verify_depth(depth=7)
    assert ctx.get_verify_depth() == 7
    with pytest.raises(TypeError) as info:
        ctx.set_verify_depth("3")
    assert str(info.value) == "depth must be an integer"


def test_verify_depth_takes_effect(ca):
    # server <- intermediate <- CA: one intermediate needs depth 1.
    import pki

    inter_key = pki.make_key()
    inter = pki.make_cert(inter_key, "Intermediate", ca, 10, ca=True)
    leaf_key = pki.make_key()
    leaf = pki.make_cert(leaf_key, "localhost", (inter_key, inter), 11)
    sctx = server_context((leaf_key, leaf))
    sctx.add_extra_chain_cert(inter)
    for depth, ok in ((0, False), (1, True)):
        cctx = client_context(ca)
        cctx.set_verify_depth(depth)
        server_conn, client_conn = memory_pair(sctx, cctx)
        if ok:
            handshake_in_memory(client_conn, server_conn)
            continue
        with pytest.raises(SSL.Error) as info:
            handshake_in_memory(client_conn, server_conn)
        assert info.value.args[0][-1][2] == "certificate verify failed"


def test_set_verify_mode_and_callback():
    ctx = fresh()
    assert ctx.get_verify_mode() == SSL.VERIFY_NONE
    ctx.set_verify(SSL.VERIFY_PEER)
    assert ctx.get_verify_mode() == SSL.VERIFY_PEER
    ctx.set_verify(SSL.VERIFY_PEER | SSL.VERIFY_FAIL_IF_NO_PEER_CERT,
                   lambda *args: True)
    assert ctx.get_verify_mode() == 3
    ctx.set_verify(mode=SSL.VERIFY_NONE, callback=None)
    assert ctx.get_verify_mode() == SSL.VERIFY_NONE


def test_set_verify_types():
    ctx = fresh()
    with pytest.raises(TypeError) as info:
        ctx.set_verify("1")
    assert str(info.value) == "mode must be an integer"
    with pytest.raises(TypeError) as info:
        ctx.set_verify(None)
    assert str(info.value) == "mode must be an integer"
    with pytest.raises(TypeError) as info:
        ctx.set_verify(SSL.VERIFY_PEER, 1)
    assert str(info.value) == "callback must be callable"
    with pytest.raises(TypeError):
        ctx.set_verify()
    assert ctx.get_verify_mode() == SSL.VERIFY_NONE


# ---------------------------------------------------------------------------
# Trust: load_verify_locations, get_cert_store, set_default_verify_paths
# ---------------------------------------------------------------------------


def verifies(cctx, server):
    """Does a client with `cctx` (VERIFY_PEER) accept the server?"""
    cctx.set_verify(SSL.VERIFY_PEER)
    server_conn, client_conn = memory_pair(server_context(server), cctx)
    try:
        handshake_in_memory(client_conn, server_conn)
    except SSL.Error as e:
        assert e.args[0][-1][2] == "certificate verify failed", e
        return False
    return True


def test_untrusted_server_fails(server):
    assert not verifies(fresh(), server)


@pytest.mark.parametrize("kind", [str, bytes, pathlib.Path])
def test_load_verify_locations_file(files, server, kind):
    ctx = fresh()
    path = files["ca.pem"]
    ctx.load_verify_locations(
        path.encode() if kind is bytes else kind(path)
    )
    assert verifies(ctx, server)


def test_load_verify_locations_dir(files, server):
    ctx = fresh()
    ctx.load_verify_locations(None, files["hashdir"])
    assert verifies(ctx, server)
    ctx = fresh()
    ctx.load_verify_locations(cafile=None, capath=files["hashdir"].encode())
    assert verifies(ctx, server)


def test_load_verify_locations_none_none():
    with pytest.raises(SSL.Error) as info:
        fresh().load_verify_locations(None, None)
    assert type(info.value) is SSL.Error
    assert info.value.args == ([],)
    assert_queue_empty()


def test_load_verify_locations_missing_file():
    with pytest.raises(SSL.Error) as info:
        fresh().load_verify_locations("/nonexistent/ca.pem")
    reasons = [reason for _, _, reason in info.value.args[0]]
    assert "no such file" in reasons
    assert_queue_empty()


def test_load_verify_locations_garbage(files):
    with pytest.raises(SSL.Error) as info:
        fresh().load_verify_locations(files["garbage"])
    assert info.value.args == (
        [("x509 certificate routines", "", "no certificate or crl found")],
    )
    assert_queue_empty()


def test_load_verify_locations_types():
    import io

    with pytest.raises(TypeError) as info:
        fresh().load_verify_locations(io.BytesIO(b""))
    assert str(info.value) == (
        "expected str, bytes or os.PathLike object, not BytesIO"
    )
    with pytest.raises(TypeError):
        fresh().load_verify_locations(1)
    with pytest.raises(TypeError):
        fresh().load_verify_locations(None, 1)
    with pytest.raises(ValueError):
        fresh().load_verify_locations("a\0b")


def test_get_cert_store_is_the_live_store(ca, server):
    ctx = fresh()
    store = ctx.get_cert_store()
    assert isinstance(store, crypto.X509Store)
    assert not verifies(ctx, server)
    store.add_cert(ca[1])
    # another wrapper, the same store
    assert verifies(ctx, server)
    assert isinstance(ctx.get_cert_store(), crypto.X509Store)


def test_get_cert_store_outlives_context(ca, server):
    ctx = fresh()
    store = ctx.get_cert_store()
    del ctx
    store.add_cert(ca[1])   # must not touch freed memory


def test_set_default_verify_paths_env(monkeypatch, files, server):
    monkeypatch.setenv("SSL_CERT_FILE", files["ca.pem"])
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    ctx = fresh()
    assert ctx.set_default_verify_paths() is None
    assert verifies(ctx, server)


def test_set_default_verify_paths_without_env(monkeypatch, server):
    monkeypatch.setenv("SSL_CERT_FILE", "/nonexistent/ca.pem")
    monkeypatch.setenv("SSL_CERT_DIR", "/nonexistent")
    ctx = fresh()
    assert ctx.set_default_verify_paths() is None
    assert not verifies(ctx, server)
    assert_queue_empty()


# ---------------------------------------------------------------------------
# Certificates and keys
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("filetype", [None, "PEM", "ASN1", "SSL.FILETYPE_ASN1"])
def test_use_files(files, ca, server, filetype):
    if filetype is not None:
        # SSL.FILETYPE_ASN1 is 0.13's name (API.md 3.3)
        filetype = eval(filetype)
    ctx = fresh()
    if filetype is None:
        ctx.use_certificate_file(files["server.pem"])
        ctx.use_privatekey_file(files["server.key"])
    elif filetype == PEM:
        ctx.use_certificate_file(files["server.pem"], PEM)
        ctx.use_privatekey_file(files["server.key"], filetype=PEM)
    else:
        ctx.use_certificate_file(certfile=files["server.der"],
                                 filetype=filetype)
        ctx.use_privatekey_file(files["server.key.der"], filetype)
    ctx.check_privatekey()
    _, client_conn = handshake_pair(ctx, client_context(ca))
    peer = client_conn.get_peer_certificate()
    assert peer.digest("sha256") == server[1].digest("sha256")


def test_use_files_path_kinds(files):
    ctx = fresh()
    ctx.use_certificate_file(files["server.pem"].encode())
    ctx.use_privatekey_file(pathlib.Path(files["server.key"]))
    ctx.check_privatekey()


def test_use_file_errors(files):
    ctx = fresh()
    for method in (ctx.use_certificate_file, ctx.use_privatekey_file,
                   ctx.use_certificate_chain_file):
        with pytest.raises(SSL.Error) as info:
            method("/nonexistent/file.pem")
        assert info.value.args[0][0][0] == "system library"
        assert_queue_empty()
        with pytest.raises(SSL.Error):
            method(files["garbage"])
        assert_queue_empty()
        with pytest.raises(TypeError):
            method(None)
    with pytest.raises(SSL.Error) as info:
        ctx.use_certificate_file(files["server.pem"], 7)
    assert info.value.args == ([("SSL routines", "", "bad ssl filetype")],)
    with pytest.raises(SSL.Error):
        ctx.use_certificate_file(files["server.pem"], ASN1)
    with pytest.raises(TypeError) as info:
        ctx.use_certificate_file(files["server.pem"], "PEM")
    assert str(info.value) == "filetype must be an integer"
    with pytest.raises(TypeError) as info:
        ctx.use_privatekey_file(files["server.key"], None)
    assert str(info.value) == "filetype must be an integer"
    assert_queue_empty()


def test_use_certificate_chain_file(files, ca, server):
    ctx = fresh()
    ctx.use_certificate_chain_file(files["chain.pem"])
    ctx.use_privatekey_file(files["server.key"])
    _, client_conn = handshake_pair(ctx, client_context(ca))
    chain = client_conn.get_peer_cert_chain()
    assert [c.get_subject().CN for c in chain] == ["localhost", "Test CA"]


def test_add_extra_chain_cert(ca, server):
    ctx = server_context(server)
    ctx.add_extra_chain_cert(ca[1])
    _, client_conn = handshake_pair(ctx, client_context(ca))
    chain = client_conn.get_peer_cert_chain()
    assert [c.get_subject().CN for c in chain] == ["localhost", "Test CA"]


def test_add_extra_chain_cert_copies(ca, server):
    cert = crypto.load_certificate(
        PEM, crypto.dump_certificate(PEM, ca[1])
    )
    ctx = server_context(server)
    ctx.add_extra_chain_cert(cert)
    cert.get_subject().CN = "changed later"
    del cert
    _, client_conn = handshake_pair(ctx, client_context(ca))
    assert client_conn.get_peer_cert_chain()[1].get_subject().CN == "Test CA"


@pytest.mark.parametrize(
    "method", ["use_certificate", "add_extra_chain_cert", "add_client_ca"]
)
@pytest.mark.parametrize("bad", [None, "cert", 1, object()])
def test_certificate_arguments(method, bad):
    with pytest.raises(TypeError):
        getattr(fresh(), method)(bad)


def test_certificate_argument_pkey_is_refused(server):
    with pytest.raises(TypeError):
        fresh().use_certificate(server[0])
    with pytest.raises(TypeError) as info:
        fresh().use_privatekey(server[1])
    assert str(info.value) == "Unsupported key type"


@pytest.mark.parametrize("bad", [None, "key", 1])
def test_use_privatekey_argument(bad):
    with pytest.raises(TypeError) as info:
        fresh().use_privatekey(bad)
    assert str(info.value) == "Unsupported key type"


def test_check_privatekey(server, client):
    ctx = fresh()
    with pytest.raises(SSL.Error) as info:
        ctx.check_privatekey()
    assert info.value.args == (
        [("SSL routines", "", "no certificate assigned")],
    )
    ctx.use_certificate(server[1])
    with pytest.raises(SSL.Error):
        ctx.check_privatekey()
    assert_queue_empty()
    ctx.use_privatekey(server[0])
    assert ctx.check_privatekey() is None


def test_check_privatekey_mismatch(server, client):
    ctx = fresh()
    ctx.use_privatekey(client[0])
    # OpenSSL refuses the certificate of another key outright, or keeps it
    # and check_privatekey reports the mismatch: both are an Error.
    try:
        ctx.use_certificate(server[1])
    except SSL.Error:
        return
    with pytest.raises(SSL.Error):
        ctx.check_privatekey()
    assert_queue_empty()


def test_check_privatekey_mismatch_files(files):
    ctx = fresh()
    ctx.use_certificate_file(files["server.pem"])
    with pytest.raises(SSL.Error):
        ctx.use_privatekey_file(files["client.key"])
    assert_queue_empty()


# ---------------------------------------------------------------------------
# Passphrase callback (2.3; 3.2 rows 13 to 15)
# ---------------------------------------------------------------------------


def test_passwd_cb_arguments(files):
    ctx = fresh()
    calls = []

    def cb(maxlen, rwflag, userdata):
        calls.append((maxlen, rwflag, userdata))
        return b"secret"

    marker = object()
    ctx.set_passwd_cb(cb, marker)
    ctx.use_privatekey_file(files["server.key.enc"])
    assert calls == [(1024, 0, marker)]
    ctx.set_passwd_cb(callback=cb)
    ctx.use_privatekey_file(files["server.key.enc"])
    assert calls[-1] == (1024, 0, None)
    ctx.use_certificate_file(files["server.pem"])
    ctx.check_privatekey()


def test_passwd_cb_result_is_truncated_to_maxlen(files):
    ctx = fresh()
    ctx.set_passwd_cb(lambda maxlen, *a: b"p" * maxlen + b"overflow")
    ctx.use_privatekey_file(files["server.key.enc1024"])


@pytest.mark.parametrize("result", [None, "secret", 1, bytearray(b"secret")])
def test_passwd_cb_non_bytes(files, result):
    ctx = fresh()
    ctx.set_passwd_cb(lambda *a: result)
    with pytest.raises(SSL.Error) as info:
        ctx.use_privatekey_file(files["server.key.enc"])
    assert isinstance(info.value, ValueError)
    assert info.value.args == ("Bytes expected",)
    assert_queue_empty()


def test_passwd_cb_empty_and_wrong(files):
    for result in (b"", b"wrong"):
        ctx = fresh()
        ctx.set_passwd_cb(lambda *a: result)
        with pytest.raises(SSL.Error) as info:
            ctx.use_privatekey_file(files["server.key.enc"])
        assert type(info.value) is SSL.Error
        assert info.value.args[0][-1] == ("SSL routines", "", "PEM lib")
        assert_queue_empty()


def test_passwd_cb_exception_propagates(files):
    class Problem(Exception):
        pass

    problem = Problem("from the callback")

    def cb(*args):
        raise problem

    ctx = fresh()
    ctx.set_passwd_cb(cb)
    with pytest.raises(Problem) as info:
        ctx.use_privatekey_file(files["server.key.enc"])
    assert info.value is problem
    assert_queue_empty()
    # and the next load is unaffected
    ctx.set_passwd_cb(lambda *a: b"secret")
    ctx.use_privatekey_file(files["server.key.enc"])


def test_passwd_cb_not_called_for_a_clear_key(files):
    ctx = fresh()
    ctx.set_passwd_cb(lambda *a: pytest.fail("called"))
    ctx.use_privatekey_file(files["server.key"])


def test_encrypted_key_without_callback_never_prompts(files):
    # OpenSSL's default callback would prompt on the terminal: run with no
    # stdin at all, and expect an Error, not a hang.
    code = (
        "import sys\n"
        "from OpenSSL import SSL\n"
        "ctx = SSL.Context(SSL.TLS_METHOD)\n"
        "try:\n"
        "    ctx.use_privatekey_file(sys.argv[1])\n"
        "except SSL.Error as e:\n"
        "    print('Error', len(e.args[0]) > 0)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, files["server.key.enc"]],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ),
    )
    assert out.stdout == "Error True\n", out.stderr
    assert "pass phrase" not in out.stdout + out.stderr


def test_passwd_cb_must_be_callable():
    for bad in (None, 1, b"secret"):
        with pytest.raises(TypeError) as info:
            fresh().set_passwd_cb(bad)
        assert str(info.value) == "callback must be callable"


def test_passwd_cb_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fresh().set_passwd_cb(lambda *a: b"")


# ---------------------------------------------------------------------------
# Client CA lists
# ---------------------------------------------------------------------------


def client_ca_names(sctx, ca, client):
    """The CA names a client sees when `sctx` asks for its certificate."""
    require_client_cert(sctx, ca)
    cctx = use_pair(client_context(ca), client)
    server_conn, client_conn = handshake_pair(sctx, cctx)
    names = client_conn.get_client_ca_list()
    assert server_conn.get_client_ca_list() == names
    return names


def test_no_client_ca_list(ca, server, client):
    assert client_ca_names(server_context(server), ca, client) == []


def test_load_client_ca(files, ca, server, client):
    sctx = server_context(server)
    assert sctx.load_client_ca(files["ca.pem"].encode()) is None
    names = client_ca_names(sctx, ca, client)
    assert [n.CN for n in names] == ["Test CA"]
    assert all(isinstance(n, crypto.X509Name) for n in names)


def test_load_client_ca_str_warns(files, ca, server, client):
    sctx = server_context(server)
    with pytest.warns(DeprecationWarning) as record:
        sctx.load_client_ca(files["ca.pem"])
    assert str(record[0].message) == (
        "str for cafile is no longer accepted, use bytes"
    )
    assert [n.CN for n in client_ca_names(sctx, ca, client)] == ["Test CA"]


def test_load_client_ca_errors(files):
    # row 34: an Error, not a silently empty list
    with pytest.raises(SSL.Error) as info:
        fresh().load_client_ca(b"/nonexistent/ca.pem")
    assert info.value.args[0][0][0] == "system library"
    assert_queue_empty()
    with pytest.raises(SSL.Error) as info:
        fresh().load_client_ca(files["garbage"].encode())
    assert info.value.args == ([("PEM routines", "", "no start line")],)
    assert_queue_empty()
    for bad in (None, 1):
        with pytest.raises(TypeError):
            fresh().load_client_ca(bad)


def test_set_client_ca_list(ca, server, client):
    sctx = server_context(server)
    other = crypto.X509Name(ca[1].get_subject())
    other.CN = "Another CA"
    sctx.set_client_ca_list([ca[1].get_subject(), other])
    names = client_ca_names(sctx, ca, client)
    assert [n.CN for n in names] == ["Test CA", "Another CA"]
    sctx.set_client_ca_list(certificate_authorities=iter([other]))
    assert [n.CN for n in client_ca_names(sctx, ca, client)] == [
        "Another CA"
    ]


def test_set_client_ca_list_types(ca):
    with pytest.raises(TypeError) as info:
        fresh().set_client_ca_list([ca[1].get_subject(), 1])
    assert str(info.value) == (
        "client CAs must be X509Name objects, not int objects"
    )
    with pytest.raises(TypeError):
        fresh().set_client_ca_list(1)
    with pytest.raises(TypeError) as info:
        fresh().set_client_ca_list([ca[1]])
    assert str(info.value) == (
        "client CAs must be X509Name objects, not X509 objects"
    )


def test_add_client_ca(ca, server, client):
    sctx = server_context(server)
    sctx.add_client_ca(ca[1])
    sctx.add_client_ca(certificate_authority=server[1])
    names = client_ca_names(sctx, ca, client)
    assert [n.CN for n in names] == ["Test CA", "localhost"]


def test_client_ca_names_are_copies(ca, server, client):
    sctx = server_context(server)
    sctx.add_client_ca(ca[1])
    names = client_ca_names(sctx, ca, client)
    names[0].CN = "changed"
    assert client_ca_names(sctx, ca, client)[0].CN == "Test CA"


# ---------------------------------------------------------------------------
# DH and ECDH parameters, ciphers
# ---------------------------------------------------------------------------

DHE = b"DHE-RSA-AES128-GCM-SHA256"


def dhe_server(server):
    sctx = server_context(server, version=SSL.TLS1_2_VERSION)
    sctx.set_cipher_list(DHE)
    return sctx


def test_load_tmp_dh(files, ca, server):
    sctx = dhe_server(server)
    # without parameters OpenSSL 3 has no DHE
    server_conn, client_conn = memory_pair(sctx, client_context(ca))
    with pytest.raises(SSL.Error) as info:
        handshake_in_memory(client_conn, server_conn)
    assert ("SSL routines", "", "no shared cipher") in info.value.args[0]
    assert sctx.load_tmp_dh(files["dh.pem"]) is None
    _, client_conn = handshake_pair(sctx, client_context(ca))
    assert client_conn.get_cipher_name() == DHE.decode()
    sctx.load_tmp_dh(files["dh.pem"].encode())
    sctx.load_tmp_dh(dhfile=pathlib.Path(files["dh.pem"]))


def test_load_tmp_dh_errors(files):
    with pytest.raises(SSL.Error) as info:
        fresh().load_tmp_dh("/nonexistent/dh.pem")
    assert ("BIO routines", "", "no such file") in info.value.args[0]
    assert_queue_empty()
    # row 37: unparsable contents are an Error
    with pytest.raises(SSL.Error):
        fresh().load_tmp_dh(files["garbage"])
    assert_queue_empty()
    # a PEM file that is not DH parameters
    with pytest.raises(SSL.Error):
        fresh().load_tmp_dh(files["server.pem"])
    assert_queue_empty()
    with pytest.raises(TypeError):
        fresh().load_tmp_dh(None)


def test_load_tmp_dh_small_parameters():
    with pytest.raises(SSL.Error) as info:
        fresh().load_tmp_dh(os.path.join(DATA_DIR, "dh512.pem"))
    assert info.value.args == ([("SSL routines", "", "dh key too small")],)
    assert_queue_empty()


def test_set_tmp_ecdh(ca, server):
    sctx = server_context(server)
    sctx.set_tmp_ecdh(crypto.get_elliptic_curve("secp384r1"))
    _, client_conn = handshake_pair(sctx, client_context(ca))
    assert client_conn.get_group_name() == "secp384r1"


def test_set_tmp_ecdh_cryptography_curve(ca, server):
    from cryptography.hazmat.primitives.asymmetric import ec
    sctx = server_context(server)
    sctx.set_tmp_ecdh(ec.SECP521R1())
    _, client_conn = handshake_pair(sctx, client_context(ca))
    assert client_conn.get_group_name() == "secp521r1"


def test_set_tmp_ecdh_bad_argument():
    with pytest.raises(TypeError) as info:
        fresh().set_tmp_ecdh(None)
    assert isinstance(info.value, AttributeError)    # 3.1 rule 3


CIPHER = b"ECDHE-RSA-AES256-GCM-SHA384"


def test_set_cipher_list(ca, server):
    sctx = server_context(server, version=SSL.TLS1_2_VERSION)
    assert sctx.set_cipher_list(CIPHER) is None
    server_conn, client_conn = handshake_pair(sctx, client_context(ca))
    assert client_conn.get_cipher_name() == CIPHER.decode()
    assert server_conn.get_cipher_list()[-1] == CIPHER.decode()
    # TLS 1.3 suites are unaffected and come first
    assert server_conn.get_cipher_list()[0].startswith("TLS_")


def test_set_cipher_list_str_warns():
    ctx = fresh()
    with pytest.warns(DeprecationWarning) as record:
        ctx.set_cipher_list(CIPHER.decode())
    assert str(record[0].message) == (
        "str for cipher_list is no longer accepted, use bytes"
    )
    conn = SSL.Connection(ctx, None)
    assert CIPHER.decode() in conn.get_cipher_list()


@pytest.mark.parametrize(
    "ciphers", [b"imaginary-cipher", b"TLS_AES_128_GCM_SHA256", b""]
)
def test_set_cipher_list_no_match(ciphers):
    # row 42: garbage and TLS 1.3-only strings alike
    with pytest.raises(SSL.Error) as info:
        fresh().set_cipher_list(ciphers)
    assert type(info.value) is SSL.Error
    assert info.value.args == ([("SSL routines", "", "no cipher match")],)
    assert_queue_empty()


@pytest.mark.parametrize("bad", [None, 1, bytearray(b"ALL"), ["ALL"]])
def test_set_cipher_list_types(bad):
    with pytest.raises(TypeError) as info:
        fresh().set_cipher_list(bad)
    assert str(info.value) == "cipher_list must be a byte string."


def test_set_cipher_list_after_an_error():
    # As with pyOpenSSL, OpenSSL has already replaced the list when it
    # finds that no TLS 1.2 cipher is left: only the TLS 1.3 suites remain
    # until the next successful call.
    ctx = fresh()
    ctx.set_cipher_list(CIPHER)
    with pytest.raises(SSL.Error):
        ctx.set_cipher_list(b"imaginary-cipher")
    assert all(
        name.startswith("TLS_")
        for name in SSL.Connection(ctx, None).get_cipher_list()
    )
    ctx.set_cipher_list(CIPHER)
    assert SSL.Connection(ctx, None).get_cipher_list()[-1] == CIPHER.decode()


# ---------------------------------------------------------------------------
# Sessions: set_session_id, cache modes
# ---------------------------------------------------------------------------


def close(*conns):
    """Clean TLS close of memory-BIO connections, so that OpenSSL keeps
    their session resumable (it drops sessions of connections freed
    without shutdown)."""
    for conn in conns:
        conn.set_shutdown(SSL.SENT_SHUTDOWN | SSL.RECEIVED_SHUTDOWN)


def resumes(sctx, ca, tls13=False, client_pair=None):
    """
    Does a second connection resume the session of the first? The
    evidence: a resumed handshake sends no certificate, so the client's
    verify callback is not called.
    """
    calls = []
    cctx = client_context(ca, callback=lambda *a: calls.append(a) or True)
    if client_pair is not None:
        use_pair(cctx, client_pair)
    server_conn, client_conn = handshake_pair(sctx, cctx)
    assert calls
    if tls13:
        pump(server_conn, client_conn)
        read_pending(client_conn)       # the session tickets
    session = client_conn.get_session()
    assert isinstance(session, SSL.Session)
    close(server_conn, client_conn)
    del calls[:]
    server_conn, client_conn = memory_pair(sctx, cctx)
    client_conn.set_session(session)
    handshake_in_memory(client_conn, server_conn)
    # the peer certificate is remembered in the session either way
    assert client_conn.get_peer_certificate() is not None
    close(server_conn, client_conn)
    return not calls


def test_session_cache_mode():
    ctx = fresh()
    assert ctx.get_session_cache_mode() == SSL.SESS_CACHE_SERVER
    assert ctx.set_session_cache_mode(SSL.SESS_CACHE_OFF) == (
        SSL.SESS_CACHE_SERVER
    )
    assert ctx.get_session_cache_mode() == SSL.SESS_CACHE_OFF
    assert ctx.set_session_cache_mode(mode=SSL.SESS_CACHE_BOTH) == 0
    with pytest.raises(TypeError) as info:
        ctx.set_session_cache_mode("off")
    assert str(info.value) == "mode must be an integer"


def test_session_cache_on_and_off(ca, server):
    sctx = server_context(server, version=SSL.TLS1_2_VERSION)
    sctx.set_options(SSL.OP_NO_TICKET)     # resumption by session id only
    assert resumes(sctx, ca)
    sctx.set_session_cache_mode(SSL.SESS_CACHE_OFF)
    assert not resumes(sctx, ca)


def test_session_tickets_tls13(ca, server):
    sctx = server_context(server, version=SSL.TLS1_3_VERSION)
    assert resumes(sctx, ca, tls13=True)
    sctx.set_options(SSL.OP_NO_TICKET)
    sctx.set_session_cache_mode(SSL.SESS_CACHE_OFF)
    assert not resumes(sctx, ca, tls13=True)


def test_set_session_id(ca, server, client):
    ctx = fresh()
    assert ctx.set_session_id(b"x" * 32) is None
    ctx.set_session_id(buf=b"")
    with pytest.raises(SSL.Error) as info:
        ctx.set_session_id(b"x" * 33)
    assert info.value.args == (
        [("SSL routines", "", "ssl session id context too long")],
    )
    assert_queue_empty()
    with pytest.raises(TypeError):
        ctx.set_session_id(1)
    with pytest.raises(TypeError):
        ctx.set_session_id(None)


def test_set_session_id_str_warns():
    with pytest.warns(DeprecationWarning) as record:
        fresh().set_session_id("abc")
    assert str(record[0].message) == (
        "str for buf is no longer accepted, use bytes"
    )


def test_set_session_id_enables_resumption_with_client_certs(
    ca, server, client
):
    # A server that verifies clients resumes only sessions made within its
    # own session id context.
    sctx = require_client_cert(
        server_context(server, version=SSL.TLS1_2_VERSION), ca
    )
    sctx.set_options(SSL.OP_NO_TICKET)
    sctx.set_session_id(b"my server")
    assert resumes(sctx, ca, client_pair=client)


# ---------------------------------------------------------------------------
# Application data, callbacks' setters
# ---------------------------------------------------------------------------


def test_app_data():
    ctx = fresh()
    assert ctx.get_app_data() is None
    marker = object()
    assert ctx.set_app_data(marker) is None
    assert ctx.get_app_data() is marker
    ctx.set_app_data(data=None)
    assert ctx.get_app_data() is None


def test_info_callback_must_be_callable():
    # row 6
    for bad in (None, 1, "cb"):
        with pytest.raises(TypeError) as info:
            fresh().set_info_callback(bad)
        assert str(info.value) == "callback must be callable"


def test_info_callback(ca, server):
    calls = []
    sctx = server_context(server)
    sctx.set_info_callback(lambda conn, where, ret: calls.append(
        (conn, where, ret)
    ))
    server_conn, _ = handshake_pair(sctx, client_context(ca))
    assert calls
    assert all(conn is server_conn for conn, _, _ in calls)
    wheres = [where for _, where, _ in calls]
    assert all(type(w) is int for w in wheres)
    assert SSL.SSL_CB_HANDSHAKE_START in wheres
    assert SSL.SSL_CB_HANDSHAKE_DONE in wheres
    assert any(w & SSL.SSL_CB_ACCEPT_LOOP == SSL.SSL_CB_ACCEPT_LOOP
               for w in wheres)
    assert any(w == SSL.SSL_CB_ACCEPT_EXIT for w in wheres)


def test_servername_callback_setter(ca, server):
    seen = []
    sctx = server_context(server)
    sctx.set_tlsext_servername_callback(
        lambda conn: seen.append(conn.get_servername())
    )
    handshake_pair(sctx, client_context(ca), server_name=b"localhost")
    assert seen == [b"localhost"]
    # None removes the callback
    sctx.set_tlsext_servername_callback(None)
    handshake_pair(sctx, client_context(ca), server_name=b"localhost")
    assert seen == [b"localhost"]


# ---------------------------------------------------------------------------
# Protocol versions
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "version,name",
    [(SSL.TLS1_2_VERSION, "TLSv1.2"), (SSL.TLS1_3_VERSION, "TLSv1.3")],
)
def test_pinned_versions(ca, server, version, name):
    sctx = server_context(server, version=version)
    server_conn, client_conn = handshake_pair(sctx, client_context(ca))
    for conn in (server_conn, client_conn):
        assert conn.get_protocol_version_name() == name
        assert conn.get_protocol_version() == version


def test_version_mismatch_fails(ca, server):
    sctx = server_context(server, version=SSL.TLS1_3_VERSION)
    cctx = client_context(ca, version=SSL.TLS1_2_VERSION)
    server_conn, client_conn = memory_pair(sctx, cctx)
    with pytest.raises(SSL.Error):
        handshake_in_memory(client_conn, server_conn)
    assert_queue_empty()


def test_proto_version_arguments():
    ctx = fresh()
    ctx.set_min_proto_version(0)
    ctx.set_max_proto_version(version=0)
    with pytest.raises(TypeError):
        ctx.set_min_proto_version("TLSv1.2")
    with pytest.raises(SSL.Error) as info:
        ctx.set_min_proto_version(12345)
    assert info.value.args == ([],)
    with pytest.raises(OverflowError):
        ctx.set_max_proto_version(2**40)
    assert_queue_empty()


# ---------------------------------------------------------------------------
# Private attributes (DOWNSTREAM 1.1)
# ---------------------------------------------------------------------------


def test_private_context_attribute():
    ctx = fresh()
    assert ctx._context == ctx._context
    assert ctx._context is ctx._context
