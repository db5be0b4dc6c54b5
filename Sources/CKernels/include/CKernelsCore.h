#ifndef CKERNELS_CORE_H
#define CKERNELS_CORE_H
#include <stddef.h>
#include <stdint.h>

// Strided elementwise and reduction loops behind TensorCore's generic ops. Every routine
// processes one run of `n` elements; a stride of 0 broadcasts, a stride of 1 takes the
// vectorised path. Op codes are the TC_* enums below (kept in sync with Swift's
// `ElementwiseKernel`).

enum {
    TC_ADD = 0, TC_SUB = 1, TC_MUL = 2, TC_DIV = 3,
    TC_MAXIMUM = 4, TC_MINIMUM = 5,
    TC_RELU_GRAD = 6,   // out = b > 0 ? a : 0      (a: upstream gradient, b: input)
    TC_ABS_GRAD = 7,    // out = a * sign(b), sign(0) = 0
    TC_EQUAL = 8,       // out = a == b ? 1 : 0
};

enum {
    TC_COPY = 0, TC_NEG = 1, TC_EXP = 2, TC_LOG = 3, TC_SQRT = 4, TC_RSQRT = 5,
    TC_ABS = 6, TC_RELU = 7, TC_SQUARE = 8, TC_POW = 9,
    TC_SCALE = 10,      // x * p
    TC_ADD_SCALAR = 11, // x + p
    TC_RSUB = 12,       // p - x
    TC_RDIV = 13,       // p / x
    TC_RECIPROCAL = 14, // 1 / x
};

enum { TC_SUM = 0, TC_MAX = 1, TC_MIN = 2 };

/// out[i*so] = op(a[i*sa], b[i*sb]) for i in 0..<n.
void tc_binary(int op, const float *a, int64_t sa, const float *b, int64_t sb,
               float *out, int64_t so, int64_t n);

/// out[i*so] = op(x[i*sx]; p) for i in 0..<n.
void tc_unary(int op, const float *x, int64_t sx, float *out, int64_t so, int64_t n, float p);

/// so == 0: *out = op(*out, x[0], …, x[(n-1)*sx]) (sums accumulate in double).
/// so != 0: out[i*so] = op(out[i*so], x[i*sx]).
void tc_reduce(int op, const float *x, int64_t sx, float *out, int64_t so, int64_t n);

/// Vectorised exp / log with about 1 ulp error (Cephes-style range reduction + polynomial);
/// exposed for tests that compare against libm.
float tc_expf(float x);
float tc_logf(float x);

/// 1 when the CPU supports AVX-512F (runtime check), else 0.
int tc_cpu_has_avx512f(void);

/// Returns the C heap's free pages to the system (glibc `malloc_trim(0)`; nothing elsewhere).
/// Returns 1 when memory was released, else 0.
int ck_release_free_heap(void);

#endif
