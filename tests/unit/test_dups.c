/* The near-duplicate engine: known-answer signatures, the estimator
 * against its interval, the LSH S-curve, containment, passages, clusters
 * and determinism. */
#include "az_priv.h"
#include "check.h"

#include "../tools/vector_texts.h"

#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state = 42;

/* What az_dups_write_jsonl() handed over, and in how many calls. */
typedef struct collected {
    char *s;
    size_t len, calls;
} collected;

static az_status collect(void *user, const char *bytes, size_t len)
{
    collected *w = user;
    char *p = realloc(w->s, w->len + len);
    if (!p)
        return AZ_ENOMEM;
    memcpy(p + w->len, bytes, len);
    w->s = p;
    w->len += len;
    w->calls++;
    return AZ_OK;
}

static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Compare with the checked-in vectors (argv[1]). */
static void test_known_answers(const char *path)
{
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    if (!f)
        return;
    char line[512];
    int rows = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        size_t t;
        uint64_t seed;
        char kind[8];
        int used;
        if (sscanf(line, "%zu %" SCNu64 " %7s%n", &t, &seed, kind, &used) != 3 ||
            t >= sizeof(vector_texts) / sizeof(*vector_texts)) {
            CHECK(!"malformed vector line");
            continue;
        }
        az_shingles sh = AZ_SHINGLES_INIT;
        CHECK(az_shingle(&sh, vector_texts[t], strlen(vector_texts[t]), 5, seed) == AZ_OK);
        uint32_t sig[128];
        az_minhash(sig, 128, strcmp(kind, "kperm") == 0 ? AZ_MINHASH_KPERM : AZ_MINHASH_OPH,
                   seed, sh.seq, sh.nseq);
        az_shingles_free(&sh);
        const char *p = line + used;
        for (int j = 0; j < 16; j++) {
            unsigned v;
            int n;
            CHECK(sscanf(p, "%x%n", &v, &n) == 1);
            p += n;
            CHECK_INT(sig[j], v);
        }
        rows++;
    }
    fclose(f);
    CHECK_INT(rows, 16);
}

typedef struct sig_job {
    uint64_t seed;
    unsigned K;
    const uint64_t *h;
    size_t n;
    uint32_t sig[1024];
} sig_job;

static void *sig_on_thread(void *arg)
{
    sig_job *j = arg;
    az_minhash(j->sig, j->K, AZ_MINHASH_OPH, j->seed, j->h, j->n);
    return NULL;
}

/* OPH's empty bins borrow along probe sequences that each thread caches
 * for one (seed, K): a thread whose cache was filled for other seeds and
 * sizes must give what a fresh thread gives. A few shingles leave most
 * bins empty, and many need probes past the cached ones. */
static void test_oph_probe_cache(void)
{
    static const unsigned ks[] = {128, 64, 1024, 8, 128};
    static const uint64_t seeds[] = {7, 8, 7};
    uint64_t h[40];
    for (size_t i = 0; i < 40; i++)
        h[i] = rnd();
    for (size_t b = 0; b < sizeof(ks) / sizeof(*ks); b++)
        for (size_t a = 0; a < sizeof(seeds) / sizeof(*seeds); a++)
            for (size_t n = 1; n <= 40; n += 13) {
                static uint32_t here[1024];
                az_minhash(here, ks[b], AZ_MINHASH_OPH, seeds[a], h, n);
                static sig_job j;
                j = (sig_job){seeds[a], ks[b], h, n, {0}};
                pthread_t t;
                CHECK(pthread_create(&t, NULL, sig_on_thread, &j) == 0);
                pthread_join(t, NULL);
                CHECK(memcmp(here, j.sig, ks[b] * sizeof(*here)) == 0);
            }
}

/* Two shingle sequences with Jaccard m / (m + a + b). */
static void make_sets(uint64_t *x, uint64_t *y, size_t m, size_t a, size_t b)
{
    for (size_t i = 0; i < m; i++)
        x[i] = y[i] = rnd();
    for (size_t i = 0; i < a; i++)
        x[m + i] = rnd();
    for (size_t i = 0; i < b; i++)
        y[m + i] = rnd();
}

/* The exact Jaccard lies in the estimate's 95 % interval about 95 % of the
 * time, for both variants, across similarities. */
static void test_estimator_interval(int kind)
{
    enum { TRIALS = 400, K = 128 };
    static uint64_t x[600], y[600];
    int inside = 0;
    double err = 0;
    for (int t = 0; t < TRIALS; t++) {
        size_t m = 50 + (size_t)(rnd() % 250), a = (size_t)(rnd() % 150), b = (size_t)(rnd() % 150);
        make_sets(x, y, m, a, b);
        uint32_t sa[K], sb[K];
        az_minhash(sa, K, kind, 7, x, m + a);
        az_minhash(sb, K, kind, 7, y, m + b);
        unsigned hits = az_minhash_matches(sa, sb, K);
        double lo, hi, j = (double)m / (double)(m + a + b);
        az_binomial_ci(&lo, &hi, hits, K);
        inside += j >= lo && j <= hi;
        err += (double)hits / K - j;
    }
    /* 95 % nominal; Clopper-Pearson is conservative. 400 trials: a rate
     * under 0.92 would be 3 standard errors off. */
    CHECK((double)inside / TRIALS >= 0.92);
    /* Unbiased: the mean error is within a few standard errors of 0. */
    CHECK(fabs(err / TRIALS) < 0.01);
}

/* The fraction of pairs sharing a band follows 1 - (1 - s^r)^b. */
/* Beta quantiles where GSL's inversion gives up (very unequal large
 * parameters: an outlet's agree and disagree counts in a big corpus) are
 * still quantiles, not an abort. */
static void test_beta_quantile(void)
{
    az_ctx *ctx;
    CHECK(az_ctx_new(&ctx, NULL) == AZ_OK); /* turns GSL's abort off */
    double lo = az_beta_quantile(0.025, 10, 1e5), hi = az_beta_quantile(0.975, 10, 1e5);
    CHECK(isfinite(lo) && isfinite(hi));
    CHECK(lo >= 0 && lo < 1e-4 && hi > 1e-4 && hi < 2e-4 && lo < hi);
    double up = az_beta_quantile(0.025, 1e5, 10);
    CHECK(up > 0.9998 && up <= 1);
    /* Where GSL converges, its value. */
    CHECK(fabs(az_beta_quantile(0.025, 3, 5) - 0.0989882784) < 1e-9);
    az_ctx_free(ctx);
}

static void test_s_curve(void)
{
    az_lsh_params p;
    CHECK(az_lsh_choose(&p, 0.5, 128, 0.5) == AZ_OK);
    CHECK(p.bands * p.rows <= 128);
    CHECK(p.fp > 0 && p.fn > 0);
    /* The step of the S-curve sits near the threshold asked for. */
    CHECK(fabs(pow(1.0 / p.bands, 1.0 / p.rows) - 0.5) < 0.1);
    az_lsh_params low;
    CHECK(az_lsh_choose(&low, 0.2, 128, 0.5) == AZ_OK);
    CHECK(az_lsh_probability(&low, 0.2) > az_lsh_probability(&p, 0.2));
    CHECK(az_lsh_choose(&low, 1.5, 128, 0.5) == AZ_EINVAL);
    enum { PAIRS = 600, K = 128 };
    static uint64_t x[500], y[500];
    const double sims[] = {0.2, 0.4, 0.5, 0.6, 0.8};
    for (size_t k = 0; k < sizeof(sims) / sizeof(*sims); k++) {
        int hit = 0;
        for (int t = 0; t < PAIRS; t++) {
            size_t n = 400, m = (size_t)(sims[k] * n), rest = n - m;
            make_sets(x, y, m, rest / 2, rest - rest / 2);
            uint32_t sa[K], sb[K];
            az_minhash(sa, K, AZ_MINHASH_OPH, 9, x, m + rest / 2);
            az_minhash(sb, K, AZ_MINHASH_OPH, 9, y, m + rest - rest / 2);
            uint64_t ka[K], kb[K];
            az_lsh_keys(ka, sa, &p, 9);
            az_lsh_keys(kb, sb, &p, 9);
            bool any = false;
            for (unsigned b = 0; b < p.bands; b++)
                any |= ka[b] == kb[b];
            hit += any;
        }
        double want = az_lsh_probability(&p, sims[k]);
        double se = sqrt(want * (1 - want) / PAIRS) + 1e-3;
        double got = (double)hit / PAIRS;
        if (fabs(got - want) > 4 * se)
            fprintf(stderr, "s=%.1f: candidate rate %.3f, S-curve %.3f\n", sims[k], got, want);
        CHECK(fabs(got - want) <= 4 * se);
    }
}

static const char wire[] =
    "PORT ALDER (HWA) - Rescue teams reached the island of Korrin on Tuesday after the storm "
    "passed, the coast guard said, and began searching the flooded lower town for survivors.\n"
    "About 1,200 people spent the night in the sports hall on the hill, according to the town "
    "council, which said the harbour wall had given way shortly before midnight.\n"
    "\"We have never seen the sea come this far,\" said fisherman Tomas Berg, 61, who lost his boat.\n"
    "Engineers said repairs to the wall would take at least three weeks and cost four million crowns.\n";

static const char other[] =
    "The city council of Sunnholt voted on Wednesday to raise tram fares by fifteen per cent from "
    "June, despite a petition signed by more than twenty thousand residents who say the rise will "
    "hit the poorest hardest. The transport committee chair said the money would pay for new "
    "trams and longer evening services, and that concessions for students would stay as they are. "
    "Opposition members walked out of the chamber before the vote and promised to take the matter "
    "to the regional ombudsman before the summer recess begins.\n";

static const char unrelated[] =
    "Westmark's football club appointed a new coach on Friday, the third in two seasons, "
    "after a run of eight defeats left the team one point above the relegation places. "
    "The club's owner said the decision had been hard but that results had to improve "
    "before the winter break, when two key players are expected back from injury.\n";

/* A corpus of: the wire, a credited verbatim copy, an uncredited partial
 * copy embedding half of it in other text, and an unrelated article. */
static az_corpus *make_corpus(az_ctx *ctx)
{
    az_corpus *c;
    CHECK(az_corpus_new(&c, ctx) == AZ_OK);
    char buf[4096];
    CHECK(az_corpus_add_memory(c, "a-wire", wire, strlen(wire), AZ_FORMAT_TEXT) == AZ_OK);
    snprintf(buf, sizeof buf, "%sReporting by Harbour Wire Agency.\n", wire);
    CHECK(az_corpus_add_memory(c, "b-credited", buf, strlen(buf), AZ_FORMAT_TEXT) == AZ_OK);
    /* Two paragraphs of the wire, without its dateline (which would be a
     * credit), inside the tram story. */
    const char *from = strstr(wire, "About 1,200"), *to = strstr(wire, "Engineers");
    snprintf(buf, sizeof buf, "%s%.*s", other, (int)(to - from), from);
    CHECK(az_corpus_add_memory(c, "c-partial", buf, strlen(buf), AZ_FORMAT_TEXT) == AZ_OK);
    CHECK(az_corpus_add_memory(c, "d-other", unrelated, strlen(unrelated), AZ_FORMAT_TEXT) == AZ_OK);
    /* Outlets and dates, as a manifest would give them. */
    const char *outlets[] = {"Harbour Wire Agency", "Korrin Post", "Daily Crest", "Sunnholt Gazette"};
    const char *dates[] = {"2031-02-03", "2031-02-03", "2031-02-04", "2031-02-05"};
    CHECK_INT(az_corpus_count(c), 4);
    for (size_t i = 0; i < 4 && i < az_corpus_count(c); i++) {
        az_doc *d = az_corpus_doc_mut(c, i);
        d->meta[AZ_META_OUTLET] = (az_meta){outlets[i], AZ_SRC_MANIFEST, NULL, 0};
        d->meta[AZ_META_PUBLISHED] = (az_meta){dates[i], AZ_SRC_MANIFEST, NULL, 0};
    }
    return c;
}

static const az_pair *find_pair(const az_dups *d, size_t a, size_t b)
{
    for (size_t i = 0; i < az_dups_pair_count(d); i++)
        if (az_dups_pair(d, i)->a == a && az_dups_pair(d, i)->b == b)
            return az_dups_pair(d, i);
    return NULL;
}

/* Folded tokens of a span, joined by spaces. */
static void folded(char *out, size_t cap, const char *text, size_t off, size_t len)
{
    az_token *t;
    size_t n;
    out[0] = '\0';
    CHECK(az_tokenize(&t, &n, text + off, len) == AZ_OK);
    for (size_t i = 0; i < n; i++) {
        char *f;
        size_t fl;
        CHECK(az_fold(&f, &fl, text + off + t[i].off, t[i].len) == AZ_OK);
        size_t used = strlen(out);
        snprintf(out + used, cap - used, "%s%s", i ? " " : "", f);
        free(f);
    }
    free(t);
}

static void test_pipeline(void)
{
    az_ctx *ctx;
    CHECK(az_ctx_new(&ctx, NULL) == AZ_OK);
    az_corpus *c = make_corpus(ctx);
    az_dups *d;
    CHECK(az_dups_run(&d, c) == AZ_OK);

    const az_pair *ab = find_pair(d, 0, 1), *ac = find_pair(d, 0, 2);
    CHECK(ab != NULL);
    CHECK(ac != NULL);
    CHECK(find_pair(d, 0, 3) == NULL); /* unrelated */
    if (ab) {
        CHECK(ab->exact_jaccard > 0.9);
        CHECK(ab->jaccard_lo <= ab->exact_jaccard + 0.05);
        CHECK_INT(ab->dir, AZ_COPY_A_TO_B);
        CHECK_INT(ab->credited, 1);
    }
    if (ac) {
        /* Half the wire inside a longer text: low Jaccard, found by
         * containment. */
        CHECK(ac->exact_jaccard < 0.5);
        CHECK(ac->contain_ab > 0.4);
        CHECK_INT(ac->dir, AZ_COPY_A_TO_B);
        CHECK_INT(ac->credited, 0);
        CHECK(ac->npassages >= 1);
        /* Passages point at the same words in both texts. */
        const char *ta = az_doc_text(az_corpus_doc(c, 0), NULL);
        const char *tc = az_doc_text(az_corpus_doc(c, 2), NULL);
        for (size_t i = 0; i < ac->npassages; i++) {
            static char fa[8192], fc[8192];
            const az_passage *p = &ac->passages[i];
            folded(fa, sizeof fa, ta, p->a_off, p->a_len);
            folded(fc, sizeof fc, tc, p->b_off, p->b_len);
            CHECK_STR(fa, fc);
            CHECK(p->tokens >= 10);
            uint32_t line, col;
            az_doc_locate(az_corpus_doc(c, 2), p->b_off, &line, &col);
            CHECK_INT(p->b_line, line);
        }
    }
    /* One cluster, its origin the wire, the partial copy uncredited. */
    CHECK_INT(az_dups_cluster_count(d), 1);
    const az_cluster *cl = az_dups_cluster(d, 0);
    if (cl) {
        CHECK_INT(cl->nmembers, 3);
        CHECK_INT(cl->origin, 0);
        CHECK(strncmp(cl->id, "dup-", 4) == 0);
    }
    CHECK_INT(az_dups_doc_cluster(d, 3), SIZE_MAX);

    /* Determinism: a second run prints the same bytes. */
    char *j1, *j2;
    az_dups *d2;
    CHECK(az_dups_jsonl(&j1, d, c) == AZ_OK);
    CHECK(az_dups_run(&d2, c) == AZ_OK);
    CHECK(az_dups_jsonl(&j2, d2, c) == AZ_OK);
    CHECK_STR(j1, j2);
    /* Written a batch at a time, the same bytes. */
    collected w = {0};
    CHECK(az_dups_write_jsonl(d, c, collect, &w) == AZ_OK);
    CHECK(w.len > 0 && w.len == strlen(j1) && memcmp(w.s, j1, w.len) == 0);
    CHECK(w.calls >= 1);
    free(w.s);
    free(j1);
    free(j2);
    az_dups_free(d2);
    az_dups_free(d);
    az_corpus_free(c);
    az_ctx_free(ctx);
}

/* Exact duplicates are grouped without LSH, and a bucket of many identical
 * documents stays linear: each pairs with its neighbour only. */
static void test_identical_bucket(void)
{
    az_options o;
    az_options_init(&o);
    o.lsh_bucket_cap = 4;
    az_ctx *ctx;
    CHECK(az_ctx_new(&ctx, &o) == AZ_OK);
    az_corpus *c;
    CHECK(az_corpus_new(&c, ctx) == AZ_OK);
    for (int i = 0; i < 50; i++) {
        char id[16];
        snprintf(id, sizeof id, "copy-%02d", i);
        CHECK(az_corpus_add_memory(c, id, wire, strlen(wire), AZ_FORMAT_TEXT) == AZ_OK);
    }
    az_dups *d;
    CHECK(az_dups_run(&d, c) == AZ_OK);
    CHECK_INT(az_dups_get_stats(d)->exact_duplicates, 49);
    CHECK(az_dups_pair_count(d) <= 2 * 50);
    CHECK_INT(az_dups_cluster_count(d), 1);
    CHECK_INT(az_dups_cluster(d, 0)->nmembers, 50);
    az_dups_free(d);
    az_corpus_free(c);
    az_ctx_free(ctx);
}

/* One run of the demo corpus: its dups JSON Lines (malloc'd). */
static char *dups_of(const char *dir, unsigned threads, int streaming,
                     size_t *streamed, size_t *resketched)
{
    az_options o;
    az_options_init(&o);
    o.threads = threads;
    az_ctx *ctx;
    az_corpus *c;
    az_dups *d = NULL;
    char *out = NULL;
    CHECK(az_ctx_new(&ctx, &o) == AZ_OK);
    CHECK(az_corpus_new(&c, ctx) == AZ_OK);
    az_corpus_set_streaming(c, streaming);
    CHECK(az_corpus_add_path(c, dir) == AZ_OK);
    CHECK(az_corpus_finish(c) == AZ_OK);
    *streamed = *resketched = 0;
    for (size_t i = 0; i < az_corpus_count(c); i++) {
        const az_doc *doc = az_corpus_doc(c, i);
        *streamed += doc->streamed;
        *resketched += doc->resketch;
    }
    CHECK(az_dups_run(&d, c) == AZ_OK);
    CHECK(d && az_dups_cluster_count(d) > 0);
    CHECK(az_dups_jsonl(&out, d, c) == AZ_OK);
    az_dups_free(d);
    az_corpus_free(c);
    az_ctx_free(ctx);
    return out;
}

/* The same pairs, clusters and passages whether texts are kept or re-read
 * (including pages whose boilerplate was dropped after they were
 * sketched), and whatever the number of threads. */
static void test_streaming_and_threads(const char *dir)
{
    size_t streamed, resketched;
    char *want = dups_of(dir, 1, 0, &streamed, &resketched);
    CHECK(streamed == 0 && resketched == 0);
    CHECK(want && strstr(want, "\"type\":\"cluster\""));
    for (unsigned threads = 1; threads <= 3; threads += 2) {
        char *got = dups_of(dir, threads, 1, &streamed, &resketched);
        CHECK(streamed > 10);
        CHECK(resketched >= 3); /* the Lanmoor Courier's footer */
        CHECK_STR(got, want);
        free(got);
        got = dups_of(dir, threads + 1, 0, &streamed, &resketched);
        CHECK_STR(got, want);
        free(got);
    }
    free(want);
}

static int u64_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The radix sorts against qsort, on values that differ in every byte, in
 * the low bytes only (document numbers, pairs of them), or not at all;
 * and the keyed sort is stable. */
/* The orders az_sort_keyed promises, with the input position (aux) last:
 * what stability gives. */
static int keyed_cmp(const void *p, const void *q)
{
    const az_keyed *a = p, *b = q;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->aux > b->aux) - (a->aux < b->aux);
}

static int keyed_doc_cmp(const void *p, const void *q)
{
    const az_keyed *a = p, *b = q;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    if (a->doc != b->doc)
        return a->doc < b->doc ? -1 : 1;
    return (a->aux > b->aux) - (a->aux < b->aux);
}

static void test_sorts(void)
{
    static const uint64_t masks[] = {UINT64_MAX, 0xFFFFF, 0x000FFFFF000FFFFFull, 0};
    uint64_t seed = 12345;
    for (size_t m = 0; m < sizeof(masks) / sizeof(*masks); m++)
        for (size_t n = 0; n <= 5000; n = n * 3 + 1) {
            uint64_t *v = malloc((n + 1) * sizeof(*v)), *w = malloc((n + 1) * sizeof(*w));
            for (size_t i = 0; i < n; i++) {
                seed = seed * 6364136223846793005ull + 1442695040888963407ull;
                v[i] = w[i] = (((seed >> 11) ^ (seed << 29)) & masks[m]) | (m == 3 ? 7 : 0);
            }
            az_sort_u64(v, n);
            qsort(w, n, sizeof(*w), u64_cmp);
            CHECK(n == 0 || memcmp(v, w, n * sizeof(*v)) == 0);
            az_keyed *k = malloc((n + 1) * sizeof(*k));
            for (size_t i = 0; i < n; i++)
                k[i] = (az_keyed){w[(i * 7919) % n] & 0xFF0F, (uint32_t)i, 0};
            CHECK(az_sort_keyed(k, n, AZ_SORT_KEY) == AZ_OK);
            for (size_t i = 1; i < n; i++)
                CHECK(k[i - 1].key < k[i].key ||
                      (k[i - 1].key == k[i].key && k[i - 1].doc < k[i].doc));
            free(k);
            free(v);
            free(w);
        }
    /* Either side of the switch from 8 to 16 bits a pass: stable, by
     * (key, doc) or by key alone, as a comparison sort on (key, doc, input
     * position) has it. */
    for (size_t n2 = 2; n2 < ((size_t)1 << 17); n2 = n2 * 5 + 3) {
        az_keyed *x = malloc(n2 * sizeof(*x)), *y = malloc(n2 * sizeof(*y));
        for (unsigned by = 1; by <= 3; by += 2) {
            for (size_t i = 0; i < n2; i++) {
                seed = seed * 6364136223846793005ull + 1442695040888963407ull;
                /* Two values a byte, each byte on its own bit: few
                 * distinct keys and docs, so that both tie, and every
                 * byte decides some order. */
                uint64_t key = 0;
                uint32_t doc = 0;
                for (unsigned b = 0; b < 8; b++)
                    key |= (uint64_t)(seed >> (40 + b) & 1 ? 0x80 | b : b) << (8 * b);
                for (unsigned b = 0; b < 4; b++)
                    doc |= (uint32_t)(seed >> (50 + b) & 1 ? 0x80 | b : b) << (8 * b);
                x[i] = y[i] = (az_keyed){key, doc, (uint32_t)i};
            }
            CHECK(az_sort_keyed(x, n2, by) == AZ_OK);
            qsort(y, n2, sizeof(*y), by & AZ_SORT_DOC ? keyed_doc_cmp : keyed_cmp);
            CHECK(memcmp(x, y, n2 * sizeof(*x)) == 0);
        }
        free(x);
        free(y);
    }
    /* Shared among threads (above its size floor), the same records in
     * the same order as on one. */
    size_t n = ((size_t)1 << 17) + 777;
    az_keyed *a = malloc(n * sizeof(*a)), *b = malloc(n * sizeof(*b));
    for (size_t i = 0; i < n; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        a[i] = b[i] = (az_keyed){(seed >> 20) & 0xFFFFFF00FFFFull, (uint32_t)(seed >> 40), (uint32_t)i};
    }
    for (unsigned by = 1; by <= 3; by += 2) {
        CHECK(az_sort_keyed_par(a, n, by, 3) == AZ_OK);
        CHECK(az_sort_keyed(b, n, by) == AZ_OK);
        CHECK(memcmp(a, b, n * sizeof(*a)) == 0);
    }
    free(a);
    free(b);
}

/* Shared distinct shingles by hash table, against counting by hand:
 * repeats, the value 0 (the table's empty mark) and sets of unequal
 * sizes, either way round. */
static void test_shared_shingles(void)
{
    uint64_t seed = 99;
    for (size_t na = 1; na < 1500; na = na * 3 + 3)
        for (size_t nb = 1; nb < 1500; nb = nb * 4 + 1) {
            az_shingles a = AZ_SHINGLES_INIT, b = AZ_SHINGLES_INIT;
            a.seq = malloc(na * sizeof(*a.seq));
            b.seq = malloc(nb * sizeof(*b.seq));
            a.nseq = a.scap = na;
            b.nseq = b.scap = nb;
            for (size_t i = 0; i < na + nb; i++) {
                seed = seed * 6364136223846793005ull + 1442695040888963407ull;
                uint64_t v = (seed >> 33) % 700; /* small: many repeats and collisions */
                v = v == 5 ? 0 : v * 0x9E3779B97F4A7C15ull;
                if (i < na)
                    a.seq[i] = v;
                else
                    b.seq[i - na] = v;
            }
            CHECK(az_shingles_set(&a) == AZ_OK && az_shingles_set(&b) == AZ_OK);
            size_t want = 0, da = 0;
            for (size_t i = 0; i < na; i++) {
                bool first = true, inb = false;
                for (size_t j = 0; j < i && first; j++)
                    first = a.seq[j] != a.seq[i];
                for (size_t j = 0; j < nb && first && !inb; j++)
                    inb = b.seq[j] == a.seq[i];
                da += first;
                want += first && inb;
            }
            CHECK_INT(a.nset, da);
            CHECK_INT(az_shingles_shared(&a, &b), want);
            CHECK_INT(az_shingles_shared(&b, &a), want);
            az_shingles_free(&a);
            az_shingles_free(&b);
        }
}

/* Winnowing against its definition, window by window: random values from
 * a few (ties everywhere) to any, near the top of the range too, windows
 * longer and shorter than the input. */
static void test_winnow(void)
{
    uint64_t seed = 77;
    for (int it = 0; it < 20000; it++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        size_t n = 1 + (size_t)(seed >> 40) % 70;
        unsigned w = 1 + (unsigned)(seed >> 20) % 40, range = 1 + (unsigned)(seed >> 30) % 8;
        uint64_t v[70], got[70], want[70];
        for (size_t i = 0; i < n; i++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            v[i] = range == 8 ? seed : (seed >> 33) % range + (range == 7 ? UINT64_MAX - 9 : 0);
        }
        size_t win = n < w ? n : w, nwant = 0, last = SIZE_MAX;
        for (size_t s = 0; s + win <= n; s++) {
            size_t m = s;
            for (size_t i = s; i < s + win; i++)
                if (v[i] <= v[m])
                    m = i;
            if (m != last)
                want[nwant++] = v[m];
            last = m;
        }
        memcpy(got, v, n * sizeof(*v));
        size_t ngot = az_winnow(got, n, w);
        CHECK_INT(ngot, nwant);
        CHECK(ngot == nwant && memcmp(got, want, ngot * sizeof(*got)) == 0);
    }
}

/* The hash of the one token of a 1-shingle at token index i of text. */
static uint64_t token_shingle(const char *text, size_t i)
{
    az_shingles sh = AZ_SHINGLES_INIT;
    CHECK(az_shingle(&sh, text, strlen(text), 1, 7) == AZ_OK);
    CHECK(i < sh.nseq);
    uint64_t h = i < sh.nseq ? sh.seq[i] : 0;
    az_shingles_free(&sh);
    return h;
}

/* Tokens of up to 16 bytes are hashed from 16 bytes read at their start
 * and cut to their length (shingle.c): a token's hash must not depend on
 * what follows it, whether the text ends there, the case of its letters
 * or the path (ASCII or folded) that hashed it, and tokens that differ
 * only past their 16th byte or in length must differ. */
static void test_token_hash(void)
{
    static const char *const words[] = {
        "a", "ab", "abc", "wire", "troops", "agency", "ceasefire",
        "negotiations", "internationally", "counterinsurgency", /* 16 */
        "counterinsurgencyx", "abcdefghijklmnopqrstuvwxyz0123456789"};
    for (size_t k = 0; k < sizeof(words) / sizeof(*words); k++) {
        const char *w = words[k];
        char buf[256], up[64];
        size_t n = strlen(w);
        memcpy(up, w, n + 1);
        for (size_t i = 0; i < n; i++)
            if (up[i] >= 'a' && up[i] <= 'z')
                up[i] = (char)(up[i] - 32);
        uint64_t alone = token_shingle(w, 0);
        snprintf(buf, sizeof buf, "%s zzzzzzzzzzzzzzzzzzzzzzzzzzzz", w);
        CHECK(token_shingle(buf, 0) == alone);
        snprintf(buf, sizeof buf, "x %s", w);
        CHECK(token_shingle(buf, 1) == alone);
        snprintf(buf, sizeof buf, "%s, qqqqqqqqqqqqqqqq", up);
        CHECK(token_shingle(buf, 0) == alone);
        /* A non-ASCII word elsewhere takes the text through the folded
         * path, token by token. */
        snprintf(buf, sizeof buf, "caf\xc3\xa9 %s", w);
        CHECK(token_shingle(buf, 1) == alone);
        for (size_t j = 0; j < k; j++)
            CHECK(token_shingle(words[j], 0) != alone);
    }
    /* A folded token hashes as its folded form does. */
    CHECK(token_shingle("caf\xc3\xa9", 0) == token_shingle("cafe", 0));
    /* The same letters at every length from 1 to 40: all distinct. */
    uint64_t seen[40];
    char run[41];
    for (size_t n = 1; n <= 40; n++) {
        memset(run, 'e', n);
        run[n] = '\0';
        seen[n - 1] = token_shingle(run, 0);
        for (size_t j = 0; j + 1 < n; j++)
            CHECK(seen[j] != seen[n - 1]);
    }
}

static az_corpus *corpus_of(az_ctx *ctx, const char *dir, int streaming)
{
    az_corpus *c;
    CHECK(az_corpus_new(&c, ctx) == AZ_OK);
    az_corpus_set_streaming(c, streaming);
    CHECK(az_corpus_add_path(c, dir) == AZ_OK);
    CHECK(az_corpus_finish(c) == AZ_OK);
    return c;
}

/* A streamed document read again is the document as cleaned and kept:
 * the same text and the same paragraphs, whether it was cleaned again
 * (HTML) or rebuilt from its paragraphs' places in the input (plain
 * text), boilerplate dropped either way. */
static void test_reload_equals_kept(const char *dir)
{
    az_options o;
    az_options_init(&o);
    o.threads = 1;
    az_ctx *ctx;
    CHECK(az_ctx_new(&ctx, &o) == AZ_OK);
    az_corpus *kept = corpus_of(ctx, dir, 0), *streamed = corpus_of(ctx, dir, 1);
    CHECK_INT(az_corpus_count(kept), az_corpus_count(streamed));
    size_t replayed = 0, recleaned = 0, dropped = 0;
    for (size_t i = 0; i < az_corpus_count(streamed); i++) {
        const az_doc *k = az_corpus_doc(kept, i), *s = az_corpus_doc(streamed, i);
        CHECK_STR(az_doc_id(k), az_doc_id(s));
        if (!s->streamed)
            continue;
        replayed += s->boffs != NULL;
        recleaned += s->boffs == NULL;
        dropped += s->boffs && s->ndropped;
        az_doc v;
        CHECK(az_corpus_load(streamed, ctx, i, &v) == AZ_OK);
        CHECK_INT(v.x.text.len, k->x.text.len);
        CHECK(v.x.text.len == k->x.text.len &&
              memcmp(v.x.text.ptr, k->x.text.ptr, v.x.text.len) == 0);
        CHECK_INT(v.x.npara, k->x.npara);
        for (size_t p = 0; p < v.x.npara && p < k->x.npara; p++) {
            CHECK_INT(v.x.paras[p].off, k->x.paras[p].off);
            CHECK_INT(v.x.paras[p].len, k->x.paras[p].len);
            CHECK_INT(v.x.paras[p].src_off, k->x.paras[p].src_off);
            CHECK_INT(v.x.paras[p].line, k->x.paras[p].line);
        }
        CHECK_INT(v.x.versions, k->x.versions);
        CHECK(memcmp(v.x.stats, k->x.stats, sizeof(v.x.stats)) == 0);
        az_doc_unload(&v);
    }
    CHECK(replayed > 10);
    CHECK(recleaned > 0); /* the HTML pages */
    CHECK(dropped > 0);   /* the Lanmoor Courier's footer */
    az_corpus_free(kept);
    az_corpus_free(streamed);
    az_ctx_free(ctx);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        test_known_answers(argv[1]);
    else
        CHECK(!"usage: test_dups tests/data/minhash-vectors.txt");
    test_estimator_interval(AZ_MINHASH_OPH);
    test_estimator_interval(AZ_MINHASH_KPERM);
    test_oph_probe_cache();
    test_s_curve();
    test_beta_quantile();
    test_pipeline();
    test_identical_bucket();
    test_sorts();
    test_shared_shingles();
    test_token_hash();
    test_winnow();
    if (argc > 2) {
        test_streaming_and_threads(argv[2]);
        test_reload_equals_kept(argv[2]);
    }
    return check_exit();
}
