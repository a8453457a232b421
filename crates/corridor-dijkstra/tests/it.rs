//! The generic Dijkstra against brute force (Bellman–Ford) on random graphs, for both distance
//! types, with several sources and a stop hook.

use corridor_dijkstra::{Dijkstra, Visit};
use proptest::prelude::*;

fn bellman_ford(n: usize, arcs: &[(u32, u32, u32)], sources: &[u32]) -> Vec<Option<u64>> {
    let mut d: Vec<Option<u64>> = vec![None; n];
    for &s in sources {
        d[s as usize] = Some(0);
    }
    for _ in 0..n {
        for &(u, v, w) in arcs {
            if let Some(du) = d[u as usize] {
                let nd = du + u64::from(w);
                if d[v as usize].is_none_or(|dv| nd < dv) {
                    d[v as usize] = Some(nd);
                }
            }
        }
    }
    d
}

proptest! {
    #[test]
    fn equals_bellman_ford(
        n in 1usize..30,
        raw in proptest::collection::vec((0u32..30, 0u32..30, 0u32..100), 0..80),
        srcs in proptest::collection::vec(0u32..30, 1..3),
    ) {
        let arcs: Vec<(u32, u32, u32)> = raw.into_iter().filter(|&(u, v, _)| (u as usize) < n && (v as usize) < n).collect();
        let sources: Vec<u32> = srcs.into_iter().filter(|&s| (s as usize) < n).collect();
        let want = bellman_ford(n, &arcs, &sources);
        let out = |u: u32| arcs.iter().enumerate().filter(move |(_, a)| a.0 == u).map(|(i, a)| (i as u32, a.1, a.2)).collect::<Vec<_>>().into_iter();
        let mut du: Dijkstra<u32> = Dijkstra::new(n);
        let mut df: Dijkstra<f64> = Dijkstra::new(n);
        // Run twice to exercise the O(1) reset.
        for _ in 0..2 {
            du.run(&sources, |_| Visit::Expand, out);
            df.run(&sources, |_| Visit::Expand, |u| out(u).map(|(a, h, w)| (a, h, f64::from(w))));
            for v in 0..n as u32 {
                prop_assert_eq!(du.distance(v).map(u64::from), want[v as usize]);
                prop_assert_eq!(df.distance(v).map(|x| x as u64), want[v as usize]);
                // The predecessor path has the distance as its length.
                if let Some(d) = du.distance(v) {
                    let len: u64 = du.path(v, |a| arcs[a as usize].0).iter().map(|&a| u64::from(arcs[a as usize].2)).sum();
                    prop_assert_eq!(len, u64::from(d));
                }
            }
            prop_assert_eq!(du.order().len(), want.iter().filter(|d| d.is_some()).count());
        }
        // Stopping at a target settles it with its final distance.
        if let Some(t) = (0..n as u32).rev().find(|&v| want[v as usize].is_some()) {
            let got = du.run(&sources, |u| if u == t { Visit::Stop } else { Visit::Expand }, out);
            prop_assert_eq!(got, Some(t));
            prop_assert_eq!(du.distance(t).map(u64::from), want[t as usize]);
        }
    }
}

#[test]
fn settled_nodes_are_not_passed_through_and_infinite_arcs_are_skipped() {
    // 0 -> 1 -> 2 and 0 -> 2 (long); node 1 is settled but not expanded.
    let arcs = [(0u32, 1u32, 1.0f64), (1, 2, 1.0), (0, 2, 5.0), (0, 3, f64::INFINITY)];
    let out = |u: u32| {
        arcs.iter()
            .enumerate()
            .filter(move |(_, a)| a.0 == u)
            .map(|(i, a)| (i as u32, a.1, a.2))
            .collect::<Vec<_>>()
            .into_iter()
    };
    let mut d: Dijkstra<f64> = Dijkstra::new(4);
    d.run(&[0], |u| if u == 1 { Visit::Settle } else { Visit::Expand }, out);
    assert_eq!(d.distance(2), Some(5.0));
    assert_eq!(d.distance(3), None);
    assert_eq!(d.order(), [0, 1, 2]);
}
