/*
 * crypto_capi.h -- the C API that OpenSSL.crypto publishes for OpenSSL.SSL.
 *
 * The types live once, in OpenSSL.crypto. At import, OpenSSL.SSL imports
 * OpenSSL.crypto, fetches the capsule OpenSSL.crypto._C_API, checks that
 * `size` and `version` match what it was compiled with, and keeps a strong
 * reference to the crypto module in its own state for as long as it lives
 * (the capsule points into that module's state), the way CPython's _ssl
 * uses _socket's C API.
 *
 * Every function takes the table itself as its first argument, so that the
 * implementation can find its module state without any global variable.
 * Functions returning PyObject* return new references, NULL with an
 * exception set on failure. None of them release the GIL.
 */
#ifndef PYOSSL_CRYPTO_CAPI_H
#define PYOSSL_CRYPTO_CAPI_H

#define PYOSSL_CRYPTO_CAPI_NAME "OpenSSL.crypto._C_API"
#define PYOSSL_CRYPTO_CAPI_VERSION 1

typedef struct pyossl_crypto_capi pyossl_crypto_capi;

struct pyossl_crypto_capi {
    size_t size;                 /* sizeof(pyossl_crypto_capi) */
    unsigned int version;        /* PYOSSL_CRYPTO_CAPI_VERSION */

    /* Borrowed type and exception objects, owned by the crypto module. */
    PyTypeObject *X509_Type;
    PyTypeObject *X509Name_Type;
    PyTypeObject *X509Store_Type;
    PyTypeObject *PKey_Type;
    PyObject *Error;

    /* Wrap an X509, taking a new reference to it. */
    PyObject *(*x509_from_ptr)(const pyossl_crypto_capi *api, X509 *x509);
    /* The X509 behind `obj`, which may be an X509 or a cryptography
     * Certificate (converted through DER); a new reference the caller
     * frees. TypeError for anything else (message: "<what> must be a
     * certificate"). */
    X509 *(*x509_from_any)(const pyossl_crypto_capi *api, PyObject *obj,
                           const char *what);
    /* A cryptography Certificate copy of `x509`. */
    PyObject *(*x509_to_cryptography)(const pyossl_crypto_capi *api,
                                      X509 *x509);

    /* A new X509Name holding a copy of `name`. */
    PyObject *(*x509name_copy)(const pyossl_crypto_capi *api,
                               const X509_NAME *name);
    /* Borrowed X509_NAME of an X509Name; NULL with TypeError otherwise. */
    X509_NAME *(*x509name_ptr)(const pyossl_crypto_capi *api, PyObject *obj);
    /* A cryptography x509.Name for `name`. */
    PyObject *(*x509name_to_cryptography)(const pyossl_crypto_capi *api,
                                          const X509_NAME *name);

    /* Wrap an EVP_PKEY, taking a new reference to it. */
    PyObject *(*pkey_from_ptr)(const pyossl_crypto_capi *api, EVP_PKEY *pkey,
                               int only_public);
    /* The EVP_PKEY behind a PKey or a cryptography private key; a new
     * reference. TypeError('Unsupported key type') otherwise. */
    EVP_PKEY *(*pkey_from_any)(const pyossl_crypto_capi *api, PyObject *obj);

    /* An X509Store object wrapping `store` (up-referenced); `owner` is kept
     * alive by it (may be NULL). */
    PyObject *(*x509store_from_ptr)(const pyossl_crypto_capi *api,
                                    X509_STORE *store, PyObject *owner);

    /* The NID of a curve given as a pyOpenSSL curve object or a
     * cryptography EllipticCurve instance. NID_undef with an exception set
     * on failure. */
    int (*curve_nid)(const pyossl_crypto_capi *api, PyObject *curve);

    /* Filled in by OpenSSL.SSL when it imports the table (NULL until then):
     * X509Store methods that change a store owned by a Context (the one of
     * Context.get_cert_store()) call owner_lock(owner) before and
     * owner_unlock(owner, token) after, so that the change is serialised
     * against that Context's handshakes like the Context's own setters. */
    int (*owner_lock)(PyObject *owner);
    void (*owner_unlock)(PyObject *owner, int token);
};

#endif /* PYOSSL_CRYPTO_CAPI_H */
