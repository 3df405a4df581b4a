/*
 * credit.c - does a text credit a wire agency or a given outlet?
 *
 * Three kinds of evidence, checked in this order:
 *  1. the origin outlet's name as written (case matters: "TIME" the
 *     magazine is not "time"), or its initials in capitals ("Meridian
 *     Press Agency" -> "MPA"), as a whole word;
 *  2. the names of the big agencies and the generic credits ("Reuters",
 *     "Associated Press", "AFP", "Agencies", "agency reports", ...);
 *  3. an agency dateline: "CITY (ABBR) -" with a capitalised abbreviation.
 * Matching is on whole words, case-insensitive for names and exact for
 * abbreviations ("AP" must not match "ap" in "apart"). The sourcing
 * signals stage reads credits in more detail; this is what provenance
 * needs: credited or not, and which credit.
 */
#include "az_priv.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

static bool word_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c >= 0x80;
}

/* needle[0, n) as a whole word at s[i]; case-insensitive when `ci`. */
static bool word_at(const char *s, size_t len, size_t i, const char *needle,
                    size_t n, bool ci)
{
    return n <= len - i &&
           (ci ? strncasecmp(s + i, needle, n) : strncmp(s + i, needle, n)) == 0 &&
           (i == 0 || !word_char((unsigned char)s[i - 1])) &&
           (i + n == len || !word_char((unsigned char)s[i + n]));
}

/* Whole-word occurrence of needle[0, n) in s; case-insensitive when `ci`. */
static bool has_word(const char *s, size_t len, const char *needle, size_t n,
                     bool ci)
{
    if (n == 0 || n > len)
        return false;
    /* The first byte rules out nearly every position before the library
     * call: provenance asks this of every copy, for some thirty names. */
    unsigned char lo = (unsigned char)needle[0], up = lo;
    if (ci && lo >= 'A' && lo <= 'Z')
        lo += 32;
    if (ci && up >= 'a' && up <= 'z')
        up -= 32;
    if (lo == up) { /* one byte to look for: the library's scan */
        for (const char *p = s, *end = s + len - n + 1;
             p < end && (p = memchr(p, lo, (size_t)(end - p))); p++)
            if (word_at(s, len, (size_t)(p - s), needle, n, ci))
                return true;
        return false;
    }
    for (size_t i = 0; i + n <= len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c == lo || c == up) && word_at(s, len, i, needle, n, ci))
            return true;
    }
    return false;
}

/* Capital initials of a multi-word name into out (NUL-terminated);
 * returns their count, 0 when the name has a single word. */
static size_t initials(const char *name, char out[16])
{
    size_t n = 0, words = 0;
    bool at_start = true;
    for (const char *p = name; *p && n < 15; p++) {
        if (*p == ' ' || *p == '-') {
            at_start = true;
            continue;
        }
        if (at_start && *p >= 'A' && *p <= 'Z')
            out[n++] = *p;
        if (at_start)
            words++;
        at_start = false;
    }
    out[n] = '\0';
    return words > 1 && n >= 2 ? n : 0;
}

/* Agency names, matched in any case, and credits and abbreviations that
 * only count as written ("Agencies add:" but not "government agencies";
 * "AP" but not "ap"). */
static const struct {
    const char *name;
    bool any_case;
} agencies[] = {
    {"Reuters", true}, {"Associated Press", true},
    {"Agence France-Presse", true}, {"Press Association", true},
    {"PA Media", true}, {"Bloomberg", true}, {"Xinhua", true},
    {"Kyodo", true}, {"Yonhap", true}, {"Interfax", true}, {"Anadolu", true},
    {"Agencies", false}, {"agency reports", false}, {"news agencies", false},
    {"wire services", false}, {"AP", false}, {"AFP", false}, {"PA", false},
    {"UPI", false}, {"dpa", false}, {"DPA", false}, {"ANSA", false},
    {"EFE", false}, {"TASS", false},
};

enum { NAGENCIES = sizeof(agencies) / sizeof(*agencies) };
_Static_assert(NAGENCIES <= 32, "starts[] holds a bit per agency");

/* starts[c]: bit k set when agency k's name can start with byte c (in
 * either case when any case counts); second[c] and third[c] the same for
 * its next two bytes (third[] holds every byte that ends a word for the
 * names of two letters); name_len[k], its length. A word start then tries
 * only the names its first three bytes allow: the loop over every name was
 * most of working out the credits, and a test of the first byte alone
 * still called strncasecmp() at "and", "in" and "by". */
static uint32_t starts[256], second[256], third[256];
static size_t name_len[NAGENCIES];
static pthread_once_t starts_once = PTHREAD_ONCE_INIT;

static void add_byte(uint32_t *table, unsigned char c, bool any_case, uint32_t bit)
{
    table[c] |= bit;
    if (any_case && c >= 'A' && c <= 'Z')
        table[c + 32] |= bit;
    if (any_case && c >= 'a' && c <= 'z')
        table[c - 32] |= bit;
}

static void index_agencies(void)
{
    for (size_t k = 0; k < NAGENCIES; k++) {
        const char *name = agencies[k].name;
        bool any = agencies[k].any_case;
        uint32_t bit = UINT32_C(1) << k;
        name_len[k] = strlen(name);
        add_byte(starts, (unsigned char)name[0], any, bit);
        add_byte(second, (unsigned char)name[1], any, bit);
        if (name_len[k] > 2)
            add_byte(third, (unsigned char)name[2], any, bit);
        else
            for (unsigned c = 0; c < 256; c++)
                third[c] |= word_char((unsigned char)c) ? 0 : bit;
    }
}

/* "CITY (ABBR) -": returns the abbreviation's offset and length. */
static bool dateline_credit(const char *s, size_t len, size_t *at, size_t *n)
{
    for (size_t i = 2; i + 4 < len; i++) {
        const char *open = memchr(s + i, '(', len - 4 - i);
        if (!open)
            break;
        i = (size_t)(open - s);
        if (s[i - 1] != ' ' || !(s[i - 2] >= 'A' && s[i - 2] <= 'Z'))
            continue;
        size_t j = i + 1;
        while (j < len && ((s[j] >= 'A' && s[j] <= 'Z') || (s[j] >= 'a' && s[j] <= 'z')))
            j++;
        if (j == i + 1 || j + 2 >= len || s[j] != ')' || s[j + 1] != ' ')
            continue;
        unsigned char d = (unsigned char)s[j + 2];
        /* '-' or an en/em dash (E2 80 93/94) */
        if (d == '-' || d == 0xE2) {
            *at = i + 1;
            *n = j - i - 1;
            return true;
        }
    }
    return false;
}

bool az_credit_names(const char *text, size_t len, const char *origin)
{
    char abbr[16];
    /* As written: outlet names are proper names, and some are words
     * ("TIME", "The Week", "Metro"). */
    return origin && origin[0] &&
           (has_word(text, len, origin, strlen(origin), false) ||
            (initials(origin, abbr) && has_word(text, len, abbr, strlen(abbr), false)));
}

bool az_credit_find(const char *text, size_t len, const char *origin,
                    const char **what)
{
    if (az_credit_names(text, len, origin)) {
        *what = origin;
        return true;
    }
    /* One pass over the word starts for all the names, the first of the
     * list found winning: a scan per name cost ten times as much. */
    pthread_once(&starts_once, index_agencies);
    size_t best = NAGENCIES;
    for (size_t i = 0; i < len && best > 0; i++) {
        uint32_t m = starts[(unsigned char)text[i]];
        if (!m)
            continue;
        /* Past the end: no name's second byte, and a word's end. */
        unsigned char c1 = i + 1 < len ? (unsigned char)text[i + 1] : 0,
                      c2 = i + 2 < len ? (unsigned char)text[i + 2] : ' ';
        m &= second[c1] & third[c2] & ((UINT32_C(1) << best) - 1);
        if (!m || (i > 0 && word_char((unsigned char)text[i - 1])))
            continue;
        for (; m; m &= m - 1) { /* ascending: the first that matches wins */
            size_t k = (size_t)__builtin_ctz(m);
            if (word_at(text, len, i, agencies[k].name, name_len[k], agencies[k].any_case)) {
                best = k;
                break;
            }
        }
    }
    if (best < NAGENCIES) {
        *what = agencies[best].name;
        return true;
    }
    size_t at, n;
    if (dateline_credit(text, len, &at, &n)) {
        *what = "agency dateline";
        return true;
    }
    return false;
}
