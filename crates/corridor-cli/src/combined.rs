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
    let (from_end, to_end) = crate::detailed::snap_ends(&engine, o, from, to)?;
    let (s, t) = (&from_end, &to_end);
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
    let mut best: Option<(f64, usize, usize, corridor_search::Route, corridor_search::RouteRequest, jiff::Timestamp)> =
        None;
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
                        best = Some((total, a, e, r, req, t0));
                    }
                }
                Err(err) => last_error = Some(err.to_string()),
            }
        }
    }
    let Some((_, a, e, r, req, t0)) = best else {
        return Err(fail(
            1,
            format!(
                "no timetabled route between the terminals near the two points: {}",
                last_error.unwrap_or_default()
            ),
        ));
    };
    // The detailed first and last mile, as legs with exact totals.
    let miles = |src: u32, dst: u32| -> Result<Vec<corridor_snapshot::Leg>, Failure> {
        let (_, arcs) = engine
            .path(&metric, src, dst)
            .ok_or_else(|| fail(1, format!("no path over land from node {src} to node {dst}")))?;
        Ok(engine.legs(&profile, src, &arcs))
    };
    let (ta, te) = (terminals[a].0, terminals[e].0);
    let (access, egress) = (miles(s.node, ta)?, miles(te, t.node)?);
    let rel = router.reliability(&r, opts.samples(), opts.seed());
    let (la, le) = (net.location(terminals[a].1), net.location(terminals[e].1));
    let core = crate::output::core_route(net, &r, &rel, &[]);
    let notes = vec![
        format!(
            "the timetabled middle runs on the curated network from {} ({}) to {} ({}); the first and last mile run over land on the detailed network",
            la.name, la.code, le.name, le.code
        ),
        format!(
            "{} access x {} egress terminals tried (those within {SLACK_H:.0} h of the best, at most {MAX_CANDIDATES} each); the earliest door-to-door arrival wins",
            acc.len(),
            egr.len()
        ),
    ];
    let dto = corridor_io::export::RouteDto::combined(snap, s, t, &access, core, &egress, t0, notes);
    let head = format!(
        "{} -> {}: 1 {} with {} t cargo, earliest arrival (detailed first and last mile, timetabled curated middle, optimized for {})\n",
        s.label(),
        t.label(),
        req.unit.as_str().to_uppercase(),
        crate::render::num(req.payload.0, 1),
        req.optimize
    );
    crate::output::print_route(&dto, &head, format).map_err(|e| fail(1, format!("{e:#}")))
}
