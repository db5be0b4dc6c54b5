// Layer normalisation over contiguous rows: forward saves mean and rstd, backward uses them.
#include <math.h>

#include "CKernels.h"
#include "ck_math.h"
#include "ck_rows.h"

CK_DISPATCH
void ck_layer_norm_forward(const float *restrict x, const float *restrict weight,
                           const float *restrict bias, float *restrict y, float *restrict mean,
                           float *restrict rstd, int64_t rows, int64_t n, float eps) {
    const float invN = 1.0f / (float)n;
    for (int64_t r = 0; r < rows; r++) {
        const float *restrict xr = x + r * n;
        float *restrict yr = y + r * n;
        float mu = ck_row_sum(xr, n) * invN;
        float var = ck_row_sum_sq_dev(xr, mu, n) * invN;  // two-pass: no cancellation
        float rs = 1.0f / sqrtf(var + eps);
        mean[r] = mu;
        rstd[r] = rs;
        if (weight && bias) {
            for (int64_t i = 0; i < n; i++) yr[i] = (xr[i] - mu) * rs * weight[i] + bias[i];
        } else if (weight) {
            for (int64_t i = 0; i < n; i++) yr[i] = (xr[i] - mu) * rs * weight[i];
        } else if (bias) {
            for (int64_t i = 0; i < n; i++) yr[i] = (xr[i] - mu) * rs + bias[i];
        } else {
            for (int64_t i = 0; i < n; i++) yr[i] = (xr[i] - mu) * rs;
        }
    }
}

CK_DISPATCH
void ck_layer_norm_residual_forward(const float *restrict x, const float *restrict residual,
                                    float *restrict s, int64_t s_stride, const float *restrict weight,
                                    const float *restrict bias, float *restrict y, float *restrict mean,
                                    float *restrict rstd, int64_t rows, int64_t n, float eps) {
    for (int64_t r = 0; r < rows; r++) {
        const float *restrict xr = x + r * n;
        const float *restrict rr = residual + r * n;
        float *restrict sr = s + r * s_stride;
        for (int64_t i = 0; i < n; i++) sr[i] = xr[i] + rr[i];
        ck_layer_norm_forward(sr, weight, bias, y + r * n, mean + r, rstd + r, 1, n, eps);
    }
}

// With g = dy * w and xhat = (x - mean) * rstd:
//   dx = rstd * (g - mean(g) - xhat * mean(g * xhat)),  dw += dy * xhat,  db += dy.
CK_DISPATCH
void ck_layer_norm_backward(const float *restrict x, const float *restrict dy,
                            const float *restrict weight, const float *restrict mean,
                            const float *restrict rstd, float *restrict dx,
                            float *restrict dweight, float *restrict dbias, int64_t rows,
                            int64_t n) {
    const float invN = 1.0f / (float)n;
    for (int64_t r = 0; r < rows; r++) {
        const float *restrict xr = x + r * n;
        const float *restrict gr = dy + r * n;
        const float mu = mean[r], rs = rstd[r];
        if (dx) {
            float *restrict dr = dx + r * n;
            float sa = 0.0f, sb = 0.0f;
            int64_t i;
            {
                CK_REASSOCIATE
                for (i = 0; i < n; i++) {
                    float g = weight ? gr[i] * weight[i] : gr[i];
                    sa += g;
                    sb += g * (xr[i] - mu);
                }
            }
            const float meanG = sa * invN;
            const float meanGX = sb * rs * invN;  // mean(g * xhat)
            if (weight) {
                for (i = 0; i < n; i++) {
                    float xhat = (xr[i] - mu) * rs;
                    dr[i] = rs * (gr[i] * weight[i] - meanG - xhat * meanGX);
                }
            } else {
                for (i = 0; i < n; i++) {
                    float xhat = (xr[i] - mu) * rs;
                    dr[i] = rs * (gr[i] - meanG - xhat * meanGX);
                }
            }
        }
        if (dweight)
            for (int64_t i = 0; i < n; i++) dweight[i] += gr[i] * ((xr[i] - mu) * rs);
        if (dbias)
            for (int64_t i = 0; i < n; i++) dbias[i] += gr[i];
    }
}
