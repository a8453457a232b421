#!/usr/bin/env python3
"""Derive the landmasses a truck can drive on from Natural Earth admin-0 polygons.

Reads Natural Earth 1:110m admin-0 countries (public domain) and writes a CSV with one row
per outer ring (an island or a country's piece of a continent):

    landmass,country,min_lat,min_lon,max_lat,max_lon,ring

``ring`` is the ring's vertices as ``lat lon`` pairs (2 decimals) joined by ``;``. Rings that
touch (a vertex of one within 1 km of a vertex of the other: neighbouring countries' rings
share their border's vertices) are one landmass, and so are rings joined by a fixed link that
trucks drive (FIXED_LINKS: tunnels, bridges and causeways, each with its opening year).
``landmass`` is the smallest ring index of its group, so the output is deterministic. Islands
that the 1:110m file lacks although a fixed link joins them (Funen, Bahrain) are added as
rough outlines (ADDED_ISLANDS).
Standard library only.

    python3 tools/derive_landmasses.py \\
        ../shared/data/natural_earth/ne_110m_admin_0_countries.geojson \\
        data/places/landmasses.csv
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys

# Fixed links trucks drive between rings of the 1:110m file: a point on each side (lat, lon).
FIXED_LINKS = [
    ("Channel Tunnel (1994): Folkestone - Coquelles", (51.10, 1.00), (50.90, 1.90)),
    ("Great Belt Bridge (1998): Funen - Zealand (Funen is not in the 1:110m file)", (55.50, 9.50), (55.45, 11.80)),
    ("Oresund Bridge (2000): Zealand - Scania", (55.60, 12.20), (55.70, 13.30)),
    ("Bosphorus bridges (1973): Thrace - Anatolia", (41.10, 28.60), (40.95, 29.40)),
    ("Crimean Bridge (2018): Kerch - Taman", (45.30, 36.20), (45.20, 37.00)),
    ("Great Seto Bridge (1988) and Akashi Kaikyo Bridge (1998): Honshu - Shikoku", (34.70, 133.90), (33.90, 133.50)),
]

# Islands the 1:110m file lacks although a fixed link joins them to a ring: a rough outline
# (lat, lon), written as their own rings (country, name), and a point of the ring they join.
ADDED_ISLANDS = [
    ("DK", "Funen: Little Belt bridges (1935, 1970) and Great Belt Bridge (1998)",
     [(55.05, 9.95), (55.65, 9.95), (55.65, 10.90), (55.05, 10.90)], (55.50, 9.50)),
    ("BH", "Bahrain: King Fahd Causeway (1986)",
     [(25.80, 50.35), (26.35, 50.35), (26.35, 50.70), (25.80, 50.70)], (26.20, 50.00)),
]

EARTH_RADIUS_KM = 6371.0088


def km(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def centre(ring):
    """The mean of a ring's vertices (inside the convex outlines of ADDED_ISLANDS)."""
    return (sum(v[0] for v in ring) / len(ring), sum(v[1] for v in ring) / len(ring))


def inside(p, ring):
    """Ray casting in (lon, lat); ring is a list of (lat, lon)."""
    lat, lon = p
    c = False
    j = len(ring) - 1
    for i in range(len(ring)):
        (yi, xi), (yj, xj) = ring[i], ring[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            c = not c
        j = i
    return c


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("countries")
    ap.add_argument("output")
    args = ap.parse_args()
    with open(args.countries, encoding="utf-8") as f:
        features = json.load(f)["features"]
    rings = []  # (country, [(lat, lon)])
    for feat in features:
        p = feat["properties"]
        code = p.get("ISO_A2_EH") if p.get("ISO_A2_EH") not in (None, "-99") else p.get("ISO_A2")
        if code in (None, "-99"):
            code = {"FRA": "FR", "NOR": "NO"}.get(p.get("ADM0_A3"), "")
        g = feat["geometry"]
        polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        for poly in polys:
            ring = [(round(y, 2), round(x, 2)) for x, y in poly[0]]
            if ring[0] == ring[-1]:
                ring.pop()
            rings.append((code, ring))
    for code, _, outline, _ in ADDED_ISLANDS:
        rings.append((code, outline))
    # Order: by country, then by the ring's first vertex (deterministic whatever the file order).
    rings.sort(key=lambda r: (r[0], r[1][0]))
    parent = list(range(len(rings)))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a, b):
        a, b = find(a), find(b)
        if a != b:
            parent[max(a, b)] = min(a, b)

    # Rings that touch: a shared vertex (rounded to 0.02 deg cells, then checked at 1 km).
    cells = {}
    for i, (_, ring) in enumerate(rings):
        for v in ring:
            cells.setdefault((round(v[0] / 0.02), round(v[1] / 0.02)), set()).add(i)
    for i, (_, ring) in enumerate(rings):
        for v in ring:
            cy, cx = round(v[0] / 0.02), round(v[1] / 0.02)
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    for j in cells.get((cy + dy, cx + dx), ()):
                        if j != i and find(i) != find(j) and any(km(v, w) <= 1.0 for w in rings[j][1]):
                            union(i, j)
    links = FIXED_LINKS + [(name, centre(outline), joins) for _, name, outline, joins in ADDED_ISLANDS]
    for name, a, b in links:
        ends = []
        for p in (a, b):
            hits = [i for i, (_, r) in enumerate(rings) if inside(p, r)]
            if len(hits) != 1:
                print(f"fixed link {name}: {p} lies in {len(hits)} rings", file=sys.stderr)
                return 1
            ends.append(hits[0])
        union(*ends)
    with open(args.output, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["landmass", "country", "min_lat", "min_lon", "max_lat", "max_lon", "ring"])
        for i, (code, ring) in enumerate(rings):
            lats = [v[0] for v in ring]
            lons = [v[1] for v in ring]
            w.writerow([find(i), code, min(lats), min(lons), max(lats), max(lons),
                        ";".join(f"{y:.2f} {x:.2f}" for y, x in ring)])
    groups = {}
    for i in range(len(rings)):
        groups.setdefault(find(i), []).append(rings[i][0])
    big = sorted(groups.values(), key=len, reverse=True)[:3]
    print(f"{len(rings)} rings, {len(groups)} landmasses; largest: {[len(g) for g in big]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
