#!/usr/bin/env bash
# Runs the server integration tests and the Playwright suite as if it were HH:MM in China (the
# next such moment), with every process on that clock: PostgreSQL, the test binary, the release
# server, node and Chromium (libfaketime, LD_PRELOAD). CI runs at any hour, and rules such as
# "no visits after 22:00" or the front office's hours make a test that saves "now" pass in the
# afternoon and fail at night; this finds them before CI does.
#
#   scripts/at-hour.sh 01:30                 server tests, then the browser suite
#   scripts/at-hour.sh 23:00 visits.spec.ts  only the named specs in the browser
#
# Needs the release build (`./x e2e` or `./x run` makes it). Uses its own cluster on port
# $PG_HOUR_PORT (default 55438) in .data/pg-hour and serves on $HOUR_PORT (default 3109).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export PATH="$HOME/.cargo/bin:$PATH"
[ $# -ge 1 ] || { echo "usage: scripts/at-hour.sh HH:MM [playwright args]" >&2; exit 2; }
HOUR=$1; shift
[[ $HOUR =~ ^[0-2][0-9]:[0-5][0-9]$ ]] || { echo "HH:MM, e.g. 01:30" >&2; exit 2; }
PG_PORT=${PG_HOUR_PORT:-55438}
PORT=${HOUR_PORT:-3109}

command -v faketime >/dev/null || apt-get install -y faketime >/dev/null
LIB=$(find /usr/lib -name 'libfaketimeMT.so.1' | head -1)
[ -n "$LIB" ] || { echo "libfaketimeMT.so.1 not found" >&2; exit 1; }
[ -x target/release/server ] || { echo "no release build: run ./x e2e first" >&2; exit 1; }

# Seconds from now to the next HH:MM in China (UTC+8, no daylight saving).
now=$(date +%s)
target=$(date -u -d "$(TZ=Asia/Shanghai date +%F) $HOUR +0800" +%s)
[ "$target" -gt "$now" ] || target=$((target + 86400))
export FAKETIME="+$((target - now))s"
echo "==> clock moved to $(TZ=Asia/Shanghai date -d "@$target" '+%F %H:%M') China time ($FAKETIME)"

PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
DIR=$ROOT/.data/pg-hour
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else bash -c "$*"; fi; }
[ -f "$DIR/data/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl -D $DIR/data -m fast -w stop" >/dev/null 2>&1 || true
rm -rf "$DIR"; mkdir -p "$DIR"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
as_pg "$PGBIN/initdb -D $DIR/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-instructions" >/dev/null
as_pg "FAKETIME=$FAKETIME LD_PRELOAD=$LIB $PGBIN/pg_ctl -D $DIR/data -l $DIR/log.txt -w \
  -o '-c listen_addresses=127.0.0.1 -p $PG_PORT -k $DIR -c max_connections=200 -c fsync=off' start" >/dev/null
SRV=
cleanup() {
  [ -n "$SRV" ] && kill "$SRV" 2>/dev/null || true
  as_pg "$PGBIN/pg_ctl -D $DIR/data -m fast -w stop" >/dev/null 2>&1 || true
}
trap cleanup EXIT
psql() { "$PGBIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qAt "$@"; }
echo "==> PostgreSQL says it is $(psql -c "SELECT to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')")"

if [ $# -eq 0 ]; then
  echo "==> server integration tests"
  bin=$(cargo test -p server --test api --no-run --message-format=json 2>/dev/null \
    | sed -n 's/.*"executable":"\([^"]*\/api-[^"]*\)".*/\1/p' | tail -1)
  (cd server && DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres" LD_PRELOAD=$LIB "$bin")
fi

echo "==> Playwright"
psql -c "CREATE DATABASE wuye_e2e"
DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/wuye_e2e" APP_LOAD_DEMO=true \
  LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR=127.0.0.1:$PORT RUST_LOG=warn LD_PRELOAD=$LIB \
  ./target/release/server >"$DIR/server.log" 2>&1 &
SRV=$!
for _ in $(seq 1 300); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/login" && break; sleep 0.2; done
cd end2end
BASE_URL="http://127.0.0.1:$PORT" PG_PORT=$PG_PORT SERVER_LOG="$DIR/server.log" \
  SERVER_BIN="$ROOT/target/release/server" SITE_ROOT="$ROOT/target/site" LD_PRELOAD=$LIB \
  npx playwright test "$@"
