/*
 * ctx.c - options, contexts and status messages.
 *
 * The context owns a copy of the options and the text of the last error;
 * nothing here is global or mutable across contexts, so two contexts never
 * see each other's errors.
 */
#include "az_priv.h"

#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void az_options_init(az_options *opt)
{
    memset(opt, 0, sizeof(*opt));
    opt->max_doc_bytes = (size_t)16 << 20;
    opt->boilerplate_min_docs = 3;
    opt->boilerplate_min_bytes = 20;
    opt->shingle_size = 5;
    opt->minhash_perms = 128;
    opt->minhash_kind = AZ_MINHASH_OPH;
    opt->seed = 0x616e616c797a6572ull; /* "analyzer" */
    opt->lsh_threshold = 0.5;
    opt->lsh_fp_weight = 0.5;
    opt->lsh_bucket_cap = 64;
    opt->pair_jaccard = 0.5;
    opt->pair_containment = 0.3;
    opt->passage_min_tokens = 10;
    opt->passage_gap = 4;
    opt->pair_passage_tokens = 30;
    opt->winnow_window = 12;
    opt->claims_all = 0;
    opt->conflict_tau = 0.25;
    opt->event_window_days = 7;
}

const char *az_status_str(az_status st)
{
    switch (st) {
    case AZ_OK: return "success";
    case AZ_ENOMEM: return "out of memory";
    case AZ_EIO: return "input/output error";
    case AZ_EINVAL: return "invalid argument";
    case AZ_EINPUT: return "malformed input";
    case AZ_ETOOBIG: return "input too large";
    case AZ_EEMPTY: return "no article text";
    }
    return "unknown error";
}

az_status az_ctx_new(az_ctx **out, const az_options *opt)
{
    *out = NULL;
    /* GSL's default error handler aborts the process: a quantile that
     * fails to converge on one outlet's counts would take the whole
     * report down. Off, GSL returns NaN and a status, which the callers
     * handle (az_beta_quantile). Process-wide, set once per context. */
    gsl_set_error_handler_off();
    az_ctx *ctx = calloc(1, sizeof(*ctx));
    if (!ctx)
        return AZ_ENOMEM;
    for (unsigned k = 0; k < AZ_REREAD_FDS; k++)
        ctx->reread_fd[k] = -1;
    if (opt)
        ctx->opt = *opt;
    else
        az_options_init(&ctx->opt);
    if (ctx->opt.max_doc_bytes == 0 || ctx->opt.boilerplate_min_docs < 2) {
        az_error(ctx, AZ_EINVAL, "invalid options: max_doc_bytes must be > 0 "
                 "and boilerplate_min_docs >= 2");
        free(ctx);
        return AZ_EINVAL;
    }
    *out = ctx;
    return AZ_OK;
}

void az_ctx_free(az_ctx *ctx)
{
    if (!ctx)
        return;
    az_clean_scratch_free(ctx->clean_scratch);
    free(ctx->text_room);
    free(ctx->para_room);
    if (ctx->shingles) {
        az_shingles_free(ctx->shingles);
        free(ctx->shingles);
    }
    az_ingest_reread_close(ctx);
    free(ctx);
}

const az_options *az_ctx_options(const az_ctx *ctx)
{
    return &ctx->opt;
}

const char *az_ctx_last_error(const az_ctx *ctx)
{
    return ctx->err;
}

az_status az_error(az_ctx *ctx, az_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->err, sizeof(ctx->err), fmt, ap);
    va_end(ap);
    return st;
}
