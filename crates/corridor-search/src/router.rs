//! The high-level query API: best route, corridor comparison, and the reason when there is no
//! route.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::fmt;

use corridor_model::{ArcKind, CorridorId, Graph, LocationId, Network, NodeId, Platform};

use crate::dijkstra::Dijkstra;
use crate::metric::Metric;
use crate::request::{Avoid, RouteRequest};
use crate::route::Route;

/// Why no route exists.
#[derive(Clone, Debug, PartialEq)]
pub enum NoRouteReason {
    /// The constraints cut every connection; each listed constraint alone (or, when
    /// `combined`, only all of them together) disconnects origin and destination.
    Constraints {
        /// Human descriptions of the culprit constraints ("avoided country RU").
        culprits: Vec<String>,
        /// True when no single constraint is to blame, only their combination.
        combined: bool,
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
}

thread_local! {
    static SCRATCH: RefCell<Option<Dijkstra>> = const { RefCell::new(None) };
}

impl<'a> Router<'a> {
    /// A router over `net` and its compiled `graph`.
    pub fn new(net: &'a Network, graph: &'a Graph) -> Self {
        Router { net, graph }
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

    /// Runs one search with `metric`; returns the route or `None`.
    fn search(&self, req: &RouteRequest, metric: &Metric) -> Option<Route> {
        let sources: Vec<NodeId> = self.graph.location_nodes(req.from).collect();
        let graph = self.graph;
        self.with_dijkstra(|d| {
            let target = d.run(graph, &metric.weight, &sources, |n| {
                graph.node_location(n) == req.to && graph.node_platform(n).is_some()
            })?;
            let arcs = d.path(graph, target);
            Some(Route::from_arcs(self.net, graph, arcs, req, d.distance(target)))
        })
    }

    /// The best route for `req`, or why there is none.
    pub fn route(&self, req: &RouteRequest) -> Result<Route, RouteError> {
        self.check_endpoints(req)?;
        let metric = Metric::new(self.net, self.graph, req);
        match self.search(req, &metric) {
            Some(route) => Ok(route),
            None => Err(self.no_route(req)),
        }
    }

    /// The best route of every corridor, plus the unrestricted best, for one shipment.
    ///
    /// A corridor's route may use only links tagged with it and untagged shared feeders, and
    /// must use at least one link tagged with it (otherwise the corridor does not apply to this
    /// pair and its entry says so).
    pub fn compare(&self, req: &RouteRequest) -> Comparison {
        let best = self.route(&RouteRequest { corridor: None, ..req.clone() });
        let corridors: Vec<CorridorResult> = (0..self.net.corridors.len())
            .map(|i| {
                let c = CorridorId::from_index(i);
                let r = RouteRequest { corridor: Some(c), ..req.clone() };
                let route = self.route(&r).and_then(|route| {
                    if route.corridors.contains(&c) {
                        Ok(route)
                    } else {
                        Err(self.error(req, NoRouteReason::OutsideCorridor))
                    }
                });
                CorridorResult { corridor: c, route }
            })
            .collect();
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

    fn check_endpoints(&self, req: &RouteRequest) -> Result<(), RouteError> {
        if req.from == req.to {
            return Err(RouteError::SameLocation(self.net.location(req.from).code.clone()));
        }
        for (which, loc) in [("origin", req.from), ("destination", req.to)] {
            let l = self.net.location(loc);
            let constraint = if req.avoid.locations.contains(&loc) {
                Some(format!("avoided location {}", l.code))
            } else if req.avoid.countries.contains(&l.country) {
                Some(format!("avoided country {}", l.country))
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

    fn reachable(&self, req: &RouteRequest) -> bool {
        let metric = Metric::new(self.net, self.graph, req);
        self.search(req, &metric).is_some()
    }

    /// Works out why `req` has no route: first which constraints are to blame, then whether
    /// the corridor restriction is, then whether a break of gauge without transfer is, and
    /// otherwise that the network does not connect the two places.
    fn no_route(&self, req: &RouteRequest) -> RouteError {
        let free = RouteRequest { avoid: Avoid::default(), ..req.clone() };
        if !req.avoid.is_empty() && self.reachable(&free) {
            return self.error(req, self.blame_constraints(req));
        }
        if req.corridor.is_some() && self.reachable(&RouteRequest { corridor: None, ..free.clone() }) {
            return self.error(req, NoRouteReason::OutsideCorridor);
        }
        let stuck = self.stuck_platforms(&RouteRequest { corridor: None, ..free });
        if !stuck.is_empty() {
            return self.error(req, NoRouteReason::BreakOfGauge { stuck });
        }
        self.error(req, NoRouteReason::Disconnected)
    }

    fn blame_constraints(&self, req: &RouteRequest) -> NoRouteReason {
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
        let culprits: Vec<String> = items
            .iter()
            .filter(|(_, rest)| self.reachable(&RouteRequest { avoid: rest.clone(), ..req.clone() }))
            .map(|(d, _)| d.clone())
            .collect();
        if culprits.is_empty() {
            NoRouteReason::Constraints { culprits: items.into_iter().map(|(d, _)| d).collect(), combined: true }
        } else {
            NoRouteReason::Constraints { culprits, combined: false }
        }
    }

    /// Stations reached on some platform from which the container cannot switch to another
    /// platform the station serves (no transfer row), when the destination is linked to the
    /// origin at the location level.
    fn stuck_platforms(&self, req: &RouteRequest) -> Vec<(LocationId, Platform, Vec<Platform>)> {
        if !self.locations_connected(req.from, req.to) {
            return Vec::new();
        }
        let metric = Metric::new(self.net, self.graph, req);
        let sources: Vec<NodeId> = self.graph.location_nodes(req.from).collect();
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
                            _ if self.graph.node_platform(v).is_none() => frontier.push(v),
                            ArcKind::Link { .. } | ArcKind::Border(_) | ArcKind::Wait { .. } => {
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
            NoRouteReason::Constraints { culprits, combined: false } if culprits.len() == 1 => {
                format!("the {} cuts every connection; without it a route exists", culprits[0])
            }
            NoRouteReason::Constraints { culprits, combined: false } => {
                format!("each of these constraints alone cuts every connection: {}", culprits.join(", "))
            }
            NoRouteReason::Constraints { culprits, combined: true } => format!(
                "the constraints together cut every connection ({}); without them a route exists",
                culprits.join(", ")
            ),
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
        }
    }
}

impl fmt::Display for NoRouteReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}
