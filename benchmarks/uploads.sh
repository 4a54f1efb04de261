#!/usr/bin/env bash
# Benchmark: the server's peak memory (VmHWM) during HTTP uploads of a SYNTHETIC wide indicator table
# (benchmarks/make_table.py: the real BSL census rows cycled, Windows-1252, semicolons, CRLF) of growing size,
# one at a time on a fresh server each, then three at once with the default PORTRAIT_UPLOADS=2.
# Then a 65 MB GeoJSON of boundaries. Release build, real BSL store (load_bsl). The body is written to disk as it arrives; the table is cleaned
# row by row; what remains in memory is the cleaned rows and the JSON report.
#
#   benchmarks/uploads.sh [SIZES_MB…]      (default 15 30 60)
set -euo pipefail
cd "$(dirname "$0")/.."
geodata=${PORTRAIT_GEODATA:-../shared/geodata}
[ -d "$geodata" ] || { echo "missing $geodata (real data)"; exit 1; }
. benchmarks/lib.sh
build_portrait
sizes=("${@:-15 30 60}"); [ $# -eq 0 ] && sizes=(15 30 60)
out=benchmarks/out; mkdir -p "$out"
base="$out/uploads_base.gpkg"; load_bsl "$base"
# About 209 bytes per row in this layout.
table() { local mb=$1 f="$out/televersement_${1}mo.csv"; [ -f "$f" ] || python3 benchmarks/make_table.py "$geodata/population/recensement_2021_sdr_bsl.csv" "$f" $((mb * 1048576 / 209)); echo "$f"; }
serve_fresh() {
  cp "$base" "$out/uploads.gpkg"
  port=18$((RANDOM % 900 + 100))
  PORTRAIT_TOKEN=bench PORTRAIT_UPLOAD_MB=100 "$bin" serve --host 127.0.0.1 --port "$port" --store "$out/uploads.gpkg" --tiles "$out/uploads.tiles" --log-level error &
  pid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && return; sleep 0.2; done
  echo "the server did not answer"; exit 1
}
hwm() { awk '/VmHWM/ {print int($2 / 1024)}' /proc/$pid/status; }
upload() {  # FILE VINTAGE → status
  curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer bench" --data-binary "@$1" \
    "http://127.0.0.1:$port/imports/indicators?preset=statcan-census&vintage=$2&filename=tableau.csv"
}
printf '%-10s %-10s %-14s %-14s %s\n' "file MB" "rows" "idle MiB" "peak MiB" "status, seconds"
for mb in "${sizes[@]}"; do
  f=$(table "$mb"); serve_fresh
  idle=$(hwm); t0=$(now); status=$(upload "$f" 2031); t1=$(now)
  printf '%-10s %-10s %-14s %-14s %s\n' "$(du -m "$f" | cut -f1)" "$(($(wc -l < "$f") - 4))" "$idle" "$(hwm)" "$status, $(echo "$t1 - $t0" | bc -l | xargs printf '%.1f')"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
# A 65 MB GeoJSON of boundaries (the 1,102 synthetic polygons densified, a vertex every 0.0008°) as a new level.
dense="$out/limites_denses.geojson"
[ -f "$dense" ] || ogr2ogr -f GeoJSON -segmentize 0.0008 "$dense" "$geodata/synthetic/qc_municipalites_voronoi_synthetique.geojson"
serve_fresh
idle=$(hwm); t0=$(now)
status=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer bench" --data-binary "@$dense" \
  "http://127.0.0.1:$port/imports/boundaries?level=municipality&filename=limites.geojson"); t1=$(now)
echo "boundaries GeoJSON $(du -m "$dense" | cut -f1) MB (1,102 polygons, $(grep -o ',' "$dense" | wc -l) commas): idle $idle MiB, peak $(hwm) MiB, $status, $(echo "$t1 - $t0" | bc -l | xargs printf '%.1f') s"
kill "$pid"; wait "$pid" 2>/dev/null || true
f=$(table 60); serve_fresh
statuses=$( (for v in 2031 2032 2033; do { upload "$f" $v; echo; } & done; wait) | tr "\n" " ")
echo "three 60 MB uploads at once (PORTRAIT_UPLOADS=2): statuses $statuses, peak $(hwm) MiB"
kill "$pid"; wait "$pid" 2>/dev/null || true
