//! Corridor analytics: where the freight goes and where it jams.
//!
//! On top of the routing network (`corridor-model`, `corridor-search`) this crate adds
//!
//! - [`Demand`]: an OD matrix in TEU per year, every cell sourced (`data/eurasia/demand_2024.csv`),
//!   with growth presets ([`Growth`]);
//! - [`Capacities`] / [`Element`]: capacities of links, borders and directed transfers in TEU per
//!   week (`data/eurasia/capacities.csv`, plus the links' own `capacity_teu_week`);
//! - [`assign_equilibrium`]: user equilibrium on the state-expanded graph with queueing delays at
//!   capacitated elements, solved by `corridor-assign`'s bi-conjugate Frank–Wolfe;
//! - [`hard_capacity`]: multi-commodity min-cost flow (column generation over a simplex written
//!   here, [`min_cost_flow`]) with unserved demand and the shadow price of every capacity;
//! - [`FlowReport`]: loads, utilisation, delays, the bottleneck ranking, corridor shares, totals,
//!   rendered as a table ([`render_assignment_table`]), CSV ([`elements_csv`], [`flows_csv`]) or
//!   GeoJSON ([`flows_geojson`]);
//! - [`Scenario`] / [`apply`] / [`apply_model`]: TOML overlays (close, throttle, change capacity,
//!   dwell, tariff, speed, headway; add locations, platforms, links, transfers, borders);
//!   [`diff`] compares two results;
//! - [`resilience`]: the cost of losing each element, in parallel, with a progress hook;
//! - [`commands`]: one entry point per CLI command.
//!
//! Core functions do no I/O: inputs arrive as text or loaded networks, outputs leave as values
//! or strings. Flows inside are TEU per week (the capacity unit); reports give years too.

#![warn(missing_docs)]

mod choice;
pub mod commands;
mod csvdata;
mod demand;
mod diff;
mod element;
mod equilibrium;
mod mcf;
mod paths;
mod prepare;
mod report;
mod resilience;
mod scenario;

pub use choice::{
    Alternative, ChoiceError, ChoiceReport, ChoiceRow, ChoiceSpec, DEFAULT_CHOICE_TOML, DEFAULT_MARKET_CSV, Observed,
    Role, Way, choice, render_choice,
};
pub use csvdata::DataError;
pub use demand::{DEFAULT_DEMAND_CSV, Demand, DemandCell, Growth, WEEKS_PER_YEAR};
pub use diff::{Delta, ScenarioDiff, diff, render_diff};
pub use element::{Capacities, CapacityConstraint, CapacityRow, DEFAULT_CAPACITIES_CSV, Element, constraints};
pub use equilibrium::{DelayForm, EquilibriumConfig, EquilibriumError, EquilibriumFlows, equilibrium};
pub use mcf::{ArcCapacity, Commodity, FlowGraph, McfError, McfSolution, PathFlow, min_cost_flow};
pub use paths::Adjacency;
pub use prepare::{ArcCosts, Od, Prepared};
pub use report::{
    AnalyticsError, CorridorShare, ElementLoad, FlowReport, HardCapacityConfig, LinkFlow, Method, Totals, Unserved,
    assign_equilibrium, elements_csv, flows_csv, flows_geojson, hard_capacity, render_assignment_table,
};
pub use resilience::{
    Criticality, ResilienceReport, Shard, render_resilience, resilience, resilience_csv, resilience_part,
    resilience_table,
};
pub use scenario::{
    AddBorder, AddLink, AddLocation, AddPlatform, AddTransfer, CapacityChange, Close, DwellChange, HeadwayChange,
    Model, RegimeChange, Scenario, ScenarioError, SpeedChange, TariffChange, apply, apply_for_routing, apply_model,
};
