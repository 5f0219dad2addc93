/*
 * rand.c -- OpenSSL.rand (skeleton).
 */
#include "../common/pyossl.h"

static int
rand_exec(PyObject *module)
{
    (void)module;
    return pyossl_check_openssl_runtime();
}

static PyModuleDef_Slot rand_slots[] = {
    {Py_mod_exec, rand_exec},
    {0, NULL}
};

static PyModuleDef rand_module_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "OpenSSL.rand",
    .m_doc = "PRNG management routines, thin wrappers.",
    .m_size = 0,
    .m_slots = rand_slots,
};

PyMODINIT_FUNC
PyInit_rand(void)
{
    return PyModuleDef_Init(&rand_module_def);
}
