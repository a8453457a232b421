"""Unit tests of tools/make_basemap.py on small hand-made inputs (no shared data needed)."""

import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import make_basemap as mb  # noqa: E402


def country(name, ring, **extra):
    return {
        "type": "Feature",
        "properties": {"NAME": name, "POP_EST": 1, **extra},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


SQUARE_KZ = [[60.0, 45.0], [60.0, 50.0], [70.0, 50.0], [70.0, 45.0], [60.0, 45.0]]
SQUARE_US = [[-100.0, 35.0], [-100.0, 40.0], [-90.0, 40.0], [-90.0, 35.0], [-100.0, 35.0]]


class SimplifyTest(unittest.TestCase):
    def test_collinear_points_are_dropped_and_ends_kept(self):
        line = [[0.0, 0.0], [1.0, 0.001], [2.0, 0.0], [3.0, 0.0]]
        self.assertEqual(mb.simplify(line, 0.01), [[0.0, 0.0], [3.0, 0.0]])

    def test_a_corner_beyond_the_tolerance_stays(self):
        line = [[0.0, 0.0], [1.0, 1.0], [2.0, 0.0]]
        self.assertEqual(mb.simplify(line, 0.5), line)

    def test_a_collapsed_ring_is_dropped(self):
        tiny = [[0.0, 0.0], [0.001, 0.0], [0.001, 0.001], [0.0, 0.0]]
        self.assertIsNone(mb.compact_ring(tiny, 0.04, 2))


class BuildTest(unittest.TestCase):
    def test_keeps_eurasia_and_only_the_name(self):
        data = {"type": "FeatureCollection", "features": [
            country("United States", SQUARE_US), country("Kazakhstan", SQUARE_KZ)]}
        out = mb.build(data, 0.04, 2)
        self.assertEqual([f["properties"] for f in out["features"]], [{"name": "Kazakhstan"}])
        ring = out["features"][0]["geometry"]["coordinates"][0]
        self.assertEqual(ring[0], ring[-1])
        self.assertEqual(len(ring), 5)

    def test_output_is_deterministic(self):
        data = {"type": "FeatureCollection", "features": [country("B", SQUARE_KZ), country("A", SQUARE_KZ)]}
        with tempfile.TemporaryDirectory() as d:
            src = os.path.join(d, "in.geojson")
            with open(src, "w") as f:
                json.dump(data, f)
            outs = []
            for name in ("a.geojson", "b.geojson"):
                mb.main([src, os.path.join(d, name)])
                with open(os.path.join(d, name), "rb") as f:
                    outs.append(f.read())
        self.assertEqual(outs[0], outs[1])
        self.assertEqual([f["properties"]["name"] for f in json.loads(outs[0])["features"]], ["A", "B"])


if __name__ == "__main__":
    unittest.main()
