//! Integration tests of corridor-analytics: fixture networks with known answers, the
//! min-cost flow against good_lp + microlp, scenario application and its errors, and the
//! default data (bottlenecks, scenario shifts, resilience).

mod choice;
mod default_data;
mod fixtures;
mod mcf_oracle;
mod scenarios;

use corridor_analytics::{Demand, DemandCell, WEEKS_PER_YEAR};
use corridor_model::Network;

/// A demand of `teu_week` TEU per week between two fixture locations.
pub fn demand(net: &Network, cells: &[(&str, &str, f64)]) -> Demand {
    Demand {
        cells: cells
            .iter()
            .map(|&(a, b, w)| DemandCell {
                from: net.location_by_code(a).unwrap(),
                to: net.location_by_code(b).unwrap(),
                teu_year: w * WEEKS_PER_YEAR,
                sources: vec![],
                notes: String::new(),
                corridor: None,
            })
            .collect(),
    }
}
