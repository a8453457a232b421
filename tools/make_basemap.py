#!/usr/bin/env python3
"""Compact Natural Earth country polygons for the web map's offline basemap.

Reads Natural Earth admin-0 countries (public domain; the 1:50m file, optionally gzipped),
keeps the countries whose bounding box meets the map's area (Eurasia with North Africa and
the sea route around India), keeps only the ``name`` property, simplifies every ring with
Douglas-Peucker and rounds coordinates, and writes GeoJSON ([lon, lat], RFC 7946) that the
server embeds as ``web/static/countries.geojson``. Standard library only; deterministic
(same input, byte-identical output).

    python3 tools/make_basemap.py ../shared/data/natural_earth/ne_50m_admin_0_countries.geojson.gz \
        web/static/countries.geojson
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys

# West, south, east, north: Atlantic coast of Europe to Japan, Arctic to Indonesia.
BBOX = (-30.0, -12.0, 150.0, 82.0)


def load(path: str) -> dict:
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def rings_of(geometry: dict) -> list[list[list[list[float]]]]:
    """The polygons of a Polygon or MultiPolygon, each a list of rings."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    return []


def bbox_of(polygons) -> tuple[float, float, float, float]:
    xs = [p[0] for poly in polygons for ring in poly for p in ring]
    ys = [p[1] for poly in polygons for ring in poly for p in ring]
    return min(xs), min(ys), max(xs), max(ys)


def meets(b, area=BBOX) -> bool:
    return not (b[2] < area[0] or b[0] > area[2] or b[3] < area[1] or b[1] > area[3])


def simplify(points: list[list[float]], tolerance: float) -> list[list[float]]:
    """Douglas-Peucker on a ring or line (iterative, so deep rings cannot overflow)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    tol2 = tolerance * tolerance
    while stack:
        a, b = stack.pop()
        ax, ay = points[a]
        bx, by = points[b]
        dx, dy = bx - ax, by - ay
        norm = dx * dx + dy * dy
        best, best_i = -1.0, -1
        for i in range(a + 1, b):
            px, py = points[i]
            if norm == 0.0:
                d = (px - ax) ** 2 + (py - ay) ** 2
            else:
                t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / norm))
                d = (px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2
            if d > best:
                best, best_i = d, i
        if best > tol2:
            keep[best_i] = True
            stack.append((a, best_i))
            stack.append((best_i, b))
    return [p for p, k in zip(points, keep) if k]


def compact_ring(ring, tolerance: float, digits: int):
    """Simplified, rounded, de-duplicated closed ring, or None if it collapsed."""
    out: list[list[float]] = []
    for x, y in simplify(ring, tolerance):
        p = [round(x, digits), round(y, digits)]
        if not out or out[-1] != p:
            out.append(p)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out if len(out) >= 4 else None


def build(data: dict, tolerance: float, digits: int) -> dict:
    features = []
    for f in data["features"]:
        polygons = rings_of(f.get("geometry") or {"type": "None"})
        if not polygons or not meets(bbox_of(polygons)):
            continue
        props = f.get("properties", {})
        name = props.get("NAME") or props.get("name") or props.get("ADMIN") or ""
        out_polys = []
        for poly in polygons:
            rings = [compact_ring(r, tolerance, digits) for r in poly]
            # A polygon whose outer ring collapsed (a tiny island) is dropped with its holes.
            if rings[0] is None:
                continue
            out_polys.append([r for r in rings if r is not None])
        if not out_polys:
            continue
        geometry = (
            {"type": "Polygon", "coordinates": out_polys[0]}
            if len(out_polys) == 1
            else {"type": "MultiPolygon", "coordinates": out_polys}
        )
        features.append({"type": "Feature", "properties": {"name": name}, "geometry": geometry})
    features.sort(key=lambda f: f["properties"]["name"])
    return {
        "type": "FeatureCollection",
        "attribution": "Made with Natural Earth (public domain), simplified by tools/make_basemap.py",
        "features": features,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", help="Natural Earth admin-0 countries GeoJSON (.geojson or .geojson.gz)")
    ap.add_argument("output", help="output GeoJSON path")
    ap.add_argument("--tolerance", type=float, default=0.04, help="simplification tolerance, degrees")
    ap.add_argument("--digits", type=int, default=2, help="decimal places kept")
    args = ap.parse_args(argv)
    out = build(load(args.source), args.tolerance, args.digits)
    text = json.dumps(out, separators=(",", ":"), ensure_ascii=False)
    with open(args.output, "w", encoding="utf-8", newline="\n") as f:
        f.write(text + "\n")
    points = sum(len(r) for f in out["features"] for p in rings_of(f["geometry"]) for r in p)
    print(f"{args.output}: {len(out['features'])} countries, {points} points, {len(text)} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
