#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install Songgong on a Debian (bookworm) host, or upgrade it: runtime packages, the users
# songgong and songgong-redis, the binary, site/ and data/, the systemd units (servers,
# Redis, an hourly backup: songgong-backup, songgong-restore in sbin), /etc/songgong
# (settings, the encryption key, Redis's configuration, ACL users and their passwords),
# the nginx site; then start everything. Run it again to upgrade: the binary, site, data,
# units and ACL file are replaced; the key, passwords, songgong.env, redis.conf and the
# nginx site are made once and then left alone (a changed template is put beside them as
# *.new). Never touches Redis's data.
#
# An upgrade stops the servers for a few seconds (see start_services).
#
# Usage: deploy/install.sh [options]
#   --binary PATH       the songgong binary to install (default ./build/songgong, made by
#                       cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF
#                       && cmake --build build)
#   --root DIR          install under DIR instead of / (a staging tree, CI). Implies that no
#                       user is made and nothing is chowned: files belong to the caller.
#   --prefix DIR        where the binary and shared files go (default /usr)
#   --ports "P1 P2"     ports of the server processes (default "8080 8081")
#   --server-name NAME  the public host name, for nginx and SONGGONG_PUBLIC_URL
#                       (default songgong.example.cn)
#   --no-apt            do not install packages
#   --no-systemctl      do not talk to a running systemd (no daemon-reload, start, reload)
#                       nor to nginx and Redis; unit files are still enabled offline
#                       (systemctl --root) when systemctl is there
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

BIN="$REPO/build/songgong"
ROOT=/
PREFIX=/usr
PORTS="8080 8081"
SERVER_NAME=songgong.example.cn
DO_APT=1
DO_SYSTEMCTL=1

# Runtime libraries of the binary (ldd build/songgong, by Debian bookworm package), a
# font with Chinese glyphs for posters and PDFs, Redis and nginx.
PACKAGES=(libh2o-evloop0.13 libhiredis0.14 libcjson1 libqrencode4 libsodium23 libssl3 libcairo2
    libpango-1.0-0 libpangocairo-1.0-0 libxlsxwriter4 fonts-noto-cjk redis-server redis-tools nginx)

APP_USER=songgong
REDIS_USER=songgong-redis
ETC=/etc/songgong
STATE=/var/lib/songgong
UNIT_DIR=/etc/systemd/system

say() { printf 'install.sh: %s\n' "$*" >&2; }
die() {
    say "$*"
    exit 1
}

while [ "$#" -gt 0 ]; do
    case "$1" in
    --binary) BIN="$2"; shift 2 ;;
    --root) ROOT="$2"; shift 2 ;;
    --prefix) PREFIX="$2"; shift 2 ;;
    --ports) PORTS="$2"; shift 2 ;;
    --server-name) SERVER_NAME="$2"; shift 2 ;;
    --no-apt) DO_APT=0; shift ;;
    --no-systemctl) DO_SYSTEMCTL=0; shift ;;
    -h | --help) sed -n '3,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
    esac
done

ROOT="$(realpath -m "$ROOT")"
[[ "$PREFIX" = /* ]] || die "--prefix must be an absolute path"
for p in $PORTS; do
    if ! [[ "$p" =~ ^[0-9]+$ ]] || [ "$p" -eq 0 ] || [ "$p" -gt 65535 ]; then
        die "--ports: $p is not a port"
    fi
done
[[ "$SERVER_NAME" =~ ^[A-Za-z0-9.-]+$ ]] || die "--server-name: $SERVER_NAME is not a host name"
# A staging root: no users, no ownership changes, no running services.
STAGING=0
[ "$ROOT" = / ] || STAGING=1

# $(dest /etc/x): the path of /etc/x under the root being installed to.
dest() { printf '%s%s' "${ROOT%/}" "$1"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

is_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

NEW_PACKAGES=""
install_packages() {
    local missing=() p
    for p in "${PACKAGES[@]}"; do
        is_installed "$p" || missing+=("$p")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    say "installing: ${missing[*]}"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
    NEW_PACKAGES=" ${missing[*]} "
}

# A system user with its own group, no home and no shell.
make_user() {
    getent passwd "$1" >/dev/null && return 0
    say "creating the system user $1"
    as_root useradd --system --user-group --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin "$1"
}

# own USER:GROUP MODE PATH...: mode always; owner only on a real install (in a staging
# root the names may not exist and the files are the caller's).
own() {
    local owner="$1" mode="$2"
    shift 2
    chmod "$mode" "$@"
    [ "$STAGING" = 1 ] || chown "$owner" "$@"
}

# put_config SRC DST OWNER MODE: a file that is the operator's once installed. Missing: put
# it there. There and different from what this version would put: leave it, write DST.new.
put_config() {
    local src="$1" dst="$2"
    if [ ! -e "$dst" ]; then
        install -m 0600 "$src" "$dst"
        own "$3" "$4" "$dst"
    elif ! cmp -s "$src" "$dst"; then
        install -m 0600 "$src" "$dst.new"
        own "$3" "$4" "$dst.new"
        say "kept your $dst; this version's is beside it as $dst.new (compare them)"
    fi
}

# A random password for a Redis user, made once (0600).
make_password() {
    local f="$1"
    [ -s "$f" ] && return 0
    # 32 characters, no newline: the file holds exactly the password.
    (umask 077 && head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '\n' >"$f")
}

sha256_of_file() {
    sha256sum <"$1" | cut -c1-64
}

# The paths of the default layout rewritten for --prefix and --server-name.
substitute() {
    sed -e "s#/usr/bin/songgong#$PREFIX/bin/songgong#g" \
        -e "s#/usr/sbin/songgong-#$PREFIX/sbin/songgong-#g" \
        -e "s#/usr/share/songgong#$PREFIX/share/songgong#g" \
        -e "s#/usr/share/doc/songgong#$PREFIX/share/doc/songgong#g" \
        -e "s#songgong\.example\.cn#$SERVER_NAME#g" "$1"
}

TMP_DIR=""
install_files() {
    local tmp p
    TMP_DIR="$(mktemp -d)"
    trap 'rm -rf "$TMP_DIR"' EXIT
    tmp="$TMP_DIR"

    # The program and what it reads. Directories are replaced whole (a file removed from
    # the site is gone after an upgrade).
    install -D -m 0755 "$BIN" "$(dest "$PREFIX/bin/songgong")"
    mkdir -p "$(dest "$PREFIX/share/songgong")" "$(dest "$PREFIX/share/doc/songgong")"
    for p in site data; do
        rm -rf "$(dest "$PREFIX/share/songgong/$p.new")"
        cp -R "$REPO/$p" "$(dest "$PREFIX/share/songgong/$p.new")"
        chmod -R u=rwX,go=rX "$(dest "$PREFIX/share/songgong/$p.new")"
        rm -rf "$(dest "$PREFIX/share/songgong/$p")"
        mv "$(dest "$PREFIX/share/songgong/$p.new")" "$(dest "$PREFIX/share/songgong/$p")"
    done
    install -m 0644 "$REPO/docs/operations.md" "$(dest "$PREFIX/share/doc/songgong/operations.md")"
    install -D -m 0755 "$REPO/deploy/backup.sh" "$(dest "$PREFIX/sbin/songgong-backup")"
    install -D -m 0755 "$REPO/deploy/restore.sh" "$(dest "$PREFIX/sbin/songgong-restore")"

    # Units: ours, replaced on every install (local changes go in drop-ins: systemctl edit).
    mkdir -p "$(dest "$UNIT_DIR")"
    for p in songgong@.service songgong.target songgong-redis.service songgong-backup.service songgong-backup.timer; do
        substitute "$REPO/deploy/$p" >"$tmp/$p"
        install -m 0644 "$tmp/$p" "$(dest "$UNIT_DIR/$p")"
    done

    # /etc/songgong: readable directory (Redis reads its files here), secrets 0600.
    mkdir -p "$(dest "$ETC")"
    chmod 0755 "$(dest "$ETC")"
    substitute "$REPO/deploy/songgong.env" >"$tmp/songgong.env"
    put_config "$tmp/songgong.env" "$(dest "$ETC/songgong.env")" "root:$APP_USER" 0640
    put_config "$REPO/deploy/redis-production.conf" "$(dest "$ETC/redis.conf")" "root:$REDIS_USER" 0640

    # The key for ID and phone numbers at rest: made once, never replaced (without it
    # the data cannot be read). Readable by the servers' user only.
    local key
    key="$(dest "$ETC/songgong.key")"
    if [ ! -e "$key" ]; then
        "$(dest "$PREFIX/bin/songgong")" keygen "$key" >/dev/null
        say "created the encryption key $ETC/songgong.key: back it up apart from the data (docs/operations.md)"
    fi
    own "$APP_USER:$APP_USER" 0600 "$key"

    # Redis users: a password each (made once), the ACL file from the template with their
    # hashes (made again each time, so that a new command of a new version gets there),
    # plus the operator's own lines from redis-users.local.acl (replicas, Sentinels).
    local u
    for u in songgong backup admin; do
        make_password "$(dest "$ETC/redis-$u.password")"
    done
    own "$APP_USER:$APP_USER" 0600 "$(dest "$ETC/redis-songgong.password")"
    own root:root 0600 "$(dest "$ETC/redis-backup.password")" "$(dest "$ETC/redis-admin.password")"
    {
        grep -v '^#' "$REPO/deploy/redis-users.acl" |
            sed -e "s/@SONGGONG_SHA256@/$(sha256_of_file "$(dest "$ETC/redis-songgong.password")")/" \
                -e "s/@BACKUP_SHA256@/$(sha256_of_file "$(dest "$ETC/redis-backup.password")")/" \
                -e "s/@ADMIN_SHA256@/$(sha256_of_file "$(dest "$ETC/redis-admin.password")")/"
        if [ -f "$(dest "$ETC/redis-users.local.acl")" ]; then
            grep -v '^#' "$(dest "$ETC/redis-users.local.acl")"
        fi
    } >"$tmp/redis-users.acl"
    install -m 0600 "$tmp/redis-users.acl" "$(dest "$ETC/redis-users.acl")"
    own "root:$REDIS_USER" 0640 "$(dest "$ETC/redis-users.acl")"

    # Redis's data directory (the AOF and snapshots).
    mkdir -p "$(dest "$STATE/redis")"
    chmod 0755 "$(dest "$STATE")"
    own "$REDIS_USER:$REDIS_USER" 0750 "$(dest "$STATE/redis")"

    # A snapshot forks Redis; without overcommit a large fork can fail (Redis warns).
    mkdir -p "$(dest /etc/sysctl.d)"
    printf '# Songgong: Redis snapshots and AOF rewrites fork (deploy/install.sh)\nvm.overcommit_memory = 1\n' \
        >"$tmp/60-songgong-redis.conf"
    install -m 0644 "$tmp/60-songgong-redis.conf" "$(dest /etc/sysctl.d/60-songgong-redis.conf)"

    # The nginx site, its upstream listing the server ports.
    local servers=""
    for p in $PORTS; do servers+="    server 127.0.0.1:$p;\n"; done
    substitute "$REPO/nginx.conf" |
        awk -v servers="$servers" '
            /^upstream songgong \{/ { print; printf "%s", servers; skip = 1; next }
            skip && /^ *server 127\.0\.0\.1:[0-9]+;/ { next }
            /^\}/ { skip = 0 }
            { print }' >"$tmp/nginx-site"
    mkdir -p "$(dest /etc/nginx/sites-available)" "$(dest /etc/nginx/sites-enabled)"
    put_config "$tmp/nginx-site" "$(dest /etc/nginx/sites-available/songgong)" root:root 0644
    ln -sfn /etc/nginx/sites-available/songgong "$(dest /etc/nginx/sites-enabled/songgong)"
}

# Enabling is a matter of symlinks: systemctl --root does it without a running systemd.
enable_units() {
    local units=(songgong-redis.service songgong.target songgong-backup.timer) p
    for p in $PORTS; do units+=("songgong@$p.service"); done
    if ! command -v systemctl >/dev/null; then
        say "no systemctl here: units not enabled"
        return 0
    fi
    systemctl --root="$ROOT" --quiet enable "${units[@]}"
}

# healthy PORT: GET /healthz on 127.0.0.1:PORT answers 200 (bash's /dev/tcp, no curl).
healthy() {
    (
        exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
        printf 'GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
        read -r -t 5 line <&3 || exit 1
        [[ "$line" == *" 200 "* ]]
    ) 2>/dev/null
}

start_services() {
    local p
    systemctl daemon-reload
    sysctl -q -p /etc/sysctl.d/60-songgong-redis.conf || say "could not set vm.overcommit_memory (see /etc/sysctl.d/60-songgong-redis.conf)"
    # Debian starts its own redis-server on 6379 when the package is installed: when apt
    # just installed it, it holds no one's data and ours needs the port.
    if [[ "$NEW_PACKAGES" == *" redis-server "* ]]; then
        say "disabling Debian's redis-server.service that apt just started (songgong-redis.service takes 6379)"
        systemctl disable --now redis-server.service || true
    elif systemctl is-active --quiet redis-server.service; then
        say "WARNING: Debian's redis-server.service is running; songgong-redis.service needs port 6379"
    fi
    if systemctl is-active --quiet songgong-redis.service; then
        # Running: load the new ACL file instead of restarting (the data stays online).
        REDISCLI_AUTH="$(cat "$ETC/redis-admin.password")" redis-cli --no-auth-warning --user admin ACL LOAD >/dev/null ||
            die "ACL LOAD failed: see journalctl -u songgong-redis"
    else
        systemctl start songgong-redis.service
    fi
    # All servers stop, data of an older key layout is moved once (songgong migrate wants
    # no old server writing meanwhile), then they start: a pause of seconds, during which
    # nginx answers the API with 503 in JSON and the pages send again by themselves.
    # (For a change of settings only, restart them one at a time instead: docs/operations.md.)
    systemctl stop songgong.target
    # shellcheck disable=SC2016 # $1 and $2 are the inner shell's
    runuser -u "$APP_USER" -- sh -c 'set -a; . "$1"; exec "$2" migrate' sh "$ETC/songgong.env" "$PREFIX/bin/songgong" ||
        die "songgong migrate failed (above): the servers stay stopped; fix it, then systemctl start songgong.target"
    for p in $PORTS; do
        systemctl start "songgong@$p.service"
        for _ in $(seq 1 100); do
            healthy "$p" && break
            sleep 0.2
        done
        healthy "$p" || die "songgong@$p does not answer /healthz: journalctl -u songgong@$p"
    done
    systemctl start songgong.target songgong-backup.timer
    if [ ! -e /etc/ssl/songgong/fullchain.pem ]; then
        say "no certificate in /etc/ssl/songgong/ yet (fullchain.pem, privkey.pem): nginx is not reloaded;"
        say "put them there, then: nginx -t && systemctl reload nginx"
    elif nginx -t 2>/dev/null; then
        systemctl reload nginx
    else
        nginx -t || true
        die "nginx -t fails (above): nginx keeps its old configuration"
    fi
}

main() {
    [ -x "$BIN" ] || die "no binary at $BIN: build one (cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF && cmake --build build) or pass --binary"
    if [ "$STAGING" = 0 ] && [ "$(id -u)" -ne 0 ]; then
        die "installing to / needs root (or use --root DIR for a staging tree)"
    fi
    if [ "$DO_APT" = 1 ]; then
        install_packages
    fi
    if [ "$STAGING" = 0 ]; then
        make_user "$APP_USER"
        make_user "$REDIS_USER"
    else
        say "staging root $ROOT: no users made, files stay owned by $(id -un)"
    fi
    install_files
    enable_units
    if [ "$DO_SYSTEMCTL" = 1 ] && [ "$STAGING" = 0 ]; then
        start_services
    fi
    say "installed into $ROOT (prefix $PREFIX; servers on ports $PORTS)"
}

main "$@"
