//! Scenarios: TOML overlays applied to a loaded network without touching the base files.
//!
//! ```toml
//! name = "Dostyk closed"
//! description = "Alashankou–Dostyk shut (e.g. the 2023 closure)"
//!
//! [[close]]                      # one of link / border / transfer / location
//! border = "b-alashankou-dostyk"
//!
//! [[capacity]]                   # set (teu_week) or scale (factor) a capacity
//! link = "f-kuryk-alat"
//! factor = 2.0
//!
//! [[throttle]]                   # scale an existing capacity down (factor in [0, 1])
//! transfer = "KZAAU:rail1520>sea"
//! factor = 0.5
//!
//! [[dwell]]      border = "b-brest-malaszewicze"  hours = 24  p90 = 48   # or factor; every train's figures
//! [[tariff]]     link = "f-kuryk-alat"  usd_teu = 900                  # or usd_tkm, factor
//! [[speed]]      link = "r-x-y"  speed_kmh = 60                        # or hours, factor
//! [[headway]]    link = "f-kuryk-alat"  hours = 8
//! [[hold]]       link = "f-kuryk-alat"  p = 0.1  mean_h = 96  p90_h = 168     # storms; p = 0 removes
//! [[backlog]]    link = "f-kuryk-alat"  direction = "forward"  p = 0          # the port backlog does not recur
//! [[add_platform]]  location = "IRASR"  platform = "rail1435"
//! [[add_location]]  id = "XX-NEW" name = "New port" country = "GE" lat = 42 lon = 41.6 platforms = ["sea", "rail1520"]
//! [[add_link]]      id = "r-new" from = "A" to = "B" mode = "rail" platform = "rail1435" km = 162
//!                   speed_kmh = 45.7  price = "rail-1435"  emission_factor = "rail-electric"  corridors = ["instc"]   # or usd_teu, usd_tkm
//! [[add_transfer]]  location = "IRASR" from = "rail1435" to = "rail1520" kind = "gauge_change" hours = 4.25 usd_teu = 164.5
//! [[add_border]]    id = "b-new" link = "r-new" direction = "both" hours = 12 usd_teu = 100
//! ```
//!
//! Additions are applied first (so later sections can refer to them), then changes, then
//! closures. Closing removes rows and re-indexes the references to them; location ids never
//! change (locations are only ever added, at the end), so demand stays valid. Every error names
//! the TOML key (`close[0].border`) and the offending value.

use corridor_model::*;
use serde::Deserialize;

use crate::element::{Capacities, Element};

/// A problem in a scenario: which key, which value, what is wrong.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("scenario key `{key}` = {value}: {message}")]
pub struct ScenarioError {
    /// TOML key path, e.g. `close[0].border` (`toml` for a syntax error).
    pub key: String,
    /// The offending value as written.
    pub value: String,
    /// What is wrong.
    pub message: String,
}

fn err(key: impl Into<String>, value: impl std::fmt::Display, message: impl Into<String>) -> ScenarioError {
    ScenarioError { key: key.into(), value: format!("{:?}", value.to_string()), message: message.into() }
}

/// Largest `km` of a scenario's link (twice the Earth's half circumference).
const MAX_KM: f64 = 40_000.0;
/// Largest hours of a dwell, transfer or link (a year).
const MAX_HOURS: f64 = 8_760.0;
/// Largest other value (prices, speeds, factors).
const MAX_VALUE: f64 = 1e7;

/// Element selector shared by the change sections: exactly one of the fields.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Close {
    /// Link id.
    pub link: Option<String>,
    /// Border id.
    pub border: Option<String>,
    /// Transfer `LOC:from>to`.
    pub transfer: Option<String>,
    /// Location code (closes every link and transfer there).
    pub location: Option<String>,
}

/// `[[capacity]]` / `[[throttle]]`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapacityChange {
    /// Link id.
    pub link: Option<String>,
    /// Border id.
    pub border: Option<String>,
    /// Transfer `LOC:from>to`.
    pub transfer: Option<String>,
    /// New capacity, TEU per week.
    pub teu_week: Option<f64>,
    /// Multiplier of the current capacity.
    pub factor: Option<f64>,
}

/// `[[dwell]]`: border or transfer dwell. It changes the normal regime; a congestion regime
/// (`hold_*` in the data) is kept, since a faster crossing does not end the episodes that queue it.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DwellChange {
    /// Border id.
    pub border: Option<String>,
    /// Transfer `LOC:from>to` (a bidirectional row changes both ways).
    pub transfer: Option<String>,
    /// New mean hours.
    pub hours: Option<f64>,
    /// New P90 hours (default: keeps the P90/mean ratio).
    pub p90: Option<f64>,
    /// Multiplier of mean and P90.
    pub factor: Option<f64>,
}

/// `[[tariff]]`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TariffChange {
    /// Link id.
    pub link: Option<String>,
    /// Border id.
    pub border: Option<String>,
    /// Transfer `LOC:from>to`.
    pub transfer: Option<String>,
    /// Flat USD per TEU (FEU = 2 x).
    pub usd_teu: Option<f64>,
    /// USD per cargo tonne-km (links only).
    pub usd_tkm: Option<f64>,
    /// Multiplier of every price of the row.
    pub factor: Option<f64>,
}

/// `[[speed]]`: running time of a link.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpeedChange {
    /// Link id.
    pub link: String,
    /// New running hours.
    pub hours: Option<f64>,
    /// New speed, km/h.
    pub speed_kmh: Option<f64>,
    /// Speed multiplier (hours / factor).
    pub factor: Option<f64>,
}

/// `[[headway]]`: mean interval between departures of a link.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeadwayChange {
    /// Link id.
    pub link: String,
    /// Hours between departures.
    pub hours: f64,
}

/// `[[hold]]` / `[[backlog]]`: a congestion regime of a service's departures, as the columns
/// `hold_*` and `backlog_*` of links.csv: the storm hold of both directions, or a port's backlog
/// in one direction. `p = 0` removes the regime (then no `mean_h` or `p90_h`); otherwise all
/// three replace it.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegimeChange {
    /// Link id.
    pub link: String,
    /// `[[backlog]]` only: `forward` (from → to), `reverse` or `both`.
    pub direction: Option<String>,
    /// Probability that a departure meets the regime, in [0, 0.5].
    pub p: f64,
    /// Mean hold, hours.
    pub mean_h: Option<f64>,
    /// 90th percentile of the hold, hours.
    pub p90_h: Option<f64>,
}

/// `[[add_platform]]`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddPlatform {
    /// Location code.
    pub location: String,
    /// Platform (`rail1435`, `road`, ...).
    pub platform: String,
}

/// `[[add_location]]`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddLocation {
    /// Code.
    pub id: String,
    /// Display name (default: the id).
    pub name: Option<String>,
    /// ISO country.
    pub country: String,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// IANA time zone (default UTC).
    pub tz: Option<String>,
    /// Location kind (default `rail_terminal`).
    pub kind: Option<String>,
    /// Platforms.
    pub platforms: Vec<String>,
}

/// `[[add_link]]`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddLink {
    /// Link id.
    pub id: String,
    /// From location code.
    pub from: String,
    /// To location code.
    pub to: String,
    /// Mode (`rail`, `road`, `sea`, `ferry`).
    pub mode: String,
    /// Platform.
    pub platform: String,
    /// Distance.
    pub km: f64,
    /// Running hours (or `speed_kmh`).
    pub hours: Option<f64>,
    /// Speed (or `hours`).
    pub speed_kmh: Option<f64>,
    /// Flat USD per TEU.
    pub usd_teu: Option<f64>,
    /// USD per tonne-km.
    pub usd_tkm: Option<f64>,
    /// A price class of the dataset (`prices.csv`), instead of `usd_teu`/`usd_tkm`.
    pub price: Option<String>,
    /// Capacity, TEU per week.
    pub capacity_teu_week: Option<f64>,
    /// Headway, hours.
    pub headway_h: Option<f64>,
    /// Corridor tags.
    #[serde(default)]
    pub corridors: Vec<String>,
    /// Emission factor id.
    pub emission_factor: String,
    /// One direction only.
    #[serde(default)]
    pub oneway: bool,
    /// A liner service (sea only): a shipment aboard sails on through its port calls.
    #[serde(default)]
    pub liner: bool,
}

/// `[[add_transfer]]`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddTransfer {
    /// Location code.
    pub location: String,
    /// From platform.
    pub from: String,
    /// To platform.
    pub to: String,
    /// `transshipment`, `gauge_change` or `port_handling` (default transshipment).
    pub kind: Option<String>,
    /// Mean dwell hours.
    pub hours: f64,
    /// P90 dwell hours (default = mean).
    pub p90: Option<f64>,
    /// USD per TEU.
    pub usd_teu: Option<f64>,
    /// One direction only.
    #[serde(default)]
    pub oneway: bool,
}

/// `[[add_border]]`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddBorder {
    /// Border id.
    pub id: String,
    /// Name (default: the id).
    pub name: Option<String>,
    /// Link id.
    pub link: String,
    /// `both` (default), `forward` or `reverse`.
    pub direction: Option<String>,
    /// Mean hours.
    pub hours: f64,
    /// P90 hours (default = mean).
    pub p90: Option<f64>,
    /// USD per TEU.
    pub usd_teu: Option<f64>,
}

/// A scenario overlay (see the module docs for the format).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Name.
    pub name: Option<String>,
    /// What it represents and where its figures come from.
    pub description: Option<String>,
    /// Elements to close.
    #[serde(default)]
    pub close: Vec<Close>,
    /// Capacity changes.
    #[serde(default)]
    pub capacity: Vec<CapacityChange>,
    /// Capacity reductions (factor in [0, 1]).
    #[serde(default)]
    pub throttle: Vec<CapacityChange>,
    /// Dwell changes.
    #[serde(default)]
    pub dwell: Vec<DwellChange>,
    /// Tariff changes.
    #[serde(default)]
    pub tariff: Vec<TariffChange>,
    /// Speed changes.
    #[serde(default)]
    pub speed: Vec<SpeedChange>,
    /// Headway changes.
    #[serde(default)]
    pub headway: Vec<HeadwayChange>,
    /// Storm-hold changes.
    #[serde(default)]
    pub hold: Vec<RegimeChange>,
    /// Port-backlog changes.
    #[serde(default)]
    pub backlog: Vec<RegimeChange>,
    /// Platforms added to existing locations.
    #[serde(default)]
    pub add_platform: Vec<AddPlatform>,
    /// New locations.
    #[serde(default)]
    pub add_location: Vec<AddLocation>,
    /// New links.
    #[serde(default)]
    pub add_link: Vec<AddLink>,
    /// New transfers.
    #[serde(default)]
    pub add_transfer: Vec<AddTransfer>,
    /// New border rows.
    #[serde(default)]
    pub add_border: Vec<AddBorder>,
}

impl Scenario {
    /// Parses scenario TOML. Syntax and type errors name the key where `toml` reports one.
    pub fn parse(text: &str) -> Result<Scenario, ScenarioError> {
        toml::from_str(text).map_err(|e| ScenarioError {
            key: "toml".into(),
            value: e.span().map_or(String::new(), |s| format!("{:?}", text.get(s).unwrap_or(""))),
            message: e.message().to_string(),
        })
    }

    /// The display name (or "scenario").
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or("scenario")
    }
}

/// A network with its capacity table: what scenarios change.
#[derive(Clone, Debug)]
pub struct Model {
    /// The network.
    pub network: Network,
    /// Capacities beyond the links' own.
    pub capacities: Capacities,
}

/// Applies `sc` to `net` alone. Capacity changes on borders and transfers need the capacity
/// table and are rejected here; use [`apply_model`].
pub fn apply(net: &Network, sc: &Scenario) -> Result<Network, ScenarioError> {
    for (section, list) in [("capacity", &sc.capacity), ("throttle", &sc.throttle)] {
        for (i, c) in list.iter().enumerate() {
            if let Some(b) = &c.border {
                return Err(err(
                    format!("{section}[{i}].border"),
                    b,
                    "border capacities live in the capacity table; use apply_model",
                ));
            }
            if let Some(t) = &c.transfer {
                return Err(err(
                    format!("{section}[{i}].transfer"),
                    t,
                    "transfer capacities live in the capacity table; use apply_model",
                ));
            }
        }
    }
    apply_model(&Model { network: net.clone(), capacities: Capacities::default() }, sc).map(|m| m.network)
}

/// Applies `sc` to a network that is routed rather than assigned (`route`, `compare`, `pareto`,
/// the server and the Python package under `--scenario`): its capacity sections are refused,
/// since a route has no capacity to change.
pub fn apply_for_routing(net: &Network, sc: &Scenario) -> Result<Network, ScenarioError> {
    for (section, list) in [("capacity", &sc.capacity), ("throttle", &sc.throttle)] {
        if !list.is_empty() {
            return Err(err(
                format!("{section}[0]"),
                "",
                "changes a capacity, which acts on the assignment only (corridor assign, corridor scenario diff); a route has none to change",
            ));
        }
    }
    apply(net, sc)
}

/// Applies `sc` to a network and its capacity table.
pub fn apply_model(base: &Model, sc: &Scenario) -> Result<Model, ScenarioError> {
    let mut net = base.network.clone();
    let mut caps = base.capacities.clone();
    let loc = |net: &Network, key: String, code: &str| {
        net.location_by_code(code).ok_or_else(|| err(key, code, "unknown location"))
    };
    let platform = |key: String, s: &str| s.parse::<Platform>().map_err(|m| err(key, s, m));
    // Finite, non-negative and below a sanity bound per quantity, so that no scenario turns a
    // total into infinity (`km = 1e308` gave inf totals and exit 0).
    let positive = |key: String, v: f64| {
        let field = key.rsplit('.').next().unwrap_or("");
        let max = match field {
            "km" => MAX_KM,
            "hours" | "p90" => MAX_HOURS,
            _ => MAX_VALUE,
        };
        if v.is_finite() && (0.0..=max).contains(&v) {
            Ok(v)
        } else {
            Err(err(key, v, format!("must be a finite number between 0 and {max}")))
        }
    };
    // A P90 below its mean was silently raised to the mean: refused instead.
    let p90_of = |key: String, mean: f64, p90: Option<f64>| -> Result<f64, ScenarioError> {
        let v = positive(key.clone(), p90.unwrap_or(mean))?;
        if v < mean {
            return Err(err(key, v, format!("the P90 must be at least the mean ({mean} hours)")));
        }
        Ok(v)
    };
    for (i, a) in sc.add_platform.iter().enumerate() {
        let l = loc(&net, format!("add_platform[{i}].location"), &a.location)?;
        let p = platform(format!("add_platform[{i}].platform"), &a.platform)?;
        let ps = &mut net.locations[l.index()].platforms;
        if !ps.contains(&p) {
            ps.push(p);
            ps.sort();
        }
    }
    for (i, a) in sc.add_location.iter().enumerate() {
        let key = |f: &str| format!("add_location[{i}].{f}");
        if net.location_by_code(&a.id).is_some() {
            return Err(err(key("id"), &a.id, "a location with this id exists"));
        }
        if a.lat.is_nan() || a.lat.abs() > 90.0 {
            return Err(err(key("lat"), a.lat, "latitude must be in [-90, 90]"));
        }
        if a.lon.is_nan() || a.lon.abs() > 180.0 {
            return Err(err(key("lon"), a.lon, "longitude must be in [-180, 180]"));
        }
        let mut platforms = Vec::new();
        for (j, p) in a.platforms.iter().enumerate() {
            platforms.push(platform(key(&format!("platforms[{j}]")), p)?);
        }
        if platforms.is_empty() {
            return Err(err(key("platforms"), "[]", "a location needs at least one platform"));
        }
        platforms.sort();
        platforms.dedup();
        let kind = match &a.kind {
            Some(k) => k.parse::<LocationKind>().map_err(|m| err(key("kind"), k, m))?,
            None => LocationKind::RailTerminal,
        };
        net.locations.push(Location {
            code: a.id.clone(),
            name: a.name.clone().unwrap_or_else(|| a.id.clone()),
            aliases: vec![],
            country: a.country.clone(),
            lat: a.lat,
            lon: a.lon,
            tz: match &a.tz {
                Some(tz) if jiff::tz::TimeZone::get(tz).is_err() => {
                    return Err(err(key("tz"), tz, "not an IANA time zone name such as Asia/Almaty"));
                }
                Some(tz) => tz.clone(),
                None => "UTC".into(),
            },
            kinds: vec![kind],
            platforms,
        });
    }
    for (i, a) in sc.add_link.iter().enumerate() {
        let key = |f: &str| format!("add_link[{i}].{f}");
        if net.links.iter().any(|l| l.code == a.id) {
            return Err(err(key("id"), &a.id, "a link with this id exists"));
        }
        let from = loc(&net, key("from"), &a.from)?;
        let to = loc(&net, key("to"), &a.to)?;
        if from == to {
            return Err(err(key("to"), &a.to, "a link must join two different locations"));
        }
        let mode: Mode = a.mode.parse().map_err(|m| err(key("mode"), &a.mode, m))?;
        let plat = platform(key("platform"), &a.platform)?;
        if !mode.accepts(plat) {
            return Err(err(key("platform"), &a.platform, format!("mode {mode} cannot use this platform")));
        }
        if a.liner && mode != Mode::Sea {
            return Err(err(key("liner"), "true", "only a sea link can be a liner service"));
        }
        for (end, f) in [(from, "from"), (to, "to")] {
            if !net.location(end).serves(plat) {
                return Err(err(
                    key(f),
                    &net.location(end).code,
                    format!("does not serve {plat} (add it with [[add_platform]])"),
                ));
            }
        }
        let km = positive(key("km"), a.km)?;
        let hours = match (a.hours, a.speed_kmh) {
            (Some(h), None) => positive(key("hours"), h)?,
            (None, Some(v)) if v > 0.0 && v.is_finite() => km / v,
            (None, Some(v)) => return Err(err(key("speed_kmh"), v, "must be positive")),
            _ => return Err(err(key("hours"), "", "give exactly one of hours or speed_kmh")),
        };
        let given =
            usize::from(a.usd_teu.is_some()) + usize::from(a.usd_tkm.is_some()) + usize::from(a.price.is_some());
        if given != 1 {
            return Err(err(key("usd_teu"), "", "give exactly one of usd_teu, usd_tkm or price"));
        }
        let (tariff, tariff_back) = match &a.price {
            Some(code) => {
                let class = net
                    .prices
                    .iter()
                    .find(|c| &c.code == code)
                    .ok_or_else(|| err(key("price"), code, "unknown price class (not in prices.csv)"))?;
                // The class's axis is the base network's: a location the scenario adds is
                // placed by longitude.
                class.tariffs_between((from, net.location(from).lon), (to, net.location(to).lon), km)
            }
            None => (
                Tariff {
                    usd_teu: a.usd_teu.map(|v| positive(key("usd_teu"), v).map(Usd)).transpose()?,
                    usd_tkm: a.usd_tkm.map(|v| positive(key("usd_tkm"), v)).transpose()?,
                    ..Tariff::default()
                },
                None,
            ),
        };
        let ef = net
            .emission_factors
            .iter()
            .position(|e| e.code == a.emission_factor)
            .ok_or_else(|| err(key("emission_factor"), &a.emission_factor, "unknown emission factor"))?;
        let mut corridors = Vec::new();
        for (j, c) in a.corridors.iter().enumerate() {
            corridors.push(
                net.corridor_by_code(c).ok_or_else(|| err(key(&format!("corridors[{j}]")), c, "unknown corridor"))?,
            );
        }
        net.links.push(Link {
            code: a.id.clone(),
            from,
            to,
            mode,
            platform: plat,
            km: Km(km),
            hours: Hours(hours),
            driving: None,
            tariff,
            tariff_back,
            capacity_teu_week: a.capacity_teu_week.map(|v| positive(key("capacity_teu_week"), v)).transpose()?,
            headway: a.headway_h.map(|v| positive(key("headway_h"), v).map(Hours)).transpose()?,
            hold: None,
            backlog: [None, None],
            corridors,
            emission_factor: EmissionFactorId::from_index(ef),
            oneway: a.oneway,
            liner: a.liner,
            wait: [None, None],
            geometry: Default::default(),
            sources: Default::default(),
            estimated: false,
            transit: Vec::new(),
        });
    }
    for (i, a) in sc.add_transfer.iter().enumerate() {
        let key = |f: &str| format!("add_transfer[{i}].{f}");
        let l = loc(&net, key("location"), &a.location)?;
        let from = platform(key("from"), &a.from)?;
        let to = platform(key("to"), &a.to)?;
        for (p, f, s) in [(from, "from", &a.from), (to, "to", &a.to)] {
            if !net.location(l).serves(p) {
                return Err(err(key(f), s, format!("{} does not serve it", a.location)));
            }
        }
        let kind = match &a.kind {
            Some(k) => k.parse::<TransferKind>().map_err(|m| err(key("kind"), k, m))?,
            None => TransferKind::Transshipment,
        };
        let mean = positive(key("hours"), a.hours)?;
        let p90 = p90_of(key("p90"), mean, a.p90)?;
        net.transfers.push(Transfer {
            location: l,
            from,
            to,
            kind,
            dwell: Dwell::new(Hours(mean), Hours(p90.max(mean))),
            tariff: Tariff {
                usd_teu: Some(Usd(positive(key("usd_teu"), a.usd_teu.unwrap_or(0.0))?)),
                ..Tariff::default()
            },
            oneway: a.oneway,
            sources: vec![],
        });
    }
    for (i, a) in sc.add_border.iter().enumerate() {
        let key = |f: &str| format!("add_border[{i}].{f}");
        let link = net
            .links
            .iter()
            .position(|l| l.code == a.link)
            .map(LinkId::from_index)
            .ok_or_else(|| err(key("link"), &a.link, "unknown link"))?;
        let dirs: &[Direction] = match a.direction.as_deref().unwrap_or("both") {
            "both" => &[Direction::Forward, Direction::Reverse],
            "forward" => &[Direction::Forward],
            "reverse" => &[Direction::Reverse],
            d => return Err(err(key("direction"), d, "expected both, forward or reverse")),
        };
        let mean = positive(key("hours"), a.hours)?;
        let p90 = p90_of(key("p90"), mean, a.p90)?;
        for &direction in dirs {
            if net.borders.iter().any(|b| b.link == link && b.direction == direction) {
                return Err(err(key("link"), &a.link, "already has a border row in this direction"));
            }
            net.borders.push(Border {
                code: a.id.clone(),
                name: a.name.clone().unwrap_or_else(|| a.id.clone()),
                link,
                direction,
                dwell: Dwell::new(Hours(mean), Hours(p90.max(mean))),
                tariff: Tariff {
                    usd_teu: Some(Usd(positive(key("usd_teu"), a.usd_teu.unwrap_or(0.0))?)),
                    ..Tariff::default()
                },
                sources: vec![],
                regular: None,
            });
        }
    }
    // Changes.
    for (section, list, throttle) in [("capacity", &sc.capacity, false), ("throttle", &sc.throttle, true)] {
        for (i, c) in list.iter().enumerate() {
            let key = |f: &str| format!("{section}[{i}].{f}");
            let (element, field) = select(&net, key, c.link.as_ref(), c.border.as_ref(), c.transfer.as_ref())?;
            let current = match &element {
                Element::Link(code) => {
                    caps.get(&element).or(net.links.iter().find(|l| &l.code == code).and_then(|l| l.capacity_teu_week))
                }
                _ => caps.get(&element),
            };
            let new = match (c.teu_week, c.factor) {
                (Some(v), None) if !throttle => positive(key("teu_week"), v)?,
                (None, Some(f)) => {
                    if throttle && !(0.0..=1.0).contains(&f) {
                        return Err(err(key("factor"), f, "a throttle factor must be in [0, 1]"));
                    }
                    let f = positive(key("factor"), f)?;
                    let cur = current.ok_or_else(|| {
                        err(key(field), element.id(), "has no capacity to scale; set teu_week instead")
                    })?;
                    cur * f
                }
                _ => {
                    let what = if throttle { "give factor" } else { "give exactly one of teu_week or factor" };
                    return Err(err(key("factor"), "", what));
                }
            };
            match &element {
                Element::Link(code) => {
                    if let Some(l) = net.links.iter_mut().find(|l| &l.code == code) {
                        l.capacity_teu_week = Some(new);
                    }
                    if caps.get(&element).is_some() {
                        caps.set(element.clone(), new, "scenario");
                    }
                }
                _ => caps.set(element.clone(), new, "scenario"),
            }
        }
    }
    for (i, d) in sc.dwell.iter().enumerate() {
        let key = |f: &str| format!("dwell[{i}].{f}");
        let (element, _) = select(&net, key, None, d.border.as_ref(), d.transfer.as_ref())?;
        let change = |dw: &mut Dwell| -> Result<(), ScenarioError> {
            let ratio = if dw.mean.0 > 0.0 { dw.p90.0 / dw.mean.0 } else { 1.0 };
            match (d.hours, d.factor) {
                (Some(h), None) => {
                    let h = positive(key("hours"), h)?;
                    dw.mean = Hours(h);
                    dw.p90 = Hours(match d.p90 {
                        Some(p) => p90_of(key("p90"), h, Some(p))?,
                        None => positive(key("p90"), h * ratio)?.max(h),
                    });
                }
                (None, Some(f)) => {
                    let f = positive(key("factor"), f)?;
                    dw.mean = Hours(dw.mean.0 * f);
                    dw.p90 = Hours(dw.p90.0 * f);
                }
                _ => return Err(err(key("hours"), "", "give exactly one of hours or factor")),
            }
            Ok(())
        };
        for_rows(&mut net, &element, |dw, _| change(dw))?;
    }
    for (i, t) in sc.tariff.iter().enumerate() {
        let key = |f: &str| format!("tariff[{i}].{f}");
        let (element, _) = select(&net, key, t.link.as_ref(), t.border.as_ref(), t.transfer.as_ref())?;
        let change = |tar: &mut Tariff| -> Result<(), ScenarioError> {
            match (t.usd_teu, t.usd_tkm, t.factor) {
                (Some(v), None, None) => {
                    *tar = Tariff { usd_teu: Some(Usd(positive(key("usd_teu"), v)?)), ..Tariff::default() }
                }
                (None, Some(v), None) => {
                    *tar = Tariff { usd_tkm: Some(positive(key("usd_tkm"), v)?), ..Tariff::default() }
                }
                (None, None, Some(f)) => *tar = tar.scaled(positive(key("factor"), f)?),
                _ => return Err(err(key("factor"), "", "give exactly one of usd_teu, usd_tkm or factor")),
            }
            Ok(())
        };
        match &element {
            Element::Link(code) => {
                let l = net.links.iter_mut().find(|l| &l.code == code).expect("selected");
                change(&mut l.tariff)?;
                // A factor scales both directions; a new flat or tonne-km price holds both ways.
                match (&mut l.tariff_back, t.factor) {
                    (Some(back), Some(_)) => change(back)?,
                    (back, _) => *back = None,
                }
            }
            _ => for_rows(&mut net, &element, |_, tar| change(tar))?,
        }
    }
    for (i, s) in sc.speed.iter().enumerate() {
        let key = |f: &str| format!("speed[{i}].{f}");
        let l =
            net.links.iter_mut().find(|l| l.code == s.link).ok_or_else(|| err(key("link"), &s.link, "unknown link"))?;
        let old = l.hours.0;
        l.hours = Hours(match (s.hours, s.speed_kmh, s.factor) {
            (Some(h), None, None) => positive(key("hours"), h)?,
            (None, Some(v), None) if v > 0.0 && v.is_finite() => l.km.0 / v,
            (None, None, Some(f)) if f > 0.0 && f.is_finite() => l.hours.0 / f,
            (None, Some(v), None) => return Err(err(key("speed_kmh"), v, "must be positive")),
            (None, None, Some(f)) => return Err(err(key("factor"), f, "must be positive")),
            _ => return Err(err(key("hours"), "", "give exactly one of hours, speed_kmh or factor")),
        });
        // A truck link timed by the drivers' rule: its driving time scales with its running
        // time (the moving speed changes, the drivers' daily hours stay). Left as it was, a
        // route's retiming by the rule (`corridor_search::truck_runs`) would time the link at
        // its old speed and undo the change.
        if let Some(d) = l.driving.as_mut()
            && old > 0.0
        {
            d.hours = Hours(d.hours.0 * l.hours.0 / old);
        }
    }
    for (i, h) in sc.headway.iter().enumerate() {
        let key = |f: &str| format!("headway[{i}].{f}");
        let hours = h.hours;
        if !(hours > 0.0 && hours.is_finite()) {
            return Err(err(key("hours"), hours, "must be positive"));
        }
        let id =
            net.links.iter().position(|l| l.code == h.link).ok_or_else(|| err(key("link"), &h.link, "unknown link"))?;
        if net.services.iter().any(|s| s.link.index() == id) {
            return Err(err(key("link"), &h.link, "has a timetable in services.csv; a headway would be ignored"));
        }
        net.links[id].headway = Some(Hours(hours));
    }
    for (section, list) in [("hold", &sc.hold), ("backlog", &sc.backlog)] {
        for (i, r) in list.iter().enumerate() {
            let key = |f: &str| format!("{section}[{i}].{f}");
            let id = net
                .links
                .iter()
                .position(|l| l.code == r.link)
                .ok_or_else(|| err(key("link"), &r.link, "unknown link"))?;
            if net.links[id].headway.is_none() {
                return Err(err(key("link"), &r.link, "has no headway_h: a hold delays departures of a service"));
            }
            // The loader's bounds (links.csv): a regime met by most departures is the normal
            // regime, not congestion.
            if !(r.p.is_finite() && (0.0..=0.5).contains(&r.p)) {
                return Err(err(key("p"), r.p, "must be between 0 and 0.5"));
            }
            let regime = if r.p == 0.0 {
                if let Some((f, v)) =
                    [("mean_h", r.mean_h), ("p90_h", r.p90_h)].into_iter().find_map(|(f, v)| v.map(|v| (f, v)))
                {
                    return Err(err(key(f), v, "p = 0 removes the regime: give no mean_h or p90_h"));
                }
                None
            } else {
                let (Some(mean), Some(p90)) = (r.mean_h, r.p90_h) else {
                    return Err(err(key("mean_h"), "", "a regime with p > 0 needs mean_h and p90_h"));
                };
                if !(mean.is_finite() && mean > 0.0 && mean <= 24.0 * 120.0) {
                    return Err(err(key("mean_h"), mean, "must be positive and at most 2880 hours"));
                }
                if !(p90.is_finite() && p90 <= 24.0 * 240.0) {
                    return Err(err(key("p90_h"), p90, "must be at most 5760 hours"));
                }
                if p90 < mean {
                    return Err(err(key("p90_h"), p90, format!("the P90 must be at least the mean ({mean} hours)")));
                }
                Some(Hold { p: r.p, mean: Hours(mean), p90: Hours(p90) })
            };
            let link = &mut net.links[id];
            if section == "hold" {
                if let Some(d) = &r.direction {
                    return Err(err(key("direction"), d, "a storm hold holds both directions; give no direction"));
                }
                link.hold = regime;
                continue;
            }
            let slots = match r.direction.as_deref() {
                Some("forward") => [true, false],
                Some("reverse") => [false, true],
                Some("both") => [true, true],
                Some(d) => {
                    return Err(err(key("direction"), d, "unknown direction (expected forward, reverse or both)"));
                }
                None => return Err(err(key("direction"), "", "a backlog needs a direction: forward, reverse or both")),
            };
            if slots[1] && link.oneway {
                return Err(err(key("direction"), r.direction.as_deref().unwrap_or(""), "the link is one-way"));
            }
            for (slot, on) in link.backlog.iter_mut().zip(slots) {
                if on {
                    *slot = regime;
                }
            }
        }
    }
    // Closures last, so that they also remove anything added above.
    for (i, c) in sc.close.iter().enumerate() {
        let key = |f: &str| format!("close[{i}].{f}");
        let given: Vec<(&str, &String)> =
            [("link", &c.link), ("border", &c.border), ("transfer", &c.transfer), ("location", &c.location)]
                .into_iter()
                .filter_map(|(k, v)| v.as_ref().map(|v| (k, v)))
                .collect();
        let [(field, value)] = given[..] else {
            return Err(err(format!("close[{i}]"), "", "give exactly one of link, border, transfer or location"));
        };
        match field {
            "link" => {
                if !net.links.iter().any(|l| &l.code == value) {
                    return Err(err(key(field), value, "unknown link"));
                }
                remove_links(&mut net, |l, _| &l.code == value);
            }
            "border" => {
                let links: Vec<LinkId> = net.borders.iter().filter(|b| &b.code == value).map(|b| b.link).collect();
                if links.is_empty() {
                    return Err(err(key(field), value, "unknown border"));
                }
                remove_links(&mut net, |_, id| links.contains(&id));
            }
            "location" => {
                let l = loc(&net, key(field), value)?;
                remove_links(&mut net, |link, _| link.from == l || link.to == l);
                net.transfers.retain(|t| t.location != l);
            }
            _ => {
                let e = Element::parse("transfer", value).map_err(|m| err(key(field), value, m))?;
                e.resolve(&net).map_err(|m| err(key(field), value, m))?;
                let Element::Transfer { location, from, to } = e else { unreachable!() };
                let l = net.location_by_code(&location).expect("resolved");
                let mut out = Vec::new();
                for mut t in std::mem::take(&mut net.transfers) {
                    if t.location == l && t.from == from && t.to == to {
                        if t.oneway {
                            continue; // only this direction existed: drop the row
                        }
                        // Keep the opposite direction only.
                        std::mem::swap(&mut t.from, &mut t.to);
                        t.oneway = true;
                    } else if t.location == l && t.from == to && t.to == from && !t.oneway {
                        t.oneway = true;
                    }
                    out.push(t);
                }
                net.transfers = out;
            }
        }
    }
    net.refresh_waits();
    // A lane's new tariff carries (or drops) its ports' landing charge.
    net.refresh_landings();
    // A country's changed road speed or tariff drives its estimated first and last miles too.
    net.refresh_access_trucks();
    let problems = net.check();
    if let Some(p) = problems.first() {
        return Err(err("network", "", format!("the scenario breaks the network: {p}")));
    }
    Ok(Model { network: net, capacities: caps })
}

/// Resolves the one element named by a change section's `link` / `border` / `transfer`.
fn select<'a>(
    net: &Network,
    key: impl Fn(&str) -> String,
    link: Option<&'a String>,
    border: Option<&'a String>,
    transfer: Option<&'a String>,
) -> Result<(Element, &'static str), ScenarioError> {
    let given: Vec<(&'static str, &String)> = [("link", link), ("border", border), ("transfer", transfer)]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect();
    let [(field, value)] = given[..] else {
        return Err(err(key("link"), "", "give exactly one element: link, border or transfer"));
    };
    let e = Element::parse(field, value).map_err(|m| err(key(field), value, m))?;
    e.resolve(net).map_err(|m| err(key(field), value, m))?;
    Ok((e, field))
}

/// Calls `f` on the dwell and tariff of every border row or transfer row of `element`: a
/// border's figures for regular trains too, so a scenario's change holds for every train.
fn for_rows(
    net: &mut Network,
    element: &Element,
    mut f: impl FnMut(&mut Dwell, &mut Tariff) -> Result<(), ScenarioError>,
) -> Result<(), ScenarioError> {
    match element {
        Element::Border(code) => {
            for b in net.borders.iter_mut().filter(|b| &b.code == code) {
                f(&mut b.dwell, &mut b.tariff)?;
                if let Some(r) = &mut b.regular {
                    f(&mut r.dwell, &mut r.tariff)?;
                }
            }
        }
        Element::Transfer { location, from, to } => {
            let l = net.location_by_code(location);
            for t in net.transfers.iter_mut().filter(|t| {
                Some(t.location) == l
                    && ((t.from == *from && t.to == *to) || (!t.oneway && t.from == *to && t.to == *from))
            }) {
                f(&mut t.dwell, &mut t.tariff)?;
            }
        }
        Element::Link(_) => {}
    }
    Ok(())
}

/// Removes the links for which `pred` holds, with their borders and services, and re-indexes
/// the references of the rest.
fn remove_links(net: &mut Network, pred: impl Fn(&Link, LinkId) -> bool) {
    let mut new_id = vec![None; net.links.len()];
    let mut kept = Vec::new();
    for (i, l) in std::mem::take(&mut net.links).into_iter().enumerate() {
        if !pred(&l, LinkId::from_index(i)) {
            new_id[i] = Some(LinkId::from_index(kept.len()));
            kept.push(l);
        }
    }
    net.links = kept;
    net.borders.retain(|b| new_id[b.link.index()].is_some());
    for b in &mut net.borders {
        b.link = new_id[b.link.index()].expect("kept");
    }
    net.services.retain(|s| new_id[s.link.index()].is_some());
    for s in &mut net.services {
        s.link = new_id[s.link.index()].expect("kept");
    }
}
