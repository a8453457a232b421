//! Criterion benchmarks of corridor-cch on a seeded synthetic road-like graph: a jittered
//! 150x150 grid (22,500 nodes) with random two-way streets, a few dropped edges and faster
//! "arterials" every tenth row and column. Timing on shared machines is noisy: keep this out of
//! CI and compare only runs on the same machine. The real-graph comparison with peer engines is
//! `bench/cch_vs_peers.sh`.

use std::hint::black_box;

use corridor_cch::{Cch, CchMetric, CchQuery, Graph, matrix, nested_dissection_order};
use criterion::{Criterion, criterion_group, criterion_main};

/// xorshift64: deterministic, dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn synthetic(side: u32, seed: u64) -> Graph {
    let mut rng = Rng(seed);
    let mut arcs = Vec::new();
    let (mut lat, mut lon) = (Vec::new(), Vec::new());
    for r in 0..side {
        for c in 0..side {
            lat.push(f64::from(r) + (rng.below(700) as f64 - 350.0) / 1000.0);
            lon.push(f64::from(c) + (rng.below(700) as f64 - 350.0) / 1000.0);
        }
    }
    for r in 0..side {
        for c in 0..side {
            let u = r * side + c;
            for (v, line) in
                [(c + 1 < side).then(|| (u + 1, r)), (r + 1 < side).then(|| (u + side, c))].into_iter().flatten()
            {
                // 15 % of the streets are missing; arterials are never dropped.
                let arterial = line % 10 == 0;
                if !arterial && rng.below(100) < 15 {
                    continue;
                }
                let base = if arterial { 20 } else { 40 };
                arcs.push((u, v, base + rng.below(20) as u32));
                arcs.push((v, u, base + rng.below(20) as u32));
            }
        }
    }
    Graph::from_arcs((side * side) as usize, &arcs, lat, lon)
}

fn bench(c: &mut Criterion) {
    let g = synthetic(150, 42);
    let n = g.node_count() as u64;
    let order = nested_dissection_order(&g);
    let cch = Cch::new(&g, &order);
    let metric = CchMetric::new(&cch, &g.weight).perfect();
    let mut rng = Rng(7);
    let pairs: Vec<(u32, u32)> = (0..1000).map(|_| (rng.below(n) as u32, rng.below(n) as u32)).collect();
    let sources: Vec<u32> = (0..100).map(|_| rng.below(n) as u32).collect();
    let targets: Vec<u32> = (0..100).map(|_| rng.below(n) as u32).collect();

    let mut group = c.benchmark_group("synthetic_22k");
    group.sample_size(10);
    group.bench_function("nested_dissection_order", |b| b.iter(|| nested_dissection_order(black_box(&g))));
    group.bench_function("cch_build", |b| b.iter(|| Cch::new(black_box(&g), &order)));
    group.bench_function("customize", |b| b.iter(|| CchMetric::new(&cch, black_box(&g.weight))));
    group.bench_function("customize_parallel", |b| b.iter(|| CchMetric::new_parallel(&cch, black_box(&g.weight))));
    group.bench_function("customize_basic_plus_perfect", |b| {
        b.iter(|| CchMetric::new(&cch, black_box(&g.weight)).perfect())
    });
    group.bench_function("query_1000", |b| {
        let mut q = CchQuery::new(&metric);
        b.iter(|| pairs.iter().map(|&(s, t)| q.distance(s, t).map_or(0, u64::from)).sum::<u64>())
    });
    group.bench_function("query_and_path_1000", |b| {
        let mut q = CchQuery::new(&metric);
        let mut path = Vec::new();
        b.iter(|| {
            for &(s, t) in &pairs {
                q.distance(s, t);
                path.clear();
                q.path_into(&mut path);
            }
            path.len()
        })
    });
    group.bench_function("matrix_100x100", |b| b.iter(|| matrix(&metric, black_box(&sources), &targets)));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
