//! Any place as origin or destination: a place outside the corridor network (a place-index name
//! or a coordinate) is joined to its nearest terminals by estimated truck legs, explained in
//! `notes`; options that take locations of the network refuse such places.

use serde_json::json;

use super::*;

/// The embedded default dataset (it has `[access]` figures).
fn embedded() -> axum::Router {
    server(ServerConfig::default()).1
}

#[track_caller]
fn check_outside_origin(r: &Resp, place: &str) {
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let leg = &r.json["legs"][0];
    assert_eq!((leg["kind"].as_str(), leg["estimated"].as_bool()), (Some("road"), Some(true)), "{leg}");
    let notes = r.json["notes"].as_array().expect("notes");
    assert_eq!(notes.len(), 1, "{notes:?}");
    let note = notes[0].as_str().unwrap();
    assert!(note.contains(place) && note.contains("estimated truck legs"), "{note}");
    // Only the access leg is estimated.
    let estimated = r.json["legs"].as_array().unwrap().iter().filter(|l| l["estimated"] == true).count();
    assert_eq!(estimated, 1, "{}", r.text);
}

#[tokio::test]
async fn a_place_outside_the_network_gets_an_estimated_leg_and_a_note() {
    let app = embedded();
    let r = get(&app, "/v1/route?from=Jiaozhou&to=Baku").await;
    check_outside_origin(&r, "Jiaozhou");
    assert_eq!((r.json["from"]["name"].as_str(), r.json["to"]["id"].as_str()), (Some("Jiaozhou"), Some("AZBAK")));
    let p = post_json(&app, "/v1/route", &json!({"from": "Jiaozhou", "to": "Baku"})).await;
    assert_eq!(p.json, r.json);

    // A coordinate: its country and time zone come from the nearest known place.
    let c = get(&app, "/v1/route?from=36.28,120.0&to=Baku&depart=2026-12-01T08:00").await;
    check_outside_origin(&c, "near");
    assert_eq!(c.json["from"]["tz"], "Asia/Shanghai");
    assert!(c.json["depart"].as_str().unwrap().ends_with("+08:00"), "{}", c.json["depart"]);

    // The destination side: an egress leg last.
    let e = get(&app, "/v1/route?from=Baku&to=Jiaozhou&optimize=time").await;
    assert_eq!(e.status, StatusCode::OK, "{}", e.text);
    let legs = e.json["legs"].as_array().unwrap();
    assert_eq!(legs.last().unwrap()["estimated"], true, "{}", e.text);
    assert!(e.json["notes"][0].as_str().unwrap().contains("from the nearest terminals"), "{}", e.json["notes"]);
}

#[tokio::test]
async fn compare_and_pareto_carry_the_notes() {
    let app = embedded();
    let c = get(&app, "/v1/compare?from=Jiaozhou&to=Duisburg").await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.text);
    assert!(c.json["notes"][0].as_str().unwrap().contains("Jiaozhou"), "{}", c.json["notes"]);
    assert_eq!(c.json["best"]["legs"][0]["estimated"], true, "{}", c.json["best"]);
    let p = get(&app, "/v1/pareto?from=Jiaozhou&to=Baku&samples=50").await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.text);
    for route in p.json["routes"].as_array().unwrap() {
        assert!(route["notes"][0].as_str().unwrap().contains("Jiaozhou"), "{route}");
        assert_eq!(route["legs"][0]["estimated"], true);
    }
    // Two locations of the network: no notes, nothing estimated.
    let r = get(&app, "/v1/route?from=CNXIA&to=DEDUI").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.json.get("notes").is_none(), "{}", r.json["notes"]);
    assert!(r.json["legs"].as_array().unwrap().iter().all(|l| l.get("estimated").is_none()));
}

#[tokio::test]
async fn unknown_unreachable_and_misplaced_places_are_refused() {
    let app = embedded();
    let r = get(&app, "/v1/route?from=Duisbrug&to=Baku").await;
    check_error(&r, 400, "UnknownLocation", "from: unknown place \"Duisbrug\"");
    let suggestions: Vec<&str> = r.json["suggestions"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert!(suggestions.iter().any(|s| s.starts_with("Duisburg")), "{suggestions:?}");

    // No terminal within reach by land.
    let r = get(&app, "/v1/route?from=Iloilo&to=Baku").await;
    check_error(&r, 422, "NoAccess", "from: Iloilo");
    assert_eq!((r.json["parameter"].as_str(), r.json["value"].as_str()), (Some("from"), Some("Iloilo")));
    // The nearest terminals, each usable as a place (their km are in the message).
    assert_eq!(r.json["suggestions"][0], "Cebu City (PHCEB, PH)", "{}", r.text);
    assert!(r.json["message"].as_str().unwrap().contains("Cebu City (PHCEB, PH) 151 km"), "{}", r.text);
    let r = post_json(&app, "/v1/compare", &json!({"from": "Baku", "to": "Iloilo"})).await;
    check_error(&r, 422, "NoAccess", "to: Iloilo");
    assert_eq!(r.json["parameter"], "to");

    // A coordinate at sea, far from any known place.
    let r = get(&app, "/v1/route?from=0,-30&to=Baku").await;
    check_error(&r, 400, "NoSegment", "from: 0,-30");
    let r = get(&app, "/v1/route?from=95,10&to=Baku").await;
    check_error(&r, 400, "InvalidValue", "latitude must be within");

    // The same outside place at both ends.
    let r = get(&app, "/v1/route?from=Jiaozhou&to=jiaozhou").await;
    check_error(&r, 400, "SameLocation", "same place");

    // Options that take locations of the network refuse places outside it.
    let r = get(&app, "/v1/route?from=CNXIA&to=DEDUI&avoid_location=Jiaozhou").await;
    check_error(&r, 400, "OutsideNetwork", "avoid_location[0]: Jiaozhou");
    assert!(r.json["message"].as_str().unwrap().contains("avoid_location takes only those"), "{}", r.text);
    assert_eq!((r.json["parameter"].as_str(), r.json["index"].as_u64()), (Some("avoid_location"), Some(0)));
    assert_eq!(r.json["suggestions"][0], "Qingdao (CNQIN, CN)", "{}", r.text);
    // The code in a suggestion is a valid value (as the web map uses it).
    let code = r.json["suggestions"][0].as_str().unwrap().split(['(', ',']).nth(1).unwrap().to_string();
    let ok = post_json(&app, "/v1/route", &json!({"from": "CNXIA", "to": "DEDUI", "avoid_location": [code]})).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    let r = get(&app, "/v1/table?sources=CNXIA,Jiaozhou&targets=DEDUI").await;
    check_error(&r, 400, "OutsideNetwork", "sources[1]: Jiaozhou");
    assert_eq!((r.json["parameter"].as_str(), r.json["index"].as_u64()), (Some("sources"), Some(1)));
}

#[tokio::test]
async fn a_dataset_without_access_figures_says_so() {
    let (_, app) = server(mini_config());
    let r = get(&app, "/v1/route?from=Iloilo&to=CCEND").await;
    check_error(&r, 422, "NoAccess", "no [access] figures");
}
