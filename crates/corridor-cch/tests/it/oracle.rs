//! CCH vs plain Dijkstra on seeded random graphs: every pair's distance, the unpacked path
//! (a real path of that length), matrices against single queries, and parallel against
//! sequential customization.

use corridor_cch::{Cch, CchMetric, CchQuery, Dijkstra, Graph, INF, matrix, matrix_parallel, nested_dissection_order};
use proptest::prelude::*;

/// A random directed graph: `n` nodes with random coordinates, arcs with weights in `0..50`
/// (zero weights and parallel arcs included on purpose).
fn graph_strategy() -> impl Strategy<Value = Graph> {
    (1usize..40).prop_flat_map(|n| {
        let arcs = prop::collection::vec((0..n as u32, 0..n as u32, 0u32..50), 0..(n * 4));
        let coords = prop::collection::vec((-1.0f64..1.0, -1.0f64..1.0), n);
        (Just(n), arcs, coords).prop_map(|(n, arcs, coords)| {
            let (lat, lon) = coords.into_iter().unzip();
            Graph::from_arcs(n, &arcs, lat, lon)
        })
    })
}

/// Checks all pairs of `g` under `order`, with the basic and the perfect metric.
fn check_all_pairs(g: &Graph, order: &[u32]) {
    let cch = Cch::new(g, order);
    let basic = CchMetric::new(&cch, &g.weight);
    let perfect = basic.clone().perfect();
    let (f, b) = perfect.query_arc_count();
    let (fa, ba) = basic.query_arc_count();
    assert!(f <= fa && b <= ba, "perfect customization only removes arcs");
    check_metric(g, &basic);
    check_metric(g, &perfect);
}

fn check_metric(g: &Graph, metric: &CchMetric<'_>) {
    let n = g.node_count() as u32;
    let tails = g.tails();
    let cch = metric.cch();
    let mut q = CchQuery::new(metric);
    let mut dij = Dijkstra::new(g.node_count());
    let all: Vec<u32> = (0..n).collect();
    let table = matrix(metric, &all, &all);
    assert_eq!(table, matrix_parallel(metric, &all, &all));
    let par = CchMetric::new_parallel(cch, &g.weight);
    assert_eq!(matrix(&par, &all, &all), table, "parallel customization differs");
    for s in 0..n {
        let oracle = dij.one_to_all(g, &g.weight, s).to_vec();
        for t in 0..n {
            let want = (oracle[t as usize] != INF).then_some(oracle[t as usize]);
            let got = q.distance(s, t);
            assert_eq!(got, want, "distance {s}->{t}");
            assert_eq!(table[(s * n + t) as usize], oracle[t as usize], "matrix {s}->{t}");
            let path = q.path();
            if let Some(d) = got {
                let mut at = s;
                let mut len = 0u32;
                for &a in &path {
                    assert_eq!(tails[a as usize], at, "path {s}->{t} is connected");
                    at = g.head[a as usize];
                    len += g.weight[a as usize];
                }
                assert_eq!(at, t, "path {s}->{t} ends at the target");
                assert_eq!(len, d, "path {s}->{t} has the query's length");
            } else {
                assert!(path.is_empty());
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn nested_dissection_matches_dijkstra(g in graph_strategy()) {
        let order = nested_dissection_order(&g);
        let mut seen = order.clone();
        seen.sort_unstable();
        prop_assert_eq!(seen, (0..g.node_count() as u32).collect::<Vec<_>>());
        check_all_pairs(&g, &order);
    }

    /// Correctness must not depend on the order's quality: any permutation works.
    #[test]
    fn any_order_matches_dijkstra(g in graph_strategy(), seed in any::<u64>()) {
        let mut order: Vec<u32> = (0..g.node_count() as u32).collect();
        let mut x = seed | 1;
        for i in (1..order.len()).rev() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            order.swap(i, (x % (i as u64 + 1)) as usize);
        }
        check_all_pairs(&g, &order);
    }
}

/// A grid with coordinates, large enough for several levels of nested dissection.
#[test]
fn grid_matches_dijkstra() {
    check_all_pairs(&grid(23, 17), &nested_dissection_order(&grid(23, 17)));
}

/// A grid wide enough that parallel customization really splits levels across threads; its
/// result must equal the sequential one, and sampled rows must equal Dijkstra.
#[test]
fn parallel_customization_on_a_large_grid() {
    let g = grid(110, 100);
    let cch = Cch::new(&g, &nested_dissection_order(&g));
    let seq = CchMetric::new(&cch, &g.weight);
    let par = CchMetric::new_parallel(&cch, &g.weight);
    let sources: Vec<u32> = (0..g.node_count() as u32).step_by(997).collect();
    let all: Vec<u32> = (0..g.node_count() as u32).collect();
    let table = matrix(&seq, &sources, &all);
    assert_eq!(matrix(&par, &sources, &all), table);
    assert_eq!(matrix(&par.perfect(), &sources, &all), table);
    let mut dij = Dijkstra::new(g.node_count());
    for (i, &s) in sources.iter().enumerate() {
        assert_eq!(&table[i * all.len()..(i + 1) * all.len()], dij.one_to_all(&g, &g.weight, s), "row {s}");
    }
}

/// A `w` x `h` grid of two-way streets with seeded random weights and grid coordinates.
fn grid(w: u32, h: u32) -> Graph {
    let mut arcs = Vec::new();
    let mut x = 12345u64;
    let mut rnd = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % 100) as u32 + 1
    };
    for r in 0..h {
        for c in 0..w {
            let u = r * w + c;
            if c + 1 < w {
                arcs.push((u, u + 1, rnd()));
                arcs.push((u + 1, u, rnd()));
            }
            if r + 1 < h {
                arcs.push((u, u + w, rnd()));
                arcs.push((u + w, u, rnd()));
            }
        }
    }
    let lat = (0..w * h).map(|u| f64::from(u / w)).collect();
    let lon = (0..w * h).map(|u| f64::from(u % w)).collect();
    Graph::from_arcs((w * h) as usize, &arcs, lat, lon)
}
