//! Plain Dijkstra on the input graph: the oracle for tests and the baseline in benchmarks.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::graph::{Graph, INF};

/// Dijkstra scratch space with a reset proportional to the nodes touched.
pub struct Dijkstra {
    dist: Vec<u32>,
    touched: Vec<u32>,
    heap: BinaryHeap<Reverse<(u32, u32)>>,
}

impl Dijkstra {
    /// Scratch space for graphs with `node_count` nodes.
    pub fn new(node_count: usize) -> Self {
        Dijkstra { dist: vec![INF; node_count], touched: Vec::new(), heap: BinaryHeap::new() }
    }

    /// Shortest distance from `s` to `t` with `weights` (one per arc of `graph`), stopping when
    /// `t` is settled; `None` if unreachable.
    pub fn distance(&mut self, graph: &Graph, weights: &[u32], s: u32, t: u32) -> Option<u32> {
        self.run(graph, weights, s, Some(t));
        let d = self.dist[t as usize];
        (d != INF).then_some(d)
    }

    /// Distances from `s` to every node (`INF` if unreachable); valid until the next call.
    pub fn one_to_all(&mut self, graph: &Graph, weights: &[u32], s: u32) -> &[u32] {
        self.run(graph, weights, s, None);
        &self.dist
    }

    fn run(&mut self, graph: &Graph, weights: &[u32], s: u32, target: Option<u32>) {
        for &v in &self.touched {
            self.dist[v as usize] = INF;
        }
        self.touched.clear();
        self.heap.clear();
        self.dist[s as usize] = 0;
        self.touched.push(s);
        self.heap.push(Reverse((0, s)));
        while let Some(Reverse((d, u))) = self.heap.pop() {
            if d > self.dist[u as usize] {
                continue;
            }
            if Some(u) == target {
                return;
            }
            for a in graph.arcs(u) {
                let v = graph.head[a];
                let nd = d.saturating_add(weights[a]);
                if nd < self.dist[v as usize] {
                    if self.dist[v as usize] == INF {
                        self.touched.push(v);
                    }
                    self.dist[v as usize] = nd;
                    self.heap.push(Reverse((nd, v)));
                }
            }
        }
    }
}
