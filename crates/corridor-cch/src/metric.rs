//! Customization: the weights of one metric on a [`Cch`].
//!
//! Every upward arc `x -> y` carries two weights: `fw` (travel from `x` up to `y`) and `bw`
//! (travel from `y` down to `x`). They start as the minimum of the input arcs mapped onto the
//! arc, then every *lower triangle* `{x, y, z}` with `x < y < z` improves the arc `y -> z`
//! through `x`. Processing arcs bottom-up makes each arc final before it is used, so after one
//! pass every arc holds the shortest path between its endpoints over lower nodes — exactly what
//! the elimination-tree query needs.
//!
//! The pass is written "pull" style: node `y` reads the arcs of its lower neighbours and writes
//! only its own arcs. Lower neighbours are descendants in the elimination tree, so all nodes of
//! one elimination-tree height can be customized at the same time, which
//! [`CchMetric::new_parallel`] does with rayon.
//!
//! A metric stores only what queries read: two `u32` weights per CCH arc and the input weights
//! (one `u32` per input arc). Paths are unpacked by finding, for each shortcut, a lower
//! triangle or an input arc whose weights add up to the shortcut's (RoutingKit's way), instead
//! of keeping the middle node of every arc: that halves a metric's memory, which is what a
//! server holding one metric per preset profile pays per profile.

use crate::array::U32Array;
use crate::cch::{Cch, CchError, NONE};
use crate::graph::INF;

thread_local! {
    /// Per-thread scratch of [`customize_node`] for parallel customization.
    static SLOT: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Customized weights of one metric on a [`Cch`]; borrow it from any number of
/// [`crate::CchQuery`]s.
#[derive(Clone, Debug)]
pub struct CchMetric<'c> {
    pub(crate) cch: &'c Cch,
    /// Weight of every upward arc `x -> y` travelled upwards; after [`CchMetric::perfect`],
    /// [`INF`] for the arcs no query needs.
    pub(crate) fw: U32Array,
    /// Weight of every upward arc travelled downwards (`y -> x`), likewise.
    pub(crate) bw: U32Array,
    /// The input weights, to tell an input arc from a shortcut when unpacking.
    pub(crate) input: U32Array,
}

/// What a search relaxes: the upward arcs with the weights of one direction (an entry index is
/// the CCH arc id).
#[derive(Clone, Copy)]
pub(crate) struct UpView<'a> {
    pub(crate) first: &'a [u32],
    pub(crate) head: &'a [u32],
    pub(crate) weight: &'a [u32],
}

impl UpView<'_> {
    /// Entry range of rank `x`.
    #[inline(always)]
    pub(crate) fn range(&self, x: u32) -> std::ops::Range<usize> {
        self.first[x as usize] as usize..self.first[x as usize + 1] as usize
    }
}

impl<'c> CchMetric<'c> {
    /// Customizes `cch` for `weights` (one per input arc, in the input graph's arc order; each
    /// `< INF`) on the calling thread.
    ///
    /// Path lengths must stay below `u32::MAX`; longer sums saturate to "unreachable".
    pub fn new(cch: &'c Cch, weights: &[u32]) -> CchMetric<'c> {
        let mut w = input_weights(cch, weights);
        let ptrs = Ptrs { w: w.as_mut_ptr() };
        let mut slot = vec![NONE; cch.node_count()];
        for y in 0..cch.node_count() as u32 {
            // SAFETY: single-threaded, and `w` (behind `ptrs`) is not otherwise used during the
            // loop.
            unsafe { customize_node(cch, &ptrs, &mut slot, y) };
        }
        let (fw, bw) = split(&w);
        CchMetric { cch, fw: fw.into(), bw: bw.into(), input: weights.to_vec().into() }
    }

    /// Like [`CchMetric::new`], but customizes each elimination-tree level in parallel on the
    /// rayon pool. The result is identical (each arc is written by one task, in the same order).
    pub fn new_parallel(cch: &'c Cch, weights: &[u32]) -> CchMetric<'c> {
        use rayon::prelude::*;
        let mut w = input_weights(cch, weights);
        let ptrs = Ptrs { w: w.as_mut_ptr() };
        let n = cch.node_count();
        let mut slot = vec![NONE; n];
        for l in 0..cch.level_first.len() - 1 {
            let nodes = &cch.level_nodes[cch.level_first[l] as usize..cch.level_first[l + 1] as usize];
            // Only the wide levels near the leaves are worth splitting: most of the hundreds of
            // levels near the root hold a handful of nodes, where a rayon fork costs more than
            // it saves (measured: with a threshold of 64 the parallel pass was 2-3x slower than
            // the sequential one on the Eurasia graph with 2 cores).
            if nodes.len() < 2048 {
                for &y in nodes {
                    // SAFETY: see below; here there is only one thread.
                    unsafe { customize_node(cch, &ptrs, &mut slot, y) };
                }
            } else {
                // Each worker thread keeps its own scratch map across levels (it is all-NONE
                // between calls), so no job allocates or clears O(n) memory.
                nodes.par_chunks(nodes.len().div_ceil(2 * rayon::current_num_threads()).max(32)).for_each(|chunk| {
                    SLOT.with(|slot| {
                        let mut slot = slot.borrow_mut();
                        if slot.len() < n {
                            slot.clear();
                            slot.resize(n, NONE);
                        }
                        for &y in chunk {
                            // SAFETY: nodes of one level are distinct, each task writes only the arcs
                            // of its own node `y`, and it reads arcs of lower neighbours of `y`, which
                            // are elimination-tree descendants of `y`, i.e. on lower levels that are
                            // complete. No location is written by one task and touched by another.
                            unsafe { customize_node(cch, &ptrs, &mut slot, y) };
                        }
                    });
                });
            }
        }
        let (fw, bw) = split(&w);
        CchMetric { cch, fw: fw.into(), bw: bw.into(), input: weights.to_vec().into() }
    }

    /// A metric from stored arrays (e.g. mapped from a file that holds customized metrics, as
    /// OSRM's `.cell_metrics`): the lengths are checked; any weight values are safe (searches
    /// saturate, and unpacking a path whose weights do not add up stops short instead of failing).
    pub fn from_arrays(cch: &'c Cch, fw: U32Array, bw: U32Array, input: U32Array) -> Result<CchMetric<'c>, CchError> {
        if fw.len() != cch.arc_count() || bw.len() != cch.arc_count() || input.len() != cch.input_arc_count() {
            return Err(CchError(format!(
                "a metric of {} + {} arc weights and {} input weights for a CCH of {} arcs and {} input arcs",
                fw.len(),
                bw.len(),
                input.len(),
                cch.arc_count(),
                cch.input_arc_count()
            )));
        }
        Ok(CchMetric { cch, fw, bw, input })
    }

    /// Whether the weights are borrowed from shared bytes (a mapped file) rather than owned.
    pub fn is_shared(&self) -> bool {
        self.fw.is_shared()
    }

    /// The metric's arrays, to store: upward weights, downward weights, input weights.
    pub fn arrays(&self) -> (&[u32], &[u32], &[u32]) {
        (&self.fw, &self.bw, &self.input)
    }

    /// Perfect customization (Dibbelt et al., section 5): computes the exact distance between
    /// the endpoints of every arc (over upper and intermediate triangles, top-down), then keeps
    /// for queries only the arc directions whose lower-triangle weight already equals that
    /// distance; the others become [`INF`]. They are never needed: a shortest path's "upward
    /// maxima" (each the first node after the previous one with a higher rank) are joined by
    /// arcs whose lower-triangle weight is the subpath's length, which is then exact. And a
    /// kept arc unpacks into kept arcs only (the halves of an exact shortcut are exact), so
    /// paths unpack from the kept weights alone. Queries and matrices on the result settle
    /// fewer labels; distances and paths are the same. The exact weights are scratch, freed on
    /// return: the metric keeps its size.
    pub fn perfect(self) -> CchMetric<'c> {
        let cch = self.cch;
        let (mut fw, mut bw) = (self.fw.to_vec(), self.bw.to_vec());
        let (mut pf, mut pb) = (fw.clone(), bw.clone());
        for x in (0..cch.node_count() as u32).rev() {
            let r = cch.up(x);
            for i in r.clone() {
                let y = cch.head[i];
                let ry = cch.up(y);
                let mut k = ry.start;
                for j in i + 1..r.end {
                    // z > y is an upper neighbour of y too (chordality): find the arc y -> z.
                    let z = cch.head[j];
                    while cch.head[k] != z {
                        k += 1;
                    }
                    // x -> z -> y and y -> z -> x improve x -> y (upper triangle);
                    // x -> y -> z and z -> y -> x improve x -> z (intermediate triangle).
                    // Arcs y -> z are exact already (y > x is done), and using x's current
                    // weights is sound: they are lengths of real paths.
                    pf[i] = pf[i].min(pf[j].saturating_add(pb[k]));
                    pb[i] = pb[i].min(pf[k].saturating_add(pb[j]));
                    pf[j] = pf[j].min(pf[i].saturating_add(pf[k]));
                    pb[j] = pb[j].min(pb[k].saturating_add(pb[i]));
                }
            }
        }
        for (w, exact) in fw.iter_mut().zip(&pf).chain(bw.iter_mut().zip(&pb)) {
            if *w != *exact {
                *w = INF;
            }
        }
        CchMetric { cch, fw: fw.into(), bw: bw.into(), input: self.input }
    }

    /// Number of arc directions queries relax (forward, backward): the finite ones (after
    /// [`CchMetric::perfect`], the kept ones).
    pub fn query_arc_count(&self) -> (usize, usize) {
        let finite = |w: &[u32]| w.iter().filter(|&&x| x != INF).count();
        (finite(&self.fw), finite(&self.bw))
    }

    /// Bytes of memory this metric holds (its weight arrays), for reports.
    pub fn heap_bytes(&self) -> usize {
        self.fw.heap_bytes() + self.bw.heap_bytes() + self.input.heap_bytes()
    }

    /// The upward graph a search relaxes in direction `forward` (towards the target) or backward.
    #[inline]
    pub(crate) fn view(&self, forward: bool) -> UpView<'_> {
        UpView { first: &self.cch.first_out, head: &self.cch.head, weight: if forward { &self.fw } else { &self.bw } }
    }

    /// The CCH this metric customizes.
    pub fn cch(&self) -> &'c Cch {
        self.cch
    }
}

/// The input weights mapped onto the CCH arcs (minimum over parallel input arcs): the start of
/// a customization. Each arc's two weights are kept side by side (`[up, down]`) while
/// customizing, because the triangle loop reads and writes both of the same arc: one cache
/// line instead of two (measured 15-25% faster on the Eurasian graph); the metric stores them
/// as two arrays, which is what a query reads.
fn input_weights(cch: &Cch, weights: &[u32]) -> Vec<[u32; 2]> {
    assert_eq!(weights.len(), cch.input_arc_count(), "one weight per input arc");
    let mut w = vec![[INF; 2]; cch.arc_count()];
    for (&code, &x) in cch.input_map.iter().zip(weights) {
        if code == NONE {
            continue;
        }
        let slot = &mut w[(code >> 1) as usize][(code & 1) as usize];
        *slot = (*slot).min(x);
    }
    w
}

/// The upward and downward weights of interleaved pairs.
fn split(w: &[[u32; 2]]) -> (Vec<u32>, Vec<u32>) {
    (w.iter().map(|p| p[0]).collect(), w.iter().map(|p| p[1]).collect())
}

/// A raw pointer to the interleaved per-arc weights, shared between customization tasks that
/// write disjoint arcs (see the SAFETY comments at the call sites).
#[derive(Clone, Copy)]
struct Ptrs {
    w: *mut [u32; 2],
}

// SAFETY: the pointer is only dereferenced under the disjointness argument of `new_parallel`.
unsafe impl Send for Ptrs {}
// SAFETY: as above.
unsafe impl Sync for Ptrs {}

/// Improves every upward arc `y -> z` through every lower triangle `{x, y, z}`.
///
/// `slot` is scratch of `cch.node_count()` entries, all [`NONE`] on entry and on return: it maps
/// each upper neighbour `z` of `y` to the arc `y -> z`, so every triangle costs O(1) instead of a
/// scan of `y`'s (often much longer) neighbour list.
///
/// # Safety
/// The array behind `p` has `cch.arc_count()` elements; no other thread may access the arcs
/// of `y` or write the arcs of `y`'s lower neighbours during the call.
#[inline]
unsafe fn customize_node(cch: &Cch, p: &Ptrs, slot: &mut [u32], y: u32) {
    let y_arcs = cch.up(y);
    for q in y_arcs.clone() {
        slot[cch.head[q] as usize] = q as u32;
    }
    for d in cch.down_first[y as usize] as usize..cch.down_first[y as usize + 1] as usize {
        let x = cch.down_tail[d];
        let a_xy = cch.down_arc[d] as usize;
        // SAFETY (all derefs below): indices are arc ids < arc_count; see the function contract.
        let [w_xy, w_yx] = unsafe { *p.w.add(a_xy) };
        if w_yx == INF && w_xy == INF {
            continue;
        }
        for a_xz in a_xy + 1..cch.up(x).end {
            // Upper neighbours of x above y are upper neighbours of y (chordality).
            let q = slot[cch.head[a_xz] as usize] as usize;
            debug_assert!(q != NONE as usize);
            unsafe {
                let [xz_up, xz_down] = *p.w.add(a_xz);
                let yz = &mut *p.w.add(q);
                yz[0] = yz[0].min(w_yx.saturating_add(xz_up));
                yz[1] = yz[1].min(xz_down.saturating_add(w_xy));
            }
        }
    }
    for q in y_arcs {
        slot[cch.head[q] as usize] = NONE;
    }
}
