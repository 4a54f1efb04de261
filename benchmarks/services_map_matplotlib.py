"""The peer of `portrait render --region 01 --style services`: the same map with
geopandas + matplotlib, written as SVG: the region's municipalities of a Portrait
store tinted coast or inland, MRC borders, the shoreline, and every service of the
region as a point, one colour and marker per category, with a legend and a title, in
EPSG:32198. (No grouping of nearby points, no labels, no inset.)

Usage: python services_map_matplotlib.py STORE.gpkg OUT.svg
"""
import sys
import time

import geopandas as gpd
import matplotlib
matplotlib.use("svg")
import matplotlib.pyplot as plt

store, out = sys.argv[1:3]
t0 = time.perf_counter()
m = gpd.read_file(store, layer="municipalities", engine="pyogrio")
m = m[m["region_code"] == "01"].to_crs(32198)
s = gpd.read_file(store, layer="services", engine="pyogrio").to_crs(32198)
s = s[s["municipality_code"].isin(m["code"])]
coast = gpd.read_file(store, layer="coastline", engine="pyogrio").to_crs(32198)
fig, ax = plt.subplots(figsize=(9.6, 6.4))
colors = {"littoral": "#f6e8c3", "interieur": "#e5efd8"}
m.plot(ax=ax, color=[colors.get(c, "#ffffff") for c in m["class"]], edgecolor="white", linewidth=0.3)
m.dissolve(by="mrc_code").boundary.plot(ax=ax, color="#3a3a3a", linewidth=1.0)
xmin, ymin, xmax, ymax = m.total_bounds
coast.clip((xmin, ymin, xmax, ymax)).plot(ax=ax, color="#2171b5", linewidth=0.7)
style = {"ecole": ("#1b9e77", "o", "Écoles"), "sante": ("#d95f02", "s", "Installations de santé (MSSS)")}
for cat, part in s.groupby("category"):
    color, marker, label = style.get(cat, ("#666666", "^", cat))
    part.plot(ax=ax, color=color, marker=marker, markersize=18, edgecolor="white", linewidth=0.5, label=f"{label} ({len(part)})")
ax.legend(loc="upper right")
ax.set_xlim(xmin, xmax); ax.set_ylim(ymin, ymax); ax.set_axis_off()
ax.set_title(f"Services — Bas-Saint-Laurent ({len(s)} services)")
fig.savefig(out, format="svg", bbox_inches="tight")
print(f"services={len(s)} seconds={time.perf_counter() - t0:.3f}")
