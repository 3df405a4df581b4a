/*
 * corpus.c - the documents of one run and the inputs that were skipped.
 *
 * Documents are appended as inputs are read and sorted by id in
 * az_corpus_finish(), so every later stage sees the same order whatever
 * order the files came in. A document owns its raw bytes, its cleaned text
 * (az_extract) and an arena for its strings. Errors own their strings in
 * one arena for the whole corpus.
 *
 * Invariant after az_corpus_finish(): ids are unique (a repeated id is an
 * input error and the later document is dropped) and docs[] is sorted by
 * strcmp of the ids.
 *
 * With more than one thread (az_options.threads), the reading thread only
 * reads: each file's bytes or each JSON Lines record goes to a worker
 * (pool.c) that parses, screens and cleans it with its own context. The
 * lock guards what workers share: docs[], the errors and the byte count.
 * Since documents are sorted and errors too (by group, input, line) when
 * the corpus is finished, the order in which workers finish never shows.
 *
 * A streaming corpus (az_corpus_set_streaming) keeps of each document that
 * can be read again its metadata, its near-duplicate sketch and what
 * boilerplate learning needs (stream_doc), and az_corpus_load() reads and
 * cleans its text again on demand.
 *
 * In a distributed run each rank reads its share of the inputs (ingest.c)
 * into a streaming corpus, and az_corpus_finish() gives every rank every
 * document's metadata and signature and every error (gather_ranks), so
 * that all ranks sort, drop repeated ids and learn boilerplate alike; the
 * fingerprints stay with the rank that made them (dups.c sends them where
 * they are wanted).
 */
#include "az_priv.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bytes of input queued for the workers at most: enough to keep them busy,
 * small beside the corpus. */
#define QUEUE_BYTES ((size_t)32 << 20)
/* JSON Lines records go to the workers in batches of about this many
 * bytes: one 3 KB record is some 60 us of work, and waking a worker for
 * each cost as much again in futex calls on this kind of machine. */
#define BATCH_BYTES ((size_t)64 << 10)

typedef struct rec_span {
    size_t off, len;       /* in the batch */
    uint64_t src_off;      /* in the input */
    uint32_t line;
} rec_span;

/* Records of one file read since the last hand-over. */
typedef struct rec_batch {
    az_corpus *c;
    char *path;
    az_buf data;
    rec_span *rec;
    size_t n, cap;
} rec_batch;

struct az_corpus {
    az_ctx *ctx;
    pthread_mutex_t lock;
    az_pool *pool;              /* NULL: one thread, cleaned as read */
    az_status pool_status;      /* first failure of a worker */
    rec_batch *batch;           /* being filled by the reader */
    bool streaming;             /* keep sketches, not texts */
    az_doc **docs;
    size_t n, cap;
    az_input_error *errs;
    size_t nerr, errcap;
    az_arena err_arena;
    uint64_t bytes;
    az_progress_fn progress;
    void *progress_user;
    az_stage_fn stage;
    void *stage_user;
    bool finished;
    unsigned group;             /* of documents and errors added now */
    unsigned *err_group;        /* per error */
    size_t err_group_cap;
    /* What the documents keep (keep_doc): a million of them made a heap
     * of small blocks that a page fault grew 4 KB at a time, and their
     * holes slowed every malloc of the reading; a corpus that keeps its
     * texts spent half its reading in the page faults of their copies. */
    az_slab slab;               /* under lock */
};

static az_status drain(az_corpus *c);

az_status az_corpus_new(az_corpus **out, az_ctx *ctx)
{
    *out = calloc(1, sizeof(**out));
    if (!*out)
        return AZ_ENOMEM;
    (*out)->ctx = ctx;
    pthread_mutex_init(&(*out)->lock, NULL);
    return AZ_OK;
}

static void doc_free(az_doc *d)
{
    if (!d)
        return;
    if (d->text_in_slab) {
        d->x.text = (az_buf){NULL, 0, 0};
        d->x.paras = NULL;
        d->raw = NULL;
    }
    az_extract_free(&d->x);
    az_sketch_free(&d->sk);
    free(d->dropped);
    free(d->raw);
    az_arena_free(&d->arena);
    if (d->in_slab)
        return;
    free(d->bkeys);
    free(d->blens);
    free(d->boffs);
    free(d);
}

void az_corpus_free(az_corpus *c)
{
    if (!c)
        return;
    if (c->pool)
        drain(c);
    az_pool_free(c->pool);
    for (size_t i = 0; i < c->n; i++)
        doc_free(c->docs[i]);
    az_slab_free(&c->slab);
    free(c->docs);
    free(c->errs);
    free(c->err_group);
    az_arena_free(&c->err_arena);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

void az_corpus_set_progress(az_corpus *c, az_progress_fn fn, void *user)
{
    c->progress = fn;
    c->progress_user = user;
}

void az_corpus_set_stages(az_corpus *c, az_stage_fn fn, void *user)
{
    c->stage = fn;
    c->stage_user = user;
}

void az_corpus_stage(const az_corpus *c, const char *stage)
{
    if (c->stage)
        c->stage(c->stage_user, stage);
}

az_ctx *az_corpus_ctx(az_corpus *c)
{
    return c->ctx;
}

void az_corpus_note_bytes(az_corpus *c, uint64_t bytes)
{
    pthread_mutex_lock(&c->lock);
    c->bytes += bytes;
    if (c->progress)
        c->progress(c->progress_user, c->n, c->bytes);
    pthread_mutex_unlock(&c->lock);
}

static void add_error_locked(az_corpus *c, const char *input, uint32_t line,
                             const char *msg)
{
    if (c->nerr == c->errcap) {
        size_t cap = c->errcap ? c->errcap * 2 : 16;
        az_input_error *e = realloc(c->errs, cap * sizeof(*e));
        if (!e)
            return; /* out of memory: the error is lost, not the run */
        c->errs = e;
        c->errcap = cap;
    }
    const char *in = az_arena_strdup(&c->err_arena, input);
    const char *m = az_arena_strdup(&c->err_arena, msg);
    if (!in || !m)
        return;
    if (c->nerr >= c->err_group_cap) {
        size_t cap = c->err_group_cap ? c->err_group_cap * 2 : 16;
        unsigned *g = realloc(c->err_group, cap * sizeof(*g));
        if (!g)
            return;
        c->err_group = g;
        c->err_group_cap = cap;
    }
    c->err_group[c->nerr] = c->group;
    c->errs[c->nerr++] = (az_input_error){in, line, m};
    az_error(c->ctx, AZ_EINPUT, "%s:%u: %s", input, line, msg);
}

void az_corpus_add_error(az_corpus *c, const char *input, uint32_t line,
                         const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&c->lock);
    add_error_locked(c, input, line, msg);
    pthread_mutex_unlock(&c->lock);
}

/* Line and column (1-based) of byte `off` in s. */
static void line_col(const char *s, size_t off, uint32_t *line, uint32_t *col)
{
    uint32_t l = 1;
    size_t start = 0;
    for (size_t i = 0; i < off; i++)
        if (s[i] == '\n') {
            l++;
            start = i + 1;
        }
    *line = l;
    *col = (uint32_t)(off - start + 1);
}

/* Reject what is not article text: too big, empty, binary or badly
 * encoded. Records the error and returns its status, else AZ_OK. */
static az_status screen_input(az_corpus *c, const char *path, uint32_t line,
                              bool in_record, const char *raw, size_t len,
                              az_format fmt)
{
    const az_options *o = &c->ctx->opt;
    /* A file's whole-input faults have no line; a record's have its own. */
    uint32_t where = in_record ? line : 0;
    if (len > o->max_doc_bytes) {
        az_corpus_add_error(c, path, where, "article is %zu bytes, over the "
                            "limit of %zu (--max-doc-bytes); skipped",
                            len, o->max_doc_bytes);
        return AZ_ETOOBIG;
    }
    size_t i = 0;
    while (i < len && az_is_space_ascii((unsigned char)raw[i]))
        i++;
    if (i == len) {
        az_corpus_add_error(c, path, where, "empty article; skipped");
        return AZ_EEMPTY;
    }
    /* A record's text needs no second look: az_ingest_record() checked
     * the whole record, and cJSON's unescaping makes valid UTF-8 of it
     * (a lone surrogate escape fails the parse; "\u0000" ends the string,
     * which is taken to its first NUL). It was 1 % of reading FA-KES. */
    size_t bad;
    if (!in_record && az_utf8_check(raw, len, &bad) != AZ_OK) {
        bool nul = raw[bad] == '\0';
        /* HTML may declare another charset; the parser converts it. */
        if (fmt == AZ_FORMAT_HTML && !nul)
            return AZ_OK;
        uint32_t l, col;
        line_col(raw, bad, &l, &col);
        az_corpus_add_error(c, path, l, "%s at column %u (byte %zu): "
                            "not UTF-8 text; skipped",
                            nul ? "NUL byte" : "invalid UTF-8", col, bad);
        return AZ_EINPUT;
    }
    return AZ_OK;
}

static az_status push_doc(az_corpus *c, az_doc *d)
{
    az_status st = AZ_OK;
    pthread_mutex_lock(&c->lock);
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        az_doc **p = realloc(c->docs, cap * sizeof(*p));
        if (p) {
            c->docs = p;
            c->cap = cap;
        } else {
            st = AZ_ENOMEM;
        }
    }
    if (st == AZ_OK)
        c->docs[c->n++] = d;
    pthread_mutex_unlock(&c->lock);
    return st;
}

/* Metadata: given values (manifest or record) win over inferred ones. */
static az_status set_meta(az_doc *d, const char *const *values,
                          az_meta_source vsource)
{
    for (int k = 0; k < AZ_META_COUNT; k++) {
        az_meta *m = &d->meta[k];
        const az_found *f = az_extract_found_for(&d->x, (az_meta_key)k);
        if (values && values[k] && values[k][0]) {
            m->value = az_arena_strdup(&d->arena, values[k]);
            m->source = vsource;
        } else if (f) {
            m->value = az_arena_strdup(&d->arena, f->value);
            m->source = AZ_SRC_INFERRED;
            m->how = f->how;
            m->line = f->line;
        }
        if (m->source != AZ_SRC_NONE && !m->value)
            return AZ_ENOMEM;
    }
    /* An outlet named in the manifest beats one read off the URL, but a
     * URL given without an outlet still names one. */
    if (!d->meta[AZ_META_OUTLET].value && d->meta[AZ_META_URL].value) {
        const char *u = d->meta[AZ_META_URL].value;
        char *o = az_meta_outlet_from_url(u, strlen(u));
        if (o) {
            d->meta[AZ_META_OUTLET].value = az_arena_strdup(&d->arena, o);
            d->meta[AZ_META_OUTLET].source = AZ_SRC_INFERRED;
            d->meta[AZ_META_OUTLET].how = "url-domain";
            free(o);
            if (!d->meta[AZ_META_OUTLET].value)
                return AZ_ENOMEM;
        }
    }
    return AZ_OK;
}

/* Clean raw input into x: the first reading and any later one (a
 * streamed document read again) must give the same text. */
static az_status clean_raw(az_ctx *ctx, az_extract *x, const char *raw,
                           size_t len, az_format fmt, const char *path)
{
    if (fmt == AZ_FORMAT_HTML)
        return az_clean_html(ctx, x, raw, len, path);
    /* A UTF-8 byte order mark is not text. */
    size_t skip = len >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    az_status st = az_clean_text(ctx, x, raw + skip, len - skip);
    for (size_t i = 0; st == AZ_OK && skip && i < x->npara; i++)
        if (x->paras[i].src_off != SIZE_MAX)
            x->paras[i].src_off += skip;
    return st;
}

static size_t newlines(const char *s, size_t n)
{
    size_t k = 0;
    for (const char *e = s + n; (s = memchr(s, '\n', (size_t)(e - s))); s++)
        k++;
    return k;
}

/* Whether the cleaned text is the raw input's own bytes: each paragraph a
 * span of it, in order, on the line counted from its start, so that
 * replay() rebuilds the text from the spans. Decoded (HTML) or collapsed
 * text is not. */
static bool replayable(const az_doc *d)
{
    const az_extract *x = &d->x;
    if (!d->raw || d->raw_len > UINT32_MAX)
        return false;
    size_t pos = 0;
    uint32_t line = 1;
    for (size_t p = 0; p < x->npara; p++) {
        const az_para *q = &x->paras[p];
        if (q->src_off == SIZE_MAX || q->src_off < pos || q->len > d->raw_len ||
            q->src_off > d->raw_len - q->len)
            return false;
        line += (uint32_t)newlines(d->raw + pos, q->src_off - pos);
        pos = q->src_off;
        if (q->line != line || memcmp(x->text.ptr + q->off, d->raw + q->src_off, q->len))
            return false;
    }
    return true;
}

/* The text of a replayable document from its raw input: the paragraphs
 * it kept, less those boilerplate learning dropped, as cleaning and
 * az_boiler_redo() would have made it. */
static az_status replay(const az_doc *d, az_extract *x, const char *raw, size_t len)
{
    x->versions = d->x.versions;
    memcpy(x->stats, d->x.stats, sizeof(x->stats));
    size_t n = d->nbkeys;
    if (az_buf_grow(&x->text, d->text_len + 1) != AZ_OK ||
        !(x->paras = malloc((n ? n : 1) * sizeof(*x->paras))))
        return AZ_ENOMEM;
    x->cap = n;
    size_t pos = 0, k = 0;
    uint32_t line = 1;
    for (size_t p = 0; p < n; p++) {
        size_t off = d->boffs[p], plen = d->blens[p];
        if (off < pos || plen > len || off > len - plen)
            return AZ_EIO; /* not the input it was: changed during the run */
        line += (uint32_t)newlines(raw + pos, off - pos);
        pos = off;
        if (k < d->ndropped && d->dropped[k] == p) {
            k++;
            continue;
        }
        if (x->npara && az_buf_putc(&x->text, '\n') != AZ_OK)
            return AZ_ENOMEM;
        x->paras[x->npara++] = (az_para){x->text.len, plen, off, line};
        if (az_buf_put(&x->text, raw + off, plen) != AZ_OK)
            return AZ_ENOMEM;
    }
    return AZ_OK;
}

/* Lend the context's text and paragraph arrays to d's extract (see
 * az_ctx.text_room), and take them back; a document that fails frees
 * them, and the context makes new ones. */
static void lend(az_ctx *ctx, az_doc *d)
{
    d->x.text = (az_buf){ctx->text_room, 0, ctx->text_room_cap};
    d->x.paras = ctx->para_room;
    d->x.cap = ctx->para_room_cap;
    ctx->text_room = NULL;
    ctx->para_room = NULL;
    ctx->text_room_cap = ctx->para_room_cap = 0;
}

static void give_back(az_ctx *ctx, az_doc *d)
{
    /* An outsized article's arrays are not kept for the small ones. */
    enum { KEEP = 1 << 20 };
    if (d->x.text.cap <= KEEP && d->x.cap * sizeof(az_para) <= KEEP) {
        ctx->text_room = d->x.text.ptr;
        ctx->text_room_cap = d->x.text.cap;
        ctx->para_room = d->x.paras;
        ctx->para_room_cap = d->x.cap;
    } else {
        az_buf_free(&d->x.text);
        free(d->x.paras);
    }
    d->x.text = (az_buf){NULL, 0, 0};
    d->x.paras = NULL;
    d->x.npara = d->x.cap = 0;
}

/* Keep of a cleaned document what the corpus and the near-duplicate pass
 * need, and let its text go: it is read again if it is wanted. */
static az_status stream_doc(az_corpus *c, az_ctx *ctx, az_doc *d)
{
    const az_extract *x = &d->x;
    const char *outlet = d->meta[AZ_META_OUTLET].value;
    bool replay_ok = replayable(d);
    if ((outlet || replay_ok) && x->npara) {
        d->blens = malloc(x->npara * sizeof(*d->blens));
        if (!d->blens || (outlet && !(d->bkeys = malloc(x->npara * sizeof(*d->bkeys)))) ||
            (replay_ok && !(d->boffs = malloc(x->npara * sizeof(*d->boffs)))))
            return AZ_ENOMEM;
        for (size_t p = 0; p < x->npara; p++) {
            d->blens[p] = (uint32_t)x->paras[p].len;
            if (replay_ok)
                d->boffs[p] = (uint32_t)x->paras[p].src_off;
            if (outlet)
                d->bkeys[p] = x->paras[p].len < c->ctx->opt.boilerplate_min_bytes
                                  ? 0 : az_boiler_key(outlet, x->text.ptr + x->paras[p].off,
                                                      x->paras[p].len);
        }
        d->nbkeys = x->npara;
    }
    az_status st = az_sketch_text(ctx, x->text.ptr, x->text.len, &d->sk);
    if (st != AZ_OK)
        return st;
    d->words = d->sk.words;
    d->text_len = x->text.len;
    give_back(ctx, d);
    free(d->raw);
    d->raw = NULL;
    d->streamed = true;
    return AZ_OK;
}

static size_t room_of(const char *s)
{
    return s ? strlen(s) + 1 : 0;
}

/* Copy v[0, bytes) to *at and move *at past it; NULL for NULL. */
static void *put_array(char **at, const void *v, size_t bytes)
{
    if (!v)
        return NULL;
    void *p = memcpy(*at, v, bytes);
    *at += bytes;
    return p;
}

/* The same for s[0, len), then a NUL. */
static char *put_text(char **at, const char *s, size_t len)
{
    char *p = put_array(at, s, len);
    if (p)
        *(*at)++ = '\0';
    return p;
}

static char *put_str(char **at, const char *s)
{
    return s ? put_text(at, s, strlen(s)) : NULL;
}

/* Move what a document keeps into the corpus's slab: its struct,
 * strings, paragraph arrays and sketch (the near-duplicate pass takes
 * the sketch over, and leaves it there), and, when it keeps its text,
 * the text, paragraphs and raw input (the text's arrays go back to ctx,
 * which lent them). *out is the moved copy, d is freed. AZ_ENOMEM leaves
 * d as it was. */
static az_status keep_doc(az_corpus *c, az_ctx *ctx, az_doc *d, az_doc **out)
{
    size_t n = d->nbkeys, head = (sizeof(az_doc) + 15) & ~(size_t)15;
    size_t nsig = d->sk.sig ? c->ctx->opt.minhash_perms : 0;
    size_t np = d->x.paras ? d->x.npara : 0;
    size_t tlen = d->x.text.ptr ? d->x.text.len : 0;
    size_t size = head + d->sk.nprints * sizeof(*d->sk.prints) +
                  np * sizeof(*d->x.paras) + nsig * sizeof(*d->sk.sig) +
                  (d->bkeys ? n * sizeof(*d->bkeys) : 0) +
                  (d->blens ? n * sizeof(*d->blens) : 0) +
                  (d->boffs ? n * sizeof(*d->boffs) : 0) + room_of(d->id) +
                  room_of(d->path) + (d->x.text.ptr ? tlen + 1 : 0) +
                  (d->raw ? d->raw_len + 1 : 0);
    for (int k = 0; k < AZ_META_COUNT; k++)
        size += room_of(d->meta[k].value);
    pthread_mutex_lock(&c->lock);
    char *at = az_slab_alloc(&c->slab, size);
    pthread_mutex_unlock(&c->lock);
    if (!at)
        return AZ_ENOMEM;
    az_doc *k = (az_doc *)(void *)at;
    *k = *d;
    at += head;
    /* Widest first: each array stays aligned. */
    k->sk.prints = put_array(&at, d->sk.prints, d->sk.nprints * sizeof(*d->sk.prints));
    k->x.paras = put_array(&at, d->x.paras, np * sizeof(*d->x.paras));
    k->x.cap = np;
    k->bkeys = put_array(&at, d->bkeys, n * sizeof(*d->bkeys));
    k->sk.sig = put_array(&at, d->sk.sig, nsig * sizeof(*d->sk.sig));
    k->sk.in_slab = true;
    k->blens = put_array(&at, d->blens, n * sizeof(*d->blens));
    k->boffs = put_array(&at, d->boffs, n * sizeof(*d->boffs));
    k->id = put_str(&at, d->id);
    k->path = put_str(&at, d->path);
    for (int m = 0; m < AZ_META_COUNT; m++)
        k->meta[m].value = put_str(&at, d->meta[m].value);
    if (d->x.text.ptr)
        k->x.text = (az_buf){put_text(&at, d->x.text.ptr, tlen), tlen, tlen + 1};
    k->raw = put_text(&at, d->raw, d->raw_len);
    k->arena = (az_arena)AZ_ARENA_INIT;
    k->in_slab = k->text_in_slab = true;
    /* What cleaning found is in the metadata now (d's goes with d). */
    k->x.found = NULL;
    if (d->x.text.ptr || d->x.paras)
        give_back(ctx, d);
    doc_free(d);
    *out = k;
    return AZ_OK;
}

az_status az_corpus_clean_doc(az_corpus *c, az_ctx *ctx, const char *id,
                              const char *path, uint32_t line, char *raw,
                              size_t len, az_format fmt,
                              const char *const *values, az_meta_source vsource,
                              az_source src)
{
    bool in_record = vsource == AZ_SRC_RECORD;
    az_status st = screen_input(c, path, line, in_record, raw, len, fmt);
    if (st != AZ_OK) {
        free(raw);
        return st;
    }
    az_doc *d = calloc(1, sizeof(*d));
    if (!d) {
        free(raw);
        return AZ_ENOMEM;
    }
    d->raw = raw;
    d->raw_len = len;
    d->format = fmt;
    d->line = line;
    d->src = src;
    d->from_record = in_record;
    d->group = c->group;
    az_extract_init(&d->x);
    d->id = az_arena_strdup(&d->arena, id);
    d->path = az_arena_strdup(&d->arena, path);
    if (!d->id || !d->path) {
        st = AZ_ENOMEM;
        goto fail;
    }
    bool streamed = c->streaming && src.off != UINT64_MAX;
    lend(ctx, d);
    st = clean_raw(ctx, &d->x, raw, len, fmt, path);
    if (st == AZ_OK && d->x.npara == 0)
        st = AZ_EEMPTY;
    if (st == AZ_EEMPTY || st == AZ_EINPUT) {
        az_corpus_add_error(c, path, in_record ? line : 0, "%s; skipped",
                            st == AZ_EEMPTY ? "no article text left after "
                            "cleaning" : az_ctx_last_error(ctx));
        goto fail;
    }
    if (st != AZ_OK || (st = set_meta(d, values, vsource)) != AZ_OK)
        goto fail;
    if ((streamed && (st = stream_doc(c, ctx, d)) != AZ_OK) ||
        (st = keep_doc(c, ctx, d, &d)) != AZ_OK)
        goto fail;
    if ((st = push_doc(c, d)) != AZ_OK)
        goto fail;
    return AZ_OK;
fail:
    doc_free(d);
    return st;
}

/* ---- work handed to the pool ---- */

/* One input for a worker: a file's bytes, or a JSON Lines record. Owns
 * copies of everything the reader may free or reuse. */
typedef struct doc_job {
    az_corpus *c;
    char *id, *path;
    uint32_t line;
    char *raw;
    size_t len;
    az_format fmt;
    bool has_values;
    char *values[AZ_META_COUNT];
    az_meta_source vsource;
    az_source src;
} doc_job;

static void job_free(doc_job *j)
{
    free(j->id);
    free(j->path);
    free(j->raw);
    for (int k = 0; k < AZ_META_COUNT; k++)
        free(j->values[k]);
    free(j);
}

static void run_job(az_ctx *wctx, void *arg)
{
    doc_job *j = arg;
    az_corpus *c = j->c;
    az_status st = az_corpus_clean_doc(c, wctx, j->id, j->path, j->line,
                                       j->raw, j->len, j->fmt,
                                       j->has_values ? (const char *const *)j->values
                                                     : NULL, j->vsource, j->src);
    j->raw = NULL; /* taken over */
    if (st == AZ_ENOMEM) {
        pthread_mutex_lock(&c->lock);
        if (c->pool_status == AZ_OK)
            c->pool_status = st;
        pthread_mutex_unlock(&c->lock);
    }
    job_free(j);
}

/* The pool, started on the first input when more than one thread is
 * wanted; NULL: do the work on this thread. */
static az_pool *pool_of(az_corpus *c)
{
    unsigned t = az_threads(&c->ctx->opt);
    if (!c->pool && t > 1 && az_pool_new(&c->pool, &c->ctx->opt, t,
                                         QUEUE_BYTES) != AZ_OK)
        c->pool = NULL; /* no threads to be had: read on one */
    return c->pool;
}

static char *dup_or_null(const char *s, bool *ok)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        *ok = false;
    return d;
}

az_status az_corpus_add_doc(az_corpus *c, const char *id, const char *path,
                            uint32_t line, char *raw, size_t len,
                            az_format fmt, const char *const *values,
                            az_meta_source vsource, az_source src)
{
    az_pool *p = pool_of(c);
    if (!p)
        return az_corpus_clean_doc(c, c->ctx, id, path, line, raw, len, fmt,
                                   values, vsource, src);
    doc_job *j = calloc(1, sizeof(*j));
    bool ok = j != NULL;
    if (ok) {
        *j = (doc_job){.c = c, .line = line, .raw = raw, .len = len,
                       .fmt = fmt, .vsource = vsource, .has_values = values,
                       .src = src};
        j->id = dup_or_null(id, &ok);
        j->path = dup_or_null(path, &ok);
        for (int k = 0; values && k < AZ_META_COUNT; k++)
            j->values[k] = dup_or_null(values[k], &ok);
    }
    if (!ok) {
        if (j)
            job_free(j);
        else
            free(raw);
        return AZ_ENOMEM;
    }
    az_pool_submit(p, run_job, j, len);
    return AZ_OK;
}

static void batch_free(rec_batch *b)
{
    if (!b)
        return;
    free(b->path);
    az_buf_free(&b->data);
    free(b->rec);
    free(b);
}

static void run_batch(az_ctx *wctx, void *arg)
{
    rec_batch *b = arg;
    az_corpus *c = b->c;
    for (size_t i = 0; i < b->n; i++)
        if (az_ingest_record(c, wctx, b->path, b->rec[i].line, b->rec[i].src_off,
                             b->data.ptr + b->rec[i].off, b->rec[i].len) == AZ_ENOMEM) {
            pthread_mutex_lock(&c->lock);
            if (c->pool_status == AZ_OK)
                c->pool_status = AZ_ENOMEM;
            pthread_mutex_unlock(&c->lock);
            break;
        }
    batch_free(b);
}

static void flush_batch(az_corpus *c)
{
    rec_batch *b = c->batch;
    c->batch = NULL;
    if (b)
        az_pool_submit(c->pool, run_batch, b, b->data.len);
}

az_status az_corpus_add_record(az_corpus *c, const char *path, uint32_t line,
                               uint64_t off, const char *s, size_t len)
{
    az_pool *p = pool_of(c);
    if (!p)
        return az_ingest_record(c, c->ctx, path, line, off, s, len);
    if (c->batch && strcmp(c->batch->path, path) != 0)
        flush_batch(c);
    rec_batch *b = c->batch;
    if (!b) {
        if (!(b = calloc(1, sizeof(*b))))
            return AZ_ENOMEM;
        b->c = c;
        if (!(b->path = strdup(path))) {
            free(b);
            return AZ_ENOMEM;
        }
        c->batch = b;
    }
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 32;
        rec_span *r = realloc(b->rec, cap * sizeof(*r));
        if (!r)
            return AZ_ENOMEM;
        b->rec = r;
        b->cap = cap;
    }
    b->rec[b->n++] = (rec_span){b->data.len, len, off, line};
    if (az_buf_put(&b->data, s, len) != AZ_OK)
        return AZ_ENOMEM;
    if (b->data.len >= BATCH_BYTES)
        flush_batch(c);
    return AZ_OK;
}

/* Until the workers have added everything read so far. */
static az_status drain(az_corpus *c)
{
    if (c->pool) {
        flush_batch(c);
        az_pool_wait(c->pool);
    }
    return c->pool_status;
}

az_status az_corpus_add_cleaned(az_corpus *c, const char *id, const char *path,
                                char *text, size_t len, const char *const *values)
{
    az_doc *d = calloc(1, sizeof(*d));
    if (!d) {
        free(text);
        return AZ_ENOMEM;
    }
    d->raw = text;
    d->raw_len = len;
    d->format = AZ_FORMAT_TEXT;
    d->line = 1;
    d->src.off = UINT64_MAX;
    d->group = c->group;
    az_extract_init(&d->x);
    d->id = az_arena_strdup(&d->arena, id);
    d->path = az_arena_strdup(&d->arena, path ? path : id);
    az_status st = d->id && d->path ? AZ_OK : AZ_ENOMEM;
    uint32_t line = 1;
    for (size_t i = 0; st == AZ_OK && i < len; line++) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len;
        st = az_extract_para(&d->x, text + i, end - i, i, line, false);
        i = end + 1;
    }
    if (st == AZ_OK)
        st = set_meta(d, values, AZ_SRC_MANIFEST);
    if (st == AZ_OK)
        st = push_doc(c, d);
    if (st != AZ_OK)
        doc_free(d);
    return st;
}

az_status az_corpus_add_memory(az_corpus *c, const char *id, const char *data,
                               size_t len, az_format fmt)
{
    char *copy = malloc(len + 1);
    if (!copy)
        return AZ_ENOMEM;
    memcpy(copy, data, len);
    copy[len] = '\0';
    /* On this thread: the caller gets the input error as the status. */
    return az_corpus_clean_doc(c, c->ctx, id, id, 1, copy, len, fmt, NULL,
                               AZ_SRC_NONE, (az_source){UINT64_MAX, 0});
}

az_status az_corpus_add_path(az_corpus *c, const char *path)
{
    az_status st = az_ingest_path(c, path);
    /* Its documents and errors are in when this returns, as without
     * workers: callers count them per path. */
    az_status ws = drain(c);
    return st != AZ_OK ? st : ws;
}

static int doc_cmp(const void *a, const void *b)
{
    const az_doc *x = *(const az_doc *const *)a, *y = *(const az_doc *const *)b;
    int r = strcmp(x->id, y->id);
    if (r)
        return r;
    r = strcmp(x->path, y->path);
    return r ? r : (x->line > y->line) - (x->line < y->line);
}

/* The documents in doc_cmp's order. A qsort of a million pointers,
 * each comparison two cache misses to reach the ids, took a second on
 * one thread: first a radix sort (on every thread) of the eight bytes
 * that follow what all ids share, then doc_cmp only within runs those
 * bytes leave equal. */
static az_status sort_docs(az_corpus *c)
{
    size_t n = c->n, lcp = strlen(c->docs[0]->id);
    for (size_t i = 1; i < n && lcp; i++) {
        const char *a = c->docs[0]->id, *b = c->docs[i]->id;
        size_t k = 0;
        while (k < lcp && a[k] == b[k])
            k++;
        lcp = k;
    }
    az_keyed *k = malloc(n * sizeof(*k));
    az_doc **sorted = malloc(n * sizeof(*sorted));
    if (!k || !sorted) {
        free(k);
        free(sorted);
        return AZ_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        const unsigned char *id = (const unsigned char *)c->docs[i]->id + lcp;
        uint64_t key = 0;
        bool ended = false; /* past the NUL: zeros, as strcmp sees it */
        for (size_t b = 0; b < 8; b++) {
            unsigned char ch = ended ? 0 : id[b];
            ended = ch == 0;
            key = key << 8 | ch;
        }
        k[i] = (az_keyed){key, (uint32_t)i, 0};
    }
    az_status st = az_sort_keyed_par(k, n, AZ_SORT_KEY, az_threads(&c->ctx->opt));
    for (size_t i = 0; st == AZ_OK && i < n; i++)
        sorted[i] = c->docs[k[i].doc];
    for (size_t a = 0, b; st == AZ_OK && a < n; a = b) {
        for (b = a + 1; b < n && k[b].key == k[a].key; b++)
            ;
        if (b - a > 1)
            qsort(sorted + a, b - a, sizeof(*sorted), doc_cmp);
    }
    if (st == AZ_OK)
        memcpy(c->docs, sorted, n * sizeof(*sorted));
    free(k);
    free(sorted);
    return st;
}

typedef struct grouped_error {
    az_input_error e;
    unsigned group;
} grouped_error;

static int err_cmp(const void *a, const void *b)
{
    const grouped_error *gx = a, *gy = b;
    if (gx->group != gy->group)
        return gx->group < gy->group ? -1 : 1;
    const az_input_error *x = &gx->e, *y = &gy->e;
    int r = strcmp(x->input, y->input);
    if (r)
        return r;
    r = (x->line > y->line) - (x->line < y->line);
    return r ? r : strcmp(x->message, y->message);
}

/* Drop the later of two documents with one id, naming both places. */
static void drop_duplicate_ids(az_corpus *c)
{
    size_t w = 0;
    for (size_t r = 0; r < c->n; r++) {
        if (w > 0 && strcmp(c->docs[w - 1]->id, c->docs[r]->id) == 0) {
            az_doc *keep = c->docs[w - 1], *d = c->docs[r];
            az_corpus_add_error(c, d->path, d->line, "duplicate document id "
                                "\"%s\" (first at %s:%u); skipped", d->id,
                                keep->path, keep->line);
            doc_free(d);
            continue;
        }
        c->docs[w++] = c->docs[r];
    }
    c->n = w;
}

static az_status fill_cleaning(az_corpus *c, az_doc *d)
{
    size_t n = 0;
    for (int k = 0; k < AZ_CLEAN_RULE_COUNT; k++)
        n += d->x.stats[k].items != 0;
    d->ncleaning = 0;
    d->cleaning = NULL;
    if (n == 0)
        return AZ_OK;
    if (!(d->cleaning = az_slab_alloc(&c->slab, n * sizeof(*d->cleaning))))
        return AZ_ENOMEM;
    for (int k = 0; k < AZ_CLEAN_RULE_COUNT; k++)
        if (d->x.stats[k].items)
            d->cleaning[d->ncleaning++] = (az_cleaning){
                az_clean_rule_names[k], d->x.stats[k].items, d->x.stats[k].bytes};
    return AZ_OK;
}

/* ---- distributed runs ---- */

static az_status pack_doc(az_buf *b, const az_doc *d, unsigned perms)
{
    az_status st = AZ_OK;
    AZ_PACK(st, az_pack_str(b, d->id));
    AZ_PACK(st, az_pack_str(b, d->path));
    AZ_PACK(st, az_pack_u32(b, d->line));
    AZ_PACK(st, az_pack_u32(b, (uint32_t)d->format));
    AZ_PACK(st, az_pack_u32(b, d->from_record));
    AZ_PACK(st, az_pack_u32(b, d->group));
    AZ_PACK(st, az_pack_u32(b, d->x.versions));
    for (int k = 0; k < AZ_CLEAN_RULE_COUNT; k++) {
        AZ_PACK(st, az_pack_u32(b, d->x.stats[k].items));
        AZ_PACK(st, az_pack_u64(b, d->x.stats[k].bytes));
    }
    for (int k = 0; k < AZ_META_COUNT; k++) {
        AZ_PACK(st, az_pack_str(b, d->meta[k].value));
        AZ_PACK(st, az_pack_u32(b, (uint32_t)d->meta[k].source));
        AZ_PACK(st, az_pack_str(b, d->meta[k].how));
        AZ_PACK(st, az_pack_u32(b, d->meta[k].line));
    }
    AZ_PACK(st, az_pack_u64(b, d->src.off));
    AZ_PACK(st, az_pack_u64(b, d->src.len));
    AZ_PACK(st, az_pack_u64(b, d->text_len));
    AZ_PACK(st, az_pack_u64(b, d->words));
    AZ_PACK(st, az_pack_bytes(b, d->sk.sig, perms * sizeof(*d->sk.sig)));
    /* What boilerplate learning needs: the keys, of a page with an outlet. */
    size_t nk = d->bkeys ? d->nbkeys : 0;
    AZ_PACK(st, az_pack_bytes(b, d->bkeys, nk * sizeof(*d->bkeys)));
    AZ_PACK(st, az_pack_bytes(b, d->blens, nk * sizeof(*d->blens)));
    return st;
}

/* A document another rank read; NULL when out of memory or malformed. */
static az_doc *unpack_doc(az_unpack *u, unsigned perms)
{
    az_doc *d = calloc(1, sizeof(*d));
    if (!d)
        return NULL;
    az_extract_init(&d->x);
    d->streamed = d->remote = true;
    d->id = az_unpack_str(u, &d->arena);
    d->path = az_unpack_str(u, &d->arena);
    d->line = az_unpack_u32(u);
    d->format = (az_format)az_unpack_u32(u);
    d->from_record = az_unpack_u32(u) != 0;
    d->group = az_unpack_u32(u);
    d->x.versions = az_unpack_u32(u);
    for (int k = 0; k < AZ_CLEAN_RULE_COUNT; k++) {
        d->x.stats[k].items = az_unpack_u32(u);
        d->x.stats[k].bytes = az_unpack_u64(u);
    }
    for (int k = 0; k < AZ_META_COUNT; k++) {
        d->meta[k].value = az_unpack_str(u, &d->arena);
        d->meta[k].source = (az_meta_source)az_unpack_u32(u);
        d->meta[k].how = az_unpack_str(u, &d->arena);
        d->meta[k].line = az_unpack_u32(u);
    }
    d->src.off = az_unpack_u64(u);
    d->src.len = az_unpack_u64(u);
    d->text_len = az_unpack_u64(u);
    d->words = az_unpack_u64(u);
    size_t n, nk, nl;
    const void *sig = az_unpack_bytes(u, &n);
    const void *keys = az_unpack_bytes(u, &nk);
    const void *lens = az_unpack_bytes(u, &nl);
    d->nbkeys = nk / sizeof(*d->bkeys);
    d->sk.words = d->words;
    d->sk.sig = malloc(perms * sizeof(*d->sk.sig));
    d->bkeys = malloc(nk ? nk : 1);
    d->blens = malloc(nl ? nl : 1);
    if (u->bad || !d->id || !d->path || n != perms * sizeof(*d->sk.sig) ||
        nl != d->nbkeys * sizeof(*d->blens) || !d->sk.sig || !d->bkeys || !d->blens) {
        doc_free(d);
        return NULL;
    }
    memcpy(d->sk.sig, sig, n);
    if (nk) {
        memcpy(d->bkeys, keys, nk);
        memcpy(d->blens, lens, nl);
    }
    return d;
}

/* A document of a gzip file (or given in memory) cannot be read again at
 * an offset, so no other rank could verify it: an input error, as for a
 * bad file. */
static void drop_unseekable(az_corpus *c)
{
    size_t w = 0;
    for (size_t r = 0; r < c->n; r++) {
        az_doc *d = c->docs[r];
        if (d->streamed) {
            c->docs[w++] = d;
            continue;
        }
        az_corpus_add_error(c, d->path, d->from_record ? d->line : 0,
                            "--mpi reads inputs again at an offset, which a "
                            "gzip file (or a text in memory) does not allow; "
                            "skipped (decompress it)");
        doc_free(d);
    }
    c->n = w;
}

/* Give every rank the documents and errors of all: what this rank read,
 * packed, to all, and theirs unpacked here. */
static az_status gather_ranks(az_corpus *c)
{
    unsigned perms = c->ctx->opt.minhash_perms;
    az_buf b = AZ_BUF_INIT, all = AZ_BUF_INIT;
    size_t *from = calloc((size_t)az_corpus_ranks(c) + 1, sizeof(*from));
    az_status st = from ? AZ_OK : AZ_ENOMEM;
    drop_unseekable(c);
    if (st == AZ_OK)
        st = az_pack_u64(&b, c->n);
    for (size_t i = 0; st == AZ_OK && i < c->n; i++)
        st = pack_doc(&b, c->docs[i], perms);
    if (st == AZ_OK)
        st = az_pack_u64(&b, c->nerr);
    for (size_t i = 0; st == AZ_OK && i < c->nerr; i++) {
        AZ_PACK(st, az_pack_str(&b, c->errs[i].input));
        AZ_PACK(st, az_pack_u32(&b, c->errs[i].line));
        AZ_PACK(st, az_pack_str(&b, c->errs[i].message));
        AZ_PACK(st, az_pack_u32(&b, c->err_group[i]));
    }
    st = az_mpi_agree(st);
    if (st == AZ_OK)
        st = az_mpi_allgather(b.ptr, b.len, &all, from);
    az_buf_free(&b);
    az_arena names = AZ_ARENA_INIT;
    for (unsigned r = 0; st == AZ_OK && r < az_corpus_ranks(c); r++) {
        az_unpack u = {all.ptr + from[r], from[r + 1] - from[r], 0, false};
        uint64_t n = az_unpack_u64(&u);
        if (r == az_corpus_rank(c))
            continue; /* its own documents and errors are here already */
        for (uint64_t i = 0; st == AZ_OK && i < n; i++) {
            az_doc *d = unpack_doc(&u, perms);
            st = d ? push_doc(c, d) : AZ_ENOMEM;
            if (d && st != AZ_OK)
                doc_free(d);
        }
        uint64_t ne = az_unpack_u64(&u);
        unsigned group = c->group;
        for (uint64_t i = 0; st == AZ_OK && i < ne && !u.bad; i++) {
            const char *in = az_unpack_str(&u, &names);
            uint32_t line = az_unpack_u32(&u);
            const char *msg = az_unpack_str(&u, &names);
            c->group = az_unpack_u32(&u);
            if (in && msg)
                add_error_locked(c, in, line, msg);
        }
        c->group = group;
        if (st == AZ_OK && u.bad)
            st = AZ_ENOMEM; /* a record cut short: only by a failed copy */
    }
    az_arena_free(&names);
    az_buf_free(&all);
    free(from);
    az_mpi_sum(&c->bytes, 1);
    return az_mpi_agree(st);
}

az_status az_corpus_finish(az_corpus *c)
{
    if (c->finished)
        return AZ_OK;
    az_status st = drain(c);
    az_pool_free(c->pool);
    c->pool = NULL;
    /* A rank that failed still joins in, so that none waits for it. */
    if (az_corpus_ranks(c) > 1 && (st = az_mpi_agree(st)) == AZ_OK)
        st = gather_ranks(c);
    if (st != AZ_OK)
        return st;
    if (c->n > UINT32_MAX)
        qsort(c->docs, c->n, sizeof(*c->docs), doc_cmp);
    else if (c->n > 1 && (st = sort_docs(c)) != AZ_OK)
        return st;
    drop_duplicate_ids(c);
    az_corpus_stage(c, "outlets' boilerplate");
    st = az_boiler_remove(c->ctx, c->docs, c->n);
    az_corpus_stage(c, NULL);
    if (st != AZ_OK)
        return st;
    for (size_t i = 0; i < c->n; i++) {
        az_doc *d = c->docs[i];
        if (fill_cleaning(c, d) != AZ_OK)
            return AZ_ENOMEM;
        if (d->streamed)
            continue; /* no text: its words were counted when sketched */
        d->words = SIZE_MAX; /* counted on demand: see az_doc_words() */
        /* The API promises a NUL-terminated text (not counted in len). */
        if (az_buf_cstr(&d->x.text) != AZ_OK)
            return AZ_ENOMEM;
    }
    /* Errors by input and line whatever order the workers finished in,
     * each group's together. */
    if (c->nerr > 1) {
        grouped_error *g = malloc(c->nerr * sizeof(*g));
        if (!g)
            return AZ_ENOMEM;
        for (size_t i = 0; i < c->nerr; i++)
            g[i] = (grouped_error){c->errs[i], c->err_group[i]};
        qsort(g, c->nerr, sizeof(*g), err_cmp);
        for (size_t i = 0; i < c->nerr; i++) {
            c->errs[i] = g[i].e;
            c->err_group[i] = g[i].group;
        }
        free(g);
    }
    c->finished = true;
    return AZ_OK;
}

size_t az_corpus_count(const az_corpus *c)
{
    return c->n;
}

const az_doc *az_corpus_doc(const az_corpus *c, size_t i)
{
    return i < c->n ? c->docs[i] : NULL;
}

az_doc *az_corpus_doc_mut(az_corpus *c, size_t i)
{
    return i < c->n ? c->docs[i] : NULL;
}

size_t az_corpus_error_count(const az_corpus *c)
{
    return c->nerr;
}

const az_input_error *az_corpus_error(const az_corpus *c, size_t i)
{
    return i < c->nerr ? &c->errs[i] : NULL;
}

uint64_t az_corpus_bytes(const az_corpus *c)
{
    return c->bytes;
}

void az_corpus_set_streaming(az_corpus *c, int on)
{
    c->streaming = on != 0;
}

/* Only a streaming corpus is shared out: one that keeps its texts is read
 * whole by every rank, which then works alone. */
unsigned az_corpus_ranks(const az_corpus *c)
{
    return c->streaming ? (unsigned)az_mpi_size() : 1;
}

unsigned az_corpus_rank(const az_corpus *c)
{
    return c->streaming ? (unsigned)az_mpi_rank() : 0;
}

az_status az_corpus_load(az_corpus *c, az_ctx *ctx, size_t i, az_doc *out)
{
    const az_doc *d = c->docs[i];
    *out = *d;
    out->reloaded = false;
    if (!d->streamed)
        return AZ_OK; /* shares the document's text: nothing to free */
    az_extract_init(&out->x);
    out->raw = NULL;
    out->reloaded = true;
    char *raw;
    size_t len;
    az_status st = az_ingest_reread(ctx, d, &raw, &len);
    if (st == AZ_OK) {
        out->raw = raw;
        out->raw_len = len;
        if (d->boffs)
            st = replay(d, &out->x, raw, len);
        else
            st = clean_raw(ctx, &out->x, raw, len, d->format, d->path);
    }
    /* The same cleaning of the same bytes gives the same text: anything
     * else means the input changed during the run. */
    if (st == AZ_OK && d->ndropped && !d->boffs)
        st = az_boiler_redo(out);
    if (st == AZ_OK && az_buf_cstr(&out->x.text) != AZ_OK)
        st = AZ_ENOMEM;
    if (st == AZ_OK && out->x.text.len != d->text_len)
        st = AZ_EIO;
    if (st != AZ_OK) {
        az_doc_unload(out);
        return az_error(ctx, st == AZ_ENOMEM ? st : AZ_EIO, "%s:%u: cannot "
                        "read the article again (%s): was the input changed "
                        "during the run?", d->path, d->line, az_status_str(st));
    }
    return AZ_OK;
}

/* Reading every text back (az_corpus_materialize): worker w cleans with
 * its own context, made when first needed. */
typedef struct materialize_job {
    az_corpus *c;
    size_t lo;
    az_ctx *ctx[AZ_MAX_THREADS];
} materialize_job;

static az_status materialize_range(void *user, unsigned w, size_t begin, size_t end)
{
    materialize_job *j = user;
    for (size_t i = j->lo + begin; i < j->lo + end; i++) {
        az_doc *d = j->c->docs[i], copy;
        if (!d->streamed)
            continue;
        if (!j->ctx[w] && az_ctx_new(&j->ctx[w], &j->c->ctx->opt) != AZ_OK)
            return AZ_ENOMEM;
        az_status st = az_corpus_load(j->c, j->ctx[w], i, &copy);
        if (st != AZ_OK)
            return st; /* the message is in the worker's context */
        /* The loaded copy's text, paragraphs and bytes become the
         * document's own, as if it had never been let go. */
        az_extract_free(&d->x);
        d->x = copy.x;
        d->raw = copy.raw;
        d->raw_len = copy.raw_len;
        d->text_in_slab = false; /* these are malloc's */
        d->streamed = false;
        d->words = SIZE_MAX; /* counted from the text, as for any kept text */
    }
    return AZ_OK;
}

az_status az_corpus_materialize(az_corpus *c, size_t lo, size_t hi)
{
    unsigned threads = az_threads(&c->ctx->opt);
    materialize_job *j = calloc(1, sizeof(*j));
    if (!j)
        return AZ_ENOMEM;
    j->c = c;
    j->lo = lo;
    az_status st = az_parallel(threads, hi - lo, 16, materialize_range, j);
    bool told = false; /* the first worker's message that failed */
    for (unsigned w = 0; w < AZ_MAX_THREADS; w++) {
        if (st != AZ_OK && !told && j->ctx[w] && *az_ctx_last_error(j->ctx[w])) {
            az_error(c->ctx, st, "%s", az_ctx_last_error(j->ctx[w]));
            told = true;
        }
        az_ctx_free(j->ctx[w]);
    }
    free(j);
    return st;
}

void az_doc_unload(az_doc *d)
{
    if (!d->reloaded)
        return;
    az_extract_free(&d->x);
    free(d->raw);
    d->raw = NULL;
    d->reloaded = false;
}

void az_corpus_set_group(az_corpus *c, unsigned group)
{
    drain(c); /* what was read before belongs to the old group */
    c->group = group;
}

unsigned az_doc_group(const az_doc *d)
{
    return d->group;
}

size_t az_corpus_error_count_in(const az_corpus *c, unsigned group)
{
    size_t n = 0;
    for (size_t i = 0; i < c->nerr; i++)
        n += c->err_group[i] == group;
    return n;
}

/* ---- document accessors ---- */

const char *az_doc_id(const az_doc *d) { return d->id; }
const char *az_doc_path(const az_doc *d) { return d->path; }
uint32_t az_doc_line(const az_doc *d) { return d->line; }
az_format az_doc_format(const az_doc *d) { return d->format; }
size_t az_doc_words(const az_doc *d)
{
    /* The near-duplicate pass counts tokens as it shingles; a document it
     * has not seen is counted once here. The cache is not part of the
     * document's observable state. */
    if (d->words == SIZE_MAX)
        ((az_doc *)d)->words = az_count_words(d->x.text.ptr, d->x.text.len);
    return d->words;
}
unsigned az_doc_versions(const az_doc *d) { return d->x.versions; }
size_t az_doc_para_count(const az_doc *d) { return d->x.npara; }
size_t az_doc_cleaning_count(const az_doc *d) { return d->ncleaning; }

const az_meta *az_doc_meta(const az_doc *d, az_meta_key key)
{
    static const az_meta none = {NULL, AZ_SRC_NONE, NULL, 0};
    return key < AZ_META_COUNT ? &d->meta[key] : &none;
}

const char *az_doc_text(const az_doc *d, size_t *len)
{
    if (len)
        *len = d->x.text.len;
    return d->x.text.ptr ? d->x.text.ptr : "";
}

const az_para *az_doc_para(const az_doc *d, size_t i)
{
    return i < d->x.npara ? &d->x.paras[i] : NULL;
}

const az_cleaning *az_doc_cleaning(const az_doc *d, size_t i)
{
    return i < d->ncleaning ? &d->cleaning[i] : NULL;
}

void az_doc_locate(const az_doc *d, size_t off, uint32_t *line, uint32_t *col)
{
    *line = d->line;
    *col = 1;
    if (d->x.npara == 0)
        return;
    /* Last paragraph starting at or before off. */
    size_t lo = 0, hi = d->x.npara;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (d->x.paras[mid].off <= off)
            lo = mid;
        else
            hi = mid;
    }
    const az_para *p = &d->x.paras[lo];
    if (d->from_record)
        return; /* the text was a JSON string: only its record line is known */
    *line = p->line;
    if (p->src_off == SIZE_MAX)
        return;
    size_t in = off - p->off;
    if (in > p->len)
        in = p->len;
    size_t src = p->src_off + in;
    /* The newlines between the paragraph's start and off, found with
     * memchr: byte loops over them (and back to the line's start) were a
     * seventh of `dups` on a directory of one-line articles, whose every
     * passage is located in both texts. */
    const char *r = d->raw, *q = r + p->src_off, *end = r + src, *last = NULL;
    while ((q = memchr(q, '\n', (size_t)(end - q))) != NULL) {
        (*line)++;
        last = q++;
    }
    size_t start = last ? (size_t)(last - r) + 1 : p->src_off;
    while (!last && start > 0 && r[start - 1] != '\n')
        start--;
    *col = (uint32_t)(src - start + 1);
}
