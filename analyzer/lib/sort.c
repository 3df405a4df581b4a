/*
 * sort.c - an in-place radix sort of 64-bit keys.
 *
 * Most significant byte first (American flag sort): no second array, which
 * matters for the candidate list (tens of millions of pairs at a million
 * articles, where a copy would be the run's peak), and no comparison
 * calls, which matter for the many small shingle sets sorted while
 * verifying (glibc's qsort was 7% of a run there, mostly its merge
 * buffer and indirect comparisons).
 *
 * And a stable least-significant-digit radix sort of (key, doc) records,
 * 16 bits a pass, skipping passes where every record has one digit, with
 * n records of scratch: the index entries of the near-duplicate pass and
 * the paragraph keys of boilerplate learning, tens of millions of each at
 * a million articles. Under 65,536 records, 8 bits a pass: a 16-bit
 * pass's 65,536 counts, cleared and summed, outweigh the records there
 * (sorting 10,000 articles by id was 2 % of reading them).
 *
 * And union-find, which both clusters of copies and stories of claims
 * build.
 */
#include "az_priv.h"

#include <stdlib.h>
#include <string.h>

static void flag_sort(uint64_t *v, size_t n, int shift)
{
    if (n < 64 || shift < 0) {
        for (size_t i = 1; i < n; i++) /* insertion: short runs */
            for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
                uint64_t t = v[j];
                v[j] = v[j - 1];
                v[j - 1] = t;
            }
        return;
    }
    size_t count[256] = {0}, next[256], end[256];
    for (size_t i = 0; i < n; i++)
        count[(v[i] >> shift) & 0xFF]++;
    size_t sum = 0;
    for (int b = 0; b < 256; b++) {
        next[b] = sum;
        sum += count[b];
        end[b] = sum;
    }
    for (int b = 0; b < 256; b++)
        while (next[b] < end[b]) {
            uint64_t x = v[next[b]];
            int d = (int)((x >> shift) & 0xFF);
            while (d != b) { /* swap x into its bucket until one fits here */
                uint64_t t = v[next[d]];
                v[next[d]++] = x;
                x = t;
                d = (int)((x >> shift) & 0xFF);
            }
            v[next[b]++] = x;
        }
    for (int b = 0; b < 256; b++) {
        size_t lo = end[b] - count[b];
        if (count[b] > 1)
            flag_sort(v + lo, count[b], shift - 8);
    }
}

void az_sort_u64(uint64_t *v, size_t n)
{
    if (n < 2)
        return;
    /* Start at the highest byte in which the values differ: candidate
     * pairs (a << 32 | b) of a million articles have 12 leading zero bits
     * in all, and a pass over a byte all values share sorts nothing. */
    uint64_t diff = 0;
    for (size_t i = 1; i < n; i++)
        diff |= v[i] ^ v[0];
    if (diff)
        flag_sort(v, n, (63 - __builtin_clzll(diff)) / 8 * 8);
}

/* Digit `pass` of the passes `by` asks for, least significant first: the
 * document's two halves, then the key's four. */
static unsigned keyed_digit(const az_keyed *e, unsigned pass)
{
    return pass < 2 ? (e->doc >> (16 * pass)) & 0xFFFF
                    : (unsigned)(e->key >> (16 * (pass - 2))) & 0xFFFF;
}

/* One pass of the sort over `runs` runs of the input: each counts its
 * digits, then puts its records at its own offsets, which follow those of
 * the runs before it, so the pass is stable however many runs there are
 * (one: the plain sort; one per thread: the shared one). */
typedef struct par_pass {
    const az_keyed *a;
    az_keyed *b;
    size_t n, per;      /* records, records a run */
    unsigned pass;
    size_t (*count)[65536]; /* per run */
    bool scatter;       /* the second half */
} par_pass;

static az_status par_run(void *user, unsigned w, size_t begin, size_t end)
{
    par_pass *p = user;
    (void)w;
    for (size_t t = begin; t < end; t++) {
        size_t lo = t * p->per, hi = lo + p->per < p->n ? lo + p->per : p->n;
        size_t *count = p->count[t];
        if (!p->scatter) {
            memset(count, 0, 65536 * sizeof(*count));
            for (size_t i = lo; i < hi; i++)
                count[keyed_digit(&p->a[i], p->pass)]++;
        } else {
            for (size_t i = lo; i < hi; i++)
                p->b[count[keyed_digit(&p->a[i], p->pass)]++] = p->a[i];
        }
    }
    return AZ_OK;
}

/* The passes `by` asks for, over v (n >= 2) with n records of scratch in
 * tmp and a row of counts per run. */
static void sort_passes(az_keyed *v, az_keyed *tmp, size_t n, unsigned by,
                        size_t (*count)[65536], unsigned runs)
{
    par_pass p = {v, tmp, n, (n + runs - 1) / runs, 0, count, false};
    for (unsigned pass = by & AZ_SORT_DOC ? 0 : 2; pass < (by & AZ_SORT_KEY ? 6u : 2u);
         pass++) {
        p.pass = pass;
        p.scatter = false;
        az_parallel(runs, runs, 1, par_run, &p);
        size_t sum = 0, first = 0;
        for (unsigned t = 0; t < runs; t++)
            first += count[t][keyed_digit(&p.a[0], pass)];
        if (first == n)
            continue; /* one digit throughout: nothing moves */
        for (size_t d = 0; d < 65536; d++)
            for (unsigned t = 0; t < runs; t++) {
                size_t c = count[t][d];
                count[t][d] = sum;
                sum += c;
            }
        p.scatter = true;
        az_parallel(runs, runs, 1, par_run, &p);
        az_keyed *swap = (az_keyed *)p.a;
        p.a = p.b;
        p.b = swap;
    }
    if (p.a != v)
        memcpy(v, p.a, n * sizeof(*v));
}

/* Byte `pass` of the passes `by` asks for, least significant first: the
 * document's four, then the key's eight. */
static unsigned keyed_byte(const az_keyed *e, unsigned pass)
{
    return pass < 4 ? (e->doc >> (8 * pass)) & 0xFF
                    : (unsigned)(e->key >> (8 * (pass - 4))) & 0xFF;
}

/* sort_passes() for a few records, a byte a pass: the same order. */
static void small_passes(az_keyed *v, az_keyed *tmp, size_t n, unsigned by)
{
    const az_keyed *a = v;
    az_keyed *b = tmp;
    for (unsigned pass = by & AZ_SORT_DOC ? 0 : 4; pass < (by & AZ_SORT_KEY ? 12u : 4u);
         pass++) {
        size_t count[256] = {0};
        for (size_t i = 0; i < n; i++)
            count[keyed_byte(&a[i], pass)]++;
        if (count[keyed_byte(&a[0], pass)] == n)
            continue; /* one digit throughout: nothing moves */
        for (size_t d = 0, sum = 0; d < 256; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            b[count[keyed_byte(&a[i], pass)]++] = a[i];
        az_keyed *swap = (az_keyed *)a;
        a = b;
        b = swap;
    }
    if (a != v)
        memcpy(v, a, n * sizeof(*v));
}

#define SMALL_SORT ((size_t)1 << 16)

az_status az_sort_keyed_in(az_keyed *v, size_t n, unsigned by, az_sort_room *room)
{
    if (n < 2)
        return AZ_OK;
    if (room->cap < n) {
        free(room->tmp);
        room->cap = 0;
        if (!(room->tmp = az_malloc_big(n * sizeof(*room->tmp))))
            return AZ_ENOMEM;
        room->cap = n;
    }
    if (n < SMALL_SORT) {
        small_passes(v, room->tmp, n, by);
        return AZ_OK;
    }
    if (!room->count && !(room->count = malloc(65536 * sizeof(*room->count))))
        return AZ_ENOMEM;
    sort_passes(v, room->tmp, n, by, (size_t(*)[65536])room->count, 1);
    return AZ_OK;
}

az_status az_sort_keyed_par(az_keyed *v, size_t n, unsigned by, unsigned threads)
{
    /* A few records: each pass is mostly its 65,536 counts, not worth
     * sharing. */
    if (threads <= 1 || n < SMALL_SORT)
        return az_sort_keyed(v, n, by);
    az_keyed *tmp = az_malloc_big(n * sizeof(*tmp));
    size_t (*count)[65536] = malloc(threads * sizeof(*count));
    if (tmp && count)
        sort_passes(v, tmp, n, by, count, threads);
    az_status st = tmp && count ? AZ_OK : AZ_ENOMEM;
    free(tmp);
    free(count);
    return st;
}

az_status az_sort_keyed(az_keyed *v, size_t n, unsigned by)
{
    az_sort_room room = AZ_SORT_ROOM_INIT;
    az_status st = az_sort_keyed_in(v, n, by, &room);
    az_sort_room_free(&room);
    return st;
}

void az_sort_room_free(az_sort_room *room)
{
    free(room->tmp);
    free(room->count);
    *room = (az_sort_room)AZ_SORT_ROOM_INIT;
}

size_t az_uf_find(size_t *parent, size_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]]; /* path halving */
        x = parent[x];
    }
    return x;
}

void az_uf_union(size_t *parent, size_t a, size_t b)
{
    size_t x = az_uf_find(parent, a), y = az_uf_find(parent, b);
    if (x != y)
        parent[x > y ? x : y] = x < y ? x : y;
}
