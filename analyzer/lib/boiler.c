/*
 * boiler.c - paragraphs an outlet repeats on its pages: footers, newsletter
 * blurbs, "about us" lines that survive per-page cleaning.
 *
 * Each paragraph of at least boilerplate_min_bytes is keyed by XXH3 of its
 * outlet and its text. The (key, document) pairs are sorted (radix, O(P)
 * for P paragraphs: ten million at a million articles, where qsort took
 * most of this pass: sort.c), so nothing is quadratic in the number of
 * documents. A key held by at least
 * boilerplate_min_docs documents of one outlet is boilerplate.
 *
 * An outlet that reprints the same wire story on several pages would see
 * the story itself as "repeated": a page keeps its repeated paragraphs when
 * removing them would take more than half of its text, because then the
 * repetition is the article, not the furniture.
 */
#include "az_priv.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

/* (key, document, paragraph): az_keyed with the paragraph as aux.
 * Occurrences are collected in (document, paragraph) order, so a stable
 * sort by key gives (key, document, paragraph) order. */
typedef az_keyed occ;

uint64_t az_boiler_key(const char *outlet, const char *s, size_t len)
{
    return XXH3_64bits_withSeed(s, len, XXH3_64bits(outlet, strlen(outlet)));
}

/* A streamed document has no text to rebuild: note the paragraphs, to
 * drop them again whenever the text is read again (az_boiler_redo). */
static az_status note_dropped(az_doc *d, const bool *flag)
{
    size_t n = 0;
    for (size_t i = 0; i < d->nbkeys; i++)
        n += flag[i];
    if (!(d->dropped = malloc(n * sizeof(*d->dropped))))
        return AZ_ENOMEM;
    size_t kept = 0, len = 0;
    for (size_t i = 0; i < d->nbkeys; i++) {
        if (flag[i]) {
            d->dropped[d->ndropped++] = (uint32_t)i;
            az_extract_drop(&d->x, AZ_CLEAN_BOILERPLATE, d->blens[i]);
        } else {
            kept++;
            len += d->blens[i];
        }
    }
    /* What drop_paras() will make of the text read again. */
    d->text_len = len + (kept ? kept - 1 : 0);
    d->resketch = true;
    return AZ_OK;
}

/* Rebuild a document's text without the flagged paragraphs, in place:
 * each kept paragraph moves to where the text so far ends, which is never
 * after where it was (and the text may be in the corpus's slab, which
 * nothing frees alone). */
static az_status drop_paras(az_doc *d, const bool *flag)
{
    az_extract *x = &d->x;
    size_t w = 0, len = 0;
    for (size_t i = 0; i < x->npara; i++) {
        az_para p = x->paras[i];
        if (flag[i]) {
            az_extract_drop(x, AZ_CLEAN_BOILERPLATE, p.len);
            continue;
        }
        if (w)
            x->text.ptr[len++] = '\n';
        memmove(x->text.ptr + len, x->text.ptr + p.off, p.len);
        p.off = len;
        len += p.len;
        x->paras[w++] = p;
    }
    x->text.len = len;
    if (len < x->text.cap)
        x->text.ptr[len] = '\0';
    x->npara = w;
    return AZ_OK;
}

/* Collect (key, doc, para) for every long-enough paragraph of documents
 * that name an outlet. */
static az_status collect(az_ctx *ctx, az_doc **docs, size_t n, occ **out,
                         size_t *count)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        if (docs[i]->meta[AZ_META_OUTLET].value)
            total += docs[i]->streamed ? docs[i]->nbkeys : docs[i]->x.npara;
    *out = total ? az_malloc_big(total * sizeof(**out)) : NULL;
    *count = 0;
    if (total && !*out)
        return AZ_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const char *outlet = docs[i]->meta[AZ_META_OUTLET].value;
        if (!outlet)
            continue;
        if (docs[i]->streamed) {
            for (size_t p = 0; p < docs[i]->nbkeys; p++)
                if (docs[i]->bkeys[p])
                    (*out)[(*count)++] = (occ){docs[i]->bkeys[p], (uint32_t)i,
                                               (uint32_t)p};
            continue;
        }
        const az_extract *x = &docs[i]->x;
        for (size_t p = 0; p < x->npara; p++) {
            if (x->paras[p].len < ctx->opt.boilerplate_min_bytes)
                continue;
            (*out)[(*count)++] = (occ){
                az_boiler_key(outlet, x->text.ptr + x->paras[p].off, x->paras[p].len),
                (uint32_t)i, (uint32_t)p};
        }
    }
    return AZ_OK;
}

az_status az_boiler_remove(az_ctx *ctx, az_doc **docs, size_t n)
{
    occ *o;
    size_t count;
    az_status st = collect(ctx, docs, n, &o, &count);
    if (st != AZ_OK || count == 0) {
        free(o); /* paragraphs, none long enough to count */
        return st;
    }
    /* Mark occurrences whose key is held by enough distinct documents. */
    bool *boiler = calloc(count, sizeof(*boiler));
    size_t *flagged_bytes = calloc(n, sizeof(*flagged_bytes));
    if (!boiler || !flagged_bytes ||
        az_sort_keyed_par(o, count, AZ_SORT_KEY, az_threads(&ctx->opt)) != AZ_OK) {
        st = AZ_ENOMEM;
        goto done;
    }
    for (size_t a = 0, b; a < count; a = b) {
        size_t ndocs = 1;
        for (b = a + 1; b < count && o[b].key == o[a].key; b++)
            ndocs += o[b].doc != o[b - 1].doc;
        if (ndocs < ctx->opt.boilerplate_min_docs)
            continue;
        for (size_t k = a; k < b; k++) {
            boiler[k] = true;
            const az_doc *dk = docs[o[k].doc];
            flagged_bytes[o[k].doc] += dk->streamed ? dk->blens[o[k].aux]
                                                    : dk->x.paras[o[k].aux].len;
        }
    }
    /* Regroup the flagged occurrences by document (reusing o[]). */
    size_t m = 0;
    for (size_t k = 0; k < count; k++)
        if (boiler[k])
            o[m++] = (occ){0, o[k].doc, o[k].aux};
    if (az_sort_keyed(o, m, AZ_SORT_DOC) != AZ_OK) {
        st = AZ_ENOMEM;
        goto done;
    }
    for (size_t a = 0, b; a < m; a = b) {
        uint32_t d = o[a].doc;
        for (b = a; b < m && o[b].doc == d; b++)
            ;
        size_t text_len = docs[d]->streamed ? docs[d]->text_len : docs[d]->x.text.len;
        size_t npara = docs[d]->streamed ? docs[d]->nbkeys : docs[d]->x.npara;
        if (flagged_bytes[d] * 2 > text_len)
            continue;
        bool *flag = calloc(npara, sizeof(*flag));
        if (!flag) {
            st = AZ_ENOMEM;
            goto done;
        }
        for (size_t k = a; k < b; k++)
            flag[o[k].aux] = true;
        st = docs[d]->streamed ? note_dropped(docs[d], flag) : drop_paras(docs[d], flag);
        free(flag);
        if (st != AZ_OK)
            goto done;
    }
done:
    free(flagged_bytes);
    free(boiler);
    free(o);
    return st;
}

az_status az_boiler_redo(az_doc *d)
{
    if (d->x.npara != d->nbkeys)
        return AZ_EIO; /* not the paragraphs it had: the input changed */
    bool *flag = calloc(d->x.npara ? d->x.npara : 1, sizeof(*flag));
    if (!flag)
        return AZ_ENOMEM;
    for (size_t k = 0; k < d->ndropped; k++)
        flag[d->dropped[k]] = true;
    az_status st = drop_paras(d, flag);
    free(flag);
    return st;
}
