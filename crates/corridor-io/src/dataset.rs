//! A dataset as named text files: read from a directory, or the default `eurasia` dataset
//! compiled into the binary so that it runs with no files around it.

use std::collections::BTreeMap;
use std::path::Path;

/// The files a dataset consists of. `dataset.toml`, `sources.csv`, `locations.csv` and
/// `links.csv` are required; the others are optional.
pub const FILES: [&str; 10] = [
    "dataset.toml",
    "sources.csv",
    "emission_factors.csv",
    "prices.csv",
    "locations.csv",
    "links.csv",
    "transfers.csv",
    "borders.csv",
    "geometry.csv",
    "services.csv",
];

/// The `origin` of the embedded default dataset.
pub const EMBEDDED_ORIGIN: &str = "<embedded eurasia>";

/// A dataset's files by name, with their contents.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DatasetFiles {
    /// Where the files came from (a directory, or `<embedded eurasia>`), for messages.
    pub origin: String,
    /// File name → contents. Files not present are absent from the map.
    pub files: BTreeMap<String, String>,
}

/// Why a dataset directory could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The directory does not exist or is not a directory.
    #[error("{0}: not a dataset directory (expected a directory with dataset.toml, locations.csv, links.csv, ...)")]
    NotADirectory(String),
    /// A file exists but cannot be read (permissions, not UTF-8, ...).
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
}

impl DatasetFiles {
    /// Reads the dataset files present in `dir`.
    pub fn from_dir(dir: &Path) -> Result<Self, ReadError> {
        if !dir.is_dir() {
            return Err(ReadError::NotADirectory(dir.display().to_string()));
        }
        let mut files = BTreeMap::new();
        for name in FILES {
            let path = dir.join(name);
            if path.exists() {
                let text = crate::files::read_text(&path, crate::files::MAX_TEXT_BYTES)
                    .map_err(|source| ReadError::Io { path: path.display().to_string(), source })?;
                files.insert(name.to_string(), text);
            }
        }
        Ok(DatasetFiles { origin: dir.display().to_string(), files })
    }

    /// The default dataset, embedded at build time from `data/eurasia/`.
    pub fn embedded() -> Self {
        macro_rules! embed {
            ($($name:literal),*) => {
                [$(($name, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/eurasia/", $name)))),*]
            };
        }
        let files = embed!(
            "dataset.toml",
            "sources.csv",
            "emission_factors.csv",
            "prices.csv",
            "locations.csv",
            "links.csv",
            "transfers.csv",
            "borders.csv",
            "geometry.csv",
            "services.csv"
        );
        DatasetFiles {
            origin: EMBEDDED_ORIGIN.to_string(),
            files: files.into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        }
    }

    /// The curated corridor network (`data/eurasia/overlay/curated/`, the hand-built network
    /// the core build starts from) with the default dataset's other files. The capacity
    /// assignment runs on it by default: its demand and capacities are given for these links,
    /// and the generated core's links have no capacity figures yet, so on the full core
    /// uncapacitated parallel paths would absorb the flows.
    pub fn embedded_curated() -> Self {
        macro_rules! curated {
            ($($name:literal),*) => {
                [$(($name, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/eurasia/overlay/curated/", $name)))),*]
            };
        }
        let mut out = DatasetFiles::embedded();
        out.origin = "<embedded curated eurasia>".to_string();
        for (k, v) in
            curated!("sources.csv", "locations.csv", "links.csv", "transfers.csv", "borders.csv", "geometry.csv")
        {
            out.files.insert(k.to_string(), v.to_string());
        }
        out
    }

    /// Contents of one file, if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.files.get(name).map(String::as_str)
    }
}

/// The assignment's inputs that a dataset directory may hold beside its network files.
pub const ASSIGNMENT_FILES: [&str; 2] = ["capacities.csv", "demand_2024.csv"];

/// A file a dataset directory may hold, with the path it was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedText {
    /// The path, for messages.
    pub path: String,
    /// The contents.
    pub text: String,
}

/// Reads `name` from `dir` if it exists (bounded by [`crate::files::MAX_TEXT_BYTES`]): `None`
/// when the directory has no such file, an error when it has one that cannot be read (an
/// unreadable capacity table is not an empty one). The assignment commands of the CLI and the
/// Python package read `capacities.csv` and `demand_2024.csv` of a dataset directory with it.
pub fn read_optional(dir: &Path, name: &str) -> Result<Option<NamedText>, ReadError> {
    let path = dir.join(name);
    if !path.exists() {
        return Ok(None);
    }
    let shown = path.display().to_string();
    crate::files::read_text(&path, crate::files::MAX_TEXT_BYTES)
        .map(|text| Some(NamedText { path: shown.clone(), text }))
        .map_err(|source| ReadError::Io { path: shown, source })
}
