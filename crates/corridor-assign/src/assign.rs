//! User-equilibrium assignment by Frank–Wolfe and its conjugate and bi-conjugate variants.
//!
//! The user equilibrium (Wardrop's first principle: no traveller can shorten their trip by
//! changing path) is the minimum of the Beckmann objective `Σ_a ∫₀^{x_a} t_a` over feasible
//! link flows. Frank–Wolfe alternates an all-or-nothing assignment at the current times (the
//! linearised subproblem, whose solution `y` is a vertex of the feasible set) with an exact line
//! search along a direction towards it. Plain FW zig-zags near the optimum; the conjugate (CFW)
//! and bi-conjugate (BFW) variants of Mitradjieva & Lindberg (2013, "The stiff is moving",
//! Transportation Science 47(2)) mix the new vertex with the previous one or two search targets
//! so that successive directions are conjugate with respect to the Hessian `diag(t'(x))`. BFW
//! is what AequilibraE calls `bfw` and typically needs several times fewer iterations than FW
//! for a relative gap of 1e-4.
//!
//! Convergence is measured by the relative gap `(TSTT − SPTT) / TSTT`, where TSTT is the total
//! travel time of the current flows and SPTT the total travel time if every trip used a
//! shortest path at the current times. It is non-negative and zero exactly at equilibrium.

use crate::network::{Network, OdMatrix};
use crate::spt::Tree;

/// The search-direction rule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Algorithm {
    /// Plain Frank–Wolfe: move towards the all-or-nothing flows.
    FrankWolfe,
    /// Conjugate Frank–Wolfe: mix the new vertex with the previous target.
    ConjugateFrankWolfe,
    /// Bi-conjugate Frank–Wolfe: mix with the previous two targets (AequilibraE's `bfw`).
    #[default]
    BiconjugateFrankWolfe,
}

/// Settings of [`assign`].
#[derive(Clone, Debug, PartialEq)]
pub struct AssignConfig {
    /// The direction rule.
    pub algorithm: Algorithm,
    /// Stop when the relative gap is at or below this value.
    pub target_gap: f64,
    /// Stop after this many all-or-nothing assignments (the first, at free flow, included),
    /// whether or not the target gap was reached.
    pub max_iterations: usize,
    /// Also keep the link flows of each origin separately ([`Assignment::origin_flows`]).
    ///
    /// Costs `origins × links` memory three times over. The per-origin flows are what select-link
    /// analysis (which origins use a bottleneck) and the per-origin conservation check need;
    /// link-based algorithms define nothing finer (per-OD flows need path-based methods).
    pub keep_origin_flows: bool,
}

impl Default for AssignConfig {
    fn default() -> AssignConfig {
        AssignConfig {
            algorithm: Algorithm::default(),
            target_gap: 1e-4,
            max_iterations: 1000,
            keep_origin_flows: false,
        }
    }
}

/// Link flows of each origin, `origins().len() × links` values.
#[derive(Clone, Debug, PartialEq)]
pub struct OriginFlows {
    origins: Vec<u32>,
    num_links: usize,
    flows: Vec<f64>,
}

impl OriginFlows {
    /// The zones (0-based) that have demand, in increasing order.
    pub fn origins(&self) -> &[u32] {
        &self.origins
    }

    /// Link flows of trips from `origin`, or `None` if it has no demand.
    pub fn of(&self, origin: u32) -> Option<&[f64]> {
        let k = self.origins.binary_search(&origin).ok()?;
        Some(&self.flows[k * self.num_links..(k + 1) * self.num_links])
    }
}

/// The result of [`assign`]. Per-link vectors are in the network's link order.
#[derive(Clone, Debug, PartialEq)]
pub struct Assignment {
    /// Equilibrium link flows.
    pub flows: Vec<f64>,
    /// Link travel times at those flows.
    pub times: Vec<f64>,
    /// Number of all-or-nothing assignments performed (the free-flow one included), i.e.
    /// Frank–Wolfe iterations counted as AequilibraE counts them.
    pub iterations: usize,
    /// Relative gap of [`Assignment::flows`].
    pub relative_gap: f64,
    /// Relative gap after each iteration from the second on (the first has no flows to
    /// measure yet); the last entry equals [`Assignment::relative_gap`].
    pub gap_history: Vec<f64>,
    /// Whether the target gap was reached within the iteration limit.
    pub converged: bool,
    /// Total system travel time `Σ x_a t_a(x_a)`.
    pub tstt: f64,
    /// Shortest-path travel time `Σ_od demand · shortest time` at the final times.
    pub sptt: f64,
    /// Beckmann objective at the final flows.
    pub beckmann: f64,
    /// Per-origin link flows if [`AssignConfig::keep_origin_flows`] was set.
    pub origin_flows: Option<OriginFlows>,
}

/// Why [`assign`] could not run. Node and zone indices are 0-based.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum AssignError {
    /// The matrix and the network disagree on the number of zones.
    #[error("the OD matrix has {matrix} zones but the network has {network}")]
    Zones {
        /// Zones of the network.
        network: usize,
        /// Zones of the matrix.
        matrix: usize,
    },
    /// A demand value is negative or not finite.
    #[error("demand from zone index {origin} to {destination} is {value}; it must be finite and non-negative")]
    Demand {
        /// Origin zone index.
        origin: usize,
        /// Destination zone index.
        destination: usize,
        /// The value.
        value: f64,
    },
    /// There is demand between two zones that no path connects.
    #[error("no path from zone index {origin} to zone index {destination}, which have demand between them")]
    NoPath {
        /// Origin zone index.
        origin: usize,
        /// Destination zone index.
        destination: usize,
    },
    /// The settings are out of range.
    #[error("invalid setting: {0}")]
    Config(&'static str),
}

/// Relative gap and its parts for given link flows, from [`evaluate`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GapReport {
    /// `(TSTT − SPTT) / TSTT` (0 if TSTT is 0).
    pub relative_gap: f64,
    /// Total system travel time of the flows.
    pub tstt: f64,
    /// Shortest-path total travel time at the flows' link times.
    pub sptt: f64,
    /// Beckmann objective of the flows.
    pub beckmann: f64,
}

/// One class of a multi-class assignment ([`assign_classes`]): its demand and the links it may
/// not use. All classes share the link times (one congestion), each takes its own shortest
/// paths over the links open to it.
#[derive(Clone, Debug, PartialEq)]
pub struct UserClass {
    /// The class's trips.
    pub od: OdMatrix,
    /// Per link, whether the class may not use it; empty when every link is open.
    pub blocked: Vec<bool>,
}

/// Demand as sparse rows: the origins with demand, each with its (destination, trips), per
/// class (rows are in class order, then origin order).
struct Demand {
    rows: Vec<(u32, Vec<(u32, f64)>)>,
    /// The class of each row.
    class: Vec<usize>,
    /// Each class's blocked links (empty: none).
    blocked: Vec<Vec<bool>>,
}

impl Demand {
    fn new(net: &Network, od: &OdMatrix) -> Result<Demand, AssignError> {
        let (rows, class) = Self::rows(net, od, 0)?;
        Ok(Demand { rows, class, blocked: vec![Vec::new()] })
    }

    fn classes(net: &Network, classes: &[UserClass]) -> Result<Demand, AssignError> {
        let mut d = Demand { rows: Vec::new(), class: Vec::new(), blocked: Vec::new() };
        for (c, uc) in classes.iter().enumerate() {
            if !uc.blocked.is_empty() && uc.blocked.len() != net.links().len() {
                return Err(AssignError::Config("a class's blocked links must be empty or one per link"));
            }
            let (rows, class) = Self::rows(net, &uc.od, c)?;
            d.rows.extend(rows);
            d.class.extend(class);
            d.blocked.push(uc.blocked.clone());
        }
        Ok(d)
    }

    #[allow(clippy::type_complexity)] // private: the parts of `Demand`
    fn rows(
        net: &Network,
        od: &OdMatrix,
        class: usize,
    ) -> Result<(Vec<(u32, Vec<(u32, f64)>)>, Vec<usize>), AssignError> {
        if od.zones() != net.num_zones() {
            return Err(AssignError::Zones { network: net.num_zones(), matrix: od.zones() });
        }
        let mut rows = Vec::new();
        for o in 0..od.zones() {
            let mut row = Vec::new();
            for (d, &value) in od.row(o).iter().enumerate() {
                if !(value.is_finite() && value >= 0.0) {
                    return Err(AssignError::Demand { origin: o, destination: d, value });
                }
                // Intrazonal trips never enter the network.
                if value > 0.0 && d != o {
                    row.push((d as u32, value));
                }
            }
            if !row.is_empty() {
                rows.push((o as u32, row));
            }
        }
        let n = rows.len();
        Ok((rows, vec![class; n]))
    }
}

/// All-or-nothing assignment at link times `times` into `y` (and per origin into `by_origin`,
/// `origins × links`, if given). Returns SPTT.
fn all_or_nothing(
    net: &Network,
    demand: &Demand,
    times: &[f64],
    tree: &mut Tree,
    y: &mut [f64],
    mut by_origin: Option<&mut [f64]>,
) -> Result<f64, AssignError> {
    let m = y.len();
    y.fill(0.0);
    let mut sptt = 0.0;
    // A class with blocked links sees them at infinite time (never relaxed).
    let mut masked: Vec<f64> = Vec::new();
    let mut masked_class = usize::MAX;
    for (k, (origin, row)) in demand.rows.iter().enumerate() {
        let c = demand.class[k];
        let blocked = &demand.blocked[c];
        let class_times = if blocked.is_empty() {
            times
        } else {
            if masked_class != c {
                masked.clear();
                masked.extend(times.iter().zip(blocked).map(|(&t, &b)| if b { f64::INFINITY } else { t }));
                masked_class = c;
            }
            &masked
        };
        tree.grow(net, class_times, *origin);
        let target = match by_origin.as_deref_mut() {
            Some(all) => {
                let slice = &mut all[k * m..(k + 1) * m];
                slice.fill(0.0);
                slice
            }
            None => &mut *y,
        };
        sptt += tree
            .load(net, row, target)
            .map_err(|d| AssignError::NoPath { origin: *origin as usize, destination: d as usize })?;
    }
    if let Some(all) = by_origin {
        for chunk in all.chunks_exact(m) {
            for (a, b) in y.iter_mut().zip(chunk) {
                *a += b;
            }
        }
    }
    Ok(sptt)
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn relative_gap(tstt: f64, sptt: f64) -> f64 {
    if tstt > 0.0 { (tstt - sptt) / tstt } else { 0.0 }
}

/// The relative gap, TSTT, SPTT and Beckmann objective of arbitrary link flows.
///
/// Used to measure other tools' solutions (the best-known TNTP flows, AequilibraE's output) with
/// exactly the definition [`assign`] uses.
pub fn evaluate(net: &Network, od: &OdMatrix, flows: &[f64]) -> Result<GapReport, AssignError> {
    if flows.len() != net.links().len() {
        return Err(AssignError::Config("one flow per link is needed"));
    }
    let demand = Demand::new(net, od)?;
    let mut times = vec![0.0; flows.len()];
    net.times_into(flows, &mut times);
    let mut y = vec![0.0; flows.len()];
    let sptt = all_or_nothing(net, &demand, &times, &mut Tree::new(net.num_nodes()), &mut y, None)?;
    let tstt = dot(&times, flows);
    Ok(GapReport { relative_gap: relative_gap(tstt, sptt), tstt, sptt, beckmann: net.beckmann(flows) })
}

/// Slope `dΦ/dτ = Σ t_a(x_a + τ d_a) d_a` of the Beckmann objective along `d`, and its
/// second derivative `Σ t'_a d_a²`.
fn slope(net: &Network, x: &[f64], d: &[f64], tau: f64) -> (f64, f64) {
    let mut g = 0.0;
    let mut h = 0.0;
    for ((l, &xa), &da) in net.links().iter().zip(x).zip(d) {
        if da != 0.0 {
            let v = xa + tau * da;
            g += l.time(v) * da;
            h += l.derivative(v) * da * da;
        }
    }
    (g, h)
}

/// Exact line search: the step `τ ∈ [0, 1]` minimising the Beckmann objective along `d`.
///
/// The objective is convex along the segment, so its slope is non-decreasing and the minimum
/// is where the slope crosses zero. Newton steps on the slope converge quadratically; a step
/// that leaves the bracket is replaced by bisection, so the search cannot diverge even where
/// the second derivative is tiny or a Davidson link is past its knee.
fn line_search(net: &Network, x: &[f64], d: &[f64]) -> f64 {
    let (g0, _) = slope(net, x, d, 0.0);
    if g0 >= 0.0 {
        return 0.0;
    }
    let (g1, _) = slope(net, x, d, 1.0);
    if g1 <= 0.0 {
        return 1.0;
    }
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    // The secant through the end points is a good first guess for near-linear slopes.
    let mut tau = g0 / (g0 - g1);
    for _ in 0..100 {
        let (g, h) = slope(net, x, d, tau);
        if g == 0.0 {
            return tau;
        }
        if g < 0.0 {
            lo = tau;
        } else {
            hi = tau;
        }
        // A slope 1e-12 of the initial one moves the objective by far less than rounding.
        if g.abs() <= 1e-12 * g0.abs() || hi - lo <= 1e-15 {
            break;
        }
        let newton = tau - g / h;
        tau = if h > 0.0 && newton > lo && newton < hi { newton } else { 0.5 * (lo + hi) };
    }
    tau
}

/// Upper bound of the conjugate weight: at 1 the new direction would ignore the new vertex.
const CFW_MAX_ALPHA: f64 = 0.99999;

/// The CFW weight `α` of the previous target `s1` (Mitradjieva & Lindberg, eq. 11): the new
/// target is `α s1 + (1 − α) y`, chosen so that its direction is conjugate to the previous one.
fn conjugate_alpha(der: &[f64], x: &[f64], y: &[f64], s1: &[f64]) -> f64 {
    let (mut num, mut den) = (0.0, 0.0);
    for i in 0..x.len() {
        let a = der[i] * (s1[i] - x[i]);
        num += a * (y[i] - x[i]);
        den += a * (y[i] - s1[i]);
    }
    if den == 0.0 {
        return 0.0;
    }
    (num / den).clamp(0.0, CFW_MAX_ALPHA)
}

/// The BFW weights `(β0, β1, β2)` of the new vertex `y` and the previous two targets `s1`, `s2`
/// (Mitradjieva & Lindberg, section 3.2; the same formulas as AequilibraE's `bfw`), or `None`
/// when a denominator vanishes and the caller must fall back to a simpler direction.
/// `tau1 < 1` is the previous step.
fn biconjugate_betas(der: &[f64], x: &[f64], y: &[f64], s1: &[f64], s2: &[f64], tau1: f64) -> Option<[f64; 3]> {
    let (mut mu_num, mut mu_den, mut nu_num, mut nu_den) = (0.0, 0.0, 0.0, 0.0);
    for i in 0..x.len() {
        // The previous direction, as a combination of the two previous targets.
        let a = der[i] * (tau1 * s1[i] - x[i] + (1.0 - tau1) * s2[i]);
        mu_num += a * (y[i] - x[i]);
        mu_den += a * (s2[i] - s1[i]);
        let b = der[i] * (s1[i] - x[i]);
        nu_num += b * (y[i] - x[i]);
        nu_den += b * (s1[i] - x[i]);
    }
    if mu_den == 0.0 || nu_den == 0.0 {
        return None;
    }
    let mu = (-mu_num / mu_den).max(0.0);
    let nu = (mu * tau1 / (1.0 - tau1) - nu_num / nu_den).max(0.0);
    let b0 = 1.0 / (1.0 + mu + nu);
    let betas = [b0, nu * b0, mu * b0];
    betas.iter().all(|b| b.is_finite()).then_some(betas)
}

/// Flows kept in lockstep: the link totals and, optionally, the same per origin.
///
/// Every update of the algorithm is a linear combination of flow vectors with the same
/// coefficients, so the per-origin flows follow the totals by applying each update to both.
struct Flows {
    total: Vec<f64>,
    by_origin: Option<Vec<f64>>,
}

impl Flows {
    fn zeros(m: usize, origins: Option<usize>) -> Flows {
        Flows { total: vec![0.0; m], by_origin: origins.map(|k| vec![0.0; k * m]) }
    }

    fn copy_from(&mut self, other: &Flows) {
        self.total.copy_from_slice(&other.total);
        if let (Some(a), Some(b)) = (&mut self.by_origin, &other.by_origin) {
            a.copy_from_slice(b);
        }
    }

    /// `self = Σ c_i · parts_i`.
    fn combine(&mut self, parts: &[(f64, &Flows)]) {
        fn apply(out: &mut [f64], parts: &[(f64, &[f64])]) {
            out.fill(0.0);
            for &(c, v) in parts {
                if c != 0.0 {
                    for (o, &x) in out.iter_mut().zip(v) {
                        *o += c * x;
                    }
                }
            }
        }
        let totals: Vec<(f64, &[f64])> = parts.iter().map(|&(c, f)| (c, f.total.as_slice())).collect();
        apply(&mut self.total, &totals);
        if let Some(out) = &mut self.by_origin {
            let by: Vec<(f64, &[f64])> =
                parts.iter().map(|&(c, f)| (c, f.by_origin.as_deref().expect("flows kept in lockstep"))).collect();
            apply(out, &by);
        }
    }

    /// `self += τ · (target − self)`.
    fn step_towards(&mut self, target: &Flows, tau: f64) {
        fn apply(x: &mut [f64], s: &[f64], tau: f64) {
            for (xi, &si) in x.iter_mut().zip(s) {
                *xi += tau * (si - *xi);
            }
        }
        apply(&mut self.total, &target.total, tau);
        if let (Some(x), Some(s)) = (&mut self.by_origin, &target.by_origin) {
            apply(x, s, tau);
        }
    }
}

/// Solves the user equilibrium of `od` on `net`.
///
/// Returns flows and times per link, the iteration count and the gap history. Stops at
/// [`AssignConfig::target_gap`] or [`AssignConfig::max_iterations`], whichever comes first
/// (check [`Assignment::converged`]).
///
/// # Example
///
/// Two parallel roads, 100 trips: at equilibrium both take the same time.
///
/// ```
/// use corridor_assign::{assign, AssignConfig, Link, Network, OdMatrix};
///
/// // Nodes 0 and 1 are zones; t = 10 + 0.1 x on one road, t = 15 + 0.075 x on the other.
/// let links = vec![Link::bpr(0, 1, 100.0, 10.0, 1.0, 1.0), Link::bpr(0, 1, 200.0, 15.0, 1.0, 1.0)];
/// let net = Network::new(2, 2, 0, links).unwrap();
/// let mut od = OdMatrix::new(2);
/// od.set(0, 1, 100.0);
/// let config = AssignConfig { target_gap: 1e-10, ..AssignConfig::default() };
/// let result = assign(&net, &od, &config).unwrap();
/// assert!((result.flows[0] - 500.0 / 7.0).abs() < 1e-6);
/// assert!((result.times[0] - result.times[1]).abs() < 1e-6);
/// ```
pub fn assign(net: &Network, od: &OdMatrix, config: &AssignConfig) -> Result<Assignment, AssignError> {
    check_config(config)?;
    let demand = Demand::new(net, od)?;
    solve(net, demand, config)
}

/// [`assign`] with several user classes that share the link times but not the links they may
/// use (multi-class user equilibrium, each class at its own Wardrop conditions). The relative
/// gap and SPTT sum over the classes. Per-origin flows are not kept for more than one class.
pub fn assign_classes(net: &Network, classes: &[UserClass], config: &AssignConfig) -> Result<Assignment, AssignError> {
    check_config(config)?;
    if classes.is_empty() {
        return Err(AssignError::Config("at least one class is needed"));
    }
    if config.keep_origin_flows && classes.len() > 1 {
        return Err(AssignError::Config("per-origin flows are kept for one class only"));
    }
    let demand = Demand::classes(net, classes)?;
    solve(net, demand, config)
}

fn check_config(config: &AssignConfig) -> Result<(), AssignError> {
    if config.target_gap.is_nan() || config.target_gap < 0.0 {
        return Err(AssignError::Config("target_gap must be non-negative"));
    }
    if config.max_iterations == 0 {
        return Err(AssignError::Config("max_iterations must be at least 1"));
    }
    Ok(())
}

fn solve(net: &Network, demand: Demand, config: &AssignConfig) -> Result<Assignment, AssignError> {
    let m = net.links().len();
    let keep = config.keep_origin_flows.then_some(demand.rows.len());
    let mut tree = Tree::new(net.num_nodes());

    let mut times = vec![0.0; m];
    let mut der = vec![0.0; m];
    let mut dir = vec![0.0; m];
    let mut x = Flows::zeros(m, keep);
    let mut y = Flows::zeros(m, keep);
    let mut target = Flows::zeros(m, keep);
    // The previous two search targets and the steps taken towards them.
    let mut s1 = Flows::zeros(m, keep);
    let mut s2 = Flows::zeros(m, keep);
    let mut history = 0usize; // how many of s1, s2 are usable
    let (mut tau1, mut tau2) = (0.0f64, 0.0f64);

    // Iteration 1: all-or-nothing at free flow is the starting point.
    net.times_into(&x.total, &mut times);
    all_or_nothing(net, &demand, &times, &mut tree, &mut x.total, x.by_origin.as_deref_mut())?;
    let mut iterations = 1;
    let mut gap_history = Vec::new();
    let (mut tstt, mut sptt, mut gap);
    loop {
        net.times_into(&x.total, &mut times);
        sptt = all_or_nothing(net, &demand, &times, &mut tree, &mut y.total, y.by_origin.as_deref_mut())?;
        iterations += 1;
        tstt = dot(&times, &x.total);
        gap = relative_gap(tstt, sptt);
        gap_history.push(gap);
        if gap <= config.target_gap || iterations >= config.max_iterations {
            break;
        }

        // Choose the target: the new vertex y, or its mix with the previous targets.
        let use_bfw = config.algorithm == Algorithm::BiconjugateFrankWolfe && history >= 2 && tau1 < 1.0 && tau2 < 1.0;
        let use_cfw = config.algorithm != Algorithm::FrankWolfe && history >= 1 && tau1 < 1.0;
        if use_bfw || use_cfw {
            for (d, (l, &xa)) in der.iter_mut().zip(net.links().iter().zip(&x.total)) {
                *d = l.derivative(xa);
            }
        }
        let betas =
            if use_bfw { biconjugate_betas(&der, &x.total, &y.total, &s1.total, &s2.total, tau1) } else { None };
        if let Some([b0, b1, b2]) = betas {
            target.combine(&[(b0, &y), (b1, &s1), (b2, &s2)]);
        } else if use_cfw {
            let alpha = conjugate_alpha(&der, &x.total, &y.total, &s1.total);
            target.combine(&[(1.0 - alpha, &y), (alpha, &s1)]);
        } else {
            target.copy_from(&y);
        }
        for ((d, &s), &xa) in dir.iter_mut().zip(&target.total).zip(&x.total) {
            *d = s - xa;
        }
        // A mixed direction can fail to descend when the objective is far from quadratic;
        // then restart the conjugate sequence from the plain Frank-Wolfe direction.
        if dot(&times, &dir) >= 0.0 && history > 0 {
            target.copy_from(&y);
            history = 0;
            for ((d, &s), &xa) in dir.iter_mut().zip(&target.total).zip(&x.total) {
                *d = s - xa;
            }
        }
        let tau = line_search(net, &x.total, &dir);
        if tau <= 0.0 {
            // Even the Frank-Wolfe direction gives no descent: the flows are an equilibrium
            // up to rounding, and further iterations cannot lower the gap.
            if history == 0 {
                break;
            }
            history = 0;
            continue;
        }
        x.step_towards(&target, tau);
        std::mem::swap(&mut s2, &mut s1);
        std::mem::swap(&mut s1, &mut target);
        tau2 = tau1;
        tau1 = tau;
        history = (history + 1).min(2);
    }

    let origin_flows = x.by_origin.take().map(|flows| OriginFlows {
        origins: demand.rows.iter().map(|(o, _)| *o).collect(),
        num_links: m,
        flows,
    });
    Ok(Assignment {
        beckmann: net.beckmann(&x.total),
        flows: x.total,
        times,
        iterations,
        relative_gap: gap,
        gap_history,
        converged: gap <= config.target_gap,
        tstt,
        sptt,
        origin_flows,
    })
}
