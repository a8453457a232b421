//! A found route as a planner reads it: legs (runs on one mode and platform, border
//! clearances, transfers) with distance, time, money and emissions, plus totals.

use corridor_model::emissions::Emissions;
use corridor_model::{
    ArcId, ArcKind, BorderId, CargoUnit, CorridorId, Graph, Hours, Km, LinkId, LocationId, Mode, Network, Platform,
    Price, PriceBasis, Tonnes, Traffic, TransferKind, Usd,
};

use crate::measure::{ArcMeasure, measure_arc};
use crate::request::RouteRequest;

/// What a leg is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum LegKind {
    /// Moving along one or more consecutive links of one mode on one platform.
    Move {
        /// Mode.
        mode: Mode,
        /// Platform (gauge for rail).
        platform: Platform,
    },
    /// Changing platform at a location.
    Transfer {
        /// What happens.
        kind: TransferKind,
        /// Arriving platform.
        from: Platform,
        /// Leaving platform.
        to: Platform,
    },
    /// Clearing a border crossing.
    Border {
        /// Which crossing (and direction).
        border: BorderId,
    },
    /// Waiting for the next departure of a scheduled service (ferry, liner).
    Wait {
        /// The service's link.
        link: LinkId,
    },
}

/// One leg of a route.
#[derive(Clone, Debug, PartialEq)]
pub struct Leg {
    /// What the leg is.
    pub kind: LegKind,
    /// Where it starts.
    pub from: LocationId,
    /// Where it ends (equal to `from` for transfers and borders at one station).
    pub to: LocationId,
    /// Locations passed through on a move leg, excluding its ends.
    pub via: Vec<LocationId>,
    /// Links traversed, with `true` for the link's own direction.
    pub links: Vec<(LinkId, bool)>,
    /// Time from departure to the start of this leg.
    pub start: Hours,
    /// Distance.
    pub km: Km,
    /// Expected time, dwell included.
    pub hours: Hours,
    /// 90th-percentile time of the leg on its own.
    pub hours_p90: Hours,
    /// Median price for the unit.
    pub usd: Usd,
    /// Price range for the unit; its median is `usd`.
    pub price: Price,
    /// The oldest month the leg's prices were observed in, where the data says.
    pub price_basis: Option<PriceBasis>,
    /// Emissions for the unit and payload.
    pub emissions: Emissions,
    /// Corridors the leg's links are tagged with (sorted, unique).
    pub corridors: Vec<CorridorId>,
    /// The leg is an estimated first/last-mile truck run (see [`Link::estimated`]), never merged
    /// with measured links.
    ///
    /// [`Link::estimated`]: corridor_model::Link::estimated
    pub estimated: bool,
}

/// Totals of a route.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Totals {
    /// Distance.
    pub km: Km,
    /// Expected door-to-door time (sum of leg means).
    pub hours: Hours,
    /// Median price.
    pub usd: Usd,
    /// Price range: the legs' quantiles added, as if their rates moved together (comonotone;
    /// the widest honest range, since one market sets a through route's rates).
    pub price: Price,
    /// The oldest month any leg's price was observed in: how old the quote is.
    pub price_basis: Option<PriceBasis>,
    /// Emissions.
    pub emissions: Emissions,
    /// Border crossings cleared.
    pub borders: usize,
    /// Changes between rail gauges (by transshipment or bogie exchange).
    pub gauge_changes: usize,
    /// Container lifts between vehicles (transshipments and port handling).
    pub transshipments: usize,
    /// Generalized cost under the request's objective.
    pub generalized_cost: f64,
}

/// A route from origin to destination.
#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    /// Origin.
    pub from: LocationId,
    /// Destination.
    pub to: LocationId,
    /// Container unit the figures are for.
    pub unit: CargoUnit,
    /// Payload the figures are for.
    pub payload: Tonnes,
    /// The kind of train the border figures are for.
    pub traffic: Traffic,
    /// Departure instant, when the route was planned against timetables.
    pub depart: Option<jiff::Timestamp>,
    /// Legs in order.
    pub legs: Vec<Leg>,
    /// Totals.
    pub totals: Totals,
    /// The corridor(s) the route follows: the tags shared by all its tagged links (a trunk
    /// line tagged `northern|middle` and a Caspian ferry tagged `middle` make a `middle`
    /// route), or, when they share none, every tag used. Sorted, unique.
    pub corridors: Vec<CorridorId>,
    /// Countries passed, in order, consecutive repeats removed (ISO alpha-2). A sailing counts
    /// only the country it unloads in: the ports it passes with the cargo aboard are in its
    /// leg's `via`.
    pub countries: Vec<String>,
    /// The arcs of the compiled graph, for tools that need them.
    pub arcs: Vec<ArcId>,
    /// Hours the drivers' rest rule saves on short truck runs, already taken off the road legs
    /// and the totals (see [`truck_runs`]); the simulation takes it off every draw.
    pub rest_credit: Hours,
    /// The trade bans this route keeps by keeping out of one of their sides, where the best
    /// route without that care passed through both (`Router::route`); empty for most routes.
    pub transit_bans: Vec<TransitBan>,
}

/// A trade ban that a route between third countries keeps
/// ([`corridor_model::regions::crossed_ban`]): the goods may not pass through both its sides,
/// so the route keeps out of one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransitBan {
    /// The side the route keeps out of (ISO alpha-2).
    pub avoided: String,
    /// The other side, which the route may pass through.
    pub other: String,
}

impl std::fmt::Display for TransitBan {
    /// The note a front end shows with the route.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Trade ban between {} and {}, transit included: the route makes no stop in {} (no loading, unloading, transshipment or land transit; ships may sail past its ports)",
            (&self.other).min(&self.avoided),
            (&self.other).max(&self.avoided),
            self.avoided
        )
    }
}

impl Route {
    /// Assembles the route along `arcs` (a path in `graph` from a platform node of `req.from` to
    /// one of `req.to`). `generalized_cost` is the search distance.
    pub fn from_arcs(
        net: &Network,
        graph: &Graph,
        arcs: Vec<ArcId>,
        req: &RouteRequest,
        generalized_cost: f64,
    ) -> Route {
        let measures: Vec<ArcMeasure> =
            arcs.iter().map(|&a| measure_arc(net, graph.kind(a), req.unit, req.payload, req.traffic)).collect();
        Route::from_measured(net, graph, arcs, &measures, req, generalized_cost)
    }

    /// Like [`Route::from_arcs`], with the measure of each arc given (a time-dependent search
    /// knows the actual wait for each departure).
    pub fn from_measured(
        net: &Network,
        graph: &Graph,
        arcs: Vec<ArcId>,
        measures: &[ArcMeasure],
        req: &RouteRequest,
        generalized_cost: f64,
    ) -> Route {
        let (from, to, unit, payload) = (req.from, req.to, req.unit, req.payload);
        let mut legs: Vec<Leg> = Vec::new();
        let mut totals = Totals { generalized_cost, ..Totals::default() };
        for (&arc, &m) in arcs.iter().zip(measures) {
            let kind = graph.kind(arc);
            let start = totals.hours;
            totals.km += m.km;
            totals.hours += m.hours;
            totals.usd += m.usd;
            totals.price += m.price;
            totals.price_basis = oldest(totals.price_basis, m.price_basis);
            totals.emissions += m.emissions;
            let tail_loc = graph.node_location(graph.tail(arc));
            let head_loc = graph.node_location(graph.head(arc));
            let estimated = matches!(kind, ArcKind::Link { link, .. } if net.link(link).estimated);
            let (leg_kind, corridors, link) = match kind {
                ArcKind::Link { link, forward } => {
                    let l = net.link(link);
                    (LegKind::Move { mode: l.mode, platform: l.platform }, l.corridors.clone(), Some((link, forward)))
                }
                ArcKind::Transfer(t) => {
                    let t = &net.transfers[t.index()];
                    let (a, b) = (graph.node_platform(graph.tail(arc)), graph.node_platform(graph.head(arc)));
                    let (a, b) = (a.expect("transfer from a platform"), b.expect("transfer to a platform"));
                    if matches!(t.kind, TransferKind::Transshipment | TransferKind::PortHandling) {
                        totals.transshipments += 1;
                    }
                    (LegKind::Transfer { kind: t.kind, from: a, to: b }, Vec::new(), None)
                }
                ArcKind::Border(b) => {
                    totals.borders += 1;
                    (LegKind::Border { border: b }, Vec::new(), None)
                }
                ArcKind::Wait { link, .. } => (LegKind::Wait { link }, Vec::new(), None),
                // A liner's port call is no leg: the voyage's sea legs on either side of it
                // merge into one, with the port as a stop on the way. A landing charge is the
                // voyage's freight: its leg shows it.
                ArcKind::Call { .. } => {
                    if let Some(last) = legs.last_mut()
                        && m.usd > Usd::ZERO
                    {
                        last.usd += m.usd;
                        last.price += m.price;
                        last.price_basis = oldest(last.price_basis, m.price_basis);
                    }
                    continue;
                }
            };
            // A border clears where the link arrives; show it as a stop at that station.
            let leg_from = if matches!(kind, ArcKind::Border(_)) { head_loc } else { tail_loc };
            if let (Some(last), LegKind::Move { .. }) = (legs.last_mut(), leg_kind)
                && last.kind == leg_kind
                && last.estimated == estimated
            {
                last.via.push(last.to);
                last.to = head_loc;
                last.links.extend(link);
                last.km += m.km;
                last.hours += m.hours;
                last.hours_p90 += m.hours_p90;
                last.usd += m.usd;
                last.price += m.price;
                last.price_basis = oldest(last.price_basis, m.price_basis);
                last.emissions += m.emissions;
                for c in corridors {
                    if !last.corridors.contains(&c) {
                        last.corridors.push(c);
                    }
                }
                last.corridors.sort();
                continue;
            }
            let mut corridors = corridors;
            corridors.sort();
            // A sailing's fixed price falls due at boarding (the wait arc), but it is freight:
            // the voyage's leg shows it, the wait shows time only.
            let (mut usd, mut price, mut price_basis) = (m.usd, m.price, m.price_basis);
            if let (LegKind::Move { .. }, Some(last)) = (leg_kind, legs.last_mut())
                && let LegKind::Wait { link: waited } = last.kind
                && link.is_some_and(|(l, _)| l == waited)
            {
                usd += last.usd;
                price += last.price;
                price_basis = oldest(price_basis, last.price_basis);
                last.usd = Usd::ZERO;
                last.price = Price::default();
                last.price_basis = None;
            }
            legs.push(Leg {
                kind: leg_kind,
                from: leg_from,
                to: head_loc,
                via: Vec::new(),
                links: link.into_iter().collect(),
                start,
                km: m.km,
                hours: m.hours,
                hours_p90: m.hours_p90,
                usd,
                price,
                price_basis,
                emissions: m.emissions,
                corridors,
                estimated,
            });
        }
        totals.gauge_changes = count_gauge_changes(&legs);
        let rest_credit = truck_runs(net, &mut legs);
        totals.hours = Hours(totals.hours.0 - rest_credit.0);
        let corridors = route_corridors(net, &arcs, graph);
        let mut countries: Vec<String> = Vec::new();
        let mut push_country = |c: &String| {
            if countries.last() != Some(c) {
                countries.push(c.clone());
            }
        };
        push_country(&net.location(from).country);
        for leg in &legs {
            // A sailing's ports on the way are where the lane passes a port (a liner may call
            // there), and the cargo stays aboard: they are in the leg's `via`, not countries the
            // cargo enters (a Karachi–Kandla sailing past Chabahar listed Iran).
            if matches!(leg.kind, LegKind::Move { mode: Mode::Sea, .. }) {
                push_country(&net.location(leg.to).country);
                continue;
            }
            // Stop k of a moving leg is reached over its link k, which may run through other
            // countries on the way (`Link::transit`, in its own from → to order).
            for (k, stop) in leg.via.iter().chain([&leg.to]).enumerate() {
                if let Some(&(link, forward)) = leg.links.get(k) {
                    let t = &net.link(link).transit;
                    if forward {
                        t.iter().for_each(&mut push_country);
                    } else {
                        t.iter().rev().for_each(&mut push_country);
                    }
                }
                push_country(&net.location(*stop).country);
            }
        }
        Route {
            from,
            to,
            unit,
            payload,
            traffic: req.traffic,
            depart: req.depart,
            legs,
            totals,
            corridors,
            countries,
            arcs,
            rest_credit,
            transit_bans: Vec::new(),
        }
    }

    /// Whether the route keeps to corridor `c` that continues on others: it uses one of `c`'s
    /// own links ([`Network::own_link`]) and starts or ends on them, the links of the corridors
    /// it continues on ([`Network::continued_link`]) on one side, and, for a corridor known by
    /// its crossings, crosses a border on `c`'s links if it crosses any (the automaton of
    /// `crate::continuing`, which the searches use too).
    pub fn uses_own_link(&self, net: &Network, graph: &Graph, c: CorridorId) -> bool {
        let auto = crate::continuing::Automaton::new(net, c);
        self.arcs
            .iter()
            .try_fold(auto.start(), |state, &a| auto.step(net, graph, state, a))
            .is_some_and(|s| auto.accepts(s))
    }

    /// Whether any leg moves by the given mode.
    pub fn uses_mode(&self, mode: Mode) -> bool {
        self.legs.iter().any(|l| matches!(l.kind, LegKind::Move { mode: m, .. } if m == mode))
    }
}

/// Applies the drivers' daily driving hours per truck run, where the dataset times its road
/// links by them.
///
/// A road link timed by the rule (`Link::driving`: its moving speed and its drivers' hours a
/// day, e.g. 60 km/h x 9 h / 24 = 22.5 km/h under the AETR single-driver limit) charges every
/// driving hour its share of the daily rest. That is right on average over a multi-day trip and
/// is what the search weighs (a weight per arc must not depend on the path), but a 500 km run
/// finishes in one day without a rest. So each run of consecutive core road legs (borders in
/// between, no transfer, no estimated access leg) is retimed with the rule itself
/// (`rule_hours`: drive up to the day's hours, rest the rest of the day), and the difference
/// — never negative, since the rule is never slower than its average — is taken off the run's
/// legs in proportion to their hours. Returns the hours taken off.
pub fn truck_runs(net: &Network, legs: &mut [Leg]) -> Hours {
    let Some(a) = &net.defaults.access else { return Hours(0.0) };
    let (kmh, daily) = (a.truck_driving_kmh.value, a.truck_daily_driving_h.value);
    if !(kmh > 0.0 && daily > 0.0 && daily < 24.0) {
        return Hours(0.0);
    }
    let average = kmh * daily / 24.0;
    // The driving time and daily hours of a link timed by the rule: its own (a country's
    // moving speed and drivers' hours, `Link::driving`), or, in a dataset that times trucks by
    // one average, km / the access driving speed where its hours equal km / the average.
    let driving = |l: &corridor_model::Link| -> Option<(f64, f64)> {
        match l.driving {
            Some(d) => Some((d.hours.0, d.daily.0)),
            None if (l.hours.0 - l.km.0 / average).abs() <= 1e-6 * l.hours.0.max(1.0) => Some((l.km.0 / kmh, daily)),
            None => None,
        }
    };
    let by_rule = |leg: &Leg| {
        matches!(leg.kind, LegKind::Move { mode: Mode::Road, .. })
            && !leg.estimated
            && !leg.links.is_empty()
            && leg.links.iter().all(|&(l, _)| driving(net.link(l)).is_some())
    };
    let mut credit = 0.0;
    let mut i = 0;
    while i < legs.len() {
        if !by_rule(&legs[i]) {
            i += 1;
            continue;
        }
        let mut run = vec![i];
        let mut j = i + 1;
        while j < legs.len() {
            match legs[j].kind {
                LegKind::Border { .. } => j += 1,
                _ if by_rule(&legs[j]) => {
                    run.push(j);
                    j += 1;
                }
                _ => break,
            }
        }
        let stretches: Vec<(f64, f64)> =
            run.iter().flat_map(|&k| legs[k].links.iter()).filter_map(|&(l, _)| driving(net.link(l))).collect();
        let linear: f64 = run.iter().map(|&k| legs[k].hours.0).sum();
        let exact = rule_hours(&stretches);
        let saved = (linear - exact).max(0.0);
        if saved > 0.0 && linear > 0.0 {
            for &k in &run {
                let cut = saved * legs[k].hours.0 / linear;
                legs[k].hours = Hours(legs[k].hours.0 - cut);
                legs[k].hours_p90 = Hours(legs[k].hours_p90.0 - cut);
            }
            credit += saved;
        }
        i = j;
    }
    if credit > 0.0 {
        // A leg starts when the legs before it end.
        let mut t = 0.0;
        for leg in legs.iter_mut() {
            leg.start = Hours(t);
            t += leg.hours.0;
        }
    }
    Hours(credit)
}

/// Truck hours for `km` of road: driving at `kmh` for at most `daily_h` hours a day, resting the
/// remainder of each 24 h before driving on. The rule of the estimated access legs and of
/// [`truck_runs`].
pub fn truck_hours(km: f64, kmh: f64, daily_h: f64) -> f64 {
    rule_hours(&[(km / kmh, daily_h)])
}

/// Elapsed hours of a run of stretches, each `(driving hours, daily driving hours)`, in order:
/// the truck drives until the day's hours (those of the stretch it is on) are used, stands the
/// rest of that 24 h, and drives on; no rest after the last stretch.
fn rule_hours(stretches: &[(f64, f64)]) -> f64 {
    // A day's end reached within this much counts as reached (sums of floats).
    const EPS: f64 = 1e-9;
    let (mut elapsed, mut today) = (0.0, 0.0);
    for &(drive, daily) in stretches {
        // Loaders keep daily hours in (0, 24]; a zero would never arrive.
        let daily = daily.clamp(EPS, 24.0);
        let mut left = drive.max(0.0);
        // What is left of today's hours first, then whole days, each after a rest.
        let first = left.min((daily - today).max(0.0));
        elapsed += first;
        today += first;
        left -= first;
        if left > EPS {
            let days = (left / daily - EPS).ceil().max(1.0);
            elapsed += days * (24.0 - daily) + left;
            today = left - (days - 1.0) * daily;
        }
    }
    elapsed
}

/// Counts changes of rail gauge: a run of consecutive transfers at one location that starts on
/// one gauge and ends on another is one gauge change, whether it is a direct gauge-change
/// transfer or a detour through another platform (rail -> road -> rail). A change across a sea
/// leg (1520 mm at Poti, ship, 1435 mm at Constanța) is a port call, not a gauge change.
fn count_gauge_changes(legs: &[Leg]) -> usize {
    let mut count = 0;
    let mut i = 0;
    while i < legs.len() {
        let LegKind::Transfer { from: start, .. } = legs[i].kind else {
            i += 1;
            continue;
        };
        let at = legs[i].from;
        let mut end = start;
        while i < legs.len() {
            match legs[i].kind {
                LegKind::Transfer { to, .. } if legs[i].from == at => {
                    end = to;
                    i += 1;
                }
                _ => break,
            }
        }
        if let (Platform::Rail { gauge_mm: a }, Platform::Rail { gauge_mm: b }) = (start, end)
            && a != b
        {
            count += 1;
        }
    }
    count
}

/// Drops routes that are within `tolerance` (relative) of an earlier kept route on time, cost
/// and CO2e at once: Pareto sets on real networks hold many near-twins (the same corridor with
/// a slightly different feeder) that a planner does not need to see separately. Routes are
/// kept in their given order; `tolerance = 0` keeps every route.
pub fn collapse_near_duplicates(routes: Vec<Route>, tolerance: f64) -> Vec<Route> {
    let close = |a: f64, b: f64| (a - b).abs() <= tolerance * a.abs().max(b.abs());
    let mut kept: Vec<Route> = Vec::new();
    for r in routes {
        let t = &r.totals;
        let twin = kept.iter().any(|k| {
            close(k.totals.hours.0, t.hours.0)
                && close(k.totals.usd.0, t.usd.0)
                && close(k.totals.emissions.wtw.0, t.emissions.wtw.0)
        });
        if !twin || tolerance == 0.0 {
            kept.push(r);
        }
    }
    kept
}

fn route_corridors(net: &Network, arcs: &[ArcId], graph: &Graph) -> Vec<CorridorId> {
    let mut shared: Option<Vec<CorridorId>> = None;
    let mut all: Vec<CorridorId> = Vec::new();
    for &a in arcs {
        if let ArcKind::Link { link, .. } = graph.kind(a) {
            let tags = &net.link(link).corridors;
            if tags.is_empty() {
                continue;
            }
            all.extend(tags.iter().copied());
            shared = Some(match shared {
                None => tags.clone(),
                Some(s) => s.into_iter().filter(|c| tags.contains(c)).collect(),
            });
        }
    }
    all.sort();
    all.dedup();
    match shared {
        Some(s) if !s.is_empty() => s,
        _ => all,
    }
}

/// The older of two price bases (a missing one does not count).
fn oldest(a: Option<PriceBasis>, b: Option<PriceBasis>) -> Option<PriceBasis> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}
