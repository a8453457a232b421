//! Validation against the best-known equilibria of the TNTP networks (Sioux Falls, Anaheim).
//!
//! The data lives outside the repository, in `<repo>/../shared/data/tntp` (or the directory
//! named by `CORRIDOR_TNTP_DIR`). When it is absent the tests print why and pass: the crate's
//! own behaviour is covered by the small networks and property tests, which need no data.
//!
//! Link-flow tolerance: `|x − x*| ≤ max(1% · x*, 1 vehicle)`, i.e. relative for flows of 100
//! vehicles or more and absolute (1 vehicle) below, where 1% of a tiny flow would demand
//! agreement far below what any gap-based stopping rule controls.
//!
//! Why Anaheim's flow check runs at a tighter gap than 1e-4: most Anaheim links run far below
//! capacity (v/c ≈ 0.01-0.3), where the BPR delay is 1e-9 to 1e-3 of the free-flow time. Their
//! costs hardly depend on their flows, so the equilibrium link flows are ill-determined: at a
//! relative gap of 1e-4, 309 of 914 links differ from the best-known flows by more than the
//! tolerance (up to 56%), with TSTT already within 0.02%. Measured with this crate (bfw):
//! max deviation 25% at 1e-6, 4% at 1e-7, 1.07% at 1e-8, 0.82% (1.7 veh on small links) at
//! 1e-9, 0.036% (0.27 veh) at 1e-10. So the 1e-4 test asserts gap, TSTT and objective, and the
//! 1%-flow test runs at 1e-10 (38k iterations, 90-120 s in release: `#[ignore]`d, run with
//! `cargo test --release -p corridor-assign -- --ignored`). Sioux Falls is congested enough
//! that 1e-4 already pins every flow to 0.52%.

use std::path::{Path, PathBuf};

use corridor_assign::{AssignConfig, TntpResult, evaluate, run_tntp_with, tntp, write_flows_csv};

/// The TNTP data directory, or `None` (with a message) if it is absent.
fn data_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("CORRIDOR_TNTP_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/tntp"));
    if dir.join("SiouxFalls_net.tntp").is_file() {
        Some(dir)
    } else {
        println!("SKIPPED: TNTP data not found in {} (set CORRIDOR_TNTP_DIR)", dir.display());
        None
    }
}

/// Deviations of a result from the best-known `_flow.tntp`.
struct Comparison {
    /// Largest `|x − x*| / x*` over links with `x* ≥ 100`.
    max_rel: f64,
    /// Largest `|x − x*|` over links with `x* < 100`.
    max_abs_small: f64,
    /// Links outside `max(1% · x*, 1)`.
    violations: usize,
    /// `(TSTT − TSTT*) / TSTT*`, with TSTT* = Σ volume · cost of the flow file.
    tstt_rel: f64,
    /// Relative difference of the Beckmann objectives.
    beckmann_rel: f64,
}

fn compare(dir: &Path, name: &str, r: &TntpResult) -> Comparison {
    let best = tntp::read_flows(&dir.join(format!("{name}_flow.tntp"))).unwrap();
    assert_eq!(best.len(), r.network.links.len(), "one best-known flow per link");
    let (mut max_rel, mut max_abs_small, mut violations, mut best_tstt) = (0.0f64, 0.0f64, 0, 0.0);
    for ((b, l), &x) in best.iter().zip(&r.network.links).zip(&r.assignment.flows) {
        assert_eq!((b.from, b.to), (l.from, l.to), "flow file follows the link order");
        best_tstt += b.volume * b.cost;
        let dev = (x - b.volume).abs();
        if b.volume >= 100.0 {
            max_rel = max_rel.max(dev / b.volume);
        } else {
            max_abs_small = max_abs_small.max(dev);
        }
        if dev > (0.01 * b.volume).max(1.0) {
            violations += 1;
        }
    }
    let net = r.network.to_network().unwrap();
    let best_flows: Vec<f64> = best.iter().map(|b| b.volume).collect();
    let best_beckmann = net.beckmann(&best_flows);
    Comparison {
        max_rel,
        max_abs_small,
        violations,
        tstt_rel: (r.assignment.tstt - best_tstt) / best_tstt,
        beckmann_rel: (r.assignment.beckmann - best_beckmann) / best_beckmann,
    }
}

fn run(dir: &Path, name: &str, gap: f64, max_iterations: usize) -> (TntpResult, Comparison) {
    let config = AssignConfig { target_gap: gap, max_iterations, ..AssignConfig::default() };
    let r =
        run_tntp_with(&dir.join(format!("{name}_net.tntp")), &dir.join(format!("{name}_trips.tntp")), &config).unwrap();
    let c = compare(dir, name, &r);
    println!(
        "{name} @ {gap:e}: {} iterations, gap {:.3e}, TSTT {:.1} ({:+.2e} vs best), max flow dev {:.3}% (x* >= 100) \
         / {:.3} veh (x* < 100), {} links outside tolerance, {:.3} s",
        r.report.iterations,
        r.report.relative_gap,
        r.report.tstt,
        c.tstt_rel,
        100.0 * c.max_rel,
        c.max_abs_small,
        c.violations,
        r.report.assign_time.as_secs_f64()
    );
    (r, c)
}

#[test]
fn sioux_falls_matches_best_known() {
    let Some(dir) = data_dir() else { return };
    let (r, c) = run(&dir, "SiouxFalls", 1e-4, 1000);
    assert!(r.report.converged && r.report.relative_gap <= 1e-4);
    assert!(c.violations == 0, "max dev {}% / {} veh", 100.0 * c.max_rel, c.max_abs_small);
    assert!(c.tstt_rel.abs() <= 1e-3, "TSTT off by {:e}", c.tstt_rel);
    assert!(c.beckmann_rel.abs() <= 1e-4);
    // The gap reported is the gap of the flows returned, measured independently.
    let net = r.network.to_network().unwrap();
    let od = tntp::read_trips(&dir.join("SiouxFalls_trips.tntp")).unwrap().od;
    let g = evaluate(&net, &od, &r.assignment.flows).unwrap();
    assert!((g.relative_gap - r.report.relative_gap).abs() <= 1e-12);
}

#[test]
fn anaheim_converges_with_best_known_tstt() {
    let Some(dir) = data_dir() else { return };
    if !dir.join("Anaheim_net.tntp").is_file() {
        println!("SKIPPED: Anaheim not in {}", dir.display());
        return;
    }
    let (r, c) = run(&dir, "Anaheim", 1e-4, 1000);
    assert!(r.report.converged && r.report.relative_gap <= 1e-4);
    assert!(c.tstt_rel.abs() <= 1e-3, "TSTT off by {:e}", c.tstt_rel);
    // The objective is what the gap controls: Φ(x) − Φ* ≤ TSTT − SPTT = gap · TSTT.
    let bound = r.report.relative_gap * r.report.tstt / r.assignment.beckmann;
    assert!(c.beckmann_rel <= bound + 1e-9, "{} > {}", c.beckmann_rel, bound);
}

/// Anaheim's flows within 1% of best-known need a relative gap near 1e-10 (see the module
/// docs); 90-120 s in release, so opt-in.
#[test]
#[ignore = "slow: run with --release -- --ignored"]
fn anaheim_flows_match_best_known_at_tight_gap() {
    let Some(dir) = data_dir() else { return };
    let (r, c) = run(&dir, "Anaheim", 1e-10, 100_000);
    assert!(r.report.converged);
    assert!(c.violations == 0, "max dev {}% / {} veh", 100.0 * c.max_rel, c.max_abs_small);
    assert!(c.tstt_rel.abs() <= 1e-3);
}

/// The CSV has the `_flow` file's rows in its order, and the numbers read back exactly.
#[test]
fn flows_csv_follows_flow_file_order() {
    let Some(dir) = data_dir() else { return };
    let (r, _) = run(&dir, "SiouxFalls", 1e-3, 1000);
    let mut buf = Vec::new();
    write_flows_csv(&mut buf, &r).unwrap();
    let text = String::from_utf8(buf).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("from,to,volume,cost"));
    let best = tntp::read_flows(&dir.join("SiouxFalls_flow.tntp")).unwrap();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), best.len());
    for ((row, b), (&x, &t)) in rows.iter().zip(&best).zip(r.assignment.flows.iter().zip(&r.assignment.times)) {
        assert_eq!((row[0].parse::<u32>().unwrap(), row[1].parse::<u32>().unwrap()), (b.from, b.to));
        assert_eq!(row[2].parse::<f64>().unwrap(), x);
        assert_eq!(row[3].parse::<f64>().unwrap(), t);
    }
}

/// `cli_main` writes the CSV and returns the report the binary prints; bad paths are errors
/// that name the file.
#[test]
fn cli_main_writes_csv_and_reports() {
    let Some(dir) = data_dir() else { return };
    let out = std::env::temp_dir().join(format!("corridor-assign-cli-{}.csv", std::process::id()));
    let args = corridor_assign::AssignArgs {
        net: dir.join("SiouxFalls_net.tntp"),
        trips: dir.join("SiouxFalls_trips.tntp"),
        gap: 1e-4,
        max_iter: 1000,
        out: Some(out.clone()),
    };
    let report = corridor_assign::cli_main(args.clone()).unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    std::fs::remove_file(&out).unwrap();
    assert_eq!(text.lines().count(), 1 + 76);
    let shown = report.to_string();
    println!("{shown}");
    assert!(shown.contains("76 links, 24 nodes, 24 zones") && shown.contains("relative gap") && shown.contains("TSTT"));

    let missing = corridor_assign::AssignArgs { net: dir.join("nope_net.tntp"), ..args };
    let e = corridor_assign::cli_main(missing).unwrap_err().to_string();
    assert!(e.contains("nope_net.tntp"), "{e}");
}
