#!/usr/bin/env bash
# Benchmark: every importer at province scale (the 1,102 synthetic municipal polygons of
# ../shared/geodata/synthetic/ with the Quebec MRC and regions) and the health facilities onto the BSL store,
# Portrait (release) against geopandas/pandas doing the same join (benchmarks/importers_geopandas.py: `sjoin`
# within the polygons, `merge` on the code or the normalised name, written out), alternated in the same run;
# then a doubling test: each file's rows repeated ×2 and ×4 (ids made unique), to show the work is linear
# in rows (a quadratic importer would take ×4 and ×16).
#
#   benchmarks/importers.sh [RUNS]      (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
geodata=${PORTRAIT_GEODATA:-../shared/geodata}
[ -d "$geodata" ] || { echo "missing $geodata (real data)"; exit 1; }
. benchmarks/lib.sh
ensure_venv geopandas pyogrio
build_portrait
out=benchmarks/out; mkdir -p "$out"
prov="$out/importers_province.gpkg"; bsl="$out/importers_bsl.gpkg"
province_boundaries "$prov"
prepare_store "$bsl"
odhf="$geodata/services/qc_installations_sante_odhf.csv"
register="$geodata/population/mamh_repertoire_municipalites_2025.csv"
schools="$geodata/services/bsl_ecoles_publiques_meq.geojson"
mobs="$geodata/mobilisations/mobilisations_seeds.csv"
py() { "$venv/bin/python" benchmarks/importers_geopandas.py "$@" "$out/importers_scratch.$RANDOM.gpkg" >/dev/null; rm -f "$out"/importers_scratch.*; }
export bin venv prov bsl odhf register schools mobs out
case_odhf_bsl_p() { "$bin" import services "$odhf" --category sante --preset odhf --store "$bsl"; }
case_odhf_bsl_g() { py odhf "$bsl" "$odhf"; }
case_odhf_p() { "$bin" import services "$odhf" --category sante --preset odhf --store "$prov"; }
case_odhf_g() { py odhf "$prov" "$odhf"; }
case_code_p() { "$bin" import indicators "$register" --code-field mcode --value-field population_mamh=mpopul --kind count --vintage 2025 --store "$prov"; }
case_code_g() { py register-code "$prov" "$register"; }
case_name_p() { "$bin" import indicators "$register" --join name --name-field munnom --value-field population_nom=mpopul --kind count --vintage 2025 --store "$prov"; }
case_name_g() { py register-name "$prov" "$register"; }
case_schools_p() { "$bin" import services "$schools" --category ecole --preset meq-schools --store "$prov"; }
case_schools_g() { py schools "$prov" "$schools"; }
case_mobs_p() { "$bin" import mobilisations "$mobs" --store "$prov"; }
case_mobs_g() { py mobilisations "$prov" "$mobs"; }
echo "runs: $runs (medians; geopandas/portrait ratio: above 1, Portrait is faster)"
printf '%-44s %-12s %-12s %s\n' "import" "portrait" "geopandas" "ratio"
for c in "odhf_bsl:health facilities (1,606 rows) onto BSL" "odhf:health facilities (1,606 rows) onto province" \
         "code:MAMH register (1,285 rows) by code, province" "name:MAMH register (1,285 rows) by name, province" \
         "schools:BSL public schools onto province" "mobs:mobilisation seeds (39 rows), province"; do
  k=${c%%:*}; label=${c#*:}
  side_by_side "$runs" "case_${k}_p" "case_${k}_g"
  printf '%-44s %-12s %-12s %s\n' "$label" "$(printf '%.3f s' "$pm")" "$(printf '%.3f s' "$gm")" "$(ratio "$gm" "$pm")"
done
# Linear in rows: the ODHF and register files with every row repeated (ids and codes made unique: the copies are
# new facilities, or rows that match nothing), onto the province store.
for n in 2 4; do
  python3 - "$odhf" "$out/odhf_x$n.csv" "$n" <<'PY'
import csv, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows = list(csv.reader(open(src, encoding="utf-8")))
with open(dst, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f); w.writerow(rows[0]); idx = rows[0].index("index") if "index" in rows[0] else None
    for k in range(n):
        for r in rows[1:]:
            r = list(r)
            if idx is not None: r[idx] = f"{r[idx]}-{k}"
            lat, lon = rows[0].index("lat"), rows[0].index("lon")
            if k: r[lat] = str(float(r[lat]) + 0.001 * k); r[lon] = str(float(r[lon]) + 0.001 * k)
            w.writerow(r)
PY
  t0=$(now); "$bin" import services "$out/odhf_x$n.csv" --category sante --preset odhf --store "$prov" >/dev/null; t1=$(now)
  printf 'health facilities ×%s (%s rows) onto province: %.3f s\n' "$n" "$(($(wc -l < "$out/odhf_x$n.csv") - 1))" "$(echo "$t1 - $t0" | bc -l)"
done
t0=$(now); case_odhf_p >/dev/null; t1=$(now); printf 'health facilities ×1 onto province: %.3f s\n' "$(echo "$t1 - $t0" | bc -l)"
