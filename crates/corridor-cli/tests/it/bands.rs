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
    // By rail (since the core build a truck from Batumi to Istanbul is the balanced choice).
    let route =
        json(&["route", "Xi'an", "Istanbul", "--corridor", "middle", "--avoid-mode", "road", "--format", "json"]);
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

fn reliability(route: &Value) -> (f64, f64, f64) {
    let r = &route["reliability"];
    (r["p50_h"].as_f64().unwrap(), r["p90_h"].as_f64().unwrap(), r["p95_h"].as_f64().unwrap())
}

#[test]
fn departure_time_gives_local_arrivals_and_percentiles() {
    let route = json(&[
        "route",
        "Xi'an",
        "Istanbul",
        "--corridor",
        "middle",
        "--depart",
        "2026-12-01T08:00+08:00",
        "--format",
        "json",
    ]);
    assert_eq!(route["depart"], "2026-12-01T08:00+08:00");
    let arrive = route["arrive"].as_str().unwrap();
    assert!(arrive.ends_with("+03:00"), "Istanbul local time: {arrive}");
    let (p50, p90, p95) = reliability(&route);
    assert!(p50 <= p90 && p90 <= p95, "{p50} {p90} {p95}");
    assert!(route["reliability"]["arrive_p90"].as_str().unwrap().ends_with("+03:00"));
    // Leg arrival times are in each leg end's own zone: Kazakhstan +05:00 at Dostyk.
    let legs = route["legs"].as_array().unwrap();
    let dostyk = legs.iter().find(|l| l["to"] == "KZ-DOSTYK").expect("via Dostyk");
    assert!(dostyk["arrive_local"].as_str().unwrap().ends_with("+05:00"), "{}", dostyk["arrive_local"]);
}

#[test]
fn middle_corridor_spread_is_wider_than_northern() {
    // The Middle Corridor's sailings (a Caspian crossing, a Black Sea ro-ro every week) and
    // extra borders must show in the simulated P90 - P50: at least three days, and not much
    // below the Northern route's, whose Brest and Dostyk dwell is the widest single tail of
    // the data. (Before the core build its best route to Duisburg ran Kars–Istanbul–Kapıkule
    // and its spread exceeded the Northern's; since, it takes the Kuryk train ferry, every
    // 12 h, and the Batumi–Constanța ro-ro, and the two spreads are within a few hours.)
    let northern = json(&["route", "Xi'an", "Duisburg", "--corridor", "northern", "--format", "json"]);
    let middle = json(&["route", "Xi'an", "Duisburg", "--corridor", "middle", "--format", "json"]);
    let (n50, n90, _) = reliability(&northern);
    let (m50, m90, _) = reliability(&middle);
    assert!(m90 - m50 >= 72.0, "middle spread {} h", m90 - m50);
    assert!(m90 - m50 > 0.8 * (n90 - n50), "middle spread {} vs northern {}", m90 - m50, n90 - n50);
}

#[test]
fn pareto_set_is_non_dominated_sorted_and_spans_rail_and_sea() {
    let set = json(&["pareto", "Xi'an", "Duisburg", "--format", "json"]);
    let routes = set.as_array().unwrap();
    assert!(routes.len() >= 2);
    let crit: Vec<(f64, f64, f64)> = routes
        .iter()
        .map(|r| {
            let t = &r["totals"];
            (t["hours"].as_f64().unwrap(), t["usd"].as_f64().unwrap(), t["co2e_wtw_kg"].as_f64().unwrap())
        })
        .collect();
    for w in crit.windows(2) {
        assert!(w[0].0 <= w[1].0, "not sorted by time");
    }
    for (i, a) in crit.iter().enumerate() {
        for (j, b) in crit.iter().enumerate() {
            if i != j {
                let dominates = a.0 <= b.0 && a.1 <= b.1 && a.2 <= b.2 && (a.0 < b.0 || a.1 < b.1 || a.2 < b.2);
                assert!(!dominates, "route {i} dominates route {j}");
            }
        }
    }
    let names: Vec<String> = routes.iter().map(|r| r["corridors"].to_string()).collect();
    assert!(names.iter().any(|n| n.contains("northern")) && names.iter().any(|n| n.contains("sea")), "{names:?}");
}

#[test]
fn optimize_p90_is_never_worse_at_the_90th_percentile() {
    let p90 = json(&["route", "Xi'an", "Duisburg", "--optimize", "p90", "--format", "json"]);
    let time = json(&["route", "Xi'an", "Duisburg", "--optimize", "time", "--format", "json"]);
    let cost = json(&["route", "Xi'an", "Duisburg", "--optimize", "cost", "--format", "json"]);
    let (_, best, _) = reliability(&p90);
    for other in [&time, &cost] {
        let (_, q, _) = reliability(other);
        // Candidates are ranked with another seed than the reported draws: allow sampling noise.
        assert!(best <= q * 1.02, "p90 route {best} h vs {q} h");
    }
}
