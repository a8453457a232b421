//! Assignment results in network terms: per-element load, capacity, utilisation, delay and
//! shadow price; the bottleneck ranking; corridor shares; totals of time, cost and CO2e; and
//! the text table, CSV and GeoJSON renderings. Rendering returns strings or JSON values: the
//! caller decides where they go.

use std::fmt::Write as _;

use corridor_model::{ArcKind, Network};
use serde::Serialize;

use crate::demand::WEEKS_PER_YEAR;
use crate::equilibrium::{EquilibriumConfig, EquilibriumError, equilibrium};
use crate::mcf::{ArcCapacity, Commodity, FlowGraph, McfError, min_cost_flow};
use crate::prepare::Prepared;

/// Which assignment produced a result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Method {
    /// User equilibrium with queueing delays.
    Equilibrium {
        /// Frank–Wolfe iterations.
        iterations: usize,
        /// Final relative gap.
        relative_gap: f64,
    },
    /// Minimum-cost flow with hard capacities.
    HardCapacity {
        /// Column-generation rounds.
        rounds: usize,
    },
}

/// Load of one capacity-bearing element (one direction).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ElementLoad {
    /// `kind:id (direction)`.
    pub element: String,
    /// Human-readable name (link ends, border name or transfer location).
    pub name: String,
    /// TEU per week.
    pub load_teu_week: f64,
    /// TEU per week.
    pub capacity_teu_week: f64,
    /// load / capacity.
    pub utilisation: f64,
    /// Mean queueing delay per TEU, hours (equilibrium; 0 for hard capacity).
    pub delay_h: f64,
    /// Shadow price, USD per TEU of weekly capacity (hard capacity only).
    pub shadow_price_usd: Option<f64>,
}

/// TEU-km per year on the links of one corridor tag.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CorridorShare {
    /// Corridor code, or `feeder` for untagged links.
    pub corridor: String,
    /// TEU-km per year (a link tagged with several corridors splits its TEU-km equally).
    pub teu_km_year: f64,
    /// Share of all TEU-km.
    pub share: f64,
}

/// Flow on one link (both directions), for maps and CSV.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LinkFlow {
    /// Link id.
    pub link: String,
    /// From location code.
    pub from: String,
    /// To location code.
    pub to: String,
    /// Mode.
    pub mode: String,
    /// Corridor tags.
    pub corridors: Vec<String>,
    /// TEU per year from → to.
    pub forward_teu_year: f64,
    /// TEU per year to → from.
    pub reverse_teu_year: f64,
}

/// Unserved demand of one OD cell.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Unserved {
    /// Origin code.
    pub from: String,
    /// Destination code.
    pub to: String,
    /// TEU per year not carried.
    pub teu_year: f64,
}

/// Totals per year.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Totals {
    /// Demand, TEU.
    pub demand_teu: f64,
    /// Carried, TEU.
    pub served_teu: f64,
    /// Not carried, TEU.
    pub unserved_teu: f64,
    /// TEU-days in transit (running, dwell, waits and queueing delay).
    pub teu_days: f64,
    /// Of which queueing delay.
    pub delay_teu_days: f64,
    /// Mean door-to-door days per served TEU.
    pub mean_days: f64,
    /// USD (tariffs and fees).
    pub usd: f64,
    /// t CO2e well-to-wheel.
    pub co2e_t: f64,
    /// Generalized cost, USD (balanced objective incl. valued delay; unserved demand excluded).
    pub generalized_usd: f64,
}

/// The result of an assignment in network terms.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FlowReport {
    /// How it was computed.
    pub method: Method,
    /// Capacitated elements, ranked as bottlenecks (utilisation, then delay, then shadow price).
    pub elements: Vec<ElementLoad>,
    /// TEU-km by corridor.
    pub corridors: Vec<CorridorShare>,
    /// Every link with flow.
    pub links: Vec<LinkFlow>,
    /// OD cells not (fully) served.
    pub unserved: Vec<Unserved>,
    /// Totals per year.
    pub totals: Totals,
    /// TEU per week on each graph arc (for diffs and further analysis).
    #[serde(skip)]
    pub arc_flow: Vec<f64>,
}

/// Settings of [`hard_capacity`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HardCapacityConfig {
    /// Cost of one unserved TEU, USD: high enough that any real route is preferred.
    pub unserved_penalty_usd: f64,
}

impl Default for HardCapacityConfig {
    fn default() -> Self {
        // About ten times the dearest corridor route per TEU on the default data.
        HardCapacityConfig { unserved_penalty_usd: 50_000.0 }
    }
}

/// Errors of the analytics entry points.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum AnalyticsError {
    /// Equilibrium failed.
    #[error(transparent)]
    Equilibrium(#[from] EquilibriumError),
    /// Min-cost flow failed.
    #[error(transparent)]
    Mcf(#[from] McfError),
}

/// Equilibrium assignment of `p` as a [`FlowReport`].
pub fn assign_equilibrium(p: &Prepared, config: &EquilibriumConfig) -> Result<FlowReport, AnalyticsError> {
    let eq = equilibrium(p, config)?;
    let method = Method::Equilibrium { iterations: eq.iterations, relative_gap: eq.relative_gap };
    Ok(build(p, method, &eq.arc_flow, &eq.arc_delay_h, &eq.unserved, None))
}

/// Hard-capacity min-cost flow of `p` as a [`FlowReport`] (with shadow prices).
pub fn hard_capacity(p: &Prepared, config: &HardCapacityConfig) -> Result<FlowReport, AnalyticsError> {
    let g = FlowGraph {
        num_nodes: p.graph.num_nodes(),
        tails: p.tails(),
        heads: p.graph.heads().iter().map(|h| h.0).collect(),
        costs: p.costs.gc.clone(),
    };
    let caps: Vec<ArcCapacity> =
        p.constraints.iter().map(|c| ArcCapacity { arc: c.arc.index(), capacity: c.capacity }).collect();
    let coms: Vec<Commodity> = p
        .ods
        .iter()
        .map(|o| Commodity {
            sources: o.sources.iter().map(|n| n.0).collect(),
            sinks: o.sinks.iter().map(|n| n.0).collect(),
            demand: o.teu_week,
            penalty: config.unserved_penalty_usd,
            blocked: o.corridor.map(|c| p.blocked_arcs(c)).unwrap_or_default(),
        })
        .collect();
    let sol = min_cost_flow(&g, &caps, &coms)?;
    let delay = vec![0.0; g.tails.len()];
    Ok(build(
        p,
        Method::HardCapacity { rounds: sol.rounds },
        &sol.arc_flow,
        &delay,
        &sol.unserved,
        Some(&sol.shadow_prices),
    ))
}

/// Name of the element of a constraint's arc.
fn arc_name(net: &Network, p: &Prepared, arc: corridor_model::ArcId) -> String {
    match p.graph.kind(arc) {
        ArcKind::Link { link, forward } | ArcKind::Wait { link, forward } => {
            let l = net.link(link);
            let (a, b) = if forward { (l.from, l.to) } else { (l.to, l.from) };
            format!("{} → {} ({})", net.location(a).name, net.location(b).name, l.mode.as_str())
        }
        ArcKind::Border(b) => net.borders[b.index()].name.clone(),
        ArcKind::Call { location, .. } => format!("{} port call", net.location(location).name),
        ArcKind::Transfer(t) => {
            let t = &net.transfers[t.index()];
            format!("{} {}", net.location(t.location).name, t.kind.as_str())
        }
    }
}

fn build(
    p: &Prepared,
    method: Method,
    arc_flow: &[f64],
    arc_delay_h: &[f64],
    unserved_week: &[f64],
    shadow: Option<&[f64]>,
) -> FlowReport {
    let net = &p.net;
    // One row per element and direction. A sea link or a port's transfer to the sea has one arc
    // per sea layer of the embargo (`Graph::compile`), so one element can have several
    // constraints with the same label: their loads add up (the same ships), the delay is the
    // load-weighted mean and the shadow price the largest. (The equilibrium still bounds each
    // layer's arc by the full capacity: cargo loaded in Russia does not queue with the rest.)
    let mut elements: Vec<ElementLoad> = Vec::new();
    let mut row_of: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, c) in p.constraints.iter().enumerate() {
        let label = c.label();
        let (load, delay) = (arc_flow[c.arc.index()], arc_delay_h[c.arc.index()]);
        let price = shadow.map(|s| s[i]);
        match row_of.get(&label) {
            Some(&r) => {
                let e = &mut elements[r];
                let total = e.load_teu_week + load;
                if total > 0.0 {
                    e.delay_h = (e.delay_h * e.load_teu_week + delay * load) / total;
                }
                e.load_teu_week = total;
                e.shadow_price_usd = match (e.shadow_price_usd, price) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => a.or(b),
                };
            }
            None => {
                row_of.insert(label.clone(), elements.len());
                elements.push(ElementLoad {
                    element: label,
                    name: arc_name(net, p, c.arc),
                    load_teu_week: load,
                    capacity_teu_week: c.capacity,
                    utilisation: 0.0,
                    delay_h: delay,
                    shadow_price_usd: price,
                });
            }
        }
    }
    for e in &mut elements {
        e.utilisation = if e.capacity_teu_week > 0.0 {
            e.load_teu_week / e.capacity_teu_week
        } else if e.load_teu_week > 0.0 {
            f64::INFINITY
        } else {
            0.0
        };
    }
    elements.sort_by(|a, b| {
        b.utilisation
            .total_cmp(&a.utilisation)
            .then(b.delay_h.total_cmp(&a.delay_h))
            .then(b.shadow_price_usd.unwrap_or(0.0).total_cmp(&a.shadow_price_usd.unwrap_or(0.0)))
            .then(a.element.cmp(&b.element))
    });
    // Links and corridors.
    let mut fwd = vec![0.0; net.links.len()];
    let mut rev = vec![0.0; net.links.len()];
    let mut totals = Totals::default();
    for (a, &kind) in p.graph.kinds().iter().enumerate() {
        let x = arc_flow[a] * WEEKS_PER_YEAR;
        if x <= 0.0 {
            continue;
        }
        if let ArcKind::Link { link, forward } = kind {
            if forward { fwd[link.index()] += x } else { rev[link.index()] += x }
        }
        totals.teu_days += x * (p.costs.hours[a] + arc_delay_h[a]) / 24.0;
        totals.delay_teu_days += x * arc_delay_h[a] / 24.0;
        totals.usd += x * p.costs.usd[a];
        totals.co2e_t += x * p.costs.co2_kg[a] / 1000.0;
        totals.generalized_usd += x * (p.costs.gc[a] + p.costs.value_of_time * arc_delay_h[a]);
    }
    let mut corridor_km: Vec<f64> = vec![0.0; net.corridors.len() + 1];
    let mut links = Vec::new();
    for (i, l) in net.links.iter().enumerate() {
        let teu = fwd[i] + rev[i];
        if teu <= 0.0 {
            continue;
        }
        let tkm = teu * l.km.0;
        if l.corridors.is_empty() {
            corridor_km[net.corridors.len()] += tkm;
        } else {
            for c in &l.corridors {
                corridor_km[c.index()] += tkm / l.corridors.len() as f64;
            }
        }
        links.push(LinkFlow {
            link: l.code.clone(),
            from: net.location(l.from).code.clone(),
            to: net.location(l.to).code.clone(),
            mode: l.mode.as_str().to_string(),
            corridors: l.corridors.iter().map(|c| net.corridors[c.index()].code.clone()).collect(),
            forward_teu_year: fwd[i],
            reverse_teu_year: rev[i],
        });
    }
    let all_km: f64 = corridor_km.iter().sum();
    let corridors = corridor_km
        .iter()
        .enumerate()
        .map(|(i, &km)| CorridorShare {
            corridor: net.corridors.get(i).map_or("feeder".to_string(), |c| c.code.clone()),
            teu_km_year: km,
            share: if all_km > 0.0 { km / all_km } else { 0.0 },
        })
        .collect();
    let mut unserved = Vec::new();
    for (i, o) in p.ods.iter().enumerate() {
        totals.demand_teu += o.teu_week * WEEKS_PER_YEAR;
        let u = unserved_week.get(i).copied().unwrap_or(0.0) * WEEKS_PER_YEAR;
        if u > 1e-6 {
            unserved.push(Unserved {
                from: net.location(o.from).code.clone(),
                to: net.location(o.to).code.clone(),
                teu_year: u,
            });
            totals.unserved_teu += u;
        }
    }
    totals.served_teu = totals.demand_teu - totals.unserved_teu;
    totals.mean_days = if totals.served_teu > 0.0 { totals.teu_days / totals.served_teu } else { 0.0 };
    FlowReport { method, elements, corridors, links, unserved, totals, arc_flow: arc_flow.to_vec() }
}

/// The bottleneck table for terminals: the top `top` elements, corridor shares and totals.
pub fn render_assignment_table(report: &FlowReport, top: usize) -> String {
    use corridor_model::units::thousands as n;
    let mut s = String::new();
    match &report.method {
        Method::Equilibrium { iterations, relative_gap } => {
            let _ = writeln!(
                s,
                "User equilibrium (bi-conjugate Frank-Wolfe): {iterations} iterations, relative gap {relative_gap:.2e}"
            );
        }
        Method::HardCapacity { rounds } => {
            let _ = writeln!(s, "Hard-capacity min-cost flow: {rounds} column-generation rounds");
        }
    }
    let _ = writeln!(s, "\nBottlenecks (TEU per week, per direction)");
    let _ = writeln!(
        s,
        "{:<4} {:<44} {:<36} {:>9} {:>9} {:>7} {:>9} {:>10}",
        "rank", "element", "name", "load", "capacity", "util", "delay h", "shadow $"
    );
    for (i, e) in report.elements.iter().take(top).enumerate() {
        let shadow = e.shadow_price_usd.map_or("-".to_string(), |v| n(v, 0));
        let _ = writeln!(
            s,
            "{:<4} {:<44} {:<36} {:>9} {:>9} {:>6.0}% {:>9.1} {:>10}",
            i + 1,
            truncate(&e.element, 44),
            truncate(&e.name, 36),
            n(e.load_teu_week, 0),
            n(e.capacity_teu_week, 0),
            e.utilisation * 100.0,
            e.delay_h,
            shadow
        );
    }
    // Asked for more rows than there are capacitated elements: say so, not a short table.
    if top > report.elements.len() {
        let _ = writeln!(
            s,
            "({} rows asked; the network has {} elements with a capacity, and all are listed)",
            top,
            report.elements.len()
        );
    }
    let _ = writeln!(s, "\nCorridor shares (TEU-km per year on tagged links)");
    for c in &report.corridors {
        let _ = writeln!(s, "  {:<10} {:>20} TEU-km {:>6.1}%", c.corridor, n(c.teu_km_year, 0), c.share * 100.0);
    }
    let t = &report.totals;
    let _ = writeln!(s, "\nTotals per year");
    let _ = writeln!(
        s,
        "  demand {} TEU, served {}, unserved {}",
        n(t.demand_teu, 0),
        n(t.served_teu, 0),
        n(t.unserved_teu, 0)
    );
    let _ = writeln!(
        s,
        "  {} TEU-days ({:.1} days per TEU, of which queueing {} TEU-days)",
        n(t.teu_days, 0),
        t.mean_days,
        n(t.delay_teu_days, 0)
    );
    let _ = writeln!(
        s,
        "  USD {}   CO2e {} t (WTW)   generalized cost USD {}",
        n(t.usd, 0),
        n(t.co2e_t, 0),
        n(t.generalized_usd, 0)
    );
    for u in &report.unserved {
        let _ = writeln!(s, "  unserved {} -> {}: {} TEU/yr", u.from, u.to, n(u.teu_year, 0));
    }
    s
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n { s.to_string() } else { s.chars().take(n - 1).chain(['…']).collect() }
}

/// The element loads as CSV text (`rank,element,name,load_teu_week,...`).
pub fn elements_csv(report: &FlowReport) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "rank",
        "element",
        "name",
        "load_teu_week",
        "capacity_teu_week",
        "utilisation",
        "delay_h",
        "shadow_price_usd",
    ]);
    for (i, e) in report.elements.iter().enumerate() {
        let _ = w.write_record([
            (i + 1).to_string(),
            e.element.clone(),
            e.name.clone(),
            format!("{:.3}", e.load_teu_week),
            format!("{:.3}", e.capacity_teu_week),
            format!("{:.5}", e.utilisation),
            format!("{:.3}", e.delay_h),
            e.shadow_price_usd.map_or(String::new(), |v| format!("{v:.3}")),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Link flows as CSV text (`link,from,to,mode,corridors,forward_teu_year,reverse_teu_year`).
pub fn flows_csv(report: &FlowReport) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["link", "from", "to", "mode", "corridors", "forward_teu_year", "reverse_teu_year"]);
    for l in &report.links {
        let _ = w.write_record([
            l.link.clone(),
            l.from.clone(),
            l.to.clone(),
            l.mode.clone(),
            l.corridors.join("|"),
            format!("{:.1}", l.forward_teu_year),
            format!("{:.1}", l.reverse_teu_year),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Link flows as a GeoJSON FeatureCollection: one LineString per link with flow, coordinates
/// `[lon, lat]` (RFC 7946, from the link geometry or its end points), properties `flow_teu_year`
/// (both directions) and `width` (a line width in pixels, 1–12, proportional to the flow).
pub fn flows_geojson(net: &Network, report: &FlowReport) -> serde_json::Value {
    let max = report.links.iter().map(|l| l.forward_teu_year + l.reverse_teu_year).fold(0.0, f64::max);
    let features: Vec<serde_json::Value> = report
        .links
        .iter()
        .filter_map(|lf| {
            let l = net.links.iter().find(|l| l.code == lf.link)?;
            let coords: Vec<[f64; 2]> = if l.geometry.len() >= 2 {
                l.geometry.iter().map(|&(lat, lon)| [lon, lat]).collect()
            } else {
                let (a, b) = (net.location(l.from), net.location(l.to));
                vec![[a.lon, a.lat], [b.lon, b.lat]]
            };
            let flow = lf.forward_teu_year + lf.reverse_teu_year;
            Some(serde_json::json!({
                "type": "Feature",
                "geometry": { "type": "LineString", "coordinates": coords },
                "properties": {
                    "link": lf.link, "from": lf.from, "to": lf.to, "mode": lf.mode,
                    "corridors": lf.corridors,
                    "forward_teu_year": lf.forward_teu_year, "reverse_teu_year": lf.reverse_teu_year,
                    "flow_teu_year": flow,
                    "width": if max > 0.0 { 1.0 + 11.0 * flow / max } else { 1.0 },
                }
            }))
        })
        .collect();
    serde_json::json!({ "type": "FeatureCollection", "features": features })
}
