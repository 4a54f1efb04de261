#!/usr/bin/env bash
# Benchmark of the portraits of any territory (issue 21), on the real Bas-Saint-Laurent data, then on the
# province-scale synthetic layer:
#  1. a municipality's comparison (its figures beside its MRC and region, ranks and quintiles): Portrait's JSON
#     portrait against pandas computing the same figures from the same store, side by side in one run;
#  2. cold HTML portraits with all their maps, each in a fresh process: municipality 10070, MRC 10, region 01;
#  3. the atlas of region 01 with its 8 MRC and its 111 municipal fiches (`atlas --municipalities`);
#  4. the province (1,102 synthetic units): the portrait of the whole store and of each of the 17 regions.
#
#   benchmarks/territories.sh [RUNS]      (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
geodata=${PORTRAIT_GEODATA:-../shared/geodata}
[ -d "$geodata" ] || { echo "missing $geodata (real data)"; exit 1; }
. benchmarks/lib.sh
ensure_venv pandas
build_portrait
out=benchmarks/out; mkdir -p "$out"
s="$out/territories.gpkg"
load_bsl "$s"
echo "runs: $runs ($(nproc) cores)"

portrait_once() { "$bin" portrait --municipality 10070 --format json --store "$s" > "$out/fiche.json"; }
pandas_once() { "$venv/bin/python" benchmarks/comparison_pandas.py "$s" 10070 "$out/fiche_pandas.json"; }
side_by_side "$runs" portrait_once pandas_once
echo "municipality 10070, comparison figures: portrait (JSON, release) median $(printf '%.3f' "$pm") s, pandas median $(printf '%.3f' "$gm") s, ratio pandas/portrait $(ratio "$gm" "$pm")"
"$venv/bin/python" - "$out/fiche.json" "$out/fiche_pandas.json" <<'PY'
import json, sys
p, g = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
same = 0
for f in p["comparison"]["figures"]:
    if f["key"] not in g: continue
    q = g[f["key"]]; refs = {r["territory"]["level"]: r["value"] for r in f["references"]}
    ok = abs(f["value"] - q["value"]) < 1e-6 and abs(refs["mrc"] - q["mrc"]) < 1e-6 * max(1, abs(q["mrc"])) \
        and abs(refs["region"] - q["region"]) < 1e-6 * max(1, abs(q["region"])) and f["rank"]["rank"] == q["rank"] \
        and f["rank"]["of"] == q["of"] and f["quintile"] == q["quintile"]
    same += ok
    if not ok: print("  DIFFERENT", f["key"], f["value"], refs, f["rank"], f["quintile"], q)
print(f"  same figures, references, ranks and quintiles as pandas: {same} of {len(g)}")
PY

cold() {  # cold LABEL ARGS… — median of $runs fresh processes writing the HTML portrait with its maps
  local label=$1 t=(); shift
  for _ in $(seq "$runs"); do
    t0=$(now); "$bin" portrait "$@" --format html -o "$out/cold.html" --store "$s" >/dev/null; t1=$(now)
    t+=("$(echo "$t1 - $t0" | bc -l)")
  done
  echo "cold HTML portrait, $label: median $(printf '%s\n' "${t[@]}" | median | xargs printf '%.3f') s, $(grep -o '<svg ' "$out/cold.html" | wc -l) maps, $(stat -c %s "$out/cold.html") bytes"
}
cold "municipality 10070 (goal < 0.3 s)" --municipality 10070
cold "MRC 10 (goal < 0.5 s)" --mrc 10
cold "region 01 (goal < 1 s)" --region 01

t=()
for _ in $(seq $(( (runs + 1) / 2 ))); do
  rm -rf "$out/atlas21"; t0=$(now); "$bin" atlas --region 01 --municipalities -o "$out/atlas21" --store "$s" 2>/dev/null >/dev/null; t1=$(now)
  t+=("$(echo "$t1 - $t0" | bc -l)")
done
echo "atlas of region 01 with the municipal fiches (goal < 10 s): median $(printf '%s\n' "${t[@]}" | median | xargs printf '%.3f') s, $(ls "$out/atlas21"/*.html | wc -l) HTML files ($(ls "$out/atlas21"/municipality-*.html | wc -l) fiches)"

p="$out/territories_province.gpkg"
load_province "$p"
for f in json html; do
  t0=$(now); "$bin" portrait --all --format "$f" -o "$out/all.$f" --store "$p" >/dev/null; t1=$(now)
  echo "province, portrait of the whole store (1,102 units), $f: $(echo "$t1 - $t0" | bc -l | xargs printf '%.3f') s"
done
for f in json html; do
  t=()
  for r in $(sqlite3 "$p" "SELECT DISTINCT region_code FROM municipalities ORDER BY 1"); do
    t0=$(now); "$bin" portrait --region "$r" --format "$f" -o "$out/region.$f" --store "$p" >/dev/null; t1=$(now)
    t+=("$(echo "$t1 - $t0" | bc -l)")
  done
  echo "province, portrait of each of the ${#t[@]} regions, $f: median $(printf '%s\n' "${t[@]}" | median | xargs printf '%.3f') s, slowest $(printf '%s\n' "${t[@]}" | sort -g | tail -1 | xargs printf '%.3f') s"
done
t0=$(now); "$bin" portrait --municipality 10070 --format html -o "$out/fiche_province.html" --store "$p" >/dev/null; t1=$(now)
echo "province, fiche of municipality 10070 (ranked among its region's units in a 1,102-unit store), html: $(echo "$t1 - $t0" | bc -l | xargs printf '%.3f') s"
