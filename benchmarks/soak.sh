#!/usr/bin/env bash
# A loopback soak: the route mix of benchmarks/mix.sh on the real Bas-Saint-Laurent store, 32 connections
# for MINUTES (default 10), one wrk run per minute so that errors and throughput are seen as they come;
# the server's resident memory sampled every 10 s. Pass: zero errors (non-2xx, socket errors) and
# resident memory flat within 10 % between the end of the first minute and the end. Not part of CI.
#
#   benchmarks/soak.sh [MINUTES]
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-10}
geodata=${PORTRAIT_GEODATA:-../shared/geodata}
. benchmarks/lib.sh
ensure_wrk
build_portrait
out=benchmarks/out/soak; rm -rf "$out"; mkdir -p "$out"
s="$out/store.gpkg"
load_bsl "$s"
"$bin" tiles seed --layer municipalities --minzoom 0 --maxzoom 10 --tiles "$out/tiles" --store "$s" 2>/dev/null >/dev/null
start_server "$s" "$out/tiles"
trap 'kill $pid 2>/dev/null || true' EXIT
mix_lua "$out/mix.lua" "$out/tiles/municipalities.mbtiles" 01 10 /health
rss() { awk '/VmRSS/ {print $2}' /proc/$pid/status; }
( while kill -0 $pid 2>/dev/null; do echo "$(date +%s) $(rss)" >> "$out/rss.log"; sleep 10; done ) &
errors=0; total=0
for m in $(seq "$minutes"); do
  r=$(wrk -t2 -c32 -d60s --latency -s "$out/mix.lua" "http://127.0.0.1:$port/")
  rps=$(echo "$r" | awk '/Requests\/sec/ {print $2}'); p99=$(echo "$r" | awk '$1 == "99%" {print $2}')
  n=$(echo "$r" | awk '/requests in/ {print $1}'); e=$(echo "$r" | awk '/Non-2xx/ {print $5}'); se=$(echo "$r" | awk '/Socket errors/ {gsub(",", ""); print $4+$6+$8+$10}')
  errors=$((errors + ${e:-0} + ${se:-0})); total=$((total + n))
  [ "$m" -eq 1 ] && first_rss=$(rss)
  echo "minute $m: $rps req/s, p99 $p99, errors ${e:-0} http + ${se:-0} socket ($(echo "$r" | awk '/Socket errors/ {print $3 $4 " " $5 $6 " " $7 $8 " " $9 $10}')), RSS $(( $(rss) / 1024 )) MiB"
done
last_rss=$(rss)
drift=$(echo "($last_rss - $first_rss) * 100 / $first_rss" | bc -l)
echo "soak: $minutes min, $total requests, $errors errors, RSS after minute 1 $((first_rss / 1024)) MiB, at the end $((last_rss / 1024)) MiB ($(printf '%+.1f' "$drift") %), peak $(awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' /proc/$pid/status)"
[ "$errors" -eq 0 ] && [ "$(echo "${drift#-} <= 10" | bc -l)" -eq 1 ]
