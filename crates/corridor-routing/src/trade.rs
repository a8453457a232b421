//! Trade bans (`corridor_model::regions::TRADE_BANS`) on every route a front end answers. A
//! request between the two countries of a ban is refused here, with the ban's reason. The rest
//! the search keeps: goods may not pass through both sides of a ban, transit included, so a
//! route from or to one side makes no stop in the other (no loading, unloading, transshipment or
//! land transit there; a ship may sail past its ports), and a route between two third countries
//! passes through one side at most. `corridor_search::Router` searches again kept out of each
//! side when the best route passed through both (`Router::keep_to_one_side`; `Karachi` to
//! `Colombo` keeps out of India only if it would have unloaded there, Kabul to Kathmandu keeps
//! out of Pakistan), and the route's `transit_bans` are its notes: a ban that changed nothing
//! is not mentioned. The goods' country of origin is the route's origin, so the ban follows the
//! ends of the whole route, not of each stretch of a route through via places.

use corridor_model::Network;
use corridor_model::regions::trade_ban;
use corridor_search::RouteRequest;

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

/// [`Banned`] when `req`'s origin and destination are the two sides of a trade ban.
pub fn check(net: &Network, req: &RouteRequest) -> Result<(), Banned> {
    let (from, to) = (net.location(req.from).country.as_str(), net.location(req.to).country.as_str());
    match trade_ban(from, to) {
        Some(why) => Err(Banned { from: from.to_owned(), to: to.to_owned(), why }),
        None => Ok(()),
    }
}
