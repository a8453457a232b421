//! Search over a compiled corridor graph.
//!
//! The entry point is [`Router`], which holds a network and its compiled graph (both immutable
//! and shareable between threads) and answers [`RouteRequest`]s:
//!
//! - [`Router::route`]: the best route under a generalized cost (USD + value of time x hours +
//!   carbon price x t CO2e, with presets), with constraints (avoided countries, modes,
//!   locations, border crossings) and, when there is none, the reason;
//! - [`Router::compare`]: the best route of each corridor side by side.
//!
//! Each call builds a [`Metric`] (arc weights for this request, infinite where a constraint
//! forbids the arc) and runs a [`Dijkstra`] query whose scratch space resets in O(1), so a
//! thread can answer many requests without reallocating.

mod budget;
mod cache;
mod continuing;
mod dijkstra;
mod dwell;
mod measure;
mod metric;
mod mlc;
mod reliability;
mod request;
mod resource;
mod route;
mod router;

pub use budget::{Budget, Interrupt, MAX_LABELS};
pub use cache::{CacheStats, MEASURE_ENTRIES, METRIC_ENTRIES, RELIABILITY_ENTRIES, ROUTE_ENTRIES, SearchCache};
pub use dijkstra::Dijkstra;
pub use dwell::{DwellDistribution, DwellModel, MAX_P90_RATIO, Rng};
pub use measure::{ArcMeasure, ArcMeasures, measure_arc};
pub use metric::Metric;
pub use mlc::{Criteria, LabelLimit};
pub use reliability::{Reliability, simulate};
pub use request::{Avoid, Objective, Optimize, RouteRequest};
pub use route::{Leg, LegKind, Route, Totals, TransitBan, collapse_near_duplicates, truck_hours, truck_runs};
pub use router::{
    Comparison, CorridorResult, DEFAULT_SAMPLES, DEFAULT_SEED, NoRouteReason, RouteError, Router, Winners,
};
