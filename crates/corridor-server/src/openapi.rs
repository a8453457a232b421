//! The OpenAPI 3.1 document, generated from the handlers' `#[utoipa::path]` annotations.
//!
//! The route and comparison DTOs live in `corridor-io`, which has no `utoipa` dependency, so
//! [`schema`] mirrors them field for field for documentation only. A test serializes real DTOs
//! and checks their keys against these schemas, so the two cannot drift apart silently.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::error::{DiagnosticBody, ErrorBody, ErrorCode};
use crate::{api, osrm, params};

/// Schema-only mirrors of the `corridor_io::export` DTOs (see the module docs).
pub mod schema {
    #![allow(dead_code)]

    use utoipa::ToSchema;

    /// A location (`LocationDto`).
    #[derive(ToSchema)]
    pub struct Location {
        /// Public id (UN/LOCODE or CC-NAME).
        pub id: String,
        /// Display name.
        pub name: String,
        /// ISO 3166-1 alpha-2 country code.
        pub country: String,
        /// Latitude, WGS84.
        pub lat: f64,
        /// Longitude, WGS84.
        pub lon: f64,
        /// IANA time zone.
        pub tz: String,
        /// Kinds, primary first (city, rail_terminal, dry_port, seaport, border_crossing).
        pub kinds: Vec<String>,
        /// Platforms served (rail1435, rail1520, road, sea).
        pub platforms: Vec<String>,
        /// Other names.
        pub aliases: Vec<String>,
    }

    /// Route totals (`TotalsDto`), per container.
    #[derive(ToSchema)]
    pub struct Totals {
        /// Distance, km.
        pub km: f64,
        /// Expected door-to-door time, hours.
        pub hours: f64,
        /// The same in days.
        pub days: f64,
        /// Price for the unit, USD.
        pub usd: f64,
        /// Well-to-wheel emissions, kg CO2e (ISO 14083 / GLEC).
        pub co2e_wtw_kg: f64,
        /// Tank-to-wheel emissions, kg CO2e.
        pub co2e_ttw_kg: f64,
        /// Border crossings.
        pub borders: usize,
        /// Changes of rail gauge.
        pub gauge_changes: usize,
        /// Container lifts (transshipments and port handling).
        pub transshipments: usize,
        /// Generalized cost of the objective used.
        pub generalized_cost: f64,
    }

    /// One leg (`LegDto`).
    #[derive(ToSchema)]
    pub struct Leg {
        /// `rail`, `road`, `sea`, `ferry`, `transfer`, `border` or `wait`.
        pub kind: String,
        /// Platform moved on (moves), or `from->to` (transfers).
        pub platform: String,
        /// Start location id.
        pub from: String,
        /// Start location name.
        pub from_name: String,
        /// End location id.
        pub to: String,
        /// End location name.
        pub to_name: String,
        /// Intermediate location ids of a move.
        pub via: Vec<String>,
        /// Link ids traversed.
        pub links: Vec<String>,
        /// Distance, km.
        pub km: f64,
        /// Expected time, hours.
        pub hours: f64,
        /// 90th-percentile time of this leg alone, hours.
        pub hours_p90: f64,
        /// Price, USD.
        pub usd: f64,
        /// Well-to-wheel emissions, kg CO2e.
        pub co2e_wtw_kg: f64,
        /// Tank-to-wheel emissions, kg CO2e.
        pub co2e_ttw_kg: f64,
        /// Corridor ids of the leg's links.
        pub corridors: Vec<String>,
        /// Human description ("gauge change 1435 -> 1520 mm (transshipment)").
        pub description: String,
        /// Hours from departure to the start of the leg.
        pub start_h: f64,
        /// End of the leg, local time of its end location (ISO 8601 with offset), when the
        /// request has a departure time.
        pub arrive_local: Option<String>,
    }

    /// The door-to-door time distribution, seeded Monte Carlo (`ReliabilityDto`).
    #[derive(ToSchema)]
    pub struct Reliability {
        /// Draws.
        pub samples: usize,
        /// Mean, hours.
        pub mean_h: f64,
        /// Median, hours.
        pub p50_h: f64,
        /// 90th percentile, hours.
        pub p90_h: f64,
        /// 95th percentile, hours.
        pub p95_h: f64,
        /// (P95 - mean) / mean.
        pub buffer_index: f64,
        /// Share of draws missing at least one planned departure.
        pub missed_departure_share: f64,
        /// Median arrival, local time at the destination (with a departure time).
        pub arrive_p50: Option<String>,
        /// 90th-percentile arrival, local time.
        pub arrive_p90: Option<String>,
        /// 95th-percentile arrival, local time.
        pub arrive_p95: Option<String>,
    }

    /// The Pareto set of `/v1/pareto`.
    #[derive(ToSchema)]
    pub struct Pareto {
        /// The routes, fastest first, each with `reliability`.
        pub routes: Vec<Route>,
        /// With `geometry=geojson`: all routes as one FeatureCollection; each feature carries
        /// `route`, the index of its route.
        #[schema(value_type = Option<Object>)]
        pub geometry: Option<()>,
    }

    /// A route (`RouteDto`), plus `geometry` at the top level when asked for.
    #[derive(ToSchema)]
    pub struct Route {
        /// Origin.
        pub from: Location,
        /// Destination.
        pub to: Location,
        /// `teu` or `feu`.
        pub unit: String,
        /// Net payload, tonnes.
        pub payload_t: f64,
        /// Totals.
        pub totals: Totals,
        /// Corridors used.
        pub corridors: Vec<String>,
        /// Countries passed, in order.
        pub countries: Vec<String>,
        /// Departure, local time at the origin (ISO 8601), when given.
        pub depart: Option<String>,
        /// Expected arrival, local time at the destination, when a departure was given.
        pub arrive: Option<String>,
        /// Legs, in order.
        pub legs: Vec<Leg>,
        /// The door-to-door time distribution (`/v1/route`, `/v1/pareto`; null in comparisons).
        pub reliability: Option<Reliability>,
        /// With `geometry=geojson`: a GeoJSON FeatureCollection ([lon, lat]) with one
        /// LineString per move leg and one Point per transfer or border, each with the leg's
        /// figures as properties.
        #[schema(value_type = Option<Object>)]
        pub geometry: Option<()>,
    }

    /// Why one corridor (or the overall best) has no route (`ErrorDto`).
    #[derive(ToSchema)]
    pub struct RouteFailure {
        /// `NoRoute`, `SameLocation` or `EndpointExcluded`.
        pub code: String,
        /// Human-readable reason.
        pub message: String,
    }

    /// One corridor in a comparison (`CorridorDto`).
    #[derive(ToSchema)]
    pub struct Corridor {
        /// Corridor id.
        pub id: String,
        /// Display name.
        pub name: String,
        /// Map colour.
        pub color: String,
        /// Best route within the corridor, if any.
        pub route: Option<Route>,
        /// Why there is none.
        pub error: Option<RouteFailure>,
    }

    /// Corridor ids winning each criterion (`WinnersDto`).
    #[derive(ToSchema)]
    pub struct Winners {
        /// Fastest.
        pub time: Option<String>,
        /// Cheapest.
        pub cost: Option<String>,
        /// Lowest CO2e.
        pub co2: Option<String>,
        /// Fewest borders.
        pub borders: Option<String>,
    }

    /// A corridor comparison (`ComparisonDto`), plus `geometry` when asked for.
    #[derive(ToSchema)]
    pub struct Comparison {
        /// Unrestricted best route.
        pub best: Option<Route>,
        /// Why there is none.
        pub best_error: Option<RouteFailure>,
        /// One entry per corridor of the dataset.
        pub corridors: Vec<Corridor>,
        /// Winners.
        pub winners: Winners,
        /// With `geometry=geojson`: every corridor's route as one FeatureCollection whose
        /// features carry `corridor` and `color`.
        #[schema(value_type = Option<Object>)]
        pub geometry: Option<()>,
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
}

struct SecurityAddon;

impl Modify for SecurityAddon {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components
            .add_security_scheme("api_key", SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("x-api-key"))));
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The API description served at `/openapi.json`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "corridor",
        description = "Multimodal freight routing and corridor comparison across Eurasia. \
            Errors carry a stable `code` (see ErrorCode), a message naming the offending input and, \
            where they apply, `parameter`, `value`, `index` and `suggestions`. When the server is \
            started with an API key, every endpoint but /health and /openapi.json needs it \
            (`x-api-key` header or `Authorization: Bearer`).",
        license(name = "MIT OR Apache-2.0")
    ),
    paths(
        api::route_get,
        api::route_post,
        api::compare_get,
        api::compare_post,
        api::pareto_get,
        api::pareto_post,
        api::table_get,
        api::table_post,
        api::assign,
        api::locations,
        api::network,
        osrm::route,
        api::health,
        api::metrics,
        api::reload,
        api::openapi_json,
    ),
    components(schemas(
        ErrorBody,
        ErrorCode,
        DiagnosticBody,
        params::RouteParams,
        params::TableParams,
        api::TableResponse,
        api::AssignResponse,
        api::BottleneckRow,
        api::CorridorShareRow,
        api::AssignTotals,
        api::LocationsResponse,
        api::HealthResponse,
        api::DatasetSummary,
        api::ReloadResponse,
        osrm::OsrmResponse,
        osrm::OsrmRoute,
        osrm::OsrmLeg,
        osrm::OsrmWaypoint,
        schema::Location,
        schema::Totals,
        schema::Leg,
        schema::Route,
        schema::Reliability,
        schema::Pareto,
        schema::RouteFailure,
        schema::Corridor,
        schema::Winners,
        schema::Comparison,
        schema::CorridorInfo,
        schema::NetworkCollection,
    )),
    modifiers(&SecurityAddon),
    tags(
        (name = "routing", description = "Routes and corridor comparisons"),
        (name = "network", description = "Locations and the network map"),
        (name = "analytics", description = "Demand assignment on the corridor network"),
        (name = "osrm", description = "OSRM-compatible routing for existing clients"),
        (name = "operations", description = "Health, metrics, reload and this document"),
    )
)]
pub struct ApiDoc;
