"""
Twisted on this package.

* Over TCP on 127.0.0.1 with a real reactor (twisted.internet.ssl:
  CertificateOptions / PrivateCertificate.options / optionsForClientTLS,
  listenSSL / connectSSL). A reactor runs once per process, so each
  scenario runs twisted_tcp.py in a subprocess and reports JSON.
* In memory, in this process: twisted.protocols.tls.TLSMemoryBIOProtocol
  on both ends (TLSMemoryBIOFactory) connected by twisted.test.iosim, with
  a fake clock. This is Connection(ctx, None) + bio_read/bio_write, the
  info callback doing SNI and service_identity checks, and the close and
  unexpected-EOF paths.
"""

import json
import os
import subprocess
import sys

import pytest
from twisted.internet import protocol, ssl
from twisted.internet.error import ConnectionDone, ConnectionLost
from twisted.internet.interfaces import IOpenSSLContextFactory
from twisted.internet.task import Clock
from twisted.protocols.tls import TLSMemoryBIOFactory
from twisted.test import iosim
from zope.interface import implementer

import OpenSSL
from OpenSSL import SSL

from .support import TIMEOUT, child_env

HERE = os.path.dirname(os.path.abspath(__file__))

# RFC 7919's ffdhe2048 group, as `openssl genpkey -genparam -algorithm DH
# -pkeyopt group:ffdhe2048` writes it.
FFDHE2048 = b"""\
-----BEGIN DH PARAMETERS-----
MIIBCAKCAQEA//////////+t+FRYortKmq/cViAnPTzx2LnFg84tNpWp4TZBFGQz
+8yTnc4kmz75fS/jY2MMddj2gbICrsRhetPfHtXV/WVhJDP1H18GbtCFY2VVPe0a
87VXE15/V8k1mE8McODmi3fipona8+/och3xWKE2rec1MKzKT0g6eXq8CrGCsyT7
YdEIqUuyyOP7uWrat2DX9GgdT0Kj3jlN9K5W7edjcrsZCwenyO4KbXCeAvzhzffi
7MA0BM0oNC9hkXL+nOmFg/+OTxIy7vKBg8P+OxtMb61zO7X8vC7CIAXFjvGDfRaD
ssbzSibBsu/6iGtCOGEoXJf//////////wIBAg==
-----END DH PARAMETERS-----
"""


def read(path):
    with open(path, "rb") as f:
        return f.read()


def ssl_reasons(exc):
    """The reason strings of an OpenSSL.SSL.Error's queue."""
    assert isinstance(exc, SSL.Error), repr(exc)
    return [reason for (_lib, _func, reason) in exc.args[0]]


# ---------------------------------------------------------------------------
# TCP, real reactor, subprocess
# ---------------------------------------------------------------------------


def run_tcp_scenario(pem, scenario):
    proc = subprocess.run(
        [
            sys.executable,
            "-W",
            "ignore::DeprecationWarning",
            os.path.join(HERE, "twisted_tcp.py"),
            pem.dir,
            scenario,
        ],
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT * 2,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["OpenSSL"] == OpenSSL.__file__
    assert "timeout" not in result, result
    return result


def test_tcp_echo_alpn_and_clean_close(pem):
    result = run_tcp_scenario(pem, "echo")
    server, client = result["server"], result["client"]
    assert server["data"] == "hello twisted"
    assert client["data_ok"] is True
    assert client["peer_cn"] == "localhost"
    assert server["peer_cn"] is None  # no client certificate asked
    assert client["alpn"] == "h2"
    assert server["version"] in ("TLSv1.2", "TLSv1.3")
    assert server["cipher"]
    # loseConnection() on the client: close_notify both ways, then FIN.
    assert client["lost"]["type"] == "twisted.internet.error.ConnectionDone"
    assert server["lost"]["type"] == "twisted.internet.error.ConnectionDone"


def test_tcp_hostname_mismatch_fails_verification(pem):
    result = run_tcp_scenario(pem, "wrong-host")
    assert "data" not in result["server"]
    lost = result["client"]["lost"]
    assert lost["type"] == "service_identity.exceptions.VerificationError"
    assert "wrong.example" in lost["message"]


def test_tcp_untrusted_certificate_rejected(pem):
    result = run_tcp_scenario(pem, "untrusted")
    assert "data" not in result["server"]
    client_lost = result["client"]["lost"]
    server_lost = result["server"]["lost"]
    assert client_lost["type"] == "OpenSSL.SSL.Error"
    assert client_lost["ssl_errors"] == [
        ["SSL routines", "", "certificate verify failed"]
    ]
    assert server_lost["type"] == "OpenSSL.SSL.Error"
    assert server_lost["ssl_errors"][-1] == [
        "SSL routines",
        "",
        "tlsv1 alert unknown ca",
    ]


def test_tcp_client_certificate(pem):
    result = run_tcp_scenario(pem, "client-cert")
    assert result["server"]["peer_cn"] == "client"
    assert result["client"]["data_ok"] is True
    assert result["client"]["alpn"] is None
    assert result["server"]["lost"]["type"].endswith("ConnectionDone")


def test_tcp_client_certificate_required(pem):
    result = run_tcp_scenario(pem, "no-client-cert")
    assert "data" not in result["server"]
    server_lost = result["server"]["lost"]
    assert server_lost["type"] == "OpenSSL.SSL.Error"
    assert server_lost["ssl_errors"][-1][2] == (
        "peer did not return a certificate"
    )
    assert result["client"]["lost"]["type"] == "OpenSSL.SSL.Error"


def test_tcp_alpn_without_overlap_fails(pem):
    # Twisted's ALPN select callback returns b"" when nothing overlaps;
    # the handshake then fails (OpenSSL reports an internal error).
    result = run_tcp_scenario(pem, "alpn-mismatch")
    server_lost = result["server"]["lost"]
    assert server_lost["type"] == "OpenSSL.SSL.Error"
    assert server_lost["ssl_errors"][-1][2] == "internal error"
    client_lost = result["client"]["lost"]
    assert client_lost["type"] == "OpenSSL.SSL.Error"
    assert client_lost["ssl_errors"][-1][2] == "tlsv1 alert internal error"


# ---------------------------------------------------------------------------
# Twisted's own TLS tests, run by trial on this package
# ---------------------------------------------------------------------------

# All of test_sslverify but OpenSSLOptionsTests, whose per-test RSA key
# generation takes minutes with the system's OpenSSL 3.0.
SSLVERIFY_CLASSES = [
    "ALPNOptionsForClientTLSTests",
    "ALPNTests",
    "AcceptableCiphersTests",
    "CertificateRequestTests",
    "ChooseDiffieHellmanEllipticCurveTests",
    "ClientOptionsTests",
    "ConstructorsTests",
    "DeprecationTests",
    "DiffieHellmanParametersTests",
    "ExpandCipherStringTests",
    "FakeCryptoTests",
    "FakeLibTests",
    "KeyPairTests",
    "MultipleCertificateTrustRootTests",
    "OpenSSLCipherTests",
    "OpenSSLOptionsECDHIntegrationTests",
    "ServiceIdentityTests",
    "TrustRootTests",
]

TWISTED_SUITES = {
    # TLSMemoryBIOProtocol, startTLS, listenSSL/connectSSL on real reactors
    "transport": [
        "twisted.protocols.test.test_tls",
        "twisted.internet.test.test_tls",
        "twisted.test.test_ssl",
    ],
    "sslverify": [
        "twisted.test.test_sslverify." + name for name in SSLVERIFY_CLASSES
    ],
}


@pytest.mark.parametrize("suite", sorted(TWISTED_SUITES))
def test_twisted_own_tls_tests(suite, tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "twisted.trial", *TWISTED_SUITES[suite]],
        cwd=str(tmp_path),
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    summary = proc.stdout.strip().splitlines()[-1:]
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    assert summary and summary[0].startswith("PASSED"), summary


# ---------------------------------------------------------------------------
# Memory BIOs, in process
# ---------------------------------------------------------------------------


class Recorder(protocol.Protocol):
    """Collects data; echoes it if echo is set; records connectionLost."""

    echo = False

    def connectionMade(self):
        self.received = b""
        self.reason = None

    def dataReceived(self, data):
        self.received += data
        if self.echo:
            self.transport.write(data)

    def connectionLost(self, reason):
        self.reason = reason


class Echo(Recorder):
    echo = True


def server_options(pem, **kw):
    return ssl.CertificateOptions(
        privateKey=pem.server.key, certificate=pem.server.cert, **kw
    )


def client_options(pem, hostname="localhost", trust=None, **kw):
    trust = trust or pem.ca.cert
    return ssl.optionsForClientTLS(
        hostname, trustRoot=ssl.Certificate(trust), **kw
    )


class MemoryPair:
    """Two TLSMemoryBIOProtocols joined by an iosim pump and a fake clock."""

    def __init__(
        self,
        server_context_factory,
        client_context_factory,
        server_protocol=Echo,
        client_protocol=Recorder,
        greet=True,
    ):
        self.clock = Clock()
        # TLSMemoryBIOFactory aggregates small writes on this clock.
        server_factory = TLSMemoryBIOFactory(
            server_context_factory,
            False,
            protocol.Factory.forProtocol(server_protocol),
            clock=self.clock,
        )
        client_factory = TLSMemoryBIOFactory(
            client_context_factory,
            True,
            protocol.Factory.forProtocol(client_protocol),
            clock=self.clock,
        )
        address = iosim.FakeAddress()
        self.server_tls = server_factory.buildProtocol(address)
        self.client_tls = client_factory.buildProtocol(address)
        # Twisted drops wrappedProtocol once the connection is lost.
        self.server = self.server_tls.wrappedProtocol
        self.client = self.client_tls.wrappedProtocol
        self.server_transport = iosim.FakeTransport(self.server_tls, True)
        self.client_transport = iosim.FakeTransport(self.client_tls, False)
        self.pump = iosim.connect(
            self.server_tls,
            self.server_transport,
            self.client_tls,
            self.client_transport,
            greet=greet,
            clock=self.clock,
        )

    def flush(self):
        self.pump.flush()


def test_memory_bio_echo_large(pem):
    pair = MemoryPair(server_options(pem), client_options(pem))
    # More than one TLS record per write: Twisted slices writes into
    # send() calls of at most 16 KiB and drains bio_read(32768).
    payload = os.urandom(300_000)
    pair.client.transport.write(payload)
    pair.flush()
    assert pair.server.received == payload
    assert pair.client.received == payload
    peer = pair.client_tls._tlsConnection.get_peer_certificate()
    assert peer.get_subject().CN == "localhost"
    # The client set SNI from its info callback at handshake start.
    assert pair.server_tls._tlsConnection.get_servername() == b"localhost"
    # The app data Twisted stores on the Connection is the protocol itself.
    assert pair.client_tls._tlsConnection.get_app_data() is pair.client_tls


def test_memory_bio_alpn(pem):
    pair = MemoryPair(
        server_options(pem, acceptableProtocols=[b"http/1.1", b"h2"]),
        client_options(pem, acceptableProtocols=[b"h2", b"http/1.1"]),
    )
    pair.client.transport.write(b"x")
    pair.flush()
    assert pair.client.received == b"x"
    # Twisted's select callback takes the server's preference.
    assert pair.client_tls.negotiatedProtocol == b"http/1.1"
    assert pair.server_tls.negotiatedProtocol == b"http/1.1"


def test_memory_bio_default_context_factory(pem):
    # DefaultOpenSSLContextFactory: SSLv23_METHOD, use_certificate_file,
    # use_privatekey_file.
    server_factory = ssl.DefaultOpenSSLContextFactory(
        pem.server.key_path, pem.server.cert_path
    )
    pair = MemoryPair(server_factory, client_options(pem))
    pair.client.transport.write(b"default factory")
    pair.flush()
    assert pair.client.received == b"default factory"


@implementer(IOpenSSLContextFactory)
class TLS12Server:
    """A context factory capping CertificateOptions' Context at TLS 1.2."""

    def __init__(self, options):
        self.options = options

    def getContext(self):
        context = self.options.getContext()
        context.set_options(SSL.OP_NO_TLSv1_3)
        return context


def test_memory_bio_tls12_dhe_with_dh_parameters_file(pem, tmp_path):
    # DiffieHellmanParameters.fromFile -> Context.load_tmp_dh(path), a
    # server cipher list of DHE only (acceptableCiphers -> set_cipher_list)
    # and TLS 1.2: the handshake must use those DH parameters.
    from twisted.python.filepath import FilePath

    dh_path = tmp_path / "dh.pem"
    dh_path.write_bytes(FFDHE2048)
    server = server_options(
        pem,
        dhParameters=ssl.DiffieHellmanParameters.fromFile(
            FilePath(str(dh_path))
        ),
        acceptableCiphers=ssl.AcceptableCiphers.fromOpenSSLCipherString(
            "DHE-RSA-AES128-GCM-SHA256"
        ),
    )
    pair = MemoryPair(TLS12Server(server), client_options(pem))
    pair.client.transport.write(b"over dhe")
    pair.flush()
    assert pair.client.received == b"over dhe"
    connection = pair.client_tls._tlsConnection
    assert connection.get_protocol_version_name() == "TLSv1.2"
    assert connection.get_cipher_name() == "DHE-RSA-AES128-GCM-SHA256"
    assert connection.get_cipher_version() == "TLSv1.2"


def test_memory_bio_trust_root_and_sessions(pem):
    # trustRootFromCertificates -> get_cert_store().add_cert();
    # enableSessions -> set_session_id() and a server session cache.
    trust = ssl.trustRootFromCertificates([ssl.Certificate(pem.ca.cert)])
    pair = MemoryPair(
        server_options(pem, enableSessions=True),
        ssl.optionsForClientTLS("localhost", trustRoot=trust),
    )
    pair.client.transport.write(b"trusted")
    pair.flush()
    assert pair.client.received == b"trusted"
    server_context = pair.server_tls._tlsConnection.get_context()
    assert server_context.get_session_cache_mode() & SSL.SESS_CACHE_SERVER


def test_memory_bio_client_certificate(pem):
    server = ssl.PrivateCertificate.loadPEM(
        read(pem.server.cert_path) + read(pem.server.key_path)
    )
    client = ssl.PrivateCertificate.loadPEM(
        read(pem.client.cert_path) + read(pem.client.key_path)
    )
    ca = ssl.Certificate.loadPEM(read(pem.ca.cert_path))
    pair = MemoryPair(
        server.options(ca),
        ssl.optionsForClientTLS(
            "localhost", trustRoot=ca, clientCertificate=client
        ),
    )
    pair.client.transport.write(b"with client cert")
    pair.flush()
    assert pair.client.received == b"with client cert"
    peer = pair.server_tls.getPeerCertificate()
    assert peer.get_subject().CN == "client"


def test_memory_bio_hostname_mismatch(pem):
    from service_identity import VerificationError

    pair = MemoryPair(
        server_options(pem), client_options(pem, hostname="other.example")
    )
    pair.client.transport.write(b"never delivered")
    pair.flush()
    assert pair.server.received == b""
    assert pair.client.reason.check(VerificationError)
    assert "other.example" in str(pair.client.reason.value)


def test_memory_bio_hostname_by_ip_address(pem):
    pair = MemoryPair(server_options(pem), client_options(pem, "127.0.0.1"))
    pair.client.transport.write(b"by ip")
    pair.flush()
    assert pair.client.received == b"by ip"


def test_memory_bio_untrusted_certificate(pem):
    pair = MemoryPair(
        server_options(pem), client_options(pem, trust=pem.rogue_ca.cert)
    )
    pair.client.transport.write(b"never delivered")
    pair.flush()
    assert pair.server.received == b""
    assert pair.client.reason.check(SSL.Error)
    assert ssl_reasons(pair.client.reason.value) == [
        "certificate verify failed"
    ]
    assert pair.server.reason.check(SSL.Error)
    assert ssl_reasons(pair.server.reason.value)[-1] == (
        "tlsv1 alert unknown ca"
    )


def test_memory_bio_client_closes_cleanly(pem):
    pair = MemoryPair(server_options(pem), client_options(pem))
    pair.client.transport.write(b"bye")
    pair.flush()
    server_connection = pair.server_tls._tlsConnection
    pair.client.transport.loseConnection()
    pair.flush()
    # close_notify went both ways: ZeroReturnError on the server's recv,
    # shutdown() returning True, then the transports closed.
    assert pair.client.reason.check(ConnectionDone)
    assert pair.server.reason.check(ConnectionDone)
    assert server_connection.get_shutdown() == (
        SSL.SENT_SHUTDOWN | SSL.RECEIVED_SHUTDOWN
    )


def test_memory_bio_server_closes_cleanly(pem):
    class CloseAfterReply(Recorder):
        def dataReceived(self, data):
            self.transport.write(b"last words")
            self.transport.loseConnection()

    pair = MemoryPair(
        server_options(pem),
        client_options(pem),
        server_protocol=CloseAfterReply,
    )
    pair.client.transport.write(b"hi")
    pair.flush()
    assert pair.client.received == b"last words"
    assert pair.client.reason.check(ConnectionDone)
    assert pair.server.reason.check(ConnectionDone)


class RecordingConnection:
    """Proxy for an SSL.Connection that records what recv() raises."""

    def __init__(self, connection):
        self._connection = connection
        self.raised = []

    def recv(self, *args):
        try:
            return self._connection.recv(*args)
        except SSL.Error as e:
            self.raised.append(e)
            raise

    def __getattr__(self, name):
        return getattr(self._connection, name)


def test_memory_bio_unexpected_eof(pem):
    pair = MemoryPair(server_options(pem), client_options(pem))
    pair.client.transport.write(b"data")
    pair.flush()
    assert pair.server.received == b"data"
    recorder = RecordingConnection(pair.server_tls._tlsConnection)
    pair.server_tls._tlsConnection = recorder
    # The client's TCP connection goes away without a TLS close_notify.
    pair.client_tls.transport.loseConnection()
    pair.flush()
    # bio_shutdown() then recv(): SysCallError(-1, "Unexpected EOF"), which
    # Twisted turns into ConnectionLost rather than a clean ConnectionDone.
    eofs = [e for e in recorder.raised if isinstance(e, SSL.SysCallError)]
    assert eofs and eofs[-1].args == (-1, "Unexpected EOF")
    assert pair.server.reason.check(ConnectionLost)
    assert not pair.server.reason.check(ConnectionDone)


def test_memory_bio_garbage_from_peer(pem):
    pair = MemoryPair(server_options(pem), client_options(pem))
    pair.client.transport.write(b"ok")
    pair.flush()
    pair.server_tls.dataReceived(b"\x17\x03\x03\x00\x10" + b"\x00" * 16)
    pair.flush()
    assert pair.server.reason.check(SSL.Error)
    assert not pair.server.reason.check(SSL.SysCallError)


def test_cipher_string_expansion():
    # Twisted expands cipher strings on a throw-away Connection with
    # get_cipher_list(), and treats Error 'no cipher match' as "nothing".
    from twisted.internet._sslverify import OpenSSLAcceptableCiphers

    ciphers = OpenSSLAcceptableCiphers.fromOpenSSLCipherString(
        "ECDHE-RSA-AES256-GCM-SHA384:AES128-SHA"
    )
    names = [c.fullName for c in ciphers._ciphers]
    assert "ECDHE-RSA-AES256-GCM-SHA384" in names
    assert "AES128-SHA" in names
    nothing = OpenSSLAcceptableCiphers.fromOpenSSLCipherString("nonsense")
    assert list(nothing._ciphers) == []


def test_memory_bio_abort_during_handshake(pem):
    pair = MemoryPair(server_options(pem), client_options(pem), greet=False)
    pair.pump.pump()  # ClientHello reaches the server, nothing more
    pair.client_tls.abortConnection()
    pair.flush()
    assert pair.client.received == pair.server.received == b""
    # The server saw its transport go away mid-handshake: an EOF, which
    # Twisted reports as ConnectionLost.
    assert pair.server.reason.check(ConnectionLost)
    assert pair.client.reason is not None
