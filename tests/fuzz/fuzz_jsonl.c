/*
 * fuzz_jsonl.c - the JSON Lines reader and the manifest reader
 * (ingest.c). Both take paths, so each input is written twice into the
 * scratch directory: as a .jsonl file of records, and as the
 * manifest.jsonl of a directory holding two articles, read by a walk of
 * the directory and by naming one file (whose manifest is read quietly).
 * One seed line can serve both: {"id":..,"text":..,"path":"a.txt",...}.
 */
#include "fuzz.h"

#include <string.h>
#include <sys/stat.h>

static const char article[] =
    "Kyiv, March 30, 2014\n\nSome 40,000 troops massed near the border, "
    "officials said on Sunday.\n";

static void read_path(const char *path)
{
    az_ctx *ctx = fuzz_ctx();
    az_corpus *c = NULL;
    FUZZ_CHECK(az_corpus_new(&c, ctx) == AZ_OK);
    FUZZ_CHECK(az_corpus_add_path(c, path) == AZ_OK);
    FUZZ_CHECK(az_corpus_finish(c) == AZ_OK);
    fuzz_check_corpus(c);
    az_corpus_free(c);
    az_ctx_free(ctx);
}

/* The articles a manifest describes, made once per process. */
static void make_dir(void)
{
    static bool made;
    if (made)
        return;
    mkdir(fuzz_path("m"), 0700);
    mkdir(fuzz_path("m/sub"), 0700);
    fuzz_write(fuzz_path("m/a.txt"), article, strlen(article));
    static const char page[] = "<html><head><title>Troops</title></head><body>"
        "<article><p>Some 40,000 troops massed near the border, officials "
        "said.</p></article></body></html>";
    fuzz_write(fuzz_path("m/sub/b.html"), page, strlen(page));
    made = true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_write(fuzz_path("in.jsonl"), data, size);
    read_path(fuzz_path("in.jsonl"));
    make_dir();
    fuzz_write(fuzz_path("m/manifest.jsonl"), data, size);
    read_path(fuzz_path("m"));
    read_path(fuzz_path("m/a.txt"));
    return 0;
}
