//! The server on the embedded default dataset, as `corridor serve` starts with no arguments.

use super::*;
use serde_json::Value;

#[tokio::test]
async fn serves_the_embedded_dataset() {
    let (_, app) = server(ServerConfig::default());
    let h = get(&app, "/health").await;
    assert_eq!(h.json["dataset"]["origin"], "<embedded eurasia>");
    let r = get(&app, "/v1/route?from=Xi%27an&to=Duisburg&optimize=time").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!((r.json["from"]["id"].as_str(), r.json["to"]["id"].as_str()), (Some("CNXIA"), Some("DEDUI")));
    let c = get(&app, "/v1/compare?from=CNXIA&to=DEDUI").await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.text);
    assert!(c.json["corridors"].as_array().unwrap().len() >= 3);
    // The README's table and assign examples.
    let t = get(&app, "/v1/table?sources=Xian,Chongqing&targets=Duisburg,Malaszewicze&optimize=time").await;
    assert_eq!(t.status, StatusCode::OK, "{}", t.text);
    assert!(t.json["hours"][0][0].as_f64().unwrap() > 0.0, "{}", t.text);
    let a = get(&app, "/v1/assign?growth=titr-2029-target&top=10").await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert_eq!(
        (a.json["growth"].as_str(), a.json["bottlenecks"].as_array().unwrap().len()),
        (Some("titr-2029-target"), 10)
    );
    let l = get(&app, "/v1/locations?q=%E8%A5%BF%E5%AE%89").await; // 西安
    assert_eq!(l.json["locations"][0]["id"], "CNXIA");
    // A place the index has by exactly that name, off the network: no look-alike location
    // (Irkutsk for "Yakutsk"); a misspelling of a network location still finds it.
    let l = get(&app, "/v1/locations?q=Yakutsk").await;
    assert_eq!(l.json["total"], 0, "{}", l.text);
    // ... but the place itself, off the network, with the terminals its legs go to.
    assert_eq!(l.json["places"][0]["id"], "RUYKS", "{}", l.text);
    let terminals: Vec<&str> = l.json["places"][0]["nearest_terminals"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    // The nearest is the railhead across the Lena (since session 36), then Neryungri.
    assert_eq!(terminals[..2], ["Nizhny Bestyakh", "Neryungri"], "{}", l.text);
    // A network location's own name lists no place beside it.
    assert!(get(&app, "/v1/locations?q=Irkutsk").await.json.get("places").is_none());
    let l = get(&app, "/v1/locations?q=Irkutzk").await;
    assert_eq!(l.json["locations"][0]["id"], "RUIKT", "{}", l.text);
    // ... and says it is only a look-alike, as for "Mehran" (Iran's border town with Iraq, in
    // no index), which lists Tehran; an exact name does not.
    assert_eq!(l.json["look_alikes_only"], true, "{}", l.text);
    let l = get(&app, "/v1/locations?q=Mehran").await;
    assert_eq!(
        (l.json["locations"][0]["id"].as_str(), l.json["look_alikes_only"].as_bool()),
        (Some("IRTHR"), Some(true))
    );
    assert!(get(&app, "/v1/locations?q=Tehran").await.json.get("look_alikes_only").is_none());
    // A network location by a name the place index gives it (Termez for Tirmiz).
    let l = get(&app, "/v1/locations?q=Termez").await;
    assert_eq!(l.json["locations"][0]["id"], "UZTER", "{}", l.text);
}

/// What the web map's report and pick lists read: every move leg names its emission factors and
/// each is in `/v1/network`'s table; every border of the table is accepted by `avoid_border`
/// and avoiding it keeps the route off it; the time band's P10 is below the P50.
#[tokio::test]
async fn legs_name_their_factors_and_the_network_lists_them() {
    let (_, app) = server(ServerConfig::default());
    let net = get(&app, "/v1/network").await.json;
    let factors: Vec<&str> =
        net["emission_factors"].as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap()).collect();
    assert!(factors.len() >= 10, "{factors:?}");
    let r = get(&app, "/v1/route?from=Xi%27an&to=Duisburg&optimize=time").await.json;
    for leg in r["legs"].as_array().unwrap() {
        let used: Vec<&str> = leg["emission_factors"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
        let is_move = matches!(leg["kind"].as_str(), Some("rail" | "road" | "sea" | "ferry"));
        assert_eq!(!used.is_empty(), is_move, "{leg}");
        assert!(used.iter().all(|u| factors.contains(u)), "{used:?} not in {factors:?}");
    }
    let rel = &r["reliability"];
    assert!(rel["p10_h"].as_f64().unwrap() <= rel["p50_h"].as_f64().unwrap(), "{rel}");
    let countries = net["countries"].as_array().unwrap();
    assert!(countries.iter().any(|c| c == "KZ") && countries.windows(2).all(|w| w[0].as_str() < w[1].as_str()));
    // The route's first border, avoided by its id from the network's list.
    let borders = net["borders"].as_array().unwrap();
    let first = r["legs"].as_array().unwrap().iter().find(|l| l["kind"] == "border").expect("a border leg");
    let b = borders
        .iter()
        .find(|b| b["id"] == first["border"] && b["to"] == first["to"])
        .unwrap_or_else(|| panic!("{first} not in the border list"));
    assert!(first["description"].as_str().unwrap().contains(b["name"].as_str().unwrap()), "{first} {b}");
    assert!(b["hours_p90"].as_f64().unwrap() >= b["hours_mean"].as_f64().unwrap(), "{b}");
    let id = b["id"].as_str().unwrap();
    let avoided = get(&app, &format!("/v1/route?from=Xi%27an&to=Duisburg&optimize=time&avoid_border={id}")).await;
    assert_eq!(avoided.status, StatusCode::OK, "{}", avoided.text);
    let crosses = avoided.json["legs"].as_array().unwrap().iter().any(|l| l["border"] == id);
    assert!(!crosses, "avoid_border={id} still crosses it");
    // The regular trains' figures are listed where a crossing has them (China into Kazakhstan),
    // and match what a regular train's route reports for that leg.
    let regular: Vec<&Value> = borders.iter().filter(|b| !b["regular"].is_null()).collect();
    let pairs: Vec<(&str, &str)> =
        regular.iter().map(|b| (b["from_country"].as_str().unwrap(), b["to_country"].as_str().unwrap())).collect();
    assert!(!regular.is_empty() && pairs.iter().all(|&p| p == ("CN", "KZ")), "{pairs:?}");
    let r = get(&app, "/v1/route?from=Chengdu&to=Tashkent&avoid_mode=road,sea").await.json;
    assert_eq!(r["traffic"], "regular");
    let leg = r["legs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["kind"] == "border" && l["to"].as_str().unwrap().starts_with("KZ"))
        .unwrap();
    let b = regular.iter().find(|b| b["id"] == leg["border"]).unwrap_or_else(|| panic!("{leg}"));
    assert!(b["regular"]["hours_mean"].as_f64().unwrap() > 2.0 * b["hours_mean"].as_f64().unwrap(), "{b}");
    assert!(leg["hours"].as_f64().unwrap() >= b["regular"]["hours_mean"].as_f64().unwrap(), "{leg} {b}");
}

/// An unknown name of several words suggests the words that are places ("Almaty Oblast").
#[tokio::test]
async fn multi_word_unknown_names_suggest_their_place_words() {
    let (_, app) = server(ServerConfig::default());
    for (q, want) in [("Almaty%20Oblast", "Almaty (KZALA, KZ)"), ("Tashkent,%20Uzbekistan", "Tashkent (UZTAS, UZ)")] {
        let r = get(&app, &format!("/v1/route?from={q}&to=Baku")).await;
        check_error(&r, 400, "UnknownLocation", "did you mean");
        let s: Vec<&str> = r.json["suggestions"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
        assert!(s.contains(&want), "{q}: {s:?}");
    }
}

/// A sea-only port (Yangon: Myanmar's roads are not in the network) gets the truck legs in a
/// table and an OSRM route that its route gets: the table's cell is the route's, not a voyage.
#[tokio::test]
async fn a_table_cell_of_a_sea_only_port_is_its_route() {
    let (_, app) = server(ServerConfig::default());
    let route = get(&app, "/v1/route?from=MMRGN&to=CNKMG&optimize=time").await;
    assert_eq!(route.status, StatusCode::OK, "{}", route.text);
    assert!(route.json["legs"][0]["estimated"] == true, "a truck first: {}", route.text);
    let back = get(&app, "/v1/route?from=CNKMG&to=MMRGN&optimize=time").await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.text);
    let t = get(&app, "/v1/table?sources=MMRGN,CNKMG&targets=CNKMG,MMRGN&optimize=time").await;
    assert_eq!(t.status, StatusCode::OK, "{}", t.text);
    assert_eq!(t.json["hours"][0][0], route.json["totals"]["hours"], "{}", t.text);
    assert_eq!(t.json["hours"][1][1], back.json["totals"]["hours"], "{}", t.text);
    assert!(t.json["hours"][0][1].is_null() && t.json["hours"][1][0].is_null(), "{}", t.text);
    // The OSRM-compatible route (time is its default weight) takes the same truck.
    let o = get(&app, "/route/v1/freight/96.15611,16.80528;102.71833,25.03889").await;
    assert_eq!(o.json["code"], "Ok", "{}", o.text);
    let hours = route.json["totals"]["hours"].as_f64().unwrap();
    let duration = o.json["routes"][0]["duration"].as_f64().unwrap();
    assert!((duration / 3600.0 - hours).abs() < 0.01, "{duration} s against {hours} h: {}", o.text);
}

/// Trade bans (`corridor_model::regions::TRADE_BANS`) on every way in: a route between the two
/// sides is refused naming `to`, a table cell is empty, and the OSRM route is `NoRoute`.
#[tokio::test]
async fn trade_bans_hold_on_route_table_and_osrm() {
    let (_, app) = server(ServerConfig::default());
    let r = get(&app, "/v1/route?from=PKKHI&to=INNSA").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.text.contains("trade between them is banned") && r.text.contains("\"to\""), "{}", r.text);
    // From Nhava Sheva to Kabul the route makes no stop in Pakistan, and its notes say so.
    let r = get(&app, "/v1/route?from=INNSA&to=AFKBL").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(!r.json["countries"].as_array().unwrap().iter().any(|c| c == "PK"), "{}", r.text);
    assert!(
        r.json["notes"][0].as_str().is_some_and(|n| n.starts_with("Trade ban between IN and PK, transit included")),
        "{}",
        r.text
    );
    let t = get(&app, "/v1/table?sources=PKKHI,CNSGH&targets=INNSA,LKCMB").await;
    assert_eq!(t.status, StatusCode::OK, "{}", t.text);
    assert!(t.json["hours"][0][0].is_null(), "Karachi to Nhava Sheva: {}", t.text);
    for (i, j) in [(0, 1), (1, 0), (1, 1)] {
        assert!(t.json["hours"][i][j].as_f64().is_some_and(|h| h > 0.0), "cell {i},{j}: {}", t.text);
    }
    // Karachi 24.86 N 67.01 E, Nhava Sheva 18.95 N 72.95 E.
    let o = get(&app, "/route/v1/freight/67.01,24.86;72.95,18.95").await;
    assert_eq!(o.json["code"], "NoRoute", "{}", o.text);
    assert!(o.text.contains("no route from PK to IN: trade between them is banned"), "{}", o.text);
}
