/*
 * session.c -- OpenSSL.SSL.Session: a TLS session, for resumption.
 *
 * Only Sessions returned by Connection.get_session() hold a session. Each
 * remembers the Context of the Connection it came from: OpenSSL requires a
 * session to be resumed with a compatible SSL_CTX but does not check it,
 * so Connection.set_session() does (pyOpenSSL 26.3).
 */
#include "ssl.h"

PyObject *
ssl_session_wrap(ssl_state *st, SSL_SESSION *session, PyObject *context)
{
    SessionObject *self = (SessionObject *)st->Session_Type->tp_alloc(
        st->Session_Type, 0);
    if (self == NULL) {
        SSL_SESSION_free(session);
        return NULL;
    }
    self->session = session;
    self->context = Py_XNewRef(context);
    return (PyObject *)self;
}

/* tp_new ignores its arguments and tp_init checks them, so that a subclass
 * may give its __init__ another signature. */
static PyObject *
session_new(PyTypeObject *type, PyObject *Py_UNUSED(args),
            PyObject *Py_UNUSED(kwargs))
{
    return type->tp_alloc(type, 0);
}

PYOSSL_NO_ARGUMENTS_INIT(session_init, "Session")

static int
session_traverse(SessionObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->context);
    return 0;
}

static int
session_clear(SessionObject *self)
{
    Py_CLEAR(self->context);
    return 0;
}

static void
session_dealloc(SessionObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    if (self->weakreflist != NULL)
        PyObject_ClearWeakRefs((PyObject *)self);
    session_clear(self);
    SSL_SESSION_free(self->session);
    tp->tp_free((PyObject *)self);
    Py_DECREF(tp);
}

static PyObject *
session_get_session(SessionObject *self, void *Py_UNUSED(closure))
{
    if (self->session == NULL) {
        PyErr_SetString(PyExc_AttributeError,
                        "'Session' object has no attribute '_session'");
        return NULL;
    }
    return PyCapsule_New(self->session, "OpenSSL.SSL.Session._session",
                         NULL);
}

static PyObject *
session_get_context(SessionObject *self, void *Py_UNUSED(closure))
{
    if (self->context == NULL) {
        PyErr_SetString(PyExc_AttributeError,
                        "'Session' object has no attribute '_context'");
        return NULL;
    }
    return Py_NewRef(self->context);
}

static PyGetSetDef session_getset[] = {
    {"_session", (getter)session_get_session, NULL,
     "The SSL_SESSION* as a PyCapsule (not a cffi pointer).", NULL},
    {"_context", (getter)session_get_context, NULL,
     "The Context of the Connection this Session came from.", NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

static PyMemberDef session_members[] = {
    {"__weaklistoffset__", T_PYSSIZET, offsetof(SessionObject, weakreflist),
     READONLY, NULL},
    {NULL, 0, 0, 0, NULL}
};

PyDoc_STRVAR(session_doc,
"Session()\n--\n\n"
"A TLS session, whose parameters a later Connection of the same Context\n"
"may reuse (Connection.get_session() / set_session()). A bare Session()\n"
"holds no session.");

static PyType_Slot session_slots[] = {
    {Py_tp_doc, (void *)session_doc},
    {Py_tp_new, session_new},
    {Py_tp_init, session_init},
    {Py_tp_dealloc, session_dealloc},
    {Py_tp_traverse, session_traverse},
    {Py_tp_clear, session_clear},
    {Py_tp_members, session_members},
    {Py_tp_getset, session_getset},
    {0, NULL}
};

static PyType_Spec session_spec = {
    .name = "OpenSSL.SSL.Session",
    .basicsize = sizeof(SessionObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .slots = session_slots,
};

int
ssl_session_register(PyObject *module, ssl_state *st)
{
    st->Session_Type = (PyTypeObject *)PyType_FromModuleAndSpec(
        module, &session_spec, NULL);
    if (st->Session_Type == NULL)
        return -1;
    return PyModule_AddObjectRef(module, "Session",
                                 (PyObject *)st->Session_Type);
}
