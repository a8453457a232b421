//! Shortest paths over a plain arc list (`(tail, head, weight)` arrays), for reachability, the
//! pricing step of the min-cost flow and path extraction: the weights change every pricing
//! round, so the search runs on this forward-star adjacency with corridor's one Dijkstra
//! (`corridor-dijkstra`) rather than on the router's state-expanded graph.

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
    /// is deterministic (corridor's one Dijkstra, `corridor-dijkstra`).
    pub fn shortest(&self, sources: &[u32], weight: &[f64]) -> (Vec<f64>, Vec<u32>) {
        let n = self.num_nodes();
        let mut d: corridor_dijkstra::Dijkstra<f64> = corridor_dijkstra::Dijkstra::new(n);
        let arcs = |u: u32| {
            let range = self.first[u as usize] as usize..self.first[u as usize + 1] as usize;
            self.arcs[range].iter().map(|&a| (a, self.heads[a as usize], weight[a as usize]))
        };
        d.run(sources, |_| corridor_dijkstra::Visit::Expand, arcs);
        let dist = (0..n as u32).map(|v| d.distance(v).unwrap_or(f64::INFINITY)).collect();
        let pred = (0..n as u32).map(|v| d.pred(v)).collect();
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
