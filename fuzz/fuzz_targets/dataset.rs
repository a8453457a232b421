//! Fuzz target `dataset`: the dataset loader `corridor_io::load` on the small fixture dataset
//! (`crates/corridor-io/tests/fixtures/mini`, a few rows per file) with one file replaced.
//!
//! Input: byte 0 selects the file (`FILES[b % 10]`; `b >= 250` removes it instead), the rest is
//! its new text. Files are read as strict UTF-8 (`files::read_text` refuses anything else), so
//! non-UTF-8 inputs are skipped rather than converted.
//!
//! Asserts: no panic; `Ok`, or `Err` with at least one error diagnostic, each with a message.

#![no_main]

use std::sync::LazyLock;

use corridor_io::dataset::FILES;
use corridor_io::{DatasetFiles, Severity};
use libfuzzer_sys::fuzz_target;

/// The mini fixture, embedded so the target runs from any directory.
static BASE: LazyLock<DatasetFiles> = LazyLock::new(|| {
    macro_rules! mini {
        ($($name:literal),*) => {
            [$(($name, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../crates/corridor-io/tests/fixtures/mini/", $name)))),*]
        };
    }
    let files = mini!(
        "dataset.toml",
        "sources.csv",
        "emission_factors.csv",
        "locations.csv",
        "links.csv",
        "transfers.csv",
        "borders.csv",
        "geometry.csv"
    );
    let base = DatasetFiles {
        origin: "<fuzz mini>".to_string(),
        files: files.into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
    };
    // A base that does not load would make every input an early error and test nothing.
    assert!(corridor_io::load(&base).is_ok(), "the mini fixture loads");
    base
});

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let mut files = BASE.clone();
    let name = FILES[usize::from(sel) % FILES.len()];
    if sel >= 250 {
        files.files.remove(name);
    } else {
        files.files.insert(name.to_string(), text.to_string());
    }
    match corridor_io::load(&files) {
        Ok(loaded) => {
            // Warnings only: a loaded dataset has no error diagnostics.
            assert!(loaded.warnings.iter().all(|d| d.severity != Severity::Error));
        }
        Err(diags) => {
            assert!(diags.iter().any(|d| d.severity == Severity::Error), "refused without an error: {diags:?}");
            for d in &diags {
                assert!(!d.to_string().is_empty());
            }
        }
    }
});
