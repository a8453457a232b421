"""Thread-speedup benchmark of the Python package: routes answered by 1, 2 and 4 Python
threads sharing one engine.

The native calls release the GIL, so on a machine with N cores the throughput should grow
towards N times the single thread's. The engine memoises routes, so every run gets pairs no
earlier run asked for (a seeded shuffle of all ordered pairs of locations, cut into disjoint
slices): each measures searches, not cache hits. Run from the repository root after
``pip install ./crates/corridor-py``:

    python crates/corridor-py/bench/threads.py [--routes 300] [--threads 1,2,4] [--repeat 3]

Prints one line per thread count (the best of ``--repeat`` runs: routes per second, speedup over
one thread), then checks that a fresh engine answering the last slice on one thread gives the
same answers as the threads did; exits non-zero if not.
"""

import argparse
import concurrent.futures
import os
import random
import sys
import time

import corridor


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--routes", type=int, default=300, help="routes per run (default 300)")
    ap.add_argument("--threads", default="1,2,4", help="comma-separated thread counts")
    ap.add_argument("--repeat", type=int, default=3, help="runs per thread count; the best is kept")
    a = ap.parse_args()
    counts = [int(x) for x in a.threads.split(",")]
    if a.routes < 1 or a.repeat < 1 or any(c < 1 for c in counts):
        ap.error("--routes, --repeat and --threads must be positive")

    engine = corridor.Engine()
    ids = sorted(engine.locations(limit=100_000)["id"])
    pairs = [(o, d) for o in ids for d in ids if o != d]
    random.Random(14083).shuffle(pairs)
    runs = 1 + len(counts) * a.repeat
    if runs * a.routes > len(pairs):
        ap.error(f"{runs} runs of {a.routes} routes need more than the {len(pairs)} pairs")
    slices = iter(pairs[i * a.routes:(i + 1) * a.routes] for i in range(runs))

    def one(p, e=engine):
        try:
            return e.route_json(*p)["totals"]
        except corridor.CorridorError as err:
            return err.code

    for p in next(slices):  # warm-up: allocations, page faults, per-thread search state
        one(p)
    print(f"{a.routes} routes per run from {len(ids)} locations, {os.cpu_count()} cores, best of {a.repeat}")
    base = None
    last, last_out = None, None
    for n in counts:
        best = float("inf")
        for _ in range(a.repeat):
            batch = next(slices)
            t0 = time.perf_counter()
            if n == 1:
                out = [one(p) for p in batch]
            else:
                with concurrent.futures.ThreadPoolExecutor(n) as pool:
                    out = list(pool.map(one, batch))
            best = min(best, time.perf_counter() - t0)
            last, last_out = batch, out
        rate = a.routes / best
        base = base or rate
        print(f"threads={n}: {best:.3f} s, {rate:.0f} routes/s, speedup {rate / base:.2f}x")
    fresh = corridor.Engine()
    if [one(p, fresh) for p in last] != last_out:
        print("the threads' answers differ from a fresh engine's single-threaded ones", file=sys.stderr)
        return 1
    print("answers identical to a fresh single-threaded engine's")
    return 0


if __name__ == "__main__":
    sys.exit(main())
