//! Golden bands: real outputs on the default data must fall inside the published ranges cited
//! in data/eurasia/SOURCES.md. These are assertions on the product's answers, not on inputs.
//!
//! - Northern rail Xi'an–Duisburg: 10–18 days (standard 12–14 d, record 9 d 19 h; DHL CN→DE
//!   18–21 d in 2024; Chongqing–Duisburg 16–18 d incl. border dwell; shiphub.co, navisgroup).
//! - Middle Corridor: slower than the Northern route (World Bank 2023: "three times longer";
//!   TITR guidance 31–34 d to Constanța, 32–37 d to Duisburg; ministry claim 13–17 d).
//! - Sea Shanghai–Rotterdam via Suez: 30–45 days (27 d at 16 kn without calls, typical 35 d with
//!   5–10 calls; porteconomicsmanagement.org).

use serde_json::Value;

use crate::json;

fn corridor_entry<'a>(cmp: &'a Value, id: &str) -> &'a Value {
    cmp["corridors"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap_or_else(|| panic!("no corridor {id}"))
}

fn days(route: &Value) -> f64 {
    route["totals"]["days"].as_f64().expect("days")
}

#[test]
fn xian_duisburg_northern_within_published_band_and_middle_slower() {
    let cmp = json(&["compare", "Xi'an", "Duisburg", "--format", "json"]);
    let routed: Vec<&str> = cmp["corridors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| !c["route"].is_null())
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(routed.len() >= 3, "only {routed:?} have routes");
    for c in ["northern", "middle", "sea"] {
        assert!(routed.contains(&c), "{c} missing from {routed:?}");
    }
    let northern = &corridor_entry(&cmp, "northern")["route"];
    let middle = &corridor_entry(&cmp, "middle")["route"];
    let d = days(northern);
    assert!((10.0..=18.0).contains(&d), "Northern Xi'an–Duisburg {d} days, published 10–18");
    assert!(days(middle) > d, "Middle {} days should be slower than Northern {d}", days(middle));
    let countries: Vec<&str> = northern["countries"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    assert_eq!(countries, ["CN", "KZ", "RU", "BY", "PL", "DE"]);
    assert_eq!(
        northern["totals"]["gauge_changes"], 2,
        "1435->1520 at the CN-KZ border, 1520->1435 at Brest/Małaszewicze"
    );
}

#[test]
fn sea_shanghai_rotterdam_within_published_band() {
    let route = json(&["route", "Shanghai", "Rotterdam", "--corridor", "sea", "--format", "json"]);
    let d = days(&route);
    assert!((30.0..=45.0).contains(&d), "sea Shanghai–Rotterdam {d} days, published 30–45");
    assert!(route["legs"].as_array().unwrap().iter().any(|l| l["kind"] == "sea"));
}

#[test]
fn middle_corridor_to_istanbul_changes_gauge_twice_and_crosses_the_caspian_by_ferry() {
    let route = json(&["route", "Xi'an", "Istanbul", "--corridor", "middle", "--format", "json"]);
    assert_eq!(route["totals"]["gauge_changes"], 2, "{}", route["legs"]);
    let legs = route["legs"].as_array().unwrap();
    let gauge: Vec<&str> = legs
        .iter()
        .filter(|l| l["description"].as_str().unwrap().starts_with("gauge change"))
        .map(|l| l["description"].as_str().unwrap())
        .collect();
    assert!(gauge.first().is_some_and(|g| g.contains("1435 -> 1520")), "{gauge:?}");
    let caspian = ["KZAAU", "KZKUR", "TMKRW"];
    assert!(
        legs.iter().any(|l| l["kind"] == "ferry" && caspian.contains(&l["from"].as_str().unwrap())),
        "no Caspian ferry leg from Aktau/Kuryk/Turkmenbashi"
    );
    let countries: Vec<&str> = route["countries"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    assert!(countries.contains(&"AZ") && countries.contains(&"GE") && countries.last() == Some(&"TR"), "{countries:?}");
    assert!(!countries.contains(&"RU"));
}

#[test]
fn avoiding_russia_leaves_the_northern_route() {
    // The fastest route is the Northern one; with the balanced default the cheap sea route
    // already wins, so the question is asked for time.
    let base = json(&["route", "Xi'an", "Duisburg", "--optimize", "time", "--format", "json"]);
    assert!(base["corridors"].as_array().unwrap().iter().any(|c| c == "northern"), "{}", base["corridors"]);
    assert!(base["countries"].as_array().unwrap().iter().any(|c| c == "RU"));
    let avoid =
        json(&["route", "Xi'an", "Duisburg", "--optimize", "time", "--avoid-country", "RU", "--format", "json"]);
    let has_ru = |r: &Value| r["countries"].as_array().unwrap().iter().any(|c| c == "RU");
    assert!(!has_ru(&avoid), "{}", avoid["countries"]);
    assert_ne!(base["countries"], avoid["countries"]);
    let northern_only = avoid["corridors"].as_array().unwrap().iter().all(|c| c == "northern");
    assert!(!northern_only);
}
