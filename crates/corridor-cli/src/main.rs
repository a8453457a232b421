//! `corridor`: multimodal freight routing and corridor comparison across Eurasia.
//!
//! Runs on the dataset embedded in the binary unless `--data DIR` names another one.
//! Exit codes: 0 success; 1 no route, or a dataset with errors; 2 bad input (unknown location,
//! invalid option).

mod build;
mod combined;
mod detailed;
mod render;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use corridor_io::export::ReliabilityDto;
use corridor_io::export::{self, ComparisonDto, LocationDto, RouteDto};
use corridor_io::{DatasetFiles, Severity};
use corridor_model::{CargoUnit, Graph, LocationId, LocationIndex, Network};
use corridor_search::{Comparison, LegKind, Optimize, Reliability, Route, RouteRequest, Router};

use render::{Align, TextTable, num};

#[derive(Parser)]
#[command(name = "corridor", version, about = "Plan freight routes and compare trade corridors across Eurasia", long_about = None)]
struct Cli {
    /// Dataset directory to use instead of the embedded `eurasia` network.
    #[arg(long, global = true, value_name = "DIR")]
    data: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Best route between two locations, leg by leg.
    Route {
        /// Origin: id, name or alias (e.g. "Xi'an", CNXIA, 西安).
        from: String,
        /// Destination.
        to: String,
        #[command(flatten)]
        opts: QueryOpts,
        /// Only this corridor's links (plus untagged feeders).
        #[arg(long)]
        corridor: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Options of a route on a detailed snapshot (`--data X.corridor`).
        #[command(flatten, next_help_heading = "On a detailed snapshot")]
        snap: detailed::RouteSnapOpts,
    },
    /// The best route of each corridor side by side, and which wins on each criterion.
    Compare {
        /// Origin.
        from: String,
        /// Destination.
        to: String,
        #[command(flatten)]
        opts: QueryOpts,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Every Pareto-optimal route over time, cost and CO2e, sorted by time.
    Pareto {
        /// Origin.
        from: String,
        /// Destination.
        to: String,
        #[command(flatten)]
        opts: QueryOpts,
        /// Only this corridor's links (plus untagged feeders).
        #[arg(long)]
        corridor: Option<String>,
        /// Collapse routes within this relative difference on every criterion (0 keeps all).
        #[arg(long, default_value_t = 0.02, value_name = "FRACTION")]
        collapse: f64,
        /// Output format (table, json or csv).
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Search locations by id, name or alias (case- and diacritic-insensitive).
    Locations {
        /// Text to search; lists all locations when omitted.
        query: Option<String>,
        /// Output format (table, json or csv).
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Serve the HTTP JSON API (and OSRM-compatible routing) on the dataset; with `--data
    /// X.corridor`, OSRM's route, table and nearest services on that detailed snapshot.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
        bind: std::net::SocketAddr,
        /// File whose first line is the API key clients must send (x-api-key or Bearer).
        #[arg(long, value_name = "FILE")]
        api_key_file: Option<PathBuf>,
        /// Answer cross-origin browser requests (any origin).
        #[arg(long)]
        cors: bool,
        /// Requests doing work at once; more get 503 Overloaded.
        #[arg(long, default_value_t = 64, value_name = "N")]
        max_concurrent: usize,
        /// Time budget of one request, seconds (then 504 Timeout).
        #[arg(long, default_value_t = 10.0, value_name = "S")]
        time_budget: f64,
        /// Most coordinates of an OSRM /table/v1 request on a snapshot (as OSRM's flag).
        #[arg(long, default_value_t = 100, value_name = "N")]
        max_table_size: usize,
    },
    /// Assign demand to the network under capacity: the bottleneck table, corridor shares and
    /// totals. With --tntp-net/--tntp-trips: user equilibrium of any TNTP network.
    Assign {
        /// TNTP network file (`*_net.tntp`); switches to TNTP mode.
        #[arg(long, value_name = "FILE", requires = "tntp_trips")]
        tntp_net: Option<PathBuf>,
        /// TNTP demand file (`*_trips.tntp`).
        #[arg(long, value_name = "FILE", requires = "tntp_net")]
        tntp_trips: Option<PathBuf>,
        /// Target relative gap (TSTT - SPTT) / TSTT (TNTP mode).
        #[arg(long, default_value_t = 1e-4)]
        gap: f64,
        /// Iteration limit (TNTP mode).
        #[arg(long, default_value_t = 10_000)]
        max_iter: usize,
        /// Write link flows: TNTP `_flow` order (from,to,volume,cost), or per-element CSV.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        #[command(flatten)]
        analysis: AnalysisOpts,
        /// Rows of the bottleneck table.
        #[arg(long, default_value_t = 15)]
        top: usize,
        /// Write the flows as GeoJSON (line width = flow).
        #[arg(long, value_name = "FILE")]
        geojson: Option<PathBuf>,
        /// Write the per-element loads as Parquet (zstd).
        #[arg(long, value_name = "FILE")]
        parquet: Option<PathBuf>,
    },
    /// Scenario analysis: `corridor scenario diff base scenarios/dostyk_closed.toml`.
    Scenario {
        #[command(subcommand)]
        action: ScenarioAction,
    },
    /// Criticality of each busy element: extra cost and unserved demand when it is lost.
    Resilience {
        #[command(flatten)]
        analysis: AnalysisOpts,
        /// Only the N busiest elements (all by default).
        #[arg(long, value_name = "N")]
        top_n: Option<usize>,
        /// Write the full ranking as CSV.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Build a detailed-network snapshot: a multimodal network from public sources (`--from`),
    /// or one plain graph from node/edge CSV.
    ///
    /// `--from ../shared/data` finds the OSM rail and road graphs, the searoute network and
    /// ports, UN/LOCODE and Natural Earth countries; `.osm.pbf` files may be given too. The
    /// curated dataset (embedded, or `--data DIR`) supplies dwell times, prices, ferries and
    /// gauge changes.
    Build {
        /// Input files or directories (see above).
        #[arg(long, num_args = 1.., value_name = "PATH", conflicts_with_all = ["nodes_csv", "edges_csv"])]
        from: Vec<PathBuf>,
        /// With --from: only these layers (rail, road, sea); all found by default.
        #[arg(long, value_delimiter = ',', value_name = "MODE")]
        modes: Vec<String>,
        /// With --from: build without the curated overlay (distances only, no dwell or prices).
        #[arg(long)]
        no_overlay: bool,
        /// With --from: join components of a layer to its main component when closer than this.
        #[arg(long, default_value_t = 2.0, value_name = "KM")]
        heal_km: f64,
        /// Nodes CSV (`id,lat,lon`; .gz allowed).
        #[arg(long, value_name = "FILE", requires = "edges_csv")]
        nodes_csv: Option<PathBuf>,
        /// Edges CSV (`u,v,km`, undirected; .gz allowed).
        #[arg(long, value_name = "FILE", requires = "nodes_csv")]
        edges_csv: Option<PathBuf>,
        /// With --nodes-csv: what the graph is (sets default speed and tariff): rail, road or other.
        #[arg(long, default_value = "rail")]
        mode: String,
        /// Output snapshot file.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Distance/time/cost table on a detailed snapshot: a batch of pairs or a matrix.
    Table {
        /// CSV of pairs: `source,target` node ids, or `src_lat,src_lon,dst_lat,dst_lon`.
        #[arg(long, value_name = "FILE", conflicts_with = "points")]
        pairs: Option<PathBuf>,
        /// CSV of points (`node` or `lat,lon` per line): all-to-all matrix.
        #[arg(long, value_name = "FILE")]
        points: Option<PathBuf>,
        #[command(flatten)]
        opts: detailed::TableOpts,
        /// Output format: csv or json.
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
        /// Also write the table as Parquet (zstd) to this file (pairs; a matrix in long format:
        /// source, target, value).
        #[arg(long, value_name = "FILE")]
        parquet: Option<PathBuf>,
    },
    /// Check a dataset directory and print every problem with file, line and field.
    Validate {
        /// Dataset directory; the embedded dataset when omitted.
        dir: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum ScenarioAction {
    /// Assign base and scenario and report the deltas side by side.
    Diff {
        /// `base` (the data as it is) or a scenario TOML applied first.
        base: String,
        /// The scenario TOML.
        scenario: PathBuf,
        #[command(flatten)]
        analysis: AnalysisOpts,
    },
}

#[derive(Args, Clone)]
struct AnalysisOpts {
    /// Demand CSV (`from,to,teu_year,src,notes`); default: the embedded 2024 demand.
    #[arg(long, value_name = "FILE")]
    demand: Option<PathBuf>,
    /// Capacities CSV; default: the embedded data/eurasia/capacities.csv.
    #[arg(long, value_name = "FILE")]
    capacities: Option<PathBuf>,
    /// Demand growth preset (titr-2025, titr-2029-target, uniform-1.5).
    #[arg(long, value_name = "NAME")]
    growth: Option<String>,
    /// Hard capacities (min-cost flow with unserved demand and shadow prices) instead of the
    /// congested equilibrium.
    #[arg(long)]
    hard_capacity: bool,
}

#[derive(Args, Clone)]
struct QueryOpts {
    /// What to minimise.
    #[arg(long, value_enum, default_value_t = Objective::Balanced)]
    optimize: Objective,
    /// Container unit.
    #[arg(long, value_enum, default_value_t = Unit::Teu)]
    unit: Unit,
    /// Net cargo tonnes in the container (default: the dataset's payload for the unit).
    #[arg(long, value_name = "T")]
    payload_t: Option<f64>,
    /// Countries not to enter (ISO alpha-2, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "CC")]
    avoid_country: Vec<String>,
    /// Modes not to use: rail, road, sea, ferry.
    #[arg(long, value_delimiter = ',', value_name = "MODE")]
    avoid_mode: Vec<String>,
    /// Locations not to pass through (ids or names).
    #[arg(long, value_delimiter = ',', value_name = "LOC")]
    avoid_location: Vec<String>,
    /// Border crossings not to use (ids from borders.csv).
    #[arg(long, value_delimiter = ',', value_name = "ID")]
    avoid_border: Vec<String>,
    /// Value of time, USD per TEU-hour, for --optimize balanced.
    #[arg(long, value_name = "USD")]
    value_of_time: Option<f64>,
    /// Carbon price, USD per tonne CO2e, for --optimize balanced.
    #[arg(long, value_name = "USD")]
    carbon_price: Option<f64>,
    /// Departure time, ISO 8601 (2026-12-01T08:00+05:00; without an offset: local time at the
    /// origin). Makes the search wait for actual sailings and shows local arrival times.
    #[arg(long, value_name = "TIME")]
    depart: Option<String>,
    /// Latest acceptable arrival, ISO 8601 (needs --depart; without offset: local time at the
    /// destination).
    #[arg(long, value_name = "TIME")]
    latest_arrival: Option<String>,
    /// At most this many container lifts (transshipments and port handling).
    #[arg(long, value_name = "N")]
    max_transshipments: Option<u32>,
    /// Forbid changes of rail gauge.
    #[arg(long)]
    avoid_gauge_changes: bool,
    /// Monte Carlo draws for the P50/P90/P95 arrival [default: 2000].
    #[arg(long, value_name = "N")]
    samples: Option<usize>,
    /// Random seed of the simulation (same seed, same answer) [default: 42].
    #[arg(long, value_name = "SEED")]
    seed: Option<u64>,
}

impl QueryOpts {
    /// Monte Carlo draws.
    fn samples(&self) -> usize {
        self.samples.unwrap_or(2000)
    }

    /// Simulation seed.
    fn seed(&self) -> u64 {
        self.seed.unwrap_or(42)
    }

    /// The one query of the routing API (`corridor-routing`): the flags are its CLI spelling.
    fn to_query(
        &self,
        from: &str,
        to: &str,
        corridor: Option<&str>,
        snap: Option<&detailed::RouteSnapOpts>,
    ) -> corridor_routing::Query {
        corridor_routing::Query {
            from: from.to_owned(),
            to: to.to_owned(),
            optimize: match self.optimize {
                Objective::Time => Optimize::Time,
                Objective::Cost => Optimize::Cost,
                Objective::Co2 => Optimize::Co2,
                Objective::Balanced => Optimize::Balanced,
                Objective::P90 => Optimize::P90,
            },
            unit: match self.unit {
                Unit::Teu => CargoUnit::Teu,
                Unit::Feu => CargoUnit::Feu,
            },
            payload_t: self.payload_t,
            avoid_countries: self.avoid_country.clone(),
            avoid_modes: self.avoid_mode.clone(),
            avoid_locations: self.avoid_location.clone(),
            avoid_borders: self.avoid_border.clone(),
            corridor: corridor.map(str::to_owned),
            value_of_time: self.value_of_time,
            carbon_price: self.carbon_price,
            depart: self.depart.clone(),
            latest_arrival: self.latest_arrival.clone(),
            max_transshipments: self.max_transshipments,
            avoid_gauge_changes: self.avoid_gauge_changes,
            samples: self.samples,
            seed: self.seed,
            snap: snap.and_then(|s| s.snap.clone()),
            snap_km: snap.and_then(|s| s.snap_km),
            speed_kmh: snap.and_then(|s| s.speed_kmh),
            usd_per_tkm: snap.and_then(|s| s.usd_per_tkm),
        }
    }

    /// Checks the query for a backend, in the command line's spelling.
    fn check(
        &self,
        backend: corridor_routing::Backend,
        corridor: Option<&str>,
        snap: Option<&detailed::RouteSnapOpts>,
        format: Format,
    ) -> Result<(), Failure> {
        self.to_query("", "", corridor, snap).check(backend).map_err(|e| fail(2, e.cli()))?;
        if backend != corridor_routing::Backend::Core && format == Format::Csv {
            return Err(fail(
                2,
                "--format csv is not supported with --data SNAPSHOT: a snapshot route is written as table, json or geojson",
            ));
        }
        Ok(())
    }
}

#[derive(ValueEnum, Clone, Copy, PartialEq, Eq)]
enum Objective {
    Time,
    Cost,
    Co2,
    Balanced,
    /// Best 90th-percentile arrival (simulated over the Pareto candidates).
    P90,
}

#[derive(ValueEnum, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Teu,
    Feu,
}

#[derive(ValueEnum, Clone, Copy, PartialEq, Eq)]
enum Format {
    Table,
    Json,
    Geojson,
    Csv,
}

/// A user-facing failure with its exit code.
pub(crate) struct Failure {
    code: u8,
    message: String,
}

pub(crate) fn fail(code: u8, message: impl Into<String>) -> Failure {
    Failure { code, message: message.into() }
}

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

/// The route options that apply on a detailed snapshot; the others are refused with a reason.
fn detailed_query(o: &QueryOpts) -> Result<detailed::DetailedQuery, Failure> {
    use corridor_snapshot::{ArcKind, Objective as O};
    if o.depart.is_some() || o.latest_arrival.is_some() || o.max_transshipments.is_some() {
        return Err(fail(
            2,
            "--latest-arrival and --max-transshipments apply on the curated network only (without --data SNAPSHOT); --depart on a snapshot combines the detailed first and last mile with the timetabled curated network",
        ));
    }
    let defaults = &load(None)?.defaults;
    let balanced = O::Balanced {
        value_of_time_usd_h: o.value_of_time.unwrap_or(defaults.value_of_time_usd_per_teu_hour.value)
            * if o.unit == Unit::Feu { 2.0 } else { 1.0 },
        carbon_usd_t: o.carbon_price.unwrap_or(defaults.carbon_price_usd_per_t.value),
    };
    let objective = match o.optimize {
        Objective::Time => O::Time,
        Objective::P90 => O::TimeP90,
        Objective::Cost => O::Cost,
        Objective::Co2 => O::Co2,
        Objective::Balanced => balanced,
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
    Ok(detailed::DetailedQuery {
        objective,
        balanced,
        payload_t: Some(payload),
        avoid_countries: o.avoid_country.iter().map(|c| c.to_uppercase()).collect(),
        avoid_kinds,
    })
}

fn load(data: Option<&PathBuf>) -> Result<Network, Failure> {
    let files = match data {
        Some(dir) => DatasetFiles::from_dir(dir).map_err(|e| fail(2, e.to_string()))?,
        None => DatasetFiles::embedded(),
    };
    match corridor_io::load(&files) {
        Ok(loaded) => Ok(loaded.network),
        Err(diags) => {
            let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
            for d in diags.iter().filter(|d| d.severity == Severity::Error).take(20) {
                eprintln!("{d}");
            }
            Err(fail(
                1,
                format!("dataset {} has {errors} error(s); run `corridor validate` for the full list", files.origin),
            ))
        }
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Validate { dir } if dir.as_ref().or(cli.data.as_ref()).is_some_and(|d| d.is_file()) => {
            detailed::validate(dir.as_ref().or(cli.data.as_ref()).expect("checked"))
        }
        Command::Validate { dir } => validate(dir.as_ref().or(cli.data.as_ref())),
        Command::Build { from, modes, no_overlay, heal_km, nodes_csv, edges_csv, mode, out } => {
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
        Command::Table { pairs, points, opts, format, parquet } => {
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
        Command::Route { from, to, format, opts, snap, corridor } if cli.data.as_ref().is_some_and(|d| d.is_file()) => {
            let data = cli.data.as_ref().expect("checked");
            let backend = if opts.depart.is_some() {
                corridor_routing::Backend::Combined
            } else {
                corridor_routing::Backend::Detailed
            };
            opts.check(backend, corridor.as_deref(), Some(&snap), format)?;
            if opts.depart.is_some() {
                let q = detailed_query(&QueryOpts { depart: None, latest_arrival: None, ..opts.clone() })?;
                let net = load(None)?;
                return combined::route(data, &net, &from, &to, &snap.into_table_opts(), &q, &opts, format);
            }
            let q = detailed_query(&opts)?;
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
        Command::Assign { tntp_net: None, out, analysis, top, geojson, parquet, .. } => {
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
        Command::Scenario { action: ScenarioAction::Diff { base, scenario, analysis } } => {
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
        Command::Resilience { analysis, top_n, out } => {
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
        Command::Assign { tntp_net: Some(tntp_net), tntp_trips, gap, max_iter, out, .. } => {
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
        Command::Serve { bind, api_key_file, cors, max_concurrent, time_budget, max_table_size } => {
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
        Command::Locations { query, format } if cli.data.as_ref().is_some_and(|d| d.is_file()) => {
            let engine = corridor_snapshot::Engine::load(cli.data.as_ref().expect("checked"))
                .map_err(|e| fail(2, e.to_string()))?;
            locations(&load(None)?, query.as_deref().unwrap_or(""), format, Some(&engine))
        }
        Command::Locations { query, format } => {
            let net = load(cli.data.as_ref())?;
            locations(&net, query.as_deref().unwrap_or(""), format, None)
        }
        Command::Route { from, to, opts, corridor, format, snap } => {
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
        Command::Pareto { .. } if cli.data.as_ref().is_some_and(|d| d.is_file()) => Err(fail(
            2,
            "pareto is not supported with --data SNAPSHOT: the detailed network is searched for one objective at a time (use compare for the best route per objective, or pareto without --data SNAPSHOT)",
        )),
        Command::Pareto { from, to, opts, corridor, collapse, format } => {
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
        Command::Compare { from, to, opts, format } if cli.data.as_ref().is_some_and(|d| d.is_file()) => {
            opts.check(corridor_routing::Backend::Detailed, None, None, format)?;
            let q = detailed_query(&opts)?;
            let snap = detailed::RouteSnapOpts { snap_km: None, snap: None, speed_kmh: None, usd_per_tkm: None };
            detailed::compare(cli.data.as_ref().expect("checked"), &from, &to, &snap.into_table_opts(), &q, format)
        }
        Command::Compare { from, to, opts, format } => {
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

/// The network, capacities and demand for the analytics commands.
fn analysis_inputs(
    data: Option<&PathBuf>,
    o: &AnalysisOpts,
) -> Result<(corridor_analytics::Model, corridor_analytics::Demand, corridor_analytics::commands::AssignMethod), Failure>
{
    use corridor_analytics::{DEFAULT_CAPACITIES_CSV, DEFAULT_DEMAND_CSV, Demand, Growth};
    let read = |p: &Path| std::fs::read_to_string(p).map_err(|e| fail(2, format!("{}: {e}", p.display())));
    let files = match data {
        Some(d) => DatasetFiles::from_dir(d).map_err(|e| fail(2, e.to_string()))?,
        None => DatasetFiles::embedded(),
    };
    let caps = match &o.capacities {
        Some(p) => read(p)?,
        None if data.is_some() => read(&data.expect("some").join("capacities.csv")).unwrap_or_default(),
        None => DEFAULT_CAPACITIES_CSV.to_string(),
    };
    let model = corridor_analytics::commands::load_model(&files, (!caps.is_empty()).then_some(caps.as_str()))
        .map_err(|e| fail(1, e.to_string()))?;
    let (name, text) = match &o.demand {
        Some(p) => (p.display().to_string(), read(p)?),
        None => ("demand_2024.csv".to_string(), DEFAULT_DEMAND_CSV.to_string()),
    };
    let mut demand = Demand::parse(&model.network, &name, &text)
        .map_err(|errs| fail(2, errs.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")))?;
    if let Some(g) = &o.growth {
        let presets = Growth::presets();
        let growth = presets.iter().find(|p| p.name == *g).ok_or_else(|| {
            let names: Vec<&str> = presets.iter().map(|p| p.name.as_str()).collect();
            fail(2, format!("--growth {g:?}: unknown preset (known: {})", names.join(", ")))
        })?;
        demand = demand.grown(growth);
    }
    let method = if o.hard_capacity {
        corridor_analytics::commands::AssignMethod::HardCapacity
    } else {
        corridor_analytics::commands::AssignMethod::Equilibrium
    };
    Ok((model, demand, method))
}

fn corridor_id(net: &Network, corridor: Option<String>) -> Result<Option<corridor_model::CorridorId>, Failure> {
    corridor
        .map(|c| {
            net.corridor_by_code(&c).ok_or_else(|| {
                let known: Vec<&str> = net.corridors.iter().map(|c| c.code.as_str()).collect();
                fail(2, format!("unknown corridor {c:?} (known: {})", known.join(", ")))
            })
        })
        .transpose()
}

/// Steps 1, 2 and 4 of the pipeline: both places resolved, and the network joined to the
/// places outside it by estimated access and egress legs; with one note per such place.
fn prepare<'a>(
    net: &'a Network,
    from: &str,
    to: &str,
) -> Result<(corridor_routing::Prepared<'a>, Vec<String>), Failure> {
    let resolver = corridor_routing::Resolver::new(net);
    let resolve = |text: &str, what: &str| resolver.resolve(text).map_err(|e| fail(2, format!("{what}: {e}")));
    let (a, b) = (resolve(from, "origin")?, resolve(to, "destination")?);
    let prepared = corridor_routing::prepare(net, &a.endpoint, &b.endpoint).map_err(|e| fail(1, e.to_string()))?;
    let notes = prepared.access.iter().map(|x| x.describe(&prepared.network)).collect();
    Ok((prepared, notes))
}

/// Step 3's request on the core network between two of its locations.
fn request(net: &Network, from: LocationId, to: LocationId, o: &QueryOpts) -> Result<RouteRequest, Failure> {
    o.to_query("", "", None, None).core_request(net, from, to).map_err(|e| fail(2, e.cli()))
}

fn json(v: &impl serde::Serialize) -> Result<String> {
    serde_json::to_string_pretty(v).context("serializing JSON")
}

fn print_route(
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

fn print_pareto(
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

fn print_comparison(
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

fn short_reason(e: &corridor_search::RouteError) -> String {
    match e {
        corridor_search::RouteError::NoRoute { reason_text, .. } => reason_text.clone(),
        other => other.to_string(),
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
