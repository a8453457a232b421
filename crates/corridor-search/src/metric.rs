//! Per-request arc weights. Building one is a single pass over the arcs (the dataset has a few
//! thousand), far cheaper than the search itself, and keeps the search loop free of branches on
//! constraints: a forbidden arc simply weighs infinity.

use corridor_model::{ArcId, ArcKind, CorridorId, Graph, LinkId, Network, Platform};

use crate::measure::ArcMeasures;
use crate::request::RouteRequest;

/// Arc weights for one request.
#[derive(Clone, Debug)]
pub struct Metric {
    /// Generalized cost per arc; infinite for arcs the request forbids.
    pub weight: Vec<f64>,
}

impl Metric {
    /// Weights for `req`: its objective, constraints and corridor restriction.
    pub fn new(net: &Network, graph: &Graph, req: &RouteRequest) -> Metric {
        Metric::from_measures(net, graph, req, &ArcMeasures::new(net, graph, req.unit, req.payload, req.traffic))
    }

    /// Weights for `req` from its arcs already measured (`measures` must be for `graph` and
    /// for `req`'s unit and payload): bit for bit those of [`Metric::new`].
    pub fn from_measures(net: &Network, graph: &Graph, req: &RouteRequest, measures: &ArcMeasures) -> Metric {
        debug_assert!(measures.len() == graph.num_arcs() && measures.is_for(req.unit, req.payload, req.traffic));
        let obj = req.objective();
        let avoided_location = |loc: corridor_model::LocationId| {
            req.avoid.locations.contains(&loc) || req.avoid.countries.iter().any(|c| *c == net.location(loc).country)
        };
        // A link at an end of the route that has no platform of an allowed mode (a city the core
        // knows only by road, for a train run): that end's first or last mile.
        let stranded = |loc: corridor_model::LocationId| {
            !net.location(loc).platforms.iter().any(|p| !req.avoid.modes.contains(&p.mode()))
        };
        // A trade ban: no stop in the country, but a ship may sail past its ports.
        let banned =
            |loc: corridor_model::LocationId| req.avoid.trade_banned.iter().any(|c| *c == net.location(loc).country);
        let spare = req.avoid.modes_spare_ends;
        let (from_stranded, to_stranded) = (spare && stranded(req.from), spare && stranded(req.to));
        // Spared only towards a terminal of an allowed mode, so the whole trip is never made in
        // an avoided mode.
        let ends = |l: &corridor_model::Link| {
            let at_end =
                |x: corridor_model::LocationId| (x == req.from && from_stranded) || (x == req.to && to_stranded);
            (at_end(l.from) && !stranded(l.to)) || (at_end(l.to) && !stranded(l.from))
        };
        let weight = graph
            .kinds()
            .iter()
            .enumerate()
            .map(|(arc, &kind)| {
                let allowed = match kind {
                    ArcKind::Link { link, .. } | ArcKind::Wait { link, .. } => {
                        let l = net.link(link);
                        (!req.avoid.modes.contains(&l.mode) || (spare && (l.estimated || ends(l))))
                            && !avoided_location(l.from)
                            && !avoided_location(l.to)
                            && !l.transit.iter().any(|c| req.avoid.countries.contains(c))
                            && req.corridor.is_none_or(|c| net.link_serves_corridor(link, c))
                            && match kind {
                                // Boarding loads the goods at the departure end.
                                ArcKind::Wait { .. } => {
                                    !banned(graph.node_location(graph.tail(ArcId::from_index(arc))))
                                }
                                _ => {
                                    l.platform == Platform::Sea
                                        || !(banned(l.from)
                                            || banned(l.to)
                                            || l.transit.iter().any(|c| req.avoid.trade_banned.contains(c)))
                                }
                            }
                    }
                    ArcKind::Transfer(t) => {
                        let at = net.transfers[t.index()].location;
                        !avoided_location(at) && !banned(at)
                    }
                    ArcKind::Border(b) => !req.avoid.borders.contains(&net.borders[b.index()].code),
                    // A call lands the goods (onto a platform node) or keeps them aboard.
                    ArcKind::Call { location, lands } => {
                        let landing_banned = lands && banned(location);
                        !avoided_location(location) && !landing_banned
                    }
                };
                if !allowed {
                    return f64::INFINITY;
                }
                let m = measures.get(arc);
                let w = obj.usd * m.usd.0 + obj.hours * m.hours.0 + obj.co2_t * m.emissions.wtw.0 / 1000.0;
                // Validated data gives finite non-negative weights; anything else is treated as
                // unusable rather than allowed to corrupt the search.
                if w >= 0.0 && w.is_finite() { w } else { f64::INFINITY }
            })
            .collect();
        Metric { weight }
    }

    /// These weights kept to `corridor`: bit for bit those of [`Metric::new`] for the same
    /// request with that corridor restriction (which forbids exactly the links, and their waits,
    /// that do not serve it), without measuring or weighing any arc again. `self` must be the
    /// weights of a request without a corridor restriction.
    pub fn restricted(&self, net: &Network, graph: &Graph, corridor: CorridorId) -> Metric {
        // Whether each link serves the corridor, once per link rather than once per arc.
        let serves: Vec<bool> =
            (0..net.links.len()).map(|i| net.link_serves_corridor(LinkId::from_index(i), corridor)).collect();
        let weight = graph
            .kinds()
            .iter()
            .zip(&self.weight)
            .map(|(&kind, &w)| match kind {
                ArcKind::Link { link, .. } | ArcKind::Wait { link, .. } if !serves[link.index()] => f64::INFINITY,
                _ => w,
            })
            .collect();
        Metric { weight }
    }
}
