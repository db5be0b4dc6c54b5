// Softmax and log-softmax over contiguous rows, forward and backward.
// Row reductions are reassociated per loop (see ck_rows.h) so they vectorise without fast-math.
#include <math.h>

#include "CKernels.h"
#include "ck_math.h"
#include "ck_rows.h"

CK_DISPATCH
void ck_softmax_forward(const float *restrict x, float *restrict y, int64_t rows, int64_t n) {
    for (int64_t r = 0; r < rows; r++) ck_softmax_row(x + r * n, y + r * n, n, 1);
}

CK_DISPATCH
void ck_softmax_backward(const float *restrict y, const float *restrict dy, float *restrict dx,
                         int64_t rows, int64_t n) {
    for (int64_t r = 0; r < rows; r++) ck_softmax_backward_row(y + r * n, dy + r * n, dx + r * n, n, 1.0f);
}

CK_DISPATCH
void ck_log_softmax_forward(const float *restrict x, float *restrict y, int64_t rows, int64_t n) {
    for (int64_t r = 0; r < rows; r++) {
        const float *restrict xr = x + r * n;
        float *restrict yr = y + r * n;
        float m = ck_row_max(xr, n);
        float shift = m == -INFINITY ? 0.0f : m;
        float s = ck_row_sum_exp(xr, shift, n);
        float lse = shift + logf(s);  // one libm call per row, not per element
        for (int64_t i = 0; i < n; i++) yr[i] = xr[i] - lse;
    }
}

CK_DISPATCH
void ck_log_softmax_backward(const float *restrict y, const float *restrict dy,
                             float *restrict dx, int64_t rows, int64_t n) {
    for (int64_t r = 0; r < rows; r++) {
        const float *restrict yr = y + r * n;
        const float *restrict gr = dy + r * n;
        float *restrict dr = dx + r * n;
        float s = ck_row_sum(gr, n);
        for (int64_t i = 0; i < n; i++) dr[i] = gr[i] - ck_exp_nonpositive(yr[i]) * s;
    }
}
