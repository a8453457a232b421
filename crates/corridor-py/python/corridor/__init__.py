"""corridor: freight routes and trade corridors across Eurasia, as pandas DataFrames.

Every function runs the engine in process (no server): the options are those of the HTTP
API (``/v1/route`` and friends, see the README and the server's ``/openapi.json``), spelled as
keyword arguments (``avoid_country=["RU"]``, ``unit="feu"``, ``optimize="time"``), and
errors are raised as :class:`CorridorError` with the API's ``code`` and ``message``.

>>> import corridor
>>> corridor.compare("Xi'an", "Duisburg")          # doctest: +SKIP

The native calls release the GIL, so threads route in parallel. ``data=`` selects a dataset
directory instead of the embedded Eurasian network; each distinct ``data`` is loaded once.
"""

from __future__ import annotations

import json
import threading
from typing import Any, Iterable, Optional, Sequence

import pandas as pd

from . import _corridor
from . import scale

__all__ = [
    "CorridorError",
    "Engine",
    "route",
    "compare",
    "pareto",
    "table",
    "assign",
    "assign_flows",
    "scenario_diff",
    "resilience",
    "locations",
    "legs_geodataframe",
    "scale",
    "__version__",
]

__version__ = _corridor.__version__


class CorridorError(Exception):
    """A request the engine refused or could not answer.

    ``code`` is the API's error code (``UnknownLocation``, ``NoRoute``, ``InvalidValue``, ...),
    ``message`` its text (naming the parameter), ``status`` the HTTP status the server would
    send, and ``details`` the whole error body (suggestions, for example).
    """

    def __init__(self, code: str, message: str, status: int, details: Optional[dict] = None):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.details = details or {}


def _raise(err: _corridor.ApiError) -> None:
    status, text = err.args
    try:
        body = json.loads(text)
    except ValueError:
        body = {"code": "Internal", "message": text}
    inner = body.get("error", body) if isinstance(body, dict) else {}
    raise CorridorError(inner.get("code", "Internal"), inner.get("message", text), status, inner) from None


class Engine:
    """One loaded dataset (``data``: a dataset directory, ``None`` for the embedded network).

    ``time_budget_s`` bounds each call's search, as the server's ``--time-budget`` does.
    ``scenario`` (a scenario TOML, as ``corridor route --scenario``) is applied to the network:
    every route, comparison, Pareto set and table answers the what-if network.
    """

    def __init__(self, data: Optional[str] = None, time_budget_s: float = 600.0, scenario: Optional[str] = None):
        self.data = data
        self.scenario = scenario
        self._native = _corridor.Engine(
            None if data is None else str(data), time_budget_s, None if scenario is None else str(scenario)
        )

    def _json(self, path: str, body: Optional[dict] = None) -> Any:
        try:
            text = self._native.call(path, None if body is None else json.dumps(body))
        except _corridor.ApiError as e:
            _raise(e)
        return json.loads(text)

    # -- routing ---------------------------------------------------------------------------

    def route_json(self, origin: str, destination: str, **options: Any) -> dict:
        """The ``/v1/route`` answer as a dict: the route's fields, and ``geometry`` (a GeoJSON
        FeatureCollection) with ``geometry="geojson"``."""
        return self._json("/v1/route", _route_body(origin, destination, options))

    def route(self, origin: str, destination: str, **options: Any) -> pd.DataFrame:
        """The best route's legs, one row each; totals, reliability and notes in ``.attrs``."""
        return _legs_frame(self.route_json(origin, destination, **options))

    def compare(self, origin: str, destination: str, **options: Any) -> pd.DataFrame:
        """Every corridor's best route side by side, one row per corridor (``n/a`` rows carry
        the reason in ``not_applicable``)."""
        c = self._json("/v1/compare", _route_body(origin, destination, options))
        rows = []
        for cr in c["corridors"]:
            r = cr.get("route")
            row = {"corridor": cr["id"], "name": cr.get("name")}
            if r is None:
                err = cr.get("error") or {}
                row["error_code"] = err.get("code")
                row["error"] = err.get("message")
            else:
                row.update(_totals_row(r))
            rows.append(row)
        df = pd.DataFrame(rows)
        df.attrs["best"] = c.get("best")
        df.attrs["winners"] = c.get("winners")
        return df

    def pareto(self, origin: str, destination: str, **options: Any) -> pd.DataFrame:
        """The Pareto set over time, cost and CO2e, one row per route, fastest first."""
        p = self._json("/v1/pareto", _route_body(origin, destination, options))
        return pd.DataFrame([_totals_row(r) for r in p["routes"]])

    def table(self, sources: Sequence[str], targets: Sequence[str], **options: Any) -> pd.DataFrame:
        """A many-to-many table in long form: one row per (source, target) pair, ``NaN`` where
        there is no route."""
        body = {"sources": list(sources), "targets": list(targets), **options}
        t = self._json("/v1/table", body)
        rows = []
        for i, s in enumerate(t["sources"]):
            for j, d in enumerate(t["targets"]):
                rows.append(
                    {
                        "source": s["id"],
                        "target": d["id"],
                        **{k: t[k][i][j] for k in ("hours", "days", "usd", "co2e_wtw_kg", "km")},
                    }
                )
        df = pd.DataFrame(rows)
        for k in ("hours", "days", "usd", "co2e_wtw_kg", "km"):
            df[k] = df[k].astype("float64")
        return df

    def locations(self, q: Optional[str] = None, limit: Optional[int] = None) -> pd.DataFrame:
        """The network's locations (or those matching ``q``), one row each; places outside the
        network of that name (routable, with their nearest terminals) in ``attrs["places"]``."""
        params = [("q", q or "")]
        if limit is None:
            # Every match: the total comes with the first answer.
            limit = max(1, self._json("/v1/locations?" + _urlencode(params + [("limit", "1")]))["total"])
        body = self._json("/v1/locations?" + _urlencode(params + [("limit", str(limit))]))
        df = pd.DataFrame(body["locations"])
        df.attrs["places"] = body.get("places", [])
        return df

    # -- analytics ---------------------------------------------------------------------------

    def assign_json(self, hard_capacity: bool = False, growth: Optional[str] = None, top: Optional[int] = None) -> dict:
        """The ``/v1/assign`` answer as a dict."""
        params = [("hard_capacity", "true" if hard_capacity else "false")]
        if growth is not None:
            params.append(("growth", growth))
        if top is not None:
            params.append(("top", str(top)))
        return self._json("/v1/assign?" + _urlencode(params))

    def assign(self, hard_capacity: bool = False, growth: Optional[str] = None, top: Optional[int] = None) -> pd.DataFrame:
        """The capacity-constrained assignment's bottleneck elements (most loaded first); the
        corridor shares, totals, method and the corridor choice in ``.attrs``."""
        a = self.assign_json(hard_capacity, growth, top)
        df = pd.DataFrame(a["bottlenecks"])
        for k in ("method", "iterations", "relative_gap", "rounds", "growth", "corridors", "totals", "choice"):
            df.attrs[k] = a.get(k)
        return df

    def assign_flows(self, hard_capacity: bool = False, growth: Optional[str] = None):
        """The assignment's link flows, one row per link with flow; a GeoDataFrame (EPSG:4326)
        when geopandas is installed, else a DataFrame with a GeoJSON ``geometry`` column."""
        fc = self.assign_json(hard_capacity, growth)["geometry"]
        return _features_frame(fc["features"])

    def scenario_diff(self, scenario: str, base: Optional[str] = None, method: str = "equilibrium") -> pd.DataFrame:
        """Base and scenario assigned side by side, one row per element whose load changed,
        largest change first. ``scenario`` and ``base`` are TOML texts or file paths. On a
        dataset directory the assignment reads its ``capacities.csv`` (optional) and
        ``demand_2024.csv`` (required), as ``corridor --data DIR scenario diff`` does."""
        try:
            text = self._native.scenario_diff(_toml(scenario), None if base is None else _toml(base), method)
        except ValueError as e:
            raise CorridorError("InvalidValue", str(e), 400) from None
        d = json.loads(text)
        a = {e["element"]: e for e in d["base"]["elements"]}
        b = {e["element"]: e for e in d["scenario"]["elements"]}
        rows = []
        for k in sorted(set(a) | set(b)):
            la = a.get(k, {}).get("load_teu_week", 0.0)
            lb = b.get(k, {}).get("load_teu_week", 0.0)
            rows.append({"element": k, "name": (a.get(k) or b.get(k)).get("name"), "base_teu_week": la,
                         "scenario_teu_week": lb, "change_teu_week": lb - la})
        df = pd.DataFrame(rows)
        if len(df):
            df = df.reindex(df["change_teu_week"].abs().sort_values(ascending=False, kind="stable").index)
            df = df.reset_index(drop=True)
        df.attrs["base_totals"] = d["base"].get("totals")
        df.attrs["scenario_totals"] = d["scenario"].get("totals")
        return df

    def resilience(self, top_n: Optional[int] = None) -> pd.DataFrame:
        """The criticality ranking: each of the ``top_n`` busiest elements lost in turn (on a
        dataset directory, with its own capacities and demand, as for :meth:`scenario_diff`)."""
        try:
            text = self._native.resilience(top_n)
        except ValueError as e:
            raise CorridorError("InvalidValue", str(e), 400) from None
        r = json.loads(text)
        return pd.DataFrame(r["ranking"])


def _features_frame(features: list):
    rows = [dict(f.get("properties") or {}) for f in features]
    geoms = [f.get("geometry") for f in features]
    try:
        import geopandas as gpd
        from shapely.geometry import shape
    except ImportError:
        df = pd.DataFrame(rows)
        df["geometry"] = geoms
        return df
    return gpd.GeoDataFrame(rows, geometry=[shape(g) if g else None for g in geoms], crs="EPSG:4326")


def _toml(s: str) -> str:
    import os

    if "\n" not in s and s.endswith(".toml") and os.path.isfile(s):
        with open(s, encoding="utf-8") as f:
            return f.read()
    return s


def _urlencode(params: Iterable[tuple]) -> str:
    from urllib.parse import urlencode

    return urlencode(list(params))


def _route_body(origin: str, destination: str, options: dict) -> dict:
    body = {"from": origin, "to": destination}
    for k, v in options.items():
        if isinstance(v, (list, tuple, set)):
            v = [str(x) for x in v]
        elif k in ("avoid_country", "avoid_mode", "avoid_location", "avoid_border", "via") and isinstance(v, str):
            v = [x.strip() for x in v.split(",") if x.strip()]
        body[k] = v
    return body


def _totals_row(r: dict) -> dict:
    t = r.get("totals", {})
    row = {k: v for k, v in t.items() if not isinstance(v, (dict, list))}
    for k, v in t.items():
        if isinstance(v, dict):
            for kk, vv in v.items():
                if not isinstance(vv, (dict, list)):
                    row[f"{k}_{kk}"] = vv
    for k in ("corridors", "countries"):
        if k in r:
            row[k] = "|".join(str(x) for x in r[k])
    rel = r.get("reliability") or {}
    for k in ("p10_h", "p50_h", "p90_h", "p95_h", "buffer_index"):
        if rel.get(k) is not None:
            row[k] = rel[k]
    return row


def _legs_frame(r: dict) -> pd.DataFrame:
    legs = []
    for i, leg in enumerate(r["legs"]):
        row = {"seq": i + 1}
        for k, v in leg.items():
            if k == "points":
                continue
            if isinstance(v, dict):
                for kk, vv in v.items():
                    if not isinstance(vv, (dict, list)):
                        row[f"{k}_{kk}"] = vv
            elif isinstance(v, list):
                row[k] = "|".join(str(x) for x in v)
            else:
                row[k] = v
        legs.append(row)
    df = pd.DataFrame(legs)
    df.attrs["totals"] = r.get("totals")
    df.attrs["reliability"] = r.get("reliability")
    df.attrs["notes"] = r.get("notes")
    df.attrs["corridors"] = r.get("corridors")
    return df


_engines: dict = {}
_lock = threading.Lock()


def _engine(data: Optional[str], scenario: Optional[str] = None) -> Engine:
    """The engine of ``data`` (with ``scenario`` applied), loaded once per process: a scenario
    file edited later is not read again (make a new :class:`Engine` for that)."""
    key = (None if data is None else str(data), None if scenario is None else str(scenario))
    with _lock:
        e = _engines.get(key)
        if e is None:
            e = Engine(key[0], scenario=key[1])
            _engines[key] = e
        return e


def route(origin: str, destination: str, *, data: Optional[str] = None, scenario: Optional[str] = None,
          **options: Any) -> pd.DataFrame:
    """The best route from ``origin`` to ``destination``, one row per leg (see :meth:`Engine.route`)."""
    return _engine(data, scenario).route(origin, destination, **options)


def compare(origin: str, destination: str, *, data: Optional[str] = None, scenario: Optional[str] = None,
            **options: Any) -> pd.DataFrame:
    """Every corridor's best route side by side (see :meth:`Engine.compare`)."""
    return _engine(data, scenario).compare(origin, destination, **options)


def pareto(origin: str, destination: str, *, data: Optional[str] = None, scenario: Optional[str] = None,
           **options: Any) -> pd.DataFrame:
    """The Pareto set over time, cost and CO2e (see :meth:`Engine.pareto`)."""
    return _engine(data, scenario).pareto(origin, destination, **options)


def table(sources: Sequence[str], targets: Sequence[str], *, data: Optional[str] = None, scenario: Optional[str] = None,
          **options: Any) -> pd.DataFrame:
    """A many-to-many table in long form (see :meth:`Engine.table`)."""
    return _engine(data, scenario).table(sources, targets, **options)


def locations(q: Optional[str] = None, limit: Optional[int] = None, *, data: Optional[str] = None) -> pd.DataFrame:
    """The network's locations (see :meth:`Engine.locations`)."""
    return _engine(data).locations(q, limit)


def assign(hard_capacity: bool = False, growth: Optional[str] = None, top: Optional[int] = None, *,
           data: Optional[str] = None) -> pd.DataFrame:
    """The capacity-constrained assignment of the 2024 demand (see :meth:`Engine.assign`)."""
    return _engine(data).assign(hard_capacity, growth, top)


def assign_flows(hard_capacity: bool = False, growth: Optional[str] = None, *, data: Optional[str] = None):
    """The assignment's link flows (see :meth:`Engine.assign_flows`)."""
    return _engine(data).assign_flows(hard_capacity, growth)


def scenario_diff(scenario: str, base: Optional[str] = None, method: str = "equilibrium", *,
                  data: Optional[str] = None) -> pd.DataFrame:
    """A scenario against the base (see :meth:`Engine.scenario_diff`)."""
    return _engine(data).scenario_diff(scenario, base, method)


def resilience(top_n: Optional[int] = None, *, data: Optional[str] = None) -> pd.DataFrame:
    """The criticality ranking (see :meth:`Engine.resilience`)."""
    return _engine(data).resilience(top_n)


def legs_geodataframe(origin: str, destination: str, *, data: Optional[str] = None, scenario: Optional[str] = None,
                      **options: Any):
    """The best route's legs as a GeoDataFrame (EPSG:4326 LineStrings and Points); needs
    geopandas (``pip install corridor[geo]``)."""
    try:
        import geopandas as gpd
        from shapely.geometry import shape
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("legs_geodataframe needs geopandas and shapely: pip install 'corridor[geo]'") from e
    r = _engine(data, scenario).route_json(origin, destination, geometry="geojson", **options)
    df = _legs_frame(r)
    geoms = [shape(f["geometry"]) if f.get("geometry") else None for f in r["geometry"]["features"]]
    return gpd.GeoDataFrame(df, geometry=geoms, crs="EPSG:4326")
