"""
A Twisted TLS client and server over TCP on 127.0.0.1, in a reactor of
its own: run as a script (a reactor can run only once per process) by
test_twisted.py.

    python twisted_tcp.py PEM_DIR SCENARIO

Prints one line of JSON describing what each side saw.
"""

import json
import os
import sys

import OpenSSL
from twisted.internet import defer, protocol, ssl, task

TIMEOUT = 10


def read(pem_dir, name):
    with open(os.path.join(pem_dir, name), "rb") as f:
        return f.read()


def describe(reason):
    """A JSON-able summary of a connectionLost reason."""
    value = reason.value
    out = {"type": type(value).__module__ + "." + type(value).__name__}
    if isinstance(value, OpenSSL.SSL.Error) and value.args:
        out["ssl_errors"] = [list(e) for e in value.args[0]]
    else:
        out["message"] = str(value)
    return out


def main(reactor, pem_dir, scenario):
    ca = ssl.Certificate.loadPEM(read(pem_dir, "ca.pem"))
    rogue_ca = ssl.Certificate.loadPEM(read(pem_dir, "rogue-ca.pem"))
    server_cert = ssl.PrivateCertificate.loadPEM(
        read(pem_dir, "server.pem") + read(pem_dir, "server.key")
    )
    client_cert = ssl.PrivateCertificate.loadPEM(
        read(pem_dir, "client.pem") + read(pem_dir, "client.key")
    )

    hostname = "localhost"
    trust = ca
    client_certificate = None
    if scenario == "client-cert" or scenario == "no-client-cert":
        # options(ca) == verify=True, caCerts=[ca], requireCertificate=True
        server_options = server_cert.options(ca)
        if scenario == "client-cert":
            client_certificate = client_cert
    else:
        server_options = ssl.CertificateOptions(
            privateKey=server_cert.privateKey.original,
            certificate=server_cert.original,
            acceptableProtocols=[b"http/1.1", b"h2"],
        )
    # ALPN: the client offers protocols only where the server has some.
    client_protocols = None
    if scenario == "echo":
        client_protocols = [b"h2", b"spdy/3"]
    elif scenario == "alpn-mismatch":
        client_protocols = [b"spdy/3"]
    if scenario == "wrong-host":
        hostname = "wrong.example"
    elif scenario == "untrusted":
        trust = rogue_ca
    client_options = ssl.optionsForClientTLS(
        hostname,
        trustRoot=trust,
        clientCertificate=client_certificate,
        acceptableProtocols=client_protocols,
    )

    result = {"OpenSSL": OpenSSL.__file__, "server": {}, "client": {}}
    server_lost = defer.Deferred()
    client_lost = defer.Deferred()

    class Server(protocol.Protocol):
        def dataReceived(self, data):
            if "peer_cn" not in result["server"]:
                peer = self.transport.getPeerCertificate()
                result["server"]["peer_cn"] = (
                    None if peer is None else peer.get_subject().CN
                )
                handle = self.transport.getHandle()
                result["server"]["version"] = (
                    handle.get_protocol_version_name()
                )
                result["server"]["cipher"] = handle.get_cipher_name()
            result["server"].setdefault("data", "")
            result["server"]["data"] += data.decode()
            # Echo back, in pieces larger than one TLS record.
            self.transport.write(data.upper() * 2000)

        def connectionLost(self, reason):
            result["server"]["lost"] = describe(reason)
            server_lost.callback(None)

    class Client(protocol.Protocol):
        expected = len(b"HELLO TWISTED") * 2000

        def connectionMade(self):
            self.received = b""
            self.transport.write(b"hello twisted")

        def dataReceived(self, data):
            self.received += data
            if len(self.received) == self.expected:
                result["client"]["data_ok"] = (
                    self.received == b"HELLO TWISTED" * 2000
                )
                alpn = self.transport.negotiatedProtocol
                result["client"]["alpn"] = alpn and alpn.decode()
                peer = self.transport.getPeerCertificate()
                result["client"]["peer_cn"] = peer.get_subject().CN
                self.transport.loseConnection()

        def connectionLost(self, reason):
            result["client"]["lost"] = describe(reason)
            client_lost.callback(None)

    server_factory = protocol.Factory.forProtocol(Server)
    port = reactor.listenSSL(
        0, server_factory, server_options, interface="127.0.0.1"
    )
    client_factory = protocol.ClientFactory.forProtocol(Client)
    reactor.connectSSL(
        "127.0.0.1", port.getHost().port, client_factory, client_options
    )

    both = defer.gatherResults([server_lost, client_lost])
    both.addTimeout(TIMEOUT, reactor)

    def finish(outcome):
        if isinstance(outcome, Exception) or hasattr(outcome, "value"):
            result["timeout"] = True
        print(json.dumps(result))
        return port.stopListening()

    both.addBoth(finish)
    return both


if __name__ == "__main__":
    task.react(main, sys.argv[1:])
