//! Fuzz target `scenario`: scenario TOML (`corridor scenario diff`, `scenarios/*.toml`) parsed
//! with `corridor_analytics::Scenario::parse` and, when it parses, applied to the model the
//! assignment runs on (the embedded curated network and its capacity table, loaded once), which
//! resolves every location, link, border and transfer the scenario names and range-checks its
//! values.
//!
//! Input: the scenario text (non-UTF-8 inputs are skipped: files are read as strict UTF-8).
//! Asserts: no panic; errors carry a message.

#![no_main]

use std::sync::LazyLock;

use corridor_analytics::commands::default_inputs;
use corridor_analytics::{Model, Scenario, apply_model};
use libfuzzer_sys::fuzz_target;

/// The curated network with `capacities.csv`, as `corridor scenario diff` uses by default.
static MODEL: LazyLock<Model> = LazyLock::new(|| default_inputs().expect("the default model loads").0);

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match Scenario::parse(text) {
        Ok(sc) => {
            if let Err(e) = apply_model(&MODEL, &sc) {
                assert!(!e.to_string().is_empty());
            }
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
