//! The OpenAPI 3.1 document, generated from the handlers' `#[utoipa::path]` annotations.
//!
//! The route and comparison DTOs of `corridor-io` derive their schemas themselves (its `utoipa`
//! feature), so the document cannot drift from what is sent; `crate::schema` documents the
//! responses that are built as JSON values (the network map). A test also checks real responses
//! against the schemas. The document's own handler lives here, so `api` does not depend on this
//! module (no `api` <-> `openapi` cycle).

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use corridor_io::export;

use crate::error::{DiagnosticBody, ErrorBody, ErrorCode};
use crate::{api, osrm, params, schema};

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
        openapi_json,
    ),
    components(schemas(
        crate::schema::OptimizeName,
        crate::schema::UnitName,
        crate::schema::TrafficName,
        crate::schema::ModeName,
        crate::schema::GeometryName,
        crate::schema::GrowthName,
        ErrorBody,
        ErrorCode,
        DiagnosticBody,
        params::RouteParams,
        params::TableParams,
        api::TableResponse,
        api::AssignResponse,
        api::ChoiceResponse,
        api::ChoiceRowDto,
        api::ChoiceConstant,
        api::BottleneckRow,
        api::CorridorShareRow,
        api::AssignTotals,
        api::LocationsResponse,
        export::PlaceDto,
        export::NearestTerminal,
        api::HealthResponse,
        api::DatasetSummary,
        api::ReloadResponse,
        osrm::OsrmResponse,
        osrm::OsrmRoute,
        osrm::OsrmLeg,
        osrm::OsrmWaypoint,
        export::LocationDto,
        export::TotalsDto,
        export::LegDto,
        export::RouteDto,
        export::ReliabilityDto,
        export::ErrorDto,
        export::CorridorDto,
        export::WinnersDto,
        export::ComparisonDto,
        api::RouteResponse,
        api::CompareResponse,
        api::ParetoResponse,
        schema::CorridorInfo,
        schema::BorderInfo,
        schema::RegularCrossingInfo,
        schema::EmissionFactorInfo,
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

/// This API's OpenAPI 3.1 document.
#[utoipa::path(
    get, path = "/openapi.json", tag = "operations",
    responses((status = 200, description = "OpenAPI 3.1 document", body = Object))
)]
pub async fn openapi_json() -> axum::response::Response {
    use axum::response::IntoResponse;
    static DOC: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let doc = DOC
        .get_or_init(|| serde_json::to_string_pretty(&document()).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}")));
    ([(axum::http::header::CONTENT_TYPE, "application/json")], doc.clone()).into_response()
}

/// The served document: [`ApiDoc`] with the committed examples of real requests and answers
/// (`crate::openapi_examples`). Examples that do not parse are left out, never a broken
/// document; the integration tests fail on them.
pub fn document() -> serde_json::Value {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    if let Ok(examples) = crate::openapi_examples::examples() {
        crate::openapi_examples::add_examples(&mut doc, &examples);
    }
    doc
}
