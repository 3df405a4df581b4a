/*
 * fuzz_html.c - the HTML cleaner (html.c, meta.c) on arbitrary bytes, as
 * a page read from disk: charset sniffing, libxml2's parser, the tree
 * walk and scoring, metadata from <meta> and the text.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_clean(data, size, AZ_FORMAT_HTML);
    return 0;
}
