//! The native half of the `corridor` Python package (`corridor._corridor`).
//!
//! Routing, comparison, Pareto sets, tables, locations and the assignment go through the HTTP
//! API's own router in process (no socket): the parameters, their validation, the limits and the
//! error codes are exactly those of the server and its OpenAPI document, and the answer is the
//! same JSON. The Python layer (`python/corridor/__init__.py`) turns it into DataFrames. The
//! scenario diff and the resilience ranking, which the server does not offer, call
//! corridor-analytics directly, on the same inputs as `corridor [--data DIR] scenario diff` and
//! `resilience`: the embedded assignment inputs, or a dataset directory's network with its own
//! `capacities.csv` (optional) and `demand_2024.csv` (required).
//!
//! Every call releases the GIL, so Python threads route in parallel.

use std::path::PathBuf;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, header};
use http_body_util::BodyExt;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use tower::ServiceExt;

pyo3::create_exception!(_corridor, ApiError, PyException, "An API error: args are (status, JSON body).");

/// One loaded dataset and the router over it.
#[pyclass(frozen, module = "corridor._corridor")]
struct Engine {
    runtime: tokio::runtime::Runtime,
    app: axum::Router,
    /// The dataset directory; `None` is the embedded network.
    data: Option<PathBuf>,
}

/// The longest a single call may search: a notebook's batch job is not a web request, so the
/// server's 10 s budget is raised (and can be set per engine).
const DEFAULT_TIME_BUDGET_S: f64 = 600.0;

#[pymethods]
impl Engine {
    /// Loads `data` (a dataset directory; `None` is the embedded Eurasian network) with a time
    /// budget per call of `time_budget_s` seconds, and `scenario` (a scenario TOML) applied to
    /// the network as `corridor serve --scenario` does.
    #[new]
    #[pyo3(signature = (data=None, time_budget_s=DEFAULT_TIME_BUDGET_S, scenario=None))]
    fn new(py: Python<'_>, data: Option<PathBuf>, time_budget_s: f64, scenario: Option<PathBuf>) -> PyResult<Engine> {
        if !(time_budget_s.is_finite() && (0.001..=86_400.0).contains(&time_budget_s)) {
            return Err(PyValueError::new_err(format!(
                "time_budget_s: {time_budget_s} is outside 0.001–86400 seconds"
            )));
        }
        if let Some(d) = &data
            && d.extension().is_some_and(|e| e == "corridor")
        {
            return Err(PyValueError::new_err(format!(
                "{}: detailed snapshots are served by `corridor serve --data FILE`; the Python package reads dataset directories",
                d.display()
            )));
        }
        py.allow_threads(move || {
            let mut config = corridor_server::ServerConfig { data_dir: data.clone(), scenario, ..Default::default() };
            // The caller is the process itself, not a client on a network: the limits that
            // protect a shared server from one request are raised to what a batch job needs
            // (a 5,000 x 5,000 table, every location), and only the time budget is the user's.
            let limits = &mut config.limits;
            limits.time_budget = Duration::from_secs_f64(time_budget_s);
            limits.max_body_bytes = 256 << 20;
            limits.max_uri_bytes = 1 << 20;
            limits.max_locations = 10_000;
            limits.max_list_items = 10_000;
            limits.max_matrix_cells = 25_000_000;
            limits.max_results = 1_000_000;
            limits.max_concurrent = 1_024;
            let state = corridor_server::AppState::new(config).map_err(|e| PyValueError::new_err(e.to_string()))?;
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .map_err(|e| PyException::new_err(e.to_string()))?;
            Ok(Engine { runtime, app: corridor_server::app(state), data })
        })
    }

    /// Calls `path_and_query` (a GET) or, with `body`, POSTs the JSON `body` to `path`; returns
    /// the JSON answer, or raises [`ApiError`] with the status and the error body.
    #[pyo3(signature = (path, body=None))]
    fn call(&self, py: Python<'_>, path: &str, body: Option<String>) -> PyResult<String> {
        let request = match body {
            None => Request::builder().method(Method::GET).uri(path).body(Body::empty()),
            Some(b) => Request::builder()
                .method(Method::POST)
                .uri(path)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(b)),
        }
        .map_err(|e| PyValueError::new_err(format!("{path}: {e}")))?;
        let app = self.app.clone();
        let (status, bytes) = py.allow_threads(|| {
            self.runtime.block_on(async move {
                let response = app.oneshot(request).await.expect("the router is infallible");
                let status = response.status().as_u16();
                let bytes = response.into_body().collect().await.map(|c| c.to_bytes());
                (status, bytes)
            })
        });
        let bytes = bytes.map_err(|e| PyException::new_err(format!("reading the answer: {e}")))?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if status == 200 { Ok(text) } else { Err(ApiError::new_err((status, text))) }
    }

    /// The scenario diff of `corridor scenario diff`: the base and the scenario assigned
    /// (`method`: `equilibrium` or `hard-capacity`) on the engine's assignment inputs; returns
    /// `{"base": FlowReport, "scenario": FlowReport}` as JSON.
    #[pyo3(signature = (scenario_toml, base_toml=None, method="equilibrium"))]
    fn scenario_diff(
        &self,
        py: Python<'_>,
        scenario_toml: &str,
        base_toml: Option<&str>,
        method: &str,
    ) -> PyResult<String> {
        let method = assign_method(method)?;
        let parse = |t: &str| corridor_analytics::Scenario::parse(t).map_err(|e| PyValueError::new_err(e.to_string()));
        let scenario = parse(scenario_toml)?;
        let base = base_toml.map(parse).transpose()?;
        py.allow_threads(|| {
            let (model, demand) = self.assignment_inputs()?;
            let (a, b) = corridor_analytics::commands::scenario_pair(&model, &demand, base.as_ref(), &scenario, method)
                .map_err(|e| PyValueError::new_err(e.to_string()))?;
            Ok(serde_json::json!({"base": a, "scenario": b}).to_string())
        })
    }

    /// The criticality ranking of `corridor resilience` (hard capacity, each of the `top_n`
    /// busiest elements lost in turn) on the engine's assignment inputs, as JSON.
    #[pyo3(signature = (top_n=None))]
    fn resilience(&self, py: Python<'_>, top_n: Option<usize>) -> PyResult<String> {
        if top_n == Some(0) {
            return Err(PyValueError::new_err("top_n: must be at least 1"));
        }
        py.allow_threads(|| {
            let (model, demand) = self.assignment_inputs()?;
            let config = corridor_analytics::HardCapacityConfig::default();
            let r = corridor_analytics::resilience(&model, &demand, top_n, &config, &|_, _| {})
                .map_err(|e| PyException::new_err(e.to_string()))?;
            serde_json::to_string(&r).map_err(|e| PyException::new_err(e.to_string()))
        })
    }
}

impl Engine {
    /// The network, capacities and demand the assignment commands run on, read as the CLI
    /// reads them: the embedded curated network with its capacities and 2024 demand, or the
    /// dataset directory's network, its `capacities.csv` (none: no capacity limits) and its
    /// `demand_2024.csv` (required).
    fn assignment_inputs(&self) -> PyResult<(corridor_analytics::Model, corridor_analytics::Demand)> {
        let invalid = |e: String| PyValueError::new_err(e);
        let Some(dir) = &self.data else {
            return corridor_analytics::commands::default_inputs().map_err(|e| invalid(e.to_string()));
        };
        let files = corridor_io::DatasetFiles::from_dir(dir).map_err(|e| invalid(e.to_string()))?;
        let read = |name| corridor_io::dataset::read_optional(dir, name).map_err(|e| invalid(e.to_string()));
        let capacities = read("capacities.csv")?;
        let model = corridor_analytics::commands::load_model(&files, capacities.as_ref().map(|c| c.text.as_str()))
            .map_err(|e| invalid(e.to_string()))?;
        let demand = read("demand_2024.csv")?.ok_or_else(|| {
            invalid(format!("{}: the dataset has no demand_2024.csv, which the assignment needs", dir.display()))
        })?;
        let demand = corridor_analytics::Demand::parse(&model.network, &demand.path, &demand.text)
            .map_err(|errs| invalid(errs.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; ")))?;
        Ok((model, demand))
    }
}

fn assign_method(name: &str) -> PyResult<corridor_analytics::commands::AssignMethod> {
    use corridor_analytics::commands::AssignMethod;
    match name {
        "equilibrium" => Ok(AssignMethod::Equilibrium),
        "hard-capacity" | "hard_capacity" => Ok(AssignMethod::HardCapacity),
        other => Err(PyValueError::new_err(format!("method: {other:?} is not a method (equilibrium, hard-capacity)"))),
    }
}

/// The `corridor._corridor` module.
#[pymodule]
fn _corridor(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Engine>()?;
    m.add("ApiError", m.py().get_type::<ApiError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
