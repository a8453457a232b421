//! Hard-capacity assignment: multi-commodity minimum-cost flow with unserved demand and the
//! shadow price of every capacity.
//!
//! Why multi-commodity: a corridor OD matrix has many origins and destinations, and a
//! single-commodity flow (super source, super sink, successive shortest paths) would be free to
//! deliver Xi'an's boxes to Hamburg and Chongqing's to Duisburg whenever that is cheaper. Each
//! OD pair must keep its own flow, so the problem is a multi-commodity LP:
//!
//! ```text
//! min  Σ_k Σ_p c_p f_p + Σ_k P_k u_k
//! s.t. Σ_{p ∈ k} f_p + u_k = d_k            (demand of OD k; u_k = unserved, slack at price P_k)
//!      Σ_{p ∋ a}  f_p + s_c = cap_c          (capacity c on arc a; s_c = spare capacity)
//!      f, u, s ≥ 0
//! ```
//!
//! It is solved by *column generation*: a restricted master over the paths found so far is
//! solved with a dense primal simplex written here (the initial basis `{u_k, s_c}` is the
//! identity and feasible, so no phase 1 is needed), and the pricing step is one shortest-path
//! search per OD with arc costs `c_a + π_a`, where `π_a = −y_c ≥ 0` is the capacity dual. A path
//! whose reduced cost `dist − y_k` is negative enters; when none does, the master optimum is the
//! optimum of the full LP and `π` are the shadow prices: the saving per week from one more TEU
//! per week of capacity. The master is small (OD rows + capacitated arcs, a few hundred
//! columns), so a dense tableau with Bland's rule is fast and cannot cycle.

use crate::paths::Adjacency;

/// A flow network: arcs with costs.
#[derive(Clone, Debug)]
pub struct FlowGraph {
    /// Number of nodes.
    pub num_nodes: usize,
    /// Tail node of each arc.
    pub tails: Vec<u32>,
    /// Head node of each arc.
    pub heads: Vec<u32>,
    /// Cost per unit of flow of each arc (non-negative; infinite = unusable).
    pub costs: Vec<f64>,
}

/// A capacity on one arc.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ArcCapacity {
    /// The arc.
    pub arc: usize,
    /// The bound (non-negative).
    pub capacity: f64,
}

/// One OD demand: flow from any of `sources` to any of `sinks`.
#[derive(Clone, Debug, PartialEq)]
pub struct Commodity {
    /// Nodes the flow may start at.
    pub sources: Vec<u32>,
    /// Nodes the flow may end at.
    pub sinks: Vec<u32>,
    /// Amount to route.
    pub demand: f64,
    /// Cost per unit left unserved (the slack arc's cost); must exceed any real path cost
    /// for the demand to be served whenever capacity allows.
    pub penalty: f64,
    /// Per arc, whether this commodity may not use it (demand bound to a corridor); empty
    /// when every arc is open.
    pub blocked: Vec<bool>,
}

/// A path with its flow.
#[derive(Clone, Debug, PartialEq)]
pub struct PathFlow {
    /// Arcs, source first.
    pub arcs: Vec<u32>,
    /// Flow.
    pub flow: f64,
    /// Cost per unit (sum of arc costs).
    pub cost: f64,
}

/// The optimum of [`min_cost_flow`].
#[derive(Clone, Debug, PartialEq)]
pub struct McfSolution {
    /// Flow on each arc.
    pub arc_flow: Vec<f64>,
    /// The paths of each commodity with positive flow.
    pub paths: Vec<Vec<PathFlow>>,
    /// Unserved amount of each commodity.
    pub unserved: Vec<f64>,
    /// Shadow price of each capacity (≥ 0): objective decrease per unit of extra capacity.
    pub shadow_prices: Vec<f64>,
    /// Dual of each commodity's demand row: its marginal cost per unit of demand.
    pub commodity_duals: Vec<f64>,
    /// Objective: path costs plus penalties.
    pub objective: f64,
    /// Column-generation rounds.
    pub rounds: usize,
    /// Simplex pivots in total.
    pub pivots: usize,
}

/// Why [`min_cost_flow`] failed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum McfError {
    /// An input value is out of range.
    #[error("invalid input: {0}")]
    Input(String),
    /// The iteration limits were hit (numerical trouble).
    #[error("min-cost flow did not converge within {0} rounds")]
    NoConvergence(usize),
}

/// Relative tolerance on reduced costs and ratios.
const EPS: f64 = 1e-9;

/// Solves the multi-commodity min-cost flow with unserved slack (see the module docs).
pub fn min_cost_flow(
    g: &FlowGraph,
    capacities: &[ArcCapacity],
    commodities: &[Commodity],
) -> Result<McfSolution, McfError> {
    let m_arcs = g.tails.len();
    if g.heads.len() != m_arcs || g.costs.len() != m_arcs {
        return Err(McfError::Input("tails, heads and costs differ in length".into()));
    }
    if let Some((a, c)) = g.costs.iter().enumerate().find(|(_, c)| c.is_nan() || **c < 0.0) {
        return Err(McfError::Input(format!("arc {a} has cost {c}")));
    }
    for (i, cap) in capacities.iter().enumerate() {
        if cap.arc >= m_arcs || !(cap.capacity >= 0.0 && cap.capacity.is_finite()) {
            return Err(McfError::Input(format!("capacity {i} ({cap:?}) is invalid")));
        }
    }
    for (k, c) in commodities.iter().enumerate() {
        if !(c.demand >= 0.0 && c.demand.is_finite() && c.penalty >= 0.0 && c.penalty.is_finite()) {
            return Err(McfError::Input(format!("commodity {k}: demand {} penalty {}", c.demand, c.penalty)));
        }
        if c.sources.iter().chain(&c.sinks).any(|&v| v as usize >= g.num_nodes) {
            return Err(McfError::Input(format!("commodity {k}: node out of range")));
        }
        if !c.blocked.is_empty() && c.blocked.len() != m_arcs {
            return Err(McfError::Input(format!("commodity {k}: blocked must be empty or one per arc")));
        }
    }
    let adj = Adjacency::new(g.num_nodes, &g.tails, &g.heads);
    let k_n = commodities.len();
    let c_n = capacities.len();
    // Rows of the capacities on each arc (an arc may carry several).
    let mut caps_of_arc: Vec<Vec<usize>> = vec![Vec::new(); m_arcs];
    for (i, c) in capacities.iter().enumerate() {
        caps_of_arc[c.arc].push(i);
    }
    let scale = commodities.iter().map(|c| c.penalty).fold(1.0, f64::max);
    let mut lp = Tableau::new(
        commodities.iter().map(|c| c.demand).chain(capacities.iter().map(|c| c.capacity)).collect(),
        commodities.iter().map(|c| c.penalty).chain(std::iter::repeat_n(0.0, c_n)).collect(),
        scale,
    );
    // Column bookkeeping for the path columns: (commodity, arcs, cost).
    let mut columns: Vec<(usize, Vec<u32>, f64)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let max_rounds = 500 + 20 * (k_n + c_n);
    let mut rounds = 0;
    loop {
        rounds += 1;
        if rounds > max_rounds {
            return Err(McfError::NoConvergence(max_rounds));
        }
        lp.solve();
        let y = lp.duals();
        // Pricing: arc costs plus capacity prices π = −y_c.
        let mut w = g.costs.clone();
        for (a, rows) in caps_of_arc.iter().enumerate() {
            for &c in rows {
                w[a] += (-y[k_n + c]).max(0.0);
            }
        }
        let mut added = false;
        let mut masked = Vec::new();
        for (k, com) in commodities.iter().enumerate() {
            if com.demand <= 0.0 {
                continue;
            }
            let wk = if com.blocked.is_empty() {
                &w
            } else {
                masked.clear();
                masked.extend(w.iter().zip(&com.blocked).map(|(&x, &b)| if b { f64::INFINITY } else { x }));
                &masked
            };
            let (dist, pred) = adj.shortest(&com.sources, wk);
            let Some(&t) = com
                .sinks
                .iter()
                .filter(|&&t| dist[t as usize].is_finite())
                .min_by(|&&a, &&b| dist[a as usize].total_cmp(&dist[b as usize]).then(a.cmp(&b)))
            else {
                continue;
            };
            let reduced = dist[t as usize] - y[k];
            if reduced < -EPS * scale.max(1.0) * 10.0 {
                let arcs = adj.path(&pred, &g.tails, t);
                if !seen.insert((k, arcs.clone())) {
                    continue; // already in the master: numerical noise, not a new column
                }
                let cost: f64 = arcs.iter().map(|&a| g.costs[a as usize]).sum();
                let mut col = vec![(k, 1.0)];
                for &a in &arcs {
                    for &c in &caps_of_arc[a as usize] {
                        col.push((k_n + c, 1.0));
                    }
                }
                lp.add_column(&col, cost);
                columns.push((k, arcs, cost));
                added = true;
            }
        }
        if !added {
            break;
        }
    }
    let x = lp.primal();
    let y = lp.duals();
    let mut arc_flow = vec![0.0; m_arcs];
    let mut paths = vec![Vec::new(); k_n];
    for (j, (k, arcs, cost)) in columns.iter().enumerate() {
        let f = x[k_n + c_n + j];
        if f > EPS * scale.max(1.0) {
            for &a in arcs {
                arc_flow[a as usize] += f;
            }
            paths[*k].push(PathFlow { arcs: arcs.clone(), flow: f, cost: *cost });
        }
    }
    let unserved = (0..k_n).map(|k| x[k].max(0.0)).collect();
    let objective = lp.objective();
    Ok(McfSolution {
        arc_flow,
        paths,
        unserved,
        shadow_prices: (0..c_n).map(|c| (-y[k_n + c]).max(0.0)).collect(),
        commodity_duals: y[..k_n].to_vec(),
        objective,
        rounds,
        pivots: lp.pivots,
    })
}

/// A dense simplex tableau in standard form `min c x, A x = b, x ≥ 0` whose first `m` columns
/// form the identity (the initial basis), stored column by column so that new columns are cheap.
struct Tableau {
    m: usize,
    /// Current tableau columns `B⁻¹ A_j`.
    cols: Vec<Vec<f64>>,
    /// Costs.
    cost: Vec<f64>,
    /// Reduced costs `c_j − y A_j`.
    reduced: Vec<f64>,
    /// Current right-hand side `B⁻¹ b` (the basic values).
    rhs: Vec<f64>,
    /// Basic column of each row.
    basis: Vec<usize>,
    /// Tolerance scale (the largest cost).
    scale: f64,
    pivots: usize,
}

impl Tableau {
    fn new(b: Vec<f64>, initial_costs: Vec<f64>, scale: f64) -> Tableau {
        let m = b.len();
        let cols = (0..m)
            .map(|i| {
                let mut c = vec![0.0; m];
                c[i] = 1.0;
                c
            })
            .collect();
        Tableau {
            m,
            cols,
            reduced: vec![0.0; m],
            cost: initial_costs,
            rhs: b,
            basis: (0..m).collect(),
            scale,
            pivots: 0,
        }
    }

    /// Duals `y = c_B B⁻¹`: for an initial (identity) column `i`, `d_i = c_i − y_i`.
    fn duals(&self) -> Vec<f64> {
        (0..self.m).map(|i| self.cost[i] - self.reduced[i]).collect()
    }

    /// Adds a column given sparsely in original coordinates.
    fn add_column(&mut self, sparse: &[(usize, f64)], cost: f64) {
        let y = self.duals();
        let mut col = vec![0.0; self.m];
        let mut red = cost;
        for &(i, v) in sparse {
            red -= y[i] * v;
            // B⁻¹ e_i is the current tableau column of initial column i.
            for (r, x) in col.iter_mut().enumerate() {
                *x += v * self.cols[i][r];
            }
        }
        self.cols.push(col);
        self.cost.push(cost);
        self.reduced.push(red);
    }

    /// Primal simplex with Bland's rule until optimal. The LP is never unbounded: every
    /// column is non-negative in the demand rows and costs are non-negative.
    fn solve(&mut self) {
        let tol = EPS * self.scale.max(1.0);
        loop {
            let Some(q) = (0..self.cols.len()).find(|&j| self.reduced[j] < -tol) else { return };
            // Ratio test; ties broken by the smallest basic column index (Bland).
            let mut leave: Option<(usize, f64)> = None;
            for r in 0..self.m {
                let a = self.cols[q][r];
                if a > 1e-11 {
                    let ratio = self.rhs[r] / a;
                    match leave {
                        None => leave = Some((r, ratio)),
                        Some((lr, lratio)) => {
                            if ratio < lratio - 1e-12 * (1.0 + lratio.abs())
                                || (ratio <= lratio + 1e-12 * (1.0 + lratio.abs()) && self.basis[r] < self.basis[lr])
                            {
                                leave = Some((r, ratio));
                            }
                        }
                    }
                }
            }
            let Some((r, _)) = leave else {
                // Unbounded direction: impossible here; treat the column as unusable.
                self.reduced[q] = 0.0;
                continue;
            };
            self.pivot(r, q);
        }
    }

    fn pivot(&mut self, r: usize, q: usize) {
        self.pivots += 1;
        let pq = self.cols[q].clone();
        let p = pq[r];
        let dq = self.reduced[q];
        for j in 0..self.cols.len() {
            let col = &mut self.cols[j];
            let f = col[r] / p;
            if f != 0.0 {
                for i in 0..self.m {
                    if i != r {
                        col[i] -= f * pq[i];
                    }
                }
                col[r] = f;
                self.reduced[j] -= f * dq;
            }
        }
        let f = self.rhs[r] / p;
        for (i, &pqi) in pq.iter().enumerate() {
            if i != r {
                self.rhs[i] -= f * pqi;
                // Clamp round-off so that basic values stay feasible.
                if self.rhs[i] < 0.0 && self.rhs[i] > -1e-9 * (1.0 + f.abs()) {
                    self.rhs[i] = 0.0;
                }
            }
        }
        self.rhs[r] = f;
        self.reduced[q] = 0.0;
        self.basis[r] = q;
    }

    fn primal(&self) -> Vec<f64> {
        let mut x = vec![0.0; self.cols.len()];
        for (r, &j) in self.basis.iter().enumerate() {
            x[j] = self.rhs[r].max(0.0);
        }
        x
    }

    fn objective(&self) -> f64 {
        self.basis.iter().enumerate().map(|(r, &j)| self.cost[j] * self.rhs[r].max(0.0)).sum()
    }
}
