//! Property test: for a corridor that continues on another, the router's one-Dijkstra answer on
//! the graph x rule automaton equals the best member of the label search's Pareto set (which
//! tracks the same rule as a label resource), on random networks whose links carry the own
//! corridor, the continued one, both or none.

use corridor_model::*;
use corridor_search::{RouteRequest, Router};
use proptest::prelude::*;

/// A link of a random network: its two places, hours, USD and tag (none, the own corridor, the
/// continued one, or both).
type RandomLink = (usize, usize, u32, u32, u8);

fn network(n: usize, links: &[RandomLink]) -> Network {
    let mut text = String::from("locations:\n");
    for i in 0..n {
        text += &format!("  L{i} CN rail1435\n");
    }
    text += "corridors:\n  t m>t\nlinks:\n";
    let mut seen = std::collections::BTreeSet::new();
    for &(a, b, h, usd, tag) in links {
        // One link per pair of places (fixture codes name the ends).
        if a == b || !seen.insert((a.min(b), a.max(b))) {
            continue;
        }
        let tags = ["", " corridors=t", " corridors=m", " corridors=m|t"][tag as usize];
        text += &format!("  L{a}-L{b} rail1435 km=10 h={h} usd={usd}{tags}\n");
    }
    fixture::parse(&text)
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn one_dijkstra_on_the_rule_automaton_equals_the_label_search((n, links) in sized_links()) {
        let net = network(n, &links);
        let graph = Graph::compile(&net);
        let router = Router::new(&net, &graph);
        let m = net.corridor_by_code("m").unwrap();
        let (from, to) = ends(&net, n);
        let req = RouteRequest { corridor: Some(m), ..RouteRequest::new(&net.defaults, from, to) };
        match crate::route_and_label_best(&router, &req) {
            (Some((r, got)), Some(v)) => {
                prop_assert!((got - v).abs() < 1e-6, "{got} vs {v}");
                prop_assert!(r.uses_own_link(&net, &graph, m));
            }
            (None, None) => {}
            (a, b) => prop_assert!(false, "route {:?} vs labels {:?}", a.map(|r| r.1), b),
        }
    }
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
