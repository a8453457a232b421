//! A plain multi-source Dijkstra over a CSR-free arc list, used for reachability, for the
//! pricing step of the min-cost flow and for path extraction. The search crate's router is
//! tied to route requests; here the weights change every pricing round, so a small generic
//! search over `(tail, head, weight)` arrays is simpler.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Forward-star adjacency of an arc list.
#[derive(Clone, Debug)]
pub struct Adjacency {
    first: Vec<u32>,
    arcs: Vec<u32>,
    heads: Vec<u32>,
}

impl Adjacency {
    /// Builds the adjacency of `num_nodes` nodes and arcs `tails[a] -> heads[a]`.
    pub fn new(num_nodes: usize, tails: &[u32], heads: &[u32]) -> Adjacency {
        let mut first = vec![0u32; num_nodes + 1];
        for &t in tails {
            first[t as usize + 1] += 1;
        }
        for i in 0..num_nodes {
            first[i + 1] += first[i];
        }
        let mut next = first.clone();
        let mut arcs = vec![0u32; tails.len()];
        for (a, &t) in tails.iter().enumerate() {
            arcs[next[t as usize] as usize] = a as u32;
            next[t as usize] += 1;
        }
        Adjacency { first, arcs, heads: heads.to_vec() }
    }

    /// Number of nodes.
    pub fn num_nodes(&self) -> usize {
        self.first.len() - 1
    }

    /// Shortest distances from `sources` (all at 0) under `weight` (infinite = unusable), with
    /// the arc into each node on its shortest path. Ties are broken by node index, so the result
    /// is deterministic.
    pub fn shortest(&self, sources: &[u32], weight: &[f64]) -> (Vec<f64>, Vec<u32>) {
        let n = self.num_nodes();
        let mut dist = vec![f64::INFINITY; n];
        let mut pred = vec![u32::MAX; n];
        let mut heap = BinaryHeap::new();
        for &s in sources {
            dist[s as usize] = 0.0;
            heap.push(Reverse((Key(0.0), s)));
        }
        while let Some(Reverse((Key(d), u))) = heap.pop() {
            if d > dist[u as usize] {
                continue;
            }
            for i in self.first[u as usize]..self.first[u as usize + 1] {
                let a = self.arcs[i as usize] as usize;
                let w = weight[a];
                if !w.is_finite() {
                    continue;
                }
                let v = self.heads[a] as usize;
                let nd = d + w;
                if nd < dist[v] {
                    dist[v] = nd;
                    pred[v] = a as u32;
                    heap.push(Reverse((Key(nd), v as u32)));
                }
            }
        }
        (dist, pred)
    }

    /// The arcs of the path to `target` recorded in `pred` (source first).
    pub fn path(&self, pred: &[u32], tails: &[u32], target: u32) -> Vec<u32> {
        let mut arcs = Vec::new();
        let mut v = target;
        while pred[v as usize] != u32::MAX {
            let a = pred[v as usize];
            arcs.push(a);
            v = tails[a as usize];
        }
        arcs.reverse();
        arcs
    }
}

/// A total order on non-NaN distances for the heap.
#[derive(Clone, Copy, PartialEq)]
struct Key(f64);
impl Eq for Key {}
impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Key {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}
