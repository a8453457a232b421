//! Runs the assignment on a TNTP network: the stand-in for `corridor assign` used by
//! `bench/assign_vs_aequilibrae.sh` until the CLI is wired.
//!
//! ```text
//! cargo run --release -p corridor-assign --example assign_tntp -- NET TRIPS [--gap 1e-4]
//!     [--max-iter 1000] [--algorithm fw|cfw|bfw] [--repeat N] [--out flows.csv]
//!     [--best F_flow.tntp] [--eval flows.csv]
//! ```
//!
//! Prints `key value` lines (machine-readable for the benchmark helper). `--repeat N` runs the
//! assignment N times and reports the fastest (timings on shared machines are noisy).
//! `--best` compares with a best-known `_flow.tntp`; `--eval` measures the relative gap of
//! flows computed by another tool (a CSV with a `volume` column in link order) with this
//! crate's definition, so that both tools are judged by one yardstick.

use std::path::PathBuf;
use std::process::ExitCode;

use corridor_assign::{Algorithm, AssignConfig, evaluate, run_tntp_with, tntp, write_flows_csv};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut positional = Vec::new();
    let mut config = AssignConfig::default();
    let (mut repeat, mut out, mut best, mut eval) = (1usize, None, None, None);
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--gap" => config.target_gap = value()?.parse()?,
            "--max-iter" => config.max_iterations = value()?.parse()?,
            "--repeat" => repeat = value()?.parse()?,
            "--out" => out = Some(PathBuf::from(value()?)),
            "--best" => best = Some(PathBuf::from(value()?)),
            "--eval" => eval = Some(PathBuf::from(value()?)),
            "--algorithm" => {
                config.algorithm = match value()?.as_str() {
                    "fw" => Algorithm::FrankWolfe,
                    "cfw" => Algorithm::ConjugateFrankWolfe,
                    "bfw" => Algorithm::BiconjugateFrankWolfe,
                    other => return Err(format!("unknown algorithm {other:?}").into()),
                }
            }
            _ => positional.push(PathBuf::from(a)),
        }
    }
    let [net_path, trips_path] = positional.as_slice() else {
        return Err("usage: assign_tntp NET TRIPS [options]".into());
    };

    if let Some(path) = eval {
        // Score someone else's flows: read `volume` from a CSV in link order.
        let net = tntp::read_net(net_path)?;
        let od = tntp::read_trips(trips_path)?.od;
        let text = std::fs::read_to_string(&path)?;
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap_or("").split(',').collect();
        let col = header.iter().position(|h| h.trim() == "volume").ok_or("no volume column")?;
        let flows: Vec<f64> = lines
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.split(',').nth(col).unwrap_or("").trim().parse())
            .collect::<Result<_, _>>()?;
        let g = evaluate(&net.to_network()?, &od, &flows)?;
        println!("relative_gap {:e}\ntstt {}\nbeckmann {}", g.relative_gap, g.tstt, g.beckmann);
        if let Some(best) = best {
            compare_with_best(&best, &net, &flows, g.tstt)?;
        }
        return Ok(());
    }

    let mut result = run_tntp_with(net_path, trips_path, &config)?;
    for _ in 1..repeat {
        let again = run_tntp_with(net_path, trips_path, &config)?;
        if again.report.assign_time < result.report.assign_time {
            result = again;
        }
    }
    let r = &result.report;
    println!("iterations {}", r.iterations);
    println!("relative_gap {:e}", r.relative_gap);
    println!("converged {}", r.converged);
    println!("tstt {}", r.tstt);
    println!("beckmann {}", result.assignment.beckmann);
    println!("assign_seconds {}", r.assign_time.as_secs_f64());
    println!("read_seconds {}", r.read_time.as_secs_f64());
    if let Some(path) = best {
        compare_with_best(&path, &result.network, &result.assignment.flows, r.tstt)?;
    }
    if let Some(path) = out {
        write_flows_csv(std::io::BufWriter::new(std::fs::File::create(path)?), &result)?;
    }
    Ok(())
}

/// Prints the deviations of `flows` from a best-known `_flow.tntp`: TSTT, the largest relative
/// deviation over links with at least 100 vehicles and the largest absolute one below.
fn compare_with_best(
    path: &std::path::Path,
    net: &tntp::TntpNetwork,
    flows: &[f64],
    tstt: f64,
) -> Result<(), Box<dyn std::error::Error>> {
    let best = tntp::read_flows(path)?;
    if best.len() != flows.len() {
        return Err(format!("{} has {} rows for {} links", path.display(), best.len(), flows.len()).into());
    }
    let (mut max_rel, mut max_abs_small, mut best_tstt) = (0.0f64, 0.0f64, 0.0);
    for ((b, &x), l) in best.iter().zip(flows).zip(&net.links) {
        if (b.from, b.to) != (l.from, l.to) {
            return Err(format!("flow file row {}->{} does not match link {}->{}", b.from, b.to, l.from, l.to).into());
        }
        best_tstt += b.volume * b.cost;
        if b.volume >= 100.0 {
            max_rel = max_rel.max((x - b.volume).abs() / b.volume);
        } else {
            max_abs_small = max_abs_small.max((x - b.volume).abs());
        }
    }
    println!("best_tstt {best_tstt}");
    println!("tstt_rel_dev {:e}", (tstt - best_tstt) / best_tstt);
    println!("max_rel_dev_flows_ge_100 {max_rel:e}");
    println!("max_abs_dev_flows_lt_100 {max_abs_small:e}");
    Ok(())
}
