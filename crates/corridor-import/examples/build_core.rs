//! Builds the default corridor core (`data/eurasia`) from `../shared/data` and the overlay in
//! `data/eurasia/overlay/` (see `corridor_import::corebuild`).
//!
//! ```sh
//! cargo run --release -p corridor-import --example build_core -- ../shared/data data/eurasia
//! ```
//!
//! A third argument writes the output to another directory (copy the other dataset files there
//! to load it with `--data`). Writes `locations.csv`, `links.csv`, `borders.csv`, `transfers.csv`, `geometry.csv`,
//! `sources.csv` and `BUILD_REPORT.md` into the dataset directory. Deterministic: the same inputs
//! give byte-identical files.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use corridor_import::Mode;
use corridor_import::corebuild::{self, Config, Inputs};
use corridor_import::corenet::NetGraph;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args_os().skip(1);
    let (Some(shared), Some(out)) = (args.next().map(PathBuf::from), args.next().map(PathBuf::from)) else {
        return Err("usage: build_core <shared data dir> <dataset dir> [output dir]".into());
    };
    // The output goes to the dataset directory unless another one is given (to try a change).
    let target = args.next().map_or_else(|| out.clone(), PathBuf::from);
    let cfg = Config::default();
    let t = Instant::now();
    let rail = corridor_import::read_scgraph(
        &shared.join("osm_rail_scgraph/world_railways_eurasia_nodes.csv.gz"),
        &shared.join("osm_rail_scgraph/world_railways_eurasia_edges.csv.gz"),
        Mode::Rail,
    )?;
    let joins = std::fs::read_to_string(out.join("overlay/joins.csv")).unwrap_or_default();
    let (rail, missing) = NetGraph::from_layer_joined(&rail, cfg.heal_km, &corebuild::read_joins(&joins, "rail")?);
    if !missing.is_empty() {
        return Err(format!("overlay/joins.csv: rail joins {missing:?} have an end with no vertex within 5 km").into());
    }
    let road = corridor_import::read_scgraph(
        &shared.join("osm_road_scgraph/world_highways_eurasia_nodes.csv.gz"),
        &shared.join("osm_road_scgraph/world_highways_eurasia_edges.csv.gz"),
        Mode::Road,
    )?;
    let (road, missing) = NetGraph::from_layer_joined(&road, cfg.heal_km, &corebuild::read_joins(&joins, "road")?);
    if !missing.is_empty() {
        return Err(format!("overlay/joins.csv: road joins {missing:?} have an end with no vertex within 5 km").into());
    }
    let sea = corebuild::read_sea(&shared.join("searoute/marnet_searoute.geojson"))?;
    let countries =
        corridor_import::Countries::load(&shared.join("natural_earth/ne_50m_admin_0_countries.geojson.gz"))?;
    let ports = corebuild::read_ne_ports(&shared.join("natural_earth/ne_10m_ports.geojson"))?;
    eprintln!(
        "read in {:.1} s: rail {} vertices ({} healed gaps), road {} ({} healed), sea {}",
        t.elapsed().as_secs_f64(),
        rail.len(),
        rail.healed.len(),
        road.len(),
        road.healed.len(),
        sea.graph.len()
    );
    let mut overlay = BTreeMap::new();
    let dir = out.join("overlay");
    for name in [
        "curated/locations.csv",
        "curated/links.csv",
        "curated/borders.csv",
        "curated/transfers.csv",
        "curated/geometry.csv",
        "curated/sources.csv",
        "rules.csv",
        "nodes.csv",
        "borders.csv",
        "transfers.csv",
        "lines.csv",
        "sources.csv",
        "corridors.csv",
    ] {
        let p = dir.join(name);
        // dataset.toml is read for its corridor ids (links may be tagged only with those).
        if p.exists() {
            overlay.insert(name.to_owned(), std::fs::read_to_string(&p)?);
        }
    }
    overlay.insert("../dataset.toml".to_owned(), std::fs::read_to_string(out.join("dataset.toml"))?);
    let places = corridor_places::PlaceIndex::embedded();
    let inputs =
        Inputs { rail: &rail, road: &road, sea: &sea, countries: &countries, ports: &ports, places, overlay: &overlay };
    let t = Instant::now();
    let built = corebuild::build(&inputs, &cfg)?;
    eprintln!("built in {:.1} s", t.elapsed().as_secs_f64());
    std::fs::create_dir_all(&target)?;
    for (name, text) in &built.files {
        std::fs::write(target.join(name), text)?;
    }
    std::fs::write(target.join("BUILD_REPORT.md"), &built.report)?;
    println!("{}", built.report.lines().take(8).collect::<Vec<_>>().join("\n"));
    Ok(())
}
