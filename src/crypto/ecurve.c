/*
 * ecurve.c -- the elliptic-curve objects of get_elliptic_curve(s) (the
 * private class OpenSSL.crypto._EllipticCurve) and the curve lookup that
 * SSL.Context.set_tmp_ecdh uses.
 *
 * The set of curves is built once per module from EC_get_builtin_curves()
 * and cached, so the same name always gives the same object and equality
 * is identity, as in pyOpenSSL.
 */
#include "crypto.h"

#include <openssl/ec.h>

static PyObject *
ecurve_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    (void)args;
    (void)kwargs;
    PyErr_Format(PyExc_TypeError,
                 "cannot create '%.100s' instances; use "
                 "get_elliptic_curve(name)", type->tp_name);
    return NULL;
}

static int
ecurve_traverse(EllipticCurveObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->name);
    return 0;
}

static int
ecurve_clear(EllipticCurveObject *self)
{
    Py_CLEAR(self->name);
    return 0;
}

static void
ecurve_dealloc(EllipticCurveObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    if (self->weakreflist != NULL)
        PyObject_ClearWeakRefs((PyObject *)self);
    ecurve_clear(self);
    tp->tp_free((PyObject *)self);
    Py_DECREF(tp);
}

static PyObject *
ecurve_repr(EllipticCurveObject *self)
{
    return PyUnicode_FromFormat("<Curve %R>", self->name);
}

static PyMemberDef ecurve_members[] = {
    {"name", T_OBJECT, offsetof(EllipticCurveObject, name), READONLY,
     "The OpenSSL short name of the curve (str)."},
    {"__weaklistoffset__", T_PYSSIZET,
     offsetof(EllipticCurveObject, weakreflist), READONLY, NULL},
    {NULL, 0, 0, 0, NULL}
};

PyDoc_STRVAR(ecurve_doc,
"A representation of a supported elliptic curve; get one with\n"
"get_elliptic_curve(name).");

static PyType_Slot ecurve_slots[] = {
    {Py_tp_doc, (void *)ecurve_doc},
    {Py_tp_new, ecurve_new},
    {Py_tp_dealloc, ecurve_dealloc},
    {Py_tp_traverse, ecurve_traverse},
    {Py_tp_clear, ecurve_clear},
    {Py_tp_repr, ecurve_repr},
    {Py_tp_members, ecurve_members},
    {0, NULL}
};

static PyType_Spec ecurve_spec = {
    .name = "OpenSSL.crypto._EllipticCurve",
    .basicsize = sizeof(EllipticCurveObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .slots = ecurve_slots,
};

/* Build the cache: a dict short name -> curve object. 0 or -1. */
static int
load_curves(crypto_state *st)
{
    size_t i, n = EC_get_builtin_curves(NULL, 0);
    EC_builtin_curve *curves;
    PyObject *by_name;

    if (st->curves_by_name != NULL)
        return 0;
    curves = PyMem_New(EC_builtin_curve, n ? n : 1);
    if (curves == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    n = EC_get_builtin_curves(curves, n);
    by_name = PyDict_New();
    if (by_name == NULL)
        goto fail;
    for (i = 0; i < n; i++) {
        const char *sn = OBJ_nid2sn(curves[i].nid);
        EllipticCurveObject *curve;
        int rc;
        if (sn == NULL)
            continue;
        curve = PyObject_GC_New(EllipticCurveObject, st->EllipticCurve_Type);
        if (curve == NULL)
            goto fail;
        curve->nid = curves[i].nid;
        curve->weakreflist = NULL;
        curve->name = PyUnicode_FromString(sn);
        PyObject_GC_Track(curve);
        if (curve->name == NULL) {
            Py_DECREF(curve);
            goto fail;
        }
        rc = PyDict_SetItem(by_name, curve->name, (PyObject *)curve);
        Py_DECREF(curve);
        if (rc < 0)
            goto fail;
    }
    PyMem_Free(curves);
    st->curves_by_name = by_name;
    return 0;

fail:
    PyMem_Free(curves);
    Py_XDECREF(by_name);
    return -1;
}

PyDoc_STRVAR(get_elliptic_curves_doc,
"get_elliptic_curves()\n--\n\n"
"Return a set of objects representing the elliptic curves supported in\n"
"the OpenSSL build in use. The curve objects are cached: the same curve\n"
"is always the same object.");

static PyObject *
get_elliptic_curves(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    crypto_state *st = PyModule_GetState(module);
    PyObject *values, *result;

    if (load_curves(st) < 0)
        return NULL;
    values = PyDict_Values(st->curves_by_name);
    if (values == NULL)
        return NULL;
    result = PySet_New(values);
    Py_DECREF(values);
    return result;
}

PyDoc_STRVAR(get_elliptic_curve_doc,
"get_elliptic_curve(name)\n--\n\n"
"Return a single curve object selected by name (an OpenSSL short name\n"
"such as 'prime256v1').\n\n"
":raises ValueError: if the named curve is not supported.");

static PyObject *
get_elliptic_curve(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"name", NULL};
    crypto_state *st = PyModule_GetState(module);
    PyObject *name, *curve;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:get_elliptic_curve",
                                     kwlist, &name))
        return NULL;
    if (load_curves(st) < 0)
        return NULL;
    /* Only a str can name a curve (pyOpenSSL compares with ==); anything
     * else, hashable or not, is an unknown name. */
    curve = PyUnicode_Check(name)
                ? PyDict_GetItemWithError(st->curves_by_name, name) : NULL;
    if (curve == NULL) {
        PyObject *exc_args;
        if (PyErr_Occurred())
            return NULL;
        exc_args = Py_BuildValue("(sO)", "unknown curve name", name);
        if (exc_args != NULL) {
            PyErr_SetObject(PyExc_ValueError, exc_args);
            Py_DECREF(exc_args);
        }
        return NULL;
    }
    return Py_NewRef(curve);
}

int
crypto_ecurve_nid(crypto_state *st, PyObject *obj)
{
    PyObject *name;
    const char *s;
    Py_ssize_t len = 0;
    int nid;

    if (PyObject_TypeCheck(obj, st->EllipticCurve_Type))
        return ((EllipticCurveObject *)obj)->nid;
    /* A cryptography EllipticCurve: map its name as pyOpenSSL 26 does. */
    name = PyObject_GetAttrString(obj, "name");
    if (name == NULL) {
        if (PyErr_ExceptionMatches(PyExc_AttributeError)) {
            PyErr_Clear();
            crypto_wrong_type(st, "curve must be an elliptic curve", obj);
        }
        return NID_undef;
    }
    s = PyUnicode_Check(name) ? PyUnicode_AsUTF8AndSize(name, &len) : NULL;
    if (s == NULL) {
        if (!PyErr_Occurred())
            crypto_wrong_type(st, "curve.name must be a str", name);
        Py_DECREF(name);
        return NID_undef;
    }
    if ((size_t)len != strlen(s)) {
        /* OBJ_txt2nid() would read only up to the NUL ("prime256v1\0x"
         * would be prime256v1): such a name names no curve. */
        Py_DECREF(name);
        ERR_raise(ERR_LIB_OBJ, OBJ_R_UNKNOWN_OBJECT_NAME);
        CRYPTO_RAISE(st);
        return NID_undef;
    }
    if (strcmp(s, "secp192r1") == 0)
        s = "prime192v1";
    else if (strcmp(s, "secp256r1") == 0)
        s = "prime256v1";
    nid = OBJ_txt2nid(s);
    Py_DECREF(name);
    if (nid == NID_undef)
        CRYPTO_RAISE(st);
    return nid;
}

PyMethodDef crypto_ecurve_methods[] = {
    {"get_elliptic_curves", get_elliptic_curves, METH_NOARGS,
     get_elliptic_curves_doc},
    {"get_elliptic_curve", (PyCFunction)(void (*)(void))get_elliptic_curve,
     METH_VARARGS | METH_KEYWORDS, get_elliptic_curve_doc},
    {NULL, NULL, 0, NULL}
};

int
crypto_ecurve_register(PyObject *module, crypto_state *st)
{
    st->EllipticCurve_Type = (PyTypeObject *)PyType_FromModuleAndSpec(
        module, &ecurve_spec, NULL);
    if (st->EllipticCurve_Type == NULL)
        return -1;
    return PyModule_AddObjectRef(module, "_EllipticCurve",
                                 (PyObject *)st->EllipticCurve_Type);
}
