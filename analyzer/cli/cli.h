/*
 * cli.h - what the commands of the analyzer program share. The program is
 * a user of the library: it includes only analyzer.h.
 */
#ifndef AZ_CLI_H
#define AZ_CLI_H

#include "analyzer.h"

#include <stdbool.h>
#include <stdio.h>

/* Exit statuses of the command-line contract. */
enum { EXIT_OK = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2 };

typedef struct cli_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
} cli_command;

int cmd_clean(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_dups(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_claims(int argc, char **argv);
int cmd_signals(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_index(int argc, char **argv);

/* Options every corpus-reading command accepts; parse_common() consumes
 * argv[*i] (and its value) when it is one of them and returns 1, returns
 * 0 when it is not, and -1 after printing a usage error. */
typedef struct common_opts {
    az_options opt;
    bool quiet;
    /* Keep sketches, not texts (az_corpus_set_streaming): dups --format jsonl */
    bool streaming;
} common_opts;

void common_init(common_opts *c);
int parse_common(common_opts *c, int argc, char **argv, int *i);
extern const char common_help[];
extern const char dups_help[];
extern const char mpi_help[];

/* --mpi: join the Open MPI job; ranks other than 0 go quiet (rank 0 reports
 * progress, input errors and the output). EXIT_OK, or the exit status. */
int cli_mpi_start(common_opts *c, const char *cmd);

/* The command line of one command: the common options, an optional
 * `--format jsonl|text`, the command's own options through `extra`, and
 * the paths, which cli_parse() moves to argv[1..npaths]. */
typedef struct cli_args cli_args;
struct cli_args {
    const char *cmd;
    void (*help)(FILE *f);
    bool has_format;       /* accepts --format jsonl|text */
    bool text;             /* --format text was given */
    /* 1: consumed argv[*i] (and its value), 0: not its option, -1: error */
    int (*extra)(cli_args *a, int argc, char **argv, int *i);
    void *state;
    common_opts co;
    int npaths;
};

/* Parse argv; returns EXIT_OK to go on, or the exit status to return now
 * (help printed: a negative EXIT_OK marker is not needed, the caller
 * checks `done`). */
int cli_parse(cli_args *a, int argc, char **argv, bool need_paths, bool *done);

/* Write a library-built output (`st` from the call that made `out`) to
 * stdout and free it: EXIT_OK, or EXIT_USAGE naming `cmd` when it could
 * not be built. */
int put_output(const char *cmd, az_status st, char *out);

/* Print "analyzer: msg" to stderr. */
void cli_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* Read every PATH into a new corpus and finish it. Input errors go to
 * stderr as they are met; progress goes to stderr when it is a terminal
 * and not quiet. Returns EXIT_OK, or EXIT_USAGE after a message. */
int load_corpus(az_ctx **ctx, az_corpus **corpus, const common_opts *c,
                char **paths, int npaths);

#endif
