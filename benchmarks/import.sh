#!/usr/bin/env bash
# Benchmark: import the real BSL municipalities, Quebec MRC and regions and the
# GSHHG shoreline into a fresh store, then classify the coast — with Portrait
# (release build) and with geopandas/shapely doing the same work, side by side
# in the same run. Prints medians and the ratio.
#
#   benchmarks/import.sh [RUNS]        (default 7)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-7}
geodata=${PORTRAIT_GEODATA:-../shared/geodata}
[ -d "$geodata" ] || { echo "missing $geodata (real data)"; exit 1; }

. benchmarks/lib.sh
ensure_venv geopandas pyogrio
build_portrait
out=benchmarks/out; mkdir -p "$out"

portrait_once() {
  local s="$out/portrait.gpkg"; rm -f "$s"
  "$bin" import boundaries "$geodata/boundaries/bsl_municipalites_sda.geojson" --level municipality --preset sda --store "$s" >/dev/null
  "$bin" import boundaries "$geodata/boundaries/qc-mrc.geojson" --level mrc --store "$s" >/dev/null
  "$bin" import boundaries "$geodata/boundaries/qc-regions.geojson" --level region --store "$s" >/dev/null
  "$bin" import coastline "$geodata/coastline/gshhg_f_stlawrence_L1.geojson" --store "$s" >/dev/null
  "$bin" classify coast --store "$s" >/dev/null
}
geopandas_once() {
  "$venv/bin/python" benchmarks/import_geopandas.py "$geodata" "$out/geopandas.gpkg" >/dev/null
}
side_by_side "$runs" portrait_once geopandas_once
echo "runs: $runs"
echo "portrait (5 commands, release): median $(printf '%.3f' "$pm") s"
echo "geopandas/shapely (one script):  median $(printf '%.3f' "$gm") s"
echo "ratio geopandas/portrait: $(ratio "$gm" "$pm")"
"$venv/bin/python" benchmarks/import_geopandas.py "$geodata" "$out/geopandas.gpkg" | sed 's/^/geopandas counts: /'
"$bin" info --store "$out/portrait.gpkg" --format json > "$out/portrait-info.json"
"$venv/bin/python" - "$out/portrait-info.json" <<'PY'
import json, sys
i = json.load(open(sys.argv[1]))
c = i["coast"]["municipalities"]
print("portrait counts: units=%d mrc=%d regions=%d littoral=%d interieur=%d"
      % (i["municipalities"]["units"], i["mrc"], i["regions"], c["littoral"], c["interieur"]))
PY
