//! OSRM-compatible routing: `GET /route/v1/{profile}/{lon,lat;lon,lat...}` answers like
//! `osrm-routed` (`code`, `routes[{distance m, duration s, weight, geometry, legs}]`,
//! `waypoints[{name, location, distance}]`), so OSRM clients and map plugins work unchanged.
//!
//! Each coordinate is snapped to the nearest location of the network; the snap distance is
//! reported as the waypoint's `distance` (metres), and a coordinate farther than the server's
//! snap limit is refused with `NoSegment` rather than silently routed from somewhere else.
//! The profile selects the objective (`time`, `cost`, `co2`, `balanced`); any other profile
//! name (`driving`, `car`, ...) means `time`, the fastest route, as OSRM's profiles do.
//! Input errors are HTTP 400, as in OSRM.

use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Extension, Path, Query, State};
use axum::http::StatusCode;
use corridor_io::export::leg_coordinates;
use corridor_io::load::haversine_km;
use corridor_model::LocationId;
use corridor_search::{LegKind, Optimize, RouteRequest, Router};
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use crate::api::{path_segments, query_pairs};
use crate::error::{ApiError, ErrorBody, ErrorCode};
use crate::middleware::{Permit, run_blocking};
use crate::state::{AppState, LoadedDataset};

/// Query parameters understood by `/route/v1`; other OSRM options are accepted and ignored.
#[derive(Clone, Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OsrmParams {
    /// `polyline` (precision 5, default), `polyline6` or `geojson`.
    pub geometries: Option<String>,
    /// `full` or `simplified` (both give the full geometry) or `false` (no geometry).
    pub overview: Option<String>,
}

/// An OSRM route response.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OsrmResponse {
    /// `Ok`.
    pub code: String,
    /// One route through all waypoints.
    pub routes: Vec<OsrmRoute>,
    /// The snapped waypoints, in input order.
    pub waypoints: Vec<OsrmWaypoint>,
}

/// One route.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OsrmRoute {
    /// Metres.
    pub distance: f64,
    /// Seconds (expected door-to-door time including dwell and waits).
    pub duration: f64,
    /// Generalized cost of the objective.
    pub weight: f64,
    /// The objective (`time`, `cost`, `co2`, `balanced`).
    pub weight_name: String,
    /// Encoded polyline string or GeoJSON LineString; absent with `overview=false`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = route_geometry_schema)]
    pub geometry: Option<Value>,
    /// One leg per pair of consecutive waypoints.
    pub legs: Vec<OsrmLeg>,
}

/// `OsrmRoute.geometry`: an encoded polyline (`geometries=polyline`/`polyline6`, the default)
/// or a GeoJSON LineString (`geometries=geojson`), as osrm-routed sends it.
fn route_geometry_schema() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
    OneOfBuilder::new()
        .item(ObjectBuilder::new().schema_type(Type::String).description(Some("Encoded polyline (precision 5 or 6)")))
        .item(ObjectBuilder::new().schema_type(Type::Object).description(Some("GeoJSON LineString")))
        .description(Some("Encoded polyline or GeoJSON LineString; absent with `overview=false`"))
        .build()
        .into()
}

/// One leg between consecutive waypoints.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OsrmLeg {
    /// Metres.
    pub distance: f64,
    /// Seconds.
    pub duration: f64,
    /// Generalized cost.
    pub weight: f64,
    /// Countries passed, `CN > KZ > RU`.
    pub summary: String,
    /// Always empty (turn-by-turn steps do not apply to freight corridors).
    #[schema(value_type = Vec<Object>)]
    pub steps: Vec<Value>,
}

/// A coordinate snapped to a location.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OsrmWaypoint {
    /// Location name.
    pub name: String,
    /// The location's [lon, lat].
    pub location: [f64; 2],
    /// Snap distance from the given coordinate, metres.
    pub distance: f64,
    /// Empty (OSRM hints do not apply).
    pub hint: String,
    /// corridor's location id (UN/LOCODE or CC-NAME).
    pub id: String,
}

fn osrm_err(e: ApiError) -> ApiError {
    if e.status.is_client_error() { e.with_status(StatusCode::BAD_REQUEST) } else { e }
}

/// Encodes (lat, lon) points as a polyline with `precision` decimals (5 or 6).
pub fn encode_polyline(points: &[(f64, f64)], precision: i32) -> String {
    let factor = 10f64.powi(precision);
    let mut out = String::new();
    let (mut plat, mut plon) = (0i64, 0i64);
    let mut push = |v: i64| {
        let mut v = if v < 0 { !(v << 1) } else { v << 1 } as u64;
        while v >= 0x20 {
            out.push(char::from((0x20 | (v & 0x1f)) as u8 + 63));
            v >>= 5;
        }
        out.push(char::from(v as u8 + 63));
    };
    for &(lat, lon) in points {
        let (ilat, ilon) = ((lat * factor).round() as i64, (lon * factor).round() as i64);
        push(ilat - plat);
        push(ilon - plon);
        (plat, plon) = (ilat, ilon);
    }
    out
}

/// Parses `lon,lat;lon,lat...` or `polyline(...)` into (lon, lat) pairs, naming the bad entry.
pub fn parse_coordinates(s: &str) -> Result<Vec<(f64, f64)>, ApiError> {
    let s = s.strip_suffix(".json").unwrap_or(s);
    if let Some(encoded) = s.strip_prefix("polyline(").and_then(|r| r.strip_suffix(')')) {
        let pts = corridor_io::polyline::decode(encoded)
            .map_err(|e| ApiError::invalid_value("coordinates", encoded, format!("bad polyline: {e}")))?;
        return Ok(pts.into_iter().map(|(lat, lon)| (lon, lat)).collect());
    }
    s.split(';')
        .enumerate()
        .map(|(i, pair)| {
            let bad = |why: &str| ApiError::invalid_value("coordinates", pair, why).index(i);
            let (lon, lat) = pair.split_once(',').ok_or_else(|| bad("expected lon,lat"))?;
            let lon: f64 = lon.trim().parse().map_err(|_| bad("longitude is not a number"))?;
            let lat: f64 = lat.trim().parse().map_err(|_| bad("latitude is not a number"))?;
            if !(-180.0..=180.0).contains(&lon) {
                return Err(bad("longitude must be between -180 and 180"));
            }
            if !(-90.0..=90.0).contains(&lat) {
                return Err(bad("latitude must be between -90 and 90"));
            }
            Ok((lon, lat))
        })
        .collect()
}

/// The nearest location to (lon, lat) and its distance, km.
pub fn snap(data: &LoadedDataset, lon: f64, lat: f64) -> Option<(LocationId, f64)> {
    data.network()
        .locations
        .iter()
        .enumerate()
        .map(|(i, l)| (LocationId::from_index(i), haversine_km((lat, lon), (l.lat, l.lon))))
        .min_by(|a, b| a.1.total_cmp(&b.1))
}

enum GeometryFormat {
    Polyline(i32),
    GeoJson,
}

fn round(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round() / f
}

/// Best route through the snapped coordinates, in OSRM's response format.
#[utoipa::path(
    get, path = "/route/v1/{profile}/{coordinates}", tag = "osrm",
    params(
        ("profile" = String, Path, description = "time, cost, co2 or balanced; any other name (driving, ...) means time"),
        ("coordinates" = String, Path, description = "lon,lat;lon,lat[;...] or polyline(...)"),
        OsrmParams,
    ),
    responses(
        (status = 200, description = "code Ok, routes and waypoints", body = OsrmResponse),
        (status = 400, description = "InvalidQuery, InvalidValue, NoSegment, NoRoute or TooBig", body = ErrorBody),
        (status = 503, description = "Overloaded", body = ErrorBody),
        (status = 504, description = "Timeout", body = ErrorBody),
    ),
    security((), ("api_key" = []), ("bearer" = []))
)]
pub async fn route(
    State(state): State<AppState>,
    Extension(permit): Extension<Permit>,
    path: Result<Path<(String, String)>, PathRejection>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<OsrmResponse>, ApiError> {
    let (profile, coordinates) = path_segments(path).map_err(osrm_err)?;
    let pairs = query_pairs(q).map_err(osrm_err)?;
    // Honoured or refused, never ignored: `steps=maybe` or an unknown option is a 400.
    pairs.check_known(&["geometries", "overview", "alternatives", "steps", "annotations"]).map_err(osrm_err)?;
    for (key, allowed, why) in [
        ("alternatives", &["false", "0"][..], "only one route is computed: use false"),
        ("steps", &["false"][..], "turn-by-turn steps do not apply to freight routes: use false"),
        ("annotations", &["false"][..], "per-segment annotations are not supported: use false"),
    ] {
        if let Some(v) = pairs.single(key).map_err(osrm_err)?
            && !allowed.contains(&v.trim())
        {
            return Err(osrm_err(ApiError::invalid_value(key, &v, why)));
        }
    }
    let format = match pairs.single("geometries").map_err(osrm_err)?.as_deref() {
        None | Some("polyline") => GeometryFormat::Polyline(5),
        Some("polyline6") => GeometryFormat::Polyline(6),
        Some("geojson") => GeometryFormat::GeoJson,
        Some(other) => {
            return Err(osrm_err(ApiError::invalid_value(
                "geometries",
                other,
                "expected polyline, polyline6 or geojson",
            )));
        }
    };
    let overview = match pairs.single("overview").map_err(osrm_err)?.as_deref() {
        None | Some("simplified") | Some("full") => true,
        Some("false") => false,
        Some(other) => {
            return Err(osrm_err(ApiError::invalid_value("overview", other, "expected simplified, full or false")));
        }
    };
    let optimize = profile.parse::<Optimize>().unwrap_or(Optimize::Time);
    let coords = parse_coordinates(&coordinates).map_err(osrm_err)?;
    let limits = state.config.limits.clone();
    if coords.len() < 2 {
        return Err(osrm_err(
            ApiError::invalid_query("coordinates", format!("need at least 2 coordinates, got {}", coords.len()))
                .value(&coordinates),
        ));
    }
    if coords.len() > limits.max_locations {
        return Err(osrm_err(
            ApiError::new(
                ErrorCode::TooBig,
                format!("{} coordinates given; the limit is {}", coords.len(), limits.max_locations),
            )
            .param("coordinates"),
        ));
    }
    let data = state.dataset();
    let budget = permit.budget(&limits);
    run_blocking(permit, move || {
        let net = data.network();
        let mut waypoints = Vec::new();
        let mut ids = Vec::new();
        for (i, &(lon, lat)) in coords.iter().enumerate() {
            let (id, km) = snap(&data, lon, lat)
                .ok_or_else(|| osrm_err(ApiError::new(ErrorCode::NoSegment, "the network has no locations")))?;
            let l = net.location(id);
            if km > limits.max_snap_km {
                return Err(osrm_err(
                    ApiError::new(
                        ErrorCode::NoSegment,
                        format!(
                            "Could not find a location within {} km of coordinate {i} ({lon},{lat}); the nearest is {} ({}) at {km:.0} km",
                            limits.max_snap_km, l.name, l.code
                        ),
                    )
                    .param("coordinates")
                    .value(&format!("{lon},{lat}"))
                    .index(i),
                ));
            }
            waypoints.push(OsrmWaypoint {
                name: l.name.clone(),
                location: [round(l.lon, 6), round(l.lat, 6)],
                distance: round(km * 1000.0, 1),
                hint: String::new(),
                id: l.code.clone(),
            });
            ids.push(id);
        }
        let router = Router::new(net, &data.graph).with_cache(&data.cache).with_budget(budget);
        let mut legs = Vec::new();
        let mut points: Vec<(f64, f64)> = Vec::new();
        let (mut distance, mut duration, mut weight) = (0.0, 0.0, 0.0);
        for pair in ids.windows(2) {
            let (from, to) = (pair[0], pair[1]);
            if from == to {
                // OSRM answers a zero-length leg for two coordinates on the same spot.
                legs.push(OsrmLeg { distance: 0.0, duration: 0.0, weight: 0.0, summary: String::new(), steps: vec![] });
                continue;
            }
            let mut req = RouteRequest::new(&net.defaults, from, to);
            req.optimize = optimize;
            corridor_routing::trade::check(net, &req)
                .map_err(|e| osrm_err(ApiError::new(ErrorCode::NoRoute, e.to_string())))?;
            // A sea-only port end (Yangon) gets the truck legs of its `/v1/route` (access::prepare).
            let prepared = corridor_routing::access::prepare(
                net,
                &corridor_routing::Endpoint::Core(from),
                &corridor_routing::Endpoint::Core(to),
            )
            .map_err(|e| osrm_err(ApiError::new(ErrorCode::NoRoute, e.to_string())))?;
            let (leg_net, r) = match &prepared.network {
                std::borrow::Cow::Borrowed(_) => (net, router.route(&req)),
                std::borrow::Cow::Owned(with_legs) => {
                    let graph = corridor_model::Graph::compile(with_legs);
                    (with_legs, Router::new(with_legs, &graph).with_budget(budget).route(&req))
                }
            };
            let r = r.map_err(|e| osrm_err(ApiError::route(&e)))?;
            for leg in r.legs.iter().filter(|l| matches!(l.kind, LegKind::Move { .. })) {
                for p in leg_coordinates(leg_net, leg) {
                    if points.last() != Some(&p) {
                        points.push(p);
                    }
                }
            }
            let t = &r.totals;
            let leg = OsrmLeg {
                distance: round(t.km.0 * 1000.0, 1),
                duration: round(t.hours.0 * 3600.0, 1),
                weight: round(t.generalized_cost, 2),
                summary: r.countries.join(" > "),
                steps: vec![],
            };
            distance += leg.distance;
            duration += leg.duration;
            weight += leg.weight;
            legs.push(leg);
        }
        if points.len() < 2 {
            // All waypoints snapped to one location: a valid, zero-length LineString.
            let l = net.location(ids[0]);
            points = vec![(l.lat, l.lon); 2];
        }
        let geometry = overview.then(|| match format {
            GeometryFormat::Polyline(p) => Value::String(encode_polyline(&points, p)),
            GeometryFormat::GeoJson => json!({
                "type": "LineString",
                "coordinates": points.iter().map(|&(lat, lon)| [round(lon, 6), round(lat, 6)]).collect::<Vec<_>>(),
            }),
        });
        Ok(Json(OsrmResponse {
            code: "Ok".into(),
            routes: vec![OsrmRoute {
                distance: round(distance, 1),
                duration: round(duration, 1),
                weight: round(weight, 2),
                weight_name: optimize.as_str().into(),
                geometry,
                legs,
            }],
            waypoints,
        }))
    })
    .await
}
