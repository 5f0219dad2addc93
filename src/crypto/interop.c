/*
 * interop.c -- conversions to and from the optional `cryptography` package.
 *
 * Every conversion is a DER round trip, so the two objects are independent
 * copies, as in pyOpenSSL. cryptography is imported only when a conversion
 * is asked for; without it installed, everything else keeps working and
 * the conversions raise an ImportError saying what is missing.
 */
#include "crypto.h"

PyObject *
crypto_import_cryptography(const char *module)
{
    PyObject *mod = PyImport_ImportModule(module);
    if (mod == NULL && PyErr_ExceptionMatches(PyExc_ImportError)) {
        PyObject *type, *value, *tb, *type2, *value2, *tb2;
        PyErr_Fetch(&type, &value, &tb);
        PyErr_NormalizeException(&type, &value, &tb);
        PyErr_Format(PyExc_ImportError,
                     "this conversion needs the optional 'cryptography' "
                     "package (import of %s failed); pip install "
                     "cryptography", module);
        PyErr_Fetch(&type2, &value2, &tb2);
        PyErr_NormalizeException(&type2, &value2, &tb2);
        if (value != NULL && value2 != NULL)
            PyException_SetCause(value2, Py_NewRef(value));
        Py_XDECREF(type);
        Py_XDECREF(value);
        Py_XDECREF(tb);
        PyErr_Restore(type2, value2, tb2);
    }
    return mod;
}

int
crypto_require_cryptography(void)
{
    PyObject *mod = crypto_import_cryptography("cryptography");
    if (mod == NULL)
        return -1;
    Py_DECREF(mod);
    return 0;
}

PyObject *
crypto_cryptography_call(const char *module, const char *func, PyObject *arg)
{
    PyObject *mod, *result;
    mod = crypto_import_cryptography(module);
    if (mod == NULL)
        return NULL;
    result = PyObject_CallMethod(mod, func, "O", arg);
    Py_DECREF(mod);
    return result;
}

int
crypto_is_cryptography_instance(PyObject *obj, const char *module,
                                const char *name)
{
    PyObject *mod, *cls;
    int rc;

    /* Nothing can be an instance of a class of cryptography if cryptography
     * was never imported (or is blocked with sys.modules[...] = None):
     * then the answer is no, without importing anything. If it was, the
     * submodule may still be missing from sys.modules (keys loaded by a
     * module that did not import it): import it then. */
    PyObject *modname = PyUnicode_FromString("cryptography");
    if (modname == NULL)
        return -1;
    mod = PyImport_GetModule(modname);
    Py_DECREF(modname);
    if (mod == NULL)
        return PyErr_Occurred() ? -1 : 0;
    rc = mod != Py_None;
    Py_DECREF(mod);
    if (!rc)
        return 0;
    mod = PyImport_ImportModule(module);
    if (mod == NULL) {
        if (!PyErr_ExceptionMatches(PyExc_ImportError))
            return -1;
        PyErr_Clear();
        return 0;
    }
    cls = PyObject_GetAttrString(mod, name);
    Py_DECREF(mod);
    if (cls == NULL)
        return -1;
    rc = PyObject_IsInstance(obj, cls);
    Py_DECREF(cls);
    return rc;
}

PyObject *
crypto_cryptography_public_der(PyObject *obj)
{
    PyObject *ser, *encoding, *der;
    ser = crypto_import_cryptography(
        "cryptography.hazmat.primitives.serialization");
    if (ser == NULL)
        return NULL;
    encoding = PyObject_GetAttrString(ser, "Encoding");
    Py_DECREF(ser);
    if (encoding == NULL)
        return NULL;
    {
        PyObject *der_enum = PyObject_GetAttrString(encoding, "DER");
        Py_DECREF(encoding);
        if (der_enum == NULL)
            return NULL;
        der = PyObject_CallMethod(obj, "public_bytes", "O", der_enum);
        Py_DECREF(der_enum);
    }
    if (der != NULL && !PyBytes_Check(der)) {
        Py_DECREF(der);
        PyErr_SetString(PyExc_TypeError, "public_bytes() did not return bytes");
        return NULL;
    }
    return der;
}

PyObject *
crypto_cryptography_der_of(PyObject *obj, const char *cls,
                           PyObject *exc_type, const char *message,
                           int require)
{
    int rc = crypto_is_cryptography_instance(obj, "cryptography.x509", cls);

    if (rc < 0)
        return NULL;
    if (rc == 0) {
        if (!require || crypto_require_cryptography() == 0)
            PyErr_SetString(exc_type, message);
        return NULL;
    }
    return crypto_cryptography_public_der(obj);
}

PyObject *
crypto_der_to_cryptography(crypto_state *st, unsigned char *der, int len,
                           const char *loader)
{
    PyObject *bytes, *result;

    bytes = pyossl_take_openssl_buffer(der, len, st->Error);
    if (bytes == NULL)
        return NULL;
    result = crypto_cryptography_call("cryptography.x509", loader, bytes);
    Py_DECREF(bytes);
    return result;
}
