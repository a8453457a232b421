//! `corridor route --data X.corridor --depart T`: timetabled legs combined with the detailed
//! network, the way MOTIS and OpenTripPlanner combine street and transit routing.
//!
//! The first and last mile run on the detailed snapshot (CCH, time metric, land arcs only: no
//! curated links and no sea lanes, which the timetabled search covers); the middle runs on the
//! curated network with its time-dependent search, which waits for actual departures. Access
//! and egress times from the coordinate to every curated terminal of the snapshot come from
//! two one-to-many CCH matrices; the terminals within a day of the best access (and egress)
//! are combined pairwise, each pair answered by a time-dependent query leaving at the access
//! arrival, and the earliest door-to-door arrival wins. Exact within that candidate set; a
//! terminal more than a day farther than the nearest is not tried.

use std::path::Path;

use corridor_model::{Graph, Network};
use corridor_search::Router;
use corridor_snapshot::{ArcKind, Engine, Objective, Profile};

use crate::args::{Format, QueryOpts, TableOpts};
use crate::common::{Failure, fail};
use crate::detailed::DetailedQuery;

/// Access or egress terminals tried, at most.
const MAX_CANDIDATES: usize = 6;
/// Terminals whose access is this much longer than the best are not tried, hours.
const SLACK_H: f64 = 24.0;

#[allow(clippy::too_many_arguments)]
pub fn route(
    data: &Path,
    net: &Network,
    from: &str,
    to: &str,
    o: &TableOpts,
    q: &DetailedQuery,
    opts: &QueryOpts,
    format: Format,
) -> Result<(), Failure> {
    let engine = Engine::load(data).map_err(|e| fail(2, e.to_string()))?;
    let snap = engine.snapshot();
    crate::detailed::check_countries(&engine, &q.avoid_countries)?;
    let ((s, _), (t, _)) = crate::detailed::snap_ends(&engine, o, from, to)?;
    // Curated locations present in the snapshot as terminal nodes ("CODE name" labels).
    let mut terminals: Vec<(u32, corridor_model::LocationId)> = Vec::new();
    for v in 0..snap.node_count() as u32 {
        if snap.node_mode_of(v) != corridor_snapshot::NodeMode::Terminal {
            continue;
        }
        let label = snap.label(snap.node_label()[v as usize]);
        let code = label.split(' ').next().unwrap_or("");
        if let Some(id) = net.location_by_code(code) {
            terminals.push((v, id));
        }
    }
    if terminals.is_empty() {
        return Err(fail(2, "this snapshot has no curated terminals (build it with the curated overlay)"));
    }
    let land = (1u8 << ArcKind::Curated as u8) | (1 << ArcKind::Sea as u8) | q.avoid_kinds;
    let profile =
        Profile { objective: Objective::Time, avoid_kinds: land, ..crate::detailed::profile(&engine, o, Some(q)) };
    let metric = engine.metric(&profile);
    let nodes: Vec<u32> = terminals.iter().map(|x| x.0).collect();
    let access = engine.matrix(&metric, &[s.node], &nodes);
    let egress = engine.matrix(&metric, &nodes, &[t.node]);
    let hours = |w: u32| (w < corridor_snapshot::profile::BLOCKED_PATH).then(|| f64::from(w) / 36_000.0);
    let pick = |ws: &[u32]| -> Vec<(usize, f64)> {
        let mut c: Vec<(usize, f64)> = ws.iter().enumerate().filter_map(|(i, &w)| hours(w).map(|h| (i, h))).collect();
        c.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        let best = c.first().map_or(0.0, |x| x.1);
        c.into_iter().filter(|x| x.1 <= best + SLACK_H).take(MAX_CANDIDATES).collect()
    };
    let (acc, egr) = (pick(&access), pick(&egress));
    if acc.is_empty() || egr.is_empty() {
        return Err(fail(1, "no curated terminal is reachable over land from the origin or the destination"));
    }
    let graph = Graph::compile(net);
    let router = Router::new(net, &graph);
    let mut best: Option<(f64, usize, usize, corridor_search::Route, corridor_search::RouteRequest)> = None;
    let mut last_error = None;
    let depart = opts.depart.as_deref().ok_or_else(|| fail(2, "--depart is required"))?;
    for &(a, ha) in &acc {
        for &(e, he) in &egr {
            let (la, le) = (terminals[a].1, terminals[e].1);
            if la == le {
                continue;
            }
            let mut o2 = opts.clone();
            o2.depart = None;
            o2.latest_arrival = None;
            let mut req = crate::common::request(net, la, le, &o2)?;
            let t0 = corridor_routing::parse_time(depart, net.location(la), corridor_routing::Param::Depart)
                .map_err(|e| fail(2, e.cli()))?;
            req.depart = Some(corridor_io::export::after(t0, ha));
            match router.route(&req) {
                Ok(r) => {
                    let total = ha + r.totals.hours.0 + he;
                    if best.as_ref().is_none_or(|b| total < b.0) {
                        best = Some((total, a, e, r, req));
                    }
                }
                Err(err) => last_error = Some(err.to_string()),
            }
        }
    }
    let Some((total, a, e, r, req)) = best else {
        return Err(fail(
            1,
            format!(
                "no timetabled route between the terminals near the two points: {}",
                last_error.unwrap_or_default()
            ),
        ));
    };
    let leg_summary = |src: u32, dst: u32| -> serde_json::Value {
        let Some((_, arcs)) = engine.path(&metric, src, dst) else { return serde_json::Value::Null };
        let legs = engine.legs(&profile, src, &arcs);
        let sum = |f: fn(&corridor_snapshot::Leg) -> f64| legs.iter().map(f).sum::<f64>();
        serde_json::json!({
            "km": (sum(|l| l.cost.km) * 10.0).round() / 10.0, "hours": (sum(|l| l.cost.hours) * 10.0).round() / 10.0,
            "usd": sum(|l| l.cost.usd).round(), "kg_co2e": (sum(|l| l.cost.kg_co2e) * 10.0).round() / 10.0,
            "modes": legs.iter().map(|l| l.kind.name()).collect::<std::collections::BTreeSet<_>>(),
        })
    };
    let (ta, te) = (terminals[a].0, terminals[e].0);
    let acc_json = leg_summary(s.node, ta);
    let egr_json = leg_summary(te, t.node);
    let rel = router.reliability(&r, opts.samples(), opts.seed());
    let (la, le) = (net.location(terminals[a].1), net.location(terminals[e].1));
    match format {
        Format::Json => {
            let mut dto = corridor_io::export::RouteDto::new(net, &r);
            dto.reliability = Some(corridor_io::export::ReliabilityDto::new(net, &r, &rel));
            println!(
                "{}",
                serde_json::json!({
                    "access": {"from_node": s.node, "snap_km": s.distance_km, "to": la.code, "summary": acc_json},
                    "route": dto,
                    "egress": {"from": le.code, "to_node": t.node, "snap_km": t.distance_km, "summary": egr_json},
                    "door_to_door_hours": (total * 10.0).round() / 10.0,
                    "candidates": {"access": acc.len(), "egress": egr.len()},
                })
            );
        }
        _ => {
            println!(
                "access: node {} (snapped {:.2} km) -> {} {}: {} km, {} h over land on the detailed network",
                s.node, s.distance_km, la.code, la.name, acc_json["km"], acc_json["hours"]
            );
            crate::output::print_route(net, &req, &r, &rel, &[], Format::Table)
                .map_err(|e| fail(1, format!("{e:#}")))?;
            println!();
            println!(
                "egress: {} {} -> node {} (snapped {:.2} km): {} km, {} h",
                le.code, le.name, t.node, t.distance_km, egr_json["km"], egr_json["hours"]
            );
            println!(
                "door to door: {:.1} h ({:.1} days) from the departure; {} access x {} egress terminals tried",
                total,
                total / 24.0,
                acc.len(),
                egr.len()
            );
        }
    }
    Ok(())
}
