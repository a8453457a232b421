//! Reliability of a route: the distribution of its door-to-door time by seeded Monte Carlo.
//!
//! Border and terminal dwell times are drawn from a distribution fitted to each record's mean
//! and 90th percentile (lognormal where one fits, Weibull for tails heavier than any lognormal
//! with that mean allows); waits for timetabled departures are recomputed for each draw, so a
//! late train misses its ferry and waits for the next one; waits for frequency services are
//! uniform over the headway. Where the sources report a congestion regime (trains queued for
//! weeks at a border, storms holding ferries, a port's backlog one way), a record also draws a
//! hold with its probability ([`DwellModel`]). Running times on links are taken as published
//! (the sources give no spread for them). The same seed always gives the same answer.

use corridor_model::{ArcKind, Dwell, Graph, Network};

use crate::dwell::{DwellModel, Rng};

use crate::route::Route;

/// The distribution of a route's door-to-door time.
#[derive(Clone, Debug, PartialEq)]
pub struct Reliability {
    /// Draws simulated.
    pub samples: usize,
    /// Mean hours.
    pub mean_h: f64,
    /// 10th percentile, hours: the fast tenth of the draws.
    pub p10_h: f64,
    /// Median hours.
    pub p50_h: f64,
    /// 90th percentile, hours.
    pub p90_h: f64,
    /// 95th percentile, hours.
    pub p95_h: f64,
    /// Buffer index (FHWA): (P95 - mean) / mean, the extra time share a planner must add to be
    /// on time 95% of the time; 0 for a route of zero hours.
    pub buffer_index: f64,
    /// Share of draws in which at least one timetabled departure of the plan was missed.
    pub missed_departure_share: f64,
    /// Draws in which a timetable ran out (the route became impossible), excluded from the
    /// percentiles.
    pub infeasible: usize,
}

/// Simulates `route` `samples` times with `seed`. Without a departure instant in the route,
/// each draw departs at a uniformly random moment of a four-week window, so timetabled waits
/// are those of a random arrival.
pub fn simulate(net: &Network, graph: &Graph, route: &Route, samples: usize, seed: u64) -> Reliability {
    let mut rng = Rng::new(seed);
    let reference: jiff::Timestamp = "2026-01-05T00:00:00Z".parse().expect("constant");
    let dists: Vec<Option<DwellModel>> = route
        .arcs
        .iter()
        .map(|&a| match graph.kind(a) {
            ArcKind::Transfer(t) => Some(DwellModel::fit(net.transfers[t.index()].dwell)),
            ArcKind::Border(b) => Some(DwellModel::fit(net.borders[b.index()].dwell_for(route.traffic))),
            _ => None,
        })
        .collect();
    // Storms and a port's backlog holding a sailing, or a liner arriving late, per sailing (the
    // link arc that follows its wait arc): a hold on top of a zero normal regime. It belongs to
    // the sailing, not to the wait, so a run timed from its departure (validation) still draws
    // it. Drawn right after the wait, which takes no draw of its own in between, so the order of
    // draws is the wait's. A shipment that stays aboard a liner through a port call (a sailing
    // right after a call) is on the same voyage: its lateness was drawn where it was loaded.
    let holds: Vec<Option<DwellModel>> = route
        .arcs
        .iter()
        .enumerate()
        .map(|(i, &a)| match graph.kind(a) {
            ArcKind::Link { link, forward }
                if i == 0 || !matches!(graph.kind(route.arcs[i - 1]), ArcKind::Call { .. }) =>
            {
                let l = net.link(link);
                let (hold, backlog) = (l.hold, l.backlog[usize::from(!forward)]);
                (hold.is_some() || backlog.is_some())
                    .then(|| DwellModel::fit(Dwell { hold, backlog, ..Dwell::default() }))
            }
            _ => None,
        })
        .collect();
    // The planned departure of each timetabled wait (when the route has a departure instant).
    let planned: Vec<Option<i64>> = {
        let mut hours = 0.0;
        route
            .arcs
            .iter()
            .map(|&a| {
                let kind = graph.kind(a);
                let m = crate::measure::measure_arc(net, kind, route.unit, route.payload, route.traffic);
                match (kind, route.depart) {
                    (ArcKind::Wait { link, forward }, Some(d)) if net.services_on(link, forward).next().is_some() => {
                        let now = d + jiff::SignedDuration::from_secs_f64(hours * 3600.0);
                        let dep = net.next_departure(link, forward, now);
                        if let Some(dep) = dep {
                            hours += (dep.as_second() - now.as_second()) as f64 / 3600.0;
                        }
                        dep.map(|d| d.as_second())
                    }
                    _ => {
                        hours += m.hours.0;
                        None
                    }
                }
            })
            .collect()
    };
    let mut totals = Vec::with_capacity(samples);
    let (mut missed, mut infeasible) = (0usize, 0usize);
    'draw: for _ in 0..samples {
        let start = match route.depart {
            Some(d) => d,
            None => reference + jiff::SignedDuration::from_secs_f64(rng.uniform() * 28.0 * 86400.0),
        };
        let mut h = 0.0;
        let mut missed_here = false;
        for (i, &a) in route.arcs.iter().enumerate() {
            match graph.kind(a) {
                ArcKind::Link { link, .. } => {
                    h += net.link(link).hours.0;
                    if let Some(held) = holds[i] {
                        h += held.sample(&mut rng);
                    }
                }
                ArcKind::Transfer(_) | ArcKind::Border(_) => h += dists[i].expect("fitted").sample(&mut rng),
                ArcKind::Call { .. } => {}
                ArcKind::Wait { link, forward } => {
                    if net.services_on(link, forward).next().is_some() {
                        let now = start + jiff::SignedDuration::from_secs_f64(h * 3600.0);
                        let Some(dep) = net.next_departure(link, forward, now) else {
                            infeasible += 1;
                            continue 'draw;
                        };
                        if planned[i].is_some_and(|p| dep.as_second() > p) {
                            missed_here = true;
                        }
                        h += (dep.as_second() - now.as_second()).max(0) as f64 / 3600.0;
                    } else {
                        h += rng.uniform() * net.link(link).headway.map_or(0.0, |x| x.0);
                    }
                }
            }
        }
        missed += usize::from(missed_here);
        // The drivers' rest rule on short truck runs (deterministic, see `truck_runs`).
        totals.push(h - route.rest_credit.0);
    }
    totals.sort_by(f64::total_cmp);
    let n = totals.len();
    let q = |p: f64| if n == 0 { f64::NAN } else { totals[((p * n as f64).ceil() as usize).clamp(1, n) - 1] };
    let mean = if n == 0 { f64::NAN } else { totals.iter().sum::<f64>() / n as f64 };
    Reliability {
        samples: n,
        mean_h: mean,
        p10_h: q(0.1),
        p50_h: q(0.5),
        p90_h: q(0.9),
        p95_h: q(0.95),
        // A route of zero hours has no spread to buffer (and (0 - 0) / 0 would be NaN).
        buffer_index: if mean > 0.0 { (q(0.95) - mean) / mean } else { 0.0 },
        missed_departure_share: if n == 0 { 0.0 } else { missed as f64 / n as f64 },
        infeasible,
    }
}
