/*
 * fuzz_claims.c - the number and claim grammar (number.c, claims.c) on
 * any valid UTF-8 (az_tokenize's precondition; the cleaners guarantee it),
 * with and without claims_all. Claims must lie inside the text, in text
 * order, cut at character boundaries, with an interval that is one.
 */
#include "fuzz.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void check_str(const char *s)
{
    FUZZ_CHECK(!s || az_utf8_check(s, strlen(s), NULL) == AZ_OK);
}

static void claims(const char *text, size_t len, bool all)
{
    az_arena arena = AZ_ARENA_INIT;
    az_claim *v;
    size_t n;
    FUZZ_CHECK(az_claims_text(&v, &n, &arena, text, len, 0, all) == AZ_OK);
    size_t prev = 0;
    for (size_t i = 0; i < n; i++) {
        const az_claim *c = &v[i];
        FUZZ_CHECK(c->len > 0 && c->off >= prev && c->off + c->len <= len);
        /* The surface text is shown and written to JSON: whole characters. */
        FUZZ_CHECK(az_utf8_check(text + c->off, c->len, NULL) == AZ_OK);
        prev = c->off;
        FUZZ_CHECK(!isnan(c->value) && !isnan(c->low) && !isnan(c->high));
        FUZZ_CHECK(c->low <= c->high);
        check_str(c->noun);
        check_str(c->attributed_to);
    }
    free(v);
    az_arena_free(&arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    if (az_utf8_check(text, size, NULL) != AZ_OK)
        return 0;
    claims(text, size, false);
    claims(text, size, true);
    return 0;
}
