/*
 * lsh.c - LSH banding of MinHash signatures.
 *
 * A signature of K values is cut into b bands of r rows (b r <= K); two
 * documents become candidates when any band is equal in both. For Jaccard
 * similarity s that happens with probability P(s) = 1 - (1 - s^r)^b, an
 * S-curve whose step sits near (1/b)^(1/r). The banding is chosen, not
 * guessed: for every (b, r) the expected false-positive mass below the
 * threshold t and false-negative mass above it,
 *
 *     FP = integral_0^t P(s) ds,   FN = integral_t^1 (1 - P(s)) ds,
 *
 * are integrated with GSL's fixed-order Gauss-Legendre rule (the S-curve
 * is a smooth polynomial; the fixed rule also never calls GSL's global
 * error handler), and the pair minimising w FP + (1 - w) FN wins (ties:
 * fewer bands, as they cost memory).
 */
#include "az_priv.h"

#include <gsl/gsl_integration.h>
#include <math.h>
#include <string.h>
#include <xxhash.h>

typedef struct curve {
    unsigned b, r;
    bool complement;
} curve;

/* x^n by squaring. The band search evaluates the curve at 128 nodes for
 * some 700 bandings, twice: with libm's pow that was 90 % of the time of
 * one `analyzer check`, and the exponents are small integers anyway. */
static double ipow(double x, unsigned n)
{
    double y = 1.0;
    for (; n; n >>= 1, x *= x)
        if (n & 1)
            y *= x;
    return y;
}

static double s_curve(double s, void *arg)
{
    const curve *c = arg;
    double p = 1.0 - ipow(1.0 - ipow(s, c->r), c->b);
    return c->complement ? 1.0 - p : p;
}

/* Integral of the curve (or its complement) over [lo, hi]. */
static double integrate(const gsl_integration_glfixed_table *t, curve *c,
                        double lo, double hi)
{
    gsl_function f = {s_curve, c};
    return gsl_integration_glfixed(&f, lo, hi, t);
}

az_status az_lsh_choose(az_lsh_params *out, double threshold, unsigned perms,
                        double fp_weight)
{
    if (!(threshold > 0 && threshold < 1) || perms == 0 ||
        !(fp_weight >= 0 && fp_weight <= 1))
        return AZ_EINVAL;
    /* 128 nodes integrate these curves (degree up to b r in s) far below
     * the differences between neighbouring bandings. */
    gsl_integration_glfixed_table *t = gsl_integration_glfixed_table_alloc(128);
    if (!t)
        return AZ_ENOMEM;
    double best = INFINITY;
    for (unsigned b = 1; b <= perms; b++) {
        for (unsigned r = 1; r * b <= perms; r++) {
            curve fp = {b, r, false}, fn = {b, r, true};
            double efp = integrate(t, &fp, 0.0, threshold);
            double efn = integrate(t, &fn, threshold, 1.0);
            double cost = fp_weight * efp + (1 - fp_weight) * efn;
            if (cost < best - 1e-12) {
                best = cost;
                *out = (az_lsh_params){b, r, efp, efn};
            }
        }
    }
    gsl_integration_glfixed_table_free(t);
    return AZ_OK;
}

az_status az_ctx_lsh(az_ctx *ctx, az_lsh_params *out)
{
    const az_options *o = &ctx->opt;
    double key[3] = {o->lsh_threshold, o->minhash_perms, o->lsh_fp_weight};
    if (!ctx->lsh_valid || memcmp(key, ctx->lsh_for, sizeof(key)) != 0) {
        az_status st = az_lsh_choose(&ctx->lsh, key[0], o->minhash_perms, key[2]);
        if (st != AZ_OK)
            return st;
        memcpy(ctx->lsh_for, key, sizeof(key));
        ctx->lsh_valid = true;
    }
    *out = ctx->lsh;
    return AZ_OK;
}

double az_lsh_probability(const az_lsh_params *p, double s)
{
    curve c = {p->bands, p->rows, false};
    return s_curve(s, &c);
}

void az_lsh_keys(uint64_t *keys, const uint32_t *sig, const az_lsh_params *p,
                 uint64_t seed)
{
    for (unsigned b = 0; b < p->bands; b++)
        keys[b] = XXH3_64bits_withSeed(sig + (size_t)b * p->rows,
                                       p->rows * sizeof(*sig), seed + b);
}
