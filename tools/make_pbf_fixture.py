#!/usr/bin/env python3
"""Write the tiny .osm.pbf fixtures of corridor-import's pbf tests.

    python tools/make_pbf_fixture.py [OUT_DIR]   # default crates/corridor-import/tests/fixtures

writes two files with the same OpenStreetMap data:

* ``tiny.osm.pbf``: the usual encoding (DenseNodes, zlib-compressed blobs), as written by
  osmium, Geofabrik and planet dumps;
* ``tiny_plain.osm.pbf``: plain (non-dense) nodes and uncompressed blobs, the other paths of
  the format, which the reader must give exactly the same layers for.

Needs pyosmium (``pip install osmium``; tested with osmium 4.3.2 / libosmium 2.22). The output
is reproducible: fixed ids, coordinates with at most 7 decimals (the pbf's 100-nanodegree
grid, so they are stored exactly), no timestamps, and a fixed ``generator`` header. The test
``crates/corridor-import/tests/it/pbf.rs`` spells out the expected layers; change both together.

The data (lat, lon near the Poland-Belarus border; ids chosen so the expected graph is easy to
read):

Rail (kept: railway=rail|narrow_gauge, not service=yard):
  way 100 railway=rail gauge=1435        nodes 1-2-3      2 edges, 1435 mm
  way 101 railway=rail gauge=1520        nodes 3-4-5      2 edges, 1520 mm (meets way 100 at 3)
  way 102 railway=rail gauge=1435;1520   nodes 5-6        2 edges (one per gauge), dual gauge
  way 103 railway=disused gauge=1435     nodes 6-7        skipped (lifecycle)
  way 104 railway=rail service=yard      nodes 4-8        skipped (yard tracks)
  way 105 railway=narrow_gauge gauge=750 nodes 9-10       1 edge, 750 mm
  way 106 railway=rail (no gauge)        nodes 5-11-999-12-13: node 999 is missing (a clipped
                                         extract), so 11-999 and 999-12 are dropped: 2 edges, 0 mm
  way 107 railway=light_rail             nodes 14-15      skipped (urban passenger)
  way 108 railway=rail gauge=standard    nodes 16-17      1 edge, 0 mm (unparseable gauge)
  way 109 railway=rail gauge=1520        nodes 17-17-16   the repeated node is dropped: 1 edge 17-16
  -> 13 nodes, 11 edges, 2 segments dropped for missing nodes, 1 for a repeated node.

Road (kept: highway=motorway|trunk|primary|secondary and their _link):
  way 200 primary oneway=yes           nodes 20-21-22    2 one-way edges 20->21, 21->22
  way 201 primary_link oneway=-1       nodes 22-23       1 one-way edge 23->22
  way 202 residential                  nodes 22-24       skipped
  way 203 motorway (no oneway tag)     nodes 20-25       1 two-way edge (kept as tagged)
  way 204 trunk junction=roundabout    nodes 25-26-27-25 3 one-way edges (implied oneway)
  way 205 secondary oneway=no          nodes 1-20        1 two-way edge (node 1 is also rail)
  way 206 primary                      nodes 21-998      998 is missing: 1 dropped segment
  -> 8 nodes, 8 edges, 1 dropped segment.

Node 3 carries railway=station tags (a tagged node inside the DenseNodes block).
"""

from __future__ import annotations

import os
import sys

import osmium

NODES = {
    1: (52.0, 23.5),
    2: (52.01, 23.6),
    3: (52.02, 23.7),
    4: (52.03, 23.8),
    5: (52.04, 23.9),
    6: (52.05, 24.0),
    7: (52.06, 24.1),
    8: (52.035, 23.85),
    9: (52.1, 23.5),
    10: (52.11, 23.55),
    11: (52.05, 23.95),
    12: (52.06, 23.97),
    13: (52.07, 23.99),
    14: (52.2, 23.6),
    15: (52.21, 23.61),
    16: (52.3, 23.7),
    17: (52.31, 23.72),
    20: (52.0, 23.4),
    21: (52.0, 23.3),
    22: (52.01, 23.2),
    23: (52.02, 23.1),
    24: (52.03, 23.2),
    25: (51.99, 23.45),
    26: (51.98, 23.46),
    27: (51.985, 23.47),
}

NODE_TAGS = {3: {"railway": "station", "name": "Junction"}}

WAYS = [
    (100, [1, 2, 3], {"railway": "rail", "gauge": "1435"}),
    (101, [3, 4, 5], {"railway": "rail", "gauge": "1520"}),
    (102, [5, 6], {"railway": "rail", "gauge": "1435;1520"}),
    (103, [6, 7], {"railway": "disused", "gauge": "1435"}),
    (104, [4, 8], {"railway": "rail", "service": "yard", "gauge": "1520"}),
    (105, [9, 10], {"railway": "narrow_gauge", "gauge": "750"}),
    (106, [5, 11, 999, 12, 13], {"railway": "rail"}),
    (107, [14, 15], {"railway": "light_rail", "gauge": "1435"}),
    (108, [16, 17], {"railway": "rail", "gauge": "standard"}),
    (109, [17, 17, 16], {"railway": "rail", "gauge": "1520"}),
    (200, [20, 21, 22], {"highway": "primary", "oneway": "yes"}),
    (201, [22, 23], {"highway": "primary_link", "oneway": "-1"}),
    (202, [22, 24], {"highway": "residential"}),
    (203, [20, 25], {"highway": "motorway"}),
    (204, [25, 26, 27, 25], {"highway": "trunk", "junction": "roundabout"}),
    (205, [1, 20], {"highway": "secondary", "oneway": "no"}),
    (206, [21, 998], {"highway": "primary"}),
]


def write(path: str, fmt: str) -> None:
    header = osmium.io.Header()
    header.set("generator", "corridor tools/make_pbf_fixture.py")
    writer = osmium.SimpleWriter(osmium.io.File(path, fmt), header=header, overwrite=True)
    try:
        for nid, (lat, lon) in sorted(NODES.items()):
            writer.add_node(osmium.osm.mutable.Node(id=nid, location=(lon, lat), version=1,
                                                    tags=NODE_TAGS.get(nid, {})))
        for wid, refs, tags in WAYS:
            writer.add_way(osmium.osm.mutable.Way(id=wid, nodes=refs, tags=tags, version=1))
    finally:
        writer.close()


def main() -> None:
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "crates", "corridor-import", "tests", "fixtures")
    os.makedirs(out, exist_ok=True)
    for name, fmt in (("tiny.osm.pbf", "pbf"),
                      ("tiny_plain.osm.pbf", "pbf,pbf_dense_nodes=false,pbf_compression=none")):
        path = os.path.join(out, name)
        write(path, fmt)
        print(f"wrote {os.path.normpath(path)} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
