// Strided elementwise loops for TensorCore. Each op gets a unit-stride loop (vectorised by the
// compiler inside every target_clones variant), broadcast loops (one stride 0) and a general
// strided loop. The switch sits outside the loops.
#include "CKernels.h"
#include "core_math.h"
#include <math.h>

#define TC_BINARY_LOOPS(EXPR)                                                        \
    if (so == 1 && sa == 1 && sb == 1) {                                             \
        for (int64_t i = 0; i < n; i++) { float x = a[i], y = b[i]; out[i] = (EXPR); } \
    } else if (so == 1 && sa == 1 && sb == 0) {                                      \
        const float y = b[0];                                                        \
        for (int64_t i = 0; i < n; i++) { float x = a[i]; out[i] = (EXPR); }         \
    } else if (so == 1 && sa == 0 && sb == 1) {                                      \
        const float x = a[0];                                                        \
        for (int64_t i = 0; i < n; i++) { float y = b[i]; out[i] = (EXPR); }         \
    } else {                                                                         \
        for (int64_t i = 0; i < n; i++) {                                            \
            float x = a[i * sa], y = b[i * sb]; out[i * so] = (EXPR);                \
        }                                                                            \
    }

__attribute__((target_clones("avx512f", "avx2", "default")))
void tc_binary(int op, const float *a, int64_t sa, const float *b, int64_t sb,
               float *out, int64_t so, int64_t n) {
    switch (op) {
    case TC_ADD: TC_BINARY_LOOPS(x + y) break;
    case TC_SUB: TC_BINARY_LOOPS(x - y) break;
    case TC_MUL: TC_BINARY_LOOPS(x * y) break;
    case TC_DIV: TC_BINARY_LOOPS(x / y) break;
    case TC_MAXIMUM: TC_BINARY_LOOPS((x != x || x > y) ? x : y) break;
    case TC_MINIMUM: TC_BINARY_LOOPS((x != x || x < y) ? x : y) break;
    case TC_RELU_GRAD: TC_BINARY_LOOPS(y > 0.0f ? x : 0.0f) break;
    case TC_ABS_GRAD: TC_BINARY_LOOPS(y > 0.0f ? x : (y < 0.0f ? -x : 0.0f)) break;
    case TC_EQUAL: TC_BINARY_LOOPS(x == y ? 1.0f : 0.0f) break;
    default: break;
    }
}

#define TC_UNARY_LOOPS(EXPR)                                                         \
    if (so == 1 && sx == 1) {                                                        \
        for (int64_t i = 0; i < n; i++) { float v = x[i]; out[i] = (EXPR); }         \
    } else {                                                                         \
        for (int64_t i = 0; i < n; i++) { float v = x[i * sx]; out[i * so] = (EXPR); } \
    }

__attribute__((target_clones("avx512f", "avx2", "default")))
void tc_unary(int op, const float *x, int64_t sx, float *out, int64_t so, int64_t n, float p) {
    switch (op) {
    case TC_COPY: TC_UNARY_LOOPS(v) break;
    case TC_NEG: TC_UNARY_LOOPS(-v) break;
    case TC_EXP: TC_UNARY_LOOPS(tc_exp_inline(v)) break;
    case TC_LOG: TC_UNARY_LOOPS(tc_log_inline(v)) break;
    case TC_SQRT: TC_UNARY_LOOPS(__builtin_elementwise_sqrt(v)) break;
    case TC_RSQRT: TC_UNARY_LOOPS(1.0f / __builtin_elementwise_sqrt(v)) break;
    case TC_ABS: TC_UNARY_LOOPS(__builtin_elementwise_abs(v)) break;
    case TC_RELU: TC_UNARY_LOOPS(v > 0.0f ? v : 0.0f) break;
    case TC_SQUARE: TC_UNARY_LOOPS(v * v) break;
    case TC_POW: TC_UNARY_LOOPS(powf(v, p)) break;
    case TC_SCALE: TC_UNARY_LOOPS(v * p) break;
    case TC_ADD_SCALAR: TC_UNARY_LOOPS(v + p) break;
    case TC_RSUB: TC_UNARY_LOOPS(p - v) break;
    case TC_RDIV: TC_UNARY_LOOPS(p / v) break;
    case TC_RECIPROCAL: TC_UNARY_LOOPS(1.0f / v) break;
    default: break;
    }
}

float tc_expf(float x) { return tc_exp_inline(x); }
float tc_logf(float x) { return tc_log_inline(x); }

int tc_cpu_has_avx512f(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") ? 1 : 0;
#else
    return 0;
#endif
}
