#!/usr/bin/env bash
# OGC API – Features at province scale (1,102 synthetic municipal units, ../shared/geodata): items per second
# when a client reads the whole municipalities collection paged by 1,000 (following the `next` links, as GDAL
# and QGIS do), Portrait's server against pygeoapi (PyPI, its SQLiteGPKG provider, Flask's server) serving
# the same GeoPackage in the same run, loopback only. Portrait's collection carries more properties (every
# indicator, nearest services and counts within 15 km); pygeoapi serves the `portrait_municipalites` table of
# the same store (its indicators as columns). Each run starts both servers afresh: "cold" is the first read
# after start (Portrait then builds the collection), "warm" the second (Portrait answers from its cache).
#
#   benchmarks/features.sh [RUNS]      (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
geodata=${PORTRAIT_GEODATA:-../shared/geodata}
. benchmarks/lib.sh
build_portrait
out=benchmarks/out/features; rm -rf "$out"; mkdir -p "$out"
s="$out/province.gpkg"
load_province "$s"
# pygeoapi in a venv of Debian's Python (its sqlite3 loads mod_spatialite, which the SQLiteGPKG provider needs).
pv=benchmarks/.venv-pygeoapi
[ -x "$pv/bin/python" ] || /usr/bin/python3 -m venv "$pv"
"$pv/bin/python" -c "import pygeoapi" 2>/dev/null || "$pv/bin/pip" install -q pygeoapi
store=$(cd "$(dirname "$s")" && pwd)/$(basename "$s")
cat > "$out/pygeoapi.yml" <<YML
server:
  bind: {host: 127.0.0.1, port: 18092}
  url: http://127.0.0.1:18092
  mimetype: application/json; charset=UTF-8
  encoding: utf-8
  languages: [fr-CA]
  pretty_print: false
  limits: {default_items: 1000, max_items: 10000}
  map: {url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png', attribution: OSM}
logging: {level: ERROR}
metadata:
  identification: {title: Portrait, description: banc d'essai, keywords: [portrait], keywords_type: theme, terms_of_service: none, url: http://127.0.0.1}
  license: {name: CC-BY 4.0, url: 'https://creativecommons.org/licenses/by/4.0/'}
  provider: {name: Portrait, url: http://127.0.0.1}
  contact: {name: Portrait, position: none, address: none, city: none, stateorprovince: QC, postalcode: none, country: Canada, phone: none, fax: none, email: none, url: none, hours: none, instructions: none, role: pointOfContact}
resources:
  municipalities:
    type: collection
    title: Municipalités
    description: Municipalités du magasin Portrait (portrait_municipalites)
    keywords: [municipalites]
    extents: {spatial: {bbox: [-80, 44, -56, 63], crs: 'http://www.opengis.net/def/crs/OGC/1.3/CRS84'}}
    providers:
      - {type: feature, name: SQLiteGPKG, data: $store, id_field: fid, table: portrait_municipalites}
YML
absout=$(cd "$out" && pwd)
export PYGEOAPI_CONFIG="$absout/pygeoapi.yml" PYGEOAPI_OPENAPI="$absout/pygeoapi-openapi.yml"
"$pv/bin/pygeoapi" openapi generate "$PYGEOAPI_CONFIG" --output-file "$PYGEOAPI_OPENAPI" >/dev/null 2>&1

wait_for() { for _ in $(seq 1 200); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done; echo "server at $1 did not answer" >&2; return 1; }
# read URL: every page of the collection, limit 1,000, following `next`; prints "features seconds".
read_all() {
  "$pv/bin/python" - "$1" <<'PY'
import json, sys, time, urllib.request
url, n, t0 = sys.argv[1], 0, time.perf_counter()
while url:
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "application/geo+json"})) as r:
        page = json.loads(r.read())
    n += len(page["features"])
    url = next((l["href"] for l in page.get("links", []) if l.get("rel") == "next"), None)
print(n, time.perf_counter() - t0)
PY
}
pc=(); pw=(); gc=(); gw=()
for i in $(seq 1 "$runs"); do
  "$bin" serve --store "$s" --host 127.0.0.1 --port 18091 >/dev/null 2>&1 & p1=$!
  # pygeoapi's Flask application without the debugger's reloader (one process, threaded, as `pygeoapi serve` runs it).
  "$pv/bin/python" -m flask --app pygeoapi.flask_app run --host 127.0.0.1 --port 18092 --no-reload --no-debugger >/dev/null 2>&1 & p2=$!
  wait_for http://127.0.0.1:18091/health; wait_for "http://127.0.0.1:18092/collections?f=json"
  a=$(read_all "http://127.0.0.1:18091/collections/municipalities/items?limit=1000"); b=$(read_all "http://127.0.0.1:18091/collections/municipalities/items?limit=1000")
  c=$(read_all "http://127.0.0.1:18092/collections/municipalities/items?limit=1000&f=json"); d=$(read_all "http://127.0.0.1:18092/collections/municipalities/items?limit=1000&f=json")
  kill "$p1" "$p2" 2>/dev/null || true; wait "$p1" "$p2" 2>/dev/null || true
  echo "run $i: portrait cold $a, warm $b; pygeoapi cold $c, warm $d"
  pc+=("$(echo "$a" | awk '{print $1/$2}')"); pw+=("$(echo "$b" | awk '{print $1/$2}')")
  gc+=("$(echo "$c" | awk '{print $1/$2}')"); gw+=("$(echo "$d" | awk '{print $1/$2}')")
  sleep 0.5
done
m() { printf '%s\n' "$@" | median; }
echo "items per second, municipalities collection (every land unit, pages of 1,000), median of $runs runs:"
echo "  portrait cold $(m "${pc[@]}" | xargs printf '%.0f'), warm $(m "${pw[@]}" | xargs printf '%.0f')"
echo "  pygeoapi cold $(m "${gc[@]}" | xargs printf '%.0f'), warm $(m "${gw[@]}" | xargs printf '%.0f')"
echo "  ratio portrait/pygeoapi: cold $(ratio "$(m "${pc[@]}")" "$(m "${gc[@]}")"), warm $(ratio "$(m "${pw[@]}")" "$(m "${gw[@]}")")"
