"""The peer of `portrait import indicators TABLE --code-field code_geo --value-field …`: pandas reads the same
SYNTHETIC table (Windows-1252, semicolons, decimal commas, spaced thousands, titles above, a note below),
keeps the rows whose code is a unit of the store, and writes the values in long form into a SQLite table
of the same store, in one transaction.

Usage: python table_pandas.py TABLE.csv STORE.gpkg
"""
import sqlite3, sys, time

import pandas as pd

path, store = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
df = pd.read_csv(path, sep=';', encoding='cp1252', skiprows=2, decimal=',', thousands=' ', dtype={'code_geo': str})
df = df[df['code_geo'].str.fullmatch(r'\d{5}', na=False)]
con = sqlite3.connect(store)
units = pd.read_sql_query("SELECT code FROM municipalities", con)
long = df.merge(units, left_on='code_geo', right_on='code')[['code', 'population_2021', 'logements_total', 'revenu_median_menage_2020']]
long = long.melt(id_vars='code', var_name='indicator', value_name='value')
with con:
    con.execute("DROP TABLE IF EXISTS bench_values")
    long.to_sql('bench_values', con, index=False)
print(f"rows={len(df)} joined={long['code'].nunique()} seconds={time.perf_counter() - t0:.3f}")
