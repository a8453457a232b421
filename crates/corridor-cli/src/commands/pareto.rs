//! `corridor pareto`: every Pareto-optimal route over time, cost and CO2e (curated network only).

use std::path::PathBuf;

use crate::args::ParetoArgs;
use crate::common::{Failure, fail, snapshot, with_router};
use crate::output::print_pareto;

/// Runs `pareto`; refused on a detailed snapshot.
pub(crate) fn run(data: Option<&PathBuf>, args: ParetoArgs) -> Result<(), Failure> {
    if snapshot(data).is_some() {
        return Err(fail(
            2,
            "pareto is not supported with --data SNAPSHOT: the detailed network is searched for one objective at a time (use compare for the best route per objective, or pareto without --data SNAPSHOT)",
        ));
    }
    let ParetoArgs { from, to, opts, corridor, collapse, format } = args;
    if !(0.0..=1.0).contains(&collapse) {
        return Err(fail(2, format!("--collapse {collapse}: must be between 0 and 1")));
    }
    with_router(data, &from, &to, &opts, corridor.as_deref(), |router, req, notes| {
        let routes = router.pareto(req).map_err(|e| fail(1, e.to_string()))?;
        let routes = corridor_search::collapse_near_duplicates(routes, collapse);
        let rels: Vec<_> = routes.iter().map(|r| router.reliability(r, opts.samples(), opts.seed())).collect();
        print_pareto(router.network(), req, &routes, &rels, notes, format).map_err(|e| fail(1, format!("{e:#}")))
    })
}
