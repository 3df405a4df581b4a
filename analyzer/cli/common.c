/*
 * common.c - option parsing, corpus loading and progress shared by the
 * commands.
 */
#include "cli.h"

#include <errno.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char common_help[] =
    "  --max-doc-bytes N     skip articles larger than N bytes (default 16777216)\n"
    "  --boilerplate-min-docs N\n"
    "                        a paragraph repeated in N pages of one outlet is\n"
    "                        boilerplate (default 3, minimum 2)\n"
    "  -j, --jobs N          threads (default: one per core); the output is the\n"
    "                        same, byte for byte, whatever N\n"
    "  -q, --quiet           no progress or input errors on stderr\n"
    "  -h, --help            show this help\n";

const char mpi_help[] =
    "  --mpi                 one rank of an Open MPI job (mpirun -n N ...): the\n"
    "                        ranks share the reading and the work, rank 0\n"
    "                        writes the output, the same as one process's;\n"
    "                        inputs must be plain files every rank can read\n"
    "                        (docs/scale.md)\n";

int cli_mpi_start(common_opts *c, const char *cmd)
{
    if (!az_mpi_available()) {
        cli_error("%s: --mpi: this analyzer was built without Open MPI "
                  "(install libopenmpi-dev and rebuild)", cmd);
        return EXIT_USAGE;
    }
    if (az_mpi_init(NULL, NULL) != AZ_OK) {
        cli_error("%s: --mpi: Open MPI could not start", cmd);
        return EXIT_USAGE;
    }
    if (az_mpi_rank() != 0)
        c->quiet = true;
    return EXIT_OK;
}

const char dups_help[] =
    "near-duplicates (defaults chosen by measurement: docs/dups.md):\n"
    "  --shingle N           words per shingle (default 5)\n"
    "  --perms K             MinHash signature length, multiple of 8 (default 128)\n"
    "  --minhash oph|kperm   one permutation hashing (default) or K hash functions\n"
    "  --seed S              seed of every hash (default 0x616e616c797a6572)\n"
    "  --threshold T         Jaccard the LSH banding is tuned for (default 0.5)\n"
    "  --fp-weight W         weight of false positives in choosing it (default 0.5)\n"
    "  --bucket-cap N        larger LSH buckets pair only neighbours (default 64)\n"
    "  --jaccard J           a pair: exact Jaccard at least J (default 0.5)...\n"
    "  --containment C       ...or one side at least C contained (default 0.3)...\n"
    "  --passage-total N     ...or shared passages of N tokens in all (default 30)\n"
    "  --passage-min N       shortest shared passage, tokens (default 10)\n"
    "  --passage-gap N       passages this close merge, tokens (default 4)\n"
    "  --winnow W            winnowing window of the partial-copy index (default 12)\n";

void cli_error(const char *fmt, ...)
{
    /* The ranks of a distributed run agree on failures: one says so. */
    if (az_mpi_rank() != 0)
        return;
    va_list ap;
    fputs("analyzer: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void common_init(common_opts *c)
{
    az_options_init(&c->opt);
    c->quiet = false;
    c->streaming = false;
}

typedef enum opt_type { T_SIZE, T_UINT, T_FRACTION, T_SEED, T_MINHASH, T_PATH } opt_type;

typedef struct opt_def {
    const char *name;
    opt_type type;
    size_t offset; /* into az_options */
} opt_def;

#define OPT(n, t, f) {n, t, offsetof(az_options, f)}
static const opt_def opt_defs[] = {
    OPT("--max-doc-bytes", T_SIZE, max_doc_bytes),
    OPT("--boilerplate-min-docs", T_UINT, boilerplate_min_docs),
    OPT("--shingle", T_UINT, shingle_size),
    OPT("--perms", T_UINT, minhash_perms),
    OPT("--minhash", T_MINHASH, minhash_kind),
    OPT("--seed", T_SEED, seed),
    OPT("--threshold", T_FRACTION, lsh_threshold),
    OPT("--fp-weight", T_FRACTION, lsh_fp_weight),
    OPT("--bucket-cap", T_UINT, lsh_bucket_cap),
    OPT("--jaccard", T_FRACTION, pair_jaccard),
    OPT("--containment", T_FRACTION, pair_containment),
    OPT("--passage-min", T_UINT, passage_min_tokens),
    OPT("--passage-gap", T_UINT, passage_gap),
    OPT("--passage-total", T_UINT, pair_passage_tokens),
    OPT("--winnow", T_UINT, winnow_window),
    OPT("--tau", T_FRACTION, conflict_tau),
    OPT("--window", T_UINT, event_window_days),
    OPT("--outlet-priors", T_PATH, outlet_priors),
    OPT("--jobs", T_UINT, threads),
    OPT("-j", T_UINT, threads),
};
#undef OPT

/* Store the value v of option d into opt; false after a message. */
static bool set_option(az_options *opt, const opt_def *d, const char *v)
{
    char *end = NULL;
    void *field = (char *)opt + d->offset;
    errno = 0;
    switch (d->type) {
    case T_SIZE:
    case T_UINT: {
        long long n = strtoll(v, &end, 10);
        if (errno || *end || n <= 0 || (d->type == T_UINT && n > 1000000))
            break;
        if (d->type == T_SIZE)
            *(size_t *)field = (size_t)n;
        else
            *(unsigned *)field = (unsigned)n;
        return true;
    }
    case T_FRACTION: {
        double x = strtod(v, &end);
        if (errno || *end || !(x >= 0 && x <= 1))
            break;
        *(double *)field = x;
        return true;
    }
    case T_SEED: {
        unsigned long long x = strtoull(v, &end, 0);
        if (errno || *end || v[0] == '-')
            break;
        *(uint64_t *)field = x;
        return true;
    }
    case T_PATH:
        if (!v[0])
            break;
        *(const char **)field = v; /* argv outlives the run */
        return true;
    case T_MINHASH:
        if (strcmp(v, "oph") == 0 || strcmp(v, "kperm") == 0) {
            *(int *)field = v[0] == 'o' ? AZ_MINHASH_OPH : AZ_MINHASH_KPERM;
            return true;
        }
        break;
    }
    static const char *const want[] = {
        [T_SIZE] = "a positive whole number", [T_UINT] = "a positive whole number",
        [T_FRACTION] = "a number from 0 to 1", [T_SEED] = "a whole number (0x... for hex)",
        [T_MINHASH] = "oph or kperm", [T_PATH] = "a file"};
    cli_error("%s needs %s, got '%s'", d->name, want[d->type], v);
    return false;
}

int parse_common(common_opts *c, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
        c->quiet = true;
        return 1;
    }
    for (size_t k = 0; k < sizeof(opt_defs) / sizeof(*opt_defs); k++) {
        size_t n = strlen(opt_defs[k].name);
        if (strncmp(a, opt_defs[k].name, n) != 0 || (a[n] != '\0' && a[n] != '='))
            continue;
        const char *v = a[n] == '=' ? a + n + 1 : (*i + 1 < argc ? argv[++*i] : NULL);
        if (!v) {
            cli_error("%s needs a value", opt_defs[k].name);
            return -1;
        }
        return set_option(&c->opt, &opt_defs[k], v) ? 1 : -1;
    }
    return 0;
}

typedef struct progress {
    bool on;
    size_t last;
    struct timespec since;
} progress;

static double since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

static void show_progress(void *user, size_t done, uint64_t bytes)
{
    progress *p = user;
    if (!p->on || done - p->last < 50)
        return;
    p->last = done;
    fprintf(stderr, "\ranalyzer: read %zu articles, %.1f MB, %.1f s", done,
            (double)bytes / 1e6, since(&p->since));
}

/* After reading, a long run goes through stages (near-duplicates,
 * claims, writing the pages) that say nothing for minutes at a million
 * articles: on a terminal, each is named as it starts and timed as it
 * ends. */
typedef struct stages {
    bool open;
    struct timespec since;
} stages;

static void show_stage(void *user, const char *stage)
{
    stages *s = user;
    if (s->open)
        fprintf(stderr, " %.1f s\n", since(&s->since));
    s->open = stage != NULL;
    clock_gettime(CLOCK_MONOTONIC, &s->since);
    if (stage)
        fprintf(stderr, "analyzer: %s...", stage);
    fflush(stderr);
}

int load_corpus(az_ctx **ctx, az_corpus **corpus, const common_opts *c,
                char **paths, int npaths)
{
    static stages st_of_run; /* one run a process: outlives this call */
    *ctx = NULL;
    *corpus = NULL;
    if (c->opt.boilerplate_min_docs < 2) {
        cli_error("--boilerplate-min-docs must be at least 2");
        return EXIT_USAGE;
    }
    if (az_ctx_new(ctx, &c->opt) != AZ_OK || az_corpus_new(corpus, *ctx) != AZ_OK) {
        cli_error("cannot start: out of memory");
        return EXIT_USAGE;
    }
    az_corpus_set_streaming(*corpus, c->streaming);
    progress p = {!c->quiet && isatty(2), 0, {0, 0}};
    clock_gettime(CLOCK_MONOTONIC, &p.since);
    az_corpus_set_progress(*corpus, show_progress, &p);
    if (p.on)
        az_corpus_set_stages(*corpus, show_stage, &st_of_run);
    for (int i = 0; i < npaths; i++) {
        az_status st = az_corpus_add_path(*corpus, paths[i]);
        if (st == AZ_ENOMEM) {
            cli_error("out of memory reading %s", paths[i]);
            return EXIT_USAGE;
        }
    }
    if (p.on && p.last)
        fputc('\n', stderr);
    if (az_corpus_finish(*corpus) != AZ_OK) {
        cli_error("%s", az_ctx_last_error(*ctx));
        return EXIT_USAGE;
    }
    az_corpus_set_progress(*corpus, NULL, NULL);
    if (!c->quiet)
        for (size_t i = 0; i < az_corpus_error_count(*corpus); i++) {
            const az_input_error *e = az_corpus_error(*corpus, i);
            if (e->line)
                fprintf(stderr, "%s:%u: %s\n", e->input, e->line, e->message);
            else
                fprintf(stderr, "%s: %s\n", e->input, e->message);
        }
    return EXIT_OK;
}

int cli_parse(cli_args *a, int argc, char **argv, bool need_paths, bool *done)
{
    *done = false;
    a->npaths = 0;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
            a->help(stdout);
            *done = true;
            return EXIT_OK;
        }
        if (a->has_format && strcmp(s, "--format") == 0) {
            const char *v = i + 1 < argc ? argv[++i] : "";
            if (strcmp(v, "text") != 0 && strcmp(v, "jsonl") != 0) {
                cli_error("%s: --format is jsonl or text, got '%s'", a->cmd, v);
                *done = true;
                return EXIT_USAGE;
            }
            a->text = strcmp(v, "text") == 0;
            continue;
        }
        int r = a->extra ? a->extra(a, argc, argv, &i) : 0;
        if (r == 0)
            r = parse_common(&a->co, argc, argv, &i);
        if (r < 0) {
            *done = true;
            return EXIT_USAGE;
        }
        if (r)
            continue;
        if (s[0] == '-' && s[1]) {
            cli_error("%s: unknown option '%s'", a->cmd, s);
            a->help(stderr);
            *done = true;
            return EXIT_USAGE;
        }
        argv[++a->npaths] = argv[i];
    }
    if (need_paths && a->npaths == 0) {
        a->help(stderr);
        *done = true;
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

int put_output(const char *cmd, az_status st, char *out)
{
    if (st != AZ_OK) {
        free(out);
        cli_error("%s: out of memory", cmd);
        return EXIT_USAGE;
    }
    fputs(out, stdout);
    free(out);
    return EXIT_OK;
}
