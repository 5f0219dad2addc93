"""
pyOpenSSL - A simple wrapper around the OpenSSL library
"""

from types import ModuleType as _ModuleType

from OpenSSL import SSL, crypto
from OpenSSL.version import (
    __author__,
    __copyright__,
    __email__,
    __license__,
    __summary__,
    __title__,
    __uri__,
    __version__,
)

__all__ = [
    "SSL",
    "crypto",
    "rand",
    "tsafe",
    "__author__",
    "__copyright__",
    "__email__",
    "__license__",
    "__summary__",
    "__title__",
    "__uri__",
    "__version__",
]


def __getattr__(name: str) -> _ModuleType:
    # pyOpenSSL 0.13 imported OpenSSL.rand with the package; import it only
    # when somebody asks, so that a plain `import OpenSSL` stays cheap.
    if name == "rand":
        import importlib

        return importlib.import_module("OpenSSL.rand")
    raise AttributeError("module 'OpenSSL' has no attribute %r" % (name,))
