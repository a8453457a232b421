//! Scenario tests on small fixture networks: each `check` builds a network from the fixture
//! text, routes, and compares a one-line-per-leg rendering with the expectation.

use corridor_model::{Graph, Network, fixture};
use corridor_search::{LegKind, Optimize, RouteError, RouteRequest, Router};

fn render(net: &Network, r: &corridor_search::Route) -> String {
    let mut out = String::new();
    for leg in &r.legs {
        let name = |l| net.location(l).code.as_str();
        let line = match leg.kind {
            LegKind::Move { mode, platform } => format!("{mode} {platform} {}->{}", name(leg.from), name(leg.to)),
            LegKind::Transfer { from, to, .. } => format!("transfer {from}>{to} at {}", name(leg.from)),
            LegKind::Border { border } => format!("border {} at {}", net.borders[border.index()].code, name(leg.from)),
            LegKind::Wait { link } => format!("wait {} at {}", net.links[link.index()].code, name(leg.from)),
        };
        out.push_str(&format!("{line} h={} usd={}\n", leg.hours.0, leg.usd.0));
    }
    let t = &r.totals;
    out.push_str(&format!(
        "total h={} usd={} borders={} gauge_changes={} transshipments={}",
        t.hours.0, t.usd.0, t.borders, t.gauge_changes, t.transshipments
    ));
    out
}

#[track_caller]
fn check(fixture_text: &str, from: &str, to: &str, tweak: impl FnOnce(&Network, &mut RouteRequest), expect: &str) {
    let net = fixture::parse(fixture_text);
    let graph = Graph::compile(&net);
    let router = Router::new(&net, &graph);
    let mut req = RouteRequest::new(
        &net.defaults,
        net.location_by_code(from).expect("from"),
        net.location_by_code(to).expect("to"),
    );
    req.optimize = Optimize::Cost;
    tweak(&net, &mut req);
    let got = match router.route(&req) {
        Ok(r) => render(&net, &r),
        Err(e) => format!("error: {e}"),
    };
    assert_eq!(got.trim(), expect.trim(), "\n--- got ---\n{got}\n");
}

const GAUGE_BREAK: &str = "
locations:
  X CN rail1435
  A CN rail1435
  D KZ rail1435|rail1520
  M KZ rail1520
  Z PL rail1435|rail1520
  W DE rail1435
links:
  X-A rail1435 km=500 h=10 usd=100
  A-D rail1435 km=10 h=1 usd=10
  D-M rail1520 km=1000 h=24 usd=500
  M-Z rail1520 km=1000 h=24 usd=500
  Z-W rail1435 km=800 h=12 usd=700
transfers:
  D rail1435>rail1520 h=4 p90=9 usd=300
  Z rail1520>rail1435 h=48 p90=120 usd=200
borders:
  A-D h=30 p90=78 usd=200
  M-Z h=20 p90=40 usd=100
";

#[test]
fn gauge_changes_and_borders_are_legs_of_their_own() {
    check(
        GAUGE_BREAK,
        "X",
        "W",
        |_, _| {},
        "
rail rail1435 X->D h=11 usd=110
border A-D at D h=30 usd=200
transfer rail1435>rail1520 at D h=4 usd=300
rail rail1520 D->Z h=48 usd=1000
border M-Z at Z h=20 usd=100
transfer rail1520>rail1435 at Z h=48 usd=200
rail rail1435 Z->W h=12 usd=700
total h=173 usd=2610 borders=2 gauge_changes=2 transshipments=2",
    );
}

#[test]
fn no_transfer_at_a_gauge_break_is_reported_as_such() {
    let without_transfer = GAUGE_BREAK.replace("  D rail1435>rail1520 h=4 p90=9 usd=300\n", "");
    check(
        &without_transfer,
        "X",
        "W",
        |_, _| {},
        "error: no route from X to W: break of gauge or platform without transfer: D is reached on rail1435 but has no transfer to rail1520",
    );
}

#[test]
fn avoided_country_is_named_when_it_disconnects() {
    check(
        GAUGE_BREAK,
        "X",
        "W",
        |_, r| r.avoid.countries.push("KZ".into()),
        "error: no route from X to W: the avoided country KZ cuts every connection; without it a route exists",
    );
}

#[test]
fn several_culprits_are_those_whose_removal_reconnects() {
    // Avoiding rail cuts the rail way and avoiding roads the road: dropping either one gives a
    // route (the message says so; it does not claim each one alone cuts everything).
    check(
        TWO_WAYS,
        "A",
        "B",
        |_, r| {
            r.avoid.modes.push(corridor_model::Mode::Rail);
            r.avoid.modes.push(corridor_model::Mode::Road);
        },
        "error: no route from A to B: these constraints cut every connection; without any one of them a route exists: avoided mode rail, avoided mode road",
    );
}

#[test]
fn the_corridor_kept_while_blaming_constraints_is_named() {
    // A truck kept to a rail corridor: the avoided mode cuts it off within the corridor (and
    // dropping the corridor would give a route too, which the text lets the user see).
    let fixture_text = "
locations:
  A CN rail1435|road
  B CN rail1435|road
corridors:
  x y
links:
  A-B rail1435 km=100 h=10 usd=100 corridors=x
  A-B road km=120 h=2 usd=300 corridors=y
";
    check(
        fixture_text,
        "A",
        "B",
        |net, r| {
            r.corridor = net.corridor_by_code("x");
            r.avoid.modes.push(corridor_model::Mode::Rail);
        },
        "error: no route from A to B: the avoided mode rail cuts every connection in corridor x; without it a route exists",
    );
}

#[test]
fn endpoint_in_avoided_country_is_an_error_of_its_own() {
    check(
        GAUGE_BREAK,
        "X",
        "W",
        |_, r| r.avoid.countries.push("DE".into()),
        "error: destination W is excluded by the constraints (avoided country DE)",
    );
}

#[test]
fn disconnected_networks_say_so() {
    check(
        "
locations:
  A CN road
  B CN road
  C KZ road
links:
  A-B road km=1 h=1 usd=1
",
        "A",
        "C",
        |_, _| {},
        "error: no route from A to C: no links join the two places in this network",
    );
}

/// The no-route diagnosis walks the network over waypoints; a liner's ring of calls is a cycle
/// of waypoints, and the walk once went round it without end (a place beside Colombo took the
/// machine's memory).
#[test]
fn a_liner_ring_does_not_trap_the_no_route_diagnosis() {
    check(
        "
locations:
  A CN sea
  B LK sea
  C NL sea
  D KZ road
links:
  A-B sea km=1000 h=40 usd=100 every=168 liner oneway
  B-C sea km=1000 h=40 usd=100 every=168 liner oneway
  C-A sea km=1000 h=40 usd=100 every=168 liner oneway
",
        "A",
        "D",
        |_, _| {},
        "error: no route from A to D: no links join the two places in this network",
    );
}

const TWO_WAYS: &str = "
locations:
  A CN rail1435|road
  B KZ rail1435|road
corridors:
  slow fast
links:
  A-B rail1435 km=1000 h=100 usd=100 co2=10 corridors=slow
  A-B road km=1000 h=20 usd=1000 co2=100 corridors=fast
borders:
  A-B h=1 usd=0
";

#[test]
fn objective_presets_pick_different_modes() {
    check(
        TWO_WAYS,
        "A",
        "B",
        |_, r| r.optimize = Optimize::Cost,
        "
rail rail1435 A->B h=100 usd=100
border A-B at B h=1 usd=0
total h=101 usd=100 borders=1 gauge_changes=0 transshipments=0",
    );
    // The fixture's two links share the code A-B, and its border row attaches to the first
    // (rail) one only; the road crossing is therefore border-free here.
    check(
        TWO_WAYS,
        "A",
        "B",
        |_, r| r.optimize = Optimize::Time,
        "
road road A->B h=20 usd=1000
total h=20 usd=1000 borders=0 gauge_changes=0 transshipments=0",
    );
    check(
        TWO_WAYS,
        "A",
        "B",
        |_, r| r.optimize = Optimize::Co2,
        "
rail rail1435 A->B h=100 usd=100
border A-B at B h=1 usd=0
total h=101 usd=100 borders=1 gauge_changes=0 transshipments=0",
    );
    // Balanced: 100 USD + 101 h x VOT versus 1000 USD + 20 h x VOT; the road wins above
    // VOT = 900 / 81 = 11.1 USD/h.
    check(
        TWO_WAYS,
        "A",
        "B",
        |_, r| {
            r.optimize = Optimize::Balanced;
            r.value_of_time = 12.0;
        },
        "
road road A->B h=20 usd=1000
total h=20 usd=1000 borders=0 gauge_changes=0 transshipments=0",
    );
    check(
        TWO_WAYS,
        "A",
        "B",
        |_, r| {
            r.optimize = Optimize::Balanced;
            r.value_of_time = 11.0;
        },
        "
rail rail1435 A->B h=100 usd=100
border A-B at B h=1 usd=0
total h=101 usd=100 borders=1 gauge_changes=0 transshipments=0",
    );
}

#[test]
fn avoided_mode_and_same_location() {
    check(
        TWO_WAYS,
        "A",
        "B",
        |_, r| r.avoid.modes.push(corridor_model::Mode::Rail),
        "
road road A->B h=20 usd=1000
total h=20 usd=1000 borders=0 gauge_changes=0 transshipments=0",
    );
    check(TWO_WAYS, "A", "A", |_, _| {}, "error: origin and destination are the same location (A)");
}

#[test]
fn compare_gives_each_corridor_and_the_winners() {
    let net = fixture::parse(TWO_WAYS);
    let graph = Graph::compile(&net);
    let router = Router::new(&net, &graph);
    let req = RouteRequest::new(&net.defaults, net.location_by_code("A").unwrap(), net.location_by_code("B").unwrap());
    let cmp = router.compare(&req);
    let hours: Vec<f64> = cmp.corridors.iter().map(|c| c.route.as_ref().unwrap().totals.hours.0).collect();
    assert_eq!(hours, [101.0, 20.0]);
    assert_eq!(cmp.winners.time, Some(1));
    assert_eq!(cmp.winners.cost, Some(0));
    assert_eq!(cmp.winners.co2, Some(0));
}

/// `m` (a Mongolian line, A–M–J through MN) continues on `t` (a Trans-Siberian, A–X–J–D).
fn continuing_fixture() -> Network {
    fixture::parse(
        "
locations:
  A CN rail1435
  M MN rail1435
  X RU rail1435
  J RU rail1435
  D RU rail1435
corridors:
  t m>t
links:
  A-M rail1435 km=500 h=25 usd=250 corridors=m
  M-J rail1435 km=500 h=25 usd=250 corridors=m
  A-X rail1435 km=100 h=10 usd=50 corridors=t
  X-J rail1435 km=100 h=10 usd=50 corridors=t
  J-D rail1435 km=500 h=25 usd=250 corridors=t
",
    )
}

#[test]
fn a_corridor_that_continues_on_another_must_still_use_its_own_links() {
    // `m` (a Mongolian line) continues on `t` (a Trans-Siberian): its route from A to D may
    // run on t's line beyond the junction J, but t's shorter entry from A (A–X–J) is t's route,
    // not m's.
    let net = continuing_fixture();
    let graph = Graph::compile(&net);
    let router = Router::new(&net, &graph);
    let id = |c: &str| net.location_by_code(c).unwrap();
    let mut req = RouteRequest::new(&net.defaults, id("A"), id("D"));
    req.corridor = net.corridor_by_code("m");
    let via_m = router.route(&req).unwrap();
    assert_eq!(via_m.totals.hours.0, 75.0, "A–M–J on m's line, then J–D on t's");
    // Eastbound too: the continuation may come first.
    let mut back = RouteRequest::new(&net.defaults, id("D"), id("A"));
    back.corridor = req.corridor;
    assert_eq!(router.route(&back).unwrap().totals.hours.0, 75.0);
    // t itself does not continue on m.
    req.corridor = net.corridor_by_code("t");
    assert_eq!(router.route(&req).unwrap().totals.hours.0, 45.0);
    let cmp = router.compare(&RouteRequest { corridor: None, ..req.clone() });
    let hours: Vec<f64> = cmp.corridors.iter().map(|c| c.route.as_ref().unwrap().totals.hours.0).collect();
    assert_eq!(hours, [45.0, 75.0]);
    // A no-route diagnosis keeps m's rule. m's own line runs through MN: avoiding MN and X
    // leaves m no route, and dropping the avoided X alone opens t's line A–X–J–D, which the
    // plain corridor restriction lets m use but m's rule does not: only MN is to blame.
    req.corridor = net.corridor_by_code("m");
    req.avoid.countries = vec!["MN".into()];
    req.avoid.locations = vec![id("X")];
    match router.route(&req) {
        Err(RouteError::NoRoute { reason_text, .. }) => {
            assert_eq!(
                reason_text,
                "the avoided country MN cuts every connection in corridor m; without it a route exists"
            )
        }
        other => panic!("expected no route, got {other:?}"),
    }
    // The claim holds: without the avoided MN, m has its route.
    req.avoid.countries.clear();
    assert_eq!(router.route(&req).unwrap().totals.hours.0, 75.0);
}

#[test]
fn corridor_without_own_links_is_not_applicable() {
    let net = fixture::parse(
        "
locations:
  A CN road
  B CN road
corridors:
  x
links:
  A-B road km=1 h=1 usd=1
",
    );
    let graph = Graph::compile(&net);
    let router = Router::new(&net, &graph);
    let req = RouteRequest::new(&net.defaults, net.location_by_code("A").unwrap(), net.location_by_code("B").unwrap());
    let cmp = router.compare(&req);
    assert!(cmp.best.is_ok());
    match &cmp.corridors[0].route {
        Err(RouteError::NoRoute { reason_text, .. }) => {
            assert_eq!(reason_text, "the corridor's links and shared feeders do not join the two places")
        }
        other => panic!("expected not applicable, got {other:?}"),
    }
}

#[test]
fn a_ferry_with_a_headway_has_a_wait_leg_and_a_road_detour_is_still_a_gauge_change() {
    check(
        "
locations:
  A KZ rail1520
  K KZ rail1520|road
  B AZ rail1520|rail1435|road
  C GE rail1435
links:
  A-K rail1520 km=100 h=5 usd=50
  K-B ferry:rail1520 km=400 h=20 usd=400 every=96
  B-C rail1435 km=10 h=1 usd=10
transfers:
  B rail1520>road h=2 usd=20
  B road>rail1435 h=2 usd=20
",
        "A",
        "C",
        |_, _| {},
        "
rail rail1520 A->K h=5 usd=50
wait K-B at K h=48 usd=0
ferry rail1520 K->B h=20 usd=400
transfer rail1520>road at B h=2 usd=20
transfer road>rail1435 at B h=2 usd=20
rail rail1435 B->C h=1 usd=10
total h=78 usd=500 borders=0 gauge_changes=1 transshipments=2",
    );
}

const WEEKLY_FERRY: &str = "
locations:
  A KZ rail1520
  K KZ rail1520
  B AZ rail1520
links:
  A-K rail1520 km=100 h=10 usd=50
  K-B ferry:rail1520 km=400 h=20 usd=400
services:
  K-B mon|thu 23:00 forward
";

#[test]
fn a_shipment_reaching_the_port_just_after_a_sailing_waits_for_the_next_one() {
    // Departing Monday 12:00 reaches K at 22:00: catches the 23:00 sailing (1 h wait).
    check(
        WEEKLY_FERRY,
        "A",
        "B",
        |_, r| r.depart = Some("2026-11-30T12:00:00Z".parse().unwrap()),
        "
rail rail1520 A->K h=10 usd=50
wait K-B at K h=1 usd=0
ferry rail1520 K->B h=20 usd=400
total h=31 usd=450 borders=0 gauge_changes=0 transshipments=0",
    );
    // Departing two hours later reaches K at 00:00 Tuesday, just after the sailing: the next
    // one leaves Thursday 23:00, 71 h later.
    check(
        WEEKLY_FERRY,
        "A",
        "B",
        |_, r| r.depart = Some("2026-11-30T14:00:00Z".parse().unwrap()),
        "
rail rail1520 A->K h=10 usd=50
wait K-B at K h=71 usd=0
ferry rail1520 K->B h=20 usd=400
total h=101 usd=450 borders=0 gauge_changes=0 transshipments=0",
    );
    // Without a departure time the wait is that of a random arrival against the timetable:
    // gaps of 72 h and 96 h, mean (72^2 + 96^2) / (2 x 168) = 42.857 h.
    let net = fixture::parse(WEEKLY_FERRY);
    let w = net.links[1].wait[0].unwrap();
    assert!((w.mean.0 - 42.857142857).abs() < 1e-6, "{:?}", w);
    // The reverse direction has no service and no headway: the ferry cannot be used back.
    assert!(net.links[1].wait[1].is_none());
}

#[test]
fn latest_arrival_and_missing_departures_are_reasons() {
    check(
        WEEKLY_FERRY,
        "A",
        "B",
        |_, r| {
            r.depart = Some("2026-11-30T14:00:00Z".parse().unwrap());
            r.latest_arrival = Some("2026-12-02T00:00:00Z".parse().unwrap());
        },
        "error: no route from A to B: no route arrives by the latest arrival; the earliest possible arrival at B is 2026-12-04 19:00 (UTC+00:00), local time",
    );
    check(
        WEEKLY_FERRY,
        "A",
        "B",
        |_, r| r.latest_arrival = Some("2026-12-02T00:00:00Z".parse().unwrap()),
        "error: invalid request: a latest arrival needs a departure time",
    );
}

#[test]
fn transshipment_limit_and_gauge_change_ban_pick_other_routes_or_explain() {
    let text = "
locations:
  A CN rail1435|road
  D KZ rail1435|rail1520|road
  Z KZ rail1520|road
links:
  A-D rail1435 km=1 h=10 usd=100
  D-Z rail1520 km=1 h=10 usd=100
  A-Z road km=1 h=100 usd=2000
transfers:
  D rail1435>rail1520 h=4 usd=300
borders:
  A-D h=1 usd=0
";
    check(
        text,
        "A",
        "Z",
        |_, _| {},
        "
rail rail1435 A->D h=10 usd=100
border A-D at D h=1 usd=0
transfer rail1435>rail1520 at D h=4 usd=300
rail rail1520 D->Z h=10 usd=100
total h=25 usd=500 borders=1 gauge_changes=1 transshipments=1",
    );
    check(
        text,
        "A",
        "Z",
        |_, r| r.avoid_gauge_changes = true,
        "
road road A->Z h=100 usd=2000
total h=100 usd=2000 borders=0 gauge_changes=0 transshipments=0",
    );
    check(
        text,
        "A",
        "Z",
        |_, r| r.max_transshipments = Some(0),
        "
road road A->Z h=100 usd=2000
total h=100 usd=2000 borders=0 gauge_changes=0 transshipments=0",
    );
    check(
        text,
        "A",
        "Z",
        |_, r| {
            r.max_transshipments = Some(0);
            r.avoid.modes.push(corridor_model::Mode::Road);
        },
        "error: no route from A to Z: every route needs more transshipments or a gauge change than the constraints allow",
    );
}

#[test]
fn table_entries_equal_individual_routes() {
    let net = fixture::parse(GAUGE_BREAK);
    let graph = Graph::compile(&net);
    let router = Router::new(&net, &graph);
    let all: Vec<_> = net.locations.iter().map(|l| net.location_by_code(&l.code).unwrap()).collect();
    let targets: Vec<_> = all.iter().rev().copied().collect();
    for (optimize, avoid) in [(Optimize::Cost, None), (Optimize::Time, None), (Optimize::Balanced, Some("PL"))] {
        let mut req = RouteRequest::new(&net.defaults, all[0], all[1]);
        req.optimize = optimize;
        if let Some(c) = avoid {
            req.avoid.countries.push(c.into());
        }
        let table = router.table(&req, &all, &targets).unwrap();
        assert_eq!(table.len(), all.len() * targets.len());
        let mut found = 0;
        for (i, &from) in all.iter().enumerate() {
            for (j, &to) in targets.iter().enumerate() {
                let single = router.route(&RouteRequest { from, to, ..req.clone() }).ok();
                let entry = &table[i * targets.len() + j];
                let key = |r: &corridor_search::Route| (r.from, r.to, r.arcs.clone(), r.totals);
                assert_eq!(entry.as_ref().map(key), single.as_ref().map(key), "{optimize:?} {i}->{j}");
                found += usize::from(entry.is_some());
            }
        }
        // Self pairs and (with PL avoided) pairs touching Z or cut by it have no entry.
        assert!(found > 0 && found < all.len() * targets.len(), "{found}");
    }
    let mut timed = RouteRequest::new(&net.defaults, all[0], all[1]);
    timed.avoid_gauge_changes = true;
    assert!(matches!(router.table(&timed, &all, &all), Err(RouteError::InvalidRequest(_))));
}

/// The drivers' rule of the fixtures: 60 km/h for at most 9 h a day (`[access]`).
fn with_truck_rule(net: &mut corridor_model::Network) {
    net.defaults.access = Some(corridor_model::fixture::access_figures());
}

#[test]
fn a_short_truck_run_drives_through_without_the_daily_rest_average() {
    // Road links timed at the single-driver average 60 km/h x 9 h / 24 = 22.5 km/h.
    let mut net = fixture::parse(
        "
locations:
  A KZ road
  B KZ road
  C UZ road
  D UZ road|rail1520
  E UZ road|rail1520
links:
  A-B road km=270 h=12 usd=1
  B-C road km=270 h=12 usd=1
  C-D road km=900 h=40 usd=1
  D-E rail1520 km=100 h=2 usd=1
transfers:
  D road>rail1520 h=3 usd=1
borders:
  B-C h=5 p90=5 usd=1
",
    );
    with_truck_rule(&mut net);
    let graph = Graph::compile(&net);
    let router = Router::new(&net, &graph);
    let id = |c: &str| net.location_by_code(c).unwrap();
    // A–C: 540 km = 9 h of driving, one day, no rest: 9 h + the 5 h border instead of 24 + 5.
    let r = router.route(&RouteRequest::new(&net.defaults, id("A"), id("C"))).unwrap();
    assert!((r.totals.hours.0 - 14.0).abs() < 1e-9, "{}", r.totals.hours.0);
    assert!((r.rest_credit.0 - 15.0).abs() < 1e-9);
    // The legs carry the saving and still add up; starts follow.
    let sum: f64 = r.legs.iter().map(|l| l.hours.0).sum();
    assert!((sum - r.totals.hours.0).abs() < 1e-9);
    assert!((r.legs.last().unwrap().start.0 - 9.0).abs() < 1e-9, "{:?}", r.legs);
    // A–E: 1,440 km = 24 h of driving in one run across the border: two rests of 15 h
    // (24 + 30 = 54 h, against 64 h at the average), then the lift and the train.
    let r = router.route(&RouteRequest::new(&net.defaults, id("A"), id("E"))).unwrap();
    assert!((r.rest_credit.0 - 10.0).abs() < 1e-9, "{}", r.rest_credit.0);
    assert!((r.totals.hours.0 - (54.0 + 5.0 + 3.0 + 2.0)).abs() < 1e-9, "{}", r.totals.hours.0);
    // The simulation agrees: no spread on this route but the border's, fixed here.
    let rel = router.reliability(&r, 200, 1);
    assert!((rel.p50_h - r.totals.hours.0).abs() < 1e-9, "{rel:?}");
}

#[test]
fn a_truck_run_drives_at_each_country_s_moving_speed_under_the_daily_rule() {
    // Road links timed at the single-driver average 60 km/h x 9 h / 24 = 22.5 km/h.
    let mut net = fixture::parse(
        "
locations:
  A KZ road
  B KZ road
  C UZ road
  D UZ road|rail1520
  E UZ road|rail1520
links:
  A-B road km=270 h=16 drive=40.5 usd=1
  B-C road km=270 h=24 drive=27 usd=1
  C-D road km=900 h=40 usd=1
  D-E rail1520 km=100 h=2 usd=1
transfers:
  D road>rail1520 h=3 usd=1
borders:
  B-C h=5 p90=5 usd=1
",
    );
    with_truck_rule(&mut net);
    let graph = Graph::compile(&net);
    let router = Router::new(&net, &graph);
    let id = |c: &str| net.location_by_code(c).unwrap();
    // A–C: 270 km at 40.5 km/h (Kazakhstan) + 270 km at 27 km/h (Uzbekistan) = 6.67 + 10 h of
    // driving: over the 9 h limit once, so one 15 h rest: 31.67 h + the 5 h border, against the
    // 16 + 24 h of the links' 24 h averages.
    let r = router.route(&RouteRequest::new(&net.defaults, id("A"), id("C"))).unwrap();
    let drive = 270.0 / 40.5 + 270.0 / 27.0;
    assert!((r.totals.hours.0 - (drive + 15.0 + 5.0)).abs() < 1e-9, "{}", r.totals.hours.0);
    assert!((r.rest_credit.0 - (40.0 - drive - 15.0)).abs() < 1e-9, "{}", r.rest_credit.0);
}

#[test]
fn a_truck_run_rests_by_the_daily_hours_of_the_country_it_drives_in() {
    // Kazakh drivers on the move 12 h a day (24 h average 20 km/h at 40 km/h), then a country
    // of the 8 h rule (10 km/h at 30 km/h): each link's drivers set the day's hours.
    let net = |b_c: &str| {
        let mut net = fixture::parse(&format!(
            "
locations:
  A KZ road
  B KZ road
  C EU road
links:
  A-B road km=720 h=36 drive=40 daily=12 usd=1
  {b_c}
"
        ));
        with_truck_rule(&mut net);
        net
    };
    let hours = |net: &Network, to: &str| {
        let graph = Graph::compile(net);
        let id = |c: &str| net.location_by_code(c).unwrap();
        Router::new(net, &graph).route(&RouteRequest::new(&net.defaults, id("A"), id(to))).unwrap().totals.hours.0
    };
    // A–B: 18 h at the wheel, 12 h a day: 12 + 12 (rest) + 6 = 30 h, against the 36 h average.
    let kz = net("B-C road km=240 h=24 drive=30 daily=8 usd=1");
    assert!((hours(&kz, "B") - 30.0).abs() < 1e-9, "{}", hours(&kz, "B"));
    // A–C: on into the 8 h country with 6 h driven today: past its 8 h, so 2 h, a 16 h rest, and
    // the other 6 h: 30 + 2 + 16 + 6 = 54 h.
    assert!((hours(&kz, "C") - 54.0).abs() < 1e-9, "{}", hours(&kz, "C"));
    // The same road under one 12 h day throughout: 30 + 6 + 12 (rest) + 2 = 50 h.
    let same = net("B-C road km=240 h=16 drive=30 daily=12 usd=1");
    assert!((hours(&same, "C") - 50.0).abs() < 1e-9, "{}", hours(&same, "C"));
}

/// The budget of a request: past its deadline every search stops (route, pareto, compare,
/// table, the no-route diagnosis) and the request fails as interrupted; a label search that
/// reaches its label limit fails instead of answering from an incomplete set (it used to).
#[test]
fn a_spent_budget_stops_every_search_with_its_reason() {
    use corridor_search::{Budget, Interrupt};
    let net = fixture::parse(GAUGE_BREAK);
    let graph = Graph::compile(&net);
    let (x, w) = (net.location_by_code("X").unwrap(), net.location_by_code("W").unwrap());
    let req = RouteRequest::new(&net.defaults, x, w);
    let past = Budget { deadline: Some(std::time::Instant::now()), ..Budget::default() };
    let spent = Router::new(&net, &graph).with_budget(past);
    let deadline = Err(RouteError::Interrupted(Interrupt::Deadline));
    assert_eq!(spent.route(&req), deadline);
    let stopped = RouteError::Interrupted(Interrupt::Deadline);
    assert_eq!(spent.pareto(&req).unwrap_err(), stopped);
    assert_eq!(spent.table(&req, &[x], &[w]).unwrap_err(), stopped);
    let cmp = spent.compare(&req);
    assert!(cmp.best == deadline && cmp.corridors.iter().all(|c| c.route == deadline));
    assert_eq!(
        spent.route(&req).unwrap_err().to_string(),
        "the search was stopped before it finished: its time budget ran out"
    );
    // A far deadline changes nothing.
    let far = Budget {
        deadline: Some(std::time::Instant::now() + std::time::Duration::from_secs(3600)),
        ..Budget::default()
    };
    assert_eq!(Router::new(&net, &graph).with_budget(far).route(&req), Router::new(&net, &graph).route(&req));
    // Two labels cannot reach W: the label search says so rather than answering "no route".
    let labels = Router::new(&net, &graph).with_budget(Budget { max_labels: 2, ..Budget::default() });
    let timed = RouteRequest { depart: Some("2026-12-01T08:00:00Z".parse().unwrap()), ..req.clone() };
    let e = labels.route(&timed).unwrap_err();
    assert_eq!(e, RouteError::Interrupted(Interrupt::Labels(2)));
    assert!(e.to_string().contains("limit of 2 labels"), "{e}");
    assert!(Router::new(&net, &graph).route(&timed).is_ok());
    // The resource-state search (a lift limit, no departure time) keeps to the same limit.
    let limited = RouteRequest { max_transshipments: Some(5), ..req.clone() };
    assert_eq!(labels.route(&limited).unwrap_err(), RouteError::Interrupted(Interrupt::Labels(2)));
    assert!(Router::new(&net, &graph).route(&limited).is_ok());
}

/// A Russian port (S), an EU port on the way (H), an EU port beyond (R) and a Turkish port (I),
/// for the sea embargo (`corridor_model::regions::sea_embargo`).
const SEA_EMBARGO: &str = "
locations:
  S RU sea|road
  H FI sea|road
  R NL sea|road
  I TR sea|road
links:
  S-H sea km=300 h=20 usd=100
  H-R sea km=1500 h=60 usd=300
  H-I sea km=5000 h=200 usd=1000
transfers:
  I sea>road h=24 usd=150
";

#[test]
fn no_voyage_links_a_russian_port_with_an_eu_port_but_ships_sail_past_and_transship_elsewhere() {
    let cases = [
        // Past Helsinki to Istanbul without calling: one voyage.
        ("S", "I", "sea sea S->I h=220 usd=1100\ntotal h=220 usd=1100 borders=0 gauge_changes=0 transshipments=0"),
        // To Rotterdam only by unloading and reloading at Istanbul.
        (
            "S",
            "R",
            "sea sea S->I h=220 usd=1100\ntransfer sea>road at I h=24 usd=150\ntransfer road>sea at I h=24 usd=150\n\
             sea sea I->R h=260 usd=1300\ntotal h=528 usd=2700 borders=0 gauge_changes=0 transshipments=2",
        ),
        // And the other way round.
        (
            "H",
            "S",
            "sea sea H->I h=200 usd=1000\ntransfer sea>road at I h=24 usd=150\ntransfer road>sea at I h=24 usd=150\n\
             sea sea I->S h=220 usd=1100\ntotal h=468 usd=2400 borders=0 gauge_changes=0 transshipments=2",
        ),
    ];
    for (from, to, expect) in cases {
        check(SEA_EMBARGO, from, to, |_, _| {}, expect);
    }
    // Istanbul's own cargo sails to both sides.
    for to in ["S", "R"] {
        let net = fixture::parse(SEA_EMBARGO);
        let graph = Graph::compile(&net);
        let req =
            RouteRequest::new(&net.defaults, net.location_by_code("I").unwrap(), net.location_by_code(to).unwrap());
        let r = Router::new(&net, &graph).route(&req).expect("a route");
        assert_eq!(r.totals.transshipments, 0, "I to {to}");
    }
    // Without the embargo (a port of a third country in place of the Russian one) the voyage is direct.
    check(
        &SEA_EMBARGO.replace("S RU", "S NO"),
        "S",
        "R",
        |_, _| {},
        "
sea sea S->R h=80 usd=400
total h=80 usd=400 borders=0 gauge_changes=0 transshipments=0",
    );
}

#[test]
fn the_sea_embargo_holds_in_tables_and_pareto_sets() {
    let net = fixture::parse(SEA_EMBARGO);
    let graph = Graph::compile(&net);
    let router = Router::new(&net, &graph);
    let at = |c: &str| net.location_by_code(c).unwrap();
    let mut req = RouteRequest::new(&net.defaults, at("S"), at("R"));
    req.optimize = Optimize::Cost;
    let table = router.table(&req, &[at("S"), at("I")], &[at("R"), at("H")]).expect("table");
    let usd: Vec<Option<f64>> = table.iter().map(|r| r.as_ref().map(|r| r.totals.usd.0)).collect();
    assert_eq!(usd, [Some(2700.0), Some(2400.0), Some(1300.0), Some(1000.0)]);
    let front = router.pareto(&req).expect("pareto");
    assert!(!front.is_empty());
    for r in &front {
        assert_eq!(r.totals.transshipments, 2, "every option unloads at I: {:?}", r.totals);
    }
}

/// A liner loop A → B → C with a feeder B → F that is not a liner. Waits carry the lateness
/// regime of the departure (`late=`): with probability 0.5 a hold of mean 100 h.
const LINER_LOOP: &str = "
locations:
  A CN sea
  B LK sea
  C NL sea
  F TR sea
links:
  A-B sea km=1000 h=40 usd=100 every=168 late=0.5/100/200 liner
  B-C sea km=1000 h=40 usd=100 every=168 late=0.5/100/200 liner
  B-F sea km=500 h=20 usd=50 every=96
";

#[test]
fn a_shipment_stays_aboard_a_liner_through_its_calls() {
    let not_liners = LINER_LOOP.replace(" liner", "");
    let cases: [(&str, &str, &str, &str); 4] = [
        // One wait (84 h for the weekly loop plus the expected lateness 0.5 × 100 h) where it
        // is loaded; through B the ship sails on, so the voyage is one sea leg.
        (
            LINER_LOOP,
            "A",
            "C",
            "wait A-B at A h=134 usd=0
sea sea A->C h=80 usd=200
total h=214 usd=200 borders=0 gauge_changes=0 transshipments=0",
        ),
        // The same lanes sailed by services that are not liners: waited for at each boarding.
        (
            &not_liners,
            "A",
            "C",
            "wait A-B at A h=134 usd=0
sea sea A->B h=40 usd=100
wait B-C at B h=134 usd=0
sea sea B->C h=40 usd=100
total h=348 usd=200 borders=0 gauge_changes=0 transshipments=0",
        ),
        // Onto the feeder the shipment is landed at B and waits for its departure (48 h).
        (
            LINER_LOOP,
            "A",
            "F",
            "wait A-B at A h=134 usd=0
sea sea A->B h=40 usd=100
wait B-F at B h=48 usd=0
sea sea B->F h=20 usd=50
total h=242 usd=150 borders=0 gauge_changes=0 transshipments=0",
        ),
        // A voyage may also start mid-loop, with its own wait.
        (
            LINER_LOOP,
            "B",
            "C",
            "wait B-C at B h=134 usd=0
sea sea B->C h=40 usd=100
total h=174 usd=100 borders=0 gauge_changes=0 transshipments=0",
        ),
    ];
    for (fixture_text, from, to, expect) in cases {
        check(fixture_text, from, to, |_, _| {}, expect);
    }
}

#[test]
fn a_sailing_is_paid_once_per_boarding_on_the_voyage_leg() {
    // USD 150 per sailing on every lane: a liner voyage through B pays it once, a change of
    // ship at B twice; the wait shows time only, the voyage's leg the whole freight.
    let with_sailing = LINER_LOOP.replace("every=", "sail=150 every=");
    let not_liners = with_sailing.replace(" liner", "");
    let cases: [(&str, &str, &str, &str); 3] = [
        (
            &with_sailing,
            "A",
            "C",
            "wait A-B at A h=134 usd=0
sea sea A->C h=80 usd=350
total h=214 usd=350 borders=0 gauge_changes=0 transshipments=0",
        ),
        (
            &not_liners,
            "A",
            "C",
            "wait A-B at A h=134 usd=0
sea sea A->B h=40 usd=250
wait B-C at B h=134 usd=0
sea sea B->C h=40 usd=250
total h=348 usd=500 borders=0 gauge_changes=0 transshipments=0",
        ),
        (
            &with_sailing,
            "A",
            "F",
            "wait A-B at A h=134 usd=0
sea sea A->B h=40 usd=250
wait B-F at B h=48 usd=0
sea sea B->F h=20 usd=200
total h=242 usd=450 borders=0 gauge_changes=0 transshipments=0",
        ),
    ];
    for (fixture_text, from, to, expect) in cases {
        check(fixture_text, from, to, |_, _| {}, expect);
    }
}

#[test]
fn a_landing_charge_falls_due_where_the_box_is_landed_from_a_liner() {
    // B–C carries a landing charge of USD 600 (a range premium, C-PRICE-SEA-MED): C and B, the
    // ports of its lane, take it. A voyage from A that lands at C pays it once on its leg; one
    // that sails on through B pays nothing there; one landed at B (to board the B–F ferry,
    // which is no liner) pays it at B.
    let landing = LINER_LOOP.replace("B-C sea km=1000 h=40 usd=100", "B-C sea km=1000 h=40 usd=100 land=600");
    let cases: [(&str, &str, &str, &str); 3] = [
        (
            &landing,
            "A",
            "C",
            "wait A-B at A h=134 usd=0
sea sea A->C h=80 usd=800
total h=214 usd=800 borders=0 gauge_changes=0 transshipments=0",
        ),
        (
            &landing,
            "C",
            "A",
            "wait B-C at C h=134 usd=0
sea sea C->A h=80 usd=200
total h=214 usd=200 borders=0 gauge_changes=0 transshipments=0",
        ),
        (
            &landing,
            "A",
            "F",
            "wait A-B at A h=134 usd=0
sea sea A->B h=40 usd=700
wait B-F at B h=48 usd=0
sea sea B->F h=20 usd=50
total h=242 usd=750 borders=0 gauge_changes=0 transshipments=0",
        ),
    ];
    for (fixture_text, from, to, expect) in cases {
        check(fixture_text, from, to, |_, _| {}, expect);
    }
}

#[test]
fn a_liner_voyage_draws_its_lateness_once() {
    // The simulation agrees with the search: one uniform wait over the 168 h headway (mean 84)
    // and one lateness draw (mean 0.5 × 100 h) per voyage, not one per call.
    let mean = |text: &str| {
        let net = fixture::parse(text);
        let graph = Graph::compile(&net);
        let router = Router::new(&net, &graph);
        let at = |c: &str| net.location_by_code(c).unwrap();
        let route = router.route(&RouteRequest::new(&net.defaults, at("A"), at("C"))).expect("route");
        corridor_search::simulate(&net, &graph, &route, 20_000, 7).mean_h
    };
    let aboard = mean(LINER_LOOP);
    assert!((aboard - 214.0).abs() < 5.0, "mean {aboard} h, expected 80 + 84 + 50 = 214");
    let reboarded = mean(&LINER_LOOP.replace(" liner", ""));
    assert!((reboarded - 348.0).abs() < 8.0, "mean {reboarded} h, expected 80 + 2 × (84 + 50) = 348");
}

/// A train ferry K-A sailing daily, held by storms both ways (`late=`: p 0.25, 96 h) and by
/// the port's backlog towards A only (`backlog=`: p 0.25, 432 h, near Kuryk's 0.24 in 2025).
const BACKLOG: &str = "
locations:
  K KZ rail1520
  A AZ rail1520
links:
  K-A ferry:rail1520 km=470 h=34 usd=400 every=24 late=0.25/96/168 backlog=0.25/432/528/forward
";

#[test]
fn a_port_backlog_holds_departures_one_way() {
    // Westbound the wait is 12 h (half the headway) + 0.25 × 96 + 0.25 × 432 = 144 h;
    // eastbound only the storms: 12 + 24 = 36 h.
    let cases = [
        (
            "K",
            "A",
            "wait K-A at K h=144 usd=0
ferry rail1520 K->A h=34 usd=400
total h=178 usd=400 borders=0 gauge_changes=0 transshipments=0",
        ),
        (
            "A",
            "K",
            "wait K-A at A h=36 usd=0
ferry rail1520 A->K h=34 usd=400
total h=70 usd=400 borders=0 gauge_changes=0 transshipments=0",
        ),
    ];
    for (from, to, expect) in cases {
        check(BACKLOG, from, to, |_, _| {}, expect);
    }
    // The simulation draws the backlog per sailing, in its direction only: westbound one
    // sailing in four is held for weeks (the P90 in the held regime), eastbound only by storms.
    let net = fixture::parse(BACKLOG);
    let graph = Graph::compile(&net);
    let router = Router::new(&net, &graph);
    let at = |c: &str| net.location_by_code(c).unwrap();
    let sim = |a: &str, b: &str| {
        let route = router.route(&RouteRequest::new(&net.defaults, at(a), at(b))).expect("route");
        corridor_search::simulate(&net, &graph, &route, 20_000, 7)
    };
    let (west, east) = (sim("K", "A"), sim("A", "K"));
    assert!((west.mean_h - 178.0).abs() < 6.0, "westbound mean {} h, expected 178", west.mean_h);
    assert!((east.mean_h - 70.0).abs() < 3.0, "eastbound mean {} h, expected 70", east.mean_h);
    assert!(west.p90_h > 34.0 + 300.0 && east.p90_h < 34.0 + 200.0, "P90 {} / {} h", west.p90_h, east.p90_h);
}

/// Munich–Verona over the Brenner runs through Austria; the Gotthard way through Switzerland
/// is dearer.
const TRANSIT: &str = "
locations:
  M DE rail1435
  Z CH rail1435
  V IT rail1435
links:
  M-V rail1435 km=415 h=20 usd=100 transit=AT
  M-Z rail1435 km=330 h=18 usd=90
  Z-V rail1435 km=300 h=15 usd=90
";

#[test]
fn a_link_through_a_third_country_is_avoided_with_it_and_listed() {
    let net = fixture::parse(TRANSIT);
    let graph = Graph::compile(&net);
    let router = Router::new(&net, &graph);
    let (m, v) = (net.location_by_code("M").unwrap(), net.location_by_code("V").unwrap());
    let mut req = RouteRequest::new(&net.defaults, m, v);
    req.optimize = Optimize::Cost;
    let brenner = router.route(&req).unwrap();
    assert_eq!(brenner.countries, ["DE", "AT", "IT"]);
    // Back the other way, the countries in travel order.
    let back = router.route(&RouteRequest::new(&net.defaults, v, m)).unwrap();
    assert_eq!(back.countries, ["IT", "AT", "DE"]);
    // Avoiding Austria avoids the line through it.
    req.avoid.countries.push("AT".into());
    let gotthard = router.route(&req).unwrap();
    assert_eq!(gotthard.countries, ["DE", "CH", "IT"]);
    // And a transit country that cuts every connection is named like any other.
    req.avoid.countries.push("CH".into());
    let err = router.route(&req).unwrap_err().to_string();
    assert!(err.contains("avoided country"), "{err}");
}

/// Two crossings into Kazakhstan: H clears expresses in 16 h and regular trains in 92 h, D
/// clears every train in 40 h.
const TWO_CROSSINGS: &str = "
locations:
  X CN rail1435
  H KZ rail1435
  D KZ rail1435
  T KZ rail1435
links:
  X-H rail1435 km=100 h=10 usd=100
  X-D rail1435 km=150 h=15 usd=100
  H-T rail1435 km=100 h=10 usd=100
  D-T rail1435 km=100 h=10 usd=100
borders:
  X-H h=16 usd=50 regular=92
  X-D h=40 usd=50
";

#[test]
fn a_regular_train_is_timed_by_the_crossings_regular_figures() {
    let time = |traffic| {
        move |_: &Network, r: &mut RouteRequest| {
            r.optimize = Optimize::Time;
            r.traffic = traffic;
        }
    };
    // The express takes H's own figure; a regular train would wait 92 h at H, so it goes round
    // by D (40 h for every train).
    for (traffic, expect) in [
        (
            corridor_model::Traffic::Express,
            "rail rail1435 X->H h=10 usd=100
border X-H at H h=16 usd=50
rail rail1435 H->T h=10 usd=100
total h=36 usd=250 borders=1 gauge_changes=0 transshipments=0",
        ),
        (
            corridor_model::Traffic::Regular,
            "rail rail1435 X->D h=15 usd=100
border X-D at D h=40 usd=50
rail rail1435 D->T h=10 usd=100
total h=65 usd=250 borders=1 gauge_changes=0 transshipments=0",
        ),
    ] {
        check(TWO_CROSSINGS, "X", "T", time(traffic), expect);
    }
    // Kept on H, both kinds take the same path and differ in the crossing's distribution.
    let net = fixture::parse(TWO_CROSSINGS);
    let graph = Graph::compile(&net);
    let router = Router::new(&net, &graph);
    let mut req =
        RouteRequest::new(&net.defaults, net.location_by_code("X").expect("X"), net.location_by_code("T").expect("T"));
    req.optimize = Optimize::Time;
    req.avoid.borders.push("X-D".into());
    req.traffic = corridor_model::Traffic::Regular;
    let regular = router.route(&req).expect("route by H");
    req.traffic = corridor_model::Traffic::Express;
    let express = router.route(&req).expect("route by H");
    assert_eq!(regular.arcs, express.arcs, "the same path");
    // The simulation draws the regular figure's distribution for the regular train: a mean of
    // 92 h with a P90 of 175 h is skewed (a lognormal's median is then about 73 h), against a
    // fixed 16 h for the express. So the medians differ by 57 h, give or take the draws.
    let (r, e) = (router.reliability(&regular, 2000, 42), router.reliability(&express, 2000, 42));
    assert_eq!(e.p50_h, 36.0);
    assert!((45.0..70.0).contains(&(r.p50_h - e.p50_h)), "regular {} h, express {} h", r.p50_h, e.p50_h);
    assert!((r.mean_h - e.mean_h - 76.0).abs() < 8.0, "means: regular {} h, express {} h", r.mean_h, e.mean_h);
}

/// A liner from Jebel Ali (K) calls at an Indian port (M) and sails on to Bangladesh (D); an
/// inland Bangladeshi place (G) is nearer M by road. For a trade ban
/// (`corridor_model::regions::TRADE_BANS`).
const TRADE_BAN: &str = "
locations:
  K AE sea
  M IN sea|road
  D BD sea|road
  G BD road
links:
  K-M sea km=1000 h=40 usd=100 every=168 liner oneway
  M-D sea km=1000 h=40 usd=100 every=168 liner oneway
  M-G road km=100 h=2 usd=50
  D-G road km=400 h=8 usd=500
transfers:
  M sea>road h=1 usd=10
  D sea>road h=1 usd=10
";

#[test]
fn a_trade_ban_forbids_stops_in_the_country_but_not_sailing_past_its_ports() {
    // Without the ban the goods land at M and go on by road.
    check(
        TRADE_BAN,
        "K",
        "G",
        |_, _| {},
        "
wait K-M at K h=84 usd=0
sea sea K->M h=40 usd=100
transfer sea>road at M h=1 usd=10
road road M->G h=2 usd=50
total h=127 usd=160 borders=0 gauge_changes=0 transshipments=1",
    );
    let ban = |_: &Network, r: &mut RouteRequest| r.avoid.trade_banned.push("IN".into());
    // With it they stay aboard past M and land at D.
    check(
        TRADE_BAN,
        "K",
        "G",
        ban,
        "
wait K-M at K h=84 usd=0
sea sea K->D h=80 usd=200
transfer sea>road at D h=1 usd=10
road road D->G h=8 usd=500
total h=173 usd=710 borders=0 gauge_changes=0 transshipments=1",
    );
    check(TRADE_BAN, "K", "M", ban, "error: destination M is excluded by the constraints (trade ban with IN)");
    // Cut the sailing past and the ban is what the diagnosis blames.
    check(
        &TRADE_BAN.replace("  M-D sea km=1000 h=40 usd=100 every=168 liner oneway\n", ""),
        "K",
        "G",
        ban,
        "error: no route from K to G: the trade ban with IN (no stop there) cuts every connection; without it a route exists",
    );
}

/// Kabul (A) trucks to Karachi (K) or to Chabahar (C) for a sailing to India (M), or to
/// Bangladesh (D) past M; an inland Bangladeshi place (G) is nearer M by road. No end is in
/// India or Pakistan, so only the ban's transit clause stops a route through both.
const TRANSIT_BAN: &str = "
locations:
  A AF road
  K PK sea|road
  C IR sea|road
  M IN sea|road
  D BD sea|road
  G BD road
links:
  A-K road km=600 h=12 usd=300
  A-C road km=1500 h=30 usd=600
  K-M sea km=1000 h=40 usd=100 every=168 liner oneway
  M-D sea km=1000 h=40 usd=100 every=168 liner oneway
  C-M sea km=1000 h=40 usd=100 every=168 oneway
  M-G road km=100 h=2 usd=50
  D-G road km=400 h=8 usd=500
transfers:
  K road>sea h=1 usd=10
  C road>sea h=1 usd=10
  M sea>road h=1 usd=10
  D sea>road h=1 usd=10
";

#[test]
fn goods_between_third_countries_pass_through_one_side_of_a_trade_ban_at_most() {
    // Through Karachi and landed in India would cost 470: the best route keeps out of Pakistan
    // (770 through Chabahar) rather than out of India (1,020, landed in Bangladesh).
    check(
        TRANSIT_BAN,
        "A",
        "G",
        |_, _| {},
        "
road road A->C h=30 usd=600
transfer road>sea at C h=1 usd=10
wait C-M at C h=84 usd=0
sea sea C->M h=40 usd=100
transfer sea>road at M h=1 usd=10
road road M->G h=2 usd=50
total h=158 usd=770 borders=0 gauge_changes=0 transshipments=2",
    );
    // Dearer through Chabahar, and keeping out of India wins: past M to D.
    let dear = TRANSIT_BAN.replace("A-C road km=1500 h=30 usd=600", "A-C road km=1500 h=30 usd=1000");
    check(
        &dear,
        "A",
        "G",
        |_, _| {},
        "
road road A->K h=12 usd=300
transfer road>sea at K h=1 usd=10
wait K-M at K h=84 usd=0
sea sea K->D h=80 usd=200
transfer sea>road at D h=1 usd=10
road road D->G h=8 usd=500
total h=186 usd=1020 borders=0 gauge_changes=0 transshipments=2",
    );
    // With neither way round, the ban is the reason.
    let cut =
        TRANSIT_BAN.replace("  A-C road km=1500 h=30 usd=600\n", "").replace("  D-G road km=400 h=8 usd=500\n", "");
    check(
        &cut,
        "A",
        "G",
        |_, _| {},
        "error: no route from A to G: the trade ban between IN and PK (the goods may not pass through both) cuts every connection; without it a route exists",
    );
    // The route says which side it kept out of; the Pareto set and a table keep the ban too.
    let net = fixture::parse(TRANSIT_BAN);
    let graph = Graph::compile(&net);
    let router = Router::new(&net, &graph);
    let id = |c: &str| net.location_by_code(c).expect("fixture location");
    let req = RouteRequest::new(&net.defaults, id("A"), id("G"));
    let route = router.route(&req).expect("a route");
    assert_eq!(route.countries, ["AF", "IR", "IN", "BD"]);
    let kept: Vec<String> = route.transit_bans.iter().map(ToString::to_string).collect();
    assert_eq!(
        kept,
        [
            "Trade ban between IN and PK, transit included: the route makes no stop in PK (no loading, unloading, transshipment or land transit; ships may sail past its ports)"
        ]
    );
    // Through Chabahar at 1,000 and Karachi–Bangladesh are both Pareto-optimal (faster against
    // cheaper); through Karachi and India, faster and cheaper than both, is no option.
    let dear_net = fixture::parse(&dear);
    let dear_graph = Graph::compile(&dear_net);
    let set = Router::new(&dear_net, &dear_graph).pareto(&req).expect("a Pareto set");
    let found: Vec<(Vec<String>, f64, f64, String)> = set
        .iter()
        .map(|r| (r.countries.clone(), r.totals.hours.0, r.totals.usd.0, r.transit_bans[0].avoided.clone()))
        .collect();
    let expect = |c: &[&str], h: f64, usd: f64, kept: &str| {
        (c.iter().map(|s| s.to_string()).collect::<Vec<_>>(), h, usd, kept.to_string())
    };
    assert_eq!(
        found,
        [expect(&["AF", "IR", "IN", "BD"], 158.0, 1170.0, "PK"), expect(&["AF", "PK", "BD"], 186.0, 1020.0, "IN")]
    );
    let cells = router.table(&req, &[id("A")], &[id("G"), id("M")]).expect("a table");
    let countries: Vec<Option<Vec<String>>> = cells.iter().map(|c| c.as_ref().map(|r| r.countries.clone())).collect();
    assert_eq!(
        countries,
        [
            Some(vec!["AF".into(), "IR".into(), "IN".into(), "BD".into()]),
            Some(vec!["AF".into(), "IR".into(), "IN".into()])
        ]
    );
}
