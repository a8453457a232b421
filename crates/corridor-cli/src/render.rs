//! Terminal rendering: aligned tables with units and thousands separators.

/// Column alignment.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A text table with a header row.
pub struct TextTable {
    header: Vec<(String, Align)>,
    rows: Vec<Vec<String>>,
}

impl TextTable {
    pub fn new(header: &[(&str, Align)]) -> Self {
        TextTable { header: header.iter().map(|(h, a)| (h.to_string(), *a)).collect(), rows: Vec::new() }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// Renders with two spaces between columns; the last column is not padded.
    pub fn render(&self) -> String {
        let n = self.header.len();
        let mut width = vec![0usize; n];
        for (i, (h, _)) in self.header.iter().enumerate() {
            width[i] = h.chars().count();
        }
        for r in &self.rows {
            for (i, c) in r.iter().enumerate().take(n) {
                width[i] = width[i].max(c.chars().count());
            }
        }
        let mut out = String::new();
        let line = |cells: Vec<&str>, out: &mut String| {
            let mut s = String::new();
            for (i, c) in cells.iter().enumerate() {
                let pad = width[i].saturating_sub(c.chars().count());
                let last = i + 1 == cells.len();
                if i > 0 {
                    s.push_str("  ");
                }
                match self.header[i].1 {
                    Align::Right => {
                        s.push_str(&" ".repeat(pad));
                        s.push_str(c);
                    }
                    Align::Left => {
                        s.push_str(c);
                        if !last {
                            s.push_str(&" ".repeat(pad));
                        }
                    }
                }
            }
            out.push_str(s.trim_end());
            out.push('\n');
        };
        line(self.header.iter().map(|(h, _)| h.as_str()).collect(), &mut out);
        for r in &self.rows {
            line(r.iter().map(String::as_str).collect(), &mut out);
        }
        out
    }
}

/// Formats with thousands separators and `decimals` decimals: 12345.6 → "12,345.6".
pub fn num(x: f64, decimals: usize) -> String {
    corridor_model::units::thousands(x, decimals)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(num(12345.67, 1), "12,345.7");
        assert_eq!(num(999.0, 0), "999");
        assert_eq!(num(1000.0, 0), "1,000");
        assert_eq!(num(-1234567.0, 0), "-1,234,567");
        assert_eq!(num(-0.01, 1), "0.0");
    }

    #[test]
    fn aligns_columns() {
        let mut t = TextTable::new(&[("name", Align::Left), ("km", Align::Right), ("note", Align::Left)]);
        t.row(vec!["Aktau".into(), "1,234".into(), "ferry".into()]);
        t.row(vec!["Baku".into(), "5".into(), String::new()]);
        assert_eq!(t.render(), "name      km  note\nAktau  1,234  ferry\nBaku       5\n");
    }
}
