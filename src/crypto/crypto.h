/*
 * crypto.h -- private header of the OpenSSL.crypto extension module.
 *
 * One .c file per type; each registers its type with a
 * crypto_<type>_register(module, state) call from module.c's exec step.
 * Every type is a heap type created with PyType_FromModuleAndSpec, so a
 * method reaches the module state through its (possibly subclassed) type
 * with crypto_state_of(self).
 *
 * Reference conventions: a function returning PyObject* returns a new
 * reference unless its comment says "borrowed". None of the functions here
 * release the GIL unless their comment says so.
 */
#ifndef PYOSSL_CRYPTO_H
#define PYOSSL_CRYPTO_H

#include "../common/pyossl.h"
#include "../common/crypto_capi.h"

/* pyOpenSSL's own file type numbers (FILETYPE_PEM/ASN1 equal OpenSSL's
 * SSL_FILETYPE_* values). 0.13 used 58 for FILETYPE_TEXT; we accept both. */
#define CRYPTO_FILETYPE_PEM 1
#define CRYPTO_FILETYPE_ASN1 2
#define CRYPTO_FILETYPE_TEXT 65535
#define CRYPTO_FILETYPE_TEXT_013 58

typedef struct crypto_state {
    /* types */
    PyTypeObject *X509_Type;
    PyTypeObject *X509Name_Type;
    PyTypeObject *X509Extension_Type;
    PyTypeObject *X509Req_Type;
    PyTypeObject *X509Store_Type;
    PyTypeObject *X509StoreContext_Type;
    PyTypeObject *PKey_Type;
    PyTypeObject *CRL_Type;
    PyTypeObject *Revoked_Type;
    PyTypeObject *PKCS7_Type;
    PyTypeObject *PKCS12_Type;
    PyTypeObject *NetscapeSPKI_Type;
    PyTypeObject *EllipticCurve_Type;
    /* exceptions */
    PyObject *Error;                  /* crypto.Error */
    PyObject *X509StoreContextError;
    PyObject *TypeAttributeError;     /* TypeError + AttributeError */
    PyObject *TypeValueError;         /* TypeError + ValueError */
    PyObject *ErrorValueError;        /* crypto.Error + ValueError */
    /* caches */
    PyObject *curves;                 /* frozenset of curve objects, lazily */
    PyObject *curves_by_name;         /* dict name -> curve, lazily */
    /* A private library context with OpenSSL's default and legacy
     * providers, used only to decrypt PKCS#12 data made with legacy
     * algorithms (RC2, RC4, DES). Created on first need (pkcs12.c), freed
     * with the module; the process's default context is never touched. */
    OSSL_LIB_CTX *legacy_libctx;
    OSSL_PROVIDER *legacy_provider;
    OSSL_PROVIDER *legacy_default_provider;
    int legacy_unavailable;           /* 1 once loading it has failed */
    /* the C API published as OpenSSL.crypto._C_API */
    pyossl_crypto_capi capi;
} crypto_state;

extern PyModuleDef crypto_module_def;

/* The crypto state reached from an instance of one of our types (or of a
 * subclass). NULL with an exception set if `self` is not one of ours. */
static inline crypto_state *
crypto_state_of(PyObject *self)
{
    return (crypto_state *)pyossl_type_get_state(Py_TYPE(self),
                                                 &crypto_module_def);
}

static inline crypto_state *
crypto_state_of_type(PyTypeObject *type)
{
    return (crypto_state *)pyossl_type_get_state(type, &crypto_module_def);
}

/* The prologue of a method that needs the state: declares `st` for
 * `self` and returns NULL (with the exception of crypto_state_of()) if
 * there is none. */
#define CRYPTO_METHOD_STATE(self, st)                                        \
    crypto_state *st = crypto_state_of((PyObject *)(self));                 \
    if (st == NULL)                                                          \
        return NULL

/* Raise crypto.Error from the queue; returns NULL / -1. */
#define CRYPTO_RAISE(st) pyossl_raise_error_queue((st)->Error)
#define CRYPTO_RAISE_INT(st) pyossl_raise_error_queue_int((st)->Error)

/* Raise a TypeError+AttributeError "expected X, got Y" for an argument of
 * the wrong type (API.md 3.1 rule 3). Returns NULL. */
PyObject *crypto_wrong_type(crypto_state *st, const char *what,
                            PyObject *got);

/* The end of a __copy__: give `copy` (a new instance of type(self)) a
 * shallow copy of self's instance __dict__, if there is one. Consumes
 * `copy`; returns it, or NULL with an exception set. */
PyObject *crypto_copy_finish(PyObject *self, PyObject *copy);

/* ------------------------------------------------------------------------
 * Objects
 * --------------------------------------------------------------------- */

typedef struct {
    PyObject_HEAD
    EVP_PKEY *pkey;          /* never NULL */
    int only_public;         /* 1 if there is no private part */
    int initialized;         /* 0 for a bare PKey() */
    PyObject *weakreflist;
} PKeyObject;

typedef struct {
    PyObject_HEAD
    X509 *x509;              /* never NULL */
    unsigned int subject_gen;    /* bumped by set_subject: stales views */
    unsigned int issuer_gen;     /* bumped by set_issuer */
    PyObject *weakreflist;
} X509Object;

typedef struct {
    PyObject_HEAD
    /* Either an owned X509_NAME (owner == NULL), or a view of a name that
     * lives in `owner` (an X509 or X509Req, kept alive by this reference).
     * A view is valid while *owner_gen == gen. */
    X509_NAME *name;
    PyObject *owner;
    const unsigned int *owner_gen;
    unsigned int gen;
    PyObject *dict;
    PyObject *weakreflist;
} X509NameObject;

typedef struct {
    PyObject_HEAD
    X509_EXTENSION *ext;     /* never NULL */
    PyObject *weakreflist;
} X509ExtensionObject;

typedef struct {
    PyObject_HEAD
    X509_REQ *req;           /* never NULL */
    unsigned int subject_gen;    /* never changes: requests have no
                                    set_subject, views stay valid */
    PyObject *weakreflist;
} X509ReqObject;

typedef struct {
    PyObject_HEAD
    X509_STORE *store;       /* never NULL */
    PyObject *owner;         /* the Context whose store this is, or NULL */
    PyObject *weakreflist;
} X509StoreObject;

typedef struct {
    PyObject_HEAD
    PyObject *store;         /* X509Store */
    PyObject *certificate;   /* X509 */
    STACK_OF(X509) *chain;   /* untrusted chain, or NULL */
    PyObject *weakreflist;
} X509StoreContextObject;

typedef struct {
    PyObject_HEAD
    X509_CRL *crl;
    PyObject *weakreflist;
} CRLObject;

typedef struct {
    PyObject_HEAD
    X509_REVOKED *revoked;
    PyObject *weakreflist;
} RevokedObject;

typedef struct {
    PyObject_HEAD
    PKCS7 *pkcs7;            /* NULL for a bare PKCS7() */
    PyObject *weakreflist;
} PKCS7Object;

typedef struct {
    PyObject_HEAD
    PyObject *cert;          /* X509 or None */
    PyObject *key;           /* PKey or None */
    PyObject *cacerts;       /* tuple of X509 or None */
    PyObject *friendlyname;  /* bytes or None */
    PyObject *weakreflist;
} PKCS12Object;

typedef struct {
    PyObject_HEAD
    NETSCAPE_SPKI *spki;
    PyObject *weakreflist;
} NetscapeSPKIObject;

typedef struct {
    PyObject_HEAD
    int nid;
    PyObject *name;          /* str */
    PyObject *weakreflist;
} EllipticCurveObject;

/* ------------------------------------------------------------------------
 * Type registration (one per file; called by module.c's exec step)
 * --------------------------------------------------------------------- */

int crypto_pkey_register(PyObject *module, crypto_state *st);
int crypto_x509name_register(PyObject *module, crypto_state *st);
int crypto_x509_register(PyObject *module, crypto_state *st);
int crypto_x509ext_register(PyObject *module, crypto_state *st);
int crypto_x509store_register(PyObject *module, crypto_state *st);
/* also creates X509StoreContextError */
int crypto_x509storectx_register(PyObject *module, crypto_state *st);
int crypto_x509req_register(PyObject *module, crypto_state *st);
int crypto_crl_register(PyObject *module, crypto_state *st);
int crypto_revoked_register(PyObject *module, crypto_state *st);
int crypto_pkcs7_register(PyObject *module, crypto_state *st);
int crypto_pkcs12_register(PyObject *module, crypto_state *st);
int crypto_spki_register(PyObject *module, crypto_state *st);
int crypto_ecurve_register(PyObject *module, crypto_state *st);

/* Module-level functions, added by module.c. */
extern PyMethodDef crypto_load_dump_methods[];
extern PyMethodDef crypto_x509req_methods[]; /* *_certificate_request */
extern PyMethodDef crypto_crl_methods[];     /* load_crl, dump_crl */
extern PyMethodDef crypto_ecurve_methods[];
extern PyMethodDef crypto_pkcs7_methods[];     /* load_pkcs7_data */
extern PyMethodDef crypto_pkcs12_methods[];    /* load_pkcs12 */
extern PyMethodDef crypto_sign_methods[];      /* sign, verify */

/* pkcs12.c: free the legacy library context (module free only). */
void crypto_pkcs12_free_state(crypto_state *st);

/* ------------------------------------------------------------------------
 * Internal constructors and accessors shared between the files
 * --------------------------------------------------------------------- */

/* loadargs.c: the scaffolding of the load_* and dump_* functions */
/* The pyOpenSSL file type: an int compared with FILETYPE_*; anything else
 * is simply not a known type (-1), which crypto_filetype_check() turns
 * into its ValueError. 0.13's FILETYPE_TEXT (58) means FILETYPE_TEXT.
 * Never raises. */
long crypto_filetype_of(PyObject *obj);
/* ValueError ("type argument must be FILETYPE_PEM or FILETYPE_ASN1", or
 * with `text` "..., FILETYPE_ASN1, or FILETYPE_TEXT") unless `type` is one
 * of those. 0 or -1. */
int crypto_filetype_check(long type, int text);
/* The `buffer` argument of the load_* functions (and NetscapeSPKI's
 * `enc`): bytes, a str (encoded as ASCII, as pyOpenSSL does) or any
 * bytes-like object, at most INT_MAX bytes; `label` names the argument
 * in the messages. 0 or -1; release with pyossl_bytes_release(). */
int crypto_load_buffer(PyObject *obj, const char *label, pyossl_bytes *out);
/* Read one object of a type from `bio`, PEM or DER (`type` is
 * FILETYPE_PEM or FILETYPE_ASN1): the new object, or NULL with the OpenSSL
 * error queue saying why, or with a Python exception set if the reader
 * raised one. Called with the GIL, which it may release. */
typedef void *crypto_reader(BIO *bio, long type, void *arg);
/* Read an object with `read(bio, type, arg)` from a memory BIO over the
 * `buffer` argument (crypto_load_buffer()). The object, or NULL with an
 * exception set: Error from the queue if the reader failed without one. */
void *crypto_load_object(crypto_state *st, PyObject *buffer_obj, long type,
                         crypto_reader *read, void *arg);
/* A whole load_*(type, buffer) function: parse the arguments with
 * `format` ("OO:load_crl"), check the type (PEM or ASN1) and read the
 * object with `read` (arg NULL), as crypto_load_object(). */
void *crypto_load(crypto_state *st, PyObject *args, PyObject *kwargs,
                  const char *format, crypto_reader *read);
/* Write `obj` to `bio` in the file type `type` (already checked): 1 on
 * success, 0 with the OpenSSL error queue saying why, -1 with a Python
 * exception set. Called with the GIL, which it may release. */
typedef int crypto_writer(BIO *bio, long type, void *obj);
/* The body of a dump: `write(bio, type, obj)` into a new memory BIO, and
 * its contents as bytes (the error queue cleared), or NULL with Error (or
 * the writer's exception). */
PyObject *crypto_dump_object(crypto_state *st, long type,
                             crypto_writer *write, void *obj);

/* pkey.c */
/* Wrap an EVP_PKEY; takes over the caller's reference. */
PyObject *crypto_pkey_wrap(crypto_state *st, EVP_PKEY *pkey,
                           int only_public);
/* A public-only copy of a key (its SubjectPublicKeyInfo decoded again), or
 * NULL with Error. The get_pubkey() methods use it: after
 * set_pubkey(private_key) OpenSSL caches, and would hand back, the whole
 * key, private part included. */
EVP_PKEY *crypto_pkey_public_copy(crypto_state *st, const EVP_PKEY *pkey);
/* Up-ref and wrap. */
PyObject *crypto_pkey_from_ptr(crypto_state *st, EVP_PKEY *pkey,
                               int only_public);
/* Borrowed EVP_PKEY of a PKey, NULL with TypeError+AttributeError
 * ("pkey must be a PKey instance") if `obj` is not one. */
EVP_PKEY *crypto_pkey_ptr(crypto_state *st, PyObject *obj, const char *what);
/* The argument of the set_pubkey(pkey) methods of X509, X509Req and
 * NetscapeSPKI: the EVP_PKEY of the PKey (borrowed), or NULL with an
 * exception (TypeError+AttributeError if pkey is not a PKey). */
EVP_PKEY *crypto_pubkey_arg(crypto_state *st, PyObject *args,
                            PyObject *kwargs);
/* The digest to sign with for `name` (str or bytes): none for the keys
 * that sign whole messages (Ed25519, Ed448), else the named one (ValueError
 * 'No such digest method' if unknown). 0 or -1. */
int crypto_signing_digest(EVP_PKEY *pkey, PyObject *name, const EVP_MD **md);
/* The arguments of the sign(pkey, digest) methods of X509, X509Req and
 * NetscapeSPKI, with the checks pyOpenSSL makes before signing:
 * TypeError+AttributeError if pkey is not a PKey, ValueError for a
 * public-only key (the message `public_only`: pyOpenSSL words it
 * differently for certificates and requests) or an uninitialized one,
 * then the digest as crypto_signing_digest() finds it. *pkey is borrowed
 * from the PKey. 0 or -1. */
int crypto_sign_args(crypto_state *st, PyObject *args, PyObject *kwargs,
                     const char *public_only, EVP_PKEY **pkey,
                     const EVP_MD **md);
/* PKey or cryptography private/public key -> new EVP_PKEY reference. */
EVP_PKEY *crypto_pkey_from_any(crypto_state *st, PyObject *obj,
                               int private_only);

/* x509.c */
PyObject *crypto_x509_wrap(crypto_state *st, X509 *x509);   /* steals */
PyObject *crypto_x509_from_ptr(crypto_state *st, X509 *x509); /* up-refs */
X509 *crypto_x509_ptr(crypto_state *st, PyObject *obj, const char *what);
/* X509 or cryptography Certificate -> new X509 reference. */
X509 *crypto_x509_from_any(crypto_state *st, PyObject *obj);
/* Convert to a cryptography Certificate (DER round trip). */
PyObject *crypto_x509_to_cryptography(crypto_state *st, X509 *x509);

/* x509name.c */
/* A new X509Name owning a copy of `name`. */
PyObject *crypto_x509name_copy(crypto_state *st, const X509_NAME *name);
/* A live view of a name that lives inside `owner`. */
PyObject *crypto_x509name_view(crypto_state *st, X509_NAME *name,
                               PyObject *owner, const unsigned int *gen);
/* The X509_NAME behind an X509Name object (borrowed), NULL with
 * AttributeError if it is a view that has been invalidated, or with
 * TypeError+AttributeError if obj is not an X509Name. */
X509_NAME *crypto_x509name_ptr(crypto_state *st, PyObject *obj);

/* x509store.c */
PyObject *crypto_x509store_from_ptr(crypto_state *st, X509_STORE *store,
                                    PyObject *owner);

/* x509ext.c */
PyObject *crypto_x509ext_from_ptr(crypto_state *st,
                                  const X509_EXTENSION *ext); /* copies */

/* crl.c */
/* The X509_CRL behind a CRL object (borrowed), NULL with
 * TypeError+AttributeError ("crl must be a CRL instance, not ...") if `obj`
 * is not a CRL. A cryptography CertificateRevocationList is not accepted
 * here: callers that take one convert it themselves. */
X509_CRL *crypto_crl_ptr(crypto_state *st, PyObject *obj);

/* revoked.c */
/* Wrap an X509_REVOKED as a Revoked; takes over `revoked` (freed on
 * failure). */
PyObject *crypto_revoked_wrap(crypto_state *st, X509_REVOKED *revoked);
/* The X509_REVOKED behind a Revoked (borrowed), NULL with
 * TypeError+AttributeError naming `what` if `obj` is not one. */
X509_REVOKED *crypto_revoked_ptr(crypto_state *st, PyObject *obj,
                                 const char *what);
/* Set `t` from pyOpenSSL's `when` argument (bytes such as
 * b"YYYYMMDDhhmmssZ", as ASN1_TIME_set_string() reads it): TypeError
 * ('when must be a byte string') for anything but bytes, ValueError
 * ('Invalid string') for a value OpenSSL rejects or one with a NUL byte,
 * then Error if `t` is NULL (a failed allocation). 0 or -1. */
int crypto_asn1_time_set(crypto_state *st, ASN1_TIME *t, PyObject *when);
/* The same into a new ASN1_TIME, which the caller frees with
 * ASN1_TIME_free(); NULL with an exception set. */
ASN1_TIME *crypto_asn1_time_from_bytes(crypto_state *st, PyObject *when);

/* ecurve.c */
/* The NID of a pyOpenSSL curve object or a cryptography EllipticCurve
 * instance; NID_undef with an exception set on failure (Error for an
 * unknown curve, TypeError+AttributeError for another object). */
int crypto_ecurve_nid(crypto_state *st, PyObject *obj);

/* cryptography interop helpers (interop.c) */
/* import "cryptography.x509" etc.; NULL with ImportError explaining that
 * the optional 'cryptography' package is needed. */
PyObject *crypto_import_cryptography(const char *module);
/* 0 if cryptography can be imported, else -1 with the ImportError of
 * crypto_import_cryptography(). For the error paths of the from_*
 * conversions: "not a cryptography object" is a TypeError only where
 * cryptography exists at all. */
int crypto_require_cryptography(void);
/* Call `func(data)` of module `module` in cryptography (DER loaders). */
PyObject *crypto_cryptography_call(const char *module, const char *func,
                                   PyObject *arg);
/* Is `obj` an instance of cryptography's `module.name`? Never imports
 * cryptography: if it is not imported yet, nothing can be an instance.
 * 1, 0 or -1. */
int crypto_is_cryptography_instance(PyObject *obj, const char *module,
                                    const char *name);
/* DER bytes of a cryptography object: obj.public_bytes(Encoding.DER). */
PyObject *crypto_cryptography_public_der(PyObject *obj);
/* The DER of a cryptography.x509 object for the from_cryptography()
 * conversions: `obj` must be an instance of cryptography.x509.<cls>, else
 * exc_type(message) is raised -- with `require`, only where cryptography
 * can be imported at all (else its ImportError). New bytes reference, or
 * NULL. */
PyObject *crypto_cryptography_der_of(PyObject *obj, const char *cls,
                                     PyObject *exc_type, const char *message,
                                     int require);
/* The to_cryptography() conversions: cryptography.x509.<loader>(der) for
 * the DER of an i2d_*() call, taken as pyossl_take_openssl_buffer() takes
 * it (`der` is freed; a negative `len` raises Error). */
PyObject *crypto_der_to_cryptography(crypto_state *st, unsigned char *der,
                                     int len, const char *loader);

#endif /* PYOSSL_CRYPTO_H */
