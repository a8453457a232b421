//! OSRM's route, table and nearest services on a small detailed snapshot built here: a 6 x 4
//! grid of road nodes 0.01 degrees apart (about 1.1 km by 0.85 km at 40 N), every arc 1000 m,
//! with one arc removed so that a shortest path is not the straight line.

use corridor_cch::Graph;
use corridor_server::ServerConfig;
use corridor_server::snapshot::{NamedProfile, SnapshotService, SnapshotState, snapshot_app};
use corridor_snapshot::{Engine, Objective, Profile};
use serde_json::json;

use super::*;

const W: u32 = 6;
const H: u32 = 4;

/// Node `(i, j)` of the grid: row `i` (latitude 40 + 0.01 i), column `j` (longitude 50 + 0.01 j).
fn node(i: u32, j: u32) -> u32 {
    i * W + j
}

fn grid() -> Graph {
    let mut arcs = Vec::new();
    for i in 0..H {
        for j in 0..W {
            if j + 1 < W && (i, j) != (0, 2) {
                arcs.push((node(i, j), node(i, j + 1), 1000));
                arcs.push((node(i, j + 1), node(i, j), 1000));
            }
            if i + 1 < H {
                arcs.push((node(i, j), node(i + 1, j), 1000));
                arcs.push((node(i + 1, j), node(i, j), 1000));
            }
        }
    }
    let n = (W * H) as usize;
    let lat = (0..n).map(|v| 40.0 + f64::from(v as u32 / W) * 0.01).collect();
    let lon = (0..n).map(|v| 50.0 + f64::from(v as u32 % W) * 0.01).collect();
    Graph::from_arcs(n, &arcs, lat, lon)
}

/// A road snapshot with three profiles; the server's config is `config`.
fn snapshot_server(config: ServerConfig) -> axum::Router {
    snapshot_server_storing(config, &[])
}

/// [`snapshot_server`] on a snapshot that stores the metrics of the profiles named in `stored`
/// (as `corridor build` stores the presets).
fn snapshot_server_storing(config: ServerConfig, stored: &[&str]) -> axum::Router {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("corridor-server-test-{}-{n}.corridor", std::process::id()));
    let mut data = corridor_snapshot::build(&grid(), corridor_snapshot::SnapshotKind::Road).0;
    data.write(&path).unwrap();
    // A plain road snapshot stores no speeds or prices: the profiles give them (as the CLI does).
    let profile =
        |objective| Profile { objective, speed_kmh: [Some(36.0); 3], usd_tkm: [Some(0.1); 3], ..Profile::default() };
    let profiles = vec![
        NamedProfile { name: "distance".into(), profile: profile(Objective::Distance) },
        NamedProfile { name: "time".into(), profile: profile(Objective::Time) },
        NamedProfile { name: "cost".into(), profile: profile(Objective::Cost) },
    ];
    if !stored.is_empty() {
        let snap = corridor_snapshot::Snapshot::open(&path).unwrap();
        data.metrics = profiles
            .iter()
            .filter(|p| stored.contains(&p.name.as_str()))
            .map(|p| corridor_snapshot::format::StoredMetric {
                name: p.name.clone(),
                fingerprint: p.profile.fingerprint(),
                weights: p.profile.weights(&snap),
            })
            .collect();
        drop(snap);
        data.write(&path).unwrap();
    }
    let engine = Engine::load(&path).unwrap();
    let service = SnapshotService::new(
        engine,
        profiles,
        "time",
        Some(corridor_snapshot::NodeMode::Road),
        path.display().to_string(),
    )
    .unwrap();
    std::fs::remove_file(&path).ok();
    snapshot_app(SnapshotState::new(config, service).unwrap())
}

/// "lon,lat" of node (i, j), nudged by `d` degrees of latitude.
fn at(i: u32, j: u32, d: f64) -> String {
    format!("{},{}", 50.0 + f64::from(j) * 0.01, 40.0 + f64::from(i) * 0.01 + d)
}

#[tokio::test]
async fn route_follows_the_network_with_exact_totals() {
    let app = snapshot_server(ServerConfig::default());
    // (0,0) to (0,4): the arc (0,2)-(0,3) is missing, so the path detours by one row: 6 arcs.
    let uri = format!("/route/v1/driving/{};{}?geometries=geojson", at(0, 0, 0.0), at(0, 4, 0.0001));
    let r = get(&app, &uri).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json["code"], "Ok");
    let route = &r.json["routes"][0];
    assert_eq!(route["distance"], 6000.0);
    // 6 km at 36 km/h = 600 s; `driving` is not a served profile, so it means `time`.
    assert_eq!((route["duration"].as_f64(), route["weight_name"].as_str()), (Some(600.0), Some("time")));
    assert_eq!(route["weight"], 600.0);
    assert_eq!(route["legs"].as_array().unwrap().len(), 1);
    assert_eq!(route["legs"][0]["distance"], 6000.0);
    let coords = route["geometry"]["coordinates"].as_array().unwrap();
    assert_eq!(coords.len(), 7, "{}", route["geometry"]);
    assert_eq!(coords[0], json!([50.0, 40.0]));
    let wp = r.json["waypoints"].as_array().unwrap();
    assert_eq!(wp.len(), 2);
    assert_eq!((wp[1]["node"].as_u64(), wp[1]["location"].clone()), (Some(4), json!([50.04, 40.0])));
    assert!((wp[1]["distance"].as_f64().unwrap() - 11.1).abs() < 0.2, "{}", wp[1]);

    // Three waypoints: two legs; the distance profile weighs metres; polyline by default.
    let uri = format!("/route/v1/distance/{};{};{}?skip_waypoints=true", at(0, 0, 0.0), at(1, 1, 0.0), at(3, 5, 0.0));
    let r = get(&app, &uri).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let route = &r.json["routes"][0];
    assert_eq!(route["legs"].as_array().unwrap().len(), 2);
    assert_eq!((route["distance"].as_f64(), route["weight"].as_f64()), (Some(8000.0), Some(8000.0)));
    assert!(route["geometry"].is_string());
    assert!(r.json.get("waypoints").is_none());
    let r = get(&app, &format!("/route/v1/time/{};{}?overview=false", at(0, 0, 0.0), at(0, 1, 0.0))).await;
    assert!(r.json["routes"][0].get("geometry").is_none(), "{}", r.text);
}

#[tokio::test]
async fn table_has_durations_distances_sources_and_destinations() {
    let app = snapshot_server(ServerConfig::default());
    let coords = [at(0, 0, 0.0), at(0, 4, 0.0), at(3, 0, 0.0)].join(";");
    let r = get(&app, &format!("/table/v1/driving/{coords}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json["durations"], json!([[0.0, 600.0, 300.0], [600.0, 0.0, 700.0], [300.0, 700.0, 0.0]]));
    assert!(r.json.get("distances").is_none());
    assert_eq!(r.json["sources"].as_array().unwrap().len(), 3);
    let r = get(
        &app,
        &format!("/table/v1/cost/{coords}?sources=0&destinations=1;2&annotations=duration,distance&scale_factor=2"),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json["distances"], json!([[6000.0, 3000.0]]));
    assert_eq!(r.json["durations"], json!([[1200.0, 600.0]]));
    assert_eq!(r.json["destinations"][1]["node"], node(3, 0));
}

#[tokio::test]
async fn nearest_returns_the_closest_nodes_first() {
    let app = snapshot_server(ServerConfig::default());
    let r = get(&app, &format!("/nearest/v1/driving/{}", at(1, 1, 0.002))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json["waypoints"].as_array().unwrap().len(), 1);
    assert_eq!(r.json["waypoints"][0]["node"], node(1, 1));
    let r = get(&app, &format!("/nearest/v1/driving/{}?number=3", at(1, 1, 0.002))).await;
    let nodes: Vec<u64> = r.json["waypoints"].as_array().unwrap().iter().map(|w| w["node"].as_u64().unwrap()).collect();
    // Then (1,0) and (1,2), 0.01 degrees of longitude (0.77 km at 40 N) and 0.002 of latitude
    // away, equally far (the lower id first), before (2,1), 0.008 degrees of latitude (0.89 km).
    assert_eq!(nodes, [u64::from(node(1, 1)), u64::from(node(1, 0)), u64::from(node(1, 2))]);
    let d: Vec<f64> = r.json["waypoints"].as_array().unwrap().iter().map(|w| w["distance"].as_f64().unwrap()).collect();
    assert!(d.windows(2).all(|w| w[0] <= w[1]), "{d:?}");
}

#[tokio::test]
async fn bad_options_are_refused_with_osrm_status_400() {
    let app = snapshot_server(ServerConfig::default());
    let two = [at(0, 0, 0.0), at(0, 1, 0.0)].join(";");
    let r = get(&app, &format!("/route/v1/driving/{two}?steps=true")).await;
    check_error(&r, 400, "InvalidValue", "steps=true");
    let r = get(&app, &format!("/route/v1/driving/{two}?alternatives=2")).await;
    check_error(&r, 400, "InvalidValue", "alternatives=2");
    let r = get(&app, &format!("/route/v1/driving/{two}?bearings=0,20;0,20")).await;
    check_error(&r, 400, "InvalidQuery", "bearings is not supported on a detailed snapshot");
    let r = get(&app, &format!("/route/v1/driving/{two}?optimise=time")).await;
    check_error(&r, 400, "InvalidQuery", "unknown parameter \"optimise\"");
    let r = get(&app, &format!("/route/v1/driving/{two}?radiuses=10")).await;
    check_error(&r, 400, "InvalidValue", "1 radiuses for 2 coordinates");
    // A coordinate 3 km from the grid: fine by default, refused within a 1 km radius.
    let far = format!("{};{}", at(0, 0, -0.03), at(0, 1, 0.0));
    assert_eq!(get(&app, &format!("/route/v1/driving/{far}")).await.status, StatusCode::OK);
    let r = get(&app, &format!("/route/v1/driving/{far}?radiuses=1000;unlimited")).await;
    check_error(&r, 400, "NoSegment", "coordinate 0");
    assert_eq!(r.json["index"], 0);
    let r = get(&app, "/route/v1/driving/10,10;50,40").await;
    check_error(&r, 400, "NoSegment", "no usable network node within 100 km");
    let r = get(&app, &format!("/table/v1/driving/{two}?sources=0;5")).await;
    check_error(&r, 400, "InvalidValue", "sources=5");
    assert_eq!(r.json["index"], 1);
    let r = get(&app, &format!("/table/v1/driving/{two}?annotations=speed")).await;
    check_error(&r, 400, "InvalidValue", "annotations=speed");
    let r = get(&app, &format!("/table/v1/driving/{two}?fallback_speed=10")).await;
    check_error(&r, 400, "InvalidQuery", "fallback_speed is not supported");
    let r = get(&app, &format!("/table/v1/driving/{two}?scale_factor=0")).await;
    check_error(&r, 400, "InvalidValue", "scale_factor=0");
    let r = get(&app, &format!("/nearest/v1/driving/{two}")).await;
    check_error(&r, 400, "TooBig", "2 coordinates given; the limit is 1");
    let r = get(&app, &format!("/nearest/v1/driving/{}?number=0", at(0, 0, 0.0))).await;
    check_error(&r, 400, "InvalidValue", "number=0");
    let r = get(&app, "/v1/route?from=A&to=B").await;
    check_error(&r, 404, "NotFound", "no endpoint at /v1/route");
    // Path segments that are not UTF-8 once unescaped: a JSON error, not axum's plain text.
    for service in ["route", "table", "nearest"] {
        let r = get(&app, &format!("/{service}/v1/driv%BCing/{}", at(0, 0, 0.0))).await;
        check_error(&r, 400, "InvalidQuery", "Invalid UTF-8 in `profile`");
    }
}

#[tokio::test]
async fn limits_key_and_health_apply() {
    let limits = corridor_server::Limits { max_table_size: 2, ..corridor_server::Limits::default() };
    let app = snapshot_server(ServerConfig { limits, api_key: Some("k".into()), ..ServerConfig::default() });
    let h = get(&app, "/health").await;
    assert_eq!(h.status, StatusCode::OK);
    assert_eq!((h.json["nodes"].as_u64(), h.json["fallback"].as_str()), (Some(24), Some("time")));
    assert_eq!(h.json["profiles"], json!(["distance", "time", "cost"]));
    let two = [at(0, 0, 0.0), at(0, 1, 0.0)].join(";");
    let r = get(&app, &format!("/table/v1/driving/{two}")).await;
    check_error(&r, 401, "Unauthorized", "requires an API key");
    let req = Request::get(format!("/table/v1/driving/{two}")).header("x-api-key", "k").body(Body::empty()).unwrap();
    let r = send(&app, req).await;
    assert_eq!(r.status, StatusCode::OK, "two coordinates are within the limit: {}", r.text);
    let three = [at(0, 0, 0.0), at(0, 1, 0.0), at(1, 1, 0.0)].join(";");
    let req = Request::get(format!("/table/v1/driving/{three}")).header("x-api-key", "k").body(Body::empty()).unwrap();
    check_error(&send(&app, req).await, 400, "TooBig", "3 coordinates given; the limit is 2");
}

#[test]
fn a_service_needs_consistent_profiles() {
    let path = std::env::temp_dir().join(format!("corridor-server-test-bad-{}.corridor", std::process::id()));
    corridor_snapshot::build(&grid(), corridor_snapshot::SnapshotKind::Road).0.write(&path).unwrap();
    let named = |name: &str| NamedProfile { name: name.into(), profile: Profile::default() };
    let e = SnapshotService::new(Engine::load(&path).unwrap(), vec![named("a")], "b", None, String::new());
    assert!(e.unwrap_err().to_string().contains("fallback profile \"b\""));
    let e = SnapshotService::new(Engine::load(&path).unwrap(), vec![named("a"), named("A")], "a", None, String::new());
    assert!(e.unwrap_err().to_string().contains("given twice"));
    let e = SnapshotService::new(
        Engine::load(&path).unwrap(),
        vec![named("a")],
        "a",
        Some(corridor_snapshot::NodeMode::Rail),
        String::new(),
    );
    assert!(e.unwrap_err().to_string().contains("no rail nodes"));
    std::fs::remove_file(&path).ok();
}

#[tokio::test]
async fn exclude_customizes_the_request_or_names_the_bad_class() {
    let app = snapshot_server(ServerConfig::default());
    let ends = format!("{};{}", at(0, 0, 0.0), at(0, 4, 0.0001));
    // Excluding rail on a road grid changes nothing.
    let plain = get(&app, &format!("/route/v1/driving/{ends}?overview=false")).await;
    let no_rail = get(&app, &format!("/route/v1/driving/{ends}?overview=false&exclude=rail")).await;
    assert_eq!(no_rail.status, StatusCode::OK, "{}", no_rail.text);
    assert_eq!(plain.json["routes"][0]["distance"], no_rail.json["routes"][0]["distance"]);
    // Excluding road leaves no way: no route, not a silent answer.
    let no_road = get(&app, &format!("/route/v1/driving/{ends}?exclude=road")).await;
    assert_eq!(no_road.json["code"], "NoRoute", "{}", no_road.text);
    let t = get(&app, &format!("/table/v1/driving/{ends}?exclude=road")).await;
    assert_eq!(t.status, StatusCode::OK, "{}", t.text);
    assert_eq!(t.json["durations"][0][1], serde_json::Value::Null);
    let r = get(&app, &format!("/route/v1/driving/{ends}?exclude=rail,air")).await;
    check_error(&r, 400, "InvalidValue", "exclude=air");
    assert_eq!(r.json["index"], 1);
}

/// A preset is customized on its first request, not at start: `/health` lists the customized
/// ones and `/metrics` their residency and bytes, and a request with `exclude` customizes its
/// own metric without touching the preset's.
#[tokio::test]
async fn presets_are_customized_on_first_use() {
    let app = snapshot_server(ServerConfig::default());
    let h = get(&app, "/health").await;
    assert_eq!(h.json["customized"], serde_json::json!([]));
    let two = format!("{};{}", at(0, 0, 0.0), at(2, 3, 0.0));
    let r = get(&app, &format!("/route/v1/cost/{two}?overview=false&exclude=rail")).await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(get(&app, "/health").await.json["customized"], serde_json::json!([]));
    let r = get(&app, &format!("/route/v1/driving/{two}?overview=false")).await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(get(&app, "/health").await.json["customized"], serde_json::json!(["time"]));
    let m = send(&app, Request::get("/metrics").body(Body::empty()).unwrap()).await;
    let text = m.text.clone();
    assert!(text.contains("corridor_snapshot_profile_customized{profile=\"time\"} 1"), "{text}");
    assert!(text.contains("corridor_snapshot_profile_customized{profile=\"cost\"} 0"), "{text}");
    assert!(text.contains("corridor_snapshot_profile_metric_bytes{profile=\"time\"} "), "{text}");
    assert!(!text.contains("corridor_snapshot_profile_metric_bytes{profile=\"cost\"}"), "{text}");
}

/// A preset stored in the snapshot is mapped from the file at start: ready before any request,
/// listed as `mapped` in `/health`, with no heap bytes in `/metrics`; the others stay lazy.
#[tokio::test]
async fn stored_presets_are_mapped_not_customized() {
    let app = snapshot_server_storing(ServerConfig::default(), &["time"]);
    let h = get(&app, "/health").await;
    assert_eq!(h.json["customized"], serde_json::json!(["time"]));
    assert_eq!(h.json["mapped"], serde_json::json!(["time"]));
    let two = format!("{};{}", at(0, 0, 0.0), at(0, 4, 0.0));
    let r = get(&app, &format!("/route/v1/time/{two}?overview=false")).await;
    assert_eq!(r.status, 200, "{}", r.json);
    // The removed arc (0,2)-(0,3) makes the path 6 km, not 4.
    assert_eq!(r.json["routes"][0]["distance"], 6000.0, "{}", r.json);
    let m = send(&app, Request::get("/metrics").body(Body::empty()).unwrap()).await;
    let text = m.text.clone();
    assert!(text.contains("corridor_snapshot_profile_mapped{profile=\"time\"} 1"), "{text}");
    assert!(text.contains("corridor_snapshot_profile_mapped{profile=\"cost\"} 0"), "{text}");
    assert!(!text.contains("corridor_snapshot_profile_metric_bytes{profile=\"time\"}"), "{text}");
    assert!(text.contains("corridor_snapshot_cch_heap_bytes 0"), "{text}");
}
