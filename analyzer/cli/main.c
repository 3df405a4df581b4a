/*
 * main.c - the analyzer program: dispatch to one command per file
 * (cmd_<name>.c).
 */
#include "cli.h"

#include <errno.h>
#include <string.h>

static const cli_command commands[] = {
    {"clean", "print the extracted article text of a file", cmd_clean},
    {"report", "write report.json, report.html and report.md for a corpus",
     cmd_report},
    {"dups", "near-duplicate pairs, shared passages and copy clusters",
     cmd_dups},
    {"claims", "numeric claims: figures, hedges, counted nouns, sources",
     cmd_claims},
    {"signals", "sourcing evidence, article kind and reliability score",
     cmd_signals},
    {"check", "CI gate: new articles against a corpus (text, json, github, sarif)",
     cmd_check},
    {"index", "persistent SQLite index of a corpus: build, add, info", cmd_index},
    {"bench", "throughput of each stage on one core", cmd_bench},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: analyzer <command> [options] [PATH...]\n\n"
               "Reads news articles (.txt, .html, .jsonl, each optionally .gz;\n"
               "directories recursively, with manifest.jsonl metadata; '-' for\n"
               "JSON Lines on stdin) and reports on them.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'analyzer <command> --help' describes a command.\n"
               "Exit status: 0 success, 1 findings (check), 2 usage or input error.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0) {
        usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(name, "--version") == 0) {
        printf("analyzer %s\n", AZ_VERSION);
        return EXIT_OK;
    }
    if (strcmp(name, "help") == 0) {
        if (argc < 3) {
            usage(stdout);
            return EXIT_OK;
        }
        char *help_argv[] = {argv[2], "--help", NULL};
        for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
            if (strcmp(argv[2], commands[i].name) == 0)
                return commands[i].run(2, help_argv);
        cli_error("unknown command '%s'", argv[2]);
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
        if (strcmp(name, commands[i].name) == 0) {
            int rc = commands[i].run(argc - 1, argv + 1);
            /* The last of the output is written here, not at exit, so
             * that a full disk is an error rather than a short file. */
            if (fflush(stdout) != 0 && rc == EXIT_OK) {
                cli_error("cannot write the output: %s", strerror(errno));
                rc = EXIT_USAGE;
            }
            return rc;
        }
    cli_error("unknown command '%s' (try 'analyzer --help')", name);
    return EXIT_USAGE;
}
