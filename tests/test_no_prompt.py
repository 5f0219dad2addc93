"""
Nothing ever asks for a passphrase on the terminal.

OpenSSL's default passphrase callback prompts on the controlling terminal
when a PEM block says it is encrypted; a server started from a shell would
hang there. Every entry point that reads PEM passes our callback instead,
which answers "no passphrase" unless the caller gave one. Each one runs
here in a child whose controlling terminal is a pseudo-terminal, with stdin
from /dev/null, on PEM blocks with encryption headers.
"""

import os
import select
import sys
import time

import pytest

from crypto_support import ENCRYPTED_KEY_PEM
from OpenSSL import crypto

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or sys.platform == "darwin",
    reason="needs a pseudo-terminal")

ENCRYPTED_HEADERS = (
    b"Proc-Type: 4,ENCRYPTED\n"
    b"DEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n"
)

CHILD = r"""
import sys
from OpenSSL import SSL, crypto

d = sys.argv[1]
def data(name):
    return open(d + "/" + name, "rb").read()

P = crypto.FILETYPE_PEM
calls = [
    ("load_certificate", lambda: crypto.load_certificate(P, data("cert"))),
    ("load_publickey", lambda: crypto.load_publickey(P, data("pub"))),
    ("load_privatekey", lambda: crypto.load_privatekey(P, data("key"))),
    ("load_certificate_request",
     lambda: crypto.load_certificate_request(P, data("req"))),
    ("load_crl", lambda: crypto.load_crl(P, data("crl"))),
    ("load_pkcs7_data", lambda: crypto.load_pkcs7_data(P, data("p7"))),
    ("load_client_ca",
     lambda: SSL.Context(SSL.TLS_METHOD).load_client_ca(
         (d + "/cert").encode())),
    ("use_certificate_file",
     lambda: SSL.Context(SSL.TLS_METHOD).use_certificate_file(d + "/cert")),
    ("use_certificate_chain_file",
     lambda: SSL.Context(SSL.TLS_METHOD).use_certificate_chain_file(
         d + "/cert")),
    ("use_privatekey_file",
     lambda: SSL.Context(SSL.TLS_METHOD).use_privatekey_file(d + "/key")),
    ("load_verify_locations",
     lambda: SSL.Context(SSL.TLS_METHOD).load_verify_locations(
         d + "/cert")),
    ("X509Store.load_locations",
     lambda: crypto.X509Store().load_locations(d + "/cert")),
]
for name, call in calls:
    try:
        call()
        print(name, "loaded")
    except Exception as exc:
        print(name, type(exc).__name__)
print("finished")
"""


def encrypt_headers(pem):
    """The PEM block with encryption headers after its BEGIN line."""
    first, rest = pem.split(b"\n", 1)
    return first + b"\n" + ENCRYPTED_HEADERS + rest


def run_on_a_terminal(code, args, timeout=60):
    """Run the Python `code` in a child on a pseudo-terminal, with `args`;
    return what it printed."""
    import pty

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - child
        try:
            devnull = os.open(os.devnull, os.O_RDONLY)
            os.dup2(devnull, 0)
            os.execve(sys.executable, [sys.executable, "-c", code, *args],
                      env)
        finally:
            os._exit(127)
    output = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if not ready:
                continue
            try:
                data = os.read(fd, 4096)
            except OSError:
                break
            if not data:
                break
            output += data
            if b"pass phrase" in output.lower():
                break
    finally:
        try:
            os.kill(pid, 9)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
        os.close(fd)
    return output.replace(b"\r", b"").decode("ascii", "replace")


def test_no_pem_reader_prompts(tmp_path, ca, server):
    key, cert = server
    req = crypto.X509Req()
    req.get_subject().CN = "request"
    req.set_pubkey(key)
    req.sign(key, "sha256")
    crl = crypto.CRL()
    pems = {
        "cert": crypto.dump_certificate(crypto.FILETYPE_PEM, cert),
        "pub": crypto.dump_publickey(crypto.FILETYPE_PEM, key),
        # A traditional key: the kind of block that carries the headers.
        "key": crypto.dump_privatekey(crypto.FILETYPE_PEM, key),
        "req": crypto.dump_certificate_request(crypto.FILETYPE_PEM, req),
        "crl": crl.export(ca[1], ca[0], digest=b"sha256"),
        "p7": b"-----BEGIN PKCS7-----\nMAA=\n-----END PKCS7-----\n",
    }
    for name, pem in pems.items():
        (tmp_path / name).write_bytes(encrypt_headers(pem))
    output = run_on_a_terminal(CHILD, [str(tmp_path)])
    assert "pass phrase" not in output.lower(), output
    lines = output.strip().splitlines()
    assert lines[-1] == "finished", output
    for line in lines[:-1]:
        name, outcome = line.split()
        assert outcome != "loaded", line


def test_encrypted_private_keys_fail_without_prompt(tmp_path):
    """
    Really encrypted keys, PKCS#8 (AES-256) and traditional (DES-EDE3),
    loaded without a passphrase: pyOpenSSL 23/26 pass no callback, so
    OpenSSL asks on the terminal; here the load fails with crypto.Error.
    """
    key = crypto.PKey()
    key.generate_key(crypto.TYPE_RSA, 1024)
    (tmp_path / "pkcs8.pem").write_bytes(crypto.dump_privatekey(
        crypto.FILETYPE_PEM, key, "aes256", b"secret"))
    (tmp_path / "legacy.pem").write_bytes(ENCRYPTED_KEY_PEM)
    code = (
        "import sys\n"
        "from OpenSSL import crypto\n"
        "for name in ('pkcs8.pem', 'legacy.pem'):\n"
        "    data = open(sys.argv[1] + '/' + name, 'rb').read()\n"
        "    try:\n"
        "        crypto.load_privatekey(crypto.FILETYPE_PEM, data)\n"
        "        print(name, 'loaded')\n"
        "    except crypto.Error as e:\n"
        "        print(name, 'Error', bool(e.args[0]))\n"
        "print('finished')\n"
    )
    output = run_on_a_terminal(code, [str(tmp_path)])
    assert "pass phrase" not in output.lower(), output
    assert output.endswith(
        "pkcs8.pem Error True\nlegacy.pem Error True\nfinished\n"), output
