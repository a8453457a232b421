//! Layers around the handlers: request metrics and logging, the API key check, the
//! concurrency limit with its time budget, the body-size limit answer, and running CPU work off
//! the async threads.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::config::ServerConfig;
use crate::error::{ApiError, ErrorCode};
use crate::metrics::Metrics;
use crate::state::AppState;

/// What the layers need from a server's state: its configuration (API key, limits), its
/// metrics and its concurrency limiter. Implemented by the dataset server's [`AppState`] and
/// the snapshot server's [`crate::snapshot::SnapshotState`].
pub trait Guarded: Clone + Send + Sync + 'static {
    /// The configuration the server was started with.
    fn config(&self) -> &ServerConfig;
    /// Request counters.
    fn metrics(&self) -> &Metrics;
    /// The semaphore bounding concurrent work.
    fn limiter(&self) -> &Arc<Semaphore>;
}

impl Guarded for AppState {
    fn config(&self) -> &ServerConfig {
        &self.config
    }
    fn metrics(&self) -> &Metrics {
        &self.metrics
    }
    fn limiter(&self) -> &Arc<Semaphore> {
        AppState::limiter(self)
    }
}

/// A slot of the concurrency limit, held by a request (in its extensions) and by the blocking
/// task doing its work. The slot is freed when both are done, so a request that timed out
/// keeps its slot until its search really ends: the limit bounds CPU work, not just open
/// requests.
#[derive(Clone)]
pub struct Permit {
    #[allow(dead_code)]
    slot: Arc<OwnedSemaphorePermit>,
    deadline: Instant,
}

impl Permit {
    /// Wraps a semaphore permit for a request that must finish by `deadline`.
    pub fn new(permit: OwnedSemaphorePermit, deadline: Instant) -> Self {
        Permit { slot: Arc::new(permit), deadline }
    }

    /// When the request's time budget ends: the searches it runs stop there
    /// ([`corridor_search::Budget`]), so a request answered 504 does not keep working.
    pub fn deadline(&self) -> Instant {
        self.deadline
    }

    /// The search budget of the request: its deadline and the server's label limit.
    pub fn budget(&self, limits: &crate::Limits) -> corridor_search::Budget {
        corridor_search::Budget { deadline: Some(self.deadline), max_labels: limits.max_labels }
    }
}

/// Refuses an over-long request target (414) or oversized headers (431) with the JSON error
/// body of every other refusal, before any other work. The HTTP parser's own limits lie above
/// these (64 KB target, [`crate::HTTP_MAX_HEADERS`] headers), so a client sees these answers.
pub async fn request_size<S: Guarded>(State(state): State<S>, req: Request, next: Next) -> Response {
    let limits = &state.config().limits;
    let target = req.uri().path_and_query().map_or(req.uri().path().len(), |pq| pq.as_str().len());
    if target > limits.max_uri_bytes {
        return ApiError::new(
            ErrorCode::TooBig,
            format!("the request target is {target} bytes long; the limit is {}", limits.max_uri_bytes),
        )
        .with_status(axum::http::StatusCode::URI_TOO_LONG)
        .into_response();
    }
    let headers = req.headers();
    let bytes: usize = headers.iter().map(|(k, v)| k.as_str().len() + v.len()).sum();
    if headers.len() > limits.max_headers || bytes > limits.max_header_bytes {
        return ApiError::new(
            ErrorCode::TooBig,
            format!(
                "the request has {} headers of {bytes} bytes; the limits are {} headers and {} bytes",
                headers.len(),
                limits.max_headers,
                limits.max_header_bytes
            ),
        )
        .with_status(axum::http::StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE)
        .into_response();
    }
    next.run(req).await
}

/// Counts and logs every request by its route template and status.
pub async fn observe<S: Guarded>(State(state): State<S>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    let uri_path = req.uri().path().to_string();
    let endpoint = req.extensions().get::<MatchedPath>().map_or("(unmatched)".to_string(), |m| m.as_str().to_string());
    let resp = next.run(req).await;
    let elapsed = start.elapsed();
    let status = resp.status().as_u16();
    state.metrics().record_request(&endpoint, status, elapsed);
    tracing::info!(
        method = %method,
        path = %uri_path,
        status,
        ms = format_args!("{:.1}", elapsed.as_secs_f64() * 1000.0),
        "request"
    );
    resp
}

/// Compares two byte strings in time independent of where they differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The API key a request carries, from `x-api-key` or `Authorization: Bearer`.
fn presented_key(headers: &HeaderMap) -> Option<&str> {
    if let Some(v) = headers.get("x-api-key").and_then(|v| v.to_str().ok()) {
        return Some(v.trim());
    }
    let auth = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = auth.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Refuses requests without the configured API key (no-op when none is configured).
pub async fn require_key<S: Guarded>(State(state): State<S>, req: Request, next: Next) -> Response {
    if let Some(expected) = &state.config().api_key {
        let ok = presented_key(req.headers()).is_some_and(|k| constant_time_eq(k.as_bytes(), expected.as_bytes()));
        if !ok {
            let msg = if presented_key(req.headers()).is_some() {
                "the API key is not valid"
            } else {
                "this server requires an API key: send it as `x-api-key: KEY` or `Authorization: Bearer KEY`"
            };
            return ApiError::new(ErrorCode::Unauthorized, msg).into_response();
        }
    }
    next.run(req).await
}

/// Guards an admin endpoint of a server without an API key against requests a browser makes
/// on a web page's behalf: the `Host` must be a loopback name (a DNS-rebinding page reaches the
/// server under its own host name), an `Origin`, when sent, must be that same host, and the body
/// must not be a type a cross-site form can send without a preflight (`text/plain`, form
/// encodings). With an API key the key is the guard ([`require_key`]) and this is a no-op.
pub async fn admin_guard<S: Guarded>(State(state): State<S>, req: Request, next: Next) -> Response {
    if state.config().api_key.is_none() {
        let headers = req.headers();
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
        let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
        let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        let refuse = |why: String| {
            ApiError::new(ErrorCode::Unauthorized, why).with_status(axum::http::StatusCode::FORBIDDEN).into_response()
        };
        // No Host at all (HTTP/1.0, in-process calls) is a local caller.
        if !host.is_empty() && !is_loopback_host(host) {
            return refuse(format!(
                "without an API key, /admin/reload answers only requests to a loopback host name, not {host:?}; configure a key (--api-key-file) to reload remotely"
            ));
        }
        if let Some(o) = origin
            && o.split_once("://").map(|(_, h)| h.trim_end_matches('/')) != Some(host)
        {
            return refuse(format!("cross-origin reload from {o:?} refused"));
        }
        let ct = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        if matches!(ct.as_str(), "text/plain" | "application/x-www-form-urlencoded" | "multipart/form-data") {
            return refuse(format!("a reload request may not carry a {ct} body (send no body)"));
        }
    }
    next.run(req).await
}

/// Whether a `Host` header names this machine's loopback interface.
fn is_loopback_host(host: &str) -> bool {
    // Strip the port: `[::1]:8080`, `127.0.0.1:8080`, `localhost:8080`.
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split_once(']').map_or(rest, |(h, _)| h)
    } else {
        host.rsplit_once(':').map_or(host, |(h, port)| if port.bytes().all(|b| b.is_ascii_digit()) { h } else { host })
    };
    name.eq_ignore_ascii_case("localhost") || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Reads the request's body, then takes a concurrency slot (503 `Overloaded` with
/// `Retry-After` when none is free) and bounds the work by the time budget (504 `Timeout`).
///
/// A `Content-Length` above the body limit is answered 413 `TooBig` at once, before any byte
/// of the body is read (so a client that sent `Expect: 100-continue` gets no 100 Continue),
/// and a body still arriving after `body_timeout` gets 408: neither ever holds a work slot,
/// so slow or huge bodies cannot starve the requests that do work.
pub async fn limit<S: Guarded>(State(state): State<S>, req: Request, next: Next) -> Response {
    let limits = &state.config().limits;
    let too_big = || {
        ApiError::new(
            ErrorCode::TooBig,
            format!("the request body exceeds the limit of {} bytes", limits.max_body_bytes),
        )
        .with_status(axum::http::StatusCode::PAYLOAD_TOO_LARGE)
        .into_response()
    };
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limits.max_body_bytes as u64) {
        return too_big();
    }
    let (parts, body) = req.into_parts();
    let limited = http_body_util::BodyExt::collect(http_body_util::Limited::new(body, limits.max_body_bytes));
    let bytes = match tokio::time::timeout(limits.body_timeout, limited).await {
        Ok(Ok(collected)) => collected.to_bytes(),
        // A body without a Content-Length (chunked) that runs over the limit.
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => return too_big(),
        Ok(Err(e)) => {
            return ApiError::new(ErrorCode::InvalidQuery, format!("the request body could not be read: {e}"))
                .into_response();
        }
        Err(_) => {
            return ApiError::new(
                ErrorCode::Timeout,
                format!("the request body did not arrive within {:?}", limits.body_timeout),
            )
            .with_status(axum::http::StatusCode::REQUEST_TIMEOUT)
            .into_response();
        }
    };
    let mut req = Request::from_parts(parts, axum::body::Body::from(bytes));
    let permit = match Guarded::limiter(&state).clone().try_acquire_owned() {
        Ok(p) => Permit::new(p, Instant::now() + state.config().limits.time_budget),
        Err(_) => {
            return ApiError::new(
                ErrorCode::Overloaded,
                format!(
                    "the server is working on {} requests, its limit; retry shortly",
                    state.config().limits.max_concurrent
                ),
            )
            .into_response();
        }
    };
    req.extensions_mut().insert(permit);
    let budget = state.config().limits.time_budget;
    match tokio::time::timeout(budget, next.run(req)).await {
        Ok(resp) => resp,
        Err(_) => ApiError::new(
            ErrorCode::Timeout,
            format!("the request did not finish within the server's time budget of {budget:?}"),
        )
        .into_response(),
    }
}

/// Runs CPU-bound work on the blocking thread pool, keeping the request's concurrency slot
/// until the work ends. A panic in the work is answered with 500 `Internal`.
pub async fn run_blocking<T, F>(permit: Permit, work: F) -> Result<T, ApiError>
where
    F: FnOnce() -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(move || {
        let _slot = permit;
        work()
    })
    .await
    .map_err(ApiError::internal)?
}
