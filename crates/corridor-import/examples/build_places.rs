//! Rebuilds the embedded place index (`data/places/`) from the shared open data:
//!
//! ```text
//! cargo run --release -p corridor-import --example build_places -- ../shared/data data/places
//! ```
//!
//! Reads `unlocode/unlocode_2024_geoapify.csv.gz`, `geonames/cities15000_alternatenames.csv.gz`,
//! `searoute/ports.geojson` and `natural_earth/ne_50m_admin_0_countries.geojson.gz` under the
//! first argument and writes
//! `places.tsv`, `keys.fst` and `postings.bin` into the second, adding the curated border posts
//! of `extra_places.csv`, the hand-made places of `curated_places.csv` and the trade codes of `trade_codes.csv` found there. The output is deterministic;
//! `crates/corridor-import/tests/it/places.rs` checks that the committed files equal a rebuild.

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args_os().skip(1);
    let (Some(shared), Some(out)) = (args.next().map(PathBuf::from), args.next().map(PathBuf::from)) else {
        return Err("usage: build_places <shared data dir> <output dir>".into());
    };
    let mut records = corridor_import::places::read_places(
        &shared.join("unlocode/unlocode_2024_geoapify.csv.gz"),
        &shared.join("geonames/cities15000_alternatenames.csv.gz"),
        &shared.join("searoute/ports.geojson"),
        &corridor_import::Countries::load(&shared.join("natural_earth/ne_50m_admin_0_countries.geojson.gz"))?,
        &corridor_import::places::read_index_extras(&out)?,
    )?;
    let mut reader = csv::Reader::from_path(out.join("trade_codes.csv"))?;
    let mut codes = Vec::new();
    for row in reader.records() {
        let row = row?;
        codes.push((row[0].to_owned(), row[1].to_owned()));
    }
    corridor_import::places::apply_trade_codes(&mut records, &codes)?;
    let encoded = corridor_places::encode(&records)?;
    std::fs::create_dir_all(&out)?;
    std::fs::write(out.join("places.tsv"), &encoded.places_tsv)?;
    std::fs::write(out.join("keys.fst"), &encoded.keys_fst)?;
    std::fs::write(out.join("postings.bin"), &encoded.postings)?;
    println!(
        "{} places, {} keys: places.tsv {} bytes, keys.fst {} bytes, postings.bin {} bytes",
        records.len(),
        fst::Map::new(encoded.keys_fst.clone())?.len(),
        encoded.places_tsv.len(),
        encoded.keys_fst.len(),
        encoded.postings.len()
    );
    Ok(())
}
