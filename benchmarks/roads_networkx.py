"""The peer of `portrait-bench roads N SERVICES`: the same SYNTHETIC grid (N × N nodes 250 m apart, a primary road at
90 km/h every tenth row and column, residential streets at 50 km/h, the same geodesic lengths through pyproj's Geod),
the same services (nodes i·7919 mod N²) and places, networkx's multi-source Dijkstra. Prints one JSON line.

Usage: python roads_networkx.py N SERVICES
"""
import json
import sys
import time

import networkx as nx
from pyproj import Geod

n, k = int(sys.argv[1]), int(sys.argv[2])
geod = Geod(ellps="WGS84")
t0 = time.perf_counter()
lon = lambda i: -69.5 + i * 0.0034
lat = lambda j: 47.5 + j * 0.00225
G = nx.Graph()
for j in range(n):
    for i in range(n):
        v = j * n + i
        if i + 1 < n:
            _, _, d = geod.inv(lon(i), lat(j), lon(i + 1), lat(j))
            G.add_edge(v, v + 1, minutes=d / 1000 / (90 if j % 10 == 0 else 50) * 60)
        if j + 1 < n:
            _, _, d = geod.inv(lon(i), lat(j), lon(i), lat(j + 1))
            G.add_edge(v, v + n, minutes=d / 1000 / (90 if i % 10 == 0 else 50) * 60)
built = time.perf_counter() - t0
sources = sorted({(s * 7919) % (n * n) for s in range(k)})
places = [(p * 104729 + 17) % (n * n) for p in range(1000)]
t1 = time.perf_counter()
dist = nx.multi_source_dijkstra_path_length(G, sources, weight="minutes")
searched = time.perf_counter() - t1
print(json.dumps({"nodes": G.number_of_nodes(), "edges": G.number_of_edges(), "services": k, "build_s": round(built, 3),
                  "search_s": round(searched, 3), "checksum_minutes": round(sum(dist[p] for p in places), 3)}))
