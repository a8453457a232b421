//! The search's Dijkstra: corridor's one generic Dijkstra (`corridor-dijkstra`, multi-source,
//! O(1) reset, ties by node id) over the state-expanded graph with `f64` arc weights.

use corridor_model::{ArcId, Graph, NodeId};

/// Per-thread Dijkstra state over one graph.
#[derive(Clone, Debug)]
pub struct Dijkstra {
    inner: corridor_dijkstra::Dijkstra<f64>,
    sources: Vec<u32>,
}

impl Dijkstra {
    /// Scratch space for a graph with `num_nodes` nodes.
    pub fn new(num_nodes: usize) -> Self {
        Dijkstra { inner: corridor_dijkstra::Dijkstra::new(num_nodes), sources: Vec::new() }
    }

    /// Number of nodes this scratch space is sized for.
    pub fn capacity(&self) -> usize {
        self.inner.capacity()
    }

    /// Runs from `sources` (all at distance 0) until the first node for which `is_target`
    /// holds is settled, and returns it; `None` when no target is reachable. Arcs with an
    /// infinite weight are never used. `weights` is indexed by arc and must be non-negative.
    pub fn run(
        &mut self,
        graph: &Graph,
        weights: &[f64],
        sources: &[NodeId],
        mut is_target: impl FnMut(NodeId) -> bool,
    ) -> Option<NodeId> {
        debug_assert_eq!(weights.len(), graph.num_arcs());
        self.sources.clear();
        self.sources.extend(sources.iter().map(|s| s.index() as u32));
        let heads = graph.heads();
        let visit = |u: u32| {
            if is_target(NodeId::from_index(u as usize)) {
                corridor_dijkstra::Visit::Stop
            } else {
                corridor_dijkstra::Visit::Expand
            }
        };
        let arcs = |u: u32| {
            graph.out_arcs(NodeId::from_index(u as usize)).map(|a| (a as u32, heads[a].index() as u32, weights[a]))
        };
        self.inner.run(&self.sources, visit, arcs).map(|u| NodeId::from_index(u as usize))
    }

    /// Distance of `node` found by the last run (infinite if not reached).
    pub fn distance(&self, node: NodeId) -> f64 {
        self.inner.distance(node.index() as u32).unwrap_or(f64::INFINITY)
    }

    /// Whether the last run settled `node` (its distance is final).
    pub fn settled(&self, node: NodeId) -> bool {
        self.inner.is_settled(node.index() as u32)
    }

    /// The arcs of the shortest path to `target` found by the last run, from the source.
    pub fn path(&self, graph: &Graph, target: NodeId) -> Vec<ArcId> {
        self.inner.path(target.index() as u32, |a| graph.tail(ArcId(a)).index() as u32).into_iter().map(ArcId).collect()
    }
}
