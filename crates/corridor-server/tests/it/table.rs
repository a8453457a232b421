//! `/v1/table` (many-to-many) and `/v1/assign` (demand assignment).

use corridor_server::Limits;
use serde_json::json;

use super::*;

#[tokio::test]
async fn table_matches_single_routes_and_get_equals_post() {
    let (_, app) = server(mini_config());
    let r = get(&app, "/v1/table?sources=AAONE,BBTWO&targets=CCEND&targets=Alpha&optimize=time").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let ids = |k: &str| -> Vec<String> {
        r.json[k].as_array().unwrap().iter().map(|l| l["id"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(ids("sources"), ["AAONE", "BBTWO"]);
    assert_eq!(ids("targets"), ["CCEND", "AAONE"]);
    // Alpha to itself has no route.
    assert_eq!(r.json["hours"][0][1], Value::Null);
    for (i, from) in ["AAONE", "BBTWO"].iter().enumerate() {
        for (j, to) in ["CCEND", "AAONE"].iter().enumerate() {
            if from == to {
                continue;
            }
            let single = get(&app, &format!("/v1/route?from={from}&to={to}&optimize=time")).await;
            assert_eq!(single.status, StatusCode::OK, "{}", single.text);
            for key in ["hours", "days", "usd", "co2e_wtw_kg", "km"] {
                assert_eq!(r.json[key][i][j], single.json["totals"][key], "{key} {from}->{to}");
            }
        }
    }
    assert_eq!(r.json["km"][0][0], 565.0);
    let p = post_json(
        &app,
        "/v1/table",
        &json!({"sources": ["AAONE", "BBTWO"], "targets": ["CCEND", "Alpha"], "optimize": "time"}),
    )
    .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.text);
    assert_eq!(p.json, r.json);
    // Targets default to the sources; constraints apply to every cell.
    let sq = post_json(&app, "/v1/table", &json!({"sources": ["AAONE", "CCEND"], "avoid_country": ["BB"]})).await;
    assert_eq!(sq.status, StatusCode::OK, "{}", sq.text);
    assert_eq!(sq.json["targets"].as_array().unwrap().len(), 2);
    assert_eq!(sq.json["usd"], json!([[null, null], [null, null]]));
}

#[tokio::test]
async fn table_limits_and_unknown_locations() {
    let limits = Limits { max_matrix_cells: 4, max_locations: 3, ..Limits::default() };
    let (_, app) = server(ServerConfig { limits, ..mini_config() });
    let r = get(&app, "/v1/table?sources=AAONE,BBTWO,BBSEA&targets=CCEND,AAONE").await;
    check_error(&r, 400, "TooBig", "3 sources x 2 targets = 6 cells; the limit is 4");
    let r =
        post_json(&app, "/v1/table", &json!({"sources": ["AAONE", "BBTWO", "BBSEA", "CCEND"], "targets": ["AAONE"]}))
            .await;
    check_error(&r, 400, "TooBig", "sources names 4 locations; the limit is 3");
    assert_eq!(r.json["parameter"], "sources");
    let r = get(&app, "/v1/table?sources=AAONE&targets=CCEND,Gamaa").await;
    check_error(&r, 400, "UnknownLocation", "targets[1]");
    assert_eq!((r.json["parameter"].as_str(), r.json["index"].as_u64()), (Some("targets"), Some(1)));
    let r = get(&app, "/v1/table?targets=CCEND").await;
    check_error(&r, 400, "InvalidQuery", "sources");
    let r = get(&app, "/v1/table?sources=AAONE&optimize=p90").await;
    check_error(&r, 400, "InvalidValue", "optimize=p90");
    let r = get(&app, "/v1/table?sources=AAONE&depart=2026-12-01T08:00").await;
    check_error(&r, 400, "InvalidQuery", "unknown parameter \"depart\"");
}

#[tokio::test]
async fn assign_returns_bottlenecks_on_the_default_dataset() {
    let (_, app) = server(ServerConfig::default());
    let r = get(&app, "/v1/assign?top=5").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json["method"], "equilibrium");
    let rows = r.json["bottlenecks"].as_array().unwrap();
    assert_eq!(rows.len(), 5);
    assert!(rows[0]["utilisation"].as_f64().unwrap() >= rows[4]["utilisation"].as_f64().unwrap());
    assert!(rows[0]["capacity_teu_week"].as_f64().unwrap() > 0.0);
    assert!(!r.json["corridors"].as_array().unwrap().is_empty());
    assert!(r.json["totals"]["demand_teu"].as_f64().unwrap() > 0.0);
    assert_eq!(r.json["geometry"]["type"], "FeatureCollection");
    // The corridor choice: the calibration rows come out within 10%, the held-out ones are there.
    let rows = r.json["choice"]["rows"].as_array().unwrap();
    for row in rows.iter().filter(|x| x["role"] == "calibrate") {
        let (m, o) = (row["modelled_teu"].as_f64().unwrap(), row["observed_teu"].as_f64().unwrap());
        assert!((m / o - 1.0).abs() <= 0.10, "{row}");
    }
    assert!(rows.iter().any(|x| x["role"] == "validate" && x["direction"] == "eastbound"), "{rows:?}");
    assert!(r.json["choice"]["theta_per_usd"].as_f64().unwrap() > 0.0);
    let r = get(&app, "/v1/assign?growth=nope").await;
    check_error(&r, 400, "InvalidValue", "uniform-1.5");
}

#[tokio::test]
async fn assign_on_a_custom_dataset_is_unavailable() {
    let (_, app) = server(mini_config());
    let r = get(&app, "/v1/assign").await;
    check_error(&r, 422, "AssignmentUnavailable", "does not fit the served dataset");
    assert!(!r.json["diagnostics"].as_array().unwrap().is_empty());
}
