//! Reliability of a route: the distribution of its door-to-door time by seeded Monte Carlo.
//!
//! Border and terminal dwell times are drawn from a distribution fitted to each record's mean
//! and 90th percentile (lognormal where one fits, Weibull for tails heavier than any lognormal
//! with that mean allows); waits for timetabled departures are recomputed for each draw, so a
//! late train misses its ferry and waits for the next one; waits for frequency services are
//! uniform over the headway. Running times on links are taken as published (the sources give
//! no spread for them). The same seed always gives the same answer.

use corridor_model::{ArcKind, Dwell, Graph, Network};

use crate::route::Route;

/// A fitted dwell-time distribution.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum DwellDistribution {
    /// No spread (P90 equals the mean).
    Fixed(f64),
    /// ln X ~ N(mu, sigma^2).
    LogNormal {
        /// Location.
        mu: f64,
        /// Scale.
        sigma: f64,
    },
    /// P(X > x) = exp(-(x/lambda)^k).
    Weibull {
        /// Shape.
        k: f64,
        /// Scale.
        lambda: f64,
    },
}

/// Weibull shape at which P90/mean is largest (2.677).
const WEIBULL_PEAK_K: f64 = 0.5605;

/// The largest P90/mean ratio a fitted dwell distribution can reproduce.
pub const MAX_P90_RATIO: f64 = 2.67;

/// z such that P(Z <= z) = 0.9 for a standard normal.
const Z90: f64 = 1.281_551_565_545;

impl DwellDistribution {
    /// Fits a distribution with the given mean and 90th percentile (hours).
    ///
    /// For a lognormal, P90/mean = exp(z sigma - sigma^2 / 2), which cannot exceed
    /// exp(z^2 / 2) = 2.27; published dwell figures with a heavier tail (Dostyk: mean 30.5 h,
    /// P90 78 h) get a Weibull with shape below one instead.
    pub fn fit(d: Dwell) -> Self {
        let (mean, p90) = (d.mean.0, d.p90.0);
        if mean <= 0.0 || p90 <= mean * (1.0 + 1e-9) {
            return DwellDistribution::Fixed(mean.max(0.0));
        }
        let r = (p90 / mean).ln();
        let disc = Z90 * Z90 - 2.0 * r;
        if disc > 1e-6 {
            let sigma = Z90 - disc.sqrt();
            return DwellDistribution::LogNormal { mu: mean.ln() - sigma * sigma / 2.0, sigma };
        }
        // Weibull: P90/mean = (ln 10)^(1/k) / Gamma(1 + 1/k). It peaks at 2.68 for k = 0.56
        // and decreases for larger k; take the lighter-tailed branch. A ratio above the peak
        // is beyond any Weibull (or lognormal) with that mean: the peak shape is used and the
        // P90 is understated (the validator warns about such records).
        let ratio = |k: f64| (10f64.ln()).powf(1.0 / k) / ln_gamma(1.0 + 1.0 / k).exp();
        let target = p90 / mean;
        let (mut lo, mut hi) = (WEIBULL_PEAK_K, 50.0);
        for _ in 0..100 {
            let mid = 0.5 * (lo + hi);
            if ratio(mid) > target { lo = mid } else { hi = mid }
        }
        let k = 0.5 * (lo + hi);
        DwellDistribution::Weibull { k, lambda: mean / ln_gamma(1.0 + 1.0 / k).exp() }
    }

    /// Draws one value.
    pub fn sample(&self, rng: &mut Rng) -> f64 {
        match *self {
            DwellDistribution::Fixed(x) => x,
            DwellDistribution::LogNormal { mu, sigma } => (mu + sigma * rng.normal()).exp(),
            DwellDistribution::Weibull { k, lambda } => lambda * (-(1.0 - rng.uniform()).ln()).powf(1.0 / k),
        }
    }
}

/// ln Gamma(x) for x > 0 (Lanczos, g = 7, n = 9; relative error below 1e-13).
fn ln_gamma(x: f64) -> f64 {
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection.
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + 7.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// A small seeded generator (SplitMix64): reproducible across platforms, no dependency.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform on [0, 1).
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.uniform();
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
}

/// The distribution of a route's door-to-door time.
#[derive(Clone, Debug, PartialEq)]
pub struct Reliability {
    /// Draws simulated.
    pub samples: usize,
    /// Mean hours.
    pub mean_h: f64,
    /// Median hours.
    pub p50_h: f64,
    /// 90th percentile, hours.
    pub p90_h: f64,
    /// 95th percentile, hours.
    pub p95_h: f64,
    /// Buffer index (FHWA): (P95 - mean) / mean, the extra time share a planner must add to be
    /// on time 95% of the time.
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
    let dists: Vec<Option<DwellDistribution>> = route
        .arcs
        .iter()
        .map(|&a| match graph.kind(a) {
            ArcKind::Transfer(t) => Some(DwellDistribution::fit(net.transfers[t.index()].dwell)),
            ArcKind::Border(b) => Some(DwellDistribution::fit(net.borders[b.index()].dwell)),
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
                let m = crate::measure::measure_arc(net, kind, route.unit, route.payload);
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
                ArcKind::Link { link, .. } => h += net.link(link).hours.0,
                ArcKind::Transfer(_) | ArcKind::Border(_) => h += dists[i].expect("fitted").sample(&mut rng),
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
        totals.push(h);
    }
    totals.sort_by(f64::total_cmp);
    let n = totals.len();
    let q = |p: f64| if n == 0 { f64::NAN } else { totals[((p * n as f64).ceil() as usize).clamp(1, n) - 1] };
    let mean = if n == 0 { f64::NAN } else { totals.iter().sum::<f64>() / n as f64 };
    Reliability {
        samples: n,
        mean_h: mean,
        p50_h: q(0.5),
        p90_h: q(0.9),
        p95_h: q(0.95),
        buffer_index: (q(0.95) - mean) / mean,
        missed_departure_share: if n == 0 { 0.0 } else { missed as f64 / n as f64 },
        infeasible,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use corridor_model::Hours;

    fn quantile(d: DwellDistribution, p: f64) -> (f64, f64) {
        let mut rng = Rng::new(7);
        let mut xs: Vec<f64> = (0..200_000).map(|_| d.sample(&mut rng)).collect();
        xs.sort_by(f64::total_cmp);
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        (mean, xs[(p * xs.len() as f64) as usize])
    }

    #[test]
    fn fitted_distributions_reproduce_mean_and_p90() {
        for (mean, p90) in [(10.0, 19.0), (4.25, 9.0), (30.5, 78.0), (60.0, 120.0), (2.0, 2.0)] {
            let d = DwellDistribution::fit(Dwell { mean: Hours(mean), p90: Hours(p90) });
            let (m, q) = quantile(d, 0.9);
            assert!((m - mean).abs() / mean < 0.02, "{d:?}: mean {m} vs {mean}");
            assert!((q - p90).abs() / p90 < 0.02, "{d:?}: p90 {q} vs {p90}");
        }
        assert!(matches!(
            DwellDistribution::fit(Dwell { mean: Hours(30.5), p90: Hours(78.0) }),
            DwellDistribution::Weibull { .. }
        ));
        assert!(matches!(
            DwellDistribution::fit(Dwell { mean: Hours(10.0), p90: Hours(19.0) }),
            DwellDistribution::LogNormal { .. }
        ));
    }

    #[test]
    fn ln_gamma_matches_factorials() {
        for (x, f) in [(1.0, 1.0f64), (2.0, 1.0), (5.0, 24.0), (0.5, std::f64::consts::PI.sqrt())] {
            assert!((ln_gamma(x) - f.ln()).abs() < 1e-10, "{x}");
        }
    }
}
