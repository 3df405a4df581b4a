/*
 * tally.c - who agrees with whom among the voices of one story, without
 * looking at every pair.
 *
 * A story of a million articles about one war has hundreds of thousands
 * of figures for "people dead". Comparing each with each is 10^11 pairs;
 * every answer conflicts.c needs is a count or an extreme over a range
 * instead, once the voices are laid out by date:
 *
 *   [ undated, by document | dated, by day then document ]
 *     0                     u                             m
 *
 * A voice's own document is one block [s, e) of that order (a document
 * has one date). A dated voice is near the undated ones and the days
 * [L, R) within the window, and far from the dated rest; an undated one
 * is near all and far from none.
 *
 * Two voices disagree when the gap between their log intervals exceeds
 * tol: lo_j - hi_i > tol or lo_i - hi_j > tol (never both). Both tests are
 * monotone in lo_j and in hi_j, so
 *  - "some j in a range disagrees" and the widest gap need only the range's
 *    largest lo and smallest hi (a segment tree), and
 *  - "how many j in a range disagree" is a count of lo above a threshold
 *    rank plus hi below one: prefix counts answered offline, sweeping the
 *    order once with two Fenwick trees.
 * The comparisons are the very expressions a pairwise loop would make
 * (lo_j - hi_i > tol with NaN false), so the counts, members and widest
 * gaps are exactly the pairwise ones: tests/unit/test_conflicts.c checks
 * that against the pairwise loop on random voices.
 */
#include "az_priv.h"

#include <math.h>
#include <stdlib.h>

/* A voice's place in the layout: undated first, then by day and
 * document (the index breaks no real tie: it keeps qsort stable). */
typedef struct place {
    int dated, days;
    size_t doc, i;
} place;

static int place_cmp(const void *x, const void *y)
{
    const place *a = x, *b = y;
    if (a->dated != b->dated)
        return a->dated - b->dated;
    if (a->days != b->days)
        return a->days < b->days ? -1 : 1;
    if (a->doc != b->doc)
        return a->doc < b->doc ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

typedef struct ranked {
    double x;
    size_t pos;
} ranked;

static int ranked_cmp(const void *p, const void *q)
{
    const ranked *a = p, *b = q;
    if (a->x != b->x)
        return a->x < b->x ? -1 : 1;
    return (a->pos > b->pos) - (a->pos < b->pos);
}

/* rank[p] of each x[p] ascending (ties by position), the sorted values
 * left in rk for thresholds to be looked up. */
static void rank_values(const double *x, size_t m, ranked *rk, uint32_t *rank)
{
    for (size_t p = 0; p < m; p++)
        rk[p] = (ranked){x[p], p};
    qsort(rk, m, sizeof(*rk), ranked_cmp);
    for (size_t k = 0; k < m; k++)
        rank[rk[k].pos] = (uint32_t)k;
}

/* Largest lo and smallest hi over [x, y) of the layout. */
typedef struct extremes {
    double *mx, *mn; /* trees of 2m nodes, leaves at [m, 2m) */
    size_t m;
} extremes;

static void range_extremes(const extremes *t, size_t x, size_t y, double *mx, double *mn)
{
    double a = -INFINITY, b = INFINITY;
    for (x += t->m, y += t->m; x < y; x >>= 1, y >>= 1) {
        if (x & 1) {
            a = t->mx[x] > a ? t->mx[x] : a;
            b = t->mn[x] < b ? t->mn[x] : b;
            x++;
        }
        if (y & 1) {
            y--;
            a = t->mx[y] > a ? t->mx[y] : a;
            b = t->mn[y] < b ? t->mn[y] : b;
        }
    }
    *mx = a > *mx ? a : *mx;
    *mn = b < *mn ? b : *mn;
}

/* A prefix count wanted: F(x) for voice p, added with sign. */
typedef struct query {
    uint32_t p;
    int32_t sign;
} query;

static void fenwick_add(uint32_t *f, size_t n, size_t i)
{
    for (i++; i <= n; i += i & -i)
        f[i]++;
}

/* How many inserted ranks are < k. */
static uint32_t fenwick_below(const uint32_t *f, size_t k)
{
    uint32_t s = 0;
    for (; k > 0; k -= k & -k)
        s += f[k];
    return s;
}

az_status az_conflict_tally(const az_span *v, size_t m, double tol, unsigned window,
                            az_tally *out, double worst[2])
{
    worst[0] = worst[1] = 0;
    if (m == 0)
        return AZ_OK;
    size_t n1 = m + 1;
    place *ord = malloc(m * sizeof(*ord));
    size_t *s = malloc(m * sizeof(*s));
    size_t *e = malloc(m * sizeof(*e)), *L = malloc(m * sizeof(*L)), *R = malloc(m * sizeof(*R));
    double *lo = malloc(m * sizeof(*lo)), *hi = malloc(m * sizeof(*hi));
    double *tree = malloc(4 * m * sizeof(*tree));
    ranked *rk = malloc(m * sizeof(*rk));
    uint32_t *rlo = malloc(m * sizeof(*rlo)), *rhi = malloc(m * sizeof(*rhi));
    uint32_t *klo = malloc(m * sizeof(*klo)), *khi = malloc(m * sizeof(*khi));
    uint32_t *flo = calloc(n1, sizeof(*flo)), *fhi = calloc(n1, sizeof(*fhi));
    size_t *qat = calloc(n1 + 1, sizeof(*qat));
    query *q = malloc(5 * m * sizeof(*q));
    int64_t *dis = calloc(m, sizeof(*dis));
    az_status st = AZ_OK;
    if (!ord || !s || !e || !L || !R || !lo || !hi || !tree || !rk || !rlo || !rhi ||
        !klo || !khi || !flo || !fhi || !qat || !q || !dis) {
        st = AZ_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < m; i++)
        ord[i] = (place){v[i].days != INT32_MIN, v[i].days, v[i].doc, i};
    qsort(ord, m, sizeof(*ord), place_cmp);
    size_t u = 0;
    while (u < m && !ord[u].dated)
        u++;
    for (size_t p = 0; p < m; p++) {
        lo[p] = v[ord[p].i].lo;
        hi[p] = v[ord[p].i].hi;
    }
    /* Own blocks, and the window of each dated voice by two pointers. */
    for (size_t a = 0, b; a < m; a = b) {
        for (b = a + 1; b < m && ord[b].doc == ord[a].doc && ord[b].dated == ord[a].dated &&
                        ord[b].days == ord[a].days; b++)
            ;
        for (size_t p = a; p < b; p++) {
            s[p] = a;
            e[p] = b;
        }
    }
    for (size_t p = u, l = u, r = u; p < m; p++) {
        long d = ord[p].days;
        while (l < m && (long)ord[l].days < d - (long)window)
            l++;
        while (r < m && (long)ord[r].days <= d + (long)window)
            r++;
        L[p] = l;
        R[p] = r;
    }
    extremes t = {tree, tree + 2 * m, m};
    for (size_t p = 0; p < m; p++) {
        t.mx[m + p] = lo[p];
        t.mn[m + p] = hi[p];
    }
    for (size_t i = m - 1; i > 0; i--) {
        t.mx[i] = t.mx[2 * i] > t.mx[2 * i + 1] ? t.mx[2 * i] : t.mx[2 * i + 1];
        t.mn[i] = t.mn[2 * i] < t.mn[2 * i + 1] ? t.mn[2 * i] : t.mn[2 * i + 1];
    }
    /* Members and widest gaps: the extremes of the near and far ranges. */
    for (size_t p = 0; p < m; p++) {
        double nmx = -INFINITY, nmn = INFINITY, fmx = -INFINITY, fmn = INFINITY;
        if (p < u) {
            range_extremes(&t, 0, s[p], &nmx, &nmn);
            range_extremes(&t, e[p], m, &nmx, &nmn);
        } else {
            range_extremes(&t, 0, u, &nmx, &nmn);
            range_extremes(&t, L[p], s[p], &nmx, &nmn);
            range_extremes(&t, e[p], R[p], &nmx, &nmn);
            range_extremes(&t, u, L[p], &fmx, &fmn);
            range_extremes(&t, R[p], m, &fmx, &fmn);
        }
        az_tally *o = &out[ord[p].i];
        double g[4] = {nmx - hi[p], lo[p] - nmn, fmx - hi[p], lo[p] - fmn};
        o->near = g[0] > tol || g[1] > tol;
        o->far = g[2] > tol || g[3] > tol;
        for (int k = 0; k < 4; k++)
            if (g[k] > tol && g[k] > worst[k / 2])
                worst[k / 2] = g[k];
    }
    /* Ranks: lo ascending, hi ascending; equal values get consecutive
     * ranks, and share every threshold. */
    rank_values(lo, m, rk, rlo);
    /* klo[p]: the first rank whose lo disagrees with hi[p] (lo - hi[p] >
     * tol holds from there on). */
    for (size_t p = 0; p < m; p++) {
        size_t a = 0, b = m;
        while (a < b) {
            size_t mid = a + (b - a) / 2;
            if (rk[mid].x - hi[p] > tol)
                b = mid;
            else
                a = mid + 1;
        }
        klo[p] = (uint32_t)a;
    }
    rank_values(hi, m, rk, rhi);
    /* khi[p]: ranks below it have a hi that lo[p] disagrees with. */
    for (size_t p = 0; p < m; p++) {
        size_t a = 0, b = m;
        while (a < b) {
            size_t mid = a + (b - a) / 2;
            if (lo[p] - rk[mid].x > tol)
                a = mid + 1;
            else
                b = mid;
        }
        khi[p] = (uint32_t)a;
    }
    /* The near ranges as signed prefixes F(x): F(u) + F(R) - F(L) - F(e)
     * + F(s) for a dated voice, F(m) - F(e) + F(s) for an undated one.
     * Bucketed by x (a counting sort), answered in one sweep. */
    size_t at[5];
    int32_t sg[5];
    for (int pass = 0; pass < 2; pass++) {
        for (size_t p = 0; p < m; p++) {
            int k = 0;
            if (p < u) {
                at[k] = m, sg[k++] = 1;
            } else {
                at[k] = u, sg[k++] = 1;
                at[k] = R[p], sg[k++] = 1;
                at[k] = L[p], sg[k++] = -1;
            }
            at[k] = e[p], sg[k++] = -1;
            at[k] = s[p], sg[k++] = 1;
            for (int j = 0; j < k; j++) {
                if (pass == 0)
                    qat[at[j] + 1]++;
                else
                    q[qat[at[j]]++] = (query){(uint32_t)p, sg[j]};
            }
        }
        if (pass == 0)
            for (size_t x = 0; x < n1; x++)
                qat[x + 1] += qat[x];
    }
    /* qat[x] now ends bucket x: bucket x is [qat[x - 1], qat[x]). */
    for (size_t x = 0, j = 0; x <= m; x++) {
        for (; j < qat[x]; j++) {
            uint32_t p = q[j].p;
            /* Inserted: positions [0, x). Disagreeing: lo rank >= klo,
             * hi rank < khi. */
            int64_t c = (int64_t)(x - fenwick_below(flo, klo[p])) + fenwick_below(fhi, khi[p]);
            dis[p] += q[j].sign * c;
        }
        if (x < m) {
            fenwick_add(flo, m, rlo[x]);
            fenwick_add(fhi, m, rhi[x]);
        }
    }
    for (size_t p = 0; p < m; p++) {
        size_t near = p < u ? m - (e[p] - s[p]) : u + (R[p] - L[p]) - (e[p] - s[p]);
        az_tally *o = &out[ord[p].i];
        o->disagree = (uint32_t)dis[p];
        o->agree = (uint32_t)(near - (size_t)dis[p]);
    }
done:
    free(ord); free(s); free(e); free(L); free(R); free(lo); free(hi);
    free(tree); free(rk); free(rlo); free(rhi); free(klo); free(khi);
    free(flo); free(fhi); free(qat); free(q); free(dis);
    return st;
}
