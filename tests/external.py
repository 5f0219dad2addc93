"""
The programs outside this package that some tests compare it with:

- the openssl command-line tool (Debian package `openssl`), whose text
  dumps, PKCS #12 and S/MIME files and signatures ours must match or read;
- pyOpenSSL 23.0.0, the cffi one, as Debian's `python3-openssl` installs it
  for /usr/bin/python3: the reference for outputs pyOpenSSL fixes byte for
  byte. It runs in its own process, never in the one under test (both are
  imported as OpenSSL).

.ci/run installs both. Where one is missing, the tests that need it skip,
saying which; no other test depends on them.
"""

import functools
import os
import shutil
import subprocess

import pytest

OPENSSL = shutil.which("openssl")
needs_openssl = pytest.mark.skipif(
    OPENSSL is None,
    reason="needs the openssl command-line tool (Debian package openssl)",
)

REFERENCE_PYTHON = "/usr/bin/python3"
REFERENCE_VERSION = "23.0.0"


def clean_env():
    """Our environment minus what must not reach another program: our
    package's path and the sanitizer run's preload and allocator."""
    return {
        k: v for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "LD_PRELOAD", "PYTHONMALLOC")
    }


def openssl(*args, input=None):
    """Run the openssl tool, which must succeed; the CompletedProcess."""
    result = subprocess.run([OPENSSL, *args], input=input,
                            capture_output=True, env=clean_env(), check=False)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return result


@functools.lru_cache(maxsize=None)
def reference_available():
    """Whether REFERENCE_PYTHON imports pyOpenSSL REFERENCE_VERSION."""
    if not os.path.exists(REFERENCE_PYTHON):
        return False
    result = subprocess.run(
        [REFERENCE_PYTHON, "-I", "-c",
         "import OpenSSL; print(OpenSSL.__version__)"],
        capture_output=True, env=clean_env(), check=False,
    )
    return (result.returncode == 0 and
            result.stdout.decode().strip() == REFERENCE_VERSION)


needs_reference = pytest.mark.skipif(
    not reference_available(),
    reason="needs pyOpenSSL %s for %s (Debian package python3-openssl)"
           % (REFERENCE_VERSION, REFERENCE_PYTHON),
)


def run_reference(script, input):
    """Run `script` under the reference pyOpenSSL with `input` (bytes) on
    its stdin; its stdout. Only for tests marked needs_reference."""
    result = subprocess.run(
        [REFERENCE_PYTHON, "-I", "-c", script], input=input,
        capture_output=True, env=clean_env(), check=False,
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return result.stdout
