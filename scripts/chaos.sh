#!/usr/bin/env bash
# Chaos run: builds tirkeu, starts three `tirkeu serve` nodes on a dedicated
# PostgreSQL cluster (15/chaos on port 5433, created when missing), drives
# concurrent applications with Idempotency-Keys and owners' consents across
# the nodes, kills nodes with SIGKILL, restarts PostgreSQL under load,
# retries every request whose answer was lost with the same key, and checks
# at the end that every acknowledged application is in the database once
# with its events, that no job was left behind and that the invariants
# hold. It prints "N acknowledged, N found, 0 lost, 0 duplicated" and exits
# non-zero on any loss, duplicate or broken invariant.
#
# Needs root (or the postgres user's rights) to manage the cluster.
# Environment: CHAOS_DURATION (default 40s), CHAOS_NODES (3),
# CHAOS_WORKERS (8), CHAOS_PERSONS (2000), CHAOS_SQLITE=1 to also run a
# one-node SQLite round (kills only).
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=5433
CLUSTER="15 chaos"
DB=tirkeu_chaos
work=$(mktemp -d /tmp/tirkeu-chaos.XXXXXX)
trap 'rm -rf "$work"' EXIT

log() { printf '[chaos.sh] %s\n' "$*"; }

log "building tirkeu"
go build -o "$work/tirkeu" ./cmd/tirkeu

if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$CLUSTER"; then
  log "creating PostgreSQL cluster $CLUSTER on port $PORT"
  pg_createcluster $CLUSTER --port $PORT >/dev/null
fi
pg_ctlcluster $CLUSTER start 2>/dev/null || true
for _ in $(seq 1 30); do pg_isready -q -p $PORT && break; sleep 1; done
su postgres -c "psql -q -p $PORT -v ON_ERROR_STOP=1" <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tirkeu') THEN
    CREATE ROLE tirkeu LOGIN PASSWORD 'tirkeu';
  END IF;
END \$\$;
DROP DATABASE IF EXISTS $DB WITH (FORCE);
CREATE DATABASE $DB OWNER tirkeu;
SQL

export TIRKEU_CHAOS_BIN="$work/tirkeu"
export TIRKEU_CHAOS_DATABASE_URL="postgres://tirkeu:tirkeu@127.0.0.1:$PORT/$DB?sslmode=disable"
export TIRKEU_CHAOS_RESTART_DB="pg_ctlcluster $CLUSTER restart"
export TIRKEU_CHAOS_DURATION="${CHAOS_DURATION:-40s}"
export TIRKEU_CHAOS_NODES="${CHAOS_NODES:-3}"
export TIRKEU_CHAOS_WORKERS="${CHAOS_WORKERS:-8}"
export TIRKEU_CHAOS_PERSONS="${CHAOS_PERSONS:-2000}"
export TIRKEU_CHAOS_WORKDIR="$work/pg"
log "PostgreSQL round: $TIRKEU_CHAOS_NODES nodes, $TIRKEU_CHAOS_WORKERS clients, $TIRKEU_CHAOS_DURATION of load"
go test ./internal/chaos -run '^TestChaos$' -count=1 -v -timeout 10m

if [ "${CHAOS_SQLITE:-0}" = 1 ]; then
  export TIRKEU_CHAOS_DATABASE_URL="sqlite:$work/sqlite/tirkeu.db"
  export TIRKEU_CHAOS_RESTART_DB=""
  export TIRKEU_CHAOS_WORKDIR="$work/sqlite"
  log "SQLite round: one node, $TIRKEU_CHAOS_DURATION of load"
  go test ./internal/chaos -run '^TestChaos$' -count=1 -v -timeout 10m
fi
