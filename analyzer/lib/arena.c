/*
 * arena.c - bump allocation for one document or one pass, freed in one call.
 *
 * Blocks form a singly linked list, newest first; allocations are 16-byte
 * aligned and carved from the head block. Blocks start small (most arenas
 * hold a document's id, path and a few metadata strings) and double up to
 * 8 KiB. A request larger than a quarter of the largest block gets a block
 * of its own so large strings waste little.
 * With -Darena_malloc=true every allocation is its own block, so ASan and
 * valgrind see each one's bounds (libgit2's git_pool does the same).
 */
/* madvise()'s MADV_HUGEPAGE is a Linux extension beyond POSIX. */
#define _DEFAULT_SOURCE
#include "az_priv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define AZ_ARENA_BLOCK 8192u
#define AZ_ARENA_FIRST 256u
#define AZ_ARENA_ALIGN 16u

struct az_arena_block {
    az_arena_block *next;
    size_t used, size;
    _Alignas(16) unsigned char data[];
};

static az_arena_block *block_new(size_t size, az_arena_block *next)
{
    az_arena_block *b = malloc(sizeof(*b) + size);
    if (!b)
        return NULL;
    b->next = next;
    b->used = 0;
    b->size = size;
    return b;
}

void *az_arena_alloc(az_arena *a, size_t size)
{
    if (size == 0)
        size = 1;
    if (size > SIZE_MAX / 2)
        return NULL;
    size_t rounded = (size + AZ_ARENA_ALIGN - 1) & ~(size_t)(AZ_ARENA_ALIGN - 1);
#if AZ_ARENA_MALLOC
    (void)rounded;
    az_arena_block *own = block_new(size, a->head);
    if (!own)
        return NULL;
    own->used = size;
    a->head = own;
    return own->data;
#else
    if (rounded > AZ_ARENA_BLOCK / 4) {
        /* Own block, linked behind the head so the head keeps its space. */
        az_arena_block *own = block_new(rounded, a->head ? a->head->next : NULL);
        if (!own)
            return NULL;
        own->used = rounded;
        if (a->head)
            a->head->next = own;
        else
            a->head = own;
        return own->data;
    }
    az_arena_block *h = a->head;
    if (!h || h->size - h->used < rounded) {
        size_t block = a->next_size ? a->next_size : AZ_ARENA_FIRST;
        a->next_size = block < AZ_ARENA_BLOCK ? block * 2 : AZ_ARENA_BLOCK;
        while (block < rounded)
            block *= 2;
        h = block_new(block, a->head);
        if (!h)
            return NULL;
        a->head = h;
    }
    void *p = h->data + h->used;
    h->used += rounded;
    return p;
#endif
}

char *az_arena_strndup(az_arena *a, const char *s, size_t len)
{
    char *p = az_arena_alloc(a, len + 1);
    if (!p)
        return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *az_arena_strdup(az_arena *a, const char *s)
{
    return s ? az_arena_strndup(a, s, strlen(s)) : NULL;
}

void az_arena_free(az_arena *a)
{
    az_arena_block *b = a->head;
    while (b) {
        az_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->next_size = 0;
}

/* Only arrays of this size or more: glibc gives them their own mapping,
 * so the advice covers no one else's memory. */
#define BIG_BYTES ((size_t)32 << 20)
#define HUGE_PAGE ((uintptr_t)2 << 20)

static void advise_huge(void *p, size_t bytes)
{
#ifdef MADV_HUGEPAGE
    if (p && bytes >= BIG_BYTES) {
        uintptr_t a = ((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
        uintptr_t e = ((uintptr_t)p + bytes) & ~(HUGE_PAGE - 1);
        /* Advice only: without huge pages to give (or with transparent
         * huge pages off), nothing changes. */
        if (e > a)
            (void)madvise((void *)a, e - a, MADV_HUGEPAGE);
    }
#else
    (void)p;
    (void)bytes;
#endif
}

void *az_malloc_big(size_t bytes)
{
    void *p = malloc(bytes);
    advise_huge(p, bytes);
    return p;
}

void *az_realloc_big(void *old, size_t bytes)
{
    void *p = realloc(old, bytes);
    advise_huge(p, bytes);
    return p;
}

/* ---- slabs: what a corpus keeps of each of a million documents ---- */

struct az_slab_chunk {
    az_slab_chunk *next;
    size_t used, size;
    _Alignas(16) unsigned char data[];
};

void *az_slab_alloc(az_slab *s, size_t size)
{
    if (size > SIZE_MAX / 2)
        return NULL;
    size_t rounded = (size + AZ_ARENA_ALIGN - 1) & ~(size_t)(AZ_ARENA_ALIGN - 1);
#if AZ_ARENA_MALLOC
    size_t chunk = rounded ? rounded : AZ_ARENA_ALIGN;
#else
    size_t chunk = BIG_BYTES - sizeof(az_slab_chunk);
#endif
    az_slab_chunk *h = s->head;
    if (!h || h->size - h->used < rounded) {
        if (chunk < rounded)
            chunk = rounded;
        if (!(h = az_malloc_big(sizeof(*h) + chunk)))
            return NULL;
        h->next = s->head;
        h->used = 0;
        h->size = chunk;
        s->head = h;
    }
    void *p = h->data + h->used;
    h->used += rounded;
    return p;
}

void az_slab_free(az_slab *s)
{
    for (az_slab_chunk *c = s->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    s->head = NULL;
}
