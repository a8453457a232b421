//! Detailed networks through the CLI: build a snapshot from node/edge CSV, batch tables with a
//! checksum, matrices, routes from coordinates, and the real Eurasian rail graph when present.

use std::path::{Path, PathBuf};

use crate::corridor;

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("corridor-detailed-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A ladder graph: 0-1-2-3 along the bottom, 4-5-6-7 along the top, rungs 0-4 and 3-7, with
/// lengths chosen so that 0 -> 7 goes along the bottom then up (3 + 3 + 3 + 1 = 10 km).
fn ladder(d: &Path) -> (PathBuf, PathBuf) {
    let nodes = d.join("nodes.csv");
    let edges = d.join("edges.csv");
    std::fs::write(&nodes, "id,lat,lon\n0,40.0,50.0\n1,40.0,50.1\n2,40.0,50.2\n3,40.0,50.3\n4,40.1,50.0\n5,40.1,50.1\n6,40.1,50.2\n7,40.1,50.3\n").unwrap();
    std::fs::write(&edges, "u,v,km\n0,1,3\n1,2,3\n2,3,3\n4,5,4\n5,6,4\n6,7,4\n0,4,2\n3,7,1\n").unwrap();
    (nodes, edges)
}

#[test]
fn build_table_and_route_on_a_small_graph() {
    let d = dir("ladder");
    let (nodes, edges) = ladder(&d);
    let snap = d.join("ladder.corridor");
    let out = corridor(&[
        "build",
        "--nodes-csv",
        nodes.to_str().unwrap(),
        "--edges-csv",
        edges.to_str().unwrap(),
        "--out",
        snap.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let pairs = d.join("pairs.csv");
    std::fs::write(&pairs, "source,target\n0,7\n7,0\n4,3\n1,1\n").unwrap();
    let out = corridor(&["--data", snap.to_str().unwrap(), "table", "--pairs", pairs.to_str().unwrap()]);
    let text = String::from_utf8(out.stdout).unwrap();
    let km: Vec<&str> =
        text.lines().skip(1).filter(|l| !l.starts_with('#')).map(|l| l.split(',').nth(4).unwrap()).collect();
    assert_eq!(km, ["10.000", "10.000", "11.000", "0.000"], "{text}");
    assert!(text.contains("# checksum_m=31000"), "{text}");
    // The same table as Parquet: a real Parquet file (magic at both ends).
    let pq = d.join("pairs.parquet");
    let out = corridor(&[
        "--data",
        snap.to_str().unwrap(),
        "table",
        "--pairs",
        pairs.to_str().unwrap(),
        "--parquet",
        pq.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let bytes = std::fs::read(&pq).unwrap();
    assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"), "not a Parquet file");
    // A matrix over three points given by coordinate.
    let points = d.join("points.csv");
    std::fs::write(&points, "lat,lon\n40.0,50.0\n40.1,50.3\n40.0,50.3\n").unwrap();
    let out = corridor(&["--data", snap.to_str().unwrap(), "table", "--points", points.to_str().unwrap()]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("0.000,10.000,9.000\n10.000,0.000,1.000\n9.000,1.000,0.000\n"), "{text}");
    // The matrix as Parquet (long format).
    let out = corridor(&[
        "--data",
        snap.to_str().unwrap(),
        "table",
        "--points",
        points.to_str().unwrap(),
        "--parquet",
        pq.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let bytes = std::fs::read(&pq).unwrap();
    assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"), "not a Parquet file");
    // A row that does not parse after the header is an error naming its line (it was dropped
    // without a word), and so is a coordinate out of range.
    let bad = d.join("bad_pairs.csv");
    for (text, want) in [
        ("source,target\n0,7\nabc,3\n4,3\n", "bad_pairs.csv:3: \"abc\": expected `lat,lon` or a node id"),
        ("40,50,40.1,200\n", "bad_pairs.csv:1: fields 3-4: longitude 200 is outside -180..180"),
        ("40,50,NaN,50\n", "bad_pairs.csv:1: fields 3-4: latitude NaN is outside -90..90"),
    ] {
        std::fs::write(&bad, text).unwrap();
        let out = corridor(&["--data", snap.to_str().unwrap(), "table", "--pairs", bad.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(want), "{err}");
    }
    // A route from coordinates, with geometry through the graph's nodes.
    let out = corridor(&["--data", snap.to_str().unwrap(), "route", "40.0,50.0", "40.1,50.3", "--format", "geojson"]);
    let geo: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &geo["features"][0];
    assert_eq!(f["properties"]["km"], 10.0);
    assert_eq!(f["geometry"]["coordinates"].as_array().unwrap().len(), 5);
    // The other formats of the same route: JSON (the one route type) and CSV.
    let j = stdout_of(&snap, &["route", "40.0,50.0", "40.1,50.3", "--format", "json"]);
    assert_eq!(j["totals"]["km"], 10.0);
    assert_eq!(j["snapped"]["from_node"], 0);
    assert_eq!(j["snapped"]["to_node"], 7);
    let out = corridor(&["--data", snap.to_str().unwrap(), "route", "40.0,50.0", "40.1,50.3", "--format", "csv"]);
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv.starts_with("seq,kind,platform,from,from_name,to,to_name,km,"), "{csv}");
    // Too far from the network: a clear error, exit 2.
    let out = corridor(&["--data", snap.to_str().unwrap(), "route", "10,10", "40.1,50.3"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no usable network node within 25 km"));
    // A damaged snapshot is refused.
    let mut bytes = std::fs::read(&snap).unwrap();
    let n = bytes.len();
    bytes[n - 1] ^= 1;
    std::fs::write(&snap, &bytes).unwrap();
    let out = corridor(&["--data", snap.to_str().unwrap(), "table", "--pairs", pairs.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("corrupt snapshot"));
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn xian_to_duisburg_on_the_osm_rail_graph_follows_real_railways() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/osm_rail_scgraph");
    if !shared.exists() {
        eprintln!("skipped: {} not present (the shared OSM data is needed for this test)", shared.display());
        return;
    }
    let d = dir("rail");
    let snap = d.join("rail.corridor");
    let out = corridor(&[
        "build",
        "--nodes-csv",
        shared.join("world_railways_eurasia_nodes.csv.gz").to_str().unwrap(),
        "--edges-csv",
        shared.join("world_railways_eurasia_edges.csv.gz").to_str().unwrap(),
        "--out",
        snap.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // Xi'an main station and Duisburg-Rheinhausen (duisport), by coordinate.
    let out =
        corridor(&["--data", snap.to_str().unwrap(), "route", "34.27,108.95", "51.43,6.77", "--format", "geojson"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let geo: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &geo["features"][0];
    let km = f["properties"]["km"].as_f64().unwrap();
    // Published Xi'an–Duisburg rail distance 9,908 km (shiphub.co via Alataw); the shortest
    // OSM rail path may take another border, but it must be of that order and far above the
    // 6,900 km great circle.
    assert!((8_500.0..11_500.0).contains(&km), "{km} km");
    let coords = f["geometry"]["coordinates"].as_array().unwrap();
    assert!(coords.len() > 1000, "only {} geometry points", coords.len());
    std::fs::remove_dir_all(&d).ok();
}

/// The multimodal build from the public sources (rail and sea layers, UN/LOCODE terminals,
/// Natural Earth countries, curated overlay), then Xi'an → Duisburg by rail from coordinates:
/// real OSM geometry, both breaks of gauge, curated border records, and a route around Russia
/// and Belarus when asked.
#[test]
fn multimodal_build_from_public_sources_routes_across_breaks_of_gauge() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    if !shared.join("osm_rail_scgraph").exists() {
        eprintln!("skipped: {} not present (the shared public data is needed for this test)", shared.display());
        return;
    }
    let d = dir("multi");
    let snap = d.join("eurasia.corridor");
    let out = corridor(&[
        "build",
        "--from",
        shared.to_str().unwrap(),
        "--modes",
        "rail,sea",
        "--out",
        snap.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(report.contains("gap report"), "{report}");
    assert!(report.contains("breaks of gauge:"), "{report}");
    let route = |extra: &[&str]| {
        let mut args =
            vec!["--data", snap.to_str().unwrap(), "route", "34.27,108.95", "51.43,6.77", "--format", "json"];
        args.extend_from_slice(extra);
        let out = corridor(&args);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let r = route(&["--snap", "rail", "--optimize", "time"]);
    assert_eq!(r["backend"], "detailed");
    let km = r["totals"]["km"].as_f64().unwrap();
    assert!((8_500.0..11_500.0).contains(&km), "{km} km");
    let legs = r["legs"].as_array().unwrap();
    let platforms: Vec<&str> = legs.iter().filter_map(|l| l["platform"].as_str()).collect();
    assert!(platforms.contains(&"rail1435") && platforms.contains(&"rail1520"), "{platforms:?}");
    assert!(r["totals"]["gauge_changes"].as_u64().unwrap() >= 2, "{}", r["totals"]);
    // The China–Kazakhstan crossing uses a curated record (Alashankou–Dostyk or Khorgos); a
    // snapshot's borders are named in the descriptions of the legs they lie in.
    let descriptions: Vec<&str> = legs.iter().map(|l| l["description"].as_str().unwrap()).collect();
    assert!(descriptions.iter().any(|d| d.contains("; border ") && d.contains("curated")), "{descriptions:?}");
    // Legs named by place: terminals by their code, other nodes by the nearest known place.
    for l in legs {
        for k in ["from_name", "to_name"] {
            let name = l[k].as_str().unwrap();
            assert!(!name.is_empty() && !name.starts_with("node"), "{l}");
        }
    }
    let days = r["totals"]["days"].as_f64().unwrap();
    // Published Northern-route transit 13–20 days terminal to terminal (DHL 2024); this
    // static estimate adds mean dwell without queueing, so a band around that.
    assert!((8.0..25.0).contains(&days), "{days} days");
    let geo = stdout_of(
        &snap,
        &["route", "34.27,108.95", "51.43,6.77", "--snap", "rail", "--optimize", "time", "--format", "geojson"],
    );
    let coords: usize = geo["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["geometry"]["coordinates"].as_array().map_or(0, Vec::len))
        .sum();
    assert!(coords > 1000, "{coords} geometry points");
    // Around Russia and Belarus: the route leaves the 1520 network for the Caspian or the sea.
    let r2 = route(&["--snap", "rail", "--optimize", "time", "--avoid-country", "RU,BY"]);
    let countries: Vec<&str> = r2["countries"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    assert!(countries.contains(&"CN") && !countries.iter().any(|&c| c == "RU" || c == "BY"), "{countries:?}");
    // An origin inside an avoided country: the reason, exit 1.
    let out = corridor(&[
        "--data",
        snap.to_str().unwrap(),
        "route",
        "34.27,108.95",
        "51.43,6.77",
        "--snap",
        "rail",
        "--avoid-country",
        "CN",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is in CN, an avoided country"));
    // With a departure time: detailed first and last mile, timetabled curated middle. Fastest,
    // so the middle is the Northern rail route whatever the balance of rail and sea prices (at
    // the dataset's value of time the two are within a few per cent for Xi'an–Duisburg).
    let j = route(&["--snap", "rail", "--optimize", "time", "--depart", "2026-12-01T08:00+08:00"]);
    assert_eq!(j["backend"], "combined");
    let d2d = j["totals"]["days"].as_f64().unwrap();
    assert!((8.0..30.0).contains(&d2d), "{d2d} days");
    assert!(j["legs"].as_array().unwrap().len() >= 3);
    assert!(j["depart"].is_string() && j["arrive"].is_string() && j["reliability"]["p90_h"].is_number(), "{j}");
    assert!(j["notes"].as_array().unwrap().iter().any(|n| n.as_str().unwrap().contains("timetabled middle")));
    std::fs::remove_dir_all(&d).ok();
}

/// Runs a command on a snapshot and parses its stdout as JSON, asserting success.
#[track_caller]
fn stdout_of(snap: &Path, args: &[&str]) -> serde_json::Value {
    let out = corridor(&[&["--data", snap.to_str().unwrap()][..], args].concat());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `GET path` on 127.0.0.1:`port` over plain HTTP/1.1: (status line, body).
pub(crate) fn http_get(port: u16, path: &str) -> std::io::Result<(String, String)> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(std::time::Duration::from_secs(10)))?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")?;
    let mut text = String::new();
    s.read_to_string(&mut text)?;
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    Ok((head.lines().next().unwrap_or("").to_string(), body.to_string()))
}

#[test]
fn serve_answers_osrm_services_on_a_snapshot() {
    let d = dir("serve");
    let (nodes, edges) = ladder(&d);
    let snap = d.join("ladder.corridor");
    let args = ["build", "--nodes-csv", nodes.to_str().unwrap(), "--edges-csv", edges.to_str().unwrap()];
    let out = corridor(&[&args[..], &["--out", snap.to_str().unwrap()]].concat());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // A free loopback port (released just before the server binds it).
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args(["--data", snap.to_str().unwrap(), "serve", "--bind", &format!("127.0.0.1:{port}")])
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut health = None;
    for _ in 0..100 {
        if let Ok(r) = http_get(port, "/health") {
            health = Some(r);
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let answers = health.map(|h| {
        let table = http_get(port, "/table/v1/driving/50.0,40.0;50.3,40.1?annotations=distance");
        let route = http_get(port, "/route/v1/distance/50.0,40.0;50.3,40.1?overview=false");
        let refused = http_get(port, "/nearest/v1/driving/50.0,40.0?bearings=0,20");
        (h, table, route, refused)
    });
    server.kill().ok();
    server.wait().ok();
    std::fs::remove_dir_all(&d).ok();
    let (health, table, route, refused) = answers.expect("the server answered /health within 10 s");
    assert!(health.0.contains("200") && health.1.contains("\"profiles\":[\"distance\",\"time\""), "{health:?}");
    let table = table.unwrap();
    assert!(table.1.contains("\"distances\":[[0.0,10000.0],[10000.0,0.0]]"), "{table:?}");
    let route = route.unwrap();
    assert!(route.1.contains("\"distance\":10000.0") && route.1.contains("\"weight_name\":\"distance\""), "{route:?}");
    let refused = refused.unwrap();
    assert!(refused.0.contains("400") && refused.1.contains("bearings is not supported"), "{refused:?}");
}

/// A table split in parts (`--shard i/n`) and merged is the single run's table, row for row,
/// for a pair batch and for a matrix; the parts hold the positions i, i+n, ...
#[test]
fn sharded_tables_merge_into_the_single_run() {
    let d = dir("shards");
    let (nodes, edges) = ladder(&d);
    let snap = d.join("ladder.corridor");
    let s = |p: &Path| p.to_str().unwrap().to_owned();
    let out = corridor(&["build", "--nodes-csv", &s(&nodes), "--edges-csv", &s(&edges), "--out", &s(&snap)]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let pairs = d.join("pairs.csv");
    std::fs::write(&pairs, "source,target\n0,7\n7,0\n4,3\n1,1\n2,6\n5,0\n6,1\n").unwrap();
    let points = d.join("points.csv");
    std::fs::write(&points, "node\n0\n1\n2\n3\n4\n5\n6\n7\n").unwrap();
    for (input, kind) in [("--pairs", &pairs), ("--points", &points)] {
        let single = d.join("single.parquet");
        let run = |extra: &[&str]| {
            let mut args = vec![
                "--data".to_owned(),
                s(&snap),
                "table".into(),
                input.into(),
                s(kind),
                "--metric".into(),
                "time".into(),
            ];
            args.extend(extra.iter().map(|x| (*x).to_owned()));
            let out = corridor(&args.iter().map(String::as_str).collect::<Vec<_>>());
            assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        };
        run(&["--parquet", &s(&single)]);
        let parts: Vec<PathBuf> = (0..3).map(|i| d.join(format!("part{i}.parquet"))).collect();
        for (i, p) in parts.iter().enumerate() {
            run(&["--shard", &format!("{i}/3"), "--parquet", &s(p)]);
        }
        let merged = d.join("merged.parquet");
        let out = corridor(&["merge", "--out", &s(&merged), &s(&parts[1]), &s(&parts[2]), &s(&parts[0])]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let (a, m) = (corridor_parquet::read_table(&single).unwrap(), corridor_parquet::read_table(&merged).unwrap());
        assert!(!a.rows.is_empty());
        assert_eq!((a.fields, a.rows), (m.fields, m.rows), "{input}: the union of the shards is the single run");
        // The first part of the matrix holds source rows 0, 3 and 6: 3 x 8 cells.
        if input == "--points" {
            assert_eq!(corridor_parquet::read_table(&parts[0]).unwrap().rows.len(), 24);
        }
        // One part alone is refused (parts 1/3 and 2/3 are missing).
        let out = corridor(&["merge", "--out", &s(&merged), &s(&parts[0])]);
        assert_eq!(out.status.code(), Some(2));
    }
    std::fs::remove_dir_all(&d).ok();
}
