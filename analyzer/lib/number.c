/*
 * number.c - numbers as news writes them, read from a token stream.
 *
 * The tokenizer (text.c) has already cut the text: "40,000", "1.5",
 * "2.3bn", "20-30" and "twenty-three" are single tokens, "40 000" is two.
 * az_number_at() reads the longest number starting at token i:
 *
 *   numerals      40,000  1.5  40 000 (space, no-break or thin space
 *                 between groups of three)  1.500.000  40.000 (see below)
 *   suffixes      10k  3m  2.3bn  75mln (a token's own letters)
 *   scale words   1.5 million, 75 mln, 2.3 billion, 10 thousand
 *   spelled out   eleven, twenty-three, two hundred and fifty, forty
 *                 thousand, a dozen, a hundred, half a million
 *   vague         a few, dozens, scores, hundreds, thousands, tens of
 *                 thousands, hundreds of thousands, millions
 *
 * It reports the value, the tokens used, and what the caller needs to
 * judge the number in context: a vague floor, a '.ddd' group that is a
 * thousands separator only for a count, an ordinal or unit suffix. All
 * words are compared in ASCII lower case.
 */
#include "az_priv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Token t of the text equals the lower-case word w. */
bool az_tok_is(const char *text, const az_token *t, const char *w)
{
    /* The first letter rejects almost every call before strlen(). */
    unsigned char c = (unsigned char)text[t->off];
    if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != (unsigned char)w[0])
        return false;
    size_t n = strlen(w);
    return t->len == n && strncasecmp(text + t->off, w, n) == 0;
}

static const char *const small[] = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
    "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen",
    "sixteen", "seventeen", "eighteen", "nineteen"};
static const char *const tens[] = {
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy",
    "eighty", "ninety"};

static const struct {
    const char *word;
    double scale;
} scales[] = {
    {"hundred", 1e2}, {"thousand", 1e3}, {"million", 1e6}, {"mln", 1e6},
    {"mn", 1e6}, {"billion", 1e9}, {"bn", 1e9}, {"trillion", 1e12},
};

/* Value of a spelled word below 100 in s[0, n) ("seven", "forty",
 * "twenty-three"), or -1. */
static double word_value(const char *s, size_t n)
{
    for (size_t k = 0; k < sizeof(small) / sizeof(*small); k++)
        if (strlen(small[k]) == n && strncasecmp(s, small[k], n) == 0)
            return (double)k;
    for (size_t k = 2; k < 10; k++) {
        size_t l = strlen(tens[k]);
        if (n == l && strncasecmp(s, tens[k], l) == 0)
            return (double)(10 * k);
        if (n > l + 1 && strncasecmp(s, tens[k], l) == 0 && s[l] == '-') {
            for (size_t u = 1; u < 10; u++)
                if (n - l - 1 == strlen(small[u]) &&
                    strncasecmp(s + l + 1, small[u], n - l - 1) == 0)
                    return (double)(10 * k + u);
        }
    }
    return -1;
}

/* The scale of a scale word ("million" -> 1e6), 0 if it is none. */
double az_scale_word(const char *text, const az_token *t)
{
    for (size_t k = 0; k < sizeof(scales) / sizeof(*scales); k++)
        if (az_tok_is(text, t, scales[k].word))
            return scales[k].scale;
    return 0;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The bytes between tokens a and a + 1 are one space-like separator
 * (space, no-break space, thin or narrow no-break space). */
static bool thin_gap(const char *text, const az_token *a, const az_token *b)
{
    size_t g = a->off + a->len, n = b->off - g;
    return n >= 1 && az_space_len(text + g, n) == n;
}

/* Read a numeral token: digits with ',' groups, one '.' decimal part or
 * '.' thousands groups, and a letter suffix. */
static bool numeral(const char *s, size_t n, az_number *out)
{
    size_t i = 0, int_digits = 0, groups_ok = 1, dots = 0, after_dot = 0;
    double v = 0, frac = 0, fscale = 1;
    bool comma = false, in_frac = false;
    for (; i < n; i++) {
        char c = s[i];
        if (is_digit(c)) {
            if (in_frac) {
                frac = frac * 10 + (c - '0');
                fscale *= 10;
                after_dot++;
            } else {
                v = v * 10 + (c - '0');
                int_digits++;
            }
        } else if (c == ',' && !in_frac) {
            /* Groups of three after a comma. */
            size_t k = i + 1, d = 0;
            while (k < n && is_digit(s[k]))
                k++, d++;
            groups_ok &= d == 3;
            comma = true;
        } else if (c == '.') {
            dots++;
            if (in_frac) {
                /* 1.500.000: every '.' group of three is a thousands
                 * separator. */
                if (after_dot != 3)
                    return false;
                v = v * 1000 + frac;
                frac = 0;
                fscale = 1;
                after_dot = 0;
            }
            in_frac = true;
        } else {
            break;
        }
    }
    if (!groups_ok || (comma && dots > 1))
        return false;
    memset(out, 0, sizeof(*out));
    if (dots > 1) {
        if (after_dot != 3)
            return false;
        out->value = v * 1000 + frac;
    } else {
        out->value = v + frac / fscale;
        out->dot_thousands = dots == 1 && after_dot == 3 && int_digits <= 3 && !comma;
        out->thousands_value = v * 1000 + frac;
    }
    out->leading_zero = s[0] == '0' && int_digits > 1;
    out->digits = int_digits;
    out->plain = !comma && dots == 0;
    /* "20-30", "61-year-old": what follows a hyphen is for the caller
     * (a range, an age, a measure), not a suffix of this number. */
    /* The suffix runs to a hyphen: "5k-20k" */
    size_t e = i;
    while (e < n && s[e] != '-')
        e++;
    out->suffix = s + i;
    out->suffix_len = e - i;
    out->hyphen = e < n;
    return i > 0;
}

/* Apply a letter suffix ("k", "m", "bn", "mln"); false when the letters
 * make it something else (an ordinal, a unit, an identifier). */
static bool suffix_scale(az_number *num)
{
    static const struct {
        const char *s;
        double scale;
    } sfx[] = {{"k", 1e3}, {"m", 1e6}, {"mn", 1e6}, {"mln", 1e6},
               {"bn", 1e9}, {"b", 1e9}, {"tn", 1e12}};
    if (num->suffix_len == 0)
        return true;
    for (size_t k = 0; k < sizeof(sfx) / sizeof(*sfx); k++)
        if (num->suffix_len == strlen(sfx[k].s) &&
            strncasecmp(num->suffix, sfx[k].s, num->suffix_len) == 0) {
            num->value *= sfx[k].scale;
            num->scaled = true;
            num->short_scale = sfx[k].s[0] == 'm' && sfx[k].s[1] == '\0';
            return true;
        }
    return false;
}

/* Spelled-out number from token i; returns the tokens used (0 if none).
 * Words below 100 add to the current group only when it ends in hundreds
 * ("two hundred and fifty"), so "twenty three" reads as two numbers. */
static size_t spelled(const char *text, const az_token *t, size_t n, size_t i,
                      double *value)
{
    double total = 0, cur = 0;
    size_t j = i, used = 0;
    bool any = false;
    if (j + 2 < n && az_tok_is(text, &t[j], "half") && az_tok_is(text, &t[j + 1], "a") &&
        az_scale_word(text, &t[j + 2]) >= 1e3) {
        *value = 0.5 * az_scale_word(text, &t[j + 2]);
        return 3;
    }
    if (j + 1 < n && (az_tok_is(text, &t[j], "a") || az_tok_is(text, &t[j], "an"))) {
        if (az_tok_is(text, &t[j + 1], "dozen")) {
            *value = 12;
            return 2;
        }
        if (az_scale_word(text, &t[j + 1]) < 100)
            return 0;
        cur = 1;
        any = true;
        j++;
    }
    while (j < n) {
        double w = word_value(text + t[j].off, t[j].len);
        double sc = az_scale_word(text, &t[j]);
        double rest = fmod(cur, 100);
        bool after_tens = rest >= 20 && fmod(rest, 10) == 0 && w >= 1 && w <= 9;
        if (w >= 0 && (rest == 0 || after_tens) && (cur == 0 || w < 100) &&
            !(any && cur == 0 && total == 0)) {
            cur += w;
        } else if (sc > 0 && any) {
            if (sc == 100) {
                cur = (cur ? cur : 1) * 100;
            } else {
                total += (cur ? cur : 1) * sc;
                cur = 0;
            }
        } else if (any && az_tok_is(text, &t[j], "and") && j + 1 < n &&
                   word_value(text + t[j + 1].off, t[j + 1].len) > 0 &&
                   fmod(cur, 100) == 0 && cur + total >= 100) {
            j++;
            continue;
        } else {
            break;
        }
        any = true;
        used = j - i + 1;
        j++;
    }
    if (!used)
        return 0;
    /* "one and a half million" */
    if (total == 0 && cur > 0 && cur < 100 && i + used + 3 < n &&
        az_tok_is(text, &t[i + used], "and") && az_tok_is(text, &t[i + used + 1], "a") &&
        az_tok_is(text, &t[i + used + 2], "half") &&
        az_scale_word(text, &t[i + used + 3]) >= 1e3) {
        *value = (cur + 0.5) * az_scale_word(text, &t[i + used + 3]);
        return used + 4;
    }
    *value = total + cur;
    return used;
}

/* Vague magnitudes: returns tokens used, the floor in *value. */
static size_t vague(const char *text, const az_token *t, size_t n, size_t i,
                    double *value)
{
    static const struct {
        const char *w;
        double floor;
    } words[] = {{"dozens", 24}, {"scores", 40}, {"hundreds", 200},
                 {"thousands", 2000}, {"millions", 2e6}, {"billions", 2e9}};
    if (i + 1 < n && az_tok_is(text, &t[i], "a") && az_tok_is(text, &t[i + 1], "few")) {
        *value = 3;
        return 2;
    }
    /* "tens of thousands", "hundreds of thousands" */
    if (i + 2 < n && az_tok_is(text, &t[i + 1], "of") &&
        (az_tok_is(text, &t[i], "tens") || az_tok_is(text, &t[i], "hundreds")) &&
        (az_tok_is(text, &t[i + 2], "thousands") || az_tok_is(text, &t[i + 2], "millions"))) {
        double unit = az_tok_is(text, &t[i], "tens") ? 10 : 100;
        double big = az_tok_is(text, &t[i + 2], "thousands") ? 1e3 : 1e6;
        *value = 2 * unit * big;
        return 3;
    }
    for (size_t k = 0; k < sizeof(words) / sizeof(*words); k++)
        if (az_tok_is(text, &t[i], words[k].w)) {
            /* "scores" is also a verb: only "scores of". */
            if (k == 1 && !(i + 1 < n && az_tok_is(text, &t[i + 1], "of")))
                return 0;
            *value = words[k].floor;
            return 1;
        }
    return 0;
}

/* Every word a spelled or vague number can start with, sorted by length
 * then bytes for the search in az_may_start_number(). */
#define S(w) {w, sizeof(w) - 1}
static const struct {
    const char *w;
    size_t len;
} starters[] = {
    S("a"), S("an"), S("one"), S("six"), S("ten"), S("two"), S("five"),
    S("four"), S("half"), S("nine"), S("tens"), S("zero"), S("eight"),
    S("fifty"), S("forty"), S("seven"), S("sixty"), S("three"), S("dozens"),
    S("eighty"), S("eleven"), S("ninety"), S("scores"), S("thirty"),
    S("twelve"), S("twenty"), S("billion"), S("fifteen"), S("hundred"),
    S("million"), S("seventy"), S("sixteen"), S("billions"), S("eighteen"),
    S("fourteen"), S("hundreds"), S("millions"), S("nineteen"), S("thirteen"),
    S("thousand"), S("trillion"), S("seventeen"), S("thousands"),
};

#undef S

bool az_may_start_number(const char *text, const az_token *t)
{
    const char *s = text + t->off;
    if (s[0] >= '0' && s[0] <= '9')
        return true;
    /* "twenty-three": the part before the hyphen */
    size_t n = t->len;
    const char *h = memchr(s, '-', n);
    if (h)
        n = (size_t)(h - s);
    if (n > 9)
        return false;
    char w[10];
    for (size_t k = 0; k < n; k++) {
        char c = s[k];
        w[k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    size_t lo = 0, hi = sizeof(starters) / sizeof(*starters);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        size_t ml = starters[mid].len;
        int c = n != ml ? (n < ml ? -1 : 1) : memcmp(w, starters[mid].w, n);
        if (c == 0)
            return true;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return false;
}

size_t az_number_at(az_number *out, const char *text, const az_token *t,
                    size_t n, size_t i)
{
    memset(out, 0, sizeof(*out));
    const char *s = text + t[i].off;
    size_t used = 0;
    if (is_digit(s[0])) {
        if (!numeral(s, t[i].len, out))
            return 0;
        used = 1;
        /* 40 000 / 40 000: groups of three after a single space-like gap */
        while (out->plain && out->suffix_len == 0 && !out->hyphen && out->digits <= 3 &&
               i + used < n &&
               t[i + used].len == 3 && thin_gap(text, &t[i + used - 1], &t[i + used])) {
            const char *g = text + t[i + used].off;
            if (!is_digit(g[0]) || !is_digit(g[1]) || !is_digit(g[2]))
                break;
            out->value = out->value * 1000 + (g[0] - '0') * 100 + (g[1] - '0') * 10 + (g[2] - '0');
            out->spaced = true;
            used++;
        }
        if (!suffix_scale(out)) {
            out->bad_suffix = true;
            out->first = i;
            out->last = i;
            return 1;
        }
    } else {
        double v;
        size_t k = vague(text, t, n, i, &v);
        if (k) {
            out->value = v;
            out->vague = true;
            out->first = i;
            out->last = i + k - 1;
            return k;
        }
        if (!(k = spelled(text, t, n, i, &v)))
            return 0;
        out->value = v;
        out->spelled = true;
        out->plain = true;
        used = k;
    }
    /* A scale word after: "1.5 million", "75 mln", "forty thousand" is
     * already spelled. */
    if (i + used < n) {
        double sc = az_scale_word(text, &t[i + used]);
        if (sc >= 1e3 && !out->scaled) {
            out->value *= sc;
            out->scaled = true;
            out->dot_thousands = false;
            used++;
        }
    }
    out->first = i;
    out->last = i + used - 1;
    return used;
}
