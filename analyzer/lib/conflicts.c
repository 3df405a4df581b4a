/*
 * conflicts.c - figures that disagree across documents.
 *
 * 1. Each counted claim gets a quantity key: what happened to whom. The
 *    predicate near the figure ("killed", "evacuated", "missing") names
 *    the quantity when there is one, people-like nouns folding into
 *    "people" ("40 dead", "40 people were killed" -> dead); otherwise the
 *    noun's lemma ("40,000 troops" -> troop). Percentages, money and
 *    figures with neither noun nor predicate are left out, and so are
 *    parts and increments ("three other dams", "rose by 40").
 * 2. Claims are comparable when their documents tell one story: documents
 *    join a story when they are in one near-duplicate cluster or share at
 *    least three named entities (capitalised words), and stories chain
 *    (union-find over the documents that have a figure, each compared with
 *    the latest STORY_RECENT documents naming each of its entities).
 * 3. Copies count once: within one cluster, equal figures for one key are
 *    one voice (the earliest document speaks for them).
 * 4. Two voices disagree when the gap between their intervals on a log
 *    scale exceeds ln(1 + tau); the pair is a contradiction when both were
 *    published within the event window, a change over time otherwise.
 *    tally.c counts this over a story's voices without visiting each
 *    pair: a story of one war holds most of a corpus's "people dead".
 * 5. With three or more voices for a key in a story, the modified z-score
 *    on the log midpoints (median and MAD, GSL) marks the odd one out.
 *
 * Everything is computed in a fixed order (claims by document id and
 * position, keys by name, stories by their first document), so the output
 * never depends on input order.
 */
#include "az_priv.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MIN_ENTITIES 3
/* Documents remembered per entity when looking for a document's story:
 * the most recent, as stories run in time. A corpus of one topic names
 * "Syria" in most documents; comparing with all of them would be
 * quadratic. */
#define STORY_RECENT 16

typedef struct voice {
    size_t claim;     /* index in the claims */
    size_t doc;
    size_t story;     /* the first document of its story */
    char key[48];
    double lo, hi;    /* log interval; -inf / inf when open */
    double mid;       /* log midpoint for the outlier statistics */
    int days;         /* days since 1970, INT32_MIN when unknown */
} voice;

struct az_conflicts {
    az_conflict *v;
    size_t n;
    az_arena arena;
    uint32_t *agree, *disagree;  /* per claim: independent voices that
                                    agree / disagree within the window */
    voice *voices;               /* the independent voices, by key */
    size_t nvoices;
};

/* ---- the quantity key ---- */

static const struct {
    const char *word;
    const char *cls;
} predicates[] = {
    {"killed", "dead"}, {"dead", "dead"}, {"died", "dead"}, {"deaths", "dead"},
    {"death", "dead"}, {"bodies", "dead"}, {"fatalities", "dead"},
    {"wounded", "injured"}, {"injured", "injured"}, {"hurt", "injured"},
    {"injuries", "injured"}, {"missing", "missing"}, {"unaccounted", "missing"},
    {"evacuated", "displaced"}, {"displaced", "displaced"},
    {"homeless", "displaced"}, {"fled", "displaced"}, {"evacuees", "displaced"},
    {"refugees", "displaced"}, {"forced", "displaced"}, {"driven", "displaced"},
    {"sheltering", "displaced"}, {"shelters", "displaced"},
    {"leave", "displaced"},
    {"arrested", "detained"}, {"detained", "detained"},
    {"destroyed", "destroyed"}, {"flattened", "destroyed"},
    {"damaged", "damaged"}, {"rescued", "rescued"},
};

static const char *const person_nouns[] = {
    "people", "persons", "civilians", "residents", "men", "women", "children",
    "villagers", "inhabitants", "individuals", "dead", "killed", "wounded",
    "injured", "missing", "bodies", "deaths", "casualties", "victims", NULL};

static const char *predicate_of(const char *text, const az_token *t)
{
    for (size_t k = 0; k < sizeof(predicates) / sizeof(*predicates); k++)
        if (az_tok_is(text, t, predicates[k].word))
            return predicates[k].cls;
    return NULL;
}

/* "troops" -> "troop", "bodies" -> "body", "homes" -> "home". */
static void lemma(char *out, size_t cap, const char *w)
{
    size_t n = strlen(w);
    if (n + 1 > cap)
        n = cap - 1;
    memcpy(out, w, n);
    out[n] = '\0';
    if (n > 4 && strcmp(out + n - 3, "ies") == 0)
        strcpy(out + n - 3, "y");
    else if (n > 3 && out[n - 1] == 's' && out[n - 2] != 's' && out[n - 2] != 'u')
        out[n - 1] = '\0';
}

/* The key of claim c in text (tokens t), or false when it has none. */
static bool quantity_key(char *key, size_t cap, const az_claim *c,
                         const char *text, const az_token *t, size_t nt)
{
    if (c->unit)
        return false;
    /* The predicate follows the figure ("40 people were killed", "12,000
     * were forced from their homes"), within the sentence and before the
     * next figure's clause; failing that, it may just precede it ("killed
     * at least 40"). */
    size_t first = 0;
    while (first < nt && t[first].off < c->off)
        first++;
    size_t b = first;
    while (b < nt && t[b].off < c->off + c->len)
        b++;
    /* Parts and increments are not totals: "three other dams" counts
     * beside something, "another 40", "rose by 40" and "carried by two
     * firefighters" count a change or the agents of one act. Comparing
     * them with a total would invent a contradiction. */
    static const char *const part_words[] = {"other", "another", "additional",
                                             "further", "extra", NULL};
    for (size_t k = first ? first - 1 : 0; k < b; k++)
        for (size_t w = 0; part_words[w]; w++)
            if (az_tok_is(text, &t[k], part_words[w]))
                return false;
    if (first > 0 && az_tok_is(text, &t[first - 1], "by"))
        return false;
    const char *cls = NULL;
    for (size_t k = first; k < nt && k < b + 8 && !cls; k++) {
        if (k > first) {
            size_t ge = t[k - 1].off + t[k - 1].len;
            if (memchr(text + ge, '.', t[k].off - ge) || memchr(text + ge, ';', t[k].off - ge))
                break;
        }
        if (k >= b && (az_tok_is(text, &t[k], "and") || az_tok_is(text, &t[k], "while") ||
                       az_tok_is(text, &t[k], "but")))
            break;
        cls = predicate_of(text, &t[k]);
    }
    for (size_t k = first; !cls && k > 0 && first - k < 3; k--) {
        size_t ge = t[k - 1].off + t[k - 1].len;
        if (az_tok_is(text, &t[k - 1], "and") || memchr(text + ge, ',', t[k].off - ge))
            break;
        cls = predicate_of(text, &t[k - 1]);
    }
    bool person = !c->noun;
    for (size_t k = 0; c->noun && person_nouns[k]; k++)
        person |= strcmp(c->noun, person_nouns[k]) == 0;
    if (cls && person) {
        snprintf(key, cap, "people %s", cls);
    } else if (cls && c->noun) {
        char l[32];
        lemma(l, sizeof(l), c->noun);
        snprintf(key, cap, "%s %s", l, cls);
    } else if (c->noun && !person) {
        lemma(key, cap, c->noun);
    } else {
        /* "11,000 people" with no verb: people counted for what? */
        return false;
    }
    return true;
}

/* ---- context: named entities ---- */

typedef struct entities {
    uint64_t *v; /* sorted hashes of capitalised words */
    size_t n;
} entities;

static int u64_cmp(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

/* FNV-1a of a word, folded to lower case. */
static uint64_t word_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        h = (h ^ (c >= 'A' && c <= 'Z' ? c + 32 : c)) * 1099511628211ull;
    }
    return h;
}

/* Capitalised words that do not open a sentence, deduplicated. */
static az_status doc_entities(entities *e, const char *text, const az_token *t,
                              size_t nt)
{
    e->v = malloc((nt ? nt : 1) * sizeof(*e->v));
    e->n = 0;
    if (!e->v)
        return AZ_ENOMEM;
    for (size_t k = 1; k < nt; k++) {
        unsigned char c = (unsigned char)text[t[k].off];
        if (c < 'A' || c > 'Z' || t[k].len < 3)
            continue;
        const char *g = text + t[k - 1].off + t[k - 1].len;
        size_t gl = t[k].off - (t[k - 1].off + t[k - 1].len);
        if (memchr(g, '.', gl) || memchr(g, '\n', gl) || memchr(g, '"', gl))
            continue;
        e->v[e->n++] = word_hash(text + t[k].off, t[k].len);
    }
    qsort(e->v, e->n, sizeof(*e->v), u64_cmp);
    size_t w = 0;
    for (size_t i = 0; i < e->n; i++)
        if (w == 0 || e->v[w - 1] != e->v[i])
            e->v[w++] = e->v[i];
    e->n = w;
    /* Sized by tokens, kept for every document with a figure until the
     * stories are found: a tenth of the entities fill it. */
    uint64_t *v = realloc(e->v, (w ? w : 1) * sizeof(*v));
    if (v)
        e->v = v;
    return AZ_OK;
}

/* ---- dates ---- */

/* Days since 1970-01-01 of "YYYY-MM-DD", INT32_MIN when absent. */
static int days_of(const char *iso)
{
    int y, m, d;
    if (!iso || sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3)
        return INT32_MIN;
    /* Howard Hinnant's days_from_civil */
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* ---- comparison ---- */

static int voice_cmp(const void *x, const void *y)
{
    const voice *a = x, *b = y;
    int r = strcmp(a->key, b->key);
    if (r)
        return r;
    if (a->story != b->story)
        return a->story < b->story ? -1 : 1;
    return (a->claim > b->claim) - (a->claim < b->claim);
}

typedef struct ctx2 {
    const az_corpus *corpus;
    const az_claims *claims;
    const az_dups *dups;
    const az_options *o;
    entities *ents;
    voice *v;
    size_t nv;
    az_conflicts *out;
    size_t cap;
} ctx2;

static size_t cluster_of(const ctx2 *c, size_t doc)
{
    return c->dups ? az_dups_doc_cluster(c->dups, doc) : SIZE_MAX;
}

/* A voice of a cluster, for finding its copies by sorting. */
typedef struct copy {
    size_t cluster;
    double lo, hi;
    size_t i;
} copy;

static int copy_cmp(const void *x, const void *y)
{
    const copy *a = x, *b = y;
    if (a->cluster != b->cluster)
        return a->cluster < b->cluster ? -1 : 1;
    if (a->lo != b->lo)
        return a->lo < b->lo ? -1 : 1;
    if (a->hi != b->hi)
        return a->hi < b->hi ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

/* Copies count once: a voice whose document shares a cluster with an
 * earlier voice of the same figure is dropped. v[a, b) share a key and a
 * story; the voices kept stay in order. */
static az_status collapse_copies(ctx2 *c, size_t a, size_t b, size_t *end)
{
    size_t n = 0;
    for (size_t i = a; i < b; i++)
        n += cluster_of(c, c->v[i].doc) != SIZE_MAX;
    *end = b;
    if (n < 2)
        return AZ_OK;
    copy *cp = malloc(n * sizeof(*cp));
    bool *drop = calloc(b - a, sizeof(*drop));
    if (!cp || !drop) {
        free(cp);
        free(drop);
        return AZ_ENOMEM;
    }
    n = 0;
    for (size_t i = a; i < b; i++) {
        size_t cl = cluster_of(c, c->v[i].doc);
        if (cl != SIZE_MAX)
            cp[n++] = (copy){cl, c->v[i].lo, c->v[i].hi, i};
    }
    qsort(cp, n, sizeof(*cp), copy_cmp);
    for (size_t k = 1; k < n; k++)
        drop[cp[k].i - a] = cp[k].cluster == cp[k - 1].cluster &&
                            cp[k].lo == cp[k - 1].lo && cp[k].hi == cp[k - 1].hi;
    size_t w = a;
    for (size_t i = a; i < b; i++)
        if (!drop[i - a])
            c->v[w++] = c->v[i];
    free(cp);
    free(drop);
    *end = w;
    return AZ_OK;
}

static az_status push_conflict(ctx2 *c, const az_conflict *k)
{
    az_conflicts *o = c->out;
    if (o->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 16;
        az_conflict *v = realloc(o->v, c->cap * sizeof(*v));
        if (!v)
            return AZ_ENOMEM;
        o->v = v;
    }
    o->v[o->n++] = *k;
    return AZ_OK;
}

/* Modified z-scores of the voices v[a, b) (0 where MAD is 0). */
static az_status outliers(const ctx2 *c, size_t a, size_t b, double *z)
{
    size_t n = b - a;
    double *x = malloc(n * sizeof(*x)), *dev = malloc(n * sizeof(*dev));
    if (!x || !dev) {
        free(x);
        free(dev);
        return AZ_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        x[i] = c->v[a + i].mid;
    gsl_sort(x, 1, n);
    double med = gsl_stats_median_from_sorted_data(x, 1, n);
    for (size_t i = 0; i < n; i++)
        dev[i] = fabs(c->v[a + i].mid - med);
    gsl_sort(dev, 1, n);
    double mad = gsl_stats_median_from_sorted_data(dev, 1, n);
    for (size_t i = 0; i < n; i++)
        z[i] = mad > 0 ? 0.6745 * (c->v[a + i].mid - med) / mad : 0;
    free(x);
    free(dev);
    return AZ_OK;
}

/* The conflict of one kind among the voices v[a, b) of one key, from the
 * members `in` and the worst gap found; none when no member. */
static az_status push_kind(ctx2 *c, size_t a, size_t b, const bool *in,
                           double worst, bool over_time, const double *z)
{
    size_t nm = 0;
    for (size_t i = 0; i < b - a; i++)
        nm += in[i];
    if (nm == 0)
        return AZ_OK;
    size_t *members = az_arena_alloc(&c->out->arena, nm * sizeof(*members));
    double *zs = az_arena_alloc(&c->out->arena, nm * sizeof(*zs));
    if (!members || !zs)
        return AZ_ENOMEM;
    nm = 0;
    for (size_t i = 0; i < b - a; i++)
        if (in[i]) {
            zs[nm] = z ? z[i] : 0;
            members[nm++] = c->v[a + i].claim;
        }
    az_conflict k = {
        .quantity = az_arena_strdup(&c->out->arena, c->v[a].key),
        .over_time = over_time,
        .log_gap = worst,
        .severity = worst > log(3.0) ? "high" : worst > log(1.5) ? "medium" : "low",
        .claims = members,
        .z = zs,
        .nclaims = nm,
    };
    return k.quantity ? push_conflict(c, &k) : AZ_ENOMEM;
}

/* The conflicts among the voices v[a, b) of one key in one story:
 * contradictions (both published within the event window) with the
 * outlier scores z, then changes over time. */
static az_status conflicts_of_group(ctx2 *c, size_t a, size_t b, const double *z)
{
    size_t m = b - a;
    if (m < 2)
        return AZ_OK; /* nobody to agree or disagree with */
    double worst[2];
    az_span *sp = malloc(m * sizeof(*sp));
    az_tally *t = malloc(m * sizeof(*t));
    bool *in = malloc(2 * m * sizeof(*in)); /* [kind][voice] */
    az_status st = sp && t && in ? AZ_OK : AZ_ENOMEM;
    for (size_t i = 0; st == AZ_OK && i < m; i++)
        sp[i] = (az_span){c->v[a + i].lo, c->v[a + i].hi, c->v[a + i].days, c->v[a + i].doc};
    if (st == AZ_OK)
        st = az_conflict_tally(sp, m, log1p(c->o->conflict_tau), c->o->event_window_days,
                               t, worst);
    for (size_t i = 0; st == AZ_OK && i < m; i++) {
        c->out->agree[c->v[a + i].claim] += t[i].agree;
        c->out->disagree[c->v[a + i].claim] += t[i].disagree;
        in[i] = t[i].near;
        in[m + i] = t[i].far;
    }
    if (st == AZ_OK)
        st = push_kind(c, a, b, in, worst[0], false, z);
    if (st == AZ_OK)
        st = push_kind(c, a, b, in + m, worst[1], true, NULL);
    free(sp);
    free(t);
    free(in);
    return st;
}

/* The voices of the documents [begin, end) of `runs` (each document's
 * claims are a run), each in its claim's slot, and their entities. A
 * document is tokenized once for both, on whichever thread has it. */
typedef struct voices_job {
    ctx2 *c;
    const size_t *runs; /* claims [runs[k], runs[k + 1]) are one document's */
    bool *kept;         /* per claim: has a quantity key */
} voices_job;

static az_status voices_range(void *user, unsigned worker, size_t begin, size_t end)
{
    voices_job *j = user;
    ctx2 *c = j->c;
    az_status st = AZ_OK;
    for (size_t k = begin; k < end && st == AZ_OK; k++) {
        size_t first = j->runs[k], doc = az_claims_get(c->claims, first)->doc, len, nt;
        const char *text = az_doc_text(az_corpus_doc(c->corpus, doc), &len);
        az_token *t;
        if ((st = az_tokenize(&t, &nt, text, len)) != AZ_OK)
            break;
        int days = days_of(az_doc_meta(az_corpus_doc(c->corpus, doc), AZ_META_PUBLISHED)->value);
        for (size_t i = first; i < j->runs[k + 1] && st == AZ_OK; i++) {
            const az_claim *cl = az_claims_get(c->claims, i);
            voice *v = &c->v[i];
            *v = (voice){.claim = i, .doc = doc, .days = days};
            if (!(j->kept[i] = quantity_key(v->key, sizeof(v->key), cl, text, t, nt)))
                continue;
            if (!c->ents[doc].v)
                st = doc_entities(&c->ents[doc], text, t, nt);
            v->lo = cl->low > 0 ? log(cl->low) : -INFINITY;
            v->hi = isinf(cl->high) ? INFINITY : log(cl->high);
            v->mid = isinf(v->hi) ? v->lo : isinf(v->lo) ? v->hi : (v->lo + v->hi) / 2;
        }
        free(t);
    }
    return st;
}

/* The voices, one per claim that has a quantity key, in claim order, and
 * the named entities of each document that has one. */
static az_status build_voices(ctx2 *c)
{
    size_t n = az_claims_count(c->claims), cap = n ? n : 1, nruns = 0;
    c->v = malloc(cap * sizeof(*c->v));
    c->ents = calloc(az_corpus_count(c->corpus) ? az_corpus_count(c->corpus) : 1,
                     sizeof(*c->ents));
    size_t *runs = malloc((n + 1) * sizeof(*runs));
    bool *kept = malloc(cap * sizeof(*kept));
    az_status st = c->v && c->ents && runs && kept ? AZ_OK : AZ_ENOMEM;
    for (size_t i = 0; st == AZ_OK && i < n; i++)
        if (i == 0 || az_claims_get(c->claims, i)->doc != az_claims_get(c->claims, i - 1)->doc)
            runs[nruns++] = i;
    if (st == AZ_OK) {
        runs[nruns] = n;
        voices_job j = {c, runs, kept};
        st = az_parallel(az_threads(c->o), nruns, 16, voices_range, &j);
    }
    for (size_t i = 0; st == AZ_OK && i < n; i++)
        if (kept[i])
            c->v[c->nv++] = c->v[i]; /* nv <= i: moved down in order */
    free(runs);
    free(kept);
    return st;
}

/* ---- stories ---- */

/* The latest documents naming one entity (a ring). */
typedef struct named {
    uint64_t ent; /* 0: an empty slot */
    uint32_t n;   /* documents seen; the ring holds the last STORY_RECENT */
    uint32_t doc[STORY_RECENT];
} named;

typedef struct named_map {
    named *slot;
    size_t mask, used;
} named_map;

static named *named_get(named_map *m, uint64_t ent)
{
    ent |= ent == 0; /* 0 marks an empty slot */
    if (2 * (m->used + 1) > m->mask + 1) {
        size_t cap = m->mask ? 2 * (m->mask + 1) : 1024;
        named *slot = calloc(cap, sizeof(*slot));
        if (!slot)
            return NULL;
        for (size_t i = 0; m->slot && i <= m->mask; i++) {
            if (!m->slot[i].ent)
                continue;
            size_t h = (size_t)(m->slot[i].ent * 0x9E3779B97F4A7C15ull >> 20) & (cap - 1);
            while (slot[h].ent)
                h = (h + 1) & (cap - 1);
            slot[h] = m->slot[i];
        }
        free(m->slot);
        m->slot = slot;
        m->mask = cap - 1;
    }
    size_t h = (size_t)(ent * 0x9E3779B97F4A7C15ull >> 20) & m->mask;
    while (m->slot[h].ent && m->slot[h].ent != ent)
        h = (h + 1) & m->mask;
    if (!m->slot[h].ent) {
        m->slot[h].ent = ent;
        m->used++;
    }
    return &m->slot[h];
}

typedef struct dated_doc {
    int dated, days;
    size_t doc;
} dated_doc;

static int dated_cmp(const void *x, const void *y)
{
    const dated_doc *a = x, *b = y;
    if (a->dated != b->dated)
        return a->dated - b->dated;
    if (a->days != b->days)
        return a->days < b->days ? -1 : 1;
    return (a->doc > b->doc) - (a->doc < b->doc);
}

/* Each voice's story: the documents that have voices, in order of date,
 * each joined to the latest documents that share MIN_ENTITIES entities
 * with it and to the other members of its near-duplicate cluster. */
static az_status find_stories(ctx2 *c)
{
    size_t nd = az_corpus_count(c->corpus), nc = c->dups ? az_dups_cluster_count(c->dups) : 0;
    size_t *parent = malloc((nd ? nd : 1) * sizeof(*parent));
    size_t *first = malloc((nc ? nc : 1) * sizeof(*first)); /* per cluster */
    uint32_t *stamp = malloc((nd ? nd : 1) * sizeof(*stamp));
    uint8_t *count = malloc(nd ? nd : 1);
    dated_doc *order = malloc((c->nv ? c->nv : 1) * sizeof(*order));
    named_map map = {NULL, 0, 0};
    az_status st = parent && first && stamp && count && order ? AZ_OK : AZ_ENOMEM;
    size_t no = 0;
    for (size_t i = 0; st == AZ_OK && i < nd; i++) {
        parent[i] = i;
        stamp[i] = UINT32_MAX;
    }
    for (size_t k = 0; st == AZ_OK && k < nc; k++)
        first[k] = SIZE_MAX;
    for (size_t i = 0; st == AZ_OK && i < c->nv; i++)
        if (no == 0 || order[no - 1].doc != c->v[i].doc) /* voices come by document */
            order[no++] = (dated_doc){c->v[i].days != INT32_MIN, c->v[i].days, c->v[i].doc};
    if (st == AZ_OK)
        qsort(order, no, sizeof(*order), dated_cmp);
    for (size_t k = 0; st == AZ_OK && k < no; k++) {
        size_t d = order[k].doc, cl = cluster_of(c, d);
        const entities *e = &c->ents[d];
        for (size_t x = 0; x < e->n && st == AZ_OK; x++) {
            named *r = named_get(&map, e->v[x]);
            if (!r) {
                st = AZ_ENOMEM;
                break;
            }
            uint32_t held = r->n < STORY_RECENT ? r->n : STORY_RECENT;
            for (uint32_t j = 0; j < held; j++) {
                uint32_t o = r->doc[j];
                if (stamp[o] != (uint32_t)k) {
                    stamp[o] = (uint32_t)k;
                    count[o] = 0;
                }
                if (++count[o] == MIN_ENTITIES)
                    az_uf_union(parent, d, o);
            }
            r->doc[r->n++ % STORY_RECENT] = (uint32_t)d;
        }
        if (cl != SIZE_MAX && first[cl] == SIZE_MAX)
            first[cl] = d;
        else if (cl != SIZE_MAX)
            az_uf_union(parent, d, first[cl]);
    }
    for (size_t i = 0; st == AZ_OK && i < c->nv; i++)
        c->v[i].story = az_uf_find(parent, c->v[i].doc);
    free(map.slot);
    free(parent);
    free(first);
    free(stamp);
    free(count);
    free(order);
    return st;
}

az_status az_conflicts_run(az_conflicts **out, const az_claims *claims,
                           const az_dups *dups, az_corpus *corpus)
{
    *out = NULL;
    az_conflicts *res = calloc(1, sizeof(*res));
    if (!res)
        return AZ_ENOMEM;
    size_t ncl = az_claims_count(claims) ? az_claims_count(claims) : 1;
    res->agree = calloc(ncl, sizeof(*res->agree));
    res->disagree = calloc(ncl, sizeof(*res->disagree));
    if (!res->agree || !res->disagree) {
        az_conflicts_free(res);
        return AZ_ENOMEM;
    }
    ctx2 c = {.corpus = corpus, .claims = claims, .dups = dups,
              .o = az_ctx_options(az_corpus_ctx(corpus)), .out = res};
    if (az_corpus_count(corpus) >= UINT32_MAX) { /* stories hold 32-bit indices */
        az_conflicts_free(res);
        return az_error(az_corpus_ctx(corpus), AZ_ETOOBIG, "conflicts: too many documents");
    }
    az_status st = build_voices(&c);
    if (st == AZ_OK)
        st = find_stories(&c);
    if (st == AZ_OK && c.nv > 1)
        qsort(c.v, c.nv, sizeof(*c.v), voice_cmp);
    for (size_t a = 0, b; st == AZ_OK && a < c.nv; a = b) {
        for (b = a + 1; b < c.nv && c.v[b].story == c.v[a].story &&
                        strcmp(c.v[b].key, c.v[a].key) == 0; b++)
            ;
        size_t e;
        if ((st = collapse_copies(&c, a, b, &e)) != AZ_OK)
            break;
        double *z = NULL;
        /* Finite midpoints only: an open interval has no middle. */
        bool finite = true;
        for (size_t i = a; i < e; i++)
            finite &= isfinite(c.v[i].mid);
        if (e - a >= 3 && finite) {
            z = malloc((e - a) * sizeof(*z));
            st = z ? outliers(&c, a, e, z) : AZ_ENOMEM;
        }
        if (st == AZ_OK)
            st = conflicts_of_group(&c, a, e, z);
        free(z);
        /* Keep the independent voices v[a, e) for truth discovery, moved
         * down over the copies dropped from earlier groups (nvoices <= a). */
        for (size_t i = a; i < e; i++)
            c.v[res->nvoices++] = c.v[i];
    }
    for (size_t d = 0; c.ents && d < az_corpus_count(corpus); d++)
        free(c.ents[d].v);
    free(c.ents);
    res->voices = c.v; /* the first nvoices are the independent ones */
    if (st != AZ_OK) {
        az_conflicts_free(res);
        return az_error(az_corpus_ctx(corpus), st, "conflicts: %s", az_status_str(st));
    }
    *out = res;
    return AZ_OK;
}

void az_conflicts_free(az_conflicts *c)
{
    if (!c)
        return;
    free(c->agree);
    free(c->disagree);
    free(c->voices);
    free(c->v);
    az_arena_free(&c->arena);
    free(c);
}

size_t az_conflicts_count(const az_conflicts *c)
{
    return c->n;
}

const az_conflict *az_conflicts_get(const az_conflicts *c, size_t i)
{
    return i < c->n ? &c->v[i] : NULL;
}

void az_conflicts_support(const az_conflicts *c, size_t claim, unsigned *agree,
                          unsigned *disagree)
{
    *agree = c->agree[claim];
    *disagree = c->disagree[claim];
}

/* ---- truth discovery over the independent voices ---- */

/* Distance on the log scale from a voice's interval to a value. */
static double dist(const voice *v, double x)
{
    return x < v->lo ? v->lo - x : x > v->hi ? x - v->hi : 0;
}

typedef struct weighted {
    double x, w;
} weighted;

static int weighted_cmp(const void *p, const void *q)
{
    double a = ((const weighted *)p)->x, b = ((const weighted *)q)->x;
    return (a > b) - (a < b);
}

/* Weighted median of v[0, n) (reordered). Ties in x may come in any order:
 * the running weight at the end of a run of equal values is the same, and
 * so is the value returned. */
static double weighted_median(weighted *v, size_t n)
{
    qsort(v, n, sizeof(*v), weighted_cmp);
    double total = 0, run = 0;
    for (size_t i = 0; i < n; i++)
        total += v[i].w;
    for (size_t i = 0; i < n; i++) {
        run += v[i].w;
        if (run >= total / 2)
            return v[i].x;
    }
    return n ? v[n - 1].x : 0;
}

/* The event window bucket of a voice's date (0 when undated). */
static long window_of(const voice *v, const az_options *o)
{
    return v->days == INT32_MIN ? 0
                                : v->days / (long)(o->event_window_days ? o->event_window_days : 1);
}

az_status az_conflicts_outlets(az_outlet_stats **out, size_t *n,
                               const az_conflicts *k, const az_corpus *corpus,
                               const az_options *o)
{
    *out = NULL;
    *n = 0;
    /* Outlets, in order of first voice, with an index per voice. */
    size_t nv = k->nvoices, no = 0;
    const char **names = malloc((nv ? nv : 1) * sizeof(*names));
    size_t *src = malloc((nv ? nv : 1) * sizeof(*src));
    long *obj = malloc((nv ? nv : 1) * sizeof(*obj));
    if (!names || !src || !obj) {
        free(names); free(src); free(obj);
        return AZ_ENOMEM;
    }
    for (size_t i = 0; i < nv; i++) {
        const char *name = az_doc_meta(az_corpus_doc(corpus, k->voices[i].doc), AZ_META_OUTLET)->value;
        src[i] = SIZE_MAX;
        if (!name)
            continue;
        size_t s = 0;
        while (s < no && strcmp(names[s], name) != 0)
            s++;
        if (s == no)
            names[no++] = name;
        src[i] = s;
    }
    /* Objects: one quantity of one story within one event window,
     * numbered in order of first voice. Voices of a key and story are
     * consecutive (sorted so), so an object's first voice is looked for in
     * their run only. */
    long next = 0, *win = malloc((nv ? nv : 1) * sizeof(*win)); /* per object */
    for (size_t a = 0, b; win && a < nv; a = b) {
        for (b = a + 1; b < nv && k->voices[b].story == k->voices[a].story &&
                        strcmp(k->voices[b].key, k->voices[a].key) == 0; b++)
            ;
        long first = next; /* the key's objects are [first, next) */
        for (size_t i = a; i < b; i++) {
            long bucket = window_of(&k->voices[i], o);
            obj[i] = -1;
            for (long q = first; q < next && obj[i] < 0; q++)
                if (win[q] == bucket)
                    obj[i] = q;
            if (obj[i] < 0) {
                win[next] = bucket;
                obj[i] = next++;
            }
        }
    }
    if (!win) {
        free(names); free(src); free(obj);
        return AZ_ENOMEM;
    }
    free(win);
    size_t nobj = next ? (size_t)next : 1;
    az_outlet_stats *st = calloc(no ? no : 1, sizeof(*st));
    double *w = malloc((no ? no : 1) * sizeof(*w)), *loss = malloc((no ? no : 1) * sizeof(*loss));
    double *fused = malloc(nobj * sizeof(*fused));
    weighted *xs = malloc((nv ? nv : 1) * sizeof(*xs));
    size_t *per_obj_outlets = calloc(nobj, sizeof(*per_obj_outlets));
    /* Each object's voices: by[at[q], at[q + 1]) (a counting sort). */
    size_t *at = calloc(nobj + 1, sizeof(*at)), *by = malloc((nv ? nv : 1) * sizeof(*by));
    long *seen_in = malloc((no ? no : 1) * sizeof(*seen_in));
    if (!st || !w || !loss || !fused || !xs || !per_obj_outlets || !at || !by || !seen_in) {
        free(names); free(src); free(obj); free(st); free(w); free(loss);
        free(fused); free(xs); free(per_obj_outlets); free(at); free(by); free(seen_in);
        return AZ_ENOMEM;
    }
    for (size_t i = 0; i < nv; i++)
        at[obj[i] + 1]++;
    for (size_t q = 0; q < nobj; q++)
        at[q + 1] += at[q];
    for (size_t i = 0; i < nv; i++)
        by[at[obj[i]]++] = i;
    for (size_t q = nobj; q > 0; q--)
        at[q] = at[q - 1];
    at[0] = 0;
    /* Only objects reported by two outlets or more carry information. */
    for (size_t s = 0; s < no; s++)
        seen_in[s] = -1;
    for (long q = 0; q < next; q++)
        for (size_t m = at[q]; m < at[q + 1]; m++) {
            size_t i = by[m];
            if (src[i] != SIZE_MAX && seen_in[src[i]] != q) {
                seen_in[src[i]] = q;
                per_obj_outlets[q]++;
            }
        }
    for (size_t s = 0; s < no; s++)
        w[s] = 1;
    /* CRH: the fused value of each object is the weighted median of its
     * voices; an outlet's weight is -log of its share of the total loss. */
    for (int it = 0; it < 10; it++) {
        for (long q = 0; q < next; q++) {
            size_t m = 0;
            for (size_t t = at[q]; t < at[q + 1]; t++) {
                size_t i = by[t];
                if (src[i] != SIZE_MAX && isfinite(k->voices[i].mid))
                    xs[m++] = (weighted){k->voices[i].mid, w[src[i]]};
            }
            fused[q] = m ? weighted_median(xs, m) : 0;
        }
        double total = 0;
        for (size_t s = 0; s < no; s++)
            loss[s] = 1e-3;
        /* A figure of zero ("0 killed") has no place on the log scale:
         * its distance is infinite, and one such voice made every
         * outlet's weight NaN. It counts as a disagreement below, not in
         * the losses. */
        for (size_t i = 0; i < nv; i++) {
            if (src[i] == SIZE_MAX || per_obj_outlets[obj[i]] < 2)
                continue;
            double dv = dist(&k->voices[i], fused[obj[i]]);
            if (isfinite(dv))
                loss[src[i]] += dv;
        }
        for (size_t s = 0; s < no; s++)
            total += loss[s];
        for (size_t s = 0; s < no; s++)
            w[s] = -log(loss[s] / total);
    }
    double tol = log1p(o->conflict_tau);
    for (size_t s = 0; s < no; s++) {
        st[s].outlet = names[s];
        st[s].weight = w[s];
    }
    for (size_t i = 0; i < nv; i++) {
        if (src[i] == SIZE_MAX || per_obj_outlets[obj[i]] < 2)
            continue;
        if (dist(&k->voices[i], fused[obj[i]]) <= tol)
            st[src[i]].agree++;
        else
            st[src[i]].disagree++;
    }
    free(names); free(src); free(obj); free(w); free(loss); free(fused);
    free(xs); free(per_obj_outlets); free(at); free(by); free(seen_in);
    *out = st;
    *n = no;
    return AZ_OK;
}
