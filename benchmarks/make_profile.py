"""Writes a SYNTHETIC long-form census profile in the 98-401-X2021 layout as Statistics Canada writes it (the rows of
../shared/geodata/formats/statcan_98-401-X2021_profil_long_format.csv: every text field quoted, the DGUID,
ALT_GEO_CODE and DATA_QUALITY_FLAG too, numbers and CENSUS_YEAR unquoted, the header quoted, ISO-8859-1, CRLF line
ends, repeated SYMBOL headers, names indented inside their quotes, `...` and `x` in the SYMBOL columns), about
SIZE_MB megabytes: every
subdivision of Bas-Saint-Laurent (real ids, from the census extract) repeated under invented
divisions and characteristics until the size is reached. Values are invented.

Usage: python make_profile.py CENSUS_CSV OUT.csv SIZE_MB
"""
import csv
import random
import sys

census, out, size_mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
ids = [r["code_geo"] for r in csv.DictReader(open(census, encoding="utf-8"))]
random.seed(2021)
columns = ["CENSUS_YEAR", "DGUID", "ALT_GEO_CODE", "GEO_LEVEL", "GEO_NAME", "TNR_SF", "TNR_LF", "DATA_QUALITY_FLAG", "CHARACTERISTIC_ID",
           "CHARACTERISTIC_NAME", "CHARACTERISTIC_NOTE", "C1_COUNT_TOTAL", "SYMBOL", "C2_COUNT_MEN+", "SYMBOL", "C3_COUNT_WOMEN+", "SYMBOL",
           "C10_RATE_TOTAL", "SYMBOL", "C11_RATE_MEN+", "SYMBOL", "C12_RATE_WOMEN+", "SYMBOL"]
header = ",".join(f'"{c}"' for c in columns) + "\r\n"
target = size_mb * 1024 * 1024
written = 0
with open(out, "w", encoding="iso-8859-1", newline="") as f:
    f.write(header)
    block = 0
    while written < target:
        for code in ids:
            # The real subdivisions once; then other provinces' invented ones, dropped by the reader.
            dguid = f"2021A000524{code}" if block == 0 else f"2021A0005{35 + block % 10}{block:03d}{code[-2:]}"
            lines = []
            for cid in range(1, 2624):
                v = random.randint(0, 50000)
                sup = random.random() < 0.02
                name = ("  " * (cid % 4)) + f"Caractéristique synthétique {cid}"
                c1 = "" if sup else str(v)
                s1 = "x" if sup else ""
                lines.append(f'2021,"{dguid}","{dguid[9:]}","Census subdivision","Lieu {code}",3.1,4.3,"00000",{cid},"{name}",,{c1},"{s1}",'
                             f'{v // 2},"",{v - v // 2},"",,"...",,"...",,"..."\r\n')
            chunk = "".join(lines)
            f.write(chunk)
            written += len(chunk.encode("iso-8859-1"))
            if written >= target:
                break
        block += 1
print(f"{out}: {written / 1024 / 1024:.0f} MB")
