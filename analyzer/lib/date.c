/*
 * date.c - dates as news pages print them, normalised to YYYY-MM-DD.
 *
 * Accepted: ISO 8601 ("2014-03-30", "2014-03-30T19:51:00Z", "2014/03/30"),
 * month-first ("March 30, 2014", "Mar. 30 2014"), day-first ("30 March
 * 2014", "30th March, 2014"), each optionally behind a weekday ("Tuesday 11
 * January 2022", "Tue, 11 Jan 2022"). All-numeric day/month orders
 * ("03/04/2014") are refused: they are ambiguous across outlets, and a wrong
 * date is worse than none. Years outside 1900..2100 are refused.
 */
#include "az_priv.h"

#include <string.h>
#include <strings.h>

static const char *const month_names[12] = {
    "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december"};

static const char *const weekday_names[7] = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday"};

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Length of the alphabetic word at s, 0 if none. */
static size_t word_len(const char *s, size_t len)
{
    size_t n = 0;
    while (n < len && is_alpha(s[n]))
        n++;
    return n;
}

/* Match a full name or its 3-letter abbreviation (and "Sept") against the
 * word s[0..n). Returns the index in `names` or -1. */
static int match_name(const char *s, size_t n, const char *const *names,
                      int count)
{
    if (n < 3)
        return -1;
    for (int i = 0; i < count; i++) {
        size_t full = strlen(names[i]);
        if ((n == full || n == 3 || (n == 4 && i == 8 && count == 12)) &&
            n <= full && strncasecmp(s, names[i], n) == 0)
            return i;
    }
    return -1;
}

/* Skip spaces, and commas/periods when `punct` is set. */
static size_t skip_sep(const char *s, size_t len, size_t i, bool punct)
{
    while (i < len) {
        size_t sp = az_space_len(s + i, len - i);
        if (sp) {
            i += sp;
            continue;
        }
        if (punct && (s[i] == ',' || s[i] == '.')) {
            i++;
            continue;
        }
        break;
    }
    return i;
}

/* Parse up to `max` digits at s[i]; returns digits read (0 when none). */
static size_t read_num(const char *s, size_t len, size_t i, int max, int *v)
{
    size_t n = 0;
    *v = 0;
    while (i + n < len && is_digit(s[i + n]) && (int)n < max) {
        *v = *v * 10 + (s[i + n] - '0');
        n++;
    }
    /* A longer digit run is not this field (a phone number, an id). */
    if (i + n < len && is_digit(s[i + n]))
        return 0;
    return n;
}

static bool valid_ymd(int y, int m, int d)
{
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return false;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return false;
    return true;
}

static size_t emit(char out[11], int y, int m, int d, size_t used)
{
    if (!valid_ymd(y, m, d))
        return 0;
    /* valid_ymd() bounds every field, so the digits fit exactly. */
    const int v[3] = {y, m, d};
    const int w[3] = {4, 2, 2};
    size_t o = 0;
    for (int f = 0; f < 3; f++) {
        if (f)
            out[o++] = '-';
        for (int k = w[f] - 1, x = v[f]; k >= 0; k--, x /= 10)
            out[o + (size_t)k] = (char)('0' + x % 10);
        o += (size_t)w[f];
    }
    out[o] = '\0';
    return used;
}

/* "2014-03-30" or "2014/03/30", with an optional ISO time after 'T'. */
static size_t parse_iso(const char *s, size_t len, char out[11])
{
    int y, m, d;
    if (read_num(s, len, 0, 4, &y) != 4 || len < 10)
        return 0;
    char sep = s[4];
    if ((sep != '-' && sep != '/') || s[7] != sep)
        return 0;
    if (read_num(s, len, 5, 2, &m) != 2 || read_num(s, len, 8, 2, &d) != 2)
        return 0;
    size_t i = 10;
    if (i < len && (s[i] == 'T' || s[i] == 't') && i + 1 < len && is_digit(s[i + 1]))
        while (i < len && !az_is_space_ascii((unsigned char)s[i]) && s[i] != '"' && s[i] != '<')
            i++;
    else if (i < len && (is_alpha(s[i]) || is_digit(s[i])))
        return 0;
    return emit(out, y, m, d, i);
}

/* Day number with an optional English ordinal suffix; returns bytes. */
static size_t read_day(const char *s, size_t len, size_t i, int *d)
{
    size_t n = read_num(s, len, i, 2, d);
    if (!n)
        return 0;
    size_t w = word_len(s + i + n, len - i - n);
    if (w == 2 && (strncasecmp(s + i + n, "st", 2) == 0 ||
                   strncasecmp(s + i + n, "nd", 2) == 0 ||
                   strncasecmp(s + i + n, "rd", 2) == 0 ||
                   strncasecmp(s + i + n, "th", 2) == 0))
        n += 2;
    else if (w)
        return 0;
    return n;
}

/* A year of four digits at s[i]; returns bytes. */
static size_t read_year(const char *s, size_t len, size_t i, int *y)
{
    size_t n = read_num(s, len, i, 4, y);
    if (n != 4)
        return 0;
    if (i + n < len && is_alpha(s[i + n]))
        return 0;
    return n;
}

/* Month-first or day-first with a month name, at s (no weekday). */
static size_t parse_named(const char *s, size_t len, char out[11])
{
    int y, m, d;
    size_t w = word_len(s, len), i, n;
    if (w) {
        /* March 30, 2014 */
        if ((m = match_name(s, w, month_names, 12)) < 0)
            return 0;
        i = skip_sep(s, len, w, true);
        if (!(n = read_day(s, len, i, &d)))
            return 0;
        i = skip_sep(s, len, i + n, true);
        if (!(n = read_year(s, len, i, &y)))
            return 0;
        return emit(out, y, m + 1, d, i + n);
    }
    /* 30 March 2014 */
    if (!(n = read_day(s, len, 0, &d)))
        return 0;
    i = skip_sep(s, len, n, false);
    if (i < len && s[i] == '-')
        i++;
    w = word_len(s + i, len - i);
    if ((m = match_name(s + i, w, month_names, 12)) < 0)
        return 0;
    i = skip_sep(s, len, i + w, true);
    if (i < len && s[i] == '-')
        i++;
    if (!(n = read_year(s, len, i, &y)))
        return 0;
    return emit(out, y, m + 1, d, i + n);
}

size_t az_date_parse(const char *s, size_t len, char out[11])
{
    size_t n = parse_iso(s, len, out);
    if (n)
        return n;
    size_t w = word_len(s, len);
    if (w && match_name(s, w, weekday_names, 7) >= 0) {
        size_t i = skip_sep(s, len, w, true);
        n = parse_named(s + i, len - i, out);
        return n ? i + n : 0;
    }
    return parse_named(s, len, out);
}

size_t az_date_find(const char *s, size_t len, char out[11], size_t *dlen)
{
    for (size_t i = 0; i < len; i++) {
        if (i > 0 && (is_alpha(s[i - 1]) || is_digit(s[i - 1])))
            continue;
        if (!is_alpha(s[i]) && !is_digit(s[i]))
            continue;
        size_t n = az_date_parse(s + i, len - i, out);
        if (n) {
            if (dlen)
                *dlen = n;
            return i;
        }
    }
    return SIZE_MAX;
}
