//! Origin–destination demand in TEU per year, and growth scenarios as multipliers.
//!
//! Cells name locations by code; each carries the source ids of its derivation (a published
//! corridor total and, where it was split over OD pairs, the `estimate` source stating the
//! split rule). The assignment works per week, the unit of the capacities, so
//! [`WEEKS_PER_YEAR`] converts.

use corridor_model::{CorridorId, LocationId, Network};

use crate::csvdata::{DataError, parse_rows};

/// 365 / 7: capacities are per week, demand per year.
pub const WEEKS_PER_YEAR: f64 = 365.0 / 7.0;

/// The default 2024 demand (`data/eurasia/demand_2024.csv`).
pub const DEFAULT_DEMAND_CSV: &str = include_str!("../../../data/eurasia/demand_2024.csv");

/// One OD cell.
#[derive(Clone, Debug, PartialEq)]
pub struct DemandCell {
    /// Origin location.
    pub from: LocationId,
    /// Destination location.
    pub to: LocationId,
    /// TEU per year.
    pub teu_year: f64,
    /// Source ids of the derivation.
    pub sources: Vec<String>,
    /// How the figure was derived.
    pub notes: String,
    /// The corridor the volume was counted on (`corridor` column, optional): the assignment
    /// keeps the cell to that corridor's links and feeders, as `route --corridor` does. Empty
    /// for demand that may take any route.
    pub corridor: Option<CorridorId>,
}

/// An OD matrix as a list of cells (sparse; corridors have few OD pairs).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Demand {
    /// The cells, in file order.
    pub cells: Vec<DemandCell>,
}

impl Demand {
    /// Parses demand CSV (`from,to,teu_year,src,notes[,corridor]`): locations by code, sources from
    /// `net.sources`. Returns every error with `file:line:field`.
    pub fn parse(net: &Network, file: &str, text: &str) -> Result<Demand, Vec<DataError>> {
        let mut cells = Vec::new();
        let errors = parse_rows(file, text, &["from", "to", "teu_year", "src", "notes", "corridor?"], |row| {
            let loc = |field: &str| {
                let code = row.get(field);
                net.location_by_code(code).ok_or_else(|| row.error(field, format!("unknown location {code:?}")))
            };
            let (from, to) = (loc("from")?, loc("to")?);
            if from == to {
                return Err(row.error("to", "origin and destination are the same location"));
            }
            let teu_year = row.number("teu_year", 0.0, 1e9)?;
            let sources = row.sources(net, "src")?;
            let corridor = match row.get("corridor") {
                "" => None,
                code => Some(net.corridor_by_code(code).ok_or_else(|| {
                    let known: Vec<&str> = net.corridors.iter().map(|c| c.code.as_str()).collect();
                    row.error("corridor", format!("unknown corridor {code:?} (known: {})", known.join(", ")))
                })?),
            };
            cells.push(DemandCell { from, to, teu_year, sources, notes: row.get("notes").to_string(), corridor });
            Ok(())
        });
        if errors.is_empty() { Ok(Demand { cells }) } else { Err(errors) }
    }

    /// Total TEU per year.
    pub fn total_teu_year(&self) -> f64 {
        self.cells.iter().map(|c| c.teu_year).sum()
    }

    /// Applies a growth scenario: each cell is multiplied by the factor of the first rule whose
    /// source id it cites, else by `growth.default`.
    pub fn grown(&self, growth: &Growth) -> Demand {
        let cells = self
            .cells
            .iter()
            .map(|c| {
                let f = growth
                    .by_source
                    .iter()
                    .find(|(src, _)| c.sources.iter().any(|s| s == src))
                    .map_or(growth.default, |(_, f)| *f);
                DemandCell { teu_year: c.teu_year * f, ..c.clone() }
            })
            .collect();
        Demand { cells }
    }
}

/// A synthetic growth scenario: multipliers by the source id of a demand segment.
#[derive(Clone, Debug, PartialEq)]
pub struct Growth {
    /// Name shown in reports.
    pub name: String,
    /// Multiplier for cells not matched by `by_source`.
    pub default: f64,
    /// `(source id, multiplier)`: cells citing the id get the multiplier.
    pub by_source: Vec<(String, f64)>,
}

impl Growth {
    /// The built-in growth scenarios:
    /// - `titr-2025`: Middle Corridor cells x 77,000 / 56,500 (TITR 2025 vs 2024 TEU, report.az);
    /// - `titr-2029-target`: Middle Corridor cells x 300,000 / 56,500 (the 2029 TITR target);
    /// - `uniform-1.5`: every cell x 1.5 (a round stress test, not a forecast).
    pub fn presets() -> Vec<Growth> {
        vec![
            Growth {
                name: "titr-2025".into(),
                default: 1.0,
                by_source: vec![("DEM-TITR-2024".into(), 77_000.0 / 56_500.0)],
            },
            Growth {
                name: "titr-2029-target".into(),
                default: 1.0,
                by_source: vec![("DEM-TITR-2024".into(), 300_000.0 / 56_500.0)],
            },
            Growth { name: "uniform-1.5".into(), default: 1.5, by_source: vec![] },
        ]
    }
}
