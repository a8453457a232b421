//! Limits: body size, locations and list entries per request, concurrency, time budget.

use std::time::Duration;

use corridor_server::Limits;
use serde_json::json;

use super::*;

fn limited(limits: Limits) -> (AppState, axum::Router) {
    server(ServerConfig { limits, ..mini_config() })
}

#[tokio::test]
async fn too_big() {
    let (_, app) = limited(Limits { max_body_bytes: 200, max_locations: 3, max_list_items: 2, ..Limits::default() });
    let padding = "x".repeat(300);
    let r = post_json(&app, "/v1/route", &json!({"from": "AAONE", "to": "CCEND", "avoid_location": [padding]})).await;
    check_error(&r, 413, "TooBig", "exceeds the limit of 200 bytes");
    let r = get(&app, "/v1/route?from=AAONE&to=CCEND&avoid_location=AA-BORDER,BBTWO").await;
    check_error(&r, 400, "TooBig", "names 4 locations");
    assert_eq!(r.json["parameter"], "avoid_location");
    let r = get(&app, "/v1/route?from=AAONE&to=CCEND&avoid_mode=road,sea,rail").await;
    check_error(&r, 400, "TooBig", "avoid_mode has 3 entries; the limit is 2");
    let r = get(&app, "/route/v1/driving/50,40;51,40;52,40;54,40").await;
    check_error(&r, 400, "TooBig", "4 coordinates given; the limit is 3");
}

#[tokio::test]
async fn overloaded_answers_503_with_retry_after() {
    let (state, app) = limited(Limits { max_concurrent: 2, ..Limits::default() });
    let held = state.limiter().clone().acquire_many_owned(2).await.unwrap();
    let r = get(&app, "/v1/route?from=AAONE&to=CCEND").await;
    check_error(&r, 503, "Overloaded", "retry");
    assert_eq!(r.headers["retry-after"], "1");
    // A reload takes no work slot: it is not turned away, and reloads never turn routes away
    // (43 of 80 routes got 503 during 100 concurrent reloads).
    let r = send(&app, Request::post("/admin/reload").body(Body::empty()).unwrap()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // Monitoring is not subject to the limit.
    assert_eq!(get(&app, "/health").await.status, StatusCode::OK);
    let m = get(&app, "/metrics").await;
    assert!(m.text.contains("corridor_in_flight_requests 2"), "{}", m.text);
    drop(held);
    assert_eq!(get(&app, "/v1/route?from=AAONE&to=CCEND").await.status, StatusCode::OK);
}

#[test]
fn time_budget_answers_504_and_frees_the_slot() {
    // One blocking thread, occupied: the request's search waits in the queue past its budget,
    // deterministically, however fast the machine.
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().max_blocking_threads(1).build().unwrap();
    rt.block_on(async {
        let budget = Duration::from_millis(50);
        let (state, app) = limited(Limits { time_budget: budget, max_concurrent: 4, ..Limits::default() });
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let blocker = tokio::task::spawn_blocking(move || wait.recv());
        let r = get(&app, "/v1/compare?from=AAONE&to=CCEND").await;
        check_error(&r, 504, "Timeout", "time budget of 50ms");
        assert_eq!(r.headers["retry-after"], "1");
        // The cut-off search still holds its slot until it has really run.
        assert_eq!(state.limiter().available_permits(), 3);
        release.send(()).unwrap();
        blocker.await.unwrap().unwrap();
        for _ in 0..500 {
            if state.limiter().available_permits() == 4 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("the timed-out request's slot was never released");
    });
}

#[test]
fn nonsensical_limits_are_refused() {
    let config = ServerConfig { limits: Limits { max_concurrent: 0, ..Limits::default() }, ..mini_config() };
    let err = AppState::new(config).err().expect("refused");
    assert_eq!(err.to_string(), "invalid server configuration: limit max_concurrent must be at least 1");
}

/// Reproducers of issue P9: a huge `Content-Length` waited 10 s and answered 504; a slow body
/// took a work slot before it was read, so 64 slow bodies made every route answer 503.
#[tokio::test]
async fn huge_declared_bodies_are_refused_at_once_and_slow_bodies_hold_no_slot() {
    let (state, app) = limited(Limits {
        max_body_bytes: 1000,
        max_concurrent: 1,
        body_timeout: Duration::from_millis(200),
        ..Limits::default()
    });
    // A declared length above the limit: 413 without reading a byte (the body never comes).
    let (_tx, rx) = tokio::sync::mpsc::channel::<Result<axum::body::Bytes, std::io::Error>>(1);
    let never = Body::from_stream(tokio_stream_from(rx));
    let req = Request::post("/v1/route")
        .header("content-type", "application/json")
        .header("content-length", "1000000000")
        .header("expect", "100-continue")
        .body(never)
        .unwrap();
    let t = std::time::Instant::now();
    let r = send(&app, req).await;
    check_error(&r, 413, "TooBig", "exceeds the limit of 1000 bytes");
    assert!(t.elapsed() < Duration::from_secs(1), "answered at once, not after a timeout");
    // A body that stalls: 408 after the body timeout, and while it stalls the only work slot
    // stays free for a legitimate request.
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<axum::body::Bytes, std::io::Error>>(1);
    tx.send(Ok(axum::body::Bytes::from_static(b"{\"from\":"))).await.unwrap();
    let slow = Request::post("/v1/route")
        .header("content-type", "application/json")
        .body(Body::from_stream(tokio_stream_from(rx)))
        .unwrap();
    let app2 = app.clone();
    let stalled = tokio::spawn(async move { send(&app2, slow).await });
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(state.limiter().available_permits(), 1, "a body being read holds no work slot");
    assert_eq!(get(&app, "/v1/route?from=AAONE&to=CCEND").await.status, StatusCode::OK);
    let r = stalled.await.unwrap();
    check_error(&r, 408, "Timeout", "did not arrive within 200ms");
    drop(tx);
}

/// A stream of the receiver's items (a body whose chunks the test sends, or never sends).
fn tokio_stream_from(
    mut rx: tokio::sync::mpsc::Receiver<Result<axum::body::Bytes, std::io::Error>>,
) -> impl futures_util::Stream<Item = Result<axum::body::Bytes, std::io::Error>> + Send + 'static {
    futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx))
}

/// Serves `app` on a loopback socket with `limits` until the returned sender is dropped.
async fn on_socket(
    app: axum::Router,
    limits: Limits,
) -> (std::net::SocketAddr, tokio::sync::oneshot::Sender<()>, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        corridor_server::serve_listener(listener, app, &limits, async {
            let _ = stopped.await;
        })
        .await;
    });
    (addr, stop, server)
}

/// One `GET path` on a new connection; the response's status line.
async fn status_line(addr: std::net::SocketAddr, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut out = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut out)).await.expect("answered").unwrap();
    String::from_utf8_lossy(&out).lines().next().unwrap_or("").to_string()
}

/// Whether the server closes `s` within `within` (EOF or reset), sending nothing but perhaps
/// an error status.
async fn closed_within(s: &mut tokio::net::TcpStream, within: Duration) -> bool {
    use tokio::io::AsyncReadExt;
    let mut buf = [0u8; 512];
    loop {
        match tokio::time::timeout(within, s.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue,
        }
    }
}

/// Reproducer of issue P9: 1000 slowloris connections stayed open (no header or idle
/// timeout). A connection that does not finish its headers, or idles, is closed after the
/// header timeout while other clients are served; past the connection cap a new connection is
/// closed at once, and served again once a slot is free.
#[tokio::test]
async fn slow_headers_and_idle_connections_are_closed_and_the_cap_holds() {
    use tokio::io::AsyncWriteExt;
    let limits = Limits { header_timeout: Duration::from_millis(300), ..Limits::default() };
    let (_, app) = limited(limits.clone());
    let (addr, stop, server) = on_socket(app, limits).await;
    let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\n").await.unwrap();
    let mut idle = tokio::net::TcpStream::connect(addr).await.unwrap();
    assert!(status_line(addr, "/health").await.starts_with("HTTP/1.1 200"));
    assert!(closed_within(&mut slow, Duration::from_secs(3)).await, "a slowloris connection is closed");
    assert!(closed_within(&mut idle, Duration::from_secs(3)).await, "an idle connection is closed");
    drop(stop);
    server.await.unwrap();

    let limits = Limits { max_connections: 2, ..Limits::default() };
    let (_, app) = limited(limits.clone());
    let (addr, stop, server) = on_socket(app, limits).await;
    let a = tokio::net::TcpStream::connect(addr).await.unwrap();
    let _b = tokio::net::TcpStream::connect(addr).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await; // both accepted
    let mut c = tokio::net::TcpStream::connect(addr).await.unwrap();
    assert!(closed_within(&mut c, Duration::from_secs(2)).await, "a connection past the cap is closed at once");
    drop(a);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(status_line(addr, "/health").await.starts_with("HTTP/1.1 200"));
    drop(stop);
    drop(_b);
    server.await.unwrap();
}

/// Per-request work caps: a label search over the server's limit is refused with 422
/// `TooComplex`, naming the limit, instead of answering from an incomplete Pareto set.
#[tokio::test]
async fn a_label_search_over_the_limit_is_too_complex() {
    let (_, app) = limited(Limits { max_labels: 1, ..Limits::default() });
    let r = get(&app, "/v1/pareto?from=AAONE&to=CCEND").await;
    check_error(&r, 422, "TooComplex", "limit of 1 labels");
    let r = get(&app, "/v1/route?from=AAONE&to=CCEND&depart=2026-12-01T08:00:00Z").await;
    check_error(&r, 422, "TooComplex", "limit of 1 labels");
    // A plain route needs no labels.
    assert_eq!(get(&app, "/v1/route?from=AAONE&to=CCEND").await.status, StatusCode::OK);
    let (_, app) = limited(Limits::default());
    assert_eq!(get(&app, "/v1/pareto?from=AAONE&to=CCEND").await.status, StatusCode::OK);
}

/// One raw request (`head` without the blank line) on a new connection; the whole response.
async fn raw(addr: std::net::SocketAddr, head: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(format!("{head}Connection: close\r\n\r\n").as_bytes()).await.unwrap();
    let mut out = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut out)).await.expect("answered").unwrap();
    String::from_utf8_lossy(&out).to_string()
}

/// Reproducer of issue P9: 414 and 431 came from the HTTP parser with empty bodies. Over the
/// server's own limits (below the parser's) they are JSON `TooBig` like every other refusal,
/// on a real socket; and an offending value is echoed cut, not whole.
#[tokio::test]
async fn long_targets_and_big_headers_are_json_errors() {
    let limits = Limits::default();
    let (_, app) = limited(limits.clone());
    let r = get(&app, &format!("/v1/route?from={}&to=CCEND", "a".repeat(9000))).await;
    check_error(&r, 414, "TooBig", "the limit is 8192");
    let r = get(&app, &format!("/v1/route?from={}&to=CCEND", "a".repeat(5000))).await;
    check_error(&r, 400, "InvalidValue", "5000 bytes long");
    let echoed = r.json["value"].as_str().unwrap();
    assert_eq!(echoed.chars().count(), 201, "200 characters and the cut mark");
    assert!(echoed.ends_with('…'));
    let mut req = Request::get("/health");
    for i in 0..65 {
        req = req.header(format!("x-h{i}"), "v");
    }
    check_error(&send(&app, req.body(Body::empty()).unwrap()).await, 431, "TooBig", "the limits are 64 headers");
    let big = Request::get("/health").header("x-big", "b".repeat(20_000)).body(Body::empty()).unwrap();
    check_error(&send(&app, big).await, 431, "TooBig", "16384 bytes");

    // The same on a socket, where hyper parses: 120 headers (hyper's default limit is 100).
    let (addr, stop, server) = on_socket(app, limits).await;
    let many: String = (0..120).map(|i| format!("X-H{i}: v\r\n")).collect();
    let resp = raw(addr, &format!("GET /health HTTP/1.1\r\nHost: localhost\r\n{many}")).await;
    assert!(resp.starts_with("HTTP/1.1 431"), "{resp}");
    assert!(resp.contains("application/json") && resp.contains("\"code\":\"TooBig\""), "{resp}");
    let long = format!("GET /v1/route?from={}&to=CCEND HTTP/1.1\r\nHost: localhost\r\n", "a".repeat(20_000));
    let resp = raw(addr, &long).await;
    assert!(resp.starts_with("HTTP/1.1 414") && resp.contains("\"code\":\"TooBig\""), "{resp}");
    drop(stop);
    server.await.unwrap();
}
