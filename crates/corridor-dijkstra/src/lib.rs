//! The one Dijkstra of corridor: multi-source, generic over the distance type, with a scratch
//! space that resets in O(1) between runs (an epoch stamp per node, the RoutingKit query
//! pattern), the settle order, predecessor arcs, and a per-node visit hook that can stop the
//! search at a target or settle a node without expanding it (zones that may not be passed
//! through in traffic assignment).
//!
//! Ties are broken by node id (the heap orders by distance, then node), so every run is
//! deterministic. Distances must be non-negative; an arc whose weight is not [`Distance::usable`]
//! (infinite) is never relaxed.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// A distance: non-negative, ordered, addable, with a key that orders like it.
pub trait Distance: Copy + PartialOrd {
    /// The distance of a source.
    const ZERO: Self;
    /// `self + w` (saturating where the type can overflow).
    fn plus(self, w: Self) -> Self;
    /// A key that orders exactly like the distance (for the heap).
    fn key(self) -> u64;
    /// Whether an arc of this weight may be used.
    fn usable(self) -> bool;
}

impl Distance for f64 {
    const ZERO: f64 = 0.0;
    fn plus(self, w: f64) -> f64 {
        self + w
    }
    /// The IEEE bits of a non-negative double order like the double.
    fn key(self) -> u64 {
        self.to_bits()
    }
    fn usable(self) -> bool {
        self.is_finite()
    }
}

impl Distance for u32 {
    const ZERO: u32 = 0;
    fn plus(self, w: u32) -> u32 {
        self.saturating_add(w)
    }
    fn key(self) -> u64 {
        u64::from(self)
    }
    fn usable(self) -> bool {
        self != u32::MAX
    }
}

/// What to do with a node when it is settled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Visit {
    /// Relax its arcs.
    Expand,
    /// Keep its distance but do not relax its arcs.
    Settle,
    /// End the search here (the node is settled).
    Stop,
}

/// No predecessor arc (a source, or a node not reached).
pub const NO_ARC: u32 = u32::MAX;

/// Per-thread Dijkstra scratch space over graphs of up to `capacity` nodes.
#[derive(Clone, Debug)]
pub struct Dijkstra<D: Distance> {
    dist: Vec<D>,
    pred: Vec<u32>,
    stamp: Vec<u32>,
    settled: Vec<u32>,
    round: u32,
    heap: BinaryHeap<Reverse<(u64, u32)>>,
    order: Vec<u32>,
}

impl<D: Distance> Dijkstra<D> {
    /// Scratch space for graphs with `num_nodes` nodes.
    pub fn new(num_nodes: usize) -> Self {
        Dijkstra {
            dist: vec![D::ZERO; num_nodes],
            pred: vec![NO_ARC; num_nodes],
            stamp: vec![0; num_nodes],
            settled: vec![0; num_nodes],
            round: 0,
            heap: BinaryHeap::new(),
            order: Vec::new(),
        }
    }

    /// Number of nodes this scratch space is sized for.
    pub fn capacity(&self) -> usize {
        self.dist.len()
    }

    /// Runs from `sources` (all at distance zero). `visit` is asked about every node as it is
    /// settled; `arcs(u)` lists the arcs out of `u` as `(arc id, head, weight)`. Returns the
    /// node at which `visit` said [`Visit::Stop`], if any.
    pub fn run<I>(
        &mut self,
        sources: &[u32],
        mut visit: impl FnMut(u32) -> Visit,
        mut arcs: impl FnMut(u32) -> I,
    ) -> Option<u32>
    where
        I: Iterator<Item = (u32, u32, D)>,
    {
        self.next_round();
        for &s in sources {
            self.relax(s, D::ZERO, NO_ARC);
        }
        while let Some(Reverse((key, u))) = self.heap.pop() {
            let i = u as usize;
            // Lazy deletion: a stale entry, or a node already settled (several sources).
            if self.settled[i] == self.round || key > self.dist[i].key() {
                continue;
            }
            self.settled[i] = self.round;
            self.order.push(u);
            match visit(u) {
                Visit::Stop => return Some(u),
                Visit::Settle => continue,
                Visit::Expand => {}
            }
            let d = self.dist[i];
            for (arc, head, w) in arcs(u) {
                if w.usable() {
                    self.relax(head, d.plus(w), arc);
                }
            }
        }
        None
    }

    fn next_round(&mut self) {
        self.round = self.round.wrapping_add(1);
        if self.round == 0 {
            // Wrapped around after 2^32 runs: clear the stamps for real once.
            self.stamp.fill(0);
            self.settled.fill(0);
            self.round = 1;
        }
        self.heap.clear();
        self.order.clear();
    }

    #[inline]
    fn relax(&mut self, v: u32, d: D, arc: u32) {
        let i = v as usize;
        if self.stamp[i] != self.round || d < self.dist[i] {
            self.stamp[i] = self.round;
            self.dist[i] = d;
            self.pred[i] = arc;
            self.heap.push(Reverse((d.key(), v)));
        }
    }

    /// The distance of `v` found by the last run (`None` if not reached).
    pub fn distance(&self, v: u32) -> Option<D> {
        (self.stamp[v as usize] == self.round).then(|| self.dist[v as usize])
    }

    /// Whether the last run settled `v` (its distance is final).
    pub fn is_settled(&self, v: u32) -> bool {
        self.settled[v as usize] == self.round
    }

    /// The arc into `v` on its shortest path ([`NO_ARC`] for a source or a node not reached).
    pub fn pred(&self, v: u32) -> u32 {
        if self.stamp[v as usize] == self.round { self.pred[v as usize] } else { NO_ARC }
    }

    /// The nodes settled by the last run, in settle order.
    pub fn order(&self) -> &[u32] {
        &self.order
    }

    /// The arcs of the path to `target` (source first); `tail(arc)` gives an arc's tail.
    pub fn path(&self, target: u32, tail: impl Fn(u32) -> u32) -> Vec<u32> {
        let mut arcs = Vec::new();
        let mut v = target;
        while self.pred(v) != NO_ARC {
            let a = self.pred(v);
            arcs.push(a);
            v = tail(a);
        }
        arcs.reverse();
        arcs
    }
}
