"""
Regression tests for defects found by a review of src/ssl and src/common:
each test failed (or hung, or tripped the sanitizers) before its fix.
"""

from OpenSSL import SSL, crypto


# ---------------------------------------------------------------------------
# Context.set_client_ca_list
# ---------------------------------------------------------------------------


def test_set_client_ca_list_from_generator_of_fresh_names():
    """The names of an iterator that yields its only reference to each
    X509Name are copied before the X509Name is dropped (it used to copy
    freed memory)."""
    base = crypto.X509().get_subject()
    names = []
    for i in range(8):
        name = crypto.X509Name(base)
        name.CN = "ca%d" % i
        names.append(name)
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.set_client_ca_list(crypto.X509Name(n) for n in names)
    got = SSL.Connection(ctx, None).get_client_ca_list()
    assert [n.CN for n in got] == ["ca%d" % i for i in range(8)]
