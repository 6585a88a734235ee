#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Back up Songgong: a fresh Redis snapshot (BGSAVE, waited for, checked with
# redis-check-rdb) into a dated archive songgong-data-YYYYMMDDTHHMMSSZ.tar.gz, and the
# encryption key into another directory (songgong-key-<fingerprint>.tar, once per key).
# Keep the two apart (another disk, another place, other people): the data archive is
# useless without the key, which is the point. deploy/restore.sh puts both back;
# docs/operations.md has the whole procedure. Runs while the service runs.
#
# Why the snapshot and not a copy of the AOF: BGSAVE writes one consistent file of the
# moment it starts (a fork), while the AOF files change under a copy.
#
# Usage: deploy/backup.sh [options]
#   --redis HOST:PORT          Redis (default 127.0.0.1:6379)
#   --redis-user NAME          ACL user (default backup)
#   --redis-password-file F    its password (default /etc/songgong/redis-backup.password;
#                              "" for a Redis without users)
#   --redis-dir DIR            where Redis writes dump.rdb (default /var/lib/songgong/redis)
#   --key-file FILE            the key (default /etc/songgong/songgong.key)
#   --out DIR                  data archives (default /var/backups/songgong)
#   --key-out DIR              key archives (default /var/backups/songgong-key)
#   --keep N                   keep the newest N data archives, delete older ones (default 30;
#                              0 keeps all)
#   --timeout SECONDS          longest wait for the snapshot (default 1800)
# Prints the data archive's path on stdout.
set -euo pipefail

REDIS=127.0.0.1:6379
REDIS_USER=backup
REDIS_PASSWORD_FILE=/etc/songgong/redis-backup.password
REDIS_DIR=/var/lib/songgong/redis
KEY_FILE=/etc/songgong/songgong.key
OUT=/var/backups/songgong
KEY_OUT=/var/backups/songgong-key
KEEP=30
TIMEOUT=1800

say() { printf 'backup.sh: %s\n' "$*" >&2; }
die() {
    say "$*"
    exit 1
}

while [ "$#" -gt 0 ]; do
    case "$1" in
    --redis) REDIS="$2"; shift 2 ;;
    --redis-user) REDIS_USER="$2"; shift 2 ;;
    --redis-password-file) REDIS_PASSWORD_FILE="$2"; shift 2 ;;
    --redis-dir) REDIS_DIR="$2"; shift 2 ;;
    --key-file) KEY_FILE="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --key-out) KEY_OUT="$2"; shift 2 ;;
    --keep) KEEP="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    -h | --help) sed -n '3,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
    esac
done
[[ "$REDIS" =~ ^(.+):([0-9]+)$ ]] || die "--redis: expected HOST:PORT, got $REDIS"
HOST="${BASH_REMATCH[1]}"
PORT="${BASH_REMATCH[2]}"
[[ "$KEEP" =~ ^[0-9]+$ ]] || die "--keep: expected a number"

# The password goes through the environment, never the command line (ps shows that).
CLI=(redis-cli -h "$HOST" -p "$PORT" --no-auth-warning)
if [ -n "$REDIS_PASSWORD_FILE" ]; then
    [ -r "$REDIS_PASSWORD_FILE" ] || die "cannot read $REDIS_PASSWORD_FILE (--redis-password-file \"\" for a Redis without users)"
    REDISCLI_AUTH="$(cat "$REDIS_PASSWORD_FILE")"
    export REDISCLI_AUTH
    CLI+=(--user "$REDIS_USER")
fi
rcli() { "${CLI[@]}" "$@"; }

stage="" # the staging directory, removed on exit

# persistence FIELD: a field of INFO persistence.
persistence() {
    rcli INFO persistence | tr -d '\r' | sed -n "s/^$1://p"
}

# A fingerprint of the key (not the key): names the key archive and goes in the data
# archive's MANIFEST, so that restore.sh can tell whether a key fits the data.
key_fingerprint() {
    sha256sum <"$1" | cut -c1-16
}

# BGSAVE and wait for it: returns once a snapshot that started after this call is on disk.
snapshot() {
    local before="" reply="" waited=0
    for _ in $(seq 1 "$TIMEOUT"); do
        before="$(persistence rdb_saves)"
        [ -n "$before" ] || die "Redis at $REDIS does not answer INFO persistence (user $REDIS_USER)"
        # SCHEDULE: during an AOF rewrite, start right after it instead of failing.
        reply="$(rcli BGSAVE SCHEDULE)"
        case "$reply" in
        "Background saving started" | "Background saving scheduled") break ;;
        *"already in progress"*) sleep 1 ;; # someone else's: it may predate our call, wait and ask again
        *) die "BGSAVE failed: $reply" ;;
        esac
    done
    [[ "$reply" == "Background saving s"* ]] || die "a snapshot of someone else kept running for $TIMEOUT s"
    until [ "$(persistence rdb_saves)" -gt "$before" ] && [ "$(persistence rdb_bgsave_in_progress)" = 0 ]; do
        waited=$((waited + 1))
        [ "$waited" -le $((TIMEOUT * 5)) ] || die "no snapshot after $TIMEOUT s"
        sleep 0.2
    done
    [ "$(persistence rdb_last_bgsave_status)" = ok ] || die "the snapshot failed (rdb_last_bgsave_status: $(persistence rdb_last_bgsave_status)); see Redis's log"
}

main() {
    [ -r "$KEY_FILE" ] || die "cannot read the key file $KEY_FILE"
    [ "$(rcli PING)" = PONG ] || die "Redis at $REDIS does not answer PING"
    mkdir -p "$OUT" "$KEY_OUT"
    chmod 0700 "$OUT" "$KEY_OUT"

    local stamp fp keys version
    stamp="$(date -u +%Y%m%dT%H%M%SZ)"
    stage="$(mktemp -d)"
    trap 'rm -rf "$stage"' EXIT
    mkdir "$stage/songgong-data-$stamp"
    local d="$stage/songgong-data-$stamp"

    snapshot
    # The file is replaced by rename when a snapshot finishes: a copy reads one whole file.
    cp "$REDIS_DIR/dump.rdb" "$d/dump.rdb"
    local check
    check="$(redis-check-rdb "$d/dump.rdb" 2>&1)" || die "the snapshot copy does not check out:
$check"
    keys="$(sed -n 's/^\[info\] \([0-9]*\) keys read$/\1/p' <<<"$check")"
    version="$(rcli INFO server | tr -d '\r' | sed -n 's/^redis_version://p')"
    fp="$(key_fingerprint "$KEY_FILE")"
    cat >"$d/MANIFEST" <<EOF
created=$stamp
host=$(hostname)
redis_version=$version
keys=$keys
expires=$(sed -n 's/^\[info\] \([0-9]*\) expires$/\1/p' <<<"$check")
dump_sha256=$(sha256sum <"$d/dump.rdb" | cut -c1-64)
key_fingerprint=$fp
EOF
    # Whole archives only: written under another name, renamed when complete.
    (umask 077 && tar -C "$stage" -czf "$OUT/.songgong-data-$stamp.tar.gz.part" "songgong-data-$stamp")
    mv "$OUT/.songgong-data-$stamp.tar.gz.part" "$OUT/songgong-data-$stamp.tar.gz"

    # The key: one archive per key (it changes only when rotated).
    local keytar="$KEY_OUT/songgong-key-$fp.tar"
    if [ ! -e "$keytar" ]; then
        mkdir "$stage/key"
        cp "$KEY_FILE" "$stage/key/songgong.key"
        printf 'created=%s\nkey_fingerprint=%s\n' "$stamp" "$fp" >"$stage/key/MANIFEST"
        (umask 077 && tar -C "$stage/key" -cf "$keytar.part" songgong.key MANIFEST)
        mv "$keytar.part" "$keytar"
        say "key archived in $keytar: copy it somewhere safe, apart from the data archives"
    fi

    if [ "$KEEP" -gt 0 ]; then
        # Names sort by date; the newest KEEP stay.
        find "$OUT" -maxdepth 1 -name 'songgong-data-*.tar.gz' | sort | head -n "-$KEEP" | xargs -r rm -f --
    fi
    say "snapshot of $keys keys in $OUT/songgong-data-$stamp.tar.gz (key $fp)"
    printf '%s\n' "$OUT/songgong-data-$stamp.tar.gz"
}

main "$@"
