//! The metric-independent part of a CCH: the chordal supergraph of the input graph under a
//! node order, its elimination tree, the downward (transposed) adjacency used to enumerate
//! lower triangles, and the map from input arcs to CCH arcs.
//!
//! All node ids inside a [`Cch`] are *ranks* (position in the order), so that "upward" simply
//! means "to a larger id" and the search spaces of queries, which climb towards the top of the
//! order, touch a compact tail of every array.

use crate::array::U32Array;
use crate::graph::Graph;

/// Marks a missing node or arc (elimination-tree root, loop arc).
pub(crate) const NONE: u32 = u32::MAX;

/// The immutable, metric-independent index (`Sync`; share it between threads).
///
/// Build it once per topology with [`Cch::new`]; derive one [`crate::CchMetric`] per weighting.
#[derive(Clone, Debug)]
pub struct Cch {
    /// `order[rank] = node`.
    pub(crate) order: U32Array,
    /// `rank[node]`.
    pub(crate) rank: U32Array,
    /// Upward arcs of rank `x`: `first_out[x]..first_out[x + 1]`, heads ascending and `> x`.
    pub(crate) first_out: U32Array,
    pub(crate) head: U32Array,
    /// Tail of every upward arc (for path reconstruction).
    pub(crate) tail: U32Array,
    /// Elimination-tree parent (the lowest upper neighbour), [`NONE`] for roots.
    pub(crate) parent: U32Array,
    /// Downward adjacency: for rank `y`, the arcs `x -> y` with `x < y`, sorted by `x`.
    pub(crate) down_first: U32Array,
    pub(crate) down_tail: U32Array,
    pub(crate) down_arc: U32Array,
    /// For every input arc: `cch_arc << 1 | backward`, or [`NONE`] for loops.
    pub(crate) input_map: U32Array,
    /// The input graph's CSR (node ids), to find the input arcs behind a CCH arc when a path
    /// is unpacked.
    pub(crate) input_first_out: U32Array,
    pub(crate) input_head: U32Array,
    /// Nodes grouped by elimination-tree height (leaves first), for parallel customization.
    pub(crate) level_first: U32Array,
    pub(crate) level_nodes: U32Array,
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
            order: order.to_vec().into(),
            rank: rank.into(),
            first_out: first_out.into(),
            head: head.into(),
            tail: tail.into(),
            parent: parent.into(),
            down_first: down_first.into(),
            down_tail: down_tail.into(),
            down_arc: down_arc.into(),
            input_map: input_map.into(),
            input_first_out: graph.first_out.clone().into(),
            input_head: graph.head.clone().into(),
            level_first: level_first.into(),
            level_nodes: level_nodes.into(),
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

    /// Heap bytes the index owns, for reports (arrays borrowed from a mapped file count 0;
    /// see [`Cch::bytes`]).
    pub fn heap_bytes(&self) -> usize {
        self.fields().iter().map(|a| a.heap_bytes()).sum()
    }

    /// Bytes of all the index's arrays, owned or mapped.
    pub fn bytes(&self) -> usize {
        self.fields().iter().map(|a| 4 * a.len()).sum()
    }

    fn fields(&self) -> [&U32Array; 14] {
        [
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
    }

    /// The index's arrays, to store (a snapshot writes them so that loading maps them instead
    /// of building the CCH again).
    pub fn arrays(&self) -> CchArrays<&[u32]> {
        CchArrays {
            order: &self.order,
            rank: &self.rank,
            first_out: &self.first_out,
            head: &self.head,
            tail: &self.tail,
            parent: &self.parent,
            down_first: &self.down_first,
            down_tail: &self.down_tail,
            down_arc: &self.down_arc,
            input_map: &self.input_map,
            input_first_out: &self.input_first_out,
            input_head: &self.input_head,
            level_first: &self.level_first,
            level_nodes: &self.level_nodes,
        }
    }

    /// Rebuilds an index from stored arrays (typically borrowed from a memory-mapped file),
    /// after checking every invariant the customization and the queries rely on, in time linear
    /// in the arrays (plus a binary search per triangle edge for chordality): a damaged or
    /// crafted file gives an error, never a wrong answer, a panic or an out-of-bounds access.
    pub fn from_arrays(a: CchArrays<U32Array>) -> Result<Cch, CchError> {
        check_arrays(&a)?;
        Ok(Cch {
            order: a.order,
            rank: a.rank,
            first_out: a.first_out,
            head: a.head,
            tail: a.tail,
            parent: a.parent,
            down_first: a.down_first,
            down_tail: a.down_tail,
            down_arc: a.down_arc,
            input_map: a.input_map,
            input_first_out: a.input_first_out,
            input_head: a.input_head,
            level_first: a.level_first,
            level_nodes: a.level_nodes,
        })
    }
}

/// The arrays of a [`Cch`], by name (see the fields of [`Cch`] for their meaning): `&[u32]`
/// to store them, [`U32Array`] to load them.
#[derive(Clone, Debug)]
#[allow(missing_docs)]
pub struct CchArrays<A> {
    pub order: A,
    pub rank: A,
    pub first_out: A,
    pub head: A,
    pub tail: A,
    pub parent: A,
    pub down_first: A,
    pub down_tail: A,
    pub down_arc: A,
    pub input_map: A,
    pub input_first_out: A,
    pub input_head: A,
    pub level_first: A,
    pub level_nodes: A,
}

/// Why stored arrays are not a valid [`Cch`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid CCH arrays: {0}")]
pub struct CchError(pub String);

/// Checks that `first` is a CSR offset array of `nodes + 1` entries ending at `len`.
fn check_csr(name: &str, first: &[u32], nodes: usize, len: usize) -> Result<(), CchError> {
    if first.len() != nodes + 1
        || first[0] != 0
        || first[nodes] as usize != len
        || first.windows(2).any(|w| w[0] > w[1])
    {
        return Err(CchError(format!("{name} is not a CSR offset array of {nodes} nodes and {len} entries")));
    }
    Ok(())
}

fn check_arrays(a: &CchArrays<U32Array>) -> Result<(), CchError> {
    let bad = |what: &str| Err(CchError(what.to_string()));
    let n = a.order.len();
    let m = a.head.len();
    let inputs = a.input_head.len();
    if n >= NONE as usize || m >= NONE as usize / 2 || inputs >= NONE as usize {
        return bad("too many nodes or arcs");
    }
    for (name, len, want) in [
        ("rank", a.rank.len(), n),
        ("parent", a.parent.len(), n),
        ("tail", a.tail.len(), m),
        ("down_tail", a.down_tail.len(), m),
        ("down_arc", a.down_arc.len(), m),
        ("input_map", a.input_map.len(), inputs),
        ("level_nodes", a.level_nodes.len(), n),
    ] {
        if len != want {
            return Err(CchError(format!("{name} has {len} entries, expected {want}")));
        }
    }
    // The order is a permutation and `rank` its inverse.
    for (r, &v) in a.order.iter().enumerate() {
        if v as usize >= n || a.rank[v as usize] as usize != r {
            return bad("rank is not the inverse of the order");
        }
    }
    // Upward arcs: heads strictly ascending above their tail; tails and parents consistent.
    check_csr("first_out", &a.first_out, n, m)?;
    for x in 0..n {
        let r = a.first_out[x] as usize..a.first_out[x + 1] as usize;
        let heads = &a.head[r.clone()];
        if heads.first().is_some_and(|&y| y as usize <= x)
            || heads.last().is_some_and(|&y| y as usize >= n)
            || heads.windows(2).any(|w| w[0] >= w[1])
            || a.tail[r].iter().any(|&t| t as usize != x)
        {
            return Err(CchError(format!("the upward arcs of rank {x} are not ascending above it")));
        }
        if a.parent[x] != heads.first().copied().unwrap_or(NONE) {
            return Err(CchError(format!("the parent of rank {x} is not its lowest upper neighbour")));
        }
    }
    // Chordality: the upper neighbours of x other than its parent p are upper neighbours of p.
    // Customization and the perfect pass index arcs through this property.
    for x in 0..n {
        let r = a.first_out[x] as usize..a.first_out[x + 1] as usize;
        if r.len() < 2 {
            continue;
        }
        let p = a.head[r.start] as usize;
        let up_p = &a.head[a.first_out[p] as usize..a.first_out[p + 1] as usize];
        if a.head[r.start + 1..r.end].iter().any(|z| up_p.binary_search(z).is_err()) {
            return Err(CchError(format!("the arcs of rank {x} are not closed under elimination (not chordal)")));
        }
    }
    // Downward adjacency: each upward arc once, grouped by head, tails ascending.
    check_csr("down_first", &a.down_first, n, m)?;
    for y in 0..n {
        let r = a.down_first[y] as usize..a.down_first[y + 1] as usize;
        for d in r.clone() {
            let arc = a.down_arc[d] as usize;
            if arc >= m || a.head[arc] as usize != y || a.tail[arc] != a.down_tail[d] {
                return Err(CchError(format!("downward entry {d} does not name an arc into rank {y}")));
            }
        }
        if a.down_tail[r].windows(2).any(|w| w[0] >= w[1]) {
            return Err(CchError(format!("the downward arcs of rank {y} are not ascending")));
        }
    }
    // Input graph and its map onto CCH arcs.
    check_csr("input_first_out", &a.input_first_out, n, inputs)?;
    for u in 0..n {
        for i in a.input_first_out[u] as usize..a.input_first_out[u + 1] as usize {
            let v = a.input_head[i] as usize;
            if v >= n {
                return Err(CchError(format!("input arc {i} has an out-of-range head")));
            }
            let (x, y) = (a.rank[u], a.rank[v]);
            let code = a.input_map[i];
            let ok = match x.cmp(&y) {
                std::cmp::Ordering::Equal => code == NONE,
                ord => {
                    let (lo, hi, back) = if ord.is_lt() { (x, y, 0) } else { (y, x, 1) };
                    let arc = (code >> 1) as usize;
                    code != NONE && code & 1 == back && arc < m && a.tail[arc] == lo && a.head[arc] == hi
                }
            };
            if !ok {
                return Err(CchError(format!("input arc {i} is not mapped onto its CCH arc")));
            }
        }
    }
    // Levels: a permutation of the ranks, each rank on a lower level than its parent (parallel
    // customization relies on children being complete before their parents).
    let levels = a.level_first.len().saturating_sub(1);
    check_csr("level_first", &a.level_first, levels, n)?;
    let mut level = vec![NONE; n];
    for l in 0..levels {
        for &x in &a.level_nodes[a.level_first[l] as usize..a.level_first[l + 1] as usize] {
            if x as usize >= n || level[x as usize] != NONE {
                return bad("level_nodes is not a permutation of the ranks");
            }
            level[x as usize] = l as u32;
        }
    }
    if (0..n).any(|x| a.parent[x] != NONE && level[a.parent[x] as usize] <= level[x]) {
        return bad("a rank is not on a lower level than its parent");
    }
    Ok(())
}
