/*
 * minhash.c - MinHash signatures and the binomial interval of their
 * Jaccard estimate.
 *
 * Two variants, chosen by az_options.minhash_kind:
 *
 *  - one permutation hashing (OPH, the default): each shingle hash falls
 *    into one of K bins by its high 32 bits (Lemire's multiply-shift range
 *    reduction) and keeps the minimum of its low 32 bits there: O(n + K)
 *    per document. Empty bins, frequent in short texts, borrow the value of
 *    the first non-empty bin in a probe sequence that depends only on the
 *    bin and the seed ("optimal densification", Shrivastava 2017), so two
 *    similar documents borrow alike and the estimator stays unbiased.
 *  - K independent multiply-shift hash functions (KPERM): the classic
 *    estimator, O(n K); kept to measure against.
 *
 * Both give 32-bit values; the fraction of equal positions estimates the
 * Jaccard similarity of the two shingle sets.
 */
#include "az_priv.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
/* Inlined: probe() hashes 8 bytes, up to several times per empty bin,
 * and a call into the library cost more than the hash (3 % of reading
 * and sketching FA-KES). */
#define XXH_INLINE_ALL
#include <xxhash.h>

#define EMPTY UINT64_MAX

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* The bin a probe for empty bin j lands on at attempt t. */
static unsigned probe(uint64_t seed, unsigned j, unsigned t, unsigned K)
{
    uint32_t key[2] = {j, t};
    uint64_t h = XXH3_64bits_withSeed(key, sizeof(key), seed);
    return (unsigned)(((h >> 32) * K) >> 32);
}

/* The first PROBES bins of each bin's probe sequence, for one (seed, K):
 * the sequence depends on nothing else, and hashing it anew for every
 * empty bin of every text was, with the branch on each bin's emptiness,
 * two thirds of MinHash's time on FA-KES's texts. One per thread,
 * filled on first use (16 KB at most). */
#define PROBES 8
typedef struct probe_cache {
    uint64_t seed;
    unsigned K; /* 0: not filled */
    uint16_t bin[1024][PROBES];
} probe_cache;

static _Thread_local probe_cache probes;

static const probe_cache *probes_for(uint64_t seed, unsigned K)
{
    probe_cache *c = &probes;
    if (c->K != K || c->seed != seed) {
        for (unsigned j = 0; j < K; j++)
            for (unsigned t = 1; t <= PROBES; t++)
                c->bin[j][t - 1] = (uint16_t)probe(seed, j, t, K);
        c->seed = seed;
        c->K = K;
    }
    return c;
}

static void oph(uint32_t *sig, unsigned K, uint64_t seed, const uint64_t *h,
                size_t n)
{
    uint64_t best[1024];
    for (unsigned j = 0; j < K; j++)
        best[j] = EMPTY;
    for (size_t i = 0; i < n; i++) {
        /* Shingle hashes are XXH3 outputs already: both halves are
         * uniform, so no further mixing is needed. */
        uint64_t y = h[i] ^ seed;
        unsigned bin = (unsigned)(((y >> 32) * K) >> 32);
        uint64_t v = (uint32_t)y;
        if (v < best[bin])
            best[bin] = v;
    }
    /* Every bin's value, the empty ones' UINT32_MAX for now, and a list
     * of those: no branch on a bin being empty, which went either way
     * from bin to bin in a text of a few hundred shingles. */
    uint16_t empty[1024];
    unsigned nempty = 0;
    for (unsigned j = 0; j < K; j++) {
        sig[j] = (uint32_t)best[j];
        empty[nempty] = (uint16_t)j;
        nempty += best[j] == EMPTY;
    }
    if (nempty == 0 || nempty == K)
        return; /* nothing to borrow, or nothing to borrow from */
    const probe_cache *pc = probes_for(seed, K);
    for (unsigned e = 0; e < nempty; e++) {
        unsigned j = empty[e];
        uint64_t v = EMPTY;
        for (unsigned t = 0; t < PROBES && v == EMPTY; t++)
            v = best[pc->bin[j][t]];
        /* Terminates: at least one bin is filled and the probe sequence
         * is uniform over the bins. */
        for (unsigned t = PROBES + 1; v == EMPTY; t++)
            v = best[probe(seed, j, t, K)];
        sig[j] = (uint32_t)v;
    }
}

static void kperm(uint32_t *sig, unsigned K, uint64_t seed, const uint64_t *h,
                  size_t n)
{
    uint64_t a[1024], b[1024], state = seed;
    uint32_t m[1024];
    for (unsigned j = 0; j < K; j++) {
        a[j] = splitmix64(&state) | 1;
        b[j] = splitmix64(&state);
        m[j] = UINT32_MAX;
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t x = h[i];
        /* Independent of j across iterations: the compiler may vectorise. */
        for (unsigned j = 0; j < K; j++) {
            uint32_t v = (uint32_t)((a[j] * x + b[j]) >> 32);
            m[j] = v < m[j] ? v : m[j];
        }
    }
    memcpy(sig, m, K * sizeof(*sig));
}

void az_minhash(uint32_t *sig, unsigned perms, int kind, uint64_t seed,
                const uint64_t *h, size_t n)
{
    if (kind == AZ_MINHASH_KPERM)
        kperm(sig, perms, seed, h, n);
    else
        oph(sig, perms, seed, h, n);
}

unsigned az_minhash_matches(const uint32_t *a, const uint32_t *b,
                            unsigned perms)
{
    unsigned m = 0;
    for (unsigned j = 0; j < perms; j++)
        m += a[j] == b[j];
    return m;
}

void az_binomial_ci(double *lo, double *hi, unsigned x, unsigned n)
{
    if (n == 0) {
        *lo = 0;
        *hi = 1;
        return;
    }
    *lo = x == 0 ? 0.0 : az_beta_quantile(0.025, x, n - x + 1);
    *hi = x == n ? 1.0 : az_beta_quantile(0.975, x + 1, n - x);
}

double az_beta_quantile(double p, double a, double b)
{
    double x = gsl_cdf_beta_Pinv(p, a, b);
    if (isfinite(x))
        return x;
    /* GSL's Newton steps do not converge for far unequal large parameters
     * (a = 10, b = 100,000: an outlet with ten agreeing voices and a
     * hundred thousand disagreeing), where the distribution is close to
     * normal: its quantile, clamped. */
    double n = a + b, sd = sqrt(a * b / (n * n * (n + 1)));
    x = a / n + gsl_cdf_ugaussian_Pinv(p) * sd;
    return x < 0 ? 0 : x > 1 ? 1 : x;
}

az_status az_signature(uint32_t **out, size_t *perms, az_ctx *ctx,
                       const char *text, size_t len)
{
    const az_options *o = &ctx->opt;
    *out = NULL;
    *perms = 0;
    az_shingles s = AZ_SHINGLES_INIT;
    az_status st = az_shingle(&s, text, len, o->shingle_size, o->seed);
    if (st != AZ_OK || s.nseq == 0) {
        az_shingles_free(&s);
        return st;
    }
    uint32_t *sig = malloc(o->minhash_perms * sizeof(*sig));
    if (!sig) {
        az_shingles_free(&s);
        return AZ_ENOMEM;
    }
    az_minhash(sig, o->minhash_perms, o->minhash_kind, o->seed, s.seq, s.nseq);
    az_shingles_free(&s);
    *out = sig;
    *perms = o->minhash_perms;
    return AZ_OK;
}
