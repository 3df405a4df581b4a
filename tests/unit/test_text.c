/* Tokenizer offsets, folding, UTF-8 checks and whitespace collapsing. */
#include "az_priv.h"
#include "check.h"

#include <stdlib.h>
#include <string.h>

/* Tokens of `text` joined by '|', each cut from the text by its offsets. */
static void tokens_of(const char *text, char *out, size_t cap)
{
    az_token *t;
    size_t n;
    CHECK(az_tokenize(&t, &n, text, strlen(text)) == AZ_OK);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t used = strlen(out);
        snprintf(out + used, cap - used, "%s%.*s", i ? "|" : "", (int)t[i].len,
                 text + t[i].off);
    }
    free(t);
}

static void test_tokens(void)
{
    char buf[512];
    tokens_of("Russia's 40,000 troops, Putin-Obama call; 1.5 million.", buf, sizeof buf);
    CHECK_STR(buf, "Russia's|40,000|troops|Putin-Obama|call|1.5|million");
    tokens_of("Ukraine’s “rampage” — end.", buf, sizeof buf);
    CHECK_STR(buf, "Ukraine’s|rampage|end");
    tokens_of("Zürich naïve café 東京", buf, sizeof buf);
    CHECK_STR(buf, "Zürich|naïve|café|東京");
    tokens_of("trailing- 'quote' 3.", buf, sizeof buf);
    CHECK_STR(buf, "trailing|quote|3");
    tokens_of("", buf, sizeof buf);
    CHECK_STR(buf, "");
    tokens_of("  ...  ", buf, sizeof buf);
    CHECK_STR(buf, "");
    CHECK_INT(az_count_words("one two, three-four 5,000.", 26), 4);
}

/* The block scanner (az_tokens_fill, az_count_words_max) against
 * az_next_token on random text made of the bytes the rules turn on, with
 * long words, non-ASCII letters and broken UTF-8 at any place in a
 * 64-byte block. */
static void test_block_scanner(void)
{
    static const char *const parts[] = {"a", "Z", "7", "0", "'", "-", ",", ".",
        " ", "\n", "\"", "\xE2\x80\x99", "\xC3\xA9", "\xE6\x9D\xB1", "\xFF",
        "word", "40,000", "1.5", "x-y", "it's"};
    uint64_t r = 0x9E3779B97F4A7C15ull;
    char text[1024];
    az_token *fast = malloc(sizeof(*fast) * (sizeof(text) / 2 + 1));
    size_t mismatches = 0, tokens = 0;
    for (int round = 0; round < 20000; round++) {
        size_t len = 0;
        r ^= r << 13, r ^= r >> 7, r ^= r << 17;
        size_t want = r % 600;
        while (len < want) {
            r ^= r << 13, r ^= r >> 7, r ^= r << 17;
            if (r % 50 == 0) { /* a word longer than a block */
                size_t run = 60 + r % 140;
                for (size_t k = 0; k < run && len < sizeof(text) - 8; k++)
                    text[len++] = (char)('a' + k % 26);
                continue;
            }
            const char *p = parts[(r >> 8) % (sizeof(parts) / sizeof(*parts))];
            size_t pl = strlen(p);
            if (len + pl >= sizeof(text))
                break;
            memcpy(text + len, p, pl);
            len += pl;
        }
        size_t n = az_tokens_fill(fast, text, len), k = 0, pos = 0, a, b;
        while (az_next_token(text, len, &pos, &a, &b)) {
            if (k >= n || fast[k].off != a || fast[k].len != b - a)
                mismatches++;
            k++;
        }
        mismatches += k != n;
        tokens += n;
        size_t max = (size_t)(r % 7);
        mismatches += az_count_words_max(text, len, max) != (n < max ? n : max);
        mismatches += az_count_words(text, len) != n;
    }
    free(fast);
    CHECK_INT(mismatches, 0);
    CHECK(tokens > 100000); /* the texts were not all punctuation */
}

static void test_offsets(void)
{
    const char *text = "é 40 000 a\xC2\xA0" "b";
    az_token *t;
    size_t n;
    CHECK(az_tokenize(&t, &n, text, strlen(text)) == AZ_OK);
    CHECK_INT(n, 5);
    CHECK_INT(t[0].off, 0);
    CHECK_INT(t[0].len, 2);
    CHECK_INT(t[1].off, 3);
    CHECK_INT(t[2].off, 6);
    CHECK_INT(t[4].off, 13);
    free(t);
}

static void test_fold(void)
{
    char *f;
    size_t n;
    CHECK(az_fold(&f, &n, "Kerry", 5) == AZ_OK);
    CHECK_STR(f, "kerry");
    free(f);
    CHECK(az_fold(&f, &n, "Ukraine’s", strlen("Ukraine’s")) == AZ_OK);
    CHECK_STR(f, "ukraine's");
    free(f);
    CHECK(az_fold(&f, &n, "CAFÉ", strlen("CAFÉ")) == AZ_OK);
    CHECK_STR(f, "cafe");
    free(f);
    CHECK(az_fold(&f, &n, "ﬁnal", strlen("ﬁnal")) == AZ_OK); /* fi ligature */
    CHECK_STR(f, "final");
    free(f);
}

static void test_utf8(void)
{
    size_t bad = 0;
    CHECK(az_utf8_check("plain ascii text here", 21, &bad) == AZ_OK);
    CHECK(az_utf8_check("caf\xC3\xA9", 5, &bad) == AZ_OK);
    CHECK(az_utf8_check("abcdefghij\xFFxyz", 14, &bad) == AZ_EINPUT);
    CHECK_INT(bad, 10);
    CHECK(az_utf8_check("abc\0def", 7, &bad) == AZ_EINPUT);
    CHECK_INT(bad, 3);
    CHECK(az_utf8_check("\xED\xA0\x80", 3, &bad) == AZ_EINPUT); /* surrogate */
    CHECK(az_utf8_check("\xC3", 1, &bad) == AZ_EINPUT);           /* truncated */
    CHECK(az_utf8_check("", 0, &bad) == AZ_OK);
    /* Past the 16- and 8-byte fast paths, each offset of a bad byte. */
    char buf[80];
    for (size_t at = 0; at < 70; at++) {
        memset(buf, 'a', sizeof(buf));
        buf[at] = '\0';
        CHECK(az_utf8_check(buf, sizeof(buf), &bad) == AZ_EINPUT && bad == at);
        buf[at] = (char)0xFF;
        CHECK(az_utf8_check(buf, sizeof(buf), &bad) == AZ_EINPUT && bad == at);
        buf[at] = (char)0xC3; /* a good two-byte sequence */
        buf[at + 1] = (char)0xA9;
        CHECK(az_utf8_check(buf, sizeof(buf), &bad) == AZ_OK);
    }
}

static void test_collapse(void)
{
    az_buf b = AZ_BUF_INIT;
    CHECK(az_buf_put_collapsed(&b, "  a \t\n b\xC2\xA0\xC2\xA0" "c\xE2\x80\xAF" "d  ", 19) == AZ_OK);
    CHECK(az_buf_cstr(&b) == AZ_OK);
    CHECK_STR(b.ptr, "a b c d");
    az_buf_free(&b);
}

int main(void)
{
    test_tokens();
    test_block_scanner();
    test_offsets();
    test_fold();
    test_utf8();
    test_collapse();
    return check_exit();
}
