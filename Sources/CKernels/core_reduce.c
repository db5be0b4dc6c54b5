// Strided reduction loops for TensorCore (sum / max / min). A run either folds into one
// output element (so == 0; sums accumulate in double) or combines elementwise into a strided
// output row (so != 0), which covers reducing outer axes without transposing.
#include "CKernels.h"

#pragma clang fp reassociate(on)
static double tc_sum_unit(const float *x, int64_t n) {
    double acc = 0.0;
    for (int64_t i = 0; i < n; i++) acc += (double)x[i];
    return acc;
}
#pragma clang fp reassociate(off)

__attribute__((target_clones("avx512f", "avx2", "default")))
void tc_reduce(int op, const float *x, int64_t sx, float *out, int64_t so, int64_t n) {
    if (so == 0) {
        float r = *out;
        switch (op) {
        case TC_SUM: {
            double acc;
            if (sx == 1) {
                acc = tc_sum_unit(x, n);
            } else {
                acc = 0.0;
                for (int64_t i = 0; i < n; i++) acc += (double)x[i * sx];
            }
            r = (float)((double)r + acc);
            break;
        }
        case TC_MAX:
            for (int64_t i = 0; i < n; i++) { float v = x[i * sx]; r = (v > r || v != v) ? v : r; }
            break;
        case TC_MIN:
            for (int64_t i = 0; i < n; i++) { float v = x[i * sx]; r = (v < r || v != v) ? v : r; }
            break;
        default: break;
        }
        *out = r;
        return;
    }
    switch (op) {
    case TC_SUM:
        if (sx == 1 && so == 1) { for (int64_t i = 0; i < n; i++) out[i] += x[i]; }
        else { for (int64_t i = 0; i < n; i++) out[i * so] += x[i * sx]; }
        break;
    case TC_MAX:
        for (int64_t i = 0; i < n; i++) {
            float v = x[i * sx], r = out[i * so];
            out[i * so] = (v > r || v != v) ? v : r;
        }
        break;
    case TC_MIN:
        for (int64_t i = 0; i < n; i++) {
            float v = x[i * sx], r = out[i * so];
            out[i * so] = (v < r || v != v) ? v : r;
        }
        break;
    default: break;
    }
}
