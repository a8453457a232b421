//! The command line as clap parses it (the low-level arguments: `Cli`, one `*Args` struct per
//! subcommand, the shared option groups and value enums), and the step to the high-level
//! request: `QueryOpts::to_query` into the routing API's `corridor_routing::Query`, and `check`
//! of that query against a backend.
//!
//! Nothing here loads data or prints; a usage error is returned as [`Usage`] (exit code 2).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use corridor_model::CargoUnit;
use corridor_routing::Param;
use corridor_search::Optimize;

/// The command line: the global `--data` and one subcommand.
#[derive(Parser)]
#[command(name = "corridor", version, about = "Plan freight routes and compare trade corridors across Eurasia", long_about = None)]
pub(crate) struct Cli {
    /// Dataset directory to use instead of the embedded `eurasia` network.
    #[arg(long, global = true, value_name = "DIR")]
    pub(crate) data: Option<PathBuf>,
    /// More log detail from `serve` and `build` (-v debug, -vv trace; RUST_LOG wins).
    #[arg(short, long, global = true, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    pub(crate) verbose: u8,
    /// Only errors on stderr: no notes, warnings, progress bars or server log below errors.
    #[arg(short, long, global = true)]
    pub(crate) quiet: bool,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The subcommands.
#[derive(Subcommand)]
pub(crate) enum Command {
    /// Best route between two locations, leg by leg.
    Route(RouteArgs),
    /// The best route of each corridor side by side, and which wins on each criterion.
    Compare(CompareArgs),
    /// Every Pareto-optimal route over time, cost and CO2e, sorted by time.
    Pareto(ParetoArgs),
    /// Search locations by id, name or alias (case- and diacritic-insensitive).
    Locations(LocationsArgs),
    /// The network's links with their geometry (GeoJSON, as `/v1/network`), as CSV, or a
    /// summary table by mode and corridor.
    Network(NetworkArgs),
    /// Serve the HTTP JSON API (and OSRM-compatible routing) on the dataset; with `--data
    /// X.corridor`, OSRM's route, table and nearest services on that detailed snapshot.
    Serve(ServeArgs),
    /// Assign demand to the network under capacity: the bottleneck table, corridor shares and
    /// totals. With --tntp-net/--tntp-trips: user equilibrium of any TNTP network.
    Assign(AssignArgs),
    /// Scenario analysis: `corridor scenario diff base scenarios/dostyk_closed.toml`.
    Scenario(ScenarioArgs),
    /// Criticality of each busy element: extra cost and unserved demand when it is lost.
    Resilience(ResilienceArgs),
    /// Merge the Parquet parts of a sharded job (`resilience --shard i/n --parquet part_i`)
    /// into the file the single run writes; every part must be there, once.
    Merge(MergeArgs),
    /// Build a detailed-network snapshot: a multimodal network from public sources (`--from`),
    /// or one plain graph from node/edge CSV.
    ///
    /// `--from ../shared/data` finds the OSM rail and road graphs, the searoute network and
    /// ports, UN/LOCODE and Natural Earth countries; `.osm.pbf` files may be given too. The
    /// curated dataset (embedded, or `--data DIR`) supplies dwell times, prices, ferries and
    /// gauge changes.
    Build(BuildArgs),
    /// Distance/time/cost table on a detailed snapshot: a batch of pairs or a matrix.
    Table(TableArgs),
    /// Check a dataset directory and print every problem with file, line and field.
    Validate(ValidateArgs),
    /// Print a shell completion script: `corridor completions bash > /etc/bash_completion.d/corridor`.
    Completions(CompletionsArgs),
    /// Print the man page (roff), or write one page per command into `--dir`.
    Man(ManArgs),
}

/// The arguments of `corridor completions`.
#[derive(Args)]
pub(crate) struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub(crate) shell: clap_complete::Shell,
}

/// The arguments of `corridor man`.
#[derive(Args)]
pub(crate) struct ManArgs {
    /// Write `corridor.1` and `corridor-<command>.1` for every command into this directory
    /// (created if missing) instead of printing `corridor.1`.
    #[arg(long, value_name = "DIR")]
    pub(crate) dir: Option<PathBuf>,
}

/// The arguments of `corridor route`.
#[derive(Args)]
pub(crate) struct RouteArgs {
    /// Origin: id, name or alias (e.g. "Xi'an", CNXIA, 西安).
    pub(crate) from: String,
    /// Destination.
    pub(crate) to: String,
    #[command(flatten)]
    pub(crate) opts: QueryOpts,
    /// Only this corridor's links (plus untagged feeders).
    #[arg(long)]
    pub(crate) corridor: Option<String>,
    /// Places to pass through, in order (ids or names, comma-separated or repeated; at most 8;
    /// not with --depart, --latest-arrival, --max-transshipments or --avoid-gauge-changes).
    #[arg(long, value_delimiter = ',', value_name = "LOC")]
    pub(crate) via: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub(crate) format: Format,
    /// Also write the legs as GeoParquet 1.1 (one row per leg with its line; zstd; the curated
    /// network only).
    #[arg(long, value_name = "FILE")]
    pub(crate) geoparquet: Option<PathBuf>,
    /// Options of a route on a detailed snapshot (`--data X.corridor`).
    #[command(flatten, next_help_heading = "On a detailed snapshot")]
    pub(crate) snap: RouteSnapOpts,
}

/// The arguments of `corridor compare`.
#[derive(Args)]
pub(crate) struct CompareArgs {
    /// Origin.
    pub(crate) from: String,
    /// Destination.
    pub(crate) to: String,
    #[command(flatten)]
    pub(crate) opts: QueryOpts,
    /// Places every route passes through, in order (ids or names, comma-separated or repeated;
    /// at most 8; not with --depart, --latest-arrival, --max-transshipments or
    /// --avoid-gauge-changes): each corridor's best route through them.
    #[arg(long, value_delimiter = ',', value_name = "LOC")]
    pub(crate) via: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub(crate) format: Format,
    /// Also write the comparison as GeoParquet 1.1 (one row per corridor with its route as one
    /// line; zstd; the curated network only).
    #[arg(long, value_name = "FILE")]
    pub(crate) geoparquet: Option<PathBuf>,
}

/// The arguments of `corridor pareto`.
#[derive(Args)]
pub(crate) struct ParetoArgs {
    /// Origin.
    pub(crate) from: String,
    /// Destination.
    pub(crate) to: String,
    #[command(flatten)]
    pub(crate) opts: QueryOpts,
    /// Only this corridor's links (plus untagged feeders).
    #[arg(long)]
    pub(crate) corridor: Option<String>,
    /// Collapse routes within this relative difference on every criterion (0 keeps all).
    #[arg(long, default_value_t = 0.02, value_name = "FRACTION")]
    pub(crate) collapse: f64,
    /// Output format (table, json or csv).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub(crate) format: Format,
}

/// The arguments of `corridor locations`.
#[derive(Args)]
pub(crate) struct LocationsArgs {
    /// Text to search; lists all locations when omitted.
    pub(crate) query: Option<String>,
    /// Output format (table, json or csv).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub(crate) format: Format,
}

/// The arguments of `corridor network`.
#[derive(Args)]
pub(crate) struct NetworkArgs {
    /// Only links of these corridors (comma-separated corridor ids).
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub(crate) corridor: Vec<String>,
    /// Only links of these modes (comma-separated: rail, road, sea, ferry).
    #[arg(long, value_delimiter = ',', value_name = "MODES")]
    pub(crate) mode: Vec<String>,
    /// Output format: table (a summary), geojson or csv (every link), json (= geojson).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub(crate) format: Format,
}

/// The arguments of `corridor serve`. Each option may also be set in a `--config` file; a
/// flag given on the command line wins over the file, the file over the default.
#[derive(Args)]
pub(crate) struct ServeArgs {
    /// TOML file with `[server]` (bind, api_key_file, cors, presets, eager) and `[limits]`
    /// (every request limit, durations in seconds); see docs/SERVER_CONFIG.md.
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, value_name = "ADDR")]
    pub(crate) bind: Option<std::net::SocketAddr>,
    /// File whose first line is the API key clients must send (x-api-key or Bearer).
    #[arg(long, value_name = "FILE")]
    pub(crate) api_key_file: Option<PathBuf>,
    /// Answer cross-origin browser requests (any origin).
    #[arg(long)]
    pub(crate) cors: bool,
    /// Requests doing work at once; more get 503 Overloaded [default: 64].
    #[arg(long, value_name = "N")]
    pub(crate) max_concurrent: Option<usize>,
    /// Time budget of one request, seconds (then 504 Timeout and the search stops)
    /// [default: 10].
    #[arg(long, value_name = "S")]
    pub(crate) time_budget: Option<f64>,
    /// Most labels of one multi-criteria search (departure times, pareto) or states of one
    /// resource-constrained search, about 100 bytes each; more: 422 TooComplex [default: 1000000].
    #[arg(long, value_name = "N")]
    pub(crate) max_labels: Option<usize>,
    /// Most coordinates of an OSRM /table/v1 request on a snapshot (as OSRM's flag)
    /// [default: 100].
    #[arg(long, value_name = "N")]
    pub(crate) max_table_size: Option<usize>,
    /// On a snapshot: the preset profiles to serve, of distance, time, p90, cost, co2 and
    /// balanced [default: all six]. Each costs one metric's memory once customized; any other
    /// name in a URL takes `time` (or the first preset listed when `time` is not).
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub(crate) presets: Vec<String>,
    /// On a snapshot: customize every preset before listening, instead of each on its first
    /// request (all memory up front; no slow first request per preset).
    #[arg(long)]
    pub(crate) eager: bool,
    /// A scenario TOML applied to the dataset on every load and reload: the API and the web
    /// map answer the what-if network (as `route --scenario`; /v1/dataset names it).
    #[arg(long, value_name = "FILE")]
    pub(crate) scenario: Option<PathBuf>,
}

/// The arguments of `corridor assign`.
#[derive(Args)]
pub(crate) struct AssignArgs {
    /// TNTP network file (`*_net.tntp`); switches to TNTP mode.
    #[arg(long, value_name = "FILE", requires = "tntp_trips")]
    pub(crate) tntp_net: Option<PathBuf>,
    /// TNTP demand file (`*_trips.tntp`).
    #[arg(long, value_name = "FILE", requires = "tntp_net")]
    pub(crate) tntp_trips: Option<PathBuf>,
    /// Target relative gap (TSTT - SPTT) / TSTT (TNTP mode; between 0 and 1).
    #[arg(long, default_value_t = 1e-4, requires = "tntp_net")]
    pub(crate) gap: f64,
    /// Iteration limit (TNTP mode; 1 to 1,000,000).
    #[arg(long, default_value_t = 10_000, requires = "tntp_net")]
    pub(crate) max_iter: usize,
    /// Write link flows: TNTP `_flow` order (from,to,volume,cost), or per-element CSV.
    #[arg(long, value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) analysis: AnalysisOpts,
    /// Rows of the bottleneck table (corridor network only).
    #[arg(long, default_value_t = 15, conflicts_with = "tntp_net")]
    pub(crate) top: usize,
    /// Write the flows as GeoJSON (line width = flow; corridor network only).
    #[arg(long, value_name = "FILE", conflicts_with = "tntp_net")]
    pub(crate) geojson: Option<PathBuf>,
    /// Write the per-element loads as Parquet (declared schema, zstd; corridor network only).
    #[arg(long, value_name = "FILE", conflicts_with = "tntp_net")]
    pub(crate) parquet: Option<PathBuf>,
    /// Write the link flows as GeoParquet 1.1 (one row per link with flow, with its line;
    /// corridor network only).
    #[arg(long, value_name = "FILE", conflicts_with = "tntp_net")]
    pub(crate) geoparquet: Option<PathBuf>,
    /// All-mode container market per OD cell for the corridor choice (default: the embedded
    /// `market_2024.csv`, or `DIR/market_2024.csv` with `--data DIR`).
    #[arg(long, value_name = "FILE", conflicts_with = "tntp_net")]
    pub(crate) market: Option<PathBuf>,
    /// Alternatives and observed volumes of the corridor choice (default: the embedded
    /// `choice_2024.toml`, or `DIR/choice_2024.toml` with `--data DIR`).
    #[arg(long, value_name = "FILE", conflicts_with = "tntp_net")]
    pub(crate) choice: Option<PathBuf>,
    /// Skip the corridor choice (the logit calibrated to observed volumes).
    #[arg(long, conflicts_with_all = ["market", "choice", "tntp_net"])]
    pub(crate) no_choice: bool,
}

/// The arguments of `corridor scenario`.
#[derive(Args)]
pub(crate) struct ScenarioArgs {
    #[command(subcommand)]
    pub(crate) action: ScenarioAction,
}

/// The arguments of `corridor resilience`.
#[derive(Args)]
pub(crate) struct ResilienceArgs {
    #[command(flatten)]
    pub(crate) analysis: AnalysisOpts,
    /// Close only the N busiest elements and print all N rows (default: every element with flow,
    /// the first 25 printed).
    #[arg(long, value_name = "N")]
    pub(crate) top_n: Option<usize>,
    /// Write the full ranking as CSV.
    #[arg(long, value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
    /// Write the ranking as Parquet (declared schema, zstd); with --shard, this part's rows.
    #[arg(long, value_name = "FILE")]
    pub(crate) parquet: Option<PathBuf>,
    /// Compute only part i of n (0-based) of the elements (ordered by base flow, cut to
    /// --top-n first): the parts of 0/n..n-1/n together are the whole ranking (`corridor
    /// merge`). Needs --parquet.
    #[arg(long, value_name = "I/N", requires = "parquet")]
    pub(crate) shard: Option<String>,
    /// USD per TEU left unserved when an element is lost: the loss a ranking sorts by counts it
    /// (about ten times the dearest corridor route per TEU on the default data).
    #[arg(long, value_name = "USD", default_value_t = 50_000.0)]
    pub(crate) unserved_penalty: f64,
}

/// The arguments of `corridor merge`.
#[derive(Args)]
pub(crate) struct MergeArgs {
    /// The merged file to write.
    #[arg(long, value_name = "FILE")]
    pub(crate) out: PathBuf,
    /// The parts (any order).
    #[arg(required = true, value_name = "PART")]
    pub(crate) parts: Vec<PathBuf>,
}

/// The arguments of `corridor build`.
#[derive(Args)]
pub(crate) struct BuildArgs {
    /// Input files or directories (see above).
    #[arg(long, num_args = 1.., value_name = "PATH", conflicts_with_all = ["nodes_csv", "edges_csv"])]
    pub(crate) from: Vec<PathBuf>,
    /// With --from: only these layers (rail, road, sea); all found by default.
    #[arg(long, value_delimiter = ',', value_name = "MODE")]
    pub(crate) modes: Vec<String>,
    /// With --from: build without the curated overlay (distances only, no dwell or prices).
    #[arg(long)]
    pub(crate) no_overlay: bool,
    /// With --from: join components of a layer to its main component when closer than this.
    #[arg(long, default_value_t = 2.0, value_name = "KM")]
    pub(crate) heal_km: f64,
    /// Nodes CSV (`id,lat,lon`; .gz allowed).
    #[arg(long, value_name = "FILE", requires = "edges_csv")]
    pub(crate) nodes_csv: Option<PathBuf>,
    /// Edges CSV (`u,v,km`, undirected; .gz allowed).
    #[arg(long, value_name = "FILE", requires = "nodes_csv")]
    pub(crate) edges_csv: Option<PathBuf>,
    /// With --nodes-csv: what the graph is (sets default speed and tariff): rail, road or other.
    #[arg(long, default_value = "rail")]
    pub(crate) mode: String,
    /// Output snapshot file.
    #[arg(long, value_name = "FILE")]
    pub(crate) out: PathBuf,
    /// Do not store the server's six preset metrics in the snapshot (a smaller file: each
    /// preset then costs a customization and its memory on a server's first request for it).
    #[arg(long)]
    pub(crate) no_presets: bool,
}

/// The arguments of `corridor table`.
#[derive(Args)]
pub(crate) struct TableArgs {
    /// CSV of pairs: `source,target` node ids, or `src_lat,src_lon,dst_lat,dst_lon`.
    #[arg(long, value_name = "FILE", conflicts_with = "points")]
    pub(crate) pairs: Option<PathBuf>,
    /// CSV of points (`node` or `lat,lon` per line): all-to-all matrix.
    #[arg(long, value_name = "FILE")]
    pub(crate) points: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) opts: TableOpts,
    /// Output format: csv or json.
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub(crate) format: Format,
    /// Also write the table as Parquet (zstd) to this file (pairs; a matrix in long format:
    /// source, target, value).
    #[arg(long, value_name = "FILE")]
    pub(crate) parquet: Option<PathBuf>,
    /// Compute only part i of n (0-based): the pairs, or the matrix's source rows, at positions
    /// i, i+n, i+2n, ...; `corridor merge` joins the parts' Parquet files into the single
    /// run's. Needs --parquet.
    #[arg(long, value_name = "I/N", requires = "parquet")]
    pub(crate) shard: Option<String>,
}

/// The arguments of `corridor validate`.
#[derive(Args)]
pub(crate) struct ValidateArgs {
    /// Dataset directory; the embedded dataset when omitted.
    pub(crate) dir: Option<PathBuf>,
    /// Score the model against published shipments instead: a CSV of dated, sourced runs and
    /// dwells (see data/validation/README.md); prints each case with the predicted P50/P90,
    /// whether it falls in [0.85 × P50, max(1.15 × P50, P90)], and the hit rate per family.
    #[arg(long, value_name = "FILE")]
    pub(crate) observations: Option<PathBuf>,
    /// Output format of the observations report.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table, requires = "observations")]
    pub(crate) format: ReportFormat,
}

/// Output formats of a report that has no geometry.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ReportFormat {
    Table,
    Json,
    Csv,
}

/// The subcommands of `scenario`.
#[derive(Subcommand)]
pub(crate) enum ScenarioAction {
    /// Assign base and scenario and report the deltas side by side.
    Diff {
        /// `base` (the data as it is) or a scenario TOML applied first.
        base: String,
        /// The scenario TOML.
        scenario: PathBuf,
        #[command(flatten)]
        analysis: AnalysisOpts,
    },
    /// Assign the base and each scenario, one row per scenario: its totals and their change
    /// against the base (a sweep; `--shard i/n` computes the scenarios at positions i, i+n, ...).
    Sweep {
        /// The scenario TOMLs.
        #[arg(required = true)]
        scenarios: Vec<PathBuf>,
        #[command(flatten)]
        analysis: AnalysisOpts,
        /// Write the rows as Parquet (declared schema); with --shard, this part's.
        #[arg(long, value_name = "FILE")]
        parquet: Option<PathBuf>,
        /// Compute only part i of n (0-based) of the scenarios; `corridor merge` joins the
        /// parts. Needs --parquet.
        #[arg(long, value_name = "I/N", requires = "parquet")]
        shard: Option<String>,
    },
}

/// The inputs of the analytics commands (`assign`, `scenario`, `resilience`).
#[derive(Args, Clone)]
pub(crate) struct AnalysisOpts {
    /// Demand CSV (`from,to,teu_year,src,notes[,corridor]`); default: the embedded 2024 demand.
    #[arg(long, value_name = "FILE")]
    pub(crate) demand: Option<PathBuf>,
    /// Capacities CSV; default: the embedded data/eurasia/capacities.csv.
    #[arg(long, value_name = "FILE")]
    pub(crate) capacities: Option<PathBuf>,
    /// Demand growth preset (titr-2025, titr-2029-target, uniform-1.5).
    #[arg(long, value_name = "NAME")]
    pub(crate) growth: Option<String>,
    /// Hard capacities (min-cost flow with unserved demand and shadow prices) instead of the
    /// congested equilibrium.
    #[arg(long)]
    pub(crate) hard_capacity: bool,
}

/// The route options of `route`, `compare` and `pareto`.
#[derive(Args, Clone)]
pub(crate) struct QueryOpts {
    /// What to minimise: time, cost, co2, balanced or p90.
    #[arg(long, default_value = "balanced", value_parser = parse_objective, value_name = "OBJECTIVE")]
    pub(crate) optimize: Objective,
    /// Container unit: teu or feu.
    #[arg(long, default_value = "teu", value_parser = parse_unit, value_name = "UNIT")]
    pub(crate) unit: Unit,
    /// Net cargo tonnes in the container (default: the dataset's payload for the unit).
    #[arg(long, value_name = "T", value_parser = |s: &str| Param::PayloadT.parse_number(s).map_err(Core))]
    pub(crate) payload_t: Option<f64>,
    /// The kind of train, for the rail border crossings: express (a container block train with
    /// priority, as the China–Europe expresses), regular (wagonload and regional container
    /// trains, which give way to the expresses) or auto (regular to or from Central Asia, else
    /// express).
    #[arg(long, default_value = "auto", value_name = "TRAFFIC", value_parser = |s: &str| Param::parse_traffic(s).map(TrafficArg).map_err(Core))]
    pub(crate) traffic: TrafficArg,
    /// Countries not to enter (ISO alpha-2, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "CC")]
    pub(crate) avoid_country: Vec<String>,
    /// Modes not to use: rail, road, sea, ferry.
    #[arg(long, value_delimiter = ',', value_name = "MODE")]
    pub(crate) avoid_mode: Vec<String>,
    /// Locations not to pass through (ids or names).
    #[arg(long, value_delimiter = ',', value_name = "LOC")]
    pub(crate) avoid_location: Vec<String>,
    /// Border crossings not to use (ids from borders.csv).
    #[arg(long, value_delimiter = ',', value_name = "ID")]
    pub(crate) avoid_border: Vec<String>,
    /// Value of time, USD per TEU-hour, for --optimize balanced.
    #[arg(long, value_name = "USD", value_parser = |s: &str| Param::ValueOfTime.parse_number(s).map_err(Core))]
    pub(crate) value_of_time: Option<f64>,
    /// Carbon price, USD per tonne CO2e, for --optimize balanced.
    #[arg(long, value_name = "USD", value_parser = |s: &str| Param::CarbonPrice.parse_number(s).map_err(Core))]
    pub(crate) carbon_price: Option<f64>,
    /// Departure time, ISO 8601 (2026-12-01T08:00+05:00; without an offset: local time at the
    /// origin). Makes the search wait for actual sailings and shows local arrival times.
    #[arg(long, value_name = "TIME")]
    pub(crate) depart: Option<String>,
    /// Latest acceptable arrival, ISO 8601 (needs --depart; without offset: local time at the
    /// destination).
    #[arg(long, value_name = "TIME")]
    pub(crate) latest_arrival: Option<String>,
    /// At most this many container lifts (transshipments and port handling).
    #[arg(long, value_name = "N", value_parser = |s: &str| Param::MaxTransshipments.parse_integer::<u32>(s).map_err(Core))]
    pub(crate) max_transshipments: Option<u32>,
    /// Forbid changes of rail gauge.
    #[arg(long)]
    pub(crate) avoid_gauge_changes: bool,
    /// Monte Carlo draws for the P50/P90/P95 arrival [default: 2000].
    #[arg(long, value_name = "N", value_parser = |s: &str| Param::Samples.parse_integer::<usize>(s).map_err(Core))]
    pub(crate) samples: Option<usize>,
    /// Random seed of the simulation (same seed, same answer) [default: 42].
    #[arg(long, value_name = "SEED", value_parser = |s: &str| Param::Seed.parse_integer::<u64>(s).map_err(Core))]
    pub(crate) seed: Option<u64>,
    /// A scenario TOML (as `corridor scenario`, e.g. scenarios/rasht_astara.toml) applied to the
    /// curated network before the search: closures, added places, links, transfers and
    /// crossings, dwell, tariff, speed and headway changes. Capacity changes act on the
    /// assignment only and are refused here.
    #[arg(long, value_name = "FILE")]
    pub(crate) scenario: Option<PathBuf>,
}

impl QueryOpts {
    /// Monte Carlo draws.
    pub(crate) fn samples(&self) -> usize {
        self.samples.unwrap_or(2000)
    }

    /// Simulation seed.
    pub(crate) fn seed(&self) -> u64 {
        self.seed.unwrap_or(42)
    }

    /// The one query of the routing API (`corridor-routing`): the flags are its CLI spelling.
    pub(crate) fn to_query(
        &self,
        from: &str,
        to: &str,
        corridor: Option<&str>,
        snap: Option<&RouteSnapOpts>,
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
            traffic: self.traffic.0,
            avoid_countries: self.avoid_country.clone(),
            avoid_modes: self.avoid_mode.clone(),
            avoid_locations: self.avoid_location.clone(),
            avoid_borders: self.avoid_border.clone(),
            via: Vec::new(),
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

    /// Checks the query for a backend, with its places to pass through (`route`, `compare`), in
    /// the command line's spelling. Every backend writes every format (its result is the one
    /// result type).
    pub(crate) fn check_via(
        &self,
        backend: corridor_routing::Backend,
        corridor: Option<&str>,
        snap: Option<&RouteSnapOpts>,
        via: &[String],
    ) -> Result<(), Usage> {
        // A scenario overlays the curated network: a snapshot has nothing it could change.
        if self.scenario.is_some() && backend != corridor_routing::Backend::Core {
            return Err(Usage("--scenario: on the curated network only (not with --data SNAPSHOT)".into()));
        }
        let q = corridor_routing::Query { via: via.to_vec(), ..self.to_query("", "", corridor, snap) };
        q.check(backend).map_err(|e| Usage(e.cli()))
    }
}

/// A command line that parses but asks for something the backend cannot do: the message of
/// a usage error (exit code 2).
pub(crate) struct Usage(pub(crate) String);

#[derive(ValueEnum, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Objective {
    Time,
    Cost,
    Co2,
    Balanced,
    /// Best 90th-percentile arrival (simulated over the Pareto candidates).
    P90,
}

/// `--traffic`: a kind of train, or `None` for auto (clap would take an `Option` field for an
/// optional flag).
#[derive(Clone, Copy, Debug)]
pub(crate) struct TrafficArg(pub(crate) Option<corridor_model::Traffic>);

/// `--unit`: the container unit.
#[derive(ValueEnum, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    Teu,
    Feu,
}

/// `--format`: how a result is written.
#[derive(ValueEnum, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Table,
    Json,
    Geojson,
    Csv,
}

/// Options shared by the detailed-network queries.
#[derive(Args, Clone, Debug)]
pub(crate) struct TableOpts {
    /// Refuse coordinates farther than this from the network, km.
    #[arg(long, default_value_t = 25.0, value_name = "KM")]
    pub(crate) snap_km: f64,
    /// Average commercial speed for the time column, km/h (default: 39.2 for rail, the
    /// Kazakhstan container-train average of 941 km/day, railfreight.com 2018; 22.5 for road,
    /// the dataset's EST-SPEED-ROAD).
    #[arg(long, value_name = "KMH")]
    pub(crate) speed_kmh: Option<f64>,
    /// Rate for the cost column, USD per tonne-km (default: CAREC 2022, 0.080 rail, 0.095 road).
    #[arg(long, value_name = "USD")]
    pub(crate) usd_per_tkm: Option<f64>,
    /// Cargo tonnes for the cost column.
    #[arg(long, default_value_t = 10.0, value_name = "T")]
    pub(crate) payload_t: f64,
    /// Which network a coordinate snaps to: road, rail, sea, terminal or any (default: road
    /// when the snapshot has roads — the first and last mile go by truck — else any).
    #[arg(long, value_name = "MODE")]
    pub(crate) snap: Option<String>,
    /// What each pair's path minimises: distance (the default: comparable with other
    /// engines' checksums), time, p90, cost or co2. The checksum line sums this weight.
    #[arg(long = "metric", default_value = "distance", value_name = "METRIC")]
    pub(crate) metric: String,
}

/// The snapshot options of `corridor route --data X.corridor` (payload comes from the route
/// options).
#[derive(Args, Clone, Debug)]
pub(crate) struct RouteSnapOpts {
    /// Refuse coordinates farther than this from the network, km [default: 25].
    #[arg(long, value_name = "KM", value_parser = |s: &str| Param::SnapKm.parse_number(s).map_err(Core))]
    pub(crate) snap_km: Option<f64>,
    /// Which network a coordinate snaps to: road, rail, sea, terminal or any (default: road
    /// when the snapshot has roads, else any).
    #[arg(long, value_name = "MODE")]
    pub(crate) snap: Option<String>,
    /// Override the running speed of rail, road and sea arcs, km/h.
    #[arg(long, value_name = "KMH", value_parser = |s: &str| Param::SpeedKmh.parse_number(s).map_err(Core))]
    pub(crate) speed_kmh: Option<f64>,
    /// Override the rate of rail, road and sea arcs, USD per tonne-km.
    #[arg(long, value_name = "USD", value_parser = |s: &str| Param::UsdPerTkm.parse_number(s).map_err(Core))]
    pub(crate) usd_per_tkm: Option<f64>,
}

/// A routing-API parse error as clap shows it: clap names the flag and the value (`invalid
/// value 'heavy' for '--payload-t <T>'`), this adds the routing API's words for what is
/// wrong, the same the server uses (`not a number`).
#[derive(Debug)]
pub(crate) struct Core(corridor_routing::QueryError);

impl std::fmt::Display for Core {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for Core {}

/// `--optimize`, parsed by the routing API.
fn parse_objective(s: &str) -> Result<Objective, Core> {
    Ok(match Param::parse_optimize(s).map_err(Core)? {
        Optimize::Time => Objective::Time,
        Optimize::Cost => Objective::Cost,
        Optimize::Co2 => Objective::Co2,
        Optimize::Balanced => Objective::Balanced,
        Optimize::P90 => Objective::P90,
    })
}

/// `--unit`, parsed by the routing API.
fn parse_unit(s: &str) -> Result<Unit, Core> {
    Ok(match Param::parse_unit(s).map_err(Core)? {
        CargoUnit::Teu => Unit::Teu,
        CargoUnit::Feu => Unit::Feu,
    })
}

impl RouteSnapOpts {
    /// As table options.
    pub(crate) fn into_table_opts(self) -> TableOpts {
        TableOpts {
            snap_km: self.snap_km.unwrap_or(25.0),
            snap: self.snap,
            speed_kmh: self.speed_kmh,
            usd_per_tkm: self.usd_per_tkm,
            ..TableOpts::default()
        }
    }
}

impl Default for TableOpts {
    fn default() -> Self {
        TableOpts {
            snap_km: 25.0,
            speed_kmh: None,
            usd_per_tkm: None,
            payload_t: 10.0,
            snap: None,
            metric: "distance".into(),
        }
    }
}
