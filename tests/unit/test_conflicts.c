/* Conflicts: a change over time is not a contradiction, copies are one
 * voice, a vague floor does not contradict, the odd one out stands out. */
#include "az_priv.h"
#include "check.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct art {
    const char *id, *outlet, *date, *text;
} art;

/* Every text shares the story's entities (Korrin, Westmark, Harbour
 * Authority) so they are comparable. */
#define CTX "The Harbour Authority of Korrin in Westmark said so on the record. "

static az_corpus *corpus_of(az_ctx *ctx, const art *a, size_t n)
{
    az_corpus *c;
    CHECK(az_corpus_new(&c, ctx) == AZ_OK);
    for (size_t i = 0; i < n; i++)
        CHECK(az_corpus_add_memory(c, a[i].id, a[i].text, strlen(a[i].text),
                                   AZ_FORMAT_TEXT) == AZ_OK);
    CHECK(az_corpus_finish(c) == AZ_OK);
    for (size_t i = 0; i < n && i < az_corpus_count(c); i++) {
        az_doc *d = az_corpus_doc_mut(c, i);
        for (size_t k = 0; k < n; k++)
            if (strcmp(az_doc_id(d), a[k].id) == 0) {
                d->meta[AZ_META_OUTLET] = (az_meta){a[k].outlet, AZ_SRC_MANIFEST, NULL, 0};
                d->meta[AZ_META_PUBLISHED] = (az_meta){a[k].date, AZ_SRC_MANIFEST, NULL, 0};
            }
    }
    return c;
}

/* Everything one test case computes from its articles. */
typedef struct run_out {
    az_corpus *c;
    az_dups *d;
    az_claims *cl;
    az_conflicts *k;
} run_out;

static run_out run(az_ctx *ctx, const art *a, size_t n)
{
    run_out r = {corpus_of(ctx, a, n), NULL, NULL, NULL};
    CHECK(az_dups_run(&r.d, r.c) == AZ_OK);
    CHECK(az_claims_run(&r.cl, r.c) == AZ_OK);
    CHECK(az_conflicts_run(&r.k, r.cl, r.d, r.c) == AZ_OK);
    return r;
}

static void done(run_out *r)
{
    az_conflicts_free(r->k);
    az_claims_free(r->cl);
    az_dups_free(r->d);
    az_corpus_free(r->c);
}

static void test_over_time(az_ctx *ctx)
{
    const art a[] = {
        {"a", "Post", "2031-03-30", CTX "Westmark has massed some 40,000 troops near the border of Korrin.\n"},
        {"b", "Gazette", "2031-03-31", CTX "Officials say as many as 40,000 troops are near Korrin in Westmark.\n"},
        {"c", "Courier", "2033-01-21", CTX "Westmark now has 100,000 troops near its border with Korrin.\n"},
    };
    run_out r = run(ctx, a, 3);
    CHECK_INT(az_conflicts_count(r.k), 1);
    const az_conflict *x = az_conflicts_get(r.k, 0);
    if (x) {
        CHECK_STR(x->quantity, "troop");
        CHECK_INT(x->over_time, 1);
        /* the widest gap: 100,000 against "as many as 40,000" */
        CHECK(fabs(x->log_gap - log(100000.0 / 40000.0)) < 1e-9);
        CHECK_INT(x->nclaims, 3);
    }
    done(&r);
}

static void test_contradiction_and_floor(az_ctx *ctx)
{
    const art a[] = {
        {"a", "Post", "2031-04-14", CTX "Some 12,000 people were evacuated from the valley near Korrin.\n"},
        {"b", "Gazette", "2031-04-15", CTX "Nearly 30,000 people were evacuated from the valley near Korrin.\n"},
        {"c", "Courier", "2031-04-15", CTX "Thousands of people were evacuated from the valley near Korrin.\n"},
    };
    run_out r = run(ctx, a, 3);
    CHECK_INT(az_conflicts_count(r.k), 1);
    const az_conflict *x = az_conflicts_get(r.k, 0);
    if (x) {
        CHECK_STR(x->quantity, "people displaced");
        CHECK_INT(x->over_time, 0);
        /* "thousands" is a floor: consistent with both, so not involved */
        CHECK_INT(x->nclaims, 2);
    }
    done(&r);
}

/* Parts and increments are not totals: "three other dams", "another 40",
 * "carried by two firefighters" never contradict a total. */
static void test_parts_are_not_totals(az_ctx *ctx)
{
    const art a[] = {
        {"a", "Post", "2031-04-14", CTX "The valley has four large dams near Korrin. Officials deployed 420 firefighters.\n"},
        {"b", "Gazette", "2031-04-15", CTX "Engineers inspected three other large dams near Korrin.\n"},
        {"c", "Courier", "2031-04-15", CTX "A woman was carried out by two firefighters near Korrin.\n"},
        {"d", "Herald", "2031-04-15", CTX "Another 40 firefighters arrived near Korrin overnight.\n"},
    };
    run_out r = run(ctx, a, 4);
    CHECK(az_claims_count(r.cl) >= 5); /* the figures are still claims */
    CHECK_INT(az_conflicts_count(r.k), 0);
    done(&r);
}

/* Five reprints of one wire story are one voice: against two independent
 * reports of 100 they make no majority, and the odd one out is found by
 * its modified z-score among the three voices that remain. */
static void test_copies_once(az_ctx *ctx)
{
    static const char wire[] = CTX
        "Rescue teams from the coast guard searched the flooded lower town of "
        "Korrin through the night after the harbour wall gave way, and at least "
        "900 people were evacuated to the sports hall on the hill above the port, "
        "the council said in a statement on Tuesday morning.\n";
    const art a[] = {
        {"w1", "Wire", "2031-04-14", wire}, {"w2", "Post", "2031-04-14", wire},
        {"w3", "Gazette", "2031-04-14", wire}, {"w4", "Courier", "2031-04-14", wire},
        {"w5", "Herald", "2031-04-14", wire},
        {"x", "Eastwind", "2031-04-14", CTX "About 100 people were evacuated from Korrin, the Harbour Authority said.\n"},
        {"y", "Sentinel", "2031-04-15", CTX "Some 110 people were evacuated from Korrin, Westmark officials said.\n"},
        {"z", "Crest", "2031-04-15", CTX "About 105 people were evacuated from Korrin, the mayor of Westmark said.\n"},
    };
    run_out r = run(ctx, a, 8);
    CHECK_INT(az_dups_cluster_count(r.d), 1);
    CHECK_INT(az_conflicts_count(r.k), 1);
    const az_conflict *x = az_conflicts_get(r.k, 0);
    if (x) {
        /* one claim for the whole wire cluster, three independent ones */
        CHECK_INT(x->nclaims, 4);
        size_t outliers = 0, wire_outlier = 0;
        for (size_t i = 0; i < x->nclaims; i++) {
            const az_claim *cc = az_claims_get(r.cl, x->claims[i]);
            bool out = fabs(x->z[i]) > 3.5;
            outliers += out;
            wire_outlier += out && cc->value == 900;
        }
        CHECK_INT(outliers, 1);
        CHECK_INT(wire_outlier, 1);
    }
    done(&r);
}

/* A figure of zero has no place on the log scale: it must not turn every
 * outlet's truth-discovery weight into NaN. */
static void test_zero_figure(az_ctx *ctx)
{
    const art a[] = {
        {"a", "Post", "2031-04-14", CTX "Some 12,000 people were evacuated from the valley near Korrin.\n"},
        {"b", "Gazette", "2031-04-15", CTX "About 12,500 people were evacuated from the valley near Korrin.\n"},
        {"c", "Courier", "2031-04-15", CTX "0 people were evacuated from the valley near Korrin.\n"},
    };
    run_out r = run(ctx, a, 3);
    az_assessment *as;
    CHECK(az_assess_run(&as, r.c, r.cl, r.k, NULL) == AZ_OK);
    CHECK_INT(az_assess_outlet_count(as), 3);
    for (size_t i = 0; i < az_assess_outlet_count(as); i++) {
        const az_outlet_stats *o = az_assess_outlet(as, i);
        CHECK(isfinite(o->weight));
        if (strcmp(o->outlet, "Courier") == 0)
            CHECK_INT(o->disagree, 1); /* zero is far from 12,000 */
    }
    az_assess_free(as);
    done(&r);
}

/* The tally by ranges against the loop over every pair it replaces, on
 * random voices: undated ones, one document's several figures, open and
 * zero intervals, gaps right at the tolerance (40 against 50 is ln 1.25). */
static void test_tally_is_pairwise(void)
{
    static const double figures[] = {40, 50, 12, 12.5, 100, 1000, 0};
    uint64_t seed = 7;
    for (int round = 0; round < 300; round++) {
        size_t m = 1 + (size_t)(round % 60);
        az_span v[60];
        for (size_t i = 0; i < m; i++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            uint32_t r = (uint32_t)(seed >> 33);
            double f = figures[r % 7], lo = f > 0 ? log(f) : -INFINITY, hi = log(f);
            if ((r >> 3) % 5 == 0)
                hi = INFINITY; /* "at least" */
            else if ((r >> 3) % 5 == 1 && f > 0)
                lo = -INFINITY; /* "up to" */
            /* Documents of two voices now and then: same doc, same date. */
            size_t doc = i > 0 && (r >> 6) % 4 == 0 ? v[i - 1].doc : i;
            int days = doc != i ? v[i - 1].days
                       : (r >> 8) % 6 == 0 ? INT32_MIN : (int)((r >> 11) % 40);
            v[i] = (az_span){lo, hi, days, doc};
        }
        double tol = log1p(0.25), worst[2], want[2] = {0, 0};
        unsigned window = round % 3 == 0 ? 0 : 7;
        az_tally t[60], w[60];
        memset(w, 0, sizeof(w));
        CHECK(az_conflict_tally(v, m, tol, window, t, worst) == AZ_OK);
        for (size_t i = 0; i < m; i++)
            for (size_t j = 0; j < m; j++) {
                if (i == j || v[i].doc == v[j].doc)
                    continue;
                bool far = v[i].days != INT32_MIN && v[j].days != INT32_MIN &&
                           abs(v[i].days - v[j].days) > (int)window;
                /* gap() of the pairwise code, NaN quirks and all */
                double g1 = v[j].lo - v[i].hi, g2 = v[i].lo - v[j].hi;
                double g = g1 > g2 ? g1 : g2;
                g = g > 0 ? g : 0;
                if (!far && g > tol)
                    w[i].disagree++;
                else if (!far)
                    w[i].agree++;
                if (g > tol) {
                    if (far)
                        w[i].far = true;
                    else
                        w[i].near = true;
                    want[far] = g > want[far] ? g : want[far];
                }
            }
        for (size_t i = 0; i < m; i++) {
            CHECK_INT(t[i].agree, w[i].agree);
            CHECK_INT(t[i].disagree, w[i].disagree);
            CHECK_INT(t[i].near, w[i].near);
            CHECK_INT(t[i].far, w[i].far);
        }
        CHECK(worst[0] == want[0] && worst[1] == want[1]);
    }
}

int main(void)
{
    az_ctx *ctx;
    CHECK(az_ctx_new(&ctx, NULL) == AZ_OK);
    test_over_time(ctx);
    test_contradiction_and_floor(ctx);
    test_copies_once(ctx);
    test_parts_are_not_totals(ctx);
    test_zero_figure(ctx);
    test_tally_is_pairwise();
    az_ctx_free(ctx);
    return check_exit();
}
