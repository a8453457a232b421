//! Building a snapshot from a graph: connected components (for snapping and the gap report)
//! and the metric-independent CCH order, computed once so that loading is cheap.

use std::time::Instant;

use corridor_cch::{Graph, nested_dissection_order};

use crate::format::SnapshotData;

/// What a build did, for the user.
#[derive(Clone, Debug, PartialEq)]
pub struct BuildReport {
    /// Nodes.
    pub nodes: usize,
    /// Directed arcs.
    pub arcs: usize,
    /// Weakly connected components.
    pub components: usize,
    /// Sizes of the largest components, largest first (at most 10).
    pub largest: Vec<usize>,
    /// Seconds spent computing the nested-dissection order.
    pub order_seconds: f64,
}

/// Weakly connected components, numbered by decreasing size (0 = largest; ties by smallest
/// node id, so the numbering is deterministic).
pub fn components(g: &Graph) -> (Vec<u32>, Vec<usize>) {
    components_of(g.node_count(), (0..g.node_count() as u32).flat_map(|u| g.arcs(u).map(move |a| (u, g.head[a]))))
}

/// Weakly connected components of `n` nodes joined by `edges` (either direction), numbered as
/// in [`components`]; also the size of each component.
pub fn components_of(n: usize, edges: impl Iterator<Item = (u32, u32)>) -> (Vec<u32>, Vec<usize>) {
    let mut parent: Vec<u32> = (0..n as u32).collect();
    fn find(p: &mut [u32], mut x: u32) -> u32 {
        while p[x as usize] != x {
            p[x as usize] = p[p[x as usize] as usize];
            x = p[x as usize];
        }
        x
    }
    for (u, v) in edges {
        let (ru, rv) = (find(&mut parent, u), find(&mut parent, v));
        if ru != rv {
            let (lo, hi) = (ru.min(rv), ru.max(rv));
            parent[hi as usize] = lo;
        }
    }
    let roots: Vec<u32> = (0..n as u32).map(|x| find(&mut parent, x)).collect();
    let mut size = vec![0usize; n];
    for &r in &roots {
        size[r as usize] += 1;
    }
    let mut comps: Vec<u32> = (0..n as u32).filter(|&r| roots[r as usize] == r).collect();
    comps.sort_by(|&a, &b| size[b as usize].cmp(&size[a as usize]).then(a.cmp(&b)));
    let mut rank = vec![0u32; n];
    for (i, &r) in comps.iter().enumerate() {
        rank[r as usize] = i as u32;
    }
    let sizes = comps.iter().map(|&r| size[r as usize]).collect();
    (roots.iter().map(|&r| rank[r as usize]).collect(), sizes)
}

/// Builds the snapshot arrays of `g` (weights in metres) of the given kind. Node and arc
/// attributes are left empty for the caller to fill (in the node and CSR arc order of `g`).
pub fn build(g: &Graph, kind: crate::SnapshotKind) -> (SnapshotData, BuildReport) {
    let (component, sizes) = components(g);
    let t = Instant::now();
    let order = nested_dissection_order(g);
    let order_seconds = t.elapsed().as_secs_f64();
    let data = SnapshotData {
        kind,
        first_out: g.first_out.clone(),
        head: g.head.clone(),
        weight_m: g.weight.clone(),
        lat_e7: g.lat.iter().map(|&x| (x * 1e7).round() as i32).collect(),
        lon_e7: g.lon.iter().map(|&x| (x * 1e7).round() as i32).collect(),
        order,
        component,
        // Attributes stay empty here: `SnapshotData::write` stores the defaults (every node of
        // the kind's node mode, every arc of its arc kind with no speed or price), and importers that know
        // more fill the vectors before writing.
        ..SnapshotData::default()
    };
    let report = BuildReport {
        nodes: g.node_count(),
        arcs: g.arc_count(),
        components: sizes.len(),
        largest: sizes.iter().take(10).copied().collect(),
        order_seconds,
    };
    (data, report)
}
