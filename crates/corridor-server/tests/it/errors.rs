//! Every input error code, with the parameter, value and index it names.

use serde_json::json;

use super::*;

#[tokio::test]
async fn invalid_query() {
    let (_, app) = server(mini_config());
    let r = get(&app, "/v1/route?to=CCEND").await;
    check_error(&r, 400, "InvalidQuery", "missing parameter \"from\"");
    assert_eq!(r.json["parameter"], "from");
    let r = get(&app, "/v1/route?from=AAONE&to=CCEND&optimise=time").await;
    check_error(&r, 400, "InvalidQuery", "unknown parameter \"optimise\"");
    let r = get(&app, "/v1/route?from=AAONE&from=BBTWO&to=CCEND").await;
    check_error(&r, 400, "InvalidQuery", "given more than once");
    let r = get(&app, "/v1/compare?from=AAONE&to=CCEND&corridor=east").await;
    check_error(&r, 400, "InvalidQuery", "parameter \"corridor\" is not accepted by /v1/compare");
    let r = post_json(&app, "/v1/route", &json!({"from": "AAONE", "to": "CCEND", "optimise": "time"})).await;
    check_error(&r, 400, "InvalidQuery", "unknown field `optimise`");
    let r = post_json(&app, "/v1/route", &json!({"to": "CCEND"})).await;
    check_error(&r, 400, "InvalidQuery", "missing field `from`");
    let req =
        Request::post("/v1/route").header("content-type", "application/json").body(Body::from("{\"from\":")).unwrap();
    check_error(&send(&app, req).await, 400, "InvalidQuery", "invalid JSON body");
    let req = Request::post("/v1/route").body(Body::from("from=AAONE")).unwrap();
    check_error(&send(&app, req).await, 400, "InvalidQuery", "Content-Type: application/json");
    let r = get(&app, "/v1/locations?query=alp").await;
    check_error(&r, 400, "InvalidQuery", "unknown parameter \"query\"");
    let r = get(&app, "/v1/route?from=AAONE&to=CCEND&latest_arrival=2026-12-20T00:00").await;
    check_error(&r, 400, "InvalidQuery", "latest_arrival: needs a departure time (depart)");
    let r = get(&app, "/v1/compare?from=AAONE&to=CCEND&samples=10").await;
    check_error(&r, 400, "InvalidQuery", "parameter \"samples\" is not accepted by /v1/compare");
    let r = get(&app, "/v1/route?from=AAONE&to=CCEND&collapse=0.1").await;
    check_error(&r, 400, "InvalidQuery", "parameter \"collapse\" is not accepted by /v1/route");
}

#[tokio::test]
async fn invalid_value_names_parameter_value_and_index() {
    let (_, app) = server(mini_config());
    let cases: [(&str, &str, &str); 15] = [
        ("depart=tomorrow", "depart", "depart \"tomorrow\": not an ISO 8601 time"),
        ("samples=0", "samples", "samples=0: must be between 1 and 10000"),
        ("samples=-3", "samples", "samples -3: not a non-negative integer"),
        ("avoid_gauge_changes=maybe", "avoid_gauge_changes", "avoid_gauge_changes maybe: expected true or false"),
        ("max_transshipments=many", "max_transshipments", "max_transshipments many"),
        ("optimize=fast", "optimize", "optimize fast: unknown objective"),
        ("unit=box", "unit", "unit box: unknown cargo unit \"box\" (expected teu or feu)"),
        ("payload_t=99", "payload_t", "payload_t 99: must be between 0 and 30.5"),
        ("payload_t=heavy", "payload_t", "payload_t heavy: not a number"),
        ("value_of_time=-1", "value_of_time", "value_of_time -1: must be a non-negative number"),
        ("avoid_country=ZZ", "avoid_country", "avoid_country[0] ZZ: no location of the network is in that country"),
        ("avoid_mode=rail,plane", "avoid_mode", "avoid_mode[1] plane: unknown mode"),
        ("avoid_border=b-xx", "avoid_border", "avoid_border[0] b-xx: unknown border crossing (known: b-ab)"),
        ("corridor=west", "corridor", "corridor west: unknown corridor (known: east)"),
        ("geometry=kml", "geometry", "geometry=kml: expected geojson or none"),
    ];
    for (query, param, message) in cases {
        let r = get(&app, &format!("/v1/route?from=AAONE&to=CCEND&{query}")).await;
        check_error(&r, 400, "InvalidValue", message);
        assert_eq!(r.json["parameter"], param, "{query}");
    }
    let r = get(&app, "/v1/route?from=AAONE&to=CCEND&avoid_mode=rail,plane").await;
    assert_eq!((r.json["value"].as_str(), r.json["index"].as_u64()), (Some("plane"), Some(1)));
    let r = post_json(&app, "/v1/route", &json!({"from": "AAONE", "to": "CCEND", "payload_t": "heavy"})).await;
    check_error(&r, 400, "InvalidValue", "payload_t");
    assert_eq!(r.json["parameter"], "payload_t");
    let r = get(&app, "/v1/locations?q=a&limit=0").await;
    check_error(&r, 400, "InvalidValue", "limit=0: must be between 1 and 100");
    let r = get(&app, "/v1/pareto?from=AAONE&to=CCEND&collapse=2").await;
    check_error(&r, 400, "InvalidValue", "collapse=2: must be between 0 and 1");
    let r = get(&app, "/v1/network?mode=rail,hovercraft").await;
    check_error(&r, 400, "InvalidValue", "mode=hovercraft");
    assert_eq!(r.json["index"], 1);
}

/// The route options are validated by `corridor_routing::Query`: its errors keep the codes and
/// name the parameter, the value and the list index, the same from a query string, a JSON body
/// and `/v1/table`.
#[tokio::test]
async fn query_errors_name_parameter_value_and_index() {
    let (_, app) = server(mini_config());
    // A list entry: the message and `index` name the entry.
    let r = get(&app, "/v1/route?from=AAONE&to=CCEND&avoid_country=BB,Russia").await;
    check_error(&r, 400, "InvalidValue", "avoid_country[1] Russia: expected an ISO 3166-1 alpha-2 code");
    assert_eq!(
        (r.json["parameter"].as_str(), r.json["value"].as_str(), r.json["index"].as_u64()),
        (Some("avoid_country"), Some("Russia"), Some(1))
    );
    let p =
        post_json(&app, "/v1/route", &json!({"from": "AAONE", "to": "CCEND", "avoid_country": ["BB", "Russia"]})).await;
    assert_eq!(p.json, r.json, "GET and POST fail alike");
    let t = get(&app, "/v1/table?sources=AAONE,CCEND&avoid_country=BB,Russia").await;
    assert_eq!(t.json, r.json, "a table's options are a route's");
    let r = get(&app, "/v1/pareto?from=AAONE&to=CCEND&avoid_country=BB,ZZ").await;
    check_error(&r, 400, "InvalidValue", "avoid_country[1] ZZ: no location of the network is in that country");
    assert!(r.json["message"].as_str().unwrap().contains("(known: AA,BB,CC)"), "{}", r.text);
    assert_eq!(r.json["index"], 1);
    // An empty entry (possible in a JSON body) is a bad value too.
    let r = post_json(&app, "/v1/route", &json!({"from": "AAONE", "to": "CCEND", "avoid_mode": ["rail", ""]})).await;
    check_error(&r, 400, "InvalidValue", "avoid_mode[1]: unknown mode");
    assert_eq!((r.json["value"].as_str(), r.json["index"].as_u64()), (Some(""), Some(1)));

    // An unknown corridor: the known ones are named.
    let r = get(&app, "/v1/pareto?from=AAONE&to=CCEND&corridor=west").await;
    check_error(&r, 400, "InvalidValue", "corridor west: unknown corridor (known: east)");
    assert_eq!((r.json["parameter"].as_str(), r.json["value"].as_str()), (Some("corridor"), Some("west")));
    assert!(r.json.get("index").is_none(), "{}", r.text);
    let p = post_json(&app, "/v1/route", &json!({"from": "AAONE", "to": "CCEND", "corridor": "west"})).await;
    assert_eq!(p.json, r.json);
    let t = post_json(&app, "/v1/table", &json!({"sources": ["AAONE", "CCEND"], "corridor": "west"})).await;
    assert_eq!(t.json, r.json);

    // latest_arrival without depart: refused whatever its value, naming latest_arrival.
    let r = get(&app, "/v1/route?from=AAONE&to=CCEND&latest_arrival=2026-12-20T00:00").await;
    check_error(&r, 400, "InvalidQuery", "latest_arrival: needs a departure time (depart)");
    assert_eq!(r.json["parameter"], "latest_arrival");
    assert!(r.json.get("value").is_none(), "{}", r.text);
    let p =
        post_json(&app, "/v1/compare", &json!({"from": "AAONE", "to": "CCEND", "latest_arrival": "2026-12-20"})).await;
    check_error(&p, 400, "InvalidQuery", "latest_arrival: needs a departure time (depart)");
    let ok = get(&app, "/v1/route?from=AAONE&to=CCEND&depart=2026-12-01T08:00&latest_arrival=2027-06-01T00:00").await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);

    // A time's value is reported as given (the message quotes it).
    let r = get(&app, "/v1/route?from=AAONE&to=CCEND&depart=2026-12-01T08:00&latest_arrival=soon").await;
    check_error(&r, 400, "InvalidValue", "latest_arrival \"soon\": not an ISO 8601 time");
    assert_eq!((r.json["parameter"].as_str(), r.json["value"].as_str()), (Some("latest_arrival"), Some("soon")));
}

#[tokio::test]
async fn unknown_and_ambiguous_locations_get_suggestions() {
    let (_, app) = server(mini_config());
    // The network's own close names come first, then the place index's close spellings.
    let r = get(&app, "/v1/route?from=Alphq&to=CCEND").await;
    check_error(&r, 400, "UnknownLocation", "from: unknown place \"Alphq\"");
    assert_eq!((r.json["parameter"].as_str(), r.json["value"].as_str()), (Some("from"), Some("Alphq")));
    assert_eq!(r.json["suggestions"][0], "Alpha (AAONE, AA)");
    let r = get(&app, "/v1/route?from=AAONE&to=CCEND&avoid_location=BBSEA,Betq").await;
    check_error(&r, 400, "UnknownLocation", "avoid_location[1]");
    assert_eq!((r.json["index"].as_u64(), r.json["suggestions"][0].as_str()), (Some(1), Some("Beta (BBTWO, BB)")));

    let t = TempDataset::new(&[("locations.csv", &|s: &str| s.replace("BBSEA,Beta Sea,,", "BBSEA,Beta Sea,Beta,"))]);
    let (_, app) = server(ServerConfig { data_dir: Some(t.0.clone()), ..ServerConfig::default() });
    let r = get(&app, "/v1/route?from=AAONE&to=Beta").await;
    check_error(&r, 400, "AmbiguousLocation", "could be");
    assert_eq!(r.json["suggestions"], json!(["Beta (BBTWO)", "Beta Sea (BBSEA)"]));
}

#[tokio::test]
async fn route_errors_carry_the_reason() {
    let (_, app) = server(mini_config());
    let r = get(&app, "/v1/route?from=Alpha&to=Alfa").await;
    check_error(&r, 400, "SameLocation", "same location (AAONE)");
    let r = get(&app, "/v1/compare?from=Alpha&to=AAONE").await;
    check_error(&r, 400, "SameLocation", "same location");
    let r = get(&app, "/v1/route?from=AAONE&to=CCEND&avoid_location=CCEND").await;
    check_error(&r, 400, "EndpointExcluded", "destination CCEND is excluded");
    let r = get(&app, "/v1/route?from=AAONE&to=CCEND&avoid_country=BB").await;
    check_error(&r, 422, "NoRoute", "no route from AAONE to CCEND");
    assert_eq!(r.json["reason_kind"], "constraints");
    assert!(r.json["reason"].as_str().unwrap().contains("BB"), "{}", r.text);
    let r = get(&app, "/v1/route?from=AAONE&to=CCEND&avoid_mode=ferry").await;
    check_error(&r, 422, "NoRoute", "ferry");
}

#[tokio::test]
async fn a_route_passes_through_its_via_places_in_order() {
    let (_, app) = server(mini_config());
    // Alpha to Gamma through Beta Sea, then Beta: out to the sea port, back, and out again
    // (one rail leg of three runs on r-b-bs, passing Beta Sea and Beta).
    let r = get(&app, "/v1/route?from=AAONE&to=CCEND&via=BBSEA,Beta").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let legs = r.json["legs"].as_array().unwrap();
    let rail = legs.iter().find(|l| l["platform"] == "rail1520").unwrap();
    assert_eq!(rail["links"], json!(["r-b-bs", "r-b-bs", "r-b-bs"]), "{}", r.text);
    assert_eq!(rail["via"], json!(["BBSEA", "BBTWO"]), "{}", r.text);
    let plain = get(&app, "/v1/route?from=AAONE&to=CCEND").await;
    let km = |r: &Resp| r.json["totals"]["km"].as_f64().unwrap();
    assert_eq!((km(&r), km(&plain)), (905.0, 565.0), "twice 170 km more");
    // The same as a JSON body.
    let p = post_json(&app, "/v1/route", &json!({"from": "AAONE", "to": "CCEND", "via": ["BBSEA", "Beta"]})).await;
    assert_eq!(p.json["totals"], r.json["totals"]);
    // A comparison through the same places: its best route is the route's, and so is the
    // corridor's where the corridor's lines keep it.
    let c = get(&app, "/v1/compare?from=AAONE&to=CCEND&via=BBSEA,Beta").await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.text);
    assert_eq!(c.json["best"]["totals"]["km"], r.json["totals"]["km"], "{}", c.text);
    let plain = get(&app, "/v1/compare?from=AAONE&to=CCEND").await;
    assert_eq!(plain.json["best"]["totals"]["km"], 565.0, "{}", plain.text);
    let cp = post_json(&app, "/v1/compare", &json!({"from": "AAONE", "to": "CCEND", "via": ["BBSEA", "Beta"]})).await;
    assert_eq!(cp.json["best"]["totals"], c.json["best"]["totals"]);
    // The Pareto set has no search through places.
    let e = get(&app, "/v1/pareto?from=AAONE&to=CCEND&via=BBSEA").await;
    check_error(&e, 400, "InvalidQuery", "parameter \"via\" is not accepted by /v1/pareto");
}

#[tokio::test]
async fn not_found_and_method_not_allowed() {
    let (_, app) = server(mini_config());
    let r = get(&app, "/v2/route").await;
    check_error(&r, 404, "NotFound", "no endpoint at /v2/route");
    let r = send(&app, Request::delete("/v1/route").body(Body::empty()).unwrap()).await;
    check_error(&r, 405, "MethodNotAllowed", "DELETE is not supported on /v1/route");
}

#[tokio::test]
async fn unauthorized_without_the_key() {
    let (_, app) = server(ServerConfig { api_key: Some("s3cret".into()), ..mini_config() });
    let uri = "/v1/route?from=AAONE&to=CCEND";
    let r = get(&app, uri).await;
    check_error(&r, 401, "Unauthorized", "requires an API key");
    assert_eq!(r.headers["www-authenticate"], "Bearer");
    let with = |name: &str, value: &str| Request::get(uri).header(name, value).body(Body::empty()).unwrap();
    check_error(&send(&app, with("x-api-key", "wrong")).await, 401, "Unauthorized", "not valid");
    assert_eq!(send(&app, with("x-api-key", "s3cret")).await.status, StatusCode::OK);
    assert_eq!(send(&app, with("authorization", "Bearer s3cret")).await.status, StatusCode::OK);
    check_error(&send(&app, with("authorization", "Basic s3cret")).await, 401, "Unauthorized", "");
    // Liveness and the API description stay open; metrics and admin do not.
    assert_eq!(get(&app, "/health").await.status, StatusCode::OK);
    assert_eq!(get(&app, "/openapi.json").await.status, StatusCode::OK);
    assert_eq!(get(&app, "/metrics").await.status, StatusCode::UNAUTHORIZED);
    let r = send(&app, Request::post("/admin/reload").body(Body::empty()).unwrap()).await;
    check_error(&r, 401, "Unauthorized", "");
    let r = get(&app, "/route/v1/driving/50,40;57,41").await;
    check_error(&r, 401, "Unauthorized", "");
}

#[tokio::test]
async fn internal_is_500_without_details() {
    // No input reaches it (that would be a bug); check the mapping the panic catcher uses.
    use axum::response::IntoResponse;
    let resp = corridor_server::ApiError::internal("index out of bounds at src/x.rs:1").into_response();
    assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body = axum::body::to_bytes(resp.into_body(), usize::MAX).await.unwrap();
    let json: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(json["code"], "Internal");
    assert!(!json["message"].as_str().unwrap().contains("src/x.rs"), "internal details leak: {json}");
}

/// The bad value of each route parameter and the words the routing API has for it: the CLI's
/// test (`corridor-cli/tests/it/cli.rs`, `bad_values_fail_in_the_servers_words`) holds the same
/// table, so the two front ends parse query text with one code and fail the same way.
pub const BAD_VALUES: [(&str, &str, &str); 13] = [
    ("optimize", "fast", "unknown objective \"fast\" (expected time, cost, co2, balanced or p90)"),
    ("unit", "box", "unknown cargo unit \"box\" (expected teu or feu)"),
    ("payload_t", "heavy", "not a number"),
    ("payload_t", "99", "must be between 0 and 30.5 tonnes"),
    ("value_of_time", "lots", "not a number"),
    ("value_of_time", "-1", "must be a non-negative number"),
    ("carbon_price", "cheap", "not a number"),
    ("max_transshipments", "many", "not a non-negative integer in range"),
    ("samples", "many", "not a non-negative integer in range"),
    ("seed", "x", "not a non-negative integer in range"),
    ("avoid_mode", "rail,plane", "unknown mode \"plane\" (expected rail, road, sea or ferry)"),
    ("avoid_country", "R1", "expected an ISO 3166-1 alpha-2 code such as RU"),
    ("depart", "tomorrow", "not an ISO 8601 time such as 2026-12-01T08:00+05:00"),
];

#[tokio::test]
async fn bad_values_fail_in_the_routing_apis_words() {
    let (_, app) = server(mini_config());
    for (param, value, core) in BAD_VALUES {
        let r = get(&app, &format!("/v1/route?from=AAONE&to=CCEND&{param}={value}")).await;
        check_error(&r, 400, "InvalidValue", core);
        assert_eq!(r.json["parameter"], param, "{param}={value}");
    }
}
