//! Property test: under a transshipment limit and the gauge-change ban (with or without a
//! corridor that continues on another), the router's one Dijkstra on the graph x resource
//! states equals the best member of the label search's Pareto set, which tracks the same
//! resources as label state. Random networks of places with one or two track gauges, gauge
//! changes, transshipments between gauges, and road detours that a gauge change can hide in
//! (rail -> road -> rail).

use corridor_model::*;
use corridor_search::{Optimize, RouteRequest, Router};
use proptest::prelude::*;

type Links = Vec<(usize, usize, u8, u32, u32, u8)>;

fn network(n: usize, gauges: &[u8], links: &Links, transfers: &[(usize, bool)]) -> Network {
    let platform = |g: u8| ["rail1435", "rail1520", "road"][g as usize];
    let mut text = String::from("locations:\n");
    for (i, &g) in gauges.iter().enumerate().take(n) {
        // Every place has road; its rail gauges are those of the bits of g (at least one).
        let mut ps = vec!["road"];
        if g & 1 != 0 {
            ps.push("rail1435");
        }
        if g & 2 != 0 || g & 3 == 0 {
            ps.push("rail1520");
        }
        text += &format!("  L{i} CN {}\n", ps.join("|"));
    }
    text += "corridors:\n  t m>t\nlinks:\n";
    let has = |i: usize, g: u8| match g {
        0 => gauges[i] & 1 != 0,
        1 => gauges[i] & 2 != 0 || gauges[i] & 3 == 0,
        _ => true,
    };
    let mut seen = std::collections::BTreeSet::new();
    for &(a, b, g, h, usd, tag) in links {
        if a == b || !has(a, g) || !has(b, g) || !seen.insert((a.min(b), a.max(b), g)) {
            continue;
        }
        let tags = ["", " corridors=t", " corridors=m", " corridors=m|t"][tag as usize];
        text += &format!("  L{a}-L{b} {} km=10 h={h} usd={usd}{tags}\n", platform(g));
    }
    text += "transfers:\n";
    for &(i, gauge_change) in transfers {
        if has(i, 0) && has(i, 1) {
            let kind = if gauge_change { " gauge_change" } else { "" };
            text += &format!("  L{i} rail1435>rail1520 h=3 usd=40{kind}\n");
        }
        // Rail <-> road handling everywhere a place has the gauge (a lift each way).
        for g in [0u8, 1] {
            if has(i, g) {
                text += &format!("  L{i} {}>road h=1 usd=20\n", platform(g));
            }
        }
    }
    fixture::parse(&text)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn the_resource_state_dijkstra_equals_the_label_search(
        n in 3usize..7,
        gauges in prop::collection::vec(1u8..4, 7),
        links in prop::collection::vec((0usize..7, 0usize..7, 0u8..3, 1u32..40, 0u32..400, 0u8..4), 1..18),
        transfers in prop::collection::vec((0usize..7, any::<bool>()), 0..8),
        max_lifts in prop::option::of(0u32..4),
        ban in any::<bool>(),
        in_corridor in any::<bool>(),
        by_cost in any::<bool>(),
    ) {
        prop_assume!(max_lifts.is_some() || ban);
        let links: Links = links.into_iter().map(|(a, b, g, h, u, t)| (a % n, b % n, g, h, u, t)).collect();
        let transfers: Vec<_> = transfers.into_iter().map(|(i, g)| (i % n, g)).collect();
        let net = network(n, &gauges, &links, &transfers);
        let graph = Graph::compile(&net);
        let router = Router::new(&net, &graph);
        let (from, to) = (net.location_by_code("L0").unwrap(), net.location_by_code(&format!("L{}", n - 1)).unwrap());
        let req = RouteRequest {
            corridor: in_corridor.then(|| net.corridor_by_code("m").unwrap()),
            max_transshipments: max_lifts,
            avoid_gauge_changes: ban,
            optimize: if by_cost { Optimize::Cost } else { Optimize::Time },
            ..RouteRequest::new(&net.defaults, from, to)
        };
        match crate::route_and_label_best(&router, &req) {
            (Some((r, got)), Some(v)) => {
                prop_assert!((got - v).abs() < 1e-6, "{got} vs {v}");
                if let Some(max) = max_lifts {
                    prop_assert!(r.totals.transshipments <= max as usize, "{} lifts", r.totals.transshipments);
                }
                if ban {
                    prop_assert_eq!(r.totals.gauge_changes, 0);
                }
            }
            (None, None) => {}
            (a, b) => prop_assert!(false, "route {:?} vs labels {:?}", a.map(|r| r.1), b),
        }
    }
}
