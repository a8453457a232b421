//! The best route under resource constraints (a transshipment limit, the gauge-change ban) and
//! a continuing corridor's rule, as one Dijkstra on the graph × the resource states.
//!
//! The multi-criteria label search ([`crate::mlc`]) answers these too, but it keeps every
//! label that is not dominated in hours, USD and CO2e, and a route then picks one of them: on
//! the default network a `compare` with `--avoid-gauge-changes` took 0.9 s, most of it proving
//! that corridors with a break of gauge have no such route. For a static request (no departure
//! time) with one objective the resources are small and discrete — the lifts so far (0 to the
//! limit), the gauge a run of transfers started on, the corridor rule's automaton state — so
//! the best route is a shortest path in the graph × those states (the state-expanded trick of
//! [`crate::continuing`], with more states): exact for the objective's arc weights, and a plain
//! Dijkstra. The states are the label search's own: one function ([`after_arc`]) decides a
//! transfer's lift and the gauge of a transfer run in both, so both admit the same paths.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use corridor_model::{ArcId, ArcKind, CorridorId, Graph, Network, NodeId, Platform, TransferKind};

use crate::budget::{Budget, CLOCK_EVERY, Interrupt};
use crate::continuing::Automaton;
use crate::request::RouteRequest;

/// The resources after `arc`, for a path with `lifts` lifts so far in a transfer run that
/// started on gauge `chain` (0: not in a transfer run), or `None` where `req` forbids the arc.
/// The one definition both searches use (this one and the label search, [`crate::mlc`]): a
/// transshipment or port handling is a lift; a run of transfers that starts on one track gauge
/// and ends on another is a gauge change, wherever it goes in between (a node off rail counts as
/// gauge 1, so a run through road or sea keeps the gauge it started on). The returned chain is
/// the run's starting gauge after a transfer, 0 after any other arc.
pub(crate) fn after_arc(
    net: &Network,
    graph: &Graph,
    req: &RouteRequest,
    arc: ArcId,
    lifts: u32,
    chain: u16,
) -> Option<(u32, u16)> {
    let ArcKind::Transfer(t) = graph.kind(arc) else { return Some((lifts, 0)) };
    let lifts = lifts
        + u32::from(matches!(net.transfers[t.index()].kind, TransferKind::Transshipment | TransferKind::PortHandling));
    let gauge = |n: NodeId| match graph.node_platform(n) {
        Some(Platform::Rail { gauge_mm }) => gauge_mm,
        _ => 1,
    };
    let start = if chain != 0 { chain } else { gauge(graph.tail(arc)) };
    let end = gauge(graph.head(arc));
    if req.avoid_gauge_changes && start > 1 && end > 1 && start != end {
        return None;
    }
    if req.max_transshipments.is_some_and(|max| lifts > max) {
        return None;
    }
    Some((lifts, start))
}

/// The arcs and weight of the best path for `req` (its `from`, `to`, transshipment limit and
/// gauge-change ban, and the rule of `corridor` when it continues on others) under `weight`
/// (infinite = unusable); `Ok(None)` if there is none, `Err` when the budget's deadline passed
/// or more states than its label limit were reached.
pub(crate) fn best_path(
    net: &Network,
    graph: &Graph,
    weight: &[f64],
    req: &RouteRequest,
    corridor: Option<CorridorId>,
    budget: &Budget,
) -> Result<Option<(Vec<ArcId>, f64)>, Interrupt> {
    // A state is (node, automaton state, gauge the current transfer run started on, lifts so
    // far). Only the states a search reaches are stored: the lift limit is the user's.
    #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
    struct State {
        node: u32,
        auto: u16,
        chain: u16,
        lifts: u32,
    }
    let mut best: HashMap<State, (f64, Option<(State, ArcId)>)> = HashMap::new();
    let mut heap = BinaryHeap::new();
    // Distances are finite and non-negative, so their bit patterns order like the numbers; the
    // state breaks ties deterministically.
    let key = |d: f64| d.to_bits();
    let automaton = corridor.map_or_else(Automaton::free, |c| Automaton::new(net, c));
    let start_auto = automaton.start() as u16;
    for s in graph.stop_nodes(req.from) {
        let st = State { node: s.0, auto: start_auto, chain: 0, lifts: 0 };
        best.insert(st, (0.0, None));
        heap.push(Reverse((key(0.0), st)));
    }
    let mut popped = 0usize;
    while let Some(Reverse((k, st))) = heap.pop() {
        popped += 1;
        if popped.is_multiple_of(CLOCK_EVERY) && budget.expired() {
            return Err(Interrupt::Deadline);
        }
        let d = f64::from_bits(k);
        if best.get(&st).is_some_and(|&(b, _)| d > b) {
            continue;
        }
        let node = NodeId(st.node);
        if graph.node_location(node) == req.to && graph.is_stop(node) && automaton.accepts(usize::from(st.auto)) {
            let mut arcs = Vec::new();
            let mut at = st;
            while let Some(&(_, Some((prev, arc)))) = best.get(&at) {
                arcs.push(arc);
                at = prev;
            }
            arcs.reverse();
            return Ok(Some((arcs, d)));
        }
        for a in graph.out_arcs(node) {
            let w = weight[a];
            if !w.is_finite() {
                continue;
            }
            let arc = ArcId::from_index(a);
            let Some(auto) = automaton.step(net, graph, usize::from(st.auto), arc) else { continue };
            let auto = auto as u16;
            let Some((lifts, chain)) = after_arc(net, graph, req, arc, st.lifts, st.chain) else { continue };
            // States differ only in what the request limits: otherwise they would split for
            // nothing.
            let lifts = if req.max_transshipments.is_some() { lifts } else { 0 };
            let chain = if req.avoid_gauge_changes { chain } else { 0 };
            let next = State { node: graph.head(arc).0, auto, chain, lifts };
            let nd = d + w;
            if best.get(&next).is_none_or(|&(b, _)| nd < b) {
                best.insert(next, (nd, Some((st, arc))));
                heap.push(Reverse((key(nd), next)));
                // A state costs about what a label does, and the lift limit is the user's: the
                // label budget bounds this search's memory as it bounds the label search's.
                if best.len() > budget.max_labels {
                    return Err(Interrupt::Labels(budget.max_labels));
                }
            }
        }
    }
    Ok(None)
}
