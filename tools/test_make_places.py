"""Unit tests of tools/make_places.py on small hand-made inputs (no shared data needed)."""

import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import make_places as mp  # noqa: E402


def place(name, lon, lat, pop, capital=0, cc="KZ"):
    return {
        "type": "Feature",
        "properties": {"name": name, "pop_max": pop, "adm0cap": capital, "iso_a2": cc, "other": 1},
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
    }


class ZoomTest(unittest.TestCase):
    def test_bigger_cities_show_earlier(self):
        self.assertEqual(mp.zoom_of(6_000_000, False), 4)
        self.assertEqual(mp.zoom_of(2_500_000, False), 5)
        self.assertEqual(mp.zoom_of(800_000, False), 6)
        self.assertEqual(mp.zoom_of(200_000, False), 7)

    def test_capitals_show_at_the_capital_zoom(self):
        self.assertEqual(mp.zoom_of(50_000, True), mp.CAPITAL_ZOOM)


class BuildTest(unittest.TestCase):
    def test_keeps_eurasia_over_the_threshold_and_capitals(self):
        data = {"type": "FeatureCollection", "features": [
            place("Almaty", 76.912345, 43.255, 2_000_000),
            place("Tiny", 70.0, 45.0, 1_000),
            place("Astana", 71.43, 51.18, 100_000, capital=1),
            place("Chicago", -87.6, 41.8, 9_000_000, cc="US"),
            place("", 70.0, 45.0, 900_000),
        ]}
        out = mp.build(data, 150_000, 2)
        names = [p[2] for p in out["places"]]
        self.assertEqual(names, ["Astana", "Almaty"])
        self.assertEqual(out["fields"], ["lon", "lat", "name", "country", "zoom"])
        self.assertEqual(out["places"][1], [76.91, 43.26, "Almaty", "KZ", 5])
        self.assertIn("Natural Earth", out["attribution"])

    def test_order_is_zoom_then_population_and_duplicates_drop(self):
        data = {"type": "FeatureCollection", "features": [
            place("B", 10.0, 50.0, 300_000),
            place("A", 11.0, 50.0, 600_000),
            place("A", 11.0, 50.0, 600_000),
            place("Big", 12.0, 50.0, 9_000_000),
        ]}
        names = [p[2] for p in mp.build(data, 150_000, 2)["places"]]
        self.assertEqual(names, ["Big", "A", "B"])

    def test_main_writes_deterministic_json(self):
        data = {"type": "FeatureCollection", "features": [place("Almaty", 76.9, 43.25, 2_000_000),
                                                          place("Astana", 71.43, 51.18, 1_000_000)]}
        with tempfile.TemporaryDirectory() as d:
            src, a, b = (os.path.join(d, n) for n in ("in.geojson", "a.json", "b.json"))
            with open(src, "w", encoding="utf-8") as f:
                json.dump(data, f)
            self.assertEqual(mp.main([src, a]), 0)
            self.assertEqual(mp.main([src, b]), 0)
            with open(a, "rb") as fa, open(b, "rb") as fb:
                self.assertEqual(fa.read(), fb.read())
            with open(a, encoding="utf-8") as f:
                self.assertEqual(len(json.load(f)["places"]), 2)


if __name__ == "__main__":
    unittest.main()
