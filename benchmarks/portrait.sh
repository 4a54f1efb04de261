#!/usr/bin/env bash
# Benchmark: import the real 2021 census extract of Bas-Saint-Laurent onto the real
# boundaries (merged codes carried over) and compute the portrait of region 01 —
# with Portrait (release build) and with pandas/geopandas, side by side in the same run.
# The boundaries and the coast classification are prepared once, untimed.
#
#   benchmarks/portrait.sh [RUNS]      (default 7)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-7}
geodata=${PORTRAIT_GEODATA:-../shared/geodata}
[ -d "$geodata" ] || { echo "missing $geodata (real data)"; exit 1; }
. benchmarks/lib.sh
ensure_venv geopandas pandas pyogrio
build_portrait
out=benchmarks/out; mkdir -p "$out"
base="$out/base.gpkg"
prepare_store "$base"
census="$geodata/population/recensement_2021_sdr_bsl.csv"

portrait_once() {
  cp "$base" "$out/p.gpkg"
  "$bin" import indicators "$census" --preset statcan-census --vintage 2021 --store "$out/p.gpkg" >/dev/null
  "$bin" portrait --region 01 --format json --store "$out/p.gpkg" > "$out/portrait.json"
}
pandas_once() {
  cp "$base" "$out/g.gpkg"
  "$venv/bin/python" benchmarks/portrait_pandas.py "$census" "$out/g.gpkg" "$out/pandas.json" >/dev/null
}
side_by_side "$runs" portrait_once pandas_once
echo "runs: $runs"
echo "portrait (import indicators + portrait, release): median $(printf '%.3f' "$pm") s"
echo "pandas/geopandas (one script):                   median $(printf '%.3f' "$gm") s"
echo "ratio pandas/portrait: $(ratio "$gm" "$pm")"
"$venv/bin/python" - "$out/portrait.json" "$out/pandas.json" <<'PY'
import json, sys
p, g = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
print("portrait: population=%d towns=%d littoral=%d under3000=%.6f" % (p["population_total"], p["towns_5000_plus"]["count"],
      p["littoral"]["population"], p["under_3000_population_share"]))
print("pandas:   population=%d towns=%d littoral=%d under3000=%.6f" % (g["population_total"], g["towns_5000_plus"]["count"],
      g["littoral"]["population_total"], g["under_3000_population_share"]))
PY
