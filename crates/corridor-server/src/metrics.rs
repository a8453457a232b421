//! Prometheus metrics in the text exposition format (version 0.0.4), kept by hand: request
//! counts by endpoint and status, a latency histogram per endpoint, reloads, in-flight work and
//! the dataset being served.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Upper bounds of the latency histogram buckets, seconds.
pub const LATENCY_BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

#[derive(Default, Clone)]
struct Histogram {
    /// Count per bucket (not cumulative); the last entry is +Inf.
    buckets: [u64; LATENCY_BUCKETS.len() + 1],
    sum: f64,
    count: u64,
}

/// Request, latency and reload counters. Endpoints are route templates (`/v1/route`,
/// `/route/v1/{profile}/{coordinates}`), never raw paths, so the label set stays bounded.
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, u16), u64>>,
    latency: Mutex<BTreeMap<String, Histogram>>,
    reloads_ok: AtomicU64,
    reloads_rejected: AtomicU64,
    started: Instant,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            requests: Mutex::default(),
            latency: Mutex::default(),
            reloads_ok: AtomicU64::new(0),
            reloads_rejected: AtomicU64::new(0),
            started: Instant::now(),
        }
    }
}

fn escape(label: &str) -> String {
    label.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

impl Metrics {
    /// Counts one finished request.
    pub fn record_request(&self, endpoint: &str, status: u16, elapsed: Duration) {
        // A poisoned lock only means another thread panicked mid-update of a counter; the
        // counts are still usable, so keep going rather than failing every later request.
        let mut requests = self.requests.lock().unwrap_or_else(|p| p.into_inner());
        *requests.entry((endpoint.to_string(), status)).or_default() += 1;
        drop(requests);
        let secs = elapsed.as_secs_f64();
        let mut latency = self.latency.lock().unwrap_or_else(|p| p.into_inner());
        let h = latency.entry(endpoint.to_string()).or_default();
        let bucket = LATENCY_BUCKETS.iter().position(|&b| secs <= b).unwrap_or(LATENCY_BUCKETS.len());
        h.buckets[bucket] += 1;
        h.sum += secs;
        h.count += 1;
    }

    /// Counts one reload attempt.
    pub fn record_reload(&self, ok: bool) {
        let c = if ok { &self.reloads_ok } else { &self.reloads_rejected };
        c.fetch_add(1, Ordering::Relaxed);
    }

    /// Number of requests counted for `endpoint` with `status` (for tests).
    pub fn requests(&self, endpoint: &str, status: u16) -> u64 {
        let requests = self.requests.lock().unwrap_or_else(|p| p.into_inner());
        requests.get(&(endpoint.to_string(), status)).copied().unwrap_or(0)
    }

    /// The exposition text. `in_flight` is the number of requests doing work now.
    pub fn render(&self, data: &DatasetGauges<'_>, in_flight: usize) -> String {
        let mut out = self.render_requests(in_flight);
        self.render_dataset(&mut out, data);
        self.render_uptime(&mut out);
        out
    }

    /// The request counters, latency histograms and in-flight gauge (what every server kind
    /// reports; the snapshot server adds its own gauges to these).
    pub fn render_requests(&self, in_flight: usize) -> String {
        let mut out = String::new();
        out.push_str("# HELP corridor_http_requests_total HTTP requests answered, by endpoint and status.\n");
        out.push_str("# TYPE corridor_http_requests_total counter\n");
        for ((endpoint, status), n) in self.requests.lock().unwrap_or_else(|p| p.into_inner()).iter() {
            let _ = writeln!(
                out,
                "corridor_http_requests_total{{endpoint=\"{}\",status=\"{status}\"}} {n}",
                escape(endpoint)
            );
        }
        out.push_str("# HELP corridor_http_request_duration_seconds Time to answer a request, by endpoint.\n");
        out.push_str("# TYPE corridor_http_request_duration_seconds histogram\n");
        for (endpoint, h) in self.latency.lock().unwrap_or_else(|p| p.into_inner()).iter() {
            let e = escape(endpoint);
            let mut cumulative = 0;
            for (i, n) in h.buckets.iter().enumerate() {
                cumulative += n;
                let le = LATENCY_BUCKETS.get(i).map_or("+Inf".to_string(), |b| b.to_string());
                let _ = writeln!(
                    out,
                    "corridor_http_request_duration_seconds_bucket{{endpoint=\"{e}\",le=\"{le}\"}} {cumulative}"
                );
            }
            let _ = writeln!(out, "corridor_http_request_duration_seconds_sum{{endpoint=\"{e}\"}} {}", h.sum);
            let _ = writeln!(out, "corridor_http_request_duration_seconds_count{{endpoint=\"{e}\"}} {}", h.count);
        }
        out.push_str("# HELP corridor_in_flight_requests Requests doing work now (routing, search, reload).\n");
        out.push_str("# TYPE corridor_in_flight_requests gauge\n");
        let _ = writeln!(out, "corridor_in_flight_requests {in_flight}");
        out
    }

    /// The reload counters and the dataset's gauges.
    fn render_dataset(&self, out: &mut String, data: &DatasetGauges<'_>) {
        out.push_str("# HELP corridor_dataset_reloads_total Dataset reload attempts, by result.\n");
        out.push_str("# TYPE corridor_dataset_reloads_total counter\n");
        let _ = writeln!(
            out,
            "corridor_dataset_reloads_total{{result=\"ok\"}} {}",
            self.reloads_ok.load(Ordering::Relaxed)
        );
        let _ = writeln!(
            out,
            "corridor_dataset_reloads_total{{result=\"rejected\"}} {}",
            self.reloads_rejected.load(Ordering::Relaxed)
        );
        let info = data.info;
        out.push_str("# HELP corridor_dataset_info The dataset being served (always 1).\n");
        out.push_str("# TYPE corridor_dataset_info gauge\n");
        let _ = writeln!(
            out,
            "corridor_dataset_info{{name=\"{}\",version=\"{}\",origin=\"{}\"}} 1",
            escape(&info.name),
            escape(&info.version),
            escape(data.origin)
        );
        out.push_str("# HELP corridor_dataset_locations Locations in the dataset being served.\n");
        out.push_str("# TYPE corridor_dataset_locations gauge\n");
        let _ = writeln!(out, "corridor_dataset_locations {}", data.locations);
        out.push_str("# HELP corridor_dataset_links Links in the dataset being served.\n");
        out.push_str("# TYPE corridor_dataset_links gauge\n");
        let _ = writeln!(out, "corridor_dataset_links {}", data.links);
        out.push_str("# HELP corridor_dataset_loaded_timestamp_seconds When the dataset being served was loaded.\n");
        out.push_str("# TYPE corridor_dataset_loaded_timestamp_seconds gauge\n");
        let _ = writeln!(out, "corridor_dataset_loaded_timestamp_seconds {}", data.loaded_at);
        out.push_str(
            "# HELP corridor_search_cache_lookups_total Memoised metrics, arc measure tables, reliability results and static routes of the dataset being served, by result (reset by a reload).\n",
        );
        out.push_str("# TYPE corridor_search_cache_lookups_total counter\n");
        let c = data.cache;
        for (kind, result, n) in [
            ("metric", "hit", c.metric_hits),
            ("metric", "miss", c.metric_misses),
            ("reliability", "hit", c.reliability_hits),
            ("reliability", "miss", c.reliability_misses),
            ("route", "hit", c.route_hits),
            ("route", "miss", c.route_misses),
            ("measure", "hit", c.measure_hits),
            ("measure", "miss", c.measure_misses),
        ] {
            let _ = writeln!(out, "corridor_search_cache_lookups_total{{kind=\"{kind}\",result=\"{result}\"}} {n}");
        }
    }

    /// Seconds since the server started.
    pub fn render_uptime(&self, out: &mut String) {
        out.push_str("# HELP corridor_uptime_seconds Seconds since the server started.\n");
        out.push_str("# TYPE corridor_uptime_seconds gauge\n");
        let _ = writeln!(out, "corridor_uptime_seconds {:.3}", self.started.elapsed().as_secs_f64());
    }
}

/// What `/metrics` reports of the dataset being served. Filled by the caller, so this module
/// needs nothing of the server state (no `metrics` <-> `state` cycle).
#[derive(Clone, Copy, Debug)]
pub struct DatasetGauges<'a> {
    /// Name, version and description.
    pub info: &'a corridor_model::DatasetInfo,
    /// Where it was read from.
    pub origin: &'a str,
    /// Locations.
    pub locations: usize,
    /// Links.
    pub links: usize,
    /// Load time, seconds since the Unix epoch.
    pub loaded_at: u64,
    /// Hits and misses of the dataset's search cache (since it was loaded).
    pub cache: corridor_search::CacheStats,
}
