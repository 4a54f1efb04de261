"""Peer of `portrait nearest` at scale with geopandas: reads the places (CSV lat/lon) and the MSSS facilities, finds
each place's nearest facility with `sjoin_nearest` in EPSG:32198, and writes the same CSV as Portrait (the places'
columns, km_vol_oiseau, and the facility's row, id, name and category; a tie keeps the first facility).
Prints the time of the nearest step alone (points, projection, sjoin_nearest) and of the whole.

Usage: python nearest_geopandas.py PLACES.csv FACILITIES.csv OUT.csv
"""
import json
import sys
import time

import geopandas as gpd
import pandas as pd

t0 = time.perf_counter()
places = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False)
fac = pd.read_csv(sys.argv[2], dtype=str, keep_default_na=False)
t1 = time.perf_counter()
pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(places["lon"].astype(float), places["lat"].astype(float)), crs=4326).to_crs(32198)
f = gpd.GeoDataFrame({"service_ligne": range(1, len(fac) + 1)},
                     geometry=gpd.points_from_xy(fac["lon"].astype(float), fac["lat"].astype(float)), crs=4326).to_crs(32198)
j = gpd.sjoin_nearest(pts, f, distance_col="d")
j = j[~j.index.duplicated()]
t2 = time.perf_counter()
out = places.drop(columns=["lat", "lon"])
out.insert(0, "ligne", range(1, len(out) + 1))
out["km_vol_oiseau"] = (j["d"] / 1000).round(3).values
row = j["service_ligne"].values
out["service_ligne"] = row
chosen = fac.iloc[row - 1]
out["service_id"] = chosen["synthea_id"].values
out["service_nom"] = chosen["name"].values
out["service_categorie"] = chosen["odhf_type"].values
out.to_csv(sys.argv[3], index=False, encoding="utf-8-sig", lineterminator="\r\n")
t3 = time.perf_counter()
print(json.dumps({"places": len(places), "nearest_s": round(t2 - t1, 3), "total_s": round(t3 - t0, 3),
                  "mean_km": round(float(j["d"].mean()) / 1000, 3)}))
