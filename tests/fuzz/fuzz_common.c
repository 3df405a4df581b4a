/*
 * fuzz_common.c - the scratch directory and the corpus checks of fuzz.h.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include "fuzz.h"

#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[PATH_MAX];

void fuzz_fail(const char *what, const char *file, int line)
{
    fprintf(stderr, "%s:%d: broken promise: %s\n", file, line, what);
    abort();
}

static int remove_one(const char *path, const struct stat *sb, int flag,
                      struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

static void remove_dir(void)
{
    nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

const char *fuzz_path(const char *name)
{
    static char path[PATH_MAX];
    if (!dir[0]) {
        const char *tmp = getenv("TMPDIR");
        int n = snprintf(dir, sizeof(dir), "%s/azfuzz-XXXXXX",
                         tmp && tmp[0] ? tmp : "/tmp");
        FUZZ_CHECK(n > 0 && (size_t)n < sizeof(dir));
        FUZZ_CHECK(mkdtemp(dir) != NULL);
        atexit(remove_dir);
    }
    int n = snprintf(path, sizeof(path), "%s/%s", dir, name);
    FUZZ_CHECK(n > 0 && (size_t)n < sizeof(path));
    return path;
}

az_ctx *fuzz_ctx(void)
{
    az_options o;
    az_options_init(&o);
    o.threads = 1;
    az_ctx *ctx = NULL;
    FUZZ_CHECK(az_ctx_new(&ctx, &o) == AZ_OK);
    return ctx;
}

void fuzz_write(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    FUZZ_CHECK(f != NULL);
    FUZZ_CHECK(fwrite(data, 1, size, f) == size);
    FUZZ_CHECK(fclose(f) == 0);
}

static void check_meta(const az_doc *d)
{
    for (int k = 0; k < AZ_META_COUNT; k++) {
        const az_meta *m = az_doc_meta(d, (az_meta_key)k);
        FUZZ_CHECK((m->value != NULL) == (m->source != AZ_SRC_NONE));
        if (!m->value)
            continue;
        FUZZ_CHECK(az_utf8_check(m->value, strlen(m->value), NULL) == AZ_OK);
        if (k != AZ_META_PUBLISHED)
            continue;
        const char *v = m->value;
        FUZZ_CHECK(strlen(v) == 10 && v[4] == '-' && v[7] == '-');
    }
}

static void check_doc(const az_doc *d)
{
    size_t len;
    const char *text = az_doc_text(d, &len);
    FUZZ_CHECK(text[len] == '\0');
    FUZZ_CHECK(az_utf8_check(text, len, NULL) == AZ_OK);
    size_t end = 0;
    for (size_t i = 0; i < az_doc_para_count(d); i++) {
        const az_para *p = az_doc_para(d, i);
        FUZZ_CHECK(p->len > 0 && p->off >= end && p->off + p->len <= len);
        FUZZ_CHECK(p->src_off == SIZE_MAX || p->src_off <= d->raw_len);
        end = p->off + p->len;
        uint32_t line, col;
        /* Reads the raw input back from src_off: ASan sees a bad span. */
        az_doc_locate(d, p->off, &line, &col);
        az_doc_locate(d, end, &line, &col);
        FUZZ_CHECK(line >= 1 && col >= 1);
    }
    check_meta(d);
    FUZZ_CHECK(az_doc_words(d) <= len);
    for (size_t i = 0; i < az_doc_cleaning_count(d); i++)
        FUZZ_CHECK(az_doc_cleaning(d, i)->rule != NULL);
}

void fuzz_check_corpus(const az_corpus *c)
{
    for (size_t i = 0; i < az_corpus_count(c); i++)
        check_doc(az_corpus_doc(c, i));
    for (size_t i = 0; i < az_corpus_error_count(c); i++) {
        const az_input_error *e = az_corpus_error(c, i);
        FUZZ_CHECK(e->input && e->message);
    }
}

void fuzz_clean(const uint8_t *data, size_t size, az_format fmt)
{
    az_ctx *ctx = fuzz_ctx();
    az_corpus *c = NULL;
    FUZZ_CHECK(az_corpus_new(&c, ctx) == AZ_OK);
    az_status st = az_corpus_add_memory(c, "f", (const char *)data, size, fmt);
    FUZZ_CHECK(st != AZ_ENOMEM);
    FUZZ_CHECK(az_corpus_finish(c) == AZ_OK);
    FUZZ_CHECK(az_corpus_count(c) == (st == AZ_OK));
    fuzz_check_corpus(c);
    az_corpus_free(c);
    az_ctx_free(ctx);
}
