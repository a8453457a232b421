//! Routes and comparisons in machine formats: JSON (serde DTOs), GeoJSON (RFC 7946, [lon, lat])
//! and CSV. The DTOs are the one result type of every backend (the core network, a detailed
//! snapshot, the combined mode) and the public wire format shared by the CLI and the server;
//! GeoJSON and CSV are written from them, so every backend has the same formats. Core types
//! stay free of serde.

mod detailed;
mod dto;
mod geo;
mod table;
mod validation;

pub use detailed::{
    DetailedAsk, NEAR_PLACE_KM, NodeNames, SAME_PLACE_KM, SnapEnd, countries, gauge_changes, node_place,
    objective_value, place_label, place_name,
};
pub use dto::{
    ComparisonDto, CorridorDto, ErrorDto, LegDto, LocationDto, NearestTerminal, PlaceDto, ReliabilityDto, RouteDto,
    SnappedDto, TotalsDto, WinnersDto, after, leg_description, local_time, local_time_tz,
};
pub use geo::{comparison_geojson, leg_coordinates, network_geojson, route_geojson};
pub use table::{COMPARISON_CSV_HEADER, NETWORK_CSV_HEADER, ROUTE_CSV_HEADER, comparison_csv, network_csv, route_csv};
pub use validation::{BAND_RULE, CaseDto, ScoreDto, VALIDATION_CSV_HEADER, ValidationDto, validation_csv};
