"""
Build pyOpenSSL's three C extension modules: OpenSSL.crypto, OpenSSL.SSL
and OpenSSL.rand. Project metadata lives in pyproject.toml.

OpenSSL (3.0 or newer) is found with pkg-config. To use another one, set

    OPENSSL_DIR=/opt/openssl            a prefix with include/ and lib/
    OPENSSL_CFLAGS=... OPENSSL_LIBS=... exact compiler and linker flags
    PKG_CONFIG=...                      another pkg-config binary

PYOSSL_SANITIZE=1 builds with AddressSanitizer and UBSan (see the README's
development section); PYOSSL_DEBUG=1 builds without optimisation.
"""

import glob
import os
import shlex
import subprocess
import sys

from setuptools import Extension, setup

MIN_OPENSSL = (3, 0)


def fail(message):
    sys.stderr.write("\nerror: " + message + "\n\n")
    raise SystemExit(1)


def pkg_config(*args):
    exe = os.environ.get("PKG_CONFIG", "pkg-config")
    try:
        out = subprocess.run(
            [exe, *args, "openssl"],
            check=True,
            capture_output=True,
            text=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip()


def openssl_flags():
    """Return (compile_args, link_args, version string or None)."""
    cflags = os.environ.get("OPENSSL_CFLAGS")
    libs = os.environ.get("OPENSSL_LIBS")
    prefix = os.environ.get("OPENSSL_DIR")
    if cflags is not None or libs is not None:
        return (
            shlex.split(cflags or ""),
            shlex.split(libs or "-lssl -lcrypto"),
            None,
        )
    if prefix:
        libdir = os.path.join(prefix, "lib64")
        if not os.path.isdir(libdir):
            libdir = os.path.join(prefix, "lib")
        return (
            ["-I" + os.path.join(prefix, "include")],
            ["-L" + libdir, "-Wl,-rpath," + libdir, "-lssl", "-lcrypto"],
            None,
        )
    version = pkg_config("--modversion")
    if version is None:
        fail(
            "pkg-config could not find OpenSSL. Install the OpenSSL "
            "development files (Debian/Ubuntu: apt-get install libssl-dev "
            "pkg-config; Fedora: dnf install openssl-devel) or set "
            "OPENSSL_DIR, or OPENSSL_CFLAGS and OPENSSL_LIBS."
        )
    return (
        shlex.split(pkg_config("--cflags") or ""),
        shlex.split(pkg_config("--libs") or "-lssl -lcrypto"),
        version,
    )


def check_version(version):
    if version is None:
        return  # pyossl.h refuses older headers at compile time
    try:
        parts = tuple(int(p) for p in version.split(".")[:2])
    except ValueError:
        return
    if parts < MIN_OPENSSL:
        fail(
            "pyOpenSSL (C implementation) needs OpenSSL %d.%d or newer; "
            "pkg-config found OpenSSL %s." % (MIN_OPENSSL + (version,))
        )


compile_args, link_args, version = openssl_flags()
check_version(version)

compile_args += ["-Wall", "-Wextra", "-fvisibility=hidden", "-std=c11"]
if os.environ.get("PYOSSL_SANITIZE"):
    san = ["-fsanitize=address,undefined", "-fno-omit-frame-pointer",
           "-fno-sanitize-recover=undefined"]
    compile_args += san + ["-g", "-O1"]
    link_args += san
elif os.environ.get("PYOSSL_DEBUG"):
    compile_args += ["-g", "-O0"]

common = sorted(glob.glob("src/common/*.c"))
headers = sorted(glob.glob("src/*/*.h"))


def extension(name, directory):
    return Extension(
        name,
        sources=common + sorted(glob.glob("src/%s/*.c" % directory)),
        depends=headers,
        extra_compile_args=compile_args,
        extra_link_args=link_args,
    )


setup(
    ext_modules=[
        extension("OpenSSL.crypto", "crypto"),
        extension("OpenSSL.SSL", "ssl"),
        extension("OpenSSL.rand", "rand"),
    ],
)
