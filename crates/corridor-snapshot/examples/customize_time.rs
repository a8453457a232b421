//! Times the customization of a snapshot for a profile with a custom avoid list: basic
//! (lower triangles) and perfect, and a query on each.
//! `cargo run --release -p corridor-snapshot --example customize_time -- X.corridor`

use std::time::Instant;

use corridor_snapshot::{Engine, Objective, Profile};

fn main() {
    let path = std::env::args().nth(1).expect("usage: customize_time SNAPSHOT");
    let engine = Engine::load(std::path::Path::new(&path)).expect("snapshot");
    let profile =
        Profile { objective: Objective::Time, avoid_countries: vec!["RU".into(), "BY".into()], ..Profile::default() };
    // The same CCH built on the heap (as servers did before snapshots stored it), to compare
    // customization over mapped pages with customization over heap arrays.
    let heap = corridor_cch::Cch::new(&engine.snapshot().graph(), engine.snapshot().order());
    let w = profile.weights(engine.snapshot());
    for (name, cch) in [("mapped", engine.cch()), ("heap", &heap)] {
        let runs = |customize: &dyn Fn()| -> Vec<f64> {
            (0..10)
                .map(|_| {
                    let t = Instant::now();
                    customize();
                    t.elapsed().as_secs_f64() * 1e3
                })
                .collect()
        };
        let mut seq = runs(&|| drop(corridor_cch::CchMetric::new(cch, &w)));
        let mut par = runs(&|| drop(corridor_cch::CchMetric::new_parallel(cch, &w)));
        seq.sort_by(f64::total_cmp);
        par.sort_by(f64::total_cmp);
        println!(
            "basic customization on the {name} CCH, 10 runs: sequential min {:.0} ms, median {:.0} ms; parallel min {:.0} ms, median {:.0} ms",
            seq[0], seq[5], par[0], par[5]
        );
    }
    for round in 0..3 {
        let t = Instant::now();
        let w = profile.weights(engine.snapshot());
        let t_w = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let basic = corridor_cch::CchMetric::new(engine.cch(), &w);
        let t_b = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let d1 = engine.path(&basic, 0, (engine.snapshot().node_count() / 2) as u32).map(|x| x.0);
        let t_qb = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let perfect = basic.perfect();
        let t_p = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let d2 = engine.path(&perfect, 0, (engine.snapshot().node_count() / 2) as u32).map(|x| x.0);
        let t_qp = t.elapsed().as_secs_f64();
        assert_eq!(d1, d2);
        println!(
            "round {round}: weights {:.0} ms, basic customization {:.0} ms, query {:.1} ms; perfect {:.0} ms more, query {:.1} ms",
            t_w * 1e3,
            t_b * 1e3,
            t_qb * 1e3,
            t_p * 1e3,
            t_qp * 1e3
        );
    }
}
