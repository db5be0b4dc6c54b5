#ifndef CKERNELS_OPTIM_H
#define CKERNELS_OPTIM_H
#include <stdint.h>

// One-pass optimizer updates over raw float buffers (TensorCore's SGD, Adam/AdamW,
// AdamWeightDecay, LAMB) and the reductions clipping and LAMB need. Every routine treats
// elements independently (or reduces with a fixed lane order), so splitting a buffer into
// chunks, across threads or not, gives bit-identical results. Scalars arrive already rounded
// to float by the caller; no multiply-add is fused (fp contract off), so the results equal a
// plain float32 evaluation of the documented formulas.

/// SGD (torch.optim.SGD). momentum_mode: 0 no momentum, 1 first update (buf = d), 2 later
/// updates (buf = momentum*buf + keep*d).
void tc_sgd_update(float *p, const float *g, float *buf, int64_t n, float neg_lr,
                   int has_decay, float decay, int momentum_mode, float momentum, float keep,
                   int nesterov);

/// Adam / AdamW (torch single-tensor path): shrink = 1 - lr*wd (decoupled, else 1),
/// coupled L2 decay, m = lerp(m, g, w), v = v*beta2 + omb2*g*g,
/// p += neg_step * m / (sqrt(v) / c2root + eps). The gradient is first multiplied by
/// gscale (a clipping coefficient; 1 leaves it bit-for-bit unchanged).
void tc_adam_update(float *p, const float *g, float *m, float *v, int64_t n,
                    int decoupled, float shrink, int coupled, float decay, float w,
                    float beta2, float omb2, float c2root, float eps, float neg_step, float gscale);

/// google-research/bert AdamWeightDecayOptimizer (no bias correction, eps outside the sqrt).
void tc_adam_weight_decay_update(float *p, const float *g, float *m, float *v, int64_t n,
                                 float beta1, float keep1, float beta2, float keep2, float eps,
                                 float lr, int decays, float decay);

/// LAMB stage 1 (apex multi_tensor_lamb): updates the moments and returns the sum of squares
/// (double, 8 fixed lanes) of u = (m / c1) / (sqrt(v / c2) + eps) [+ decay * p].
double tc_lamb_stage1(const float *p, const float *g, float *m, float *v, int64_t n,
                      float beta1, float keep1, float beta2, float keep2, float c1, float c2,
                      float eps, int decays, float decay);

/// LAMB stage 2: recomputes the same u from the updated moments (bit-identical, no scratch
/// buffer) and applies p -= ratio * u.
void tc_lamb_stage2(float *p, const float *m, const float *v, int64_t n, float c1, float c2,
                    float eps, int decays, float decay, float ratio);

/// Sum of squares in double with 8 fixed lanes (deterministic for any ISA).
double tc_sum_of_squares(const float *x, int64_t n);

/// max |x_i| (NaN if any element is NaN).
float tc_max_abs(const float *x, int64_t n);

/// x *= c.
void tc_scale_in_place(float *x, int64_t n, float c);

#endif
