// Elementwise transcendental maps and activation functions, forward and backward.
// Each loop body is branch-free and calls only the inline approximations of ck_math.h, so the
// loops vectorise in every target clone.
#include "CKernels.h"
#include "ck_math.h"

#define CK_SQRT1_2 0.70710678118654752f
#define CK_2_SQRTPI 1.12837916709551257f
#define CK_INV_SQRT_2PI 0.39894228040143268f
#define CK_SQRT_2_PI 0.79788456080286536f
#define CK_GELU_C 0.044715f

CK_DISPATCH
void ck_exp_f32(const float *x, float *y, int64_t n) {
    CK_INTERLEAVE
    for (int64_t i = 0; i < n; i++) y[i] = ck_exp(x[i]);
}

CK_DISPATCH
void ck_exp_nonpositive_f32(const float *x, float *y, int64_t n) {
    CK_INTERLEAVE
    for (int64_t i = 0; i < n; i++) y[i] = ck_exp_nonpositive(x[i]);
}

CK_DISPATCH
void ck_tanh_f32(const float *x, float *y, int64_t n) {
    CK_INTERLEAVE
    for (int64_t i = 0; i < n; i++) y[i] = ck_tanh(x[i]);
}

CK_DISPATCH
void ck_sigmoid_f32(const float *x, float *y, int64_t n) {
    CK_INTERLEAVE
    for (int64_t i = 0; i < n; i++) y[i] = ck_sigmoid(x[i]);
}

CK_DISPATCH
void ck_erf_f32(const float *x, float *y, int64_t n) {
    CK_INTERLEAVE
    for (int64_t i = 0; i < n; i++) y[i] = ck_erf(x[i]);
}

CK_DISPATCH
void ck_tanh_backward(const float *restrict y, const float *dy, float *dx, int64_t n) {
    CK_INTERLEAVE
    for (int64_t i = 0; i < n; i++) dx[i] = dy[i] * (1.0f - y[i] * y[i]);
}

CK_DISPATCH
void ck_sigmoid_backward(const float *restrict y, const float *dy, float *dx, int64_t n) {
    CK_INTERLEAVE
    for (int64_t i = 0; i < n; i++) dx[i] = dy[i] * (y[i] * (1.0f - y[i]));
}

CK_DISPATCH
void ck_erf_backward(const float *restrict x, const float *dy, float *dx, int64_t n) {
    CK_INTERLEAVE
    for (int64_t i = 0; i < n; i++) dx[i] = dy[i] * (CK_2_SQRTPI * ck_exp(-(x[i] * x[i])));
}

CK_DISPATCH
void ck_gelu_forward(const float *x, float *y, int64_t n) {
    CK_INTERLEAVE
    for (int64_t i = 0; i < n; i++) {
        float v = x[i];
        y[i] = 0.5f * v * (1.0f + ck_erf(v * CK_SQRT1_2));
    }
}

CK_DISPATCH
void ck_gelu_backward(const float *restrict x, const float *dy, float *dx, int64_t n) {
    CK_INTERLEAVE
    for (int64_t i = 0; i < n; i++) {
        float v = x[i];
        float cdf = 0.5f * (1.0f + ck_erf(v * CK_SQRT1_2));
        float pdf = CK_INV_SQRT_2PI * ck_exp(-0.5f * v * v);
        dx[i] = dy[i] * (cdf + v * pdf);
    }
}

/// In place (one pointer, so the loop vectorises without an aliasing check).
CK_DISPATCH
void ck_gelu_forward_inplace(float *x, int64_t n) {
    CK_INTERLEAVE
    for (int64_t i = 0; i < n; i++) {
        float v = x[i];
        x[i] = 0.5f * v * (1.0f + ck_erf(v * CK_SQRT1_2));
    }
}

CK_DISPATCH
void ck_gelu_tanh_forward_inplace(float *x, int64_t n) {
    CK_INTERLEAVE
    for (int64_t i = 0; i < n; i++) {
        float v = x[i];
        float u = CK_SQRT_2_PI * (v + CK_GELU_C * v * v * v);
        x[i] = v / (1.0f + ck_exp(-2.0f * u));
    }
}

CK_DISPATCH
void ck_gelu_tanh_forward(const float *x, float *y, int64_t n) {
    // 0.5 x (1 + tanh u) = x sigmoid(2u), u = sqrt(2/pi) (x + c x^3).
    CK_INTERLEAVE
    for (int64_t i = 0; i < n; i++) {
        float v = x[i];
        float u = CK_SQRT_2_PI * (v + CK_GELU_C * v * v * v);
        y[i] = v / (1.0f + ck_exp(-2.0f * u));
    }
}

CK_DISPATCH
void ck_gelu_tanh_backward(const float *restrict x, const float *dy, float *dx, int64_t n) {
    // d/dx = s + 2 x s (1 - s) u',  s = sigmoid(2u),  u' = sqrt(2/pi) (1 + 3c x^2).
    CK_INTERLEAVE
    for (int64_t i = 0; i < n; i++) {
        float v = x[i];
        float v2 = v * v;
        float u = CK_SQRT_2_PI * (v + CK_GELU_C * v2 * v);
        float du = CK_SQRT_2_PI * (1.0f + 3.0f * CK_GELU_C * v2);
        float s = 1.0f / (1.0f + ck_exp(-2.0f * u));
        dx[i] = dy[i] * (s + 2.0f * v * s * (1.0f - s) * du);
    }
}

CK_DISPATCH
void ck_xsigmoid_forward(const float *x, float *y, float alpha, int64_t n) {
    CK_INTERLEAVE
    for (int64_t i = 0; i < n; i++) {
        float v = x[i];
        y[i] = v / (1.0f + ck_exp(-alpha * v));
    }
}

CK_DISPATCH
void ck_xsigmoid_backward(const float *restrict x, const float *dy, float *dx, float alpha,
                          int64_t n) {
    CK_INTERLEAVE
    for (int64_t i = 0; i < n; i++) {
        float v = x[i];
        float s = 1.0f / (1.0f + ck_exp(-alpha * v));
        dx[i] = dy[i] * (s + alpha * v * s * (1.0f - s));
    }
}
