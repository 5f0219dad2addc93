"""
Garbage collection and reference ownership in the crypto core: X509Name
views and their owners, passphrase callables, subclass instances with a
__dict__ (API.md 3.1 rule 5, section 4: 2002-07-09 / 2008-03-06 views keep
their owner alive, 2011-09-14 passphrase callback leaks).
"""

import gc
import sys
import weakref

import pytest

from OpenSSL import crypto
from OpenSSL.crypto import FILETYPE_PEM, X509, PKey, X509Name

from conftest import assert_collected
from crypto_support import rsa1024, self_signed


@pytest.fixture(scope="module")
def encrypted():
    return crypto.dump_privatekey(FILETYPE_PEM, rsa1024(), "aes256", b"pw")


# -------------------------------------------------------------------------
# X509Name views
# -------------------------------------------------------------------------


def test_view_keeps_owner_alive():
    cert = self_signed(cn="owner")
    owner = weakref.ref(cert)
    subject = cert.get_subject()
    issuer = cert.get_issuer()
    del cert
    gc.collect()
    assert owner() is not None
    assert subject.CN == "owner"
    del subject
    gc.collect()
    assert owner() is not None
    assert issuer.CN == "owner"
    del issuer
    gc.collect()
    assert owner() is None


def test_view_is_freed_with_owner():
    cert = X509()
    view = weakref.ref(cert.get_subject())
    gc.collect()
    assert view() is None
    assert weakref.ref(cert)() is cert


def test_stale_view_still_keeps_owner_alive_and_dies():
    cert = X509()
    view = cert.get_subject()
    cert.set_subject(X509Name(view))
    owner = weakref.ref(cert)
    del cert
    gc.collect()
    assert owner() is not None
    with pytest.raises(AttributeError):
        view.CN
    del view
    gc.collect()
    assert owner() is None


def test_cycle_through_subclassed_owner():
    class Cert(X509):
        pass

    def make():
        cert = Cert()
        cert.subject = cert.get_subject()   # cert -> view -> cert
        cert.subject.CN = "cycle"
        return cert

    assert_collected(make)


def test_cycle_through_view_dict():
    def make():
        cert = X509()
        view = cert.get_subject()
        view._self = view                   # view -> view
        view._cert = cert
        return view

    assert_collected(make)


def test_cycle_owner_and_view_subclass():
    class Cert(X509):
        pass

    def make():
        cert = Cert()
        view = cert.get_issuer()
        view._owner_again = cert            # view -> cert
        cert.views = [view, cert.get_subject()]   # cert -> views
        return view

    assert_collected(make)


def test_copied_name_cycle():
    def make():
        name = X509Name(X509().get_subject())
        name._me = name
        return name

    assert_collected(make)


# -------------------------------------------------------------------------
# Subclass instances with __dict__ cycles
# -------------------------------------------------------------------------


@pytest.mark.parametrize("base", [X509, PKey, X509Name, crypto.Error])
def test_subclass_self_cycle(base):
    cls = type("Sub", (base,), {})

    def make():
        if base is X509Name:
            obj = cls(X509().get_subject())
            obj._me = obj
        elif base is crypto.Error:
            obj = cls([])
            obj.me = obj
        else:
            obj = cls()
            obj.me = obj
        return obj

    assert_collected(make)


def test_subclass_pair_cycle():
    class Key(PKey):
        pass

    class Cert(X509):
        pass

    def make():
        key = Key()
        key.generate_key(crypto.TYPE_RSA, 1024)
        cert = Cert()
        cert.key = key
        key.cert = cert
        cert.set_pubkey(key)
        return key

    assert_collected(make)


def test_subclass_instance_freed_without_gc():
    class Cert(X509):
        pass

    cert = Cert()
    ref = weakref.ref(cert)
    del cert
    assert ref() is None


# -------------------------------------------------------------------------
# Passphrase callables
# -------------------------------------------------------------------------


class SelfReferencing:
    """A passphrase callable in a reference cycle with itself."""

    def __init__(self, result=b"pw"):
        self.me = self
        self.result = result
        self.calls = 0

    def __call__(self, rwflag):
        self.calls += 1
        if isinstance(self.result, BaseException):
            raise self.result
        return self.result


@pytest.mark.parametrize("result", [b"pw", b"wrong", "not bytes", None,
                                    b"x" * 2000])
def test_passphrase_callable_is_collected(encrypted, result):
    def make():
        cb = SelfReferencing(result)
        try:
            crypto.load_privatekey(FILETYPE_PEM, encrypted, cb)
        except (crypto.Error, ValueError):
            pass
        assert cb.calls >= 1
        return cb

    assert_collected(make)


def test_raising_passphrase_callable_is_collected(encrypted):
    class Boom(Exception):
        pass

    def make():
        cb = SelfReferencing()
        cb.result = Boom(cb)                # exception -> cb -> exception
        with pytest.raises(Boom):
            crypto.load_privatekey(FILETYPE_PEM, encrypted, cb)
        return cb

    assert_collected(make)


def test_passphrase_callable_referencing_caller(encrypted):
    class Loader:
        def __init__(self):
            self.passphrase = self.get_passphrase   # bound method cycle

        def get_passphrase(self, rwflag):
            self.seen = rwflag
            return b"pw"

        def load(self):
            self.key = crypto.load_privatekey(FILETYPE_PEM, encrypted,
                                              self.passphrase)
            return self

    def make():
        return Loader().load()

    assert_collected(make)


def test_dump_passphrase_callable_is_collected():
    def make():
        cb = SelfReferencing()
        crypto.dump_privatekey(FILETYPE_PEM, rsa1024(), "aes256", cb)
        assert cb.calls == 1
        return cb

    assert_collected(make)


def test_passphrase_references_are_released(encrypted):
    passphrase = b"pw-" + b"x" * 10     # not interned
    passphrase = passphrase[:2]
    assert passphrase == b"pw"

    def cb(rwflag):
        return passphrase

    before_cb = sys.getrefcount(cb)
    before_pw = sys.getrefcount(passphrase)
    for _ in range(20):
        crypto.load_privatekey(FILETYPE_PEM, encrypted, cb)
        crypto.load_privatekey(FILETYPE_PEM, encrypted, passphrase)
        crypto.dump_privatekey(FILETYPE_PEM, rsa1024(), "aes128", cb)
        with pytest.raises(crypto.Error):
            crypto.load_privatekey(FILETYPE_PEM, encrypted, b"wrong")
    assert sys.getrefcount(cb) == before_cb
    assert sys.getrefcount(passphrase) == before_pw


def test_failed_callback_results_are_released(encrypted):
    result = "not bytes " * 3

    def cb(rwflag):
        return result

    before = sys.getrefcount(result)
    for _ in range(20):
        with pytest.raises(ValueError):
            crypto.load_privatekey(FILETYPE_PEM, encrypted, cb)
    assert sys.getrefcount(result) == before


# -------------------------------------------------------------------------
# copy.copy (pyOpenSSL's plain classes support it; pickling and deepcopy
# fail there, as here)
# -------------------------------------------------------------------------


def test_copy_certificate():
    import copy

    cert = self_signed(cn="copy")
    dup = copy.copy(cert)
    assert type(dup) is X509 and dup is not cert
    assert crypto.dump_certificate(FILETYPE_PEM, dup) == (
        crypto.dump_certificate(FILETYPE_PEM, cert)
    )
    dup.get_subject().CN = "changed"    # independent
    assert cert.get_subject().CN == "copy"
    with pytest.raises(crypto.Error):
        copy.copy(X509())               # nothing to encode
    from crypto_support import assert_queue_empty

    assert_queue_empty()


def test_copy_subclass_keeps_class_and_dict():
    import copy

    class Cert(X509):
        pass

    cert = Cert.from_cryptography(self_signed().to_cryptography())
    cert.note = ["shared"]
    dup = copy.copy(cert)
    assert type(dup) is Cert
    assert dup.note is cert.note
    dup.note = "own"
    assert cert.note == ["shared"]


def test_copy_key():
    import copy

    key = rsa1024()
    dup = copy.copy(key)
    assert type(dup) is PKey and dup is not key
    assert crypto.dump_privatekey(FILETYPE_PEM, dup) == (
        crypto.dump_privatekey(FILETYPE_PEM, key)
    )
    pub = copy.copy(self_signed().get_pubkey())
    assert pub._only_public is True
    empty = copy.copy(PKey())
    assert empty._initialized is False
    empty.generate_key(crypto.TYPE_RSA, 512)
    assert dup.bits() == 1024


def test_copy_name():
    import copy

    cert = X509()
    cert.get_subject().CN = "view"
    view = copy.copy(cert.get_subject())       # still a view, as in 23/26
    view.O = "through the copy"
    assert cert.get_subject().O == "through the copy"
    cert.set_subject(X509Name(cert.get_subject()))
    with pytest.raises(AttributeError):
        view.CN
    owned = X509Name(cert.get_subject())
    dup = copy.copy(owned)
    dup.CN = "independent"
    assert owned.CN == "view"
    owned._tag = 1
    assert copy.copy(owned)._tag == 1


@pytest.mark.parametrize("make", [lambda: self_signed(), lambda: rsa1024(),
                                  lambda: self_signed().get_subject()])
def test_no_pickle_or_deepcopy(make):
    import copy
    import pickle

    obj = make()
    with pytest.raises(TypeError):
        pickle.dumps(obj)
    with pytest.raises(TypeError):
        copy.deepcopy(obj)
