"""Peers of `portrait nearest` (all of Quebec) and `portrait gaps` (BSL) with geopandas.

Usage:
  python services_geopandas.py quebec PLACES.csv FACILITIES.csv
  python services_geopandas.py bsl STORE.gpkg FACILITIES.csv
"""
import sys
import time

import geopandas as gpd
import pandas as pd

t0 = time.perf_counter()
mode = sys.argv[1]
fac = pd.read_csv(sys.argv[3])
fac = fac[fac["source_provider"] == "MSSS"]
fac = gpd.GeoDataFrame(fac, geometry=gpd.points_from_xy(fac["lon"], fac["lat"]), crs=4326).to_crs(32198)
if mode == "quebec":
    places = pd.read_csv(sys.argv[2])
    places = gpd.GeoDataFrame(places, geometry=gpd.points_from_xy(places["lon"], places["lat"]), crs=4326).to_crs(32198)
    j = gpd.sjoin_nearest(places, fac[["geometry"]], distance_col="d")
    j = j[~j.index.duplicated()]
    print(f"places={len(places)} mean_km={j['d'].mean() / 1000:.3f} seconds={time.perf_counter() - t0:.3f}")
else:
    m = gpd.read_file(sys.argv[2], layer="municipalities", engine="pyogrio")
    m = m[(m["region_code"] == "01") & (m["aquatic"] == 0)].to_crs(32198)
    pts = m.copy()
    pts["geometry"] = m.geometry.representative_point()
    j = gpd.sjoin_nearest(pts, fac[["geometry"]], distance_col="d")
    j = j[~j.index.duplicated()]
    gaps = j[j["d"] > 15_000]
    outside = m.union_all().difference(fac.buffer(15_000).union_all())
    print(f"gaps={len(gaps)} area_km2={outside.area / 1e6:.1f} seconds={time.perf_counter() - t0:.3f}")
