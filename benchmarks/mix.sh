#!/usr/bin/env bash
# The HTTP service under a realistic mix of routes, and tile generation against tippecanoe, at two scales:
#   bsl       — the real Bas-Saint-Laurent (128 municipal units, census, schools, health, mobilisations);
#   province  — the 1,102 synthetic municipal polygons of ../shared/geodata/synthetic/ (all 17 regions,
#               104 MRC) with the MAMH populations and Quebec's health facilities.
# For each: tiles z0–10 by `portrait tiles seed` and by tippecanoe on the same polygons (5 alternated runs,
# medians); then on loopback (wrk, 2 threads, 32 connections, SECONDS each): /health, one cached tile,
# and the mix (tiles, region and MRC portraits in JSON and HTML, GeoJSON, gaps, mobilisations) after one
# warm-up pass. Bounded in count and time; the server is stopped at the end.
#
#   benchmarks/mix.sh [SECONDS] [bsl|province|both]      (default 10 both)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}; which=${2:-both}
geodata=${PORTRAIT_GEODATA:-../shared/geodata}
. benchmarks/lib.sh
ensure_venv tippecanoe mapbox_vector_tile
ensure_wrk
build_portrait

wrk_line() {   # wrk_line LABEL URL [LUA]
  local r
  if [ -n "${3:-}" ]; then r=$(wrk -t2 -c32 -d"${secs}s" --latency -s "$3" "http://127.0.0.1:$port$2")
  else r=$(wrk -t2 -c32 -d"${secs}s" --latency "http://127.0.0.1:$port$2"); fi
  rps=$(echo "$r" | awk '/Requests\/sec/ {print $2}')
  local p50 p99 errs
  p50=$(echo "$r" | awk '$1 == "50%" {print $2}'); p99=$(echo "$r" | awk '$1 == "99%" {print $2}')
  errs=$(echo "$r" | awk '/Non-2xx/ {print $5}'); errs=${errs:-0}
  echo "  $1: $rps req/s, p50 $p50, p99 $p99, errors $errs"
}

run_scale() {
  local scale=$1 out=benchmarks/out/mix-$1
  rm -rf "$out"; mkdir -p "$out"
  local s="$out/store.gpkg"
  if [ "$scale" = bsl ]; then load_bsl "$s"; else load_province "$s"; fi
  echo "== $scale: $("$bin" info --store "$s" | grep -m1 'Unités municipales')"

  # Tiles z0–10: the same polygons for both tools.
  local geo="$out/municipalities.geojson"
  if [ "$scale" = bsl ]; then "$bin" export municipalities --region 01 -o "$geo" --store "$s" >/dev/null
  else cp "$geodata/synthetic/qc_municipalites_voronoi_synthetique.geojson" "$geo"; fi
  seed_once() { rm -rf "$out/tiles"; "$bin" tiles seed --layer municipalities --minzoom 0 --maxzoom 10 --tiles "$out/tiles" --store "$s" 2>/dev/null; }
  tippecanoe_once() { "$venv/bin/tippecanoe" -q -f -Z0 -z10 -l municipalities -o "$out/tippecanoe.mbtiles" "$geo"; }
  side_by_side 5 seed_once tippecanoe_once
  echo "  tiles z0-10 (5 runs): portrait median $(printf '%.3f' "$pm") s, tippecanoe median $(printf '%.3f' "$gm") s, ratio tippecanoe/portrait $(ratio "$gm" "$pm")"
  "$venv/bin/python" - "$out/tiles/municipalities.mbtiles" "$out/tippecanoe.mbtiles" <<'PY'
import sqlite3, sys, mapbox_vector_tile
from shapely.geometry import shape
for name, path in zip(["portrait", "tippecanoe"], sys.argv[1:]):
    rows = sqlite3.connect(path).execute("SELECT tile_data FROM tiles").fetchall()
    empty = invalid = features = 0
    for (data,) in rows:
        import gzip
        data = bytes(data)
        if data[:2] == b"\x1f\x8b": data = gzip.decompress(data)
        layers = mapbox_vector_tile.decode(data)
        n = sum(len(l["features"]) for l in layers.values())
        features += n; empty += n == 0
        if name == "portrait":
            invalid += sum(not shape(f["geometry"]).is_valid for l in layers.values() for f in l["features"])
    print(f"  {name}: {len(rows)} tiles, {features} features, {empty} empty" + (f", {invalid} invalid" if name == "portrait" else ""))
PY

  # The server, loopback only.
  start_server "$s" "$out/tiles"
  local region mrc
  if [ "$scale" = bsl ]; then region=01; mrc=10; else region=04; mrc=372; fi
  mix_lua "$out/mix.lua" "$out/tiles/municipalities.mbtiles" "$region" "$mrc"
  local one; one=$(grep -m1 -o '/tiles/[^"]*' "$out/mix.lua" | sed 's|/tiles/municipalities/||; s|\.mvt||')
  # Warm-up: each answer once (computed, then cached by store state).
  local t0 t1; t0=$(now)
  grep -o '"/[^"]*"' "$out/mix.lua" | tr -d '"' | while read -r u; do curl -sf -o /dev/null "http://127.0.0.1:$port$u"; done
  t1=$(now); echo "  warm-up of $(grep -c '"/' "$out/mix.lua") answers (computed once): $(printf '%.2f' "$(echo "$t1 - $t0" | bc -l)") s"
  wrk_line "/health" "/health"; local health=$rps
  wrk_line "cached tile /tiles/municipalities/$one.mvt" "/tiles/municipalities/$one.mvt"; local tile=$rps
  echo "  cached tile / health: $(ratio "$tile" "$health")"
  wrk_line "route mix (20 tiles, 8 other routes)" "/" "$out/mix.lua"
  echo "  server peak memory: $(awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' /proc/$pid/status)"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

[ "$which" = province ] || run_scale bsl
[ "$which" = bsl ] || run_scale province
