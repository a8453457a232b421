//! End-to-end tests of the `corridor` binary on the embedded dataset: published transit-time
//! bands, the Middle Corridor's gauge changes and ferry, constraints, errors and formats.

mod backends;
mod bands;
mod cli;
mod detailed;
mod parquet;

use std::process::{Command, Output};

/// Runs the binary with `args`.
pub fn corridor(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_corridor")).args(args).output().expect("run corridor")
}

/// Runs the binary and parses its stdout as JSON, asserting success.
#[track_caller]
pub fn json(args: &[&str]) -> serde_json::Value {
    let out = corridor(args);
    assert!(out.status.success(), "corridor {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("corridor {args:?}: not JSON ({e})"))
}
