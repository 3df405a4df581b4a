/*
 * check.c - the CI gate: findings about new articles (group 1 of the
 * corpus) against the corpus they join (group 0), and their formats.
 *
 * The check runs the same analyses as the report and keeps what concerns a
 * new article:
 *
 *   error    uncredited-copy      a new article substantially copies an
 *                                 existing one and names no credit
 *   warning  user-generated       its source is a user post
 *            unverified-claim     it says its own claims are unverified
 *            contradicted-figure  a figure it states contradicts the corpus
 *   notice   credited-copy        it copies an existing one with credit
 *            figure-changed       a figure differs from an older report
 *            missing-metadata     no outlet or no publication date
 *
 * Findings are ordered by document, line, column and rule, so the output
 * is the same for the same inputs.
 */
#include "az_priv.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct az_findings {
    az_finding *v;
    size_t n, cap;
    az_arena arena;
};

static const struct {
    const char *rule;
    az_level level;
    const char *what;
} rules[] = {
    {"uncredited-copy", AZ_LEVEL_ERROR,
     "The article copies an existing article and names no credit"},
    {"user-generated", AZ_LEVEL_WARNING,
     "The article is user-generated content, not reviewed by an editor"},
    {"unverified-claim", AZ_LEVEL_WARNING,
     "The article says its claims could not be verified"},
    {"contradicted-figure", AZ_LEVEL_WARNING,
     "A figure contradicts what independent reports in the corpus say"},
    {"credited-copy", AZ_LEVEL_NOTICE,
     "The article carries an existing article's text with credit"},
    {"figure-changed", AZ_LEVEL_NOTICE,
     "A figure differs from an older report: a change over time"},
    {"missing-metadata", AZ_LEVEL_NOTICE,
     "The article has no outlet or no publication date"},
};

const char *az_level_name(az_level l)
{
    return l == AZ_LEVEL_ERROR ? "error" : l == AZ_LEVEL_WARNING ? "warning" : "notice";
}

static az_level level_of(const char *rule)
{
    for (size_t k = 0; k < sizeof(rules) / sizeof(*rules); k++)
        if (strcmp(rules[k].rule, rule) == 0)
            return rules[k].level;
    return AZ_LEVEL_NOTICE;
}

static az_status add(az_findings *f, const char *rule, const az_doc *d,
                     size_t doc, size_t text_off, size_t other,
                     const char *message)
{
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 16;
        az_finding *v = realloc(f->v, f->cap * sizeof(*v));
        if (!v)
            return AZ_ENOMEM;
        f->v = v;
    }
    az_finding x = {rule, level_of(rule), doc, 1, 1, other,
                    az_arena_strdup(&f->arena, message)};
    if (!x.message)
        return AZ_ENOMEM;
    if (text_off != SIZE_MAX)
        az_doc_locate(d, text_off, &x.line, &x.col);
    f->v[f->n++] = x;
    return AZ_OK;
}

static bool is_new(const az_corpus *c, size_t i)
{
    return az_doc_group(az_corpus_doc(c, i)) == 1;
}

/* Copies between a new article and an existing one. */
static az_status copies(az_findings *f, const az_corpus *c, const az_dups *d)
{
    const az_options *o = az_ctx_options(az_corpus_ctx((az_corpus *)c));
    for (size_t i = 0; i < az_dups_pair_count(d); i++) {
        const az_pair *p = az_dups_pair(d, i);
        bool na = is_new(c, p->a), nb = is_new(c, p->b);
        if (na == nb)
            continue;
        size_t nw = na ? p->a : p->b, old = na ? p->b : p->a;
        /* the new article is the source: nothing to say about it */
        if ((p->dir == AZ_COPY_A_TO_B && nw == p->a) || (p->dir == AZ_COPY_B_TO_A && nw == p->b))
            continue;
        double c_new = na ? p->contain_ab : p->contain_ba;
        bool substantial = p->exact_jaccard >= o->pair_jaccard ||
                           p->contain_ab >= o->pair_containment ||
                           p->contain_ba >= o->pair_containment;
        if (!substantial)
            continue;
        /* One finding per copy cluster: the existing article this one
         * shares most with (a wire story and its reprints are one source). */
        bool better = false;
        for (size_t q = 0; q < az_dups_pair_count(d) && !better; q++) {
            const az_pair *r = az_dups_pair(d, q);
            if (q == i || (r->a != nw && r->b != nw))
                continue;
            size_t other = r->a == nw ? r->b : r->a;
            double c_other = r->a == nw ? r->contain_ab : r->contain_ba;
            size_t cl = az_dups_doc_cluster(d, old);
            if (is_new(c, other) || az_dups_doc_cluster(d, other) != cl)
                continue;
            /* ties go to the cluster's origin, then to id order */
            size_t origin = az_dups_cluster(d, cl)->origin;
            better = c_other > c_new ||
                     (c_other == c_new && (other == origin ||
                                           (old != origin && other < old)));
        }
        if (better)
            continue;
        int credited = p->credited;
        const char *credit = p->credit;
        if (credited < 0) {
            /* No direction from the dates: judge the new article's credit
             * to the existing one's outlet or to an agency. */
            const az_doc *dn = az_corpus_doc(c, nw);
            size_t len;
            const char *t = az_doc_text(dn, &len);
            const char *outlet = az_doc_meta(az_corpus_doc(c, old), AZ_META_OUTLET)->value;
            const char *what = NULL;
            credited = az_credit_find(t, len, outlet, &what);
            credit = what;
        }
        char msg[512];
        const az_doc *e = az_corpus_doc(c, old);
        snprintf(msg, sizeof(msg), "%s %s (%.0f%% of this article, Jaccard %.2f)%s%s",
                 credited ? "carries the text of" : "copies", az_doc_id(e),
                 100 * c_new, p->exact_jaccard, credited ? ", credited: " : " without credit",
                 credited && credit ? credit : "");
        size_t at = p->npassages ? (na ? p->passages[0].a_off : p->passages[0].b_off) : 0;
        az_status st = add(f, credited ? "credited-copy" : "uncredited-copy",
                           az_corpus_doc(c, nw), nw, at, old, msg);
        if (st != AZ_OK)
            return st;
    }
    return AZ_OK;
}

/* User-generated or self-declared unverified sourcing. */
static az_status sourcing(az_findings *f, const az_corpus *c, const az_assessment *a)
{
    for (size_t i = 0; i < az_corpus_count(c); i++) {
        if (!is_new(c, i))
            continue;
        const az_doc_signals *s = az_assess_doc(a, i);
        bool ugc = false, unverified = false;
        for (size_t k = 0; k < s->n; k++) {
            const az_signal *g = &s->v[k];
            const char *rule = NULL;
            if (!ugc && (strcmp(g->code, "ugc-unverified") == 0 || strcmp(g->code, "ugc-platform") == 0))
                rule = "user-generated", ugc = true;
            else if (!unverified && strcmp(g->code, "unverified-claim") == 0)
                rule = "unverified-claim", unverified = true;
            if (!rule)
                continue;
            char msg[256];
            snprintf(msg, sizeof(msg), "%s: \"%s\"", strcmp(rule, "user-generated") == 0
                     ? "user-generated or unverified source" : "claims not verified",
                     g->text);
            if (add(f, rule, az_corpus_doc(c, i), i, SIZE_MAX, SIZE_MAX, msg) != AZ_OK)
                return AZ_ENOMEM;
            f->v[f->n - 1].line = g->line ? g->line : 1;
        }
    }
    return AZ_OK;
}

/* Figures of a new article in a conflict with an existing article's. */
static az_status figures(az_findings *f, const az_corpus *c, const az_claims *cl,
                         const az_conflicts *k)
{
    for (size_t i = 0; i < az_conflicts_count(k); i++) {
        const az_conflict *x = az_conflicts_get(k, i);
        for (size_t j = 0; j < x->nclaims; j++) {
            const az_claim *mine = az_claims_get(cl, x->claims[j]);
            if (!is_new(c, mine->doc))
                continue;
            /* the existing claim farthest from this one */
            const az_claim *theirs = NULL;
            double best = -1;
            for (size_t q = 0; q < x->nclaims; q++) {
                const az_claim *o = az_claims_get(cl, x->claims[q]);
                if (is_new(c, o->doc))
                    continue;
                double g = fabs(log(o->value > 0 ? o->value : 1) - log(mine->value > 0 ? mine->value : 1));
                if (g > best)
                    best = g, theirs = o;
            }
            if (!theirs)
                continue;
            const az_doc *dm = az_corpus_doc(c, mine->doc), *dt = az_corpus_doc(c, theirs->doc);
            char msg[512];
            snprintf(msg, sizeof(msg), "%s: \"%.*s\" here, \"%.*s\" in %s (%s)",
                     x->quantity, (int)(mine->len > 80 ? 80 : mine->len),
                     az_doc_text(dm, NULL) + mine->off, (int)(theirs->len > 80 ? 80 : theirs->len),
                     az_doc_text(dt, NULL) + theirs->off, az_doc_id(dt),
                     az_doc_meta(dt, AZ_META_PUBLISHED)->value ? az_doc_meta(dt, AZ_META_PUBLISHED)->value : "undated");
            if (add(f, x->over_time ? "figure-changed" : "contradicted-figure", dm,
                    mine->doc, mine->off, theirs->doc, msg) != AZ_OK)
                return AZ_ENOMEM;
        }
    }
    return AZ_OK;
}

static az_status metadata(az_findings *f, const az_corpus *c)
{
    for (size_t i = 0; i < az_corpus_count(c); i++) {
        const az_doc *d = az_corpus_doc(c, i);
        if (!is_new(c, i))
            continue;
        const char *missing = !az_doc_meta(d, AZ_META_OUTLET)->value ? "outlet"
                              : !az_doc_meta(d, AZ_META_PUBLISHED)->value ? "publication date"
                                                                        : NULL;
        if (!missing)
            continue;
        char msg[128];
        snprintf(msg, sizeof(msg), "no %s (add it to manifest.jsonl)", missing);
        if (add(f, "missing-metadata", d, i, SIZE_MAX, SIZE_MAX, msg) != AZ_OK)
            return AZ_ENOMEM;
    }
    return AZ_OK;
}

static int finding_cmp(const void *x, const void *y)
{
    const az_finding *a = x, *b = y;
    if (a->doc != b->doc)
        return a->doc < b->doc ? -1 : 1;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->col != b->col)
        return a->col < b->col ? -1 : 1;
    int r = strcmp(a->rule, b->rule);
    return r ? r : strcmp(a->message, b->message);
}

az_status az_check_run(az_findings **out, az_corpus *corpus)
{
    *out = NULL;
    az_findings *f = calloc(1, sizeof(*f));
    if (!f)
        return AZ_ENOMEM;
    az_dups *d = NULL;
    az_claims *cl = NULL;
    az_conflicts *k = NULL;
    az_assessment *a = NULL;
    const az_options *o = az_ctx_options(az_corpus_ctx(corpus));
    az_status st = az_dups_run(&d, corpus);
    if (st == AZ_OK)
        st = az_claims_run(&cl, corpus);
    if (st == AZ_OK)
        st = az_conflicts_run(&k, cl, d, corpus);
    if (st == AZ_OK)
        st = az_assess_run(&a, corpus, cl, k, o->outlet_priors);
    if (st == AZ_OK)
        st = copies(f, corpus, d);
    if (st == AZ_OK)
        st = sourcing(f, corpus, a);
    if (st == AZ_OK)
        st = figures(f, corpus, cl, k);
    if (st == AZ_OK)
        st = metadata(f, corpus);
    az_assess_free(a);
    az_conflicts_free(k);
    az_claims_free(cl);
    az_dups_free(d);
    if (st != AZ_OK) {
        az_findings_free(f);
        return st;
    }
    if (f->n > 1)
        qsort(f->v, f->n, sizeof(*f->v), finding_cmp);
    *out = f;
    return AZ_OK;
}

void az_findings_free(az_findings *f)
{
    if (!f)
        return;
    free(f->v);
    az_arena_free(&f->arena);
    free(f);
}

size_t az_findings_count(const az_findings *f)
{
    return f->n;
}

const az_finding *az_findings_get(const az_findings *f, size_t i)
{
    return i < f->n ? &f->v[i] : NULL;
}

/* ---- formats ---- */

/* GitHub workflow commands: %, CR, LF escaped in messages; also , and :
 * in properties. */
static az_status put_gh(az_buf *b, const char *s, bool property)
{
    for (; *s; s++) {
        const char *e = NULL;
        switch (*s) {
        case '%': e = "%25"; break;
        case '\r': e = "%0D"; break;
        case '\n': e = "%0A"; break;
        case ',': e = property ? "%2C" : NULL; break;
        case ':': e = property ? "%3A" : NULL; break;
        }
        if ((e ? az_buf_puts(b, e) : az_buf_putc(b, *s)) != AZ_OK)
            return AZ_ENOMEM;
    }
    return AZ_OK;
}

static cJSON *sarif(const az_findings *f, const az_corpus *c)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    cJSON_AddStringToObject(root, "version", "2.1.0");
    cJSON *run = cJSON_CreateObject();
    cJSON_AddItemToArray(cJSON_AddArrayToObject(root, "runs"), run);
    cJSON *driver = cJSON_AddObjectToObject(cJSON_AddObjectToObject(run, "tool"), "driver");
    cJSON_AddStringToObject(driver, "name", "analyzer");
    cJSON_AddStringToObject(driver, "version", AZ_VERSION);
    cJSON *rs = cJSON_AddArrayToObject(driver, "rules");
    for (size_t k = 0; k < sizeof(rules) / sizeof(*rules); k++) {
        cJSON *r = cJSON_CreateObject();
        cJSON_AddStringToObject(r, "id", rules[k].rule);
        cJSON_AddStringToObject(cJSON_AddObjectToObject(r, "shortDescription"), "text", rules[k].what);
        cJSON_AddStringToObject(cJSON_AddObjectToObject(r, "defaultConfiguration"), "level",
                                rules[k].level == AZ_LEVEL_NOTICE ? "note" : az_level_name(rules[k].level));
        cJSON_AddItemToArray(rs, r);
    }
    cJSON *results = cJSON_AddArrayToObject(run, "results");
    for (size_t i = 0; i < f->n; i++) {
        const az_finding *x = &f->v[i];
        cJSON *r = cJSON_CreateObject();
        cJSON_AddStringToObject(r, "ruleId", x->rule);
        cJSON_AddStringToObject(r, "level", x->level == AZ_LEVEL_NOTICE ? "note" : az_level_name(x->level));
        cJSON_AddStringToObject(cJSON_AddObjectToObject(r, "message"), "text", x->message);
        cJSON *loc = cJSON_CreateObject();
        cJSON_AddItemToArray(cJSON_AddArrayToObject(r, "locations"), loc);
        cJSON *phys = cJSON_AddObjectToObject(loc, "physicalLocation");
        cJSON_AddStringToObject(cJSON_AddObjectToObject(phys, "artifactLocation"), "uri",
                                az_doc_path(az_corpus_doc(c, x->doc)));
        cJSON *region = cJSON_AddObjectToObject(phys, "region");
        cJSON_AddNumberToObject(region, "startLine", x->line);
        cJSON_AddNumberToObject(region, "startColumn", x->col);
        if (x->other != SIZE_MAX) {
            cJSON *rel = cJSON_CreateObject();
            cJSON_AddItemToArray(cJSON_AddArrayToObject(r, "relatedLocations"), rel);
            cJSON_AddNumberToObject(rel, "id", 1);
            cJSON_AddStringToObject(cJSON_AddObjectToObject(cJSON_AddObjectToObject(rel, "physicalLocation"),
                                                            "artifactLocation"),
                                    "uri", az_doc_path(az_corpus_doc(c, x->other)));
        }
        cJSON_AddItemToArray(results, r);
    }
    return root;
}

az_status az_findings_format(char **out, const az_findings *f,
                             const az_corpus *c, az_check_format format)
{
    *out = NULL;
    if (format == AZ_CHECK_SARIF || format == AZ_CHECK_JSON) {
        cJSON *root;
        if (format == AZ_CHECK_SARIF) {
            root = sarif(f, c);
        } else {
            root = cJSON_CreateArray();
            for (size_t i = 0; i < f->n; i++) {
                const az_finding *x = &f->v[i];
                cJSON *o = cJSON_CreateObject();
                cJSON_AddStringToObject(o, "rule", x->rule);
                cJSON_AddStringToObject(o, "level", az_level_name(x->level));
                cJSON_AddStringToObject(o, "file", az_doc_path(az_corpus_doc(c, x->doc)));
                cJSON_AddStringToObject(o, "doc", az_doc_id(az_corpus_doc(c, x->doc)));
                cJSON_AddNumberToObject(o, "line", x->line);
                cJSON_AddNumberToObject(o, "column", x->col);
                if (x->other != SIZE_MAX)
                    cJSON_AddStringToObject(o, "related", az_doc_id(az_corpus_doc(c, x->other)));
                else
                    cJSON_AddNullToObject(o, "related");
                cJSON_AddStringToObject(o, "message", x->message);
                cJSON_AddItemToArray(root, o);
            }
        }
        return az_json_document(out, root);
    }
    az_buf b = AZ_BUF_INIT;
    az_status st = AZ_OK;
    for (size_t i = 0; st == AZ_OK && i < f->n; i++) {
        const az_finding *x = &f->v[i];
        const char *path = az_doc_path(az_corpus_doc(c, x->doc));
        if (format == AZ_CHECK_GITHUB) {
            st = az_buf_printf(&b, "::%s file=", x->level == AZ_LEVEL_ERROR ? "error"
                               : x->level == AZ_LEVEL_WARNING ? "warning" : "notice");
            st = st ? st : put_gh(&b, path, true);
            st = st ? st : az_buf_printf(&b, ",line=%u,col=%u,title=", x->line, x->col);
            st = st ? st : put_gh(&b, x->rule, true);
            st = st ? st : az_buf_puts(&b, "::");
            st = st ? st : put_gh(&b, x->message, false);
            st = st ? st : az_buf_printf(&b, " [%s]\n", x->rule);
        } else {
            st = az_buf_printf(&b, "%s:%u:%u: %s: %s [%s]\n", path, x->line, x->col,
                               az_level_name(x->level), x->message, x->rule);
        }
    }
    if (st != AZ_OK) {
        az_buf_free(&b);
        return st;
    }
    *out = az_buf_detach(&b);
    return *out ? AZ_OK : AZ_ENOMEM;
}
