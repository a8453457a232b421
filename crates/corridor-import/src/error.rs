//! Import errors: always name the file, and the line and field when the input is text.

use std::path::PathBuf;

/// Why an input could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A text row has a bad field.
    #[error("{path}:{line}: field {field}: {message}")]
    Field {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// Field name (or 1-based column).
        field: String,
        /// What is wrong.
        message: String,
    },
    /// The file is not in the expected format.
    #[error("{path}: {message}")]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

impl ImportError {
    /// A format error.
    pub fn format(path: impl Into<PathBuf>, message: impl Into<String>) -> ImportError {
        ImportError::Format { path: path.into(), message: message.into() }
    }

    /// A field error.
    pub fn field(path: impl Into<PathBuf>, line: usize, field: impl Into<String>, message: impl Into<String>) -> Self {
        ImportError::Field { path: path.into(), line, field: field.into(), message: message.into() }
    }
}

/// Reads a whole file, decompressing gzip when the name ends in `.gz`.
pub fn read_text(path: &std::path::Path) -> Result<String, ImportError> {
    use std::io::Read;
    let io = |source| ImportError::Io { path: path.to_path_buf(), source };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut text = String::new();
    if path.extension().is_some_and(|e| e == "gz") {
        flate2::read::MultiGzDecoder::new(std::io::BufReader::new(file)).read_to_string(&mut text).map_err(io)?;
    } else {
        std::io::BufReader::new(file).read_to_string(&mut text).map_err(io)?;
    }
    Ok(text)
}
