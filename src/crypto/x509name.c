/*
 * x509name.c -- OpenSSL.crypto.X509Name, a distinguished name.
 *
 * An X509Name either owns its X509_NAME, or is a live *view* of the subject
 * or issuer inside an X509 (or the subject of an X509Req): changing the view
 * changes the certificate, and the view keeps its owner alive. The owner
 * counts how often it replaced the name (set_subject/set_issuer); a view
 * taken before a replacement is stale and raises AttributeError instead of
 * reading freed memory (pyOpenSSL 17.4.0's fix).
 *
 * Fields are read and written as attributes under any OpenSSL short or long
 * name (name.CN, name.commonName, ...). Values keep their full length,
 * embedded NULs included (CVE-2026-40475).
 */
#include "crypto.h"

/* ------------------------------------------------------------------------
 * Construction and access
 * --------------------------------------------------------------------- */

static X509NameObject *
x509name_alloc(PyTypeObject *type)
{
    X509NameObject *self = (X509NameObject *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->name = NULL;
    self->owner = NULL;
    self->owner_gen = NULL;
    self->gen = 0;
    self->dict = NULL;
    self->weakreflist = NULL;
    return self;
}

PyObject *
crypto_x509name_copy(crypto_state *st, const X509_NAME *name)
{
    X509NameObject *self = x509name_alloc(st->X509Name_Type);
    if (self == NULL)
        return NULL;
    self->name = X509_NAME_dup(name);
    if (self->name == NULL) {
        Py_DECREF(self);
        return CRYPTO_RAISE(st);
    }
    return (PyObject *)self;
}

PyObject *
crypto_x509name_view(crypto_state *st, X509_NAME *name, PyObject *owner,
                     const unsigned int *gen)
{
    X509NameObject *self = x509name_alloc(st->X509Name_Type);
    if (self == NULL)
        return NULL;
    self->name = name;
    self->owner = Py_NewRef(owner);
    self->owner_gen = gen;
    self->gen = *gen;
    return (PyObject *)self;
}

/* The X509_NAME of `self`, or NULL with AttributeError for a stale view. */
static X509_NAME *
name_of(X509NameObject *self)
{
    if (self->name == NULL && self->owner == NULL) {
        PyErr_SetString(PyExc_AttributeError,
                        "this X509Name was never initialised");
        return NULL;
    }
    if (self->name == NULL ||
        (self->owner_gen != NULL && *self->owner_gen != self->gen)) {
        PyErr_SetString(PyExc_AttributeError,
                        "this X509Name is no longer valid: set_subject() or "
                        "set_issuer() replaced the name it showed");
        return NULL;
    }
    return self->name;
}

X509_NAME *
crypto_x509name_ptr(crypto_state *st, PyObject *obj)
{
    if (!PyObject_TypeCheck(obj, st->X509Name_Type)) {
        crypto_wrong_type(st, "expected an X509Name", obj);
        return NULL;
    }
    return name_of((X509NameObject *)obj);
}

/* tp_new makes an empty X509Name and tp_init copies the argument into it,
 * so that a subclass may give its __init__ another signature. */
static PyObject *
x509name_new(PyTypeObject *type, PyObject *Py_UNUSED(args),
             PyObject *Py_UNUSED(kwargs))
{
    return (PyObject *)x509name_alloc(type);
}

static int
x509name_init(X509NameObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"name", NULL};
    PyObject *other;
    X509_NAME *name, *copy;
    crypto_state *st = crypto_state_of((PyObject *)self);

    if (st == NULL)
        return -1;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:X509Name", kwlist,
                                     &other))
        return -1;
    name = crypto_x509name_ptr(st, other);
    if (name == NULL)
        return -1;
    copy = X509_NAME_dup(name);
    if (copy == NULL)
        return CRYPTO_RAISE_INT(st);
    /* Calling __init__ again (even on a view) makes an independent copy. */
    if (self->owner == NULL)
        X509_NAME_free(self->name);
    self->owner_gen = NULL;
    self->gen = 0;
    Py_CLEAR(self->owner);
    self->name = copy;
    return 0;
}

static int
x509name_traverse(X509NameObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->owner);
    Py_VISIT(self->dict);
    return 0;
}

static int
x509name_clear(X509NameObject *self)
{
    /* A view's name belongs to its owner: forget both together. */
    if (self->owner != NULL) {
        self->name = NULL;
        self->owner_gen = NULL;
        Py_CLEAR(self->owner);
    }
    Py_CLEAR(self->dict);
    return 0;
}

static void
x509name_dealloc(X509NameObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    if (self->weakreflist != NULL)
        PyObject_ClearWeakRefs((PyObject *)self);
    if (self->owner == NULL)
        X509_NAME_free(self->name);
    x509name_clear(self);
    tp->tp_free((PyObject *)self);
    Py_DECREF(tp);
}

/* ------------------------------------------------------------------------
 * Field access
 * --------------------------------------------------------------------- */

/* The NID for an attribute name (a short or long name, or a dotted OID),
 * or NID_undef. Leaves the queue empty. */
static int
field_nid(PyObject *attr)
{
    Py_ssize_t len;
    const char *s = PyUnicode_AsUTF8AndSize(attr, &len);
    int nid;
    if (s == NULL) {
        PyErr_Clear();
        return NID_undef;
    }
    if ((size_t)len != strlen(s))
        return NID_undef;       /* embedded NUL: no such name */
    nid = OBJ_txt2nid(s);
    pyossl_clear_errors();
    return nid;
}

static PyObject *
x509name_getattro(X509NameObject *self, PyObject *attr)
{
    PyObject *result = PyObject_GenericGetAttr((PyObject *)self, attr);
    X509_NAME *name;
    X509_NAME_ENTRY *entry;
    unsigned char *utf8 = NULL;
    int nid, index, len;
    crypto_state *st;

    if (result != NULL || !PyErr_ExceptionMatches(PyExc_AttributeError))
        return result;
    PyErr_Clear();

    nid = field_nid(attr);
    if (nid == NID_undef) {
        PyErr_SetString(PyExc_AttributeError, "No such attribute");
        return NULL;
    }
    name = name_of(self);
    if (name == NULL)
        return NULL;
    index = X509_NAME_get_index_by_NID(name, nid, -1);
    if (index < 0) {
        pyossl_clear_errors();
        Py_RETURN_NONE;
    }
    entry = X509_NAME_get_entry(name, index);
    len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(entry));
    if (len < 0) {
        st = crypto_state_of((PyObject *)self);
        return st ? CRYPTO_RAISE(st) : NULL;
    }
    result = PyUnicode_DecodeUTF8((const char *)utf8, len, "strict");
    OPENSSL_free(utf8);
    return result;
}

static int
x509name_setattro(X509NameObject *self, PyObject *attr, PyObject *value)
{
    X509_NAME *name;
    const char *attr_s;
    pyossl_bytes data;
    int nid, i, count, rc;
    crypto_state *st;

    if (!PyUnicode_Check(attr)) {
        PyErr_Format(PyExc_TypeError,
                     "attribute name must be string, not '%.200s'",
                     Py_TYPE(attr)->tp_name);
        return -1;
    }
    attr_s = PyUnicode_AsUTF8(attr);
    if (attr_s == NULL)
        return -1;
    if (attr_s[0] == '_' || value == NULL)
        return PyObject_GenericSetAttr((PyObject *)self, attr, value);
    if (!PyUnicode_CheckExact(attr)) {
        /* pyOpenSSL refuses str subclasses as field names. */
        PyErr_Format(PyExc_TypeError,
                     "attribute name must be string, not '%.200s'",
                     Py_TYPE(attr)->tp_name);
        return -1;
    }

    nid = field_nid(attr);
    if (nid == NID_undef) {
        PyErr_SetString(PyExc_AttributeError, "No such attribute");
        return -1;
    }
    if (PyUnicode_Check(value)) {
        data.owner = PyUnicode_AsUTF8String(value);
        if (data.owner == NULL)
            return -1;
        data.data = PyBytes_AS_STRING(data.owner);
        data.len = PyBytes_GET_SIZE(data.owner);
        data.view.obj = NULL;
    } else if (PyBytes_Check(value)) {
        if (pyossl_bytes_strict(value, "value", &data) < 0)
            return -1;
    } else {
        PyErr_Format(PyExc_TypeError,
                     "X509Name field values must be str or bytes, not %.100s",
                     Py_TYPE(value)->tp_name);
        return -1;
    }
    if (data.len > INT_MAX) {
        pyossl_bytes_release(&data);
        PyErr_SetString(PyExc_ValueError, "value is too long");
        return -1;
    }
    name = name_of(self);
    if (name == NULL) {
        pyossl_bytes_release(&data);
        return -1;
    }
    /* Replace the first entry of this type, as pyOpenSSL does: the new
     * value is appended and the old entry removed. pyOpenSSL removes first,
     * so a value that OpenSSL refuses (bad UTF-8, too long) loses the old
     * one; appending first keeps the name unchanged on failure. The length
     * is explicit, so NUL bytes are stored (CVE-2026-40475). */
    count = X509_NAME_entry_count(name);
    for (i = 0; i < count; i++) {
        X509_NAME_ENTRY *entry = X509_NAME_get_entry(name, i);
        if (OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry)) == nid)
            break;
    }
    rc = X509_NAME_add_entry_by_NID(name, nid, MBSTRING_UTF8,
                                    (const unsigned char *)data.data,
                                    (int)data.len, -1, 0);
    pyossl_bytes_release(&data);
    if (!rc) {
        st = crypto_state_of((PyObject *)self);
        if (st != NULL)
            CRYPTO_RAISE(st);
        return -1;
    }
    if (i < count)
        X509_NAME_ENTRY_free(X509_NAME_delete_entry(name, i));
    return 0;
}

/* ------------------------------------------------------------------------
 * Comparison and representation
 * --------------------------------------------------------------------- */

static PyObject *
x509name_richcompare(PyObject *a, PyObject *b, int op)
{
    crypto_state *st = crypto_state_of(a);
    X509_NAME *na, *nb;
    int cmp;

    if (st == NULL)
        return NULL;
    if (!PyObject_TypeCheck(b, st->X509Name_Type))
        Py_RETURN_NOTIMPLEMENTED;
    na = name_of((X509NameObject *)a);
    if (na == NULL)
        return NULL;
    nb = name_of((X509NameObject *)b);
    if (nb == NULL)
        return NULL;
    cmp = X509_NAME_cmp(na, nb);
    if (cmp == -2) {
        return CRYPTO_RAISE(st);
    }
    Py_RETURN_RICHCOMPARE(cmp, 0, op);
}

static PyObject *
x509name_repr(X509NameObject *self)
{
    char buf[512];
    X509_NAME *name = name_of(self);
    if (name == NULL)
        return NULL;
    if (X509_NAME_oneline(name, buf, (int)sizeof(buf)) == NULL) {
        crypto_state *st = crypto_state_of((PyObject *)self);
        return st ? CRYPTO_RAISE(st) : NULL;
    }
    return PyUnicode_FromFormat("<X509Name object '%s'>", buf);
}

PyDoc_STRVAR(x509name_hash_doc,
"hash($self, /)\n--\n\n"
"Return an integer representation of the name (OpenSSL's X509_NAME_hash,\n"
"as used for the file names of a certificate directory); not Python's\n"
"hash().");

static PyObject *
x509name_hash(X509NameObject *self, PyObject *Py_UNUSED(ignored))
{
    X509_NAME *name = name_of(self);
    unsigned long h;
    int ok = 0;
    if (name == NULL)
        return NULL;
    h = X509_NAME_hash_ex(name, NULL, NULL, &ok);
    if (!ok) {
        crypto_state *st = crypto_state_of((PyObject *)self);
        return st ? CRYPTO_RAISE(st) : NULL;
    }
    return PyLong_FromUnsignedLong(h);
}

PyDoc_STRVAR(x509name_der_doc,
"der($self, /)\n--\n\n"
"Return the DER encoding of this name (bytes).");

static PyObject *
x509name_der(X509NameObject *self, PyObject *Py_UNUSED(ignored))
{
    X509_NAME *name = name_of(self);
    crypto_state *st = crypto_state_of((PyObject *)self);
    unsigned char *der = NULL;
    int len;
    if (name == NULL || st == NULL)
        return NULL;
    len = i2d_X509_NAME(name, &der);
    return pyossl_take_openssl_buffer(der, len, st->Error);
}

PyDoc_STRVAR(x509name_get_components_doc,
"get_components($self, /)\n--\n\n"
"Returns the components of this name, as a sequence of 2-tuples\n"
"(short name bytes, value bytes), in order. Values are the raw bytes of\n"
"the ASN.1 string, embedded NULs included.");

static PyObject *
x509name_get_components(X509NameObject *self, PyObject *Py_UNUSED(ignored))
{
    X509_NAME *name = name_of(self);
    PyObject *result;
    int i, count;

    if (name == NULL)
        return NULL;
    count = X509_NAME_entry_count(name);
    result = PyList_New(count);
    if (result == NULL)
        return NULL;
    for (i = 0; i < count; i++) {
        X509_NAME_ENTRY *entry = X509_NAME_get_entry(name, i);
        ASN1_STRING *value = X509_NAME_ENTRY_get_data(entry);
        int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry));
        const char *sn = OBJ_nid2sn(nid);
        PyObject *item = Py_BuildValue(
            "(y#y#)", sn ? sn : "UNDEF", (Py_ssize_t)strlen(sn ? sn : "UNDEF"),
            (const char *)ASN1_STRING_get0_data(value),
            (Py_ssize_t)ASN1_STRING_length(value));
        if (item == NULL) {
            Py_DECREF(result);
            return NULL;
        }
        PyList_SET_ITEM(result, i, item);
    }
    pyossl_clear_errors();
    return result;
}

PyDoc_STRVAR(x509name_copy_doc,
"__copy__($self, /)\n--\n\n"
"copy.copy() support: a copy of a certificate's subject or issuer is\n"
"another live view of it (as in pyOpenSSL); a copy of any other name is\n"
"an independent copy. Not picklable, as in pyOpenSSL.");

static PyObject *
x509name_copy(X509NameObject *self, PyObject *Py_UNUSED(ignored))
{
    X509_NAME *name = name_of(self);
    X509NameObject *copy;

    if (name == NULL)
        return NULL;
    copy = x509name_alloc(Py_TYPE(self));
    if (copy == NULL)
        return NULL;
    if (self->owner != NULL) {
        copy->name = name;
        copy->owner = Py_NewRef(self->owner);
        copy->owner_gen = self->owner_gen;
        copy->gen = self->gen;
    } else {
        copy->name = X509_NAME_dup(name);
        if (copy->name == NULL) {
            crypto_state *st = crypto_state_of((PyObject *)self);
            Py_DECREF(copy);
            return st ? CRYPTO_RAISE(st) : NULL;
        }
    }
    return crypto_copy_finish((PyObject *)self, (PyObject *)copy);
}

static PyObject *
x509name_get_name(X509NameObject *self, void *Py_UNUSED(closure))
{
    X509_NAME *name = name_of(self);
    if (name == NULL)
        return NULL;
    return PyCapsule_New(name, "OpenSSL.crypto.X509Name._name", NULL);
}

static PyGetSetDef x509name_getset[] = {
    {"_name", (getter)x509name_get_name, NULL,
     "The X509_NAME* as a PyCapsule (not a cffi pointer).", NULL},
    /* Types made from a spec get no __dict__ descriptor of their own. */
    {"__dict__", PyObject_GenericGetDict, PyObject_GenericSetDict, NULL,
     NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

static PyMethodDef x509name_methods[] = {
    {"hash", (PyCFunction)x509name_hash, METH_NOARGS, x509name_hash_doc},
    {"der", (PyCFunction)x509name_der, METH_NOARGS, x509name_der_doc},
    {"get_components", (PyCFunction)x509name_get_components, METH_NOARGS,
     x509name_get_components_doc},
    {"__copy__", (PyCFunction)x509name_copy, METH_NOARGS, x509name_copy_doc},
    {NULL, NULL, 0, NULL}
};

static PyMemberDef x509name_members[] = {
    {"__dictoffset__", T_PYSSIZET, offsetof(X509NameObject, dict), READONLY,
     NULL},
    {"__weaklistoffset__", T_PYSSIZET,
     offsetof(X509NameObject, weakreflist), READONLY, NULL},
    {NULL, 0, 0, 0, NULL}
};

PyDoc_STRVAR(x509name_doc,
"X509Name(name)\n--\n\n"
"An X.509 Distinguished Name; X509Name(name) makes an independent copy\n"
"of another X509Name.\n\n"
"Fields are attributes under their OpenSSL short or long names (CN,\n"
"commonName, O, emailAddress, ...): reading gives the first entry as str\n"
"or None, writing replaces the first entry. Names order by OpenSSL's\n"
"X509_NAME_cmp and are not hashable.");

static PyType_Slot x509name_slots[] = {
    {Py_tp_doc, (void *)x509name_doc},
    {Py_tp_new, x509name_new},
    {Py_tp_init, x509name_init},
    {Py_tp_dealloc, x509name_dealloc},
    {Py_tp_traverse, x509name_traverse},
    {Py_tp_clear, x509name_clear},
    {Py_tp_getattro, x509name_getattro},
    {Py_tp_setattro, x509name_setattro},
    {Py_tp_richcompare, x509name_richcompare},
    {Py_tp_hash, PyObject_HashNotImplemented},
    {Py_tp_repr, x509name_repr},
    {Py_tp_methods, x509name_methods},
    {Py_tp_members, x509name_members},
    {Py_tp_getset, x509name_getset},
    {0, NULL}
};

static PyType_Spec x509name_spec = {
    .name = "OpenSSL.crypto.X509Name",
    .basicsize = sizeof(X509NameObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .slots = x509name_slots,
};

int
crypto_x509name_register(PyObject *module, crypto_state *st)
{
    st->X509Name_Type = (PyTypeObject *)PyType_FromModuleAndSpec(
        module, &x509name_spec, NULL);
    if (st->X509Name_Type == NULL)
        return -1;
    return PyModule_AddObjectRef(module, "X509Name",
                                 (PyObject *)st->X509Name_Type);
}
