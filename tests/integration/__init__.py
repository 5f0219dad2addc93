"""
Integration tests: downstream programs (Twisted, urllib3, trustme,
service_identity, cheroot, pymongo) running unchanged on this package,
over 127.0.0.1 only. The exact versions are pinned in pyproject.toml's
`test` extra; `pip install ".[test]"` installs them, and this
distribution (pyOpenSSL 26.4.0+c1) satisfies their pyOpenSSL requirements.

    PYTHONPATH=src python3 -m pytest -q tests/integration

The same tests also pass on Debian-era versions (Twisted 22.4, urllib3
1.26.20, service_identity 18.1, trustme 0.9) where these are installed
instead; the few version-specific checks skip or branch on the version.
"""
