#!/usr/bin/env bash
# bench/run.sh — tirkeu against the raw limit of the same database, on one
# machine, in one run. See docs/PERFORMANCE.md for results.
#
#   bench/run.sh [N]            PostgreSQL (default), N persons (default 100000)
#   ENGINE=sqlite bench/run.sh  the SQLite variant (no pgbench: API numbers only)
#
# Steps: build; start PostgreSQL; fresh database; generate N persons and
# import them (time, peak RSS); COPY the same rows with psql into a second
# fresh database (the import's raw limit); pgbench replaying the exact
# statements of one registration (bench/register.sql) and of one lookup
# (bench/lookup.sql) on the imported database; then tirkeu serve +
# tirkeu bench for the same work at the same concurrencies; ratios at the end.
#
# The yardstick (issue 19) is the database's raw limit, not our own
# statements: in the same run and at the same concurrencies, pgbench on
# ../shared/bench/registration-rawlimit.sql (the fewest writes of one
# registration, its own database RAWLIMIT made from the schema beside it) and
# pgbench -S -M prepared on a pgbench-initialised database (PGB, scale
# PGSCALE, default N/100000), each right after the API's run at that
# concurrency. The summary prints the API's ratio to each; the
# replays of our own statements (bench/register.sql, bench/lookup.sql) stay as
# a diagnostic. TIRKEU_BIN measures that binary instead of building one
# (before/after comparisons in one session). PROFILE=on also takes a 10 s CPU profile of serve during the
# submit run at 8 clients ($WORK/out/submit-c8.pprof).
# Environment: DURATION (20s), CONC ("4 8 16"), WORK (/tmp/tirkeu-bench),
# DB and RAW (the two databases: tirkeu_bench, tirkeu_raw),
# COPY=off skips the COPY comparison (it takes as long as the import),
# YEAR=F also replays a year of Kazakhstan at scale F (tirkeu bench -scenario
# year, YEARC clients, default 8) at the end of the serve phase,
# PHASE: all (default), load (stop after the import and COPY), copy (only the
# COPY comparison, after a PHASE=load COPY=off) or serve (reuse the databases
# and $WORK of an earlier load: pgbench, tirkeu bench, summary)
# -- at 20M persons the load takes an hour, and a new binary can be measured
# against the same data.
#
# PostgreSQL gets max_wal_size = 8GB (ALTER SYSTEM, for the import, the COPY
# and pgbench alike): with the 1GB default a national-size load spends its
# time in checkpoints and full-page writes (the bulk-loading advice of the
# PostgreSQL manual, section 14.4).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
ENGINE=${ENGINE:-postgres}
DURATION=${DURATION:-20}
CONC=${CONC:-"4 8 16"}
WORK=${WORK:-/tmp/tirkeu-bench}
PORT=${PORT:-18090}
PHASE=${PHASE:-all}
BIN=$WORK/tirkeu
DB=${DB:-tirkeu_bench}   # dropped and created again
RAW=${RAW:-tirkeu_raw}
RAWLIMIT=${RAWLIMIT:-${DB}_rawlimit}
PGB=${PGB:-${DB}_pgbench}
PGSCALE=${PGSCALE:-$(( N / 100000 > 0 ? N / 100000 : 1 ))}
SHARED=${SHARED:-../shared/bench}
PGURL="postgres://tirkeu:tirkeu@localhost:5432"
start=$(date +%s)
log() { printf '[bench %4ds] %s\n' $(( $(date +%s) - start )) "$*" >&2; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

if [ "$PHASE" != serve ] && [ "$PHASE" != copy ]; then
  rm -rf "$WORK" && mkdir -p "$WORK/data" "$WORK/out"
fi
if [ -n "${TIRKEU_BIN:-}" ]; then
  # Measure a given binary (an earlier commit's, for a before/after).
  log "using $TIRKEU_BIN"
  mkdir -p "$WORK"
  cp "$TIRKEU_BIN" "$BIN"
else
  log "building"
  go build -o "$BIN" ./cmd/tirkeu
fi
export TIRKEU_DATA_DIR=$WORK/data TIRKEU_RATE_LIMIT=off TIRKEU_ADDR=localhost:$PORT
if [ "$ENGINE" = postgres ]; then
  export TIRKEU_DATABASE_URL="$PGURL/$DB?sslmode=disable"
  log "starting PostgreSQL"
  pg_ctlcluster 15 main start 2>/dev/null || true
  for _ in $(seq 1 30); do pg_isready -q && break; sleep 1; done
  su postgres -c "psql -q -v ON_ERROR_STOP=1 -c \"ALTER SYSTEM SET max_wal_size = '8GB'\" -c 'SELECT pg_reload_conf()'" > /dev/null
else
  export TIRKEU_DATABASE_URL="sqlite:$WORK/data/tirkeu.db"
fi

if [ "$PHASE" = copy ]; then
  # Only the COPY comparison, for the registry and import of an earlier
  # PHASE=load COPY=off run in $WORK.
  # shellcheck disable=SC1091
  . "$WORK/out/load.env"
  su postgres -c "psql -q -c 'DROP DATABASE IF EXISTS $RAW' -c 'CREATE DATABASE $RAW OWNER tirkeu'"
fi
if [ "$PHASE" != serve ]; then
if [ "$PHASE" != copy ]; then
if [ "$ENGINE" = postgres ]; then
  su postgres -c "psql -q -v ON_ERROR_STOP=1" <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tirkeu') THEN
    CREATE ROLE tirkeu LOGIN PASSWORD 'tirkeu' CREATEDB;
  END IF;
END \$\$;
DROP DATABASE IF EXISTS $DB;
DROP DATABASE IF EXISTS $RAW;
CREATE DATABASE $DB OWNER tirkeu;
CREATE DATABASE $RAW OWNER tirkeu;
SQL
fi

log "generating $N persons"
/usr/bin/time -f '%e s, %M KB' "$BIN" demo generate --persons "$N" --seed 1 > "$WORK/registry.jsonl" 2> "$WORK/out/generate.time"
LINES=$(wc -l < "$WORK/registry.jsonl")
log "importing $LINES records"
"$BIN" migrate > /dev/null
/usr/bin/time -v "$BIN" import "$WORK/registry.jsonl" > "$WORK/out/import.json" 2> "$WORK/out/import.time"
IMPORT_S=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$WORK/out/import.time")
IMPORT_RSS=$(awk -F': ' '/Maximum resident/ {print int($2/1024)}' "$WORK/out/import.time")
log "import: ${IMPORT_S}s, peak RSS ${IMPORT_RSS} MB: $(tail -1 "$WORK/out/import.json")"
fi # PHASE != copy

if [ "$ENGINE" = postgres ] && [ "${COPY:-on}" != off ]; then
  log "raw limit of the import: COPY of the same rows with psql"
  python3 bench/jsonl2csv.py "$WORK/csv" < "$WORK/registry.jsonl"
  TIRKEU_DATABASE_URL="$PGURL/$RAW?sslmode=disable" "$BIN" migrate > /dev/null
  for t in persons organisations organisation_representatives premises ownerships rental_agreements relations registrations; do
    cols=$(python3 -c "import sys; sys.path.insert(0, 'bench'); import jsonl2csv as j; print(','.join(j.TABLES['$t']))")
    echo "\\copy $t ($cols) FROM '$WORK/csv/$t.csv' WITH (FORMAT csv, NULL '\\N')"
  done > "$WORK/copy.sql"
  t0=$(date +%s.%N)
  psql -q -1 -v ON_ERROR_STOP=1 -f "$WORK/copy.sql" "$PGURL/$RAW?sslmode=disable"
  COPY_S=$(python3 -c "import time; print(round(time.time()-$t0, 2))")
  log "COPY: ${COPY_S}s"
  rm -rf "$WORK/csv"
fi
printf 'LINES=%s\nIMPORT_S=%s\nIMPORT_RSS=%s\nCOPY_S=%s\n' "$LINES" "$IMPORT_S" "$IMPORT_RSS" "${COPY_S:-}" > "$WORK/out/load.env"
if [ "$PHASE" = load ] || [ "$PHASE" = copy ]; then
  log "load done: $(tr '\n' ' ' < "$WORK/out/load.env")"
  exit 0
fi
fi # PHASE != serve
# shellcheck disable=SC1091
. "$WORK/out/load.env"

if [ "$ENGINE" = postgres ]; then
  # The API and pgbench run on the same (imported) database, so that both
  # find the same data in the same caches; the COPY database has served its
  # purpose and is dropped (at 20M persons the two do not fit in memory
  # together). The API goes first: its candidates are applicants without a
  # registration at home, and pgbench's registrations ('pgb-' ids) would
  # use them up in a small registry; pgbench takes any sole owner and ends
  # a registration it finds, as the API would.
  su postgres -c "psql -q -c 'DROP DATABASE IF EXISTS $RAW'"
  P="$TIRKEU_DATABASE_URL"
  # VACUUM and statistics now, so that autovacuum does not do it during a
  # measurement (it did: pgbench lost a third of its rate to it); the
  # warnings are about the shared catalogues, which are not ours.
  psql -q "$P" -c "VACUUM (ANALYZE)" 2> /dev/null
  # Write out the import's dirty pages first, so no one pays for them.
  su postgres -c "psql -q -c CHECKPOINT"
  # Read every table and index once (into the OS page cache), so that
  # neither the API nor pgbench pays for the first touch of a cold page.
  log "prewarming $(psql -At "$P" -c "SELECT pg_size_pretty(pg_database_size(current_database()))")"
  su postgres -c "psql -q -d $DB -c 'CREATE EXTENSION IF NOT EXISTS pg_prewarm'"
  su postgres -c "psql -q -At -d $DB -c \"SELECT sum(pg_prewarm(c.oid, 'read')) FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'i')\"" > /dev/null
fi

if [ "$ENGINE" = postgres ]; then
  # The raw limits: their own small databases, made now so that making them
  # does not overlap any measurement.
  log "raw-limit databases: $RAWLIMIT (registration-rawlimit-schema.sql), $PGB (pgbench -i -s $PGSCALE)"
  su postgres -c "psql -q -c 'DROP DATABASE IF EXISTS $RAWLIMIT' -c 'DROP DATABASE IF EXISTS $PGB' -c 'CREATE DATABASE $RAWLIMIT OWNER tirkeu' -c 'CREATE DATABASE $PGB OWNER tirkeu'"
  psql -q -v ON_ERROR_STOP=1 "$PGURL/$RAWLIMIT?sslmode=disable" < "$SHARED/registration-rawlimit-schema.sql"
  # The shared script draws a person at random for each transaction; two
  # clients drawing the same person at once collide on the one-active index
  # (READ COMMITTED: the second UPDATE finds the row already ended and does
  # not see the first one's new row) and pgbench aborts the client, which
  # cuts the run short. The same statements with each client drawing from
  # its own residue class (p = 64k + client_id + 1, up to 64 clients) never
  # collide; nothing else changes.
  sed 's/^\\set p random(1, 200000)$/\\set p 64 * random(0, 3124) + :client_id + 1/' "$SHARED/registration-rawlimit.sql" > "$WORK/registration-rawlimit.sql"
  grep -q 'client_id' "$WORK/registration-rawlimit.sql" || { echo "bench/run.sh: could not adapt registration-rawlimit.sql" >&2; exit 1; }
  pgbench -i -q -s "$PGSCALE" "$PGURL/$PGB?sslmode=disable" > "$WORK/out/pgbench-init.txt" 2>&1
  for d in "$RAWLIMIT" "$PGB"; do PGOPTIONS='-c client_min_messages=error' psql -q "$PGURL/$d?sslmode=disable" -c "VACUUM (ANALYZE)"; done
  su postgres -c "psql -q -c CHECKPOINT"
fi

log "starting tirkeu serve"
TIRKEU_PPROF=localhost:$((PORT+1)) "$BIN" serve > "$WORK/out/serve.out" 2> "$WORK/out/serve.err" &
SERVE=$!
trap 'kill $SERVE 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf "http://localhost:$PORT/readyz" > /dev/null && break; sleep 1; done
TOKEN=$("$BIN" token create --role agency --name bench | json 'd["token"]')
rss() { awk '/VmHWM/ {print int($2/1024)}' "/proc/$SERVE/status"; }  # peak RSS so far
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }                    # CPU ticks (1/100 s) of a process
# CPU ticks of PostgreSQL for $DB: its backends, and the WAL writer,
# checkpointer and background writer that every database shares (other
# databases' backends on a shared machine are left out).
pgcpu() {
  local t=0 p
  for p in $(pgrep -u postgres -f "postgres: .*( $DB |walwriter|checkpointer|background writer)"); do
    t=$((t + $(cpu "$p" 2>/dev/null || echo 0)))
  done
  echo $t
}
MAXRSS=0
for c in $CONC; do
  for s in submit lookup; do
    prof=""
    if [ "$s" = submit ] && [ "$ENGINE" = postgres ]; then
      # The submit scenario's candidates are sole owners with no
      # registration at home, a few thousand at 100 k persons: each run
      # would leave the next one only repeats (cheap rejections). End the
      # temporary registrations the API made in the runs before, as the
      # expiry sweep would, so that every concurrency registers for real.
      psql -q "$P" -c "UPDATE registrations SET status = 'ended', ended_on = current_date, end_reason = 'expired' WHERE kind = 'temporary' AND status = 'active' AND NOT imported" > /dev/null
    fi
    if [ "${PROFILE:-off}" = on ] && [ "$s" = submit ] && [ "$c" = 8 ]; then
      (sleep 3; curl -s -o "$WORK/out/submit-c8.pprof" "http://localhost:$((PORT+1))/debug/pprof/profile?seconds=10") &
      prof=$!
    fi
    "$BIN" bench -url "http://localhost:$PORT" -scenario $s -c "$c" -d "${DURATION}s" -warmup 2s -token "$TOKEN" -max 30000 \
      > "$WORK/out/tirkeu-$s-c$c.json" 2> "$WORK/out/tirkeu-$s-c$c.err"
    if [ -n "$prof" ]; then wait "$prof" || true; fi
    r=$(rss); [ "$r" -gt "$MAXRSS" ] && MAXRSS=$r
    # The raw limit of the same work at the same concurrency, right after
    # the API's run (the machine may be shared: back to back, both see
    # about the same load).
    if [ "$ENGINE" = postgres ] && [ "$s" = submit ]; then
      pgbench -n -M prepared -f "$WORK/registration-rawlimit.sql" -c "$c" -j 2 -T "$DURATION" "$PGURL/$RAWLIMIT?sslmode=disable" > "$WORK/out/pgbench-rawlimit-c$c.txt" 2>&1 || log "raw limit c=$c: pgbench failed"
      log "raw limit c=$c: registration-rawlimit.sql $(awk '/^tps/ {print $3}' "$WORK/out/pgbench-rawlimit-c$c.txt") tps"
    elif [ "$ENGINE" = postgres ]; then
      pgbench -n -S -M prepared -c "$c" -j 2 -T "$DURATION" "$PGURL/$PGB?sslmode=disable" > "$WORK/out/pgbench-S-c$c.txt" 2>&1 || log "pgbench -S c=$c failed"
      log "raw limit c=$c: pgbench -S -M prepared $(awk '/^tps/ {print $3}' "$WORK/out/pgbench-S-c$c.txt") tps"
    fi
    log "tirkeu bench $s c=$c: $(json 'd["ops_per_s"], "ops/s p99", d["requests"]["'$s'"]["latency"]["p99_ms"], "ms errors", sum(d["errors"].values()), "exhausted" if d.get("candidates_exhausted") else ""' < "$WORK/out/tirkeu-$s-c$c.json"); RSS ${r} MB"
  done
done
# The latency target is at half the maximum throughput: an offered load
# (-rate) of half the best submit rate above, with as many clients as the
# largest concurrency so that none of them queues.
HALF=$(python3 -c "import json; print(round(max(json.load(open('$WORK/out/tirkeu-submit-c%s.json' % c))['ops_per_s'] for c in '$CONC'.split()) / 2, 1))")
CMAX=$(echo $CONC | tr ' ' '\n' | sort -n | tail -1)
if [ "$ENGINE" = postgres ]; then
  psql -q "$P" -c "UPDATE registrations SET status = 'ended', ended_on = current_date, end_reason = 'expired' WHERE kind = 'temporary' AND status = 'active' AND NOT imported" > /dev/null
fi
"$BIN" bench -url "http://localhost:$PORT" -scenario submit -c "$CMAX" -rate "$HALF" -d "${DURATION}s" -warmup 2s -max 30000 \
  > "$WORK/out/tirkeu-submit-half.json" 2> "$WORK/out/tirkeu-submit-half.err" || true
log "tirkeu bench submit at half the maximum ($HALF/s offered, c=$CMAX): $(json 'd["ops_per_s"], "ops/s p50", d["requests"]["submit"]["latency"]["p50_ms"], "p99", d["requests"]["submit"]["latency"]["p99_ms"], "ms"' < "$WORK/out/tirkeu-submit-half.json")"
"$BIN" bench -url "http://localhost:$PORT" -scenario consent -c 8 -d "${DURATION}s" -warmup 2s -max 30000 > "$WORK/out/tirkeu-consent-c8.json" 2> "$WORK/out/tirkeu-consent-c8.err" || true
"$BIN" bench -url "http://localhost:$PORT" -scenario mixed -c 8 -d "${DURATION}s" -warmup 2s -token "$TOKEN" -max 30000 > "$WORK/out/tirkeu-mixed-c8.json" 2> "$WORK/out/tirkeu-mixed-c8.err" || true
r=$(rss); [ "$r" -gt "$MAXRSS" ] && MAXRSS=$r
if [ -n "${YEAR:-}" ]; then
  # A scaled year of Kazakhstan (tirkeu bench -scenario year) on the same
  # server and data, after the other scenarios: YEAR is the scale (0.01 is
  # 11 000 applications); YEARC the clients (8).
  OPTOKEN=$("$BIN" token create --role operator --name year-bench | json 'd["token"]')
  log "a year at scale $YEAR, ${YEARC:-8} clients"
  # Where the year's CPU goes: serve's and PostgreSQL's CPU seconds
  # (utime + stime of serve, and of every postgres process, sampled when
  # the year's clock starts — after the preparation — and when it ends),
  # and the load generator's own (client_cpu_seconds), in year-cpu.env.
  "$BIN" bench -url "http://localhost:$PORT" -scenario year -scale "$YEAR" -c "${YEARC:-8}" -operator-token "$OPTOKEN" -ca "$WORK/data/demo-ca" \
    > "$WORK/out/tirkeu-year.json" 2> "$WORK/out/tirkeu-year.err" &
  YB=$!
  while kill -0 "$YB" 2>/dev/null && ! grep -qs 'the year starts' "$WORK/out/tirkeu-year.err"; do sleep 0.2; done
  S0=$(cpu "$SERVE"); G0=$(pgcpu)
  wait "$YB" || log "year failed: $(tail -3 "$WORK/out/tirkeu-year.err")"
  S1=$(cpu "$SERVE"); G1=$(pgcpu)
  printf 'SERVE_CPU=%s\nPG_CPU=%s\nBENCH_CPU=%s\n' "$(awk "BEGIN {print ($S1 - $S0) / 100}")" "$(awk "BEGIN {print ($G1 - $G0) / 100}")" \
    "$(json 'd["client_cpu_seconds"]' < "$WORK/out/tirkeu-year.json" 2>/dev/null || echo 0)" > "$WORK/out/year-cpu.env"
  r=$(rss); [ "$r" -gt "$MAXRSS" ] && MAXRSS=$r
  log "year: $(tail -1 "$WORK/out/tirkeu-year.err"); RSS ${r} MB; CPU s: $(tr '\n' ' ' < "$WORK/out/year-cpu.env")"
fi
kill $SERVE; wait $SERVE 2>/dev/null || true

if [ "$ENGINE" = postgres ]; then
  log "raw limit of the service: pgbench"
  psql -q -v ON_ERROR_STOP=1 "$P" <<'SQL'
SET client_min_messages = warning;
DROP TABLE IF EXISTS bench_pairs, bench_persons;
CREATE SEQUENCE IF NOT EXISTS bench_seq;
CREATE TABLE bench_pairs AS
  SELECT row_number() OVER (ORDER BY o.rka) AS n, o.owner_iin AS iin, o.rka
  FROM ownerships o JOIN persons p ON p.iin = o.owner_iin JOIN premises pr ON pr.rka = o.rka
  WHERE p.capacity = 'full' AND NOT p.deceased AND NOT pr.state_rental
    AND NOT EXISTS (SELECT 1 FROM ownerships o2 WHERE o2.rka = o.rka AND o2.owner_iin IS DISTINCT FROM o.owner_iin)
    AND NOT EXISTS (SELECT 1 FROM registrations g WHERE g.iin = o.owner_iin AND g.rka = o.rka AND g.status = 'active' AND g.kind = 'permanent');
ALTER TABLE bench_pairs ADD PRIMARY KEY (n);
CREATE TABLE bench_persons AS SELECT row_number() OVER (ORDER BY iin) AS n, iin FROM persons;
ALTER TABLE bench_persons ADD PRIMARY KEY (n);
SQL
  # The API's writes leave work for autovacuum: do it before pgbench runs.
  psql -q "$P" -c "VACUUM (ANALYZE)" 2> /dev/null
  su postgres -c "psql -q -c CHECKPOINT"
  NPAIRS=$(psql -At "$P" -c "SELECT count(*) FROM bench_pairs")
  NPERSONS=$(psql -At "$P" -c "SELECT count(*) FROM bench_persons")
  for c in $CONC; do
    # A diagnostic: a failed replay (a migration the captured statements
    # predate) is reported, not fatal.
    pgbench -n -M prepared -f bench/register.sql -D npairs="$NPAIRS" -c "$c" -j 2 -T "$DURATION" "$P" > "$WORK/out/pgbench-register-c$c.txt" 2>&1 || log "replay register c=$c failed: $(grep -m1 ERROR "$WORK/out/pgbench-register-c$c.txt")"
    pgbench -n -M prepared -f bench/lookup.sql -D npersons="$NPERSONS" -c "$c" -j 2 -T "$DURATION" "$P" > "$WORK/out/pgbench-lookup-c$c.txt" 2>&1 || log "replay lookup c=$c failed"
    log "pgbench c=$c: register $(awk '/^tps/ {print $3}' "$WORK/out/pgbench-register-c$c.txt") tps, lookup $(awk '/^tps/ {print $3}' "$WORK/out/pgbench-lookup-c$c.txt") tps"
  done
  if [ "${KEEP:-off}" != on ]; then
    su postgres -c "psql -q -c 'DROP DATABASE IF EXISTS $RAWLIMIT' -c 'DROP DATABASE IF EXISTS $PGB'"
  fi
fi

# Summary.
python3 - "$WORK/out" "$ENGINE" "$N" "$LINES" "$IMPORT_S" "$IMPORT_RSS" "${COPY_S:-}" "$MAXRSS" "$CONC" <<'PY'
import json, re, sys, os
out, engine, n, lines, imp_s, imp_rss, copy_s, maxrss, conc = sys.argv[1:]
def tps(f):
    try:
        t = open(f).read()
        m = re.search(r"^tps = ([0-9.]+)", t, re.M)
        return float(m.group(1)) if m and "Run was aborted" not in t else None
    except FileNotFoundError:
        return None
def tb(s, c):
    return json.load(open(os.path.join(out, f"tirkeu-{s}-c{c}.json")))
imp_rate = int(lines) / float(imp_s)
print(f"engine {engine}, {n} persons, {lines} records")
print(f"import: {imp_s} s, {imp_rate:,.0f} records/s, peak RSS {imp_rss} MB")
if copy_s:
    print(f"COPY with psql: {copy_s} s, {int(lines)/float(copy_s):,.0f} records/s; import/COPY = {float(copy_s)/float(imp_s):.0%}")
ratio = lambda a, b: f"{a/b:.0%}" if b else "-"
print("the yardstick: the raw limit (registration-rawlimit.sql; pgbench -S -M prepared)")
print(f"{'c':>3} {'API reg/s':>10} {'raw reg/s':>10} {'ratio':>6} {'p50':>7} {'p99':>7} | {'API look/s':>10} {'pgbench -S':>10} {'ratio':>6} {'p99':>7}")
best = {}
for c in conc.split():
    s, l = tb("submit", c), tb("lookup", c)
    rs, rl = tps(os.path.join(out, f"pgbench-rawlimit-c{c}.txt")), tps(os.path.join(out, f"pgbench-S-c{c}.txt"))
    ds, dl = tps(os.path.join(out, f"pgbench-register-c{c}.txt")), tps(os.path.join(out, f"pgbench-lookup-c{c}.txt"))
    sl, ll = s["requests"].get("submit", {}).get("latency", {}), l["requests"].get("lookup", {}).get("latency", {})
    print(f"{c:>3} {s['ops_per_s']:>10.1f} {rs or 0:>10.1f} {ratio(s['ops_per_s'], rs):>6} {sl.get('p50_ms',0):>7.1f} {sl.get('p99_ms',0):>7.1f} | "
          f"{l['ops_per_s']:>10.1f} {rl or 0:>10.1f} {ratio(l['ops_per_s'], rl):>6} {ll.get('p99_ms',0):>7.1f}")
    for k, v in (("api_reg", s["ops_per_s"]), ("raw_reg", rs or 0), ("api_look", l["ops_per_s"]), ("raw_look", rl or 0),
                 ("diag_reg", ds or 0), ("diag_look", dl or 0)):
        best[k] = max(best.get(k, 0), v)
    best.setdefault("diag", []).append((c, ds, dl))
if best.get("raw_reg"):
    print(f"best: registrations API/raw limit = {best['api_reg']:.0f}/{best['raw_reg']:.0f} = {best['api_reg']/best['raw_reg']:.0%}; "
          f"lookups API/pgbench -S = {best['api_look']:.0f}/{best['raw_look']:.0f} = {best['api_look']/best['raw_look']:.0%}")
if best.get("diag_reg"):
    print("diagnostic: pgbench replaying our own statements (bench/register.sql, bench/lookup.sql)")
    for c, ds, dl in best["diag"]:
        print(f"{c:>3} replay reg/s {ds or 0:>8.1f}  replay look/s {dl or 0:>9.1f}")
    print(f"best: API/replay registrations {ratio(best['api_reg'], best['diag_reg'])}, lookups {ratio(best['api_look'], best['diag_look'])}")
try:
    h = json.load(open(os.path.join(out, "tirkeu-submit-half.json")))
    hl = h["requests"]["submit"]["latency"]
    print(f"submit at half the maximum: {h.get('offered_per_s')}/s offered, {h['ops_per_s']}/s done, c={h['concurrency']}: p50 {hl['p50_ms']} ms, p99 {hl['p99_ms']} ms")
except Exception as e:
    print(f"submit at half the maximum: {e}")
for s in ("consent", "mixed"):
    try:
        d = tb(s, 8)
        print(f"{s} c=8: {d['ops_per_s']} ops/s, " + ", ".join(f"{k} {v['per_s']}/s p99 {v['latency']['p99_ms']} ms" for k, v in d["requests"].items()))
    except Exception as e:
        print(f"{s}: {e}")
try:
    y = json.load(open(os.path.join(out, "tirkeu-year.json")))
    cpu = dict(l.strip().split("=", 1) for l in open(os.path.join(out, "year-cpu.env")) if "=" in l)
    done = max(y["ops"], 1)
    print("year CPU per completed application (ms): " + ", ".join(f"{k[:-4].lower()} {float(v) * 1000 / done:.2f}" for k, v in cpu.items())
          + f"; all {sum(float(v) for v in cpu.values()) * 1000 / done:.2f} (postgres: the database's backends that exited during the run are not counted)")
    print(f"year at scale {y['scale']}: {sum(y['planned'].values())} applications planned, {y['ops']} completed in {y['seconds']} s, "
          f"{y['ops_per_s']} applications/s, errors {sum(y['errors'].values())}, prepared in {y['prepare_seconds']} s; "
          f"1.1 M at that rate: {y['full_year_minutes_at_this_rate']} min")
except FileNotFoundError:
    pass
except Exception as e:
    print(f"year: {e}")
print(f"serve peak RSS under load: {maxrss} MB")
PY
