/*
 * pkcs7.c -- OpenSSL.crypto.PKCS7 (a PKCS#7 structure, read-only) and
 * load_pkcs7_data().
 *
 * The class is PKCS7 and 0.13's PKCS7Type is the same object (API.md 3.2
 * row 25). PKCS7() makes an empty object, as pyOpenSSL 23.0 does; its
 * methods raise AttributeError because there is nothing to look at.
 */
#include "crypto.h"
#include "../common/passphrase.h"

/* ------------------------------------------------------------------------
 * Construction
 * --------------------------------------------------------------------- */

/* A new PKCS7 owning `p7` (consumed, even on failure). */
static PyObject *
pkcs7_wrap(crypto_state *st, PKCS7 *p7)
{
    PyTypeObject *type = st->PKCS7_Type;
    PKCS7Object *self = (PKCS7Object *)type->tp_alloc(type, 0);
    if (self == NULL) {
        PKCS7_free(p7);
        return NULL;
    }
    self->pkcs7 = p7;
    return (PyObject *)self;
}

/* tp_new ignores its arguments and tp_init checks them, so that a subclass
 * may give its __init__ another signature. */
static PyObject *
pkcs7_new(PyTypeObject *type, PyObject *Py_UNUSED(args),
          PyObject *Py_UNUSED(kwargs))
{
    /* tp_alloc zeroes the object: pkcs7 == NULL marks it empty. */
    return type->tp_alloc(type, 0);
}

PYOSSL_NO_ARGUMENTS_INIT(pkcs7_init, "PKCS7")

static void
pkcs7_dealloc(PKCS7Object *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    if (self->weakreflist != NULL)
        PyObject_ClearWeakRefs((PyObject *)self);
    PKCS7_free(self->pkcs7);
    tp->tp_free((PyObject *)self);
    Py_DECREF(tp);
}

/* The PKCS7 of self (borrowed), or NULL with the AttributeError that
 * pyOpenSSL 23.0 raises for an empty PKCS7(). */
static PKCS7 *
pkcs7_get(PKCS7Object *self)
{
    if (self->pkcs7 == NULL) {
        PyErr_Format(PyExc_AttributeError,
                     "'%.100s' object has no attribute '_pkcs7'",
                     pyossl_type_short_name(Py_TYPE(self)));
        return NULL;
    }
    return self->pkcs7;
}

/* The NID of the content type, or -1 with AttributeError. */
static int
pkcs7_nid(PKCS7Object *self)
{
    PKCS7 *p7 = pkcs7_get(self);
    if (p7 == NULL)
        return -1;
    return OBJ_obj2nid(p7->type);
}

static PyObject *
pkcs7_type_is(PKCS7Object *self, int nid)
{
    int actual = pkcs7_nid(self);
    if (actual < 0)
        return NULL;
    return PyBool_FromLong(actual == nid);
}

/* ------------------------------------------------------------------------
 * Methods
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(pkcs7_type_is_signed_doc,
"type_is_signed($self, /)\n--\n\n"
"Check if this NID_pkcs7_signed object\n\n"
":return: True if the PKCS7 is of type signed");

static PyObject *
pkcs7_type_is_signed(PKCS7Object *self, PyObject *Py_UNUSED(ignored))
{
    return pkcs7_type_is(self, NID_pkcs7_signed);
}

PyDoc_STRVAR(pkcs7_type_is_enveloped_doc,
"type_is_enveloped($self, /)\n--\n\n"
"Check if this NID_pkcs7_enveloped object\n\n"
":returns: True if the PKCS7 is of type enveloped");

static PyObject *
pkcs7_type_is_enveloped(PKCS7Object *self, PyObject *Py_UNUSED(ignored))
{
    return pkcs7_type_is(self, NID_pkcs7_enveloped);
}

PyDoc_STRVAR(pkcs7_type_is_signedAndEnveloped_doc,
"type_is_signedAndEnveloped($self, /)\n--\n\n"
"Check if this NID_pkcs7_signedAndEnveloped object\n\n"
":returns: True if the PKCS7 is of type signedAndEnveloped");

static PyObject *
pkcs7_type_is_signedAndEnveloped(PKCS7Object *self,
                                 PyObject *Py_UNUSED(ignored))
{
    return pkcs7_type_is(self, NID_pkcs7_signedAndEnveloped);
}

PyDoc_STRVAR(pkcs7_type_is_data_doc,
"type_is_data($self, /)\n--\n\n"
"Check if this NID_pkcs7_data object\n\n"
":return: True if the PKCS7 is of type data");

static PyObject *
pkcs7_type_is_data(PKCS7Object *self, PyObject *Py_UNUSED(ignored))
{
    return pkcs7_type_is(self, NID_pkcs7_data);
}

PyDoc_STRVAR(pkcs7_get_type_name_doc,
"get_type_name($self, /)\n--\n\n"
"Returns the type name of the PKCS7 structure\n\n"
":return: The short name of the content type, as bytes (for example\n"
"    b'pkcs7-signedData').");

static PyObject *
pkcs7_get_type_name(PKCS7Object *self, PyObject *Py_UNUSED(ignored))
{
    int nid = pkcs7_nid(self);
    const char *name;
    if (nid < 0)
        return NULL;
    name = OBJ_nid2sn(nid);
    /* OBJ_nid2sn(NID_undef) is "UNDEF"; nothing else can fail here. */
    pyossl_clear_errors();
    return PyBytes_FromString(name != NULL ? name : "UNDEF");
}

#define METH_NO(name) \
    {#name, (PyCFunction)pkcs7_##name, METH_NOARGS, pkcs7_##name##_doc}

static PyMethodDef pkcs7_methods[] = {
    METH_NO(type_is_signed),
    METH_NO(type_is_enveloped),
    METH_NO(type_is_signedAndEnveloped),
    METH_NO(type_is_data),
    METH_NO(get_type_name),
    {NULL, NULL, 0, NULL}
};

static PyMemberDef pkcs7_members[] = {
    {"__weaklistoffset__", T_PYSSIZET, offsetof(PKCS7Object, weakreflist),
     READONLY, NULL},
    {NULL, 0, 0, 0, NULL}
};

PyDoc_STRVAR(pkcs7_doc,
"PKCS7()\n--\n\n"
"A PKCS #7 structure, as returned by load_pkcs7_data(). PKCS7() makes an\n"
"empty object whose methods raise AttributeError.");

static PyType_Slot pkcs7_slots[] = {
    {Py_tp_doc, (void *)pkcs7_doc},
    {Py_tp_new, pkcs7_new},
    {Py_tp_init, pkcs7_init},
    {Py_tp_dealloc, pkcs7_dealloc},
    {Py_tp_methods, pkcs7_methods},
    {Py_tp_members, pkcs7_members},
    {0, NULL}
};

static PyType_Spec pkcs7_spec = {
    .name = "OpenSSL.crypto.PKCS7",
    .basicsize = sizeof(PKCS7Object),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .slots = pkcs7_slots,
};

int
crypto_pkcs7_register(PyObject *module, crypto_state *st)
{
    st->PKCS7_Type = (PyTypeObject *)PyType_FromModuleAndSpec(module,
                                                              &pkcs7_spec,
                                                              NULL);
    if (st->PKCS7_Type == NULL)
        return -1;
    return PyModule_AddObjectRef(module, "PKCS7", (PyObject *)st->PKCS7_Type);
}

/* ------------------------------------------------------------------------
 * load_pkcs7_data
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(load_pkcs7_data_doc,
"load_pkcs7_data(type, buffer)\n--\n\n"
"Load pkcs7 data from the string *buffer* encoded with the type *type*.\n\n"
":param type: The file type (one of FILETYPE_PEM or FILETYPE_ASN1)\n"
":param buffer: The buffer with the pkcs7 data (bytes, or an ASCII str).\n"
":return: The PKCS7 object\n"
":raises ValueError: for any other type.\n"
":raises Error: if the buffer does not hold a PKCS #7 structure.");

static void *
read_pkcs7(BIO *bio, long type, void *Py_UNUSED(arg))
{
    if (type == CRYPTO_FILETYPE_PEM)
        return PEM_read_bio_PKCS7(bio, NULL, pyossl_passphrase_cb, NULL);
    return d2i_PKCS7_bio(bio, NULL);
}

static PyObject *
load_pkcs7_data(PyObject *module, PyObject *args, PyObject *kwargs)
{
    crypto_state *st = PyModule_GetState(module);
    PKCS7 *p7 = crypto_load(st, args, kwargs, "OO:load_pkcs7_data",
                            read_pkcs7);

    if (p7 == NULL)
        return NULL;
    pyossl_clear_errors();
    return pkcs7_wrap(st, p7);
}

PyMethodDef crypto_pkcs7_methods[] = {
    {"load_pkcs7_data", (PyCFunction)(void (*)(void))load_pkcs7_data,
     METH_VARARGS | METH_KEYWORDS, load_pkcs7_data_doc},
    {NULL, NULL, 0, NULL}
};
