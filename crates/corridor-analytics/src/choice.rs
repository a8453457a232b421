//! Corridor choice: a multinomial logit over the corridors' generalized costs, with
//! alternative-specific constants calibrated to observed corridor volumes.
//!
//! The all-or-nothing assignment sends every container down its cheapest path, which puts
//! China–Europe boxes on the sea (rail is dearer per box at the dataset's value of time). Real
//! shippers differ: value of time, reliability, sanctions and insurance, slots. The logit gives
//! each alternative `a` of an OD cell the share
//!
//! ```text
//! P(a) = exp(ASC_a − θ · GC_a) / Σ_b exp(ASC_b − θ · GC_b)
//! ```
//!
//! - `GC_a` is the generalized cost per TEU of the best route within the alternative's corridors
//!   (the route's balanced objective: median price + value of time × hours + carbon price × t).
//! - `θ` is not fitted: it is read off the market's own price dispersion. The difference of two
//!   Gumbel errors is logistic, whose P10–P90 width is `2 ln 9 / θ`; we set that width to the
//!   mean P10–P90 width of the alternatives' prices in the cell (the spread of what shippers pay
//!   for one lane), so `θ = 2 ln 9 / mean(P90 − P10)`.
//! - The constants `ASC_a` absorb what costs do not explain (the sanctions premium, capacity,
//!   habit). They are calibrated, as in every applied mode-choice model, so that the modelled
//!   volumes of the calibration rows equal the observed ones (iterating
//!   `ASC_a += ln(observed_a / modelled_a)`); the first alternative is the reference (ASC 0).
//!   The validation rows (another direction or year) are predicted with those constants and
//!   never enter the calibration.

use std::collections::BTreeMap;

use corridor_model::{CargoUnit, Network, PriceDirection};
use corridor_search::{RouteRequest, Router};
use serde::Deserialize;

use crate::demand::Demand;

/// Why a choice specification is not usable.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ChoiceError {
    /// The TOML does not parse or names something unknown.
    #[error("{file}: {message}")]
    Spec {
        /// File name.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// The calibration cannot reproduce a row (an alternative no cell can use).
    #[error("cannot calibrate: {0}")]
    Calibration(String),
}

/// A group of corridors that shippers see as one option.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alternative {
    /// Public id, e.g. `rail-russia`.
    pub id: String,
    /// Human name.
    pub name: String,
    /// Corridor ids of the dataset whose routes belong to this option.
    pub corridors: Vec<String>,
}

/// Whether an observation calibrates the constants or checks them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Used to set the constants.
    Calibrate,
    /// Held out: predicted and compared, never used to set anything.
    Validate,
}

impl Role {
    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Calibrate => "calibrate",
            Role::Validate => "validate",
        }
    }
}

/// Which way an observation's boxes move.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Way {
    /// Asia → Europe (towards a lower longitude).
    Westbound,
    /// Europe → Asia.
    Eastbound,
}

impl Way {
    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Way::Westbound => "westbound",
            Way::Eastbound => "eastbound",
        }
    }
}

/// A published volume of one alternative in one direction.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observed {
    /// The alternative's id.
    pub alternative: String,
    /// Direction.
    pub direction: Way,
    /// TEU per year.
    pub teu_year: f64,
    /// Calibration or validation.
    pub role: Role,
    /// Source ids (`sources.csv`).
    pub src: String,
    /// What the figure covers.
    #[serde(default)]
    pub notes: String,
}

/// `choice_2024.toml`: the alternatives and the observed volumes.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceSpec {
    /// The options, the reference first.
    pub alternative: Vec<Alternative>,
    /// Observed volumes.
    pub observed: Vec<Observed>,
}

/// The default specification (`data/eurasia/choice_2024.toml`).
pub const DEFAULT_CHOICE_TOML: &str = include_str!("../../../data/eurasia/choice_2024.toml");
/// The default market (`data/eurasia/market_2024.csv`): all-mode container demand per OD cell.
pub const DEFAULT_MARKET_CSV: &str = include_str!("../../../data/eurasia/market_2024.csv");

impl ChoiceSpec {
    /// Parses and checks the specification against `net` (corridors, sources, figures).
    pub fn parse(net: &Network, file: &str, text: &str) -> Result<ChoiceSpec, ChoiceError> {
        let err = |message: String| ChoiceError::Spec { file: file.to_string(), message };
        let spec: ChoiceSpec = toml::from_str(text).map_err(|e| err(e.to_string()))?;
        if spec.alternative.len() < 2 {
            return Err(err("a choice needs at least two alternatives".into()));
        }
        for (i, a) in spec.alternative.iter().enumerate() {
            if spec.alternative[..i].iter().any(|b| b.id == a.id) {
                return Err(err(format!("alternative[{i}].id {:?} is given twice", a.id)));
            }
            if a.corridors.is_empty() {
                return Err(err(format!("alternative[{i}].corridors is empty")));
            }
            for c in &a.corridors {
                if net.corridor_by_code(c).is_none() {
                    return Err(err(format!("alternative[{i}].corridors: unknown corridor {c:?}")));
                }
                if spec.alternative[..i].iter().any(|b| b.corridors.contains(c)) {
                    return Err(err(format!("alternative[{i}].corridors: corridor {c:?} is in two alternatives")));
                }
            }
        }
        for (i, o) in spec.observed.iter().enumerate() {
            if !spec.alternative.iter().any(|a| a.id == o.alternative) {
                return Err(err(format!("observed[{i}].alternative: unknown alternative {:?}", o.alternative)));
            }
            if !(o.teu_year.is_finite() && o.teu_year > 0.0 && o.teu_year < 1e9) {
                return Err(err(format!("observed[{i}].teu_year {}: must be positive and below 1e9", o.teu_year)));
            }
            for s in o.src.split('|') {
                if !net.sources.iter().any(|x| x.code == s) {
                    return Err(err(format!("observed[{i}].src: unknown source {s:?}")));
                }
            }
            if spec.observed[..i]
                .iter()
                .any(|p| p.alternative == o.alternative && p.direction == o.direction && p.role == o.role)
            {
                return Err(err(format!(
                    "observed[{i}]: a second {:?} row for the same alternative and direction",
                    o.role
                )));
            }
        }
        let calibrated: Vec<&Observed> = spec.observed.iter().filter(|o| o.role == Role::Calibrate).collect();
        let ways: std::collections::BTreeSet<Way> = calibrated.iter().map(|o| o.direction).collect();
        if ways.len() != 1 {
            return Err(err("the calibration rows must all be of one direction (the other one is held out)".into()));
        }
        for a in &spec.alternative {
            if !calibrated.iter().any(|o| o.alternative == a.id) {
                return Err(err(format!("alternative {:?} has no calibration row", a.id)));
            }
        }
        Ok(spec)
    }
}

/// The generalized cost and price spread of one alternative in one cell.
#[derive(Clone, Copy, Debug, PartialEq)]
struct AltCost {
    gc: f64,
    spread: f64,
}

/// One OD cell with its alternatives' costs.
#[derive(Clone, Debug, PartialEq)]
struct Cell {
    way: Way,
    teu_year: f64,
    /// Per alternative, `None` where it has no route.
    options: Vec<Option<AltCost>>,
    theta: f64,
}

/// One row of the report: an alternative in one direction.
#[derive(Clone, Debug, PartialEq)]
pub struct ChoiceRow {
    /// Alternative id.
    pub alternative: String,
    /// Direction.
    pub direction: Way,
    /// Modelled TEU per year.
    pub modelled: f64,
    /// Observed TEU per year, where a row gives one.
    pub observed: Option<f64>,
    /// The observation's role.
    pub role: Option<Role>,
}

/// The calibrated choice and its fit.
#[derive(Clone, Debug, PartialEq)]
pub struct ChoiceReport {
    /// Alternatives, reference first.
    pub alternatives: Vec<Alternative>,
    /// Calibrated constants, USD-equivalent per TEU (ASC / θ of the mean cell), per alternative.
    pub constants_usd: Vec<f64>,
    /// The constants themselves (utility units).
    pub constants: Vec<f64>,
    /// Rows per alternative and direction with demand.
    pub rows: Vec<ChoiceRow>,
    /// Calibration iterations run.
    pub iterations: usize,
    /// Cells of the market.
    pub cells: usize,
    /// Cells left out because no alternative had a route.
    pub cells_without_route: usize,
    /// Mean θ over the cells, per USD.
    pub mean_theta: f64,
}

/// Runs the choice: costs every market cell on every alternative, calibrates the constants on
/// the calibration rows and predicts every direction.
pub fn choice(router: &Router<'_>, market: &Demand, spec: &ChoiceSpec) -> Result<ChoiceReport, ChoiceError> {
    let net = router.network();
    let groups: Vec<Vec<corridor_model::CorridorId>> =
        spec.alternative.iter().map(|a| a.corridors.iter().filter_map(|c| net.corridor_by_code(c)).collect()).collect();
    // Each cell's alternatives: the best route of each of their corridors (a corridor's route
    // counts only if it follows the corridor, as in `Router::compare`). Cells are independent:
    // rayon costs them in parallel and keeps their order.
    use rayon::prelude::*;
    let costed: Vec<Vec<Option<AltCost>>> = market
        .cells
        .par_iter()
        .map(|c| {
            let base = RouteRequest { unit: CargoUnit::Teu, ..RouteRequest::new(&net.defaults, c.from, c.to) };
            groups
                .iter()
                .map(|g| {
                    g.iter()
                        .filter_map(|&corridor| {
                            let r = router.route(&RouteRequest { corridor: Some(corridor), ..base.clone() }).ok()?;
                            r.corridors.contains(&corridor).then(|| AltCost {
                                gc: r.totals.generalized_cost,
                                spread: (r.totals.price.p90 - r.totals.price.p10).0,
                            })
                        })
                        .min_by(|a, b| a.gc.total_cmp(&b.gc))
                })
                .collect()
        })
        .collect();
    let mut cells = Vec::new();
    let mut without = 0;
    for (c, options) in market.cells.iter().zip(costed) {
        let spreads: Vec<f64> = options.iter().flatten().map(|o| o.spread).filter(|s| *s > 0.0).collect();
        if spreads.is_empty() {
            without += 1;
            continue;
        }
        let mean_spread = spreads.iter().sum::<f64>() / spreads.len() as f64;
        // The direction rule of the prices: towards a lower longitude is westbound.
        let way = match PriceDirection::of(net.location(c.from).lon, net.location(c.to).lon) {
            PriceDirection::Eastbound => Way::Eastbound,
            _ => Way::Westbound,
        };
        cells.push(Cell { way, teu_year: c.teu_year, options, theta: 2.0 * 9f64.ln() / mean_spread });
    }
    let n = spec.alternative.len();
    let index = |id: &str| spec.alternative.iter().position(|a| a.id == id).expect("checked in parse");
    let calibration: Vec<(usize, Way, f64)> = spec
        .observed
        .iter()
        .filter(|o| o.role == Role::Calibrate)
        .map(|o| (index(&o.alternative), o.direction, o.teu_year))
        .collect();
    let way = calibration[0].1;
    // The observed volumes are shares of the market the cells carry: scale them to its total so
    // the calibration asks for shares, not for more boxes than the market has.
    let market_total: f64 = cells.iter().filter(|c| c.way == way).map(|c| c.teu_year).sum();
    let observed_total: f64 = calibration.iter().map(|c| c.2).sum();
    if market_total <= 0.0 {
        return Err(ChoiceError::Calibration(format!("the market has no {} cell with a route", way.as_str())));
    }
    let mut asc = vec![0.0; n];
    let mut iterations = 0;
    for it in 0..500 {
        iterations = it + 1;
        let volumes = predict(&cells, &asc, way);
        let mut worst: f64 = 0.0;
        for &(a, _, obs) in &calibration {
            let target = obs / observed_total * market_total;
            if volumes[a] <= 0.0 {
                return Err(ChoiceError::Calibration(format!(
                    "no {} cell can use {:?}",
                    way.as_str(),
                    spec.alternative[a].id
                )));
            }
            let step = (target / volumes[a]).ln();
            worst = worst.max(step.abs());
            asc[a] += step;
        }
        // The reference alternative keeps a zero constant: only differences are identified.
        let r = asc[0];
        for x in &mut asc {
            *x -= r;
        }
        if worst < 1e-9 {
            break;
        }
    }
    let mean_theta = cells.iter().map(|c| c.theta).sum::<f64>() / cells.len().max(1) as f64;
    let mut rows = Vec::new();
    for w in [Way::Westbound, Way::Eastbound] {
        if !cells.iter().any(|c| c.way == w) {
            continue;
        }
        let volumes = predict(&cells, &asc, w);
        for (a, alt) in spec.alternative.iter().enumerate() {
            let obs = spec.observed.iter().find(|o| o.alternative == alt.id && o.direction == w);
            rows.push(ChoiceRow {
                alternative: alt.id.clone(),
                direction: w,
                modelled: volumes[a],
                observed: obs.map(|o| o.teu_year),
                role: obs.map(|o| o.role),
            });
        }
    }
    Ok(ChoiceReport {
        alternatives: spec.alternative.clone(),
        constants_usd: asc.iter().map(|a| a / mean_theta).collect(),
        constants: asc,
        rows,
        iterations,
        cells: market.cells.len(),
        cells_without_route: without,
        mean_theta,
    })
}

/// Volumes per alternative over the cells of one direction.
fn predict(cells: &[Cell], asc: &[f64], way: Way) -> Vec<f64> {
    let mut out = vec![0.0; asc.len()];
    for c in cells.iter().filter(|c| c.way == way) {
        // Utilities relative to the best one, so the exponentials never overflow.
        let u: Vec<Option<f64>> = c.options.iter().zip(asc).map(|(o, a)| o.map(|o| a - c.theta * o.gc)).collect();
        let top = u.iter().flatten().copied().fold(f64::NEG_INFINITY, f64::max);
        let e: Vec<f64> = u.iter().map(|x| x.map_or(0.0, |x| (x - top).exp())).collect();
        let sum: f64 = e.iter().sum();
        for (o, x) in out.iter_mut().zip(&e) {
            *o += c.teu_year * x / sum;
        }
    }
    out
}

/// The report as a text table: modelled against observed per alternative and direction, with
/// the 10% check on the calibration rows and the held-out error on the validation rows.
pub fn render_choice(r: &ChoiceReport) -> String {
    use corridor_model::units::thousands;
    let mut out = String::from(
        "Corridor choice (multinomial logit over generalized cost; constants calibrated to the observed volumes)\n",
    );
    out.push_str(&format!(
        "{:<14} {:<10} {:>12} {:>12} {:>8}  {}\n",
        "alternative", "direction", "modelled TEU", "observed TEU", "diff", "check"
    ));
    let mut by_way: BTreeMap<Way, f64> = BTreeMap::new();
    for row in &r.rows {
        *by_way.entry(row.direction).or_default() += row.modelled;
    }
    for row in &r.rows {
        let (obs, diff, check) = match (row.observed, row.role) {
            (Some(o), Some(role)) => {
                let d = row.modelled / o - 1.0;
                let check = match role {
                    Role::Calibrate if d.abs() <= 0.10 => "calibrated, within 10%".to_string(),
                    Role::Calibrate => "calibrated, OFF by more than 10%".to_string(),
                    Role::Validate => {
                        format!("held out: {} by {:.0}%", if d < 0.0 { "under" } else { "over" }, d.abs() * 100.0)
                    }
                };
                (thousands(o, 0), format!("{:+.1}%", d * 100.0), check)
            }
            _ => (String::from("-"), String::new(), String::new()),
        };
        out.push_str(&format!(
            "{:<14} {:<10} {:>12} {:>12} {:>8}  {}\n",
            row.alternative,
            row.direction.as_str(),
            thousands(row.modelled, 0),
            obs,
            diff,
            check
        ));
    }
    let consts: Vec<String> = r
        .alternatives
        .iter()
        .zip(&r.constants_usd)
        .map(|(a, c)| format!("{} {} USD/TEU", a.id, thousands(-c, 0)))
        .collect();
    out.push_str(&format!(
        "Constants as a cost equivalent (positive = a penalty beyond price and time): {}; θ = {:.5} per USD (mean of the cells, from the price ranges); {} iterations; {} of {} market cells with a route\n",
        consts.join(", "),
        r.mean_theta,
        r.iterations,
        r.cells - r.cells_without_route,
        r.cells
    ));
    out
}
