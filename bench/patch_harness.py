#!/usr/bin/env python3
"""Patch a writable COPY of ../shared/bench/peers (never the original) so that it runs corridor:

* engine `corridor_cch_rs`: the `corridor-cch-bench` binary (path in $CORRIDOR_CCH_BIN), same CLI
  contract as rust_peers;
* `--pairs-file` / `--matrix-file`: use fixed query sets (the Eurasia road sets in
  eurasia_road/, drawn over the largest component) instead of the seeded uniform ones;
* p99 per-query latency in every worker's JSON, and RoutingKit's order/build/customization split
  as numbers (the harness only puts them in its notes);
* optional: with OSRM_WEIGHT_PRECISION=N in the environment, the copy's OSRM profile
  (profiles/exact_weight.lua) gets `weight_precision = N` instead of 1 (0 = integer weights, so
  a segment weight can reach 4,194,302 units instead of 419,430.2 before osrm-extract clips it);
  with OSRM_DURATION_SCALE=K, the profile sets `duration = w / K` and the harness multiplies
  OSRM's Route/Table durations by K (OSRM stores durations in 22 bits of 0.1 s whatever
  weight_precision is, so a duration above 419,430.2 is clipped; K = 10 avoids that on the rail
  graph, at 1-unit instead of 0.1-unit resolution). With weight_name 'duration' OSRM takes the
  weight from the duration, so use K = 10 with the default weight_precision 1 (integer weights =
  w); K = 10 with weight_precision 0 rounds every weight to 10 units (see bench/README.md).

usage: patch_harness.py HARNESS_COPY_DIR
Every replacement must match exactly once, so a changed harness fails loudly instead of silently.
"""
import os
import sys

PATCHES = [
    ('    "osrm_mld": ("pbf", True, None),           # PyPI osrm-bindings, MLD\n',
     '    "osrm_mld": ("pbf", True, None),           # PyPI osrm-bindings, MLD\n'
     '    "corridor_cch_rs": ("graph", True, None),  # corridor-cch (this repo), native Rust binary\n'),
    ('RUST_NOTES = {\n',
     'RUST_NOTES = {\n'
     '    "corridor_cch_rs": "corridor-cch: inertial-flow nested dissection + CCH, sequential customization, '
     'elimination-tree query; matrix = bucket many-to-many (1 thread; matrix_par_s in JSON = 2 threads)",\n'),
    ('            cmd = [RUST_BIN, eng[:-3],',
     '            cmd = [os.environ["CORRIDOR_CCH_BIN"] if eng == "corridor_cch_rs" else RUST_BIN, eng[:-3],'),
    ('    ap.add_argument("--worker", help=argparse.SUPPRESS)\n',
     '    ap.add_argument("--pairs-file", help="use these pairs (s t per line) instead of seeded ones")\n'
     '    ap.add_argument("--matrix-file", help="use this matrix (line 1 sources, line 2 targets)")\n'
     '    ap.add_argument("--worker", help=argparse.SUPPRESS)\n'),
    ('    caps = {k: v for k, v in',
     '    if a.pairs_file:\n'
     '        import shutil\n'
     '        shutil.copy(a.pairs_file, os.path.join(out, "pairs.txt"))\n'
     '    if a.matrix_file:\n'
     '        import shutil\n'
     '        shutil.copy(a.matrix_file, os.path.join(out, "matrix.txt"))\n'
     '    caps = {k: v for k, v in'),
    ('    res["query_us_median"] = float(np.median(ts))\n',
     '    res["query_us_median"] = float(np.median(ts))\n'
     '    res["query_us_p99"] = float(np.percentile(ts, 99))\n'),
    ('        res["prep_s"] = t3 - t\n',
     '        res["prep_s"] = t3 - t\n'
     '        res["order_s"], res["build_s"], res["customize_s"] = t1 - t, t2 - t1, t3 - t2\n'),
]


def main():
    path = sys.argv[1] + "/run_peers.py"
    s = open(path).read()
    for old, new in PATCHES:
        if s.count(old) != 1:
            sys.exit(f"patch_harness: expected exactly one match for {old[:60]!r}")
        s = s.replace(old, new)
    open(path, "w").write(s)
    # rust_peers: report p99 like corridor does (same nearest-rank definition).
    rp = sys.argv[1] + "/rust_peers/src/main.rs"
    r = open(rp).read()
    old = '\\"query_us_median\\":{:.3},'
    if r.count(old) != 1 or r.count("load_s, prep_s, qs.len(), mean, median,") != 1:
        sys.exit("patch_harness: rust_peers changed")
    r = r.replace(old, old + '\\"query_us_p99\\":{:.3},')
    r = r.replace("load_s, prep_s, qs.len(), mean, median,",
                  "load_s, prep_s, qs.len(), mean, median, "
                  "if sorted.is_empty() { 0.0 } else { sorted[(sorted.len() * 99 / 100).min(sorted.len() - 1)] },")
    open(rp, "w").write(r)
    wp = os.environ.get("OSRM_WEIGHT_PRECISION")
    if wp is not None:
        lp = sys.argv[1] + "/profiles/exact_weight.lua"
        lua = open(lp).read()
        old = "      weight_precision = 1,\n"
        if lua.count(old) != 1:
            sys.exit("patch_harness: exact_weight.lua changed")
        open(lp, "w").write(lua.replace(old, f"      weight_precision = {int(wp)},\n"))
    ds = os.environ.get("OSRM_DURATION_SCALE")
    if ds is not None:
        k = int(ds)
        lp = sys.argv[1] + "/profiles/exact_weight.lua"
        lua = open(lp).read()
        old = "  result.duration = secs\n"
        if lua.count(old) != 1:
            sys.exit("patch_harness: exact_weight.lua changed")
        open(lp, "w").write(lua.replace(old, f"  result.duration = secs / {k}\n"))
        s = open(path).read()
        for old, new in [('return eng.Route(p)["routes"][0]["duration"]\n',
                          f'return eng.Route(p)["routes"][0]["duration"] * {k}\n'),
                         ('md.extend(-1 if x is None else float(x) for x in row)\n',
                          f'md.extend(-1 if x is None else float(x) * {k} for x in row)\n')]:
            if s.count(old) != 1:
                sys.exit(f"patch_harness: expected exactly one match for {old[:60]!r}")
            s = s.replace(old, new)
        open(path, "w").write(s)


if __name__ == "__main__":
    main()
