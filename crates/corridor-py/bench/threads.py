"""Thread-speedup benchmark of the Python package: the same routes answered by 1, 2 and 4
Python threads sharing one engine.

The native calls release the GIL, so on a machine with N cores the throughput should grow
towards N times the single thread's; the answers must be identical whatever the thread count.
Run from the repository root after ``pip install ./crates/corridor-py``:

    python crates/corridor-py/bench/threads.py [--routes 400] [--threads 1,2,4]

Prints one line per thread count (routes per second and the speedup over one thread) and exits
non-zero if any answer differs from the single-threaded one.
"""

import argparse
import concurrent.futures
import os
import sys
import time

import corridor


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--routes", type=int, default=400, help="routes per run (default 400)")
    ap.add_argument("--threads", default="1,2,4", help="comma-separated thread counts")
    ap.add_argument("--seed-places", type=int, default=40, help="places the pairs are drawn from")
    a = ap.parse_args()
    counts = [int(x) for x in a.threads.split(",")]
    if a.routes < 1 or any(c < 1 for c in counts):
        ap.error("--routes and --threads must be positive")

    engine = corridor.Engine()
    # Deterministic pairs: every ordered pair of the first places of the location list (sorted
    # by id), cycled to the requested count.
    ids = sorted(engine.locations()["id"])[: a.seed_places]
    pairs = [(o, d) for o in ids for d in ids if o != d]
    pairs = [pairs[i % len(pairs)] for i in range(a.routes)]

    def one(p):
        try:
            return engine.route_json(*p)["route"]["totals"]
        except corridor.CorridorError as e:
            return e.code

    engine.route_json(*pairs[0])  # warm-up: first-call allocations, page faults
    reference = None
    base = None
    print(f"{a.routes} routes over {len(ids)} places, {os.cpu_count()} cores")
    for n in counts:
        t0 = time.perf_counter()
        if n == 1:
            out = [one(p) for p in pairs]
        else:
            with concurrent.futures.ThreadPoolExecutor(n) as pool:
                out = list(pool.map(one, pairs))
        dt = time.perf_counter() - t0
        if reference is None:
            reference = out
        elif out != reference:
            print(f"threads={n}: answers differ from the first run", file=sys.stderr)
            return 1
        rate = a.routes / dt
        base = base or rate
        print(f"threads={n}: {dt:.2f} s, {rate:.0f} routes/s, speedup {rate / base:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
