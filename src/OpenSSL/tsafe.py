"""
A thread-safe wrapper around :class:`OpenSSL.SSL.Connection` (pyOpenSSL
0.13's ``OpenSSL.tsafe``).

``tsafe.Connection(*args)`` creates ``SSL.Connection(*args)`` and offers a
fixed set of its methods. Each of them takes positional arguments and calls
the wrapped Connection's method while holding the wrapper's own
:class:`threading.RLock`, so calls made through one wrapper from several
threads run one at a time. Nothing else is forwarded.

A call that blocks (``recv`` on a blocking socket, say) keeps the lock, and
every other thread using the same wrapper waits for it. 0.13's version only
ran on Python 2; this one runs on Python 3.

This module is not imported by the ``OpenSSL`` package; import it as
``OpenSSL.tsafe``.
"""

import threading
from typing import Any, Callable

from OpenSSL import SSL as _ssl

_METHODS = (
    "get_context",
    "pending",
    "send",
    "write",
    "recv",
    "read",
    "renegotiate",
    "bind",
    "listen",
    "connect",
    "accept",
    "setblocking",
    "fileno",
    "shutdown",
    "close",
    "get_cipher_list",
    "getpeername",
    "getsockname",
    "getsockopt",
    "setsockopt",
    "makefile",
    "get_app_data",
    "set_app_data",
    "state_string",
    "sock_shutdown",
    "get_peer_certificate",
    "get_peer_cert_chain",
    "want_read",
    "want_write",
    "set_connect_state",
    "set_accept_state",
    "connect_ex",
    "sendall",
)


def _locked(name: str) -> Callable[..., Any]:
    def method(self: "Connection", *args: Any) -> Any:
        with self._lock:
            return getattr(self._ssl_conn, name)(*args)

    method.__name__ = name
    method.__qualname__ = "Connection." + name
    method.__doc__ = (
        "Call the wrapped Connection's %s(*args) while holding this "
        "wrapper's lock." % (name,)
    )
    return method


class Connection:
    """
    Connection(*args)

    Wrap ``OpenSSL.SSL.Connection(*args)``; see the module documentation.
    The wrapped Connection is the ``_ssl_conn`` attribute and the lock the
    ``_lock`` attribute, as in pyOpenSSL 0.13.
    """

    def __init__(self, *args: Any) -> None:
        self._ssl_conn = _ssl.Connection(*args)
        self._lock = threading.RLock()


for _name in _METHODS:
    setattr(Connection, _name, _locked(_name))
del _name, _locked
