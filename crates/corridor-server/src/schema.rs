//! Schemas of the responses built as JSON values (the network map), for the OpenAPI document
//! only. A leaf module: the handlers name these types in their annotations, and the document
//! collects them, without the two depending on each other.
#![allow(dead_code)]

use utoipa::ToSchema;

/// What a route minimises (`optimize`): time, price, CO2e, the balanced generalized cost
/// (value of time and carbon price), or the simulated P90 time.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum OptimizeName {
    /// Expected door-to-door time.
    Time,
    /// Price (USD).
    Cost,
    /// CO2e, well to wheel.
    Co2,
    /// Generalized cost: price + value of time + carbon price.
    Balanced,
    /// Simulated P90 time.
    P90,
}

/// Container unit (`unit`): twenty- or forty-foot.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum UnitName {
    /// Twenty-foot equivalent unit.
    Teu,
    /// Forty-foot container.
    Feu,
}

/// A mode of transport (`avoid_mode`, `/v1/network`'s `mode`).
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum ModeName {
    /// Rail.
    Rail,
    /// Road (truck).
    Road,
    /// Deep-sea and short-sea shipping.
    Sea,
    /// Rail and road ferries.
    Ferry,
}

/// A geometry format (`geometry`).
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum GeometryName {
    /// A GeoJSON FeatureCollection.
    Geojson,
}

/// A demand growth preset of `/v1/assign` (`growth`).
#[derive(ToSchema)]
pub enum GrowthName {
    /// TITR 2025 volumes.
    #[schema(rename = "titr-2025")]
    Titr2025,
    /// TITR's 2029 target.
    #[schema(rename = "titr-2029-target")]
    Titr2029Target,
    /// Every cell x 1.5.
    #[schema(rename = "uniform-1.5")]
    Uniform15,
}

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
