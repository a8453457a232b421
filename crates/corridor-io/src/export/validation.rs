//! The validation report (`corridor validate --observations`) as JSON and CSV: one row per
//! published case with the predicted P50/P90 and band, and the hit rates per group.

use corridor_routing::validation::{CaseKind, Report};
use serde::Serialize;

/// One case of the report.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct CaseDto {
    /// Observation id.
    pub id: String,
    /// Corridor family.
    pub family: String,
    /// `run` or `dwell`.
    pub kind: &'static str,
    /// Origin as given.
    pub from: String,
    /// Destination as given.
    pub to: String,
    /// Observed hours scored (the midpoint of a published range).
    pub observed_h: f64,
    /// Predicted median hours; null when the model gave no prediction.
    pub p50_h: Option<f64>,
    /// Predicted 90th percentile hours.
    pub p90_h: Option<f64>,
    /// Band low end, `0.85 × P50`.
    pub band_low_h: Option<f64>,
    /// Band high end, `max(1.15 × P50, P90)`.
    pub band_high_h: Option<f64>,
    /// What kind of figure the source gives (`measured`, `average`, `scheduled`, `upper_bound`,
    /// `lower_bound`, `disruption`).
    pub basis: &'static str,
    /// Whether the case counts in the hit rates (bounds and closures do not).
    pub scored: bool,
    /// Whether the observation falls in the band.
    pub hit: bool,
    /// Observed over predicted median (above 1: the model is too fast).
    pub ratio: Option<f64>,
    /// Corridors of the predicted route.
    pub corridors: Vec<String>,
    /// Places the source says the run went through, in order (the prediction passes them).
    pub via: Vec<String>,
    /// Places the source says the run went round (the prediction avoids them).
    pub avoid_location: Vec<String>,
    /// Why there is no prediction.
    pub error: Option<String>,
}

/// Hit rate of one group.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct ScoreDto {
    /// `all`, a family, or `kind:run` / `kind:dwell`.
    pub group: String,
    /// Scored cases.
    pub cases: usize,
    /// Cases in their band.
    pub hits: usize,
    /// Cases without a prediction (counted as misses).
    pub unpredicted: usize,
    /// Hits over cases.
    pub rate: f64,
    /// Median observed / predicted P50.
    pub median_ratio: Option<f64>,
}

/// The whole report.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct ValidationDto {
    /// The band rule, stated.
    pub band: &'static str,
    /// Whether ≥ 80% of all cases and ≥ 60% of every family's are in their band.
    pub passes: bool,
    /// Scores, `all` first.
    pub scores: Vec<ScoreDto>,
    /// Cases in input order.
    pub cases: Vec<CaseDto>,
}

/// The band rule as the report states it.
pub const BAND_RULE: &str = "observed time (the midpoint of a published range) in [0.85 x P50, max(1.15 x P50, P90)]";

impl ValidationDto {
    /// From a scored report.
    pub fn new(r: &Report) -> ValidationDto {
        let cases = r
            .outcomes
            .iter()
            .map(|o| {
                let p = o.prediction.as_ref().ok();
                CaseDto {
                    id: o.case.id.clone(),
                    family: o.case.family.clone(),
                    kind: match o.case.kind {
                        CaseKind::Run => "run",
                        CaseKind::Dwell => "dwell",
                    },
                    from: o.case.from.clone(),
                    to: o.case.to.clone(),
                    observed_h: o.case.observed_h(),
                    p50_h: p.map(|p| p.p50_h),
                    p90_h: p.map(|p| p.p90_h),
                    band_low_h: p.map(|p| p.band().0),
                    band_high_h: p.map(|p| p.band().1),
                    basis: o.case.basis.as_str(),
                    scored: o.scored(),
                    hit: o.hit(),
                    ratio: o.ratio(),
                    corridors: p.map(|p| p.corridors.clone()).unwrap_or_default(),
                    via: o.case.via.clone(),
                    avoid_location: o.case.avoid_location.clone(),
                    error: o.prediction.as_ref().err().cloned(),
                }
            })
            .collect();
        let scores = r
            .scores
            .iter()
            .map(|s| ScoreDto {
                group: s.group.clone(),
                cases: s.cases,
                hits: s.hits,
                unpredicted: s.unpredicted,
                rate: s.rate(),
                median_ratio: s.median_ratio,
            })
            .collect();
        ValidationDto { band: BAND_RULE, passes: r.passes(), scores, cases }
    }
}

/// Columns of [`validation_csv`].
pub const VALIDATION_CSV_HEADER: [&str; 15] = [
    "id",
    "family",
    "kind",
    "from",
    "to",
    "observed_days",
    "p50_days",
    "p90_days",
    "band_low_days",
    "band_high_days",
    "basis",
    "scored",
    "hit",
    "ratio",
    "corridors_or_error",
];

/// The cases as CSV, in days (2 decimals).
pub fn validation_csv(v: &ValidationDto) -> String {
    let d = |h: Option<f64>| h.map_or(String::new(), |h| format!("{:.2}", h / 24.0));
    let mut rows = vec![VALIDATION_CSV_HEADER.iter().map(|h| (*h).to_owned()).collect()];
    for c in &v.cases {
        rows.push(vec![
            c.id.clone(),
            c.family.clone(),
            c.kind.to_owned(),
            c.from.clone(),
            c.to.clone(),
            d(Some(c.observed_h)),
            d(c.p50_h),
            d(c.p90_h),
            d(c.band_low_h),
            d(c.band_high_h),
            c.basis.to_owned(),
            c.scored.to_string(),
            c.hit.to_string(),
            c.ratio.map_or(String::new(), |r| format!("{r:.2}")),
            c.error.clone().unwrap_or_else(|| c.corridors.join("|")),
        ]);
    }
    super::table::write(rows)
}
