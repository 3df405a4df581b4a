/*
 * cmd_claims.c - `analyzer claims`: the figures each article states.
 */
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void help(FILE *f)
{
    fprintf(f, "usage: analyzer claims [--format jsonl|text] [--all] [options] PATH...\n\n"
               "Print every figure the articles state about a countable thing:\n"
               "the surface text, the value and the interval its hedge stands for\n"
               "(exact, approx, upper, lower, range, vague), the counted noun, the\n"
               "unit (percent, USD, GBP, EUR), who it is attributed to, and where it\n"
               "is. Years, dates, times, ordinals, phone numbers, ages, list\n"
               "numbers, labels and measures are not claims. Output schema:\n"
               "docs/claims.md.\n\n"
               "options:\n"
               "  --format jsonl|text   one JSON object per line (default) or prose\n"
               "  --all                 also numbers that count nothing (measures,\n"
               "                        labels)\n"
               "  --conflicts           print the conflicts between documents instead:\n"
               "                        one quantity of one story (copies, or three\n"
               "                        shared named entities, chained) in the\n"
               "                        report.json shape: quantity, kind\n"
               "                        contradiction|over-time, log gap, the claims\n"
               "  --tau T               figures conflict beyond ln(1+T) (default 0.25)\n"
               "  --window DAYS         a contradiction within DAYS, else a change\n"
               "                        over time (default 7)\n%s%s",
            dups_help, common_help);
}

static void print_text(const az_claims *cl, const az_corpus *c)
{
    for (size_t i = 0; i < az_claims_count(cl); i++) {
        const az_claim *k = az_claims_get(cl, i);
        const az_doc *d = az_corpus_doc(c, k->doc);
        printf("%s:%u: %.*s  [%s %g", az_doc_id(d), k->line, (int)k->len,
               az_doc_text(d, NULL) + k->off, az_hedge_name(k->hedge), k->low);
        if (isinf(k->high))
            printf("..]");
        else if (k->high != k->low)
            printf("..%g]", k->high);
        else
            printf("]");
        if (k->noun)
            printf(" %s", k->noun);
        if (k->unit)
            printf(" (%s)", k->unit);
        if (k->attributed_to)
            printf(" <- %s", k->attributed_to);
        putchar('\n');
    }
}

/* The conflicts, with copies counted once through the near-duplicate
 * pass. */
static int print_conflicts(const az_claims *cl, az_corpus *corpus, az_ctx *ctx)
{
    az_dups *d = NULL;
    az_conflicts *k = NULL;
    char *out = NULL;
    int rc = EXIT_OK;
    if (az_dups_run(&d, corpus) != AZ_OK || az_conflicts_run(&k, cl, d, corpus) != AZ_OK ||
        az_conflicts_jsonl(&out, k, cl, corpus) != AZ_OK) {
        cli_error("%s", az_ctx_last_error(ctx));
        rc = EXIT_USAGE;
    } else {
        fputs(out, stdout);
    }
    free(out);
    az_conflicts_free(k);
    az_dups_free(d);
    return rc;
}

/* --all, --conflicts */
static int claims_option(cli_args *a, int argc, char **argv, int *i)
{
    (void)argc;
    if (strcmp(argv[*i], "--all") == 0) {
        a->co.opt.claims_all = 1;
        return 1;
    }
    if (strcmp(argv[*i], "--conflicts") == 0) {
        *(bool *)a->state = true;
        return 1;
    }
    return 0;
}

int cmd_claims(int argc, char **argv)
{
    bool conflicts = false, done;
    cli_args a = {.cmd = "claims", .help = help, .has_format = true,
                  .extra = claims_option, .state = &conflicts};
    common_init(&a.co);
    int rc0 = cli_parse(&a, argc, argv, true, &done);
    if (done)
        return rc0;
    common_opts co = a.co;
    bool text = a.text;
    int npaths = a.npaths;
    az_ctx *ctx;
    az_corpus *corpus;
    az_claims *cl = NULL;
    int rc = load_corpus(&ctx, &corpus, &co, argv + 1, npaths);
    if (rc == EXIT_OK && az_corpus_count(corpus) == 0) {
        cli_error("claims: no article could be read from the given paths");
        rc = EXIT_USAGE;
    }
    if (rc == EXIT_OK && az_claims_run(&cl, corpus) != AZ_OK) {
        cli_error("%s", az_ctx_last_error(ctx));
        rc = EXIT_USAGE;
    }
    if (rc == EXIT_OK && conflicts) {
        rc = print_conflicts(cl, corpus, ctx);
    } else if (rc == EXIT_OK && text) {
        print_text(cl, corpus);
    } else if (rc == EXIT_OK) {
        char *out = NULL;
        az_status st = az_claims_jsonl(&out, cl, corpus);
        rc = put_output("claims", st, out);
    }
    az_claims_free(cl);
    az_corpus_free(corpus);
    az_ctx_free(ctx);
    return rc;
}
