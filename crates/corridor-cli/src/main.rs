//! `corridor`: multimodal freight routing and corridor comparison across Eurasia.
//!
//! Runs on the dataset embedded in the binary unless `--data DIR` names another one.
//! Exit codes: 0 success; 1 no route, or a dataset with errors; 2 bad input (unknown location,
//! invalid option).

mod args;
mod build;
mod combined;
mod common;
mod detailed;
mod output;
mod render;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use corridor_io::export::LocationDto;
use corridor_io::{DatasetFiles, Severity};
use corridor_model::{Graph, LocationId, LocationIndex, Network};
use corridor_search::Router;

use args::{
    AssignArgs, BuildArgs, Cli, Command, CompareArgs, Format, LocationsArgs, ParetoArgs, QueryOpts, ResilienceArgs,
    RouteArgs, RouteSnapOpts, ScenarioAction, ScenarioArgs, ServeArgs, TableArgs, ValidateArgs,
};
use common::{Failure, analysis_inputs, corridor_id, fail, json, load, prepare, request};
use output::{print_comparison, print_pareto, print_route};
use render::{Align, TextTable};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("error: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Validate(ValidateArgs { dir }) if dir.as_ref().or(cli.data.as_ref()).is_some_and(|d| d.is_file()) => {
            detailed::validate(dir.as_ref().or(cli.data.as_ref()).expect("checked"))
        }
        Command::Validate(ValidateArgs { dir }) => validate(dir.as_ref().or(cli.data.as_ref())),
        Command::Build(BuildArgs { from, modes, no_overlay, heal_km, nodes_csv, edges_csv, mode, out }) => {
            match (nodes_csv, edges_csv) {
                (Some(n), Some(e)) => detailed::build(&n, &e, &mode, &out),
                _ if from.is_empty() => {
                    Err(fail(2, "build needs --from <inputs...> or --nodes-csv FILE --edges-csv FILE"))
                }
                _ => {
                    let overlay = if no_overlay { None } else { Some(load(cli.data.as_ref())?) };
                    build::build_from(build::FromOpts { inputs: &from, modes: &modes, out: &out, overlay, heal_km })
                }
            }
        }
        Command::Table(TableArgs { pairs, points, opts, format, parquet }) => {
            let data =
                cli.data.as_ref().ok_or_else(|| fail(2, "table needs --data SNAPSHOT (see `corridor build`)"))?;
            detailed::table(
                data,
                pairs.as_deref(),
                points.as_deref(),
                &opts,
                format == Format::Json,
                parquet.as_deref(),
            )
        }
        Command::Route(RouteArgs { from, to, format, opts, snap, corridor })
            if cli.data.as_ref().is_some_and(|d| d.is_file()) =>
        {
            let data = cli.data.as_ref().expect("checked");
            let backend = if opts.depart.is_some() {
                corridor_routing::Backend::Combined
            } else {
                corridor_routing::Backend::Detailed
            };
            opts.check(backend, corridor.as_deref(), Some(&snap), format)?;
            if opts.depart.is_some() {
                let q = detailed::query(&QueryOpts { depart: None, latest_arrival: None, ..opts.clone() })?;
                let net = load(None)?;
                return combined::route(data, &net, &from, &to, &snap.into_table_opts(), &q, &opts, format);
            }
            let q = detailed::query(&opts)?;
            detailed::route(
                data,
                &from,
                &to,
                &snap.into_table_opts(),
                &q,
                format == Format::Table,
                format == Format::Geojson,
            )
        }
        Command::Assign(AssignArgs { tntp_net: None, out, analysis, top, geojson, parquet, .. }) => {
            let (model, demand, method) = analysis_inputs(cli.data.as_ref(), &analysis)?;
            let report = corridor_analytics::commands::run_assignment(&model, &demand, method)
                .map_err(|e| fail(1, e.to_string()))?;
            print!("{}", corridor_analytics::render_assignment_table(&report, top));
            if let Some(path) = out {
                std::fs::write(&path, corridor_analytics::elements_csv(&report))
                    .map_err(|e| fail(1, format!("{}: {e}", path.display())))?;
            }
            if let Some(path) = parquet {
                corridor_parquet::csv_to_parquet(&corridor_analytics::elements_csv(&report), &path)
                    .map_err(|e| fail(1, e.to_string()))?;
            }
            if let Some(path) = geojson {
                let v = corridor_analytics::flows_geojson(&model.network, &report);
                std::fs::write(&path, serde_json::to_string(&v).unwrap_or_default())
                    .map_err(|e| fail(1, format!("{}: {e}", path.display())))?;
            }
            Ok(())
        }
        Command::Scenario(ScenarioArgs { action: ScenarioAction::Diff { base, scenario, analysis } }) => {
            let (model, demand, method) = analysis_inputs(cli.data.as_ref(), &analysis)?;
            let read = |p: &Path| -> Result<corridor_analytics::Scenario, Failure> {
                let text = std::fs::read_to_string(p).map_err(|e| fail(2, format!("{}: {e}", p.display())))?;
                corridor_analytics::Scenario::parse(&text).map_err(|e| fail(2, format!("{}: {e}", p.display())))
            };
            let base = if base == "base" { None } else { Some(read(Path::new(&base))?) };
            let s1 = read(&scenario)?;
            let text = corridor_analytics::commands::scenario_diff_command(&model, &demand, base.as_ref(), &s1, method)
                .map_err(|e| fail(1, e.to_string()))?;
            print!("{text}");
            Ok(())
        }
        Command::Resilience(ResilienceArgs { analysis, top_n, out }) => {
            let (model, demand, _) = analysis_inputs(cli.data.as_ref(), &analysis)?;
            let progress = |done: usize, total: usize| {
                if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
                    eprint!("\r{done}/{total} elements");
                }
            };
            let r = corridor_analytics::resilience(
                &model,
                &demand,
                top_n,
                &corridor_analytics::HardCapacityConfig::default(),
                &progress,
            )
            .map_err(|e| fail(1, e.to_string()))?;
            eprintln!();
            print!("{}", corridor_analytics::render_resilience(&r, 25));
            if let Some(path) = out {
                std::fs::write(&path, corridor_analytics::resilience_csv(&r))
                    .map_err(|e| fail(1, format!("{}: {e}", path.display())))?;
            }
            Ok(())
        }
        Command::Assign(AssignArgs { tntp_net: Some(tntp_net), tntp_trips, gap, max_iter, out, .. }) => {
            let tntp_trips = tntp_trips.ok_or_else(|| fail(2, "--tntp-net needs --tntp-trips"))?;
            if !(gap.is_finite() && gap > 0.0 && gap < 1.0) {
                return Err(fail(2, format!("--gap {gap}: must be between 0 and 1")));
            }
            let report = corridor_assign::cli_main(corridor_assign::AssignArgs {
                net: tntp_net,
                trips: tntp_trips,
                gap,
                max_iter,
                out,
            })
            .map_err(|e| match e {
                corridor_assign::Error::Write { .. } => fail(1, e.to_string()),
                _ => fail(2, e.to_string()),
            })?;
            println!("{report}");
            if report.converged {
                Ok(())
            } else {
                Err(fail(1, format!("did not reach gap {gap} in {max_iter} iterations")))
            }
        }
        Command::Serve(ServeArgs { bind, api_key_file, cors, max_concurrent, time_budget, max_table_size }) => {
            if !(1..=10_000).contains(&max_table_size) {
                return Err(fail(2, format!("--max-table-size {max_table_size}: must be between 1 and 10000")));
            }
            if !(time_budget.is_finite() && time_budget > 0.0) {
                return Err(fail(2, format!("--time-budget {time_budget}: must be a positive number of seconds")));
            }
            let api_key = api_key_file
                .as_deref()
                .map(corridor_server::read_api_key_file)
                .transpose()
                .map_err(|e| fail(2, e.to_string()))?;
            let snapshot = cli.data.as_ref().filter(|d| d.is_file());
            let config = corridor_server::ServerConfig {
                bind,
                data_dir: if snapshot.is_some() { None } else { cli.data.clone() },
                limits: corridor_server::Limits {
                    max_concurrent,
                    time_budget: std::time::Duration::from_secs_f64(time_budget),
                    max_table_size,
                    ..Default::default()
                },
                api_key,
                cors,
            };
            if let Some(path) = snapshot {
                return detailed::serve(path, config, &load(None)?.defaults);
            }
            corridor_server::run(config).map_err(|e| match e {
                corridor_server::Error::Config(_) | corridor_server::Error::ApiKeyFile { .. } => fail(2, e.to_string()),
                _ => fail(1, e.to_string()),
            })
        }
        Command::Locations(LocationsArgs { query, format }) if cli.data.as_ref().is_some_and(|d| d.is_file()) => {
            let engine = corridor_snapshot::Engine::load(cli.data.as_ref().expect("checked"))
                .map_err(|e| fail(2, e.to_string()))?;
            locations(&load(None)?, query.as_deref().unwrap_or(""), format, Some(&engine))
        }
        Command::Locations(LocationsArgs { query, format }) => {
            let net = load(cli.data.as_ref())?;
            locations(&net, query.as_deref().unwrap_or(""), format, None)
        }
        Command::Route(RouteArgs { from, to, opts, corridor, format, snap }) => {
            opts.check(corridor_routing::Backend::Core, corridor.as_deref(), Some(&snap), format)?;
            let core = load(cli.data.as_ref())?;
            let (prepared, notes) = prepare(&core, &from, &to)?;
            let net = &*prepared.network;
            let graph = Graph::compile(net);
            let router = Router::new(net, &graph);
            let mut req = request(net, prepared.from, prepared.to, &opts)?;
            req.corridor = corridor_id(net, corridor)?;
            let route = router.route(&req).map_err(|e| fail(1, e.to_string()))?;
            let rel = router.reliability(&route, opts.samples(), opts.seed());
            print_route(net, &req, &route, &rel, &notes, format).map_err(|e| fail(1, format!("{e:#}")))
        }
        Command::Pareto(ParetoArgs { .. }) if cli.data.as_ref().is_some_and(|d| d.is_file()) => Err(fail(
            2,
            "pareto is not supported with --data SNAPSHOT: the detailed network is searched for one objective at a time (use compare for the best route per objective, or pareto without --data SNAPSHOT)",
        )),
        Command::Pareto(ParetoArgs { from, to, opts, corridor, collapse, format }) => {
            let core = load(cli.data.as_ref())?;
            let (prepared, notes) = prepare(&core, &from, &to)?;
            let net = &*prepared.network;
            let graph = Graph::compile(net);
            let router = Router::new(net, &graph);
            let mut req = request(net, prepared.from, prepared.to, &opts)?;
            req.corridor = corridor_id(net, corridor)?;
            if !(0.0..=1.0).contains(&collapse) {
                return Err(fail(2, format!("--collapse {collapse}: must be between 0 and 1")));
            }
            let routes = router.pareto(&req).map_err(|e| fail(1, e.to_string()))?;
            let routes = corridor_search::collapse_near_duplicates(routes, collapse);
            let rels: Vec<_> = routes.iter().map(|r| router.reliability(r, opts.samples(), opts.seed())).collect();
            print_pareto(net, &req, &routes, &rels, &notes, format).map_err(|e| fail(1, format!("{e:#}")))
        }
        Command::Compare(CompareArgs { from, to, opts, format }) if cli.data.as_ref().is_some_and(|d| d.is_file()) => {
            opts.check(corridor_routing::Backend::Detailed, None, None, format)?;
            let q = detailed::query(&opts)?;
            let snap = RouteSnapOpts { snap_km: None, snap: None, speed_kmh: None, usd_per_tkm: None };
            detailed::compare(cli.data.as_ref().expect("checked"), &from, &to, &snap.into_table_opts(), &q, format)
        }
        Command::Compare(CompareArgs { from, to, opts, format }) => {
            let core = load(cli.data.as_ref())?;
            let (prepared, notes) = prepare(&core, &from, &to)?;
            let net = &*prepared.network;
            let graph = Graph::compile(net);
            let router = Router::new(net, &graph);
            let req = request(net, prepared.from, prepared.to, &opts)?;
            let cmp = router.compare(&req);
            print_comparison(&router, &req, &cmp, &notes, format).map_err(|e| fail(1, format!("{e:#}")))
        }
    }
}

/// `locations`: the corridor network's own locations matching the query, then the places of the
/// place index of that name (any of them can be routed from), each with its nearest terminals
/// and, on a snapshot, the node it snaps to.
fn locations(
    net: &Network,
    query: &str,
    format: Format,
    engine: Option<&corridor_snapshot::Engine>,
) -> Result<(), Failure> {
    let index = LocationIndex::new(&net.locations);
    let resolver = corridor_routing::Resolver::new(net);
    let places = resolver.places();
    let hits = index.search(query);
    let mut place_hits: Vec<corridor_places::PlaceId> = Vec::new();
    if !query.trim().is_empty() {
        let q = corridor_places::parse_query(query).map_err(|e| fail(2, e.to_string()))?;
        if let corridor_places::PlaceQuery::Name { name, country } = q {
            place_hits = places.lookup(&name, country.as_deref());
            if place_hits.is_empty()
                && let Some((_, ids)) = places.lookup_variant(&name, country.as_deref())
            {
                place_hits = ids;
            }
        }
    }
    place_hits.retain(|&id| net.location_by_code(places.place(id).code).is_none());
    place_hits.truncate(10);
    if hits.is_empty() && place_hits.is_empty() {
        let s = resolver.suggestions(query);
        let hint = if s.is_empty() { String::new() } else { format!("; did you mean {}?", s.join(", ")) };
        return Err(fail(2, format!("no location or place matches {query:?}{hint}")));
    }
    let snapped = |lat: f64, lon: f64| -> Option<(u32, f64)> {
        engine
            .and_then(|e| e.resolve(corridor_snapshot::Point::Coord(lat, lon), 50.0).ok())
            .map(|s| (s.node, s.distance_km))
    };
    let nearest = |lat: f64, lon: f64| -> Vec<(LocationId, f64)> {
        let mut v = resolver.nearest_core(lat, lon, 12);
        v.retain(|&(id, _)| !net.location(id).kinds.iter().all(|k| *k == corridor_model::LocationKind::BorderCrossing));
        v.truncate(3);
        v
    };
    match format {
        Format::Json | Format::Geojson => {
            let mut out: Vec<serde_json::Value> = Vec::new();
            for &id in &hits {
                let l = net.location(id);
                let mut v = serde_json::to_value(LocationDto::new(l)).map_err(|e| fail(1, e.to_string()))?;
                v["in_network"] = true.into();
                if let Some((node, km)) = snapped(l.lat, l.lon) {
                    v["snapshot_node"] = serde_json::json!({"node": node, "km": (km * 100.0).round() / 100.0});
                }
                out.push(v);
            }
            for &id in &place_hits {
                let p = places.place(id);
                let mut v = serde_json::json!({
                    "id": p.code, "name": p.name, "country": p.country, "lat": p.lat, "lon": p.lon, "tz": p.tz,
                    "kinds": p.functions.names(), "platforms": [], "aliases": p.aliases().take(12).collect::<Vec<_>>(),
                    "population": p.population, "in_network": false,
                    "nearest_terminals": nearest(p.lat, p.lon).iter().map(|&(t, km)| serde_json::json!({
                        "id": net.location(t).code, "name": net.location(t).name, "km": km.round()
                    })).collect::<Vec<_>>(),
                });
                if let Some((node, km)) = snapped(p.lat, p.lon) {
                    v["snapshot_node"] = serde_json::json!({"node": node, "km": (km * 100.0).round() / 100.0});
                }
                out.push(v);
            }
            println!("{}", json(&out).map_err(|e| fail(1, e.to_string()))?);
        }
        Format::Csv | Format::Table => {
            let mut t = TextTable::new(&[
                ("id", Align::Left),
                ("name", Align::Left),
                ("country", Align::Left),
                ("kind", Align::Left),
                ("platforms", Align::Left),
                ("lat", Align::Right),
                ("lon", Align::Right),
                ("aliases / nearest terminals", Align::Left),
            ]);
            let mut csv = String::from("id,name,country,lat,lon,in_network\n");
            for &id in &hits {
                let l = net.location(id);
                t.row(vec![
                    l.code.clone(),
                    l.name.clone(),
                    l.country.clone(),
                    l.kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(","),
                    l.platforms.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(","),
                    format!("{:.3}", l.lat),
                    format!("{:.3}", l.lon),
                    l.aliases.join(", "),
                ]);
                csv.push_str(&format!(
                    "{},\"{}\",{},{},{},true\n",
                    l.code,
                    l.name.replace('"', "\"\""),
                    l.country,
                    l.lat,
                    l.lon
                ));
            }
            for &id in &place_hits {
                let p = places.place(id);
                let near: Vec<String> = nearest(p.lat, p.lon)
                    .iter()
                    .map(|&(t, km)| format!("{} {km:.0} km", net.location(t).name))
                    .collect();
                t.row(vec![
                    p.code.to_owned(),
                    p.name.to_owned(),
                    p.country.to_owned(),
                    p.functions.names().join(","),
                    "-".into(),
                    format!("{:.3}", p.lat),
                    format!("{:.3}", p.lon),
                    format!("not a corridor terminal; nearest: {}", near.join(", ")),
                ]);
                csv.push_str(&format!(
                    "{},\"{}\",{},{},{},false\n",
                    p.code,
                    p.name.replace('"', "\"\""),
                    p.country,
                    p.lat,
                    p.lon
                ));
            }
            if format == Format::Csv {
                print!("{csv}");
            } else {
                print!("{}", t.render());
            }
        }
    }
    Ok(())
}

fn validate(dir: Option<&PathBuf>) -> Result<(), Failure> {
    let files = match dir {
        Some(d) => DatasetFiles::from_dir(d).map_err(|e| fail(2, e.to_string()))?,
        None => DatasetFiles::embedded(),
    };
    let diags = match corridor_io::load(&files) {
        Ok(loaded) => {
            let n = &loaded.network;
            for d in &loaded.warnings {
                println!("{d}");
            }
            println!(
                "{}: OK: {} locations, {} links, {} transfers, {} border crossings, {} emission factors, {} sources, {} warning(s)",
                files.origin,
                n.locations.len(),
                n.links.len(),
                n.transfers.len(),
                n.borders.len(),
                n.emission_factors.len(),
                n.sources.len(),
                loaded.warnings.len()
            );
            return Ok(());
        }
        Err(d) => d,
    };
    for d in &diags {
        println!("{d}");
    }
    let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
    Err(fail(1, format!("{}: {errors} error(s), {} warning(s)", files.origin, diags.len() - errors)))
}
