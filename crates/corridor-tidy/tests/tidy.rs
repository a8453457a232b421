//! The invariants ARCHITECTURE.md states, checked on the code (rust-analyzer's `tidy.rs` is the
//! model): crate layering, which crates may do I/O or know serde, and a `//!` doc on every file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The workspace crates from the bottom up: a crate may depend only on crates before it.
const LAYERS: [&str; 15] = [
    "corridor-dijkstra",
    "corridor-model",
    "corridor-search",
    "corridor-places",
    "corridor-routing",
    "corridor-cch",
    "corridor-snapshot",
    "corridor-io",
    "corridor-assign",
    "corridor-analytics",
    "corridor-parquet",
    "corridor-import",
    "corridor-server",
    "corridor-cli",
    "corridor-tidy",
];

/// The core of the pipeline: no I/O, no file formats, no JSON.
const CORE: [&str; 5] =
    ["corridor-dijkstra", "corridor-model", "corridor-search", "corridor-places", "corridor-routing"];

/// Crates that may read or write files, and why.
const FILE_IO: [(&str, &str); 9] = [
    ("corridor-io", "dataset loading"),
    ("corridor-import", "importers"),
    ("corridor-snapshot", "the snapshot file (format.rs)"),
    ("corridor-cch", "graph loaders of the benchmarks"),
    ("corridor-assign", "the TNTP reader"),
    ("corridor-parquet", "Parquet output"),
    ("corridor-server", "the API key file"),
    ("corridor-cli", "the binary"),
    ("corridor-analytics", "none today: allowed to read scenario files"),
];

/// Crates that may know serde_json (JSON in or out).
const JSON: [&str; 5] = ["corridor-io", "corridor-analytics", "corridor-import", "corridor-server", "corridor-cli"];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Per crate: its normal dependencies (names).
fn dependencies() -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(root().join("crates")).unwrap() {
        let dir = entry.unwrap().path();
        let Ok(text) = std::fs::read_to_string(dir.join("Cargo.toml")) else { continue };
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let mut deps = Vec::new();
        let mut section = String::new();
        for line in text.lines() {
            let line = line.trim();
            if line.starts_with('[') {
                section = line.to_owned();
                continue;
            }
            if section == "[dependencies]" && !line.is_empty() && !line.starts_with('#') {
                let dep = line.split(['=', '.', ' ']).next().unwrap().trim();
                deps.push(dep.to_owned());
            }
        }
        out.insert(name, deps);
    }
    out
}

/// Every `.rs` file under a directory.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn crates_depend_only_on_crates_below_them() {
    let deps = dependencies();
    assert_eq!(deps.len(), LAYERS.len(), "a crate is missing from LAYERS: {:?}", deps.keys().collect::<Vec<_>>());
    for (name, ds) in &deps {
        let level = LAYERS.iter().position(|l| l == name).unwrap_or_else(|| panic!("{name} is not in LAYERS"));
        for d in ds.iter().filter(|d| d.starts_with("corridor-")) {
            let dl = LAYERS.iter().position(|l| l == d).unwrap_or_else(|| panic!("{d} is not in LAYERS"));
            assert!(dl < level, "{name} depends on {d}, which is not below it");
        }
    }
}

#[test]
fn the_core_crates_know_no_file_formats_and_do_no_io() {
    let deps = dependencies();
    for c in CORE {
        for banned in ["serde", "serde_json", "csv", "toml", "memmap2", "osmpbf", "flate2", "axum", "tokio", "parquet"]
        {
            assert!(!deps[c].iter().any(|d| d == banned), "{c} depends on {banned}");
        }
    }
    let allowed: Vec<&str> = FILE_IO.iter().map(|(c, _)| *c).collect();
    for (name, ds) in &deps {
        if ds.iter().any(|d| d == "serde_json") {
            assert!(JSON.contains(&name.as_str()), "{name} depends on serde_json; only {JSON:?} may");
        }
        let mut files = Vec::new();
        rust_files(&root().join("crates").join(name).join("src"), &mut files);
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            for io in ["std::fs", "File::open", "File::create", "std::net::", "TcpListener"] {
                if text.contains(io) {
                    assert!(allowed.contains(&name.as_str()), "{} uses {io}; {name} may not do I/O", f.display());
                }
            }
        }
    }
}

#[test]
fn every_file_says_what_it_is() {
    let mut files = Vec::new();
    rust_files(&root().join("crates"), &mut files);
    let missing: Vec<String> = files
        .iter()
        .filter(|f| !f.components().any(|c| c.as_os_str() == "target"))
        .filter(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            !text.trim_start().starts_with("//!")
        })
        .map(|f| f.strip_prefix(root()).unwrap_or(f).display().to_string())
        .collect();
    assert!(missing.is_empty(), "files without a //! doc: {missing:?}");
}
