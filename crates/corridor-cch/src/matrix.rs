//! Many-to-many distance matrices with buckets on elimination-tree paths.
//!
//! For every target `t`, the backward search (the root path of `t` with backward weights) leaves
//! an entry `(t, distance to t)` in the bucket of every node it reaches. For every source `s`,
//! the forward search walks the root path of `s` and, at each node `x`, combines its distance
//! with every entry of `x`'s bucket. A shortest `s`-`t` path in a CCH goes up to a common
//! ancestor and down again, so the minimum over the buckets is exact.
//!
//! Buckets are stored as one CSR array sorted by node and, within a node, by target index, so
//! a source's row is written in ascending order. Rows are independent: [`matrix_parallel`]
//! computes them on the rayon pool.

use crate::cch::NONE;
use crate::graph::INF;
use crate::metric::CchMetric;

/// Targets' backward search spaces, grouped by node.
struct Buckets {
    /// Bucket of rank `x` is `first[x]..first[x + 1]` — only over the ranks that occur, via `slot`.
    slot: Vec<u32>,
    first: Vec<u32>,
    target: Vec<u32>,
    dist: Vec<u32>,
}

/// Distances from every source to every target (input node ids), row-major
/// (`result[i * targets.len() + j]` is from `sources[i]` to `targets[j]`), `INF` if unreachable.
///
/// ```
/// use corridor_cch::{Cch, CchMetric, Graph, INF, matrix, nested_dissection_order};
/// let g = Graph::from_arcs(3, &[(0, 1, 4), (1, 2, 3)], vec![0.0; 3], vec![0.0, 1.0, 2.0]);
/// let cch = Cch::new(&g, &nested_dissection_order(&g));
/// let metric = CchMetric::new(&cch, &g.weight);
/// assert_eq!(matrix(&metric, &[0, 2], &[1, 2]), vec![4, 7, INF, 0]);
/// ```
pub fn matrix(metric: &CchMetric<'_>, sources: &[u32], targets: &[u32]) -> Vec<u32> {
    let buckets = Buckets::new(metric, targets);
    let mut out = vec![INF; sources.len() * targets.len()];
    if targets.is_empty() {
        return out;
    }
    let mut fd = vec![INF; metric.cch.node_count()];
    for (row, &s) in out.chunks_mut(targets.len()).zip(sources) {
        buckets.row(metric, &mut fd, s, row);
    }
    out
}

/// Like [`matrix`], computing the rows on the rayon pool (same result).
pub fn matrix_parallel(metric: &CchMetric<'_>, sources: &[u32], targets: &[u32]) -> Vec<u32> {
    use rayon::prelude::*;
    let buckets = Buckets::new(metric, targets);
    let mut out = vec![INF; sources.len() * targets.len()];
    if targets.is_empty() {
        return out;
    }
    let n = metric.cch.node_count();
    out.par_chunks_mut(targets.len())
        .zip(sources.par_iter())
        .for_each_init(|| vec![INF; n], |fd, (row, &s)| buckets.row(metric, fd, s, row));
    out
}

impl Buckets {
    fn new(metric: &CchMetric<'_>, targets: &[u32]) -> Buckets {
        let cch = metric.cch;
        let bw = metric.view(false);
        let n = cch.node_count();
        let mut bd = vec![INF; n];
        // (rank, target index, distance) of every bucket entry.
        let mut entries: Vec<(u32, u32, u32)> = Vec::new();
        for (j, &t) in targets.iter().enumerate() {
            let t = cch.rank[t as usize];
            bd[t as usize] = 0;
            let mut y = t;
            while y != NONE {
                let d = bd[y as usize];
                if d != INF {
                    entries.push((y, j as u32, d));
                    for a in bw.range(y) {
                        let h = bw.head[a] as usize;
                        let nd = d.saturating_add(bw.weight[a]);
                        if nd < bd[h] {
                            bd[h] = nd;
                        }
                    }
                }
                y = cch.parent[y as usize];
            }
            let mut y = t;
            while y != NONE {
                bd[y as usize] = INF;
                y = cch.parent[y as usize];
            }
        }
        // Counting sort by rank (stable, so targets stay ascending within a bucket); only ranks
        // that occur get a slot, which keeps `first` small when there are few targets.
        let mut slot = vec![NONE; n];
        let mut used = 0u32;
        let mut count: Vec<u32> = Vec::new();
        for &(x, _, _) in &entries {
            if slot[x as usize] == NONE {
                slot[x as usize] = used;
                used += 1;
                count.push(0);
            }
            count[slot[x as usize] as usize] += 1;
        }
        let mut first = vec![0u32; used as usize + 1];
        for i in 0..used as usize {
            first[i + 1] = first[i] + count[i];
        }
        let mut pos = first[..used as usize].to_vec();
        let mut target = vec![0u32; entries.len()];
        let mut dist = vec![0u32; entries.len()];
        for &(x, j, d) in &entries {
            let s = slot[x as usize] as usize;
            target[pos[s] as usize] = j;
            dist[pos[s] as usize] = d;
            pos[s] += 1;
        }
        Buckets { slot, first, target, dist }
    }

    /// Fills `row` with the distances from input node `s`; `fd` is all-`INF` scratch and is
    /// left all-`INF`.
    fn row(&self, metric: &CchMetric<'_>, fd: &mut [u32], s: u32, row: &mut [u32]) {
        let cch = metric.cch;
        let fw = metric.view(true);
        let s = cch.rank[s as usize];
        fd[s as usize] = 0;
        let mut x = s;
        while x != NONE {
            let d = fd[x as usize];
            if d != INF {
                let b = self.slot[x as usize];
                if b != NONE {
                    let r = self.first[b as usize] as usize..self.first[b as usize + 1] as usize;
                    for (&j, &dt) in self.target[r.clone()].iter().zip(&self.dist[r]) {
                        let cell = &mut row[j as usize];
                        *cell = (*cell).min(d.saturating_add(dt));
                    }
                }
                for a in fw.range(x) {
                    let h = fw.head[a] as usize;
                    let nd = d.saturating_add(fw.weight[a]);
                    if nd < fd[h] {
                        fd[h] = nd;
                    }
                }
            }
            x = cch.parent[x as usize];
        }
        let mut x = s;
        while x != NONE {
            fd[x as usize] = INF;
            x = cch.parent[x as usize];
        }
    }
}
