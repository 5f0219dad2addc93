"""
OpenSSL.SSL at module level (API.md 1.3, 1.4, 2.1, 3.1 rules 1 and 5, 3.3):
constants and their values, the legacy names, exceptions, the version
functions, __all__ and star-import, the *Type aliases, the crypto
re-exports, type names, subclassing and weak references.

The values of the constants taken from OpenSSL are those of OpenSSL 3.0,
as pyOpenSSL 23.0.0 reports them on this system.
"""

import gc
import subprocess
import sys
import weakref

import pytest

from OpenSSL import SSL, crypto

# ---------------------------------------------------------------------------
# Constants
# ---------------------------------------------------------------------------

METHODS = {
    "SSLv2_METHOD": 1,
    "SSLv3_METHOD": 2,
    "SSLv23_METHOD": 3,
    "TLSv1_METHOD": 4,
    "TLSv1_1_METHOD": 5,
    "TLSv1_2_METHOD": 6,
    "TLS_METHOD": 7,
    "TLS_SERVER_METHOD": 8,
    "TLS_CLIENT_METHOD": 9,
    "DTLS_METHOD": 10,
    "DTLS_SERVER_METHOD": 11,
    "DTLS_CLIENT_METHOD": 12,
}

PROTOCOL_VERSIONS = {
    "SSL3_VERSION": 0x300,
    "TLS1_VERSION": 0x301,
    "TLS1_1_VERSION": 0x302,
    "TLS1_2_VERSION": 0x303,
    "TLS1_3_VERSION": 0x304,
}

VERIFY = {
    "VERIFY_NONE": 0,
    "VERIFY_PEER": 1,
    "VERIFY_FAIL_IF_NO_PEER_CERT": 2,
    "VERIFY_CLIENT_ONCE": 4,
}

OPTIONS = {
    "OP_SINGLE_DH_USE": 0,
    "OP_SINGLE_ECDH_USE": 0,
    "OP_EPHEMERAL_RSA": 0,
    "OP_NO_SSLv2": 0,
    "OP_NO_SSLv3": 0x2000000,
    "OP_NO_TLSv1": 0x4000000,
    "OP_NO_TLSv1_1": 0x10000000,
    "OP_NO_TLSv1_2": 0x8000000,
    "OP_NO_TLSv1_3": 0x20000000,
    "OP_MICROSOFT_SESS_ID_BUG": 0,
    "OP_NETSCAPE_CHALLENGE_BUG": 0,
    "OP_NETSCAPE_REUSE_CIPHER_CHANGE_BUG": 0,
    "OP_SSLREF2_REUSE_CERT_TYPE_BUG": 0,
    "OP_MICROSOFT_BIG_SSLV3_BUFFER": 0,
    "OP_MSIE_SSLV2_RSA_PADDING": 0,
    "OP_SSLEAY_080_CLIENT_DH_BUG": 0,
    "OP_TLS_D5_BUG": 0,
    "OP_TLS_BLOCK_PADDING_BUG": 0,
    "OP_DONT_INSERT_EMPTY_FRAGMENTS": 0x800,
    "OP_ALL": 0x80000850,
    "OP_CIPHER_SERVER_PREFERENCE": 0x400000,
    "OP_TLS_ROLLBACK_BUG": 0x800000,
    "OP_PKCS1_CHECK_1": 0,
    "OP_PKCS1_CHECK_2": 0,
    "OP_NETSCAPE_CA_DN_BUG": 0,
    "OP_NETSCAPE_DEMO_CIPHER_CHANGE_BUG": 0,
    "OP_NO_COMPRESSION": 0x20000,
    "OP_NO_QUERY_MTU": 0x1000,
    "OP_COOKIE_EXCHANGE": 0x2000,
    "OP_NO_TICKET": 0x4000,
    "OP_NO_RENEGOTIATION": 0x40000000,
    "OP_IGNORE_UNEXPECTED_EOF": 0x80,
    "OP_LEGACY_SERVER_CONNECT": 0x4,
}

OTHER_CONSTANTS = {
    "MODE_RELEASE_BUFFERS": 0x10,
    "SENT_SHUTDOWN": 1,
    "RECEIVED_SHUTDOWN": 2,
    "SESS_CACHE_OFF": 0,
    "SESS_CACHE_CLIENT": 1,
    "SESS_CACHE_SERVER": 2,
    "SESS_CACHE_BOTH": 3,
    "SESS_CACHE_NO_AUTO_CLEAR": 0x80,
    "SESS_CACHE_NO_INTERNAL_LOOKUP": 0x100,
    "SESS_CACHE_NO_INTERNAL_STORE": 0x200,
    "SESS_CACHE_NO_INTERNAL": 0x300,
    "SSL_ST_CONNECT": 0x1000,
    "SSL_ST_ACCEPT": 0x2000,
    "SSL_ST_MASK": 0x0FFF,
    # OpenSSL 1.0's values, hard-coded (API.md 3.3).
    "SSL_ST_INIT": 0x3000,
    "SSL_ST_BEFORE": 0x4000,
    "SSL_ST_OK": 0x03,
    "SSL_ST_RENEGOTIATE": 0x3004,
    "SSL_CB_LOOP": 0x01,
    "SSL_CB_EXIT": 0x02,
    "SSL_CB_READ": 0x04,
    "SSL_CB_WRITE": 0x08,
    "SSL_CB_ALERT": 0x4000,
    "SSL_CB_READ_ALERT": 0x4004,
    "SSL_CB_WRITE_ALERT": 0x4008,
    "SSL_CB_ACCEPT_LOOP": 0x2001,
    "SSL_CB_ACCEPT_EXIT": 0x2002,
    "SSL_CB_CONNECT_LOOP": 0x1001,
    "SSL_CB_CONNECT_EXIT": 0x1002,
    "SSL_CB_HANDSHAKE_START": 0x10,
    "SSL_CB_HANDSHAKE_DONE": 0x20,
    "OPENSSL_VERSION": 0,
    "OPENSSL_CFLAGS": 1,
    "OPENSSL_BUILT_ON": 2,
    "OPENSSL_PLATFORM": 3,
    "OPENSSL_DIR": 4,
    "SSLEAY_VERSION": 0,
    "SSLEAY_CFLAGS": 1,
    "SSLEAY_BUILT_ON": 2,
    "SSLEAY_PLATFORM": 3,
    "SSLEAY_DIR": 4,
    "FILETYPE_PEM": 1,
    "FILETYPE_ASN1": 2,
}

ALL_CONSTANTS = {
    **METHODS, **PROTOCOL_VERSIONS, **VERIFY, **OPTIONS, **OTHER_CONSTANTS
}


@pytest.mark.parametrize("name,value", sorted(ALL_CONSTANTS.items()))
def test_constant_value(name, value):
    constant = getattr(SSL, name)
    assert type(constant) is int
    assert constant == value


def test_filetypes_match_crypto():
    assert SSL.FILETYPE_PEM == crypto.FILETYPE_PEM
    assert SSL.FILETYPE_ASN1 == crypto.FILETYPE_ASN1


def test_openssl_version_number():
    number = SSL.OPENSSL_VERSION_NUMBER
    assert type(number) is int
    assert 0x30000000 <= number < 0x40000000
    # requests formats it with :x
    assert format(number, "x").startswith("3")
    major = (number >> 28) & 0xF
    minor = (number >> 20) & 0xFF
    text = SSL.OpenSSL_version(SSL.OPENSSL_VERSION)
    assert text.startswith(b"OpenSSL %d.%d." % (major, minor))


@pytest.mark.parametrize("name", ["SSLv2_METHOD", "SSLv3_METHOD"])
def test_removed_protocols_raise(name):
    with pytest.raises(ValueError) as info:
        SSL.Context(getattr(SSL, name))
    assert info.value.args == ("No such protocol",)


@pytest.mark.parametrize("value", [0, 13, -1, 2**31, 2**70])
def test_unknown_method_raises(value):
    with pytest.raises((ValueError, OverflowError)) as info:
        SSL.Context(value)
    if info.type is ValueError:
        assert info.value.args == ("No such protocol",)


@pytest.mark.parametrize(
    "name", sorted(set(METHODS) - {"SSLv2_METHOD", "SSLv3_METHOD"})
)
def test_every_method_makes_a_context(name):
    ctx = SSL.Context(getattr(SSL, name))
    assert isinstance(ctx, SSL.Context)
    # keyword, as in all versions
    SSL.Context(method=getattr(SSL, name))


# ---------------------------------------------------------------------------
# Version information
# ---------------------------------------------------------------------------


def test_openssl_version_is_sslleay_version():
    assert SSL.SSLeay_version is SSL.OpenSSL_version


@pytest.mark.parametrize(
    "name",
    ["SSLEAY_VERSION", "SSLEAY_CFLAGS", "SSLEAY_BUILT_ON", "SSLEAY_PLATFORM",
     "SSLEAY_DIR", "OPENSSL_VERSION", "OPENSSL_CFLAGS", "OPENSSL_BUILT_ON",
     "OPENSSL_PLATFORM", "OPENSSL_DIR"],
)
def test_version_strings_are_bytes(name):
    value = SSL.SSLeay_version(getattr(SSL, name))
    assert type(value) is bytes
    assert value
    assert SSL.OpenSSL_version(type=getattr(SSL, name)) == value


def test_version_text():
    assert SSL.SSLeay_version(SSL.SSLEAY_VERSION).startswith(b"OpenSSL 3.")
    assert SSL.SSLeay_version(SSL.SSLEAY_DIR).startswith(b"OPENSSLDIR: ")


@pytest.mark.parametrize("bad", [None, "0", 0.0, b"0"])
def test_version_type_must_be_int(bad):
    with pytest.raises(TypeError):
        SSL.SSLeay_version(bad)


def test_version_out_of_range():
    with pytest.raises(OverflowError):
        SSL.OpenSSL_version(2**70)
    # an unknown selector is OpenSSL's business: it answers "not available"
    assert type(SSL.OpenSSL_version(12345)) is bytes


# ---------------------------------------------------------------------------
# Exceptions (API.md 1.3, 2.1)
# ---------------------------------------------------------------------------

SUBCLASSES = [
    "ZeroReturnError",
    "WantReadError",
    "WantWriteError",
    "WantX509LookupError",
    "SysCallError",
]


def test_error_is_an_exception():
    assert issubclass(SSL.Error, Exception)
    assert SSL.Error.__bases__ == (Exception,)
    assert SSL.Error is not crypto.Error


@pytest.mark.parametrize("name", SUBCLASSES)
def test_error_subclasses(name):
    cls = getattr(SSL, name)
    assert cls.__bases__ == (SSL.Error,)
    assert cls.__module__ == "OpenSSL.SSL"
    assert cls.__name__ == name


def test_exceptions_can_be_raised_and_subclassed():
    class Mine(SSL.WantReadError):
        pass

    with pytest.raises(SSL.Error):
        raise Mine()
    e = SSL.SysCallError(-1, "Unexpected EOF")
    assert e.args == (-1, "Unexpected EOF")
    assert SSL.Error([]).args == ([],)


def test_error_args_from_queue():
    with pytest.raises(SSL.Error) as info:
        SSL.Context(SSL.TLS_METHOD).set_cipher_list(b"imaginary-cipher")
    assert type(info.value) is SSL.Error
    (errors,) = info.value.args
    assert type(errors) is list
    assert errors == [("SSL routines", "", "no cipher match")]
    for triple in errors:
        assert type(triple) is tuple
        assert all(type(part) is str for part in triple)


def test_want_read_has_no_args():
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    with pytest.raises(SSL.WantReadError) as info:
        conn.bio_read(1024)
    assert type(info.value) is SSL.WantReadError
    assert info.value.args == ()


# ---------------------------------------------------------------------------
# __all__, star-import, aliases, re-exports
# ---------------------------------------------------------------------------

# pyOpenSSL 23.0.0's and 26.4.0's SSL.__all__, as the releases have them.
ALL_23 = {
    "Connection", "Context", "DTLS_CLIENT_METHOD", "DTLS_METHOD",
    "DTLS_SERVER_METHOD", "Error", "MODE_RELEASE_BUFFERS",
    "NO_OVERLAPPING_PROTOCOLS", "OPENSSL_BUILT_ON", "OPENSSL_CFLAGS",
    "OPENSSL_DIR", "OPENSSL_PLATFORM", "OPENSSL_VERSION",
    "OPENSSL_VERSION_NUMBER", "OP_ALL", "OP_CIPHER_SERVER_PREFERENCE",
    "OP_COOKIE_EXCHANGE", "OP_DONT_INSERT_EMPTY_FRAGMENTS",
    "OP_EPHEMERAL_RSA", "OP_IGNORE_UNEXPECTED_EOF",
    "OP_MICROSOFT_BIG_SSLV3_BUFFER", "OP_MICROSOFT_SESS_ID_BUG",
    "OP_MSIE_SSLV2_RSA_PADDING", "OP_NETSCAPE_CA_DN_BUG",
    "OP_NETSCAPE_CHALLENGE_BUG", "OP_NETSCAPE_DEMO_CIPHER_CHANGE_BUG",
    "OP_NETSCAPE_REUSE_CIPHER_CHANGE_BUG", "OP_NO_COMPRESSION",
    "OP_NO_QUERY_MTU", "OP_NO_RENEGOTIATION", "OP_NO_SSLv2", "OP_NO_SSLv3",
    "OP_NO_TICKET", "OP_NO_TLSv1", "OP_NO_TLSv1_1", "OP_NO_TLSv1_2",
    "OP_NO_TLSv1_3", "OP_PKCS1_CHECK_1", "OP_PKCS1_CHECK_2",
    "OP_SINGLE_DH_USE", "OP_SINGLE_ECDH_USE", "OP_SSLEAY_080_CLIENT_DH_BUG",
    "OP_SSLREF2_REUSE_CERT_TYPE_BUG", "OP_TLS_BLOCK_PADDING_BUG",
    "OP_TLS_D5_BUG", "OP_TLS_ROLLBACK_BUG", "RECEIVED_SHUTDOWN",
    "SENT_SHUTDOWN", "SESS_CACHE_BOTH", "SESS_CACHE_CLIENT",
    "SESS_CACHE_NO_AUTO_CLEAR", "SESS_CACHE_NO_INTERNAL",
    "SESS_CACHE_NO_INTERNAL_LOOKUP", "SESS_CACHE_NO_INTERNAL_STORE",
    "SESS_CACHE_OFF", "SESS_CACHE_SERVER", "SSL3_VERSION",
    "SSLEAY_BUILT_ON", "SSLEAY_CFLAGS", "SSLEAY_DIR", "SSLEAY_PLATFORM",
    "SSLEAY_VERSION", "SSL_CB_ACCEPT_EXIT", "SSL_CB_ACCEPT_LOOP",
    "SSL_CB_ALERT", "SSL_CB_CONNECT_EXIT", "SSL_CB_CONNECT_LOOP",
    "SSL_CB_EXIT", "SSL_CB_HANDSHAKE_DONE", "SSL_CB_HANDSHAKE_START",
    "SSL_CB_LOOP", "SSL_CB_READ", "SSL_CB_READ_ALERT", "SSL_CB_WRITE",
    "SSL_CB_WRITE_ALERT", "SSL_ST_ACCEPT", "SSL_ST_CONNECT", "SSL_ST_MASK",
    "SSLeay_version", "SSLv23_METHOD", "Session", "SysCallError",
    "TLS1_1_VERSION", "TLS1_2_VERSION", "TLS1_3_VERSION", "TLS1_VERSION",
    "TLS_CLIENT_METHOD", "TLS_METHOD", "TLS_SERVER_METHOD",
    "TLSv1_1_METHOD", "TLSv1_2_METHOD", "TLSv1_METHOD",
    "VERIFY_CLIENT_ONCE", "VERIFY_FAIL_IF_NO_PEER_CERT", "VERIFY_NONE",
    "VERIFY_PEER", "WantReadError", "WantWriteError",
    "WantX509LookupError", "ZeroReturnError",
}
ALL_26 = ALL_23 | {"OP_LEGACY_SERVER_CONNECT", "X509VerificationCodes"}

# Every public name of 0.13's module (it had no __all__, so star-import
# gave all of them), but _C_API, which is Python 2 only (API.md 3.3).
NAMES_013 = {
    "SSLeay_version", "Error", "ZeroReturnError", "WantReadError",
    "WantWriteError", "WantX509LookupError", "SysCallError", "Context",
    "ContextType", "Connection", "ConnectionType", "FILETYPE_PEM",
    "FILETYPE_ASN1", "SSLv2_METHOD", "SSLv3_METHOD", "SSLv23_METHOD",
    "TLSv1_METHOD", "VERIFY_NONE", "VERIFY_PEER",
    "VERIFY_FAIL_IF_NO_PEER_CERT", "VERIFY_CLIENT_ONCE", "OP_SINGLE_DH_USE",
    "OP_EPHEMERAL_RSA", "OP_NO_SSLv2", "OP_NO_SSLv3", "OP_NO_TLSv1",
    "OP_MICROSOFT_SESS_ID_BUG", "OP_NETSCAPE_CHALLENGE_BUG",
    "OP_NETSCAPE_REUSE_CIPHER_CHANGE_BUG", "OP_SSLREF2_REUSE_CERT_TYPE_BUG",
    "OP_MICROSOFT_BIG_SSLV3_BUFFER", "OP_MSIE_SSLV2_RSA_PADDING",
    "OP_SSLEAY_080_CLIENT_DH_BUG", "OP_TLS_D5_BUG",
    "OP_TLS_BLOCK_PADDING_BUG", "OP_DONT_INSERT_EMPTY_FRAGMENTS", "OP_ALL",
    "OP_CIPHER_SERVER_PREFERENCE", "OP_TLS_ROLLBACK_BUG",
    "OP_PKCS1_CHECK_1", "OP_PKCS1_CHECK_2", "OP_NETSCAPE_CA_DN_BUG",
    "OP_NETSCAPE_DEMO_CIPHER_CHANGE_BUG", "OP_NO_QUERY_MTU",
    "OP_COOKIE_EXCHANGE", "OP_NO_TICKET", "SENT_SHUTDOWN",
    "RECEIVED_SHUTDOWN", "SSL_ST_CONNECT", "SSL_ST_ACCEPT", "SSL_ST_MASK",
    "SSL_ST_INIT", "SSL_ST_BEFORE", "SSL_ST_OK", "SSL_ST_RENEGOTIATE",
    "SSL_CB_LOOP", "SSL_CB_EXIT", "SSL_CB_READ", "SSL_CB_WRITE",
    "SSL_CB_ALERT", "SSL_CB_READ_ALERT", "SSL_CB_WRITE_ALERT",
    "SSL_CB_ACCEPT_LOOP", "SSL_CB_ACCEPT_EXIT", "SSL_CB_CONNECT_LOOP",
    "SSL_CB_CONNECT_EXIT", "SSL_CB_HANDSHAKE_START",
    "SSL_CB_HANDSHAKE_DONE", "SSLEAY_VERSION", "SSLEAY_CFLAGS",
    "SSLEAY_BUILT_ON", "SSLEAY_PLATFORM", "SSLEAY_DIR",
    "OPENSSL_VERSION_NUMBER",
}


def test_all_is_the_union():
    assert set(SSL.__all__) == ALL_23 | ALL_26 | NAMES_013
    assert len(SSL.__all__) == len(set(SSL.__all__))
    assert all(type(name) is str for name in SSL.__all__)


def test_every_name_in_all_exists():
    for name in SSL.__all__:
        assert hasattr(SSL, name), name


def test_star_import():
    namespace = {}
    exec("from OpenSSL.SSL import *", namespace)
    for name in ALL_23 | ALL_26 | NAMES_013:
        assert namespace[name] is getattr(SSL, name)
    # OpenSSL_version is public but not in __all__ (as in 23 and 26).
    assert "OpenSSL_version" not in namespace


def test_star_import_in_a_fresh_interpreter():
    code = (
        "from OpenSSL.SSL import *\n"
        "assert Context(TLSv1_METHOD)\n"
        "assert Connection(Context(SSLv23_METHOD), None)\n"
        "assert ContextType is Context and ConnectionType is Connection\n"
        "assert SSL_ST_OK == 3 and FILETYPE_ASN1 == 2\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_type_aliases():
    assert SSL.ContextType is SSL.Context
    assert SSL.ConnectionType is SSL.Connection


@pytest.mark.parametrize("name", ["X509", "X509Name", "X509Store", "PKey"])
def test_crypto_reexports(name):
    assert getattr(SSL, name) is getattr(crypto, name)


def test_no_overlapping_protocols_is_a_sentinel():
    sentinel = SSL.NO_OVERLAPPING_PROTOCOLS
    assert sentinel is SSL.NO_OVERLAPPING_PROTOCOLS
    assert sentinel is not None
    assert sentinel != b""


def test_no_npn_names():
    # Twisted probes these and expects them to be absent (DOWNSTREAM 2).
    for name in ("set_npn_advertise_callback", "set_npn_select_callback"):
        assert not hasattr(SSL.Context, name)
    assert not hasattr(SSL.Connection, "get_next_proto_negotiated")


# ---------------------------------------------------------------------------
# Type names, subclassing, weak references (API.md 3.1 rule 5)
# ---------------------------------------------------------------------------

TYPES = ["Context", "Connection", "Session"]


@pytest.mark.parametrize("name", TYPES + ["Error"] + SUBCLASSES)
def test_module_and_name(name):
    cls = getattr(SSL, name)
    assert cls.__module__ == "OpenSSL.SSL"
    assert cls.__name__ == name
    assert cls.__qualname__ == name


def test_reprs_show_the_dotted_name():
    ctx = SSL.Context(SSL.TLS_METHOD)
    assert repr(ctx).startswith("<OpenSSL.SSL.Context object at ")
    conn = SSL.Connection(ctx, None)
    assert repr(conn).startswith("<OpenSSL.SSL.Connection object at ")
    assert repr(SSL.Session()).startswith("<OpenSSL.SSL.Session object at ")


def test_trustme_dispatch_on_module():
    # trustme picks its code path with ctx.__module__.startswith("OpenSSL")
    ctx = SSL.Context(SSL.TLS_METHOD)
    assert ctx.__module__.startswith("OpenSSL")
    assert type(ctx).__module__ == "OpenSSL.SSL"


def test_subclass_context():
    class MyContext(SSL.Context):
        def __init__(self, method, tag):
            super().__init__(method)
            self.tag = tag

    ctx = MyContext(SSL.TLS_METHOD, "t")
    assert ctx.tag == "t"
    assert ctx.set_options(0) == SSL.Context(SSL.TLS_METHOD).set_options(0)
    conn = SSL.Connection(ctx, None)
    assert conn.get_context() is ctx


def test_subclass_connection():
    class MyConnection(SSL.Connection):
        def __init__(self, context, sock=None):
            self.before = "set before __init__"   # pymongo does this
            super().__init__(context, sock)

        def recv(self, bufsiz, flags=None):
            return super().recv(bufsiz, flags)

    conn = MyConnection(SSL.Context(SSL.TLS_METHOD))
    assert conn.before == "set before __init__"
    assert isinstance(conn, SSL.Connection)
    with pytest.raises(SSL.Error):
        conn.recv(10)


def test_subclass_session():
    class MySession(SSL.Session):
        pass

    s = MySession()
    s.note = 1
    assert isinstance(s, SSL.Session)


def test_plain_connection_accepts_new_attributes():
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    conn.anything = 42
    assert conn.anything == 42
    assert conn.__dict__["anything"] == 42
    del conn.anything
    with pytest.raises(AttributeError):
        conn.anything


@pytest.mark.parametrize("make", [
    lambda: SSL.Context(SSL.TLS_METHOD),
    lambda: SSL.Connection(SSL.Context(SSL.TLS_METHOD), None),
    lambda: SSL.Session(),
])
def test_weak_references(make):
    obj = make()
    ref = weakref.ref(obj)
    assert ref() is obj
    del obj
    gc.collect()
    assert ref() is None


def test_weak_value_dictionary_of_connections():
    # pyOpenSSL 26.4 keeps its own Connections this way.
    ctx = SSL.Context(SSL.TLS_METHOD)
    table = weakref.WeakValueDictionary()
    conns = [SSL.Connection(ctx, None) for _ in range(5)]
    for i, conn in enumerate(conns):
        table[i] = conn
    assert len(table) == 5
    del conns, conn
    gc.collect()
    assert len(table) == 0


def test_x509_verification_codes():
    codes = SSL.X509VerificationCodes
    assert codes.__module__ == "OpenSSL.SSL"
    assert codes.OK == 0
    assert codes.ERR_UNABLE_TO_GET_ISSUER_CERT == 2
    assert codes.ERR_CERT_HAS_EXPIRED == 10
    assert codes.ERR_DEPTH_ZERO_SELF_SIGNED_CERT == 18
    assert codes.ERR_HOSTNAME_MISMATCH == 62
    assert codes.ERR_INVALID_CA == 79
    names = [n for n in vars(codes) if n == "OK" or n.startswith("ERR_")]
    assert len(names) == 57


# ---------------------------------------------------------------------------
# Signatures (API.md 3.1 rule 6): the keyword names of pyOpenSSL 26.4
# ---------------------------------------------------------------------------

# inspect.signature() of each method of pyOpenSSL 26.4.0, without self.
CONTEXT_SIGNATURES = {
    'add_client_ca': ('certificate_authority',),
    'add_extra_chain_cert': ('certobj',),
    'check_privatekey': (),
    'clear_mode': ('mode_to_clear',),
    'get_app_data': (),
    'get_cert_store': (),
    'get_session_cache_mode': (),
    'get_timeout': (),
    'get_verify_depth': (),
    'get_verify_mode': (),
    'load_client_ca': ('cafile',),
    'load_tmp_dh': ('dhfile',),
    'load_verify_locations': ('cafile', 'capath'),
    'set_alpn_protos': ('protos',),
    'set_alpn_select_callback': ('callback',),
    'set_app_data': ('data',),
    'set_cipher_list': ('cipher_list',),
    'set_client_ca_list': ('certificate_authorities',),
    'set_cookie_generate_callback': ('callback',),
    'set_cookie_verify_callback': ('callback',),
    'set_default_verify_paths': (),
    'set_info_callback': ('callback',),
    'set_keylog_callback': ('callback',),
    'set_max_proto_version': ('version',),
    'set_min_proto_version': ('version',),
    'set_mode': ('mode',),
    'set_ocsp_client_callback': ('callback', 'data'),
    'set_ocsp_server_callback': ('callback', 'data'),
    'set_options': ('options',),
    'set_passwd_cb': ('callback', 'userdata'),
    'set_session_cache_mode': ('mode',),
    'set_session_id': ('buf',),
    'set_timeout': ('timeout',),
    'set_tls13_ciphersuites': ('ciphersuites',),
    'set_tlsext_servername_callback': ('callback',),
    'set_tlsext_use_srtp': ('profiles',),
    'set_tmp_ecdh': ('curve',),
    'set_verify': ('mode', 'callback'),
    'set_verify_depth': ('depth',),
    'use_certificate': ('cert',),
    'use_certificate_chain_file': ('certfile',),
    'use_certificate_file': ('certfile', 'filetype'),
    'use_privatekey': ('pkey',),
    'use_privatekey_file': ('keyfile', 'filetype'),
}

CONNECTION_SIGNATURES = {
    'DTLSv1_get_timeout': (),
    'DTLSv1_handle_timeout': (),
    'DTLSv1_listen': (),
    'accept': (),
    'bio_read': ('bufsiz',),
    'bio_shutdown': (),
    'bio_write': ('buf',),
    'client_random': (),
    'connect': ('addr',),
    'connect_ex': ('addr',),
    'do_handshake': (),
    'export_keying_material': ('label', 'olen', 'context'),
    'get_alpn_proto_negotiated': (),
    'get_app_data': (),
    'get_certificate': ('as_cryptography',),
    'get_cipher_bits': (),
    'get_cipher_list': (),
    'get_cipher_name': (),
    'get_cipher_version': (),
    'get_cleartext_mtu': (),
    'get_client_ca_list': ('as_cryptography',),
    'get_context': (),
    'get_finished': (),
    'get_group_name': (),
    'get_peer_cert_chain': ('as_cryptography',),
    'get_peer_certificate': ('as_cryptography',),
    'get_peer_finished': (),
    'get_protocol_version': (),
    'get_protocol_version_name': (),
    'get_selected_srtp_profile': (),
    'get_servername': (),
    'get_session': (),
    'get_shutdown': (),
    'get_state_string': (),
    'get_verified_chain': ('as_cryptography',),
    'get_verify_mode': (),
    'makefile': ('args', 'kwargs'),
    'master_key': (),
    'pending': (),
    'read': ('bufsiz', 'flags'),
    'recv': ('bufsiz', 'flags'),
    'recv_into': ('buffer', 'nbytes', 'flags'),
    'renegotiate': (),
    'renegotiate_pending': (),
    'request_ocsp': (),
    'send': ('buf', 'flags'),
    'sendall': ('buf', 'flags'),
    'server_random': (),
    'set_accept_state': (),
    'set_alpn_protos': ('protos',),
    'set_app_data': ('data',),
    'set_ciphertext_mtu': ('mtu',),
    'set_connect_state': (),
    'set_context': ('context',),
    'set_info_callback': ('callback',),
    'set_options': ('options',),
    'set_session': ('session',),
    'set_shutdown': ('state',),
    'set_tlsext_host_name': ('name',),
    'set_verify': ('mode', 'callback'),
    'shutdown': (),
    'sock_shutdown': ('args', 'kwargs'),
    'total_renegotiations': (),
    'use_certificate': ('cert',),
    'use_privatekey': ('pkey',),
    'want_read': (),
    'want_write': (),
    'write': ('buf', 'flags'),
}

# 0.13's name for get_state_string.
CONNECTION_SIGNATURES["state_string"] = ()


def parameters(function):
    import inspect

    return tuple(inspect.signature(function).parameters)


@pytest.mark.parametrize("name", sorted(CONTEXT_SIGNATURES))
def test_context_signature(name):
    assert parameters(getattr(SSL.Context, name))[1:] == (
        CONTEXT_SIGNATURES[name]
    )


@pytest.mark.parametrize("name", sorted(CONNECTION_SIGNATURES))
def test_connection_signature(name):
    assert parameters(getattr(SSL.Connection, name))[1:] == (
        CONNECTION_SIGNATURES[name]
    )


def test_class_signatures():
    assert parameters(SSL.Context) == ("method",)
    assert parameters(SSL.Connection) == ("context", "socket")
    assert parameters(SSL.Session) == ()
    assert parameters(SSL.OpenSSL_version) == ("type",)
