"""
The build refuses OpenSSL older than 3.0, with a message saying so: at
configuration time (setup.py asks pkg-config) and at compile time
(src/common/pyossl.h checks the headers it is given).
"""

import os
import subprocess
import sys
import sysconfig
import textwrap


# The tests live in the source checkout, beside setup.py. setup.py needs
# setuptools, which the test extra installs (pip otherwise has it only in
# its isolated build environments).
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_setup_refuses_old_openssl_from_pkg_config(tmp_path):
    fake = tmp_path / "pkg-config"
    fake.write_text(textwrap.dedent("""\
        #!/bin/sh
        case "$1" in
            --modversion) echo 1.1.1w ;;
            --cflags) echo ;;
            --libs) echo -lssl -lcrypto ;;
        esac
        """))
    fake.chmod(0o755)
    env = dict(os.environ, PKG_CONFIG=str(fake))
    for name in ("OPENSSL_DIR", "OPENSSL_CFLAGS", "OPENSSL_LIBS"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "setup.py", "--name"], cwd=ROOT, env=env,
        capture_output=True, text=True)
    assert result.returncode != 0
    assert ("needs OpenSSL 3.0 or newer; pkg-config found OpenSSL 1.1.1w"
            in result.stderr)


def test_headers_older_than_3_0_stop_the_compiler(tmp_path):
    include = tmp_path / "openssl"
    include.mkdir()
    (include / "opensslv.h").write_text(
        "#define OPENSSL_VERSION_NUMBER 0x1010117fL\n")
    source = tmp_path / "probe.c"
    source.write_text('#include "pyossl.h"\n')
    result = subprocess.run(
        ["gcc", "-fsyntax-only", "-I", str(tmp_path),
         "-I", os.path.join(ROOT, "src", "common"),
         "-I", sysconfig.get_paths()["include"], str(source)],
        capture_output=True, text=True)
    assert result.returncode != 0
    assert "needs the headers of OpenSSL 3.0 or newer" in result.stderr
