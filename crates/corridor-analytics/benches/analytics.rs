//! Benchmarks of corridor-analytics' hot paths on the default data: the corridor choice of
//! `corridor assign` (one `compare` per market cell, then the logit's calibration) and the
//! equilibrium assignment it prints beside. Run with
//! `cargo bench -p corridor-analytics --bench analytics`.

use std::hint::black_box;

use corridor_analytics::commands::{AssignMethod, default_inputs, run_assignment, run_choice};
use corridor_analytics::{DEFAULT_CHOICE_TOML, DEFAULT_MARKET_CSV};
use corridor_io::{DatasetFiles, load};
use criterion::{Criterion, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let net = load(&DatasetFiles::embedded()).expect("embedded dataset").network;
    let market = ("market_2024.csv".to_string(), DEFAULT_MARKET_CSV.to_string());
    let spec = ("choice_2024.toml".to_string(), DEFAULT_CHOICE_TOML.to_string());
    let graph = corridor_model::Graph::compile(&net);
    let router = corridor_search::Router::new(&net, &graph);
    c.bench_function("choice_2024_112_cells", |b| {
        b.iter(|| black_box(run_choice(&router, &market, &spec).unwrap().iterations))
    });
    let (model, demand) = default_inputs().expect("default inputs");
    c.bench_function("assign_equilibrium_2024", |b| {
        b.iter(|| black_box(run_assignment(&model, &demand, AssignMethod::Equilibrium).unwrap().totals.served_teu))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(std::time::Duration::from_secs(5));
    targets = bench
}
criterion_main!(benches);
