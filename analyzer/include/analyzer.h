/*
 * analyzer.h - the one public header of libanalyzer.
 *
 * libanalyzer reads a corpus of news articles (plain text, HTML, JSON Lines,
 * gzip of each) and turns every input into a cleaned article with metadata
 * and offsets back into the original bytes. The analyses (near-duplicates,
 * numeric claims, sourcing signals) build on the corpus defined here.
 *
 * Conventions (after libgit2 and dav1d):
 *  - every fallible function returns an az_status, AZ_OK (0) on success and
 *    a negative value on failure; out-parameters come first and are named
 *    `out`;
 *  - a `**out` result is owned by the caller, every other returned pointer is
 *    borrowed from the object it came from and lives as long as that object;
 *  - error detail is kept on the context: az_ctx_last_error();
 *  - `_free(NULL)` is a no-op;
 *  - the same inputs and options always give the same results.
 */
#ifndef ANALYZER_H
#define ANALYZER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(AZ_BUILDING) && defined(__GNUC__)
#define AZ_API __attribute__((visibility("default")))
#else
#define AZ_API
#endif

#define AZ_VERSION "0.1.0"

/** Status codes: AZ_OK or a negative error. */
typedef enum az_status {
    AZ_OK = 0,
    AZ_ENOMEM = -1,   /**< out of memory */
    AZ_EIO = -2,      /**< a file could not be read or written */
    AZ_EINVAL = -3,   /**< invalid argument or option */
    AZ_EINPUT = -4,   /**< malformed input (bad UTF-8, NUL bytes, bad JSON) */
    AZ_ETOOBIG = -5,  /**< an input is larger than the configured limit */
    AZ_EEMPTY = -6,   /**< an input holds no article text */
} az_status;

/** A static English description of a status code. */
AZ_API const char *az_status_str(az_status st);

/* ------------------------------------------------------------------------ */
/* Options and context                                                      */

/** Every tunable of the pipeline; fill with az_options_init() first. */
typedef struct az_options {
    /** Inputs (one file or one JSON Lines record) larger than this are
     *  reported as errors and skipped. Default 16 MiB. */
    size_t max_doc_bytes;
    /** A paragraph that appears in at least this many documents of one
     *  outlet is that outlet's boilerplate. Default 3. */
    unsigned boilerplate_min_docs;
    /** Paragraphs shorter than this (in bytes) are never counted as
     *  corpus boilerplate: short lines repeat by chance. Default 20. */
    unsigned boilerplate_min_bytes;

    /* Near-duplicates (see docs/dups.md for how the defaults were chosen). */
    /** Words per shingle. Default 5. */
    unsigned shingle_size;
    /** MinHash signature length (bins or permutations), a multiple of 8
     *  up to 1024. Default 128. */
    unsigned minhash_perms;
    /** AZ_MINHASH_OPH (default) or AZ_MINHASH_KPERM. */
    int minhash_kind;
    /** Seed of every hash function: the same seed, the same signatures. */
    uint64_t seed;
    /** The Jaccard similarity the LSH banding is tuned for. Default 0.5. */
    double lsh_threshold;
    /** Weight of false positives against false negatives (1 - this) when
     *  choosing the banding. Default 0.5. */
    double lsh_fp_weight;
    /** Documents sharing one LSH bucket beyond this many are paired only
     *  with their neighbours in id order, so that a bucket of identical
     *  boilerplate never goes quadratic. Default 64. */
    unsigned lsh_bucket_cap;
    /** A verified pair: exact Jaccard at least this... Default 0.5. */
    double pair_jaccard;
    /** ...or one document at least this much contained in the other (by
     *  shingles). Default 0.3. */
    double pair_containment;
    /** Shared passages shorter than this many tokens are not reported, and
     *  a pair needs at least one. Default 10. */
    unsigned passage_min_tokens;
    /** Passages closer than this many tokens in both documents merge.
     *  Default 4. */
    unsigned passage_gap;
    /** ...or shared passages adding up to at least this many tokens: a
     *  few wire paragraphs quoted in two long articles. Default 30. */
    unsigned pair_passage_tokens;
    /** Winnowing window (shingles) of the containment index that finds
     *  partial copies LSH misses. Default 12. */
    unsigned winnow_window;

    /* Numeric claims and conflicts. */
    /** Also report numbers that count nothing (measures, labels); years,
     *  dates, times, ordinals, phone numbers and ages never. Default 0. */
    int claims_all;
    /** Two figures conflict when their intervals lie further apart than
     *  ln(1 + tau) on a log scale. Default 0.25. */
    double conflict_tau;
    /** Reports published at most this many days apart describe one event:
     *  their conflict is a contradiction; further apart, a change over
     *  time. Default 7. */
    unsigned event_window_days;
    /** Outlet ratings (CSV or JSON Lines, outlet or domain and a rating in
     *  [0, 1]) for the reliability priors; NULL: flat priors. Borrowed. */
    const char *outlet_priors;

    /** Worker threads for reading, cleaning, signatures and verification;
     *  0 (default): one per online core. Results are the same, byte for
     *  byte, whatever the number. */
    unsigned threads;
} az_options;

/** MinHash variants. */
enum {
    AZ_MINHASH_OPH = 0,   /**< one permutation hashing with densification */
    AZ_MINHASH_KPERM = 1, /**< K independent hash functions */
};

/** Fill `opt` with the defaults. */
AZ_API void az_options_init(az_options *opt);

/** An analysis context: options plus the last error message. Not shared
 *  between threads. */
typedef struct az_ctx az_ctx;

/**
 * Create a context.
 * @param out  receives the new context, owned by the caller
 * @param opt  options, or NULL for the defaults; copied
 * @return AZ_OK, AZ_ENOMEM, or AZ_EINVAL for out-of-range options
 */
AZ_API az_status az_ctx_new(az_ctx **out, const az_options *opt);
AZ_API void az_ctx_free(az_ctx *ctx);

/** The options in force (borrowed). */
AZ_API const az_options *az_ctx_options(const az_ctx *ctx);

/** The message of the last failure on this context, naming the input and
 *  line where there is one; "" when nothing has failed. Borrowed. */
AZ_API const char *az_ctx_last_error(const az_ctx *ctx);

/* ------------------------------------------------------------------------ */
/* Documents                                                                */

/** Metadata keys. */
typedef enum az_meta_key {
    AZ_META_OUTLET,
    AZ_META_URL,
    AZ_META_PUBLISHED, /**< ISO 8601 date, YYYY-MM-DD */
    AZ_META_TITLE,
    AZ_META_AUTHOR,
    AZ_META_COUNT
} az_meta_key;

/** Where a metadata value came from. */
typedef enum az_meta_source {
    AZ_SRC_NONE = 0,  /**< no value */
    AZ_SRC_MANIFEST,  /**< manifest.jsonl beside the file */
    AZ_SRC_RECORD,    /**< the JSON Lines record itself */
    AZ_SRC_INFERRED,  /**< found in the text; `how` says by which rule */
} az_meta_source;

/** One metadata value with its provenance. */
typedef struct az_meta {
    const char *value;     /**< NUL-terminated UTF-8, NULL when absent */
    az_meta_source source;
    const char *how;       /**< inference rule ("url-in-text", "masthead",
                                "dateline", "byline", ...), else NULL */
    uint32_t line;         /**< input line the value was inferred from, 0 if
                                not inferred */
} az_meta;

/** Input formats. */
typedef enum az_format {
    AZ_FORMAT_TEXT,
    AZ_FORMAT_HTML,
} az_format;

/** One cleaning rule that changed a document, with what it removed. */
typedef struct az_cleaning {
    const char *rule;   /**< stable code, e.g. "css-debris", "ui-nag" */
    uint32_t items;     /**< how many lines/sentences/elements */
    uint64_t bytes;     /**< how many input bytes */
} az_cleaning;

/** A paragraph of the cleaned text and where it came from. */
typedef struct az_para {
    size_t off;      /**< byte offset in az_doc_text() */
    size_t len;      /**< byte length */
    size_t src_off;  /**< byte offset in the raw input, or SIZE_MAX when the
                          text was decoded (HTML, JSON) and maps only to a
                          line */
    uint32_t line;   /**< 1-based line in the raw input */
} az_para;

typedef struct az_doc az_doc;

/** The document id: the JSON Lines `id`, or the path relative to the PATH
 *  argument it was found under. */
AZ_API const char *az_doc_id(const az_doc *doc);
/** The file the document was read from ("-" for standard input). */
AZ_API const char *az_doc_path(const az_doc *doc);
/** The line of the file the document starts at (JSON Lines), else 1. */
AZ_API uint32_t az_doc_line(const az_doc *doc);
AZ_API az_format az_doc_format(const az_doc *doc);
/** A metadata value; never NULL (value is NULL when absent). */
AZ_API const az_meta *az_doc_meta(const az_doc *doc, az_meta_key key);
/** The cleaned article text: paragraphs separated by one '\n'. Valid UTF-8,
 *  no NUL bytes inside, NUL-terminated once az_corpus_finish() has run;
 *  bytes as in the input (normalisation happens in az_fold()). `*len`
 *  receives its length when `len` is not NULL. */
AZ_API const char *az_doc_text(const az_doc *doc, size_t *len);
AZ_API size_t az_doc_para_count(const az_doc *doc);
AZ_API const az_para *az_doc_para(const az_doc *doc, size_t i);
/** Number of word tokens in the cleaned text. */
AZ_API size_t az_doc_words(const az_doc *doc);
/** Versions held by a change-tracking page; 1 for an ordinary page. */
AZ_API unsigned az_doc_versions(const az_doc *doc);
AZ_API size_t az_doc_cleaning_count(const az_doc *doc);
AZ_API const az_cleaning *az_doc_cleaning(const az_doc *doc, size_t i);

/**
 * Map a byte offset of the cleaned text to a line and column (1-based,
 * column in bytes) of the raw input. Where the paragraph was decoded from
 * HTML or JSON, the column is 1 and the line is the paragraph's.
 */
AZ_API void az_doc_locate(const az_doc *doc, size_t text_off,
                          uint32_t *line, uint32_t *col);

/* ------------------------------------------------------------------------ */
/* Text layer                                                               */

/** A word token: a span of the text it was cut from. */
typedef struct az_token {
    uint32_t off;
    uint32_t len;
} az_token;

/**
 * Cut UTF-8 text into word tokens (letters and digits, with inner
 * apostrophes, hyphens, and digit separators kept inside the word).
 * @param out  receives a malloc'd array owned by the caller (free()), NULL
 *             when there are no tokens
 * @param n    receives the number of tokens
 * @pre `text` is valid UTF-8 and shorter than 4 GiB
 */
AZ_API az_status az_tokenize(az_token **out, size_t *n, const char *text,
                             size_t len);

/**
 * Normalise one token for comparison: NFKC, case folded, accents and
 * typographic variants (’ vs ') unified. ASCII takes a fast path.
 * @param out  receives a malloc'd NUL-terminated string owned by the caller
 */
AZ_API az_status az_fold(char **out, size_t *out_len, const char *s,
                         size_t len);

/**
 * Check that `s` is valid UTF-8 without NUL bytes.
 * @param bad_off  receives the offset of the first bad byte on failure
 * @return AZ_OK or AZ_EINPUT
 */
AZ_API az_status az_utf8_check(const char *s, size_t len, size_t *bad_off);

/* ------------------------------------------------------------------------ */
/* Corpus                                                                   */

/** An input that could not be read, with where and why. */
typedef struct az_input_error {
    const char *input;   /**< file path, or "-" */
    uint32_t line;       /**< 1-based line, 0 when the whole input is bad */
    const char *message;
} az_input_error;

typedef struct az_corpus az_corpus;

/** Progress callback: called after each input file; `done` documents read
 *  so far, `bytes` input bytes read so far. */
typedef void (*az_progress_fn)(void *user, size_t done, uint64_t bytes);

/**
 * Create an empty corpus that uses `ctx` (borrowed; must outlive it).
 */
AZ_API az_status az_corpus_new(az_corpus **out, az_ctx *ctx);
AZ_API void az_corpus_free(az_corpus *corpus);

AZ_API void az_corpus_set_progress(az_corpus *corpus, az_progress_fn fn,
                                   void *user);

/** Stage callback: a long analysis of the corpus (az_dups_run,
 *  az_report_write) enters the stage named, such as "near-duplicates:
 *  verifying pairs" or "writing report.json"; NULL when it is done. */
typedef void (*az_stage_fn)(void *user, const char *stage);
AZ_API void az_corpus_set_stages(az_corpus *corpus, az_stage_fn fn, void *user);

/**
 * Add everything under `path`: a file (.txt, .html, .htm, .jsonl, or the
 * .gz of one), a directory (recursive, in byte order of names, with
 * manifest.jsonl files giving metadata), or "-" for JSON Lines on stdin.
 * Bad inputs are recorded as az_input_error and skipped.
 * @return AZ_OK even when some inputs were skipped; AZ_EIO when `path`
 *         itself cannot be opened; AZ_ENOMEM.
 */
AZ_API az_status az_corpus_add_path(az_corpus *corpus, const char *path);

/**
 * Streaming: set before adding inputs. Each document that can be read again
 * (a file or a JSON Lines record in a file, not standard input or gzip) is
 * kept as its metadata and near-duplicate sketch only; its text is let go
 * once cleaned and read again, and cleaned again, when az_dups_run needs
 * it. Memory then grows with the number of articles, not their text. For
 * az_dups_run only: az_doc_text() of such a document is empty.
 */
AZ_API void az_corpus_set_streaming(az_corpus *corpus, int on);

/**
 * Add one article held in memory.
 * @param id    document id (copied)
 * @param data  the raw bytes (copied)
 * @return AZ_OK, or the input error (also recorded in the corpus)
 */
AZ_API az_status az_corpus_add_memory(az_corpus *corpus, const char *id,
                                      const char *data, size_t len,
                                      az_format fmt);

/**
 * Run the corpus-level passes once all inputs are added: per-outlet
 * boilerplate removal and the final word counts. Documents are sorted by
 * id so the order never depends on the order of the inputs.
 */
AZ_API az_status az_corpus_finish(az_corpus *corpus);

AZ_API size_t az_corpus_count(const az_corpus *corpus);
AZ_API const az_doc *az_corpus_doc(const az_corpus *corpus, size_t i);
AZ_API size_t az_corpus_error_count(const az_corpus *corpus);
AZ_API const az_input_error *az_corpus_error(const az_corpus *corpus,
                                             size_t i);
/** Total raw input bytes read. */
AZ_API uint64_t az_corpus_bytes(const az_corpus *corpus);

/** Documents added from now on belong to `group` (0 at first): the CI
 *  check adds the corpus as group 0 and the new articles as group 1. */
AZ_API void az_corpus_set_group(az_corpus *corpus, unsigned group);
AZ_API unsigned az_doc_group(const az_doc *doc);
/** Input errors recorded while `group` was current. */
AZ_API size_t az_corpus_error_count_in(const az_corpus *corpus, unsigned group);

/* ------------------------------------------------------------------------ */
/* Near-duplicates                                                          */

/** An LSH banding: `bands` bands of `rows` signature values each. */
typedef struct az_lsh_params {
    unsigned bands;
    unsigned rows;
    double fp;  /**< integral of the candidate probability below the
                     threshold (false positives) */
    double fn;  /**< integral of its complement above (false negatives) */
} az_lsh_params;

/**
 * Choose the banding for `perms` signature values that minimises
 * w * FP + (1 - w) * FN for a Jaccard threshold, integrating the S-curve
 * 1 - (1 - s^r)^b numerically (GSL).
 * @return AZ_OK, or AZ_EINVAL for a threshold outside (0, 1)
 */
AZ_API az_status az_lsh_choose(az_lsh_params *out, double threshold,
                               unsigned perms, double fp_weight);

/** The probability that two documents of Jaccard similarity `s` share at
 *  least one band: 1 - (1 - s^rows)^bands. */
AZ_API double az_lsh_probability(const az_lsh_params *p, double s);

/** A passage found in both documents of a pair. Offsets are bytes of each
 *  document's az_doc_text(); lines are input lines (az_doc_locate). */
typedef struct az_passage {
    size_t a_off, a_len;
    size_t b_off, b_len;
    uint32_t a_line, b_line;
    uint32_t tokens; /**< length in the shorter of the two, in tokens */
    /** Its start in a: at most 160 bytes, cut between characters, with
     *  "..." when the passage is longer (kept, so a streaming corpus need
     *  not read the text again to show it). */
    const char *text;
} az_passage;

/** Which way a copy went, when the metadata tells. */
typedef enum az_copy_dir {
    AZ_COPY_UNKNOWN = 0, /**< same outlet, or no ordering by date */
    AZ_COPY_A_TO_B,      /**< b copies a (a published earlier) */
    AZ_COPY_B_TO_A,
} az_copy_dir;

/** A verified pair of near-duplicate or partially copied documents. */
typedef struct az_pair {
    size_t a, b;            /**< corpus indices, a < b */
    double jaccard;         /**< MinHash estimate */
    double jaccard_lo, jaccard_hi; /**< its 95 % Clopper-Pearson interval */
    double exact_jaccard;   /**< on the shingle sets */
    double contain_ab;      /**< share of a's shingles found in b */
    double contain_ba;      /**< share of b's shingles found in a */
    size_t shared;          /**< shingles in common */
    const az_passage *passages;
    size_t npassages;
    az_copy_dir dir;
    int credited;           /**< the copy names a credit (1), names none
                                 (0: an uncredited copy), or no judgement
                                 (-1): no direction is known, or the pair
                                 shares passages but neither document is
                                 substantially a copy of the other */
    const char *credit;     /**< the credit found, or NULL */
} az_pair;

/** A cluster of documents joined by pairs. */
typedef struct az_cluster {
    const char *id;         /**< stable: derived from the member ids */
    const size_t *members;  /**< corpus indices, ascending */
    size_t nmembers;
    size_t origin;          /**< corpus index of the probable origin */
    const char *origin_rule; /**< "earliest-credited-wire",
                                  "earliest", "most-contained" */
} az_cluster;

typedef struct az_dups az_dups;

/**
 * Find the near-duplicate and partially copied documents of a finished
 * corpus: shingles, MinHash signatures, LSH banding and a winnowing
 * containment index for candidates, exact verification, passages,
 * clusters and provenance.
 * @param out  receives the result, owned by the caller (az_dups_free)
 */
AZ_API az_status az_dups_run(az_dups **out, az_corpus *corpus);
AZ_API void az_dups_free(az_dups *dups);

/** The banding in use. */
AZ_API const az_lsh_params *az_dups_lsh(const az_dups *dups);
AZ_API size_t az_dups_pair_count(const az_dups *dups);
AZ_API const az_pair *az_dups_pair(const az_dups *dups, size_t i);
AZ_API size_t az_dups_cluster_count(const az_dups *dups);
AZ_API const az_cluster *az_dups_cluster(const az_dups *dups, size_t i);
/** The cluster index of a document, or SIZE_MAX when it pairs with none. */
AZ_API size_t az_dups_doc_cluster(const az_dups *dups, size_t doc);
/** Work counters: candidates from LSH and from the containment index,
 *  pairs verified, buckets capped, exact duplicates collapsed. */
typedef struct az_dups_stats {
    size_t lsh_candidates, containment_candidates, verified;
    size_t capped_buckets, exact_duplicates;
} az_dups_stats;
AZ_API const az_dups_stats *az_dups_get_stats(const az_dups *dups);

/**
 * The result as JSON Lines: one `{"type":"pair",...}` object per pair, then
 * one `{"type":"cluster",...}` per cluster (schema in docs/dups.md). In a
 * distributed run every rank must call it: each renders a share, and rank 0
 * receives the whole text, the others an empty string.
 * @param out  receives a malloc'd NUL-terminated string owned by the caller
 */
AZ_API az_status az_dups_jsonl(char **out, const az_dups *dups,
                               const az_corpus *corpus);

/** Where az_dups_write_jsonl() puts the text: AZ_OK, or a failure (such
 *  as AZ_EIO) that stops the writing and is returned. */
typedef az_status (*az_write_fn)(void *user, const char *bytes, size_t len);

/**
 * The same JSON Lines as az_dups_jsonl(), handed to `write` a batch of rows
 * at a time as they are rendered: the text of a million articles is half a
 * gigabyte, which need not be held. In a distributed run every rank must
 * call it, and only rank 0's `write` is called (with the whole text).
 */
AZ_API az_status az_dups_write_jsonl(const az_dups *dups, const az_corpus *corpus,
                                     az_write_fn write, void *user);

/**
 * The MinHash signature of one text (`perms` 32-bit values), for tests and
 * tools; uses the context's options.
 * @param out  receives a malloc'd array owned by the caller, NULL when the
 *             text has no shingle
 */
AZ_API az_status az_signature(uint32_t **out, size_t *perms, az_ctx *ctx,
                              const char *text, size_t len);

/* ------------------------------------------------------------------------ */
/* Numeric claims                                                           */

/** How a figure is hedged, and so which interval it stands for. */
typedef enum az_hedge {
    AZ_HEDGE_EXACT,  /**< low = high = value */
    AZ_HEDGE_APPROX, /**< about, some, nearly: value +- 10 % (one side for
                          nearly / just over) */
    AZ_HEDGE_UPPER,  /**< up to, as many as: [0, value] */
    AZ_HEDGE_LOWER,  /**< more than, at least: [value, inf) */
    AZ_HEDGE_RANGE,  /**< between a and b: [a, b], value the midpoint */
    AZ_HEDGE_VAGUE,  /**< dozens, thousands: [floor, inf) */
} az_hedge;

/** The name of a hedge class: "exact", "approx", ... */
AZ_API const char *az_hedge_name(az_hedge h);

/** One figure stated in a document. */
typedef struct az_claim {
    size_t doc;            /**< corpus index */
    size_t off, len;       /**< surface text in az_doc_text() */
    double value, low, high; /**< high is INFINITY when open */
    az_hedge hedge;
    const char *noun;      /**< counted noun, lower case, or NULL */
    const char *unit;      /**< "percent", "USD", "GBP", "EUR" or NULL */
    const char *attributed_to; /**< who says so, or NULL (the outlet) */
    uint32_t line;         /**< input line */
} az_claim;

typedef struct az_claims az_claims;

/** Extract the claims of every document of a finished corpus. */
AZ_API az_status az_claims_run(az_claims **out, az_corpus *corpus);
AZ_API void az_claims_free(az_claims *claims);
AZ_API size_t az_claims_count(const az_claims *claims);
AZ_API const az_claim *az_claims_get(const az_claims *claims, size_t i);
/** One JSON object per claim and line (DESIGN.md's claims format). */
AZ_API az_status az_claims_jsonl(char **out, const az_claims *claims,
                                 const az_corpus *corpus);

/** Figures for one quantity that disagree across documents. */
typedef struct az_conflict {
    const char *quantity;  /**< what is counted: "troop", "people dead" */
    int over_time;         /**< 0: a contradiction (published within the
                                event window), 1: a change over time */
    double log_gap;        /**< the widest gap between two intervals, on a
                                natural-log scale */
    const char *severity;  /**< "low", "medium" (> ln 1.5), "high" (> ln 3) */
    const size_t *claims;  /**< indices into the claims, ascending */
    const double *z;       /**< modified z-score of each claim's figure
                                among the independent reports (0 when fewer
                                than three); |z| > 3.5 is an outlier */
    size_t nclaims;
} az_conflict;

typedef struct az_conflicts az_conflicts;

/**
 * Compare the claims across documents: group them by quantity and story
 * (documents of one near-duplicate cluster, or sharing three named
 * entities, chained; docs/claims.md), count the copies of one cluster
 * (`dups`, may be NULL) once, and report the groups whose figures disagree
 * by more than conflict_tau.
 */
AZ_API az_status az_conflicts_run(az_conflicts **out, const az_claims *claims,
                                  const az_dups *dups, az_corpus *corpus);
AZ_API void az_conflicts_free(az_conflicts *conflicts);
AZ_API size_t az_conflicts_count(const az_conflicts *conflicts);
AZ_API const az_conflict *az_conflicts_get(const az_conflicts *conflicts,
                                           size_t i);
/** How many independent reports agree and disagree with a claim (within
 *  the event window, copies counted once). */
AZ_API void az_conflicts_support(const az_conflicts *conflicts, size_t claim,
                                 unsigned *agree, unsigned *disagree);

/** One JSON object per conflict and line (the report.json shape). */
AZ_API az_status az_conflicts_jsonl(char **out, const az_conflicts *conflicts,
                                    const az_claims *claims,
                                    const az_corpus *corpus);

/* ------------------------------------------------------------------------ */
/* Sourcing signals and reliability                                         */

/** What an article is, by its sourcing. */
typedef enum az_kind {
    AZ_KIND_NEWS,
    AZ_KIND_WIRE,
    AZ_KIND_UGC,
    AZ_KIND_OPINION,
    AZ_KIND_PRESS_RELEASE,
} az_kind;

AZ_API const char *az_kind_name(az_kind k);

/** One piece of evidence about an article's sourcing, or one term of its
 *  score. */
typedef struct az_signal {
    const char *code;   /**< stable: "wire-credit", "ugc-unverified", ... */
    double weight;      /**< its term in the score's logit */
    const char *text;   /**< the matched words (or the measured rate) */
    uint32_t line;      /**< input line, 0 when not one place */
} az_signal;

/** An article's signals, kind and score. */
typedef struct az_doc_signals {
    az_kind kind;
    az_signal *v;        /**< the evidence, then the score's other terms */
    size_t n;
    double attribution_rate, quote_rate, first_person_rate; /**< per 100 words */
    double score;        /**< 0..1, the logistic of the weights' sum */
} az_doc_signals;

/** An outlet's agreement with the fused figures, and its reliability. */
typedef struct az_outlet_stats {
    const char *outlet;
    unsigned agree, disagree; /**< independent figures within / beyond tau
                                   of the fused value of their quantity */
    double weight;            /**< truth-discovery (CRH) weight */
    double prior_a, prior_b;  /**< Beta prior (1, 1 without a rating) */
    double mean, lo, hi;      /**< Beta posterior mean and 95 % interval */
} az_outlet_stats;

typedef struct az_assessment az_assessment;

/**
 * Sourcing signals and reliability: each article's evidence and score
 * (signals, its rates against the corpus's robust z-scores, and how its
 * figures fare against independent reports), and each outlet's
 * reliability from agreement over claims (CRH truth discovery, one vote
 * per near-duplicate cluster, Beta posterior). `priors` is a CSV or JSON
 * Lines file of outlet ratings in [0, 1], or NULL for flat priors.
 */
AZ_API az_status az_assess_run(az_assessment **out, az_corpus *corpus,
                               const az_claims *claims,
                               const az_conflicts *conflicts,
                               const char *priors);
AZ_API void az_assess_free(az_assessment *a);
AZ_API const az_doc_signals *az_assess_doc(const az_assessment *a, size_t doc);
AZ_API size_t az_assess_outlet_count(const az_assessment *a);
AZ_API const az_outlet_stats *az_assess_outlet(const az_assessment *a, size_t i);

/** One JSON object per article and line: doc, outlet, kind, score and
 *  signals (the `analyzer signals` format, docs/signals.md). */
AZ_API az_status az_signals_jsonl(char **out, const az_assessment *a,
                                  const az_corpus *corpus);

/* ------------------------------------------------------------------------ */
/* The persistent index (SQLite)                                            */

typedef struct az_index az_index;

/**
 * Open (or, with `create`, create) an index file. An index remembers the
 * near-duplicate parameters it was built with; opening it with others is
 * AZ_EINVAL with a message naming both.
 */
AZ_API az_status az_index_open(az_index **out, az_ctx *ctx, const char *path,
                               int create);
AZ_API void az_index_close(az_index *ix);
/** Add every document of a finished corpus in one transaction (all or
 *  none); documents whose id is already there are skipped. */
AZ_API az_status az_index_add(az_index *ix, az_corpus *corpus, size_t *added,
                              size_t *skipped);
/** Call `fn` as az_index_add writes each document (done counts the
 *  documents written so far, bytes their text); NULL stops it. */
AZ_API void az_index_set_progress(az_index *ix, az_progress_fn fn, void *user);
/** Counts and the parameters line. */
AZ_API az_status az_index_info(az_index *ix, size_t *docs, size_t *bands,
                               size_t *claims, char *params, size_t cap);
/**
 * Load into an unfinished corpus the indexed documents that share an LSH
 * band with any document already in it (the new articles); they join the
 * corpus's current group.
 */
AZ_API az_status az_index_candidates(az_index *ix, az_corpus *corpus,
                                     size_t *loaded);

/* ------------------------------------------------------------------------ */
/* The CI check                                                             */

typedef enum az_level {
    AZ_LEVEL_NOTICE,
    AZ_LEVEL_WARNING,
    AZ_LEVEL_ERROR,
} az_level;

/** One finding about a new article. */
typedef struct az_finding {
    const char *rule;     /**< stable: "uncredited-copy", "credited-copy",
                               "user-generated", "unverified-claim",
                               "contradicted-figure", "figure-changed",
                               "missing-metadata" */
    az_level level;
    size_t doc;           /**< the new article (corpus index) */
    uint32_t line, col;   /**< where in it (input line and column) */
    size_t other;         /**< the existing article concerned, or SIZE_MAX */
    const char *message;
} az_finding;

typedef struct az_findings az_findings;

/** Output formats of the check. */
typedef enum az_check_format {
    AZ_CHECK_TEXT,   /**< file:line:col: level: message [rule] */
    AZ_CHECK_JSON,
    AZ_CHECK_GITHUB, /**< ::error file=...,line=...,col=...::message */
    AZ_CHECK_SARIF,  /**< SARIF 2.1.0 */
} az_check_format;

/**
 * Check the articles of group 1 of a corpus against those of group 0:
 * copies without credit (error), user-generated or unverified sourcing and
 * figures that contradict the corpus (warning), credited copies, figures
 * changed over time and missing metadata (notice). Runs every analysis.
 */
AZ_API az_status az_check_run(az_findings **out, az_corpus *corpus);
AZ_API void az_findings_free(az_findings *f);
AZ_API size_t az_findings_count(const az_findings *f);
AZ_API const az_finding *az_findings_get(const az_findings *f, size_t i);
AZ_API az_status az_findings_format(char **out, const az_findings *f,
                                    const az_corpus *corpus,
                                    az_check_format format);
AZ_API const char *az_level_name(az_level level);

/* ------------------------------------------------------------------------ */
/* Benchmark                                                                */

/** One timed stage of az_bench_run(). */
typedef struct az_bench_stage {
    const char *name;
    double seconds;     /**< best of the repeats */
    uint64_t bytes;     /**< cleaned text bytes processed */
    size_t docs;
} az_bench_stage;

#define AZ_BENCH_MAX_STAGES 8

typedef struct az_bench {
    az_bench_stage stages[AZ_BENCH_MAX_STAGES];
    size_t nstages;
    /** Bytes kept per document by the near-duplicate pass: the signature
     *  and its share of the fingerprint index. */
    double bytes_per_doc;
} az_bench;

/**
 * Time the text and signature stages over the texts of a finished corpus,
 * on the calling thread: tokenize, shingle, MinHash, and the whole
 * near-duplicate pass. Each stage runs `repeat` times; the fastest counts.
 */
AZ_API az_status az_bench_run(az_bench *out, az_corpus *corpus,
                              unsigned repeat);

/* ------------------------------------------------------------------------ */
/* Reports                                                                  */

enum {
    AZ_REPORT_JSON = 1u << 0,
    AZ_REPORT_HTML = 1u << 1,
    AZ_REPORT_MD = 1u << 2,
};

/**
 * Write DIR/report.json, DIR/report.html and/or DIR/report.md for a
 * finished corpus. Each file is written to a temporary name and renamed, so
 * an interrupted run leaves the previous report intact. Output is
 * byte-identical for the same inputs and options. In a distributed run
 * (a streaming corpus under az_mpi_init()) every rank calls it and rank 0
 * writes: the ranks share the reading, the near-duplicates and the claims
 * and signals, then rank 0 reads every text back for the conflicts and
 * the pages.
 * @param formats  a mask of AZ_REPORT_*
 */
AZ_API az_status az_report_write(az_corpus *corpus, const char *dir,
                                 unsigned formats);

/**
 * The report.json text (what az_report_write() writes); in a distributed
 * run, rank 0's (the other ranks get an empty string).
 * @param out  receives a malloc'd NUL-terminated string owned by the caller
 */
AZ_API az_status az_report_json(char **out, az_corpus *corpus);

/* ------------------------------------------------------------------------ */
/* Distributed runs (Open MPI)                                              */

/**
 * Whether the library was built with Open MPI (meson option `mpi`).
 */
AZ_API int az_mpi_available(void);

/**
 * Join the Open MPI job this process was started in (`mpirun -n N ...`).
 * From then on, while az_mpi_size() > 1, a streaming corpus reads only
 * this rank's share of its inputs and az_corpus_finish() gives every rank
 * every document's metadata and signature; az_dups_run() on it divides
 * its work among the ranks, and every rank ends with the whole result (a
 * corpus that keeps its texts is read whole by every rank, each of which
 * then works alone);
 * az_dups_jsonl() renders it on all ranks for rank 0 to write. Every rank
 * must make the same calls with the same arguments. Inputs must be plain
 * files that every rank can read at the same path: standard input is
 * refused and a gzip file skipped as an input error, since neither can be
 * read again at an offset.
 * @return AZ_EINVAL when built without Open MPI or MPI cannot start
 */
AZ_API az_status az_mpi_init(int *argc, char ***argv);
AZ_API void az_mpi_finalize(void);
/** This process's rank (0 without MPI) and the number of ranks (1). */
AZ_API int az_mpi_rank(void);
AZ_API int az_mpi_size(void);

#ifdef __cplusplus
}
#endif

#endif /* ANALYZER_H */
