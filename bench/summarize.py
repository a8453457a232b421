#!/usr/bin/env python3
"""Render the harness's results.json as the table of bench/README.md (adds customization and
p99, which the harness's own results.md leaves out).

usage: summarize.py results.json
"""
import json
import sys


def f(x, fmt):
    return "-" if x is None else format(x, fmt)


def main():
    d = json.load(open(sys.argv[1]))
    m = d["meta"]
    print(f"Graph {m['graph']} ({m['n']} nodes), {m['pairs']} pairs, {m['matrix']}x{m['matrix']} matrix, "
          f"reference {m['reference']}, {m['time']}, {m['cpu']} CPUs\n")
    print("| engine | prep s (order + build + customize) | customize s | peak RSS MB | queries | mean us | median us "
          "| p99 us | matrix s | query sum (m) | query mismatches | matrix sum (m) | matrix mismatches |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in d["results"]:
        if r["rc"] != 0 or "n_queries" not in r:
            print(f"| {r['engine']} | FAILED rc={r['rc']}{' (timeout)' if r.get('timed_out') else ''} "
                  f"after {r.get('wall_s', 0):.0f} s | | | | | | | | | | | |")
            continue
        mm = r.get("query_mismatch")
        mmm = r.get("matrix_mismatch")
        mm_s = "-" if mm is None else f"{mm}/{r['n_queries']}"
        mmm_s = "-" if mmm is None else f"{mmm}/{m['matrix'] ** 2}"
        print(f"| {r['engine']} | {f(r.get('prep_s'), '.2f')} | {f(r.get('customize_s'), '.3f')} "
              f"| {r['peak_rss_kb'] / 1024:.0f} | {r['n_queries']} | {f(r.get('query_us_mean'), '.1f')} "
              f"| {f(r.get('query_us_median'), '.1f')} | {f(r.get('query_us_p99'), '.1f')} "
              f"| {f(r.get('matrix_s'), '.3f')} | {f(r.get('query_sum'), ',.0f')} "
              f"| {mm_s} | {f(r.get('matrix_sum'), ',.0f')} | {mmm_s} |")
    for r in d["results"]:
        extra = {k: r[k] for k in ("order_s", "build_s", "customize_par_s", "matrix_par_s", "convert_s", "etree_height",
                                   "cch_arcs") if k in r}
        print(f"\n- {r['engine']}: {r.get('notes', '')} {json.dumps(extra) if extra else ''}".rstrip())


if __name__ == "__main__":
    main()
