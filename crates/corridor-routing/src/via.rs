//! A route through places in order (`--via`, `via=`): one core search per stretch, the stretches
//! joined at each via place by the transfer between the platform one arrives on and the platform
//! the next leaves from (a gauge change at Zamyn-Üüd is counted there).
//!
//! Each stretch keeps the request's objective and constraints. With a corridor, a stretch keeps
//! to the corridor's links (the ones it continues on included) where they join its two places;
//! one they cannot join (from Budapest to Brest, before a Mongolian run's corridor begins) is a
//! feeder, routed without the restriction. The corridor's rule (its own links, its crossings)
//! holds for the whole route ([`Route::uses_own_link`]), not for each stretch: Beijing to
//! Duisburg through Moscow keeps CMREC's rule on its first stretch only.
//!
//! A trade ban holds for the whole route: when the joined stretches pass through both of its
//! sides, they are searched again kept out of each side in turn (`Router::keep_to_one_side`).
//!
//! The stretches are searched one by one, so limits over a whole route (a departure time, an
//! arrival deadline, a lift count, the gauge-change ban) are refused with a via place
//! ([`crate::Query::check`]) rather than applied per stretch.

use corridor_model::{ArcId, ArcKind, LocationId};
use corridor_search::{Comparison, Route, RouteError, RouteRequest, Router};

/// At most this many via places in one request (each is one more search).
pub const MAX_VIA: usize = 8;

/// The route of `req` through `via` in order ([`Router::route`] when `via` is empty); with a
/// corridor, the joined route must keep the corridor's rule.
pub fn route_via(router: &Router<'_>, req: &RouteRequest, via: &[LocationId]) -> Result<Route, RouteError> {
    let route = join_stretches(router, req, via)?;
    if let Some(c) = req.corridor
        && !via.is_empty()
        && !route.uses_own_link(router.network(), router.graph(), c)
    {
        let net = router.network();
        return Err(RouteError::InvalidRequest(format!(
            "the route through {} does not keep to corridor {}: its stretches outside the corridor do not join its own lines and crossings",
            via.iter().map(|&v| net.location(v).name.clone()).collect::<Vec<_>>().join(", "),
            net.corridors[c.index()].code
        )));
    }
    Ok(route)
}

/// The corridors side by side for `req` through `via` ([`Router::compare`] when `via` is empty):
/// the best route through the places, and each corridor's ([`route_via`], so a corridor whose
/// lines and rule the route through the places cannot keep has no route, with the reason).
pub fn compare_via(router: &Router<'_>, req: &RouteRequest, via: &[LocationId]) -> Comparison {
    if via.is_empty() {
        return router.compare(req);
    }
    router.compare_by(req, |r| route_via(router, r, via))
}

/// The stretches of `req` through `via`, searched and joined, without the corridor check of
/// [`route_via`] (the validation harness applies its own). A stretch without a route is the
/// stretch's error (it names its two places); a via place where the two platforms have no
/// transfer is an error naming the place.
pub(crate) fn join_stretches(router: &Router<'_>, req: &RouteRequest, via: &[LocationId]) -> Result<Route, RouteError> {
    if via.is_empty() {
        return router.route(req);
    }
    let (net, graph) = (router.network(), router.graph());
    let stops: Vec<LocationId> = std::iter::once(req.from).chain(via.iter().copied()).chain([req.to]).collect();
    let (mut arcs, mut cost) = (Vec::new(), 0.0);
    for w in stops.windows(2) {
        // A stretch keeps to the corridor's links; its rule is the whole route's (checked by
        // the caller), since a stretch may lie wholly on the lines the corridor continues on.
        let stretch = RouteRequest { from: w[0], to: w[1], corridor_links_only: true, ..req.clone() };
        let part = router.route(&stretch).or_else(|e| match stretch.corridor {
            // Only a stretch the corridor cannot join is a feeder: a stopped search stays an error.
            Some(_) if !matches!(e, RouteError::Interrupted(_)) => {
                router.route(&RouteRequest { corridor: None, ..stretch.clone() })
            }
            _ => Err(e),
        })?;
        if let (Some(&last), Some(&first)) = (arcs.last(), part.arcs.first()) {
            let (end, start) = (graph.head(last), graph.tail(first));
            if end != start {
                let join = graph
                    .out_arcs(end)
                    .map(ArcId::from_index)
                    .find(|&a| graph.head(a) == start && matches!(graph.kind(a), ArcKind::Transfer(_)))
                    .ok_or_else(|| {
                        RouteError::InvalidRequest(format!(
                            "via {}: the stretches arrive and leave on platforms with no transfer between them",
                            net.location(w[0]).name
                        ))
                    })?;
                arcs.push(join);
            }
        }
        arcs.extend(part.arcs);
        cost += part.totals.generalized_cost;
    }
    let route = Route::from_arcs(net, graph, arcs, req, cost);
    // Each stretch keeps the trade bans, but two stretches may pass through the two sides of
    // one (Kabul through Karachi to Kolkata): then every stretch keeps out of one side.
    match corridor_model::regions::crossed_ban(&route.countries) {
        None => Ok(route),
        Some(sides) => router.keep_to_one_side(req, sides, |q| join_stretches(router, q, via)),
    }
}
