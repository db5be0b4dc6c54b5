// Dropout with a counter-based mask: keep(seed, i) is a hash of the element index, so the
// forward needs no random state per element, the backward recomputes the same mask instead of
// storing it, and the result does not depend on how rows are split across threads.
#include "CKernels.h"
#include "ck_dropout.h"
#include "ck_math.h"

CK_DISPATCH
void ck_dropout_apply(const float *x, float *y, int64_t n, int64_t offset, uint64_t seed, float p) {
    const uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
    // Drop when bits < threshold: P(drop) = threshold / 2^24 = p rounded to 2^-24.
    const uint32_t threshold = ck_dropout_threshold(p);
    const float scale = ck_dropout_scale(p);
    CK_INTERLEAVE
    for (int64_t i = 0; i < n; i++) {
        uint32_t b = ck_dropout_bits((uint64_t)(offset + i), k0, k1);
        y[i] = b >= threshold ? x[i] * scale : 0.0f;
    }
}
