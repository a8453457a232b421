//! The real Eurasia OSM road graph (340k nodes, 1M arcs) from `../shared/data`: CCH distances
//! on the peer harness's fixed query set must give its published checksum, and a sample must
//! equal plain Dijkstra. Skips (with a message) when the shared data is absent.
//!
//! `cargo test` builds workspace crates at opt-level 0, where nested dissection of the full
//! graph takes minutes; there the test runs on a cropped region (Western Europe box) with fewer
//! queries. With `[profile.dev.package.corridor-cch] opt-level = 3` (or `--release`) it runs on
//! the full graph and checks all 1000 pairs against the checksum.

use corridor_cch::{Cch, CchMetric, CchQuery, Dijkstra, Graph, matrix, nested_dissection_order};

use crate::real::{Rng, optimized, road, shared};

/// Checksum of the 1000 pairs of `eurasia_road/pairs.txt`, agreed by every exact peer engine.
const PAIRS_CHECKSUM: u64 = 5_969_454_924;

/// The subgraph of nodes inside a lat/lon box, renumbered in id order.
fn crop(g: &Graph, lat: (f64, f64), lon: (f64, f64)) -> Graph {
    let inside = |u: usize| (lat.0..lat.1).contains(&g.lat[u]) && (lon.0..lon.1).contains(&g.lon[u]);
    let mut id = vec![u32::MAX; g.node_count()];
    let mut keep = Vec::new();
    for (u, slot) in id.iter_mut().enumerate() {
        if inside(u) {
            *slot = keep.len() as u32;
            keep.push(u);
        }
    }
    let mut arcs = Vec::new();
    for &u in &keep {
        for a in g.arcs(u as u32) {
            let v = g.head[a] as usize;
            if id[v] != u32::MAX {
                arcs.push((id[u], id[v], g.weight[a]));
            }
        }
    }
    let lat = keep.iter().map(|&u| g.lat[u]).collect();
    let lon = keep.iter().map(|&u| g.lon[u]).collect();
    Graph::from_arcs(keep.len(), &arcs, lat, lon)
}

#[test]
fn eurasia_road_graph_matches_dijkstra() {
    let real = road();
    let Some(full) = real.graph.as_ref() else {
        eprintln!(
            "SKIPPED eurasia_road_graph_matches_dijkstra: {} not found",
            shared().join("data/osm_road_scgraph").display()
        );
        return;
    };
    assert_eq!((full.node_count(), full.arc_count()), (340_222, 1_004_562));
    // The full graph's CCH is shared with the 10k-query checksum test (built once).
    let cropped;
    let (g, cch, dijkstra_queries) = if optimized() {
        (full, real.cch(), 100)
    } else {
        eprintln!("opt-level 0: cropped to a France/Germany box, 50 Dijkstra-checked queries");
        let g = crop(full, (46.0, 51.0), (2.0, 9.0));
        let cch = Cch::new(&g, &nested_dissection_order(&g));
        cropped = (g, cch);
        (&cropped.0, &cropped.1, 50)
    };
    let metric = CchMetric::new(cch, &g.weight).perfect();
    let mut q = CchQuery::new(&metric);

    // Full graph: the harness's 1000 pairs must give the checksum every exact peer agreed on.
    let pairs = shared().join("bench/peers/eurasia_road/pairs.txt");
    if optimized() && pairs.exists() {
        let text = std::fs::read_to_string(&pairs).expect("pairs.txt");
        let mut sum = 0u64;
        for line in text.lines().filter(|l| !l.is_empty()) {
            let mut it = line.split_whitespace().map(|x| x.parse::<u32>().expect("node id"));
            let (s, t) = (it.next().unwrap(), it.next().unwrap());
            sum += u64::from(q.distance(s, t).expect("pairs lie in one component"));
        }
        assert_eq!(sum, PAIRS_CHECKSUM, "checksum of eurasia_road/pairs.txt");
    }

    // Seeded pairs against Dijkstra (distance, path length), plus a small matrix.
    let n = g.node_count();
    let tails = g.tails();
    let mut rng = Rng(0x5eed_cafe);
    let mut dij = Dijkstra::new(n);
    let (mut sum_cch, mut sum_dij) = (0u64, 0u64);
    let mut sources = Vec::new();
    for _ in 0..dijkstra_queries {
        let (s, t) = (rng.below(n), rng.below(n));
        let want = dij.distance(g, &g.weight, s, t);
        let got = q.distance(s, t);
        assert_eq!(got, want, "{s} -> {t}");
        if let Some(d) = got {
            let path = q.path();
            let mut at = s;
            let mut len = 0u64;
            for &a in &path {
                assert_eq!(tails[a as usize], at);
                at = g.head[a as usize];
                len += u64::from(g.weight[a as usize]);
            }
            assert_eq!((at, len), (t, u64::from(d)), "unpacked path {s} -> {t}");
            sum_cch += u64::from(d);
            sum_dij += u64::from(want.unwrap());
        }
        sources.push(s);
    }
    assert_eq!(sum_cch, sum_dij);
    let targets: Vec<u32> = (0..20).map(|_| rng.below(n)).collect();
    let table = matrix(&metric, &sources[..20], &targets);
    for (i, &s) in sources[..20].iter().enumerate() {
        for (j, &t) in targets.iter().enumerate() {
            assert_eq!(Some(table[i * targets.len() + j]).filter(|&d| d != corridor_cch::INF), q.distance(s, t));
        }
    }
}
