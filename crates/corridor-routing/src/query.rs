//! The one route query every front end builds: parsed and validated once, with errors naming
//! the parameter, the value and its index, and each backend declaring which parameters it can
//! honour (OSRM's `BaseParameters` with algorithms that state their capabilities).
//!
//! The CLI's flags and the server's query strings are two spellings of the same [`Param`]s:
//! `--avoid-country` and `avoid_country`. A [`QueryError`] carries the [`Param`], and each front
//! end renders it in its own spelling.

use std::fmt;

use corridor_model::{CargoUnit, Location, LocationId, Mode, Network, Tonnes, Traffic};
use corridor_search::{Avoid, Optimize, RouteRequest};

use crate::resolve::Resolver;

/// Every parameter of a route query.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash, PartialOrd, Ord)]
pub enum Param {
    /// Origin place.
    From,
    /// Destination place.
    To,
    /// Objective preset.
    Optimize,
    /// TEU or FEU.
    Unit,
    /// Cargo tonnes.
    PayloadT,
    /// The kind of train (express or regular), or auto.
    Traffic,
    /// Countries not to enter.
    AvoidCountry,
    /// Modes not to use.
    AvoidMode,
    /// Locations not to pass.
    AvoidLocation,
    /// Border crossings not to use.
    AvoidBorder,
    /// Places to pass through, in order.
    Via,
    /// Only one corridor's links.
    Corridor,
    /// Value of time, USD per TEU-hour.
    ValueOfTime,
    /// Carbon price, USD per tonne.
    CarbonPrice,
    /// Departure time.
    Depart,
    /// Latest arrival.
    LatestArrival,
    /// Most container lifts.
    MaxTransshipments,
    /// No change of rail gauge.
    AvoidGaugeChanges,
    /// Monte Carlo draws.
    Samples,
    /// Simulation seed.
    Seed,
    /// Snapshot: which network a coordinate snaps to.
    Snap,
    /// Snapshot: snapping radius.
    SnapKm,
    /// Snapshot: speed override.
    SpeedKmh,
    /// Snapshot: rate override.
    UsdPerTkm,
}

impl Param {
    /// Every parameter, in display order.
    pub const ALL: [Param; 24] = [
        Param::From,
        Param::To,
        Param::Optimize,
        Param::Unit,
        Param::PayloadT,
        Param::Traffic,
        Param::AvoidCountry,
        Param::AvoidMode,
        Param::AvoidLocation,
        Param::AvoidBorder,
        Param::Via,
        Param::Corridor,
        Param::ValueOfTime,
        Param::CarbonPrice,
        Param::Depart,
        Param::LatestArrival,
        Param::MaxTransshipments,
        Param::AvoidGaugeChanges,
        Param::Samples,
        Param::Seed,
        Param::Snap,
        Param::SnapKm,
        Param::SpeedKmh,
        Param::UsdPerTkm,
    ];

    /// The name in the HTTP API (`avoid_country`).
    pub fn api_name(self) -> &'static str {
        match self {
            Param::From => "from",
            Param::To => "to",
            Param::Optimize => "optimize",
            Param::Unit => "unit",
            Param::PayloadT => "payload_t",
            Param::Traffic => "traffic",
            Param::AvoidCountry => "avoid_country",
            Param::AvoidMode => "avoid_mode",
            Param::AvoidLocation => "avoid_location",
            Param::AvoidBorder => "avoid_border",
            Param::Via => "via",
            Param::Corridor => "corridor",
            Param::ValueOfTime => "value_of_time",
            Param::CarbonPrice => "carbon_price",
            Param::Depart => "depart",
            Param::LatestArrival => "latest_arrival",
            Param::MaxTransshipments => "max_transshipments",
            Param::AvoidGaugeChanges => "avoid_gauge_changes",
            Param::Samples => "samples",
            Param::Seed => "seed",
            Param::Snap => "snap",
            Param::SnapKm => "snap_km",
            Param::SpeedKmh => "speed_kmh",
            Param::UsdPerTkm => "usd_per_tkm",
        }
    }

    /// The parameter an HTTP API name stands for (`avoid_country`), if any.
    pub fn from_api_name(name: &str) -> Option<Param> {
        Param::ALL.into_iter().find(|p| p.api_name() == name)
    }

    /// Parses a number as typed for this parameter (its range is [`Query::check`]'s).
    pub fn parse_number(self, text: &str) -> Result<f64, QueryError> {
        text.trim().parse::<f64>().map_err(|_| QueryError::new(self, text.trim(), "not a number"))
    }

    /// Parses a non-negative integer as typed for this parameter.
    pub fn parse_integer<T: std::str::FromStr>(self, text: &str) -> Result<T, QueryError> {
        text.trim().parse::<T>().map_err(|_| QueryError::new(self, text.trim(), "not a non-negative integer in range"))
    }

    /// Parses a switch as typed: `true`, `1` or nothing (present without a value) is on,
    /// `false` or `0` off.
    pub fn parse_switch(self, text: &str) -> Result<bool, QueryError> {
        match text.trim() {
            "" | "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            v => Err(QueryError::new(self, v, "expected true or false")),
        }
    }

    /// Parses an objective (`time`, `cost`, `co2`, `balanced`, `p90`).
    pub fn parse_optimize(text: &str) -> Result<Optimize, QueryError> {
        text.trim().parse().map_err(|e| QueryError::new(Param::Optimize, text.trim(), e))
    }

    /// Parses a container unit (`teu`, `feu`).
    pub fn parse_unit(text: &str) -> Result<CargoUnit, QueryError> {
        text.trim().parse().map_err(|e| QueryError::new(Param::Unit, text.trim(), e))
    }

    /// Parses a traffic choice: `auto` (`None`: by the route's ends,
    /// [`corridor_model::regions::default_traffic`]), `express` or `regular`.
    pub fn parse_traffic(text: &str) -> Result<Option<Traffic>, QueryError> {
        match text.trim() {
            "auto" => Ok(None),
            t => t
                .parse()
                .map(Some)
                .map_err(|_| QueryError::new(Param::Traffic, t, "unknown traffic (expected auto, express or regular)")),
        }
    }

    /// The command-line flag (`--avoid-country`); the places are positional (`from`, `to`).
    pub fn cli_flag(self) -> String {
        match self {
            Param::From | Param::To => self.api_name().to_owned(),
            _ => format!("--{}", self.api_name().replace('_', "-")),
        }
    }
}

/// Which engine answers a query.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Backend {
    /// The curated corridor network (state-expanded graph, Dijkstra and label-setting).
    Core,
    /// A detailed snapshot (CCH, one objective per customization).
    Detailed,
    /// A detailed snapshot for the first and last mile with the timetabled core in between
    /// (`--depart` on a snapshot).
    Combined,
}

impl Backend {
    /// Why this backend cannot honour `p`, or `None` when it can.
    pub fn refuses(self, p: Param) -> Option<&'static str> {
        use Param::*;
        match (self, p) {
            (Backend::Core, Snap | SnapKm | SpeedKmh | UsdPerTkm) => {
                Some("applies only with a detailed snapshot (--data X.corridor)")
            }
            (Backend::Detailed, Traffic) => {
                Some("a snapshot's border crossings have one figure for all trains (use the curated network)")
            }
            (Backend::Detailed | Backend::Combined, Corridor) => {
                Some("a detailed snapshot has no corridor tags (use the curated network)")
            }
            (Backend::Detailed | Backend::Combined, AvoidLocation) => {
                Some("snapshot nodes are not named locations (use avoid_country)")
            }
            (Backend::Detailed | Backend::Combined, Via) => {
                Some("snapshot nodes are not named locations (route the curated network)")
            }
            (Backend::Detailed | Backend::Combined, AvoidBorder) => {
                Some("a snapshot's border arcs are not the ids of borders.csv (use avoid_country)")
            }
            (Backend::Detailed | Backend::Combined, MaxTransshipments) => {
                Some("the snapshot search has no lift counter (use avoid_mode)")
            }
            (Backend::Detailed | Backend::Combined, LatestArrival) => {
                Some("the detailed search has no arrival deadline")
            }
            (Backend::Detailed, Samples | Seed) => Some(
                "a snapshot route is not simulated (its P90 is a bound); give a departure time for the timetabled, simulated mode",
            ),
            (Backend::Detailed, Depart) => Some("use the combined mode (a departure time selects it)"),
            _ => None,
        }
    }

    /// The parameters this backend honours.
    pub fn supported(self) -> Vec<Param> {
        Param::ALL.into_iter().filter(|&p| self.refuses(p).is_none()).collect()
    }
}

/// A route query: what a user asked, typed but not yet tied to a network.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Query {
    /// Origin as typed.
    pub from: String,
    /// Destination as typed.
    pub to: String,
    /// Objective preset.
    pub optimize: Optimize,
    /// Container unit.
    pub unit: CargoUnit,
    /// Net cargo tonnes (default: the dataset's for the unit).
    pub payload_t: Option<f64>,
    /// The kind of train; `None`: by the route's ends ([`corridor_model::regions::default_traffic`]).
    pub traffic: Option<Traffic>,
    /// ISO codes of countries not to enter.
    pub avoid_countries: Vec<String>,
    /// Modes not to use, as typed.
    pub avoid_modes: Vec<String>,
    /// Locations not to pass, as typed.
    pub avoid_locations: Vec<String>,
    /// Border crossing ids not to use.
    pub avoid_borders: Vec<String>,
    /// Locations to pass through, in order, as typed (at most [`crate::MAX_VIA`]).
    pub via: Vec<String>,
    /// Corridor code.
    pub corridor: Option<String>,
    /// Value of time, USD per TEU-hour.
    pub value_of_time: Option<f64>,
    /// Carbon price, USD per tonne CO2e.
    pub carbon_price: Option<f64>,
    /// Departure, ISO 8601 (without offset: local time at the origin).
    pub depart: Option<String>,
    /// Latest arrival, ISO 8601 (without offset: local time at the destination).
    pub latest_arrival: Option<String>,
    /// Most container lifts.
    pub max_transshipments: Option<u32>,
    /// No change of rail gauge.
    pub avoid_gauge_changes: bool,
    /// Monte Carlo draws (default [`Query::DEFAULT_SAMPLES`]).
    pub samples: Option<usize>,
    /// Simulation seed (default [`Query::DEFAULT_SEED`]).
    pub seed: Option<u64>,
    /// Snapshot: road, rail, sea, terminal or any.
    pub snap: Option<String>,
    /// Snapshot: snapping radius, km.
    pub snap_km: Option<f64>,
    /// Snapshot: speed override, km/h.
    pub speed_kmh: Option<f64>,
    /// Snapshot: rate override, USD per tonne-km.
    pub usd_per_tkm: Option<f64>,
}

/// A parameter with a bad value, or one the backend cannot honour.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryError {
    /// Which parameter.
    pub param: Param,
    /// The position in a list parameter.
    pub index: Option<usize>,
    /// The value as given (empty for a flag).
    pub value: String,
    /// What is wrong.
    pub message: String,
    /// Whether the parameter is refused whatever its value: the backend does not honour it, or
    /// it needs another parameter. Otherwise its value is at fault (malformed, out of range, or
    /// naming nothing the network knows). A front end that tells the two apart (the server's
    /// `InvalidQuery` and `InvalidValue`) reads this.
    pub refused: bool,
}

impl QueryError {
    fn new(param: Param, value: impl fmt::Display, message: impl Into<String>) -> QueryError {
        QueryError { param, index: None, value: value.to_string(), message: message.into(), refused: false }
    }

    /// An error about `param` being given at all, whatever its value.
    fn refusal(param: Param, message: impl Into<String>) -> QueryError {
        QueryError { refused: true, ..QueryError::new(param, "", message) }
    }

    /// The message with the parameter in the command line's spelling:
    /// `--avoid-country XX (item 2): ...`.
    pub fn cli(&self) -> String {
        let at = self.index.map(|i| format!(" (item {})", i + 1)).unwrap_or_default();
        self.render(&self.param.cli_flag(), &at)
    }

    /// The message with the parameter in the HTTP API's spelling: `avoid_country[1] XX: ...`.
    pub fn api(&self) -> String {
        let name = match self.index {
            Some(i) => format!("{}[{i}]", self.param.api_name()),
            None => self.param.api_name().to_owned(),
        };
        self.render(&name, "")
    }

    fn render(&self, name: &str, at: &str) -> String {
        if self.value.is_empty() {
            format!("{name}{at}: {}", self.message)
        } else {
            format!("{name} {}{at}: {}", self.value, self.message)
        }
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.api())
    }
}

impl std::error::Error for QueryError {}

impl Query {
    /// Monte Carlo draws when none are asked for (the P90 objective ranks with them too).
    pub const DEFAULT_SAMPLES: usize = corridor_search::DEFAULT_SAMPLES;
    /// Seed when none is given (the P90 objective's ranking seed too).
    pub const DEFAULT_SEED: u64 = corridor_search::DEFAULT_SEED;

    /// Sets `param` from its text as a user typed it (a flag's value or a query string's):
    /// the one parse of query text, so the CLI and the server fail with the same words. A list
    /// parameter takes comma-separated entries and appends them (repeated flags or keys add
    /// up); ranges and names are checked later, by [`Query::check`] and [`Query::core_request`].
    pub fn set(&mut self, param: Param, text: &str) -> Result<(), QueryError> {
        use Param::*;
        let word = || Some(text.trim().to_owned());
        let list = |v: &mut Vec<String>| {
            v.extend(text.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned));
        };
        match param {
            From => self.from = text.to_owned(),
            To => self.to = text.to_owned(),
            Optimize => self.optimize = Param::parse_optimize(text)?,
            Unit => self.unit = Param::parse_unit(text)?,
            PayloadT => self.payload_t = Some(param.parse_number(text)?),
            Traffic => self.traffic = Param::parse_traffic(text)?,
            AvoidCountry => list(&mut self.avoid_countries),
            AvoidMode => list(&mut self.avoid_modes),
            AvoidLocation => list(&mut self.avoid_locations),
            AvoidBorder => list(&mut self.avoid_borders),
            Via => list(&mut self.via),
            Corridor => self.corridor = word(),
            ValueOfTime => self.value_of_time = Some(param.parse_number(text)?),
            CarbonPrice => self.carbon_price = Some(param.parse_number(text)?),
            Depart => self.depart = word(),
            LatestArrival => self.latest_arrival = word(),
            MaxTransshipments => self.max_transshipments = Some(param.parse_integer(text)?),
            AvoidGaugeChanges => self.avoid_gauge_changes = param.parse_switch(text)?,
            Samples => self.samples = Some(param.parse_integer(text)?),
            Seed => self.seed = Some(param.parse_integer(text)?),
            Snap => self.snap = word(),
            SnapKm => self.snap_km = Some(param.parse_number(text)?),
            SpeedKmh => self.speed_kmh = Some(param.parse_number(text)?),
            UsdPerTkm => self.usd_per_tkm = Some(param.parse_number(text)?),
        }
        Ok(())
    }

    /// Monte Carlo draws.
    pub fn samples(&self) -> usize {
        self.samples.unwrap_or(Self::DEFAULT_SAMPLES)
    }

    /// Simulation seed.
    pub fn seed(&self) -> u64 {
        self.seed.unwrap_or(Self::DEFAULT_SEED)
    }

    /// The parameters given beyond the places and the defaults.
    pub fn given(&self) -> Vec<Param> {
        use Param::*;
        let d = Query::default();
        [
            (Optimize, self.optimize != d.optimize),
            (Unit, self.unit != d.unit),
            (PayloadT, self.payload_t.is_some()),
            (Traffic, self.traffic.is_some()),
            (AvoidCountry, !self.avoid_countries.is_empty()),
            (AvoidMode, !self.avoid_modes.is_empty()),
            (AvoidLocation, !self.avoid_locations.is_empty()),
            (AvoidBorder, !self.avoid_borders.is_empty()),
            (Via, !self.via.is_empty()),
            (Corridor, self.corridor.is_some()),
            (ValueOfTime, self.value_of_time.is_some()),
            (CarbonPrice, self.carbon_price.is_some()),
            (Depart, self.depart.is_some()),
            (LatestArrival, self.latest_arrival.is_some()),
            (MaxTransshipments, self.max_transshipments.is_some()),
            (AvoidGaugeChanges, self.avoid_gauge_changes),
            (Samples, self.samples.is_some()),
            (Seed, self.seed.is_some()),
            (Snap, self.snap.is_some()),
            (SnapKm, self.snap_km.is_some()),
            (SpeedKmh, self.speed_kmh.is_some()),
            (UsdPerTkm, self.usd_per_tkm.is_some()),
        ]
        .into_iter()
        .filter_map(|(p, g)| g.then_some(p))
        .collect()
    }

    /// Checks every value's range and that `backend` honours every parameter given.
    pub fn check(&self, backend: Backend) -> Result<(), QueryError> {
        if let Some(&p) = self.given().iter().find(|&&p| backend.refuses(p).is_some()) {
            let why = backend.refuses(p).unwrap_or_default();
            return Err(QueryError::refusal(p, format!("not supported on this backend: {why}")));
        }
        let finite_in = |p: Param, v: Option<f64>, lo: f64, hi: f64, what: &str| -> Result<(), QueryError> {
            match v {
                Some(x) if !(x.is_finite() && x >= lo && x <= hi) => Err(QueryError::new(p, x, what.to_owned())),
                _ => Ok(()),
            }
        };
        finite_in(
            Param::PayloadT,
            self.payload_t,
            0.0,
            30.5,
            "must be between 0 and 30.5 tonnes (container payload limit)",
        )?;
        finite_in(Param::ValueOfTime, self.value_of_time, 0.0, 1e6, "must be a non-negative number (at most 1e6)")?;
        finite_in(Param::CarbonPrice, self.carbon_price, 0.0, 1e6, "must be a non-negative number (at most 1e6)")?;
        finite_in(Param::SnapKm, self.snap_km, 0.001, 1000.0, "must be between 0.001 and 1000 km")?;
        finite_in(Param::SpeedKmh, self.speed_kmh, 0.1, 1000.0, "must be between 0.1 and 1000 km/h")?;
        finite_in(Param::UsdPerTkm, self.usd_per_tkm, 0.0, 100.0, "must be between 0 and 100 USD per tonne-km")?;
        if let Some(n) = self.samples
            && !(1..=1_000_000).contains(&n)
        {
            return Err(QueryError::new(Param::Samples, n, "must be between 1 and 1000000"));
        }
        if let Some(s) = &self.snap
            && !["road", "rail", "sea", "terminal", "any"].contains(&s.as_str())
        {
            return Err(QueryError::new(Param::Snap, s, "expected road, rail, sea, terminal or any"));
        }
        for (i, c) in self.avoid_countries.iter().enumerate() {
            let c = c.trim();
            if !(c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic())) {
                return Err(QueryError {
                    index: Some(i),
                    ..QueryError::new(Param::AvoidCountry, c, "expected an ISO 3166-1 alpha-2 code such as RU")
                });
            }
        }
        self.modes()?;
        if !self.via.is_empty() {
            if self.via.len() > crate::MAX_VIA {
                return Err(QueryError::new(
                    Param::Via,
                    self.via.len(),
                    format!("places to pass through: at most {}", crate::MAX_VIA),
                ));
            }
            // The stretches are searched one by one: a limit over the whole route would hold
            // per stretch only.
            let whole = [
                (Param::Depart, self.depart.is_some()),
                (Param::LatestArrival, self.latest_arrival.is_some()),
                (Param::MaxTransshipments, self.max_transshipments.is_some()),
                (Param::AvoidGaugeChanges, self.avoid_gauge_changes),
            ];
            if let Some((p, _)) = whole.iter().find(|(_, given)| *given) {
                return Err(QueryError::refusal(
                    Param::Via,
                    format!(
                        "not combined with {}: a route through places is searched stretch by stretch, so a limit over the whole route cannot be kept",
                        p.api_name()
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The via places resolved on `net` (a prepared network keeps the core's ids), in order,
    /// and checked ([`Query::check_via_places`]); an unknown place or one outside the network
    /// is an error naming the entry.
    pub fn via_locations(
        &self,
        net: &Network,
        from: LocationId,
        to: LocationId,
    ) -> Result<Vec<LocationId>, QueryError> {
        if self.via.is_empty() {
            return Ok(Vec::new());
        }
        let resolver = Resolver::new(net);
        let resolve = |param: Param, (i, v): (usize, &String)| {
            resolver
                .resolve_core(v)
                .map_err(|e| QueryError { index: Some(i), ..QueryError::new(param, v.trim(), e.to_string()) })
        };
        let via = self.via.iter().enumerate().map(|x| resolve(Param::Via, x)).collect::<Result<Vec<_>, _>>()?;
        let avoided = self
            .avoid_locations
            .iter()
            .enumerate()
            .map(|x| resolve(Param::AvoidLocation, x))
            .collect::<Result<Vec<_>, _>>()?;
        self.check_via_places(&via, from, to, &avoided)?;
        Ok(via)
    }

    /// Checks the resolved via places (`via[i]` is entry `i` of [`Query::via`]): an end of the
    /// route, a place repeated right after itself or a place also in `avoided` is an error
    /// naming the entry.
    pub fn check_via_places(
        &self,
        via: &[LocationId],
        from: LocationId,
        to: LocationId,
        avoided: &[LocationId],
    ) -> Result<(), QueryError> {
        for (i, &id) in via.iter().enumerate() {
            let typed = self.via.get(i).map_or("", |v| v.trim());
            let at = |message: String| QueryError { index: Some(i), ..QueryError::new(Param::Via, typed, message) };
            if id == from || id == to {
                return Err(at(format!("is the {} of the route", if id == from { "origin" } else { "destination" })));
            }
            if i > 0 && via[i - 1] == id {
                return Err(at("repeats the place before it".into()));
            }
            if avoided.contains(&id) {
                return Err(at("is also a location to avoid".into()));
            }
        }
        Ok(())
    }

    /// The avoided modes, parsed.
    pub fn modes(&self) -> Result<Vec<Mode>, QueryError> {
        self.avoid_modes
            .iter()
            .enumerate()
            .map(|(i, m)| {
                m.trim()
                    .to_ascii_lowercase()
                    .parse::<Mode>()
                    .map_err(|e| QueryError { index: Some(i), ..QueryError::new(Param::AvoidMode, m.trim(), e) })
            })
            .collect()
    }

    /// The core request between two locations of `net` (step 3 of the pipeline): every list
    /// resolved against the network, every time parsed in its location's zone, and a pair
    /// between the two sides of a trade ban refused on [`Param::To`] ([`crate::trade`]; the
    /// search keeps the rest of the bans).
    pub fn core_request(&self, net: &Network, from: LocationId, to: LocationId) -> Result<RouteRequest, QueryError> {
        let req = self.table_request(net, from, to)?;
        crate::trade::check(net, &req)
            .map_err(|e| QueryError::new(Param::To, &net.location(to).code, e.to_string()))?;
        Ok(req)
    }

    /// [`Query::core_request`] without the refusal of a banned pair: the common request of a
    /// table, whose cells between the two sides of a ban are empty (`Router::table`); `from`
    /// and `to` are one cell's, for the times' zones.
    pub fn table_request(&self, net: &Network, from: LocationId, to: LocationId) -> Result<RouteRequest, QueryError> {
        self.check(Backend::Core)?;
        let mut req = RouteRequest::new(&net.defaults, from, to);
        req.unit = self.unit;
        req.payload = match (self.payload_t, self.unit) {
            (Some(t), _) => Tonnes(t),
            (None, CargoUnit::Teu) => net.defaults.payload_t_teu.value,
            (None, CargoUnit::Feu) => net.defaults.payload_t_feu.value,
        };
        req.traffic = self.traffic.unwrap_or_else(|| {
            corridor_model::regions::default_traffic(&net.location(from).country, &net.location(to).country)
        });
        req.optimize = self.optimize;
        if let Some(v) = self.value_of_time {
            req.value_of_time = v;
        }
        if let Some(v) = self.carbon_price {
            req.carbon_price = v;
        }
        req.depart = self.depart.as_deref().map(|s| parse_time(s, net.location(from), Param::Depart)).transpose()?;
        req.latest_arrival = self
            .latest_arrival
            .as_deref()
            .map(|s| parse_time(s, net.location(to), Param::LatestArrival))
            .transpose()?;
        if req.latest_arrival.is_some() && req.depart.is_none() {
            return Err(QueryError::refusal(Param::LatestArrival, "needs a departure time (depart)"));
        }
        req.max_transshipments = self.max_transshipments;
        req.avoid_gauge_changes = self.avoid_gauge_changes;
        // A country a link only runs through can be avoided too (the Brenner line's Austria).
        let mut countries: Vec<&str> = net
            .locations
            .iter()
            .map(|l| l.country.as_str())
            .chain(net.links.iter().flat_map(|l| l.transit.iter().map(String::as_str)))
            .collect();
        countries.sort();
        countries.dedup();
        let mut avoid = Avoid::default();
        for (i, c) in self.avoid_countries.iter().enumerate() {
            let c = c.trim().to_ascii_uppercase();
            if !countries.contains(&c.as_str()) {
                return Err(QueryError {
                    index: Some(i),
                    ..QueryError::new(
                        Param::AvoidCountry,
                        &c,
                        format!("no location of the network is in that country (known: {})", countries.join(",")),
                    )
                });
            }
            if !avoid.countries.contains(&c) {
                avoid.countries.push(c);
            }
        }
        for m in self.modes()? {
            if !avoid.modes.contains(&m) {
                avoid.modes.push(m);
            }
        }
        // The resolver (a name index of the network) only when there are names to resolve: the
        // server builds a core request for every route it answers.
        if !self.avoid_locations.is_empty() {
            let resolver = Resolver::new(net);
            for (i, l) in self.avoid_locations.iter().enumerate() {
                let id = resolver.resolve_core(l).map_err(|e| QueryError {
                    index: Some(i),
                    ..QueryError::new(Param::AvoidLocation, l.trim(), e.to_string())
                })?;
                // Avoiding an end is a contradiction, not a constraint (and on a prepared
                // network the outside origin or destination is itself a location).
                if id == from || id == to {
                    let end = if id == from { "origin" } else { "destination" };
                    return Err(QueryError {
                        index: Some(i),
                        ..QueryError::new(Param::AvoidLocation, l.trim(), format!("is the {end} of the route"))
                    });
                }
                avoid.locations.push(id);
            }
        }
        for (i, b) in self.avoid_borders.iter().enumerate() {
            if !net.borders.iter().any(|x| x.code == *b) {
                let mut known: Vec<&str> = net.borders.iter().map(|x| x.code.as_str()).collect();
                known.dedup();
                return Err(QueryError {
                    index: Some(i),
                    ..QueryError::new(
                        Param::AvoidBorder,
                        b,
                        format!("unknown border crossing (known: {})", known.join(", ")),
                    )
                });
            }
            avoid.borders.push(b.clone());
        }
        req.avoid = avoid;
        req.corridor = match &self.corridor {
            None => None,
            Some(c) => Some(net.corridor_by_code(c).ok_or_else(|| {
                let known: Vec<&str> = net.corridors.iter().map(|c| c.code.as_str()).collect();
                QueryError::new(Param::Corridor, c, format!("unknown corridor (known: {})", known.join(", ")))
            })?),
        };
        Ok(req)
    }
}

/// Parses an ISO 8601 instant; without an offset, the time is local at `at`.
pub fn parse_time(s: &str, at: &Location, param: Param) -> Result<jiff::Timestamp, QueryError> {
    if let Ok(t) = s.parse::<jiff::Timestamp>() {
        return Ok(t);
    }
    let civil = s.parse::<jiff::civil::DateTime>().map_err(|_| {
        QueryError::new(
            param,
            format!("{s:?}"),
            "not an ISO 8601 time such as 2026-12-01T08:00+05:00 or 2026-12-01T08:00",
        )
    })?;
    let tz = jiff::tz::TimeZone::get(&at.tz)
        .map_err(|e| QueryError::new(param, format!("{s:?}"), format!("time zone of {}: {e}", at.code)))?;
    civil
        .to_zoned_datetime(tz)
        .map(|z| z.timestamp())
        .map_err(|e| QueryError::new(param, format!("{s:?}"), e.to_string()))
}
