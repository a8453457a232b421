//! A loaded snapshot ready to answer: the CCH mapped from the file, customized with the
//! distance metric, a snapping index over the largest component, and batch/matrix helpers.

use std::path::Path;
use std::time::Instant;

use corridor_cch::{Cch, CchMetric, CchQuery, INF};
use rayon::prelude::*;

use crate::format::{ArcKind, NO_COUNTRY, NodeMode, Snapshot, SnapshotError};
use crate::profile::{ArcCost, BLOCKED_PATH, Profile};
use crate::snap::{SnapError, SnapIndex, Snapped};

/// A query endpoint: a node id of the snapshot, or a coordinate to snap.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Point {
    /// Node id.
    Node(u32),
    /// (lat, lon) in degrees.
    Coord(f64, f64),
}

/// How distance turns into time and money for a detailed network (which carries only
/// distances): an average commercial speed and a rate per cargo tonne-km.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tariff {
    /// km/h.
    pub speed_kmh: f64,
    /// USD per tonne-km.
    pub usd_per_tkm: f64,
    /// Cargo tonnes.
    pub payload_t: f64,
}

/// The answer for one pair.
#[derive(Clone, Debug, PartialEq)]
pub struct PairResult {
    /// Source node (after snapping).
    pub source: Option<Snapped>,
    /// Target node (after snapping).
    pub target: Option<Snapped>,
    /// Network distance in metres (`None`: unreachable or not snapped).
    pub metres: Option<u32>,
    /// Why there is no answer, if none.
    pub error: Option<String>,
    /// Exact totals along the path under the request's profile.
    pub totals: Option<ArcCost>,
}

/// A stretch of a route on one kind of arc (one mode, or one curated link, connector or gauge
/// change), with exact totals.
#[derive(Clone, Debug, PartialEq)]
pub struct Leg {
    /// What the stretch runs on.
    pub kind: ArcKind,
    /// Label of the stretch: the curated link, terminal or gauge change ("" for plain track).
    pub label: String,
    /// First node.
    pub from: u32,
    /// Last node.
    pub to: u32,
    /// Totals.
    pub cost: ArcCost,
    /// Countries entered, in order (ISO codes; the first is where the leg starts).
    pub countries: Vec<String>,
    /// Border crossings on the leg: (label or "XX→YY", mean hours, P90 hours).
    pub borders: Vec<(String, f64, f64)>,
    /// Rail gauge of the leg's nodes, mm (0 if not rail or unknown).
    pub gauge_mm: u16,
    /// (lat, lon) points, from `from` to `to`.
    pub points: Vec<(f64, f64)>,
}

/// A snapshot with its CCH.
pub struct Engine {
    snapshot: Snapshot,
    index: SnapIndex,
    /// Snapping indexes per node mode (rail, road, sea, terminal), over the largest component.
    mode_index: Vec<Option<SnapIndex>>,
    /// Seconds spent: mapping + checks (the stored CCH's included), snapping indexes.
    pub timings: (f64, f64),
}

impl Engine {
    /// Loads `path`: maps the file, checks it (including its stored CCH) and builds the
    /// snapping indexes.
    pub fn load(path: &Path) -> Result<Engine, SnapshotError> {
        let t = Instant::now();
        let snapshot = Snapshot::open(path)?;
        let t_open = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let degrees = |e7: &[i32]| -> std::sync::Arc<[f64]> { e7.iter().map(|&x| f64::from(x) / 1e7).collect() };
        let (lat, lon) = (degrees(snapshot.lat_e7()), degrees(snapshot.lon_e7()));
        let comp = snapshot.component();
        let modes = snapshot.node_mode();
        let mode_index = NodeMode::ALL
            .iter()
            .map(|m| m.code())
            .map(|m| {
                let any = modes.iter().zip(comp).any(|(&x, &c)| x == m && c == 0);
                any.then(|| {
                    SnapIndex::shared(lat.clone(), lon.clone(), |v| comp[v as usize] == 0 && modes[v as usize] == m)
                })
            })
            .collect();
        let index = SnapIndex::shared(lat, lon, |v| comp[v as usize] == 0);
        let t_index = t.elapsed().as_secs_f64();
        Ok(Engine { snapshot, index, mode_index, timings: (t_open, t_index) })
    }

    /// The snapshot.
    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    /// Customizes the CCH with arc lengths (metres).
    pub fn distance_metric(&self) -> CchMetric<'_> {
        // Sequential basic + perfect customization measured faster than the parallel one on 2
        // cores, and the perfect pass prunes arcs every query would otherwise scan.
        CchMetric::new(self.snapshot.cch(), self.snapshot.weight_m()).perfect()
    }

    /// Customizes the CCH for a request profile (objective, overrides, avoided countries and
    /// kinds): one customization pass, a fraction of a second on a continental graph.
    /// A metric the snapshot stores for the same profile (a preset) is mapped instead.
    pub fn metric(&self, profile: &Profile) -> CchMetric<'_> {
        if let Some(m) = self.snapshot.stored_metric_for(profile.fingerprint()) {
            return m;
        }
        CchMetric::new(self.snapshot.cch(), &profile.weights(&self.snapshot)).perfect()
    }

    /// The CCH (metric-independent), for custom customizations.
    pub fn cch(&self) -> &Cch {
        self.snapshot.cch()
    }

    /// A basic customization only (no perfect pass): about half the time of [`Engine::metric`]
    /// and a slower query, for a one-off request such as a custom avoid list.
    /// A metric the snapshot stores for the same profile is mapped instead (it is the perfect
    /// one, so it answers as fast as [`Engine::metric`]).
    pub fn metric_basic(&self, profile: &Profile) -> CchMetric<'_> {
        if let Some(m) = self.snapshot.stored_metric_for(profile.fingerprint()) {
            return m;
        }
        CchMetric::new(self.snapshot.cch(), &profile.weights(&self.snapshot))
    }

    /// [`Engine::metric_basic`] for `profile` when `base` is the metric of a profile that
    /// differs from it only by fewer exclusions (a preset, for a request with an `exclude`
    /// list): starts from `base`'s input weights and blocks the excluded arcs, instead of
    /// evaluating every arc's cost again.
    pub fn metric_basic_from(&self, base: &CchMetric<'_>, profile: &Profile) -> CchMetric<'_> {
        let mut w = base.arrays().2.to_vec();
        profile.block(&self.snapshot, &mut w);
        CchMetric::new(self.snapshot.cch(), &w)
    }

    /// Node modes present in the largest component.
    pub fn snap_modes(&self) -> Vec<NodeMode> {
        NodeMode::ALL.into_iter().filter(|&m| self.mode_index[usize::from(m.code())].is_some()).collect()
    }

    /// Resolves a point to a node of node mode `mode` (any mode when `None`).
    pub fn resolve_mode(&self, p: Point, limit_km: f64, mode: Option<NodeMode>) -> Result<Snapped, SnapError> {
        match (p, mode) {
            (Point::Coord(lat, lon), Some(m)) => {
                match self.mode_index.get(usize::from(m.code())).and_then(|i| i.as_ref()) {
                    Some(index) => index.nearest(lat, lon, limit_km),
                    None => Err(SnapError::TooFar { lat, lon, limit_km, nearest_km: f64::INFINITY }),
                }
            }
            _ => self.resolve(p, limit_km),
        }
    }

    /// The shortest path under `metric`: its weight and input arcs (`None`: unreachable, or
    /// only reachable through a blocked arc).
    pub fn path(&self, metric: &CchMetric<'_>, s: u32, t: u32) -> Option<(u32, Vec<u32>)> {
        let mut q = CchQuery::new(metric);
        let d = q.distance(s, t).filter(|&d| d < BLOCKED_PATH)?;
        Some((d, q.path()))
    }

    /// Splits a path (input arcs from `s`) into legs with exact totals under `profile`.
    pub fn legs(&self, profile: &Profile, s: u32, arcs: &[u32]) -> Vec<Leg> {
        let snap = &self.snapshot;
        let (head, metres) = (snap.head(), snap.weight_m());
        let country = |v: u32| {
            let c = snap.node_country()[v as usize];
            (c != NO_COUNTRY).then(|| snap.country_code(c).to_string())
        };
        let mut legs: Vec<Leg> = Vec::new();
        let mut at = s;
        for &a in arcs {
            let a = a as usize;
            let attr = snap.arc_attr(a);
            let kind = ArcKind::from_code(attr.kind).unwrap_or(ArcKind::Join);
            let c = profile.arc_cost(&attr, metres[a]);
            let v = head[a];
            // Plain track merges across labels (a labelled border arc stays inside its leg);
            // curated links, connectors and gauge changes are legs of their own.
            let plain = matches!(kind, ArcKind::Rail | ArcKind::Road | ArcKind::Sea | ArcKind::Join);
            let label = if plain { String::new() } else { snap.label(attr.label).to_string() };
            let gauge = if kind == ArcKind::Rail { snap.node_gauge()[v as usize] } else { 0 };
            let same = legs
                .last()
                .is_some_and(|l| l.kind == kind && if plain { l.gauge_mm == gauge } else { l.label == label });
            if !same {
                legs.push(Leg {
                    kind,
                    label,
                    from: at,
                    to: at,
                    cost: ArcCost::default(),
                    countries: country(at).into_iter().collect(),
                    borders: Vec::new(),
                    gauge_mm: gauge,
                    points: vec![self.coord(at)],
                });
            }
            let leg = legs.last_mut().expect("pushed above");
            leg.to = v;
            leg.cost.km += c.km;
            leg.cost.hours += c.hours;
            leg.cost.hours_p90 += c.hours_p90;
            leg.cost.usd += c.usd;
            leg.cost.kg_co2e += c.kg_co2e;
            leg.points.push(self.coord(v));
            let (cu, cv) = (country(at), country(v));
            if let (Some(cu), Some(cv)) = (&cu, &cv)
                && cu != cv
            {
                if kind == ArcKind::Curated {
                    // A curated link's time already includes its crossing.
                    leg.borders.push((format!("{cu}→{cv} (included in the curated link)"), 0.0, 0.0));
                } else if kind == ArcKind::Connector {
                    // A terminal by the border: its connector carries handling and clearance
                    // together (the leg's hours).
                    leg.borders.push((format!("{cu}→{cv} (at the terminal, included in the connector)"), 0.0, 0.0));
                } else {
                    let name = match snap.label(attr.label) {
                        "" => format!("{cu}→{cv}"),
                        l => l.to_string(),
                    };
                    leg.borders.push((name, f64::from(attr.fixed_h), f64::from(attr.fixed_p90_h.max(attr.fixed_h))));
                }
            }
            if let Some(cv) = cv
                && leg.countries.last() != Some(&cv)
            {
                leg.countries.push(cv);
            }
            at = v;
        }
        legs
    }

    /// Resolves a point to a node.
    pub fn resolve(&self, p: Point, limit_km: f64) -> Result<Snapped, SnapError> {
        match p {
            Point::Node(v) if (v as usize) < self.snapshot.node_count() => Ok(Snapped { node: v, distance_km: 0.0 }),
            Point::Node(v) => {
                Err(SnapError::TooFar { lat: f64::NAN, lon: f64::from(v), limit_km, nearest_km: f64::INFINITY })
            }
            Point::Coord(lat, lon) => self.index.nearest(lat, lon, limit_km),
        }
    }

    /// Coordinates (lat, lon) of a node.
    pub fn coord(&self, v: u32) -> (f64, f64) {
        (f64::from(self.snapshot.lat_e7()[v as usize]) / 1e7, f64::from(self.snapshot.lon_e7()[v as usize]) / 1e7)
    }

    /// Answers many pairs in parallel: coordinates snap to node mode `snap` (any when `None`);
    /// `metres` is the path weight under `metric` (metres for the distance metric), and
    /// `totals` the exact km, hours, USD and CO2e along the path under `profile`.
    pub fn pairs(
        &self,
        metric: &CchMetric<'_>,
        profile: &Profile,
        pairs: &[(Point, Point)],
        limit_km: f64,
        snap: Option<NodeMode>,
    ) -> Vec<PairResult> {
        let metres = self.snapshot.weight_m();
        pairs
            .par_chunks(256)
            .flat_map_iter(|chunk| {
                let mut q = CchQuery::new(metric);
                chunk
                    .iter()
                    .map(|&(a, b)| {
                        let (s, t) = (self.resolve_mode(a, limit_km, snap), self.resolve_mode(b, limit_km, snap));
                        match (&s, &t) {
                            (Ok(s), Ok(t)) => {
                                let d = q.distance(s.node, t.node).filter(|&d| d < BLOCKED_PATH);
                                let totals = d.map(|_| {
                                    let mut c = ArcCost::default();
                                    for a in q.path() {
                                        let x =
                                            profile.arc_cost(&self.snapshot.arc_attr(a as usize), metres[a as usize]);
                                        c.km += x.km;
                                        c.hours += x.hours;
                                        c.hours_p90 += x.hours_p90;
                                        c.usd += x.usd;
                                        c.kg_co2e += x.kg_co2e;
                                    }
                                    c
                                });
                                PairResult {
                                    source: Some(*s),
                                    target: Some(*t),
                                    metres: d,
                                    error: d.is_none().then(|| "no path between the snapped nodes".to_string()),
                                    totals,
                                }
                            }
                            _ => PairResult {
                                source: s.as_ref().ok().copied(),
                                target: t.as_ref().ok().copied(),
                                metres: None,
                                error: Some(s.err().or(t.err()).map(|e| e.to_string()).unwrap_or_default()),
                                totals: None,
                            },
                        }
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// A route: distance and the node coordinates along the path.
    pub fn route(&self, metric: &CchMetric<'_>, s: u32, t: u32) -> Option<(u32, Vec<(f64, f64)>)> {
        let mut q = CchQuery::new(metric);
        let d = q.distance(s, t)?;
        let arcs = q.path();
        let head = self.snapshot.head();
        let mut pts = vec![self.coord(s)];
        pts.extend(arcs.iter().map(|&a| self.coord(head[a as usize])));
        Some((d, pts))
    }

    /// A distance matrix in metres (`INF` = unreachable), row-major sources x targets.
    pub fn matrix(&self, metric: &CchMetric<'_>, sources: &[u32], targets: &[u32]) -> Vec<u32> {
        corridor_cch::matrix_parallel(metric, sources, targets)
    }
}

/// Unreachable marker of [`Engine::matrix`].
pub const UNREACHABLE: u32 = INF;
