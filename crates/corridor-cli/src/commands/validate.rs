//! `corridor validate`: check a dataset directory (every problem with file, line and field), or
//! a detailed snapshot file.

use std::path::PathBuf;

use corridor_io::{DatasetFiles, Severity};

use crate::args::ValidateArgs;
use crate::common::{Failure, fail};
use crate::detailed;

/// Runs `validate` on `DIR`, else `--data`, else the embedded dataset.
pub(crate) fn run(data: Option<&PathBuf>, args: ValidateArgs) -> Result<(), Failure> {
    let target = args.dir.as_ref().or(data);
    match target {
        Some(file) if file.is_file() => detailed::validate(file),
        _ => validate(target),
    }
}

/// A dataset directory (or the embedded dataset): its warnings and a summary line, or every
/// diagnostic and exit code 1 when it has errors.
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
