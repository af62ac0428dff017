#!/usr/bin/env bash
# Throwaway PostgreSQL and Redis servers on loopback, for the store tests.
#
#   eval "$(sudo bash scripts/services.sh start)"   install with apt-get if missing (root, Debian),
#                                                    start both, export their URLs
#   bash scripts/services.sh start [--no-install] [--dir DIR] [postgres] [redis]
#   bash scripts/services.sh stop DIR               stop the servers started in DIR and delete it
#
# `start` prints, on stdout, only shell lines:
#   export WEALTHBOT_TEST_POSTGRES_URL=postgresql://wealthbot@127.0.0.1:PORT/wealthbot_test
#   export WEALTHBOT_TEST_REDIS_URL=redis://127.0.0.1:PORT/0
#   export WEALTHBOT_TEST_SERVICES_DIR=DIR
# Data lives in DIR (a new temp folder by default); nothing is persisted (no fsync, no Redis dumps).
# PostgreSQL refuses to run as root: as root, it runs as $WEALTHBOT_PG_USER (default: postgres, the
# user the Debian package creates); otherwise as the calling user. Exit code 3: a server's binary is
# missing and --no-install was given (the pytest fixtures skip on it).
set -euo pipefail

PG_USER="${WEALTHBOT_PG_USER:-postgres}"
MARKER=".wealthbot-services"

log() { echo "services.sh: $*" >&2; }

is_root() { [ "$(id -u)" = 0 ]; }

pg_bindir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r) "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")"; do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  return 1
}

has_binary() {
  case "$1" in
    postgres) pg_bindir >/dev/null ;;
    redis) command -v redis-server >/dev/null ;;
  esac
}

install_missing() {
  local packages=() name
  for name in "$@"; do
    if ! has_binary "$name"; then
      case "$name" in postgres) packages+=(postgresql) ;; redis) packages+=(redis-server) ;; esac
    fi
  done
  [ ${#packages[@]} -eq 0 ] && return 0
  if ! is_root || ! command -v apt-get >/dev/null; then
    log "missing ${packages[*]}: run this script as root on Debian/Ubuntu to install them"
    return 0
  fi
  log "installing ${packages[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq -o Dpkg::Use-Pty=0 --no-install-recommends "${packages[@]}" >&2
}

# A loopback TCP port nobody listens on (bash's /dev/tcp: a refused connection means free).
free_port() {
  local port _
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  log "no free port found"
  return 1
}

as_pg_user() {
  if ! is_root; then "$@"; return; fi
  if command -v runuser >/dev/null; then runuser -u "$PG_USER" -- "$@"; return; fi
  su -s /bin/sh "$PG_USER" -c "$(printf '%q ' "$@")"
}

start_postgres() {
  local dir="$1" bindir port pgdir="$1/pg" database=wealthbot_test
  bindir="$(pg_bindir)"
  port="$(free_port)"
  mkdir -p "$pgdir"
  if is_root; then
    id "$PG_USER" >/dev/null 2>&1 || { log "user $PG_USER does not exist; set WEALTHBOT_PG_USER"; return 1; }
    chown "$PG_USER" "$pgdir"
    as_pg_user test -w "$pgdir" || { log "$PG_USER cannot reach $pgdir: use a --dir every user can traverse"; return 1; }
  fi
  as_pg_user "$bindir/initdb" -D "$pgdir/data" -U wealthbot -A trust -E UTF8 --locale=C --no-sync \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; return 1; }
  # -F: no fsync; -k: socket in our folder (not /var/run/postgresql, which needs root)
  as_pg_user "$bindir/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -t 60 \
    -o "-F -c listen_addresses=127.0.0.1 -p $port -k $pgdir" start >/dev/null \
    || { cat "$pgdir/server.log" >&2; return 1; }
  if [ -x "$bindir/createdb" ]; then
    as_pg_user "$bindir/createdb" -h 127.0.0.1 -p "$port" -U wealthbot "$database"
  else
    database=postgres
  fi
  echo "export WEALTHBOT_TEST_POSTGRES_URL=postgresql://wealthbot@127.0.0.1:$port/$database"
}

start_redis() {
  local dir="$1" port _
  port="$(free_port)"
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --dir "$dir" >/dev/null
  for _ in $(seq 200); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "export WEALTHBOT_TEST_REDIS_URL=redis://127.0.0.1:$port/0"
      return 0
    fi
    sleep 0.05
  done
  cat "$dir/redis.log" >&2
  log "redis-server did not open port $port"
  return 1
}

cmd_start() {
  local install=1 dir="" names=() name started
  while [ $# -gt 0 ]; do
    case "$1" in
      --no-install) install=0 ;;
      --dir) dir="$2"; shift ;;
      postgres|redis) names+=("$1") ;;
      *) log "unknown argument: $1"; return 2 ;;
    esac
    shift
  done
  [ ${#names[@]} -eq 0 ] && names=(postgres redis)
  [ "$install" = 1 ] && install_missing "${names[@]}"
  for name in "${names[@]}"; do
    has_binary "$name" || { log "$name is not installed (run: sudo bash scripts/services.sh start)"; return 3; }
  done
  [ -n "$dir" ] || dir="$(mktemp -d "${TMPDIR:-/tmp}/wealthbot-services.XXXXXX")"
  mkdir -p "$dir"
  chmod 755 "$dir"  # the postgres user must reach its data folder inside
  touch "$dir/$MARKER"
  started=${EPOCHREALTIME/./}
  for name in "${names[@]}"; do
    "start_$name" "$dir" || { cmd_stop "$dir"; return 1; }
  done
  echo "export WEALTHBOT_TEST_SERVICES_DIR=$dir"
  log "started ${names[*]} in $dir in $(((${EPOCHREALTIME/./} - started) / 1000)) ms"
}

cmd_stop() {
  local dir="${1:?usage: services.sh stop DIR}" bindir
  [ -f "$dir/$MARKER" ] || { log "$dir was not made by services.sh start; leaving it alone"; return 1; }
  if [ -f "$dir/redis.pid" ]; then
    kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
  fi
  if [ -f "$dir/pg/data/postmaster.pid" ] && bindir="$(pg_bindir)"; then
    as_pg_user "$bindir/pg_ctl" -D "$dir/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  *) sed -n '2,18p' "$0" >&2; exit 2 ;;
esac
