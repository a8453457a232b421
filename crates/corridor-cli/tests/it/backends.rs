//! Every route option on every backend is honoured or refused with an error that names it: the
//! curated core (embedded data), a detailed snapshot, and the combined mode (`--depart` on a
//! snapshot). Also: place names on a snapshot, `compare`, `locations` and `validate` there.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::corridor;

/// A small snapshot: a rail line from Qingdao through Rizhao to Lianyungang (real coordinates,
/// so that place names snap to it).
fn snapshot(test: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("corridor-backends-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    let (nodes, edges, snap) = (d.join("nodes.csv"), d.join("edges.csv"), d.join("line.corridor"));
    std::fs::write(&nodes, "id,lat,lon\n0,36.0649,120.3804\n1,35.4164,119.4553\n2,34.7167,119.4333\n3,35.0,119.9\n")
        .unwrap();
    std::fs::write(&edges, "u,v,km\n0,3,120\n3,1,70\n1,2,80\n").unwrap();
    let out = corridor(&[
        "build",
        "--nodes-csv",
        nodes.to_str().unwrap(),
        "--edges-csv",
        edges.to_str().unwrap(),
        "--mode",
        "rail",
        "--out",
        snap.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    snap
}

/// Runs `route` with `extra` and checks the outcome: `None` = honoured (exit 0), `Some(flag)` =
/// refused with exit 2 and a message naming `flag`.
#[track_caller]
fn check(data: Option<&Path>, from: &str, to: &str, extra: &[&str], expect_refused: Option<&str>) {
    let mut args: Vec<&str> = Vec::new();
    if let Some(d) = data {
        args.extend(["--data", d.to_str().unwrap()]);
    }
    args.extend(["route", from, to]);
    args.extend_from_slice(extra);
    let out = corridor(&args);
    let err = String::from_utf8_lossy(&out.stderr);
    match expect_refused {
        None => assert!(out.status.success(), "{args:?} should be honoured: {err}"),
        Some(flag) => {
            assert_eq!(out.status.code(), Some(2), "{args:?} should be refused: {err}");
            assert!(err.contains(flag), "{args:?}: the error should name {flag}: {err}");
        }
    }
}

#[test]
fn every_option_is_honoured_or_refused_on_every_backend() {
    let snap = snapshot("options");
    let s = Some(snap.as_path());
    // Options of the curated core, refused on a snapshot.
    for (args, flag) in [
        (&["--corridor", "middle"][..], "--corridor"),
        (&["--avoid-location", "Dostyk"], "--avoid-location"),
        (&["--avoid-border", "b-brest-terespol"], "--avoid-border"),
        (&["--max-transshipments", "2"], "--max-transshipments"),
        (&["--latest-arrival", "2026-12-30T00:00"], "--latest-arrival"),
        (&["--samples", "10"], "--samples"),
        (&["--seed", "7"], "--seed"),
        (&["--avoid-country", "KZ"], "--avoid-country KZ"),
        (&["--payload-t", "NaN"], "--payload-t"),
        (&["--value-of-time=-1"], "--value-of-time"),
    ] {
        check(s, "Qingdao", "Lianyungang", args, Some(flag));
        // The same on the core: honoured, except the bad numbers and the unknown country.
        let core_refuses = matches!(flag, "--payload-t" | "--value-of-time");
        if !core_refuses && flag != "--avoid-country KZ" && flag != "--latest-arrival" {
            check(None, "Xi'an", "Duisburg", args, None);
        }
        if core_refuses {
            check(None, "Xi'an", "Duisburg", args, Some(flag));
        }
    }
    // Options honoured on a snapshot.
    for args in [
        &["--optimize", "time"][..],
        &["--optimize", "cost"],
        &["--unit", "feu"],
        &["--payload-t", "12"],
        &["--avoid-gauge-changes"],
        &["--value-of-time", "3"],
        &["--carbon-price", "100"],
        &["--snap-km", "30"],
        &["--speed-kmh", "50"],
        &["--usd-per-tkm", "0.1"],
        &["--format", "json"],
        &["--format", "geojson"],
        &["--format", "csv"],
    ] {
        check(s, "Qingdao", "Lianyungang", args, None);
    }
    // Options of a snapshot, refused on the core.
    for (args, flag) in [
        (&["--snap-km", "30"][..], "--snap-km"),
        (&["--snap", "rail"], "--snap"),
        (&["--speed-kmh", "50"], "--speed-kmh"),
        (&["--usd-per-tkm", "0.1"], "--usd-per-tkm"),
    ] {
        check(None, "Xi'an", "Duisburg", args, Some(flag));
    }
    // The combined mode (--depart on a snapshot) refuses what it cannot honour before anything.
    for (args, flag) in [
        (&["--depart", "2026-12-01T08:00", "--latest-arrival", "2026-12-30T00:00"][..], "--latest-arrival"),
        (&["--depart", "2026-12-01T08:00", "--max-transshipments", "1"], "--max-transshipments"),
        (&["--depart", "2026-12-01T08:00", "--corridor", "middle"], "--corridor"),
    ] {
        check(s, "Qingdao", "Lianyungang", args, Some(flag));
    }
    // Other commands on a snapshot.
    let d = snap.to_str().unwrap();
    let out = corridor(&["--data", d, "pareto", "Qingdao", "Lianyungang"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("pareto is not supported with --data SNAPSHOT"));
    let out = corridor(&["--data", d, "validate"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("OK: snapshot v3, 4 nodes"), "{text}");
    assert!(text.contains("stored preset metrics: distance, time, p90, cost, co2, balanced;"), "{text}");
    let out = corridor(&["--data", d, "locations", "Qingdao", "--format", "json"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["id"], "CNQIN");
    assert_eq!(v[0]["snapshot_node"]["node"], 0);
    std::fs::remove_dir_all(snap.parent().unwrap()).ok();
}

#[test]
fn place_names_route_on_a_snapshot_and_compare_per_objective() {
    let snap = snapshot("names");
    let d = snap.to_str().unwrap();
    let out = corridor(&["--data", d, "route", "Qingdao", "连云港", "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["backend"], "detailed");
    assert_eq!(v["from"]["id"], "CNQIN");
    assert_eq!(v["to"]["id"], "CNLYG");
    assert_eq!(v["totals"]["km"], 270.0);
    let out = corridor(&["--data", d, "compare", "CNTAO", "Lianyungang", "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let objectives: Vec<&str> = v["corridors"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(objectives, ["time", "cost", "co2", "balanced"]);
    assert_eq!(v["best"]["totals"]["km"], 270.0);
    // A place too far from the snapshot's network: refused with the distance.
    let out = corridor(&["--data", d, "route", "Madrid", "Lianyungang"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("origin Madrid (ESMAD, ES)"));
    std::fs::remove_dir_all(snap.parent().unwrap()).ok();
}

#[test]
fn any_place_on_the_embedded_network_with_estimated_access() {
    // The README examples.
    // (Qingdao and Madrid are core terminals since the core build: Jiaozhou and Salamanca are
    // towns next to them that are not.)
    let out = corridor(&["route", "Jiaozhou", "Baku"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Note: Jiaozhou (CNJZH, CN) is not a corridor terminal"), "{text}");
    assert!(text.contains("estimated truck leg"), "{text}");
    let j = crate::json(&["route", "36.28,120.0", "Tashkent", "--format", "json"]);
    let first = &j["legs"][0];
    assert_eq!(first["estimated"], true, "{first}");
    assert_eq!(first["kind"], "road");
    assert!(j["notes"][0].as_str().unwrap().contains("near Jiaozhou"), "{}", j["notes"]);
    let j = crate::json(&["compare", "Salamanca", "Chengdu", "--format", "json"]);
    assert!(j["notes"][0].as_str().unwrap().starts_with("Salamanca (ESSLM, ES) is not a corridor terminal"));
    assert!(j["best"]["legs"][0]["estimated"].as_bool().unwrap());
    // Islands with no port of the network have no road to it: a clear refusal naming the nearest
    // terminals (Iloilo, on Panay; Cebu and Manila, ports of the network, are on other islands).
    let out = corridor(&["route", "Iloilo", "Duisburg"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no terminal is reachable by an estimated truck leg"));
    // Trade codes and country qualifiers.
    let j = crate::json(&["route", "CNSHA", "Duisburg", "--format", "json"]);
    assert_eq!(j["from"]["id"], "CNSGH");
    let j = crate::json(&["route", "Brest, FR", "Xi'an", "--format", "json"]);
    assert_eq!(j["from"]["id"], "FRBES");
}

/// The keys of a JSON object (empty for anything else).
/// The keys of an object; `notes` (present only when there is something to note, on either
/// backend) left out.
fn keys(v: &serde_json::Value) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = v.as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default();
    out.remove("notes");
    out
}

/// The keys of every object in an array, together; `estimated` (present only on estimated
/// access legs of the core) left out.
fn item_keys(v: &serde_json::Value) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = v.as_array().into_iter().flatten().flat_map(keys).collect();
    out.remove("estimated");
    out
}

/// The shape of a route: its keys, its places', totals' and legs' keys.
fn route_shape(r: &serde_json::Value) -> Vec<BTreeSet<String>> {
    vec![keys(r), keys(&r["from"]), keys(&r["to"]), keys(&r["totals"]), item_keys(&r["legs"])]
}

/// The properties' keys of a FeatureCollection's features, and their geometry types.
fn feature_shape(v: &serde_json::Value) -> (BTreeSet<String>, BTreeSet<String>) {
    assert_eq!(v["type"], "FeatureCollection", "{v}");
    let features = v["features"].as_array().unwrap();
    assert!(!features.is_empty(), "{v}");
    let mut props: BTreeSet<String> = features.iter().flat_map(|f| keys(&f["properties"])).collect();
    props.remove("estimated");
    let geoms = features.iter().map(|f| f["geometry"]["type"].as_str().unwrap_or("").to_string()).collect();
    (props, geoms)
}

/// Runs a command that must succeed and returns its stdout.
#[track_caller]
fn stdout(args: &[&str]) -> String {
    let out = corridor(args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// `route` and `compare` on a snapshot write every format of the core network, with the same
/// shape: the same JSON keys, GeoJSON properties and CSV header; legs are named by place.
#[test]
fn a_snapshot_writes_the_core_formats_with_the_same_shape() {
    let snap = snapshot("formats");
    let d = snap.to_str().unwrap();
    let (from, to) = ("Qingdao", "Lianyungang");
    for cmd in ["route", "compare"] {
        let core = |format: &str| stdout(&[cmd, from, to, "--format", format]);
        let detailed = |format: &str| stdout(&["--data", d, cmd, from, to, "--format", format]);
        // JSON: the same keys at every level.
        let (c, s): (serde_json::Value, serde_json::Value) =
            (serde_json::from_str(&core("json")).unwrap(), serde_json::from_str(&detailed("json")).unwrap());
        assert_eq!(keys(&c), keys(&s), "{cmd} json");
        if cmd == "route" {
            assert_eq!(route_shape(&c), route_shape(&s), "{cmd} json");
            assert_eq!(c["backend"], "core");
            assert_eq!(s["backend"], "detailed");
            // What a snapshot does not hold is null, not invented.
            assert!(s["totals"]["co2e_ttw_kg"].is_null() && s["totals"]["transshipments"].is_null(), "{s}");
            assert!(s["reliability"].is_null() && !c["reliability"].is_null());
            assert!(s["snapped"]["from_node"].is_u64() && c["snapped"].is_null());
        } else {
            assert_eq!(item_keys(&c["corridors"]), item_keys(&s["corridors"]), "{cmd} json");
            assert_eq!(route_shape(&c["best"]), route_shape(&s["best"]), "{cmd} json");
            assert_eq!(keys(&c["winners"]), keys(&s["winners"]));
            assert_eq!(s["winners"]["time"], "time", "{s}");
        }
        // GeoJSON: the same properties on every feature (the core compares corridors, and no
        // corridor serves Qingdao–Lianyungang: its features come from Xi'an–Duisburg).
        let core_geo = match cmd {
            "compare" => stdout(&[cmd, "Xi'an", "Duisburg", "--format", "geojson"]),
            _ => core("geojson"),
        };
        let (c, s): (serde_json::Value, serde_json::Value) =
            (serde_json::from_str(&core_geo).unwrap(), serde_json::from_str(&detailed("geojson")).unwrap());
        let (cp, _) = feature_shape(&c);
        let (sp, sg) = feature_shape(&s);
        assert_eq!(cp, sp, "{cmd} geojson");
        assert!(sg.contains("LineString"), "{sg:?}");
        // CSV: the same header.
        let (c, s) = (core("csv"), detailed("csv"));
        assert_eq!(c.lines().next(), s.lines().next(), "{cmd} csv");
        assert!(s.lines().count() >= 2, "{s}");
        // Table: the same layout.
        let (c, s) = (core("table"), detailed("table"));
        if cmd == "route" {
            for t in [&c, &s] {
                assert!(t.contains("#  leg") && t.contains("total") && t.contains("Corridors: "), "{t}");
            }
        } else {
            for t in [&c, &s] {
                assert!(t.contains("* best: fastest") && t.contains("Overall best (balanced)"), "{t}");
            }
            assert!(s.contains("fastest (time)"), "{s}");
        }
    }
    std::fs::remove_dir_all(snap.parent().unwrap()).ok();
}

/// Legs on a snapshot are named by place: the ends by the places asked for, other nodes by the
/// nearest known place; never a bare node id where a name is known.
#[test]
fn snapshot_legs_are_named_by_place() {
    let snap = snapshot("named");
    let d = snap.to_str().unwrap();
    let v = crate::json(&["--data", d, "route", "Qingdao", "Lianyungang", "--format", "json"]);
    let legs = v["legs"].as_array().unwrap();
    assert_eq!(legs[0]["from"], "CNQIN");
    assert_eq!(legs[0]["from_name"], "Qingdao");
    assert_eq!(legs[legs.len() - 1]["to"], "CNLYG");
    assert_eq!(legs[legs.len() - 1]["to_name"], "Lianyungang");
    // A node given by id: named by the nearest known place, its id kept as `node:N`.
    let v = crate::json(&["--data", d, "route", "node:3", "Lianyungang", "--format", "json"]);
    assert_eq!(v["from"]["id"], "node:3");
    let leg = &v["legs"][0];
    assert_eq!(leg["from"], "node:3");
    let name = leg["from_name"].as_str().unwrap();
    assert!(!name.is_empty() && !name.contains("node"), "{name}");
    assert_eq!(v["from"]["name"], name);
    // The table and CSV show the same names.
    let t = stdout(&["--data", d, "route", "Qingdao", "Lianyungang"]);
    assert!(t.lines().any(|l| l.contains(" rail ") && l.contains("Qingdao") && l.contains("Lianyungang")), "{t}");
    let c = stdout(&["--data", d, "route", "Qingdao", "Lianyungang", "--format", "csv"]);
    assert!(c.lines().nth(1).unwrap().contains(",CNQIN,Qingdao,CNLYG,Lianyungang,"), "{c}");
    insta::assert_snapshot!("snapshot_route_csv", c);
    let j = stdout(&["--data", d, "route", "Qingdao", "Lianyungang", "--format", "json"]);
    insta::assert_snapshot!("snapshot_route_json", j);
    let c = stdout(&["--data", d, "compare", "Qingdao", "Lianyungang", "--format", "csv"]);
    insta::assert_snapshot!("snapshot_compare_csv", c);
    std::fs::remove_dir_all(snap.parent().unwrap()).ok();
}
