"""Unit tests of tools/derive_border_places.py on small hand-made countries and graphs (no shared
data needed).

Run from the repository root:  python3 -m unittest discover -s tools -p 'test_*.py'
"""

import contextlib
import csv
import gzip
import io
import json
import os
import re
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import derive_border_places as bp  # noqa: E402

KM = bp.KM_PER_DEG  # km per degree of latitude (and of longitude at the equator)


def box(x0, y0, x1, y1):
    """A closed rectangular ring [lon, lat]."""
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]


# AA and BB share the meridian 1; CC lies north of AA (they share the parallel 1).
RINGS = {"AA": [box(0, 0, 1, 1)], "BB": [box(1, 0, 2, 1)], "CC": [box(0, 1, 1, 2)]}


def shapes():
    return {code: bp.CountryShape(rings) for code, rings in RINGS.items()}


def post(name, country, other, lat, lon, mode="road", note=""):
    return {"name": name, "aliases": "", "country": country, "other": other, "mode": mode,
            "lat": lat, "lon": lon, "note": note}


def graph(points, edges):
    """(nodes, factory) as measure() wants them: points id -> (lat, lon), edges (u, v)."""
    nodes = dict(points)
    triples = [(u, v, bp.haversine_km(*nodes[u], *nodes[v])) for u, v in edges]
    return nodes, lambda: iter(triples)


def run(posts, points, edges, mode="road", **kw):
    graphs = {m: ({}, lambda: iter(())) for m in bp.MODES}
    graphs[mode] = graph(points, edges)
    return bp.measure(posts, shapes(), graphs, kw.pop("radius_km", 40.0), **kw)


class InputTest(unittest.TestCase):
    def write(self, text):
        d = tempfile.mkdtemp()
        path = os.path.join(d, "posts.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    HEADER = "name,aliases,country,other_country,mode,approx_lat,approx_lon,note\n"

    def test_reads_and_cleans(self):
        path = self.write(self.HEADER + "Sarpi, Sarp'i | სარფი ,GE,TR,road,41.52,41.55,coast road\n")
        [p] = bp.read_posts(path)
        self.assertEqual(p["aliases"], "Sarp'i|სარფი")
        self.assertEqual((p["country"], p["other"], p["mode"]), ("GE", "TR", "road"))
        self.assertEqual((p["lat"], p["lon"]), (41.52, 41.55))

    def test_rejects_bad_rows(self):
        bad = [
            "X,,GE,TR,ship,41,41,\n",          # mode
            "X,,ge,TR,road,41,41,\n",          # country code
            "X,,GE,GE,road,41,41,\n",          # same country twice
            "X,,GE,TR,road,north,41,\n",       # number
            "X,,GE,TR,road,91,41,\n",          # range
            ",,GE,TR,road,41,41,\n",           # name
            "X,,GE,TR,road,41,41\n",           # field count
            "X,,GE,TR,road,41,41,\nx,,GE,TR,road,42,42,\n",  # duplicate (case-insensitive)
        ]
        for row in bad:
            with self.subTest(row=row):
                with self.assertRaises(bp.InputError):
                    bp.read_posts(self.write(self.HEADER + row))
        with self.assertRaises(bp.InputError):
            bp.read_posts(self.write("name,country\nX,GE\n"))

    def test_same_name_other_mode_is_fine(self):
        posts = bp.read_posts(self.write(self.HEADER + "Chop,,UA,HU,road,48.4,22.2,\nChop,,UA,HU,rail,48.4,22.2,\n"))
        self.assertEqual([p["mode"] for p in posts], ["road", "rail"])


class CodeTest(unittest.TestCase):
    def test_ascii_letters(self):
        self.assertEqual(bp.ascii_letters("Böyük Kəsik"), "BOYUKKESIK")
        self.assertEqual(bp.ascii_letters("Kapıköy"), "KAPIKOY")
        self.assertEqual(bp.ascii_letters("Kuźnica Białostocka"), "KUZNICABIALOSTOCKA")
        self.assertEqual(bp.ascii_letters("Zamyn-Üüd"), "ZAMYNUUD")
        self.assertEqual(bp.ascii_letters("二连浩特"), "")

    def test_candidates_order(self):
        cands = list(bp.abbreviation_candidates("Sarakhs"))
        self.assertEqual(cands[:4], ["SAR", "SAA", "SAK", "SAH"])
        self.assertEqual(len(cands), len(set(cands)))
        self.assertEqual(next(bp.abbreviation_candidates("二连")), "XXX")
        self.assertEqual(next(bp.abbreviation_candidates("Ob")), "OBX")

    def test_assign_codes_unique_in_file_order(self):
        posts = [post("Sarakhs", "IR", "TM", 0, 0), post("Sarakhs station", "IR", "TM", 0, 0, "rail"),
                 post("Saragt", "TM", "IR", 0, 0), post("Irkeshtam", "KG", "CN", 0, 0)]
        codes = bp.assign_codes(posts)
        self.assertEqual(codes, ["XBIRSAR", "XBIRSAA", "XBTMSAG", "XBKGIRK"])
        for code in codes:
            self.assertRegex(code, r"^XB[A-Z]{2}[A-Z]{3}$")
        # Abbreviations are unique across the file, not only within a country.
        self.assertEqual(len({c[4:] for c in codes}), len(codes))


class ShapeTest(unittest.TestCase):
    def test_box_and_bbox(self):
        s = bp.CountryShape([box(0, 0, 1, 1)])
        self.assertTrue(s.contains(0.5, 0.5))
        self.assertFalse(s.contains(1.5, 0.5))
        self.assertFalse(s.contains(0.5, -0.1))

    def test_holes_and_islands_even_odd(self):
        s = bp.CountryShape([box(0, 0, 3, 3), box(1, 1, 2, 2), box(10, 10, 11, 11)])
        self.assertTrue(s.contains(0.5, 0.5))
        self.assertFalse(s.contains(1.5, 1.5))  # in the hole
        self.assertTrue(s.contains(10.5, 10.5))  # on the island

    def test_long_segments_span_bands(self):
        # A triangle whose edges cross many 0.1-degree bands.
        s = bp.CountryShape([[[0, 0], [4, 0], [0, 4], [0, 0]]])
        self.assertTrue(s.contains(1.0, 2.5))
        self.assertFalse(s.contains(2.0, 2.5))
        self.assertTrue(s.contains(0.01, 3.95))

    def test_open_ring_is_closed(self):
        s = bp.CountryShape([[[0, 0], [1, 0], [1, 1], [0, 1]]])
        self.assertTrue(s.contains(0.5, 0.5))


class NearEdgesTest(unittest.TestCase):
    def test_radius_and_long_edges(self):
        posts = [post("P", "AA", "BB", 0.5, 1.0)]
        nodes = {1: (0.5, 0.99), 2: (0.5, 1.01),      # 1 km west/east of the post
                 3: (0.0, 1.0), 4: (1.0, 1.0),        # near edge, ends 55 km away
                 5: (-3.0, 1.05), 6: (4.0, 1.05),      # 780 km edge passing 5.6 km away
                 7: (0.5, 1.5), 8: (0.6, 1.5)}        # 55 km away
        edges = [(1, 2, 2.2), (3, 4, 111.0), (5, 6, 780.0), (7, 8, 11.0)]
        found = bp.near_edges([0], posts, nodes, edges, 40.0)
        self.assertEqual([(u, v) for _d, u, v in found[0]], [(1, 2), (3, 4), (5, 6)])
        self.assertAlmostEqual(found[0][2][0], 0.05 * KM, delta=0.1)


class MeasureTest(unittest.TestCase):
    def test_own_side_node_of_the_nearest_crossing(self):
        points = {1: (0.5, 0.99), 2: (0.5, 1.01),          # crossing 1 at lat 0.5
                  3: (0.6, 0.98), 4: (0.6, 1.02),          # crossing 2, 11 km north
                  5: (0.5, 0.9)}                            # AA-internal
        edges = [(5, 1), (1, 2), (3, 4), (5, 3)]
        aa, bb = post("A", "AA", "BB", 0.51, 1.0), post("B", "BB", "AA", 0.51, 1.0)
        ra, rb = run([aa, bb], points, edges)
        self.assertEqual(ra["status"], "measured")
        self.assertEqual((ra["lat"], ra["lon"], ra["node"]), (0.5, 0.99, 1))
        self.assertEqual((rb["lat"], rb["lon"], rb["node"]), (0.5, 1.01, 2))
        self.assertEqual(ra["edge"][:2], (1, 2))
        self.assertAlmostEqual(ra["offset_km"], bp.haversine_km(0.51, 1.0, 0.5, 0.99), places=6)
        self.assertAlmostEqual(ra["border_km"], 0.01 * KM, delta=0.05)
        # The other crossing is reported as an alternative (its node is > 5 km away).
        self.assertIsNotNone(ra["alt"])
        self.assertAlmostEqual(ra["alt"][1], bp.haversine_km(0.5, 0.99, 0.6, 0.98), places=6)

    def test_other_pairs_and_far_edges_are_ignored(self):
        points = {1: (0.99, 0.5), 2: (1.01, 0.5),   # AA-CC crossing right at the post
                  3: (0.5, 0.995), 4: (0.5, 1.5)}   # AA-BB crossing but the post is AA-BB far away
        p = post("A", "AA", "BB", 0.99, 0.5)
        [r] = run([p], points, [(1, 2), (3, 4)], radius_km=40.0)
        self.assertEqual(r["status"], "none")
        self.assertEqual((r["lat"], r["lon"]), (0.99, 0.5))

    def test_long_edge_is_not_a_position(self):
        # The only crossing edge passes right by the post, but its AA node is 55 km inland.
        points = {1: (0.5, 0.5), 2: (0.5, 1.01)}
        [r] = run([post("A", "AA", "BB", 0.5, 1.0)], points, [(1, 2)])
        self.assertEqual(r["status"], "long")
        self.assertAlmostEqual(r["nearest"][1], 0.5 * KM, delta=0.1)
        # The BB node is right at the border, so the BB post is measured.
        [r] = run([post("B", "BB", "AA", 0.5, 1.0)], points, [(1, 2)])
        self.assertEqual(r["status"], "measured")
        self.assertEqual(r["node"], 2)

    def test_parallel_short_edge_is_taken_but_not_a_neighbouring_crossing(self):
        long_edge = {1: (0.5, 0.5), 2: (0.5, 1.01)}
        parallel = {3: (0.51, 0.99), 4: (0.51, 1.01)}     # 1.1 km north
        neighbour = {3: (0.7, 0.99), 4: (0.7, 1.01)}      # 22 km north
        p = post("A", "AA", "BB", 0.5, 1.0)
        [r] = run([p], {**long_edge, **parallel}, [(1, 2), (3, 4)])
        self.assertEqual((r["status"], r["node"]), ("measured", 3))
        [r] = run([p], {**long_edge, **neighbour}, [(1, 2), (3, 4)])
        self.assertEqual(r["status"], "long")
        [r] = run([p], {**long_edge, **neighbour}, [(1, 2), (3, 4)], same_km=30.0)
        self.assertEqual((r["status"], r["node"]), ("measured", 3))
        [r] = run([p], {**long_edge, **neighbour}, [(1, 2), (3, 4)], max_border_km=60.0)
        self.assertEqual((r["status"], r["node"]), ("measured", 1))

    def test_tie_goes_to_the_nearer_own_node(self):
        # Two AA roads end at one BB node east of them; the post is farther east, so both
        # edges are nearest at that node: equal distances.
        points = {1: (0.5, 1.01), 2: (0.45, 0.95), 3: (0.52, 0.98)}
        p = post("A", "AA", "BB", 0.5, 1.03)
        found = bp.near_edges([0], [p], points, [(1, 2, 8.6), (1, 3, 4.0)], 40.0)
        self.assertEqual(found[0][0][0], found[0][1][0])
        for edges in ([(1, 2), (1, 3)], [(1, 3), (1, 2)]):
            [r] = run([p], points, edges)
            self.assertEqual(r["node"], 3)
        # Whichever edge is nearer still wins over a nearer own-side node.
        [r] = run([post("A", "AA", "BB", 0.49, 0.995)], points, [(1, 2), (1, 3)])
        self.assertEqual(r["node"], 2)

    def test_keep_approx_and_modes(self):
        points = {1: (0.5, 0.99), 2: (0.5, 1.01)}
        p, q = post("A", "AA", "BB", 0.5, 1.0), post("R", "AA", "BB", 0.5, 1.0, mode="rail")
        rp, rq = run([p, q], points, [(1, 2)], keep_approx={("AA", "A", "road"): "border off"})
        self.assertEqual((rp["status"], rp["reason"]), ("kept", "border off"))
        self.assertEqual(rq["status"], "none")  # the rail graph is empty
        self.assertIn("approximate position: border off", bp.out_note(p, rp, 40.0))


class SplitTest(unittest.TestCase):
    """A crossing drawn as one long edge: the BB post is measured at the edge's BB node, the AA
    post (its AA node 55 km inland) gets a split of the edge 0.5 km past the border."""

    def setUp(self):
        self.points = {1: (0.5, 0.5), 2: (0.5, 1.01)}
        self.posts = [post("A", "AA", "BB", 0.5, 0.99), post("B", "BB", "AA", 0.5, 1.0)]

    def split(self, served=lambda p: False):
        graphs = {m: ({}, lambda: iter(())) for m in bp.MODES}
        graphs["road"] = graph(self.points, [(1, 2)])
        results = bp.measure(self.posts, shapes(), graphs, 40.0)
        self.assertEqual([r["status"] for r in results], ["long", "measured"])
        return results, bp.measure_partners(self.posts, results, shapes(), graphs, served)

    def test_the_unmeasured_post_splits_its_partner_s_edge(self):
        results, joins = self.split()
        ra = results[0]
        self.assertEqual(ra["status"], "measured")
        # 0.5 km west of the border (lon 1.0) on the edge, in AA.
        self.assertAlmostEqual(ra["lat"], 0.5, places=6)
        self.assertAlmostEqual((1.0 - ra["lon"]) * KM, bp.SPLIT_PAST_KM, delta=0.02)
        [j] = joins
        self.assertEqual((j["mode"], j["lat_a"], j["lon_a"], j["lat_b"], j["lon_b"]),
                         ("road", "0.50000", "1.01000", "0.50000", "0.50000"))
        self.assertEqual(j["via"], f"{ra['lat']:.5f} {ra['lon']:.5f}")
        # The join keeps the edge's own length and says what made it.
        self.assertEqual(j["km"], f"{bp.haversine_km(0.5, 0.5, 0.5, 1.01):.3f}")
        self.assertIn(bp.SPLIT_SRC, j["src"])
        self.assertIn("on the crossing edge of B", bp.out_note(self.posts[0], ra, 40.0))

    def test_a_post_that_a_hand_join_serves_is_left_alone(self):
        results, joins = self.split(served=lambda p: p["name"] == "A")
        self.assertEqual((results[0]["status"], joins), ("long", []))

    def test_rerun_keeps_hand_rows_and_rewrites_splits(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "joins.csv")
            hand = {"mode": "road", "lat_a": "1", "lon_a": "2", "lat_b": "3", "lon_b": "4", "via": "",
                    "km": "", "src": "EST-GAP-JOIN", "note": "by hand, with a comma", "end_b": ""}
            _, joins = self.split()
            bp.write_joins([hand], joins, path)
            bp.write_joins(bp.read_hand_joins(path), joins, path)
            with open(path, encoding="utf-8", newline="") as f:
                rows = list(csv.DictReader(f))
            self.assertEqual(len(rows), 2)
            self.assertEqual(rows[0], hand)
            self.assertIn(bp.SPLIT_SRC, rows[1]["src"])

    def test_a_split_reworded_by_hand_is_kept(self):
        # Posin's split of Zilupe's edge carries the split source but a note written by hand:
        # the tool no longer writes it, so dropping it would lose the join.
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "joins.csv")
            _, joins = self.split()
            reworded = dict(joins[0], note="Posin (RU) on the crossing edge of Zilupe (LV), by hand")
            bp.write_joins([reworded], joins, path)
            kept = bp.read_hand_joins(path)
            self.assertEqual(kept, [reworded])
            self.assertTrue(bp.is_tool_split(joins[0]))


class PairsTest(unittest.TestCase):
    def test_mutual_nearest(self):
        posts = [post("A1", "AA", "BB", 0.5, 1.0), post("B1", "BB", "AA", 0.5, 1.01),
                 post("B2", "BB", "AA", 0.55, 1.01), post("A2", "AA", "BB", 0.56, 1.0),
                 post("R", "AA", "BB", 0.5, 1.0, mode="rail")]
        self.assertEqual(bp.crossing_pairs(posts), [(0, 1), (2, 3)])

    def test_mismatch_lines(self):
        posts = [post("A1", "AA", "BB", 0.5, 1.0), post("B1", "BB", "AA", 0.5, 1.01)]
        m = {"status": "measured", "lat": 0.5, "lon": 0.99, "edge": (1, 2, 0.1)}
        self.assertEqual(bp.pair_mismatches(posts, [m, dict(m, lon=1.01)]), [])
        lines = bp.pair_mismatches(posts, [m, dict(m, lon=1.01, edge=(3, 4, 0.2))])
        self.assertEqual(len(lines), 1)
        self.assertIn("different edges", lines[0])
        lines = bp.pair_mismatches(posts, [m, {"status": "long", "lat": 0.5, "lon": 1.01}])
        self.assertEqual(lines, ["A1 / B1 (road): only A1 measured"])


class MainTest(unittest.TestCase):
    POSTS = [
        # name, aliases, country, other, mode, lat, lon, note
        ("Bravo", "Б|b", "BB", "AA", "road", 0.5, 1.005, "B side"),
        ("Alpha", "", "AA", "BB", "road", 0.5, 0.995, "A side, road"),
        ("Alpha", "", "AA", "BB", "rail", 0.3, 0.995, ""),
        ("Nowhere", "", "AA", "CC", "road", 0.999, 0.5, "no graph here"),
    ]

    def write_inputs(self, d, gz):
        posts = os.path.join(d, "posts.csv")
        with open(posts, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(bp.INPUT_COLUMNS)
            w.writerows(self.POSTS)
        countries = os.path.join(d, "countries.geojson.gz")
        feats = [{"type": "Feature", "properties": {"ISO_A2": c, "ADMIN": c},
                  "geometry": {"type": "Polygon", "coordinates": r}} for c, r in RINGS.items()]
        feats.append({"type": "Feature", "properties": {"ISO_A2": "-99", "ADM0_A3": "XXX"},
                      "geometry": {"type": "Polygon", "coordinates": [box(5, 5, 6, 6)]}})
        with gzip.open(countries, "wt", encoding="utf-8") as f:
            json.dump({"type": "FeatureCollection", "features": feats}, f)
        opener, ext = (gzip.open, ".csv.gz") if gz else (open, ".csv")
        graphs = {"road": ([(0, 0.5, 0.99), (1, 0.5, 1.01), (2, 0.4, 0.9)], [(0, 1, 2.2), (0, 2, 15.0)]),
                  "rail": ([(0, 0.3, 0.98), (1, 0.3, 1.02)], [(0, 1, 4.5)])}
        prefixes = {}
        for mode, (nodes, edges) in graphs.items():
            prefix = os.path.join(d, mode)
            with opener(prefix + "_nodes" + ext, "wt", encoding="utf-8", newline="") as f:
                f.write("id,lat,lon\n" + "".join(f"{i},{la},{lo}\n" for i, la, lo in nodes))
            with opener(prefix + "_edges" + ext, "wt", encoding="utf-8", newline="") as f:
                f.write("u,v,km\n" + "".join(f"{u},{v},{k}\n" for u, v, k in edges))
            prefixes[mode] = prefix
        return posts, countries, prefixes

    def run_main(self, gz):
        with tempfile.TemporaryDirectory() as d:
            posts, countries, prefixes = self.write_inputs(d, gz)
            out = os.path.join(d, "extra.csv")
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf):
                rc = bp.main(["--crossings", posts, "--countries", countries, "--road", prefixes["road"],
                              "--rail", prefixes["rail"], "--output", out,
                              "--joins", os.path.join(d, "joins.csv")])
            self.assertEqual(rc, 0)
            with open(out, "rb") as f:
                return f.read(), buf.getvalue()

    def test_output_sorted_and_deterministic(self):
        first, log = self.run_main(gz=True)
        second, _ = self.run_main(gz=False)
        self.assertEqual(first, second)
        rows = list(csv.reader(io.StringIO(first.decode("utf-8"))))
        self.assertEqual(rows[0], bp.OUTPUT_COLUMNS)
        body = rows[1:]
        self.assertEqual([r[0] for r in body], ["XBAAALH", "XBAAALP", "XBAANOW", "XBBBBRA"])
        by_code = {r[0]: r for r in body}
        # Codes follow the file order: Bravo BRA, Alpha ALP (road), Alpha ALH (rail), Nowhere NOW.
        road, rail, none, bravo = (by_code[c] for c in ("XBAAALP", "XBAAALH", "XBAANOW", "XBBBBRA"))
        self.assertEqual(road[1:9], ["Alpha", "", "AA", "0.50000", "0.99000", "bd", "OSM-ROAD-CROSSING",
                                     road[8]])
        self.assertTrue(road[8].startswith("A side, road; measured 0.6 km from the approximate position"))
        self.assertEqual((rail[4], rail[5], rail[6], rail[7]), ("0.30000", "0.98000", "br", "OSM-RAIL-CROSSING"))
        self.assertTrue(rail[8].startswith("measured "))
        self.assertEqual((bravo[2], bravo[4], bravo[5]), ("Б|b", "0.50000", "1.01000"))
        self.assertEqual((none[4], none[5], none[7]), ("0.99900", "0.50000", "EST-POSITION"))
        self.assertEqual(none[8], "no graph here; approximate position: no OSM road crossing edge within 40 km")
        self.assertIn("4 posts, 3 measured, 1 estimated", log)
        self.assertIn("estimated, no crossing edge within 40 km: XBAANOW Nowhere", log)
        self.assertTrue(first.endswith(b"\n") and b"\r" not in first)

    def test_unknown_country_is_an_error(self):
        with tempfile.TemporaryDirectory() as d:
            posts, countries, prefixes = self.write_inputs(d, gz=True)
            with open(posts, "a", encoding="utf-8") as f:
                f.write("Zed,,ZZ,AA,road,0.5,1.0,\n")
            err = io.StringIO()
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                rc = bp.main(["--crossings", posts, "--countries", countries, "--road", prefixes["road"],
                              "--rail", prefixes["rail"], "--output", os.path.join(d, "o.csv"),
                              "--joins", os.path.join(d, "joins.csv")])
            self.assertEqual(rc, 2)
            self.assertIn("ZZ", err.getvalue())
            self.assertFalse(os.path.exists(os.path.join(d, "o.csv")))

    def test_codes_look_nothing_like_unlocode(self):
        for code in bp.assign_codes([post(n, "KG", "CN", 0, 0) for n in ("Irkeshtam", "Torugart", "Ö")]):
            self.assertTrue(re.fullmatch(r"XB[A-Z]{5}", code))
            self.assertEqual(len(code), 7)



class HandPlacedRows(unittest.TestCase):
    def test_hand_placed_rows_survive_a_rerun_and_generated_codes_win(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "extra.csv")
            hand = ["XBBYGUD", "Gudogai", "", "BY", "54.66", "26.07", "br", bp.HAND_PLACED, "approximate"]
            clash = ["XBAABBB", "Old", "", "AA", "0.5", "0.9", "bd", bp.HAND_PLACED, "approximate"]
            measured = ["XBAAMEA", "M", "", "AA", "0.5", "0.9", "bd", "OSM-ROAD-CROSSING", "measured"]
            bp.write_rows([measured, hand, clash], path)
            self.assertEqual(bp.hand_placed(path, {"XBAABBB"}), [hand])
            self.assertEqual(bp.hand_placed(os.path.join(d, "absent.csv"), set()), [])

if __name__ == "__main__":
    unittest.main()
