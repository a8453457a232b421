//! Detailed networks: large graphs (the OpenStreetMap railway and road graphs of Eurasia, any
//! graph given as node and edge CSV) built once into a snapshot file and queried fast.
//!
//! - [`format`]: the snapshot file: a fixed header (magic, version, sizes, checksum) followed by
//!   8-byte-aligned `#[repr(C)]` arrays, read zero-copy through `mmap`; a wrong version or a
//!   damaged file is a clear error, never a panic;
//! - [`build`]: from a [`corridor_cch::Graph`] to a snapshot (connected components for the gap
//!   report and snapping, the metric-independent CCH order);
//! - [`snap`]: nearest usable node of a coordinate, with the snap distance and a limit;
//! - [`engine`]: a loaded snapshot with its customized CCH: one-to-one queries with geometry,
//!   batches of pairs with a checksum, and matrices.

pub mod build;
pub mod engine;
pub mod format;
pub mod profile;
pub mod snap;

pub use build::{BuildReport, build};
pub use engine::{Engine, Leg, PairResult, Point, Tariff};
pub use format::{
    ArcAttr, ArcAttrs, ArcKind, NO_COUNTRY, NodeMode, Snapshot, SnapshotData, SnapshotError, SnapshotKind,
};
pub use profile::{ArcCost, Objective, Profile};
pub use snap::{SnapError, SnapIndex, Snapped};
