/*
 * glossary._fit: the transliteration fit's Viterbi pass, compiled.
 *
 * The same computation as glossary.transliteration.Model.log_prob (the pure-Python
 * reference) and Model._log_probs_numpy (the NumPy fallback), for a batch of
 * (Arabic, English) pairs in one call.  A lookup fits some twenty names of about
 * ten symbols; in NumPy that is some seventy array calls on arrays of a few hundred
 * cells, and the calls, not the arithmetic, took a quarter of a lookup.
 *
 * log_probs(eps, one, two, s1, s2, g, none, reach, band, items) -> list[float]
 *   eps   float64[rows]        log P(empty chunk | gram)
 *   one   float64[rows * s1]   log P(one Arabic letter | gram), column = letter id
 *   two   float64[rows * s2]   log P(two Arabic letters | gram), column = pair id
 *   g     grams of 1..g symbols start at every position of "^english$"
 *   none  the row id that stands for "no gram here" (skipped)
 *   reach the longest Arabic chunk (2); band: the alignment's distance from the diagonal
 *   items a list of (lattice, letters, pairs) bytes:
 *         lattice uint16[n * g]: row ids of the grams of 1..g symbols at each position
 *         letters int32[m]: column of each Arabic letter in ``one``
 *         pairs   int32[m - 1]: column of each two-letter chunk in ``two``
 * Every id is checked against its table, so bad input raises ValueError, never reads
 * out of bounds.  The arithmetic is the reference's, operation for operation (one
 * addition per transition, the best kept by max), so the results are bit-identical.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NEG (-1e30)

static double
viterbi(const double *eps, const double *one, const double *two, Py_ssize_t s1, Py_ssize_t s2,
        Py_ssize_t g, Py_ssize_t none, Py_ssize_t reach, Py_ssize_t band,
        const uint16_t *lat, Py_ssize_t n, const int32_t *a1, const int32_t *a2, Py_ssize_t m,
        double *best)
{
    Py_ssize_t width = m + 1, i, j, k, rows = n + g;
    for (i = 0; i < rows * width; i++)
        best[i] = NEG;
    best[0] = 0.0;
    for (i = 0; i < n; i++) {
        const double *row = best + i * width;
        Py_ssize_t mid = i * m / n;
        Py_ssize_t lo = m - reach * (n - i), hi = reach * i;
        if (lo < 0) lo = 0;
        if (lo < mid - band) lo = mid - band;
        if (hi > m) hi = m;
        if (hi > mid + band) hi = mid + band;
        for (j = lo; j <= hi; j++) {
            double v = row[j];
            if (v <= NEG)
                continue;
            for (k = 1; k <= g; k++) {
                Py_ssize_t gid = lat[i * g + k - 1];
                double *tgt, x;
                if (gid == none)
                    continue;
                tgt = best + (i + k) * width;
                x = v + eps[gid];
                if (x > tgt[j]) tgt[j] = x;
                if (j < m) {
                    x = v + one[gid * s1 + a1[j]];
                    if (x > tgt[j + 1]) tgt[j + 1] = x;
                }
                if (j + 1 < m) {
                    x = v + two[gid * s2 + a2[j]];
                    if (x > tgt[j + 2]) tgt[j + 2] = x;
                }
            }
        }
    }
    return best[n * width + m];
}

static int
ids_ok(const int32_t *ids, Py_ssize_t count, Py_ssize_t limit)
{
    Py_ssize_t i;
    for (i = 0; i < count; i++)
        if (ids[i] < 0 || ids[i] >= limit)
            return 0;
    return 1;
}

static PyObject *
log_probs(PyObject *self, PyObject *args)
{
    Py_buffer eps, one, two;
    Py_ssize_t s1, s2, g, none, reach, band, rows, size, b, cap = 0;
    PyObject *items, *out = NULL, *seq = NULL;
    double *best = NULL;

    (void)self;
    if (!PyArg_ParseTuple(args, "y*y*y*nnnnnnO", &eps, &one, &two, &s1, &s2, &g, &none, &reach, &band,
                          &items))
        return NULL;
    rows = eps.len / (Py_ssize_t)sizeof(double);
    if (s1 <= 0 || s2 <= 0 || g <= 0 || reach != 2 || band < 0 || eps.len % sizeof(double)
        || one.len != rows * s1 * (Py_ssize_t)sizeof(double)
        || two.len != rows * s2 * (Py_ssize_t)sizeof(double)) {
        PyErr_SetString(PyExc_ValueError, "log_probs: tables of inconsistent sizes");
        goto done;
    }
    seq = PySequence_Fast(items, "log_probs: items must be a sequence");
    if (seq == NULL)
        goto done;
    size = PySequence_Fast_GET_SIZE(seq);
    out = PyList_New(size);
    if (out == NULL)
        goto done;
    for (b = 0; b < size; b++) {
        PyObject *item = PySequence_Fast_GET_ITEM(seq, b), *lat, *a1, *a2, *f;
        Py_ssize_t n, m, need, i;
        const uint16_t *lp;
        if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != 3) {
            PyErr_SetString(PyExc_ValueError, "log_probs: an item is not a (lattice, letters, pairs) tuple");
            goto fail;
        }
        lat = PyTuple_GET_ITEM(item, 0);
        a1 = PyTuple_GET_ITEM(item, 1);
        a2 = PyTuple_GET_ITEM(item, 2);
        if (!PyBytes_Check(lat) || !PyBytes_Check(a1) || !PyBytes_Check(a2)) {
            PyErr_SetString(PyExc_ValueError, "log_probs: lattice, letters and pairs must be bytes");
            goto fail;
        }
        n = PyBytes_GET_SIZE(lat) / (Py_ssize_t)(2 * g);
        m = PyBytes_GET_SIZE(a1) / 4;
        if (n < 1 || PyBytes_GET_SIZE(lat) != n * 2 * g || PyBytes_GET_SIZE(a1) != m * 4
            || PyBytes_GET_SIZE(a2) != (m > 0 ? m - 1 : 0) * 4) {
            PyErr_SetString(PyExc_ValueError, "log_probs: an item has buffers of inconsistent sizes");
            goto fail;
        }
        lp = (const uint16_t *)PyBytes_AS_STRING(lat);
        for (i = 0; i < n * g; i++) {
            if (lp[i] >= rows) {
                PyErr_SetString(PyExc_ValueError, "log_probs: a gram id is outside the table");
                goto fail;
            }
        }
        if (!ids_ok((const int32_t *)PyBytes_AS_STRING(a1), m, s1)
            || !ids_ok((const int32_t *)PyBytes_AS_STRING(a2), m > 0 ? m - 1 : 0, s2)) {
            PyErr_SetString(PyExc_ValueError, "log_probs: a letter id is outside the table");
            goto fail;
        }
        need = (n + g) * (m + 1);
        if (need > cap) {
            double *grown = (double *)PyMem_Realloc(best, (size_t)need * sizeof(double));
            if (grown == NULL) {
                PyErr_NoMemory();
                goto fail;
            }
            best = grown;
            cap = need;
        }
        f = PyFloat_FromDouble(viterbi((const double *)eps.buf, (const double *)one.buf,
                                       (const double *)two.buf, s1, s2, g, none, reach, band, lp, n,
                                       (const int32_t *)PyBytes_AS_STRING(a1),
                                       (const int32_t *)PyBytes_AS_STRING(a2), m, best));
        if (f == NULL)
            goto fail;
        PyList_SET_ITEM(out, b, f);
    }
    goto done;
fail:
    Py_CLEAR(out);
done:
    PyMem_Free(best);
    Py_XDECREF(seq);
    PyBuffer_Release(&eps);
    PyBuffer_Release(&one);
    PyBuffer_Release(&two);
    return out;
}

static PyMethodDef methods[] = {
    {"log_probs", log_probs, METH_VARARGS,
     "log P(arabic | english) of the best banded monotone alignment, for a batch of pairs."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "glossary._fit", "The transliteration fit's Viterbi pass, compiled.", -1, methods,
};

PyMODINIT_FUNC
PyInit__fit(void)
{
    return PyModule_Create(&module);
}
