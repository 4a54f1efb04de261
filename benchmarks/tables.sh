#!/usr/bin/env bash
# Benchmark: reading and joining a wide SYNTHETIC indicator table as an agency's spreadsheet saves it
# (Windows-1252, semicolons, CRLF, decimal commas, spaced thousands, titles above, a note below),
# Portrait (`import indicators`, native streamed reader, release) against pandas (read_csv + merge + to_sql),
# wall time and peak memory, alternated in the same run.
#
#   benchmarks/tables.sh [RUNS] [ROWS]      (defaults 5, 99999)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}; rows=${2:-99999}
geodata=${PORTRAIT_GEODATA:-../shared/geodata}
[ -d "$geodata" ] || { echo "missing $geodata (real data)"; exit 1; }
. benchmarks/lib.sh
ensure_venv pandas
build_portrait
out=benchmarks/out; mkdir -p "$out"
table="$out/tableau_synthetique_$rows.csv"
[ -f "$table" ] || "$venv/bin/python" benchmarks/make_table.py "$geodata/population/recensement_2021_sdr_bsl.csv" "$table" "$rows"
s="$out/tables.gpkg"; rm -f "$s"
"$bin" import boundaries "$geodata/boundaries/bsl_municipalites_sda.geojson" --level municipality --store "$s" >/dev/null
portrait_run() {
  "$bin" import indicators "$table" --vintage 2021 --code-field code_geo \
    --value-field population=population_2021 --value-field logements=logements_total --value-field revenu_median_menage=revenu_median_menage_2020 \
    --store "$s"
}
peer_run() {
  "$venv/bin/python" benchmarks/table_pandas.py "$table" "$s"
}
export bin venv s table
timed_alternate "$runs" portrait_run peer_run
echo "table: $(du -m "$table" | cut -f1) MB, $rows rows, runs: $runs"
echo "portrait (native reader, release): median ${pt} s, peak $((pm_mem / 1024)) MiB"
echo "pandas (read_csv, merge, to_sql):  median ${gt} s, peak $((gm_mem / 1024)) MiB"
echo "ratio time pandas/portrait: $(ratio "$gt" "$pt"); ratio memory pandas/portrait: $(ratio "$gm_mem" "$pm_mem")"
