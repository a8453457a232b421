//! The OpenAPI document's examples: real requests on the embedded dataset and the answers the
//! server gave them, one or more per operation, from `openapi/examples.json`.
//!
//! The answers are not written by hand. The integration test `openapi::examples_are_real_answers`
//! sends every example's request to a server on the embedded dataset and fails when the answer
//! differs from the committed one (`UPDATE_OPENAPI_EXAMPLES=1` rewrites the file instead, after
//! a deliberate change of the data or of the API). Long arrays (the network's features, a
//! route's geometry) are cut to their first items by [`Example::shorten`], which the summary
//! says; the served document stays small and the example stays a true prefix of the answer.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The committed examples.
pub const EXAMPLES_JSON: &str = include_str!("../openapi/examples.json");

/// How many items an array named in [`Example::keep`] keeps.
pub const KEPT_ITEMS: usize = 2;

/// One request and the server's answer to it.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Example {
    /// The operation: method and path template as in the document, e.g. `GET /v1/route`.
    pub operation: String,
    /// The example's key in the document (unique per operation).
    pub name: String,
    /// One line for a reader; the request is appended.
    pub summary: String,
    /// The request's path and query string, e.g. `/v1/route?from=Xi%27an&to=Duisburg`.
    pub request: String,
    /// A POST's JSON body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
    /// The answer's status code.
    pub status: u16,
    /// JSON pointers of arrays cut to their first [`KEPT_ITEMS`] items.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keep: Vec<String>,
    /// When set, only these top-level members of the answer are shown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub select: Vec<String>,
    /// JSON pointers of values that differ run to run (a load time): shown, not compared.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volatile: Vec<String>,
    /// The answer (a JSON value; a string for `text/plain` answers), shortened.
    pub response: Value,
}

impl Example {
    /// The method, upper case.
    pub fn method(&self) -> &str {
        self.operation.split_once(' ').map_or("GET", |(m, _)| m)
    }

    /// The path template of the operation.
    pub fn path(&self) -> &str {
        self.operation.split_once(' ').map_or(self.operation.as_str(), |(_, p)| p)
    }

    /// `answer` as the example shows it: the [`select`](Self::select)ed members, with the
    /// [`keep`](Self::keep) arrays cut to their first items.
    pub fn shorten(&self, mut answer: Value) -> Value {
        if !self.select.is_empty()
            && let Value::Object(m) = &answer
        {
            let picked: Map<String, Value> =
                self.select.iter().filter_map(|k| m.get(k).map(|v| (k.clone(), v.clone()))).collect();
            answer = Value::Object(picked);
        }
        for pointer in &self.keep {
            if let Some(Value::Array(items)) = answer.pointer_mut(pointer) {
                items.truncate(KEPT_ITEMS);
            }
        }
        answer
    }

    /// `answer` with the [`volatile`](Self::volatile) values nulled, for comparing a live
    /// answer with the committed one.
    pub fn stable(&self, mut answer: Value) -> Value {
        for pointer in &self.volatile {
            if let Some(v) = answer.pointer_mut(pointer) {
                *v = Value::Null;
            }
        }
        answer
    }

    /// The summary as the document shows it: the reader's line, the request, and what was cut.
    fn full_summary(&self) -> String {
        let mut s = format!("{} — {} {}", self.summary, self.method(), self.request);
        if !self.keep.is_empty() {
            s.push_str(&format!(" (first {KEPT_ITEMS} items of {})", self.keep.join(", ")));
        }
        if !self.select.is_empty() {
            s.push_str(&format!(" (members {} only)", self.select.join(", ")));
        }
        s
    }
}

/// Why the committed examples cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("openapi/examples.json: {0}")]
pub struct ExamplesError(String);

/// The committed examples, parsed.
pub fn examples() -> Result<Vec<Example>, ExamplesError> {
    serde_json::from_str(EXAMPLES_JSON).map_err(|e| ExamplesError(e.to_string()))
}

/// The request's parameters by location: path parameters matched against the template's
/// `{name}` segments, then the query string's.
fn request_params(ex: &Example) -> Vec<(&'static str, String, String)> {
    let (path, query) = ex.request.split_once('?').unwrap_or((ex.request.as_str(), ""));
    let mut out = Vec::new();
    for (t, v) in ex.path().split('/').zip(path.split('/')) {
        if let Some(name) = t.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
            let value = form_urlencoded::parse(format!("v={v}").as_bytes()).next().map(|(_, v)| v.into_owned());
            out.push(("path", name.to_string(), value.unwrap_or_default()));
        }
    }
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        out.push(("query", k.into_owned(), v.into_owned()));
    }
    out
}

/// Adds `examples` to `doc` (the OpenAPI document as JSON): each example's answer under its
/// response's content, a POST's body under the request body, and a GET's parameters under
/// each parameter's `examples`. An example naming an operation or status the document lacks is
/// left out (the test `examples_are_real_answers` fails on it).
pub fn add_examples(doc: &mut Value, examples: &[Example]) {
    for ex in examples {
        let op = format!("/paths/{}/{}", ex.path().replace('~', "~0").replace('/', "~1"), ex.method().to_lowercase());
        let Some(operation) = doc.pointer_mut(&op) else { continue };
        let summary = ex.full_summary();
        if let Some(body) = &ex.body
            && let Some(content) = operation.pointer_mut("/requestBody/content/application~1json")
        {
            insert_example(content, &ex.name, &summary, body.clone());
        }
        if let Some(params) = operation.get_mut("parameters").and_then(Value::as_array_mut) {
            for (location, name, value) in request_params(ex) {
                let Some(p) = params.iter_mut().find(|p| p["in"] == location && p["name"] == name.as_str()) else {
                    continue;
                };
                // `example` and `examples` exclude each other (OpenAPI 3.1, Parameter Object).
                if let Some(obj) = p.as_object_mut() {
                    obj.remove("example");
                }
                insert_example(p, &ex.name, &summary, Value::String(value));
            }
        }
        let status = ex.status.to_string();
        let Some(content) = operation.pointer_mut(&format!("/responses/{status}/content")) else { continue };
        let Some(media) = content.as_object_mut().and_then(|c| c.values_mut().next()) else { continue };
        insert_example(media, &ex.name, &summary, ex.response.clone());
    }
}

fn insert_example(target: &mut Value, name: &str, summary: &str, value: Value) {
    let Some(obj) = target.as_object_mut() else { return };
    let examples = obj.entry("examples").or_insert_with(|| Value::Object(Map::new()));
    if let Some(map) = examples.as_object_mut() {
        let mut e = Map::new();
        e.insert("summary".to_string(), Value::String(summary.to_string()));
        e.insert("value".to_string(), value);
        map.insert(name.to_string(), Value::Object(e));
    }
}
