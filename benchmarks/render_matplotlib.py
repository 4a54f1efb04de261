"""The peer of `portrait render --region 01 --style population`: the same
choropleth with geopandas + matplotlib, written as SVG: municipalities of a
Portrait store filled by Fisher-Jenks classes of the 2021 population (mapclassify),
MRC borders, the shoreline, a legend and a title, in EPSG:32198.

Usage: python render_matplotlib.py STORE.gpkg OUT.svg
"""
import sqlite3
import sys
import time

import geopandas as gpd
import matplotlib
matplotlib.use("svg")
import matplotlib.pyplot as plt
import pandas as pd

store, out = sys.argv[1:3]
t0 = time.perf_counter()
m = gpd.read_file(store, layer="municipalities", engine="pyogrio")
m = m[m["region_code"] == "01"].to_crs(32198)
with sqlite3.connect(store) as db:
    pop = pd.read_sql("SELECT territory_code AS code, value AS population FROM indicator_values "
                      "WHERE indicator = 'population' AND vintage = 2021", db)
m = m.merge(pop, on="code", how="left")
coast = gpd.read_file(store, layer="coastline", engine="pyogrio").to_crs(32198)
mrc = m.dissolve(by="mrc_code")
fig, ax = plt.subplots(figsize=(9.6, 6.4))
m.plot(column="population", scheme="FisherJenks", k=5, cmap="Blues", legend=True, ax=ax, edgecolor="white", linewidth=0.3,
       missing_kwds={"color": "white", "hatch": "///", "edgecolor": "grey", "label": "Sans donnée"},
       legend_kwds={"title": "Population (habitants)", "loc": "upper right"})
mrc.boundary.plot(ax=ax, color="#3a3a3a", linewidth=1.0)
xmin, ymin, xmax, ymax = m.total_bounds
coast.clip((xmin, ymin, xmax, ymax)).plot(ax=ax, color="#2171b5", linewidth=0.7)
ax.set_xlim(xmin, xmax); ax.set_ylim(ymin, ymax); ax.set_axis_off()
ax.set_title("Population des municipalités — Bas-Saint-Laurent")
fig.savefig(out, format="svg", bbox_inches="tight")
print(f"seconds={time.perf_counter() - t0:.3f}")
