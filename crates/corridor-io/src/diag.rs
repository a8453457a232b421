//! Problems found in a dataset, each pinned to a file, a line and a field.

use std::fmt;

/// How bad a problem is.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum Severity {
    /// The dataset cannot be used as it is.
    Error,
    /// Suspicious but usable.
    Warning,
}

/// One problem in a dataset.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// File name within the dataset directory.
    pub file: String,
    /// 1-based line number, where it applies to one line.
    pub line: Option<usize>,
    /// Column or key, where it applies to one field.
    pub field: Option<String>,
    /// What is wrong, naming the offending value.
    pub message: String,
}

impl Diagnostic {
    /// An error at `file:line`, field `field`.
    pub fn error(file: &str, line: Option<usize>, field: Option<&str>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.to_string(),
            line,
            field: field.map(str::to_string),
            message: message.into(),
        }
    }

    /// A warning at `file:line`, field `field`.
    pub fn warning(file: &str, line: Option<usize>, field: Option<&str>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(file, line, field, message) }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": {sev}")?;
        if let Some(field) = &self.field {
            write!(f, " [{field}]")?;
        }
        write!(f, ": {}", self.message)
    }
}
