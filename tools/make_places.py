#!/usr/bin/env python3
"""Compact city labels for the web map, from Natural Earth populated places.

Reads Natural Earth's 1:10m populated places (``ne_10m_populated_places_simple``, public
domain; optionally gzipped), keeps the places inside the map's area (Eurasia with North Africa
and the sea route around India) that are a national capital or have at least ``--min-pop``
inhabitants, gives each the lowest zoom at which the map labels it (capitals and the largest
cities first), rounds the coordinates, and writes a small JSON file that the server embeds as
``web/static/places.json``:

    {"attribution": "...", "fields": ["lon", "lat", "name", "country", "zoom"],
     "places": [[116.39, 39.91, "Beijing", "CN", 3], ...]}

ordered by zoom, then population (largest first), so that the page can draw the first ones
when labels collide. Standard library only; deterministic (same input, byte-identical output).

    python3 tools/make_places.py ../shared/data/natural_earth/ne_10m_populated_places_simple.geojson.gz \
        web/static/places.json
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys

# West, south, east, north: as tools/make_basemap.py.
BBOX = (-30.0, -12.0, 150.0, 82.0)

# (population at least, zoom): a city is labelled from the first zoom whose threshold it meets.
ZOOM_STEPS = ((5_000_000, 4), (2_000_000, 5), (750_000, 6), (0, 7))
CAPITAL_ZOOM = 4


def load(path: str) -> dict:
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def inside(lon: float, lat: float, area=BBOX) -> bool:
    return area[0] <= lon <= area[2] and area[1] <= lat <= area[3]


def zoom_of(pop: int, capital: bool) -> int:
    """The lowest zoom at which a place is labelled."""
    z = next(z for threshold, z in ZOOM_STEPS if pop >= threshold)
    return min(z, CAPITAL_ZOOM) if capital else z


def build(data: dict, min_pop: int, digits: int) -> dict:
    rows = []
    seen = set()
    for f in data["features"]:
        geom = f.get("geometry") or {}
        if geom.get("type") != "Point":
            continue
        lon, lat = geom["coordinates"][:2]
        if not inside(lon, lat):
            continue
        p = f.get("properties", {})
        pop = int(p.get("pop_max") or 0)
        capital = bool(p.get("adm0cap"))
        if pop < min_pop and not capital:
            continue
        name = (p.get("name") or p.get("nameascii") or "").strip()
        if not name:
            continue
        country = (p.get("iso_a2") or "").strip()
        if country in ("-99", "-1"):
            country = ""
        point = [round(lon, digits), round(lat, digits)]
        key = (name, point[0], point[1])
        if key in seen:
            continue
        seen.add(key)
        rows.append((zoom_of(pop, capital), -pop, name, [*point, name, country, zoom_of(pop, capital)]))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    return {
        "attribution": "Made with Natural Earth (public domain), by tools/make_places.py",
        "fields": ["lon", "lat", "name", "country", "zoom"],
        "places": [r[3] for r in rows],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", help="Natural Earth populated places GeoJSON (.geojson or .geojson.gz)")
    ap.add_argument("output", help="output JSON path")
    ap.add_argument("--min-pop", type=int, default=150_000, help="smallest population kept (capitals always)")
    ap.add_argument("--digits", type=int, default=2, help="decimal places kept")
    args = ap.parse_args(argv)
    out = build(load(args.source), args.min_pop, args.digits)
    text = json.dumps(out, separators=(",", ":"), ensure_ascii=False)
    # One place per line: small diffs when the data changes.
    text = text.replace("],[", "],\n[")
    with open(args.output, "w", encoding="utf-8", newline="\n") as f:
        f.write(text + "\n")
    print(f"{args.output}: {len(out['places'])} places, {len(text.encode())} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
