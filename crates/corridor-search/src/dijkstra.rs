//! Multi-source Dijkstra with a reusable, O(1)-reset scratch space (the RoutingKit query
//! pattern): distances are valid only where their stamp equals the current round, so starting
//! a new query does not touch the arrays.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use corridor_model::{ArcId, Graph, NodeId};

#[derive(Clone, Copy, PartialEq)]
struct Entry {
    dist: f64,
    node: NodeId,
}

impl Eq for Entry {}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        // Reversed for a min-heap; ties broken by node id so runs are deterministic.
        other.dist.total_cmp(&self.dist).then_with(|| other.node.cmp(&self.node))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

const NO_ARC: u32 = u32::MAX;

/// Per-thread Dijkstra state over one graph.
#[derive(Clone, Debug)]
pub struct Dijkstra {
    dist: Vec<f64>,
    pred: Vec<u32>,
    stamp: Vec<u32>,
    settled: Vec<u32>,
    round: u32,
    heap: BinaryHeap<Entry>,
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "({:?}, {})", self.node, self.dist)
    }
}

impl Dijkstra {
    /// Scratch space for a graph with `num_nodes` nodes.
    pub fn new(num_nodes: usize) -> Self {
        Dijkstra {
            dist: vec![f64::INFINITY; num_nodes],
            pred: vec![NO_ARC; num_nodes],
            stamp: vec![0; num_nodes],
            settled: vec![0; num_nodes],
            round: 0,
            heap: BinaryHeap::new(),
        }
    }

    /// Number of nodes this scratch space is sized for.
    pub fn capacity(&self) -> usize {
        self.dist.len()
    }

    fn next_round(&mut self) {
        self.round = self.round.wrapping_add(1);
        if self.round == 0 {
            // Wrapped around after 2^32 queries: clear for real once.
            self.stamp.fill(0);
            self.settled.fill(0);
            self.round = 1;
        }
        self.heap.clear();
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
        self.next_round();
        for &s in sources {
            self.relax(s, 0.0, NO_ARC);
        }
        let heads = graph.heads();
        while let Some(Entry { dist, node }) = self.heap.pop() {
            if self.settled[node.index()] == self.round || dist > self.dist[node.index()] {
                continue;
            }
            self.settled[node.index()] = self.round;
            if is_target(node) {
                return Some(node);
            }
            for a in graph.out_arcs(node) {
                let w = weights[a];
                if w.is_finite() {
                    self.relax(heads[a], dist + w, a as u32);
                }
            }
        }
        None
    }

    #[inline]
    fn relax(&mut self, v: NodeId, d: f64, arc: u32) {
        let i = v.index();
        if self.stamp[i] != self.round || d < self.dist[i] {
            self.stamp[i] = self.round;
            self.dist[i] = d;
            self.pred[i] = arc;
            self.heap.push(Entry { dist: d, node: v });
        }
    }

    /// Distance of `node` found by the last run (infinite if not reached).
    pub fn distance(&self, node: NodeId) -> f64 {
        if self.stamp[node.index()] == self.round { self.dist[node.index()] } else { f64::INFINITY }
    }

    /// Whether the last run settled `node` (its distance is final).
    pub fn settled(&self, node: NodeId) -> bool {
        self.settled[node.index()] == self.round
    }

    /// The arcs of the shortest path to `target` found by the last run, from the source.
    pub fn path(&self, graph: &Graph, target: NodeId) -> Vec<ArcId> {
        let mut arcs = Vec::new();
        let mut v = target;
        while self.stamp[v.index()] == self.round && self.pred[v.index()] != NO_ARC {
            let a = ArcId(self.pred[v.index()]);
            arcs.push(a);
            v = graph.tail(a);
        }
        arcs.reverse();
        arcs
    }
}
