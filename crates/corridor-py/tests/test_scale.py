"""The Dask job in local mode with two worker processes: equal to the single-process run."""

import os

import pandas as pd
import pytest

import corridor

if os.environ.get("CI"):
    import dask.distributed as dd  # CI installs the [scale] extra: never skipped there
else:
    dd = pytest.importorskip("dask.distributed", reason="SKIPPED: dask not installed (pip install 'corridor[scale]')")


def test_table_on_two_dask_workers_equals_the_single_run(tmp_path):
    locs = corridor.locations()
    ids = sorted(locs["id"])[:40]
    single = corridor.table(ids, ids)
    with dd.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with dd.Client(cluster) as client:
            assert len(client.scheduler_info()["workers"]) == 2
            df = corridor.scale.table(client, ids, ids, parts=5)
    pd.testing.assert_frame_equal(df, single)
    out = tmp_path / "od.parquet"
    corridor.scale.table_to_geoparquet(df, str(out))
    gpd = pytest.importorskip("geopandas")
    g = gpd.read_parquet(out)
    assert len(g) == 40 * 40 and g.crs.to_epsg() == 4326


def test_kubernetes_manifests_validate_offline():
    kv = pytest.importorskip("kubernetes_validate") if not os.environ.get("CI") else __import__("kubernetes_validate")
    import yaml

    root = os.path.join(os.path.dirname(__file__), "..", "..", "..", "deploy", "k8s")
    names = sorted(f for f in os.listdir(root) if f.endswith(".yaml"))
    assert {"corridor-table-job.yaml", "corridor-serve.yaml"} <= set(names)
    kinds = []
    for name in names:
        with open(os.path.join(root, name), encoding="utf-8") as f:
            for doc in yaml.safe_load_all(f):
                kv.validate(doc, "1.30", strict=True)
                kinds.append(doc["kind"])
    assert {"Job", "Deployment", "Service"} <= set(kinds)


def _exe():
    from test_corridor import _corridor_bin

    return _corridor_bin()


def test_cli_jobs_on_dask_equal_the_single_runs(tmp_path):
    """A resilience sweep and a snapshot matrix, sharded on two Dask workers and merged, equal
    their single runs row for row."""
    import subprocess

    import pyarrow.parquet as pq

    exe = _exe()
    # A small detailed snapshot (a ladder graph) and all its nodes as points.
    nodes, edges = tmp_path / "n.csv", tmp_path / "e.csv"
    nodes.write_text("id,lat,lon\n" + "".join(f"{i},{40 + (i // 4) * 0.1},{50 + (i % 4) * 0.1}\n" for i in range(8)))
    edges.write_text("u,v,km\n0,1,3\n1,2,3\n2,3,3\n4,5,4\n5,6,4\n6,7,4\n0,4,2\n3,7,1\n")
    snap = tmp_path / "l.corridor"
    subprocess.run([exe, "build", "--nodes-csv", str(nodes), "--edges-csv", str(edges), "--out", str(snap)],
                   check=True, capture_output=True)
    points = tmp_path / "p.csv"
    points.write_text("node\n" + "".join(f"{i}\n" for i in range(8)))
    jobs = [
        ["--data", str(snap), "table", "--points", str(points), "--metric", "time"],
        ["resilience", "--top-n", "10"],
    ]
    with dd.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with dd.Client(cluster) as client:
            for args in jobs:
                single = tmp_path / "single.parquet"
                subprocess.run([exe, *args, "--parquet", str(single)], check=True, capture_output=True)
                merged = corridor.scale.cli_job(client, args, str(tmp_path / "merged.parquet"), parts=3, exe=exe)
                a, m = pq.read_table(single).to_pandas(), pq.read_table(merged).to_pandas()
                assert len(a) > 0
                pd.testing.assert_frame_equal(a, m)
