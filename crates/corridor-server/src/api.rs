//! The `/v1` JSON API, `/health`, `/metrics`, `/admin/reload` and `/openapi.json`.
//!
//! Handlers parse input on the async thread (cheap), then resolve places, validate, prepare the
//! network ([`RouteParams::plan`]) and search on the blocking pool ([`run_blocking`]) against one
//! dataset snapshot, and answer with the DTOs of `corridor_io::export`, the same wire format as
//! the CLI's `--format json`.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Extension, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use corridor_io::export::{self, ComparisonDto, LocationDto, PlaceDto, ReliabilityDto, RouteDto};
use corridor_model::Mode;
use corridor_search::Router;
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, DiagnosticBody, ErrorBody, ErrorCode};
use crate::middleware::{Permit, run_blocking};
use crate::params::{Endpoint, Pairs, RouteParams, TableParams};
use crate::schema;
use crate::state::{AppState, LoadedDataset, ReloadOutcome};

/// A route (the CLI's `--format json`), with its GeoJSON when asked for (`geometry=geojson`).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct RouteResponse {
    /// The route.
    #[serde(flatten)]
    pub route: RouteDto,
    /// With `geometry=geojson`: a GeoJSON FeatureCollection ([lon, lat]) with one LineString
    /// per move leg and one Point per transfer or border, each with the leg's figures as
    /// properties.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub geometry: Option<Value>,
}

/// A corridor comparison (the CLI's `--format json`), with its GeoJSON when asked for.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CompareResponse {
    /// The comparison.
    #[serde(flatten)]
    pub comparison: ComparisonDto,
    /// With `geometry=geojson`: every corridor's route as one FeatureCollection whose features
    /// carry `corridor` and `color`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub geometry: Option<Value>,
}

/// Matching locations, best first.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct LocationsResponse {
    /// The query as given.
    pub query: String,
    /// How many locations match in all (`locations` holds at most `limit`).
    pub total: usize,
    /// The best matches.
    pub locations: Vec<LocationDto>,
    /// Places outside the network of the name asked (the place index: UN/LOCODE, GeoNames),
    /// at most `limit`: each can be a route's origin or destination, joined to its nearest
    /// terminals by estimated truck legs. Absent when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub places: Vec<PlaceDto>,
    /// True when nothing bears the name asked and the locations listed are only spelled like
    /// it, an edit away ("Mehran", a town on Iran's border with Iraq, lists Tehran): a client
    /// should offer them as "did you mean", not as the match. Absent otherwise.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub look_alikes_only: bool,
}

/// The dataset being served.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DatasetSummary {
    /// Dataset name (dataset.toml).
    pub name: String,
    /// Dataset version.
    pub version: String,
    /// Where it was loaded from: the directory's name, not its path (`/health` needs no key,
    /// and a path tells a stranger about the machine), or `<embedded eurasia>`.
    pub origin: String,
    /// Number of locations.
    pub locations: usize,
    /// Number of links.
    pub links: usize,
    /// Corridor ids.
    pub corridors: Vec<String>,
    /// When it was loaded, seconds since the Unix epoch.
    pub loaded_at: u64,
    /// Number of loader warnings.
    pub warnings: usize,
    /// The scenario the server applies to the dataset (`corridor serve --scenario`): its name
    /// and file name. Absent when the dataset is served as it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
}

/// The last component of a dataset's or snapshot's path (names such as `<embedded eurasia>`
/// unchanged), for answers that need no key.
pub fn public_origin(origin: &str) -> String {
    if origin.starts_with('<') {
        return origin.to_string();
    }
    std::path::Path::new(origin).file_name().map_or_else(|| "dataset".to_string(), |n| n.to_string_lossy().into_owned())
}

impl DatasetSummary {
    /// The summary of a loaded dataset.
    pub fn new(d: &LoadedDataset) -> Self {
        DatasetSummary {
            name: d.network().info.name.clone(),
            version: d.network().info.version.clone(),
            origin: public_origin(&d.origin),
            locations: d.network().locations.len(),
            links: d.network().links.len(),
            corridors: d.network().corridors.iter().map(|c| c.code.clone()).collect(),
            loaded_at: d.loaded_at,
            warnings: d.warnings.len(),
            scenario: d.scenario.clone(),
        }
    }
}

/// `/health`: the server is up and serving this dataset.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct HealthResponse {
    /// Always `ok` when the server answers.
    pub status: String,
    /// Server version.
    pub version: String,
    /// The dataset being served.
    pub dataset: DatasetSummary,
}

/// A successful reload.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ReloadResponse {
    /// `reloaded`.
    pub status: String,
    /// The dataset now being served.
    pub dataset: DatasetSummary,
    /// Warnings of the new dataset (errors would have rejected it).
    pub diagnostics: Vec<DiagnosticBody>,
}

/// Parameters of `/v1/locations`.
#[derive(Clone, Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LocationsParams {
    /// Text to search (id, name or alias; any case, diacritics or script). Empty lists all.
    #[param(example = "xian")]
    pub q: Option<String>,
    /// Most results to return, 1 to the server's `max_results` (default 10).
    pub limit: Option<usize>,
}

/// Parameters of `/v1/network`.
#[derive(Clone, Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NetworkParams {
    /// Only links of these corridors (comma-separated corridor ids).
    pub corridor: Option<String>,
    /// Only links of these modes (comma-separated: rail, road, sea, ferry).
    pub mode: Option<String>,
}

/// The two segments of an OSRM path (`/{service}/v1/{profile}/{coordinates}`), mapping the
/// extractor's rejection (a `%`-escape that is not UTF-8) to `InvalidQuery`: axum's own answer
/// is a plain-text 400, and every error of the API is a JSON body with a `code`.
pub fn path_segments(p: Result<Path<(String, String)>, PathRejection>) -> Result<(String, String), ApiError> {
    p.map(|Path(segments)| segments).map_err(|e| ApiError::new(ErrorCode::InvalidQuery, e.body_text()))
}

/// Maps a query-string rejection to `InvalidQuery`.
pub fn query_pairs(q: Result<Query<Vec<(String, String)>>, QueryRejection>) -> Result<Pairs, ApiError> {
    q.map(|Query(p)| Pairs(p)).map_err(|e| ApiError::new(ErrorCode::InvalidQuery, e.body_text()))
}

/// Maps a JSON body rejection to `TooBig`, `InvalidQuery` or `InvalidValue`, naming the field
/// where serde names one.
pub fn json_body<T>(body: Result<Json<T>, JsonRejection>, max_bytes: usize) -> Result<T, ApiError> {
    let rejection = match body {
        Ok(Json(v)) => return Ok(v),
        Err(r) => r,
    };
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return Err(ApiError::new(
            ErrorCode::TooBig,
            format!("the request body exceeds the limit of {max_bytes} bytes"),
        )
        .with_status(StatusCode::PAYLOAD_TOO_LARGE));
    }
    let text = rejection.body_text();
    match rejection {
        JsonRejection::JsonDataError(_) => {
            // serde_path_to_error puts the field path first: "...target type: payload_t: invalid type...".
            let detail = text.split_once("target type: ").map_or(text.as_str(), |(_, d)| d);
            let field = detail.split_once(": ").map(|(p, _)| p).filter(|p| !p.contains(' ') && *p != ".");
            let structural = detail.contains("unknown field") || detail.contains("missing field");
            let code = if structural { ErrorCode::InvalidQuery } else { ErrorCode::InvalidValue };
            let mut err = ApiError::new(code, format!("invalid JSON body: {detail}"));
            if let Some(f) = field {
                err = err.param(f);
            }
            Err(err)
        }
        JsonRejection::MissingJsonContentType(_) => Err(ApiError::new(
            ErrorCode::InvalidQuery,
            "a POST body must be JSON with `Content-Type: application/json`",
        )),
        _ => Err(ApiError::new(ErrorCode::InvalidQuery, format!("invalid JSON body: {text}"))),
    }
}

async fn do_route(state: AppState, permit: Permit, params: RouteParams) -> Result<Json<RouteResponse>, ApiError> {
    let data = state.dataset();
    let limits = state.config.limits.clone();
    let budget = permit.budget(&limits);
    run_blocking(permit, move || {
        let geometry = params.wants_geometry()?;
        let plan = params.plan(&data, &limits, Endpoint::Route)?;
        let (net, router) = (plan.network(), plan.router(budget));
        let route = corridor_routing::route_via(&router, &plan.request, &plan.via).map_err(|e| ApiError::route(&e))?;
        let mut dto = RouteDto::new(net, &route);
        dto.reliability = Some(ReliabilityDto::new(net, &route, &router.reliability(&route, plan.samples, plan.seed)));
        dto.notes.splice(0..0, plan.notes.iter().cloned());
        let geometry = geometry.then(|| export::route_geojson(&dto));
        Ok(Json(RouteResponse { route: dto, geometry }))
    })
    .await
}

/// The Pareto set of `/v1/pareto`: every route not beaten on time, cost and CO2e at once.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(as = Pareto)]
pub struct ParetoResponse {
    /// The routes, fastest first, each with its simulated time distribution (`reliability`).
    pub routes: Vec<RouteDto>,
    /// With `geometry=geojson`: all routes as one FeatureCollection; each feature carries
    /// `route`, the index of its route.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub geometry: Option<Value>,
}

async fn do_pareto(state: AppState, permit: Permit, params: RouteParams) -> Result<Json<ParetoResponse>, ApiError> {
    let data = state.dataset();
    let limits = state.config.limits.clone();
    let budget = permit.budget(&limits);
    run_blocking(permit, move || {
        let geometry = params.wants_geometry()?;
        let collapse = params.collapse()?;
        let plan = params.plan(&data, &limits, Endpoint::Pareto)?;
        let (net, router) = (plan.network(), plan.router(budget));
        let routes = router.pareto(&plan.request).map_err(|e| ApiError::route(&e))?;
        let routes = corridor_search::collapse_near_duplicates(routes, collapse);
        let dtos: Vec<RouteDto> = routes
            .iter()
            .map(|r| {
                let mut d = RouteDto::new(net, r);
                d.reliability = Some(ReliabilityDto::new(net, r, &router.reliability(r, plan.samples, plan.seed)));
                d.notes.splice(0..0, plan.notes.iter().cloned());
                d
            })
            .collect();
        let geometry = geometry.then(|| {
            let mut features = Vec::new();
            for (i, r) in dtos.iter().enumerate() {
                if let Value::Object(mut fc) = export::route_geojson(r)
                    && let Some(Value::Array(fs)) = fc.remove("features")
                {
                    for mut f in fs {
                        if let Some(Value::Object(props)) = f.get_mut("properties") {
                            props.insert("route".into(), json!(i));
                        }
                        features.push(f);
                    }
                }
            }
            json!({"type": "FeatureCollection", "features": features})
        });
        Ok(Json(ParetoResponse { routes: dtos, geometry }))
    })
    .await
}

/// Every Pareto-optimal route over time, cost and CO2e (query parameters), fastest first,
/// near-duplicates collapsed; each with its P50/P90/P95 times.
#[utoipa::path(
    get, path = "/v1/pareto", tag = "routing",
    params(RouteParams),
    responses(
        (status = 200, description = "The Pareto set, fastest first", body = ParetoResponse),
        (status = 400, description = "Invalid input", body = ErrorBody),
        (status = 422, description = "NoRoute, with the reason; NoAccess: a place outside the network with no terminal in reach of an estimated truck leg", body = ErrorBody),
        (status = 503, description = "Overloaded (see Retry-After)", body = ErrorBody),
        (status = 504, description = "Timeout", body = ErrorBody),
    ),
    security((), ("api_key" = []), ("bearer" = []))
)]
pub async fn pareto_get(
    State(state): State<AppState>,
    Extension(permit): Extension<Permit>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<ParetoResponse>, ApiError> {
    let params = RouteParams::from_pairs(&query_pairs(q)?)?;
    do_pareto(state, permit, params).await
}

/// The Pareto set (JSON body).
#[utoipa::path(
    post, path = "/v1/pareto", tag = "routing",
    request_body = RouteParams,
    responses(
        (status = 200, description = "The Pareto set, fastest first", body = ParetoResponse),
        (status = 400, description = "Invalid input", body = ErrorBody),
        (status = 413, description = "TooBig: body over the size limit", body = ErrorBody),
        (status = 422, description = "NoRoute, with the reason; NoAccess: a place outside the network with no terminal in reach of an estimated truck leg", body = ErrorBody),
        (status = 503, description = "Overloaded (see Retry-After)", body = ErrorBody),
        (status = 504, description = "Timeout", body = ErrorBody),
    ),
    security((), ("api_key" = []), ("bearer" = []))
)]
pub async fn pareto_post(
    State(state): State<AppState>,
    Extension(permit): Extension<Permit>,
    body: Result<Json<RouteParams>, JsonRejection>,
) -> Result<Json<ParetoResponse>, ApiError> {
    let params = json_body(body, state.config.limits.max_body_bytes)?;
    do_pareto(state, permit, params).await
}

async fn do_compare(state: AppState, permit: Permit, params: RouteParams) -> Result<Json<CompareResponse>, ApiError> {
    let data = state.dataset();
    let limits = state.config.limits.clone();
    let budget = permit.budget(&limits);
    run_blocking(permit, move || {
        let geometry = params.wants_geometry()?;
        let plan = params.plan(&data, &limits, Endpoint::Compare)?;
        let (net, req) = (plan.network(), &plan.request);
        if req.from == req.to {
            // A comparison of a place with itself is an input error, not n corridor failures.
            let code = net.location(req.from).code.clone();
            return Err(ApiError::route(&corridor_search::RouteError::SameLocation(code)));
        }
        let router = plan.router(budget);
        let cmp = corridor_routing::compare_via(&router, req, &plan.via);
        // An interrupted corridor is not reported as one without a route: the request fails.
        for r in std::iter::once(&cmp.best).chain(cmp.corridors.iter().map(|c| &c.route)) {
            if let Err(e @ corridor_search::RouteError::Interrupted(_)) = r {
                return Err(ApiError::route(e));
            }
        }
        let mut comparison = ComparisonDto::new(&router, &cmp);
        comparison.notes.splice(0..0, plan.notes.iter().cloned());
        let geometry = geometry.then(|| export::comparison_geojson(&comparison));
        Ok(Json(CompareResponse { comparison, geometry }))
    })
    .await
}

/// Best route between two locations (query parameters).
#[utoipa::path(
    get, path = "/v1/route", tag = "routing",
    params(RouteParams),
    responses(
        (status = 200, description = "The best route, leg by leg", body = RouteResponse),
        (status = 400, description = "Invalid input: InvalidQuery, InvalidValue, UnknownLocation, AmbiguousLocation, OutsideNetwork (avoid_location), NoSegment (a coordinate far from any known place), SameLocation, EndpointExcluded, TooBig", body = ErrorBody),
        (status = 422, description = "NoRoute, with the reason; NoAccess: a place outside the network with no terminal in reach of an estimated truck leg", body = ErrorBody),
        (status = 503, description = "Overloaded (see Retry-After)", body = ErrorBody),
        (status = 504, description = "Timeout", body = ErrorBody),
    ),
    security((), ("api_key" = []), ("bearer" = []))
)]
pub async fn route_get(
    State(state): State<AppState>,
    Extension(permit): Extension<Permit>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<RouteResponse>, ApiError> {
    let params = RouteParams::from_pairs(&query_pairs(q)?)?;
    do_route(state, permit, params).await
}

/// Best route between two locations (JSON body; same fields as the GET parameters, lists as
/// arrays).
#[utoipa::path(
    post, path = "/v1/route", tag = "routing",
    request_body = RouteParams,
    responses(
        (status = 200, description = "The best route, leg by leg", body = RouteResponse),
        (status = 400, description = "Invalid input", body = ErrorBody),
        (status = 413, description = "TooBig: body over the size limit", body = ErrorBody),
        (status = 422, description = "NoRoute, with the reason; NoAccess: a place outside the network with no terminal in reach of an estimated truck leg", body = ErrorBody),
        (status = 503, description = "Overloaded (see Retry-After)", body = ErrorBody),
        (status = 504, description = "Timeout", body = ErrorBody),
    ),
    security((), ("api_key" = []), ("bearer" = []))
)]
pub async fn route_post(
    State(state): State<AppState>,
    Extension(permit): Extension<Permit>,
    body: Result<Json<RouteParams>, JsonRejection>,
) -> Result<Json<RouteResponse>, ApiError> {
    let params = json_body(body, state.config.limits.max_body_bytes)?;
    do_route(state, permit, params).await
}

/// The best route of each corridor side by side, and which corridor wins on time, cost, CO2e
/// and borders (query parameters; `corridor` is not accepted).
#[utoipa::path(
    get, path = "/v1/compare", tag = "routing",
    params(RouteParams),
    responses(
        (status = 200, description = "Corridors side by side", body = CompareResponse),
        (status = 400, description = "Invalid input", body = ErrorBody),
        (status = 422, description = "NoAccess: a place outside the network with no terminal in reach of an estimated truck leg", body = ErrorBody),
        (status = 503, description = "Overloaded (see Retry-After)", body = ErrorBody),
        (status = 504, description = "Timeout", body = ErrorBody),
    ),
    security((), ("api_key" = []), ("bearer" = []))
)]
pub async fn compare_get(
    State(state): State<AppState>,
    Extension(permit): Extension<Permit>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<CompareResponse>, ApiError> {
    let params = RouteParams::from_pairs(&query_pairs(q)?)?;
    do_compare(state, permit, params).await
}

/// The corridor comparison (JSON body).
#[utoipa::path(
    post, path = "/v1/compare", tag = "routing",
    request_body = RouteParams,
    responses(
        (status = 200, description = "Corridors side by side", body = CompareResponse),
        (status = 400, description = "Invalid input", body = ErrorBody),
        (status = 413, description = "TooBig: body over the size limit", body = ErrorBody),
        (status = 422, description = "NoAccess: a place outside the network with no terminal in reach of an estimated truck leg", body = ErrorBody),
        (status = 503, description = "Overloaded (see Retry-After)", body = ErrorBody),
        (status = 504, description = "Timeout", body = ErrorBody),
    ),
    security((), ("api_key" = []), ("bearer" = []))
)]
pub async fn compare_post(
    State(state): State<AppState>,
    Extension(permit): Extension<Permit>,
    body: Result<Json<RouteParams>, JsonRejection>,
) -> Result<Json<CompareResponse>, ApiError> {
    let params = json_body(body, state.config.limits.max_body_bytes)?;
    do_compare(state, permit, params).await
}

/// A many-to-many table: one row per source, one column per target; `null` where there is no
/// route (including a location paired with itself).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TableResponse {
    /// The sources, in request order (rows).
    pub sources: Vec<LocationDto>,
    /// The targets, in request order (columns).
    pub targets: Vec<LocationDto>,
    /// Expected door-to-door time, hours.
    pub hours: Vec<Vec<Option<f64>>>,
    /// The same in days.
    pub days: Vec<Vec<Option<f64>>>,
    /// Price for the unit, USD.
    pub usd: Vec<Vec<Option<f64>>>,
    /// Well-to-wheel emissions, kg CO2e.
    pub co2e_wtw_kg: Vec<Vec<Option<f64>>>,
    /// Distance, km.
    pub km: Vec<Vec<Option<f64>>>,
}

fn round_to(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

async fn do_table(state: AppState, permit: Permit, params: TableParams) -> Result<Json<TableResponse>, ApiError> {
    let data = state.dataset();
    let limits = state.config.limits.clone();
    let budget = permit.budget(&limits);
    run_blocking(permit, move || {
        let t = params.to_request(&data, &limits)?;
        let router = Router::new(data.network(), &data.graph).with_cache(&data.cache).with_budget(budget);
        // A sea-only port's cells take the truck legs its route takes (access::table).
        let cells = corridor_routing::access::table(&router, &t.request, &t.sources, &t.targets)
            .map_err(|e| ApiError::route(&e))?;
        let cols = t.targets.len().max(1);
        let grid = |f: &dyn Fn(&corridor_search::Totals) -> f64| -> Vec<Vec<Option<f64>>> {
            cells.chunks(cols).map(|row| row.iter().map(|c| c.as_ref().map(|r| f(&r.totals))).collect()).collect()
        };
        let net = data.network();
        Ok(Json(TableResponse {
            sources: t.sources.iter().map(|&id| LocationDto::new(net.location(id))).collect(),
            targets: t.targets.iter().map(|&id| LocationDto::new(net.location(id))).collect(),
            hours: grid(&|t| round_to(t.hours.0, 2)),
            days: grid(&|t| round_to(t.hours.days(), 2)),
            usd: grid(&|t| round_to(t.usd.0, 2)),
            co2e_wtw_kg: grid(&|t| round_to(t.emissions.wtw.0, 2)),
            km: grid(&|t| round_to(t.km.0, 1)),
        }))
    })
    .await
}

/// Many-to-many table between locations (query parameters): time, days, price, CO2e and
/// distance of the best route from every source to every target, one search per source (a
/// sea-only port's cells take the truck legs its route takes: one more search per such port).
#[utoipa::path(
    get, path = "/v1/table", tag = "routing",
    params(TableParams),
    responses(
        (status = 200, description = "The table; null where there is no route", body = TableResponse),
        (status = 400, description = "Invalid input: InvalidQuery, InvalidValue, UnknownLocation, AmbiguousLocation, OutsideNetwork (a place outside the network; all with the list index), TooBig (more cells than max_matrix_cells, or more locations than max_locations)", body = ErrorBody),
        (status = 503, description = "Overloaded (see Retry-After)", body = ErrorBody),
        (status = 504, description = "Timeout", body = ErrorBody),
    ),
    security((), ("api_key" = []), ("bearer" = []))
)]
pub async fn table_get(
    State(state): State<AppState>,
    Extension(permit): Extension<Permit>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<TableResponse>, ApiError> {
    let params = TableParams::from_pairs(&query_pairs(q)?)?;
    do_table(state, permit, params).await
}

/// Many-to-many table (JSON body; lists as arrays).
#[utoipa::path(
    post, path = "/v1/table", tag = "routing",
    request_body = TableParams,
    responses(
        (status = 200, description = "The table; null where there is no route", body = TableResponse),
        (status = 400, description = "Invalid input", body = ErrorBody),
        (status = 413, description = "TooBig: body over the size limit", body = ErrorBody),
        (status = 503, description = "Overloaded (see Retry-After)", body = ErrorBody),
        (status = 504, description = "Timeout", body = ErrorBody),
    ),
    security((), ("api_key" = []), ("bearer" = []))
)]
pub async fn table_post(
    State(state): State<AppState>,
    Extension(permit): Extension<Permit>,
    body: Result<Json<TableParams>, JsonRejection>,
) -> Result<Json<TableResponse>, ApiError> {
    let params = json_body(body, state.config.limits.max_body_bytes)?;
    do_table(state, permit, params).await
}

/// Parameters of `/v1/assign`.
#[derive(Clone, Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AssignParams {
    /// `true`: min-cost flow with hard capacities (unserved demand, shadow prices); `false`
    /// (default): user equilibrium with queueing delays.
    pub hard_capacity: Option<bool>,
    /// Demand growth preset applied to the 2024 demand: `titr-2025`, `titr-2029-target` or
    /// `uniform-1.5`.
    #[param(value_type = Option<crate::schema::GrowthName>)]
    pub growth: Option<String>,
    /// Bottleneck rows to return, 1 to the server's `max_results` (default 15).
    pub top: Option<usize>,
}

/// Default bottleneck rows of `/v1/assign` (as the CLI's `corridor assign`).
pub const DEFAULT_ASSIGN_TOP: usize = 15;

/// Load of one capacity-bearing element (one direction), a bottleneck row.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct BottleneckRow {
    /// `kind:id (direction)`.
    pub element: String,
    /// Human-readable name (link ends, border name or transfer location).
    pub name: String,
    /// Load, TEU per week.
    pub load_teu_week: f64,
    /// Capacity, TEU per week.
    pub capacity_teu_week: f64,
    /// Load / capacity.
    pub utilisation: f64,
    /// Mean queueing delay per TEU, hours (equilibrium; 0 for hard capacity).
    pub delay_h: f64,
    /// Shadow price, USD per TEU of weekly capacity (hard capacity only).
    pub shadow_price_usd: Option<f64>,
}

/// TEU-km per year on the links of one corridor tag.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CorridorShareRow {
    /// Corridor id, or `feeder` for untagged links.
    pub corridor: String,
    /// TEU-km per year.
    pub teu_km_year: f64,
    /// Share of all TEU-km, 0 to 1.
    pub share: f64,
}

/// Totals of an assignment, per year.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AssignTotals {
    /// Demand, TEU.
    pub demand_teu: f64,
    /// Carried, TEU.
    pub served_teu: f64,
    /// Not carried, TEU.
    pub unserved_teu: f64,
    /// TEU-days in transit.
    pub teu_days: f64,
    /// Of which queueing delay.
    pub delay_teu_days: f64,
    /// Mean door-to-door days per served TEU.
    pub mean_days: f64,
    /// USD (tariffs and fees).
    pub usd: f64,
    /// t CO2e well-to-wheel.
    pub co2e_t: f64,
    /// Generalized cost, USD.
    pub generalized_usd: f64,
}

/// An assignment of the 2024 demand on the served network with the default capacities.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AssignResponse {
    /// `equilibrium` or `hard_capacity`.
    pub method: String,
    /// Frank-Wolfe iterations (equilibrium).
    pub iterations: Option<usize>,
    /// Final relative gap (equilibrium).
    pub relative_gap: Option<f64>,
    /// Column-generation rounds (hard capacity).
    pub rounds: Option<usize>,
    /// The growth preset applied, if any.
    pub growth: Option<String>,
    /// The `top` capacitated elements, ranked as bottlenecks (utilisation, then delay, then
    /// shadow price).
    pub bottlenecks: Vec<BottleneckRow>,
    /// TEU-km by corridor.
    pub corridors: Vec<CorridorShareRow>,
    /// Totals per year.
    pub totals: AssignTotals,
    /// GeoJSON FeatureCollection of the link flows ([lon, lat]).
    #[schema(value_type = Object)]
    pub geometry: Value,
    /// The corridor choice between China and Europe (a logit over sea, rail via Russia and the
    /// Middle Corridor, constants calibrated to the 2024 westbound volumes, eastbound held
    /// out); null on a dataset other than the embedded one, which has no market.
    pub choice: Option<ChoiceResponse>,
}

/// The corridor choice: modelled against observed volumes per alternative and direction.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ChoiceResponse {
    /// One row per alternative and direction.
    pub rows: Vec<ChoiceRowDto>,
    /// Calibrated constants as a cost equivalent, USD per TEU (positive = a penalty beyond
    /// price and time), per alternative id; the first alternative is the reference (0).
    pub constants_usd: Vec<ChoiceConstant>,
    /// Mean logit scale over the cells, per USD (from the routes' price ranges, not fitted).
    pub theta_per_usd: f64,
    /// Market cells with a route, and all market cells.
    pub cells_with_route: usize,
    /// All market cells.
    pub cells: usize,
}

/// One alternative in one direction.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ChoiceRowDto {
    /// Alternative id (`sea`, `rail-russia`, `middle`).
    pub alternative: String,
    /// `westbound` or `eastbound`.
    pub direction: String,
    /// Modelled TEU per year.
    pub modelled_teu: f64,
    /// Observed TEU per year, where a source gives one.
    pub observed_teu: Option<f64>,
    /// `calibrate` (sets the constants) or `validate` (held out), where observed.
    pub role: Option<String>,
}

/// A calibrated constant.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ChoiceConstant {
    /// Alternative id.
    pub alternative: String,
    /// USD per TEU, positive = a penalty.
    pub usd_per_teu: f64,
}

impl ChoiceResponse {
    /// The wire form of a choice report.
    pub fn new(r: &corridor_analytics::ChoiceReport) -> Self {
        ChoiceResponse {
            rows: r
                .rows
                .iter()
                .map(|x| ChoiceRowDto {
                    alternative: x.alternative.clone(),
                    direction: x.direction.as_str().into(),
                    modelled_teu: x.modelled,
                    observed_teu: x.observed,
                    role: x.role.map(|r| r.as_str().into()),
                })
                .collect(),
            constants_usd: r
                .alternatives
                .iter()
                .zip(&r.constants_usd)
                // Shown as a penalty: the constant with its sign turned (0 stays 0).
                .map(|(a, c)| ChoiceConstant {
                    alternative: a.id.clone(),
                    usd_per_teu: if *c == 0.0 { 0.0 } else { -c },
                })
                .collect(),
            theta_per_usd: r.mean_theta,
            cells_with_route: r.cells - r.cells_without_route,
            cells: r.cells,
        }
    }
}

impl AssignResponse {
    /// The wire form of a flow report.
    pub fn new(
        net: &corridor_model::Network,
        report: &corridor_analytics::FlowReport,
        growth: Option<String>,
        top: usize,
    ) -> Self {
        let (method, iterations, relative_gap, rounds) = match &report.method {
            corridor_analytics::Method::Equilibrium { iterations, relative_gap } => {
                ("equilibrium", Some(*iterations), Some(*relative_gap), None)
            }
            corridor_analytics::Method::HardCapacity { rounds } => ("hard_capacity", None, None, Some(*rounds)),
        };
        let t = &report.totals;
        AssignResponse {
            method: method.into(),
            iterations,
            relative_gap,
            rounds,
            growth,
            bottlenecks: report
                .elements
                .iter()
                .take(top)
                .map(|e| BottleneckRow {
                    element: e.element.clone(),
                    name: e.name.clone(),
                    load_teu_week: e.load_teu_week,
                    capacity_teu_week: e.capacity_teu_week,
                    utilisation: e.utilisation,
                    delay_h: e.delay_h,
                    // The solver reports unbinding capacities as -0.0.
                    shadow_price_usd: e.shadow_price_usd.map(|p| if p == 0.0 { 0.0 } else { p }),
                })
                .collect(),
            corridors: report
                .corridors
                .iter()
                .map(|c| CorridorShareRow { corridor: c.corridor.clone(), teu_km_year: c.teu_km_year, share: c.share })
                .collect(),
            totals: AssignTotals {
                demand_teu: t.demand_teu,
                served_teu: t.served_teu,
                unserved_teu: t.unserved_teu,
                teu_days: t.teu_days,
                delay_teu_days: t.delay_teu_days,
                mean_days: t.mean_days,
                usd: t.usd,
                co2e_t: t.co2e_t,
                generalized_usd: t.generalized_usd,
            },
            geometry: corridor_analytics::flows_geojson(net, report),
            choice: None,
        }
    }
}

fn data_errors(what: &str, errors: &[corridor_analytics::DataError]) -> ApiError {
    let mut err = ApiError::new(
        ErrorCode::AssignmentUnavailable,
        format!(
            "the embedded {what} table does not fit the served dataset ({} problem(s)); /v1/assign needs the default dataset",
            errors.len()
        ),
    );
    err.body.diagnostics = Some(
        errors
            .iter()
            .map(|e| DiagnosticBody {
                severity: "error".into(),
                file: e.file.clone(),
                line: (e.line > 0).then_some(e.line),
                field: (!e.field.is_empty()).then(|| e.field.clone()),
                message: e.message.clone(),
            })
            .collect(),
    );
    err
}

/// Assigns the 2024 origin-destination demand (optionally grown) to the served network with
/// the default capacities: the bottleneck elements, corridor shares, totals, and the link
/// flows as GeoJSON. As `corridor assign` on the command line.
#[utoipa::path(
    get, path = "/v1/assign", tag = "analytics",
    params(AssignParams),
    responses(
        (status = 200, description = "Bottlenecks, corridor shares, totals and flow map", body = AssignResponse),
        (status = 400, description = "InvalidQuery or InvalidValue", body = ErrorBody),
        (status = 422, description = "AssignmentUnavailable: the default capacities or demand do not fit the served dataset, or the assignment failed", body = ErrorBody),
        (status = 503, description = "Overloaded (see Retry-After)", body = ErrorBody),
        (status = 504, description = "Timeout", body = ErrorBody),
    ),
    security((), ("api_key" = []), ("bearer" = []))
)]
pub async fn assign(
    State(state): State<AppState>,
    Extension(permit): Extension<Permit>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<AssignResponse>, ApiError> {
    use corridor_analytics::commands::{AssignMethod, run_assignment};
    use corridor_analytics::{Capacities, DEFAULT_CAPACITIES_CSV, DEFAULT_DEMAND_CSV, Demand, Growth, Model};
    let pairs = query_pairs(q)?;
    pairs.check_known(&["hard_capacity", "growth", "top"])?;
    let method = if pairs.boolean("hard_capacity")?.unwrap_or(false) {
        AssignMethod::HardCapacity
    } else {
        AssignMethod::Equilibrium
    };
    let max = state.config.limits.max_results;
    let top = pairs.integer::<usize>("top")?.unwrap_or(DEFAULT_ASSIGN_TOP.min(max));
    if !(1..=max).contains(&top) {
        return Err(ApiError::invalid_value("top", &top.to_string(), format!("must be between 1 and {max}")));
    }
    let growth = match pairs.single("growth")? {
        None => None,
        Some(g) => {
            let presets = Growth::presets();
            let found = presets.into_iter().find(|p| p.name == g.trim());
            match found {
                Some(p) => Some(p),
                None => {
                    let names: Vec<String> = Growth::presets().into_iter().map(|p| p.name).collect();
                    return Err(ApiError::invalid_value(
                        "growth",
                        &g,
                        format!("unknown growth preset (known: {})", names.join(", ")),
                    ));
                }
            }
        }
    };
    let data = state.dataset();
    if let Some(scenario) = &data.scenario {
        // The assignment's scope (the curated network, the calibrated choice) is not the
        // served what-if network; `corridor scenario diff` assigns a scenario properly.
        return Err(ApiError::new(
            ErrorCode::AssignmentUnavailable,
            format!("the server answers the network of scenario {scenario}; assign it with `corridor scenario diff`"),
        ));
    }
    run_blocking(permit, move || {
        // On the embedded dataset the assignment runs on its calibrated scope, the curated
        // corridor network (see corridor_io::DatasetFiles::embedded_curated), as the CLI does.
        let network = if data.origin == corridor_io::dataset::EMBEDDED_ORIGIN {
            curated_network()
                .ok_or_else(|| {
                    ApiError::new(ErrorCode::AssignmentUnavailable, "the curated network does not load".to_string())
                })?
                .clone()
        } else {
            data.network().clone()
        };
        let capacities = Capacities::parse(&network, "capacities.csv", DEFAULT_CAPACITIES_CSV)
            .map_err(|e| data_errors("capacity", &e))?;
        let mut demand =
            Demand::parse(&network, "demand_2024.csv", DEFAULT_DEMAND_CSV).map_err(|e| data_errors("demand", &e))?;
        if let Some(g) = &growth {
            demand = demand.grown(g);
        }
        let model = Model { network, capacities };
        let report = run_assignment(&model, &demand, method)
            .map_err(|e| ApiError::new(ErrorCode::AssignmentUnavailable, format!("the assignment failed: {e}")))?;
        let mut response = AssignResponse::new(&model.network, &report, growth.map(|g| g.name), top);
        // The corridor choice runs on the full core, as `corridor assign` does, and only on the
        // embedded dataset, whose market and observed volumes it is.
        if data.origin == corridor_io::dataset::EMBEDDED_ORIGIN {
            let choice = embedded_choice(&data).map_err(|e| {
                ApiError::new(ErrorCode::AssignmentUnavailable, format!("the corridor choice failed: {e}"))
            })?;
            response.choice = Some(choice);
        }
        Ok(Json(response))
    })
    .await
}

/// The corridor choice of the embedded dataset, computed once per process on its preloaded graph:
/// its network, market and observations are compiled into the binary, so every call (and every
/// reload of the embedded data) would give the same answer.
fn embedded_choice(data: &crate::state::LoadedDataset) -> Result<ChoiceResponse, String> {
    static CHOICE: std::sync::OnceLock<Result<ChoiceResponse, String>> = std::sync::OnceLock::new();
    CHOICE
        .get_or_init(|| {
            let router = corridor_search::Router::new(data.network(), &data.graph);
            corridor_analytics::commands::run_choice(
                &router,
                &("market_2024.csv".into(), corridor_analytics::DEFAULT_MARKET_CSV.into()),
                &("choice_2024.toml".into(), corridor_analytics::DEFAULT_CHOICE_TOML.into()),
            )
            .map(|r| ChoiceResponse::new(&r))
            .map_err(|e| e.to_string())
        })
        .clone()
}

/// The embedded curated corridor network, parsed once per process (it is compiled into the
/// binary, so a reload cannot change it).
fn curated_network() -> Option<&'static corridor_model::Network> {
    static CURATED: std::sync::OnceLock<Option<corridor_model::Network>> = std::sync::OnceLock::new();
    CURATED
        .get_or_init(|| corridor_io::load(&corridor_io::DatasetFiles::embedded_curated()).ok().map(|l| l.network))
        .as_ref()
}

/// Location search for autocomplete: exact, prefix, substring, then close misspellings.
#[utoipa::path(
    get, path = "/v1/locations", tag = "network",
    params(LocationsParams),
    responses(
        (status = 200, description = "Matching locations, best first (possibly none)", body = LocationsResponse),
        (status = 400, description = "InvalidQuery or InvalidValue", body = ErrorBody),
    ),
    security((), ("api_key" = []), ("bearer" = []))
)]
pub async fn locations(
    State(state): State<AppState>,
    Extension(permit): Extension<Permit>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<LocationsResponse>, ApiError> {
    let pairs = query_pairs(q)?;
    pairs.check_known(&["q", "limit"])?;
    let query = pairs.single("q")?.unwrap_or_default();
    let max = state.config.limits.max_results;
    let limit = pairs.integer::<usize>("limit")?.unwrap_or(10.min(max));
    if !(1..=max).contains(&limit) {
        return Err(ApiError::invalid_value("limit", &limit.to_string(), format!("must be between 1 and {max}")));
    }
    let data = state.dataset();
    run_blocking(permit, move || {
        // Not a look-alike of a place the index has by exactly that name (Irkutsk for
        // "Yakutsk"); an empty query lists every location.
        let resolver = data.resolver();
        let listing = resolver.search_core_listing(&query);
        let hits = listing.locations;
        let net = data.network();
        let places =
            resolver.off_network_places(&query, limit).into_iter().map(|id| PlaceDto::new(resolver, id)).collect();
        Ok(Json(LocationsResponse {
            total: hits.len(),
            locations: hits.iter().take(limit).map(|&id| LocationDto::new(net.location(id))).collect(),
            places,
            look_alikes_only: listing.look_alikes_only,
            query,
        }))
    })
    .await
}

/// The network's links as a GeoJSON FeatureCollection ([lon, lat], RFC 7946), filterable by
/// corridor and mode. The collection also lists the corridors with their map colours.
#[utoipa::path(
    get, path = "/v1/network", tag = "network",
    params(NetworkParams),
    responses(
        (status = 200, description = "FeatureCollection of links (properties id, from, to, mode, platform, corridors, km)", body = schema::NetworkCollection),
        (status = 400, description = "InvalidQuery, InvalidValue or TooBig", body = ErrorBody),
    ),
    security((), ("api_key" = []), ("bearer" = []))
)]
pub async fn network(
    State(state): State<AppState>,
    Extension(permit): Extension<Permit>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let pairs = query_pairs(q)?;
    pairs.check_known(&["corridor", "mode"])?;
    let limits = &state.config.limits;
    let (corridor_args, mode_args) = (pairs.list("corridor"), pairs.list("mode"));
    for (key, list) in [("corridor", &corridor_args), ("mode", &mode_args)] {
        if list.len() > limits.max_list_items {
            return Err(ApiError::new(
                ErrorCode::TooBig,
                format!("{key} has {} entries; the limit is {}", list.len(), limits.max_list_items),
            )
            .param(key));
        }
    }
    let data = state.dataset();
    let mut corridors = Vec::new();
    for (i, c) in corridor_args.iter().enumerate() {
        let id = data.network().corridor_by_code(c).ok_or_else(|| {
            let known: Vec<&str> = data.network().corridors.iter().map(|c| c.code.as_str()).collect();
            ApiError::invalid_value("corridor", c, format!("unknown corridor (known: {})", known.join(", "))).index(i)
        })?;
        corridors.push(id.index());
    }
    let mut modes = Vec::new();
    for (i, m) in mode_args.iter().enumerate() {
        modes.push(m.to_ascii_lowercase().parse::<Mode>().map_err(|e| ApiError::invalid_value("mode", m, e).index(i))?);
    }
    run_blocking(permit, move || Ok(Json(corridor_io::export::network_geojson(data.network(), &corridors, &modes))))
        .await
}

/// Liveness and the dataset being served. Never needs the API key.
#[utoipa::path(
    get, path = "/health", tag = "operations",
    responses((status = 200, description = "Up", body = HealthResponse))
)]
pub async fn health(State(state): State<AppState>) -> Json<HealthResponse> {
    Json(HealthResponse {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        dataset: DatasetSummary::new(&state.dataset()),
    })
}

/// Prometheus metrics (text exposition format 0.0.4).
#[utoipa::path(
    get, path = "/metrics", tag = "operations",
    responses(
        (status = 200, description = "Request counts by endpoint and status, latency histograms, dataset info", body = String, content_type = "text/plain"),
        (status = 401, description = "Unauthorized", body = ErrorBody),
    ),
    security((), ("api_key" = []), ("bearer" = []))
)]
pub async fn metrics(State(state): State<AppState>) -> Response {
    let limits = &state.config.limits;
    let in_flight = limits.max_concurrent.saturating_sub(state.limiter().available_permits());
    let data = state.dataset();
    // Named, not located: /metrics answers without a key when none is configured.
    let origin = public_origin(&data.origin);
    let gauges = crate::metrics::DatasetGauges {
        info: &data.network().info,
        origin: &origin,
        locations: data.network().locations.len(),
        links: data.network().links.len(),
        loaded_at: data.loaded_at,
        cache: data.cache.stats(),
    };
    let text = state.metrics.render(&gauges, in_flight);
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], text).into_response()
}

/// Reloads the configured dataset and swaps it in atomically; requests in flight finish on
/// the old data. A dataset with errors is rejected (422 `InvalidDataset` with every problem)
/// and the previous one keeps serving. Requires the API key when one is configured.
#[utoipa::path(
    post, path = "/admin/reload", tag = "operations",
    responses(
        (status = 200, description = "Reloaded; warnings of the new dataset", body = ReloadResponse),
        (status = 401, description = "Unauthorized", body = ErrorBody),
        (status = 403, description = "Unauthorized: without an API key, only same-origin requests to a loopback host name may reload", body = ErrorBody),
        (status = 422, description = "InvalidDataset: rejected, previous dataset still served", body = ErrorBody),
    ),
    security((), ("api_key" = []), ("bearer" = []))
)]
pub async fn reload(State(state): State<AppState>) -> Response {
    match state.reload().await {
        ReloadOutcome::Reloaded { warnings } => Json(ReloadResponse {
            status: "reloaded".into(),
            dataset: DatasetSummary::new(&state.dataset()),
            diagnostics: warnings.iter().map(DiagnosticBody::new).collect(),
        })
        .into_response(),
        ReloadOutcome::Rejected(failure) => {
            let mut err = ApiError::new(
                ErrorCode::InvalidDataset,
                format!(
                    "dataset {} rejected with {} error(s); still serving {} {}",
                    failure.origin,
                    failure.errors(),
                    state.dataset().network().info.name,
                    state.dataset().network().info.version
                ),
            );
            err.body.diagnostics = Some(failure.diagnostics.iter().map(DiagnosticBody::new).collect());
            err.into_response()
        }
    }
}

/// Answer for paths that match no endpoint.
pub async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::new(ErrorCode::NotFound, format!("no endpoint at {}; see /openapi.json for the API", uri.path()))
}

/// Answer for a known path with the wrong method.
pub async fn method_not_allowed(method: axum::http::Method, uri: axum::http::Uri) -> ApiError {
    ApiError::new(
        ErrorCode::MethodNotAllowed,
        format!("{method} is not supported on {}; see /openapi.json", uri.path()),
    )
}
