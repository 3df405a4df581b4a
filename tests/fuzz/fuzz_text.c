/*
 * fuzz_text.c - the plain-text cleaner (clean_text.c, meta.c) on
 * arbitrary bytes: debris and nag rules, header lines, captions.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_clean(data, size, AZ_FORMAT_TEXT);
    return 0;
}
