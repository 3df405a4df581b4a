/*
 * cmd_dups.c - `analyzer dups`: near-duplicate pairs and copy clusters.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void help(FILE *f)
{
    fprintf(f, "usage: analyzer dups [--format jsonl|text] [--explain] [options] PATH...\n"
               "       mpirun -n N analyzer dups --mpi [options] PATH...\n\n"
               "Find the articles that copy each other, whole or in part: pairs with\n"
               "their MinHash Jaccard estimate (and 95%% interval), exact Jaccard,\n"
               "containment both ways and the shared passages; clusters with their\n"
               "probable origin; copies that credit no source. Output schema:\n"
               "docs/dups.md.\n\n"
               "options:\n"
               "  --format jsonl|text   one JSON object per line (default) or prose\n"
               "  --explain             print the LSH banding chosen for --threshold and\n"
               "                        --perms, its S-curve and expected FP/FN mass,\n"
               "                        then exit\n"
               "%s%s%s"
               "\nExit status: 0 success, 2 usage error or no article readable.\n",
            dups_help, common_help, mpi_help);
}

static int explain(const az_options *o)
{
    az_lsh_params p;
    if (az_lsh_choose(&p, o->lsh_threshold, o->minhash_perms, o->lsh_fp_weight) != AZ_OK) {
        cli_error("dups: --threshold must be strictly between 0 and 1");
        return EXIT_USAGE;
    }
    printf("signature: %u values (%s), LSH threshold %.2f, FP weight %.2f\n",
           o->minhash_perms, o->minhash_kind == AZ_MINHASH_KPERM ? "kperm" : "oph",
           o->lsh_threshold, o->lsh_fp_weight);
    printf("banding: b = %u bands x r = %u rows (%u of %u values used)\n",
           p.bands, p.rows, p.bands * p.rows, o->minhash_perms);
    printf("expected false-positive mass (integral below threshold): %.4f\n", p.fp);
    printf("expected false-negative mass (integral above threshold): %.4f\n", p.fn);
    printf("P(candidate | Jaccard s) = 1 - (1 - s^%u)^%u:\n", p.rows, p.bands);
    for (int k = 1; k <= 9; k++) {
        double s = k / 10.0;
        printf("  s = %.1f  P = %.4f\n", s, az_lsh_probability(&p, s));
    }
    printf("pairs are then verified: exact Jaccard >= %.2f, or containment >= %.2f,\n"
           "or shared passages of %u tokens in all; and one passage of at least\n"
           "%u tokens\n", o->pair_jaccard, o->pair_containment,
           o->pair_passage_tokens, o->passage_min_tokens);
    return EXIT_OK;
}

static void print_text(const az_dups *d, const az_corpus *c)
{
    size_t np = az_dups_pair_count(d), nc = az_dups_cluster_count(d);
    printf("%zu pairs, %zu clusters\n", np, nc);
    for (size_t i = 0; i < nc; i++) {
        const az_cluster *cl = az_dups_cluster(d, i);
        printf("\ncluster %s: %zu members, origin %s (%s)\n", cl->id, cl->nmembers,
               az_doc_id(az_corpus_doc(c, cl->origin)), cl->origin_rule);
        for (size_t k = 0; k < cl->nmembers; k++)
            printf("  %s\n", az_doc_id(az_corpus_doc(c, cl->members[k])));
    }
    for (size_t i = 0; i < np; i++) {
        const az_pair *p = az_dups_pair(d, i);
        const az_doc *a = az_corpus_doc(c, p->a), *b = az_corpus_doc(c, p->b);
        printf("\n%s ~ %s\n  jaccard %.3f (95%% %.3f-%.3f), exact %.3f, contained "
               "%.0f%% / %.0f%%, %zu shingles shared\n",
               az_doc_id(a), az_doc_id(b), p->jaccard, p->jaccard_lo, p->jaccard_hi,
               p->exact_jaccard, 100 * p->contain_ab, 100 * p->contain_ba, p->shared);
        if (p->dir != AZ_COPY_UNKNOWN) {
            const az_doc *from = p->dir == AZ_COPY_A_TO_B ? a : b;
            const az_doc *to = p->dir == AZ_COPY_A_TO_B ? b : a;
            if (p->credited < 0)
                printf("  %s quotes passages of %s (no copy verdict: too little "
                       "shared)\n", az_doc_id(to), az_doc_id(from));
            else
                printf("  %s copies %s, %s%s\n", az_doc_id(to), az_doc_id(from),
                       p->credited ? "credited: " : "WITHOUT CREDIT",
                       p->credited ? p->credit : "");
        }
        for (size_t k = 0; k < p->npassages; k++) {
            const az_passage *q = &p->passages[k];
            printf("  passage %u tokens, line %u / line %u: \"%s\"\n", q->tokens,
                   q->a_line, q->b_line, q->text);
        }
    }
}

typedef struct dups_flags {
    bool explain, mpi;
} dups_flags;

/* --explain, --mpi */
/* JSON Lines go out as they are rendered (az_dups_write_jsonl). */
static az_status write_stdout(void *user, const char *bytes, size_t len)
{
    (void)user;
    return fwrite(bytes, 1, len, stdout) == len ? AZ_OK : AZ_EIO;
}

static int dups_option(cli_args *a, int argc, char **argv, int *i)
{
    dups_flags *f = a->state;
    (void)argc;
    if (strcmp(argv[*i], "--explain") == 0)
        f->explain = true;
    else if (strcmp(argv[*i], "--mpi") == 0)
        f->mpi = true;
    else
        return 0;
    return 1;
}

int cmd_dups(int argc, char **argv)
{
    bool done;
    dups_flags flags = {false, false};
    cli_args a = {.cmd = "dups", .help = help, .has_format = true,
                  .extra = dups_option, .state = &flags};
    common_init(&a.co);
    int rc0 = cli_parse(&a, argc, argv, false, &done);
    if (done)
        return rc0;
    common_opts co = a.co;
    bool text = a.text;
    int npaths = a.npaths;
    if (flags.explain)
        return explain(&co.opt);
    /* Texts go once sketched: the pairs' are read again to verify them. */
    co.streaming = true;
    if (npaths == 0) {
        help(stderr);
        return EXIT_USAGE;
    }
    if (flags.mpi && (rc0 = cli_mpi_start(&co, "dups")) != EXIT_OK)
        return rc0;
    az_ctx *ctx;
    az_corpus *corpus;
    az_dups *d = NULL;
    int rc = load_corpus(&ctx, &corpus, &co, argv + 1, npaths);
    if (rc == EXIT_OK && az_corpus_count(corpus) == 0) {
        cli_error("dups: no article could be read from the given paths");
        rc = EXIT_USAGE;
    }
    if (rc == EXIT_OK && az_dups_run(&d, corpus) != AZ_OK) {
        cli_error("%s", az_ctx_last_error(ctx));
        rc = EXIT_USAGE;
    }
    if (rc == EXIT_OK && text) {
        if (az_mpi_rank() == 0) /* every rank has the result: one writes */
            print_text(d, corpus);
    } else if (rc == EXIT_OK) {
        /* Every rank renders a share; rank 0 writes the whole text. */
        az_status st = az_dups_write_jsonl(d, corpus, write_stdout, NULL);
        if (st != AZ_OK) {
            if (st == AZ_EIO)
                cli_error("dups: cannot write the output: %s", strerror(errno));
            else
                cli_error("dups: out of memory");
            rc = EXIT_USAGE;
        }
    }
    az_dups_free(d);
    az_corpus_free(corpus);
    az_ctx_free(ctx);
    if (flags.mpi)
        az_mpi_finalize();
    return rc;
}
