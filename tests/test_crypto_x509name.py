"""
OpenSSL.crypto.X509Name (API.md 1.9.2, 3.2 rows 23 and 24, section 4:
CVE-2026-40475, 19.0.0 NUL components, LP#314814 error queue).
"""

import weakref

import pytest

from OpenSSL import crypto
from OpenSSL.crypto import FILETYPE_PEM, X509, Error, X509Name

from crypto_support import (
    NUL_BYTE_CERT_PEM,
    assert_queue_empty,
    cached_crypto_key,
    error_queue,
    self_signed,
)


def new_name(**fields):
    """An X509Name with the fields set in sorted-by-value order."""
    name = X509Name(X509().get_subject())
    for field, value in sorted(fields.items(), key=lambda item: item[1]):
        setattr(name, field, value)
    return name


def name_from_cryptography(*pairs):
    """
    The subject of a certificate made by cryptography with the given
    (oid, value) attributes, each in its own RDN, in order.
    """
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    key = cached_crypto_key("ec")
    subject = x509.Name([x509.NameAttribute(oid, value)
                         for oid, value in pairs])
    now = datetime.datetime(2020, 1, 1)
    ccert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return X509.from_cryptography(ccert).get_subject()


# -------------------------------------------------------------------------
# Construction and object model
# -------------------------------------------------------------------------


class TestConstruction:
    def test_copy(self):
        name = new_name(commonName="foo", emailAddress="bar@example.com")
        copy = X509Name(name)
        assert isinstance(copy, X509Name)
        assert copy.commonName == "foo"
        assert copy.emailAddress == "bar@example.com"
        copy.commonName = "baz"
        assert name.commonName == "foo"
        name.emailAddress = "quux@example.com"
        assert copy.emailAddress == "bar@example.com"

    def test_copy_of_view_is_independent(self):
        cert = X509()
        cert.get_subject().CN = "cert"
        copy = X509Name(cert.get_subject())
        copy.CN = "copy"
        assert cert.get_subject().CN == "cert"

    def test_keyword(self):
        name = new_name(CN="kw")
        assert X509Name(name=name).CN == "kw"

    def test_missing_argument(self):
        with pytest.raises(TypeError):
            X509Name()
        with pytest.raises(TypeError):
            X509Name(new_name(), new_name())

    @pytest.mark.parametrize("bad", [None, 1, "CN=foo", b"", X509()])
    def test_wrong_type(self, bad):
        # 0.13 raised TypeError, 23/26 AttributeError (3.2 row 24).
        with pytest.raises(TypeError):
            X509Name(bad)
        with pytest.raises(AttributeError):
            X509Name(bad)

    def test_identity(self):
        assert X509Name.__module__ == "OpenSSL.crypto"
        assert X509Name.__name__ == "X509Name"
        assert crypto.X509NameType is X509Name

    def test_weakref(self):
        name = new_name()
        ref = weakref.ref(name)
        del name
        assert ref() is None

    def test_underscore_attributes_are_plain_attributes(self):
        name = new_name()
        name._label = "x"
        assert name._label == "x"
        assert name.__dict__ == {"_label": "x"}
        del name._label
        with pytest.raises(AttributeError):
            name._label

    def test_subclass(self):
        class MyName(X509Name):
            def __init__(self, label, name):
                super().__init__(name)
                self._label = label

            def describe(self):
                return "%s:%s" % (self._label, self.CN)

        sub = MyName("x", new_name(CN="sub"))
        assert sub.describe() == "x:sub"
        # As in pyOpenSSL, other names go through X509Name.__setattr__,
        # which only knows fields and '_' names.
        with pytest.raises(AttributeError, match="No such attribute"):
            sub.label = "y"
        sub.CN = "changed"
        assert sub.get_components() == [(b"CN", b"changed")]
        assert weakref.ref(sub)() is sub
        assert sub == new_name(CN="changed")

    def test_reinit_makes_a_copy(self):
        cert = X509()
        view = cert.get_subject()
        view.CN = "cert"
        view.__init__(new_name(CN="other"))
        assert view.CN == "other"
        assert cert.get_subject().CN == "cert"

    def test_new_without_init(self):
        name = X509Name.__new__(X509Name)
        with pytest.raises(AttributeError):
            name.CN
        with pytest.raises(AttributeError):
            name.get_components()


# -------------------------------------------------------------------------
# Reading and writing fields
# -------------------------------------------------------------------------


class TestFields:
    def test_short_and_long_names_are_aliases(self):
        name = new_name()
        name.commonName = "foo"
        assert name.commonName == "foo"
        assert name.CN == "foo"
        name.CN = "bar"
        assert name.commonName == "bar"
        assert name.get_components() == [(b"CN", b"bar")]

    @pytest.mark.parametrize(
        "short, long",
        [("C", "countryName"), ("ST", "stateOrProvinceName"),
         ("L", "localityName"), ("O", "organizationName"),
         ("OU", "organizationalUnitName"), ("CN", "commonName")],
    )
    def test_standard_fields(self, short, long):
        name = new_name()
        value = "US" if short == "C" else "value of " + short
        setattr(name, long, value)
        assert getattr(name, short) == value
        assert name.get_components() == [(short.encode(), value.encode())]

    def test_email_address(self):
        name = new_name()
        name.emailAddress = "a@example.com"
        assert name.emailAddress == "a@example.com"
        assert name.get_components() == [(b"emailAddress",
                                          b"a@example.com")]

    def test_dotted_oid(self):
        name = new_name()
        setattr(name, "2.5.4.3", "by oid")
        assert name.CN == "by oid"
        assert getattr(name, "2.5.4.10") is None
        name.O = "org"
        assert getattr(name, "2.5.4.10") == "org"

    def test_other_openssl_names(self):
        name = new_name()
        name.UID = "uid"
        name.serialNumber = "1234"
        name.DC = "example"
        assert name.get_components() == [
            (b"UID", b"uid"), (b"serialNumber", b"1234"), (b"DC", b"example")
        ]

    def test_absent_field_is_none(self):
        name = new_name(CN="x")
        assert name.OU is None
        assert name.organizationalUnitName is None
        assert name.emailAddress is None

    @pytest.mark.parametrize("attr", ["foobar", "no such thing", "CN\x00x",
                                      "1.2.3.4.5.6.7.8.9", "__nonexistent__"])
    def test_unknown_field_read(self, attr):
        name = new_name()
        with pytest.raises(AttributeError) as info:
            getattr(name, attr)
        assert info.value.args == ("No such attribute",)
        assert_queue_empty()

    @pytest.mark.parametrize("attr", ["foobar", "no such thing", "CN\x00x"])
    def test_unknown_field_write(self, attr):
        name = new_name()
        with pytest.raises(AttributeError) as info:
            setattr(name, attr, "x")
        assert info.value.args == ("No such attribute",)
        assert name.get_components() == []
        assert_queue_empty()

    def test_methods_win_over_fields(self):
        name = new_name(CN="x")
        assert callable(name.hash)
        assert callable(name.der)
        assert callable(name.get_components)

    def test_non_str_attribute_name(self):
        name = new_name()
        with pytest.raises(TypeError):
            setattr(name, None, "hello")
        with pytest.raises(TypeError):
            setattr(name, 30, "hello")

    def test_str_subclass_attribute_name(self):
        class S(str):
            pass

        name = new_name()
        with pytest.raises(TypeError):
            name.__setattr__(S("CN"), "x")

    def test_bytes_value(self):
        name = new_name()
        name.CN = b"bytes value"
        assert name.CN == "bytes value"
        assert name.get_components() == [(b"CN", b"bytes value")]

    def test_non_ascii(self):
        name = new_name()
        name.CN = "h\u00e9llo \u2603"
        assert name.CN == "h\u00e9llo \u2603"
        assert name.get_components() == [
            (b"CN", "h\u00e9llo \u2603".encode("utf-8"))
        ]
        name.O = "\u00e9".encode("utf-8")
        assert name.O == "\u00e9"

    @pytest.mark.parametrize("bad", [None, 1, 1.5, ["x"], bytearray(b"x"),
                                     object()])
    def test_wrong_value_type(self, bad):
        name = new_name(CN="keep")
        with pytest.raises(TypeError):
            name.CN = bad
        assert name.get_components() == [(b"CN", b"keep")]
        assert_queue_empty()

    def test_replaces_first_entry_only(self):
        from cryptography.x509.oid import NameOID

        name = name_from_cryptography(
            (NameOID.COMMON_NAME, "first"), (NameOID.ORGANIZATION_NAME, "o"),
            (NameOID.COMMON_NAME, "second"),
        )
        assert name.CN == "first"
        name.CN = "new"
        assert name.get_components() == [
            (b"O", b"o"), (b"CN", b"second"), (b"CN", b"new")
        ]
        assert name.CN == "second"

    def test_rejected_value_keeps_old_entry(self):
        # pyOpenSSL deletes the old entry before adding the new one, so a
        # refused value loses it; here the name is left as it was.
        name = new_name(CN="keep", O="org")
        with pytest.raises(Error) as info:
            name.CN = b"\xff\xfe not utf-8"
        assert info.value.args[0]
        assert name.get_components() == [(b"CN", b"keep"), (b"O", b"org")]
        assert_queue_empty()
        with pytest.raises(Error):
            name.O = "x" * 65      # ub-organization-name is 64
        with pytest.raises(Error):
            name.C = "USA"         # countryName is two letters
        assert name.get_components() == [(b"CN", b"keep"), (b"O", b"org")]
        assert_queue_empty()

    def test_too_long(self):
        name = new_name()
        with pytest.raises(Error):
            name.O = b"x" * 512
        assert_queue_empty()

    def test_delete_field(self):
        name = new_name(CN="x")
        with pytest.raises(AttributeError):
            del name.CN
        assert name.CN == "x"


class TestNulBytes:
    """CVE-2026-40475 and the 19.0.0 get_components fix."""

    @pytest.mark.parametrize("value", ["a\x00b", b"a\x00b", "\x00", "x\x00"])
    def test_value_keeps_full_length(self, value):
        name = new_name()
        name.CN = value
        text = value.decode() if isinstance(value, bytes) else value
        raw = text.encode()
        assert name.CN == text
        assert name.get_components() == [(b"CN", raw)]
        der = name.der()
        assert raw in der
        # the DER holds a UTF8String (tag 0x0c) of the full length
        assert bytes([0x0C, len(raw)]) + raw in der

    def test_copy_and_view_keep_nul(self):
        cert = self_signed(cn="good.example\x00.evil")
        assert X509Name(cert.get_subject()).CN == "good.example\x00.evil"
        der = crypto.dump_certificate(crypto.FILETYPE_ASN1, cert)
        again = crypto.load_certificate(crypto.FILETYPE_ASN1, der)
        assert again.get_subject().CN == "good.example\x00.evil"

    def test_loaded_certificate(self):
        cert = crypto.load_certificate(FILETYPE_PEM, NUL_BYTE_CERT_PEM)
        subject = cert.get_subject()
        assert subject.commonName == "null.python.org\x00example.org"
        ccn = [v for k, v in subject.get_components() if k == b"CN"]
        assert ccn == [b"null.python.org\x00example.org"]

    def test_repr_escapes_nul(self):
        name = new_name(CN="a\x00b")
        assert repr(name) == "<X509Name object '/CN=a\\x00b'>"


# -------------------------------------------------------------------------
# Comparison, hashing, representation
# -------------------------------------------------------------------------


class TestComparison:
    def assert_equal(self, a, b):
        assert a == b
        assert not a != b
        assert b == a
        assert not b != a
        assert a <= b and a >= b
        assert not a < b and not a > b

    def assert_less(self, a, b):
        assert a < b and a <= b and b > a and b >= a
        assert not a > b and not a >= b and not b < a and not b <= a
        assert a != b

    def test_equal(self):
        name = new_name()
        self.assert_equal(name, name)
        self.assert_equal(new_name(), new_name())
        self.assert_equal(new_name(commonName="foo"), new_name(CN="foo"))
        self.assert_equal(new_name(CN="foo", organizationalUnitName="bar"),
                          new_name(commonName="foo", OU="bar"))

    def test_not_equal(self):
        assert new_name(CN="foo") != new_name(CN="bar")
        assert new_name(CN="foo") != new_name(OU="foo")

    def test_ordering(self):
        self.assert_less(new_name(CN="abc"), new_name(CN="def"))

    def test_view_and_copy_compare(self):
        cert = X509()
        cert.get_subject().CN = "same"
        self.assert_equal(cert.get_subject(), new_name(CN="same"))

    @pytest.mark.parametrize("other", [object(), None, 1, "CN=foo"])
    def test_other_types(self, other):
        name = new_name()
        assert (name == other) is False
        assert (name != other) is True
        assert (other == name) is False
        for op in ["__lt__", "__le__", "__gt__", "__ge__"]:
            assert getattr(name, op)(other) is NotImplemented
        with pytest.raises(TypeError):
            name < other
        with pytest.raises(TypeError):
            name >= other

    def test_unhashable(self):
        assert X509Name.__hash__ is None
        with pytest.raises(TypeError):
            hash(new_name())
        with pytest.raises(TypeError):
            {new_name()}


class TestMethods:
    def test_repr(self):
        name = new_name(commonName="foo", emailAddress="bar")
        assert repr(name) == "<X509Name object '/emailAddress=bar/CN=foo'>"
        assert repr(new_name()) == "<X509Name object ''>"

    def test_hash_method(self):
        a = new_name(CN="foo")
        b = new_name(CN="foo")
        assert type(a.hash()) is int
        assert 0 <= a.hash() < 2**32
        assert a.hash() == b.hash()
        a.CN = "bar"
        assert a.hash() != b.hash()

    def test_hash_matches_subject_name_hash(self):
        cert = X509()
        cert.get_subject().CN = "hashed"
        assert cert.get_subject().hash() == cert.subject_name_hash()

    def test_der(self):
        name = new_name(CN="foo", C="US")
        assert name.der() == (
            b"0\x1b1\x0b0\t\x06\x03U\x04\x06\x13\x02US"
            b"1\x0c0\n\x06\x03U\x04\x03\x0c\x03foo"
        )
        assert new_name().der() == b"0\x00"

    def test_der_round_trips_through_cryptography(self):
        from cryptography import x509

        name = new_name(CN="foo", O="bar", emailAddress="a@b")
        if hasattr(x509.Name, "from_bytes"):
            assert x509.Name.from_bytes(name.der()).rfc4514_string()

    def test_get_components(self):
        name = new_name()
        assert name.get_components() == []
        name.CN = "foo"
        assert name.get_components() == [(b"CN", b"foo")]
        name.organizationalUnitName = "bar"
        components = name.get_components()
        assert components == [(b"CN", b"foo"), (b"OU", b"bar")]
        assert type(components) is list
        assert all(type(k) is bytes and type(v) is bytes
                   for k, v in components)

    def test_unknown_oid_component(self):
        from cryptography import x509

        name = name_from_cryptography(
            (x509.ObjectIdentifier("1.2.3.4.5.6.7"), "custom")
        )
        assert name.get_components() == [(b"UNDEF", b"custom")]


def test_error_queue_stays_empty():
    """LP#314814: attribute access leaves no stale OpenSSL errors."""
    name = new_name(CN="x")
    name.CN
    name.OU
    for attr in ["nonsense", "1.2.3.4.5.6.7.8", "CN\x00"]:
        with pytest.raises(AttributeError):
            getattr(name, attr)
        with pytest.raises(AttributeError):
            setattr(name, attr, "v")
    assert error_queue() == []
    with pytest.raises(Error):
        name.C = "too long"
    assert error_queue() == []
