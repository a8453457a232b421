//! The routing pipeline every front end shares: **place → access → core search → egress →
//! result**.
//!
//! 1. *Place* ([`resolve`]): what a person typed (a code, a name in any script, `Name, CC`, or
//!    `lat,lon`) becomes a location of the corridor core or a place outside it, from the embedded
//!    place index (`corridor-places`).
//! 2. *Access* and 4. *egress* ([`access`]): an outside place is joined to its nearest terminals by
//!    estimated truck legs, all offered to one search at once; [`landmass`] keeps them on land.
//! 3. *Core search*: `corridor-search`'s router on the prepared network.
//! 5. *Result*: routes whose estimated legs are marked as such.
//!
//! Around the pipeline, [`Query`] is the one query type of every front end: validated once,
//! with errors naming the parameter, and each [`Backend`] (core, detailed, combined) stating
//! which parameters it honours; the others are refused, never ignored.
//!
//! [`trade`] applies the trade bans between countries to every route and table.
//!
//! [`via`] routes through places in order (one core search per stretch), and [`validation`] runs
//! the pipeline on published shipments and scores the model against them.
//!
//! No I/O: the place index, the land-border table and the landmasses are compiled in.

pub mod access;
pub mod landmass;
pub mod query;
pub mod resolve;
pub mod trade;
pub mod validation;
pub mod via;

pub use access::{Access, AccessError, Candidate, End, Prepared, prepare, road_reachable, truck_hours};
pub use query::{Backend, Param, Query, QueryError, parse_time};
pub use resolve::{CoreListing, Endpoint, OutsidePlace, ResolveError, Resolved, Resolver, core_label};
pub use via::{MAX_VIA, compare_via, route_via};
