//! OSRM's `route`, `table` and `nearest` services on a detailed snapshot (`corridor serve --data
//! X.corridor`), with OSRM's request and response shapes, so OSRM clients work unchanged.
//!
//! The snapshot's CCH is customized once per served profile, on the first request that uses
//! the profile (or for all of them at start with [`SnapshotService::customize_all`]), and the
//! metric is kept for the server's lifetime: later requests only snap their coordinates and
//! query. A profile never asked for costs no memory; each one customized costs its weights
//! (two `u32` per CCH arc and one per input arc), reported by `/metrics` and `/health`. The URL's `{profile}` names one of the served profiles
//! (`distance`, `time`, ... as the caller configured them); any other name (OSRM's `driving`,
//! `car`, ...) takes the fallback profile, as `/route/v1` on the curated network does.
//!
//! Every OSRM option is honoured or refused with a clear error: supported are `geometries`,
//! `overview`, `radiuses`, `skip_waypoints`, `generate_hints` (hints are always empty),
//! `alternatives=false`, `steps=false`, `annotations=false` (route); `sources`, `destinations`,
//! `annotations` (`duration`, `distance`), `scale_factor`, `radiuses`, `skip_waypoints`,
//! `generate_hints` (table); `number`, `radiuses`, `generate_hints` (nearest); and `exclude`
//! (route and table): classes `rail`, `road`, `sea`, `ferry`, `gauge_change` and ISO country
//! codes, for which the request customizes once (basic customization, about 0.12 s on the
//! continental snapshot). `bearings`,
//! `hints`, `approaches`, `snapping`, `waypoints`, `continue_straight`,
//! `fallback_speed` and `fallback_coordinate` are refused. Input errors are HTTP 400, as in
//! OSRM, with corridor's error body (`code`, `message`, `parameter`, `index`).
//!
//! Reported distances and durations are the exact totals along the path (metres, seconds of
//! mean time including fixed times), recomputed in `f64`, never the rounded CCH weights —
//! except a table that asks only for its profile's own weight (durations under `time`,
//! distances under `distance`), answered by the bucket many-to-many from the weights (time in
//! 0.1 s per arc, OSRM's unit).

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Extension, Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use corridor_cch::CchMetric;
use corridor_snapshot::snap::haversine_km;
use corridor_snapshot::{ArcCost, ArcKind, Engine, NodeMode, Objective, Point, Profile, SnapError, Snapped};
use serde::Serialize;
use serde_json::{Value, json};
use tokio::sync::Semaphore;

use crate::api::{path_segments, query_pairs};
use crate::config::ServerConfig;
use crate::error::{ApiError, ErrorCode};
use crate::metrics::Metrics;
use crate::middleware::{self, Guarded, Permit, run_blocking};
use crate::osrm::{OsrmLeg, encode_polyline, parse_coordinates};
use crate::params::Pairs;

/// A request profile served under a name (the `{profile}` of the URL).
#[derive(Clone, Debug, PartialEq)]
pub struct NamedProfile {
    /// The name in the URL (`time`, `distance`, ...), matched without regard to case.
    pub name: String,
    /// Objective, payload, overrides and exclusions.
    pub profile: Profile,
}

/// One metric per served profile, in the order of the profiles, customized on first use.
struct Customizations<'e>(Vec<OnceLock<CchMetric<'e>>>);

self_cell::self_cell!(
    /// The engine and its metrics (which borrow its CCH). Not covariant: a `OnceLock` is
    /// written through a shared reference.
    struct Customized {
        owner: Engine,
        #[not_covariant]
        dependent: Customizations,
    }
);

/// A snapshot ready to serve: the engine, one customized metric per profile, and how
/// coordinates snap.
pub struct SnapshotService {
    customized: Customized,
    profiles: Vec<NamedProfile>,
    fallback: usize,
    snap: Option<NodeMode>,
    origin: String,
}

impl std::fmt::Debug for SnapshotService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SnapshotService")
            .field("origin", &self.origin)
            .field("nodes", &self.engine().snapshot().node_count())
            .field("profiles", &self.profiles.iter().map(|p| p.name.as_str()).collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl SnapshotService {
    /// Serves `engine` under `profiles`, each customized on its first use (one CCH
    /// customization each; on a continental graph about half a second and one metric's memory
    /// per profile). `fallback` is the profile any other name in a URL takes; `snap` the node
    /// mode coordinates snap to (`None`: any); `origin` names the snapshot in `/health`.
    pub fn new(
        engine: Engine,
        profiles: Vec<NamedProfile>,
        fallback: &str,
        snap: Option<NodeMode>,
        origin: String,
    ) -> Result<SnapshotService, crate::Error> {
        let bad = |m: String| Err(crate::Error::Config(m));
        if profiles.is_empty() {
            return bad("a snapshot server needs at least one profile".into());
        }
        for (i, p) in profiles.iter().enumerate() {
            if profiles[..i].iter().any(|q| q.name.eq_ignore_ascii_case(&p.name)) {
                return bad(format!("profile {:?} is given twice", p.name));
            }
        }
        let Some(fallback) = profiles.iter().position(|p| p.name.eq_ignore_ascii_case(fallback)) else {
            return bad(format!("fallback profile {fallback:?} is not among the profiles"));
        };
        if let Some(m) = snap
            && !engine.snap_modes().contains(&m)
        {
            return bad(format!("the snapshot has no {} nodes to snap to", m.name()));
        }
        // A preset stored in the snapshot for the same profile is mapped, not customized.
        let customized = Customized::new(engine, |engine| {
            Customizations(
                profiles
                    .iter()
                    .map(|p| {
                        let slot = OnceLock::new();
                        if let Some(m) = engine.snapshot().stored_metric(&p.name, p.profile.fingerprint()) {
                            let _ = slot.set(m);
                        }
                        slot
                    })
                    .collect(),
            )
        });
        Ok(SnapshotService { customized, profiles, fallback, snap, origin })
    }

    /// Customizes every profile not customized yet (the eager start: all memory up front, no
    /// slow first request per profile). Returns the seconds spent.
    pub fn customize_all(&self) -> f64 {
        let t = Instant::now();
        for p in &self.profiles {
            self.with_profile(&p.name, |_, _| ());
        }
        t.elapsed().as_secs_f64()
    }

    /// Per profile in order: its name and, once its metric is ready, where the metric lives.
    pub fn residency(&self) -> Vec<(String, Option<Residency>)> {
        self.customized.with_dependent(|_, c| {
            self.profiles
                .iter()
                .zip(&c.0)
                .map(|(p, m)| {
                    let r = m
                        .get()
                        .map(|m| if m.is_shared() { Residency::Mapped } else { Residency::Heap(m.heap_bytes()) });
                    (p.name.clone(), r)
                })
                .collect()
        })
    }

    /// The engine.
    pub fn engine(&self) -> &Engine {
        self.customized.borrow_owner()
    }

    /// The served profiles, in order.
    pub fn profiles(&self) -> &[NamedProfile] {
        &self.profiles
    }

    /// The profile a URL's `{profile}` selects: by name, else the fallback.
    pub fn profile(&self, name: &str) -> &NamedProfile {
        &self.profiles[self.profiles.iter().position(|p| p.name.eq_ignore_ascii_case(name)).unwrap_or(self.fallback)]
    }

    /// Runs `f` with the profile a URL's `{profile}` selects (by name, else the fallback) and
    /// its metric, customizing it first if this is its first use (other requests for the same
    /// profile wait for that customization rather than repeating it).
    pub fn with_profile<R>(&self, name: &str, f: impl FnOnce(&NamedProfile, &CchMetric<'_>) -> R) -> R {
        let k = self.profiles.iter().position(|p| p.name.eq_ignore_ascii_case(name)).unwrap_or(self.fallback);
        let named = &self.profiles[k];
        self.customized.with_dependent(|engine, c| {
            let metric = c.0[k].get_or_init(|| {
                let t = Instant::now();
                let m = engine.metric(&named.profile);
                tracing::info!(
                    profile = %named.name,
                    seconds = t.elapsed().as_secs_f64(),
                    mb = m.heap_bytes() as f64 / 1e6,
                    "customized on first use"
                );
                m
            });
            f(named, metric)
        })
    }
}

/// Where a served profile's metric lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Residency {
    /// Stored in the snapshot by `corridor build` and mapped from the file (no heap).
    Mapped,
    /// Customized by this server; the bytes of heap its weights hold.
    Heap(usize),
}

impl SnapshotService {
    /// Runs `f` with the profile a URL's `{profile}` selects and its metric if that is ready
    /// (mapped, or customized earlier), without customizing it.
    pub fn with_ready_profile<R>(&self, name: &str, f: impl FnOnce(&NamedProfile, Option<&CchMetric<'_>>) -> R) -> R {
        let k = self.profiles.iter().position(|p| p.name.eq_ignore_ascii_case(name)).unwrap_or(self.fallback);
        self.customized.with_dependent(|_, c| f(&self.profiles[k], c.0[k].get()))
    }
}

/// The state of the snapshot server. Cheap to clone.
#[derive(Clone)]
pub struct SnapshotState {
    /// The snapshot and its metrics.
    pub service: Arc<SnapshotService>,
    /// The configuration the server was started with (`data_dir` is not used).
    pub config: Arc<ServerConfig>,
    /// Request counters.
    pub metrics: Arc<Metrics>,
    limiter: Arc<Semaphore>,
}

impl SnapshotState {
    /// The state around a ready service; fails on inconsistent limits.
    pub fn new(config: ServerConfig, service: SnapshotService) -> Result<SnapshotState, crate::Error> {
        config.limits.check().map_err(crate::Error::Config)?;
        Ok(SnapshotState {
            limiter: Arc::new(Semaphore::new(config.limits.max_concurrent)),
            service: Arc::new(service),
            config: Arc::new(config),
            metrics: Arc::new(Metrics::default()),
        })
    }
}

impl Guarded for SnapshotState {
    fn config(&self) -> &ServerConfig {
        &self.config
    }
    fn metrics(&self) -> &Metrics {
        &self.metrics
    }
    fn limiter(&self) -> &Arc<Semaphore> {
        &self.limiter
    }
}

/// The snapshot server's router: `/route/v1`, `/table/v1` and `/nearest/v1` (API key,
/// concurrency limit and time budget as on the dataset server), and `/health`.
pub fn snapshot_app(state: SnapshotState) -> axum::Router {
    let work = axum::Router::new()
        .route("/route/v1/{profile}/{coordinates}", get(route))
        .route("/table/v1/{profile}/{coordinates}", get(table))
        .route("/nearest/v1/{profile}/{coordinates}", get(nearest))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::limit::<SnapshotState>))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::require_key::<SnapshotState>));
    let mut router = axum::Router::new()
        .route("/health", get(health))
        .route("/metrics", get(metrics))
        .merge(work)
        .fallback(crate::api::not_found)
        .method_not_allowed_fallback(crate::api::method_not_allowed)
        .layer(axum::extract::DefaultBodyLimit::max(state.config.limits.max_body_bytes));
    if state.config.cors {
        router = router.layer(crate::cors());
    }
    router
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::request_size::<SnapshotState>))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::observe::<SnapshotState>))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(|_panic: Box<dyn std::any::Any + Send>| {
            ApiError::internal("handler panicked").into_response()
        }))
        .with_state(state)
}

/// `/health` of the snapshot server.
#[derive(Clone, Debug, Serialize)]
pub struct SnapshotHealth {
    /// Always `ok` when the server answers.
    pub status: String,
    /// Server version.
    pub version: String,
    /// The snapshot file's name (not its path: `/health` needs no key).
    pub snapshot: String,
    /// Nodes of the snapshot.
    pub nodes: usize,
    /// Arcs of the snapshot.
    pub arcs: usize,
    /// The served profiles; `fallback` is the one any other name takes.
    pub profiles: Vec<String>,
    /// The fallback profile.
    pub fallback: String,
    /// Node mode coordinates snap to (`any` for all).
    pub snap: String,
    /// The profiles whose metric is ready: mapped from the snapshot (stored by `corridor
    /// build`), or customized so far (on first use, or all at start with `--eager`); the others
    /// cost no memory until asked for.
    pub customized: Vec<String>,
    /// The profiles of `customized` whose metric is mapped from the snapshot file.
    pub mapped: Vec<String>,
}

async fn health(State(state): State<SnapshotState>) -> Json<SnapshotHealth> {
    let s = &state.service;
    let snap = s.engine().snapshot();
    Json(SnapshotHealth {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        snapshot: crate::api::public_origin(&s.origin),
        nodes: snap.node_count(),
        arcs: snap.arc_count(),
        profiles: s.profiles.iter().map(|p| p.name.clone()).collect(),
        fallback: s.profiles[s.fallback].name.clone(),
        snap: s.snap.map_or("any", NodeMode::name).into(),
        customized: s.residency().into_iter().filter_map(|(name, r)| r.map(|_| name)).collect(),
        mapped: s
            .residency()
            .into_iter()
            .filter_map(|(name, r)| (r == Some(Residency::Mapped)).then_some(name))
            .collect(),
    })
}

/// `/metrics` of the snapshot server: the request counters of every server, and per profile
/// whether it is customized and the bytes its metric holds, the CCH's and the file's size.
async fn metrics(State(state): State<SnapshotState>) -> axum::response::Response {
    use std::fmt::Write as _;
    let in_flight = state.config.limits.max_concurrent.saturating_sub(state.limiter.available_permits());
    let mut out = state.metrics.render_requests(in_flight);
    let s = &state.service;
    let escape = |t: &str| t.replace('\\', "\\\\").replace('"', "\\\"");
    out.push_str("# HELP corridor_snapshot_profile_customized Whether a served profile's metric is ready (1: customized, or mapped from the snapshot) or waits for its first use (0).\n");
    out.push_str("# TYPE corridor_snapshot_profile_customized gauge\n");
    let residency = s.residency();
    for (name, bytes) in &residency {
        let _ = writeln!(
            out,
            "corridor_snapshot_profile_customized{{profile=\"{}\"}} {}",
            escape(name),
            u8::from(bytes.is_some())
        );
    }
    out.push_str("# HELP corridor_snapshot_profile_mapped Whether a served profile's metric is mapped from the snapshot file (1; stored by `corridor build`) rather than customized on the heap (0).\n");
    out.push_str("# TYPE corridor_snapshot_profile_mapped gauge\n");
    for (name, r) in &residency {
        let mapped = u8::from(*r == Some(Residency::Mapped));
        let _ = writeln!(out, "corridor_snapshot_profile_mapped{{profile=\"{}\"}} {mapped}", escape(name));
    }
    out.push_str("# HELP corridor_snapshot_profile_metric_bytes Heap bytes held by a profile's metric customized by this server.\n");
    out.push_str("# TYPE corridor_snapshot_profile_metric_bytes gauge\n");
    for (name, r) in &residency {
        if let Some(Residency::Heap(b)) = r {
            let _ = writeln!(out, "corridor_snapshot_profile_metric_bytes{{profile=\"{}\"}} {b}", escape(name));
        }
    }
    out.push_str(
        "# HELP corridor_snapshot_cch_bytes Bytes of the CCH (metric-independent, shared by all profiles), mapped from the snapshot file.\n",
    );
    out.push_str("# TYPE corridor_snapshot_cch_bytes gauge\n");
    let _ = writeln!(out, "corridor_snapshot_cch_bytes {}", s.engine().cch().bytes());
    out.push_str(
        "# HELP corridor_snapshot_cch_heap_bytes Heap bytes the CCH owns (0 when all of it is mapped from the file).\n",
    );
    out.push_str("# TYPE corridor_snapshot_cch_heap_bytes gauge\n");
    let _ = writeln!(out, "corridor_snapshot_cch_heap_bytes {}", s.engine().cch().heap_bytes());
    out.push_str("# HELP corridor_snapshot_file_bytes Size of the mapped snapshot file.\n");
    out.push_str("# TYPE corridor_snapshot_file_bytes gauge\n");
    let _ = writeln!(out, "corridor_snapshot_file_bytes {}", s.engine().snapshot().file_bytes());
    state.metrics.render_uptime(&mut out);
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], out).into_response()
}

/// An OSRM input error: HTTP 400.
fn bad(e: ApiError) -> ApiError {
    if e.status.is_client_error() { e.with_status(StatusCode::BAD_REQUEST) } else { e }
}

/// OSRM options this server refuses on a snapshot, with the reason.
const REFUSED: [(&str, &str); 8] = [
    ("bearings", "the snapshot stores no road directions to match bearings against"),
    ("hints", "hints are not generated, so none can be reused"),
    ("approaches", "the snapshot has no curb sides"),
    ("snapping", "coordinates always snap to the served node mode"),
    ("waypoints", "every coordinate is a waypoint"),
    ("continue_straight", "the snapshot has no turns"),
    ("fallback_speed", "unreachable cells stay null"),
    ("fallback_coordinate", "unreachable cells stay null"),
];

/// The classes of OSRM's `exclude` on a snapshot: arc kinds by name.
const EXCLUDE_KINDS: [(&str, &[ArcKind]); 5] = [
    ("rail", &[ArcKind::Rail]),
    ("road", &[ArcKind::Road]),
    ("sea", &[ArcKind::Sea, ArcKind::Curated]),
    ("ferry", &[ArcKind::Curated]),
    ("gauge_change", &[ArcKind::GaugeChange]),
];

/// OSRM's `exclude` on a snapshot: comma-separated classes (`rail`, `road`, `sea`, `ferry`,
/// `gauge_change`) and ISO country codes of the snapshot (`RU`). `None` when not given.
fn exclusions(pairs: &Pairs, engine: &Engine) -> Result<Option<(Vec<String>, u8)>, ApiError> {
    let Some(text) = pairs.single("exclude").map_err(bad)? else { return Ok(None) };
    let snap = engine.snapshot();
    let (mut countries, mut kinds) = (Vec::new(), 0u8);
    for (i, item) in text.split(',').map(str::trim).enumerate() {
        if let Some((_, ks)) = EXCLUDE_KINDS.iter().find(|(name, _)| *name == item) {
            for k in *ks {
                kinds |= 1 << *k as u8;
            }
        } else if item.len() == 2
            && (0..snap.country_count() as u16).any(|c| snap.country_code(c).eq_ignore_ascii_case(item))
        {
            countries.push(item.to_ascii_uppercase());
        } else {
            return Err(bad(ApiError::invalid_value(
                "exclude",
                item,
                "expected rail, road, sea, ferry, gauge_change or an ISO country code of the snapshot",
            )
            .index(i)));
        }
    }
    Ok(Some((countries, kinds)))
}

/// The request's own metric when it has an `exclude` list: one customization (the basic one:
/// a tenth of a second on a continental snapshot, see bench/README.md) for the whole request.
fn custom_metric<'e>(
    pairs: &Pairs,
    service: &'e SnapshotService,
    profile: &str,
) -> Result<Option<CchMetric<'e>>, ApiError> {
    let engine = service.engine();
    Ok(exclusions(pairs, engine)?.map(|(countries, kinds)| {
        service.with_ready_profile(profile, |named, base| {
            let mut p = named.profile.clone();
            p.avoid_countries.extend(countries);
            p.avoid_kinds |= kinds;
            match base {
                // The preset's weights plus the exclusions: no arc's cost is evaluated again.
                Some(base) => engine.metric_basic_from(base, &p),
                // A preset not customized yet stays so (it costs memory only once asked for).
                None => engine.metric_basic(&p),
            }
        })
    }))
}

/// Refuses the OSRM options this server does not support and any unknown parameter.
fn check_options(pairs: &Pairs, accepted: &[&str]) -> Result<(), ApiError> {
    if let Some((key, why)) = REFUSED.iter().find(|(k, _)| pairs.0.iter().any(|(p, _)| p == k)) {
        return Err(bad(ApiError::invalid_query(key, format!("{key} is not supported on a detailed snapshot: {why}"))));
    }
    pairs.check_known(accepted).map_err(bad)
}

/// A boolean OSRM option (`true`/`false`), `default` when absent.
fn flag(pairs: &Pairs, key: &str, default: bool) -> Result<bool, ApiError> {
    match pairs.single(key).map_err(bad)?.as_deref().map(str::trim) {
        None => Ok(default),
        Some("true") => Ok(true),
        Some("false") => Ok(false),
        Some(v) => Err(bad(ApiError::invalid_value(key, v, "expected true or false"))),
    }
}

/// An option accepted only with one value (`alternatives=false`, `steps=false`, ...).
fn only(pairs: &Pairs, key: &str, allowed: &[&str], why: &str) -> Result<(), ApiError> {
    match pairs.single(key).map_err(bad)? {
        Some(v) if !allowed.contains(&v.trim()) => Err(bad(ApiError::invalid_value(key, &v, why))),
        _ => Ok(()),
    }
}

/// The snap limit of each coordinate, km: `radiuses` (metres, `unlimited` or empty for the
/// server's limit), capped at the server's `max_snap_km`.
fn radiuses(pairs: &Pairs, n: usize, max_km: f64) -> Result<Vec<f64>, ApiError> {
    let Some(text) = pairs.single("radiuses").map_err(bad)? else { return Ok(vec![max_km; n]) };
    let parts: Vec<&str> = text.split(';').collect();
    if parts.len() != n {
        return Err(bad(ApiError::invalid_value(
            "radiuses",
            &text,
            format!("{} radiuses for {n} coordinates; give one per coordinate", parts.len()),
        )));
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| match p.trim() {
            "" | "unlimited" => Ok(max_km),
            v => match v.parse::<f64>() {
                Ok(m) if m.is_finite() && m >= 0.0 => Ok((m / 1000.0).min(max_km)),
                _ => Err(bad(ApiError::invalid_value("radiuses", v, "expected metres, or unlimited").index(i))),
            },
        })
        .collect()
}

/// A coordinate snapped to a node, in OSRM's waypoint shape.
#[derive(Clone, Debug, Serialize)]
pub struct SnapWaypoint {
    /// The node's label (a terminal's or station's name; empty on plain track or road).
    pub name: String,
    /// The node's [lon, lat].
    pub location: [f64; 2],
    /// Snap distance from the given coordinate, metres.
    pub distance: f64,
    /// Always empty (hints are not generated).
    pub hint: String,
    /// The snapshot's node id (not an OSM id).
    pub node: u32,
}

fn round(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    let r = (x * f).round() / f;
    if r == 0.0 { 0.0 } else { r }
}

fn waypoint(engine: &Engine, s: Snapped) -> SnapWaypoint {
    let (lat, lon) = engine.coord(s.node);
    let snap = engine.snapshot();
    let name = snap.node_label().get(s.node as usize).map_or("", |&l| snap.label(l)).to_string();
    SnapWaypoint {
        name,
        location: [round(lon, 6), round(lat, 6)],
        distance: round(s.distance_km * 1000.0, 1),
        hint: String::new(),
        node: s.node,
    }
}

/// Snaps every (lon, lat) with its limit, naming the coordinate that fails.
fn snap_all(service: &SnapshotService, coords: &[(f64, f64)], limits_km: &[f64]) -> Result<Vec<Snapped>, ApiError> {
    coords
        .iter()
        .zip(limits_km)
        .enumerate()
        .map(|(i, (&(lon, lat), &limit))| {
            service.engine().resolve_mode(Point::Coord(lat, lon), limit, service.snap).map_err(|e| {
                let code = match e {
                    SnapError::Invalid { .. } => ErrorCode::InvalidValue,
                    SnapError::TooFar { .. } => ErrorCode::NoSegment,
                };
                bad(ApiError::new(code, format!("coordinate {i} ({lon},{lat}): {e}"))
                    .param("coordinates")
                    .value(&format!("{lon},{lat}"))
                    .index(i))
            })
        })
        .collect()
}

/// The objective's value of a path's totals, in the unit of `weight` (metres, seconds, USD,
/// kg CO2e, or generalised USD).
fn objective_value(objective: Objective, c: &ArcCost) -> f64 {
    match objective {
        Objective::Distance => c.km * 1000.0,
        Objective::Time => c.hours * 3600.0,
        Objective::TimeP90 => c.hours_p90 * 3600.0,
        Objective::Cost => c.usd,
        Objective::Co2 => c.kg_co2e,
        Objective::Balanced { value_of_time_usd_h, carbon_usd_t } => {
            c.usd + value_of_time_usd_h * c.hours + carbon_usd_t * c.kg_co2e / 1000.0
        }
    }
}

/// Parses and bounds the coordinates of a request.
fn coordinates(text: &str, min: usize, max: usize) -> Result<Vec<(f64, f64)>, ApiError> {
    let coords = parse_coordinates(text).map_err(bad)?;
    if coords.len() < min {
        return Err(bad(ApiError::invalid_query(
            "coordinates",
            format!("need at least {min} coordinate(s), got {}", coords.len()),
        )
        .value(text)));
    }
    if coords.len() > max {
        return Err(bad(ApiError::new(
            ErrorCode::TooBig,
            format!("{} coordinates given; the limit is {max}", coords.len()),
        )
        .param("coordinates")));
    }
    Ok(coords)
}

/// OSRM `route`: the best path through the snapped coordinates under the profile.
pub async fn route(
    State(state): State<SnapshotState>,
    Extension(permit): Extension<Permit>,
    path: Result<Path<(String, String)>, PathRejection>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let (profile, text) = path_segments(path).map_err(bad)?;
    let pairs = query_pairs(q).map_err(bad)?;
    check_options(
        &pairs,
        &[
            "geometries",
            "overview",
            "alternatives",
            "steps",
            "annotations",
            "radiuses",
            "skip_waypoints",
            "generate_hints",
            "exclude",
        ],
    )?;
    let format = match pairs.single("geometries").map_err(bad)?.as_deref() {
        None | Some("polyline") => Some(5),
        Some("polyline6") => Some(6),
        Some("geojson") => None,
        Some(other) => {
            return Err(bad(ApiError::invalid_value("geometries", other, "expected polyline, polyline6 or geojson")));
        }
    };
    let overview = match pairs.single("overview").map_err(bad)?.as_deref() {
        None | Some("simplified") | Some("full") => true,
        Some("false") => false,
        Some(other) => {
            return Err(bad(ApiError::invalid_value("overview", other, "expected simplified, full or false")));
        }
    };
    only(&pairs, "alternatives", &["false", "0"], "only one route is computed on a snapshot: use false")?;
    only(&pairs, "steps", &["false"], "turn-by-turn steps do not apply to freight routes: use false")?;
    only(&pairs, "annotations", &["false"], "per-segment annotations are not supported on a snapshot: use false")?;
    let skip_waypoints = flag(&pairs, "skip_waypoints", false)?;
    flag(&pairs, "generate_hints", true)?;
    let limits = state.config.limits.clone();
    let coords = coordinates(&text, 2, limits.max_locations)?;
    let radii = radiuses(&pairs, coords.len(), limits.max_snap_km)?;
    let service = state.service.clone();
    run_blocking(permit, move || {
        let engine = service.engine();
        let snapped = snap_all(&service, &coords, &radii)?;
        let named = service.profile(&profile);
        let custom = custom_metric(&pairs, &service, &profile)?;
        let answer = |metric: &CchMetric<'_>| -> Result<Json<Value>, ApiError> {
        let mut legs = Vec::new();
        let mut points: Vec<(f64, f64)> = Vec::new();
        let mut total = ArcCost::default();
        for (i, pair) in snapped.windows(2).enumerate() {
            let (s, t) = (pair[0].node, pair[1].node);
            let (_, arcs) = engine.path(metric, s, t).ok_or_else(|| {
                bad(ApiError::new(
                    ErrorCode::NoRoute,
                    format!("no route from coordinate {i} to coordinate {} under profile {}", i + 1, named.name),
                )
                .param("coordinates")
                .index(i + 1))
            })?;
            let mut cost = ArcCost::default();
            let mut countries: Vec<String> = Vec::new();
            for leg in engine.legs(&named.profile, s, &arcs) {
                cost.km += leg.cost.km;
                cost.hours += leg.cost.hours;
                cost.hours_p90 += leg.cost.hours_p90;
                cost.usd += leg.cost.usd;
                cost.kg_co2e += leg.cost.kg_co2e;
                for c in leg.countries {
                    if countries.last() != Some(&c) {
                        countries.push(c);
                    }
                }
                for p in leg.points {
                    if points.last() != Some(&p) {
                        points.push(p);
                    }
                }
            }
            total.km += cost.km;
            total.hours += cost.hours;
            total.hours_p90 += cost.hours_p90;
            total.usd += cost.usd;
            total.kg_co2e += cost.kg_co2e;
            legs.push(OsrmLeg {
                distance: round(cost.km * 1000.0, 1),
                duration: round(cost.hours * 3600.0, 1),
                weight: round(objective_value(named.profile.objective, &cost), 2),
                summary: countries.join(" > "),
                steps: vec![],
            });
        }
        if points.len() < 2 {
            // Every coordinate snapped to one node: a valid, zero-length LineString.
            points = vec![engine.coord(snapped[0].node); 2];
        }
        let mut route = json!({
            "distance": round(total.km * 1000.0, 1),
            "duration": round(total.hours * 3600.0, 1),
            "weight": round(objective_value(named.profile.objective, &total), 2),
            "weight_name": named.name,
            "legs": legs,
        });
        if overview {
            route["geometry"] = match format {
                Some(precision) => Value::String(encode_polyline(&points, precision)),
                None => json!({
                    "type": "LineString",
                    "coordinates": points.iter().map(|&(lat, lon)| [round(lon, 6), round(lat, 6)]).collect::<Vec<_>>(),
                }),
            };
        }
        let mut out = json!({"code": "Ok", "routes": [route]});
        if !skip_waypoints {
            out["waypoints"] = json!(snapped.iter().map(|&s| waypoint(engine, s)).collect::<Vec<_>>());
        }
        Ok(Json(out))
        };
        match &custom {
            Some(m) => answer(m),
            None => service.with_profile(&profile, |_, m| answer(m)),
        }
    })
    .await
}

/// Indices of `sources` or `destinations`: `all` (default) or `i;j;...`.
fn indices(pairs: &Pairs, key: &str, n: usize) -> Result<Vec<usize>, ApiError> {
    match pairs.single(key).map_err(bad)?.as_deref().map(str::trim) {
        None | Some("all") => Ok((0..n).collect()),
        Some(text) => text
            .split(';')
            .enumerate()
            .map(|(i, p)| match p.trim().parse::<usize>() {
                Ok(k) if k < n => Ok(k),
                _ => Err(bad(ApiError::invalid_value(
                    key,
                    p,
                    format!("expected the index of a coordinate, 0 to {}", n.saturating_sub(1)),
                )
                .index(i))),
            })
            .collect(),
    }
}

/// OSRM `table`: durations (and distances) of the best paths between the sources and the
/// destinations under the profile; `null` where there is none.
pub async fn table(
    State(state): State<SnapshotState>,
    Extension(permit): Extension<Permit>,
    path: Result<Path<(String, String)>, PathRejection>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let (profile, text) = path_segments(path).map_err(bad)?;
    let pairs = query_pairs(q).map_err(bad)?;
    check_options(
        &pairs,
        &[
            "sources",
            "destinations",
            "annotations",
            "scale_factor",
            "radiuses",
            "skip_waypoints",
            "generate_hints",
            "exclude",
        ],
    )?;
    let limits = state.config.limits.clone();
    let coords = coordinates(&text, 1, limits.max_table_size)?;
    let sources = indices(&pairs, "sources", coords.len())?;
    let destinations = indices(&pairs, "destinations", coords.len())?;
    let cells = sources.len() * destinations.len();
    let max_cells = limits.max_table_size * limits.max_table_size;
    if cells > max_cells {
        return Err(bad(ApiError::new(
            ErrorCode::TooBig,
            format!(
                "{} sources x {} destinations = {cells} cells; the limit is {}",
                sources.len(),
                destinations.len(),
                max_cells
            ),
        )));
    }
    let (mut duration, mut distance) = (true, false);
    if let Some(a) = pairs.single("annotations").map_err(bad)? {
        (duration, distance) = (false, false);
        for part in a.split(',') {
            match part.trim() {
                "duration" => duration = true,
                "distance" => distance = true,
                other => {
                    return Err(bad(ApiError::invalid_value(
                        "annotations",
                        other,
                        "expected duration and/or distance",
                    )));
                }
            }
        }
    }
    let scale = match pairs.number("scale_factor").map_err(bad)? {
        None => 1.0,
        Some(f) if f.is_finite() && f > 0.0 => f,
        Some(f) => {
            return Err(bad(ApiError::invalid_value("scale_factor", &f.to_string(), "must be a positive number")));
        }
    };
    let skip_waypoints = flag(&pairs, "skip_waypoints", false)?;
    flag(&pairs, "generate_hints", true)?;
    let radii = radiuses(&pairs, coords.len(), limits.max_snap_km)?;
    let service = state.service.clone();
    run_blocking(permit, move || {
        let engine = service.engine();
        let snapped = snap_all(&service, &coords, &radii)?;
        let named = service.profile(&profile);
        let custom = custom_metric(&pairs, &service, &profile)?;
        let answer = |metric: &CchMetric<'_>| -> Result<Json<Value>, ApiError> {
            let cols = destinations.len().max(1);
            let mut out = json!({"code": "Ok"});
            // When the one annotation asked for is the profile's own weight (durations under
            // `time`, distances under `distance`), the bucket many-to-many answers from the
            // weights alone: time weights are in 0.1 s per arc (OSRM's own unit), distance weights
            // in metres. Anything else is summed exactly along each cell's path.
            let from_weights = match named.profile.objective {
                Objective::Time if duration && !distance => Some(0.1 * scale),
                Objective::Distance if distance && !duration => Some(1.0),
                _ => None,
            };
            if let Some(unit) = from_weights {
                let s_nodes: Vec<u32> = sources.iter().map(|&i| snapped[i].node).collect();
                let t_nodes: Vec<u32> = destinations.iter().map(|&i| snapped[i].node).collect();
                let m = engine.matrix(metric, &s_nodes, &t_nodes);
                let grid: Vec<Vec<Option<f64>>> = m
                    .chunks(cols)
                    .map(|row| {
                        row.iter()
                            .map(|&w| {
                                (w < corridor_snapshot::profile::BLOCKED_PATH).then(|| round(f64::from(w) * unit, 1))
                            })
                            .collect()
                    })
                    .collect();
                out[if duration { "durations" } else { "distances" }] = json!(grid);
            } else {
                let queries: Vec<(Point, Point)> = sources
                    .iter()
                    .flat_map(|&s| destinations.iter().map(move |&t| (s, t)))
                    .map(|(s, t)| (Point::Node(snapped[s].node), Point::Node(snapped[t].node)))
                    .collect();
                let results = engine.pairs(metric, &named.profile, &queries, f64::INFINITY, None);
                let grid = |f: &dyn Fn(&ArcCost) -> f64| -> Vec<Vec<Option<f64>>> {
                    results.chunks(cols).map(|row| row.iter().map(|r| r.totals.as_ref().map(f)).collect()).collect()
                };
                if duration {
                    out["durations"] = json!(grid(&|c| round(c.hours * 3600.0 * scale, 1)));
                }
                if distance {
                    out["distances"] = json!(grid(&|c| round(c.km * 1000.0, 1)));
                }
            }
            if !skip_waypoints {
                let wp = |ix: &[usize]| ix.iter().map(|&i| waypoint(engine, snapped[i])).collect::<Vec<_>>();
                out["sources"] = json!(wp(&sources));
                out["destinations"] = json!(wp(&destinations));
            }
            Ok(Json(out))
        };
        match &custom {
            Some(m) => answer(m),
            None => service.with_profile(&profile, |_, m| answer(m)),
        }
    })
    .await
}

/// OSRM `nearest`: the `number` nearest usable nodes to one coordinate, nearest first.
pub async fn nearest(
    State(state): State<SnapshotState>,
    Extension(permit): Extension<Permit>,
    path: Result<Path<(String, String)>, PathRejection>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let (_profile, text) = path_segments(path).map_err(bad)?;
    let pairs = query_pairs(q).map_err(bad)?;
    check_options(&pairs, &["number", "radiuses", "generate_hints"])?;
    let limits = state.config.limits.clone();
    let coords = coordinates(&text, 1, 1)?;
    let number = pairs.integer::<usize>("number").map_err(bad)?.unwrap_or(1);
    if !(1..=limits.max_results).contains(&number) {
        return Err(bad(ApiError::invalid_value(
            "number",
            &number.to_string(),
            format!("must be between 1 and {}", limits.max_results),
        )));
    }
    flag(&pairs, "generate_hints", true)?;
    let radii = radiuses(&pairs, 1, limits.max_snap_km)?;
    let service = state.service.clone();
    run_blocking(permit, move || {
        let engine = service.engine();
        // The nearest through the snapping index (refuses a coordinate too far away) ...
        let first = snap_all(&service, &coords, &radii)?[0];
        let mut found = vec![first];
        if number > 1 {
            // ... and the next ones by a scan of the same usable nodes (the largest component,
            // the served node mode), ordered as the index orders them: distance, then node id.
            let (lon, lat) = coords[0];
            let snap = engine.snapshot();
            let (comp, modes) = (snap.component(), snap.node_mode());
            let mut near: Vec<Snapped> = (0..snap.node_count() as u32)
                .filter(|&v| comp[v as usize] == 0 && service.snap.is_none_or(|m| modes[v as usize] == m.code()))
                .filter(|&v| v != first.node)
                .map(|v| Snapped { node: v, distance_km: haversine_km((lat, lon), engine.coord(v)) })
                .filter(|s| s.distance_km <= radii[0])
                .collect();
            near.sort_by(|a, b| a.distance_km.total_cmp(&b.distance_km).then(a.node.cmp(&b.node)));
            found.extend(near.into_iter().take(number - 1));
        }
        Ok(Json(json!({
            "code": "Ok",
            "waypoints": found.into_iter().map(|s| waypoint(engine, s)).collect::<Vec<_>>(),
        })))
    })
    .await
}
