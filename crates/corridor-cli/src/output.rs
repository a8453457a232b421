//! Text output of the curated-network commands: the route, comparison and Pareto tables, the
//! reliability and note lines, and the dispatch of each result to table, JSON, GeoJSON or CSV.

use anyhow::Result;
use corridor_io::export::{self, ComparisonDto, ReliabilityDto, RouteDto};
use corridor_model::Network;
use corridor_search::{Comparison, LegKind, Reliability, Route, RouteRequest, Router};

use crate::args::Format;
use crate::common::json;
use crate::render::{Align, TextTable, num};

/// Prints one route in `format`; the table adds the notes and the reliability lines.
pub(crate) fn print_route(
    net: &Network,
    req: &RouteRequest,
    r: &Route,
    rel: &Reliability,
    notes: &[String],
    format: Format,
) -> Result<()> {
    match format {
        Format::Json => {
            let mut dto = RouteDto::new(net, r);
            dto.reliability = Some(ReliabilityDto::new(net, r, rel));
            dto.notes = notes.to_vec();
            println!("{}", json(&dto)?)
        }
        Format::Geojson => println!("{}", json(&export::route_geojson(net, r))?),
        Format::Csv => print!("{}", export::route_csv(net, r)),
        Format::Table => print!("{}{}{}", note_lines(notes), route_table(net, req, r), reliability_lines(net, r, rel)),
    }
    Ok(())
}

/// Notes on estimated access and egress legs, one line each, for text output.
fn note_lines(notes: &[String]) -> String {
    notes.iter().map(|n| format!("Note: {n}\n")).collect()
}

/// The simulated arrival percentiles of a route (and local arrival times when timed).
fn reliability_lines(net: &Network, r: &Route, rel: &Reliability) -> String {
    let days = |h: f64| num(h / 24.0, 1);
    let mut s = format!(
        "Door-to-door (Monte Carlo, {} draws): P50 {} d, P90 {} d, P95 {} d; buffer index {:.0}%",
        rel.samples,
        days(rel.p50_h),
        days(rel.p90_h),
        days(rel.p95_h),
        rel.buffer_index * 100.0
    );
    if let Some(d) = r.depart {
        let to = net.location(r.to);
        s.push_str(&format!(
            "
Arrival at {}: P50 {}, P90 {}, P95 {} (local time); {:.0}% of draws miss a planned departure",
            to.name,
            export::local_time(to, export::after(d, rel.p50_h)),
            export::local_time(to, export::after(d, rel.p90_h)),
            export::local_time(to, export::after(d, rel.p95_h)),
            rel.missed_departure_share * 100.0
        ));
    }
    s.push('\n');
    s
}

/// Prints the Pareto set: JSON of every route, or the table or CSV of their totals.
pub(crate) fn print_pareto(
    net: &Network,
    req: &RouteRequest,
    routes: &[Route],
    rels: &[Reliability],
    notes: &[String],
    format: Format,
) -> Result<()> {
    match format {
        Format::Json | Format::Geojson => {
            let dtos: Vec<RouteDto> = routes
                .iter()
                .zip(rels)
                .map(|(r, rel)| {
                    let mut d = RouteDto::new(net, r);
                    d.reliability = Some(ReliabilityDto::new(net, r, rel));
                    d.notes = notes.to_vec();
                    d
                })
                .collect();
            println!("{}", json(&dtos)?);
        }
        Format::Csv | Format::Table => {
            let mut t = TextTable::new(&[
                ("#", Align::Right),
                ("days", Align::Right),
                ("P90 d", Align::Right),
                ("USD", Align::Right),
                ("t CO2e", Align::Right),
                ("lifts", Align::Right),
                ("borders", Align::Right),
                ("corridor", Align::Left),
                ("via", Align::Left),
            ]);
            for (i, (r, rel)) in routes.iter().zip(rels).enumerate() {
                let cs: Vec<&str> = r.corridors.iter().map(|c| net.corridors[c.index()].code.as_str()).collect();
                t.row(vec![
                    (i + 1).to_string(),
                    num(r.totals.hours.days(), 1),
                    num(rel.p90_h / 24.0, 1),
                    num(r.totals.usd.0, 0),
                    num(r.totals.emissions.wtw.0 / 1000.0, 2),
                    r.totals.transshipments.to_string(),
                    r.totals.borders.to_string(),
                    if cs.is_empty() { "-".into() } else { cs.join("+") },
                    route_via(net, r),
                ]);
            }
            if format == Format::Csv {
                let mut s = String::from("rank,days,p90_days,usd,t_co2e,lifts,borders,corridors,countries\n");
                for (i, (r, rel)) in routes.iter().zip(rels).enumerate() {
                    let cs: Vec<&str> = r.corridors.iter().map(|c| net.corridors[c.index()].code.as_str()).collect();
                    s.push_str(&format!(
                        "{},{:.2},{:.2},{:.0},{:.3},{},{},{},{}\n",
                        i + 1,
                        r.totals.hours.days(),
                        rel.p90_h / 24.0,
                        r.totals.usd.0,
                        r.totals.emissions.wtw.0 / 1000.0,
                        r.totals.transshipments,
                        r.totals.borders,
                        cs.join("|"),
                        r.countries.join("-")
                    ));
                }
                print!("{s}");
            } else {
                print!("{}{}\n{}", note_lines(notes), header(net, req), t.render());
                println!(
                    "{} Pareto-optimal route(s) over time, cost and CO2e (none is better on all three).",
                    routes.len()
                );
            }
        }
    }
    Ok(())
}

/// The countries and key transfer points of a route, for one-line summaries.
fn route_via(net: &Network, r: &Route) -> String {
    let mut points: Vec<&str> = Vec::new();
    for leg in &r.legs {
        if matches!(leg.kind, LegKind::Transfer { .. } | LegKind::Wait { .. }) {
            let n = net.location(leg.from).name.as_str();
            if points.last() != Some(&n) {
                points.push(n);
            }
        }
    }
    format!("{} ({})", r.countries.join("-"), points.join(", "))
}

/// The first line of a table: both places, the unit, the payload and the objective.
fn header(net: &Network, req: &RouteRequest) -> String {
    let (a, b) = (net.location(req.from), net.location(req.to));
    format!(
        "{} ({}) -> {} ({}): 1 {} with {} t cargo, optimized for {}\n",
        a.name,
        a.code,
        b.name,
        b.code,
        req.unit.as_str().to_uppercase(),
        num(req.payload.0, 1),
        req.optimize
    )
}

/// A route leg by leg with its totals, emissions and corridors.
fn route_table(net: &Network, req: &RouteRequest, r: &Route) -> String {
    let timed = r.depart.is_some();
    let mut columns = vec![
        ("#", Align::Right),
        ("leg", Align::Left),
        ("from", Align::Left),
        ("to", Align::Left),
        ("km", Align::Right),
        ("days", Align::Right),
        ("USD", Align::Right),
        ("kg CO2e", Align::Right),
    ];
    if timed {
        columns.push(("arrive (local)", Align::Left));
    }
    columns.push(("details", Align::Left));
    let mut t = TextTable::new(&columns);
    for (i, leg) in r.legs.iter().enumerate() {
        let kind = match leg.kind {
            LegKind::Move { mode, .. } => mode.to_string(),
            LegKind::Transfer { .. } => "transfer".into(),
            LegKind::Border { .. } => "border".into(),
            LegKind::Wait { .. } => "wait".into(),
        };
        let moving = matches!(leg.kind, LegKind::Move { .. });
        let mut row = vec![
            (i + 1).to_string(),
            kind,
            net.location(leg.from).name.clone(),
            if moving { net.location(leg.to).name.clone() } else { String::new() },
            if moving { num(leg.km.0, 0) } else { String::new() },
            num(leg.hours.days(), 1),
            num(leg.usd.0, 0),
            num(leg.emissions.wtw.0, 0),
        ];
        if let Some(d) = r.depart {
            let at = export::after(d, leg.start.0 + leg.hours.0);
            row.push(export::local_time(net.location(leg.to), at).replace('T', " "));
        }
        row.push(export::leg_description(net, leg));
        t.row(row);
    }
    let tot = &r.totals;
    t.row(vec![
        String::new(),
        "total".into(),
        String::new(),
        String::new(),
        num(tot.km.0, 0),
        num(tot.hours.days(), 1),
        num(tot.usd.0, 0),
        num(tot.emissions.wtw.0, 0),
        String::new(),
    ]);
    let corridors: Vec<&str> = r.corridors.iter().map(|c| net.corridors[c.index()].code.as_str()).collect();
    format!(
        "{}\n{}\nCO2e {} kg well-to-wheel ({} kg tank-to-wheel, ISO 14083 / GLEC) | {} border crossing(s) | {} gauge change(s) | {} transshipment(s)\nCorridors: {} | Countries: {}\n",
        header(net, req),
        t.render(),
        num(tot.emissions.wtw.0, 0),
        num(tot.emissions.ttw.0, 0),
        tot.borders,
        tot.gauge_changes,
        tot.transshipments,
        if corridors.is_empty() { "-".to_string() } else { corridors.join(", ") },
        r.countries.join(" > ")
    )
}

/// Prints a corridor comparison in `format`.
pub(crate) fn print_comparison(
    router: &Router,
    req: &RouteRequest,
    c: &Comparison,
    notes: &[String],
    format: Format,
) -> Result<()> {
    let net = router.network();
    match format {
        Format::Json => {
            let mut dto = ComparisonDto::new(router, c);
            dto.notes = notes.to_vec();
            println!("{}", json(&dto)?)
        }
        Format::Geojson => println!("{}", json(&export::comparison_geojson(net, c))?),
        Format::Csv => print!("{}", export::comparison_csv(net, c)),
        Format::Table => print!("{}{}", note_lines(notes), comparison_table(net, req, c)),
    }
    Ok(())
}

/// The best route of each corridor side by side, the winner of each criterion marked `*`.
fn comparison_table(net: &Network, req: &RouteRequest, c: &Comparison) -> String {
    let mut t = TextTable::new(&[
        ("corridor", Align::Left),
        ("days", Align::Right),
        ("USD", Align::Right),
        ("t CO2e", Align::Right),
        ("km", Align::Right),
        ("borders", Align::Right),
        ("gauge chg", Align::Right),
        ("transship", Align::Right),
        ("countries", Align::Left),
    ]);
    let mut notes = Vec::new();
    for (i, cr) in c.corridors.iter().enumerate() {
        let name = net.corridors[cr.corridor.index()].name.clone();
        let mark = |w: Option<usize>| if w == Some(i) { "*" } else { "" };
        match &cr.route {
            Ok(r) => {
                let tot = &r.totals;
                t.row(vec![
                    name,
                    format!("{}{}", num(tot.hours.days(), 1), mark(c.winners.time)),
                    format!("{}{}", num(tot.usd.0, 0), mark(c.winners.cost)),
                    format!("{}{}", num(tot.emissions.wtw.0 / 1000.0, 2), mark(c.winners.co2)),
                    num(tot.km.0, 0),
                    format!("{}{}", tot.borders, mark(c.winners.borders)),
                    tot.gauge_changes.to_string(),
                    tot.transshipments.to_string(),
                    r.countries.join("-"),
                ]);
            }
            Err(e) => {
                t.row(vec![
                    name,
                    "n/a".into(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                ]);
                notes.push(format!("  {}: {}", net.corridors[cr.corridor.index()].code, short_reason(e)));
            }
        }
    }
    let winner =
        |w: Option<usize>| w.map_or("-".to_string(), |i| net.corridors[c.corridors[i].corridor.index()].code.clone());
    let mut out = header(net, req);
    out.push('\n');
    out.push_str(&t.render());
    out.push_str(&format!(
        "\n* best: fastest {}, cheapest {}, lowest CO2e {}, fewest borders {}\n",
        winner(c.winners.time),
        winner(c.winners.cost),
        winner(c.winners.co2),
        winner(c.winners.borders)
    ));
    match &c.best {
        Ok(r) => {
            let cs: Vec<&str> = r.corridors.iter().map(|x| net.corridors[x.index()].code.as_str()).collect();
            out.push_str(&format!(
                "Overall best ({}): {} days, USD {}, {} t CO2e via {}\n",
                req.optimize,
                num(r.totals.hours.days(), 1),
                num(r.totals.usd.0, 0),
                num(r.totals.emissions.wtw.0 / 1000.0, 2),
                if cs.is_empty() { "untagged links".to_string() } else { cs.join("+") }
            ));
        }
        Err(e) => out.push_str(&format!("No route at all: {e}\n")),
    }
    if !notes.is_empty() {
        out.push_str("Not applicable:\n");
        out.push_str(&notes.join("\n"));
        out.push('\n');
    }
    out.push_str(
        "Days are expected values (mean dwell at borders and ports). Figures per container; see SOURCES.md.\n",
    );
    out
}

/// Why a corridor has no route, in a few words.
fn short_reason(e: &corridor_search::RouteError) -> String {
    match e {
        corridor_search::RouteError::NoRoute { reason_text, .. } => reason_text.clone(),
        other => other.to_string(),
    }
}
