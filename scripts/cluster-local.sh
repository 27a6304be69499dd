#!/usr/bin/env bash
# Two server nodes (ports 3001 and 3002) and one runner-only worker on one machine, sharing the
# local PostgreSQL and Redis (Debian: apt-get install postgresql redis-server). Ctrl-C stops all.
#   DATABASE_URL  default postgres:///c_interview (created when missing, as the current user)
#   REDIS_URL     default redis://127.0.0.1:6379
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL=${DATABASE_URL:-postgres:///c_interview}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
# One DATA_DIR for all three: the nodes must share the mentor key and the link key kept there.
export DATA_DIR=${DATA_DIR:-./data-cluster}
export RUNNER_CONCURRENCY=${RUNNER_CONCURRENCY:-1}

redis-cli -u "$REDIS_URL" ping >/dev/null || { echo "Redis is not reachable at $REDIS_URL" >&2; exit 1; }
db=${DATABASE_URL##*/}
if [ "$DATABASE_URL" = "postgres:///$db" ] && ! psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
  createdb "$db"
fi

pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait' EXIT INT TERM
PORT=3001 node server/start.mjs & pids+=($!)
sleep 3 # the first node builds the client (if needed) and migrates the database
PORT=3002 SKIP_CLIENT_BUILD=1 node server/start.mjs & pids+=($!)
npx tsx server/src/worker.ts & pids+=($!)
echo "nodes: http://localhost:3001 and http://localhost:3002 (put a load balancer in front; see README)"
wait
