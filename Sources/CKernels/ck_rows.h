// Private header: per-row horizontal reductions shared by the row kernels.
//
// Each loop opens with CK_REASSOCIATE, which lets clang reorder the float additions of that
// one loop (and only that loop) so it can keep several vector accumulators in flight, as
// -ffast-math would, without fast-math's other licences (NaN and infinity handling stay
// IEEE). The summation order then depends on the vector width of the ISA clone but not on
// the thread count or the data, so results are reproducible on a given machine.
#ifndef CK_ROWS_H
#define CK_ROWS_H

#include <math.h>

#include "ck_math.h"

/// Maximum of a row; NaNs are skipped here (they reach the output through the exp/sum).
CK_INLINE float ck_row_max(const float *restrict x, int64_t n) {
    float m = -INFINITY;
    for (int64_t i = 0; i < n; i++) m = __builtin_fmaxf(m, x[i]);
    return m;
}

CK_INLINE float ck_row_sum(const float *restrict x, int64_t n) {
    CK_REASSOCIATE
    float s = 0.0f;
    for (int64_t i = 0; i < n; i++) s += x[i];
    return s;
}

CK_INLINE float ck_row_dot(const float *restrict a, const float *restrict b, int64_t n) {
    CK_REASSOCIATE
    float s = 0.0f;
    for (int64_t i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

/// sum(exp(x - shift)) over a row (x - shift <= 0).
CK_INLINE float ck_row_sum_exp(const float *restrict x, float shift, int64_t n) {
    CK_REASSOCIATE
    float s = 0.0f;
    for (int64_t i = 0; i < n; i++) s += ck_exp_nonpositive(x[i] - shift);
    return s;
}

/// sum((x - mean)^2) over a row.
CK_INLINE float ck_row_sum_sq_dev(const float *restrict x, float mean, int64_t n) {
    CK_REASSOCIATE
    float s = 0.0f;
    for (int64_t i = 0; i < n; i++) {
        float d = x[i] - mean;
        s += d * d;
    }
    return s;
}

/// y = softmax(x) over one row (max-subtracted; a row whose maximum is -inf gives zeros), or
/// with `normalize` 0 the unnormalised exp(x - max). Returns 1 / Σ exp (0 for such a row).
CK_INLINE float ck_softmax_row(const float *restrict x, float *restrict y, int64_t n, int normalize) {
    float m = ck_row_max(x, n);
    if (m == -INFINITY) m = 0.0f;  // fully -inf row: every exp is 0, output zeros below
    float s = 0.0f;
    {
        CK_REASSOCIATE
        for (int64_t i = 0; i < n; i++) {
            float e = ck_exp_nonpositive(x[i] - m);
            y[i] = e;
            s += e;
        }
    }
    float inv = s > 0.0f ? 1.0f / s : 0.0f;
    if (normalize) {
        for (int64_t i = 0; i < n; i++) y[i] *= inv;
    }
    return inv;
}

/// dx = scale · y ⊙ (g − Σ y·g) over one row, y = softmax output; dx may equal g.
CK_INLINE void ck_softmax_backward_row(const float *restrict y, const float *g, float *dx, int64_t n,
                                       float scale) {
    float dot = ck_row_dot(y, g, n);
    for (int64_t i = 0; i < n; i++) dx[i] = scale * (y[i] * (g[i] - dot));
}

#endif
