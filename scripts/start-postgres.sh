#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster on localhost for the tests; prints the URL.
# Needs the Debian `postgresql` package (installed by scripts/setup.sh).
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
DATA=${CLIPPER_PG_DIR:-/tmp/clipper-pg}
PORT=${CLIPPER_PG_PORT:-54329}
if [ "$(id -u)" = 0 ]; then RUN=(runuser -u postgres --); chown_needed=1; else RUN=(); chown_needed=0; fi
if [ ! -f "$DATA/PG_VERSION" ]; then
  mkdir -p "$DATA"
  [ $chown_needed = 1 ] && chown postgres "$DATA"
  "${RUN[@]}" "$PGBIN/initdb" -D "$DATA" -U clipper --auth=trust -E UTF8 >/dev/null
fi
if ! "${RUN[@]}" "$PGBIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  "${RUN[@]}" "$PGBIN/pg_ctl" -D "$DATA" -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off" -l "$DATA/log" -w start >/dev/null
fi
echo "postgresql+psycopg://clipper@127.0.0.1:$PORT/postgres"
