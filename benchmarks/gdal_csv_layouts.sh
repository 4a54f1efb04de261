#!/usr/bin/env bash
# The measurement behind the native CSV reader: GDAL's CSV driver (ogrinfo, as GDAL 3.6 reads CSV with
# AUTODETECT_TYPE=NO) on the issue's four-line table in the layouts agencies and spreadsheets write.
# For each layout: the population values GDAL reads, or its error. Portrait reads every one of them the same
# (PublishedLayoutsTests.theFourLineExampleInEveryLayout).
#
#   benchmarks/gdal_csv_layouts.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=benchmarks/out/gdal_csv; rm -rf "$out"; mkdir -p "$out"
python3 - "$out" <<'PY'
import sys
out = sys.argv[1]
rows = [["Code géographique", "Nom de la municipalité", "Population 2021", "Superficie (km²)"],
        ["7005", "Sainte-Marguerite-Marie", "183", "85,97"], ["07010", "Sainte-Florence", "367", "103,48"],
        ["07018", "Causapscal", "2 147", "161,61"]]
lf = "\n".join(";".join(r) for r in rows) + "\n"
def w(name, text, enc, nl, bom=b""):
    open(f"{out}/{name}", "wb").write(bom + text.replace("\n", nl).encode(enc))
w("lf_utf8.csv", lf, "utf-8", "\n")
w("crlf_windows1252.csv", lf, "cp1252", "\r\n")
w("cr_seulement.csv", lf, "cp1252", "\r")
w("utf16_tabulations.txt", lf.replace(";", "\t"), "utf-16-le", "\r\n", b"\xff\xfe")
w("utf8_bom_guillemets.csv", "\n".join(";".join(f'"{c}"' for c in r) for r in rows) + "\n", "utf-8", "\r\n", b"\xef\xbb\xbf")
w("titre_et_notes.csv", "Tableau 1 – Population, superficie (SYNTHÉTIQUE)\nSource : Statistique Canada, 2021\n" + lf + "\nNote : synthétique\n", "utf-8", "\n")
w("virgule_non_guillemetee.csv", lf.replace("Sainte-Florence", "Sainte-Florence, Municipalité (MÉ)").replace(";", ","), "utf-8", "\n")
PY
for f in "$out"/*; do
  printf '%-28s ' "$(basename "$f")"
  r=$(ogrinfo -ro -al -q -oo AUTODETECT_TYPE=NO "$f" 2>&1 || true)
  pops=$(printf '%s\n' "$r" | sed -n 's/^ *Population 2021 (String) = //p' | paste -sd '|' -)
  names=$(printf '%s\n' "$r" | sed -n 's/^ *Nom de la municipalité (String) = //p' | head -1)
  if [ -n "$pops" ]; then echo "population: $pops ; premier nom: $names"; else echo "aucune population lue : $(printf '%s\n' "$r" | head -2 | tr '\n' ' ')"; fi
done
