/*
 * replay.c - run a fuzz target without libFuzzer: each file named, and
 * every file under each directory named (in byte order of names, hidden
 * ones skipped), goes once through LLVMFuzzerTestOneInput. The saved
 * corpora so run as ordinary tests with any compiler, under valgrind too.
 * Each input is copied into a buffer of its exact size, so a read past
 * the end is caught as it would be under libFuzzer.
 */
#include "fuzz.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Read `path` whole into an exact-size malloc'd buffer; NULL on failure. */
static uint8_t *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    uint8_t *p = NULL;
    long n = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    if (n >= 0 && fseek(f, 0, SEEK_SET) == 0 && (p = malloc(n ? (size_t)n : 1)) &&
        fread(p, 1, (size_t)n, f) != (size_t)n) {
        free(p);
        p = NULL;
    }
    fclose(f);
    *size = (size_t)n;
    return p;
}

static int visible(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

/* Replay `path`, a file or a directory; returns inputs run, -1 when
 * something could not be read. */
static long replay(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        perror(path);
        return -1;
    }
    if (!S_ISDIR(sb.st_mode)) {
        size_t size;
        uint8_t *data = slurp(path, &size);
        if (!data) {
            perror(path);
            return -1;
        }
        fprintf(stderr, "replay %s (%zu bytes)\n", path, size);
        LLVMFuzzerTestOneInput(data, size);
        free(data);
        return 1;
    }
    struct dirent **names;
    int n = scandir(path, &names, visible, alphasort);
    if (n < 0) {
        perror(path);
        return -1;
    }
    long runs = 0;
    for (int i = 0; i < n; i++) {
        char sub[4096];
        snprintf(sub, sizeof(sub), "%s/%s", path, names[i]->d_name);
        long r = runs >= 0 ? replay(sub) : 0;
        runs = r < 0 ? -1 : runs + r;
        free(names[i]);
    }
    free(names);
    return runs;
}

int main(int argc, char **argv)
{
    long total = 0;
    for (int i = 1; i < argc && total >= 0; i++) {
        long r = replay(argv[i]);
        total = r < 0 ? -1 : total + r;
    }
    if (total <= 0) {
        fprintf(stderr, "%s: %s\n", argv[0],
                total < 0 ? "an input could not be read" : "no inputs");
        return 1;
    }
    printf("%ld inputs replayed\n", total);
    return 0;
}
