//! The metric-independent part of a CCH: the chordal supergraph of the input graph under a
//! node order, its elimination tree, the downward (transposed) adjacency used to enumerate
//! lower triangles, and the map from input arcs to CCH arcs.
//!
//! All node ids inside a [`Cch`] are *ranks* (position in the order), so that "upward" simply
//! means "to a larger id" and the search spaces of queries, which climb towards the top of the
//! order, touch a compact tail of every array.

use crate::graph::Graph;

/// Marks a missing node or arc (elimination-tree root, loop arc).
pub(crate) const NONE: u32 = u32::MAX;

/// The immutable, metric-independent index (`Sync`; share it between threads).
///
/// Build it once per topology with [`Cch::new`]; derive one [`crate::CchMetric`] per weighting.
#[derive(Clone, Debug)]
pub struct Cch {
    /// `order[rank] = node`.
    pub(crate) order: Vec<u32>,
    /// `rank[node]`.
    pub(crate) rank: Vec<u32>,
    /// Upward arcs of rank `x`: `first_out[x]..first_out[x + 1]`, heads ascending and `> x`.
    pub(crate) first_out: Vec<u32>,
    pub(crate) head: Vec<u32>,
    /// Tail of every upward arc (for path reconstruction).
    pub(crate) tail: Vec<u32>,
    /// Elimination-tree parent (the lowest upper neighbour), [`NONE`] for roots.
    pub(crate) parent: Vec<u32>,
    /// Downward adjacency: for rank `y`, the arcs `x -> y` with `x < y`, sorted by `x`.
    pub(crate) down_first: Vec<u32>,
    pub(crate) down_tail: Vec<u32>,
    pub(crate) down_arc: Vec<u32>,
    /// For every input arc: `cch_arc << 1 | backward`, or [`NONE`] for loops.
    pub(crate) input_map: Vec<u32>,
    /// The input graph's CSR (node ids), to find the input arcs behind a CCH arc when a path
    /// is unpacked.
    pub(crate) input_first_out: Vec<u32>,
    pub(crate) input_head: Vec<u32>,
    /// Nodes grouped by elimination-tree height (leaves first), for parallel customization.
    pub(crate) level_first: Vec<u32>,
    pub(crate) level_nodes: Vec<u32>,
}

impl Cch {
    /// Builds the CCH of `graph`'s topology under `order` (`order[rank] = node`, a permutation,
    /// e.g. from [`crate::nested_dissection_order`]).
    ///
    /// Contraction in order: the upper neighbours of each node, minus its lowest one `p` (its
    /// elimination-tree parent), are merged into `p`'s upper neighbours. The result is the
    /// chordal supergraph, with every shortcut a metric could ever need.
    pub fn new(graph: &Graph, order: &[u32]) -> Cch {
        let n = graph.node_count();
        assert_eq!(order.len(), n, "order must be a permutation of the nodes");
        let mut rank = vec![NONE; n];
        for (r, &v) in order.iter().enumerate() {
            assert!(rank[v as usize] == NONE, "order must be a permutation of the nodes");
            rank[v as usize] = r as u32;
        }
        let mut up: Vec<Vec<u32>> = vec![Vec::new(); n];
        for u in 0..n as u32 {
            for a in graph.arcs(u) {
                let (x, y) = (rank[u as usize], rank[graph.head[a] as usize]);
                if x != y {
                    up[x.min(y) as usize].push(x.max(y));
                }
            }
        }
        let mut parent = vec![NONE; n];
        for x in 0..n {
            let mut list = std::mem::take(&mut up[x]);
            list.sort_unstable();
            list.dedup();
            if let Some(&p) = list.first() {
                parent[x] = p;
                up[p as usize].extend_from_slice(&list[1..]);
            }
            up[x] = list;
        }
        let mut first_out = Vec::with_capacity(n + 1);
        first_out.push(0u32);
        let total: usize = up.iter().map(Vec::len).sum();
        let mut head = Vec::with_capacity(total);
        let mut tail = Vec::with_capacity(total);
        for (x, list) in up.iter_mut().enumerate() {
            head.extend_from_slice(list);
            tail.extend(std::iter::repeat_n(x as u32, list.len()));
            first_out.push(head.len() as u32);
            *list = Vec::new();
        }
        drop(up);

        // Transpose: arcs x -> y grouped by y; scanning x ascending keeps each group sorted by x.
        let mut down_first = vec![0u32; n + 1];
        for &y in &head {
            down_first[y as usize + 1] += 1;
        }
        for i in 0..n {
            down_first[i + 1] += down_first[i];
        }
        let mut pos = down_first[..n].to_vec();
        let mut down_tail = vec![0u32; head.len()];
        let mut down_arc = vec![0u32; head.len()];
        for (a, (&x, &y)) in tail.iter().zip(&head).enumerate() {
            let p = pos[y as usize] as usize;
            down_tail[p] = x;
            down_arc[p] = a as u32;
            pos[y as usize] += 1;
        }

        let find = |x: u32, y: u32| -> u32 {
            let r = first_out[x as usize] as usize..first_out[x as usize + 1] as usize;
            let i = head[r.clone()].binary_search(&y).expect("input arc is in the chordal supergraph");
            (r.start + i) as u32
        };
        let mut input_map = Vec::with_capacity(graph.arc_count());
        for u in 0..n as u32 {
            for a in graph.arcs(u) {
                let (x, y) = (rank[u as usize], rank[graph.head[a] as usize]);
                input_map.push(match x.cmp(&y) {
                    std::cmp::Ordering::Less => find(x, y) << 1,
                    std::cmp::Ordering::Greater => (find(y, x) << 1) | 1,
                    std::cmp::Ordering::Equal => NONE,
                });
            }
        }

        // Elimination-tree heights: children have smaller ranks, so one ascending pass works.
        let mut height = vec![0u32; n];
        for x in 0..n {
            let p = parent[x];
            if p != NONE {
                height[p as usize] = height[p as usize].max(height[x] + 1);
            }
        }
        let levels = height.iter().max().map_or(0, |&h| h as usize + 1);
        let mut level_first = vec![0u32; levels + 1];
        for &h in &height {
            level_first[h as usize + 1] += 1;
        }
        for i in 0..levels {
            level_first[i + 1] += level_first[i];
        }
        let mut pos = level_first[..levels].to_vec();
        let mut level_nodes = vec![0u32; n];
        for (x, &h) in height.iter().enumerate() {
            level_nodes[pos[h as usize] as usize] = x as u32;
            pos[h as usize] += 1;
        }

        Cch {
            order: order.to_vec(),
            rank,
            first_out,
            head,
            tail,
            parent,
            down_first,
            down_tail,
            down_arc,
            input_map,
            input_first_out: graph.first_out.clone(),
            input_head: graph.head.clone(),
            level_first,
            level_nodes,
        }
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.rank.len()
    }

    /// Number of upward arcs of the chordal supergraph (input arcs plus shortcuts, each
    /// undirected pair once).
    pub fn arc_count(&self) -> usize {
        self.head.len()
    }

    /// Number of input arcs this CCH was built for (the length every weight vector must have).
    pub fn input_arc_count(&self) -> usize {
        self.input_map.len()
    }

    /// The node order (`order()[rank] = node`).
    pub fn order(&self) -> &[u32] {
        &self.order
    }

    /// Height of the elimination tree (the longest root-to-leaf path in nodes): the worst case
    /// of a query's search space.
    pub fn elimination_tree_height(&self) -> usize {
        self.level_first.len() - 1
    }

    /// Upward arc range of rank `x`.
    #[inline]
    pub(crate) fn up(&self, x: u32) -> std::ops::Range<usize> {
        self.first_out[x as usize] as usize..self.first_out[x as usize + 1] as usize
    }

    /// The upward arc `x -> y` (`x < y`), if any.
    #[inline]
    pub(crate) fn arc_between(&self, x: u32, y: u32) -> Option<usize> {
        let r = self.up(x);
        self.head[r.clone()].binary_search(&y).ok().map(|i| r.start + i)
    }

    /// Bytes of memory the index holds, for reports.
    pub fn heap_bytes(&self) -> usize {
        4 * [
            &self.order,
            &self.rank,
            &self.first_out,
            &self.head,
            &self.tail,
            &self.parent,
            &self.down_first,
            &self.down_tail,
            &self.down_arc,
            &self.input_map,
            &self.input_first_out,
            &self.input_head,
            &self.level_first,
            &self.level_nodes,
        ]
        .iter()
        .map(|v| v.capacity())
        .sum::<usize>()
    }
}
