"""Writes N synthetic places (code, nom, lat, lon) for the straight-line nearest benchmark: each is one of the
1,106 municipal points of the MAMH register (real), moved by a seeded random offset of up to 0.15 degree, so that
the places lie where Quebec's municipalities are. SYNTHETIC points, for timing only.

Usage: python make_places.py REGISTER.csv N OUT.csv
"""
import csv
import random
import sys

register, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(register, encoding="utf-8") as f:
    rows = [(r["MUS_CO_GEO"], float(r["lat"]), float(r["lon"])) for r in csv.DictReader(f) if r["lat"] and r["lon"]]
rng = random.Random(36)
with open(out, "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["code", "nom", "lat", "lon"])
    for i in range(n):
        code, lat, lon = rows[i % len(rows)]
        w.writerow([f"{code}-{i}", f"lieu synthétique {i}", f"{lat + rng.uniform(-0.15, 0.15):.5f}", f"{lon + rng.uniform(-0.15, 0.15):.5f}"])
