/*
 * claims.c - numeric claims: a figure about a countable thing, with its
 * hedge as an interval, the counted noun, the unit, and who it is
 * attributed to.
 *
 * Each document's cleaned text is tokenized once; the scan walks the
 * tokens, reads a number where one starts (number.c), and then looks
 * around it:
 *
 *   before   the hedge ("as many as", "some", "more than", "between"),
 *            a currency sign, a month (a date), "aged", a label
 *            ("Resolution 2254")
 *   after    a second number (a range), "per cent" / "%", a unit of
 *            measure or time (not a count), "year-old", a month, ':' and
 *            "a.m." (a time), the counted noun phrase
 *   sentence "according to X", "X said", "said X"
 *
 * A claim keeps its surface span (hedge to noun) in the cleaned text, so
 * it can be shown as file:line with the exact words.
 *
 * Invariants: claims of a document are in text order; `high` is INFINITY
 * for an open interval; every string is in the claims' arena.
 */
#include "az_priv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- word lists ---- */

static bool in_list(const char *text, const az_token *t, const char *const *list)
{
    for (size_t k = 0; list[k]; k++)
        if (az_tok_is(text, t, list[k]))
            return true;
    return false;
}

static const char *const months[] = {
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", NULL};

/* Units of measure and time: "30 km", "three weeks" are not counts. */
static const char *const measures[] = {
    "metre", "metres", "meter", "meters", "km", "kilometre", "kilometres",
    "kilometer", "kilometers", "mile", "miles", "m", "cm", "mm", "kg",
    "kilogram", "kilograms", "tonne", "tonnes", "ton", "tons", "litre",
    "litres", "liter", "liters", "degree", "degrees", "celsius",
    "fahrenheit", "second", "seconds", "minute", "minutes", "hour", "hours",
    "day", "days", "week", "weeks", "month", "months", "year", "years",
    "decade", "decades", "century", "centuries", "mph", "kph", "feet",
    "foot", "ft", "inch", "inches", "acre", "acres", "hectare", "hectares",
    "sq", "square", "cubic", "gb", "mb", "kb", "mw", "gw", "kw", "o'clock",
    "deep", "high", "wide", "long", "tall", NULL};

/* Words before a number that make it a label or an identifier. */
static const char *const labels[] = {
    "resolution", "article", "no", "number", "boeing", "airbus", "route",
    "flight", "room", "chapter", "section", "page", "version", "category",
    "level", "phase", "stage", "model", "apollo", "highway", "road", "platform",
    "gate", "paragraph", "clause", "bus", "line", "channel", "pier", "unit",
    "covid", "windows", "iphone", "ios", "f", "mig", "su", NULL};

/* Words that end a noun phrase after the number. */
static const char *const np_stops[] = {
    "and", "or", "but", "of", "in", "on", "at", "to", "from", "by", "for",
    "with", "without", "near", "along", "across", "into", "onto", "over",
    "under", "after", "before", "during", "since", "until", "than", "as",
    "who", "whom", "whose", "which", "that", "were", "was", "are", "is",
    "be", "been", "being", "had", "has", "have", "will", "would", "could",
    "may", "might", "must", "should", "can", "did", "do", "does", "said",
    "say", "says", "thought", "believed", "reported", "feared", "expected",
    "still", "also", "more", "less", "each", "a", "an", "the", "this",
    "these", "those", "their", "its", "his", "her", "our", "your", "my",
    "per", "percent", "cent", "so", "far", "now", "then", "there", "here",
    "while", "when", "where", "if", "it", "they", "them", "he", "she", "we",
    "you", "i", "us", "him", "me", "not", "had", "across", NULL};

/* Participles that follow a counted noun ("17 people dead"). */
static const char *const after_noun[] = {
    "dead", "killed", "wounded", "injured", "missing", "displaced",
    "evacuated", "arrested", "detained", "hurt", "left", "living", NULL};

static const char *const speech_verbs[] = {
    "said", "says", "say", "told", "estimated", "estimates", "estimate",
    "reported", "reports", "announced", "stated", "claimed", "claims",
    "added", "confirmed", "put", NULL};

/* ---- context around a number ---- */

typedef struct scan {
    const char *text;
    size_t len;
    const az_token *t;
    size_t n;
} scan;

/* Plurals that do not end in -s. */
static const char *const plurals[] = {
    "people", "men", "women", "children", "police", "staff", "personnel",
    "cattle", "sheep", "livestock", "civilians", "persons", NULL};

/* A plural noun ends the phrase: "1,500 soldiers overnight". */
static bool plural(const scan *s, const az_token *t)
{
    const char *w = s->text + t->off;
    if (in_list(s->text, t, plurals))
        return true;
    if (t->len < 3 || w[t->len - 1] != 's' || w[0] < 'a' || w[0] > 'z')
        return false;
    char p = w[t->len - 2];
    return p != 's' && p != 'u' && p != 'i';
}

/* The bytes between tokens i and i + 1 (or to the end of the text). */
static const char *gap(const scan *s, size_t i, size_t *glen)
{
    size_t a = s->t[i].off + s->t[i].len;
    size_t b = i + 1 < s->n ? s->t[i + 1].off : s->len;
    *glen = b - a;
    return s->text + a;
}

/* The gap after token i holds only spaces (no punctuation). */
static bool plain_gap(const scan *s, size_t i)
{
    size_t n;
    const char *g = gap(s, i, &n);
    return n > 0 && az_space_len(g, n) == n;
}

/* The same, allowing a currency sign before the next token ("about $5",
 * "between US$2m"). */
static bool money_gap(const scan *s, size_t i)
{
    size_t n;
    const char *g = gap(s, i, &n);
    const unsigned char *u = (const unsigned char *)g;
    if (n >= 1 && u[n - 1] == '$')
        n -= 1;
    else if (n >= 2 && u[n - 2] == 0xC2 && u[n - 1] == 0xA3)
        n -= 2;
    else if (n >= 3 && u[n - 3] == 0xE2 && u[n - 2] == 0x82 && u[n - 1] == 0xAC)
        n -= 3;
    return n > 0 && az_space_len(g, n) == n;
}

static bool gap_has(const scan *s, size_t i, char c)
{
    size_t n;
    const char *g = gap(s, i, &n);
    return memchr(g, c, n) != NULL;
}

/* Gap before token i (i > 0). */
static const char *gap_before(const scan *s, size_t i, size_t *glen)
{
    return gap(s, i - 1, glen);
}

/* Token i starts a line (only spaces since the last newline). */
static bool line_start(const scan *s, size_t i)
{
    size_t a = i ? s->t[i - 1].off + s->t[i - 1].len : 0;
    const char *nl = NULL;
    for (size_t k = s->t[i].off; k > a; k--)
        if (s->text[k - 1] == '\n') {
            nl = s->text + k - 1;
            break;
        }
    return i == 0 || nl != NULL;
}

/* The hedge before the number at token i: sets *h and the first token of
 * the hedge; AZ_HEDGE_EXACT when none. */
static az_hedge hedge_before(const scan *s, size_t i, size_t *start)
{
    static const struct {
        const char *w[3];
        az_hedge h;
        int kind; /* 0: +-10 %, 1: [-10 %, v], 2: [v, +10 %] */
    } phrases[] = {
        {{"as", "many", "as"}, AZ_HEDGE_UPPER, 0},
        {{"no", "more", "than"}, AZ_HEDGE_UPPER, 0},
        {{"no", "fewer", "than"}, AZ_HEDGE_LOWER, 0},
        {{"in", "excess", "of"}, AZ_HEDGE_LOWER, 0},
        {{"up", "to", NULL}, AZ_HEDGE_UPPER, 0},
        {{"fewer", "than", NULL}, AZ_HEDGE_UPPER, 0},
        {{"less", "than", NULL}, AZ_HEDGE_UPPER, 0},
        {{"at", "most", NULL}, AZ_HEDGE_UPPER, 0},
        {{"more", "than", NULL}, AZ_HEDGE_LOWER, 0},
        {{"at", "least", NULL}, AZ_HEDGE_LOWER, 0},
        {{"upwards", "of", NULL}, AZ_HEDGE_LOWER, 0},
        {{"just", "over", NULL}, AZ_HEDGE_APPROX, 2},
        {{"just", "under", NULL}, AZ_HEDGE_APPROX, 1},
        {{"close", "to", NULL}, AZ_HEDGE_APPROX, 0},
        {{"an", "estimated", NULL}, AZ_HEDGE_APPROX, 0},
        {{"about", NULL, NULL}, AZ_HEDGE_APPROX, 0},
        {{"around", NULL, NULL}, AZ_HEDGE_APPROX, 0},
        {{"some", NULL, NULL}, AZ_HEDGE_APPROX, 0},
        {{"roughly", NULL, NULL}, AZ_HEDGE_APPROX, 0},
        {{"approximately", NULL, NULL}, AZ_HEDGE_APPROX, 0},
        {{"estimated", NULL, NULL}, AZ_HEDGE_APPROX, 0},
        {{"nearly", NULL, NULL}, AZ_HEDGE_APPROX, 1},
        {{"almost", NULL, NULL}, AZ_HEDGE_APPROX, 1},
        {{"over", NULL, NULL}, AZ_HEDGE_LOWER, 0},
        {{"under", NULL, NULL}, AZ_HEDGE_UPPER, 0},
    };
    for (size_t k = 0; k < sizeof(phrases) / sizeof(*phrases); k++) {
        size_t len = phrases[k].w[2] ? 3 : phrases[k].w[1] ? 2 : 1;
        if (i < len)
            continue;
        bool ok = true;
        for (size_t w = 0; w < len && ok; w++)
            ok = az_tok_is(s->text, &s->t[i - len + w], phrases[k].w[w]) &&
                 (w + 1 < len ? plain_gap(s, i - len + w) : money_gap(s, i - len + w));
        if (ok) {
            *start = i - len;
            return phrases[k].h + (az_hedge)(phrases[k].kind << 4);
        }
    }
    *start = i;
    return AZ_HEDGE_EXACT;
}

/* A currency sign or code right before token i ("$5", "$ 5", "USD 200"):
 * "USD", "GBP", "EUR" or NULL. */
static const char *currency_before(const scan *s, size_t i)
{
    size_t n;
    const char *g = i ? gap_before(s, i, &n) : (n = s->t[0].off, s->text);
    while (n && g[n - 1] == ' ')
        n--;
    const unsigned char *u = (const unsigned char *)g;
    if (n >= 1 && u[n - 1] == '$')
        return "USD";
    if (n >= 2 && u[n - 2] == 0xC2 && u[n - 1] == 0xA3)
        return "GBP";
    if (n >= 3 && u[n - 3] == 0xE2 && u[n - 2] == 0x82 && u[n - 1] == 0xAC)
        return "EUR";
    if (i > 0 && plain_gap(s, i - 1)) {
        static const char *const codes[] = {"USD", "GBP", "EUR"};
        for (size_t k = 0; k < 3; k++)
            if (s->t[i - 1].len == 3 && memcmp(s->text + s->t[i - 1].off, codes[k], 3) == 0)
                return codes[k];
    }
    return NULL;
}

/* Bytes of a currency sign right against token i ("$5", "£5", "€5"), which
 * belong in the surface text; 0 when there is none, or a space or a code
 * in between ("$ 5", "USD 5"): a fixed width there cut "£ 5" inside the
 * pound sign. */
static size_t sign_len(const scan *s, size_t i)
{
    const unsigned char *u = (const unsigned char *)s->text;
    size_t o = s->t[i].off, n = o - (i ? s->t[i - 1].off + s->t[i - 1].len : 0);
    if (n >= 1 && u[o - 1] == '$')
        return 1;
    if (n >= 2 && u[o - 2] == 0xC2 && u[o - 1] == 0xA3)
        return 2;
    if (n >= 3 && u[o - 3] == 0xE2 && u[o - 2] == 0x82 && u[o - 1] == 0xAC)
        return 3;
    return 0;
}

/* Why a number is not a claim, or NULL when it may be one. */
static const char *excluded(const scan *s, const az_number *num, bool all)
{
    const az_token *t = s->t;
    size_t i = num->first, j = num->last;
    const char *tx = s->text;
    if (num->bad_suffix)
        return "suffix";
    /* A spelled "one" is an article more often than a count. */
    if (num->spelled && num->value == 1 && j == i)
        return "one";
    if (num->leading_zero)
        return "code";
    if (i > 0) {
        size_t n;
        const char *g = gap_before(s, i, &n);
        if (n && g[n - 1] == '+')
            return "phone";
        unsigned char p0 = (unsigned char)tx[t[i - 1].off];
        bool prev_digits = p0 >= '0' && p0 <= '9';
        /* 19:51, 12/05/2023, 9/11: the second half of a time or a date */
        if (prev_digits && n == 1 && (g[0] == ':' || g[0] == '/'))
            return "time-or-date";
        /* 01632 960983: the run of digit groups of a phone number (a year
         * before a count is not one: "In 2019 250 families") */
        if (prev_digits && az_space_len(g, n) == n && !num->spelled &&
            !(t[i - 1].len == 4 && p0 >= '1' && p0 <= '2'))
            return "phone";
        for (size_t k = i; k > 0 && i - k < 4; k--)
            if (az_tok_is(tx, &t[k - 1], "aged"))
                return "age";
        if (in_list(tx, &t[i - 1], months) || az_tok_is(tx, &t[i - 1], "aged"))
            return "date-or-age";
        if (in_list(tx, &t[i - 1], labels) && (n == 1 || (n == 2 && g[0] == '.') ||
                                               (n == 1 && g[0] == '-')))
            return "label";
    }
    /* Bare years, and the year of "March 30, 2014" ("$2000" is money). */
    if (num->plain && !num->scaled && !num->spelled && num->digits == 4 &&
        num->value >= 1800 && num->value <= 2100 && !currency_before(s, i))
        return "year";
    if (j + 1 < s->n) {
        if (in_list(tx, &t[j + 1], months) && !num->spelled)
            return "date";
        if ((gap_has(s, j, ':') || gap_has(s, j, '/')) && !num->spelled && s->t[j + 1].len <= 4 &&
            tx[t[j + 1].off] >= '0' && tx[t[j + 1].off] <= '9')
            return "time";
        if ((az_tok_is(tx, &t[j + 1], "a") || az_tok_is(tx, &t[j + 1], "p")) &&
            j + 2 < s->n && az_tok_is(tx, &t[j + 2], "m") && gap_has(s, j + 1, '.'))
            return "time";
        if (az_tok_is(tx, &t[j + 1], "am") || az_tok_is(tx, &t[j + 1], "pm") ||
            az_tok_is(tx, &t[j + 1], "gmt") || az_tok_is(tx, &t[j + 1], "bst") ||
            az_tok_is(tx, &t[j + 1], "utc"))
            return "time";
        /* Digit groups run on: a phone number. */
        if (!num->spelled && plain_gap(s, j) && tx[t[j + 1].off] >= '0' &&
            tx[t[j + 1].off] <= '9' && t[j + 1].len >= 3 && num->digits >= 2)
            return "phone";
        if (!all && in_list(tx, &t[j + 1], measures) && !(num->short_scale))
            return "measure";
    }
    /* One token "61-year-old", "48-metre", "3-1" */
    const char *h = memchr(tx + t[j].off, '-', t[j].len);
    if (h && !num->spelled) {
        const char *after = h + 1;
        size_t rest = (size_t)(tx + t[j].off + t[j].len - after);
        if (rest >= 4 && strncasecmp(after, "year", 4) == 0)
            return "age";
        if (rest && !(after[0] >= '0' && after[0] <= '9'))
            return all ? NULL : "measure";
    }
    if (i > 0 && (az_tok_is(tx, &t[i - 1], "won") || az_tok_is(tx, &t[i - 1], "lost") ||
                  az_tok_is(tx, &t[i - 1], "beat") || az_tok_is(tx, &t[i - 1], "drew")) &&
        memchr(tx + t[i].off, '-', t[i].len))
        return "score";
    /* "Tomas Berg, 61, said", "her husband, 31,": an age in apposition. */
    if (i > 0 && j + 1 < s->n && !num->spelled && num->plain && num->value < 120 &&
        gap_has(s, i - 1, ',') && gap_has(s, j, ','))
        return "age";
    /* "1. The first point": list numbering */
    if (!num->spelled && line_start(s, i) && j + 1 < s->n && num->value < 100) {
        size_t n;
        const char *g = gap(s, j, &n);
        if (n >= 1 && (g[0] == '.' || g[0] == ')'))
            return "list";
    }
    return NULL;
}

/* ---- the counted noun ---- */

/* The counted noun after token j: its token index, or SIZE_MAX. Skips
 * "of" after a vague magnitude ("tens of thousands of troops"). */
static size_t counted_noun(const scan *s, size_t j, bool vague)
{
    const char *tx = s->text;
    size_t k = j + 1;
    if (k < s->n && plain_gap(s, j) && az_tok_is(tx, &s->t[k], "of") &&
        (vague || true) && k + 1 < s->n && plain_gap(s, k))
        k++;
    else if (k < s->n && !plain_gap(s, j))
        return SIZE_MAX;
    size_t noun = SIZE_MAX;
    for (size_t w = 0; w < 4 && k < s->n; w++, k++) {
        const az_token *t = &s->t[k];
        unsigned char c0 = (unsigned char)tx[t->off];
        if (c0 >= '0' && c0 <= '9')
            break;
        if (in_list(tx, t, np_stops))
            break;
        /* "64 wounded": the participle is what is counted. */
        if (noun == SIZE_MAX && in_list(tx, t, after_noun)) {
            noun = k;
            break;
        }
        /* "Hundreds gathered outside": a verb in -ed right after the
         * figure, unless a plural follows ("40 armed men"). */
        if (noun == SIZE_MAX && t->len > 4 &&
            strncasecmp(tx + t->off + t->len - 2, "ed", 2) == 0 &&
            !(k + 1 < s->n && plain_gap(s, k) && plural(s, &s->t[k + 1])))
            break;
        if (noun != SIZE_MAX) {
            /* After a noun: participles and verbs in -ed/-ing end it. */
            if (in_list(tx, t, after_noun))
                break;
            if (t->len > 4 && ((strncasecmp(tx + t->off + t->len - 2, "ed", 2) == 0) ||
                               (strncasecmp(tx + t->off + t->len - 3, "ing", 3) == 0)))
                break;
        }
        noun = k;
        if (!plain_gap(s, k) || plural(s, t))
            break;
    }
    return noun;
}

/* ---- attribution ---- */

/* The sentence around byte offset `at`: [a, b) in the text. */
static void sentence_of(const scan *s, size_t at, size_t *a, size_t *b)
{
    const char *tx = s->text;
    size_t x = at;
    while (x > 0) {
        char c = tx[x - 1];
        if (c == '\n')
            break;
        if ((c == '.' || c == '!' || c == '?') && x < s->len && tx[x] == ' ' &&
            !(x >= 3 && tx[x - 3] == '.') && !(x >= 2 && tx[x - 2] >= 'A' && tx[x - 2] <= 'Z' &&
                                               (x < 3 || tx[x - 3] == ' ' || tx[x - 3] == '.')))
            break;
        x--;
    }
    size_t y = at;
    while (y < s->len && tx[y] != '\n') {
        char c = tx[y];
        if ((c == '.' || c == '!' || c == '?') && (y + 1 >= s->len || tx[y + 1] == ' ' ||
                                                   tx[y + 1] == '\n' || tx[y + 1] == '"'))
            if (!(y >= 1 && tx[y - 1] >= 'A' && tx[y - 1] <= 'Z' &&
                  (y < 2 || tx[y - 2] == ' ' || tx[y - 2] == '.')))
                break;
        y++;
    }
    *a = x;
    *b = y;
}

/* First token index at or after byte `off`. */
static size_t tok_at(const scan *s, size_t off)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->t[mid].off < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static bool is_capital(const scan *s, size_t k)
{
    unsigned char c = (unsigned char)s->text[s->t[k].off];
    return c >= 'A' && c <= 'Z';
}

/* Who the sentence [a, b) attributes its figures to: a span of the text,
 * or len 0. */
static void attribution(const scan *s, size_t a, size_t b, size_t *off,
                        size_t *len)
{
    const char *tx = s->text;
    size_t first = tok_at(s, a), end = tok_at(s, b);
    *len = 0;
    for (size_t k = first; k + 1 < end; k++) {
        if (az_tok_is(tx, &s->t[k], "according") && az_tok_is(tx, &s->t[k + 1], "to")) {
            size_t x = k + 2, y = x;
            while (y < end && y - x < 8) {
                y++;
                if (!plain_gap(s, y - 1))
                    break;
            }
            if (y > x) {
                *off = s->t[x].off;
                *len = s->t[y - 1].off + s->t[y - 1].len - *off;
                return;
            }
        }
    }
    for (size_t k = first; k < end; k++) {
        if (!in_list(tx, &s->t[k], speech_verbs))
            continue;
        /* "U.S. officials say", "Governor Edvard Salk said": the subject
         * right before the verb, back to a comma or quote. */
        size_t x = k;
        while (x > first && k - x < 7) {
            size_t gl;
            const char *g = gap(s, x - 1, &gl);
            bool stop = false;
            for (size_t q = 0; q < gl; q++)
                if (g[q] == ',' || g[q] == '"' || g[q] == ';' || g[q] == ':' ||
                    (unsigned char)g[q] == 0xE2)
                    stop = true;
            if (stop)
                break;
            const az_token *p = &s->t[x - 1];
            unsigned char c0 = (unsigned char)tx[p->off];
            if ((c0 >= '0' && c0 <= '9') || az_tok_is(tx, p, "that") ||
                az_tok_is(tx, p, "and") || az_tok_is(tx, p, "but") ||
                az_tok_is(tx, p, "which") || az_tok_is(tx, p, "as") ||
                az_tok_is(tx, p, "who"))
                break;
            x--;
        }
        /* "the Directorate has said": drop the auxiliaries before the
         * verb; "walked the streets on Monday": a subject starts with a
         * name, a determiner or a source noun. */
        static const char *const aux[] = {"has", "have", "had", "was", "were",
            "is", "are", "would", "will", "also", "later", "earlier", "then",
            "had", NULL};
        static const char *const heads[] = {"the", "a", "an", "its", "his", "her",
            "their", "officials", "police", "witnesses", "residents", "organisers",
            "organizers", "authorities", "activists", "sources", "experts",
            "analysts", "rescuers", "doctors", "he", "she", "they", NULL};
        size_t last = k;
        while (last > x && in_list(tx, &s->t[last - 1], aux))
            last--;
        while (x < last && !is_capital(s, x) && !in_list(tx, &s->t[x], heads))
            x++;
        if (x < last) {
            *off = s->t[x].off;
            *len = s->t[last - 1].off + s->t[last - 1].len - *off;
            return;
        }
        /* ", said Interior Minister Teodor Brannick", ", said the ministry." */
        if (k + 1 < end && plain_gap(s, k) &&
            (is_capital(s, k + 1) || az_tok_is(tx, &s->t[k + 1], "the"))) {
            bool names = is_capital(s, k + 1);
            size_t y = k + 1;
            while (y < end && y - k <= 6 && (y == k + 1 || plain_gap(s, y - 1)) &&
                   (y == k + 1 || (names ? is_capital(s, y) || az_tok_is(tx, &s->t[y], "of")
                                         : !in_list(tx, &s->t[y], np_stops))))
                y++;
            *off = s->t[k + 1].off;
            *len = s->t[y - 1].off + s->t[y - 1].len - *off;
            return;
        }
    }
}

/* ---- the scan ---- */

/* The sentence of the last claim and whom it attributes to: claims come
 * in text order, and a sentence may hold thousands of figures (a table
 * flattened into one line), each of which scanned it again (30,000 in
 * 210 KB took 87 s). A claim starting in [from, b) has the same sentence:
 * no boundary lies between `from` and b, and none between a and `from`. */
typedef struct sentence {
    size_t from, a, b;
    size_t ao, al;   /* attribution() of [a, b) */
    bool valid;
} sentence;

typedef struct claims_buf {
    az_claim *v;
    size_t n, cap;
    sentence sent;
} claims_buf;

static az_status push_claim(claims_buf *b, const az_claim *c)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 8; /* ten a document, typically */
        az_claim *v = realloc(b->v, cap * sizeof(*v));
        if (!v)
            return AZ_ENOMEM;
        b->v = v;
        b->cap = cap;
    }
    b->v[b->n++] = *c;
    return AZ_OK;
}

/* The interval of a hedged value. */
static void interval(az_claim *c, az_hedge h)
{
    int kind = (int)h >> 4;
    double v = c->value;
    c->hedge = (az_hedge)(h & 15);
    switch (c->hedge) {
    case AZ_HEDGE_APPROX:
        c->low = kind == 2 ? v : 0.9 * v;
        c->high = kind == 1 ? v : 1.1 * v;
        break;
    case AZ_HEDGE_UPPER:
        c->low = 0;
        c->high = v;
        break;
    case AZ_HEDGE_LOWER:
    case AZ_HEDGE_VAGUE:
        c->low = v;
        c->high = INFINITY;
        break;
    default:
        c->low = c->high = v;
    }
}

/* A second number making a range with the first: "20-30", "4,000 to
 * 5,000", "between 20 and 30". Returns its last token or SIZE_MAX. */
static size_t range_end(const scan *s, const az_number *num, bool between,
                        double *hi)
{
    const char *tx = s->text;
    size_t j = num->last;
    /* one token "20-30" */
    const char *h = memchr(tx + s->t[j].off, '-', s->t[j].len);
    if (h && j == num->first && !num->spelled) {
        az_number b;
        az_token t2 = {(uint32_t)(h + 1 - tx), (uint32_t)(s->t[j].off + s->t[j].len - (size_t)(h + 1 - tx))};
        if (t2.len && h[1] >= '0' && h[1] <= '9' && az_number_at(&b, tx, &t2, 1, 0) &&
            !b.bad_suffix) {
            *hi = b.value;
            return j;
        }
    }
    if (j + 2 >= s->n + 1)
        return SIZE_MAX;
    size_t k = j + 1;
    size_t gl;
    const char *g = gap(s, j, &gl);
    while (gl && g[0] == ' ')
        g++, gl--;
    while (gl && g[gl - 1] == ' ')
        gl--;
    /* "20–30", "1000 – 5000", "1000 - 5000" */
    bool dash = (gl == 3 && (unsigned char)g[0] == 0xE2 && (unsigned char)g[1] == 0x80 &&
                 (unsigned char)g[2] == 0x93) || (gl == 1 && g[0] == '-');
    if (!dash) {
        if (k >= s->n || !plain_gap(s, j))
            return SIZE_MAX;
        if (!(az_tok_is(tx, &s->t[k], "to") || (between && az_tok_is(tx, &s->t[k], "and"))))
            return SIZE_MAX;
        k++;
    }
    if (k >= s->n)
        return SIZE_MAX;
    az_number b;
    if (!az_number_at(&b, tx, s->t, s->n, k) || b.bad_suffix || b.vague)
        return SIZE_MAX;
    /* "20 to 30 million": the scale applies to both */
    if (b.scaled && !num->scaled && num->value < b.value / 1000)
        *hi = b.value, b.value = b.value;
    *hi = b.value;
    return b.last;
}

static bool percent_after(const scan *s, size_t j, size_t *last)
{
    const char *tx = s->text;
    size_t gl;
    const char *g = gap(s, j, &gl);
    if (gl >= 1 && g[0] == '%') {
        *last = j;
        return true;
    }
    if (j + 1 < s->n && plain_gap(s, j) && az_tok_is(tx, &s->t[j + 1], "percent")) {
        *last = j + 1;
        return true;
    }
    if (j + 2 < s->n && plain_gap(s, j) && az_tok_is(tx, &s->t[j + 1], "per") &&
        az_tok_is(tx, &s->t[j + 2], "cent")) {
        *last = j + 2;
        return true;
    }
    return false;
}

static const char *currency_after(const scan *s, size_t j, size_t *last)
{
    static const struct {
        const char *w;
        const char *code;
    } names[] = {{"dollars", "USD"}, {"pounds", "GBP"}, {"euros", "EUR"},
                 {"euro", "EUR"}, {"dollar", "USD"}, {"pound", "GBP"},
                 {"usd", "USD"}, {"gbp", "GBP"}, {"eur", "EUR"}};
    if (j + 1 >= s->n || !plain_gap(s, j))
        return NULL;
    for (size_t k = 0; k < sizeof(names) / sizeof(*names); k++)
        if (az_tok_is(s->text, &s->t[j + 1], names[k].w)) {
            *last = j + 1;
            return names[k].code;
        }
    return NULL;
}

/* Read one claim starting with a number at token i; *next receives the
 * token to continue from. */
static az_status claim_at(const scan *s, size_t i, bool all, az_arena *arena,
                          claims_buf *out, size_t doc, size_t *next)
{
    az_number num;
    *next = i + 1;
    if (!az_may_start_number(s->text, &s->t[i]))
        return AZ_OK;
    size_t used = az_number_at(&num, s->text, s->t, s->n, i);
    if (!used)
        return AZ_OK;
    *next = num.last + 1;
    if (excluded(s, &num, all))
        return AZ_OK;
    size_t start;
    az_hedge h = hedge_before(s, i, &start);
    bool between = i > 0 && (az_tok_is(s->text, &s->t[i - 1], "between") ||
                             az_tok_is(s->text, &s->t[i - 1], "from")) && money_gap(s, i - 1);
    az_claim c = {.doc = doc, .value = num.value};
    double hi = 0;
    size_t last = num.last;
    size_t rend = num.vague ? SIZE_MAX : range_end(s, &num, between, &hi);
    /* "2-2", "24-17": a score, not a range */
    if (rend == num.last && num.hyphen && hi <= num.value)
        return AZ_OK;
    if (rend != SIZE_MAX && hi > num.value) {
        c.low = num.value;
        c.high = hi;
        c.value = (num.value + hi) / 2;
        c.hedge = AZ_HEDGE_RANGE;
        last = rend;
        if (between)
            start = i - 1;
        *next = rend + 1;
    } else if (num.vague) {
        c.value = num.value;
        /* "more than a dozen" is a lower bound, "thousands" a floor */
        interval(&c, h != AZ_HEDGE_EXACT ? h : AZ_HEDGE_VAGUE);
    } else {
        interval(&c, h);
    }
    /* 40.000 troops: a count is whole, so '.ddd' separates thousands. */
    size_t pl;
    const char *unit = currency_before(s, i);
    if (!unit)
        unit = currency_after(s, last, &last);
    if (!unit && percent_after(s, last, &pl)) {
        unit = "percent";
        last = pl;
    }
    size_t noun = unit ? SIZE_MAX : counted_noun(s, last, num.vague);
    /* (0.000 is zero either way, and 0/0 would make every bound NaN.) */
    if (num.dot_thousands && noun != SIZE_MAX && c.hedge != AZ_HEDGE_RANGE &&
        num.value > 0) {
        double f = num.thousands_value / num.value;
        c.value *= f;
        c.low *= f;
        c.high *= f;
    }
    /* "Reactor 4", "Gate 12": a capitalised word right before a small
     * figure that counts nothing is its name. */
    if (noun == SIZE_MAX && !unit && i > 0 && !num.spelled && num.value < 1000 && !all &&
        start == i && is_capital(s, i - 1) && plain_gap(s, i - 1) && i - 1 > 0 &&
        !gap_has(s, i - 2, '.'))
        return AZ_OK;
    /* "3m high": a bare m is metres unless money or a counted noun. */
    if (num.short_scale && !unit && !all &&
        (noun == SIZE_MAX || in_list(s->text, &s->t[noun], measures)))
        return AZ_OK;
    /* "the two were seeking": a small number in words that counts nothing
     * named is a pronoun, not a figure. */
    if (noun == SIZE_MAX && !unit && num.spelled && !num.vague && num.value < 100 &&
        c.hedge == AZ_HEDGE_EXACT && !all)
        return AZ_OK;
    if (noun != SIZE_MAX)
        last = noun;
    c.unit = unit;
    c.off = s->t[start].off;
    c.len = s->t[last].off + s->t[last].len - c.off;
    if (unit && strcmp(unit, "percent") == 0) {
        /* "15%": the sign is part of the surface text */
        size_t gl;
        const char *g = gap(s, last, &gl);
        if (gl && g[0] == '%')
            c.len++;
    }
    if (unit && start == i) {
        size_t sign = sign_len(s, i);
        c.off -= sign;
        c.len += sign;
    }
    if (noun != SIZE_MAX) {
        char *w = az_arena_strndup(arena, s->text + s->t[noun].off, s->t[noun].len);
        if (!w)
            return AZ_ENOMEM;
        for (char *p = w; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p += 32;
        c.noun = w;
    }
    sentence *sn = &out->sent;
    if (!sn->valid || c.off < sn->from || c.off >= sn->b) {
        sentence_of(s, c.off, &sn->a, &sn->b);
        attribution(s, sn->a, sn->b, &sn->ao, &sn->al);
        sn->from = c.off;
        sn->valid = true;
    }
    size_t ao = sn->ao, al = sn->al;
    if (al && !(ao >= c.off && ao < c.off + c.len)) {
        c.attributed_to = az_arena_strndup(arena, s->text + ao, al);
        if (!c.attributed_to)
            return AZ_ENOMEM;
    }
    return push_claim(out, &c);
}

az_status az_claims_text(az_claim **out, size_t *n, az_arena *arena,
                         const char *text, size_t len, size_t doc, bool all)
{
    *out = NULL;
    *n = 0;
    az_token *t;
    size_t nt;
    az_status st = az_tokenize(&t, &nt, text, len);
    if (st != AZ_OK)
        return st;
    scan s = {text, len, t, nt};
    claims_buf b = {0};
    for (size_t i = 0; i < nt && st == AZ_OK;) {
        size_t next;
        st = claim_at(&s, i, all, arena, &b, doc, &next);
        i = next;
    }
    free(t);
    if (st != AZ_OK) {
        free(b.v);
        return st;
    }
    *out = b.v;
    *n = b.n;
    return AZ_OK;
}

/* ---- the corpus pass ---- */

struct az_claims {
    az_claim *v;
    size_t n;
    az_arena *arenas; /* one per worker thread that found claims */
    unsigned narenas;
};

const char *az_hedge_name(az_hedge h)
{
    static const char *const names[] = {"exact", "approx", "upper", "lower",
                                        "range", "vague"};
    return (unsigned)h < sizeof(names) / sizeof(*names) ? names[h] : "exact";
}

/* Documents are independent: each worker finds the claims of a run of
 * them into its own arena, and the runs are joined in document order. */
typedef struct claims_job {
    const az_corpus *corpus;
    bool all;
    az_arena *arenas;
    size_t base;  /* the batch's first document */
    az_claim **v; /* per document of the batch */
    size_t *n;
} claims_job;

static az_status claims_range(void *user, unsigned worker, size_t begin, size_t end)
{
    claims_job *j = user;
    for (size_t d = begin; d < end; d++) {
        const az_doc *doc = az_corpus_doc(j->corpus, j->base + d);
        size_t len;
        const char *text = az_doc_text(doc, &len);
        az_status st = az_claims_text(&j->v[d], &j->n[d], &j->arenas[worker], text, len,
                                      j->base + d, j->all);
        if (st != AZ_OK)
            return st;
        for (size_t k = 0; k < j->n[d]; k++) {
            uint32_t col;
            az_doc_locate(doc, j->v[d][k].off, &j->v[d][k].line, &col);
        }
    }
    return AZ_OK;
}

/* Documents a batch: their claim arrays are joined and freed before the
 * next, so the claims are never held twice over. */
#define CLAIMS_BATCH 4096

az_status az_claims_run(az_claims **out, az_corpus *corpus)
{
    *out = NULL;
    az_status st = az_corpus_finish(corpus);
    if (st != AZ_OK)
        return st;
    return az_claims_range(out, corpus, 0, az_corpus_count(corpus));
}

az_status az_claims_range(az_claims **out, az_corpus *corpus, size_t lo, size_t hi)
{
    *out = NULL;
    az_status st = AZ_OK;
    const az_options *o = az_ctx_options(az_corpus_ctx(corpus));
    unsigned threads = az_threads(o);
    size_t nd = hi - lo, cap = 0;
    az_claims *c = calloc(1, sizeof(*c));
    claims_job j = {corpus, o->claims_all != 0, NULL, 0,
                    calloc(CLAIMS_BATCH, sizeof(az_claim *)), calloc(CLAIMS_BATCH, sizeof(size_t))};
    if (c)
        c->arenas = j.arenas = calloc(threads, sizeof(az_arena));
    if (!c || !j.arenas || !j.v || !j.n)
        st = AZ_ENOMEM;
    if (c)
        c->narenas = threads;
    for (size_t at = 0; st == AZ_OK && at < nd; at += CLAIMS_BATCH) {
        size_t m = nd - at < CLAIMS_BATCH ? nd - at : CLAIMS_BATCH;
        j.base = lo + at;
        st = az_parallel(threads, m, 64, claims_range, &j);
        size_t more = 0;
        for (size_t d = 0; d < m; d++)
            more += j.n[d];
        if (st == AZ_OK && c->n + more > cap) {
            size_t nc = cap ? cap : 1024;
            while (nc < c->n + more)
                nc *= 2;
            az_claim *p = realloc(c->v, nc * sizeof(*p));
            st = p ? AZ_OK : AZ_ENOMEM;
            if (p) {
                c->v = p;
                cap = nc;
            }
        }
        for (size_t d = 0; d < m; d++) {
            if (st == AZ_OK && j.n[d])
                memcpy(c->v + c->n, j.v[d], j.n[d] * sizeof(*c->v));
            c->n += st == AZ_OK ? j.n[d] : 0;
            free(j.v[d]);
            j.v[d] = NULL;
            j.n[d] = 0;
        }
    }
    free(j.v);
    free(j.n);
    if (st != AZ_OK) {
        az_claims_free(c);
        return az_error(az_corpus_ctx(corpus), st, "claims: %s", az_status_str(st));
    }
    *out = c;
    return AZ_OK;
}

void az_claims_free(az_claims *c)
{
    if (!c)
        return;
    free(c->v);
    for (unsigned i = 0; c->arenas && i < c->narenas; i++)
        az_arena_free(&c->arenas[i]);
    free(c->arenas);
    free(c);
}

az_status az_claims_pack(az_buf *b, const az_claims *c)
{
    az_status st = az_pack_u64(b, c->n);
    for (size_t i = 0; st == AZ_OK && i < c->n; i++) {
        const az_claim *x = &c->v[i];
        AZ_PACK(st, az_pack_u64(b, x->doc));
        AZ_PACK(st, az_pack_u64(b, x->off));
        AZ_PACK(st, az_pack_u64(b, x->len));
        AZ_PACK(st, az_pack_f64(b, x->value));
        AZ_PACK(st, az_pack_f64(b, x->low));
        AZ_PACK(st, az_pack_f64(b, x->high));
        AZ_PACK(st, az_pack_u32(b, (uint32_t)x->hedge));
        AZ_PACK(st, az_pack_str(b, x->noun));
        AZ_PACK(st, az_pack_str(b, x->unit));
        AZ_PACK(st, az_pack_str(b, x->attributed_to));
        AZ_PACK(st, az_pack_u32(b, x->line));
    }
    return st;
}

az_status az_claims_unpack(az_claims *c, az_unpack *u)
{
    uint64_t n = az_unpack_u64(u);
    if (u->bad || n > (u->n - u->off) / 8)
        return AZ_ENOMEM; /* cut short: only a failed copy does that */
    az_claim *v = realloc(c->v, (c->n + n ? c->n + n : 1) * sizeof(*v));
    if (!v)
        return AZ_ENOMEM;
    c->v = v;
    for (uint64_t i = 0; i < n && !u->bad; i++) {
        az_claim *x = &c->v[c->n++];
        x->doc = az_unpack_u64(u);
        x->off = az_unpack_u64(u);
        x->len = az_unpack_u64(u);
        x->value = az_unpack_f64(u);
        x->low = az_unpack_f64(u);
        x->high = az_unpack_f64(u);
        x->hedge = (az_hedge)az_unpack_u32(u);
        x->noun = az_unpack_str(u, &c->arenas[0]);
        x->unit = az_unpack_str(u, &c->arenas[0]);
        x->attributed_to = az_unpack_str(u, &c->arenas[0]);
        x->line = az_unpack_u32(u);
    }
    return u->bad ? AZ_ENOMEM : AZ_OK;
}

size_t az_claims_count(const az_claims *c)
{
    return c->n;
}

const az_claim *az_claims_get(const az_claims *c, size_t i)
{
    return i < c->n ? &c->v[i] : NULL;
}
