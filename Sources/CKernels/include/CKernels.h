#ifndef CKERNELS_H
#define CKERNELS_H
#include <stddef.h>
#include <stdint.h>
#include "CKernelsCore.h"
#include "CKernelsOptim.h"
#include "CKernelsAttention.h"

// All kernels work on contiguous float32 buffers. Row kernels see `rows` rows of `n` floats;
// the Swift side splits rows across cores and calls them on sub-ranges. Output buffers must
// not alias inputs unless a comment says so. Hot loops are compiled once per ISA (AVX-512,
// AVX2, baseline) and picked at load time; see ck_math.h for the accuracy of exp/erf/tanh.

/// Fills `n` floats at `dst` with `value`.
void ck_fill(float *dst, float value, int64_t n);

// MARK: Transcendentals, elementwise (y may equal x)

/// y = exp(x), within 1 ulp of the correctly rounded result (subnormals included).
void ck_exp_f32(const float *x, float *y, int64_t n);
/// y = exp(x) for x <= 0 as the row kernels use it after subtracting the maximum: same
/// accuracy as ck_exp_f32 down to FLT_MIN, 0 below x = -87.33 (no subnormals).
void ck_exp_nonpositive_f32(const float *x, float *y, int64_t n);
/// y = tanh(x), relative error < 2e-7.
void ck_tanh_f32(const float *x, float *y, int64_t n);
/// y = 1 / (1 + exp(-x)).
void ck_sigmoid_f32(const float *x, float *y, int64_t n);
/// y = erf(x), absolute and relative error < 4e-7.
void ck_erf_f32(const float *x, float *y, int64_t n);

// MARK: Activations, forward and backward (dx may equal dy)

/// dx = dy * (1 - y^2), where y = tanh(x).
void ck_tanh_backward(const float *restrict y, const float *dy, float *dx, int64_t n);
/// dx = dy * y * (1 - y), where y = sigmoid(x).
void ck_sigmoid_backward(const float *restrict y, const float *dy, float *dx, int64_t n);
/// dx = dy * 2/sqrt(pi) * exp(-x^2).
void ck_erf_backward(const float *restrict x, const float *dy, float *dx, int64_t n);
/// y = x/2 * (1 + erf(x / sqrt 2))  (Hugging Face "gelu").
void ck_gelu_forward(const float *x, float *y, int64_t n);
/// ck_gelu_forward and ck_gelu_tanh_forward in place.
void ck_gelu_forward_inplace(float *x, int64_t n);
void ck_gelu_tanh_forward_inplace(float *x, int64_t n);
/// dx = dy * (Phi(x) + x phi(x)).
void ck_gelu_backward(const float *restrict x, const float *dy, float *dx, int64_t n);
/// y = x/2 * (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))  (Hugging Face "gelu_new"),
/// evaluated as x * sigmoid(2u) which has no cancellation.
void ck_gelu_tanh_forward(const float *x, float *y, int64_t n);
void ck_gelu_tanh_backward(const float *restrict x, const float *dy, float *dx, int64_t n);
/// y = x * sigmoid(alpha x): SiLU for alpha = 1, quick GELU for alpha = 1.702.
void ck_xsigmoid_forward(const float *x, float *y, float alpha, int64_t n);
/// dx = dy * (s + alpha x s (1 - s)), s = sigmoid(alpha x).
void ck_xsigmoid_backward(const float *restrict x, const float *dy, float *dx, float alpha, int64_t n);

// MARK: Row kernels over the last axis

/// y = softmax(x) per row (max-subtracted). A row whose maximum is -inf yields zeros.
void ck_softmax_forward(const float *restrict x, float *restrict y, int64_t rows, int64_t n);
/// dx = y * (dy - sum(dy * y)) per row.
void ck_softmax_backward(const float *restrict y, const float *restrict dy, float *restrict dx,
                         int64_t rows, int64_t n);
/// y = x - max - log(sum(exp(x - max))) per row.
void ck_log_softmax_forward(const float *restrict x, float *restrict y, int64_t rows, int64_t n);
/// dx = dy - exp(y) * sum(dy) per row.
void ck_log_softmax_backward(const float *restrict y, const float *restrict dy, float *restrict dx,
                             int64_t rows, int64_t n);

/// y = (x - mean) * rstd * weight + bias per row; saves mean and rstd = 1/sqrt(var + eps)
/// (biased variance) per row. weight and bias may be NULL (treated as 1 and 0).
void ck_layer_norm_forward(const float *restrict x, const float *restrict weight,
                           const float *restrict bias, float *restrict y, float *restrict mean,
                           float *restrict rstd, int64_t rows, int64_t n, float eps);
/// Layer norm of s = x + residual, one row at a time (s stays in L1 between the add and the
/// normalisation): s is written to `s` + r·s_stride (s_stride = n keeps every row for the
/// backward; 0 reuses one row of scratch), then normalised into y as ck_layer_norm_forward.
void ck_layer_norm_residual_forward(const float *restrict x, const float *restrict residual,
                                    float *restrict s, int64_t s_stride, const float *restrict weight,
                                    const float *restrict bias, float *restrict y, float *restrict mean,
                                    float *restrict rstd, int64_t rows, int64_t n, float eps);
/// Layer-norm backward. dx (may be NULL) is overwritten; dweight and dbias (may be NULL) are
/// ACCUMULATED into (+=) over the given rows. weight may be NULL (treated as 1).
void ck_layer_norm_backward(const float *restrict x, const float *restrict dy,
                            const float *restrict weight, const float *restrict mean,
                            const float *restrict rstd, float *restrict dx,
                            float *restrict dweight, float *restrict dbias, int64_t rows,
                            int64_t n);

// MARK: Cross-entropy over rows of logits

/// Per row: loss = logsumexp(row) - row[target]; rows whose target equals `ignore_index`
/// get loss 0. `lse` receives logsumexp per row (needed by the backward). Targets must be in
/// [0, n) or equal to ignore_index (checked by the caller).
void ck_cross_entropy_forward(const float *restrict logits, const int64_t *restrict targets,
                              float *restrict loss, float *restrict lse, int64_t rows, int64_t n,
                              int64_t ignore_index);
/// dlogits[r] = g_r * (softmax(row) - onehot(target)), g_r = row_grad[r * row_grad_stride]
/// (stride 0 broadcasts one scalar). Ignored rows get zeros.
void ck_cross_entropy_backward(const float *restrict logits, const int64_t *restrict targets,
                               const float *restrict lse, const float *restrict row_grad,
                               int64_t row_grad_stride, float *restrict dlogits, int64_t rows,
                               int64_t n, int64_t ignore_index);

// MARK: Dropout (counter-based: the mask is a pure function of seed and element index)

/// y[i] = keep(seed, offset + i) ? x[i] / (1 - p) : 0, keep with probability 1 - p.
/// The backward is the same call on the upstream gradient. y may equal x.
void ck_dropout_apply(const float *x, float *y, int64_t n, int64_t offset, uint64_t seed, float p);

#endif
