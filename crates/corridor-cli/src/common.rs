//! What the commands share: the user-facing [`Failure`] with its exit code, loading the curated
//! network, resolving and preparing a route's two places, the core request, the analytics
//! inputs, and JSON output.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use corridor_io::{DatasetFiles, Severity};
use corridor_model::{Graph, LocationId, Network};
use corridor_search::{RouteRequest, Router};

use crate::args::{AnalysisOpts, QueryOpts, Usage};

/// A user-facing failure with its exit code.
pub(crate) struct Failure {
    /// The process exit code: 1 no route or a dataset with errors, 2 bad input.
    pub(crate) code: u8,
    /// The message, printed after `error: `.
    pub(crate) message: String,
}

/// A failure with this exit code and message.
/// Whether `-q` was given: notes and progress on stderr are left out (errors never are).
static QUIET: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Sets `-q` for the run (called once by `main`).
pub(crate) fn set_quiet(quiet: bool) {
    QUIET.store(quiet, std::sync::atomic::Ordering::Relaxed);
}

/// Whether notes and progress are silenced (`-q`).
pub(crate) fn quiet() -> bool {
    QUIET.load(std::sync::atomic::Ordering::Relaxed)
}

/// `eprintln!` for notes and progress: silent under `-q`.
macro_rules! note {
    ($($t:tt)*) => {
        if !$crate::common::quiet() {
            eprintln!($($t)*)
        }
    };
}
pub(crate) use note;

pub(crate) fn fail(code: u8, message: impl Into<String>) -> Failure {
    Failure { code, message: message.into() }
}

impl From<Usage> for Failure {
    fn from(u: Usage) -> Self {
        fail(2, u.0)
    }
}

/// The `--data` path when it names a detailed snapshot (a file) rather than a dataset directory.
pub(crate) fn snapshot(data: Option<&PathBuf>) -> Option<&PathBuf> {
    data.filter(|d| d.is_file())
}

/// The curated network: the dataset directory `data`, or the embedded one; a dataset with
/// errors prints the first 20 and fails with exit code 1.
pub(crate) fn load(data: Option<&PathBuf>) -> Result<Network, Failure> {
    let files = match data {
        Some(dir) => DatasetFiles::from_dir(dir).map_err(|e| fail(2, e.to_string()))?,
        None => DatasetFiles::embedded(),
    };
    match corridor_io::load(&files) {
        Ok(loaded) => Ok(loaded.network),
        Err(diags) => {
            let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
            for d in diags.iter().filter(|d| d.severity == Severity::Error).take(20) {
                eprintln!("{d}");
            }
            Err(fail(
                1,
                format!("dataset {} has {errors} error(s); run `corridor validate` for the full list", files.origin),
            ))
        }
    }
}

/// The network, capacities and demand for the analytics commands.
pub(crate) fn analysis_inputs(
    data: Option<&PathBuf>,
    o: &AnalysisOpts,
) -> Result<(corridor_analytics::Model, corridor_analytics::Demand, corridor_analytics::commands::AssignMethod), Failure>
{
    use corridor_analytics::{DEFAULT_CAPACITIES_CSV, DEFAULT_DEMAND_CSV, Demand, Growth};
    let read = |p: &Path| {
        corridor_io::files::read_text(p, corridor_io::files::MAX_TEXT_BYTES)
            .map_err(|e| fail(2, format!("{}: {e}", p.display())))
    };
    let files = match data {
        Some(d) => DatasetFiles::from_dir(d).map_err(|e| fail(2, e.to_string()))?,
        // The assignment's calibrated scope: see DatasetFiles::embedded_curated.
        None => DatasetFiles::embedded_curated(),
    };
    let caps = match (&o.capacities, data) {
        (Some(p), _) => read(p)?,
        // A dataset directory's own file when it has one (an unreadable one is an error, not
        // an empty table); none means no capacities.
        (None, Some(d)) => corridor_io::dataset::read_optional(d, "capacities.csv")
            .map_err(|e| fail(2, e.to_string()))?
            .map(|f| f.text)
            .unwrap_or_default(),
        (None, None) => DEFAULT_CAPACITIES_CSV.to_string(),
    };
    let model = corridor_analytics::commands::load_model(&files, (!caps.is_empty()).then_some(caps.as_str()))
        .map_err(|e| fail(1, e.to_string()))?;
    let (name, text) = match (&o.demand, data) {
        (Some(p), _) => (p.display().to_string(), read(p)?),
        // `--data DIR` assigns DIR's own demand (it ignored it, assigning the embedded one).
        (None, Some(d)) => match corridor_io::dataset::read_optional(d, "demand_2024.csv") {
            Ok(Some(f)) => (f.path, f.text),
            Ok(None) => {
                return Err(fail(
                    2,
                    format!("{}: the dataset has no demand_2024.csv; give one with --demand FILE", d.display()),
                ));
            }
            Err(e) => return Err(fail(2, e.to_string())),
        },
        (None, None) => ("demand_2024.csv".to_string(), DEFAULT_DEMAND_CSV.to_string()),
    };
    let mut demand = Demand::parse(&model.network, &name, &text)
        .map_err(|errs| fail(2, errs.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")))?;
    if let Some(g) = &o.growth {
        let presets = Growth::presets();
        let growth = presets.iter().find(|p| p.name == *g).ok_or_else(|| {
            let names: Vec<&str> = presets.iter().map(|p| p.name.as_str()).collect();
            fail(2, format!("--growth {g:?}: unknown preset (known: {})", names.join(", ")))
        })?;
        demand = demand.grown(growth);
    }
    let method = if o.hard_capacity {
        corridor_analytics::commands::AssignMethod::HardCapacity
    } else {
        corridor_analytics::commands::AssignMethod::Equilibrium
    };
    Ok((model, demand, method))
}

/// Steps 1, 2 and 4 of the pipeline: both places resolved, and the network joined to the
/// places outside it by estimated access and egress legs; with one note per such place.
pub(crate) fn prepare<'a>(
    net: &'a Network,
    from: &str,
    to: &str,
) -> Result<(corridor_routing::Prepared<'a>, Vec<String>), Failure> {
    let resolver = corridor_routing::Resolver::new(net);
    let resolve = |text: &str, what: &str| resolver.resolve(text).map_err(|e| fail(2, format!("{what}: {e}")));
    let (a, b) = (resolve(from, "origin")?, resolve(to, "destination")?);
    let prepared = corridor_routing::prepare(net, &a.endpoint, &b.endpoint).map_err(|e| fail(1, e.to_string()))?;
    let notes = prepared.access.iter().map(|x| x.describe(&prepared.network)).collect();
    Ok((prepared, notes))
}

/// Step 3's request on the core network between two of its locations.
pub(crate) fn request(net: &Network, from: LocationId, to: LocationId, o: &QueryOpts) -> Result<RouteRequest, Failure> {
    o.to_query("", "", None, None).core_request(net, from, to).map_err(|e| fail(2, e.cli()))
}

/// `--via`'s places (`route`, `compare`) on the network a search runs on, checked as the
/// routing API checks them (unknown, an end, repeated, also avoided), errors in the CLI's words.
pub(crate) fn via_places(
    opts: &QueryOpts,
    net: &Network,
    req: &RouteRequest,
    via: &[String],
) -> Result<Vec<LocationId>, Failure> {
    let q = corridor_routing::Query { via: via.to_vec(), ..opts.to_query("", "", None, None) };
    q.via_locations(net, req.from, req.to).map_err(|e| fail(2, e.cli()))
}

/// Steps 1 to 3 on the curated network, shared by route, compare and pareto: both places
/// resolved and joined to the network, the graph compiled, the one query checked and turned into
/// the core request (`--corridor` included); `search` then runs on the router.
pub(crate) fn with_router<T>(
    data: Option<&PathBuf>,
    from: &str,
    to: &str,
    opts: &QueryOpts,
    corridor: Option<&str>,
    search: impl FnOnce(&Router<'_>, &RouteRequest, &[String]) -> Result<T, Failure>,
) -> Result<T, Failure> {
    let mut core = load(data)?;
    let mut scenario_note = None;
    if let Some(path) = &opts.scenario {
        let (net, note) = with_scenario(&core, path)?;
        core = net;
        scenario_note = Some(note);
    }
    let (prepared, mut notes) = prepare(&core, from, to)?;
    notes.splice(0..0, scenario_note);
    let net = &*prepared.network;
    let graph = Graph::compile(net);
    let router = Router::new(net, &graph);
    let req = opts
        .to_query("", "", corridor, None)
        .core_request(net, prepared.from, prepared.to)
        .map_err(|e| fail(2, e.cli()))?;
    search(&router, &req, &notes)
}

/// `--scenario FILE` of `route`, `compare` and `pareto`: the network with the scenario applied,
/// and the note that says so. A scenario that changes capacities is refused: a route has no
/// capacity to change (its sections act on `corridor assign` and `corridor scenario`).
pub(crate) fn with_scenario(net: &Network, path: &Path) -> Result<(Network, String), Failure> {
    let text = corridor_io::files::read_text(path, corridor_io::files::MAX_TEXT_BYTES)
        .map_err(|e| fail(2, format!("--scenario {}: {e}", path.display())))?;
    let sc = corridor_analytics::Scenario::parse(&text)
        .map_err(|e| fail(2, format!("--scenario {}: {e}", path.display())))?;
    let out = corridor_analytics::apply_for_routing(net, &sc)
        .map_err(|e| fail(2, format!("--scenario {}: {e}", path.display())))?;
    let note = format!("Scenario \"{}\" ({}) applied to the network", sc.display_name(), path.display());
    Ok((out, note))
}

/// Pretty-printed JSON.
pub(crate) fn json(v: &impl serde::Serialize) -> Result<String> {
    serde_json::to_string_pretty(v).context("serializing JSON")
}

/// Parquet footer key naming the table a file holds (`resilience`, `snapshot-pairs`, ...).
pub(crate) const TABLE_KEY: &str = "corridor:table";
/// Parquet footer key of a part of a sharded job: the part, `i/n`.
pub(crate) const SHARD_KEY: &str = "corridor:shard";
/// Parquet footer key of a part of a sharded table: consecutive rows per item (a pair, a
/// matrix row).
pub(crate) const ITEM_ROWS_KEY: &str = "corridor:item_rows";

/// The Parquet footer of a table: its name, and for a part of a sharded job its part (`i/n`)
/// and, when `corridor merge` interleaves the parts, how many consecutive rows make one item
/// (1 per pair or scenario, the targets per matrix row; `None` for a ranking, which the merge
/// re-sorts).
pub(crate) fn part_footer(
    table: &str,
    shard: Option<corridor_analytics::Shard>,
    item_rows: Option<usize>,
) -> Vec<(&'static str, String)> {
    let mut meta = vec![(TABLE_KEY, table.to_owned())];
    if let Some(s) = shard {
        meta.push((SHARD_KEY, s.to_string()));
        if let Some(m) = item_rows {
            meta.push((ITEM_ROWS_KEY, m.to_string()));
        }
    }
    meta
}
