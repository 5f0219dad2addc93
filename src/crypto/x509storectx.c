/*
 * x509storectx.c -- OpenSSL.crypto.X509StoreContext (certificate chain
 * verification) and OpenSSL.crypto.X509StoreContextError.
 *
 * An X509StoreContext holds what a verification needs: the store, the
 * certificate and the untrusted chain. As in pyOpenSSL 26.4, the store and
 * the certificate are kept as given and only checked when a verification
 * runs. Every verification builds a fresh X509_STORE_CTX and frees it
 * before returning, so repeated calls do not grow memory (pyOpenSSL 17.3.0's
 * leak fix).
 *
 * X509StoreContextError is an ordinary Python exception class (a subclass
 * of Exception, not of crypto.Error) whose __init__ is written in C:
 * X509StoreContextError(message, errors, certificate) gives args ==
 * (message,) and sets the attributes `errors` and `certificate`, as in
 * pyOpenSSL.
 */
#include "crypto.h"

/* ------------------------------------------------------------------------
 * X509StoreContextError
 * --------------------------------------------------------------------- */

/* __init__(self, message, errors, certificate); bound through an
 * instancemethod, so `args` starts with self. */
static PyObject *
storectx_error_init(PyObject *Py_UNUSED(unused), PyObject *args,
                    PyObject *kwargs)
{
    static char *kwlist[] = {"message", "errors", "certificate", NULL};
    PyObject *self, *rest, *message, *errors, *certificate, *init_args;
    int rc;

    if (PyTuple_GET_SIZE(args) < 1) {
        PyErr_SetString(PyExc_TypeError,
                        "X509StoreContextError.__init__() needs self");
        return NULL;
    }
    self = PyTuple_GET_ITEM(args, 0);
    rest = PyTuple_GetSlice(args, 1, PyTuple_GET_SIZE(args));
    if (rest == NULL)
        return NULL;
    rc = PyArg_ParseTupleAndKeywords(rest, kwargs,
                                     "OOO:X509StoreContextError.__init__",
                                     kwlist, &message, &errors,
                                     &certificate);
    Py_DECREF(rest);
    if (!rc)
        return NULL;
    if (!PyExceptionInstance_Check(self)) {
        PyErr_Format(PyExc_TypeError,
                     "X509StoreContextError.__init__() needs an exception "
                     "instance, not %.100s", Py_TYPE(self)->tp_name);
        return NULL;
    }
    /* super().__init__(message) */
    init_args = PyTuple_Pack(1, message);
    if (init_args == NULL)
        return NULL;
    rc = ((PyTypeObject *)PyExc_Exception)->tp_init(self, init_args, NULL);
    Py_DECREF(init_args);
    if (rc < 0)
        return NULL;
    if (PyObject_SetAttrString(self, "errors", errors) < 0 ||
        PyObject_SetAttrString(self, "certificate", certificate) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyMethodDef storectx_error_init_def = {
    "__init__", (PyCFunction)(void (*)(void))storectx_error_init,
    METH_VARARGS | METH_KEYWORDS,
    "__init__($self, /, message, errors, certificate)\n--\n\n"
    "message (str) becomes args[0]; errors is [error_code, error_depth,\n"
    "message] and certificate the X509 that failed."
};

/* Create the exception class, store it in the state and add it to the
 * module. 0 or -1. */
static int
add_storectx_error(PyObject *module, crypto_state *st)
{
    PyObject *func, *method, *dict;
    int rc;

    func = PyCFunction_NewEx(&storectx_error_init_def, NULL, NULL);
    if (func == NULL)
        return -1;
    method = PyInstanceMethod_New(func);
    Py_DECREF(func);
    if (method == NULL)
        return -1;
    dict = PyDict_New();
    if (dict == NULL) {
        Py_DECREF(method);
        return -1;
    }
    rc = PyDict_SetItemString(dict, "__init__", method);
    Py_DECREF(method);
    if (rc < 0) {
        Py_DECREF(dict);
        return -1;
    }
    st->X509StoreContextError = PyErr_NewExceptionWithDoc(
        "OpenSSL.crypto.X509StoreContextError",
        "An exception raised when an error occurred while verifying a\n"
        "certificate using :meth:`X509StoreContext.verify_certificate`.\n\n"
        "X509StoreContextError(message, errors, certificate): args is\n"
        "(message,).\n\n"
        ":ivar errors: [error_code, error_depth, message], OpenSSL's\n"
        "    X509_V_ERR_* code, the depth in the chain and its text.\n"
        ":ivar certificate: The certificate which caused verificate failure.\n"
        ":type certificate: :class:`X509`", NULL, dict);
    Py_DECREF(dict);
    if (st->X509StoreContextError == NULL)
        return -1;
    return PyModule_AddObjectRef(module, "X509StoreContextError",
                                 st->X509StoreContextError);
}

/* ------------------------------------------------------------------------
 * Construction and lifetime
 * --------------------------------------------------------------------- */

/* The untrusted chain: NULL for None or an empty iterable, else a stack of
 * up-referenced X509s. *out is set on success; 0 or -1. */
static int
build_chain(crypto_state *st, PyObject *chain, STACK_OF(X509) **out)
{
    STACK_OF(X509) *stack = NULL;
    PyObject *iter, *item;

    *out = NULL;
    if (chain == Py_None)
        return 0;
    iter = PyObject_GetIter(chain);
    if (iter == NULL)
        return -1;
    while ((item = PyIter_Next(iter)) != NULL) {
        X509 *x509;
        if (!PyObject_TypeCheck(item, st->X509_Type)) {
            Py_DECREF(item);
            PyErr_SetString(PyExc_TypeError,
                            "One of the elements is not an X509 instance");
            goto fail;
        }
        x509 = ((X509Object *)item)->x509;
        Py_DECREF(item);   /* x509 stays alive: we up-ref it below */
        if (stack == NULL && (stack = sk_X509_new_null()) == NULL) {
            CRYPTO_RAISE(st);
            goto fail;
        }
        if (!X509_up_ref(x509)) {
            CRYPTO_RAISE(st);
            goto fail;
        }
        if (sk_X509_push(stack, x509) <= 0) {
            X509_free(x509);
            CRYPTO_RAISE(st);
            goto fail;
        }
    }
    if (PyErr_Occurred())
        goto fail;
    Py_DECREF(iter);
    *out = stack;
    return 0;
fail:
    Py_DECREF(iter);
    sk_X509_pop_free(stack, X509_free);
    return -1;
}

static PyObject *
storectx_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    X509StoreContextObject *self;
    (void)args;
    (void)kwargs;

    self = (X509StoreContextObject *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->store = NULL;
    self->certificate = NULL;
    self->chain = NULL;
    self->weakreflist = NULL;
    return (PyObject *)self;
}

static int
storectx_init(X509StoreContextObject *self, PyObject *args,
              PyObject *kwargs)
{
    static char *kwlist[] = {"store", "certificate", "chain", NULL};
    PyObject *store, *certificate, *chain = Py_None, *tmp;
    STACK_OF(X509) *stack, *old;
    crypto_state *st = crypto_state_of((PyObject *)self);

    if (st == NULL)
        return -1;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO|O:X509StoreContext",
                                     kwlist, &store, &certificate, &chain))
        return -1;
    if (build_chain(st, chain, &stack) < 0)
        return -1;
    /* __init__ may run again on the same object: replace everything. */
    old = self->chain;
    self->chain = stack;
    sk_X509_pop_free(old, X509_free);
    tmp = self->store;
    self->store = Py_NewRef(store);
    Py_XDECREF(tmp);
    tmp = self->certificate;
    self->certificate = Py_NewRef(certificate);
    Py_XDECREF(tmp);
    return 0;
}

static int
storectx_traverse(X509StoreContextObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->store);
    Py_VISIT(self->certificate);
    return 0;
}

static int
storectx_clear(X509StoreContextObject *self)
{
    Py_CLEAR(self->store);
    Py_CLEAR(self->certificate);
    return 0;
}

static void
storectx_dealloc(X509StoreContextObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    if (self->weakreflist != NULL)
        PyObject_ClearWeakRefs((PyObject *)self);
    storectx_clear(self);
    sk_X509_pop_free(self->chain, X509_free);
    self->chain = NULL;
    tp->tp_free((PyObject *)self);
    Py_DECREF(tp);
}

/* ------------------------------------------------------------------------
 * Verification
 * --------------------------------------------------------------------- */

/* X509StoreContextError for a failed verification in `ctx`; returns NULL
 * with it set (or with whatever went wrong while building it). */
static PyObject *
raise_from_context(crypto_state *st, X509_STORE_CTX *ctx)
{
    int code = X509_STORE_CTX_get_error(ctx);
    int depth = X509_STORE_CTX_get_error_depth(ctx);
    X509 *current = X509_STORE_CTX_get_current_cert(ctx);
    PyObject *message, *errors, *certificate, *exc;

    message = PyUnicode_FromString(X509_verify_cert_error_string(code));
    if (message == NULL)
        return NULL;
    errors = Py_BuildValue("[iiO]", code, depth, message);
    if (errors == NULL) {
        Py_DECREF(message);
        return NULL;
    }
    /* A copy of the failing certificate (None if OpenSSL names none). A
     * certificate that cannot be encoded (an empty X509()) cannot be
     * copied; then the exception shares it rather than losing the
     * verification error. */
    if (current == NULL) {
        certificate = Py_NewRef(Py_None);
    }
    else {
        X509 *copy = X509_dup(current);
        if (copy != NULL) {
            certificate = crypto_x509_wrap(st, copy);
        }
        else {
            pyossl_clear_errors();
            certificate = crypto_x509_from_ptr(st, current);
        }
    }
    if (certificate == NULL) {
        Py_DECREF(errors);
        Py_DECREF(message);
        return NULL;
    }
    exc = PyObject_CallFunctionObjArgs(st->X509StoreContextError, message,
                                       errors, certificate, NULL);
    Py_DECREF(certificate);
    Py_DECREF(errors);
    Py_DECREF(message);
    if (exc == NULL)
        return NULL;
    PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
    Py_DECREF(exc);
    return NULL;
}

/* Run one verification. On success return a new X509_STORE_CTX holding the
 * result (the caller frees it); on failure NULL with X509StoreContextError
 * (or another exception) set. The OpenSSL error queue is empty afterwards.
 */
static X509_STORE_CTX *
verify(crypto_state *st, X509StoreContextObject *self)
{
    PyObject *store_obj, *cert_obj;
    X509_STORE_CTX *ctx = NULL;
    int rc;

    if (self->store == NULL || self->certificate == NULL) {
        PyErr_SetString(PyExc_AttributeError,
                        "X509StoreContext.__init__() was not called");
        return NULL;
    }
    if (!PyObject_TypeCheck(self->store, st->X509Store_Type)) {
        /* 26.4 raises AttributeError (it reads store._store). */
        crypto_wrong_type(st, "store must be an X509Store instance",
                          self->store);
        return NULL;
    }
    if (!PyObject_TypeCheck(self->certificate, st->X509_Type)) {
        crypto_wrong_type(st, "certificate must be an X509 instance",
                          self->certificate);
        return NULL;
    }
    /* Hold our own references: nothing below runs Python code, but keep
     * the objects whose pointers OpenSSL uses alive on principle. */
    store_obj = Py_NewRef(self->store);
    cert_obj = Py_NewRef(self->certificate);

    ctx = X509_STORE_CTX_new();
    if (ctx == NULL) {
        CRYPTO_RAISE(st);
        goto done;
    }
    if (X509_STORE_CTX_init(ctx, ((X509StoreObject *)store_obj)->store,
                            ((X509Object *)cert_obj)->x509,
                            self->chain) != 1) {
        CRYPTO_RAISE(st);
        X509_STORE_CTX_free(ctx);
        ctx = NULL;
        goto done;
    }
    rc = X509_verify_cert(ctx);
    /* The verdict is in ctx; whatever OpenSSL queued on the way is not. */
    pyossl_clear_errors();
    if (rc <= 0) {
        raise_from_context(st, ctx);
        X509_STORE_CTX_free(ctx);
        ctx = NULL;
    }
done:
    Py_DECREF(cert_obj);
    Py_DECREF(store_obj);
    return ctx;
}

PyDoc_STRVAR(storectx_set_store_doc,
"set_store($self, /, store)\n--\n\n"
"Set the context's X.509 store.\n\n"
":param X509Store store: The store description which will be used for\n"
"    the purposes of any *future* verifications.");

static PyObject *
storectx_set_store(X509StoreContextObject *self, PyObject *args,
                   PyObject *kwargs)
{
    static char *kwlist[] = {"store", NULL};
    PyObject *store, *old;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:set_store", kwlist,
                                     &store))
        return NULL;
    old = self->store;
    self->store = Py_NewRef(store);
    Py_XDECREF(old);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(storectx_verify_certificate_doc,
"verify_certificate($self, /)\n--\n\n"
"Verify a certificate in a context.\n\n"
":raises X509StoreContextError: If an error occurred when validating a\n"
"    certificate in the context. Sets ``certificate`` attribute to\n"
"    indicate which certificate caused the error.\n"
":return: ``None``.");

static PyObject *
storectx_verify_certificate(X509StoreContextObject *self,
                            PyObject *Py_UNUSED(ignored))
{
    X509_STORE_CTX *ctx;
    CRYPTO_METHOD_STATE(self, st);

    ctx = verify(st, self);
    if (ctx == NULL)
        return NULL;
    X509_STORE_CTX_free(ctx);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(storectx_get_verified_chain_doc,
"get_verified_chain($self, /)\n--\n\n"
"Verify a certificate in a context and return the complete validated\n"
"chain: a list of :class:`X509`, from the certificate itself to the\n"
"trust anchor.\n\n"
":raises X509StoreContextError: If an error occurred when validating a\n"
"    certificate in the context. Sets ``certificate`` attribute to\n"
"    indicate which certificate caused the error.");

static PyObject *
storectx_get_verified_chain(X509StoreContextObject *self,
                            PyObject *Py_UNUSED(ignored))
{
    X509_STORE_CTX *ctx;
    STACK_OF(X509) *chain;
    PyObject *result;
    int i, n;
    CRYPTO_METHOD_STATE(self, st);

    ctx = verify(st, self);
    if (ctx == NULL)
        return NULL;
    chain = X509_STORE_CTX_get1_chain(ctx);
    X509_STORE_CTX_free(ctx);
    if (chain == NULL)
        return CRYPTO_RAISE(st);
    n = sk_X509_num(chain);
    result = PyList_New(n < 0 ? 0 : n);
    if (result == NULL)
        goto done;
    for (i = 0; i < n; i++) {
        PyObject *cert = crypto_x509_from_ptr(st, sk_X509_value(chain, i));
        if (cert == NULL) {
            Py_CLEAR(result);
            goto done;
        }
        PyList_SET_ITEM(result, i, cert);
    }
done:
    sk_X509_pop_free(chain, X509_free);
    return result;
}

/* ------------------------------------------------------------------------
 * Type
 * --------------------------------------------------------------------- */

#define METH_KW(name) \
    {#name, (PyCFunction)(void (*)(void))storectx_##name, \
     METH_VARARGS | METH_KEYWORDS, storectx_##name##_doc}
#define METH_NO(name) \
    {#name, (PyCFunction)storectx_##name, METH_NOARGS, storectx_##name##_doc}

static PyMethodDef storectx_methods[] = {
    METH_KW(set_store),
    METH_NO(verify_certificate),
    METH_NO(get_verified_chain),
    {NULL, NULL, 0, NULL}
};

static PyMemberDef storectx_members[] = {
    {"__weaklistoffset__", T_PYSSIZET,
     offsetof(X509StoreContextObject, weakreflist), READONLY, NULL},
    {NULL, 0, 0, 0, NULL}
};

PyDoc_STRVAR(storectx_doc,
"X509StoreContext(store, certificate, chain=None)\n--\n\n"
"An X.509 store context.\n\n"
"An X.509 store context is used to carry out the actual verification\n"
"process of a certificate in a described context. For describing such a\n"
"context, see :class:`X509Store`.\n\n"
":param X509Store store: The certificates which will be trusted for the\n"
"    purposes of any verifications.\n"
":param X509 certificate: The certificate to be verified.\n"
":param chain: An iterable of untrusted :class:`X509` certificates that\n"
"    may be used for building the certificate chain. May be ``None``.\n\n"
"store and certificate are checked when a verification runs; an element\n"
"of chain that is not an X509 raises TypeError at once.");

static PyType_Slot storectx_slots[] = {
    {Py_tp_doc, (void *)storectx_doc},
    {Py_tp_new, storectx_new},
    {Py_tp_init, storectx_init},
    {Py_tp_dealloc, storectx_dealloc},
    {Py_tp_traverse, storectx_traverse},
    {Py_tp_clear, storectx_clear},
    {Py_tp_methods, storectx_methods},
    {Py_tp_members, storectx_members},
    {0, NULL}
};

static PyType_Spec storectx_spec = {
    .name = "OpenSSL.crypto.X509StoreContext",
    .basicsize = sizeof(X509StoreContextObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .slots = storectx_slots,
};

int
crypto_x509storectx_register(PyObject *module, crypto_state *st)
{
    if (add_storectx_error(module, st) < 0)
        return -1;
    st->X509StoreContext_Type = (PyTypeObject *)PyType_FromModuleAndSpec(
        module, &storectx_spec, NULL);
    if (st->X509StoreContext_Type == NULL)
        return -1;
    return PyModule_AddObjectRef(module, "X509StoreContext",
                                 (PyObject *)st->X509StoreContext_Type);
}
