//! JSON data-transfer objects for routes, legs, locations and comparisons.

use corridor_model::{Location, LocationId, Network, Traffic, TransferKind};
use corridor_places::PlaceId;
use corridor_routing::Resolver;
use corridor_search::{Comparison, Leg, LegKind, Route, RouteError, Router};
use serde::Serialize;

/// A location as shown to API users.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema), schema(as = Location))]
pub struct LocationDto {
    /// Public id (UN/LOCODE or CC-NAME).
    pub id: String,
    /// Display name.
    pub name: String,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// Latitude, WGS84.
    pub lat: f64,
    /// Longitude, WGS84.
    pub lon: f64,
    /// IANA time zone.
    pub tz: String,
    /// Kinds, primary first (city, rail_terminal, dry_port, seaport, border_crossing).
    pub kinds: Vec<String>,
    /// Platforms served (rail1435, rail1520, road, sea).
    pub platforms: Vec<String>,
    /// Other names.
    pub aliases: Vec<String>,
}

impl LocationDto {
    /// The DTO of a location.
    pub fn new(l: &Location) -> Self {
        LocationDto {
            id: l.code.clone(),
            name: l.name.clone(),
            country: l.country.clone(),
            lat: round(l.lat, 5),
            lon: round(l.lon, 5),
            tz: l.tz.clone(),
            kinds: l.kinds.iter().map(|k| k.as_str().to_string()).collect(),
            platforms: l.platforms.iter().map(|p| p.to_string()).collect(),
            aliases: l.aliases.clone(),
        }
    }
}

/// A place of the place index outside the network (`corridor locations`, `/v1/locations`).
#[derive(Clone, Debug, Serialize, PartialEq)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct PlaceDto {
    /// Code (UN/LOCODE, or `GN` + GeoNames id); usable as `from` or `to`.
    pub id: String,
    /// Name.
    pub name: String,
    /// ISO 3166-1 alpha-2 country.
    pub country: String,
    /// Latitude, WGS84 degrees.
    pub lat: f64,
    /// Longitude, WGS84 degrees.
    pub lon: f64,
    /// What the place is (UN/LOCODE functions, `city` for a GeoNames city).
    pub kinds: Vec<String>,
    /// Population where known (GeoNames), else 0.
    pub population: u64,
    /// The nearest network terminals that its estimated truck legs may reach (great-circle km),
    /// where its legs go; empty where none is within reach (an island with no terminal).
    pub nearest_terminals: Vec<NearestTerminal>,
}

impl PlaceDto {
    /// The DTO of place `id` of the resolver's place index, with its three nearest terminals.
    pub fn new(resolver: &Resolver<'_>, id: PlaceId) -> Self {
        let (p, net) = (resolver.places().place(id), resolver.network());
        PlaceDto {
            id: p.code.to_owned(),
            name: p.name.to_owned(),
            country: p.country.to_owned(),
            lat: p.lat,
            lon: p.lon,
            kinds: p.functions.names().iter().map(|k| k.to_string()).collect(),
            population: p.population,
            nearest_terminals: corridor_routing::access::reachable_terminals(net, p.country, p.lat, p.lon)
                .into_iter()
                .take(3)
                .map(|c| NearestTerminal {
                    id: net.location(c.terminal).code.clone(),
                    name: net.location(c.terminal).name.clone(),
                    km: c.great_circle_km.round(),
                })
                .collect(),
        }
    }
}

/// A network terminal near a place, great-circle km.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct NearestTerminal {
    /// Location id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Great-circle km.
    pub km: f64,
}

/// Route totals, per container.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema), schema(as = Totals))]
pub struct TotalsDto {
    /// Distance, km.
    pub km: f64,
    /// Expected door-to-door time, hours.
    pub hours: f64,
    /// The same in days.
    pub days: f64,
    /// Price for the unit, USD: the median of the market range.
    pub usd: f64,
    /// 10th percentile of the price, USD: the legs' P10s added (rates of one through route move
    /// together). Null where the backend has no price range (a detailed snapshot's per-tonne-km
    /// prices); in the combined mode the detailed first and last mile count at their price.
    pub usd_p10: Option<f64>,
    /// 90th percentile of the price, USD (as `usd_p10`).
    pub usd_p90: Option<f64>,
    /// The oldest month (`YYYY-MM`) any of the route's prices was observed in: how old the quote
    /// is. Null where the data gives no date.
    pub price_basis: Option<String>,
    /// Well-to-wheel emissions, kg CO2e (ISO 14083 / GLEC).
    pub co2e_wtw_kg: f64,
    /// Tank-to-wheel emissions, kg CO2e; null where the backend does not split them (a detailed
    /// snapshot stores one well-to-wheel intensity per arc).
    pub co2e_ttw_kg: Option<f64>,
    /// Border crossings.
    pub borders: usize,
    /// Changes of rail gauge.
    pub gauge_changes: usize,
    /// Container lifts (transshipments and port handling); null where the backend does not count
    /// them (a detailed snapshot's terminal connectors carry handling without a lift counter).
    pub transshipments: Option<usize>,
    /// Generalized cost of the objective used: on the core network the search distance; on a
    /// detailed snapshot the objective's value of the totals (hours, USD, kg CO2e, km, or USD +
    /// value of time x hours + carbon price x t CO2e); in the combined mode the door-to-door hours
    /// it minimises.
    pub generalized_cost: f64,
}

/// One leg.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema), schema(as = Leg))]
pub struct LegDto {
    /// `rail`, `road`, `sea`, `ferry`, `transfer`, `border` or `wait`; on a detailed snapshot
    /// also `curated` (a curated link laid over the graph: a ferry, a short-sea line),
    /// `connector` (between a terminal and the network: drayage and half the handling),
    /// `gauge_change` and `join` (a healed gap of the source graph). A snapshot's border
    /// crossings lie inside its legs and are named in the description.
    pub kind: String,
    /// Platform moved on (moves: `rail1435`, `road`, `sea`, ...), or `from->to` (transfers);
    /// empty where the backend does not know it.
    pub platform: String,
    /// Start location id: a location code; on a detailed snapshot the code of a terminal or of
    /// the route's end places, else `node:N` (the snapshot's node).
    pub from: String,
    /// Start location name: on a detailed snapshot the terminal or end place, else the nearest
    /// known place (`Dostyk`, or `near Dostyk (12 km)` farther than 5 km).
    pub from_name: String,
    /// End location id (as `from`).
    pub to: String,
    /// End location name (as `from_name`).
    pub to_name: String,
    /// Intermediate location ids of a move (empty on a detailed snapshot).
    pub via: Vec<String>,
    /// Link ids traversed (empty on a detailed snapshot: its arcs have no ids).
    pub links: Vec<String>,
    /// Distance, km.
    pub km: f64,
    /// Expected time, hours.
    pub hours: f64,
    /// 90th-percentile time of this leg alone, hours (on a detailed snapshot the sum of its arcs'
    /// P90s, a bound).
    pub hours_p90: f64,
    /// Price, USD (median).
    pub usd: f64,
    /// 10th percentile of the price, USD; null on a detailed snapshot.
    pub usd_p10: Option<f64>,
    /// 90th percentile of the price, USD; null on a detailed snapshot.
    pub usd_p90: Option<f64>,
    /// The oldest month (`YYYY-MM`) the leg's prices were observed in; null where undated.
    pub price_basis: Option<String>,
    /// Well-to-wheel emissions, kg CO2e.
    pub co2e_wtw_kg: f64,
    /// Tank-to-wheel emissions, kg CO2e; null on a detailed snapshot (see
    /// [`TotalsDto::co2e_ttw_kg`]).
    pub co2e_ttw_kg: Option<f64>,
    /// The emission factors (ISO 14083 intensities, ids of `emission_factors.csv`, listed with
    /// their values by `/v1/network`) of the leg's links, in order of travel; empty for
    /// transfers, borders and waits and on a detailed snapshot.
    pub emission_factors: Vec<String>,
    /// Corridor ids of the leg's links (empty on a detailed snapshot: no corridor tags).
    pub corridors: Vec<String>,
    /// Human description ("gauge change 1435 -> 1520 mm (transshipment)").
    pub description: String,
    /// Hours from departure to the start of the leg.
    pub start_h: f64,
    /// End of the leg in the local time of its end location (ISO 8601 with offset), when the
    /// route has a departure time (null on the detailed first and last mile of the combined
    /// mode: a snapshot node has no time zone).
    pub arrive_local: Option<String>,
    /// An estimated first/last-mile truck leg (great-circle distance x a detour factor; see
    /// `[access]` in dataset.toml), present and `true` only on such legs.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub estimated: bool,
    /// The border crossing's id (as `avoid_border` takes it and `/v1/network` lists it) on
    /// border legs; null on every other leg and on a detailed snapshot (its crossings lie inside
    /// its legs).
    pub border: Option<String>,
    /// The leg's (lat, lon) points, for GeoJSON: not part of the JSON form.
    #[serde(skip)]
    pub points: Vec<(f64, f64)>,
}

/// The distribution of door-to-door time (seeded Monte Carlo).
#[derive(Clone, Debug, Serialize, PartialEq)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema), schema(as = Reliability))]
pub struct ReliabilityDto {
    /// Draws.
    pub samples: usize,
    /// Mean, hours.
    pub mean_h: f64,
    /// 10th percentile, hours (the lower end of the P10–P90 band).
    pub p10_h: f64,
    /// Median, hours.
    pub p50_h: f64,
    /// 90th percentile, hours.
    pub p90_h: f64,
    /// 95th percentile, hours.
    pub p95_h: f64,
    /// (P95 - mean) / mean.
    pub buffer_index: f64,
    /// Share of draws missing at least one planned departure.
    pub missed_departure_share: f64,
    /// 10th-percentile arrival, local time at the destination (with a departure time).
    pub arrive_p10: Option<String>,
    /// Median arrival, local time at the destination (with a departure time).
    pub arrive_p50: Option<String>,
    /// 90th-percentile arrival, local time.
    pub arrive_p90: Option<String>,
    /// 95th-percentile arrival, local time.
    pub arrive_p95: Option<String>,
}

/// `t` in the local time of `loc` as `2026-12-01T08:00+05:00`.
pub fn local_time(loc: &Location, t: jiff::Timestamp) -> String {
    local_time_tz(&loc.tz, t)
}

/// `t` in the IANA time zone `tz` as `2026-12-01T08:00+05:00` (UTC when the zone is unknown).
pub fn local_time_tz(tz: &str, t: jiff::Timestamp) -> String {
    match jiff::tz::TimeZone::get(tz) {
        Ok(tz) => t.to_zoned_datetime(tz).strftime("%Y-%m-%dT%H:%M%:z").to_string(),
        Err(_) => t.strftime("%Y-%m-%dT%H:%MZ").to_string(),
    }
}

/// `depart` plus `hours`.
pub fn after(depart: jiff::Timestamp, hours: f64) -> jiff::Timestamp {
    depart + jiff::SignedDuration::from_secs_f64(hours * 3600.0)
}

impl ReliabilityDto {
    /// The DTO of a simulation of `route`.
    pub fn new(net: &Network, route: &Route, r: &corridor_search::Reliability) -> Self {
        let to = net.location(route.to);
        let at = |h: f64| route.depart.map(|d| local_time(to, after(d, h)));
        ReliabilityDto {
            samples: r.samples,
            mean_h: round(r.mean_h, 2),
            p10_h: round(r.p10_h, 2),
            p50_h: round(r.p50_h, 2),
            p90_h: round(r.p90_h, 2),
            p95_h: round(r.p95_h, 2),
            buffer_index: round(r.buffer_index, 4),
            missed_departure_share: round(r.missed_departure_share, 4),
            arrive_p10: at(r.p10_h),
            arrive_p50: at(r.p50_h),
            arrive_p90: at(r.p90_h),
            arrive_p95: at(r.p95_h),
        }
    }
}

/// Where the two ends of a route joined a detailed snapshot.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema), schema(as = Snapped))]
pub struct SnappedDto {
    /// The snapshot node the origin snapped to.
    pub from_node: u32,
    /// Its distance from the origin, km.
    pub from_km: f64,
    /// The snapshot node the destination snapped to.
    pub to_node: u32,
    /// Its distance from the destination, km.
    pub to_km: f64,
}

/// A route: its places, totals and legs in order. The one result type of every backend (the
/// core network, a detailed snapshot, and the two combined); what a backend cannot tell is
/// null, as each field says.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema), schema(as = Route))]
pub struct RouteDto {
    /// Which engine answered: `core` (the curated network), `detailed` (a snapshot) or
    /// `combined` (a snapshot's first and last mile with the timetabled core in between).
    pub backend: String,
    /// Origin (on a snapshot: the place asked for; kinds and platforms are empty unless it is a
    /// location of the curated network).
    pub from: LocationDto,
    /// Destination (as `from`).
    pub to: LocationDto,
    /// `teu` or `feu`.
    pub unit: String,
    /// Net payload, tonnes.
    pub payload_t: f64,
    /// The kind of train the rail border crossings are timed for: `express` (a container block
    /// train with priority) or `regular` (wagonload and regional container trains; see the
    /// `traffic` parameter); null on a detailed snapshot, whose crossings have one figure.
    pub traffic: Option<String>,
    /// Totals.
    pub totals: TotalsDto,
    /// Corridors used (empty on a detailed snapshot: no corridor tags).
    pub corridors: Vec<String>,
    /// Countries passed in order (empty on a snapshot built without country data).
    pub countries: Vec<String>,
    /// Departure (local time at the origin), when given.
    pub depart: Option<String>,
    /// Expected arrival (local time at the destination), when a departure was given.
    pub arrive: Option<String>,
    /// Legs in order.
    pub legs: Vec<LegDto>,
    /// The door-to-door time distribution, when simulated (`/v1/route`, `/v1/pareto`; null in
    /// comparisons, and on a detailed snapshot, which has no distributions: its legs'
    /// `hours_p90` are bounds).
    pub reliability: Option<ReliabilityDto>,
    /// Where the ends joined a detailed snapshot; null on the core network.
    pub snapped: Option<SnappedDto>,
    /// Diagnostics: how places outside the network were joined to it (estimated access and
    /// egress legs), the trade bans that shaped the route, how a snapshot's ends snapped, what
    /// the combined mode tried; absent when there is nothing to say.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Why a route (one corridor's, or the overall best) could not be found, with a stable code.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema), schema(as = RouteFailure))]
pub struct ErrorDto {
    /// Stable code: `NoRoute`, `SameLocation`, `EndpointExcluded`, `InvalidQuery`, `Timeout`
    /// (the time budget ran out) or `TooComplex` (the label limit of one search).
    pub code: String,
    /// Human-readable message naming the offending input.
    pub message: String,
}

impl ErrorDto {
    /// The DTO of a routing error.
    pub fn new(e: &RouteError) -> Self {
        let code = match e {
            RouteError::SameLocation(_) => "SameLocation",
            RouteError::EndpointExcluded { .. } => "EndpointExcluded",
            RouteError::NoRoute { .. } => "NoRoute",
            RouteError::InvalidRequest(_) => "InvalidQuery",
            RouteError::Interrupted(corridor_search::Interrupt::Deadline) => "Timeout",
            RouteError::Interrupted(corridor_search::Interrupt::Labels(_)) => "TooComplex",
        };
        ErrorDto { code: code.to_string(), message: e.to_string() }
    }
}

/// One corridor's entry in a comparison (on a detailed snapshot, which has no corridor tags:
/// one objective's best route, with the objective as id and name and no colour).
#[derive(Clone, Debug, Serialize, PartialEq)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema), schema(as = Corridor))]
pub struct CorridorDto {
    /// Corridor id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Map colour.
    pub color: String,
    /// Best route, if any.
    pub route: Option<RouteDto>,
    /// Why there is none.
    pub error: Option<ErrorDto>,
}

/// Corridor ids (objective ids on a detailed snapshot) winning each criterion.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema), schema(as = Winners))]
pub struct WinnersDto {
    /// Fastest corridor.
    pub time: Option<String>,
    /// Cheapest corridor.
    pub cost: Option<String>,
    /// Lowest-CO2e corridor.
    pub co2: Option<String>,
    /// Fewest borders.
    pub borders: Option<String>,
}

/// A corridor comparison: the unrestricted best route, each corridor's best route, and the
/// winners.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema), schema(as = Comparison))]
pub struct ComparisonDto {
    /// Unrestricted best route.
    pub best: Option<RouteDto>,
    /// Why there is none.
    pub best_error: Option<ErrorDto>,
    /// Per corridor.
    pub corridors: Vec<CorridorDto>,
    /// Winners.
    pub winners: WinnersDto,
    /// How places outside the network were joined to it (see [`RouteDto::notes`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

pub(crate) fn round(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    let r = (x * f).round() / f;
    if r == 0.0 { 0.0 } else { r }
}

fn code(net: &Network, id: LocationId) -> String {
    net.location(id).code.clone()
}

/// A one-line description of a leg for tables and tooltips.
pub fn leg_description(net: &Network, leg: &Leg) -> String {
    match leg.kind {
        // A leg whose straight line crossed a sea runs round it by the coast, and one that crosses
        // a border by a known road post runs by the post (its link's geometry is that line;
        // `corridor_routing::landmass::land_line`, `corridor_routing::access`).
        LegKind::Move { .. } if leg.estimated && leg.links.iter().any(|&(l, _)| !net.link(l).geometry.is_empty()) => {
            "estimated truck leg (straight lines round the coast or by border posts x detour factor, not a measured road)"
                .to_string()
        }
        LegKind::Move { .. } if leg.estimated => {
            "estimated truck leg (great-circle distance x detour factor, not a measured road)".to_string()
        }
        LegKind::Move { mode, platform } => {
            let what = match platform {
                corridor_model::Platform::Rail { gauge_mm } => format!("{mode} {gauge_mm} mm"),
                _ => mode.to_string(),
            };
            if leg.via.is_empty() {
                what
            } else {
                let names: Vec<&str> = leg.via.iter().map(|&v| net.location(v).name.as_str()).collect();
                format!("{what} via {}", names.join(", "))
            }
        }
        LegKind::Transfer { kind, from, to } => match (kind, from, to) {
            (_, corridor_model::Platform::Rail { gauge_mm: a }, corridor_model::Platform::Rail { gauge_mm: b }) => {
                let how = if kind == TransferKind::GaugeChange { "bogie exchange" } else { "transshipment" };
                format!("gauge change {a} -> {b} mm ({how})")
            }
            (TransferKind::PortHandling, _, _) => format!("port handling {from} -> {to}"),
            _ => format!("{} {from} -> {to}", kind.as_str()),
        },
        LegKind::Border { border } => {
            let b = &net.borders[border.index()];
            let l = net.link(b.link);
            let (a, c) = (&net.location(l.from).country, &net.location(l.to).country);
            let (a, c) = if b.direction == corridor_model::Direction::Forward { (a, c) } else { (c, a) };
            format!("border crossing {} ({a} -> {c})", b.name)
        }
        LegKind::Wait { link } => {
            let l = net.link(link);
            let what = match l.headway {
                Some(h) => {
                    let every = if h.0 >= 48.0 { format!("{:.1} days", h.0 / 24.0) } else { format!("{:.0} h", h.0) };
                    format!("wait for the next {} departure (one every {every} on average)", l.mode)
                }
                None => format!("wait for the next scheduled {} departure (timetable)", l.mode),
            };
            // The wait leg runs from the port of departure: its end says the direction.
            match l.backlog[usize::from(leg.from != l.from)] {
                Some(b) => format!(
                    "{what}; a port backlog holds departures this way {:.0}% of the time, {:.0} days on average",
                    b.p * 100.0,
                    b.mean.0 / 24.0
                ),
                None => what,
            }
        }
    }
}

impl LegDto {
    /// The DTO of a leg of a route departing at `depart`.
    pub fn new(net: &Network, leg: &Leg, depart: Option<jiff::Timestamp>) -> Self {
        let (kind, platform) = match leg.kind {
            LegKind::Move { mode, platform } => (mode.to_string(), platform.to_string()),
            LegKind::Transfer { from, to, .. } => ("transfer".to_string(), format!("{from}->{to}")),
            LegKind::Border { .. } => ("border".to_string(), String::new()),
            LegKind::Wait { .. } => ("wait".to_string(), String::new()),
        };
        LegDto {
            kind,
            platform,
            from: code(net, leg.from),
            from_name: net.location(leg.from).name.clone(),
            to: code(net, leg.to),
            to_name: net.location(leg.to).name.clone(),
            via: leg.via.iter().map(|&v| code(net, v)).collect(),
            links: leg.links.iter().map(|&(l, _)| net.link(l).code.clone()).collect(),
            km: round(leg.km.0, 1),
            hours: round(leg.hours.0, 2),
            hours_p90: round(leg.hours_p90.0, 2),
            usd: round(leg.usd.0, 2),
            usd_p10: Some(round(leg.price.p10.0, 2)),
            usd_p90: Some(round(leg.price.p90.0, 2)),
            price_basis: leg.price_basis.map(|b| b.to_string()),
            co2e_wtw_kg: round(leg.emissions.wtw.0, 2),
            co2e_ttw_kg: Some(round(leg.emissions.ttw.0, 2)),
            emission_factors: {
                let mut ids: Vec<String> = Vec::new();
                for &(l, _) in &leg.links {
                    let code = &net.emission_factors[net.link(l).emission_factor.index()].code;
                    if !ids.contains(code) {
                        ids.push(code.clone());
                    }
                }
                ids
            },
            corridors: leg.corridors.iter().map(|c| net.corridors[c.index()].code.clone()).collect(),
            description: leg_description(net, leg),
            start_h: round(leg.start.0, 2),
            arrive_local: depart.map(|d| local_time(net.location(leg.to), after(d, leg.start.0 + leg.hours.0))),
            estimated: leg.estimated,
            border: match leg.kind {
                LegKind::Border { border } => Some(net.borders[border.index()].code.clone()),
                _ => None,
            },
            points: super::geo::leg_coordinates(net, leg),
        }
    }
}

impl RouteDto {
    /// The DTO of a route.
    pub fn new(net: &Network, r: &Route) -> Self {
        let t = &r.totals;
        RouteDto {
            backend: "core".to_string(),
            from: LocationDto::new(net.location(r.from)),
            to: LocationDto::new(net.location(r.to)),
            unit: r.unit.as_str().to_string(),
            payload_t: r.payload.0,
            traffic: Some(r.traffic.as_str().to_string()),
            totals: TotalsDto {
                km: round(t.km.0, 1),
                hours: round(t.hours.0, 2),
                days: round(t.hours.days(), 2),
                usd: round(t.usd.0, 2),
                usd_p10: Some(round(t.price.p10.0, 2)),
                usd_p90: Some(round(t.price.p90.0, 2)),
                price_basis: t.price_basis.map(|b| b.to_string()),
                co2e_wtw_kg: round(t.emissions.wtw.0, 2),
                co2e_ttw_kg: Some(round(t.emissions.ttw.0, 2)),
                borders: t.borders,
                gauge_changes: t.gauge_changes,
                transshipments: Some(t.transshipments),
                generalized_cost: round(t.generalized_cost, 2),
            },
            corridors: r.corridors.iter().map(|c| net.corridors[c.index()].code.clone()).collect(),
            countries: r.countries.clone(),
            depart: r.depart.map(|d| local_time(net.location(r.from), d)),
            arrive: r.depart.map(|d| local_time(net.location(r.to), after(d, t.hours.0))),
            legs: r
                .legs
                .iter()
                .map(|l| {
                    let mut dto = LegDto::new(net, l, r.depart);
                    // Say where a crossing was timed for regular trains (its own figures).
                    if let LegKind::Border { border } = l.kind
                        && r.traffic == Traffic::Regular
                        && net.borders[border.index()].regular.is_some()
                    {
                        dto.description.push_str(", regular train");
                    }
                    dto
                })
                .collect(),
            reliability: None,
            snapped: None,
            // What the route itself needs said; a front end puts its request's notes first.
            notes: r.transit_bans.iter().map(ToString::to_string).collect(),
        }
    }
}

impl ComparisonDto {
    /// The DTO of a comparison.
    pub fn new(router: &Router, c: &Comparison) -> Self {
        let net = router.network();
        let corridor_code = |i: Option<usize>| i.map(|i| net.corridors[c.corridors[i].corridor.index()].code.clone());
        ComparisonDto {
            best: c.best.as_ref().ok().map(|r| RouteDto::new(net, r)),
            best_error: c.best.as_ref().err().map(ErrorDto::new),
            corridors: c
                .corridors
                .iter()
                .map(|cr| {
                    let cor = &net.corridors[cr.corridor.index()];
                    CorridorDto {
                        id: cor.code.clone(),
                        name: cor.name.clone(),
                        color: cor.color.clone(),
                        route: cr.route.as_ref().ok().map(|r| RouteDto::new(net, r)),
                        error: cr.route.as_ref().err().map(ErrorDto::new),
                    }
                })
                .collect(),
            winners: WinnersDto {
                time: corridor_code(c.winners.time),
                cost: corridor_code(c.winners.cost),
                co2: corridor_code(c.winners.co2),
                borders: corridor_code(c.winners.borders),
            },
            // The best route's own notes (each corridor's route has its own).
            notes: c.best.as_ref().map_or(Vec::new(), |r| r.transit_bans.iter().map(ToString::to_string).collect()),
        }
    }
}
