//! `corridor serve`: the HTTP JSON API on the dataset, or OSRM's services on a detailed snapshot.
//!
//! Settings come from three places, later ones winning: the defaults (`Limits::default()`),
//! the `--config` TOML file, and the command-line flags. Every value is range-checked after the
//! merge, with the same rules whichever place it came from.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::args::ServeArgs;
use crate::common::{Failure, fail, load, snapshot};
use crate::detailed;

/// The `--config` file: `[server]` and `[limits]`, every key optional, unknown keys refused.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    server: ServerSection,
    #[serde(default)]
    limits: LimitsSection,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServerSection {
    bind: Option<std::net::SocketAddr>,
    api_key_file: Option<PathBuf>,
    cors: Option<bool>,
    presets: Option<Vec<String>>,
    eager: Option<bool>,
    scenario: Option<PathBuf>,
}

/// Every field of `corridor_server::Limits`; durations in seconds.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LimitsSection {
    max_body_bytes: Option<usize>,
    max_locations: Option<usize>,
    max_list_items: Option<usize>,
    max_matrix_cells: Option<usize>,
    max_table_size: Option<usize>,
    max_results: Option<usize>,
    max_samples: Option<usize>,
    time_budget: Option<f64>,
    max_labels: Option<usize>,
    max_concurrent: Option<usize>,
    max_snap_km: Option<f64>,
    body_timeout: Option<f64>,
    header_timeout: Option<f64>,
    max_connections: Option<usize>,
    reload_timeout: Option<f64>,
    max_uri_bytes: Option<usize>,
    max_header_bytes: Option<usize>,
    max_headers: Option<usize>,
}

/// Largest accepted config file: a few dozen keys.
const MAX_CONFIG_BYTES: u64 = 64 << 10;

fn read_config(path: &Path) -> Result<ConfigFile, Failure> {
    let text = corridor_io::files::read_text(path, MAX_CONFIG_BYTES)
        .map_err(|e| fail(2, format!("--config {}: {e}", path.display())))?;
    toml::from_str(&text).map_err(|e| {
        // toml names the line and column, and the key for unknown or mistyped ones.
        fail(2, format!("--config {}: {}", path.display(), e.to_string().trim_end()))
    })
}

/// `seconds` (from `key` in `origin`) as a Duration, checked to lie in `range`.
fn seconds(origin: &str, key: &str, s: f64, range: std::ops::RangeInclusive<f64>) -> Result<Duration, Failure> {
    if !(s.is_finite() && range.contains(&s)) {
        return Err(fail(
            2,
            format!("{origin}{key} {s:?}: must be between {} and {} seconds", range.start(), range.end()),
        ));
    }
    Ok(Duration::from_secs_f64(s))
}

/// `n` (from `key` in `origin`) checked to lie in `range`.
fn count(origin: &str, key: &str, n: usize, range: std::ops::RangeInclusive<usize>) -> Result<usize, Failure> {
    if !range.contains(&n) {
        return Err(fail(2, format!("{origin}{key} {n}: must be between {} and {}", range.start(), range.end())));
    }
    Ok(n)
}

/// The flag's value, else the file's, else `default`; a given value goes through `check` with
/// the origin and name it came from (`--` and the flag, or the file and its key).
fn pick<T, U>(
    flag_value: Option<T>,
    file_value: Option<T>,
    default: U,
    flag: (&str, &str),
    file: (&str, &str),
    check: impl Fn(&str, &str, T) -> Result<U, Failure>,
) -> Result<U, Failure> {
    match (flag_value, file_value) {
        (Some(v), _) => check(flag.0, flag.1, v),
        (None, Some(v)) => check(file.0, file.1, v),
        (None, None) => Ok(default),
    }
}

/// Checks the limits, then serves until stopped.
pub(crate) fn run(data: Option<&PathBuf>, args: ServeArgs) -> Result<(), Failure> {
    let file = match &args.config {
        Some(p) => read_config(p)?,
        None => ConfigFile::default(),
    };
    let from_file = args.config.as_ref().map(|p| format!("--config {}: limits.", p.display())).unwrap_or_default();
    let (flag, cfg) = ("--", from_file.as_str());
    let (l, d) = (&file.limits, corridor_server::Limits::default());
    // A flag wins over the file; each value is checked with the name of where it came from.
    let pick_count = |flag_value: Option<usize>,
                      file_value: Option<usize>,
                      default: usize,
                      flag_name: &str,
                      key: &str,
                      range: std::ops::RangeInclusive<usize>| {
        pick(flag_value, file_value, default, (flag, flag_name), (cfg, key), |o, k, v| count(o, k, v, range.clone()))
    };
    let pick_secs = |flag_value: Option<f64>,
                     file_value: Option<f64>,
                     default: Duration,
                     flag_name: &str,
                     key: &str,
                     range: std::ops::RangeInclusive<f64>| {
        pick(flag_value, file_value, default, (flag, flag_name), (cfg, key), |o, k, v| seconds(o, k, v, range.clone()))
    };
    // Bounded above too: a deadline of 1e20 s does not fit a Duration, and nothing a route
    // computes needs an hour.
    let time_budget =
        pick_secs(args.time_budget, l.time_budget, d.time_budget, "time-budget", "time_budget", 0.001..=3600.0)?;
    let max_concurrent = pick_count(
        args.max_concurrent,
        l.max_concurrent,
        d.max_concurrent,
        "max-concurrent",
        "max_concurrent",
        1..=100_000,
    )?;
    let max_table_size = pick_count(
        args.max_table_size,
        l.max_table_size,
        d.max_table_size,
        "max-table-size",
        "max_table_size",
        1..=10_000,
    )?;
    let max_labels =
        pick_count(args.max_labels, l.max_labels, d.max_labels, "max-labels", "max_labels", 1_000..=50_000_000)?;
    let file_only = |v: Option<usize>, default: usize, key: &str, range: std::ops::RangeInclusive<usize>| {
        pick_count(None, v, default, key, key, range)
    };
    let file_secs = |v: Option<f64>, default: Duration, key: &str, range: std::ops::RangeInclusive<f64>| {
        pick_secs(None, v, default, key, key, range)
    };
    let max_snap_km = match l.max_snap_km {
        Some(km) if !(km.is_finite() && (0.0..=20_000.0).contains(&km)) => {
            return Err(fail(2, format!("{cfg}max_snap_km {km:?}: must be between 0 and 20000 km")));
        }
        Some(km) => km,
        None => d.max_snap_km,
    };
    let limits = corridor_server::Limits {
        max_body_bytes: file_only(l.max_body_bytes, d.max_body_bytes, "max_body_bytes", 1..=64 << 20)?,
        max_locations: file_only(l.max_locations, d.max_locations, "max_locations", 2..=10_000)?,
        max_list_items: file_only(l.max_list_items, d.max_list_items, "max_list_items", 1..=10_000)?,
        max_matrix_cells: file_only(l.max_matrix_cells, d.max_matrix_cells, "max_matrix_cells", 1..=100_000_000)?,
        max_table_size,
        max_results: file_only(l.max_results, d.max_results, "max_results", 1..=100_000)?,
        max_samples: file_only(l.max_samples, d.max_samples, "max_samples", 1..=1_000_000)?,
        time_budget,
        max_labels,
        max_concurrent,
        max_snap_km,
        body_timeout: file_secs(l.body_timeout, d.body_timeout, "body_timeout", 0.001..=3600.0)?,
        header_timeout: file_secs(l.header_timeout, d.header_timeout, "header_timeout", 0.001..=3600.0)?,
        max_connections: file_only(l.max_connections, d.max_connections, "max_connections", 1..=1_000_000)?,
        reload_timeout: file_secs(l.reload_timeout, d.reload_timeout, "reload_timeout", 0.001..=86_400.0)?,
        max_uri_bytes: file_only(l.max_uri_bytes, d.max_uri_bytes, "max_uri_bytes", 64..=60 << 10)?,
        max_header_bytes: file_only(l.max_header_bytes, d.max_header_bytes, "max_header_bytes", 256..=256 << 10)?,
        max_headers: file_only(l.max_headers, d.max_headers, "max_headers", 8..=corridor_server::HTTP_MAX_HEADERS)?,
    };
    limits.check().map_err(|e| fail(2, e))?;

    let s = &file.server;
    let bind = args.bind.or(s.bind).unwrap_or(corridor_server::ServerConfig::default().bind);
    let cors = args.cors || s.cors.unwrap_or(false);
    let eager = args.eager || s.eager.unwrap_or(false);
    let presets = if args.presets.is_empty() { s.presets.clone().unwrap_or_default() } else { args.presets };
    let api_key_file = args.api_key_file.or_else(|| s.api_key_file.clone());
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
    } else if args.max_labels.is_some() || l.max_labels.is_some() {
        return Err(fail(2, "--max-labels: a detailed snapshot runs no multi-criteria search".to_string()));
    }
    let scenario = args.scenario.clone().or_else(|| s.scenario.clone());
    if snapshot.is_some() && scenario.is_some() {
        return Err(fail(2, "--scenario: on the curated network only (not with --data SNAPSHOT)".to_string()));
    }
    let config = corridor_server::ServerConfig {
        bind,
        data_dir: if snapshot.is_some() { None } else { data.cloned() },
        limits,
        api_key,
        cors,
        scenario,
    };
    if let Some(path) = snapshot {
        return detailed::serve(path, config, &load(None)?.defaults, &presets, eager);
    }
    corridor_server::run(config).map_err(|e| match e {
        corridor_server::Error::Config(_) | corridor_server::Error::ApiKeyFile { .. } => fail(2, e.to_string()),
        _ => fail(1, e.to_string()),
    })
}
