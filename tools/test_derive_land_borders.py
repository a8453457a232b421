"""Unit tests of tools/derive_land_borders.py on small hand-made polygons (no shared data needed).

Run from the repository root:  python3 -m unittest discover -s tools -p 'test_*.py'
"""

import contextlib
import gzip
import io
import json
import math
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import derive_land_borders as lb  # noqa: E402

KM = lb.KM_PER_DEG  # km per degree of latitude


def box(x0, y0, x1, y1):
    """A closed rectangular ring [lon, lat]."""
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]


def feature(props, *rings, multi=False):
    if multi:
        geometry = {"type": "MultiPolygon", "coordinates": [[r] for r in rings]}
    else:
        geometry = {"type": "Polygon", "coordinates": list(rings)}
    return {"type": "Feature", "properties": props, "geometry": geometry}


def pairs(countries, **kw):
    return set(lb.neighbours(countries, **kw))


class CountryCodeTest(unittest.TestCase):
    def test_eh_wins_when_usable(self):
        self.assertEqual(lb.country_code({"ISO_A2_EH": "FR", "ISO_A2": "-99"}), "FR")
        self.assertEqual(lb.country_code({"ISO_A2_EH": "-99", "ISO_A2": "CY"}), "CY")
        self.assertEqual(lb.country_code({"ISO_A2": "KZ"}), "KZ")

    def test_fallback_table_and_skip(self):
        # Older Natural Earth files: no ISO_A2_EH and -99 for France and Norway.
        self.assertEqual(lb.country_code({"ISO_A2": "-99", "ADM0_A3": "FRA"}), "FR")
        self.assertEqual(lb.country_code({"ISO_A2": "-99", "ADM0_A3": "NOR"}), "NO")
        self.assertIsNone(lb.country_code({"ISO_A2": "-99", "ADM0_A3": "SOL"}))
        self.assertIsNone(lb.country_code({"ISO_A2_EH": "-99", "ISO_A2": "-99"}))
        self.assertIsNone(lb.country_code({}))

    def test_collect_merges_and_lists_skipped(self):
        data = {"features": [
            feature({"ISO_A2": "AA", "ADMIN": "A"}, box(0, 0, 1, 1)),
            feature({"ISO_A2": "AA", "ADMIN": "A islands"}, box(5, 5, 6, 6), box(7, 7, 8, 8), multi=True),
            feature({"ISO_A2": "-99", "ADMIN": "Nowhere", "ADM0_A3": "NWH"}, box(2, 2, 3, 3)),
            {"type": "Feature", "properties": {"ISO_A2": "BB", "ADMIN": "B"}, "geometry": None},
        ]}
        countries, skipped = lb.collect(data)
        self.assertEqual(sorted(countries), ["AA"])
        self.assertEqual(len(countries["AA"]), 3)
        self.assertEqual(len(skipped), 2)
        self.assertTrue(skipped[0].startswith("Nowhere"))


class GeometryTest(unittest.TestCase):
    def test_densify_bounds_piece_length(self):
        ring = [[0.0, 0.0], [1.0, 0.0], [1.0, 0.001]]
        pts = lb.densify(ring, 2.0)
        self.assertEqual(pts[0], (0.0, 0.0))
        self.assertEqual(pts[-1], (1.0, 0.001))
        self.assertEqual(len(pts), 58)  # 111.2 km -> 56 pieces, then the short segment
        for (ax, ay), (bx, by) in zip(pts, pts[1:]):
            self.assertLessEqual(lb.point_segment_km(ax, ay, bx, by, bx, by), 2.0)

    def test_point_segment(self):
        self.assertEqual(lb.point_segment_km(0.5, 0.0, 0.0, 0.0, 1.0, 0.0), 0.0)
        self.assertAlmostEqual(lb.point_segment_km(0.5, 0.01, 0.0, 0.0, 1.0, 0.0), 0.01 * KM, places=3)
        # Beyond the end the distance is to the end point.
        self.assertAlmostEqual(lb.point_segment_km(1.0, 0.01, -1.0, 0.0, 0.0, 0.0), 1.0 * KM, delta=0.1)
        # Across the antimeridian.
        self.assertAlmostEqual(lb.point_segment_km(179.995, 0.0, -179.995, -1.0, -179.995, 1.0),
                               0.01 * KM, places=3)


class NeighboursTest(unittest.TestCase):
    def test_shared_edge_touches(self):
        found = lb.neighbours({"AA": [box(0, 0, 1, 1)], "BB": [box(1, 0, 2, 1)],
                               "CC": [box(5, 5, 6, 6)]})
        self.assertEqual(found, {("AA", "BB"): 0.0})

    def test_gap_threshold(self):
        gap_1km, gap_3km = 1.0 / KM, 3.0 / KM
        self.assertEqual(pairs({"AA": [box(0, 0, 1, 1)], "BB": [box(1 + gap_1km, 0, 2, 1)]}),
                         {("AA", "BB")})
        self.assertEqual(pairs({"AA": [box(0, 0, 1, 1)], "BB": [box(1 + gap_3km, 0, 2, 1)]}), set())
        self.assertEqual(pairs({"AA": [box(0, 0, 1, 1)], "BB": [box(1 + gap_3km, 0, 2, 1)]}, km=5.0),
                         {("AA", "BB")})

    def test_vertex_near_the_middle_of_a_long_segment(self):
        # BB's only vertices near AA are far from AA's vertices: a triangle whose tip is
        # 1 km north of the middle of AA's 111 km long northern edge.
        tip = 1.0 + 1.0 / KM
        tri = [[0.5, tip], [0.0, 1.5], [1.0, 1.5], [0.5, tip]]
        self.assertEqual(pairs({"AA": [box(0, 0, 1, 1)], "BB": [tri]}), {("AA", "BB")})
        far = [[0.5, 1.0 + 3.0 / KM], [0.0, 1.5], [1.0, 1.5], [0.5, 1.0 + 3.0 / KM]]
        self.assertEqual(pairs({"AA": [box(0, 0, 1, 1)], "BB": [far]}), set())

    def test_high_latitude_reaches_several_cells(self):
        # At 80 N 0.1 deg of longitude is 1.93 km: the facing edges (lon 10.02, cell 3800,
        # and lon 10.12, cell 3802) are two cells apart, still a neighbour.
        self.assertEqual(math.floor((10.12 + 180.0) / 0.05) - math.floor((10.02 + 180.0) / 0.05), 2)
        self.assertEqual(pairs({"AA": [box(9, 79.9, 10.02, 80.1)], "BB": [box(10.12, 79.9, 11, 80.1)]}),
                         {("AA", "BB")})
        self.assertEqual(pairs({"AA": [box(9, 79.9, 10.02, 80.1)], "BB": [box(10.22, 79.9, 11, 80.1)]}),
                         set())

    def test_antimeridian(self):
        east = box(179.0, -1.0, 179.995, 1.0)
        west = box(-179.995, -1.0, -179.0, 1.0)
        self.assertEqual(pairs({"AA": [east], "BB": [west]}), {("AA", "BB")})

    def test_islands_and_holes_count(self):
        # AA has an enclave hole that CC fills, and an island touching BB far away.
        aa = [box(0, 0, 3, 3), box(1, 1, 2, 2), box(10, 10, 11, 11)]
        found = pairs({"AA": aa, "BB": [box(11, 10, 12, 11)], "CC": [box(1, 1, 2, 2)]})
        self.assertEqual(found, {("AA", "BB"), ("AA", "CC")})


class MainTest(unittest.TestCase):
    def run_main(self, data, gz):
        with tempfile.TemporaryDirectory() as d:
            src = os.path.join(d, "in.geojson" + (".gz" if gz else ""))
            opener = gzip.open if gz else open
            with opener(src, "wt", encoding="utf-8") as f:
                json.dump(data, f)
            out = os.path.join(d, "out.csv")
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf):
                self.assertEqual(lb.main([src, out]), 0)
            with open(out, "rb") as f:
                return f.read(), buf.getvalue()

    def test_csv_sorted_and_deterministic(self):
        data = {"type": "FeatureCollection", "features": [
            feature({"ISO_A2": "ZZ"}, box(1, 0, 2, 1)),
            feature({"ISO_A2": "-99", "ADM0_A3": "FRA"}, box(0, 0, 1, 1)),
            feature({"ISO_A2_EH": "AA", "ISO_A2": "-99"}, box(0, 1, 1, 2)),
            feature({"ISO_A2": "-99", "ADM0_A3": "XXX", "ADMIN": "Limbo"}, box(2, 0, 3, 1)),
        ]}
        first, log = self.run_main(data, gz=True)
        second, _ = self.run_main(data, gz=False)
        self.assertEqual(first, second)
        # ZZ-AA touch at the corner (1, 1); FR touches both.
        self.assertEqual(first, b"a,b\nAA,FR\nAA,ZZ\nFR,ZZ\n")
        self.assertIn("skipped: Limbo", log)
        self.assertIn("3 countries, 3 pairs", log)

    def test_sanity_report(self):
        lines = lb.sanity_report({("GB", "IE"): 0.0, ("AE", "IR"): 1.0}, {"GB", "IE", "AE", "IR"})
        text = "\n".join(lines)
        self.assertIn("OK   GB exactly IE", text)
        self.assertIn("FAIL AE excludes IR", text)
        self.assertIn("SKIP CN", text)


if __name__ == "__main__":
    unittest.main()
