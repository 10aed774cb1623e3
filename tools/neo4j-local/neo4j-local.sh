#!/usr/bin/env bash
# A local Neo4j Community 5.26 server without Docker: fetched through Maven, run on 127.0.0.1.
#
#   tools/neo4j-local/neo4j-local.sh start [--port P] [--fresh]   start (or reuse) and print the PEERGRAPH_NEO4J_* lines
#   tools/neo4j-local/neo4j-local.sh stop  [--port P]             stop the server started on that port
#   tools/neo4j-local/neo4j-local.sh status [--port P]
#
# Jars and data live outside the repository, in ${PEERGRAPH_CACHE:-~/.cache/peergraph}/neo4j-local.
# The password is generated on first start and kept in that folder; `start` also writes the lines to
# the git-ignored file .neo4j.env at the repository root (set NEO4J_ENV_FILE to write elsewhere).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cache="${PEERGRAPH_CACHE:-$HOME/.cache/peergraph}/neo4j-local"
command="${1:-}"; shift || true
port=7687; fresh=0
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="$2"; shift 2 ;;
    --fresh) fresh=1; shift ;;
    *) echo "neo4j-local: unknown option $1" >&2; exit 2 ;;
  esac
done
pidfile="$cache/neo4j-$port.pid"; logfile="$cache/neo4j-$port.log"; home="$cache/data-$port"
envfile="${NEO4J_ENV_FILE:-$repo/.neo4j.env}"

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

build() {
  mkdir -p "$cache"
  local stamp="$cache/build-$(cksum < "$here/pom.xml" | cut -d' ' -f1)-$(cksum < "$here/src/main/java/org/peergraph/Neo4jLocal.java" | cut -d' ' -f1)"
  [ -f "$stamp" ] && return 0
  command -v java >/dev/null || { echo "neo4j-local: java (17+) is not installed" >&2; exit 3; }
  command -v mvn >/dev/null || { echo "neo4j-local: mvn is not installed (apt-get install maven)" >&2; exit 3; }
  echo "neo4j-local: fetching Neo4j through Maven (first run only)…" >&2
  rm -rf "$cache/lib" "$cache/classes"
  mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$cache/lib" >&2
  javac -d "$cache/classes" -cp "$cache/lib/*" "$here/src/main/java/org/peergraph/Neo4jLocal.java"
  rm -f "$cache"/build-* && touch "$stamp"
}

print_env() {
  local lines="PEERGRAPH_NEO4J_URI=bolt://127.0.0.1:$port
PEERGRAPH_NEO4J_USER=neo4j
PEERGRAPH_NEO4J_PASSWORD=$(cat "$cache/password-$port")"
  echo "$lines"
  echo "$lines" > "$envfile"
}

case "$command" in
  start)
    build
    if running; then print_env; exit 0; fi
    [ "$fresh" = 1 ] && rm -rf "$home"
    if [ ! -s "$cache/password-$port" ] || [ ! -d "$home" ]; then
      python3 -c "import secrets; print(secrets.token_hex(16))" > "$cache/password-$port"
      chmod 600 "$cache/password-$port"
    fi
    mkdir -p "$home"
    : > "$logfile"
    # The JVM options of Neo4j's own neo4j.conf (a fixed heap; the --add-opens without which the page
    # cache falls back to a slower mode and says so in debug.log), with a heap sized for tests and benchmarks.
    # shellcheck disable=SC2086
    setsid java ${NEO4J_LOCAL_HEAP:--Xms2g -Xmx2g} -XX:+UseG1GC -XX:-OmitStackTraceInFastThrow \
      -XX:+UnlockExperimentalVMOptions -XX:+TrustFinalNonStaticFields -XX:+DisableExplicitGC \
      -Djdk.nio.maxCachedBufferSize=1024 -Dio.netty.tryReflectionSetAccessible=true \
      --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
      --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED \
      --enable-native-access=ALL-UNNAMED \
      -cp "$cache/classes:$cache/lib/*" org.peergraph.Neo4jLocal "$home" "$port" \
      "$(cat "$cache/password-$port")" >> "$logfile" 2>&1 < /dev/null &
    echo $! > "$pidfile"
    for _ in $(seq 1 180); do
      if grep -q " ready" "$logfile"; then print_env; exit 0; fi
      if ! running; then echo "neo4j-local: the server exited; log $logfile:" >&2; tail -20 "$logfile" >&2; exit 1; fi
      sleep 1
    done
    echo "neo4j-local: no answer on port $port after 180 s; log $logfile" >&2; exit 1 ;;
  stop)
    if running; then
      pid="$(cat "$pidfile")"; kill "$pid"
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
      echo "neo4j-local: stopped (port $port)"
    else
      echo "neo4j-local: not running on port $port"
    fi
    rm -f "$pidfile" ;;
  status)
    if running; then echo "running (pid $(cat "$pidfile"), port $port)"; else echo "not running (port $port)"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status [--port P] [--fresh]" >&2; exit 2 ;;
esac
