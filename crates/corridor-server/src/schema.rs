//! Schemas of the responses built as JSON values (the network map), for the OpenAPI document
//! only. A leaf module: the handlers name these types in their annotations, and the document
//! collects them, without the two depending on each other.
#![allow(dead_code)]

use utoipa::ToSchema;

/// A corridor's id, name and map colour.
#[derive(ToSchema)]
pub struct CorridorInfo {
    /// Corridor id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Map colour.
    pub color: String,
}

/// The network as a GeoJSON FeatureCollection of LineStrings ([lon, lat]).
#[derive(ToSchema)]
pub struct NetworkCollection {
    /// `FeatureCollection`.
    #[schema(rename = "type")]
    pub kind: String,
    /// One Feature per link; properties `id`, `from`, `to`, `mode`, `platform`,
    /// `corridors`, `km`.
    #[schema(value_type = Vec<Object>)]
    pub features: Vec<()>,
    /// The dataset's corridors (a GeoJSON foreign member), for legends.
    pub corridors: Vec<CorridorInfo>,
}
