//! Small networks whose equilibria are known in closed form.
//!
//! BPR with power 1 is affine, `t = fft + (fft · b / c) · x`, so equilibria reduce to linear
//! equations that can be solved by hand; each test states its solution.

use corridor_assign::{
    Algorithm, AssignConfig, AssignError, Assignment, Link, Network, OdMatrix, UserClass, Vdf, assign, assign_classes,
    evaluate,
};

/// An affine link `t = a + s · x` as BPR power 1 (`fft = a`, `b = 1`, `c = a / s`).
fn affine(from: u32, to: u32, a: f64, s: f64) -> Link {
    Link::bpr(from, to, a / s, a, 1.0, 1.0)
}

/// Solves with every algorithm to a tight gap and checks they agree; returns the BFW result.
#[track_caller]
fn solve(net: &Network, od: &OdMatrix) -> Assignment {
    let mut results = Vec::new();
    for algorithm in [Algorithm::FrankWolfe, Algorithm::ConjugateFrankWolfe, Algorithm::BiconjugateFrankWolfe] {
        let config = AssignConfig { algorithm, target_gap: 1e-10, max_iterations: 100_000, keep_origin_flows: false };
        let r = assign(net, od, &config).unwrap();
        assert!(r.converged, "{algorithm:?}: gap {}", r.relative_gap);
        results.push(r);
    }
    for r in &results[..2] {
        for (a, b) in r.flows.iter().zip(&results[2].flows) {
            assert!((a - b).abs() <= 1e-3 * (1.0 + b.abs()), "algorithms disagree: {a} vs {b}");
        }
    }
    results.pop().unwrap()
}

#[track_caller]
fn assert_close(actual: f64, expected: f64, tol: f64) {
    assert!((actual - expected).abs() <= tol, "{actual} != {expected} (tol {tol})");
}

/// Two parallel roads: `10 + 0.1 x` and `15 + 0.075 x`, 100 trips.
/// Equal times: `10 + 0.1 x = 15 + 0.075 (100 − x)` gives `x = 500/7`, `t = 120/7`.
#[test]
fn two_parallel_links() {
    let net = Network::new(2, 2, 0, vec![affine(0, 1, 10.0, 0.1), affine(0, 1, 15.0, 0.075)]).unwrap();
    let mut od = OdMatrix::new(2);
    od.set(0, 1, 100.0);
    let r = solve(&net, &od);
    assert_close(r.flows[0], 500.0 / 7.0, 1e-5);
    assert_close(r.flows[1], 200.0 / 7.0, 1e-5);
    assert_close(r.times[0], 120.0 / 7.0, 1e-6);
    assert_close(r.tstt, 100.0 * 120.0 / 7.0, 1e-3);
}

/// A road too slow to use: `t = 50 + x` never beats `t = 10 + 0.1 x` for 100 trips (max 20).
#[test]
fn unused_alternative_gets_no_flow() {
    let net = Network::new(2, 2, 0, vec![affine(0, 1, 10.0, 0.1), affine(0, 1, 50.0, 1.0)]).unwrap();
    let mut od = OdMatrix::new(2);
    od.set(0, 1, 100.0);
    let r = solve(&net, &od);
    assert_eq!(r.flows[1], 0.0);
    assert_close(r.flows[0], 100.0, 1e-9);
}

/// Braess's network, 6 trips from s = 0 to t = 1 over a = 2 and b = 3:
/// `s→a = 1 + 10x`, `a→t = 50 + x`, `s→b = 50 + x`, `b→t = 1 + 10x`, optional `a→b = 10 + x`.
fn braess(with_bridge: bool) -> (Network, OdMatrix) {
    let mut links =
        vec![affine(0, 2, 1.0, 10.0), affine(2, 1, 50.0, 1.0), affine(0, 3, 50.0, 1.0), affine(3, 1, 1.0, 10.0)];
    if with_bridge {
        links.push(affine(2, 3, 10.0, 1.0));
    }
    let mut od = OdMatrix::new(2);
    od.set(0, 1, 6.0);
    (Network::new(4, 2, 0, links).unwrap(), od)
}

/// Without the bridge: 3 trips per side, 84 each (TSTT 504).
/// With it: by symmetry the outer paths carry `f` each and the bridge path `6 − 2f`; equal
/// costs `111 − 9f = 138 − 22f` give `f = 27/13`, bridge `24/13`, cost `1200/13 ≈ 92.3`:
/// the new link makes every trip slower (Braess's paradox).
#[test]
fn braess_paradox() {
    let (net, od) = braess(false);
    let r = solve(&net, &od);
    for &x in &r.flows {
        assert_close(x, 3.0, 1e-6);
    }
    assert_close(r.tstt, 504.0, 1e-5);

    let (net, od) = braess(true);
    let r = solve(&net, &od);
    let f = 27.0 / 13.0;
    assert_close(r.flows[1], f, 1e-5); // a→t
    assert_close(r.flows[2], f, 1e-5); // s→b
    assert_close(r.flows[0], 6.0 - f, 1e-5); // s→a
    assert_close(r.flows[4], 24.0 / 13.0, 1e-5); // a→b
    assert_close(r.tstt, 6.0 * 1200.0 / 13.0, 1e-4);
    assert!(r.tstt > 504.0);
}

/// Zones below the first through node are not passed through: the short path 0→1→2 goes
/// through zone 1, so with `first_thru_node = 3` all trips take 0→3→2.
#[test]
fn first_thru_node_blocks_paths_through_zones() {
    // Constant times (b = 0), so the equilibrium is the all-or-nothing assignment.
    let fixed = |from, to, t| Link::bpr(from, to, 1.0, t, 0.0, 1.0);
    let links = vec![fixed(0, 1, 1.0), fixed(1, 2, 1.0), fixed(0, 3, 5.0), fixed(3, 2, 5.0)];
    let mut od = OdMatrix::new(3);
    od.set(0, 2, 10.0);
    od.set(1, 2, 4.0);
    let open = assign(&Network::new(4, 3, 0, links.clone()).unwrap(), &od, &AssignConfig::default()).unwrap();
    assert_eq!(open.flows, vec![10.0, 14.0, 0.0, 0.0]);
    let blocked = assign(&Network::new(4, 3, 3, links).unwrap(), &od, &AssignConfig::default()).unwrap();
    // Zone 1 still sends its own trips out of itself.
    assert_eq!(blocked.flows, vec![0.0, 4.0, 10.0, 10.0]);
    assert_eq!(blocked.tstt, 10.0 * 10.0 + 4.0);
}

/// A queueing (Davidson) link competes with a BPR road; at equilibrium both take equal time.
#[test]
fn davidson_ferry_against_bpr_road() {
    let ferry = Link { from: 0, to: 1, capacity: 100.0, free_flow_time: 10.0, vdf: Vdf::Davidson { j: 0.5, mu: 0.95 } };
    let road = Link::bpr(0, 1, 50.0, 20.0, 0.15, 4.0);
    let net = Network::new(2, 2, 0, vec![ferry, road]).unwrap();
    let mut od = OdMatrix::new(2);
    od.set(0, 1, 150.0);
    let r = solve(&net, &od);
    assert!(r.flows[0] > 0.0 && r.flows[1] > 0.0);
    assert_close(r.times[0], r.times[1], 1e-6);
    assert_close(r.flows[0] + r.flows[1], 150.0, 1e-9);
}

#[test]
fn errors_are_reported_not_panicked() {
    // Demand with no path.
    let net = Network::new(3, 3, 0, vec![affine(0, 1, 1.0, 1.0)]).unwrap();
    let mut od = OdMatrix::new(3);
    od.set(0, 2, 1.0);
    assert_eq!(assign(&net, &od, &AssignConfig::default()), Err(AssignError::NoPath { origin: 0, destination: 2 }));
    // Matrix of the wrong size, negative demand, bad settings.
    assert!(matches!(assign(&net, &OdMatrix::new(2), &AssignConfig::default()), Err(AssignError::Zones { .. })));
    let mut od = OdMatrix::new(3);
    od.set(1, 0, -1.0);
    assert!(matches!(assign(&net, &od, &AssignConfig::default()), Err(AssignError::Demand { .. })));
    let bad = AssignConfig { target_gap: f64::NAN, ..AssignConfig::default() };
    assert!(matches!(assign(&net, &OdMatrix::new(3), &bad), Err(AssignError::Config(_))));
    // Invalid links.
    assert!(Network::new(2, 2, 0, vec![Link::bpr(0, 5, 1.0, 1.0, 0.15, 4.0)]).is_err());
    assert!(Network::new(2, 2, 0, vec![Link::bpr(0, 1, 0.0, 1.0, 0.15, 4.0)]).is_err());
    assert!(Network::new(2, 2, 0, vec![Link::bpr(0, 1, 1.0, -1.0, 0.15, 4.0)]).is_err());
    assert!(Network::new(2, 3, 0, vec![]).is_err());
}

/// No demand: zero flows, zero gap, converged at once.
#[test]
fn empty_demand_converges_immediately() {
    let net = Network::new(2, 2, 0, vec![affine(0, 1, 1.0, 1.0)]).unwrap();
    let r = assign(&net, &OdMatrix::new(2), &AssignConfig::default()).unwrap();
    assert!(r.converged);
    assert_eq!((r.flows[0], r.relative_gap, r.tstt), (0.0, 0.0, 0.0));
}

/// `evaluate` of the returned flows reproduces the reported gap and TSTT.
#[test]
fn evaluate_agrees_with_assign() {
    let (net, od) = braess(true);
    let r = assign(&net, &od, &AssignConfig { target_gap: 1e-3, ..AssignConfig::default() }).unwrap();
    let g = evaluate(&net, &od, &r.flows).unwrap();
    assert_eq!((g.relative_gap, g.tstt, g.sptt, g.beckmann), (r.relative_gap, r.tstt, r.sptt, r.beckmann));
}

/// Two classes share the congestion of two parallel roads; one may not use the first road.
/// With t0 = 10 + 0.1 x0 and t1 = 15 + 0.075 x1, 100 free trips and 60 bound to road 1, the
/// free class equalises the times: x0 = 17 / 0.175 = 680 / 7 (and uses road 1 for the rest).
#[test]
fn classes_share_congestion_but_not_links() {
    let links = vec![Link::bpr(0, 1, 100.0, 10.0, 1.0, 1.0), Link::bpr(0, 1, 200.0, 15.0, 1.0, 1.0)];
    let net = Network::new(2, 2, 0, links).unwrap();
    let od = |trips: f64| {
        let mut m = OdMatrix::new(2);
        m.set(0, 1, trips);
        m
    };
    let classes =
        [UserClass { od: od(100.0), blocked: Vec::new() }, UserClass { od: od(60.0), blocked: vec![true, false] }];
    let config = AssignConfig { target_gap: 1e-10, ..AssignConfig::default() };
    let r = assign_classes(&net, &classes, &config).unwrap();
    assert!((r.flows[0] - 680.0 / 7.0).abs() < 1e-6, "{:?}", r.flows);
    assert!((r.flows[0] + r.flows[1] - 160.0).abs() < 1e-9);
    assert!((r.times[0] - r.times[1]).abs() < 1e-6);
    // One class with nothing blocked is plain `assign`.
    let one = assign_classes(&net, &classes[..1], &config).unwrap();
    assert_eq!(one, assign(&net, &od(100.0), &config).unwrap());
    // A class bound away from every road has no path.
    let stuck = [UserClass { od: od(1.0), blocked: vec![true, true] }];
    assert!(matches!(assign_classes(&net, &stuck, &config), Err(AssignError::NoPath { .. })));
    // Refused settings.
    let bad = [UserClass { od: od(1.0), blocked: vec![true] }];
    assert!(matches!(assign_classes(&net, &bad, &config), Err(AssignError::Config(_))));
    assert!(matches!(assign_classes(&net, &[], &config), Err(AssignError::Config(_))));
    let keep = AssignConfig { keep_origin_flows: true, ..config };
    assert!(matches!(assign_classes(&net, &classes, &keep), Err(AssignError::Config(_))));
}
