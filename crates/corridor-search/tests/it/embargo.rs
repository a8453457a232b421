//! Property test of the sea embargo layers (`corridor_model::regions::sea_embargo`): on random
//! small port networks in Russia, the EU and Turkey, the router's cheapest route equals the
//! minimum a brute force finds over every simple path of (location, platform, voyage) states,
//! read straight from the network model with the rule written out, and no voyage of a route
//! (consecutive sea legs) runs between a Russian and an EU port.

use corridor_model::regions::{SeaEmbargo, sea_embargo};
use corridor_model::*;
use corridor_search::{LegKind, Optimize, RouteRequest, Router};
use proptest::prelude::*;

const COUNTRIES: [&str; 3] = ["RU", "FI", "TR"];

#[derive(Debug, Clone)]
struct Spec {
    ports: Vec<(usize, bool)>,      // (country index, has a road platform)
    sea: Vec<(usize, usize, u32)>,  // (from, to, usd), both ways
    road: Vec<(usize, usize, u32)>, // (from, to, usd), both ways
    handling: Vec<(usize, u32)>,    // (port, usd of sea<->road)
}

fn spec() -> impl Strategy<Value = Spec> {
    (2usize..6).prop_flat_map(|n| {
        (
            prop::collection::vec((0usize..3, prop::bool::weighted(0.7)), n),
            prop::collection::vec((0..n, 0..n, 1u32..500), 0..10),
            prop::collection::vec((0..n, 0..n, 1u32..2000), 0..4),
            prop::collection::vec((0..n, 0u32..200), 0..6),
        )
            .prop_map(|(ports, sea, road, handling)| Spec { ports, sea, road, handling })
    })
}

fn build(s: &Spec) -> Network {
    let mut text = String::from("locations:\n");
    for (i, &(c, road)) in s.ports.iter().enumerate() {
        text += &format!("  P{i} {} sea{}\n", COUNTRIES[c], if road { "|road" } else { "" });
    }
    text += "links:\n";
    let mut seen = std::collections::BTreeSet::new();
    for (&(a, b, usd), platform) in
        s.sea.iter().zip(std::iter::repeat("sea")).chain(s.road.iter().zip(std::iter::repeat("road")))
    {
        let has_road = |i: usize| s.ports[i].1;
        if a == b
            || !seen.insert((a.min(b), a.max(b), platform))
            || (platform == "road" && !(has_road(a) && has_road(b)))
        {
            continue;
        }
        text += &format!("  P{a}-P{b} {platform} km=1 h=0 usd={usd}\n");
    }
    text += "transfers:\n";
    let mut at = std::collections::BTreeSet::new();
    for &(p, usd) in &s.handling {
        if s.ports[p].1 && at.insert(p) {
            text += &format!("  P{p} sea>road h=0 usd={usd}\n");
        }
    }
    // No border rows: a fixture names links by their ends, so a row for the road P0-P1 would
    // attach to the sea link P0-P1 as well.
    fixture::parse(&text)
}

/// The voyage layer a shipment at sea is in: 0 may stop at any port but a Russian one, 1 at any
/// but an EU or UK one (as `Graph::compile` documents it).
fn may_stop(net: &Network, loc: LocationId, layer: usize) -> bool {
    match sea_embargo(&net.location(loc).country) {
        Some(SeaEmbargo::Embargoed) => layer == 1,
        Some(SeaEmbargo::Embargoing) => layer == 0,
        None => true,
    }
}

/// Cheapest USD over simple paths of (location, platform, layer) states; the layer is 0 off the
/// sea. A shipment starts on any platform of `from` (at sea: in a layer that may stop there) and
/// ends on any platform of `to` (at sea: likewise).
fn brute_force(net: &Network, from: LocationId, to: LocationId) -> Option<f64> {
    type State = (LocationId, Platform, usize);
    fn walk(net: &Network, s: State, to: LocationId, cost: f64, seen: &mut Vec<State>, best: &mut Option<f64>) {
        if s.0 == to && (s.1 != Platform::Sea || may_stop(net, s.0, s.2)) {
            *best = Some(best.map_or(cost, |b: f64| b.min(cost)));
        }
        seen.push(s);
        let mut next: Vec<(State, f64)> = Vec::new();
        for l in &net.links {
            for (a, b) in [(l.from, l.to), (l.to, l.from)] {
                if a == s.0 && l.platform == s.1 {
                    next.push(((b, l.platform, s.2), l.tariff.usd_teu.unwrap().0));
                }
            }
        }
        for t in net.transfers.iter().filter(|t| t.location == s.0) {
            let usd = t.tariff.usd_teu.unwrap().0;
            for (p, q) in [(t.from, t.to), (t.to, t.from)] {
                if p != s.1 || (p == Platform::Sea && !may_stop(net, s.0, s.2)) {
                    continue;
                }
                for layer in 0..2 {
                    let layer = if q == Platform::Sea { layer } else { 0 };
                    if q != Platform::Sea || may_stop(net, s.0, layer) {
                        next.push(((s.0, q, layer), usd));
                    }
                }
            }
        }
        for (n, c) in next {
            if !seen.contains(&n) {
                walk(net, n, to, cost + c, seen, best);
            }
        }
        seen.pop();
    }
    let mut best = None;
    for &p in &net.location(from).platforms {
        for layer in 0..2 {
            if p == Platform::Sea && may_stop(net, from, layer) || (p != Platform::Sea && layer == 0) {
                walk(net, (from, p, layer), to, 0.0, &mut Vec::new(), &mut best);
            }
        }
    }
    best
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn the_cheapest_route_keeps_the_sea_embargo_and_misses_nothing(s in spec()) {
        let net = build(&s);
        let graph = Graph::compile(&net);
        let router = Router::new(&net, &graph);
        for i in 0..net.locations.len() {
            for j in 0..net.locations.len() {
                if i == j {
                    continue;
                }
                let (from, to) = (LocationId::from_index(i), LocationId::from_index(j));
                let mut req = RouteRequest::new(&net.defaults, from, to);
                req.optimize = Optimize::Cost;
                let got = router.route(&req).ok();
                let want = brute_force(&net, from, to);
                prop_assert_eq!(got.as_ref().map(|r| r.totals.usd.0), want, "P{} -> P{}", i, j);
                if let Some(r) = got {
                    // Each sea leg is one voyage (the router merges a voyage's links into one leg).
                    for leg in &r.legs {
                        if let LegKind::Move { platform: Platform::Sea, .. } = leg.kind {
                            let (a, b) = (&net.location(leg.from).country, &net.location(leg.to).country);
                            let sides = (sea_embargo(a), sea_embargo(b));
                            prop_assert!(
                                !matches!(sides, (Some(x), Some(y)) if x != y),
                                "a voyage {} -> {} in P{} -> P{}: {:?}", a, b, i, j, r.legs.iter().map(|l| (l.kind, l.from, l.to)).collect::<Vec<_>>()
                            );
                        }
                    }
                }
            }
        }
    }
}
