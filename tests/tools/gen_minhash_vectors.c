/*
 * gen_minhash_vectors - print the known-answer MinHash vectors checked in
 * as tests/data/minhash-vectors.txt: for fixed texts and seeds, the first
 * 16 values of the signature under each variant. test_dups compares the
 * library against the file; regenerate it only after a deliberate change
 * of the hashing (and say so in the commit):
 *
 *   build/tests/gen_minhash_vectors > tests/data/minhash-vectors.txt
 */
#include "az_priv.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vector_texts.h"

int main(void)
{
    static const uint64_t seeds[] = {0x616e616c797a6572ull, 1};
    static const int kinds[] = {AZ_MINHASH_OPH, AZ_MINHASH_KPERM};
    printf("# text seed kind: first 16 of 128 values (shingle size 5)\n");
    for (size_t t = 0; t < sizeof(vector_texts) / sizeof(*vector_texts); t++)
        for (size_t s = 0; s < 2; s++)
            for (size_t k = 0; k < 2; k++) {
                az_shingles sh = AZ_SHINGLES_INIT;
                if (az_shingle(&sh, vector_texts[t], strlen(vector_texts[t]), 5, seeds[s]) != AZ_OK)
                    return 1;
                uint32_t sig[128];
                az_minhash(sig, 128, kinds[k], seeds[s], sh.seq, sh.nseq);
                printf("%zu %" PRIu64 " %s", t, seeds[s], kinds[k] ? "kperm" : "oph");
                for (int j = 0; j < 16; j++)
                    printf(" %08" PRIx32, sig[j]);
                printf("\n");
                az_shingles_free(&sh);
            }
    return 0;
}
