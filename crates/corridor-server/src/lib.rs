//! corridor's HTTP JSON API.
//!
//! [`serve`] runs the server the `corridor serve` command starts; [`app`] builds the same
//! router without a socket, for tests and embedding. Endpoints:
//!
//! | path | what |
//! |---|---|
//! | `GET/POST /v1/route` | best route, leg by leg (optionally with GeoJSON) |
//! | `GET/POST /v1/compare` | every corridor's best route side by side, and the winners |
//! | `GET/POST /v1/pareto` | every route not beaten on time, cost and CO2e at once |
//! | `GET/POST /v1/table` | many-to-many table of time, cost, CO2e and distance (network locations) |
//! | `GET /v1/assign` | demand assignment: bottlenecks, corridor shares, flow map |
//! | `GET /v1/locations?q=` | location search for autocomplete |
//! | `GET /v1/network` | the network's links as GeoJSON, by corridor and mode |
//! | `GET /route/v1/{profile}/{lon,lat;...}` | OSRM-compatible routing |
//! | `GET /health` | liveness and the dataset served |
//! | `GET /metrics` | Prometheus metrics |
//! | `POST /admin/reload` | reload the dataset without downtime |
//! | `GET /openapi.json` | the OpenAPI 3.1 document |
//! | `GET /` | the web map (static files of `web/static/`, embedded; see [`web`]) |
//!
//! On a detailed snapshot ([`serve_snapshot`], `corridor serve --data X.corridor`) the server
//! answers OSRM's `/route/v1`, `/table/v1` and `/nearest/v1` and `/health` instead (see
//! [`snapshot`]).
//!
//! `from` and `to` of `/v1/route`, `/v1/compare` and `/v1/pareto` may be any place: a location
//! of the network, a place of the embedded place index, or `lat,lon`. A place outside the network
//! is joined to its nearest terminals by estimated truck legs (`corridor_routing`'s pipeline, as
//! the CLI does), marked `estimated` in the legs and explained in `notes`.
//!
//! Routing runs on the blocking thread pool against a snapshot of the dataset; a reload (SIGHUP
//! or `POST /admin/reload`) swaps the dataset atomically, and a dataset with errors is rejected
//! while the previous one keeps serving. Limits on body size, locations per request,
//! concurrent work and time per request answer `TooBig`, `Overloaded` or `Timeout` instead of
//! hanging.
//!
//! ```no_run
//! # async fn run() -> Result<(), corridor_server::Error> {
//! let config = corridor_server::ServerConfig::default(); // embedded dataset, 127.0.0.1:8080
//! corridor_server::serve(config).await
//! # }
//! ```

#![warn(missing_docs)]

pub mod api;
pub mod config;
pub mod error;
pub mod metrics;
pub mod middleware;
pub mod openapi;
pub mod openapi_examples;
pub mod osrm;
pub mod params;
pub mod schema;
pub mod snapshot;
pub mod state;
pub mod web;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, Method, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{Any, CorsLayer};

pub use config::{HTTP_MAX_HEADERS, Limits, ServerConfig};
pub use error::{ApiError, ErrorBody, ErrorCode};
pub use openapi::ApiDoc;
pub use state::{AppState, LoadFailure, LoadedDataset, ReloadOutcome};

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The configuration is inconsistent (a zero limit, ...).
    #[error("invalid server configuration: {0}")]
    Config(String),
    /// The dataset could not be loaded; every problem is listed.
    #[error(
        "dataset {} has {} error(s); run `corridor validate` for the full list{}",
        .0.origin,
        .0.errors(),
        .0.diagnostics.first().map(|d| format!("; first: {d}")).unwrap_or_default()
    )]
    Dataset(LoadFailure),
    /// The address could not be bound (in use, no permission, ...).
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The API key file could not be read or is empty.
    #[error("API key file {path}: {message}")]
    ApiKeyFile {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The server failed while running.
    #[error("server error: {0}")]
    Io(#[from] std::io::Error),
}

/// Reads an API key from a file (the first line, trimmed), refusing an empty key.
pub fn read_api_key_file(path: &std::path::Path) -> Result<String, Error> {
    let fail = |message: String| Error::ApiKeyFile { path: path.display().to_string(), message };
    let text = corridor_io::files::read_text(path, 64 << 10).map_err(|e| fail(e.to_string()))?;
    let key = text.lines().next().unwrap_or("").trim().to_string();
    if key.is_empty() {
        return Err(fail("the file is empty; put the key on its first line".into()));
    }
    Ok(key)
}

/// [`serve`] on a new multi-threaded tokio runtime, for callers without one (the CLI).
pub fn run(config: ServerConfig) -> Result<(), Error> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build()?.block_on(serve(config))
}

/// The complete router (all endpoints and layers) over `state`, without a socket.
///
/// Layers, outermost first: panic catcher (500 `Internal`), metrics and request log, CORS
/// (when enabled), body-size limit; then the API key check on everything but `/health` and
/// `/openapi.json`; then the concurrency limit and time budget on the endpoints that do work.
pub fn app(state: AppState) -> axum::Router {
    let limits = &state.config.limits;
    let work = axum::Router::new()
        .route("/v1/route", get(api::route_get).post(api::route_post))
        .route("/v1/compare", get(api::compare_get).post(api::compare_post))
        .route("/v1/pareto", get(api::pareto_get).post(api::pareto_post))
        .route("/v1/table", get(api::table_get).post(api::table_post))
        .route("/v1/assign", get(api::assign))
        .route("/v1/locations", get(api::locations))
        .route("/v1/network", get(api::network))
        .route("/route/v1/{profile}/{coordinates}", get(osrm::route))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::limit::<AppState>));
    // A reload takes no work slot (reloads queue on their own lock and load on a blocking
    // thread, so any number of them never turns a route away) and no time budget (the swap
    // would happen anyway). Without an API key it is guarded against cross-site requests and
    // DNS rebinding (see `middleware::admin_guard`).
    let admin = axum::Router::new()
        .route("/admin/reload", post(api::reload))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::admin_guard::<AppState>));
    let protected = work
        .merge(admin)
        .route("/metrics", get(api::metrics))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::require_key::<AppState>));
    let mut router = axum::Router::new()
        .route("/health", get(api::health))
        .route("/openapi.json", get(openapi::openapi_json))
        .route("/", get(web::index))
        .merge(protected)
        .fallback(web::fallback)
        .method_not_allowed_fallback(api::method_not_allowed)
        .layer(DefaultBodyLimit::max(limits.max_body_bytes));
    if state.config.cors {
        router = router.layer(cors());
    }
    router
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::request_size::<AppState>))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::observe::<AppState>))
        .layer(CatchPanicLayer::custom(|_panic: Box<dyn std::any::Any + Send>| {
            ApiError::internal("handler panicked").into_response()
        }))
        .with_state(state)
}

/// The CORS layer of `cors: true`: any origin, GET and POST, the API key headers.
pub(crate) fn cors() -> CorsLayer {
    CorsLayer::new().allow_origin(Any).allow_methods([Method::GET, Method::POST]).allow_headers([
        header::CONTENT_TYPE,
        header::AUTHORIZATION,
        HeaderName::from_static("x-api-key"),
    ])
}

/// Installs a `tracing` subscriber printing to stderr, filtered by `RUST_LOG` (default
/// `info`). Does nothing if the program already installed one.
pub fn init_logging() {
    init_logging_at("info");
}

/// [`init_logging`] with `default` as the filter when `RUST_LOG` is not set (`error`, `info`,
/// `debug`, ...). The first call wins; later ones (the server's own) change nothing.
pub fn init_logging_at(default: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_ansi(ansi).with_writer(std::io::stderr).try_init();
}

/// Runs the server until SIGTERM or Ctrl-C, then finishes the requests in flight and returns.
///
/// Loads the dataset (the embedded one when `config.data_dir` is `None`), binds
/// `config.bind`, logs with `tracing` (see [`init_logging`]) and reloads the dataset on SIGHUP.
pub async fn serve(config: ServerConfig) -> Result<(), Error> {
    init_logging();
    let addr = config.bind;
    if config.api_key.is_none() && !addr.ip().is_loopback() {
        tracing::warn!(%addr, "listening on a non-loopback address without an API key: anyone who can reach it can use it, including /admin/reload");
    }
    let state = tokio::task::spawn_blocking(move || AppState::new(config))
        .await
        .map_err(|e| Error::Io(std::io::Error::other(e)))??;
    {
        let d = state.dataset();
        tracing::info!(
            origin = %d.origin,
            name = %d.network().info.name,
            version = %d.network().info.version,
            locations = d.network().locations.len(),
            links = d.network().links.len(),
            warnings = d.warnings.len(),
            "dataset loaded"
        );
    }
    #[cfg(unix)]
    tokio::spawn(reload_on_sighup(state.clone()));
    let limits = state.config.limits.clone();
    listen(addr, app(state), &limits).await
}

/// [`serve_snapshot`] on a new multi-threaded tokio runtime, for callers without one (the CLI).
pub fn run_snapshot(config: ServerConfig, service: snapshot::SnapshotService) -> Result<(), Error> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build()?.block_on(serve_snapshot(config, service))
}

/// Serves OSRM's route, table and nearest services on a detailed snapshot (see [`snapshot`])
/// until SIGTERM or Ctrl-C. `config.data_dir` is not used; the limits, API key and CORS apply
/// as on the dataset server.
pub async fn serve_snapshot(config: ServerConfig, service: snapshot::SnapshotService) -> Result<(), Error> {
    init_logging();
    let addr = config.bind;
    if config.api_key.is_none() && !addr.ip().is_loopback() {
        tracing::warn!(%addr, "listening on a non-loopback address without an API key: anyone who can reach it can use it");
    }
    tracing::info!(
        snapshot = ?service,
        "snapshot loaded and customized"
    );
    let limits = config.limits.clone();
    let state = snapshot::SnapshotState::new(config, service)?;
    listen(addr, snapshot::snapshot_app(state), &limits).await
}

/// Binds `addr` and serves `router` until SIGTERM or Ctrl-C, finishing the requests in flight.
async fn listen(addr: SocketAddr, router: axum::Router, limits: &Limits) -> Result<(), Error> {
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|source| Error::Bind { addr, source })?;
    tracing::info!(addr = %listener.local_addr().unwrap_or(addr), "corridor server listening");
    serve_listener(listener, router, limits, shutdown_signal()).await;
    tracing::info!("corridor server stopped");
    Ok(())
}

/// Serves `router` on `listener` until `shutdown` completes, then lets the requests in flight
/// finish (at most 30 s).
///
/// HTTP/1.1 with hyper directly rather than `axum::serve`, for what it does not offer: a
/// header read timeout that also closes idle keep-alive connections (`limits.header_timeout`;
/// slowloris connections stayed open) and a cap on open connections (`limits.max_connections`).
/// The body timeout and size limit are the [`middleware::limit`] layer's.
pub async fn serve_listener(
    listener: tokio::net::TcpListener,
    router: axum::Router,
    limits: &Limits,
    shutdown: impl std::future::Future<Output = ()>,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::ServiceExt as _;
    let connections = Arc::new(tokio::sync::Semaphore::new(limits.max_connections));
    let (close_tx, close_rx) = tokio::sync::watch::channel(());
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(x) => x,
                Err(e) => {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(slot) = connections.clone().try_acquire_owned() else {
            tracing::warn!(%peer, limit = limits.max_connections, "connection limit reached; closing a new connection");
            continue;
        };
        let service = hyper_util::service::TowerToHyperService::new(
            router
                .clone()
                .map_request(|req: axum::http::Request<hyper::body::Incoming>| req.map(axum::body::Body::new)),
        );
        let mut close = close_rx.clone();
        let header_timeout = limits.header_timeout;
        tokio::spawn(async move {
            let _slot = slot;
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .keep_alive(true)
                .max_headers(HTTP_MAX_HEADERS);
            let mut conn = std::pin::pin!(builder.serve_connection(TokioIo::new(stream), service));
            tokio::select! {
                result = conn.as_mut() => {
                    if let Err(e) = result {
                        tracing::debug!(%peer, error = %e, "connection ended with an error");
                    }
                }
                _ = close.changed() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
        });
    }
    drop(listener);
    let _ = close_tx.send(());
    // Every connection task holds a slot until it ends: having them all back means all ended.
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    if tokio::time::timeout(std::time::Duration::from_secs(30), connections.acquire_many(all)).await.is_err() {
        tracing::warn!("requests still in flight 30 s after shutdown began; stopping anyway");
    }
}

#[cfg(unix)]
async fn reload_on_sighup(state: AppState) {
    use tokio::signal::unix::{SignalKind, signal};
    let mut hup = match signal(SignalKind::hangup()) {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(error = %e, "cannot listen for SIGHUP; reload only through POST /admin/reload");
            return;
        }
    };
    while hup.recv().await.is_some() {
        tracing::info!("SIGHUP: reloading the dataset");
        // The outcome is logged by `reload` itself.
        let _ = state.reload().await;
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("Ctrl-C: shutting down after the requests in flight"),
        () = term => tracing::info!("SIGTERM: shutting down after the requests in flight"),
    }
}
