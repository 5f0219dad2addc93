"""
Shared fixtures. The PKI is built once per session with the API under test
(see pki.py); everything else is made by the tests themselves.
"""

import gc
import os
import sys
import weakref

import pytest

sys.path.insert(0, os.path.dirname(__file__))

import pki  # noqa: E402


@pytest.fixture(scope="session")
def pki_session():
    return pki.make_pki()


@pytest.fixture(scope="session")
def ca(pki_session):
    return pki_session["ca"]


@pytest.fixture(scope="session")
def server(pki_session):
    return pki_session["server"]


@pytest.fixture(scope="session")
def client(pki_session):
    return pki_session["client"]


@pytest.fixture(scope="session")
def rsa_key(pki_session):
    return pki_session["server"][0]


def assert_collected(make_cycle):
    """
    Call make_cycle() to build a reference cycle and return an object in
    it; assert that the garbage collector frees that object once nothing
    outside the cycle refers to it.
    """
    obj = make_cycle()
    ref = weakref.ref(obj)
    del obj
    gc.collect()
    assert ref() is None, "the cycle was not collected"


# The sanitizer run (make sanitize) preloads libasan into the interpreter.
UNDER_ASAN = "asan" in os.environ.get("LD_PRELOAD", "")

measures_rss = pytest.mark.skipif(
    not os.path.exists("/proc/self/statm") or UNDER_ASAN,
    reason="measures the resident set size: needs /proc, and ASan's "
           "quarantine keeps freed memory resident",
)


def rss_kb():
    """This process's resident set size, in KiB (see measures_rss)."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") // 1024
