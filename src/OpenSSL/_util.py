"""
Private helpers of pyOpenSSL, kept importable for the programs that reach
for them.

In the cffi-based pyOpenSSL this module holds the cffi binding: ``lib``
(OpenSSL's functions) and ``ffi``. This pyOpenSSL is a C extension written
directly against OpenSSL and has no cffi binding, so there is nothing to
hand out. Some programs import the names anyway: Twisted does
``from OpenSSL._util import lib`` at import time (and then only calls it on
OpenSSL 1.0.2), Scrapy imports the module, and feature probes ask
``hasattr(lib, "SOME_FUNCTION")``. For them ``lib``, ``ffi`` and ``binding``
exist, but every attribute looked up on them raises AttributeError saying
that this pyOpenSSL has no cffi bindings: imports work, probes answer
False, and code that really needs cffi handles fails with a plain message
instead of a crash.

The pure-Python helpers of pyOpenSSL 23.0's ``_util`` are kept as they
were: ``path_bytes``, ``byte_string``, ``text_to_bytes_and_warn``,
``UNSPECIFIED`` and ``StrOrBytesPath``. ``text`` decodes the bytes that
this implementation's functions return (there are no cffi ``char*``
values). ``exception_from_error_queue`` and ``make_assert`` raise from the
calling thread's OpenSSL error queue through ``OpenSSL.crypto``; since
every function of this pyOpenSSL leaves that queue empty, the list they
raise with is normally empty.
"""

import os
import sys
import warnings
from typing import Any, Callable, List, NoReturn, Type, Union

StrOrBytesPath = Union[str, bytes, os.PathLike[str], os.PathLike[bytes]]

_NO_CFFI = (
    "this pyOpenSSL is a C extension without cffi bindings: "
    "{owner} has no attribute {name!r} (OpenSSL's functions are not "
    "exposed through cffi; use the public OpenSSL.SSL / OpenSSL.crypto API)"
)


class _NoCFFIBinding:
    """
    Stands in for one of the cffi objects of the cffi-based pyOpenSSL
    (``lib``, ``ffi``, ``binding``, ``no_zero_allocator``).

    Looking up any attribute (other than Python's own double-underscore
    names), setting or deleting one raises AttributeError with a message
    saying that this pyOpenSSL has no cffi bindings; calling it raises
    TypeError with the same explanation. ``dir()`` of it is empty.
    """

    __slots__ = ("__name",)

    def __init__(self, name: str) -> None:
        object.__setattr__(self, "_NoCFFIBinding__name", name)

    def __owner(self) -> str:
        name: str = object.__getattribute__(self, "_NoCFFIBinding__name")
        return "OpenSSL._util." + name

    def __getattribute__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            return object.__getattribute__(self, name)
        raise AttributeError(
            _NO_CFFI.format(
                owner=_NoCFFIBinding.__owner(self),
                name=name,
            )
        )

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(
            _NO_CFFI.format(
                owner=_NoCFFIBinding.__owner(self),
                name=name,
            )
        )

    def __delattr__(self, name: str) -> None:
        self.__setattr__(name, None)

    def __dir__(self) -> List[str]:
        return []

    def __call__(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError(
            "this pyOpenSSL is a C extension without cffi bindings: "
            "%s cannot be called"
            % (_NoCFFIBinding.__owner(self),)
        )

    # The stand-ins are singletons: copies are the object itself, and a
    # pickle refers to the module attribute.
    def __copy__(self) -> "_NoCFFIBinding":
        return self

    def __deepcopy__(self, memo: Any) -> "_NoCFFIBinding":
        return self

    def __reduce__(self) -> str:
        name: str = object.__getattribute__(self, "_NoCFFIBinding__name")
        return name

    def __repr__(self) -> str:
        return "<%s: no cffi bindings in this pyOpenSSL>" % (
            _NoCFFIBinding.__owner(self),
        )


lib: Any = _NoCFFIBinding("lib")
ffi: Any = _NoCFFIBinding("ffi")
binding: Any = _NoCFFIBinding("binding")
no_zero_allocator: Any = _NoCFFIBinding("no_zero_allocator")


def text(charp: Any) -> str:
    """
    Get a native string from a C string value.

    The cffi-based pyOpenSSL takes a cffi ``char*`` here; this one has no
    cffi, so it takes what its C functions return: ``bytes`` (decoded as
    UTF-8) or ``str`` (returned unchanged). A false value (``None``,
    ``b""``, ...) gives ``""``.

    :return: :class:`str`
    """
    if not charp:
        return ""
    if isinstance(charp, str):
        return charp
    if isinstance(charp, (bytes, bytearray)):
        return bytes(charp).decode("utf-8")
    raise TypeError(
        "text() takes bytes or str in this pyOpenSSL (there are no cffi "
        "char* values), not %s" % (type(charp).__name__,)
    )


def exception_from_error_queue(exception_type: Type[Exception]) -> NoReturn:
    """
    Raise ``exception_type(errors)``, where *errors* is the list of
    ``(lib, func, reason)`` str triples drained from the calling thread's
    OpenSSL error queue (``func`` is always ``''`` with OpenSSL 3).
    """
    from OpenSSL import crypto

    try:
        crypto._exception_from_error_queue()
    except crypto.Error as e:
        errors = e.args[0] if e.args else []
    else:  # pragma: no cover - the helper always raises
        errors = []
    raise exception_type(errors)


def make_assert(error: Type[Exception]) -> Callable[[bool], Any]:
    """
    Create an assert function that uses :func:`exception_from_error_queue` to
    raise an exception wrapped by *error*.
    """

    def openssl_assert(ok: bool) -> None:
        """
        If *ok* is not True, retrieve the error from OpenSSL and raise it.
        """
        if ok is not True:
            exception_from_error_queue(error)

    return openssl_assert


def path_bytes(s: StrOrBytesPath) -> bytes:
    """
    Convert a Python path to a :py:class:`bytes` for the path which can be
    passed into an OpenSSL API accepting a filename.

    :param s: A path (valid for os.fspath).

    :return: An instance of :py:class:`bytes`.
    """
    b = os.fspath(s)

    if isinstance(b, str):
        return b.encode(sys.getfilesystemencoding())
    else:
        return b


def byte_string(s: str) -> bytes:
    return s.encode("charmap")


# A marker object to observe whether some optional arguments are passed any
# value or not.
UNSPECIFIED = object()

_TEXT_WARNING = "str for {0} is no longer accepted, use bytes"


def text_to_bytes_and_warn(label: str, obj: Any) -> Any:
    """
    If ``obj`` is text, emit a warning that it should be bytes instead and try
    to convert it to bytes automatically.

    :param str label: The name of the parameter from which ``obj`` was taken
        (so a developer can easily find the source of the problem and correct
        it).

    :return: If ``obj`` is the text string type, a ``bytes`` object giving the
        UTF-8 encoding of that text is returned.  Otherwise, ``obj`` itself is
        returned.
    """
    if isinstance(obj, str):
        warnings.warn(
            _TEXT_WARNING.format(label),
            category=DeprecationWarning,
            stacklevel=3,
        )
        return obj.encode("utf-8")
    return obj
