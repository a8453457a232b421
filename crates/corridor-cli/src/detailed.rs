//! The detailed-network side of the commands, on a snapshot (`--data X.corridor`): `build` (CSV
//! graph to snapshot), `table` (pairs or matrix), `route` from coordinates or places, `compare`,
//! `validate` and `serve`; and the route options that apply there ([`query`]). Routes and
//! comparisons leave as the one result type (`corridor_io::export`'s DTOs, built there from the
//! snapshot's legs) and go through the same renderers as the core network's (`output`).

use std::path::Path;
use std::time::Instant;

use corridor_io::export::{self, ComparisonDto, DetailedAsk, ErrorDto, LocationDto, RouteDto, SnapEnd};
use corridor_io::pairs;
use corridor_snapshot::{Engine, NodeMode, Objective, PairResult, Point, Profile, SnapshotKind};

use crate::args::{self, Format, QueryOpts, TableOpts, Unit};
use crate::common::{Failure, fail};

/// Steps 1 and 2 on a snapshot: both places resolved and snapped to the network (the mode of
/// `--snap`, see [`snap_mode`]), each with its place (a node given by id is named by the
/// nearest known place).
pub fn snap_ends(engine: &Engine, o: &TableOpts, from: &str, to: &str) -> Result<(SnapEnd, SnapEnd), Failure> {
    let snap = snap_mode(engine, o)?;
    // One parse of the embedded network and one resolver for both ends.
    let core = crate::common::load(None)?;
    let resolver = corridor_routing::Resolver::new(&core);
    let mut out = Vec::with_capacity(2);
    for (text, what) in [(from, "origin"), (to, "destination")] {
        let (p, place) = place_point(&resolver, text, what)?;
        let label = place.as_ref().map_or_else(|| text.trim().to_string(), export::place_label);
        let s = engine.resolve_mode(p, o.snap_km, snap).map_err(|e| fail(2, format!("{what} {label}: {e}")))?;
        let place = place.unwrap_or_else(|| export::node_place(engine.snapshot(), s.node));
        out.push(SnapEnd { place, node: s.node, snap_km: s.distance_km });
    }
    let b = out.pop().ok_or_else(|| fail(1, "internal: no destination"))?;
    let a = out.pop().ok_or_else(|| fail(1, "internal: no origin"))?;
    Ok((a, b))
}

/// The node mode coordinates snap to: `--snap` when given (it must be present), else road when
/// the snapshot has roads (the first and last mile go by truck), else any.
pub fn snap_mode(engine: &Engine, o: &TableOpts) -> Result<Option<NodeMode>, Failure> {
    let present = engine.snap_modes();
    let m = match o.snap.as_deref() {
        None if present.contains(&NodeMode::Road) => return Ok(Some(NodeMode::Road)),
        None | Some("any") => return Ok(None),
        Some(x) => x
            .parse::<NodeMode>()
            .map_err(|_| fail(2, format!("--snap {x:?}: expected road, rail, sea, terminal or any")))?,
    };
    if !present.contains(&m) {
        return Err(fail(2, format!("--snap {}: this snapshot has no such nodes", m.name())));
    }
    Ok(Some(m))
}

/// The request profile of a detailed query. A plain snapshot (one CSV graph) stores no speeds
/// or prices, so the table defaults apply to every arc; a multimodal one stores them per arc
/// and the options only override.
pub fn profile(engine: &Engine, o: &TableOpts, q: Option<&DetailedQuery>) -> Profile {
    profile_of_kind(engine.snapshot().kind(), o, q)
}

/// [`profile`] for a snapshot of `kind`.
fn profile_of_kind(kind: SnapshotKind, o: &TableOpts, q: Option<&DetailedQuery>) -> Profile {
    let (speed, rate) = defaults(kind, o);
    let plain = kind != SnapshotKind::Multimodal;
    let mut p = Profile {
        objective: q.map_or(Objective::Distance, |q| q.objective),
        payload_t: q.and_then(|q| q.payload_t).unwrap_or(o.payload_t),
        speed_kmh: [if plain { Some(speed) } else { o.speed_kmh }; 3],
        usd_tkm: [if plain { Some(rate) } else { o.usd_per_tkm }; 3],
        ..Profile::default()
    };
    if let Some(q) = q {
        p.avoid_countries = q.avoid_countries.clone();
        p.avoid_kinds = q.avoid_kinds;
    }
    p
}

/// Route options of a detailed query (from the curated-network `route` options).
#[derive(Clone, Debug)]
pub struct DetailedQuery {
    pub objective: Objective,
    /// The objective's name as given (`balanced`, `time`, ...), for the table header.
    pub optimize: &'static str,
    /// Container unit.
    pub unit: corridor_model::CargoUnit,
    /// The balanced objective with the query's value of time and carbon price (for `compare`).
    pub balanced: Objective,
    pub payload_t: Option<f64>,
    pub avoid_countries: Vec<String>,
    pub avoid_kinds: u8,
}

/// The route options that apply on a detailed snapshot; the others are refused with a reason.
pub(crate) fn query(o: &QueryOpts) -> Result<DetailedQuery, Failure> {
    use corridor_snapshot::{ArcKind, Objective as O};
    if o.depart.is_some() || o.latest_arrival.is_some() || o.max_transshipments.is_some() {
        return Err(fail(
            2,
            "--latest-arrival and --max-transshipments apply on the curated network only (without --data SNAPSHOT); --depart on a snapshot combines the detailed first and last mile with the timetabled curated network",
        ));
    }
    let defaults = &crate::common::load(None)?.defaults;
    let balanced = O::Balanced {
        value_of_time_usd_h: o.value_of_time.unwrap_or(defaults.value_of_time_usd_per_teu_hour.value)
            * if o.unit == Unit::Feu { 2.0 } else { 1.0 },
        carbon_usd_t: o.carbon_price.unwrap_or(defaults.carbon_price_usd_per_t.value),
    };
    let objective = match o.optimize {
        args::Objective::Time => O::Time,
        args::Objective::P90 => O::TimeP90,
        args::Objective::Cost => O::Cost,
        args::Objective::Co2 => O::Co2,
        args::Objective::Balanced => balanced,
    };
    let mut avoid_kinds = 0u8;
    for m in &o.avoid_mode {
        let kinds: &[ArcKind] = match m.as_str() {
            "rail" => &[ArcKind::Rail],
            "road" => &[ArcKind::Road],
            "sea" => &[ArcKind::Sea, ArcKind::Curated],
            "ferry" => &[ArcKind::Curated],
            x => return Err(fail(2, format!("--avoid-mode {x:?}: expected rail, road, sea or ferry"))),
        };
        for k in kinds {
            avoid_kinds |= 1 << *k as u8;
        }
    }
    if o.avoid_gauge_changes {
        avoid_kinds |= 1 << ArcKind::GaugeChange as u8;
    }
    let payload = o.payload_t.unwrap_or(match o.unit {
        Unit::Teu => defaults.payload_t_teu.value.0,
        Unit::Feu => defaults.payload_t_feu.value.0,
    });
    Ok(DetailedQuery {
        objective,
        optimize: match o.optimize {
            args::Objective::Time => "time",
            args::Objective::P90 => "p90",
            args::Objective::Cost => "cost",
            args::Objective::Co2 => "co2",
            args::Objective::Balanced => "balanced",
        },
        unit: match o.unit {
            Unit::Teu => corridor_model::CargoUnit::Teu,
            Unit::Feu => corridor_model::CargoUnit::Feu,
        },
        balanced,
        payload_t: Some(payload),
        avoid_countries: o.avoid_country.iter().map(|c| c.to_uppercase()).collect(),
        avoid_kinds,
    })
}

fn defaults(kind: SnapshotKind, o: &TableOpts) -> (f64, f64) {
    let (speed, rate) = match kind {
        SnapshotKind::Road => (22.5, 0.095),
        _ => (39.2, 0.080),
    };
    (o.speed_kmh.unwrap_or(speed), o.usd_per_tkm.unwrap_or(rate))
}

/// The build report's words on the stored presets.
pub fn presets_note(seconds: Option<f64>) -> String {
    match seconds {
        Some(s) => format!("6 preset metrics stored {s:.1} s; "),
        None => "no preset metrics stored (--no-presets); ".into(),
    }
}

pub fn build(nodes: &Path, edges: &Path, mode: &str, out: &Path, store: bool) -> Result<(), Failure> {
    let kind = match mode {
        "rail" => SnapshotKind::Rail,
        "road" => SnapshotKind::Road,
        "other" => SnapshotKind::Sea,
        m => return Err(fail(2, format!("--mode {m:?}: expected rail, road or other"))),
    };
    let t = Instant::now();
    crate::common::note!("reading {} and {} ...", nodes.display(), edges.display());
    let g = corridor_cch::Graph::load_scgraph(nodes, edges).map_err(|e| fail(2, e.to_string()))?;
    let t_read = t.elapsed().as_secs_f64();
    crate::common::note!(
        "{} nodes, {} arcs read in {t_read:.1} s; ordering (nested dissection) ...",
        g.node_count(),
        g.arc_count()
    );
    let (mut data, report) = corridor_snapshot::build(&g, kind);
    data.write(out).map_err(|e| fail(1, format!("{}: {e}", out.display())))?;
    let presets = if store { Some(store_presets(&mut data, out)?) } else { None };
    let size = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    println!(
        "{}: {} nodes, {} arcs, {} components (largest {:?}); order {:.1} s; {}total {:.1} s; {:.1} MB",
        out.display(),
        report.nodes,
        report.arcs,
        report.components,
        report.largest,
        report.order_seconds,
        presets_note(presets),
        t.elapsed().as_secs_f64(),
        size as f64 / 1e6
    );
    if report.components > 1 {
        println!(
            "gap report: coordinates snap to the largest component ({} nodes, {:.1}% of all); the other {} components are islands of the source graph (see tools/derive_network.py's gap report for suggested joins)",
            report.largest[0],
            100.0 * report.largest[0] as f64 / report.nodes as f64,
            report.components - 1
        );
    }
    Ok(())
}

/// A place on a snapshot: a node id (`123`, `node:123`; no place yet: it is named once
/// snapped), or anything the place pipeline resolves (`lat,lon`, a code, a name in any script),
/// taken at its coordinates, with the place for the output. A coordinate is named by the
/// nearest known place.
pub fn place_point(
    resolver: &corridor_routing::Resolver<'_>,
    text: &str,
    what: &str,
) -> Result<(Point, Option<LocationDto>), Failure> {
    let t = text.trim();
    if let Ok(id) = t.strip_prefix("node:").unwrap_or(t).parse::<u32>() {
        return Ok((Point::Node(id), None));
    }
    let core = resolver.network();
    let resolved = resolver.resolve(t).map_err(|e| fail(2, format!("{what}: {e}")))?;
    let place = match resolved.endpoint {
        corridor_routing::Endpoint::Core(id) => LocationDto::new(core.location(id)),
        corridor_routing::Endpoint::Outside(p) => {
            let name = if p.near.is_some() { export::place_name(p.lat, p.lon, Some(&p.country)) } else { p.name };
            LocationDto {
                id: p.code,
                name,
                country: p.country,
                lat: p.lat,
                lon: p.lon,
                tz: p.tz,
                kinds: Vec::new(),
                platforms: Vec::new(),
                aliases: Vec::new(),
            }
        }
    };
    Ok((Point::Coord(place.lat, place.lon), Some(place)))
}

fn read_rows(path: &Path) -> Result<Vec<(usize, Vec<String>)>, Failure> {
    let text = corridor_io::files::read_text(path, corridor_io::files::MAX_TEXT_BYTES)
        .map_err(|e| fail(2, format!("{}: {e}", path.display())))?;
    Ok(pairs::rows(&text))
}

#[allow(clippy::too_many_arguments)] // one call site, the command's own options
pub fn table(
    data: &Path,
    pairs: Option<&Path>,
    points: Option<&Path>,
    o: &TableOpts,
    json: bool,
    parquet: Option<&Path>,
    shard: Option<corridor_analytics::Shard>,
) -> Result<(), Failure> {
    // A part of a sharded job keeps the pairs (or the matrix's source rows) at its positions,
    // and its Parquet footer names the table, the part and the rows per item for `merge`.
    let keep = |k: usize| shard.is_none_or(|s| s.contains(k));
    let engine = Engine::load(data).map_err(|e| fail(2, e.to_string()))?;
    let objective = match o.metric.as_str() {
        "distance" => Objective::Distance,
        "time" => Objective::Time,
        "p90" => Objective::TimeP90,
        "cost" => Objective::Cost,
        "co2" => Objective::Co2,
        m => return Err(fail(2, format!("--metric {m:?}: expected distance, time, p90, cost or co2"))),
    };
    let snap = snap_mode(&engine, o)?;
    let prof = Profile { objective, ..profile(&engine, o, None) };
    let t = Instant::now();
    let metric = engine.metric(&prof);
    let t_custom = t.elapsed().as_secs_f64();
    match (pairs, points) {
        (Some(p), _) => {
            let mut list = Vec::new();
            for (k, (line, c)) in read_rows(p)?.into_iter().enumerate() {
                let pair = pairs::parse_pair(&c).map_err(|m| fail(2, format!("{}:{line}: {m}", p.display())))?;
                if keep(k) {
                    list.push(pair);
                }
            }
            let t = Instant::now();
            let results = engine.pairs(&metric, &prof, &list, o.snap_km, snap);
            let t_query = t.elapsed().as_secs_f64();
            print_pairs(&results, &prof, json);
            if let Some(path) = parquet {
                let text = pairs_csv(&results, &checksum_label(&prof));
                let meta = crate::common::part_footer("snapshot-pairs", shard, Some(1));
                corridor_parquet::write_table_with(&text, &corridor_parquet::schemas::SNAPSHOT_PAIRS, &meta, path)
                    .map_err(|e| fail(1, e.to_string()))?;
            }
            crate::common::note!(
                "{} pairs; load and checks {:.3} s, snapping indexes {:.2} s, customization {:.2} s, queries {:.3} s ({:.1} us/pair)",
                list.len(),
                engine.timings.0,
                engine.timings.1,
                t_custom,
                t_query,
                t_query * 1e6 / list.len().max(1) as f64
            );
            Ok(())
        }
        (None, Some(p)) => {
            let mut nodes = Vec::new();
            for (line, c) in read_rows(p)? {
                let pt =
                    pairs::parse_point(&c.join(",")).map_err(|m| fail(2, format!("{}:{line}: {m}", p.display())))?;
                let s = engine
                    .resolve_mode(pt, o.snap_km, snap)
                    .map_err(|e| fail(2, format!("{}:{line}: {e}", p.display())))?;
                nodes.push(s.node);
            }
            let t = Instant::now();
            let sources: Vec<_> = nodes.iter().enumerate().filter(|(k, _)| keep(*k)).map(|(_, &n)| n).collect();
            let m = engine.matrix(&metric, &sources, &nodes);
            // Weights back to user units: km, hours, USD, kg CO2e.
            let (scale, unit) = match objective {
                Objective::Distance => (1000.0, "km"),
                Objective::Time | Objective::TimeP90 => (36_000.0, "hours"),
                Objective::Cost | Objective::Balanced { .. } => (1000.0, "usd"),
                Objective::Co2 => (10_000.0, "kg_co2e"),
            };
            let m: Vec<u32> = m
                .into_iter()
                .map(|d| {
                    if d >= corridor_snapshot::profile::BLOCKED_PATH {
                        corridor_snapshot::engine::UNREACHABLE
                    } else {
                        d
                    }
                })
                .collect();
            let t_query = t.elapsed().as_secs_f64();
            let cell = |d: u32| {
                if d == corridor_snapshot::engine::UNREACHABLE {
                    String::new()
                } else {
                    format!("{:.3}", f64::from(d) / scale)
                }
            };
            if json {
                let rows: Vec<Vec<Option<f64>>> = m
                    .chunks(nodes.len().max(1))
                    .map(|r| {
                        r.iter()
                            .map(|&d| (d != corridor_snapshot::engine::UNREACHABLE).then(|| f64::from(d) / scale))
                            .collect()
                    })
                    .collect();
                println!("{}", serde_json::json!({"unit": unit, "nodes": nodes, "sources": sources, "values": rows}));
            } else {
                for r in m.chunks(nodes.len().max(1)) {
                    println!("{}", r.iter().map(|&d| cell(d)).collect::<Vec<_>>().join(","));
                }
                let sum: u64 =
                    m.iter().filter(|&&d| d != corridor_snapshot::engine::UNREACHABLE).map(|&d| u64::from(d)).sum();
                println!("# checksum_m={sum}");
            }
            if let Some(path) = parquet {
                // Long format (one row per cell) so that any Parquet reader takes it as a table.
                let mut text = format!("source,target,{unit}\n");
                for (i, row) in m.chunks(nodes.len().max(1)).enumerate() {
                    for (j, &d) in row.iter().enumerate() {
                        text.push_str(&format!("{},{},{}\n", sources[i], nodes[j], cell(d)));
                    }
                }
                let meta = crate::common::part_footer("snapshot-matrix", shard, Some(nodes.len()));
                corridor_parquet::write_table_with(&text, &corridor_parquet::schemas::matrix_long(unit), &meta, path)
                    .map_err(|e| fail(1, e.to_string()))?;
            }
            crate::common::note!(
                "{}x{} matrix; customization {t_custom:.2} s, matrix {t_query:.3} s",
                sources.len(),
                nodes.len()
            );
            Ok(())
        }
        (None, None) => Err(fail(2, "table needs --pairs FILE or --points FILE")),
    }
}

/// Name of the checksum line: `checksum_m` for distances (the peer harness's unit).
fn checksum_label(p: &Profile) -> String {
    match p.objective {
        Objective::Distance => "checksum_m".into(),
        o => format!("checksum ({})", o.unit()),
    }
}

fn print_pairs(results: &[PairResult], prof: &Profile, json: bool) {
    let checksum: u64 = results.iter().filter_map(|r| r.metres).map(u64::from).sum();
    if json {
        let rows: Vec<serde_json::Value> = results
            .iter()
            .map(|r| {
                let t = r.totals;
                serde_json::json!({
                    "source": r.source.map(|s| s.node), "target": r.target.map(|s| s.node),
                    "source_snap_km": r.source.map(|s| s.distance_km), "target_snap_km": r.target.map(|s| s.distance_km),
                    "weight": r.metres, "km": t.map(|t| t.km), "hours": t.map(|t| t.hours), "usd": t.map(|t| t.usd),
                    "kg_co2e": t.map(|t| t.kg_co2e), "error": r.error,
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::json!({"pairs": rows, "checksum": checksum, "metric": format!("{:?}", prof.objective), "weight_unit": prof.objective.unit(), "payload_t": prof.payload_t})
        );
        return;
    }
    print!("{}", pairs_csv(results, &checksum_label(prof)));
}

/// The pair results as CSV with a final checksum comment line (sum of the path weights).
fn pairs_csv(results: &[PairResult], label: &str) -> String {
    let checksum: u64 = results.iter().filter_map(|r| r.metres).map(u64::from).sum();
    let mut out = String::from("source,target,source_snap_km,target_snap_km,km,hours,usd,kg_co2e,error\n");
    for r in results {
        let f = |x: Option<f64>, d: usize| x.map_or(String::new(), |v| format!("{v:.d$}"));
        let t = r.totals;
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{}\n",
            r.source.map_or(String::new(), |s| s.node.to_string()),
            r.target.map_or(String::new(), |s| s.node.to_string()),
            f(r.source.map(|s| s.distance_km), 3),
            f(r.target.map(|s| s.distance_km), 3),
            f(t.map(|t| t.km), 3),
            f(t.map(|t| t.hours), 2),
            f(t.map(|t| t.usd), 2),
            f(t.map(|t| t.kg_co2e), 2),
            r.error.as_deref().unwrap_or("").replace(',', ";")
        ));
    }
    out.push_str(&format!("# {label}={checksum}\n"));
    out
}

/// Refuses avoided countries that a snapshot cannot honour: on a snapshot without country data
/// (a plain CSV graph), or codes that are not among its countries.
pub fn check_countries(engine: &Engine, countries: &[String]) -> Result<(), Failure> {
    let s = engine.snapshot();
    let known: Vec<&str> = (0..s.country_count()).map(|c| s.country_code(c as u16)).collect();
    for c in countries {
        if known.is_empty() {
            return Err(fail(
                2,
                format!("--avoid-country {c}: this snapshot has no country data (built from a plain graph)"),
            ));
        }
        if !known.iter().any(|k| k.eq_ignore_ascii_case(c)) {
            return Err(fail(2, format!("--avoid-country {c}: not a country of this snapshot")));
        }
    }
    Ok(())
}

/// The best path between two snapped nodes under a profile (its legs, exact totals), or why
/// there is none (`EndpointExcluded`: an end in an avoided country; `NoRoute`: blocked by the
/// exclusions, or not connected).
pub fn solve(engine: &Engine, profile: &Profile, s: u32, t: u32) -> Result<Vec<corridor_snapshot::Leg>, ErrorDto> {
    let error = |code: &str, message: String| ErrorDto { code: code.to_string(), message };
    // One query per customization: the basic customization is enough (the perfect pass costs
    // more than it saves on a single query).
    let metric = engine.metric_basic(profile);
    let Some((_, arcs)) = engine.path(&metric, s, t) else {
        // Tell blocked from disconnected: the same query without the request's exclusions.
        let open = Profile { avoid_countries: Vec::new(), avoid_kinds: 0, ..profile.clone() };
        let snapshot = engine.snapshot();
        let avoided = |v: u32| {
            let c = *snapshot.node_country().get(v as usize)?;
            let code = snapshot.country_code(c);
            (c != corridor_snapshot::NO_COUNTRY && profile.avoid_countries.iter().any(|a| a.eq_ignore_ascii_case(code)))
                .then(|| code.to_string())
        };
        if let Some(c) = avoided(s) {
            return Err(error(
                "EndpointExcluded",
                format!("no route: the origin (node {s}) is in {c}, an avoided country"),
            ));
        }
        if let Some(c) = avoided(t) {
            return Err(error(
                "EndpointExcluded",
                format!("no route: the destination (node {t}) is in {c}, an avoided country"),
            ));
        }
        let reason = if (!profile.avoid_countries.is_empty() || profile.avoid_kinds != 0)
            && engine.path(&engine.metric_basic(&open), s, t).is_some()
        {
            "every route uses an avoided country, mode or a gauge change"
        } else {
            "the two points are not connected in this network"
        };
        return Err(error("NoRoute", format!("no route from node {s} to node {t}: {reason}")));
    };
    Ok(engine.legs(profile, s, &arcs))
}

/// The first line of a snapshot route's or comparison's table: both places, the unit, the
/// payload and the objective.
fn header(from: &SnapEnd, to: &SnapEnd, q: &DetailedQuery, payload_t: f64, what: &str) -> String {
    format!(
        "{} -> {}: 1 {} with {} t cargo, {what} on the detailed network\n",
        from.label(),
        to.label(),
        q.unit.as_str().to_uppercase(),
        crate::render::num(payload_t, 1),
    )
}

/// `compare` on a snapshot: it has no corridor tags, so the comparison is the best route for
/// each objective (time, cost, CO2e, balanced) side by side, as the one comparison type.
pub fn compare(
    data: &Path,
    from: &str,
    to: &str,
    o: &TableOpts,
    q: &DetailedQuery,
    format: Format,
) -> Result<(), Failure> {
    let engine = Engine::load(data).map_err(|e| fail(2, e.to_string()))?;
    let (a, b) = snap_ends(&engine, o, from, to)?;
    check_countries(&engine, &q.avoid_countries)?;
    let base = profile(&engine, o, Some(q));
    let balanced = match q.objective {
        Objective::Balanced { .. } => q.objective,
        _ => q.balanced,
    };
    let objectives = [
        ("time", "fastest (time)", Objective::Time),
        ("cost", "cheapest (cost)", Objective::Cost),
        ("co2", "lowest CO2e (co2)", Objective::Co2),
        ("balanced", "balanced", balanced),
    ];
    let snapshot = engine.snapshot();
    let dto = |objective: Objective| -> Result<RouteDto, ErrorDto> {
        let p = Profile { objective, ..base.clone() };
        let legs = solve(&engine, &p, a.node, b.node)?;
        let ask = DetailedAsk { unit: q.unit, payload_t: base.payload_t, objective };
        Ok(RouteDto::from_snapshot(snapshot, &legs, &a, &b, ask))
    };
    let entries: Vec<(String, String, Result<RouteDto, ErrorDto>)> =
        objectives.iter().map(|&(id, name, objective)| (id.to_string(), name.to_string(), dto(objective))).collect();
    // The overall best: the query's own objective (one of the entries unless it is p90).
    let best = match objectives.iter().zip(&entries).find(|((_, _, ob), _)| *ob == q.objective) {
        Some((_, (_, _, r))) => r.clone(),
        None => dto(q.objective),
    };
    let notes = vec![
        format!(
            "a detailed snapshot has no corridor tags: the entries are the best route per objective ({}); compare runs the curated network's corridors without --data SNAPSHOT",
            objectives.map(|o| o.0).join(", ")
        ),
        a.note("origin"),
        b.note("destination"),
    ];
    let cmp = ComparisonDto::from_objectives(entries, best, notes);
    let head = header(&a, &b, q, base.payload_t, "best route per objective");
    crate::output::print_comparison(&cmp, &head, q.optimize, format).map_err(|e| fail(1, format!("{e:#}")))
}

/// `validate` on a snapshot: opening it checks its version, checksum, sections and every id and
/// range; the summary says what it holds.
pub fn validate(data: &Path) -> Result<(), Failure> {
    let engine = Engine::load(data).map_err(|e| fail(1, format!("{}: {e}", data.display())))?;
    let s = engine.snapshot();
    let mut per_mode = [0usize; 4];
    for &m in s.node_mode() {
        if let Some(c) = per_mode.get_mut(m as usize) {
            *c += 1;
        }
    }
    println!(
        "{}: OK: snapshot v{}, {} nodes ({} rail, {} road, {} sea, {} terminal), {} arcs, {} countries; CCH of {} arcs; stored preset metrics: {}; checksum, sections, ids, ranges and the CCH's invariants checked",
        data.display(),
        corridor_snapshot::format::VERSION,
        s.node_count(),
        per_mode[0],
        per_mode[1],
        per_mode[2],
        per_mode[3],
        s.arc_count(),
        s.country_count(),
        s.cch().arc_count(),
        if s.stored_metrics().is_empty() {
            "none".to_string()
        } else {
            s.stored_metrics().iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(", ")
        }
    );
    Ok(())
}

/// `route` on a snapshot: the best route under the query's objective, as the one route type.
pub fn route(
    data: &Path,
    from: &str,
    to: &str,
    o: &TableOpts,
    q: &DetailedQuery,
    format: Format,
) -> Result<(), Failure> {
    let engine = Engine::load(data).map_err(|e| fail(2, e.to_string()))?;
    let (a, b) = snap_ends(&engine, o, from, to)?;
    check_countries(&engine, &q.avoid_countries)?;
    let profile = profile(&engine, o, Some(q));
    let legs = solve(&engine, &profile, a.node, b.node).map_err(|e| fail(1, e.message))?;
    let ask = DetailedAsk { unit: q.unit, payload_t: profile.payload_t, objective: q.objective };
    let dto = RouteDto::from_snapshot(engine.snapshot(), &legs, &a, &b, ask);
    let head = header(&a, &b, q, profile.payload_t, &format!("optimized for {}", q.optimize));
    crate::output::print_route(&dto, &head, format).map_err(|e| fail(1, format!("{e:#}")))
}

/// The server's preset profiles for a snapshot of `kind`, by name: `distance`, `time`, `p90`,
/// `cost`, `co2` and `balanced` (the dataset's value of time and carbon price for a TEU), with
/// the dataset's TEU payload. `corridor build` customizes and stores them in the snapshot;
/// `corridor serve` maps the stored ones whose profile fingerprint still matches.
pub fn presets(kind: SnapshotKind, defaults: &corridor_model::Defaults) -> Vec<(&'static str, Profile)> {
    let o = TableOpts::default();
    let balanced = Objective::Balanced {
        value_of_time_usd_h: defaults.value_of_time_usd_per_teu_hour.value,
        carbon_usd_t: defaults.carbon_price_usd_per_t.value,
    };
    [
        ("distance", Objective::Distance),
        ("time", Objective::Time),
        ("p90", Objective::TimeP90),
        ("cost", Objective::Cost),
        ("co2", Objective::Co2),
        ("balanced", balanced),
    ]
    .into_iter()
    .map(|(name, objective)| {
        let q = DetailedQuery {
            objective,
            optimize: name,
            unit: corridor_model::CargoUnit::Teu,
            balanced,
            payload_t: Some(defaults.payload_t_teu.value.0),
            avoid_countries: Vec::new(),
            avoid_kinds: 0,
        };
        (name, profile_of_kind(kind, &o, Some(&q)))
    })
    .collect()
}

/// Customizes the preset profiles of the snapshot just written to `out` (from `data`) and
/// writes it again with them stored, so that a server maps them instead of customizing each on
/// its first request. Returns the seconds spent.
pub fn store_presets(data: &mut corridor_snapshot::SnapshotData, out: &Path) -> Result<f64, Failure> {
    let t = Instant::now();
    let defaults = crate::common::load(None)?.defaults;
    let snap = corridor_snapshot::Snapshot::open(out).map_err(|e| fail(1, e.to_string()))?;
    data.metrics = presets(snap.kind(), &defaults)
        .into_iter()
        .map(|(name, p)| corridor_snapshot::format::StoredMetric {
            name: name.to_string(),
            fingerprint: p.fingerprint(),
            weights: p.weights(&snap),
        })
        .collect();
    drop(snap);
    data.write(out).map_err(|e| fail(1, format!("{}: {e}", out.display())))?;
    Ok(t.elapsed().as_secs_f64())
}

/// `corridor serve --data X.corridor`: OSRM's route, table and nearest services on a snapshot.
/// The presets are `distance`, `time`, `p90`, `cost`, `co2` and `balanced` (the dataset's value
/// of time and carbon price for a TEU), with the dataset's TEU payload, or the subset `presets`
/// names; the CCH is customized once per preset, on its first request (or all before listening
/// when `eager`); any other profile name in a URL (`driving`, ...) means `time` (or the first
/// preset when `time` is not served). Coordinates snap as in `table` and `route` on a snapshot
/// (to road nodes when there are any).
pub fn serve(
    data: &Path,
    config: corridor_server::ServerConfig,
    defaults: &corridor_model::Defaults,
    presets: &[String],
    eager: bool,
) -> Result<(), Failure> {
    use corridor_server::snapshot::{NamedProfile, SnapshotService};
    let t = Instant::now();
    let engine = Engine::load(data).map_err(|e| fail(2, e.to_string()))?;
    let o = TableOpts::default();
    let snap = snap_mode(&engine, &o)?;
    let all = self::presets(engine.snapshot().kind(), defaults);
    for (i, p) in presets.iter().enumerate() {
        if !all.iter().any(|(name, _)| name == p) {
            let known: Vec<&str> = all.iter().map(|(n, _)| *n).collect();
            return Err(fail(
                2,
                format!("--presets {p} (item {}): unknown preset (known: {})", i + 1, known.join(", ")),
            ));
        }
    }
    let profiles: Vec<NamedProfile> = all
        .into_iter()
        .filter(|(name, _)| presets.is_empty() || presets.iter().any(|p| p == name))
        .map(|(name, profile)| NamedProfile { name: name.to_string(), profile })
        .collect();
    let fallback =
        if profiles.iter().any(|p| p.name == "time") { "time".to_string() } else { profiles[0].name.clone() };
    let names: Vec<String> = profiles.iter().map(|p| p.name.clone()).collect();
    let service = SnapshotService::new(engine, profiles, &fallback, snap, data.display().to_string())
        .map_err(|e| fail(2, e.to_string()))?;
    let cch_mb = service.engine().cch().bytes() as f64 / 1e6;
    let mapped: Vec<String> = service
        .residency()
        .into_iter()
        .filter_map(|(n, r)| (r == Some(corridor_server::snapshot::Residency::Mapped)).then_some(n))
        .collect();
    let lazy: Vec<&String> = names.iter().filter(|n| !mapped.contains(n)).collect();
    let loaded = format!(
        "{}: loaded in {:.1} s (CCH {cch_mb:.0} MB, mapped from the file); presets mapped from the file: {}",
        data.display(),
        t.elapsed().as_secs_f64(),
        if mapped.is_empty() { "none".to_string() } else { mapped.join(", ") }
    );
    if lazy.is_empty() {
        crate::common::note!("{loaded}");
    } else if eager {
        let s = service.customize_all();
        crate::common::note!("{loaded}; customized the others ({}) at start in {s:.1} s", lazy.len());
    } else {
        crate::common::note!(
            "{loaded}; the others ({}) are customized on first use (about 0.5 s and one metric's memory each; --eager customizes them at start; `corridor build` stores them)",
            lazy.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
        );
    }
    corridor_server::run_snapshot(config, service).map_err(|e| match e {
        corridor_server::Error::Config(_) | corridor_server::Error::ApiKeyFile { .. } => fail(2, e.to_string()),
        _ => fail(1, e.to_string()),
    })
}
