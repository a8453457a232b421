//! `corridor route`: the best route between two places, on the curated network, on a detailed
//! snapshot (`--data X.corridor`), or combined (a snapshot with `--depart`: detailed first and
//! last mile, timetabled curated middle).

use std::path::{Path, PathBuf};

use corridor_model::Graph;
use corridor_routing::Backend;
use corridor_search::Router;

use crate::args::{Format, QueryOpts, RouteArgs};
use crate::common::{Failure, corridor_id, fail, load, prepare, request, snapshot};
use crate::output::print_route;
use crate::{combined, detailed};

/// Runs `route` on the backend that `--data` and `--depart` select.
pub(crate) fn run(data: Option<&PathBuf>, args: RouteArgs) -> Result<(), Failure> {
    match snapshot(data) {
        Some(snap) => on_snapshot(snap, args),
        None => on_core(data, args),
    }
}

/// On a detailed snapshot; combined with the timetabled curated network when `--depart` is given.
fn on_snapshot(data: &Path, args: RouteArgs) -> Result<(), Failure> {
    let RouteArgs { from, to, opts, corridor, format, snap } = args;
    let backend = if opts.depart.is_some() { Backend::Combined } else { Backend::Detailed };
    opts.check(backend, corridor.as_deref(), Some(&snap), format)?;
    if opts.depart.is_some() {
        let q = detailed::query(&QueryOpts { depart: None, latest_arrival: None, ..opts.clone() })?;
        let net = load(None)?;
        return combined::route(data, &net, &from, &to, &snap.into_table_opts(), &q, &opts, format);
    }
    let q = detailed::query(&opts)?;
    detailed::route(data, &from, &to, &snap.into_table_opts(), &q, format == Format::Table, format == Format::Geojson)
}

/// On the curated network (the embedded dataset or `--data DIR`).
fn on_core(data: Option<&PathBuf>, args: RouteArgs) -> Result<(), Failure> {
    let RouteArgs { from, to, opts, corridor, format, snap } = args;
    opts.check(Backend::Core, corridor.as_deref(), Some(&snap), format)?;
    let core = load(data)?;
    let (prepared, notes) = prepare(&core, &from, &to)?;
    let net = &*prepared.network;
    let graph = Graph::compile(net);
    let router = Router::new(net, &graph);
    let mut req = request(net, prepared.from, prepared.to, &opts)?;
    req.corridor = corridor_id(net, corridor)?;
    let route = router.route(&req).map_err(|e| fail(1, e.to_string()))?;
    let rel = router.reliability(&route, opts.samples(), opts.seed());
    print_route(net, &req, &route, &rel, &notes, format).map_err(|e| fail(1, format!("{e:#}")))
}
