/*
 * report.c - report.json, report.html and report.md for a finished corpus.
 *
 * report.json is built as a cJSON tree in the corpus order (documents by
 * id, errors by input and line), so the same inputs and options give the
 * same bytes. The HTML page is self-contained (inline CSS, no script, no
 * network) and escapes every string that came from the corpus. Each file
 * is written to a temporary name in the target directory and renamed over
 * the old one, so a reader never sees half a report.
 *
 * The schema is documented in docs/report-schema.md.
 */
#include "az_priv.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The analyses a report shows, run once for all its formats. */
typedef struct analyses {
    az_dups *dups;
    az_claims *claims;
    az_conflicts *conflicts;
    az_assessment *assess;
} analyses;

static const char *const meta_names[AZ_META_COUNT] = {
    [AZ_META_OUTLET] = "outlet", [AZ_META_URL] = "url",
    [AZ_META_PUBLISHED] = "published", [AZ_META_TITLE] = "title",
    [AZ_META_AUTHOR] = "author",
};

static const char *source_name(az_meta_source s)
{
    switch (s) {
    case AZ_SRC_MANIFEST: return "manifest";
    case AZ_SRC_RECORD: return "record";
    case AZ_SRC_INFERRED: return "inferred";
    case AZ_SRC_NONE: break;
    }
    return "none";
}

/* ---- numbers ----
 *
 * cJSON 1.7.15 prints every number, integers too, with "%1.15g" and then
 * reads it back with sscanf to check it: some 4,000 instructions a number,
 * a fifth of `dups` on copy-dense input and the bulk of writing its
 * pairs. An integer below 10^15 prints under "%1.15g" as its decimal
 * digits, which these write themselves, as a raw item: the same bytes.
 * Other numbers (fractions, -0, huge values) go to cJSON as before. */

static cJSON *json_num(double v)
{
    if (!(fabs(v) < 1e15) || v != floor(v) || (v == 0 && signbit(v)))
        return cJSON_CreateNumber(v);
    char buf[24], *p = buf + sizeof(buf);
    uint64_t u = (uint64_t)fabs(v);
    *--p = '\0';
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    return cJSON_CreateRaw(p);
}

static cJSON *add_num(cJSON *o, const char *key, double v)
{
    cJSON *n = json_num(v);
    if (n && !cJSON_AddItemToObject(o, key, n)) {
        cJSON_Delete(n);
        n = NULL;
    }
    return n;
}

static cJSON *json_nums(const double *v, int count)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; a && i < count; i++)
        cJSON_AddItemToArray(a, json_num(v[i]));
    return a;
}

/* ---- report.json ---- */

static void add_string_or_null(cJSON *o, const char *key, const char *v)
{
    if (v)
        cJSON_AddStringToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

static cJSON *json_params(const az_options *o)
{
    cJSON *p = cJSON_CreateObject();
    add_num(p, "max_doc_bytes", (double)o->max_doc_bytes);
    add_num(p, "boilerplate_min_docs", o->boilerplate_min_docs);
    add_num(p, "boilerplate_min_bytes", o->boilerplate_min_bytes);
    add_num(p, "shingle_size", o->shingle_size);
    add_num(p, "minhash_perms", o->minhash_perms);
    cJSON_AddStringToObject(p, "minhash", o->minhash_kind == AZ_MINHASH_KPERM ? "kperm" : "oph");
    /* A 64-bit seed does not fit a JSON number exactly: write it in hex. */
    char seed[24];
    snprintf(seed, sizeof(seed), "0x%016llx", (unsigned long long)o->seed);
    cJSON_AddStringToObject(p, "seed", seed);
    add_num(p, "lsh_threshold", o->lsh_threshold);
    add_num(p, "lsh_fp_weight", o->lsh_fp_weight);
    add_num(p, "lsh_bucket_cap", o->lsh_bucket_cap);
    add_num(p, "pair_jaccard", o->pair_jaccard);
    add_num(p, "pair_containment", o->pair_containment);
    add_num(p, "passage_min_tokens", o->passage_min_tokens);
    add_num(p, "passage_gap", o->passage_gap);
    add_num(p, "pair_passage_tokens", o->pair_passage_tokens);
    add_num(p, "winnow_window", o->winnow_window);
    cJSON_AddBoolToObject(p, "claims_all", o->claims_all != 0);
    add_num(p, "conflict_tau", o->conflict_tau);
    add_num(p, "event_window_days", o->event_window_days);
    add_string_or_null(p, "outlet_priors", o->outlet_priors);
    return p;
}

static cJSON *json_document(const az_doc *d)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", d->id);
    cJSON_AddStringToObject(o, "path", d->path);
    if (d->from_record)
        add_num(o, "line", d->line);
    cJSON_AddStringToObject(o, "format",
                            d->format == AZ_FORMAT_HTML ? "html" : "text");
    cJSON *src = cJSON_CreateObject();
    for (int k = 0; k < AZ_META_COUNT; k++) {
        const az_meta *m = &d->meta[k];
        if (!m->value) {
            cJSON_AddNullToObject(o, meta_names[k]);
            continue;
        }
        cJSON_AddStringToObject(o, meta_names[k], m->value);
        cJSON *s = cJSON_AddObjectToObject(src, meta_names[k]);
        cJSON_AddStringToObject(s, "source", source_name(m->source));
        if (m->source == AZ_SRC_INFERRED) {
            cJSON_AddStringToObject(s, "rule", m->how ? m->how : "");
            if (m->line)
                add_num(s, "line", m->line);
        }
    }
    cJSON_AddItemToObject(o, "metadata_sources", src);
    add_num(o, "words", (double)az_doc_words(d));
    add_num(o, "paragraphs", (double)d->x.npara);
    add_num(o, "bytes", (double)d->raw_len);
    add_num(o, "versions", d->x.versions);
    cJSON *cl = cJSON_AddArrayToObject(o, "cleaning");
    for (size_t i = 0; i < d->ncleaning; i++) {
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "rule", d->cleaning[i].rule);
        add_num(c, "items", d->cleaning[i].items);
        add_num(c, "bytes", (double)d->cleaning[i].bytes);
        cJSON_AddItemToArray(cl, c);
    }
    return o;
}

/* Append `o` (deleted here) to b as one line of JSON Lines, printed
 * straight into b: a string of its own for every row, grown by
 * reallocation, had glibc consolidating its free lists at each row, and
 * writing a million articles' pairs took 5 to 14 s. cJSON asks for 5
 * bytes more than it writes. */
static az_status jsonl_line(az_buf *b, cJSON *o)
{
    az_status st = o ? AZ_OK : AZ_ENOMEM;
    for (size_t room = 1024; st == AZ_OK; room *= 2) {
        if (room > INT_MAX / 2) {
            st = AZ_ENOMEM;
            break;
        }
        if ((st = az_buf_grow(b, room)) != AZ_OK)
            break;
        size_t avail = b->cap - b->len;
        if (cJSON_PrintPreallocated(o, b->ptr + b->len,
                                    avail > INT_MAX ? INT_MAX : (int)avail, false)) {
            b->len += strlen(b->ptr + b->len);
            st = az_buf_putc(b, '\n');
            break;
        }
    }
    cJSON_Delete(o);
    return st;
}

/* Hand a finished JSON Lines buffer to the caller, or free it on error. */
static az_status jsonl_done(char **out, az_buf *b, az_status st)
{
    if (st != AZ_OK) {
        az_buf_free(b);
        return AZ_ENOMEM;
    }
    *out = az_buf_detach(b);
    return *out ? AZ_OK : AZ_ENOMEM;
}

/* ---- duplicates ---- */

/* ---- rows of near-duplicates ----
 *
 * Their keys are literals and their strings outlive the tree (the
 * corpus's ids, a pair's excerpt, literals): cJSON is given pointers to
 * them (cJSON_AddItemToObjectCS, cJSON_CreateStringReference) rather
 * than copies to allocate and free, some thirty a pair row. */

static void put(cJSON *o, const char *key, cJSON *v)
{
    if (v && !cJSON_AddItemToObjectCS(o, key, v))
        cJSON_Delete(v);
}

/* v, or null for NULL. */
static void put_str(cJSON *o, const char *key, const char *v)
{
    put(o, key, v ? cJSON_CreateStringReference(v) : cJSON_CreateNull());
}

static cJSON *json_span(size_t off, size_t len)
{
    double v[2] = {(double)off, (double)(off + len)};
    return json_nums(v, 2);
}

static cJSON *json_passage(const az_passage *p)
{
    cJSON *o = cJSON_CreateObject();
    put(o, "a", json_span(p->a_off, p->a_len));
    put(o, "b", json_span(p->b_off, p->b_len));
    put(o, "a_line", json_num(p->a_line));
    put(o, "b_line", json_num(p->b_line));
    put(o, "tokens", json_num(p->tokens));
    put_str(o, "text", p->text);
    return o;
}

/* A ratio rounded to four decimals (az_pair's), as cJSON would print it
 * ("%1.15g" gives "0.8672", "0.5", "1", "0"), without its printf and the
 * sscanf that checks the round trip: those were a third of writing the
 * pairs. Anything else goes to cJSON as a number. */
static cJSON *json_ratio(double x)
{
    double t = x * 1e4;
    if (!(x > 0 && x < 1) || fabs(t - round(t)) > 1e-6)
        return json_num(x);
    long k = lround(t);
    char buf[8] = "0.";
    size_t n = 2;
    for (long d = 1000; d > 0 && k > 0; d /= 10) {
        buf[n++] = (char)('0' + k / d);
        k %= d;
    }
    buf[n] = '\0';
    return cJSON_CreateRaw(buf);
}

static cJSON *json_ratios(double a, double b)
{
    cJSON *arr = cJSON_CreateArray();
    cJSON_AddItemToArray(arr, json_ratio(a));
    cJSON_AddItemToArray(arr, json_ratio(b));
    return arr;
}

static cJSON *json_pair(const az_pair *p, const az_corpus *c, double whole)
{
    const az_doc *a = az_corpus_doc(c, p->a), *b = az_corpus_doc(c, p->b);
    cJSON *o = cJSON_CreateObject();
    put_str(o, "type", "pair");
    put_str(o, "a", az_doc_id(a));
    put_str(o, "b", az_doc_id(b));
    put_str(o, "kind", p->exact_jaccard >= whole ? "whole" : "partial");
    put(o, "jaccard", json_ratio(p->jaccard));
    put(o, "jaccard_ci", json_ratios(p->jaccard_lo, p->jaccard_hi));
    put(o, "exact_jaccard", json_ratio(p->exact_jaccard));
    put(o, "containment", json_ratios(p->contain_ab, p->contain_ba));
    put(o, "shared", json_num((double)p->shared));
    if (p->dir == AZ_COPY_UNKNOWN) {
        put(o, "copy", cJSON_CreateNull());
    } else {
        cJSON *cp = cJSON_CreateObject();
        put(o, "copy", cp);
        bool ab = p->dir == AZ_COPY_A_TO_B;
        put_str(cp, "from", az_doc_id(ab ? a : b));
        put_str(cp, "to", az_doc_id(ab ? b : a));
        put(cp, "credited", p->credited < 0 ? cJSON_CreateNull()
                                            : cJSON_CreateBool(p->credited == 1));
        put_str(cp, "credit", p->credit);
    }
    cJSON *ps = cJSON_CreateArray();
    put(o, "passages", ps);
    for (size_t i = 0; ps && i < p->npassages; i++)
        cJSON_AddItemToArray(ps, json_passage(&p->passages[i]));
    return o;
}

/* Per document: 1 when some pair judges it a copy made without credit.
 * One pass over the pairs, so every cluster can ask in constant time.
 * NULL when out of memory. */
static unsigned char *uncredited_copies(const az_dups *d, const az_corpus *c)
{
    unsigned char *u = calloc(az_corpus_count(c) + 1, 1);
    for (size_t i = 0; u && i < az_dups_pair_count(d); i++) {
        const az_pair *p = az_dups_pair(d, i);
        if (p->dir != AZ_COPY_UNKNOWN && p->credited == 0)
            u[p->dir == AZ_COPY_A_TO_B ? p->b : p->a] = 1;
    }
    return u;
}

static cJSON *json_cluster(const az_cluster *cl, const unsigned char *uncredited,
                           const az_corpus *c)
{
    cJSON *o = cJSON_CreateObject();
    put_str(o, "type", "cluster");
    put_str(o, "id", cl->id);
    cJSON *m = cJSON_CreateArray();
    put(o, "members", m);
    for (size_t k = 0; m && k < cl->nmembers; k++)
        cJSON_AddItemToArray(m, cJSON_CreateStringReference(
                                    az_doc_id(az_corpus_doc(c, cl->members[k]))));
    put_str(o, "origin", az_doc_id(az_corpus_doc(c, cl->origin)));
    put_str(o, "origin_rule", cl->origin_rule);
    cJSON *u = cJSON_CreateArray();
    put(o, "uncredited", u);
    for (size_t k = 0; u && k < cl->nmembers; k++)
        if (uncredited[cl->members[k]])
            cJSON_AddItemToArray(u, cJSON_CreateStringReference(
                                        az_doc_id(az_corpus_doc(c, cl->members[k]))));
    return o;
}

/* ---- claims ---- */

/* Figures printed to 12 significant digits: 0.9 * 40000 is 36000, not
 * 36000.000000000007, and 9.2321312 stays as written. */
static double round6(double x)
{
    if (x == 0 || !isfinite(x))
        return x;
    double scale = pow(10, 11 - floor(log10(fabs(x))));
    return round(x * scale) / scale;
}

static void add_number_or_null(cJSON *o, const char *key, double x)
{
    if (isinf(x))
        cJSON_AddNullToObject(o, key);
    else
        add_num(o, key, round6(x));
}


static cJSON *json_claim(const az_claim *cl, const az_corpus *c)
{
    const az_doc *d = az_corpus_doc(c, cl->doc);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "doc", az_doc_id(d));
    char *t = malloc(cl->len + 1);
    if (t) {
        memcpy(t, az_doc_text(d, NULL) + cl->off, cl->len);
        t[cl->len] = '\0';
        cJSON_AddStringToObject(o, "text", t);
        free(t);
    }
    add_number_or_null(o, "value", cl->value);
    add_number_or_null(o, "low", cl->low);
    add_number_or_null(o, "high", cl->high);
    cJSON_AddStringToObject(o, "hedge", az_hedge_name(cl->hedge));
    add_string_or_null(o, "noun", cl->noun);
    add_string_or_null(o, "unit", cl->unit);
    add_string_or_null(o, "attributed_to", cl->attributed_to);
    cJSON_AddItemToObject(o, "span", json_span(cl->off, cl->len));
    add_num(o, "line", cl->line);
    return o;
}

az_status az_claims_jsonl(char **out, const az_claims *cl, const az_corpus *c)
{
    *out = NULL;
    az_buf b = AZ_BUF_INIT;
    az_status st = AZ_OK;
    for (size_t i = 0; st == AZ_OK && i < az_claims_count(cl); i++)
        st = jsonl_line(&b, json_claim(az_claims_get(cl, i), c));
    return jsonl_done(out, &b, st);
}

static cJSON *json_conflict(const az_conflict *k, const az_claims *cl,
                            const az_corpus *c)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "noun", k->quantity);
    cJSON_AddStringToObject(o, "kind", k->over_time ? "over-time" : "contradiction");
    add_num(o, "log_gap", round(k->log_gap * 1e4) / 1e4);
    cJSON_AddStringToObject(o, "severity", k->severity);
    cJSON *arr = cJSON_AddArrayToObject(o, "claims");
    for (size_t i = 0; i < k->nclaims; i++) {
        const az_claim *x = az_claims_get(cl, k->claims[i]);
        cJSON *j = json_claim(x, c);
        cJSON_DeleteItemFromObject(j, "span");
        add_string_or_null(j, "published",
                           az_doc_meta(az_corpus_doc(c, x->doc), AZ_META_PUBLISHED)->value);
        add_string_or_null(j, "outlet",
                           az_doc_meta(az_corpus_doc(c, x->doc), AZ_META_OUTLET)->value);
        add_num(j, "z", round(k->z[i] * 100) / 100);
        cJSON_AddBoolToObject(j, "outlier", fabs(k->z[i]) > 3.5);
        cJSON_AddItemToArray(arr, j);
    }
    return o;
}

az_status az_conflicts_jsonl(char **out, const az_conflicts *k,
                             const az_claims *cl, const az_corpus *c)
{
    *out = NULL;
    az_buf b = AZ_BUF_INIT;
    az_status st = AZ_OK;
    for (size_t i = 0; st == AZ_OK && i < az_conflicts_count(k); i++)
        st = jsonl_line(&b, json_conflict(az_conflicts_get(k, i), cl, c));
    return jsonl_done(out, &b, st);
}

/* ---- signals and reliability ---- */

static cJSON *json_signals(const az_doc_signals *s)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < s->n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "code", s->v[i].code);
        add_num(o, "weight", round(s->v[i].weight * 1000) / 1000);
        cJSON_AddStringToObject(o, "text", s->v[i].text);
        /* A rate or an absence is about the whole article: no line. */
        if (s->v[i].line)
            add_num(o, "line", s->v[i].line);
        else
            cJSON_AddNullToObject(o, "line");
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

az_status az_signals_jsonl(char **out, const az_assessment *a, const az_corpus *c)
{
    *out = NULL;
    az_buf b = AZ_BUF_INIT;
    az_status st = AZ_OK;
    for (size_t i = 0; st == AZ_OK && i < az_corpus_count(c); i++) {
        const az_doc *d = az_corpus_doc(c, i);
        const az_doc_signals *s = az_assess_doc(a, i);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "doc", az_doc_id(d));
        add_string_or_null(o, "outlet", az_doc_meta(d, AZ_META_OUTLET)->value);
        cJSON_AddStringToObject(o, "kind", az_kind_name(s->kind));
        add_num(o, "score", s->score);
        cJSON_AddItemToObject(o, "signals", json_signals(s));
        st = jsonl_line(&b, o);
    }
    return jsonl_done(out, &b, st);
}

static cJSON *json_outlets(const az_assessment *a)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < az_assess_outlet_count(a); i++) {
        const az_outlet_stats *o = az_assess_outlet(a, i);
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "outlet", o->outlet);
        add_num(j, "figures_agreeing", o->agree);
        add_num(j, "figures_disagreeing", o->disagree);
        add_num(j, "truth_discovery_weight", round(o->weight * 1e4) / 1e4);
        double prior[2] = {o->prior_a, o->prior_b};
        cJSON_AddItemToObject(j, "prior", json_nums(prior, 2));
        add_num(j, "reliability", round(o->mean * 1e4) / 1e4);
        double ci[2] = {round(o->lo * 1e4) / 1e4, round(o->hi * 1e4) / 1e4};
        cJSON_AddItemToObject(j, "credible_interval", json_nums(ci, 2));
        cJSON_AddItemToArray(arr, j);
    }
    return arr;
}

static double whole_threshold(const az_corpus *c)
{
    return az_ctx_options(az_corpus_ctx((az_corpus *)c))->pair_jaccard;
}

/* ---- output a piece at a time, rendered on every thread ----
 *
 * A million articles make gigabytes of report and half a GB of JSON
 * Lines. A page is a buffer its renderers append to, handed to the file
 * a megabyte at a time; its long runs of rows (JSON elements, article
 * panels, pairs) are rendered by put_rows on every thread, a batch of
 * chunks at a time, each chunk into its own buffer, the buffers then
 * passed on in order, so the bytes are those of one thread. */

typedef struct page {
    az_buf b;
    az_write_fn write;
    void *user;
} page;

#define PAGE_FLUSH ((size_t)1 << 20)

/* Hand what is buffered to the file once it is a megabyte. */
static az_status page_flush(page *pg)
{
    if (pg->b.len < PAGE_FLUSH)
        return AZ_OK;
    az_status st = pg->write(pg->user, pg->b.ptr, pg->b.len);
    pg->b.len = 0;
    return st;
}

/* Whatever is left, at the end. */
static az_status page_end(page *pg)
{
    az_status st = pg->b.len ? pg->write(pg->user, pg->b.ptr, pg->b.len) : AZ_OK;
    pg->b.len = 0;
    return st;
}

/* Append (an az_write_fn): a chunk of a megabyte or more, such as one
 * holding a conflict of 80,000 figures, goes straight to the file. */
static az_status page_put(void *user, const char *s, size_t n)
{
    page *pg = user;
    if (n >= PAGE_FLUSH) {
        az_status st = page_end(pg);
        return st ? st : pg->write(pg->user, s, n);
    }
    az_status st = az_buf_put(&pg->b, s, n);
    return st ? st : page_flush(pg);
}

/* Row i rendered into b. */
typedef az_status (*row_fn)(az_buf *b, const void *user, size_t i);

#define ROWS_BATCH 64 /* chunks */

typedef struct rows {
    row_fn row;
    const void *user;
    size_t base, chunk; /* the batch's first row; rows a chunk */
    az_buf *bufs;       /* per chunk of the batch */
} rows;

static az_status rows_chunk(void *user, unsigned worker, size_t begin, size_t end)
{
    const rows *r = user;
    az_buf *b = &r->bufs[begin / r->chunk];
    az_status st = AZ_OK;
    (void)worker;
    for (size_t i = begin; i < end && st == AZ_OK; i++)
        st = r->row(b, r->user, r->base + i);
    return st;
}

/* Rows [lo, hi), `chunk` a chunk, handed to `out` in order. */
static az_status put_rows(size_t lo, size_t hi, size_t chunk, unsigned threads, row_fn row,
                          const void *user, az_write_fn out, void *out_user)
{
    az_buf bufs[ROWS_BATCH];
    for (size_t k = 0; k < ROWS_BATCH; k++)
        bufs[k] = (az_buf)AZ_BUF_INIT;
    rows r = {row, user, lo, chunk, bufs};
    az_status st = AZ_OK;
    for (size_t at = lo; at < hi && st == AZ_OK; at += ROWS_BATCH * chunk) {
        size_t m = hi - at < ROWS_BATCH * chunk ? hi - at : ROWS_BATCH * chunk;
        r.base = at;
        st = az_parallel(threads, m, chunk, rows_chunk, &r);
        for (size_t k = 0; k < ROWS_BATCH; k++) {
            if (st == AZ_OK && bufs[k].len)
                st = out(out_user, bufs[k].ptr, bufs[k].len);
            bufs[k].len = 0;
            /* Kept for the next batch: given back and grown again, the
             * buffers were faulted in anew and set glibc consolidating its
             * free lists at every batch (half of writing a million
             * articles' pairs). But a chunk holding a conflict of 80,000
             * figures grows its buffer to tens of megabytes: not that. */
            if (bufs[k].cap > ((size_t)4 << 20))
                az_buf_free(&bufs[k]);
        }
    }
    for (size_t k = 0; k < ROWS_BATCH; k++)
        az_buf_free(&bufs[k]);
    return st;
}

static unsigned threads_of(const az_corpus *c)
{
    return az_threads(az_ctx_options(az_corpus_ctx((az_corpus *)c)));
}

/* Rank 0 gets every rank's text in rank order, in place of its own; the
 * others keep an empty text. */
static az_status gather_text(az_buf *b, az_status st)
{
    az_buf *send = calloc((size_t)az_mpi_size(), sizeof(*send)), all = AZ_BUF_INIT;
    if (!send) {
        az_mpi_abort(2);
        return AZ_ENOMEM;
    }
    send[0] = *b;
    if ((st = az_mpi_agree(st)) == AZ_OK)
        st = az_mpi_exchange(send, &all, NULL);
    free(send);
    az_buf_free(b);
    *b = all;
    return st;
}

/* The rows (pairs, then clusters) are rendered on the run's threads
 * (put_rows): a million articles make half a GB of JSON Lines, which took
 * one thread a tenth of the run. */
#define JSONL_CHUNK 512

/* What the rows of the JSON Lines and of the report's pages are made
 * from (the analyses: the report's only). */
typedef struct report_src {
    const az_corpus *c;
    const az_dups *dups;
    const analyses *a;
    double whole;
    const unsigned char *uncredited;
} report_src;

static az_status jsonl_row(az_buf *b, const void *user, size_t i)
{
    const report_src *r = user;
    size_t np = az_dups_pair_count(r->dups);
    return jsonl_line(b, i < np ? json_pair(az_dups_pair(r->dups, i), r->c, r->whole)
                                : json_cluster(az_dups_cluster(r->dups, i - np),
                                               r->uncredited, r->c));
}

static az_status buf_write(void *user, const char *bytes, size_t len)
{
    return az_buf_put(user, bytes, len);
}

/* Render the rows of this rank into b, or, when `write` is given (one
 * process), hand each batch to it. */
static az_status render_jsonl(az_buf *b, az_write_fn write, void *user,
                              const az_dups *d, const az_corpus *c)
{
    size_t nrows = az_dups_pair_count(d) + az_dups_cluster_count(d);
    size_t nparts = nrows / JSONL_CHUNK + 1;
    /* Ranks of a distributed run (each holds the whole result) render a
     * run of chunks each, which rank 0 puts together. */
    size_t ranks = (size_t)az_mpi_size(), rank = (size_t)az_mpi_rank();
    size_t lo = nparts * rank / ranks * JSONL_CHUNK;
    size_t hi = nparts * (rank + 1) / ranks * JSONL_CHUNK;
    hi = hi < nrows ? hi : nrows;
    lo = lo < hi ? lo : hi;
    report_src r = {c, d, NULL, whole_threshold(c), uncredited_copies(d, c)};
    az_status st = r.uncredited ? AZ_OK : AZ_ENOMEM;
    if (st == AZ_OK)
        st = put_rows(lo, hi, JSONL_CHUNK, threads_of(c), jsonl_row, &r,
                      write ? write : buf_write, write ? user : b);
    free((void *)r.uncredited);
    return st;
}

az_status az_dups_jsonl(char **out, const az_dups *d, const az_corpus *c)
{
    *out = NULL;
    az_buf b = AZ_BUF_INIT;
    az_status st = render_jsonl(&b, NULL, NULL, d, c);
    if (az_mpi_size() > 1)
        st = gather_text(&b, st);
    return jsonl_done(out, &b, st);
}

az_status az_dups_write_jsonl(const az_dups *d, const az_corpus *c,
                              az_write_fn write, void *user)
{
    if (az_mpi_size() == 1) {
        az_corpus_stage(c, "writing pairs and clusters");
        az_status st = render_jsonl(NULL, write, user, d, c);
        az_corpus_stage(c, NULL);
        return st;
    }
    /* Rank 0 needs the others' shares in order: they come as one text. */
    char *out = NULL;
    az_status st = az_dups_jsonl(&out, d, c);
    if (st == AZ_OK && out[0])
        st = write(user, out, strlen(out));
    free(out);
    return st;
}

/* ---- report.json, written as it is rendered ----
 *
 * The whole report as one cJSON tree was the largest thing a report run
 * held (1.27 GB at 20,000 articles, against 0.32 GB for the rest) and
 * half its time. Each element is now built, printed and freed in turn;
 * the bytes are those cJSON_Print gives for the tree (an element printed
 * alone, with the tabs of its depth added after each newline: strings
 * never hold a raw newline). */

typedef struct jw {
    page pg;
    az_status st; /* the first failure: later puts do nothing */
} jw;

static void jw_put(jw *w, const char *s, size_t n)
{
    if (w->st == AZ_OK)
        w->st = page_put(&w->pg, s, n);
}

static void jw_tabs(jw *w, int depth)
{
    for (int k = 0; k < depth; k++)
        jw_put(w, "\t", 1);
}

/* `item` as cJSON prints it `depth` levels down, appended to b; deleted
 * here. */
static az_status put_item(az_buf *b, cJSON *item, int depth)
{
    char *s = item ? cJSON_Print(item) : NULL;
    cJSON_Delete(item);
    az_status st = s ? AZ_OK : AZ_ENOMEM;
    for (const char *p = s; st == AZ_OK;) {
        const char *nl = strchr(p, '\n');
        st = az_buf_put(b, p, nl ? (size_t)(nl - p) + 1 : strlen(p));
        if (!nl)
            break;
        for (int k = 0; k < depth && st == AZ_OK; k++)
            st = az_buf_putc(b, '\t');
        p = nl + 1;
    }
    cJSON_free(s);
    return st;
}

static void jw_item(jw *w, cJSON *item, int depth)
{
    if (w->st != AZ_OK) {
        cJSON_Delete(item);
        return;
    }
    if ((w->st = put_item(&w->pg.b, item, depth)) == AZ_OK)
        w->st = page_flush(&w->pg);
}

/* The elements of an array: "[" a ", " b "]" on one line, as cJSON
 * formats them, built and printed on every thread (put_rows). */
typedef cJSON *(*make_fn)(const void *user, size_t i);

typedef struct elems {
    make_fn make;
    const void *user;
    int depth;
} elems;

#define ELEM_CHUNK 64

static az_status elem_row(az_buf *b, const void *user, size_t i)
{
    const elems *e = user;
    az_status st = i > 0 ? az_buf_put(b, ", ", 2) : AZ_OK;
    return st ? st : put_item(b, e->make(e->user, i), e->depth);
}

static void jw_array(jw *w, size_t n, int depth, make_fn make, const void *user,
                     unsigned threads)
{
    elems e = {make, user, depth};
    jw_put(w, "[", 1);
    if (w->st == AZ_OK)
        w->st = put_rows(0, n, ELEM_CHUNK, threads, elem_row, &e, page_put, &w->pg);
    jw_put(w, "]", 1);
}

/* An object member's `"key":<tab>`, after the previous one's comma. */
static void jw_key(jw *w, const char *key, int depth, bool first)
{
    if (!first)
        jw_put(w, ",\n", 2);
    jw_tabs(w, depth);
    jw_put(w, "\"", 1);
    jw_put(w, key, strlen(key));
    jw_put(w, "\":\t", 3);
}

static cJSON *make_document(const void *user, size_t i)
{
    const report_src *r = user;
    cJSON *doc = json_document(az_corpus_doc(r->c, i));
    size_t cl = r->dups ? az_dups_doc_cluster(r->dups, i) : SIZE_MAX;
    if (cl == SIZE_MAX)
        cJSON_AddNullToObject(doc, "cluster");
    else
        cJSON_AddStringToObject(doc, "cluster", az_dups_cluster(r->dups, cl)->id);
    const az_doc_signals *sg = az_assess_doc(r->a->assess, i);
    cJSON_AddStringToObject(doc, "kind", az_kind_name(sg->kind));
    cJSON *rel = cJSON_AddObjectToObject(doc, "reliability");
    add_num(rel, "score", sg->score);
    cJSON_AddItemToObject(rel, "explanation", json_signals(sg));
    return doc;
}

static cJSON *make_pair(const void *user, size_t i)
{
    const report_src *r = user;
    cJSON *p = json_pair(az_dups_pair(r->dups, i), r->c, r->whole);
    cJSON_DeleteItemFromObject(p, "type");
    return p;
}

static cJSON *make_cluster(const void *user, size_t i)
{
    const report_src *r = user;
    cJSON *cl = json_cluster(az_dups_cluster(r->dups, i), r->uncredited, r->c);
    cJSON_DeleteItemFromObject(cl, "type");
    return cl;
}

static cJSON *make_claim(const void *user, size_t i)
{
    const report_src *r = user;
    return json_claim(az_claims_get(r->a->claims, i), r->c);
}

static cJSON *make_conflict(const void *user, size_t i)
{
    const report_src *r = user;
    return json_conflict(az_conflicts_get(r->a->conflicts, i), r->a->claims, r->c);
}

static cJSON *make_error(const void *user, size_t i)
{
    const report_src *r = user;
    const az_input_error *e = az_corpus_error(r->c, i);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "input", e->input);
    add_num(o, "line", e->line);
    cJSON_AddStringToObject(o, "message", e->message);
    return o;
}

static void jw_duplicates(jw *w, report_src *r, unsigned threads)
{
    const az_dups *d = r->dups;
    jw_put(w, "{\n", 2);
    cJSON *o = cJSON_CreateObject();
    const az_lsh_params *l = az_dups_lsh(d);
    add_num(o, "bands", l->bands);
    add_num(o, "rows", l->rows);
    add_num(o, "false_positive_mass", round(l->fp * 1e6) / 1e6);
    add_num(o, "false_negative_mass", round(l->fn * 1e6) / 1e6);
    jw_key(w, "lsh", 2, true);
    jw_item(w, o, 2);
    const az_dups_stats *s = az_dups_get_stats(d);
    o = cJSON_CreateObject();
    add_num(o, "lsh_candidates", (double)s->lsh_candidates);
    add_num(o, "containment_candidates", (double)s->containment_candidates);
    add_num(o, "verified", (double)s->verified);
    add_num(o, "capped_buckets", (double)s->capped_buckets);
    add_num(o, "exact_duplicates", (double)s->exact_duplicates);
    jw_key(w, "stats", 2, false);
    jw_item(w, o, 2);
    jw_key(w, "pairs", 2, false);
    jw_array(w, az_dups_pair_count(d), 3, make_pair, r, threads);
    jw_key(w, "clusters", 2, false);
    unsigned char *u = uncredited_copies(d, r->c);
    if (!u && w->st == AZ_OK)
        w->st = AZ_ENOMEM;
    r->uncredited = u;
    jw_array(w, u ? az_dups_cluster_count(d) : 0, 3, make_cluster, r, threads);
    free(u);
    r->uncredited = NULL;
    jw_put(w, "\n\t}", 3);
}

/* report.json for a corpus and its analyses, handed to `write` a
 * megabyte at a time. */
static az_status report_json(az_corpus *c, const analyses *a, az_write_fn write, void *user)
{
    const az_dups *dups = a->dups;
    jw w = {{AZ_BUF_INIT, write, user}, AZ_OK};
    jw_put(&w, "{\n", 2);
    cJSON *tool = cJSON_CreateObject();
    cJSON_AddStringToObject(tool, "name", "analyzer");
    cJSON_AddStringToObject(tool, "version", AZ_VERSION);
    jw_key(&w, "tool", 1, true);
    jw_item(&w, tool, 1);
    jw_key(&w, "params", 1, false);
    jw_item(&w, json_params(az_ctx_options(az_corpus_ctx(c))), 1);
    size_t n = az_corpus_count(c), words = 0;
    for (size_t i = 0; i < n; i++)
        words += az_doc_words(az_corpus_doc(c, i));
    cJSON *sum = cJSON_CreateObject();
    add_num(sum, "documents", (double)n);
    add_num(sum, "errors", (double)az_corpus_error_count(c));
    add_num(sum, "input_bytes", (double)az_corpus_bytes(c));
    add_num(sum, "words", (double)words);
    jw_key(&w, "summary", 1, false);
    jw_item(&w, sum, 1);
    /* Every document's word count is known now: the elements built on
     * other threads only read it. */
    unsigned threads = threads_of(c);
    report_src r = {c, a->dups, a, whole_threshold(c), NULL};
    jw_key(&w, "documents", 1, false);
    jw_array(&w, n, 2, make_document, &r, threads);
    if (dups) {
        jw_key(&w, "duplicates", 1, false);
        jw_duplicates(&w, &r, threads);
    }
    jw_key(&w, "claims", 1, false);
    jw_array(&w, az_claims_count(a->claims), 2, make_claim, &r, threads);
    jw_key(&w, "conflicts", 1, false);
    jw_array(&w, az_conflicts_count(a->conflicts), 2, make_conflict, &r, threads);
    jw_key(&w, "outlets", 1, false);
    jw_item(&w, json_outlets(a->assess), 1);
    jw_key(&w, "errors", 1, false);
    jw_array(&w, az_corpus_error_count(c), 2, make_error, &r, threads);
    jw_put(&w, "\n}\n", 3);
    if (w.st == AZ_OK)
        w.st = page_end(&w.pg);
    az_buf_free(&w.pg.b);
    if (w.st == AZ_ENOMEM)
        return az_error(az_corpus_ctx(c), AZ_ENOMEM, "out of memory building report.json");
    return w.st;
}

az_status az_json_document(char **out, cJSON *root)
{
    *out = NULL;
    char *s = root ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    if (!s)
        return AZ_ENOMEM;
    /* cJSON's allocator is malloc: hand back a string free() accepts. */
    size_t len = strlen(s);
    char *t = realloc(s, len + 2);
    if (!t) {
        cJSON_free(s);
        return AZ_ENOMEM;
    }
    t[len] = '\n';
    t[len + 1] = '\0';
    *out = t;
    return AZ_OK;
}

/* A distributed report's shares: each rank reads back the texts of a run
 * of documents and finds their claims and evidence, and rank 0 gets them
 * all (in rank order, which is document order). */
static az_status share_out(az_corpus *c, az_buf *claims, az_buf *signals)
{
    size_t n = az_corpus_count(c), ranks = az_corpus_ranks(c), rank = az_corpus_rank(c);
    size_t lo = n * rank / ranks, hi = n * (rank + 1) / ranks;
    az_buf mine[2] = {AZ_BUF_INIT, AZ_BUF_INIT};
    az_claims *cl = NULL;
    az_status st = az_corpus_materialize(c, lo, hi);
    if (st == AZ_OK)
        st = az_claims_range(&cl, c, lo, hi);
    if (st == AZ_OK)
        st = az_claims_pack(&mine[0], cl);
    az_claims_free(cl);
    if (st == AZ_OK)
        st = az_signals_pack(&mine[1], c, lo, hi);
    az_buf *send = calloc(ranks, sizeof(*send));
    if (!send && st == AZ_OK)
        st = AZ_ENOMEM;
    az_buf *all[2] = {claims, signals};
    for (int k = 0; k < 2; k++) {
        /* A rank that failed still joins in, so that none waits for it. */
        if ((st = az_mpi_agree(st)) != AZ_OK)
            break;
        send[0] = mine[k]; /* to rank 0 only */
        st = az_mpi_exchange(send, all[k], NULL);
    }
    free(send);
    az_buf_free(&mine[0]);
    az_buf_free(&mine[1]);
    return az_mpi_agree(st);
}

/* Every analysis the report shows, run once. */
static az_status analyse(az_corpus *c, analyses *a)
{
    memset(a, 0, sizeof(*a));
    az_status st = az_corpus_finish(c);
    if (st == AZ_OK)
        st = az_dups_run(&a->dups, c);
    /* A distributed run: the ranks shared the reading and the copies, and
     * now share the claims and the evidence of the texts. Rank 0 reads
     * every text back for the conflicts and the pages, which quote them
     * (a corpus that let its texts go: one rank of mpirun -n 1 too). */
    az_buf claims = AZ_BUF_INIT, signals = AZ_BUF_INIT;
    bool shared = az_corpus_ranks(c) > 1;
    if (st == AZ_OK && shared) {
        az_corpus_stage(c, "claims and signals of this rank's share");
        st = share_out(c, &claims, &signals);
    }
    if (az_corpus_rank(c) != 0) {
        az_corpus_stage(c, NULL);
        az_buf_free(&claims);
        az_buf_free(&signals);
        return st;
    }
    if (st == AZ_OK && shared)
        az_corpus_stage(c, "reading the texts back");
    if (st == AZ_OK)
        st = az_corpus_materialize(c, 0, az_corpus_count(c));
    az_corpus_stage(c, "claims");
    if (st == AZ_OK && shared) {
        az_unpack u = {claims.ptr, claims.len, 0, false};
        st = az_claims_range(&a->claims, c, 0, 0);
        while (st == AZ_OK && u.off < u.n)
            st = az_claims_unpack(a->claims, &u);
    } else if (st == AZ_OK) {
        st = az_claims_run(&a->claims, c);
    }
    az_corpus_stage(c, "conflicts");
    if (st == AZ_OK)
        st = az_conflicts_run(&a->conflicts, a->claims, a->dups, c);
    az_corpus_stage(c, "signals and reliability");
    az_unpack given = {signals.ptr, signals.len, 0, false};
    if (st == AZ_OK)
        st = az_assess_given(&a->assess, c, a->claims, a->conflicts,
                             az_ctx_options(az_corpus_ctx(c))->outlet_priors,
                             shared ? &given : NULL);
    az_corpus_stage(c, NULL);
    az_buf_free(&claims);
    az_buf_free(&signals);
    return st;
}

static void analyses_free(analyses *a)
{
    az_assess_free(a->assess);
    az_conflicts_free(a->conflicts);
    az_claims_free(a->claims);
    az_dups_free(a->dups);
}

az_status az_report_json(char **out, az_corpus *c)
{
    *out = NULL;
    analyses a;
    az_buf b = AZ_BUF_INIT;
    az_status st = analyse(c, &a);
    /* Other ranks of a distributed run get an empty text. */
    if (st == AZ_OK && az_corpus_rank(c) == 0)
        st = report_json(c, &a, buf_write, &b);
    if (st == AZ_OK)
        st = az_buf_cstr(&b);
    if (st == AZ_OK)
        *out = b.ptr;
    else
        az_buf_free(&b);
    analyses_free(&a);
    return st;
}

/* ---- escaping ---- */

/* Escape s[0, n) into b. Runs of plain text are copied whole: a call per
 * byte was a tenth of writing a report of 100,000 articles. */
static az_status put_html_n(az_buf *b, const char *s, size_t n)
{
    static const char *const entity[256] = {
        ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;",
        ['\''] = "&#39;",
    };
    for (size_t i = 0;;) {
        size_t j = i;
        while (j < n && !entity[(unsigned char)s[j]])
            j++;
        if (az_buf_put(b, s + i, j - i) != AZ_OK)
            return AZ_ENOMEM;
        if (j == n)
            return AZ_OK;
        if (az_buf_puts(b, entity[(unsigned char)s[j]]) != AZ_OK)
            return AZ_ENOMEM;
        i = j + 1;
    }
}

static az_status put_html(az_buf *b, const char *s)
{
    return s ? put_html_n(b, s, strlen(s)) : az_buf_puts(b, "&ndash;");
}

/* Markdown table cells: escape the characters that would end a cell or
 * start markup. */
static az_status put_md(az_buf *b, const char *s)
{
    if (!s)
        return az_buf_puts(b, "-");
    for (;;) {
        size_t n = strcspn(s, "|\\`*_[]<>\n");
        if (az_buf_put(b, s, n) != AZ_OK)
            return AZ_ENOMEM;
        s += n;
        if (!*s)
            return AZ_OK;
        if (*s != '\n' && az_buf_putc(b, '\\') != AZ_OK)
            return AZ_ENOMEM;
        if (az_buf_putc(b, *s == '\n' ? ' ' : *s) != AZ_OK)
            return AZ_ENOMEM;
        s++;
    }
}

/* ---- report.html ---- */

static const char html_head[] =
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>analyzer report</title>\n<style>\n"
    "body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;"
    "padding:0 1em;color:#1b1b1b}\n"
    "h1{font-size:1.6em}h2{font-size:1.25em;margin-top:2em;border-bottom:1px "
    "solid #ccc}\n"
    "table{border-collapse:collapse;width:100%;font-size:.92em}\n"
    "th,td{border:1px solid #ddd;padding:.3em .5em;text-align:left;"
    "vertical-align:top}\nth{background:#f3f3f3}\n"
    ".figs{display:flex;gap:1.5em;flex-wrap:wrap}.fig{background:#f6f8fa;"
    "padding:.6em 1em;border-radius:6px}.fig b{display:block;font-size:1.6em}\n"
    ".src{color:#777;font-size:.85em}.err td{background:#fff4f4}\n"
    "mark{background:#fff3b0}.side td{width:45%}svg text{font:11px sans-serif}\n"
    "details{margin:.4em 0}pre{white-space:pre-wrap;background:#fafafa;"
    "padding:.6em;border:1px solid #eee}\n</style>\n</head>\n<body>\n";

static az_status html_meta_cell(az_buf *b, const az_meta *m)
{
    az_status st = az_buf_puts(b, "<td>");
    if (st == AZ_OK)
        st = put_html(b, m->value);
    if (st == AZ_OK && m->source == AZ_SRC_INFERRED)
        st = az_buf_printf(b, " <span class=\"src\">(inferred: %s)</span>",
                           m->how ? m->how : "");
    return st == AZ_OK ? az_buf_puts(b, "</td>") : st;
}

static az_status html_documents(page *pg, az_corpus *c, const analyses *a)
{
    az_buf *b = &pg->b;
    az_status st = az_buf_puts(b, "<h2 id=\"documents\">Documents</h2>\n<table>"
        "<tr><th>id</th><th>outlet</th><th>published</th><th>title</th>"
        "<th>author</th><th>kind</th><th>score</th><th>words</th><th>cleaning</th></tr>\n");
    for (size_t i = 0; st == AZ_OK && i < az_corpus_count(c); i++) {
        const az_doc *d = az_corpus_doc(c, i);
        st = az_buf_puts(b, "<tr><td>");
        if (st == AZ_OK)
            st = put_html(b, d->id);
        st = st ? st : az_buf_puts(b, "</td>");
        static const az_meta_key cols[] = {AZ_META_OUTLET, AZ_META_PUBLISHED,
                                           AZ_META_TITLE, AZ_META_AUTHOR};
        for (size_t k = 0; st == AZ_OK && k < 4; k++)
            st = html_meta_cell(b, &d->meta[cols[k]]);
        if (st == AZ_OK)
            st = az_buf_printf(b, "<td>%s</td><td>%.2f</td><td>%zu</td><td>",
                               az_kind_name(az_assess_doc(a->assess, i)->kind),
                               az_assess_doc(a->assess, i)->score, az_doc_words(d));
        for (size_t k = 0; st == AZ_OK && k < d->ncleaning; k++)
            st = az_buf_printf(b, "%s%s&nbsp;&times;%u", k ? ", " : "",
                               d->cleaning[k].rule, d->cleaning[k].items);
        if (st == AZ_OK && d->x.versions > 1)
            st = az_buf_printf(b, " (%u versions)", d->x.versions);
        st = st ? st : az_buf_puts(b, "</td></tr>\n");
        st = st ? st : page_flush(pg);
    }
    return st ? st : az_buf_puts(b, "</table>\n");
}

/* One panel per article: kind, score, every term of the score with its
 * evidence and line, and the cleaned text. */
static az_status html_text_panel(az_buf *b, const void *user, size_t i)
{
    const report_src *r = user;
    const az_doc *d = az_corpus_doc(r->c, i);
    const az_doc_signals *s = az_assess_doc(r->a->assess, i);
    az_status st = az_buf_puts(b, "<details><summary>");
    st = st ? st : put_html(b, d->id);
    st = st ? st : az_buf_printf(b, " &mdash; %s, score %.2f</summary>\n<table>"
                                 "<tr><th>term</th><th>weight</th><th>evidence</th>"
                                 "<th>line</th></tr>\n", az_kind_name(s->kind), s->score);
    for (size_t k = 0; st == AZ_OK && k < s->n; k++) {
        st = az_buf_printf(b, "<tr><td>%s</td><td>%+.2f</td><td>", s->v[k].code,
                           s->v[k].weight);
        st = st ? st : put_html(b, s->v[k].text);
        st = st ? st : (s->v[k].line ? az_buf_printf(b, "</td><td>%u</td></tr>\n", s->v[k].line)
                                     : az_buf_puts(b, "</td><td></td></tr>\n"));
    }
    st = st ? st : az_buf_puts(b, "</table><pre>");
    st = st ? st : put_html(b, az_doc_text(d, NULL));
    return st ? st : az_buf_puts(b, "</pre></details>\n");
}

static az_status html_texts(page *pg, az_corpus *c, const analyses *a)
{
    report_src r = {c, a->dups, a, 0, NULL};
    az_status st = az_buf_puts(&pg->b, "<h2 id=\"articles\">Articles: sourcing and text</h2>\n");
    return st ? st : put_rows(0, az_corpus_count(c), ELEM_CHUNK, threads_of(c),
                              html_text_panel, &r, page_put, pg);
}

static az_status html_errors(az_buf *b, az_corpus *c)
{
    size_t n = az_corpus_error_count(c);
    az_status st = az_buf_printf(b, "<h2 id=\"errors\">Skipped inputs (%zu)</h2>\n", n);
    if (st || n == 0)
        return st ? st : az_buf_puts(b, "<p>None.</p>\n");
    st = az_buf_puts(b, "<table><tr><th>input</th><th>line</th><th>message</th></tr>\n");
    for (size_t i = 0; st == AZ_OK && i < n; i++) {
        const az_input_error *e = az_corpus_error(c, i);
        st = az_buf_puts(b, "<tr class=\"err\"><td>");
        st = st ? st : put_html(b, e->input);
        st = st ? st : az_buf_printf(b, "</td><td>%u</td><td>", e->line);
        st = st ? st : put_html(b, e->message);
        st = st ? st : az_buf_puts(b, "</td></tr>\n");
    }
    return st ? st : az_buf_puts(b, "</table>\n");
}

/* One passage side by side: its words in each document, highlighted,
 * with both locations. */
static az_status html_passage(az_buf *b, const az_passage *p, const az_doc *a,
                              const az_doc *d)
{
    az_status st = az_buf_printf(b, "<tr><td class=\"src\">%u tokens</td><td><span "
                                 "class=\"src\">line %u</span><br><mark>", p->tokens, p->a_line);
    st = st ? st : put_html_n(b, az_doc_text(a, NULL) + p->a_off, p->a_len);
    st = st ? st : az_buf_printf(b, "</mark></td><td><span class=\"src\">line %u</span><br>"
                                 "<mark>", p->b_line);
    st = st ? st : put_html_n(b, az_doc_text(d, NULL) + p->b_off, p->b_len);
    return st ? st : az_buf_puts(b, "</mark></td></tr>\n");
}

static az_status html_pair(az_buf *b, const az_pair *p, const az_corpus *c)
{
    const az_doc *a = az_corpus_doc(c, p->a), *d = az_corpus_doc(c, p->b);
    az_status st = az_buf_puts(b, "<details><summary>");
    st = st ? st : put_html(b, az_doc_id(a));
    st = st ? st : az_buf_puts(b, " &harr; ");
    st = st ? st : put_html(b, az_doc_id(d));
    st = st ? st : az_buf_printf(b, ": Jaccard %.2f (%.2f&ndash;%.2f), contained "
                                 "%.0f%% / %.0f%%, %zu passage%s", p->exact_jaccard,
                                 p->jaccard_lo, p->jaccard_hi, 100 * p->contain_ab,
                                 100 * p->contain_ba, p->npassages,
                                 p->npassages == 1 ? "" : "s");
    if (st == AZ_OK && p->dir != AZ_COPY_UNKNOWN) {
        const az_doc *from = p->dir == AZ_COPY_A_TO_B ? a : d;
        st = az_buf_puts(b, "; copied from ");
        st = st ? st : put_html(b, az_doc_id(from));
        st = st ? st : az_buf_puts(b, p->credited ? " (credited: " : " <b>without credit</b>");
        if (st == AZ_OK && p->credited) {
            st = put_html(b, p->credit);
            st = st ? st : az_buf_putc(b, ')');
        }
    }
    st = st ? st : az_buf_puts(b, "</summary>\n<table class=\"side\"><tr><th></th><th>");
    st = st ? st : put_html(b, az_doc_id(a));
    st = st ? st : az_buf_puts(b, "</th><th>");
    st = st ? st : put_html(b, az_doc_id(d));
    st = st ? st : az_buf_puts(b, "</th></tr>\n");
    for (size_t i = 0; st == AZ_OK && i < p->npassages; i++)
        st = html_passage(b, &p->passages[i], a, d);
    return st ? st : az_buf_puts(b, "</table></details>\n");
}

static az_status html_pair_row(az_buf *b, const void *user, size_t i)
{
    const report_src *r = user;
    return html_pair(b, az_dups_pair(r->dups, i), r->c);
}

static az_status html_duplicates(page *pg, az_corpus *c, const analyses *a)
{
    const az_dups *d = a->dups;
    az_buf *b = &pg->b;
    size_t nc = az_dups_cluster_count(d);
    az_status st = az_buf_printf(b, "<h2 id=\"copies\">Copies (%zu cluster%s, %zu "
                                 "pair%s)</h2>\n", nc, nc == 1 ? "" : "s",
                                 az_dups_pair_count(d),
                                 az_dups_pair_count(d) == 1 ? "" : "s");
    if (st == AZ_OK && nc == 0)
        return az_buf_puts(b, "<p>No document copies another.</p>\n");
    st = st ? st : az_buf_puts(b, "<table><tr><th>cluster</th><th>origin</th>"
                               "<th>members</th></tr>\n");
    for (size_t i = 0; st == AZ_OK && i < nc; i++) {
        const az_cluster *cl = az_dups_cluster(d, i);
        st = az_buf_printf(b, "<tr><td>%s</td><td>", cl->id);
        st = st ? st : put_html(b, az_doc_id(az_corpus_doc(c, cl->origin)));
        st = st ? st : az_buf_printf(b, " <span class=\"src\">(%s)</span></td><td>",
                                     cl->origin_rule);
        for (size_t k = 0; st == AZ_OK && k < cl->nmembers; k++) {
            st = k ? az_buf_puts(b, "<br>") : AZ_OK;
            st = st ? st : put_html(b, az_doc_id(az_corpus_doc(c, cl->members[k])));
        }
        st = st ? st : az_buf_puts(b, "</td></tr>\n");
        st = st ? st : page_flush(pg);
    }
    st = st ? st : az_buf_puts(b, "</table>\n");
    report_src r = {c, a->dups, a, 0, NULL};
    return st ? st : put_rows(0, az_dups_pair_count(d), ELEM_CHUNK, threads_of(c),
                              html_pair_row, &r, page_put, pg);
}

/* Days since 1970 of "YYYY-MM-DD", or -1. */
static long chart_days(const char *iso)
{
    int y, m, d;
    if (!iso || sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3)
        return -1;
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

/* An axis figure a reader takes in at a glance: two significant digits
 * and thousands separators ("71,000", "2.8"), never "7.06e+04". */
static void axis_figure(char *out, size_t cap, double v)
{
    if (v < 10) {
        snprintf(out, cap, "%.2g", v);
        return;
    }
    double mag = pow(10, floor(log10(v)) - 1);
    unsigned long long n = (unsigned long long)(round(v / mag) * mag);
    char digits[24];
    int nd = snprintf(digits, sizeof(digits), "%llu", n);
    size_t w = 0;
    for (int i = 0; i < nd && w + 2 < cap; i++) {
        if (i && (nd - i) % 3 == 0)
            out[w++] = ',';
        out[w++] = digits[i];
    }
    out[w] = '\0';
}

/* An inline SVG of one conflict's figures: publication date across, the
 * figure on a log scale up, each claim's interval as a bar (an open end
 * runs to the edge), its value as a dot labelled with the outlet. */
static az_status html_chart(az_buf *b, const az_conflict *k, const analyses *a,
                            const az_corpus *c)
{
    const double W = 640, H = 170, L = 60, R = 150, T = 12, B = 28;
    long d0 = LONG_MAX, d1 = LONG_MIN;
    double v0 = INFINITY, v1 = -INFINITY;
    for (size_t j = 0; j < k->nclaims; j++) {
        const az_claim *x = az_claims_get(a->claims, k->claims[j]);
        long d = chart_days(az_doc_meta(az_corpus_doc(c, x->doc), AZ_META_PUBLISHED)->value);
        if (d >= 0)
            d0 = d < d0 ? d : d0, d1 = d > d1 ? d : d1;
        double lo = x->low > 0 ? x->low : x->value, hi = isinf(x->high) ? x->value : x->high;
        v0 = fmin(v0, fmin(lo, x->value));
        v1 = fmax(v1, fmax(hi, x->value));
    }
    if (!(v0 > 0) || !isfinite(v1))
        return AZ_OK;
    double l0 = log10(v0) - 0.15, l1 = log10(v1) + 0.15;
    char top[32], bottom[32];
    axis_figure(top, sizeof(top), pow(10, l1));
    axis_figure(bottom, sizeof(bottom), pow(10, l0));
    az_status st = az_buf_printf(b, "<svg width=\"%.0f\" height=\"%.0f\" role=\"img\" "
                                 "aria-label=\"figures over time\"><rect x=\"%.0f\" y=\"%.0f\" "
                                 "width=\"%.0f\" height=\"%.0f\" fill=\"#fafafa\" stroke=\"#ddd\"/>"
                                 "<text x=\"4\" y=\"%.0f\">%s</text><text x=\"4\" y=\"%.0f\">%s</text>\n",
                                 W, H, L, T, W - L - R, H - T - B, T + 10, top, H - B, bottom);
    /* Labels already drawn, so that reports of one day with close figures
     * do not print their outlets on top of each other: a label that would
     * collide is left out, and every dot keeps its hover title. */
    enum { MAX_LABELS = 64 };
    double lx[MAX_LABELS], ly[MAX_LABELS], lw[MAX_LABELS];
    size_t nl = 0;
    az_buf labels = AZ_BUF_INIT; /* drawn after the dots, so none covers them */
    for (size_t j = 0; st == AZ_OK && j < k->nclaims; j++) {
        const az_claim *x = az_claims_get(a->claims, k->claims[j]);
        const az_doc *d = az_corpus_doc(c, x->doc);
        long day = chart_days(az_doc_meta(d, AZ_META_PUBLISHED)->value);
        double px = d1 > d0 && day >= 0 ? L + 10 + (W - L - R - 20) * (double)(day - d0) / (double)(d1 - d0)
                                        : L + (W - L - R) / 2;
        px += (double)(j % 3) * 4; /* same-day reports side by side */
        double ylo = x->low > 0 ? H - B - (H - T - B) * (log10(x->low) - l0) / (l1 - l0) : H - B;
        double yhi = isinf(x->high) ? T : H - B - (H - T - B) * (log10(x->high) - l0) / (l1 - l0);
        double yv = H - B - (H - T - B) * (log10(x->value) - l0) / (l1 - l0);
        bool out = fabs(k->z[j]) > 3.5;
        const char *o = az_doc_meta(d, AZ_META_OUTLET)->value;
        const char *who = o ? o : az_doc_id(d);
        const char *when = az_doc_meta(d, AZ_META_PUBLISHED)->value;
        st = az_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                           "stroke=\"#79a\" stroke-width=\"3\"/><circle cx=\"%.1f\" cy=\"%.1f\" "
                           "r=\"4\" fill=\"%s\"><title>",
                           px, ylo, px, yhi, px, yv, out ? "#c33" : "#234");
        st = st ? st : put_html(b, who);
        if (when) {
            st = st ? st : az_buf_puts(b, ", ");
            st = st ? st : put_html(b, when);
        }
        st = st ? st : az_buf_puts(b, ": ");
        st = st ? st : put_html_n(b, az_doc_text(d, NULL) + x->off, x->len);
        st = st ? st : az_buf_puts(b, "</title></circle>");
        double w = 6.0 * (double)strlen(who), tx = px + 6, ty = yv + 4;
        bool clash = false;
        for (size_t m = 0; m < nl && !clash; m++)
            clash = tx < lx[m] + lw[m] && lx[m] < tx + w && fabs(ty - ly[m]) < 11;
        if (st == AZ_OK && !clash && nl < MAX_LABELS) {
            lx[nl] = tx, ly[nl] = ty, lw[nl++] = w;
            st = az_buf_printf(&labels, "<text x=\"%.1f\" y=\"%.1f\">", tx, ty);
            st = st ? st : put_html(&labels, who);
            st = st ? st : az_buf_puts(&labels, "</text>\n");
        }
        st = st ? st : az_buf_puts(b, "\n");
    }
    if (st == AZ_OK && labels.len)
        st = az_buf_put(b, labels.ptr, labels.len);
    az_buf_free(&labels);
    if (st == AZ_OK && d1 > d0) {
        const char *first = NULL, *last = NULL;
        for (size_t j = 0; j < k->nclaims; j++) {
            const char *p = az_doc_meta(az_corpus_doc(c, az_claims_get(a->claims, k->claims[j])->doc),
                                        AZ_META_PUBLISHED)->value;
            if (p && chart_days(p) == d0)
                first = p;
            if (p && chart_days(p) == d1)
                last = p;
        }
        st = az_buf_printf(b, "<text x=\"%.0f\" y=\"%.0f\">%s</text><text x=\"%.0f\" "
                           "y=\"%.0f\">%s</text>\n", L, H - 8, first ? first : "",
                           W - R - 70, H - 8, last ? last : "");
    }
    return st ? st : az_buf_puts(b, "</svg>\n");
}

/* The conflicts table: one row per conflict, its figures as a list. */
static az_status html_conflicts(page *pg, az_corpus *c, const analyses *a)
{
    az_buf *b = &pg->b;
    size_t n = az_conflicts_count(a->conflicts);
    az_status st = az_buf_printf(b, "<h2 id=\"conflicts\">Conflicting figures (%zu)</h2>\n", n);
    if (st || n == 0)
        return st ? st : az_buf_puts(b, "<p>No figures disagree.</p>\n");
    st = az_buf_puts(b, "<table><tr><th>quantity</th><th>kind</th><th>gap</th>"
                        "<th>figures (document, published, attributed to)</th></tr>\n");
    for (size_t i = 0; st == AZ_OK && i < n; i++) {
        const az_conflict *k = az_conflicts_get(a->conflicts, i);
        st = az_buf_puts(b, "<tr><td>");
        st = st ? st : put_html(b, k->quantity);
        st = st ? st : az_buf_printf(b, "</td><td>%s</td><td>%.2f (%s)</td><td>",
                                     k->over_time ? "over time" : "contradiction",
                                     k->log_gap, k->severity);
        for (size_t j = 0; st == AZ_OK && j < k->nclaims; j++) {
            const az_claim *x = az_claims_get(a->claims, k->claims[j]);
            const az_doc *d = az_corpus_doc(c, x->doc);
            char *t = malloc(x->len + 1);
            if (!t)
                return AZ_ENOMEM;
            memcpy(t, az_doc_text(d, NULL) + x->off, x->len);
            t[x->len] = '\0';
            st = az_buf_puts(b, j ? "<br>" : "");
            st = st ? st : az_buf_puts(b, "<b>");
            st = st ? st : put_html(b, t);
            free(t);
            st = st ? st : az_buf_puts(b, "</b> &mdash; ");
            st = st ? st : put_html(b, az_doc_id(d));
            st = st ? st : az_buf_printf(b, ":%u, ", x->line);
            st = st ? st : put_html(b, az_doc_meta(d, AZ_META_PUBLISHED)->value);
            if (st == AZ_OK && x->attributed_to) {
                st = az_buf_puts(b, ", ");
                st = st ? st : put_html(b, x->attributed_to);
            }
            if (st == AZ_OK && fabs(k->z[j]) > 3.5)
                st = az_buf_printf(b, " <b>(outlier, z = %.1f)</b>", k->z[j]);
        }
        st = st ? st : az_buf_puts(b, "</td></tr>\n");
        st = st ? st : page_flush(pg);
    }
    st = st ? st : az_buf_puts(b, "</table>\n");
    for (size_t i = 0; st == AZ_OK && i < n; i++) {
        const az_conflict *k = az_conflicts_get(a->conflicts, i);
        st = az_buf_puts(b, "<figure><figcaption>");
        st = st ? st : put_html(b, k->quantity);
        st = st ? st : az_buf_printf(b, " (%s)</figcaption>\n",
                                     k->over_time ? "over time" : "contradiction");
        st = st ? st : html_chart(b, k, a, c);
        st = st ? st : az_buf_puts(b, "</figure>\n");
        st = st ? st : page_flush(pg);
    }
    return st;
}

/* Outlets with their posterior as a bar over [0, 1]. */
static az_status html_outlets(az_buf *b, const analyses *a)
{
    size_t n = az_assess_outlet_count(a->assess);
    az_status st = az_buf_printf(b, "<h2 id=\"outlets\">Outlets (%zu)</h2>\n", n);
    if (st || n == 0)
        return st ? st : az_buf_puts(b, "<p>No outlet's figures could be compared.</p>\n");
    st = az_buf_puts(b, "<table><tr><th>outlet</th><th>figures agreeing / "
                        "disagreeing</th><th>reliability (95 % interval)</th></tr>\n");
    for (size_t i = 0; st == AZ_OK && i < n; i++) {
        const az_outlet_stats *o = az_assess_outlet(a->assess, i);
        st = az_buf_puts(b, "<tr><td>");
        st = st ? st : put_html(b, o->outlet);
        st = st ? st : az_buf_printf(b, "</td><td>%u / %u</td><td>"
            "<svg width=\"200\" height=\"14\" role=\"img\"><rect x=\"0\" y=\"6\" "
            "width=\"200\" height=\"2\" fill=\"#ddd\"/><rect x=\"%.0f\" y=\"3\" "
            "width=\"%.0f\" height=\"8\" fill=\"#9ab\"/><circle cx=\"%.0f\" cy=\"7\" "
            "r=\"4\" fill=\"#234\"/></svg> %.2f (%.2f&ndash;%.2f)</td></tr>\n",
            o->agree, o->disagree, 200 * o->lo, 200 * (o->hi - o->lo), 200 * o->mean,
            o->mean, o->lo, o->hi);
    }
    return st ? st : az_buf_puts(b, "</table>\n");
}

static az_status html_report(page *pg, az_corpus *c, const analyses *a)
{
    az_buf *b = &pg->b;
    const az_dups *dups = a->dups;
    size_t n = az_corpus_count(c), words = 0;
    for (size_t i = 0; i < n; i++)
        words += az_doc_words(az_corpus_doc(c, i));
    az_status st = az_buf_puts(b, html_head);
    st = st ? st : az_buf_printf(b, "<h1>analyzer report</h1>\n<div class=\"figs\">"
        "<div class=\"fig\"><b>%zu</b>documents</div>"
        "<div class=\"fig\"><b>%zu</b>words</div>"
        "<div class=\"fig\"><b>%zu</b>copy clusters</div>"
        "<div class=\"fig\"><b>%zu</b>figures stated</div>"
        "<div class=\"fig\"><b>%zu</b>conflicts</div>"
        "<div class=\"fig\"><b>%zu</b>skipped inputs</div></div>\n",
        n, words, az_dups_cluster_count(dups), az_claims_count(a->claims),
        az_conflicts_count(a->conflicts), az_corpus_error_count(c));
    st = st ? st : html_documents(pg, c, a);
    st = st ? st : html_duplicates(pg, c, a);
    st = st ? st : html_conflicts(pg, c, a);
    st = st ? st : html_outlets(b, a);
    st = st ? st : html_errors(b, c);
    st = st ? st : html_texts(pg, c, a);
    return st ? st : az_buf_printf(b, "<p class=\"src\">analyzer %s</p>\n"
                                   "</body>\n</html>\n", AZ_VERSION);
}

/* ---- report.md ---- */

static az_status md_report(page *pg, az_corpus *c, const analyses *a)
{
    az_buf *b = &pg->b;
    const az_dups *dups = a->dups;
    size_t n = az_corpus_count(c), ne = az_corpus_error_count(c);
    az_status st = az_buf_printf(b, "# analyzer report\n\n%zu documents, %zu "
                                 "skipped inputs.\n\n| id | outlet | published "
                                 "| words |\n|---|---|---|---:|\n", n, ne);
    for (size_t i = 0; st == AZ_OK && i < n; i++) {
        const az_doc *d = az_corpus_doc(c, i);
        st = az_buf_puts(b, "| ");
        st = st ? st : put_md(b, d->id);
        st = st ? st : az_buf_puts(b, " | ");
        st = st ? st : put_md(b, d->meta[AZ_META_OUTLET].value);
        st = st ? st : az_buf_puts(b, " | ");
        st = st ? st : put_md(b, d->meta[AZ_META_PUBLISHED].value);
        st = st ? st : az_buf_printf(b, " | %zu |\n", az_doc_words(d));
        st = st ? st : page_flush(pg);
    }
    size_t nc = az_dups_cluster_count(dups);
    unsigned char *uncredited = uncredited_copies(dups, c);
    if (!uncredited)
        return AZ_ENOMEM;
    if (st == AZ_OK && nc)
        st = az_buf_puts(b, "\n## Copies\n\n| cluster | origin | members | "
                         "uncredited copies |\n|---|---|---|---|\n");
    for (size_t i = 0; st == AZ_OK && i < nc; i++) {
        const az_cluster *cl = az_dups_cluster(dups, i);
        st = az_buf_printf(b, "| %s | ", cl->id);
        st = st ? st : put_md(b, az_doc_id(az_corpus_doc(c, cl->origin)));
        st = st ? st : az_buf_printf(b, " | %zu | ", cl->nmembers);
        bool any = false;
        for (size_t k = 0; st == AZ_OK && k < cl->nmembers; k++) {
            if (!uncredited[cl->members[k]])
                continue;
            st = any ? az_buf_puts(b, ", ") : AZ_OK;
            st = st ? st : put_md(b, az_doc_id(az_corpus_doc(c, cl->members[k])));
            any = true;
        }
        st = st ? st : az_buf_puts(b, any ? " |\n" : "none |\n");
        st = st ? st : page_flush(pg);
    }
    free(uncredited);
    size_t nk = az_conflicts_count(a->conflicts);
    if (st == AZ_OK && nk)
        st = az_buf_puts(b, "\n## Conflicting figures\n\n| quantity | kind | figures |\n|---|---|---|\n");
    for (size_t i = 0; st == AZ_OK && i < nk; i++) {
        const az_conflict *k = az_conflicts_get(a->conflicts, i);
        st = az_buf_puts(b, "| ");
        st = st ? st : put_md(b, k->quantity);
        st = st ? st : az_buf_printf(b, " | %s | ", k->over_time ? "over time" : "contradiction");
        for (size_t j = 0; st == AZ_OK && j < k->nclaims; j++) {
            const az_claim *x = az_claims_get(a->claims, k->claims[j]);
            const az_doc *d = az_corpus_doc(c, x->doc);
            char *t = malloc(x->len + 1);
            if (!t)
                return AZ_ENOMEM;
            memcpy(t, az_doc_text(d, NULL) + x->off, x->len);
            t[x->len] = '\0';
            st = az_buf_puts(b, j ? "; " : "");
            st = st ? st : put_md(b, t);
            free(t);
            st = st ? st : az_buf_puts(b, " (");
            st = st ? st : put_md(b, az_doc_id(d));
            st = st ? st : az_buf_putc(b, ')');
        }
        st = st ? st : az_buf_puts(b, " |\n");
        st = st ? st : page_flush(pg);
    }
    if (st == AZ_OK && ne)
        st = az_buf_puts(b, "\n## Skipped inputs\n\n");
    for (size_t i = 0; st == AZ_OK && i < ne; i++) {
        const az_input_error *e = az_corpus_error(c, i);
        st = az_buf_puts(b, "- `");
        st = st ? st : az_buf_puts(b, e->input);
        st = st ? st : az_buf_printf(b, ":%u`: ", e->line);
        st = st ? st : put_md(b, e->message);
        st = st ? st : az_buf_putc(b, '\n');
    }
    return st;
}

/* ---- writing ---- */

/* Create `dir` and its parents as needed. */
static int make_dirs(const char *dir)
{
    char *p = strdup(dir);
    if (!p)
        return -1;
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        *s = '/';
    }
    int r = mkdir(p, 0777) != 0 && errno != EEXIST ? -1 : 0;
    free(p);
    return r;
}

static az_status file_write(void *user, const char *bytes, size_t len)
{
    return fwrite(bytes, 1, len, (FILE *)user) == len ? AZ_OK : AZ_EIO;
}

/* What a file is made of: `produce` hands its bytes to `write`. */
typedef az_status (*produce_fn)(az_write_fn write, void *wuser, void *user);

/* Write dir/name through a temporary file and rename(2): an interrupted
 * run leaves the previous report whole. */
static az_status write_atomic(az_ctx *ctx, const char *dir, const char *name,
                              produce_fn produce, void *user)
{
    az_buf path = AZ_BUF_INIT, tmp = AZ_BUF_INIT;
    az_status st = AZ_ENOMEM;
    if (az_buf_printf(&path, "%s/%s", dir, name) != AZ_OK ||
        az_buf_printf(&tmp, "%s/.%s.XXXXXX", dir, name) != AZ_OK)
        goto done;
    int fd = mkstemp(tmp.ptr);
    if (fd < 0) {
        st = az_error(ctx, AZ_EIO, "%s: cannot create: %s", tmp.ptr, strerror(errno));
        goto done;
    }
    FILE *f = fdopen(fd, "wb");
    st = f ? produce(file_write, f, user) : AZ_EIO;
    bool ok = (f ? fclose(f) == 0 : (close(fd), false)) && st == AZ_OK;
    /* mkstemp makes the file 0600; a report is for everyone to read. */
    mode_t mask = umask(0);
    umask(mask);
    ok = ok && chmod(tmp.ptr, 0666 & ~mask) == 0;
    if (!ok || rename(tmp.ptr, path.ptr) != 0) {
        /* Out of memory has its message already; the rest is the file's. */
        if (st != AZ_ENOMEM)
            st = az_error(ctx, AZ_EIO, "%s: cannot write: %s", path.ptr, strerror(errno));
        unlink(tmp.ptr);
        goto done;
    }
    st = AZ_OK;
done:
    az_buf_free(&path);
    az_buf_free(&tmp);
    return st;
}

typedef struct json_job {
    az_corpus *c;
    const analyses *a;
} json_job;

static az_status produce_json(az_write_fn write, void *wuser, void *user)
{
    const json_job *j = user;
    return report_json(j->c, j->a, write, wuser);
}

typedef struct page_job {
    az_corpus *c;
    const analyses *a;
    az_status (*render)(page *, az_corpus *, const analyses *);
} page_job;

static az_status produce_page(az_write_fn write, void *wuser, void *user)
{
    const page_job *j = user;
    page pg = {AZ_BUF_INIT, write, wuser};
    az_status st = j->render(&pg, j->c, j->a);
    if (st == AZ_OK)
        st = page_end(&pg);
    az_buf_free(&pg.b);
    return st;
}

az_status az_report_write(az_corpus *c, const char *dir, unsigned formats)
{
    az_ctx *ctx = az_corpus_ctx(c);
    /* Only rank 0 of a distributed run writes; all learn whether it can
     * before the work starts. */
    bool writer = az_corpus_rank(c) == 0;
    az_status st = AZ_OK;
    if (writer && make_dirs(dir) != 0)
        st = az_error(ctx, AZ_EIO, "%s: cannot create directory: %s", dir, strerror(errno));
    if (az_corpus_ranks(c) > 1)
        st = az_mpi_agree(st);
    if (st != AZ_OK)
        return st;
    analyses a;
    st = analyse(c, &a);
    if (!writer) {
        analyses_free(&a);
        return st;
    }
    if (st == AZ_OK && (formats & AZ_REPORT_JSON)) {
        json_job j = {c, &a};
        az_corpus_stage(c, "writing report.json");
        st = write_atomic(ctx, dir, "report.json", produce_json, &j);
    }
    static const struct {
        unsigned flag;
        const char *name;
        az_status (*render)(page *, az_corpus *, const analyses *);
    } pages[] = {{AZ_REPORT_HTML, "report.html", html_report},
                 {AZ_REPORT_MD, "report.md", md_report}};
    for (size_t i = 0; st == AZ_OK && i < sizeof(pages) / sizeof(*pages); i++) {
        if (!(formats & pages[i].flag))
            continue;
        page_job j = {c, &a, pages[i].render};
        az_corpus_stage(c, pages[i].flag == AZ_REPORT_HTML ? "writing report.html"
                                                            : "writing report.md");
        st = write_atomic(ctx, dir, pages[i].name, produce_page, &j);
        if (st == AZ_ENOMEM)
            st = az_error(ctx, st, "out of memory rendering %s", pages[i].name);
    }
    az_corpus_stage(c, NULL);
    analyses_free(&a);
    return st;
}
