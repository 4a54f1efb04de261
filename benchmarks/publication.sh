#!/usr/bin/env bash
# Benchmark of the publication (issue 10), on the real Bas-Saint-Laurent files:
#  1. the services map of region 01, Portrait against geopandas + matplotlib drawing the
#     same polygons and points, side by side in the same run;
#  2. the whole atlas (the region and its eight MRC, every map of each report), HTML,
#     and the region's report printed to PDF.
#
#   benchmarks/publication.sh [RUNS]      (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
geodata=${PORTRAIT_GEODATA:-../shared/geodata}
[ -d "$geodata" ] || { echo "missing $geodata (real data)"; exit 1; }
. benchmarks/lib.sh
ensure_venv geopandas matplotlib pyogrio
build_portrait
out=benchmarks/out; mkdir -p "$out"
s="$out/publication.gpkg"
prepare_store "$s" census
"$bin" import services "$geodata/services/bsl_ecoles_publiques_meq.geojson" --category ecole --preset meq-schools --vintage 2022 --store "$s" >/dev/null
"$bin" import services "$geodata/services/qc_installations_sante_odhf.csv" --category sante --preset odhf --store "$s" >/dev/null
"$bin" import mobilisations "$geodata/mobilisations/mobilisations_seeds.csv" --store "$s" >/dev/null

portrait_once() { "$bin" render --region 01 --style services --store "$s" -o "$out/services_portrait.svg" >/dev/null; }
mpl_once() { "$venv/bin/python" benchmarks/services_map_matplotlib.py "$s" "$out/services_matplotlib.svg" >/dev/null; }
side_by_side "$runs" portrait_once mpl_once
echo "runs: $runs"
echo "services map, portrait render (release): median $(printf '%.3f' "$pm") s, $(stat -c %s "$out/services_portrait.svg") bytes"
echo "services map, geopandas + matplotlib:     median $(printf '%.3f' "$gm") s, $(stat -c %s "$out/services_matplotlib.svg") bytes"
echo "ratio time matplotlib/portrait: $(ratio "$gm" "$pm")"
"$venv/bin/python" benchmarks/services_map_matplotlib.py "$s" "$out/services_matplotlib.svg"
echo "portrait symbols: $(grep -o 'class="service"' "$out/services_portrait.svg" | wc -l), services: $(grep -o 'data-count="[0-9]*"' "$out/services_portrait.svg" | awk -F'"' '{s+=$2-1} END {print s+0}') grouped away"

atlas_once() { rm -rf "$out/atlas"; "$bin" atlas --region 01 -o "$out/atlas" --store "$s" 2>/dev/null >/dev/null; }
pdf_once() { "$bin" portrait --region 01 --format pdf -o "$out/bsl.pdf" --store "$s" >/dev/null; }
side_by_side "$runs" atlas_once pdf_once
echo "atlas, 9 HTML reports (release): median $(printf '%.3f' "$pm") s, $(ls "$out/atlas"/*.html | wc -l) files, $(grep -o '<svg ' "$out"/atlas/*.html | wc -l) maps, $(du -sk "$out/atlas" | cut -f1) KiB"
echo "region 01 report to PDF (Chromium): median $(printf '%.3f' "$gm") s, $(pdfinfo "$out/bsl.pdf" | awk '/^Pages/ {print $2}') pages"
