//! The web map: the files of `web/static/` compiled into the binary and served at `/`.
//!
//! The files are committed (Leaflet's distribution is vendored by `web/vendor.sh`), so building
//! the server needs no npm. Release builds embed them; debug builds read `web/static/` at run
//! time (rust-embed's default), so the page can be edited without rebuilding. Static files never
//! need the API key (the page itself holds no data); the API calls it makes do.

use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use rust_embed::Embed;

use crate::api;

#[derive(Embed)]
#[folder = "../../web/static/"]
struct Assets;

/// The page may load scripts, styles, images and data only from this server: no CDN, no
/// online tiles, no inline script.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; \
     script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

/// The names of the embedded files, sorted.
pub fn files() -> Vec<String> {
    let mut names: Vec<String> = Assets::iter().map(|n| n.into_owned()).collect();
    names.sort();
    names
}

/// `GET /`: the web map's page.
pub async fn index(headers: HeaderMap) -> Response {
    asset("index.html", &headers).unwrap_or_else(|| StatusCode::NOT_FOUND.into_response())
}

/// Serves an embedded file for `GET`/`HEAD` of its path; every other unmatched request gets
/// the API's `NotFound` error.
pub async fn fallback(method: Method, uri: Uri, headers: HeaderMap) -> Response {
    if method == Method::GET || method == Method::HEAD {
        let name = uri.path().trim_start_matches('/');
        if let Some(resp) = asset(if name.is_empty() { "index.html" } else { name }, &headers) {
            return resp;
        }
    }
    api::not_found(uri).await.into_response()
}

/// The response for one embedded file, or `None` if there is no such file. Answers
/// `304 Not Modified` when the client's `If-None-Match` has the file's ETag (a content hash).
fn asset(name: &str, headers: &HeaderMap) -> Option<Response> {
    let file = Assets::get(name)?;
    let hash = file.metadata.sha256_hash();
    let etag = format!("\"{}\"", hash[..12].iter().map(|b| format!("{b:02x}")).collect::<String>());
    let mut resp = if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
    {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mime = file.metadata.mimetype();
        let content_type = if mime.starts_with("text/") || mime.ends_with("javascript") || mime.ends_with("json") {
            format!("{mime}; charset=utf-8")
        } else {
            mime.to_string()
        };
        ([(header::CONTENT_TYPE, content_type)], file.data.into_owned()).into_response()
    };
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    // Revalidate every time (cheap with the ETag): a new binary must never show an old page.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    if name.ends_with(".html") {
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    }
    Some(resp)
}
