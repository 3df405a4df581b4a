/*
 * common.c - option parsing, corpus loading and progress shared by the
 * commands.
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char common_help[] =
    "  --max-doc-bytes N     skip articles larger than N bytes (default 16777216)\n"
    "  --boilerplate-min-docs N\n"
    "                        a paragraph repeated in N pages of one outlet is\n"
    "                        boilerplate (default 3, minimum 2)\n"
    "  -q, --quiet           no progress or input errors on stderr\n"
    "  -h, --help            show this help\n";

void cli_error(const char *fmt, ...)
{
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
}

/* Parse a positive integer option value; -1 after a message. */
static long long parse_count(const char *opt, const char *v)
{
    char *end;
    errno = 0;
    long long n = v ? strtoll(v, &end, 10) : -1;
    if (!v || errno || *end || n <= 0) {
        cli_error("%s needs a positive whole number, got '%s'", opt, v ? v : "");
        return -1;
    }
    return n;
}

int parse_common(common_opts *c, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
        c->quiet = true;
        return 1;
    }
    const char *names[] = {"--max-doc-bytes", "--boilerplate-min-docs"};
    for (int k = 0; k < 2; k++) {
        size_t n = strlen(names[k]);
        if (strncmp(a, names[k], n) != 0 || (a[n] != '\0' && a[n] != '='))
            continue;
        const char *v = a[n] == '=' ? a + n + 1 : (*i + 1 < argc ? argv[++*i] : NULL);
        long long x = parse_count(names[k], v);
        if (x < 0)
            return -1;
        if (k == 0)
            c->opt.max_doc_bytes = (size_t)x;
        else
            c->opt.boilerplate_min_docs = (unsigned)x;
        return 1;
    }
    return 0;
}

typedef struct progress {
    bool on;
    size_t last;
} progress;

static void show_progress(void *user, size_t done, uint64_t bytes)
{
    progress *p = user;
    if (!p->on || done - p->last < 50)
        return;
    p->last = done;
    fprintf(stderr, "\ranalyzer: read %zu articles, %.1f MB", done,
            (double)bytes / 1e6);
}

int load_corpus(az_ctx **ctx, az_corpus **corpus, const common_opts *c,
                char **paths, int npaths)
{
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
    progress p = {!c->quiet && isatty(2), 0};
    az_corpus_set_progress(*corpus, show_progress, &p);
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
