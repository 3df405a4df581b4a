/*
 * check.h - the few assertions the unit tests need. Each test file is its
 * own program: CHECK() records a failure with file:line and carries on, and
 * check_exit() turns the count into the exit status meson reads.
 */
#ifndef CHECK_H
#define CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;
static int check_count;

#define CHECK(cond)                                                         \
    do {                                                                    \
        check_count++;                                                      \
        if (!(cond)) {                                                      \
            check_failures++;                                               \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__,          \
                    __LINE__, #cond);                                       \
        }                                                                   \
    } while (0)

#define CHECK_STR(got, want)                                                \
    do {                                                                    \
        const char *g_ = (got), *w_ = (want);                               \
        check_count++;                                                      \
        if (!g_ || !w_ ? g_ != w_ : strcmp(g_, w_) != 0) {                  \
            check_failures++;                                               \
            fprintf(stderr, "%s:%d: got \"%s\", want \"%s\"\n", __FILE__,   \
                    __LINE__, g_ ? g_ : "(null)", w_ ? w_ : "(null)");      \
        }                                                                   \
    } while (0)

#define CHECK_INT(got, want)                                                \
    do {                                                                    \
        long long g_ = (long long)(got), w_ = (long long)(want);            \
        check_count++;                                                      \
        if (g_ != w_) {                                                     \
            check_failures++;                                               \
            fprintf(stderr, "%s:%d: %s = %lld, want %lld\n", __FILE__,      \
                    __LINE__, #got, g_, w_);                                \
        }                                                                   \
    } while (0)

static inline int check_exit(void)
{
    printf("%d checks, %d failed\n", check_count, check_failures);
    return check_failures ? 1 : 0;
}

#endif
