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
