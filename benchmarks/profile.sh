#!/usr/bin/env bash
# Benchmark: streaming a long-form census profile of about 1 GB in Statistics Canada's own layout (generated from
# ../shared/geodata/formats and the BSL census by make_profile.py, not committed),
# Portrait (import indicators --preset statcan-profile, release) against pandas (usecols + chunksize),
# wall time and peak memory, alternated in the same run.
#
#   benchmarks/profile.sh [RUNS] [SIZE_MB]      (defaults 3, 1024)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}; size=${2:-1024}
geodata=${PORTRAIT_GEODATA:-../shared/geodata}
[ -d "$geodata" ] || { echo "missing $geodata (real data)"; exit 1; }
. benchmarks/lib.sh
ensure_venv pandas
build_portrait
out=benchmarks/out; mkdir -p "$out"
profile="$out/profil_editeur_${size}.csv"
[ -f "$profile" ] || "$venv/bin/python" benchmarks/make_profile.py "$geodata/formats/statcan_98-401-X2021_profil_long_format.csv" \
  "$geodata/population/recensement_2021_sdr_bsl.csv" "$profile" "$size"
s="$out/profile.gpkg"
"$bin" import boundaries "$geodata/boundaries/bsl_municipalites_sda.geojson" --level municipality --store "$s" >/dev/null 2>&1 || true
portrait_run() {
  "$bin" import indicators "$profile" --preset statcan-profile --vintage 2021 \
    --characteristic 1=population --characteristic 243=revenu_median_menage --store "$s"
}
peer_run() {
  "$venv/bin/python" benchmarks/profile_pandas.py "$profile" 1 243
}
export bin venv s profile
timed_alternate "$runs" portrait_run peer_run
echo "profile: $(du -m "$profile" | cut -f1) MB, runs: $runs"
echo "portrait (streaming, release): median ${pt} s, peak $((pm_mem / 1024)) MiB"
echo "pandas (usecols, chunksize):   median ${gt} s, peak $((gm_mem / 1024)) MiB"
echo "ratio time pandas/portrait: $(ratio "$gt" "$pt"); ratio memory pandas/portrait: $(ratio "$gm_mem" "$pm_mem")"
