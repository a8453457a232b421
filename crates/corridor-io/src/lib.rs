//! corridor's I/O layer.
//!
//! - [`dataset`]: a dataset as a set of named text files, read from a directory or taken from
//!   the default dataset embedded in the binary;
//! - [`load`]: parsing and validating a dataset into a [`corridor_model::Network`], reporting
//!   every problem with file, line and field ([`Diagnostic`]);
//! - [`files`]: bounded reading of the text files a user names (regular files only, size cap);
//! - [`polyline`]: the encoded-polyline geometry format;
//! - [`observations`]: the published-observations file that `corridor validate` scores the
//!   model against;
//! - [`export`]: routes and comparisons as JSON, GeoJSON and CSV (the DTOs live here, not in the
//!   core crates).

pub mod dataset;
pub mod diag;
pub mod export;
pub mod files;
pub mod load;
pub mod observations;
pub mod pairs;
pub mod polyline;
mod table;

pub use dataset::DatasetFiles;
pub use diag::{Diagnostic, Severity};
pub use load::{Loaded, load};
