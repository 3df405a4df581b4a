/* Credits as provenance reads them (credit.c): the origin's name or
 * initials as written, agency names in any case, abbreviations only as
 * written, whole words only, the first name of the list winning, and
 * agency datelines. */
#include "az_priv.h"
#include "check.h"

#include <string.h>

/* The credit found in text for origin, "" when none. */
static const char *credit(const char *text, const char *origin)
{
    const char *what = NULL;
    return az_credit_find(text, strlen(text), origin, &what) ? what : "";
}

static void test_agencies(void)
{
    CHECK_STR(credit("Talks resume. (reporting by REUTERS)", NULL), "Reuters");
    CHECK_STR(credit("the associated press said", NULL), "Associated Press");
    CHECK_STR(credit("Officials met (AP).", NULL), "AP");
    /* Abbreviations count only as written, and only as whole words. */
    CHECK_STR(credit("They were apart; the map showed it.", NULL), "");
    CHECK_STR(credit("Rapid APs and AFPX codes.", NULL), "");
    CHECK_STR(credit("Reutersville council met.", NULL), "");
    CHECK_STR(credit("government agencies said", NULL), "");
    CHECK_STR(credit("Agencies contributed to this report", NULL), "Agencies");
    /* The first of the list wins, wherever each is in the text. */
    CHECK_STR(credit("AFP first, then Reuters.", NULL), "Reuters");
    CHECK_STR(credit("UPI and dpa and TASS", NULL), "UPI");
    CHECK_STR(credit("TASS", NULL), "TASS");
    CHECK_STR(credit("via dpa", NULL), "dpa");
    CHECK_STR(credit("via Dpa", NULL), "");
    /* A two-letter name at the very end, and names that start a text. */
    CHECK_STR(credit("Reporting by PA", NULL), "PA");
    CHECK_STR(credit("PA", NULL), "PA");
    CHECK_STR(credit("PAs", NULL), "");
    CHECK_STR(credit("pa media reported", NULL), "PA Media");
    CHECK_STR(credit("Interfax, citing officials", NULL), "Interfax");
    CHECK_STR(credit("in the international press", NULL), "");
    CHECK_STR(credit("MOSCOW (TASS) \xE2\x80\x94 Talks", "Other"), "TASS");
    CHECK_STR(credit("Words (not a credit) - and MOSCOW (XYZ) - talks", "Other"),
              "agency dateline");
}

static void test_origin_and_dateline(void)
{
    CHECK_STR(credit("As Meridian Press Agency reported, the talks...",
                     "Meridian Press Agency"), "Meridian Press Agency");
    CHECK_STR(credit("(MPA) The talks ...", "Meridian Press Agency"),
              "Meridian Press Agency");
    /* Names as written: the magazine, not the word. */
    CHECK_STR(credit("At the time, officials said.", "TIME"), "");
    CHECK_STR(credit("GENEVA (XYZ) - Officials met.", "Other Outlet"), "agency dateline");
    CHECK(az_credit_names("copy from The Lanmoor Courier", 30, "Lanmoor Courier"));
    CHECK(!az_credit_names("copy from The Lanmoor", 21, "Lanmoor Courier"));
}

int main(void)
{
    test_agencies();
    test_origin_and_dateline();
    return check_exit();
}
