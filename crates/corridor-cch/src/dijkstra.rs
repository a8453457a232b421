//! Plain Dijkstra on the input graph: the oracle for tests and the baseline in benchmarks,
//! corridor's one Dijkstra (`corridor-dijkstra`) over the CSR graph with `u32` weights.

use crate::graph::{Graph, INF};

/// Dijkstra scratch space (reset in O(1) between runs).
pub struct Dijkstra {
    inner: corridor_dijkstra::Dijkstra<u32>,
    all: Vec<u32>,
}

impl Dijkstra {
    /// Scratch space for graphs with `node_count` nodes.
    pub fn new(node_count: usize) -> Self {
        Dijkstra { inner: corridor_dijkstra::Dijkstra::new(node_count), all: Vec::new() }
    }

    /// Shortest distance from `s` to `t` with `weights` (one per arc of `graph`), stopping when
    /// `t` is settled; `None` if unreachable.
    pub fn distance(&mut self, graph: &Graph, weights: &[u32], s: u32, t: u32) -> Option<u32> {
        let visit = |u: u32| if u == t { corridor_dijkstra::Visit::Stop } else { corridor_dijkstra::Visit::Expand };
        self.inner.run(&[s], visit, |u| graph.arcs(u).map(|a| (a as u32, graph.head[a], weights[a])));
        self.inner.distance(t).filter(|&d| d != INF)
    }

    /// Distances from `s` to every node (`INF` if unreachable); valid until the next call.
    pub fn one_to_all(&mut self, graph: &Graph, weights: &[u32], s: u32) -> &[u32] {
        self.inner.run(
            &[s],
            |_| corridor_dijkstra::Visit::Expand,
            |u| graph.arcs(u).map(|a| (a as u32, graph.head[a], weights[a])),
        );
        let n = self.inner.capacity() as u32;
        self.all.clear();
        self.all.extend((0..n).map(|v| self.inner.distance(v).unwrap_or(INF)));
        &self.all
    }
}
