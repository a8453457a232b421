//! `corridor resilience`: the criticality of each busy element (extra cost and unserved demand
//! when it is lost).

use std::path::PathBuf;

use crate::args::ResilienceArgs;
use crate::common::{Failure, analysis_inputs, fail};

/// Runs the ranking (progress on a terminal's stderr), prints its top and writes `--out`.
pub(crate) fn run(data: Option<&PathBuf>, args: ResilienceArgs) -> Result<(), Failure> {
    let ResilienceArgs { analysis, top_n, out, parquet, shard, unserved_penalty } = args;
    let shard =
        shard.map(|t| corridor_analytics::Shard::parse(&t).map_err(|e| fail(2, format!("--shard {e}")))).transpose()?;
    if !(unserved_penalty.is_finite() && (1.0..=1e9).contains(&unserved_penalty)) {
        return Err(fail(2, format!("--unserved-penalty {unserved_penalty}: expected USD per TEU in [1, 1e9]")));
    }
    if top_n == Some(0) {
        return Err(fail(2, "--top-n 0: expected at least 1"));
    }
    let config = corridor_analytics::HardCapacityConfig { unserved_penalty_usd: unserved_penalty };
    let (model, demand, _) = analysis_inputs(data, &analysis)?;
    let progress = |done: usize, total: usize| {
        if std::io::IsTerminal::is_terminal(&std::io::stderr()) && !crate::common::quiet() {
            eprint!("\r{done}/{total} elements");
        }
    };
    let r = corridor_analytics::resilience_part(&model, &demand, top_n, &config, shard, &progress)
        .map_err(|e| fail(1, e.to_string()))?;
    crate::common::note!();
    let rows = top_n.unwrap_or(corridor_analytics::commands::DEFAULT_ROWS);
    print!("{}", corridor_analytics::render_resilience(&r, rows, unserved_penalty));
    if let Some(path) = out {
        std::fs::write(&path, corridor_analytics::resilience_csv(&r))
            .map_err(|e| fail(1, format!("{}: {e}", path.display())))?;
    }
    if let Some(path) = parquet {
        let meta = crate::common::part_footer("resilience", shard, None);
        corridor_parquet::write_table_with(
            &corridor_analytics::resilience_table(&r, true),
            &corridor_parquet::schemas::RESILIENCE,
            &meta,
            &path,
        )
        .map_err(|e| fail(1, e.to_string()))?;
    }
    Ok(())
}
