"""
X509Store, X509StoreContext, X509StoreContextError and X509StoreFlags
(API.md 1.8, 1.9.5 to 1.9.7, 3.2 rows 25/26/36, 3.3, 4.1).

The certificates here are built with cryptography, so that the CAs carry
basicConstraints and keyUsage (OpenSSL 3 rejects a v3 CA certificate
without them), and converted with X509.from_cryptography. The expected
codes, depths and messages were compared with pyOpenSSL 26.4.0 on the same
certificates; only the text of X509_V_ERR_CERT_NOT_YET_VALID differs there,
because it comes from the OpenSSL library in use.
"""

import ctypes
import datetime
import gc
import os
import subprocess
import weakref

import pytest
from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from conftest import assert_collected
from OpenSSL import crypto

F = crypto.X509StoreFlags
NOW = datetime.datetime.now(datetime.timezone.utc)
DAY = datetime.timedelta(days=1)


def utcnow():
    """The current UTC time as a naive datetime (what set_time expects)."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)

# X509_V_ERR_* codes (OpenSSL's x509_vfy.h).
UNABLE_TO_GET_ISSUER_CERT = 2
UNABLE_TO_GET_CRL = 3
CERT_SIGNATURE_FAILURE = 7
CERT_NOT_YET_VALID = 9
CERT_HAS_EXPIRED = 10
DEPTH_ZERO_SELF_SIGNED_CERT = 18
UNABLE_TO_GET_ISSUER_CERT_LOCALLY = 20
CERT_REVOKED = 23


# ---------------------------------------------------------------------------
# Building certificates
# ---------------------------------------------------------------------------


def _name(cn):
    return cx509.Name(
        [
            cx509.NameAttribute(NameOID.ORGANIZATION_NAME, "store tests"),
            cx509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def make_key(kind="ec"):
    if kind == "ec":
        return ec.generate_private_key(ec.SECP256R1())
    return rsa.generate_private_key(65537, 1024)


def make_cert(
    cn,
    key,
    issuer=None,
    ca=False,
    serial=1,
    not_before=-1,
    not_after=1,
    issuer_name=None,
    signing_key=None,
):
    """
    A cryptography certificate for `key` named CN=`cn`, signed by `issuer`
    (a (key, cert) pair) or self-signed. Validity in days from now.
    """
    if issuer is None:
        ikey, iname = key, _name(cn)
    else:
        ikey, iname = issuer[0], issuer[1].subject
    builder = (
        cx509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(issuer_name or iname)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(NOW + not_before * DAY)
        .not_valid_after(NOW + not_after * DAY)
    )
    if ca:
        builder = builder.add_extension(
            cx509.BasicConstraints(ca=True, path_length=None), critical=True
        ).add_extension(
            cx509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    return builder.sign(signing_key or ikey, hashes.SHA256())


def X(cert):
    return crypto.X509.from_cryptography(cert)


def make_crl(issuer, revoked_serials=()):
    ikey, icert = issuer
    builder = (
        cx509.CertificateRevocationListBuilder()
        .issuer_name(icert.subject)
        .last_update(NOW - DAY)
        .next_update(NOW + DAY)
    )
    for serial in revoked_serials:
        builder = builder.add_revoked_certificate(
            cx509.RevokedCertificateBuilder()
            .serial_number(serial)
            .revocation_date(NOW - DAY)
            .build()
        )
    return builder.sign(ikey, hashes.SHA256())


@pytest.fixture(scope="module")
def pki():
    """root -> inter -> leaf, plus odd certificates, as cryptography
    objects and X509s."""
    root_key = make_key()
    root = make_cert("root", root_key, ca=True, not_before=-10, not_after=10)
    inter_key = make_key()
    inter = make_cert(
        "inter", inter_key, (root_key, root), ca=True, serial=2,
        not_before=-10, not_after=10,
    )
    leaf_key = make_key()
    leaf = make_cert("leaf", leaf_key, (inter_key, inter), serial=3)
    other_key = make_key()
    certs = {
        "root": root,
        "inter": inter,
        "leaf": leaf,
        "expired": make_cert(
            "expired", leaf_key, (inter_key, inter), serial=4,
            not_before=-3, not_after=-2,
        ),
        "future": make_cert(
            "future", leaf_key, (inter_key, inter), serial=5,
            not_before=2, not_after=3,
        ),
        # Names inter as its issuer but is signed by another key.
        "badsig": make_cert(
            "badsig", leaf_key, (inter_key, inter), serial=6,
            signing_key=other_key,
        ),
        "selfsigned": make_cert("selfsigned", leaf_key),
        # Issued by the root directly (for the CRL tests).
        "direct": make_cert("direct", leaf_key, (root_key, root), serial=9),
        "direct2": make_cert("direct2", leaf_key, (root_key, root), serial=10),
    }
    result = {name: X(cert) for name, cert in certs.items()}
    result["crypto"] = certs
    result["root_key"] = root_key
    result["inter_key"] = inter_key
    return result


def store_with(*certs):
    store = crypto.X509Store()
    for cert in certs:
        store.add_cert(cert)
    return store


def verify_error(store, cert, chain=None):
    with pytest.raises(crypto.X509StoreContextError) as info:
        crypto.X509StoreContext(store, cert, chain).verify_certificate()
    return info.value


def der(cert):
    return crypto.dump_certificate(crypto.FILETYPE_ASN1, cert)


def assert_queue_empty():
    with pytest.raises(crypto.Error) as info:
        crypto._exception_from_error_queue()
    assert info.value.args[0] == []


# ---------------------------------------------------------------------------
# The classes
# ---------------------------------------------------------------------------


class TestClasses:
    def test_names(self):
        assert crypto.X509StoreType is crypto.X509Store
        assert crypto.X509Store.__name__ == "X509Store"
        assert crypto.X509Store.__module__ == "OpenSSL.crypto"
        assert crypto.X509StoreContext.__module__ == "OpenSSL.crypto"
        assert crypto.X509StoreContextError.__module__ == "OpenSSL.crypto"
        for name in (
            "X509Store",
            "X509StoreType",
            "X509StoreContext",
            "X509StoreContextError",
            "X509StoreFlags",
        ):
            assert name in crypto.__all__

    def test_store_constructible(self):
        store = crypto.X509Store()
        assert isinstance(store, crypto.X509Store)
        with pytest.raises(TypeError):
            crypto.X509Store(1)
        with pytest.raises(TypeError):
            crypto.X509Store(flags=1)

    def test_subclasses_and_weakrefs(self, pki):
        class Store(crypto.X509Store):
            def __init__(self, label):
                super().__init__()
                self.label = label

        class Context(crypto.X509StoreContext):
            pass

        store = Store("mine")
        store.add_cert(pki["root"])
        assert store.label == "mine"
        ctx = Context(store, pki["leaf"], [pki["inter"]])
        ctx.extra = 1
        ctx.verify_certificate()
        for obj in (store, ctx, crypto.X509Store()):
            ref = weakref.ref(obj)
            assert ref() is obj

    def test_subclass_without_super_init(self, pki):
        class Store(crypto.X509Store):
            def __init__(self):
                pass

        class Context(crypto.X509StoreContext):
            def __init__(self):
                pass

        store = Store()
        store.add_cert(pki["root"])
        with pytest.raises(AttributeError):
            Context().verify_certificate()

    def test_flags(self):
        expected = {
            "CRL_CHECK": 0x4,
            "CRL_CHECK_ALL": 0x8,
            "IGNORE_CRITICAL": 0x10,
            "X509_STRICT": 0x20,
            "ALLOW_PROXY_CERTS": 0x40,
            "POLICY_CHECK": 0x80,
            "EXPLICIT_POLICY": 0x100,
            "INHIBIT_MAP": 0x400,
            "NOTIFY_POLICY": 0x800,
            "CHECK_SS_SIGNATURE": 0x4000,
            "PARTIAL_CHAIN": 0x80000,
        }
        for name, value in expected.items():
            assert getattr(F, name) == value, name
            assert type(getattr(F, name)) is int
        assert F.__module__ == "OpenSSL.crypto"
        assert isinstance(F, type)


# ---------------------------------------------------------------------------
# X509StoreContextError
# ---------------------------------------------------------------------------


class TestStoreContextError:
    def test_constructor(self, pki):
        e = crypto.X509StoreContextError("msg", [1, 2, "msg"], pki["leaf"])
        assert e.args == ("msg",)
        assert str(e) == "msg"
        assert repr(e) == "X509StoreContextError('msg')"
        assert e.errors == [1, 2, "msg"]
        assert e.certificate is pki["leaf"]

    def test_keywords(self):
        e = crypto.X509StoreContextError(
            message="m", errors=[], certificate=None
        )
        assert e.args == ("m",)
        assert e.errors == []
        assert e.certificate is None

    def test_missing_arguments(self):
        with pytest.raises(TypeError):
            crypto.X509StoreContextError("m")
        with pytest.raises(TypeError):
            crypto.X509StoreContextError()
        with pytest.raises(TypeError):
            crypto.X509StoreContextError("m", [], None, 4)

    def test_hierarchy(self):
        assert issubclass(crypto.X509StoreContextError, Exception)
        assert not issubclass(crypto.X509StoreContextError, crypto.Error)

    def test_subclass(self):
        class MyError(crypto.X509StoreContextError):
            def __init__(self, message, errors, certificate):
                super().__init__(message, errors, certificate)
                self.seen = True

        e = MyError("m", [1], "c")
        assert e.args == ("m",)
        assert e.errors == [1]
        assert e.certificate == "c"
        assert e.seen
        with pytest.raises(MyError):
            raise e


# ---------------------------------------------------------------------------
# X509Store
# ---------------------------------------------------------------------------


class TestAddCert:
    def test_add_and_duplicate(self, pki):
        store = crypto.X509Store()
        assert store.add_cert(pki["root"]) is None
        # 0.13 raised Error here; 19.0.0+ does not (3.2 row 26).
        assert store.add_cert(pki["root"]) is None
        assert store.add_cert(cert=pki["inter"]) is None
        assert_queue_empty()

    @pytest.mark.parametrize(
        "bad", [None, 1, "cert", b"cert", object(), crypto.X509Store()]
    )
    def test_wrong_type(self, bad):
        with pytest.raises(TypeError) as info:
            crypto.X509Store().add_cert(bad)
        assert info.value.args == ()

    def test_cryptography_certificate_rejected(self, pki):
        # 26.4 takes only X509 here (3.2 row 36).
        with pytest.raises(TypeError):
            crypto.X509Store().add_cert(pki["crypto"]["root"])

    def test_arguments(self):
        with pytest.raises(TypeError):
            crypto.X509Store().add_cert()
        with pytest.raises(TypeError):
            crypto.X509Store().add_cert(crypto.X509(), crypto.X509())


class TestAddCrl:
    @pytest.mark.parametrize("bad", [None, 1, "crl", b"crl", crypto.X509()])
    def test_wrong_type(self, bad):
        with pytest.raises(TypeError) as info:
            crypto.X509Store().add_crl(bad)
        # 23.0.0 raised AttributeError: the class is both.
        assert isinstance(info.value, AttributeError)
        assert str(info.value) == (
            "CRL must be of type cryptography.x509.CertificateRevocationList"
        )

    def test_cryptography_crl(self, pki):
        store = store_with(pki["root"])
        crl = make_crl((pki["root_key"], pki["crypto"]["root"]))
        assert store.add_crl(crl) is None
        assert store.add_crl(crl=crl) is None
        assert_queue_empty()


class TestSetFlags:
    def test_values(self):
        store = crypto.X509Store()
        assert store.set_flags(0) is None
        assert store.set_flags(F.CRL_CHECK | F.CRL_CHECK_ALL) is None
        assert store.set_flags(flags=F.PARTIAL_CHAIN) is None
        assert store.set_flags(True) is None
        assert store.set_flags(2**64 - 1) is None

    @pytest.mark.parametrize("bad", [None, "4", 1.0, b"\x04"])
    def test_wrong_type(self, bad):
        with pytest.raises(TypeError, match="an integer is required"):
            crypto.X509Store().set_flags(bad)

    def test_out_of_range(self):
        with pytest.raises(OverflowError, match="negative"):
            crypto.X509Store().set_flags(-1)
        with pytest.raises(OverflowError, match="too big"):
            crypto.X509Store().set_flags(2**64)
        with pytest.raises(OverflowError, match="negative"):
            crypto.X509Store().set_flags(-(2**80))


class TestSetTime:
    @pytest.mark.parametrize("bad", [None, 0, "2020-01-01", 1.5])
    def test_wrong_type(self, bad):
        with pytest.raises(TypeError) as info:
            crypto.X509Store().set_time(bad)
        # 26.4 raised AttributeError (it calls vfy_time.timetuple()).
        assert isinstance(info.value, AttributeError)

    def test_accepts(self):
        store = crypto.X509Store()
        assert store.set_time(datetime.datetime(2020, 1, 1)) is None
        assert store.set_time(vfy_time=datetime.datetime(1, 1, 1)) is None
        assert store.set_time(datetime.datetime(9999, 12, 31, 23, 59)) is None
        # pyOpenSSL reads the fields with timetuple(): a date works too.
        assert store.set_time(datetime.date(2020, 1, 1)) is None

    def test_past_and_future(self, pki):
        store = store_with(pki["root"])
        chain = [pki["inter"]]
        crypto.X509StoreContext(store, pki["leaf"], chain).verify_certificate()

        store.set_time(utcnow() - 20 * DAY)
        e = verify_error(store, pki["leaf"], chain)
        assert e.errors[0] == CERT_NOT_YET_VALID
        assert e.args[0].startswith("certificate is not yet valid")

        store.set_time(utcnow() + 20 * DAY)
        # pyOpenSSL kept the first time set; here each call replaces it.
        e = verify_error(store, pki["leaf"], chain)
        assert e.errors[0] == CERT_HAS_EXPIRED
        assert e.args == ("certificate has expired",)

        store.set_time(utcnow())
        crypto.X509StoreContext(store, pki["leaf"], chain).verify_certificate()

    def test_expired_certificate_valid_in_its_time(self, pki):
        store = store_with(pki["root"])
        chain = [pki["inter"]]
        verify_error(store, pki["expired"], chain)
        store.set_time(utcnow() - 2.5 * DAY)
        crypto.X509StoreContext(
            store, pki["expired"], chain
        ).verify_certificate()

    def test_keeps_flags(self, pki):
        # set_time merges a parameter set into the store's: the flags stay.
        store = store_with(pki["inter"])
        store.set_flags(F.PARTIAL_CHAIN)
        store.set_time(utcnow())
        crypto.X509StoreContext(store, pki["leaf"]).verify_certificate()


class TestLoadLocations:
    def _pem(self, cert):
        return crypto.dump_certificate(crypto.FILETYPE_PEM, cert)

    def test_cafile(self, pki, tmp_path):
        path = tmp_path / "ca.pem"
        path.write_bytes(self._pem(pki["root"]) + self._pem(pki["inter"]))
        for cafile in (str(path), os.fsencode(str(path)), path):
            store = crypto.X509Store()
            assert store.load_locations(cafile) is None
            chain = crypto.X509StoreContext(
                store, pki["leaf"]
            ).get_verified_chain()
            assert [der(c) for c in chain] == [
                der(pki["leaf"]), der(pki["inter"]), der(pki["root"])
            ]
        assert_queue_empty()

    def test_capath_hash_links(self, pki, tmp_path):
        for cert in (pki["root"], pki["inter"]):
            name = "%08x.0" % cert.subject_name_hash()
            (tmp_path / name).write_bytes(self._pem(cert))
        for capath in (str(tmp_path), os.fsencode(str(tmp_path)), tmp_path):
            store = crypto.X509Store()
            assert store.load_locations(None, capath) is None
            crypto.X509StoreContext(store, pki["leaf"]).verify_certificate()
        store = crypto.X509Store()
        store.load_locations(cafile=None, capath=tmp_path)
        crypto.X509StoreContext(store, pki["leaf"]).verify_certificate()

    def test_capath_openssl_rehash(self, pki, tmp_path):
        (tmp_path / "root.pem").write_bytes(self._pem(pki["root"]))
        subprocess.run(
            ["openssl", "rehash", str(tmp_path)], check=True,
            capture_output=True,
        )
        store = crypto.X509Store()
        store.load_locations(None, str(tmp_path))
        crypto.X509StoreContext(
            store, pki["leaf"], [pki["inter"]]
        ).verify_certificate()

    def test_capath_without_the_issuer(self, pki, tmp_path):
        store = crypto.X509Store()
        store.load_locations(None, tmp_path)   # an empty directory is fine
        e = verify_error(store, pki["leaf"], [pki["inter"]])
        assert e.errors[0] == UNABLE_TO_GET_ISSUER_CERT_LOCALLY

    def test_both_none(self):
        with pytest.raises(crypto.Error) as info:
            crypto.X509Store().load_locations(None)
        assert info.value.args == ([],)
        with pytest.raises(crypto.Error):
            crypto.X509Store().load_locations(None, None)

    def test_missing_or_bad_file(self, tmp_path):
        with pytest.raises(crypto.Error) as info:
            crypto.X509Store().load_locations(str(tmp_path / "missing.pem"))
        assert info.value.args[0]
        assert_queue_empty()
        bad = tmp_path / "bad.pem"
        bad.write_bytes(b"not a certificate\n")
        with pytest.raises(crypto.Error) as info:
            crypto.X509Store().load_locations(bad)
        assert (
            "x509 certificate routines", "", "no certificate or crl found"
        ) in info.value.args[0]
        assert_queue_empty()

    @pytest.mark.parametrize("bad", [1, 1.5, object(), ["a"]])
    def test_wrong_type(self, bad):
        with pytest.raises(TypeError):
            crypto.X509Store().load_locations(bad)
        with pytest.raises(TypeError):
            crypto.X509Store().load_locations(None, bad)

    def test_embedded_nul(self, tmp_path):
        with pytest.raises(ValueError):
            crypto.X509Store().load_locations(str(tmp_path) + "\0x")
        with pytest.raises(ValueError):
            crypto.X509Store().load_locations(None, b"/tmp\0x")

    def test_missing_argument(self):
        with pytest.raises(TypeError):
            crypto.X509Store().load_locations()


# ---------------------------------------------------------------------------
# X509StoreContext: verification
# ---------------------------------------------------------------------------


class TestVerify:
    def test_trusted_chain(self, pki):
        store = store_with(pki["root"])
        ctx = crypto.X509StoreContext(store, pki["leaf"], [pki["inter"]])
        assert ctx.verify_certificate() is None
        assert ctx.verify_certificate() is None   # repeatable
        assert_queue_empty()

    def test_verified_chain(self, pki):
        store = store_with(pki["root"])
        ctx = crypto.X509StoreContext(store, pki["leaf"], [pki["inter"]])
        chain = ctx.get_verified_chain()
        assert isinstance(chain, list)
        assert all(type(c) is crypto.X509 for c in chain)
        assert [der(c) for c in chain] == [
            der(pki["leaf"]), der(pki["inter"]), der(pki["root"])
        ]
        assert [c.get_subject().CN for c in chain] == [
            "leaf", "inter", "root"
        ]

    def test_self_signed_trusted(self, pki):
        store = store_with(pki["selfsigned"])
        chain = crypto.X509StoreContext(
            store, pki["selfsigned"]
        ).get_verified_chain()
        assert [der(c) for c in chain] == [der(pki["selfsigned"])]

    def test_keywords_and_chain_kinds(self, pki):
        store = store_with(pki["root"])
        for chain in (
            [pki["inter"]],
            (pki["inter"],),
            iter([pki["inter"]]),
            (c for c in [pki["inter"]]),
        ):
            crypto.X509StoreContext(
                store=store, certificate=pki["leaf"], chain=chain
            ).verify_certificate()
        # None or an empty chain is no chain.
        for chain in (None, [], ()):
            e = verify_error(store, pki["leaf"], chain)
            assert e.errors[0] == UNABLE_TO_GET_ISSUER_CERT_LOCALLY

    def test_untrusted_missing_issuer(self, pki):
        e = verify_error(store_with(pki["root"]), pki["leaf"])
        assert e.args == ("unable to get local issuer certificate",)
        assert e.errors == [
            UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
            0,
            "unable to get local issuer certificate",
        ]
        assert der(e.certificate) == der(pki["leaf"])
        assert_queue_empty()

    def test_untrusted_empty_store(self, pki):
        e = verify_error(crypto.X509Store(), pki["leaf"], [pki["inter"]])
        assert e.errors == [
            UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
            1,
            "unable to get local issuer certificate",
        ]
        assert e.certificate.get_subject().CN == "inter"

    def test_self_signed_untrusted(self, pki):
        e = verify_error(crypto.X509Store(), pki["selfsigned"])
        assert e.errors == [
            DEPTH_ZERO_SELF_SIGNED_CERT, 0, "self-signed certificate"
        ]
        assert str(e) == "self-signed certificate"

    def test_expired(self, pki):
        e = verify_error(
            store_with(pki["root"]), pki["expired"], [pki["inter"]]
        )
        assert e.errors == [CERT_HAS_EXPIRED, 0, "certificate has expired"]
        assert e.certificate.get_subject().CN == "expired"

    def test_not_yet_valid(self, pki):
        e = verify_error(
            store_with(pki["root"]), pki["future"], [pki["inter"]]
        )
        assert e.errors[:2] == [CERT_NOT_YET_VALID, 0]
        assert e.errors[2] == crypto.X509_verify_cert_error_string(
            CERT_NOT_YET_VALID
        )
        assert e.errors[2].startswith("certificate is not yet valid")
        assert e.args == (e.errors[2],)

    def test_wrong_issuer_signature(self, pki):
        e = verify_error(store_with(pki["root"], pki["inter"]), pki["badsig"])
        assert e.errors == [
            CERT_SIGNATURE_FAILURE, 0, "certificate signature failure"
        ]
        assert e.certificate.get_subject().CN == "badsig"

    def test_error_certificate_is_a_copy(self, pki):
        e = verify_error(store_with(pki["root"]), pki["expired"])
        assert type(e.certificate) is crypto.X509
        assert e.certificate is not pki["expired"]
        e.certificate.set_serial_number(12345)
        assert pki["expired"].get_serial_number() == 4

    def test_error_is_not_crypto_error(self, pki):
        ctx = crypto.X509StoreContext(crypto.X509Store(), pki["leaf"])
        with pytest.raises(Exception) as info:
            ctx.verify_certificate()
        assert not isinstance(info.value, crypto.Error)
        with pytest.raises(crypto.X509StoreContextError):
            ctx.get_verified_chain()

    def test_empty_certificate(self):
        # An X509() that cannot even be encoded: an error, not a crash.
        ctx = crypto.X509StoreContext(crypto.X509Store(), crypto.X509())
        with pytest.raises(crypto.X509StoreContextError) as info:
            ctx.verify_certificate()
        assert type(info.value.certificate) is crypto.X509
        assert_queue_empty()

    def test_partial_chain(self, pki):
        store = store_with(pki["inter"])
        e = verify_error(store, pki["leaf"])
        assert e.errors == [
            UNABLE_TO_GET_ISSUER_CERT, 1, "unable to get issuer certificate"
        ]
        assert e.certificate.get_subject().CN == "inter"
        store.set_flags(F.PARTIAL_CHAIN)
        chain = crypto.X509StoreContext(store, pki["leaf"]).get_verified_chain()
        assert [der(c) for c in chain] == [der(pki["leaf"]), der(pki["inter"])]

    def test_set_store(self, pki):
        ctx = crypto.X509StoreContext(
            crypto.X509Store(), pki["leaf"], [pki["inter"]]
        )
        with pytest.raises(crypto.X509StoreContextError):
            ctx.verify_certificate()
        assert ctx.set_store(store_with(pki["root"])) is None
        ctx.verify_certificate()
        ctx.set_store(store=crypto.X509Store())
        with pytest.raises(crypto.X509StoreContextError):
            ctx.verify_certificate()

    def test_store_changes_seen_by_later_verifications(self, pki):
        store = crypto.X509Store()
        ctx = crypto.X509StoreContext(store, pki["leaf"], [pki["inter"]])
        with pytest.raises(crypto.X509StoreContextError):
            ctx.verify_certificate()
        store.add_cert(pki["root"])
        ctx.verify_certificate()


class TestContextArguments:
    @pytest.mark.parametrize("bad", [[1], [None], "ab", [b"x"]])
    def test_chain_element_type(self, pki, bad):
        with pytest.raises(TypeError) as info:
            crypto.X509StoreContext(crypto.X509Store(), pki["leaf"], bad)
        assert str(info.value) == "One of the elements is not an X509 instance"

    def test_chain_with_cryptography_certificate(self, pki):
        with pytest.raises(TypeError):
            crypto.X509StoreContext(
                crypto.X509Store(), pki["leaf"], [pki["crypto"]["inter"]]
            )

    def test_chain_not_iterable(self, pki):
        with pytest.raises(TypeError):
            crypto.X509StoreContext(crypto.X509Store(), pki["leaf"], 5)

    def test_chain_iterator_raises(self, pki):
        def gen():
            yield pki["inter"]
            raise RuntimeError("boom")

        with pytest.raises(RuntimeError, match="boom"):
            crypto.X509StoreContext(crypto.X509Store(), pki["leaf"], gen())

    def test_store_and_certificate_checked_when_verifying(self, pki):
        # As 26.4: no check in __init__; the verification raises. 26.4
        # raises AttributeError there, so the class is both.
        for args in (("store", pki["leaf"]), (crypto.X509Store(), "cert"),
                     (crypto.X509Store(), None), (pki["leaf"], pki["leaf"])):
            ctx = crypto.X509StoreContext(*args)
            for method in (ctx.verify_certificate, ctx.get_verified_chain):
                with pytest.raises(TypeError) as info:
                    method()
                assert isinstance(info.value, AttributeError)
        ctx = crypto.X509StoreContext(crypto.X509Store(), pki["leaf"])
        ctx.set_store("not a store")
        with pytest.raises(AttributeError):
            ctx.verify_certificate()

    def test_cryptography_certificate_is_not_accepted(self, pki):
        ctx = crypto.X509StoreContext(
            store_with(pki["root"]), pki["crypto"]["direct"]
        )
        with pytest.raises(TypeError):
            ctx.verify_certificate()

    def test_argument_count(self, pki):
        with pytest.raises(TypeError):
            crypto.X509StoreContext()
        with pytest.raises(TypeError):
            crypto.X509StoreContext(crypto.X509Store())
        with pytest.raises(TypeError):
            crypto.X509StoreContext(crypto.X509Store(), pki["leaf"], None, 1)
        ctx = crypto.X509StoreContext(crypto.X509Store(), pki["leaf"])
        with pytest.raises(TypeError):
            ctx.verify_certificate(1)
        with pytest.raises(TypeError):
            ctx.set_store()

    def test_reinit(self, pki):
        ctx = crypto.X509StoreContext(crypto.X509Store(), pki["selfsigned"])
        ctx.__init__(store_with(pki["root"]), pki["leaf"], [pki["inter"]])
        ctx.verify_certificate()
        ctx.__init__(store_with(pki["root"]), pki["leaf"])
        with pytest.raises(crypto.X509StoreContextError):
            ctx.verify_certificate()


class TestCrl:
    def test_revoked(self, pki):
        root = (pki["root_key"], pki["crypto"]["root"])
        store = store_with(pki["root"])
        store.add_crl(make_crl(root, revoked_serials=[9]))
        store.set_flags(F.CRL_CHECK)
        e = verify_error(store, pki["direct"])
        assert e.errors == [CERT_REVOKED, 0, "certificate revoked"]
        assert e.certificate.get_serial_number() == 9
        # Another certificate of the same CA is not revoked.
        crypto.X509StoreContext(store, pki["direct2"]).verify_certificate()

    def test_flag_without_crl(self, pki):
        store = store_with(pki["root"])
        crypto.X509StoreContext(store, pki["direct"]).verify_certificate()
        store.set_flags(F.CRL_CHECK)
        e = verify_error(store, pki["direct"])
        assert e.errors == [
            UNABLE_TO_GET_CRL, 0, "unable to get certificate CRL"
        ]

    def test_crl_without_flag_is_ignored(self, pki):
        root = (pki["root_key"], pki["crypto"]["root"])
        store = store_with(pki["root"])
        store.add_crl(make_crl(root, revoked_serials=[9]))
        crypto.X509StoreContext(store, pki["direct"]).verify_certificate()

    def test_check_all(self, pki):
        root = (pki["root_key"], pki["crypto"]["root"])
        inter = (pki["inter_key"], pki["crypto"]["inter"])
        store = store_with(pki["root"])
        store.add_crl(make_crl(root))
        store.set_flags(F.CRL_CHECK)
        # CRL_CHECK checks the leaf only: its issuer (inter) has no CRL.
        e = verify_error(store, pki["leaf"], [pki["inter"]])
        assert e.errors[:2] == [UNABLE_TO_GET_CRL, 0]
        store.add_crl(make_crl(inter))
        store.set_flags(F.CRL_CHECK_ALL)
        crypto.X509StoreContext(
            store, pki["leaf"], [pki["inter"]]
        ).verify_certificate()

    def test_intermediate_revoked(self, pki):
        root = (pki["root_key"], pki["crypto"]["root"])
        inter = (pki["inter_key"], pki["crypto"]["inter"])
        store = store_with(pki["root"])
        store.add_crl(make_crl(root, revoked_serials=[2]))   # inter
        store.add_crl(make_crl(inter))
        store.set_flags(F.CRL_CHECK | F.CRL_CHECK_ALL)
        e = verify_error(store, pki["leaf"], [pki["inter"]])
        assert e.errors == [CERT_REVOKED, 1, "certificate revoked"]
        assert e.certificate.get_subject().CN == "inter"


# ---------------------------------------------------------------------------
# Memory: reference cycles and leaks
# ---------------------------------------------------------------------------


class TestGC:
    def test_context_store_cycle(self, pki):
        class Store(crypto.X509Store):
            pass

        def make():
            store = Store()
            ctx = crypto.X509StoreContext(store, pki["leaf"], [pki["inter"]])
            store.ctx = ctx
            return ctx

        assert_collected(make)

    def test_context_certificate_cycle(self, pki):
        # The certificate is not checked before verification, so any
        # object (here one referring back to the context) can sit there.
        def make():
            holder = []
            ctx = crypto.X509StoreContext(crypto.X509Store(), holder)
            holder.append(ctx)
            return ctx

        assert_collected(make)

    def test_context_self_cycle(self, pki):
        class Context(crypto.X509StoreContext):
            pass

        def make():
            ctx = Context(crypto.X509Store(), pki["leaf"], [pki["inter"]])
            ctx.me = ctx
            return ctx

        assert_collected(make)

    def test_store_subclass_cycle(self):
        class Store(crypto.X509Store):
            pass

        def make():
            store = Store()
            store.me = store
            return store

        assert_collected(make)

    def test_context_keeps_store_and_chain(self, pki):
        store = store_with(pki["root"])
        inter = crypto.X509.from_cryptography(pki["crypto"]["inter"])
        ctx = crypto.X509StoreContext(store, pki["leaf"], [inter])
        store_ref = weakref.ref(store)
        inter_ref = weakref.ref(inter)
        del store, inter
        gc.collect()
        assert store_ref() is not None
        # The chain is held as OpenSSL references, not Python objects.
        assert inter_ref() is None
        ctx.verify_certificate()

    def test_error_releases_everything(self, pki):
        class Context(crypto.X509StoreContext):
            pass

        def make():
            ctx = Context(crypto.X509Store(), pki["leaf"])
            try:
                ctx.verify_certificate()
            except crypto.X509StoreContextError as e:
                e.ctx = ctx
                ctx.error = e
            return ctx

        assert_collected(make)


class _CryptoCAPI(ctypes.Structure):
    """The layout of pyossl_crypto_capi (src/common/crypto_capi.h)."""

    _fields_ = [
        ("size", ctypes.c_size_t),
        ("version", ctypes.c_uint),
    ] + [
        (name, ctypes.c_void_p)
        for name in (
            "X509_Type", "X509Name_Type", "X509Store_Type", "PKey_Type",
            "Error", "x509_from_ptr", "x509_from_any",
            "x509_to_cryptography", "x509name_copy", "x509name_ptr",
            "x509name_to_cryptography", "pkey_from_ptr", "pkey_from_any",
            "x509store_from_ptr", "curve_nid", "owner_lock", "owner_unlock",
        )
    ]


class TestFromPtr:
    """crypto_x509store_from_ptr, reached through the C API capsule that
    OpenSSL.SSL uses for Context.get_cert_store()."""

    @pytest.fixture()
    def api(self):
        get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
        get_pointer.restype = ctypes.c_void_p
        get_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
        address = get_pointer(crypto._C_API, b"OpenSSL.crypto._C_API")
        api = _CryptoCAPI.from_address(address)
        assert api.size == ctypes.sizeof(_CryptoCAPI)
        return api

    @pytest.fixture()
    def libcrypto(self):
        lib = ctypes.CDLL("libcrypto.so.3")
        lib.X509_STORE_new.restype = ctypes.c_void_p
        lib.X509_STORE_new.argtypes = []
        lib.X509_STORE_free.restype = None
        lib.X509_STORE_free.argtypes = [ctypes.c_void_p]
        return lib

    def _wrap(self, api, store, owner):
        if owner is None:
            proto = ctypes.PYFUNCTYPE(
                ctypes.py_object, ctypes.c_void_p, ctypes.c_void_p,
                ctypes.c_void_p,
            )
        else:
            proto = ctypes.PYFUNCTYPE(
                ctypes.py_object, ctypes.c_void_p, ctypes.c_void_p,
                ctypes.py_object,
            )
        func = proto(api.x509store_from_ptr)
        return func(ctypes.addressof(api), store, owner)

    def test_wraps_with_its_own_reference(self, api, libcrypto, pki):
        raw = libcrypto.X509_STORE_new()
        assert raw
        wrapped = self._wrap(api, raw, None)
        libcrypto.X509_STORE_free(raw)   # ours; the wrapper keeps its own
        assert type(wrapped) is crypto.X509Store
        wrapped.add_cert(pki["root"])
        crypto.X509StoreContext(
            wrapped, pki["leaf"], [pki["inter"]]
        ).verify_certificate()

    def test_shares_the_store(self, api, libcrypto, pki):
        raw = libcrypto.X509_STORE_new()
        one = self._wrap(api, raw, None)
        two = self._wrap(api, raw, None)
        libcrypto.X509_STORE_free(raw)
        one.add_cert(pki["root"])
        crypto.X509StoreContext(
            two, pki["leaf"], [pki["inter"]]
        ).verify_certificate()

    def test_keeps_owner_alive(self, api, libcrypto):
        class Owner:
            pass

        owner = Owner()
        raw = libcrypto.X509_STORE_new()
        wrapped = self._wrap(api, raw, owner)
        libcrypto.X509_STORE_free(raw)
        ref = weakref.ref(owner)
        del owner
        gc.collect()
        assert ref() is not None
        del wrapped
        gc.collect()
        assert ref() is None

    def test_owner_cycle_collected(self, api, libcrypto):
        class Owner:
            pass

        def make():
            owner = Owner()
            raw = libcrypto.X509_STORE_new()
            owner.store = self._wrap(api, raw, owner)
            libcrypto.X509_STORE_free(raw)
            return owner.store

        assert_collected(make)


def _live_heap_bytes():
    """Bytes currently allocated with malloc (what OpenSSL uses): ASan's
    counter when it is loaded, else glibc's mallinfo2()."""
    libc = ctypes.CDLL(None)
    counter = getattr(libc, "__sanitizer_get_current_allocated_bytes", None)
    if counter is not None:
        counter.restype = ctypes.c_size_t
        return counter()

    class MallInfo2(ctypes.Structure):
        _fields_ = [
            (name, ctypes.c_size_t)
            for name in (
                "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                "fsmblks", "uordblks", "fordblks", "keepcost",
            )
        ]

    libc.mallinfo2.restype = MallInfo2
    info = libc.mallinfo2()
    return info.uordblks + info.hblkhd


@pytest.fixture(scope="module")
def small_pki():
    # RSA-1024 verifies fastest, which keeps 20000 runs quick.
    root_key = make_key("rsa")
    root = make_cert("root", root_key, ca=True)
    leaf = make_cert("leaf", make_key("rsa"), (root_key, root), serial=2)
    return X(root), X(leaf)


class TestNoLeak:
    """17.3.0's fix: repeated verifications do not grow memory."""

    def _growth(self, func, rounds):
        for _ in range(200):
            func()
        gc.collect()
        before = _live_heap_bytes()
        for _ in range(rounds):
            func()
        gc.collect()
        return _live_heap_bytes() - before

    def test_verify_certificate(self, small_pki):
        root, leaf = small_pki
        ctx = crypto.X509StoreContext(store_with(root), leaf, [root])
        growth = self._growth(ctx.verify_certificate, 10000)
        assert growth < 1_000_000, growth

    def test_get_verified_chain(self, small_pki):
        root, leaf = small_pki
        ctx = crypto.X509StoreContext(store_with(root), leaf)
        growth = self._growth(ctx.get_verified_chain, 5000)
        assert growth < 1_000_000, growth

    def test_failed_verification(self, small_pki):
        root, leaf = small_pki
        ctx = crypto.X509StoreContext(crypto.X509Store(), leaf, [root])

        def fail():
            try:
                ctx.verify_certificate()
            except crypto.X509StoreContextError:
                pass

        growth = self._growth(fail, 5000)
        assert growth < 1_000_000, growth

    def test_store_churn(self, small_pki, tmp_path):
        root, leaf = small_pki
        path = tmp_path / "ca.pem"
        path.write_bytes(crypto.dump_certificate(crypto.FILETYPE_PEM, root))

        def churn():
            store = crypto.X509Store()
            store.add_cert(root)
            store.load_locations(path)
            store.set_time(datetime.datetime(2030, 1, 1))
            crypto.X509StoreContext(store, leaf, [root, leaf])

        growth = self._growth(churn, 2000)
        assert growth < 1_000_000, growth
