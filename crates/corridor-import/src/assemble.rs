//! Assembly of imported layers into one multimodal snapshot.
//!
//! ```text
//!   rail layer ──┐  countries (Natural Earth) → country per node → gauge per rail node,
//!   road layer ──┼─ border arcs with dwell;  breaks of gauge → node copies per gauge joined
//!   sea layer  ──┘  by gauge-change arcs;  terminals (UN/LOCODE, searoute ports, curated
//!                   locations) joined to the nearest node of each mode they serve by
//!                   connector arcs;  curated links laid over;  gaps healed by joins
//!                                   ↓
//!          one CSR graph + per-node and per-arc attributes → corridor_snapshot
//! ```
//!
//! Rules (each one general, none tuned to a route):
//! - a rail edge's gauge is its tagged gauge (OSM `gauge=`), else the gauge of the country at
//!   its first end (the curated majority gauge, else [`DEFAULT_GAUGES`]). A node where edges of
//!   two gauges meet is split into one copy per gauge, and the copies are joined by gauge-change
//!   arcs (curated transfer near the break, else the curated median);
//! - an arc whose ends lie in two countries is a border crossing and carries the crossing's
//!   dwell and fee for its direction (see [`crate::overlay`]);
//! - a terminal is a UN/LOCODE location with function port, rail, multimodal or border, a
//!   searoute port, or a curated location. It is joined to the nearest node of each mode it
//!   serves (road always) within the snap radius of that mode by connector arcs, each carrying
//!   the drayage (at road speed) and half the handling, so that changing mode through a
//!   terminal costs one handling. Boarding a ship also waits for a sailing;
//! - curated sea and ferry links are laid over between their terminals; a curated rail or road
//!   link is laid over only where the detailed layer of its mode cannot connect its ends;
//! - a component of a layer whose nearest node of the layer's main component is within
//!   `heal_km` is joined to it (a digitisation break); larger gaps are reported with the
//!   suggested join.

use std::collections::{BTreeMap, HashMap};

use corridor_cch::Graph;
use corridor_snapshot::build::components_of as components;
use corridor_snapshot::format::{ArcAttr, ArcKind, NO_COUNTRY, SnapshotData};
use corridor_snapshot::snap::{SnapIndex, haversine_km};

use crate::countries::Countries;
use crate::overlay::{Fixed, Overlay, Running, same_customs_union};
use crate::raw::{Layer, Mode, Progress, Terminal, function};

/// Gauges of countries the curated dataset does not cover (mm). Sources: the corridor fact
/// sheet (`../shared/reference/corridor_facts.md` §2.1) for the 1520 network and Iran; the
/// table of dominant gauges in Wikipedia's "Track gauge" (mirror
/// <https://liquisearch.com/track_gauge/dominant_gauges>) for the others; see docs/DETAILED.md.
/// Countries not listed default to 1435.
pub const DEFAULT_GAUGES: [(&str, u16); 31] = [
    ("RU", 1520),
    ("BY", 1520),
    ("UA", 1520),
    ("MD", 1520),
    ("KZ", 1520),
    ("UZ", 1520),
    ("TM", 1520),
    ("KG", 1520),
    ("TJ", 1520),
    ("AZ", 1520),
    ("GE", 1520),
    ("AM", 1520),
    ("LT", 1520),
    ("LV", 1520),
    ("EE", 1520),
    ("MN", 1520),
    // 1524 mm, run interchangeably with 1520 mm stock.
    ("FI", 1520),
    ("ES", 1668),
    ("PT", 1668),
    ("IE", 1600),
    ("IN", 1676),
    ("PK", 1676),
    ("BD", 1676),
    ("LK", 1676),
    ("JP", 1067),
    ("TW", 1067),
    ("ID", 1067),
    ("VN", 1000),
    ("TH", 1000),
    ("MY", 1000),
    ("MM", 1000),
];

/// Build parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    /// Snap radius of a terminal to the rail, road and sea layers, km.
    pub snap_km: [f64; 3],
    /// Join a component to its layer's main component when they are this close, km.
    pub heal_km: f64,
    /// Report at most this many components per layer in the gap report.
    pub report_components: usize,
}

impl Default for Params {
    fn default() -> Self {
        // Rail sidings of a terminal are rarely farther than a few km from its UN/LOCODE point
        // (which marks the town); the searoute network runs offshore, tens of km from quays.
        Params { snap_km: [10.0, 15.0, 100.0], heal_km: 2.0, report_components: 10 }
    }
}

/// One component of a layer in the gap report.
#[derive(Clone, Debug, PartialEq)]
pub struct GapComponent {
    /// Layer mode.
    pub mode: Mode,
    /// Nodes.
    pub nodes: usize,
    /// A node of the component (lat, lon), the one nearest to the main component.
    pub at: (f64, f64),
    /// Country of that node.
    pub country: String,
    /// Distance to the layer's main component, km, and the main node's coordinates.
    pub nearest_main: Option<(f64, (f64, f64))>,
    /// Joined by the build (distance ≤ heal_km).
    pub healed: bool,
    /// Reachable from the main component of the whole multimodal graph (through terminals,
    /// curated links or joins).
    pub connected_in_snapshot: bool,
}

/// What the assembly did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    /// Nodes and arcs per mode / kind.
    pub nodes_by_mode: BTreeMap<String, usize>,
    /// Arcs per kind.
    pub arcs_by_kind: BTreeMap<String, usize>,
    /// Components per layer (count, largest size).
    pub layer_components: Vec<(Mode, usize, usize)>,
    /// Largest non-main components per layer.
    pub gaps: Vec<GapComponent>,
    /// Terminals kept, and how many connected to rail, road, sea.
    pub terminals: (usize, [usize; 3]),
    /// Border arcs with a curated crossing, a customs-union zero, a median estimate.
    pub borders: [usize; 3],
    /// Arcs left out because they cross a closed border (`corridor_model::regions::CLOSED_BORDERS`,
    /// and `CLOSED_ROAD_BORDERS` for roads and road connectors).
    pub closed_border_arcs: usize,
    /// Breaks of gauge: with a curated transfer, with the median estimate.
    pub gauge_changes: [usize; 2],
    /// Curated links laid over, and curated rail/road links skipped because the layer connects them.
    pub curated_links: (usize, usize),
    /// Nodes whose country was found by point-in-polygon, by the nearest country within 5 km, not at all.
    pub country_lookup: [usize; 3],
}

/// The assembled network, ready to be built into a snapshot.
pub struct Assembled {
    /// Graph (weights: metres).
    pub graph: Graph,
    /// Per-node mode, gauge, country index, label.
    pub node_mode: Vec<u8>,
    /// Gauge per node.
    pub node_gauge: Vec<u16>,
    /// Country index per node.
    pub node_country: Vec<u16>,
    /// Label per node.
    pub node_label: Vec<u32>,
    /// Attributes per arc, in CSR order.
    pub arc: Vec<ArcAttr>,
    /// Country codes.
    pub countries: Vec<String>,
    /// Labels (0 = "").
    pub labels: Vec<String>,
    /// Report.
    pub report: Report,
}

impl Assembled {
    /// The snapshot arrays (computes components and the CCH order).
    pub fn into_snapshot(self, progress: &dyn Progress) -> (SnapshotData, corridor_snapshot::BuildReport) {
        progress.stage("ordering (nested dissection)", None);
        let (mut data, report) = corridor_snapshot::build(&self.graph, corridor_snapshot::SnapshotKind::Multimodal);
        let mut labels = self.labels;
        let country: Vec<u32> = self
            .countries
            .iter()
            .map(|c| {
                labels.push(c.clone());
                (labels.len() - 1) as u32
            })
            .collect();
        data.node_mode = self.node_mode;
        data.node_gauge = self.node_gauge;
        data.node_country = self.node_country;
        data.node_label = self.node_label;
        data.arc = self.arc;
        data.country = country;
        data.labels = labels;
        (data, report)
    }
}

#[derive(Default)]
struct Labels {
    list: Vec<String>,
    ids: HashMap<String, u32>,
}

impl Labels {
    fn new() -> Labels {
        Labels { list: vec![String::new()], ids: HashMap::from([(String::new(), 0)]) }
    }
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.ids.get(s) {
            return i;
        }
        self.list.push(s.to_string());
        let i = (self.list.len() - 1) as u32;
        self.ids.insert(s.to_string(), i);
        i
    }
}

struct Arc {
    tail: u32,
    head: u32,
    metres: u32,
    attr: ArcAttr,
}

fn metres(km: f64) -> u32 {
    (km * 1000.0).round().clamp(0.0, f64::from(u32::MAX / 8)) as u32
}

fn mode_code(m: Mode) -> u8 {
    m as u8
}

fn arc_kind(m: Mode) -> ArcKind {
    match m {
        Mode::Rail => ArcKind::Rail,
        Mode::Road => ArcKind::Road,
        Mode::Sea => ArcKind::Sea,
        Mode::Terminal => ArcKind::Connector,
    }
}

fn fixed_attr(kind: ArcKind, f: &Fixed, label: u32) -> ArcAttr {
    ArcAttr {
        kind: kind as u8,
        speed_kmh: 0.0,
        fixed_h: f.dwell.mean.0 as f32,
        fixed_p90_h: f.dwell.p90.0.max(f.dwell.mean.0) as f32,
        usd_fixed: f.usd as f32,
        usd_tkm: 0.0,
        kg_tkm: 0.0,
        label,
    }
}

/// Assembles `layers` (at most one per mode), `terminals`, `countries` and `overlay`.
pub fn assemble(
    layers: &[Layer],
    terminals: &[Terminal],
    countries: Option<&Countries>,
    overlay: &Overlay,
    params: &Params,
    progress: &dyn Progress,
) -> Assembled {
    let mut report = Report::default();
    let mut labels = Labels::new();
    // Country table: Natural Earth order, plus codes only terminals or the overlay know.
    // Several Natural Earth features can share one code (Cyprus and Northern Cyprus): nodes get
    // the index of the code, so a border is only where the code changes.
    let mut country_codes: Vec<String> = Vec::new();
    let mut country_index: HashMap<String, u16> = HashMap::new();
    let canon: Vec<u16> = countries
        .map(|c| {
            (0..c.len() as u16)
                .map(|i| {
                    let code = c.iso2(i).to_string();
                    *country_index.entry(code.clone()).or_insert_with(|| {
                        country_codes.push(code);
                        (country_codes.len() - 1) as u16
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let mut country_id = |code: &str, codes: &mut Vec<String>| -> u16 {
        if let Some(&i) = country_index.get(code) {
            return i;
        }
        codes.push(code.to_string());
        let i = (codes.len() - 1) as u16;
        country_index.insert(code.to_string(), i);
        i
    };

    // 1. Nodes of every layer, with their countries.
    let mut lat = Vec::new();
    let mut lon = Vec::new();
    let mut node_mode = Vec::new();
    let mut node_country = Vec::new();
    let mut offset = Vec::new();
    for layer in layers {
        let mode = layer.mode.unwrap_or(Mode::Road);
        progress.stage(
            &format!("countries of {} nodes ({})", layer.node_count(), mode.name()),
            Some(layer.node_count() as u64),
        );
        offset.push(lat.len() as u32);
        for i in 0..layer.node_count() {
            let (la, lo) = (layer.lat[i], layer.lon[i]);
            lat.push(la);
            lon.push(lo);
            node_mode.push(mode_code(mode));
            let c = match (countries, mode) {
                (Some(c), Mode::Rail | Mode::Road) => match c.locate(la, lo) {
                    Some(x) => {
                        report.country_lookup[0] += 1;
                        canon[x as usize]
                    }
                    None => match c.nearest_within(la, lo, 5.0) {
                        Some(x) => {
                            report.country_lookup[1] += 1;
                            canon[x as usize]
                        }
                        None => {
                            report.country_lookup[2] += 1;
                            NO_COUNTRY
                        }
                    },
                },
                // A sea node inside a country is on an inland waterway (the Volga–Don link of
                // the Caspian runs through Russia): avoiding the country must close it.
                (Some(c), Mode::Sea) => c.locate(la, lo).map_or(NO_COUNTRY, |x| canon[x as usize]),
                _ => NO_COUNTRY,
            };
            node_country.push(c);
            if i % 65536 == 65535 {
                progress.inc(65536);
            }
        }
        progress.inc(layer.node_count() as u64 % 65536);
    }
    let code_of = |c: u16, codes: &[String]| -> Option<String> { (c != NO_COUNTRY).then(|| codes[c as usize].clone()) };
    let gauge_of_country = |code: Option<&str>| -> u16 {
        let Some(code) = code else { return 0 };
        overlay
            .gauge_by_country
            .get(code)
            .copied()
            .or_else(|| DEFAULT_GAUGES.iter().find(|(c, _)| *c == code).map(|&(_, g)| g))
            .unwrap_or(1435)
    };

    // 2. Layer edges: gauges, node copies at breaks of gauge, running attributes, borders.
    let mut arcs: Vec<Arc> = Vec::new();
    let mut node_gauge = vec![0u16; lat.len()];
    let mut copies: HashMap<(u32, u16), u32> = HashMap::new();
    // The node each gauge copy was made from (copies are appended after all layer nodes).
    let mut copy_of: Vec<u32> = Vec::new();
    let layer_nodes = lat.len() as u32;
    // Key: mode, the two countries, and the 0.5-degree cell of the crossing.
    type BorderKey = (u8, u16, u16, i32, i32);
    let mut border_cache: HashMap<BorderKey, (u32, Fixed, usize)> = HashMap::new();
    // Without an overlay nothing is known of speeds or prices: only distances mean anything.
    let running_default = Running { speed_kmh: 0.0, usd_tkm: 0.0, kg_tkm: 0.0 };
    for (li, layer) in layers.iter().enumerate() {
        let mode = layer.mode.unwrap_or(Mode::Road);
        let m = mode as u8;
        let off = offset[li];
        progress.stage(&format!("{} edges ({})", layer.edges.len(), mode.name()), Some(layer.edges.len() as u64));
        if mode == Mode::Rail {
            for v in off..off + layer.node_count() as u32 {
                node_gauge[v as usize] = gauge_of_country(code_of(node_country[v as usize], &country_codes).as_deref());
            }
        }
        for (k, e) in layer.edges.iter().enumerate() {
            if k % 65536 == 65535 {
                progress.inc(65536);
            }
            let (mut u, mut v) = (off + e.u, off + e.v);
            if mode == Mode::Rail {
                let g = if e.gauge_mm != 0 { e.gauge_mm } else { node_gauge[u as usize] };
                for x in [&mut u, &mut v] {
                    let own = node_gauge[*x as usize];
                    if g != own && g != 0 && own != 0 {
                        let key = (*x, g);
                        *x = *copies.entry(key).or_insert_with(|| {
                            lat.push(lat[*x as usize]);
                            lon.push(lon[*x as usize]);
                            node_mode.push(m);
                            node_country.push(node_country[*x as usize]);
                            node_gauge.push(g);
                            copy_of.push(*x);
                            (lat.len() - 1) as u32
                        });
                    }
                }
            }
            let run = overlay
                .running(m.min(2), code_of(node_country[u as usize], &country_codes).as_deref())
                .unwrap_or(running_default);
            let base = ArcAttr {
                kind: arc_kind(mode) as u8,
                speed_kmh: run.speed_kmh as f32,
                fixed_h: 0.0,
                fixed_p90_h: 0.0,
                usd_fixed: 0.0,
                usd_tkm: run.usd_tkm as f32,
                kg_tkm: run.kg_tkm as f32,
                label: 0,
            };
            let w = metres(e.km);
            let mut dirs = vec![(u, v)];
            if !e.oneway {
                dirs.push((v, u));
            }
            for (a, b) in dirs {
                let mut attr = base;
                let (ca, cb) = (node_country[a as usize], node_country[b as usize]);
                if ca != cb && ca != NO_COUNTRY && cb != NO_COUNTRY && matches!(mode, Mode::Rail | Mode::Road) {
                    // The OSM graphs draw the lines and roads across closed borders too (every
                    // Ukrainian crossing with Russia, Armenia–Turkey): no arc crosses one.
                    if border_closed(mode, &country_codes[ca as usize], &country_codes[cb as usize]) {
                        report.closed_border_arcs += 1;
                        continue;
                    }
                    let at = ((lat[a as usize] + lat[b as usize]) / 2.0, (lon[a as usize] + lon[b as usize]) / 2.0);
                    // Cache by pair and 0.5-degree cell: one lookup per crossing area.
                    let key = (m, ca, cb, (at.0 * 2.0) as i32, (at.1 * 2.0) as i32);
                    let (label, fixed, class) = border_cache
                        .entry(key)
                        .or_insert_with(|| {
                            let (f, class) = border_fixed(
                                overlay,
                                mode,
                                &country_codes[ca as usize],
                                &country_codes[cb as usize],
                                at,
                            );
                            (labels.id(&f.label), f, class)
                        })
                        .clone();
                    report.borders[class] += 1;
                    attr.fixed_h = fixed.dwell.mean.0 as f32;
                    attr.fixed_p90_h = fixed.dwell.p90.0.max(fixed.dwell.mean.0) as f32;
                    attr.usd_fixed = fixed.usd as f32;
                    attr.label = label;
                }
                arcs.push(Arc { tail: a, head: b, metres: w, attr });
            }
        }
    }
    // Gauge-change arcs between the copies of a node.
    let mut copy_list: Vec<(&(u32, u16), &u32)> = copies.iter().collect();
    copy_list.sort();
    for (&(orig, g), &copy) in copy_list {
        let at = (lat[orig as usize], lon[orig as usize]);
        let curated = overlay
            .gauges
            .iter()
            .map(|c| (haversine_km(at, c.at), c))
            .filter(|(d, _)| *d <= crate::overlay::GAUGE_MATCH_KM)
            .min_by(|a, b| a.0.total_cmp(&b.0));
        let (fixed, class) = match (curated, &overlay.gauge_default) {
            (Some((_, c)), _) => (c.fixed.clone(), 0),
            (None, Some(d)) => (d.clone(), 1),
            (None, None) => continue,
        };
        report.gauge_changes[class] += 1;
        let from = node_gauge[orig as usize];
        for (a, b, ga, gb) in [(orig, copy, from, g), (copy, orig, g, from)] {
            let label = labels.id(&format!("gauge change {ga}→{gb} mm: {}", fixed.label));
            arcs.push(Arc { tail: a, head: b, metres: 0, attr: fixed_attr(ArcKind::GaugeChange, &fixed, label) });
        }
    }

    // 3. Per-layer components, the gap report and joins.
    let mut layer_comp: Vec<(Vec<u32>, Vec<usize>)> = Vec::new();
    let original = |v: u32| if v >= layer_nodes { copy_of[(v - layer_nodes) as usize] } else { v };
    for (li, layer) in layers.iter().enumerate() {
        let off = offset[li];
        let n = layer.node_count() as u32;
        // Gauge copies count as their original node: a break of gauge does not split a layer.
        let (comp, sizes) = components(
            n as usize,
            arcs.iter()
                .map(|a| (original(a.tail), original(a.head)))
                .filter(|&(t, h)| t >= off && t < off + n && h >= off && h < off + n)
                .map(|(t, h)| (t - off, h - off)),
        );
        report.layer_components.push((
            layer.mode.unwrap_or(Mode::Road),
            sizes.len(),
            sizes.first().copied().unwrap_or(0),
        ));
        layer_comp.push((comp, sizes));
    }
    let mut joins = Vec::new();
    for (li, layer) in layers.iter().enumerate() {
        let mode = layer.mode.unwrap_or(Mode::Road);
        let off = offset[li] as usize;
        let n = layer.node_count();
        let (comp, sizes) = &layer_comp[li];
        if sizes.len() < 2 {
            continue;
        }
        progress.stage(&format!("gap report ({}: {} components)", mode.name(), sizes.len()), None);
        let main_index = SnapIndex::new(layer.lat.clone(), layer.lon.clone(), |v| comp[v as usize] == 0);
        // Nearest main node per component.
        let mut best: Vec<Option<(f64, u32, u32)>> = vec![None; sizes.len()];
        for v in 0..n as u32 {
            let c = comp[v as usize] as usize;
            if c == 0 {
                continue;
            }
            // Large radius only for reported components; small ones need only the heal radius.
            let radius = if c <= params.report_components { 500.0 } else { params.heal_km };
            if let Ok(s) = main_index.nearest(layer.lat[v as usize], layer.lon[v as usize], radius)
                && best[c].is_none_or(|b| s.distance_km < b.0)
            {
                best[c] = Some((s.distance_km, v, s.node));
            }
        }
        let run = overlay.running(mode as u8 % 3, None).unwrap_or(running_default);
        for (c, b) in best.iter().enumerate().skip(1) {
            let healed = b.is_some_and(|b| b.0 <= params.heal_km);
            if let (true, Some((d, v, w))) = (healed, b) {
                joins.push((off as u32 + v, off as u32 + w, *d, run));
            }
            if c <= params.report_components {
                let v =
                    b.map(|b| b.1).unwrap_or_else(|| comp.iter().position(|&x| x as usize == c).unwrap_or(0) as u32);
                report.gaps.push(GapComponent {
                    mode,
                    nodes: sizes[c],
                    at: (layer.lat[v as usize], layer.lon[v as usize]),
                    country: code_of(node_country[off + v as usize], &country_codes).unwrap_or_default(),
                    nearest_main: b.map(|b| (b.0, (layer.lat[b.2 as usize], layer.lon[b.2 as usize]))),
                    healed,
                    connected_in_snapshot: false,
                });
            }
        }
    }
    let join_label = labels.id(&format!("join of a digitisation gap (≤ {} km)", params.heal_km));
    for (v, w, d, run) in joins {
        for (a, b) in [(v, w), (w, v)] {
            let attr = ArcAttr {
                kind: ArcKind::Join as u8,
                speed_kmh: run.speed_kmh as f32,
                usd_tkm: run.usd_tkm as f32,
                kg_tkm: run.kg_tkm as f32,
                label: join_label,
                ..ArcAttr::default()
            };
            arcs.push(Arc { tail: a, head: b, metres: metres(d), attr });
        }
    }

    // 4. Terminals: curated places first (their codes win), then UN/LOCODE and ports.
    progress.stage("terminals", Some(terminals.len() as u64));
    let mode_offset = |m: Mode| layers.iter().position(|l| l.mode == Some(m));
    let indexes: Vec<Option<(SnapIndex, u32)>> = [Mode::Rail, Mode::Road, Mode::Sea]
        .iter()
        .map(|&m| {
            mode_offset(m).map(|li| {
                let l = &layers[li];
                // Any node of the layer: a terminal on an island still joins its island.
                (SnapIndex::new(l.lat.clone(), l.lon.clone(), |_| true), offset[li])
            })
        })
        .collect();
    let mut seen: BTreeMap<String, u32> = BTreeMap::new();
    let mut node_label = vec![0u32; lat.len()];
    struct Term {
        code: String,
        name: String,
        country: String,
        at: (f64, f64),
        serves: [bool; 3],
        handling: Option<Fixed>,
    }
    let mut terms: Vec<Term> = overlay
        .places
        .iter()
        .map(|p| Term {
            code: p.code.clone(),
            name: p.name.clone(),
            country: p.country.clone(),
            at: p.at,
            serves: p.serves,
            handling: p.handling.clone(),
        })
        .collect();
    let mut merged: BTreeMap<String, usize> = terms.iter().enumerate().map(|(i, t)| (t.code.clone(), i)).collect();
    for t in terminals {
        let f = t.functions;
        if f & (function::PORT | function::RAIL | function::MULTIMODAL | function::BORDER) == 0 {
            continue;
        }
        let serves = [f & (function::RAIL | function::MULTIMODAL) != 0, true, f & function::PORT != 0];
        match merged.get(&t.code) {
            Some(&i) => {
                for (have, add) in terms[i].serves.iter_mut().zip(serves) {
                    *have |= add;
                }
            }
            None => {
                merged.insert(t.code.clone(), terms.len());
                terms.push(Term {
                    code: t.code.clone(),
                    name: t.name.clone(),
                    country: t.country.clone(),
                    at: (t.lat, t.lon),
                    serves,
                    handling: None,
                });
            }
        }
    }
    let sea_wait = overlay.sailing_wait.clone();
    for t in &terms {
        let mut ends = Vec::new();
        for (k, idx) in indexes.iter().enumerate() {
            let Some((index, off)) = idx else { continue };
            if !t.serves[k] {
                continue;
            }
            if let Ok(s) = index.nearest(t.at.0, t.at.1, params.snap_km[k]) {
                ends.push((k, off + s.node, s.distance_km));
            }
        }
        // A terminal that reaches no mode, or only the road, adds nothing a road node lacks.
        if ends.is_empty() || (ends.len() == 1 && ends[0].0 == 1 && overlay.places.iter().all(|p| p.code != t.code)) {
            continue;
        }
        let v = lat.len() as u32;
        lat.push(t.at.0);
        lon.push(t.at.1);
        node_mode.push(Mode::Terminal as u8);
        node_gauge.push(0);
        // The polygon decides, as for network nodes (a UN/LOCODE code names the country that
        // registered the place, not always the side of the border it lies on); the code is
        // the fallback offshore.
        let c = countries
            .and_then(|c| c.locate(t.at.0, t.at.1).or_else(|| c.nearest_within(t.at.0, t.at.1, 5.0)))
            .map(|x| canon[x as usize])
            .unwrap_or_else(|| country_id(&t.country, &mut country_codes));
        node_country.push(c);
        node_label.push(labels.id(&format!("{} {}", t.code, t.name)));
        seen.insert(t.code.clone(), v);
        report.terminals.0 += 1;
        for (k, w, d) in ends {
            report.terminals.1[k] += 1;
            let handling = t.handling.clone().or_else(|| overlay.handling_default[usize::from(k == 2)].clone());
            let road = overlay.running(1, Some(&t.country)).unwrap_or(running_default);
            let half = handling.as_ref().map(|h| Fixed {
                dwell: corridor_model::Dwell::new(
                    corridor_model::Hours(h.dwell.mean.0 / 2.0),
                    corridor_model::Hours(h.dwell.p90.0 / 2.0),
                ),
                usd: h.usd / 2.0,
                label: h.label.clone(),
            });
            for (a, b, boarding) in [(v, w, true), (w, v, false)] {
                let mut attr = ArcAttr {
                    kind: ArcKind::Connector as u8,
                    speed_kmh: road.speed_kmh as f32,
                    usd_tkm: road.usd_tkm as f32,
                    kg_tkm: road.kg_tkm as f32,
                    ..ArcAttr::default()
                };
                let mut what = vec![format!("{} {} ({})", t.code, t.name, ["rail", "road", "sea"][k])];
                if let Some(h) = &half {
                    attr.fixed_h = h.dwell.mean.0 as f32;
                    attr.fixed_p90_h = h.dwell.p90.0 as f32;
                    attr.usd_fixed = h.usd as f32;
                    what.push(format!("half of {}", h.label));
                }
                // A connector that crosses a border (a terminal by the line, its nearest node
                // on the other side) clears it like any other crossing.
                let (ca, cb) = (node_country[a as usize], node_country[b as usize]);
                if k < 2
                    && ca != cb
                    && ca != NO_COUNTRY
                    && cb != NO_COUNTRY
                    && border_closed(
                        [Mode::Rail, Mode::Road][k],
                        &country_codes[ca as usize],
                        &country_codes[cb as usize],
                    )
                {
                    report.closed_border_arcs += 1;
                    continue;
                }
                if k < 2 && ca != cb && ca != NO_COUNTRY && cb != NO_COUNTRY {
                    let (f, class) = border_fixed(
                        overlay,
                        [Mode::Rail, Mode::Road][k],
                        &country_codes[ca as usize],
                        &country_codes[cb as usize],
                        t.at,
                    );
                    report.borders[class] += 1;
                    attr.fixed_h += f.dwell.mean.0 as f32;
                    attr.fixed_p90_h += f.dwell.p90.0.max(f.dwell.mean.0) as f32;
                    attr.usd_fixed += f.usd as f32;
                    what.push(f.label);
                }
                if k == 2
                    && boarding
                    && let Some(wait) = &sea_wait
                {
                    attr.fixed_h += wait.dwell.mean.0 as f32;
                    attr.fixed_p90_h += wait.dwell.p90.0 as f32;
                    what.push(wait.label.clone());
                }
                attr.label = labels.id(&what.join("; "));
                arcs.push(Arc { tail: a, head: b, metres: metres(d), attr });
            }
        }
        progress.inc(1);
    }

    // 5. Curated links: sea and ferry always; rail and road only across a gap of the layer.
    let layer_node = |k: usize, at: (f64, f64)| -> Option<(u32, u32)> {
        let (index, off) = indexes[k].as_ref()?;
        let s = index.nearest(at.0, at.1, params.snap_km[k]).ok()?;
        let li = mode_offset([Mode::Rail, Mode::Road, Mode::Sea][k])?;
        Some((off + s.node, layer_comp[li].0[s.node as usize]))
    };
    for l in &overlay.links {
        let k = match l.mode {
            corridor_model::Mode::Rail => Some(0),
            corridor_model::Mode::Road => Some(1),
            _ => None,
        };
        if let Some(k) = k
            && let (Some((_, ca)), Some((_, cb))) = (layer_node(k, l.at[0]), layer_node(k, l.at[1]))
            && ca == cb
        {
            report.curated_links.1 += 1;
            continue;
        }
        let (Some(&a), Some(&b)) = (seen.get(&l.ends[0]), seen.get(&l.ends[1])) else { continue };
        report.curated_links.0 += 1;
        let label = labels.id(&l.label);
        let mut dirs = vec![(a, b, 0usize)];
        if !l.oneway {
            dirs.push((b, a, 1));
        }
        for (x, y, d) in dirs {
            let attr = ArcAttr {
                kind: ArcKind::Curated as u8,
                speed_kmh: 0.0,
                fixed_h: l.hours[d].mean.0 as f32,
                fixed_p90_h: l.hours[d].p90.0 as f32,
                usd_fixed: (l.usd_fixed + l.border_usd[d]) as f32,
                usd_tkm: l.usd_tkm as f32,
                kg_tkm: l.kg_tkm as f32,
                label,
            };
            arcs.push(Arc { tail: x, head: y, metres: metres(l.km), attr });
        }
    }
    node_label.resize(lat.len(), 0);

    // 6. Which reported gaps the whole graph connects.
    let n = lat.len();
    let (all_comp, _) = components(n, arcs.iter().map(|a| (a.tail, a.head)));
    let main = {
        // The main component of the whole graph is the one holding the largest layer's main.
        let mut counts: HashMap<u32, usize> = HashMap::new();
        for &c in &all_comp {
            *counts.entry(c).or_default() += 1;
        }
        counts.into_iter().max_by_key(|&(c, k)| (k, std::cmp::Reverse(c))).map(|(c, _)| c).unwrap_or(0)
    };
    let locate_node = |at: (f64, f64), mode: Mode| -> Option<u32> {
        let li = mode_offset(mode)?;
        let l = &layers[li];
        (0..l.node_count()).find(|&i| l.lat[i] == at.0 && l.lon[i] == at.1).map(|i| offset[li] + i as u32)
    };
    for g in &mut report.gaps {
        g.connected_in_snapshot = locate_node(g.at, g.mode).is_some_and(|v| all_comp[v as usize] == main);
    }

    // 7. CSR with attributes in arc order.
    progress.stage("graph", None);
    arcs.sort_by_key(|a| a.tail);
    for m in &node_mode {
        let name = Mode::from_code(*m).map_or("?", Mode::name);
        *report.nodes_by_mode.entry(name.to_string()).or_default() += 1;
    }
    for a in &arcs {
        let name = ArcKind::from_code(a.attr.kind).map_or("?", ArcKind::name);
        *report.arcs_by_kind.entry(name.to_string()).or_default() += 1;
    }
    let list: Vec<(u32, u32, u32)> = arcs.iter().map(|a| (a.tail, a.head, a.metres)).collect();
    let graph = Graph::from_arcs(n, &list, lat, lon);
    let arc = arcs.into_iter().map(|a| a.attr).collect();
    Assembled {
        graph,
        node_mode,
        node_gauge,
        node_country,
        node_label,
        arc,
        countries: country_codes,
        labels: labels.list,
        report,
    }
}

/// Whether the border between countries `a` and `b` is closed to `mode`
/// (`corridor_model::regions::closed_border`).
fn border_closed(mode: Mode, a: &str, b: &str) -> bool {
    corridor_model::regions::closed_border(a, b, mode == Mode::Road).is_some()
}

/// The dwell and fee of crossing from country `a` to `b` at `at`, and its class (0 curated,
/// 1 customs union, 2 estimate).
fn border_fixed(overlay: &Overlay, mode: Mode, a: &str, b: &str, at: (f64, f64)) -> (Fixed, usize) {
    let cmode = if mode == Mode::Rail { corridor_model::Mode::Rail } else { corridor_model::Mode::Road };
    let same_pair: Vec<_> = overlay.borders.iter().filter(|x| x.mode == cmode && x.from == a && x.to == b).collect();
    if let Some((_, x)) = same_pair
        .iter()
        .map(|x| (haversine_km(at, x.at), x))
        .filter(|(d, _)| *d <= crate::overlay::BORDER_MATCH_KM)
        .min_by(|p, q| p.0.total_cmp(&q.0))
    {
        return (x.fixed.clone(), 0);
    }
    if !same_pair.is_empty() {
        let refs: Vec<&Fixed> = same_pair.iter().map(|x| &x.fixed).collect();
        if let Some(mut f) = crate::overlay::median_fixed(&refs, "") {
            f.label = format!(
                "border {a}→{b} (estimate: median of the {} curated {} crossings of this pair)",
                refs.len(),
                mode.name()
            );
            return (f, 0);
        }
    }
    if same_customs_union(a, b) {
        let f = Fixed {
            dwell: corridor_model::Dwell::default(),
            usd: 0.0,
            label: format!("border {a}→{b} (one customs union: no clearance)"),
        };
        return (f, 1);
    }
    let refs: Vec<&Fixed> = overlay.borders.iter().filter(|x| x.mode == cmode).map(|x| &x.fixed).collect();
    let mut f = crate::overlay::median_fixed(&refs, "").unwrap_or(Fixed {
        dwell: corridor_model::Dwell::default(),
        usd: 0.0,
        label: String::new(),
    });
    f.label = format!("border {a}→{b} (estimate: median of {} curated {} crossings)", refs.len(), mode.name());
    (f, 2)
}
