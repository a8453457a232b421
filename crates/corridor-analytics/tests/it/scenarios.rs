//! Scenario application and its errors.

use corridor_analytics::*;
use corridor_model::fixture;

fn net() -> corridor_model::Network {
    fixture::parse(
        "locations:
           A CN rail1435
           B KZ rail1435|rail1520
           C KZ rail1520
         links:
           A-B rail1435 km=10 h=1 usd=10
           B-C rail1520 km=10 h=1 usd=10 every=24
         transfers:
           B rail1435>rail1520 h=2 usd=20
         borders:
           A-B h=5 usd=50 id=b-ab",
    )
}

fn error(toml: &str) -> ScenarioError {
    let sc = Scenario::parse(toml).unwrap();
    apply(&net(), &sc).unwrap_err()
}

#[test]
fn closing_a_border_removes_its_link_and_reindexes() {
    let sc = Scenario::parse("[[close]]\nborder = \"b-ab\"").unwrap();
    let out = apply(&net(), &sc).unwrap();
    assert_eq!(out.links.len(), 1);
    assert_eq!(out.links[0].code, "B-C");
    assert!(out.borders.is_empty());
    assert!(out.check().is_empty());
}

#[test]
fn closing_one_transfer_direction_keeps_the_other() {
    let sc = Scenario::parse("[[close]]\ntransfer = \"B:rail1435>rail1520\"").unwrap();
    let out = apply(&net(), &sc).unwrap();
    assert_eq!(out.transfers.len(), 1);
    let t = &out.transfers[0];
    assert!(t.oneway && t.from.to_string() == "rail1520" && t.to.to_string() == "rail1435");
}

#[test]
fn changes_and_additions_apply() {
    let sc = Scenario::parse(
        r#"
        [[capacity]]
        link = "A-B"
        teu_week = 50
        [[dwell]]
        border = "b-ab"
        hours = 1
        [[tariff]]
        transfer = "B:rail1435>rail1520"
        factor = 2
        [[speed]]
        link = "A-B"
        factor = 2
        [[headway]]
        link = "B-C"
        hours = 12
        [[add_location]]
        id = "D"
        country = "KZ"
        lat = 1
        lon = 2
        platforms = ["rail1520"]
        [[add_link]]
        id = "C-D"
        from = "C"
        to = "D"
        mode = "rail"
        platform = "rail1520"
        km = 100
        speed_kmh = 50
        usd_teu = 70
        emission_factor = "ef1"
        "#,
    )
    .unwrap();
    let out = apply(&net(), &sc).unwrap();
    assert_eq!(out.links[0].capacity_teu_week, Some(50.0));
    assert_eq!(out.links[0].hours.0, 0.5);
    assert_eq!(out.borders[0].dwell.mean.0, 1.0);
    assert_eq!(out.transfers[0].tariff.usd_teu.unwrap().0, 40.0);
    assert_eq!(out.links[1].wait[0].unwrap().mean.0, 6.0);
    assert_eq!(out.links[2].hours.0, 2.0);
    assert_eq!(out.locations.len(), 4);
}

#[test]
fn model_capacities_of_borders_and_transfers() {
    let model = Model { network: net(), capacities: Capacities::default() };
    let sc = Scenario::parse("[[capacity]]\ntransfer = \"B:rail1435>rail1520\"\nteu_week = 30\n[[throttle]]\ntransfer = \"B:rail1435>rail1520\"\nfactor = 0.5").unwrap();
    let out = apply_model(&model, &sc).unwrap();
    assert_eq!(out.capacities.get(&Element::parse("transfer", "B:rail1435>rail1520").unwrap()), Some(15.0));
    // apply() alone cannot hold them.
    let e = apply(&net(), &sc).unwrap_err();
    assert_eq!(e.key, "capacity[0].transfer");
}

#[test]
fn errors_name_the_key_and_value() {
    let e = error("[[close]]\nlink = \"X-Y\"");
    assert_eq!((e.key.as_str(), e.value.as_str()), ("close[0].link", "\"X-Y\""));
    let e = error("[[close]]\nlink = \"A-B\"\nborder = \"b-ab\"");
    assert_eq!(e.key, "close[0]");
    let e = error("[[throttle]]\nlink = \"A-B\"\nfactor = 0.5");
    assert_eq!(e.key, "throttle[0].link", "{e}"); // A-B has no capacity to scale
    let e = error("[[capacity]]\nlink = \"A-B\"\nteu_week = 10\n[[throttle]]\nlink = \"A-B\"\nfactor = 1.5");
    assert_eq!(e.key, "throttle[0].factor");
    let e = error(
        "[[add_link]]\nid = \"Q\"\nfrom = \"A\"\nto = \"Nowhere\"\nmode = \"rail\"\nplatform = \"rail1435\"\nkm = 1\nhours = 1\nusd_teu = 1\nemission_factor = \"ef0\"",
    );
    assert_eq!((e.key.as_str(), e.value.as_str()), ("add_link[0].to", "\"Nowhere\""));
    let e = error(
        "[[add_link]]\nid = \"Q\"\nfrom = \"A\"\nto = \"C\"\nmode = \"rail\"\nplatform = \"rail1435\"\nkm = 1\nhours = 1\nusd_teu = 1\nemission_factor = \"ef0\"",
    );
    assert_eq!(e.key, "add_link[0].to", "C has no rail1435: {e}");
    let e = error("[[dwell]]\nborder = \"b-ab\"\nhours = -3");
    assert_eq!((e.key.as_str(), e.value.as_str()), ("dwell[0].hours", "\"-3\""));
    let e = error("[[speed]]\nlink = \"A-B\"\nspeed_kmh = 0");
    assert_eq!(e.key, "speed[0].speed_kmh");
    let e = error("[[close]]\ntransfer = \"B:rail1435-rail1520\"");
    assert_eq!(e.key, "close[0].transfer");
    let e = Scenario::parse("[[close]]\nbridge = \"x\"").unwrap_err();
    assert_eq!(e.key, "toml");
    assert!(e.message.contains("bridge"), "{e}");
}

/// Reproducers of issue P9: a P90 below the mean, an unknown time zone, a self-loop and
/// `km = 1e308` were accepted (the last gave infinite totals and exit 0).
#[test]
fn implausible_scenario_values_are_refused_with_their_key() {
    let link = |extra: &str| {
        format!(
            "[[add_link]]\nid = \"Q\"\nfrom = \"A\"\nto = \"B\"\nmode = \"rail\"\nplatform = \"rail1435\"\nhours = 1\nusd_teu = 1\nemission_factor = \"ef0\"\n{extra}"
        )
    };
    let cases: Vec<(String, &str, &str)> = vec![
        ("[[dwell]]\nborder = \"b-ab\"\nhours = 10\np90 = 5".into(), "dwell[0].p90", "at least the mean"),
        (link("km = 1e308"), "add_link[0].km", "between 0 and 40000"),
        (link("km = 10").replace("to = \"B\"", "to = \"A\""), "add_link[0].to", "two different locations"),
        (
            "[[add_location]]\nid = \"N\"\ncountry = \"KZ\"\nlat = 43\nlon = 77\ntz = \"Mars/Olympus\"\nplatforms = [\"rail1520\"]".into(),
            "add_location[0].tz",
            "not an IANA time zone",
        ),
        ("[[dwell]]\nborder = \"b-ab\"\nhours = 1e9".into(), "dwell[0].hours", "between 0 and 8760"),
    ];
    for (toml, key, message) in cases {
        let e = error(&toml);
        assert_eq!(e.key, key, "{e}");
        assert!(e.message.contains(message), "{e}");
    }
}

#[test]
fn a_dwell_change_holds_for_regular_trains_too() {
    let with_regular = |toml: &str| {
        let net = fixture::parse(
            "locations:
               A CN rail1435
               B KZ rail1435
             links:
               A-B rail1435 km=10 h=1 usd=10
             borders:
               A-B h=5 usd=50 id=b-ab regular=90",
        );
        apply(&net, &Scenario::parse(toml).unwrap()).unwrap()
    };
    use corridor_model::Traffic::{Express, Regular};
    let out = with_regular("[[dwell]]\nborder = \"b-ab\"\nfactor = 2");
    let b = &out.borders[0];
    assert_eq!((b.dwell_for(Express).mean.0, b.dwell_for(Regular).mean.0), (10.0, 180.0));
    let out = with_regular("[[dwell]]\nborder = \"b-ab\"\nhours = 12");
    let b = &out.borders[0];
    assert_eq!(
        (b.dwell_for(Express).mean.0, b.dwell_for(Regular).mean.0),
        (12.0, 12.0),
        "the crossing's time for every train"
    );
    let out = with_regular("[[tariff]]\nborder = \"b-ab\"\nfactor = 2");
    let b = &out.borders[0];
    assert_eq!(b.tariff_for(Regular).usd_teu, b.tariff_for(Express).usd_teu);
}

/// `[[hold]]` and `[[backlog]]` set or remove a service's congestion regimes, as the `hold_*` and
/// `backlog_*` columns of links.csv do, and the waits for a departure follow (`Dwell::expected`
/// = mean + p × hold mean per regime): "the Kuryk backlog does not recur" is `p = 0`.
#[test]
fn holds_and_backlogs_change_the_waits_for_a_departure() {
    let sc = |t: &str| Scenario::parse(t).unwrap();
    let expected = |net: &corridor_model::Network, slot: usize| net.links[1].wait[slot].unwrap().expected().0;
    let base = net();
    assert_eq!((expected(&base, 0), expected(&base, 1)), (12.0, 12.0));
    let set = apply(
        &base,
        &sc("[[hold]]\nlink = \"B-C\"\np = 0.5\nmean_h = 24\np90_h = 48\n[[backlog]]\nlink = \"B-C\"\ndirection = \"reverse\"\np = 0.25\nmean_h = 100\np90_h = 150"),
    )
    .unwrap();
    assert_eq!((expected(&set, 0), expected(&set, 1)), (24.0, 49.0));
    let removed =
        apply(&set, &sc("[[backlog]]\nlink = \"B-C\"\ndirection = \"both\"\np = 0\n[[hold]]\nlink = \"B-C\"\np = 0"))
            .unwrap();
    assert_eq!((expected(&removed, 0), expected(&removed, 1)), (12.0, 12.0));
    assert!(removed.links[1].hold.is_none() && removed.links[1].backlog == [None, None]);
}

#[test]
fn hold_and_backlog_errors_name_the_key() {
    for (toml, key) in [
        ("[[hold]]\nlink = \"X\"\np = 0", "hold[0].link"),
        ("[[hold]]\nlink = \"A-B\"\np = 0", "hold[0].link"), // no headway: nothing departs
        ("[[hold]]\nlink = \"B-C\"\np = 0.6\nmean_h = 1\np90_h = 2", "hold[0].p"),
        ("[[hold]]\nlink = \"B-C\"\np = 0.1", "hold[0].mean_h"),
        ("[[hold]]\nlink = \"B-C\"\np = 0\nmean_h = 5", "hold[0].mean_h"),
        ("[[hold]]\nlink = \"B-C\"\np = 0.1\nmean_h = 10\np90_h = 5", "hold[0].p90_h"),
        ("[[hold]]\nlink = \"B-C\"\np = 0.1\nmean_h = -1\np90_h = 5", "hold[0].mean_h"),
        ("[[hold]]\nlink = \"B-C\"\ndirection = \"forward\"\np = 0", "hold[0].direction"),
        ("[[backlog]]\nlink = \"B-C\"\np = 0", "backlog[0].direction"),
        ("[[backlog]]\nlink = \"B-C\"\ndirection = \"west\"\np = 0", "backlog[0].direction"),
    ] {
        assert_eq!(error(toml).key, key, "{toml}");
    }
}

/// Two German places 540 km apart by a road link at 60 km/h under 9 h a day (24 h as its 24 h
/// average), with the fixtures' `[access]` figures still to set.
fn truck_link_540km() -> corridor_model::Network {
    fixture::parse(
        "locations:
           A DE road
           B DE road
         links:
           A-B road km=540 h=24 drive=60 daily=9",
    )
}

/// A speed change on a truck link timed by the drivers' rule reaches the route: the route retimes
/// its truck runs with the rule, from the links' driving time, which the change scales too
/// (before, a slower link was reported at its old speed).
#[test]
fn a_speed_change_on_a_rule_timed_truck_link_reaches_the_route() {
    // 540 km at 60 km/h under 9 h a day: 24 h as the 24 h average, one day's driving (9 h) by
    // the rule.
    let mut net = truck_link_540km();
    net.defaults.access = Some(fixture::access_figures());
    let hours = |net: &corridor_model::Network| {
        let graph = corridor_model::Graph::compile(net);
        let (a, b) = (net.location_by_code("A").unwrap(), net.location_by_code("B").unwrap());
        let req = corridor_search::RouteRequest::new(&net.defaults, a, b);
        corridor_search::Router::new(net, &graph).route(&req).unwrap().totals.hours.0
    };
    assert!((hours(&net) - 9.0).abs() < 1e-9, "{}", hours(&net));
    let sc = Scenario::parse("[[speed]]\nlink = \"A-B\"\nfactor = 0.5").unwrap();
    let slow = apply(&net, &sc).unwrap();
    assert_eq!(slow.links[0].hours.0, 48.0);
    assert_eq!(slow.links[0].driving.unwrap().hours.0, 18.0, "the driving time scales with the hours");
    // 18 h at the wheel: 9 h, the rest of the day, 9 h.
    assert!((hours(&slow) - 33.0).abs() < 1e-9, "{}", hours(&slow));
}

/// A scenario's change to a country's road links reaches the estimated first and last miles of
/// its places: the per-country trucks are gathered again after the changes.
#[test]
fn a_scenario_refreshes_the_trucks_of_the_estimated_legs() {
    let mut net = truck_link_540km();
    net.links[0].tariff = corridor_model::Tariff { usd_teu_km: Some(1.5), ..Default::default() };
    net.defaults.access = Some(fixture::access_figures());
    net.refresh_access_trucks();
    let rate = |net: &corridor_model::Network| net.defaults.access.as_ref().unwrap().trucks("DE").price.usd_teu_km;
    assert_eq!(rate(&net), Some(1.5));
    let sc = Scenario::parse("[[tariff]]\nlink = \"A-B\"\nfactor = 2").unwrap();
    assert_eq!(rate(&apply(&net, &sc).unwrap()), Some(3.0));
}
