//! Request parameters of `/v1/route`, `/v1/compare`, `/v1/pareto` and `/v1/table`, from a query
//! string (GET) or a JSON body (POST), and how they become the one route query of the routing
//! API, [`corridor_routing::Query`], which validates them and builds the search request.
//!
//! Both forms end up as one [`RouteParams`] (or [`TableParams`]), so GET and POST accept
//! exactly the same things and fail with the same messages. In a query string a list parameter may be repeated
//! (`avoid_country=RU&avoid_country=IR`) or comma-separated (`avoid_country=RU,IR`). The route
//! options both take are declared, read and converted once (`routing_params!`), so the two
//! cannot drift apart.
//!
//! What stays here is the HTTP side: the parameters' spelling and JSON types, which endpoint
//! takes which, the server's limits, and the places (`from`, `to`, `avoid_location`, `sources`,
//! `targets`), resolved with the API's place errors (suggestions, `OutsideNetwork`). Ranges,
//! capabilities, countries, modes, borders, corridors and times are the query's to check.

use std::borrow::Cow;

use corridor_model::{CargoUnit, Graph, LocationId, Network};
use corridor_routing::{Backend, Endpoint as Place, Param, Prepared, Query, QueryError, core_label};
use corridor_search::{Budget, Optimize, RouteRequest, Router, SearchCache};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::config::Limits;
use crate::error::{ApiError, ErrorCode};
use crate::state::LoadedDataset;

/// Declares the parameters of a routing endpoint: its own fields, then `..RouteOptions` (the
/// route options every routing endpoint takes, declared here once), then more of its own.
/// Generates with them `KEYS` (every parameter's name, for the query-string reader) and the
/// reading, limits and conversion to a [`Query`] of the shared options.
macro_rules! routing_params {
    (
        $(#[$attr:meta])*
        pub struct $name:ident {
            $($(#[$head_attr:meta])* pub $head:ident: $head_ty:ty,)*
            ..RouteOptions,
            $($(#[$tail_attr:meta])* pub $tail:ident: $tail_ty:ty,)*
        }
    ) => {
        $(#[$attr])*
        pub struct $name {
            $($(#[$head_attr])* pub $head: $head_ty,)*
            /// What to minimise: `time`, `cost`, `co2`, `balanced` (default) or `p90` (the
            /// simulated P90 time).
            #[serde(default)]
            #[schema(value_type = Option<crate::schema::OptimizeName>)]
            #[param(value_type = Option<crate::schema::OptimizeName>)]
            pub optimize: Option<String>,
            /// Container unit: `teu` (default) or `feu`.
            #[serde(default)]
            #[schema(value_type = Option<crate::schema::UnitName>)]
            #[param(value_type = Option<crate::schema::UnitName>)]
            pub unit: Option<String>,
            /// Net cargo tonnes in the container, 0 to 30.5 (default: the dataset's payload for
            /// the unit).
            #[serde(default)]
            pub payload_t: Option<f64>,
            /// The kind of train the rail border crossings are timed for: `express` (a
            /// container block train with priority, as the China–Europe expresses), `regular`
            /// (wagonload and regional container trains, which give way to the expresses) or
            /// `auto` (default: regular to or from Central Asia, else express). Not on
            /// a detailed snapshot.
            #[serde(default)]
            #[schema(value_type = Option<crate::schema::TrafficName>)]
            #[param(value_type = Option<crate::schema::TrafficName>)]
            pub traffic: Option<String>,
            /// Countries not to enter (ISO 3166-1 alpha-2). GET: comma-separated or repeated.
            #[serde(default)]
            #[param(explode = false)]
            pub avoid_country: Vec<String>,
            /// Modes not to use: `rail`, `road`, `sea`, `ferry`.
            #[serde(default)]
            #[schema(value_type = Vec<crate::schema::ModeName>)]
            #[param(explode = false, value_type = Vec<crate::schema::ModeName>)]
            pub avoid_mode: Vec<String>,
            /// Locations of the network not to pass through (ids, names or aliases; a place
            /// outside the network is refused with `OutsideNetwork`). GET: comma-separated or
            /// repeated.
            #[serde(default)]
            #[param(explode = false)]
            pub avoid_location: Vec<String>,
            /// Border crossings not to use (ids from the dataset's borders.csv).
            #[serde(default)]
            #[param(explode = false)]
            pub avoid_border: Vec<String>,
            /// Only this corridor's links plus untagged feeders (not on `/v1/compare`, which
            /// compares the corridors).
            #[serde(default)]
            pub corridor: Option<String>,
            /// Value of time, USD per TEU-hour, for `optimize=balanced` (default: the
            /// dataset's).
            #[serde(default)]
            pub value_of_time: Option<f64>,
            /// Carbon price, USD per tonne CO2e, for `optimize=balanced` (default: the
            /// dataset's).
            #[serde(default)]
            pub carbon_price: Option<f64>,
            $($(#[$tail_attr])* pub $tail: $tail_ty,)*
        }

        impl $name {
            /// Every parameter's name, in declaration order.
            const KEYS: &'static [&'static str] = &[
                $(stringify!($head),)*
                "optimize",
                "unit",
                "payload_t",
                "traffic",
                "avoid_country",
                "avoid_mode",
                "avoid_location",
                "avoid_border",
                "corridor",
                "value_of_time",
                "carbon_price",
                $(stringify!($tail),)*
            ];

            /// Reads the shared route options of a GET query string.
            fn read_options(mut self, pairs: &Pairs) -> Result<Self, ApiError> {
                self.optimize = pairs.single("optimize")?;
                self.unit = pairs.single("unit")?;
                self.payload_t = pairs.number("payload_t")?;
                self.traffic = pairs.single("traffic")?;
                self.avoid_country = pairs.list("avoid_country");
                self.avoid_mode = pairs.list("avoid_mode");
                self.avoid_location = pairs.list("avoid_location");
                self.avoid_border = pairs.list("avoid_border");
                self.corridor = pairs.single("corridor")?;
                self.value_of_time = pairs.number("value_of_time")?;
                self.carbon_price = pairs.number("carbon_price")?;
                Ok(self)
            }

            /// Refuses shared options over the size limits: the locations a route names (its
            /// origin, its destination and `avoid_location`) and each list's entries.
            fn check_option_limits(&self, limits: &Limits) -> Result<(), ApiError> {
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

            /// The shared route options as a query (no places; the other options unset). Only
            /// the spelling of `optimize`, `unit` and `traffic` is checked here, everything else
            /// by the query.
            fn options(&self) -> Result<Query, ApiError> {
                let trimmed = |s: &Option<String>| s.as_deref().map(|s| s.trim().to_owned());
                Ok(Query {
                    optimize: match &self.optimize {
                        None => Optimize::default(),
                        Some(v) => Param::parse_optimize(v).map_err(|e| ApiError::query(&e))?,
                    },
                    unit: match &self.unit {
                        None => CargoUnit::default(),
                        Some(v) => Param::parse_unit(v).map_err(|e| ApiError::query(&e))?,
                    },
                    payload_t: self.payload_t,
                    traffic: match &self.traffic {
                        None => None,
                        Some(v) => Param::parse_traffic(v).map_err(|e| ApiError::query(&e))?,
                    },
                    avoid_countries: self.avoid_country.clone(),
                    avoid_modes: self.avoid_mode.clone(),
                    avoid_locations: self.avoid_location.clone(),
                    avoid_borders: self.avoid_border.clone(),
                    corridor: trimmed(&self.corridor),
                    value_of_time: self.value_of_time,
                    carbon_price: self.carbon_price,
                    ..Query::default()
                })
            }
        }
    };
}

routing_params! {
    /// A routing query: the JSON body of `POST /v1/route`, `/v1/compare` and `/v1/pareto`, and
    /// the parameters of their GET forms.
    #[derive(Clone, Debug, Default, PartialEq, Deserialize, ToSchema, IntoParams)]
    #[serde(deny_unknown_fields)]
    #[into_params(parameter_in = Query)]
    pub struct RouteParams {
        /// Origin: any place. A location of the network by id (UN/LOCODE), name or alias in any
        /// case or script (`Xi'an`, `CNXIA`, `西安`); or a place outside it, from the embedded
        /// place index (UN/LOCODE, GeoNames cities; `Name, CC` to choose a country) or as
        /// `lat,lon` (`36.07,120.38`). A place outside the network is joined to its nearest
        /// terminals by estimated truck legs (marked `estimated`, explained in `notes`);
        /// `NoAccess` when none is in reach.
        #[schema(example = "CNXIA")]
        #[param(example = "CNXIA")]
        pub from: String,
        /// Destination, like `from`.
        #[schema(example = "DEDUI")]
        #[param(example = "DEDUI")]
        pub to: String,
        ..RouteOptions,
        /// `/v1/route` and `/v1/compare` (not `/v1/pareto`): locations of the network to pass
        /// through, in order (ids, names or aliases; at most 8; a place outside the network is
        /// refused with `OutsideNetwork`). One search per stretch; with a corridor (`corridor`,
        /// or each corridor of a comparison), the corridor's rule holds for the whole route, and
        /// a corridor whose lines cannot keep it has no route, with the reason. Not with `depart`, `latest_arrival`, `max_transshipments` or
        /// `avoid_gauge_changes`. GET: comma-separated or repeated.
        #[serde(default)]
        #[param(explode = false)]
        pub via: Vec<String>,
        /// Departure time, ISO 8601 (`2026-12-01T08:00+05:00`; without an offset: local time at
        /// the origin). Makes the search wait for actual departures and adds local arrival
        /// times.
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
        /// Monte Carlo draws for the P50/P90/P95 times (`/v1/route`, `/v1/pareto`; default
        /// 2000, at most the server's `max_samples`).
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
        #[schema(value_type = Option<crate::schema::GeometryName>)]
        #[param(value_type = Option<crate::schema::GeometryName>)]
        pub geometry: Option<String>,
    }
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
            Endpoint::Pareto => &["via"],
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

/// Default relative tolerance for collapsing near-identical Pareto routes (as the CLI).
pub const DEFAULT_COLLAPSE: f64 = 0.02;

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

    /// A number parameter. A route query's parameter is parsed by the routing API, as the
    /// CLI's flag is (one parse, one wording); others (`collapse`) the same way.
    pub fn number(&self, key: &str) -> Result<Option<f64>, ApiError> {
        self.single(key)?.map(|v| param(key).parse_number(&v).map_err(|e| self.error(key, &e))).transpose()
    }

    /// A non-negative integer parameter, parsed as [`Pairs::number`].
    pub fn integer<T: std::str::FromStr>(&self, key: &str) -> Result<Option<T>, ApiError> {
        self.single(key)?.map(|v| param(key).parse_integer(&v).map_err(|e| self.error(key, &e))).transpose()
    }

    /// A boolean parameter: `true`/`false`/`1`/`0`; present without a value means true.
    pub fn boolean(&self, key: &str) -> Result<Option<bool>, ApiError> {
        self.single(key)?.map(|v| param(key).parse_switch(&v).map_err(|e| self.error(key, &e))).transpose()
    }

    /// `e` as the API reports it, under `key` when `key` is not a route query's parameter.
    fn error(&self, key: &str, e: &QueryError) -> ApiError {
        match Param::from_api_name(key) {
            Some(_) => ApiError::query(e),
            None => ApiError::invalid_value(key, &e.value, e.message.clone()),
        }
    }
}

/// The route query parameter `key` names, for its parser; a server-only key (`collapse`,
/// `top`, ...) borrows the parser of a parameter of the same type (only the message core is
/// used then, under the key's own name).
fn param(key: &str) -> Param {
    Param::from_api_name(key).unwrap_or(Param::PayloadT)
}

impl RouteParams {
    /// The parameters of a GET query string.
    pub fn from_pairs(pairs: &Pairs) -> Result<RouteParams, ApiError> {
        pairs.check_known(Self::KEYS)?;
        let required = |key: &str| -> Result<String, ApiError> {
            pairs
                .single(key)?
                .filter(|v| !v.trim().is_empty())
                .ok_or_else(|| ApiError::invalid_query(key, format!("missing parameter {key:?}")))
        };
        RouteParams {
            from: required("from")?,
            to: required("to")?,
            via: pairs.list("via"),
            depart: pairs.single("depart")?,
            latest_arrival: pairs.single("latest_arrival")?,
            max_transshipments: pairs.integer("max_transshipments")?,
            avoid_gauge_changes: pairs.boolean("avoid_gauge_changes")?,
            samples: pairs.integer("samples")?,
            seed: pairs.integer("seed")?,
            collapse: pairs.number("collapse")?,
            geometry: pairs.single("geometry")?,
            ..RouteParams::default()
        }
        .read_options(pairs)
    }

    /// Whether GeoJSON geometry was asked for (`geometry=geojson`; `none` or absent: no).
    pub fn wants_geometry(&self) -> Result<bool, ApiError> {
        match self.geometry.as_deref().map(str::trim) {
            None | Some("") | Some("none") => Ok(false),
            Some("geojson") => Ok(true),
            Some(other) => Err(ApiError::invalid_value("geometry", other, "expected geojson or none")),
        }
    }

    /// The Pareto collapse tolerance, 0 to 1.
    pub fn collapse(&self) -> Result<f64, ApiError> {
        let c = self.collapse.unwrap_or(DEFAULT_COLLAPSE);
        if !(0.0..=1.0).contains(&c) {
            return Err(ApiError::invalid_value("collapse", &c.to_string(), "must be between 0 and 1"));
        }
        Ok(c)
    }

    /// Refuses the parameters `endpoint` does not take and requests over the server's limits.
    fn check(&self, limits: &Limits, endpoint: Endpoint) -> Result<(), ApiError> {
        let given = |key: &str| match key {
            "corridor" => self.corridor.is_some(),
            "samples" => self.samples.is_some(),
            "seed" => self.seed.is_some(),
            "collapse" => self.collapse.is_some(),
            "via" => !self.via.is_empty(),
            _ => false,
        };
        if let Some(key) = endpoint.refused().iter().find(|k| given(k)) {
            return Err(ApiError::invalid_query(
                key,
                format!("parameter {key:?} is not accepted by {}", endpoint.path()),
            ));
        }
        if let Some(n) = self.samples
            && !(1..=limits.max_samples).contains(&n)
        {
            return Err(ApiError::invalid_value(
                "samples",
                &n.to_string(),
                format!("must be between 1 and {}", limits.max_samples),
            ));
        }
        self.check_option_limits(limits)?;
        let named = 2 + self.avoid_location.len() + self.via.len();
        if named > limits.max_locations {
            return Err(ApiError::new(
                ErrorCode::TooBig,
                format!(
                    "the request names {named} locations (from, to, {} in avoid_location and {} in via); the limit is {}",
                    self.avoid_location.len(),
                    self.via.len(),
                    limits.max_locations
                ),
            )
            .param("via"));
        }
        Ok(())
    }

    /// The route query, places as given.
    fn query(&self) -> Result<Query, ApiError> {
        let trimmed = |s: &Option<String>| s.as_deref().map(|s| s.trim().to_owned());
        Ok(Query {
            from: self.from.clone(),
            to: self.to.clone(),
            depart: trimmed(&self.depart),
            latest_arrival: trimmed(&self.latest_arrival),
            max_transshipments: self.max_transshipments,
            avoid_gauge_changes: self.avoid_gauge_changes.unwrap_or(false),
            samples: self.samples,
            seed: self.seed,
            via: self.via.clone(),
            ..self.options()?
        })
    }

    /// Runs steps 1 to 4 of the routing pipeline for `endpoint`: checks the parameters against
    /// the endpoint and the limits, and the query's values ([`Query::check`]); resolves `from`
    /// and `to` (any place: code, name, `Name, CC`, `lat,lon`) and `avoid_location`; joins
    /// places outside the network to it by estimated truck legs; and builds the request on
    /// the prepared network ([`Query::core_request`]). A query between two locations of the
    /// network runs on the preloaded graph; any other on the prepared network, compiled here
    /// (about 160 locations: microseconds).
    pub fn plan<'d>(
        &self,
        data: &'d LoadedDataset,
        limits: &Limits,
        endpoint: Endpoint,
    ) -> Result<Planned<'d>, ApiError> {
        self.check(limits, endpoint)?;
        let query = self.query()?;
        query.check(Backend::Core).map_err(|e| query_error(&query, &e))?;
        let resolver = data.resolver();
        let from = resolver.resolve(&self.from).map_err(|e| ApiError::resolve(&e, "from", None, &self.from))?.endpoint;
        let to = resolver.resolve(&self.to).map_err(|e| ApiError::resolve(&e, "to", None, &self.to))?.endpoint;
        let avoid = avoid_locations(data, &self.avoid_location)?;
        let prepared = corridor_routing::prepare(data.network(), &from, &to).map_err(|e| {
            let (parameter, value) = match &from {
                Place::Outside(p) if access_error_is_about(&e, p) || matches!(to, Place::Core(_)) => {
                    ("from", &self.from)
                }
                _ => ("to", &self.to),
            };
            ApiError::access(&e, parameter, value)
        })?;
        let request = core_request(&query, avoid, &prepared.network, prepared.from, prepared.to)?;
        let via = self
            .via
            .iter()
            .enumerate()
            .map(|(i, name)| core_location(data, "via", Some(i), name))
            .collect::<Result<Vec<_>, _>>()?;
        // The ends, repeats and avoided places: the query's checks, on the places resolved here.
        query
            .check_via_places(&via, prepared.from, prepared.to, &request.avoid.locations)
            .map_err(|e| ApiError::query(&e))?;
        let graph = match &prepared.network {
            Cow::Borrowed(_) => None,
            Cow::Owned(net) => Some(Graph::compile(net)),
        };
        let notes: Vec<String> = prepared.access.iter().map(|a| a.describe(&prepared.network)).collect();
        let (samples, seed) = (query.samples().min(limits.max_samples), query.seed());
        Ok(Planned { prepared, graph, core_graph: &data.graph, cache: &data.cache, request, via, notes, samples, seed })
    }
}

/// `e` as the API reports it ([`ApiError::query`]), with the value as given (the message of a
/// time's error quotes it).
fn query_error(query: &Query, e: &QueryError) -> ApiError {
    let given = match e.param {
        Param::Depart => query.depart.as_deref(),
        Param::LatestArrival => query.latest_arrival.as_deref(),
        _ => None,
    };
    match given {
        Some(v) if !e.refused => ApiError::query(e).value(v),
        _ => ApiError::query(e),
    }
}

/// The locations of `avoid_location`, resolved on the network itself with the API's place
/// errors: suggestions for an unknown or ambiguous name, `OutsideNetwork` for a place outside
/// it (the prepared network of a query has its outside places as locations: they are not
/// locations to avoid).
fn avoid_locations(data: &LoadedDataset, names: &[String]) -> Result<Vec<LocationId>, ApiError> {
    names.iter().enumerate().map(|(i, name)| core_location(data, "avoid_location", Some(i), name)).collect()
}

/// Step 3's request on `net` between two of its locations: every option of `query` checked and
/// resolved against the network by [`Query::core_request`], but `avoid_location`, resolved
/// beforehand ([`avoid_locations`]).
fn core_request(
    query: &Query,
    avoid: Vec<LocationId>,
    net: &Network,
    from: LocationId,
    to: LocationId,
) -> Result<RouteRequest, ApiError> {
    let without_places = Query { avoid_locations: Vec::new(), ..query.clone() };
    let mut request = without_places.core_request(net, from, to).map_err(|e| query_error(query, &e))?;
    request.avoid.locations = avoid;
    Ok(request)
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
/// or the network plus estimated access and egress legs), its graph, the validated request, one
/// note per place outside the network, and the simulation settings.
pub struct Planned<'d> {
    /// The prepared network and how outside places were joined to it.
    pub prepared: Prepared<'d>,
    /// The request, on the prepared network.
    pub request: RouteRequest,
    /// The places to pass through, in order (`/v1/route`).
    pub via: Vec<LocationId>,
    /// How each place outside the network was joined to it (`notes` of the DTOs).
    pub notes: Vec<String>,
    /// Monte Carlo draws (the query's, at most the server's `max_samples`).
    pub samples: usize,
    /// Simulation seed.
    pub seed: u64,
    graph: Option<Graph>,
    core_graph: &'d Graph,
    cache: &'d SearchCache,
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

    /// A router over the prepared network, stopping its searches past `budget`; memoising in
    /// the dataset's cache when that is the network itself (a network prepared for this
    /// query's places is used once).
    pub fn router(&self, budget: Budget) -> Router<'_> {
        let router = Router::new(self.network(), self.graph()).with_budget(budget);
        match self.graph {
            None => router.with_cache(self.cache),
            Some(_) => router,
        }
    }
}

routing_params! {
    /// A many-to-many table query: the JSON body of `POST /v1/table` and the parameters of its
    /// GET form. Its route options are those of [`RouteParams`], declared once.
    #[derive(Clone, Debug, Default, PartialEq, Deserialize, ToSchema, IntoParams)]
    #[serde(deny_unknown_fields)]
    #[into_params(parameter_in = Query)]
    pub struct TableParams {
        /// Origins: locations of the network by id, name or alias (a place outside the network
        /// is refused with `OutsideNetwork`, naming the entry). GET: comma-separated or
        /// repeated.
        #[schema(example = json!(["CNXIA", "CNCKG"]))]
        #[param(explode = false, example = "CNXIA,CNCKG")]
        pub sources: Vec<String>,
        /// Destinations, like `sources` (default: the sources).
        #[serde(default)]
        #[param(explode = false)]
        pub targets: Vec<String>,
        ..RouteOptions,
    }
}

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
        pairs.check_known(Self::KEYS)?;
        TableParams { sources: pairs.list("sources"), targets: pairs.list("targets"), ..TableParams::default() }
            .read_options(pairs)
    }

    /// Validates the parameters against the dataset and the limits: the matrix size first,
    /// then each list's length, then every name (an unknown one is reported with its index),
    /// then the route options, as a route's.
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
        // The avoided locations count with a cell's origin and destination, as on a route.
        self.check_option_limits(limits)?;
        let query = self.options()?;
        query.check(Backend::Core).map_err(|e| query_error(&query, &e))?;
        let avoid = avoid_locations(data, &self.avoid_location)?;
        // The cells keep the trade bans of their own ends (Router::table).
        let without_places = Query { avoid_locations: Vec::new(), ..query.clone() };
        let mut request = without_places
            .table_request(data.network(), sources[0], targets[0])
            .map_err(|e| query_error(&query, &e))?;
        request.avoid.locations = avoid;
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
