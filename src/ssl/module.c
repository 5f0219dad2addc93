/*
 * module.c -- OpenSSL.SSL: module definition and state (skeleton; the
 * Context and Connection types come with the SSL issue).
 */
#include "../common/pyossl.h"
#include "../common/crypto_capi.h"

typedef struct {
    PyObject *crypto_module;            /* keeps the capsule's target alive */
    const pyossl_crypto_capi *crypto;
} ssl_state;

/* ------------------------------------------------------------------------
 * Version information
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(ssl_openssl_version_doc,
"OpenSSL_version(type)\n--\n\n"
"Return a string (bytes) describing the version of OpenSSL in use: type\n"
"is one of the OPENSSL_* (or SSLEAY_*) selector constants.");

static PyObject *
ssl_openssl_version(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"type", NULL};
    long type;
    (void)module;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O&:OpenSSL_version",
                                     kwlist, pyossl_long_converter, &type))
        return NULL;
    if (type < INT_MIN || type > INT_MAX) {
        PyErr_SetString(PyExc_OverflowError, "type out of range");
        return NULL;
    }
    return PyBytes_FromString(OpenSSL_version((int)type));
}

static PyMethodDef ssl_module_methods[] = {
    {"OpenSSL_version", (PyCFunction)(void (*)(void))ssl_openssl_version,
     METH_VARARGS | METH_KEYWORDS, ssl_openssl_version_doc},
    {NULL, NULL, 0, NULL}
};

static int
add_version_info(PyObject *module)
{
    static const struct { const char *name; long value; } consts[] = {
        {"OPENSSL_VERSION", OPENSSL_VERSION},
        {"OPENSSL_CFLAGS", OPENSSL_CFLAGS},
        {"OPENSSL_BUILT_ON", OPENSSL_BUILT_ON},
        {"OPENSSL_PLATFORM", OPENSSL_PLATFORM},
        {"OPENSSL_DIR", OPENSSL_DIR},
        {"SSLEAY_VERSION", OPENSSL_VERSION},
        {"SSLEAY_CFLAGS", OPENSSL_CFLAGS},
        {"SSLEAY_BUILT_ON", OPENSSL_BUILT_ON},
        {"SSLEAY_PLATFORM", OPENSSL_PLATFORM},
        {"SSLEAY_DIR", OPENSSL_DIR},
    };
    size_t i;
    PyObject *fn;

    for (i = 0; i < sizeof(consts) / sizeof(consts[0]); i++)
        if (PyModule_AddIntConstant(module, consts[i].name,
                                    consts[i].value) < 0)
            return -1;
    /* The version of the library in use, as pyOpenSSL reports it. */
    if (pyossl_module_add(module, "OPENSSL_VERSION_NUMBER",
                          PyLong_FromUnsignedLong(OpenSSL_version_num())) < 0)
        return -1;
    /* What we were compiled against, for python -m OpenSSL.debug. */
    if (PyModule_AddStringConstant(module, "_OPENSSL_BUILD_VERSION_TEXT",
                                   OPENSSL_VERSION_TEXT) < 0)
        return -1;
    if (PyModule_AddFunctions(module, ssl_module_methods) < 0)
        return -1;
    /* SSLeay_version is the very same function object. */
    fn = PyObject_GetAttrString(module, "OpenSSL_version");
    return pyossl_module_add(module, "SSLeay_version", fn);
}

static int
ssl_exec(PyObject *module)
{
    ssl_state *st = PyModule_GetState(module);

    if (pyossl_check_openssl_runtime() < 0)
        return -1;
    st->crypto_module = PyImport_ImportModule("OpenSSL.crypto");
    if (st->crypto_module == NULL)
        return -1;
    st->crypto = PyCapsule_Import(PYOSSL_CRYPTO_CAPI_NAME, 0);
    if (st->crypto == NULL)
        return -1;
    if (st->crypto->size != sizeof(pyossl_crypto_capi) ||
        st->crypto->version != PYOSSL_CRYPTO_CAPI_VERSION) {
        PyErr_SetString(PyExc_ImportError,
                        "OpenSSL.SSL and OpenSSL.crypto come from different "
                        "builds of pyOpenSSL; reinstall pyOpenSSL");
        return -1;
    }
    if (add_version_info(module) < 0)
        return -1;
    return 0;
}

static int
ssl_traverse(PyObject *module, visitproc visit, void *arg)
{
    ssl_state *st = PyModule_GetState(module);
    Py_VISIT(st->crypto_module);
    return 0;
}

static int
ssl_clear(PyObject *module)
{
    ssl_state *st = PyModule_GetState(module);
    Py_CLEAR(st->crypto_module);
    return 0;
}

static void
ssl_free(void *module)
{
    ssl_clear((PyObject *)module);
}

static PyModuleDef_Slot ssl_slots[] = {
    {Py_mod_exec, ssl_exec},
    {0, NULL}
};

static PyModuleDef ssl_module_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "OpenSSL.SSL",
    .m_doc = "TLS connections over OpenSSL 3 (pyOpenSSL's OpenSSL.SSL API).",
    .m_size = sizeof(ssl_state),
    .m_slots = ssl_slots,
    .m_traverse = ssl_traverse,
    .m_clear = ssl_clear,
    .m_free = ssl_free,
};

PyMODINIT_FUNC
PyInit_SSL(void)
{
    return PyModuleDef_Init(&ssl_module_def);
}
