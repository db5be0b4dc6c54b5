#ifndef CKERNELS_ATTENTION_H
#define CKERNELS_ATTENTION_H
#include <stddef.h>
#include <stdint.h>

// Fused multi-head attention, one head at a time with every intermediate in cache:
// P = softmax(scale · Q·Kᵀ + mask), O = dropout(P)·V, and the matching backward.
// The Swift side splits the batch·heads range across cores and gives each call its own
// scratch buffer.

/// A [batch, heads, rows, d] operand: element (b, h, i, j) at data[b·sb + h·sh + i·st + j].
typedef struct {
    float *data;
    int64_t sb, sh, st;
} ck_heads;

typedef struct {
    /// q: [batch, heads, tq, d]; k, v: [batch, heads, tk, d].
    int64_t batch, heads, tq, tk, d;
    ck_heads q, k, v;
    /// Additive mask broadcast to [batch, heads, tq, tk] (strides may be 0), or NULL.
    const float *mask;
    int64_t mask_sb, mask_sh, mask_si, mask_sj;
    float scale;
    /// Dropout on the probabilities (0: none), with the mask of
    /// ck_dropout_apply(seed) over the contiguous [batch, heads, tq, tk] probabilities.
    float dropout;
    uint64_t seed;
} ck_attention_problem;

/// Floats of scratch one call needs.
int64_t ck_attention_scratch_floats(int64_t tq, int64_t tk, int64_t d);

/// Forward for heads [begin, end) (head index b·heads + h): writes `out`; when `probs` is not
/// NULL, the pre-dropout probabilities (contiguous [batch, heads, tq, tk]); when `dropped` is
/// not NULL and dropout is on, the dropped probabilities (same layout).
void ck_attention_forward(const ck_attention_problem *p, int64_t begin, int64_t end,
                          ck_heads out, float *probs, float *dropped, float *scratch);

/// Backward for heads [begin, end), from the saved pre-dropout `probs`, the saved `dropped`
/// probabilities (read only when dropout is on) and the output gradient `dout`: writes
/// (overwrites) dq, dk and dv.
void ck_attention_backward(const ck_attention_problem *p, int64_t begin, int64_t end,
                           const float *probs, const float *dropped, ck_heads dout,
                           ck_heads dq, ck_heads dk, ck_heads dv, float *scratch);

/// C[m×n] = alpha·A·B + beta·C, single-threaded, for small cache-resident products.
/// A(i, p) = a[i·ars + p·acs] (row- or column-major), B(p, j) = b[p·ldb + j],
/// C(i, j) = c[i·ldc + j]. C must not alias A or B.
void ck_small_gemm(int64_t m, int64_t n, int64_t k, float alpha,
                   const float *a, int64_t ars, int64_t acs,
                   const float *b, int64_t ldb, float beta, float *c, int64_t ldc);
/// The same product through the portable loops used on CPUs without AVX2 + FMA (for tests).
void ck_small_gemm_portable(int64_t m, int64_t n, int64_t k, float alpha,
                            const float *a, int64_t ars, int64_t acs,
                            const float *b, int64_t ldb, float beta, float *c, int64_t ldc);
/// The same product through the AVX2 + FMA tiles (for tests): returns 1, or 0 without computing
/// anything when this CPU lacks AVX2 or FMA.
int ck_small_gemm_avx2(int64_t m, int64_t n, int64_t k, float alpha,
                       const float *a, int64_t ars, int64_t acs,
                       const float *b, int64_t ldb, float beta, float *c, int64_t ldc);

#endif
