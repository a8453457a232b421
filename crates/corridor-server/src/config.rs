//! Server configuration: where to listen, which dataset to serve, request limits, the optional
//! API key and CORS.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Everything [`crate::serve`] needs to run. `ServerConfig::default()` serves the embedded
/// dataset on `127.0.0.1:8080` with the default [`Limits`], no API key and no CORS.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// Address to listen on. Loopback by default: exposing the server is a deliberate choice.
    pub bind: SocketAddr,
    /// Dataset directory; `None` serves the dataset embedded in the binary. A reload re-reads
    /// this directory.
    pub data_dir: Option<PathBuf>,
    /// Request limits.
    pub limits: Limits,
    /// When set, every endpoint except `/health` and `/openapi.json` requires this key, sent
    /// as `x-api-key: KEY` or `Authorization: Bearer KEY`.
    pub api_key: Option<String>,
    /// Whether to answer cross-origin requests (any origin; GET and POST). Off by default.
    pub cors: bool,
    /// A scenario TOML applied to the dataset on every load and reload (`corridor serve
    /// --scenario`): the server answers the what-if network, and its origin says so. Capacity
    /// sections are refused (a route has no capacity).
    pub scenario: Option<PathBuf>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: None,
            limits: Limits::default(),
            api_key: None,
            cors: false,
            scenario: None,
        }
    }
}

/// Most headers the HTTP parser accepts (hyper's default is 100): above
/// [`Limits::max_headers`], so that a request with too many headers gets the JSON 431 of
/// `middleware::request_size` rather than the parser's empty one.
pub const HTTP_MAX_HEADERS: usize = 256;

/// Request limits. An over-limit request is refused with a clear error code (`TooBig`,
/// `Overloaded`, `Timeout`) instead of hanging or exhausting the machine.
#[derive(Clone, Debug, PartialEq)]
pub struct Limits {
    /// Largest accepted request body, bytes (larger: 413 `TooBig`).
    pub max_body_bytes: usize,
    /// Most locations one request may name: origin, destination and avoided locations of
    /// `/v1/route` and `/v1/compare`, coordinates of `/route/v1`, and each of `sources` and
    /// `targets` of `/v1/table` (more: 400 `TooBig`).
    pub max_locations: usize,
    /// Most entries of any other list parameter (`avoid_country`, `avoid_mode`,
    /// `avoid_border`, network filters).
    pub max_list_items: usize,
    /// Most sources x targets cells of a `/v1/table` request (more: 400 `TooBig`).
    pub max_matrix_cells: usize,
    /// Most coordinates of an OSRM `/table/v1` request on a snapshot (OSRM's
    /// `--max-table-size`, default 100 as there); the matrix is at most its square.
    pub max_table_size: usize,
    /// Largest `limit` of `/v1/locations`.
    pub max_results: usize,
    /// Most Monte Carlo draws one request may ask for (`samples`).
    pub max_samples: usize,
    /// Time budget of one request; past it the client gets 504 `Timeout` and its search is
    /// stopped.
    pub time_budget: Duration,
    /// Most labels of one multi-criteria search (departure times, `/v1/pareto`) or states of
    /// one resource-constrained search: about 100 bytes each, so the default bounds one request
    /// near 100 MB;
    /// more: 422 `TooComplex`.
    pub max_labels: usize,
    /// Requests doing work (routing, search, reload) at once; more get 503 `Overloaded`
    /// with `Retry-After`. `/health`, `/metrics` and `/openapi.json` are not counted.
    pub max_concurrent: usize,
    /// How far an OSRM-style coordinate may be from the nearest location, km (farther:
    /// `NoSegment`).
    pub max_snap_km: f64,
    /// How long a client may take to send a request's body; slower: 408 `Timeout`. The body
    /// is read before the request takes a work slot, so a slow body holds only its connection.
    pub body_timeout: Duration,
    /// How long a connection may take to send a request's headers, and how long an idle
    /// keep-alive connection is kept waiting for its next request: past it the connection is
    /// closed (slowloris connections no longer stay open).
    pub header_timeout: Duration,
    /// Most open connections; a new one beyond it is closed at once (the header timeout frees
    /// slots held by silent clients).
    pub max_connections: usize,
    /// Longest request target (path and query), bytes; longer: 414 `TooBig` (JSON). A target
    /// over 64 KB is refused by the HTTP parser itself with an empty 414.
    pub max_uri_bytes: usize,
    /// Most bytes of all request headers, names and values; more: 431 `TooBig` (JSON).
    pub max_header_bytes: usize,
    /// How long a dataset reload may take; past it the reload is abandoned (its result is
    /// dropped when the loader finishes) and reported as rejected, and the previous dataset
    /// keeps serving. Routing never waits for a reload either way.
    pub reload_timeout: Duration,
    /// Most request headers; more: 431 `TooBig` (JSON). The HTTP parser itself accepts up to
    /// [`HTTP_MAX_HEADERS`], so this limit answers first.
    pub max_headers: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 64 * 1024,
            max_locations: 25,
            max_list_items: 64,
            max_matrix_cells: 2_500,
            max_table_size: 100,
            max_results: 100,
            max_samples: 10_000,
            time_budget: Duration::from_secs(10),
            max_labels: 1_000_000,
            max_concurrent: 64,
            max_snap_km: 100.0,
            body_timeout: Duration::from_secs(10),
            header_timeout: Duration::from_secs(10),
            max_connections: 4096,
            reload_timeout: Duration::from_secs(120),
            max_uri_bytes: 8 * 1024,
            max_header_bytes: 16 * 1024,
            max_headers: 64,
        }
    }
}

impl Limits {
    /// Checks that the limits make sense (positive, finite), naming the first that does not.
    pub fn check(&self) -> Result<(), String> {
        let counts = [
            ("max_body_bytes", self.max_body_bytes),
            ("max_locations", self.max_locations),
            ("max_list_items", self.max_list_items),
            ("max_matrix_cells", self.max_matrix_cells),
            ("max_table_size", self.max_table_size),
            ("max_results", self.max_results),
            ("max_samples", self.max_samples),
            ("max_labels", self.max_labels),
            ("max_concurrent", self.max_concurrent),
            ("max_connections", self.max_connections),
            ("max_uri_bytes", self.max_uri_bytes),
            ("max_header_bytes", self.max_header_bytes),
            ("max_headers", self.max_headers),
        ];
        if let Some((name, _)) = counts.iter().find(|(_, v)| *v == 0) {
            return Err(format!("limit {name} must be at least 1"));
        }
        if self.max_headers > HTTP_MAX_HEADERS {
            return Err(format!("limit max_headers must be at most {}", HTTP_MAX_HEADERS));
        }
        if self.max_locations < 2 {
            return Err("limit max_locations must be at least 2 (origin and destination)".into());
        }
        if self.body_timeout.is_zero()
            || self.time_budget.is_zero()
            || self.header_timeout.is_zero()
            || self.reload_timeout.is_zero()
        {
            return Err("limits body_timeout, header_timeout, time_budget and reload_timeout must be positive".into());
        }
        if !(self.max_snap_km.is_finite() && self.max_snap_km >= 0.0) {
            return Err(format!("limit max_snap_km {} must be a non-negative number", self.max_snap_km));
        }
        Ok(())
    }
}
