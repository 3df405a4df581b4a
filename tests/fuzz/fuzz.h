/*
 * fuzz.h - what the fuzz targets share: a scratch directory per process
 * for the readers that take paths, and checks of the promises the public
 * API makes about a finished corpus. A broken promise abort()s, so
 * libFuzzer and the replay driver count it as a crash like any other.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include "az_priv.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond) \
    ((cond) ? (void)0 : fuzz_fail(#cond, __FILE__, __LINE__))

_Noreturn void fuzz_fail(const char *what, const char *file, int line);

/* A context with the default options but one thread: a run of a target
 * is then deterministic, and no time goes to starting workers. */
az_ctx *fuzz_ctx(void);

/* A directory made on the first call and removed at exit, with `name`
 * joined to it in a static buffer. */
const char *fuzz_path(const char *name);
/* Write a whole file or abort: a target that cannot set up its input has
 * tested nothing. */
void fuzz_write(const char *path, const void *data, size_t size);

/* Check every document of a finished corpus against analyzer.h: valid
 * UTF-8 text and metadata, paragraphs inside the text, offsets that map
 * back into the raw input. */
void fuzz_check_corpus(const az_corpus *c);

/* One input through the cleaner of `fmt` (az_corpus_add_memory and
 * az_corpus_finish), then fuzz_check_corpus. */
void fuzz_clean(const uint8_t *data, size_t size, az_format fmt);

#endif /* FUZZ_H */
