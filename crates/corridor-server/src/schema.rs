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

/// The kind of train (`traffic`), for the rail border crossings.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum TrafficName {
    /// Regular to or from Central Asia, else express (the default).
    Auto,
    /// A container block train with priority (the China–Europe expresses).
    Express,
    /// Wagonload and regional container trains, which give way to the expresses.
    Regular,
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
    /// The ISO country codes of the network's locations, sorted (what `avoid_country` can
    /// usefully name).
    pub countries: Vec<String>,
    /// Every border crossing record (one per direction where the dataset has both).
    pub borders: Vec<BorderInfo>,
    /// The emission factors the legs' CO2e comes from (`Leg.emission_factors` names them).
    pub emission_factors: Vec<EmissionFactorInfo>,
}

/// A border crossing of `/v1/network` (`avoid_border` takes its `id`).
#[derive(ToSchema)]
pub struct BorderInfo {
    /// Border id (shared by both directions of one crossing).
    pub id: String,
    /// Display name, e.g. "Alashankou–Dostyk".
    pub name: String,
    /// The link that crosses it.
    pub link: String,
    /// Location id on the departure side.
    pub from: String,
    /// Location id on the arrival side.
    pub to: String,
    /// Country of departure (ISO 3166-1 alpha-2, or the dataset's code).
    pub from_country: String,
    /// Country of arrival.
    pub to_country: String,
    /// Mode of the crossing link.
    pub mode: String,
    /// Mean clearance time, hours.
    pub hours_mean: f64,
    /// 90th-percentile clearance time, hours.
    pub hours_p90: f64,
    /// Source ids (`sources.csv`).
    pub sources: Vec<String>,
    /// Where regular trains (`traffic=regular`) are timed apart from the expresses (the
    /// figures above): their mean and 90th-percentile clearance time, hours, and sources;
    /// absent on crossings with one figure for every train.
    pub regular: Option<RegularCrossingInfo>,
}

/// A crossing's figures for regular trains (`/v1/network`'s `borders[].regular`).
#[derive(ToSchema)]
pub struct RegularCrossingInfo {
    /// Mean clearance time, hours.
    pub hours_mean: f64,
    /// 90th-percentile clearance time, hours.
    pub hours_p90: f64,
    /// Source ids (`sources.csv`).
    pub sources: Vec<String>,
}

/// An emission factor (GLEC Framework / ISO 14083 intensity) of `/v1/network`.
#[derive(ToSchema)]
pub struct EmissionFactorInfo {
    /// Factor id.
    pub id: String,
    /// Mode it applies to.
    pub mode: String,
    /// Vehicle class, fuel or energy, region.
    pub description: String,
    /// `tkm` (g per tonne-km) or `teukm` (g per TEU-km).
    pub basis: String,
    /// Well-to-wheel intensity, g CO2e per unit of `basis`.
    pub wtw_g: f64,
    /// Tank-to-wheel intensity, g CO2e per unit of `basis`.
    pub ttw_g: f64,
    /// Source ids (`sources.csv`).
    pub sources: Vec<String>,
}
