//! Integration tests of corridor-search: scenario fixtures and oracle property tests (costs,
//! continuing corridors, the sea embargo, resource constraints).

mod continuing;
mod embargo;
mod oracle;
mod resource;
mod scenarios;

use corridor_search::{Route, RouteRequest, Router};

/// The router's route for `req` with its value under the request's objective (USD and hours),
/// and the best value in the label search's Pareto set: the two answers the one-Dijkstra
/// oracle tests compare (`None` where a search finds no route).
fn route_and_label_best(router: &Router, req: &RouteRequest) -> (Option<(Route, f64)>, Option<f64>) {
    let obj = req.objective();
    let value = |r: &Route| obj.usd * r.totals.usd.0 + obj.hours * r.totals.hours.0;
    let best = router.route(req).ok().map(|r| {
        let v = value(&r);
        (r, v)
    });
    let labels = router.pareto(req).ok().and_then(|set| set.iter().map(value).min_by(f64::total_cmp));
    (best, labels)
}
