//! Fuzz target `http`: requests through the complete axum router of `corridor serve` (all
//! layers: panic catcher, size limits, API key check, work slots, time budget), sent with
//! `tower::ServiceExt::oneshot` on a current-thread runtime, no socket. The server runs on the
//! mini fixture dataset (`crates/corridor-io/tests/fixtures/mini`) as its tests do, so a route
//! costs microseconds; it and the runtime are built once.
//!
//! Input: byte 0 picks the method (bit 0: GET or POST) and the endpoint (`(b >> 1) % N` in
//! `ENDPOINTS`); up to the first newline follows the rest of the path and the query string
//! (bytes outside the URI character set are percent-encoded, so every input becomes a request);
//! after it, the request body (sent as `application/json` on POST).
//!
//! Asserts: never a 500 (the panic catcher turns a handler panic into one), and every non-2xx
//! answer is a JSON object with a string `code`, as the API documents.

#![no_main]

use std::sync::LazyLock;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use corridor_server::{AppState, ServerConfig, app};
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;

/// Path prefixes the fuzzer's text is appended to: every route of the router but the reload
/// (which re-reads the dataset from disk and only answers 2xx or a JSON error from the loader).
const ENDPOINTS: [&str; 11] = [
    "/v1/route",
    "/v1/compare",
    "/v1/pareto",
    "/v1/table",
    "/v1/locations",
    "/v1/network",
    "/route/v1/",
    "/v1/assign",
    "/health",
    "/metrics",
    "/",
];

static RUNTIME: LazyLock<tokio::runtime::Runtime> =
    LazyLock::new(|| tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime"));

static APP: LazyLock<axum::Router> = LazyLock::new(|| {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../crates/corridor-io/tests/fixtures/mini");
    let config = ServerConfig { data_dir: Some(dir.into()), ..ServerConfig::default() };
    // The state spawns nothing at construction, but build it inside the runtime in case it does.
    RUNTIME.block_on(async { app(AppState::new(config).expect("the mini dataset loads")) })
});

/// `bytes` as URI text: the characters a URI may hold stay, everything else is %-encoded.
fn uri_text(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?%".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else { return };
    let method = if sel & 1 == 0 { Method::GET } else { Method::POST };
    let endpoint = ENDPOINTS[usize::from(sel >> 1) % ENDPOINTS.len()];
    let (line, body) = match rest.iter().position(|&b| b == b'\n') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &[][..]),
    };
    let uri = format!("{endpoint}{}", uri_text(line));
    let mut req = Request::builder().method(method.clone()).uri(&uri);
    if method == Method::POST {
        req = req.header("content-type", "application/json");
    }
    // A text the URI grammar still refuses (a `%` not followed by hex is fine, an `@` or `:`
    // in the wrong place may not be) never reaches the server: hyper would refuse it.
    let Ok(req) = req.body(Body::from(body.to_vec())) else { return };
    // Cloned outside `block_on`: the first use builds the app, itself inside the runtime.
    let app = APP.clone();
    let (status, bytes) = RUNTIME.block_on(async {
        let resp = app.oneshot(req).await.expect("infallible");
        let status = resp.status();
        (status, axum::body::to_bytes(resp.into_body(), usize::MAX).await.expect("a body"))
    });
    assert_ne!(status, StatusCode::INTERNAL_SERVER_ERROR, "{method} {uri}: {}", String::from_utf8_lossy(&bytes));
    if !status.is_success() {
        let json: serde_json::Value = serde_json::from_slice(&bytes)
            .unwrap_or_else(|e| panic!("{method} {uri}: {status} with a body that is not JSON ({e}): {bytes:?}"));
        assert!(json["code"].is_string(), "{method} {uri}: {status} without a string code: {json}");
    }
});
