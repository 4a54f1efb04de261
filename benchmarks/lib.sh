# Shared by the benchmark scripts: the Python peer environment, the release build,
# and side-by-side timing (the two tools alternate within each run; medians).

# ensure_venv MODULES… — benchmarks/.venv with the given PyPI packages.
ensure_venv() {
  venv=benchmarks/.venv
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  local imports; imports=$(printf '%s,' "$@" | sed 's/,$//')
  "$venv/bin/python" -c "import $imports" 2>/dev/null || "$venv/bin/pip" install -q $(printf '%s\n' "$@" | tr _ -) shapely pyproj
}

# build_portrait — release build; sets $bin.
build_portrait() {
  swift build -c release --product portrait >/dev/null
  bin=$(swift build -c release --show-bin-path)/portrait
}

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# side_by_side RUNS PORTRAIT_FUNCTION PEER_FUNCTION — one warm-up each, then RUNS alternated
# runs; sets $pm and $gm (medians, seconds).
side_by_side() {
  local runs=$1 a=$2 b=$3 p=() g=() t0 t1 t2
  "$a" >/dev/null; "$b" >/dev/null
  for _ in $(seq "$runs"); do
    t0=$(now); "$a" >/dev/null; t1=$(now); "$b" >/dev/null; t2=$(now)
    p+=("$(echo "$t1 - $t0" | bc -l)"); g+=("$(echo "$t2 - $t1" | bc -l)")
  done
  pm=$(printf '%s\n' "${p[@]}" | median); gm=$(printf '%s\n' "${g[@]}" | median)
}

ratio() { echo "$1 / $2" | bc -l | xargs printf '%.2f'; }

# prepare_store STORE [census] — a fresh store with the real BSL municipalities, Quebec MRC and
# regions, the GSHHG shoreline and the coast split; with `census`, the 2021 census too. Untimed.
prepare_store() {
  local s=$1
  rm -f "$s"
  "$bin" import boundaries "$geodata/boundaries/bsl_municipalites_sda.geojson" --level municipality --store "$s" >/dev/null
  "$bin" import boundaries "$geodata/boundaries/qc-mrc.geojson" --level mrc --store "$s" >/dev/null
  "$bin" import boundaries "$geodata/boundaries/qc-regions.geojson" --level region --store "$s" >/dev/null
  "$bin" import coastline "$geodata/coastline/gshhg_f_stlawrence_L1.geojson" --store "$s" >/dev/null
  "$bin" classify coast --store "$s" >/dev/null
  if [ "${2:-}" = census ]; then
    "$bin" import indicators "$geodata/population/recensement_2021_sdr_bsl.csv" --preset statcan-census --vintage 2021 --store "$s" >/dev/null
  fi
}
