/*
 * reliability.c - an article's score and an outlet's reliability, each
 * with its reasons.
 *
 * Article score: the logistic of a sum of terms, every term listed in the
 * explanation with its weight:
 *  - the sourcing signals (signals.c), each with the fixed weight of its
 *    code below (a marker repeated counts up to three times);
 *  - the article's rates (attribution verbs, quotes, first person per 100
 *    words) as robust z-scores against the corpus (median and MAD, GSL),
 *    clipped to [-3, 3], so a term means "unusual for this corpus";
 *  - its figures against independent reports (conflicts.c): a figure
 *    another report corroborates raises it, one contradicted lowers it,
 *    the odd one out among three or more lowers it more.
 * Outlet reliability: the agreement of its independent figures with the
 * fused value of each quantity (CRH truth discovery in conflicts.c), as a
 * Beta posterior over a prior (flat, or from a ratings file) with a 95 %
 * credible interval: an outlet with one figure gets a wide interval.
 *
 * No outlet is rated by name here: names only ever come from the user's
 * ratings file. The model is documented in docs/signals.md.
 */
#include "az_priv.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

struct az_assessment {
    az_doc_signals *docs;
    size_t ndocs;
    az_outlet_stats *outlets;
    size_t noutlets;
    az_arena *arenas; /* one per worker thread */
    unsigned narenas;
};

static const struct {
    const char *code;
    double weight;
} weights[] = {
    {"ugc-unverified", -2.0}, {"ugc-platform", -1.0},
    {"unverified-claim", -0.3}, {"anonymous-source", -0.25},
    {"hedging", -0.15}, {"opinion-label", -0.4}, {"press-release", -0.3},
    {"wire-credit", 0.3}, {"byline", 0.3}, {"correction", 0.1},
    {"photo-credit", 0.0},
};

const char *az_kind_name(az_kind k)
{
    static const char *const names[] = {"news", "wire", "ugc", "opinion",
                                        "press-release"};
    return (unsigned)k < sizeof(names) / sizeof(*names) ? names[k] : "news";
}

static double weight_of(const char *code)
{
    for (size_t k = 0; k < sizeof(weights) / sizeof(*weights); k++)
        if (strcmp(weights[k].code, code) == 0)
            return weights[k].weight;
    return 0;
}

/* Robust z-scores of x[0, n) (0 where the MAD is 0). */
static az_status robust_z(double *z, const double *x, size_t n)
{
    double *s = malloc((n ? n : 1) * sizeof(*s));
    if (!s)
        return AZ_ENOMEM;
    memcpy(s, x, n * sizeof(*s));
    gsl_sort(s, 1, n);
    double med = n ? gsl_stats_median_from_sorted_data(s, 1, n) : 0;
    for (size_t i = 0; i < n; i++)
        s[i] = fabs(x[i] - med);
    gsl_sort(s, 1, n);
    double mad = n ? 1.4826 * gsl_stats_median_from_sorted_data(s, 1, n) : 0;
    for (size_t i = 0; i < n; i++) {
        double v = mad > 0 ? (x[i] - med) / mad : 0;
        z[i] = v > 3 ? 3 : v < -3 ? -3 : v;
    }
    free(s);
    return AZ_OK;
}

/* Append a term to a document's explanation. */
static az_status term(az_doc_signals *d, size_t *cap, az_arena *a,
                      const char *code, double w, const char *text,
                      uint32_t line)
{
    if (d->n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        az_signal *v = realloc(d->v, *cap * sizeof(*v));
        if (!v)
            return AZ_ENOMEM;
        d->v = v;
    }
    const char *t = az_arena_strdup(a, text);
    if (!t)
        return AZ_ENOMEM;
    d->v[d->n++] = (az_signal){code, w, t, line};
    return AZ_OK;
}

/* The terms a document's figures add: corroborated, contradicted, odd
 * one out. `outlier` marks claims that are. */
static az_status claim_terms(az_doc_signals *d, size_t *cap, az_arena *a,
                             size_t doc, const az_claims *cl,
                             const az_conflicts *k, const bool *outlier,
                             const az_corpus *corpus)
{
    double plus = 0, minus = 0;
    const char *text = az_doc_text(az_corpus_doc(corpus, doc), NULL);
    /* Claims are in document order: bisect to this document's first. */
    size_t lo = 0, hi = az_claims_count(cl);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (az_claims_get(cl, mid)->doc < doc)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < az_claims_count(cl) && az_claims_get(cl, i)->doc == doc; i++) {
        const az_claim *c = az_claims_get(cl, i);
        unsigned agree, disagree;
        az_conflicts_support(k, i, &agree, &disagree);
        const char *code = NULL;
        double w = 0;
        if (outlier[i] && minus > -1.6)
            code = "figure-outlier", w = -0.8;
        else if (disagree > agree && minus > -1.6)
            code = "figure-contradicted", w = -0.3;
        else if (agree > 0 && plus < 0.45)
            code = "figure-corroborated", w = 0.15;
        if (!code)
            continue;
        if (w < 0)
            minus += w;
        else
            plus += w;
        char buf[160];
        snprintf(buf, sizeof(buf), "%.*s (%u agree, %u disagree)",
                 (int)(c->len > 100 ? 100 : c->len), text + c->off, agree, disagree);
        az_status st = term(d, cap, a, code, w, buf, c->line);
        if (st != AZ_OK)
            return st;
    }
    return AZ_OK;
}

/* Ratings file: "outlet,rating" lines (CSV, a header allowed) or JSON
 * Lines {"outlet" or "domain", "rating"}. Sets a and b of matching
 * outlets: a Beta(1 + 4 r, 1 + 4 (1 - r)) prior, four pseudo-figures. */
static az_status apply_priors(az_ctx *ctx, az_outlet_stats *o, size_t n,
                              const char *path)
{
    for (size_t i = 0; i < n; i++)
        o[i].prior_a = o[i].prior_b = 1;
    if (!path)
        return AZ_OK;
    FILE *f = fopen(path, "r");
    if (!f)
        return az_error(ctx, AZ_EIO, "%s: cannot open the outlet ratings", path);
    char line[1024];
    unsigned no = 0;
    az_status st = AZ_OK;
    while (fgets(line, sizeof(line), f) && st == AZ_OK) {
        no++;
        size_t len = strcspn(line, "\r\n");
        line[len] = '\0';
        if (len == 0 || line[0] == '#')
            continue;
        char name[1024];
        double r = -1;
        if (line[0] == '{') {
            cJSON *j = cJSON_Parse(line);
            const cJSON *on = cJSON_GetObjectItemCaseSensitive(j, "outlet");
            if (!cJSON_IsString(on))
                on = cJSON_GetObjectItemCaseSensitive(j, "domain");
            const cJSON *rv = cJSON_GetObjectItemCaseSensitive(j, "rating");
            if (cJSON_IsString(on) && cJSON_IsNumber(rv)) {
                snprintf(name, sizeof(name), "%s", on->valuestring);
                r = rv->valuedouble;
            }
            cJSON_Delete(j);
        } else {
            char *comma = strrchr(line, ',');
            if (comma) {
                *comma = '\0';
                char *end;
                r = strtod(comma + 1, &end);
                if (end == comma + 1)
                    r = -1; /* a header line */
                snprintf(name, sizeof(name), "%s", line);
            }
        }
        if (r < 0 || r > 1) {
            if (no > 1 || line[0] == '{')
                st = az_error(ctx, AZ_EINPUT, "%s:%u: want \"outlet,rating\" "
                              "with a rating from 0 to 1", path, no);
            continue;
        }
        for (size_t i = 0; i < n; i++)
            if (strcasecmp(o[i].outlet, name) == 0) {
                o[i].prior_a = 1 + 4 * r;
                o[i].prior_b = 1 + 4 * (1 - r);
            }
    }
    fclose(f);
    return st;
}

static void posterior(az_outlet_stats *o)
{
    double a = o->prior_a + o->agree, b = o->prior_b + o->disagree;
    o->mean = a / (a + b);
    o->lo = az_beta_quantile(0.025, a, b);
    o->hi = az_beta_quantile(0.975, a, b);
}

static az_status doc_terms(az_assessment *as, az_arena *arena, size_t i, const double *z3,
                           size_t n, const az_claims *cl, const az_conflicts *k,
                           const bool *outlier, const az_corpus *corpus)
{
    az_doc_signals *d = &as->docs[i];
    size_t cap = d->n;
    bool byline = false;
    for (size_t s = 0; s < d->n; s++) {
        /* A marker repeated on a page ("iReport" in the header and the
         * footer) is one piece of evidence; several anonymous sources or
         * hedges are several. */
        bool seen = false;
        for (size_t q = 0; q < s; q++)
            seen |= strcmp(d->v[q].code, d->v[s].code) == 0;
        bool additive = strcmp(d->v[s].code, "anonymous-source") == 0 ||
                        strcmp(d->v[s].code, "hedging") == 0;
        d->v[s].weight = seen && !additive ? 0 : weight_of(d->v[s].code);
        byline |= strcmp(d->v[s].code, "byline") == 0;
    }
    az_status st = AZ_OK;
    if (!byline)
        st = term(d, &cap, arena, "no-byline", -0.2, "no author named", 0);
    static const char *const names[] = {"attribution-rate", "quote-rate", "first-person-rate"};
    const double rate[] = {d->attribution_rate, d->quote_rate, d->first_person_rate};
    const double per_z[] = {0.25, 0.1, -0.15};
    for (int f = 0; f < 3 && st == AZ_OK; f++) {
        double zf = z3[f * n + i];
        /* first person only counts against, and only above the median;
         * a term too small to print is left out */
        if (fabs(per_z[f] * zf) < 0.0005 || (f == 2 && zf < 0))
            continue;
        char buf[96];
        snprintf(buf, sizeof(buf), "%.2f per 100 words (robust z %.2f)", rate[f], zf);
        st = term(d, &cap, arena, names[f], round(per_z[f] * zf * 1000) / 1000, buf, 0);
    }
    if (st == AZ_OK && cl && k)
        st = claim_terms(d, &cap, arena, i, cl, k, outlier, corpus);
    double sum = 0;
    for (size_t s = 0; s < d->n; s++)
        sum += d->v[s].weight;
    d->score = round(1e4 / (1 + exp(-sum))) / 1e4;
    return st;
}

/* Documents are independent: workers find the evidence and then weigh
 * the terms of runs of them, each into its own arena. */
typedef struct assess_job {
    az_assessment *as;
    const az_corpus *corpus;
    double *x, *z;
    const az_claims *claims;
    const az_conflicts *conflicts;
    const bool *outlier;
    size_t first; /* corpus index of docs[0] */
} assess_job;

static az_status signals_range(void *user, unsigned worker, size_t begin, size_t end)
{
    assess_job *j = user;
    size_t n = j->as->ndocs;
    for (size_t i = begin; i < end; i++) {
        az_status st = az_signals_doc(&j->as->docs[i], &j->as->arenas[worker],
                                      az_corpus_doc(j->corpus, j->first + i));
        if (st != AZ_OK)
            return st;
        j->x[i] = j->as->docs[i].attribution_rate;
        j->x[n + i] = j->as->docs[i].quote_rate;
        j->x[2 * n + i] = j->as->docs[i].first_person_rate;
    }
    return AZ_OK;
}

static az_status terms_range(void *user, unsigned worker, size_t begin, size_t end)
{
    assess_job *j = user;
    az_status st = AZ_OK;
    for (size_t i = begin; i < end && st == AZ_OK; i++)
        st = doc_terms(j->as, &j->as->arenas[worker], i, j->z, j->as->ndocs, j->claims,
                       j->conflicts, j->outlier, j->corpus);
    return st;
}

/* The evidence of documents [lo, hi) (their texts at hand), packed for
 * rank 0: a rank's share of a distributed report. */
az_status az_signals_pack(az_buf *b, az_corpus *corpus, size_t lo, size_t hi)
{
    unsigned threads = az_threads(az_ctx_options(az_corpus_ctx(corpus)));
    size_t n = hi - lo;
    az_assessment part = {0};
    double *x = malloc(3 * (n ? n : 1) * sizeof(*x));
    part.docs = calloc(n ? n : 1, sizeof(*part.docs));
    part.arenas = calloc(threads, sizeof(*part.arenas));
    part.narenas = threads;
    part.ndocs = n;
    az_status st = x && part.docs && part.arenas ? AZ_OK : AZ_ENOMEM;
    /* signals_range numbers documents from 0: a corpus view from lo. */
    assess_job job = {&part, corpus, x, NULL, NULL, NULL, NULL, lo};
    if (st == AZ_OK)
        st = az_parallel(threads, n, 64, signals_range, &job);
    if (st == AZ_OK)
        st = az_pack_u64(b, n);
    for (size_t i = 0; st == AZ_OK && i < n; i++) {
        const az_doc_signals *d = &part.docs[i];
        AZ_PACK(st, az_pack_u32(b, (uint32_t)d->kind));
        AZ_PACK(st, az_pack_f64(b, d->attribution_rate));
        AZ_PACK(st, az_pack_f64(b, d->quote_rate));
        AZ_PACK(st, az_pack_f64(b, d->first_person_rate));
        AZ_PACK(st, az_pack_u64(b, d->n));
        for (size_t k = 0; st == AZ_OK && k < d->n; k++) {
            AZ_PACK(st, az_pack_str(b, d->v[k].code));
            AZ_PACK(st, az_pack_f64(b, d->v[k].weight));
            AZ_PACK(st, az_pack_str(b, d->v[k].text));
            AZ_PACK(st, az_pack_u32(b, d->v[k].line));
        }
    }
    free(x);
    for (size_t i = 0; part.docs && i < n; i++)
        free(part.docs[i].v);
    free(part.docs);
    for (unsigned w = 0; part.arenas && w < threads; w++)
        az_arena_free(&part.arenas[w]);
    free(part.arenas);
    return st;
}

/* Every document's evidence from the ranks' packed shares, in order. */
static az_status signals_unpack(az_assessment *as, double *x, az_unpack *u)
{
    size_t n = as->ndocs, i = 0;
    while (i < n && !u->bad) {
        uint64_t m = az_unpack_u64(u);
        for (uint64_t j = 0; j < m && i < n && !u->bad; j++, i++) {
            az_doc_signals *d = &as->docs[i];
            d->kind = (az_kind)az_unpack_u32(u);
            d->attribution_rate = az_unpack_f64(u);
            d->quote_rate = az_unpack_f64(u);
            d->first_person_rate = az_unpack_f64(u);
            uint64_t k = az_unpack_u64(u);
            if (u->bad || k > (u->n - u->off) / 8)
                return AZ_ENOMEM;
            d->v = malloc((k ? k : 1) * sizeof(*d->v));
            if (!d->v)
                return AZ_ENOMEM;
            for (d->n = 0; d->n < k; d->n++) {
                az_signal *g = &d->v[d->n];
                g->code = az_unpack_str(u, &as->arenas[0]);
                g->weight = az_unpack_f64(u);
                g->text = az_unpack_str(u, &as->arenas[0]);
                g->line = az_unpack_u32(u);
            }
            x[i] = d->attribution_rate;
            x[n + i] = d->quote_rate;
            x[2 * n + i] = d->first_person_rate;
        }
    }
    return i == n && !u->bad ? AZ_OK : AZ_ENOMEM;
}

az_status az_assess_run(az_assessment **out, az_corpus *corpus,
                        const az_claims *claims, const az_conflicts *conflicts,
                        const char *priors)
{
    return az_assess_given(out, corpus, claims, conflicts, priors, NULL);
}

az_status az_assess_given(az_assessment **out, az_corpus *corpus,
                          const az_claims *claims, const az_conflicts *conflicts,
                          const char *priors, az_unpack *given)
{
    *out = NULL;
    az_ctx *ctx = az_corpus_ctx(corpus);
    az_status st = az_corpus_finish(corpus);
    if (st != AZ_OK)
        return st;
    az_assessment *as = calloc(1, sizeof(*as));
    size_t n = az_corpus_count(corpus);
    double *x = malloc(3 * (n ? n : 1) * sizeof(*x)), *z = malloc(3 * (n ? n : 1) * sizeof(*z));
    size_t ncl = claims ? az_claims_count(claims) : 0;
    bool *outlier = calloc(ncl ? ncl : 1, sizeof(*outlier));
    unsigned threads = az_threads(az_ctx_options(ctx));
    if (as && (as->arenas = calloc(threads, sizeof(*as->arenas))))
        as->narenas = threads;
    if (!as || !x || !z || !outlier || !as->arenas ||
        !(as->docs = calloc(n ? n : 1, sizeof(*as->docs)))) {
        free(x); free(z); free(outlier);
        az_assess_free(as);
        return AZ_ENOMEM;
    }
    as->ndocs = n;
    assess_job job = {as, corpus, x, z, claims, conflicts, outlier, 0};
    st = given ? signals_unpack(as, x, given) : az_parallel(threads, n, 64, signals_range, &job);
    for (int f = 0; f < 3 && st == AZ_OK; f++)
        st = robust_z(z + f * n, x + f * n, n);
    for (size_t c = 0; conflicts && c < az_conflicts_count(conflicts); c++) {
        const az_conflict *k = az_conflicts_get(conflicts, c);
        for (size_t j = 0; k && !k->over_time && j < k->nclaims; j++)
            if (fabs(k->z[j]) > 3.5)
                outlier[k->claims[j]] = true;
    }
    if (st == AZ_OK)
        st = az_parallel(threads, n, 64, terms_range, &job);
    if (st == AZ_OK && conflicts)
        st = az_conflicts_outlets(&as->outlets, &as->noutlets, conflicts, corpus,
                                  az_ctx_options(ctx));
    if (st == AZ_OK)
        st = apply_priors(ctx, as->outlets, as->noutlets, priors);
    for (size_t i = 0; st == AZ_OK && i < as->noutlets; i++)
        posterior(&as->outlets[i]);
    free(x);
    free(z);
    free(outlier);
    if (st != AZ_OK) {
        az_assess_free(as);
        return st == AZ_ENOMEM ? az_error(ctx, st, "signals: out of memory") : st;
    }
    *out = as;
    return AZ_OK;
}

void az_assess_free(az_assessment *a)
{
    if (!a)
        return;
    for (size_t i = 0; a->docs && i < a->ndocs; i++)
        free(a->docs[i].v);
    free(a->docs);
    free(a->outlets);
    for (unsigned i = 0; a->arenas && i < a->narenas; i++)
        az_arena_free(&a->arenas[i]);
    free(a->arenas);
    free(a);
}

const az_doc_signals *az_assess_doc(const az_assessment *a, size_t doc)
{
    return doc < a->ndocs ? &a->docs[doc] : NULL;
}

size_t az_assess_outlet_count(const az_assessment *a)
{
    return a->noutlets;
}

const az_outlet_stats *az_assess_outlet(const az_assessment *a, size_t i)
{
    return i < a->noutlets ? &a->outlets[i] : NULL;
}
