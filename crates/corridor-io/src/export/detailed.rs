//! Step 5 for the detailed and combined backends: a route found on a snapshot (legs with
//! exact totals, `corridor_snapshot::Leg`) turned into the one result type, [`RouteDto`], with
//! its legs named by place, and the per-objective comparison on a snapshot turned into a
//! [`ComparisonDto`]. Figures a snapshot does not hold are null, never invented: tank-to-wheel
//! CO2e, container lifts, reliability (a snapshot has no distributions), corridors (no tags).

use corridor_model::CargoUnit;
use corridor_places::PlaceIndex;
use corridor_snapshot::{ArcKind, Leg, NodeMode, Objective, Snapshot};

use super::dto::{
    ComparisonDto, CorridorDto, ErrorDto, LegDto, LocationDto, RouteDto, SnappedDto, TotalsDto, WinnersDto, after,
    local_time_tz, round,
};

/// A node this close to a known place takes its name; farther, `near NAME (N km)`, km.
pub const SAME_PLACE_KM: f64 = 5.0;

/// Farther than this from every known place, a node is named by its coordinates, km.
pub const NEAR_PLACE_KM: f64 = 150.0;

/// One end of a route on a detailed snapshot: the place asked for and the node it snapped to.
#[derive(Clone, Debug, PartialEq)]
pub struct SnapEnd {
    /// The place as asked for (a location of the curated network, a place of the index, or a
    /// coordinate with the country and time zone of the nearest known place).
    pub place: LocationDto,
    /// The snapshot node it snapped to.
    pub node: u32,
    /// The distance from the place to that node, km.
    pub snap_km: f64,
}

impl SnappedDto {
    /// The snapped nodes of both ends and their distances from the places asked for.
    fn new(from: &SnapEnd, to: &SnapEnd) -> SnappedDto {
        SnappedDto {
            from_node: from.node,
            from_km: round(from.snap_km, 3),
            to_node: to.node,
            to_km: round(to.snap_km, 3),
        }
    }
}

impl SnapEnd {
    /// "Qingdao (CNQIN, CN)": see [`place_label`].
    pub fn label(&self) -> String {
        place_label(&self.place)
    }

    /// The diagnostic note on how this end (`what`: origin or destination) joined the network.
    pub fn note(&self, what: &str) -> String {
        format!(
            "the {what} {} joins the detailed network at node {} ({:.2} km away)",
            self.label(),
            self.node,
            self.snap_km
        )
    }
}

/// "Qingdao (CNQIN, CN)" for a place with a code and a country, else its name alone (a
/// coordinate, `@lat,lon`, or a snapshot node, `node:N`).
pub fn place_label(p: &LocationDto) -> String {
    if p.id.is_empty() || p.country.is_empty() || p.id.starts_with('@') || p.id.starts_with("node:") {
        p.name.clone()
    } else {
        format!("{} ({}, {})", p.name, p.id, p.country)
    }
}

/// A point named by the nearest known place of the embedded index (of `country`, when known:
/// a mis-geocoded entry of another country never names it): its name within
/// [`SAME_PLACE_KM`], `near NAME (N km)` within [`NEAR_PLACE_KM`], else the coordinates.
pub fn place_name(lat: f64, lon: f64, country: Option<&str>) -> String {
    let index = PlaceIndex::embedded();
    let keep =
        |p: &corridor_places::Place<'_>| country.is_none_or(|c| c.is_empty() || p.country.eq_ignore_ascii_case(c));
    match index.nearest(lat, lon, 1, keep).first() {
        Some(&(p, d)) if d <= SAME_PLACE_KM => index.place(p).name.to_string(),
        Some(&(p, d)) if d <= NEAR_PLACE_KM => format!("near {} ({d:.0} km)", index.place(p).name),
        _ => format!("{lat:.4},{lon:.4}"),
    }
}

/// The place of a snapshot node given by id (`node:N`): named by the nearest known place, with
/// that place's country and time zone when the snapshot has no country for it.
pub fn node_place(snapshot: &Snapshot, node: u32) -> LocationDto {
    let (lat, lon) = coord(snapshot, node);
    let names = NodeNames::new(snapshot, &[]);
    let (id, name) = names.name(node, (lat, lon));
    let near = PlaceIndex::embedded().nearest(lat, lon, 1, |_| true);
    let place = near.first().filter(|&&(_, d)| d <= NEAR_PLACE_KM).map(|&(p, _)| PlaceIndex::embedded().place(p));
    let country = country(snapshot, node).or_else(|| place.map(|p| p.country.to_string())).unwrap_or_default();
    LocationDto {
        id,
        name,
        country,
        lat: round(lat, 5),
        lon: round(lon, 5),
        tz: place.map(|p| p.tz.to_string()).unwrap_or_default(),
        kinds: Vec::new(),
        platforms: Vec::new(),
        aliases: Vec::new(),
    }
}

fn coord(snapshot: &Snapshot, v: u32) -> (f64, f64) {
    let i = v as usize;
    match (snapshot.lat_e7().get(i), snapshot.lon_e7().get(i)) {
        (Some(&la), Some(&lo)) => (f64::from(la) / 1e7, f64::from(lo) / 1e7),
        _ => (f64::NAN, f64::NAN),
    }
}

fn country(snapshot: &Snapshot, v: u32) -> Option<String> {
    let c = *snapshot.node_country().get(v as usize)?;
    (c != corridor_snapshot::NO_COUNTRY).then(|| snapshot.country_code(c).to_string())
}

/// Names snapshot nodes by place: the route's ends by the places asked for, terminals by their
/// code and name, any other node by the nearest known place of the embedded index.
pub struct NodeNames<'a> {
    snapshot: &'a Snapshot,
    ends: Vec<(u32, String, String)>,
}

impl<'a> NodeNames<'a> {
    /// Names over `snapshot`, with these ends named by their places.
    pub fn new(snapshot: &'a Snapshot, ends: &[&SnapEnd]) -> Self {
        NodeNames { snapshot, ends: ends.iter().map(|e| (e.node, e.place.id.clone(), e.place.name.clone())).collect() }
    }

    /// (id, name) of node `v` at `at` (lat, lon): see [`LegDto::from_snapshot`].
    pub fn name(&self, v: u32, at: (f64, f64)) -> (String, String) {
        if let Some((_, id, name)) = self.ends.iter().find(|e| e.0 == v) {
            return (id.clone(), name.clone());
        }
        let s = self.snapshot;
        if (v as usize) < s.node_count() && s.node_mode_of(v) == NodeMode::Terminal {
            // Terminal labels are "CODE name".
            let label = s.label(s.node_label()[v as usize]);
            if let Some((code, name)) = label.split_once(' ') {
                return (code.to_string(), name.to_string());
            }
        }
        let id = format!("node:{v}");
        let (lat, lon) = at;
        if !(lat.is_finite() && lon.is_finite()) {
            return (id.clone(), id);
        }
        (id, place_name(lat, lon, country(s, v).as_deref()))
    }
}

/// The objective's value of a route's totals, in its natural unit: km, hours, USD, kg CO2e, or
/// generalized USD.
pub fn objective_value(objective: Objective, km: f64, hours: f64, p90: f64, usd: f64, kg: f64) -> f64 {
    match objective {
        Objective::Distance => km,
        Objective::Time => hours,
        Objective::TimeP90 => p90,
        Objective::Cost => usd,
        Objective::Co2 => kg,
        Objective::Balanced { value_of_time_usd_h, carbon_usd_t } => {
            usd + value_of_time_usd_h * hours + carbon_usd_t * kg / 1000.0
        }
    }
}

/// The description of a snapshot leg: what it runs on and the border crossings inside it.
fn leg_description(l: &Leg) -> String {
    let mut s = match l.kind {
        ArcKind::Rail if l.gauge_mm != 0 => format!("rail {} mm", l.gauge_mm),
        ArcKind::Rail | ArcKind::Road => l.kind.name().to_string(),
        ArcKind::Sea => "sea lane".to_string(),
        _ if !l.label.is_empty() => l.label.clone(),
        _ => l.kind.name().replace('_', " "),
    };
    if l.countries.len() > 1 {
        s.push_str(&format!(" through {}", l.countries.join(" > ")));
    }
    for (name, mean, p90) in &l.borders {
        if *mean > 0.0 {
            s.push_str(&format!("; border {name} ({mean:.1} h, P90 {p90:.1} h)"));
        } else {
            s.push_str(&format!("; border {name}"));
        }
    }
    s
}

impl LegDto {
    /// The DTO of a snapshot leg starting `start_h` hours after departure, its ends named by
    /// `names`: ids are terminal or end-place codes, else `node:N`; names are the terminal or
    /// end place, else the nearest known place (`Dostyk` within [`SAME_PLACE_KM`], `near Dostyk
    /// (12 km)` within [`NEAR_PLACE_KM`], else the coordinates). Tank-to-wheel CO2e is null.
    pub fn from_snapshot(names: &NodeNames<'_>, l: &Leg, start_h: f64) -> LegDto {
        let first = l.points.first().copied().unwrap_or((f64::NAN, f64::NAN));
        let last = l.points.last().copied().unwrap_or(first);
        let (from, from_name) = names.name(l.from, first);
        let (to, to_name) = names.name(l.to, last);
        let platform = match l.kind {
            ArcKind::Rail if l.gauge_mm != 0 => format!("rail{}", l.gauge_mm),
            ArcKind::Rail | ArcKind::Road | ArcKind::Sea => l.kind.name().to_string(),
            _ => String::new(),
        };
        LegDto {
            kind: l.kind.name().to_string(),
            platform,
            from,
            from_name,
            to,
            to_name,
            via: Vec::new(),
            links: Vec::new(),
            km: round(l.cost.km, 1),
            hours: round(l.cost.hours, 2),
            hours_p90: round(l.cost.hours_p90, 2),
            usd: round(l.cost.usd, 2),
            usd_p10: None,
            usd_p90: None,
            price_basis: None,
            co2e_wtw_kg: round(l.cost.kg_co2e, 2),
            co2e_ttw_kg: None,
            emission_factors: Vec::new(),
            corridors: Vec::new(),
            description: leg_description(l),
            start_h: round(start_h, 2),
            arrive_local: None,
            estimated: false,
            border: None,
            points: l.points.clone(),
        }
    }
}

/// Breaks of gauge crossed, however handled (a gauge-change arc, or a transshipment through a
/// terminal): changes of gauge between consecutive rail legs.
pub fn gauge_changes(legs: &[Leg]) -> usize {
    let rail: Vec<u16> = legs.iter().map(|l| l.gauge_mm).filter(|&g| g != 0).collect();
    rail.windows(2).filter(|w| w[0] != w[1]).count()
}

/// Countries in order, without repeats in a row.
pub fn countries<'a>(lists: impl IntoIterator<Item = &'a String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in lists {
        if out.last() != Some(c) {
            out.push(c.clone());
        }
    }
    out
}

/// What a route on a snapshot was asked for.
#[derive(Clone, Copy, Debug)]
pub struct DetailedAsk {
    /// Container unit.
    pub unit: CargoUnit,
    /// Net cargo tonnes.
    pub payload_t: f64,
    /// The objective of the search (for the generalized cost).
    pub objective: Objective,
}

impl RouteDto {
    /// The DTO of a route on a detailed snapshot between two snapped places: legs named by
    /// place, exact totals, and notes on how the ends snapped and on the P90 bound; null where
    /// a snapshot holds nothing (tank-to-wheel CO2e, lifts, reliability).
    pub fn from_snapshot(snapshot: &Snapshot, legs: &[Leg], from: &SnapEnd, to: &SnapEnd, ask: DetailedAsk) -> Self {
        let names = NodeNames::new(snapshot, &[from, to]);
        let mut start = 0.0;
        let leg_dtos: Vec<LegDto> = legs
            .iter()
            .map(|l| {
                let d = LegDto::from_snapshot(&names, l, start);
                start += l.cost.hours;
                d
            })
            .collect();
        let sum = |f: fn(&Leg) -> f64| legs.iter().map(f).sum::<f64>();
        let (km, hours, p90, usd, kg) = (
            sum(|l| l.cost.km),
            sum(|l| l.cost.hours),
            sum(|l| l.cost.hours_p90),
            sum(|l| l.cost.usd),
            sum(|l| l.cost.kg_co2e),
        );
        let notes = vec![
            from.note("origin"),
            to.note("destination"),
            format!(
                "no simulation on a detailed snapshot: the P90 bound (the sum of each arc's P90) is {:.1} h ({:.1} days)",
                p90,
                p90 / 24.0
            ),
        ];
        RouteDto {
            backend: "detailed".to_string(),
            from: from.place.clone(),
            to: to.place.clone(),
            unit: ask.unit.as_str().to_string(),
            payload_t: ask.payload_t,
            traffic: None,
            totals: TotalsDto {
                km: round(km, 1),
                hours: round(hours, 2),
                days: round(hours / 24.0, 2),
                usd: round(usd, 2),
                usd_p10: None,
                usd_p90: None,
                price_basis: None,
                co2e_wtw_kg: round(kg, 2),
                co2e_ttw_kg: None,
                borders: legs.iter().map(|l| l.borders.len()).sum(),
                gauge_changes: gauge_changes(legs),
                transshipments: None,
                generalized_cost: round(objective_value(ask.objective, km, hours, p90, usd, kg), 2),
            },
            corridors: Vec::new(),
            countries: countries(legs.iter().flat_map(|l| l.countries.iter())),
            depart: None,
            arrive: None,
            legs: leg_dtos,
            reliability: None,
            snapped: Some(SnappedDto::new(from, to)),
            notes,
        }
    }

    /// The DTO of a combined route: the detailed first mile (`access`, from the origin's node to
    /// a terminal), the timetabled core route `core` (its DTO, with its reliability), and the
    /// detailed last mile (`egress`), departing at `depart`. Totals are door to door; lifts and
    /// tank-to-wheel CO2e are null (the detailed miles have neither); the reliability is the
    /// core's simulation shifted by the first and last miles' expected hours (said in a note).
    #[allow(clippy::too_many_arguments)]
    pub fn combined(
        snapshot: &Snapshot,
        from: &SnapEnd,
        to: &SnapEnd,
        access: &[Leg],
        core: RouteDto,
        egress: &[Leg],
        depart: jiff::Timestamp,
        mut notes: Vec<String>,
    ) -> Self {
        let names = NodeNames::new(snapshot, &[from, to]);
        let hours = |ls: &[Leg]| ls.iter().map(|l| l.cost.hours).sum::<f64>();
        let (ha, he) = (hours(access), hours(egress));
        let mut legs = Vec::new();
        let mut start = 0.0;
        for l in access {
            legs.push(LegDto::from_snapshot(&names, l, start));
            start += l.cost.hours;
        }
        for mut l in core.legs {
            l.start_h = round(l.start_h + ha, 2);
            legs.push(l);
        }
        let mut start = ha + core.totals.hours;
        for l in egress {
            legs.push(LegDto::from_snapshot(&names, l, start));
            start += l.cost.hours;
        }
        let miles = || access.iter().chain(egress);
        let sum = |f: fn(&Leg) -> f64| miles().map(f).sum::<f64>();
        let total_h = ha + core.totals.hours + he;
        let t = &core.totals;
        let countries = countries(
            access
                .iter()
                .flat_map(|l| l.countries.iter())
                .chain(core.countries.iter())
                .chain(egress.iter().flat_map(|l| l.countries.iter())),
        );
        let reliability = core.reliability.map(|mut r| {
            let shift = ha + he;
            r.mean_h = round(r.mean_h + shift, 2);
            r.p10_h = round(r.p10_h + shift, 2);
            r.p50_h = round(r.p50_h + shift, 2);
            r.p90_h = round(r.p90_h + shift, 2);
            r.p95_h = round(r.p95_h + shift, 2);
            r.buffer_index = if r.mean_h > 0.0 { round((r.p95_h - r.mean_h) / r.mean_h, 4) } else { 0.0 };
            let at = |h: f64| local_time_tz(&to.place.tz, after(depart, h));
            r.arrive_p10 = Some(at(r.p10_h));
            r.arrive_p50 = Some(at(r.p50_h));
            r.arrive_p90 = Some(at(r.p90_h));
            r.arrive_p95 = Some(at(r.p95_h));
            r
        });
        notes.insert(0, from.note("origin"));
        notes.insert(1, to.note("destination"));
        notes.push(format!(
            "the simulated distribution covers the timetabled middle; the detailed first and last mile ({:.1} h and {:.1} h) are added at their expected hours",
            ha, he
        ));
        RouteDto {
            backend: "combined".to_string(),
            from: from.place.clone(),
            to: to.place.clone(),
            unit: core.unit,
            payload_t: core.payload_t,
            traffic: core.traffic,
            totals: TotalsDto {
                km: round(t.km + sum(|l| l.cost.km), 1),
                hours: round(total_h, 2),
                days: round(total_h / 24.0, 2),
                usd: round(t.usd + sum(|l| l.cost.usd), 2),
                usd_p10: t.usd_p10.map(|p| round(p + sum(|l| l.cost.usd), 2)),
                usd_p90: t.usd_p90.map(|p| round(p + sum(|l| l.cost.usd), 2)),
                price_basis: t.price_basis.clone(),
                co2e_wtw_kg: round(t.co2e_wtw_kg + sum(|l| l.cost.kg_co2e), 2),
                co2e_ttw_kg: None,
                borders: t.borders + miles().map(|l| l.borders.len()).sum::<usize>(),
                gauge_changes: t.gauge_changes + gauge_changes(access) + gauge_changes(egress),
                transshipments: None,
                generalized_cost: round(total_h, 2),
            },
            corridors: core.corridors,
            countries,
            depart: Some(local_time_tz(&from.place.tz, depart)),
            arrive: Some(local_time_tz(&to.place.tz, after(depart, total_h))),
            legs,
            reliability,
            snapped: Some(SnappedDto::new(from, to)),
            notes,
        }
    }
}

impl ComparisonDto {
    /// The comparison on a detailed snapshot, which has no corridor tags: one entry per
    /// objective (`id` and `name` the objective, no colour), `best` the query's own objective's
    /// route, and the winners among the entries. As on the core network, the notes are the
    /// comparison's: the routes' own are dropped.
    pub fn from_objectives(
        mut entries: Vec<(String, String, Result<RouteDto, ErrorDto>)>,
        mut best: Result<RouteDto, ErrorDto>,
        notes: Vec<String>,
    ) -> Self {
        for r in entries.iter_mut().filter_map(|e| e.2.as_mut().ok()).chain(best.as_mut().ok()) {
            r.notes.clear();
        }
        let winner = |key: fn(&RouteDto) -> f64| -> Option<String> {
            let mut w: Option<(f64, &str)> = None;
            for (id, _, r) in &entries {
                if let Ok(r) = r
                    && w.is_none_or(|(v, _)| key(r) < v)
                {
                    w = Some((key(r), id));
                }
            }
            w.map(|(_, id)| id.to_string())
        };
        let winners = WinnersDto {
            time: winner(|r| r.totals.hours),
            cost: winner(|r| r.totals.usd),
            co2: winner(|r| r.totals.co2e_wtw_kg),
            borders: winner(|r| r.totals.borders as f64),
        };
        ComparisonDto {
            best: best.as_ref().ok().cloned(),
            best_error: best.err(),
            corridors: entries
                .into_iter()
                .map(|(id, name, r)| {
                    let (route, error) = match r {
                        Ok(r) => (Some(r), None),
                        Err(e) => (None, Some(e)),
                    };
                    CorridorDto { id, name, color: String::new(), route, error }
                })
                .collect(),
            winners,
            notes,
        }
    }
}
