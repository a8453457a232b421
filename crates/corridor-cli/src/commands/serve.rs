//! `corridor serve`: the HTTP JSON API on the dataset, or OSRM's services on a detailed snapshot.

use std::path::PathBuf;

use crate::args::ServeArgs;
use crate::common::{Failure, fail, load, snapshot};
use crate::detailed;

/// Checks the limits, then serves until stopped.
pub(crate) fn run(data: Option<&PathBuf>, args: ServeArgs) -> Result<(), Failure> {
    let ServeArgs { bind, api_key_file, cors, max_concurrent, time_budget, max_labels, max_table_size, presets, eager } =
        args;
    if let Some(n) = max_labels
        && !(1_000..=50_000_000).contains(&n)
    {
        return Err(fail(2, format!("--max-labels {n}: must be between 1000 and 50000000")));
    }
    if !(1..=10_000).contains(&max_table_size) {
        return Err(fail(2, format!("--max-table-size {max_table_size}: must be between 1 and 10000")));
    }
    // Bounded above too: a deadline of 1e20 s does not fit a Duration, and nothing a route
    // computes needs an hour.
    if !(time_budget.is_finite() && (0.001..=3600.0).contains(&time_budget)) {
        return Err(fail(2, format!("--time-budget {time_budget:?}: must be between 0.001 and 3600 seconds")));
    }
    if !(1..=100_000).contains(&max_concurrent) {
        return Err(fail(2, format!("--max-concurrent {max_concurrent}: must be between 1 and 100000")));
    }
    let api_key = api_key_file
        .as_deref()
        .map(corridor_server::read_api_key_file)
        .transpose()
        .map_err(|e| fail(2, e.to_string()))?;
    let snapshot = snapshot(data);
    if snapshot.is_none() {
        // Honoured or refused, never ignored: the dataset server has no CCH profiles.
        if !presets.is_empty() {
            return Err(fail(2, "--presets: applies only with a detailed snapshot (--data X.corridor)".to_string()));
        }
        if eager {
            return Err(fail(2, "--eager: applies only with a detailed snapshot (--data X.corridor)".to_string()));
        }
    } else if max_labels.is_some() {
        return Err(fail(2, "--max-labels: a detailed snapshot runs no multi-criteria search".to_string()));
    }
    let config = corridor_server::ServerConfig {
        bind,
        data_dir: if snapshot.is_some() { None } else { data.cloned() },
        limits: corridor_server::Limits {
            max_concurrent,
            time_budget: std::time::Duration::from_secs_f64(time_budget),
            max_table_size,
            max_labels: max_labels.unwrap_or(corridor_server::Limits::default().max_labels),
            ..Default::default()
        },
        api_key,
        cors,
    };
    if let Some(path) = snapshot {
        return detailed::serve(path, config, &load(None)?.defaults, &presets, eager);
    }
    corridor_server::run(config).map_err(|e| match e {
        corridor_server::Error::Config(_) | corridor_server::Error::ApiKeyFile { .. } => fail(2, e.to_string()),
        _ => fail(1, e.to_string()),
    })
}
