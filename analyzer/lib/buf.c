/*
 * buf.c - growable byte strings.
 *
 * Invariant: ptr is NULL with len == cap == 0, or points at cap bytes of
 * which the first len are in use. Growth doubles, so appending n bytes one
 * at a time costs O(n). A buffer is never NUL-terminated unless
 * az_buf_cstr() says so: text from files may hold any byte.
 */
#include "az_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

az_status az_buf_grow(az_buf *b, size_t extra)
{
    if (extra <= b->cap - b->len)
        return AZ_OK;
    if (extra > SIZE_MAX / 2 - b->len)
        return AZ_ENOMEM;
    size_t need = b->len + extra;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->ptr, cap);
    if (!p)
        return AZ_ENOMEM;
    b->ptr = p;
    b->cap = cap;
    return AZ_OK;
}

az_status az_buf_put(az_buf *b, const char *s, size_t len)
{
    if (len == 0)
        return AZ_OK;
    if (az_buf_grow(b, len) != AZ_OK)
        return AZ_ENOMEM;
    memcpy(b->ptr + b->len, s, len);
    b->len += len;
    return AZ_OK;
}

az_status az_buf_puts(az_buf *b, const char *s)
{
    return az_buf_put(b, s, strlen(s));
}

az_status az_buf_putc(az_buf *b, char c)
{
    if (az_buf_grow(b, 1) != AZ_OK)
        return AZ_ENOMEM;
    b->ptr[b->len++] = c;
    return AZ_OK;
}

az_status az_buf_printf(az_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || az_buf_grow(b, (size_t)n + 1) != AZ_OK)
        return AZ_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return AZ_OK;
}

az_status az_buf_cstr(az_buf *b)
{
    if (az_buf_grow(b, 1) != AZ_OK)
        return AZ_ENOMEM;
    b->ptr[b->len] = '\0';
    return AZ_OK;
}

char *az_buf_detach(az_buf *b)
{
    if (az_buf_cstr(b) != AZ_OK)
        return NULL;
    char *p = b->ptr;
    b->ptr = NULL;
    b->len = b->cap = 0;
    return p;
}

void az_buf_free(az_buf *b)
{
    free(b->ptr);
    b->ptr = NULL;
    b->len = b->cap = 0;
}
