/*
 * cmd_bench.c - `analyzer bench`: throughput of each stage on one core.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static void help(FILE *f)
{
    fprintf(f, "usage: analyzer bench [--repeat N] [--synthetic MB] [options] [PATH...]\n\n"
               "Time the pipeline on one core: reading and cleaning PATH (or, without\n"
               "PATH, %d MB of generated article text), then tokenizing, shingling\n"
               "and MinHash alone, and the whole near-duplicate pass, each the best of\n"
               "--repeat runs (default 3). Prints MB/s and articles/s per stage, the end\n"
               "to end rate (read, clean, tokenize, shingle, MinHash) in MB/s of\n"
               "input, as the sum of those stages and, for PATH, as `dups` reads\n"
               "(one pass that also winnows, keeping only each article's sketch;\n"
               "best of --repeat), peak memory, and the bytes kept per article. Never\n"
               "fails on a timing. One thread unless -j says otherwise (tokenize,\n"
               "shingle and MinHash are always timed on one), so that the rates\n"
               "are per core.\n\noptions:\n"
               "  --repeat N            runs per stage (default 3)\n"
               "  --synthetic MB        size of the generated input (default 20)\n"
               "  --input PATH          the same as giving PATH\n%s%s",
            20, dups_help, common_help);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static const char *const vocab[] = {
    "the", "of", "and", "to", "in", "a", "said", "on", "for", "was", "with",
    "by", "at", "from", "officials", "government", "minister", "people",
    "killed", "troops", "border", "talks", "meeting", "ministry", "police",
    "region", "river", "city", "valley", "dam", "flood", "rescue", "crews",
    "families", "homes", "reported", "according", "statement", "spokesman",
    "thousands", "hundreds", "about", "nearly", "some", "more", "than",
    "least", "Monday", "Tuesday", "Sunday", "week", "after", "before",
    "while", "would", "could", "have", "been", "has", "its", "their",
    "they", "were", "agency", "reporters", "told", "news", "conference",
    "water", "roads", "bridge", "power", "school", "hospital", "army",
    "soldiers", "province", "council", "mayor", "inquiry", "warning",
    "sirens", "evacuated", "missing", "dead", "injured", "damage", "repair",
    "forecasters", "rain", "night", "morning", "residents", "volunteers",
};

/* Deterministic article-like text: sentences of 8 to 25 words in
 * paragraphs of 3 to 5, about 3 KB per article. */
static char *synth_article(uint64_t *rng, size_t *len)
{
    size_t cap = 4096, n = 0;
    char *t = malloc(cap);
    if (!t)
        return NULL;
    size_t nv = sizeof(vocab) / sizeof(*vocab);
    while (n < 3000) {
        unsigned sentences = 3 + (unsigned)(xorshift(rng) % 3);
        for (unsigned s = 0; s < sentences; s++) {
            unsigned words = 8 + (unsigned)(xorshift(rng) % 18);
            for (unsigned w = 0; w < words; w++) {
                const char *v = vocab[xorshift(rng) % nv];
                size_t l = strlen(v);
                if (n + l + 4 > cap) {
                    char *p = realloc(t, cap *= 2);
                    if (!p) {
                        free(t);
                        return NULL;
                    }
                    t = p;
                }
                if (w == 0) {
                    t[n++] = (char)(v[0] >= 'a' && v[0] <= 'z' ? v[0] - 32 : v[0]);
                    memcpy(t + n, v + 1, l - 1);
                    n += l - 1;
                } else {
                    t[n++] = ' ';
                    memcpy(t + n, v, l);
                    n += l;
                }
            }
            t[n++] = '.';
            t[n++] = ' ';
        }
        t[n - 1] = '\n';
    }
    *len = n;
    return t;
}

typedef struct synth {
    char **text;
    size_t *len;
    size_t n;
} synth;

/* Generate about `mb` MB of articles before the clock starts: the
 * generator is not what is measured. */
static int make_synthetic(synth *out, double mb)
{
    uint64_t rng = 0x9E3779B97F4A7C15ull;
    size_t cap = (size_t)(mb * 1e6 / 2900) + 16;
    out->text = calloc(cap, sizeof(*out->text));
    out->len = calloc(cap, sizeof(*out->len));
    out->n = 0;
    double total = 0;
    while (out->text && out->len && total < mb * 1e6 && out->n < cap) {
        char *t = synth_article(&rng, &out->len[out->n]);
        if (!t)
            break;
        total += (double)out->len[out->n];
        out->text[out->n++] = t;
    }
    if (!out->text || !out->len || total < mb * 1e6) {
        cli_error("bench: cannot build the synthetic input");
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

static void synth_free(synth *s)
{
    for (size_t i = 0; s->text && i < s->n; i++)
        free(s->text[i]);
    free(s->text);
    free(s->len);
}

static int add_synthetic(az_corpus *c, const synth *s)
{
    for (size_t i = 0; i < s->n; i++) {
        char id[32];
        snprintf(id, sizeof(id), "synthetic-%06zu", i);
        if (az_corpus_add_memory(c, id, s->text[i], s->len[i], AZ_FORMAT_TEXT) != AZ_OK) {
            cli_error("bench: cannot add the synthetic input");
            return EXIT_USAGE;
        }
    }
    return EXIT_OK;
}

/* "stage: N MB/s  M articles/s", the shape scripts parse. */
static void line(const char *name, double secs, double bytes, size_t docs)
{
    char label[48];
    snprintf(label, sizeof(label), "%s:", name);
    printf("%-34s %9.1f MB/s %10.0f articles/s\n", label,
           secs > 0 ? bytes / 1e6 / secs : 0, secs > 0 ? (double)docs / secs : 0);
}

/* The first stage of `dups` as it runs: each article read, cleaned and
 * sketched (tokens, shingles, MinHash, the winnowed fingerprints and the
 * boilerplate keys) in one pass, only its sketch kept. This is the end to
 * end rate a user sees; the sum of the stages above it keeps every text
 * (for the stages timed after reading) and so writes more memory, and
 * reads the input only once, cold. Best of repeat; 0 on failure. */
static double time_streamed(const common_opts *base, char **paths, int npaths,
                            unsigned repeat)
{
    double best = 0;
    for (unsigned k = 0; k < repeat; k++) {
        common_opts co = *base;
        co.streaming = true;
        co.quiet = true;
        az_ctx *ctx = NULL;
        az_corpus *corpus = NULL;
        double t0 = now();
        int rc = load_corpus(&ctx, &corpus, &co, paths, npaths);
        if (rc == EXIT_OK && az_corpus_finish(corpus) != AZ_OK)
            rc = EXIT_USAGE;
        double t = now() - t0;
        az_corpus_free(corpus);
        az_ctx_free(ctx);
        if (rc != EXIT_OK)
            return 0;
        best = k == 0 || t < best ? t : best;
    }
    return best;
}

typedef struct bench_opts {
    unsigned repeat;
    double mb;
} bench_opts;

/* --repeat N, --synthetic MB, --input PATH (the same as PATH) */
static int bench_option(cli_args *a, int argc, char **argv, int *i)
{
    bench_opts *bo = a->state;
    const char *s = argv[*i];
    if (strcmp(s, "--repeat") != 0 && strcmp(s, "--synthetic") != 0 &&
        strcmp(s, "--input") != 0)
        return 0;
    if (*i + 1 >= argc) {
        cli_error("bench: %s needs a value", s);
        return -1;
    }
    /* --input PATH: the word goes, PATH is read as a positional path */
    if (s[2] == 'i')
        return 1;
    const char *v = argv[++*i];
    double x = atof(v);
    if (!(x >= 1 && x <= 100000)) {
        cli_error("bench: %s needs a number >= 1, got '%s'", s, v);
        return -1;
    }
    if (s[2] == 'r')
        bo->repeat = (unsigned)x;
    else
        bo->mb = x;
    return 1;
}

int cmd_bench(int argc, char **argv)
{
    bench_opts bo = {3, 20};
    bool done;
    cli_args a = {.cmd = "bench", .help = help, .extra = bench_option, .state = &bo};
    common_init(&a.co);
    a.co.quiet = true;
    /* Per core: the reading would otherwise clean on every core. */
    a.co.opt.threads = 1;
    int rc0 = cli_parse(&a, argc, argv, false, &done);
    if (done)
        return rc0;
    common_opts co = a.co;
    unsigned repeat = bo.repeat;
    double mb = bo.mb;
    int npaths = a.npaths;
    az_ctx *ctx = NULL;
    az_corpus *corpus = NULL;
    synth syn = {0};
    if (npaths == 0 && make_synthetic(&syn, mb) != EXIT_OK) {
        synth_free(&syn);
        return EXIT_USAGE;
    }
    /* The best of --repeat loads, as for every stage: the first also
     * pays for memory the process never touched before (on this kind of
     * virtual machine, 6-11 us a fresh page), and the last is kept. */
    double read_clean = 0;
    int rc = EXIT_OK;
    for (unsigned k = 0; k < repeat && rc == EXIT_OK; k++) {
        az_corpus_free(corpus);
        az_ctx_free(ctx);
        corpus = NULL;
        ctx = NULL;
        double t0 = now();
        rc = load_corpus(&ctx, &corpus, &co, argv + 1, npaths);
        if (rc == EXIT_OK && npaths == 0)
            rc = add_synthetic(corpus, &syn);
        if (rc == EXIT_OK && az_corpus_finish(corpus) != AZ_OK)
            rc = EXIT_USAGE;
        double t = now() - t0;
        read_clean = k == 0 || t < read_clean ? t : read_clean;
    }
    az_bench b;
    if (rc == EXIT_OK && az_bench_run(&b, corpus, repeat) != AZ_OK) {
        cli_error("%s", az_ctx_last_error(ctx));
        rc = EXIT_USAGE;
    }
    if (rc == EXIT_OK) {
        size_t n = az_corpus_count(corpus);
        double raw = npaths ? (double)az_corpus_bytes(corpus) : (double)b.stages[0].bytes;
        printf("input: %zu articles, %.1f MB read, %.1f MB of article text "
               "(%s), %s\n", n, raw / 1e6, (double)b.stages[0].bytes / 1e6,
               npaths ? "from PATH" : "synthetic",
               co.opt.threads == 1 ? "one core" : "more than one thread (-j)");
        line("read + clean", read_clean, raw, n);
        for (size_t i = 0; i < b.nstages; i++)
            line(b.stages[i].name, b.stages[i].seconds, (double)b.stages[i].bytes,
                 b.stages[i].docs);
        /* stages[3] is the signature: shingle + MinHash. */
        line("end to end (read..minhash)", read_clean + b.stages[3].seconds, raw, n);
        /* The peak is the stages' corpus's, taken before the streamed
         * pass; that corpus goes first, so the pass adds nothing to it. */
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        az_corpus_free(corpus);
        az_ctx_free(ctx);
        corpus = NULL;
        ctx = NULL;
        /* Articles given in memory are not streamed (they cannot be read
         * again), so the pass is for PATH only. */
        double streamed = npaths ? time_streamed(&co, argv + 1, npaths, repeat) : 0;
        if (streamed > 0)
            line("end to end, streamed as dups", streamed, raw, n);
        printf("peak RSS: %.1f MB; near-duplicate index: %.0f bytes per article\n",
               (double)ru.ru_maxrss / 1024.0, b.bytes_per_doc);
    }
    synth_free(&syn);
    az_corpus_free(corpus);
    az_ctx_free(ctx);
    return rc;
}
