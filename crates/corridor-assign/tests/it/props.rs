//! Property tests on random small networks: flow conservation per origin, non-negative gaps
//! and flows, and a decreasing objective.

use corridor_assign::{Algorithm, AssignConfig, Link, Network, OdMatrix, assign};
use proptest::prelude::*;

/// A random network that connects every pair of zones even when zones cannot be passed
/// through: each zone has links to and from the hub (the first non-zone node), the non-zone
/// nodes form a two-way ring, and random extra links are added anywhere.
#[derive(Debug, Clone)]
struct Case {
    net: Network,
    od: OdMatrix,
    algorithm: Algorithm,
}

fn case() -> impl Strategy<Value = Case> {
    (2usize..5, 1usize..5, any::<bool>(), 0usize..3)
        .prop_flat_map(|(zones, inner, block, alg)| {
            let n = zones + inner;
            let link = (
                0..n as u32,
                0..n as u32,
                0.1f64..10.0,
                1.0f64..100.0,
                0.0f64..1.0,
                prop::sample::select(vec![1.0, 2.0, 4.0, 2.5]),
            );
            (
                Just((zones, n, block, alg)),
                prop::collection::vec(link, 0..12),
                prop::collection::vec(0.0f64..50.0, zones * zones),
                prop::collection::vec((0.1f64..10.0, 1.0f64..100.0), 2 * zones + 2 * inner),
            )
        })
        .prop_map(|((zones, n, block, alg), extra, trips, base)| {
            let hub = zones as u32;
            let mut links = Vec::new();
            let mut params = base.into_iter();
            let mut bpr = |from: u32, to: u32| {
                let (fft, cap) = params.next().unwrap();
                Link::bpr(from, to, cap, fft, 0.15, 4.0)
            };
            for z in 0..zones as u32 {
                links.push(bpr(z, hub));
                links.push(bpr(hub, z));
            }
            for i in zones..n {
                let j = if i + 1 == n { zones } else { i + 1 };
                links.push(bpr(i as u32, j as u32));
                links.push(bpr(j as u32, i as u32));
            }
            for (from, to, fft, cap, b, power) in extra {
                links.push(Link::bpr(from, to, cap, fft, b, power));
            }
            let first_thru = if block { zones } else { 0 };
            let mut od = OdMatrix::new(zones);
            for (k, t) in trips.into_iter().enumerate() {
                od.set(k / zones, k % zones, t);
            }
            let algorithm =
                [Algorithm::FrankWolfe, Algorithm::ConjugateFrankWolfe, Algorithm::BiconjugateFrankWolfe][alg];
            Case { net: Network::new(n, zones, first_thru, links).unwrap(), od, algorithm }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn equilibrium_invariants(c in case()) {
        let config = AssignConfig {
            algorithm: c.algorithm,
            target_gap: 1e-6,
            max_iterations: 3000,
            keep_origin_flows: true,
        };
        let r = assign(&c.net, &c.od, &config).unwrap();
        let total = c.od.total();
        let tol = 1e-9 * (1.0 + total);

        // Gaps: never negative beyond rounding, and the last one is the reported one.
        for &g in &r.gap_history {
            prop_assert!(g >= -1e-12, "negative gap {g}");
        }
        prop_assert_eq!(r.gap_history.last().copied(), Some(r.relative_gap));
        prop_assert!(r.flows.iter().all(|&x| x >= -tol));

        // Per-origin conservation: at every node, inflow − outflow = trips ending there
        // (minus all trips leaving, at the origin). The origins' flows sum to the total.
        let origin_flows = r.origin_flows.as_ref().unwrap();
        let mut sum = vec![0.0; r.flows.len()];
        for &o in origin_flows.origins() {
            let f = origin_flows.of(o).unwrap();
            let mut balance = vec![0.0; c.net.num_nodes()];
            for (l, &x) in c.net.links().iter().zip(f) {
                balance[l.to as usize] += x;
                balance[l.from as usize] -= x;
            }
            for (v, &b) in balance.iter().enumerate() {
                let expected = if v == o as usize {
                    -(0..c.od.zones()).filter(|&d| d != v).map(|d| c.od.get(v, d)).sum::<f64>()
                } else if v < c.od.zones() {
                    c.od.get(o as usize, v)
                } else {
                    0.0
                };
                prop_assert!((b - expected).abs() <= 1e-7 * (1.0 + total), "origin {o} node {v}: {b} vs {expected}");
            }
            for (s, &x) in sum.iter_mut().zip(f) {
                *s += x;
            }
        }
        for (s, &x) in sum.iter().zip(&r.flows) {
            prop_assert!((s - x).abs() <= 1e-7 * (1.0 + total));
        }

        // The Beckmann objective ends no higher than at the free-flow starting point.
        let start = assign(&c.net, &c.od, &AssignConfig { max_iterations: 1, ..config.clone() }).unwrap();
        prop_assert!(r.beckmann <= start.beckmann * (1.0 + 1e-12) + 1e-12);
        prop_assert!(r.converged || r.iterations == config.max_iterations);
    }
}
