/* SPDX-License-Identifier: MIT */
/* `songgong keygen PATH`: the key file for personal numbers at rest, made once. */
#include <stdio.h>
#include <string.h>
#include "cmd/commands.h"
#include "domain/err.h"
#include "store/crypto.h"

int sg_cmd_keygen(int argc, char **argv)
{
    if (argc != 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        FILE *out = argc == 2 ? stdout : stderr;
        fprintf(out, "usage: songgong keygen PATH\n\n"
                     "Create a new key file (mode 0600) for the encryption of ID and phone numbers\n"
                     "at rest. Refuses to overwrite an existing file: losing the key loses the data.\n");
        return argc == 2 ? 0 : 1;
    }
    int ret = sg_crypto_keygen(argv[1]);
    if (ret == SG_EEXIST) {
        fprintf(stderr, "songgong keygen: %s exists; not overwriting it\n", argv[1]);
        return 1;
    }
    if (ret != 0) {
        fprintf(stderr, "songgong keygen: cannot write %s\n", argv[1]);
        return 1;
    }
    return 0;
}
