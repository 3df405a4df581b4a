/*
 * clean_text.c - article text out of a scraped plain-text page.
 *
 * Scraped pages carry the article between debris: a block of CSS or script,
 * a masthead, headline, byline and date lines, photo captions, consent and
 * ad-blocker nags, donation appeals, share and comment prompts, and on
 * change-tracking pages the tracker's own header. The cleaner works in
 * three passes over the lines of the page:
 *
 *  1. classify each line: tracker header, CSS/JS debris, caption, UI chrome,
 *     blank, or text;
 *  2. find the body: the header zone is everything before the first line
 *     that reads like body text (a sentence of several words); header lines
 *     go to the metadata inference in meta.c and are dropped;
 *  3. cut body lines into sentences and drop the reader-addressed nag
 *     blocks (appeals read as runs of "you/your/we/our" sentences about
 *     browsers, ads, donations, newsletters, comments).
 *
 * Kept text is copied byte for byte from the input, one paragraph per kept
 * run of a line, so every paragraph maps back to its exact input offset.
 */
#include "az_priv.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <xxhash.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

typedef enum line_kind {
    L_TEXT,
    L_BLANK,
    L_TRACKER,
    L_DEBRIS,
    L_CAPTION,
    L_CHROME,
    L_HEADER,
    L_CREDIT,
    L_NAG,
} line_kind;

typedef struct line {
    size_t off, len; /* trimmed span in the input */
    uint32_t no;     /* 1-based line number */
    line_kind kind;
    signed char body; /* body_like() of it: -1 until asked (see line_body()) */
} line;

typedef struct page {
    const char *s;
    size_t len;
    line *lines;     /* the plan's, kept from page to page */
    size_t n, cap;
    az_extract *x;
} page;

/* ---- small string helpers ---- */

static bool starts_with_ci(const char *s, size_t len, const char *prefix)
{
    /* The first byte decides almost every call: test it before the call. */
    if (len == 0 || ((unsigned char)s[0] | 32) != ((unsigned char)prefix[0] | 32))
        return false;
    size_t n = strlen(prefix);
    return len >= n && strncasecmp(s, prefix, n) == 0;
}

static bool contains_ci(const char *s, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (strncasecmp(s + i, needle, n) == 0)
            return true;
    return false;
}

static bool is_upper(unsigned char c)
{
    return c >= 'A' && c <= 'Z';
}

/* Word tokens in s, counted up to `max` (callers ask "at most n?"). */
static size_t count_words(const char *s, size_t len, size_t max)
{
    return az_count_words_max(s, len, max);
}

/* True when the text ends like a sentence: . ! ? possibly inside closing
 * quotes or brackets. */
static bool ends_sentence(const char *s, size_t len)
{
    while (len) {
        unsigned char c = (unsigned char)s[len - 1];
        if (c == '"' || c == '\'' || c == ')' || c == ']') {
            len--;
            continue;
        }
        /* ” (E2 80 9D) and ’ (E2 80 99) */
        if (len >= 3 && (unsigned char)s[len - 3] == 0xE2 &&
            (unsigned char)s[len - 2] == 0x80 &&
            (c == 0x9D || c == 0x99)) {
            len -= 3;
            continue;
        }
        return c == '.' || c == '!' || c == '?';
    }
    return false;
}

/* ---- pass 1: line classes ---- */

static const char *const tracker_lines[] = {
    "This article is from the source",
    "You can find the current article at its original source at",
    "The article has changed",
    "There is an RSS feed of changes",
    "It last changed over",
};

/* "Version 0 Version 1 ..." alone on a line: returns the number of versions
 * listed, 0 when the line is something else. */
static unsigned version_header(const char *s, size_t len)
{
    unsigned count = 0;
    size_t i = 0;
    while (i < len) {
        if (!starts_with_ci(s + i, len - i, "Version "))
            return 0;
        i += 8;
        size_t d = i;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d)
            return 0;
        count++;
        while (i < len && s[i] == ' ')
            i++;
    }
    return count;
}

/* "(about 9 hours later)" lines between versions. */
static bool tracker_interval(const char *s, size_t len)
{
    return len > 8 && s[0] == '(' && s[len - 1] == ')' &&
           starts_with_ci(s + 1, len - 1, "about ") &&
           contains_ci(s, len, " later");
}

/* CSS, script or JSON fragments: many braces and semicolons, few words
 * between them. */
static bool code_debris(const char *s, size_t len)
{
    /* Prose has neither: skip the count at memory speed. */
    if (!memchr(s, '{', len) && !memchr(s, ';', len))
        return false;
    size_t braces = 0, semis = 0, spaces = 0, i = 0;
#ifdef __SSE2__
    /* 16 bytes at a time, each lane counting its matches (a compare gives
     * -1), summed before a lane can wrap: prose with a semicolon gets
     * here, and the byte loop over every such line was 2 % of reading
     * FA-KES. */
    const __m128i open = _mm_set1_epi8('{'), close = _mm_set1_epi8('}'),
                  semi = _mm_set1_epi8(';'), space = _mm_set1_epi8(' '),
                  zero = _mm_setzero_si128();
    while (i + 16 <= len) {
        __m128i nb = zero, ns = zero, nsp = zero;
        for (unsigned k = 0; k < 255 && i + 16 <= len; k++, i += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            nb = _mm_sub_epi8(nb, _mm_or_si128(_mm_cmpeq_epi8(v, open),
                                               _mm_cmpeq_epi8(v, close)));
            ns = _mm_sub_epi8(ns, _mm_cmpeq_epi8(v, semi));
            nsp = _mm_sub_epi8(nsp, _mm_cmpeq_epi8(v, space));
        }
        nb = _mm_sad_epu8(nb, zero);
        ns = _mm_sad_epu8(ns, zero);
        nsp = _mm_sad_epu8(nsp, zero);
        braces += (size_t)_mm_cvtsi128_si32(nb) + (size_t)_mm_extract_epi16(nb, 4);
        semis += (size_t)_mm_cvtsi128_si32(ns) + (size_t)_mm_extract_epi16(ns, 4);
        spaces += (size_t)_mm_cvtsi128_si32(nsp) + (size_t)_mm_extract_epi16(nsp, 4);
    }
#endif
    for (; i < len; i++) {
        char c = s[i];
        braces += c == '{' || c == '}';
        semis += c == ';';
        spaces += c == ' ';
    }
    if (braces >= 2 && (braces + semis) * 25 >= len)
        return true;
    /* Minified code has almost no spaces in a long line. */
    return len > 200 && braces + semis > 4 && spaces * 30 < len;
}

/* Phrases that are page furniture when they stand alone on a line or open
 * one ("Read more The first round..."). Matched case-insensitively. */
#define P(s) {s, sizeof(s) - 1}
static const struct phrase {
    const char *text;
    size_t len;
} chrome_phrases[] = { /* sorted case-insensitively: see chrome_prefix() */
    P("About this"), P("Add your story"), P("Advertisement"),
    P("Click to view"), P("Comments"), P("Continue reading"), P("Email this"),
    P("Enlarge this image"), P("Follow us"), P("Hide caption"),
    P("Image caption"), P("Listen to this article"), P("More from"),
    P("Most read"), P("Not now"), P("Not verified by"), P("Not vetted by"),
    P("Open image in gallery"), P("Originally published"), P("Print this"),
    P("Read more"), P("Read the original"), P("Recommended"), P("Share on"),
    P("Share this"), P("Show caption"), P("Sign up"), P("Skip to"),
    P("Story continues below"), P("Subscribe"), P("Tap to read full story"),
    P("View gallery"), P("Yes please"),
};
#undef P

/* Byte length of the chrome phrase opening s (followed by the end or a
 * space), 0 when none. */
static size_t chrome_prefix(const char *s, size_t len)
{
    /* Bulleted UI items ("• Not verified by CNN"). */
    size_t b = 0;
    if (len >= 3 && (unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 &&
        (unsigned char)s[2] == 0xA2) {
        b = 3;
        while (b < len && s[b] == ' ')
            b++;
    }
    if (b >= len)
        return 0;
    /* Only the phrases with the right first letter are compared: find the
     * first of them by bisection of the sorted table. */
    int first = (unsigned char)s[b] | 32;
    size_t n = sizeof(chrome_phrases) / sizeof(*chrome_phrases), lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (((unsigned char)chrome_phrases[mid].text[0] | 32) < first)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t k = lo; k < n && ((unsigned char)chrome_phrases[k].text[0] | 32) == first; k++) {
        const struct phrase *ph = &chrome_phrases[k];
        /* The second letter first: most lines open with no phrase. */
        if (len - b < ph->len || ((unsigned char)s[b + 1] | 32) != (unsigned char)ph->text[1] ||
            strncasecmp(s + b, ph->text, ph->len) != 0)
            continue;
        if (b + ph->len == len || s[b + ph->len] == ' ' || s[b + ph->len] == ':')
            return b + ph->len;
    }
    return 0;
}

/* A line that is all chrome: a chrome phrase with at most a few short words
 * after it ("Click to view kerkko5's profile", "Add your Story Add your
 * Story"), and no sentence. */
static bool chrome_line(const char *s, size_t len)
{
    size_t n = chrome_prefix(s, len);
    if (!n)
        return false;
    if (n == len)
        return true;
    /* "Read the original at https://..." */
    for (size_t i = n; i + 3 <= len; i++)
        if (memcmp(s + i, "://", 3) == 0)
            return true;
    return !ends_sentence(s, len) && count_words(s + n, len - n, 6) <= 5;
}

/* A photo credit opens the line ("Jacquelyn Martin/Pool—Reuters U.S. ..."
 * or "Photo: ..."): two capitalised words joined by '/' within the first
 * few words. */
static bool caption_line(const char *s, size_t len)
{
    static const char *const openers[] = {"Photo:", "Photograph:", "Image:",
                                          "Picture:", "Pictured:", "Credit:"};
    for (size_t k = 0; k < sizeof(openers) / sizeof(*openers); k++)
        if (starts_with_ci(s, len, openers[k]))
            return true;
    size_t limit = len < 48 ? len : 48;
    for (size_t i = 1; i + 1 < limit; i++)
        if (s[i] == '/' && is_upper((unsigned char)s[i + 1]) &&
            s[i - 1] != ' ' && s[i - 1] != '/' && s[i - 1] != ':' &&
            !starts_with_ci(s, len, "http"))
            return is_upper((unsigned char)s[0]);
    return false;
}

/* Credit lines kept as article text: "[Reuters]", "(AP)", "Reporting by
 * ...", "Agencies add: ..." so the signals stage can see them. */
static bool credit_line(const char *s, size_t len)
{
    static const char *const openers[] = {
        "Reporting by", "Additional reporting", "Writing by", "Editing by",
        "Compiled by", "With agency", "With reporting", "Agencies",
        "Source:", "Sources:", "Via "};
    if (len >= 3 && len <= 40 &&
        ((s[0] == '[' && s[len - 1] == ']') || (s[0] == '(' && s[len - 1] == ')')))
        return true;
    for (size_t k = 0; k < sizeof(openers) / sizeof(*openers); k++)
        if (starts_with_ci(s, len, openers[k]))
            return true;
    return false;
}

/* Split the input into trimmed lines. Returns AZ_ENOMEM or AZ_OK. */
static az_status split_lines(page *p)
{
    const char *s = p->s;
    size_t i = 0;
    uint32_t no = 1;
    while (i < p->len) {
        const char *nl = memchr(s + i, '\n', p->len - i);
        size_t end = nl ? (size_t)(nl - s) : p->len;
        size_t a = i, b = end;
        while (a < b) {
            size_t sp = az_space_len(s + a, b - a);
            if (!sp)
                break;
            a += sp;
        }
        while (b > a && az_is_space_ascii((unsigned char)s[b - 1]))
            b--;
        if (p->n == p->cap) {
            size_t cap = p->cap ? p->cap * 2 : 64;
            line *l = realloc(p->lines, cap * sizeof(*l));
            if (!l)
                return AZ_ENOMEM;
            p->lines = l;
            p->cap = cap;
        }
        p->lines[p->n++] = (line){a, b - a, no, b > a ? L_TEXT : L_BLANK, -1};
        i = nl ? end + 1 : p->len;
        no++;
    }
    return AZ_OK;
}

/* Mark a change-tracking page's header (everything up to the "Version 0
 * Version 1" line) and its interval lines; record the versions. */
static az_status mark_tracker(page *p)
{
    size_t head = 0, vline = SIZE_MAX;
    for (size_t i = 0; i < p->n && i < 20; i++) {
        const line *l = &p->lines[i];
        if (l->kind == L_BLANK)
            continue;
        const char *s = p->s + l->off;
        for (size_t k = 0; k < sizeof(tracker_lines) / sizeof(*tracker_lines); k++)
            if (starts_with_ci(s, l->len, tracker_lines[k]))
                head++;
        unsigned v = version_header(s, l->len);
        if (v >= 2) {
            p->x->versions = v;
            vline = i;
            break;
        }
    }
    if (!head || vline == SIZE_MAX)
        return AZ_OK;
    for (size_t i = 0; i <= vline; i++) {
        line *l = &p->lines[i];
        if (l->kind == L_BLANK)
            continue;
        const char *s = p->s + l->off;
        static const char at[] = "original source at ";
        for (size_t k = 0; k + sizeof(at) - 1 < l->len; k++)
            if (strncasecmp(s + k, at, sizeof(at) - 1) == 0) {
                size_t u = k + sizeof(at) - 1, e = u;
                while (e < l->len && s[e] != ' ')
                    e++;
                if (az_extract_found(p->x, AZ_META_URL, s + u, e - u,
                                     "change-tracker", l->no) != AZ_OK)
                    return AZ_ENOMEM;
                break;
            }
        l->kind = L_TRACKER;
    }
    for (size_t i = vline + 1; i < p->n; i++)
        if (p->lines[i].kind == L_TEXT &&
            tracker_interval(p->s + p->lines[i].off, p->lines[i].len))
            p->lines[i].kind = L_TRACKER;
    return AZ_OK;
}

static void classify_lines(page *p)
{
    for (size_t i = 0; i < p->n; i++) {
        line *l = &p->lines[i];
        if (l->kind != L_TEXT)
            continue;
        const char *s = p->s + l->off;
        if (code_debris(s, l->len))
            l->kind = L_DEBRIS;
        else if (credit_line(s, l->len))
            l->kind = L_CREDIT;
        else if (chrome_line(s, l->len))
            l->kind = L_CHROME;
        else if (caption_line(s, l->len))
            l->kind = L_CAPTION;
    }
}

/* Body text: a sentence of at least five words, or a long line. */
static bool body_like(const char *s, size_t len)
{
    /* Count no further than the answer needs. */
    if (ends_sentence(s, len))
        return count_words(s, len, 5) >= 5;
    return count_words(s, len, 60) >= 60;
}

/* body_like() of a whole line, counted once: the header pass and the body
 * pass both ask of an article's first lines, and a line of sixty words
 * or more was counted twice. */
static bool line_body(const char *s, line *l)
{
    if (l->body < 0)
        l->body = body_like(s + l->off, l->len);
    return l->body;
}

/* ---- pass 3: sentences and nag blocks ---- */

typedef struct sentence {
    size_t a, b; /* offsets in the input */
} sentence;

static bool abbreviation_before(const char *s, size_t start, size_t dot)
{
    static const char *const abbr[] = {"Mr", "Mrs", "Ms", "Dr", "St", "Gen",
        "Sen", "Rep", "Gov", "Lt", "Col", "Sgt", "Jr", "Sr", "Prof", "No",
        "vs", "Capt", "Maj", "Rev", "Mt", "Ft", "Inc", "Co", "Corp", "Lt"};
    size_t w = dot;
    while (w > start && s[w - 1] != ' ' && s[w - 1] != '(')
        w--;
    size_t n = dot - w;
    if (n == 1 && is_upper((unsigned char)s[w]))
        return true; /* an initial: "John F. Kennedy" */
    if (n >= 2 && s[dot - 2] == '.')
        return true; /* U.S. / U.K. */
    if (n > 4)
        return false; /* no abbreviation below is longer */
    for (size_t k = 0; k < sizeof(abbr) / sizeof(*abbr); k++)
        if (abbr[k][0] == s[w] && strlen(abbr[k]) == n &&
            strncmp(s + w, abbr[k], n) == 0)
            return true;
    return false;
}

/* Button text glued into a sentence ("Support the Sentinel Read more The
 * first thing ..."): true when a button opens s[i, b) and a capitalised
 * word follows it. */
static bool button_at(const char *s, size_t i, size_t b)
{
#define B(x) {x, sizeof(x) - 1}
    static const struct {
        const char *text;
        size_t len;
    } buttons[] = {B("Read more "), B("Continue reading "), B("Advertisement "),
                   B("Story continues below ")};
#undef B
    for (size_t k = 0; k < sizeof(buttons) / sizeof(*buttons); k++) {
        size_t n = buttons[k].len;
        if (s[i] == buttons[k].text[0] && i + n < b &&
            memcmp(s + i, buttons[k].text, n) == 0 && is_upper((unsigned char)s[i + n]))
            return true;
    }
    return false;
}

/* Whether s[i] (i < b) can end a sentence or open a button: a space
 * before one of the capitals buttons start with. */
static bool stop_at(const char *s, size_t i, size_t b)
{
    static const unsigned char stop[256] = {['.'] = 1, ['!'] = 1, ['?'] = 1,
                                            [' '] = 2};
    unsigned char c = (unsigned char)s[i];
    if (stop[c] != 2)
        return stop[c];
    unsigned char nx = i + 1 < b ? (unsigned char)s[i + 1] : 0;
    return nx == 'R' || nx == 'C' || nx == 'A' || nx == 'S';
}

/* The first i' >= i where stop_at() holds, else b. Spaces are a sixth of
 * the text, so a byte loop that stops at each one was the cleaner's
 * largest cost; SSE2 tests 16 bytes, and their successors, at once. */
static size_t next_stop(const char *s, size_t i, size_t b)
{
#ifdef __SSE2__
    const __m128i dot = _mm_set1_epi8('.'), bang = _mm_set1_epi8('!'),
                  ask = _mm_set1_epi8('?'), sp = _mm_set1_epi8(' '),
                  cr = _mm_set1_epi8('R'), cc = _mm_set1_epi8('C'),
                  ca = _mm_set1_epi8('A'), cs = _mm_set1_epi8('S');
    for (; i + 17 <= b; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i nx = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 1));
        __m128i end = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, dot),
                                                _mm_cmpeq_epi8(v, bang)),
                                   _mm_cmpeq_epi8(v, ask));
        __m128i cap = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(nx, cr),
                                                _mm_cmpeq_epi8(nx, cc)),
                                   _mm_or_si128(_mm_cmpeq_epi8(nx, ca),
                                                _mm_cmpeq_epi8(nx, cs)));
        __m128i hit = _mm_or_si128(end, _mm_and_si128(_mm_cmpeq_epi8(v, sp), cap));
        unsigned m = (unsigned)_mm_movemask_epi8(hit);
        if (m)
            return i + (size_t)__builtin_ctz(m);
    }
#endif
    while (i < b && !stop_at(s, i, b))
        i++;
    return i;
}

/* Cut s[a, b) into sentences; returns how many were written to out (at
 * most max; the last one runs to b). */
static size_t split_sentences(const char *s, size_t a, size_t b,
                              sentence *out, size_t max)
{
    size_t n = 0, start = a;
    for (size_t i = a; i < b && n + 1 < max; i++) {
        i = next_stop(s, i, b);
        if (i >= b)
            break;
        char c = s[i];
        if (c == ' ') {
            if (i == start || !button_at(s, i + 1, b))
                continue;
            out[n++] = (sentence){start, i};
            start = i + 1;
            continue;
        }
        size_t j = i + 1;
        while (j < b && (s[j] == '"' || s[j] == '\'' || s[j] == ')'))
            j++;
        while (j + 2 < b && (unsigned char)s[j] == 0xE2 &&
               (unsigned char)s[j + 1] == 0x80 &&
               ((unsigned char)s[j + 2] == 0x9D || (unsigned char)s[j + 2] == 0x99))
            j += 3;
        if (j >= b || s[j] != ' ')
            continue;
        size_t k = j;
        while (k < b && s[k] == ' ')
            k++;
        if (k >= b)
            continue;
        unsigned char next = (unsigned char)s[k];
        if (!(is_upper(next) || next == '"' || next == 0xE2 ||
              (next >= '0' && next <= '9')))
            continue;
        if (c == '.' && abbreviation_before(s, start, i))
            continue;
        out[n++] = (sentence){start, j};
        start = k;
        i = k - 1;
    }
    out[n++] = (sentence){start, b};
    return n;
}


/* Words that mark a sentence as addressed to the reader, and words of site
 * furniture; a nag needs both kinds (or two strong furniture words). */
typedef struct term {
    const char *word;
    size_t len;
    int reader;   /* 1: addresses the reader or speaks as the site */
    int ui;       /* 2: strong furniture word, 1: weak */
} term;

#define T(w, r, u) {w, sizeof(w) - 1, r, u}
static const term terms[] = {
    T("ad", 0, 1), T("us", 1, 0), T("we", 1, 0), T("ads", 0, 2),
    T("app", 0, 1), T("log", 0, 1), T("our", 1, 0), T("you", 1, 0), T("sign", 0, 1),
    T("your", 1, 0), T("email", 0, 1), T("inbox", 0, 2), T("login", 0, 2),
    T("share", 0, 1), T("cookie", 0, 2), T("donate", 0, 2), T("logged", 0, 2),
    T("reader", 1, 1), T("reload", 0, 2), T("update", 0, 1),
    T("adblock", 0, 2), T("blocker", 0, 2), T("browser", 0, 2),
    T("comment", 0, 1), T("consent", 0, 2), T("cookies", 0, 2),
    T("paywall", 0, 2), T("premium", 0, 1), T("privacy", 0, 1),
    T("readers", 0, 1), T("refresh", 0, 2), T("signing", 0, 1),
    T("support", 0, 1), T("website", 0, 1), T("comments", 0, 1),
    T("donation", 0, 2), T("download", 0, 1), T("password", 0, 2),
    T("paywalls", 0, 2), T("register", 0, 1), T("adblocker", 0, 2),
    T("subscribe", 0, 2), T("whitelist", 0, 2), T("commenting", 0, 2),
    T("journalism", 0, 2), T("newsletter", 0, 2), T("subscriber", 0, 2),
    T("advertising", 0, 2), T("newsletters", 0, 2), T("preferences", 0, 1),
    T("registering", 0, 2), T("unsubscribe", 0, 2), T("contribution", 0, 1),
    T("registration", 0, 2), T("subscription", 0, 2), T("whitelisting", 0, 2),
    T("notifications", 0, 2),
};

typedef struct score {
    int reader, ui, strong;
    bool speech; /* attributed speech: never a nag */
    bool opener; /* a word that may open a chrome phrase where it is (see
                    line_is_prose()) */
} score;

/* ASCII letters to lower case, every other byte to 0. */
static const unsigned char letter[256] = {
#define L(c) [c] = c, [c - 32] = c
    L('a'), L('b'), L('c'), L('d'), L('e'), L('f'), L('g'), L('h'), L('i'),
    L('j'), L('k'), L('l'), L('m'), L('n'), L('o'), L('p'), L('q'), L('r'),
    L('s'), L('t'), L('u'), L('v'), L('w'), L('x'), L('y'), L('z'),
#undef L
};

/* The words the scan looks for: terms, attribution verbs and the first
 * words of chrome phrases, in a direct-mapped table keyed by their
 * letters (lower case, zero-padded to 16 bytes, read as two integers).
 * Every word of 2 to 13 letters costs one probe and one compare, which
 * says no for all but a few in a hundred ("said", "we", "more"), and no
 * two of the words share a slot: word_tables_init() picks the table's
 * multiplier so. A screen on each word's first two letters and length
 * came before it, with a branch that went either way at a tenth of the
 * words and a lookup for those it let through ("same", "town",
 * "forces"): the probe for every word costs less than that branch. */
typedef struct word_slot {
    uint64_t lo, hi; /* lo == 0: an empty slot (a word has a letter) */
} word_slot;

typedef struct word_info {
    int reader, ui;
    bool term;   /* a term or an attribution verb: it scores */
    bool speech; /* an attribution verb */
    bool opener; /* the first word of a chrome phrase */
} word_info;

#define WORD_BITS 10
#define WORD_SLOTS (1u << WORD_BITS) /* ten times the words and more */

/* Keys and what they mean in two arrays: every word probes slot[], and
 * only the few that match read info[]. */
typedef struct word_tables {
    uint64_t mult; /* odd: the slot of a key is the top bits of its product */
    word_slot slot[WORD_SLOTS];
    word_info info[WORD_SLOTS];
} word_tables;

/* The key of the n letters at u (1 <= n <= 16; 16 bytes readable at u
 * when wide, else n): lower case, the bytes past n zero, the first n
 * bytes in memory whatever the byte order. */
static AZ_ALWAYS_INLINE void word_key(const unsigned char *u, size_t n, bool wide,
                                      uint64_t *lo, uint64_t *hi)
{
    uint64_t l, h, ml, mh;
    if (wide) {
        memcpy(&l, u, 8);
        memcpy(&h, u + 8, 8);
    } else {
        unsigned char b[16] = {0};
        memcpy(b, u, n);
        memcpy(&l, b, 8);
        memcpy(&h, b + 8, 8);
    }
    memcpy(&ml, az_first_bytes + 16 - n, 8);
    memcpy(&mh, az_first_bytes + 24 - n, 8);
    /* Letters only: | 0x20 is their lower case. */
    *lo = (l | UINT64_C(0x2020202020202020)) & ml;
    *hi = (h | UINT64_C(0x2020202020202020)) & mh;
}

static AZ_ALWAYS_INLINE size_t word_slot_of(uint64_t mult, uint64_t lo, uint64_t hi)
{
    return (size_t)(((lo + hi * UINT64_C(0xC2B2AE3D27D4EB4F)) * mult) >> (64 - WORD_BITS));
}

/* The word's slot when it is one of the table's, else SIZE_MAX. */
static AZ_ALWAYS_INLINE size_t find_word(const word_tables *t, uint64_t lo, uint64_t hi)
{
    size_t i = word_slot_of(t->mult, lo, hi);
    return t->slot[i].lo == lo && t->slot[i].hi == hi ? i : SIZE_MAX;
}

/* The words' keys, and what each is (one entry per word, its roles
 * merged: "share" is a term and opens "Share this"). */
#define VERBS 4
#define LISTED (sizeof(terms) / sizeof(*terms) + VERBS + \
                sizeof(chrome_phrases) / sizeof(*chrome_phrases))
typedef struct word_list {
    word_slot key[LISTED];
    word_info info[LISTED];
    size_t n;
} word_list;

static void list_word(word_list *l, const char *w, size_t n, word_info add)
{
    uint64_t lo, hi;
    unsigned char lower[16] = {0};
    for (size_t i = 0; i < n; i++)
        lower[i] = letter[(unsigned char)w[i]];
    word_key(lower, n, true, &lo, &hi);
    size_t k = 0;
    while (k < l->n && !(l->key[k].lo == lo && l->key[k].hi == hi))
        k++;
    if (k == l->n) {
        l->key[l->n] = (word_slot){lo, hi};
        l->info[l->n++] = (word_info){0, 0, false, false, false};
    }
    word_info *in = &l->info[k];
    in->reader += add.reader;
    in->ui += add.ui;
    in->term |= add.term;
    in->speech |= add.speech;
    in->opener |= add.opener;
}

static void word_tables_init(word_tables *t)
{
    _Static_assert(LISTED < WORD_SLOTS / 8, "the table has room for the words");
    word_list list = {.n = 0}, *w = &list;
    for (size_t k = 0; k < sizeof(terms) / sizeof(*terms); k++)
        list_word(w, terms[k].word, terms[k].len,
                  (word_info){terms[k].reader, terms[k].ui, true, false, false});
    /* Quotation marks alone do not make speech: buttons are quoted too
     * ('Click "I agree"'); an attribution verb does. */
    static const char *const verbs[VERBS] = {"said", "says", "told", "according"};
    for (size_t k = 0; k < VERBS; k++)
        list_word(w, verbs[k], strlen(verbs[k]), (word_info){0, 0, true, true, false});
    for (size_t k = 0; k < sizeof(chrome_phrases) / sizeof(*chrome_phrases); k++) {
        const char *p = chrome_phrases[k].text;
        list_word(w, p, strcspn(p, " "), (word_info){0, 0, false, false, true});
    }
    /* The first odd multiplier of a fixed sequence that gives every word
     * a slot of its own: for the 85 words in 1,024 slots, the 19th (about
     * one try in fifty succeeds for so many). */
    uint64_t mult = 1;
    for (uint64_t try = 0;; try++) {
        mult = XXH3_64bits(&try, sizeof(try)) | 1;
        uint64_t used[WORD_SLOTS / 64] = {0};
        size_t k = 0;
        for (; k < w->n; k++) {
            size_t i = word_slot_of(mult, w->key[k].lo, w->key[k].hi);
            if (used[i / 64] >> (i % 64) & 1)
                break;
            used[i / 64] |= UINT64_C(1) << (i % 64);
        }
        if (k == w->n)
            break;
    }
    memset(t, 0, sizeof(*t));
    t->mult = mult;
    for (size_t k = 0; k < w->n; k++) {
        size_t i = word_slot_of(mult, w->key[k].lo, w->key[k].hi);
        t->slot[i] = w->key[k];
        t->info[i] = w->info[k];
    }
}

/* Bit k set when u[i + k] is an ASCII letter, for k < 64 and i + k < b.
 * Words are short, so a byte loop mispredicts its exit at every word;
 * a mask of 64 bytes lets score_sentence() find words by bit counts. */
static uint64_t letter_bits(const unsigned char *u, size_t i, size_t b,
                            size_t lim)
{
    uint64_t m = 0;
#ifdef __SSE2__
    /* The text goes on to lim: a sentence's last window is read whole and
     * cut to b (a byte loop for it was a tenth of scoring). */
    if (i + 64 <= lim) {
        /* (c | 0x20) - 'a' <= 25, unsigned, holds for exactly [A-Za-z]. */
        const __m128i fold = _mm_set1_epi8(0x20), a = _mm_set1_epi8('a'),
                      z = _mm_set1_epi8(25);
        for (unsigned q = 0; q < 4; q++) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + i + 16 * q));
            __m128i t = _mm_sub_epi8(_mm_or_si128(v, fold), a);
            __m128i in = _mm_cmpeq_epi8(_mm_min_epu8(t, z), t);
            m |= (uint64_t)(unsigned)_mm_movemask_epi8(in) << (16 * q);
        }
        return b - i >= 64 ? m : m & ((UINT64_C(1) << (b - i)) - 1);
    }
#else
    (void)lim;
#endif
    for (size_t k = 0; k < 64 && i + k < b; k++)
        m |= (uint64_t)(letter[u[i + k]] != 0) << k;
    return m;
}

/* A word of s that adds to a score: where it starts and what it adds. */
typedef struct hit {
    size_t at;
    int reader, ui, strong;
    bool speech;
} hit;

/* The hits of one span, in order; ok is false when they could not all be
 * kept, and then nothing may be taken from them (the sentences are scored
 * one by one instead). At most MAX_HITS are kept: a line of nothing but
 * "we" would otherwise hold 24 bytes for every 3 of it, for the life of
 * the context. */
typedef struct hit_list {
    hit *v;
    size_t n, cap;
    bool ok;
} hit_list;

#define MAX_HITS 65536

static void add_hit(hit_list *h, hit x)
{
    if (!h->ok)
        return;
    if (h->n == MAX_HITS) {
        h->ok = false;
        return;
    }
    if (h->n == h->cap) {
        size_t cap = h->cap ? 2 * h->cap : 64;
        hit *v = realloc(h->v, cap * sizeof(*v));
        if (!v) {
            h->ok = false;
            return;
        }
        h->v = v;
        h->cap = cap;
    }
    h->v[h->n++] = x;
}

/* The score of s[a, b); with rec, each word that adds to it is also
 * appended there, so that the sentences of a line can be scored from
 * one scan of the whole line (see split_and_score()). */
static score score_sentence(const word_tables *wt, const char *s, size_t a,
                            size_t b, size_t lim, hit_list *rec)
{
    score sc = {0, 0, 0, false, false};
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = a, next; i < b; i = next) {
        uint64_t m = letter_bits(u, i, b, lim);
        next = b - i < 64 ? b : i + 64;
        /* A window starts at a word or at a byte that is no letter, so
         * each run of bits is a word: its first and last bits, in step,
         * give where it starts and its length. */
        uint64_t starts = m & ~(m << 1), ends = m & ~(m >> 1);
        if (next < b && m >> 63) {
            /* The last word may go on past the window: the next window
             * starts at it; a run of 64 letters is no term, skip it. */
            unsigned last = 63 - (unsigned)__builtin_clzll(starts);
            if (last > 0) {
                next = i + last;
            } else {
                while (next < b && letter[u[next]])
                    next++;
            }
            starts &= (UINT64_C(1) << last) - 1;
            ends &= (UINT64_C(1) << last) - 1;
        }
        while (starts) {
            unsigned at = (unsigned)__builtin_ctzll(starts);
            size_t n = (size_t)__builtin_ctzll(ends) - at + 1;
            starts &= starts - 1;
            ends &= ends - 1;
            size_t start = i + at;
            /* No word of 1 letter or more than 13 is looked for.
             * (Unsigned: n - 2 > 11 is n < 2 or n > 13.) */
            if (n - 2 > 11)
                continue;
            uint64_t lo, hi;
            word_key(u + start, n, start + 16 <= lim, &lo, &hi);
            size_t k = find_word(wt, lo, hi);
            if (k == SIZE_MAX)
                continue;
            const word_info *ws = &wt->info[k];
            /* Sentences start capitalised, but the first may not. A
             * phrase that would be cut from a sentence starting here is
             * found here too (a sentence ends where the line has a space,
             * or with it). */
            if (ws->opener && (start == a || is_upper(u[start])) &&
                chrome_prefix(s + start, b - start) != 0)
                sc.opener = true;
            if (!ws->term)
                continue;
            if (n == 2 && u[start] == 'U' && u[start + 1] == 'S')
                continue; /* "US" is the country, not "us" */
            hit x = {start, ws->reader, ws->ui, ws->ui == 2, ws->speech};
            sc.reader += x.reader;
            sc.ui += x.ui;
            sc.strong += x.strong;
            sc.speech |= x.speech;
            if (rec)
                add_hit(rec, x);
        }
    }
    return sc;
}

static bool is_nag(score sc)
{
    return !sc.speech && ((sc.reader >= 1 && sc.ui >= 2) ||
                          (sc.reader >= 2 && sc.ui >= 1) || sc.strong >= 2 ||
                          (sc.strong >= 1 && sc.ui >= 3));
}

/* Inside a nag block, a sentence still belongs to it if it speaks to the
 * reader or about the site at all, or is a short fragment ("The TIME
 * Team", "Not now Yes please"). */
static bool nag_continues(const char *s, size_t a, size_t b, score sc)
{
    if (sc.speech)
        return false;
    if (sc.reader || sc.ui)
        return true;
    return !ends_sentence(s + a, b - a) && count_words(s + a, b - a, 7) <= 6;
}

/* ---- pass 2: the header zone ---- */

#define MAX_SENTENCES 512

typedef struct body_state {
    bool in_nag;
} body_state;

/* What to do with the sentences of one line: cut[k] bytes of button text
 * open sentence k, drop[k] says the sentence is part of a nag. */
typedef struct plan {
    word_tables words;       /* see word_tables */
    size_t page_len;         /* of the page: how far the text may be read */
    size_t key_a, key_b; /* the span last cut: mark_header's last line is
                            emit_body's first, cut and scored once */
    line *lines;             /* the page's lines: kept for the next page */
    size_t lines_cap;
    sentence sent[MAX_SENTENCES];
    size_t cut[MAX_SENTENCES];
    score sc[MAX_SENTENCES];
    bool drop[MAX_SENTENCES];
    size_t n;
    size_t prose_a, prose_b; /* the span line_is_prose() last scanned: */
    bool prose;              /* its answer, */
    hit_list hits;           /* and its words that score */
} plan;

static bool line_is_prose(plan *pl, const char *s, size_t a, size_t b);

/* Whether u[i] continues a word begun before it: scoring s[i, ...) alone
 * would then see another word there than the whole line's scan saw. */
static bool inside_word(const unsigned char *u, size_t i, size_t a, size_t b)
{
    return i > a && i < b && letter[u[i - 1]] && letter[u[i]];
}

/* Cut s[a, b) into sentences, strip the button text opening any of them
 * ("Read more The first round ..."), and score each. */
static void split_and_score(const char *s, size_t a, size_t b, plan *pl)
{
    if (pl->key_a == a && pl->key_b == b)
        return;
    pl->key_a = a;
    pl->key_b = b;
    /* The sentences are scored from the hits of one scan of the line
     * (usually done already, to learn that the line is not plain prose):
     * a sentence's score is the sum of its words' and a word's part
     * depends on it alone, so this equals scoring each sentence anew,
     * which was a third of cleaning on single-line articles. */
    if (pl->prose_a != a || pl->prose_b != b)
        line_is_prose(pl, s, a, b);
    const unsigned char *u = (const unsigned char *)s;
    /* No hits yet in this context: no array (and NULL + 0 is undefined). */
    const hit *h = pl->hits.v, *hend = h ? h + pl->hits.n : h;
    pl->n = split_sentences(s, a, b, pl->sent, MAX_SENTENCES);
    for (size_t k = 0; k < pl->n; k++) {
        sentence *se = &pl->sent[k];
        size_t pre = chrome_prefix(s + se->a, se->b - se->a);
        pl->cut[k] = pre < se->b - se->a ? pre : 0;
        if (pl->cut[k]) {
            se->a += pre;
            while (se->a < se->b && s[se->a] == ' ')
                se->a++;
        }
        if (!pl->hits.ok || inside_word(u, se->a, a, b) || inside_word(u, se->b, a, b)) {
            pl->sc[k] = score_sentence(&pl->words, s, se->a, se->b,
                                       pl->page_len, NULL);
            continue;
        }
        score sc = {0, 0, 0, false, false};
        while (h < hend && h->at < se->a)
            h++;
        for (; h < hend && h->at < se->b; h++) {
            sc.reader += h->reader;
            sc.ui += h->ui;
            sc.strong += h->strong;
            sc.speech |= h->speech;
        }
        pl->sc[k] = sc;
    }
}

/* The sum of the sentences' scores, and whether any button was cut. */
static score plan_total(const plan *pl, bool *cut)
{
    score t = {0, 0, 0, false, false};
    *cut = false;
    for (size_t k = 0; k < pl->n; k++) {
        t.reader += pl->sc[k].reader;
        t.ui += pl->sc[k].ui;
        t.strong += pl->sc[k].strong;
        t.speech |= pl->sc[k].speech;
        *cut |= pl->cut[k] != 0;
    }
    return t;
}

/* Decide the sentences of s[a, b) given the nag state before them; the
 * state is updated to after them. Returns the number of sentences kept. */
static size_t plan_line(const char *s, size_t a, size_t b, body_state *st,
                        plan *pl)
{
    size_t kept = 0;
    split_and_score(s, a, b, pl);
    for (size_t k = 0; k < pl->n; k++) {
        const sentence *se = &pl->sent[k];
        /* Button text closes any appeal before it. */
        if (pl->cut[k])
            st->in_nag = false;
        bool drop;
        if (st->in_nag) {
            /* A neutral sentence between two nag sentences is part of the
             * appeal ("The Independent is trusted by ..."). */
            drop = nag_continues(s, se->a, se->b, pl->sc[k]);
            if (!drop && k + 1 < pl->n)
                drop = is_nag(pl->sc[k + 1]);
            st->in_nag = drop;
        } else {
            drop = is_nag(pl->sc[k]);
            st->in_nag = drop;
        }
        pl->drop[k] = drop;
        kept += !drop;
    }
    return kept;
}

/* Whether no sentence of s[a, b) can be a nag and no chrome phrase can
 * open one: then the line is kept whole, as most lines are. The line's
 * words are those of its sentences, so its counts bound theirs; a phrase
 * at a sentence's start is a phrase at a capitalised word of the line (or
 * its first), or follows a bullet. */
static bool line_is_prose(plan *pl, const char *s, size_t a, size_t b)
{
    /* mark_header()'s last line is emit_body()'s first: asked twice. */
    if (pl->prose_a == a && pl->prose_b == b)
        return pl->prose;
    pl->prose_a = a;
    pl->prose_b = b;
    pl->prose = false;
    pl->hits.n = 0;
    pl->hits.ok = true;
    score sc = score_sentence(&pl->words, s, a, b, pl->page_len,
                              &pl->hits);
    /* The line's counts bound each sentence's, and is_nag() only grows
     * with them: when they do not make a nag (speech aside), no sentence
     * of the line is one. ("We" and "our" are in many quotes: most lines
     * of news with them are prose.) */
    sc.speech = false;
    if (is_nag(sc) || sc.opener)
        return false;
    for (const char *p = s + a, *e = s + b;
         (p = memchr(p, 0xE2, (size_t)(e - p))) != NULL; p++)
        if (e - p >= 3 && (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0xA2)
            return false;
    return pl->prose = true;
}

static az_status mark_header(page *p, plan *pl, size_t *body_start)
{
    size_t i = 0;
    unsigned index = 0;
    for (; i < p->n; i++) {
        line *l = &p->lines[i];
        if (l->kind != L_TEXT)
            continue;
        const char *s = p->s + l->off;
        /* A nag above the article ("Stay up to date with notifications")
         * reads like a sentence but does not start the body; only a line
         * with a word of an appeal in it can be one. */
        score whole = {0, 0, 0, false, false};
        bool cut = false;
        if (!line_is_prose(pl, p->s, l->off, l->off + l->len)) {
            split_and_score(p->s, l->off, l->off + l->len, pl);
            whole = plan_total(pl, &cut);
        }
        if (whole.reader || whole.ui) {
            body_state st = {false};
            if (plan_line(p->s, l->off, l->off + l->len, &st, pl) == 0 ||
                (!cut && is_nag(whole))) {
                l->kind = L_NAG;
                continue;
            }
        }
        if (line_body(p->s, l))
            break;
        l->kind = L_HEADER;
        if (az_meta_header_line(p->x, s, l->len, l->no, index++) != AZ_OK)
            return AZ_ENOMEM;
    }
    *body_start = i;
    return AZ_OK;
}

/* After a gallery button, a line opens with the photo caption that ends in
 * a parenthesised credit ("... Donetsk (AFP/Getty) Your support ..."):
 * returns where the text after the caption starts, or `a` when no credit
 * is found. */
static size_t cut_caption(const char *s, size_t a, size_t b)
{
    for (size_t i = a; i + 2 < b; i++)
        if (s[i] == ')' && s[i + 1] == ' ' && is_upper((unsigned char)s[i + 2]))
            return i + 2;
    return a;
}

/* Emit the kept sentences of one body line as paragraphs (one per
 * contiguous run), dropping nag blocks and button text. */
static az_status clean_body_line(page *p, const line *l, body_state *st,
                                 size_t a, plan *pl)
{
    const char *s = p->s;
    size_t b = l->off + l->len;
    /* The common case, a paragraph of prose: no appeal under way, no word
     * of one in the line, no button. It is kept whole, found so without
     * cutting it into sentences, or after. */
    if (!st->in_nag && line_is_prose(pl, s, a, b))
        return az_extract_para(p->x, s + a, b - a, a, l->no, false);
    split_and_score(s, a, b, pl);
    bool cut;
    score whole = plan_total(pl, &cut);
    if (!st->in_nag && !cut && whole.reader == 0 && whole.ui == 0)
        return az_extract_para(p->x, s + a, b - a, a, l->no, false);
    plan_line(s, a, b, st, pl);
    size_t run_a = SIZE_MAX, run_b = 0;
    for (size_t k = 0; k <= pl->n; k++) {
        bool brk = k == pl->n || pl->cut[k] || pl->drop[k];
        if (brk && run_a != SIZE_MAX) {
            if (az_extract_para(p->x, s + run_a, run_b - run_a, run_a, l->no,
                                false) != AZ_OK)
                return AZ_ENOMEM;
            run_a = SIZE_MAX;
        }
        if (k == pl->n)
            break;
        if (pl->cut[k])
            az_extract_drop(p->x, AZ_CLEAN_UI_CHROME, pl->cut[k]);
        if (pl->drop[k]) {
            az_extract_drop(p->x, AZ_CLEAN_UI_NAG, pl->sent[k].b - pl->sent[k].a);
            continue;
        }
        if (run_a == SIZE_MAX)
            run_a = pl->sent[k].a;
        run_b = pl->sent[k].b;
    }
    return AZ_OK;
}

/* Drop trailing furniture: after the last line that reads as body text,
 * short non-sentences are prompts ("Comments", "Join our forum"), unless
 * they are credits. Returns the index one past the last body line. */
static size_t body_end(const page *p)
{
    size_t end = p->n;
    while (end > 0) {
        line *l = &p->lines[end - 1];
        if (l->kind == L_TEXT && line_body(p->s, l))
            break;
        if (l->kind == L_CREDIT)
            break;
        end--;
    }
    return end;
}

static az_status emit_body(page *p, plan *pl, size_t start)
{
    body_state st = {false};
    az_status rc = AZ_OK;
    size_t end = body_end(p);
    bool after_gallery = false;
    for (size_t i = 0; i < p->n; i++) {
        line *l = &p->lines[i];
        switch (l->kind) {
        case L_BLANK:
            continue;
        case L_TRACKER:
            az_extract_drop(p->x, AZ_CLEAN_CHANGE_TRACKER, l->len);
            continue;
        case L_DEBRIS:
            az_extract_drop(p->x, AZ_CLEAN_CSS_DEBRIS, l->len);
            continue;
        case L_HEADER:
            az_extract_drop(p->x, AZ_CLEAN_HEADER, l->len);
            continue;
        case L_NAG:
            /* An appeal that began above the body runs on into it. */
            st.in_nag = true;
            az_extract_drop(p->x, AZ_CLEAN_UI_NAG, l->len);
            continue;
        case L_CAPTION:
            az_extract_drop(p->x, AZ_CLEAN_CAPTION, l->len);
            continue;
        case L_CHROME:
            after_gallery = contains_ci(p->s + l->off, l->len, "gallery") ||
                            contains_ci(p->s + l->off, l->len, "image");
            az_extract_drop(p->x, AZ_CLEAN_UI_CHROME, l->len);
            continue;
        case L_CREDIT:
            rc = az_extract_para(p->x, p->s + l->off, l->len, l->off, l->no,
                                 false);
            if (rc != AZ_OK)
                goto done;
            continue;
        case L_TEXT:
            break;
        }
        if (i < start || i >= end) {
            az_extract_drop(p->x, AZ_CLEAN_UI_CHROME, l->len);
            continue;
        }
        size_t a = l->off;
        if (after_gallery) {
            a = cut_caption(p->s, l->off, l->off + l->len);
            if (a > l->off)
                az_extract_drop(p->x, AZ_CLEAN_CAPTION, a - l->off);
            else if (!line_body(p->s, l)) {
                az_extract_drop(p->x, AZ_CLEAN_CAPTION, l->len);
                after_gallery = false;
                continue;
            }
            after_gallery = false;
        }
        if ((rc = clean_body_line(p, l, &st, a, pl)) != AZ_OK)
            break;
    }
done:
    return rc;
}

az_status az_clean_text(az_ctx *ctx, az_extract *out, const char *raw,
                        size_t len)
{
    size_t start = 0;
    /* The plan is tens of kilobytes: allocated once per context. */
    if (!ctx->clean_scratch) {
        if (!(ctx->clean_scratch = calloc(1, sizeof(plan))))
            return az_error(ctx, AZ_ENOMEM, "out of memory while cleaning text");
        word_tables_init(&((plan *)ctx->clean_scratch)->words);
    }
    plan *pl = ctx->clean_scratch;
    page p = {raw, len, pl->lines, 0, pl->lines_cap, out};
    pl->page_len = len;
    pl->key_a = pl->key_b = SIZE_MAX;
    pl->prose_a = pl->prose_b = SIZE_MAX;
    /* The text never outgrows the input: one allocation up front. */
    az_status st = az_buf_grow(&out->text, len + 1);
    if (st == AZ_OK)
        st = split_lines(&p);
    if (st != AZ_OK)
        goto done;
    if ((st = mark_tracker(&p)) != AZ_OK)
        goto done;
    classify_lines(&p);
    if ((st = mark_header(&p, pl, &start)) != AZ_OK)
        goto done;
    if ((st = emit_body(&p, pl, start)) != AZ_OK)
        goto done;
    st = az_meta_infer(out, raw, len);
done:
    pl->lines = p.lines;
    pl->lines_cap = p.cap;
    if (st == AZ_ENOMEM)
        return az_error(ctx, st, "out of memory while cleaning text");
    return st;
}

void az_clean_scratch_free(void *scratch)
{
    plan *pl = scratch;
    if (pl) {
        free(pl->lines);
        free(pl->hits.v);
    }
    free(pl);
}
