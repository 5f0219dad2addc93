"""
pyOpenSSL - A simple wrapper around the OpenSSL library
"""

__all__ = [
    "__author__",
    "__copyright__",
    "__email__",
    "__license__",
    "__summary__",
    "__title__",
    "__uri__",
    "__version__",
]

# The pyOpenSSL API level this package provides.
__version__ = "26.4.0"

__title__ = "pyOpenSSL"
__uri__ = "https://pyopenssl.org/"
__summary__ = "Python wrapper module around the OpenSSL library"
__author__ = "The pyOpenSSL developers"
__email__ = "cryptography-dev@python.org"
__license__ = "Apache License, Version 2.0"
__copyright__ = "Copyright 2001-2026 The pyOpenSSL developers"

# The version of this C implementation: the distribution's version.
__implementation_version__ = "26.4.0+c1"
