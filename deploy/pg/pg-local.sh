#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for development and tests, entirely inside one directory.
#
#   pg-local.sh start DIR PORT|auto   initdb on first use, start, create database and role
#                                     "tekser"; prints the conninfo. A no-op when it runs.
#   pg-local.sh stop DIR              fast shutdown; a no-op when it does not run
#   pg-local.sh status DIR            exit 0 and print the conninfo when it runs, 3 when it is
#                                     stopped, 4 when DIR holds no cluster
#   pg-local.sh conninfo DIR [PORT]   postgresql://postgres@127.0.0.1:PORT/tekser
#                                     (PORT defaults to the one of the last start)
#
# Layout: DIR/data (the cluster), DIR/run (its unix socket), DIR/log (server log), DIR/port and
# DIR/conninfo (of the last start). Listens on 127.0.0.1 only, trust authentication, fsync off:
# never use it for data you want to keep.
#
# PORT "auto" keeps the port of the previous start when it is still free, else takes the first
# free port from 55432 up; on a clash while starting it tries the next one.
#
# initdb and postgres refuse to run as root: as root the cluster belongs to the "postgres" OS
# user (DIR is chowned to it; every directory above DIR must be searchable by it). Binaries:
# $PG_BINDIR, else `pg_config --bindir`, else the highest /usr/lib/postgresql/*/bin. A cluster
# the distribution's package may have created (Debian's "main" on 5432) is neither used nor
# touched.
set -euo pipefail

readonly DB_NAME=tekser
readonly DB_ROLE=tekser
readonly SUPERUSER=postgres
readonly FIRST_AUTO_PORT=55432
readonly AUTO_PORT_TRIES=50

die() {
  echo "pg-local: $*" >&2
  exit 1
}
note() { echo "pg-local: $*" >&2; }

usage() {
  sed -n '2,/^$/p' "$0" | sed -n '/^#/s/^# \{0,1\}//p' >&2
  exit 2
}

find_bindir() {
  if [[ -n "${PG_BINDIR:-}" ]]; then
    [[ -x "$PG_BINDIR/initdb" ]] || die "PG_BINDIR=$PG_BINDIR has no initdb"
    echo "$PG_BINDIR"
    return
  fi
  local dir
  if command -v pg_config >/dev/null 2>&1; then
    dir=$(pg_config --bindir 2>/dev/null || true)
    if [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
      echo "$dir"
      return
    fi
  fi
  # pg_config may come from libpq-dev without the server: take the highest installed server.
  dir=$(printf '%s\n' /usr/lib/postgresql/*/bin | grep -v '\*' | sort -V | tail -n 1 || true)
  if [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
    echo "$dir"
    return
  fi
  dir=$(command -v initdb 2>/dev/null || true)
  [[ -n "$dir" ]] && { dirname "$dir"; return; }
  die "no PostgreSQL server binaries (initdb, pg_ctl): install the postgresql package or set PG_BINDIR"
}

is_root() { [[ $(id -u) -eq 0 ]]; }

# Runs a command as the cluster's owner: postgres when we are root, else ourselves.
as_owner() {
  if is_root; then
    if command -v runuser >/dev/null 2>&1; then
      runuser -u "$SUPERUSER" -- "$@"
    else
      local quoted
      quoted=$(printf '%q ' "$@")
      su "$SUPERUSER" -s /bin/sh -c "$quoted"
    fi
  else
    "$@"
  fi
}

absolute_dir() {
  mkdir -p "$1"
  (cd "$1" && pwd -P)
}

port_is_valid() { [[ "$1" =~ ^[0-9]+$ ]] && ((10#$1 >= 1 && 10#$1 <= 65535)); }

# True when something accepts connections on 127.0.0.1:PORT.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

conninfo_for() { echo "postgresql://${SUPERUSER}@127.0.0.1:$1/${DB_NAME}"; }

is_running() {
  local dir=$1 bindir
  [[ -f "$dir/data/PG_VERSION" ]] || return 1
  bindir=$(find_bindir)
  as_owner "$bindir/pg_ctl" status -D "$dir/data" >/dev/null 2>&1
}

# The port the running cluster listens on (line 4 of postmaster.pid), else the last one used.
current_port() {
  local dir=$1 port=""
  if [[ -r "$dir/data/postmaster.pid" ]]; then
    port=$(sed -n 4p "$dir/data/postmaster.pid" 2>/dev/null || true)
  fi
  if [[ -z "$port" && -r "$dir/port" ]]; then port=$(<"$dir/port"); fi
  echo "$port"
}

init_cluster() {
  local dir=$1 bindir=$2
  note "initdb into $dir/data"
  as_owner "$bindir/initdb" -D "$dir/data" -U "$SUPERUSER" --auth=trust --encoding=UTF8 \
    --locale=C.UTF-8 --no-instructions >"$dir/initdb.log" 2>&1 ||
    as_owner "$bindir/initdb" -D "$dir/data" -U "$SUPERUSER" --auth=trust --encoding=UTF8 \
      --locale=C --no-instructions >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; die "initdb failed (log: $dir/initdb.log)"; }
  # Local connections only: the unix socket in DIR/run and TCP on 127.0.0.1.
  as_owner tee "$dir/data/pg_hba.conf" >/dev/null <<'EOF'
# pg-local.sh: throw-away cluster, trust on loopback only.
local all all              trust
host  all all 127.0.0.1/32 trust
EOF
  echo "include_if_exists 'pg-local.conf'" | as_owner tee -a "$dir/data/postgresql.conf" >/dev/null
}

write_settings() {
  local dir=$1 port=$2
  local socket_dir="$dir/run"
  # A unix socket path is limited to about 107 bytes; past that, TCP only.
  if ((${#socket_dir} + 20 > 100)); then socket_dir=""; fi
  as_owner tee "$dir/data/pg-local.conf" >/dev/null <<EOF
# Written by pg-local.sh at every start.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$socket_dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
shared_buffers = 32MB
log_min_messages = warning
EOF
  # More settings for this start (a benchmark's profiler: shared_preload_libraries = ...).
  if [[ -n ${PG_LOCAL_EXTRA_SETTINGS:-} ]]; then
    printf '%s\n' "$PG_LOCAL_EXTRA_SETTINGS" | as_owner tee -a "$dir/data/pg-local.conf" >/dev/null
  fi
}

psql_admin() {
  local bindir=$1 port=$2
  shift 2
  PGCONNECT_TIMEOUT=10 "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" \
    -U "$SUPERUSER" -d postgres "$@"
}

ensure_database() {
  local bindir=$1 port=$2
  local has_role="SELECT 1 FROM pg_roles WHERE rolname = '$DB_ROLE'"
  local has_db="SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'"
  # Two starts racing on one cluster may both try to create: the loser's error is harmless.
  if [[ -z $(psql_admin "$bindir" "$port" -tA -c "$has_role") ]]; then
    psql_admin "$bindir" "$port" -c "CREATE ROLE $DB_ROLE LOGIN" 2>/dev/null ||
      [[ -n $(psql_admin "$bindir" "$port" -tA -c "$has_role") ]] ||
      die "could not create role $DB_ROLE"
  fi
  if [[ -z $(psql_admin "$bindir" "$port" -tA -c "$has_db") ]]; then
    psql_admin "$bindir" "$port" -c "CREATE DATABASE $DB_NAME OWNER $DB_ROLE" 2>/dev/null ||
      [[ -n $(psql_admin "$bindir" "$port" -tA -c "$has_db") ]] ||
      die "could not create database $DB_NAME"
  fi
}

record_port() {
  local dir=$1 port=$2
  echo "$port" >"$dir/port"
  conninfo_for "$port" >"$dir/conninfo"
}

# Starts on PORT; returns 1 when the server did not come up (log in DIR/log).
try_start() {
  local dir=$1 port=$2 bindir=$3
  write_settings "$dir" "$port"
  as_owner "$bindir/pg_ctl" -w -t 60 start -D "$dir/data" -l "$dir/log" >/dev/null
}

cmd_start() {
  [[ $# -eq 2 ]] || usage
  local dir port=$2 bindir
  [[ "$port" == auto ]] || port_is_valid "$port" || die "bad port: $port"
  bindir=$(find_bindir)
  dir=$(absolute_dir "$1")

  if is_root; then
    id "$SUPERUSER" >/dev/null 2>&1 || die "running as root needs the OS user '$SUPERUSER'"
    mkdir -p "$dir/run"
    touch "$dir/log"  # written by pg_ctl, running as the owner
    chown "$SUPERUSER": "$dir" "$dir/run" "$dir/log"
    as_owner test -w "$dir" ||
      die "$SUPERUSER cannot write $dir: every directory above it must be searchable by $SUPERUSER"
  else
    mkdir -p "$dir/run"
  fi

  if is_running "$dir"; then
    local running
    running=$(current_port "$dir")
    if [[ "$port" != auto && "$port" != "$running" ]]; then
      die "the cluster in $dir already runs on port $running (asked for $port); stop it first"
    fi
    note "already running on port $running"
    record_port "$dir" "$running"
    ensure_database "$bindir" "$running"
    conninfo_for "$running"
    return 0
  fi

  [[ -f "$dir/data/PG_VERSION" ]] || init_cluster "$dir" "$bindir"

  local candidates=()
  if [[ "$port" == auto ]]; then
    local previous="" p
    [[ -r "$dir/port" ]] && previous=$(<"$dir/port")
    if [[ -n "$previous" ]] && port_is_valid "$previous"; then candidates+=("$previous"); fi
    for ((p = FIRST_AUTO_PORT; p < FIRST_AUTO_PORT + AUTO_PORT_TRIES; p++)); do
      [[ "$p" == "$previous" ]] || candidates+=("$p")
    done
  else
    candidates=("$port")
  fi

  local started=""
  for p in "${candidates[@]}"; do
    if port_in_use "$p"; then
      [[ "$port" == auto ]] && continue
      die "port $p is in use on 127.0.0.1"
    fi
    if try_start "$dir" "$p" "$bindir"; then
      started=$p
      break
    fi
    # Lost a race for the port (or a real failure: then every try fails the same way).
    tail -n 5 "$dir/log" >&2 || true
    [[ "$port" == auto ]] || die "the server did not start (log: $dir/log)"
    note "could not start on port $p, trying the next one"
  done
  [[ -n "$started" ]] || die "the server did not start on any port (log: $dir/log)"

  note "started on port $started (data $dir/data, log $dir/log)"
  record_port "$dir" "$started"
  ensure_database "$bindir" "$started"
  conninfo_for "$started"
}

cmd_stop() {
  [[ $# -eq 1 ]] || usage
  local dir=$1 bindir
  if [[ ! -d "$dir" ]]; then
    note "no cluster in $dir"
    return 0
  fi
  dir=$(cd "$dir" && pwd -P)
  if ! is_running "$dir"; then
    note "not running"
    return 0
  fi
  bindir=$(find_bindir)
  as_owner "$bindir/pg_ctl" stop -D "$dir/data" -m fast -w -t 60 >/dev/null
  note "stopped"
}

cmd_status() {
  [[ $# -eq 1 ]] || usage
  local dir=$1
  if [[ ! -f "$dir/data/PG_VERSION" ]]; then
    # As root the data directory may be unreadable; ask as its owner.
    if ! { is_root && [[ -d "$dir" ]] && as_owner test -f "$dir/data/PG_VERSION"; }; then
      note "no cluster in $dir"
      return 4
    fi
  fi
  dir=$(cd "$dir" && pwd -P)
  if is_running "$dir"; then
    conninfo_for "$(current_port "$dir")"
    return 0
  fi
  note "stopped"
  return 3
}

cmd_conninfo() {
  [[ $# -ge 1 && $# -le 2 ]] || usage
  local dir=$1 port=${2:-}
  if [[ -z "$port" ]]; then
    [[ -r "$dir/port" ]] || die "no port given and none recorded in $dir/port"
    port=$(<"$dir/port")
  fi
  port_is_valid "$port" || die "bad port: $port"
  conninfo_for "$port"
}

main() {
  [[ $# -ge 1 ]] || usage
  local command=$1
  shift
  # Our own settings, whatever the caller's environment says.
  unset PGHOST PGPORT PGUSER PGDATABASE PGPASSWORD PGSERVICE PGOPTIONS PGDATA
  case "$command" in
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    status) cmd_status "$@" ;;
    conninfo) cmd_conninfo "$@" ;;
    -h | --help | help) usage ;;
    *) usage ;;
  esac
}

main "$@"
