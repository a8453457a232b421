//! The published-observations file of `corridor validate --observations`: one dated, sourced
//! shipment run or dwell per row, read into [`corridor_routing::validation::Case`]s with every
//! problem reported by line and field (the dataset loader's rules: nothing is dropped silently).

use corridor_routing::validation::{Basis, Case, CaseKind, Heading, RunMode};

use crate::diag::Diagnostic;
use crate::table::Table;

/// Columns a row must have.
const REQUIRED: [&str; 12] =
    ["id", "family", "kind", "mode", "from", "to", "date", "value_low", "value_high", "unit", "basis", "source_url"];
/// Columns not every row needs: the reader's context, the direction a dwell is scored in, and
/// the places a run is reported to have avoided (`avoid_location`) or gone through (`via`, in
/// order), each a `|`-separated list like every list of the dataset's files.
const OPTIONAL: [&str; 8] =
    ["direction", "traffic", "source_title", "quote", "calib_check", "notes", "avoid_location", "via"];
/// Longest observation accepted, days: longer than any Eurasian run, sea detours included.
const MAX_DAYS: f64 = 200.0;
/// Most rows in one file: a published-observations file is hand-collected, not a dump.
pub const MAX_ROWS: usize = 100_000;

/// Parses an observations CSV. Every row with a problem is reported (file, line, field) and the
/// whole file refused, so a report never silently scores fewer cases than the file holds.
pub fn parse_observations(file: &str, text: &str) -> Result<Vec<Case>, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let Some(table) = Table::parse(file, text, &REQUIRED, &OPTIONAL, &mut diags) else {
        return Err(diags);
    };
    let mut cases = Vec::new();
    let mut seen = std::collections::BTreeMap::new();
    for row in table.rows() {
        if cases.len() >= MAX_ROWS {
            diags.push(row.error("id", format!("more than {MAX_ROWS} rows")));
            break;
        }
        let before = diags.len();
        let id = row.required("id", &mut diags).unwrap_or_default().to_string();
        if let Some(first) = seen.insert(id.clone(), row.line) {
            diags.push(row.error("id", format!("duplicate id {id:?} (first on line {first})")));
        }
        let family = row.required("family", &mut diags).unwrap_or_default().to_string();
        let kind = match row.get("kind") {
            "run" => Some(CaseKind::Run),
            "dwell" => Some(CaseKind::Dwell),
            other => {
                diags.push(row.error("kind", format!("{other:?}: expected run or dwell")));
                None
            }
        };
        let mode = match row.get("mode") {
            "rail" => Some(RunMode::Rail),
            "truck" => Some(RunMode::Truck),
            "ferry" => Some(RunMode::Ferry),
            "sea" => Some(RunMode::Sea),
            "multimodal" => Some(RunMode::Multimodal),
            other => {
                diags.push(row.error("mode", format!("{other:?}: expected rail, truck, ferry, sea or multimodal")));
                None
            }
        };
        let basis = match row.get("basis") {
            "measured" => Some(Basis::Measured),
            "average" => Some(Basis::Average),
            "scheduled" => Some(Basis::Scheduled),
            "upper_bound" => Some(Basis::UpperBound),
            "lower_bound" => Some(Basis::LowerBound),
            "disruption" => Some(Basis::Disruption),
            other => {
                diags.push(row.error(
                    "basis",
                    format!("{other:?}: expected measured, average, scheduled, upper_bound, lower_bound or disruption"),
                ));
                None
            }
        };
        let heading = match row.get("direction") {
            "" | "n/a" => None,
            other => {
                let h = Heading::ALL.into_iter().find(|h| h.as_str() == other);
                if h.is_none() {
                    diags.push(row.error(
                        "direction",
                        format!("{other:?}: expected eastbound, westbound, northbound, southbound or n/a"),
                    ));
                }
                h
            }
        };
        let from = row.required("from", &mut diags).unwrap_or_default().to_string();
        let to = row.required("to", &mut diags).unwrap_or_default().to_string();
        row.required("date", &mut diags);
        row.required("source_url", &mut diags);
        let hours_per = match row.get("unit") {
            "days" => Some(24.0),
            "hours" => Some(1.0),
            other => {
                diags.push(row.error("unit", format!("{other:?}: expected days or hours")));
                None
            }
        };
        let max = MAX_DAYS * 24.0 / hours_per.unwrap_or(1.0);
        let low = row.number("value_low", 0.0, max, &mut diags);
        let high = row.number("value_high", 0.0, max, &mut diags);
        for f in ["value_low", "value_high"] {
            if row.get(f).is_empty() {
                diags.push(row.error(f, "missing value"));
            }
        }
        if let (Some(l), Some(h)) = (low, high) {
            if h < l {
                diags.push(row.error("value_high", format!("{h} is below value_low {l}")));
            }
            if l <= 0.0 {
                diags.push(row.error("value_low", "an observed time must be positive"));
            }
        }
        if diags.len() > before {
            continue;
        }
        let (Some(kind), Some(mode), Some(k), Some(low), Some(high), Some(basis)) =
            (kind, mode, hours_per, low, high, basis)
        else {
            continue;
        };
        let places = |field: &str| row.list(field).into_iter().map(str::to_owned).collect::<Vec<_>>();
        let (avoid_location, via) = (places("avoid_location"), places("via"));
        // A container block train takes the query's default (an express, or a regional
        // train to or from Central Asia); wagonload is a regular train.
        let traffic = (row.get("traffic") == "wagonload").then_some(corridor_model::Traffic::Regular);
        cases.push(Case {
            id,
            family,
            kind,
            mode,
            from,
            to,
            low_h: low * k,
            high_h: high * k,
            basis,
            heading,
            avoid_location,
            via,
            traffic,
        });
    }
    if diags.is_empty() { Ok(cases) } else { Err(diags) }
}
