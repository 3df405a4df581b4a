/*
 * passage.c - the passages two documents share, as token spans in both.
 *
 * A shared passage is a diagonal run of equal shingles: seq_a[i + t] ==
 * seq_b[j + t] for t = 0..L-1, which covers L + k - 1 tokens. B's shingles
 * are walked in order against A's positions (az_shingles_positions, made
 * once per text however many pairs it is in); the runs alive at step j
 * are those that matched at j - 1 on the same diagonal.
 * A shingle repeated many times in A (a chant, a table) is looked up at
 * no more than MAX_HITS positions, so the walk stays linear.
 *
 * Runs then merge when they follow each other in both documents within
 * `gap` tokens (an edited word breaks k shingles, not the passage), and
 * spans shorter than `min_tokens` are dropped.
 */
#include "az_priv.h"

#include <stdlib.h>
#include <string.h>

#define MAX_HITS 16

typedef struct run {
    uint32_t a0, b0; /* first shingle in each */
    uint32_t len;    /* shingles */
} run;

typedef struct runs {
    run *v;
    size_t n, cap;
} runs;

static az_status grow(runs *r)
{
    size_t cap = r->cap ? r->cap * 2 : 64;
    run *v = realloc(r->v, cap * sizeof(*v));
    if (!v)
        return AZ_ENOMEM;
    r->v = v;
    r->cap = cap;
    return AZ_OK;
}

static inline az_status push(runs *r, run x)
{
    if (r->n == r->cap && grow(r) != AZ_OK)
        return AZ_ENOMEM;
    r->v[r->n++] = x;
    return AZ_OK;
}

/* Walk B against A's positions collecting every maximal diagonal run. */
static az_status collect(runs *done, const az_shingles *a, const az_shingles *b)
{
    runs live = {0}, next = {0};
    az_status st = AZ_OK;
    for (size_t j = 0; j < b->nseq && st == AZ_OK; j++) {
        next.n = 0;
        uint32_t p = az_shingles_first(a, b->seq[j]);
        /* The common step of a copy: one run alive, and the shingle's one
         * position in A goes on with it. (What the loop below would do,
         * without moving the run.) */
        if (live.n == 1 && p && a->next[p - 1] == 0 &&
            live.v[0].a0 + live.v[0].len == p - 1 && live.v[0].b0 + live.v[0].len == j) {
            live.v[0].len++;
            continue;
        }
        for (int hits = 0; p && hits < MAX_HITS && st == AZ_OK; hits++, p = a->next[p - 1]) {
            uint32_t i = p - 1;
            run r = {i, (uint32_t)j, 1};
            for (size_t k = 0; k < live.n; k++)
                if (live.v[k].a0 + live.v[k].len == i &&
                    live.v[k].b0 + live.v[k].len == j) {
                    r = live.v[k];
                    r.len++;
                    live.v[k].len = 0; /* taken over */
                    break;
                }
            st = push(&next, r);
        }
        for (size_t k = 0; k < live.n && st == AZ_OK; k++)
            if (live.v[k].len)
                st = push(done, live.v[k]);
        runs t = live;
        live = next;
        next = t;
    }
    for (size_t k = 0; k < live.n && st == AZ_OK; k++)
        st = push(done, live.v[k]);
    free(live.v);
    free(next.v);
    return st;
}

static int run_cmp(const void *x, const void *y)
{
    const run *a = x, *b = y;
    if (a->a0 != b->a0)
        return a->a0 < b->a0 ? -1 : 1;
    if (a->b0 != b->b0)
        return a->b0 < b->b0 ? -1 : 1;
    return (a->len < b->len) - (a->len > b->len);
}

az_status az_passages(az_span_pair **out, size_t *n, az_shingles *a,
                      const az_shingles *b, unsigned k, unsigned min_tokens,
                      unsigned gap)
{
    *out = NULL;
    *n = 0;
    if (a->nseq == 0 || b->nseq == 0)
        return AZ_OK;
    /* With fewer tokens than k, the one shingle spans them all. */
    uint32_t ka = (uint32_t)(a->ntokens < k ? a->ntokens : k);
    uint32_t kb = (uint32_t)(b->ntokens < k ? b->ntokens : k);
    runs r = {0};
    az_span_pair *spans = NULL;
    az_status st = az_shingles_set(a);
    if (st == AZ_OK)
        st = az_shingles_positions(a);
    if (st == AZ_OK)
        st = collect(&r, a, b);
    if (st != AZ_OK || r.n == 0)
        goto done;
    qsort(r.v, r.n, sizeof(*r.v), run_cmp);
    spans = malloc(r.n * sizeof(*spans));
    if (!spans) {
        st = AZ_ENOMEM;
        goto done;
    }
    size_t m = 0;
    for (size_t i = 0; i < r.n; i++) {
        az_span_pair s = {r.v[i].a0, r.v[i].b0, r.v[i].a0 + r.v[i].len - 1 + ka,
                          r.v[i].b0 + r.v[i].len - 1 + kb};
        if (m > 0) {
            az_span_pair *c = &spans[m - 1];
            /* Follows the current span in both documents, closely. */
            if (s.a_tok <= c->a_end + gap && s.b_tok >= c->b_tok &&
                s.b_tok <= c->b_end + gap && s.a_end >= c->a_end &&
                s.b_end >= c->b_end) {
                c->a_end = s.a_end;
                c->b_end = s.b_end;
                continue;
            }
            /* Inside the current span in A: a repeat, not a new passage. */
            if (s.a_end <= c->a_end)
                continue;
        }
        spans[m++] = s;
    }
    size_t w = 0;
    for (size_t i = 0; i < m; i++) {
        uint32_t ta = spans[i].a_end - spans[i].a_tok;
        uint32_t tb = spans[i].b_end - spans[i].b_tok;
        if ((ta < tb ? ta : tb) >= min_tokens)
            spans[w++] = spans[i];
    }
    if (w == 0) {
        free(spans);
        spans = NULL;
    }
    *out = spans;
    *n = w;
done:
    if (st != AZ_OK)
        free(spans);
    free(r.v);
    return st;
}
