//! Multi-criteria label-setting (Martins' algorithm) over (hours, USD, kg CO2e), optionally
//! time-dependent and with resource constraints.
//!
//! One algorithm serves three needs: the Pareto set of routes; routing with a departure time
//! (waits depend on when the container reaches a ferry, so two partial routes at one node are
//! only comparable on all criteria at once: an earlier arrival may catch an earlier sailing);
//! and constraints a scalar Dijkstra cannot honour (at most N transshipments, no gauge change).
//!
//! Exactness: every arc function is FIFO (arriving later never departs earlier) and costs do not
//! depend on time, so a label dominated in all criteria at a node can never lead to a
//! non-dominated route; pruning by dominance is exact. The oracle tests compare the result with
//! brute-force enumeration.

use crate::continuing::Automaton;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

use corridor_model::{ArcId, ArcKind, Graph, Hours, Network, NodeId};

use crate::measure::{ArcMeasure, ArcMeasures};
use crate::metric::Metric;
use crate::request::RouteRequest;

/// A point in criteria space: elapsed time, money and well-to-wheel emissions.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Criteria {
    /// Hours from departure.
    pub hours: f64,
    /// US dollars.
    pub usd: f64,
    /// kg CO2e, well-to-wheel.
    pub co2_kg: f64,
}

impl Criteria {
    /// Whether `self` is at least as good as `other` on every criterion.
    pub fn weakly_dominates(&self, other: &Criteria) -> bool {
        const EPS: f64 = 1e-9;
        self.hours <= other.hours + EPS && self.usd <= other.usd + EPS && self.co2_kg <= other.co2_kg + EPS
    }
}

#[derive(Clone, Copy, Debug)]
struct Label {
    node: NodeId,
    c: Criteria,
    lifts: u32,
    /// Rail gauge at the start of the current chain of transfers at one location: 0 when not
    /// in a chain, 1 when the chain started off rail.
    chain: u16,
    /// Where the path stands with a corridor that continues on others (CMREC on the
    /// Trans-Siberian): it admits their links, but its route must use its own and start or end
    /// on them (a state of `crate::continuing`'s automaton).
    phase: u16,
    parent: u32,
    arc: u32,
    alive: bool,
}

const ROOT: u32 = u32::MAX;

#[derive(PartialEq)]
struct QueueEntry(Criteria, u32);

impl Eq for QueueEntry {}

impl Ord for QueueEntry {
    fn cmp(&self, o: &Self) -> Ordering {
        // Min-heap on the lexicographic order of the criteria.
        (o.0.hours.total_cmp(&self.0.hours))
            .then(o.0.usd.total_cmp(&self.0.usd))
            .then(o.0.co2_kg.total_cmp(&self.0.co2_kg))
            .then(o.1.cmp(&self.1))
    }
}

impl PartialOrd for QueueEntry {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

/// One non-dominated way to the destination.
#[derive(Clone, Debug)]
pub struct ParetoPath {
    /// Arcs from origin to destination.
    pub arcs: Vec<ArcId>,
    /// Measure of each arc as traversed (actual waits when time-dependent).
    pub measures: Vec<ArcMeasure>,
    /// Totals.
    pub criteria: Criteria,
}

/// Why a label search stopped without finishing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelLimit {
    /// The label budget ran out; the set may be incomplete.
    Exhausted,
    /// The deadline passed; the set may be incomplete.
    Deadline,
}

/// Labels popped between two looks at the clock (a look costs tens of nanoseconds; a label
/// about a microsecond).
const CLOCK_EVERY: usize = 1024;

/// Traverses `arc` from a state at `hours` after departure; `None` when the arc cannot be
/// used then (a timetable without further departures).
pub(crate) fn traverse(
    net: &Network,
    graph: &Graph,
    measures: &ArcMeasures,
    req: &RouteRequest,
    arc: ArcId,
    hours: f64,
) -> Option<ArcMeasure> {
    let kind = graph.kind(arc);
    let mut m = *measures.get(arc.index());
    if let (ArcKind::Wait { link, forward }, Some(depart)) = (kind, req.depart)
        && net.services_on(link, forward).next().is_some()
    {
        let now = depart + jiff::SignedDuration::from_secs_f64(hours * 3600.0);
        let dep = net.next_departure(link, forward, now)?;
        let wait = (dep.as_second() - now.as_second()).max(0) as f64 / 3600.0;
        m.hours = Hours(wait);
        m.hours_p90 = Hours(wait);
    }
    Some(m)
}

/// Runs the label-setting search for `req` with arc filter `metric` (infinite weight =
/// forbidden) and returns the Pareto set at the destination, sorted by time.
pub(crate) fn pareto(
    net: &Network,
    graph: &Graph,
    metric: &Metric,
    measures: &ArcMeasures,
    req: &RouteRequest,
    budget: &crate::budget::Budget,
) -> (Vec<ParetoPath>, Option<LabelLimit>) {
    let max_labels = budget.max_labels;
    let mut popped = 0usize;
    let max_hours = match (req.depart, req.latest_arrival) {
        (Some(d), Some(l)) => (l.as_second() - d.as_second()) as f64 / 3600.0,
        _ => f64::INFINITY,
    };
    let mut labels: Vec<Label> = Vec::new();
    let mut at: Vec<Vec<u32>> = vec![Vec::new(); graph.num_nodes()];
    let mut heap = BinaryHeap::new();
    let mut results: Vec<u32> = Vec::new();
    let mut limit = None;
    let auto = Automaton::for_request(net, req.corridor.filter(|_| !req.corridor_links_only));
    for n in graph.stop_nodes(req.from) {
        let l = Label {
            node: n,
            c: Criteria::default(),
            lifts: 0,
            chain: 0,
            phase: auto.start() as u16,
            parent: ROOT,
            arc: ROOT,
            alive: true,
        };
        at[n.index()].push(labels.len() as u32);
        heap.push(QueueEntry(l.c, labels.len() as u32));
        labels.push(l);
    }
    // Does `a` dominate `b`? Resource states must be comparable too.
    let dominates = |a: &Label, b: &Label| -> bool {
        a.c.weakly_dominates(&b.c)
            && req.max_transshipments.is_none_or(|_| a.lifts <= b.lifts)
            && (!req.avoid_gauge_changes || a.chain == b.chain)
            && auto.dominates(usize::from(a.phase), usize::from(b.phase))
    };
    // The label one arc on from `from` (label number `from_idx`) along arc number `a`, or
    // `None` where the request forbids the arc, a timetable has no further departure, the
    // corridor's automaton or the resource limits refuse it, or it arrives too late.
    let grow = |from: &Label, from_idx: u32, a: usize| -> Option<Label> {
        if !metric.weight[a].is_finite() {
            return None;
        }
        let arc = ArcId::from_index(a);
        let m = traverse(net, graph, measures, req, arc, from.c.hours)?;
        // A continuing corridor's route starts or ends on its own links (the automaton of
        // `crate::continuing`).
        let phase = auto.step(net, graph, usize::from(from.phase), arc)? as u16;
        let (lifts, chain) = crate::resource::after_arc(net, graph, req, arc, from.lifts, from.chain)?;
        let c = Criteria {
            hours: from.c.hours + m.hours.0,
            usd: from.c.usd + m.usd.0,
            co2_kg: from.c.co2_kg + m.emissions.wtw.0,
        };
        (c.hours <= max_hours).then_some(Label {
            node: graph.head(arc),
            c,
            lifts,
            chain,
            phase,
            parent: from_idx,
            arc: a as u32,
            alive: true,
        })
    };
    let mut passed: Vec<Label> = Vec::new();
    while let Some(QueueEntry(_, idx)) = heap.pop() {
        popped += 1;
        if popped.is_multiple_of(CLOCK_EVERY) && budget.expired() {
            limit = Some(LabelLimit::Deadline);
            break;
        }
        let l = labels[idx as usize];
        if !l.alive {
            continue;
        }
        let node = l.node;
        if graph.node_location(node) == req.to && graph.is_stop(node) && auto.accepts(usize::from(l.phase)) {
            if !results.iter().any(|&r| labels[r as usize].c.weakly_dominates(&l.c)) {
                results.push(idx);
            }
            continue;
        }
        for a in graph.out_arcs(node) {
            let Some(mut new) = grow(&l, idx, a) else { continue };
            // A waypoint (a border clearance's or a departure's: one arc on, and no search
            // ends there) passes its label straight on instead of keeping a bag: any label that
            // would dominate it there dominates it one arc on as well (the arc's cost is the
            // same, or FIFO for a timetabled wait), so the Pareto set is the same with about
            // two thirds fewer labels queued on the corridor core. The labels passed on are
            // recorded for the path (right before the one they lead to) if that one is kept.
            passed.clear();
            let kept = loop {
                if graph.out_arcs(new.node).len() != 1 || graph.is_stop(new.node) {
                    break Some(new);
                }
                if results.iter().any(|&r| labels[r as usize].c.weakly_dominates(&new.c)) {
                    break None;
                }
                let id = (labels.len() + passed.len()) as u32;
                let on = graph.out_arcs(new.node).start;
                passed.push(Label { alive: false, ..new });
                match grow(&new, id, on) {
                    Some(next) => new = next,
                    None => break None,
                }
            };
            let Some(new) = kept else { continue };
            let (c, head) = (new.c, new.node);
            if results.iter().any(|&r| labels[r as usize].c.weakly_dominates(&c)) {
                continue;
            }
            if at[head.index()].iter().any(|&o| {
                let o = &labels[o as usize];
                o.alive && dominates(o, &new)
            }) {
                continue;
            }
            for &o in &at[head.index()] {
                let dominated = {
                    let old = &labels[o as usize];
                    old.alive && dominates(&new, old)
                };
                if dominated {
                    labels[o as usize].alive = false;
                }
            }
            at[head.index()].retain(|&o| labels[o as usize].alive);
            labels.append(&mut passed);
            let id = labels.len() as u32;
            at[head.index()].push(id);
            heap.push(QueueEntry(c, id));
            labels.push(new);
            if labels.len() >= max_labels {
                limit = Some(LabelLimit::Exhausted);
                heap.clear();
                break;
            }
        }
    }
    let mut paths: Vec<ParetoPath> = results
        .into_iter()
        .map(|r| {
            let mut arcs = Vec::new();
            let mut i = r;
            while labels[i as usize].arc != ROOT {
                arcs.push(ArcId(labels[i as usize].arc));
                i = labels[i as usize].parent;
            }
            arcs.reverse();
            // Replay to get each arc's measure as traversed.
            let mut hours = 0.0;
            let replayed: Vec<ArcMeasure> = arcs
                .iter()
                .map(|&a| {
                    let m = traverse(net, graph, measures, req, a, hours).expect("path was feasible during search");
                    hours += m.hours.0;
                    m
                })
                .collect();
            ParetoPath { arcs, measures: replayed, criteria: labels[r as usize].c }
        })
        .collect();
    paths.sort_by(|a, b| {
        a.criteria
            .hours
            .total_cmp(&b.criteria.hours)
            .then(a.criteria.usd.total_cmp(&b.criteria.usd))
            .then(a.criteria.co2_kg.total_cmp(&b.criteria.co2_kg))
    });
    (paths, limit)
}
