/*
 * meta.c - metadata a page prints about itself: masthead, headline, byline,
 * date line, and the article's URL.
 *
 * Every value found is recorded with the rule that found it and its input
 * line, so a report can say "published 2022-01-11 (inferred: dateline, line
 * 6)". The first value found for a key wins; the manifest and JSON Lines
 * fields override all of them later, in corpus.c.
 */
#include "az_priv.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool is_upper(unsigned char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool is_lower(unsigned char c)
{
    return c >= 'a' && c <= 'z';
}

/* Word spans of s, ASCII-space separated; returns the count (at most max). */
static size_t split_words(const char *s, size_t len, size_t *wa, size_t *wb,
                          size_t max)
{
    size_t n = 0, i = 0;
    while (i < len && n < max) {
        while (i < len && s[i] == ' ')
            i++;
        if (i >= len)
            break;
        wa[n] = i;
        while (i < len && s[i] != ' ')
            i++;
        wb[n++] = i;
    }
    return n;
}

static bool word_is(const char *s, size_t a, size_t b, const char *w)
{
    return b - a == strlen(w) && strncasecmp(s + a, w, b - a) == 0;
}

/* Words that follow a name on a byline ("Kim Sengupta World Affairs
 * Editor"). */
static const char *const roles[] = {
    "editor", "correspondent", "reporter", "writer", "columnist",
    "contributor", "staff", "producer", "analyst", "journalist",
};

static bool is_role(const char *s, size_t a, size_t b)
{
    for (size_t k = 0; k < sizeof(roles) / sizeof(*roles); k++)
        if (word_is(s, a, b, roles[k]))
            return true;
    return false;
}

/* A capitalised name word: "Kim", "O'Neil", "McDonald", not "THE". */
static bool name_word(const char *s, size_t a, size_t b)
{
    if (b - a < 2 || !is_upper((unsigned char)s[a]))
        return false;
    for (size_t i = a + 1; i < b; i++)
        if (!is_lower((unsigned char)s[i]) && !is_upper((unsigned char)s[i]) &&
            s[i] != '\'' && s[i] != '-' && s[i] != '.')
            return false;
    return true;
}

#define MAXW 40

/* "By Jane Doe", "Jane Doe Chief Correspondent", "Foreign Desk Report".
 * Returns true and records the author when the line is a byline. */
static az_status try_byline(az_extract *x, const char *s, size_t len,
                            uint32_t line, bool *hit)
{
    size_t wa[MAXW], wb[MAXW];
    size_t n = split_words(s, len, wa, wb, MAXW);
    *hit = false;
    if (n < 2 || n > 8)
        return AZ_OK;
    if (word_is(s, wa[0], wb[0], "by")) {
        size_t k = 1;
        while (k < n && k <= 4 && name_word(s, wa[k], wb[k]) && s[wb[k] - 1] != ',')
            k++;
        if (k < n && k <= 4 && s[wb[k] - 1] == ',' && name_word(s, wa[k], wb[k] - 1))
            k++;
        if (k >= 3) {
            *hit = true;
            size_t end = wb[k - 1] - (s[wb[k - 1] - 1] == ',');
            return az_extract_found(x, AZ_META_AUTHOR, s + wa[1], end - wa[1],
                                    "byline", line);
        }
        return AZ_OK;
    }
    if (word_is(s, wa[n - 1], wb[n - 1], "desk") ||
        (n >= 2 && word_is(s, wa[n - 2], wb[n - 2], "desk"))) {
        for (size_t k = 0; k < n; k++)
            if (!name_word(s, wa[k], wb[k]))
                return AZ_OK;
        *hit = true;
        return az_extract_found(x, AZ_META_AUTHOR, s, len, "desk-byline", line);
    }
    /* Name then role: every word capitalised, a role word at the end. */
    if (n < 3 || !is_role(s, wa[n - 1], wb[n - 1]))
        return AZ_OK;
    for (size_t k = 0; k < n; k++)
        if (!name_word(s, wa[k], wb[k]))
            return AZ_OK;
    *hit = true;
    return az_extract_found(x, AZ_META_AUTHOR, s, wb[1], "byline", line);
}

/* A short line holding a date ("Tuesday 11 January 2022 19:51 GMT",
 * "Posted March 30, 2014 by kerkko5", "Updated: May 2, 2031"). */
static az_status try_date(az_extract *x, const char *s, size_t len,
                          uint32_t line, bool *hit)
{
    char iso[11];
    size_t dlen = 0;
    *hit = false;
    if (az_count_words_max(s, len, 13) > 12)
        return AZ_OK;
    /* A date line starts with its date within a few words: "Posted ...",
     * "Updated: ...", a weekday. */
    size_t at = az_date_find(s, len < 72 ? len : 72, iso, &dlen);
    if (at == SIZE_MAX || at > 24)
        return AZ_OK;
    *hit = true;
    bool posted = len >= 6 && strncasecmp(s, "posted", 6) == 0;
    az_status st = az_extract_found(x, AZ_META_PUBLISHED, iso, 10,
                                    posted ? "posted-line" : "dateline", line);
    if (st != AZ_OK)
        return st;
    /* "Posted <date> by NAME" */
    size_t i = at + dlen;
    while (i < len && s[i] == ' ')
        i++;
    if (len - i > 3 && strncasecmp(s + i, "by ", 3) == 0) {
        i += 3;
        size_t e = i;
        while (e < len && s[e] != ' ' && s[e] != ',')
            e++;
        if (e > i)
            st = az_extract_found(x, AZ_META_AUTHOR, s + i, e - i,
                                  "posted-line", line);
    }
    return st;
}

/* A masthead: one to four capitalised words, no digits or sentence
 * punctuation ("TIME", "The Independent"). */
static bool masthead(const char *s, size_t len)
{
    size_t wa[MAXW], wb[MAXW];
    size_t n = split_words(s, len, wa, wb, MAXW);
    if (n < 1 || n > 4 || len > 40)
        return false;
    for (size_t k = 0; k < n; k++)
        if (!name_word(s, wa[k], wb[k]) && !(wb[k] - wa[k] == 1 && is_upper((unsigned char)s[wa[k]])))
            return false;
    return true;
}

/* A headline: 3 to 30 words, starting with a capital, not a label ending
 * in ':'. */
static bool headline(const char *s, size_t len)
{
    /* "Breaking | World | Money": a menu, not a headline. */
    size_t bars = 0;
    for (size_t i = 0; i < len; i++)
        bars += s[i] == '|';
    if (bars >= 2)
        return false;
    size_t w = az_count_words(s, len);
    return w >= 3 && w <= 40 && s[len - 1] != ':' &&
           (is_upper((unsigned char)s[0]) || (unsigned char)s[0] >= 0x80 ||
            s[0] == '"');
}

az_status az_meta_header_line(az_extract *x, const char *s, size_t len,
                              uint32_t line, unsigned index)
{
    bool hit;
    az_status st;
    if (len == 0)
        return AZ_OK;
    if ((st = try_date(x, s, len, line, &hit)) != AZ_OK || hit)
        return st;
    if ((st = try_byline(x, s, len, line, &hit)) != AZ_OK || hit)
        return st;
    if (index == 0 && masthead(s, len))
        return az_extract_found(x, AZ_META_OUTLET, s, len, "masthead", line);
    if (headline(s, len))
        return az_extract_found(x, AZ_META_TITLE, s, len, "headline", line);
    return AZ_OK;
}

char *az_meta_outlet_from_url(const char *url, size_t len)
{
    const char *p = memchr(url, ':', len);
    if (!p || (size_t)(p - url) + 3 > len || p[1] != '/' || p[2] != '/')
        return NULL;
    const char *h = p + 3, *end = url + len;
    const char *e = h;
    while (e < end && *e != '/' && *e != ':' && *e != '?' && *e != '#')
        e++;
    static const char *const prefixes[] = {"www.", "m.", "amp.", "edition."};
    for (size_t k = 0; k < sizeof(prefixes) / sizeof(*prefixes); k++) {
        size_t n = strlen(prefixes[k]);
        if ((size_t)(e - h) > n && strncasecmp(h, prefixes[k], n) == 0) {
            h += n;
            break;
        }
    }
    if (e == h || !memchr(h, '.', (size_t)(e - h)))
        return NULL;
    char *out = malloc((size_t)(e - h) + 1);
    if (!out)
        return NULL;
    for (size_t i = 0; i < (size_t)(e - h); i++)
        out[i] = (char)((h[i] >= 'A' && h[i] <= 'Z') ? h[i] + 32 : h[i]);
    out[e - h] = '\0';
    return out;
}

/* An article URL has a path with a slug or an id ("/news/...-9224264.html");
 * bare hosts and short paths are links to the site, not to the story. */
static bool article_url(const char *u, size_t len)
{
    const char *p = memchr(u, ':', len);
    if (!p)
        return false;
    const char *h = p + 3, *end = u + len;
    const char *path = memchr(h, '/', (size_t)(end - h));
    if (!path)
        return false;
    size_t seg = 0, best = 0;
    bool slug = false;
    for (const char *c = path + 1; c < end; c++) {
        if (*c == '/') {
            seg = 0;
            continue;
        }
        seg++;
        best = seg > best ? seg : best;
        slug |= *c == '-' || *c == '_' || (*c >= '0' && *c <= '9');
    }
    return best >= 8 && slug;
}

az_status az_meta_infer(az_extract *x, const char *raw, size_t len)
{
    if (!az_extract_found_for(x, AZ_META_URL)) {
        uint32_t line = 1;
        size_t counted = 0;
        /* A link's ':' is found by memchr at memory speed, and "http" or
         * "https" must end there: an 'h', looked for before, came every
         * 25 bytes of prose, a ':' comes every few hundred. */
        for (size_t from = 0;;) { /* from: where the next link may start */
            size_t q = from + 4, i;
            const char *c = q < len ? memchr(raw + q, ':', len - q) : NULL;
            if (!c)
                break;
            q = (size_t)(c - raw);
            if (q + 4 < len && strncmp(raw + q - 4, "http://", 7) == 0) {
                i = q - 4;
            } else if (q >= from + 5 && q + 3 < len &&
                       strncmp(raw + q - 5, "https://", 8) == 0) {
                i = q - 5;
            } else if (q + 3 >= len) {
                break; /* no room for a link from here on */
            } else {
                from = q - 3;
                continue;
            }
            size_t e = i;
            while (e < len && !az_is_space_ascii((unsigned char)raw[e]) &&
                   raw[e] != '"' && raw[e] != '<' && raw[e] != '>' &&
                   raw[e] != ')' && raw[e] != ']')
                e++;
            while (e > i && (raw[e - 1] == '.' || raw[e - 1] == ','))
                e--;
            if (article_url(raw + i, e - i)) {
                for (; counted < i; counted++)
                    line += raw[counted] == '\n';
                az_status st = az_extract_found(x, AZ_META_URL, raw + i, e - i,
                                                "url-in-text", line);
                if (st != AZ_OK)
                    return st;
                break;
            }
            from = e;
        }
    }
    const az_found *u = az_extract_found_for(x, AZ_META_URL);
    if (u && !az_extract_found_for(x, AZ_META_OUTLET)) {
        char *o = az_meta_outlet_from_url(u->value, strlen(u->value));
        if (o) {
            az_status st = az_extract_found(x, AZ_META_OUTLET, o, strlen(o),
                                            "url-domain", u->line);
            free(o);
            return st;
        }
    }
    return AZ_OK;
}
