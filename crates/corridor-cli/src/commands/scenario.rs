//! `corridor scenario diff`: base and scenario assigned, and the deltas side by side.

use std::path::{Path, PathBuf};

use crate::args::{ScenarioAction, ScenarioArgs};
use crate::common::{Failure, analysis_inputs, fail};

/// Runs the scenario action.
pub(crate) fn run(data: Option<&PathBuf>, args: ScenarioArgs) -> Result<(), Failure> {
    let (base, scenario, analysis) = match args.action {
        ScenarioAction::Diff { base, scenario, analysis } => (base, scenario, analysis),
        ScenarioAction::Sweep { scenarios, analysis, parquet, shard } => {
            return sweep(data, &scenarios, &analysis, parquet, shard);
        }
    };
    let (model, demand, method) = analysis_inputs(data, &analysis)?;
    let read = |p: &Path| -> Result<corridor_analytics::Scenario, Failure> {
        let text = corridor_io::files::read_text(p, corridor_io::files::MAX_TEXT_BYTES)
            .map_err(|e| fail(2, format!("{}: {e}", p.display())))?;
        corridor_analytics::Scenario::parse(&text).map_err(|e| fail(2, format!("{}: {e}", p.display())))
    };
    let base = if base == "base" { None } else { Some(read(Path::new(&base))?) };
    let s1 = read(&scenario)?;
    let text = corridor_analytics::commands::scenario_diff_command(&model, &demand, base.as_ref(), &s1, method)
        .map_err(|e| fail(1, e.to_string()))?;
    print!("{text}");
    Ok(())
}

/// `corridor scenario sweep`: the base once, then each scenario of this part, one row each.
fn sweep(
    data: Option<&PathBuf>,
    files: &[PathBuf],
    analysis: &crate::args::AnalysisOpts,
    parquet: Option<PathBuf>,
    shard: Option<String>,
) -> Result<(), Failure> {
    use corridor_analytics::commands::run_assignment;
    let shard =
        shard.map(|t| corridor_analytics::Shard::parse(&t).map_err(|e| fail(2, format!("--shard {e}")))).transpose()?;
    let (model, demand, method) = analysis_inputs(data, analysis)?;
    // Every file is read (and refused if bad) in every part, so that parts agree on the job.
    let mut scenarios = Vec::new();
    for p in files {
        let text = corridor_io::files::read_text(p, corridor_io::files::MAX_TEXT_BYTES)
            .map_err(|e| fail(2, format!("{}: {e}", p.display())))?;
        scenarios
            .push(corridor_analytics::Scenario::parse(&text).map_err(|e| fail(2, format!("{}: {e}", p.display())))?);
    }
    let base = run_assignment(&model, &demand, method).map_err(|e| fail(1, e.to_string()))?;
    let b = &base.totals;
    let mut csv = corridor_parquet::schemas::SCENARIO_SWEEP.iter().map(|c| c.name).collect::<Vec<_>>().join(",") + "\n";
    println!("scenario                        unserved TEU     TEU-days       generalized USD    change USD");
    for (k, (sc, path)) in scenarios.iter().zip(files).enumerate() {
        if shard.is_some_and(|s| !s.contains(k)) {
            continue;
        }
        let m = corridor_analytics::apply_model(&model, sc).map_err(|e| fail(2, format!("{}: {e}", path.display())))?;
        let r = run_assignment(&m, &demand, method).map_err(|e| fail(1, e.to_string()))?;
        let t = &r.totals;
        let name = sc.display_name().replace([',', '"', '\n'], " ");
        let file = path.display().to_string().replace([',', '"', '\n'], " ");
        csv += &format!(
            "{name},{file},{},{},{},{},{},{},{},{},{}\n",
            t.served_teu,
            t.unserved_teu,
            t.teu_days,
            t.usd,
            t.co2e_t,
            t.generalized_usd,
            t.unserved_teu - b.unserved_teu,
            t.teu_days - b.teu_days,
            t.generalized_usd - b.generalized_usd
        );
        println!(
            "{name:<30} {:>13.0} {:>12.0} {:>21.0} {:>+13.0}",
            t.unserved_teu,
            t.teu_days,
            t.generalized_usd,
            t.generalized_usd - b.generalized_usd
        );
    }
    if let Some(path) = parquet {
        let meta = crate::common::part_footer("scenario-sweep", shard, Some(1));
        corridor_parquet::write_table_with(&csv, &corridor_parquet::schemas::SCENARIO_SWEEP, &meta, &path)
            .map_err(|e| fail(1, e.to_string()))?;
    }
    Ok(())
}
