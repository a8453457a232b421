#!/usr/bin/env python3
"""Derive link distances and geometries for a corridor dataset from real network data.

For every link in ``links.csv`` whose ``km_src`` is ``OSM-RAIL``, ``OSM-ROAD`` or
``SEAROUTE`` this script snaps both end locations onto the matching network (OpenStreetMap
railway graph, OpenStreetMap major-road graph, searoute maritime network), computes the
shortest path and writes its length into the ``km`` cell, and its simplified geometry into
``geometry.csv`` (Google encoded polyline, precision 5, lat/lon order, from->to).

A link is NOT measured (the curated km is kept and the reason reported) when:
  * an end cannot be snapped within the maximum snap distance onto a component of at least
    ``--min-component`` nodes,
  * the two ends snap into different components (also after trying the k nearest
    components of each end),
  * the path is more than ``--max-ratio`` times the great-circle distance (a detour,
    typically through another country, or a missing piece of network),
  * the path is less than ``--min-ratio`` times the great-circle distance (a short link
    whose length the snapping swallowed),
  * a sea path uses an inland waterway (the Volga-Don canal links the Caspian to the Black
    Sea in the searoute network but is not usable by ocean ships).

Rail components joined by a gap of at most ``--heal-km`` (a digitisation break) are
connected by a connector edge before measuring. The searoute "northwest" (Arctic) passage is
left out, as in searoute's defaults. It also prints a gap report for the rail graph: components, which dataset locations fall
into which component, and, for every pair of components that a dataset rail link needs to
join, the closest pair of nodes between them (a suggested join).

Standard library only. Usage (from the repository root):

    python3 tools/derive_network.py                  # dry run, writes to /tmp/derive_out
    python3 tools/derive_network.py --in-place       # rewrites data/eurasia/links.csv (km
                                                     # cells only) and geometry.csv

Output is deterministic: the same inputs give byte-identical files.
"""

import argparse
import csv
import gzip
import heapq
import io
import json
import math
import os
import sys
import time

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEG = math.pi * EARTH_RADIUS_KM / 180.0

RAIL_PLATFORMS = ("rail1435", "rail1520")

# Network definitions: km_src -> files (relative to --shared) and kind.
NETWORKS = {
    "OSM-RAIL": {
        "name": "rail",
        "kind": "scgraph",
        "prefix": "osm_rail_scgraph/world_railways_eurasia",
    },
    "OSM-ROAD": {
        "name": "road",
        "kind": "scgraph",
        "prefix": "osm_road_scgraph/world_highways_eurasia",
    },
    "SEAROUTE": {
        "name": "sea",
        "kind": "geojson",
        "path": "searoute/marnet_searoute.geojson",
    },
}

# Inland waterways of the searoute network that ocean-going container ships cannot use.
# (name, lat_min, lat_max, lon_min, lon_max). The Volga from Astrakhan's approaches up to
# Volgograd, the Volga-Don canal and the lower Don down to Rostov.
INLAND_BOXES = [
    ("Volga-Don inland waterway", 46.5, 50.5, 39.75, 47.5),
]


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------
# Geometry helpers
# ---------------------------------------------------------------------------------------


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km between two WGS84 points (spherical earth)."""
    p1 = math.radians(lat1)
    p2 = math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2.0) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2.0) ** 2
    return 2.0 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _round_half_up(x):
    return int(math.floor(x + 0.5))


def encode_polyline(points, precision=5):
    """Google encoded polyline of [(lat, lon), ...]."""
    factor = 10 ** precision
    out = []
    prev_lat = 0
    prev_lon = 0
    for lat, lon in points:
        ilat = _round_half_up(lat * factor)
        ilon = _round_half_up(lon * factor)
        for delta in (ilat - prev_lat, ilon - prev_lon):
            v = ~(delta << 1) if delta < 0 else (delta << 1)
            while v >= 0x20:
                out.append(chr((0x20 | (v & 0x1F)) + 63))
                v >>= 5
            out.append(chr(v + 63))
        prev_lat = ilat
        prev_lon = ilon
    return "".join(out)


def decode_polyline(s, precision=5):
    """Inverse of encode_polyline (used by the tests and for checks)."""
    factor = float(10 ** precision)
    coords = []
    i = 0
    lat = 0
    lon = 0
    while i < len(s):
        vals = []
        for _ in range(2):
            shift = 0
            result = 0
            while True:
                b = ord(s[i]) - 63
                i += 1
                result |= (b & 0x1F) << shift
                shift += 5
                if b < 0x20:
                    break
            vals.append(~(result >> 1) if result & 1 else (result >> 1))
        lat += vals[0]
        lon += vals[1]
        coords.append((lat / factor, lon / factor))
    return coords


def douglas_peucker(points, tolerance_km=1.0):
    """Simplify [(lat, lon), ...] with Douglas-Peucker in a local equirectangular
    projection (km), centred on the mean latitude of the points. Iterative; keeps the
    first and last point; deterministic."""
    n = len(points)
    if n <= 2:
        return list(points)
    lat0 = sum(p[0] for p in points) / n
    kx = KM_PER_DEG * math.cos(math.radians(lat0))
    ky = KM_PER_DEG
    xs = [p[1] * kx for p in points]
    ys = [p[0] * ky for p in points]
    keep = [False] * n
    keep[0] = keep[n - 1] = True
    stack = [(0, n - 1)]
    tol2 = tolerance_km * tolerance_km
    while stack:
        a, b = stack.pop()
        if b <= a + 1:
            continue
        ax, ay, bx, by = xs[a], ys[a], xs[b], ys[b]
        dx = bx - ax
        dy = by - ay
        seg2 = dx * dx + dy * dy
        best = -1.0
        best_i = -1
        for i in range(a + 1, b):
            px = xs[i] - ax
            py = ys[i] - ay
            if seg2 > 0.0:
                t = (px * dx + py * dy) / seg2
                if t < 0.0:
                    t = 0.0
                elif t > 1.0:
                    t = 1.0
                ex = px - t * dx
                ey = py - t * dy
            else:
                ex, ey = px, py
            d2 = ex * ex + ey * ey
            if d2 > best:
                best = d2
                best_i = i
        if best > tol2:
            keep[best_i] = True
            stack.append((best_i, b))
            stack.append((a, best_i))
    return [points[i] for i in range(n) if keep[i]]


# ---------------------------------------------------------------------------------------
# Graph with spatial index
# ---------------------------------------------------------------------------------------


class Network:
    """Undirected weighted graph with node coordinates, components and a grid index."""

    def __init__(self, name, lats, lons, edges, cell_deg=0.2):
        self.name = name
        self.lat = lats
        self.lon = lons
        n = len(lats)
        self.n = n
        adj = [[] for _ in range(n)]
        for u, v, w in edges:
            adj[u].append((v, w))
            adj[v].append((u, w))
        # Deterministic neighbour order.
        for a in adj:
            a.sort()
        self.adj = adj
        self.n_edges = len(edges)
        self._components()
        self.cell = cell_deg
        grid = {}
        for i in range(n):
            key = (int(math.floor(lats[i] / cell_deg)), int(math.floor(lons[i] / cell_deg)))
            grid.setdefault(key, []).append(i)
        self.grid = grid

    def _components(self):
        n = self.n
        label = [-1] * n
        comps = []
        for s in range(n):
            if label[s] != -1:
                continue
            label[s] = len(comps)
            members = [s]
            stack = [s]
            while stack:
                u = stack.pop()
                for v, _ in self.adj[u]:
                    if label[v] == -1:
                        label[v] = label[s]
                        members.append(v)
                        stack.append(v)
            comps.append(members)
        # Renumber: largest first, ties by smallest node index -> deterministic ids.
        order = sorted(range(len(comps)), key=lambda c: (-len(comps[c]), min(comps[c])))
        remap = [0] * len(comps)
        for new, old in enumerate(order):
            remap[old] = new
        self.comp = [remap[c] for c in label]
        self.comp_size = [len(comps[old]) for old in order]
        self.comp_members = [sorted(comps[old]) for old in order]

    def within(self, lat, lon, radius_km):
        """All nodes within radius_km of (lat, lon): sorted list of (dist_km, node)."""
        dlat = radius_km / KM_PER_DEG
        maxlat = min(89.9, abs(lat) + dlat)
        dlon = radius_km / (KM_PER_DEG * max(0.01, math.cos(math.radians(maxlat))))
        c = self.cell
        r0 = int(math.floor((lat - dlat) / c))
        r1 = int(math.floor((lat + dlat) / c))
        c0 = int(math.floor((lon - dlon) / c))
        c1 = int(math.floor((lon + dlon) / c))
        out = []
        grid = self.grid
        la = self.lat
        lo = self.lon
        for r in range(r0, r1 + 1):
            for cc in range(c0, c1 + 1):
                cell = grid.get((r, cc))
                if not cell:
                    continue
                for i in cell:
                    d = haversine_km(lat, lon, la[i], lo[i])
                    if d <= radius_km:
                        out.append((d, i))
        out.sort()
        return out

    def snap_candidates(self, lat, lon, max_km, min_comp, k):
        """Nearest node of each of the k nearest components (of >= min_comp nodes) within
        max_km: list of (dist_km, node, comp), nearest first."""
        out = []
        seen = set()
        for d, i in self.within(lat, lon, max_km):
            c = self.comp[i]
            if c in seen or self.comp_size[c] < min_comp:
                continue
            seen.add(c)
            out.append((d, i, c))
            if len(out) >= k:
                break
        return out

    def nearest_any(self, lat, lon, min_comp, limit_km=2000.0):
        """Nearest node in a component of >= min_comp nodes, searching outwards up to
        limit_km. Returns (dist_km, node, comp) or None."""
        r = 25.0
        while r <= limit_km * 2:
            for d, i in self.within(lat, lon, min(r, limit_km)):
                if self.comp_size[self.comp[i]] >= min_comp:
                    return (d, i, self.comp[i])
            if r >= limit_km:
                break
            r *= 2.0
        return None

    def dijkstra(self, src, targets):
        """Shortest paths from src; stops once every target is settled.
        Returns (dist dict, prev dict) for settled/reached nodes."""
        remaining = set(targets)
        dist = {src: 0.0}
        prev = {src: -1}
        done = set()
        heap = [(0.0, src)]
        adj = self.adj
        while heap and remaining:
            d, u = heapq.heappop(heap)
            if u in done:
                continue
            done.add(u)
            remaining.discard(u)
            if not remaining:
                break
            for v, w in adj[u]:
                nd = d + w
                od = dist.get(v)
                if od is None or nd < od:
                    dist[v] = nd
                    prev[v] = u
                    heapq.heappush(heap, (nd, v))
        return dist, prev, done

    @staticmethod
    def path_to(prev, target):
        path = []
        u = target
        while u != -1:
            path.append(u)
            u = prev[u]
        path.reverse()
        return path

    def closest_pair(self, ca, cb, cap_km=1000.0):
        """Closest pair of nodes (great-circle) between components ca and cb.
        Returns (dist_km, node_a, node_b) or None if farther than cap_km."""
        if self.comp_size[ca] > self.comp_size[cb]:
            res = self.closest_pair(cb, ca, cap_km)
            if res is None:
                return None
            return (res[0], res[2], res[1])
        # Index of cb's nodes only; query it from every node of the smaller ca.
        sub = Network.__new__(Network)
        sub.lat = self.lat
        sub.lon = self.lon
        sub.cell = 0.5
        grid = {}
        for i in self.comp_members[cb]:
            key = (int(math.floor(self.lat[i] / 0.5)), int(math.floor(self.lon[i] / 0.5)))
            grid.setdefault(key, []).append(i)
        sub.grid = grid
        best = None
        bound = cap_km
        for a in self.comp_members[ca]:
            la, lo = self.lat[a], self.lon[a]
            r = min(bound, 10.0)
            while True:
                hits = sub.within(la, lo, r)
                if hits:
                    d, b = hits[0]
                    cand = (d, a, b)
                    if best is None or cand < best:
                        best = cand
                        bound = d
                    break
                if r >= bound:
                    break
                r = min(bound, r * 4.0)
        return best


def normalize_lon(lon):
    while lon >= 180.0:
        lon -= 360.0
    while lon < -180.0:
        lon += 360.0
    return lon


def load_scgraph(prefix, name):
    t0 = time.time()
    with gzip.open(prefix + "_nodes.csv.gz", "rt", newline="") as f:
        r = csv.reader(f)
        next(r)
        rows = [(int(a), float(b), float(c)) for a, b, c in r]
    rows.sort()
    index = {}
    lats = []
    lons = []
    for nid, la, lo in rows:
        index[nid] = len(lats)
        lats.append(la)
        lons.append(lo)
    edges = []
    with gzip.open(prefix + "_edges.csv.gz", "rt", newline="") as f:
        r = csv.reader(f)
        next(r)
        for u, v, km in r:
            a = index[int(u)]
            b = index[int(v)]
            if a != b:
                edges.append((a, b, float(km)))
    net = Network(name, lats, lons, edges)
    log("  %s graph: %d nodes, %d edges, %d components (%.1fs)"
        % (name, net.n, net.n_edges, len(net.comp_size), time.time() - t0))
    return net


def load_marnet(path, name, exclude_passages=("northwest",)):
    """searoute maritime network: every LineString vertex is a node (identical
    coordinates, after longitude normalisation and rounding to 1e-6 deg, are merged),
    consecutive vertices are joined by an edge weighted by its haversine length.
    Features whose `passage` property is in exclude_passages are left out (searoute's own
    default restriction is the Arctic "northwest" passage, which also carries the Bering
    Strait -> Northern Sea Route link)."""
    t0 = time.time()
    with open(path, "r", encoding="utf-8") as f:
        gj = json.load(f)
    lines = []
    for feat in gj["features"]:
        if (feat.get("properties") or {}).get("passage") in exclude_passages:
            continue
        g = feat["geometry"]
        if g["type"] == "LineString":
            lines.append(g["coordinates"])
        elif g["type"] == "MultiLineString":
            lines.extend(g["coordinates"])
    keys = set()
    norm_lines = []
    for ln in lines:
        pts = [(round(p[1], 6), round(normalize_lon(p[0]), 6)) for p in ln]
        norm_lines.append(pts)
        keys.update(pts)
    ordered = sorted(keys)
    index = {k: i for i, k in enumerate(ordered)}
    lats = [k[0] for k in ordered]
    lons = [k[1] for k in ordered]
    emap = {}
    for pts in norm_lines:
        for p, q in zip(pts, pts[1:]):
            a = index[p]
            b = index[q]
            if a == b:
                continue
            key = (a, b) if a < b else (b, a)
            w = haversine_km(p[0], p[1], q[0], q[1])
            if key not in emap or w < emap[key]:
                emap[key] = w
    edges = [(a, b, w) for (a, b), w in sorted(emap.items())]
    net = Network(name, lats, lons, edges, cell_deg=1.0)
    log("  %s graph: %d nodes, %d edges, %d components (%.1fs)"
        % (name, net.n, net.n_edges, len(net.comp_size), time.time() - t0))
    return net


# ---------------------------------------------------------------------------------------
# Dataset reading / writing
# ---------------------------------------------------------------------------------------


def read_csv_dicts(path):
    """Read a dataset CSV (comment lines starting with '#' skipped) into dicts."""
    with open(path, "r", encoding="utf-8", newline="") as f:
        text = f.read()
    recs = split_records(text)
    body = "".join(r for r in recs if not r.lstrip().startswith("#") and r.strip())
    rows = list(csv.DictReader(io.StringIO(body, newline="")))
    return [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in rows]


def split_records(text):
    """Split CSV text into physical records (keeping their line terminators); a newline
    inside a quoted field does not end a record."""
    recs = []
    start = 0
    inq = False
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == '"':
            inq = not inq
        elif ch == "\n" and not inq:
            recs.append(text[start:i + 1])
            start = i + 1
        i += 1
    if start < n:
        recs.append(text[start:])
    return recs


def split_raw_fields(record):
    """Split one CSV record (without terminator) into raw field strings, quotes kept."""
    fields = []
    cur = []
    inq = False
    for ch in record:
        if ch == '"':
            inq = not inq
            cur.append(ch)
        elif ch == "," and not inq:
            fields.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    fields.append("".join(cur))
    return fields


def rewrite_links_km(text, new_km):
    """Return links.csv text with the km cell of the rows in new_km ({id: "123"})
    replaced; every other byte is preserved (comments, quoting, line endings)."""
    recs = split_records(text)
    out = []
    header = None
    for rec in recs:
        if rec.endswith("\r\n"):
            body, term = rec[:-2], "\r\n"
        elif rec.endswith("\n"):
            body, term = rec[:-1], "\n"
        else:
            body, term = rec, ""
        if not body.strip() or body.lstrip().startswith("#"):
            out.append(rec)
            continue
        if header is None:
            header = [h.strip() for h in next(csv.reader([body]))]
            i_id = header.index("id")
            i_km = header.index("km")
            out.append(rec)
            continue
        raw = split_raw_fields(body)
        vals = next(csv.reader([body]))
        lid = vals[i_id].strip() if i_id < len(vals) else ""
        if lid in new_km and i_km < len(raw):
            old = raw[i_km]
            new = new_km[lid]
            if old.startswith('"'):
                new = '"' + new + '"'
            if vals[i_km].strip() != new_km[lid]:
                raw[i_km] = new
                rec = ",".join(raw) + term
        out.append(rec)
    return "".join(out)


def fmt_km(km, decimals):
    if decimals <= 0:
        return str(_round_half_up(km))
    s = "%.*f" % (decimals, km)
    return s


def parse_float(s):
    try:
        return float(s)
    except (TypeError, ValueError):
        return None


# ---------------------------------------------------------------------------------------
# Main computation
# ---------------------------------------------------------------------------------------


def inland_violation(net, path):
    for nm, la0, la1, lo0, lo1 in INLAND_BOXES:
        for u in path:
            if la0 <= net.lat[u] <= la1 and lo0 <= net.lon[u] <= lo1:
                return nm
    return None


def load_networks(args, links):
    """Load every network the links need (and the rail graph for the gap report)."""
    wanted = {l["km_src"] for l in links if l["km_src"] in NETWORKS}
    nets = {}
    for src in ("OSM-RAIL", "OSM-ROAD", "SEAROUTE"):
        need = src in wanted or (src == "OSM-RAIL" and not args.no_gap_report)
        if not need:
            continue
        spec = NETWORKS[src]
        log("loading %s network ..." % spec["name"])
        if spec["kind"] == "scgraph":
            nets[src] = load_scgraph(os.path.join(args.shared, spec["prefix"]), spec["name"])
        else:
            nets[src] = load_marnet(os.path.join(args.shared, spec["path"]), spec["name"],
                                    tuple(args.sea_exclude_passage))
    return nets


def measure(args, locs, links, nets):
    """Measure every derived link on the given networks. Returns {link id: result}."""
    results = {}
    # Plan: snap, group by (network, source node).
    plans = {}
    for l in links:
        src = l["km_src"]
        if src not in NETWORKS:
            continue
        lid = l["id"]
        net = nets[src]
        res = {
            "id": lid, "src": src, "from": l["from"], "to": l["to"],
            "curated": l["km"], "status": None, "reason": "", "km": None,
            "gc": None, "snap_from": None, "snap_to": None, "points": None,
        }
        results[lid] = res
        a = locs.get(l["from"])
        b = locs.get(l["to"])
        if a is None or b is None:
            res["status"] = "kept-curated"
            res["reason"] = "unknown location %s" % (l["from"] if a is None else l["to"])
            continue
        res["gc"] = haversine_km(a[0], a[1], b[0], b[1])
        maxkm = args.max_snap_sea if src == "SEAROUTE" else args.max_snap
        ca = net.snap_candidates(a[0], a[1], maxkm, args.min_component, args.k)
        cb = net.snap_candidates(b[0], b[1], maxkm, args.min_component, args.k)
        if ca:
            res["snap_from"] = ca[0][0]
        if cb:
            res["snap_to"] = cb[0][0]
        if not ca or not cb:
            far = []
            for name, loc, c in ((l["from"], a, ca), (l["to"], b, cb)):
                if not c:
                    nn = net.nearest_any(loc[0], loc[1], args.min_component)
                    far.append("%s nearest node %s" % (
                        name, ("%.1f km" % nn[0]) if nn else "> 2000 km"))
            res["status"] = "kept-curated"
            res["reason"] = "snap too far (limit %.0f km): %s" % (maxkm, "; ".join(far))
            continue
        if ca[0][2] == cb[0][2]:
            pa, pb = ca[0], cb[0]
        else:
            common = {}
            for x in ca:
                for y in cb:
                    if x[2] == y[2]:
                        key = (x[0] + y[0], x[2])
                        if x[2] not in common or key < common[x[2]][0]:
                            common[x[2]] = (key, x, y)
            if not common:
                res["status"] = "kept-curated"
                res["reason"] = "ends in different components (%s: #%s, %s: #%s)" % (
                    l["from"], "/".join(str(x[2]) for x in ca),
                    l["to"], "/".join(str(y[2]) for y in cb))
                res["comp_pair"] = (ca[0][2], cb[0][2])
                continue
            _, pa, pb = min(common.values())
        res["snap_from"] = pa[0]
        res["snap_to"] = pb[0]
        res["nodes"] = (pa[1], pb[1])
        plans.setdefault((src, pa[1]), []).append(lid)

    # Dijkstra once per (network, source node) with all its targets.
    t0 = time.time()
    done_count = 0
    for (src, s), lids in sorted(plans.items()):
        net = nets[src]
        targets = sorted({results[lid]["nodes"][1] for lid in lids})
        dist, prev, settled = net.dijkstra(s, targets)
        for lid in sorted(lids):
            res = results[lid]
            t = res["nodes"][1]
            if t not in settled:
                res["status"] = "kept-curated"
                res["reason"] = "no path (disconnected)"
                continue
            path = Network.path_to(prev, t)
            km = dist[t]
            res["km"] = km
            ratio = km / res["gc"] if res["gc"] and res["gc"] > 1.0 else None
            res["ratio"] = ratio
            a = locs[res["from"]]
            b = locs[res["to"]]
            if src == "SEAROUTE":
                inl = inland_violation(net, path)
                if inl:
                    res["status"] = "kept-curated"
                    res["reason"] = "sea path uses %s (not usable by ocean ships)" % inl
                    continue
            max_ratio = args.max_ratio_sea if src == "SEAROUTE" else args.max_ratio
            if ratio is not None and ratio > max_ratio:
                res["status"] = "kept-curated"
                res["reason"] = "detour: path %.0f km is %.2f x great-circle %.0f km (> %.1f)" % (
                    km, ratio, res["gc"], max_ratio)
                continue
            if ratio is not None and ratio < args.min_ratio:
                res["status"] = "kept-curated"
                res["reason"] = ("path %.1f km is only %.2f x great-circle %.1f km (< %.1f): "
                                 "the snaps absorb too much of the link" % (
                                     km, ratio, res["gc"], args.min_ratio))
                continue
            cur = parse_float(res["curated"])
            if args.max_curated_diff > 0 and cur and abs(km / cur - 1.0) > args.max_curated_diff:
                res["status"] = "kept-curated"
                res["reason"] = ("path %.0f km is %.2f x the curated %s km (beyond +-%.0f%%): "
                                 "probably a hole in the graph or a bad curation" % (
                                     km, km / cur, res["curated"], 100 * args.max_curated_diff))
                continue
            pts = [(net.lat[u], net.lon[u]) for u in path]
            if args.attach_ends:
                if res["snap_from"] > 0.05:
                    pts.insert(0, (a[0], a[1]))
                if res["snap_to"] > 0.05:
                    pts.append((b[0], b[1]))
            res["points"] = douglas_peucker(pts, args.tolerance)
            res["n_path"] = len(path)
            res["status"] = "measured"
        done_count += len(lids)
        log("  [%d/%d] %s from node %d: %d target(s), %d settled (%.1fs)" % (
            done_count, sum(len(v) for v in plans.values()), NETWORKS[src]["name"], s,
            len(targets), len(settled), time.time() - t0))
    return results


def gap_report(args, net, locs, links, lines):
    """Rail-graph gap report: components, location placement, suggested joins."""
    lines.append("## Rail graph components (OSM-RAIL)")
    lines.append("")
    sizes = net.comp_size
    big = [c for c, s in enumerate(sizes) if s >= args.min_component]
    lines.append("nodes %d, edges %d, components %d (%d with >= %d nodes)" % (
        net.n, net.n_edges, len(sizes), len(big), args.min_component))
    lines.append("")

    def bbox(c):
        m = net.comp_members[c]
        la = [net.lat[i] for i in m]
        lo = [net.lon[i] for i in m]
        return "lat %.2f..%.2f lon %.2f..%.2f" % (min(la), max(la), min(lo), max(lo))

    # Rail locations: platforms with a rail gauge, or used by a rail link / OSM-RAIL link.
    rail_locs = set()
    for lid, (la, lo, plats) in ((k, v) for k, v in locs.items()):
        if any(p in RAIL_PLATFORMS for p in plats):
            rail_locs.add(lid)
    for l in links:
        if l["km_src"] == "OSM-RAIL" or l.get("mode") == "rail":
            rail_locs.update((l["from"], l["to"]))
    placement = {}
    for lid in sorted(rail_locs):
        if lid not in locs:
            continue
        la, lo, _ = locs[lid]
        cands = net.snap_candidates(la, lo, args.max_snap, args.min_component, args.k)
        placement[lid] = cands
    comp_locs = {}
    for lid, cands in placement.items():
        if cands:
            comp_locs.setdefault(cands[0][2], []).append(lid)

    lines.append("Largest components (id: nodes, bbox, dataset locations snapped to it):")
    shown = sorted(set(range(min(args.top_components, len(sizes)))) | set(comp_locs))
    for c in shown:
        ls = comp_locs.get(c, [])
        lines.append("- #%d: %d nodes, %s; %d location(s)%s" % (
            c, sizes[c], bbox(c), len(ls), (": " + " ".join(sorted(ls))) if ls else ""))
    lines.append("")
    lines.append("Dataset rail locations -> component (nearest node within %.0f km; "
                 "other components within reach in brackets):" % args.max_snap)
    for lid in sorted(placement):
        cands = placement[lid]
        if not cands:
            nn = net.nearest_any(locs[lid][0], locs[lid][1], args.min_component)
            lines.append("- %s: NOT SNAPPED (nearest large-component node %s)" % (
                lid, ("%.1f km, #%d" % (nn[0], nn[2])) if nn else "> 2000 km"))
            continue
        d, _, c = cands[0]
        extra = ", ".join("#%d %.1f km" % (x[2], x[0]) for x in cands[1:])
        lines.append("- %s: #%d (%.1f km)%s" % (lid, c, d, (" [" + extra + "]") if extra else ""))
    lines.append("")

    # Component pairs that rail links need to join.
    pairs = {}
    for l in links:
        if not (l["km_src"] == "OSM-RAIL" or l.get("mode") == "rail"):
            continue
        pa = placement.get(l["from"])
        pb = placement.get(l["to"])
        if not pa or not pb:
            continue
        sa = {x[2] for x in pa}
        sb = {x[2] for x in pb}
        if sa & sb:
            continue
        key = tuple(sorted((pa[0][2], pb[0][2])))
        pairs.setdefault(key, []).append(l["id"])
    lines.append("Component pairs that dataset rail links need to join (suggested joins = "
                 "closest pair of nodes, great-circle):")
    if not pairs:
        lines.append("- none")
    joins = []
    for (ca, cb) in sorted(pairs):
        t0 = time.time()
        cp = net.closest_pair(ca, cb, cap_km=args.join_cap)
        log("  closest pair #%d-#%d (%.1fs)" % (ca, cb, time.time() - t0))
        ids = sorted(pairs[(ca, cb)])
        if cp is None:
            lines.append("- #%d (%d nodes) <-> #%d (%d nodes): no node pair within %.0f km; "
                         "links: %s" % (ca, sizes[ca], cb, sizes[cb], args.join_cap, " ".join(ids)))
            continue
        d, na, nb = cp
        joins.append((ca, cb, d, na, nb))
        lines.append("- #%d (%d nodes) <-> #%d (%d nodes): %.2f km between node (%.5f, %.5f) "
                     "and node (%.5f, %.5f); links: %s" % (
                         ca, sizes[ca], cb, sizes[cb], d, net.lat[na], net.lon[na],
                         net.lat[nb], net.lon[nb], " ".join(ids)))
    lines.append("")
    lines.append("Components holding dataset locations -> closest node pair to the main "
                 "component #0:")
    for c in sorted(comp_locs):
        if c == 0:
            continue
        cp = net.closest_pair(c, 0, cap_km=args.join_cap)
        if cp is None:
            lines.append("- #%d (%d nodes; %s): no node of #0 within %.0f km" % (
                c, sizes[c], " ".join(sorted(comp_locs[c])), args.join_cap))
            continue
        d, na, nb = cp
        if not any({j[0], j[1]} == {c, 0} for j in joins):
            joins.append((c, 0, d, na, nb))
        lines.append("- #%d (%d nodes; %s): %.2f km, (%.5f, %.5f) - (%.5f, %.5f)" % (
            c, sizes[c], " ".join(sorted(comp_locs[c])), d, net.lat[na], net.lon[na],
            net.lat[nb], net.lon[nb]))
    lines.append("")
    lines.append("How the build heals this: a suggested join of at most --heal-km "
                 "(default 2 km; a digitisation break in the OSM-derived graph, e.g. a way "
                 "not joined at a station or border) is added to the rail graph as a "
                 "connector edge weighted by its great-circle length before the links are "
                 "measured (listed under 'Healing'). Larger gaps are real holes in the "
                 "graph: those links are not measured, keep their curated km and are drawn "
                 "as straight lines; their km_src should be a curated or estimate source "
                 "rather than OSM-RAIL. The path/great-circle <= 2.0 check still applies "
                 "after healing.")
    lines.append("")
    return joins


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="data/eurasia", help="dataset directory")
    ap.add_argument("--shared", default="../shared/data", help="shared raw-data directory")
    ap.add_argument("--out-dir", default="/tmp/derive_out",
                    help="output directory when not --in-place")
    ap.add_argument("--in-place", action="store_true",
                    help="rewrite DATA/links.csv km cells and DATA/geometry.csv")
    ap.add_argument("--report", default=None,
                    help="report file (default OUT_DIR/derive_report.md unless --in-place)")
    ap.add_argument("--max-snap", type=float, default=30.0, help="rail/road snap limit, km")
    ap.add_argument("--max-snap-sea", type=float, default=100.0, help="sea snap limit, km")
    ap.add_argument("--min-component", type=int, default=50,
                    help="snap only onto components with at least this many nodes")
    ap.add_argument("-k", type=int, default=8,
                    help="number of nearest components tried per end")
    ap.add_argument("--max-ratio", type=float, default=2.0,
                    help="refuse paths longer than this x great-circle")
    ap.add_argument("--max-ratio-sea", type=float, default=3.0,
                    help="same for SEAROUTE links (sea routes go round continents)")
    ap.add_argument("--min-ratio", type=float, default=0.9,
                    help="refuse paths shorter than this x great-circle (the snaps "
                         "absorbed too much of a short link)")
    ap.add_argument("--sea-exclude-passage", action="append", default=None,
                    help="searoute passage to leave out (repeatable; default: northwest)")
    ap.add_argument("--tolerance", type=float, default=1.0,
                    help="Douglas-Peucker tolerance, km")
    ap.add_argument("--km-decimals", type=int, default=1, help="decimals of written km")
    ap.add_argument("--heal-km", type=float, default=2.0,
                    help="add suggested rail joins of at most this many km as connector "
                         "edges before measuring (0 = off)")
    ap.add_argument("--max-curated-diff", type=float, default=0.0,
                    help="refuse when measured km differs from a non-empty curated km by "
                         "more than this fraction (0 = off)")
    ap.add_argument("--warn-curated", type=float, default=0.25,
                    help="warn when measured km differs from curated km by more than this "
                         "fraction")
    ap.add_argument("--join-cap", type=float, default=1000.0,
                    help="do not search suggested joins farther than this, km")
    ap.add_argument("--top-components", type=int, default=10)
    ap.add_argument("--no-attach-ends", dest="attach_ends", action="store_false",
                    help="do not add the location points at both ends of the geometry")
    ap.add_argument("--no-gap-report", action="store_true")
    args = ap.parse_args(argv)
    if args.sea_exclude_passage is None:
        args.sea_exclude_passage = ["northwest"]

    t_start = time.time()
    loc_path = os.path.join(args.data, "locations.csv")
    links_path = os.path.join(args.data, "links.csv")
    log("reading %s and %s" % (loc_path, links_path))
    locs = {}
    for r in read_csv_dicts(loc_path):
        la = parse_float(r.get("lat"))
        lo = parse_float(r.get("lon"))
        if r.get("id") and la is not None and lo is not None:
            plats = [p.strip() for p in (r.get("platforms") or "").split("|") if p.strip()]
            locs[r["id"]] = (la, lo, plats)
    links = read_csv_dicts(links_path)
    for l in links:
        # km_src may list several ids ("OSM-RAIL|X"); the first derived id decides.
        ids = [x.strip() for x in (l.get("km_src") or "").split("|")]
        l["km_src"] = next((x for x in ids if x in NETWORKS), "|".join(ids))
    derived = [l for l in links if l["km_src"] in NETWORKS]
    log("%d locations, %d links, %d derived (%s)" % (
        len(locs), len(links), len(derived),
        ", ".join("%s %d" % (s, sum(1 for l in derived if l["km_src"] == s))
                  for s in NETWORKS)))

    report = ["# derive_network report", ""]
    nets = load_networks(args, links)
    gap_lines = []
    heal_lines = []
    joins = []
    if "OSM-RAIL" in nets and not args.no_gap_report:
        joins = gap_report(args, nets["OSM-RAIL"], locs, links, gap_lines)
    measure_nets = dict(nets)
    if args.heal_km > 0 and "OSM-RAIL" in nets:
        healed, heal_lines = heal(args, nets["OSM-RAIL"], joins)
        measure_nets["OSM-RAIL"] = healed
    results = measure(args, locs, links, measure_nets)

    # Report: per-link table.
    measured = [r for r in results.values() if r["status"] == "measured"]
    kept = [r for r in results.values() if r["status"] != "measured"]
    summary = "links %d, derived %d: measured %d, kept-curated %d" % (
        len(links), len(results), len(measured), len(kept))
    report.append(summary)
    report.append("")
    if heal_lines:
        report.extend(heal_lines)
    report.append("## Links")
    report.append("")
    report.append("| id | src | status | reason | curated km | measured km | ratio gc | "
                  "vs curated | snap from km | snap to km |")
    report.append("|---|---|---|---|---|---|---|---|---|---|")

    def f(x, fmt="%.1f"):
        return "" if x is None else fmt % x

    for lid in sorted(results):
        r = results[lid]
        cur = parse_float(r["curated"])
        vs = (r["km"] / cur) if (r["km"] is not None and cur) else None
        report.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            lid, r["src"], r["status"], r["reason"].replace("|", "/"), r["curated"],
            f(r["km"]), f(r.get("ratio"), "%.2f"), f(vs, "%.2f"),
            f(r["snap_from"]), f(r["snap_to"])))
    report.append("")
    if kept:
        report.append("## Not measured (curated km kept)")
        report.append("")
        for lid in sorted(r["id"] for r in kept):
            r = results[lid]
            warn = " [WARNING: curated km is empty]" if not r["curated"] else ""
            report.append("- %s (%s): %s%s" % (lid, r["src"], r["reason"], warn))
        report.append("")

    warns = []
    for r in sorted(measured, key=lambda r: r["id"]):
        cur = parse_float(r["curated"])
        if cur and abs(r["km"] / cur - 1.0) > args.warn_curated:
            warns.append("- %s (%s): measured %.1f km vs curated %s km (x %.2f)" % (
                r["id"], r["src"], r["km"], r["curated"], r["km"] / cur))
    if warns:
        report.append("## Measured but far from the curated km (check the curation or the "
                      "snapping)")
        report.append("")
        report.extend(warns)
        report.append("")
    report.extend(gap_lines)
    report_text = "\n".join(report).rstrip("\n") + "\n"

    # Outputs.
    new_km = {r["id"]: fmt_km(r["km"], args.km_decimals) for r in measured}
    with open(links_path, "r", encoding="utf-8", newline="") as fh:
        links_text = fh.read()
    new_links = rewrite_links_km(links_text, new_km)
    geo = io.StringIO(newline="")
    w = csv.writer(geo, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    w.writerow(["link", "polyline"])
    for lid in sorted(r["id"] for r in measured):
        w.writerow([lid, encode_polyline(results[lid]["points"])])
    if args.in_place:
        out_links = links_path
        out_geo = os.path.join(args.data, "geometry.csv")
        out_report = args.report
    else:
        os.makedirs(args.out_dir, exist_ok=True)
        out_links = os.path.join(args.out_dir, "links.csv")
        out_geo = os.path.join(args.out_dir, "geometry.csv")
        out_report = args.report or os.path.join(args.out_dir, "derive_report.md")
    if not (args.in_place and new_links == links_text):
        with open(out_links, "w", encoding="utf-8", newline="") as fh:
            fh.write(new_links)
    with open(out_geo, "w", encoding="utf-8", newline="") as fh:
        fh.write(geo.getvalue())
    if out_report:
        with open(out_report, "w", encoding="utf-8", newline="") as fh:
            fh.write(report_text)
    # Printed: summary and gap report.
    print(summary)
    for r in sorted(kept, key=lambda r: r["id"]):
        print("kept-curated %s (%s): %s" % (r["id"], r["src"], r["reason"]))
    print("")
    print("\n".join(heal_lines + gap_lines))
    log("wrote %s, %s%s (%.1fs total)" % (
        out_links, out_geo, (", " + out_report) if out_report else "", time.time() - t_start))
    return 0


def heal(args, net, joins):
    """Rail graph with the suggested joins of at most --heal-km added as edges."""
    lines = []
    use = sorted(j for j in joins if j[2] <= args.heal_km)
    if not use:
        lines.append("## Healing: no suggested join within %.1f km" % args.heal_km)
        lines.append("")
        return net, lines
    lines.append("## Healing (--heal-km %.1f): connector edges added to the rail graph"
                 % args.heal_km)
    lines.append("")
    for ca, cb, d, na, nb in use:
        lines.append("- #%d <-> #%d: %.2f km, (%.5f, %.5f) - (%.5f, %.5f)" % (
            ca, cb, d, net.lat[na], net.lon[na], net.lat[nb], net.lon[nb]))
    lines.append("")
    edges = []
    for u in range(net.n):
        for v, w in net.adj[u]:
            if u < v:
                edges.append((u, v, w))
    for _, _, d, na, nb in use:
        edges.append((min(na, nb), max(na, nb), d))
    healed = Network(net.name, net.lat, net.lon, edges)
    # Label each healed component with the smallest raw component id it contains, so the
    # reasons in the report use the numbering of the gap report.
    label = {}
    for u in range(net.n):
        hc = healed.comp[u]
        if hc not in label or net.comp[u] < label[hc]:
            label[hc] = net.comp[u]
    healed.comp = [label[c] for c in healed.comp]
    healed.comp_size = {label[c]: sz for c, sz in enumerate(healed.comp_size)}
    healed.comp_members = None
    log("  healed rail graph: %d components" % len(healed.comp_size))
    return healed, lines


if __name__ == "__main__":
    sys.exit(main())
