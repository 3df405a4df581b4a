/*
 * cmd_index.c - `analyzer index build|add|info INDEX.db [PATH...]`.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void help(FILE *f)
{
    fprintf(f, "usage: analyzer index build INDEX.db PATH...\n"
               "       analyzer index add INDEX.db PATH...\n"
               "       analyzer index info INDEX.db\n\n"
               "A SQLite file that remembers a corpus for `analyzer check --against\n"
               "INDEX.db`: each document's metadata, cleaned text, MinHash signature,\n"
               "LSH band keys and claims, and the parameters it was built with (a run\n"
               "with other near-duplicate options is refused). `build` writes a new\n"
               "index beside the target and renames it into place; `add` adds the\n"
               "documents not yet in it, all in one transaction, so an interrupted\n"
               "add leaves the index as it was. Format: docs/index-format.md.\n\n"
               "options:\n%s%s",
            dups_help, common_help);
}

static int info(az_ctx *ctx, const char *path)
{
    az_index *ix;
    if (access(path, F_OK) != 0) {
        cli_error("index: %s: no such index", path);
        return EXIT_USAGE;
    }
    if (az_index_open(&ix, ctx, path, 0) != AZ_OK) {
        cli_error("%s", az_ctx_last_error(ctx));
        return EXIT_USAGE;
    }
    size_t docs, bands, claims;
    char params[256];
    int rc = EXIT_OK;
    if (az_index_info(ix, &docs, &bands, &claims, params, sizeof(params)) != AZ_OK) {
        cli_error("%s", az_ctx_last_error(ctx));
        rc = EXIT_USAGE;
    } else {
        printf("index: %s\ndocuments: %zu\nband keys: %zu\nclaims: %zu\nparameters: %s\n",
               path, docs, bands, claims, params);
    }
    az_index_close(ix);
    return rc;
}

typedef struct write_progress {
    size_t total, last;
} write_progress;

static void show_writes(void *user, size_t done, uint64_t bytes)
{
    write_progress *w = user;
    if (done != w->total && done - w->last < 1000)
        return;
    w->last = done;
    fprintf(stderr, "\ranalyzer: indexed %zu of %zu articles, %.1f MB%s", done, w->total,
            (double)bytes / 1e6, done == w->total ? "\n" : "");
}

/* Read PATHs into a corpus and add it to the index at `path`. */
static int add(az_ctx *ctx, const common_opts *co, const char *path, char **paths,
               int npaths, bool create, const char *shown)
{
    az_ctx *c2;
    az_corpus *corpus;
    int rc = load_corpus(&c2, &corpus, co, paths, npaths);
    az_index *ix = NULL;
    size_t added = 0, skipped = 0;
    if (rc == EXIT_OK && !create && access(path, F_OK) != 0) {
        cli_error("index: %s: no such index (use 'analyzer index build')", path);
        rc = EXIT_USAGE;
    }
    write_progress w = {rc == EXIT_OK ? az_corpus_count(corpus) : 0, 0};
    if (rc == EXIT_OK && az_index_open(&ix, ctx, path, create) == AZ_OK &&
        !co->quiet && isatty(2))
        az_index_set_progress(ix, show_writes, &w);
    if (rc == EXIT_OK && (!ix || az_index_add(ix, corpus, &added, &skipped) != AZ_OK)) {
        cli_error("%s", az_ctx_last_error(ctx));
        rc = EXIT_USAGE;
    }
    if (rc == EXIT_OK && !co->quiet)
        fprintf(stderr, "analyzer: %s: %zu documents added, %zu already there, %zu "
                "inputs skipped\n", shown, added, skipped, az_corpus_error_count(corpus));
    az_index_close(ix);
    az_corpus_free(corpus);
    az_ctx_free(c2);
    return rc;
}

int cmd_index(int argc, char **argv)
{
    common_opts co;
    common_init(&co);
    int npos = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            help(stdout);
            return EXIT_OK;
        }
        int r = parse_common(&co, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r)
            continue;
        if (a[0] == '-' && a[1]) {
            cli_error("index: unknown option '%s'", a);
            return EXIT_USAGE;
        }
        argv[++npos] = argv[i];
    }
    if (npos < 2) {
        help(stderr);
        return EXIT_USAGE;
    }
    const char *verb = argv[1], *path = argv[2];
    az_ctx *ctx;
    if (az_ctx_new(&ctx, &co.opt) != AZ_OK) {
        cli_error("index: bad options");
        return EXIT_USAGE;
    }
    int rc;
    if (strcmp(verb, "info") == 0 && npos == 2) {
        rc = info(ctx, path);
    } else if (strcmp(verb, "add") == 0 && npos > 2) {
        rc = add(ctx, &co, path, argv + 3, npos - 2, false, path);
    } else if (strcmp(verb, "build") == 0 && npos > 2) {
        /* A fresh file beside the target, renamed over it when complete. */
        size_t n = strlen(path) + 16;
        char *tmp = malloc(n);
        snprintf(tmp, n, "%s.tmp%ld", path, (long)getpid());
        unlink(tmp);
        rc = add(ctx, &co, tmp, argv + 3, npos - 2, true, path);
        if (rc == EXIT_OK && rename(tmp, path) != 0) {
            cli_error("index: cannot rename %s to %s", tmp, path);
            rc = EXIT_USAGE;
        }
        if (rc != EXIT_OK)
            unlink(tmp);
        free(tmp);
    } else {
        cli_error("index: want 'build INDEX.db PATH...', 'add INDEX.db PATH...' or "
                  "'info INDEX.db'");
        rc = EXIT_USAGE;
    }
    az_ctx_free(ctx);
    return rc;
}
