/* The texts of the known-answer MinHash vectors (gen_minhash_vectors.c and
 * test_dups.c must agree on them). */
static const char *const vector_texts[] = {
    "The harbour wall at Korrin gave way on Tuesday night, flooding the lower town.",
    "Ferries were cancelled and schools closed, the port authority said on Monday.",
    "Zürich, Ukraine’s “rampage” and 40,000 troops: Unicode, digits and quotes.",
    "one two",
};
