#!/usr/bin/env bash
# A local Apache Jena Fuseki 5.2.0 without Docker: fetched from Maven Central, run on 127.0.0.1.
#
#   tools/fuseki-local/fuseki-local.sh start [--port P]   start (or reuse) and print the PEERGRAPH_SPARQL_* lines
#   tools/fuseki-local/fuseki-local.sh stop  [--port P]   stop the server started on that port
#   tools/fuseki-local/fuseki-local.sh status [--port P]
#
# The server holds one in-memory dataset /ds with query, update and Graph Store Protocol endpoints (every
# start is empty). The jar lives outside the repository, in ${PEERGRAPH_CACHE:-~/.cache/peergraph}/fuseki-local.
# `start` also writes the lines to the git-ignored file .fuseki.env at the repository root (set FUSEKI_ENV_FILE
# to write elsewhere).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cache="${PEERGRAPH_CACHE:-$HOME/.cache/peergraph}/fuseki-local"
version="${FUSEKI_VERSION:-5.2.0}"  # Java 17 runs Fuseki up to 5.6.0; 6.x needs Java 21
command="${1:-}"; shift || true
port=3030
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="$2"; shift 2 ;;
    *) echo "fuseki-local: unknown option $1" >&2; exit 2 ;;
  esac
done
jar="$cache/jena-fuseki-server-$version.jar"
pidfile="$cache/fuseki-$port.pid"; logfile="$cache/fuseki-$port.log"
envfile="${FUSEKI_ENV_FILE:-$repo/.fuseki.env}"

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

fetch() {
  [ -f "$jar" ] && return 0
  command -v java >/dev/null || { echo "fuseki-local: java (17+) is not installed" >&2; exit 3; }
  command -v mvn >/dev/null || { echo "fuseki-local: mvn is not installed (apt-get install maven)" >&2; exit 3; }
  echo "fuseki-local: fetching Fuseki $version from Maven Central (first run only)…" >&2
  mkdir -p "$cache"
  mvn -q -B dependency:copy -Dartifact="org.apache.jena:jena-fuseki-server:$version" \
    -DoutputDirectory="$cache" -Dmdep.overWriteIfNewer=true >&2
}

print_env() {
  local base="http://127.0.0.1:$port/ds"
  local lines="PEERGRAPH_SPARQL_QUERY_URL=$base/query
PEERGRAPH_SPARQL_UPDATE_URL=$base/update
PEERGRAPH_SPARQL_GSP_URL=$base/data"
  echo "$lines"
  echo "$lines" > "$envfile"
}

case "$command" in
  start)
    fetch
    if running; then print_env; exit 0; fi
    mkdir -p "$cache"
    : > "$logfile"
    setsid java ${FUSEKI_HEAP:--Xmx1g} -jar "$jar" --localhost --port "$port" --mem --update /ds \
      >> "$logfile" 2>&1 < /dev/null &
    echo $! > "$pidfile"
    for _ in $(seq 1 120); do
      if curl -fs -o /dev/null "http://127.0.0.1:$port/ds/query?query=ASK%7B%7D"; then print_env; exit 0; fi
      if ! running; then echo "fuseki-local: the server exited; log $logfile:" >&2; tail -20 "$logfile" >&2; exit 1; fi
      sleep 1
    done
    echo "fuseki-local: no answer on port $port after 120 s; log $logfile" >&2; exit 1 ;;
  stop)
    if running; then
      pid="$(cat "$pidfile")"; kill "$pid"
      for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
      echo "fuseki-local: stopped (port $port)"
    else
      echo "fuseki-local: not running on port $port"
    fi
    rm -f "$pidfile" ;;
  status)
    if running; then echo "running (pid $(cat "$pidfile"), port $port)"; else echo "not running (port $port)"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status [--port P]" >&2; exit 2 ;;
esac
