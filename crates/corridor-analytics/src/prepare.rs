//! The per-network preparation shared by both assignment methods: the compiled graph, the
//! generalized cost and physical measures of every arc, the capacity constraints and the OD
//! cells resolved to graph nodes.

use corridor_model::{ArcId, ArcKind, CargoUnit, CorridorId, Graph, LocationId, Network, NodeId};
use corridor_search::{RouteRequest, measure_arc};

use crate::demand::{Demand, WEEKS_PER_YEAR};
use crate::element::{Capacities, CapacityConstraint, constraints};

/// Measures of every arc for one TEU with the default payload.
#[derive(Clone, Debug, Default)]
pub struct ArcCosts {
    /// Generalized cost (USD + value of time x hours + carbon price x t CO2e WTW), the
    /// `balanced` objective: the free-flow cost of the assignment.
    pub gc: Vec<f64>,
    /// Mean hours.
    pub hours: Vec<f64>,
    /// USD.
    pub usd: Vec<f64>,
    /// kg CO2e well-to-wheel.
    pub co2_kg: Vec<f64>,
    /// km.
    pub km: Vec<f64>,
    /// Value of time, USD per TEU-hour (converts queueing delay into generalized cost).
    pub value_of_time: f64,
}

impl ArcCosts {
    /// Measures every arc of `graph` with `measure_arc` under the balanced objective.
    pub fn new(net: &Network, graph: &Graph) -> ArcCosts {
        let req = RouteRequest::new(&net.defaults, LocationId(0), LocationId(0));
        let obj = req.objective();
        let mut c = ArcCosts { value_of_time: obj.hours, ..ArcCosts::default() };
        for &kind in graph.kinds() {
            // The calibrated flows are container block trains: the expresses' crossing figures.
            let m = measure_arc(net, kind, CargoUnit::Teu, req.payload, req.traffic);
            let gc = obj.usd * m.usd.0 + obj.hours * m.hours.0 + obj.co2_t * m.emissions.wtw.0 / 1000.0;
            // Validated data gives finite non-negative measures; guard anyway so that one bad
            // figure cannot poison the whole assignment.
            c.gc.push(if gc.is_finite() && gc >= 0.0 { gc } else { 0.0 });
            c.hours.push(m.hours.0.max(0.0));
            c.usd.push(m.usd.0.max(0.0));
            c.co2_kg.push(m.emissions.wtw.0.max(0.0));
            c.km.push(m.km.0.max(0.0));
        }
        c
    }
}

/// One OD cell resolved to graph nodes, in TEU per week.
#[derive(Clone, Debug)]
pub struct Od {
    /// Index of the cell in the demand.
    pub cell: usize,
    /// Origin location.
    pub from: LocationId,
    /// Destination location.
    pub to: LocationId,
    /// Platform nodes of the origin (a shipment may start on any of them).
    pub sources: Vec<NodeId>,
    /// Platform nodes of the destination.
    pub sinks: Vec<NodeId>,
    /// TEU per week.
    pub teu_week: f64,
    /// The corridor the cell's volume was counted on, whose links (and feeders) it keeps to.
    pub corridor: Option<CorridorId>,
}

/// Everything an assignment needs about one network.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// The network.
    pub net: Network,
    /// Its compiled graph.
    pub graph: Graph,
    /// Arc measures.
    pub costs: ArcCosts,
    /// Capacity constraints (one per capacitated arc).
    pub constraints: Vec<CapacityConstraint>,
    /// OD cells with demand (zero cells are dropped).
    pub ods: Vec<Od>,
    /// The demand (for labels).
    pub demand: Demand,
}

impl Prepared {
    /// Compiles `net`, measures its arcs, binds `caps` and resolves `demand`.
    pub fn new(net: &Network, caps: &Capacities, demand: &Demand) -> Prepared {
        let graph = Graph::compile(net);
        let constraints = constraints(net, &graph, caps);
        // A port's backlog is the queue of shipments beyond a service's capacity. Where the
        // service is capacitated, the assignment makes that queue itself (its delay function
        // or hard capacity), so the observed backlog would count it twice: it is left out of
        // the free-flow cost there. The graph does not depend on it.
        let mut net = net.clone();
        let mut stripped = false;
        for c in &constraints {
            if let ArcKind::Link { link, forward } | ArcKind::Wait { link, forward } = graph.kind(c.arc) {
                let slot = &mut net.links[link.index()].backlog[usize::from(!forward)];
                stripped |= slot.take().is_some();
            }
        }
        if stripped {
            net.refresh_waits();
        }
        let net = &net;
        let costs = ArcCosts::new(net, &graph);
        let ods = demand
            .cells
            .iter()
            .enumerate()
            .filter(|(_, c)| c.teu_year > 0.0)
            .map(|(i, c)| Od {
                cell: i,
                from: c.from,
                to: c.to,
                sources: graph.stop_nodes(c.from).collect(),
                sinks: graph.stop_nodes(c.to).collect(),
                teu_week: c.teu_year / WEEKS_PER_YEAR,
                corridor: c.corridor,
            })
            .collect();
        Prepared { net: net.clone(), graph, costs, constraints, ods, demand: demand.clone() }
    }

    /// Per graph arc, whether demand bound to `corridor` may not use it (a link or wait of a
    /// link outside the corridor, its feeders and the corridors it continues on).
    pub fn blocked_arcs(&self, corridor: CorridorId) -> Vec<bool> {
        self.graph
            .kinds()
            .iter()
            .map(|kind| match *kind {
                ArcKind::Link { link, .. } | ArcKind::Wait { link, .. } => {
                    !self.net.link_serves_corridor(link, corridor)
                }
                ArcKind::Transfer(_) | ArcKind::Border(_) | ArcKind::Call { .. } => false,
            })
            .collect()
    }

    /// The constraint index of each arc, if it has one.
    pub fn constraint_of_arc(&self) -> Vec<Option<usize>> {
        let mut v = vec![None; self.graph.num_arcs()];
        for (i, c) in self.constraints.iter().enumerate() {
            v[c.arc.index()] = Some(i);
        }
        v
    }

    /// Tail node of every arc (the graph stores it; collected for hot loops).
    pub fn tails(&self) -> Vec<u32> {
        (0..self.graph.num_arcs()).map(|a| self.graph.tail(ArcId::from_index(a)).0).collect()
    }
}
