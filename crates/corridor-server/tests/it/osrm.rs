//! The OSRM-compatible `/route/v1` endpoint.

use corridor_io::polyline;
use corridor_server::osrm::encode_polyline;
use serde_json::json;

use super::*;

#[tokio::test]
async fn answers_like_osrm() {
    let (_, app) = server(mini_config());
    let r = get(&app, "/route/v1/driving/50,40;57,41").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json["code"], "Ok");
    let route = &r.json["routes"][0];
    assert_eq!(route["distance"], 565_000.0);
    assert_eq!(route["weight_name"], "time");
    assert!(route["duration"].as_f64().unwrap() > 0.0);
    assert_eq!(route["legs"].as_array().unwrap().len(), 1);
    assert_eq!(route["legs"][0]["summary"], "AA > BB > CC");
    let w = &r.json["waypoints"];
    assert_eq!((w[0]["id"].as_str(), w[0]["distance"].as_f64()), (Some("AAONE"), Some(0.0)));
    assert_eq!(w[1]["location"], json!([57.0, 41.0]));
    let pts = polyline::decode(route["geometry"].as_str().unwrap()).unwrap();
    assert_eq!((pts[0], *pts.last().unwrap()), ((40.0, 50.0), (41.0, 57.0)));
}

#[tokio::test]
async fn geometries_profiles_and_waypoints() {
    let (_, app) = server(mini_config());
    let g = get(&app, "/route/v1/cost/50,40;57,41?geometries=geojson&steps=false").await;
    assert_eq!(g.json["routes"][0]["weight_name"], "cost");
    assert_eq!(g.json["routes"][0]["geometry"]["type"], "LineString");
    assert_eq!(g.json["routes"][0]["geometry"]["coordinates"][0], json!([50.0, 40.0]));
    let p6 = get(&app, "/route/v1/driving/50,40;57,41.json?geometries=polyline6").await;
    assert_eq!(p6.status, StatusCode::OK, "{}", p6.text);
    assert!(p6.json["routes"][0]["geometry"].as_str().unwrap().starts_with(&encode_polyline(&[(40.0, 50.0)], 6)));
    let none = get(&app, "/route/v1/driving/50,40;57,41?overview=false").await;
    assert!(none.json["routes"][0].get("geometry").is_none());
    // Snapping reports the distance; three waypoints give two legs; polyline() input works.
    let s = get(&app, "/route/v1/driving/50.1,40;52,40;57,41").await;
    let snap_m = s.json["waypoints"][0]["distance"].as_f64().unwrap();
    assert!((8_000.0..9_000.0).contains(&snap_m), "{snap_m}");
    assert_eq!(s.json["routes"][0]["legs"].as_array().unwrap().len(), 2);
    assert_eq!(s.json["routes"][0]["distance"], 565_000.0);
    let encoded = polyline::encode(&[(40.0, 50.0), (41.0, 57.0)]);
    let escaped: String = encoded.bytes().map(|b| format!("%{b:02X}")).collect();
    let pl = get(&app, &format!("/route/v1/driving/polyline({escaped})")).await;
    assert_eq!(pl.json["routes"][0]["distance"], 565_000.0, "{}", pl.text);
}

#[tokio::test]
async fn osrm_errors_are_400_with_osrm_codes() {
    let (_, app) = server(mini_config());
    let r = get(&app, "/route/v1/driving/0,0;57,41").await;
    check_error(&r, 400, "NoSegment", "coordinate 0 (0,0)");
    assert_eq!(r.json["index"], 0);
    let r = get(&app, "/route/v1/driving/50,40").await;
    check_error(&r, 400, "InvalidQuery", "need at least 2 coordinates");
    let r = get(&app, "/route/v1/driving/50,40;57,91").await;
    check_error(&r, 400, "InvalidValue", "latitude must be between -90 and 90");
    assert_eq!(r.json["index"], 1);
    let r = get(&app, "/route/v1/driving/50,40;abc").await;
    check_error(&r, 400, "InvalidValue", "coordinates=abc: expected lon,lat");
    let r = get(&app, "/route/v1/driving/50,40;57,41?geometries=wkt").await;
    check_error(&r, 400, "InvalidValue", "geometries=wkt");
    // A path segment whose %-escape is not UTF-8 (found by fuzz/ `http`): axum's extractor
    // answered a plain-text 400; it is a JSON error like every other.
    let r = get(&app, "/route/v1/driv%BCing/50.0,40.0;50.3,40.1").await;
    check_error(&r, 400, "InvalidQuery", "Invalid UTF-8 in `profile`");
    let r = get(&app, "/route/v1/driving/50,40;57%FF,41").await;
    check_error(&r, 400, "InvalidQuery", "Invalid UTF-8 in `coordinates`");
}

#[test]
fn polyline5_matches_corridor_io() {
    let pts = [(38.5, -120.2), (40.7, -120.95), (43.252, -126.453)];
    assert_eq!(encode_polyline(&pts, 5), polyline::encode(&pts));
    assert_eq!(encode_polyline(&[(38.5, -120.2)], 6), "_izlhA~rlgdF");
}
