//! `corridor scenario diff`: base and scenario assigned, and the deltas side by side.

use std::path::{Path, PathBuf};

use crate::args::{ScenarioAction, ScenarioArgs};
use crate::common::{Failure, analysis_inputs, fail};

/// Runs the scenario action.
pub(crate) fn run(data: Option<&PathBuf>, args: ScenarioArgs) -> Result<(), Failure> {
    let ScenarioAction::Diff { base, scenario, analysis } = args.action;
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
