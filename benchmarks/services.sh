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
. benchmarks/lib.sh
ensure_venv geopandas pyogrio
build_portrait
out=benchmarks/out; mkdir -p "$out"
places="$geodata/population/qc_municipalites_registre_mamh_derive.csv"
fac="$geodata/services/qc_installations_sante_odhf.csv"
s="$out/services.gpkg"
prepare_store "$s" census
"$bin" import services "$fac" --category sante --preset odhf --store "$s" >/dev/null
# A MSSS-only copy for the Quebec-wide run, so that both tools read the same 1,534 points.
"$venv/bin/python" -c "import pandas as pd, sys; d = pd.read_csv(sys.argv[1]); d[d.source_provider == 'MSSS'].to_csv(sys.argv[2], index=False)" "$fac" "$out/msss.csv"

quebec_portrait() { "$bin" nearest --from "$places" --to "$out/msss.csv" -o "$out/nearest.csv"; }
quebec_geopandas() { "$venv/bin/python" benchmarks/services_geopandas.py quebec "$places" "$fac"; }
bsl_portrait() { "$bin" gaps --region 01 --category sante --max-km 15 --store "$s"; }
bsl_geopandas() { "$venv/bin/python" benchmarks/services_geopandas.py bsl "$s" "$fac"; }
echo "runs: $runs"
side_by_side "$runs" quebec_portrait quebec_geopandas
printf 'nearest, all of Quebec: portrait median %.3f s, geopandas median %.3f s, ratio geopandas/portrait %s\n' "$pm" "$gm" "$(ratio "$gm" "$pm")"
side_by_side "$runs" bsl_portrait bsl_geopandas
printf 'gaps 15 km, BSL: portrait median %.3f s, geopandas median %.3f s, ratio geopandas/portrait %s\n' "$pm" "$gm" "$(ratio "$gm" "$pm")"
"$venv/bin/python" benchmarks/services_geopandas.py quebec "$places" "$fac"
"$venv/bin/python" -c "import pandas as pd, sys; d = pd.read_csv(sys.argv[1]); print(f'portrait: places={len(d)} mean_km={d.nearest_km.mean():.3f}')" "$out/nearest.csv"
"$venv/bin/python" benchmarks/services_geopandas.py bsl "$s" "$fac"
"$bin" gaps --region 01 --category sante --max-km 15 --store "$s" | sed -n '1,3p'
