#!/usr/bin/env bash
# A shared deployment measured at province scale: the 1,102 synthetic municipal polygons of
# ../shared/geodata/synthetic/ with the MAMH populations (plus the Quebec MRC and regions, the shoreline,
# health facilities, mobilisations), served
#   A. by one `portrait serve` over the GeoPackage,
#   B. by one over PostgreSQL/PostGIS (the same store, moved by `portrait store copy`),
#   C. by one over PostGIS behind nginx (the proxy's own cost),
#   D. by two over PostGIS behind nginx (round robin),
# in the same run, on loopback: the route mix of benchmarks/mix.sh (wrk, 2 threads, 32 connections,
# SECONDS each, after one warm-up pass on each server). wrk, nginx, the servers and PostgreSQL share the
# machine's cores: on two cores, D measures contention more than capacity. Then the import of the shipped BSL files
# (geodata/bsl, scripts/load-bsl: 9 imports) into a new GeoPackage and into a new database, alternated,
# RUNS times, medians. A throwaway PostgreSQL cluster (scripts/pg-cluster) and nginx on loopback only,
# both stopped at the end.
#
#   benchmarks/shared.sh [SECONDS] [RUNS]      (default 10 5)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}; runs=${2:-5}
geodata=${PORTRAIT_GEODATA:-../shared/geodata}
[ -d "$geodata/synthetic" ] || { echo "missing $geodata/synthetic (real data)"; exit 1; }
. benchmarks/lib.sh
ensure_wrk
command -v nginx >/dev/null || { sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo; $sudo apt-get install -y -qq nginx-light >/dev/null 2>&1 || $sudo apt-get install -y -qq nginx >/dev/null; }
build_portrait
out=$PWD/benchmarks/out/shared; rm -rf "$out"; mkdir -p "$out"

pgdir=$(mktemp -d /tmp/portrait-bench-pg.XXXXXX); pgport=$((57000 + RANDOM % 900))
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$out/nginx.pid" ] && kill "$(cat "$out/nginx.pid")" 2>/dev/null || true
  scripts/pg-cluster stop "$pgdir" >/dev/null 2>&1 || true
}
trap cleanup EXIT
base=$(scripts/pg-cluster start "$pgdir" "$pgport")
db() { echo "${base%/*}/$1"; }
psql_admin() { psql -X -q "$base" -c "$1" >/dev/null; }

# The province store, in a GeoPackage, then copied into PostGIS.
gpkg="$out/province.gpkg"
load_province "$gpkg"
psql_admin "CREATE DATABASE province TEMPLATE portrait_template"
pg=$(db province)
"$bin" store copy --from "$gpkg" --to "$pg" >/dev/null
echo "== province: $("$bin" info --store "$pg" | grep -m1 'Unités municipales')"
diff <("$bin" info --store "$gpkg" --format json | grep -v '"store"') <("$bin" info --store "$pg" --format json | grep -v '"store"') >/dev/null \
  && echo "  same info from both backends"

# Tiles z0-10 seeded for each server (each keeps its own cache).
"$bin" tiles seed --layer municipalities --minzoom 0 --maxzoom 10 --tiles "$out/tiles-a" --store "$gpkg" >/dev/null 2>&1
for t in b c d1 d2; do "$bin" tiles seed --layer municipalities --minzoom 0 --maxzoom 10 --tiles "$out/tiles-$t" --store "$pg" >/dev/null 2>&1; done
mix_lua "$out/mix.lua" "$out/tiles-a/municipalities.mbtiles" 04 372

serve() {   # serve STORE TILES PORT — sets $pid
  "$bin" serve --host 127.0.0.1 --port "$3" --store "$1" --tiles "$2" --log-level error &
  pid=$!; pids+=("$pid")
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$3/health" >/dev/null && return; sleep 0.2; done
  echo "no answer on port $3"; return 1
}
proxy() {   # proxy PORT UPSTREAM_PORT… — nginx on loopback, round robin, keep-alive to the servers
  local port=$1; shift
  kill "$(cat "$out/nginx.pid" 2>/dev/null)" 2>/dev/null || true; sleep 0.3
  {
    echo "worker_processes 1; pid $out/nginx.pid; error_log $out/nginx-error.log; daemon on;"
    echo "events { worker_connections 1024; }"
    echo "http { access_log off; upstream portrait { keepalive 64;"
    for u in "$@"; do echo "  server 127.0.0.1:$u;"; done
    echo "} server { listen 127.0.0.1:$port; location / { proxy_pass http://portrait; proxy_http_version 1.1;"
    echo "  proxy_set_header Connection \"\"; proxy_set_header X-Forwarded-For \$remote_addr; } } }"
  } > "$out/nginx.conf"
  nginx -c "$out/nginx.conf" -p "$out"
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && return; sleep 0.1; done
  echo "nginx did not answer"; return 1
}
warm() {   # warm PORT — each path of the mix once
  grep -o '"/[^"]*"' "$out/mix.lua" | tr -d '"' | while read -r u; do curl -sf -o /dev/null "http://127.0.0.1:$1$u"; done
}
mix() {   # mix LABEL PORT
  local r; r=$(wrk -t2 -c32 -d"${secs}s" --latency -s "$out/mix.lua" "http://127.0.0.1:$2/")
  local rps p50 p99 errs
  rps=$(echo "$r" | awk '/Requests\/sec/ {print $2}'); p50=$(echo "$r" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$r" | awk '$1 == "99%" {print $2}'); errs=$(echo "$r" | awk '/Non-2xx/ {print $5}')
  echo "  $1: $rps req/s, p50 $p50, p99 $p99, non-2xx ${errs:-0}"
}

serve "$gpkg" "$out/tiles-a" 18201; a=$pid; warm 18201
mix "A. one server, GeoPackage" 18201; kill "$a"
serve "$pg" "$out/tiles-b" 18202; b=$pid; warm 18202
mix "B. one server, PostGIS" 18202; kill "$b"
serve "$pg" "$out/tiles-c" 18203; c=$pid; proxy 18210 18203; warm 18210
mix "C. one server, PostGIS, behind nginx" 18210; kill "$c"
serve "$pg" "$out/tiles-d1" 18204; serve "$pg" "$out/tiles-d2" 18205; proxy 18211 18204 18205; warm 18204; warm 18205
mix "D. two servers, PostGIS, behind nginx" 18211
echo "  connections to PostgreSQL during D: $(psql -X -tA "$base" -c "SELECT count(*) FROM pg_stat_activity WHERE datname = 'province'")"

# Import of the shipped BSL files, each backend from empty, alternated.
n=0
gpkg_import() { rm -f "$out/bsl.gpkg"; scripts/load-bsl "$bin" "$out/bsl.gpkg"; }
pg_import() {
  n=$((n + 1)); psql_admin "CREATE DATABASE bsl_$n TEMPLATE portrait_template"
  scripts/load-bsl "$bin" "$(db bsl_$n)"
}
side_by_side "$runs" gpkg_import pg_import
echo "  BSL import (9 commands, geodata/bsl, $runs runs): GeoPackage median $(printf '%.3f' "$pm") s, PostGIS median $(printf '%.3f' "$gm") s, ratio PostGIS/GeoPackage $(ratio "$gm" "$pm")"
diff <("$bin" portrait --region 01 --format json --store "$out/bsl.gpkg" | grep -v imported_at) \
     <("$bin" portrait --region 01 --format json --store "$(db bsl_$n)" | grep -v imported_at) >/dev/null && echo "  same portrait of region 01 from both"
