#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (used by .ci/run and test/setup/postgres-global.ts).
#
#   postgres-throwaway.sh start DIR [PORT]   new cluster in DIR, listening only on 127.0.0.1:PORT (default 55432);
#                                            prints one line on stdout: postgres://postgres@127.0.0.1:PORT/postgres
#   postgres-throwaway.sh stop DIR           stops that cluster and removes DIR
#   postgres-throwaway.sh ensure-installed   installs the Debian package postgresql if no server binaries are found
#   postgres-throwaway.sh bindir             prints the server binaries' folder; exit status 1 if there is none
#
# Authentication is "trust": only for tests, never for data that matters. PostgreSQL refuses to run as root, so
# as root the cluster belongs to the postgres system user and its commands run as that user.
# DIR holds data/ (the cluster), log (initdb's and the server's output) and the server's Unix socket.
set -euo pipefail

readonly DEFAULT_PORT=55432
readonly MARKER=.postgres-throwaway
readonly PG_USER=postgres

die() {
  echo "postgres-throwaway: $*" >&2
  exit 1
}

usage() {
  echo "usage: $0 start DIR [PORT] | stop DIR | ensure-installed | bindir" >&2
  exit 2
}

# A folder holding initdb, pg_ctl and postgres: pg_config's, else the highest /usr/lib/postgresql/N, else PATH's.
find_bindir() {
  local candidates=() dir initdb
  if command -v pg_config >/dev/null 2>&1; then
    dir=$(pg_config --bindir 2>/dev/null) && candidates+=("$dir")
  fi
  if [[ -d /usr/lib/postgresql ]]; then
    while IFS= read -r dir; do
      candidates+=("$dir")
    done < <(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -type d -name bin 2>/dev/null | sort -rV)
  fi
  if initdb=$(command -v initdb 2>/dev/null); then
    candidates+=("$(dirname "$(readlink -f "$initdb")")")
  fi
  for dir in "${candidates[@]}"; do
    if [[ -x $dir/initdb && -x $dir/pg_ctl && -x $dir/postgres ]]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

# Runs a command as the cluster's owner: the postgres system user when we are root, else ourselves.
as_owner() {
  if [[ $EUID -ne 0 ]]; then
    "$@"
  elif command -v runuser >/dev/null 2>&1; then
    runuser -u "$PG_USER" -- "$@"
  else
    su "$PG_USER" -s /bin/sh -c "$(printf '%q ' "$@")"
  fi
}

port_in_use() {
  # Something accepts connections on 127.0.0.1:PORT (a listener on 0.0.0.0 counts too).
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

show_log() {
  if [[ -f $1/log ]]; then
    echo "postgres-throwaway: last lines of $1/log:" >&2
    tail -n 20 "$1/log" >&2 || true
  fi
}

cmd_start() {
  local dir=$1 port=${2:-$DEFAULT_PORT} bindir
  [[ $port =~ ^[0-9]+$ ]] && ((port >= 1 && port <= 65535)) || die "port must be a number from 1 to 65535, not '$port'"
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd -P)
  [[ -z $(ls -A "$dir") ]] || die "DIR '$dir' is not empty"
  # From here on, '$0 stop DIR' cleans up, whatever fails.
  touch "$dir/$MARKER" "$dir/log"
  chmod 700 "$dir"
  [[ $dir =~ ^[A-Za-z0-9_./+-]+$ ]] || die "DIR '$dir' has characters this script does not quote; use a plain path"

  bindir=$(find_bindir) || die "no PostgreSQL server binaries (initdb, pg_ctl, postgres) found; run '$0 ensure-installed'"
  if [[ $EUID -eq 0 ]]; then
    id -u "$PG_USER" >/dev/null 2>&1 || die "running as root, but there is no '$PG_USER' system user to own the cluster"
  fi
  port_in_use "$port" && die "port $port on 127.0.0.1 is busy; choose another port"

  if [[ $EUID -eq 0 ]]; then
    chown -R "$PG_USER:" "$dir"
    as_owner test -w "$dir" || die "the $PG_USER user cannot write to '$dir' (is a parent folder closed to it?)"
  fi

  # The owner may not be allowed into the caller's working folder; the server's tools want a readable one.
  cd "$dir"
  as_owner "$bindir/initdb" -D "$dir/data" --auth=trust --username=postgres -E UTF8 --locale=C >>"$dir/log" 2>&1 ||
    {
      show_log "$dir"
      die "initdb failed"
    }
  as_owner tee -a "$dir/data/postgresql.conf" >/dev/null <<EOF

# postgres-throwaway: a local cluster for tests
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 200
shared_buffers = 128MB
EOF
  if ! as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 start >/dev/null 2>>"$dir/log"; then
    show_log "$dir"
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    die "the server did not start on 127.0.0.1:$port"
  fi
  if [[ -x $bindir/pg_isready ]]; then
    local tries=0
    until "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres; do
      if ((++tries >= 60)); then
        show_log "$dir"
        die "the server started but does not answer on 127.0.0.1:$port"
      fi
      sleep 0.5
    done
  fi
  echo "postgres://postgres@127.0.0.1:$port/postgres"
}

cmd_stop() {
  local dir=$1 bindir
  if [[ ! -e $dir ]]; then
    echo "postgres-throwaway: '$dir' does not exist; nothing to stop" >&2
    return 0
  fi
  if [[ -d $dir && -z $(ls -A "$dir") ]]; then
    rmdir -- "$dir" # start failed before it wrote anything
    return 0
  fi
  [[ -f $dir/$MARKER ]] || die "'$dir' was not made by '$0 start'; not removing it"
  dir=$(cd "$dir" && pwd -P)
  cd "$dir"
  if [[ -f $dir/data/postmaster.pid ]]; then
    bindir=$(find_bindir) || die "no PostgreSQL server binaries found to stop the cluster in '$dir'"
    if ! as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>>"$dir/log"; then
      as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>>"$dir/log" || true
      # pg_ctl status: 0 while a server runs, 3 when none does.
      if as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        show_log "$dir"
        die "could not stop the server of '$dir'; leaving the folder in place"
      fi
    fi
  fi
  cd /
  rm -rf -- "$dir"
}

cmd_ensure_installed() {
  local bindir
  if bindir=$(find_bindir); then
    echo "postgres-throwaway: PostgreSQL server binaries found in $bindir" >&2
    return 0
  fi
  echo "postgres-throwaway: no PostgreSQL server binaries found; installing the Debian package postgresql" >&2
  local sudo=()
  if [[ $EUID -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || die "installing PostgreSQL needs root or sudo"
    sudo=(sudo)
  fi
  command -v apt-get >/dev/null 2>&1 || die "no apt-get here; install the PostgreSQL server (initdb, pg_ctl) by hand"
  "${sudo[@]}" apt-get update >&2
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >&2
  bindir=$(find_bindir) || die "the postgresql package is installed but no server binaries were found"
  echo "postgres-throwaway: PostgreSQL server binaries installed in $bindir" >&2
}

case ${1:-} in
  start)
    [[ $# -eq 2 || $# -eq 3 ]] || usage
    cmd_start "$2" "${3:-}"
    ;;
  stop)
    [[ $# -eq 2 ]] || usage
    cmd_stop "$2"
    ;;
  ensure-installed)
    [[ $# -eq 1 ]] || usage
    cmd_ensure_installed
    ;;
  bindir)
    [[ $# -eq 1 ]] || usage
    find_bindir
    ;;
  *) usage ;;
esac
