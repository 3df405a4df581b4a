/*
 * bench.c - the built-in benchmark: each text stage timed alone over the
 * corpus's cleaned texts, on one thread, best of N runs (the machine's
 * noise only ever adds time).
 */
#include "az_priv.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef enum stage { S_TOKENIZE, S_SHINGLE, S_MINHASH, S_SIGNATURE } stage;

/* One pass of a stage over every document; returns seconds. For
 * S_MINHASH only the MinHash itself is timed, over shingles computed
 * before the clock starts. */
static az_status pass(double *secs, az_corpus *c, stage s, uint32_t *sig)
{
    const az_options *o = az_ctx_options(az_corpus_ctx(c));
    double t = 0;
    for (size_t i = 0; i < az_corpus_count(c); i++) {
        size_t len;
        const char *text = az_doc_text(az_corpus_doc(c, i), &len);
        az_status st = AZ_OK;
        if (s == S_TOKENIZE) {
            double t0 = now();
            az_token *tok;
            size_t n;
            st = az_tokenize(&tok, &n, text, len);
            free(tok);
            t += now() - t0;
        } else {
            az_shingles sh = AZ_SHINGLES_INIT;
            double t0 = now();
            st = az_shingle(&sh, text, len, o->shingle_size, o->seed);
            double t1 = now();
            if (st == AZ_OK && s != S_SHINGLE)
                az_minhash(sig, o->minhash_perms, o->minhash_kind, o->seed,
                           sh.seq, sh.nseq);
            double t2 = now();
            t += s == S_SHINGLE ? t1 - t0 : s == S_MINHASH ? t2 - t1 : t2 - t0;
            az_shingles_free(&sh);
        }
        if (st != AZ_OK)
            return st;
    }
    *secs = t;
    return AZ_OK;
}

az_status az_bench_run(az_bench *out, az_corpus *c, unsigned repeat)
{
    memset(out, 0, sizeof(*out));
    az_status st = az_corpus_finish(c);
    if (st != AZ_OK)
        return st;
    const az_options *o = az_ctx_options(az_corpus_ctx(c));
    uint64_t bytes = 0;
    for (size_t i = 0; i < az_corpus_count(c); i++) {
        size_t len;
        az_doc_text(az_corpus_doc(c, i), &len);
        bytes += len;
    }
    uint32_t sig[1024];
    static const char *const names[] = {
        [S_TOKENIZE] = "tokenize", [S_SHINGLE] = "shingle (fold + XXH3)",
        [S_MINHASH] = "minhash", [S_SIGNATURE] = "signature (shingle + minhash)"};
    repeat = repeat ? repeat : 1;
    for (int s = S_TOKENIZE; s <= S_SIGNATURE; s++) {
        double best = 0;
        for (unsigned k = 0; k < repeat; k++) {
            double t;
            if ((st = pass(&t, c, (stage)s, sig)) != AZ_OK)
                return st;
            best = k == 0 || t < best ? t : best;
        }
        out->stages[out->nstages++] = (az_bench_stage){names[s], best, bytes,
                                                      az_corpus_count(c)};
    }
    double best = 0;
    size_t prints = 0;
    for (unsigned k = 0; k < repeat; k++) {
        az_dups *d;
        double t0 = now();
        if ((st = az_dups_run(&d, c)) != AZ_OK)
            return st;
        double t = now() - t0;
        best = k == 0 || t < best ? t : best;
        prints = az_dups_fingerprints(d);
        az_dups_free(d);
    }
    out->stages[out->nstages++] = (az_bench_stage){"near-duplicate pass", best,
                                                  bytes, az_corpus_count(c)};
    best = 0;
    for (unsigned k = 0; k < repeat; k++) {
        az_claims *cl;
        double t0 = now();
        if ((st = az_claims_run(&cl, c)) != AZ_OK)
            return st;
        double t = now() - t0;
        best = k == 0 || t < best ? t : best;
        az_claims_free(cl);
    }
    out->stages[out->nstages++] = (az_bench_stage){"claims", best, bytes,
                                                  az_corpus_count(c)};
    size_t n = az_corpus_count(c);
    /* Signature values, the signature key, and the fingerprint entries
     * (key + document) of the containment index. */
    out->bytes_per_doc = n ? (double)o->minhash_perms * 4 + 8 +
                             (double)prints * 12 / (double)n : 0;
    return AZ_OK;
}
