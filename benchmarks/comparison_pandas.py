"""The peer computation for `portrait portrait --municipality CODE --format json`'s comparison, with pandas:
read a Portrait store's municipalities and the latest vintage of every indicator, then compute for the
municipality its population beside its MRC's and region's (with its shares of them), and each indicator's
value beside its MRC's and region's (totals for counts, population-weighted means otherwise), with its rank
(1 = highest) and quintile among the municipalities of its region; written as JSON.

Usage: python comparison_pandas.py STORE.gpkg CODE OUT.json
"""
import json
import sqlite3
import sys

import pandas as pd

store, code, out = sys.argv[1:4]
db = sqlite3.connect(store)
m = pd.read_sql("SELECT code, name, designation, mrc_code, region_code, aquatic FROM municipalities", db).set_index("code")
v = pd.read_sql("SELECT territory_code AS code, indicator, vintage, value, status FROM indicator_values WHERE level = 'municipality'", db)
kinds = dict(db.execute("SELECT name, kind FROM indicators").fetchall())
v = v[v["status"] == "ok"]
latest = v.groupby("indicator")["vintage"].transform("max")
v = v[v["vintage"] == latest]
wide = v.pivot_table(index="code", columns="indicator", values="value", aggfunc="first")
land = m[m["aquatic"] == 0].join(wide)
me = land.loc[code]
mrc, region = land[land["mrc_code"] == me["mrc_code"]], land[land["region_code"] == me["region_code"]]
peers = region[~region["designation"].isin(["NO", "R", "G", "TE", "TC", "TK", "IRI", "S-É", "VN", "EI"]) | (region.index == code)]


def figure(frame, name):
    col = frame[name].dropna()
    if kinds.get(name) == "count":
        return float(col.sum())
    if len(frame) == 1:
        return float(col.iloc[0]) if len(col) else None
    w = frame.loc[col.index, "population"].dropna()
    col = col.loc[w.index]
    return float((col * w).sum() / w.sum()) if w.sum() > 0 else None


result = {}
for name in [c for c in wide.columns if c in land.columns]:
    x = me[name]
    if pd.isna(x):
        continue
    values = peers[name].dropna()
    lower = int((values < x).sum())
    result[name] = {"value": float(x), "mrc": figure(mrc, name), "region": figure(region, name),
                    "rank": int((values > x).sum()) + 1, "of": int(len(values)), "quintile": min(5, 1 + 5 * lower // len(values))}
json.dump(result, open(out, "w"), indent=1)
