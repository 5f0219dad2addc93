/*
 * errors.c -- the only place that reads the OpenSSL error queue.
 *
 * pyOpenSSL reports OpenSSL failures as Error(list) where the list holds
 * one (lib, func, reason) str triple per queued error, oldest first.
 * OpenSSL 3 keeps no function names, so func is always ''. Every function
 * here leaves the queue empty, whatever happens, so that a stale entry can
 * never be blamed on a later call.
 */
#include "pyossl.h"

PyObject *
pyossl_error_list(void)
{
    PyObject *list = PyList_New(0);
    unsigned long code;

    while ((code = ERR_get_error()) != 0) {
        PyObject *item;
        if (list == NULL)
            continue;   /* keep draining after a failure */
        item = Py_BuildValue("(NsN)",
                             pyossl_str_or_empty(ERR_lib_error_string(code)),
                             "",
                             pyossl_str_or_empty(ERR_reason_error_string(code)));
        if (item == NULL || PyList_Append(list, item) < 0)
            Py_CLEAR(list);
        Py_XDECREF(item);
    }
    return list;
}

PyObject *
pyossl_raise_error_list(PyObject *exc_type, PyObject *list)
{
    PyObject *exc = PyObject_CallOneArg(exc_type, list);
    Py_DECREF(list);
    if (exc != NULL) {
        PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
        Py_DECREF(exc);
    }
    return NULL;
}

PyObject *
pyossl_raise_error_queue(PyObject *exc_type)
{
    PyObject *list = pyossl_error_list();
    if (list == NULL)
        return NULL;
    return pyossl_raise_error_list(exc_type, list);
}

int
pyossl_raise_error_queue_int(PyObject *exc_type)
{
    pyossl_raise_error_queue(exc_type);
    return -1;
}

PyObject *
pyossl_raise_message(PyObject *exc_type, const char *message)
{
    pyossl_clear_errors();
    PyErr_SetString(exc_type, message);
    return NULL;
}

int
pyossl_peek_last_reason(int *lib)
{
    unsigned long code = ERR_peek_last_error();
    if (lib != NULL)
        *lib = ERR_GET_LIB(code);
    return ERR_GET_REASON(code);
}
