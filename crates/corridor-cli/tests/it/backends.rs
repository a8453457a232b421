//! Every route option on every backend is honoured or refused with an error that names it: the
//! curated core (embedded data), a detailed snapshot, and the combined mode (`--depart` on a
//! snapshot). Also: place names on a snapshot, `compare`, `locations` and `validate` there.

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
        (&["--format", "csv"], "--format csv"),
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
        (&["--depart", "2026-12-01T08:00", "--format", "csv"], "--format csv"),
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
    assert!(String::from_utf8_lossy(&out.stdout).contains("OK: snapshot v2, 4 nodes"));
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
    assert_eq!(v["route"]["from"], "Qingdao (CNQIN, CN)");
    assert_eq!(v["route"]["to"], "Lianyungang (CNLYG, CN)");
    assert_eq!(v["route"]["km"], 270.0);
    let out = corridor(&["--data", d, "compare", "CNTAO", "Lianyungang", "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let objectives: Vec<&str> =
        v["routes"].as_array().unwrap().iter().map(|r| r["objective"].as_str().unwrap()).collect();
    assert_eq!(objectives, ["time", "cost", "co2", "balanced"]);
    // A place too far from the snapshot's network: refused with the distance.
    let out = corridor(&["--data", d, "route", "Madrid", "Lianyungang"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("origin Madrid (ESMAD, ES)"));
    std::fs::remove_dir_all(snap.parent().unwrap()).ok();
}

#[test]
fn any_place_on_the_embedded_network_with_estimated_access() {
    // The README examples.
    let out = corridor(&["route", "Qingdao", "Baku"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Note: Qingdao (CNQIN, CN) is not a corridor terminal"), "{text}");
    assert!(text.contains("estimated truck leg"), "{text}");
    let j = crate::json(&["route", "36.07,120.38", "Tashkent", "--format", "json"]);
    let first = &j["legs"][0];
    assert_eq!(first["estimated"], true, "{first}");
    assert_eq!(first["kind"], "road");
    assert!(j["notes"][0].as_str().unwrap().contains("near Qingdao"), "{}", j["notes"]);
    let j = crate::json(&["compare", "Madrid", "Chengdu", "--format", "json"]);
    assert!(j["notes"][0].as_str().unwrap().starts_with("Madrid (ESMAD, ES) is not a corridor terminal"));
    assert!(j["best"]["legs"][0]["estimated"].as_bool().unwrap());
    // Islands have no road to the network: a clear refusal naming the nearest terminals.
    let out = corridor(&["route", "Tokyo", "Duisburg"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no terminal is reachable by an estimated truck leg"));
    // Trade codes and country qualifiers.
    let j = crate::json(&["route", "CNSHA", "Duisburg", "--format", "json"]);
    assert_eq!(j["from"]["id"], "CNSGH");
    let j = crate::json(&["route", "Brest, FR", "Xi'an", "--format", "json"]);
    assert_eq!(j["from"]["id"], "FRBES");
}
