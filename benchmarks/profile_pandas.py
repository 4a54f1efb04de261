"""The peer of `portrait import indicators PROFILE --preset statcan-profile --characteristic 1=…`:
pandas reading the same long-form profile with usecols and chunksize, keeping the Quebec census
subdivisions and the characteristics asked for, as a pivot by subdivision.

Usage: python profile_pandas.py PROFILE.csv ID [ID…]
"""
import sys
import time

import pandas as pd

path, ids = sys.argv[1], [int(x) for x in sys.argv[2:]]
t0 = time.perf_counter()
parts = []
for chunk in pd.read_csv(path, encoding="iso-8859-1", usecols=[1, 8, 11, 12], dtype={1: str, 8: "Int64", 11: str, 12: str},
                         chunksize=500_000):
    chunk.columns = ["DGUID", "ID", "VALUE", "SYMBOL"]
    keep = chunk[chunk["DGUID"].str.startswith("2021A000524") & chunk["ID"].isin(ids)]
    parts.append(keep)
data = pd.concat(parts)
data["code"] = data["DGUID"].str[-5:]
table = data.pivot_table(index="code", columns="ID", values="VALUE", aggfunc="first")
print(f"subdivisions={len(table)} seconds={time.perf_counter() - t0:.3f}")
