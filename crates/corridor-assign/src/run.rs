//! End-to-end TNTP runs: read, assign, report, write flows. The glue for `corridor assign`.
//!
//! [`run_tntp`] is what the CLI calls; [`write_flows_csv`] writes the result in the `_flow`
//! file's link order with its `from`/`to` columns, so the output can be diffed against the
//! best-known solution row by row; [`Report`] is the summary the CLI prints.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::assign::{AssignConfig, AssignError, Assignment, assign};
use crate::tntp::{ReadError, TntpNetwork, TntpTrips, read_net, read_trips};

/// Everything that can go wrong in a TNTP run. Zone ids here are the files' (1-based).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or parsed.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The trips file and the network file disagree on the number of zones.
    #[error("{trips}: {trips_zones} zones, but {net} has {net_zones}")]
    Zones {
        /// The trips file.
        trips: String,
        /// Its `<NUMBER OF ZONES>`.
        trips_zones: usize,
        /// The network file.
        net: String,
        /// Its `<NUMBER OF ZONES>`.
        net_zones: usize,
    },
    /// Two zones with demand between them are not connected.
    #[error("no path from zone {origin} to zone {destination}, which have demand between them")]
    NoPath {
        /// Origin zone id.
        origin: usize,
        /// Destination zone id.
        destination: usize,
    },
    /// Another assignment failure (bad settings).
    #[error(transparent)]
    Assign(AssignError),
    /// Travel times left `f64`'s range (extreme demand against tiny capacities).
    #[error(
        "the assignment diverged: total travel time {tstt}, relative gap {gap} (check the capacities and the demand)"
    )]
    Diverged {
        /// Total system travel time.
        tstt: f64,
        /// Relative gap.
        gap: f64,
    },
    /// The output file could not be written.
    #[error("{}: {source}", path.display())]
    Write {
        /// The output file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
}

/// Summary of a run, for printing and for benchmark tables.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// Links, nodes and zones of the network.
    pub links: usize,
    /// Number of nodes.
    pub nodes: usize,
    /// Number of zones.
    pub zones: usize,
    /// Total demand between distinct zones.
    pub total_demand: f64,
    /// Iterations (all-or-nothing assignments, as AequilibraE counts them).
    pub iterations: usize,
    /// Final relative gap `(TSTT − SPTT) / TSTT`.
    pub relative_gap: f64,
    /// Whether the target gap was reached.
    pub converged: bool,
    /// Total system travel time (flow × time summed over links, in the file's time unit).
    pub tstt: f64,
    /// Time spent reading and checking the files.
    pub read_time: Duration,
    /// Time spent in the assignment.
    pub assign_time: Duration,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "network        {} links, {} nodes, {} zones", self.links, self.nodes, self.zones)?;
        writeln!(f, "demand         {:.1}", self.total_demand)?;
        writeln!(
            f,
            "iterations     {}{}",
            self.iterations,
            if self.converged { "" } else { " (iteration limit reached before the target gap)" }
        )?;
        writeln!(f, "relative gap   {:.3e}", self.relative_gap)?;
        writeln!(f, "TSTT           {:.6e}", self.tstt)?;
        write!(
            f,
            "wall time      {:.3} s assignment + {:.3} s reading",
            self.assign_time.as_secs_f64(),
            self.read_time.as_secs_f64()
        )
    }
}

/// The outcome of [`run_tntp`]: the parsed network, the assignment and its summary.
#[derive(Clone, Debug)]
pub struct TntpResult {
    /// The network as read (file node ids, link order).
    pub network: TntpNetwork,
    /// The equilibrium (per-link vectors in the file's link order).
    pub assignment: Assignment,
    /// The summary.
    pub report: Report,
}

/// Reads a TNTP network and trip table and solves the user equilibrium by bi-conjugate
/// Frank–Wolfe to relative gap `gap`, or for at most `max_iter` iterations.
///
/// # Example
///
/// ```no_run
/// use std::path::Path;
/// let r = corridor_assign::run_tntp(
///     Path::new("SiouxFalls_net.tntp"),
///     Path::new("SiouxFalls_trips.tntp"),
///     1e-4,
///     1000,
/// )?;
/// println!("{}", r.report);
/// corridor_assign::write_flows_csv(std::io::stdout().lock(), &r)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn run_tntp(net: &Path, trips: &Path, gap: f64, max_iter: usize) -> Result<TntpResult, Error> {
    let config = AssignConfig { target_gap: gap, max_iterations: max_iter, ..AssignConfig::default() };
    run_tntp_with(net, trips, &config)
}

/// [`run_tntp`] with every assignment setting (algorithm, per-origin flows).
pub fn run_tntp_with(net_path: &Path, trips_path: &Path, config: &AssignConfig) -> Result<TntpResult, Error> {
    let start = Instant::now();
    let tntp = read_net(net_path)?;
    let TntpTrips { od, .. } = read_trips(trips_path)?;
    if od.zones() != tntp.num_zones {
        return Err(Error::Zones {
            trips: trips_path.display().to_string(),
            trips_zones: od.zones(),
            net: net_path.display().to_string(),
            net_zones: tntp.num_zones,
        });
    }
    let net = tntp.to_network()?;
    let read_time = start.elapsed();

    let start = Instant::now();
    let assignment = assign(&net, &od, config).map_err(|e| match e {
        AssignError::NoPath { origin, destination } => {
            Error::NoPath { origin: origin + 1, destination: destination + 1 }
        }
        other => Error::Assign(other),
    })?;
    let assign_time = start.elapsed();
    if !(assignment.tstt.is_finite() && assignment.relative_gap.is_finite()) {
        return Err(Error::Diverged { tstt: assignment.tstt, gap: assignment.relative_gap });
    }

    let report = Report {
        links: net.links().len(),
        nodes: net.num_nodes(),
        zones: net.num_zones(),
        total_demand: od.total(),
        iterations: assignment.iterations,
        relative_gap: assignment.relative_gap,
        converged: assignment.converged,
        tstt: assignment.tstt,
        read_time,
        assign_time,
    };
    Ok(TntpResult { network: tntp, assignment, report })
}

/// Writes `from,to,volume,cost` rows, one per link in the `_net` (and `_flow`) file's order,
/// with the file's node ids.
///
/// Numbers use Rust's shortest round-trip formatting, so equal results give byte-identical
/// files and reading them back loses nothing.
pub fn write_flows_csv<W: Write>(mut out: W, result: &TntpResult) -> std::io::Result<()> {
    writeln!(out, "from,to,volume,cost")?;
    let a = &result.assignment;
    for ((l, x), t) in result.network.links.iter().zip(&a.flows).zip(&a.times) {
        writeln!(out, "{},{},{},{}", l.from, l.to, x, t)?;
    }
    out.flush()
}

/// Arguments of `corridor assign` on TNTP files, free of any CLI library.
#[derive(Clone, Debug, PartialEq)]
pub struct AssignArgs {
    /// `--tntp-net`: the `_net.tntp` file.
    pub net: PathBuf,
    /// `--tntp-trips`: the `_trips.tntp` file.
    pub trips: PathBuf,
    /// `--gap`: target relative gap (1e-4 is the usual choice).
    pub gap: f64,
    /// `--max-iter`: iteration limit.
    pub max_iter: usize,
    /// `--out`: where to write the flows CSV, if anywhere.
    pub out: Option<PathBuf>,
}

/// Runs `corridor assign --tntp-net F --tntp-trips F --gap G [--max-iter N] [--out flows.csv]`:
/// assigns, writes the CSV if asked, and returns the report for the binary to print.
///
/// An unconverged run (iteration limit) is not an error; the caller can check
/// [`Report::converged`] to choose an exit code.
pub fn cli_main(args: AssignArgs) -> Result<Report, Error> {
    let result = run_tntp(&args.net, &args.trips, args.gap, args.max_iter)?;
    if let Some(path) = &args.out {
        let write = |path: &Path| -> std::io::Result<()> {
            let file = std::fs::File::create(path)?;
            write_flows_csv(std::io::BufWriter::new(file), &result)
        };
        write(path).map_err(|source| Error::Write { path: path.clone(), source })?;
    }
    Ok(result.report)
}
