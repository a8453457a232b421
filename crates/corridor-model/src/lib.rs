//! The bottom layer of corridor: the multimodal freight network model and its compiled,
//! state-expanded graph.
//!
//! A [`Network`] is the validated, in-memory form of a dataset: locations with the platforms
//! (rail by gauge, road, sea) they serve, links between them, transfers between platforms at a
//! location (transshipment, gauge change, port handling) and border crossings on links.
//! [`Graph::compile`] turns it into a CSR graph over `(location, platform)` states in which every
//! link, transfer and border is an ordinary arc, so search algorithms need to know nothing about
//! gauges or borders.
//!
//! This crate does no I/O and knows no file format: `corridor-io` builds networks from files.

pub mod emissions;
pub mod fixture;
pub mod geo;
pub mod graph;
pub mod ids;
pub mod lookup;
pub mod network;
pub mod regions;
pub mod schedule;
pub mod units;

pub use graph::{ArcKind, Graph};
pub use ids::{ArcId, BorderId, CorridorId, EmissionFactorId, LinkId, LocationId, NodeId, SourceId, TransferId};
pub use lookup::{LocationIndex, LookupError, MatchKind, normalize};
pub use network::*;
pub use units::{Hours, KgCo2e, Km, Tonnes, Usd};
