/*
 * cmd_clean.c - `analyzer clean FILE...`: the article text the pipeline
 * works on, after extraction and cleaning.
 */
#include "cli.h"

#include <string.h>

static void help(FILE *f)
{
    fprintf(f, "usage: analyzer clean [options] FILE...\n\n"
               "Print the extracted article text of each FILE (.txt, .html, .htm,\n"
               ".jsonl, or the .gz of one; '-' reads JSON Lines from stdin):\n"
               "HTML reduced to the main article, scraped-page debris (CSS, nags,\n"
               "share bars, captions, change-tracker headers) removed, one\n"
               "paragraph per line. With several documents, each is preceded by\n"
               "a '==> ID <==' line.\n\noptions:\n  --meta                also print "
               "the metadata found, as '# key: value (source)'\n%s"
               "\nExit status: 0 when every input was read, 2 otherwise.\n",
            common_help);
}

static const char *source_name(az_meta_source s)
{
    static const char *const names[] = {"none", "manifest", "record", "inferred"};
    return names[s];
}

static void print_meta(const az_doc *d)
{
    static const char *const keys[AZ_META_COUNT] = {"outlet", "url", "published",
                                                   "title", "author"};
    for (int k = 0; k < AZ_META_COUNT; k++) {
        const az_meta *m = az_doc_meta(d, (az_meta_key)k);
        if (!m->value)
            continue;
        printf("# %s: %s (%s%s%s)\n", keys[k], m->value, source_name(m->source),
               m->how ? ": " : "", m->how ? m->how : "");
    }
    if (az_doc_versions(d) > 1)
        printf("# versions: %u\n", az_doc_versions(d));
}

/* --meta */
static int clean_option(cli_args *a, int argc, char **argv, int *i)
{
    (void)argc;
    if (strcmp(argv[*i], "--meta") != 0)
        return 0;
    *(bool *)a->state = true;
    return 1;
}

int cmd_clean(int argc, char **argv)
{
    bool meta = false, done;
    cli_args a = {.cmd = "clean", .help = help, .extra = clean_option, .state = &meta};
    common_init(&a.co);
    int rc0 = cli_parse(&a, argc, argv, true, &done);
    if (done)
        return rc0;
    common_opts co = a.co;
    int npaths = a.npaths;
    az_ctx *ctx;
    az_corpus *corpus;
    int rc = load_corpus(&ctx, &corpus, &co, argv + 1, npaths);
    if (rc == EXIT_OK) {
        size_t n = az_corpus_count(corpus);
        for (size_t i = 0; i < n; i++) {
            const az_doc *d = az_corpus_doc(corpus, i);
            size_t len;
            const char *text = az_doc_text(d, &len);
            if (n > 1)
                printf("%s==> %s <==\n", i ? "\n" : "", az_doc_id(d));
            if (meta)
                print_meta(d);
            fwrite(text, 1, len, stdout);
            putchar('\n');
        }
        if (az_corpus_error_count(corpus) > 0)
            rc = EXIT_USAGE;
    }
    az_corpus_free(corpus);
    az_ctx_free(ctx);
    return rc;
}
