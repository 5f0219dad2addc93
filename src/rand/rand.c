/*
 * rand.c -- OpenSSL.rand: the PRNG functions of pyOpenSSL 0.13.
 *
 * pyOpenSSL 23 and 26 kept only add() and status(); this module has all of
 * 0.13's functions plus rand.Error (API.md 1.10, 3.2 row 31, 3.3). Importing
 * it emits no warning. The functions are thin: each calls one RAND_*
 * function and turns its result into a Python value, except egd(), whose
 * client side OpenSSL 1.1 and later no longer ship (see the EGD section).
 *
 * Every function leaves this thread's OpenSSL error queue empty: the RAND
 * calls that report failure by their return value (load_file, write_file,
 * status) may queue errors that nobody reads, and those are cleared.
 */
#include "../common/pyossl.h"

#include <limits.h>
#include <math.h>

#ifndef _WIN32
#  include <errno.h>
#  include <fcntl.h>
#  include <poll.h>
#  include <string.h>
#  include <sys/socket.h>
#  include <sys/un.h>
#  include <time.h>
#  include <unistd.h>
#endif

typedef struct {
    PyObject *Error;        /* OpenSSL.rand.Error */
} rand_state;

static inline rand_state *
get_rand_state(PyObject *module)
{
    return (rand_state *)PyModule_GetState(module);
}

/* ------------------------------------------------------------------------
 * Argument helpers
 * --------------------------------------------------------------------- */

/* Store the value of the int `obj` in *out. TypeError "{name} must be an
 * integer" for anything that is not an int (bool is an int, as in
 * pyOpenSSL's isinstance checks); OverflowError if it does not fit a long.
 * Returns 0 or -1. */
static int
int_argument(PyObject *obj, const char *name, long *out)
{
    long value;

    if (!PyLong_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "%s must be an integer", name);
        return -1;
    }
    value = PyLong_AsLong(obj);
    if (value == -1 && PyErr_Occurred())
        return -1;
    *out = value;
    return 0;
}

/* The entropy estimate of add(): an int or a float (API.md 3.2 row 31),
 * else TypeError with pyOpenSSL 26.4's message. OpenSSL documents the
 * estimate as a number between zero and the buffer length, so values
 * outside that range (including huge ints, infinities and NaN) are clamped
 * into it rather than handed to OpenSSL. Returns 0 or -1. */
static int
entropy_argument(PyObject *obj, Py_ssize_t len, double *out)
{
    double value;

    if (PyLong_Check(obj)) {
        int overflow = 0;
        long long v = PyLong_AsLongLongAndOverflow(obj, &overflow);
        if (v == -1 && !overflow && PyErr_Occurred())
            return -1;
        if (overflow > 0)
            value = (double)len;
        else if (overflow < 0)
            value = 0.0;
        else
            value = (double)v;
    }
    else if (PyFloat_Check(obj)) {
        value = PyFloat_AS_DOUBLE(obj);
        if (isnan(value))
            value = 0.0;
    }
    else {
        PyErr_SetString(PyExc_TypeError, "entropy must be an integer");
        return -1;
    }
    if (value < 0.0)
        value = 0.0;
    else if (value > (double)len)
        value = (double)len;
    *out = value;
    return 0;
}

/* Mix `len` bytes at `data` into the PRNG with the estimate `randomness`
 * (already within [0, len]). RAND_add takes an int length, so a larger
 * buffer goes in INT_MAX-sized pieces, each with its share of the estimate.
 * Runs RAND_add without the GIL; the caller keeps `data` alive. */
static void
mix_into_pool(const char *data, Py_ssize_t len, double randomness)
{
    Py_BEGIN_ALLOW_THREADS
    while (len > 0) {
        int piece = len > INT_MAX ? INT_MAX : (int)len;
        double share = randomness * ((double)piece / (double)len);
        RAND_add(data, piece, share);
        randomness -= share;
        data += piece;
        len -= piece;
    }
    pyossl_clear_errors();
    Py_END_ALLOW_THREADS
}

/* ------------------------------------------------------------------------
 * add, seed, status, bytes, cleanup, screen
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(rand_add_doc,
"add(buffer, entropy)\n--\n\n"
"Mix bytes from *buffer* into the PRNG state.\n\n"
"The *entropy* argument is (the lower bound of) an estimate of how much\n"
"randomness is contained in *buffer*, measured in bytes; it may be an int\n"
"or a float, and is clamped to the range 0 to len(buffer) that OpenSSL\n"
"documents.\n\n"
"For more information, see e.g. :rfc:`1750`.\n\n"
":param buffer: Buffer with random data (bytes).\n"
":param entropy: The entropy (in bytes) measurement of the buffer.\n"
":return: :obj:`None`");

static PyObject *
rand_add(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"buffer", "entropy", NULL};
    PyObject *buffer, *entropy;
    pyossl_bytes data;
    double randomness;
    (void)module;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO:add", kwlist,
                                     &buffer, &entropy))
        return NULL;
    if (pyossl_bytes_strict(buffer, "buffer", &data) < 0)
        return NULL;
    if (entropy_argument(entropy, data.len, &randomness) < 0) {
        pyossl_bytes_release(&data);
        return NULL;
    }
    mix_into_pool(data.data, data.len, randomness);
    pyossl_bytes_release(&data);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(rand_seed_doc,
"seed(buffer)\n--\n\n"
"Equivalent to calling :func:`add` with *entropy* as the length of\n"
"*buffer*.\n\n"
":param buffer: Buffer with random data (bytes).\n"
":return: :obj:`None`");

static PyObject *
rand_seed(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"buffer", NULL};
    PyObject *buffer;
    pyossl_bytes data;
    (void)module;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:seed", kwlist,
                                     &buffer))
        return NULL;
    if (pyossl_bytes_strict(buffer, "buffer", &data) < 0)
        return NULL;
    mix_into_pool(data.data, data.len, (double)data.len);
    pyossl_bytes_release(&data);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(rand_status_doc,
"status()\n--\n\n"
"Check whether the PRNG has been seeded with enough data.\n\n"
":return: 1 if the PRNG is seeded enough, 0 otherwise.");

static PyObject *
rand_status(PyObject *module, PyObject *Py_UNUSED(arg))
{
    int rc;
    (void)module;

    rc = RAND_status();
    pyossl_clear_errors();
    return PyLong_FromLong(rc == 1 ? 1 : 0);
}

PyDoc_STRVAR(rand_bytes_doc,
"bytes(num_bytes)\n--\n\n"
"Get some random bytes from the PRNG as a bytes object.\n\n"
":param num_bytes: The number of bytes to fetch (an int, not negative).\n"
":return: A bytes object of that length.\n"
":raises OpenSSL.rand.Error: if OpenSSL cannot produce them.");

static PyObject *
rand_bytes(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"num_bytes", NULL};
    rand_state *st = get_rand_state(module);
    PyObject *num, *result;
    Py_ssize_t n;
    unsigned char *p;
    int ok = 1;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:bytes", kwlist, &num))
        return NULL;
    if (!PyLong_Check(num)) {
        PyErr_SetString(PyExc_TypeError, "num_bytes must be an integer");
        return NULL;
    }
    n = PyLong_AsSsize_t(num);
    if (n == -1 && PyErr_Occurred()) {
        PyObject *zero;
        int negative;
        if (!PyErr_ExceptionMatches(PyExc_OverflowError))
            return NULL;
        PyErr_Clear();
        zero = PyLong_FromLong(0);
        if (zero == NULL)
            return NULL;
        negative = PyObject_RichCompareBool(num, zero, Py_LT);
        Py_DECREF(zero);
        if (negative < 0)
            return NULL;
        if (negative)
            PyErr_SetString(PyExc_ValueError, "num_bytes must not be negative");
        else
            PyErr_SetString(PyExc_OverflowError, "num_bytes is too large");
        return NULL;
    }
    if (n < 0) {
        PyErr_SetString(PyExc_ValueError, "num_bytes must not be negative");
        return NULL;
    }

    result = PyBytes_FromStringAndSize(NULL, n);
    if (result == NULL)
        return NULL;
    p = (unsigned char *)PyBytes_AS_STRING(result);

    /* RAND_bytes takes an int count: fill larger requests piecewise. */
    Py_BEGIN_ALLOW_THREADS
    while (n > 0 && ok) {
        int piece = n > INT_MAX ? INT_MAX : (int)n;
        ok = RAND_bytes(p, piece) == 1;
        p += piece;
        n -= piece;
    }
    Py_END_ALLOW_THREADS

    if (!ok) {
        Py_DECREF(result);
        return pyossl_raise_error_queue(st->Error);
    }
    return result;
}

PyDoc_STRVAR(rand_cleanup_doc,
"cleanup()\n--\n\n"
"Erase the memory used by the PRNG.\n\n"
"OpenSSL 1.1.0 and later clean up by themselves at exit, so this does\n"
"nothing; it is kept for programs written for pyOpenSSL 0.13.\n\n"
":return: :obj:`None`");

static PyObject *
rand_cleanup(PyObject *module, PyObject *Py_UNUSED(arg))
{
    (void)module;
    Py_RETURN_NONE;
}

#ifdef _WIN32
PyDoc_STRVAR(rand_screen_doc,
"screen()\n--\n\n"
"Add the current contents of the screen to the PRNG state.\n\n"
"On OpenSSL 1.1.0 and later this polls the system's entropy sources\n"
"(RAND_poll) instead. Availability: Windows.\n\n"
":return: :obj:`None`");

static PyObject *
rand_screen(PyObject *module, PyObject *Py_UNUSED(arg))
{
    (void)module;
    Py_BEGIN_ALLOW_THREADS
    RAND_poll();
    pyossl_clear_errors();
    Py_END_ALLOW_THREADS
    Py_RETURN_NONE;
}
#endif

/* ------------------------------------------------------------------------
 * Seed files
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(rand_load_file_doc,
"load_file(filename, maxbytes=-1)\n--\n\n"
"Read from *filename* and mix its contents into the PRNG state.\n\n"
":param filename: The file to read data from (str, bytes or path-like).\n"
":param maxbytes: The maximum number of bytes to read; -1 reads the whole\n"
"    file (or 256 bytes of a file that is not a regular file).\n"
":return: The number of bytes read, or -1 if the file could not be read\n"
"    (RAND_load_file's result).");

static PyObject *
rand_load_file(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"filename", "maxbytes", NULL};
    PyObject *path = NULL, *maxbytes_obj = NULL;
    long maxbytes = -1;
    int rc;
    (void)module;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O&|O:load_file", kwlist,
                                     pyossl_path_converter, &path,
                                     &maxbytes_obj))
        return NULL;
    if (maxbytes_obj != NULL &&
        int_argument(maxbytes_obj, "maxbytes", &maxbytes) < 0) {
        Py_DECREF(path);
        return NULL;
    }
    /* Reading a file may block: let other threads run meanwhile. */
    Py_BEGIN_ALLOW_THREADS
    rc = RAND_load_file(PyBytes_AS_STRING(path), maxbytes);
    pyossl_clear_errors();
    Py_END_ALLOW_THREADS
    Py_DECREF(path);
    return PyLong_FromLong(rc);
}

PyDoc_STRVAR(rand_write_file_doc,
"write_file(filename)\n--\n\n"
"Write a number of random bytes to *filename*, creating it if needed,\n"
"so that a later :func:`load_file` can seed the PRNG.\n\n"
":param filename: The file to write data to (str, bytes or path-like).\n"
":return: The number of bytes written, or -1 on failure\n"
"    (RAND_write_file's result).");

static PyObject *
rand_write_file(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"filename", NULL};
    PyObject *path = NULL;
    int rc;
    (void)module;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O&:write_file", kwlist,
                                     pyossl_path_converter, &path))
        return NULL;
    Py_BEGIN_ALLOW_THREADS
    rc = RAND_write_file(PyBytes_AS_STRING(path));
    pyossl_clear_errors();
    Py_END_ALLOW_THREADS
    Py_DECREF(path);
    return PyLong_FromLong(rc);
}

/* ------------------------------------------------------------------------
 * EGD: the Entropy Gathering Daemon client
 *
 * OpenSSL 1.1.0 dropped RAND_egd_bytes, so the client is here. The protocol
 * (as OpenSSL's RAND_query_egd_bytes spoke it): over a Unix-domain stream
 * socket, send the two bytes {0x01, n} ("read entropy, do not block",
 * 1 <= n <= 255); the daemon answers with one count byte c followed by c
 * bytes of entropy. Repeat until the request is satisfied, the daemon
 * answers c == 0 (it has nothing more), or the connection ends. Every
 * complete answer is mixed into the pool with RAND_add(buf, c, c).
 *
 * Unlike OpenSSL's blocking client, this one never hangs: the socket is
 * non-blocking and the whole exchange must finish within EGD_TIMEOUT_MS;
 * when time runs out, egd() returns what it has mixed in so far.
 * The exchange runs without the GIL. A signal (EINTR) returns to the
 * caller, which runs the Python signal handlers with the GIL and then
 * resumes the exchange where it stopped.
 * --------------------------------------------------------------------- */

#ifndef _WIN32

#define EGD_TIMEOUT_MS 2000

enum egd_phase {
    EGD_CONNECT,        /* socket not yet connected */
    EGD_CONNECTING,     /* connect() in progress (EINPROGRESS) */
    EGD_SEND,           /* sending the two request bytes */
    EGD_RECV_COUNT,     /* waiting for the count byte */
    EGD_RECV_DATA,      /* receiving `count` bytes of entropy */
    EGD_FINISHED
};

typedef struct {
    const char *path;
    int fd;
    int connected;            /* the connection was made at some point */
    enum egd_phase phase;
    long remaining;           /* bytes still wanted */
    long total;               /* bytes received and mixed in */
    unsigned char request[2];
    unsigned char count;      /* bytes announced by the daemon */
    size_t done;              /* bytes of the current phase transferred */
    unsigned char data[255];
    long long deadline_ms;    /* CLOCK_MONOTONIC time limit */
} egd_exchange;

static long long
monotonic_ms(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
        return 0;
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* poll() `fd` for `events` until the exchange's deadline. Returns 1 when
 * ready, 0 on timeout or error, -1 on EINTR. No GIL. */
static int
egd_wait(egd_exchange *x, short events)
{
    struct pollfd pfd;
    long long left = x->deadline_ms - monotonic_ms();
    int rc;

    if (left <= 0)
        return 0;
    pfd.fd = x->fd;
    pfd.events = events;
    pfd.revents = 0;
    rc = poll(&pfd, 1, left > INT_MAX ? INT_MAX : (int)left);
    if (rc < 0)
        return errno == EINTR ? -1 : 0;
    return rc > 0;
}

/* Create the socket and start connecting. 0 on progress, -1 on failure
 * (the path cannot be connected). No GIL. */
static int
egd_connect(egd_exchange *x)
{
    struct sockaddr_un addr;
    size_t len = strlen(x->path);
    int flags;

    if (len == 0 || len >= sizeof(addr.sun_path))
        return -1;
    memset(&addr, 0, sizeof(addr));
    addr.sun_family = AF_UNIX;
    memcpy(addr.sun_path, x->path, len + 1);

#ifdef SOCK_CLOEXEC
    x->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
#else
    x->fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (x->fd >= 0)
        (void)fcntl(x->fd, F_SETFD, FD_CLOEXEC);
#endif
    if (x->fd < 0)
        return -1;
    flags = fcntl(x->fd, F_GETFL, 0);
    if (flags < 0 || fcntl(x->fd, F_SETFL, flags | O_NONBLOCK) < 0)
        return -1;

    if (connect(x->fd, (struct sockaddr *)&addr, sizeof(addr)) == 0) {
        x->phase = EGD_SEND;
        x->connected = 1;
        return 0;
    }
    /* A non-blocking connect that was interrupted or has to wait goes on
     * in the background; EAGAIN (Linux: the listen queue is full) and
     * everything else mean there is no daemon to talk to now. */
    if (errno == EINPROGRESS || errno == EINTR) {
        x->phase = EGD_CONNECTING;
        return 0;
    }
    return -1;
}

/* Run the exchange until it finishes (1) or a signal interrupts it (-1).
 * No GIL. */
static int
egd_run(egd_exchange *x)
{
    for (;;) {
        ssize_t n;
        int ready;

        switch (x->phase) {
        case EGD_CONNECT:
            if (egd_connect(x) < 0)
                x->phase = EGD_FINISHED;
            break;

        case EGD_CONNECTING: {
            int err = 0;
            socklen_t errlen = sizeof(err);
            ready = egd_wait(x, POLLOUT);
            if (ready < 0)
                return -1;
            if (ready == 0 ||
                getsockopt(x->fd, SOL_SOCKET, SO_ERROR, &err, &errlen) < 0 ||
                err != 0) {
                x->phase = EGD_FINISHED;
                break;
            }
            x->connected = 1;
            x->phase = EGD_SEND;
            break;
        }

        case EGD_SEND:
            if (x->remaining <= 0) {
                x->phase = EGD_FINISHED;
                break;
            }
            if (x->done == 0) {
                x->request[0] = 0x01;
                x->request[1] = (unsigned char)(x->remaining < 255
                                                ? x->remaining : 255);
            }
#ifdef MSG_NOSIGNAL
            n = send(x->fd, x->request + x->done, 2 - x->done, MSG_NOSIGNAL);
#else
            n = send(x->fd, x->request + x->done, 2 - x->done, 0);
#endif
            if (n < 0) {
                if (errno == EINTR)
                    return -1;
                if (errno != EAGAIN && errno != EWOULDBLOCK) {
                    x->phase = EGD_FINISHED;
                    break;
                }
                ready = egd_wait(x, POLLOUT);
                if (ready < 0)
                    return -1;
                if (ready == 0)
                    x->phase = EGD_FINISHED;
                break;
            }
            x->done += (size_t)n;
            if (x->done == 2) {
                x->done = 0;
                x->phase = EGD_RECV_COUNT;
            }
            break;

        case EGD_RECV_COUNT:
        case EGD_RECV_DATA: {
            unsigned char *dest;
            size_t want;
            if (x->phase == EGD_RECV_COUNT) {
                dest = &x->count;
                want = 1;
            }
            else {
                dest = x->data + x->done;
                want = x->count - x->done;
            }
            n = recv(x->fd, dest, want, 0);
            if (n == 0) {           /* the daemon closed the connection */
                x->phase = EGD_FINISHED;
                break;
            }
            if (n < 0) {
                if (errno == EINTR)
                    return -1;
                if (errno != EAGAIN && errno != EWOULDBLOCK) {
                    x->phase = EGD_FINISHED;
                    break;
                }
                ready = egd_wait(x, POLLIN);
                if (ready < 0)
                    return -1;
                if (ready == 0)
                    x->phase = EGD_FINISHED;
                break;
            }
            if (x->phase == EGD_RECV_COUNT) {
                /* A count of 0: the daemon has no entropy to give. */
                x->phase = x->count == 0 ? EGD_FINISHED : EGD_RECV_DATA;
                x->done = 0;
                break;
            }
            x->done += (size_t)n;
            if (x->done == x->count) {
                RAND_add(x->data, x->count, (double)x->count);
                pyossl_clear_errors();
                x->total += x->count;
                x->remaining -= x->count;
                x->done = 0;
                x->phase = EGD_SEND;
            }
            break;
        }

        case EGD_FINISHED:
            return 1;
        }
    }
}

#endif /* !_WIN32 */

PyDoc_STRVAR(rand_egd_doc,
"egd(path, bytes=255)\n--\n\n"
"Query the Entropy Gathering Daemon listening on the Unix-domain socket\n"
"*path* for *bytes* bytes of random data and mix them into the PRNG.\n\n"
"The exchange gives up after two seconds and keeps what arrived until\n"
"then.\n\n"
":param path: The path of the daemon's socket (str, bytes or path-like).\n"
":param bytes: The number of bytes to request (an int, default 255).\n"
":return: The number of bytes received and mixed in, or -1 if *path*\n"
"    cannot be connected to.");

static PyObject *
rand_egd(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"path", "bytes", NULL};
    PyObject *path = NULL, *bytes_obj = NULL;
    long nbytes = 255;
    (void)module;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O&|O:egd", kwlist,
                                     pyossl_path_converter, &path,
                                     &bytes_obj))
        return NULL;
    if (bytes_obj != NULL && int_argument(bytes_obj, "bytes", &nbytes) < 0)
        goto fail;
    if (nbytes < 0) {
        PyErr_SetString(PyExc_ValueError, "bytes must not be negative");
        goto fail;
    }

#ifdef _WIN32
    /* No Unix-domain sockets to talk to a daemon over. */
    Py_DECREF(path);
    return PyLong_FromLong(-1);
#else
    {
        egd_exchange x;
        int rc;

        memset(&x, 0, sizeof(x));
        x.path = PyBytes_AS_STRING(path);
        x.fd = -1;
        x.phase = EGD_CONNECT;
        x.remaining = nbytes;
        x.deadline_ms = monotonic_ms() + EGD_TIMEOUT_MS;

        for (;;) {
            Py_BEGIN_ALLOW_THREADS
            rc = egd_run(&x);
            Py_END_ALLOW_THREADS
            if (rc > 0)
                break;
            if (PyErr_CheckSignals() < 0) {
                if (x.fd >= 0)
                    close(x.fd);
                goto fail;
            }
        }
        if (x.fd >= 0)
            close(x.fd);
        Py_DECREF(path);
        return PyLong_FromLong(x.connected ? x.total : -1);
    }
#endif

fail:
    Py_DECREF(path);
    return NULL;
}

/* ------------------------------------------------------------------------
 * Module definition
 * --------------------------------------------------------------------- */

static PyMethodDef rand_methods[] = {
    {"add", (PyCFunction)(void (*)(void))rand_add,
     METH_VARARGS | METH_KEYWORDS, rand_add_doc},
    {"seed", (PyCFunction)(void (*)(void))rand_seed,
     METH_VARARGS | METH_KEYWORDS, rand_seed_doc},
    {"status", rand_status, METH_NOARGS, rand_status_doc},
    {"bytes", (PyCFunction)(void (*)(void))rand_bytes,
     METH_VARARGS | METH_KEYWORDS, rand_bytes_doc},
    {"cleanup", rand_cleanup, METH_NOARGS, rand_cleanup_doc},
    {"load_file", (PyCFunction)(void (*)(void))rand_load_file,
     METH_VARARGS | METH_KEYWORDS, rand_load_file_doc},
    {"write_file", (PyCFunction)(void (*)(void))rand_write_file,
     METH_VARARGS | METH_KEYWORDS, rand_write_file_doc},
    {"egd", (PyCFunction)(void (*)(void))rand_egd,
     METH_VARARGS | METH_KEYWORDS, rand_egd_doc},
#ifdef _WIN32
    {"screen", rand_screen, METH_NOARGS, rand_screen_doc},
#endif
    {NULL, NULL, 0, NULL}
};

static int
add_exceptions(PyObject *module, rand_state *st)
{
    st->Error = pyossl_new_exception(
        "OpenSSL.rand.Error",
        "An error occurred in an `OpenSSL.rand` API.\n\n"
        "When raised from the OpenSSL error queue, args[0] is a list of\n"
        "(lib, func, reason) str triples.", NULL);
    if (st->Error == NULL)
        return -1;
    return PyModule_AddObjectRef(module, "Error", st->Error);
}

static int
rand_exec(PyObject *module)
{
    rand_state *st = get_rand_state(module);

    if (pyossl_check_openssl_runtime() < 0 ||
        add_exceptions(module, st) < 0 ||
        PyModule_AddFunctions(module, rand_methods) < 0)
        return -1;
    return 0;
}

static int
rand_traverse(PyObject *module, visitproc visit, void *arg)
{
    rand_state *st = get_rand_state(module);
    Py_VISIT(st->Error);
    return 0;
}

static int
rand_clear(PyObject *module)
{
    rand_state *st = get_rand_state(module);
    Py_CLEAR(st->Error);
    return 0;
}

static void
rand_free(void *module)
{
    rand_clear((PyObject *)module);
}

static PyModuleDef_Slot rand_slots[] = {
    {Py_mod_exec, rand_exec},
    {0, NULL}
};

PyDoc_STRVAR(rand_module_doc,
"PRNG management routines, thin wrappers.\n\n"
"pyOpenSSL 0.13's OpenSSL.rand on OpenSSL 3: add, seed, status, bytes,\n"
"cleanup, load_file, write_file, egd (and screen on Windows), and the\n"
"exception Error.");

static PyModuleDef rand_module_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "OpenSSL.rand",
    .m_doc = rand_module_doc,
    .m_size = sizeof(rand_state),
    .m_slots = rand_slots,
    .m_traverse = rand_traverse,
    .m_clear = rand_clear,
    .m_free = rand_free,
};

PyMODINIT_FUNC
PyInit_rand(void)
{
    return PyModuleDef_Init(&rand_module_def);
}
