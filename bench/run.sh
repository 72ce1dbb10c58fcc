#!/usr/bin/env bash
# The sync benchmarks (see bench/README.md). Called by `./x bench [args]`, which has put the
# build tools on PATH; arguments go to the benchmark binary (`--quick`, `--only …`, `--pool N`,
# `--profile`).
#
# Starts a private, throwaway PostgreSQL cluster (fsync on, as in production) on
# 127.0.0.1:$BENCH_PG_PORT, runs `cargo run --release -p bench` against a fresh database, and
# stops and deletes the cluster on exit. The report goes to stdout and bench/out/report.txt;
# the PostgreSQL log is kept in bench/out/postgres.log.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/bench/out"
PORT=${BENCH_PG_PORT:-55434}
DIR="$ROOT/.data/pg-bench"

log() { printf '\033[1;36m==> %s\033[0m\n' "$*" >&2; }
die() { printf '\033[1;31mxx %s\033[0m\n' "$*" >&2; exit 1; }

BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
[ -n "$BIN" ] && [ -x "$BIN/initdb" ] || die "PostgreSQL binaries not found in /usr/lib/postgresql/*/bin"

# PostgreSQL refuses to run as root: run its binaries as the postgres user then.
pg_as() {
  if [ "$(id -u)" = 0 ]; then
    local q; q=$(printf '%q ' "$@")
    su postgres -s /bin/bash -c "$q"
  else
    "$@"
  fi
}

pg_stop() {
  if [ -f "$DIR/data/postmaster.pid" ]; then
    pg_as "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  [ -f "$DIR/log.txt" ] && cp "$DIR/log.txt" "$OUT/postgres.log" 2>/dev/null || true
  rm -rf "$DIR"
}

mkdir -p "$OUT"
pg_stop
mkdir -p "$DIR"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
trap pg_stop EXIT

log "initdb (private benchmark cluster in $DIR)"
pg_as "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
  --no-instructions >/dev/null

opts="-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c max_connections=200 -c fsync=on"
opts+=" -c synchronous_commit=on -c shared_buffers=256MB -c max_wal_size=4GB"
# The benchmark asks for a checkpoint before each timed phase; none in between.
opts+=" -c checkpoint_timeout=30min"
for a in "$@"; do
  if [ "$a" = --profile ]; then
    opts+=" -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track_utility=on"
    opts+=" -c log_min_duration_statement=${BENCH_LOG_MIN_MS:-50} -c log_lock_waits=on"
    opts+=" -c deadlock_timeout=20ms -c track_wal_io_timing=on"
  fi
done
log "starting PostgreSQL on 127.0.0.1:$PORT (fsync on)"
pg_as "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log.txt" -w -o "$opts" start >/dev/null

"$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt \
  -c "CREATE DATABASE wuye_bench"
export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/wuye_bench"

log "cargo build --release -p bench"
cargo build --release -p bench

log "running the benchmark"
# More than 1,000 sockets are open at the storm's peak.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
set +e
cargo run --release -q -p bench -- "$@" | tee "$OUT/report.txt"
status=${PIPESTATUS[0]}
set -e
log "report written to bench/out/report.txt"
exit "$status"
