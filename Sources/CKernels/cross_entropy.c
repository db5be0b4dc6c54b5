// Cross-entropy over rows of logits with an ignore index, forward and backward.
#include <math.h>

#include "CKernels.h"
#include "ck_math.h"
#include "ck_rows.h"

CK_DISPATCH
void ck_cross_entropy_forward(const float *restrict logits, const int64_t *restrict targets,
                              float *restrict loss, float *restrict lse, int64_t rows, int64_t n,
                              int64_t ignore_index) {
    for (int64_t r = 0; r < rows; r++) {
        const int64_t t = targets[r];
        if (t == ignore_index) {
            loss[r] = 0.0f;
            lse[r] = 0.0f;
            continue;
        }
        const float *restrict xr = logits + r * n;
        float m = ck_row_max(xr, n);
        float shift = m == -INFINITY ? 0.0f : m;
        float l = shift + logf(ck_row_sum_exp(xr, shift, n));
        lse[r] = l;
        loss[r] = l - xr[t];
    }
}

CK_DISPATCH
void ck_cross_entropy_backward(const float *restrict logits, const int64_t *restrict targets,
                               const float *restrict lse, const float *restrict row_grad,
                               int64_t row_grad_stride, float *restrict dlogits, int64_t rows,
                               int64_t n, int64_t ignore_index) {
    for (int64_t r = 0; r < rows; r++) {
        float *restrict dr = dlogits + r * n;
        const int64_t t = targets[r];
        if (t == ignore_index) {
            for (int64_t i = 0; i < n; i++) dr[i] = 0.0f;
            continue;
        }
        const float *restrict xr = logits + r * n;
        const float g = row_grad[r * row_grad_stride];
        const float l = lse[r];
        for (int64_t i = 0; i < n; i++) dr[i] = g * ck_exp_nonpositive(xr[i] - l);
        dr[t] -= g;
    }
}
