//! Side-by-side comparison of two assignment results (a base and a scenario).

use std::fmt::Write as _;

use serde::Serialize;

use crate::report::FlowReport;
use crate::scenario::{Model, Scenario};

/// One compared quantity.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Delta {
    /// What is compared (with unit).
    pub what: String,
    /// Base value.
    pub base: f64,
    /// Scenario value.
    pub scenario: f64,
}

impl Delta {
    fn new(what: impl Into<String>, base: f64, scenario: f64) -> Delta {
        Delta { what: what.into(), base, scenario }
    }

    /// scenario − base.
    pub fn change(&self) -> f64 {
        self.scenario - self.base
    }
}

/// The differences between two [`FlowReport`]s.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScenarioDiff {
    /// Name of the base.
    pub base_name: String,
    /// Name of the scenario.
    pub scenario_name: String,
    /// TEU-km per year by corridor.
    pub corridors: Vec<Delta>,
    /// Totals: TEU served and unserved, days per TEU, TEU-days, USD, t CO2e, generalized USD.
    pub totals: Vec<Delta>,
    /// Link flows (TEU per year, both directions) with the largest absolute change.
    pub links: Vec<Delta>,
    /// Capacitated element loads (TEU per week) that changed.
    pub elements: Vec<Delta>,
}

/// Compares `base` and `scenario`; `top_links` bounds the link list.
pub fn diff(
    base_name: &str,
    base: &FlowReport,
    scenario_name: &str,
    scenario: &FlowReport,
    top_links: usize,
) -> ScenarioDiff {
    let mut corridors = Vec::new();
    for c in &base.corridors {
        let s = scenario.corridors.iter().find(|x| x.corridor == c.corridor).map_or(0.0, |x| x.teu_km_year);
        corridors.push(Delta::new(format!("{} TEU-km/yr", c.corridor), c.teu_km_year, s));
    }
    for c in &scenario.corridors {
        if !base.corridors.iter().any(|x| x.corridor == c.corridor) {
            corridors.push(Delta::new(format!("{} TEU-km/yr", c.corridor), 0.0, c.teu_km_year));
        }
    }
    let (a, b) = (&base.totals, &scenario.totals);
    let totals = vec![
        Delta::new("served TEU/yr", a.served_teu, b.served_teu),
        Delta::new("unserved TEU/yr", a.unserved_teu, b.unserved_teu),
        Delta::new("days per TEU", a.mean_days, b.mean_days),
        Delta::new("TEU-days/yr", a.teu_days, b.teu_days),
        Delta::new("queueing TEU-days/yr", a.delay_teu_days, b.delay_teu_days),
        Delta::new("USD/yr", a.usd, b.usd),
        Delta::new("t CO2e/yr (WTW)", a.co2e_t, b.co2e_t),
        Delta::new("generalized USD/yr", a.generalized_usd, b.generalized_usd),
    ];
    let flow = |r: &FlowReport, link: &str| {
        r.links.iter().find(|l| l.link == link).map_or(0.0, |l| l.forward_teu_year + l.reverse_teu_year)
    };
    let mut names: Vec<&str> = base.links.iter().chain(&scenario.links).map(|l| l.link.as_str()).collect();
    names.sort();
    names.dedup();
    let mut links: Vec<Delta> =
        names.iter().map(|n| Delta::new(format!("{n} TEU/yr"), flow(base, n), flow(scenario, n))).collect();
    links.retain(|d| d.change().abs() > 0.5);
    links.sort_by(|x, y| y.change().abs().total_cmp(&x.change().abs()).then(x.what.cmp(&y.what)));
    links.truncate(top_links);
    let mut elements = Vec::new();
    for e in &base.elements {
        let s = scenario.elements.iter().find(|x| x.element == e.element).map_or(0.0, |x| x.load_teu_week);
        let d = Delta::new(format!("{} TEU/wk", e.element), e.load_teu_week, s);
        if d.change().abs() > 0.05 {
            elements.push(d);
        }
    }
    for e in &scenario.elements {
        if !base.elements.iter().any(|x| x.element == e.element) && e.load_teu_week > 0.05 {
            elements.push(Delta::new(format!("{} TEU/wk", e.element), 0.0, e.load_teu_week));
        }
    }
    ScenarioDiff {
        base_name: base_name.to_string(),
        scenario_name: scenario_name.to_string(),
        corridors,
        totals,
        links,
        elements,
    }
}

impl ScenarioDiff {
    /// Whether the scenario moved nothing: no total, corridor, link or element load changed.
    pub fn is_unchanged(&self) -> bool {
        let same = |d: &Delta| d.change().abs() <= 1e-6 * d.base.abs().max(1.0);
        self.totals.iter().all(same)
            && self.corridors.iter().all(same)
            && self.links.is_empty()
            && self.elements.is_empty()
    }
}

/// Why a scenario changed nothing, one line per element it touches: the element's base flow
/// and, for capacity changes, its base load against capacity. Closing or slowing an element that
/// carries nothing, or adding capacity where none binds, cannot move an assignment.
pub fn why_unchanged(model: &Model, scenario: &Scenario, base: &FlowReport) -> Vec<String> {
    let net = &model.network;
    let link_flow =
        |id: &str| base.links.iter().find(|l| l.link == id).map_or(0.0, |l| l.forward_teu_year + l.reverse_teu_year);
    let border_link =
        |b: &str| net.borders.iter().find(|x| x.code == b).map(|x| net.links[x.link.index()].code.clone());
    let load = |what: &str| {
        let loads: Vec<String> = base
            .elements
            .iter()
            .filter(|e| e.element.starts_with(what))
            .map(|e| {
                format!("{:.0} of {:.0} TEU/wk ({:.0}%)", e.load_teu_week, e.capacity_teu_week, 100.0 * e.utilisation)
            })
            .collect();
        if loads.is_empty() { "no capacity limit in the base".to_string() } else { loads.join(", ") }
    };
    let mut out = Vec::new();
    let element = |verb: &str, link: Option<&str>, border: Option<&str>, transfer: Option<&str>, capacity: bool| {
        Some(match (link, border, transfer) {
            (Some(l), _, _) => {
                let f = link_flow(l);
                let mut s =
                    format!("{verb} link {l}: carries {} TEU/yr in the base", corridor_model::units::thousands(f, 0));
                if capacity {
                    s += &format!("; load {}", load(&format!("link:{l} ")));
                }
                s
            }
            (None, Some(b), _) => match border_link(b) {
                Some(l) => format!(
                    "{verb} border {b} (link {l}): carries {} TEU/yr in the base",
                    corridor_model::units::thousands(link_flow(&l), 0)
                ),
                None => format!("{verb} border {b}: not in the network"),
            },
            (None, None, Some(t)) => {
                let mut s = format!("{verb} transfer {t}");
                if capacity {
                    s += &format!(": load {}", load(&format!("transfer:{t}")));
                }
                s
            }
            _ => return None,
        })
    };
    for c in &scenario.close {
        out.extend(element("closes", c.link.as_deref(), c.border.as_deref(), c.transfer.as_deref(), false));
        if let Some(l) = &c.location {
            out.push(format!("closes location {l}: no route of the base passes it"));
        }
    }
    for c in scenario.capacity.iter().chain(&scenario.throttle) {
        out.extend(element(
            "changes the capacity of",
            c.link.as_deref(),
            c.border.as_deref(),
            c.transfer.as_deref(),
            true,
        ));
    }
    for d in &scenario.dwell {
        out.extend(element("changes the dwell at", None, d.border.as_deref(), d.transfer.as_deref(), false));
    }
    for t in &scenario.tariff {
        out.extend(element(
            "changes the tariff of",
            t.link.as_deref(),
            t.border.as_deref(),
            t.transfer.as_deref(),
            false,
        ));
    }
    for x in &scenario.speed {
        out.extend(element("changes the speed of", Some(&x.link), None, None, false));
    }
    for h in &scenario.headway {
        out.extend(element("changes the headway of", Some(&h.link), None, None, false));
    }
    for h in &scenario.hold {
        out.extend(element("changes the storm hold of", Some(&h.link), None, None, false));
    }
    for b in &scenario.backlog {
        // The assignment leaves a capacitated link's backlog out (its capacity makes that
        // queue): say so, or the note would blame the flow.
        let capacitated = net.links.iter().any(|l| {
            l.code == b.link
                && model
                    .capacities
                    .get(&crate::element::Element::Link(l.code.clone()))
                    .or(l.capacity_teu_week)
                    .is_some()
        });
        if capacitated {
            out.push(format!(
                "changes the port backlog of link {}: the assignment leaves it out, since the link's capacity makes that queue (route, compare and pareto use it)",
                b.link
            ));
        } else {
            out.extend(element("changes the port backlog of", Some(&b.link), None, None, false));
        }
    }
    let added =
        scenario.add_link.len() + scenario.add_location.len() + scenario.add_transfer.len() + scenario.add_border.len();
    if added > 0 {
        out.push(format!("adds {added} element(s) that no best route uses"));
    }
    if out.is_empty() {
        out.push("the scenario changes no element".to_string());
    }
    out
}

/// The diff as a text table for terminals.
pub fn render_diff(d: &ScenarioDiff) -> String {
    let mut s = String::new();
    let head = |s: &mut String, title: &str| {
        let _ = writeln!(s, "\n{title}");
        let _ = writeln!(s, "  {:<52} {:>16} {:>16} {:>16} {:>8}", "", d.base_name, d.scenario_name, "change", "%");
    };
    let rows = |s: &mut String, list: &[Delta]| {
        for x in list {
            let pct = if x.base.abs() > 1e-9 { format!("{:+.1}", 100.0 * x.change() / x.base) } else { "-".into() };
            // Days per TEU keep a decimal; flows and money are whole numbers with separators.
            let d = if x.base.abs().max(x.scenario.abs()) < 1000.0 { 1 } else { 0 };
            let change = corridor_model::units::thousands(x.change(), d);
            let change = if x.change() > 0.0 { format!("+{change}") } else { change };
            let _ = writeln!(
                s,
                "  {:<52} {:>16} {:>16} {:>16} {:>8}",
                x.what,
                corridor_model::units::thousands(x.base, d),
                corridor_model::units::thousands(x.scenario, d),
                change,
                pct
            );
        }
    };
    head(&mut s, "Flows by corridor");
    rows(&mut s, &d.corridors);
    head(&mut s, "Totals");
    rows(&mut s, &d.totals);
    head(&mut s, "Largest link flow changes");
    rows(&mut s, &d.links);
    head(&mut s, "Capacitated elements");
    rows(&mut s, &d.elements);
    s
}
