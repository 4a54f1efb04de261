#!/usr/bin/env bash
# Benchmark: the BSL population choropleth as SVG, with Portrait (release build)
# and with geopandas + matplotlib, side by side in the same run; time and file size.
#
#   benchmarks/render.sh [RUNS]      (default 7)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-7}
geodata=${PORTRAIT_GEODATA:-../shared/geodata}
. benchmarks/lib.sh
ensure_venv geopandas matplotlib mapclassify pyogrio
build_portrait
out=benchmarks/out; mkdir -p "$out"
s="$out/render.gpkg"; rm -f "$s"
"$bin" import boundaries "$geodata/boundaries/bsl_municipalites_sda.geojson" --level municipality --store "$s" >/dev/null
"$bin" import boundaries "$geodata/boundaries/qc-mrc.geojson" --level mrc --store "$s" >/dev/null
"$bin" import boundaries "$geodata/boundaries/qc-regions.geojson" --level region --store "$s" >/dev/null
"$bin" import coastline "$geodata/coastline/gshhg_f_stlawrence_L1.geojson" --store "$s" >/dev/null
"$bin" classify coast --store "$s" >/dev/null
"$bin" import indicators "$geodata/population/recensement_2021_sdr_bsl.csv" --preset statcan-census --vintage 2021 --store "$s" >/dev/null

portrait_once() { "$bin" render --region 01 --style population --store "$s" -o "$out/portrait.svg" >/dev/null; }
mpl_once() { "$venv/bin/python" benchmarks/render_matplotlib.py "$s" "$out/matplotlib.svg" >/dev/null; }
side_by_side "$runs" portrait_once mpl_once
echo "runs: $runs"
echo "portrait render (release):  median $(printf '%.3f' "$pm") s, $(stat -c %s "$out/portrait.svg") bytes"
echo "geopandas + matplotlib:     median $(printf '%.3f' "$gm") s, $(stat -c %s "$out/matplotlib.svg") bytes"
echo "ratio time matplotlib/portrait: $(ratio "$gm" "$pm")"
echo "ratio size matplotlib/portrait: $(ratio "$(stat -c %s "$out/matplotlib.svg")" "$(stat -c %s "$out/portrait.svg")")"
