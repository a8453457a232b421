//! Text output of the routing commands: the route, comparison and Pareto tables, the
//! reliability and note lines, and the dispatch of each result to table, JSON, GeoJSON or CSV.
//! Routes and comparisons of every backend (core, detailed, combined) arrive as the one result
//! type, `corridor_io::export`'s DTOs, and go through the same renderers.

use anyhow::Result;
use corridor_io::export::{self, ComparisonDto, ReliabilityDto, RouteDto};
use corridor_model::Network;
use corridor_search::{Comparison, LegKind, Reliability, Route, RouteRequest, Router};

use crate::args::Format;
use crate::common::json;
use crate::render::{Align, TextTable, num};

/// Prints one route in `format`; the table adds `header` (see [`header`]), the notes and the
/// reliability lines. Every backend's route comes here as the one result type.
pub(crate) fn print_route(dto: &RouteDto, header: &str, format: Format) -> Result<()> {
    match format {
        Format::Json => println!("{}", json(dto)?),
        Format::Geojson => println!("{}", json(&export::route_geojson(dto))?),
        Format::Csv => print!("{}", export::route_csv(dto)),
        Format::Table => print!(
            "{}{}{}",
            note_lines(&dto.notes),
            route_table(dto, header),
            dto.reliability.as_ref().map(|r| reliability_lines(dto, r)).unwrap_or_default()
        ),
    }
    Ok(())
}

/// The DTO of a core route with its simulation and notes.
pub(crate) fn core_route(net: &Network, r: &Route, rel: &Reliability, notes: &[String]) -> RouteDto {
    let mut dto = RouteDto::new(net, r);
    dto.reliability = Some(ReliabilityDto::new(net, r, rel));
    dto.notes.splice(0..0, notes.iter().cloned());
    dto
}

/// Notes on estimated access and egress legs, one line each, for text output.
fn note_lines(notes: &[String]) -> String {
    notes.iter().map(|n| format!("Note: {n}\n")).collect()
}

/// The simulated arrival percentiles of a route (and local arrival times when timed).
fn reliability_lines(r: &RouteDto, rel: &ReliabilityDto) -> String {
    let days = |h: f64| num(h / 24.0, 1);
    let mut s = format!(
        "Door-to-door (Monte Carlo, {} draws): P50 {} d, P90 {} d, P95 {} d; buffer index {:.0}%",
        rel.samples,
        days(rel.p50_h),
        days(rel.p90_h),
        days(rel.p95_h),
        rel.buffer_index * 100.0
    );
    if let (Some(p50), Some(p90), Some(p95)) = (&rel.arrive_p50, &rel.arrive_p90, &rel.arrive_p95) {
        s.push_str(&format!(
            "\nArrival at {}: P50 {p50}, P90 {p90}, P95 {p95} (local time); {:.0}% of draws miss a planned departure",
            r.to.name,
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
                    d.notes.splice(0..0, notes.iter().cloned());
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

/// The countries of a route and where it is lifted (else where it crosses borders), for
/// one-line summaries.
fn route_via(net: &Network, r: &Route) -> String {
    // The places where the box is lifted (or waits for a sailing) tell routes apart; a route
    // without any is told apart by where it crosses borders (Tashkent–Aktau by Saryagash or by
    // Beyneu), and a route with neither shows its countries alone, not an empty "()".
    let points = |keep: fn(&LegKind) -> bool| {
        let mut points: Vec<&str> = Vec::new();
        for leg in r.legs.iter().filter(|l| keep(&l.kind)) {
            let n = net.location(leg.from).name.as_str();
            if points.last() != Some(&n) {
                points.push(n);
            }
        }
        points
    };
    let mut at = points(|k| matches!(k, LegKind::Transfer { .. } | LegKind::Wait { .. }));
    if at.is_empty() {
        at = points(|k| matches!(k, LegKind::Border { .. }));
    }
    if at.is_empty() { r.countries.join("-") } else { format!("{} ({})", r.countries.join("-"), at.join(", ")) }
}

/// The first line of a table: both places, the unit, the payload and the objective.
pub(crate) fn header(net: &Network, req: &RouteRequest) -> String {
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

/// Legs that stay at one place: no destination and no distance in the table.
fn stays(kind: &str) -> bool {
    matches!(kind, "transfer" | "border" | "wait" | "gauge_change")
}

/// A route leg by leg with its totals, emissions and corridors.
fn route_table(r: &RouteDto, header: &str) -> String {
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
        let moving = !stays(&leg.kind);
        let mut row = vec![
            (i + 1).to_string(),
            leg.kind.clone(),
            leg.from_name.clone(),
            if moving { leg.to_name.clone() } else { String::new() },
            if moving { num(leg.km, 0) } else { String::new() },
            num(leg.hours / 24.0, 1),
            num(leg.usd, 0),
            num(leg.co2e_wtw_kg, 0),
        ];
        if timed {
            row.push(leg.arrive_local.as_deref().unwrap_or("").replace('T', " "));
        }
        row.push(leg.description.clone());
        t.row(row);
    }
    let tot = &r.totals;
    t.row(vec![
        String::new(),
        "total".into(),
        String::new(),
        String::new(),
        num(tot.km, 0),
        num(tot.hours / 24.0, 1),
        num(tot.usd, 0),
        num(tot.co2e_wtw_kg, 0),
        String::new(),
    ]);
    let ttw = match tot.co2e_ttw_kg {
        Some(kg) => format!("{} kg tank-to-wheel", num(kg, 0)),
        None => "tank-to-wheel not known here".to_string(),
    };
    let lifts = tot.transshipments.map_or("n/a".to_string(), |n| n.to_string());
    // The kind of train only where a train runs (it times the rail border crossings).
    let trains = match &r.traffic {
        Some(t) if r.legs.iter().any(|l| l.kind == "rail") => format!(" | Trains: {t}"),
        _ => String::new(),
    };
    format!(
        "{}\n{}\n{}CO2e {} kg well-to-wheel ({ttw}, ISO 14083 / GLEC) | {} border crossing(s) | {} gauge change(s) | {lifts} transshipment(s)\nCorridors: {} | Countries: {}{trains}\n",
        header,
        t.render(),
        price_line(&r.unit, tot),
        num(tot.co2e_wtw_kg, 0),
        tot.borders,
        tot.gauge_changes,
        if r.corridors.is_empty() { "-".to_string() } else { r.corridors.join(", ") },
        if r.countries.is_empty() { "-".to_string() } else { r.countries.join(" > ") }
    )
}

/// Prints a comparison in `format`; the table adds `header` and `optimize` (the objective of
/// the overall best). Every backend's comparison comes here as the one result type.
pub(crate) fn print_comparison(c: &ComparisonDto, header: &str, optimize: &str, format: Format) -> Result<()> {
    match format {
        Format::Json => println!("{}", json(c)?),
        Format::Geojson => println!("{}", json(&export::comparison_geojson(c))?),
        Format::Csv => print!("{}", export::comparison_csv(c)),
        Format::Table => print!("{}{}", note_lines(&c.notes), comparison_table(c, header, optimize)),
    }
    Ok(())
}

/// The DTO of a core comparison with its notes.
pub(crate) fn core_comparison(router: &Router, c: &Comparison, notes: &[String]) -> ComparisonDto {
    let mut dto = ComparisonDto::new(router, c);
    dto.notes.splice(0..0, notes.iter().cloned());
    dto
}

/// The price per container with its market range and how old its rates are, as one line
/// (empty where the backend has no range).
fn price_line(unit: &str, tot: &export::TotalsDto) -> String {
    let (Some(p10), Some(p90)) = (tot.usd_p10, tot.usd_p90) else { return String::new() };
    let basis = match &tot.price_basis {
        Some(b) => format!("rates observed {b} or later"),
        None => "rates undated".to_string(),
    };
    format!(
        "Price per {}: USD {} (P10 {} – P90 {}); {basis}\n",
        unit.to_uppercase(),
        num(tot.usd, 0),
        num(p10, 0),
        num(p90, 0)
    )
}

/// The P10–P90 range of a price, or empty.
fn range(tot: &export::TotalsDto) -> String {
    match (tot.usd_p10, tot.usd_p90) {
        (Some(a), Some(b)) => format!("{}–{}", num(a, 0), num(b, 0)),
        _ => String::new(),
    }
}

/// The best route of each corridor side by side, the winner of each criterion marked `*`.
fn comparison_table(c: &ComparisonDto, header: &str, optimize: &str) -> String {
    let mut t = TextTable::new(&[
        ("corridor", Align::Left),
        ("days", Align::Right),
        ("USD", Align::Right),
        ("USD P10–P90", Align::Right),
        ("t CO2e", Align::Right),
        ("km", Align::Right),
        ("borders", Align::Right),
        ("gauge chg", Align::Right),
        ("transship", Align::Right),
        ("countries", Align::Left),
    ]);
    let mut notes = Vec::new();
    for cr in &c.corridors {
        let mark = |w: &Option<String>| if w.as_deref() == Some(cr.id.as_str()) { "*" } else { "" };
        match &cr.route {
            Some(r) => {
                let tot = &r.totals;
                t.row(vec![
                    cr.name.clone(),
                    format!("{}{}", num(tot.days, 1), mark(&c.winners.time)),
                    format!("{}{}", num(tot.usd, 0), mark(&c.winners.cost)),
                    range(tot),
                    format!("{}{}", num(tot.co2e_wtw_kg / 1000.0, 2), mark(&c.winners.co2)),
                    num(tot.km, 0),
                    format!("{}{}", tot.borders, mark(&c.winners.borders)),
                    tot.gauge_changes.to_string(),
                    tot.transshipments.map_or("n/a".to_string(), |n| n.to_string()),
                    r.countries.join("-"),
                ]);
            }
            None => {
                let mut row = vec![cr.name.clone(), "n/a".into()];
                row.extend(std::iter::repeat_n(String::new(), 8));
                t.row(row);
                let why = cr.error.as_ref().map_or(String::new(), |e| short_reason(&e.message));
                notes.push(format!("  {}: {why}", cr.id));
            }
        }
    }
    let winner = |w: &Option<String>| w.clone().unwrap_or_else(|| "-".to_string());
    let mut out = header.to_string();
    out.push('\n');
    out.push_str(&t.render());
    out.push_str(&format!(
        "\n* best: fastest {}, cheapest {}, lowest CO2e {}, fewest borders {}\n",
        winner(&c.winners.time),
        winner(&c.winners.cost),
        winner(&c.winners.co2),
        winner(&c.winners.borders)
    ));
    match (&c.best, &c.best_error) {
        (Some(r), _) => {
            out.push_str(&format!(
                "Overall best ({optimize}): {} days, USD {}, {} t CO2e via {}\n",
                num(r.totals.days, 1),
                num(r.totals.usd, 0),
                num(r.totals.co2e_wtw_kg / 1000.0, 2),
                if r.corridors.is_empty() { "untagged links".to_string() } else { r.corridors.join("+") }
            ));
        }
        (None, e) => {
            out.push_str(&format!("No route at all: {}\n", e.as_ref().map_or("no route", |e| e.message.as_str())))
        }
    }
    if !notes.is_empty() {
        out.push_str("Not applicable:\n");
        out.push_str(&notes.join("\n"));
        out.push('\n');
    }
    out.push_str(
        "Days are expected values (mean dwell at borders and ports). Prices per container: the median of the market, P10–P90 its range. See SOURCES.md.\n",
    );
    out
}

/// Why a corridor has no route, in a few words: a routing error's message without its
/// "no route from A to B: " prefix.
fn short_reason(message: &str) -> String {
    match message.strip_prefix("no route from ").and_then(|m| m.split_once(": ")) {
        Some((_, reason)) => reason.to_string(),
        None => message.to_string(),
    }
}
