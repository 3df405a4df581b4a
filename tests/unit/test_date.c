/* Dates in the forms news pages print them. */
#include "az_priv.h"
#include "check.h"

static const char *parse(const char *s, char out[11])
{
    size_t n = az_date_parse(s, strlen(s), out);
    return n ? out : NULL;
}

int main(void)
{
    char d[11];
    CHECK_STR(parse("2014-03-30", d), "2014-03-30");
    CHECK_STR(parse("2014-03-30T19:51:00Z", d), "2014-03-30");
    CHECK_STR(parse("2022/01/21", d), "2022-01-21");
    CHECK_STR(parse("March 30, 2014", d), "2014-03-30");
    CHECK_STR(parse("Mar. 30 2014", d), "2014-03-30");
    CHECK_STR(parse("Sept 3, 2019", d), "2019-09-03");
    CHECK_STR(parse("30 March 2014", d), "2014-03-30");
    CHECK_STR(parse("30th March, 2014", d), "2014-03-30");
    CHECK_STR(parse("Tuesday 11 January 2022 19:51 GMT", d), "2022-01-11");
    CHECK_STR(parse("Tue, 11 Jan 2022", d), "2022-01-11");
    CHECK_STR(parse("29 February 2024", d), "2024-02-29");
    /* refused: ambiguous, impossible, or not dates */
    CHECK(parse("03/04/2014", d) == NULL);
    CHECK(parse("29 February 2023", d) == NULL);
    CHECK(parse("31 April 2014", d) == NULL);
    CHECK(parse("2014-13-01", d) == NULL);
    CHECK(parse("March 2014", d) == NULL);
    CHECK(parse("40,000 troops", d) == NULL);
    CHECK(parse("May be", d) == NULL);
    CHECK(parse("Marching 30, 2014", d) == NULL);
    CHECK(parse("1 January 1850", d) == NULL);
    CHECK(parse("20140330", d) == NULL);

    size_t dlen = 0;
    const char *line = "Posted March 30, 2014 by kerkko5";
    size_t at = az_date_find(line, strlen(line), d, &dlen);
    CHECK_INT(at, 7);
    CHECK_INT(dlen, 14);
    CHECK_STR(d, "2014-03-30");
    line = "updated 14 April 2031, 16:48 | Updated 17:30";
    CHECK_INT(az_date_find(line, strlen(line), d, &dlen), 8);
    CHECK_STR(d, "2031-04-14");
    line = "no date in 12,000 homes";
    CHECK(az_date_find(line, strlen(line), d, &dlen) == SIZE_MAX);
    return check_exit();
}
