//! `corridor compare`: the best route of each corridor side by side; on a detailed snapshot,
//! the best route for each objective.

use std::path::PathBuf;

use corridor_routing::Backend;

use crate::args::{CompareArgs, RouteSnapOpts};
use crate::common::{Failure, fail, snapshot, via_places, with_router};
use crate::detailed;
use crate::output::{core_comparison, header, print_comparison};

/// Runs `compare` on the curated network or, with `--data X.corridor`, on that snapshot.
pub(crate) fn run(data: Option<&PathBuf>, args: CompareArgs) -> Result<(), Failure> {
    let CompareArgs { from, to, opts, via, format, geoparquet } = args;
    if let Some(snap_file) = snapshot(data) {
        if geoparquet.is_some() {
            return Err(fail(
                2,
                "--geoparquet: on the curated network only (a detailed snapshot's routes: --format geojson)",
            ));
        }
        opts.check_via(Backend::Detailed, None, None, &via)?;
        let q = detailed::query(&opts)?;
        let snap = RouteSnapOpts { snap_km: None, snap: None, speed_kmh: None, usd_per_tkm: None };
        return detailed::compare(snap_file, &from, &to, &snap.into_table_opts(), &q, format);
    }
    opts.check_via(Backend::Core, None, None, &via)?;
    with_router(data, &from, &to, &opts, None, |router, req, notes| {
        let via = via_places(&opts, router.network(), req, &via)?;
        let comparison = corridor_routing::compare_via(router, req, &via);
        // As `route` and the server's compare: the same place twice is an error, not a table
        // of empty routes.
        if let Err(e @ corridor_search::RouteError::SameLocation(_)) = &comparison.best {
            return Err(fail(1, e.to_string()));
        }
        let cmp = core_comparison(router, &comparison, notes);
        if let Some(path) = &geoparquet {
            crate::geoparquet::comparison(&cmp, path)?;
        }
        let optimize = req.optimize.to_string();
        print_comparison(&cmp, &header(router.network(), req), &optimize, format).map_err(|e| fail(1, format!("{e:#}")))
    })
}
