//! `corridor`: multimodal freight routing and corridor comparison across Eurasia.
//!
//! Runs on the dataset embedded in the binary unless `--data DIR` names another one.
//! Exit codes: 0 success; 1 no route, or a dataset with errors; 2 bad input (unknown location,
//! invalid option).
//!
//! The layers, lowest first: `render` (text tables) and `args` (the command line as parsed, and
//! its conversion into the routing query); `common` (failures, loading, shared steps);
//! `output` (route, comparison and Pareto output); `detailed` and `combined` (the snapshot
//! backends); `commands` (one module per subcommand). This file parses, dispatches and maps a
//! [`Failure`] to the exit code.

mod args;
mod combined;
mod commands;
mod common;
mod detailed;
mod geoparquet;
mod output;
mod render;

use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command};
use common::Failure;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve(_)) {
        default_sigpipe();
    }
    common::set_quiet(cli.quiet);
    // The server's log (and any other tracing output): RUST_LOG wins over -v/-q.
    let level = match (cli.quiet, cli.verbose) {
        (true, _) => "error",
        (false, 0) => "info",
        (false, 1) => "debug",
        (false, _) => "trace",
    };
    corridor_server::init_logging_at(level);
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("error: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

/// Restores the default action of SIGPIPE, which Rust's runtime ignores: `corridor route ... |
/// head -1` then ends quietly when `head` closes the pipe, like any Unix filter, instead of
/// `println!` panicking on the broken pipe. Not for `serve`, whose sockets rely on the signal
/// being ignored (a client that disconnects must not end the server).
fn default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called once at the start of main, before any thread is spawned; SIG_DFL is a
    // valid disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// Runs the subcommand on the `--data` dataset or snapshot.
fn run(cli: Cli) -> Result<(), Failure> {
    let data = cli.data.as_ref();
    match cli.command {
        Command::Route(a) => commands::route::run(data, a),
        Command::Compare(a) => commands::compare::run(data, a),
        Command::Pareto(a) => commands::pareto::run(data, a),
        Command::Locations(a) => commands::locations::run(data, a),
        Command::Network(a) => commands::network::run(data, a),
        Command::Serve(a) => commands::serve::run(data, a),
        Command::Assign(a) => commands::assign::run(data, a),
        Command::Scenario(a) => commands::scenario::run(data, a),
        Command::Resilience(a) => commands::resilience::run(data, a),
        Command::Merge(a) => commands::merge::run(data, a),
        Command::Build(a) => commands::build::run(data, a),
        Command::Table(a) => commands::table::run(data, a),
        Command::Validate(a) => commands::validate::run(data, a),
        Command::Completions(a) => commands::docs::completions(data, a),
        Command::Man(a) => commands::docs::man(data, a),
    }
}
