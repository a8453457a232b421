//! What a caller asks for: endpoints, cargo, objective and constraints.

use std::fmt;
use std::str::FromStr;

use corridor_model::{CargoUnit, CorridorId, Defaults, LocationId, Mode, Tonnes, Traffic};

/// A named objective preset.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Optimize {
    /// Fastest (cost breaks ties).
    Time,
    /// Cheapest (time breaks ties).
    Cost,
    /// Least well-to-wheel CO2e (cost breaks ties).
    Co2,
    /// USD + value of time x hours + carbon price x t CO2e.
    #[default]
    Balanced,
    /// Best 90th-percentile arrival (Monte Carlo over the Pareto candidates).
    P90,
}

impl Optimize {
    /// All presets.
    pub const ALL: [Optimize; 5] = [Optimize::Time, Optimize::Cost, Optimize::Co2, Optimize::Balanced, Optimize::P90];

    /// Lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Optimize::Time => "time",
            Optimize::Cost => "cost",
            Optimize::Co2 => "co2",
            Optimize::Balanced => "balanced",
            Optimize::P90 => "p90",
        }
    }
}

impl fmt::Display for Optimize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Optimize {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Optimize::ALL
            .into_iter()
            .find(|o| o.as_str() == s)
            .ok_or_else(|| format!("unknown objective {s:?} (expected time, cost, co2, balanced or p90)"))
    }
}

/// Weights of the generalized cost: `usd * USD + hours * h + co2_t * t CO2e (WTW)`.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct Objective {
    /// Weight of one US dollar.
    pub usd: f64,
    /// Weight of one hour (a value of time, USD per container-hour, in the balanced preset).
    pub hours: f64,
    /// Weight of one tonne of CO2e (a carbon price, USD per t, in the balanced preset).
    pub co2_t: f64,
}

/// Tie-breaking weight: small enough never to override the primary criterion by more than a
/// rounding error on realistic figures (1e-6 x 1e5 USD = 0.1 s), large enough to make equal
/// primary costs prefer the cheaper alternative.
const TIE: f64 = 1e-6;

impl Objective {
    /// The weights of a preset; `value_of_time` is USD per container-hour, `carbon_price` USD
    /// per tonne CO2e.
    pub fn preset(optimize: Optimize, value_of_time: f64, carbon_price: f64) -> Objective {
        match optimize {
            // The P90 objective ranks candidates by simulation; their search uses time.
            Optimize::Time | Optimize::P90 => Objective { usd: TIE, hours: 1.0, co2_t: 0.0 },
            Optimize::Cost => Objective { usd: 1.0, hours: TIE, co2_t: 0.0 },
            Optimize::Co2 => Objective { usd: TIE, hours: 0.0, co2_t: 1.0 },
            Optimize::Balanced => Objective { usd: 1.0, hours: value_of_time, co2_t: carbon_price },
        }
    }
}

/// Elements a route must not use.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Avoid {
    /// ISO 3166-1 alpha-2 codes of countries not to enter.
    pub countries: Vec<String>,
    /// Modes not to use.
    pub modes: Vec<Mode>,
    /// Locations not to pass through.
    pub locations: Vec<LocationId>,
    /// Border crossings not to use, by border id.
    pub borders: Vec<String>,
    /// Countries under a trade ban with the route's origin or destination
    /// (`corridor_model::regions::TRADE_BANS`): the goods may not load, unload, be transshipped
    /// or travel by land there, but may sail past their ports aboard a ship (a ship from
    /// Karachi to Chittagong sails along India's coast).
    pub trade_banned: Vec<String>,
    /// Whether the first and last mile stay usable when their mode is avoided: the estimated legs
    /// joining a place outside the network, and the links at an origin or destination that has
    /// no platform of an allowed mode. A train run from a city the core knows only by road still
    /// starts with a truck to its terminal. Off for user queries, where an avoided mode is
    /// avoided everywhere; on for the validation of published runs
    /// (`corridor-routing::validation`).
    pub modes_spare_ends: bool,
}

impl Avoid {
    /// Whether nothing is avoided.
    pub fn is_empty(&self) -> bool {
        self.countries.is_empty()
            && self.modes.is_empty()
            && self.locations.is_empty()
            && self.borders.is_empty()
            && self.trade_banned.is_empty()
    }
}

/// A routing question.
#[derive(Clone, Debug, PartialEq)]
pub struct RouteRequest {
    /// Origin.
    pub from: LocationId,
    /// Destination.
    pub to: LocationId,
    /// Container unit.
    pub unit: CargoUnit,
    /// Net cargo mass in the container.
    pub payload: Tonnes,
    /// The kind of train, where crossings time kinds apart ([`corridor_model::Border::dwell_for`]).
    pub traffic: Traffic,
    /// Objective preset.
    pub optimize: Optimize,
    /// Value of time, USD per container-hour (balanced preset).
    pub value_of_time: f64,
    /// Carbon price, USD per tonne CO2e (balanced preset).
    pub carbon_price: f64,
    /// Constraints.
    pub avoid: Avoid,
    /// Restrict to links of this corridor and untagged feeders.
    pub corridor: Option<CorridorId>,
    /// With a corridor: keep to its links only, not to its rule (use its own links, cross on
    /// them; [`corridor_model::Network::corridor_has_rule`]). For a stretch of a longer route
    /// whose whole is checked against the rule ([`crate::Route::uses_own_link`]).
    pub corridor_links_only: bool,
    /// Departure instant: makes the search time-dependent (waits for actual departures).
    pub depart: Option<jiff::Timestamp>,
    /// Latest acceptable arrival (needs `depart`).
    pub latest_arrival: Option<jiff::Timestamp>,
    /// Maximum number of container lifts (transshipments and port handling).
    pub max_transshipments: Option<u32>,
    /// Forbid changes of rail gauge.
    pub avoid_gauge_changes: bool,
}

impl RouteRequest {
    /// A request with the dataset's defaults: one TEU with the default payload, balanced.
    pub fn new(defaults: &Defaults, from: LocationId, to: LocationId) -> Self {
        RouteRequest {
            from,
            to,
            unit: CargoUnit::Teu,
            payload: defaults.payload_t_teu.value,
            traffic: Traffic::Express,
            optimize: Optimize::Balanced,
            value_of_time: defaults.value_of_time_usd_per_teu_hour.value,
            carbon_price: defaults.carbon_price_usd_per_t.value,
            avoid: Avoid::default(),
            corridor: None,
            corridor_links_only: false,
            depart: None,
            latest_arrival: None,
            max_transshipments: None,
            avoid_gauge_changes: false,
        }
    }

    /// Whether the request needs the multi-criteria label-setting search rather than plain
    /// Dijkstra: time-dependent, or with resource constraints a scalar search cannot honour.
    pub fn needs_labels(&self) -> bool {
        self.depart.is_some() || self.max_transshipments.is_some() || self.avoid_gauge_changes
    }

    /// The objective weights of this request.
    ///
    /// The value of time is given per TEU-hour and scales with the unit (an FEU ties up twice
    /// the capital).
    pub fn objective(&self) -> Objective {
        Objective::preset(self.optimize, self.value_of_time * self.unit.teu(), self.carbon_price)
    }
}
