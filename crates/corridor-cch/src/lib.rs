//! Customizable Contraction Hierarchies (Dibbelt, Strasser, Wagner: "Customizable Contraction
//! Hierarchies", JEA 2016) for large road-like graphs.
//!
//! The work is split in three phases, each with its own type:
//!
//! 1. **Metric-independent preprocessing** ([`nested_dissection_order`], [`Cch::new`]): a
//!    nested-dissection node order from inertial-flow separators, then the chordal supergraph
//!    of the input under that order (every shortcut any metric could need), its elimination
//!    tree and the triangle structures. Depends only on the topology and coordinates. [`Cch`] is
//!    immutable and `Sync`.
//! 2. **Customization** ([`CchMetric::new`], [`CchMetric::new_parallel`]): one pass over the
//!    lower triangles turns a weight per input arc (time, cost, CO2e, ...) into weights of the
//!    supergraph. Fast (a fraction of a second on a continental road graph), so weights can
//!    change per request or per scenario. [`CchMetric::perfect`] optionally computes exact arc
//!    weights and drops the arcs no shortest path needs, for faster queries.
//! 3. **Queries** ([`CchQuery`]): exact one-to-one distances by elimination-tree search,
//!    with path unpacking to input arcs; [`matrix`] / [`matrix_parallel`] for many-to-many
//!    tables with buckets. A query object is per-thread scratch space whose reset costs only
//!    what the search touched.
//!
//! ```
//! use corridor_cch::{Cch, CchMetric, CchQuery, Graph, nested_dissection_order};
//! // A square 0-1-2-3 with a slow diagonal 0-2.
//! let arcs = [(0, 1, 1), (1, 2, 1), (2, 3, 1), (3, 0, 1), (0, 2, 5)];
//! let g = Graph::from_arcs(4, &arcs, vec![0.0, 0.0, 1.0, 1.0], vec![0.0, 1.0, 1.0, 0.0]);
//! let cch = Cch::new(&g, &nested_dissection_order(&g));
//! let metric = CchMetric::new(&cch, &g.weight);
//! let mut query = CchQuery::new(&metric);
//! assert_eq!(query.distance(0, 2), Some(2));
//! assert_eq!(query.distance(1, 0), Some(3));
//! ```

mod array;
mod cch;
mod dijkstra;
mod graph;
mod matrix;
mod metric;
mod order;
mod query;

pub use array::{ArrayError, SharedBytes, U32Array};
pub use cch::{Cch, CchArrays, CchError};
pub use dijkstra::Dijkstra;
pub use graph::{Graph, INF, LoadError};
pub use matrix::{matrix, matrix_parallel};
pub use metric::CchMetric;
pub use order::nested_dissection_order;
pub use query::CchQuery;
