//! Dwell-time distributions: a record's mean and 90th percentile fitted as a lognormal (or a
//! Weibull for heavier tails), its congestion regimes on top ([`DwellModel`]), and the seeded
//! generator the simulation draws from. Shared by the arc measures (a dwell's P90) and the
//! route simulation.

use corridor_model::Dwell;

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

    /// The mean (the fitted record's mean).
    pub fn mean(&self) -> f64 {
        match *self {
            DwellDistribution::Fixed(x) => x,
            DwellDistribution::LogNormal { mu, sigma } => (mu + sigma * sigma / 2.0).exp(),
            DwellDistribution::Weibull { k, lambda } => lambda * ln_gamma(1.0 + 1.0 / k).exp(),
        }
    }

    /// Draws one value.
    pub fn sample(&self, rng: &mut Rng) -> f64 {
        match *self {
            DwellDistribution::Fixed(x) => x,
            DwellDistribution::LogNormal { mu, sigma } => (mu + sigma * rng.normal()).exp(),
            DwellDistribution::Weibull { k, lambda } => lambda * (-(1.0 - rng.uniform()).ln()).powf(1.0 / k),
        }
    }

    /// P(X <= x).
    pub fn cdf(&self, x: f64) -> f64 {
        if x <= 0.0 {
            return 0.0;
        }
        match *self {
            DwellDistribution::Fixed(v) => f64::from(u8::from(x >= v)),
            DwellDistribution::LogNormal { mu, sigma } => normal_cdf((x.ln() - mu) / sigma),
            DwellDistribution::Weibull { k, lambda } => 1.0 - (-(x / lambda).powf(k)).exp(),
        }
    }
}

/// A dwell with its congestion regimes: the normal dwell, plus with probability `p` a hold, and
/// independently of it, with its own probability, a port's backlog.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DwellModel {
    /// The normal regime.
    pub base: DwellDistribution,
    /// Probability and distribution of the hold, when the record has a congestion regime.
    pub hold: Option<(f64, DwellDistribution)>,
    /// Probability and distribution of the backlog, when the record has one.
    pub backlog: Option<(f64, DwellDistribution)>,
    /// Mean of the normal regime, hours (shifts the holds in [`DwellModel::cdf`]).
    base_mean: f64,
}

impl DwellModel {
    /// Fits every regime of `d`.
    pub fn fit(d: Dwell) -> Self {
        let regime =
            |r: Option<corridor_model::Hold>| r.map(|h| (h.p, DwellDistribution::fit(Dwell::new(h.mean, h.p90))));
        DwellModel {
            base: DwellDistribution::fit(d),
            hold: regime(d.hold),
            backlog: regime(d.backlog),
            base_mean: d.mean.0,
        }
    }

    /// Draws one value. A record without a hold or backlog draws exactly what
    /// [`DwellDistribution`] draws, and one without a backlog what it drew before backlogs
    /// existed, so their random streams are unchanged.
    pub fn sample(&self, rng: &mut Rng) -> f64 {
        let mut x = self.base.sample(rng);
        for (p, h) in [self.hold, self.backlog].into_iter().flatten() {
            if rng.uniform() < p {
                x += h.sample(rng);
            }
        }
        x
    }

    /// P(X <= x), with a held regime approximated as the hold shifted by the normal mean, and
    /// both regimes at once as the longer-mean one shifted by the other's mean too (the two are
    /// rare together: p1 × p2).
    pub fn cdf(&self, x: f64) -> f64 {
        // An absent regime is one met with probability 0: its terms vanish exactly.
        let none = (0.0, DwellDistribution::Fixed(0.0));
        let ((p1, h1), (p2, h2)) = (self.hold.unwrap_or(none), self.backlog.unwrap_or(none));
        let m = self.base_mean;
        let (m1, m2) = (h1.mean(), h2.mean());
        let both = if m1 >= m2 { h1.cdf(x - m - m2) } else { h2.cdf(x - m - m1) };
        (1.0 - p1) * (1.0 - p2) * self.base.cdf(x)
            + p1 * (1.0 - p2) * h1.cdf(x - m)
            + (1.0 - p1) * p2 * h2.cdf(x - m)
            + p1 * p2 * both
    }

    /// The 90th percentile (bisection on [`DwellModel::cdf`]).
    pub fn p90(&self) -> f64 {
        let (mut lo, mut hi) = (0.0, 1.0);
        while self.cdf(hi) < 0.9 && hi < 1e7 {
            hi *= 2.0;
        }
        for _ in 0..60 {
            let mid = 0.5 * (lo + hi);
            if self.cdf(mid) < 0.9 { lo = mid } else { hi = mid }
        }
        hi
    }
}

/// The standard normal CDF (erfc by Numerical Recipes' Chebyshev fit, |error| < 1.2e-7).
fn normal_cdf(z: f64) -> f64 {
    let x = -z / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.5 * x.abs());
    let y = t
        * (-x * x - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    let erfc = if x >= 0.0 { y } else { 2.0 - y };
    0.5 * erfc
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
            let d = DwellDistribution::fit(Dwell::new(Hours(mean), Hours(p90)));
            let (m, q) = quantile(d, 0.9);
            assert!((m - mean).abs() / mean < 0.02, "{d:?}: mean {m} vs {mean}");
            assert!((q - p90).abs() / p90 < 0.02, "{d:?}: p90 {q} vs {p90}");
        }
        assert!(matches!(
            DwellDistribution::fit(Dwell::new(Hours(30.5), Hours(78.0))),
            DwellDistribution::Weibull { .. }
        ));
        assert!(matches!(
            DwellDistribution::fit(Dwell::new(Hours(10.0), Hours(19.0))),
            DwellDistribution::LogNormal { .. }
        ));
    }

    #[test]
    fn ln_gamma_matches_factorials() {
        for (x, f) in [(1.0, 1.0f64), (2.0, 1.0), (5.0, 24.0), (0.5, std::f64::consts::PI.sqrt())] {
            assert!((ln_gamma(x) - f.ln()).abs() < 1e-10, "{x}");
        }
    }

    #[test]
    fn a_congestion_regime_moves_the_mean_and_the_tail_but_not_the_median() {
        let base = Dwell::new(Hours(18.0), Hours(34.0));
        let held = Dwell { hold: Some(corridor_model::Hold { p: 0.2, mean: Hours(240.0), p90: Hours(336.0) }), ..base };
        assert!((held.expected().0 - (18.0 + 0.2 * 240.0)).abs() < 1e-9);
        let m = DwellModel::fit(held);
        let mut rng = Rng::new(5);
        let mut draws: Vec<f64> = (0..40_000).map(|_| m.sample(&mut rng)).collect();
        draws.sort_by(f64::total_cmp);
        let q = |p: f64| draws[(p * draws.len() as f64) as usize];
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        assert!((mean - held.expected().0).abs() / held.expected().0 < 0.03, "{mean}");
        // One shipment in five is held: the P90 lies inside the held regime, the median does not.
        assert!(q(0.5) < 25.0 && q(0.9) > 200.0, "{} {}", q(0.5), q(0.9));
        // The bisection P90 of the approximate mixture CDF agrees with the draws within 5%.
        assert!((m.p90() - q(0.9)).abs() / q(0.9) < 0.05, "{} {}", m.p90(), q(0.9));
        // A record without a hold draws exactly the plain distribution's stream.
        let (plain, mut r1, mut r2) = (DwellModel::fit(base), Rng::new(9), Rng::new(9));
        let fitted = DwellDistribution::fit(base);
        assert!((0..100).all(|_| plain.sample(&mut r1) == fitted.sample(&mut r2)));
    }

    #[test]
    fn a_backlog_is_a_second_regime_independent_of_the_hold() {
        use corridor_model::Hold;
        // The Kuryk ferry's wait westbound: a day's headway, storms (p 0.05, 4 d) and the port's
        // backlog (p 0.24, 18 d).
        let storms = Hold { p: 0.05, mean: Hours(96.0), p90: Hours(168.0) };
        let backlog = Hold { p: 0.24, mean: Hours(432.0), p90: Hours(528.0) };
        let wait = Dwell { hold: Some(storms), backlog: Some(backlog), ..Dwell::new(Hours(12.0), Hours(21.6)) };
        assert!((wait.expected().0 - (12.0 + 0.05 * 96.0 + 0.24 * 432.0)).abs() < 1e-9);
        let m = DwellModel::fit(wait);
        let mut rng = Rng::new(11);
        let mut draws: Vec<f64> = (0..100_000).map(|_| m.sample(&mut rng)).collect();
        draws.sort_by(f64::total_cmp);
        let q = |p: f64| draws[(p * draws.len() as f64) as usize];
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        assert!((mean - wait.expected().0).abs() / wait.expected().0 < 0.02, "{mean}");
        // Both regimes are drawn: the share held longer than the storms' P90 is the backlog's.
        let long = draws.iter().filter(|&&x| x > 250.0).count() as f64 / draws.len() as f64;
        assert!((long - 0.24).abs() < 0.01, "{long}");
        // The P90 lies in the backlog (p 0.24 > 0.1), and the mixture CDF agrees with the draws.
        assert!(q(0.9) > 300.0, "{}", q(0.9));
        assert!((m.p90() - q(0.9)).abs() / q(0.9) < 0.05, "{} {}", m.p90(), q(0.9));
        // Without the backlog, the stream is the one-regime model's.
        let one = Dwell { backlog: None, ..wait };
        let (a, b) = (DwellModel::fit(one), DwellModel { backlog: None, ..m });
        let (mut r1, mut r2) = (Rng::new(3), Rng::new(3));
        assert!((0..100).all(|_| a.sample(&mut r1) == b.sample(&mut r2)));
    }
}
