/*
 * pack.c - flat records for what ranks of a distributed run send each other
 * (mpi.c): documents' metadata, fingerprints, verified pairs.
 *
 * Values are written in the machine's own byte order: the ranks of one
 * Open MPI job run the same binary on the same architecture. A reader
 * never runs past its end: a short or corrupt record sets `bad` and reads
 * as zeros, and the caller checks `bad` once at the end.
 */
#include "az_priv.h"

#include <string.h>

az_status az_pack_u64(az_buf *b, uint64_t v)
{
    return az_buf_put(b, (const char *)&v, sizeof(v));
}

az_status az_pack_u32(az_buf *b, uint32_t v)
{
    return az_buf_put(b, (const char *)&v, sizeof(v));
}

az_status az_pack_f64(az_buf *b, double v)
{
    return az_buf_put(b, (const char *)&v, sizeof(v));
}

az_status az_pack_bytes(az_buf *b, const void *p, size_t n)
{
    az_status st = az_pack_u64(b, n);
    return st == AZ_OK && n ? az_buf_put(b, p, n) : st;
}

/* NULL and "" differ (an absent metadata value against an empty one). */
az_status az_pack_str(az_buf *b, const char *s)
{
    if (!s)
        return az_pack_u64(b, UINT64_MAX);
    return az_pack_bytes(b, s, strlen(s));
}

static const char *take(az_unpack *u, size_t n)
{
    if (u->bad || n > u->n - u->off) {
        u->bad = true;
        return NULL;
    }
    const char *p = u->p + u->off;
    u->off += n;
    return p;
}

/* One fixed-width value into v (zeros when past the end). */
static void take_value(az_unpack *u, void *v, size_t n)
{
    const char *p = take(u, n);
    if (p)
        memcpy(v, p, n);
    else
        memset(v, 0, n);
}

uint64_t az_unpack_u64(az_unpack *u)
{
    uint64_t v;
    take_value(u, &v, sizeof(v));
    return v;
}

uint32_t az_unpack_u32(az_unpack *u)
{
    uint32_t v;
    take_value(u, &v, sizeof(v));
    return v;
}

double az_unpack_f64(az_unpack *u)
{
    double v;
    take_value(u, &v, sizeof(v));
    return v;
}

const void *az_unpack_bytes(az_unpack *u, size_t *n)
{
    *n = 0;
    uint64_t len = az_unpack_u64(u);
    const char *p = take(u, len);
    if (p)
        *n = len;
    return p;
}

const char *az_unpack_str(az_unpack *u, az_arena *a)
{
    uint64_t len = az_unpack_u64(u);
    if (u->bad || len == UINT64_MAX)
        return NULL;
    const char *p = take(u, len);
    char *s = p ? az_arena_alloc(a, len + 1) : NULL;
    if (!s) {
        u->bad = true;
        return NULL;
    }
    memcpy(s, p, len);
    s[len] = '\0';
    return s;
}
