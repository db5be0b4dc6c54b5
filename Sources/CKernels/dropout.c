// Dropout with a counter-based mask: keep(seed, i) is a hash of the element index, so the
// forward needs no random state per element, the backward recomputes the same mask instead of
// storing it, and the result does not depend on how rows are split across threads.
#include "CKernels.h"
#include "ck_math.h"

CK_INLINE uint32_t ck_mix32(uint32_t h) {
    h ^= h >> 16;
    h *= 0x7feb352du;
    h ^= h >> 15;
    h *= 0x846ca68bu;
    h ^= h >> 16;
    return h;
}

/// 24 uniformly distributed bits for element `index` of the stream `seed`.
CK_INLINE uint32_t ck_dropout_bits(uint64_t index, uint32_t k0, uint32_t k1) {
    uint32_t lo = (uint32_t)index, hi = (uint32_t)(index >> 32);
    uint32_t h = ck_mix32(lo * 0x9e3779b1u ^ k0);
    h = ck_mix32(h ^ (hi * 0x85ebca6bu) ^ k1);
    return h >> 8;
}

CK_DISPATCH
void ck_dropout_apply(const float *x, float *y, int64_t n, int64_t offset, uint64_t seed, float p) {
    const uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
    // Drop when bits < threshold: P(drop) = threshold / 2^24 = p rounded to 2^-24.
    const uint32_t threshold = (uint32_t)(p * 16777216.0f + 0.5f);
    const float scale = p < 1.0f ? 1.0f / (1.0f - p) : 0.0f;
    CK_INTERLEAVE
    for (int64_t i = 0; i < n; i++) {
        uint32_t b = ck_dropout_bits((uint64_t)(offset + i), k0, k1);
        y[i] = b >= threshold ? x[i] * scale : 0.0f;
    }
}
