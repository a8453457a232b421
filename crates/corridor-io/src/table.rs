//! A CSV table with line numbers and typed field accessors that report problems as
//! [`Diagnostic`]s instead of failing: the loader keeps going to report every problem at once.

use std::collections::BTreeMap;

use crate::diag::Diagnostic;

/// A parsed CSV file: header and rows with their 1-based line numbers.
pub(crate) struct Table {
    pub file: String,
    columns: BTreeMap<String, usize>,
    rows: Vec<(usize, csv::StringRecord)>,
}

impl Table {
    /// Parses `text`. `required` columns must be present; every column must be in `required`
    /// or `optional`. Returns `None` (with diagnostics) when the header is unusable.
    pub fn parse(
        file: &str,
        text: &str,
        required: &[&str],
        optional: &[&str],
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Table> {
        let mut reader = csv::ReaderBuilder::new()
            .comment(Some(b'#'))
            .trim(csv::Trim::All)
            .flexible(true)
            .from_reader(text.as_bytes());
        let header = match reader.headers() {
            Ok(h) => h.clone(),
            Err(e) => {
                diags.push(Diagnostic::error(file, Some(1), None, format!("unreadable header: {e}")));
                return None;
            }
        };
        let mut columns = BTreeMap::new();
        let mut ok = true;
        for (i, name) in header.iter().enumerate() {
            if !required.contains(&name) && !optional.contains(&name) {
                diags.push(Diagnostic::error(
                    file,
                    Some(1),
                    Some(name),
                    format!("unknown column {name:?} (known: {})", [required, optional].concat().join(", ")),
                ));
            }
            if columns.insert(name.to_string(), i).is_some() {
                diags.push(Diagnostic::error(file, Some(1), Some(name), format!("duplicate column {name:?}")));
                ok = false;
            }
        }
        for name in required {
            if !columns.contains_key(*name) {
                diags.push(Diagnostic::error(file, Some(1), Some(name), format!("missing required column {name:?}")));
                ok = false;
            }
        }
        let width = header.len();
        let mut rows = Vec::new();
        for rec in reader.records() {
            match rec {
                Ok(rec) => {
                    let line = rec.position().map_or(0, |p| p.line() as usize);
                    if rec.len() == 1 && rec.get(0) == Some("") {
                        continue; // blank line
                    }
                    if rec.len() != width {
                        diags.push(Diagnostic::error(
                            file,
                            Some(line),
                            None,
                            format!("{} fields, but the header has {width}", rec.len()),
                        ));
                        continue;
                    }
                    rows.push((line, rec));
                }
                Err(e) => {
                    let line = e.position().map(|p| p.line() as usize);
                    diags.push(Diagnostic::error(file, line, None, format!("malformed CSV: {e}")));
                }
            }
        }
        ok.then_some(Table { file: file.to_string(), columns, rows })
    }

    /// The rows.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows.iter().map(|(line, rec)| Row { table: self, line: *line, rec })
    }
}

/// One row of a [`Table`].
pub(crate) struct Row<'t> {
    table: &'t Table,
    pub line: usize,
    rec: &'t csv::StringRecord,
}

impl<'t> Row<'t> {
    /// The trimmed cell of `field`; empty if the column is absent.
    pub fn get(&self, field: &str) -> &'t str {
        self.table.columns.get(field).and_then(|&i| self.rec.get(i)).unwrap_or("")
    }

    /// An error on this row.
    pub fn error(&self, field: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(&self.table.file, Some(self.line), Some(field), message)
    }

    /// A warning on this row.
    pub fn warning(&self, field: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(&self.table.file, Some(self.line), Some(field), message)
    }

    /// A mandatory non-empty cell.
    pub fn required(&self, field: &str, diags: &mut Vec<Diagnostic>) -> Option<&'t str> {
        let v = self.get(field);
        if v.is_empty() {
            diags.push(self.error(field, "missing value"));
            None
        } else {
            Some(v)
        }
    }

    /// An optional number that must be finite and within `[min, max]`; `None` when empty or
    /// invalid (invalid values are reported).
    pub fn number(&self, field: &str, min: f64, max: f64, diags: &mut Vec<Diagnostic>) -> Option<f64> {
        let v = self.get(field);
        if v.is_empty() {
            return None;
        }
        match v.parse::<f64>() {
            Ok(x) if x.is_nan() => {
                diags.push(self.error(field, format!("{v:?} is not a number")));
                None
            }
            Ok(x) if x < min || x > max => {
                diags.push(self.error(field, format!("{v} is out of range [{min}, {max}]")));
                None
            }
            Ok(x) if !x.is_finite() => {
                diags.push(self.error(field, format!("{v} is not finite")));
                None
            }
            Ok(x) => Some(x),
            Err(_) => {
                diags.push(self.error(field, format!("{v:?} is not a number")));
                None
            }
        }
    }

    /// A `|`-separated list (empty cell → empty list).
    pub fn list(&self, field: &str) -> Vec<&'t str> {
        let v = self.get(field);
        if v.is_empty() { Vec::new() } else { v.split('|').map(str::trim).filter(|s| !s.is_empty()).collect() }
    }

    /// A boolean flag: `true`/`false`/empty (false).
    pub fn flag(&self, field: &str, diags: &mut Vec<Diagnostic>) -> bool {
        match self.get(field).to_ascii_lowercase().as_str() {
            "" | "false" | "no" | "0" => false,
            "true" | "yes" | "1" => true,
            other => {
                diags.push(self.error(field, format!("{other:?} is not a boolean (true or false)")));
                false
            }
        }
    }
}
