/*
 * cmd_report.c - `analyzer report`: the batch report over a corpus.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static void help(FILE *f)
{
    fprintf(f, "usage: analyzer report [-o DIR] [--format json,html,md] [options] PATH...\n"
               "       mpirun -n N analyzer report --mpi [options] PATH...\n\n"
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
               "%s%s%s"
               "\nUnder --mpi the ranks share the reading, the near-duplicate search\n"
               "and the claims and signals of the texts; rank 0 then reads every\n"
               "text back for the conflicts and the pages, and writes the report.\n"
               "\nExit status: 0 when a report was written, 2 on a usage error or\n"
               "when no article could be read. Skipped inputs are listed in the\n"
               "report and on stderr.\n", dups_help, common_help, mpi_help);
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

typedef struct report_opts {
    const char *dir;
    unsigned formats;
    bool mpi;
} report_opts;

/* -o/--output DIR, --format LIST, --mpi */
static int report_option(cli_args *a, int argc, char **argv, int *i)
{
    report_opts *ro = a->state;
    const char *s = argv[*i];
    if (strcmp(s, "--mpi") == 0) {
        ro->mpi = true;
        return 1;
    }
    if (strcmp(s, "-o") != 0 && strcmp(s, "--output") != 0 && strcmp(s, "--format") != 0)
        return 0;
    if (*i + 1 >= argc) {
        cli_error("report: %s needs a value", s);
        return -1;
    }
    const char *v = argv[++*i];
    if (s[2] == 'f')
        return (ro->formats = parse_formats(v)) ? 1 : -1;
    ro->dir = v;
    return 1;
}

int cmd_report(int argc, char **argv)
{
    report_opts ro = {"analyzer-report", AZ_REPORT_JSON | AZ_REPORT_HTML | AZ_REPORT_MD, false};
    bool done;
    cli_args a = {.cmd = "report", .help = help, .extra = report_option, .state = &ro};
    common_init(&a.co);
    int rc0 = cli_parse(&a, argc, argv, true, &done);
    if (done)
        return rc0;
    common_opts co = a.co;
    const char *dir = ro.dir;
    unsigned formats = ro.formats;
    int npaths = a.npaths;
    /* Ranks share out only a corpus that lets its texts go once sketched
     * (rank 0 reads them back for the pages). */
    if (ro.mpi && (rc0 = cli_mpi_start(&co, "report")) != EXIT_OK)
        return rc0;
    co.streaming = ro.mpi;
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
    if (ro.mpi)
        az_mpi_finalize();
    return rc;
}
