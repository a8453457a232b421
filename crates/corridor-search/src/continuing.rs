//! The best route of a corridor that continues on others (CMREC on the Trans-Siberian, the
//! Trans-Siberian on the Northern route), or that is known by its crossings, as one Dijkstra on
//! the product of the graph and a small automaton.
//!
//! Such a route may use the continued corridors' links, but it must use its own and start or
//! end on them: the continued links lie on one side of the own ones ([`Network::own_link`],
//! [`Network::continued_link`]). A corridor known by its crossings
//! ([`corridor_model::Corridor::known_by_crossings`]) also crosses a border on its own links
//! when it crosses any ([`Network::border_on_corridor`]), and does not turn back over the own
//! crossing it entered by (else a route through Kazakhstan could touch Mongolia at Zamyn-Üüd and
//! return, 6 km, to count as CMREC's). Both rules are finite automata over the arcs of a path, so
//! the best route under them is a shortest path in the graph x their product (the
//! state-expanded trick again): exact for any static objective, and a plain Dijkstra over a few
//! copies of each node instead of a multi-criteria label search.
//!
//! A state is `links + LINK_STATES * crossings`: the link rule's state (`START` ..
//! `OWN_AFTER`) and the crossing rule's (`NO_CROSSING`, `FOREIGN_CROSSING`, `CROSSED`, or
//! `ENTERED + i`: last crossed on the corridor's `i`-th own crossing, and no other since).

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
const LINK_STATES: usize = 4;
/// No border crossed yet.
const NO_CROSSING: usize = 0;
/// Borders crossed, none on the corridor's own links: a route may not end here.
const FOREIGN_CROSSING: usize = 1;
/// An own crossing passed through (another border crossed after it): any may follow.
const CROSSED: usize = 2;
/// `ENTERED + i`: the last border crossed was the corridor's `i`-th own crossing; crossing it
/// again (turning back) is refused.
const ENTERED: usize = 3;

/// The rules of a corridor restriction as an automaton over a path's arcs. Built once per
/// search; a corridor without rules ([`Automaton::free`]) accepts every path.
#[derive(Clone, Debug)]
pub(crate) struct Automaton {
    corridor: Option<CorridorId>,
    /// The links of the corridor's own border crossings (both directions share one), when it is
    /// known by its crossings.
    own_crossings: Vec<LinkId>,
    known_by_crossings: bool,
}

impl Automaton {
    /// The automaton of corridor `c`'s rules.
    pub(crate) fn new(net: &Network, c: CorridorId) -> Self {
        let known_by_crossings = net.corridors[c.index()].known_by_crossings;
        let own_crossings = if known_by_crossings { net.corridor_crossings(c) } else { Vec::new() };
        Automaton { corridor: Some(c), own_crossings, known_by_crossings }
    }

    /// The automaton of `corridor`'s rules when it has any ([`Network::corridor_has_rule`]),
    /// else the one that accepts every path.
    pub(crate) fn for_request(net: &Network, corridor: Option<CorridorId>) -> Self {
        match corridor.filter(|&c| net.corridor_has_rule(c)) {
            Some(c) => Self::new(net, c),
            None => Self::free(),
        }
    }

    /// The automaton that accepts every path.
    pub(crate) fn free() -> Self {
        Automaton { corridor: None, own_crossings: Vec::new(), known_by_crossings: false }
    }

    /// How many states there are (state indices are below it): the crossing rule's only for a
    /// corridor known by its crossings (else its state stays `NO_CROSSING`, and the search
    /// keeps four copies of each node, not twelve).
    pub(crate) fn states(&self) -> usize {
        if self.known_by_crossings { LINK_STATES * (ENTERED + self.own_crossings.len()) } else { LINK_STATES }
    }

    /// The state a path starts in.
    pub(crate) fn start(&self) -> usize {
        if self.corridor.is_some() { START } else { OWN }
    }

    /// Whether a path in `state` keeps the rules (it has used the corridor's own links, and has
    /// crossed a border on them if it crossed any where that counts).
    pub(crate) fn accepts(&self, state: usize) -> bool {
        matches!(state % LINK_STATES, OWN | OWN_AFTER) && state / LINK_STATES != FOREIGN_CROSSING
    }

    /// Whether every continuation open to a path in state `b` is open to one in state `a` too,
    /// with the same acceptance (for the label search's dominance).
    pub(crate) fn dominates(&self, a: usize, b: usize) -> bool {
        let (la, lb) = (a % LINK_STATES, b % LINK_STATES);
        let (xa, xb) = (a / LINK_STATES, b / LINK_STATES);
        let links = la == lb || la == OWN || (la == START && lb == CONTINUED);
        let crossings = xa == xb || xa == CROSSED || (xa == NO_CROSSING && xb == FOREIGN_CROSSING);
        links && crossings
    }

    /// The state after `arc` (the rules' one definition, shared by this search, the label
    /// search, the resource search and `Route::uses_own_link`), or `None` where they forbid it:
    /// links step the link rule, border clearances the crossing rule; transfers and waits leave
    /// the state as it is.
    pub(crate) fn step(&self, net: &Network, graph: &Graph, state: usize, arc: ArcId) -> Option<usize> {
        let Some(c) = self.corridor else { return Some(state) };
        let (l, x) = (state % LINK_STATES, state / LINK_STATES);
        match graph.kind(arc) {
            ArcKind::Link { link, .. } => step_link(net, c, l, link).map(|l| l + LINK_STATES * x),
            ArcKind::Border(b) if self.known_by_crossings => {
                let own = self.own_crossings.binary_search(&net.borders[b.index()].link).ok();
                let x = match (own, x) {
                    (_, CROSSED) => CROSSED,
                    // Turning back over the own crossing just entered by.
                    (Some(i), x) if x == ENTERED + i => return None,
                    (Some(_), x) if x >= ENTERED => CROSSED,
                    (Some(i), _) => ENTERED + i,
                    (None, x) if x >= ENTERED => CROSSED,
                    (None, _) => FOREIGN_CROSSING,
                };
                Some(l + LINK_STATES * x)
            }
            _ => Some(state),
        }
    }
}

/// The link rule's state after `link`, or `None` where the rule forbids the link.
fn step_link(net: &Network, c: CorridorId, state: usize, link: LinkId) -> Option<usize> {
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
    let auto = Automaton::new(net, c);
    let states = auto.states();
    let n = graph.num_nodes() * states;
    let mut dist = vec![f64::INFINITY; n];
    let mut parent: Vec<Option<(usize, ArcId)>> = vec![None; n];
    let mut heap = BinaryHeap::new();
    // Distances are finite and non-negative, so their bit patterns order like the numbers; the
    // state index breaks ties deterministically.
    let key = |d: f64| d.to_bits();
    for s in graph.stop_nodes(from) {
        let i = s.index() * states + auto.start();
        dist[i] = 0.0;
        heap.push(Reverse((key(0.0), i)));
    }
    let mut settled = vec![false; n];
    while let Some(Reverse((k, i))) = heap.pop() {
        let d = f64::from_bits(k);
        if d > dist[i] || settled[i] {
            continue;
        }
        settled[i] = true;
        let (node, state) = (NodeId::from_index(i / states), i % states);
        // A state of this node settled before (so no farther) whose continuations include all
        // of this one's makes it useless: arcs cost the same in every state. Without this the
        // crossing rule's copies of the graph (crossed abroad, entered by an own crossing, ...)
        // would each be searched out.
        let base = node.index() * states;
        if (0..states).any(|s| s != state && settled[base + s] && auto.dominates(s, state)) {
            continue;
        }
        if graph.node_location(node) == to && graph.is_stop(node) && auto.accepts(state) {
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
            let Some(next) = auto.step(net, graph, state, arc) else { continue };
            let j = graph.head(arc).index() * states + next;
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
