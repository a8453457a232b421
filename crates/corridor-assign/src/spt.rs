//! Shortest-path trees and all-or-nothing loading.
//!
//! Each Frank–Wolfe iteration needs, for every origin, the shortest path to every destination
//! at the current link times, and the demand loaded on those paths. [`Tree`] grows the whole
//! tree from one origin with a binary-heap Dijkstra on the CSR adjacency, then loads it in one
//! backwards sweep over the settle order: each node hands the demand that ends at or passes
//! through it to its predecessor link, so loading costs O(nodes), not O(Σ path lengths).
//!
//! The search is corridor's one Dijkstra (`corridor-dijkstra`), whose scratch arrays are reused
//! across origins and iterations (reset in O(1) by an epoch stamp), so the hot loop does not
//! allocate.

use corridor_dijkstra::{Dijkstra, Visit};

use crate::network::Network;

/// A shortest-path tree from one origin, with the scratch space to grow the next one.
#[derive(Debug)]
pub(crate) struct Tree {
    search: Dijkstra<f64>,
    acc: Vec<f64>,
    origin: u32,
}

impl Tree {
    /// Scratch space for networks of `num_nodes` nodes.
    pub(crate) fn new(num_nodes: usize) -> Tree {
        Tree { search: Dijkstra::new(num_nodes), acc: vec![0.0; num_nodes], origin: 0 }
    }

    /// Grows the tree of `origin` at link times `times` (corridor's one Dijkstra; ties by node).
    /// Zones other than the origin (nodes below the first through node) are settled but never
    /// passed through.
    pub(crate) fn grow(&mut self, net: &Network, times: &[f64], origin: u32) {
        self.origin = origin;
        let (links, heads) = (net.out_links(), net.out_heads());
        let first_thru = net.first_thru_node();
        let visit = |v: u32| if (v as usize) < first_thru && v != origin { Visit::Settle } else { Visit::Expand };
        let arcs = |v: u32| net.out_range(v as usize).map(|i| (links[i], heads[i], times[links[i] as usize]));
        self.search.run(&[origin], visit, arcs);
    }

    /// Shortest distance from the current origin to `v`, if reached.
    pub(crate) fn dist(&self, v: u32) -> Option<f64> {
        self.search.distance(v)
    }

    /// Loads `demand` (destination, trips) of the current origin on the tree, adding to `flows`.
    ///
    /// Returns `Σ trips · distance` (this origin's share of the shortest-path total travel
    /// time), or the first destination with positive demand that the tree does not reach.
    pub(crate) fn load(&mut self, net: &Network, demand: &[(u32, f64)], flows: &mut [f64]) -> Result<f64, u32> {
        for &v in self.search.order() {
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
        for &v in self.search.order().iter().rev() {
            let a = self.acc[v as usize];
            if a == 0.0 || v == self.origin {
                continue;
            }
            let l = self.search.pred(v) as usize;
            flows[l] += a;
            self.acc[links[l].from as usize] += a;
        }
        Ok(total)
    }
}
