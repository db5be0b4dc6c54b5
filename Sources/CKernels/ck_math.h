// Private header: vectorisable float32 approximations of exp, erf, tanh and sigmoid.
//
// Everything here is `static inline`, branch-free (selects only) and free of libm calls, so
// that a simple loop calling these functions is auto-vectorised by clang/GCC inside each
// `target_clones` variant (AVX-512, AVX2, baseline SSE2). The polynomial coefficients come
// from Scripts/fit_kernel_polys.py (near-minimax fits, rounded to float32).
//
// Stated accuracy (measured against libm/float64 by Tests/TensorCoreTests/ApproximationTests):
//   ck_exp      within 1 ulp of the correctly rounded result over the whole float range
//               (measured 1.2e-7 relative for normal results), incl. gradual underflow;
//               0 below -103.9, +inf above 88.72.
//   ck_tanh     relative error < 2e-7 everywhere (measured 1.4e-7).
//   ck_sigmoid  relative error < 3e-7 for x > -87 (subnormal results flush to 0);
//               absolute error < 1e-7 everywhere.
//   ck_erf      absolute error < 4e-7 everywhere (measured 3.4e-7), relative < 4e-7.
// NaN propagates; +-inf give the limits.
#ifndef CK_MATH_H
#define CK_MATH_H

#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && defined(__linux__) && !defined(CK_NO_DISPATCH)
/// Runtime CPU dispatch: one clone per ISA, picked once by the dynamic loader (ifunc).
#define CK_DISPATCH __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define CK_DISPATCH
#endif

#define CK_INLINE static inline __attribute__((always_inline))

#if defined(__clang__)
/// Asks clang to keep four vectors in flight per loop step: the approximations are long
/// dependency chains, and interleaving independent elements hides their latency.
#define CK_INTERLEAVE _Pragma("clang loop interleave_count(4)")
#else
#define CK_INTERLEAVE
#endif

CK_INLINE float ck_from_bits(uint32_t u) {
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

CK_INLINE uint32_t ck_to_bits(float f) {
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

CK_INLINE float ck_absf(float x) { return ck_from_bits(ck_to_bits(x) & 0x7fffffffu); }

/// Returns |magnitude| with the sign bit of `sign`.
CK_INLINE float ck_copysignf(float magnitude, float sign) {
    return ck_from_bits((ck_to_bits(magnitude) & 0x7fffffffu) | (ck_to_bits(sign) & 0x80000000u));
}

/// exp(x): x = n ln2 + r with |r| <= ln2/2 (Cody–Waite), exp(r) = 1 + r + r^2 P(r), then the
/// result is scaled by 2^n as 2^(n/2) * 2^(n - n/2) so that gradual underflow and the overflow
/// to +inf both come out right without branches.
/// exp(r) for x = n ln2 + r, |r| <= ln2/2, with n stored in *n (x already clamped to where
/// n fits the exponent): the shared core of ck_exp and ck_exp_nonpositive.
CK_INLINE float ck_exp_reduced(float x, int32_t *n) {
    const float magic = 12582912.0f;  // 1.5 * 2^23: adding it rounds to an integer
    float fn = x * 1.44269504088896341f + magic;
    *n = (int32_t)(ck_to_bits(fn) - 0x4B400000u);
    fn -= magic;
    float r = x - fn * 0.693359375f;  // ln2 high part (exact product for |n| < 2^15)
    r = r - fn * -2.12194440e-4f;     // ln2 low part
    float p = 0.00019790352962445468f;
    p = p * r + 0.0013944648671895266f;
    p = p * r + 0.008333496749401093f;
    p = p * r + 0.04166629537940025f;
    p = p * r + 0.1666666567325592f;
    p = p * r + 0.5f;
    return 1.0f + r + (r * r) * p;
}

CK_INLINE float ck_exp(float x) {
    x = x < -104.0f ? -104.0f : x;  // comparisons with NaN are false: NaN passes through
    x = x > 89.0f ? 89.0f : x;
    int32_t n;
    float e = ck_exp_reduced(x, &n);
    int32_t n1 = n >> 1;
    int32_t n2 = n - n1;
    float s1 = ck_from_bits((uint32_t)(n1 + 127) << 23);
    float s2 = ck_from_bits((uint32_t)(n2 + 127) << 23);
    return (e * s1) * s2;
}

/// exp(x) for x <= 0 (softmax and log-sum-exp after subtracting the row maximum): the same
/// polynomial as ck_exp with a single 2^n scale; results below FLT_MIN (x < -87.33) flush to
/// 0 instead of going subnormal. NaN propagates; positive x must not occur.
CK_INLINE float ck_exp_nonpositive(float x) {
    float xc = x < -87.33654f ? -87.33654f : x;
    int32_t n;
    float e = ck_exp_reduced(xc, &n);
    float y = e * ck_from_bits((uint32_t)(n + 127) << 23);
    return x < -87.33654f ? 0.0f : y;
}

/// tanh(x): odd polynomial for |x| < 0.625, 1 - 2 / (exp(2|x|) + 1) with the sign of x above.
CK_INLINE float ck_tanh(float x) {
    float a = ck_absf(x);
    float z = x * x;
    float p = -0.005704987328499556f;
    p = p * z + 0.0206390880048275f;
    p = p * z + -0.05373971536755562f;
    p = p * z + 0.13331441581249237f;
    p = p * z + -0.3333328068256378f;
    float small = x + x * z * p;
    float big = 1.0f - 2.0f / (ck_exp(2.0f * a) + 1.0f);
    return a < 0.625f ? small : ck_copysignf(big, x);
}

/// sigmoid(x) = 1 / (1 + exp(-x)); exp overflow gives exactly 0, never NaN.
CK_INLINE float ck_sigmoid(float x) { return 1.0f / (1.0f + ck_exp(-x)); }

/// erf(x) = x P(x^2) / Q(x^2) on |x| <= 3.8 (clamped beyond, where erf rounds to +-1):
/// one division and no exp. All coefficients are positive, so the evaluation is stable.
CK_INLINE float ck_erf(float x) {
    float a = ck_absf(x);
    float c = a > 3.8f ? 3.8f : a;
    float z = c * c;
    float p = 2.1321370695659425e-06f;
    p = p * z + 0.0002879996318370104f;
    p = p * z + 0.003693609032779932f;
    p = p * z + 0.05254732817411423f;
    p = p * z + 0.18811604380607605f;
    p = p * z + 1.1283791065216064f;
    float q = 3.9097914850572124e-05f;
    q = q * z + 0.0011537446407601237f;
    q = q * z + 0.01482291892170906f;
    q = q * z + 0.1132548451423645f;
    q = q * z + 0.5000457763671875f;
    q = q * z + 1.0f;
    float r = (c * p) / q;
    r = r > 1.0f ? 1.0f : r;
    r = a == a ? r : a;  // NaN in, NaN out (the clamp above would have hidden it)
    return ck_copysignf(r, x);
}

/// Allows clang to reassociate the float operations of the enclosing block (see ck_rows.h).
#if defined(__clang__)
#define CK_REASSOCIATE _Pragma("clang fp reassociate(on)")
#else
#define CK_REASSOCIATE
#endif

#endif
