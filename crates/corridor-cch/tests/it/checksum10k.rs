//! 10,000-query checksums on the real Eurasia OSM graphs (rail: 196,524 nodes, 437 components;
//! road: 340,222 nodes). 100 seeded sources × 100 seeded targets, drawn uniformly from the
//! largest connected component: the distances of 100 plain Dijkstra one-to-all trees must equal,
//! element by element, the CCH bucket matrix and the CCH one-to-one query, under both the basic
//! and the perfect customization; the sum of the 10,000 distances must equal the recorded
//! checksum. Skips (with a message) when the shared data is absent, or when corridor-cch is
//! built at opt-level 0 (nested dissection of these graphs then takes minutes).

use std::time::Instant;

use corridor_cch::{CchMetric, CchQuery, Dijkstra, Graph, INF, matrix, matrix_parallel};

use crate::real::{RealGraph, Rng, optimized, rail, road};

/// Sum of the 10,000 rail distances (metres).
const RAIL_CHECKSUM: u64 = 47_471_735_344;
/// Sum of the 10,000 road distances (metres).
const ROAD_CHECKSUM: u64 = 57_560_346_102;

/// The nodes of the largest weakly connected component, ascending (the scgraph graphs are
/// symmetric, so this is also the largest strongly connected one).
fn largest_component(g: &Graph) -> Vec<u32> {
    let n = g.node_count();
    let tails = g.tails();
    let mut undirected: Vec<Vec<u32>> = vec![Vec::new(); n];
    for (a, &t) in tails.iter().enumerate() {
        undirected[t as usize].push(g.head[a]);
        undirected[g.head[a] as usize].push(t);
    }
    let mut label = vec![u32::MAX; n];
    let (mut best, mut best_size) = (0, 0);
    let mut stack = Vec::new();
    for root in 0..n {
        if label[root] != u32::MAX {
            continue;
        }
        let mut size = 0;
        label[root] = root as u32;
        stack.push(root as u32);
        while let Some(u) = stack.pop() {
            size += 1;
            for &v in &undirected[u as usize] {
                if label[v as usize] == u32::MAX {
                    label[v as usize] = root as u32;
                    stack.push(v);
                }
            }
        }
        if size > best_size {
            (best, best_size) = (root as u32, size);
        }
    }
    (0..n as u32).filter(|&u| label[u as usize] == best).collect()
}

/// Asserts `got == want` element-wise, naming the first differing (source, target) pairs.
fn assert_same(what: &str, got: &[u32], want: &[u32], sources: &[u32], targets: &[u32]) {
    assert_eq!(got.len(), want.len());
    let bad: Vec<String> = (0..want.len())
        .filter(|&k| got[k] != want[k])
        .take(5)
        .map(|k| {
            let (s, t) = (sources[k / targets.len()], targets[k % targets.len()]);
            format!("{s}->{t}: {} vs Dijkstra {}", got[k], want[k])
        })
        .collect();
    let count = (0..want.len()).filter(|&k| got[k] != want[k]).count();
    assert!(bad.is_empty(), "{what}: {count} of {} distances differ from Dijkstra, first: {bad:?}", want.len());
}

fn check_10k(real: &RealGraph, seed: u64, checksum: u64) {
    let test = format!("10k-query checksum on the {}", real.name);
    if !optimized() {
        eprintln!("SKIPPED {test}: corridor-cch is built at opt-level 0 (ordering would take minutes)");
        return;
    }
    let Some(g) = real.graph.as_ref() else {
        eprintln!("SKIPPED {test}: the graph is not in ../shared/data");
        return;
    };
    let comp = largest_component(g);
    let mut rng = Rng(seed);
    let mut draw = |k: usize| -> Vec<u32> { (0..k).map(|_| comp[rng.below(comp.len()) as usize]).collect() };
    let (sources, targets) = (draw(100), draw(100));

    let t = Instant::now();
    let mut dij = Dijkstra::new(g.node_count());
    let mut want = Vec::with_capacity(sources.len() * targets.len());
    for &s in &sources {
        let dist = dij.one_to_all(g, &g.weight, s);
        want.extend(targets.iter().map(|&t| dist[t as usize]));
    }
    let dijkstra_s = t.elapsed().as_secs_f64();
    assert!(want.iter().all(|&d| d != INF), "the pairs lie in one component");
    let sum: u64 = want.iter().map(|&d| u64::from(d)).sum();

    let t = Instant::now();
    let cch = real.cch();
    let cch_s = t.elapsed().as_secs_f64();
    let basic = CchMetric::new(cch, &g.weight);
    let perfect = basic.clone().perfect();
    let t = Instant::now();
    for (name, metric) in [("basic", &basic), ("perfect", &perfect)] {
        assert_same(&format!("{name} matrix"), &matrix(metric, &sources, &targets), &want, &sources, &targets);
        let mut q = CchQuery::new(metric);
        let one: Vec<u32> = sources
            .iter()
            .flat_map(|&s| targets.iter().map(move |&t| (s, t)))
            .map(|(s, t)| q.distance(s, t).unwrap_or(INF))
            .collect();
        assert_same(&format!("{name} one-to-one"), &one, &want, &sources, &targets);
    }
    assert_same("parallel matrix", &matrix_parallel(&perfect, &sources, &targets), &want, &sources, &targets);
    eprintln!(
        "{test}: {} pairs in a {}-node component, checksum {sum} (Dijkstra {dijkstra_s:.1} s, \
         CCH ready after {cch_s:.1} s, CCH checks {:.1} s)",
        want.len(),
        comp.len(),
        t.elapsed().as_secs_f64()
    );
    assert_eq!(sum, checksum, "{test}: sum of the 10,000 distances");
}

#[test]
fn eurasia_rail_10k_checksum() {
    check_10k(rail(), 0x7a11_0001, RAIL_CHECKSUM);
}

#[test]
fn eurasia_road_10k_checksum() {
    check_10k(road(), 0x7a11_0002, ROAD_CHECKSUM);
}
