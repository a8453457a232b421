"""pytest suite of the Python package: the functions on the embedded data, their DataFrames,
the errors (the API's codes and messages) and thread safety."""

import concurrent.futures
import math
import os

import pandas as pd
import pytest

import corridor

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..")
SCENARIOS = os.path.join(ROOT, "scenarios")
EURASIA = os.path.join(ROOT, "data", "eurasia")


def test_compare_prints_a_dataframe_with_every_corridor():
    df = corridor.compare("Xi'an", "Duisburg")
    assert isinstance(df, pd.DataFrame)
    assert {"northern", "middle", "sea", "tsr"} <= set(df["corridor"])
    northern = df.set_index("corridor").loc["northern"]
    # Published band of the Northern route Xi'an–Duisburg (bands.rs): 10–25 days door to door.
    assert 10 <= northern["days"] <= 25
    assert northern["usd_p10"] <= northern["usd"] <= northern["usd_p90"]
    # A corridor that cannot join the places says why, with the API's code.
    na = df[df["days"].isna()]
    assert (na["error_code"] == "NoRoute").all() and na["error"].str.len().gt(0).all()
    assert df.attrs["best"] is not None


def test_route_legs_add_up_to_the_totals():
    df = corridor.route("Xi'an", "Duisburg", corridor="northern", unit="feu")
    t = df.attrs["totals"]
    moves = df[df["kind"].isin(["rail", "road", "sea", "ferry"])]
    assert math.isclose(moves["km"].sum(), t["km"], rel_tol=1e-3)
    assert math.isclose(df["hours"].sum(), t["hours"], rel_tol=1e-3)
    assert df.attrs["reliability"]["p90_h"] >= df.attrs["reliability"]["p50_h"]
    assert "RU" in "|".join(df.attrs.get("corridors") or []) or t["borders"] >= 3


def test_options_are_the_apis_and_are_honoured():
    free = corridor.route("Xi'an", "Duisburg", optimize="time")
    avoid = corridor.route("Xi'an", "Duisburg", optimize="time", avoid_country=["RU", "BY"])
    assert "RU" not in set(avoid["to"].str[:2]) and avoid.attrs["totals"]["hours"] >= free.attrs["totals"]["hours"]
    # A comma-separated string is a list, as in the query string.
    same = corridor.route("Xi'an", "Duisburg", optimize="time", avoid_country="RU,BY")
    assert same.attrs["totals"] == avoid.attrs["totals"]
    # Places to pass through, in order: Zhengzhou to Hamburg by Ulaanbaatar is the Mongolian line.
    plain = corridor._engine(None).route_json("Zhengzhou", "Hamburg", optimize="time", avoid_mode="road,sea")
    via = corridor._engine(None).route_json(
        "Zhengzhou", "Hamburg", optimize="time", avoid_mode="road,sea", via="Ulaanbaatar"
    )
    assert "MN" not in plain["countries"] and "MN" in via["countries"], (plain["countries"], via["countries"])
    # A comparison through the same place: the best route is the route's.
    cmp = corridor._engine(None).compare("Zhengzhou", "Hamburg", optimize="time", avoid_mode="road,sea", via="Ulaanbaatar")
    assert cmp.attrs["best"]["totals"] == via["totals"], (cmp.attrs["best"]["totals"], via["totals"])
    assert cmp.set_index("corridor").loc["middle", "error"].find("does not keep to corridor middle") >= 0
    with pytest.raises(corridor.CorridorError) as e:
        corridor.pareto("Zhengzhou", "Hamburg", via=["Ulaanbaatar"])
    assert e.value.code == "InvalidQuery" and "via" in str(e.value)
    # The kind of train: China–Central Asia is a regular train unless told, and slower into
    # Kazakhstan than an express.
    regular = corridor._engine(None).route_json("Chengdu", "Tashkent", avoid_mode="road,sea")
    express = corridor._engine(None).route_json("Chengdu", "Tashkent", avoid_mode="road,sea", traffic="express")
    assert (regular["traffic"], express["traffic"]) == ("regular", "express")
    assert regular["reliability"]["p50_h"] > express["reliability"]["p50_h"] + 48
    with pytest.raises(corridor.CorridorError) as e:
        corridor.route("Chengdu", "Tashkent", traffic="wagonload")
    assert e.value.code == "InvalidValue" and "traffic" in str(e.value)


def test_table_equals_the_routes():
    df = corridor.table(["Xi'an", "Almaty"], ["Duisburg", "Baku"])
    assert list(df.columns) == ["source", "target", "hours", "days", "usd", "co2e_wtw_kg", "km"]
    assert len(df) == 4 and df["hours"].dtype == "float64"
    row = df[(df.source == "CNXIA") & (df.target == "DEDUI")].iloc[0]
    r = corridor.route("Xi'an", "Duisburg").attrs["totals"]
    assert math.isclose(row["hours"], r["hours"], rel_tol=1e-6)
    assert math.isclose(row["km"], r["km"], rel_tol=1e-6)


def test_pareto_routes_are_not_dominated():
    df = corridor.pareto("Xi'an", "Duisburg")
    assert len(df) >= 2
    pts = list(zip(df["hours"], df["usd"], df["co2e_wtw_kg"]))
    for i, a in enumerate(pts):
        for j, b in enumerate(pts):
            if i != j:
                assert not (b[0] <= a[0] and b[1] <= a[1] and b[2] <= a[2] and b != a)


def test_locations():
    df = corridor.locations("Duisburg")
    assert "DEDUI" in set(df["id"])
    assert len(corridor.locations()) >= 600
    # A place off the network: no look-alike location, the place itself in attrs["places"].
    df = corridor.locations("Yakutsk")
    assert len(df) == 0 and df.attrs["places"][0]["id"] == "RUYKS"


def test_errors_carry_the_api_code_and_message():
    with pytest.raises(corridor.CorridorError) as e:
        corridor.route("Atlantis", "Duisburg")
    assert e.value.code == "UnknownLocation" and e.value.status == 400
    assert e.value.message.startswith("from: unknown place")
    assert e.value.details.get("parameter") == "from"
    with pytest.raises(corridor.CorridorError) as e:
        corridor.route("Xi'an", "Duisburg", bogus=1)
    assert "unknown field `bogus`" in e.value.message
    with pytest.raises(corridor.CorridorError) as e:
        corridor.route("Xi'an", "Duisburg", payload_t=-5)
    assert e.value.code in ("InvalidValue", "InvalidQuery") and "payload" in e.value.message
    with pytest.raises(corridor.CorridorError) as e:
        corridor.compare("Xi'an", "Xi'an")
    assert e.value.status == 400


def test_assign_reports_bottlenecks_and_serves_the_demand():
    df = corridor.assign()
    assert df.iloc[0]["utilisation"] >= df.iloc[-1]["utilisation"]
    t = df.attrs["totals"]
    assert math.isclose(t["served_teu"], t["demand_teu"], rel_tol=1e-9)
    flows = corridor.assign_flows()
    assert len(flows) > 10 and (flows["flow_teu_year"] > 0).all()


def test_scenario_diff_and_resilience():
    d = corridor.scenario_diff(os.path.join(SCENARIOS, "dostyk_closed.toml"))
    row = d[d["element"] == "link:r-alashankou-dostyk (forward)"].iloc[0]
    assert row["scenario_teu_week"] == 0 and row["base_teu_week"] > 1000
    r = corridor.resilience(5)
    assert len(r) == 5 and (r["score_usd_year"] > -1.0).all()
    with pytest.raises(corridor.CorridorError):
        corridor.scenario_diff("this is not toml [")
    with pytest.raises(corridor.CorridorError):
        corridor.resilience(0)


def test_scenario_diff_and_resilience_on_a_dataset_directory(tmp_path):
    # data/eurasia as a directory: the whole core network with its own capacities and demand,
    # as `corridor --data data/eurasia scenario diff` reads it.
    d = corridor.scenario_diff(os.path.join(SCENARIOS, "dostyk_closed.toml"), data=EURASIA)
    row = d[d["element"] == "link:r-alashankou-dostyk (forward)"].iloc[0]
    assert row["scenario_teu_week"] == 0 and row["base_teu_week"] > 1000
    r = corridor.resilience(2, data=EURASIA)
    assert len(r) == 2
    # A directory without demand is refused with the file it lacks, never assigned empty.
    for name in os.listdir(EURASIA):
        if name.endswith((".csv", ".toml")) and name != "demand_2024.csv":
            (tmp_path / name).write_bytes(open(os.path.join(EURASIA, name), "rb").read())
    with pytest.raises(corridor.CorridorError, match="demand_2024.csv"):
        corridor.resilience(2, data=str(tmp_path))


def test_threads_give_the_same_answers():
    pairs = [("Xi'an", "Duisburg"), ("Almaty", "Baku"), ("Chongqing", "Warsaw"), ("Shanghai", "Rotterdam")] * 4
    seq = [corridor.route(a, b).attrs["totals"] for a, b in pairs]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        par = list(pool.map(lambda p: corridor.route(*p).attrs["totals"], pairs))
    assert par == seq


def test_a_dataset_directory_and_refusals(tmp_path):
    with pytest.raises(ValueError, match="detailed snapshots"):
        corridor.Engine(str(tmp_path / "x.corridor"))
    with pytest.raises(ValueError):
        corridor.Engine(str(tmp_path / "missing"))
    with pytest.raises(ValueError, match="time_budget_s"):
        corridor.Engine(None, time_budget_s=0)


def test_legs_as_a_geodataframe():
    gpd = pytest.importorskip("geopandas") if not os.environ.get("CI") else __import__("geopandas")
    g = corridor.legs_geodataframe("Xi'an", "Duisburg", corridor="northern")
    assert isinstance(g, gpd.GeoDataFrame) and g.crs.to_epsg() == 4326
    lines = g[g.geometry.geom_type == "LineString"]
    assert len(lines) >= 3 and lines.geometry.is_valid.all()


def _corridor_bin():
    """The `corridor` binary: CORRIDOR_BIN, else the workspace's build."""
    root = os.path.join(os.path.dirname(__file__), "..", "..", "..")
    for p in [os.environ.get("CORRIDOR_BIN"), os.path.join(root, "target", "release", "corridor"),
              os.path.join(root, "target", "debug", "corridor")]:
        if p and os.path.isfile(p):
            return p
    if os.environ.get("CI"):
        raise AssertionError("CI: no corridor binary (set CORRIDOR_BIN or build corridor-cli)")
    pytest.skip("SKIPPED: no corridor binary built (cargo build -p corridor-cli), GeoParquet readers not checked")


def test_geoparquet_reads_in_geopandas_and_duckdb(tmp_path):
    import subprocess

    gpd = __import__("geopandas")
    duckdb = pytest.importorskip("duckdb") if not os.environ.get("CI") else __import__("duckdb")
    exe = _corridor_bin()
    legs = tmp_path / "legs.parquet"
    flows = tmp_path / "flows.parquet"
    subprocess.run([exe, "route", "Xi'an", "Duisburg", "--corridor", "northern", "--geoparquet", str(legs)],
                   check=True, capture_output=True)
    subprocess.run([exe, "assign", "--no-choice", "--geoparquet", str(flows)], check=True, capture_output=True)
    g = gpd.read_parquet(legs)
    assert g.crs is not None and g.crs.equals("OGC:CRS84")
    assert set(g.geometry.geom_type) == {"LineString", "Point"} and g.geometry.is_valid.all()
    assert str(g["seq"].dtype) == "uint32" and g["kind"].dtype.name == "category"
    # The legs' km add up to the route's (the CSV and the Parquet cannot disagree).
    r = corridor.route("Xi'an", "Duisburg", corridor="northern").attrs["totals"]
    assert math.isclose(g["km"].sum(), r["km"], rel_tol=1e-6)
    f = gpd.read_parquet(flows)
    assert len(f) > 10 and (f.geometry.geom_type == "LineString").all()
    con = duckdb.connect()
    n, km = con.execute(f"select count(*), sum(km) from '{legs}' where kind = 'rail'").fetchone()
    assert n >= 3 and math.isclose(km, g[g.kind == "rail"]["km"].sum(), rel_tol=1e-9)
    (gtype,) = con.execute(f"select typeof(geometry) from '{flows}' limit 1").fetchone()
    assert gtype.upper().startswith(("GEOMETRY", "BLOB"))


def test_an_engine_under_a_scenario():
    """``Engine(scenario=...)`` answers the what-if network, as ``corridor route --scenario``:
    the Rasht–Astara railway takes Moscow–Bandar Abbas on the INSTC off the Astara–Rasht truck."""
    what_if = corridor.Engine(scenario=os.path.join(SCENARIOS, "rasht_astara.toml"))
    links = lambda r: [x for leg in r["legs"] for x in leg.get("links") or []]
    base = corridor.Engine().route_json("Moscow", "Bandar Abbas", corridor="instc")
    new = what_if.route_json("Moscow", "Bandar Abbas", corridor="instc")
    assert "d-astara-rasht" in links(base) and "r-rasht-astara" not in links(base)
    assert "r-rasht-astara" in links(new) and "d-astara-rasht" not in links(new)
    # The module's functions take it too, one engine per (data, scenario).
    df = corridor.route("Moscow", "Bandar Abbas", corridor="instc", scenario=os.path.join(SCENARIOS, "rasht_astara.toml"))
    assert df.attrs["totals"] == new["totals"] != base["totals"]
    # A capacity change is refused: a route has no capacity.
    with pytest.raises(ValueError, match="capacity"):
        corridor.Engine(scenario=os.path.join(SCENARIOS, "caspian_capacity_doubled.toml"))
