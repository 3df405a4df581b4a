/*
 * shingle.c - word shingles: hashes of k consecutive normalised tokens.
 *
 * Each token is folded (case, compatibility forms, accents, typographic
 * apostrophes; ASCII tokens are lower-cased in place without a call) and
 * hashed with XXH3 once; a shingle's hash is XXH3 of its k token hashes,
 * so the cost is one short hash per token plus one per shingle, whatever
 * k is. seq[] keeps shingles in text order: MinHash and winnowing read it
 * directly (a repeated shingle changes no minimum). set[], the sorted
 * distinct values for exact Jaccard and containment, costs a sort and is
 * built only for documents that are verified against another.
 */
#include "az_priv.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

/* Hash of one folded token. Returns AZ_OK or AZ_ENOMEM. */
static az_status token_hash(uint64_t *out, const char *s, size_t len,
                            uint64_t seed)
{
    char buf[64];
    if (len <= sizeof(buf)) {
        size_t i = 0;
        for (; i < len; i++) {
            unsigned char c = (unsigned char)s[i];
            if (c >= 0x80)
                break;
            buf[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        if (i == len) {
            *out = XXH3_64bits_withSeed(buf, len, seed);
            return AZ_OK;
        }
    }
    char *f;
    size_t flen;
    az_status st = az_fold(&f, &flen, s, len);
    if (st != AZ_OK)
        return st;
    *out = XXH3_64bits_withSeed(f, flen, seed);
    free(f);
    return AZ_OK;
}

static int u64_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

az_status az_shingle(az_shingles *out, const char *text, size_t len,
                     unsigned k, uint64_t seed)
{
    memset(out, 0, sizeof(*out));
    az_status st = az_tokenize(&out->tokens, &out->ntokens, text, len);
    if (st != AZ_OK || out->ntokens == 0)
        return st;
    size_t nt = out->ntokens;
    uint64_t *th = malloc(nt * sizeof(*th));
    size_t ns = nt >= k ? nt - k + 1 : 1;
    size_t w = nt >= k ? k : nt;
    out->seq = malloc(ns * sizeof(*out->seq));
    if (!th || !out->seq) {
        free(th);
        az_shingles_free(out);
        return AZ_ENOMEM;
    }
    for (size_t i = 0; i < nt; i++)
        if ((st = token_hash(&th[i], text + out->tokens[i].off,
                             out->tokens[i].len, seed)) != AZ_OK) {
            free(th);
            az_shingles_free(out);
            return st;
        }
    for (size_t i = 0; i < ns; i++)
        out->seq[i] = XXH3_64bits_withSeed(th + i, w * sizeof(*th), seed);
    free(th);
    out->nseq = ns;
    return AZ_OK;
}

az_status az_shingles_set(az_shingles *s)
{
    if (s->set || s->nseq == 0)
        return AZ_OK;
    s->set = malloc(s->nseq * sizeof(*s->set));
    if (!s->set)
        return AZ_ENOMEM;
    memcpy(s->set, s->seq, s->nseq * sizeof(*s->set));
    qsort(s->set, s->nseq, sizeof(*s->set), u64_cmp);
    size_t u = 0;
    for (size_t i = 0; i < s->nseq; i++)
        if (u == 0 || s->set[u - 1] != s->set[i])
            s->set[u++] = s->set[i];
    s->nset = u;
    return AZ_OK;
}

void az_shingles_free(az_shingles *s)
{
    free(s->tokens);
    free(s->seq);
    free(s->set);
    memset(s, 0, sizeof(*s));
}
