// Optimizer update loops (see include/CKernelsOptim.h). Compiled per ISA with target_clones;
// fp contraction is off so that AVX2/AVX-512 clones do not fuse multiply-adds and every
// variant computes the same float32 results as the formulas written out below.
#include "CKernelsOptim.h"

#pragma clang fp contract(off)

#define OPT_DISPATCH __attribute__((target_clones("avx512f", "avx2", "default")))

OPT_DISPATCH
void tc_sgd_update(float *p, const float *g, float *buf, int64_t n, float neg_lr,
                   int has_decay, float decay, int momentum_mode, float momentum, float keep,
                   int nesterov) {
    if (momentum_mode == 0) {
        if (has_decay) {
            for (int64_t i = 0; i < n; i++) { float d = g[i] + decay * p[i]; p[i] = p[i] + neg_lr * d; }
        } else {
            for (int64_t i = 0; i < n; i++) p[i] = p[i] + neg_lr * g[i];
        }
        return;
    }
    for (int64_t i = 0; i < n; i++) {
        float d = has_decay ? g[i] + decay * p[i] : g[i];
        float b = momentum_mode == 1 ? d : buf[i] * momentum + keep * d;
        buf[i] = b;
        d = nesterov ? d + momentum * b : b;
        p[i] = p[i] + neg_lr * d;
    }
}

OPT_DISPATCH
void tc_adam_update(float *p, const float *g, float *m, float *v, int64_t n,
                    int decoupled, float shrink, int coupled, float decay, float w,
                    float beta2, float omb2, float c2root, float eps, float neg_step, float gscale) {
    // torch.lerp: start + w (end - start) for |w| < 0.5, else end - (end - start)(1 - w).
    const int small = (w < 0 ? -w : w) < 0.5f;
    const float one_minus_w = 1.0f - w;
    for (int64_t i = 0; i < n; i++) {
        float pi = p[i];
        if (decoupled) pi = pi * shrink;
        const float gi = g[i] * gscale;
        float grad = coupled ? gi + decay * pi : gi;
        float mi = small ? m[i] + w * (grad - m[i]) : grad - (grad - m[i]) * one_minus_w;
        float vi = v[i] * beta2 + omb2 * grad * grad;
        m[i] = mi;
        v[i] = vi;
        float denominator = __builtin_elementwise_sqrt(vi) / c2root + eps;
        p[i] = pi + neg_step * mi / denominator;
    }
}

OPT_DISPATCH
void tc_adam_weight_decay_update(float *p, const float *g, float *m, float *v, int64_t n,
                                 float beta1, float keep1, float beta2, float keep2, float eps,
                                 float lr, int decays, float decay) {
    for (int64_t i = 0; i < n; i++) {
        float grad = g[i];
        float mi = beta1 * m[i] + keep1 * grad;
        float vi = beta2 * v[i] + keep2 * (grad * grad);
        m[i] = mi;
        v[i] = vi;
        float update = mi / (__builtin_elementwise_sqrt(vi) + eps);
        if (decays) update = update + decay * p[i];
        p[i] = p[i] - lr * update;
    }
}

// Reductions accumulate in double over 8 fixed lanes: element i always goes to lane i % 8 of
// its chunk, whatever the vector width, so every ISA variant returns the same sum. Blocks of
// BLOCK floats are first computed with plain vectorisable float loops.
#define LANES 8
#define BLOCK 256

static inline void accumulate_squares(double acc[LANES], const float *x, int64_t n) {
    int64_t i = 0;
    for (; i + LANES <= n; i += LANES) {
        for (int k = 0; k < LANES; k++) acc[k] += (double)x[i + k] * (double)x[i + k];
    }
    for (; i < n; i++) acc[i % LANES] += (double)x[i] * (double)x[i];
}

static inline double lanes_total(const double acc[LANES]) {
    double total = 0;
    for (int k = 0; k < LANES; k++) total += acc[k];
    return total;
}

OPT_DISPATCH
double tc_lamb_stage1(const float *p, const float *g, float *m, float *v, int64_t n,
                      float beta1, float keep1, float beta2, float keep2, float c1, float c2,
                      float eps, int decays, float decay) {
    double acc[LANES] = {0};
    float u[BLOCK];
    for (int64_t start = 0; start < n; start += BLOCK) {
        const int64_t count = n - start < BLOCK ? n - start : BLOCK;
        const float *pb = p + start, *gb = g + start;
        float *mb = m + start, *vb = v + start;
        for (int64_t i = 0; i < count; i++) {
            float grad = gb[i];
            float mi = mb[i] * beta1 + keep1 * grad;
            float vi = vb[i] * beta2 + keep2 * grad * grad;
            mb[i] = mi;
            vb[i] = vi;
            float ui = (mi / c1) / (__builtin_elementwise_sqrt(vi / c2) + eps);
            u[i] = decays ? ui + decay * pb[i] : ui;
        }
        accumulate_squares(acc, u, count);  // BLOCK is a multiple of LANES: lanes stay i % 8
    }
    return lanes_total(acc);
}

OPT_DISPATCH
void tc_lamb_stage2(float *p, const float *m, const float *v, int64_t n, float c1, float c2,
                    float eps, int decays, float decay, float ratio) {
    for (int64_t i = 0; i < n; i++) {
        float ui = (m[i] / c1) / (__builtin_elementwise_sqrt(v[i] / c2) + eps);
        ui = decays ? ui + decay * p[i] : ui;
        p[i] = p[i] - ratio * ui;
    }
}

OPT_DISPATCH
double tc_sum_of_squares(const float *x, int64_t n) {
    double acc[LANES] = {0};
    accumulate_squares(acc, x, n);
    return lanes_total(acc);
}

OPT_DISPATCH
float tc_max_abs(const float *x, int64_t n) {
    float best = 0.0f;
    int nan = 0;
    for (int64_t i = 0; i < n; i++) {
        float a = x[i] < 0 ? -x[i] : x[i];
        nan |= a != a;
        best = a > best ? a : best;
    }
    return nan ? __builtin_nanf("") : best;
}

OPT_DISPATCH
void tc_scale_in_place(float *x, int64_t n, float c) {
    for (int64_t i = 0; i < n; i++) x[i] = x[i] * c;
}
