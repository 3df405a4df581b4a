/*
 * extract.c - the result of cleaning one input: paragraphs of article text,
 * what each cleaning rule removed, and metadata found on the page.
 *
 * Invariant: paras[i] describes text.ptr[off, off+len), paragraphs are in
 * input order, separated in `text` by exactly one '\n', and never empty.
 */
#include "az_priv.h"

#include <stdlib.h>
#include <string.h>

const char *const az_clean_rule_names[AZ_CLEAN_RULE_COUNT] = {
    [AZ_CLEAN_HTML_EXTRACT] = "html-outside-article",
    [AZ_CLEAN_HTML_HIDDEN] = "html-hidden",
    [AZ_CLEAN_CHANGE_TRACKER] = "change-tracker",
    [AZ_CLEAN_CSS_DEBRIS] = "css-js-debris",
    [AZ_CLEAN_UI_NAG] = "ui-nag",
    [AZ_CLEAN_UI_CHROME] = "ui-chrome",
    [AZ_CLEAN_CAPTION] = "caption",
    [AZ_CLEAN_HEADER] = "page-header",
    [AZ_CLEAN_BOILERPLATE] = "outlet-boilerplate",
};

void az_extract_init(az_extract *x)
{
    memset(x, 0, sizeof(*x));
    x->versions = 1;
}

void az_extract_free(az_extract *x)
{
    az_buf_free(&x->text);
    free(x->paras);
    for (int k = 0; x->found && k < AZ_META_COUNT; k++)
        free(x->found[k].value);
    free(x->found);
    memset(x, 0, sizeof(*x));
}

az_status az_extract_para(az_extract *x, const char *s, size_t len,
                          size_t src_off, uint32_t line, bool collapse)
{
    /* Trim so that an exact paragraph still maps byte for byte. */
    while (len) {
        size_t sp = az_space_len(s, len);
        if (!sp)
            break;
        s += sp;
        len -= sp;
        if (src_off != SIZE_MAX)
            src_off += sp;
    }
    while (len && az_is_space_ascii((unsigned char)s[len - 1]))
        len--;
    if (len == 0)
        return AZ_OK;
    if (x->npara == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 16;
        az_para *p = realloc(x->paras, cap * sizeof(*p));
        if (!p)
            return AZ_ENOMEM;
        x->paras = p;
        x->cap = cap;
    }
    if (x->npara && az_buf_putc(&x->text, '\n') != AZ_OK)
        return AZ_ENOMEM;
    size_t off = x->text.len;
    az_status st = collapse ? az_buf_put_collapsed(&x->text, s, len)
                            : az_buf_put(&x->text, s, len);
    if (st != AZ_OK)
        return st;
    if (x->text.len == off) {
        /* All spaces after collapsing: undo the separator. */
        if (x->npara)
            x->text.len--;
        return AZ_OK;
    }
    x->paras[x->npara++] = (az_para){
        .off = off, .len = x->text.len - off, .src_off = src_off, .line = line};
    return AZ_OK;
}

void az_extract_drop(az_extract *x, az_clean_rule rule, size_t bytes)
{
    x->stats[rule].items++;
    x->stats[rule].bytes += bytes;
}

const az_found *az_extract_found_for(const az_extract *x, az_meta_key key)
{
    return x->found && x->found[key].value ? &x->found[key] : NULL;
}

az_status az_extract_found(az_extract *x, az_meta_key key, const char *value,
                           size_t len, const char *how, uint32_t line)
{
    if (!x->found && !(x->found = calloc(AZ_META_COUNT, sizeof(*x->found))))
        return AZ_ENOMEM;
    if (x->found[key].value)
        return AZ_OK;
    az_buf b = AZ_BUF_INIT;
    if (az_buf_put_collapsed(&b, value, len) != AZ_OK) {
        az_buf_free(&b);
        return AZ_ENOMEM;
    }
    if (b.len == 0) {
        az_buf_free(&b);
        return AZ_OK;
    }
    char *v = az_buf_detach(&b);
    if (!v)
        return AZ_ENOMEM;
    x->found[key] = (az_found){.value = v, .how = how, .line = line};
    return AZ_OK;
}

