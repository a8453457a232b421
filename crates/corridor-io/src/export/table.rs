//! CSV exports: one row per leg, or one row per corridor.

use corridor_model::Network;
use corridor_search::{Comparison, Route};

use super::dto::{LegDto, round};

fn write(rows: Vec<Vec<String>>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        // Writing to memory cannot fail.
        w.write_record(&r).expect("in-memory CSV");
    }
    String::from_utf8(w.into_inner().expect("in-memory CSV")).expect("UTF-8 input gives UTF-8 CSV")
}

/// The legs of a route as CSV.
pub fn route_csv(net: &Network, r: &Route) -> String {
    let mut rows = vec![
        [
            "seq",
            "kind",
            "platform",
            "from",
            "from_name",
            "to",
            "to_name",
            "km",
            "hours",
            "hours_p90",
            "usd",
            "co2e_wtw_kg",
            "co2e_ttw_kg",
            "corridors",
            "description",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for (i, leg) in r.legs.iter().enumerate() {
        let d = LegDto::new(net, leg, r.depart);
        rows.push(vec![
            (i + 1).to_string(),
            d.kind,
            d.platform,
            d.from,
            d.from_name,
            d.to,
            d.to_name,
            d.km.to_string(),
            d.hours.to_string(),
            d.hours_p90.to_string(),
            d.usd.to_string(),
            d.co2e_wtw_kg.to_string(),
            d.co2e_ttw_kg.to_string(),
            d.corridors.join("|"),
            d.description,
        ]);
    }
    write(rows)
}

/// A comparison as CSV, one row per corridor (empty figures and an `error` when it has none).
pub fn comparison_csv(net: &Network, c: &Comparison) -> String {
    let mut rows = vec![
        [
            "corridor",
            "km",
            "days",
            "usd",
            "co2e_wtw_kg",
            "co2e_ttw_kg",
            "borders",
            "gauge_changes",
            "transshipments",
            "countries",
            "error",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for cr in &c.corridors {
        let code = net.corridors[cr.corridor.index()].code.clone();
        rows.push(match &cr.route {
            Ok(r) => {
                let t = &r.totals;
                vec![
                    code,
                    round(t.km.0, 1).to_string(),
                    round(t.hours.days(), 2).to_string(),
                    round(t.usd.0, 2).to_string(),
                    round(t.emissions.wtw.0, 2).to_string(),
                    round(t.emissions.ttw.0, 2).to_string(),
                    t.borders.to_string(),
                    t.gauge_changes.to_string(),
                    t.transshipments.to_string(),
                    r.countries.join("-"),
                    String::new(),
                ]
            }
            Err(e) => {
                let mut row = vec![code];
                row.extend(std::iter::repeat_n(String::new(), 9));
                row.push(e.to_string());
                row
            }
        });
    }
    write(rows)
}
