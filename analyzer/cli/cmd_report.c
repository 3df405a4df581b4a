/*
 * cmd_report.c - `analyzer report`: the batch report over a corpus.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static void help(FILE *f)
{
    fprintf(f, "usage: analyzer report [-o DIR] [--format json,html,md] [options] PATH...\n\n"
               "Read every article under PATH (files, directories recursively, '-'\n"
               "for JSON Lines on stdin) and write DIR/report.json, report.html and\n"
               "report.md: each document with its metadata (and where it came from),\n"
               "its word count and the cleaning applied, the copies among them\n"
               "(pairs, passages, clusters, uncredited copies; see analyzer dups),\n"
               "and every input that was skipped with the reason. The schema is in\n"
               "docs/report-schema.md.\n\n"
               "options:\n"
               "  -o, --output DIR      where to write (default analyzer-report)\n"
               "  --format LIST         comma-separated: json, html, md (default all)\n"
               "  --outlet-priors FILE  outlet ratings (CSV outlet,rating or JSON Lines)\n"
               "                        as priors of the per-outlet reliability\n"
               "%s%s"
               "\nExit status: 0 when a report was written, 2 on a usage error or\n"
               "when no article could be read. Skipped inputs are listed in the\n"
               "report and on stderr.\n", dups_help, common_help);
}

/* Parse "json,html,md" into a mask; 0 after a message. */
static unsigned parse_formats(const char *s)
{
    unsigned mask = 0;
    char *copy = strdup(s);
    if (!copy)
        return 0;
    for (char *tok = strtok(copy, ","); tok; tok = strtok(NULL, ",")) {
        if (strcmp(tok, "json") == 0)
            mask |= AZ_REPORT_JSON;
        else if (strcmp(tok, "html") == 0)
            mask |= AZ_REPORT_HTML;
        else if (strcmp(tok, "md") == 0)
            mask |= AZ_REPORT_MD;
        else {
            cli_error("report: unknown format '%s' (json, html, md)", tok);
            mask = 0;
            break;
        }
    }
    free(copy);
    return mask;
}

int cmd_report(int argc, char **argv)
{
    common_opts co;
    common_init(&co);
    const char *dir = "analyzer-report";
    unsigned formats = AZ_REPORT_JSON | AZ_REPORT_HTML | AZ_REPORT_MD;
    int npaths = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            help(stdout);
            return EXIT_OK;
        }
        if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0 ||
            strcmp(a, "--format") == 0) {
            if (i + 1 >= argc) {
                cli_error("report: %s needs a value", a);
                return EXIT_USAGE;
            }
            if (a[2] == 'f' && !(formats = parse_formats(argv[++i])))
                return EXIT_USAGE;
            else if (a[2] != 'f')
                dir = argv[++i];
            continue;
        }
        int r = parse_common(&co, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r)
            continue;
        if (a[0] == '-' && a[1]) {
            cli_error("report: unknown option '%s'", a);
            help(stderr);
            return EXIT_USAGE;
        }
        argv[++npaths] = argv[i];
    }
    if (npaths == 0) {
        help(stderr);
        return EXIT_USAGE;
    }
    az_ctx *ctx;
    az_corpus *corpus;
    int rc = load_corpus(&ctx, &corpus, &co, argv + 1, npaths);
    if (rc == EXIT_OK && az_corpus_count(corpus) == 0) {
        cli_error("report: no article could be read from the given paths");
        rc = EXIT_USAGE;
    }
    if (rc == EXIT_OK) {
        if (az_report_write(corpus, dir, formats) != AZ_OK) {
            cli_error("%s", az_ctx_last_error(ctx));
            rc = EXIT_USAGE;
        } else if (!co.quiet) {
            fprintf(stderr, "analyzer: %zu documents, %zu skipped inputs; report in %s/\n",
                    az_corpus_count(corpus), az_corpus_error_count(corpus), dir);
        }
    }
    az_corpus_free(corpus);
    az_ctx_free(ctx);
    return rc;
}
