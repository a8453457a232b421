//! `corridor resilience`: the criticality of each busy element (extra cost and unserved demand
//! when it is lost).

use std::path::PathBuf;

use crate::args::ResilienceArgs;
use crate::common::{Failure, analysis_inputs, fail};

/// Runs the ranking (progress on a terminal's stderr), prints its top and writes `--out`.
pub(crate) fn run(data: Option<&PathBuf>, args: ResilienceArgs) -> Result<(), Failure> {
    let ResilienceArgs { analysis, top_n, out } = args;
    let (model, demand, _) = analysis_inputs(data, &analysis)?;
    let progress = |done: usize, total: usize| {
        if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            eprint!("\r{done}/{total} elements");
        }
    };
    let r = corridor_analytics::resilience(
        &model,
        &demand,
        top_n,
        &corridor_analytics::HardCapacityConfig::default(),
        &progress,
    )
    .map_err(|e| fail(1, e.to_string()))?;
    eprintln!();
    print!("{}", corridor_analytics::render_resilience(&r, 25));
    if let Some(path) = out {
        std::fs::write(&path, corridor_analytics::resilience_csv(&r))
            .map_err(|e| fail(1, format!("{}: {e}", path.display())))?;
    }
    Ok(())
}
