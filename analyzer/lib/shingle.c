/*
 * shingle.c - word shingles: hashes of k consecutive normalised tokens.
 *
 * The tokens (text.c's rules, found a block at a time) are folded (case,
 * compatibility forms, accents, typographic apostrophes) and hashed with
 * XXH3, inlined for these short inputs, a token of up to 16 bytes as 16
 * bytes zero-padded with its length in the seed (see token_hash()). ASCII
 * tokens are hashed in a copy of the text with its capitals lowered in
 * one pass; only the others go through utf8proc. A shingle's hash combines
 * its k token hashes with position-dependent odd multipliers and a final
 * avalanche (MurmurHash3's fmix64), so order matters and the cost per
 * shingle is k multiplications, whatever the token lengths.
 *
 * seq[] keeps shingles in text order: MinHash and winnowing read it
 * directly (a repeated shingle changes no minimum). set[], the distinct
 * values, and table[], the same in a hash table, serve exact Jaccard and
 * containment (az_shingles_shared); they are built only for documents
 * that are verified against another.
 */
#include "az_priv.h"

#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#ifdef __SSE2__
/* The 16 bytes at p with those past the first len (<= 16) zeroed. */
static AZ_ALWAYS_INLINE __m128i first_bytes(const char *p, size_t len)
{
    return _mm_and_si128(_mm_loadu_si128((const __m128i *)(const void *)p),
                         _mm_loadu_si128((const __m128i *)(const void *)
                                         (az_first_bytes + 16 - len)));
}
#endif

/* A token's hash. Nearly every token is at most 16 bytes: those are
 * hashed as 16 bytes, their own and then zeros, with their length added
 * to the seed (so that no two tokens give the same input), which takes
 * one of XXH3's paths whatever the length. XXH3 chooses its path by the
 * length, and word lengths vary from one word to the next: that choice
 * mispredicted at about every other token and made the hash a seventh of
 * the time of reading and sketching an article. p must have 16 readable
 * bytes. Longer tokens are hashed as they are. */
static AZ_ALWAYS_INLINE uint64_t token_hash(const char *p, size_t len,
                                            uint64_t seed)
{
    if (len > 16)
        return XXH3_64bits_withSeed(p, len, seed);
    unsigned char b[16];
#ifdef __SSE2__
    _mm_storeu_si128((__m128i *)(void *)b, first_bytes(p, len));
#else
    for (size_t i = 0; i < 16; i++)
        b[i] = (unsigned char)p[i] & az_first_bytes[16 - len + i];
#endif
    return XXH3_64bits_withSeed(b, 16, seed + len);
}

/* Hash of one folded token that is not ASCII (or AZ_ENOMEM). */
static az_status folded_hash(uint64_t *out, const char *s, size_t len,
                             uint64_t seed)
{
    char *f;
    size_t flen;
    az_status st = az_fold(&f, &flen, s, len);
    if (st != AZ_OK)
        return st;
    char pad[16] = {0};
    if (flen <= 16)
        memcpy(pad, f, flen);
    *out = token_hash(flen <= 16 ? pad : f, flen, seed);
    free(f);
    return AZ_OK;
}

/* dst = src with ASCII capitals lowered, other bytes as they are; true
 * when every byte is ASCII. Folding the text in one pass lets each ASCII
 * token be hashed where it lies, with no copy per token. */
static bool lower_ascii(char *dst, const char *src, size_t len)
{
    unsigned char high = 0;
    size_t i = 0;
#ifdef __SSE2__
    const __m128i a = _mm_set1_epi8('A'), z = _mm_set1_epi8(25),
                  bit = _mm_set1_epi8(0x20);
    __m128i any = _mm_setzero_si128();
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(src + i));
        __m128i t = _mm_sub_epi8(v, a);
        __m128i up = _mm_cmpeq_epi8(_mm_min_epu8(t, z), t);
        _mm_storeu_si128((__m128i *)(void *)(dst + i),
                         _mm_or_si128(v, _mm_and_si128(up, bit)));
        any = _mm_or_si128(any, v);
    }
    high = _mm_movemask_epi8(any) != 0;
#endif
    for (; i < len; i++) {
        unsigned char c = (unsigned char)src[i];
        high |= c >> 7;
        dst[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    return !high;
}

static bool is_ascii(const char *s, size_t len)
{
    unsigned char any = 0;
    for (size_t i = 0; i < len; i++)
        any |= (unsigned char)s[i];
    return any < 0x80;
}

/* is_ascii() for a token of the lowered text (16 bytes readable from p):
 * a token of up to 16 bytes in one test, where a byte loop per token was
 * a sixth of hashing a text with any byte that is not ASCII. */
static bool token_is_ascii(const char *p, size_t len)
{
#ifdef __SSE2__
    if (len <= 16)
        return _mm_movemask_epi8(first_bytes(p, len)) == 0;
#endif
    return is_ascii(p, len);
}

static uint64_t fmix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

/* Odd multipliers, one per position in a shingle (k <= 32). */
static uint64_t position_mult(unsigned j)
{
    return (0x9E3779B97F4A7C15ull * (2 * (uint64_t)j + 1)) | 1;
}

/* Grow *v (elements of size sz) to hold at least need; AZ_ENOMEM on failure. */
static az_status reserve(void **v, size_t *cap, size_t need, size_t sz)
{
    if (need <= *cap)
        return AZ_OK;
    size_t c = *cap ? *cap : 256;
    while (c < need)
        c *= 2;
    void *p = realloc(*v, c * sz);
    if (!p)
        return AZ_ENOMEM;
    *v = p;
    *cap = c;
    return AZ_OK;
}

az_status az_shingle(az_shingles *out, const char *text, size_t len,
                     unsigned k, uint64_t seed)
{
    out->ntokens = out->nseq = out->nset = 0;
    out->has_set = out->has_positions = false;
    if (len > UINT32_MAX)
        return AZ_ETOOBIG;
    /* A token takes at least two bytes with its separator: len / 2 + 1
     * bounds the count, so one allocation of each array suffices. */
    size_t cap = len / 2 + 1;
    az_status st = reserve((void **)&out->seq, &out->scap, cap, sizeof(*out->seq));
    if (st == AZ_OK)
        st = reserve((void **)&out->tokens, &out->tcap, cap, sizeof(*out->tokens));
    if (st == AZ_OK)
        st = reserve((void **)&out->lower, &out->lcap, len + 16, 1);
    if (st != AZ_OK)
        return st;
    uint64_t *th = out->seq;
    size_t nt = az_tokens_fill(out->tokens, text, len);
    bool ascii = lower_ascii(out->lower, text, len);
    /* token_hash() reads 16 bytes from each token's start. */
    memset(out->lower + len, 0, 16);
    if (ascii) {
        /* The usual case, with no test per token. */
        for (size_t i = 0; i < nt; i++)
            th[i] = token_hash(out->lower + out->tokens[i].off,
                               out->tokens[i].len, seed);
    }
    for (size_t i = 0; !ascii && i < nt && st == AZ_OK; i++) {
        const az_token *t = &out->tokens[i];
        if (token_is_ascii(out->lower + t->off, t->len))
            th[i] = token_hash(out->lower + t->off, t->len, seed);
        else
            st = folded_hash(&th[i], text + t->off, t->len, seed);
    }
    out->ntokens = st == AZ_OK ? nt : 0;
    if (st != AZ_OK || nt == 0)
        return st;
    size_t w = nt >= k ? k : nt, ns = nt - w + 1;
    /* The token hashes are no longer needed once combined: write the
     * shingles over them in place (shingle i reads tokens i..i+w-1 >= i). */
    if (w == 5) {
        /* The default size, unrolled with its multipliers in registers:
         * the loop below spent more on the multipliers than on the sums. */
        const uint64_t m0 = position_mult(0), m1 = position_mult(1),
                       m2 = position_mult(2), m3 = position_mult(3),
                       m4 = position_mult(4);
        for (size_t i = 0; i < ns; i++)
            th[i] = fmix64((th[i] * m0 + th[i + 1] * m1 + th[i + 2] * m2 +
                            th[i + 3] * m3 + th[i + 4] * m4) ^ seed);
    } else {
        for (size_t i = 0; i < ns; i++) {
            uint64_t h = 0;
            for (size_t j = 0; j < w; j++)
                h += th[i + j] * position_mult((unsigned)j);
            th[i] = fmix64(h ^ seed);
        }
    }
    out->nseq = ns;
    return AZ_OK;
}

/* The slot of v (not 0) in the table, or the empty slot where it would
 * go. The values are fmix64 outputs: their low bits index the table as
 * they are. */
static size_t probe(const az_shingles *s, uint64_t v)
{
    size_t i = v & s->tmask;
    while (s->table[i] != 0 && s->table[i] != v)
        i = (i + 1) & s->tmask;
    return i;
}

static bool table_has(const az_shingles *s, uint64_t v)
{
    return v == 0 ? s->has_zero : s->table[probe(s, v)] == v;
}

az_status az_shingles_set(az_shingles *s)
{
    if (s->has_set || s->nseq == 0)
        return AZ_OK;
    size_t slots = 16;
    while (slots < 2 * s->nseq) /* at most half full */
        slots *= 2;
    if (reserve((void **)&s->set, &s->setcap, s->nseq, sizeof(*s->set)) != AZ_OK ||
        reserve((void **)&s->table, &s->tabcap, slots, sizeof(*s->table)) != AZ_OK)
        return AZ_ENOMEM;
    memset(s->table, 0, slots * sizeof(*s->table));
    s->tmask = slots - 1;
    s->has_zero = false;
    size_t u = 0;
    for (size_t k = 0; k < s->nseq; k++) {
        uint64_t v = s->seq[k];
        if (v == 0) {
            if (!s->has_zero)
                s->set[u++] = v;
            s->has_zero = true;
            continue;
        }
        size_t i = probe(s, v);
        if (s->table[i] == 0) {
            s->table[i] = v;
            s->set[u++] = v;
        }
    }
    s->nset = u;
    s->has_set = true;
    return AZ_OK;
}

az_status az_shingles_positions(az_shingles *s)
{
    if (s->has_positions || s->nseq == 0)
        return AZ_OK;
    if (!s->has_set || s->nseq > UINT32_MAX - 1)
        return AZ_EINVAL;
    if (reserve((void **)&s->head, &s->hcap, s->tmask + 1, sizeof(*s->head)) != AZ_OK ||
        reserve((void **)&s->next, &s->ncap, s->nseq, sizeof(*s->next)) != AZ_OK)
        return AZ_ENOMEM;
    memset(s->head, 0, (s->tmask + 1) * sizeof(*s->head));
    s->zero_head = 0;
    /* Backwards, so that each chain comes out ascending. */
    for (size_t k = s->nseq; k-- > 0;) {
        uint64_t v = s->seq[k];
        uint32_t *h = v == 0 ? &s->zero_head : &s->head[probe(s, v)];
        s->next[k] = *h;
        *h = (uint32_t)k + 1;
    }
    s->has_positions = true;
    return AZ_OK;
}

uint32_t az_shingles_first(const az_shingles *s, uint64_t v)
{
    if (v == 0)
        return s->zero_head;
    size_t i = probe(s, v);
    return s->table[i] == v ? s->head[i] : 0;
}

size_t az_shingles_shared(const az_shingles *a, const az_shingles *b)
{
    if (a->nset > b->nset) {
        const az_shingles *t = a;
        a = b;
        b = t;
    }
    size_t n = 0;
    for (size_t k = 0; k < a->nset; k++)
        n += table_has(b, a->set[k]);
    return n;
}

void az_shingles_free(az_shingles *s)
{
    free(s->tokens);
    free(s->lower);
    free(s->seq);
    free(s->set);
    free(s->table);
    free(s->head);
    free(s->next);
    memset(s, 0, sizeof(*s));
}
