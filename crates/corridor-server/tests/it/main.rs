//! Integration tests of corridor-server, through the complete router with
//! `tower::ServiceExt::oneshot` (no socket).
//!
//! Most tests run on the small fixture dataset of corridor-io (`tests/fixtures/mini`: Alpha -
//! Alpha Border - Beta (break of gauge) - Beta Sea - ferry - Gamma, one corridor `east`), whose
//! figures do not move while the default dataset is being curated; `embedded.rs` checks the
//! server on the embedded default dataset.

mod api;
mod bad_requests;
mod embedded;
mod errors;
mod limits;
mod openapi;
mod osrm;
mod places;
mod reload;
mod snapshot;
mod table;
mod web;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use corridor_server::{AppState, ServerConfig, app};
use serde_json::Value;
use tower::ServiceExt;

/// The mini fixture dataset directory.
pub fn mini_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../corridor-io/tests/fixtures/mini")
}

/// An edit of one dataset file: its name and a function of its contents.
pub type Edit<'a> = (&'a str, &'a dyn Fn(&str) -> String);

/// A fresh copy of the mini dataset in a temporary directory, with `edit` applied to the
/// named files' contents. The directory is removed when the guard drops.
pub struct TempDataset(pub PathBuf);

impl TempDataset {
    /// Copies the mini dataset and applies `edits`.
    pub fn new(edits: &[Edit]) -> TempDataset {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "corridor-server-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for entry in std::fs::read_dir(mini_dir()).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
        }
        let t = TempDataset(dir);
        for (file, edit) in edits {
            t.edit(file, edit);
        }
        t
    }

    /// Rewrites one file of the copy.
    pub fn edit(&self, file: &str, edit: &dyn Fn(&str) -> String) {
        let path = self.0.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, edit(&text)).unwrap();
    }
}

impl Drop for TempDataset {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A config serving the mini dataset.
pub fn mini_config() -> ServerConfig {
    ServerConfig { data_dir: Some(mini_dir()), ..ServerConfig::default() }
}

/// State and router for a config.
pub fn server(config: ServerConfig) -> (AppState, axum::Router) {
    let state = AppState::new(config).expect("dataset loads");
    let router = app(state.clone());
    (state, router)
}

/// A response, with the body as JSON (or `Value::String` when it is not JSON).
pub struct Resp {
    /// HTTP status.
    pub status: StatusCode,
    /// Response headers.
    pub headers: HeaderMap,
    /// The body as text.
    pub text: String,
    /// The body as JSON.
    pub json: Value,
}

impl Resp {
    /// The error `code` of a JSON error body.
    pub fn code(&self) -> &str {
        self.json["code"].as_str().unwrap_or("")
    }
}

/// Sends one request through the router.
pub async fn send(app: &axum::Router, req: Request<Body>) -> Resp {
    let resp = app.clone().oneshot(req).await.expect("infallible");
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX).await.unwrap();
    // Lossy: static files (PNG) are not UTF-8; JSON and text bodies are.
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let json = serde_json::from_str(&text).unwrap_or_else(|_| Value::String(text.clone()));
    Resp { status, headers, text, json }
}

/// `GET uri`.
pub async fn get(app: &axum::Router, uri: &str) -> Resp {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

/// `POST uri` with a JSON body.
pub async fn post_json(app: &axum::Router, uri: &str, body: &Value) -> Resp {
    let req = Request::post(uri).header("content-type", "application/json").body(Body::from(body.to_string())).unwrap();
    send(app, req).await
}

/// Asserts an error response: status, code, and that the message mentions `needle`.
#[track_caller]
pub fn check_error(r: &Resp, status: u16, code: &str, needle: &str) {
    assert_eq!((r.status.as_u16(), r.code()), (status, code), "body: {}", r.text);
    let msg = r.json["message"].as_str().unwrap_or("");
    assert!(msg.contains(needle), "message {msg:?} does not mention {needle:?}");
}
