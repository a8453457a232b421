//! Metrics of a detailed network: how an arc's stored attributes (length, speed, fixed time,
//! prices, emission intensity) become the one `u32` weight per arc that a CCH customization
//! takes, for an objective chosen per request, with avoided countries, gauge changes or arc
//! kinds blocked by weight.
//!
//! Weights are integers in fine units (0.1 s, 0.001 USD, 0.1 g CO2e) so that rounding on the
//! many short arcs of an OSM graph stays far below what a user reads; reported totals are
//! recomputed exactly in `f64` along the path (see [`crate::engine::Engine::legs`]).

use crate::format::{ArcAttr, ArcKind, NO_COUNTRY, Snapshot};

/// What a route minimises.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Objective {
    /// Length.
    Distance,
    /// Mean door-to-door time.
    Time,
    /// Time with every fixed time at its 90th percentile (a conservative, additive bound, not
    /// the P90 of the sum).
    TimeP90,
    /// Price.
    Cost,
    /// Well-to-wheel CO2e.
    Co2,
    /// Price + value of time x hours + carbon price x tonnes CO2e (generalised cost).
    Balanced {
        /// USD per hour of the shipment.
        value_of_time_usd_h: f64,
        /// USD per tonne CO2e.
        carbon_usd_t: f64,
    },
}

impl Objective {
    /// The unit of one weight step, for messages.
    pub fn unit(&self) -> &'static str {
        match self {
            Objective::Distance => "m",
            Objective::Time | Objective::TimeP90 => "0.1 s",
            Objective::Cost | Objective::Balanced { .. } => "0.001 USD",
            Objective::Co2 => "0.1 g CO2e",
        }
    }
}

/// One request's view of the network: objective, cargo, overrides and what to avoid.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    /// What to minimise.
    pub objective: Objective,
    /// Cargo tonnes in the box (prices per tonne-km and emissions scale with it).
    pub payload_t: f64,
    /// Speed overrides for rail, road and sea arcs, km/h.
    pub speed_kmh: [Option<f64>; 3],
    /// Price overrides for rail, road and sea arcs, USD per tonne-km.
    pub usd_tkm: [Option<f64>; 3],
    /// ISO codes of countries not to enter.
    pub avoid_countries: Vec<String>,
    /// Arc kinds not to use (bit `1 << kind`).
    pub avoid_kinds: u8,
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            objective: Objective::Distance,
            payload_t: 10.0,
            speed_kmh: [None; 3],
            usd_tkm: [None; 3],
            avoid_countries: Vec::new(),
            avoid_kinds: 0,
        }
    }
}

/// Weight of a blocked arc. Below `INF` as customization requires; any path at or above
/// [`BLOCKED_PATH`] uses a blocked arc and is reported as no route.
pub const BLOCKED: u32 = corridor_cch::INF - 1;
/// Path weights from here up are not routes.
pub const BLOCKED_PATH: u32 = corridor_cch::INF / 2;

/// Exact quantities of one arc under a profile.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ArcCost {
    /// km.
    pub km: f64,
    /// Mean hours.
    pub hours: f64,
    /// Hours with fixed times at P90.
    pub hours_p90: f64,
    /// USD.
    pub usd: f64,
    /// kg CO2e WTW.
    pub kg_co2e: f64,
}

impl Profile {
    /// The exact quantities of arc `a` with attributes `attr` and length `metres`.
    pub fn arc_cost(&self, attr: &ArcAttr, metres: u32) -> ArcCost {
        let km = f64::from(metres) / 1000.0;
        let kind = attr.kind as usize;
        let speed = if kind < 3 {
            self.speed_kmh[kind].unwrap_or(f64::from(attr.speed_kmh))
        } else {
            f64::from(attr.speed_kmh)
        };
        let rate =
            if kind < 3 { self.usd_tkm[kind].unwrap_or(f64::from(attr.usd_tkm)) } else { f64::from(attr.usd_tkm) };
        let run = if speed > 0.0 { km / speed } else { 0.0 };
        ArcCost {
            km,
            hours: run + f64::from(attr.fixed_h),
            hours_p90: run + f64::from(attr.fixed_p90_h.max(attr.fixed_h)),
            usd: f64::from(attr.usd_fixed) + rate * km * self.payload_t,
            kg_co2e: f64::from(attr.kg_tkm) * km * self.payload_t,
        }
    }

    /// The weight of one arc in the objective's unit.
    fn weight(&self, c: &ArcCost, metres: u32) -> u32 {
        let w = match self.objective {
            Objective::Distance => return metres,
            Objective::Time => c.hours * 36_000.0,
            Objective::TimeP90 => c.hours_p90 * 36_000.0,
            Objective::Cost => c.usd * 1000.0,
            Objective::Co2 => c.kg_co2e * 10_000.0,
            Objective::Balanced { value_of_time_usd_h, carbon_usd_t } => {
                (c.usd + value_of_time_usd_h * c.hours + carbon_usd_t * c.kg_co2e / 1000.0) * 1000.0
            }
        };
        // Clamp below the blocked weight so a legal arc never reads as blocked.
        w.round().clamp(0.0, f64::from(BLOCKED_PATH / 4)) as u32
    }

    /// One weight per arc of `snap` (in its CSR order): the input of a CCH customization.
    pub fn weights(&self, snap: &Snapshot) -> Vec<u32> {
        let (metres, attrs) = (snap.weight_m(), snap.arc_attrs());
        let mut out = vec![0u32; snap.arc_count()];
        for_each_arc(snap.first_out(), &mut out, |_, a, w| {
            *w = self.weight(&self.arc_cost(&attrs.get(a), metres[a]), metres[a]);
        });
        self.block(snap, &mut out);
        out
    }

    /// Blocks in `weights` (one per arc of `snap`) the arcs this profile's avoided countries
    /// and kinds exclude. Applied to the weights of a profile that differs from this one only by
    /// fewer exclusions (such as a stored preset's input weights), the result equals
    /// [`Profile::weights`] of this profile without evaluating any arc's cost: a request with
    /// an `exclude` list starts from its preset's weights.
    pub fn block(&self, snap: &Snapshot, weights: &mut [u32]) {
        assert_eq!(weights.len(), snap.arc_count(), "one weight per arc");
        let avoid: Vec<bool> = (0..snap.country_count() as u16)
            .map(|c| self.avoid_countries.iter().any(|a| a.eq_ignore_ascii_case(snap.country_code(c))))
            .collect();
        if !avoid.contains(&true) && self.avoid_kinds == 0 {
            return;
        }
        let node_country = snap.node_country();
        let blocked_node = |v: u32| {
            let c = node_country[v as usize];
            c != NO_COUNTRY && avoid.get(usize::from(c)).copied().unwrap_or(false)
        };
        let (head, kind) = (snap.head(), snap.arc_kind());
        for_each_arc(snap.first_out(), weights, |u, a, w| {
            if blocked_node(u) || blocked_node(head[a]) || self.avoid_kinds & (1 << kind[a]) != 0 {
                *w = BLOCKED;
            }
        });
    }

    /// A fingerprint of everything the weights depend on besides the snapshot (objective and
    /// its parameters, payload, overrides, avoided countries and kinds): a stored metric is
    /// used for a profile only when the fingerprints agree, so changing a preset's parameters
    /// (or the weight formula, with the tag below) never serves stale weights.
    pub fn fingerprint(&self) -> u64 {
        // `Debug` prints every field, floats in their shortest round-trip form.
        crate::format::fnv1a(format!("profile-weights-v1 {self:?}").as_bytes())
    }

    /// Blocks gauge changes.
    pub fn avoid_gauge_changes(mut self) -> Profile {
        self.avoid_kinds |= 1 << ArcKind::GaugeChange as u8;
        self
    }
}

/// Calls `f(tail, arc, &mut out[arc])` for every arc of the CSR graph `first_out`, in parallel
/// over ranges of nodes (each range owns its arcs' slice of `out`): on the Eurasian snapshot
/// this runs on every request with an `exclude` list.
fn for_each_arc(first_out: &[u32], out: &mut [u32], f: impl Fn(u32, usize, &mut u32) + Sync) {
    use rayon::prelude::*;
    const NODES: usize = 8192;
    let n = first_out.len() - 1;
    let mut parts: Vec<(usize, &mut [u32])> = Vec::with_capacity(n / NODES + 1);
    let mut rest = out;
    for start in (0..n).step_by(NODES) {
        let end = (start + NODES).min(n);
        let (part, tail) = rest.split_at_mut((first_out[end] - first_out[start]) as usize);
        parts.push((start, part));
        rest = tail;
    }
    parts.into_par_iter().for_each(|(start, part)| {
        let base = first_out[start] as usize;
        for u in start..(start + NODES).min(n) {
            for a in first_out[u] as usize..first_out[u + 1] as usize {
                f(u as u32, a, &mut part[a - base]);
            }
        }
    });
}
