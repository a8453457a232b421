#!/usr/bin/env python3
"""Derive which pairs of countries share a land border from Natural Earth admin-0 polygons.

Reads Natural Earth admin-0 countries (public domain; the 1:50m file, optionally gzipped)
and writes a CSV ``a,b`` with one row per unordered pair of ISO 3166-1 alpha-2 codes that
share a land border (a < b, rows sorted). Standard library only; deterministic (same input,
byte-identical output).

    python3 tools/derive_land_borders.py \\
        ../shared/data/natural_earth/ne_50m_admin_0_countries.geojson.gz \\
        data/places/land_borders.csv

Country code: ``ISO_A2_EH`` when present and not ``-99``, else ``ISO_A2``, else (only for
the features that newer Natural Earth releases fix in ``ISO_A2_EH``: France and Norway)
a small table keyed on ``ADM0_A3``; features with no code are skipped and listed. Several
features with the same code (none in the 1:50m file) are merged.

Rule: two countries are neighbours when some vertex of one lies within ``--km`` (2 km) of a
vertex or segment of the other's boundary (all rings, holes included). Segments are first
densified to at most ``--max-seg-km`` (2 km), every segment is bucketed by its midpoint in
a grid of ``--cell`` (0.05 deg) cells, and each vertex is compared only with the segments
of other countries in the cells around it (the longitude reach of the neighbourhood is
widened with latitude, and wraps at the antimeridian). Distances are measured in a local
equirectangular projection around the vertex (exact enough at this scale).

The summary (countries, pairs, skipped features, pairs that do not touch but come within
the tolerance, and fixed sanity checks on well-known borders) goes to stdout.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import math
import sys
import time
from collections import defaultdict

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEG = math.pi * EARTH_RADIUS_KM / 180.0

# ADM0_A3 -> ISO 3166-1 alpha-2 for the features whose ISO_A2 is -99 in older Natural Earth
# files (no ISO_A2_EH column) although they are ISO countries; newer releases carry exactly
# these codes in ISO_A2_EH. Disputed/self-administered areas (Northern Cyprus, Somaliland,
# Siachen Glacier) and Australian dependencies without an ISO code stay skipped.
A2_FALLBACK = {"FRA": "FR", "NOR": "NO"}

# Sanity checks printed after a run: (country, kind, codes); kind is "includes" (all of
# codes are neighbours), "excludes" (none of them is) or "exactly" (the neighbour set).
CHECKS = [
    ("CN", "includes", ["KZ", "KG", "TJ", "AF", "PK", "IN", "NP", "BT", "MM", "LA", "VN",
                        "KP", "MN", "RU"]),
    ("AE", "includes", ["SA", "OM"]),
    ("AE", "excludes", ["IR"]),
    ("GB", "exactly", ["IE"]),
    ("ES", "includes", ["PT", "FR", "AD"]),
    ("JP", "exactly", []),
    ("TW", "exactly", []),
    ("LK", "exactly", []),
]


def load(path: str) -> dict:
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def _usable(code) -> bool:
    return isinstance(code, str) and len(code) == 2 and code.isalpha()


def country_code(props: dict) -> str | None:
    """ISO 3166-1 alpha-2 of a feature: ISO_A2_EH, else ISO_A2, else A2_FALLBACK, else None."""
    for key in ("ISO_A2_EH", "ISO_A2"):
        code = props.get(key)
        if _usable(code):
            return code.upper()
    return A2_FALLBACK.get(props.get("ADM0_A3"))


def rings_of(geometry: dict | None) -> list:
    """All rings (outer and holes) of a Polygon or MultiPolygon."""
    if not geometry:
        return []
    if geometry.get("type") == "Polygon":
        return list(geometry["coordinates"])
    if geometry.get("type") == "MultiPolygon":
        return [ring for poly in geometry["coordinates"] for ring in poly]
    return []


def collect(data: dict) -> tuple[dict[str, list], list[str]]:
    """code -> list of rings ([[lon, lat], ...]); and the names of the skipped features."""
    countries: dict[str, list] = defaultdict(list)
    skipped = []
    for f in data.get("features", []):
        props = f.get("properties") or {}
        rings = [r for r in rings_of(f.get("geometry")) if len(r) >= 2]
        name = props.get("ADMIN") or props.get("NAME") or "?"
        code = country_code(props)
        if code is None:
            skipped.append(f"{name} (ISO_A2={props.get('ISO_A2')}, ADM0_A3={props.get('ADM0_A3')})")
            continue
        if not rings:
            skipped.append(f"{name} ({code}: no polygon)")
            continue
        countries[code].extend(rings)
    return dict(countries), skipped


def densify(ring, max_km: float) -> list[tuple[float, float]]:
    """The ring's points with extra points on every segment longer than max_km, so that no
    piece is longer than max_km (bounded with the largest cos(lat) along the segment)."""
    out = [(float(ring[0][0]), float(ring[0][1]))]
    for p in ring[1:]:
        x0, y0 = out[-1]
        x1, y1 = float(p[0]), float(p[1])
        if y0 * y1 <= 0.0:
            cmax = 1.0
        else:
            cmax = math.cos(math.radians(min(abs(y0), abs(y1))))
        length = KM_PER_DEG * math.hypot(y1 - y0, (x1 - x0) * cmax)
        n = max(1, math.ceil(length / max_km))
        for i in range(1, n):
            t = i / n
            out.append((x0 + (x1 - x0) * t, y0 + (y1 - y0) * t))
        out.append((x1, y1))
    return out


def _wrap(dlon: float) -> float:
    return (dlon + 180.0) % 360.0 - 180.0


def point_segment_km(px, py, ax, ay, bx, by) -> float:
    """Distance (km) from point p to segment ab, all (lon, lat), in a local equirectangular
    projection centred on p (longitudes wrapped at the antimeridian)."""
    c = math.cos(math.radians(py)) * KM_PER_DEG
    ux, uy = _wrap(ax - px) * c, (ay - py) * KM_PER_DEG
    vx, vy = _wrap(bx - px) * c, (by - py) * KM_PER_DEG
    dx, dy = vx - ux, vy - uy
    norm = dx * dx + dy * dy
    t = 0.0 if norm == 0.0 else max(0.0, min(1.0, -(ux * dx + uy * dy) / norm))
    return math.hypot(ux + t * dx, uy + t * dy)


def neighbours(countries: dict[str, list], km: float = 2.0, cell: float = 0.05,
               max_seg_km: float = 2.0) -> dict[tuple[str, str], float]:
    """(a, b) with a < b -> smallest vertex-to-boundary distance found (km, <= km) for every
    pair of countries that comes within km of each other (0.0 when they touch)."""
    codes = sorted(countries)
    ncols = max(1, round(360.0 / cell))

    def cell_of(x, y):
        return math.floor((y + 90.0) / cell), math.floor((x + 180.0) / cell) % ncols

    # cell -> country index -> vertices / segments (segments bucketed by their midpoint).
    verts: dict[tuple[int, int], dict[int, list]] = defaultdict(lambda: defaultdict(list))
    segs: dict[tuple[int, int], dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for ci, code in enumerate(codes):
        for ring in countries[code]:
            pts = densify(ring, max_seg_km)
            for x, y in pts:
                verts[cell_of(x, y)][ci].append((x, y))
            for (ax, ay), (bx, by) in zip(pts, pts[1:]):
                segs[cell_of((ax + bx) / 2.0, (ay + by) / 2.0)][ci].append((ax, ay, bx, by))

    # A vertex within km of a segment of at most max_seg_km is within reach of its midpoint.
    reach = km + max_seg_km / 2.0
    ky = math.ceil(reach / KM_PER_DEG / cell)
    best: dict[tuple[int, int], float] = {}
    for (iy, ix) in sorted(verts):
        by_country = verts[(iy, ix)]
        lat_edge = max(abs(-90.0 + (iy - ky) * cell), abs(-90.0 + (iy + ky + 1) * cell))
        cos_min = math.cos(math.radians(min(lat_edge, 90.0)))
        if cos_min * KM_PER_DEG * cell * ncols / 2.0 <= reach:
            kx = ncols // 2
        else:
            kx = math.ceil(reach / (KM_PER_DEG * cos_min) / cell)
        cols = sorted({(ix + dx) % ncols for dx in range(-kx, kx + 1)})
        near: dict[int, list] = defaultdict(list)
        for jy in range(iy - ky, iy + ky + 1):
            for jx in cols:
                s = segs.get((jy, jx))
                if s:
                    for cj, lst in s.items():
                        near[cj].extend(lst)
        if not near or (len(near) == 1 and len(by_country) == 1 and set(near) == set(by_country)):
            continue
        for ci, pts in by_country.items():
            for cj, lst in near.items():
                if cj == ci:
                    continue
                key = (ci, cj) if ci < cj else (cj, ci)
                cur = best.get(key, math.inf)
                if cur == 0.0:
                    continue
                for px, py in pts:
                    for ax, ay, bx, by in lst:
                        d = point_segment_km(px, py, ax, ay, bx, by)
                        if d < cur:
                            cur = d
                            if d == 0.0:
                                break
                    if cur == 0.0:
                        break
                if cur <= km:
                    best[key] = cur
    return {(codes[a], codes[b]): d for (a, b), d in sorted(best.items())}


def write_csv(pairs, path: str) -> None:
    rows = sorted(tuple(sorted(p)) for p in pairs)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["a", "b"])
        w.writerows(rows)


def adjacency(pairs) -> dict[str, set[str]]:
    adj: dict[str, set[str]] = defaultdict(set)
    for a, b in pairs:
        adj[a].add(b)
        adj[b].add(a)
    return adj


def sanity_report(pairs, present) -> list[str]:
    """One line per CHECKS entry (OK / FAIL / SKIP when the country is absent)."""
    adj = adjacency(pairs)
    lines = []
    for code, kind, expect in CHECKS:
        got = adj.get(code, set())
        want = set(expect)
        if code not in present:
            status, detail = "SKIP", "not in the data"
        elif kind == "includes":
            missing = sorted(want - got)
            status, detail = ("OK" if not missing else "FAIL"), (f"missing {missing}" if missing else "")
        elif kind == "excludes":
            extra = sorted(want & got)
            status, detail = ("OK" if not extra else "FAIL"), (f"unexpected {extra}" if extra else "")
        else:
            status = "OK" if got == want else "FAIL"
            detail = "" if got == want else f"expected {sorted(want) or 'none'}"
        lines.append(f"{status:4} {code} {kind} {','.join(expect) or '(none)'}"
                     f" -> neighbours: {','.join(sorted(got)) or '(none)'}"
                     + (f"; {detail}" if detail else ""))
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", help="Natural Earth admin-0 countries GeoJSON (.geojson or .geojson.gz)")
    ap.add_argument("output", help="output CSV path (a,b)")
    ap.add_argument("--km", type=float, default=2.0, help="vertex-to-boundary tolerance, km")
    ap.add_argument("--max-seg-km", type=float, default=2.0, help="densify segments longer than this, km")
    ap.add_argument("--cell", type=float, default=0.05, help="grid cell size, degrees")
    args = ap.parse_args(argv)

    t0 = time.monotonic()
    countries, skipped = collect(load(args.source))
    found = neighbours(countries, args.km, args.cell, args.max_seg_km)
    write_csv(found, args.output)
    elapsed = time.monotonic() - t0

    for s in skipped:
        print(f"skipped: {s}")
    print(f"{args.output}: {len(countries)} countries, {len(found)} pairs ({elapsed:.1f} s)")
    gaps = [(a, b, d) for (a, b), d in found.items() if d > 0.0]
    if gaps:
        print(f"pairs within {args.km:g} km that do not touch ({len(gaps)}):")
        for a, b, d in sorted(gaps, key=lambda g: (-g[2], g[0], g[1])):
            print(f"  {a}-{b} {d:.2f} km")
    print("sanity checks:")
    for line in sanity_report(found, set(countries)):
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
