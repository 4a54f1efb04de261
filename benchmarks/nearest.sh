#!/usr/bin/env bash
# Benchmark: the straight-line nearest service at scale. N SYNTHETIC places (default 1,000,000; the 1,106 real points
# of the MAMH register, each moved by a seeded offset, benchmarks/make_places.py) against the 1,534 MSSS facilities of
# the ODHF, in EPSG:32198. Portrait (release) against geopandas `sjoin_nearest`, runs alternated, medians:
#   - the whole command: `portrait nearest --from … --to … -o …` against benchmarks/nearest_geopandas.py, which reads
#     the same files and writes the same CSV;
#   - the nearest step alone, as each tool times it: `portrait-bench nearest` (Access.nearest: projection, grid,
#     queries) against points_from_xy + to_crs + sjoin_nearest.
# The two CSVs are compared: the same kilometres for every place.
#
#   benchmarks/nearest.sh [RUNS] [N]      (defaults 5, 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}; n=${2:-1000000}
geodata=${PORTRAIT_GEODATA:-../shared/geodata}
. benchmarks/lib.sh
ensure_venv geopandas
build_portrait
swift build -c release --product portrait-bench >/dev/null
bench=$(swift build -c release --show-bin-path)/portrait-bench
out=benchmarks/out; mkdir -p "$out"
places="$out/places_$n.csv"
[ -s "$places" ] || python3 benchmarks/make_places.py "$geodata/population/qc_municipalites_registre_mamh_derive.csv" "$n" "$places"
"$venv/bin/python" -c "import pandas as pd, sys; d = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False); d[d.source_provider == 'MSSS'].to_csv(sys.argv[2], index=False)" \
  "$geodata/services/qc_installations_sante_odhf.csv" "$out/msss.csv"

whole_portrait() { "$bin" nearest --from "$places" --to "$out/msss.csv" -o "$out/nearest_portrait.csv"; }
whole_geopandas() { "$venv/bin/python" benchmarks/nearest_geopandas.py "$places" "$out/msss.csv" "$out/nearest_geopandas.csv"; }
echo "places: $n, runs: $runs"
side_by_side "$runs" whole_portrait whole_geopandas
printf 'whole command: portrait median %.3f s, geopandas median %.3f s, ratio geopandas/portrait %s\n' "$pm" "$gm" "$(ratio "$gm" "$pm")"
p=(); g=()
for _ in $(seq "$runs"); do
  r=$("$bench" nearest "$places" "$out/msss.csv"); echo "portrait  $r"
  p+=("$(echo "$r" | sed 's/.*"nearest_s":\([0-9.]*\).*/\1/')")
  r=$(whole_geopandas); echo "geopandas $r"
  g+=("$(echo "$r" | sed 's/.*"nearest_s": \([0-9.]*\).*/\1/')")
done
pm=$(printf '%s\n' "${p[@]}" | median); gm=$(printf '%s\n' "${g[@]}" | median)
printf 'nearest step: portrait median %.3f s, geopandas median %.3f s, ratio geopandas/portrait %s\n' "$pm" "$gm" "$(ratio "$gm" "$pm")"
"$venv/bin/python" - "$out/nearest_portrait.csv" "$out/nearest_geopandas.csv" <<'PY'
import sys
import pandas as pd
a = pd.read_csv(sys.argv[1], encoding="utf-8-sig"); b = pd.read_csv(sys.argv[2], encoding="utf-8-sig")
same_km = (a.km_vol_oiseau == b.km_vol_oiseau).sum()
tie = (a.service_ligne != b.service_ligne).sum()
print(f"compared: {len(a)} places, same km for {same_km}; another facility at the same distance for {tie} (co-located facilities: Portrait names the first row)")
PY
