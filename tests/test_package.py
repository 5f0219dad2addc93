"""The package itself: versions and metadata (API.md 1.1, 1.2, 3.2 row 46)."""

import subprocess
import sys

import OpenSSL
from OpenSSL import version


def test_version_strings():
    assert OpenSSL.__version__ == "26.4.0"
    assert version.__version__ == "26.4.0"
    assert version.__title__ == "pyOpenSSL"
    assert version.__uri__ == "https://pyopenssl.org/"
    assert version.__summary__ == (
        "Python wrapper module around the OpenSSL library"
    )
    assert version.__author__ == "The pyOpenSSL developers"
    assert version.__email__ == "cryptography-dev@python.org"
    assert version.__license__ == "Apache License, Version 2.0"
    assert version.__copyright__ == (
        "Copyright 2001-2026 The pyOpenSSL developers"
    )
    assert sorted(version.__all__) == sorted(
        [
            "__author__",
            "__copyright__",
            "__email__",
            "__license__",
            "__summary__",
            "__title__",
            "__uri__",
            "__version__",
        ]
    )


def test_package_reexports_metadata():
    for name in version.__all__:
        assert getattr(OpenSSL, name) == getattr(version, name)


def test_package_all_is_the_union():
    assert set(OpenSSL.__all__) == {
        "SSL", "crypto", "rand", "tsafe", *version.__all__
    }


def test_rand_is_reachable_lazily():
    code = (
        "import sys, OpenSSL\n"
        "assert 'OpenSSL.rand' not in sys.modules\n"
        "r = OpenSSL.rand\n"
        "assert r is sys.modules['OpenSSL.rand']\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_debug_prints_versions():
    out = subprocess.run(
        [sys.executable, "-m", "OpenSSL.debug"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "pyOpenSSL: 26.4.0" in out
    assert "OpenSSL built against: OpenSSL 3." in out
    assert "OpenSSL in use: OpenSSL 3." in out
    assert "Python: " + sys.version.split()[0] in out
