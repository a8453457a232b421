//! Trade bans (`corridor_model::regions::TRADE_BANS`) on every route a front end answers: a
//! route between the two countries of a ban is refused with the reason, and a route from or to
//! one of them makes no stop in the other ([`corridor_search::Avoid::trade_banned`]: no loading,
//! unloading, transshipment or land transit there; a ship may sail past its ports). The goods'
//! country of origin is the route's origin, so the ban follows the ends of the whole route,
//! not of each stretch of a route through via places. A route between two third countries
//! through both sides of a ban (Kabul to Delhi through Karachi) is not caught: that would need
//! the countries passed as search state.

use corridor_model::regions::{trade_ban, trade_banned_with};
use corridor_model::{LocationId, Network};
use corridor_search::{Route, RouteError, RouteRequest, Router};

/// A route asked between the two sides of a trade ban.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("no route from {from} to {to}: trade between them is banned ({why})")]
pub struct Banned {
    /// The origin's country.
    pub from: String,
    /// The destination's country.
    pub to: String,
    /// The ban's reason and sources (`TRADE_BANS`).
    pub why: &'static str,
}

/// Applies the trade bans of `req`'s ends to it: [`Banned`] when its origin and destination are
/// the two sides of a ban, else the other side of every ban of either end in
/// `req.avoid.trade_banned`.
pub fn apply(net: &Network, req: &mut RouteRequest) -> Result<(), Banned> {
    let (from, to) = (net.location(req.from).country.as_str(), net.location(req.to).country.as_str());
    if let Some(why) = trade_ban(from, to) {
        return Err(Banned { from: from.to_owned(), to: to.to_owned(), why });
    }
    for banned in [from, to].into_iter().flat_map(trade_banned_with) {
        if !req.avoid.trade_banned.iter().any(|c| c == banned) {
            req.avoid.trade_banned.push(banned.to_string());
        }
    }
    Ok(())
}

/// What the trade bans do to `req`'s route (`req` as [`apply`] left it), for the notes of a route
/// or comparison: `None` when no ban touches its ends.
pub fn note(net: &Network, req: &RouteRequest) -> Option<String> {
    let (from, to) = (net.location(req.from).country.as_str(), net.location(req.to).country.as_str());
    let why: Vec<String> = req
        .avoid
        .trade_banned
        .iter()
        .map(|b| {
            let end = if trade_ban(from, b).is_some() { from } else { to };
            format!("no stop in {b}: trade between {end} and {b} is banned")
        })
        .collect();
    (!why.is_empty()).then(|| {
        format!(
            "Trade ban: {} (no loading, unloading, transshipment or land transit there; ships may sail past its ports)",
            why.join("; ")
        )
    })
}

/// [`Router::table`] with the trade bans of each cell's own ends (`req` is the cells' common
/// request, without bans of its own ends, as `Query::table_request` makes it): a cell between
/// the two sides of a ban is `None`, and a cell whose route stops in a country banned for its
/// ends is searched again under the ban. The others keep the table's route, which is also the
/// best under the ban since it makes no banned stop.
pub fn table(
    router: &Router<'_>,
    req: &RouteRequest,
    sources: &[LocationId],
    targets: &[LocationId],
) -> Result<Vec<Option<Route>>, RouteError> {
    let mut cells = router.table(req, sources, targets)?;
    let net = router.network();
    for (i, &s) in sources.iter().enumerate() {
        for (j, &t) in targets.iter().enumerate() {
            let k = i * targets.len() + j;
            let (from, to) = (net.location(s).country.as_str(), net.location(t).country.as_str());
            if trade_ban(from, to).is_some() {
                cells[k] = None;
                continue;
            }
            // Most cells touch no ban: they are checked without building a request.
            let stops_banned = cells[k].as_ref().is_some_and(|r| {
                r.countries.iter().any(|c| trade_banned_with(from).chain(trade_banned_with(to)).any(|b| b == c))
            });
            if stops_banned {
                let mut cell = RouteRequest { from: s, to: t, ..req.clone() };
                // `apply` cannot refuse the pair here: a banned pair was emptied above.
                cells[k] = match apply(net, &mut cell).ok().map(|()| router.route(&cell)) {
                    Some(Ok(r)) => Some(r),
                    None | Some(Err(RouteError::NoRoute { .. } | RouteError::EndpointExcluded { .. })) => None,
                    Some(Err(e)) => return Err(e),
                };
            }
        }
    }
    Ok(cells)
}
