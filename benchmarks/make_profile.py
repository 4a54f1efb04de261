"""Writes a long-form census profile in the 98-401-X2021 layout from the publisher's own bytes, about SIZE_MB megabytes.

The layout is not rewritten here: the header line and each row are those of
../shared/geodata/formats/statcan_98-401-X2021_profil_long_format.csv (Statistics Canada's download: every text field
quoted, the DGUID, ALT_GEO_CODE and DATA_QUALITY_FLAG too, numbers and CENSUS_YEAR unquoted, the SYMBOL header
repeated, names indented inside their quotes, `...` in the SYMBOL of a cell that does not apply, ISO-8859-1, CRLF).
Only the cells change, each keeping the publisher's quoting.

- Every census subdivision of the BSL census extract gets its REAL population (characteristic 1), private dwellings
  (4) and median household income in 2020 (243); an income the census suppresses is written as Statistics Canada
  writes a suppressed cell (an empty count and `x` in its SYMBOL).
- Each also gets 2,620 other characteristics with SYNTHETIC values, so that a subdivision weighs what it weighs in
  the real file.
- Then subdivisions of other provinces (SYNTHETIC, dropped by a Quebec reader) repeat until the size is reached.

Usage: python make_profile.py FORMATS_CSV CENSUS_CSV OUT.csv SIZE_MB
"""
import csv
import random
import sys

formats, census, out, size_mb = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
raw = open(formats, "rb").read().decode("iso-8859-1")
lines = [l for l in raw.split("\r\n") if l]
header = lines[0]


def fields(line):
    """The fields of one line with their raw text, quotes kept."""
    out, cur, quoted = [], [], False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        if ch == "," and not quoted:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


def cell(template, value):
    """`value` quoted as the publisher quotes the template's field."""
    return '"' + value.replace('"', '""') + '"' if template.startswith('"') else value


# The publisher's subdivision rows, by characteristic: 1 (population), 4 (dwellings), 243 (median household income).
templates = {}
for l in lines[1:]:
    f = fields(l)
    if f[3] == '"Census subdivision"':
        templates.setdefault(int(f[8]), f)
assert {1, 4, 243} <= templates.keys(), f"{formats}: subdivision rows 1, 4 and 243 expected"
CSDUID = "@@@@@@@"


def row(cid, count, symbol="", name=None, geo_name="Lieu"):
    t = list(templates[cid] if cid in templates else templates[1])
    t[1] = cell(t[1], "2021A0005" + CSDUID)
    t[2] = cell(t[2], CSDUID)
    t[4] = cell(t[4], geo_name)
    t[8] = str(cid)
    if name is not None:
        t[9] = cell(t[9], name)
        t[10] = ""
    t[11] = count
    t[12] = cell(t[12], symbol)
    return ",".join(t) + "\r\n"


def integer(text):
    return str(int(round(float(text)))) if text.strip() else ""


rng = random.Random(2021)


def filler(cids=range(2, 2624)):
    """Other characteristics of one subdivision, SYNTHETIC values, every 50th suppressed."""
    rows = []
    for cid in cids:
        if cid in (4, 243):
            continue
        v = rng.randint(0, 50000)
        name = "  " * (cid % 4) + f"Caractéristique synthétique {cid}"
        rows.append(row(cid, "", "x", name) if cid % 50 == 0 else row(cid, str(v), "", name))
    return "".join(rows)


target = size_mb * 1024 * 1024
written = 0
with open(out, "w", encoding="iso-8859-1", newline="") as f:
    f.write(header + "\r\n")
    written += len(header) + 2
    for r in csv.DictReader(open(census, encoding="utf-8")):
        code = r["code_geo"]
        name = r["nom"].rsplit(", ", 1)[0]
        income = integer(r["revenu_median_menage_2020"])
        block = (row(1, integer(r["population_2021"]), geo_name=name) + filler(range(2, 4)).replace('"Lieu"', cell('"', name))
                 + row(4, integer(r["logements_total"]), geo_name=name) + filler(range(5, 243)).replace('"Lieu"', cell('"', name))
                 + row(243, income, "" if income else "x", geo_name=name) + filler(range(244, 2624)).replace('"Lieu"', cell('"', name)))
        chunk = block.replace(CSDUID, "24" + code)
        f.write(chunk)
        written += len(chunk.encode("iso-8859-1"))
    # Other provinces' subdivisions: one synthetic block, repeated under new ids.
    other = filler()
    PROVINCES = ["10", "11", "12", "13", "35", "46", "47", "48", "59", "60", "61", "62"]
    n = 0
    while written < target:
        n += 1
        chunk = other.replace(CSDUID, f"{PROVINCES[n % len(PROVINCES)]}{n:05d}")
        f.write(chunk)
        written += len(chunk)
print(f"{out}: {written / 1024 / 1024:.0f} MB")
