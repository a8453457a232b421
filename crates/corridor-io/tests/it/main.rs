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

/// The mini dataset with `backlog_*` columns in `links.csv`: `ferry` gives the ferry f-bs-c's
/// five cells (`direction,p,mean,p90,src`), every other link has none; `oneway` is the
/// ferry's flag. The columns go at the end of each line: a CSV is read by its header.
pub fn mini_with_ferry_backlog(ferry: &str, oneway: &str) -> DatasetFiles {
    let mut files = mini();
    let text = files.files.get_mut("links.csv").expect("file");
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let cells = match i {
            0 => "backlog_direction,backlog_p,backlog_mean_h,backlog_p90_h,backlog_src",
            _ if line.starts_with("f-bs-c,") => ferry,
            _ => ",,,,",
        };
        let line = if line.starts_with("f-bs-c,") {
            line.replacen(",ferry,,", &format!(",ferry,{oneway},"), 1)
        } else {
            line.to_owned()
        };
        out.push_str(&format!("{line},{cells}\n"));
    }
    *text = out;
    files
}
