/*
 * text.c - the text layer: UTF-8 checks, word tokens with byte offsets, and
 * the normal form tokens are compared in.
 *
 * A token is a maximal run of word characters (Unicode letters, marks and
 * digits) in which an apostrophe or hyphen between two word characters, and
 * a ',' or '.' between two digits, stays inside the word: "Ukraine's",
 * "Putin-Obama", "40,000" and "1.5" are one token each. Offsets are bytes of
 * the text given, so a token always points at its exact surface text.
 *
 * ASCII bytes take a table lookup; only non-ASCII code points go through
 * utf8proc for their category.
 */
#include "az_priv.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Byte classes: ASCII letters and digits are words, ' and - may join two
 * word characters, , and . two digits; every byte >= 0x80 belongs to a
 * UTF-8 sequence whose class utf8proc decides. */
enum { B_OTHER = 0, B_ALPHA = 1, B_DIGIT = 2, B_JOIN = 3, B_NUMSEP = 4, B_HIGH = 5 };

static const unsigned char byte_class[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 4, 3, 4, 0,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
    5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
    5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
    5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
    5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
    5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
    5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
    5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
    5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
};

/* Class of the code point at s[i]: 1 letter (or mark), 2 digit, 0 other;
 * its byte length in *n (1 for a malformed byte, which is class 0). */
static int unicode_class(const unsigned char *s, size_t i, size_t len, size_t *n)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i), &cp);
    if (k <= 0) {
        *n = 1;
        return 0;
    }
    *n = (size_t)k;
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
        return 1;
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return 2;
    default:
        return 0;
    }
}

/* Word class (0, 1, 2) and length of the character at s[i]. */
static inline int word_class(const unsigned char *s, size_t i, size_t len,
                             size_t *n)
{
    int c = byte_class[s[i]];
    if (c != B_HIGH) {
        *n = 1;
        return c == B_ALPHA || c == B_DIGIT ? c : 0;
    }
    return unicode_class(s, i, len, n);
}

static inline bool is_rsquo(const unsigned char *s, size_t i, size_t len)
{
    return s[i] == 0xE2 && i + 2 < len && s[i + 1] == 0x80 && s[i + 2] == 0x99;
}

bool az_next_token(const char *text, size_t len, size_t *pos, size_t *start,
                   size_t *end)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = *pos, n;
    int last;
    for (;;) {
        /* Skip spaces and punctuation a byte at a time without a call. */
        while (i < len && (byte_class[s[i]] == B_OTHER || byte_class[s[i]] == B_JOIN ||
                           byte_class[s[i]] == B_NUMSEP))
            i++;
        if (i >= len) {
            *pos = len;
            return false;
        }
        if ((last = word_class(s, i, len, &n)) != 0)
            break;
        i += n;
    }
    *start = i;
    i += n;
    while (i < len) {
        int c = byte_class[s[i]];
        if (c == B_ALPHA || c == B_DIGIT) {
            last = c;
            i++;
            continue;
        }
        size_t j;
        if (c == B_HIGH) {
            int u = unicode_class(s, i, len, &n);
            if (u) {
                last = u;
                i += n;
                continue;
            }
            if (!is_rsquo(s, i, len))
                break;
            j = 3; /* U+2019 joins like ' */
        } else if (c == B_JOIN || (c == B_NUMSEP && last == B_DIGIT)) {
            j = 1;
        } else {
            break;
        }
        if (i + j >= len)
            break;
        int next = word_class(s, i + j, len, &n);
        /* , and . join only digit to digit; ' - and ’ join any words. */
        if (!next || (c == B_NUMSEP && next != B_DIGIT))
            break;
        i += j;
    }
    *end = i;
    *pos = i;
    return true;
}

/* ---- ASCII text, 64 bytes at a time ----
 *
 * az_next_token() decides a byte at a time, and words are short, so its
 * loops mispredict their exit at nearly every word: it was the largest
 * cost of shingling. On ASCII the rules are local: byte p is part of a
 * word when it is a letter or digit, a joiner (' -) with a letter or
 * digit on both sides, or a , . with a digit on both sides. So a block's
 * word bytes are a few mask operations, and its tokens the runs of set
 * bits. A block with a byte >= 0x80 in it, or next to it, is left to
 * az_next_token(), as is a token that opens a block and fills all of it
 * but perhaps its last byte. */

typedef struct block_masks {
    uint64_t alnum, digit, join, numsep, high; /* bit k: byte k */
} block_masks;

static AZ_ALWAYS_INLINE block_masks masks_of(const unsigned char *u)
{
    block_masks m = {0, 0, 0, 0, 0};
#ifdef __SSE2__
    const __m128i fold = _mm_set1_epi8(0x20), a = _mm_set1_epi8('a'),
                  z = _mm_set1_epi8(25), zero = _mm_set1_epi8('0'),
                  nine = _mm_set1_epi8(9), apos = _mm_set1_epi8('\''),
                  dash = _mm_set1_epi8('-'), comma = _mm_set1_epi8(','),
                  dot = _mm_set1_epi8('.');
    /* Unrolled, the shifts are constants and the loop's count goes. */
#if defined(__GNUC__)
#pragma GCC unroll 4
#endif
    for (unsigned q = 0; q < 4; q++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + 16 * q));
        /* Unsigned x <= n as min(x, n) == x: SSE2 has no unsigned compare. */
        __m128i l = _mm_sub_epi8(_mm_or_si128(v, fold), a);
        __m128i d = _mm_sub_epi8(v, zero);
        __m128i is_l = _mm_cmpeq_epi8(_mm_min_epu8(l, z), l);
        __m128i is_d = _mm_cmpeq_epi8(_mm_min_epu8(d, nine), d);
        __m128i is_j = _mm_or_si128(_mm_cmpeq_epi8(v, apos), _mm_cmpeq_epi8(v, dash));
        __m128i is_n = _mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, dot));
        unsigned sh = 16 * q;
        m.alnum |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_or_si128(is_l, is_d)) << sh;
        m.digit |= (uint64_t)(unsigned)_mm_movemask_epi8(is_d) << sh;
        m.join |= (uint64_t)(unsigned)_mm_movemask_epi8(is_j) << sh;
        m.numsep |= (uint64_t)(unsigned)_mm_movemask_epi8(is_n) << sh;
        m.high |= (uint64_t)(unsigned)_mm_movemask_epi8(v) << sh;
    }
#else
    for (unsigned k = 0; k < 64; k++) {
        int c = byte_class[u[k]];
        uint64_t bit = UINT64_C(1) << k;
        m.alnum |= c == B_ALPHA || c == B_DIGIT ? bit : 0;
        m.digit |= c == B_DIGIT ? bit : 0;
        m.join |= c == B_JOIN ? bit : 0;
        m.numsep |= c == B_NUMSEP ? bit : 0;
        m.high |= c == B_HIGH ? bit : 0;
    }
#endif
    return m;
}

/* Tokens of text[0, len) into out (when store), at most max of them
 * (when bounded); returns how many. The same tokens as az_next_token()
 * finds. Inlined into each caller with store and bounded constant, so the
 * per-token loop carries no test for them (they were a fifth of it). */
static AZ_ALWAYS_INLINE size_t scan_tokens(az_token *out, const char *text,
                                           size_t len, size_t max,
                                           const bool store, const bool bounded)
{
    const unsigned char *u = (const unsigned char *)text;
    size_t n = 0, i = 0, a, b;
    /* The text's last bytes (fewer than 65) are scanned as a block too,
     * from a copy padded with zeros, which no token takes in: a byte at a
     * time they cost as much as the rest of a sentence or a short line
     * (az_count_words_max() on a line is mostly its end). */
    unsigned char pad[65]; /* a block and the byte after it */
    bool padded = false;
    /* Invariant: no token spans i and i - 1 (i is 0, or a token's start
     * or end), so a run of word bits at bit 0 is a token's start. */
    while ((!bounded || n < max) && i < len) {
        const unsigned char *blk = u + i;
        if (i + 65 > len) {
            if (padded)
                break;
            padded = true;
            memset(pad, 0, sizeof(pad));
            memcpy(pad, u + i, len - i);
            blk = pad;
        }
        block_masks m = masks_of(blk);
        unsigned char before = i ? u[i - 1] : ' ', after = blk[64];
        if (m.high || before >= 0x80 || after >= 0x80) {
            /* Not ASCII: whole tokens a byte at a time up to the next block. */
            size_t stop = i + 64;
            while ((!bounded || n < max) && i < stop && az_next_token(text, len, &i, &a, &b)) {
                if (store)
                    out[n] = (az_token){(uint32_t)a, (uint32_t)(b - a)};
                n++;
            }
            continue;
        }
        uint64_t al_b = byte_class[before] == B_ALPHA || byte_class[before] == B_DIGIT,
                 al_a = byte_class[after] == B_ALPHA || byte_class[after] == B_DIGIT;
        uint64_t d_b = byte_class[before] == B_DIGIT, d_a = byte_class[after] == B_DIGIT;
        uint64_t w = m.alnum |
                     (m.join & (m.alnum << 1 | al_b) & (m.alnum >> 1 | al_a << 63)) |
                     (m.numsep & (m.digit << 1 | d_b) & (m.digit >> 1 | d_a << 63));
        uint64_t starts = w & ~(w << 1);
        size_t next = i + 64;
        for (; starts && (!bounded || n < max); starts &= starts - 1) {
            unsigned s = (unsigned)__builtin_ctzll(starts);
            /* Zero while the word goes on; bit 63 is set so that ctz
             * needs no test for 0 (x86-64's bsf leaves 0 undefined). A
             * word reaching bit 62 is then put off like one that may go
             * on past the block: the next block starts at it, or, when it
             * opens this one, az_next_token() takes it. */
            uint64_t rest = ~(w >> s) | UINT64_C(1) << 63;
            unsigned e = (unsigned)__builtin_ctzll(rest);
            if (s + e >= 63) {
                next = i + s; /* may go on past the block: start there */
                break;
            }
            if (store)
                out[n] = (az_token){(uint32_t)(i + s), e};
            n++;
        }
        if (next == i && (!bounded || n < max)) {
            /* A token of 63 bytes or more opens the block. */
            az_next_token(text, len, &i, &a, &b);
            if (store)
                out[n] = (az_token){(uint32_t)a, (uint32_t)(b - a)};
            n++;
            continue;
        }
        i = next < len ? next : len;
    }
    while ((!bounded || n < max) && az_next_token(text, len, &i, &a, &b)) {
        if (store)
            out[n] = (az_token){(uint32_t)a, (uint32_t)(b - a)};
        n++;
    }
    return n;
}

size_t az_tokens_fill(az_token *out, const char *text, size_t len)
{
    return scan_tokens(out, text, len, SIZE_MAX, true, false);
}

az_status az_tokenize(az_token **out, size_t *n, const char *text, size_t len)
{
    *out = NULL;
    *n = 0;
    if (len > UINT32_MAX)
        return AZ_ETOOBIG;
    /* Counting first costs a second pass of the block scanner, which is
     * less than growing the array, and holds no slack. */
    size_t count = scan_tokens(NULL, text, len, SIZE_MAX, false, false);
    az_token *toks = malloc((count ? count : 1) * sizeof(*toks));
    if (!toks)
        return AZ_ENOMEM;
    scan_tokens(toks, text, len, SIZE_MAX, true, false);
    *out = toks;
    *n = count;
    return AZ_OK;
}

size_t az_count_words(const char *text, size_t len)
{
    return scan_tokens(NULL, text, len, SIZE_MAX, false, false);
}

const unsigned char az_first_bytes[32] = {
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
};

size_t az_count_words_max(const char *text, size_t len, size_t max)
{
    return scan_tokens(NULL, text, len, max, false, true);
}

az_status az_fold(char **out, size_t *out_len, const char *s, size_t len)
{
    *out = NULL;
    *out_len = 0;
    size_t i = 0;
    while (i < len && (unsigned char)s[i] < 0x80)
        i++;
    if (i == len) {
        char *p = malloc(len + 1);
        if (!p)
            return AZ_ENOMEM;
        for (size_t k = 0; k < len; k++) {
            unsigned char c = (unsigned char)s[k];
            p[k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        p[len] = '\0';
        *out = p;
        *out_len = len;
        return AZ_OK;
    }
    utf8proc_uint8_t *m = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s,
        (utf8proc_ssize_t)len, &m,
        UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |
        UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
    if (n < 0)
        return n == UTF8PROC_ERROR_NOMEM ? AZ_ENOMEM : AZ_EINPUT;
    /* Typographic apostrophes fold to ASCII so "Ukraine’s" == "Ukraine's". */
    size_t w = 0;
    for (size_t r = 0; r < (size_t)n; r++) {
        if (m[r] == 0xE2 && r + 2 < (size_t)n && m[r + 1] == 0x80 &&
            (m[r + 2] == 0x99 || m[r + 2] == 0x98)) {
            m[w++] = '\'';
            r += 2;
        } else {
            m[w++] = m[r];
        }
    }
    m[w] = '\0';
    *out = (char *)m;
    *out_len = w;
    return AZ_OK;
}

az_status az_utf8_check(const char *s, size_t len, size_t *bad_off)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        /* ASCII fast path: 16 bytes at a time, then 8. */
#ifdef __SSE2__
        const __m128i zero = _mm_setzero_si128();
        while (i + 16 <= len) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
            if (_mm_movemask_epi8(_mm_or_si128(v, _mm_cmpeq_epi8(v, zero))))
                break;
            i += 16;
        }
#endif
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, u + i, 8);
            /* no high bit set and no zero byte */
            if ((w & 0x8080808080808080ull) ||
                ((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull))
                break;
            i += 8;
        }
        if (i >= len)
            break;
        if (u[i] == 0) {
            if (bad_off)
                *bad_off = i;
            return AZ_EINPUT;
        }
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(u + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0) {
            if (bad_off)
                *bad_off = i;
            return AZ_EINPUT;
        }
        i += (size_t)n;
    }
    return AZ_OK;
}

size_t az_space_len(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    if (len == 0)
        return 0;
    if (s[0] < 0x80)
        return az_is_space_ascii(s[0]) ? 1 : 0;
    if (len >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
        return 2; /* NO-BREAK SPACE */
    if (len >= 3 && s[0] == 0xE2 && s[1] == 0x80 &&
        ((s[2] >= 0x80 && s[2] <= 0x8B) || s[2] == 0xAF || s[2] == 0xA8 ||
         s[2] == 0xA9))
        return 3; /* U+2000..200B spaces, U+202F, line/para separators */
    if (len >= 3 && s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F)
        return 3; /* MEDIUM MATHEMATICAL SPACE */
    if (len >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
        return 3; /* IDEOGRAPHIC SPACE */
    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        return 3; /* BOM / ZERO WIDTH NO-BREAK SPACE */
    return 0;
}

az_status az_buf_put_collapsed(az_buf *b, const char *s, size_t len)
{
    if (az_buf_grow(b, len) != AZ_OK)
        return AZ_ENOMEM;
    size_t start = b->len;
    bool pending = false;
    size_t i = 0;
    while (i < len) {
        size_t sp = az_space_len(s + i, len - i);
        if (sp) {
            pending = true;
            i += sp;
            continue;
        }
        if (pending && b->len > start)
            b->ptr[b->len++] = ' ';
        pending = false;
        b->ptr[b->len++] = s[i++];
    }
    return AZ_OK;
}
