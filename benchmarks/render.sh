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
s="$out/render.gpkg"
prepare_store "$s" census

portrait_once() { "$bin" render --region 01 --style population --store "$s" -o "$out/portrait.svg" >/dev/null; }
mpl_once() { "$venv/bin/python" benchmarks/render_matplotlib.py "$s" "$out/matplotlib.svg" >/dev/null; }
side_by_side "$runs" portrait_once mpl_once
echo "runs: $runs"
echo "portrait render (release):  median $(printf '%.3f' "$pm") s, $(stat -c %s "$out/portrait.svg") bytes"
echo "geopandas + matplotlib:     median $(printf '%.3f' "$gm") s, $(stat -c %s "$out/matplotlib.svg") bytes"
echo "ratio time matplotlib/portrait: $(ratio "$gm" "$pm")"
echo "ratio size matplotlib/portrait: $(ratio "$(stat -c %s "$out/matplotlib.svg")" "$(stat -c %s "$out/portrait.svg")")"
