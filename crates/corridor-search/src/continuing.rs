//! The best route of a corridor that continues on others (CMREC on the Trans-Siberian, the
//! Trans-Siberian on the Northern route), as one Dijkstra on the product of the graph and a
//! four-state automaton.
//!
//! Such a route may use the continued corridors' links, but it must use its own and start or
//! end on them: the continued links lie on one side of the own ones ([`Network::own_link`],
//! [`Network::continued_link`]). The rule is a finite automaton over the links of a path, so
//! the best route under it is a shortest path in the graph × automaton (the state-expanded
//! trick again): exact for any static objective, and a plain Dijkstra over at most four copies
//! of each node instead of a multi-criteria label search.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use corridor_model::{ArcId, ArcKind, CorridorId, Graph, LinkId, LocationId, Network, NodeId};

/// No own or continued link yet.
pub(crate) const START: usize = 0;
/// Continued links, no own link yet.
pub(crate) const CONTINUED: usize = 1;
/// Own links came first: anything may follow (also the state of a corridor that continues on
/// none).
pub(crate) const OWN: usize = 2;
/// Own links after continued ones: no continued link may follow.
pub(crate) const OWN_AFTER: usize = 3;
const STATES: usize = 4;

/// Whether a path in `state` keeps the rule (it has used the corridor's own links).
pub(crate) fn accepts(state: usize) -> bool {
    matches!(state, OWN | OWN_AFTER)
}

/// The state after `link` (the rule's one definition, shared by this search, the label search
/// and `Route::uses_own_link`), or `None` where the rule forbids the link.
pub(crate) fn step_link(net: &Network, c: CorridorId, state: usize, link: LinkId) -> Option<usize> {
    if net.own_link(c, link) {
        Some(if matches!(state, START | OWN) { OWN } else { OWN_AFTER })
    } else if net.continued_link(c, link) {
        match state {
            START | CONTINUED => Some(CONTINUED),
            OWN => Some(OWN),
            _ => None,
        }
    } else {
        Some(state)
    }
}

/// The state after `arc`: transfers, borders and waits leave it as it is.
pub(crate) fn step(net: &Network, graph: &Graph, c: CorridorId, state: usize, arc: ArcId) -> Option<usize> {
    match graph.kind(arc) {
        ArcKind::Link { link, .. } => step_link(net, c, state, link),
        _ => Some(state),
    }
}

/// The arcs and weight of the best path from a platform node of `from` to one of `to` under
/// `weight` (infinite = unusable) that keeps the rule of corridor `c`; `None` if there is none.
pub(crate) fn best_path(
    net: &Network,
    graph: &Graph,
    weight: &[f64],
    c: CorridorId,
    from: LocationId,
    to: LocationId,
) -> Option<(Vec<ArcId>, f64)> {
    let n = graph.num_nodes() * STATES;
    let mut dist = vec![f64::INFINITY; n];
    let mut parent: Vec<Option<(usize, ArcId)>> = vec![None; n];
    let mut heap = BinaryHeap::new();
    // Distances are finite and non-negative, so their bit patterns order like the numbers; the
    // state index breaks ties deterministically.
    let key = |d: f64| d.to_bits();
    for s in graph.stop_nodes(from) {
        let i = s.index() * STATES + START;
        dist[i] = 0.0;
        heap.push(Reverse((key(0.0), i)));
    }
    while let Some(Reverse((k, i))) = heap.pop() {
        let d = f64::from_bits(k);
        if d > dist[i] {
            continue;
        }
        let (node, state) = (NodeId::from_index(i / STATES), i % STATES);
        if graph.node_location(node) == to && graph.is_stop(node) && accepts(state) {
            let mut arcs = Vec::new();
            let mut at = i;
            while let Some((prev, arc)) = parent[at] {
                arcs.push(arc);
                at = prev;
            }
            arcs.reverse();
            return Some((arcs, d));
        }
        for a in graph.out_arcs(node) {
            let w = weight[a];
            if !w.is_finite() {
                continue;
            }
            let arc = ArcId::from_index(a);
            let Some(next) = step(net, graph, c, state, arc) else { continue };
            let j = graph.head(arc).index() * STATES + next;
            let nd = d + w;
            if nd < dist[j] {
                dist[j] = nd;
                parent[j] = Some((i, arc));
                heap.push(Reverse((key(nd), j)));
            }
        }
    }
    None
}
