#!/usr/bin/env bash
# Benchmark: nearest health facility for all of Quebec (1,106 municipalities × 1,534 MSSS
# facilities) and the 15 km gap analysis for Bas-Saint-Laurent, with Portrait (release)
# and with geopandas (sjoin_nearest), side by side in the same run.
#
#   benchmarks/services.sh [RUNS]      (default 7)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-7}
geodata=${PORTRAIT_GEODATA:-../shared/geodata}
venv=benchmarks/.venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c "import geopandas, pyogrio" 2>/dev/null || "$venv/bin/pip" install -q geopandas pyogrio shapely pyproj
swift build -c release --product portrait >/dev/null
bin=$(swift build -c release --show-bin-path)/portrait
out=benchmarks/out; mkdir -p "$out"
places="$geodata/population/qc_municipalites_registre_mamh_derive.csv"
fac="$geodata/services/qc_installations_sante_odhf.csv"
s="$out/services.gpkg"; rm -f "$s"
"$bin" import boundaries "$geodata/boundaries/bsl_municipalites_sda.geojson" --level municipality --store "$s" >/dev/null
"$bin" import indicators "$geodata/population/recensement_2021_sdr_bsl.csv" --preset statcan-census --vintage 2021 --store "$s" >/dev/null
"$bin" import services "$fac" --category sante --preset odhf --store "$s" >/dev/null
# A MSSS-only copy for the Quebec-wide run, so that both tools read the same 1,534 points.
"$venv/bin/python" -c "import pandas as pd, sys; d = pd.read_csv(sys.argv[1]); d[d.source_provider == 'MSSS'].to_csv(sys.argv[2], index=False)" "$fac" "$out/msss.csv"

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
bench() {  # name, portrait command, geopandas command
  eval "$2" >/dev/null; eval "$3" >/dev/null
  local p=() g=()
  for _ in $(seq "$runs"); do
    local t0 t1 t2; t0=$(now); eval "$2" >/dev/null; t1=$(now); eval "$3" >/dev/null; t2=$(now)
    p+=("$(echo "$t1 - $t0" | bc -l)"); g+=("$(echo "$t2 - $t1" | bc -l)")
  done
  local pm gm; pm=$(printf '%s\n' "${p[@]}" | median); gm=$(printf '%s\n' "${g[@]}" | median)
  printf '%s: portrait median %.3f s, geopandas median %.3f s, ratio geopandas/portrait %.2f\n' "$1" "$pm" "$gm" "$(echo "$gm / $pm" | bc -l)"
}
echo "runs: $runs"
bench "nearest, all of Quebec" "'$bin' nearest --from '$places' --to '$out/msss.csv' -o '$out/nearest.csv'" \
  "'$venv/bin/python' benchmarks/services_geopandas.py quebec '$places' '$fac'"
bench "gaps 15 km, BSL" "'$bin' gaps --region 01 --category sante --max-km 15 --store '$s'" \
  "'$venv/bin/python' benchmarks/services_geopandas.py bsl '$s' '$fac'"
"$venv/bin/python" benchmarks/services_geopandas.py quebec "$places" "$fac"
"$venv/bin/python" -c "import pandas as pd, sys; d = pd.read_csv(sys.argv[1]); print(f'portrait: places={len(d)} mean_km={d.nearest_km.mean():.3f}')" "$out/nearest.csv"
"$venv/bin/python" benchmarks/services_geopandas.py bsl "$s" "$fac"
"$bin" gaps --region 01 --category sante --max-km 15 --store "$s" | sed -n '1,3p'
