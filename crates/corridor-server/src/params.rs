//! Request parameters of `/v1/route`, `/v1/compare`, `/v1/pareto` and `/v1/table`, from a query
//! string (GET) or a JSON body (POST), and their validation against the dataset being served.
//!
//! Both forms end up as one [`RouteParams`] (or [`TableParams`]), so GET and POST accept
//! exactly the same things and fail with the same messages. In a query string a list parameter may be repeated
//! (`avoid_country=RU&avoid_country=IR`) or comma-separated (`avoid_country=RU,IR`).

use std::borrow::Cow;

use corridor_model::{CargoUnit, CorridorId, Graph, LocationId, Mode, Network, Tonnes};
use corridor_routing::{Endpoint as Place, Prepared, core_label};
use corridor_search::{Avoid, Optimize, RouteRequest, Router};
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
    /// Origin: any place. A location of the network by id (UN/LOCODE), name or alias in any
    /// case or script (`Xi'an`, `CNXIA`, `西安`); or a place outside it, from the embedded place
    /// index (UN/LOCODE, GeoNames cities; `Name, CC` to choose a country) or as `lat,lon`
    /// (`36.07,120.38`). A place outside the network is joined to its nearest terminals by
    /// estimated truck legs (marked `estimated`, explained in `notes`); `NoAccess` when none is
    /// in reach.
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
    /// Locations of the network not to pass through (ids, names or aliases; a place outside
    /// the network is refused with `OutsideNetwork`). GET: comma-separated or repeated.
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

/// Parses an ISO 8601 instant; without an offset, the time is local in `tz` (the time zone of
/// the place `code`).
fn parse_time(key: &str, s: &str, tz: &str, code: &str) -> Result<jiff::Timestamp, ApiError> {
    if let Ok(t) = s.trim().parse::<jiff::Timestamp>() {
        return Ok(t);
    }
    let civil = s.trim().parse::<jiff::civil::DateTime>().map_err(|_| {
        ApiError::invalid_value(key, s, "not an ISO 8601 time such as 2026-12-01T08:00+05:00 or 2026-12-01T08:00")
    })?;
    let tz = jiff::tz::TimeZone::get(tz)
        .map_err(|e| ApiError::invalid_value(key, s, format!("time zone {tz} of {code}: {e}")))?;
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

    /// Refuses the parameters `endpoint` does not take and requests over the size limits.
    fn check(&self, limits: &Limits, endpoint: Endpoint) -> Result<(), ApiError> {
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
        Ok(())
    }

    /// Runs steps 1, 2 and 4 of the routing pipeline for `endpoint`: checks the parameters,
    /// resolves `from` and `to` (any place: code, name, `Name, CC`, `lat,lon`), validates every
    /// option against the dataset, then joins places outside the network to it by estimated
    /// truck legs. A query between two locations of the network runs on the preloaded graph;
    /// any other on the prepared network, compiled here (about 160 locations: microseconds).
    pub fn plan<'d>(
        &self,
        data: &'d LoadedDataset,
        limits: &Limits,
        endpoint: Endpoint,
    ) -> Result<Planned<'d>, ApiError> {
        self.check(limits, endpoint)?;
        let resolver = data.resolver();
        let from = resolver.resolve(&self.from).map_err(|e| ApiError::resolve(&e, "from", None, &self.from))?.endpoint;
        let to = resolver.resolve(&self.to).map_err(|e| ApiError::resolve(&e, "to", None, &self.to))?.endpoint;
        let options = self.options(data, (&from, &to))?;
        let prepared = corridor_routing::prepare(data.network(), &from, &to).map_err(|e| {
            let (parameter, value) = match &from {
                Place::Outside(p) if access_error_is_about(&e, p) || matches!(to, Place::Core(_)) => {
                    ("from", &self.from)
                }
                _ => ("to", &self.to),
            };
            ApiError::access(&e, parameter, value)
        })?;
        let mut request = RouteRequest::new(&prepared.network.defaults, prepared.from, prepared.to);
        options.apply(&mut request);
        let graph = match &prepared.network {
            Cow::Borrowed(_) => None,
            Cow::Owned(net) => Some(Graph::compile(net)),
        };
        let notes = prepared.access.iter().map(|a| a.describe(&prepared.network)).collect();
        Ok(Planned { prepared, graph, core_graph: &data.graph, request, notes })
    }

    /// Validates every option but the places against the dataset. `ends` (origin,
    /// destination) give the time zones of `depart` and `latest_arrival`.
    fn options(&self, data: &LoadedDataset, ends: (&Place, &Place)) -> Result<Options, ApiError> {
        let net = data.network();
        let mut o = Options::default();
        if let Some(v) = &self.optimize {
            o.optimize = Some(v.trim().parse::<Optimize>().map_err(|e| ApiError::invalid_value("optimize", v, e))?);
        }
        let unit = match self.unit.as_deref().map(|u| u.trim().to_ascii_lowercase()) {
            None => CargoUnit::Teu,
            Some(u) if u == "teu" => CargoUnit::Teu,
            Some(u) if u == "feu" => CargoUnit::Feu,
            Some(_) => {
                return Err(ApiError::invalid_value("unit", self.unit.as_deref().unwrap_or(""), "expected teu or feu"));
            }
        };
        o.unit = Some(unit);
        o.payload = Some(match (self.payload_t, unit) {
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
        });
        for (key, value, slot) in [
            ("value_of_time", self.value_of_time, &mut o.value_of_time),
            ("carbon_price", self.carbon_price, &mut o.carbon_price),
        ] {
            if let Some(v) = value {
                if !(v.is_finite() && v >= 0.0) {
                    return Err(ApiError::invalid_value(key, &v.to_string(), "must be a non-negative number"));
                }
                *slot = Some(v);
            }
        }
        // The countries of the network, and of the places outside it that the query names.
        let mut countries = data.countries.clone();
        for end in [ends.0, ends.1] {
            if let Place::Outside(p) = end {
                countries.push(p.country.clone());
            }
        }
        countries.sort();
        countries.dedup();
        for (i, c) in self.avoid_country.iter().enumerate() {
            let code = c.trim().to_ascii_uppercase();
            if !countries.contains(&code) {
                return Err(ApiError::invalid_value(
                    "avoid_country",
                    c,
                    format!("no location of the network is in that country (known: {})", countries.join(",")),
                )
                .index(i));
            }
            o.avoid.countries.push(code);
        }
        for (i, m) in self.avoid_mode.iter().enumerate() {
            let mode = m
                .trim()
                .to_ascii_lowercase()
                .parse::<Mode>()
                .map_err(|e| ApiError::invalid_value("avoid_mode", m, e).index(i))?;
            o.avoid.modes.push(mode);
        }
        for (i, l) in self.avoid_location.iter().enumerate() {
            o.avoid.locations.push(core_location(data, "avoid_location", Some(i), l)?);
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
            o.avoid.borders.push(b.clone());
        }
        let zone = |end: &Place| -> (String, String) {
            match end {
                Place::Core(id) => {
                    let l = net.location(*id);
                    (l.tz.clone(), l.code.clone())
                }
                Place::Outside(p) => (p.tz.clone(), p.code.clone()),
            }
        };
        if let Some(s) = &self.depart {
            let (tz, code) = zone(ends.0);
            o.depart = Some(parse_time("depart", s, &tz, &code)?);
        }
        if let Some(s) = &self.latest_arrival {
            let (tz, code) = zone(ends.1);
            o.latest_arrival = Some(parse_time("latest_arrival", s, &tz, &code)?);
        }
        if o.latest_arrival.is_some() && o.depart.is_none() {
            return Err(ApiError::invalid_query("latest_arrival", "latest_arrival needs depart"));
        }
        o.max_transshipments = self.max_transshipments;
        o.avoid_gauge_changes = self.avoid_gauge_changes.unwrap_or(false);
        if let Some(c) = &self.corridor {
            o.corridor = Some(net.corridor_by_code(c.trim()).ok_or_else(|| {
                let known: Vec<&str> = net.corridors.iter().map(|c| c.code.as_str()).collect();
                ApiError::invalid_value("corridor", c, format!("unknown corridor (known: {})", known.join(", ")))
            })?);
        }
        Ok(o)
    }
}

/// Whether an access error is about `place` (the origin's errors name it as the dataset's
/// `AccessError` does: by name, or as "Name (CODE, CC)").
fn access_error_is_about(e: &corridor_routing::AccessError, place: &corridor_routing::OutsidePlace) -> bool {
    use corridor_routing::AccessError;
    match e {
        AccessError::NoFigures { place: p } => *p == place.name,
        AccessError::NoTerminal { place: p, .. } => *p == format!("{} ({}, {})", place.name, place.code, place.country),
        AccessError::Same(_) => true,
    }
}

/// The validated options of a query, everything but its places.
#[derive(Clone, Debug, Default)]
struct Options {
    optimize: Option<Optimize>,
    unit: Option<CargoUnit>,
    payload: Option<Tonnes>,
    value_of_time: Option<f64>,
    carbon_price: Option<f64>,
    avoid: Avoid,
    corridor: Option<CorridorId>,
    depart: Option<jiff::Timestamp>,
    latest_arrival: Option<jiff::Timestamp>,
    max_transshipments: Option<u32>,
    avoid_gauge_changes: bool,
}

impl Options {
    /// Sets the options on a request (the fields left `None` keep the request's defaults).
    fn apply(self, req: &mut RouteRequest) {
        if let Some(o) = self.optimize {
            req.optimize = o;
        }
        if let Some(u) = self.unit {
            req.unit = u;
        }
        if let Some(p) = self.payload {
            req.payload = p;
        }
        if let Some(v) = self.value_of_time {
            req.value_of_time = v;
        }
        if let Some(v) = self.carbon_price {
            req.carbon_price = v;
        }
        req.avoid = self.avoid;
        req.corridor = self.corridor;
        req.depart = self.depart;
        req.latest_arrival = self.latest_arrival;
        req.max_transshipments = self.max_transshipments;
        req.avoid_gauge_changes = self.avoid_gauge_changes;
    }
}

/// Resolves `text` given to `parameter` (entry `index` of a list) to a location of the network;
/// a place outside it is refused with `OutsideNetwork` and the nearest locations.
pub fn core_location(
    data: &LoadedDataset,
    parameter: &str,
    index: Option<usize>,
    text: &str,
) -> Result<LocationId, ApiError> {
    let resolver = data.resolver();
    match resolver.resolve(text).map_err(|e| ApiError::resolve(&e, parameter, index, text))?.endpoint {
        Place::Core(id) => Ok(id),
        Place::Outside(p) => {
            let nearest = resolver
                .nearest_core(p.lat, p.lon, 3)
                .into_iter()
                .map(|(id, km)| format!("{} {km:.0} km", core_label(data.network(), id)))
                .collect();
            let place = match &p.near {
                Some(near) => format!("{} (near {near})", p.name),
                None => format!("{} ({}, {})", p.name, p.code, p.country),
            };
            Err(ApiError::outside_network(parameter, index, text, &place, nearest))
        }
    }
}

/// A routing query ready to run: the network prepared for its two places (the network itself,
/// or the network plus estimated access and egress legs), its graph, the validated request, and
/// one note per place outside the network.
pub struct Planned<'d> {
    /// The prepared network and how outside places were joined to it.
    pub prepared: Prepared<'d>,
    /// The request, on the prepared network.
    pub request: RouteRequest,
    /// How each place outside the network was joined to it (`notes` of the DTOs).
    pub notes: Vec<String>,
    graph: Option<Graph>,
    core_graph: &'d Graph,
}

impl Planned<'_> {
    /// The network to search.
    pub fn network(&self) -> &Network {
        &self.prepared.network
    }

    /// Its compiled graph (the preloaded one when both places are locations of the network).
    pub fn graph(&self) -> &Graph {
        self.graph.as_ref().unwrap_or(self.core_graph)
    }

    /// A router over the prepared network.
    pub fn router(&self) -> Router<'_> {
        Router::new(self.network(), self.graph())
    }
}

/// A many-to-many table query: the JSON body of `POST /v1/table` and the parameters of its
/// GET form.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, ToSchema, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TableParams {
    /// Origins: locations of the network by id, name or alias (a place outside the network is
    /// refused with `OutsideNetwork`, naming the entry). GET: comma-separated or repeated.
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
    /// Locations of the network not to pass through (ids, names or aliases).
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
    pub sources: Vec<LocationId>,
    /// Resolved targets, in order.
    pub targets: Vec<LocationId>,
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
        // A table runs on the network itself: places outside it are refused (OutsideNetwork).
        let resolve = |key: &str, list: &[String]| -> Result<Vec<LocationId>, ApiError> {
            list.iter().enumerate().map(|(i, name)| core_location(data, key, Some(i), name)).collect()
        };
        let sources = resolve("sources", &self.sources)?;
        let target_key = if self.targets.is_empty() { "sources" } else { "targets" };
        let targets = resolve(target_key, targets)?;
        let (from, to) = (sources[0], targets[0]);
        let route = RouteParams {
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
        route.check(limits, Endpoint::Route)?;
        let options = route.options(data, (&Place::Core(from), &Place::Core(to)))?;
        let mut request = RouteRequest::new(&data.network().defaults, from, to);
        options.apply(&mut request);
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
