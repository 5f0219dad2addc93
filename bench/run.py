"""
Benchmark this package against pyOpenSSL (cffi) and the stdlib ssl module.

    python bench/run.py [--quick] [--markdown] [--ours-path src]
                        [--pyopenssl-python PATH]

Runs bench/workloads.py three times, in separate processes, one after the
other: with this package (from the current environment, or from
--ours-path, e.g. an in-place build in src/), with pyOpenSSL installed in
its own virtual environment outside the checkout ($PYOSSL_BENCH_VENV, or
~/.cache/pyopenssl-c-bench/venv-pyopenssl, made on first use with
`pip install pyOpenSSL`; or the interpreter given by --pyopenssl-python),
and with the stdlib ssl module. It prints the time per operation of each
workload and the ratios, and checks the targets:

    64-byte round trip   <= stdlib, and <= 0.5 x pyOpenSSL
    bulk, handshakes     <= stdlib

The two packages never share an environment: both are imported as OpenSSL.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
# The reference pyOpenSSL lives outside the checkout: it is imported as
# OpenSSL too, and must never be found by anything run from the tree.
VENV = os.environ.get("PYOSSL_BENCH_VENV") or os.path.join(
    os.path.expanduser("~"), ".cache", "pyopenssl-c-bench", "venv-pyopenssl")


def make_certificate(directory):
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
         "-keyout", os.path.join(directory, "key.pem"),
         "-out", os.path.join(directory, "cert.pem"),
         "-subj", "/CN=localhost", "-days", "1"],
        check=True, capture_output=True,
    )


def pyopenssl_python():
    python = os.path.join(VENV, "bin", "python")
    if not os.path.exists(python):
        print("making %s with the cffi pyOpenSSL ..." % VENV, file=sys.stderr)
        os.makedirs(os.path.dirname(VENV), exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
        subprocess.run([python, "-m", "pip", "install", "-q", "pyOpenSSL"],
                       check=True)
    return python


def run_backend(python, backend, certdir, quick, pythonpath=None):
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    cmd = [python, os.path.join(HERE, "workloads.py"), backend, certdir]
    if quick:
        cmd.append("--quick")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True,
                         env=env).stdout
    return json.loads(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="fewer iterations (a smoke run)")
    parser.add_argument("--markdown", action="store_true",
                        help="print the table as Markdown")
    parser.add_argument("--ours-path", default=None,
                        help="PYTHONPATH for this package (e.g. src)")
    parser.add_argument("--pyopenssl-python", default=None,
                        help="a Python that imports the cffi pyOpenSSL")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as certdir:
        make_certificate(certdir)
        ours_path = os.path.abspath(args.ours_path) if args.ours_path else None
        results = {
            "ours": run_backend(sys.executable, "ours", certdir, args.quick,
                                ours_path),
            "pyopenssl": run_backend(
                args.pyopenssl_python or pyopenssl_python(), "pyopenssl",
                certdir, args.quick),
            "stdlib": run_backend(sys.executable, "stdlib", certdir,
                                  args.quick),
        }

    if "site-packages/OpenSSL" in results["ours"]["module"] and \
            results["ours"]["module"] == results["pyopenssl"]["module"]:
        sys.exit("both runs imported the same OpenSSL package")
    for name in ("ours", "pyopenssl", "stdlib"):
        r = results[name]
        print("%-9s %s (%s, Python %s)" % (name, r["module"], r["openssl"],
                                          r["python"]))
    print()

    ours = results["ours"]["seconds_per_op"]
    cffi = results["pyopenssl"]["seconds_per_op"]
    std = results["stdlib"]["seconds_per_op"]
    rows = []
    for workload in ours:
        rows.append((workload, ours[workload] * 1e6, cffi[workload] * 1e6,
                     std[workload] * 1e6, ours[workload] / std[workload],
                     ours[workload] / cffi[workload]))
    if args.markdown:
        print("| workload | this package (µs) | pyOpenSSL cffi (µs) | "
              "stdlib ssl (µs) | ours / stdlib | ours / pyOpenSSL |")
        print("|---|---:|---:|---:|---:|---:|")
        for row in rows:
            print("| %s | %.2f | %.2f | %.2f | %.2f | %.2f |" % row)
    else:
        print("%-26s %12s %12s %12s %9s %9s" % (
            "workload (µs per op)", "ours", "pyOpenSSL", "stdlib",
            "/stdlib", "/pyOpenSSL"))
        for row in rows:
            print("%-26s %12.2f %12.2f %12.2f %9.2f %9.2f" % row)

    print()
    failures = 0
    for workload, _, _, _, vs_std, vs_cffi in rows:
        checks = []
        if workload == "64-byte round trip":
            checks = [("<= stdlib", vs_std <= 1.0),
                      ("<= 0.5 x pyOpenSSL", vs_cffi <= 0.5)]
        elif workload.startswith(("16 KiB", "handshake", "resumed")):
            checks = [("<= stdlib", vs_std <= 1.0)]
        for label, ok in checks:
            print("%-4s %s %s" % ("ok" if ok else "MISS", workload, label))
            failures += not ok
    if failures:
        print("\n(timings of workloads where the TLS library does all the work "
              "move by a percent or two from run to run; bench/"
              "instructions.py counts instructions instead)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
