#!/usr/bin/env python3
"""Convert an OSM scgraph pair (nodes id,lat,lon; edges u,v,km undirected, .csv.gz) into the
peer harness's graph directory (nodes.csv; edges.csv with DIRECTED rows
from,to,weight_seconds,distance_m,mode). The weight is round(km * 1000) integer metres in both
directions, as in ../shared/bench/peers/eurasia_road/README.md, so checksums compare.
Standard library only.

usage: scgraph_to_graphdir.py NODES.csv.gz EDGES.csv.gz OUT_DIR [MODE=road]
(MODE fills the mode column: road or rail; no engine reads it except graph_to_osm.py, which
tags rail ways railway_edge=yes.)
"""
import csv
import gzip
import os
import sys


def main():
    nodes, edges, out = sys.argv[1:4]
    mode = sys.argv[4] if len(sys.argv) > 4 else "road"
    os.makedirs(out, exist_ok=True)
    with gzip.open(nodes, "rt") as f, open(os.path.join(out, "nodes.csv"), "w") as o:
        for i, line in enumerate(f):
            o.write(line)
    with gzip.open(edges, "rt") as f, open(os.path.join(out, "edges.csv"), "w") as o:
        r = csv.reader(f)
        next(r)
        o.write("from,to,weight_seconds,distance_m,mode\n")
        for u, v, km in r:
            w = round(float(km) * 1000)
            o.write(f"{u},{v},{w},{w},{mode}\n{v},{u},{w},{w},{mode}\n")


if __name__ == "__main__":
    main()
