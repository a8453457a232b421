//! `corridor assign`: demand assigned to the corridor network under capacity (bottlenecks,
//! corridor shares, totals), or the user equilibrium of a TNTP network (`--tntp-net`).

use std::path::PathBuf;

use crate::args::{AnalysisOpts, AssignArgs};
use crate::common::{Failure, analysis_inputs, fail};

/// Runs `assign` in TNTP mode when `--tntp-net` is given, else on the corridor network.
pub(crate) fn run(data: Option<&PathBuf>, args: AssignArgs) -> Result<(), Failure> {
    match args.tntp_net {
        None => {
            let choice = if args.no_choice { None } else { Some((args.market, args.choice)) };
            let files =
                Files { out: args.out, geojson: args.geojson, parquet: args.parquet, geoparquet: args.geoparquet };
            corridor(data, &args.analysis, args.top, files, choice)
        }
        Some(net) => {
            // The corridor network's demand options mean nothing to a TNTP network: refused,
            // not ignored.
            let a = &args.analysis;
            let given = [
                ("--demand", a.demand.is_some()),
                ("--capacities", a.capacities.is_some()),
                ("--growth", a.growth.is_some()),
                ("--hard-capacity", a.hard_capacity),
            ];
            if let Some((flag, _)) = given.iter().find(|(_, on)| *on) {
                return Err(fail(2, format!("{flag}: applies to the corridor network, not with --tntp-net")));
            }
            if !(args.gap.is_finite() && args.gap > 0.0 && args.gap < 1.0) {
                return Err(fail(2, format!("--gap {:?}: must be a relative gap between 0 and 1", args.gap)));
            }
            if !(1..=1_000_000).contains(&args.max_iter) {
                return Err(fail(2, format!("--max-iter {}: must be between 1 and 1000000", args.max_iter)));
            }
            tntp(net, args.tntp_trips, args.gap, args.max_iter, args.out)
        }
    }
}

/// The files an assignment writes besides its table (`--out`, `--geojson`, `--parquet`,
/// `--geoparquet`).
struct Files {
    out: Option<PathBuf>,
    geojson: Option<PathBuf>,
    parquet: Option<PathBuf>,
    geoparquet: Option<PathBuf>,
}

/// The corridor network's assignment: the table, and the flows to the files asked for.
fn corridor(
    data: Option<&PathBuf>,
    analysis: &AnalysisOpts,
    top: usize,
    files: Files,
    choice: Option<(Option<PathBuf>, Option<PathBuf>)>,
) -> Result<(), Failure> {
    let Files { out, geojson, parquet, geoparquet } = files;
    let (model, demand, method) = analysis_inputs(data, analysis)?;
    // The choice's inputs are read before the assignment runs, so a bad file fails fast.
    let choice_inputs = choice.map(|(market, spec)| choice_texts(data, market, spec)).transpose()?;
    let report =
        corridor_analytics::commands::run_assignment(&model, &demand, method).map_err(|e| fail(1, e.to_string()))?;
    print!("{}", corridor_analytics::render_assignment_table(&report, top));
    match choice_inputs {
        Some(Some((market, spec))) => {
            // The choice weighs whole door-to-door routes, so it runs on the full core (where every
            // corridor reaches inland places through shared feeders), not on the assignment's
            // curated scope; `--data DIR` uses DIR's network for both.
            let core;
            let net = match data {
                Some(_) => &model.network,
                None => {
                    core = corridor_io::load(&corridor_io::DatasetFiles::embedded())
                        .map_err(|d| fail(1, format!("embedded dataset: {} error(s)", d.len())))?
                        .network;
                    &core
                }
            };
            let graph = corridor_model::Graph::compile(net);
            let router = corridor_search::Router::new(net, &graph);
            let r = corridor_analytics::commands::run_choice(&router, &market, &spec)
                .map_err(|e| fail(2, e.to_string()))?;
            print!("\n{}", corridor_analytics::render_choice(&r));
        }
        Some(None) => println!(
            "\nCorridor choice skipped: {} has no market_2024.csv and choice_2024.toml (give --market and --choice)",
            data.map_or(String::new(), |d| d.display().to_string())
        ),
        None => {}
    }
    if let Some(path) = out {
        std::fs::write(&path, corridor_analytics::elements_csv(&report))
            .map_err(|e| fail(1, format!("{}: {e}", path.display())))?;
    }
    if let Some(path) = parquet {
        corridor_parquet::write_table(
            &corridor_analytics::elements_csv(&report),
            &corridor_parquet::schemas::ASSIGN_ELEMENTS,
            &path,
        )
        .map_err(|e| fail(1, e.to_string()))?;
    }
    if let Some(path) = geoparquet {
        crate::geoparquet::flows(&corridor_analytics::flows_geojson(&model.network, &report), &path)?;
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

/// The corridor choice's market and specification as (name, text) pairs: the files given, else
/// the dataset directory's, else the embedded ones. `None` when `--data DIR` has neither file
/// and none is given (a dataset without a choice model).
#[allow(clippy::type_complexity)]
fn choice_texts(
    data: Option<&PathBuf>,
    market: Option<PathBuf>,
    spec: Option<PathBuf>,
) -> Result<Option<((String, String), (String, String))>, Failure> {
    let read = |p: &std::path::Path| {
        corridor_io::files::read_text(p, corridor_io::files::MAX_TEXT_BYTES)
            .map(|t| (p.display().to_string(), t))
            .map_err(|e| fail(2, format!("{}: {e}", p.display())))
    };
    let pick = |given: Option<PathBuf>, name: &str, embedded: &str| -> Result<Option<(String, String)>, Failure> {
        match (given, data) {
            (Some(p), _) => read(&p).map(Some),
            (None, Some(d)) if d.join(name).is_file() => read(&d.join(name)).map(Some),
            (None, Some(_)) => Ok(None),
            (None, None) => Ok(Some((name.to_string(), embedded.to_string()))),
        }
    };
    let m = pick(market, "market_2024.csv", corridor_analytics::DEFAULT_MARKET_CSV)?;
    let s = pick(spec, "choice_2024.toml", corridor_analytics::DEFAULT_CHOICE_TOML)?;
    match (m, s) {
        (Some(m), Some(s)) => Ok(Some((m, s))),
        (None, None) => Ok(None),
        (Some(_), None) => Err(fail(2, "the corridor choice needs choice_2024.toml too (give --choice)")),
        (None, Some(_)) => Err(fail(2, "the corridor choice needs market_2024.csv too (give --market)")),
    }
}
