// Private header: per-row horizontal reductions shared by the row kernels.
// Each keeps CK_LANES partial results; the inner loop over the lane array becomes one vector
// operation per step, and the final combination order is fixed.
#ifndef CK_ROWS_H
#define CK_ROWS_H

#include <math.h>

#include "ck_math.h"

CK_INLINE float ck_lanes_sum(const float *lanes) {
    float s = 0.0f;
    for (int j = 0; j < CK_LANES; j++) s += lanes[j];
    return s;
}

/// Maximum of a row; NaNs are skipped here (they reach the output through the exp/sum).
CK_INLINE float ck_row_max(const float *restrict x, int64_t n) {
    float lanes[CK_LANES];
    for (int j = 0; j < CK_LANES; j++) lanes[j] = -INFINITY;
    int64_t i = 0;
    for (; i + CK_LANES <= n; i += CK_LANES)
        for (int j = 0; j < CK_LANES; j++) lanes[j] = x[i + j] > lanes[j] ? x[i + j] : lanes[j];
    float m = -INFINITY;
    for (int j = 0; j < CK_LANES; j++) m = lanes[j] > m ? lanes[j] : m;
    for (; i < n; i++) m = x[i] > m ? x[i] : m;
    return m;
}

CK_INLINE float ck_row_sum(const float *restrict x, int64_t n) {
    float lanes[CK_LANES] = {0};
    int64_t i = 0;
    for (; i + CK_LANES <= n; i += CK_LANES)
        for (int j = 0; j < CK_LANES; j++) lanes[j] += x[i + j];
    float s = ck_lanes_sum(lanes);
    for (; i < n; i++) s += x[i];
    return s;
}

CK_INLINE float ck_row_dot(const float *restrict a, const float *restrict b, int64_t n) {
    float lanes[CK_LANES] = {0};
    int64_t i = 0;
    for (; i + CK_LANES <= n; i += CK_LANES)
        for (int j = 0; j < CK_LANES; j++) lanes[j] += a[i + j] * b[i + j];
    float s = ck_lanes_sum(lanes);
    for (; i < n; i++) s += a[i] * b[i];
    return s;
}

/// sum(exp(x - shift)) over a row.
CK_INLINE float ck_row_sum_exp(const float *restrict x, float shift, int64_t n) {
    float lanes[CK_LANES] = {0};
    int64_t i = 0;
    for (; i + CK_LANES <= n; i += CK_LANES)
        for (int j = 0; j < CK_LANES; j++) lanes[j] += ck_exp_nonpositive(x[i + j] - shift);
    float s = ck_lanes_sum(lanes);
    for (; i < n; i++) s += ck_exp_nonpositive(x[i] - shift);
    return s;
}

/// sum((x - mean)^2) over a row.
CK_INLINE float ck_row_sum_sq_dev(const float *restrict x, float mean, int64_t n) {
    float lanes[CK_LANES] = {0};
    int64_t i = 0;
    for (; i + CK_LANES <= n; i += CK_LANES)
        for (int j = 0; j < CK_LANES; j++) {
            float d = x[i + j] - mean;
            lanes[j] += d * d;
        }
    float s = ck_lanes_sum(lanes);
    for (; i < n; i++) {
        float d = x[i] - mean;
        s += d * d;
    }
    return s;
}

#endif
