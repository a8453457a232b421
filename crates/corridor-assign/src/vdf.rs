//! Volume-delay functions: how the travel time of a link grows with its flow.
//!
//! Each link carries a [`Vdf`] next to its free-flow time and capacity. The equilibrium
//! algorithm needs three things from it: the time `t(x)`, its derivative `t'(x)` (for the
//! Newton line search and the conjugate-direction weights) and its integral `∫₀ˣ t` (the
//! Beckmann objective, reported so that callers can check that it decreases). New forms are
//! added as variants here; nothing else in the crate depends on the formula.

/// A volume-delay function of one link.
///
/// All forms are non-decreasing and convex in the flow `x ≥ 0`, which is what makes the user
/// equilibrium unique in link flows and the Frank–Wolfe line search well posed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Vdf {
    /// Bureau of Public Roads: `t = fft · (1 + b · (x / c)^power)`.
    ///
    /// The standard road form and the one used by every TNTP network. `b ≥ 0`; `power ≥ 0`.
    Bpr {
        /// The `b` (or alpha) coefficient, 0.15 in the original BPR manual.
        b: f64,
        /// The exponent (or beta), 4 in the original BPR manual.
        power: f64,
    },
    /// Davidson's queueing form: `t = fft · (1 + j · x / (c − x))`, linearised above `mu · c`.
    ///
    /// Derived from a single-server queue, it grows without bound as the flow approaches
    /// capacity, which suits elements that really are queues (ferry berths, port gates, border
    /// booths). The pure form is infinite at `x = c` and undefined beyond, which an iterative
    /// algorithm cannot live with, so above `mu · c` it continues as its tangent (the usual
    /// "modified Davidson"). `j ≥ 0` is the delay parameter; `0 < mu < 1`.
    Davidson {
        /// Delay parameter `j` (0 gives a constant time).
        j: f64,
        /// Fraction of capacity above which the function continues linearly, e.g. 0.95.
        mu: f64,
    },
}

impl Vdf {
    /// Travel time at flow `x` for a link with free-flow time `fft` and capacity `cap`.
    ///
    /// Negative flows (rounding noise of convex combinations) count as zero, so that
    /// fractional powers never see a negative base.
    #[inline]
    pub fn time(&self, fft: f64, cap: f64, x: f64) -> f64 {
        let x = x.max(0.0);
        match *self {
            Vdf::Bpr { b, power } => fft * (1.0 + b * pow(x / cap, power)),
            Vdf::Davidson { j, mu } => {
                let knee = mu * cap;
                if x <= knee {
                    fft * (1.0 + j * x / (cap - x))
                } else {
                    let t_knee = fft * (1.0 + j * knee / (cap - knee));
                    t_knee + davidson_slope(fft, cap, j, knee) * (x - knee)
                }
            }
        }
    }

    /// Derivative `dt/dx` at flow `x`.
    ///
    /// For a BPR power below 1 the true derivative at zero flow is infinite; it is reported as
    /// 0 there, which only affects the conjugate-direction weights (the line search is
    /// bracketed and does not rely on it).
    #[inline]
    pub fn derivative(&self, fft: f64, cap: f64, x: f64) -> f64 {
        let x = x.max(0.0);
        match *self {
            Vdf::Bpr { b, power } => {
                if power == 0.0 || b == 0.0 || (x == 0.0 && power < 1.0) {
                    0.0
                } else {
                    fft * b * power * pow(x / cap, power - 1.0) / cap
                }
            }
            Vdf::Davidson { j, mu } => davidson_slope(fft, cap, j, x.min(mu * cap)),
        }
    }

    /// Integral `∫₀ˣ t(s) ds`: one link's term of the Beckmann objective.
    pub fn integral(&self, fft: f64, cap: f64, x: f64) -> f64 {
        let x = x.max(0.0);
        match *self {
            Vdf::Bpr { b, power } => fft * (x + b * cap * pow(x / cap, power + 1.0) / (power + 1.0)),
            Vdf::Davidson { j, mu } => {
                // ∫ j s/(c−s) ds = j (−s − c ln(1 − s/c)).
                let pure = |s: f64| fft * (s + j * (-s - cap * (1.0 - s / cap).ln()));
                let knee = mu * cap;
                if x <= knee {
                    pure(x)
                } else {
                    let dx = x - knee;
                    pure(knee) + self.time(fft, cap, knee) * dx + 0.5 * davidson_slope(fft, cap, j, knee) * dx * dx
                }
            }
        }
    }

    /// Whether the parameters describe a non-decreasing convex function (see the variants).
    pub fn is_valid(&self) -> bool {
        match *self {
            Vdf::Bpr { b, power } => b.is_finite() && b >= 0.0 && power.is_finite() && power >= 0.0,
            Vdf::Davidson { j, mu } => j.is_finite() && j >= 0.0 && mu > 0.0 && mu < 1.0,
        }
    }
}

/// Slope of the pure Davidson form at `x < cap`: `fft · j · c / (c − x)²`.
#[inline]
fn davidson_slope(fft: f64, cap: f64, j: f64, x: f64) -> f64 {
    let room = cap - x;
    fft * j * cap / (room * room)
}

/// `r^p` for `r ≥ 0`, with the common integer exponents done by multiplication.
///
/// The line search evaluates the BPR term for every link many times per iteration; `powf` is
/// several times slower than the two multiplications that power 4 (every TNTP network) needs.
#[inline]
fn pow(r: f64, p: f64) -> f64 {
    if p == 4.0 {
        let r2 = r * r;
        r2 * r2
    } else if p == 5.0 {
        let r2 = r * r;
        r2 * r2 * r
    } else if p == 3.0 {
        r * r * r
    } else if p == 1.0 {
        r
    } else if p == 2.0 {
        r * r
    } else if p == 0.0 {
        1.0
    } else {
        r.powf(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Central differences of `time` and `integral` agree with `derivative` and `time`.
    #[test]
    fn derivative_and_integral_are_consistent() {
        let forms = [
            Vdf::Bpr { b: 0.15, power: 4.0 },
            Vdf::Bpr { b: 0.5, power: 2.5 },
            Vdf::Bpr { b: 1.0, power: 1.0 },
            Vdf::Davidson { j: 0.25, mu: 0.9 },
        ];
        let (fft, cap) = (3.0, 100.0);
        for vdf in forms {
            for x in [5.0, 50.0, 89.0, 95.0, 150.0] {
                let h = 1e-4;
                let dt = (vdf.time(fft, cap, x + h) - vdf.time(fft, cap, x - h)) / (2.0 * h);
                let di = (vdf.integral(fft, cap, x + h) - vdf.integral(fft, cap, x - h)) / (2.0 * h);
                let d = vdf.derivative(fft, cap, x);
                assert!((dt - d).abs() <= 1e-5 * (1.0 + d.abs()), "{vdf:?} x={x}: {dt} vs {d}");
                let t = vdf.time(fft, cap, x);
                assert!((di - t).abs() <= 1e-5 * (1.0 + t), "{vdf:?} x={x}: {di} vs {t}");
            }
        }
    }

    #[test]
    fn bpr_matches_formula_and_davidson_is_continuous_at_knee() {
        let bpr = Vdf::Bpr { b: 0.15, power: 4.0 };
        assert_eq!(bpr.time(6.0, 100.0, 0.0), 6.0);
        assert!((bpr.time(6.0, 100.0, 200.0) - 6.0 * (1.0 + 0.15 * 16.0)).abs() < 1e-12);
        let dav = Vdf::Davidson { j: 0.5, mu: 0.95 };
        let knee = 95.0;
        let below = dav.time(2.0, 100.0, knee - 1e-9);
        let above = dav.time(2.0, 100.0, knee + 1e-9);
        assert!((below - above).abs() < 1e-6);
        assert!(dav.time(2.0, 100.0, 300.0).is_finite());
    }
}
