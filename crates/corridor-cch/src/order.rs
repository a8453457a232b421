//! Metric-independent node order: nested dissection with inertial-flow separators.
//!
//! This follows RoutingKit's approach (Schild and Sommer's inertial flow): for a connected
//! piece of the graph, project the node coordinates on four directions (north, east and the two
//! diagonals); for each, the first and last quarter of the nodes along the direction become
//! sources and sinks of a unit-capacity max-flow problem on the undirected graph. The direction
//! with the smallest cut wins; the endpoints of the cut edges on one side form the node
//! separator. The separator is ranked above both halves, which are ordered recursively. Pieces
//! that fall apart into several components are ordered component by component, which needs no
//! separator at all.
//!
//! Max flow is Dinic's algorithm with unit capacities: cuts on road graphs are small (tens of
//! edges), so a few BFS phases suffice. Everything is deterministic: ties in the projections
//! are broken by node id, and the two halves, computed in parallel with rayon, are concatenated
//! in a fixed order.

use crate::graph::Graph;

/// Subproblems smaller than this are not split across rayon tasks (the task overhead would
/// dominate).
const PARALLEL_THRESHOLD: usize = 4096;

/// Fraction of the nodes (by projection) that become sources, and sinks. A quarter keeps every
/// cut between 25 % and 75 % of the piece, so the recursion depth is logarithmic.
const BALANCE: f64 = 0.25;

/// Computes a nested-dissection order of `graph`: `order[rank] = node`. Arc directions and
/// weights are ignored; only the topology and the coordinates matter.
///
/// ```
/// use corridor_cch::{Graph, nested_dissection_order};
/// let g = Graph::from_arcs(3, &[(0, 1, 5), (1, 2, 5)], vec![0.0, 0.0, 0.0], vec![0.0, 1.0, 2.0]);
/// let order = nested_dissection_order(&g);
/// assert_eq!(order.len(), 3);
/// assert_eq!(order[2], 1); // the middle of a path separates it
/// ```
pub fn nested_dissection_order(graph: &Graph) -> Vec<u32> {
    let n = graph.node_count();
    // Symmetric simple graph: every undirected edge once per direction, no loops.
    let mut edges: Vec<(u32, u32)> = Vec::with_capacity(graph.arc_count());
    for u in 0..n as u32 {
        for a in graph.arcs(u) {
            let v = graph.head[a];
            if u != v {
                edges.push((u.min(v), u.max(v)));
            }
        }
    }
    edges.sort_unstable();
    edges.dedup();
    let mut arcs: Vec<(u32, u32)> = Vec::with_capacity(edges.len() * 2);
    for &(u, v) in &edges {
        arcs.push((u, v));
        arcs.push((v, u));
    }
    drop(edges);
    arcs.sort_unstable();
    let mut first_out = vec![0u32; n + 1];
    for &(u, _) in &arcs {
        first_out[u as usize + 1] += 1;
    }
    for i in 0..n {
        first_out[i + 1] += first_out[i];
    }
    let sub = Sub {
        head: arcs.iter().map(|&(_, v)| v).collect(),
        first_out,
        lat: graph.lat.iter().map(|&x| x as f32).collect(),
        lon: graph.lon.iter().map(|&x| x as f32).collect(),
        global: (0..n as u32).collect(),
    };
    drop(arcs);
    let mut order = Vec::with_capacity(n);
    dissect(sub, &mut order);
    debug_assert_eq!(order.len(), n);
    order
}

/// A piece of the symmetric graph with local ids `0..k` (adjacency sorted by head).
struct Sub {
    first_out: Vec<u32>,
    head: Vec<u32>,
    lat: Vec<f32>,
    lon: Vec<f32>,
    /// Original node id of each local node.
    global: Vec<u32>,
}

impl Sub {
    fn len(&self) -> usize {
        self.global.len()
    }

    fn arcs(&self, u: usize) -> std::ops::Range<usize> {
        self.first_out[u] as usize..self.first_out[u + 1] as usize
    }

    /// The induced subgraph on the local nodes with `keep[u]`; new ids follow old ids in
    /// increasing order, so adjacency lists stay sorted.
    fn induced(&self, nodes: &[u32], new_id: &mut [u32]) -> Sub {
        for (i, &u) in nodes.iter().enumerate() {
            new_id[u as usize] = i as u32;
        }
        let mut first_out = Vec::with_capacity(nodes.len() + 1);
        first_out.push(0u32);
        let mut head = Vec::new();
        for &u in nodes {
            for a in self.arcs(u as usize) {
                let v = self.head[a] as usize;
                if new_id[v] != u32::MAX {
                    head.push(new_id[v]);
                }
            }
            first_out.push(head.len() as u32);
        }
        let sub = Sub {
            first_out,
            head,
            lat: nodes.iter().map(|&u| self.lat[u as usize]).collect(),
            lon: nodes.iter().map(|&u| self.lon[u as usize]).collect(),
            global: nodes.iter().map(|&u| self.global[u as usize]).collect(),
        };
        for &u in nodes {
            new_id[u as usize] = u32::MAX;
        }
        sub
    }

    /// Connected components, each as a sorted list of local ids, in order of their smallest id.
    fn components(&self) -> Vec<Vec<u32>> {
        let k = self.len();
        let mut comp = vec![u32::MAX; k];
        let mut out = Vec::new();
        let mut stack = Vec::new();
        for s in 0..k {
            if comp[s] != u32::MAX {
                continue;
            }
            let c = out.len() as u32;
            let mut members = vec![s as u32];
            comp[s] = c;
            stack.push(s);
            while let Some(u) = stack.pop() {
                for a in self.arcs(u) {
                    let v = self.head[a] as usize;
                    if comp[v] == u32::MAX {
                        comp[v] = c;
                        members.push(v as u32);
                        stack.push(v);
                    }
                }
            }
            members.sort_unstable();
            out.push(members);
        }
        out
    }
}

/// Appends the order of `sub` (lowest rank first) to `out`.
fn dissect(sub: Sub, out: &mut Vec<u32>) {
    let k = sub.len();
    if k <= 2 {
        out.extend_from_slice(&sub.global);
        return;
    }
    let comps = sub.components();
    if comps.len() > 1 {
        let mut new_id = vec![u32::MAX; k];
        for c in comps {
            if c.len() <= 2 {
                out.extend(c.iter().map(|&u| sub.global[u as usize]));
            } else {
                dissect(sub.induced(&c, &mut new_id), out);
            }
        }
        return;
    }
    let (side, sep) = separator(&sub);
    // Split the remaining nodes by the flow side; separator nodes go last (highest ranks).
    let mut in_sep = vec![false; k];
    for &s in &sep {
        in_sep[s as usize] = true;
    }
    let a: Vec<u32> = (0..k as u32).filter(|&u| side[u as usize] && !in_sep[u as usize]).collect();
    let b: Vec<u32> = (0..k as u32).filter(|&u| !side[u as usize] && !in_sep[u as usize]).collect();
    let mut new_id = vec![u32::MAX; k];
    let sa = sub.induced(&a, &mut new_id);
    let sb = sub.induced(&b, &mut new_id);
    let sep_global: Vec<u32> = sep.iter().map(|&u| sub.global[u as usize]).collect();
    drop(sub);
    if k >= PARALLEL_THRESHOLD {
        let (oa, ob) = rayon::join(
            || {
                let mut o = Vec::with_capacity(sa.len());
                dissect(sa, &mut o);
                o
            },
            || {
                let mut o = Vec::with_capacity(sb.len());
                dissect(sb, &mut o);
                o
            },
        );
        out.extend_from_slice(&oa);
        out.extend_from_slice(&ob);
    } else {
        dissect(sa, out);
        dissect(sb, out);
    }
    out.extend_from_slice(&sep_global);
}

/// The best inertial-flow separator of a connected piece with at least three nodes:
/// `(source_side, separator)`, where `source_side[u]` says on which side of the cut `u` lies.
fn separator(sub: &Sub) -> (Vec<bool>, Vec<u32>) {
    let dirs: [(f32, f32); 4] = [(1.0, 0.0), (0.0, 1.0), (1.0, 1.0), (1.0, -1.0)];
    let cuts: Vec<Cut> = if sub.len() >= PARALLEL_THRESHOLD {
        use rayon::prelude::*;
        dirs.par_iter().map(|&d| inertial_cut(sub, d)).collect()
    } else {
        dirs.iter().map(|&d| inertial_cut(sub, d)).collect()
    };
    // Smallest separator first, then the most balanced; the first direction wins ties.
    let best = cuts
        .into_iter()
        .min_by_key(|c| {
            let small = c.source_count.min(sub.len() - c.source_count);
            (c.separator.len(), std::cmp::Reverse(small))
        })
        .expect("four directions");
    (best.source_side, best.separator)
}

struct Cut {
    source_side: Vec<bool>,
    source_count: usize,
    separator: Vec<u32>,
}

/// Unit-capacity max flow between the extreme quarters along direction `d`, turned into a node
/// separator.
fn inertial_cut(sub: &Sub, d: (f32, f32)) -> Cut {
    let k = sub.len();
    let mut by_proj: Vec<(f32, u32)> = (0..k).map(|u| (sub.lat[u] * d.0 + sub.lon[u] * d.1, u as u32)).collect();
    let q = ((k as f64 * BALANCE) as usize).max(1);
    let cmp = |x: &(f32, u32), y: &(f32, u32)| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1));
    // Only the two extreme sets are needed, not a full sort.
    by_proj.select_nth_unstable_by(q - 1, cmp);
    let (low, rest) = by_proj.split_at_mut(q);
    let r = rest.len() - q;
    rest.select_nth_unstable_by(r, cmp);
    // 0 = free, 1 = source, 2 = sink.
    let mut role = vec![0u8; k];
    for &(_, u) in low.iter() {
        role[u as usize] = 1;
    }
    for &(_, u) in &rest[r..] {
        role[u as usize] = 2;
    }
    let mut flow = Flow::new(sub, role);
    flow.run();
    let side: Vec<bool> = flow.level.iter().map(|&l| l >= 0).collect();
    let source_count = side.iter().filter(|&&s| s).count();
    // Endpoints of cut edges on each side; the smaller set is the node separator.
    let mut on_source = Vec::new();
    let mut on_sink = Vec::new();
    let mut mark = vec![false; k];
    for u in 0..k {
        if !side[u] {
            continue;
        }
        for a in sub.arcs(u) {
            let v = sub.head[a] as usize;
            if !side[v] {
                if !mark[u] {
                    mark[u] = true;
                    on_source.push(u as u32);
                }
                if !mark[v] {
                    mark[v] = true;
                    on_sink.push(v as u32);
                }
            }
        }
    }
    let source_small = source_count.min(k - source_count);
    let separator = if on_source.len() < on_sink.len()
        || (on_source.len() == on_sink.len() && source_count > k - source_count)
        || source_small == 0
    {
        on_source
    } else {
        on_sink
    };
    let mut separator = separator;
    separator.sort_unstable();
    Cut { source_side: side, source_count, separator }
}

/// Dinic's max flow on the undirected unit-capacity graph of a [`Sub`], with a super source
/// attached to all nodes of role 1 and a super sink to all nodes of role 2.
struct Flow<'a> {
    sub: &'a Sub,
    role: Vec<u8>,
    /// Flow on each arc in its direction: -1, 0 or 1 (`flow[twin] == -flow[a]`).
    flow: Vec<i8>,
    twin: Vec<u32>,
    /// BFS level, -1 if not reached; after the last phase, `>= 0` marks the source side.
    level: Vec<i32>,
    next_arc: Vec<u32>,
    queue: Vec<u32>,
}

impl<'a> Flow<'a> {
    fn new(sub: &'a Sub, role: Vec<u8>) -> Self {
        let k = sub.len();
        let mut twin = vec![0u32; sub.head.len()];
        for u in 0..k {
            for a in sub.arcs(u) {
                let v = sub.head[a] as usize;
                let r = sub.arcs(v);
                let pos = sub.head[r.clone()].binary_search(&(u as u32)).expect("symmetric graph");
                twin[a] = (r.start + pos) as u32;
            }
        }
        Flow {
            sub,
            role,
            flow: vec![0; sub.head.len()],
            twin,
            level: vec![-1; k],
            next_arc: vec![0; k],
            queue: Vec::with_capacity(k),
        }
    }

    #[inline]
    fn residual(&self, a: usize) -> bool {
        self.flow[a] < 1
    }

    /// BFS from all sources over residual arcs; true if a sink was reached.
    fn bfs(&mut self) -> bool {
        self.level.fill(-1);
        self.queue.clear();
        for u in 0..self.sub.len() {
            if self.role[u] == 1 {
                self.level[u] = 0;
                self.queue.push(u as u32);
            }
        }
        let mut found = false;
        let mut i = 0;
        while i < self.queue.len() {
            let u = self.queue[i] as usize;
            i += 1;
            if self.role[u] == 2 {
                found = true;
                // Sinks are not expanded: paths end at the first sink.
                continue;
            }
            for a in self.sub.arcs(u) {
                let v = self.sub.head[a] as usize;
                if self.level[v] < 0 && self.residual(a) {
                    self.level[v] = self.level[u] + 1;
                    self.queue.push(v as u32);
                }
            }
        }
        found
    }

    fn run(&mut self) {
        let mut stack: Vec<u32> = Vec::new(); // arcs of the current path
        while self.bfs() {
            for u in 0..self.sub.len() {
                self.next_arc[u] = self.sub.first_out[u];
            }
            for s in 0..self.sub.len() {
                if self.role[s] != 1 {
                    continue;
                }
                // Iterative DFS along level-increasing residual arcs; dead ends are pruned by
                // advancing `next_arc`, so each phase is O(m + flow * path length).
                loop {
                    let u = stack.last().map_or(s, |&a| self.sub.head[a as usize] as usize);
                    if self.role[u] == 2 && !stack.is_empty() {
                        for &a in &stack {
                            self.flow[a as usize] += 1;
                            self.flow[self.twin[a as usize] as usize] -= 1;
                        }
                        stack.clear();
                        continue;
                    }
                    let end = self.sub.first_out[u + 1];
                    let mut advanced = false;
                    while self.next_arc[u] < end {
                        let a = self.next_arc[u] as usize;
                        let v = self.sub.head[a] as usize;
                        if self.residual(a) && self.level[v] == self.level[u] + 1 {
                            stack.push(a as u32);
                            advanced = true;
                            break;
                        }
                        self.next_arc[u] += 1;
                    }
                    if !advanced {
                        // Dead end: retreat and skip the arc that led here.
                        match stack.pop() {
                            None => break,
                            Some(a) => {
                                let t = self.sub.head[self.twin[a as usize] as usize] as usize;
                                self.next_arc[t] += 1;
                            }
                        }
                    }
                }
            }
        }
    }
}
