#!/usr/bin/env python3
"""Independent check of the 10k-query checksums of crates/corridor-cch/tests/it/checksum10k.rs
with scipy's Dijkstra: the same graphs (weight = round(km * 1000) metres, both directions,
parallel edges collapsed to the minimum), the same largest component, the same xorshift-drawn
100 sources and 100 targets, and the sum of the 10,000 distances.

usage: /tmp/peers-venv/bin/python bench/checksum10k_scipy.py [SHARED_DATA_DIR]
"""
import os
import sys

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra

MASK = (1 << 64) - 1
HERE = os.path.dirname(os.path.abspath(__file__))


class Rng:
    """The test's xorshift: x ^= x << 13; x ^= x >> 7; x ^= x << 17; value = x % n."""

    def __init__(self, x):
        self.x = x

    def below(self, n):
        x = self.x
        x ^= (x << 13) & MASK
        x ^= x >> 7
        x ^= (x << 17) & MASK
        self.x = x
        return x % n


GRAPHS = [  # name, files, seed and checksum as in checksum10k.rs
    ("rail", "osm_rail_scgraph/world_railways_eurasia", 0x7A11_0001, 47_471_735_344),
    ("road", "osm_road_scgraph/world_highways_eurasia", 0x7A11_0002, 57_560_346_102),
]


def main():
    data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "../../shared/data")
    for name, stem, seed, want in GRAPHS:
        base = os.path.join(data, stem)
        n = len(pd.read_csv(base + "_nodes.csv.gz"))
        e = pd.read_csv(base + "_edges.csv.gz")
        w = np.floor(e.km.values * 1000 + 0.5)  # Rust's f64::round (half away from zero; km >= 0)
        arcs = pd.DataFrame({"u": np.concatenate([e.u.values, e.v.values]),
                             "v": np.concatenate([e.v.values, e.u.values]), "w": np.concatenate([w, w])})
        arcs = arcs.groupby(["u", "v"], as_index=False)["w"].min()
        a = csr_matrix((arcs.w.values, (arcs.u.values, arcs.v.values)), shape=(n, n))
        _, label = connected_components(a, directed=False)
        comp = np.flatnonzero(label == np.bincount(label).argmax())
        rng = Rng(seed)
        src = [int(comp[rng.below(len(comp))]) for _ in range(100)]
        tgt = [int(comp[rng.below(len(comp))]) for _ in range(100)]
        d = dijkstra(a, directed=True, indices=src)[:, tgt]
        assert np.isfinite(d).all()
        got = int(d.sum())
        print(f"{name}: component {len(comp)} nodes, 10,000 pairs, scipy checksum {got:,}"
              f" {'== test constant' if got == want else f'!= test constant {want:,}'}")
        if got != want:
            sys.exit(1)


if __name__ == "__main__":
    main()
