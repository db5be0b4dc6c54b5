// Private header: the counter-based dropout mask shared by dropout.c and attention.c, so a
// fused kernel drops exactly the elements `Tensor.dropout` would drop for the same seed.
#ifndef CK_DROPOUT_H
#define CK_DROPOUT_H

#include <stdint.h>

#include "ck_math.h"

CK_INLINE uint32_t ck_mix32(uint32_t h) {
    h ^= h >> 16;
    h *= 0x7feb352du;
    h ^= h >> 15;
    h *= 0x846ca68bu;
    h ^= h >> 16;
    return h;
}

/// 24 uniformly distributed bits for element `index` of the stream `seed` = (k1 << 32) | k0.
CK_INLINE uint32_t ck_dropout_bits(uint64_t index, uint32_t k0, uint32_t k1) {
    uint32_t lo = (uint32_t)index, hi = (uint32_t)(index >> 32);
    uint32_t h = ck_mix32(lo * 0x9e3779b1u ^ k0);
    h = ck_mix32(h ^ (hi * 0x85ebca6bu) ^ k1);
    return h >> 8;
}

/// Elements whose bits are below this are dropped: P(drop) = p rounded to 2^-24.
CK_INLINE uint32_t ck_dropout_threshold(float p) { return (uint32_t)(p * 16777216.0f + 0.5f); }

/// Scale applied to kept elements: 1 / (1 - p), or 0 when everything is dropped.
CK_INLINE float ck_dropout_scale(float p) { return p < 1.0f ? 1.0f / (1.0f - p) : 0.0f; }

#endif
