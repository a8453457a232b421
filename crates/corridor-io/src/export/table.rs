//! CSV exports: one row per leg, per corridor, or per network link. Written from the result DTOs, so
//! every backend's routes have the same columns (a figure the backend does not know is empty).

use super::dto::{ComparisonDto, RouteDto};

pub(super) fn write(rows: Vec<Vec<String>>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        // Writing to memory cannot fail.
        w.write_record(&r).expect("in-memory CSV");
    }
    String::from_utf8(w.into_inner().expect("in-memory CSV")).expect("UTF-8 input gives UTF-8 CSV")
}

fn opt<T: ToString>(x: Option<T>) -> String {
    x.map_or(String::new(), |v| v.to_string())
}

/// The header of [`route_csv`].
pub const ROUTE_CSV_HEADER: [&str; 18] = [
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
    "usd_p10",
    "usd_p90",
    "price_basis",
    "co2e_wtw_kg",
    "co2e_ttw_kg",
    "corridors",
    "description",
];

/// The header of [`comparison_csv`].
pub const COMPARISON_CSV_HEADER: [&str; 14] = [
    "corridor",
    "km",
    "days",
    "usd",
    "usd_p10",
    "usd_p90",
    "price_basis",
    "co2e_wtw_kg",
    "co2e_ttw_kg",
    "borders",
    "gauge_changes",
    "transshipments",
    "countries",
    "error",
];

/// The legs of a route as CSV.
pub fn route_csv(r: &RouteDto) -> String {
    let mut rows = vec![ROUTE_CSV_HEADER.map(String::from).to_vec()];
    for (i, d) in r.legs.iter().enumerate() {
        rows.push(vec![
            (i + 1).to_string(),
            d.kind.clone(),
            d.platform.clone(),
            d.from.clone(),
            d.from_name.clone(),
            d.to.clone(),
            d.to_name.clone(),
            d.km.to_string(),
            d.hours.to_string(),
            d.hours_p90.to_string(),
            d.usd.to_string(),
            opt(d.usd_p10),
            opt(d.usd_p90),
            d.price_basis.clone().unwrap_or_default(),
            d.co2e_wtw_kg.to_string(),
            opt(d.co2e_ttw_kg),
            d.corridors.join("|"),
            d.description.clone(),
        ]);
    }
    write(rows)
}

/// A comparison as CSV, one row per corridor (on a snapshot: per objective), with empty
/// figures and an `error` when it has no route.
pub fn comparison_csv(c: &ComparisonDto) -> String {
    let mut rows = vec![COMPARISON_CSV_HEADER.map(String::from).to_vec()];
    for cr in &c.corridors {
        rows.push(match (&cr.route, &cr.error) {
            (Some(r), _) => {
                let t = &r.totals;
                vec![
                    cr.id.clone(),
                    t.km.to_string(),
                    t.days.to_string(),
                    t.usd.to_string(),
                    opt(t.usd_p10),
                    opt(t.usd_p90),
                    t.price_basis.clone().unwrap_or_default(),
                    t.co2e_wtw_kg.to_string(),
                    opt(t.co2e_ttw_kg),
                    t.borders.to_string(),
                    t.gauge_changes.to_string(),
                    opt(t.transshipments),
                    r.countries.join("-"),
                    String::new(),
                ]
            }
            (None, e) => {
                let mut row = vec![cr.id.clone()];
                row.extend(std::iter::repeat_n(String::new(), COMPARISON_CSV_HEADER.len() - 2));
                row.push(e.as_ref().map_or(String::new(), |e| e.message.clone()));
                row
            }
        });
    }
    write(rows)
}

/// The header of [`network_csv`].
pub const NETWORK_CSV_HEADER: [&str; 10] =
    ["id", "from", "to", "mode", "platform", "km", "corridors", "straight", "transit", "points"];

/// One row per link of a [`super::network_geojson`] collection (so the CSV and the GeoJSON
/// list the same links): corridors and transit countries `|`-separated, `points` the number of
/// geometry points.
pub fn network_csv(geojson: &serde_json::Value) -> String {
    let mut rows = vec![NETWORK_CSV_HEADER.iter().map(|h| (*h).to_owned()).collect()];
    for f in geojson["features"].as_array().into_iter().flatten() {
        let p = &f["properties"];
        let s = |k: &str| p[k].as_str().unwrap_or("").to_owned();
        let list = |k: &str| -> String {
            p[k].as_array().into_iter().flatten().filter_map(|c| c.as_str()).collect::<Vec<_>>().join("|")
        };
        let points = f["geometry"]["coordinates"].as_array().map_or(0, Vec::len);
        rows.push(vec![
            s("id"),
            s("from"),
            s("to"),
            s("mode"),
            s("platform"),
            p["km"].to_string(),
            list("corridors"),
            p["straight"].to_string(),
            list("transit"),
            points.to_string(),
        ]);
    }
    write(rows)
}
