#!/usr/bin/env bash
# Benchmark: one multi-source Dijkstra from SERVICES services at once over a SYNTHETIC grid road network of N × N nodes
# (2·N·(N−1) two-way edges; N = 708 gives 1,001,112 edges), Portrait's (release, portrait-bench) against networkx and
# pgRouting (pgr_drivingDistance with equicost) on the same grid, the same services and the same 1,000 places (their
# minutes summed as a checksum). Each tool times its own search (the graph's building is reported apart); runs
# alternated, medians.
#
#   benchmarks/roads.sh [RUNS] [N] [SERVICES]      (defaults 3, 708, 1500)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}; n=${2:-708}; k=${3:-1500}
. benchmarks/lib.sh
ensure_venv networkx pyproj
swift build -c release --product portrait-bench >/dev/null
bench=$(swift build -c release --show-bin-path)/portrait-bench
out=benchmarks/out; mkdir -p "$out"
# pgRouting: a throwaway cluster on loopback, the grid made in SQL with the same geodesic lengths (geography).
pgdir=$(mktemp -d /tmp/portrait-bench-pg.XXXXXX)
trap 'scripts/pg-cluster stop "$pgdir" >/dev/null 2>&1 || true' EXIT
url=$(scripts/pg-cluster start "$pgdir" $((57000 + RANDOM % 900)))
psql=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/psql
port=${url##*:}; port=${port%%/*}
q() { "$psql" -X -q -h 127.0.0.1 -p "$port" -U portrait -d portrait "$@"; }
q -c "CREATE EXTENSION IF NOT EXISTS pgrouting" >/dev/null
q <<SQL >/dev/null
DROP TABLE IF EXISTS grid;
CREATE TABLE grid AS
WITH v AS (SELECT i, j, j * $n + i AS id, -69.5 + i * 0.0034 AS lon, 47.5 + j * 0.00225 AS lat
           FROM generate_series(0, $n - 1) i, generate_series(0, $n - 1) j),
e AS (SELECT a.id AS source, b.id AS target, a.lon AS x1, a.lat AS y1, b.lon AS x2, b.lat AS y2, a.j % 10 = 0 AS primary_road
      FROM v a JOIN v b ON b.i = a.i + 1 AND b.j = a.j
      UNION ALL
      SELECT a.id, b.id, a.lon, a.lat, b.lon, b.lat, a.i % 10 = 0
      FROM v a JOIN v b ON b.i = a.i AND b.j = a.j + 1)
SELECT row_number() OVER () AS id, source, target,
       ST_Distance(ST_MakePoint(x1, y1)::geography, ST_MakePoint(x2, y2)::geography, true) / 1000
         / (CASE WHEN primary_road THEN 90 ELSE 50 END) * 60 AS cost
FROM e;
SQL
pg_run() {
  q -t -A -c "\\timing on" -c "SELECT count(*), round(sum(agg_cost)::numeric, 3) FROM pgr_drivingDistance('SELECT id, source, target, cost, cost AS reverse_cost FROM grid', ARRAY(SELECT DISTINCT (s * 7919) % ($n * $n) FROM generate_series(0, $k - 1) s), 1e15, true, true) d WHERE d.node IN (SELECT (p * 104729 + 17) % ($n * $n) FROM generate_series(0, 999) p)"
}
p=(); x=(); g=()
for _ in $(seq "$runs"); do
  r=$("$bench" roads "$n" "$k"); echo "portrait  $r"
  p+=("$(echo "$r" | sed 's/.*"search_s":\([0-9.]*\).*/\1/')")
  r=$("$venv/bin/python" benchmarks/roads_networkx.py "$n" "$k"); echo "networkx  $r"
  x+=("$(echo "$r" | sed 's/.*"search_s": \([0-9.]*\).*/\1/')")
  r=$(pg_run); echo "pgrouting $(echo $r | tr '\n' ' ')"
  g+=("$(echo "$r" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | awk '{print $1 / 1000}')")
done
pm=$(printf '%s\n' "${p[@]}" | median); xm=$(printf '%s\n' "${x[@]}" | median); gm=$(printf '%s\n' "${g[@]}" | median)
# Through Portrait's PostGIS store, as `gaps --max-min` runs on it: the network written once (COPY), then the search
# (the seeds copied, pgr_drivingDistance over road_edges, the answers read back), RUNS times.
r=$("$bench" roads-store "$n" "$k" "$url" "$runs"); echo "postgis store $r"
sm=$(echo "$r" | sed 's/.*"search_s":\([0-9.]*\).*/\1/')
echo "grid $n × $n, $k services, $runs runs"
echo "portrait (release): median search ${pm} s"
echo "networkx:           median search ${xm} s   ratio networkx/portrait $(ratio "$xm" "$pm")"
echo "pgRouting:          median search ${gm} s   ratio pgRouting/portrait $(ratio "$gm" "$pm")"
echo "PostGIS store:      median search ${sm} s   ratio store/portrait $(ratio "$sm" "$pm")"
