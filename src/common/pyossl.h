/*
 * pyossl.h -- the first include of every C file of pyOpenSSL.
 *
 * It pulls in Python.h (with PY_SSIZE_T_CLEAN) and the OpenSSL headers,
 * refuses to build against an OpenSSL older than 3.0, and declares the
 * small helpers in src/common/ that every extension module links in:
 *
 *   errors.c   the only reader of the OpenSSL error queue
 *   convert.c  argument converters and OpenSSL -> Python value builders
 *
 * The helpers are compiled into each of the three extension modules with
 * hidden visibility, so the modules never depend on each other's symbols;
 * OpenSSL.SSL reaches OpenSSL.crypto only through its capsule (crypto_capi.h).
 */
#ifndef PYOSSL_H
#define PYOSSL_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

/* We use the OpenSSL 3 API and nothing deprecated in it: the deprecated
 * declarations are not even visible to the compiler. */
#define OPENSSL_API_COMPAT 30000
#define OPENSSL_NO_DEPRECATED 1

#include <openssl/opensslv.h>
#if !defined(OPENSSL_VERSION_NUMBER) || OPENSSL_VERSION_NUMBER < 0x30000000L
#error "pyOpenSSL (C implementation) needs the headers of OpenSSL 3.0 or newer"
#endif

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/dsa.h>
#include <openssl/ec.h>
#include <openssl/dh.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/x509_vfy.h>

#if defined(__GNUC__)
#  define PYOSSL_HIDDEN __attribute__((visibility("hidden")))
#  define PYOSSL_UNUSED __attribute__((unused))
#else
#  define PYOSSL_HIDDEN
#  define PYOSSL_UNUSED
#endif

#if PY_VERSION_HEX < 0x030A0000
#error "pyOpenSSL (C implementation) needs Python 3.10 or newer"
#endif

/* ------------------------------------------------------------------------
 * Compatibility with the Python versions we support (3.10 and newer).
 * --------------------------------------------------------------------- */

/* PyType_GetModuleByDef() appeared in 3.11; this walks the MRO the same way
 * so that methods of subclasses still find their module. Borrowed reference,
 * NULL with TypeError if no class in the MRO was defined by `def`. */
PYOSSL_HIDDEN PyObject *pyossl_type_get_module(PyTypeObject *type,
                                               PyModuleDef *def);

/* The state of the module `def` that defined `type` (or one of its bases);
 * NULL with an exception set if there is none. */
PYOSSL_HIDDEN void *pyossl_type_get_state(PyTypeObject *type, PyModuleDef *def);

/* Add `value` (a new reference, may be NULL) to `module` as `name`; always
 * consumes the reference. Returns 0 or -1. */
PYOSSL_HIDDEN int pyossl_module_add(PyObject *module, const char *name,
                                    PyObject *value);

/* Create an exception class called `qualname` ("OpenSSL.SSL.Error") with the
 * given bases (a class or a tuple) and docstring; new reference or NULL. */
PYOSSL_HIDDEN PyObject *pyossl_new_exception(const char *qualname,
                                             const char *doc, PyObject *bases);

/* The short name of a type, as type(x).__name__ gives it. */
static inline const char *
pyossl_type_short_name(PyTypeObject *type)
{
    const char *dot = strrchr(type->tp_name, '.');
    return dot ? dot + 1 : type->tp_name;
}

/* Add a plain class `name` holding int class attributes names[i] =
 * values[i] (names is NULL-terminated), with __module__ module_name, as
 * pyOpenSSL's X509StoreFlags and X509VerificationCodes. 0 or -1. */
PYOSSL_HIDDEN int pyossl_add_constant_class(PyObject *module,
                                            const char *module_name,
                                            const char *name, const char *doc,
                                            const char *const *names,
                                            const long *values);

/* Parse the arguments of a METH_FASTCALL | METH_KEYWORDS method into
 * out[] (borrowed references) by position or by the keyword names of the
 * NULL-terminated `names`; the first `required` must be given, the others
 * stay NULL when absent. 0 or -1 with TypeError. For the hot I/O methods,
 * where building an argument tuple and dict would cost more than the
 * call. */
PYOSSL_HIDDEN int pyossl_parse_fastcall(PyObject *const *args,
                                        Py_ssize_t nargs, PyObject *kwnames,
                                        const char *fname,
                                        const char *const *names,
                                        int required, PyObject **out);

/* The tp_init of a type whose constructor takes no arguments: TypeError
 * ("X509() takes at most 0 arguments (1 given)") for any. Such a type's
 * tp_new ignores its arguments and leaves them to tp_init, as object does
 * for a Python class, so that a subclass may give its __init__ another
 * signature. `format` is ":" and the type's name. 0 or -1. */
PYOSSL_HIDDEN int pyossl_init_no_arguments(PyObject *args, PyObject *kwargs,
                                           const char *format);

/* Define `function` as such a tp_init for the type called `name`. */
#define PYOSSL_NO_ARGUMENTS_INIT(function, name)                          \
    static int                                                            \
    function(PyObject *Py_UNUSED(self), PyObject *args, PyObject *kwargs)  \
    {                                                                     \
        return pyossl_init_no_arguments(args, kwargs, ":" name);          \
    }

/* ImportError unless the libcrypto loaded at run time is at least as new
 * as the headers we were compiled with. 0 or -1. */
PYOSSL_HIDDEN int pyossl_check_openssl_runtime(void);

/* Empty this thread's OpenSSL error queue. ERR_clear_error() costs about
 * ten times what a look at the queue does on OpenSSL 3, and the queue is
 * nearly always empty already: look first. */
static inline void
pyossl_clear_errors(void)
{
    if (ERR_peek_error() != 0)
        ERR_clear_error();
}

/* ------------------------------------------------------------------------
 * errors.c -- every conversion of the OpenSSL error queue into Python.
 * --------------------------------------------------------------------- */

/* A new list of (lib, func, reason) str triples drained from this thread's
 * OpenSSL error queue; the queue is empty afterwards, even on failure.
 * func is always '' (OpenSSL 3 records no function names); an unknown
 * library or reason is ''. NULL with MemoryError on failure. */
PYOSSL_HIDDEN PyObject *pyossl_error_list(void);

/* Raise exc_type(list) with `list`, a list of triples such as
 * pyossl_error_list() returns (the reference is consumed). Always returns
 * NULL. */
PYOSSL_HIDDEN PyObject *pyossl_raise_error_list(PyObject *exc_type,
                                                PyObject *list);

/* Raise exc_type(list) with the drained queue. Always returns NULL. */
PYOSSL_HIDDEN PyObject *pyossl_raise_error_queue(PyObject *exc_type);

/* Same, for call sites that return int: returns -1. */
PYOSSL_HIDDEN int pyossl_raise_error_queue_int(PyObject *exc_type);

/* Raise exc_type(message) after clearing the error queue. Returns NULL. */
PYOSSL_HIDDEN PyObject *pyossl_raise_message(PyObject *exc_type,
                                             const char *message);

/* The reason code of the most recent error in the queue, without removing it
 * (0 if the queue is empty). */
PYOSSL_HIDDEN int pyossl_peek_last_reason(int *lib);

/* ------------------------------------------------------------------------
 * convert.c -- argument converters (for "O&") and value builders.
 * --------------------------------------------------------------------- */

/* A view of bytes taken from a Python argument. `obj` holds what keeps the
 * data alive (a bytes object or a Py_buffer's exporter); release with
 * pyossl_bytes_release(). */
typedef struct {
    const char *data;
    Py_ssize_t len;
    PyObject *owner;   /* NULL, a bytes object (new ref) */
    Py_buffer view;    /* valid when view.obj != NULL */
} pyossl_bytes;

PYOSSL_HIDDEN void pyossl_bytes_release(pyossl_bytes *b);

/* Accept bytes only; anything else raises TypeError naming `what`.
 * Returns 0 or -1. */
PYOSSL_HIDDEN int pyossl_bytes_strict(PyObject *obj, const char *what,
                                      pyossl_bytes *out);

/* Accept any bytes-like object, or a str with a DeprecationWarning
 * ("str for {label} is no longer accepted, use bytes") encoded as UTF-8:
 * the rule pyOpenSSL applies to data arguments. TypeError otherwise.
 * `allow_buffer` = 0 accepts only bytes (and str). Returns 0 or -1. */
PYOSSL_HIDDEN int pyossl_bytes_or_text_warn(PyObject *obj, const char *label,
                                            int allow_buffer,
                                            pyossl_bytes *out);

/* os.fspath() semantics: str (encoded with the filesystem encoding), bytes
 * or an os.PathLike. New bytes reference, or NULL with TypeError. */
PYOSSL_HIDDEN PyObject *pyossl_path_bytes(PyObject *obj);

/* `O&` converter: store a new bytes reference of the path in *(PyObject**)p,
 * or NULL for None when the converter is the _or_none variant. Supports
 * cleanup (Py_CLEANUP_SUPPORTED). */
PYOSSL_HIDDEN int pyossl_path_converter(PyObject *obj, void *p);
PYOSSL_HIDDEN int pyossl_path_or_none_converter(PyObject *obj, void *p);

/* `O&` converter for a strict int argument (bool accepted, as pyOpenSSL
 * does with isinstance(x, int)); anything else raises TypeError.
 * Stores a long. */
PYOSSL_HIDDEN int pyossl_long_converter(PyObject *obj, void *p);

/* `O&` converter for "callable or None": stores a borrowed reference or
 * NULL for None; TypeError for anything else, naming the argument
 * "callback". */
PYOSSL_HIDDEN int pyossl_callable_or_none(PyObject *obj, void *p);

/* Contents of a memory BIO as a new bytes object (NULL with MemoryError). */
PYOSSL_HIDDEN PyObject *pyossl_bio_to_bytes(BIO *bio);

/* A str from a C string, '' for NULL. New reference. */
PYOSSL_HIDDEN PyObject *pyossl_str_or_empty(const char *s);

/* An ASN1_TIME (ASN1_UTCTIME or ASN1_GENERALIZEDTIME) as GeneralizedTime
 * bytes (b"YYYYMMDDhhmmssZ"), or None if it is NULL or empty. */
PYOSSL_HIDDEN PyObject *pyossl_asn1_time_to_bytes(const ASN1_TIME *t,
                                                  PyObject *error);

/* An ASN1_INTEGER as a Python int of any size. */
PYOSSL_HIDDEN PyObject *pyossl_asn1_integer_to_long(const ASN1_INTEGER *i,
                                                    PyObject *error);

/* A Python int of any size as a new ASN1_INTEGER (caller frees); NULL with
 * an exception set. Negative values are allowed. */
PYOSSL_HIDDEN ASN1_INTEGER *pyossl_long_to_asn1_integer(PyObject *value,
                                                        PyObject *error);

/* Upper-case hex pairs joined with ':' ("AB:CD:.."), as bytes. */
PYOSSL_HIDDEN PyObject *pyossl_colon_hex(const unsigned char *data,
                                         size_t len);

/* The name argument of an OpenSSL lookup by name (digests, ciphers): a
 * str (as UTF-8) or bytes. *out is the name as a C string (borrowed from
 * `obj`), or NULL for a name with an embedded NUL, which names nothing.
 * TypeError("<what>, not <type>") for any other object. 0 or -1. */
PYOSSL_HIDDEN int pyossl_name_arg(PyObject *obj, const char *what,
                                  const char **out);

/* Look up a message digest by its (str) name; NULL with
 * ValueError("No such digest method") if unknown. `name` may be str or
 * bytes. */
PYOSSL_HIDDEN const EVP_MD *pyossl_digest_by_name(PyObject *name);

/* Turn a buffer that OpenSSL allocated (an i2d_*() call with *out == NULL)
 * into bytes and free it. A negative len or NULL buf raises `error` from the
 * queue. Usage:
 *     unsigned char *der = NULL;
 *     int len = i2d_X509(x, &der);
 *     return pyossl_take_openssl_buffer(der, len, error);
 */
PYOSSL_HIDDEN PyObject *pyossl_take_openssl_buffer(unsigned char *buf,
                                                   int len, PyObject *error);

#endif /* PYOSSL_H */
