/*
 * signals.c - per-article sourcing evidence: credits, user-generated and
 * unverified markers, anonymous sources, hedging, opinion and press-release
 * labels, corrections, bylines.
 *
 * Markers are phrases, found in the raw input (page furniture such as "Not
 * verified by CNN" is removed from the cleaned text but is evidence all
 * the same) at word starts, case-insensitively, through a table bisected
 * by first letter. Labels that menus repeat ("Opinion", "Analysis") count
 * only at the top of the article. Rates that depend on length (attribution
 * verbs, quotes, first-person words per 100 words) are measured on the
 * cleaned text.
 *
 * Every signal keeps its matched text and input line, so a score can
 * always be explained.
 */
#include "az_priv.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct phrase {
    const char *text;  /* lower case */
    size_t len;
    const char *code;
} phrase;

#define P(t, c) {t, sizeof(t) - 1, c}
/* Sorted by text: bisected by first letter in find_phrases(). */
static const phrase phrases[] = {
    P("'s profile", "ugc-platform"),    P("(afp)", "wire-credit"), P("(afp/", "photo-credit"),
    P("(ap photo", "photo-credit"), P("(ap)", "wire-credit"),
    P("(dpa)", "wire-credit"), P("(reuters)", "wire-credit"),
    P("-ends-", "press-release"), P("[afp]", "wire-credit"),
    P("[ap]", "wire-credit"), P("[reuters]", "wire-credit"),
    P("a source close to", "anonymous-source"),
    P("a source familiar with", "anonymous-source"),
    P("according to reuters", "wire-credit"),
    P("according to the associated press", "wire-credit"),
    P("add your story", "ugc-platform"),
    P("additional reporting by", "wire-credit"),
    P("agencies add", "wire-credit"),
    P("agencies contributed", "wire-credit"), P("allegedly", "hedging"),
    P("an earlier version of this", "correction"),
    P("an official who spoke anonymously", "anonymous-source"),
    P("ap photo/", "photo-credit"),
    P("asked not to be named", "anonymous-source"),
    P("cannot be independently verified", "unverified-claim"),
    P("citizen journalist", "ugc-platform"),
    P("clarification:", "correction"), P("community post", "ugc-platform"),
    P("correction:", "correction"),
    P("could not be independently verified", "unverified-claim"),
    P("could not be verified", "unverified-claim"),
    P("could not independently verify", "unverified-claim"),
    P("declined to be identified", "anonymous-source"),
    P("declined to be named", "anonymous-source"),
    P("editing by", "wire-credit"),
    P("for immediate release", "press-release"),
    P("getty images", "photo-credit"),
    P("has not been checked by", "ugc-unverified"),
    P("has not been independently verified", "unverified-claim"),
    P("has not been reviewed by", "ugc-unverified"),
    P("has not been verified by", "ugc-unverified"),
    P("have not been independently verified", "unverified-claim"),
    P("have not been reviewed by", "ugc-unverified"),
    P("ireport", "ugc-platform"), P("is thought to", "hedging"),
    P("it is believed", "hedging"), P("it is understood", "hedging"),
    P("media contact", "press-release"),
    P("not been reviewed by", "ugc-unverified"),
    P("not verified by", "ugc-unverified"),
    P("not vetted by", "ugc-unverified"),
    P("notes to editors", "press-release"),
    P("on condition of anonymity", "anonymous-source"),
    P("photo:", "photo-credit"), P("photograph:", "photo-credit"),
    P("posted by u/", "ugc-platform"), P("press release", "press-release"),
    P("purportedly", "hedging"), P("reader-submitted", "ugc-platform"),
    P("reportedly", "hedging"), P("reporting by", "wire-credit"),
    P("reuters reported", "wire-credit"), P("reuters reports", "wire-credit"),
    P("rumored", "hedging"), P("rumoured", "hedging"),
    P("sources close to", "anonymous-source"),
    P("sources familiar with", "anonymous-source"),
    P("spoke on condition of anonymity", "anonymous-source"),
    P("submitted by a reader", "ugc-platform"),
    P("the views expressed", "opinion-label"),
    P("this article has been amended", "correction"),
    P("this article has been corrected", "correction"),
    P("this article was amended", "correction"),
    P("told reuters", "wire-credit"), P("unconfirmed reports", "hedging"),
    P("unverified", "unverified-claim"), P("user-submitted", "ugc-platform"),
    P("with agency reports", "wire-credit"), P("writing by", "wire-credit"),
};
#undef P

/* Labels that count only as the first words of one of the top lines. */
static const char *const top_labels[] = {
    "opinion", "comment", "analysis", "editorial", "op-ed", "columnist",
    "commentary", "viewpoint", NULL};

static bool word_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c >= 0x80;
}

typedef struct sig_buf {
    az_signal *v;
    size_t n, cap;
} sig_buf;

static az_status push(sig_buf *b, az_arena *a, const char *code, double w,
                      const char *s, size_t len, uint32_t line)
{
    /* A marker repeated on a page is one piece of evidence... up to a few. */
    size_t same = 0;
    for (size_t i = 0; i < b->n; i++)
        same += strcmp(b->v[i].code, code) == 0;
    if (same >= 3)
        return AZ_OK;
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 16;
        az_signal *v = realloc(b->v, cap * sizeof(*v));
        if (!v)
            return AZ_ENOMEM;
        b->v = v;
        b->cap = cap;
    }
    char *t = az_arena_strndup(a, s, len > 120 ? 120 : len);
    if (!t)
        return AZ_ENOMEM;
    b->v[b->n++] = (az_signal){code, w, t, line};
    return AZ_OK;
}

/* First phrase whose text starts with letter c (lower case). */
static size_t first_with(unsigned char c)
{
    size_t lo = 0, hi = sizeof(phrases) / sizeof(*phrases);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if ((unsigned char)phrases[mid].text[0] < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Scan raw[0, len) for the phrase table; `line` counts as it goes. */
static az_status find_phrases(sig_buf *b, az_arena *a, const char *raw,
                              size_t len)
{
    uint32_t line = 1;
    size_t np = sizeof(phrases) / sizeof(*phrases);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)raw[i];
        if (c == '\n') {
            line++;
            continue;
        }
        /* Phrases start a word (or with a bracket or dash). */
        if (i > 0 && word_char((unsigned char)raw[i - 1]) && word_char(c))
            continue;
        unsigned char lc = c >= 'A' && c <= 'Z' ? c + 32 : c;
        for (size_t k = first_with(lc); k < np && (unsigned char)phrases[k].text[0] == lc; k++) {
            const phrase *p = &phrases[k];
            if (len - i < p->len || strncasecmp(raw + i, p->text, p->len) != 0)
                continue;
            /* A whole word at the end too, unless the phrase ends in
             * punctuation ("(reuters)", "photo:", "posted by u/"). */
            unsigned char last = (unsigned char)p->text[p->len - 1];
            if (word_char(last) && i + p->len < len &&
                word_char((unsigned char)raw[i + p->len]))
                continue;
            /* "Not verified by CNN", "Reporting by Jane Roe": the name that
             * follows is part of the evidence; to the end of the line. */
            size_t n = p->len;
            if (p->len > 3 && strcmp(p->text + p->len - 3, " by") == 0) {
                while (i + n < len && raw[i + n] != '\n' && raw[i + n] != '<' && n < 60)
                    n++;
                while (n > p->len && (raw[i + n - 1] == ' ' || raw[i + n - 1] == '\r'))
                    n--;
            }
            if (push(b, a, p->code, 0, raw + i, n, line) != AZ_OK)
                return AZ_ENOMEM;
            break;
        }
    }
    return AZ_OK;
}

/* Labels on the top lines of the raw input ("Opinion", "Comment |"). */
static az_status find_labels(sig_buf *b, az_arena *a, const az_doc *d)
{
    const char *raw = d->raw;
    size_t len = d->raw_len;
    /* HTML pages carry labels in their title or the first paragraph. */
    if (d->format == AZ_FORMAT_HTML) {
        const char *title = d->meta[AZ_META_TITLE].value;
        for (size_t k = 0; title && top_labels[k]; k++) {
            size_t n = strlen(top_labels[k]);
            if (strncasecmp(title, top_labels[k], n) == 0 && !word_char((unsigned char)title[n]))
                return push(b, a, "opinion-label", 0, title, n, d->meta[AZ_META_TITLE].line);
        }
        return AZ_OK;
    }
    size_t i = 0;
    for (uint32_t line = 1; line <= 8 && i < len; line++) {
        const char *nl = memchr(raw + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - raw) : len;
        size_t s = i;
        while (s < end && (raw[s] == ' ' || raw[s] == '\t'))
            s++;
        for (size_t k = 0; top_labels[k]; k++) {
            size_t n = strlen(top_labels[k]);
            if (end - s >= n && strncasecmp(raw + s, top_labels[k], n) == 0 &&
                (s + n == end || !word_char((unsigned char)raw[s + n])))
                return push(b, a, "opinion-label", 0, raw + s, n, line);
        }
        /* a press release says so on its own line: "ENDS" */
        i = end + 1;
    }
    return AZ_OK;
}

/* "ENDS" or "# # #" alone on a line closes a press release. */
static az_status find_ends(sig_buf *b, az_arena *a, const char *raw, size_t len)
{
    uint32_t line = 1;
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(raw + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - raw) : len;
        size_t s = i, e = end;
        while (s < e && (raw[s] == ' ' || raw[s] == '\t'))
            s++;
        while (e > s && (raw[e - 1] == ' ' || raw[e - 1] == '\r'))
            e--;
        if ((e - s == 4 && memcmp(raw + s, "ENDS", 4) == 0) ||
            (e - s == 5 && memcmp(raw + s, "# # #", 5) == 0))
            return push(b, a, "press-release", 0, raw + s, e - s, line);
        i = end + 1;
        line++;
    }
    return AZ_OK;
}

static bool has(const sig_buf *b, const char *code)
{
    for (size_t i = 0; i < b->n; i++)
        if (strcmp(b->v[i].code, code) == 0)
            return true;
    return false;
}

/* Rates per 100 words of the cleaned text. */
static void rates(const az_doc *d, double *attribution, double *quotes,
                  double *first_person)
{
    size_t len;
    const char *t = az_doc_text(d, &len);
    size_t pos = 0, a, e, words = 0, attr = 0, fp = 0, q = 0;
    while (az_next_token(t, len, &pos, &a, &e)) {
        words++;
        size_t n = e - a;
        const char *w = t + a;
        if ((n == 4 && (strncasecmp(w, "said", 4) == 0 || strncasecmp(w, "says", 4) == 0 ||
                        strncasecmp(w, "told", 4) == 0)) ||
            (n == 9 && strncasecmp(w, "according", 9) == 0))
            attr++;
        if ((n == 1 && w[0] == 'I') || (n == 2 && strncmp(w, "my", 2) == 0) ||
            (n == 2 && strncmp(w, "My", 2) == 0))
            fp++;
    }
    for (size_t i = 0; i + 2 < len; i++)
        q += (unsigned char)t[i] == 0xE2 && (unsigned char)t[i + 1] == 0x80 &&
             (unsigned char)t[i + 2] == 0x9C;
    for (size_t i = 0; i < len; i++)
        q += t[i] == '"';
    double per = words ? 100.0 / (double)words : 0;
    *attribution = (double)attr * per;
    *quotes = (double)q * per / (q && memchr(t, '"', len) ? 2 : 1);
    *first_person = (double)fp * per;
}

az_status az_signals_doc(az_doc_signals *out, az_arena *arena, const az_doc *d)
{
    memset(out, 0, sizeof(*out));
    sig_buf b = {0};
    az_status st = find_phrases(&b, arena, d->raw, d->raw_len);
    if (st == AZ_OK)
        st = find_labels(&b, arena, d);
    if (st == AZ_OK && !has(&b, "press-release"))
        st = find_ends(&b, arena, d->raw, d->raw_len);
    if (st == AZ_OK && (d->meta[AZ_META_AUTHOR].value)) {
        const az_meta *m = &d->meta[AZ_META_AUTHOR];
        st = push(&b, arena, "byline", 0, m->value, strlen(m->value), m->line);
    }
    /* An agency dateline opening a paragraph ("GENEVA (AP) -") */
    if (st == AZ_OK && !has(&b, "wire-credit")) {
        size_t len;
        const char *t = az_doc_text(d, &len);
        const char *what;
        for (size_t i = 0; i < d->x.npara && i < 3; i++) {
            const az_para *p = &d->x.paras[i];
            if (az_credit_find(t + p->off, p->len > 60 ? 60 : p->len, NULL, &what) &&
                strcmp(what, "agency dateline") == 0) {
                uint32_t line, col;
                az_doc_locate(d, p->off, &line, &col);
                st = push(&b, arena, "wire-credit", 0, t + p->off, p->len > 40 ? 40 : p->len, line);
                break;
            }
        }
    }
    if (st != AZ_OK) {
        free(b.v);
        return st;
    }
    rates(d, &out->attribution_rate, &out->quote_rate, &out->first_person_rate);
    if (has(&b, "ugc-unverified") || has(&b, "ugc-platform"))
        out->kind = AZ_KIND_UGC;
    else if (has(&b, "press-release"))
        out->kind = AZ_KIND_PRESS_RELEASE;
    else if (has(&b, "opinion-label") ||
             (out->first_person_rate > 2.0 && out->attribution_rate < 0.5))
        out->kind = AZ_KIND_OPINION;
    else if (has(&b, "wire-credit"))
        out->kind = AZ_KIND_WIRE;
    else
        out->kind = AZ_KIND_NEWS;
    out->v = b.v;
    out->n = b.n;
    return AZ_OK;
}
