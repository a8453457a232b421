//! The bad-request corpus (`bad_requests.tsv`): each refused request gets its status, its
//! stable JSON `code`, the offending `parameter` where there is one, and a message naming the
//! problem. All rows are checked and every mismatch is reported at once.

use axum::body::Body;
use axum::http::Request;

use super::*;

#[tokio::test]
async fn bad_request_corpus() {
    let (_, app) = server(mini_config());
    let table = include_str!("bad_requests.tsv");
    let (mut rows, mut failures) = (0, Vec::new());
    for (n, line) in table.lines().enumerate().filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 7, "bad_requests.tsv:{}: expected 7 tab-separated fields", n + 1);
        let (status, code, param, method, target, body, needle) = (f[0], f[1], f[2], f[3], f[4], f[5], f[6]);
        let req = Request::builder().method(method).uri(target);
        let req = match body {
            "-" => req.body(Body::empty()),
            b => req.header("content-type", "application/json").body(Body::from(b.to_string())),
        }
        .unwrap();
        let r = send(&app, req).await;
        rows += 1;
        let msg = r.json["message"].as_str().unwrap_or("");
        let got_param = r.json["parameter"].as_str().unwrap_or("-");
        let ok = r.status.as_u16().to_string() == status
            && r.code() == code
            && got_param == param
            && msg.contains(needle)
            && r.headers.get("content-type").is_some_and(|v| v == "application/json");
        if !ok {
            failures.push(format!(
                "bad_requests.tsv:{}: {method} {target}: want {status} {code} parameter {param} {needle:?}; got {} {}",
                n + 1,
                r.status.as_u16(),
                r.text
            ));
        }
    }
    assert!(rows >= 90, "the corpus shrank to {rows} rows");
    assert!(failures.is_empty(), "{} of {rows} rows failed:\n{}", failures.len(), failures.join("\n"));
}
