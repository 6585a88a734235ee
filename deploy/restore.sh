#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Restore Songgong from deploy/backup.sh's archives: Redis's data from a data archive and,
# when it is missing or asked for, the key from a key archive. The procedure
# (docs/operations.md, "Backup and restore"):
#   1. check the archive (checksum, redis-check-rdb) and that the key fits it
#      (the fingerprint in its MANIFEST);
#   2. stop the servers and Redis (systemctl; --no-systemctl when the caller did);
#   3. move Redis's data directory aside to DIR.before-restore-<time> (never deleted here);
#   4. load the snapshot into a Redis of our own on a private socket and turn the AOF on
#      there (Redis writes the AOF from the data), so that Redis starts from the AOF as
#      always; check the number of keys; shut that Redis down;
#   5. give the files to Redis's user; start Redis and the servers.
# Everything written to Redis after the backup was made is lost: say so to whoever asks.
#
# Usage: deploy/restore.sh DATA_ARCHIVE [options]
#   --key-archive FILE  the key archive (songgong-key-<fingerprint>.tar) to restore the key
#                       from when the key file is missing
#   --force-key         replace an existing, different key file with the archive's (the
#                       old one is kept as KEY_FILE.before-restore-<time>)
#   --redis-dir DIR     Redis's data directory (default /var/lib/songgong/redis)
#   --key-file FILE     the key file (default /etc/songgong/songgong.key)
#   --owner USER        owner of the restored data (default songgong-redis)
#   --key-owner USER    owner of a restored key (default songgong)
#   --no-systemctl      do not stop or start services: the caller has stopped Redis
set -euo pipefail

REDIS_DIR=/var/lib/songgong/redis
KEY_FILE=/etc/songgong/songgong.key
OWNER=songgong-redis
KEY_OWNER=songgong
KEY_ARCHIVE=""
FORCE_KEY=0
DO_SYSTEMCTL=1
ARCHIVE=""

say() { printf 'restore.sh: %s\n' "$*" >&2; }
die() {
    say "$*"
    exit 1
}

while [ "$#" -gt 0 ]; do
    case "$1" in
    --key-archive) KEY_ARCHIVE="$2"; shift 2 ;;
    --force-key) FORCE_KEY=1; shift ;;
    --redis-dir) REDIS_DIR="$2"; shift 2 ;;
    --key-file) KEY_FILE="$2"; shift 2 ;;
    --owner) OWNER="$2"; shift 2 ;;
    --key-owner) KEY_OWNER="$2"; shift 2 ;;
    --no-systemctl) DO_SYSTEMCTL=0; shift ;;
    -h | --help) sed -n '3,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) [ -z "$ARCHIVE" ] || die "one data archive only"; ARCHIVE="$1"; shift ;;
    esac
done
[ -n "$ARCHIVE" ] || die "usage: restore.sh DATA_ARCHIVE [options] (see --help)"
[ -r "$ARCHIVE" ] || die "cannot read $ARCHIVE"
REDIS_DIR="$(realpath -m "$REDIS_DIR")"

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
STAGE="$(mktemp -d)"
REDIS_PID=""
cleanup() {
    if [ -n "$REDIS_PID" ]; then
        kill "$REDIS_PID" 2>/dev/null || true
        wait "$REDIS_PID" 2>/dev/null || true
    fi
    rm -rf "$STAGE"
}
trap cleanup EXIT

# manifest FILE FIELD
manifest() { sed -n "s/^$2=//p" "$1"; }

fingerprint() { sha256sum <"$1" | cut -c1-16; }

# 1. The archive: one directory songgong-data-*/ with dump.rdb and MANIFEST.
check_archive() {
    tar -C "$STAGE" -xzf "$ARCHIVE"
    DATA="$(find "$STAGE" -mindepth 1 -maxdepth 1 -type d -name 'songgong-data-*' | head -n 1)"
    if [ -z "$DATA" ] || [ ! -f "$DATA/dump.rdb" ] || [ ! -f "$DATA/MANIFEST" ]; then
        die "$ARCHIVE is not a songgong data archive"
    fi
    [ "$(sha256sum <"$DATA/dump.rdb" | cut -c1-64)" = "$(manifest "$DATA/MANIFEST" dump_sha256)" ] ||
        die "dump.rdb in $ARCHIVE does not match its checksum"
    redis-check-rdb "$DATA/dump.rdb" >/dev/null 2>&1 || die "dump.rdb in $ARCHIVE does not check out (redis-check-rdb)"
    say "archive of $(manifest "$DATA/MANIFEST" created): $(manifest "$DATA/MANIFEST" keys) keys"
}

# The key that encrypted the data: the one in place, or the archive's.
check_key() {
    local want have="" kfp
    want="$(manifest "$DATA/MANIFEST" key_fingerprint)"
    [ -e "$KEY_FILE" ] && have="$(fingerprint "$KEY_FILE")"
    if [ "$have" = "$want" ]; then
        return 0
    fi
    if [ -z "$KEY_ARCHIVE" ]; then
        if [ -z "$have" ]; then
            die "no key file $KEY_FILE: give the key archive (--key-archive songgong-key-$want.tar)"
        fi
        die "the key file $KEY_FILE (fingerprint $have) is not the one of this backup ($want): give --key-archive songgong-key-$want.tar and --force-key"
    fi
    mkdir "$STAGE/key"
    tar -C "$STAGE/key" -xf "$KEY_ARCHIVE" songgong.key
    kfp="$(fingerprint "$STAGE/key/songgong.key")"
    [ "$kfp" = "$want" ] || die "$KEY_ARCHIVE holds key $kfp, this backup needs $want"
    if [ -n "$have" ]; then
        [ "$FORCE_KEY" = 1 ] || die "the key file $KEY_FILE (fingerprint $have) is not this backup's ($want); --force-key replaces it"
        mv "$KEY_FILE" "$KEY_FILE.before-restore-$STAMP"
        say "kept the replaced key as $KEY_FILE.before-restore-$STAMP"
    fi
    mkdir -p "$(dirname "$KEY_FILE")"
    install -m 0600 "$STAGE/key/songgong.key" "$KEY_FILE"
    chown "$KEY_OWNER:" "$KEY_FILE"
    say "restored the key $KEY_FILE ($want)"
}

# INFO persistence field of the private Redis.
persistence() {
    redis-cli -s "$STAGE/redis.sock" INFO persistence | tr -d '\r' | sed -n "s/^$1://p"
}

# 3-4. A fresh data directory holding the snapshot and an AOF made from it.
rebuild_data_dir() {
    if [ -e "$REDIS_DIR" ]; then
        mv "$REDIS_DIR" "$REDIS_DIR.before-restore-$STAMP"
        say "moved the current data aside: $REDIS_DIR.before-restore-$STAMP"
    fi
    mkdir -p "$REDIS_DIR"
    chmod 0750 "$REDIS_DIR"
    cp "$DATA/dump.rdb" "$REDIS_DIR/dump.rdb"
    # No TCP port: only this script can reach it. AOF file names as in redis-production.conf.
    redis-server --port 0 --unixsocket "$STAGE/redis.sock" --unixsocketperm 700 --dir "$REDIS_DIR" \
        --dbfilename dump.rdb --save '' --appendonly no --appendfilename appendonly.aof \
        --appenddirname appendonlydir --aof-use-rdb-preamble yes --logfile "$STAGE/redis.log" &
    REDIS_PID=$!
    for _ in $(seq 1 600); do
        [ "$(redis-cli -s "$STAGE/redis.sock" PING 2>/dev/null || true)" = PONG ] && break
        kill -0 "$REDIS_PID" 2>/dev/null || die "redis-server could not load the snapshot: $(tail -n 5 "$STAGE/redis.log")"
        sleep 0.1
    done
    [ "$(redis-cli -s "$STAGE/redis.sock" PING 2>/dev/null || true)" = PONG ] ||
        die "redis-server did not load the snapshot within 60 s"
    redis-cli -s "$STAGE/redis.sock" CONFIG SET appendonly yes >/dev/null
    for _ in $(seq 1 6000); do
        if [ "$(persistence aof_enabled)" = 1 ] && [ "$(persistence aof_rewrite_in_progress)" = 0 ] &&
            [ "$(persistence aof_rewrite_scheduled)" = 0 ]; then
            break
        fi
        sleep 0.1
    done
    [ "$(persistence aof_last_bgrewrite_status)" = ok ] || die "writing the AOF failed: $(tail -n 5 "$STAGE/redis.log")"
    [ -f "$REDIS_DIR/appendonlydir/appendonly.aof.manifest" ] || die "no AOF manifest after the rewrite"

    # Keys with an expiry (sessions, retry markers) may have expired since; all others are back.
    local keys expires now
    keys="$(manifest "$DATA/MANIFEST" keys)"
    expires="$(manifest "$DATA/MANIFEST" expires)"
    now="$(redis-cli -s "$STAGE/redis.sock" DBSIZE)"
    if [ "$now" -lt $((keys - expires)) ] || [ "$now" -gt "$keys" ]; then
        die "restored $now keys, the backup has $keys ($expires with an expiry)"
    fi
    redis-cli -s "$STAGE/redis.sock" SHUTDOWN >/dev/null 2>&1 || true
    wait "$REDIS_PID" 2>/dev/null || true
    REDIS_PID=""
    chown -R "$OWNER:" "$REDIS_DIR"
    say "restored $now keys into $REDIS_DIR"
}

main() {
    check_archive
    check_key
    if [ "$DO_SYSTEMCTL" = 1 ]; then
        say "stopping the servers and Redis"
        systemctl stop songgong.target songgong-redis.service
    fi
    rebuild_data_dir
    if [ "$DO_SYSTEMCTL" = 1 ]; then
        systemctl start songgong-redis.service
        systemctl start songgong.target
        say "started Redis and the servers"
    fi
}

main "$@"
