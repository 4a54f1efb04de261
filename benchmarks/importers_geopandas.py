"""Peers of Portrait's importers at province scale, with geopandas/pandas: the same file read, joined to the
store's municipalities (points placed by `sjoin` within the polygons, tables by `merge` on the code or the
normalised name) and written to a scratch GeoPackage or SQLite table. Prints the counts so that the two tools
can be compared.

Usage: python importers_geopandas.py KIND STORE.gpkg FILE SCRATCH
  KIND: odhf | register-code | register-name | schools | mobilisations
"""
import sqlite3
import sys
import unicodedata

import geopandas as gpd
import pandas as pd

kind, store, path, scratch = sys.argv[1:5]


def municipalities():
    m = gpd.read_file(store, layer="municipalities", engine="pyogrio")
    return m[m["aquatic"] == 0][["code", "name", "geometry"]]


def key(name):
    s = unicodedata.normalize("NFD", str(name).lower())
    return "".join(c for c in s if c.isalnum())


if kind in ("odhf", "schools"):
    if kind == "odhf":
        d = pd.read_csv(path)
        d = d[d["source_provider"] == "MSSS"]
        pts = gpd.GeoDataFrame(d, geometry=gpd.points_from_xy(d["lon"], d["lat"]), crs=4326)
    else:
        pts = gpd.read_file(path, engine="pyogrio").to_crs(4326)
    j = gpd.sjoin(pts, municipalities().to_crs(4326)[["code", "geometry"]], predicate="within", how="left")
    j = j[~j.index.duplicated()]
    j.drop(columns=["index_right"]).to_file(scratch, layer="services", driver="GPKG", engine="pyogrio")
    print(f"{kind}: read={len(pts)} placed={j['code'].notna().sum()}")
elif kind.startswith("register"):
    d = pd.read_csv(path, dtype=str)
    m = pd.DataFrame(municipalities().drop(columns="geometry"))
    if kind == "register-code":
        j = d.merge(m, left_on="mcode", right_on="code", how="inner")
    else:
        d["k"], m["k"] = d["munnom"].map(key), m["name"].map(key)
        # Names shared by several municipalities are left out on both sides (never guessed).
        d, m = d[~d["k"].duplicated(keep=False)], m[~m["k"].duplicated(keep=False)]
        j = d.merge(m, on="k", how="inner")
    with sqlite3.connect(scratch) as c:
        j[["code", "mpopul"]].to_sql("indicator_values", c, if_exists="replace", index=False)
    print(f"{kind}: rows={len(d)} matched={len(j)}")
else:
    d = pd.read_csv(path, dtype=str)
    with sqlite3.connect(scratch) as c:
        d.to_sql("mobilisations", c, if_exists="replace", index=False)
    print(f"{kind}: rows={len(d)}")
