// Branch-free exp/log approximations (Cephes polynomials) that the compiler can vectorise.
// Private to CKernels: included by the .c files that need them.
#ifndef CKERNELS_CORE_MATH_H
#define CKERNELS_CORE_MATH_H
#include <stdint.h>
#include <string.h>

static inline float tc_bits_to_float(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }
static inline uint32_t tc_float_to_bits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

/// exp(x): about 1 ulp on [-87.3, 88.7]; 0 below (no denormals), +inf above, NaN kept.
static inline float tc_exp_inline(float x) {
    const float hi = 88.7228391f, lo = -87.3365447f;
    float xc = x > hi ? hi : x;
    xc = xc < lo ? lo : xc;
    xc = (x != x) ? 0.0f : xc;
    // n = round(x / ln 2) with the 1.5·2^23 trick (no libm call, vectorises on SSE2).
    float t = xc * 1.44269504088896341f + 12582912.0f;
    float n = t - 12582912.0f;
    float r = xc - n * 0.693359375f + n * 2.12194440e-4f;
    float z = r * r;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    float y = p * z + r + 1.0f;
    // 2^n as 2^h · 2^(n-h) with h = floor(n/2): both factors stay normal for n in [-126, 128].
    int32_t ni = (int32_t)n;
    int32_t h = ni >> 1;
    float s1 = tc_bits_to_float((uint32_t)(h + 127) << 23);
    float s2 = tc_bits_to_float((uint32_t)(ni - h + 127) << 23);
    y = y * s1 * s2;
    y = x > hi ? __builtin_inff() : y;
    y = x < lo ? 0.0f : y;
    y = (x != x) ? x : y;
    return y;
}

/// log(x): about 1 ulp for positive finite x (denormals rescaled); log(0) = -inf,
/// log(x < 0) = NaN, log(inf) = inf.
static inline float tc_log_inline(float x) {
    const float minNormal = 1.17549435e-38f;
    int denormal = x < minNormal;
    float xs = denormal ? x * 8388608.0f : x;  // 2^23
    uint32_t bits = tc_float_to_bits(xs);
    int32_t e = (int32_t)((bits >> 23) & 0xff) - 126;
    e = denormal ? e - 23 : e;
    float m = tc_bits_to_float((bits & 0x007fffffu) | 0x3f000000u);  // [0.5, 1)
    int small = m < 0.707106781186547524f;
    float ef = (float)(small ? e - 1 : e);
    m = small ? (m + m - 1.0f) : (m - 1.0f);
    float z = m * m;
    float y = 7.0376836292e-2f;
    y = y * m - 1.1514610310e-1f;
    y = y * m + 1.1676998740e-1f;
    y = y * m - 1.2420140846e-1f;
    y = y * m + 1.4249322787e-1f;
    y = y * m - 1.6668057665e-1f;
    y = y * m + 2.0000714765e-1f;
    y = y * m - 2.4999993993e-1f;
    y = y * m + 3.3333331174e-1f;
    y = y * m * z;
    y += -2.12194440e-4f * ef;
    y += -0.5f * z;
    float result = m + y + 0.693359375f * ef;
    result = (x == __builtin_inff()) ? x : result;
    result = (x == 0.0f) ? -__builtin_inff() : result;
    result = (x < 0.0f || x != x) ? __builtin_nanf("") : result;
    return result;
}
#endif
