//! `corridor network`: the network's links with their geometry, the same GeoJSON as
//! `/v1/network` (one function writes both), as CSV, or a summary table.

use std::collections::BTreeMap;
use std::path::PathBuf;

use corridor_model::Mode;

use crate::args::{Format, NetworkArgs};
use crate::common::{Failure, fail, load, snapshot};
use crate::render::{Align, TextTable};

/// Runs `network` on the dataset (embedded or `--data DIR`); snapshots are refused.
pub(crate) fn run(data: Option<&PathBuf>, args: NetworkArgs) -> Result<(), Failure> {
    if snapshot(data).is_some() {
        return Err(fail(
            2,
            "network lists the corridor network's links; a detailed snapshot has none (use table or route)",
        ));
    }
    let net = load(data)?;
    let mut corridors = Vec::new();
    for (i, c) in args.corridor.iter().enumerate() {
        let id = net.corridor_by_code(c.trim()).ok_or_else(|| {
            let known: Vec<&str> = net.corridors.iter().map(|c| c.code.as_str()).collect();
            fail(2, format!("--corridor {c} (item {}): unknown corridor (known: {})", i + 1, known.join(", ")))
        })?;
        corridors.push(id.index());
    }
    let mut modes = Vec::new();
    for (i, m) in args.mode.iter().enumerate() {
        modes.push(
            m.trim()
                .to_ascii_lowercase()
                .parse::<Mode>()
                .map_err(|e| fail(2, format!("--mode {m} (item {}): {e}", i + 1)))?,
        );
    }
    let geo = corridor_io::export::network_geojson(&net, &corridors, &modes);
    let features = geo["features"].as_array().map(Vec::as_slice).unwrap_or_default();
    match args.format {
        Format::Geojson | Format::Json => println!("{geo}"),
        Format::Csv => print!("{}", corridor_io::export::network_csv(&geo)),
        Format::Table => {
            // Links and km by mode, and how many are drawn as straight lines.
            let mut by_mode: BTreeMap<String, (usize, f64, usize)> = BTreeMap::new();
            for f in features {
                let p = &f["properties"];
                let e = by_mode.entry(p["mode"].as_str().unwrap_or("").to_owned()).or_default();
                e.0 += 1;
                e.1 += p["km"].as_f64().unwrap_or(0.0);
                e.2 += usize::from(p["straight"].as_bool().unwrap_or(false));
            }
            let mut t = TextTable::new(&[
                ("mode", Align::Left),
                ("links", Align::Right),
                ("km", Align::Right),
                ("straight", Align::Right),
            ]);
            for (m, (n, km, s)) in &by_mode {
                t.row(vec![m.clone(), n.to_string(), format!("{km:.0}"), s.to_string()]);
            }
            print!("{}", t.render());
            println!(
                "{} locations, {} links; `--format geojson` or `csv` lists every link with its geometry",
                net.locations.len(),
                features.len()
            );
        }
    }
    Ok(())
}
