//! Property tests: on random small networks, the router's best generalized cost equals the
//! minimum found by brute-force enumeration of every simple path over (location, platform)
//! states, computed straight from the network model (not from the compiled graph), with and
//! without avoided countries.

use corridor_model::*;
use corridor_search::{Optimize, RouteRequest, Router, SearchCache};
use proptest::prelude::*;

const PLATFORMS: [Platform; 3] = [Platform::Rail { gauge_mm: 1435 }, Platform::Rail { gauge_mm: 1520 }, Platform::Road];
const COUNTRIES: [&str; 3] = ["AA", "BB", "CC"];
const VOT: f64 = 2.0;

#[derive(Debug, Clone)]
struct Spec {
    locations: Vec<(usize, u8)>,                            // (country index, platform bitmask)
    links: Vec<(usize, usize, usize, u32, u32, bool, u32)>, // (from, to, platform, hours, usd, oneway, headway or 0)
    transfers: Vec<(usize, usize, usize, u32, u32)>,        // (location, from platform, to platform, hours, usd)
    border: (u32, u32),                                     // (hours, usd) on every cross-border land link
}

fn spec() -> impl Strategy<Value = Spec> {
    (2usize..7).prop_flat_map(|n| {
        (
            prop::collection::vec((0usize..3, 1u8..8), n),
            prop::collection::vec(
                (
                    0..n,
                    0..n,
                    0usize..3,
                    0u32..50,
                    0u32..500,
                    prop::bool::weighted(0.2),
                    prop::sample::select(vec![0u32, 0, 0, 24, 168]),
                ),
                0..14,
            ),
            prop::collection::vec((0..n, 0usize..3, 0usize..3, 0u32..20, 0u32..200), 0..8),
            (0u32..40, 0u32..300),
        )
            .prop_map(|(locations, links, transfers, border)| Spec { locations, links, transfers, border })
    })
}

fn build(s: &Spec) -> Network {
    let mut text = String::from("locations:\n");
    let served = |loc: usize, p: usize| s.locations[loc].1 & (1 << p) != 0;
    for (i, &(c, mask)) in s.locations.iter().enumerate() {
        let ps: Vec<String> = (0..3).filter(|&p| mask & (1 << p) != 0).map(|p| PLATFORMS[p].to_string()).collect();
        text += &format!("  L{i} {} {}\n", COUNTRIES[c], ps.join("|"));
    }
    text += "links:\n";
    let mut borders = String::from("borders:\n");
    for (k, &(a, b, p, h, usd, oneway, every)) in s.links.iter().enumerate() {
        if a == b || !served(a, p) || !served(b, p) {
            continue;
        }
        // Unique codes so that border rows attach to the right link.
        let code = format!("L{a}-L{b}");
        let _ = k;
        if text.contains(&format!("  {code} ")) {
            continue;
        }
        let every = if every > 0 { format!(" every={every}") } else { String::new() };
        text +=
            &format!("  {code} {} km=1 h={h} usd={usd}{every}{}\n", PLATFORMS[p], if oneway { " oneway" } else { "" });
        if s.locations[a].0 != s.locations[b].0 {
            let dir = if oneway { " forward" } else { "" };
            borders += &format!("  {code} h={} usd={}{dir}\n", s.border.0, s.border.1);
        }
    }
    text += "transfers:\n";
    let mut seen = std::collections::BTreeSet::new();
    for &(l, a, b, h, usd) in &s.transfers {
        if a == b || !served(l, a) || !served(l, b) || !seen.insert((l, a.min(b), a.max(b))) {
            continue;
        }
        text += &format!("  L{l} {}>{} h={h} usd={usd}\n", PLATFORMS[a], PLATFORMS[b]);
    }
    text += &borders;
    fixture::parse(&text)
}

/// Minimum of `usd + VOT * hours` over all simple paths of (location, platform) states from any
/// platform of `from` to any platform of `to`, skipping states in `avoid` countries.
fn brute_force(net: &Network, from: LocationId, to: LocationId, avoid: Option<&str>) -> Option<f64> {
    let ok = |l: LocationId| avoid.is_none_or(|c| net.location(l).country != c);
    let mut best: Option<f64> = None;
    let mut visited: Vec<(LocationId, Platform)> = Vec::new();
    fn walk(
        net: &Network,
        state: (LocationId, Platform),
        to: LocationId,
        cost: f64,
        visited: &mut Vec<(LocationId, Platform)>,
        best: &mut Option<f64>,
        ok: &dyn Fn(LocationId) -> bool,
    ) {
        if state.0 == to {
            *best = Some(best.map_or(cost, |b: f64| b.min(cost)));
            return;
        }
        visited.push(state);
        let mut next: Vec<((LocationId, Platform), f64)> = Vec::new();
        for (i, l) in net.links.iter().enumerate() {
            for forward in [true, false] {
                if !forward && l.oneway {
                    continue;
                }
                let (a, b) = if forward { (l.from, l.to) } else { (l.to, l.from) };
                if a != state.0 || l.platform != state.1 || !ok(b) {
                    continue;
                }
                let wait = l.headway.map_or(0.0, |h| h.0 / 2.0);
                let mut c = l.tariff.usd_teu.unwrap().0 + VOT * (l.hours.0 + wait);
                let dir = if forward { Direction::Forward } else { Direction::Reverse };
                if let Some(bd) = net.borders.iter().find(|bd| bd.link.index() == i && bd.direction == dir) {
                    c += bd.tariff.usd_teu.unwrap().0 + VOT * bd.dwell.mean.0;
                }
                next.push(((b, l.platform), c));
            }
        }
        for t in &net.transfers {
            if t.location != state.0 {
                continue;
            }
            let c = t.tariff.usd_teu.unwrap().0 + VOT * t.dwell.mean.0;
            if t.from == state.1 {
                next.push(((t.location, t.to), c));
            }
            if !t.oneway && t.to == state.1 {
                next.push(((t.location, t.from), c));
            }
        }
        for (s, c) in next {
            if !visited.contains(&s) {
                walk(net, s, to, cost + c, visited, best, ok);
            }
        }
        visited.pop();
    }
    if !ok(from) {
        return None;
    }
    for &p in &net.location(from).platforms {
        walk(net, (from, p), to, 0.0, &mut visited, &mut best, &ok);
    }
    best
}

/// A search state of the brute force: a location on one platform.
type State = (LocationId, Platform);

/// Every simple path's (hours, usd, lifts) from `from` to `to`: the brute-force criteria set.
fn all_paths(net: &Network, from: LocationId, to: LocationId) -> Vec<(f64, f64, u32)> {
    let mut out = Vec::new();
    let mut visited: Vec<(LocationId, Platform)> = Vec::new();
    fn walk(
        net: &Network,
        state: (LocationId, Platform),
        to: LocationId,
        acc: (f64, f64, u32),
        visited: &mut Vec<(LocationId, Platform)>,
        out: &mut Vec<(f64, f64, u32)>,
    ) {
        if state.0 == to {
            out.push(acc);
            return;
        }
        visited.push(state);
        let mut next: Vec<(State, (f64, f64, u32))> = Vec::new();
        for (i, l) in net.links.iter().enumerate() {
            for forward in [true, false] {
                if !forward && l.oneway {
                    continue;
                }
                let (a, b) = if forward { (l.from, l.to) } else { (l.to, l.from) };
                if a != state.0 || l.platform != state.1 {
                    continue;
                }
                let wait = l.headway.map_or(0.0, |h| h.0 / 2.0);
                let (mut h, mut usd) = (l.hours.0 + wait, l.tariff.usd_teu.unwrap().0);
                let dir = if forward { Direction::Forward } else { Direction::Reverse };
                if let Some(bd) = net.borders.iter().find(|bd| bd.link.index() == i && bd.direction == dir) {
                    h += bd.dwell.mean.0;
                    usd += bd.tariff.usd_teu.unwrap().0;
                }
                next.push(((b, l.platform), (h, usd, 0)));
            }
        }
        for t in &net.transfers {
            if t.location != state.0 {
                continue;
            }
            let c = (t.dwell.mean.0, t.tariff.usd_teu.unwrap().0, 1);
            if t.from == state.1 {
                next.push(((t.location, t.to), c));
            }
            if !t.oneway && t.to == state.1 {
                next.push(((t.location, t.from), c));
            }
        }
        for (s, c) in next {
            if !visited.contains(&s) {
                walk(net, s, to, (acc.0 + c.0, acc.1 + c.1, acc.2 + c.2), visited, out);
            }
        }
        visited.pop();
    }
    for &p in &net.location(from).platforms {
        walk(net, (from, p), to, (0.0, 0.0, 0), &mut visited, &mut out);
    }
    out
}

/// The non-dominated (hours, usd) points of a set, sorted, duplicates removed.
fn front(mut pts: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    pts.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut out: Vec<(f64, f64)> = Vec::new();
    for p in pts {
        if out.iter().any(|q| q.0 <= p.0 + 1e-9 && q.1 <= p.1 + 1e-9) {
            continue;
        }
        out.push(p);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

    /// The label-setting Pareto set equals the non-dominated set of all simple paths, also
    /// under a transshipment limit (emissions are zero in these fixtures, so the front is over
    /// time and cost).
    #[test]
    fn pareto_set_matches_brute_force(s in spec(), max_lifts in prop::option::of(0u32..3)) {
        let net = build(&s);
        let graph = Graph::compile(&net);
        let router = Router::new(&net, &graph);
        for a in 0..net.locations.len() {
            for b in 0..net.locations.len() {
                if a == b {
                    continue;
                }
                let (from, to) = (LocationId::from_index(a), LocationId::from_index(b));
                let mut req = RouteRequest::new(&net.defaults, from, to);
                req.max_transshipments = max_lifts;
                let expected = front(
                    all_paths(&net, from, to)
                        .into_iter()
                        .filter(|p| max_lifts.is_none_or(|m| p.2 <= m))
                        .map(|p| (p.0, p.1))
                        .collect(),
                );
                let got = match router.pareto(&req) {
                    Ok(routes) => front(routes.iter().map(|r| (r.totals.hours.0, r.totals.usd.0)).collect()),
                    Err(_) => Vec::new(),
                };
                prop_assert_eq!(got.len(), expected.len(), "got {:?} expected {:?}", got, expected);
                for (g, e) in got.iter().zip(&expected) {
                    prop_assert!((g.0 - e.0).abs() < 1e-6 && (g.1 - e.1).abs() < 1e-6, "got {:?} expected {:?}", got, expected);
                }
                if let (Some(m), Ok(routes)) = (max_lifts, router.pareto(&req)) {
                    prop_assert!(routes.iter().all(|r| r.totals.transshipments as u32 <= m));
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn router_matches_brute_force(s in spec(), avoid_idx in 0usize..4) {
        let net = build(&s);
        let graph = Graph::compile(&net);
        let router = Router::new(&net, &graph);
        let avoid = COUNTRIES.get(avoid_idx).copied();
        for a in 0..net.locations.len() {
            for b in 0..net.locations.len() {
                if a == b {
                    continue;
                }
                let (from, to) = (LocationId::from_index(a), LocationId::from_index(b));
                let mut req = RouteRequest::new(&net.defaults, from, to);
                req.optimize = Optimize::Balanced;
                req.value_of_time = VOT;
                req.carbon_price = 0.0;
                if let Some(c) = avoid {
                    req.avoid.countries.push(c.to_string());
                }
                let expected = brute_force(&net, from, to, avoid);
                let got = router.route(&req);
                match (expected, &got) {
                    (Some(e), Ok(r)) => {
                        prop_assert!((r.totals.generalized_cost - e).abs() < 1e-6, "cost {} vs brute force {}", r.totals.generalized_cost, e);
                        // The reported totals re-add to the search cost.
                        let recomputed = r.totals.usd.0 + VOT * r.totals.hours.0;
                        prop_assert!((recomputed - e).abs() < 1e-6);
                        prop_assert_eq!(r.legs.first().map(|l| l.from), Some(from));
                        prop_assert_eq!(r.legs.last().map(|l| l.to), Some(to));
                    }
                    (None, Err(_)) => {}
                    (e, g) => prop_assert!(false, "brute force {:?} but router {:?}", e, g.as_ref().map(|r| r.totals.generalized_cost)),
                }
            }
        }
    }

    /// A router with a cache answers exactly as one without, on first use and when answering
    /// from the cache, for every pair, objective and constraint; a cache too small for the
    /// requests (one entry each) still answers exactly.
    #[test]
    fn a_cache_changes_no_answer(s in spec(), avoid_idx in 0usize..4, tiny in any::<bool>()) {
        let net = build(&s);
        let graph = Graph::compile(&net);
        let plain = Router::new(&net, &graph);
        let cache = if tiny { SearchCache::with_capacity(graph.num_arcs(), 1, 1, 1) } else { SearchCache::new(graph.num_arcs()) };
        let cached = Router::new(&net, &graph).with_cache(&cache);
        let avoid = COUNTRIES.get(avoid_idx).copied();
        let mut asked = 0;
        for round in 0..2 {
            for a in 0..net.locations.len() {
                for b in 0..net.locations.len() {
                    let (from, to) = (LocationId::from_index(a), LocationId::from_index(b));
                    for optimize in [Optimize::Time, Optimize::Cost, Optimize::Balanced] {
                        let mut req = RouteRequest::new(&net.defaults, from, to);
                        req.optimize = optimize;
                        if let Some(c) = avoid.filter(|_| round == 1) {
                            req.avoid.countries.push(c.to_string());
                        }
                        let (want, got) = (plain.route(&req), cached.route(&req));
                        prop_assert_eq!(&want, &got);
                        prop_assert_eq!(&want, &cached.route(&req));
                        asked += 1;
                        if let Ok(r) = &want {
                            // Compared as text: a zero-hour route has a NaN buffer index.
                            let want = format!("{:?}", plain.reliability(r, 50, 7));
                            prop_assert_eq!(&want, &format!("{:?}", cached.reliability(r, 50, 7)));
                            prop_assert_eq!(&want, &format!("{:?}", cached.reliability(r, 50, 7)));
                        }
                    }
                }
            }
        }
        let st = cache.stats();
        prop_assert!(st.metric_hits + st.metric_misses > 0 && asked > 0);
        if !tiny {
            // Three objectives x (no constraint, one constraint): at most six metrics computed.
            prop_assert!(st.metric_misses <= 6, "{:?}", st);
            prop_assert!(st.reliability_hits >= st.reliability_misses, "{:?}", st);
            prop_assert!(st.route_hits >= st.route_misses, "{:?}", st);
        }
    }
}

#[test]
fn a_cache_of_another_graph_is_not_used() {
    let s = Spec {
        locations: vec![(0, 7), (0, 7), (1, 7)],
        links: vec![(0, 1, 0, 10, 100, false, 0), (1, 2, 0, 10, 100, false, 0)],
        transfers: vec![],
        border: (5, 50),
    };
    let net = build(&s);
    let graph = Graph::compile(&net);
    let cache = SearchCache::new(graph.num_arcs() + 1);
    let router = Router::new(&net, &graph).with_cache(&cache);
    let req = RouteRequest::new(&net.defaults, LocationId::from_index(0), LocationId::from_index(2));
    assert!(router.route(&req).is_ok());
    assert_eq!(cache.stats(), corridor_search::CacheStats::default());
}
