/*
 * sort.c - an in-place radix sort of 64-bit keys.
 *
 * Most significant byte first (American flag sort): no second array, which
 * matters for the candidate list (tens of millions of pairs at a million
 * articles, where a copy would be the run's peak), and no comparison
 * calls, which matter for the many small shingle sets sorted while
 * verifying (glibc's qsort was 7% of a run there, mostly its merge
 * buffer and indirect comparisons).
 */
#include "az_priv.h"

static void flag_sort(uint64_t *v, size_t n, int shift)
{
    if (n < 64 || shift < 0) {
        for (size_t i = 1; i < n; i++) /* insertion: short runs */
            for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
                uint64_t t = v[j];
                v[j] = v[j - 1];
                v[j - 1] = t;
            }
        return;
    }
    size_t count[256] = {0}, next[256], end[256];
    for (size_t i = 0; i < n; i++)
        count[(v[i] >> shift) & 0xFF]++;
    size_t sum = 0;
    for (int b = 0; b < 256; b++) {
        next[b] = sum;
        sum += count[b];
        end[b] = sum;
    }
    for (int b = 0; b < 256; b++)
        while (next[b] < end[b]) {
            uint64_t x = v[next[b]];
            int d = (int)((x >> shift) & 0xFF);
            while (d != b) { /* swap x into its bucket until one fits here */
                uint64_t t = v[next[d]];
                v[next[d]++] = x;
                x = t;
                d = (int)((x >> shift) & 0xFF);
            }
            v[next[b]++] = x;
        }
    for (int b = 0; b < 256; b++) {
        size_t lo = end[b] - count[b];
        if (count[b] > 1)
            flag_sort(v + lo, count[b], shift - 8);
    }
}

void az_sort_u64(uint64_t *v, size_t n)
{
    if (n > 1)
        flag_sort(v, n, 56);
}
