/* Ingest end to end: a directory with a manifest, every input format, bad
 * inputs beside good ones, boilerplate across an outlet, offsets. */
#include "az_priv.h"
#include "check.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

static char dir[] = "/tmp/az-test-corpus-XXXXXX";

static void put(const char *name, const char *data, size_t len)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f) {
        fwrite(data, 1, len, f);
        fclose(f);
    }
}

static void puts_file(const char *name, const char *text)
{
    put(name, text, strlen(text));
}

static void put_gz(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    gzFile f = gzopen(path, "wb");
    CHECK(f != NULL);
    gzwrite(f, text, (unsigned)strlen(text));
    gzclose(f);
}

static const az_doc *find(const az_corpus *c, const char *id)
{
    for (size_t i = 0; i < az_corpus_count(c); i++)
        if (strcmp(az_doc_id(az_corpus_doc(c, i)), id) == 0)
            return az_corpus_doc(c, i);
    return NULL;
}

/* The error message recorded for `input` (suffix match) at `line`. */
static const char *error_for(const az_corpus *c, const char *input, uint32_t line)
{
    size_t n = strlen(input);
    for (size_t i = 0; i < az_corpus_error_count(c); i++) {
        const az_input_error *e = az_corpus_error(c, i);
        size_t m = strlen(e->input);
        if (m >= n && strcmp(e->input + m - n, input) == 0 && e->line == line)
            return e->message;
    }
    return NULL;
}

static const char story[] =
    "Rescue teams reached the island of Korrin on Tuesday after the storm passed.\n"
    "Ferries were cancelled and schools closed, the port authority said on Monday.\n";

static void make_corpus(void)
{
    CHECK(mkdtemp(dir) != NULL);
    char sub[300];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    mkdir(sub, 0777);
    puts_file("manifest.jsonl",
              "{\"path\": \"a.txt\", \"outlet\": \"Harbour Post\", \"published\": \"2031-02-03\"}\n"
              "{\"path\": \"sub/b.html\", \"outlet\": \"Harbour Post\", \"title\": \"Given title\"}\n"
              "{\"path\": \"missing.txt\"}\n"
              "{not json\n"
              "{\"path\": \"c.txt.gz\", \"published\": \"yesterday\"}\n"
              "{\"path\": \"a.txt\\u0000.bak\"}\n");
    puts_file("a.txt", "HARBOUR POST\nStorm over Korrin\n" "Rescue teams reached the island of Korrin on Tuesday after the storm passed.\n");
    puts_file("sub/b.html",
              "<html><head><title>T</title><meta property=\"og:site_name\" content=\"Harbour Post\">"
              "</head><body><nav><a href=/>Home</a></nav><article><h1>Storm</h1>"
              "<p>The harbour wall at Korrin gave way on Tuesday night, the port authority said.</p>"
              "<p>Engineers expect repairs to take at least three weeks, officials added.</p>"
              "</article><footer>Copyright Harbour Post</footer></body></html>");
    put_gz("c.txt.gz", story);
    puts_file("feed.jsonl",
              "{\"id\": \"r1\", \"text\": \"Ferries resumed on Thursday, the operator said in a statement.\", \"outlet\": \"Harbour Wire\", \"published\": \"2031-02-06\", \"extra\": 1}\n"
              "\n"
              "{\"id\": \"r2\", \"text\": \"broken\n"
              "{\"id\": \"r3\"}\n"
              "[1, 2]\n"
              "{\"id\": \"r4\", \"html\": \"<p>The storm moved east overnight and weakened over the sea, forecasters said.</p>\"}\n"
              "{\"id\": \"r1\", \"text\": \"A second record that reuses an id already taken earlier.\"}\n");
    put("bad-utf8.txt", "Valid first line.\nThen \xC3\x28 invalid.\n", 33);
    put("nul.txt", "abc\0def\n", 8);
    puts_file("empty.txt", "");
    puts_file("spaces.txt", "  \n\t\n");
    put("binary.html", "\x00\x01\x02\x03\xFF\xFE", 6);
    puts_file("ignored.md", "# not an article\n");
    puts_file(".hidden.txt", "Hidden files are not read by a directory walk at all.\n");
}

/* A finished corpus of path under default options, in a context of its
 * own (*ctx, freed by the caller after the corpus). */
static az_corpus *read_path(az_ctx **ctx, const char *path)
{
    az_corpus *c = NULL;
    CHECK(az_ctx_new(ctx, NULL) == AZ_OK);
    CHECK(az_corpus_new(&c, *ctx) == AZ_OK);
    CHECK(az_corpus_add_path(c, path) == AZ_OK);
    CHECK(az_corpus_finish(c) == AZ_OK);
    return c;
}

static void test_ingest(void)
{
    az_ctx *ctx;
    az_corpus *c = read_path(&ctx, dir);

    CHECK_INT(az_corpus_count(c), 5);
    /* sorted by id */
    const char *want[] = {"a.txt", "c.txt.gz", "r1", "r4", "sub/b.html"};
    for (size_t i = 0; i < 5 && i < az_corpus_count(c); i++)
        CHECK_STR(az_doc_id(az_corpus_doc(c, i)), want[i]);

    const az_doc *a = find(c, "a.txt");
    CHECK(a != NULL);
    if (a) {
        CHECK_STR(az_doc_meta(a, AZ_META_OUTLET)->value, "Harbour Post");
        CHECK_INT(az_doc_meta(a, AZ_META_OUTLET)->source, AZ_SRC_MANIFEST);
        CHECK_STR(az_doc_meta(a, AZ_META_TITLE)->value, "Storm over Korrin");
        CHECK_INT(az_doc_meta(a, AZ_META_TITLE)->source, AZ_SRC_INFERRED);
        CHECK_INT(az_doc_words(a), 13);
        uint32_t line, col;
        size_t len;
        const char *t = az_doc_text(a, &len);
        const char *at = strstr(t, "Korrin");
        az_doc_locate(a, (size_t)(at - t), &line, &col);
        CHECK_INT(line, 3);
        CHECK_INT(col, 36);
    }
    const az_doc *b = find(c, "sub/b.html");
    CHECK(b != NULL);
    if (b) {
        CHECK_STR(az_doc_meta(b, AZ_META_TITLE)->value, "Given title");
        CHECK(strstr(az_doc_text(b, NULL), "harbour wall") != NULL);
        CHECK(strstr(az_doc_text(b, NULL), "Copyright") == NULL);
        CHECK_INT(az_doc_format(b), AZ_FORMAT_HTML);
    }
    const az_doc *gz = find(c, "c.txt.gz");
    CHECK(gz != NULL);
    if (gz)
        CHECK(az_doc_meta(gz, AZ_META_PUBLISHED)->value == NULL);
    const az_doc *r1 = find(c, "r1");
    CHECK(r1 != NULL);
    if (r1) {
        CHECK_STR(az_doc_meta(r1, AZ_META_OUTLET)->value, "Harbour Wire");
        CHECK_INT(az_doc_meta(r1, AZ_META_OUTLET)->source, AZ_SRC_RECORD);
        CHECK_INT(az_doc_line(r1), 1);
    }

    /* every bad input named, with its line where it has one */
    CHECK(error_for(c, "manifest.jsonl", 3) != NULL);  /* missing.txt */
    CHECK(error_for(c, "manifest.jsonl", 4) != NULL);  /* not json */
    CHECK(error_for(c, "manifest.jsonl", 5) != NULL);  /* bad date */
    /* an escaped NUL, which would have cut the path to a.txt's */
    const char *nul = error_for(c, "manifest.jsonl", 6);
    CHECK(nul != NULL && strstr(nul, "NUL byte") != NULL);
    CHECK(error_for(c, "feed.jsonl", 3) != NULL);      /* broken JSON */
    CHECK(error_for(c, "feed.jsonl", 4) != NULL);      /* no text */
    CHECK(error_for(c, "feed.jsonl", 5) != NULL);      /* not an object */
    CHECK(error_for(c, "feed.jsonl", 7) != NULL);      /* duplicate id */
    const char *m = error_for(c, "bad-utf8.txt", 2);
    CHECK(m && strstr(m, "invalid UTF-8"));
    m = error_for(c, "nul.txt", 1);
    CHECK(m && strstr(m, "NUL"));
    CHECK(error_for(c, "empty.txt", 0) != NULL);
    CHECK(error_for(c, "spaces.txt", 0) != NULL);
    CHECK(error_for(c, "binary.html", 1) != NULL);
    CHECK_INT(az_corpus_error_count(c), 13);
    az_corpus_free(c);
    az_ctx_free(ctx);
}

static void test_limits(void)
{
    az_options o;
    az_options_init(&o);
    o.max_doc_bytes = 100;
    az_ctx *ctx;
    az_corpus *c;
    CHECK(az_ctx_new(&ctx, &o) == AZ_OK);
    CHECK(az_corpus_new(&c, ctx) == AZ_OK);
    char path[300];
    snprintf(path, sizeof path, "%s/c.txt.gz", dir);
    CHECK(az_corpus_add_path(c, path) == AZ_OK); /* 155 bytes unpacked */
    /* A plain file over the limit is read no further than the limit and a
     * byte, which count as read. */
    snprintf(path, sizeof path, "%s/a.txt", dir);
    CHECK(az_corpus_add_path(c, path) == AZ_OK); /* 109 bytes */
    CHECK(az_corpus_finish(c) == AZ_OK);
    CHECK_INT(az_corpus_count(c), 0);
    CHECK_INT(az_corpus_error_count(c), 2);
    CHECK(error_for(c, "a.txt", 0) && strstr(error_for(c, "a.txt", 0), "larger than the limit"));
    CHECK_INT(az_corpus_bytes(c), 155 + 101);
    CHECK(az_corpus_add_path(c, "/nonexistent/x.txt") == AZ_EIO);
    az_corpus_free(c);
    az_ctx_free(ctx);
    o.boilerplate_min_docs = 1;
    CHECK(az_ctx_new(&ctx, &o) == AZ_EINVAL);
}

static void test_boilerplate(void)
{
    az_ctx *ctx;
    az_corpus *c;
    CHECK(az_ctx_new(&ctx, NULL) == AZ_OK);
    CHECK(az_corpus_new(&c, ctx) == AZ_OK);
    const char *footer = "The Harbour Post is published by Harbour Media Group of Korrin.\n";
    const char *bodies[] = {
        "The ferry to Korrin resumed on Wednesday morning after the storm, officials said.\n",
        "Schools in Westmark reopened on Thursday as the floodwater receded, officials said.\n",
        "The harbour wall will take three weeks to repair, the port authority said today.\n",
    };
    for (int i = 0; i < 3; i++) {
        char id[8], buf[512];
        snprintf(id, sizeof id, "d%d", i);
        snprintf(buf, sizeof buf, "%s%s", bodies[i], footer);
        CHECK(az_corpus_add_memory(c, id, buf, strlen(buf), AZ_FORMAT_TEXT) == AZ_OK);
    }
    /* give them one outlet, as a manifest would */
    for (size_t i = 0; i < 3; i++) {
        az_doc *d = (az_doc *)az_corpus_doc(c, i);
        d->meta[AZ_META_OUTLET].value = "Harbour Post";
        d->meta[AZ_META_OUTLET].source = AZ_SRC_MANIFEST;
    }
    CHECK(az_corpus_finish(c) == AZ_OK);
    for (size_t i = 0; i < 3; i++) {
        const az_doc *d = az_corpus_doc(c, i);
        CHECK(strstr(az_doc_text(d, NULL), "Harbour Media Group") == NULL);
        CHECK(strstr(az_doc_text(d, NULL), bodies[i] + 4) == NULL); /* no '\n' */
        CHECK_INT(az_doc_para_count(d), 1);
        CHECK_INT(az_doc_cleaning_count(d), 1);
        CHECK_STR(az_doc_cleaning(d, 0)->rule, "outlet-boilerplate");
    }
    az_corpus_free(c);
    az_ctx_free(ctx);
}

/* A walk follows links to files and to directories (readdir() says they
 * are links; stat() says what they point to), and reads what it finds. */
static void test_links(void)
{
    char top[] = "/tmp/az-test-links-XXXXXX", path[300], target[300];
    CHECK(mkdtemp(top) != NULL);
    snprintf(path, sizeof path, "%s/sub", top);
    CHECK(mkdir(path, 0777) == 0);
    snprintf(path, sizeof path, "%s/sub/x.txt", top);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f) {
        fputs(story, f);
        fclose(f);
    }
    snprintf(path, sizeof path, "%s/linkdir", top);
    CHECK(symlink("sub", path) == 0);
    snprintf(path, sizeof path, "%s/y.txt", top);
    snprintf(target, sizeof target, "%s/sub/x.txt", top);
    CHECK(symlink(target, path) == 0);
    az_ctx *ctx;
    az_corpus *c = read_path(&ctx, top);
    CHECK_INT(az_corpus_count(c), 3);
    const char *want[] = {"linkdir/x.txt", "sub/x.txt", "y.txt"};
    for (size_t i = 0; i < 3 && i < az_corpus_count(c); i++) {
        const az_doc *d = az_corpus_doc(c, i);
        CHECK_STR(az_doc_id(d), want[i]);
        CHECK(strstr(az_doc_text(d, NULL), "Rescue teams reached") != NULL);
    }
    CHECK_INT(az_corpus_error_count(c), 0);
    az_corpus_free(c);
    az_ctx_free(ctx);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", top);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", top);
}

int main(void)
{
    make_corpus();
    test_ingest();
    test_limits();
    test_boilerplate();
    test_links();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_exit();
}
