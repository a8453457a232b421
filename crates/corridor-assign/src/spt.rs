//! Shortest-path trees and all-or-nothing loading.
//!
//! Each Frank–Wolfe iteration needs, for every origin, the shortest path to every destination
//! at the current link times, and the demand loaded on those paths. [`Tree`] grows the whole
//! tree from one origin with a binary-heap Dijkstra on the CSR adjacency, then loads it in one
//! backwards sweep over the settle order: each node hands the demand that ends at or passes
//! through it to its predecessor link, so loading costs O(nodes), not O(Σ path lengths).
//!
//! The scratch arrays are reused across origins and iterations (reset in O(1) by an epoch
//! stamp), so the hot loop does not allocate.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::network::Network;

/// Sentinel predecessor of the origin and of unreached nodes.
const NO_LINK: u32 = u32::MAX;

/// Per-thread Dijkstra scratch space.
#[derive(Debug)]
pub(crate) struct Tree {
    dist: Vec<f64>,
    pred: Vec<u32>,
    /// `stamp[v] == epoch` iff `v` was reached in the current run; avoids clearing `dist`.
    stamp: Vec<u32>,
    epoch: u32,
    /// Nodes in the order they were settled (non-decreasing distance).
    order: Vec<u32>,
    /// Demand accumulated at each node during loading.
    acc: Vec<f64>,
    /// Keys are the bit patterns of non-negative `f64`s, which order like the numbers, so the
    /// heap needs no float wrapper; the node id breaks ties deterministically.
    heap: BinaryHeap<Reverse<(u64, u32)>>,
    origin: u32,
}

impl Tree {
    /// Scratch space for a network of `num_nodes` nodes.
    pub(crate) fn new(num_nodes: usize) -> Tree {
        Tree {
            dist: vec![f64::INFINITY; num_nodes],
            pred: vec![NO_LINK; num_nodes],
            stamp: vec![0; num_nodes],
            epoch: 0,
            order: Vec::with_capacity(num_nodes),
            acc: vec![0.0; num_nodes],
            heap: BinaryHeap::new(),
            origin: 0,
        }
    }

    /// Grows the shortest-path tree from `origin` with link costs `times` (one per link,
    /// non-negative and finite).
    ///
    /// Nodes below the network's first through node are settled but not expanded (unless they
    /// are the origin), so no path passes through a zone.
    pub(crate) fn grow(&mut self, net: &Network, times: &[f64], origin: u32) {
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            // After 2^32 runs the stamps could collide with old ones: clear them once.
            self.stamp.fill(0);
            self.epoch = 1;
        }
        self.origin = origin;
        self.order.clear();
        self.heap.clear();
        let (links, heads) = (net.out_links(), net.out_heads());
        let first_thru = net.first_thru_node();
        let o = origin as usize;
        self.stamp[o] = self.epoch;
        self.dist[o] = 0.0;
        self.pred[o] = NO_LINK;
        self.heap.push(Reverse((0.0f64.to_bits(), origin)));
        while let Some(Reverse((key, v))) = self.heap.pop() {
            let v_us = v as usize;
            // Lazy deletion: an entry is stale if the node was improved after it was pushed.
            // Entries are pushed only on strict improvement, so the live one is unique.
            if key != self.dist[v_us].to_bits() {
                continue;
            }
            self.order.push(v);
            if v_us < first_thru && v != origin {
                continue;
            }
            let dv = self.dist[v_us];
            for i in net.out_range(v_us) {
                let w = heads[i] as usize;
                let nd = dv + times[links[i] as usize];
                if self.stamp[w] != self.epoch || nd < self.dist[w] {
                    self.stamp[w] = self.epoch;
                    self.dist[w] = nd;
                    self.pred[w] = links[i];
                    self.heap.push(Reverse((nd.to_bits(), w as u32)));
                }
            }
        }
    }

    /// Shortest distance from the current origin to `v`, if reached.
    pub(crate) fn dist(&self, v: u32) -> Option<f64> {
        (self.stamp[v as usize] == self.epoch).then(|| self.dist[v as usize])
    }

    /// Loads `demand` (destination, trips) of the current origin on the tree, adding to `flows`.
    ///
    /// Returns `Σ trips · distance` (this origin's share of the shortest-path total travel
    /// time), or the first destination with positive demand that the tree does not reach.
    pub(crate) fn load(&mut self, net: &Network, demand: &[(u32, f64)], flows: &mut [f64]) -> Result<f64, u32> {
        for &v in &self.order {
            self.acc[v as usize] = 0.0;
        }
        let mut total = 0.0;
        for &(d, trips) in demand {
            match self.dist(d) {
                Some(dist) => {
                    self.acc[d as usize] += trips;
                    total += trips * dist;
                }
                None => return Err(d),
            }
        }
        let links = net.links();
        // Reverse settle order visits every node after all its tree descendants.
        for &v in self.order.iter().rev() {
            let a = self.acc[v as usize];
            if a == 0.0 || v == self.origin {
                continue;
            }
            let l = self.pred[v as usize] as usize;
            flows[l] += a;
            self.acc[links[l].from as usize] += a;
        }
        Ok(total)
    }
}
