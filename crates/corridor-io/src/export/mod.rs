//! Routes and comparisons in machine formats: JSON (serde DTOs), GeoJSON (RFC 7946, [lon, lat])
//! and CSV. The DTOs are the public wire format shared by the CLI and the server; core types
//! stay free of serde.

mod dto;
mod geo;
mod table;

pub use dto::{
    ComparisonDto, CorridorDto, ErrorDto, LegDto, LocationDto, ReliabilityDto, RouteDto, TotalsDto, WinnersDto, after,
    leg_description, local_time,
};
pub use geo::{comparison_geojson, leg_coordinates, route_geojson};
pub use table::{comparison_csv, route_csv};
