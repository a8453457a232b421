//! The high-level query API: best route, corridor comparison, and the reason when there is no
//! route.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::fmt;
use std::sync::{Arc, Mutex};

use corridor_model::{ArcId, ArcKind, CorridorId, Graph, LocationId, Network, NodeId, Platform};

use crate::budget::{Budget, CLOCK_EVERY, Interrupt};
use crate::cache::SearchCache;
use crate::dijkstra::Dijkstra;
use crate::reliability::{Reliability, simulate};
use crate::request::Optimize;

/// Monte Carlo draws of a default reliability report (the routing API's default), and the ones
/// that rank candidates for the P90 objective: so the route chosen shows the lowest P90 of the
/// candidates in the default report too. With other draws, a candidate whose congestion tail
/// starts near its 90th percentile (a hold with a probability of about 10 %) could rank first on
/// one sample and report a P90 a day worse than the time-optimal route's on the other.
pub const DEFAULT_SAMPLES: usize = 2000;
/// Seed of a default reliability report, and of the P90 objective's ranking (fixed:
/// deterministic answers).
pub const DEFAULT_SEED: u64 = 42;
use crate::measure::ArcMeasures;
use crate::metric::Metric;
use crate::request::{Avoid, RouteRequest};
use crate::route::{Route, TransitBan};
use corridor_model::regions::crossed_ban;

impl Budget {
    /// `Err(Interrupted(Deadline))` once the deadline has passed.
    fn check(&self) -> Result<(), RouteError> {
        if self.expired() { Err(RouteError::Interrupted(Interrupt::Deadline)) } else { Ok(()) }
    }
}

/// Why no route exists.
#[derive(Clone, Debug, PartialEq)]
pub enum NoRouteReason {
    /// The constraints cut every connection: without any one listed constraint (the others,
    /// and a corridor restriction, kept) a route exists; when `combined`, no single one is to
    /// blame and only dropping all of them reconnects origin and destination. The text names
    /// the corridor kept.
    Constraints {
        /// Human descriptions of the culprit constraints ("avoided country RU").
        culprits: Vec<String>,
        /// True when no single constraint is to blame, only their combination.
        combined: bool,
        /// The corridor the request keeps to, kept while the culprits were tried: a truck kept
        /// to a rail corridor is cut off by its avoided modes *within* it.
        within: Option<CorridorId>,
    },
    /// Outside the requested corridor's links (and shared feeders) there is a route, inside
    /// none.
    OutsideCorridor,
    /// The locations are connected by links, but a container cannot change platform where it
    /// would have to: listed are stations reached on one platform whose other platforms have no
    /// transfer from it.
    BreakOfGauge {
        /// (location, platform it is reached on, platforms it cannot switch to).
        stuck: Vec<(LocationId, Platform, Vec<Platform>)>,
    },
    /// No sequence of links joins the two locations at all.
    Disconnected,
    /// Routes exist, but none arrives by the latest arrival asked for.
    TooLate {
        /// The earliest arrival possible from the requested departure.
        earliest: jiff::Timestamp,
        /// The destination, whose local time the reason is told in.
        to: LocationId,
    },
    /// Routes exist on the map, but a timetable has no departure after the requested time.
    NoDeparture,
    /// Routes exist, but none within the transshipment limit or without a gauge change.
    Resources,
}

/// Why a routing request failed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum RouteError {
    /// Origin and destination are the same location.
    #[error("origin and destination are the same location ({0})")]
    SameLocation(String),
    /// An endpoint is itself excluded by the constraints.
    #[error("{which} {location} is excluded by the constraints ({constraint})")]
    EndpointExcluded {
        /// "origin" or "destination".
        which: &'static str,
        /// Location code.
        location: String,
        /// The constraint that excludes it.
        constraint: String,
    },
    /// The request is inconsistent (e.g. a latest arrival without a departure time).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The search was stopped before it finished (its [`Budget`]); no answer is given from an
    /// incomplete search.
    #[error("the search was stopped before it finished: {0}")]
    Interrupted(Interrupt),
    /// No route exists; the reason says why.
    #[error("no route from {from} to {to}: {reason_text}")]
    NoRoute {
        /// Origin code.
        from: String,
        /// Destination code.
        to: String,
        /// Machine-readable reason.
        reason: NoRouteReason,
        /// Human-readable reason.
        reason_text: String,
    },
}

/// The best route of one corridor in a comparison.
#[derive(Clone, Debug)]
pub struct CorridorResult {
    /// The corridor.
    pub corridor: CorridorId,
    /// Its best route, or why there is none.
    pub route: Result<Route, RouteError>,
}

/// Which corridor is best on each criterion (index into [`Comparison::corridors`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Winners {
    /// Fastest.
    pub time: Option<usize>,
    /// Cheapest.
    pub cost: Option<usize>,
    /// Least CO2e (well-to-wheel).
    pub co2: Option<usize>,
    /// Fewest border crossings.
    pub borders: Option<usize>,
}

/// Corridors side by side for one shipment.
#[derive(Clone, Debug)]
pub struct Comparison {
    /// The unrestricted best route.
    pub best: Result<Route, RouteError>,
    /// One entry per corridor of the network, in dataset order.
    pub corridors: Vec<CorridorResult>,
    /// Winners among the corridors that have a route.
    pub winners: Winners,
}

/// Answers routing requests on one network. Cheap to share between threads (`&Router` is
/// `Sync`); each thread gets its own search scratch space.
pub struct Router<'a> {
    net: &'a Network,
    graph: &'a Graph,
    cache: Option<&'a SearchCache>,
    budget: Budget,
    /// The arcs measured for the last unit and payload asked (a comparison asks nine searches
    /// of one shipment; a label search reads an arc's measure each time it expands it).
    measures: Mutex<Option<Arc<ArcMeasures>>>,
}

thread_local! {
    static SCRATCH: RefCell<Option<Dijkstra>> = const { RefCell::new(None) };
}

impl<'a> Router<'a> {
    /// A router over `net` and its compiled `graph`.
    pub fn new(net: &'a Network, graph: &'a Graph) -> Self {
        Router { net, graph, cache: None, budget: Budget::default(), measures: Mutex::new(None) }
    }

    /// The time and label limits the router's searches keep.
    pub fn budget(&self) -> Budget {
        self.budget
    }

    /// The same router, stopping every search that exceeds `budget`.
    pub fn with_budget(self, budget: Budget) -> Self {
        Router { budget, ..self }
    }

    /// The same router, memoising metrics, reliability results and static routes in `cache`, which must
    /// belong to this network and graph ([`SearchCache`]). A cache sized for another graph is
    /// not used (its entries would index other arcs).
    pub fn with_cache(self, cache: &'a SearchCache) -> Self {
        let cache = (cache.num_arcs() == self.graph.num_arcs()).then_some(cache);
        Router { cache, ..self }
    }

    /// The arc weights of `req` (memoised when the router has a cache).
    fn metric(&self, req: &RouteRequest) -> Arc<Metric> {
        self.memo_metric(req, || Metric::from_measures(self.net, self.graph, req, &self.measures(req)))
    }

    /// The arc weights of `req` as `compute` makes them, memoised under `req` when the router
    /// has a cache.
    fn memo_metric(&self, req: &RouteRequest, compute: impl FnOnce() -> Metric) -> Arc<Metric> {
        match self.cache {
            Some(c) => c.metric(req, compute),
            None => Arc::new(compute()),
        }
    }

    /// Every arc measured for `req`'s unit and payload (memoised for the last pair asked, and
    /// in the cache when the router has one: a server's router lives for one request).
    fn measures(&self, req: &RouteRequest) -> Arc<ArcMeasures> {
        // A poisoned lock only means another thread panicked while measuring: measure again.
        let mut memo = self.measures.lock().unwrap_or_else(|e| e.into_inner());
        match memo.as_ref() {
            Some(m) if m.is_for(req.unit, req.payload, req.traffic) => Arc::clone(m),
            _ => {
                let compute = || ArcMeasures::new(self.net, self.graph, req.unit, req.payload, req.traffic);
                let m = match self.cache {
                    Some(c) => c.measures(req, compute),
                    None => Arc::new(compute()),
                };
                *memo = Some(Arc::clone(&m));
                m
            }
        }
    }

    /// The network.
    pub fn network(&self) -> &'a Network {
        self.net
    }

    /// The compiled graph.
    pub fn graph(&self) -> &'a Graph {
        self.graph
    }

    fn with_dijkstra<R>(&self, f: impl FnOnce(&mut Dijkstra) -> R) -> R {
        SCRATCH.with(|cell| {
            let mut slot = cell.borrow_mut();
            let n = self.graph.num_nodes();
            // A thread may serve several networks over its life; re-size for this one.
            if slot.as_ref().is_none_or(|d| d.capacity() != n) {
                *slot = Some(Dijkstra::new(n));
            }
            f(slot.as_mut().expect("just set"))
        })
    }

    /// Runs one search with `metric`; returns the route or `None`, or that the budget's
    /// deadline passed (looked at every few thousand settled nodes).
    fn search(&self, req: &RouteRequest, metric: &Metric) -> Result<Option<Route>, RouteError> {
        self.budget.check()?;
        let sources: Vec<NodeId> = self.graph.stop_nodes(req.from).collect();
        let graph = self.graph;
        let (mut settled, mut expired) = (0usize, false);
        let budget = self.budget;
        self.with_dijkstra(|d| {
            let target = d.run(graph, &metric.weight, &sources, |n| {
                settled += 1;
                if settled.is_multiple_of(CLOCK_EVERY) && budget.expired() {
                    expired = true;
                    return true;
                }
                graph.node_location(n) == req.to && graph.is_stop(n)
            });
            if expired {
                return Err(RouteError::Interrupted(Interrupt::Deadline));
            }
            Ok(target.map(|t| Route::from_arcs(self.net, graph, d.path(graph, t), req, d.distance(t))))
        })
    }

    /// The best route for `req`, or why there is none.
    ///
    /// Plain Dijkstra answers static requests; with a departure time or resource constraints
    /// the Pareto set is computed and the best member under the objective is returned (exact,
    /// since a linear objective with non-negative weights is minimised on the Pareto set). For
    /// [`Optimize::P90`] every Pareto route is simulated and the best 90th percentile wins.
    pub fn route(&self, req: &RouteRequest) -> Result<Route, RouteError> {
        self.route_from(req, None)
    }

    /// [`Router::route`], with the weights of `req` derived from `unrestricted` (the weights of
    /// the same request without its corridor restriction) when given: a comparison weighs
    /// every arc once for all its corridors.
    fn route_from(&self, req: &RouteRequest, unrestricted: Option<&Arc<Metric>>) -> Result<Route, RouteError> {
        let route = self.route_once(req, unrestricted)?;
        match crossed_ban(&route.countries) {
            None => Ok(route),
            // The branches change the bans, so they cannot share the comparison's weights.
            Some(sides) => self.keep_to_one_side(req, sides, |q| self.route_from(q, None)),
        }
    }

    /// The route of `search` that keeps the trade ban between countries `sides` when the best
    /// one passed through both: goods may not pass through both sides of a ban, transit
    /// included ([`corridor_model::regions::TRADE_BANS`]), so every allowed route keeps out of
    /// one side or the other, and the better of the two searches kept out of each (by
    /// generalized cost, or by P90 for [`Optimize::P90`]; the first side on a tie) is the best
    /// allowed route. Each search may branch again on another ban. `search` is the request's own
    /// search ([`Router::route`], or one through via places), called with a side added to
    /// `req.avoid.trade_banned`. When neither side can be kept out of, the ban is the reason.
    pub fn keep_to_one_side(
        &self,
        req: &RouteRequest,
        sides: (&str, &str),
        search: impl Fn(&RouteRequest) -> Result<Route, RouteError>,
    ) -> Result<Route, RouteError> {
        let rank = |r: &Route| {
            if req.optimize == Optimize::P90 {
                self.reliability(r, DEFAULT_SAMPLES, DEFAULT_SEED).p90_h
            } else {
                r.totals.generalized_cost
            }
        };
        let mut best: Option<(f64, Route)> = None;
        for (avoided, other) in [(sides.0, sides.1), (sides.1, sides.0)] {
            self.budget.check()?;
            match search(&kept_out_of(req, avoided)) {
                Ok(mut r) => {
                    r.transit_bans.insert(0, TransitBan { avoided: avoided.to_owned(), other: other.to_owned() });
                    let k = rank(&r);
                    if best.as_ref().is_none_or(|(b, _)| k < *b) {
                        best = Some((k, r));
                    }
                }
                Err(RouteError::NoRoute { .. } | RouteError::EndpointExcluded { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        best.map(|(_, r)| r).ok_or_else(|| self.ban_cuts(req, sides))
    }

    /// The error of `req` when neither side of the trade ban between countries `sides` can be
    /// kept out of: the ban is the constraint without which a route exists.
    fn ban_cuts(&self, req: &RouteRequest, (a, b): (&str, &str)) -> RouteError {
        let culprit = format!("trade ban between {a} and {b} (the goods may not pass through both)");
        self.error(req, NoRouteReason::Constraints { culprits: vec![culprit], combined: false, within: req.corridor })
    }

    /// One search of [`Router::route_from`], without the care for trade bans between third
    /// countries.
    fn route_once(&self, req: &RouteRequest, unrestricted: Option<&Arc<Metric>>) -> Result<Route, RouteError> {
        let metric = || match (unrestricted, req.corridor) {
            (Some(base), None) => Arc::clone(base),
            (Some(base), Some(c)) => self.memo_metric(req, || base.restricted(self.net, self.graph, c)),
            _ => self.metric(req),
        };
        self.check_endpoints(req)?;
        if req.optimize == Optimize::P90 {
            let candidates = self.pareto(req)?;
            let mut best: Option<(f64, Route)> = None;
            for r in candidates {
                self.budget.check()?;
                let p90 = self.reliability(&r, DEFAULT_SAMPLES, DEFAULT_SEED).p90_h;
                if best.as_ref().is_none_or(|(b, _)| p90 < *b) {
                    best = Some((p90, r));
                }
            }
            return Ok(best.expect("pareto returns at least one route").1);
        }
        // A corridor that continues on others keeps its rule (own links, and the continued ones
        // on one side of them) by one Dijkstra on the graph x the rule's automaton.
        if !req.needs_labels() && self.continues(req) {
            self.budget.check()?;
            return match self.continuing_path(req, &metric()) {
                Some((arcs, cost)) => Ok(Route::from_arcs(self.net, self.graph, arcs, req, cost)),
                None => Err(self.no_route(req)),
            };
        }
        // Resource constraints without a departure time: one Dijkstra on the graph x the
        // resource states (crate::resource), exact for the objective like the label search
        // below and far cheaper (a compare with the gauge-change ban took 0.9 s that way).
        if req.depart.is_none()
            && req.latest_arrival.is_none()
            && (req.max_transshipments.is_some() || req.avoid_gauge_changes)
        {
            self.budget.check()?;
            let metric = metric();
            let corridor = req.corridor.filter(|_| self.continues(req));
            return match crate::resource::best_path(self.net, self.graph, &metric.weight, req, corridor, &self.budget)
                .map_err(RouteError::Interrupted)?
            {
                Some((arcs, cost)) => Ok(Route::from_arcs(self.net, self.graph, arcs, req, cost)),
                None => Err(self.no_route(req)),
            };
        }
        if req.needs_labels() || self.continues(req) {
            let obj = req.objective();
            let set = self.pareto(req)?;
            return Ok(set
                .into_iter()
                .min_by(|a, b| {
                    let v = |r: &Route| {
                        obj.usd * r.totals.usd.0
                            + obj.hours * r.totals.hours.0
                            + obj.co2_t * r.totals.emissions.wtw.0 / 1000.0
                    };
                    v(a).total_cmp(&v(b))
                })
                .expect("pareto returns at least one route"));
        }
        let found = match self.cache {
            Some(c) => c.route(req, || self.search(req, &metric()))?,
            None => self.search(req, &metric())?,
        };
        match found {
            Some(route) => Ok(route),
            None => Err(self.no_route(req)),
        }
    }

    /// Whether `req` keeps to a corridor with a rule beyond its links (it continues on others, or
    /// is known by its crossings, [`Network::corridor_has_rule`]): its route must use one of the
    /// corridor's own links and cross on them, a resource the label search tracks and a plain
    /// Dijkstra cannot.
    fn continues(&self, req: &RouteRequest) -> bool {
        req.corridor.is_some_and(|c| !req.corridor_links_only && self.net.corridor_has_rule(c))
    }

    /// The best path of `req` under its continuing corridor's rule (see [`Router::continues`]):
    /// the corridor's own links, and the continued ones on one side of them, by one Dijkstra on
    /// the graph x the rule's automaton.
    fn continuing_path(&self, req: &RouteRequest, metric: &Metric) -> Option<(Vec<ArcId>, f64)> {
        let c = req.corridor.expect("continues implies a corridor");
        crate::continuing::best_path(self.net, self.graph, &metric.weight, c, req.from, req.to)
    }

    /// Many-to-many: the best route from every location of `sources` to every location of
    /// `targets` under `req`'s objective, unit, payload, constraints and corridor (its `from`
    /// and `to` are ignored). Row-major: entry `i * targets.len() + j` is the route from
    /// `sources[i]` to `targets[j]`, `None` where [`Router::route`] would fail (no route, an
    /// endpoint excluded by the constraints, or a location paired with itself).
    ///
    /// One Dijkstra per source, run to completion, so N sources cost N searches whatever the
    /// number of targets; a cell through both sides of a trade ban costs one route search more.
    /// Only static requests are answered this way: a departure time, latest arrival,
    /// transshipment limit, gauge-change ban or [`Optimize::P90`] is refused with
    /// [`RouteError::InvalidRequest`].
    pub fn table(
        &self,
        req: &RouteRequest,
        sources: &[LocationId],
        targets: &[LocationId],
    ) -> Result<Vec<Option<Route>>, RouteError> {
        if req.needs_labels() || req.latest_arrival.is_some() {
            return Err(RouteError::InvalidRequest(
                "a table does not take a departure time, latest arrival, transshipment limit or gauge-change ban"
                    .into(),
            ));
        }
        if req.optimize == Optimize::P90 {
            return Err(RouteError::InvalidRequest("a table cannot optimize the 90th-percentile time".into()));
        }
        let metric = self.metric(req);
        let graph = self.graph;
        let mut out = Vec::with_capacity(sources.len() * targets.len());
        for &from in sources {
            self.budget.check()?;
            let nodes: Vec<NodeId> = graph.stop_nodes(from).collect();
            self.with_dijkstra(|d| {
                d.run(graph, &metric.weight, &nodes, |_| false);
                for &to in targets {
                    let pair = RouteRequest { from, to, ..req.clone() };
                    if self.check_endpoints(&pair).is_err() {
                        out.push(None);
                        continue;
                    }
                    // The target's platform node nearest the source, as a search stopping at
                    // the first settled one would pick.
                    let best = graph
                        .stop_nodes(to)
                        .filter(|&n| d.settled(n))
                        .min_by(|&a, &b| d.distance(a).total_cmp(&d.distance(b)));
                    out.push(best.map(|n| Route::from_arcs(self.net, graph, d.path(graph, n), &pair, d.distance(n))));
                }
            });
        }
        // A cell through both sides of a trade ban is searched again as a route, which keeps
        // to one side (after the trees, whose scratch the search reuses).
        for (k, cell) in out.iter_mut().enumerate() {
            if cell.as_ref().is_some_and(|r| crossed_ban(&r.countries).is_some()) {
                let pair =
                    RouteRequest { from: sources[k / targets.len()], to: targets[k % targets.len()], ..req.clone() };
                *cell = match self.route(&pair) {
                    Ok(r) => Some(r),
                    Err(RouteError::NoRoute { .. } | RouteError::EndpointExcluded { .. }) => None,
                    Err(e) => return Err(e),
                };
            }
        }
        Ok(out)
    }

    /// Every Pareto-optimal route over (time, cost, CO2e) for `req` (time-dependent when it has
    /// a departure time; honouring its constraints), sorted by time. Each route's generalized
    /// cost is evaluated under the request's objective.
    ///
    /// A route through both sides of a trade ban is no option
    /// ([`corridor_model::regions::crossed_ban`]): when the set has one, it is the Pareto set
    /// of the union of the sets kept out of each side, each again free of crossed bans.
    pub fn pareto(&self, req: &RouteRequest) -> Result<Vec<Route>, RouteError> {
        let routes = self.pareto_once(req)?;
        let Some((a, b)) = routes.iter().find_map(|r| crossed_ban(&r.countries)) else {
            return Ok(routes);
        };
        let mut union: Vec<Route> = Vec::new();
        for (avoided, other) in [(a, b), (b, a)] {
            self.budget.check()?;
            match self.pareto(&kept_out_of(req, avoided)) {
                Ok(set) => {
                    for mut r in set {
                        if !union.iter().any(|u| u.arcs == r.arcs) {
                            r.transit_bans
                                .insert(0, TransitBan { avoided: avoided.to_owned(), other: other.to_owned() });
                            union.push(r);
                        }
                    }
                }
                Err(RouteError::NoRoute { .. } | RouteError::EndpointExcluded { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        // A branch that answers has at least one route, so an empty union is two refusals.
        if union.is_empty() {
            return Err(self.ban_cuts(req, (a, b)));
        }
        Ok(pareto_front(union))
    }

    /// One search of [`Router::pareto`], without the care for trade bans between third
    /// countries.
    fn pareto_once(&self, req: &RouteRequest) -> Result<Vec<Route>, RouteError> {
        self.check_endpoints(req)?;
        self.budget.check()?;
        let metric = self.metric(req);
        let (paths, limit) = crate::mlc::pareto(self.net, self.graph, &metric, &self.measures(req), req, &self.budget);
        self.interrupted(limit)?;
        if paths.is_empty() {
            return Err(self.no_route(req));
        }
        let obj = req.objective();
        let mut routes: Vec<Route> = paths
            .into_iter()
            .map(|p| {
                let c = p.criteria;
                let g = obj.usd * c.usd + obj.hours * c.hours + obj.co2_t * c.co2_kg / 1000.0;
                Route::from_measured(self.net, self.graph, p.arcs, &p.measures, req, g)
            })
            .collect();
        // The drivers' rest rule retimes truck runs after the search (`truck_runs`), which can
        // reorder the set by time and make a route dominated: sort again and drop those.
        if routes.iter().any(|r| r.rest_credit.0 > 0.0) {
            routes = pareto_front(routes);
        }
        Ok(routes)
    }

    /// The door-to-door time distribution of `route` (seeded Monte Carlo).
    pub fn reliability(&self, route: &Route, samples: usize, seed: u64) -> Reliability {
        let compute = || simulate(self.net, self.graph, route, samples, seed);
        match self.cache {
            Some(c) => c.reliability(route, samples, seed, compute),
            None => compute(),
        }
    }

    /// The best route of every corridor, plus the unrestricted best, for one shipment.
    ///
    /// A corridor's route may use only links tagged with it and untagged shared feeders, and
    /// must use at least one link tagged with it (otherwise the corridor does not apply to this
    /// pair and its entry says so).
    pub fn compare(&self, req: &RouteRequest) -> Comparison {
        let open = RouteRequest { corridor: None, ..req.clone() };
        let unrestricted = self.metric(&open);
        self.compare_by(req, |r| self.route_from(r, Some(&unrestricted)))
    }

    /// Like [`Router::compare`], each route found by `route` (given the request without a
    /// corridor, then with each corridor): a search through places (`corridor-routing`'s
    /// `compare_via`) compares the corridors as the plain search does.
    pub fn compare_by(
        &self,
        req: &RouteRequest,
        route: impl Fn(&RouteRequest) -> Result<Route, RouteError> + Sync,
    ) -> Comparison {
        // The searches are independent (each thread has its own scratch; the arcs' measures are
        // shared), so they run side by side; `collect` keeps the corridors' order.
        let (best, corridors) = rayon::join(
            || route(&RouteRequest { corridor: None, ..req.clone() }),
            || self.corridor_routes(req, &route),
        );
        let pick = |key: &dyn Fn(&Route) -> f64| {
            corridors
                .iter()
                .enumerate()
                .filter_map(|(i, c)| c.route.as_ref().ok().map(|r| (i, key(r))))
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(i, _)| i)
        };
        let winners = Winners {
            time: pick(&|r| r.totals.hours.0),
            cost: pick(&|r| r.totals.usd.0),
            co2: pick(&|r| r.totals.emissions.wtw.0),
            borders: pick(&|r| r.totals.borders as f64),
        };
        Comparison { best, corridors, winners }
    }

    /// Each corridor's route for `req` by `route`, in the corridors' order (in parallel).
    fn corridor_routes(
        &self,
        req: &RouteRequest,
        route: &(impl Fn(&RouteRequest) -> Result<Route, RouteError> + Sync),
    ) -> Vec<CorridorResult> {
        use rayon::prelude::*;
        (0..self.net.corridors.len())
            .into_par_iter()
            .map(|i| {
                let c = CorridorId::from_index(i);
                let r = RouteRequest { corridor: Some(c), ..req.clone() };
                let route = route(&r).and_then(|route| {
                    if route.corridors.contains(&c) {
                        Ok(route)
                    } else {
                        Err(self.error(req, NoRouteReason::OutsideCorridor))
                    }
                });
                CorridorResult { corridor: c, route }
            })
            .collect()
    }

    fn check_endpoints(&self, req: &RouteRequest) -> Result<(), RouteError> {
        if req.latest_arrival.is_some() && req.depart.is_none() {
            return Err(RouteError::InvalidRequest("a latest arrival needs a departure time".into()));
        }
        if let (Some(d), Some(l)) = (req.depart, req.latest_arrival)
            && l <= d
        {
            return Err(RouteError::InvalidRequest(format!("latest arrival {l} is not after departure {d}")));
        }
        if req.from == req.to {
            return Err(RouteError::SameLocation(self.net.location(req.from).code.clone()));
        }
        for (which, loc) in [("origin", req.from), ("destination", req.to)] {
            let l = self.net.location(loc);
            let constraint = if req.avoid.locations.contains(&loc) {
                Some(format!("avoided location {}", l.code))
            } else if req.avoid.countries.contains(&l.country) {
                Some(format!("avoided country {}", l.country))
            } else if req.avoid.trade_banned.contains(&l.country) {
                Some(format!("trade ban with {}", l.country))
            } else {
                None
            };
            if let Some(constraint) = constraint {
                return Err(RouteError::EndpointExcluded { which, location: l.code.clone(), constraint });
            }
        }
        Ok(())
    }

    fn error(&self, req: &RouteRequest, reason: NoRouteReason) -> RouteError {
        RouteError::NoRoute {
            from: self.net.location(req.from).code.clone(),
            to: self.net.location(req.to).code.clone(),
            reason_text: self.describe(&reason),
            reason,
        }
    }

    /// A label search's stop as the request's error.
    fn interrupted(&self, limit: Option<crate::mlc::LabelLimit>) -> Result<(), RouteError> {
        match limit {
            None => Ok(()),
            Some(crate::mlc::LabelLimit::Deadline) => Err(RouteError::Interrupted(Interrupt::Deadline)),
            Some(crate::mlc::LabelLimit::Exhausted) => {
                Err(RouteError::Interrupted(Interrupt::Labels(self.budget.max_labels)))
            }
        }
    }

    fn reachable(&self, req: &RouteRequest) -> Result<bool, RouteError> {
        let metric = self.metric(req);
        // A continuing corridor's rule is the one `route_from` keeps: the plain corridor
        // restriction lets more through, and a diagnosis on it named a constraint "without which
        // a route exists" where the route still had none (a trade ban of a truck run kept to the
        // Trans-Siberian corridor).
        if !req.needs_labels() && self.continues(req) {
            self.budget.check()?;
            return Ok(self.continuing_path(req, &metric).is_some());
        }
        if req.needs_labels() {
            let (paths, limit) =
                crate::mlc::pareto(self.net, self.graph, &metric, &self.measures(req), req, &self.budget);
            if !paths.is_empty() {
                return Ok(true);
            }
            self.interrupted(limit)?;
            return Ok(false);
        }
        Ok(self.search(req, &metric)?.is_some())
    }

    /// Works out why `req` has no route (see [`Router::diagnose`]); a diagnosis the budget
    /// stopped is reported as the interruption.
    fn no_route(&self, req: &RouteRequest) -> RouteError {
        self.diagnose(req).unwrap_or_else(|e| e)
    }

    /// Works out why `req` has no route: first which constraints are to blame, then whether
    /// the corridor restriction is, then whether a break of gauge without transfer is, and
    /// otherwise that the network does not connect the two places.
    fn diagnose(&self, req: &RouteRequest) -> Result<RouteError, RouteError> {
        self.budget.check()?;
        // Time and resource limits first: if the same request without them has a route, they
        // are the reason.
        if req.latest_arrival.is_some() {
            let open = RouteRequest { latest_arrival: None, ..req.clone() };
            let metric = self.metric(&open);
            let (paths, limit) =
                crate::mlc::pareto(self.net, self.graph, &metric, &self.measures(&open), &open, &self.budget);
            if let (Some(best), Some(d)) = (paths.first(), req.depart) {
                let earliest = d + jiff::SignedDuration::from_secs_f64(best.criteria.hours * 3600.0);
                return Ok(self.error(req, NoRouteReason::TooLate { earliest, to: req.to }));
            }
            self.interrupted(limit)?;
        }
        if req.max_transshipments.is_some() || req.avoid_gauge_changes {
            let open = RouteRequest { max_transshipments: None, avoid_gauge_changes: false, ..req.clone() };
            if self.reachable(&open)? {
                return Ok(self.error(req, NoRouteReason::Resources));
            }
        }
        if req.depart.is_some()
            && self.reachable(&RouteRequest { depart: None, latest_arrival: None, ..req.clone() })?
        {
            return Ok(self.error(req, NoRouteReason::NoDeparture));
        }
        let req = &RouteRequest {
            depart: None,
            latest_arrival: None,
            max_transshipments: None,
            avoid_gauge_changes: false,
            ..req.clone()
        };
        let free = RouteRequest { avoid: Avoid::default(), ..req.clone() };
        if !req.avoid.is_empty() && self.reachable(&free)? {
            return Ok(self.error(req, self.blame_constraints(req)?));
        }
        if req.corridor.is_some() && self.reachable(&RouteRequest { corridor: None, ..free.clone() })? {
            return Ok(self.error(req, NoRouteReason::OutsideCorridor));
        }
        self.budget.check()?;
        let stuck = self.stuck_platforms(&RouteRequest { corridor: None, ..free });
        if !stuck.is_empty() {
            return Ok(self.error(req, NoRouteReason::BreakOfGauge { stuck }));
        }
        Ok(self.error(req, NoRouteReason::Disconnected))
    }

    fn blame_constraints(&self, req: &RouteRequest) -> Result<NoRouteReason, RouteError> {
        let a = &req.avoid;
        let mut items: Vec<(String, Avoid)> = Vec::new();
        for (i, c) in a.countries.iter().enumerate() {
            let mut rest = a.clone();
            rest.countries.remove(i);
            items.push((format!("avoided country {c}"), rest));
        }
        for (i, m) in a.modes.iter().enumerate() {
            let mut rest = a.clone();
            rest.modes.remove(i);
            items.push((format!("avoided mode {m}"), rest));
        }
        for (i, l) in a.locations.iter().enumerate() {
            let mut rest = a.clone();
            rest.locations.remove(i);
            items.push((format!("avoided location {}", self.net.location(*l).code), rest));
        }
        for (i, b) in a.borders.iter().enumerate() {
            let mut rest = a.clone();
            rest.borders.remove(i);
            items.push((format!("avoided border crossing {b}"), rest));
        }
        for (i, c) in a.trade_banned.iter().enumerate() {
            let mut rest = a.clone();
            rest.trade_banned.remove(i);
            items.push((format!("trade ban with {c} (no stop there)"), rest));
        }
        let mut culprits: Vec<String> = Vec::new();
        for (d, rest) in &items {
            if self.reachable(&RouteRequest { avoid: rest.clone(), ..req.clone() })? {
                culprits.push(d.clone());
            }
        }
        let within = req.corridor;
        Ok(if culprits.is_empty() {
            NoRouteReason::Constraints { culprits: items.into_iter().map(|(d, _)| d).collect(), combined: true, within }
        } else {
            NoRouteReason::Constraints { culprits, combined: false, within }
        })
    }

    /// Stations reached on some platform from which the container cannot switch to another
    /// platform the station serves (no transfer row), when the destination is linked to the
    /// origin at the location level.
    fn stuck_platforms(&self, req: &RouteRequest) -> Vec<(LocationId, Platform, Vec<Platform>)> {
        if !self.locations_connected(req.from, req.to) {
            return Vec::new();
        }
        let metric = self.metric(req);
        let sources: Vec<NodeId> = self.graph.stop_nodes(req.from).collect();
        let graph = self.graph;
        self.with_dijkstra(|d| {
            d.run(graph, &metric.weight, &sources, |_| false);
            let mut stuck = Vec::new();
            for (i, _) in self.net.locations.iter().enumerate() {
                let loc = LocationId::from_index(i);
                let nodes: Vec<NodeId> = graph.location_nodes(loc).collect();
                let reached: Vec<NodeId> = nodes.iter().copied().filter(|&n| d.settled(n)).collect();
                let missing: Vec<Platform> =
                    nodes.iter().filter(|&&n| !d.settled(n)).filter_map(|&n| graph.node_platform(n)).collect();
                if let (Some(&on), false) = (reached.first(), missing.is_empty()) {
                    stuck.push((loc, graph.node_platform(on).expect("platform node"), missing));
                }
            }
            stuck
        })
    }

    /// Whether links join two locations, ignoring platforms and transfers (breadth-first over
    /// link arcs, respecting one-way links).
    fn locations_connected(&self, from: LocationId, to: LocationId) -> bool {
        let mut seen = BTreeSet::from([from]);
        let mut queue = vec![from];
        // Waypoints visited: wait, border and call waypoints can form cycles (a liner's ring of
        // calls), and a walk without this set grew without bound (a no-route diagnosis to a
        // place beside Colombo ran out of memory).
        let mut stepped = vec![false; self.graph.num_nodes()];
        while let Some(loc) = queue.pop() {
            if loc == to {
                return true;
            }
            for n in self.graph.location_nodes(loc) {
                let mut frontier = vec![n];
                while let Some(u) = frontier.pop() {
                    for a in self.graph.out_arcs(u) {
                        let a = corridor_model::ArcId::from_index(a);
                        let v = self.graph.head(a);
                        match self.graph.kind(a) {
                            // Step through border and wait waypoints to the link's far end.
                            _ if self.graph.node_platform(v).is_none() => {
                                if !std::mem::replace(&mut stepped[v.index()], true) {
                                    frontier.push(v);
                                }
                            }
                            ArcKind::Link { .. } | ArcKind::Border(_) | ArcKind::Wait { .. } | ArcKind::Call { .. } => {
                                let l = self.graph.node_location(v);
                                if seen.insert(l) {
                                    queue.push(l);
                                }
                            }
                            ArcKind::Transfer(_) => {}
                        }
                    }
                }
            }
        }
        false
    }

    /// Human-readable text of a reason, with location names.
    pub fn describe(&self, reason: &NoRouteReason) -> String {
        match reason {
            NoRouteReason::Constraints { culprits, combined, within } => {
                // The corridor was kept while the culprits were tried: say so, since dropping it
                // may be the user's way out too (a truck kept to a rail corridor).
                let scope =
                    within.map_or(String::new(), |c| format!(" in corridor {}", self.net.corridors[c.index()].code));
                match (combined, culprits.len()) {
                    (false, 1) => {
                        format!("the {} cuts every connection{scope}; without it a route exists", culprits[0])
                    }
                    (false, _) => format!(
                        "these constraints cut every connection{scope}; without any one of them a route exists: {}",
                        culprits.join(", ")
                    ),
                    (true, _) => format!(
                        "the constraints together cut every connection{scope} ({}); without them a route exists",
                        culprits.join(", ")
                    ),
                }
            }
            NoRouteReason::OutsideCorridor => {
                "the corridor's links and shared feeders do not join the two places".to_string()
            }
            NoRouteReason::BreakOfGauge { stuck } => {
                let parts: Vec<String> = stuck
                    .iter()
                    .take(5)
                    .map(|(loc, on, missing)| {
                        let names: Vec<String> = missing.iter().map(Platform::to_string).collect();
                        format!(
                            "{} is reached on {} but has no transfer to {}",
                            self.net.location(*loc).name,
                            on,
                            names.join("/")
                        )
                    })
                    .collect();
                format!("break of gauge or platform without transfer: {}", parts.join("; "))
            }
            NoRouteReason::Disconnected => "no links join the two places in this network".to_string(),
            NoRouteReason::TooLate { earliest, to } => {
                // To the minute, in the destination's local time as arrivals are shown.
                let loc = self.net.location(*to);
                let when = match jiff::tz::TimeZone::get(&loc.tz) {
                    Ok(tz) => earliest.to_zoned_datetime(tz).strftime("%Y-%m-%d %H:%M (UTC%:z)").to_string(),
                    Err(_) => earliest.strftime("%Y-%m-%d %H:%M UTC").to_string(),
                };
                format!(
                    "no route arrives by the latest arrival; the earliest possible arrival at {} is {when}, local time",
                    loc.name
                )
            }
            NoRouteReason::NoDeparture => {
                "no sailing or scheduled departure on the way after the requested departure time".to_string()
            }
            NoRouteReason::Resources => {
                "every route needs more transshipments or a gauge change than the constraints allow".to_string()
            }
        }
    }
}

/// `req` with country `side` among its trade-banned countries (no stop there).
fn kept_out_of(req: &RouteRequest, side: &str) -> RouteRequest {
    let mut kept = req.clone();
    if !kept.avoid.trade_banned.iter().any(|c| c == side) {
        kept.avoid.trade_banned.push(side.to_owned());
    }
    kept
}

/// The routes of `routes` that no other beats on (time, cost, CO2e) and equals on none worse,
/// sorted by time, then cost, then CO2e.
fn pareto_front(mut routes: Vec<Route>) -> Vec<Route> {
    let key = |r: &Route| (r.totals.hours.0, r.totals.usd.0, r.totals.emissions.wtw.0);
    routes.sort_by(|a, b| {
        let (x, y) = (key(a), key(b));
        x.0.total_cmp(&y.0).then(x.1.total_cmp(&y.1)).then(x.2.total_cmp(&y.2))
    });
    let dominated = |a: &Route, b: &Route| {
        let (x, y) = (key(a), key(b));
        x.0 <= y.0 && x.1 <= y.1 && x.2 <= y.2 && (x.0 < y.0 || x.1 < y.1 || x.2 < y.2)
    };
    let keep: Vec<bool> = routes.iter().map(|r| !routes.iter().any(|o| dominated(o, r))).collect();
    let mut k = keep.into_iter();
    routes.retain(|_| k.next().unwrap_or(true));
    routes
}

impl fmt::Display for NoRouteReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}
