//! Access and egress legs on a small fixture network: one extra location, one-way estimated
//! truck links to the nearest terminals tried together, lifts and borders; and the road
//! reachability rules on the real land-border table.

use corridor_model::{AccessFigures, EmissionFactorId, Graph, LocationId, LocationKind, Mode, Network, fixture};
use corridor_places::Functions;
use corridor_routing::{Endpoint, OutsidePlace, prepare, truck_hours};
use corridor_search::{LegKind, Route, RouteRequest, Router};

/// A: a city with road and rail; B: a rail terminal without road; D: a border station next to
/// the place (never a candidate); C: a terminal filed under Kazakhstan 430 km away.
fn network() -> Network {
    let mut net = fixture::parse(
        "
        locations:
          A CN rail1435|road
          B CN rail1435
          D CN rail1435
          C KZ rail1435|rail1520
        links:
          A-C rail1435 km=4000 h=100 usd=2000
          B-C rail1435 km=3900 h=90 usd=1900
          D-C rail1435 km=3800 h=10 usd=10
        transfers:
          A rail1435>road h=1 usd=10
        ",
    );
    place_at(
        &mut net,
        &[
            ("A", 36.0, 120.0, LocationKind::City),
            ("B", 35.0, 119.0, LocationKind::RailTerminal),
            ("D", 36.2, 120.2, LocationKind::BorderCrossing),
            ("C", 38.0, 116.0, LocationKind::RailTerminal),
        ],
    );
    let road = net.emission_factors.iter().position(|e| e.mode == Mode::Road).unwrap_or(0);
    net.defaults.access =
        Some(AccessFigures { emission_factor: EmissionFactorId::from_index(road), ..fixture::access_figures() });
    net
}

/// Puts the fixture's locations at their positions, each of one kind.
fn place_at(net: &mut Network, rows: &[(&str, f64, f64, LocationKind)]) {
    for &(code, lat, lon, kind) in rows {
        let id = net.location_by_code(code).unwrap();
        let l = &mut net.locations[id.index()];
        (l.lat, l.lon, l.kinds) = (lat, lon, vec![kind]);
    }
}

fn place(lat: f64, lon: f64, country: &str) -> Endpoint {
    Endpoint::Outside(OutsidePlace {
        code: "XXPLC".into(),
        name: "Place".into(),
        country: country.into(),
        lat,
        lon,
        tz: "UTC".into(),
        functions: Functions::CITY,
        alternatives: vec![],
        near: None,
        read_as: None,
    })
}

#[test]
fn an_outside_origin_gets_one_way_estimated_legs_to_the_nearest_terminals() {
    let net = network();
    let c = Endpoint::Core(net.location_by_code("C").unwrap());
    let p = prepare(&net, &place(36.5, 120.5, "CN"), &c).unwrap();
    let n = &*p.network;
    assert_eq!(n.locations.len(), net.locations.len() + 1);
    let a = &p.access[0];
    let names: Vec<&str> = a.candidates.iter().map(|c| n.location(c.terminal).code.as_str()).collect();
    assert_eq!(names, ["A", "B", "C"], "nearest first, the border station left out");
    for (k, c) in a.candidates.iter().enumerate() {
        // A straight line, also to C in Kazakhstan: between two neighbours no post is imposed.
        assert!((c.road_km - 1.13 * c.great_circle_km).abs() < 1e-9);
        assert!(c.posts.is_empty(), "{c:?}");
        let l = &n.links[net.links.len() + k];
        assert!(l.estimated && l.oneway && l.mode == Mode::Road && l.from == p.from && l.to == c.terminal);
    }
    // C is in another country outside a customs union: its leg clears one road border.
    assert_eq!(a.candidates[2].borders, 1);
    assert_eq!(n.borders.len(), net.borders.len() + 1);
    // B did not take trucks: it now has a road platform and a lift at the [access] figures.
    let b = n.location_by_code("B").unwrap();
    assert!(n.location(b).platforms.contains(&corridor_model::Platform::Road));
    let lift = n.transfers.iter().find(|t| t.location == b).unwrap();
    assert_eq!((lift.dwell.mean.0, lift.tariff.usd_teu.unwrap().0), (12.0, 50.0));
    assert!(n.check().is_empty(), "{:?}", n.check());
    // The search starts from all of them at once and marks the first leg as estimated.
    let graph = Graph::compile(n);
    let router = Router::new(n, &graph);
    let r = router.route(&RouteRequest::new(&n.defaults, p.from, p.to)).unwrap();
    assert!(r.legs[0].estimated && matches!(r.legs[0].kind, LegKind::Move { mode: Mode::Road, .. }));
    assert!(r.legs[1..].iter().all(|l| !l.estimated));
    assert!(a.describe(n).starts_with("Place (XXPLC, CN) is not a corridor terminal"));
}

#[test]
fn an_outside_destination_gets_legs_from_the_terminals() {
    let net = network();
    let c = Endpoint::Core(net.location_by_code("C").unwrap());
    let p = prepare(&net, &c, &place(36.5, 120.5, "CN")).unwrap();
    let n = &*p.network;
    let graph = Graph::compile(n);
    let r = Router::new(n, &graph).route(&RouteRequest::new(&n.defaults, p.from, p.to)).unwrap();
    // The last move is the estimated truck leg (a border it crosses is cleared on arrival).
    let last = r.legs.iter().rev().find(|l| matches!(l.kind, LegKind::Move { .. })).unwrap();
    assert!(last.estimated && last.to == p.to, "{:?}", r.legs);
    assert!(n.links[net.links.len()..].iter().all(|l| l.to == p.to && l.oneway));
}

/// An estimated leg is driven and priced as the road links of the place's country: the
/// figures that most km of them carry, each country its own; a country without road links takes
/// the `[access]` figures.
#[test]
fn estimated_legs_take_the_trucks_of_their_country() {
    let mut net = fixture::parse(
        "
        locations:
          A CN rail1435|road
          E CN road
          F CN road
          C KZ rail1435|rail1520|road
          G KZ road
        links:
          A-E road km=500 h=20 drive=50 daily=12
          E-F road km=100 h=1.5 drive=80 daily=20
          C-G road km=300 h=18 drive=40 daily=10
          A-F road km=2000 h=40
          F-E road km=90 h=10 usd=400 drive=30 daily=5
          A-C rail1435 km=4000 h=100 usd=2000
        ",
    );
    // Rates per km (the fixture's `usd` is a lump sum, as on F-E, which does not count).
    for (l, rate) in net.links.iter_mut().zip([0.8, 0.9, 2.0, 3.0]) {
        l.tariff = corridor_model::Tariff { usd_teu_km: Some(rate), ..Default::default() };
    }
    place_at(
        &mut net,
        &[
            ("A", 36.0, 120.0, LocationKind::City),
            ("E", 36.0, 124.0, LocationKind::City),
            ("F", 37.0, 124.0, LocationKind::City),
            ("C", 38.0, 116.0, LocationKind::RailTerminal),
            ("G", 38.5, 116.0, LocationKind::City),
        ],
    );
    let mut base = network().defaults.access.unwrap();
    // Declared trucks: Japan's (no road link) apply; China's lose to its road links.
    let declared = |kmh: f64, rate: f64| corridor_model::Trucks {
        driving_kmh: kmh,
        daily_driving_h: 9.0,
        price: corridor_model::Tariff { usd_teu_km: Some(rate), ..Default::default() },
        time_sources: Vec::new(),
        cost_sources: Vec::new(),
    };
    base.declared = [("JP".to_owned(), declared(55.0, 4.45)), ("CN".to_owned(), declared(70.0, 9.0))].into();
    net.defaults.access = Some(base);
    net.refresh_access_trucks();
    let f = net.defaults.access.as_ref().unwrap();
    // China: the 500 km at 50 km/h x 12 h and USD 0.80/km outweigh the 100 km at 80 km/h; the
    // 2,000 km link has no drivers' rule and the lump-sum one no rate: neither counts.
    let cn = f.trucks("CN");
    assert!((cn.driving_kmh - 50.0).abs() < 1e-9 && cn.daily_driving_h == 12.0, "{cn:?}");
    assert!((cn.price.usd_teu_km.unwrap() - 0.8).abs() < 1e-12, "{cn:?}");
    let kz = f.trucks("KZ");
    assert!((kz.driving_kmh - 40.0).abs() < 1e-9 && kz.daily_driving_h == 10.0, "{kz:?}");
    // Japan has no road link: its declared figures; Korea, neither: the [access] figures
    // (60 km/h, 9 h, USD 1/km).
    let jp = f.trucks("JP");
    assert_eq!((jp.driving_kmh, jp.daily_driving_h, jp.price.usd_teu_km), (55.0, 9.0, Some(4.45)));
    let kr = f.trucks("KR");
    assert_eq!((kr.driving_kmh, kr.daily_driving_h, kr.price.usd_teu_km), (60.0, 9.0, Some(1.0)));
    // A place in China 60-odd km from A: its leg to A is timed and priced as China's trucks.
    let c = Endpoint::Core(net.location_by_code("C").unwrap());
    let p = prepare(&net, &place(36.5, 120.5, "CN"), &c).unwrap();
    let n = &*p.network;
    let to_a = p.access[0].candidates.iter().position(|c| n.location(c.terminal).code == "A").unwrap();
    let cand = &p.access[0].candidates[to_a];
    assert!((cand.hours - truck_hours(cand.road_km, 50.0, 12.0)).abs() < 1e-9, "{cand:?}");
    let leg = &n.links[net.links.len() + to_a];
    assert_eq!(leg.tariff.usd_teu_km, Some(0.8));
    // The same place filed under Kazakhstan would take Kazakhstan's.
    let p = prepare(&net, &place(36.5, 120.5, "KZ"), &c).unwrap();
    assert!(!p.access[0].candidates.is_empty());
    for (k, cand) in p.access[0].candidates.iter().enumerate() {
        assert!((cand.hours - truck_hours(cand.road_km, 40.0, 10.0)).abs() < 1e-9, "{cand:?}");
        assert_eq!(p.network.links[net.links.len() + k].tariff.usd_teu_km, Some(2.0));
    }
}

#[test]
fn places_out_of_reach_and_core_endpoints() {
    let net = network();
    let c = Endpoint::Core(net.location_by_code("C").unwrap());
    // Too far from every terminal: refused with the nearest named.
    let e = prepare(&net, &place(10.0, 10.0, "CN"), &c).unwrap_err().to_string();
    assert!(e.contains("no terminal is reachable") && e.contains("nearest terminals: "), "{e}");
    // An island: no road to the mainland's terminals, however near.
    let e = prepare(&net, &place(36.2, 120.6, "JP"), &c).unwrap_err().to_string();
    assert!(e.contains("no terminal is reachable"), "{e}");
    // Both ends in the core: the network is borrowed unchanged.
    let a = Endpoint::Core(net.location_by_code("A").unwrap());
    let p = prepare(&net, &a, &c).unwrap();
    assert!(matches!(p.network, std::borrow::Cow::Borrowed(_)) && p.access.is_empty());
    // The same outside place at both ends.
    assert!(prepare(&net, &place(36.5, 120.5, "CN"), &place(36.5, 120.5, "CN")).is_err());
    // Without [access] figures, an outside place is refused.
    let mut bare = network();
    bare.defaults.access = None;
    assert!(prepare(&bare, &place(36.5, 120.5, "CN"), &c).unwrap_err().to_string().contains("no [access] figures"));
}

#[test]
fn truck_hours_rest_after_each_days_driving() {
    assert_eq!(truck_hours(540.0, 60.0, 9.0), 9.0);
    assert_eq!(truck_hours(600.0, 60.0, 9.0), 10.0 + 15.0);
    assert_eq!(truck_hours(1200.0, 60.0, 9.0), 20.0 + 30.0);
    assert_eq!(truck_hours(0.0, 60.0, 9.0), 0.0);
}

#[test]
fn road_paths_over_open_land_borders() {
    use corridor_routing::access::road_path;
    assert_eq!(road_path("CN", "CN").unwrap(), ["CN"]);
    assert_eq!(road_path("CN", "KZ").unwrap(), ["CN", "KZ"]);
    assert_eq!(road_path("ES", "IT").unwrap(), ["ES", "FR", "IT"], "two borders, alphabetical tie-break");
    assert!(road_path("JP", "KR").is_none(), "islands");
    assert!(road_path("AE", "IR").is_none(), "three borders by road around the Gulf");
    // Neighbours with a closed border: no path at all, since the way round a closed border is
    // not the straight line an estimated leg measures (Kharkiv–Belgorod came out 82 km by Poland).
    assert_eq!(road_path("IN", "PK"), None, "Attari–Wagah is closed to trade");
    assert_eq!(road_path("AM", "TR"), None, "closed since 1993");
    assert_eq!(road_path("FI", "RU"), None, "Finland closed its road crossings in Nov 2023");
    assert_eq!(road_path("UA", "RU"), None, "closed since February 2022, not by Poland");
    assert_eq!(road_path("DZ", "MA"), None, "closed since 1994, not by Western Sahara");
    assert_eq!(road_path("LB", "EG"), None, "Beirut reached Egypt 'by road' through Israel");
    assert_eq!(road_path("SY", "IL"), None, "Quneitra serves UN observers only");
    assert_eq!(road_path("SY", "EG"), None, "Damascus reached Egypt 'by road' through Israel");
    assert_eq!(road_path("SY", "JO").unwrap(), ["SY", "JO"], "Nasib–Jaber is open");
    assert_eq!(road_path("MY", "SG").unwrap(), ["MY", "SG"], "the causeway Natural Earth misses");
    assert_eq!(road_path("BH", "SA").unwrap(), ["BH", "SA"], "the King Fahd Causeway");
    assert_eq!(road_path("JP", "KR"), None, "island countries (regions::ROAD_ISLANDS)");
    assert_eq!(road_path("ID", "MY").unwrap(), ["ID", "MY"], "on Borneo (regions::ISLAND_BORDERS)");
}

/// Southern India's terminals are ports that no road or rail link of the network reaches (the
/// OSM graphs stop at 20° N): a place there was offered only them, so even a trip to a city up
/// country sailed round the coast. The nearest terminal on the land network is offered as well.
#[test]
fn a_place_among_ports_off_the_land_network_also_reaches_it() {
    let net = crate::network();
    let on_land = |id: LocationId| {
        net.links.iter().any(|l| (l.from == id || l.to == id) && matches!(l.mode, Mode::Road | Mode::Rail))
    };
    // Madurai: Thoothukudi, Kochi, Thiruvananthapuram, Chennai, Mangaluru, ... are all ports
    // off the land network.
    let offered = corridor_routing::access::reachable_terminals(&net, "IN", 9.92, 78.12);
    let (last, nearest) = offered.split_last().expect("candidates");
    assert_eq!(nearest.len(), corridor_routing::access::MAX_CANDIDATES, "{}", nearest.len());
    assert!(nearest.iter().all(|c| !on_land(c.terminal)), "the nearest six are ports off the land network");
    assert!(on_land(last.terminal) && last.great_circle_km > 900.0, "{}", net.location(last.terminal).name);
    // Where the nearest terminals are on the land network, nothing is added.
    let offered = corridor_routing::access::reachable_terminals(&net, "CN", 36.28, 120.0);
    assert!(offered.len() <= corridor_routing::access::MAX_CANDIDATES && offered.iter().any(|c| on_land(c.terminal)));
}

/// A border that lies on one island of an island country is crossed only between two points of
/// that island (`regions::ISLAND_BORDERS`): Pontianak (Indonesian Borneo) trucks to Kuching;
/// Padang (Sumatra) and Batam (across the Singapore Strait) reach no Malaysian terminal;
/// Dundalk reaches Belfast by road, Dublin nothing on Great Britain.
#[test]
fn island_borders_are_crossed_on_their_island() {
    let net = crate::network();
    let codes = |country: &str, lat: f64, lon: f64| -> Vec<(String, String)> {
        corridor_routing::access::reachable_terminals(&net, country, lat, lon)
            .iter()
            .map(|c| {
                let l = net.location(c.terminal);
                (l.code.clone(), l.country.clone())
            })
            .collect()
    };
    let pontianak = codes("ID", -0.03, 109.33);
    assert!(pontianak.iter().any(|(c, _)| c == "MYKCH"), "Pontianak: {pontianak:?}");
    for (name, lat, lon) in [("Padang", -0.95, 100.35), ("Batam", 1.08, 104.03), ("Dumai", 1.67, 101.45)] {
        let got = codes("ID", lat, lon);
        assert!(!got.iter().any(|(_, country)| country != "ID"), "{name}: {got:?}");
    }
    // Ireland: Belfast (GN2655984) by road, nothing on Great Britain (Manchester, Cairnryan).
    let dundalk = codes("IE", 54.00, -6.40);
    assert!(dundalk.iter().any(|(c, _)| c == "GN2655984"), "Dundalk: {dundalk:?}");
    let dublin = codes("IE", 53.35, -6.26);
    assert!(dublin.iter().all(|(c, _)| !["GBMNC", "GBCYN"].contains(&c.as_str())), "Dublin: {dublin:?}");
}

/// An estimated truck leg is a straight line times the detour factor: where the line crosses a
/// sea it turns at the coast, and across a gulf that no short way round closes it is no leg.
/// Nampo, North Korea: Benxi, by land through Dandong, 316 km; Dalian, 330 km across Korea Bay,
/// round its coast; Weihai, 319 km across the Yellow Sea, none.
#[test]
fn estimated_legs_do_not_cross_a_gulf() {
    let net = crate::network();
    let offered = corridor_routing::access::reachable_terminals(&net, "KP", 38.74, 125.41);
    let code = |c: &corridor_routing::Candidate| net.location(c.terminal).code.clone();
    assert_eq!(
        offered.first().map(code).as_deref(),
        Some("CNBXS"),
        "{:?}",
        offered.iter().map(code).collect::<Vec<_>>()
    );
    assert!(offered[0].turns.is_empty() && offered[0].line_km == offered[0].great_circle_km);
    assert!(!offered.iter().any(|c| code(c) == "CNWEI"), "Weihai across the Yellow Sea");
    let dalian = offered.iter().find(|c| code(c) == "CNDAL").expect("Dalian, round Korea Bay");
    assert!(!dalian.turns.is_empty() && dalian.line_km > 1.2 * dalian.great_circle_km, "{dalian:?}");
    assert!((dalian.road_km - 1.13 * dalian.line_km).abs() < 1e-9);
}

/// An estimated leg through a third country crosses its borders outside a customs union at
/// known road posts where the curated list has posts between the two countries. Khorugh (Tajikistan): Gilgit, in Pakistan,
/// lies 300 km away over the Hindu Kush and Afghanistan's Wakhan, where no road crosses; by the
/// posts (Torkham, Sher Khan Bandar) the line is over 1,000 km, so Dushanbe is the nearer truck.
/// Before, Zaida (Pakistan) to Khorugh trucked 341 km from Gilgit "through Afghanistan".
#[test]
fn estimated_legs_cross_borders_at_known_posts() {
    let net = crate::network();
    let offered = corridor_routing::access::reachable_terminals(&net, "TJ", 37.4896, 71.5531);
    let code = |c: &corridor_routing::Candidate| net.location(c.terminal).code.clone();
    let g = offered.iter().find(|c| code(c) == "PKGIL").expect("Gilgit, among the six nearest by great circle");
    assert_eq!(g.countries, ["TJ", "AF", "PK"], "{g:?}");
    assert_eq!(g.posts.len(), 2, "{g:?}");
    assert!(g.line_km > 1000.0 && g.turns.len() >= 2, "{g:?}");
    let dushanbe = offered.iter().find(|c| code(c) == "TJDYU").expect("Dushanbe");
    assert!(dushanbe.posts.is_empty() && dushanbe.turns.is_empty(), "{dushanbe:?}");
    assert!(g.road_km > dushanbe.road_km, "{offered:?}");
}

/// A town no road joins to the rest of its country (`regions::ROADLESS`) gets no estimated truck
/// leg out, and none comes in: Norilsk trucked 1,272 km "to Surgut" across the tundra. The
/// refusal says why. Vorkuta, on the Pechora railway, is a rail node; Vorgashor, in its ring of
/// mining towns, trucks to it, and only to it.
#[test]
fn no_estimated_truck_leaves_a_town_no_road_reaches() {
    let net = crate::network();
    let norilsk = place(69.35, 88.20, "RU");
    let moscow = Endpoint::Core(net.location_by_code("RUMOW").unwrap());
    let err = prepare(&net, &norilsk, &moscow).expect_err("no truck out of Norilsk");
    let text = err.to_string();
    assert!(text.contains("it lies in the Norilsk industrial district, where no road leads out"), "{text}");
    assert!(corridor_routing::access::reachable_terminals(&net, "RU", 69.35, 88.20).is_empty());
    let code = |c: &corridor_routing::Candidate| net.location(c.terminal).code.clone();
    let vorgashor: Vec<String> =
        corridor_routing::access::reachable_terminals(&net, "RU", 67.58, 63.79).iter().map(code).collect();
    assert_eq!(vorgashor, ["RUVKT"], "Vorgashor trucks to Vorkuta only");
    // Outside the circles nothing changes: Ukhta, 350 km south, trucks to its usual terminals.
    assert!(!corridor_routing::access::reachable_terminals(&net, "RU", 63.57, 53.69).is_empty());
}

/// Between neighbours whose every open road crossing is a curated post
/// (`regions::ROAD_POSTS_ONLY`), an estimated leg runs by the posts too. Sochi (Russia) to
/// Samtredia (Georgia): 270 km in a straight line through Abkhazia, whose crossing into Georgia
/// proper is closed; by Verkhny Lars, the only open crossing, the line is over 600 km. Before,
/// the leg ran straight, "1 road border", 301 km. Between other neighbours the line stays
/// straight (Kazakhstan to Kyrgyzstan, whose posts the list holds a few of).
#[test]
fn estimated_legs_between_neighbours_with_one_open_crossing_run_by_it() {
    let net = crate::network();
    let code = |c: &corridor_routing::Candidate| net.location(c.terminal).code.clone();
    let offered = corridor_routing::access::reachable_terminals(&net, "RU", 43.60, 39.73);
    let s = offered.iter().find(|c| code(c) == "GESTD").expect("Samtredia, among the nearest by great circle");
    assert_eq!(s.countries, ["RU", "GE"], "{s:?}");
    assert!(!s.posts.is_empty(), "by a post: {s:?}");
    assert!(s.line_km > 600.0 && s.line_km > 2.0 * s.great_circle_km, "{s:?}");
    // Almaty's oblast to Bishkek: neighbours not in the list, a straight line.
    let offered = corridor_routing::access::reachable_terminals(&net, "KZ", 43.1, 74.7);
    let bishkek = offered.iter().find(|c| code(c) == "KGFRU").expect("Bishkek");
    assert!(bishkek.posts.is_empty() && bishkek.turns.is_empty(), "{bishkek:?}");
}

/// P and Q: seaports whose country's roads the network lacks (Yangon, Laem Chabang), joined by
/// sea only (Q has no road platform at all, as a port of a user's dataset may not); A: a city by
/// P with rail to C. Q lies at (`q_lat`, `q_lon`): at sea, or on the coast within a truck's reach.
fn sea_only_ports(q_lat: f64, q_lon: f64) -> Network {
    let mut net = fixture::parse(
        "
        locations:
          A CN rail1435|road
          P CN sea|road
          Q CN sea
          C KZ rail1435
        links:
          A-C rail1435 km=4000 h=100 usd=2000
          P-Q sea km=1000 h=50 usd=100
        transfers:
          A rail1435>road h=1 usd=10
        ",
    );
    place_at(
        &mut net,
        &[
            ("A", 36.0, 120.0, LocationKind::City),
            ("P", 36.1, 120.1, LocationKind::Seaport),
            ("Q", q_lat, q_lon, LocationKind::Seaport),
            ("C", 38.0, 116.0, LocationKind::RailTerminal),
        ],
    );
    net.defaults.access = network().defaults.access;
    net
}

#[test]
fn a_core_port_with_no_road_or_rail_gets_estimated_legs_too() {
    // P: a seaport whose country's roads the network lacks (Yangon, Laem Chabang): only a sea
    // link. A route from it to C, reached only by rail from A 15 km away, takes a truck to A.
    let net = sea_only_ports(30.0, 122.0);
    let (p, c) = (net.location_by_code("P").unwrap(), net.location_by_code("C").unwrap());
    let prepared = prepare(&net, &Endpoint::Core(p), &Endpoint::Core(c)).unwrap();
    assert!(prepared.access.is_empty(), "a core end is no outside place");
    let legs: Vec<_> = prepared
        .network
        .links
        .iter()
        .filter(|l| l.estimated)
        .map(|l| prepared.network.location(l.to).code.clone())
        .collect();
    assert_eq!(legs, ["A", "C"], "one-way legs from P to the terminals within reach, not to itself");
    let graph = Graph::compile(&prepared.network);
    let route = Router::new(&prepared.network, &graph)
        .route(&RouteRequest::new(&prepared.network.defaults, prepared.from, prepared.to))
        .unwrap();
    let first = &route.legs[0];
    assert!(matches!(first.kind, LegKind::Move { mode: Mode::Road, .. }) && first.estimated, "{first:?}");
    // Towards it as destination, the legs run the other way.
    let back = prepare(&net, &Endpoint::Core(c), &Endpoint::Core(p)).unwrap();
    let into: Vec<_> = back.network.links.iter().filter(|l| l.estimated).map(|l| l.to).collect();
    assert!(!into.is_empty() && into.iter().all(|&t| t == p), "{into:?}");
    // Without the sea-only port, nothing changes: A has its rail link.
    let a = net.location_by_code("A").unwrap();
    assert!(matches!(
        prepare(&net, &Endpoint::Core(a), &Endpoint::Core(c)).unwrap().network,
        std::borrow::Cow::Borrowed(_)
    ));
}

#[test]
fn a_table_gives_a_sea_only_port_the_legs_its_route_takes() {
    // P and Q: seaports joined by sea only; A a city with rail to C. Every cell of a table must
    // be the route its pair gets alone (the oracle: prepare, then route), legs and all: from P
    // the truck to A, to P the truck from A, between P and Q by sea or by truck, and never a leg
    // of another cell's end.
    let net = sea_only_ports(33.0, 121.0);
    let id = |c: &str| net.location_by_code(c).unwrap();
    let ends: Vec<LocationId> = ["P", "A", "Q", "C"].iter().map(|c| id(c)).collect();
    let graph = Graph::compile(&net);
    let router = Router::new(&net, &graph);
    let req = RouteRequest::new(&net.defaults, ends[0], ends[1]);
    let cells = corridor_routing::access::table(&router, &req, &ends, &ends).unwrap();
    let mut with_legs = 0;
    for (k, cell) in cells.iter().enumerate() {
        let (s, t) = (ends[k / ends.len()], ends[k % ends.len()]);
        let alone = (s != t).then(|| {
            let p = prepare(&net, &Endpoint::Core(s), &Endpoint::Core(t)).unwrap();
            let g = Graph::compile(&p.network);
            Router::new(&p.network, &g).route(&RouteRequest { from: p.from, to: p.to, ..req.clone() }).ok()
        });
        let totals = |r: &Route| (r.totals.hours.0, r.totals.usd.0);
        assert_eq!(
            cell.as_ref().map(totals),
            alone.flatten().as_ref().map(totals),
            "{} to {}",
            net.location(s).code,
            net.location(t).code
        );
        with_legs += usize::from(cell.as_ref().is_some_and(|r| r.legs.iter().any(|l| l.estimated)));
    }
    // P to C and C's... every cell from or to P or Q but P–Q itself goes by truck.
    assert!(with_legs >= 6, "{with_legs} cells with a truck leg");
    // The plain table knows no truck: P to C has no route on the core.
    let plain = router.table(&req, &ends, &ends).unwrap();
    assert!(plain[3].is_none() && cells[3].is_some(), "P to C");
}

/// Two outside places near each other: a truck drives straight from one to the other. Formby
/// and Maghull, 10 km apart by Liverpool, were joined only through Manchester (116 km of road).
/// Places farther apart than `[access] max_km` get no direct leg.
#[test]
fn two_outside_places_get_a_direct_truck_leg() {
    let net = crate::network();
    let resolver = corridor_routing::Resolver::new(&net);
    let end = |q: &str| resolver.resolve(q).unwrap().endpoint;
    let p = prepare(&net, &end("Formby, GB"), &end("Maghull, GB")).unwrap();
    let direct = p.access[0].direct.as_ref().expect("a direct leg");
    assert_eq!(direct.terminal, p.to);
    assert!(direct.great_circle_km < 12.0 && direct.borders == 0, "{direct:?}");
    assert!(p.access[0].describe(&p.network).ends_with("; and a truck leg straight to Maghull (10 km)"));
    assert!(p.access[1].direct.is_none());
    let graph = Graph::compile(&p.network);
    let r = Router::new(&p.network, &graph).route(&RouteRequest::new(&p.network.defaults, p.from, p.to)).unwrap();
    let moves: Vec<_> = r.legs.iter().filter(|l| matches!(l.kind, LegKind::Move { .. })).collect();
    assert_eq!(moves.len(), 1, "{:?}", r.legs);
    assert!(moves[0].estimated && moves[0].km.0 < 15.0, "{:?}", moves[0]);
    // Beyond max_km (1,450 km): none.
    let p = prepare(&net, &end("Salamanca"), &end("Jiaozhou")).unwrap();
    assert!(p.access.iter().all(|a| a.direct.is_none()));
}

#[test]
fn a_place_says_which_nearer_terminals_no_truck_reaches() {
    // Bandar Lampung, on Sumatra: Tanjung Priok lies 194 km away across the Sunda Strait (a
    // ferry the network lacks), so the truck goes to Belawan (1,257 km great-circle); its note says
    // why.
    let net = crate::network();
    let resolver = corridor_routing::Resolver::new(&net);
    let end = |q: &str| resolver.resolve(q).unwrap().endpoint;
    let priok = Endpoint::Core(net.location_by_code("IDTPP").unwrap());
    let p = prepare(&net, &end("Bandar Lampung"), &priok).unwrap();
    let a = &p.access[0];
    let unreached: Vec<(String, i64)> =
        a.unreached.iter().map(|&(id, d)| (net.location(id).code.clone(), d.round() as i64)).collect();
    assert_eq!(unreached, [("IDTPP".to_string(), 194), ("IDSRG".to_string(), 596)]);
    assert!(
        a.describe(&p.network).ends_with(
            "; nearer terminals that no truck leg reaches (across the sea, with no ferry in the network, or a closed border): Tanjung Priok 194 km, Semarang 596 km"
        ),
        "{}",
        a.describe(&p.network)
    );
    // Rizhao's nearest terminals are all offered: nothing to say.
    let p = prepare(&net, &end("Rizhao"), &priok).unwrap();
    assert!(p.access[0].unreached.is_empty() && !p.access[0].describe(&p.network).contains("nearer"));
}
