/*
 * bench_clean.c - throughput of the cleaning and text stages on the demo
 * corpus, repeated until enough bytes have passed to time reliably.
 * Prints MB/s per stage on one core; never fails on a timing.
 *
 * usage: bench_clean CORPUS_DIR [MEGABYTES [STAGE]]
 * STAGE (text, html, tokenize) runs one stage alone, e.g. under callgrind,
 * which counts instructions repeatably on a noisy machine.
 */
#include "az_priv.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

typedef struct input {
    char *data;
    size_t len;
    bool html;
} input;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t load(const char *dir, input *in, size_t max)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < max) {
        size_t l = strlen(e->d_name);
        bool txt = l > 4 && strcmp(e->d_name + l - 4, ".txt") == 0;
        bool html = l > 5 && strcmp(e->d_name + l - 5, ".html") == 0;
        if (!txt && !html)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        fseek(f, 0, SEEK_END);
        long sz = ftell(f);
        fseek(f, 0, SEEK_SET);
        in[n].data = malloc((size_t)sz + 1);
        in[n].len = fread(in[n].data, 1, (size_t)sz, f);
        in[n].html = html;
        fclose(f);
        n++;
    }
    closedir(d);
    return n;
}

typedef enum stage { CLEAN_TEXT, CLEAN_HTML, TOKENIZE } stage;

/* Run one stage over the inputs of its kind until `target` bytes passed;
 * returns MB/s. */
static double run(az_ctx *ctx, const input *in, size_t n, stage s, double target)
{
    double bytes = 0, t0 = now();
    while (bytes < target) {
        size_t any = 0;
        for (size_t i = 0; i < n; i++) {
            if ((s == CLEAN_HTML) != in[i].html)
                continue;
            any++;
            if (s == TOKENIZE) {
                volatile size_t w = az_count_words(in[i].data, in[i].len);
                (void)w;
            } else {
                az_extract x;
                az_extract_init(&x);
                if (s == CLEAN_HTML)
                    az_clean_html(ctx, &x, in[i].data, in[i].len, "bench");
                else
                    az_clean_text(ctx, &x, in[i].data, in[i].len);
                az_extract_free(&x);
            }
            bytes += (double)in[i].len;
        }
        if (!any)
            return 0;
    }
    return bytes / 1e6 / (now() - t0);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_clean CORPUS_DIR [MEGABYTES]\n");
        return 2;
    }
    double target = (argc > 2 ? atof(argv[2]) : 200.0) * 1e6;
    input in[256];
    size_t n = load(argv[1], in, 256);
    if (n == 0) {
        fprintf(stderr, "bench_clean: no .txt or .html files in %s\n", argv[1]);
        return 2;
    }
    az_ctx *ctx;
    if (az_ctx_new(&ctx, NULL) != AZ_OK)
        return 2;
    printf("inputs: %zu files from %s, %.0f MB per stage, one core\n", n,
           argv[1], target / 1e6);
    const char *only = argc > 3 ? argv[3] : NULL;
    if (!only || strcmp(only, "text") == 0)
        printf("clean plain text: %8.1f MB/s\n", run(ctx, in, n, CLEAN_TEXT, target));
    if (!only || strcmp(only, "html") == 0)
        printf("clean HTML:       %8.1f MB/s\n", run(ctx, in, n, CLEAN_HTML, target / 4));
    if (!only || strcmp(only, "tokenize") == 0)
        printf("tokenize:         %8.1f MB/s\n", run(ctx, in, n, TOKENIZE, target));
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak RSS: %.1f MB\n", (double)ru.ru_maxrss / 1024.0);
    for (size_t i = 0; i < n; i++)
        free(in[i].data);
    az_ctx_free(ctx);
    return 0;
}
