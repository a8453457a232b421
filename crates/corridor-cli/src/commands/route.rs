//! `corridor route`: the best route between two places, on the curated network, on a detailed
//! snapshot (`--data X.corridor`), or combined (a snapshot with `--depart`: detailed first and
//! last mile, timetabled curated middle).

use std::path::{Path, PathBuf};

use corridor_routing::Backend;

use crate::args::{QueryOpts, RouteArgs};
use crate::common::{Failure, fail, load, snapshot, via_places, with_router};
use crate::output::{core_route, header, print_route};
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
    let RouteArgs { from, to, opts, corridor, via, format, geoparquet, snap } = args;
    if geoparquet.is_some() {
        return Err(fail(
            2,
            "--geoparquet: on the curated network only (a detailed snapshot's routes: --format geojson)",
        ));
    }
    let backend = if opts.depart.is_some() { Backend::Combined } else { Backend::Detailed };
    opts.check_via(backend, corridor.as_deref(), Some(&snap), &via)?;
    if opts.depart.is_some() {
        let q = detailed::query(&QueryOpts { depart: None, latest_arrival: None, ..opts.clone() })?;
        let net = load(None)?;
        return combined::route(data, &net, &from, &to, &snap.into_table_opts(), &q, &opts, format);
    }
    let q = detailed::query(&opts)?;
    detailed::route(data, &from, &to, &snap.into_table_opts(), &q, format)
}

/// On the curated network (the embedded dataset or `--data DIR`).
fn on_core(data: Option<&PathBuf>, args: RouteArgs) -> Result<(), Failure> {
    let RouteArgs { from, to, opts, corridor, via, format, geoparquet, snap } = args;
    opts.check_via(Backend::Core, corridor.as_deref(), Some(&snap), &via)?;
    with_router(data, &from, &to, &opts, corridor.as_deref(), |router, req, notes| {
        let via = via_places(&opts, router.network(), req, &via)?;
        let route = corridor_routing::route_via(router, req, &via).map_err(|e| fail(1, e.to_string()))?;
        let rel = router.reliability(&route, opts.samples(), opts.seed());
        let net = router.network();
        let dto = core_route(net, &route, &rel, notes);
        if let Some(path) = &geoparquet {
            crate::geoparquet::route(&dto, path)?;
        }
        print_route(&dto, &header(net, req), format).map_err(|e| fail(1, format!("{e:#}")))
    })
}
