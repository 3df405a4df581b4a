/*
 * fuzz_index.c - the index reader (index.c) on an arbitrary file: open,
 * info, the candidates of one new article, and an add. SQLite refuses
 * most mutations as "not a database"; the seeds are small real indexes
 * (page size 512) so the mutations reach our queries: odd schemas, NULL
 * ids, corrupt compressed text, lying lengths. Errors are expected;
 * crashes, leaks and broken promises are not.
 */
#include "fuzz.h"

#include <stdio.h>
#include <string.h>

static const char article[] =
    "Some 40,000 troops massed near the border on Sunday, officials said, "
    "as the talks in Geneva ended without an agreement on a ceasefire.\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* One context for the process: choosing the LSH banding, which every
     * open does, costs more than the rest of a run. */
    static az_ctx *ctx;
    if (!ctx)
        ctx = fuzz_ctx();
    const char *extra[] = {"i.db-journal", "i.db-wal", "i.db-shm"};
    for (size_t k = 0; k < sizeof(extra) / sizeof(*extra); k++)
        remove(fuzz_path(extra[k]));
    char path[4096];
    snprintf(path, sizeof(path), "%s", fuzz_path("i.db"));
    fuzz_write(path, data, size);

    az_index *ix;
    if (az_index_open(&ix, ctx, path, 0) != AZ_OK)
        return 0;
    size_t docs, bands, claims, loaded, added, skipped;
    char params[256];
    if (az_index_info(ix, &docs, &bands, &claims, params, sizeof(params)) == AZ_OK)
        FUZZ_CHECK(strlen(params) < sizeof(params));
    az_corpus *c = NULL;
    FUZZ_CHECK(az_corpus_new(&c, ctx) == AZ_OK);
    FUZZ_CHECK(az_corpus_add_memory(c, "new", article, strlen(article),
                                    AZ_FORMAT_TEXT) == AZ_OK);
    if (az_index_candidates(ix, c, &loaded) == AZ_OK) {
        FUZZ_CHECK(az_corpus_count(c) == 1 + loaded);
        az_index_add(ix, c, &added, &skipped);
        FUZZ_CHECK(az_corpus_finish(c) == AZ_OK);
        fuzz_check_corpus(c);
    }
    az_corpus_free(c);
    az_index_close(ix);
    return 0;
}
