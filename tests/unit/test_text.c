/* Tokenizer offsets, folding, UTF-8 checks and whitespace collapsing. */
#include "az_priv.h"
#include "check.h"

#include <stdlib.h>

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
    test_offsets();
    test_fold();
    test_utf8();
    test_collapse();
    return check_exit();
}
