//! Request parameters of `/v1/route`, `/v1/compare`, `/v1/pareto` and `/v1/table`, from a query
//! string (GET) or a JSON body (POST), and their validation against the dataset being served.
//!
//! Both forms end up as one [`RouteParams`] (or [`TableParams`]), so GET and POST accept
//! exactly the same things and fail with the same messages. In a query string a list parameter may be repeated
//! (`avoid_country=RU&avoid_country=IR`) or comma-separated (`avoid_country=RU,IR`).

use corridor_model::{CargoUnit, Mode, Tonnes};
use corridor_search::{Avoid, Optimize, RouteRequest};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::config::Limits;
use crate::error::{ApiError, ErrorCode};
use crate::state::LoadedDataset;

/// Largest accepted payload, tonnes (ISO container gross limit minus tare, rounded).
pub const MAX_PAYLOAD_T: f64 = 30.5;

/// A routing query: the JSON body of `POST /v1/route` and `POST /v1/compare`, and the
/// parameters of their GET forms.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, ToSchema, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RouteParams {
    /// Origin: id (UN/LOCODE), name or alias in any case or script (`Xi'an`, `CNXIA`, `西安`).
    #[schema(example = "CNXIA")]
    #[param(example = "CNXIA")]
    pub from: String,
    /// Destination, like `from`.
    #[schema(example = "DEDUI")]
    #[param(example = "DEDUI")]
    pub to: String,
    /// What to minimise: `time`, `cost`, `co2` or `balanced` (default).
    #[serde(default)]
    pub optimize: Option<String>,
    /// Container unit: `teu` (default) or `feu`.
    #[serde(default)]
    pub unit: Option<String>,
    /// Net cargo tonnes in the container, 0 to 30.5 (default: the dataset's payload for the
    /// unit).
    #[serde(default)]
    pub payload_t: Option<f64>,
    /// Countries not to enter (ISO 3166-1 alpha-2). GET: comma-separated or repeated.
    #[serde(default)]
    #[param(explode = false)]
    pub avoid_country: Vec<String>,
    /// Modes not to use: `rail`, `road`, `sea`, `ferry`.
    #[serde(default)]
    #[param(explode = false)]
    pub avoid_mode: Vec<String>,
    /// Locations not to pass through (ids, names or aliases).
    #[serde(default)]
    #[param(explode = false)]
    pub avoid_location: Vec<String>,
    /// Border crossings not to use (ids from the dataset's borders.csv).
    #[serde(default)]
    #[param(explode = false)]
    pub avoid_border: Vec<String>,
    /// Only this corridor's links plus untagged feeders (`/v1/route` only).
    #[serde(default)]
    pub corridor: Option<String>,
    /// Value of time, USD per TEU-hour, for `optimize=balanced` (default: the dataset's).
    #[serde(default)]
    pub value_of_time: Option<f64>,
    /// Carbon price, USD per tonne CO2e, for `optimize=balanced` (default: the dataset's).
    #[serde(default)]
    pub carbon_price: Option<f64>,
    /// Departure time, ISO 8601 (`2026-12-01T08:00+05:00`; without an offset: local time at
    /// the origin). Makes the search wait for actual departures and adds local arrival times.
    #[serde(default)]
    pub depart: Option<String>,
    /// Latest acceptable arrival, ISO 8601 (needs `depart`; without an offset: local time at
    /// the destination).
    #[serde(default)]
    pub latest_arrival: Option<String>,
    /// At most this many container lifts (transshipments and port handling).
    #[serde(default)]
    pub max_transshipments: Option<u32>,
    /// Forbid changes of rail gauge.
    #[serde(default)]
    pub avoid_gauge_changes: Option<bool>,
    /// Monte Carlo draws for the P50/P90/P95 times (`/v1/route`, `/v1/pareto`; default 2000,
    /// at most the server's `max_samples`).
    #[serde(default)]
    pub samples: Option<usize>,
    /// Seed of the simulation (same seed, same answer; default 42).
    #[serde(default)]
    pub seed: Option<u64>,
    /// `/v1/pareto` only: drop routes within this relative difference of a kept one on time,
    /// cost and CO2e at once, 0 to 1 (default 0.02; 0 keeps all).
    #[serde(default)]
    pub collapse: Option<f64>,
    /// `geojson` adds a GeoJSON FeatureCollection of the route(s) as `geometry`.
    #[serde(default)]
    pub geometry: Option<String>,
}

/// Which endpoint the parameters are for: each accepts a slightly different set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    /// `/v1/route`.
    Route,
    /// `/v1/compare`: no `corridor`, `samples`, `seed` or `collapse`.
    Compare,
    /// `/v1/pareto`.
    Pareto,
}

impl Endpoint {
    /// The parameters this endpoint refuses although `/v1/route` or `/v1/pareto` takes them.
    fn refused(self) -> &'static [&'static str] {
        match self {
            Endpoint::Route => &["collapse"],
            Endpoint::Compare => &["corridor", "samples", "seed", "collapse"],
            Endpoint::Pareto => &[],
        }
    }

    fn path(self) -> &'static str {
        match self {
            Endpoint::Route => "/v1/route",
            Endpoint::Compare => "/v1/compare",
            Endpoint::Pareto => "/v1/pareto",
        }
    }
}

/// Default Monte Carlo draws (as the CLI).
pub const DEFAULT_SAMPLES: usize = 2000;
/// Default simulation seed (as the CLI).
pub const DEFAULT_SEED: u64 = 42;
/// Default relative tolerance for collapsing near-identical Pareto routes (as the CLI).
pub const DEFAULT_COLLAPSE: f64 = 0.02;

/// Parses an ISO 8601 instant; without an offset, the time is local at `at`.
fn parse_time(key: &str, s: &str, at: &corridor_model::Location) -> Result<jiff::Timestamp, ApiError> {
    if let Ok(t) = s.trim().parse::<jiff::Timestamp>() {
        return Ok(t);
    }
    let civil = s.trim().parse::<jiff::civil::DateTime>().map_err(|_| {
        ApiError::invalid_value(key, s, "not an ISO 8601 time such as 2026-12-01T08:00+05:00 or 2026-12-01T08:00")
    })?;
    let tz = jiff::tz::TimeZone::get(&at.tz)
        .map_err(|e| ApiError::invalid_value(key, s, format!("time zone {} of {}: {e}", at.tz, at.code)))?;
    civil.to_zoned_datetime(tz).map(|z| z.timestamp()).map_err(|e| ApiError::invalid_value(key, s, e))
}

/// Query-string pairs in order, with helpers that name the parameter in every error.
pub struct Pairs(pub Vec<(String, String)>);

impl Pairs {
    /// Fails with `InvalidQuery` on the first parameter not in `known`.
    pub fn check_known(&self, known: &[&str]) -> Result<(), ApiError> {
        match self.0.iter().find(|(k, _)| !known.contains(&k.as_str())) {
            Some((k, _)) => {
                Err(ApiError::invalid_query(k, format!("unknown parameter {k:?} (accepted: {})", known.join(", "))))
            }
            None => Ok(()),
        }
    }

    /// The value of a parameter that may appear at most once.
    pub fn single(&self, key: &str) -> Result<Option<String>, ApiError> {
        let mut values = self.0.iter().filter(|(k, _)| k == key).map(|(_, v)| v);
        let first = values.next().cloned();
        if values.next().is_some() {
            return Err(ApiError::invalid_query(key, format!("parameter {key:?} given more than once")));
        }
        Ok(first)
    }

    /// A list parameter: all occurrences, each split at commas, trimmed, empties dropped.
    pub fn list(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .flat_map(|(_, v)| v.split(','))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    }

    /// A number parameter.
    pub fn number(&self, key: &str) -> Result<Option<f64>, ApiError> {
        match self.single(key)? {
            None => Ok(None),
            Some(v) => v.trim().parse::<f64>().map(Some).map_err(|_| ApiError::invalid_value(key, &v, "not a number")),
        }
    }

    /// A non-negative integer parameter.
    pub fn integer<T: std::str::FromStr>(&self, key: &str) -> Result<Option<T>, ApiError> {
        match self.single(key)? {
            None => Ok(None),
            Some(v) => v
                .trim()
                .parse::<T>()
                .map(Some)
                .map_err(|_| ApiError::invalid_value(key, &v, "not a non-negative integer in range")),
        }
    }

    /// A boolean parameter: `true`/`false`/`1`/`0`; present without a value means true.
    pub fn boolean(&self, key: &str) -> Result<Option<bool>, ApiError> {
        match self.single(key)?.as_deref().map(str::trim) {
            None => Ok(None),
            Some("" | "true" | "1") => Ok(Some(true)),
            Some("false" | "0") => Ok(Some(false)),
            Some(v) => Err(ApiError::invalid_value(key, v, "expected true or false")),
        }
    }
}

const ROUTE_KEYS: [&str; 20] = [
    "from",
    "to",
    "optimize",
    "unit",
    "payload_t",
    "avoid_country",
    "avoid_mode",
    "avoid_location",
    "avoid_border",
    "corridor",
    "value_of_time",
    "carbon_price",
    "depart",
    "latest_arrival",
    "max_transshipments",
    "avoid_gauge_changes",
    "samples",
    "seed",
    "collapse",
    "geometry",
];

impl RouteParams {
    /// The parameters of a GET query string.
    pub fn from_pairs(pairs: &Pairs) -> Result<RouteParams, ApiError> {
        pairs.check_known(&ROUTE_KEYS)?;
        let required = |key: &str| -> Result<String, ApiError> {
            pairs
                .single(key)?
                .filter(|v| !v.trim().is_empty())
                .ok_or_else(|| ApiError::invalid_query(key, format!("missing parameter {key:?}")))
        };
        Ok(RouteParams {
            from: required("from")?,
            to: required("to")?,
            optimize: pairs.single("optimize")?,
            unit: pairs.single("unit")?,
            payload_t: pairs.number("payload_t")?,
            avoid_country: pairs.list("avoid_country"),
            avoid_mode: pairs.list("avoid_mode"),
            avoid_location: pairs.list("avoid_location"),
            avoid_border: pairs.list("avoid_border"),
            corridor: pairs.single("corridor")?,
            value_of_time: pairs.number("value_of_time")?,
            carbon_price: pairs.number("carbon_price")?,
            depart: pairs.single("depart")?,
            latest_arrival: pairs.single("latest_arrival")?,
            max_transshipments: pairs.integer("max_transshipments")?,
            avoid_gauge_changes: pairs.boolean("avoid_gauge_changes")?,
            samples: pairs.integer("samples")?,
            seed: pairs.integer("seed")?,
            collapse: pairs.number("collapse")?,
            geometry: pairs.single("geometry")?,
        })
    }

    /// Whether GeoJSON geometry was asked for (`geometry=geojson`; `none` or absent: no).
    pub fn wants_geometry(&self) -> Result<bool, ApiError> {
        match self.geometry.as_deref().map(str::trim) {
            None | Some("") | Some("none") => Ok(false),
            Some("geojson") => Ok(true),
            Some(other) => Err(ApiError::invalid_value("geometry", other, "expected geojson or none")),
        }
    }

    /// The simulation settings: (samples, seed), checked against the limits.
    pub fn simulation(&self, limits: &Limits) -> Result<(usize, u64), ApiError> {
        let samples = self.samples.unwrap_or(DEFAULT_SAMPLES.min(limits.max_samples));
        if !(1..=limits.max_samples).contains(&samples) {
            return Err(ApiError::invalid_value(
                "samples",
                &samples.to_string(),
                format!("must be between 1 and {}", limits.max_samples),
            ));
        }
        Ok((samples, self.seed.unwrap_or(DEFAULT_SEED)))
    }

    /// The Pareto collapse tolerance, 0 to 1.
    pub fn collapse(&self) -> Result<f64, ApiError> {
        let c = self.collapse.unwrap_or(DEFAULT_COLLAPSE);
        if !(0.0..=1.0).contains(&c) {
            return Err(ApiError::invalid_value("collapse", &c.to_string(), "must be between 0 and 1"));
        }
        Ok(c)
    }

    /// Validates the parameters against the dataset and the limits for `endpoint`.
    pub fn to_request(
        &self,
        data: &LoadedDataset,
        limits: &Limits,
        endpoint: Endpoint,
    ) -> Result<RouteRequest, ApiError> {
        let given = |key: &str| match key {
            "corridor" => self.corridor.is_some(),
            "samples" => self.samples.is_some(),
            "seed" => self.seed.is_some(),
            "collapse" => self.collapse.is_some(),
            _ => false,
        };
        if let Some(key) = endpoint.refused().iter().find(|k| given(k)) {
            return Err(ApiError::invalid_query(
                key,
                format!("parameter {key:?} is not accepted by {}", endpoint.path()),
            ));
        }
        let net = &data.network;
        let named = 2 + self.avoid_location.len();
        if named > limits.max_locations {
            return Err(ApiError::new(
                ErrorCode::TooBig,
                format!(
                    "the request names {named} locations (from, to and {} in avoid_location); the limit is {}",
                    self.avoid_location.len(),
                    limits.max_locations
                ),
            )
            .param("avoid_location"));
        }
        for (key, list) in [
            ("avoid_country", &self.avoid_country),
            ("avoid_mode", &self.avoid_mode),
            ("avoid_border", &self.avoid_border),
        ] {
            if list.len() > limits.max_list_items {
                return Err(ApiError::new(
                    ErrorCode::TooBig,
                    format!("{key} has {} entries; the limit is {}", list.len(), limits.max_list_items),
                )
                .param(key));
            }
        }
        let from = data.index.find(&self.from).map_err(|e| ApiError::lookup(e, "from", None))?;
        let to = data.index.find(&self.to).map_err(|e| ApiError::lookup(e, "to", None))?;
        let mut req = RouteRequest::new(&net.defaults, from, to);
        if let Some(o) = &self.optimize {
            req.optimize = o.trim().parse::<Optimize>().map_err(|e| ApiError::invalid_value("optimize", o, e))?;
        }
        if let Some(u) = &self.unit {
            req.unit = match u.trim().to_ascii_lowercase().as_str() {
                "teu" => CargoUnit::Teu,
                "feu" => CargoUnit::Feu,
                _ => return Err(ApiError::invalid_value("unit", u, "expected teu or feu")),
            };
        }
        req.payload = match (self.payload_t, req.unit) {
            (Some(t), _) if t.is_finite() && (0.0..=MAX_PAYLOAD_T).contains(&t) => Tonnes(t),
            (Some(t), _) => {
                return Err(ApiError::invalid_value(
                    "payload_t",
                    &t.to_string(),
                    format!("must be between 0 and {MAX_PAYLOAD_T} tonnes (container payload limit)"),
                ));
            }
            (None, CargoUnit::Teu) => net.defaults.payload_t_teu.value,
            (None, CargoUnit::Feu) => net.defaults.payload_t_feu.value,
        };
        for (key, value, slot) in [
            ("value_of_time", self.value_of_time, &mut req.value_of_time),
            ("carbon_price", self.carbon_price, &mut req.carbon_price),
        ] {
            if let Some(v) = value {
                if !(v.is_finite() && v >= 0.0) {
                    return Err(ApiError::invalid_value(key, &v.to_string(), "must be a non-negative number"));
                }
                *slot = v;
            }
        }
        let mut avoid = Avoid::default();
        for (i, c) in self.avoid_country.iter().enumerate() {
            let code = c.trim().to_ascii_uppercase();
            if !data.countries.contains(&code) {
                return Err(ApiError::invalid_value(
                    "avoid_country",
                    c,
                    format!("no location of the network is in that country (known: {})", data.countries.join(",")),
                )
                .index(i));
            }
            avoid.countries.push(code);
        }
        for (i, m) in self.avoid_mode.iter().enumerate() {
            let mode = m
                .trim()
                .to_ascii_lowercase()
                .parse::<Mode>()
                .map_err(|e| ApiError::invalid_value("avoid_mode", m, e).index(i))?;
            avoid.modes.push(mode);
        }
        for (i, l) in self.avoid_location.iter().enumerate() {
            avoid.locations.push(data.index.find(l).map_err(|e| ApiError::lookup(e, "avoid_location", Some(i)))?);
        }
        for (i, b) in self.avoid_border.iter().enumerate() {
            if !net.borders.iter().any(|x| x.code == *b) {
                let mut known: Vec<&str> = net.borders.iter().map(|x| x.code.as_str()).collect();
                known.sort();
                known.dedup();
                return Err(ApiError::invalid_value(
                    "avoid_border",
                    b,
                    format!("unknown border crossing (known: {})", known.join(", ")),
                )
                .index(i));
            }
            avoid.borders.push(b.clone());
        }
        req.avoid = avoid;
        req.depart = self.depart.as_deref().map(|s| parse_time("depart", s, net.location(from))).transpose()?;
        req.latest_arrival =
            self.latest_arrival.as_deref().map(|s| parse_time("latest_arrival", s, net.location(to))).transpose()?;
        if req.latest_arrival.is_some() && req.depart.is_none() {
            return Err(ApiError::invalid_query("latest_arrival", "latest_arrival needs depart"));
        }
        req.max_transshipments = self.max_transshipments;
        req.avoid_gauge_changes = self.avoid_gauge_changes.unwrap_or(false);
        if let Some(c) = &self.corridor {
            req.corridor = Some(net.corridor_by_code(c.trim()).ok_or_else(|| {
                let known: Vec<&str> = net.corridors.iter().map(|c| c.code.as_str()).collect();
                ApiError::invalid_value("corridor", c, format!("unknown corridor (known: {})", known.join(", ")))
            })?);
        }
        Ok(req)
    }
}

/// A many-to-many table query: the JSON body of `POST /v1/table` and the parameters of its
/// GET form.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, ToSchema, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TableParams {
    /// Origins: ids, names or aliases, like `from` of `/v1/route`. GET: comma-separated or
    /// repeated.
    #[schema(example = json!(["CNXIA", "CNCKG"]))]
    #[param(explode = false, example = "CNXIA,CNCKG")]
    pub sources: Vec<String>,
    /// Destinations, like `sources` (default: the sources).
    #[serde(default)]
    #[param(explode = false)]
    pub targets: Vec<String>,
    /// What to minimise: `time`, `cost`, `co2` or `balanced` (default).
    #[serde(default)]
    pub optimize: Option<String>,
    /// Container unit: `teu` (default) or `feu`.
    #[serde(default)]
    pub unit: Option<String>,
    /// Net cargo tonnes in the container, 0 to 30.5 (default: the dataset's payload for the
    /// unit).
    #[serde(default)]
    pub payload_t: Option<f64>,
    /// Countries not to enter (ISO 3166-1 alpha-2).
    #[serde(default)]
    #[param(explode = false)]
    pub avoid_country: Vec<String>,
    /// Modes not to use: `rail`, `road`, `sea`, `ferry`.
    #[serde(default)]
    #[param(explode = false)]
    pub avoid_mode: Vec<String>,
    /// Locations not to pass through (ids, names or aliases).
    #[serde(default)]
    #[param(explode = false)]
    pub avoid_location: Vec<String>,
    /// Border crossings not to use (ids from the dataset's borders.csv).
    #[serde(default)]
    #[param(explode = false)]
    pub avoid_border: Vec<String>,
    /// Only this corridor's links plus untagged feeders.
    #[serde(default)]
    pub corridor: Option<String>,
    /// Value of time, USD per TEU-hour, for `optimize=balanced` (default: the dataset's).
    #[serde(default)]
    pub value_of_time: Option<f64>,
    /// Carbon price, USD per tonne CO2e, for `optimize=balanced` (default: the dataset's).
    #[serde(default)]
    pub carbon_price: Option<f64>,
}

const TABLE_KEYS: [&str; 12] = [
    "sources",
    "targets",
    "optimize",
    "unit",
    "payload_t",
    "avoid_country",
    "avoid_mode",
    "avoid_location",
    "avoid_border",
    "corridor",
    "value_of_time",
    "carbon_price",
];

/// A validated table query: the route options, and the sources and targets resolved.
#[derive(Clone, Debug)]
pub struct TableRequest {
    /// Options shared by every cell (its `from` and `to` are the first source and target).
    pub request: RouteRequest,
    /// Resolved sources, in order.
    pub sources: Vec<corridor_model::LocationId>,
    /// Resolved targets, in order.
    pub targets: Vec<corridor_model::LocationId>,
}

impl TableParams {
    /// The parameters of a GET query string.
    pub fn from_pairs(pairs: &Pairs) -> Result<TableParams, ApiError> {
        pairs.check_known(&TABLE_KEYS)?;
        Ok(TableParams {
            sources: pairs.list("sources"),
            targets: pairs.list("targets"),
            optimize: pairs.single("optimize")?,
            unit: pairs.single("unit")?,
            payload_t: pairs.number("payload_t")?,
            avoid_country: pairs.list("avoid_country"),
            avoid_mode: pairs.list("avoid_mode"),
            avoid_location: pairs.list("avoid_location"),
            avoid_border: pairs.list("avoid_border"),
            corridor: pairs.single("corridor")?,
            value_of_time: pairs.number("value_of_time")?,
            carbon_price: pairs.number("carbon_price")?,
        })
    }

    /// Validates the parameters against the dataset and the limits: the matrix size first,
    /// then each list's length, then every name (an unknown one is reported with its index).
    pub fn to_request(&self, data: &LoadedDataset, limits: &Limits) -> Result<TableRequest, ApiError> {
        if self.sources.iter().all(|s| s.trim().is_empty()) {
            return Err(ApiError::invalid_query("sources", "missing parameter \"sources\""));
        }
        let targets = if self.targets.is_empty() { &self.sources } else { &self.targets };
        let cells = self.sources.len() * targets.len();
        if cells > limits.max_matrix_cells {
            return Err(ApiError::new(
                ErrorCode::TooBig,
                format!(
                    "{} sources x {} targets = {cells} cells; the limit is {}",
                    self.sources.len(),
                    targets.len(),
                    limits.max_matrix_cells
                ),
            ));
        }
        for (key, list) in [("sources", &self.sources), ("targets", targets)] {
            if list.len() > limits.max_locations {
                return Err(ApiError::new(
                    ErrorCode::TooBig,
                    format!("{key} names {} locations; the limit is {}", list.len(), limits.max_locations),
                )
                .param(key));
            }
        }
        let resolve = |key: &str, list: &[String]| -> Result<Vec<corridor_model::LocationId>, ApiError> {
            list.iter()
                .enumerate()
                .map(|(i, name)| data.index.find(name).map_err(|e| ApiError::lookup(e, key, Some(i))))
                .collect()
        };
        let sources = resolve("sources", &self.sources)?;
        let target_key = if self.targets.is_empty() { "sources" } else { "targets" };
        let targets = resolve(target_key, targets)?;
        let code = |id: corridor_model::LocationId| data.network.location(id).code.clone();
        let route = RouteParams {
            from: code(sources[0]),
            to: code(targets[0]),
            optimize: self.optimize.clone(),
            unit: self.unit.clone(),
            payload_t: self.payload_t,
            avoid_country: self.avoid_country.clone(),
            avoid_mode: self.avoid_mode.clone(),
            avoid_location: self.avoid_location.clone(),
            avoid_border: self.avoid_border.clone(),
            corridor: self.corridor.clone(),
            value_of_time: self.value_of_time,
            carbon_price: self.carbon_price,
            ..RouteParams::default()
        };
        let request = route.to_request(data, limits, Endpoint::Route)?;
        if request.optimize == Optimize::P90 {
            return Err(ApiError::invalid_value(
                "optimize",
                self.optimize.as_deref().unwrap_or("p90"),
                "a table takes time, cost, co2 or balanced",
            ));
        }
        Ok(TableRequest { request, sources, targets })
    }
}
