//! Benchmarks of the hot paths on the embedded default network: one-to-one route (Dijkstra;
//! also on a new router, which measures every arc first),
//! the Pareto set (multi-criteria label-setting), a time-dependent route with a departure time,
//! a corridor comparison (also under the gauge-change ban and a lift limit), a route that keeps
//! a trade ban by searching again, a voyage landed at a Mediterranean port, and a Monte Carlo
//! reliability run. Run with
//! `cargo bench -p corridor-io --bench routing`.

use std::hint::black_box;

use corridor_io::{DatasetFiles, load};
use corridor_model::{Graph, LocationIndex};
use corridor_search::{RouteRequest, Router};
use criterion::{Criterion, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let net = load(&DatasetFiles::embedded()).expect("embedded dataset").network;
    let graph = Graph::compile(&net);
    let router = Router::new(&net, &graph);
    let index = LocationIndex::new(&net.locations);
    let req = RouteRequest::new(&net.defaults, index.find("Xi'an").unwrap(), index.find("Duisburg").unwrap());
    let timed = RouteRequest { depart: Some("2026-12-01T08:00:00+08:00".parse().unwrap()), ..req.clone() };
    let to_istanbul = RouteRequest { to: index.find("Istanbul").unwrap(), ..timed.clone() };

    c.bench_function("load_and_compile_embedded", |b| {
        b.iter(|| {
            let n = load(&DatasetFiles::embedded()).unwrap().network;
            black_box(Graph::compile(&n).num_arcs())
        })
    });
    // Part of every load and of every scenario: each country's trucks for the estimated legs.
    c.bench_function("refresh_access_trucks", |b| {
        let mut n = net.clone();
        b.iter(|| {
            n.refresh_access_trucks();
            black_box(n.defaults.access.as_ref().map(|a| a.by_country.len()))
        })
    });
    c.bench_function("route_xian_duisburg", |b| b.iter(|| black_box(router.route(&req).unwrap().totals.hours)));
    // A router's first request measures every arc for its unit and payload (later ones reuse
    // that): what a one-off CLI run pays.
    c.bench_function("route_xian_duisburg_new_router", |b| {
        b.iter(|| black_box(Router::new(&net, &graph).route(&req).unwrap().totals.hours))
    });
    c.bench_function("pareto_xian_duisburg", |b| b.iter(|| black_box(router.pareto(&req).unwrap().len())));
    c.bench_function("pareto_xian_duisburg_depart", |b| b.iter(|| black_box(router.pareto(&timed).unwrap().len())));
    c.bench_function("route_xian_istanbul_depart", |b| {
        b.iter(|| black_box(router.route(&to_istanbul).unwrap().totals.hours))
    });
    c.bench_function("compare_xian_duisburg", |b| b.iter(|| black_box(router.compare(&req).corridors.len())));
    // A voyage landed at a Mediterranean port pays its landing charge on the call arc.
    let to_genoa = RouteRequest::new(&net.defaults, index.find("Shanghai").unwrap(), index.find("Genoa").unwrap());
    c.bench_function("route_shanghai_genoa", |b| b.iter(|| black_box(router.route(&to_genoa).unwrap().totals.usd)));
    // Resource constraints: one Dijkstra on the graph x resource states per corridor (before
    // 2026-12-04 a label search per corridor, 0.9 s for this compare).
    let banned = RouteRequest { avoid_gauge_changes: true, ..req.clone() };
    let limited = RouteRequest { max_transshipments: Some(2), ..req.clone() };
    c.bench_function("route_xian_duisburg_no_gauge_change", |b| {
        b.iter(|| black_box(router.route(&banned).unwrap().totals.hours))
    });
    c.bench_function("compare_xian_duisburg_no_gauge_change", |b| {
        b.iter(|| black_box(router.compare(&banned).corridors.len()))
    });
    c.bench_function("compare_xian_duisburg_max_2_lifts", |b| {
        b.iter(|| black_box(router.compare(&limited).corridors.len()))
    });
    // A trade ban kept by searching again (since 2026-12-06): Nhava Sheva to Kabul would stop in
    // Pakistan, so the search runs once more kept out of each side (the one kept out of India
    // stops at once: its origin is there); against one search with the ban set up front, as
    // the front ends did before.
    let id = |code: &str| net.location_by_code(code).expect("core location");
    let mumbai_kabul = RouteRequest::new(&net.defaults, id("INNSA"), id("AFKBL"));
    let mut up_front = mumbai_kabul.clone();
    up_front.avoid.trade_banned.push("PK".into());
    assert_eq!(router.route(&mumbai_kabul).unwrap().arcs, router.route(&up_front).unwrap().arcs);
    c.bench_function("route_mumbai_kabul_trade_ban_kept", |b| {
        b.iter(|| black_box(router.route(&mumbai_kabul).unwrap().totals.hours))
    });
    c.bench_function("route_mumbai_kabul_trade_ban_up_front", |b| {
        b.iter(|| black_box(router.route(&up_front).unwrap().totals.hours))
    });
    let route = router.route(&to_istanbul).unwrap();
    c.bench_function("reliability_2000_draws", |b| b.iter(|| black_box(router.reliability(&route, 2000, 42).p90_h)));
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
