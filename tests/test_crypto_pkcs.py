"""
PKCS7, load_pkcs7_data, PKCS12 and load_pkcs12 (API.md 1.8, 1.9.9, 1.9.10;
3.2 rows 7, 9, 25, 29; section 4: load_pkcs12 leaks nothing,
load_pkcs7_data frees its BIO on every path).

Expected values and messages are pyOpenSSL 23.0.0's. PKCS#12 and PKCS#7
test data is also made, and read back, with the openssl command-line tool,
with today's defaults (AES-256/PBKDF2) and with -legacy (RC2-40/3DES, which
needs OpenSSL's legacy provider).
"""

import gc
import os
import subprocess
import sys
import textwrap
import warnings

import pytest

from OpenSSL import crypto
from OpenSSL.crypto import (
    FILETYPE_ASN1,
    FILETYPE_PEM,
    PKCS7,
    PKCS12,
    Error,
    PKey,
    X509,
    load_pkcs7_data,
    load_pkcs12,
)

from conftest import assert_collected, measures_rss, rss_kb
import pki
from external import OPENSSL, needs_openssl, openssl


MAC_FAILURE = [("PKCS12 routines", "", "mac verify failure")]


def pkcs12_info(path, password):
    """What `openssl pkcs12 -info` says about a file's algorithms."""
    return openssl("pkcs12", "-in", str(path), "-info", "-noout", "-passin",
                   "pass:" + password).stderr.decode()


def der(cert):
    return crypto.dump_certificate(FILETYPE_ASN1, cert)


def key_der(key):
    return crypto.dump_privatekey(FILETYPE_ASN1, key)


@pytest.fixture(scope="module")
def files(tmp_path_factory, ca, server, client):
    """PEM files of the session PKI, for the openssl tool."""
    d = tmp_path_factory.mktemp("pkcs")
    paths = {}
    for name, (key, cert) in (("ca", ca), ("server", server),
                              ("client", client)):
        paths[name + ".key"] = d / (name + ".key")
        paths[name + ".key"].write_bytes(
            crypto.dump_privatekey(FILETYPE_PEM, key))
        paths[name + ".pem"] = d / (name + ".pem")
        paths[name + ".pem"].write_bytes(
            crypto.dump_certificate(FILETYPE_PEM, cert))
    paths["dir"] = d
    return paths


# ---------------------------------------------------------------------------
# PKCS7
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pkcs7_samples(files):
    """(type, bytes) of a signed, an enveloped and a data PKCS#7."""
    d = files["dir"]
    signed_pem = openssl("crl2pkcs7", "-nocrl", "-certfile",
                         str(files["server.pem"]), "-certfile",
                         str(files["ca.pem"])).stdout
    signed_der = openssl("crl2pkcs7", "-nocrl", "-certfile",
                         str(files["server.pem"]), "-outform", "DER").stdout
    msg = d / "msg.txt"
    msg.write_bytes(b"hello\n")
    enveloped = openssl("smime", "-encrypt", "-in", str(msg), "-outform",
                        "PEM", str(files["server.pem"])).stdout
    smime_signed = openssl("smime", "-sign", "-in", str(msg), "-signer",
                           str(files["server.pem"]), "-inkey",
                           str(files["server.key"]), "-outform",
                           "DER").stdout
    data = openssl("cms", "-data_create", "-in", str(msg), "-outform",
                   "PEM").stdout.replace(b"CMS", b"PKCS7")
    return {
        "signed_pem": (FILETYPE_PEM, signed_pem),
        "signed_der": (FILETYPE_ASN1, signed_der),
        "smime_signed": (FILETYPE_ASN1, smime_signed),
        "enveloped": (FILETYPE_PEM, enveloped),
        "data": (FILETYPE_PEM, data),
    }


class TestPKCS7:
    def test_names(self):
        assert crypto.PKCS7Type is PKCS7
        assert PKCS7.__module__ == "OpenSSL.crypto"
        assert PKCS7.__name__ == "PKCS7"
        assert "PKCS7" in crypto.__all__
        assert "PKCS7Type" in crypto.__all__
        assert "load_pkcs7_data" in crypto.__all__

    def test_no_deprecation_warning(self):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            crypto.load_pkcs7_data
            crypto.PKCS7

    @needs_openssl
    @pytest.mark.parametrize(
        "sample, flags, name",
        [
            ("signed_pem", (True, False, False, False), b"pkcs7-signedData"),
            ("signed_der", (True, False, False, False), b"pkcs7-signedData"),
            ("smime_signed", (True, False, False, False),
             b"pkcs7-signedData"),
            ("enveloped", (False, True, False, False),
             b"pkcs7-envelopedData"),
            ("data", (False, False, False, True), b"pkcs7-data"),
        ],
    )
    def test_types(self, pkcs7_samples, sample, flags, name):
        p7 = load_pkcs7_data(*pkcs7_samples[sample])
        assert type(p7) is PKCS7
        got = (p7.type_is_signed(), p7.type_is_enveloped(),
               p7.type_is_signedAndEnveloped(), p7.type_is_data())
        assert got == flags
        for value in got:
            assert type(value) is bool
        assert p7.get_type_name() == name
        assert type(p7.get_type_name()) is bytes

    @needs_openssl
    def test_keywords_and_str(self, pkcs7_samples):
        type_, data = pkcs7_samples["signed_pem"]
        assert load_pkcs7_data(type=type_, buffer=data).type_is_signed()
        assert load_pkcs7_data(type_, data.decode("ascii")).type_is_signed()
        assert load_pkcs7_data(type_, bytearray(data)).type_is_signed()

    @needs_openssl
    @pytest.mark.parametrize("bad_type", [3, 0, -1, crypto.FILETYPE_TEXT, 58,
                                          "1", None, 1.0])
    def test_bad_type(self, pkcs7_samples, bad_type):
        data = pkcs7_samples["signed_pem"][1]
        with pytest.raises(ValueError) as info:
            load_pkcs7_data(bad_type, data)
        assert str(info.value) == (
            "type argument must be FILETYPE_PEM or FILETYPE_ASN1")

    @needs_openssl
    def test_parse_errors(self, pkcs7_samples):
        pem = pkcs7_samples["signed_pem"][1]
        der_ = pkcs7_samples["signed_der"][1]
        with pytest.raises(Error) as info:
            load_pkcs7_data(FILETYPE_PEM, b"garbage")
        assert info.value.args == ([("PEM routines", "", "no start line")],)
        with pytest.raises(Error) as info:
            load_pkcs7_data(FILETYPE_ASN1, b"garbage")
        assert info.value.args == (
            [("asn1 encoding routines", "", "not enough data")],)
        with pytest.raises(Error) as info:
            load_pkcs7_data(FILETYPE_ASN1, pem)
        assert info.value.args == ([
            ("asn1 encoding routines", "", "wrong tag"),
            ("asn1 encoding routines", "", "nested asn1 error"),
        ],)
        with pytest.raises(Error) as info:
            load_pkcs7_data(FILETYPE_ASN1, b"")
        assert info.value.args == ([],)
        for n in (1, 10, 50, len(der_) // 2, len(der_) - 1):
            with pytest.raises(Error):
                load_pkcs7_data(FILETYPE_ASN1, der_[:n])
        with pytest.raises(Error):
            load_pkcs7_data(FILETYPE_PEM, pem[:len(pem) // 2])

    def test_bad_buffer(self):
        with pytest.raises(TypeError):
            load_pkcs7_data(FILETYPE_PEM, 3)
        with pytest.raises(TypeError):
            load_pkcs7_data(FILETYPE_PEM, None)
        with pytest.raises(UnicodeEncodeError):
            load_pkcs7_data(FILETYPE_PEM, "\u20ac")
        with pytest.raises(TypeError):
            load_pkcs7_data(FILETYPE_PEM)

    @pytest.mark.parametrize("method", [
        "type_is_signed", "type_is_enveloped", "type_is_signedAndEnveloped",
        "type_is_data", "get_type_name",
    ])
    def test_empty(self, method):
        p7 = PKCS7()
        with pytest.raises(AttributeError) as info:
            getattr(p7, method)()
        assert str(info.value) == "'PKCS7' object has no attribute '_pkcs7'"

    def test_constructor_takes_no_arguments(self):
        with pytest.raises(TypeError):
            PKCS7(1)
        with pytest.raises(TypeError):
            PKCS7(x=1)

    @needs_openssl
    def test_subclass_and_weakref(self, pkcs7_samples):
        import weakref

        class Sub(PKCS7):
            pass

        s = Sub()
        s.attr = 1
        with pytest.raises(AttributeError) as info:
            s.get_type_name()
        assert str(info.value) == "'Sub' object has no attribute '_pkcs7'"
        p7 = load_pkcs7_data(*pkcs7_samples["signed_der"])
        ref = weakref.ref(p7)
        del p7
        assert ref() is None

    @needs_openssl
    def test_repeated_loads(self, pkcs7_samples):
        type_, data = pkcs7_samples["signed_pem"]
        for _ in range(200):
            load_pkcs7_data(type_, data)
            with pytest.raises(ValueError):
                load_pkcs7_data(99, data)
            with pytest.raises(Error):
                load_pkcs7_data(FILETYPE_PEM, b"garbage")


# ---------------------------------------------------------------------------
# PKCS12: the object
# ---------------------------------------------------------------------------


class TestPKCS12Object:
    def test_names(self):
        assert crypto.PKCS12Type is PKCS12
        assert PKCS12.__module__ == "OpenSSL.crypto"
        for name in ("PKCS12", "PKCS12Type", "load_pkcs12"):
            assert name in crypto.__all__
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            crypto.load_pkcs12
            crypto.PKCS12

    def test_empty(self):
        p = PKCS12()
        assert p.get_certificate() is None
        assert p.get_privatekey() is None
        assert p.get_ca_certificates() is None
        assert p.get_friendlyname() is None
        with pytest.raises(TypeError):
            PKCS12(1)

    def test_certificate(self, server):
        key, cert = server
        p = PKCS12()
        assert p.set_certificate(cert) is None
        assert p.get_certificate() is cert
        p.set_certificate(cert=cert)
        assert p.get_certificate() is cert
        # 3.2 row 29: None unsets.
        assert p.set_certificate(None) is None
        assert p.get_certificate() is None
        for bad in (key, b"cert", 1, X509):
            with pytest.raises(TypeError) as info:
                p.set_certificate(bad)
            assert str(info.value) == "cert must be an X509 instance"

    def test_privatekey(self, server):
        key, cert = server
        p = PKCS12()
        assert p.set_privatekey(key) is None
        assert p.get_privatekey() is key
        p.set_privatekey(pkey=key)
        assert p.set_privatekey(None) is None
        assert p.get_privatekey() is None
        for bad in (cert, b"key", 1, PKey):
            with pytest.raises(TypeError) as info:
                p.set_privatekey(bad)
            assert str(info.value) == "pkey must be a PKey instance"

    def test_ca_certificates(self, ca, server, client):
        cas = [ca[1], client[1]]
        p = PKCS12()
        assert p.set_ca_certificates(cas) is None
        got = p.get_ca_certificates()
        assert type(got) is tuple
        assert got[0] is cas[0] and got[1] is cas[1]
        cas.append(server[1])       # the PKCS12 keeps its own copy
        assert len(p.get_ca_certificates()) == 2
        p.set_ca_certificates(iter([ca[1]]))
        assert p.get_ca_certificates() == (ca[1],)
        p.set_ca_certificates(cacerts=(ca[1], ca[1]))
        assert len(p.get_ca_certificates()) == 2
        p.set_ca_certificates([])
        assert p.get_ca_certificates() == ()
        p.set_ca_certificates(None)
        assert p.get_ca_certificates() is None

    def test_ca_certificates_bad(self, ca, server):
        p = PKCS12()
        p.set_ca_certificates([ca[1]])
        with pytest.raises(TypeError) as info:
            p.set_ca_certificates(1)
        assert str(info.value) == "'int' object is not iterable"
        for bad in ([1], [ca[1], server[0]], [None]):
            with pytest.raises(TypeError) as info:
                p.set_ca_certificates(bad)
            assert str(info.value) == (
                "iterable must only contain X509 instances")
        # A failed call changes nothing.
        assert p.get_ca_certificates() == (ca[1],)

        def broken():
            yield ca[1]
            raise RuntimeError("broken iterator")

        with pytest.raises(RuntimeError):
            p.set_ca_certificates(broken())
        assert p.get_ca_certificates() == (ca[1],)

    def test_friendlyname(self):
        p = PKCS12()
        assert p.set_friendlyname(b"name") is None
        assert p.get_friendlyname() == b"name"
        p.set_friendlyname(name=b"other")
        assert p.get_friendlyname() == b"other"
        p.set_friendlyname(None)
        assert p.get_friendlyname() is None
        with pytest.raises(TypeError) as info:
            p.set_friendlyname("text")
        assert str(info.value) == (
            "name must be a byte string or None (not 'text')")
        with pytest.raises(TypeError) as info:
            p.set_friendlyname(1)
        assert str(info.value) == "name must be a byte string or None (not 1)"
        with pytest.raises(TypeError):
            p.set_friendlyname(bytearray(b"x"))

    def test_subclass_and_weakref(self):
        import weakref

        class Sub(PKCS12):
            pass

        s = Sub()
        s.attr = 1
        assert s.get_certificate() is None
        ref = weakref.ref(s)
        del s
        assert ref() is None

    def test_gc_cycle_through_certificate(self):
        class Cert(X509):
            pass

        def make():
            c = Cert()
            p = PKCS12()
            p.set_certificate(c)
            c.owner = p
            return p

        assert_collected(make)

    def test_gc_cycle_through_key(self):
        class Key(PKey):
            pass

        def make():
            k = Key()
            p = PKCS12()
            p.set_privatekey(k)
            k.owner = p
            return p

        assert_collected(make)

    def test_gc_cycle_through_ca_certificates(self):
        class Cert(X509):
            pass

        def make():
            c = Cert()
            p = PKCS12()
            p.set_ca_certificates([X509(), c])
            c.owner = p
            return p

        assert_collected(make)

    def test_gc_cycle_through_friendlyname(self):
        class Name(bytes):
            pass

        def make():
            n = Name(b"name")
            p = PKCS12()
            p.set_friendlyname(n)
            n.owner = p
            return p

        assert_collected(make)

    def test_gc_cycle_subclass_self(self):
        class Sub(PKCS12):
            pass

        def make():
            s = Sub()
            s.me = s
            return s

        assert_collected(make)


# ---------------------------------------------------------------------------
# PKCS12.export and load_pkcs12
# ---------------------------------------------------------------------------


def make_pkcs12(key=None, cert=None, cas=None, name=None):
    p = PKCS12()
    if key is not None:
        p.set_privatekey(key)
    if cert is not None:
        p.set_certificate(cert)
    if cas is not None:
        p.set_ca_certificates(cas)
    if name is not None:
        p.set_friendlyname(name)
    return p


def assert_same(loaded, key=None, cert=None, cas=None, name=None):
    assert type(loaded) is PKCS12
    if key is None:
        assert loaded.get_privatekey() is None
    else:
        got = loaded.get_privatekey()
        assert type(got) is PKey
        assert key_der(got) == key_der(key)
        # A loaded key is a full private key.
        assert got.check()
    if cert is None:
        assert loaded.get_certificate() is None
    else:
        assert type(loaded.get_certificate()) is X509
        assert der(loaded.get_certificate()) == der(cert)
    if cas is None:
        assert loaded.get_ca_certificates() is None
    else:
        got = loaded.get_ca_certificates()
        assert type(got) is tuple
        assert [der(c) for c in got] == [der(c) for c in cas]
    assert loaded.get_friendlyname() == name


class TestExportLoad:
    @pytest.mark.parametrize("passphrase", [None, b"", b"secret",
                                            b"\xff\xfe non-ascii"])
    def test_round_trip(self, ca, server, client, passphrase):
        key, cert = server
        cas = [ca[1], client[1]]
        p = make_pkcs12(key, cert, cas, b"my name")
        data = p.export(passphrase)
        assert type(data) is bytes
        assert_same(load_pkcs12(data, passphrase), key, cert, cas,
                    b"my name")

    def test_empty_and_none_passphrases_are_alike(self, server):
        # pyOpenSSL 23.0 passes None and b'' as NULL, which OpenSSL tries
        # both as "no password" and as the empty password.
        key, cert = server
        for export_with in (None, b""):
            data = make_pkcs12(key, cert).export(export_with)
            for load_with in (None, b""):
                assert_same(load_pkcs12(data, load_with), key, cert)
            with pytest.raises(Error) as info:
                load_pkcs12(data, b"pw")
            assert info.value.args == (MAC_FAILURE,)

    def test_parts(self, ca, server):
        key, cert = server
        data = make_pkcs12(key=key).export(b"x")
        assert_same(load_pkcs12(data, b"x"), key=key)
        # A certificate without its key is a CA certificate on loading.
        data = make_pkcs12(cert=cert).export(b"x")
        assert_same(load_pkcs12(data, b"x"), cas=[cert])
        data = make_pkcs12(cas=[ca[1], cert]).export(b"x")
        assert_same(load_pkcs12(data, b"x"), cas=[ca[1], cert])
        data = make_pkcs12(key, cert, name=b"n").export(b"x")
        assert_same(load_pkcs12(data, b"x"), key, cert, name=b"n")

    def test_friendlyname_round_trip(self, server):
        key, cert = server
        name = "\u00fcn\u00efc\u00f6d\u00e9 \u2603".encode("utf-8")
        data = make_pkcs12(key, cert, name=name).export(b"x")
        assert load_pkcs12(data, b"x").get_friendlyname() == name
        # The name is a C string for OpenSSL, which 23.0 cut short at a NUL
        # byte: refused instead (see test_crypto_review.py).
        with pytest.raises(ValueError):
            make_pkcs12(key, cert, name=b"a\0b").export(b"x")

    def test_reexport_keeps_certificate_alias(self, server):
        # As in 23.0: a loaded certificate keeps its alias, which export
        # writes again even when the PKCS12's friendly name is unset.
        key, cert = server
        loaded = load_pkcs12(make_pkcs12(key, cert, name=b"alias")
                             .export(b"x"), b"x")
        loaded.set_friendlyname(None)
        again = load_pkcs12(loaded.export(b"x"), b"x")
        assert again.get_friendlyname() == b"alias"

    def test_ed25519_and_ec_keys(self):
        from cryptography.hazmat.primitives.asymmetric import ec, ed25519

        for ckey in (ed25519.Ed25519PrivateKey.generate(),
                     ec.generate_private_key(ec.SECP384R1())):
            key = PKey.from_cryptography_key(ckey)
            cert = pki.make_cert(key, "other key type")
            data = make_pkcs12(key, cert, name=b"k").export(b"x")
            loaded = load_pkcs12(data, b"x")
            assert key_der(loaded.get_privatekey()) == key_der(key)
            assert der(loaded.get_certificate()) == der(cert)

    def test_keywords(self, server):
        key, cert = server
        p = make_pkcs12(key, cert)
        data = p.export(passphrase=b"kw", iter=10, maciter=3)
        assert_same(load_pkcs12(buffer=data, passphrase=b"kw"), key, cert)
        assert_same(load_pkcs12(data, passphrase=b"kw"), key, cert)

    def test_str_passphrase_warns(self, server):
        key, cert = server
        p = make_pkcs12(key, cert)
        with pytest.warns(DeprecationWarning) as record:
            data = p.export("s\u00e9cret")
        assert str(record[0].message) == (
            "str for passphrase is no longer accepted, use bytes")
        with pytest.warns(DeprecationWarning) as record:
            loaded = load_pkcs12(data, "s\u00e9cret")
        assert str(record[0].message) == (
            "str for passphrase is no longer accepted, use bytes")
        assert_same(loaded, key, cert)
        # UTF-8, so bytes work as well.
        assert_same(load_pkcs12(data, "s\u00e9cret".encode()), key, cert)

    def test_bytes_passphrase_does_not_warn(self, server):
        key, cert = server
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            data = make_pkcs12(key, cert).export(b"x")
            load_pkcs12(data, b"x")

    @pytest.mark.parametrize("bad", [1, 1.5, bytearray(b"x"),
                                     memoryview(b"x"), ["x"]])
    def test_bad_passphrase_type(self, server, bad):
        key, cert = server
        p = make_pkcs12(key, cert)
        with pytest.raises(TypeError):
            p.export(bad)
        data = p.export(b"x")
        with pytest.raises(TypeError):
            load_pkcs12(data, bad)

    def test_nul_in_passphrase_is_refused(self, server):
        # OpenSSL takes PKCS#12 passphrases as C strings: b"x\0y" would be
        # cut to b"x" (as pyOpenSSL 23.0 silently did). Refuse it instead.
        key, cert = server
        p = make_pkcs12(key, cert)
        with pytest.raises(ValueError) as info:
            p.export(b"x\0y")
        assert str(info.value) == "passphrase must not contain NUL bytes"
        data = p.export(b"x")
        with pytest.raises(ValueError):
            load_pkcs12(data, b"x\0y")
        with pytest.raises(ValueError), pytest.warns(DeprecationWarning):
            load_pkcs12(data, "x\0y")

    def test_iterations(self, server):
        key, cert = server
        p = make_pkcs12(key, cert)
        for iter_, maciter in ((1, 1), (0, 0), (-1, 5), (True, False),
                               (5000, 2)):
            data = p.export(b"x", iter=iter_, maciter=maciter)
            assert_same(load_pkcs12(data, b"x"), key, cert)
        with pytest.raises(TypeError):
            p.export(b"x", iter="10")
        with pytest.raises(TypeError):
            p.export(b"x", maciter=1.0)
        with pytest.raises(OverflowError):
            p.export(b"x", iter=2 ** 31)
        with pytest.raises(OverflowError):
            p.export(b"x", maciter=-2 ** 40)

    def test_no_mac(self, server):
        # maciter=-1: no MAC at all; as in 23.0 only "no passphrase"
        # loads such a file.
        key, cert = server
        p = make_pkcs12(key, cert)
        data = p.export(None, maciter=-1)
        assert_same(load_pkcs12(data), key, cert)
        data = p.export(b"x", maciter=-1)
        with pytest.raises(Error) as info:
            load_pkcs12(data, b"x")
        assert info.value.args == ([
            ("PKCS12 routines", "", "mac absent"),
            ("PKCS12 routines", "", "mac verify failure"),
        ],)
        with pytest.raises(Error) as info:
            load_pkcs12(data)
        assert info.value.args == ([
            ("Provider routines", "", "bad decrypt"),
            ("PKCS12 routines", "", "pkcs12 cipherfinal error"),
            ("PKCS12 routines", "", "parse error"),
        ],)

    def test_export_errors(self, ca, server):
        key, cert = server
        with pytest.raises(Error) as info:
            PKCS12().export()
        assert info.value.args == (
            [("PKCS12 routines", "", "invalid null argument")],)
        with pytest.raises(Error) as info:
            make_pkcs12(cas=[]).export()
        assert info.value.args == (
            [("asn1 encoding routines", "", "encode error")],)
        with pytest.raises(Error) as info:
            make_pkcs12(key, ca[1]).export()
        assert info.value.args == (
            [("x509 certificate routines", "", "key values mismatch")],)
        public = crypto.load_publickey(
            FILETYPE_PEM, crypto.dump_publickey(FILETYPE_PEM, key))
        with pytest.raises(Error):
            make_pkcs12(public).export()
        with pytest.raises(Error):
            make_pkcs12(PKey()).export()
        with pytest.raises(Error):
            make_pkcs12(cert=X509()).export()

    def test_wrong_passphrase(self, server):
        key, cert = server
        data = make_pkcs12(key, cert).export(b"right")
        for wrong in (b"wrong", None, b"", b"righ", b"right "):
            with pytest.raises(Error) as info:
                load_pkcs12(data, wrong)
            assert info.value.args == (MAC_FAILURE,)

    def test_bad_data(self, server):
        key, cert = server
        data = make_pkcs12(key, cert).export(b"x")
        with pytest.raises(Error) as info:
            load_pkcs12(b"garbage", b"x")
        assert info.value.args == (
            [("asn1 encoding routines", "", "not enough data")],)
        with pytest.raises(Error) as info:
            load_pkcs12(b"")
        assert info.value.args == ([],)
        for n in list(range(0, 64)) + list(range(64, len(data), 97)):
            with pytest.raises(Error):
                load_pkcs12(data[:n], b"x")
        # A flipped byte anywhere: never a crash, an Error or (if the MAC
        # and everything else still check out) a PKCS12.
        for i in range(0, len(data), 53):
            broken = bytearray(data)
            broken[i] ^= 0x55
            try:
                load_pkcs12(bytes(broken), b"x")
            except Error:
                pass
        # A PKCS#7 or a certificate is not a PKCS#12.
        with pytest.raises(Error):
            load_pkcs12(der(cert), b"x")

    def test_bad_buffer_types(self):
        with pytest.raises(TypeError):
            load_pkcs12(1)
        with pytest.raises(TypeError):
            load_pkcs12(None)
        with pytest.raises(UnicodeEncodeError):
            load_pkcs12("\u20ac")
        with pytest.raises(TypeError):
            load_pkcs12()

    def test_buffer_types(self, server):
        key, cert = server
        data = make_pkcs12(key, cert).export(b"x")
        assert_same(load_pkcs12(bytearray(data), b"x"), key, cert)
        assert_same(load_pkcs12(memoryview(data), b"x"), key, cert)

    def test_loaded_objects_are_independent(self, server):
        key, cert = server
        data = make_pkcs12(key, cert).export(b"x")
        first = load_pkcs12(data, b"x")
        second = load_pkcs12(data, b"x")
        assert first.get_certificate() is not second.get_certificate()
        first.get_certificate().set_serial_number(12345)
        assert second.get_certificate().get_serial_number() == \
            cert.get_serial_number()

    def test_error_queue_left_empty(self, server):
        key, cert = server
        data = make_pkcs12(key, cert).export(b"x")
        with pytest.raises(Error):
            load_pkcs12(data, b"y")
        load_pkcs12(data, b"x")
        # A later call that fails reports only its own errors.
        with pytest.raises(Error) as info:
            crypto.load_certificate(FILETYPE_PEM, b"nothing")
        assert info.value.args == ([("PEM routines", "", "no start line")],)

    @measures_rss
    def test_repeated_loads_do_not_grow_memory(self):
        # pyOpenSSL 17.5.0 fixed a leak of the CA certificates here. An EC
        # key and one iteration keep each round cheap.
        from cryptography.hazmat.primitives.asymmetric import ec

        key = PKey.from_cryptography_key(
            ec.generate_private_key(ec.SECP256R1()))
        cas = [pki.make_cert(key, "ca %d" % i) for i in range(2)]
        p = make_pkcs12(key, pki.make_cert(key, "leaf"), cas, b"n")
        data = p.export(b"x", iter=1, maciter=1)

        for _ in range(200):
            load_pkcs12(data, b"x")
        gc.collect()
        before = rss_kb()
        for _ in range(1000):
            load_pkcs12(data, b"x").export(b"x", iter=1, maciter=1)
            with pytest.raises(Error):
                load_pkcs12(data, b"bad")
        gc.collect()
        grown = rss_kb() - before
        assert grown < 2 * 1024, grown


# ---------------------------------------------------------------------------
# Interoperability with the openssl tool, and the legacy provider
# ---------------------------------------------------------------------------


@needs_openssl
class TestOpenSSLInterop:
    def export_with_tool(self, files, out, *extra, name="tool name",
                         password="pw"):
        openssl("pkcs12", "-export", "-in", str(files["server.pem"]),
                "-inkey", str(files["server.key"]), "-certfile",
                str(files["ca.pem"]), "-name", name, "-passout",
                "pass:" + password, "-out", str(out), *extra)
        return out.read_bytes()

    def test_modern_file(self, files, ca, server):
        path = files["dir"] / "modern.p12"
        data = self.export_with_tool(files, path)
        info = pkcs12_info(path, "pw")
        assert "PBES2, PBKDF2, AES-256-CBC" in info
        assert_same(load_pkcs12(data, b"pw"), server[0], server[1], [ca[1]],
                    b"tool name")
        with pytest.raises(Error) as info:
            load_pkcs12(data, b"wrong")
        assert info.value.args == (MAC_FAILURE,)

    @pytest.mark.parametrize("extra", [
        ("-legacy",),
        ("-legacy", "-keypbe", "PBE-SHA1-RC4-128", "-certpbe",
         "PBE-SHA1-RC2-128"),
        ("-legacy", "-keypbe", "PBE-SHA1-RC2-40", "-certpbe",
         "PBE-SHA1-RC4-40"),
        ("-legacy", "-keypbe", "PBE-MD5-DES", "-certpbe", "PBE-SHA1-DES"),
        ("-certpbe", "NONE", "-keypbe", "NONE"),
        ("-descert",),
        ("-macalg", "sha512"),
    ])
    def test_tool_variants(self, files, ca, server, extra):
        path = files["dir"] / "variant.p12"
        data = self.export_with_tool(files, path, *extra)
        assert_same(load_pkcs12(data, b"pw"), server[0], server[1], [ca[1]],
                    b"tool name")
        with pytest.raises(Error) as info:
            load_pkcs12(data, b"wrong")
        assert info.value.args == (MAC_FAILURE,)

    def test_legacy_file_uses_legacy_algorithms(self, files):
        path = files["dir"] / "legacy-check.p12"
        self.export_with_tool(files, path, "-legacy")
        result = openssl("pkcs12", "-in", str(path), "-info", "-noout",
                         "-legacy", "-passin", "pass:pw")
        assert b"pbeWithSHA1And40BitRC2-CBC" in result.stderr

    def test_legacy_empty_password(self, files, server, ca):
        path = files["dir"] / "legacy-empty.p12"
        data = self.export_with_tool(files, path, "-legacy", password="")
        for passphrase in (None, b""):
            assert_same(load_pkcs12(data, passphrase), server[0], server[1],
                        [ca[1]], b"tool name")

    def test_tool_reads_our_export(self, files, ca, server):
        key, cert = server
        data = make_pkcs12(key, cert, [ca[1]], b"ours").export(b"pw")
        path = files["dir"] / "ours.p12"
        path.write_bytes(data)
        info = pkcs12_info(path, "pw")
        # PBE-SHA1-3DES for the key and the certificates, as in 23.0.
        assert info.count("pbeWithSHA1And3-KeyTripleDES-CBC") == 2
        # maciter=1 by default; OpenSSL 3 picks SHA-256 for the MAC.
        assert info.startswith("MAC: sha256, Iteration 1\n")
        out = openssl("pkcs12", "-in", str(path), "-nodes", "-passin",
                      "pass:pw").stdout
        assert b"friendlyName: ours" in out
        pems = [c for c in out.split(b"-----BEGIN ") if
                c.startswith(b"CERTIFICATE")]
        assert len(pems) == 2
        loaded = [crypto.load_certificate(FILETYPE_PEM, b"-----BEGIN " + c)
                  for c in pems]
        assert sorted(der(c) for c in loaded) == sorted(
            [der(cert), der(ca[1])])
        key_pem = out[out.index(b"-----BEGIN PRIVATE KEY"):]
        assert key_der(crypto.load_privatekey(FILETYPE_PEM, key_pem)) == \
            key_der(key)
        # The wrong password fails in the tool too.
        result = subprocess.run(
            [OPENSSL, "pkcs12", "-in", str(path), "-nodes", "-passin",
             "pass:nope"], capture_output=True)
        assert result.returncode != 0

    def test_tool_reads_our_passwordless_export(self, files, server):
        key, cert = server
        path = files["dir"] / "nopass.p12"
        path.write_bytes(make_pkcs12(key, cert).export())
        out = openssl("pkcs12", "-in", str(path), "-nodes", "-passin",
                      "pass:").stdout
        assert b"BEGIN CERTIFICATE" in out
        assert b"BEGIN PRIVATE KEY" in out


LEGACY_CHECK = textwrap.dedent("""
    import ctypes, ctypes.util, sys
    from OpenSSL import crypto
    assert "cryptography" not in sys.modules
    data = open(sys.argv[1], "rb").read()
    lib = ctypes.CDLL(ctypes.util.find_library("crypto") or "libcrypto.so.3")
    lib.EVP_CIPHER_fetch.restype = ctypes.c_void_p
    lib.EVP_CIPHER_fetch.argtypes = [ctypes.c_void_p, ctypes.c_char_p,
                                     ctypes.c_char_p]
    lib.EVP_CIPHER_free.argtypes = [ctypes.c_void_p]
    lib.OSSL_PROVIDER_available.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    lib.OSSL_PROVIDER_load.restype = ctypes.c_void_p
    lib.OSSL_PROVIDER_load.argtypes = [ctypes.c_void_p, ctypes.c_char_p]

    def default_context_has_rc2():
        cipher = lib.EVP_CIPHER_fetch(None, b"RC2-40-CBC", None)
        lib.ERR_clear_error()
        if cipher:
            lib.EVP_CIPHER_free(cipher)
        return bool(cipher) or bool(
            lib.OSSL_PROVIDER_available(None, b"legacy"))

    assert not default_context_has_rc2()
    try:
        p12 = crypto.load_pkcs12(data, b"pw")
    except crypto.Error as e:
        print("Error", repr(e.args))
    else:
        print("loaded", p12.get_friendlyname().decode())
    print("default context has RC2:", default_context_has_rc2())
    # The check above is sound: loading the provider into the default
    # context is what it detects.
    if len(sys.argv) > 2 and lib.OSSL_PROVIDER_load(None, b"legacy"):
        print("after loading it there:", default_context_has_rc2())
""")


@pytest.fixture(scope="module")
def legacy_file(files):
    path = files["dir"] / "legacy.p12"
    openssl("pkcs12", "-export", "-legacy", "-in",
            str(files["server.pem"]), "-inkey", str(files["server.key"]),
            "-name", "old", "-passout", "pass:pw", "-out", str(path))
    return path


@needs_openssl
class TestLegacyProvider:

    def run_check(self, legacy_file, *args, env=None):
        full_env = dict(os.environ)
        full_env.update(env or {})
        result = subprocess.run(
            [sys.executable, "-c", LEGACY_CHECK, str(legacy_file), *args],
            capture_output=True, env=full_env, text=True,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.splitlines()

    def test_default_context_untouched(self, legacy_file):
        lines = self.run_check(legacy_file, "control")
        assert lines[0] == "loaded old"
        assert lines[1] == "default context has RC2: False"
        if len(lines) > 2:      # the legacy module is installed
            assert lines[2] == "after loading it there: True"

    def test_legacy_provider_unavailable(self, legacy_file, files, server):
        lines = self.run_check(
            legacy_file, env={"OPENSSL_MODULES": str(files["dir"] / "none")})
        assert lines[0].startswith("Error ([(")
        assert "'digital envelope routines', '', 'unsupported'" in lines[0]
        assert ("'pyOpenSSL', '', \"PKCS#12 data encrypted with a legacy "
                "algorithm (such as RC2 or RC4) needs OpenSSL's legacy "
                "provider, which could not be loaded\"") in lines[0]
        assert lines[1] == "default context has RC2: False"

    def test_modern_files_without_legacy_provider(self, files, server):
        script = textwrap.dedent("""
            import sys
            from OpenSSL import crypto
            p = crypto.load_pkcs12(open(sys.argv[1], "rb").read(), b"pw")
            print(p.get_friendlyname().decode())
        """)
        path = files["dir"] / "modern-only.p12"
        path.write_bytes(make_pkcs12(server[0], server[1], name=b"new")
                         .export(b"pw"))
        env = dict(os.environ, OPENSSL_MODULES=str(files["dir"] / "none"))
        result = subprocess.run([sys.executable, "-c", script, str(path)],
                                capture_output=True, env=env, text=True)
        assert result.returncode == 0, result.stderr
        assert result.stdout == "new\n"

    def test_repeated_legacy_loads(self, legacy_file, server):
        data = legacy_file.read_bytes()
        for _ in range(20):
            p = load_pkcs12(data, b"pw")
            assert der(p.get_certificate()) == der(server[1])
            with pytest.raises(Error) as info:
                load_pkcs12(data, b"nope")
            assert info.value.args == (MAC_FAILURE,)
