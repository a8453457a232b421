//! Builds the default corridor core (`data/eurasia`) from `../shared/data` and the overlay in
//! `data/eurasia/overlay/` (see `corridor_import::corebuild`).
//!
//! ```sh
//! cargo run --release -p corridor-import --example build_core -- ../shared/data data/eurasia
//! ```
//!
//! A third argument writes the output to another directory (copy the other dataset files there
//! to load it with `--data`). Writes `locations.csv`, `links.csv`, `borders.csv`,
//! `transfers.csv`, `geometry.csv`, `sources.csv` and `BUILD_REPORT.md`. Deterministic: the same
//! inputs give byte-identical files (a test of corridor-import holds the committed files to it).

use std::path::PathBuf;
use std::time::Instant;

use corridor_import::corebuild::{self, Config};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args_os().skip(1);
    let (Some(shared), Some(dataset)) = (args.next().map(PathBuf::from), args.next().map(PathBuf::from)) else {
        return Err("usage: build_core <shared data dir> <dataset dir> [output dir]".into());
    };
    // The output goes to the dataset directory unless another one is given (to try a change).
    let target = args.next().map_or_else(|| dataset.clone(), PathBuf::from);
    let t = Instant::now();
    let (built, read) = corebuild::build_dir(&shared, &dataset, &Config::default())?;
    eprintln!("{read}; built in {:.1} s", t.elapsed().as_secs_f64());
    std::fs::create_dir_all(&target)?;
    for (name, text) in &built.files {
        std::fs::write(target.join(name), text)?;
    }
    std::fs::write(target.join("BUILD_REPORT.md"), &built.report)?;
    println!("{}", built.report.lines().take(8).collect::<Vec<_>>().join("\n"));
    Ok(())
}
