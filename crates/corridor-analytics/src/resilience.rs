//! Resilience: the cost of losing each element, by re-assignment without it.
//!
//! For every link carrying flow in the base (a border closes with its link, so links cover
//! borders) and every transfer direction carrying flow, the element is closed with a scenario,
//! the demand is re-assigned with the hard-capacity min-cost flow, and the extra generalized
//! cost of the served demand and the extra unserved demand are recorded. Runs are independent
//! and run in parallel (rayon); `progress` is called after each (from worker threads, hence
//! `Sync`) so that a front end can draw a bar without the library printing anything.

use std::sync::atomic::{AtomicUsize, Ordering};

use corridor_model::ArcKind;
use rayon::prelude::*;
use serde::Serialize;

use crate::demand::Demand;
use crate::prepare::Prepared;
use crate::report::{AnalyticsError, FlowReport, HardCapacityConfig, hard_capacity};
use crate::scenario::{Close, Model, Scenario, apply_model};

/// The loss of one element.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Criticality {
    /// `link:id` or `transfer:LOC:a>b`.
    pub element: String,
    /// TEU per year through it in the base.
    pub base_flow_teu_year: f64,
    /// Extra generalized cost of the demand still served, USD per year.
    pub extra_cost_usd_year: f64,
    /// Extra unserved demand, TEU per year.
    pub extra_unserved_teu_year: f64,
    /// Extra days per served TEU.
    pub extra_days_per_teu: f64,
    /// The loss the ranking sorts by: extra cost + extra unserved TEU x the unserved penalty, USD
    /// per year (the change of the hard-capacity assignment's objective).
    pub score_usd_year: f64,
}

/// The criticality ranking.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResilienceReport {
    /// Elements, most critical first.
    pub ranking: Vec<Criticality>,
    /// The base result.
    #[serde(skip)]
    pub base: FlowReport,
}

/// One part of a job split `count` ways (`--shard index/count`, 0-based): the part takes the
/// items whose position in the job's deterministic order is `index` modulo `count`, so the
/// parts are disjoint, cover the job, and have near-equal sizes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// This part, `0..count`.
    pub index: usize,
    /// Number of parts, at least 1.
    pub count: usize,
}

impl Shard {
    /// Parses `i/n` (`0 <= i < n <= 100,000`).
    pub fn parse(text: &str) -> Result<Shard, String> {
        let bad = || format!("{text:?}: expected i/n with 0 <= i < n (for example 0/4)");
        let (i, n) = text.split_once('/').ok_or_else(bad)?;
        let (index, count): (usize, usize) =
            (i.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
        if count == 0 || count > 100_000 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// Whether the item at position `k` of the job belongs to this part.
    pub fn contains(&self, k: usize) -> bool {
        k % self.count == self.index
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// Closes each of the `top_n` busiest elements (all with flow if `None`) and re-assigns.
pub fn resilience(
    model: &Model,
    demand: &Demand,
    top_n: Option<usize>,
    config: &HardCapacityConfig,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<ResilienceReport, AnalyticsError> {
    resilience_part(model, demand, top_n, config, None, progress)
}

/// [`resilience`] for one [`Shard`] of the elements (`None`: all): the elements are ordered by
/// base flow (ties by id) and cut to `top_n` first, so the parts' rankings together are the
/// whole ranking.
pub fn resilience_part(
    model: &Model,
    demand: &Demand,
    top_n: Option<usize>,
    config: &HardCapacityConfig,
    shard: Option<Shard>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<ResilienceReport, AnalyticsError> {
    let p = Prepared::new(&model.network, &model.capacities, demand);
    let base = hard_capacity(&p, config)?;
    let mut cands: Vec<(f64, Close, String)> = Vec::new();
    for l in &base.links {
        let flow = l.forward_teu_year + l.reverse_teu_year;
        cands.push((flow, Close { link: Some(l.link.clone()), ..Close::default() }, format!("link:{}", l.link)));
    }
    let mut tflow = std::collections::BTreeMap::<String, f64>::new();
    for (a, &kind) in p.graph.kinds().iter().enumerate() {
        if let ArcKind::Transfer(t) = kind {
            let x = base.arc_flow[a] * crate::demand::WEEKS_PER_YEAR;
            if x > 0.0 {
                let t = &p.net.transfers[t.index()];
                let id = format!(
                    "{}:{}>{}",
                    p.net.location(t.location).code,
                    p.graph
                        .node_platform(p.graph.tail(corridor_model::ArcId::from_index(a)))
                        .map_or(String::new(), |x| x.to_string()),
                    p.graph
                        .node_platform(p.graph.head(corridor_model::ArcId::from_index(a)))
                        .map_or(String::new(), |x| x.to_string()),
                );
                *tflow.entry(id).or_default() += x;
            }
        }
    }
    for (id, x) in tflow {
        cands.push((x, Close { transfer: Some(id.clone()), ..Close::default() }, format!("transfer:{id}")));
    }
    cands.retain(|c| c.0 > 1e-6);
    cands.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(&b.2)));
    if let Some(n) = top_n {
        cands.truncate(n);
    }
    if let Some(sh) = shard {
        cands = cands.into_iter().enumerate().filter(|(k, _)| sh.contains(*k)).map(|(_, c)| c).collect();
    }
    let total = cands.len();
    let done = AtomicUsize::new(0);
    let results: Vec<Result<Criticality, AnalyticsError>> = cands
        .par_iter()
        .map(|(flow, close, label)| {
            let sc = Scenario { close: vec![close.clone()], ..Scenario::default() };
            let out = match apply_model(model, &sc) {
                Ok(m) => {
                    let q = Prepared::new(&m.network, &m.capacities, demand);
                    hard_capacity(&q, config).map(|r| {
                        let extra_unserved = r.totals.unserved_teu - base.totals.unserved_teu;
                        let extra_cost = r.totals.generalized_usd - base.totals.generalized_usd;
                        Criticality {
                            element: label.clone(),
                            base_flow_teu_year: *flow,
                            extra_cost_usd_year: extra_cost,
                            extra_unserved_teu_year: extra_unserved,
                            extra_days_per_teu: r.totals.mean_days - base.totals.mean_days,
                            score_usd_year: extra_cost + extra_unserved * config.unserved_penalty_usd,
                        }
                    })
                }
                // A closure the network cannot take (it cannot happen for elements taken from
                // the network itself) ranks as losing everything through it.
                Err(_) => Ok(Criticality {
                    element: label.clone(),
                    base_flow_teu_year: *flow,
                    extra_cost_usd_year: 0.0,
                    extra_unserved_teu_year: *flow,
                    extra_days_per_teu: 0.0,
                    score_usd_year: *flow * config.unserved_penalty_usd,
                }),
            };
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
            out
        })
        .collect();
    let mut ranking = results.into_iter().collect::<Result<Vec<_>, _>>()?;
    ranking.sort_by(|a, b| b.score_usd_year.total_cmp(&a.score_usd_year).then(a.element.cmp(&b.element)));
    Ok(ResilienceReport { ranking, base })
}

/// The ranking as a text table: the first `top` rows, then how many were left out. `penalty`
/// is the USD per unserved TEU the loss was computed with, stated above the table because the
/// loss depends on it.
pub fn render_resilience(r: &ResilienceReport, top: usize, penalty_usd: f64) -> String {
    use std::fmt::Write as _;

    use corridor_model::units::thousands as n;
    let mut s = String::new();
    let _ = writeln!(s, "Criticality ranking (loss of one element, hard-capacity re-assignment)");
    let _ = writeln!(
        s,
        "loss = change of the assignment's objective: the generalized cost of the demand still served \
         plus USD {} per TEU left unserved (--unserved-penalty); rerouting = the served part alone, \
         which falls when demand goes unserved",
        n(penalty_usd, 0)
    );
    let _ = writeln!(
        s,
        "{:<4} {:<40} {:>12} {:>16} {:>14} {:>16} {:>10}",
        "rank", "element", "base TEU/yr", "loss USD/yr", "unserved TEU", "rerouting USD/yr", "+days/TEU"
    );
    for (i, c) in r.ranking.iter().take(top).enumerate() {
        let _ = writeln!(
            s,
            "{:<4} {:<40} {:>12} {:>16} {:>14} {:>16} {:>10.2}",
            i + 1,
            c.element,
            n(c.base_flow_teu_year, 0),
            n(c.score_usd_year, 0),
            n(c.extra_unserved_teu_year, 0),
            n(c.extra_cost_usd_year, 0),
            c.extra_days_per_teu
        );
    }
    if r.ranking.len() > top {
        let _ = writeln!(s, "({top} of {} elements shown; --top-n N or --out FILE for more)", r.ranking.len());
    }
    s
}

/// The ranking as CSV, figures rounded for reading (`--out`).
pub fn resilience_csv(r: &ResilienceReport) -> String {
    resilience_table(r, false)
}

/// The ranking as CSV; `exact` writes every figure in its shortest round-trip form (the Parquet
/// parts of a sharded run, so that merging them restores the single run's order exactly).
pub fn resilience_table(r: &ResilienceReport, exact: bool) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "rank",
        "element",
        "base_flow_teu_year",
        "extra_cost_usd_year",
        "extra_unserved_teu_year",
        "extra_days_per_teu",
        "loss_usd_year",
    ]);
    let f = |x: f64, digits: usize| if exact { x.to_string() } else { format!("{x:.digits$}") };
    for (i, c) in r.ranking.iter().enumerate() {
        let _ = w.write_record([
            (i + 1).to_string(),
            c.element.clone(),
            f(c.base_flow_teu_year, 1),
            f(c.extra_cost_usd_year, 0),
            f(c.extra_unserved_teu_year, 1),
            f(c.extra_days_per_teu, 3),
            f(c.score_usd_year, 0),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
