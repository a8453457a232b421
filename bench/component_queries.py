#!/usr/bin/env python3
"""Seeded query sets inside the largest connected component of a harness graph directory.

The harness draws its pairs uniformly over all node ids; on a graph with many components (the
Eurasia rail graph has 437) most of those pairs would be unreachable and prove little. This
draws them, like ../shared/bench/peers/eurasia_road/, uniformly over the largest (weakly)
connected component with Python's `random.Random(SEED)`:

* `pairs.txt`: PAIRS lines `source target` (source != target), drawn with `rng.sample(comp, 2)`;
* `matrix.txt`: line 1 = MATRIX sources, line 2 = MATRIX targets, each `rng.sample(comp, MATRIX)`
  (distinct within a line), drawn after the pairs from the same generator.

`comp` is the component's node ids in ascending order. Standard library only.

usage: component_queries.py GRAPH_DIR OUT_DIR [PAIRS=1000] [MATRIX=1000] [SEED=2026]
"""
import csv
import os
import random
import sys


def main():
    gdir, out = sys.argv[1:3]
    pairs = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
    m = int(sys.argv[4]) if len(sys.argv) > 4 else 1000
    seed = int(sys.argv[5]) if len(sys.argv) > 5 else 2026
    with open(os.path.join(gdir, "nodes.csv")) as f:
        n = sum(1 for _ in f) - 1
    parent = list(range(n))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    with open(os.path.join(gdir, "edges.csv")) as f:
        r = csv.reader(f)
        next(r)
        for row in r:
            a, b = find(int(row[0])), find(int(row[1]))
            if a != b:
                parent[a] = b
    roots = [find(x) for x in range(n)]
    sizes = {}
    for x in roots:
        sizes[x] = sizes.get(x, 0) + 1
    big = max(sizes, key=sizes.get)
    comp = [x for x in range(n) if roots[x] == big]
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "pairs.txt"), "w") as f:
        for _ in range(pairs):
            s, t = rng.sample(comp, 2)
            f.write(f"{s} {t}\n")
    with open(os.path.join(out, "matrix.txt"), "w") as f:
        f.write(" ".join(map(str, rng.sample(comp, m))) + "\n")
        f.write(" ".join(map(str, rng.sample(comp, m))) + "\n")
    print(f"{gdir}: {n} nodes, {len(sizes)} components, largest {len(comp)} nodes; "
          f"{pairs} pairs + {m}x{m} matrix (seed {seed}) -> {out}")


if __name__ == "__main__":
    main()
