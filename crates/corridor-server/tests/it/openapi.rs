//! The OpenAPI document lists every endpoint and every error code, and its schemas match what
//! the endpoints really send.

use std::collections::BTreeSet;

use serde_json::Value;

use super::*;

async fn doc() -> Value {
    let (_, app) = server(mini_config());
    let r = get(&app, "/openapi.json").await;
    assert_eq!(r.status, StatusCode::OK);
    r.json
}

#[tokio::test]
async fn lists_every_path_and_code() {
    let d = doc().await;
    assert!(d["openapi"].as_str().unwrap().starts_with("3.1"), "{}", d["openapi"]);
    let mut paths: Vec<String> = Vec::new();
    for (path, item) in d["paths"].as_object().unwrap() {
        for method in ["get", "post"] {
            if item.get(method).is_some() {
                paths.push(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    paths.sort();
    assert_eq!(
        paths,
        [
            "GET /health",
            "GET /metrics",
            "GET /openapi.json",
            "GET /route/v1/{profile}/{coordinates}",
            "GET /v1/assign",
            "GET /v1/compare",
            "GET /v1/locations",
            "GET /v1/network",
            "GET /v1/pareto",
            "GET /v1/route",
            "GET /v1/table",
            "POST /admin/reload",
            "POST /v1/compare",
            "POST /v1/pareto",
            "POST /v1/route",
            "POST /v1/table",
        ]
    );
    // And every documented operation exists on the router.
    let (_, app) = server(mini_config());
    for op in &paths {
        let (method, path) = op.split_once(' ').unwrap();
        let uri = path.replace("{profile}", "driving").replace("{coordinates}", "50,40;57,41");
        let req = Request::builder().method(method).uri(&uri).body(Body::empty()).unwrap();
        let r = send(&app, req).await;
        assert!(!matches!(r.code(), "NotFound" | "MethodNotAllowed"), "{op}: {}", r.text);
    }
    let codes: Vec<&str> = d["components"]["schemas"]["ErrorCode"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    let expected: Vec<&str> = corridor_server::ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(codes, expected);
    let schemes = d["components"]["securitySchemes"].as_object().unwrap();
    assert_eq!(schemes["api_key"]["name"], "x-api-key");
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    let route_params: Vec<&str> = d["paths"]["/v1/route"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(route_params.len(), 22, "{route_params:?}");
    // /v1/table takes the route options of /v1/route, documented alike (one declaration).
    // Compared without their examples, which are each endpoint's own requests.
    let params = |path: &str| -> Vec<Value> {
        let mut ps = d["paths"][path]["get"]["parameters"].as_array().unwrap().clone();
        for p in &mut ps {
            p.as_object_mut().unwrap().remove("examples");
        }
        ps
    };
    let route = params("/v1/route");
    let table: Vec<Value> = params("/v1/table")
        .into_iter()
        .filter(|p| !matches!(p["name"].as_str(), Some("sources" | "targets")))
        .collect();
    assert_eq!(table.len(), 11, "{table:?}");
    for p in &table {
        assert!(route.contains(p), "/v1/table's {} is not documented as /v1/route's", p["name"]);
    }
    let table_body = properties(&d, &d["components"]["schemas"]["TableParams"]).0;
    let route_body = properties(&d, &d["components"]["schemas"]["RouteParams"]).0;
    let shared: Vec<&str> = table_body.iter().copied().filter(|p| !matches!(*p, "sources" | "targets")).collect();
    assert!(shared.iter().all(|p| route_body.contains(p)), "{shared:?}");
}

/// The properties and required properties of schema `name`, through `allOf` and `$ref` (a
/// flattened DTO is `allOf: [{$ref}, {properties}]`).
fn properties<'d>(doc: &'d Value, schema: &'d Value) -> (BTreeSet<&'d str>, BTreeSet<&'d str>) {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.strip_prefix("#/components/schemas/").expect("local $ref");
        return properties(doc, &doc["components"]["schemas"][name]);
    }
    let mut props: BTreeSet<&str> =
        schema["properties"].as_object().map_or(BTreeSet::new(), |p| p.keys().map(String::as_str).collect());
    let mut required: BTreeSet<&str> =
        schema["required"].as_array().map_or(BTreeSet::new(), |r| r.iter().map(|v| v.as_str().unwrap()).collect());
    for part in schema["allOf"].as_array().into_iter().flatten() {
        let (p, r) = properties(doc, part);
        props.extend(p);
        required.extend(r);
    }
    (props, required)
}

/// Asserts that `value`'s keys are properties of schema `name` and that every required
/// property is present.
#[track_caller]
fn check_schema(doc: &Value, name: &str, value: &Value) {
    let schema = &doc["components"]["schemas"][name];
    assert!(schema.is_object(), "no schema {name}");
    let (props, required) = properties(doc, schema);
    assert!(!props.is_empty(), "{name}: no properties");
    let keys: BTreeSet<&str> = value.as_object().unwrap().keys().map(String::as_str).collect();
    let extra: Vec<_> = keys.difference(&props).collect();
    assert!(extra.is_empty(), "{name}: sent but not documented: {extra:?}");
    let missing: Vec<_> = required.difference(&keys).collect();
    assert!(missing.is_empty(), "{name}: documented as required but not sent: {missing:?}");
}

/// The schema name a path's 200 response refers to.
fn ok_body<'d>(doc: &'d Value, method: &str, path: &str) -> &'d str {
    let r = &doc["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"];
    r.as_str().and_then(|r| r.strip_prefix("#/components/schemas/")).unwrap_or_else(|| panic!("{method} {path}: {r}"))
}

#[tokio::test]
async fn schemas_match_the_responses() {
    let d = doc().await;
    let (_, app) = server(mini_config());
    for method in ["get", "post"] {
        assert_eq!(ok_body(&d, method, "/v1/route"), "RouteResponse");
        assert_eq!(ok_body(&d, method, "/v1/compare"), "CompareResponse");
        assert_eq!(ok_body(&d, method, "/v1/pareto"), "Pareto");
    }
    let route = get(&app, "/v1/route?from=AAONE&to=CCEND&geometry=geojson").await.json;
    check_schema(&d, "RouteResponse", &route);
    check_schema(&d, "Totals", &route["totals"]);
    check_schema(&d, "Location", &route["from"]);
    for leg in route["legs"].as_array().unwrap() {
        check_schema(&d, "Leg", leg);
    }
    let cmp = get(&app, "/v1/compare?from=AAONE&to=CCEND&geometry=geojson").await.json;
    check_schema(&d, "CompareResponse", &cmp);
    check_schema(&d, "Corridor", &cmp["corridors"][0]);
    check_schema(&d, "Winners", &cmp["winners"]);
    let failed = get(&app, "/v1/compare?from=AAONE&to=CCEND&avoid_country=BB").await.json;
    check_schema(&d, "CompareResponse", &failed);
    check_schema(&d, "RouteFailure", &failed["corridors"][0]["error"]);
    check_schema(&d, "LocationsResponse", &get(&app, "/v1/locations?q=a").await.json);
    check_schema(&d, "NetworkCollection", &get(&app, "/v1/network").await.json);
    check_schema(&d, "HealthResponse", &get(&app, "/health").await.json);
    let osrm = get(&app, "/route/v1/driving/50,40;57,41").await.json;
    check_schema(&d, "OsrmResponse", &osrm);
    check_schema(&d, "OsrmRoute", &osrm["routes"][0]);
    check_schema(&d, "OsrmLeg", &osrm["routes"][0]["legs"][0]);
    check_schema(&d, "OsrmWaypoint", &osrm["waypoints"][0]);
    check_schema(&d, "Reliability", &route["reliability"]);
    let pareto = get(&app, "/v1/pareto?from=AAONE&to=CCEND&geometry=geojson").await.json;
    check_schema(&d, "Pareto", &pareto);
    check_schema(&d, "Route", &pareto["routes"][0]);
    check_schema(&d, "TableResponse", &get(&app, "/v1/table?sources=AAONE,CCEND").await.json);
    let (_, embedded) = server(ServerConfig::default());
    let assign = get(&embedded, "/v1/assign?hard_capacity=true").await.json;
    check_schema(&d, "AssignResponse", &assign);
    check_schema(&d, "BottleneckRow", &assign["bottlenecks"][0]);
    check_schema(&d, "CorridorShareRow", &assign["corridors"][0]);
    check_schema(&d, "AssignTotals", &assign["totals"]);
    let err = get(&app, "/v1/route?from=Alpah&to=CCEND").await.json;
    check_schema(&d, "ErrorBody", &err);
    let reload = send(&app, Request::post("/admin/reload").body(Body::empty()).unwrap()).await.json;
    check_schema(&d, "ReloadResponse", &reload);
}

#[tokio::test]
async fn schemas_match_routes_from_places_outside_the_network() {
    let d = doc().await;
    let (_, app) = server(ServerConfig::default());
    let route = get(&app, "/v1/route?from=Jiaozhou&to=Baku&geometry=geojson&samples=50").await.json;
    assert!(route["notes"].is_array() && route["legs"][0]["estimated"] == true, "{route}");
    check_schema(&d, "RouteResponse", &route);
    check_schema(&d, "Route", &json_without(&route, "geometry"));
    for leg in route["legs"].as_array().unwrap() {
        check_schema(&d, "Leg", leg);
    }
    let cmp = get(&app, "/v1/compare?from=Jiaozhou&to=Baku").await.json;
    assert!(cmp["notes"].is_array(), "{cmp}");
    check_schema(&d, "CompareResponse", &cmp);
    check_schema(&d, "Comparison", &cmp);
    let pareto = get(&app, "/v1/pareto?from=Jiaozhou&to=Baku&samples=50").await.json;
    check_schema(&d, "Pareto", &pareto);
    check_schema(&d, "Route", &pareto["routes"][0]);
    let err = get(&app, "/v1/route?from=Iloilo&to=Baku").await.json;
    check_schema(&d, "ErrorBody", &err);
    // The optional fields are documented as such.
    let schemas = &d["components"]["schemas"];
    for (name, field) in [("Route", "notes"), ("Comparison", "notes"), ("Leg", "estimated")] {
        let (props, required) = properties(&d, &schemas[name]);
        assert!(props.contains(field) && !required.contains(field), "{name}.{field}");
    }
    assert_eq!(schemas["Leg"]["properties"]["estimated"]["type"], "boolean");
}

fn json_without(v: &Value, key: &str) -> Value {
    let mut v = v.clone();
    v.as_object_mut().unwrap().remove(key);
    v
}

/// The example answers of the document are the server's real answers on the embedded dataset
/// (shortened as each example says), every operation has a 200 example, and the served document
/// carries them. `UPDATE_OPENAPI_EXAMPLES=1` rewrites `openapi/examples.json` from the live
/// answers instead, after a deliberate change of the data or the API (review the diff).
#[tokio::test]
async fn examples_are_real_answers() {
    use corridor_server::openapi_examples::examples;
    let mut examples = examples().expect("openapi/examples.json parses");
    let d = doc().await;
    let (_, app) = server(ServerConfig::default());
    let update = std::env::var_os("UPDATE_OPENAPI_EXAMPLES").is_some();
    let mut stale = Vec::new();
    for ex in &mut examples {
        let op = &d["paths"][ex.path()][ex.method().to_lowercase()];
        assert!(
            op["responses"][ex.status.to_string()].is_object(),
            "{} {}: no such documented answer",
            ex.operation,
            ex.status
        );
        let mut req = Request::builder().method(ex.method()).uri(&ex.request);
        if ex.body.is_some() {
            req = req.header("content-type", "application/json");
        }
        let body = ex.body.as_ref().map_or_else(Body::empty, |b| Body::from(b.to_string()));
        let r = send(&app, req.body(body).unwrap()).await;
        let shown = ex.shorten(r.json.clone());
        if r.status.as_u16() != ex.status
            || comparable(&ex.stable(shown.clone())) != comparable(&ex.stable(ex.response.clone()))
        {
            if update {
                ex.status = r.status.as_u16();
                ex.response = shown;
            } else {
                stale.push(format!(
                    "{} {} ({}): got {} {}",
                    ex.operation,
                    ex.name,
                    ex.request,
                    r.status,
                    truncate(&r.text)
                ));
            }
        }
    }
    if update {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi/examples.json");
        let text = serde_json::to_string_pretty(&examples).unwrap() + "\n";
        std::fs::write(&path, text).unwrap();
        eprintln!("rewrote {}", path.display());
        return;
    }
    assert!(
        stale.is_empty(),
        "examples differ from the live answers (UPDATE_OPENAPI_EXAMPLES=1 rewrites them):\n{}",
        stale.join("\n")
    );
    // Every operation has a 200 example, and the document serves each example under its answer.
    for (path, item) in d["paths"].as_object().unwrap() {
        for (method, _) in item.as_object().unwrap() {
            let op = format!("{} {path}", method.to_uppercase());
            assert!(examples.iter().any(|e| e.operation == op && e.status == 200), "{op}: no 200 example");
        }
    }
    for ex in &examples {
        let content = &d["paths"][ex.path()][ex.method().to_lowercase()]["responses"][ex.status.to_string()]["content"];
        let media = content.as_object().and_then(|c| c.values().next()).expect("content");
        assert_eq!(media["examples"][&ex.name]["value"], ex.response, "{} {}", ex.operation, ex.name);
        if let Some(body) = &ex.body {
            let served = &d["paths"][ex.path()]["post"]["requestBody"]["content"]["application/json"]["examples"];
            assert_eq!(&served[&ex.name]["value"], body, "{} {}", ex.operation, ex.name);
        }
    }
    // A GET's query parameters are shown on the parameters themselves.
    let from =
        d["paths"]["/v1/route"]["get"]["parameters"].as_array().unwrap().iter().find(|p| p["name"] == "from").unwrap();
    assert_eq!(from["examples"]["xian_duisburg_northern"]["value"], "Xi'an");
    assert!(from.get("example").is_none(), "example and examples exclude each other");
}

/// What must not change between runs: text answers (the Prometheus metrics) compared with their
/// numbers masked, as latencies differ run to run; JSON answers compared whole.
fn comparable(v: &Value) -> Value {
    match v {
        Value::String(s) if s.contains("# TYPE") => {
            // Each run of digits (with its decimal point or exponent) becomes one `#`.
            let mut masked = String::with_capacity(s.len());
            let mut in_number = false;
            for c in s.chars() {
                let numeric = c.is_ascii_digit() || (in_number && matches!(c, '.' | 'e' | '-' | '+'));
                if !numeric {
                    masked.push(c);
                } else if !in_number {
                    masked.push('#');
                }
                in_number = numeric;
            }
            Value::String(masked)
        }
        other => other.clone(),
    }
}

fn truncate(s: &str) -> &str {
    &s[..s.char_indices().nth(300).map_or(s.len(), |(i, _)| i)]
}
