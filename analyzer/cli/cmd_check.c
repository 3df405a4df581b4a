/*
 * cmd_check.c - `analyzer check`: the CI gate on articles added to a
 * corpus.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static void help(FILE *f)
{
    fprintf(f, "usage: analyzer check --against PATH|INDEX.db [--fail-on error|warning|notice]\n"
               "                      [--format text|json|github|sarif] [options] NEW...\n\n"
               "Check new articles against the corpus under PATH (a directory, a file,\n"
               "or '-' for JSON Lines), or against an index built with `analyzer index`\n"
               "(a file ending in .db: only the indexed articles that share an LSH band\n"
               "with a new one are read), and report, for each new article:\n"
               "  error    uncredited-copy      it copies an existing article without credit\n"
               "  warning  user-generated       its source is a user post, not reviewed\n"
               "           unverified-claim     it says its claims could not be verified\n"
               "           contradicted-figure  a figure contradicts independent reports\n"
               "  notice   credited-copy        it carries an existing article with credit\n"
               "           figure-changed       a figure differs from an older report\n"
               "           missing-metadata     no outlet or no publication date\n"
               "each with the rule, the file, line and column, and the existing article.\n\n"
               "options:\n"
               "  --against PATH|INDEX.db  the corpus the new articles join (required)\n"
               "  --fail-on LEVEL       exit 1 on findings at or above it (default error)\n"
               "  --format FORMAT       text (file:line:col: level: message [rule]),\n"
               "                        json, github (workflow annotations), sarif\n"
               "                        (SARIF 2.1.0 for code scanning)\n%s%s"
               "\nExit status: 0 nothing at or above --fail-on, 1 findings at or above\n"
               "it, 2 usage error or a new article that cannot be read.\n",
            dups_help, common_help);
}

static int parse_level(const char *v, az_level *out)
{
    static const char *const names[] = {"notice", "warning", "error"};
    for (int k = 0; k < 3; k++)
        if (strcmp(v, names[k]) == 0) {
            *out = (az_level)k;
            return 0;
        }
    cli_error("check: --fail-on is error, warning or notice, got '%s'", v);
    return -1;
}

static int parse_format(const char *v, az_check_format *out)
{
    static const char *const names[] = {"text", "json", "github", "sarif"};
    for (int k = 0; k < 4; k++)
        if (strcmp(v, names[k]) == 0) {
            *out = (az_check_format)k;
            return 0;
        }
    cli_error("check: --format is text, json, github or sarif, got '%s'", v);
    return -1;
}

/* Print the input errors of one group; returns how many. */
static size_t report_errors(const az_corpus *c, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        const az_input_error *e = az_corpus_error(c, i);
        fprintf(stderr, e->line ? "%s:%u: %s\n" : "%s%.0u: %s\n", e->input, e->line,
                e->message);
    }
    return to - from;
}

typedef struct check_opts {
    const char *against;
    az_level fail_on;
    az_check_format format;
} check_opts;

/* --against, --fail-on, --format */
static int check_option(cli_args *a, int argc, char **argv, int *i)
{
    check_opts *ko = a->state;
    const char *s = argv[*i];
    if (strcmp(s, "--against") != 0 && strcmp(s, "--fail-on") != 0 &&
        strcmp(s, "--format") != 0)
        return 0;
    if (*i + 1 >= argc) {
        cli_error("check: %s needs a value", s);
        return -1;
    }
    const char *v = argv[++*i];
    if (s[2] == 'a')
        ko->against = v;
    else if (s[3] == 'a')
        return parse_level(v, &ko->fail_on) < 0 ? -1 : 1;
    else
        return parse_format(v, &ko->format) < 0 ? -1 : 1;
    return 1;
}

int cmd_check(int argc, char **argv)
{
    check_opts ko = {NULL, AZ_LEVEL_ERROR, AZ_CHECK_TEXT};
    bool done;
    cli_args a = {.cmd = "check", .help = help, .extra = check_option, .state = &ko};
    common_init(&a.co);
    int rc0 = cli_parse(&a, argc, argv, false, &done);
    if (done)
        return rc0;
    common_opts co = a.co;
    const char *against = ko.against;
    az_level fail_on = ko.fail_on;
    az_check_format format = ko.format;
    int nnew = a.npaths;
    if (!against || nnew == 0) {
        cli_error("check: give --against PATH and at least one new article");
        help(stderr);
        return EXIT_USAGE;
    }
    size_t al = strlen(against);
    bool use_index = al > 3 && strcmp(against + al - 3, ".db") == 0;
    az_ctx *ctx = NULL;
    az_corpus *corpus = NULL;
    az_findings *f = NULL;
    int rc = EXIT_OK;
    if (az_ctx_new(&ctx, &co.opt) != AZ_OK || az_corpus_new(&corpus, ctx) != AZ_OK) {
        cli_error("check: cannot start: out of memory or bad options");
        rc = EXIT_USAGE;
        goto done;
    }
    if (!use_index && az_corpus_add_path(corpus, against) != AZ_OK &&
        az_corpus_count(corpus) == 0) {
        cli_error("check: cannot read the corpus %s: %s", against, az_ctx_last_error(ctx));
        rc = EXIT_USAGE;
        goto done;
    }
    size_t corpus_errors = az_corpus_error_count(corpus);
    az_corpus_set_group(corpus, 1);
    for (int i = 1; i <= nnew; i++)
        az_corpus_add_path(corpus, argv[i]);
    size_t all_errors = az_corpus_error_count(corpus);
    if (!co.quiet)
        report_errors(corpus, 0, corpus_errors);
    /* An unreadable new article is an input error: the gate cannot pass it. */
    if (report_errors(corpus, corpus_errors, all_errors) > 0) {
        cli_error("check: %zu new input(s) could not be read", all_errors - corpus_errors);
        rc = EXIT_USAGE;
        goto done;
    }
    if (use_index) {
        /* Only the indexed documents that share a band with a new one. */
        az_index *ix = NULL;
        size_t loaded;
        az_corpus_set_group(corpus, 0);
        if (az_index_open(&ix, ctx, against, 0) != AZ_OK ||
            az_index_candidates(ix, corpus, &loaded) != AZ_OK) {
            cli_error("%s", az_ctx_last_error(ctx));
            az_index_close(ix);
            rc = EXIT_USAGE;
            goto done;
        }
        az_index_close(ix);
        az_corpus_set_group(corpus, 1);
    }
    if (az_corpus_finish(corpus) != AZ_OK || az_check_run(&f, corpus) != AZ_OK) {
        cli_error("%s", az_ctx_last_error(ctx));
        rc = EXIT_USAGE;
        goto done;
    }
    char *out = NULL;
    az_status st = az_findings_format(&out, f, corpus, format);
    if ((rc = put_output("check", st, out)) != EXIT_OK)
        goto done;
    for (size_t i = 0; i < az_findings_count(f); i++)
        if (az_findings_get(f, i)->level >= fail_on)
            rc = EXIT_FINDINGS;
done:
    az_findings_free(f);
    az_corpus_free(corpus);
    az_ctx_free(ctx);
    return rc;
}
