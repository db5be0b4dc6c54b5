// Fused multi-head attention: per head, the t × t scores live only in a per-call scratch
// buffer (L2-resident for t ≤ 256), so the [batch, heads, t, t] tensors of the unfused
// composition (scores, masked scores, probabilities, dropped probabilities) are never written
// to memory except the probabilities the caller asks for.
#include <math.h>

#include "CKernels.h"
#include "ck_dropout.h"
#include "ck_math.h"
#include "ck_rows.h"

int64_t ck_attention_scratch_floats(int64_t tq, int64_t tk, int64_t d) { return d * tk + 2 * tq * tk + tq; }

/// p = softmax(s + mask) for one row (internal; not in the public header); `s` is overwritten
/// with s + mask. With `normalize` 0 the row is left as exp(x − max) and 1 / Σ is returned for
/// the caller to apply later (to the t × d output row instead of the t × t probabilities).
CK_DISPATCH
float ck_attention_softmax_row(float *restrict s, const float *restrict mask, int64_t mask_stride,
                               float *restrict p, int64_t n, int normalize) {
    if (mask) {
        if (mask_stride == 1) {
            for (int64_t j = 0; j < n; j++) s[j] += mask[j];
        } else {
            for (int64_t j = 0; j < n; j++) s[j] += mask[j * mask_stride];
        }
    }
    return ck_softmax_row(s, p, n, normalize);
}

/// y[i·ld + j] *= scale[i] for i < rows, j < n.
CK_DISPATCH
void ck_attention_scale_rows(float *y, int64_t ld, const float *restrict scale, int64_t rows, int64_t n) {
    for (int64_t i = 0; i < rows; i++) {
        float *restrict yr = y + i * ld;
        const float c = scale[i];
        for (int64_t j = 0; j < n; j++) yr[j] *= c;
    }
}

/// ds = scale · p ⊙ (dp − Σ p·dp) for `rows` contiguous rows; ds may equal dp. With `dropped`
/// (the dropped probabilities, zero exactly where dropout removed an element or p is 0),
/// dp is first taken through the dropout: dp ← dropped ≠ 0 ? dp · keep_scale : 0. (Where p
/// is 0 the choice does not matter: those entries contribute p · … = 0.)
CK_DISPATCH
void ck_attention_softmax_backward_rows(const float *restrict p, const float *restrict dropped, float keep_scale,
                                        float *ds, int64_t rows, int64_t n, float scale) {
    for (int64_t r = 0; r < rows; r++) {
        const float *restrict pr = p + r * n;
        float *dr = ds + r * n;
        if (dropped) {
            const float *restrict kr = dropped + r * n;
            for (int64_t j = 0; j < n; j++) dr[j] = kr[j] != 0.0f ? dr[j] * keep_scale : 0.0f;
        }
        ck_softmax_backward_row(pr, dr, dr, n, scale);
    }
}

/// dst[j][i] = src[i·ld + j] for i < rows, j < cols (dst is cols × rows).
static void ck_transpose(const float *src, int64_t ld, int64_t rows, int64_t cols, float *dst) {
    const int64_t block = 16;
    for (int64_t i0 = 0; i0 < rows; i0 += block) {
        const int64_t i1 = i0 + block < rows ? i0 + block : rows;
        for (int64_t j = 0; j < cols; j++) {
            for (int64_t i = i0; i < i1; i++) dst[j * rows + i] = src[i * ld + j];
        }
    }
}

static inline float *ck_head(ck_heads x, int64_t b, int64_t h) { return x.data + b * x.sb + h * x.sh; }

void ck_attention_forward(const ck_attention_problem *p, int64_t begin, int64_t end,
                          ck_heads out, float *probs, float *dropped, float *scratch) {
    const int64_t tq = p->tq, tk = p->tk, d = p->d, area = tq * tk;
    float *kt = scratch;            // [d, tk]
    float *s = kt + d * tk;         // [tq, tk] scores
    float *pr = s + area;           // [tq, tk] probabilities (when the caller keeps none)
    float *inv = pr + area;         // [tq] 1 / row sums
    for (int64_t head = begin; head < end; head++) {
        const int64_t b = head / p->heads, h = head % p->heads;
        const float *q = ck_head(p->q, b, h), *k = ck_head(p->k, b, h), *v = ck_head(p->v, b, h);
        float *prob = probs ? probs + head * area : pr;
        ck_transpose(k, p->k.st, tk, d, kt);
        ck_small_gemm(tq, tk, d, p->scale, q, p->q.st, 1, kt, tk, 0.0f, s, tk);
        // Inference (no probabilities kept, no dropout): normalise the output rows instead.
        const int normalize = probs != NULL || p->dropout > 0.0f;
        for (int64_t i = 0; i < tq; i++) {
            const float *mrow = p->mask ? p->mask + b * p->mask_sb + h * p->mask_sh + i * p->mask_si : NULL;
            inv[i] = ck_attention_softmax_row(s + i * tk, mrow, p->mask_sj, prob + i * tk, tk, normalize);
        }
        const float *used = prob;
        if (p->dropout > 0.0f) {
            float *pd = dropped ? dropped + head * area : s;
            ck_dropout_apply(prob, pd, area, head * area, p->seed, p->dropout);
            used = pd;
        }
        ck_small_gemm(tq, d, tk, 1.0f, used, tk, 1, v, p->v.st, 0.0f, ck_head(out, b, h), out.st);
        if (!normalize) ck_attention_scale_rows(ck_head(out, b, h), out.st, inv, tq, d);
    }
}

void ck_attention_backward(const ck_attention_problem *p, int64_t begin, int64_t end,
                           const float *probs, const float *dropped, ck_heads dout,
                           ck_heads dq, ck_heads dk, ck_heads dv, float *scratch) {
    const int64_t tq = p->tq, tk = p->tk, d = p->d, area = tq * tk;
    float *vt = scratch;            // [d, tk]
    float *ds = vt + d * tk;        // [tq, tk]: dP, then dS
    for (int64_t head = begin; head < end; head++) {
        const int64_t b = head / p->heads, h = head % p->heads;
        const float *q = ck_head(p->q, b, h), *k = ck_head(p->k, b, h), *v = ck_head(p->v, b, h);
        const float *g = ck_head(dout, b, h);
        const float *prob = probs + head * area;
        // dP' = dO·Vᵀ (gradient of the dropped probabilities).
        ck_transpose(v, p->v.st, tk, d, vt);
        ck_small_gemm(tq, tk, d, 1.0f, g, dout.st, 1, vt, tk, 0.0f, ds, tk);
        // dV = P'ᵀ·dO.
        const float *pd = p->dropout > 0.0f ? dropped + head * area : NULL;
        ck_small_gemm(tk, d, tq, 1.0f, pd ? pd : prob, 1, tk, g, dout.st, 0.0f, ck_head(dv, b, h), dv.st);
        // dP = dropout mask ⊙ dP'; dS = scale · P ⊙ (dP − Σ P·dP); dQ = dS·K; dK = dSᵀ·Q.
        ck_attention_softmax_backward_rows(prob, pd, ck_dropout_scale(p->dropout), ds, tq, tk, p->scale);
        ck_small_gemm(tq, d, tk, 1.0f, ds, tk, 1, k, p->k.st, 0.0f, ck_head(dq, b, h), dq.st);
        ck_small_gemm(tk, d, tq, 1.0f, ds, 1, tk, q, p->q.st, 0.0f, ck_head(dk, b, h), dk.st);
    }
}
