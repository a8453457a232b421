//! The small CSV reader shared by `demand_*.csv` and `capacities.csv`: header check, comment
//! lines, and errors with `file:line:field` like the dataset loader's diagnostics.

use std::fmt;

use corridor_model::Network;

/// A problem in an input file, located by file, 1-based line and field.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub struct DataError {
    /// File name.
    pub file: String,
    /// 1-based line number (0 when the problem concerns the whole file).
    pub line: usize,
    /// Column name, empty when the problem concerns the whole row or file.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.field, self.message)
    }
}

/// One data row during parsing.
pub(crate) struct Row<'a> {
    file: &'a str,
    line: usize,
    header: &'a [String],
    record: &'a csv::StringRecord,
}

impl Row<'_> {
    /// The trimmed cell of `field` ("" when absent).
    pub(crate) fn get(&self, field: &str) -> &str {
        self.header.iter().position(|h| h == field).and_then(|i| self.record.get(i)).unwrap_or("").trim()
    }

    /// An error at this row and `field`.
    pub(crate) fn error(&self, field: &str, message: impl Into<String>) -> DataError {
        DataError { file: self.file.to_string(), line: self.line, field: field.to_string(), message: message.into() }
    }

    /// A finite number in `[min, max]`.
    pub(crate) fn number(&self, field: &str, min: f64, max: f64) -> Result<f64, DataError> {
        let s = self.get(field);
        let v: f64 = s.parse().map_err(|_| self.error(field, format!("{s:?} is not a number")))?;
        if !(v.is_finite() && v >= min && v <= max) {
            return Err(self.error(field, format!("{v} is outside [{min}, {max}]")));
        }
        Ok(v)
    }

    /// `|`-separated source ids, each present in `net.sources`; at least one.
    pub(crate) fn sources(&self, net: &Network, field: &str) -> Result<Vec<String>, DataError> {
        let ids: Vec<String> =
            self.get(field).split('|').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
        if ids.is_empty() {
            return Err(self.error(field, "figure without a source: give a source id from sources.csv"));
        }
        for id in &ids {
            if !net.sources.iter().any(|s| &s.code == id) {
                return Err(self.error(field, format!("unknown source id {id:?} (not in sources.csv)")));
            }
        }
        Ok(ids)
    }
}

/// Reads `text` as CSV with exactly the columns `columns` (any order; a name ending in `?` may
/// be absent), skipping `#` comment
/// lines, and calls `each` per data row; returns every error (bad header, unreadable rows and
/// what `each` rejected), in file order.
pub(crate) fn parse_rows(
    file: &str,
    text: &str,
    columns: &[&str],
    mut each: impl FnMut(&Row<'_>) -> Result<(), DataError>,
) -> Vec<DataError> {
    let mut errors = Vec::new();
    let mut rdr = csv::ReaderBuilder::new().comment(Some(b'#')).flexible(true).from_reader(text.as_bytes());
    let header: Vec<String> = match rdr.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
        Err(e) => {
            return vec![DataError { file: file.into(), line: 1, field: String::new(), message: e.to_string() }];
        }
    };
    // A column named `x?` is optional.
    let known = |h: &str| columns.iter().any(|c| c.strip_suffix('?').unwrap_or(c) == h);
    for h in &header {
        if !known(h) {
            errors.push(DataError { file: file.into(), line: 1, field: h.clone(), message: "unknown column".into() });
        }
    }
    for c in columns.iter().filter(|c| !c.ends_with('?')) {
        if !header.iter().any(|h| h == c) {
            errors.push(DataError {
                file: file.into(),
                line: 1,
                field: c.to_string(),
                message: "missing column".into(),
            });
        }
    }
    if !errors.is_empty() {
        return errors;
    }
    for rec in rdr.records() {
        match rec {
            Ok(record) => {
                let line = record.position().map_or(0, |p| p.line() as usize);
                if record.len() != header.len() {
                    errors.push(DataError {
                        file: file.into(),
                        line,
                        field: String::new(),
                        message: format!("{} cells, expected {}", record.len(), header.len()),
                    });
                    continue;
                }
                if let Err(e) = each(&Row { file, line, header: &header, record: &record }) {
                    errors.push(e);
                }
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                errors.push(DataError { file: file.into(), line, field: String::new(), message: e.to_string() });
            }
        }
    }
    errors
}
