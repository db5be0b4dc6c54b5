// A single-threaded float32 gemm for the small, cache-resident products inside fused kernels
// (attention heads: 128 × 128 × 64 and the like), where OpenBLAS spends more time on its
// interface, buffer management and packing than on arithmetic (≈ 50 GFLOP/s per core at that
// size against ≈ 120 here). No packing: B rows are read in place (unit column stride), A is
// read by broadcasting single elements, so A may be row- or column-major at no cost.
// Paths, chosen at run time: AVX-512 (8 × 32 tiles), AVX2 + FMA (6 × 16 tiles: 12 accumulators
// in 16 ymm registers — the path of AVX2-only CPUs such as this project's AMD EPYC hosts, where
// the portable loops ran the attention products at a sixth of the tile speed), portable loops.
#include "CKernels.h"
#include "ck_math.h"

#if defined(__x86_64__) && !defined(CK_NO_DISPATCH)
#include <immintrin.h>
#define CK_HAVE_AVX512_GEMM 1
#define CK_HAVE_AVX2_GEMM 1
#endif

/// Portable path (any ISA); exported for tests as ck_small_gemm_portable.
static void ck_small_gemm_generic(int64_t m, int64_t n, int64_t k, float alpha,
                                  const float *a, int64_t ars, int64_t acs,
                                  const float *b, int64_t ldb, float beta,
                                  float *c, int64_t ldc) {
    for (int64_t i = 0; i < m; i++) {
        float *ci = c + i * ldc;
        for (int64_t j = 0; j < n; j++) ci[j] = beta == 0.0f ? 0.0f : beta * ci[j];
        float *acc = ci;
        for (int64_t p = 0; p < k; p++) {
            const float x = alpha * a[i * ars + p * acs];
            const float *bp = b + p * ldb;
            for (int64_t j = 0; j < n; j++) acc[j] += x * bp[j];
        }
    }
}

#ifdef CK_HAVE_AVX512_GEMM
#define CK_MR 8

/// One 8 × 32 tile of C (rows < mr, columns < nr are stored; rows past mr re-read the last
/// valid A row so no out-of-bounds load happens). `full` selects unmasked column access.
__attribute__((target("avx512f"), always_inline))
static inline void ck_tile_8x32(int64_t k, const float *a, int64_t ars, int64_t acs,
                                const float *b, int64_t ldb, float *c, int64_t ldc,
                                int64_t mr, int64_t nr, float alpha, float beta, int full) {
    __m512 acc[CK_MR][2];
    const float *row[CK_MR];
    for (int r = 0; r < CK_MR; r++) {
        acc[r][0] = _mm512_setzero_ps();
        acc[r][1] = _mm512_setzero_ps();
        row[r] = a + (r < mr ? r : mr - 1) * ars;
    }
    const __mmask16 m0 = full ? 0xFFFF : (__mmask16)(nr >= 16 ? 0xFFFF : (1u << nr) - 1);
    const __mmask16 m1 = full ? 0xFFFF : (__mmask16)(nr >= 32 ? 0xFFFF : nr > 16 ? (1u << (nr - 16)) - 1 : 0);
    int64_t ao = 0;
    for (int64_t p = 0; p < k; p++, ao += acs, b += ldb) {
        __m512 b0, b1;
        if (full) {
            b0 = _mm512_loadu_ps(b);
            b1 = _mm512_loadu_ps(b + 16);
        } else {
            b0 = _mm512_maskz_loadu_ps(m0, b);
            b1 = _mm512_maskz_loadu_ps(m1, b + 16);
        }
        for (int r = 0; r < CK_MR; r++) {
            const __m512 x = _mm512_set1_ps(row[r][ao]);
            acc[r][0] = _mm512_fmadd_ps(x, b0, acc[r][0]);
            acc[r][1] = _mm512_fmadd_ps(x, b1, acc[r][1]);
        }
    }
    const __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
    for (int r = 0; r < CK_MR; r++) {
        if (r >= mr) break;
        float *cr = c + r * ldc;
        __m512 y0 = _mm512_mul_ps(acc[r][0], va), y1 = _mm512_mul_ps(acc[r][1], va);
        if (beta != 0.0f) {
            y0 = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(m0, cr), y0);
            y1 = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(m1, cr + 16), y1);
        }
        if (full) {
            _mm512_storeu_ps(cr, y0);
            _mm512_storeu_ps(cr + 16, y1);
        } else {
            _mm512_mask_storeu_ps(cr, m0, y0);
            _mm512_mask_storeu_ps(cr + 16, m1, y1);
        }
    }
}

__attribute__((target("avx512f")))
static void ck_small_gemm_avx512(int64_t m, int64_t n, int64_t k, float alpha,
                                 const float *a, int64_t ars, int64_t acs,
                                 const float *b, int64_t ldb, float beta,
                                 float *c, int64_t ldc) {
    for (int64_t j = 0; j < n; j += 32) {
        const int64_t nr = n - j < 32 ? n - j : 32;
        for (int64_t i = 0; i < m; i += CK_MR) {
            const int64_t mr = m - i < CK_MR ? m - i : CK_MR;
            if (nr == 32) {
                ck_tile_8x32(k, a + i * ars, ars, acs, b + j, ldb, c + i * ldc + j, ldc, mr, nr, alpha, beta, 1);
            } else {
                ck_tile_8x32(k, a + i * ars, ars, acs, b + j, ldb, c + i * ldc + j, ldc, mr, nr, alpha, beta, 0);
            }
        }
    }
}
#endif

#ifdef CK_HAVE_AVX2_GEMM
#define CK_MR2 6

/// The lane mask of the first `n` (0…8) of 8 floats, for maskload/maskstore.
__attribute__((target("avx2,fma"), always_inline))
static inline __m256i ck_lanes(int64_t n) {
    const __m256i index = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)(n < 0 ? 0 : n > 8 ? 8 : n)), index);
}

/// One 6 × 16 tile of C (rows < mr, columns < nr are stored; rows past mr re-read the last
/// valid A row so no out-of-bounds load happens). `full` selects unmasked column access.
__attribute__((target("avx2,fma"), always_inline))
static inline void ck_tile_6x16(int64_t k, const float *a, int64_t ars, int64_t acs,
                                const float *b, int64_t ldb, float *c, int64_t ldc,
                                int64_t mr, int64_t nr, float alpha, float beta, int full) {
    __m256 acc[CK_MR2][2];
    const float *row[CK_MR2];
    for (int r = 0; r < CK_MR2; r++) {
        acc[r][0] = _mm256_setzero_ps();
        acc[r][1] = _mm256_setzero_ps();
        row[r] = a + (r < mr ? r : mr - 1) * ars;
    }
    const __m256i m0 = ck_lanes(nr), m1 = ck_lanes(nr - 8);
    int64_t ao = 0;
    for (int64_t p = 0; p < k; p++, ao += acs, b += ldb) {
        __m256 b0, b1;
        if (full) {
            b0 = _mm256_loadu_ps(b);
            b1 = _mm256_loadu_ps(b + 8);
        } else {
            b0 = _mm256_maskload_ps(b, m0);
            b1 = _mm256_maskload_ps(b + 8, m1);
        }
        for (int r = 0; r < CK_MR2; r++) {
            const __m256 x = _mm256_broadcast_ss(row[r] + ao);
            acc[r][0] = _mm256_fmadd_ps(x, b0, acc[r][0]);
            acc[r][1] = _mm256_fmadd_ps(x, b1, acc[r][1]);
        }
    }
    const __m256 va = _mm256_set1_ps(alpha), vb = _mm256_set1_ps(beta);
    for (int r = 0; r < CK_MR2; r++) {
        if (r >= mr) break;
        float *cr = c + r * ldc;
        __m256 y0 = _mm256_mul_ps(acc[r][0], va), y1 = _mm256_mul_ps(acc[r][1], va);
        if (full) {
            if (beta != 0.0f) {
                y0 = _mm256_fmadd_ps(vb, _mm256_loadu_ps(cr), y0);
                y1 = _mm256_fmadd_ps(vb, _mm256_loadu_ps(cr + 8), y1);
            }
            _mm256_storeu_ps(cr, y0);
            _mm256_storeu_ps(cr + 8, y1);
        } else {
            if (beta != 0.0f) {
                y0 = _mm256_fmadd_ps(vb, _mm256_maskload_ps(cr, m0), y0);
                y1 = _mm256_fmadd_ps(vb, _mm256_maskload_ps(cr + 8, m1), y1);
            }
            _mm256_maskstore_ps(cr, m0, y0);
            _mm256_maskstore_ps(cr + 8, m1, y1);
        }
    }
}

__attribute__((target("avx2,fma")))
static void ck_small_gemm_avx2_tiles(int64_t m, int64_t n, int64_t k, float alpha,
                                     const float *a, int64_t ars, int64_t acs,
                                     const float *b, int64_t ldb, float beta,
                                     float *c, int64_t ldc) {
    for (int64_t j = 0; j < n; j += 16) {
        const int64_t nr = n - j < 16 ? n - j : 16;
        for (int64_t i = 0; i < m; i += CK_MR2) {
            const int64_t mr = m - i < CK_MR2 ? m - i : CK_MR2;
            if (nr == 16) {
                ck_tile_6x16(k, a + i * ars, ars, acs, b + j, ldb, c + i * ldc + j, ldc, mr, nr, alpha, beta, 1);
            } else {
                ck_tile_6x16(k, a + i * ars, ars, acs, b + j, ldb, c + i * ldc + j, ldc, mr, nr, alpha, beta, 0);
            }
        }
    }
}

static int ck_has_avx2_fma(void) { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"); }
#endif

void ck_small_gemm(int64_t m, int64_t n, int64_t k, float alpha,
                   const float *a, int64_t ars, int64_t acs,
                   const float *b, int64_t ldb, float beta, float *c, int64_t ldc) {
    if (m <= 0 || n <= 0) return;
#ifdef CK_HAVE_AVX512_GEMM
    if (__builtin_cpu_supports("avx512f")) {
        ck_small_gemm_avx512(m, n, k, alpha, a, ars, acs, b, ldb, beta, c, ldc);
        return;
    }
#endif
#ifdef CK_HAVE_AVX2_GEMM
    if (ck_has_avx2_fma()) {
        ck_small_gemm_avx2_tiles(m, n, k, alpha, a, ars, acs, b, ldb, beta, c, ldc);
        return;
    }
#endif
    ck_small_gemm_generic(m, n, k, alpha, a, ars, acs, b, ldb, beta, c, ldc);
}

void ck_small_gemm_portable(int64_t m, int64_t n, int64_t k, float alpha,
                            const float *a, int64_t ars, int64_t acs,
                            const float *b, int64_t ldb, float beta, float *c, int64_t ldc) {
    if (m <= 0 || n <= 0) return;
    ck_small_gemm_generic(m, n, k, alpha, a, ars, acs, b, ldb, beta, c, ldc);
}

int ck_small_gemm_avx2(int64_t m, int64_t n, int64_t k, float alpha,
                       const float *a, int64_t ars, int64_t acs,
                       const float *b, int64_t ldb, float beta, float *c, int64_t ldc) {
#ifdef CK_HAVE_AVX2_GEMM
    if (!ck_has_avx2_fma()) return 0;
    if (m > 0 && n > 0) ck_small_gemm_avx2_tiles(m, n, k, alpha, a, ars, acs, b, ldb, beta, c, ldc);
    return 1;
#else
    return 0;
#endif
}
