"""The peer computation for `portrait import indicators … && portrait portrait --region 01`,
with pandas/geopandas: read the census extract, carry merged codes onto current ones
(counts summed, median income population-weighted), join to the municipalities of a
Portrait store, and compute the region's portrait figures (totals, towns of 5,000+,
share under 3,000, shore/inland split, per MRC, weighted income), written as JSON.

Usage: python portrait_pandas.py CENSUS.csv STORE.gpkg OUT.json
"""
import json
import sys
import time

import geopandas as gpd
import pandas as pd

census, store, out = sys.argv[1:4]
t0 = time.perf_counter()
changes = {"11020": "13062", "13060": "13062", "14080": "14082", "14085": "14082", "14090": "14082"}
c = pd.read_csv(census, dtype={"code_geo": str})
c["code"] = c["code_geo"].map(lambda x: changes.get(x, x))
c["w"] = c["population_2021"] * c["revenu_median_menage_2020"]
c["wpop"] = c["population_2021"].where(c["revenu_median_menage_2020"].notna())
g = c.groupby("code").agg(population=("population_2021", "sum"), logements=("logements_total", "sum"),
                          w=("w", "sum"), wpop=("wpop", "sum"))
g["revenu"] = g["w"] / g["wpop"]

m = gpd.read_file(store, layer="municipalities", engine="pyogrio", ignore_geometry=True)
m = m[m["aquatic"] == 0].set_index("code").join(g)
muni = m[~m["designation"].isin(["NO", "R", "G"])]
total = m["population"].sum()

def section(df, mun):
    pop = df["population"].sum()
    towns = mun[mun["population"] >= 5000].sort_values("population", ascending=False)
    inc = df.dropna(subset=["revenu", "population"])
    return {
        "municipality_count": int(len(mun)),
        "population_total": float(pop),
        "population_share": float(pop / total),
        "towns_5000_plus": {"count": int(len(towns)), "names": list(towns["name"]),
                            "population_share": float(towns["population"].sum() / total)},
        "under_3000_population_share": float(mun[mun["population"] < 3000]["population"].sum() / total),
        "revenu_weighted_mean": float((inc["revenu"] * inc["population"]).sum() / inc["population"].sum()),
    }

result = section(m, muni)
for cls in ["littoral", "interieur"]:
    result[cls] = section(m[m["class"] == cls], muni[muni["class"] == cls])
result["mrc"] = {code: section(m[m["mrc_code"] == code], muni[muni["mrc_code"] == code])
                 for code in sorted(m["mrc_code"].dropna().unique())}
with open(out, "w") as f:
    json.dump(result, f, ensure_ascii=False, indent=1)
print(f"population={total:.0f} towns={result['towns_5000_plus']['count']} "
      f"littoral={result['littoral']['population_total']:.0f} seconds={time.perf_counter() - t0:.3f}")
