//! The declared schemas of corridor's tables, one per CSV export, column for column (the CLI's
//! tests check each against the header its export writes).

use crate::{Column, ColumnType};
use ColumnType::{Dict, Float64, UInt32, Utf8};

const fn req(name: &'static str, ty: ColumnType) -> Column {
    Column::required(name, ty)
}

const fn opt(name: &'static str, ty: ColumnType) -> Column {
    Column::nullable(name, ty)
}

/// The legs of a route (`route_csv`), one row per leg.
pub const ROUTE_LEGS: [Column; 18] = [
    req("seq", UInt32),
    req("kind", Dict),
    opt("platform", Dict),
    req("from", Dict),
    req("from_name", Dict),
    req("to", Dict),
    req("to_name", Dict),
    req("km", Float64),
    req("hours", Float64),
    req("hours_p90", Float64),
    req("usd", Float64),
    opt("usd_p10", Float64),
    opt("usd_p90", Float64),
    opt("price_basis", Dict),
    req("co2e_wtw_kg", Float64),
    opt("co2e_ttw_kg", Float64),
    opt("corridors", Dict),
    opt("description", Utf8),
];

/// A comparison (`comparison_csv`), one row per corridor; the figures are null where the
/// corridor has no route, and `error` says why.
pub const COMPARISON: [Column; 14] = [
    req("corridor", Dict),
    opt("km", Float64),
    opt("days", Float64),
    opt("usd", Float64),
    opt("usd_p10", Float64),
    opt("usd_p90", Float64),
    opt("price_basis", Dict),
    opt("co2e_wtw_kg", Float64),
    opt("co2e_ttw_kg", Float64),
    opt("borders", UInt32),
    opt("gauge_changes", UInt32),
    opt("transshipments", UInt32),
    opt("countries", Dict),
    opt("error", Utf8),
];

/// A detailed snapshot's pair batch (`table --pairs`): snapped node ids (null where a point did
/// not snap) and the pair's totals (null with an `error`).
pub const SNAPSHOT_PAIRS: [Column; 9] = [
    opt("source", UInt32),
    opt("target", UInt32),
    opt("source_snap_km", Float64),
    opt("target_snap_km", Float64),
    opt("km", Float64),
    opt("hours", Float64),
    opt("usd", Float64),
    opt("kg_co2e", Float64),
    opt("error", Utf8),
];

/// A detailed snapshot's matrix in long form (`table --points`): node ids and the value of the
/// metric (`value` is renamed to the metric's unit by [`matrix_long`]).
pub fn matrix_long(unit: &'static str) -> [Column; 3] {
    [req("source", UInt32), req("target", UInt32), opt(unit, Float64)]
}

/// The capacitated elements of an assignment (`elements_csv`), most loaded first.
pub const ASSIGN_ELEMENTS: [Column; 8] = [
    req("rank", UInt32),
    req("element", Dict),
    req("name", Dict),
    req("load_teu_week", Float64),
    req("capacity_teu_week", Float64),
    req("utilisation", Float64),
    req("delay_h", Float64),
    opt("shadow_price_usd", Float64),
];

/// The link flows of an assignment (`flows_csv`), one row per link with flow.
pub const ASSIGN_FLOWS: [Column; 7] = [
    req("link", Dict),
    req("from", Dict),
    req("to", Dict),
    req("mode", Dict),
    opt("corridors", Dict),
    req("forward_teu_year", Float64),
    req("reverse_teu_year", Float64),
];

/// The criticality ranking (`resilience_csv`), most critical first.
pub const RESILIENCE: [Column; 7] = [
    req("rank", UInt32),
    req("element", Dict),
    req("base_flow_teu_year", Float64),
    req("extra_cost_usd_year", Float64),
    req("extra_unserved_teu_year", Float64),
    req("extra_days_per_teu", Float64),
    req("loss_usd_year", Float64),
];

/// A scenario sweep (`corridor scenario sweep`), one row per scenario in the order given: its
/// assignment totals and their change against the base.
pub const SCENARIO_SWEEP: [Column; 11] = [
    req("scenario", Dict),
    req("file", Utf8),
    req("served_teu", Float64),
    req("unserved_teu", Float64),
    req("teu_days", Float64),
    req("usd", Float64),
    req("co2e_t", Float64),
    req("generalized_usd", Float64),
    req("change_unserved_teu", Float64),
    req("change_teu_days", Float64),
    req("change_generalized_usd", Float64),
];
