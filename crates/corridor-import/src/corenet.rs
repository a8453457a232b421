//! The graph work behind the corridor core's build ([`crate::corebuild`]): a detailed layer
//! (OSM rail or road, searoute) as an undirected CSR, small digitisation gaps healed, places
//! snapped onto it, and the layer reduced to the *network neighbours* of the places: one link for
//! every pair of places that a path of the layer joins with no third place on the way.
//!
//! The contraction is what makes the core's links real: each one is a measured path of the
//! source graph, so its km and its geometry come from the same path, and a place that lies on a
//! line splits it (the two halves are two links). It is the node-level view of the layer that
//! RoutingKit's contraction keeps implicitly; here it is kept explicitly because the core is a
//! few thousand links that a person can read, price and tag.

use std::cmp::Ordering;
use std::collections::{BTreeSet, BinaryHeap};

use corridor_model::geo::haversine_km;
use rayon::prelude::*;

use crate::raw::Layer;

/// An undirected graph in CSR form with coordinates, built from a [`Layer`].
#[derive(Clone, Debug)]
pub struct NetGraph {
    /// Latitude per vertex.
    pub lat: Vec<f64>,
    /// Longitude per vertex.
    pub lon: Vec<f64>,
    first_out: Vec<u32>,
    head: Vec<u32>,
    km: Vec<f32>,
    /// Tag per arc (an index into `tags`, 0 = none): searoute passages such as `suez`.
    tag: Vec<u8>,
    /// Tag names; index 0 is the empty tag.
    pub tags: Vec<String>,
    /// Component id per vertex and the size of each component.
    comp: Vec<u32>,
    comp_size: Vec<u32>,
    /// The edges added by [`NetGraph::new`] to heal gaps: (u, v, km).
    pub healed: Vec<(u32, u32, f64)>,
}

/// One undirected input edge with an optional tag.
#[derive(Clone, Copy, Debug)]
pub struct TaggedEdge {
    /// First end.
    pub u: u32,
    /// Second end.
    pub v: u32,
    /// Length, km.
    pub km: f64,
    /// Index into the tag names (0 = none).
    pub tag: u8,
}

/// A curated join of a graph (`overlay/joins.csv`): the vertices nearest to `a` and `b`,
/// through the `via` points in order, all (lat, lon).
#[derive(Clone, Debug, PartialEq)]
pub struct Join {
    /// One end.
    pub a: (f64, f64),
    /// The other end.
    pub b: (f64, f64),
    /// Points the join passes, new vertices of the graph.
    pub via: Vec<(f64, f64)>,
    /// Length of the whole join where a source gives it (the source graph's own long edge):
    /// the chain's great-circle lengths are scaled to it. `None`: great-circle lengths.
    pub km: Option<f64>,
    /// `b` is a new vertex, not a vertex of the graph: the line runs on beyond the extract's
    /// edge (the shared graphs stop at 20° N in India) to a terminal the graph never reaches.
    pub new_b: bool,
}

/// A curated cut of a graph (`overlay/cuts.csv`): the shortest path between the vertices
/// nearest to `a` and `b` (within 5 km) is taken out, after healing, so that neither the
/// healing nor a search can use it: a line the OSM graph draws as in service although no train
/// runs on it (the Khyber Pass railway, out of use since the floods of 2007).
#[derive(Clone, Debug, PartialEq)]
pub struct Cut {
    /// One end.
    pub a: (f64, f64),
    /// The other end.
    pub b: (f64, f64),
}

/// Adds each [`Join`] to a graph's vertices and edges: the vertices nearest to its ends (within
/// 5 km; a vertex of an earlier join counts, so that two joins can meet at a new port) joined
/// by a chain of great-circle edges through its `via` points (new vertices), tagged `tag`.
/// Returns the joins whose ends found no vertex.
pub fn add_joins(
    lat: &mut Vec<f64>,
    lon: &mut Vec<f64>,
    edges: &mut Vec<TaggedEdge>,
    joins: &[Join],
    tag: u8,
) -> Vec<usize> {
    let (lat0, lon0) = (lat.clone(), lon.clone());
    let grid = Grid::new(&lat0, &lon0, 0.1, |_| true);
    let near = |lat: &[f64], lon: &[f64], la: f64, lo: f64| {
        let added = (lat0.len()..lat.len())
            .map(|v| (v as u32, haversine_km((la, lo), (lat[v], lon[v]))))
            .filter(|&(_, d)| d <= 5.0);
        grid.within(&lat0, &lon0, la, lo, 5.0)
            .into_iter()
            .chain(added)
            .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
            .map(|x| x.0)
    };
    let mut missing = Vec::new();
    for (i, j) in joins.iter().enumerate() {
        // A new end is pushed after the via points, so it is numbered last.
        let b = if j.new_b { Some(u32::MAX) } else { near(lat, lon, j.b.0, j.b.1) };
        match (near(lat, lon, j.a.0, j.a.1), b) {
            (Some(u), Some(v)) if u != v => {
                let mut chain = vec![u];
                for &(la, lo) in j.via.iter().chain(j.new_b.then_some(&j.b)) {
                    chain.push(lat.len() as u32);
                    lat.push(la);
                    lon.push(lo);
                }
                if !j.new_b {
                    chain.push(v);
                }
                let gc: Vec<f64> = chain
                    .windows(2)
                    .map(|w| {
                        haversine_km((lat[w[0] as usize], lon[w[0] as usize]), (lat[w[1] as usize], lon[w[1] as usize]))
                    })
                    .collect();
                let total: f64 = gc.iter().sum();
                let scale = match j.km {
                    Some(km) if total > 0.0 => km / total,
                    _ => 1.0,
                };
                for (w, km) in chain.windows(2).zip(gc) {
                    edges.push(TaggedEdge { u: w[0], v: w[1], km: km * scale, tag });
                }
            }
            _ => missing.push(i),
        }
    }
    missing
}

impl NetGraph {
    /// The graph of a layer (every edge both ways, tags empty), with gaps of at most `heal_km`
    /// between different components joined by a connector edge (a way not joined at a station
    /// or a border in OSM), and gaps of up to `4 × heal_km` from a dead end; `heal_km = 0`
    /// heals nothing.
    pub fn from_layer(layer: &Layer, heal_km: f64) -> NetGraph {
        let edges: Vec<TaggedEdge> =
            layer.edges.iter().map(|e| TaggedEdge { u: e.u, v: e.v, km: e.km, tag: 0 }).collect();
        NetGraph::new(layer.lat.clone(), layer.lon.clone(), edges, vec![String::new()], heal_km)
    }

    /// [`NetGraph::from_layer`] plus curated joins: each [`Join`] joins the vertices nearest to
    /// its two ends (within 5 km) by a chain of great-circle edges through its `via` points (new
    /// vertices), tagged `join` — a piece of a real line that the source graph lacks or draws as
    /// one long edge with no vertex where a place lies (a mountain pass). Returns the joins whose
    /// ends found no vertex.
    pub fn from_layer_joined(layer: &Layer, heal_km: f64, joins: &[Join]) -> (NetGraph, Vec<usize>) {
        let (g, missing, _) = NetGraph::from_layer_edited(layer, heal_km, joins, &[]);
        (g, missing)
    }

    /// [`NetGraph::from_layer_joined`], then without the lines of `cuts` (see [`Cut`]): the
    /// edges of the shortest path between the vertices nearest to each cut's ends, healed
    /// connectors on it included, are removed, and nothing is healed again, so the cut stays
    /// open. Returns the joins whose ends found no vertex, and the cuts whose ends found no
    /// vertex within 5 km or no path within 500 km.
    pub fn from_layer_edited(
        layer: &Layer,
        heal_km: f64,
        joins: &[Join],
        cuts: &[Cut],
    ) -> (NetGraph, Vec<usize>, Vec<usize>) {
        let mut edges: Vec<TaggedEdge> =
            layer.edges.iter().map(|e| TaggedEdge { u: e.u, v: e.v, km: e.km, tag: 0 }).collect();
        let (mut lat, mut lon) = (layer.lat.clone(), layer.lon.clone());
        let missing = add_joins(&mut lat, &mut lon, &mut edges, joins, 1);
        let tags = vec![String::new(), "join".into()];
        if cuts.is_empty() {
            return (NetGraph::new(lat, lon, edges, tags, heal_km), missing, Vec::new());
        }
        // The cuts' paths are found on the healed graph (a healed gap may lie on one); the edges
        // are kept to rebuild the graph without them.
        let healed = NetGraph::new(lat, lon, edges.clone(), tags.clone(), heal_km);
        let grid = Grid::new(&healed.lat, &healed.lon, 0.1, |_| true);
        let mut removed: BTreeSet<(u32, u32)> = BTreeSet::new();
        let mut cuts_missing = Vec::new();
        let mut search = Search::new(healed.len());
        for (i, c) in cuts.iter().enumerate() {
            match path_edges(&healed, &grid, &mut search, c.a, c.b, 500.0) {
                Some((edges, _)) => removed.extend(edges),
                None => cuts_missing.push(i),
            }
        }
        let open = |u: u32, v: u32| !removed.contains(&(u.min(v), u.max(v)));
        let connectors: Vec<(u32, u32, f64)> = healed.healed.iter().copied().filter(|&(u, v, _)| open(u, v)).collect();
        edges.retain(|e| open(e.u, e.v));
        edges.extend(connectors.iter().map(|&(u, v, km)| TaggedEdge { u, v, km, tag: 0 }));
        let NetGraph { lat, lon, .. } = healed;
        let mut g = NetGraph::new(lat, lon, edges, tags, 0.0);
        g.healed = connectors;
        (g, missing, cuts_missing)
    }

    /// The graph of vertices and tagged undirected edges; see [`NetGraph::from_layer`].
    pub fn new(lat: Vec<f64>, lon: Vec<f64>, mut edges: Vec<TaggedEdge>, tags: Vec<String>, heal_km: f64) -> NetGraph {
        let n = lat.len();
        let mut healed = Vec::new();
        if heal_km > 0.0 {
            let comp = components(n, &edges);
            let grid = Grid::new(&lat, &lon, 0.05, |_| true);
            // One connector per pair of components: the shortest gap found, so that a break is
            // joined once and deterministically (vertices in index order, ties by index).
            let mut best: std::collections::BTreeMap<(u32, u32), (f64, u32, u32)> = Default::default();
            for v in 0..n as u32 {
                for (w, d) in grid.within(&lat, &lon, lat[v as usize], lon[v as usize], heal_km) {
                    let (cv, cw) = (comp[v as usize], comp[w as usize]);
                    if cv == cw || w <= v {
                        continue;
                    }
                    let key = (cv.min(cw), cv.max(cw));
                    let e = best.entry(key).or_insert((f64::INFINITY, 0, 0));
                    if d < e.0 {
                        *e = (d, v, w);
                    }
                }
            }
            // A track or road that simply ends (a vertex of degree 1) near another component is a
            // digitisation gap too, at up to `4 × heal_km`: lines do not end in the open a few
            // km short of another line.
            let mut deg = vec![0u32; n];
            for e in &edges {
                deg[e.u as usize] += 1;
                deg[e.v as usize] += 1;
            }
            for v in (0..n as u32).filter(|&v| deg[v as usize] == 1) {
                for (w, d) in grid.within(&lat, &lon, lat[v as usize], lon[v as usize], 4.0 * heal_km) {
                    let (cv, cw) = (comp[v as usize], comp[w as usize]);
                    if cv == cw {
                        continue;
                    }
                    let key = (cv.min(cw), cv.max(cw));
                    let e = best.entry(key).or_insert((f64::INFINITY, 0, 0));
                    if d < e.0 {
                        *e = (d, v.min(w), v.max(w));
                    }
                }
            }
            for (_, (d, v, w)) in best {
                healed.push((v, w, d));
                edges.push(TaggedEdge { u: v, v: w, km: d, tag: 0 });
            }
        }
        let mut deg = vec![0u32; n + 1];
        for e in &edges {
            deg[e.u as usize] += 1;
            deg[e.v as usize] += 1;
        }
        let mut first_out = vec![0u32; n + 1];
        for i in 0..n {
            first_out[i + 1] = first_out[i] + deg[i];
        }
        let m = first_out[n] as usize;
        let (mut head, mut km, mut tag) = (vec![0u32; m], vec![0f32; m], vec![0u8; m]);
        let mut fill = first_out.clone();
        for e in &edges {
            for (a, b) in [(e.u, e.v), (e.v, e.u)] {
                let k = fill[a as usize] as usize;
                head[k] = b;
                km[k] = e.km as f32;
                tag[k] = e.tag;
                fill[a as usize] += 1;
            }
        }
        let comp = components(n, &edges);
        let mut comp_size = vec![0u32; n];
        for &c in &comp {
            comp_size[c as usize] += 1;
        }
        NetGraph { lat, lon, first_out, head, km, tag, tags, comp, comp_size, healed }
    }

    /// Number of vertices.
    pub fn len(&self) -> usize {
        self.lat.len()
    }

    /// Whether the graph has no vertex.
    pub fn is_empty(&self) -> bool {
        self.lat.is_empty()
    }

    /// Number of vertices in `v`'s connected component.
    pub fn component_size(&self, v: u32) -> u32 {
        self.comp_size[self.comp[v as usize] as usize]
    }

    /// Tags both arcs of each of `gaps` (healed gaps, see [`NetGraph::healed`]) with a new tag
    /// `name`, so that a search blocking that tag does not use them. An arc that already has a
    /// tag, or a graph with 255 tags, is left as is.
    pub fn tag_gaps(&mut self, name: &str, gaps: &[(u32, u32)]) {
        let Ok(tag) = u8::try_from(self.tags.len()) else { return };
        if gaps.is_empty() {
            return;
        }
        self.tags.push(name.to_owned());
        for &(u, v) in gaps {
            for (a, b) in [(u, v), (v, u)] {
                for k in self.first_out[a as usize]..self.first_out[a as usize + 1] {
                    let k = k as usize;
                    if self.head[k] == b && self.tag[k] == 0 {
                        self.tag[k] = tag;
                    }
                }
            }
        }
    }

    /// Per-arc extra weights for [`neighbours_where`]: `km` on every arc whose two ends carry
    /// different labels (`label[v]`, e.g. the country a vertex lies in; `None` = unknown, which
    /// differs from nothing), 0 elsewhere.
    pub fn extra_where_labels_differ<T: PartialEq>(&self, label: &[Option<T>], km: f32) -> Vec<f32> {
        let mut out = vec![0.0; self.head.len()];
        for v in 0..self.len() {
            for k in self.first_out[v]..self.first_out[v + 1] {
                let w = self.head[k as usize] as usize;
                if let (Some(x), Some(y)) = (&label[v], &label[w])
                    && x != y
                {
                    out[k as usize] = km;
                }
            }
        }
        out
    }

    /// A snapping index over the vertices in components of at least `min_component` vertices.
    pub fn snapper(&self, min_component: u32) -> Grid {
        Grid::new(&self.lat, &self.lon, 0.1, |v| self.component_size(v) >= min_component)
    }
}

/// Union-find components of `n` vertices; the id of a component is its smallest vertex.
fn components(n: usize, edges: &[TaggedEdge]) -> Vec<u32> {
    let mut parent: Vec<u32> = (0..n as u32).collect();
    fn find(p: &mut [u32], mut x: u32) -> u32 {
        while p[x as usize] != x {
            p[x as usize] = p[p[x as usize] as usize];
            x = p[x as usize];
        }
        x
    }
    for e in edges {
        let (a, b) = (find(&mut parent, e.u), find(&mut parent, e.v));
        if a != b {
            let (lo, hi) = (a.min(b), a.max(b));
            parent[hi as usize] = lo;
        }
    }
    (0..n as u32).map(|v| find(&mut parent, v)).collect()
}

/// A uniform grid of cells `cell` degrees wide over some vertices, for "nearest vertex" and
/// "vertices within r km" queries.
#[derive(Clone, Debug)]
pub struct Grid {
    cell: f64,
    cells: std::collections::HashMap<(i32, i32), Vec<u32>>,
}

impl Grid {
    fn new(lat: &[f64], lon: &[f64], cell: f64, keep: impl Fn(u32) -> bool) -> Grid {
        let mut cells: std::collections::HashMap<(i32, i32), Vec<u32>> = Default::default();
        for v in 0..lat.len() as u32 {
            if keep(v) {
                cells.entry(key(lat[v as usize], lon[v as usize], cell)).or_default().push(v);
            }
        }
        Grid { cell, cells }
    }

    /// The vertices within `km` of the point, with their distances, in vertex order.
    pub fn within(&self, lat: &[f64], lon: &[f64], plat: f64, plon: f64, km: f64) -> Vec<(u32, f64)> {
        // A degree of longitude shrinks with the latitude; the cell ring is widened to match.
        let dlat = (km / 111.0 / self.cell).ceil() as i32;
        let coslat = plat.to_radians().cos().max(0.05);
        let dlon = (km / (111.0 * coslat) / self.cell).ceil() as i32;
        let (ci, cj) = key(plat, plon, self.cell);
        let mut out = Vec::new();
        for i in ci - dlat..=ci + dlat {
            for j in cj - dlon..=cj + dlon {
                if let Some(vs) = self.cells.get(&(i, j)) {
                    for &v in vs {
                        let d = haversine_km((plat, plon), (lat[v as usize], lon[v as usize]));
                        if d <= km {
                            out.push((v, d));
                        }
                    }
                }
            }
        }
        out.sort_by_key(|&(v, _)| v);
        out
    }

    /// The nearest vertex within `km` of the point (ties to the lower index).
    pub fn nearest(&self, g: &NetGraph, plat: f64, plon: f64, km: f64) -> Option<(u32, f64)> {
        self.within(&g.lat, &g.lon, plat, plon, km)
            .into_iter()
            .min_by(|a, b| a.1.partial_cmp(&b.1).unwrap_or(Ordering::Equal).then(a.0.cmp(&b.0)))
    }
}

fn key(lat: f64, lon: f64, cell: f64) -> (i32, i32) {
    ((lat / cell).floor() as i32, (lon / cell).floor() as i32)
}

/// A pair of places joined by a path of the graph that passes no other place.
#[derive(Clone, Debug, PartialEq)]
pub struct Adjacency {
    /// The place with the lower index.
    pub a: u32,
    /// The other place.
    pub b: u32,
    /// Path length, km.
    pub km: f64,
    /// The path's vertices from `a`'s vertex to `b`'s.
    pub path: Vec<u32>,
    /// The tags of the arcs the path uses (sorted, deduplicated, no empty tag).
    pub tags: Vec<u8>,
}

/// A place reached from another: (place, weight of the best path, its real km).
type Reach = (u32, f32, f32);

#[derive(Clone, Copy, PartialEq)]
struct Item(f32, u32);
impl Eq for Item {}
impl Ord for Item {
    fn cmp(&self, o: &Self) -> Ordering {
        o.0.partial_cmp(&self.0).unwrap_or(Ordering::Equal).then_with(|| o.1.cmp(&self.1))
    }
}
impl PartialOrd for Item {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

/// The network neighbours of places: `at[i]` is the vertex of place `i` (`None` when it is not
/// on this graph). Two places are neighbours when a path of the graph joins them within
/// `max_km` and no third place lies on the way: no `c` with `d(a,c) + d(c,b) <= (1 + slack) ·
/// d(a,b)` and both `d(a,c)`, `d(c,b)` below `d(a,b)` (a relative-neighbourhood rule on network
/// distances). A bypass line or a ring road
/// that passes a place without touching its vertex therefore does not make a link that skips
/// it, and a place on a line splits it into two links. Arcs with a tag in `blocked` are not
/// used. Places sharing a vertex: only the lowest-indexed one is joined (the caller reports
/// the others). The result is sorted by (a, b) and deterministic; searches run in parallel.
pub fn neighbours(g: &NetGraph, at: &[Option<u32>], max_km: f64, slack: f64, blocked: &[u8]) -> Vec<Adjacency> {
    neighbours_where(g, at, max_km, slack, blocked, &|_, _, _| true, None)
}

/// [`neighbours`] where only pairs `usable(a, b, km)` can be links: an unusable pair is neither
/// returned nor a half of the way through a third place (a place is on the way only if both
/// halves are links; a break of gauge between two towns far from the border is not one).
///
/// With `extra`, arc `k` weighs `km + extra[k]` in the searches (an arc across a border made
/// dear, so that the paths found stay in one country where one exists); `km`, `usable`'s
/// argument and the `max_km` bound stay in real kilometres of the path found.
pub fn neighbours_where(
    g: &NetGraph,
    at: &[Option<u32>],
    max_km: f64,
    slack: f64,
    blocked: &[u8],
    usable: &(dyn Fn(u32, u32, f64) -> bool + Sync),
    extra: Option<&[f32]>,
) -> Vec<Adjacency> {
    let n = at.len();
    let mut place_at = vec![u32::MAX; g.len()];
    for (i, v) in at.iter().enumerate() {
        if let Some(v) = *v
            && place_at[v as usize] == u32::MAX
        {
            place_at[v as usize] = i as u32;
        }
    }
    let placed: Vec<u32> =
        (0..n as u32).filter(|&i| at[i as usize].is_some_and(|v| place_at[v as usize] == i)).collect();
    let scratch = || Search::new(g.len());
    // Phase 1: network distances (weight, real km) between all places within max_km.
    let rows: Vec<(u32, Vec<Reach>)> = placed
        .par_iter()
        .map_init(scratch, |sc, &a| {
            sc.run(g, at[a as usize].expect("placed"), max_km, blocked, extra);
            let row = placed
                .iter()
                .filter(|&&b| b != a)
                .filter_map(|&b| {
                    let v = at[b as usize].expect("placed") as usize;
                    sc.dist[v].is_finite().then_some((b, sc.dist[v], sc.real[v]))
                })
                .collect();
            (a, row)
        })
        .collect();
    let mut d = vec![f32::INFINITY; n * n];
    let mut r = vec![f32::INFINITY; n * n];
    for (a, row) in &rows {
        for &(b, x, y) in row {
            d[*a as usize * n + b as usize] = x;
            r[*a as usize * n + b as usize] = y;
        }
    }
    // Phase 2: keep a pair unless a third place lies on the way.
    let keep: Vec<(u32, Vec<u32>)> = rows
        .par_iter()
        .map(|(a, row)| {
            let a = *a as usize;
            let kept = row
                .iter()
                .filter(|&&(b, _, _)| (b as usize) > a)
                .filter(|&&(b, _, rab)| usable(a as u32, b, f64::from(rab)))
                .filter(|&&(b, dab, rab)| {
                    let b = b as usize;
                    // The slack is a share of the real length: a weight added for a crossing
                    // must not widen it.
                    let lim = f64::from(dab) + slack * f64::from(rab);
                    !placed.iter().any(|&c| {
                        let c = c as usize;
                        let (dac, dcb) = (d[a * n + c], d[c * n + b]);
                        // c must also be nearer to each end than they are to each other, so that
                        // of two places next to each other one is always joined.
                        c != a
                            && c != b
                            && dac < dab
                            && dcb < dab
                            && f64::from(dac) + f64::from(dcb) <= lim
                            && usable(a as u32, c as u32, f64::from(r[a * n + c]))
                            && usable(c as u32, b as u32, f64::from(r[c * n + b]))
                    })
                })
                .map(|&(b, _, _)| b)
                .collect::<Vec<_>>();
            (a as u32, kept)
        })
        .filter(|(_, k)| !k.is_empty())
        .collect();
    // Phase 3: the paths of the kept pairs.
    let mut out: Vec<Adjacency> = keep
        .par_iter()
        .map_init(scratch, |sc, (a, bs)| {
            let s = at[*a as usize].expect("placed");
            sc.run(g, s, max_km, blocked, extra);
            bs.iter()
                .map(|&b| {
                    let t = at[b as usize].expect("placed");
                    let mut path = vec![t];
                    let mut tags = Vec::new();
                    let mut v = t;
                    while v != s {
                        let k = sc.pred[v as usize] as usize;
                        if g.tag[k] != 0 {
                            tags.push(g.tag[k]);
                        }
                        let u = tail_of(g, k);
                        path.push(u);
                        v = u;
                    }
                    path.reverse();
                    tags.sort_unstable();
                    tags.dedup();
                    Adjacency { a: *a, b, km: f64::from(sc.real[t as usize]), path, tags }
                })
                .collect::<Vec<_>>()
        })
        .flatten()
        .collect();
    out.sort_by_key(|x| (x.a, x.b));
    out
}

/// A path between two vertices that crosses at most one gap of the graph: the graph from `a`
/// to `u`, a straight gap from `u` to `v` of at most `max_gap_km`, and the graph from `v` to
/// `b` (see [`bridged_path`]).
#[derive(Clone, Debug, PartialEq)]
pub struct BridgedPath {
    /// The vertices from `a` to `b`; the gap, if any, lies between `path[gap_at]` and
    /// `path[gap_at + 1]`.
    pub path: Vec<u32>,
    /// Length along the graph plus the gap, km.
    pub km: f64,
    /// The straight gap, km (0 when the graph joins the ends).
    pub gap_km: f64,
    /// Index of the vertex before the gap.
    pub gap_at: usize,
}

/// The shortest path from `a` to `b` that may jump one gap of at most `max_gap_km` between
/// the two ends' search trees, each bounded by `max_km`. It finds a line that a digitisation
/// break cuts in two (the OSM extracts miss stretches of main lines, beyond what healing
/// joins) so that its drawing follows the track everywhere but across the break.
pub fn bridged_path(g: &NetGraph, a: u32, b: u32, max_km: f64, max_gap_km: f64, blocked: &[u8]) -> Option<BridgedPath> {
    let scratch = || Search::new(g.len());
    let (mut sa, mut sb) = (scratch(), scratch());
    sa.run(g, a, max_km, blocked, None);
    sb.run(g, b, max_km, blocked, None);
    let reached_b = Grid::new(&g.lat, &g.lon, 0.1, |v| sb.dist[v as usize].is_finite());
    let mut best: Option<(f64, f64, u32, u32)> = None;
    let mut touched_a = sa.touched.clone();
    touched_a.sort_unstable();
    for &u in &touched_a {
        let du = f64::from(sa.dist[u as usize]);
        if du > max_km {
            continue;
        }
        for (v, gap) in reached_b.within(&g.lat, &g.lon, g.lat[u as usize], g.lon[u as usize], max_gap_km) {
            let gap = if v == u { 0.0 } else { gap };
            let total = du + gap + f64::from(sb.dist[v as usize]);
            // Ties go to the smaller gap, then the lower vertices (deterministic).
            let key = (total, gap, u, v);
            if best.is_none_or(|b| (key.0, key.1) < (b.0, b.1) || ((key.0, key.1) == (b.0, b.1) && (u, v) < (b.2, b.3)))
            {
                best = Some(key);
            }
        }
    }
    let (km, gap_km, u, v) = best?;
    let trace = |s: &Search, from: u32, to: u32| {
        let mut path = vec![to];
        let mut x = to;
        while x != from {
            let k = s.pred[x as usize] as usize;
            x = tail_of(g, k);
            path.push(x);
        }
        path
    };
    let mut path = trace(&sa, a, u);
    path.reverse();
    let gap_at = path.len() - 1;
    let tail = trace(&sb, b, v);
    path.extend(tail.into_iter().skip(usize::from(u == v)));
    Some(BridgedPath { path, km, gap_km, gap_at })
}

/// A reusable one-to-all Dijkstra (scratch reset by the list of touched vertices).
struct Search {
    /// Weight of the best path found (km, plus `extra` where given).
    dist: Vec<f32>,
    /// Real length of that path, km.
    real: Vec<f32>,
    pred: Vec<u32>,
    touched: Vec<u32>,
}

impl Search {
    /// Scratch for a graph of `n` vertices.
    fn new(n: usize) -> Search {
        Search {
            dist: vec![f32::INFINITY; n],
            real: vec![f32::INFINITY; n],
            pred: vec![u32::MAX; n],
            touched: Vec::new(),
        }
    }

    /// Dijkstra from `s` on arc weights `km + extra`, not past `max_km` real km.
    fn run(&mut self, g: &NetGraph, s: u32, max_km: f64, blocked: &[u8], extra: Option<&[f32]>) {
        for &v in &self.touched {
            self.dist[v as usize] = f32::INFINITY;
            self.real[v as usize] = f32::INFINITY;
            self.pred[v as usize] = u32::MAX;
        }
        self.touched.clear();
        self.dist[s as usize] = 0.0;
        self.real[s as usize] = 0.0;
        self.touched.push(s);
        let mut heap = BinaryHeap::new();
        heap.push(Item(0.0, s));
        while let Some(Item(d, v)) = heap.pop() {
            if d > self.dist[v as usize] {
                continue;
            }
            let rv = self.real[v as usize];
            for k in g.first_out[v as usize]..g.first_out[v as usize + 1] {
                let k = k as usize;
                if g.tag[k] != 0 && blocked.contains(&g.tag[k]) {
                    continue;
                }
                let w = g.head[k];
                let nr = rv + g.km[k];
                let nd = d + g.km[k] + extra.map_or(0.0, |x| x[k]);
                if f64::from(nr) <= max_km && nd < self.dist[w as usize] {
                    if self.dist[w as usize].is_infinite() {
                        self.touched.push(w);
                    }
                    self.dist[w as usize] = nd;
                    self.real[w as usize] = nr;
                    self.pred[w as usize] = k as u32;
                    heap.push(Item(nd, w));
                }
            }
        }
    }
}

fn tail_of(g: &NetGraph, k: usize) -> u32 {
    // first_out is sorted: the tail is the last vertex whose first arc is <= k.
    (g.first_out.partition_point(|&f| f as usize <= k) - 1) as u32
}

/// The length of a vertex path, km, summing the shortest arc between consecutive vertices.
pub fn path_km(g: &NetGraph, path: &[u32]) -> f64 {
    path.windows(2).map(|w| arc_km(g, w[0], w[1])).sum()
}

/// The shortest arc from `u` to `v`, km (infinite when there is none).
fn arc_km(g: &NetGraph, u: u32, v: u32) -> f64 {
    let u = u as usize;
    (g.first_out[u]..g.first_out[u + 1])
        .filter(|&k| g.head[k as usize] == v)
        .map(|k| f64::from(g.km[k as usize]))
        .fold(f64::INFINITY, f64::min)
}

/// A line of a graph named by its two ends (`overlay/line_speeds.csv`): the edges of the
/// shortest path between the vertices nearest to `a` and `b` (within 5 km), as (lower, higher)
/// vertex pairs, and the path's length, km. `None` when an end has no vertex within 5 km or no
/// path of at most `max_km` joins them. The shortest path is the line only where no shorter
/// way joins its ends; the caller checks its length against the line's published one.
pub fn line_edges(g: &NetGraph, a: (f64, f64), b: (f64, f64), max_km: f64) -> Option<(BTreeSet<(u32, u32)>, f64)> {
    let grid = Grid::new(&g.lat, &g.lon, 0.1, |_| true);
    path_edges(g, &grid, &mut Search::new(g.len()), a, b, max_km)
}

/// The edges of the shortest path of at most `max_km` between the vertices of `grid` nearest
/// to `a` and `b` (within 5 km; ties to the lower vertex), as (lower, higher) vertex pairs, and
/// its length, km: a line named by its ends, for a cut ([`Cut`]) or a line of its own speed
/// ([`line_edges`]).
fn path_edges(
    g: &NetGraph,
    grid: &Grid,
    s: &mut Search,
    a: (f64, f64),
    b: (f64, f64),
    max_km: f64,
) -> Option<(BTreeSet<(u32, u32)>, f64)> {
    let (va, _) = grid.nearest(g, a.0, a.1, 5.0)?;
    let (vb, _) = grid.nearest(g, b.0, b.1, 5.0)?;
    s.run(g, va, max_km, &[], None);
    if va == vb || s.dist[vb as usize].is_infinite() {
        return None;
    }
    let mut edges = BTreeSet::new();
    let mut x = vb;
    while x != va {
        let t = tail_of(g, s.pred[x as usize] as usize);
        edges.insert((t.min(x), t.max(x)));
        x = t;
    }
    Some((edges, f64::from(s.real[vb as usize])))
}

/// The km of the vertex path `path` that run on the edges of `line` ([`line_edges`]).
pub fn km_on_line(g: &NetGraph, path: &[u32], line: &BTreeSet<(u32, u32)>) -> f64 {
    path.windows(2)
        .filter(|w| line.contains(&(w[0].min(w[1]), w[0].max(w[1]))))
        .map(|w| arc_km(g, w[0], w[1]))
        .filter(|km| km.is_finite())
        .sum()
}

/// Douglas–Peucker simplification of a (lat, lon) polyline at `tol_km` in a local
/// equirectangular projection; the ends are always kept.
pub fn simplify(points: &[(f64, f64)], tol_km: f64) -> Vec<(f64, f64)> {
    if points.len() <= 2 {
        return points.to_vec();
    }
    let lat0 = points.iter().map(|p| p.0).sum::<f64>() / points.len() as f64;
    let kx = 111.32 * lat0.to_radians().cos();
    let xy: Vec<(f64, f64)> = points.iter().map(|p| (p.1 * kx, p.0 * 110.57)).collect();
    let mut keep = vec![false; points.len()];
    keep[0] = true;
    keep[points.len() - 1] = true;
    let mut stack = vec![(0usize, points.len() - 1)];
    while let Some((i, j)) = stack.pop() {
        if j <= i + 1 {
            continue;
        }
        let (ax, ay) = xy[i];
        let (bx, by) = xy[j];
        let (dx, dy) = (bx - ax, by - ay);
        let len2 = dx * dx + dy * dy;
        let mut best = (0.0, i);
        for (k, &(px, py)) in xy.iter().enumerate().take(j).skip(i + 1) {
            let d = if len2 == 0.0 {
                ((px - ax).powi(2) + (py - ay).powi(2)).sqrt()
            } else {
                let t = (((px - ax) * dx + (py - ay) * dy) / len2).clamp(0.0, 1.0);
                ((px - ax - t * dx).powi(2) + (py - ay - t * dy).powi(2)).sqrt()
            };
            if d > best.0 {
                best = (d, k);
            }
        }
        if best.0 > tol_km {
            keep[best.1] = true;
            stack.push((i, best.1));
            stack.push((best.1, j));
        }
    }
    points.iter().zip(keep).filter(|(_, k)| *k).map(|(p, _)| *p).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line a - x - b - y - c with places at a, b, c: a–b and b–c are neighbours, a–c is not.
    #[test]
    fn a_place_on_a_line_splits_it() {
        let lat = vec![0.0, 0.0, 0.0, 0.0, 0.0];
        let lon = vec![0.0, 1.0, 2.0, 3.0, 4.0];
        let e = |u, v| TaggedEdge { u, v, km: 111.0, tag: 0 };
        let g = NetGraph::new(lat, lon, vec![e(0, 1), e(1, 2), e(2, 3), e(3, 4)], vec![String::new()], 0.0);
        let adj = neighbours(&g, &[Some(0), Some(2), Some(4)], 1000.0, 0.05, &[]);
        let pairs: Vec<_> = adj.iter().map(|x| (x.a, x.b, x.km, x.path.clone())).collect();
        assert_eq!(pairs, vec![(0, 1, 222.0, vec![0, 1, 2]), (1, 2, 222.0, vec![2, 3, 4])]);
        // Beyond max_km nothing is found.
        assert!(neighbours(&g, &[Some(0), Some(4)], 300.0, 0.05, &[]).is_empty());
    }

    #[test]
    fn a_gap_within_heal_km_is_joined_once() {
        // Two segments 0-1 and 2-3 with 1 and 2 about 1.1 km apart.
        let lat = vec![0.0, 0.0, 0.0, 0.0];
        let lon = vec![0.0, 0.5, 0.51, 1.0];
        let e = |u, v| TaggedEdge { u, v, km: 55.0, tag: 0 };
        let g = NetGraph::new(lat.clone(), lon.clone(), vec![e(0, 1), e(2, 3)], vec![String::new()], 2.0);
        assert_eq!(g.healed.len(), 1);
        assert_eq!(neighbours(&g, &[Some(0), Some(3)], 1000.0, 0.05, &[]).len(), 1);
        // Beyond heal_km the gap is still joined from a dead end (1 and 2 end their lines) up
        // to 4 × heal_km ...
        let g = NetGraph::new(lat.clone(), lon.clone(), vec![e(0, 1), e(2, 3)], vec![String::new()], 0.5);
        assert_eq!(g.healed.len(), 1);
        // ... and not beyond.
        let g = NetGraph::new(lat, lon, vec![e(0, 1), e(2, 3)], vec![String::new()], 0.25);
        assert!(g.healed.is_empty());
        assert!(neighbours(&g, &[Some(0), Some(3)], 1000.0, 0.05, &[]).is_empty());
    }

    #[test]
    fn blocked_tags_are_not_used_and_used_tags_are_reported() {
        // 0 -(canal)- 1 and a long way round 0 - 2 - 1.
        let lat = vec![0.0, 0.0, 1.0];
        let lon = vec![0.0, 1.0, 0.5];
        let g = NetGraph::new(
            lat,
            lon,
            vec![
                TaggedEdge { u: 0, v: 1, km: 100.0, tag: 1 },
                TaggedEdge { u: 0, v: 2, km: 150.0, tag: 0 },
                TaggedEdge { u: 2, v: 1, km: 150.0, tag: 0 },
            ],
            vec![String::new(), "canal".into()],
            0.0,
        );
        let open = neighbours(&g, &[Some(0), Some(1)], 1000.0, 0.05, &[]);
        assert_eq!((open[0].km, open[0].tags.clone()), (100.0, vec![1]));
        let shut = neighbours(&g, &[Some(0), Some(1)], 1000.0, 0.05, &[1]);
        assert_eq!((shut[0].km, shut[0].tags.clone()), (300.0, vec![]));
    }

    /// Bishkek–Osh in small: places 0 (B) and 2 (O) in country K, place 1 (A) in country U on
    /// the short way (0 - 1 - 2, two crossings, 300 km), and a home road 0 - 3 - 2 (380 km).
    #[test]
    fn border_weights_find_the_road_that_stays_at_home() {
        let lat = vec![0.0, -0.5, 0.0, 0.5];
        let lon = vec![0.0, 1.0, 2.0, 1.0];
        let e = |u, v, km| TaggedEdge { u, v, km, tag: 0 };
        let g = NetGraph::new(
            lat,
            lon,
            vec![e(0, 1, 140.0), e(1, 2, 160.0), e(0, 3, 190.0), e(3, 2, 190.0)],
            vec![String::new()],
            0.0,
        );
        let at = [Some(0), Some(1), Some(2)];
        let pairs = |x: &[Adjacency]| x.iter().map(|x| (x.a, x.b, x.km, x.path.clone())).collect::<Vec<_>>();
        // The shortest paths: A lies on the way from B to O, so B–O is no pair.
        assert_eq!(
            pairs(&neighbours(&g, &at, 1000.0, 0.08, &[])),
            vec![(0, 1, 140.0, vec![0, 1]), (1, 2, 160.0, vec![1, 2])]
        );
        // With a crossing weighed 2,000 km: B–O by the home road, its km the real 380; the
        // pairs across the border keep their paths, and their km too (not the weight).
        let w = g.extra_where_labels_differ(&[Some('K'), Some('U'), Some('K'), Some('K')], 2000.0);
        assert_eq!(w.iter().filter(|&&x| x > 0.0).count(), 4, "arcs 0-1 and 1-2, both ways");
        let home = neighbours_where(&g, &at, 1000.0, 0.08, &[], &|_, _, _| true, Some(&w));
        assert_eq!(
            pairs(&home),
            vec![(0, 1, 140.0, vec![0, 1]), (0, 2, 380.0, vec![0, 3, 2]), (1, 2, 160.0, vec![1, 2])]
        );
        // max_km bounds the real length, not the weight: 380 km fit in 400.
        let near = neighbours_where(&g, &at, 400.0, 0.08, &[], &|_, _, _| true, Some(&w));
        assert!(near.iter().any(|x| (x.a, x.b) == (0, 2)));
        // An unknown label crosses nothing.
        let w = g.extra_where_labels_differ(&[Some('K'), None, Some('K'), Some('K')], 2000.0);
        assert!(w.iter().all(|&x| x == 0.0));
    }

    /// The slack is a share of the real length: a crossing's weight does not widen it. Places
    /// 0 and 2 across a border (one crossing on every path), place 1 beside the way with a
    /// 10 % detour; with the slack taken of the weight (1.08 × 2,100 km), 1 would split 0–2.
    #[test]
    fn a_crossing_weight_does_not_widen_the_slack() {
        let lat = vec![0.0, 0.5, 0.0];
        let lon = vec![0.0, 0.5, 1.0];
        let e = |u, v, km| TaggedEdge { u, v, km, tag: 0 };
        let g = NetGraph::new(lat, lon, vec![e(0, 2, 100.0), e(0, 1, 55.0), e(1, 2, 55.0)], vec![String::new()], 0.0);
        let w = g.extra_where_labels_differ(&[Some('K'), Some('K'), Some('U')], 2000.0);
        let adj = neighbours_where(&g, &[Some(0), Some(1), Some(2)], 1000.0, 0.08, &[], &|_, _, _| true, Some(&w));
        assert!(adj.iter().any(|x| (x.a, x.b, x.km) == (0, 2, 100.0)), "{adj:?}");
    }

    #[test]
    fn a_join_with_a_new_end_runs_past_the_graph() {
        // A line 0 - 1 ending at 1; a join from 1 through one point to a port 2° further east,
        // where the graph has no vertex: the port becomes a vertex at the end of the chain.
        let layer = Layer {
            source: "test".into(),
            mode: None,
            lat: vec![0.0, 0.0],
            lon: vec![0.0, 1.0],
            edges: vec![crate::raw::RawEdge { u: 0, v: 1, km: 111.0, gauge_mm: 0, oneway: false }],
        };
        let join = |new_b| Join { a: (0.0, 1.0), b: (0.0, 3.0), via: vec![(0.0, 2.0)], km: None, new_b };
        let (g, missing) = NetGraph::from_layer_joined(&layer, 0.0, &[join(true)]);
        assert!(missing.is_empty());
        assert_eq!(g.len(), 4);
        assert_eq!((g.lat[3], g.lon[3]), (0.0, 3.0));
        let adj = neighbours(&g, &[Some(0), Some(3)], 1000.0, 0.05, &[]);
        assert_eq!(adj[0].path, vec![0, 1, 2, 3]);
        assert!((adj[0].km - 333.6).abs() < 1.0, "{}", adj[0].km);
        // Without `new_b` the far end must be a vertex of the graph: this join is refused.
        let (g, missing) = NetGraph::from_layer_joined(&layer, 0.0, &[join(false)]);
        assert_eq!((missing, g.len()), (vec![0], 2));
    }

    #[test]
    fn a_cut_line_stays_cut_after_healing() {
        // A main line 0 - 1 - 2 and a branch 1 - 3 - 4 that the graph draws broken between 3 and
        // 4 (4 km apart, healed at 10 km); the branch is cut from 3 to its end 4. The healed
        // connector goes with it, the main line stays, and nothing heals the cut again.
        let km = 0.009; // degrees of 1 km
        let layer = Layer {
            source: "test".into(),
            mode: None,
            lat: vec![0.0, 0.0, 0.0, 10.0 * km, 14.0 * km],
            lon: vec![0.0, 10.0 * km, 20.0 * km, 10.0 * km, 10.0 * km],
            edges: [(0, 1), (1, 2), (1, 3)]
                .map(|(u, v)| crate::raw::RawEdge { u, v, km: 10.0, gauge_mm: 0, oneway: false })
                .to_vec(),
        };
        let (whole, ..) = NetGraph::from_layer_edited(&layer, 10.0, &[], &[]);
        assert_eq!(whole.healed.len(), 1, "the branch's break is healed");
        assert_eq!(whole.comp_size[whole.comp[4] as usize], 5);
        let cut = Cut { a: (10.0 * km, 10.0 * km), b: (14.0 * km, 10.0 * km) };
        let (g, missing, uncut) = NetGraph::from_layer_edited(&layer, 10.0, &[], &[cut]);
        assert!(missing.is_empty() && uncut.is_empty());
        assert!(g.healed.is_empty());
        assert_eq!(g.comp_size[g.comp[4] as usize], 1, "the branch's end is on its own");
        assert_eq!(g.comp_size[g.comp[0] as usize], 4, "the main line and the branch up to 3 stay");
        // A cut whose end has no vertex within 5 km is reported.
        let far = Cut { a: (0.0, 0.0), b: (1.0, 1.0) };
        assert_eq!(NetGraph::from_layer_edited(&layer, 10.0, &[], &[far]).2, vec![0]);
    }

    #[test]
    fn a_second_join_can_end_on_a_point_of_the_first() {
        // Two lane vertices 0 and 1; a port joined to 0 through a bay mouth (a new vertex), and a
        // second approach from 1 that ends at that bay mouth: one port vertex, reached from both.
        let mut lat = vec![0.0, 0.0];
        let mut lon = vec![0.0, 2.0];
        let mut edges = Vec::new();
        let joins = [
            Join { a: (0.0, 0.0), b: (1.0, 1.0), via: vec![(0.5, 1.0)], km: None, new_b: true },
            Join { a: (0.0, 2.0), b: (0.5, 1.01), via: vec![], km: None, new_b: false },
        ];
        let missing = add_joins(&mut lat, &mut lon, &mut edges, &joins, 1);
        assert!(missing.is_empty());
        assert_eq!(lat.len(), 4, "bay mouth and port are the only new vertices");
        let ends: Vec<(u32, u32)> = edges.iter().map(|e| (e.u, e.v)).collect();
        assert_eq!(ends, vec![(0, 2), (2, 3), (1, 2)]);
    }

    #[test]
    fn simplify_keeps_ends_and_corners() {
        let pts = vec![(0.0, 0.0), (0.0, 0.5), (0.0, 1.0), (1.0, 1.0)];
        assert_eq!(simplify(&pts, 1.0), vec![(0.0, 0.0), (0.0, 1.0), (1.0, 1.0)]);
    }
}
