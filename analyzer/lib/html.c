/*
 * html.c - main-article extraction from HTML with libxml2's HTML parser.
 *
 * The parsed tree is walked once, iteratively (first child, next sibling
 * and parent links, so nesting depth costs no C stack), and flattened into
 * two arrays:
 *
 *   elems   one record per element in document (pre-)order. A record's
 *           parent always has a smaller index, so scanning the array
 *           backwards is a post-order pass that sums subtree statistics
 *           and scanning it forwards passes flags down to descendants.
 *   runs    the visible text in document order, cut at every block-level
 *           boundary: a run is the inline text of the innermost block
 *           element around it and becomes one paragraph. Its text lives
 *           in `pool` with whitespace already collapsed.
 *
 * Subtrees that are never article text (script, style, hidden elements,
 * figures...) are walked only to count their bytes as dropped. Page
 * furniture (nav, aside, footer...) and elements whose class or id says
 * boilerplate ("comment", "share", "related"...) are junk, unless one of
 * them holds most of the page's prose: some sites wrap the whole page in
 * a <form> or a "content-with-sidebar" div.
 *
 * Scoring gives every run a value: positive for prose (long, few links,
 * commas), negative for link lists, fragments, junk, and summaries of other
 * pages under their linked titles. The values are summed up the tree, and
 * the element with the best total is the article: the container holding
 * the most prose for the least boilerplate, deeper elements winning ties.
 * Its runs, minus the ones that still look like boilerplate, are emitted
 * in document order; the rest is counted as dropped.
 *
 * Everything the walk allocates hangs off one `walk` struct freed in one
 * place; the libxml2 document is freed before az_clean_html returns.
 */
#include "az_priv.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HTML_MAX_DEPTH 1024  /* deeper nodes are ignored, not walked */
#define HTML_CHARSET_SCAN 4096

enum {
    EL_BLOCK = 1u << 0,    /* starts a new run */
    EL_DROP = 1u << 1,     /* never article text */
    EL_NEG = 1u << 2,      /* class/id says boilerplate */
    EL_POS = 1u << 3,      /* class/id or tag says article */
    EL_JUNK = 1u << 4,     /* NEG and not holding most of the page */
    EL_LINK = 1u << 5,
    EL_CELL = 1u << 6,     /* inline, but a word boundary: td, th */
    EL_FURNITURE = 1u << 7, /* nav, aside, footer, header, form, menu */
    EL_HIDE = 1u << 8,     /* JUNK because of a FURNITURE element */
    EL_TIME = 1u << 9,     /* <time>: a run that is mostly one is a date */
};

typedef struct elem {
    xmlNode *node;
    int32_t parent;   /* index in elems, -1 for the root */
    int32_t outer;    /* innermost block element around it, or -1 */
    int32_t last;     /* index of its last descendant (itself if none) */
    uint32_t flags;
    double value;     /* summed run values of the subtree */
    size_t text;      /* text bytes of the subtree */
    size_t prose;     /* bytes of prose runs in the subtree */
    uint32_t nprose;  /* prose runs in the subtree */
} elem;

typedef struct run {
    size_t off, len;  /* in pool */
    size_t link;      /* bytes inside <a> */
    size_t stamp;     /* bytes inside <time> */
    uint32_t links;   /* <a> elements in the run */
    int32_t owner;    /* innermost block element */
    uint32_t line;
    bool teaser;      /* summary of another page under its linked title */
    double value;
} run;

typedef struct walk {
    az_extract *out;
    elem *elems;
    size_t nelem, elem_cap;
    run *runs;
    size_t nrun, run_cap;
    az_buf pool;
    /* state while walking */
    size_t run_start;     /* start of the open run in pool */
    size_t run_link;
    size_t run_stamp;
    uint32_t run_links;
    uint32_t run_line;
    bool space;           /* whitespace pending before the next text */
    int link_depth;
    int time_depth;
    int drop_depth;       /* >0 inside a dropped subtree */
    size_t drop_bytes;
    int32_t cur;          /* innermost open element */
    int32_t block;        /* innermost open block element */
} walk;

/* ---- small string helpers ---------------------------------------------- */

static bool name_is(const xmlNode *n, const char *name)
{
    return n->name && strcmp((const char *)n->name, name) == 0;
}

static bool name_in(const xmlNode *n, const char *const *list)
{
    for (; *list; list++)
        if (name_is(n, *list))
            return true;
    return false;
}

/* The value of attribute `name` without copying it, or NULL. */
static const char *attr(const xmlNode *n, const char *name)
{
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        if (!a->name || strcasecmp((const char *)a->name, name) != 0)
            continue;
        if (a->children && a->children->type == XML_TEXT_NODE &&
            !a->children->next)
            return (const char *)a->children->content;
        return "";
    }
    return NULL;
}

/* Case-insensitive substring search in a NUL-terminated string. */
static bool has_word(const char *s, const char *w)
{
    size_t n = strlen(w);
    for (; s && *s; s++)
        if (strncasecmp(s, w, n) == 0)
            return true;
    return false;
}

static az_status to_utf8(az_buf *b, const char *raw, size_t len);

/* `s[0, *len)` as valid UTF-8: `s` itself when it is, else a copy in `tmp`
 * (NUL-terminated, *len updated) with every stray byte read as
 * windows-1252, as to_utf8() does for a whole page. libxml2 passes such
 * bytes through when a page declares a charset it then does not apply
 * ("<meta charset>" without a value). NULL when out of memory. */
static const char *valid_utf8(const char *s, size_t *len, az_buf *tmp)
{
    if (az_utf8_check(s, *len, NULL) == AZ_OK)
        return s;
    tmp->len = 0;
    if (to_utf8(tmp, s, *len) != AZ_OK || az_buf_cstr(tmp) != AZ_OK)
        return NULL;
    *len = tmp->len;
    return tmp->ptr;
}

static uint32_t line_of(const xmlNode *n)
{
    long l = xmlGetLineNo((xmlNode *)n);
    return l > 0 ? (uint32_t)l : 0;
}

/* ---- tag and attribute classes ----------------------------------------- */

/* Elements whose text flows inside the surrounding paragraph. */
static const char *const inline_tags[] = {
    "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "cite", "code",
    "data", "dfn", "em", "font", "i", "img", "kbd", "mark", "q", "s",
    "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt",
    "u", "var", "wbr", "ins", "del", "label", "nobr", "picture", "source",
    "td", "th", NULL};

/* Never article text, whatever the page says. */
static const char *const drop_tags[] = {
    "head", "script", "style", "noscript", "template", "svg", "iframe",
    "button", "select", "textarea", "input", "option", "object", "embed",
    "canvas", "video", "audio", "map", "dialog", "math", "figure", NULL};

/* Page furniture, unless it turns out to hold most of the page's prose
 * (some sites wrap everything in one <form> or <header>). */
static const char *const furniture_tags[] = {
    "nav", "aside", "footer", "header", "form", "menu", NULL};

/* Class/id fragments of boilerplate containers, matched anywhere. */
static const char *const neg_words[] = {
    "comment", "share", "sharing", "social", "related", "promo",
    "newsletter", "cookie", "consent", "sidebar", "footer", "sponsor",
    "subscri", "signup", "outbrain", "taboola", "recommend", "breadcrumb",
    "widget", "popup", "modal", "banner", "advert", "byline", "author",
    "disclaimer", "pagination", "pager", "trending", "popular", "readmore",
    "read-more", "toolbar", "masthead", "login", "paywall", "most-read",
    "more-stories", "caption", "credit", "timestamp", "gallery", "photo",
    "kicker", "eyebrow", NULL};

/* Class/id tokens of boilerplate that are too short to match inside words. */
static const char *const neg_tokens[] = {
    "ad", "ads", "nav", "menu", "meta", "tools", "tags", "tag", "print",
    "hide", "hidden", "date", "time", "info", NULL};

static const char *const pos_words[] = {
    "article", "content", "story", "entry", "post", "body", "text", "main",
    "blog", "prose", NULL};

/* Whether `s` holds one of `words` as a substring. */
static bool has_any(const char *s, const char *const *words)
{
    for (; s && *words; words++)
        if (has_word(s, *words))
            return true;
    return false;
}

static bool is_alnum_ascii(char c)
{
    return ((c | 32) >= 'a' && (c | 32) <= 'z') || (c >= '0' && c <= '9');
}

/* Whether `s` holds one of `tokens` as a whole token: a run of ASCII
 * letters and digits ("ad" in "ad-slot", not in "header"). */
static bool has_token(const char *s, const char *const *tokens)
{
    while (s && *s) {
        if (!is_alnum_ascii(*s)) {
            s++;
            continue;
        }
        const char *b = s;
        while (is_alnum_ascii(*s))
            s++;
        size_t n = (size_t)(s - b);
        for (const char *const *t = tokens; *t; t++)
            if (strlen(*t) == n && strncasecmp(b, *t, n) == 0)
                return true;
    }
    return false;
}

/* EL_NEG / EL_POS from the class and id attributes. */
static uint32_t hint_flags(const xmlNode *n)
{
    const char *v[2] = {attr(n, "class"), attr(n, "id")};
    for (int k = 0; k < 2; k++)
        if (has_any(v[k], neg_words) || has_token(v[k], neg_tokens))
            return EL_NEG;
    for (int k = 0; k < 2; k++)
        if (has_any(v[k], pos_words))
            return EL_POS;
    return 0;
}

/* Whether the element is hidden from readers by its attributes. */
static bool is_hidden(const xmlNode *n)
{
    const char *v;
    if (attr(n, "hidden"))
        return true;
    if ((v = attr(n, "aria-hidden")) && strcasecmp(v, "true") == 0)
        return true;
    if ((v = attr(n, "style"))) {
        char sq[256];
        size_t k = 0;
        /* Compare without spaces: "display : none" is as hidden. */
        for (; *v && k + 1 < sizeof(sq); v++)
            if (!az_is_space_ascii((unsigned char)*v))
                sq[k++] = *v;
        sq[k] = '\0';
        if (has_word(sq, "display:none") || has_word(sq, "visibility:hidden"))
            return true;
    }
    return false;
}

static uint32_t classify(const xmlNode *n)
{
    uint32_t f = 0;
    if (!name_in(n, inline_tags))
        f |= EL_BLOCK;
    if (name_in(n, drop_tags) || is_hidden(n))
        return f | EL_DROP;
    if (name_in(n, furniture_tags))
        f |= EL_NEG | EL_FURNITURE;
    if (name_is(n, "a"))
        f |= EL_LINK;
    if (name_is(n, "td") || name_is(n, "th"))
        f |= EL_CELL;
    if (name_is(n, "time"))
        f |= EL_TIME;
    const char *ip = attr(n, "itemprop");
    if (name_is(n, "article") || name_is(n, "main") ||
        (ip && has_word(ip, "articlebody")))
        f |= EL_POS;
    if (!name_is(n, "body") && !name_is(n, "html") && !(f & EL_NEG))
        f |= hint_flags(n);
    return f;
}

/* ---- metadata ---------------------------------------------------------- */

/* Where a metadata value may come from, best source first within a key. */
enum {
    M_OG_TITLE, M_H1, M_TITLE,
    M_CANONICAL, M_OG_URL,
    M_SITE_NAME,
    M_PUB_META, M_PUB_ITEMPROP, M_DATE_META, M_TIME,
    M_AUTHOR_META, M_ARTICLE_AUTHOR, M_REL_AUTHOR, M_ITEMPROP_AUTHOR,
    M_BYLINE,
    M_COUNT
};

static const struct {
    az_meta_key key;
    const char *how;
} meta_src[M_COUNT] = {
    [M_OG_TITLE] = {AZ_META_TITLE, "html-og-title"},
    [M_H1] = {AZ_META_TITLE, "html-h1"},
    [M_TITLE] = {AZ_META_TITLE, "html-title"},
    [M_CANONICAL] = {AZ_META_URL, "html-canonical"},
    [M_OG_URL] = {AZ_META_URL, "html-og-url"},
    [M_SITE_NAME] = {AZ_META_OUTLET, "html-site-name"},
    [M_PUB_META] = {AZ_META_PUBLISHED, "html-published-time"},
    [M_PUB_ITEMPROP] = {AZ_META_PUBLISHED, "html-date-published"},
    [M_DATE_META] = {AZ_META_PUBLISHED, "html-date-meta"},
    [M_TIME] = {AZ_META_PUBLISHED, "html-time"},
    [M_AUTHOR_META] = {AZ_META_AUTHOR, "html-author-meta"},
    [M_ARTICLE_AUTHOR] = {AZ_META_AUTHOR, "html-article-author"},
    [M_REL_AUTHOR] = {AZ_META_AUTHOR, "html-rel-author"},
    [M_ITEMPROP_AUTHOR] = {AZ_META_AUTHOR, "html-itemprop-author"},
    [M_BYLINE] = {AZ_META_AUTHOR, "html-byline"},
};

/* The first value seen for each source: malloc'd (libxml2 allocator). */
typedef struct meta {
    xmlChar *value[M_COUNT];
    uint32_t line[M_COUNT];
} meta;

/* Keep `v` (taken over) as the value of source `src` unless one is set. */
static void meta_take(meta *m, int src, xmlChar *v, const xmlNode *n)
{
    if (!v)
        return;
    if (m->value[src] || !*v) {
        xmlFree(v);
        return;
    }
    m->value[src] = v;
    m->line[src] = line_of(n);
}

/* The text of `n` as the value of `src`; computed only when `src` is still
 * unset, so nested bylines cost no more than one. */
static void meta_text(meta *m, int src, const xmlNode *n)
{
    if (!m->value[src])
        meta_take(m, src, xmlNodeGetContent(n), n);
}

static void meta_attr(meta *m, int src, const xmlNode *n, const char *name)
{
    const char *v = attr(n, name);
    if (v && !m->value[src])
        meta_take(m, src, xmlStrdup((const xmlChar *)v), n);
}

/* <meta property|name|itemprop=... content=...> */
static void meta_tag(meta *m, const xmlNode *n)
{
    const char *k = attr(n, "property");
    if (!k)
        k = attr(n, "name");
    if (!k)
        k = attr(n, "itemprop");
    if (!k)
        return;
    static const struct { const char *name; int src; } map[] = {
        {"og:title", M_OG_TITLE}, {"og:url", M_OG_URL},
        {"og:site_name", M_SITE_NAME},
        {"article:published_time", M_PUB_META},
        {"datePublished", M_PUB_ITEMPROP}, {"date", M_DATE_META},
        {"pubdate", M_DATE_META}, {"publishdate", M_DATE_META},
        {"publish-date", M_DATE_META}, {"dc.date.issued", M_DATE_META},
        {"dc.date", M_DATE_META}, {"sailthru.date", M_DATE_META},
        {"parsely-pub-date", M_DATE_META}, {"og:published_time", M_DATE_META},
        {"author", M_AUTHOR_META}, {"article:author", M_ARTICLE_AUTHOR},
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strcasecmp(k, map[i].name) == 0)
            meta_attr(m, map[i].src, n, "content");
}

/* Collect metadata carried by element `n`. */
static void meta_element(meta *m, const xmlNode *n)
{
    const char *v;
    if (name_is(n, "meta")) {
        meta_tag(m, n);
        return;
    }
    if (name_is(n, "title")) {
        meta_text(m, M_TITLE, n);
        return;
    }
    if (name_is(n, "link") && (v = attr(n, "rel"))) {
        if (strcasecmp(v, "canonical") == 0)
            meta_attr(m, M_CANONICAL, n, "href");
        return;
    }
    if ((v = attr(n, "rel")) && strcasecmp(v, "author") == 0)
        meta_text(m, M_REL_AUTHOR, n);
    if ((v = attr(n, "itemprop"))) {
        if (strcasecmp(v, "datePublished") == 0) {
            meta_attr(m, M_PUB_ITEMPROP, n, "datetime");
            meta_attr(m, M_PUB_ITEMPROP, n, "content");
        } else if (strcasecmp(v, "author") == 0) {
            meta_attr(m, M_ITEMPROP_AUTHOR, n, "content");
            meta_text(m, M_ITEMPROP_AUTHOR, n);
        }
    }
    if (name_is(n, "time"))
        meta_attr(m, M_TIME, n, "datetime");
    if ((v = attr(n, "class")) && has_word(v, "byline"))
        meta_text(m, M_BYLINE, n);
}

/* The name in an author value: without a leading "By " and anything from
 * a date on ("By Jane Smith November 20, 2019"). Returns NULL when what is
 * left is a URL, empty, or too long to be a name. */
static const char *author_name(const char *v, size_t *len)
{
    while (az_is_space_ascii((unsigned char)*v))
        v++;
    if (strncasecmp(v, "by ", 3) == 0)
        v += 3;
    if (strncasecmp(v, "http", 4) == 0 || strchr(v, '/'))
        return NULL;
    char date[11];
    size_t dlen, n = strlen(v), at = az_date_find(v, n, date, &dlen);
    if (at != SIZE_MAX)
        n = at;
    while (n && (az_is_space_ascii((unsigned char)v[n - 1]) ||
                 v[n - 1] == ',' || v[n - 1] == '-' || v[n - 1] == '|'))
        n--;
    *len = n;
    return n > 0 && n <= 100 ? v : NULL;
}

/* Hand the collected values to `out`, best source first; dates are
 * normalised, and a source whose value does not parse yields to the next. */
static az_status meta_emit(meta *m, az_extract *out)
{
    az_buf fixed = AZ_BUF_INIT;
    for (int s = 0; s < M_COUNT; s++) {
        const char *v = (const char *)m->value[s];
        if (!v)
            continue;
        az_meta_key key = meta_src[s].key;
        size_t len = strlen(v);
        if (!(v = valid_utf8(v, &len, &fixed)))
            goto nomem;
        char date[11];
        if (key == AZ_META_PUBLISHED) {
            while (az_is_space_ascii((unsigned char)*v))
                v++;
            if (!az_date_parse(v, strlen(v), date))
                continue;
            v = date;
            len = strlen(date);
        } else if (key == AZ_META_AUTHOR) {
            if (!(v = author_name(v, &len)))
                continue;
        }
        if (az_extract_found(out, key, v, len, meta_src[s].how,
                             m->line[s]) != AZ_OK)
            goto nomem;
    }
    az_buf_free(&fixed);
    return AZ_OK;
nomem:
    az_buf_free(&fixed);
    return AZ_ENOMEM;
}

static void meta_free(meta *m)
{
    for (int s = 0; s < M_COUNT; s++)
        xmlFree(m->value[s]);
}

/* ---- the walk ---------------------------------------------------------- */

/* Close the open run, if it holds text, as a run of the current block. */
static az_status flush_run(walk *w)
{
    if (w->pool.len > w->run_start) {
        if (w->nrun == w->run_cap) {
            size_t cap = w->run_cap ? w->run_cap * 2 : 64;
            run *r = realloc(w->runs, cap * sizeof(*r));
            if (!r)
                return AZ_ENOMEM;
            w->runs = r;
            w->run_cap = cap;
        }
        w->runs[w->nrun++] = (run){
            .off = w->run_start, .len = w->pool.len - w->run_start,
            .link = w->run_link, .stamp = w->run_stamp, .links = w->run_links,
            .owner = w->block, .line = w->run_line};
    }
    w->run_start = w->pool.len;
    w->run_link = 0;
    w->run_stamp = 0;
    w->run_links = 0;
    w->space = false;
    return AZ_OK;
}

/* Append a text node's content to the open run, collapsing whitespace
 * across node boundaries. */
static az_status add_text(walk *w, const xmlNode *n)
{
    const char *s = (const char *)n->content;
    if (!s)
        return AZ_OK;
    size_t len = strlen(s);
    if (w->drop_depth) {
        w->drop_bytes += len;
        return AZ_OK;
    }
    az_buf fixed = AZ_BUF_INIT;
    if (!(s = valid_utf8(s, &len, &fixed)) ||
        az_buf_grow(&w->pool, len + 1) != AZ_OK) {
        az_buf_free(&fixed);
        return AZ_ENOMEM;
    }
    size_t before = w->pool.len;
    for (size_t i = 0; i < len;) {
        size_t sp = az_space_len(s + i, len - i);
        if (sp) {
            w->space = true;
            i += sp;
            continue;
        }
        if (w->pool.len == w->run_start)
            w->run_line = line_of(n);
        else if (w->space)
            w->pool.ptr[w->pool.len++] = ' ';
        w->space = false;
        w->pool.ptr[w->pool.len++] = s[i++];
    }
    az_buf_free(&fixed);
    if (w->link_depth)
        w->run_link += w->pool.len - before;
    if (w->time_depth)
        w->run_stamp += w->pool.len - before;
    return AZ_OK;
}

static az_status push_elem(walk *w, xmlNode *n, uint32_t flags)
{
    if (w->nelem == w->elem_cap) {
        size_t cap = w->elem_cap ? w->elem_cap * 2 : 256;
        elem *e = realloc(w->elems, cap * sizeof(*e));
        if (!e)
            return AZ_ENOMEM;
        w->elems = e;
        w->elem_cap = cap;
    }
    w->elems[w->nelem] = (elem){.node = n, .parent = w->cur,
        .outer = w->block, .last = (int32_t)w->nelem, .flags = flags};
    /* _private remembers the record so leave() can find it (index + 1). */
    n->_private = (void *)(intptr_t)(w->nelem + 1);
    w->cur = (int32_t)w->nelem++;
    return AZ_OK;
}

/* Start element `n`; *down says whether to walk its children. */
static az_status enter_elem(walk *w, meta *m, xmlNode *n, bool *down)
{
    meta_element(m, n);
    *down = true;
    n->_private = NULL;
    if (w->drop_depth) {
        w->drop_depth++;
        return AZ_OK;
    }
    uint32_t f = classify(n);
    if (f & EL_DROP) {
        w->drop_depth = 1;
        w->drop_bytes = 0;
        return AZ_OK;
    }
    if ((f & EL_BLOCK) && flush_run(w) != AZ_OK)
        return AZ_ENOMEM;
    if (push_elem(w, n, f) != AZ_OK)
        return AZ_ENOMEM;
    if (f & EL_BLOCK)
        w->block = w->cur;
    if (f & EL_LINK) {
        w->link_depth++;
        w->run_links++;
    }
    if (f & EL_TIME)
        w->time_depth++;
    if (f & EL_CELL)
        w->space = true;
    return AZ_OK;
}

static az_status leave_elem(walk *w, xmlNode *n)
{
    if (w->drop_depth) {
        if (--w->drop_depth == 0 && w->drop_bytes)
            az_extract_drop(w->out, AZ_CLEAN_HTML_HIDDEN, w->drop_bytes);
        return AZ_OK;
    }
    intptr_t id = (intptr_t)n->_private;
    if (id <= 0)
        return AZ_OK;
    n->_private = NULL;
    elem *e = &w->elems[id - 1];
    if ((e->flags & EL_BLOCK) && flush_run(w) != AZ_OK)
        return AZ_ENOMEM;
    if (e->flags & EL_LINK)
        w->link_depth--;
    if (e->flags & EL_TIME)
        w->time_depth--;
    if (e->flags & EL_CELL)
        w->space = true;
    w->cur = e->parent;
    if (e->flags & EL_BLOCK)
        w->block = e->outer;
    return AZ_OK;
}

/* Walk the tree under `root` in document order without recursion. */
static az_status walk_tree(walk *w, meta *m, xmlNode *root)
{
    xmlNode *n = root->children;
    int depth = 0;
    while (n) {
        bool down = false;
        az_status st = AZ_OK;
        if (n->type == XML_ELEMENT_NODE)
            st = enter_elem(w, m, n, &down);
        else if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
            st = add_text(w, n);
        if (st != AZ_OK)
            return st;
        if (down && n->children && depth < HTML_MAX_DEPTH) {
            n = n->children;
            depth++;
            continue;
        }
        for (;;) {
            if (n->type == XML_ELEMENT_NODE && leave_elem(w, n) != AZ_OK)
                return AZ_ENOMEM;
            if (n->next) {
                n = n->next;
                break;
            }
            n = n->parent;
            if (n == root || !n)
                return flush_run(w);
            depth--;
        }
    }
    return flush_run(w);
}

/* ---- scoring ----------------------------------------------------------- */

static bool is_prose(const run *r)
{
    return r->len >= 80 && r->link * 3 < r->len;
}

static uint32_t count_commas(const char *s, size_t len)
{
    uint32_t c = 0;
    for (size_t i = 0; i < len; i++)
        c += s[i] == ',';
    return c;
}

/* Sum text and prose bytes up the tree, then mark as junk the boilerplate-
 * hinted elements and everything under them. A hint is overruled only for
 * an element holding most of the page's prose in several paragraphs: a
 * page wrapper named "content-with-sidebar", not a long footer notice.
 * Returns the page's prose bytes. */
static size_t mark_junk(walk *w)
{
    for (size_t i = 0; i < w->nrun; i++) {
        run *r = &w->runs[i];
        if (r->owner < 0)
            continue;
        w->elems[r->owner].text += r->len;
        if (is_prose(r)) {
            w->elems[r->owner].prose += r->len;
            w->elems[r->owner].nprose++;
        }
    }
    size_t total = 0;
    for (size_t i = w->nelem; i-- > 0;) {
        elem *e = &w->elems[i];
        if (e->parent < 0) {
            total += e->prose;
            continue;
        }
        elem *p = &w->elems[e->parent];
        p->text += e->text;
        p->prose += e->prose;
        p->nprose += e->nprose;
        if (e->last > p->last)
            p->last = e->last;
    }
    for (size_t i = 0; i < w->nelem; i++) {
        elem *e = &w->elems[i];
        uint32_t pf = e->parent >= 0 ? w->elems[e->parent].flags : 0;
        bool neg = (e->flags & EL_NEG) && !(e->flags & EL_POS);
        if (neg && (e->prose * 2 < total || e->nprose < 3)) {
            e->flags |= EL_JUNK;
            if (e->flags & EL_FURNITURE)
                e->flags |= EL_HIDE;
        }
        e->flags |= pf & (EL_JUNK | EL_HIDE);
    }
    return total;
}

static bool run_junk(const walk *w, const run *r)
{
    return r->owner < 0 || (w->elems[r->owner].flags & EL_JUNK) ||
           r->teaser;
}

/* Whether `prev` is the linked title of the prose run `r`: a link-only
 * run close before it in a small element holding little but the two, as
 * in a list of other stories, each a headline and a summary. */
static bool titled_by(const walk *w, const run *prev, const run *r)
{
    if (prev->owner < 0 || prev->links > 1 || prev->link < 20 ||
        prev->link * 10 < prev->len * 9)
        return false;
    int32_t a = r->owner;
    for (int up = 0; up < 4 && a >= 0; up++, a = w->elems[a].parent) {
        const elem *e = &w->elems[a];
        if (prev->owner >= a && prev->owner <= e->last)
            return e->text <= r->len + prev->len + 150;
    }
    return false;
}

/* Mark prose runs that summarise another page: they follow its linked
 * title in a small element of their own. */
static void mark_teasers(walk *w)
{
    for (size_t i = 0; i < w->nrun; i++) {
        run *r = &w->runs[i];
        if (!is_prose(r))
            continue;
        if (i > 0 && titled_by(w, &w->runs[i - 1], r))
            r->teaser = true;
    }
}

/* The value of a run as article text: positive for prose, negative for
 * link lists, fragments and boilerplate. */
static double run_value(const walk *w, const run *r)
{
    double len = (double)r->len, ld = (double)r->link / len;
    /* One long link-laden paragraph is not a link list: cap its cost. */
    if (run_junk(w, r) || ld > 0.5)
        return len < 100 ? -len : -100;
    double commas = count_commas(w->pool.ptr + r->off, r->len);
    return len * (1 - ld) - 25 + 10 * commas;
}

/* The element whose subtree holds the best total run value; -1 if none. */
static int32_t best_elem(walk *w)
{
    for (size_t i = 0; i < w->nrun; i++) {
        run *r = &w->runs[i];
        r->value = run_value(w, r);
        if (r->owner >= 0)
            w->elems[r->owner].value += r->value;
    }
    for (size_t i = w->nelem; i-- > 0;)
        if (w->elems[i].parent >= 0)
            w->elems[w->elems[i].parent].value += w->elems[i].value;
    int32_t best = -1;
    for (size_t i = 0; i < w->nelem; i++)
        if (best < 0 || w->elems[i].value >= w->elems[best].value)
            best = (int32_t)i;
    return best;
}

/* Labels that stand alone between paragraphs but are page furniture. */
static const char *const ui_labels[] = {
    "advertisement", "advert", "ad", "sponsored", "comments", "comment",
    "share", "share this", "share this article", "related", "related articles",
    "read more", "recommended", "tell us what you think", NULL};

static bool is_ui_label(const char *s, size_t len)
{
    while (len && (s[len - 1] == '.' || s[len - 1] == ':'))
        len--;
    for (const char *const *l = ui_labels; *l; l++)
        if (strlen(*l) == len && strncasecmp(s, *l, len) == 0)
            return true;
    return false;
}

/* Whether a run inside the article is still left out. */
static bool run_dropped(const walk *w, const run *r)
{
    if (r->len < 32 && is_ui_label(w->pool.ptr + r->off, r->len))
        return true;
    if (r->owner >= 0 && name_is(w->elems[r->owner].node, "h1"))
        return true;
    return run_junk(w, r) || r->stamp * 2 > r->len ||
           (r->link * 2 > r->len && r->len - r->link < 60);
}

/* Emit the runs of element `best` as paragraphs, count the rest. */
static az_status emit_runs(walk *w, int32_t best, az_extract *out)
{
    for (size_t i = 0; i < w->nrun; i++) {
        const run *r = &w->runs[i];
        bool inside = best >= 0 && r->owner >= best &&
                      r->owner <= w->elems[best].last;
        if (!inside || run_dropped(w, r)) {
            bool hide = r->owner >= 0 && (w->elems[r->owner].flags & EL_HIDE);
            az_extract_drop(out, hide ? AZ_CLEAN_HTML_HIDDEN
                                      : AZ_CLEAN_HTML_EXTRACT, r->len);
            continue;
        }
        if (az_extract_para(out, w->pool.ptr + r->off, r->len, SIZE_MAX,
                            r->line, true) != AZ_OK)
            return AZ_ENOMEM;
    }
    return AZ_OK;
}

/* The text of the first <h1> inside `best`, else of the first one. */
static void find_h1(walk *w, int32_t best, meta *m)
{
    int32_t first = -1, in = -1;
    for (size_t i = 0; i < w->nelem && in < 0; i++) {
        if (!name_is(w->elems[i].node, "h1") ||
            (w->elems[i].flags & EL_JUNK))
            continue;
        if (first < 0)
            first = (int32_t)i;
        if (best >= 0 && (int32_t)i >= best &&
            (int32_t)i <= w->elems[best].last)
            in = (int32_t)i;
    }
    int32_t h = in >= 0 ? in : first;
    if (h >= 0)
        meta_text(m, M_H1, w->elems[h].node);
}

/* ---- input bytes and encoding ------------------------------------------ */

/* Whether a <meta> tag near the top of the page names a charset; libxml2
 * then switches to it by itself. */
static bool declares_charset(const char *raw, size_t len)
{
    size_t n = len < HTML_CHARSET_SCAN ? len : HTML_CHARSET_SCAN;
    for (size_t i = 0; i + 5 < n; i++) {
        if (raw[i] != '<' || strncasecmp(raw + i + 1, "meta", 4) != 0)
            continue;
        size_t j = i + 5;
        while (j < n && raw[j] != '>')
            j++;
        for (size_t k = i + 5; k + 7 <= j; k++)
            if (strncasecmp(raw + k, "charset", 7) == 0)
                return true;
    }
    return false;
}

/* windows-1252 0x80..0x9F; the five unassigned bytes become U+FFFD. */
static const uint16_t cp1252_c1[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
    0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

static az_status put_cp1252(az_buf *b, unsigned char c)
{
    unsigned cp = c >= 0x80 && c < 0xA0 ? cp1252_c1[c - 0x80] : c;
    char u[3];
    if (cp < 0x80)
        return az_buf_putc(b, c ? (char)c : ' ');
    if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        return az_buf_put(b, u, 2);
    }
    u[0] = (char)(0xE0 | (cp >> 12));
    u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[2] = (char)(0x80 | (cp & 0x3F));
    return az_buf_put(b, u, 3);
}

/* Length of the valid UTF-8 sequence at s[0..n), 0 if there is none (a
 * NUL counts as invalid). */
static size_t utf8_len(const char *s, size_t n)
{
    unsigned char c = (unsigned char)s[0];
    if (c < 0x80)
        return c ? 1 : 0;
    size_t k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    return k && k <= n && az_utf8_check(s, k, NULL) == AZ_OK ? k : 0;
}

/* Copy `raw` as valid UTF-8: valid sequences as they are, NUL as a space,
 * and any other byte read as windows-1252. Converting here rather than
 * asking libxml2 for "windows-1252" keeps iconv, which refuses the five
 * unassigned bytes and reports them through a global handler, out of it. */
static az_status to_utf8(az_buf *b, const char *raw, size_t len)
{
    size_t i = 0, start = 0;
    while (i < len) {
        size_t k = utf8_len(raw + i, len - i);
        if (k) {
            i += k;
            continue;
        }
        if (az_buf_put(b, raw + start, i - start) != AZ_OK ||
            put_cp1252(b, (unsigned char)raw[i]) != AZ_OK)
            return AZ_ENOMEM;
        start = ++i;
    }
    return az_buf_put(b, raw + start, len - start);
}

/* Parse `raw`: with the page's declared charset if it has one (NULs made
 * spaces, which libxml2 would take for the end), else as UTF-8. */
static htmlDocPtr parse(const char *raw, size_t len, az_status *st)
{
    const int opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                     HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                     HTML_PARSE_COMPACT;
    az_buf b = AZ_BUF_INIT;
    const char *enc = "UTF-8";
    *st = AZ_OK;
    if (declares_charset(raw, len)) {
        enc = NULL;
        if (memchr(raw, '\0', len)) {
            *st = az_buf_put(&b, raw, len);
            for (size_t i = 0; i < b.len; i++)
                if (!b.ptr[i])
                    b.ptr[i] = ' ';
        }
    } else if (az_utf8_check(raw, len, NULL) != AZ_OK) {
        *st = to_utf8(&b, raw, len);
    }
    if (*st != AZ_OK || b.len > INT_MAX) {
        if (*st == AZ_OK)
            *st = AZ_ETOOBIG;
        az_buf_free(&b);
        return NULL;
    }
    if (b.ptr) {
        raw = b.ptr;
        len = b.len;
    }
    xmlInitParser();
    htmlDocPtr doc = htmlReadMemory(raw, (int)len, NULL, enc, opts);
    az_buf_free(&b);
    return doc;
}

/* ---- entry point ------------------------------------------------------- */

static void walk_free(walk *w)
{
    free(w->elems);
    free(w->runs);
    az_buf_free(&w->pool);
}

/* Walk, score and emit; metadata is collected on the way. */
static az_status extract(az_extract *out, htmlDocPtr doc)
{
    walk w = {.out = out, .cur = -1, .block = -1};
    meta m = {0};
    az_status st = walk_tree(&w, &m, (xmlNode *)doc);
    if (st == AZ_OK) {
        mark_junk(&w);
        mark_teasers(&w);
        int32_t best = best_elem(&w);
        find_h1(&w, best, &m);
        st = emit_runs(&w, best, out);
    }
    if (st == AZ_OK)
        st = meta_emit(&m, out);
    meta_free(&m);
    walk_free(&w);
    return st;
}

az_status az_clean_html(az_ctx *ctx, az_extract *out, const char *raw,
                        size_t len, const char *name)
{
    if (len > INT_MAX)
        return az_error(ctx, AZ_ETOOBIG, "%s: HTML larger than 2 GiB", name);
    az_status st;
    htmlDocPtr doc = parse(raw, len, &st);
    if (st != AZ_OK)
        return az_error(ctx, st, "%s: %s", name, az_status_str(st));
    size_t had = out->npara;
    if (doc)
        st = extract(out, doc);
    xmlFreeDoc(doc);
    if (st != AZ_OK)
        return az_error(ctx, st, "%s: %s", name, az_status_str(st));
    if (out->npara == had)
        return az_error(ctx, AZ_EEMPTY, "%s: no article text found in HTML",
                        name);
    return AZ_OK;
}
