//! Property test: for a corridor that continues on another, the router's one-Dijkstra answer on
//! the graph x rule automaton equals the best member of the label search's Pareto set (which
//! tracks the same rule as a label resource), on random networks whose links carry the own
//! corridor, the continued one, both or none; and the same for a corridor known by its
//! crossings, on networks of three countries with a border on every link between two.

use corridor_model::*;
use corridor_search::{RouteRequest, Router};
use proptest::prelude::*;

/// A link of a random network: its two places, hours, USD and tag (none, the own corridor, the
/// continued one, or both).
type RandomLink = (usize, usize, u32, u32, u8);

fn network(n: usize, links: &[RandomLink]) -> Network {
    parse(n, links, false)
}

/// [`network`] with place `i` in country `i % 3` and a two-way border on every link between
/// two countries; corridor `m` is known by its crossings.
fn network_with_borders(n: usize, links: &[RandomLink]) -> Network {
    parse(n, links, true)
}

fn parse(n: usize, links: &[RandomLink], borders: bool) -> Network {
    let country = |i: usize| if borders { ["CN", "MN", "KZ"][i % 3] } else { "CN" };
    let mut text = String::from("locations:\n");
    for i in 0..n {
        text += &format!("  L{i} {} rail1435\n", country(i));
    }
    text += if borders { "corridors:\n  t m!>t\nlinks:\n" } else { "corridors:\n  t m>t\nlinks:\n" };
    let mut seen = std::collections::BTreeSet::new();
    let mut crossings = String::from("borders:\n");
    for &(a, b, h, usd, tag) in links {
        // One link per pair of places (fixture codes name the ends).
        if a == b || !seen.insert((a.min(b), a.max(b))) {
            continue;
        }
        let tags = ["", " corridors=t", " corridors=m", " corridors=m|t"][tag as usize];
        text += &format!("  L{a}-L{b} rail1435 km=10 h={h} usd={usd}{tags}\n");
        if country(a) != country(b) {
            crossings += &format!("  L{a}-L{b} h={}\n", h % 7);
        }
    }
    fixture::parse(&(text + &crossings))
}

/// A random network's size and links (ends within it).
fn sized_links() -> impl Strategy<Value = (usize, Vec<RandomLink>)> {
    (3usize..7, prop::collection::vec((0usize..7, 0usize..7, 0u32..40, 0u32..400, 0u8..4), 1..16))
        .prop_map(|(n, links)| (n, links.into_iter().map(|(a, b, h, u, t)| (a % n, b % n, h, u, t)).collect()))
}

/// The first and the last place of a network of `n` places.
fn ends(net: &Network, n: usize) -> (LocationId, LocationId) {
    (net.location_by_code("L0").unwrap(), net.location_by_code(&format!("L{}", n - 1)).unwrap())
}

/// Corridor `m`'s best route from the first to the last place: the one Dijkstra's answer, checked
/// equal to the label search's and accepted by the rule ([`Route::uses_own_link`]); `None` when
/// both find none.
fn rule_route(net: &Network, n: usize) -> Result<Option<corridor_search::Route>, TestCaseError> {
    let graph = Graph::compile(net);
    let router = Router::new(net, &graph);
    let m = net.corridor_by_code("m").unwrap();
    let (from, to) = ends(net, n);
    let req = RouteRequest { corridor: Some(m), ..RouteRequest::new(&net.defaults, from, to) };
    match crate::route_and_label_best(&router, &req) {
        (Some((r, got)), Some(v)) => {
            prop_assert!((got - v).abs() < 1e-6, "{got} vs {v}");
            prop_assert!(r.uses_own_link(net, &graph, m));
            Ok(Some(r))
        }
        (None, None) => Ok(None),
        (a, b) => Err(TestCaseError::fail(format!("route {:?} vs labels {:?}", a.map(|r| r.1), b))),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn one_dijkstra_on_the_rule_automaton_equals_the_label_search((n, links) in sized_links()) {
        rule_route(&network(n, &links), n)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    /// The crossing rule: the one Dijkstra equals the label search, and its route, when it
    /// crosses a border, crosses one on a link of the corridor (checked from the legs, apart from
    /// the automaton).
    #[test]
    fn a_corridor_known_by_its_crossings_crosses_on_its_own_links((n, links) in sized_links()) {
        let net = network_with_borders(n, &links);
        let m = net.corridor_by_code("m").unwrap();
        if let Some(r) = rule_route(&net, n)? {
            let borders: Vec<BorderId> = r
                .legs
                .iter()
                .filter_map(|l| match l.kind { corridor_search::LegKind::Border { border } => Some(border), _ => None })
                .collect();
            prop_assert!(
                borders.is_empty() || borders.iter().any(|&b| net.link(net.borders[b.index()].link).corridors.contains(&m)),
                "crosses only foreign borders: {:?}", borders
            );
        }
    }
}

/// The case the rule is for: the fastest way into the corridor's own country crosses on a line
/// it continues on (Kazakhstan's, for CMREC); the corridor's route takes its own crossing, and
/// a corridor not known by its crossings keeps the faster way.
#[test]
fn the_mongolian_corridor_enters_china_through_mongolia() {
    let text = |mark: &str| {
        format!(
            "locations:\n  BY BY rail1520\n  KZ KZ rail1520\n  MN MN rail1520\n  CN CN rail1520\n  BJ CN rail1520\n\
             corridors:\n  n c{mark}>n\n\
             links:\n  BY-KZ rail1520 km=10 h=10 corridors=n\n  KZ-CN rail1520 km=10 h=10 corridors=n\n\
               BY-MN rail1520 km=10 h=30 corridors=n\n  MN-CN rail1520 km=10 h=10 corridors=c\n\
               CN-BJ rail1520 km=10 h=5 corridors=c\n\
             borders:\n  BY-KZ h=1\n  KZ-CN h=1\n  BY-MN h=1\n  MN-CN h=1\n"
        )
    };
    let countries = |mark: &str| {
        let net = fixture::parse(&text(mark));
        let graph = Graph::compile(&net);
        let c = net.corridor_by_code("c").unwrap();
        let (from, to) = (net.location_by_code("BY").unwrap(), net.location_by_code("BJ").unwrap());
        let req = RouteRequest { corridor: Some(c), ..RouteRequest::new(&net.defaults, from, to) };
        let r = Router::new(&net, &graph).route(&req).unwrap();
        r.countries.join(">")
    };
    assert_eq!(countries("!"), "BY>MN>CN");
    assert_eq!(countries(""), "BY>KZ>CN");
}

/// A route may not count an own crossing it turns back over: from Beijing, touching Mongolia at
/// the border (6 km) and returning to run through Kazakhstan is not the Mongolian corridor.
#[test]
fn touching_the_own_crossing_and_turning_back_does_not_count() {
    let net = fixture::parse(
        "locations:\n  BJ CN rail1435\n  ER CN rail1435\n  ZU MN rail1435\n  KZ KZ rail1435\n  BY BY rail1435\n\
         corridors:\n  n c!>n\n\
         links:\n  BJ-ER rail1435 km=10 h=10 corridors=c\n  ER-ZU rail1435 km=6 h=1 corridors=c\n\
           ER-KZ rail1435 km=10 h=10 corridors=n\n  KZ-BY rail1435 km=10 h=10 corridors=n\n\
           ZU-BY rail1435 km=10 h=90 corridors=n\n\
         borders:\n  ER-ZU h=1\n  ER-KZ h=1\n  KZ-BY h=1\n  ZU-BY h=1\n",
    );
    let graph = Graph::compile(&net);
    let c = net.corridor_by_code("c").unwrap();
    let (from, to) = (net.location_by_code("BJ").unwrap(), net.location_by_code("BY").unwrap());
    let req = RouteRequest { corridor: Some(c), ..RouteRequest::new(&net.defaults, from, to) };
    let router = Router::new(&net, &graph);
    assert_eq!(router.route(&req).unwrap().countries.join(">"), "CN>MN>BY");
    // The label search keeps the same rule.
    let labels = router.pareto(&req).unwrap();
    assert!(
        labels.iter().all(|r| r.countries.join(">") == "CN>MN>BY"),
        "{:?}",
        labels.iter().map(|r| &r.countries).collect::<Vec<_>>()
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// A comparison weighs the arcs once and derives each corridor's weights from the
    /// unrestricted ones (`Metric::restricted`): each of its routes is the one a new router
    /// finds for that corridor alone, with or without an avoided place.
    #[test]
    fn a_comparison_answers_as_one_route_per_corridor((n, links) in sized_links(), avoid in prop::option::of(1usize..6)) {
        let net = network(n, &links);
        let graph = Graph::compile(&net);
        let (from, to) = ends(&net, n);
        let mut req = RouteRequest::new(&net.defaults, from, to);
        if let Some(a) = avoid.filter(|&a| a < n - 1) {
            req.avoid.locations.push(net.location_by_code(&format!("L{a}")).unwrap());
        }
        let cmp = Router::new(&net, &graph).compare(&req);
        let alone = |r: &RouteRequest| format!("{:?}", Router::new(&net, &graph).route(r).ok());
        prop_assert_eq!(format!("{:?}", cmp.best.as_ref().ok()), alone(&req));
        for c in &cmp.corridors {
            let r = RouteRequest { corridor: Some(c.corridor), ..req.clone() };
            match &c.route {
                Ok(route) => prop_assert_eq!(format!("{:?}", Some(route)), alone(&r)),
                // No route, or one outside the corridor (the comparison's error for it).
                Err(_) => {
                    let got = Router::new(&net, &graph).route(&r);
                    prop_assert!(got.as_ref().is_err() || !got.unwrap().corridors.contains(&c.corridor));
                }
            }
        }
    }
}
