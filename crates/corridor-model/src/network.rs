//! The network model: what a dataset describes, after parsing and validation.
//!
//! Everything here is plain data with dense ids; invariants (ids in range, the platform of a
//! link present at both ends, non-negative figures) are established by whoever builds the
//! [`Network`] (the loader in `corridor-io`) and checked again by [`Network::check`].

use std::fmt;
use std::str::FromStr;

pub use crate::ids::Direction;
use crate::ids::*;
use crate::units::*;

/// Which network a location is on: rail of one track gauge, road, or sea.
///
/// A location served by two rail gauges (e.g. Dostyk, 1435 and 1520 mm) is a break-of-gauge
/// point; moving between its platforms needs a [`Transfer`].
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Platform {
    /// Railway of the given track gauge in millimetres.
    Rail {
        /// Track gauge, mm (1435 standard, 1520 Russian/CIS, ...).
        gauge_mm: u16,
    },
    /// Road network (trucks).
    Road,
    /// Seaport quay (container ships, feeders).
    Sea,
}

impl Platform {
    /// The mode that runs on this platform (a ferry attaches to a rail or road platform, so no
    /// platform maps to it).
    pub fn mode(self) -> Mode {
        match self {
            Platform::Rail { .. } => Mode::Rail,
            Platform::Road => Mode::Road,
            Platform::Sea => Mode::Sea,
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Platform::Rail { gauge_mm } => write!(f, "rail{gauge_mm}"),
            Platform::Road => f.write_str("road"),
            Platform::Sea => f.write_str("sea"),
        }
    }
}

impl FromStr for Platform {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "road" => Ok(Platform::Road),
            "sea" => Ok(Platform::Sea),
            _ => {
                let gauge =
                    s.strip_prefix("rail").and_then(|g| g.parse::<u16>().ok()).filter(|g| (500..=2000).contains(g));
                gauge.map(|gauge_mm| Platform::Rail { gauge_mm }).ok_or_else(|| {
                    format!("unknown platform {s:?} (expected rail<gauge mm> such as rail1435, road or sea)")
                })
            }
        }
    }
}

/// How a link moves containers.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Mode {
    /// Freight train.
    Rail,
    /// Truck.
    Road,
    /// Container ship (deep-sea or feeder).
    Sea,
    /// Train ferry or truck ferry (Ro-Ro, Ro-Pax).
    Ferry,
}

impl Mode {
    /// All modes, in display order.
    pub const ALL: [Mode; 4] = [Mode::Rail, Mode::Road, Mode::Sea, Mode::Ferry];

    /// The lowercase name used in files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Rail => "rail",
            Mode::Road => "road",
            Mode::Sea => "sea",
            Mode::Ferry => "ferry",
        }
    }

    /// Whether a link of this mode may attach to `platform`.
    pub fn accepts(self, platform: Platform) -> bool {
        match self {
            Mode::Rail => matches!(platform, Platform::Rail { .. }),
            Mode::Road => platform == Platform::Road,
            Mode::Sea => platform == Platform::Sea,
            Mode::Ferry => true,
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Mode::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| format!("unknown mode {s:?} (expected rail, road, sea or ferry)"))
    }
}

/// What a location is, for display and filtering.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum LocationKind {
    /// A city (the nodal point of a metropolitan area).
    City,
    /// A rail freight terminal or hub.
    RailTerminal,
    /// An inland container terminal with customs (dry port).
    DryPort,
    /// A seaport.
    Seaport,
    /// A border station or road border crossing.
    BorderCrossing,
}

impl LocationKind {
    /// All kinds, in display order.
    pub const ALL: [LocationKind; 5] = [
        LocationKind::City,
        LocationKind::RailTerminal,
        LocationKind::DryPort,
        LocationKind::Seaport,
        LocationKind::BorderCrossing,
    ];

    /// The snake_case name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            LocationKind::City => "city",
            LocationKind::RailTerminal => "rail_terminal",
            LocationKind::DryPort => "dry_port",
            LocationKind::Seaport => "seaport",
            LocationKind::BorderCrossing => "border_crossing",
        }
    }
}

impl FromStr for LocationKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        LocationKind::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| {
            format!("unknown location kind {s:?} (expected city, rail_terminal, dry_port, seaport or border_crossing)")
        })
    }
}

/// A place where freight can start, end, or change platform.
#[derive(Clone, Debug)]
pub struct Location {
    /// Stable public id: the UN/LOCODE without space where one exists (`KZAAU`), else `CC-NAME`.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Other spellings and scripts.
    pub aliases: Vec<String>,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// Latitude, WGS84 degrees.
    pub lat: f64,
    /// Longitude, WGS84 degrees.
    pub lon: f64,
    /// IANA time zone name.
    pub tz: String,
    /// Kinds, primary first (never empty).
    pub kinds: Vec<LocationKind>,
    /// Platforms served, sorted, without duplicates (never empty).
    pub platforms: Vec<Platform>,
}

impl Location {
    /// Whether the location serves `platform`.
    pub fn serves(&self, platform: Platform) -> bool {
        self.platforms.contains(&platform)
    }
}

/// A price that depends on the cargo unit: flat per container, per container-km, or per cargo
/// tonne-km.
///
/// Forwarders buy rates per box and direction (ERAI, Drewry WCI, truck lanes); a tonne-km rate is
/// kept for datasets whose tariff really is by weight, and is the only form in which the payload
/// changes the price.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Tariff {
    /// Flat price per TEU, if published.
    pub usd_teu: Option<Usd>,
    /// Flat price per FEU, if published.
    pub usd_feu: Option<Usd>,
    /// Price per TEU-km (median), used when no flat price is given for the unit.
    pub usd_teu_km: Option<f64>,
    /// Price per FEU-km (median), used when no flat price is given for the unit.
    pub usd_feu_km: Option<f64>,
    /// Price per cargo tonne-km, used when neither a flat nor a per-container-km price is given.
    pub usd_tkm: Option<f64>,
    /// Fixed price per TEU per sailing, for a service with departures: charged once when the
    /// box boards (at the wait for the departure), however many port calls the voyage makes.
    /// Liner freight has a fixed part a rate per km cannot carry: the shortest indexed lanes
    /// cost about as much as lanes several times longer.
    pub usd_teu_sailing: Option<Usd>,
    /// Fixed price per FEU per sailing (see `usd_teu_sailing`).
    pub usd_feu_sailing: Option<Usd>,
    /// Fixed price per TEU for landing a box from a liner at a port of this class's lanes: the
    /// premium of a destination range over the rate per km. A freight index prices a lane, not
    /// a distance: Shanghai–Genoa costs more than Shanghai–Rotterdam at four fifths of the
    /// distance, which no rate per km can give and a charge at the range's ports can (see
    /// [`Network::landing_at`]).
    pub usd_teu_landing: Option<Usd>,
    /// Fixed price per FEU for landing (see `usd_teu_landing`).
    pub usd_feu_landing: Option<Usd>,
    /// The spread of the market around the median price.
    pub range: PriceRange,
    /// When the rates were observed, if the data says.
    pub basis: Option<PriceBasis>,
}

/// The spread of a price as factors of its median: the 10th and 90th percentiles over the dated
/// observations of the price basis period. `(1, 1)` is a fixed price.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PriceRange {
    /// P10 / P50, in (0, 1].
    pub p10: f64,
    /// P90 / P50, at least 1.
    pub p90: f64,
}

impl Default for PriceRange {
    fn default() -> Self {
        PriceRange { p10: 1.0, p90: 1.0 }
    }
}

/// The month a rate was observed (or the last month of the period it summarises), so a user
/// knows how old a price is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PriceBasis {
    /// Calendar year.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
}

impl PriceBasis {
    /// Parses `YYYY-MM`.
    pub fn parse(s: &str) -> Option<PriceBasis> {
        let (y, m) = s.split_once('-')?;
        let (year, month) = (y.parse::<u16>().ok()?, m.parse::<u8>().ok()?);
        ((1900..=2200).contains(&year) && (1..=12).contains(&month) && y.len() == 4 && m.len() == 2)
            .then_some(PriceBasis { year, month })
    }
}

impl std::fmt::Display for PriceBasis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// A price with its market range: P10, median and P90.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Price {
    /// 10th percentile.
    pub p10: Usd,
    /// Median: what searches weigh and totals report as the price.
    pub p50: Usd,
    /// 90th percentile.
    pub p90: Usd,
}

impl std::ops::AddAssign for Price {
    /// Quantiles add when the prices move together (comonotone): rates bought for one through
    /// route follow one market, and the sum is the conservative (widest) range.
    fn add_assign(&mut self, o: Price) {
        self.p10 += o.p10;
        self.p50 += o.p50;
        self.p90 += o.p90;
    }
}

impl Tariff {
    /// Median price for one unit carrying `payload` over `km` (see [`Tariff::quote`]).
    pub fn price(&self, unit: CargoUnit, payload: Tonnes, km: Km) -> Usd {
        self.quote(unit, payload, km).p50
    }

    /// Price range for one unit carrying `payload` over `km`.
    ///
    /// A flat price wins, then a per-container-km price, then a per-tonne-km rate. A missing
    /// figure for one unit is derived from the other's (one FEU = two TEU, the convention of the
    /// ERAI and Drewry indices that quote per FEU); datasets that know better give both.
    pub fn quote(&self, unit: CargoUnit, payload: Tonnes, km: Km) -> Price {
        let pick = |teu: Option<f64>, feu: Option<f64>| match unit {
            CargoUnit::Teu => teu.or(feu.map(|p| p * 0.5)),
            CargoUnit::Feu => feu.or(teu.map(|p| p * 2.0)),
        };
        let flat = pick(self.usd_teu.map(|u| u.0), self.usd_feu.map(|u| u.0));
        let per_km = pick(self.usd_teu_km, self.usd_feu_km);
        let median = match (flat, per_km, self.usd_tkm) {
            (Some(p), _, _) => p,
            (None, Some(rate), _) => rate * km.0,
            (None, None, Some(rate)) => rate * payload.0 * km.0,
            (None, None, None) => 0.0,
        };
        Price { p10: Usd(median * self.range.p10), p50: Usd(median), p90: Usd(median * self.range.p90) }
    }

    /// The fixed price of one sailing for one unit (zero without one), with the same market
    /// range as the rate per km.
    pub fn quote_sailing(&self, unit: CargoUnit) -> Price {
        self.quote_fixed(self.usd_teu_sailing, self.usd_feu_sailing, unit)
    }

    /// The fixed price of landing one unit from a liner (zero without one), with the same market
    /// range as the rate per km.
    pub fn quote_landing(&self, unit: CargoUnit) -> Price {
        self.quote_fixed(self.usd_teu_landing, self.usd_feu_landing, unit)
    }

    /// A fixed price per TEU and per FEU for one unit (a missing one derived as FEU = 2 x TEU),
    /// with the tariff's market range.
    fn quote_fixed(&self, teu: Option<Usd>, feu: Option<Usd>, unit: CargoUnit) -> Price {
        let median = match unit {
            CargoUnit::Teu => teu.map(|u| u.0).or(feu.map(|u| u.0 * 0.5)),
            CargoUnit::Feu => feu.map(|u| u.0).or(teu.map(|u| u.0 * 2.0)),
        }
        .unwrap_or(0.0);
        Price { p10: Usd(median * self.range.p10), p50: Usd(median), p90: Usd(median * self.range.p90) }
    }

    /// Whether any price is given.
    pub fn is_priced(&self) -> bool {
        self.usd_teu.is_some()
            || self.usd_feu.is_some()
            || self.usd_teu_km.is_some()
            || self.usd_feu_km.is_some()
            || self.usd_tkm.is_some()
    }

    /// All figures multiplied by `factor` (a scenario's what-if), the spread and basis kept.
    pub fn scaled(&self, factor: f64) -> Tariff {
        Tariff {
            usd_teu: self.usd_teu.map(|p| p * factor),
            usd_feu: self.usd_feu.map(|p| p * factor),
            usd_teu_km: self.usd_teu_km.map(|p| p * factor),
            usd_feu_km: self.usd_feu_km.map(|p| p * factor),
            usd_tkm: self.usd_tkm.map(|p| p * factor),
            usd_teu_sailing: self.usd_teu_sailing.map(|p| p * factor),
            usd_feu_sailing: self.usd_feu_sailing.map(|p| p * factor),
            usd_teu_landing: self.usd_teu_landing.map(|p| p * factor),
            usd_feu_landing: self.usd_feu_landing.map(|p| p * factor),
            ..*self
        }
    }
}

/// Which way a rate applies. Container trade between Asia and Europe is unbalanced (about seven
/// boxes westbound for one eastbound by rail, three to one by sea), so carriers price the
/// directions apart; "westbound" is travel towards a lower longitude, the Asia→Europe headhaul.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PriceDirection {
    /// One rate both ways.
    Any,
    /// Towards a lower longitude.
    Westbound,
    /// Towards a higher longitude.
    Eastbound,
}

impl PriceDirection {
    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            PriceDirection::Any => "any",
            PriceDirection::Westbound => "westbound",
            PriceDirection::Eastbound => "eastbound",
        }
    }

    /// The direction of travel from a longitude to another (equal longitudes count as
    /// westbound, the headhaul: the dearer rate when in doubt).
    pub fn of(from_lon: f64, to_lon: f64) -> PriceDirection {
        if to_lon > from_lon { PriceDirection::Eastbound } else { PriceDirection::Westbound }
    }
}

/// A named rate per container-km that links share (rail on 1520 mm, deep-sea liner, EU truck...),
/// with a rate per direction where the market has one.
#[derive(Clone, Debug, PartialEq)]
pub struct PriceClass {
    /// Stable public id, e.g. `rail-1520`.
    pub code: String,
    /// The rate both ways, or the westbound and eastbound rates.
    pub rates: PriceRates,
    /// Sources of the rates.
    pub sources: Vec<SourceId>,
    /// For a class with a rate per direction: the two ends of the trade its rates are for
    /// (`[west, east]`, e.g. Rotterdam and Shanghai for the Asia–Europe liner rates), where
    /// longitude misleads. A liner lane calls north and south on its way west (Vigo,
    /// Southampton, Calais on the way to Rotterdam): by longitude those calls would take the
    /// backhaul rate, and a chain of calls would undercut the through lane. `None`: by longitude.
    pub trade_ends: Option<[LocationId; 2]>,
    /// With trade ends: per location, its progress from the west end towards the east end along
    /// the links of every class with the same trade ends (km to the west end minus km to the
    /// east end), NaN where they do not reach. Empty without trade ends.
    pub axis: Vec<f64>,
}

/// The rates of a [`PriceClass`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PriceRates {
    /// The same rate both ways.
    Any(Tariff),
    /// A rate per direction.
    ByDirection {
        /// Towards a lower longitude (the Asia→Europe headhaul).
        westbound: Tariff,
        /// Towards a higher longitude.
        eastbound: Tariff,
    },
}

impl PriceClass {
    /// The tariffs of a link between two positions on the west–east axis (longitudes, or
    /// distances from the west end): its own direction, and the reverse where it differs (see
    /// [`Link::tariff_back`]).
    pub fn tariffs(&self, from_lon: f64, to_lon: f64) -> (Tariff, Option<Tariff>) {
        match self.rates {
            PriceRates::Any(t) => (t, None),
            PriceRates::ByDirection { westbound, eastbound } => match PriceDirection::of(from_lon, to_lon) {
                PriceDirection::Eastbound => (eastbound, Some(westbound)),
                _ => (westbound, Some(eastbound)),
            },
        }
    }

    /// The tariffs of a link of `km` from `from` to `to`, each a location with its longitude:
    /// by their progress along the trade where the class has trade ends, its links reach both
    /// and the link runs along the lane, else by longitude. A link along the lane moves its
    /// whole length nearer one end and away from the other (progress 2 × km); one on a branch
    /// off the lane (into the Adriatic, the Gulf, beyond an end) makes next to none, as its
    /// ports are as far along the trade as the branch's junction. The link runs along the lane
    /// when its progress is at least its length (half the most it can be).
    pub fn tariffs_between(&self, from: (LocationId, f64), to: (LocationId, f64), km: f64) -> (Tariff, Option<Tariff>) {
        let on_axis = |l: LocationId| self.axis.get(l.index()).copied().filter(|x| x.is_finite());
        match (on_axis(from.0), on_axis(to.0)) {
            (Some(a), Some(b)) if (b - a).abs() >= km.max(f64::MIN_POSITIVE) => self.tariffs(a, b),
            _ => self.tariffs(from.1, to.1),
        }
    }
}

/// The container unit of a shipment.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub enum CargoUnit {
    /// Twenty-foot equivalent unit.
    #[default]
    Teu,
    /// Forty-foot container (2 TEU).
    Feu,
}

impl CargoUnit {
    /// The number of TEU this unit counts for.
    pub fn teu(self) -> f64 {
        match self {
            CargoUnit::Teu => 1.0,
            CargoUnit::Feu => 2.0,
        }
    }

    /// Lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            CargoUnit::Teu => "teu",
            CargoUnit::Feu => "feu",
        }
    }
}

impl FromStr for CargoUnit {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "teu" => Ok(CargoUnit::Teu),
            "feu" => Ok(CargoUnit::Feu),
            _ => Err(format!("unknown cargo unit {s:?} (expected teu or feu)")),
        }
    }
}

/// Provenance of the figures of one record, as source ids per figure group.
#[derive(Clone, Debug, Default)]
pub struct LinkSources {
    /// Sources of the distance.
    pub km: Vec<SourceId>,
    /// Sources of the running time or speed.
    pub time: Vec<SourceId>,
    /// Sources of the tariff.
    pub cost: Vec<SourceId>,
    /// Sources of the capacity.
    pub capacity: Vec<SourceId>,
    /// Sources of the headway.
    pub headway: Vec<SourceId>,
}

/// How a truck link is timed by the drivers' rule ([`Link::driving`]).
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct Driving {
    /// Time at the wheel end to end (km / the moving speed).
    pub hours: Hours,
    /// Hours a day the drivers drive on this link (the rest of each 24 h they stand), in
    /// (0, 24].
    pub daily: Hours,
}

/// A connection between two locations on one platform.
#[derive(Clone, Debug)]
pub struct Link {
    /// Stable public id.
    pub code: String,
    /// One end.
    pub from: LocationId,
    /// The other end.
    pub to: LocationId,
    /// How containers move.
    pub mode: Mode,
    /// The platform the link attaches to at both ends.
    pub platform: Platform,
    /// Length.
    pub km: Km,
    /// Running time end to end, excluding dwell at the ends.
    pub hours: Hours,
    /// For a truck link timed by the drivers' daily driving hours: the driving time alone (km /
    /// the country's moving speed) and the hours a day its drivers drive; `hours` is then the
    /// 24 h average (driving x 24 / daily hours), and a route retimes its runs of such links
    /// with the rule itself.
    pub driving: Option<Driving>,
    /// Price in the `from → to` direction.
    pub tariff: Tariff,
    /// Price in the `to → from` direction where it differs (backhaul rates): `None` means the
    /// same price both ways.
    pub tariff_back: Option<Tariff>,
    /// Weekly capacity in TEU, where known.
    pub capacity_teu_week: Option<f64>,
    /// Mean interval between departures of a non-continuous service (ferry, feeder, liner);
    /// `None` for continuous links such as roads. A shipment waits for the next departure.
    pub headway: Option<Hours>,
    /// Delays before a departure beyond the schedule (storms holding ferries in port): a
    /// congestion regime added to the wait for a departure.
    pub hold: Option<Hold>,
    /// A port's backlog holding departures in one direction (forward, reverse): a second
    /// congestion regime beside [`Link::hold`], independent of it, where the sources report
    /// queues one way only (wagons waiting at Kuryk for ferries to Alat in 2025).
    pub backlog: [Option<Hold>; 2],
    /// Corridors the link belongs to; empty for a shared feeder.
    pub corridors: Vec<CorridorId>,
    /// Emission intensity of the link's vehicles.
    pub emission_factor: EmissionFactorId,
    /// Usable only from `from` to `to`.
    pub oneway: bool,
    /// A liner service (sea links only): its ships call at ports and sail on, so a shipment
    /// aboard stays aboard through a call and waits for a departure (and draws its lateness)
    /// once per voyage, where it is loaded. Other services with a headway are waited for on
    /// each link (a ferry or feeder between two ports).
    pub liner: bool,
    /// The wait for a departure when arriving at a random moment, per direction (forward,
    /// reverse): from the timetable where one exists, else from the headway. Filled by
    /// [`Network::refresh_waits`].
    pub wait: [Option<Dwell>; 2],
    /// Geometry as (lat, lon) points from `from` to `to`; empty means a straight line. Shared, as
    /// [`Link::sources`]: a prepared network copies every link.
    pub geometry: std::sync::Arc<[(f64, f64)]>,
    /// Provenance of the figures; shared, because a query's prepared network copies every link
    /// (`corridor_routing::prepare`) and five lists per link were most of that copy.
    pub sources: std::sync::Arc<LinkSources>,
    /// The figures are a stated estimate for this query, not measured along a path: the
    /// first/last-mile truck legs that join a place outside the network to its terminals.
    pub estimated: bool,
    /// Countries the link runs through between its ends, in `from → to` order (ISO 3166-1
    /// alpha-2): the Brenner line Munich–Verona crosses Austria. Avoiding one avoids the link,
    /// and a route through it lists it.
    pub transit: Vec<String>,
}

impl Link {
    /// The price in one direction of travel (`forward` = `from → to`).
    pub fn tariff_in(&self, forward: bool) -> &Tariff {
        if forward { &self.tariff } else { self.tariff_back.as_ref().unwrap_or(&self.tariff) }
    }
}

/// What happens to a container at a transfer.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum TransferKind {
    /// Lift from one vehicle to another (between modes or gauges).
    Transshipment,
    /// The wagon changes bogies or gauge; the container stays on it.
    GaugeChange,
    /// Ship to land or land to ship at a port.
    PortHandling,
}

impl TransferKind {
    /// All kinds.
    pub const ALL: [TransferKind; 3] =
        [TransferKind::Transshipment, TransferKind::GaugeChange, TransferKind::PortHandling];

    /// The snake_case name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            TransferKind::Transshipment => "transshipment",
            TransferKind::GaugeChange => "gauge_change",
            TransferKind::PortHandling => "port_handling",
        }
    }
}

impl FromStr for TransferKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        TransferKind::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| {
            format!("unknown transfer kind {s:?} (expected transshipment, gauge_change or port_handling)")
        })
    }
}

/// A dwell time distribution given by its mean and 90th percentile, with an optional congestion
/// regime on top.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Dwell {
    /// Mean dwell of the normal regime.
    pub mean: Hours,
    /// 90th percentile of the normal regime (at least the mean).
    pub p90: Hours,
    /// The congestion regime, where the sources report one: trains queued for days or weeks at
    /// a border, sailings held by storms.
    pub hold: Option<Hold>,
    /// A second regime, independent of the first: a port's backlog in this direction (the wait
    /// for a departure of a link with [`Link::backlog`]).
    pub backlog: Option<Hold>,
}

impl Dwell {
    /// A dwell without a congestion regime.
    pub fn new(mean: Hours, p90: Hours) -> Dwell {
        Dwell { mean, p90, hold: None, backlog: None }
    }

    /// The expected dwell over every regime: mean + p × hold mean for each.
    pub fn expected(&self) -> Hours {
        let extra = |r: Option<Hold>| r.map_or(Hours(0.0), |h| h.mean * h.p);
        self.mean + extra(self.hold) + extra(self.backlog)
    }
}

/// A congestion regime: with probability `p` a shipment is held, for a time with this mean and
/// 90th percentile, on top of the normal dwell. The probability is the share of days a year the
/// sources report the crossing or service congested; the hold, the waits they report.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hold {
    /// Probability that a shipment meets the congestion regime, in [0, 1).
    pub p: f64,
    /// Mean hold.
    pub mean: Hours,
    /// 90th percentile of the hold.
    pub p90: Hours,
}

/// A move between two platforms of one location.
#[derive(Clone, Debug)]
pub struct Transfer {
    /// Where.
    pub location: LocationId,
    /// Platform the container arrives on.
    pub from: Platform,
    /// Platform it leaves on.
    pub to: Platform,
    /// What happens.
    pub kind: TransferKind,
    /// How long it takes.
    pub dwell: Dwell,
    /// What it costs (flat per unit).
    pub tariff: Tariff,
    /// Usable only from `from` to `to`.
    pub oneway: bool,
    /// Provenance of all figures of the row.
    pub sources: Vec<SourceId>,
}

/// A border crossing point for one direction of a link.
#[derive(Clone, Debug)]
pub struct Border {
    /// Stable public id (shared by both directions of one crossing).
    pub code: String,
    /// Display name, e.g. "Alashankou–Dostyk".
    pub name: String,
    /// The link that crosses the border.
    pub link: LinkId,
    /// The direction of travel this record applies to.
    pub direction: Direction,
    /// Time to clear the crossing (both countries).
    pub dwell: Dwell,
    /// Cost of clearing.
    pub tariff: Tariff,
    /// Provenance.
    pub sources: Vec<SourceId>,
    /// The figures for [`Traffic::Regular`] trains where the sources time them apart from the
    /// container expresses (`dwell` and `tariff` above); `None`: one figure for all rail traffic.
    pub regular: Option<TrafficFigures>,
}

impl Border {
    /// Time to clear the crossing for `traffic`.
    pub fn dwell_for(&self, traffic: Traffic) -> Dwell {
        match (traffic, &self.regular) {
            (Traffic::Regular, Some(r)) => r.dwell,
            _ => self.dwell,
        }
    }

    /// Cost of clearing for `traffic`.
    pub fn tariff_for(&self, traffic: Traffic) -> &Tariff {
        match (traffic, &self.regular) {
            (Traffic::Regular, Some(r)) => &r.tariff,
            _ => &self.tariff,
        }
    }
}

/// A crossing's figures for one traffic type.
#[derive(Clone, Debug)]
pub struct TrafficFigures {
    /// Time to clear the crossing.
    pub dwell: Dwell,
    /// Cost of clearing.
    pub tariff: Tariff,
    /// Provenance.
    pub sources: Vec<SourceId>,
}

/// The kind of train a container rides, where border crossings treat kinds apart. CAREC's CPMM
/// (2022) reports regular trains side-tracked at Horgos to let the Eurasian container expresses
/// pass, and its all-freight crossing times are several times the expresses'. Trucks are the
/// road mode, with their own crossings.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, PartialOrd, Ord)]
pub enum Traffic {
    /// A container block train with priority: the China–Europe expresses (the default).
    #[default]
    Express,
    /// A regular train: wagonload, and the regional container trains that give way to the
    /// expresses (China–Central Asia), timed by the all-freight figures.
    Regular,
}

impl Traffic {
    /// Both kinds.
    pub const ALL: [Traffic; 2] = [Traffic::Express, Traffic::Regular];

    /// Lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Traffic::Express => "express",
            Traffic::Regular => "regular",
        }
    }
}

impl std::fmt::Display for Traffic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Traffic {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Traffic::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| format!("unknown traffic {s:?} (expected express or regular)"))
    }
}

/// What an emission intensity is counted per.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum EmissionBasis {
    /// Grams CO2e per tonne of cargo per km.
    TonneKm,
    /// Grams CO2e per TEU per km.
    TeuKm,
}

/// An emission intensity (GLEC Framework / ISO 14083).
#[derive(Clone, Debug)]
pub struct EmissionFactor {
    /// Public id, e.g. `rail-electric`.
    pub code: String,
    /// Mode it applies to.
    pub mode: Mode,
    /// Human description (vehicle class, fuel, region).
    pub description: String,
    /// Unit of activity.
    pub basis: EmissionBasis,
    /// Well-to-wheel intensity, g CO2e per unit of activity.
    pub wtw_g: f64,
    /// Tank-to-wheel intensity, g CO2e per unit of activity.
    pub ttw_g: f64,
    /// Provenance.
    pub sources: Vec<SourceId>,
}

/// A named trade corridor that links can be tagged with.
#[derive(Clone, Debug)]
pub struct Corridor {
    /// Tag, e.g. `middle`.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Map colour (`#rrggbb`).
    pub color: String,
    /// One-paragraph description.
    pub description: String,
    /// Corridors a route of this one may continue on, because the corridor is defined only up to
    /// a junction (CMREC joins the Trans-Siberian at Ulan-Ude, which joins the Northern route's
    /// line west of Moscow): a corridor restriction admits their links too, and a corridor's
    /// route must still use one of its own links.
    pub continues_on: Vec<CorridorId>,
    /// Whether the corridor is told apart by its border crossings (CMREC by Erenhot–Zamyn-Üüd
    /// and Naushki, CPEC by Khunjerab): a route of it that crosses borders must cross one on
    /// the corridor's own links, so that a CMREC route cannot enter China through Kazakhstan on
    /// the lines it continues on. Not for a corridor with a sea entry (the Trans-Siberian by
    /// Vostochny crosses none of its land borders).
    pub known_by_crossings: bool,
}

/// The most border crossings a corridor known by its crossings may have on its links: the
/// routing automaton keeps one state per crossing (`Network::check` refuses more).
pub const MAX_CORRIDOR_CROSSINGS: usize = 1024;

/// How trustworthy a source is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SourceStatus {
    /// Stated by an official or primary source.
    Stated,
    /// Stated in trade press.
    Press,
    /// Computed from sourced inputs.
    Computed,
    /// An estimate of ours; the note gives the method.
    Estimate,
}

/// A citation or an estimation method.
#[derive(Clone, Debug)]
pub struct Source {
    /// Public id.
    pub code: String,
    /// Trust level.
    pub status: SourceStatus,
    /// Title.
    pub title: String,
    /// Where to read it.
    pub url: String,
    /// Method (mandatory for estimates) or remark.
    pub note: String,
}

/// A default query parameter with its provenance.
#[derive(Clone, Debug)]
pub struct Sourced<T> {
    /// The value.
    pub value: T,
    /// Its sources.
    pub sources: Vec<SourceId>,
}

/// The figures of estimated first/last-mile truck legs, which join a place outside the network
/// to its nearest terminals (see `corridor-routing`'s access step). Each has its sources.
#[derive(Clone, Debug)]
pub struct AccessFigures {
    /// Road km per great-circle km.
    pub road_detour_factor: Sourced<f64>,
    /// Truck driving speed, km/h.
    pub truck_driving_kmh: Sourced<f64>,
    /// Driving hours per 24 h (the rest of the day is rest).
    pub truck_daily_driving_h: Sourced<f64>,
    /// Truck price (a price class of the dataset, per truck-km: one box per truck).
    pub truck_price: Sourced<Tariff>,
    /// Lift between a truck and a train at a terminal: mean hours.
    pub lift_hours_mean: Sourced<f64>,
    /// The same: 90th-percentile hours.
    pub lift_hours_p90: Sourced<f64>,
    /// The same: USD per container.
    pub lift_usd: Sourced<f64>,
    /// A road border outside a customs union: mean hours.
    pub road_border_hours_mean: Sourced<f64>,
    /// The same: 90th-percentile hours.
    pub road_border_hours_p90: Sourced<f64>,
    /// The same: USD per container.
    pub road_border_usd: Sourced<f64>,
    /// Longest access leg considered, great-circle km: a place farther from every terminal is
    /// refused rather than joined by an implausible truck run.
    pub max_km: Sourced<f64>,
    /// Emission factor of the truck (by id in `emission_factors.csv`).
    pub emission_factor: EmissionFactorId,
    /// Per country (ISO alpha-2), the trucks of a country without road links of its own, as
    /// the dataset declares them (`[access.countries.XX]`): sourced figures for the estimated
    /// legs of a country such as Japan, where the network has no road to take them from.
    pub declared: std::collections::BTreeMap<String, Trucks>,
    /// Per country (ISO alpha-2), the trucks of its estimated legs: those of its own road links
    /// (a first mile in Germany at the EU road rate, one in China at its drivers' daily hours),
    /// else the declared ones; a country in neither takes the figures above. Filled by
    /// [`Network::refresh_access_trucks`].
    pub by_country: std::collections::BTreeMap<String, Trucks>,
}

/// How trucks are driven and priced: the figures an estimated access leg takes.
#[derive(Clone, Debug, PartialEq)]
pub struct Trucks {
    /// Driving speed, km/h.
    pub driving_kmh: f64,
    /// Driving hours per 24 h.
    pub daily_driving_h: f64,
    /// Price per truck-km (one box per truck).
    pub price: Tariff,
    /// Sources of the speed and daily hours.
    pub time_sources: Vec<SourceId>,
    /// Sources of the price.
    pub cost_sources: Vec<SourceId>,
}

impl AccessFigures {
    /// The trucks of an estimated leg from or to a place of `country`: its road links' own
    /// where it has some, else its declared ones ([`AccessFigures::by_country`], borrowed: a
    /// query asks once per candidate terminal), else the dataset-wide figures.
    pub fn trucks(&self, country: &str) -> std::borrow::Cow<'_, Trucks> {
        use std::borrow::Cow;
        self.by_country.get(country).map(Cow::Borrowed).unwrap_or_else(|| {
            let mut time_sources: Vec<SourceId> = [&self.truck_driving_kmh, &self.truck_daily_driving_h]
                .iter()
                .flat_map(|x| x.sources.iter().copied())
                .collect();
            time_sources.sort();
            time_sources.dedup();
            Cow::Owned(Trucks {
                driving_kmh: self.truck_driving_kmh.value,
                daily_driving_h: self.truck_daily_driving_h.value,
                price: self.truck_price.value,
                time_sources,
                cost_sources: self.truck_price.sources.clone(),
            })
        })
    }
}

/// Default query parameters of a dataset.
#[derive(Clone, Debug)]
pub struct Defaults {
    /// Net cargo tonnes in a TEU when the user gives none.
    pub payload_t_teu: Sourced<Tonnes>,
    /// Net cargo tonnes in an FEU when the user gives none.
    pub payload_t_feu: Sourced<Tonnes>,
    /// Value of time per TEU-hour for the `balanced` objective.
    pub value_of_time_usd_per_teu_hour: Sourced<f64>,
    /// Carbon price, USD per tonne CO2e, for the `balanced` objective.
    pub carbon_price_usd_per_t: Sourced<f64>,
    /// Figures of estimated access and egress legs; `None` when the dataset has no `[access]`
    /// section (then only its own locations can be routed between).
    pub access: Option<AccessFigures>,
}

/// Descriptive metadata of a dataset.
#[derive(Clone, Debug, Default)]
pub struct DatasetInfo {
    /// Short name, e.g. `eurasia`.
    pub name: String,
    /// Version string.
    pub version: String,
    /// What it covers.
    pub description: String,
    /// Licence and attribution text that must accompany outputs.
    pub attribution: String,
}

/// A complete, validated multimodal freight network.
#[derive(Clone, Debug)]
pub struct Network {
    /// Metadata.
    pub info: DatasetInfo,
    /// Default query parameters.
    pub defaults: Defaults,
    /// Locations, indexed by [`LocationId`].
    pub locations: Vec<Location>,
    /// Links, indexed by [`LinkId`].
    pub links: Vec<Link>,
    /// Transfers, indexed by [`TransferId`].
    pub transfers: Vec<Transfer>,
    /// Border crossings, indexed by [`BorderId`].
    pub borders: Vec<Border>,
    /// Emission factors, indexed by [`EmissionFactorId`].
    pub emission_factors: Vec<EmissionFactor>,
    /// Corridors, indexed by [`CorridorId`].
    pub corridors: Vec<Corridor>,
    /// Sources, indexed by [`SourceId`].
    pub sources: Vec<Source>,
    /// Timetabled services on links.
    pub services: Vec<crate::schedule::Service>,
    /// Price classes (`prices.csv`) that links name, in file order.
    pub prices: Vec<PriceClass>,
    /// Per location, the charge for landing a box from a liner there, if its lanes' price class
    /// has one (see [`Tariff::usd_teu_landing`]); filled by [`Network::refresh_landings`]. A
    /// location past the end (one added for an outside place) has none.
    pub landings: Vec<Option<Tariff>>,
}

impl Network {
    /// The charge for landing a box from a liner at `loc`, if any.
    pub fn landing_at(&self, loc: LocationId) -> Option<&Tariff> {
        self.landings.get(loc.index()).and_then(Option::as_ref)
    }

    /// Recomputes [`Network::landings`] from the liner lanes: a port takes the largest landing
    /// charge of the tariffs (both directions) of the liner lanes that touch it. A range premium
    /// belongs to the port, not to the lane a voyage arrives by: a box landed at Genoa pays the
    /// Mediterranean's premium whether the ship came by Suez or by Gibraltar.
    pub fn refresh_landings(&mut self) {
        let teu = |t: &Tariff| t.quote_landing(CargoUnit::Teu).p50.0;
        let mut landings: Vec<Option<Tariff>> = vec![None; self.locations.len()];
        for l in &self.links {
            if !l.liner || l.platform != Platform::Sea {
                continue;
            }
            for t in std::iter::once(&l.tariff).chain(l.tariff_back.as_ref()) {
                if t.usd_teu_landing.is_none() && t.usd_feu_landing.is_none() {
                    continue;
                }
                for end in [l.from, l.to] {
                    let slot = &mut landings[end.index()];
                    if slot.as_ref().is_none_or(|old| teu(t) > teu(old)) {
                        *slot = Some(*t);
                    }
                }
            }
        }
        self.landings = landings;
    }

    /// Recomputes [`AccessFigures::by_country`] from the road links: per country, the driving
    /// speed, daily hours and price that most km of its truck links (both ends in the country,
    /// timed by the drivers' rule, priced by the km) carry, with their sources; the declared
    /// figures ([`AccessFigures::declared`]) for a country without such links. A dataset
    /// without `[access]` figures has nothing to fill.
    pub fn refresh_access_trucks(&mut self) {
        let Some(access) = self.defaults.access.as_mut() else { return };
        // Per country: (figures, km) of each distinct set of figures, in order of appearance.
        let mut seen: std::collections::BTreeMap<&str, Vec<(Trucks, f64)>> = std::collections::BTreeMap::new();
        for l in &self.links {
            let Some(d) = l.driving else { continue };
            let country = &self.locations[l.from.index()].country;
            // A lump sum is the link's own price, not a rate for other km.
            let per_km = l.tariff.usd_teu.is_none() && l.tariff.usd_feu.is_none();
            if l.mode != Mode::Road
                || l.estimated
                || !per_km
                || d.hours.0 <= 0.0
                || *country != self.locations[l.to.index()].country
            {
                continue;
            }
            let trucks = Trucks {
                driving_kmh: l.km.0 / d.hours.0,
                daily_driving_h: d.daily.0,
                price: l.tariff,
                time_sources: l.sources.time.clone(),
                cost_sources: l.sources.cost.clone(),
            };
            // Speeds from km / hours differ in the last bits between links of one rule.
            let same = |t: &Trucks| {
                (t.driving_kmh - trucks.driving_kmh).abs() <= 1e-6 * trucks.driving_kmh
                    && t.daily_driving_h == trucks.daily_driving_h
                    && t.price == trucks.price
            };
            let groups = seen.entry(country.as_str()).or_default();
            match groups.iter_mut().find(|(t, _)| same(t)) {
                Some((t, km)) => {
                    *km += l.km.0;
                    t.time_sources.extend(trucks.time_sources);
                    t.cost_sources.extend(trucks.cost_sources);
                }
                None => groups.push((trucks, l.km.0)),
            }
        }
        let from_links: Vec<(String, Trucks)> = seen
            .into_iter()
            .filter_map(|(country, groups)| {
                // The most km; the first seen of equal ones (links are in file order).
                let (mut t, _) = groups.into_iter().reduce(|a, b| if b.1 > a.1 { b } else { a })?;
                for v in [&mut t.time_sources, &mut t.cost_sources] {
                    v.sort();
                    v.dedup();
                }
                Some((country.to_owned(), t))
            })
            .collect();
        // A country's own road links win over its declared figures (a scenario may add some).
        access.by_country = access.declared.clone();
        access.by_country.extend(from_links);
    }

    /// The location with this id.
    pub fn location(&self, id: LocationId) -> &Location {
        &self.locations[id.index()]
    }

    /// The link with this id.
    pub fn link(&self, id: LinkId) -> &Link {
        &self.links[id.index()]
    }

    /// The location with the given public code.
    pub fn location_by_code(&self, code: &str) -> Option<LocationId> {
        self.locations.iter().position(|l| l.code == code).map(LocationId::from_index)
    }

    /// The corridor with the given tag.
    pub fn corridor_by_code(&self, code: &str) -> Option<CorridorId> {
        self.corridors.iter().position(|c| c.code == code).map(CorridorId::from_index)
    }

    /// Whether `corridor`'s routes may use `link`: its own links, untagged feeders and the
    /// links of the corridors it continues on (the rule of `--corridor`, shared by the search
    /// and the assignment's corridor-bound demand).
    pub fn link_serves_corridor(&self, link: LinkId, corridor: CorridorId) -> bool {
        let l = self.link(link);
        l.corridors.is_empty()
            || l.corridors.contains(&corridor)
            || self.corridors[corridor.index()].continues_on.iter().any(|x| l.corridors.contains(x))
    }

    /// Whether a link crosses a national border.
    pub fn link_crosses_border(&self, id: LinkId) -> bool {
        let link = self.link(id);
        self.location(link.from).country != self.location(link.to).country
    }

    /// The timetabled services running on `link` in the given direction.
    pub fn services_on(&self, link: LinkId, forward: bool) -> impl Iterator<Item = &crate::schedule::Service> {
        let dir = if forward { Direction::Forward } else { Direction::Reverse };
        self.services.iter().filter(move |s| s.link == link && s.direction.is_none_or(|d| d == dir))
    }

    /// Whether `link` waits for departures in that direction (timetable or headway).
    pub fn is_scheduled(&self, link: LinkId, forward: bool) -> bool {
        self.link(link).headway.is_some() || self.services_on(link, forward).next().is_some()
    }

    /// The first departure of `link` in that direction at or after `t`, over all its
    /// timetabled services; `None` when it has no timetable or the timetable has run out.
    pub fn next_departure(&self, link: LinkId, forward: bool, t: jiff::Timestamp) -> Option<jiff::Timestamp> {
        self.services_on(link, forward).filter_map(|s| s.schedule.next_departure(t)).min()
    }

    /// Recomputes [`Link::wait`] from timetables (over four weeks from 2026-01-05, a Monday,
    /// for weekly patterns; over the whole list for dated ones) or, failing that, from the
    /// headway (random arrival: mean headway/2, P90 0.9 x headway).
    pub fn refresh_waits(&mut self) {
        let start: jiff::Timestamp = "2026-01-05T00:00:00Z".parse().expect("constant");
        let end = start + jiff::SignedDuration::from_hours(24 * 7 * 4);
        for i in 0..self.links.len() {
            let id = LinkId::from_index(i);
            for (slot, forward) in [(0, true), (1, false)] {
                let mut deps: Vec<jiff::Timestamp> = Vec::new();
                for s in self.services_on(id, forward) {
                    match &s.schedule {
                        crate::schedule::Schedule::Dated { departures } => deps.extend(departures.iter().copied()),
                        weekly => {
                            // Four whole weeks plus the first departure after them, so the
                            // gaps tile the weekly cycle exactly.
                            deps.extend(weekly.departures_between(start, end));
                            deps.extend(weekly.next_departure(end));
                        }
                    }
                }
                deps.sort();
                deps.dedup();
                let from_timetable =
                    crate::schedule::wait_stats(&deps).map(|(mean, p90)| Dwell::new(Hours(mean), Hours(p90)));
                let from_headway = self.links[i].headway.map(|h| Dwell::new(h * 0.5, h * 0.9));
                let (hold, backlog) = (self.links[i].hold, self.links[i].backlog[slot]);
                let from_timetable = from_timetable.map(|d| Dwell { hold, backlog, ..d });
                let from_headway = from_headway.map(|d| Dwell { hold, backlog, ..d });
                self.links[i].wait[slot] = from_timetable.or(from_headway);
            }
        }
    }

    /// Whether `link` is one of corridor `c`'s own links: tagged with `c` and with none of the
    /// corridors `c` continues on (a line both share does not make a route one of `c`'s).
    pub fn own_link(&self, c: CorridorId, link: LinkId) -> bool {
        let tags = &self.link(link).corridors;
        tags.contains(&c) && !self.corridors[c.index()].continues_on.iter().any(|x| tags.contains(x))
    }

    /// Whether a route restricted to corridor `c` follows a rule beyond the links it may use
    /// (the automaton of the continuing search): `c` continues on others, or is known by its
    /// crossings.
    pub fn corridor_has_rule(&self, c: CorridorId) -> bool {
        let k = &self.corridors[c.index()];
        !k.continues_on.is_empty() || k.known_by_crossings
    }

    /// Whether border crossing `b` lies on one of corridor `c`'s links (shared ones included).
    pub fn border_on_corridor(&self, b: BorderId, c: CorridorId) -> bool {
        self.link(self.borders[b.index()].link).corridors.contains(&c)
    }

    /// The links of corridor `c`'s border crossings (those [`Network::border_on_corridor`]
    /// holds for), sorted, each once (a crossing's two directions share one).
    pub fn corridor_crossings(&self, c: CorridorId) -> Vec<LinkId> {
        let mut links: Vec<LinkId> = (0..self.borders.len())
            .map(BorderId::from_index)
            .filter(|&b| self.border_on_corridor(b, c))
            .map(|b| self.borders[b.index()].link)
            .collect();
        links.sort();
        links.dedup();
        links
    }

    /// Whether `link` belongs to a corridor that `c` continues on (shared trunk lines included):
    /// a route of `c` may use it only after one of `c`'s own links, so that it starts on its own
    /// corridor (the Trans-Siberian through Manzhouli, not Kazakhstan's northern route with a
    /// Trans-Siberian stretch in Russia).
    pub fn continued_link(&self, c: CorridorId, link: LinkId) -> bool {
        let tags = &self.link(link).corridors;
        self.corridors[c.index()].continues_on.iter().any(|x| tags.contains(x))
    }

    /// Checks the structural invariants the compiled graph relies on and returns a description
    /// of every violation. Loaders guarantee these; the check exists for networks built in code.
    pub fn check(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let n_loc = self.locations.len();
        for (i, c) in self.corridors.iter().enumerate().filter(|(_, c)| c.known_by_crossings) {
            let own = self.corridor_crossings(CorridorId::from_index(i));
            // None is allowed: a network without the corridor's border links (the curated
            // assignment network has no CMREC link) answers its routes that cross no border.
            if own.len() > MAX_CORRIDOR_CROSSINGS {
                problems.push(format!(
                    "corridor {} is known by its crossings but has {} border crossings on its links (at most {MAX_CORRIDOR_CROSSINGS})",
                    c.code,
                    own.len()
                ));
            }
        }
        for (i, link) in self.links.iter().enumerate() {
            if link.from.index() >= n_loc || link.to.index() >= n_loc {
                problems.push(format!("link #{i} {}: end out of range", link.code));
                continue;
            }
            for end in [link.from, link.to] {
                if !self.location(end).serves(link.platform) {
                    problems.push(format!(
                        "link {}: {} does not serve {}",
                        link.code,
                        self.location(end).code,
                        link.platform
                    ));
                }
            }
            if !link.mode.accepts(link.platform) {
                problems.push(format!("link {}: mode {} cannot use {}", link.code, link.mode, link.platform));
            }
            if link.liner && link.mode != Mode::Sea {
                problems.push(format!("link {}: only a sea link can be a liner service", link.code));
            }
            if !(link.km.0 >= 0.0 && link.hours.0 >= 0.0) {
                problems.push(format!("link {}: negative or NaN km/hours", link.code));
            }
            if link.emission_factor.index() >= self.emission_factors.len() {
                problems.push(format!("link {}: emission factor out of range", link.code));
            }
        }
        for t in &self.transfers {
            if t.location.index() >= n_loc {
                problems.push("transfer: location out of range".into());
                continue;
            }
            let loc = self.location(t.location);
            if !loc.serves(t.from) || !loc.serves(t.to) {
                problems.push(format!("transfer at {}: {} -> {} not served", loc.code, t.from, t.to));
            }
            if t.dwell.mean.0.is_nan() || t.dwell.mean.0 < 0.0 {
                problems.push(format!("transfer at {}: negative or NaN dwell", loc.code));
            }
        }
        for b in &self.borders {
            if b.link.index() >= self.links.len() {
                problems.push(format!("border {}: link out of range", b.code));
            }
            if b.dwell.mean.0.is_nan() || b.dwell.mean.0 < 0.0 {
                problems.push(format!("border {}: negative or NaN dwell", b.code));
            }
        }
        problems
    }
}

#[cfg(test)]
mod price_tests {
    use super::*;

    fn check(t: Tariff, unit: CargoUnit, payload: f64, km: f64, want: (f64, f64, f64)) {
        let p = t.quote(unit, Tonnes(payload), Km(km));
        let got = (p.p10.0, p.p50.0, p.p90.0);
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        assert!(close(got.0, want.0) && close(got.1, want.1) && close(got.2, want.2), "{got:?} != {want:?}");
    }

    #[test]
    fn a_box_km_rate_prices_per_container_not_per_tonne() {
        let t = Tariff {
            usd_teu_km: Some(0.3),
            usd_feu_km: Some(0.5),
            range: PriceRange { p10: 0.8, p90: 1.5 },
            ..Tariff::default()
        };
        // The payload does not change a per-box price.
        check(t, CargoUnit::Teu, 10.0, 100.0, (24.0, 30.0, 45.0));
        check(t, CargoUnit::Teu, 28.0, 100.0, (24.0, 30.0, 45.0));
        check(t, CargoUnit::Feu, 20.0, 100.0, (40.0, 50.0, 75.0));
        // A missing FEU rate is two TEU; a flat price wins over a rate; a tonne-km rate is last.
        check(Tariff { usd_feu_km: None, ..t }, CargoUnit::Feu, 20.0, 100.0, (48.0, 60.0, 90.0));
        check(Tariff { usd_teu: Some(Usd(7.0)), ..t }, CargoUnit::Teu, 10.0, 100.0, (5.6, 7.0, 10.5));
        check(Tariff { usd_tkm: Some(0.1), ..Tariff::default() }, CargoUnit::Teu, 12.0, 100.0, (120.0, 120.0, 120.0));
        check(Tariff::default(), CargoUnit::Feu, 12.0, 100.0, (0.0, 0.0, 0.0));
    }

    #[test]
    fn a_sailing_price_is_per_box_with_the_rate_range_and_apart_from_the_km_price() {
        let t = Tariff {
            usd_teu_km: Some(0.1),
            usd_teu_sailing: Some(Usd(150.0)),
            range: PriceRange { p10: 0.8, p90: 1.5 },
            ..Tariff::default()
        };
        let s = t.quote_sailing(CargoUnit::Teu);
        assert_eq!((s.p10.0, s.p50.0, s.p90.0), (120.0, 150.0, 225.0));
        // A missing FEU figure is two TEU; a given one wins; none is free.
        assert_eq!(t.quote_sailing(CargoUnit::Feu).p50.0, 300.0);
        assert_eq!(Tariff { usd_feu_sailing: Some(Usd(280.0)), ..t }.quote_sailing(CargoUnit::Feu).p50.0, 280.0);
        assert_eq!(Tariff::default().quote_sailing(CargoUnit::Feu).p50.0, 0.0);
        // The km price does not include it, and a scenario's factor scales it.
        check(t, CargoUnit::Teu, 10.0, 100.0, (8.0, 10.0, 15.0));
        assert_eq!(t.scaled(2.0).quote_sailing(CargoUnit::Teu).p50.0, 300.0);
        // A landing charge is quoted the same way, apart from the sailing's.
        let l = Tariff { usd_teu_landing: Some(Usd(620.0)), ..t };
        let q = l.quote_landing(CargoUnit::Teu);
        assert_eq!((q.p10.0, q.p50.0, q.p90.0), (496.0, 620.0, 930.0));
        assert_eq!(l.quote_landing(CargoUnit::Feu).p50.0, 1240.0);
        assert_eq!(
            (t.quote_landing(CargoUnit::Teu).p50.0, l.scaled(0.5).quote_landing(CargoUnit::Teu).p50.0),
            (0.0, 310.0)
        );
    }

    #[test]
    fn a_class_with_directions_prices_each_way_by_longitude() {
        let w = Tariff { usd_teu_km: Some(1.0), ..Tariff::default() };
        let e = Tariff { usd_teu_km: Some(0.2), ..Tariff::default() };
        let class = PriceClass {
            code: "sea".into(),
            rates: PriceRates::ByDirection { westbound: w, eastbound: e },
            sources: vec![],
            trade_ends: None,
            axis: vec![],
        };
        // Shanghai (121 E) to Rotterdam (4 E): westbound forward, eastbound back.
        assert_eq!(class.tariffs(121.5, 4.0), (w, Some(e)));
        assert_eq!(class.tariffs(4.0, 121.5), (e, Some(w)));
        let any = PriceClass { rates: PriceRates::Any(w), ..class.clone() };
        assert_eq!(any.tariffs(4.0, 121.5), (w, None));
        assert_eq!(PriceDirection::of(10.0, 10.0), PriceDirection::Westbound);
        // With trade ends, by progress along the trade: Vigo (8.7 W) to Southampton (1.4 W)
        // heads east by longitude but on towards Rotterdam along the lane, so it is westbound;
        // a place the class's links do not reach, and a leg without progress (a branch),
        // fall back to longitude.
        let id = LocationId::from_index;
        let (vigo, soton, inland, rijeka, katakolon) = (id(0), id(1), id(2), id(3), id(4));
        let oriented = PriceClass {
            trade_ends: Some([id(5), id(6)]),
            axis: vec![-17_000.0, -19_000.0, f64::NAN, -13_000.0, -13_000.3, -19_700.0, 19_700.0],
            ..class
        };
        assert_eq!(oriented.tariffs_between((vigo, -8.7), (soton, -1.4), 1_000.0), (w, Some(e)));
        assert_eq!(oriented.tariffs_between((soton, -1.4), (vigo, -8.7), 1_000.0), (e, Some(w)));
        assert_eq!(oriented.tariffs_between((vigo, -8.7), (inland, 2.0), 1_000.0), (e, Some(w)));
        assert_eq!(oriented.tariffs_between((katakolon, 21.3), (rijeka, 14.4), 900.0), (w, Some(e)));
    }

    #[test]
    fn price_basis_is_a_month() {
        assert_eq!(PriceBasis::parse("2024-06"), Some(PriceBasis { year: 2024, month: 6 }));
        assert_eq!(PriceBasis::parse("2024-06").unwrap().to_string(), "2024-06");
        for bad in ["2024", "2024-13", "2024-00", "24-06", "2024-6", "", "2024-06-01", "abcd-ef"] {
            assert_eq!(PriceBasis::parse(bad), None, "{bad}");
        }
        assert!(PriceBasis::parse("2022-12") < PriceBasis::parse("2024-01"));
    }
}
