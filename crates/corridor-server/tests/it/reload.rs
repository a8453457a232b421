//! Reloading without downtime: a good dataset is swapped in, a corrupt one is rejected and
//! the old data keeps serving; requests in flight keep their snapshot.

use super::*;

async fn reload(app: &axum::Router) -> Resp {
    send(app, Request::post("/admin/reload").body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn good_dataset_swaps_in_and_corrupt_one_is_rejected() {
    let t = TempDataset::new(&[]);
    let (state, app) = server(ServerConfig { data_dir: Some(t.0.clone()), ..ServerConfig::default() });
    let before = get(&app, "/v1/route?from=AAONE&to=CCEND").await;
    assert_eq!(before.json["totals"]["km"], 565.0);
    let in_flight = state.dataset();

    // A new version with a longer ferry.
    t.edit("dataset.toml", &|s| s.replace("version = \"1\"", "version = \"2\""));
    t.edit("links.csv", &|s| {
        s.replace("f-bs-c,BBSEA,CCEND,ferry,rail1520,300,", "f-bs-c,BBSEA,CCEND,ferry,rail1520,400,")
    });
    let r = reload(&app).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!((r.json["status"].as_str(), r.json["dataset"]["version"].as_str()), (Some("reloaded"), Some("2")));
    assert_eq!(get(&app, "/health").await.json["dataset"]["version"], "2");
    assert_eq!(get(&app, "/v1/route?from=AAONE&to=CCEND").await.json["totals"]["km"], 665.0);
    // A request that started before the swap still works on its own snapshot.
    assert_eq!(in_flight.network().info.version, "1");
    assert_eq!(in_flight.network().links[3].km.0, 300.0);

    // A corrupt dataset: an unknown location in links.csv and a negative distance.
    t.edit("dataset.toml", &|s| s.replace("version = \"2\"", "version = \"3\""));
    t.edit("links.csv", &|s| {
        s.replace("r-a-ab,AAONE,AA-BORDER,rail,rail1435,85,", "r-a-ab,AAONE,NOWHERE,rail,rail1435,-5,")
    });
    let r = reload(&app).await;
    check_error(&r, 422, "InvalidDataset", "rejected");
    assert!(r.json["message"].as_str().unwrap().contains("still serving mini 2"), "{}", r.text);
    let diags = r.json["diagnostics"].as_array().unwrap();
    assert!(!diags.is_empty());
    assert!(diags.iter().any(|d| d["file"] == "links.csv" && d["line"] == 2), "{}", r.text);
    // The old data keeps serving.
    assert_eq!(get(&app, "/health").await.json["dataset"]["version"], "2");
    assert_eq!(get(&app, "/v1/route?from=AAONE&to=CCEND").await.json["totals"]["km"], 665.0);

    // A directory that disappeared is rejected the same way.
    std::fs::remove_file(t.0.join("links.csv")).unwrap();
    check_error(&reload(&app).await, 422, "InvalidDataset", "rejected");
    assert_eq!(get(&app, "/health").await.json["dataset"]["version"], "2");

    let m = get(&app, "/metrics").await;
    assert!(m.text.contains("corridor_dataset_reloads_total{result=\"ok\"} 1"), "{}", m.text);
    assert!(m.text.contains("corridor_dataset_reloads_total{result=\"rejected\"} 2"), "{}", m.text);
}

#[tokio::test]
async fn reload_needs_the_key_when_one_is_configured() {
    let (_, app) = server(ServerConfig { api_key: Some("k".into()), ..mini_config() });
    assert_eq!(reload(&app).await.status, StatusCode::UNAUTHORIZED);
    let req = Request::post("/admin/reload").header("authorization", "Bearer k").body(Body::empty()).unwrap();
    let r = send(&app, req).await;
    assert_eq!((r.status, r.json["dataset"]["name"].as_str()), (StatusCode::OK, Some("mini")));
}

/// Without an API key, `/admin/reload` accepted a cross-site `text/plain` POST from any Origin
/// and any Host (CSRF and DNS rebinding): now only same-origin requests to a loopback host name.
#[tokio::test]
async fn keyless_reload_refuses_cross_site_and_rebound_requests() {
    let (_, app) = server(mini_config());
    let post = |headers: &[(&str, &str)]| {
        let mut b = Request::post("/admin/reload");
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(Body::from("x")).unwrap()
    };
    for (headers, needle) in [
        (vec![("host", "evil.example")], "loopback host name"),
        (vec![("host", "rebind.evil.example:8080")], "loopback host name"),
        (vec![("host", "127.0.0.1:8080"), ("origin", "https://evil.example")], "cross-origin reload"),
        (vec![("host", "localhost:8080"), ("content-type", "text/plain")], "text/plain body"),
    ] {
        let r = send(&app, post(&headers)).await;
        check_error(&r, 403, "Unauthorized", needle);
    }
    for headers in [
        vec![("host", "localhost:8080")],
        vec![("host", "[::1]:8080"), ("origin", "http://[::1]:8080")],
        vec![("host", "127.0.0.1")],
    ] {
        let r = send(&app, post(&headers)).await;
        assert_eq!(r.status, StatusCode::OK, "{headers:?}: {}", r.text);
    }
}

/// Issue P9: a reload had no timeout. One past `reload_timeout` is abandoned and reported as
/// rejected (422, naming the timeout), the old dataset keeps serving, and routes never wait.
/// The only blocking thread is held, so the load cannot start before the deadline, whatever
/// the machine's speed.
#[test]
fn a_reload_past_its_timeout_is_abandoned_and_routing_goes_on() {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().max_blocking_threads(1).build().unwrap();
    rt.block_on(async {
        let t = TempDataset::new(&[]);
        let limits = corridor_server::Limits {
            reload_timeout: std::time::Duration::from_millis(50),
            ..corridor_server::Limits::default()
        };
        let (_, app) = server(ServerConfig { data_dir: Some(t.0.clone()), limits, ..ServerConfig::default() });
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let blocker = tokio::task::spawn_blocking(move || wait.recv());
        let r = reload(&app).await;
        check_error(&r, 422, "InvalidDataset", "rejected");
        assert!(r.text.contains("did not load within 50ms; the reload was abandoned"), "{}", r.text);
        release.send(()).unwrap();
        blocker.await.unwrap().unwrap();
        assert_eq!(get(&app, "/v1/route?from=AAONE&to=CCEND").await.status, StatusCode::OK);
        assert_eq!(get(&app, "/health").await.json["dataset"]["version"], "1");
    });
}

/// `corridor serve --scenario`: the server answers the scenario's network on every load and
/// reload (the file is read again), `/health` names the scenario, `/v1/assign` is refused (its
/// calibrated scope is not the what-if network), and a scenario that changes a capacity or
/// names nothing stops the server from starting.
#[tokio::test]
async fn a_scenario_is_served_and_reloaded() {
    let t = TempDataset::new(&[]);
    let path = t.0.join("what-if.toml");
    std::fs::write(&path, "name = \"slow ferry\"\n[[speed]]\nlink = \"f-bs-c\"\nhours = 36\n").unwrap();
    let config = ServerConfig { data_dir: Some(t.0.clone()), scenario: Some(path.clone()), ..ServerConfig::default() };
    let (_, app) = server(config.clone());
    let (_, plain) = server(ServerConfig { scenario: None, ..config.clone() });
    let hours = |r: &Resp| r.json["totals"]["hours"].as_f64().unwrap();
    let base = get(&plain, "/v1/route?from=AAONE&to=CCEND").await;
    let what_if = get(&app, "/v1/route?from=AAONE&to=CCEND").await;
    assert_eq!(what_if.status, StatusCode::OK, "{}", what_if.text);
    assert!((hours(&what_if) - hours(&base) - 24.0).abs() < 1e-6, "{} vs {}", what_if.text, base.text);
    let health = get(&app, "/health").await;
    assert_eq!(health.json["dataset"]["scenario"], "\"slow ferry\" (what-if.toml)");
    assert!(get(&plain, "/health").await.json["dataset"].get("scenario").is_none());
    let assign = get(&app, "/v1/assign").await;
    assert_eq!(assign.json["code"], "AssignmentUnavailable", "{}", assign.text);
    // The file is read again on a reload.
    std::fs::write(&path, "name = \"slower ferry\"\n[[speed]]\nlink = \"f-bs-c\"\nhours = 60\n").unwrap();
    let r = send(&app, Request::post("/admin/reload").body(Body::empty()).unwrap()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!((hours(&get(&app, "/v1/route?from=AAONE&to=CCEND").await) - hours(&base) - 48.0).abs() < 1e-6);
    // Refused at start: a capacity section, an unknown link.
    for text in ["[[capacity]]\nlink = \"f-bs-c\"\nfactor = 2\n", "[[close]]\nlink = \"nowhere\"\n"] {
        std::fs::write(&path, text).unwrap();
        let e = AppState::new(config.clone()).map(|_| ()).unwrap_err().to_string();
        assert!(e.contains("what-if.toml") && (e.contains("capacity[0]") || e.contains("close[0].link")), "{e}");
    }
}
