"""
OpenSSL.crypto module level: constants, aliases, __all__, crypto.Error and
the error queue, X509_verify_cert_error_string, elliptic curves, and the
module without cryptography (API.md 1.8, 1.9.14, 2.1, 3.1, 3.2 rows 2, 12,
3.3).
"""

import gc
import inspect
import os
import subprocess
import sys
import textwrap
import weakref

import pytest

from OpenSSL import crypto

from crypto_support import assert_queue_empty, error_queue


# -------------------------------------------------------------------------
# Constants, aliases, __all__
# -------------------------------------------------------------------------


class TestConstants:
    def test_filetypes(self):
        assert crypto.FILETYPE_PEM == 1
        assert crypto.FILETYPE_ASN1 == 2
        assert crypto.FILETYPE_TEXT == 2**16 - 1 == 65535

    def test_key_types(self):
        assert crypto.TYPE_RSA == 6
        assert crypto.TYPE_DSA == 116
        assert crypto.TYPE_DH == 28
        assert crypto.TYPE_EC == 408

    def test_constants_are_ints(self):
        for name in ["FILETYPE_PEM", "FILETYPE_ASN1", "FILETYPE_TEXT",
                     "TYPE_RSA", "TYPE_DSA", "TYPE_DH", "TYPE_EC"]:
            assert type(getattr(crypto, name)) is int


ALIASES = {
    "X509Type": "X509",
    "X509NameType": "X509Name",
    "X509ReqType": "X509Req",
    "X509StoreType": "X509Store",
    "X509ExtensionType": "X509Extension",
    "PKeyType": "PKey",
    "PKCS7Type": "PKCS7",
    "PKCS12Type": "PKCS12",
    "NetscapeSPKIType": "NetscapeSPKI",
}

# crypto.__all__ of pyOpenSSL 23.0.0 and 26.4.0, and the public names of
# 0.13's module (it had no __all__) -- API.md 3.3.
ALL_23 = {
    "FILETYPE_PEM", "FILETYPE_ASN1", "FILETYPE_TEXT", "TYPE_RSA", "TYPE_DSA",
    "Error", "PKey", "get_elliptic_curves", "get_elliptic_curve", "X509Name",
    "X509Extension", "X509Req", "X509", "X509StoreFlags", "X509Store",
    "X509StoreContextError", "X509StoreContext", "load_certificate",
    "dump_certificate", "dump_publickey", "dump_privatekey", "Revoked", "CRL",
    "PKCS7", "PKCS12", "NetscapeSPKI", "load_publickey", "load_privatekey",
    "dump_certificate_request", "load_certificate_request", "sign", "verify",
    "dump_crl", "load_crl", "load_pkcs7_data", "load_pkcs12",
}
ALL_26 = {
    "FILETYPE_ASN1", "FILETYPE_PEM", "FILETYPE_TEXT", "TYPE_DSA", "TYPE_RSA",
    "X509", "Error", "PKey", "X509Name", "X509Store", "X509StoreContext",
    "X509StoreContextError", "X509StoreFlags", "dump_certificate",
    "dump_privatekey", "dump_publickey", "get_elliptic_curve",
    "get_elliptic_curves", "load_certificate", "load_privatekey",
    "load_publickey",
}
PUBLIC_013 = {
    "FILETYPE_PEM", "FILETYPE_ASN1", "FILETYPE_TEXT", "TYPE_RSA", "TYPE_DSA",
    "Error", "X509", "X509Name", "X509Req", "X509Extension", "PKey",
    "PKCS12", "NetscapeSPKI", "CRL", "Revoked", "load_certificate",
    "dump_certificate", "load_privatekey", "dump_privatekey",
    "load_certificate_request", "dump_certificate_request", "load_crl",
    "load_pkcs7_data", "load_pkcs12", "sign", "verify",
    "X509_verify_cert_error_string", *ALIASES,
}
UNION = ALL_23 | ALL_26 | PUBLIC_013


class TestNames:
    @pytest.mark.parametrize("alias, name", sorted(ALIASES.items()))
    def test_alias_is_the_class(self, alias, name):
        assert getattr(crypto, alias) is getattr(crypto, name)

    def test_core_aliases(self):
        assert crypto.X509Type is crypto.X509
        assert crypto.X509NameType is crypto.X509Name
        assert crypto.PKeyType is crypto.PKey

    def test_no_crl_type_alias(self):
        # CRLType existed only from 0.14 to 19.0.0 (API.md 1.8)
        assert not hasattr(crypto, "CRLType")

    def test_all_has_no_extra_names(self):
        assert set(crypto.__all__) <= UNION
        assert len(crypto.__all__) == len(set(crypto.__all__))

    def test_type_dh_and_ec_not_in_all(self):
        assert "TYPE_DH" not in crypto.__all__
        assert "TYPE_EC" not in crypto.__all__

    def test_all_names_exist(self):
        for name in crypto.__all__:
            assert hasattr(crypto, name), name

    def test_all_is_the_union(self):
        # Every name any version listed (or 0.13 had) exists and is listed.
        assert [name for name in UNION if not hasattr(crypto, name)] == []
        assert set(crypto.__all__) == UNION

    def test_core_names_in_all(self):
        core = {
            "FILETYPE_PEM", "FILETYPE_ASN1", "FILETYPE_TEXT", "TYPE_RSA",
            "TYPE_DSA", "Error", "PKey", "X509", "X509Name", "X509Type",
            "X509NameType", "PKeyType", "load_certificate",
            "dump_certificate", "load_privatekey", "dump_privatekey",
            "load_publickey", "dump_publickey", "get_elliptic_curve",
            "get_elliptic_curves", "X509_verify_cert_error_string",
        }
        assert core <= set(crypto.__all__)

    def test_star_import(self):
        namespace = {}
        exec("from OpenSSL.crypto import *", namespace)
        namespace.pop("__builtins__")
        assert set(namespace) == set(crypto.__all__)
        for name, value in namespace.items():
            assert value is getattr(crypto, name)

    def test_private_helpers_not_in_all(self):
        assert "_exception_from_error_queue" not in crypto.__all__
        assert "_EllipticCurve" not in crypto.__all__

    def test_module_identity(self):
        assert crypto.__name__ == "OpenSSL.crypto"
        assert crypto.__doc__

    def test_no_deprecation_warnings(self, recwarn):
        # API.md 3.1 rule 4: none of the push-to-cryptography warnings.
        crypto.dump_privatekey
        from OpenSSL.crypto import dump_privatekey  # noqa: F401
        crypto.get_elliptic_curves()
        crypto.get_elliptic_curve("prime256v1")
        crypto.X509Name(crypto.X509().get_subject())
        key = crypto.PKey()
        key.generate_key(crypto.TYPE_RSA, 1024)
        key.check()
        cert = crypto.X509()
        cert.set_version(2)
        cert.set_serial_number(1)
        cert.set_notBefore(b"20200101000000Z")
        cert.set_notAfter(b"20300101000000Z")
        cert.gmtime_adj_notAfter(10)
        cert.gmtime_adj_notBefore(0)
        cert.set_subject(cert.get_subject())
        cert.set_issuer(cert.get_issuer())
        cert.set_pubkey(key)
        cert.sign(key, "sha256")
        assert [w for w in recwarn
                if issubclass(w.category, DeprecationWarning)] == []

    @pytest.mark.parametrize("name", [
        "load_certificate", "dump_certificate", "load_privatekey",
        "dump_privatekey", "load_publickey", "dump_publickey",
        "get_elliptic_curve", "get_elliptic_curves",
        "X509_verify_cert_error_string",
    ])
    def test_function_signatures(self, name):
        expected = {
            "load_certificate": "(type, buffer)",
            "dump_certificate": "(type, cert)",
            "load_privatekey": "(type, buffer, passphrase=None)",
            "dump_privatekey": "(type, pkey, cipher=None, passphrase=None)",
            "load_publickey": "(type, buffer)",
            "dump_publickey": "(type, pkey)",
            "get_elliptic_curve": "(name)",
            "get_elliptic_curves": "()",
            "X509_verify_cert_error_string": "(errnum)",
        }
        assert str(inspect.signature(getattr(crypto, name))) == (
            expected[name]
        )

    @pytest.mark.parametrize("cls, method, params", [
        ("X509", "sign", "(pkey, digest)"),
        ("X509", "digest", "(digest_name)"),
        ("X509", "set_serial_number", "(serial)"),
        ("X509", "set_version", "(version)"),
        ("X509", "set_notBefore", "(when)"),
        ("X509", "set_notAfter", "(when)"),
        ("X509", "gmtime_adj_notBefore", "(amount)"),
        ("X509", "gmtime_adj_notAfter", "(amount)"),
        ("X509", "set_subject", "(subject)"),
        ("X509", "set_issuer", "(issuer)"),
        ("X509", "set_pubkey", "(pkey)"),
        ("X509", "from_cryptography", "(crypto_cert)"),
        ("PKey", "generate_key", "(type, bits)"),
        ("PKey", "from_cryptography_key", "(crypto_key)"),
        ("PKey", "bits", "()"),
    ])
    def test_method_signatures(self, cls, method, params):
        bound = getattr(getattr(crypto, cls)(), method)
        assert str(inspect.signature(bound)) == params


# -------------------------------------------------------------------------
# crypto.Error and the OpenSSL error queue
# -------------------------------------------------------------------------


class TestError:
    def test_class(self):
        assert issubclass(crypto.Error, Exception)
        assert crypto.Error.__module__ == "OpenSSL.crypto"
        assert crypto.Error.__name__ == "Error"
        assert crypto.Error.__doc__

    def test_not_ssl_error(self):
        from OpenSSL import SSL

        if hasattr(SSL, "Error"):
            assert not issubclass(crypto.Error, SSL.Error)
            assert not issubclass(SSL.Error, crypto.Error)

    def test_subclass_and_weakref(self):
        class MyError(crypto.Error):
            pass

        e = MyError([("lib", "", "reason")])
        assert isinstance(e, crypto.Error)
        assert weakref.ref(e)() is e
        assert e.args == ([("lib", "", "reason")],)

    def test_args_shape(self):
        with pytest.raises(crypto.Error) as info:
            crypto.load_certificate(crypto.FILETYPE_PEM, b"junk")
        assert len(info.value.args) == 1
        errors = info.value.args[0]
        assert type(errors) is list
        assert errors == [("PEM routines", "", "no start line")]
        assert str(info.value) == "[('PEM routines', '', 'no start line')]"

    def test_queue_helper_on_empty_queue(self):
        assert_queue_empty()
        with pytest.raises(crypto.Error) as info:
            crypto._exception_from_error_queue()
        assert info.value.args == ([],)
        assert type(info.value) is crypto.Error

    def test_queue_helper_drains(self):
        # Leave something on the queue through a private route: a failed
        # OBJ lookup inside OpenSSL is cleaned up by us, so use the
        # exception-class form on a real failure instead.
        with pytest.raises(crypto.Error):
            crypto.load_privatekey(crypto.FILETYPE_ASN1, b"\x30\x03\x02\x01")
        assert error_queue() == []

    def test_queue_helper_exception_type(self):
        # 23/26 import a helper of the same name that takes the class
        with pytest.raises(ValueError) as info:
            crypto._exception_from_error_queue(ValueError)
        assert info.value.args == ([],)
        with pytest.raises(crypto.Error):
            crypto._exception_from_error_queue(None)
        with pytest.raises(TypeError):
            crypto._exception_from_error_queue(1)
        with pytest.raises(TypeError):
            crypto._exception_from_error_queue(crypto.Error, 2)

    def test_x509_verify_cert_error_string(self):
        text = crypto.X509_verify_cert_error_string(0)
        assert text == "ok"
        assert type(text) is str
        assert crypto.X509_verify_cert_error_string(10) == (
            "certificate has expired"
        )
        assert crypto.X509_verify_cert_error_string(errnum=18) in (
            "self-signed certificate",      # OpenSSL 3
            "self signed certificate",      # OpenSSL 1.x
        )
        assert isinstance(crypto.X509_verify_cert_error_string(123456), str)
        with pytest.raises(TypeError):
            crypto.X509_verify_cert_error_string("10")
        with pytest.raises(TypeError):
            crypto.X509_verify_cert_error_string(None)
        assert_queue_empty()


# -------------------------------------------------------------------------
# Elliptic curves (API.md 1.9.14)
# -------------------------------------------------------------------------


class TestEllipticCurves:
    def test_set_of_curves(self):
        curves = crypto.get_elliptic_curves()
        assert isinstance(curves, set)
        assert len(curves) > 10
        names = {curve.name for curve in curves}
        assert {"prime256v1", "secp384r1", "secp521r1"} <= names
        assert all(type(curve.name) is str for curve in curves)

    def test_cached_objects(self):
        a = crypto.get_elliptic_curves()
        b = crypto.get_elliptic_curves()
        assert a == b
        by_name = {c.name: c for c in a}
        for curve in b:
            assert by_name[curve.name] is curve

    def test_mutating_the_result_does_not_change_the_cache(self):
        crypto.get_elliptic_curves().clear()
        assert crypto.get_elliptic_curves()

    def test_get_one(self):
        curve = crypto.get_elliptic_curve("prime256v1")
        assert curve.name == "prime256v1"
        assert curve in crypto.get_elliptic_curves()
        assert crypto.get_elliptic_curve(name="prime256v1") is curve
        assert repr(curve) == "<Curve 'prime256v1'>"

    @pytest.mark.parametrize("name", ["nope", "", "P-256", b"prime256v1",
                                      None, 1, ["prime256v1"]])
    def test_unknown(self, name):
        with pytest.raises(ValueError) as info:
            crypto.get_elliptic_curve(name)
        assert info.value.args == ("unknown curve name", name)
        assert_queue_empty()

    def test_equality_is_identity(self):
        a = crypto.get_elliptic_curve("prime256v1")
        b = crypto.get_elliptic_curve("secp384r1")
        assert a == a and not a != a
        assert a != b and not a == b
        assert a != "prime256v1"
        assert not (a == "prime256v1")
        assert hash(a) == hash(crypto.get_elliptic_curve("prime256v1"))
        assert {a, a, b} == {a, b}

    def test_not_instantiable(self):
        cls = type(crypto.get_elliptic_curve("prime256v1"))
        assert cls.__module__ == "OpenSSL.crypto"
        with pytest.raises(TypeError):
            cls()

    def test_name_is_read_only(self):
        curve = crypto.get_elliptic_curve("prime256v1")
        with pytest.raises(AttributeError):
            curve.name = "other"

    def test_weakref(self):
        curve = crypto.get_elliptic_curve("prime256v1")
        assert weakref.ref(curve)() is curve


# -------------------------------------------------------------------------
# Object model (API.md 3.1 rule 5)
# -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["X509", "X509Name", "PKey", "Error"])
def test_public_classes_are_subclassable(name):
    base = getattr(crypto, name)
    sub = type("Sub" + name, (base,), {"extra": 1})
    assert issubclass(sub, base)
    assert base.__module__ == "OpenSSL.crypto"
    assert base.__qualname__ == name


@pytest.mark.parametrize("factory", [
    crypto.X509,
    crypto.PKey,
    lambda: crypto.X509().get_subject(),
    lambda: crypto.Error([]),
])
def test_weak_references(factory):
    obj = factory()
    ref = weakref.ref(obj)
    assert ref() is obj
    del obj
    gc.collect()
    assert ref() is None


# -------------------------------------------------------------------------
# Without cryptography
# -------------------------------------------------------------------------


def child_env():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    return env


def test_works_without_cryptography():
    """
    With cryptography made unimportable, everything except the conversions
    works, and the conversions raise an ImportError that says what is
    missing.
    """
    code = textwrap.dedent("""
        import sys
        sys.modules["cryptography"] = None
        from OpenSSL import crypto

        key = crypto.PKey()
        key.generate_key(crypto.TYPE_RSA, 1024)
        cert = crypto.X509()
        cert.set_serial_number(1)
        cert.get_subject().CN = "no cryptography"
        cert.set_issuer(cert.get_subject())
        cert.gmtime_adj_notBefore(0)
        cert.gmtime_adj_notAfter(60)
        cert.set_pubkey(key)
        cert.sign(key, "sha256")
        pem = crypto.dump_certificate(crypto.FILETYPE_PEM, cert)
        again = crypto.load_certificate(crypto.FILETYPE_PEM, pem)
        assert again.get_subject().CN == "no cryptography"
        assert not again.has_expired()
        enc = crypto.dump_privatekey(crypto.FILETYPE_PEM, key, "aes256",
                                     b"pw")
        crypto.load_privatekey(crypto.FILETYPE_PEM, enc, lambda rw: b"pw")
        crypto.load_publickey(crypto.FILETYPE_PEM,
                              crypto.dump_publickey(crypto.FILETYPE_PEM, key))
        assert crypto.get_elliptic_curve("prime256v1").name == "prime256v1"
        from OpenSSL.crypto import *  # noqa

        for call in (cert.to_cryptography, key.to_cryptography_key,
                     lambda: crypto.X509.from_cryptography(object()),
                     lambda: crypto.PKey.from_cryptography_key(object())):
            try:
                call()
            except ImportError as e:
                assert "cryptography" in str(e), e
            else:
                raise AssertionError("no ImportError")
        assert "cryptography" not in [m for m in sys.modules
                                      if sys.modules[m] is not None]
        print("ok")
    """)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True,
        timeout=120, stdin=subprocess.DEVNULL, env=child_env(),
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_import_does_not_import_cryptography():
    code = ("import sys\n"
            "import OpenSSL.crypto\n"
            "print(any(m == 'cryptography' or m.startswith('cryptography.')"
            " for m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True,
                         text=True, timeout=60, stdin=subprocess.DEVNULL,
                         env=child_env())
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
