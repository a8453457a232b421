#!/usr/bin/env python3
"""Unit tests for tools/derive_network.py (stdlib unittest).

Run from the repository root:  python3 -m unittest discover -s tools -p 'test_*.py'
"""

import contextlib
import csv
import io
import math
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import derive_network as dn  # noqa: E402


class PolylineTest(unittest.TestCase):
    def test_google_example(self):
        pts = [(38.5, -120.2), (40.7, -120.95), (43.252, -126.453)]
        self.assertEqual(dn.encode_polyline(pts), "_p~iF~ps|U_ulLnnqC_mqNvxq`@")

    def test_roundtrip(self):
        pts = [(52.22977, 21.01178), (41.00824, 28.97836), (-33.8688, 151.2093), (0.0, 0.0),
               (0.00001, -0.00001)]
        back = dn.decode_polyline(dn.encode_polyline(pts))
        for (a, b), (c, d) in zip(pts, back):
            self.assertAlmostEqual(a, c, places=5)
            self.assertAlmostEqual(b, d, places=5)

    def test_empty_and_csv_quoting(self):
        self.assertEqual(dn.encode_polyline([]), "")
        # A polyline with a backslash and a quote survives a csv round trip.
        enc = dn.encode_polyline([(0.0, 0.0), (-0.00147, 0.0), (0.0, -0.00018)])
        buf = io.StringIO()
        csv.writer(buf, quoting=csv.QUOTE_MINIMAL, lineterminator="\n").writerow(["x", enc])
        self.assertEqual(next(csv.reader(io.StringIO(buf.getvalue())))[1], enc)


class HaversineTest(unittest.TestCase):
    def test_zero(self):
        self.assertEqual(dn.haversine_km(10.0, 20.0, 10.0, 20.0), 0.0)

    def test_one_degree_equator(self):
        self.assertAlmostEqual(dn.haversine_km(0, 0, 0, 1), 111.195, places=2)

    def test_known_distance(self):
        # Warsaw - Berlin ~ 517 km.
        d = dn.haversine_km(52.2297, 21.0122, 52.5200, 13.4050)
        self.assertTrue(515 < d < 520, d)

    def test_symmetric_and_antimeridian(self):
        self.assertAlmostEqual(dn.haversine_km(1, 2, 3, 4), dn.haversine_km(3, 4, 1, 2))
        self.assertAlmostEqual(dn.haversine_km(0, 179.5, 0, -179.5), 111.195, places=2)


class DouglasPeuckerTest(unittest.TestCase):
    def test_collinear_collapses(self):
        pts = [(50.0, 10.0 + i * 0.01) for i in range(100)]
        self.assertEqual(dn.douglas_peucker(pts, 1.0), [pts[0], pts[-1]])

    def test_keeps_corner(self):
        pts = [(50.0, 10.0), (50.0, 10.5), (50.0, 11.0), (50.5, 11.0), (51.0, 11.0)]
        self.assertEqual(dn.douglas_peucker(pts, 1.0), [(50.0, 10.0), (50.0, 11.0), (51.0, 11.0)])

    def test_tolerance(self):
        # A 0.5 km bump disappears at 1 km tolerance and stays at 0.1 km.
        bump = 0.5 / dn.KM_PER_DEG
        pts = [(0.0, 0.0), (bump, 0.5), (0.0, 1.0)]
        self.assertEqual(len(dn.douglas_peucker(pts, 1.0)), 2)
        self.assertEqual(len(dn.douglas_peucker(pts, 0.1)), 3)

    def test_short(self):
        self.assertEqual(dn.douglas_peucker([(1.0, 2.0)], 1.0), [(1.0, 2.0)])
        self.assertEqual(dn.douglas_peucker([], 1.0), [])


def tiny_network():
    """Main component: a chain 0-1-2-3-4 along lat 50 (0.1 deg lon apart) plus a
    shortcut-free detour 0-5-4; a 2-node spur (6-7) right next to node 0's location; a
    separate 3-node component (8-9-10) at lon 12."""
    lats = [50.0, 50.0, 50.0, 50.0, 50.0, 50.5, 50.001, 50.002, 50.0, 50.0, 50.0]
    lons = [10.0, 10.1, 10.2, 10.3, 10.4, 10.2, 9.95, 9.96, 12.0, 12.1, 12.2]
    edges = [(0, 1, 7.2), (1, 2, 7.2), (2, 3, 7.2), (3, 4, 7.2), (0, 5, 60.0), (5, 4, 60.0),
             (6, 7, 0.8), (8, 9, 7.2), (9, 10, 7.2)]
    return dn.Network("tiny", lats, lons, edges, cell_deg=0.1)


class NetworkTest(unittest.TestCase):
    def setUp(self):
        self.net = tiny_network()

    def test_components(self):
        net = self.net
        self.assertEqual(net.comp_size, [6, 3, 2])
        self.assertEqual(net.comp[0], 0)
        self.assertEqual(net.comp[8], 1)
        self.assertEqual(net.comp[6], 2)

    def test_within(self):
        hits = self.net.within(50.0, 10.0, 8.0)
        self.assertEqual([i for _, i in hits], [0, 7, 6, 1])

    def test_snap_restricted_to_large_components(self):
        # Nearest node is on the 2-node spur (node 6) but with min_comp=3 it is skipped.
        c = self.net.snap_candidates(50.001, 9.95, 30.0, 1, 8)
        self.assertEqual(c[0][1], 6)
        c = self.net.snap_candidates(50.001, 9.95, 30.0, 3, 8)
        self.assertEqual(c[0][1], 0)
        self.assertEqual(c[0][2], 0)
        self.assertAlmostEqual(c[0][0], dn.haversine_km(50.001, 9.95, 50.0, 10.0))

    def test_snap_limit(self):
        self.assertEqual(self.net.snap_candidates(52.0, 10.0, 30.0, 3, 8), [])

    def test_dijkstra_shortest_and_early_exit(self):
        net = self.net
        dist, prev, done = net.dijkstra(0, [4])
        self.assertAlmostEqual(dist[4], 28.8)
        self.assertEqual(dn.Network.path_to(prev, 4), [0, 1, 2, 3, 4])
        dist, prev, done = net.dijkstra(0, [1])
        self.assertNotIn(4, done)  # stopped once the target was settled

    def test_dijkstra_multi_target_and_other_component(self):
        net = self.net
        dist, prev, done = net.dijkstra(0, [2, 4])
        self.assertAlmostEqual(dist[2], 14.4)
        self.assertAlmostEqual(dist[4], 28.8)
        dist, prev, done = net.dijkstra(0, [9])
        self.assertNotIn(9, done)

    def test_closest_pair(self):
        d, a, b = self.net.closest_pair(0, 1)
        self.assertEqual((a, b), (4, 8))
        self.assertAlmostEqual(d, dn.haversine_km(50.0, 10.4, 50.0, 12.0))


class RewriteTest(unittest.TestCase):
    def test_only_km_cells_change(self):
        text = ("id,from,to,km,km_src,notes\r\n"
                "# comment, kept\r\n"
                "a,X,Y,100,OSM-RAIL,\"note, with \"\"quotes\"\"\"\r\n"
                "b,X,Z,\"200\",OSM-RAIL,\r\n"
                "c,Y,Z,300,CURATED,\"multi\nline\"\r\n")
        out = dn.rewrite_links_km(text, {"a": "123", "b": "250"})
        self.assertEqual(out, text.replace(",100,", ",123,").replace('"200"', '"250"'))
        self.assertEqual(dn.rewrite_links_km(text, {"a": "100"}), text)


class EndToEndTest(unittest.TestCase):
    def test_dry_run_on_tiny_dataset(self):
        import gzip
        import tempfile
        net = tiny_network()
        with tempfile.TemporaryDirectory() as tmp:
            shared = os.path.join(tmp, "shared")
            os.makedirs(os.path.join(shared, "osm_rail_scgraph"))
            prefix = os.path.join(shared, "osm_rail_scgraph", "world_railways_eurasia")
            with gzip.open(prefix + "_nodes.csv.gz", "wt") as f:
                f.write("id,lat,lon\n")
                for i in range(net.n):
                    f.write("%d,%s,%s\n" % (i, net.lat[i], net.lon[i]))
            with gzip.open(prefix + "_edges.csv.gz", "wt") as f:
                f.write("u,v,km\n")
                for u in range(net.n):
                    for v, w in net.adj[u]:
                        if u < v:
                            f.write("%d,%d,%s\n" % (u, v, w))
            data = os.path.join(tmp, "data")
            os.makedirs(data)
            with open(os.path.join(data, "locations.csv"), "w") as f:
                f.write("id,name,lat,lon,platforms\n"
                        "AA,A,50.0,10.0,rail1435\nBB,B,50.0,10.4,rail1435\n"
                        "CC,C,50.0,12.2,rail1435\n")
            links = ("id,from,to,mode,km,km_src\n# c\n"
                     "ab,AA,BB,rail,30,OSM-RAIL\nac,AA,CC,rail,150,OSM-RAIL\n"
                     "bc,BB,CC,rail,120,EST\n")
            with open(os.path.join(data, "links.csv"), "w") as f:
                f.write(links)
            out = os.path.join(tmp, "out")
            argv = ["--data", data, "--shared", shared, "--out-dir", out, "--min-component",
                    "3", "--heal-km", "0"]
            quiet = contextlib.redirect_stdout(io.StringIO())
            with quiet, contextlib.redirect_stderr(io.StringIO()):
                dn.main(argv)
            with open(os.path.join(out, "links.csv")) as f:
                self.assertEqual(f.read(), links.replace("ab,AA,BB,rail,30,", "ab,AA,BB,rail,28.8,"))
            with open(os.path.join(out, "geometry.csv")) as f:
                rows = list(csv.reader(f))
            self.assertEqual(rows[0], ["link", "polyline"])
            self.assertEqual([r[0] for r in rows[1:]], ["ab"])
            self.assertEqual(dn.decode_polyline(rows[1][1]), [(50.0, 10.0), (50.0, 10.4)])
            with open(os.path.join(out, "derive_report.md")) as f:
                rep = f.read()
            self.assertIn("ac (OSM-RAIL): ends in different components", rep)
            # Healing with a large threshold joins the two components through the
            # 114 km gap: 28.8 + 114.5 + 14.4 km = 158 km vs 157 km great-circle.
            quiet = contextlib.redirect_stdout(io.StringIO())
            with quiet, contextlib.redirect_stderr(io.StringIO()):
                dn.main(argv[:-1] + ["200"])
            with open(os.path.join(out, "geometry.csv")) as f:
                self.assertEqual([r[0] for r in csv.reader(f)][1:], ["ab", "ac"])


if __name__ == "__main__":
    unittest.main()
