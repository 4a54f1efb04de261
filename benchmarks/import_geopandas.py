"""The peer computation for `portrait import … && portrait classify coast`,
with geopandas/shapely/pyogrio: read the BSL municipalities, the Quebec MRC
and regions and the GSHHG shoreline; repair, dissolve by code, measure areas
in EPSG:32198, write a GeoPackage, and classify units within 300 m of the
shoreline as littoral. Prints the counts so the two tools can be compared.

Usage: python import_geopandas.py GEODATA_DIR OUT.gpkg
"""
import os
import sys
import time

import geopandas as gpd
import shapely

geodata, out = sys.argv[1], sys.argv[2]
if os.path.exists(out):
    os.remove(out)
t0 = time.perf_counter()

layers = {
    "municipalities": ("boundaries/bsl_municipalites_sda.geojson", "MUS_CO_GEO",
                       {"MUS_NM_MUN": "name", "MUS_CO_DES": "designation", "MRS_CO_MRC": "mrc_code", "RES_CO_REG": "region_code"}),
    "mrc": ("boundaries/qc-mrc.geojson", "MRS_CO_MRC", {"MRS_NM_MRC": "name", "MRS_CO_REG": "region_code"}),
    "regions": ("boundaries/qc-regions.geojson", "RES_CO_REG", {"RES_NM_REG": "name"}),
}
frames = {}
for table, (path, code, fields) in layers.items():
    df = gpd.read_file(os.path.join(geodata, path), engine="pyogrio")
    df = df[[code, *fields, "geometry"]].rename(columns={code: "code", **fields})
    invalid = ~df.geometry.is_valid
    df.loc[invalid, "geometry"] = df.loc[invalid, "geometry"].make_valid()
    df = df.dissolve(by="code", aggfunc="first", as_index=False)
    df["area_km2"] = df.to_crs(32198).geometry.area / 1e6
    frames[table] = df

coast = gpd.read_file(os.path.join(geodata, "coastline/gshhg_f_stlawrence_L1.geojson"), engine="pyogrio")
shore = shapely.union_all(coast.to_crs(32198).geometry.values)
shapely.prepare(shore)
for table, df in frames.items():
    near = shapely.dwithin(df.to_crs(32198).geometry.values, shore, 300)
    df["class"] = ["littoral" if n else "interieur" for n in near]
    df.to_file(out, layer=table, driver="GPKG", engine="pyogrio")
coast.to_file(out, layer="coastline", driver="GPKG", engine="pyogrio")
elapsed = time.perf_counter() - t0

m = frames["municipalities"]
land = m[m["designation"] != "G"]
print(f"units={len(m)} mrc={len(frames['mrc'])} regions={len(frames['regions'])} "
      f"littoral={(land['class'] == 'littoral').sum()} interieur={(land['class'] == 'interieur').sum()} "
      f"seconds={elapsed:.3f}")
