//! Exact one-to-one queries on a customized CCH by elimination-tree search, and path unpacking.
//!
//! In a CCH every upper neighbour of a node is an elimination-tree ancestor, so the upward
//! search space of `s` is exactly the path from `s` to the root. The query walks the two paths
//! of `s` and `t` (always advancing the lower of the two, so the shared part above their lowest
//! common ancestor is walked once, in step), relaxes the upward arcs of every node on them, and
//! takes the best `forward + backward` distance over the common ancestors. No priority queue is
//! needed. A node whose tentative distance already reaches the best total is not relaxed.
//!
//! Scratch distances are reset by walking the two paths again, so the reset costs as much as
//! the search touched, never `O(n)`.

use crate::cch::NONE;
use crate::graph::INF;
use crate::metric::{CchMetric, UpView};

/// Per-thread query scratch space for one [`CchMetric`].
///
/// ```
/// use corridor_cch::{Cch, CchMetric, CchQuery, Graph, nested_dissection_order};
/// let g = Graph::from_arcs(3, &[(0, 1, 4), (1, 2, 3), (0, 2, 10)], vec![0.0; 3], vec![0.0, 1.0, 2.0]);
/// let cch = Cch::new(&g, &nested_dissection_order(&g));
/// let metric = CchMetric::new(&cch, &g.weight);
/// let mut q = CchQuery::new(&metric);
/// assert_eq!(q.distance(0, 2), Some(7));
/// assert_eq!(q.path(), vec![0, 2]); // CSR arc ids: 0->1 is arc 0, 1->2 is arc 2
/// ```
pub struct CchQuery<'m, 'c> {
    metric: &'m CchMetric<'c>,
    fd: Vec<u32>,
    bd: Vec<u32>,
    fpred: Vec<u32>,
    bpred: Vec<u32>,
    /// Ranks of the last query's endpoints and meeting node ([`NONE`] if unreachable).
    last: (u32, u32, u32),
    /// Unpacking scratch (kept to avoid allocating per path).
    stack: Vec<(u32, bool)>,
    up_part: Vec<u32>,
}

impl<'m, 'c> CchQuery<'m, 'c> {
    /// Allocates the scratch space (four `u32` per node), once per thread.
    pub fn new(metric: &'m CchMetric<'c>) -> Self {
        let n = metric.cch.node_count();
        CchQuery {
            metric,
            fd: vec![INF; n],
            bd: vec![INF; n],
            fpred: vec![NONE; n],
            bpred: vec![NONE; n],
            last: (NONE, NONE, NONE),
            stack: Vec::new(),
            up_part: Vec::new(),
        }
    }

    /// The shortest distance from node `s` to node `t` (input node ids), `None` if unreachable.
    pub fn distance(&mut self, s: u32, t: u32) -> Option<u32> {
        let cch = self.metric.cch;
        let (fw, bw) = (self.metric.view(true), self.metric.view(false));
        let (s, t) = (cch.rank[s as usize], cch.rank[t as usize]);
        let (fd, bd) = (&mut self.fd[..], &mut self.bd[..]);
        fd[s as usize] = 0;
        bd[t as usize] = 0;
        let (mut x, mut y) = (s, t);
        // Below the lowest common ancestor the paths are disjoint: no total exists yet, so
        // there is nothing to prune against.
        while x != y {
            if x < y {
                relax(fw, fd, &mut self.fpred, x);
                x = cch.parent[x as usize];
            } else {
                relax(bw, bd, &mut self.bpred, y);
                y = cch.parent[y as usize];
            }
        }
        let mut best = INF;
        let mut meet = NONE;
        while x != NONE {
            let (df, db) = (fd[x as usize], bd[x as usize]);
            let total = df.saturating_add(db);
            if total < best {
                best = total;
                meet = x;
            }
            if df < best {
                relax(fw, fd, &mut self.fpred, x);
            }
            if db < best {
                relax(bw, bd, &mut self.bpred, x);
            }
            x = cch.parent[x as usize];
        }
        // Reset: everything touched lies on the two root paths.
        let mut x = s;
        while x != NONE {
            fd[x as usize] = INF;
            x = cch.parent[x as usize];
        }
        let mut y = t;
        while y != NONE {
            bd[y as usize] = INF;
            y = cch.parent[y as usize];
        }
        self.last = (s, t, meet);
        (best != INF).then_some(best)
    }

    /// The input arcs (ids in the input graph's arc order) of the shortest path found by the
    /// last [`CchQuery::distance`] call, from source to target; empty if unreachable or `s == t`.
    pub fn path(&mut self) -> Vec<u32> {
        let mut out = Vec::new();
        self.path_into(&mut out);
        out
    }

    /// Like [`CchQuery::path`], appending to `out` (reuse it to avoid allocation).
    pub fn path_into(&mut self, out: &mut Vec<u32>) {
        let (s, t, meet) = self.last;
        if meet == NONE {
            return;
        }
        let cch = self.metric.cch;
        // Upward part s -> meet, collected backwards from meet.
        let mut up_part = std::mem::take(&mut self.up_part);
        up_part.clear();
        let mut v = meet;
        while v != s {
            let a = self.fpred[v as usize];
            up_part.push(a);
            v = cch.tail[a as usize];
        }
        for &a in up_part.iter().rev() {
            self.unpack(a, true, out);
        }
        self.up_part = up_part;
        // Downward part meet -> t.
        let mut v = meet;
        while v != t {
            let a = self.bpred[v as usize];
            self.unpack(a, false, out);
            v = cch.tail[a as usize];
        }
    }

    /// Appends the input arcs of CCH arc `a` in direction `forward` (tail to head) or backward.
    ///
    /// The metric keeps no unpacking data: an arc of weight `w` is an input arc of that weight
    /// mapped onto it, or else a lower triangle `y - x - z` whose two arcs add up to `w` (one
    /// exists, as customization built `w` from one, and after perfect customization from kept
    /// arcs). Every arc pushed has a lower tail than the one popped, so this ends.
    fn unpack(&mut self, a: u32, forward: bool, out: &mut Vec<u32>) {
        let (m, cch) = (self.metric, self.metric.cch);
        self.stack.clear();
        self.stack.push((a, forward));
        while let Some((a, forward)) = self.stack.pop() {
            let (y, z) = (cch.tail[a as usize], cch.head[a as usize]);
            let w = if forward { m.fw[a as usize] } else { m.bw[a as usize] };
            // An input arc: from node(y) to node(z) forward, node(z) to node(y) backward.
            let (u, v) = if forward { (y, z) } else { (z, y) };
            let (u, v) = (cch.order[u as usize], cch.order[v as usize]);
            let code = (a << 1) | u32::from(!forward);
            let arcs = cch.input_first_out[u as usize]..cch.input_first_out[u as usize + 1];
            if let Some(i) = arcs.into_iter().find(|&i| {
                cch.input_head[i as usize] == v && cch.input_map[i as usize] == code && m.input[i as usize] == w
            }) {
                out.push(i);
                continue;
            }
            // Triangle y - x - z with x below both: y -> z is (y -> x) + (x -> z).
            let found = (cch.down_first[y as usize]..cch.down_first[y as usize + 1]).find_map(|d| {
                let (x, a_xy) = (cch.down_tail[d as usize], cch.down_arc[d as usize] as usize);
                let a_xz = cch.arc_between(x, z)?;
                let sum =
                    if forward { m.bw[a_xy].saturating_add(m.fw[a_xz]) } else { m.bw[a_xz].saturating_add(m.fw[a_xy]) };
                (sum == w).then_some((a_xy as u32, a_xz as u32))
            });
            // None only if the metric were inconsistent; the path is then left short rather
            // than the server panicking.
            let Some((a_xy, a_xz)) = found else { continue };
            // Pushed in reverse, so the first half is unpacked first.
            if forward {
                self.stack.push((a_xz, true));
                self.stack.push((a_xy, false));
            } else {
                self.stack.push((a_xy, true));
                self.stack.push((a_xz, false));
            }
        }
    }
}

/// Relaxes the upward arcs of `x` in `g` into `dist`; `pred` gets the entry index in `g`.
///
/// This is the innermost loop of every query, so it skips bounds checks: heads are ranks
/// `< node_count` by construction of the [`crate::Cch`], and `dist` / `pred` are checked to
/// have `node_count` entries once per call.
#[inline(always)]
fn relax(g: UpView<'_>, dist: &mut [u32], pred: &mut [u32], x: u32) {
    let dx = dist[x as usize];
    if dx == INF {
        return;
    }
    // One check per node instead of two per arc: `g` is over `dist.len()` ranks.
    assert!(g.first.len() == dist.len() + 1 && pred.len() == dist.len());
    let r = g.range(x);
    for (i, (&h, &wa)) in r.clone().zip(g.head[r.clone()].iter().zip(&g.weight[r])) {
        debug_assert!((h as usize) < dist.len());
        let nd = dx.saturating_add(wa);
        // SAFETY: heads of an upward graph are ranks, `< g.first.len() - 1 == dist.len() == pred.len()`.
        unsafe {
            let d = dist.get_unchecked_mut(h as usize);
            if nd < *d {
                *d = nd;
                *pred.get_unchecked_mut(h as usize) = i as u32;
            }
        }
    }
}
