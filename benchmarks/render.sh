#!/usr/bin/env bash
# Benchmark: the BSL population choropleth as SVG, with Portrait (release build)
# and with geopandas + matplotlib, side by side in the same run; time and file size.
#
#   benchmarks/render.sh [RUNS]      (default 7)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-7}
geodata=${PORTRAIT_GEODATA:-../shared/geodata}
venv=benchmarks/.venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c "import geopandas, matplotlib, mapclassify, pyogrio" 2>/dev/null \
  || "$venv/bin/pip" install -q geopandas matplotlib mapclassify pyogrio shapely pyproj
swift build -c release --product portrait >/dev/null
bin=$(swift build -c release --show-bin-path)/portrait
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
now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
portrait_once; mpl_once
p=(); g=()
for _ in $(seq "$runs"); do
  t0=$(now); portrait_once; t1=$(now); mpl_once; t2=$(now)
  p+=("$(echo "$t1 - $t0" | bc -l)"); g+=("$(echo "$t2 - $t1" | bc -l)")
done
pm=$(printf '%s\n' "${p[@]}" | median); gm=$(printf '%s\n' "${g[@]}" | median)
echo "runs: $runs"
echo "portrait render (release):  median $(printf '%.3f' "$pm") s, $(stat -c %s "$out/portrait.svg") bytes"
echo "geopandas + matplotlib:     median $(printf '%.3f' "$gm") s, $(stat -c %s "$out/matplotlib.svg") bytes"
echo "ratio time matplotlib/portrait: $(echo "$gm / $pm" | bc -l | xargs printf '%.2f')"
echo "ratio size matplotlib/portrait: $(echo "$(stat -c %s "$out/matplotlib.svg") / $(stat -c %s "$out/portrait.svg")" | bc -l | xargs printf '%.2f')"
