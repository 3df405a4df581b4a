/*
 * fuzz_date.c - the date parser (date.c). Beyond not crashing: what it
 * consumes lies inside the input, what it writes is a real YYYY-MM-DD,
 * and that output parses back to itself.
 */
#include "fuzz.h"

#include <string.h>

static void check_iso(const char out[11])
{
    FUZZ_CHECK(strlen(out) == 10 && out[4] == '-' && out[7] == '-');
    char again[11];
    FUZZ_CHECK(az_date_parse(out, 10, again) == 10);
    FUZZ_CHECK(memcmp(out, again, 11) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    char out[11];
    size_t n = az_date_parse(s, size, out);
    FUZZ_CHECK(n <= size);
    if (n)
        check_iso(out);
    size_t dlen = 0;
    size_t at = az_date_find(s, size, out, &dlen);
    if (at != SIZE_MAX) {
        FUZZ_CHECK(dlen > 0 && at < size && dlen <= size - at);
        check_iso(out);
    }
    return 0;
}
