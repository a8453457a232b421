//! The one query type: capabilities per backend, range checks, errors in both spellings, and
//! the core request it builds.

use corridor_routing::{Backend, Param, Query};

fn q() -> Query {
    Query { from: "Xi'an".into(), to: "Duisburg".into(), ..Query::default() }
}

#[test]
fn every_parameter_is_honoured_or_refused_with_a_reason_on_each_backend() {
    let expect_refused = |b: Backend| -> Vec<Param> {
        use Param::*;
        match b {
            Backend::Core => vec![Snap, SnapKm, SpeedKmh, UsdPerTkm],
            Backend::Detailed => vec![
                Traffic,
                AvoidLocation,
                AvoidBorder,
                Via,
                Corridor,
                Depart,
                LatestArrival,
                MaxTransshipments,
                Samples,
                Seed,
            ],
            Backend::Combined => vec![AvoidLocation, AvoidBorder, Via, Corridor, LatestArrival, MaxTransshipments],
        }
    };
    for b in [Backend::Core, Backend::Detailed, Backend::Combined] {
        let refused: Vec<Param> = Param::ALL.into_iter().filter(|&p| b.refuses(p).is_some()).collect();
        let mut want = expect_refused(b);
        want.sort();
        assert_eq!(refused, want, "{b:?}");
        assert_eq!(b.supported().len() + refused.len(), Param::ALL.len());
    }
    // A refused parameter given in a query: the error names it in both spellings.
    let e = Query { corridor: Some("middle".into()), ..q() }.check(Backend::Detailed).unwrap_err();
    assert!(e.cli().starts_with("--corridor: not supported on this backend"), "{}", e.cli());
    assert!(e.api().starts_with("corridor: not supported"), "{}", e.api());
    assert!(e.refused, "a refusal is about the parameter, not its value");
    assert!(Query { corridor: Some("middle".into()), ..q() }.check(Backend::Core).is_ok());
}

/// Places to pass through: resolved on the network in order, each fault naming its entry; and
/// refused with a limit over the whole route, which stretches searched one by one cannot keep.
#[test]
fn via_places_resolve_in_order_and_refuse_whole_route_limits() {
    let net = crate::network();
    let (from, to) = (net.location_by_code("CNZGZ").unwrap(), net.location_by_code("DEHAM").unwrap());
    let via = |names: &[&str]| Query { via: names.iter().map(|s| s.to_string()).collect(), ..q() };
    let ub = net.location_by_code("MNULN").unwrap();
    assert_eq!(via(&["Ulaanbaatar", "Moscow"]).via_locations(&net, from, to).unwrap()[0], ub);
    let err = |names: &[&str]| via(names).via_locations(&net, from, to).unwrap_err().cli();
    assert_eq!(err(&["Moscow", "Zhengzhou"]), "--via Zhengzhou (item 2): is the origin of the route");
    assert_eq!(err(&["Moscow", "Moscow"]), "--via Moscow (item 2): repeats the place before it");
    assert!(err(&["Atlantis"]).starts_with("--via Atlantis (item 1): unknown place"), "{}", err(&["Atlantis"]));
    let e = Query { avoid_locations: vec!["Moscow".into()], ..via(&["Moscow"]) }.via_locations(&net, from, to);
    assert_eq!(e.unwrap_err().api(), "via[0] Moscow: is also a location to avoid");
    for (q, limit) in [
        (Query { depart: Some("2026-12-01T08:00".into()), ..via(&["Moscow"]) }, "depart"),
        (Query { latest_arrival: Some("2026-12-30T08:00".into()), ..via(&["Moscow"]) }, "latest_arrival"),
        (Query { max_transshipments: Some(3), ..via(&["Moscow"]) }, "max_transshipments"),
        (Query { avoid_gauge_changes: true, ..via(&["Moscow"]) }, "avoid_gauge_changes"),
    ] {
        let e = q.check(Backend::Core).unwrap_err();
        assert!(e.refused && e.api().starts_with(&format!("via: not combined with {limit}")), "{}", e.api());
    }
    let nine = via(&["a", "b", "c", "d", "e", "f", "g", "h", "i"]).check(Backend::Core).unwrap_err();
    assert_eq!(nine.api(), "via 9: places to pass through: at most 8");
    assert!(via(&["Moscow"]).check(Backend::Core).is_ok());
}

#[test]
fn values_are_range_checked_with_parameter_value_and_index() {
    let bad = [
        Query { payload_t: Some(f64::NAN), ..q() },
        Query { payload_t: Some(31.0), ..q() },
        Query { value_of_time: Some(-1.0), ..q() },
        Query { carbon_price: Some(f64::INFINITY), ..q() },
        Query { samples: Some(0), ..q() },
        Query { snap_km: Some(0.0), ..q() },
        Query { speed_kmh: Some(0.0), ..q() },
        Query { usd_per_tkm: Some(1e300), ..q() },
        Query { snap: Some("air".into()), ..q() },
    ];
    for b in bad {
        let backend = if b.snap_km.is_some() || b.speed_kmh.is_some() || b.usd_per_tkm.is_some() || b.snap.is_some() {
            Backend::Detailed
        } else {
            Backend::Core
        };
        assert!(b.check(backend).is_err(), "{b:?}");
    }
    let e = Query { avoid_countries: vec!["RU".into(), "Russia".into()], ..q() }.check(Backend::Core).unwrap_err();
    assert_eq!(e.api(), "avoid_country[1] Russia: expected an ISO 3166-1 alpha-2 code such as RU");
    assert_eq!(e.cli(), "--avoid-country Russia (item 2): expected an ISO 3166-1 alpha-2 code such as RU");
    assert!(!e.refused);
    let e = Query { avoid_modes: vec!["rail".into(), "air".into()], ..q() }.check(Backend::Core).unwrap_err();
    assert_eq!((e.param, e.index), (Param::AvoidMode, Some(1)));
}

#[test]
fn the_core_request_resolves_lists_and_times_on_the_network() {
    let net = crate::network();
    let (a, b) = (net.location_by_code("CNXIA").unwrap(), net.location_by_code("DEDUI").unwrap());
    let r = Query {
        avoid_countries: vec!["ru".into(), "RU".into()],
        avoid_locations: vec!["Dostyk".into()],
        depart: Some("2026-12-01T08:00".into()),
        ..q()
    }
    .core_request(&net, a, b)
    .unwrap();
    assert_eq!(r.avoid.countries, ["RU"], "upper-cased, deduplicated");
    assert_eq!(r.avoid.locations, [net.location_by_code("KZ-DOSTYK").unwrap()]);
    assert_eq!(r.depart.unwrap().to_string(), "2026-12-01T00:00:00Z", "08:00 in Xi'an is 00:00 UTC");
    let e = Query { avoid_locations: vec!["Jiaozhou".into()], ..q() }.core_request(&net, a, b).unwrap_err();
    assert!(e.cli().starts_with("--avoid-location Jiaozhou (item 1):"), "{}", e.cli());
    let e = Query { avoid_locations: vec!["Duisburg".into()], ..q() }.core_request(&net, a, b).unwrap_err();
    assert_eq!(e.cli(), "--avoid-location Duisburg (item 1): is the destination of the route");
    let e = Query { latest_arrival: Some("2026-12-20T00:00".into()), ..q() }.core_request(&net, a, b).unwrap_err();
    assert_eq!(e.param, Param::LatestArrival);
    assert!(e.refused, "latest_arrival is refused without depart whatever its value");
    let e = Query { corridor: Some("silk".into()), ..q() }.core_request(&net, a, b).unwrap_err();
    assert!(e.api().starts_with("corridor silk: unknown corridor (known: northern"), "{}", e.api());
}

#[test]
fn the_kind_of_train_is_chosen_by_the_route_ends_unless_given() {
    use corridor_model::Traffic;
    let net = crate::network();
    let id = |c: &str| net.location_by_code(c).unwrap();
    let traffic = |q: Query, a: &str, b: &str| q.core_request(&net, id(a), id(b)).unwrap().traffic;
    // China–Central Asia, either way: the regional trains CPMM reports side-tracked at Horgos.
    assert_eq!(traffic(q(), "CNXIA", "UZTAS"), Traffic::Regular);
    assert_eq!(traffic(q(), "UZTAS", "CNXIA"), Traffic::Regular);
    assert_eq!(traffic(q(), "KZALA", "UZTAS"), Traffic::Regular);
    // A train that leaves the region, or only passes through it, is an express.
    assert_eq!(traffic(q(), "CNXIA", "DEDUI"), Traffic::Express);
    assert_eq!(traffic(q(), "CNXIA", "IRTHR"), Traffic::Express);
    assert_eq!(traffic(q(), "CNXIA", "CNSGH"), Traffic::Express);
    // Given, it wins; `auto` is the default.
    let mut given = q();
    given.set(Param::Traffic, "express").unwrap();
    assert_eq!(traffic(given, "CNXIA", "UZTAS"), Traffic::Express);
    let mut given = q();
    given.set(Param::Traffic, " regular ").unwrap();
    assert_eq!(traffic(given, "CNXIA", "DEDUI"), Traffic::Regular);
    let mut auto = q();
    auto.set(Param::Traffic, "auto").unwrap();
    assert_eq!(auto, q(), "auto is the default");
    let e = q().set(Param::Traffic, "wagonload").unwrap_err();
    assert_eq!(e.cli(), "--traffic wagonload: unknown traffic (expected auto, express or regular)");
    // A snapshot's crossings have one figure: the parameter is refused there.
    let e = Query { traffic: Some(Traffic::Regular), ..q() }.check(Backend::Detailed).unwrap_err();
    assert!(e.refused && e.api().starts_with("traffic: not supported on this backend"), "{}", e.api());
}

#[test]
fn a_trade_ban_refuses_the_pair_and_keeps_third_countries_routes_out_of_the_other_side() {
    let net = crate::network();
    let id = |c: &str| net.location_by_code(c).unwrap();
    let e = q().core_request(&net, id("PKKHI"), id("INNSA")).unwrap_err();
    assert_eq!(e.param, Param::To);
    assert!(
        e.cli().starts_with("to INNSA: no route from PK to IN: trade between them is banned (India"),
        "{}",
        e.cli()
    );
    let e = q().core_request(&net, id("INNSA"), id("PKKHI")).unwrap_err();
    assert!(e.cli().contains("no route from IN to PK"), "{}", e.cli());
    let e = q().core_request(&net, id("UAODS"), id("RUNVS")).unwrap_err();
    assert!(e.cli().contains("no route from UA to RU"), "{}", e.cli());
    // The request leaves the rest to the search: no country is avoided up front.
    let r = q().core_request(&net, id("PKKHI"), id("LKCMB")).unwrap();
    assert!(r.avoid.trade_banned.is_empty() && r.avoid.countries.is_empty());
    // From Mumbai to Kabul the goods may not stop in Pakistan (through Karachi or Wagah): the
    // route goes round through Iran, and says why; from Karachi to Colombo the best route stops
    // in no Indian port anyway, and says nothing.
    let graph = corridor_model::Graph::compile(&net);
    let router = corridor_search::Router::new(&net, &graph);
    let route = |a: &str, b: &str| router.route(&q().core_request(&net, id(a), id(b)).unwrap()).unwrap();
    let r = route("INNSA", "AFKBL");
    assert!(!r.countries.contains(&"PK".to_string()), "{:?}", r.countries);
    let notes: Vec<String> = r.transit_bans.iter().map(ToString::to_string).collect();
    assert_eq!(
        notes,
        [
            "Trade ban between IN and PK, transit included: the route makes no stop in PK (no loading, unloading, transshipment or land transit; ships may sail past its ports)"
        ]
    );
    let r = route("PKKHI", "LKCMB");
    assert_eq!(
        (r.countries.as_slice(), r.transit_bans.as_slice()),
        (&["PK".to_string(), "LK".to_string()][..], &[][..])
    );
    assert!(route("CNXIA", "DEDUI").transit_bans.is_empty());
    // Between third countries the goods pass through one side at most: Kabul to Kathmandu
    // reaches landlocked Nepal through India only, so it keeps out of Pakistan (the cheapest
    // way, through Karachi, was a route before the ban's transit clause was kept).
    let resolver = corridor_routing::Resolver::new(&net);
    let kathmandu = resolver.resolve("Kathmandu").unwrap().endpoint;
    let kabul = corridor_routing::Endpoint::Core(id("AFKBL"));
    let prepared = corridor_routing::access::prepare(&net, &kabul, &kathmandu).unwrap();
    let graph = corridor_model::Graph::compile(&prepared.network);
    let router = corridor_search::Router::new(&prepared.network, &graph);
    let r = router.route(&q().core_request(&prepared.network, prepared.from, prepared.to).unwrap()).unwrap();
    assert!(r.countries.contains(&"IN".to_string()) && !r.countries.contains(&"PK".to_string()), "{:?}", r.countries);
    assert_eq!(r.transit_bans, [corridor_search::TransitBan { avoided: "PK".into(), other: "IN".into() }]);
}

#[test]
fn a_table_takes_the_trade_bans_of_each_cells_ends() {
    use corridor_model::Graph;
    use corridor_search::Router;
    let net = crate::network();
    let graph = Graph::compile(&net);
    let router = Router::new(&net, &graph);
    let id = |c: &str| net.location_by_code(c).unwrap();
    let (sources, targets) = ([id("PKKHI"), id("CNSGH")], [id("INNSA"), id("LKCMB"), id("AEJEA")]);
    let req = q().table_request(&net, sources[0], targets[0]).expect("a table request refuses no pair");
    assert!(req.avoid.trade_banned.is_empty());
    let cells = router.table(&req, &sources, &targets).unwrap();
    assert!(cells[0].is_none(), "Karachi to Nhava Sheva: banned");
    for (k, cell) in cells.iter().enumerate().skip(1) {
        let r = cell.as_ref().unwrap_or_else(|| panic!("cell {k}"));
        // Each cell is the route the same pair gets alone.
        let alone = router.route(&q().core_request(&net, r.from, r.to).unwrap()).unwrap();
        assert_eq!(r.totals.usd, alone.totals.usd, "cell {k}");
        if k < 3 {
            assert!(!r.countries.iter().any(|c| c == "IN"), "from Karachi no stop in India: {:?}", r.countries);
        }
    }
}

/// A table cell whose best route lands in a country banned for its ends is searched again: a
/// liner from Karachi (K) calls at an Indian port (M) and sails on to Bangladesh (D), and G lies
/// nearer M by road.
#[test]
fn a_table_cell_that_stops_in_a_banned_country_is_searched_again() {
    use corridor_model::{Graph, fixture};
    use corridor_search::{Optimize, Router};
    let net = fixture::parse(
        "
locations:
  K PK sea
  M IN sea|road
  D BD sea|road
  G BD road
  X CN sea
links:
  K-M sea km=1000 h=40 usd=100 every=168 liner oneway
  M-D sea km=1000 h=40 usd=100 every=168 liner oneway
  X-M sea km=1000 h=40 usd=100
  M-G road km=100 h=2 usd=50
  D-G road km=400 h=8 usd=500
transfers:
  M sea>road h=1 usd=10
  D sea>road h=1 usd=10
",
    );
    let graph = Graph::compile(&net);
    let router = Router::new(&net, &graph);
    let id = |c: &str| net.location_by_code(c).unwrap();
    let mut req = q().table_request(&net, id("K"), id("G")).unwrap();
    req.optimize = Optimize::Cost;
    let (sources, targets) = ([id("K"), id("X")], [id("G"), id("M")]);
    let cells = router.table(&req, &sources, &targets).unwrap();
    let usd: Vec<Option<f64>> = cells.iter().map(|c| c.as_ref().map(|r| r.totals.usd.0)).collect();
    // Through M, K to G would cost 160: it sails past M to D. K to M is refused; X (China)
    // lands at M.
    assert_eq!(usd, [Some(710.0), None, Some(160.0), Some(100.0)]);
}

/// A route through via places keeps a trade ban over its whole length: each stretch alone may
/// touch one side only, yet Kabul (A) through Karachi (K) to an inland Bangladeshi place (G)
/// would land in India (M).
#[test]
fn a_route_through_via_places_passes_through_one_side_of_a_trade_ban_at_most() {
    use corridor_model::{Graph, fixture};
    use corridor_search::{Optimize, Router};
    let net = fixture::parse(
        "
locations:
  A AF road
  K PK sea|road
  M IN sea|road
  D BD sea|road
  G BD road
links:
  A-K road km=600 h=12 usd=300
  K-M sea km=1000 h=40 usd=100 every=168 liner oneway
  M-D sea km=1000 h=40 usd=100 every=168 liner oneway
  M-G road km=100 h=2 usd=50
  D-G road km=400 h=8 usd=500
transfers:
  K road>sea h=1 usd=10
  M sea>road h=1 usd=10
  D sea>road h=1 usd=10
",
    );
    let graph = Graph::compile(&net);
    let router = Router::new(&net, &graph);
    let id = |c: &str| net.location_by_code(c).unwrap();
    let mut req = q().core_request(&net, id("A"), id("G")).unwrap();
    req.optimize = Optimize::Cost;
    let through = |via: &[&str]| {
        let via: Vec<_> = via.iter().map(|c| id(c)).collect();
        corridor_routing::route_via(&router, &req, &via)
            .map(|r| (r.countries, r.totals.usd.0))
            .map_err(|e| e.to_string())
    };
    // Through Karachi the goods stay aboard past India to Bangladesh.
    assert_eq!(through(&["K"]), Ok((vec!["AF".into(), "PK".into(), "BD".into()], 1020.0)));
    // Through Karachi and India there is no allowed route: the stretch that joins them names
    // the ban.
    assert_eq!(
        through(&["K", "M"]).unwrap_err(),
        "no route from K to M: the trade ban between IN and PK (the goods may not pass through both) cuts every connection; without it a route exists"
    );
}
