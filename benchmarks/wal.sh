#!/usr/bin/env bash
# Measurement before choosing a journal mode for GeoPackage stores (issue 20): the server under reads
# (wrk, 8 connections, /portrait/mrc/10 and /regions, answers recomputed after every write) while an import
# of the 2021 census runs in a loop beside it, on the real BSL store in rollback-journal mode (DELETE,
# Portrait's) and in WAL mode (the same store after `PRAGMA journal_mode=WAL`). Reports the reads' p50, p99
# and maximum latency, errors, and the imports' median duration, for each mode, in the same run.
#
#   benchmarks/wal.sh [SECONDS]      (default 30)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
geodata=${PORTRAIT_GEODATA:-../shared/geodata}
. benchmarks/lib.sh
ensure_wrk
build_portrait
out=benchmarks/out/wal; rm -rf "$out"; mkdir -p "$out"
load_bsl "$out/base.gpkg"
cat > "$out/reads.lua" <<'LUA'
paths = {"/portrait/mrc/10", "/regions", "/portrait/region/01"}
request = function() return wrk.format("GET", paths[math.random(#paths)]) end
LUA
for mode in delete wal; do
  s="$out/$mode.gpkg"; cp "$out/base.gpkg" "$s"
  [ "$mode" = wal ] && sqlite3 "$s" "PRAGMA journal_mode=WAL" >/dev/null
  start_server "$s" "$out/tiles-$mode"
  : > "$out/imports-$mode"
  ( end=$(( $(date +%s) + seconds )); v=2030
    while [ "$(date +%s)" -lt "$end" ]; do
      v=$((v + 1)); t0=$(now)
      "$bin" import indicators "$geodata/population/recensement_2021_sdr_bsl.csv" --preset statcan-census --vintage "$v" --store "$s" >/dev/null
      echo "$(echo "$(now) - $t0" | bc -l)" >> "$out/imports-$mode"
    done ) &
  writer=$!
  r=$(wrk -t2 -c8 -d"${seconds}s" --latency -s "$out/reads.lua" "http://127.0.0.1:$port/")
  wait "$writer"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  p50=$(echo "$r" | awk '$1 == "50%" {print $2}'); p99=$(echo "$r" | awk '$1 == "99%" {print $2}')
  max=$(echo "$r" | awk '/Latency/ {print $4}'); rps=$(echo "$r" | awk '/Requests\/sec/ {print $2}')
  non2xx=$(echo "$r" | awk '/Non-2xx/ {print $5}')
  printf '%-7s reads: %s req/s, p50 %s, p99 %s, max %s, non-2xx %s; imports: %s, median %.3f s\n' "$mode" "$rps" "$p50" "$p99" "$max" "${non2xx:-0}" \
    "$(wc -l < "$out/imports-$mode")" "$(median < "$out/imports-$mode")"
done
