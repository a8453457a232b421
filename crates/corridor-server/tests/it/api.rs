//! Every endpoint's success path on the mini dataset.

use serde_json::json;

use super::*;

#[tokio::test]
async fn route_get_and_post_agree() {
    let (_, app) = server(mini_config());
    let r = get(&app, "/v1/route?from=Alpha&to=CCEND").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let t = &r.json["totals"];
    assert_eq!(t["km"], 565.0);
    assert_eq!(t["borders"], 1);
    assert_eq!(t["gauge_changes"], 1);
    assert_eq!(r.json["countries"], json!(["AA", "BB", "CC"]));
    assert_eq!(r.json["from"]["id"], "AAONE");
    assert!(r.json.get("geometry").is_none(), "geometry only on request");

    let p = post_json(&app, "/v1/route", &json!({"from": "Alpha", "to": "CCEND"})).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.text);
    assert_eq!(p.json, r.json);
}

#[tokio::test]
async fn route_options_change_the_answer() {
    let (_, app) = server(mini_config());
    let teu = get(&app, "/v1/route?from=AAONE&to=CCEND&optimize=time").await;
    let feu = get(&app, "/v1/route?from=AAONE&to=CCEND&optimize=time&unit=feu&payload_t=25").await;
    assert_eq!(feu.status, StatusCode::OK, "{}", feu.text);
    assert_eq!((teu.json["unit"].as_str(), feu.json["unit"].as_str()), (Some("teu"), Some("feu")));
    assert_eq!(feu.json["payload_t"], 25.0);
    assert!(feu.json["totals"]["co2e_wtw_kg"].as_f64() > teu.json["totals"]["co2e_wtw_kg"].as_f64());
    // Constraint lists: comma-separated and repeated forms are the same request.
    let a = get(&app, "/v1/route?from=AAONE&to=BBSEA&avoid_mode=road,sea&corridor=east").await;
    let b = get(&app, "/v1/route?from=AAONE&to=BBSEA&avoid_mode=road&avoid_mode=sea&corridor=east").await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert_eq!(a.json, b.json);
    let c = post_json(
        &app,
        "/v1/route",
        &json!({"from": "AAONE", "to": "BBSEA", "avoid_mode": ["road", "sea"], "corridor": "east",
                "value_of_time": 2.0, "carbon_price": 100.0}),
    )
    .await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.text);
    assert_eq!(c.json["totals"]["km"], a.json["totals"]["km"]);
}

#[tokio::test]
async fn route_geometry_is_geojson_lon_lat() {
    let (_, app) = server(mini_config());
    let r = get(&app, "/v1/route?from=AAONE&to=CCEND&geometry=geojson").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let g = &r.json["geometry"];
    assert_eq!(g["type"], "FeatureCollection");
    let first = g["features"].as_array().unwrap().iter().find(|f| f["geometry"]["type"] == "LineString").unwrap();
    // Alpha is at lat 40, lon 50: [lon, lat] per RFC 7946.
    assert_eq!(first["geometry"]["coordinates"][0], json!([50.0, 40.0]));
}

#[tokio::test]
async fn compare_lists_corridors_and_winners() {
    let (_, app) = server(mini_config());
    let r = get(&app, "/v1/compare?from=AAONE&to=CCEND&geometry=geojson").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json["corridors"][0]["id"], "east");
    assert_eq!(r.json["winners"]["time"], "east");
    assert_eq!(r.json["best"]["totals"]["km"], 565.0);
    assert_eq!(r.json["geometry"]["features"][0]["properties"]["corridor"], "east");
    let p = post_json(&app, "/v1/compare", &json!({"from": "AAONE", "to": "CCEND", "geometry": "geojson"})).await;
    assert_eq!(p.json, r.json);
}

#[tokio::test]
async fn locations_autocomplete() {
    let (_, app) = server(mini_config());
    let r = get(&app, "/v1/locations?q=alp").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let ids: Vec<&str> = r.json["locations"].as_array().unwrap().iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["AAONE", "AA-BORDER"]);
    assert_eq!(r.json["total"], 2);
    // Other scripts, and a limit.
    let r = get(&app, "/v1/locations?q=%D0%90%D0%BB%D1%8C%D1%84%D0%B0").await; // "Альфа"
    assert_eq!(r.json["locations"][0]["id"], "AAONE");
    let r = get(&app, "/v1/locations?limit=2").await;
    assert_eq!((r.json["total"].as_u64(), r.json["locations"].as_array().unwrap().len()), (Some(5), 2));
    // No match is an empty list, not an error (autocomplete asks while the user types).
    let r = get(&app, "/v1/locations?q=zzzzzzzz").await;
    assert_eq!((r.status, r.json["total"].as_u64()), (StatusCode::OK, Some(0)));
}

#[tokio::test]
async fn network_geojson_filters() {
    let (_, app) = server(mini_config());
    let r = get(&app, "/v1/network").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json["type"], "FeatureCollection");
    let features = r.json["features"].as_array().unwrap();
    assert_eq!(features.len(), 4);
    let p = &features[0]["properties"];
    assert_eq!(
        (p["id"].as_str(), p["mode"].as_str(), p["platform"].as_str()),
        (Some("r-a-ab"), Some("rail"), Some("rail1435"))
    );
    assert_eq!((p["corridors"].clone(), p["km"].clone()), (json!(["east"]), json!(85.0)));
    assert_eq!(features[0]["geometry"]["coordinates"][0], json!([50.0, 40.0]));
    assert_eq!(r.json["corridors"][0], json!({"id": "east", "name": "East", "color": "#0072B2"}));
    let ferries = get(&app, "/v1/network?mode=ferry").await;
    assert_eq!(ferries.json["features"].as_array().unwrap().len(), 1);
    let east = get(&app, "/v1/network?corridor=east&mode=rail,ferry").await;
    assert_eq!(east.json["features"].as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn health_metrics_and_cors() {
    let (state, app) = server(mini_config());
    let h = get(&app, "/health").await;
    assert_eq!(h.status, StatusCode::OK);
    assert_eq!((h.json["status"].as_str(), h.json["dataset"]["name"].as_str()), (Some("ok"), Some("mini")));
    assert_eq!(h.json["dataset"]["locations"], 5);

    get(&app, "/v1/route?from=AAONE&to=CCEND").await;
    get(&app, "/v1/route?from=AAONE&to=Nowhere").await;
    assert_eq!(state.metrics.requests("/v1/route", 200), 1);
    // A label search on the same shipment reads the arcs the route measured: the request's
    // own router is new, the dataset's cache is not.
    assert_eq!(get(&app, "/v1/pareto?from=AAONE&to=CCEND").await.status, StatusCode::OK);
    let m = get(&app, "/metrics").await;
    assert_eq!(m.status, StatusCode::OK);
    assert!(m.headers["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    for needle in [
        "corridor_http_requests_total{endpoint=\"/v1/route\",status=\"200\"} 1",
        "corridor_http_requests_total{endpoint=\"/v1/route\",status=\"400\"} 1",
        "corridor_http_request_duration_seconds_bucket{endpoint=\"/v1/route\",le=\"+Inf\"} 2",
        "corridor_http_request_duration_seconds_count{endpoint=\"/v1/route\"} 2",
        // The dataset named, not located (no key is configured here): the fixture directory's
        // last component only.
        "corridor_dataset_info{name=\"mini\",version=\"1\",origin=\"mini\"} 1",
        "corridor_dataset_locations 5",
        "corridor_search_cache_lookups_total{kind=\"route\",result=\"miss\"} 1",
        "corridor_search_cache_lookups_total{kind=\"measure\",result=\"miss\"} 1",
        "corridor_search_cache_lookups_total{kind=\"measure\",result=\"hit\"} 1",
        "corridor_in_flight_requests 0",
    ] {
        assert!(m.text.contains(needle), "metrics lack {needle:?}:\n{}", m.text);
    }

    // CORS is off by default and answers preflights when on.
    let preflight = || {
        Request::builder()
            .method("OPTIONS")
            .uri("/v1/route")
            .header("origin", "https://planner.example")
            .header("access-control-request-method", "GET")
            .body(Body::empty())
            .unwrap()
    };
    let off = send(&app, preflight()).await;
    assert!(off.headers.get("access-control-allow-origin").is_none());
    let (_, cors_app) = server(ServerConfig { cors: true, ..mini_config() });
    let on = send(&cors_app, preflight()).await;
    assert_eq!(on.headers["access-control-allow-origin"], "*");
}

#[tokio::test]
async fn route_with_departure_reliability_and_resources() {
    let (_, app) = server(mini_config());
    let r = get(&app, "/v1/route?from=AAONE&to=CCEND&depart=2026-12-01T08:00&samples=500&seed=7").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // Local time at the origin (Asia/Almaty), arrival in the destination's zone.
    assert!(r.json["depart"].as_str().unwrap().starts_with("2026-12-01T08:00+"), "{}", r.json["depart"]);
    assert!(r.json["arrive"].as_str().unwrap().starts_with("2026-12-0"), "{}", r.json["arrive"]);
    assert!(r.json["legs"][0]["arrive_local"].is_string());
    let rel = &r.json["reliability"];
    assert_eq!(rel["samples"], 500);
    assert!(rel["p90_h"].as_f64() >= rel["p50_h"].as_f64());
    // Same seed, same answer.
    let again = get(&app, "/v1/route?from=AAONE&to=CCEND&depart=2026-12-01T08:00&samples=500&seed=7").await;
    assert_eq!(again.json, r.json);
    let p = post_json(
        &app,
        "/v1/route",
        &json!({"from": "AAONE", "to": "CCEND", "optimize": "p90", "max_transshipments": 1, "avoid_gauge_changes": false}),
    )
    .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.text);
    let none = get(&app, "/v1/route?from=AAONE&to=CCEND&max_transshipments=0").await;
    assert_eq!((none.status.as_u16(), none.code()), (422, "NoRoute"), "{}", none.text);
    assert_eq!(none.json["reason_kind"], "resources");
}

#[tokio::test]
async fn pareto_set_with_reliability() {
    let (_, app) = server(mini_config());
    let r = get(&app, "/v1/pareto?from=AAONE&to=CCEND&collapse=0&geometry=geojson").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let routes = r.json["routes"].as_array().unwrap();
    assert_eq!(routes.len(), 1, "the mini network has one way through");
    assert_eq!(routes[0]["totals"]["km"], 565.0);
    assert!(routes[0]["reliability"]["p95_h"].is_number());
    assert_eq!(r.json["geometry"]["features"][0]["properties"]["route"], 0);
    let p =
        post_json(&app, "/v1/pareto", &json!({"from": "AAONE", "to": "CCEND", "collapse": 0.0, "geometry": "geojson"}))
            .await;
    assert_eq!(p.json, r.json);
}

/// `/health` needs no key, so it names the dataset without the machine's paths (it showed
/// the dataset directory's full path).
#[tokio::test]
async fn health_shows_no_file_path() {
    let (_, app) = server(mini_config());
    let h = get(&app, "/health").await;
    assert_eq!(h.json["dataset"]["origin"], "mini", "{}", h.text);
    assert!(!h.text.contains(&*mini_dir().parent().unwrap().to_string_lossy()), "{}", h.text);
}
