#!/usr/bin/env python3
"""Measure the positions of curated border posts on the OpenStreetMap road and rail graphs.

Reads the curated list of border posts ``data/places/border_crossings.csv`` (columns
``name,aliases,country,other_country,mode,approx_lat,approx_lon,note``; ``mode`` is ``road`` or
``rail``), Natural Earth admin-0 countries (the 1:50m file, optionally gzipped) and the scgraph
OpenStreetMap graphs (``<prefix>_nodes.csv.gz`` with ``id,lat,lon`` and ``<prefix>_edges.csv.gz``
with ``u,v,km``), and writes ``data/places/extra_places.csv`` with the columns
``code,name,aliases,country,lat,lon,functions,src,note``. Standard library only; deterministic
(same input, byte-identical output). From the repository root:

    python3 tools/derive_border_places.py

(every path has a default; see ``--help``).

Rule, for each post: the crossing edges are the edges of the graph of its mode that pass within
``--radius-km`` (40 km) of the approximate position and whose two end nodes lie in ``country``
and ``other_country`` respectively (point in polygon against the Natural Earth polygons). The
nearest one to the approximate position is taken (ties: the one whose own-side node is nearer,
then the smaller node ids), and the post's position is its node on the post's own side: the last
graph node before the border. The offset from the approximate position and the straight-line
distance from the node to where the edge crosses the Natural Earth border go into the note.

The graph is simplified: in remote areas a crossing is often one edge of 50 to 500 km (Beyneu
to Khojeyli), whose node says nothing about the post. So a crossing edge whose own-side node is
more than ``--max-border-km`` (25 km) from the border is skipped; the next crossing edge is
taken only when it is at most ``--same-km`` (5 km) farther from the approximate position than
the nearest crossing edge (parallel roads or tracks of one crossing), never a neighbouring
crossing. Without a
crossing edge (gaps in the graph, a border line of Natural Earth on the wrong side of both
nodes), with only long ones, or for the few posts of KEEP_APPROX (where the 1:50m border is
known to be several km off and the crossing edge found would be the wrong one) the approximate
position is kept and marked ``EST-POSITION``; the note says why.

Only nodes of edges near a post are tested against the polygons, and the polygons' segments
are bucketed in latitude bands, so a run takes a few seconds (mostly reading the graphs).

Codes: ``XB`` + country + a three-letter abbreviation of the name that is unique in the file
(``XBKGIRK`` for Irkeshtam); seven characters, so they can never be a UN/LOCODE. The
abbreviation is the name's first letter and two later letters (the first three letters when
free), assigned in the order of the input file: append new posts at the end to keep the
existing codes. ``functions`` is ``bd`` for road and ``br`` for rail (b border, d road, r
rail); ``src`` is ``OSM-ROAD-CROSSING`` / ``OSM-RAIL-CROSSING`` when measured, otherwise
``EST-POSITION``. Rows are sorted by code; lat/lon have five decimals.

The per-post table, the largest offsets, the estimated posts by reason, other crossings close to
the chosen one and the pairs of posts of one crossing that did not land on the same edge go to
stdout.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import math
import os
import sys
import time
import unicodedata
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import derive_land_borders as lb  # noqa: E402  (Natural Earth reading, country codes)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "data")

DEFAULTS = {
    "crossings": os.path.join(ROOT, "data", "places", "border_crossings.csv"),
    "countries": os.path.join(SHARED, "natural_earth", "ne_50m_admin_0_countries.geojson.gz"),
    "road": os.path.join(SHARED, "osm_road_scgraph", "world_highways_eurasia"),
    "rail": os.path.join(SHARED, "osm_rail_scgraph", "world_railways_eurasia"),
    "output": os.path.join(ROOT, "data", "places", "extra_places.csv"),
    "joins": os.path.join(ROOT, "data", "eurasia", "overlay", "joins.csv"),
}
# A hand-made join point this near a post's approximate position serves that post, km.
SERVED_KM = 10.0

INPUT_COLUMNS = ["name", "aliases", "country", "other_country", "mode", "approx_lat", "approx_lon", "note"]
OUTPUT_COLUMNS = ["code", "name", "aliases", "country", "lat", "lon", "functions", "src", "note"]
MODES = ("road", "rail")
FUNCTIONS = {"road": "bd", "rail": "br"}
SRC_MEASURED = {"road": "OSM-ROAD-CROSSING", "rail": "OSM-RAIL-CROSSING"}
SRC_ESTIMATED = "EST-POSITION"

EARTH_RADIUS_KM = lb.EARTH_RADIUS_KM
KM_PER_DEG = lb.KM_PER_DEG

# Letters that NFKD does not reduce to ASCII.
ASCII_FOLD = {"ı": "i", "ə": "e", "Ə": "E", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d",
              "Đ": "D", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ŋ": "n"}


# Posts whose approximate position is kept although the graph has the crossing: the border of
# Natural Earth 1:50m is several km off there, so the crossing edge cannot be told from the
# country polygons (checked by hand; see data/places/SOURCES.md). (country, name, mode) -> reason.
KEEP_APPROX = {
    ("AM", "Agarak", "road"): "Natural Earth 1:50m puts Meghri and Agarak on the Iranian side of "
                              "the Aras, so the bridge is not a crossing edge there",
    ("IR", "Norduz", "road"): "Natural Earth 1:50m puts Meghri and Agarak on the Iranian side of "
                              "the Aras, so the bridge is not a crossing edge there",
    ("EE", "Narva", "road"): "Natural Earth 1:50m puts the town of Narva in Russia, so the bridge "
                             "is not a crossing edge there",
    ("RU", "Ivangorod", "road"): "Natural Earth 1:50m puts the town of Narva in Russia, so the "
                                 "bridge is not a crossing edge there",
    ("GE", "Tsiteli Khidi", "road"): "the road graph's last Georgian node before the Red Bridge is "
                                      "the Marneuli junction 19.5 km inland, which is also "
                                      "Sadakhlo's node; the post is across the bridge from the "
                                      "measured Azerbaijani post",
    ("TR", "Kapıköy", "rail"): "Natural Earth 1:50m puts Kapıköy station in Iran, so the crossing "
                               "edge there is the wrong one",
    ("IR", "Razi", "rail"): "Natural Earth 1:50m puts Kapıköy station in Iran, so the crossing "
                            "edge there is the wrong one",
}


class InputError(Exception):
    pass


def haversine_km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (math.sin((p2 - p1) / 2.0) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2.0) ** 2)
    return 2.0 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


# --- input -----------------------------------------------------------------------------------

def read_posts(path: str) -> list[dict]:
    """The curated posts, validated, in file order (lat/lon as floats)."""
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != INPUT_COLUMNS:
            raise InputError(f"{path}: columns must be {','.join(INPUT_COLUMNS)}, got {reader.fieldnames}")
        posts, seen = [], set()
        for line, row in enumerate(reader, start=2):
            where = f"{path}:{line}"
            if None in row or any(v is None for v in row.values()):
                raise InputError(f"{where}: wrong number of fields")
            name = row["name"].strip()
            country, other = row["country"].strip(), row["other_country"].strip()
            mode = row["mode"].strip()
            if not name:
                raise InputError(f"{where}: empty name")
            for code in (country, other):
                if len(code) != 2 or not code.isascii() or not code.isalpha() or not code.isupper():
                    raise InputError(f"{where}: bad country code {code!r}")
            if country == other:
                raise InputError(f"{where}: country and other_country are both {country}")
            if mode not in MODES:
                raise InputError(f"{where}: mode must be road or rail, got {mode!r}")
            try:
                lat, lon = float(row["approx_lat"]), float(row["approx_lon"])
            except ValueError:
                raise InputError(f"{where}: approx_lat/approx_lon must be numbers") from None
            if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
                raise InputError(f"{where}: position out of range")
            key = (name.casefold(), country, mode)
            if key in seen:
                raise InputError(f"{where}: duplicate post {name} ({country}, {mode})")
            seen.add(key)
            aliases = "|".join(a.strip() for a in row["aliases"].split("|") if a.strip())
            posts.append({"name": name, "aliases": aliases, "country": country, "other": other,
                          "mode": mode, "lat": lat, "lon": lon, "note": row["note"].strip()})
    return posts


def ascii_letters(name: str) -> str:
    """The name's letters, folded to upper-case ASCII (diacritics dropped)."""
    folded = "".join(ASCII_FOLD.get(ch, ch) for ch in name)
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(ch for ch in decomposed if "A" <= ch.upper() <= "Z" and ch.isascii()).upper()


def abbreviation_candidates(name: str):
    """Three-letter abbreviations of a name, best first: the first letter and two later letters
    in order (the first three letters first), then the first letter and any two letters."""
    letters = ascii_letters(name) or "X"
    letters = letters + "X" * max(0, 3 - len(letters))
    first = letters[0]
    seen = set()
    for i in range(1, len(letters)):
        for j in range(i + 1, len(letters)):
            cand = first + letters[i] + letters[j]
            if cand not in seen:
                seen.add(cand)
                yield cand
    for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
            cand = first + a + b
            if cand not in seen:
                seen.add(cand)
                yield cand


def assign_codes(posts: list[dict]) -> list[str]:
    """One code per post (XB + country + abbreviation unique in the file), in file order."""
    used, codes = set(), []
    for p in posts:
        for abbr in abbreviation_candidates(p["name"]):
            if abbr not in used:
                used.add(abbr)
                codes.append("XB" + p["country"] + abbr)
                break
        else:  # pragma: no cover - 26*26 abbreviations per first letter
            raise InputError(f"no free abbreviation for {p['name']}")
    return codes


# --- countries -------------------------------------------------------------------------------

class CountryShape:
    """Point in polygon (even-odd over all rings, so holes and islands count) with the ring
    segments bucketed in latitude bands: a point is tested only against the segments of its
    band."""

    def __init__(self, rings, band: float = 0.1):
        self.band = band
        self.bands: dict[int, list] = defaultdict(list)
        xs, ys = [], []
        for ring in rings:
            pts = [(float(p[0]), float(p[1])) for p in ring]
            if len(pts) < 2:
                continue
            if pts[0] != pts[-1]:
                pts.append(pts[0])
            for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
                xs += (x0, x1)
                ys += (y0, y1)
                if y0 == y1:
                    continue  # a horizontal segment never changes the crossing count
                lo, hi = min(y0, y1), max(y0, y1)
                for b in range(math.floor(lo / band), math.floor(hi / band) + 1):
                    self.bands[b].append((x0, y0, x1, y1))
        self.bbox = (min(xs), min(ys), max(xs), max(ys)) if xs else (0.0, 0.0, -1.0, -1.0)

    def contains(self, lon: float, lat: float) -> bool:
        x0, y0, x1, y1 = self.bbox
        if not (x0 <= lon <= x1 and y0 <= lat <= y1):
            return False
        inside = False
        for ax, ay, bx, by in self.bands.get(math.floor(lat / self.band), ()):
            if (ay > lat) != (by > lat):
                if ax + (lat - ay) * (bx - ax) / (by - ay) > lon:
                    inside = not inside
        return inside


def load_countries(path: str) -> dict[str, list]:
    countries, _skipped = lb.collect(lb.load(path))
    return countries


# --- graphs ----------------------------------------------------------------------------------

def _open_text(path: str):
    return gzip.open(path, "rt", encoding="utf-8", newline="") if path.endswith(".gz") else \
        open(path, encoding="utf-8", newline="")


def graph_paths(prefix: str) -> tuple[str, str]:
    """The nodes and edges files of an scgraph prefix (``..._nodes.csv.gz`` or ``.csv``)."""
    out = []
    for kind in ("nodes", "edges"):
        gz, plain = f"{prefix}_{kind}.csv.gz", f"{prefix}_{kind}.csv"
        out.append(gz if os.path.exists(gz) or not os.path.exists(plain) else plain)
    return out[0], out[1]


def read_nodes(path: str) -> dict[int, tuple[float, float]]:
    nodes = {}
    with _open_text(path) as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header != ["id", "lat", "lon"]:
            raise InputError(f"{path}: header must be id,lat,lon, got {header}")
        for row in reader:
            nodes[int(row[0])] = (float(row[1]), float(row[2]))
    return nodes


def iter_edges(path: str):
    with _open_text(path) as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header != ["u", "v", "km"]:
            raise InputError(f"{path}: header must be u,v,km, got {header}")
        for row in reader:
            yield int(row[0]), int(row[1]), float(row[2])


def near_edges(posts: list[int], plist: list[dict], nodes, edges, radius_km: float,
               margin_km: float = 50.0, cell: float = 0.5, lengths: dict | None = None) -> dict[int, list]:
    """post index -> [(distance km, u, v)] for the edges passing within radius_km of the post's
    approximate position. Edges whose two ends are close together are looked up through a grid
    of cells around the posts; edges longer than margin_km are checked against every post.
    ``lengths``, when given, receives the graph length (km) of every edge found, by (u, v)."""
    reach = radius_km + margin_km
    grid: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i in posts:
        p = plist[i]
        dlat = reach / KM_PER_DEG
        coslat = max(0.01, math.cos(math.radians(min(89.0, abs(p["lat"]) + dlat))))
        dlon = min(180.0, reach / (KM_PER_DEG * coslat))
        for iy in range(math.floor((p["lat"] - dlat) / cell), math.floor((p["lat"] + dlat) / cell) + 1):
            for ix in range(math.floor((p["lon"] - dlon) / cell), math.floor((p["lon"] + dlon) / cell) + 1):
                grid[(iy, ix)].append(i)
    found: dict[int, list] = {i: [] for i in posts}
    long_deg = margin_km / KM_PER_DEG
    for u, v, km in edges:
        a, b = nodes.get(u), nodes.get(v)
        if a is None or b is None:
            continue
        if abs(a[0] - b[0]) + abs(a[1] - b[1]) > long_deg:
            cands = posts
        else:
            ca = grid.get((math.floor(a[0] / cell), math.floor(a[1] / cell)))
            cb = grid.get((math.floor(b[0] / cell), math.floor(b[1] / cell)))
            if not ca and not cb:
                continue
            cands = sorted(set(ca or ()) | set(cb or ()))
        for i in cands:
            p = plist[i]
            d = lb.point_segment_km(p["lon"], p["lat"], a[1], a[0], b[1], b[0])
            if d <= radius_km:
                found[i].append((d, min(u, v), max(u, v)))
                if lengths is not None:
                    lengths[(min(u, v), max(u, v))] = km
    for lst in found.values():
        lst.sort()
    return found


# --- measuring -------------------------------------------------------------------------------

def border_point(shape: CountryShape, inside, outside, steps: int = 30) -> tuple[float, float]:
    """Where the straight line from ``inside`` (lat, lon, in shape) to ``outside`` leaves the
    shape (bisection; the first crossing found, good enough for a report)."""
    lo, hi = 0.0, 1.0
    for _ in range(steps):
        mid = (lo + hi) / 2.0
        lat = inside[0] + (outside[0] - inside[0]) * mid
        lon = inside[1] + (outside[1] - inside[1]) * mid
        if shape.contains(lon, lat):
            lo = mid
        else:
            hi = mid
    t = (lo + hi) / 2.0
    return inside[0] + (outside[0] - inside[0]) * t, inside[1] + (outside[1] - inside[1]) * t


def measure(plist: list[dict], shapes: dict[str, CountryShape], graphs: dict, radius_km: float,
            max_border_km: float = 25.0, same_km: float = 5.0, alt_km: float = 5.0,
            keep_approx: dict | None = None) -> list[dict]:
    """One result per post (same order as plist).

    graphs: mode -> (nodes, factory returning an iterable of edges (u, v, km)). Crossing edges
    are the edges within radius_km whose ends lie in the post's country and in other_country;
    they are ranked by distance to the approximate position, then by the distance of their
    own-side node to it, then by node ids. The nearest one whose own-side node is within
    max_border_km of the Natural Earth border (along the edge) is taken, unless a crossing edge
    more than same_km nearer was skipped for that (the crossing is one long edge of the graph:
    the next one would be another crossing).

    A result has: status (``measured``, ``none``: no crossing edge, ``long``: only long edges,
    ``kept``: the post is in keep_approx), lat, lon, and when measured offset_km (approximate ->
    node), border_km (node -> border), edge (u, v, distance km), node, alt (distance of the
    nearest other crossing edge whose own-side node is more than alt_km from the chosen one,
    and the distance between the two nodes; or None). For ``long``: nearest (distance km,
    border km of its node)."""
    keep_approx = keep_approx or {}
    results: list[dict] = [None] * len(plist)  # type: ignore[list-item]
    for mode in MODES:
        idx = [i for i, p in enumerate(plist) if p["mode"] == mode]
        if not idx:
            continue
        nodes, edges_factory = graphs[mode]
        lengths: dict = {}
        found = near_edges(idx, plist, nodes, edges_factory(), radius_km, lengths=lengths)
        memo: dict[tuple[int, str], bool] = {}

        def inside(node: int, code: str) -> bool:
            key = (node, code)
            if key not in memo:
                lat, lon = nodes[node]
                memo[key] = shapes[code].contains(lon, lat)
            return memo[key]

        for i in idx:
            p = plist[i]
            own, other = p["country"], p["other"]
            if keep_key(p) in keep_approx:
                results[i] = {"status": "kept", "lat": p["lat"], "lon": p["lon"],
                              "reason": keep_approx[keep_key(p)]}
                continue
            crossings = []
            for d, u, v in found[i]:
                for mine, theirs in ((u, v), (v, u)):
                    if inside(mine, own) and inside(theirs, other) and not inside(mine, other):
                        n = nodes[mine]
                        crossings.append((d, haversine_km(p["lat"], p["lon"], n[0], n[1]), u, v, mine, theirs))
                        break
            crossings.sort()
            res: dict = {"status": "none", "lat": p["lat"], "lon": p["lon"]}
            chosen = None
            for c in crossings:
                n_own, n_other = nodes[c[4]], nodes[c[5]]
                blat, blon = border_point(shapes[own], n_own, n_other)
                bkm = haversine_km(n_own[0], n_own[1], blat, blon)
                if bkm <= max_border_km:
                    if c[0] - crossings[0][0] <= same_km:
                        chosen = (c, bkm)
                    break
                if "nearest" not in res:
                    res["nearest"] = (c[0], bkm)
            if chosen is not None:
                (d, off, u, v, mine, _theirs), bkm = chosen
                lat, lon = nodes[mine]
                res = {"status": "measured", "lat": lat, "lon": lon, "edge": (u, v, d), "node": mine,
                       "offset_km": off, "border_km": bkm, "alt": None, "edge_km": lengths.get((u, v))}
                for c in crossings:
                    n2 = nodes[c[4]]
                    gap = haversine_km(lat, lon, n2[0], n2[1])
                    if gap > alt_km:
                        res["alt"] = (c[0], gap)
                        break
            elif crossings:
                res["status"] = "long"
                res.setdefault("nearest", (crossings[0][0], math.inf))
            results[i] = res
    return results


SPLIT_SRC = "EST-POST-SPLIT"
# How far past the border (along the edge) a split puts the unmeasured post, km.
SPLIT_PAST_KM = 0.5


def measure_partners(plist: list[dict], results: list[dict], shapes: dict, graphs: dict,
                     served=lambda p: False, km: float = 25.0) -> list[dict]:
    """Posts of a crossing pair (crossing_pairs) whose partner was measured and they were not.
    The major-road graph draws most such crossings as one long edge (44–104 km) whose far node
    lies deep in the unmeasured post's country, so the post keeps an approximate position that
    can be kilometres off its road and join the network somewhere else (Fotehobod, 24 km north
    of Oybek, made Karachi–Tashkent zigzag UZ -> TJ -> UZ). Such a post is put on its partner's
    crossing edge, SPLIT_PAST_KM past the Natural Earth border, and a join of the edge through
    that point (the edge's own length) gives it a vertex of its own: one vertex per side, as the
    hand-made joins of Khunjerab and Irkeshtam do. Posts that a hand-made join already serves
    (``served``) and posts kept approximate are left alone. Returns the joins, as dicts of
    overlay/joins.csv columns."""
    joins = []
    for i, j in crossing_pairs(plist, km):
        ri, rj = results[i], results[j]
        if (ri["status"] == "measured") == (rj["status"] == "measured"):
            continue
        m, o = (i, j) if ri["status"] == "measured" else (j, i)
        if results[o]["status"] == "kept" or plist[o]["mode"] != plist[m]["mode"] or served(plist[o]):
            continue
        nodes = graphs[plist[m]["mode"]][0]
        u, v, _d = results[m]["edge"]
        mine = results[m]["node"]
        theirs = v if mine == u else u
        own = plist[o]["country"]
        n_theirs, n_mine = nodes[theirs], nodes[mine]
        if not shapes[own].contains(n_theirs[1], n_theirs[0]):
            continue
        blat, blon = border_point(shapes[own], n_theirs, n_mine)
        edge_gc = haversine_km(n_mine[0], n_mine[1], n_theirs[0], n_theirs[1])
        from_mine = haversine_km(n_mine[0], n_mine[1], blat, blon) + SPLIT_PAST_KM
        if edge_gc <= 0.0 or from_mine >= edge_gc:
            continue
        t = from_mine / edge_gc
        plat = n_mine[0] + (n_theirs[0] - n_mine[0]) * t
        plon = n_mine[1] + (n_theirs[1] - n_mine[1]) * t
        if not shapes[own].contains(plon, plat):
            continue
        p = plist[o]
        results[o] = {"status": "measured", "lat": plat, "lon": plon, "edge": results[m]["edge"], "node": None,
                      "offset_km": haversine_km(p["lat"], p["lon"], plat, plon), "border_km": SPLIT_PAST_KM,
                      "alt": None, "partner": plist[m]["name"]}
        edge_km = results[m].get("edge_km")
        joins.append({
            "mode": p["mode"],
            "lat_a": f"{n_mine[0]:.5f}", "lon_a": f"{n_mine[1]:.5f}",
            "lat_b": f"{n_theirs[0]:.5f}", "lon_b": f"{n_theirs[1]:.5f}",
            "via": f"{plat:.5f} {plon:.5f}",
            "km": f"{edge_km:.3f}" if edge_km else "",
            "src": f"OSM-{p['mode'].upper()}|{SPLIT_SRC}",
            "note": (f"{p['name']} ({own}) on the crossing edge of {plist[m]['name']} ({plist[m]['country']}), "
                     f"{SPLIT_PAST_KM} km past the border: the OSM {p['mode']} graph draws the crossing as one "
                     f"{edge_gc:.0f} km edge, so the split gives each post a vertex of its own; the join "
                     f"follows the same edge with its own length (written by tools/derive_border_places.py)"),
            "end_b": "",
        })
    return joins


JOIN_COLUMNS = ["mode", "lat_a", "lon_a", "lat_b", "lon_b", "via", "km", "src", "note", "end_b"]


# The note of every split this tool writes ends with this; a split row without it was made or
# reworded by hand (Posin on Zilupe's edge) and is kept like any hand-made join.
SPLIT_SIGNATURE = "(written by tools/derive_border_places.py)"


def read_hand_joins(path: str) -> list[dict]:
    """The rows of overlay/joins.csv that were made by hand (all but this tool's own splits)."""
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8", newline="") as f:
        return [r for r in csv.DictReader(f) if not is_tool_split(r)]


def is_tool_split(row: dict) -> bool:
    """Whether a joins row is a split this tool wrote (and rewrites on every run)."""
    return SPLIT_SRC in row.get("src", "") and row.get("note", "").endswith(SPLIT_SIGNATURE)


def join_points(row: dict) -> list[tuple[float, float]]:
    """The new points of a join (its via points, and its far end when that is new)."""
    pts = []
    for part in row.get("via", "").split("|"):
        if part.strip():
            la, lo = part.split()
            pts.append((float(la), float(lo)))
    if row.get("end_b") == "new":
        pts.append((float(row["lat_b"]), float(row["lon_b"])))
    return pts


def write_joins(hand: list[dict], splits: list[dict], path: str) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=JOIN_COLUMNS, lineterminator="\n")
        w.writeheader()
        for r in hand + splits:
            w.writerow({k: r.get(k, "") for k in JOIN_COLUMNS})


def keep_key(p: dict) -> tuple[str, str, str]:
    return (p["country"], p["name"], p["mode"])


def out_note(p: dict, r: dict, radius_km: float) -> str:
    base = p["note"]
    status = r["status"]
    if status == "measured":
        extra = (f"measured {r['offset_km']:.1f} km from the approximate position, "
                 f"{r['border_km']:.1f} km from the border")
        if r.get("partner"):
            extra = (f"on the crossing edge of {r['partner']}, {r['border_km']:.1f} km past the border "
                     f"({r['offset_km']:.1f} km from the approximate position; a split of the edge, "
                     f"overlay/joins.csv)")
    elif status == "kept":
        extra = f"approximate position: {r['reason']}"
    elif status == "long":
        d, bkm = r["nearest"]
        extra = (f"approximate position: the nearest OSM {p['mode']} crossing edge ({d:.1f} km away) "
                 f"is a long edge whose {p['country']} node is {bkm:.0f} km from the border")
    else:
        extra = f"approximate position: no OSM {p['mode']} crossing edge within {radius_km:g} km"
    return f"{base}; {extra}" if base else extra


def build_rows(plist, codes, results, radius_km: float) -> list[list[str]]:
    rows = []
    for p, code, r in zip(plist, codes, results):
        src = SRC_MEASURED[p["mode"]] if r["status"] == "measured" else SRC_ESTIMATED
        rows.append([code, p["name"], p["aliases"], p["country"], f"{r['lat']:.5f}", f"{r['lon']:.5f}",
                     FUNCTIONS[p["mode"]], src, out_note(p, r, radius_km)])
    rows.sort(key=lambda row: row[0])
    return rows


HAND_PLACED = "EST-POSITION-APPROX"


def hand_placed(path: str, generated_codes) -> list[list[str]]:
    """Rows of an existing output that were placed by hand (``src`` = EST-POSITION-APPROX:
    stations the overlay needs that are not border posts of the input, such as Rozanak or
    Gudogai), kept in their order after the generated rows; a code the run generates wins."""
    try:
        with open(path, encoding="utf-8", newline="") as f:
            r = csv.reader(f)
            header = next(r, None)
            if header != OUTPUT_COLUMNS:
                return []
            src = OUTPUT_COLUMNS.index("src")
            return [row for row in r if len(row) == len(OUTPUT_COLUMNS) and row[src] == HAND_PLACED
                    and row[0] not in generated_codes]
    except FileNotFoundError:
        return []


def write_rows(rows, path: str) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(OUTPUT_COLUMNS)
        w.writerows(rows)


def crossing_pairs(plist, km: float = 25.0) -> list[tuple[int, int]]:
    """The two posts of one crossing: same mode, countries swapped, each the other's nearest such
    post, approximate positions at most km apart."""
    def nearest(i):
        a, best = plist[i], None
        for j, b in enumerate(plist):
            if j != i and b["mode"] == a["mode"] and b["country"] == a["other"] and b["other"] == a["country"]:
                d = haversine_km(a["lat"], a["lon"], b["lat"], b["lon"])
                if d <= km and (best is None or (d, j) < best):
                    best = (d, j)
        return None if best is None else best[1]

    near = [nearest(i) for i in range(len(plist))]
    return [(i, j) for i, j in enumerate(near) if j is not None and i < j and near[j] == i]


def pair_mismatches(plist, results, km: float = 25.0) -> list[str]:
    """The pairs of posts of one crossing (crossing_pairs) that were not measured on one edge."""
    out = []
    for i, j in crossing_pairs(plist, km):
        a, b, ra, rb = plist[i], plist[j], results[i], results[j]
        ma, mb = ra["status"] == "measured", rb["status"] == "measured"
        if ma and mb:
            if ra["edge"][:2] != rb["edge"][:2]:
                gap = haversine_km(ra["lat"], ra["lon"], rb["lat"], rb["lon"])
                out.append(f"{a['name']} / {b['name']} ({a['mode']}): different edges, "
                           f"measured positions {gap:.1f} km apart")
        elif ma or mb:
            out.append(f"{a['name']} / {b['name']} ({a['mode']}): only {(a if ma else b)['name']} measured")
    return out


def report(plist, codes, results, args, elapsed: float) -> None:
    n_meas = sum(1 for r in results if r["status"] == "measured")
    order = sorted(range(len(plist)), key=lambda i: codes[i])
    print(f"{'code':9} {'mode':4} {'name':22} {'status':8} {'offset':>7} {'border':>7} {'alt':>11}")
    for i in order:
        p, r = plist[i], results[i]
        if r["status"] == "measured":
            alt = f"{r['alt'][0]:.1f}/{r['alt'][1]:.1f}" if r["alt"] else "-"
            cols = f"{r['offset_km']:6.1f}k {r['border_km']:6.1f}k {alt:>11}"
        elif r["status"] == "long":
            d, bkm = r["nearest"]
            cols = f"{'-':>7} {bkm:6.0f}k {'':>11}  (nearest crossing edge {d:.1f} km away)"
        else:
            cols = f"{'-':>7} {'-':>7} {'':>11}"
        print(f"{codes[i]:9} {p['mode']:4} {p['name'][:22]:22} {r['status']:8} {cols}")
    print("(offset: approximate position -> measured node; border: node -> Natural Earth border along"
          " the edge; alt: distance from the approximate position of the nearest other crossing edge"
          " whose own-side node is more than 5 km away / distance between the two nodes)")
    print(f"{args.output}: {len(plist)} posts, {n_meas} measured, {len(plist) - n_meas} estimated"
          f" ({elapsed:.1f} s)")
    meas = sorted((i for i in range(len(plist)) if results[i]["status"] == "measured"),
                  key=lambda i: (-results[i]["offset_km"], codes[i]))
    print(f"largest offsets (top {args.top}):")
    for i in meas[:args.top]:
        print(f"  {codes[i]} {plist[i]['name']} ({plist[i]['mode']}): {results[i]['offset_km']:.1f} km")
    for status, title in (("none", f"no crossing edge within {args.radius_km:g} km"),
                          ("long", f"only long crossing edges (node > {args.max_border_km:g} km from the border)"),
                          ("kept", "approximate position kept (KEEP_APPROX)")):
        names = [f"{codes[i]} {plist[i]['name']}" for i in order if results[i]["status"] == status]
        if names:
            print(f"estimated, {title}: {', '.join(names)}")
    stale = sorted(set(KEEP_APPROX) - {keep_key(p) for p in plist})
    if stale:
        print("KEEP_APPROX entries that match no post: " + ", ".join("/".join(k) for k in stale))
    mism = pair_mismatches(plist, results)
    if mism:
        print("pairs not on the same edge:")
        for line in mism:
            print("  " + line)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--crossings", default=DEFAULTS["crossings"], help="curated border posts CSV")
    ap.add_argument("--countries", default=DEFAULTS["countries"],
                    help="Natural Earth admin-0 countries GeoJSON (.geojson or .geojson.gz)")
    ap.add_argument("--road", default=DEFAULTS["road"], help="road graph prefix (<prefix>_nodes.csv.gz, _edges)")
    ap.add_argument("--rail", default=DEFAULTS["rail"], help="rail graph prefix")
    ap.add_argument("--output", default=DEFAULTS["output"], help="output CSV (extra places)")
    ap.add_argument("--radius-km", type=float, default=40.0,
                    help="search radius around the approximate position, km")
    ap.add_argument("--max-border-km", type=float, default=25.0,
                    help="largest distance from the own-side node to the border along the edge, km")
    ap.add_argument("--same-km", type=float, default=5.0,
                    help="a crossing edge this much farther than a skipped long one is another crossing, km")
    ap.add_argument("--top", type=int, default=15, help="how many of the largest offsets to list")
    ap.add_argument("--joins", default=DEFAULTS["joins"],
                    help="the overlay's joins CSV: its hand-made rows are kept, the edge splits rewritten")
    args = ap.parse_args(argv)

    t0 = time.monotonic()
    try:
        plist = read_posts(args.crossings)
        codes = assign_codes(plist)
        countries = load_countries(args.countries)
        needed = sorted({p["country"] for p in plist} | {p["other"] for p in plist})
        missing = [c for c in needed if c not in countries]
        if missing:
            raise InputError(f"countries not in {args.countries}: {', '.join(missing)}")
        shapes = {c: CountryShape(countries[c]) for c in needed}
        graphs = {}
        for mode in MODES:
            if any(p["mode"] == mode for p in plist):
                npath, epath = graph_paths(getattr(args, mode))
                graphs[mode] = (read_nodes(npath), lambda epath=epath: iter_edges(epath))
        results = measure(plist, shapes, graphs, args.radius_km, args.max_border_km, args.same_km,
                          keep_approx=KEEP_APPROX)
        hand = read_hand_joins(args.joins)

        def served(p: dict) -> bool:
            # A hand-made join passes within snapping reach of the post: it has its vertex.
            return any(haversine_km(p["lat"], p["lon"], la, lo) <= SERVED_KM
                       for r in hand if r["mode"] == p["mode"] for la, lo in join_points(r))

        splits = measure_partners(plist, results, shapes, graphs, served)
    except (InputError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    rows = build_rows(plist, codes, results, args.radius_km)
    rows += hand_placed(args.output, {r[0] for r in rows})
    write_rows(rows, args.output)
    write_joins(hand, splits, args.joins)
    report(plist, codes, results, args, time.monotonic() - t0)
    if splits:
        print(f"{args.joins}: {len(splits)} crossing edges split for the post of the other side:")
        for r in splits:
            print("  " + r["note"].split(":")[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
