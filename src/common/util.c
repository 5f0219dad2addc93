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
