/* The plain-text cleaner: tracker pages, debris, nags, captions, header
 * lines, credits, and exact offsets back into the input. */
#include "az_priv.h"
#include "check.h"

#include <stdlib.h>

static az_ctx *ctx;

/* Clean `raw`; the caller frees with az_extract_free(). Checks that every
 * paragraph is byte-identical to the input at its src_off. */
static void clean(az_extract *x, const char *raw)
{
    az_extract_init(x);
    CHECK(az_clean_text(ctx, x, raw, strlen(raw)) == AZ_OK);
    for (size_t i = 0; i < x->npara; i++) {
        const az_para *p = &x->paras[i];
        CHECK(p->src_off != SIZE_MAX);
        CHECK(memcmp(x->text.ptr + p->off, raw + p->src_off, p->len) == 0);
        uint32_t line = 1;
        for (size_t k = 0; k < p->src_off; k++)
            line += raw[k] == '\n';
        CHECK_INT(p->line, line);
    }
    az_buf_cstr(&x->text);
}

static bool has(const az_extract *x, const char *needle)
{
    return x->text.ptr && strstr(x->text.ptr, needle) != NULL;
}

static void test_tracker(void)
{
    az_extract x;
    clean(&x,
          "This article is from the source 'harbour' and was first published or seen on .\n\n"
          "You can find the current article at its original source at https://harbour.example/news/storm-hits-coast-123.html\n\n"
          "The article has changed 3 times. There is an RSS feed of changes available.\n\n"
          "Version 0 Version 1 Version 2\n"
          "Storm hits coast Storm hits coast, 12 dead\n"
          "(about 4 hours later)\n"
          "A storm struck the coast of Westmark on Monday, officials said, flooding roads.\n");
    CHECK_INT(x.versions, 3);
    CHECK(has(&x, "A storm struck the coast"));
    CHECK(!has(&x, "RSS feed"));
    CHECK(!has(&x, "hours later"));
    CHECK(!has(&x, "Version 0"));
    CHECK_STR(x.found[AZ_META_URL].value, "https://harbour.example/news/storm-hits-coast-123.html");
    CHECK_STR(x.found[AZ_META_OUTLET].value, "harbour.example");
    CHECK_INT(x.stats[AZ_CLEAN_CHANGE_TRACKER].items, 5);
    az_extract_free(&x);
}

static void test_debris_and_header(void)
{
    az_extract x;
    clean(&x,
          ".a{color:red;margin:0}.b{display:none}@media(min-width:9px){.c{x:1}}\n"
          "THE HARBOUR POST\n"
          "Storm batters Westmark coast as thousands flee\n"
          "By Ada Lindqvist, Weather Correspondent\n"
          "Monday 3 February 2031 07:15 GMT\n"
          "Stay up to date with notifications from the Post. Manage notifications in your browser.\n"
          "Not now Yes please\n"
          "A storm struck the coast of Westmark on Monday, flooding the harbour road.\n"
          "Tap to read full story\n"
          "Ferries were cancelled and schools closed, the port authority said.\n"
          "[Harbour Wire]\n"
          "Comments\n");
    CHECK(!has(&x, "color:red"));
    CHECK(!has(&x, "notifications"));
    CHECK(!has(&x, "Not now"));
    CHECK(!has(&x, "Tap to read"));
    CHECK(!has(&x, "Comments"));
    CHECK(has(&x, "[Harbour Wire]"));
    CHECK_INT(x.npara, 3);
    CHECK_STR(x.found[AZ_META_OUTLET].value, "THE HARBOUR POST");
    CHECK_STR(x.found[AZ_META_OUTLET].how, "masthead");
    CHECK_STR(x.found[AZ_META_TITLE].value, "Storm batters Westmark coast as thousands flee");
    CHECK_STR(x.found[AZ_META_AUTHOR].value, "Ada Lindqvist");
    CHECK_STR(x.found[AZ_META_PUBLISHED].value, "2031-02-03");
    CHECK_INT(x.found[AZ_META_PUBLISHED].line, 5);
    CHECK_INT(x.stats[AZ_CLEAN_CSS_DEBRIS].items, 1);
    az_extract_free(&x);
}

static void test_nag_block(void)
{
    az_extract x;
    clean(&x,
          "Rescue teams reached the island of Korrin on Tuesday after the storm passed.\n"
          "Your browser is out of date. Please update your browser to keep reading.\n"
          "Dear Post Reader,\n"
          "Great journalism costs money. One of the ways we pay for it is advertising.\n"
          "The Post is read by millions. Consider turning your ad blocker off so we can continue.\n"
          "The Post Team\n");
    CHECK(has(&x, "Rescue teams reached"));
    CHECK(!has(&x, "browser"));
    CHECK(!has(&x, "Dear Post Reader"));
    CHECK(!has(&x, "read by millions"));
    CHECK(!has(&x, "Post Team"));
    CHECK_INT(x.npara, 1);
    az_extract_free(&x);

    /* An appeal glued to the article by a "Read more" button. */
    clean(&x,
          "Independent reporting costs money. Your donation keeps our reporters in Korrin. "
          "Support us Read more The ferry to Korrin resumed on Wednesday morning, the operator said.\n");
    CHECK(has(&x, "The ferry to Korrin resumed"));
    CHECK(!has(&x, "donation"));
    CHECK(!has(&x, "Read more"));
    az_extract_free(&x);

    /* We/our inside attributed speech is not a nag. */
    clean(&x,
          "The mayor said we must support our readers and our website staff during the storm.\n");
    CHECK(has(&x, "The mayor said"));
    az_extract_free(&x);

    /* One long line, as JSON Lines articles often are: words of appeals
     * that cannot make a nag ("we", "our") and names that share a chrome
     * phrase's first letters ("Shia", "Most") leave it whole, one
     * paragraph; a button glued further on is still cut, and the nag
     * before it dropped. */
    const char *whole = "Shia militias moved into Mosul on Monday. \"We will hold our "
                        "positions,\" a commander told reporters. Most residents stayed "
                        "indoors as the shelling went on.";
    clean(&x, whole);
    CHECK_INT(x.npara, 1);
    CHECK(x.text.ptr && strcmp(x.text.ptr, whole) == 0);
    az_extract_free(&x);
    clean(&x,
          "Shia militias moved into Mosul on Monday. Most residents stayed indoors. "
          "Your donation keeps our reporters here. Support us Read more The ferry "
          "resumed on Wednesday, the operator said.\n");
    CHECK(has(&x, "Shia militias moved into Mosul on Monday."));
    CHECK(has(&x, "The ferry resumed on Wednesday"));
    CHECK(!has(&x, "donation"));
    CHECK(!has(&x, "Read more"));
    az_extract_free(&x);
    /* More scoring words in a line than are kept for it (MAX_HITS): its
     * sentences are scored one by one, with the same result. */
    {
        const char *tail = "The ferry resumed on Wednesday, the operator said.\n";
        size_t reps = 40000, n = reps * 8 + 8 + strlen(tail);
        char *big = malloc(n + 1), *p = big;
        CHECK(big != NULL);
        for (size_t k = 0; big && k < reps; k++, p += 8)
            memcpy(p, k ? "our app " : "Our app ", 8);
        if (big) {
            memcpy(p, "update. ", 8);
            strcpy(p + 8, tail);
            clean(&x, big);
            CHECK_INT(x.npara, 1);
            CHECK(has(&x, "The ferry resumed on Wednesday"));
            CHECK(!has(&x, "our app"));
            az_extract_free(&x);
        }
        free(big);
    }
    /* The button alone, with no word of an appeal in the line. */
    clean(&x, "Residents stayed indoors. Read more The ferry resumed on "
              "Wednesday, the operator said.\n");
    CHECK(has(&x, "Residents stayed indoors."));
    CHECK(has(&x, "The ferry resumed on Wednesday"));
    CHECK(!has(&x, "Read more"));
    az_extract_free(&x);
}

static void test_caption(void)
{
    az_extract x;
    clean(&x,
          "Storm batters Westmark coast\n"
          "Lena Falk/Pool—Harbour Wire Waves break over the sea wall in Westmark, February 3, 2031.\n"
          "open image in gallery\n"
          "Residents watch the water rise in Korrin (Harbour Wire/Getty) The storm moved east overnight, the weather office said.\n"
          "More rain is expected on Thursday, forecasters warned on Wednesday evening.\n");
    CHECK(!has(&x, "Waves break"));
    CHECK(!has(&x, "Residents watch"));
    CHECK(has(&x, "The storm moved east overnight"));
    CHECK(has(&x, "More rain is expected"));
    CHECK(x.stats[AZ_CLEAN_CAPTION].items >= 2);
    az_extract_free(&x);
}

static void test_ugc_header(void)
{
    az_extract x;
    clean(&x,
          "About this post\n"
          "  \xE2\x80\xA2 Not verified by Harbourcast\n"
          "  \xE2\x80\xA2 Click to view seagull42's profile\n"
          "    Posted February 3, 2031 by seagull42\n"
          "    Korrin, Westmark\n"
          "    More from seagull42\n"
          "    Water everywhere in Korrin\n\n"
          "    The water came up the hill faster than anyone expected and the road is gone now.\n"
          "    Add your Story Add your Story\n");
    CHECK_STR(x.found[AZ_META_PUBLISHED].value, "2031-02-03");
    CHECK_STR(x.found[AZ_META_PUBLISHED].how, "posted-line");
    CHECK_STR(x.found[AZ_META_AUTHOR].value, "seagull42");
    CHECK_STR(x.found[AZ_META_TITLE].value, "Water everywhere in Korrin");
    CHECK_INT(x.npara, 1);
    CHECK(has(&x, "The water came up the hill"));
    az_extract_free(&x);
}

static void test_sentences(void)
{
    az_extract x;
    /* Abbreviations do not end sentences, so "Mr. Holm" stays whole and the
     * nag after it is the only thing cut. */
    clean(&x,
          "Mr. Holm of the U.S. Coast Guard arrived at 9 a.m. on Monday. "
          "Subscribe to our newsletter for your daily storm briefing. "
          "Dr. Ruiz stayed in Korrin.\n");
    CHECK(has(&x, "Mr. Holm of the U.S. Coast Guard arrived at 9 a.m. on Monday."));
    CHECK(has(&x, "Dr. Ruiz stayed in Korrin."));
    CHECK(!has(&x, "newsletter"));
    CHECK_INT(x.npara, 2);
    az_extract_free(&x);
}

int main(void)
{
    CHECK(az_ctx_new(&ctx, NULL) == AZ_OK);
    test_tracker();
    test_debris_and_header();
    test_nag_block();
    test_caption();
    test_ugc_header();
    test_sentences();
    az_ctx_free(ctx);
    return check_exit();
}
