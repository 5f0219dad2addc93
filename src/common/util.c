/*
 * util.c -- module plumbing shared by the three extension modules.
 */
#include "pyossl.h"

PyObject *
pyossl_type_get_module(PyTypeObject *type, PyModuleDef *def)
{
#if PY_VERSION_HEX >= 0x030B0000
    return PyType_GetModuleByDef(type, def);
#else
    PyObject *mro = type->tp_mro;
    Py_ssize_t i, n;

    if (mro == NULL || !PyTuple_Check(mro))
        goto fail;
    n = PyTuple_GET_SIZE(mro);
    for (i = 0; i < n; i++) {
        PyTypeObject *t = (PyTypeObject *)PyTuple_GET_ITEM(mro, i);
        PyObject *module;
        if (!(t->tp_flags & Py_TPFLAGS_HEAPTYPE))
            continue;
        module = ((PyHeapTypeObject *)t)->ht_module;
        if (module != NULL && PyModule_GetDef(module) == def)
            return module;
    }
fail:
    PyErr_Format(PyExc_TypeError,
                 "PyType_GetModuleByDef: No superclass of '%s' has the "
                 "given module", type->tp_name);
    return NULL;
#endif
}

void *
pyossl_type_get_state(PyTypeObject *type, PyModuleDef *def)
{
    PyObject *module = pyossl_type_get_module(type, def);
    if (module == NULL)
        return NULL;
    return PyModule_GetState(module);
}

int
pyossl_module_add(PyObject *module, const char *name, PyObject *value)
{
    int rc;
    if (value == NULL)
        return -1;
    rc = PyModule_AddObject(module, name, value);
    if (rc < 0)
        Py_DECREF(value);
    return rc;
}

PyObject *
pyossl_new_exception(const char *qualname, const char *doc, PyObject *bases)
{
    return PyErr_NewExceptionWithDoc(qualname, doc, bases, NULL);
}

int
pyossl_check_openssl_runtime(void)
{
    unsigned long runtime = OpenSSL_version_num();
    if (runtime < OPENSSL_VERSION_NUMBER) {
        PyErr_Format(PyExc_ImportError,
                     "pyOpenSSL was built against %s but the OpenSSL library "
                     "loaded at run time is older (%s); install a libssl of "
                     "at least the build version, or rebuild pyOpenSSL",
                     OPENSSL_VERSION_TEXT, OpenSSL_version(OPENSSL_VERSION));
        return -1;
    }
    return 0;
}

int
pyossl_add_constant_class(PyObject *module, const char *module_name,
                          const char *name, const char *doc,
                          const char *const *names, const long *values)
{
    PyObject *ns, *cls;
    size_t i;

    ns = Py_BuildValue("{s:s,s:s,s:s}", "__module__", module_name,
                       "__qualname__", name, "__doc__", doc);
    if (ns == NULL)
        return -1;
    for (i = 0; names[i] != NULL; i++) {
        PyObject *v = PyLong_FromLong(values[i]);
        if (v == NULL || PyDict_SetItemString(ns, names[i], v) < 0) {
            Py_XDECREF(v);
            Py_DECREF(ns);
            return -1;
        }
        Py_DECREF(v);
    }
    cls = PyObject_CallFunction((PyObject *)&PyType_Type, "s()O", name, ns);
    Py_DECREF(ns);
    return pyossl_module_add(module, name, cls);
}

int
pyossl_init_no_arguments(PyObject *args, PyObject *kwargs,
                         const char *format)
{
    static char *kwlist[] = {NULL};
    return PyArg_ParseTupleAndKeywords(args, kwargs, format, kwlist) ? 0 : -1;
}

int
pyossl_parse_fastcall(PyObject *const *args, Py_ssize_t nargs,
                      PyObject *kwnames, const char *fname,
                      const char *const *names, int required, PyObject **out)
{
    Py_ssize_t i, nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    int n = 0;

    while (names[n] != NULL)
        out[n++] = NULL;
    if (nargs > n) {
        PyErr_Format(PyExc_TypeError,
                     "%s() takes at most %d arguments (%zd given)", fname, n,
                     nargs + nkw);
        return -1;
    }
    for (i = 0; i < nargs; i++)
        out[i] = args[i];
    for (i = 0; i < nkw; i++) {
        PyObject *key = PyTuple_GET_ITEM(kwnames, i);
        int j;
        for (j = 0; j < n; j++)
            if (PyUnicode_CompareWithASCIIString(key, names[j]) == 0)
                break;
        if (j == n) {
            PyErr_Format(PyExc_TypeError,
                         "%s() got an unexpected keyword argument '%U'",
                         fname, key);
            return -1;
        }
        if (out[j] != NULL) {
            PyErr_Format(PyExc_TypeError,
                         "argument for %s() given by name ('%s') and "
                         "position (%d)", fname, names[j], j + 1);
            return -1;
        }
        out[j] = args[nargs + i];
    }
    for (i = 0; i < required; i++) {
        if (out[i] == NULL) {
            PyErr_Format(PyExc_TypeError,
                         "%s() missing required argument '%s' (pos %zd)",
                         fname, names[i], i + 1);
            return -1;
        }
    }
    return 0;
}
