#ifndef CKERNELS_H
#define CKERNELS_H
#include <stddef.h>
#include <stdint.h>

/// Fills `n` floats at `dst` with `value`.
void ck_fill(float *dst, float value, int64_t n);

#endif
