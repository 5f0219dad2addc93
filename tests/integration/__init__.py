"""
Integration tests: downstream programs (Twisted, urllib3, trustme,
service_identity, cheroot, pymongo) running unchanged on this package,
over 127.0.0.1 only. The exact versions are pinned in pyproject.toml's
`test` extra; `pip install ".[test]"` installs them, and this
distribution (pyOpenSSL 26.4.0+c1) satisfies their pyOpenSSL requirements.
The tests are written against those versions: no check skips or branches on
the version of a downstream package.

    PYTHONPATH=src python3 -m pytest -q tests/integration
"""
