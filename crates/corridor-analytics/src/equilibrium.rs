//! User-equilibrium assignment of the corridor demand with congestible capacities, on top of
//! `corridor-assign`'s bi-conjugate Frank–Wolfe.
//!
//! The assignment network is built from the compiled state-expanded graph:
//!
//! - nodes `0..Z` are one zone per location with demand (`first_thru_node = Z`, so no path
//!   passes through a zone), then the graph nodes, then one extra node per capacitated arc;
//! - zone `z` connects to every platform node of its location and back at zero cost;
//! - every graph arc becomes a constant-cost link (the balanced generalized cost per TEU from
//!   `measure_arc`: BPR with `b = 0`);
//! - a capacitated arc gets, in series, a *delay link* with the queueing form
//!   `VOT · T · j · x / (c − x)` (modified Davidson, linear above `mu · c`): the queue delay in
//!   hours of an M/M/1-like server (`j = 1` is exactly M/M/1: time in system `T / (1 − ρ)`),
//!   valued at the value of time. `T` is the time a container spends at the element: for a link
//!   its running time plus the wait for a departure and the border clearance of that direction
//!   (the arcs forced in series with it), for a border or transfer its dwell.
//!
//! `corridor-assign`'s Davidson form is `fft · (1 + j x / (c − x))`, i.e. it includes the
//! free-flow time. To keep the zero-flow cost of every path exactly equal to the routing cost,
//! `VOT · T` is taken off the constant links of the arcs that make up `T` (their generalized
//! cost always contains `VOT` x their own hours, so they stay non-negative).
//!
//! Flows are TEU per week (the capacity unit).

use corridor_assign::{AssignConfig, Link, Network as AssignNet, OdMatrix, UserClass, Vdf, assign_classes};
use corridor_model::{ArcId, ArcKind, Direction};

use crate::prepare::Prepared;

/// The volume-delay form of capacitated elements.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum DelayForm {
    /// Modified Davidson: `T · j · x / (c − x)`, linear above `mu · c`.
    Davidson {
        /// Delay parameter (1 = M/M/1 queue).
        j: f64,
        /// Knee as a fraction of capacity.
        mu: f64,
    },
    /// BPR on the element time: `T · b · (x / c)^power`.
    Bpr {
        /// Coefficient.
        b: f64,
        /// Exponent.
        power: f64,
    },
}

/// Settings of [`equilibrium`].
#[derive(Clone, Debug, PartialEq)]
pub struct EquilibriumConfig {
    /// Delay form of every capacitated element.
    pub form: DelayForm,
    /// Target relative gap.
    pub target_gap: f64,
    /// Iteration limit.
    pub max_iterations: usize,
}

impl Default for EquilibriumConfig {
    fn default() -> Self {
        EquilibriumConfig { form: DelayForm::Davidson { j: 1.0, mu: 0.95 }, target_gap: 1e-4, max_iterations: 2000 }
    }
}

/// Raw equilibrium output on the graph's arcs.
#[derive(Clone, Debug, PartialEq)]
pub struct EquilibriumFlows {
    /// TEU per week on each graph arc.
    pub arc_flow: Vec<f64>,
    /// Queueing delay in hours per TEU on each graph arc (0 where uncapacitated).
    pub arc_delay_h: Vec<f64>,
    /// Unserved TEU per week of each OD (those with no path at all).
    pub unserved: Vec<f64>,
    /// Frank–Wolfe iterations.
    pub iterations: usize,
    /// Final relative gap.
    pub relative_gap: f64,
    /// Whether the target gap was reached.
    pub converged: bool,
}

/// Why the equilibrium could not be computed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum EquilibriumError {
    /// The assignment network was rejected (a bug in this module or absurd data).
    #[error("assignment network: {0}")]
    Network(#[from] corridor_assign::NetworkError),
    /// The assignment failed.
    #[error("assignment: {0}")]
    Assign(#[from] corridor_assign::AssignError),
}

/// The time `T` (hours) of capacitated arc `arc` and the arcs whose own hours make it up.
pub(crate) fn element_time(p: &Prepared, arc: ArcId) -> (f64, Vec<usize>) {
    let g = &p.graph;
    match g.kind(arc) {
        ArcKind::Link { link, forward } => {
            let mut parts = vec![arc.index()];
            // The wait arc ends where this arc starts; the border arc starts where it ends.
            let tail = g.tail(arc);
            let head = g.head(arc);
            for a in 0..g.num_arcs() {
                let id = ArcId::from_index(a);
                match g.kind(id) {
                    ArcKind::Wait { link: l, forward: f } if l == link && f == forward && g.head(id) == tail => {
                        parts.push(a)
                    }
                    ArcKind::Border(b) if g.tail(id) == head => {
                        let bd = &p.net.borders[b.index()];
                        let dir_ok =
                            matches!((bd.direction, forward), (Direction::Forward, true) | (Direction::Reverse, false));
                        if bd.link == link && dir_ok {
                            parts.push(a);
                        }
                    }
                    _ => {}
                }
            }
            (parts.iter().map(|&a| p.costs.hours[a]).sum(), parts)
        }
        _ => (p.costs.hours[arc.index()], vec![arc.index()]),
    }
}

/// Assigns `p.ods` at user equilibrium (see the module docs).
pub fn equilibrium(p: &Prepared, config: &EquilibriumConfig) -> Result<EquilibriumFlows, EquilibriumError> {
    let g = &p.graph;
    let n_arcs = g.num_arcs();
    let vot = p.costs.value_of_time.max(1e-9);
    // Zones: the locations with demand, in first-seen order.
    let mut zone_of = std::collections::BTreeMap::new();
    for od in &p.ods {
        for loc in [od.from, od.to] {
            let next = zone_of.len();
            zone_of.entry(loc).or_insert(next);
        }
    }
    let z = zone_of.len();
    let off = z as u32;
    // Reachability at free flow: ODs without any path are unserved, not an error.
    let tails = p.tails();
    let heads: Vec<u32> = g.heads().iter().map(|h| h.0).collect();
    let adj = crate::paths::Adjacency::new(g.num_nodes(), &tails, &heads);
    // One user class per corridor that demand is bound to (and one for free demand): the
    // classes share the congestion, each keeps to its own links.
    let mut class_keys: Vec<Option<corridor_model::CorridorId>> = p.ods.iter().map(|o| o.corridor).collect();
    class_keys.sort();
    class_keys.dedup();
    let class_blocked: Vec<Vec<bool>> =
        class_keys.iter().map(|k| k.map(|c| p.blocked_arcs(c)).unwrap_or_default()).collect();
    let class_weight: Vec<Vec<f64>> = class_blocked
        .iter()
        .map(|b| {
            p.costs
                .gc
                .iter()
                .enumerate()
                .map(|(a, &w)| if b.get(a) == Some(&true) { f64::INFINITY } else { w })
                .collect()
        })
        .collect();
    let mut unserved = vec![0.0; p.ods.len()];
    let mut ods = vec![OdMatrix::new(z.max(1)); class_keys.len()];
    for (i, o) in p.ods.iter().enumerate() {
        let k = class_keys.binary_search(&o.corridor).expect("every OD's class is listed");
        let src: Vec<u32> = o.sources.iter().map(|n| n.0).collect();
        let (dist, _) = adj.shortest(&src, &class_weight[k]);
        if o.sinks.iter().any(|t| dist[t.index()].is_finite()) {
            let (a, b) = (zone_of[&o.from], zone_of[&o.to]);
            let sum = ods[k].get(a, b) + o.teu_week;
            ods[k].set(a, b, sum);
        } else {
            unserved[i] = o.teu_week;
        }
    }
    // Constant parts, with VOT·T taken off the arcs that make up each element's T.
    let mut base = p.costs.gc.clone();
    let mut delay_params = Vec::new(); // (graph arc, T, capacity)
    for c in &p.constraints {
        let (_, parts) = element_time(p, c.arc);
        let mut t_eff = 0.0;
        for a in parts {
            // An arc shared by two elements (a link and its border both capacitated) gives its
            // hours to the first only, so that no constant goes negative.
            let take = (vot * p.costs.hours[a]).min(base[a]);
            base[a] -= take;
            t_eff += take / vot;
        }
        // A zero-time element would have no delay at all; one hour is the floor (the cost of
        // that hour at zero flow is the price of keeping the element congestible).
        let t_used = if t_eff > 0.0 { t_eff } else { 1.0 };
        delay_params.push((c.arc.index(), t_used, c.capacity.max(1e-6)));
    }
    let mut links = Vec::with_capacity(n_arcs + 2 * p.graph.num_nodes() + delay_params.len());
    let mut delay_at = vec![usize::MAX; n_arcs];
    let mut next_node = off + g.num_nodes() as u32;
    let mut arc_link = vec![0usize; n_arcs];
    let constrained: std::collections::HashMap<usize, (f64, f64)> =
        delay_params.iter().map(|&(a, t, c)| (a, (t, c))).collect();
    for a in 0..n_arcs {
        let (u, v) = (tails[a] + off, heads[a] + off);
        match constrained.get(&a) {
            None => {
                arc_link[a] = links.len();
                links.push(Link::bpr(u, v, 1.0, base[a], 0.0, 1.0));
            }
            Some(&(t, cap)) => {
                let mid = next_node;
                next_node += 1;
                arc_link[a] = links.len();
                links.push(Link::bpr(u, mid, 1.0, base[a], 0.0, 1.0));
                delay_at[a] = links.len();
                let vdf = match config.form {
                    DelayForm::Davidson { j, mu } => Vdf::Davidson { j, mu },
                    DelayForm::Bpr { b, power } => Vdf::Bpr { b, power },
                };
                links.push(Link { from: mid, to: v, capacity: cap, free_flow_time: vot * t, vdf });
            }
        }
    }
    for (&loc, &zi) in &zone_of {
        for n in g.stop_nodes(loc) {
            links.push(Link::bpr(zi as u32, n.0 + off, 1.0, 0.0, 0.0, 1.0));
            links.push(Link::bpr(n.0 + off, zi as u32, 1.0, 0.0, 0.0, 1.0));
        }
    }
    let net = AssignNet::new(next_node as usize, z.max(1), z, links)?;
    let mut arc_flow = vec![0.0; n_arcs];
    let mut arc_delay_h = vec![0.0; n_arcs];
    if ods.iter().map(OdMatrix::total).sum::<f64>() <= 0.0 {
        return Ok(EquilibriumFlows {
            arc_flow,
            arc_delay_h,
            unserved,
            iterations: 0,
            relative_gap: 0.0,
            converged: true,
        });
    }
    let cfg = AssignConfig {
        target_gap: config.target_gap,
        max_iterations: config.max_iterations,
        ..AssignConfig::default()
    };
    let classes: Vec<UserClass> = ods
        .into_iter()
        .zip(&class_blocked)
        .map(|(od, arcs)| {
            let blocked = if arcs.is_empty() {
                Vec::new()
            } else {
                let mut b = vec![false; net.links().len()];
                for (a, &x) in arcs.iter().enumerate() {
                    b[arc_link[a]] = x;
                }
                b
            };
            UserClass { od, blocked }
        })
        .collect();
    let eq = assign_classes(&net, &classes, &cfg)?;
    for a in 0..n_arcs {
        arc_flow[a] = eq.flows[arc_link[a]];
        if delay_at[a] != usize::MAX {
            let l = &net.links()[delay_at[a]];
            arc_delay_h[a] = (eq.times[delay_at[a]] - l.free_flow_time).max(0.0) / vot;
        }
    }
    Ok(EquilibriumFlows {
        arc_flow,
        arc_delay_h,
        unserved,
        iterations: eq.iterations,
        relative_gap: eq.relative_gap,
        converged: eq.converged,
    })
}
