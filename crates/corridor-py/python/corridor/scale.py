"""Batch jobs on Dask: a large table fanned out over a Dask cluster's workers.

Each task runs ``corridor.table`` for the sources at positions ``i, i+n, ...`` (the same split as
the CLI's ``--shard i/n``) against every target, in the worker's own engine; the parts are put
back in the single run's order, so the answer equals ``corridor.table(sources, targets)`` row
for row. ``docs/SCALE_OUT.md`` says why Dask, and how the same job runs on a cluster.

>>> from dask.distributed import Client, LocalCluster            # doctest: +SKIP
>>> with LocalCluster(n_workers=2) as cluster, Client(cluster) as client:
...     df = corridor.scale.table(client, sources, targets)
...     corridor.scale.table_to_geoparquet(df, "od.parquet")
"""

from __future__ import annotations

from typing import Any, Optional, Sequence

import pandas as pd


def _part(sources: Sequence[str], targets: Sequence[str], data: Optional[str], options: dict) -> pd.DataFrame:
    import corridor

    return corridor.table(list(sources), list(targets), data=data, **options)


def table(client, sources: Sequence[str], targets: Sequence[str], *, parts: Optional[int] = None,
          data: Optional[str] = None, **options: Any) -> pd.DataFrame:
    """The table of ``sources`` x ``targets`` computed in ``parts`` tasks (default: two per
    worker) on the Dask ``client``; equal to ``corridor.table(sources, targets, ...)``."""
    sources, targets = list(sources), list(targets)
    if not sources or not targets:
        raise ValueError("sources and targets must not be empty")
    n = parts or max(1, 2 * len(client.scheduler_info().get("workers", {})))
    n = min(n, len(sources))
    futures = [client.submit(_part, sources[i::n], targets, data, options, pure=False) for i in range(n)]
    frames = client.gather(futures)
    # Source k is the (k // n)-th source of part k % n; each source has len(targets) rows.
    t = len(targets)
    blocks = []
    for k in range(len(sources)):
        f = frames[k % n]
        j = k // n
        blocks.append(f.iloc[j * t:(j + 1) * t])
    return pd.concat(blocks, ignore_index=True)


def table_to_geoparquet(df: pd.DataFrame, path: str, *, data: Optional[str] = None) -> None:
    """Writes a table as GeoParquet, each row with the straight line from its source to its
    target (EPSG:4326) for mapping; needs geopandas (``pip install "corridor[geo]"``)."""
    import geopandas as gpd
    from shapely.geometry import LineString

    import corridor

    locs = corridor.locations(data=data).set_index("id")
    geoms = [LineString([(locs.at[s, "lon"], locs.at[s, "lat"]), (locs.at[d, "lon"], locs.at[d, "lat"])])
             for s, d in zip(df["source"], df["target"])]
    gpd.GeoDataFrame(df, geometry=geoms, crs="EPSG:4326").to_parquet(path)


def _cli_part(exe: str, args: Sequence[str], shard: str, part: str) -> str:
    import subprocess

    done = subprocess.run([exe, *args, "--shard", shard, "--parquet", part], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"corridor {' '.join(args)} --shard {shard}: {done.stderr.strip()}")
    return part


def cli_job(client, args: Sequence[str], out: str, *, parts: Optional[int] = None, exe: str = "corridor",
            workdir: Optional[str] = None) -> str:
    """Runs a CLI batch job that takes ``--shard`` (``table`` on a snapshot, ``resilience``) as
    ``parts`` tasks on the Dask ``client``, each writing its Parquet part, then merges them with
    ``corridor merge`` into ``out`` (the single run's file). ``args`` are the job's arguments
    without ``--shard`` and ``--parquet``, for example ``["--data", "eu.corridor", "table",
    "--points", "q.csv"]``. The parts go to ``workdir`` (default: next to ``out``), which the
    workers must share (a volume on a cluster)."""
    import os
    import subprocess

    n = parts or max(1, 2 * len(client.scheduler_info().get("workers", {})))
    base = workdir or os.path.dirname(os.path.abspath(out))
    stem = os.path.splitext(os.path.basename(out))[0]
    paths = [os.path.join(base, f"{stem}.part-{i}-of-{n}.parquet") for i in range(n)]
    futures = [client.submit(_cli_part, exe, list(args), f"{i}/{n}", p, pure=False) for i, p in enumerate(paths)]
    client.gather(futures)
    done = subprocess.run([exe, "merge", "--out", out, *paths], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"corridor merge: {done.stderr.strip()}")
    for p in paths:
        os.remove(p)
    return out
