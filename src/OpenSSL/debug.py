"""
``python -m OpenSSL.debug`` prints what this pyOpenSSL is and what it runs
on: its version, the OpenSSL it was built against and the one it runs with,
Python, and the optional cryptography package. Paste it into bug reports.
"""

import platform
import sys

import OpenSSL.SSL
from OpenSSL import version


def _cryptography_version() -> str:
    try:
        import cryptography
    except ImportError:
        return "not installed (optional: only the conversions need it)"
    found: str = cryptography.__version__
    return found


_env_info = """\
pyOpenSSL: {pyopenssl} (C implementation {implementation})
OpenSSL built against: {built}
OpenSSL in use: {runtime} ({number:#x})
cryptography: {cryptography}
Python: {python}
Platform: {platform}
sys.platform: {sys_platform}
sys.path: {path}""".format(
    pyopenssl=version.__version__,
    implementation=version.__implementation_version__,
    built=OpenSSL.SSL._OPENSSL_BUILD_VERSION_TEXT,
    runtime=OpenSSL.SSL.OpenSSL_version(OpenSSL.SSL.OPENSSL_VERSION).decode(
        "ascii", "replace"
    ),
    number=OpenSSL.SSL.OPENSSL_VERSION_NUMBER,
    cryptography=_cryptography_version(),
    python=sys.version.replace("\n", " "),
    platform=platform.platform(),
    sys_platform=sys.platform,
    path=sys.path,
)


if __name__ == "__main__":
    print(_env_info)
