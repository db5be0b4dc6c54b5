#include "CKernels.h"

__attribute__((target_clones("avx512f", "avx2", "default")))
void ck_fill(float *dst, float value, int64_t n) {
    for (int64_t i = 0; i < n; i++) dst[i] = value;
}
