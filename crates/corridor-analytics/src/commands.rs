//! One entry point per CLI command (`corridor assign`, `corridor scenario diff`,
//! `corridor resilience`): each takes loaded inputs and returns the text to print, so the CLI
//! only loads files and writes strings. Nothing here reads files or prints.

use corridor_io::{DatasetFiles, Diagnostic, load};

use crate::csvdata::DataError;
use crate::demand::{DEFAULT_DEMAND_CSV, Demand};
use crate::diff::{diff, render_diff};
use crate::element::{Capacities, DEFAULT_CAPACITIES_CSV};
use crate::equilibrium::EquilibriumConfig;
use crate::prepare::Prepared;
use crate::report::{
    AnalyticsError, FlowReport, HardCapacityConfig, assign_equilibrium, hard_capacity, render_assignment_table,
};
use crate::resilience::{render_resilience, resilience};
use crate::scenario::{Model, Scenario, ScenarioError, apply_model};

/// Why inputs could not be loaded.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum InputError {
    /// The dataset is invalid.
    #[error("dataset: {}", .0.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("; "))]
    Dataset(Vec<Diagnostic>),
    /// `capacities.csv` or a demand file is invalid.
    #[error("{}", .0.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("; "))]
    Data(Vec<DataError>),
}

/// Loads a dataset and its capacity table (`capacities_csv`; none = no extra capacities).
pub fn load_model(files: &DatasetFiles, capacities_csv: Option<&str>) -> Result<Model, InputError> {
    let network = load(files).map_err(InputError::Dataset)?.network;
    let capacities = match capacities_csv {
        Some(text) => Capacities::parse(&network, "capacities.csv", text).map_err(InputError::Data)?,
        None => Capacities::default(),
    };
    Ok(Model { network, capacities })
}

/// The embedded curated corridor network ([`DatasetFiles::embedded_curated`]) with
/// `data/eurasia/capacities.csv` and the 2024 demand.
pub fn default_inputs() -> Result<(Model, Demand), InputError> {
    let model = load_model(&DatasetFiles::embedded_curated(), Some(DEFAULT_CAPACITIES_CSV))?;
    let demand = Demand::parse(&model.network, "demand_2024.csv", DEFAULT_DEMAND_CSV).map_err(InputError::Data)?;
    Ok((model, demand))
}

/// Which assignment a command runs.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum AssignMethod {
    /// User equilibrium with queueing delays (default).
    #[default]
    Equilibrium,
    /// Min-cost flow with hard capacities, unserved demand and shadow prices.
    HardCapacity,
}

/// Runs one assignment of `demand` on `model`.
pub fn run_assignment(model: &Model, demand: &Demand, method: AssignMethod) -> Result<FlowReport, AnalyticsError> {
    let p = Prepared::new(&model.network, &model.capacities, demand);
    match method {
        AssignMethod::Equilibrium => assign_equilibrium(&p, &EquilibriumConfig::default()),
        AssignMethod::HardCapacity => hard_capacity(&p, &HardCapacityConfig::default()),
    }
}

/// `corridor assign`: the bottleneck table (top `top` elements), corridor shares and totals.
pub fn assign_command(
    model: &Model,
    demand: &Demand,
    method: AssignMethod,
    top: usize,
) -> Result<String, AnalyticsError> {
    Ok(render_assignment_table(&run_assignment(model, demand, method)?, top))
}

/// Errors of `corridor scenario diff`.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum DiffError {
    /// A scenario could not be applied.
    #[error("{0}")]
    Scenario(#[from] ScenarioError),
    /// An assignment failed.
    #[error("{0}")]
    Analytics(#[from] AnalyticsError),
}

/// Applies `base` (or nothing) and `scenario` to `model` and assigns both.
pub fn scenario_pair(
    model: &Model,
    demand: &Demand,
    base: Option<&Scenario>,
    scenario: &Scenario,
    method: AssignMethod,
) -> Result<(FlowReport, FlowReport), DiffError> {
    let base_model = match base {
        Some(b) => apply_model(model, b)?,
        None => model.clone(),
    };
    let s_model = apply_model(&base_model, scenario)?;
    Ok((run_assignment(&base_model, demand, method)?, run_assignment(&s_model, demand, method)?))
}

/// `corridor scenario diff base s1`: deltas side by side. `base = None` is the unmodified data.
pub fn scenario_diff_command(
    model: &Model,
    demand: &Demand,
    base: Option<&Scenario>,
    scenario: &Scenario,
    method: AssignMethod,
) -> Result<String, DiffError> {
    let (a, b) = scenario_pair(model, demand, base, scenario, method)?;
    let base_name = base.map_or("base", |b| b.display_name());
    let d = diff(base_name, &a, scenario.display_name(), &b, 15);
    let mut text = render_diff(&d);
    if d.is_unchanged() {
        // The elements are looked up in the model the scenario applies to (the base scenario
        // applied first, as the assignment did).
        let applied;
        let m = match base {
            Some(sc) => {
                applied = apply_model(model, sc).map_err(DiffError::from)?;
                &applied
            }
            None => model,
        };
        text += "\nThe scenario changes nothing in the assignment:\n";
        for line in crate::diff::why_unchanged(m, scenario, &a) {
            text += &format!("  - {line}\n");
        }
    }
    Ok(text)
}

/// Rows a ranking prints when no `--top-n` is given.
pub const DEFAULT_ROWS: usize = 25;

/// `corridor resilience`: the criticality ranking of the `top_n` busiest elements.
pub fn resilience_command(
    model: &Model,
    demand: &Demand,
    top_n: Option<usize>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<String, AnalyticsError> {
    let config = HardCapacityConfig::default();
    let r = resilience(model, demand, top_n, &config, progress)?;
    Ok(render_resilience(&r, top_n.unwrap_or(DEFAULT_ROWS), config.unserved_penalty_usd))
}

/// Why the corridor choice could not run.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ChoiceRunError {
    /// The market file is invalid.
    #[error("{}", .0.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("; "))]
    Market(Vec<DataError>),
    /// The specification is invalid or cannot be calibrated.
    #[error(transparent)]
    Choice(#[from] crate::choice::ChoiceError),
}

/// The corridor choice on `router`'s network: `market` and `spec` are (file name, text) pairs.
pub fn run_choice(
    router: &corridor_search::Router<'_>,
    market: &(String, String),
    spec: &(String, String),
) -> Result<crate::choice::ChoiceReport, ChoiceRunError> {
    let net = router.network();
    let market = Demand::parse(net, &market.0, &market.1).map_err(ChoiceRunError::Market)?;
    let spec = crate::choice::ChoiceSpec::parse(net, &spec.0, &spec.1)?;
    Ok(crate::choice::choice(router, &market, &spec)?)
}
