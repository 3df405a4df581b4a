/*
 * index.c - the persistent SQLite index: a corpus remembered between runs,
 * so the CI check compares new articles with it without reading the corpus
 * again.
 *
 * Tables (docs/index-format.md):
 *   meta(key, value)      the parameters the index was built with; opening
 *                         it with other near-duplicate options is an error
 *   docs(rowid, doc_id, path, outlet, url, published, title, author,
 *        text, signature)  cleaned text (zlib) and MinHash signature
 *   bands(key, doc)       LSH band keys, indexed: the candidates of a new
 *                         article are one indexed lookup per band
 *   claims(doc, ...)      the figures each document states
 *
 * Every change happens inside one transaction: an interrupted `add` leaves
 * the index as it was. `build` writes a new file next to the target and
 * renames it into place.
 */
#include "az_priv.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

struct az_index {
    sqlite3 *db;
    az_ctx *ctx;
    char *path;
    az_progress_fn progress; /* a long build shows it is moving */
    void *progress_user;
};

void az_index_set_progress(az_index *ix, az_progress_fn fn, void *user)
{
    ix->progress = fn;
    ix->progress_user = user;
}

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS docs(rowid INTEGER PRIMARY KEY, doc_id TEXT UNIQUE NOT NULL,"
    " path TEXT, outlet TEXT, url TEXT, published TEXT, title TEXT, author TEXT,"
    " text BLOB NOT NULL, text_len INTEGER NOT NULL, signature BLOB NOT NULL);"
    "CREATE TABLE IF NOT EXISTS bands(key INTEGER NOT NULL, doc INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS bands_key ON bands(key);"
    "CREATE TABLE IF NOT EXISTS claims(doc INTEGER NOT NULL, text TEXT, value REAL,"
    " low REAL, high REAL, hedge TEXT, noun TEXT, unit TEXT, attributed_to TEXT,"
    " line INTEGER);";

static az_status sql_error(az_index *ix, const char *what)
{
    return az_error(ix->ctx, AZ_EIO, "%s: %s: %s", ix->path, what, sqlite3_errmsg(ix->db));
}

static az_status exec(az_index *ix, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(ix->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        az_status st = az_error(ix->ctx, AZ_EIO, "%s: %s", ix->path, msg ? msg : "SQL error");
        sqlite3_free(msg);
        return st;
    }
    return AZ_OK;
}

/* A text column, "" for NULL (a foreign or damaged file). */
static const char *column_or_empty(sqlite3_stmt *q, int col)
{
    const char *v = (const char *)sqlite3_column_text(q, col);
    return v ? v : "";
}

/* The parameters that must match for signatures to be comparable. */
static void params(az_ctx *ctx, char *out, size_t cap)
{
    const az_options *o = &ctx->opt;
    az_lsh_params p;
    if (az_ctx_lsh(ctx, &p) != AZ_OK)
        p.bands = p.rows = 0;
    /* tokens=pad16: a token's hash is XXH3 of its bytes padded to 16
     * (shingle.c); an index from before, which hashed them as they are,
     * holds signatures that no longer compare and has no such word. */
    snprintf(out, cap, "shingle=%u tokens=pad16 perms=%u minhash=%s seed=0x%016llx bands=%u rows=%u",
             o->shingle_size, o->minhash_perms,
             o->minhash_kind == AZ_MINHASH_KPERM ? "kperm" : "oph",
             (unsigned long long)o->seed, p.bands, p.rows);
}

az_status az_index_open(az_index **out, az_ctx *ctx, const char *path, int create)
{
    *out = NULL;
    az_index *ix = calloc(1, sizeof(*ix));
    if (!ix || !(ix->path = strdup(path))) {
        free(ix);
        return AZ_ENOMEM;
    }
    ix->ctx = ctx;
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &ix->db, flags, NULL) != SQLITE_OK) {
        az_status st = az_error(ctx, AZ_EIO, "%s: cannot open the index: %s", path,
                                ix->db ? sqlite3_errmsg(ix->db) : "out of memory");
        az_index_close(ix);
        return st;
    }
    sqlite3_busy_timeout(ix->db, 5000);
    az_status st = exec(ix, schema);
    char want[256];
    params(ctx, want, sizeof(want));
    sqlite3_stmt *q = NULL;
    if (st == AZ_OK &&
        sqlite3_prepare_v2(ix->db, "SELECT value FROM meta WHERE key='params'", -1, &q, NULL) != SQLITE_OK)
        st = sql_error(ix, "reading the parameters");
    if (st == AZ_OK && sqlite3_step(q) == SQLITE_ROW) {
        const char *have = column_or_empty(q, 0);
        if (strcmp(have, want) != 0)
            st = az_error(ctx, AZ_EINVAL, "%s: built with %s; this run uses %s: "
                          "rebuild the index or pass the same options", path, have, want);
    } else if (st == AZ_OK) {
        sqlite3_finalize(q);
        q = NULL;
        if (sqlite3_prepare_v2(ix->db, "INSERT INTO meta(key, value) VALUES('params', ?1)",
                               -1, &q, NULL) != SQLITE_OK)
            st = sql_error(ix, "writing the parameters");
        else {
            sqlite3_bind_text(q, 1, want, -1, SQLITE_TRANSIENT);
            if (sqlite3_step(q) != SQLITE_DONE)
                st = sql_error(ix, "writing the parameters");
        }
    }
    sqlite3_finalize(q);
    if (st != AZ_OK) {
        az_index_close(ix);
        return st;
    }
    *out = ix;
    return AZ_OK;
}

void az_index_close(az_index *ix)
{
    if (!ix)
        return;
    sqlite3_close(ix->db);
    free(ix->path);
    free(ix);
}

/* zlib-compress s into a malloc'd buffer. */
static az_status deflate_text(unsigned char **out, unsigned long *out_len,
                              const char *s, size_t len)
{
    uLongf cap = compressBound((uLong)len);
    *out = malloc(cap ? cap : 1);
    if (!*out)
        return AZ_ENOMEM;
    if (compress2(*out, &cap, (const Bytef *)s, (uLong)len, 6) != Z_OK) {
        free(*out);
        return AZ_ENOMEM;
    }
    *out_len = cap;
    return AZ_OK;
}

static void bind_meta(sqlite3_stmt *q, int col, const az_doc *d, az_meta_key k)
{
    const char *v = az_doc_meta(d, k)->value;
    if (v)
        sqlite3_bind_text(q, col, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(q, col);
}

/* Insert one document with its signature, bands and claims. Returns
 * AZ_OK, or AZ_EEMPTY when a document of that id is already there. */
static az_status insert_doc(az_index *ix, sqlite3_stmt *ins_doc, sqlite3_stmt *ins_band,
                            sqlite3_stmt *ins_claim, const az_doc *d, const az_claims *cl,
                            size_t doc_index, const az_lsh_params *p, size_t *next_claim)
{
    const az_options *o = &ix->ctx->opt;
    size_t len;
    const char *text = az_doc_text(d, &len);
    uint32_t *sig;
    size_t perms;
    az_status st = az_signature(&sig, &perms, ix->ctx, text, len);
    if (st != AZ_OK || !sig)
        return st == AZ_OK ? AZ_EEMPTY : st;
    unsigned char *z;
    unsigned long zl;
    if ((st = deflate_text(&z, &zl, text, len)) != AZ_OK) {
        free(sig);
        return st;
    }
    sqlite3_reset(ins_doc);
    sqlite3_bind_text(ins_doc, 1, az_doc_id(d), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins_doc, 2, az_doc_path(d), -1, SQLITE_TRANSIENT);
    bind_meta(ins_doc, 3, d, AZ_META_OUTLET);
    bind_meta(ins_doc, 4, d, AZ_META_URL);
    bind_meta(ins_doc, 5, d, AZ_META_PUBLISHED);
    bind_meta(ins_doc, 6, d, AZ_META_TITLE);
    bind_meta(ins_doc, 7, d, AZ_META_AUTHOR);
    sqlite3_bind_blob(ins_doc, 8, z, (int)zl, free);
    sqlite3_bind_int64(ins_doc, 9, (sqlite3_int64)len);
    sqlite3_bind_blob(ins_doc, 10, sig, (int)(perms * sizeof(*sig)), SQLITE_TRANSIENT);
    int rc = sqlite3_step(ins_doc);
    if (rc == SQLITE_CONSTRAINT) {
        free(sig);
        return AZ_EEMPTY;
    }
    if (rc != SQLITE_DONE) {
        free(sig);
        return sql_error(ix, "adding a document");
    }
    sqlite3_int64 row = sqlite3_last_insert_rowid(ix->db);
    uint64_t keys[1024];
    az_lsh_keys(keys, sig, p, o->seed);
    free(sig);
    for (unsigned b = 0; b < p->bands; b++) {
        sqlite3_reset(ins_band);
        sqlite3_bind_int64(ins_band, 1, (sqlite3_int64)keys[b]);
        sqlite3_bind_int64(ins_band, 2, row);
        if (sqlite3_step(ins_band) != SQLITE_DONE)
            return sql_error(ix, "adding band keys");
    }
    /* Claims come in document order: walk them with a cursor, not a scan
     * per document. */
    for (; cl && *next_claim < az_claims_count(cl) &&
           az_claims_get(cl, *next_claim)->doc <= doc_index; (*next_claim)++) {
        const az_claim *c = az_claims_get(cl, *next_claim);
        if (c->doc != doc_index)
            continue;
        sqlite3_reset(ins_claim);
        sqlite3_bind_int64(ins_claim, 1, row);
        sqlite3_bind_text(ins_claim, 2, text + c->off, (int)c->len, SQLITE_TRANSIENT);
        sqlite3_bind_double(ins_claim, 3, c->value);
        sqlite3_bind_double(ins_claim, 4, c->low);
        if (isinf(c->high))
            sqlite3_bind_null(ins_claim, 5);
        else
            sqlite3_bind_double(ins_claim, 5, c->high);
        sqlite3_bind_text(ins_claim, 6, az_hedge_name(c->hedge), -1, SQLITE_STATIC);
        if (c->noun)
            sqlite3_bind_text(ins_claim, 7, c->noun, -1, SQLITE_TRANSIENT);
        else
            sqlite3_bind_null(ins_claim, 7);
        if (c->unit)
            sqlite3_bind_text(ins_claim, 8, c->unit, -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(ins_claim, 8);
        if (c->attributed_to)
            sqlite3_bind_text(ins_claim, 9, c->attributed_to, -1, SQLITE_TRANSIENT);
        else
            sqlite3_bind_null(ins_claim, 9);
        sqlite3_bind_int64(ins_claim, 10, c->line);
        if (sqlite3_step(ins_claim) != SQLITE_DONE)
            return sql_error(ix, "adding claims");
    }
    return AZ_OK;
}

az_status az_index_add(az_index *ix, az_corpus *corpus, size_t *added,
                       size_t *skipped)
{
    *added = *skipped = 0;
    az_lsh_params p;
    az_status st = az_corpus_finish(corpus);
    if (st == AZ_OK)
        st = az_ctx_lsh(ix->ctx, &p);
    az_claims *cl = NULL;
    if (st == AZ_OK)
        st = az_claims_run(&cl, corpus);
    sqlite3_stmt *ins_doc = NULL, *ins_band = NULL, *ins_claim = NULL;
    if (st == AZ_OK &&
        (sqlite3_prepare_v2(ix->db, "INSERT INTO docs(doc_id, path, outlet, url, published,"
                            " title, author, text, text_len, signature) VALUES(?1, ?2, ?3,"
                            " ?4, ?5, ?6, ?7, ?8, ?9, ?10)", -1, &ins_doc, NULL) != SQLITE_OK ||
         sqlite3_prepare_v2(ix->db, "INSERT INTO bands(key, doc) VALUES(?1, ?2)", -1,
                            &ins_band, NULL) != SQLITE_OK ||
         sqlite3_prepare_v2(ix->db, "INSERT INTO claims(doc, text, value, low, high, hedge,"
                            " noun, unit, attributed_to, line) VALUES(?1, ?2, ?3, ?4, ?5,"
                            " ?6, ?7, ?8, ?9, ?10)", -1, &ins_claim, NULL) != SQLITE_OK))
        st = sql_error(ix, "preparing the inserts");
    /* One transaction: all of this batch or none of it. */
    if (st == AZ_OK)
        st = exec(ix, "BEGIN IMMEDIATE");
    size_t next_claim = 0;
    uint64_t bytes = 0;
    for (size_t i = 0; st == AZ_OK && i < az_corpus_count(corpus); i++) {
        const az_doc *d = az_corpus_doc(corpus, i);
        az_status r = insert_doc(ix, ins_doc, ins_band, ins_claim, d, cl, i, &p,
                                 &next_claim);
        bytes += d->raw_len;
        if (ix->progress)
            ix->progress(ix->progress_user, i + 1, bytes);
        if (r == AZ_EEMPTY)
            (*skipped)++;
        else if (r == AZ_OK)
            (*added)++;
        else
            st = r;
    }
    if (st == AZ_OK)
        st = exec(ix, "COMMIT");
    else
        sqlite3_exec(ix->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_finalize(ins_doc);
    sqlite3_finalize(ins_band);
    sqlite3_finalize(ins_claim);
    az_claims_free(cl);
    return st;
}

az_status az_index_info(az_index *ix, size_t *docs, size_t *bands, size_t *claims,
                        char *params_out, size_t cap)
{
    static const char *const counts[] = {"SELECT count(*) FROM docs",
                                         "SELECT count(*) FROM bands",
                                         "SELECT count(*) FROM claims"};
    size_t *outs[] = {docs, bands, claims};
    for (int k = 0; k < 3; k++) {
        sqlite3_stmt *q;
        if (sqlite3_prepare_v2(ix->db, counts[k], -1, &q, NULL) != SQLITE_OK)
            return sql_error(ix, "counting");
        *outs[k] = sqlite3_step(q) == SQLITE_ROW ? (size_t)sqlite3_column_int64(q, 0) : 0;
        sqlite3_finalize(q);
    }
    sqlite3_stmt *q;
    params_out[0] = '\0';
    if (sqlite3_prepare_v2(ix->db, "SELECT value FROM meta WHERE key='params'", -1, &q,
                           NULL) != SQLITE_OK)
        return sql_error(ix, "reading the parameters");
    if (sqlite3_step(q) == SQLITE_ROW)
        snprintf(params_out, cap, "%s", column_or_empty(q, 0));
    sqlite3_finalize(q);
    return AZ_OK;
}

/* Whether a text column holds what az_index_add writes: NULL, or UTF-8
 * (and, for a `date`, YYYY-MM-DD). */
static bool column_ok(const char *v, bool date)
{
    char iso[11];
    if (!v)
        return true;
    size_t n = strlen(v);
    if (az_utf8_check(v, n, NULL) != AZ_OK)
        return false;
    return !date || (n == 10 && az_date_parse(v, n, iso) == n);
}

/* The text of a docs row: `z` inflated to exactly `want` bytes of UTF-8
 * without NUL (az_doc_text's promise). NULL when the row is corrupt. */
static char *inflate_text(const void *z, int zlen, sqlite3_int64 want)
{
    /* Deflate shrinks nothing by more than 1032:1, so a larger length is
     * a lie, and one that would be allocated. */
    if (want < 0 || want > (sqlite3_int64)zlen * 1032)
        return NULL;
    uLongf len = (uLongf)want;
    char *text = malloc(len + 1);
    if (!text || uncompress((Bytef *)text, &len, z, (uLong)zlen) != Z_OK ||
        len != (uLongf)want || az_utf8_check(text, len, NULL) != AZ_OK) {
        free(text);
        return NULL;
    }
    text[len] = '\0';
    return text;
}

/* Load index document `row` into the corpus (group 0), decompressing its
 * text. AZ_EEMPTY when there is no such row (a band left by a document
 * deleted outside analyzer); AZ_EIO when the row is not one az_index_add
 * could have written: a file changed by another program or damaged. */
static az_status load_doc(az_index *ix, az_corpus *corpus, sqlite3_int64 row)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(ix->db, "SELECT doc_id, path, outlet, url, published, title,"
                           " author, text, text_len FROM docs WHERE rowid = ?1", -1, &q,
                           NULL) != SQLITE_OK)
        return sql_error(ix, "reading a document");
    sqlite3_bind_int64(q, 1, row);
    az_status st = AZ_EEMPTY;
    if (sqlite3_step(q) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(q, 0);
        const char *path = (const char *)sqlite3_column_text(q, 1);
        const char *values[AZ_META_COUNT];
        bool ok = id && id[0] && column_ok(id, false) && column_ok(path, false);
        for (int k = 0; k < AZ_META_COUNT; k++) {
            values[k] = (const char *)sqlite3_column_text(q, 2 + k);
            ok = ok && column_ok(values[k], k == AZ_META_PUBLISHED);
        }
        const void *z = sqlite3_column_blob(q, 7);
        char *text = ok ? inflate_text(z, sqlite3_column_bytes(q, 7),
                                       sqlite3_column_int64(q, 8)) : NULL;
        if (!text)
            st = az_error(ix->ctx, AZ_EIO, "%s: document %lld: corrupt %s", ix->path,
                          (long long)row, ok ? "text" : "id or metadata");
        else
            st = az_corpus_add_cleaned(corpus, id, path, text, strlen(text), values);
    }
    sqlite3_finalize(q);
    return st;
}

static int row_cmp(const void *a, const void *b)
{
    sqlite3_int64 x = *(const sqlite3_int64 *)a, y = *(const sqlite3_int64 *)b;
    return (x > y) - (x < y);
}

az_status az_index_candidates(az_index *ix, az_corpus *corpus, size_t *loaded)
{
    *loaded = 0;
    const az_options *o = &ix->ctx->opt;
    az_lsh_params p;
    az_status st = az_ctx_lsh(ix->ctx, &p);
    sqlite3_stmt *q = NULL;
    if (st == AZ_OK &&
        sqlite3_prepare_v2(ix->db, "SELECT DISTINCT doc FROM bands WHERE key = ?1 LIMIT 256",
                           -1, &q, NULL) != SQLITE_OK)
        st = sql_error(ix, "preparing the lookup");
    sqlite3_int64 *rows = NULL;
    size_t n = 0, cap = 0;
    size_t ndocs = az_corpus_count(corpus);
    for (size_t i = 0; st == AZ_OK && i < ndocs; i++) {
        size_t len;
        const char *text = az_doc_text(az_corpus_doc(corpus, i), &len);
        uint32_t *sig;
        size_t perms;
        if ((st = az_signature(&sig, &perms, ix->ctx, text, len)) != AZ_OK || !sig)
            continue;
        uint64_t keys[1024];
        az_lsh_keys(keys, sig, &p, o->seed);
        free(sig);
        for (unsigned b = 0; b < p.bands && st == AZ_OK; b++) {
            sqlite3_reset(q);
            sqlite3_bind_int64(q, 1, (sqlite3_int64)keys[b]);
            while (sqlite3_step(q) == SQLITE_ROW) {
                if (n == cap) {
                    cap = cap ? cap * 2 : 64;
                    sqlite3_int64 *r = realloc(rows, cap * sizeof(*r));
                    if (!r) {
                        st = AZ_ENOMEM;
                        break;
                    }
                    rows = r;
                }
                rows[n++] = sqlite3_column_int64(q, 0);
            }
        }
    }
    sqlite3_finalize(q);
    /* Each candidate once, in row order; sorting keeps this n log n when
     * many new articles hit 256 rows in each of their bands. */
    if (n > 1)
        qsort(rows, n, sizeof(*rows), row_cmp);
    for (size_t i = 0; st == AZ_OK && i < n; i++) {
        if (i > 0 && rows[i] == rows[i - 1])
            continue;
        if ((st = load_doc(ix, corpus, rows[i])) == AZ_OK)
            (*loaded)++;
        else if (st == AZ_EEMPTY)
            st = AZ_OK;
    }
    free(rows);
    return st;
}
