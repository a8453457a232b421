//! Importers for detailed networks and their assembly into one multimodal snapshot.
//!
//! Each importer reads one kind of public source into the plain types of [`raw`]; the
//! assembly step joins the layers at terminals, places borders and gauges by country, and
//! lays the curated corridor data over the result (dwell, tariffs, ferries, gauge changes).

pub mod error;
pub mod raw;

pub use error::{ImportError, read_text};
pub use raw::{Layer, Mode, Progress, RawEdge, Terminal};
