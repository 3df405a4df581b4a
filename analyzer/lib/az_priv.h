/*
 * az_priv.h - internals shared by the library's modules (never installed).
 */
#ifndef AZ_PRIV_H
#define AZ_PRIV_H

#include "analyzer.h"
#include "az_config.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define AZ_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define AZ_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define AZ_PRINTF(a, b)
#define AZ_ALWAYS_INLINE inline
#endif

/* ---- ctx.c ---- */

#define AZ_REREAD_FDS 16

struct az_ctx {
    az_options opt;
    char err[512];
    void *clean_scratch; /* clean_text.c's per-page work space, kept for
                            the next page (a context is one thread's) */
    /* The banding az_lsh_choose picked for (threshold, perms, weight):
     * the search costs some 35 M instructions, most of a one-article
     * `check`, and its answer only changes with those options. */
    az_lsh_params lsh;
    double lsh_for[3];
    bool lsh_valid;
    /* The inputs az_ingest_reread() read last, kept open: verification
     * re-reads thousands of records of each JSON Lines file, and an open
     * and close for each was a twentieth of a run (path walks, in the
     * kernel). Several: verifying takes groups of copies in turn, whose
     * records lie in every file of a sharded corpus, and with one kept
     * the opens came back (a tenth of verifying a million). */
    int reread_fd[AZ_REREAD_FDS];  /* -1: none */
    char *reread_path[AZ_REREAD_FDS];
    unsigned reread_next;          /* the slot to reuse next */
    struct az_shingles *shingles; /* az_sketch_text's work space */
    /* A document's cleaned text and paragraphs are written here (lent to
     * its extract) and given back once it is sketched or copied into the
     * corpus's slab: a fresh malloc of each for every article cost a
     * tenth of reading, in the allocator's search of a heap the articles'
     * kept arrays cut up. */
    char *text_room;
    size_t text_room_cap;
    az_para *para_room;
    size_t para_room_cap;
};

/* Record a failure on `ctx` and return `st`, so callers can write
 * `return az_error(ctx, AZ_EINPUT, "%s:%u: ...", ...)`. */
az_status az_error(az_ctx *ctx, az_status st, const char *fmt, ...)
    AZ_PRINTF(3, 4);

/* malloc and realloc for the passes' large arrays (index slices, their
 * sort scratch, candidate lists, boilerplate occurrences: hundreds of MB
 * at a million articles), advised to the kernel as huge-page memory
 * from 32 MB up. On a virtual machine a page's first touch costs some
 * 10 us (the hypervisor fills its own tables): 4 KB pages made a quarter
 * of pairing at a million articles, and huge pages halved that pass.
 * Freed with free(). */
void *az_malloc_big(size_t bytes);
void *az_realloc_big(void *p, size_t bytes);

/* ---- buf.c: a growable byte string ---- */

typedef struct az_buf {
    char *ptr;
    size_t len;
    size_t cap;
} az_buf;

#define AZ_BUF_INIT {NULL, 0, 0}

az_status az_buf_grow(az_buf *b, size_t extra);
az_status az_buf_put(az_buf *b, const char *s, size_t len);
az_status az_buf_puts(az_buf *b, const char *s);
az_status az_buf_putc(az_buf *b, char c);
az_status az_buf_printf(az_buf *b, const char *fmt, ...) AZ_PRINTF(2, 3);
/* NUL-terminate without counting the NUL in len. */
az_status az_buf_cstr(az_buf *b);
/* Hand the storage to the caller (NUL-terminated) and reset the buffer. */
char *az_buf_detach(az_buf *b);
void az_buf_free(az_buf *b);

/* ---- arena.c: bump allocation freed in one call ---- */

typedef struct az_arena_block az_arena_block;
typedef struct az_arena {
    az_arena_block *head;
    size_t next_size; /* of the next shared block; 0: the first */
} az_arena;

#define AZ_ARENA_INIT {NULL, 0}

void *az_arena_alloc(az_arena *a, size_t size);
char *az_arena_strndup(az_arena *a, const char *s, size_t len);
char *az_arena_strdup(az_arena *a, const char *s);
void az_arena_free(az_arena *a);

/* A slab: bump allocation from chunks of 32 MB advised as huge pages
 * (az_malloc_big), for what lives as long as its owner and is made a
 * little at a time by the million: a corpus's documents. Nothing in it
 * is freed alone. With -Darena_malloc=true each allocation is its own
 * block, as in an arena. */
typedef struct az_slab_chunk az_slab_chunk;
typedef struct az_slab {
    az_slab_chunk *head;
} az_slab;

#define AZ_SLAB_INIT {NULL}

/* size bytes, 16-byte aligned; NULL when out of memory. */
void *az_slab_alloc(az_slab *s, size_t size);
void az_slab_free(az_slab *s);

/* ---- sort.c ---- */

/* Ascending, in place, without comparisons (radix). */
void az_sort_u64(uint64_t *v, size_t n);

/* A 64-bit key and the document (and one more number) it belongs to. */
typedef struct az_keyed {
    uint64_t key;
    uint32_t doc;
    uint32_t aux;
} az_keyed;

enum { AZ_SORT_KEY = 1, AZ_SORT_DOC = 2 };
/* Stable radix sort by key, by doc, or by (key, doc) when both. */
az_status az_sort_keyed(az_keyed *v, size_t n, unsigned by);
/* The sort's scratch, kept by a caller that sorts array after array:
 * fresh scratch of hundreds of megabytes for each was faulted in page by
 * page each time. AZ_SORT_ROOM_INIT to start. */
typedef struct az_sort_room {
    az_keyed *tmp;
    size_t cap;
    size_t *count; /* 65536 digit counts */
} az_sort_room;
#define AZ_SORT_ROOM_INIT {NULL, 0, NULL}
az_status az_sort_keyed_in(az_keyed *v, size_t n, unsigned by, az_sort_room *room);
/* The same on `threads` threads: each pass shared among them. */
az_status az_sort_keyed_par(az_keyed *v, size_t n, unsigned by, unsigned threads);
void az_sort_room_free(az_sort_room *room);

/* Union-find over indices (parent[i] = i to start). The smaller index is
 * always the root, so a set's root is its first member whatever order the
 * unions came in. */
size_t az_uf_find(size_t *parent, size_t x);
void az_uf_union(size_t *parent, size_t a, size_t b);

/* ---- pack.c: flat records exchanged between ranks ---- */

az_status az_pack_u64(az_buf *b, uint64_t v);
az_status az_pack_u32(az_buf *b, uint32_t v);
az_status az_pack_f64(az_buf *b, double v);
az_status az_pack_bytes(az_buf *b, const void *p, size_t n);
az_status az_pack_str(az_buf *b, const char *s); /* NULL allowed */
/* Run `call` (a pack) only while st is AZ_OK: a record's fields are written
 * in a row and the status checked once. */
#define AZ_PACK(st, call) do { if ((st) == AZ_OK) (st) = (call); } while (0)

typedef struct az_unpack {
    const char *p;
    size_t n, off;
    bool bad;      /* read past the end: everything after reads as 0 */
} az_unpack;

uint64_t az_unpack_u64(az_unpack *u);
uint32_t az_unpack_u32(az_unpack *u);
double az_unpack_f64(az_unpack *u);
const void *az_unpack_bytes(az_unpack *u, size_t *n);
/* A copy in `a`, NULL for a packed NULL (or when bad). */
const char *az_unpack_str(az_unpack *u, az_arena *a);

/* ---- mpi.c: collectives of a distributed run (one rank without MPI) ---- */

/* Rank r sends send[d] to rank d, for every d < az_mpi_size(); recv gets
 * what every rank sent to r, in rank order, rank s's bytes at
 * [from[s], from[s + 1]) (from may be NULL). */
az_status az_mpi_exchange(const az_buf *send, az_buf *recv, size_t *from);
/* Every rank's (p, len), in rank order, to every rank. */
az_status az_mpi_allgather(const void *p, size_t len, az_buf *recv, size_t *from);
/* The worst of the ranks' statuses, on every rank. */
az_status az_mpi_agree(az_status st);
/* Element-wise sums over the ranks, in place. */
void az_mpi_sum(uint64_t *v, size_t n);
/* End the whole job: for a failure after which the ranks cannot agree. */
void az_mpi_abort(int code);

/* ---- text.c ---- */

static inline bool az_is_space_ascii(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* Length of the UTF-8 sequence at s[0..len) if it is a Unicode space
 * (ASCII whitespace, NBSP, thin and other Zs spaces), else 0. */
size_t az_space_len(const char *s, size_t len);

/* The next word token at or after *pos: its span in *start, *end, and
 * *pos moved past it; false at the end of the text (the rules are
 * az_tokenize()'s). */
bool az_next_token(const char *text, size_t len, size_t *pos, size_t *start,
                   size_t *end);
/* The tokens of text[0, len) into out, which has room for len / 2 + 1
 * (a token and its separator take two bytes); returns their number. Much
 * faster than az_next_token() in a loop on ASCII text, with the same
 * result. */
size_t az_tokens_fill(az_token *out, const char *text, size_t len);
/* Count word tokens without storing them; the _max form stops counting at
 * `max`, for callers that only ask "at least n words?". */
size_t az_count_words(const char *text, size_t len);
size_t az_count_words_max(const char *text, size_t len, size_t max);
/* 16 bytes 0xFF then 16 zeros: the first n of az_first_bytes + 16 - n
 * are 0xFF, the rest 0 (n <= 16), a mask that cuts 16 bytes read from a
 * word's start to the word. */
extern const unsigned char az_first_bytes[32];

/* Append `s` to `b` with runs of whitespace collapsed to one ' ' and the
 * ends trimmed; returns AZ_OK or AZ_ENOMEM. */
az_status az_buf_put_collapsed(az_buf *b, const char *s, size_t len);

/* ---- the result of cleaning one input ---- */

typedef enum az_clean_rule {
    AZ_CLEAN_HTML_EXTRACT,   /* elements outside the main article */
    AZ_CLEAN_HTML_HIDDEN,    /* script/style/nav/... and hidden elements */
    AZ_CLEAN_CHANGE_TRACKER, /* a change-tracking page's own text */
    AZ_CLEAN_CSS_DEBRIS,     /* CSS/JS/JSON fragments in text */
    AZ_CLEAN_UI_NAG,         /* cookie/ad-blocker/browser/newsletter nags,
                                donation appeals, comment prompts */
    AZ_CLEAN_UI_CHROME,      /* share bars, profile links, gallery buttons */
    AZ_CLEAN_CAPTION,        /* photo captions and credits */
    AZ_CLEAN_HEADER,         /* masthead, headline, byline, date lines
                                moved into metadata */
    AZ_CLEAN_BOILERPLATE,    /* paragraphs repeated across an outlet */
    AZ_CLEAN_RULE_COUNT
} az_clean_rule;

extern const char *const az_clean_rule_names[AZ_CLEAN_RULE_COUNT];

typedef struct az_clean_stat {
    uint32_t items;
    uint64_t bytes;
} az_clean_stat;

/* A metadata value found in the text of a page. */
typedef struct az_found {
    char *value;     /* malloc'd, NULL when not found */
    const char *how; /* static rule name */
    uint32_t line;
} az_found;

typedef struct az_extract {
    az_buf text;            /* paragraphs joined by '\n' */
    az_para *paras;
    size_t npara, cap;
    az_clean_stat stats[AZ_CLEAN_RULE_COUNT];
    unsigned versions;      /* change-tracking pages: versions shown */
    /* What the page says of itself, AZ_META_COUNT of them; NULL until
     * something is found. A pointer, because a corpus's documents let it
     * go once it is in their metadata (it was an eighth of each). */
    az_found *found;
} az_extract;

void az_extract_init(az_extract *x);
void az_extract_free(az_extract *x);
/* Append a paragraph; `src_off` is SIZE_MAX when the text is decoded. The
 * text is stored with whitespace collapsed only when `collapse` is set.
 * Empty paragraphs are ignored. */
az_status az_extract_para(az_extract *x, const char *s, size_t len,
                          size_t src_off, uint32_t line, bool collapse);
void az_extract_drop(az_extract *x, az_clean_rule rule, size_t bytes);
/* Record a metadata value unless one is already set; copies `value`. */
az_status az_extract_found(az_extract *x, az_meta_key key, const char *value,
                           size_t len, const char *how, uint32_t line);
/* What was found for `key`; NULL when nothing was. */
const az_found *az_extract_found_for(const az_extract *x, az_meta_key key);

/* clean_text.c: plain-text article pages (seeds: scraped page text). */
/* Free clean_text.c's work space (ctx->clean_scratch); NULL is a no-op. */
void az_clean_scratch_free(void *scratch);
az_status az_clean_text(az_ctx *ctx, az_extract *out, const char *raw,
                        size_t len);

/* html.c: main-article extraction with libxml2's HTML parser. `name` is
 * used in error messages. */
az_status az_clean_html(az_ctx *ctx, az_extract *out, const char *raw,
                        size_t len, const char *name);

/* meta.c: infer outlet, url, published date, title and byline from the
 * leading lines of a page; fills what is not yet in `x->found`. */
az_status az_meta_infer(az_extract *x, const char *raw, size_t len);
/* Read one header line of a plain-text page (the lines above the body):
 * a masthead (only when `index` is 0), a date line, a byline or the
 * headline; records what it finds in `x->found`. */
az_status az_meta_header_line(az_extract *x, const char *s, size_t len,
                              uint32_t line, unsigned index);
/* The outlet name for a URL's host ("www.independent.co.uk" ->
 * "independent.co.uk"); malloc'd, NULL when the URL has no host. */
char *az_meta_outlet_from_url(const char *url, size_t len);

/* date.c: parse a date as news pages print it ("Tuesday 11 January 2022
 * 19:51 GMT", "March 30, 2014", "2014-03-30", "30/03/2014" is refused as
 * ambiguous). Writes YYYY-MM-DD (11 bytes with NUL) and returns the number
 * of bytes of `s` consumed, 0 when `s` does not start with a date. */
size_t az_date_parse(const char *s, size_t len, char out[11]);
/* Search `s` for the first date; returns its offset or SIZE_MAX. */
size_t az_date_find(const char *s, size_t len, char out[11], size_t *dlen);

/* ---- pool.c: worker threads ---- */

#define AZ_MAX_THREADS 256

/* opt->threads, or one per online core when it is 0. */
unsigned az_threads(const az_options *o);
/* Work on [begin, end) of a parallel loop; `worker` < threads. */
typedef az_status (*az_range_fn)(void *user, unsigned worker, size_t begin,
                                 size_t end);
/* Run fn over [0, n) in chunks of `chunk` on `threads` threads (the caller
 * is one of them); returns the first failure. threads <= 1: inline. */
az_status az_parallel(unsigned threads, size_t n, size_t chunk,
                      az_range_fn fn, void *user);

typedef struct az_pool az_pool;
/* A job runs on a worker with that worker's own context. */
typedef void (*az_job_fn)(az_ctx *wctx, void *arg);
az_status az_pool_new(az_pool **out, const az_options *opt, unsigned threads,
                      size_t max_bytes);
/* Queue a job of `bytes` in memory; blocks while the queue is full. */
void az_pool_submit(az_pool *p, az_job_fn fn, void *arg, size_t bytes);
/* Until every queued job has run. */
void az_pool_wait(az_pool *p);
/* Run what is queued, then stop the workers. */
void az_pool_free(az_pool *p);

/* ---- documents ---- */

/* Where a document's bytes are in its input, to read them again: a JSON
 * Lines record's offset and length, or 0 and the file's length; off is
 * UINT64_MAX when they cannot be read again (standard input, gzip). */
typedef struct az_source {
    uint64_t off;
    size_t len;
} az_source;

/* What the near-duplicate pass needs of a document, made while its text is
 * at hand so that a streaming corpus can let the text go (dups.c). */
/* The fingerprint index is built a slice at a time, by the keys' low bits
 * (dups.c). */
#define AZ_PRINT_SLICES 8

typedef struct az_sketch {
    uint32_t *sig;       /* minhash_perms values */
    uint64_t *prints;    /* winnowed shingle fingerprints, grouped by slice */
    size_t nprints;
    size_t words;
    /* prints of slice s: [s ? slice_end[s - 1] : 0, slice_end[s]) */
    uint32_t slice_end[AZ_PRINT_SLICES];
    bool in_slab;        /* sig and prints are in a corpus's slab: freed
                            with it, never alone */
} az_sketch;

/* Sketch `text` under ctx's options, shingling in ctx's scratch. */
/* Winnowing (dups.c): the minimum of every window of w values of seq[0, n)
 * (the rightmost on a tie), each position once, written over seq in
 * order; returns how many. */
size_t az_winnow(uint64_t *seq, size_t n, unsigned w);
az_status az_sketch_text(az_ctx *ctx, const char *text, size_t len,
                         az_sketch *out);
void az_sketch_free(az_sketch *s);

struct az_doc {
    az_arena arena;          /* id, path, metadata strings */
    const char *id;
    const char *path;
    uint32_t line;
    az_format format;
    bool from_record;        /* text came from a JSON Lines record */
    unsigned group;          /* az_corpus_set_group() when it was added */
    char *raw;               /* malloc'd raw input (NUL-terminated copy) */
    size_t raw_len;
    az_extract x;
    az_meta meta[AZ_META_COUNT];
    size_t words;
    /* Cleaning results in a fixed rule order, filled by az_corpus_finish
     * in the corpus's slab: most articles have none or one, and an array
     * of every rule was a fifth of the struct. */
    az_cleaning *cleaning;
    size_t ncleaning;
    az_source src;
    /* Streaming corpora (az_corpus_set_streaming): the text is gone once
     * cleaned and sketched; what boilerplate learning needs is kept (each
     * paragraph's outlet key, 0 below the length that counts, and length),
     * and the paragraphs it later drops, to drop them again on re-reading. */
    bool streamed;
    bool reloaded;           /* a copy made by az_corpus_load: owns x, raw */
    bool resketch;           /* paragraphs dropped since it was sketched */
    bool remote;             /* read by another rank of a distributed run:
                                its sketch has the signature only */
    bool in_slab;            /* the struct, id, path, metadata values and
                                bkeys, blens and boffs are in the corpus's
                                slab (keep_doc() in corpus.c) */
    bool text_in_slab;       /* so are x.text, x.paras and raw (none of
                                them when they are NULL) */
    size_t text_len;
    az_sketch sk;
    uint64_t *bkeys;         /* NULL without an outlet */
    uint32_t *blens;
    /* Where each paragraph starts in the raw input, when every one is the
     * input's own bytes (plain text): reading the document again then
     * copies them out of the input instead of cleaning it again, which
     * was a fifth of verifying pairs. NULL: clean again. */
    uint32_t *boffs;
    uint32_t *dropped;       /* paragraph indices, ascending */
    size_t nbkeys, ndropped; /* nbkeys: paragraphs in blens (and bkeys,
                                boffs) */
};

/* The boilerplate key of a paragraph of an outlet's page. */
uint64_t az_boiler_key(const char *outlet, const char *s, size_t len);
/* Drop again, from a re-read text, the paragraphs boilerplate learning
 * dropped from the first reading. */
az_status az_boiler_redo(az_doc *d);

/* corpus.c */
typedef struct az_manifest_entry {
    const char *path; /* relative to the manifest's directory */
    const char *values[AZ_META_COUNT];
} az_manifest_entry;

/* Clean `raw` (taken over: malloc'd, freed with the doc) and add the
 * document, on a worker when the corpus has them; an input error is
 * recorded (and, without workers, returned). */
az_status az_corpus_add_doc(az_corpus *c, const char *id, const char *path,
                            uint32_t line, char *raw, size_t len,
                            az_format fmt, const char *const *values,
                            az_meta_source vsource, az_source src);
/* The same, now, on this thread with its context `ctx`. */
az_status az_corpus_clean_doc(az_corpus *c, az_ctx *ctx, const char *id,
                              const char *path, uint32_t line, char *raw,
                              size_t len, az_format fmt,
                              const char *const *values, az_meta_source vsource,
                              az_source src);
/* A JSON Lines record (copied), parsed and added on a worker when the
 * corpus has them. */
/* The ranks this corpus is shared out among, and this one's: a streaming
 * corpus in a distributed run, else 1 and 0. */
unsigned az_corpus_ranks(const az_corpus *c);
unsigned az_corpus_rank(const az_corpus *c);
az_status az_corpus_add_record(az_corpus *c, const char *path, uint32_t line,
                               uint64_t off, const char *s, size_t len);
/* ingest.c: parse one record (at byte `off` of its input) and add its
 * document now, with `ctx`. */
az_status az_ingest_record(az_corpus *c, az_ctx *ctx, const char *path,
                           uint32_t line, uint64_t off, const char *s,
                           size_t len);
/* Read a document's raw text again from its input (d->src); the record's
 * text or HTML for a record. */
az_status az_ingest_reread(az_ctx *ctx, const az_doc *d, char **raw,
                           size_t *len);
/* Close the inputs ctx keeps open for az_ingest_reread(). */
void az_ingest_reread_close(az_ctx *ctx);
/* Document i with its text in *out: a shallow copy of it when it keeps its
 * text, else a copy whose text is read from its input and cleaned again
 * with `ctx` (a streaming corpus). az_doc_unload() frees what this made. */
az_status az_corpus_load(az_corpus *c, az_ctx *ctx, size_t i, az_doc *out);
void az_doc_unload(az_doc *d);
/* Read the streamed texts of documents [lo, hi) back for good (on all
 * threads), after which they are as if they had been kept: a distributed
 * report, whose ranks find the claims of their share and whose rank 0
 * writes pages that quote every text. */
az_status az_corpus_materialize(az_corpus *c, size_t lo, size_t hi);
/* Tell the stage callback (if any) that a stage begins; NULL: done. */
void az_corpus_stage(const az_corpus *c, const char *stage);
/* Add a document whose text is already clean (from the index): one
 * paragraph per line, metadata as given. */
az_status az_corpus_add_cleaned(az_corpus *c, const char *id, const char *path,
                                char *text, size_t len, const char *const *values);
void az_corpus_add_error(az_corpus *c, const char *input, uint32_t line,
                         const char *fmt, ...) AZ_PRINTF(4, 5);
az_ctx *az_corpus_ctx(az_corpus *c);
void az_corpus_note_bytes(az_corpus *c, uint64_t bytes);

/* boiler.c: drop paragraphs an outlet repeats across its documents. */
az_status az_boiler_remove(az_ctx *ctx, az_doc **docs, size_t n);

/* ingest.c */
az_status az_ingest_path(az_corpus *c, const char *path);
/* The n-th document, mutable (corpus.c). */
az_doc *az_corpus_doc_mut(az_corpus *c, size_t i);

/* ---- near-duplicates ---- */

/* shingle.c: the shingles of a text, in text order and as a set. */
typedef struct az_shingles {
    az_token *tokens;   /* word tokens of the text */
    size_t ntokens;
    uint64_t *seq;      /* seq[i]: hash of tokens i .. i+k-1 (folded) */
    size_t nseq;
    uint64_t *set;      /* the distinct values of seq, as first seen */
    size_t nset;
    uint64_t *table;    /* the same, hashed (open addressing, 0 = empty) */
    size_t tmask;       /* table has tmask + 1 slots */
    bool has_zero;      /* 0, which marks an empty slot, is in the set */
    char *lower;        /* the text with ASCII capitals lowered */
    /* Where each value is in seq, ascending: head[slot] (zero_head for the
     * value 0) is its first position + 1, next[i] the one after i + 1;
     * 0 ends a chain. Built on the table by az_shingles_positions(). */
    uint32_t *head, *next;
    uint32_t zero_head;
    size_t tcap, scap, setcap, tabcap, lcap, hcap, ncap; /* the arrays'
                                            room, kept for reuse */
    bool has_set;       /* set and table are built for this text */
    bool has_positions; /* head and next are */
} az_shingles;

#define AZ_SHINGLES_INIT {0}

/* Cut `text` into tokens and k-word shingles hashed with XXH3 under
 * `seed` (tokens and seq; the set is not built). `out` is
 * AZ_SHINGLES_INIT or holds an earlier text's shingles, whose arrays are
 * reused: a worker shingling article after article allocates once, where
 * fresh arrays each time were cut into by what the articles keep and
 * grew the heap (page faults, a sixth of ingest). A text of fewer than k
 * tokens has one shingle of all of them; a text without tokens has
 * none. */
az_status az_shingle(az_shingles *out, const char *text, size_t len,
                     unsigned k, uint64_t seed);
/* Build s->set and s->table from s->seq (once per text). */
az_status az_shingles_set(az_shingles *s);
/* Build s->head and s->next (once per text; the set is built first):
 * the passages of a text with several others look its shingles up in
 * this, where a position index made for each pair cost a tenth of
 * verifying (three callocs, and an insertion per shingle). */
az_status az_shingles_positions(az_shingles *s);
/* The first position + 1 of value v in s->seq, 0 when v is not there;
 * s->next[p - 1] gives the next. */
uint32_t az_shingles_first(const az_shingles *s, uint64_t v);
/* How many distinct shingles two texts share (both sets built): the
 * smaller set's values looked up in the larger's table. A sorted set
 * for each and a merge cost a quarter of verifying. */
size_t az_shingles_shared(const az_shingles *a, const az_shingles *b);
void az_shingles_free(az_shingles *s);

/* minhash.c */
/* Signature of the shingles h[0, n) (repeats allowed): `perms` values
 * into sig. */
void az_minhash(uint32_t *sig, unsigned perms, int kind, uint64_t seed,
                const uint64_t *h, size_t n);
/* Equal positions of two signatures. */
unsigned az_minhash_matches(const uint32_t *a, const uint32_t *b,
                            unsigned perms);
/* Clopper-Pearson 95 % interval for x successes in n trials. */
void az_binomial_ci(double *lo, double *hi, unsigned x, unsigned n);
/* The p-quantile of Beta(a, b), also where GSL's inversion fails to
 * converge (needs GSL's error handler off: az_ctx_new turns it off). */
double az_beta_quantile(double p, double a, double b);

/* dups.c: entries of the containment index of a finished pass. */
size_t az_dups_fingerprints(const az_dups *d);

/* lsh.c: band keys of a signature, one per band. */
/* report.c: print a cJSON tree (consumed, may be NULL) as one
 * malloc'd document ending in a newline, as text files should;
 * AZ_ENOMEM when there is none. */
struct cJSON;
az_status az_json_document(char **out, struct cJSON *root);

/* az_lsh_choose for the context's options, searched once per context. */
az_status az_ctx_lsh(az_ctx *ctx, az_lsh_params *out);
void az_lsh_keys(uint64_t *keys, const uint32_t *sig,
                 const az_lsh_params *p, uint64_t seed);

/* passage.c: maximal shared token spans of two shingled texts. */
typedef struct az_span_pair {
    uint32_t a_tok, b_tok;   /* first token in each */
    uint32_t a_end, b_end;   /* one past the last token in each */
} az_span_pair;
/* a's positions are built if they are not (az_shingles_positions). */
az_status az_passages(az_span_pair **out, size_t *n, az_shingles *a,
                      const az_shingles *b, unsigned k, unsigned min_tokens,
                      unsigned gap);

/* number.c: a number read from tokens. */
typedef struct az_number {
    double value;
    size_t first, last;       /* tokens used */
    bool vague;               /* dozens, thousands, ...: value is a floor */
    bool spelled;             /* words, not digits */
    bool plain;               /* digits only (no separators) or words */
    bool scaled;              /* a k/m/bn suffix or a scale word applied */
    bool short_scale;         /* the suffix was a bare "m" */
    bool spaced;              /* groups joined across spaces */
    bool dot_thousands;       /* one '.' and three digits: 40.000 */
    double thousands_value;   /* the value if that '.' separates thousands */
    bool leading_zero;        /* 0800: a phone number or a code */
    bool bad_suffix;          /* letters that are no scale: 1st, 4G, 10pm */
    bool hyphen;              /* the token goes on after a '-' */
    size_t digits;            /* integer digits of a numeral */
    const char *suffix;       /* the token's letters after the digits */
    size_t suffix_len;
} az_number;

/* The longest number starting at token i; returns tokens used, 0 if none. */
size_t az_number_at(az_number *out, const char *text, const az_token *t,
                    size_t n, size_t i);
bool az_tok_is(const char *text, const az_token *t, const char *w);
/* Quick test: can a number start at this token (a digit or a number
 * word)? Most words are rejected without a comparison. */
bool az_may_start_number(const char *text, const az_token *t);
double az_scale_word(const char *text, const az_token *t);

/* claims.c: the claims of one text (doc index `doc`); *out is malloc'd,
 * strings live in `arena`. */
az_status az_claims_text(az_claim **out, size_t *n, az_arena *arena,
                         const char *text, size_t len, size_t doc, bool all);

/* The claims of documents [lo, hi) only (their texts at hand): a rank's
 * share of a distributed report. */
az_status az_claims_range(az_claims **out, az_corpus *corpus, size_t lo, size_t hi);
/* Claims as flat bytes for another rank, and appended back from them. */
az_status az_claims_pack(az_buf *b, const az_claims *c);
az_status az_claims_unpack(az_claims *c, az_unpack *u);

/* reliability.c: a rank's share of the evidence, packed; and the
 * assessment from every rank's share (`given`) instead of from the texts. */
az_status az_signals_pack(az_buf *b, az_corpus *corpus, size_t lo, size_t hi);
az_status az_assess_given(az_assessment **out, az_corpus *corpus,
                          const az_claims *claims, const az_conflicts *conflicts,
                          const char *priors, az_unpack *given);

/* signals.c: the evidence of one document (weights 0: reliability.c
 * weighs it). */
az_status az_signals_doc(az_doc_signals *out, az_arena *arena, const az_doc *d);

/* conflicts.c: truth discovery over the independent voices; *out holds
 * one entry per named outlet (prior and posterior left for the caller). */
az_status az_conflicts_outlets(az_outlet_stats **out, size_t *n,
                               const az_conflicts *k, const az_corpus *corpus,
                               const az_options *o);

/* tally.c: agreement among the voices of one story, exactly as a loop
 * over every pair would count it, in O(m log m). A voice is a log
 * interval [lo, hi] of one document, dated or not (INT32_MIN). */
typedef struct az_span {
    double lo, hi;
    int days;
    size_t doc;
} az_span;

typedef struct az_tally {
    uint32_t agree, disagree; /* voices of other documents within the window
                                 (or undated) whose gap is <= tol / > tol */
    bool near, far;           /* disagrees with one within the window / with
                                 one dated further apart */
} az_tally;

/* out[i] for v[i]; worst[0] / worst[1]: the widest disagreeing gap within
 * the window / beyond it (0 when none). */
az_status az_conflict_tally(const az_span *v, size_t m, double tol, unsigned window,
                            az_tally *out, double worst[2]);

/* credit.c: does `text` credit a wire agency or the outlet `origin`? On
 * success *what points at a static or the origin string. */
bool az_credit_find(const char *text, size_t len, const char *origin,
                    const char **what);
/* Only the origin's own name or initials: "does this text credit X?". */
bool az_credit_names(const char *text, size_t len, const char *origin);

#endif /* AZ_PRIV_H */
