//! Integration tests of corridor-io: validation diagnostics on seeded errors, the embedded
//! dataset, and golden exports.

mod embedded;
mod exports;
mod observations;
mod validate;

use std::path::Path;

use corridor_io::DatasetFiles;

/// The small fixture dataset under `tests/fixtures/mini`.
pub fn mini() -> DatasetFiles {
    DatasetFiles::from_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini")).expect("fixture")
}
