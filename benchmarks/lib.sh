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

# timed_alternate RUNS PORTRAIT_FUNCTION PEER_FUNCTION — RUNS alternated runs under /usr/bin/time (no warm-up),
# each function run in a child bash (the variables it reads exported); sets $pt and $gt (median seconds) and
# $pm_mem and $gm_mem (peak RSS, KiB).
timed_alternate() {
  local runs=$1 a=$2 b=$3 p=() g=() t m
  pm_mem=0; gm_mem=0
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$out/t1" bash -c "$(declare -f "$a"); $a" >/dev/null
    /usr/bin/time -f "%e %M" -o "$out/t2" bash -c "$(declare -f "$b"); $b" >/dev/null
    read -r t m < "$out/t1"; p+=("$t"); [ "$m" -gt "$pm_mem" ] && pm_mem=$m
    read -r t m < "$out/t2"; g+=("$t"); [ "$m" -gt "$gm_mem" ] && gm_mem=$m
  done
  pt=$(printf '%s\n' "${p[@]}" | median); gt=$(printf '%s\n' "${g[@]}" | median)
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

# ensure_wrk — the load generator, from Debian.
ensure_wrk() {
  command -v wrk >/dev/null && return
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get install -y -qq wrk >/dev/null
}

# load_bsl STORE — prepare_store with the census, public schools, health facilities and mobilisations:
# the store the route mix and the soak read.
load_bsl() {
  prepare_store "$1" census
  "$bin" import services "$geodata/services/bsl_ecoles_publiques_meq.geojson" --category ecole --preset meq-schools --store "$1" >/dev/null
  "$bin" import services "$geodata/services/qc_installations_sante_odhf.csv" --category sante --preset odhf --store "$1" >/dev/null
  "$bin" import mobilisations "$geodata/mobilisations/mobilisations_seeds.csv" --store "$1" >/dev/null
}

# start_server STORE TILES — `portrait serve` on a random loopback port, waited for; sets $port and $pid.
start_server() {
  port=18$((RANDOM % 900 + 100))
  "$bin" serve --host 127.0.0.1 --port "$port" --store "$1" --tiles "$2" --log-level error &
  pid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && return; sleep 0.2; done
  echo "the server did not answer on port $port"; return 1
}

# mix_lua FILE MBTILES REGION MRC [EXTRA_PATH…] — the wrk script of the route mix: 20 random seeded tiles of
# zoom 7 or more, the region and MRC portraits (JSON and HTML), the MRC's GeoJSON, the region's health gaps
# and mobilisations, the region and MRC lists, and any extra paths; one path drawn at random per request.
mix_lua() {
  local file=$1 mbtiles=$2 region=$3 mrc=$4; shift 4
  local tiles; tiles=$(sqlite3 "$mbtiles" \
    "SELECT zoom_level || '/' || tile_column || '/' || ((1 << zoom_level) - 1 - tile_row) FROM tiles WHERE zoom_level >= 7 ORDER BY random() LIMIT 20")
  {
    echo "paths = {"
    for t in $tiles; do echo "  \"/tiles/municipalities/$t.mvt\","; done
    for u in "/portrait/region/$region" "/portrait/mrc/$mrc" "/portrait/region/$region?format=html" "/geojson/municipalities?mrc=$mrc" \
             "/gaps?region=$region&category=sante" "/mobilisations?region=$region" "/regions" "/regions/$region/mrc" "$@"; do echo "  \"$u\","; done
    echo "}"
    echo 'request = function() return wrk.format("GET", paths[math.random(#paths)]) end'
  } > "$file"
}

# load_province STORE — the 1,102 synthetic municipal polygons with the MAMH populations, the Quebec MRC and
# regions, the shoreline and coast split, health facilities and mobilisations: the province-scale store.
load_province() {
  local s=$1 f="$geodata/synthetic/qc_municipalites_voronoi_synthetique.geojson"
  province_boundaries "$s"
  "$bin" import coastline "$geodata/coastline/gshhg_f_stlawrence_L1.geojson" --store "$s" >/dev/null
  "$bin" classify coast --store "$s" >/dev/null
  "$bin" import indicators "$f" --code-field MUS_CO_GEO --value-field population=population_mamh --kind count --vintage 2024 --store "$s" >/dev/null
  "$bin" import services "$geodata/services/qc_installations_sante_odhf.csv" --category sante --preset odhf --store "$s" >/dev/null
  "$bin" import mobilisations "$geodata/mobilisations/mobilisations_seeds.csv" --store "$s" >/dev/null
}

# province_boundaries STORE — a new store with the 1,102 synthetic municipal polygons and the Quebec MRC and
# regions only (the start of load_province; the importer benchmark adds the rest itself).
province_boundaries() {
  local s=$1
  rm -f "$s"
  "$bin" import boundaries "$geodata/synthetic/qc_municipalites_voronoi_synthetique.geojson" --level municipality --store "$s" >/dev/null
  "$bin" import boundaries "$geodata/boundaries/qc-mrc.geojson" --level mrc --store "$s" >/dev/null
  "$bin" import boundaries "$geodata/boundaries/qc-regions.geojson" --level region --store "$s" >/dev/null
}
