/*
 * dups.c - near-duplicate and partial-copy detection over a corpus.
 *
 * The pass, in order:
 *
 *  1. every document is shingled (shingle.c) into a MinHash signature
 *     (minhash.c) and a winnowed set of fingerprints (az_sketch_text; a
 *     streaming corpus does this at ingest, then lets the text go), so what
 *     stays per document is K 32-bit values plus some 80 fingerprints;
 *  2. documents with identical signatures are exact duplicates: paired with
 *     the first of their group and kept out of the LSH index;
 *  3. candidates come from two indexes of (key, doc) entries, each built
 *     and paired in slices: LSH band keys (lsh.c), which find whole copies,
 *     and the winnowing fingerprints, which find partial copies whose
 *     Jaccard is low because the copied text is a small part of either
 *     document (two shared fingerprints needed). Any key held by more than
 *     lsh_bucket_cap documents pairs them only with their neighbour in id
 *     order, so one bucket never costs O(n^2);
 *  4. each candidate is verified on the exact shingle sets, one connected
 *     group of candidates after another so that each worker's cache of
 *     recent documents serves the group (a streamed document's text is
 *     read again here): Jaccard and containment both ways, then the shared
 *     passages (passage.c). A pair needs one passage of passage_min_tokens
 *     or more, and Jaccard >= pair_jaccard, or a containment >=
 *     pair_containment, or passages adding up to pair_passage_tokens (wire
 *     paragraphs inside two long articles);
 *  5. pairs join clusters by union-find; a cluster's id is a hash of its
 *     member ids, so it does not depend on input order; its origin is the
 *     earliest member, preferring one whose outlet the others credit, then
 *     the one most contained in the others;
 *  6. each pair gets a direction (earlier publication, or the cluster's
 *     origin) and the copy is checked for a credit (credit.c), in the
 *     members' texts, cluster by cluster.
 *
 * Memory per document: the signature (4 K bytes) and, until the candidates
 * are made, its fingerprints; shingle sets and texts only in the workers'
 * caches while verifying, and a cluster's texts while it is worked on.
 *
 * Threads (az_options.threads) share steps 1, 3, 4 and 6: each document's
 * sketch has its slot, the candidate list is sorted before use, and pairs
 * are verified in chunks whose results are put back in candidate order, so
 * the output is the same whatever the number of threads.
 *
 * Ranks of a distributed run (az_corpus_ranks() > 1) divide steps 1, 3 and 4
 * (the *_mpi functions): each sketches the documents it read and sends
 * each index entry to the rank that owns its key (key_owner), a slice
 * group at a time; each rank pairs the band keys it owns, and keeps the
 * fingerprint keys it owns that two documents share, as runs of documents,
 * which go to every rank, each pairing a share of the documents
 * (prints_mpi); the candidates go to every rank (share_candidates: a few per article); each rank
 * verifies a run of whole connected groups of candidates, so that a
 * document is read again by one rank only; the verified pairs go to every
 * rank (share_pairs), sorted as one process sorts them; every rank makes the clusters, works out the origin
 * and credits of every ranks-th one, and tells the others
 * (share_clusters). So each rank ends with the one process's result, byte
 * for byte. Every rank holds every signature (the corpus gathered them);
 * the fingerprints never leave their rank except as index entries and
 * shared runs.
 */
#include "az_priv.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <xxhash.h>

typedef az_keyed entry;

typedef struct entries {
    entry *v;
    size_t n, cap;
} entries;

typedef struct u64s {
    uint64_t *v;
    size_t n, cap;
} u64s;

struct az_dups {
    az_lsh_params lsh;
    az_pair *pairs;
    size_t npairs;
    az_cluster *clusters;
    size_t nclusters;
    size_t *doc_cluster;
    size_t ndocs;
    az_dups_stats stats;
    size_t fingerprints;  /* entries in the containment index */
    az_arena arena;
    az_arena warena[AZ_MAX_THREADS]; /* passages made by each worker */
};

/* The pairs one chunk of candidates gave, in candidate order. */
typedef struct chunk_out {
    az_pair *v;
    size_t n, cap;
    size_t verified;
} chunk_out;

/* Work state of one run. */
typedef struct run {
    az_corpus *corpus;
    const az_options *o;
    az_dups *d;
    size_t n;
    uint64_t *sigkey;      /* hash of each signature */
    uint64_t *bandkeys;    /* while the band index is made: document i's
                              keys at [i * bands, (i + 1) * bands) */
    bool *unindexed;       /* kept out of the indexes: an exact duplicate of
                              an earlier document (its group is paired), or
                              read by another rank */
    unsigned threads;
    int rank, ranks;       /* of a distributed run; 0 and 1 without */
    pthread_mutex_t lock;  /* of cand and stats, while slices join */
    az_sketch *sk;         /* per document: its fingerprints (sig copied out) */
    chunk_out *outs;       /* per chunk of candidates */
    u64s cand;             /* candidate pairs (a << 32 | b), then unique */
    size_t lsh_end;        /* cand[0, lsh_end) came from LSH */
    uint32_t *order;       /* candidates grouped by component */
    size_t vlo, vhi;       /* order[vlo, vhi): what this rank verifies */
    struct wcache *cache[AZ_MAX_THREADS];
    az_ctx *wctx[AZ_MAX_THREADS];
    double (*ci)[2];       /* ci[m]: the rounded 95 % interval of m matches */
    double *contained_sum; /* per document: its containment in its pairs */
    size_t *npairs_of;
    size_t *cl_pairs;      /* cluster k's pairs: cl_pair_idx[cl_pairs[k], [k+1]) */
    size_t cl_first, cl_step; /* this rank's clusters: first, first + step... */
    size_t *cl_pair_idx;
} run;

static az_status push_entry(entries *e, uint64_t key, uint32_t doc)
{
    if (e->n == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 1024;
        entry *v = az_realloc_big(e->v, cap * sizeof(*v));
        if (!v)
            return AZ_ENOMEM;
        e->v = v;
        e->cap = cap;
    }
    e->v[e->n++] = (entry){key, doc, 0};
    return AZ_OK;
}

static az_status push_u64(u64s *a, uint64_t x)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 1024;
        uint64_t *v = az_realloc_big(a->v, cap * sizeof(*v));
        if (!v)
            return AZ_ENOMEM;
        a->v = v;
        a->cap = cap;
    }
    a->v[a->n++] = x;
    return AZ_OK;
}

/* Append n values at once (v may be unaligned bytes): slices hand over
 * tens of millions of candidates at a million articles. */
static az_status append_u64(u64s *a, const void *v, size_t n)
{
    if (a->cap - a->n < n) {
        size_t cap = a->cap * 2 > a->n + n ? a->cap * 2 : a->n + n;
        uint64_t *p = az_realloc_big(a->v, (cap ? cap : 1) * sizeof(*p));
        if (!p)
            return AZ_ENOMEM;
        a->v = p;
        a->cap = cap;
    }
    if (n)
        memcpy(a->v + a->n, v, n * sizeof(*a->v));
    a->n += n;
    return AZ_OK;
}

/* Radix sorts (sort.c). The index arrays hold tens of millions of
 * entries at a million articles: qsort's comparisons (and glibc's merge
 * buffer) cost several times the passes; the candidate lists are sorted
 * in place, where a second array would be the run's peak. */

/* By (key, doc). Entries pushed in document order need the key passes
 * only (the sort is stable): a third fewer passes over the index. */
static az_status sort_entries(entry *v, size_t n, bool doc_order, az_sort_room *room)
{
    return az_sort_keyed_in(v, n, doc_order ? AZ_SORT_KEY : AZ_SORT_KEY | AZ_SORT_DOC,
                            room);
}

static uint64_t pair_key(uint32_t a, uint32_t b)
{
    return a < b ? (uint64_t)a << 32 | b : (uint64_t)b << 32 | a;
}

/* ---- 1. signatures and fingerprints ---- */

/* Both indexes are built and paired a slice at a time, by the low bits of
 * the key: every entry of a key is in one slice, so the pairs are the same,
 * and the peak (entries, and as many again to sort them) is a slice's, not
 * the index's: a million articles hold 25 M band keys and 80 M
 * fingerprints. Low bits, because winnowing keeps window minima, whose high
 * bits are mostly zero. */
#define SLICES AZ_PRINT_SLICES

static unsigned slice_of(uint64_t key)
{
    return (unsigned)(key & (SLICES - 1));
}

/* Winnowing: the minimum of every window of w consecutive shingles (the
 * rightmost, on a tie), each position recorded once. Any passage of
 * w + k - 1 tokens shared by two documents yields a fingerprint in both.
 * Written over seq, which is safe: the k-th value kept comes from window
 * k or later, and window s reads seq[s] on only. Returns how many. */
size_t az_winnow(uint64_t *seq, size_t n, unsigned w)
{
    size_t last = SIZE_MAX, kept = 0;
    size_t win = n < w ? n : w;
    /* The minimum's value is carried with its position: comparing with
     * seq[m] put a load in the chain of every step of the rescan. */
    uint64_t lastv = 0;
    for (size_t s = 0; n && s + win <= n; s++) {
        size_t m, e = s + win - 1;
        uint64_t mv;
        if (last != SIZE_MAX && last >= s) {
            /* The last minimum is still in the window: only the value
             * that entered can take its place. */
            bool in = seq[e] <= lastv;
            m = in ? e : last;
            mv = in ? seq[e] : lastv;
        } else {
            m = s;
            mv = seq[s];
            for (size_t i = s + 1; i <= e; i++) {
                uint64_t v = seq[i];
                bool le = v <= mv;
                m = le ? i : m;
                mv = le ? v : mv;
            }
        }
        if (m != last) {
            seq[kept++] = mv;
            last = m;
            lastv = mv;
        }
    }
    return kept;
}

az_status az_sketch_text(az_ctx *ctx, const char *text, size_t len,
                         az_sketch *out)
{
    const az_options *o = &ctx->opt;
    *out = (az_sketch){0};
    if (!ctx->shingles && !(ctx->shingles = calloc(1, sizeof(*ctx->shingles))))
        return AZ_ENOMEM;
    az_shingles *sh = ctx->shingles;
    az_status st = az_shingle(sh, text, len, o->shingle_size, o->seed);
    if (st != AZ_OK)
        return st;
    const az_shingles s = *sh;
    /* The same tokenizer az_doc_words() uses: take the count. */
    out->words = s.ntokens;
    out->sig = malloc(o->minhash_perms * sizeof(*out->sig));
    if (!out->sig)
        st = AZ_ENOMEM;
    if (st == AZ_OK) {
        az_minhash(out->sig, o->minhash_perms, o->minhash_kind, o->seed, s.seq,
                   s.nseq);
        /* Kept per article in a streaming corpus: an array of their size,
         * grouped by slice, so that a slice's pass over a million articles
         * reads its own group of each, not every fingerprint (the pass was
         * bound by cache misses on the articles' arrays). */
        size_t n = az_winnow(s.seq, s.nseq, o->winnow_window);
        out->prints = malloc((n ? n : 1) * sizeof(*out->prints));
        if (out->prints && n <= UINT32_MAX) {
            uint32_t at[SLICES] = {0};
            for (size_t k = 0; k < n; k++)
                at[slice_of(s.seq[k])]++;
            for (unsigned g = 0, sum = 0; g < SLICES; g++) {
                sum += at[g];
                out->slice_end[g] = sum;
                at[g] = sum - at[g];
            }
            for (size_t k = 0; k < n; k++)
                out->prints[at[slice_of(s.seq[k])]++] = s.seq[k];
            out->nprints = n;
        } else {
            st = AZ_ENOMEM;
        }
    }
    if (st != AZ_OK)
        az_sketch_free(out);
    return st;
}

void az_sketch_free(az_sketch *s)
{
    if (!s->in_slab) {
        free(s->sig);
        free(s->prints);
    }
    *s = (az_sketch){0};
}

/* Worker w's context: cleaning a streamed document again needs one. */
static az_ctx *wctx(run *r, unsigned w)
{
    if (!r->wctx[w] && az_ctx_new(&r->wctx[w], r->o) != AZ_OK)
        r->wctx[w] = NULL;
    return r->wctx[w];
}

static az_status sketch_range(void *user, unsigned w, size_t begin, size_t end)
{
    run *r = user;
    const az_options *o = r->o;
    az_status st = AZ_OK;
    for (size_t i = begin; i < end && st == AZ_OK; i++) {
        az_doc *d = az_corpus_doc_mut(r->corpus, i);
        az_sketch sk = {0};
        if (d->remote || (d->streamed && !d->resketch)) {
            /* A remote document to sketch again is its rank's to do:
             * share_resketched() brings its new signature. */
            sk = d->sk; /* made at ingest; the run's arrays take it over */
            d->sk = (az_sketch){0};
        } else {
            az_ctx *ctx = wctx(r, w);
            az_doc view;
            if (!ctx)
                return AZ_ENOMEM;
            if ((st = az_corpus_load(r->corpus, ctx, i, &view)) != AZ_OK)
                return st;
            st = az_sketch_text(ctx, view.x.text.ptr, view.x.text.len, &sk);
            az_doc_unload(&view);
            az_sketch_free(&d->sk);
            if (st != AZ_OK)
                return st;
        }
        d->words = sk.words;
        r->sigkey[i] = XXH3_64bits(sk.sig, o->minhash_perms * sizeof(*sk.sig));
        r->sk[i] = sk; /* taken where it was made: a copy left holes */
    }
    return st;
}

/* The signatures of the documents each rank sketched again (after
 * boilerplate learning dropped paragraphs), to every rank. */
static az_status share_resketched(run *r)
{
    unsigned perms = r->o->minhash_perms;
    az_buf b = AZ_BUF_INIT, all = AZ_BUF_INIT;
    az_status st = AZ_OK;
    for (size_t i = 0; st == AZ_OK && i < r->n; i++) {
        const az_doc *d = az_corpus_doc(r->corpus, i);
        if (!d->remote && d->resketch) {
            AZ_PACK(st, az_pack_u64(&b, i));
            AZ_PACK(st, az_pack_u64(&b, r->sk[i].words));
            AZ_PACK(st, az_buf_put(&b, (const char *)r->sk[i].sig,
                                   perms * sizeof(*r->sk[i].sig)));
        }
    }
    if ((st = az_mpi_agree(st)) == AZ_OK)
        st = az_mpi_allgather(b.ptr, b.len, &all, NULL);
    az_buf_free(&b);
    size_t rec = 16 + perms * sizeof(uint32_t);
    for (size_t off = 0; st == AZ_OK && off + rec <= all.len; off += rec) {
        uint64_t i, words;
        memcpy(&i, all.ptr + off, 8);
        memcpy(&words, all.ptr + off + 8, 8);
        if (i >= r->n)
            st = AZ_EINVAL;
        else if (az_corpus_doc(r->corpus, i)->remote) {
            memcpy(r->sk[i].sig, all.ptr + off + 16, perms * sizeof(uint32_t));
            r->sk[i].words = words;
            az_corpus_doc_mut(r->corpus, i)->words = words;
            r->sigkey[i] = XXH3_64bits(r->sk[i].sig, perms * sizeof(uint32_t));
        }
    }
    az_buf_free(&all);
    return az_mpi_agree(st);
}

static az_status sketch_all(run *r)
{
    if (!(r->sk = calloc(r->n ? r->n : 1, sizeof(*r->sk))))
        return AZ_ENOMEM;
    az_status st = az_parallel(r->threads, r->n, 32, sketch_range, r);
    if (r->ranks > 1 && (st = az_mpi_agree(st)) == AZ_OK)
        st = share_resketched(r);
    return st;
}

/* ---- 2. exact duplicates, 3. candidates ---- */

/* The rank that pairs the documents of an index key: by bits that
 * slice_of() does not use. */
static int key_owner(const run *r, uint64_t key)
{
    return r->ranks == 1 ? 0
                         : (int)(((key >> 8) * 0x9E3779B97F4A7C15ull >> 40) %
                                 (uint64_t)r->ranks);
}

static az_status exact_duplicates(run *r)
{
    entries e = {0};
    az_status st = AZ_OK;
    for (size_t i = 0; i < r->n && st == AZ_OK; i++)
        st = push_entry(&e, r->sigkey[i], (uint32_t)i);
    az_sort_room room = AZ_SORT_ROOM_INIT;
    if (st == AZ_OK)
        st = sort_entries(e.v, e.n, true, &room);
    az_sort_room_free(&room);
    for (size_t a = 0, b; st == AZ_OK && a < e.n; a = b) {
        for (b = a + 1; b < e.n && e.v[b].key == e.v[a].key; b++) {
            r->unindexed[e.v[b].doc] = true;
            r->d->stats.exact_duplicates++;
            st = push_u64(&r->cand, pair_key(e.v[a].doc, e.v[b].doc));
        }
    }
    free(e.v);
    return st;
}

/* One slice of an index being paired (slices run in parallel). */
typedef struct slice {
    entries e;
    u64s cand;
    size_t capped, prints;
    bool doc_order; /* entries pushed by ascending document */
    /* The worker's, kept for its next slice: entries and sort scratch of
     * a slice are some 160 MB each at a million articles, and fresh ones
     * were faulted in page by page for every slice. NULL: the slice's own
     * entries, freed when it is joined, and scratch for one sort. */
    az_sort_room *room;
} slice;

/* A worker's slice, with room for a slice's share of entries and some:
 * growing by doubling from nothing faulted in every page several times
 * over. */
static slice worker_slice(az_sort_room *room, size_t share)
{
    slice sl = {.doc_order = true, .room = room};
    size_t want = share + share / 16 + 1024;
    if ((sl.e.v = az_malloc_big(want * sizeof(*sl.e.v))))
        sl.e.cap = want;
    return sl;
}

/* Pairs from the runs of equal keys of the slice's sorted entries. */
static az_status pairs_from_runs(slice *sl, unsigned cap)
{
    entries *e = &sl->e;
    az_status st = AZ_OK;
    for (size_t a = 0, b; st == AZ_OK && a < e->n; a = b) {
        for (b = a + 1; b < e->n && e->v[b].key == e->v[a].key; b++)
            ;
        /* A document listed twice under one key (a repeated fingerprint)
         * must not pair with itself. */
        if (b - a > cap) {
            sl->capped++;
            for (size_t i = a + 1; i < b && st == AZ_OK; i++)
                if (e->v[i].doc != e->v[i - 1].doc)
                    st = push_u64(&sl->cand, pair_key(e->v[i - 1].doc, e->v[i].doc));
            continue;
        }
        for (size_t i = a; i < b && st == AZ_OK; i++)
            for (size_t j = i + 1; j < b && st == AZ_OK; j++)
                if (e->v[i].doc != e->v[j].doc)
                    st = push_u64(&sl->cand, pair_key(e->v[i].doc, e->v[j].doc));
    }
    return st;
}

/* Hand a slice's pairs to the run: in any order, since the candidate list
 * is sorted before use. */
static az_status join_slice(run *r, slice *sl)
{
    pthread_mutex_lock(&r->lock);
    az_status st = append_u64(&r->cand, sl->cand.v, sl->cand.n);
    r->d->stats.capped_buckets += sl->capped;
    r->d->fingerprints += sl->prints;
    pthread_mutex_unlock(&r->lock);
    if (!sl->room) {
        free(sl->e.v);
        sl->e = (entries){0};
    }
    sl->e.n = 0;
    sl->capped = sl->prints = 0;
    free(sl->cand.v);
    sl->cand = (u64s){0};
    return st;
}

/* Common phrases ("said in a statement on Monday") put a fingerprint in
 * thousands of unrelated articles, so one shared fingerprint makes a number
 * of candidates that grows with the square of the corpus. A passage long
 * enough to matter (pair_passage_tokens, 30 by default) spans two winnowing
 * windows of 12 shingles, and so leaves at least two shared fingerprints;
 * chance shares two far more rarely than one. */
#define PRINTS_MIN_SHARED 2

/* Whether this rank puts document i in the indexes. A flag of the run's,
 * not the document's: the index passes ask it of every document once a
 * slice, and the documents are scattered over the heap. */
static bool indexed(const run *r, size_t i)
{
    return !r->unindexed[i];
}

/* Pair a slice of the band index (collected with status st). */
static az_status pair_band(run *r, slice *sl, az_status st)
{
    az_sort_room own = AZ_SORT_ROOM_INIT;
    if (st == AZ_OK)
        st = sort_entries(sl->e.v, sl->e.n, sl->doc_order, sl->room ? sl->room : &own);
    az_sort_room_free(&own);
    if (st == AZ_OK)
        st = pairs_from_runs(sl, r->o->lsh_bucket_cap);
    az_status js = join_slice(r, sl);
    return st == AZ_OK ? js : st;
}

/* Sort a slice of the fingerprint index, and list each (key, doc) once:
 * one document listing a fingerprint twice shares it once. */
static az_status sort_prints(slice *sl)
{
    entries *e = &sl->e;
    sl->prints = e->n;
    az_sort_room own = AZ_SORT_ROOM_INIT;
    az_status st = sort_entries(e->v, e->n, sl->doc_order, sl->room ? sl->room : &own);
    az_sort_room_free(&own);
    size_t k = 0;
    for (size_t i = 0; st == AZ_OK && i < e->n; i++)
        if (k == 0 || e->v[k - 1].key != e->v[i].key || e->v[k - 1].doc != e->v[i].doc)
            e->v[k++] = e->v[i];
    e->n = k;
    return st;
}

/* Every document's band keys, hashed once: each slice's pass reads its
 * own out of them (hashing them again in every pass was an eighth of
 * pairing). */
static az_status band_keys(void *user, unsigned w, size_t begin, size_t end)
{
    run *r = user;
    const az_lsh_params *p = &r->d->lsh;
    (void)w;
    for (size_t i = begin; i < end; i++)
        if (indexed(r, i))
            az_lsh_keys(r->bandkeys + i * p->bands, r->sk[i].sig, p, r->o->seed);
    return AZ_OK;
}

static az_status band_slices(void *user, unsigned w, size_t begin, size_t end)
{
    run *r = user;
    const az_lsh_params *p = &r->d->lsh;
    az_status st = AZ_OK;
    (void)w;
    az_sort_room room = AZ_SORT_ROOM_INIT;
    slice sl = worker_slice(&room, r->n * p->bands / SLICES);
    for (size_t s = begin; s < end && st == AZ_OK; s++) {
        for (size_t i = 0; i < r->n && st == AZ_OK; i++) {
            if (!indexed(r, i))
                continue;
            const uint64_t *keys = r->bandkeys + i * p->bands;
            for (unsigned b = 0; b < p->bands && st == AZ_OK; b++)
                if (slice_of(keys[b]) == s)
                    st = push_entry(&sl.e, keys[b], (uint32_t)i);
        }
        st = pair_band(r, &sl, st);
    }
    free(sl.e.v);
    az_sort_room_free(&room);
    return st;
}

/* The fingerprint index is paired document by document: the slices keep,
 * of each key shared by two documents or more, its documents; then each
 * document counts the later ones it meets across its keys. The list of a
 * pair once per shared fingerprint (some 100 M at a million articles, most
 * of them pairs sharing a single phrase, to be dropped) is never made: it
 * was the run's peak memory and its longest sort. A distributed run does
 * the same with the runs of every rank (prints_mpi). */

/* A slice's shared keys, as runs of ascending documents: RUN_START marks a
 * run's first member; RUN_CAPPED the members of a run longer than
 * lsh_bucket_cap, which pair only with their neighbour. */
#define RUN_START (UINT32_C(1) << 31)
#define RUN_CAPPED (UINT32_C(1) << 30)
#define RUN_DOC (RUN_CAPPED - 1)

typedef struct shared_index {
    run *r;
    size_t prints;           /* fingerprints in all */
    size_t doc0;             /* pair_shared's range starts here */
    uint32_t *runs[SLICES];
    size_t base[SLICES + 1]; /* runs[s] is at [base[s], base[s + 1]) */
    size_t *first;           /* document i's members: at[first[i], first[i + 1]) */
    uint32_t *at;            /* members by document, as positions in runs */
    /* Per worker: how many keys each later document shares with the one
     * being paired (zero between documents). Counting in place of
     * sorting the documents met: that sort (five of its eight passes over
     * zero bytes, document numbers being small) was a fifth of pairing. */
    uint32_t *met[AZ_MAX_THREADS];
} shared_index;

/* Slice s of the fingerprint index, collected with status st: sorted,
 * and its keys that two documents or more share kept as runs in x. */
static az_status keep_shared(shared_index *x, slice *sl, size_t s, az_status st)
{
    run *r = x->r;
    if (st == AZ_OK)
        st = sort_prints(sl);
    const entry *e = sl->e.v;
    uint32_t *out = st == AZ_OK ? az_malloc_big((sl->e.n ? sl->e.n : 1) * sizeof(*out)) : NULL;
    size_t n = 0;
    for (size_t a = 0, b; out && a < sl->e.n; a = b) {
        for (b = a + 1; b < sl->e.n && e[b].key == e[a].key; b++)
            ;
        if (b - a < 2)
            continue;
        uint32_t capped = b - a > r->o->lsh_bucket_cap ? RUN_CAPPED : 0;
        sl->capped += capped != 0;
        for (size_t i = a; i < b; i++)
            out[n++] = e[i].doc | capped | (i == a ? RUN_START : 0);
    }
    if (st == AZ_OK && !out)
        st = AZ_ENOMEM;
    uint32_t *fit = out ? realloc(out, (n ? n : 1) * sizeof(*out)) : NULL;
    x->runs[s] = fit ? fit : out;
    x->base[s + 1] = n; /* a count until index_shared() sums them */
    join_slice(r, sl); /* the stats; it has no pairs */
    return st;
}

static az_status shared_slices(void *user, unsigned w, size_t begin, size_t end)
{
    shared_index *x = user;
    run *r = x->r;
    az_status st = AZ_OK;
    (void)w;
    az_sort_room room = AZ_SORT_ROOM_INIT;
    slice sl = worker_slice(&room, x->prints / SLICES);
    for (size_t s = begin; s < end && st == AZ_OK; s++) {
        /* Fingerprints of exact duplicates add nothing: their group is
         * paired. */
        for (size_t i = 0; i < r->n && st == AZ_OK; i++) {
            if (!indexed(r, i))
                continue;
            const az_sketch *k = &r->sk[i];
            for (size_t j = s ? k->slice_end[s - 1] : 0; j < k->slice_end[s] && st == AZ_OK; j++)
                st = push_entry(&sl.e, k->prints[j], (uint32_t)i);
        }
        st = keep_shared(x, &sl, s, st);
    }
    free(sl.e.v);
    az_sort_room_free(&room);
    return st;
}

/* The member at position p of the concatenated runs, and the end of its
 * slice's array. */
static const uint32_t *run_member(const shared_index *x, size_t p,
                                  const uint32_t **end)
{
    unsigned s = 0;
    while (p >= x->base[s + 1])
        s++;
    *end = x->runs[s] + (x->base[s + 1] - x->base[s]);
    return x->runs[s] + (p - x->base[s]);
}

/* Each document's members (at[]), by a counting sort of the runs. */
static az_status index_shared(shared_index *x)
{
    run *r = x->r;
    for (unsigned s = 0; s < SLICES; s++)
        x->base[s + 1] += x->base[s];
    x->first = calloc(r->n + 1, sizeof(*x->first));
    x->at = az_malloc_big((x->base[SLICES] ? x->base[SLICES] : 1) * sizeof(*x->at));
    if (!x->first || !x->at)
        return AZ_ENOMEM;
    for (unsigned s = 0; s < SLICES; s++)
        for (size_t k = 0; k < x->base[s + 1] - x->base[s]; k++)
            x->first[(x->runs[s][k] & RUN_DOC) + 1]++;
    for (size_t i = 0; i < r->n; i++)
        x->first[i + 1] += x->first[i];
    /* first[i] serves as document i's cursor, then is put back. */
    for (unsigned s = 0; s < SLICES; s++)
        for (size_t k = 0; k < x->base[s + 1] - x->base[s]; k++)
            x->at[x->first[x->runs[s][k] & RUN_DOC]++] = (uint32_t)(x->base[s] + k);
    for (size_t i = r->n; i > 0; i--)
        x->first[i] = x->first[i - 1];
    x->first[0] = 0;
    return AZ_OK;
}

/* The pairs of documents [begin, end) with a later document sharing
 * PRINTS_MIN_SHARED keys or more: the later members of each of the
 * document's runs (its neighbour only, in a capped run), counted. */
static az_status pair_shared(void *user, unsigned w, size_t begin, size_t end)
{
    shared_index *x = user;
    u64s met = {0}, cand = {0};
    if (!x->met[w] && !(x->met[w] = calloc(x->r->n ? x->r->n : 1, sizeof(*x->met[w]))))
        return AZ_ENOMEM;
    uint32_t *count = x->met[w];
    az_status st = AZ_OK;
    for (size_t i = x->doc0 + begin; i < x->doc0 + end && st == AZ_OK; i++) {
        met.n = 0; /* the documents met, each once */
        for (size_t k = x->first[i]; k < x->first[i + 1] && st == AZ_OK; k++) {
            const uint32_t *lim, *m = run_member(x, x->at[k], &lim);
            const uint32_t *last = *m & RUN_CAPPED && m + 1 < lim ? m + 2 : lim;
            for (const uint32_t *q = m + 1; q < last && !(*q & RUN_START) && st == AZ_OK; q++)
                if (count[*q & RUN_DOC]++ == 0)
                    st = push_u64(&met, *q & RUN_DOC);
        }
        /* In any order: the candidate list is sorted before use. */
        for (size_t a = 0; a < met.n; a++) {
            if (st == AZ_OK && count[met.v[a]] >= PRINTS_MIN_SHARED)
                st = push_u64(&cand, pair_key((uint32_t)i, (uint32_t)met.v[a]));
            count[met.v[a]] = 0;
        }
    }
    free(met.v);
    slice sl = {.cand = cand};
    az_status js = join_slice(x->r, &sl);
    return st == AZ_OK ? js : st;
}

/* The fingerprints are all in the runs once these are made; the
 * signatures serve verification. */
static void drop_prints(run *r)
{
    for (size_t i = 0; i < r->n; i++) {
        if (!r->sk[i].in_slab)
            free(r->sk[i].prints);
        r->sk[i].prints = NULL;
        r->sk[i].nprints = 0;
    }
}

/* With the runs in x (collected with status st): the pairs of documents
 * [lo, hi) to r->cand; x's arrays freed. */
static az_status pair_documents(shared_index *x, size_t lo, size_t hi, az_status st)
{
    if (st == AZ_OK)
        st = index_shared(x);
    x->doc0 = lo;
    /* Documents differ in their runs' lengths: chunks small enough to
     * balance. */
    if (st == AZ_OK)
        st = az_parallel(x->r->threads, hi - lo, 256, pair_shared, x);
    for (unsigned s = 0; s < SLICES; s++)
        free(x->runs[s]);
    for (unsigned w = 0; w < AZ_MAX_THREADS; w++)
        free(x->met[w]);
    free(x->first);
    free(x->at);
    return st;
}

/* The fingerprint candidates of one process, appended to r->cand. */
static az_status prints_by_document(run *r)
{
    size_t prints = 0;
    for (size_t i = 0; i < r->n; i++)
        prints += r->sk[i].nprints;
    if (r->n >= RUN_CAPPED || prints >= UINT32_MAX)
        return az_error(az_corpus_ctx(r->corpus), AZ_ETOOBIG,
                        "%zu articles with %zu fingerprints are more than one "
                        "process indexes: run with --mpi on several",
                        r->n, prints);
    shared_index x = {.r = r, .prints = prints};
    az_status st = az_parallel(r->threads, SLICES, 1, shared_slices, &x);
    drop_prints(r);
    return pair_documents(&x, 0, r->n, st);
}

/* A distributed index: a group of slices at a time (one a thread), each
 * rank sends the entries of its documents to their keys' owners, then
 * pairs, on its threads, the slices of the keys it owns. */
typedef struct slice_group {
    run *r;
    slice *sl;
    bool prints;
    unsigned lo;       /* sl[k] is slice lo + k */
    shared_index *x;   /* the fingerprints' runs */
} slice_group;

static az_status pair_group(void *user, unsigned w, size_t begin, size_t end)
{
    slice_group *g = user;
    az_status st = AZ_OK;
    (void)w;
    for (size_t k = begin; k < end; k++) {
        az_status ks = g->prints ? keep_shared(g->x, &g->sl[k], g->lo + k, AZ_OK)
                                 : pair_band(g->r, &g->sl[k], AZ_OK);
        st = st == AZ_OK ? ks : st;
    }
    return st;
}

static az_status put_entry(az_buf *b, uint64_t key, uint32_t doc)
{
    az_status st = az_buf_put(b, (const char *)&key, sizeof(key));
    return st == AZ_OK ? az_buf_put(b, (const char *)&doc, sizeof(doc)) : st;
}

#define ENTRY_BYTES (sizeof(uint64_t) + sizeof(uint32_t))

static az_status index_mpi(run *r, shared_index *x)
{
    bool prints = x != NULL;
    const az_lsh_params *p = &r->d->lsh;
    unsigned per = r->threads < SLICES ? r->threads : SLICES;
    az_buf *send = calloc((size_t)r->ranks, sizeof(*send)), recv = AZ_BUF_INIT;
    slice *sl = calloc(SLICES, sizeof(*sl));
    if (!send || !sl)
        az_mpi_abort(2); /* a few bytes: the others would wait for ever */
    /* This rank's documents, and their band keys, once for all rounds:
     * the rounds would otherwise walk every document and hash every
     * signature again each time. */
    size_t nmine = 0;
    uint32_t *mine = malloc((r->n ? r->n : 1) * sizeof(*mine));
    for (size_t i = 0; mine && i < r->n; i++)
        if (indexed(r, i))
            mine[nmine++] = (uint32_t)i;
    uint64_t *bkeys = prints ? NULL : malloc((nmine ? nmine : 1) * p->bands * sizeof(*bkeys));
    for (size_t m = 0; bkeys && m < nmine; m++)
        az_lsh_keys(bkeys + m * p->bands, r->sk[mine[m]].sig, p, r->o->seed);
    az_status st = send && sl && mine && (prints || bkeys) ? AZ_OK : AZ_ENOMEM;
    for (unsigned lo = 0; lo < SLICES; lo += per) {
        unsigned hi = lo + per < SLICES ? lo + per : SLICES;
        for (size_t m = 0; st == AZ_OK && m < nmine; m++) {
            size_t i = mine[m];
            const uint64_t *k = prints ? r->sk[i].prints : bkeys + m * p->bands;
            size_t nk = prints ? r->sk[i].nprints : p->bands;
            for (size_t j = 0; j < nk && st == AZ_OK; j++)
                if (slice_of(k[j]) >= lo && slice_of(k[j]) < hi)
                    st = put_entry(&send[key_owner(r, k[j])], k[j], (uint32_t)i);
        }
        if ((st = az_mpi_agree(st)) == AZ_OK)
            st = az_mpi_exchange(send, &recv, NULL);
        for (int d = 0; d < r->ranks; d++)
            az_buf_free(&send[d]);
        for (size_t off = 0; st == AZ_OK && off + ENTRY_BYTES <= recv.len;
             off += ENTRY_BYTES) {
            uint64_t key;
            uint32_t doc;
            memcpy(&key, recv.ptr + off, sizeof(key));
            memcpy(&doc, recv.ptr + off + sizeof(key), sizeof(doc));
            st = push_entry(&sl[slice_of(key) - lo].e, key, doc);
        }
        az_buf_free(&recv);
        slice_group g = {r, sl, prints, lo, x};
        if (st == AZ_OK)
            st = az_parallel(r->threads, hi - lo, 1, pair_group, &g);
        for (unsigned k = 0; k < hi - lo; k++) { /* after a failure */
            free(sl[k].e.v);
            free(sl[k].cand.v);
            sl[k] = (slice){0};
        }
        st = az_mpi_agree(st);
        if (st != AZ_OK)
            break;
    }
    free(send);
    free(sl);
    free(mine);
    free(bkeys);
    return st;
}

/* Sort v[a, b) and drop repeats; returns the new end. */
static size_t unique_u64(uint64_t *v, size_t a, size_t b)
{
    az_sort_u64(v + a, b - a);
    size_t w = a;
    for (size_t i = a; i < b; i++)
        if (w == a || v[w - 1] != v[i])
            v[w++] = v[i];
    return w;
}

/* Append the candidate pairs (8 bytes each) another rank sent. */
static az_status take_candidates(run *r, const az_buf *in)
{
    return append_u64(&r->cand, in->ptr, in->len / sizeof(uint64_t));
}

/* Give every rank the candidates cand[from, n) each rank made, once each. */
static az_status share_candidates(run *r, size_t from)
{
    az_buf all = AZ_BUF_INIT;
    size_t end = unique_u64(r->cand.v, from, r->cand.n);
    /* Sent from cand itself: it is only written again once all have it. */
    az_status st = az_mpi_allgather(r->cand.v + from, (end - from) * sizeof(uint64_t),
                                    &all, NULL);
    r->cand.n = from;
    if (st == AZ_OK)
        st = take_candidates(r, &all);
    az_buf_free(&all);
    return az_mpi_agree(st);
}



/* The fingerprint candidates of a distributed run. Each rank keeps the
 * runs of the shared keys it owns (index_mpi); every rank gets every run,
 * 4 bytes a member (some 170 MB at a million articles, where routing a
 * pair once per shared fingerprint to the pair's owner moved 8 bytes for
 * each of some 100 M); each pairs a share of the documents, as one
 * process pairs them all (prints_by_document). */
static az_status prints_mpi(run *r)
{
    if (r->n >= RUN_CAPPED) /* every rank has the same n */
        return az_error(az_corpus_ctx(r->corpus), AZ_ETOOBIG,
                        "%zu articles are more than the index holds", r->n);
    shared_index x = {.r = r};
    az_status st = index_mpi(r, &x);
    drop_prints(r);
    size_t total = 0;
    for (unsigned s = 0; st == AZ_OK && s < SLICES; s++) {
        az_buf all = AZ_BUF_INIT;
        st = az_mpi_allgather(x.runs[s], x.base[s + 1] * sizeof(uint32_t), &all, NULL);
        free(x.runs[s]);
        size_t n = st == AZ_OK ? all.len / sizeof(uint32_t) : 0;
        x.runs[s] = st == AZ_OK ? malloc((n ? n : 1) * sizeof(uint32_t)) : NULL;
        x.base[s + 1] = x.runs[s] ? n : 0;
        if (x.runs[s])
            memcpy(x.runs[s], all.ptr, n * sizeof(uint32_t));
        else if (st == AZ_OK)
            st = AZ_ENOMEM;
        total += x.base[s + 1];
        az_buf_free(&all);
        st = az_mpi_agree(st);
    }
    if (st == AZ_OK && total >= UINT32_MAX) /* the same on every rank */
        st = az_error(az_corpus_ctx(r->corpus), AZ_ETOOBIG,
                      "%zu shared fingerprints are more than the index holds", total);
    size_t lo = r->n * (size_t)r->rank / (size_t)r->ranks;
    size_t hi = r->n * ((size_t)r->rank + 1) / (size_t)r->ranks;
    return az_mpi_agree(pair_documents(&x, lo, hi, st));
}

static az_status candidates(run *r)
{
    az_status st = exact_duplicates(r);
    if (r->ranks > 1) {
        size_t exact = r->cand.n; /* every rank found them all */
        if ((st = az_mpi_agree(st)) == AZ_OK)
            st = index_mpi(r, NULL);
        if (st == AZ_OK)
            st = share_candidates(r, exact);
    } else if (st == AZ_OK) {
        size_t nk = (r->n ? r->n : 1) * r->d->lsh.bands;
        if (!(r->bandkeys = az_malloc_big(nk * sizeof(*r->bandkeys))))
            return AZ_ENOMEM;
        st = az_parallel(r->threads, r->n, 1024, band_keys, r);
        if (st == AZ_OK)
            st = az_parallel(r->threads, SLICES, 1, band_slices, r);
        free(r->bandkeys);
        r->bandkeys = NULL;
    }
    if (st != AZ_OK)
        return st;
    size_t lsh = unique_u64(r->cand.v, 0, r->cand.n);
    r->d->stats.lsh_candidates = lsh;
    r->cand.n = lsh;
    st = r->ranks > 1 ? prints_mpi(r) : prints_by_document(r);
    if (st != AZ_OK)
        return st;
    size_t end = r->cand.n;
    if (r->ranks > 1) { /* each rank paired its documents: now every rank, all */
        r->cand.n = end;
        if ((st = share_candidates(r, lsh)) != AZ_OK)
            return st;
        end = r->cand.n;
    }
    r->d->stats.containment_candidates = end - lsh;
    r->cand.n = unique_u64(r->cand.v, 0, end);
    /* Give back the growth slack: a handful of candidates per article. */
    uint64_t *v = realloc(r->cand.v, (r->cand.n ? r->cand.n : 1) * sizeof(*v));
    if (v) {
        r->cand.v = v;
        r->cand.cap = r->cand.n ? r->cand.n : 1;
    }
    return AZ_OK;
}

/* ---- 4. verification ---- */

/* Each worker keeps the shingles (tokens, sequence and set: some 16 KB for
 * a 3 KB article) of the documents it verified last, in a direct-mapped
 * cache, rather than the run keeping every candidate's: candidates are
 * verified one connected group after another, so a group's documents are
 * built once while the memory stays bounded. */
#define CACHE_SLOTS 512

typedef struct cached {
    uint32_t doc;
    bool valid;
    az_doc view;        /* the document with its text (az_corpus_load) */
    az_shingles s;
} cached;

typedef struct wcache {
    cached slot[CACHE_SLOTS + 1]; /* the last: b when it maps onto a's slot */
} wcache;

/* The slot's document goes; its shingle arrays stay for the next one. */
static void cached_free(cached *c)
{
    if (c->valid)
        az_doc_unload(&c->view);
    c->valid = false;
}

static az_status shingles_of(run *r, unsigned w, uint32_t doc,
                             const cached *keep, cached **out)
{
    cached *c = &r->cache[w]->slot[doc % CACHE_SLOTS];
    if (c == keep && c->doc != doc)
        c = &r->cache[w]->slot[CACHE_SLOTS];
    if (!c->valid || c->doc != doc) {
        cached_free(c);
        az_ctx *ctx = wctx(r, w);
        if (!ctx)
            return AZ_ENOMEM;
        az_status st = az_corpus_load(r->corpus, ctx, doc, &c->view);
        if (st != AZ_OK)
            return st;
        const az_buf *t = &c->view.x.text;
        st = az_shingle(&c->s, t->ptr, t->len, r->o->shingle_size, r->o->seed);
        if (st == AZ_OK)
            st = az_shingles_set(&c->s);
        c->doc = doc;
        c->valid = true;
        if (st != AZ_OK) {
            cached_free(c);
            return st;
        }
    }
    *out = c;
    return AZ_OK;
}

static double round4(double x)
{
    return round(x * 1e4) / 1e4;
}

/* At most EXCERPT bytes of s, cut between characters, "..." when cut. */
#define EXCERPT 160

static const char *excerpt(az_arena *a, const char *s, size_t len)
{
    size_t n = len;
    if (n > EXCERPT) {
        n = EXCERPT;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    char *e = az_arena_alloc(a, n + 4);
    if (e) {
        memcpy(e, s, n);
        strcpy(e + n, n < len ? "..." : "");
    }
    return e;
}

/* Convert token spans to az_passage records in the worker's arena. */
static az_status make_passages(run *r, unsigned w, az_pair *p,
                               const cached *ca_, const cached *cb_,
                               const az_span_pair *sp, size_t n)
{
    az_passage *ps = az_arena_alloc(&r->d->warena[w], n * sizeof(*ps));
    if (!ps)
        return AZ_ENOMEM;
    const az_shingles *a = &ca_->s, *b = &cb_->s;
    const az_doc *da = &ca_->view, *db = &cb_->view;
    for (size_t i = 0; i < n; i++) {
        const az_token *ta = a->tokens, *tb = b->tokens;
        az_passage *q = &ps[i];
        q->a_off = ta[sp[i].a_tok].off;
        q->a_len = ta[sp[i].a_end - 1].off + ta[sp[i].a_end - 1].len - q->a_off;
        q->b_off = tb[sp[i].b_tok].off;
        q->b_len = tb[sp[i].b_end - 1].off + tb[sp[i].b_end - 1].len - q->b_off;
        uint32_t ca, cb, ta_n = sp[i].a_end - sp[i].a_tok, tb_n = sp[i].b_end - sp[i].b_tok;
        az_doc_locate(da, q->a_off, &q->a_line, &ca);
        az_doc_locate(db, q->b_off, &q->b_line, &cb);
        q->tokens = ta_n < tb_n ? ta_n : tb_n;
        if (!(q->text = excerpt(&r->d->warena[w], da->x.text.ptr + q->a_off,
                                q->a_len)))
            return AZ_ENOMEM;
    }
    p->passages = ps;
    p->npassages = n;
    return AZ_OK;
}

static az_status push_pair(chunk_out *out, const az_pair *p)
{
    if (out->n == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 16;
        az_pair *v = realloc(out->v, cap * sizeof(*v));
        if (!v)
            return AZ_ENOMEM;
        out->v = v;
        out->cap = cap;
    }
    out->v[out->n++] = *p;
    return AZ_OK;
}

static az_status verify_one(run *r, unsigned w, uint32_t ia, uint32_t ib,
                            chunk_out *out)
{
    const az_options *o = r->o;
    cached *ca, *cb; /* the worker's own: a's positions are built in it */
    az_status st = shingles_of(r, w, ia, NULL, &ca);
    if (st == AZ_OK)
        st = shingles_of(r, w, ib, ca, &cb);
    if (st != AZ_OK)
        return st;
    az_shingles *a = &ca->s;
    const az_shingles *b = &cb->s;
    if (a->nset == 0 || b->nset == 0)
        return st;
    out->verified++;
    size_t shared = az_shingles_shared(a, b);
    double jac = (double)shared / (double)(a->nset + b->nset - shared);
    double cab = (double)shared / (double)a->nset;
    double cba = (double)shared / (double)b->nset;
    /* A tiny text almost all of one shared footer ("Comments are closed on
     * this article") is "contained" without being a copy: the similarity
     * rules need twice the shortest passage's worth of shared shingles. */
    bool similar = (jac >= o->pair_jaccard || cab >= o->pair_containment ||
                    cba >= o->pair_containment) &&
                   shared >= 2 * (size_t)o->passage_min_tokens;
    /* Too few shared shingles to hold the passages that could qualify. */
    if (!similar && shared + o->shingle_size - 1 < o->pair_passage_tokens)
        return AZ_OK;
    az_span_pair *sp;
    size_t nsp;
    st = az_passages(&sp, &nsp, a, b, o->shingle_size, o->passage_min_tokens,
                     o->passage_gap);
    if (st != AZ_OK || nsp == 0)
        return st;
    size_t total = 0;
    for (size_t i = 0; i < nsp; i++) {
        uint32_t ta = sp[i].a_end - sp[i].a_tok, tb = sp[i].b_end - sp[i].b_tok;
        total += ta < tb ? ta : tb;
    }
    if (!similar && total < o->pair_passage_tokens) {
        free(sp);
        return AZ_OK;
    }
    unsigned m = az_minhash_matches(r->sk[ia].sig, r->sk[ib].sig,
                                    o->minhash_perms);
    az_pair p = {.a = ia, .b = ib, .shared = shared, .credited = -1};
    p.jaccard = round4((double)m / o->minhash_perms);
    p.jaccard_lo = r->ci[m][0];
    p.jaccard_hi = r->ci[m][1];
    p.exact_jaccard = round4(jac);
    p.contain_ab = round4(cab);
    p.contain_ba = round4(cba);
    st = make_passages(r, w, &p, ca, cb, sp, nsp);
    free(sp);
    return st == AZ_OK ? push_pair(out, &p) : st;
}

#define VERIFY_CHUNK 256

static az_status verify_range(void *user, unsigned w, size_t begin, size_t end)
{
    run *r = user;
    chunk_out *out = &r->outs[begin / VERIFY_CHUNK];
    az_status st = AZ_OK;
    for (size_t i = r->vlo + begin; i < r->vlo + end && st == AZ_OK; i++) {
        uint64_t c = r->cand.v[r->order[i]];
        st = verify_one(r, w, (uint32_t)(c >> 32), (uint32_t)c, out);
    }
    return st;
}

static int pair_cmp(const void *x, const void *y)
{
    const az_pair *a = x, *b = y;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return (a->b > b->b) - (a->b < b->b);
}

/* The first position at or after `at` where a group of the sorted
 * (root, candidate) keys begins, or n. */
static size_t group_start(const uint64_t *key, size_t n, size_t at)
{
    while (at > 0 && at < n && key[at] >> 32 == key[at - 1] >> 32)
        at++;
    return at < n ? at : n;
}

/* Reading a document again (pread, cleaning, shingles) costs about as
 * much as verifying this many candidates (perf, 100,000 articles). */
#define LOAD_WEIGHT 4

/* This rank's run of order[]: whole groups, so that a document is read
 * again by one rank only, and about an equal share of the work, counted
 * as candidates plus LOAD_WEIGHT for each document's first appearance. */
static az_status split_groups(run *r, const uint64_t *key)
{
    size_t n = r->cand.n;
    unsigned char *seen = calloc(r->n / 8 + 1, 1);
    uint64_t *work = malloc((n + 1) * sizeof(*work)); /* before position i */
    if (!seen || !work) {
        free(seen);
        free(work);
        return AZ_ENOMEM;
    }
    work[0] = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t c = r->cand.v[r->order[i]], w = 1;
        uint32_t doc[2] = {(uint32_t)(c >> 32), (uint32_t)c};
        for (int k = 0; k < 2; k++)
            if (!(seen[doc[k] / 8] & (1u << (doc[k] % 8)))) {
                seen[doc[k] / 8] |= (unsigned char)(1u << (doc[k] % 8));
                w += LOAD_WEIGHT;
            }
        work[i + 1] = work[i] + w;
    }
    size_t at[2];
    for (int k = 0; k < 2; k++) {
        uint64_t target = work[n] * (uint64_t)(r->rank + k) / (uint64_t)r->ranks;
        size_t i = 0;
        while (i < n && work[i] < target)
            i++;
        at[k] = group_start(key, n, i);
    }
    r->vlo = at[0];
    r->vhi = at[1];
    free(seen);
    free(work);
    return AZ_OK;
}

/* order[]: candidate indices grouped by connected component (by its
 * smallest document), in candidate order within one. */
static az_status group_candidates(run *r)
{
    size_t n = r->n ? r->n : 1;
    uint32_t *parent = malloc(n * sizeof(*parent));
    uint64_t *key = malloc((r->cand.n ? r->cand.n : 1) * sizeof(*key));
    r->order = malloc((r->cand.n ? r->cand.n : 1) * sizeof(*r->order));
    az_status st = parent && key && r->order ? AZ_OK : AZ_ENOMEM;
    for (size_t i = 0; st == AZ_OK && i < r->n; i++)
        parent[i] = (uint32_t)i;
    for (size_t i = 0; st == AZ_OK && i < r->cand.n; i++) {
        uint32_t x = r->cand.v[i] >> 32, y = (uint32_t)r->cand.v[i];
        while (parent[x] != x)
            x = parent[x] = parent[parent[x]];
        while (parent[y] != y)
            y = parent[y] = parent[parent[y]];
        if (x != y)
            parent[x > y ? x : y] = x < y ? x : y;
    }
    /* (root, candidate index): candidates are few beside 2^32. */
    for (size_t i = 0; st == AZ_OK && i < r->cand.n; i++) {
        uint32_t x = r->cand.v[i] >> 32;
        while (parent[x] != x)
            x = parent[x];
        key[i] = (uint64_t)x << 32 | i;
    }
    if (st == AZ_OK)
        az_sort_u64(key, r->cand.n);
    for (size_t i = 0; st == AZ_OK && i < r->cand.n; i++)
        r->order[i] = (uint32_t)key[i];
    r->vlo = 0;
    r->vhi = r->cand.n;
    if (st == AZ_OK && r->ranks > 1)
        st = split_groups(r, key);
    free(parent);
    free(key);
    return st;
}

static az_status verify(run *r)
{
    size_t nchunks = r->cand.n / VERIFY_CHUNK + 1;
    if (r->cand.n > UINT32_MAX)
        return AZ_ENOMEM; /* order[] indexes candidates in 32 bits */
    /* A pair's interval depends only on its count of matching values:
     * GSL's beta quantiles, once per count rather than twice per pair
     * (a fifteenth of verifying, at half a million pairs). */
    unsigned perms = r->o->minhash_perms;
    if (!(r->ci = malloc((perms + 1) * sizeof(*r->ci))))
        return AZ_ENOMEM;
    for (unsigned m = 0; m <= perms; m++) {
        az_binomial_ci(&r->ci[m][0], &r->ci[m][1], m, perms);
        r->ci[m][0] = round4(r->ci[m][0]);
        r->ci[m][1] = round4(r->ci[m][1]);
    }
    r->outs = calloc(nchunks, sizeof(*r->outs));
    if (!r->outs)
        return AZ_ENOMEM;
    for (unsigned w = 0; w < r->threads; w++)
        if (!(r->cache[w] = calloc(1, sizeof(*r->cache[w]))))
            return AZ_ENOMEM;
    az_status st = group_candidates(r);
    if (st == AZ_OK)
        st = az_parallel(r->threads, r->vhi - r->vlo, VERIFY_CHUNK, verify_range, r);
    size_t total = 0;
    for (size_t k = 0; k < nchunks; k++)
        total += r->outs[k].n;
    az_dups *d = r->d;
    if (st == AZ_OK && total &&
        !(d->pairs = malloc(total * sizeof(*d->pairs))))
        st = AZ_ENOMEM;
    for (size_t k = 0; k < nchunks; k++) {
        if (st == AZ_OK && r->outs[k].n)
            memcpy(d->pairs + d->npairs, r->outs[k].v,
                   r->outs[k].n * sizeof(*d->pairs));
        d->npairs += st == AZ_OK ? r->outs[k].n : 0;
        d->stats.verified += r->outs[k].verified;
        free(r->outs[k].v);
    }
    /* Pairs in candidate order, as one thread would have made them. */
    if (st == AZ_OK && d->npairs > 1)
        qsort(d->pairs, d->npairs, sizeof(*d->pairs), pair_cmp);
    return st;
}

/* The pairs each rank verified, to every rank, in the order one process
 * would have made them; the ranks' work counters added up. */
static az_status pack_pair(az_buf *b, const az_pair *p)
{
    az_status st = AZ_OK;
    AZ_PACK(st, az_pack_u64(b, p->a));
    AZ_PACK(st, az_pack_u64(b, p->b));
    AZ_PACK(st, az_pack_u64(b, p->shared));
    AZ_PACK(st, az_pack_f64(b, p->jaccard));
    AZ_PACK(st, az_pack_f64(b, p->jaccard_lo));
    AZ_PACK(st, az_pack_f64(b, p->jaccard_hi));
    AZ_PACK(st, az_pack_f64(b, p->exact_jaccard));
    AZ_PACK(st, az_pack_f64(b, p->contain_ab));
    AZ_PACK(st, az_pack_f64(b, p->contain_ba));
    AZ_PACK(st, az_pack_u64(b, p->npassages));
    for (size_t k = 0; k < p->npassages; k++) {
        const az_passage *q = &p->passages[k];
        AZ_PACK(st, az_pack_u64(b, q->a_off));
        AZ_PACK(st, az_pack_u64(b, q->a_len));
        AZ_PACK(st, az_pack_u64(b, q->b_off));
        AZ_PACK(st, az_pack_u64(b, q->b_len));
        AZ_PACK(st, az_pack_u32(b, q->a_line));
        AZ_PACK(st, az_pack_u32(b, q->b_line));
        AZ_PACK(st, az_pack_u32(b, q->tokens));
        AZ_PACK(st, az_pack_str(b, q->text));
    }
    return st;
}

static az_status unpack_pair(az_unpack *u, az_arena *a, az_pair *p)
{
    *p = (az_pair){.credited = -1};
    p->a = az_unpack_u64(u);
    p->b = az_unpack_u64(u);
    p->shared = az_unpack_u64(u);
    p->jaccard = az_unpack_f64(u);
    p->jaccard_lo = az_unpack_f64(u);
    p->jaccard_hi = az_unpack_f64(u);
    p->exact_jaccard = az_unpack_f64(u);
    p->contain_ab = az_unpack_f64(u);
    p->contain_ba = az_unpack_f64(u);
    uint64_t n = az_unpack_u64(u);
    if (u->bad || n > (u->n - u->off) / 36) /* 36: a passage's fixed part */
        return AZ_EINVAL;
    az_passage *ps = n ? az_arena_alloc(a, n * sizeof(*ps)) : NULL;
    if (n && !ps)
        return AZ_ENOMEM;
    for (uint64_t k = 0; k < n; k++) {
        az_passage *q = &ps[k];
        q->a_off = az_unpack_u64(u);
        q->a_len = az_unpack_u64(u);
        q->b_off = az_unpack_u64(u);
        q->b_len = az_unpack_u64(u);
        q->a_line = az_unpack_u32(u);
        q->b_line = az_unpack_u32(u);
        q->tokens = az_unpack_u32(u);
        q->text = az_unpack_str(u, a);
    }
    p->passages = ps;
    p->npassages = n;
    return u->bad ? AZ_EINVAL : AZ_OK;
}

static az_status share_pairs(run *r)
{
    az_dups *d = r->d;
    az_buf b = AZ_BUF_INIT, recv = AZ_BUF_INIT;
    az_status st = az_pack_u64(&b, d->npairs);
    for (size_t i = 0; st == AZ_OK && i < d->npairs; i++)
        st = pack_pair(&b, &d->pairs[i]);
    free(d->pairs);
    d->pairs = NULL;
    d->npairs = 0;
    for (unsigned w = 0; w < AZ_MAX_THREADS; w++)
        az_arena_free(&d->warena[w]); /* the passages are packed */
    size_t *from = calloc((size_t)r->ranks + 1, sizeof(*from));
    if (!from)
        st = AZ_ENOMEM;
    if ((st = az_mpi_agree(st)) == AZ_OK)
        st = az_mpi_allgather(b.ptr, b.len, &recv, from);
    az_buf_free(&b);
    size_t total = 0;
    for (int k = 0; st == AZ_OK && k < r->ranks; k++) {
        az_unpack u = {recv.ptr + from[k], from[k + 1] - from[k], 0, false};
        uint64_t n = az_unpack_u64(&u);
        if (n > u.n / 8) {
            st = AZ_EINVAL;
            break;
        }
        az_pair *v = realloc(d->pairs, (total + n ? total + n : 1) * sizeof(*v));
        if (!v) {
            st = AZ_ENOMEM;
            break;
        }
        d->pairs = v;
        for (uint64_t i = 0; st == AZ_OK && i < n; i++)
            st = unpack_pair(&u, &d->arena, &d->pairs[total++]);
    }
    d->npairs = st == AZ_OK ? total : 0;
    if (st == AZ_OK && d->npairs > 1)
        qsort(d->pairs, d->npairs, sizeof(*d->pairs), pair_cmp);
    az_buf_free(&recv);
    free(from);
    /* The candidate counts are every rank's already. */
    uint64_t sum[3] = {d->stats.verified, d->stats.capped_buckets, d->fingerprints};
    az_mpi_sum(sum, 3);
    d->stats.verified = sum[0];
    d->stats.capped_buckets = sum[1];
    d->fingerprints = sum[2];
    return az_mpi_agree(st);
}

/* ---- 5. clusters and origins, 6. direction and credit ---- */

/* The text a credit may appear in: the cleaned text, and the author and
 * title, where bylines like "By Meridian Press Agency" end up. */
static bool doc_credits(const az_doc *d, const char *origin, bool strict,
                        const char **what)
{
    size_t len;
    const char *text = az_doc_text(d, &len);
    const char *author = az_doc_meta(d, AZ_META_AUTHOR)->value;
    if (strict)
        return az_credit_names(text, len, origin) ||
               (author && az_credit_names(author, strlen(author), origin));
    return az_credit_find(text, len, origin, what) ||
           (author && az_credit_find(author, strlen(author), origin, what));
}

static const char *published(const az_corpus *c, size_t i)
{
    return az_doc_meta(az_corpus_doc(c, i), AZ_META_PUBLISHED)->value;
}

static const char *outlet(const az_corpus *c, size_t i)
{
    return az_doc_meta(az_corpus_doc(c, i), AZ_META_OUTLET)->value;
}

/* Mean share of member m's shingles found in the other members it pairs
 * with (sums over the pairs, made once in cluster()). */
static double contained_in_others(const run *r, size_t m)
{
    return r->npairs_of[m] ? r->contained_sum[m] / (double)r->npairs_of[m] : 0;
}

/* A cluster's members with their texts (views[k] is members[k]), loaded
 * while the cluster is worked on: a streamed corpus reads them again. */
static const az_doc *member_view(const az_cluster *cl, const az_doc *views,
                                 size_t doc)
{
    size_t lo = 0, hi = cl->nmembers;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cl->members[mid] < doc)
            lo = mid + 1;
        else
            hi = mid;
    }
    return &views[lo];
}

static const char *const origin_rules[] = {"earliest-credited-wire", "earliest",
                                           "most-contained"};

static void choose_origin(run *r, az_cluster *cl, const az_doc *views)
{
    const char *earliest = NULL;
    for (size_t k = 0; k < cl->nmembers; k++) {
        const char *p = published(r->corpus, cl->members[k]);
        if (p && (!earliest || strcmp(p, earliest) < 0))
            earliest = p;
    }
    double best = -1;
    size_t best_credits = 0;
    /* The count depends only on the outlet (the member itself is of it,
     * so never counted): counted once per outlet, a cluster of 100,000
     * copies of one outlet's story costs one pass, not 10^10 scans. */
    const char *counted = NULL;
    size_t counted_credits = 0;
    for (size_t k = 0; k < cl->nmembers; k++) {
        size_t m = cl->members[k];
        const char *p = published(r->corpus, m);
        if (earliest && (!p || strcmp(p, earliest) != 0))
            continue;
        /* How many members of other outlets name this member's outlet. */
        size_t credits = 0;
        const char *o = outlet(r->corpus, m);
        if (o && counted && strcasecmp(o, counted) == 0) {
            credits = counted_credits;
        } else {
            for (size_t q = 0; o && q < cl->nmembers; q++) {
                const char *oq = outlet(r->corpus, cl->members[q]);
                if (q != k && !(oq && strcasecmp(oq, o) == 0) &&
                    doc_credits(&views[q], o, true, NULL))
                    credits++;
            }
            counted = o;
            counted_credits = credits;
        }
        double c = contained_in_others(r, m);
        if (credits > best_credits || (credits == best_credits && c > best)) {
            best_credits = credits;
            best = c;
            cl->origin = m;
        }
    }
    cl->origin_rule = origin_rules[best_credits ? 0 : earliest ? 1 : 2];
}

/* Direction and credit of one pair of cluster cl. */
static void direct(run *r, az_pair *p, const az_cluster *cl,
                   const az_doc *views)
{
    const char *oa = outlet(r->corpus, p->a), *ob = outlet(r->corpus, p->b);
    if (oa && ob && strcasecmp(oa, ob) == 0)
        return; /* one outlet's own pages: not a copy across outlets */
    const char *da = published(r->corpus, p->a), *db = published(r->corpus, p->b);
    int cmp = da && db ? strcmp(da, db) : 0;
    /* Same day (or no dates): the side that is the cluster's origin, or
     * of the origin's outlet (another of the agency's own items), is the
     * source. */
    size_t origin = cl->origin;
    const char *oo = outlet(r->corpus, origin);
    bool a_src = origin == p->a || (oo && oa && strcasecmp(oo, oa) == 0);
    bool b_src = origin == p->b || (oo && ob && strcasecmp(oo, ob) == 0);
    if (cmp < 0 || (cmp == 0 && a_src && !b_src))
        p->dir = AZ_COPY_A_TO_B;
    else if (cmp > 0 || (cmp == 0 && b_src && !a_src))
        p->dir = AZ_COPY_B_TO_A;
    else
        return;
    /* A copy, credited or not, is a document substantially made of the
     * other; a few shared passages give a direction but no verdict. */
    const az_options *o = r->o;
    if (p->exact_jaccard < o->pair_jaccard && p->contain_ab < o->pair_containment &&
        p->contain_ba < o->pair_containment)
        return;
    size_t src = p->dir == AZ_COPY_A_TO_B ? p->a : p->b;
    size_t copy = p->dir == AZ_COPY_A_TO_B ? p->b : p->a;
    const char *what = NULL;
    p->credited = doc_credits(member_view(cl, views, copy),
                              outlet(r->corpus, src), false, &what);
    p->credit = p->credited ? what : NULL;
}

/* Stable id: a hash of the member ids, which are unique and sorted. */
static const char *cluster_id(run *r, unsigned w, const az_cluster *cl)
{
    XXH3_state_t *h = XXH3_createState();
    if (!h)
        return NULL;
    XXH3_64bits_reset(h);
    for (size_t k = 0; k < cl->nmembers; k++) {
        const char *id = az_doc_id(az_corpus_doc(r->corpus, cl->members[k]));
        XXH3_64bits_update(h, id, strlen(id) + 1);
    }
    char buf[24];
    snprintf(buf, sizeof(buf), "dup-%012llx",
             (unsigned long long)(XXH3_64bits_digest(h) & 0xFFFFFFFFFFFFull));
    XXH3_freeState(h);
    return az_arena_strdup(&r->d->warena[w], buf);
}

/* Origin, id, and each pair's direction and credit, cluster by cluster:
 * the credits are read in the members' texts. */
static az_status cluster_range(void *user, unsigned w, size_t begin, size_t end)
{
    run *r = user;
    az_dups *d = r->d;
    az_status st = AZ_OK;
    for (size_t i = begin; i < end && st == AZ_OK; i++) {
        size_t k = r->cl_first + i * r->cl_step;
        az_cluster *cl = &d->clusters[k];
        az_doc *views = calloc(cl->nmembers, sizeof(*views));
        az_ctx *ctx = wctx(r, w);
        size_t loaded = 0;
        st = views && ctx ? AZ_OK : AZ_ENOMEM;
        for (; st == AZ_OK && loaded < cl->nmembers; loaded++)
            if ((st = az_corpus_load(r->corpus, ctx, cl->members[loaded],
                                     &views[loaded])) != AZ_OK)
                break;
        if (st == AZ_OK) {
            choose_origin(r, cl, views);
            if (!(cl->id = cluster_id(r, w, cl)))
                st = AZ_ENOMEM;
        }
        for (size_t q = r->cl_pairs[k]; st == AZ_OK && q < r->cl_pairs[k + 1]; q++)
            direct(r, &d->pairs[r->cl_pair_idx[q]], cl, views);
        for (size_t m = 0; m < loaded; m++)
            az_doc_unload(&views[m]);
        free(views);
    }
    return st;
}

static az_status pack_cluster(az_buf *b, run *r, size_t k)
{
    const az_cluster *cl = &r->d->clusters[k];
    az_status st = AZ_OK;
    AZ_PACK(st, az_pack_u64(b, k));
    AZ_PACK(st, az_pack_u64(b, cl->origin));
    uint32_t rule = 0;
    while (rule < 2 && strcmp(origin_rules[rule], cl->origin_rule) != 0)
        rule++;
    AZ_PACK(st, az_pack_u32(b, rule));
    AZ_PACK(st, az_pack_str(b, cl->id));
    AZ_PACK(st, az_pack_u64(b, r->cl_pairs[k + 1] - r->cl_pairs[k]));
    for (size_t i = r->cl_pairs[k]; i < r->cl_pairs[k + 1]; i++) {
        const az_pair *p = &r->d->pairs[r->cl_pair_idx[i]];
        AZ_PACK(st, az_pack_u32(b, (uint32_t)p->dir));
        AZ_PACK(st, az_pack_u32(b, (uint32_t)(p->credited + 1)));
        AZ_PACK(st, az_pack_str(b, p->credit));
    }
    return st;
}

/* What each rank found of its clusters (origin, id, and its pairs'
 * direction and credit), to every rank. */
static az_status share_clusters(run *r)
{
    az_dups *d = r->d;
    az_buf b = AZ_BUF_INIT, all = AZ_BUF_INIT;
    az_status st = AZ_OK;
    for (size_t k = r->cl_first; st == AZ_OK && k < d->nclusters; k += r->cl_step)
        st = pack_cluster(&b, r, k);
    if ((st = az_mpi_agree(st)) == AZ_OK)
        st = az_mpi_allgather(b.ptr, b.len, &all, NULL);
    az_buf_free(&b);
    az_unpack u = {all.ptr, all.len, 0, false};
    while (st == AZ_OK && u.off < u.n && !u.bad) {
        uint64_t k = az_unpack_u64(&u);
        if (k >= d->nclusters) {
            st = AZ_EINVAL;
            break;
        }
        az_cluster *cl = &d->clusters[k];
        cl->origin = az_unpack_u64(&u);
        uint32_t rule = az_unpack_u32(&u);
        cl->origin_rule = origin_rules[rule < 3 ? rule : 2];
        cl->id = az_unpack_str(&u, &d->arena);
        uint64_t n = az_unpack_u64(&u);
        if (n != r->cl_pairs[k + 1] - r->cl_pairs[k]) {
            st = AZ_EINVAL;
            break;
        }
        for (size_t i = r->cl_pairs[k]; i < r->cl_pairs[k + 1]; i++) {
            az_pair *p = &d->pairs[r->cl_pair_idx[i]];
            p->dir = (az_copy_dir)az_unpack_u32(&u);
            p->credited = (int)az_unpack_u32(&u) - 1;
            p->credit = az_unpack_str(&u, &d->arena);
        }
    }
    if (st == AZ_OK && u.bad)
        st = AZ_EINVAL;
    az_buf_free(&all);
    return az_mpi_agree(st);
}

static az_status cluster(run *r)
{
    az_dups *d = r->d;
    size_t *parent = malloc((r->n ? r->n : 1) * sizeof(*parent));
    size_t *count = calloc(r->n ? r->n : 1, sizeof(*count));
    d->doc_cluster = malloc((r->n ? r->n : 1) * sizeof(*d->doc_cluster));
    az_status st = AZ_ENOMEM;
    if (!parent || !count || !d->doc_cluster)
        goto done;
    d->ndocs = r->n;
    for (size_t i = 0; i < r->n; i++) {
        parent[i] = i;
        d->doc_cluster[i] = SIZE_MAX;
    }
    /* The smaller index is the root: roots are the first member. */
    for (size_t i = 0; i < d->npairs; i++)
        az_uf_union(parent, d->pairs[i].a, d->pairs[i].b);
    for (size_t i = 0; i < r->n; i++)
        count[az_uf_find(parent, i)]++;
    for (size_t i = 0; i < r->n; i++)
        if (count[i] > 1)
            d->nclusters++;
    d->clusters = calloc(d->nclusters ? d->nclusters : 1, sizeof(*d->clusters));
    if (!d->clusters)
        goto done;
    /* Roots are the smallest member, so walking the documents in order
     * numbers the clusters by their first member and fills each one's
     * members in ascending order. */
    size_t c = 0;
    for (size_t i = 0; i < r->n; i++) {
        size_t root = az_uf_find(parent, i);
        if (count[root] < 2)
            continue;
        if (root == i) {
            size_t *mem = az_arena_alloc(&d->arena, count[i] * sizeof(*mem));
            if (!mem)
                goto done;
            d->clusters[c++] = (az_cluster){.members = mem};
            d->doc_cluster[i] = c - 1;
        }
        az_cluster *cl = &d->clusters[d->doc_cluster[root]];
        ((size_t *)cl->members)[cl->nmembers++] = i;
        d->doc_cluster[i] = d->doc_cluster[root];
    }
    r->contained_sum = calloc(r->n ? r->n : 1, sizeof(*r->contained_sum));
    r->npairs_of = calloc(r->n ? r->n : 1, sizeof(*r->npairs_of));
    if (!r->contained_sum || !r->npairs_of)
        goto done;
    for (size_t i = 0; i < d->npairs; i++) {
        r->contained_sum[d->pairs[i].a] += d->pairs[i].contain_ab;
        r->contained_sum[d->pairs[i].b] += d->pairs[i].contain_ba;
        r->npairs_of[d->pairs[i].a]++;
        r->npairs_of[d->pairs[i].b]++;
    }
    /* Pairs by cluster (counting sort, in pair order within one). */
    r->cl_pairs = calloc(d->nclusters + 1, sizeof(*r->cl_pairs));
    r->cl_pair_idx = malloc((d->npairs ? d->npairs : 1) * sizeof(*r->cl_pair_idx));
    if (!r->cl_pairs || !r->cl_pair_idx)
        goto done;
    for (size_t i = 0; i < d->npairs; i++)
        r->cl_pairs[d->doc_cluster[d->pairs[i].a] + 1]++;
    for (size_t k = 0; k < d->nclusters; k++)
        r->cl_pairs[k + 1] += r->cl_pairs[k];
    /* count[] (n >= nclusters entries) is free again: the fill positions. */
    memcpy(count, r->cl_pairs, d->nclusters * sizeof(*count));
    for (size_t i = 0; i < d->npairs; i++)
        r->cl_pair_idx[count[d->doc_cluster[d->pairs[i].a]]++] = i;
    /* Ranks take the clusters in turn, then tell each other what they
     * found. */
    r->cl_first = (size_t)r->rank;
    r->cl_step = (size_t)r->ranks;
    size_t mine = d->nclusters > r->cl_first
                      ? (d->nclusters - r->cl_first + r->cl_step - 1) / r->cl_step : 0;
    st = az_parallel(r->threads, mine, 8, cluster_range, r);
    if (r->ranks > 1 && (st = az_mpi_agree(st)) == AZ_OK)
        st = share_clusters(r);
done:
    free(parent);
    free(count);
    return st;
}

/* ---- driver ---- */

static az_status check_options(az_ctx *ctx, const az_options *o)
{
    if (o->shingle_size < 1 || o->shingle_size > 32 || o->minhash_perms < 8 ||
        o->minhash_perms > 1024 || o->minhash_perms % 8 ||
        o->lsh_bucket_cap < 2 || o->winnow_window < 1 ||
        !(o->pair_jaccard > 0 && o->pair_jaccard <= 1) ||
        !(o->pair_containment > 0 && o->pair_containment <= 1))
        return az_error(ctx, AZ_EINVAL, "invalid near-duplicate options: "
                        "shingle size 1..32, perms a multiple of 8 in 8..1024, "
                        "bucket cap >= 2, thresholds in (0, 1]");
    return AZ_OK;
}

static void run_free(run *r)
{
    free(r->ci);
    free(r->contained_sum);
    free(r->npairs_of);
    free(r->cl_pairs);
    free(r->cl_pair_idx);
    free(r->sigkey);
    free(r->unindexed);
    free(r->cand.v);
    free(r->order);
    free(r->outs);
    for (size_t i = 0; r->sk && i < r->n; i++)
        az_sketch_free(&r->sk[i]);
    free(r->sk);
    for (unsigned w = 0; w < AZ_MAX_THREADS; w++) {
        for (size_t k = 0; r->cache[w] && k <= CACHE_SLOTS; k++) {
            cached_free(&r->cache[w]->slot[k]);
            az_shingles_free(&r->cache[w]->slot[k].s);
        }
        free(r->cache[w]);
        az_ctx_free(r->wctx[w]);
    }
}

az_status az_dups_run(az_dups **out, az_corpus *corpus)
{
    *out = NULL;
    az_ctx *ctx = az_corpus_ctx(corpus);
    const az_options *o = az_ctx_options(ctx);
    az_status st = az_corpus_finish(corpus);
    if (st == AZ_OK)
        st = check_options(ctx, o);
    if (st != AZ_OK)
        return st;
    az_dups *d = calloc(1, sizeof(*d));
    if (!d)
        return AZ_ENOMEM;
    run r = {.corpus = corpus, .o = o, .d = d, .n = az_corpus_count(corpus),
             .threads = az_threads(o), .rank = (int)az_corpus_rank(corpus),
             .ranks = (int)az_corpus_ranks(corpus)};
    if ((st = az_ctx_lsh(ctx, &d->lsh)) != AZ_OK) {
        az_dups_free(d);
        return az_error(ctx, st, "invalid LSH threshold %g", o->lsh_threshold);
    }
    pthread_mutex_init(&r.lock, NULL);
    size_t n = r.n ? r.n : 1;
    r.sigkey = malloc(n * sizeof(*r.sigkey));
    r.unindexed = calloc(n, sizeof(*r.unindexed));
    st = r.sigkey && r.unindexed ? AZ_OK : AZ_ENOMEM;
    for (size_t i = 0; st == AZ_OK && i < r.n; i++)
        r.unindexed[i] = az_corpus_doc(corpus, i)->remote;
    if (r.ranks > 1)
        st = az_mpi_agree(st);
    az_corpus_stage(corpus, "near-duplicates: signatures");
    if (st == AZ_OK)
        st = sketch_all(&r);
    az_corpus_stage(corpus, "near-duplicates: candidate pairs");
    if (st == AZ_OK)
        st = candidates(&r);
    az_corpus_stage(corpus, "near-duplicates: verifying pairs");
    if (st == AZ_OK)
        st = verify(&r);
    if (r.ranks > 1 && (st = az_mpi_agree(st)) == AZ_OK)
        st = share_pairs(&r);
    az_corpus_stage(corpus, "near-duplicates: clusters, origins and credits");
    if (st == AZ_OK)
        st = cluster(&r);
    az_corpus_stage(corpus, NULL);
    run_free(&r);
    pthread_mutex_destroy(&r.lock);
    if (st != AZ_OK) {
        az_dups_free(d);
        return az_error(ctx, st, "near-duplicate pass: %s", az_status_str(st));
    }
    *out = d;
    return AZ_OK;
}

void az_dups_free(az_dups *d)
{
    if (!d)
        return;
    free(d->pairs);
    free(d->clusters);
    free(d->doc_cluster);
    az_arena_free(&d->arena);
    for (unsigned w = 0; w < AZ_MAX_THREADS; w++)
        az_arena_free(&d->warena[w]);
    free(d);
}

const az_lsh_params *az_dups_lsh(const az_dups *d) { return &d->lsh; }
size_t az_dups_pair_count(const az_dups *d) { return d->npairs; }
size_t az_dups_cluster_count(const az_dups *d) { return d->nclusters; }
const az_dups_stats *az_dups_get_stats(const az_dups *d) { return &d->stats; }
size_t az_dups_fingerprints(const az_dups *d) { return d->fingerprints; }

const az_pair *az_dups_pair(const az_dups *d, size_t i)
{
    return i < d->npairs ? &d->pairs[i] : NULL;
}

const az_cluster *az_dups_cluster(const az_dups *d, size_t i)
{
    return i < d->nclusters ? &d->clusters[i] : NULL;
}

size_t az_dups_doc_cluster(const az_dups *d, size_t doc)
{
    return doc < d->ndocs ? d->doc_cluster[doc] : SIZE_MAX;
}
