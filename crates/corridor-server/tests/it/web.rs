//! The embedded web map: the page and everything it loads are served from the binary, with
//! the right content types, a strict content security policy and ETag revalidation.

use super::*;

fn header<'a>(r: &'a Resp, name: &str) -> &'a str {
    r.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

/// The local files an HTML or JS file refers to (`src="x"`, `href="x"`, `from './x'`).
fn references(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for marker in ["src=\"", "href=\"", "from './"] {
        for (i, _) in text.match_indices(marker) {
            let rest = &text[i + marker.len()..];
            let end = rest.find(['"', '\'']).unwrap_or(0);
            let target = &rest[..end];
            if !target.is_empty() && !target.starts_with('#') && !target.contains("://") {
                out.push(target.trim_start_matches("./").to_string());
            }
        }
    }
    out
}

#[tokio::test]
async fn serves_the_page_with_a_strict_policy() {
    let (_, app) = server(mini_config());
    let r = get(&app, "/").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(header(&r, "content-type"), "text/html; charset=utf-8");
    assert!(r.text.contains("id=\"map\""), "{}", r.text);
    let csp = header(&r, "content-security-policy");
    assert!(csp.contains("default-src 'self'") && csp.contains("script-src 'self'"), "{csp}");
    assert_eq!(header(&r, "x-content-type-options"), "nosniff");
    assert_eq!(get(&app, "/index.html").await.text, r.text);
}

#[tokio::test]
async fn every_referenced_file_is_embedded() {
    let (_, app) = server(mini_config());
    let files = corridor_server::web::files();
    for required in
        ["index.html", "app.js", "vendor/leaflet/leaflet.js", "vendor/leaflet/leaflet.css", "countries.geojson"]
    {
        assert!(files.iter().any(|f| f == required), "{required} not embedded: {files:?}");
    }
    for f in files.iter().filter(|f| f.ends_with(".html") || (f.ends_with(".js") && !f.starts_with("vendor/"))) {
        let text = get(&app, &format!("/{f}")).await.text;
        for target in references(&text) {
            let r = get(&app, &format!("/{target}")).await;
            assert_eq!(r.status, StatusCode::OK, "{f} refers to {target}, which is not served");
        }
    }
    let js = get(&app, "/app.js").await;
    assert!(header(&js, "content-type").contains("javascript"), "{}", header(&js, "content-type"));
    let css = get(&app, "/vendor/leaflet/leaflet.css").await;
    assert!(header(&css, "content-type").starts_with("text/css"));
    let png = get(&app, "/vendor/leaflet/images/layers.png").await;
    assert_eq!((png.status, header(&png, "content-type")), (StatusCode::OK, "image/png"));
}

#[tokio::test]
async fn basemap_is_compact_geojson() {
    let (_, app) = server(mini_config());
    let r = get(&app, "/countries.geojson").await;
    assert_eq!(r.json["type"], "FeatureCollection");
    let features = r.json["features"].as_array().unwrap();
    assert!(features.len() > 50, "{} countries", features.len());
    assert!(features.iter().any(|f| f["properties"]["name"] == "Kazakhstan"));
    assert!(r.text.len() < 600_000, "basemap grew to {} bytes", r.text.len());
}

#[tokio::test]
async fn revalidates_with_etag() {
    let (_, app) = server(mini_config());
    let r = get(&app, "/app.js").await;
    let etag = header(&r, "etag").to_string();
    assert!(etag.starts_with('"') && etag.len() > 10, "{etag}");
    assert_eq!(header(&r, "cache-control"), "no-cache");
    let req = Request::get("/app.js").header("if-none-match", &etag).body(Body::empty()).unwrap();
    let again = send(&app, req).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.text.is_empty());
}

#[tokio::test]
async fn static_files_need_no_key_but_the_api_does() {
    let (_, app) = server(ServerConfig { api_key: Some("k".into()), ..mini_config() });
    assert_eq!(get(&app, "/").await.status, StatusCode::OK);
    assert_eq!(get(&app, "/app.js").await.status, StatusCode::OK);
    assert_eq!(get(&app, "/v1/locations?q=a").await.code(), "Unauthorized");
}

#[tokio::test]
async fn unknown_paths_stay_api_errors() {
    let (_, app) = server(mini_config());
    check_error(&get(&app, "/nope.js").await, 404, "NotFound", "/nope.js");
    check_error(&get(&app, "/v2/route").await, 404, "NotFound", "/v2/route");
    let post = send(&app, Request::post("/").body(Body::empty()).unwrap()).await;
    assert_eq!(post.code(), "MethodNotAllowed");
}
