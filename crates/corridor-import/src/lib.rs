//! Importers for detailed networks and their assembly into one multimodal snapshot.
//!
//! Each importer reads one kind of public source into the plain types of [`raw`]; the
//! assembly step joins the layers at terminals, places borders and gauges by country, and
//! lays the curated corridor data over the result (dwell, tariffs, ferries, gauge changes).

pub mod assemble;
pub mod corebuild;
pub mod corenet;
pub mod countries;
pub mod error;
pub mod overlay;
pub mod pbf;
pub mod places;
pub mod raw;
pub mod scgraph;
pub mod searoute;
pub mod unlocode;

pub use countries::Countries;
pub use error::{ImportError, read_text};
pub use pbf::{PbfFilter, PbfStats, read_pbf, read_pbf_with_stats};
pub use raw::{Layer, Mode, Progress, RawEdge, Terminal};
pub use scgraph::read_scgraph;
pub use searoute::{read_searoute_network, read_searoute_ports};
pub use unlocode::{UnlocodeEntry, read_unlocode, read_unlocode_entries};
