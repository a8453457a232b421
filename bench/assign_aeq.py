#!/usr/bin/env python3
"""AequilibraE side of bench/assign_vs_aequilibrae.sh: user equilibrium on a TNTP network.

Reads the same _net.tntp / _trips.tntp files that corridor reads, builds an AequilibraE Graph
directly from them (no project database, so both tools see identical data), runs bi-conjugate
Frank-Wolfe (``bfw``, BPR with each link's b and power) to the given relative gap, and prints
``key value`` lines; ``--out`` writes the link flows in the _net file's link order as
``from,to,volume`` so that corridor can measure their gap with its own definition.

Needs aequilibrae 1.7.2 in a Python whose sqlite3 can load extensions (Debian's python3.11
venv; see bench/peers/README.md in the shared folder). stderr carries tqdm progress bars.

Usage: assign_aeq.py NET TRIPS GAP MAX_ITER [--out flows.csv] [--cores N] [--repeat N]
"""
import argparse
import importlib.metadata
import time

import numpy as np
import pandas as pd


def read_tntp_net(path):
    """Metadata dict and link rows (init, term, capacity, fft, b, power) in file order."""
    meta, links, in_data = {}, [], False
    for raw in open(path, encoding="utf-8", errors="replace"):
        line = raw.split("~")[0].strip()
        if not line:
            continue
        if not in_data:
            if line.upper().startswith("<END OF METADATA>"):
                in_data = True
            elif line.startswith("<"):
                tag, value = line[1:].split(">", 1)
                meta[tag.strip().upper()] = value.strip()
            continue
        f = line.split(";")[0].split()
        links.append((int(f[0]), int(f[1]), float(f[2]), float(f[4]), float(f[5]), float(f[6])))
    return meta, links


def read_tntp_trips(path, zones):
    od, origin, in_data = np.zeros((zones, zones)), None, False
    for raw in open(path, encoding="utf-8", errors="replace"):
        line = raw.split("~")[0].strip()
        if not line:
            continue
        if not in_data:
            in_data = line.upper().startswith("<END OF METADATA>")
            continue
        if line.startswith("Origin"):
            origin = int(line.split()[1])
            continue
        for entry in line.split(";"):
            if entry.strip():
                d, v = entry.split(":")
                od[origin - 1, int(d) - 1] = float(v)
    np.fill_diagonal(od, 0.0)  # intrazonal trips never load the network (as in corridor)
    return od


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("net")
    ap.add_argument("trips")
    ap.add_argument("gap", type=float)
    ap.add_argument("max_iter", type=int)
    ap.add_argument("--out")
    ap.add_argument("--cores", type=int, default=0, help="0 = AequilibraE default (all cores)")
    ap.add_argument("--repeat", type=int, default=1, help="run N times, report the fastest")
    a = ap.parse_args()

    from aequilibrae.matrix import AequilibraeMatrix
    from aequilibrae.paths import Graph, TrafficAssignment, TrafficClass


    t0 = time.perf_counter()
    meta, links = read_tntp_net(a.net)
    zones = int(meta["NUMBER OF ZONES"])
    first_thru = int(meta.get("FIRST THRU NODE", "1"))
    od = read_tntp_trips(a.trips, zones)
    df = pd.DataFrame(links, columns=["a_node", "b_node", "capacity", "free_flow_time", "b", "power"])
    df["link_id"] = np.arange(1, len(df) + 1)
    df["direction"] = 1
    t_read = time.perf_counter() - t0

    best = None
    for _ in range(a.repeat):
        t1 = time.perf_counter()
        g = Graph()
        g.network = df.copy()
        g.prepare_graph(np.arange(1, zones + 1), remove_dead_ends=False)
        g.set_graph("free_flow_time")
        # No skims: corridor computes none either, and AequilibraE would average them every step.
        g.set_skimming([])
        # TNTP forbids passing through nodes below <FIRST THRU NODE>; AequilibraE can block
        # flows through all centroids, which is the same thing when FIRST THRU NODE = zones + 1.
        g.set_blocked_centroid_flows(first_thru > 1)
        mat = AequilibraeMatrix()
        mat.create_empty(zones=zones, matrix_names=["matrix"], memory_only=True)
        mat.index[:] = np.arange(1, zones + 1)
        mat.matrices[:, :, 0] = od
        mat.computational_view(["matrix"])
        assig = TrafficAssignment()
        assig.add_class(TrafficClass(name="car", graph=g, matrix=mat))
        assig.set_vdf("BPR")
        assig.set_vdf_parameters({"alpha": "b", "beta": "power"})
        assig.set_capacity_field("capacity")
        assig.set_time_field("free_flow_time")
        assig.set_algorithm("bfw")
        if a.cores:
            assig.set_cores(a.cores)
        assig.max_iter = a.max_iter
        assig.rgap_target = a.gap
        t2 = time.perf_counter()
        assig.execute()
        t3 = time.perf_counter()
        if best is None or t3 - t2 < best[1]:
            best = (t2 - t1, t3 - t2, assig)
    setup, run, assig = best

    rep = assig.report()
    res = assig.results().sort_index()
    flows = res["matrix_ab"].to_numpy()
    fft = df["free_flow_time"].to_numpy()
    time_ = fft * (1 + df["b"].to_numpy() * (flows / df["capacity"].to_numpy()) ** df["power"].to_numpy())
    print("aequilibrae_version", importlib.metadata.version("aequilibrae"))
    print("iterations", int(rep["iteration"].iloc[-1]))
    print("reported_rgap", float(rep["rgap"].iloc[-1]))
    print("tstt", float((flows * time_).sum()))
    print("assign_seconds", run)
    print("setup_seconds", setup + t_read)
    print("cores", assig.cores)
    if a.out:
        pd.DataFrame({"from": df["a_node"], "to": df["b_node"], "volume": flows}).to_csv(a.out, index=False)


if __name__ == "__main__":
    main()
