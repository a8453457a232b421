//! The validation harness on a fixture network: the band rule, hits and misses, the mode and
//! corridor restrictions a case puts on its prediction, and unpredicted cases counted as misses.

use corridor_model::fixture;
use corridor_routing::validation::{Basis, Case, CaseKind, Heading, Report, RunMode, predict};

/// A–B by rail (100 h, corridor `north`) or by road (40 h); B–C rail (20 h) across a border
/// of mean 10 h, P90 20 h.
fn network() -> corridor_model::Network {
    fixture::parse(
        "
        corridors:
          north
        locations:
          A CN rail1435|road
          B CN rail1435|road
          C KZ rail1435
        links:
          A-B rail1435 km=3000 h=100 usd=100 corridors=north
          A-B road km=2000 h=40 usd=900
          B-C rail1435 km=500 h=20 usd=50 corridors=north
        transfers:
          B rail1435>road h=2 usd=10
        borders:
          B-C h=10 p90=20 usd=100
        ",
    )
}

fn case(id: &str, family: &str, mode: RunMode, from: &str, to: &str, low_h: f64, high_h: f64) -> Case {
    Case {
        id: id.into(),
        family: family.into(),
        kind: CaseKind::Run,
        mode,
        from: from.into(),
        to: to.into(),
        low_h,
        high_h,
        basis: Basis::Measured,
        heading: None,
        avoid_location: Vec::new(),
        via: Vec::new(),
        traffic: None,
    }
}

#[test]
fn a_rail_run_is_predicted_on_rail_and_a_truck_run_on_road() {
    let net = network();
    let rail = predict(&net, &case("r", "north", RunMode::Rail, "A", "B", 100.0, 100.0), 500, 1).unwrap();
    assert!((rail.p50_h - 100.0).abs() < 1e-6, "{rail:?}");
    assert_eq!(rail.corridors, ["north"]);
    let truck = predict(&net, &case("t", "other", RunMode::Truck, "A", "B", 40.0, 40.0), 500, 1).unwrap();
    assert!((truck.p50_h - 40.0).abs() < 1e-6, "{truck:?}");
    // A multimodal run takes the fastest of both.
    let any = predict(&net, &case("m", "other", RunMode::Multimodal, "A", "B", 1.0, 1.0), 500, 1).unwrap();
    assert!((any.p50_h - 40.0).abs() < 1e-6, "{any:?}");
}

#[test]
fn the_band_is_085_p50_to_the_larger_of_115_p50_and_p90() {
    let net = network();
    // A–C by rail: 120 h running plus the border (lognormal, mean 10 h, P90 20 h).
    let p = predict(&net, &case("x", "north", RunMode::Rail, "A", "C", 1.0, 1.0), 4000, 7).unwrap();
    let (lo, hi) = p.band();
    assert!((lo - 0.85 * p.p50_h).abs() < 1e-9);
    assert!((hi - (1.15 * p.p50_h).max(p.p90_h)).abs() < 1e-9);
    assert!(p.p90_h > p.p50_h && p.p50_h > 120.0 && p.p50_h < 130.0, "{p:?}");
}

#[test]
fn hits_misses_and_unpredicted_cases_are_scored_per_family() {
    let net = network();
    let cases = vec![
        // Midpoint 105 h, inside [85, 115]: a hit although 140 alone would not be.
        case("hit-range", "north", RunMode::Rail, "A", "B", 70.0, 140.0),
        // 150 h against a P50 of 100 h and no spread: a miss (the model is too fast).
        case("miss-slow", "north", RunMode::Rail, "A", "B", 150.0, 150.0),
        case("hit-truck", "other", RunMode::Truck, "A", "B", 44.0, 44.0),
        // No rail-only route to an unknown place: unpredicted, counted as a miss.
        case("nowhere", "other", RunMode::Rail, "A", "Atlantis", 10.0, 10.0),
    ];
    let r = Report::new(&net, cases, 500, 1);
    let hits: Vec<bool> = r.outcomes.iter().map(|o| o.hit()).collect();
    assert_eq!(hits, [true, false, true, false]);
    assert!(r.outcomes[3].prediction.as_ref().unwrap_err().contains("Atlantis"), "{:?}", r.outcomes[3]);
    let score = |g: &str| r.scores.iter().find(|s| s.group == g).unwrap().clone();
    let all = score("all");
    assert_eq!((all.cases, all.hits, all.unpredicted), (4, 2, 1));
    assert_eq!((score("north").hits, score("north").cases), (1, 2));
    assert_eq!((score("other").hits, score("other").cases), (1, 2));
    // Observed over predicted median, per family: north 1.05 and 1.5.
    assert!((score("north").median_ratio.unwrap() - 1.275).abs() < 1e-9);
    assert!(!r.passes(), "50% is below the 80% line");
    assert_eq!(r.scores.iter().map(|s| s.group.as_str()).collect::<Vec<_>>(), ["all", "north", "other", "kind:run"]);
}

#[test]
fn a_run_outside_its_corridor_is_not_predicted_on_another() {
    let net = network();
    // Family `north` allows only its links plus untagged feeders: the road is untagged, but a
    // rail run may not use it, so the prediction is the corridor's rail line.
    let p = predict(&net, &case("r", "north", RunMode::Rail, "B", "A", 1.0, 1.0), 100, 1).unwrap();
    assert!((p.p50_h - 100.0).abs() < 1e-6);
    // A sea run has no sea link to take.
    assert!(predict(&net, &case("s", "other", RunMode::Sea, "A", "B", 1.0, 1.0), 100, 1).is_err());
}

#[test]
fn a_run_reported_round_a_place_is_predicted_round_it() {
    // A–C by rail through B (120 h and the border), or by a slower line round B via D: a run the
    // source says went round B is scored against the detour, not the default line.
    let net = fixture::parse(
        "
        locations:
          A CN rail1435
          B CN rail1435
          C CN rail1435
          D CN rail1435
        links:
          A-B rail1435 km=3000 h=100 usd=100
          B-C rail1435 km=500 h=20 usd=50
          A-D rail1435 km=4000 h=130 usd=100
          D-C rail1435 km=500 h=20 usd=50
        ",
    );
    let default = predict(&net, &case("d", "other", RunMode::Rail, "A", "C", 1.0, 1.0), 100, 1).unwrap();
    assert!((default.p50_h - 120.0).abs() < 1e-6, "{default:?}");
    let mut round = case("r", "other", RunMode::Rail, "A", "C", 1.0, 1.0);
    round.avoid_location = vec!["B".into()];
    let p = predict(&net, &round, 100, 1).unwrap();
    assert!((p.p50_h - 150.0).abs() < 1e-6, "{p:?}");
    // A place the network does not know is an error, not a silent default route.
    round.avoid_location = vec!["Atlantis".into()];
    assert!(predict(&net, &round, 100, 1).unwrap_err().contains("Atlantis"));
}

#[test]
fn a_run_reported_through_a_place_is_predicted_through_it() {
    // A–C by a fast standard-gauge line (50 h), or by a broad-gauge line through M that meets the
    // standard gauge at M (a gauge change of 5 h): a run the source says went through M is scored
    // on that line, the gauge change at M included, not on the fastest one.
    let net = fixture::parse(
        "
        locations:
          A CN rail1435
          M MN rail1435|rail1520
          C RU rail1520|rail1435
        links:
          A-C rail1435 km=2000 h=50 usd=100
          A-M rail1435 km=1000 h=30 usd=100
          M-C rail1520 km=1500 h=40 usd=100
        transfers:
          M rail1435>rail1520 h=5 usd=20 gauge_change
        ",
    );
    let direct = predict(&net, &case("d", "other", RunMode::Rail, "A", "C", 1.0, 1.0), 100, 1).unwrap();
    assert!((direct.p50_h - 50.0).abs() < 1e-6, "{direct:?}");
    let mut through = case("t", "other", RunMode::Rail, "A", "C", 1.0, 1.0);
    through.via = vec!["M".into()];
    let p = predict(&net, &through, 100, 1).unwrap();
    assert!((p.p50_h - 75.0).abs() < 1e-6, "30 h + the 5 h gauge change + 40 h: {p:?}");
    // An unknown via place is an error naming it, not a silent direct route.
    through.via = vec!["M".into(), "Atlantis".into()];
    assert!(predict(&net, &through, 100, 1).unwrap_err().contains("Atlantis"));
}

#[test]
fn a_stretch_before_the_corridor_is_a_feeder_to_it() {
    // The run's family is `north` (M–C); it was reported through M, which only a `west` line
    // reaches: that stretch is routed outside the restriction, and the run still counts as the
    // corridor's because the whole route uses its own link.
    let net = fixture::parse(
        "
        corridors:
          north
          west
        locations:
          A CN rail1435
          M CN rail1435
          C CN rail1435
        links:
          A-M rail1435 km=1000 h=30 usd=100 corridors=west
          M-C rail1435 km=1500 h=40 usd=100 corridors=north
        ",
    );
    let mut through = case("t", "north", RunMode::Rail, "A", "C", 1.0, 1.0);
    through.via = vec!["M".into()];
    let p = predict(&net, &through, 100, 1).unwrap();
    assert!((p.p50_h - 70.0).abs() < 1e-6, "{p:?}");
    assert!(p.corridors.contains(&"north".to_string()), "{p:?}");
}

#[test]
fn a_corridor_run_crosses_the_border_on_the_corridors_own_line() {
    // `mongolia` continues on `north`. From Y on its own Chinese link, the fastest route in its
    // restriction leaves China on the northern line (X–K, 40 h); a run of the Mongolian corridor
    // crosses on its own line (X–M–R, 60 h), so that is the prediction.
    let net = fixture::parse(
        "
        corridors:
          north
          mongolia>north
        locations:
          Y CN rail1435
          X CN rail1435
          K KZ rail1435
          M MN rail1435
          R RU rail1435
        links:
          Y-X rail1435 km=500 h=10 usd=10 corridors=mongolia
          X-K rail1435 km=500 h=20 usd=10 corridors=north
          K-R rail1435 km=500 h=20 usd=10 corridors=north
          X-M rail1435 km=500 h=30 usd=10 corridors=mongolia
          M-R rail1435 km=500 h=30 usd=10 corridors=mongolia
        borders:
          X-K h=1 p90=1 usd=0
          K-R h=1 p90=1 usd=0
          X-M h=1 p90=1 usd=0
          M-R h=1 p90=1 usd=0
        ",
    );
    let north = predict(&net, &case("n", "north", RunMode::Rail, "X", "R", 1.0, 1.0), 100, 1).unwrap();
    assert!((north.p50_h - 42.0).abs() < 0.5, "{north:?}");
    let p = predict(&net, &case("m", "mongolia", RunMode::Rail, "Y", "R", 1.0, 1.0), 100, 1).unwrap();
    assert!((p.p50_h - 72.0).abs() < 0.5, "10 h + 30 h + 30 h and two borders: {p:?}");
    assert!(!p.corridors.contains(&"north".to_string()), "{p:?}");
}

#[test]
fn bounds_and_closures_are_listed_but_not_scored() {
    let net = network();
    let mut bound = case("up-to", "north", RunMode::Rail, "A", "B", 500.0, 500.0);
    bound.basis = Basis::UpperBound;
    let mut closure = case("closed", "north", RunMode::Rail, "A", "B", 900.0, 900.0);
    closure.basis = Basis::Disruption;
    let r = Report::new(&net, vec![bound, closure, case("ok", "north", RunMode::Rail, "A", "B", 100.0, 100.0)], 100, 1);
    assert_eq!(r.outcomes.len(), 3);
    let all = r.scores.iter().find(|s| s.group == "all").unwrap();
    assert_eq!((all.cases, all.hits), (1, 1));
    assert!(r.passes());
}

#[test]
fn a_dwell_at_one_place_is_its_border_or_its_slowest_transfer() {
    let net = network();
    let mut at_border = case("b", "other", RunMode::Rail, "C", "C", 10.0, 10.0);
    at_border.kind = CaseKind::Dwell;
    let p = predict(&net, &at_border, 4000, 3).unwrap();
    // The B–C border: lognormal with mean 10 h and P90 20 h has its median below the mean.
    assert!(p.p50_h > 7.0 && p.p50_h < 10.0 && (p.p90_h - 20.0).abs() < 1.5, "{p:?}");
    let mut at_terminal = case("t", "other", RunMode::Truck, "A", "A", 1.0, 1.0);
    at_terminal.kind = CaseKind::Dwell;
    // A has no border of the run's mode... and no transfer either: no prediction, a clear reason.
    assert!(predict(&net, &at_terminal, 100, 3).unwrap_err().contains("no border crossing or transfer"));
}

#[test]
fn a_sea_run_sails_on_a_container_ship_not_a_ferry() {
    // Two ports joined by a fast ro-pax (trucks on board) and a slower container feeder: a
    // feeder's run is the feeder's time, a truck run's is the ferry's.
    let net = fixture::parse(
        "
        locations:
          P GE road|sea
          Q RO road|sea
        links:
          P-Q ferry:road km=1000 h=40 usd=900
          P-Q sea km=1000 h=60 usd=300
        ",
    );
    let sea = predict(&net, &case("s", "other", RunMode::Sea, "P", "Q", 60.0, 60.0), 100, 1).unwrap();
    assert!((sea.p50_h - 60.0).abs() < 1e-6, "{sea:?}");
    let truck = predict(&net, &case("t", "other", RunMode::Truck, "P", "Q", 40.0, 40.0), 100, 1).unwrap();
    assert!((truck.p50_h - 40.0).abs() < 1e-6, "{truck:?}");
}

#[test]
fn a_dwell_at_a_post_is_its_own_crossing_in_the_stated_direction() {
    // Post P (KG) clears trucks from W (CN, west of it) in a day and towards W in 2 h; a
    // generated link from P into TJ crosses another border (`Far`, 10 h) far from the post.
    let net = fixture::parse(
        "
        locations:
          W CN road
          P KG road Post
          T TJ road
        links:
          W-P road km=10 h=1
          P-T road km=300 h=5
        borders:
          W-P h=24 p90=45 forward id=Post
          W-P h=2 p90=4 reverse id=Post
          P-T h=10 p90=19 id=Far
        ",
    );
    let dwell = |heading| {
        let mut c = case("d", "other", RunMode::Truck, "P", "P", 2.0, 2.0);
        c.kind = CaseKind::Dwell;
        c.heading = heading;
        predict(&net, &c, 4000, 3).unwrap()
    };
    // Westbound (P → W): the post's own 2 h, not the 10 h of the far crossing.
    let west = dwell(Some(Heading::West));
    assert!(west.p90_h < 5.0 && west.p50_h > 1.0, "{west:?}");
    // Eastbound (W → P) and without a direction: the post's slower direction.
    for h in [Some(Heading::East), None] {
        let p = dwell(h);
        assert!(p.p50_h > 15.0 && p.p50_h < 24.0, "{h:?}: {p:?}");
    }
    // A direction no crossing at the post goes: the rule has nothing to pick from the border
    // records, and a post has no transfer either.
    let mut north = case("n", "other", RunMode::Truck, "P", "P", 2.0, 2.0);
    north.kind = CaseKind::Dwell;
    north.heading = Some(Heading::North);
    let err = predict(&net, &north, 100, 3).unwrap_err();
    assert!(err.contains("no border crossing northbound"), "{err}");
}
