//! The multi-commodity min-cost flow against an arc-based LP solved by good_lp + microlp, on
//! seeded random instances; plus a dual certificate (reduced costs non-negative, strong
//! duality) of the shadow prices.

// Index loops read like the LP's sums over arcs and commodities.
#![allow(clippy::needless_range_loop)]

use corridor_analytics::*;
use good_lp::{Expression, ProblemVariables, Solution, SolverModel, microlp, variable};

/// A small deterministic generator (SplitMix64), so failures reproduce from the seed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

struct Instance {
    g: FlowGraph,
    caps: Vec<ArcCapacity>,
    coms: Vec<Commodity>,
}

fn random_instance(seed: u64) -> Instance {
    let mut r = Rng(seed);
    let n = 4 + r.below(5) as usize;
    let m = n + r.below(3 * n as u64) as usize;
    let (mut tails, mut heads, mut costs) = (vec![], vec![], vec![]);
    // A ring so that most pairs are connected, then random chords.
    for v in 0..n {
        tails.push(v as u32);
        heads.push(((v + 1) % n) as u32);
        costs.push(1.0 + r.below(20) as f64);
    }
    for _ in 0..m {
        let a = r.below(n as u64) as u32;
        let b = r.below(n as u64) as u32;
        if a != b {
            tails.push(a);
            heads.push(b);
            costs.push(r.below(30) as f64);
        }
    }
    let arcs = tails.len();
    let mut caps = Vec::new();
    for a in 0..arcs {
        if r.below(3) == 0 {
            caps.push(ArcCapacity { arc: a, capacity: r.below(15) as f64 });
        }
    }
    let k = 1 + r.below(4) as usize;
    let coms = (0..k)
        .map(|_| {
            let s = r.below(n as u64) as u32;
            let mut t = r.below(n as u64) as u32;
            if t == s {
                t = (s + 1) % n as u32;
            }
            Commodity {
                sources: vec![s],
                sinks: vec![t],
                demand: 1.0 + r.below(20) as f64,
                penalty: 200.0 + r.below(100) as f64,
                // A third of the commodities are bound away from a random fifth of the arcs
                // (demand kept to a corridor).
                blocked: if r.below(3) == 0 { (0..arcs).map(|_| r.below(5) == 0).collect() } else { Vec::new() },
            }
        })
        .collect();
    Instance { g: FlowGraph { num_nodes: n, tails, heads, costs }, caps, coms }
}

/// The arc-based multi-commodity LP, solved by microlp.
fn oracle(inst: &Instance) -> f64 {
    let mut vars = ProblemVariables::new();
    let arcs = inst.g.tails.len();
    let x: Vec<Vec<_>> = inst.coms.iter().map(|_| (0..arcs).map(|_| vars.add(variable().min(0.0))).collect()).collect();
    let u: Vec<_> = inst.coms.iter().map(|c| vars.add(variable().min(0.0).max(c.demand))).collect();
    let mut obj = Expression::from(0.0);
    for (k, c) in inst.coms.iter().enumerate() {
        for a in 0..arcs {
            obj += inst.g.costs[a] * x[k][a];
        }
        obj += c.penalty * u[k];
    }
    let mut model = vars.minimise(obj).using(microlp);
    for (k, c) in inst.coms.iter().enumerate() {
        for v in 0..inst.g.num_nodes as u32 {
            let mut net = Expression::from(0.0);
            for a in 0..arcs {
                if inst.g.tails[a] == v {
                    net += x[k][a];
                }
                if inst.g.heads[a] == v {
                    net -= x[k][a];
                }
            }
            let rhs: Expression = if v == c.sources[0] {
                c.demand - u[k]
            } else if v == c.sinks[0] {
                u[k] - c.demand
            } else {
                Expression::from(0.0)
            };
            model = model.with(net.eq(rhs));
        }
    }
    for (k, c) in inst.coms.iter().enumerate() {
        for (a, _) in c.blocked.iter().enumerate().filter(|(_, b)| **b) {
            model = model.with(Expression::from(x[k][a]).eq(0.0));
        }
    }
    for cap in &inst.caps {
        let mut load = Expression::from(0.0);
        for xk in &x {
            load += xk[cap.arc];
        }
        model = model.with(load.leq(cap.capacity));
    }
    let sol = model.solve().expect("the LP is always feasible (unserved slack)");
    let mut total = 0.0;
    for (k, c) in inst.coms.iter().enumerate() {
        for a in 0..arcs {
            total += inst.g.costs[a] * sol.value(x[k][a]);
        }
        total += c.penalty * sol.value(u[k]);
    }
    total
}

#[test]
fn min_cost_flow_matches_good_lp_on_random_instances() {
    for seed in 0..150u64 {
        let inst = random_instance(seed);
        let ours = min_cost_flow(&inst.g, &inst.caps, &inst.coms).unwrap();
        let lp = oracle(&inst);
        assert!(
            (ours.objective - lp).abs() <= 1e-6 * (1.0 + lp.abs()),
            "seed {seed}: ours {} vs good_lp {lp}",
            ours.objective
        );
        // Primal feasibility.
        for c in &inst.caps {
            assert!(ours.arc_flow[c.arc] <= c.capacity + 1e-7, "seed {seed}: capacity exceeded");
        }
        for (k, c) in inst.coms.iter().enumerate() {
            let carried: f64 = ours.paths[k].iter().map(|p| p.flow).sum();
            assert!((carried + ours.unserved[k] - c.demand).abs() < 1e-7, "seed {seed}: demand {k}");
        }
        // Dual certificate: with arc prices c + π every path costs at least the commodity dual
        // (which is at most the penalty), and the dual objective equals the primal one.
        let mut w = inst.g.costs.clone();
        for (i, c) in inst.caps.iter().enumerate() {
            assert!(ours.shadow_prices[i] >= 0.0);
            w[c.arc] += ours.shadow_prices[i];
        }
        let adj = Adjacency::new(inst.g.num_nodes, &inst.g.tails, &inst.g.heads);
        let mut dual_obj = 0.0;
        for (k, c) in inst.coms.iter().enumerate() {
            // A commodity's paths keep off its blocked arcs, and so does its certificate.
            let blocked = |a: usize| c.blocked.get(a).copied().unwrap_or(false);
            assert!(ours.paths[k].iter().all(|p| p.arcs.iter().all(|&a| !blocked(a as usize))), "seed {seed}");
            let wk: Vec<f64> = w.iter().enumerate().map(|(a, &x)| if blocked(a) { f64::INFINITY } else { x }).collect();
            let (dist, _) = adj.shortest(&c.sources, &wk);
            let y = ours.commodity_duals[k];
            assert!(y <= c.penalty + 1e-6, "seed {seed}");
            assert!(dist[c.sinks[0] as usize] >= y - 1e-6, "seed {seed}: negative reduced cost");
            dual_obj += y * c.demand;
        }
        for (i, c) in inst.caps.iter().enumerate() {
            dual_obj -= ours.shadow_prices[i] * c.capacity;
        }
        assert!((dual_obj - ours.objective).abs() <= 1e-6 * (1.0 + lp.abs()), "seed {seed}: duality gap");
    }
}

#[test]
fn invalid_inputs_are_rejected() {
    let g = FlowGraph { num_nodes: 2, tails: vec![0], heads: vec![1], costs: vec![-1.0] };
    assert!(matches!(min_cost_flow(&g, &[], &[]), Err(McfError::Input(_))));
    let g = FlowGraph { num_nodes: 2, tails: vec![0], heads: vec![1], costs: vec![1.0] };
    let bad = [ArcCapacity { arc: 5, capacity: 1.0 }];
    assert!(matches!(min_cost_flow(&g, &bad, &[]), Err(McfError::Input(_))));
}
