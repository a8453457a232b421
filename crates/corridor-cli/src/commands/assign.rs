//! `corridor assign`: demand assigned to the corridor network under capacity (bottlenecks,
//! corridor shares, totals), or the user equilibrium of a TNTP network (`--tntp-net`).

use std::path::PathBuf;

use crate::args::{AnalysisOpts, AssignArgs};
use crate::common::{Failure, analysis_inputs, fail};

/// Runs `assign` in TNTP mode when `--tntp-net` is given, else on the corridor network.
pub(crate) fn run(data: Option<&PathBuf>, args: AssignArgs) -> Result<(), Failure> {
    match args.tntp_net {
        None => corridor(data, &args.analysis, args.top, args.out, args.geojson, args.parquet),
        Some(net) => tntp(net, args.tntp_trips, args.gap, args.max_iter, args.out),
    }
}

/// The corridor network's assignment: the table, and the flows to the files asked for.
fn corridor(
    data: Option<&PathBuf>,
    analysis: &AnalysisOpts,
    top: usize,
    out: Option<PathBuf>,
    geojson: Option<PathBuf>,
    parquet: Option<PathBuf>,
) -> Result<(), Failure> {
    let (model, demand, method) = analysis_inputs(data, analysis)?;
    let report =
        corridor_analytics::commands::run_assignment(&model, &demand, method).map_err(|e| fail(1, e.to_string()))?;
    print!("{}", corridor_analytics::render_assignment_table(&report, top));
    if let Some(path) = out {
        std::fs::write(&path, corridor_analytics::elements_csv(&report))
            .map_err(|e| fail(1, format!("{}: {e}", path.display())))?;
    }
    if let Some(path) = parquet {
        corridor_parquet::csv_to_parquet(&corridor_analytics::elements_csv(&report), &path)
            .map_err(|e| fail(1, e.to_string()))?;
    }
    if let Some(path) = geojson {
        let v = corridor_analytics::flows_geojson(&model.network, &report);
        std::fs::write(&path, serde_json::to_string(&v).unwrap_or_default())
            .map_err(|e| fail(1, format!("{}: {e}", path.display())))?;
    }
    Ok(())
}

/// User equilibrium of a TNTP network to the target gap; exit code 1 when not reached.
fn tntp(
    tntp_net: PathBuf,
    tntp_trips: Option<PathBuf>,
    gap: f64,
    max_iter: usize,
    out: Option<PathBuf>,
) -> Result<(), Failure> {
    let tntp_trips = tntp_trips.ok_or_else(|| fail(2, "--tntp-net needs --tntp-trips"))?;
    if !(gap.is_finite() && gap > 0.0 && gap < 1.0) {
        return Err(fail(2, format!("--gap {gap}: must be between 0 and 1")));
    }
    let report =
        corridor_assign::cli_main(corridor_assign::AssignArgs { net: tntp_net, trips: tntp_trips, gap, max_iter, out })
            .map_err(|e| match e {
                corridor_assign::Error::Write { .. } => fail(1, e.to_string()),
                _ => fail(2, e.to_string()),
            })?;
    println!("{report}");
    if report.converged { Ok(()) } else { Err(fail(1, format!("did not reach gap {gap} in {max_iter} iterations"))) }
}
