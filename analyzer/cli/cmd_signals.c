/*
 * cmd_signals.c - `analyzer signals`: per-article sourcing evidence, kind
 * and reliability score.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static void help(FILE *f)
{
    fprintf(f, "usage: analyzer signals [--format jsonl|text] [options] PATH...\n\n"
               "For each article: its kind (news, wire, ugc, opinion, press-release),\n"
               "the sourcing evidence found (wire and photo credits, unverified or\n"
               "user-generated markers, anonymous sources, hedging, opinion and\n"
               "press-release labels, corrections, byline) with the matched text and\n"
               "line, and a reliability score in [0, 1] with every term that makes\n"
               "it (signals, rates against the corpus, figures corroborated or\n"
               "contradicted by independent reports). Model: docs/signals.md.\n\n"
               "options:\n"
               "  --format jsonl|text   one JSON object per article (default) or prose\n"
               "  --outlet-priors FILE  outlet ratings (CSV outlet,rating or JSON Lines)\n"
               "                        for the report's per-outlet reliability\n%s%s",
            dups_help, common_help);
}

static void print_text(const az_assessment *a, const az_corpus *c)
{
    for (size_t i = 0; i < az_corpus_count(c); i++) {
        const az_doc *d = az_corpus_doc(c, i);
        const az_doc_signals *s = az_assess_doc(a, i);
        const char *outlet = az_doc_meta(d, AZ_META_OUTLET)->value;
        printf("%s%s%s%s%s: %s, score %.2f\n", i ? "\n" : "", az_doc_id(d),
               outlet ? " (" : "", outlet ? outlet : "", outlet ? ")" : "",
               az_kind_name(s->kind), s->score);
        for (size_t k = 0; k < s->n; k++) {
            printf("  %+.2f %-20s %s", s->v[k].weight, s->v[k].code, s->v[k].text);
            if (s->v[k].line)
                printf(" (line %u)", s->v[k].line);
            putchar('\n');
        }
    }
}

int cmd_signals(int argc, char **argv)
{
    bool done;
    cli_args a = {.cmd = "signals", .help = help, .has_format = true};
    common_init(&a.co);
    int rc0 = cli_parse(&a, argc, argv, true, &done);
    if (done)
        return rc0;
    common_opts co = a.co;
    bool text = a.text;
    int npaths = a.npaths;
    az_ctx *ctx;
    az_corpus *corpus;
    az_dups *d = NULL;
    az_claims *cl = NULL;
    az_conflicts *k = NULL;
    az_assessment *as = NULL;
    int rc = load_corpus(&ctx, &corpus, &co, argv + 1, npaths);
    if (rc == EXIT_OK && az_corpus_count(corpus) == 0) {
        cli_error("signals: no article could be read from the given paths");
        rc = EXIT_USAGE;
    }
    if (rc == EXIT_OK &&
        (az_dups_run(&d, corpus) != AZ_OK || az_claims_run(&cl, corpus) != AZ_OK ||
         az_conflicts_run(&k, cl, d, corpus) != AZ_OK ||
         az_assess_run(&as, corpus, cl, k, co.opt.outlet_priors) != AZ_OK)) {
        cli_error("%s", az_ctx_last_error(ctx));
        rc = EXIT_USAGE;
    }
    if (rc == EXIT_OK && text) {
        print_text(as, corpus);
    } else if (rc == EXIT_OK) {
        char *out = NULL;
        az_status st = az_signals_jsonl(&out, as, corpus);
        rc = put_output("signals", st, out);
    }
    az_assess_free(as);
    az_conflicts_free(k);
    az_claims_free(cl);
    az_dups_free(d);
    az_corpus_free(corpus);
    az_ctx_free(ctx);
    return rc;
}
