"""
Count the instructions each workload costs, under valgrind's callgrind.

    python bench/instructions.py [--ours-path src] [--pyopenssl-python PATH]

Timings move with whatever else the machine does; instruction counts do
not. For each backend and workload this runs bench/workloads.py twice
under callgrind, once doing N operations and once doing none, and reports
the difference divided by N: the instructions one operation costs in the
whole process (Python, the binding, OpenSSL, libc). Needs valgrind.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import run as bench_run  # noqa: E402
from workloads import COUNTS  # noqa: E402


def real_python(python):
    """valgrind must start the interpreter, not a wrapper script."""
    out = subprocess.run(
        [python, "-c", "import sys; print(sys.executable)"],
        check=True, capture_output=True, text=True).stdout.strip()
    return os.path.realpath(out)


def instructions(python, backend, certdir, workload, n, pythonpath):
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
         python, os.path.join(HERE, "workloads.py"), backend, certdir,
         "--repeat", workload, str(n)],
        check=True, capture_output=True, text=True, env=env).stderr
    return int(re.search(r"Collected : (\d+)", out).group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ours-path", default=None)
    parser.add_argument("--pyopenssl-python", default=None)
    args = parser.parse_args()
    ours_path = os.path.abspath(args.ours_path) if args.ours_path else None
    backends = [
        ("ours", real_python(sys.executable), ours_path),
        ("pyopenssl", real_python(args.pyopenssl_python
                                  or bench_run.pyopenssl_python()), None),
        ("stdlib", real_python(sys.executable), None),
    ]
    with tempfile.TemporaryDirectory() as certdir:
        bench_run.make_certificate(certdir)
        print("%-26s %12s %12s %12s %9s %9s" % (
            "instructions per op", "ours", "pyOpenSSL", "stdlib", "/stdlib",
            "/pyOpenSSL"))
        for workload, count in COUNTS.items():
            n = max(10, count // 50)
            per_op = {}
            for name, python, path in backends:
                base = instructions(python, name, certdir, workload, 0, path)
                total = instructions(python, name, certdir, workload, n, path)
                per_op[name] = (total - base) / n
            print("%-26s %12.0f %12.0f %12.0f %9.2f %9.2f" % (
                workload, per_op["ours"], per_op["pyopenssl"],
                per_op["stdlib"], per_op["ours"] / per_op["stdlib"],
                per_op["ours"] / per_op["pyopenssl"]))


if __name__ == "__main__":
    main()
