/*
 * test_html.c - az_clean_html on small pages: what is kept, in which order,
 * what is dropped, the metadata found, and pathological input.
 */
#include "az_priv.h"
#include "check.h"

#include <stdlib.h>
#include <string.h>

/* Three paragraphs long enough to read as prose. */
#define P1 "Kerry and Lavrov met in Paris on Sunday, and the talks lasted " \
           "four hours, officials said, without a breakthrough on Ukraine."
#define P2 "Russia has massed some 40,000 troops near the border, according " \
           "to U.S. officials, who called the build-up a threat to the region."
#define P3 "Both sides said they would meet again, though neither gave a " \
           "date, and the Kremlin repeated that it had no plan to invade."

static az_ctx *ctx;

/* Clean `html`; the result stays in *x (caller frees). */
static az_status clean(az_extract *x, const char *html)
{
    az_extract_init(x);
    return az_clean_html(ctx, x, html, strlen(html), "test.html");
}

static const char *para(const az_extract *x, size_t i, char *buf, size_t cap)
{
    if (i >= x->npara)
        return NULL;
    size_t n = x->paras[i].len < cap - 1 ? x->paras[i].len : cap - 1;
    memcpy(buf, x->text.ptr + x->paras[i].off, n);
    buf[n] = '\0';
    return buf;
}

static bool text_has(const az_extract *x, const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i + n <= x->text.len; i++)
        if (memcmp(x->text.ptr + i, s, n) == 0)
            return true;
    return false;
}

static void test_main_text(void)
{
    static const char page[] =
        "<!DOCTYPE html><html><head><title>T</title>\n"
        "<script>var junk = 'script text';</script>\n"
        "<style>.a{color:red}</style></head><body>\n"
        "<header><a href=/>Home</a> <a href=/world>World</a></header>\n"
        "<nav><ul><li><a href=/a>Politics section</a></li></ul></nav>\n"
        "<div class=\"cookie-banner\">We use cookies to improve your "
        "experience, and by continuing you accept our cookie policy.</div>\n"
        "<article>\n"
        "<h1>Talks in Paris</h1>\n"
        "<p>" P1 "</p>\n"
        "<div style=\"display: none\">Hidden by style, never shown.</div>\n"
        "<p>" P2 "<span hidden>hidden span</span></p>\n"
        "<div aria-hidden=\"true\">Hidden from readers by aria.</div>\n"
        "<p>" P3 "</p>\n"
        "</article>\n"
        "<aside>Most read: an aside with a long teaser that is not part of "
        "the article, and should never be kept.</aside>\n"
        "<footer>Copyright 2014, the newspaper, all rights reserved, and "
        "more legal text in the footer.</footer>\n"
        "</body></html>\n";
    az_extract x;
    char buf[512];
    CHECK_INT(clean(&x, page), AZ_OK);
    CHECK_INT(x.npara, 3);
    CHECK_STR(para(&x, 0, buf, sizeof(buf)), P1);
    CHECK_STR(para(&x, 1, buf, sizeof(buf)), P2);
    CHECK_STR(para(&x, 2, buf, sizeof(buf)), P3);
    CHECK(!text_has(&x, "script text"));
    CHECK(!text_has(&x, "cookie"));
    CHECK(!text_has(&x, "Hidden"));
    CHECK(!text_has(&x, "hidden span"));
    CHECK(!text_has(&x, "Politics"));
    CHECK(!text_has(&x, "Copyright"));
    CHECK(!text_has(&x, "Most read"));
    CHECK(x.stats[AZ_CLEAN_HTML_HIDDEN].items >= 8);
    CHECK(x.stats[AZ_CLEAN_HTML_EXTRACT].items >= 2); /* cookie banner, h1 */
    /* Paragraphs carry the line of the source they came from. */
    CHECK_INT(x.paras[0].line, 9);
    CHECK_INT(x.paras[2].line, 13);
    CHECK(x.paras[0].src_off == SIZE_MAX);
    az_extract_free(&x);
}

static void test_entities_and_blocks(void)
{
    static const char page[] =
        "<html><body><div class=\"story-body\">"
        "<p>Caf&eacute; owners &amp; diplomats met &#8220;in private&#8221;, "
        "the ministry&#x2019;s spokesman said on Sunday, adding nothing "
        "else.</p>"
        "<h2>A subheading</h2>"
        "<p>First line of a poem, long enough to count as prose here,"
        "<br>and its second line, which also goes on for a while longer.</p>"
        "<ul><li>one item in a list of things</li><li>another item</li></ul>"
        "<table><tr><td>1</td><td>Kyle Busch</td><td>5040</td></tr></table>"
        "<p>A closing paragraph that is long enough to be counted as the "
        "prose of the article, with a comma or two, of course.</p>"
        "</div></body></html>";
    az_extract x;
    char buf[512];
    CHECK_INT(clean(&x, page), AZ_OK);
    CHECK_STR(para(&x, 0, buf, sizeof(buf)),
              "Caf\xC3\xA9 owners & diplomats met \xE2\x80\x9Cin private"
              "\xE2\x80\x9D, the ministry\xE2\x80\x99s spokesman said on "
              "Sunday, adding nothing else.");
    CHECK_STR(para(&x, 1, buf, sizeof(buf)), "A subheading");
    /* <br> ends a paragraph; list items and table rows are one each. */
    CHECK_STR(para(&x, 3, buf, sizeof(buf)),
              "and its second line, which also goes on for a while longer.");
    CHECK_STR(para(&x, 4, buf, sizeof(buf)), "one item in a list of things");
    CHECK_STR(para(&x, 6, buf, sizeof(buf)), "1 Kyle Busch 5040");
    CHECK_INT(x.npara, 8);
    az_extract_free(&x);
}

static void test_broken_markup(void)
{
    static const char page[] =
        "<html><body><div id=content><p>" P1 "<p>" P2 "</span></b>"
        "<div><p>" P3 "<p><i>unclosed italics and a tail that runs on"
        " AT&T more, with a bare ampersand";
    az_extract x;
    CHECK_INT(clean(&x, page), AZ_OK);
    CHECK(text_has(&x, P1));
    CHECK(text_has(&x, P2));
    CHECK(text_has(&x, P3));
    CHECK(text_has(&x, "AT&T more"));
    CHECK(az_utf8_check(x.text.ptr, x.text.len, NULL) == AZ_OK);
    az_extract_free(&x);
}

static void test_metadata(void)
{
    static const char page[] =
        "<html><head>\n"
        "<title>Talks in Paris | The Paper</title>\n"
        "<meta property=\"og:title\" content=\"Kerry and Lavrov meet\">\n"
        "<meta property=\"og:site_name\" content=\"The Paper\">\n"
        "<link rel=\"canonical\" href=\"https://example.com/news/1\">\n"
        "<meta property=\"og:url\" content=\"https://example.com/og\">\n"
        "<meta property=\"article:published_time\" "
        "content=\"2014-03-30T10:00:00Z\">\n"
        "<meta name=\"author\" content=\"Jane Smith\">\n"
        "</head><body><article><p>" P1 "</p></article></body></html>\n";
    az_extract x;
    CHECK_INT(clean(&x, page), AZ_OK);
    CHECK_STR(x.found[AZ_META_TITLE].value, "Kerry and Lavrov meet");
    CHECK_STR(x.found[AZ_META_TITLE].how, "html-og-title");
    CHECK_INT(x.found[AZ_META_TITLE].line, 3);
    CHECK_STR(x.found[AZ_META_OUTLET].value, "The Paper");
    CHECK_STR(x.found[AZ_META_URL].value, "https://example.com/news/1");
    CHECK_STR(x.found[AZ_META_PUBLISHED].value, "2014-03-30");
    CHECK_STR(x.found[AZ_META_AUTHOR].value, "Jane Smith");
    az_extract_free(&x);

    /* Fallbacks: the article's h1, og:url, <time>, a byline. */
    static const char page2[] =
        "<html><head><title>Site title</title>"
        "<meta property=\"og:url\" content=\"https://example.com/og\">"
        "<meta property=\"article:author\" "
        "content=\"https://facebook.com/someone\"></head><body>"
        "<h1>Navigation heading</h1>"
        "<div class=\"story\"><h1>The real headline</h1>"
        "<div class=\"byline\">By John Doe</div>"
        "<time datetime=\"2022-01-11T19:51:00+00:00\">Tuesday</time>"
        "<p>" P2 "</p><p>" P3 "</p></div></body></html>";
    CHECK_INT(clean(&x, page2), AZ_OK);
    CHECK_STR(x.found[AZ_META_TITLE].value, "The real headline");
    CHECK_STR(x.found[AZ_META_TITLE].how, "html-h1");
    CHECK_STR(x.found[AZ_META_URL].value, "https://example.com/og");
    CHECK_STR(x.found[AZ_META_PUBLISHED].value, "2022-01-11");
    CHECK_STR(x.found[AZ_META_AUTHOR].value, "John Doe");
    CHECK(!text_has(&x, "The real headline"));
    az_extract_free(&x);

    static const char page3[] =
        "<html><head><title>Only a title</title></head><body><p>" P1
        "</p></body></html>";
    CHECK_INT(clean(&x, page3), AZ_OK);
    CHECK_STR(x.found[AZ_META_TITLE].value, "Only a title");
    CHECK_STR(x.found[AZ_META_TITLE].how, "html-title");
    CHECK(x.found[AZ_META_PUBLISHED].value == NULL);
    az_extract_free(&x);
}

static void test_empty(void)
{
    static const char *const pages[] = {
        "",
        "<html><head><title>x</title></head><body></body></html>",
        "<html><body><script>document.write('hi')</script>"
        "<div style='display:none'>secret</div></body></html>",
        "   \n\t ",
        "<!-- only a comment -->",
    };
    for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
        az_extract x;
        CHECK_INT(clean(&x, pages[i]), AZ_EEMPTY);
        CHECK(strstr(az_ctx_last_error(ctx), "test.html: no article text "
                                              "found in HTML") != NULL);
        CHECK_INT(x.npara, 0);
        az_extract_free(&x);
    }
}

static void test_encodings(void)
{
    az_extract x;
    /* No declaration, not UTF-8: read as windows-1252. */
    CHECK_INT(clean(&x, "<p>Caf\xE9 \x93quoted\x94 \x80 5, "
                        "and a byte with no character: \x81.</p>"), AZ_OK);
    CHECK(text_has(&x, "Caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D "
                       "\xE2\x82\xAC"));
    CHECK(text_has(&x, "\xEF\xBF\xBD."));
    CHECK(az_utf8_check(x.text.ptr, x.text.len, NULL) == AZ_OK);
    az_extract_free(&x);

    /* A declared charset is used. */
    CHECK_INT(clean(&x, "<html><head><meta charset=\"iso-8859-1\"></head>"
                        "<body><p>Z\xFCrich</p></body></html>"), AZ_OK);
    CHECK(text_has(&x, "Z\xC3\xBCrich"));
    az_extract_free(&x);

    /* Valid UTF-8 without a declaration stays as it is; NUL bytes do not
     * end the page. */
    static const char nul[] = "<p>Gen\xC3\xA8ve\0 and after the NUL</p>";
    az_extract_init(&x);
    CHECK_INT(az_clean_html(ctx, &x, nul, sizeof(nul) - 1, "nul.html"), AZ_OK);
    CHECK(text_has(&x, "and after the NUL"));
    CHECK(az_utf8_check(x.text.ptr, x.text.len, NULL) == AZ_OK);
    az_extract_free(&x);
}

/* `depth` nested <div>s around one paragraph: must neither crash nor
 * overflow the stack, and ends with AZ_OK or AZ_EEMPTY. */
static void test_deep(size_t depth)
{
    az_buf b = AZ_BUF_INIT;
    for (size_t i = 0; i < depth; i++)
        az_buf_puts(&b, i % 2 ? "<div>" : "<span><b>");
    az_buf_puts(&b, "<p>" P1 "</p>");
    for (size_t i = 0; i < depth; i++)
        az_buf_puts(&b, i % 2 ? "</div>" : "</b></span>");
    CHECK(b.ptr != NULL);
    az_extract x;
    az_extract_init(&x);
    az_status st = az_clean_html(ctx, &x, b.ptr, b.len, "deep.html");
    CHECK(st == AZ_OK || st == AZ_EEMPTY);
    az_extract_free(&x);
    az_buf_free(&b);
}

static void test_deterministic(void)
{
    static const char page[] =
        "<html><body><div class=content><p>" P1 "</p><p>" P2 "</p></div>"
        "<div class=comments><p>" P3 "</p></div></body></html>";
    az_extract a, b;
    CHECK_INT(clean(&a, page), AZ_OK);
    CHECK_INT(clean(&b, page), AZ_OK);
    CHECK_INT(a.text.len, b.text.len);
    CHECK(a.text.len == b.text.len &&
          memcmp(a.text.ptr, b.text.ptr, a.text.len) == 0);
    CHECK(!text_has(&a, P3));
    az_extract_free(&a);
    az_extract_free(&b);
}

int main(void)
{
    if (az_ctx_new(&ctx, NULL) != AZ_OK)
        return 1;
    test_main_text();
    test_entities_and_blocks();
    test_broken_markup();
    test_metadata();
    test_empty();
    test_encodings();
    test_deep(10000);
    test_deep(200000);
    test_deterministic();
    az_ctx_free(ctx);
    return check_exit();
}
