//! The place index builder: its rules on small inputs, and the committed index equal to a
//! rebuild from the shared sources.

use std::path::Path;

use corridor_import::UnlocodeEntry;
use corridor_import::places::{self, City, ExtraPlace, name_forms};
use corridor_import::raw::{Terminal, function};
use corridor_places::Functions;

fn entry(code: &str, name: &str, country: &str, lat: f64, lon: f64, functions: u8) -> UnlocodeEntry {
    UnlocodeEntry {
        terminal: Terminal { code: code.into(), name: name.into(), country: country.into(), lat, lon, functions },
        local_name: None,
        extra_names: Vec::new(),
    }
}

fn city(id: u64, name: &str, country: &str, lat: f64, lon: f64, population: u64, alternates: &[&str]) -> City {
    City {
        id,
        name: name.into(),
        country: country.into(),
        lat,
        lon,
        population,
        tz: "Asia/Shanghai".into(),
        alternates: alternates.iter().map(|s| s.to_string()).collect(),
    }
}

#[test]
fn name_forms_drop_suffixes_slashes_and_qualifiers() {
    assert_eq!(name_forms("Tianjin Xingang Pt"), ["Tianjin Xingang"]);
    assert_eq!(name_forms("Muhammad Bin Qasim/Karachi"), ["Muhammad Bin Qasim"]);
    assert_eq!(name_forms("El Iskandariya (Alexandria)"), ["El Iskandariya", "Alexandria"]);
    assert!(name_forms("Shenzhen Baoan International Apt").contains(&"Shenzhen Baoan".to_string()));
    assert!(name_forms("Qingdao").is_empty());
}

#[test]
fn a_city_merges_with_the_entry_of_its_name_and_ranks_by_size() {
    let entries = vec![
        entry("CNQIN", "Qingdao", "CN", 36.05, 120.3, function::PORT | function::RAIL),
        entry("CNXXX", "Qingdao", "CN", 38.0, 120.3, function::ROAD), // 220 km away: no merge
    ];
    let cities = vec![
        city(1, "Qingdao", "CN", 36.0649, 120.3804, 7_000_000, &["Tsingtao", "青岛"]),
        city(2, "Small", "CN", 30.0, 110.0, 20_000, &[]),
    ];
    let records = places::merge(entries, cities);
    assert_eq!(records[0].code, "CNQIN");
    assert!(records[0].functions.contains(Functions::CITY) && records[0].functions.contains(Functions::PORT));
    assert_eq!((records[0].lat, records[0].lon), (36.0649, 120.3804), "the city's position");
    assert_eq!(records[0].population, 7_000_000);
    assert!(records[0].aliases.iter().any(|a| a == "青岛"));
    // The city's GeoNames id still names it after the merge.
    assert!(records[0].aliases.iter().any(|a| a == "GN1"), "{:?}", records[0].aliases);
    assert!(!records[2].aliases.iter().any(|a| a.starts_with("GN")), "an entry without a city has no id alias");
    let codes: Vec<&str> = records.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, ["CNQIN", "GN2", "CNXXX"], "rank: population, then functions");
}

#[test]
fn an_entry_takes_the_city_of_its_own_name_before_one_that_lists_it_as_an_alternate() {
    // GeoNames' Fengshan lists the old county name "Kaohsiung" among its alternate names and
    // comes first in GeoNames order; UN/LOCODE's Kaohsiung is the city of Kaohsiung.
    let entries = vec![entry("TWKHH", "Kaohsiung", "TW", 22.62, 120.312, function::PORT)];
    let cities = vec![
        city(1, "Fengshan", "TW", 22.6266, 120.3613, 356_463, &["Kaohsiung", "Fongshan"]),
        city(2, "Kaohsiung", "TW", 22.6163, 120.3133, 2_737_660, &["Kaohsiung City"]),
    ];
    let records = places::merge(entries, cities);
    let port = records.iter().find(|r| r.code == "TWKHH").expect("the entry");
    assert_eq!((port.name.as_str(), port.population), ("Kaohsiung", 2_737_660));
    assert!(records.iter().any(|r| r.code == "GN1" && r.name == "Fengshan"), "Fengshan stays a place");
    // With no city of its own name, the nearest of the cities it won.
    let entries = vec![entry("TWXXX", "Old County", "TW", 22.62, 120.312, function::PORT)];
    let cities = vec![
        city(1, "Far", "TW", 22.80, 120.312, 500_000, &["Old County"]),
        city(2, "Near", "TW", 22.63, 120.312, 100_000, &["Old County"]),
    ];
    let records = places::merge(entries, cities);
    assert_eq!(records.iter().find(|r| r.code == "TWXXX").map(|r| r.name.as_str()), Some("Near"));
}

#[test]
fn a_port_geocoded_inland_takes_searoute_s_position() {
    let port = |code: &str, name: &str, lat: f64, lon: f64| Terminal {
        code: code.into(),
        name: name.into(),
        country: "IR".into(),
        lat,
        lon,
        functions: function::PORT,
    };
    let mut entries = vec![
        // UN/LOCODE puts Chabahar's port near Shiraz, 194 km from any searoute port.
        entry("IRZBR", "Chah Bahar", "IR", 30.01833, 52.38389, function::PORT | function::AIRPORT),
        // A code whose searoute namesake is another place, with the entry on the coast: kept.
        entry("IRBND", "Bandar Abbas", "IR", 27.18, 56.28, function::PORT),
        // An inland entry that is no port: kept.
        entry("IRXXX", "Inland", "IR", 32.0, 54.0, function::ROAD),
    ];
    let ports = vec![
        port("IRZBR", "Chabahar", 25.283682, 60.616706),
        port("IRBND", "Elsewhere", 26.5, 54.9),
        port("IRXXX", "Somewhere", 27.0, 56.0),
        port("IRBUZ", "Bushehr", 28.9, 50.8),
    ];
    places::add_searoute_ports(&mut entries, &ports);
    let t = &entries[0];
    assert_eq!((t.terminal.lat, t.terminal.lon), (25.283682, 60.616706));
    assert_eq!(t.extra_names, ["Chabahar"]);
    assert_eq!((entries[1].terminal.lat, entries[1].terminal.lon), (27.18, 56.28));
    assert!(entries[1].extra_names.is_empty());
    assert_eq!((entries[2].terminal.lat, entries[2].terminal.lon), (32.0, 54.0));
    // Bushehr has no entry: it becomes one.
    assert!(entries.iter().any(|e| e.terminal.code == "IRBUZ"));
}

#[test]
fn an_entry_named_after_a_big_city_but_far_from_it_moves_to_it() {
    let mut entries = vec![entry("CNSZX", "Shenzhen Baoan International Apt", "CN", 37.75, 75.23, function::AIRPORT)];
    let cities = vec![city(1, "Shenzhen", "CN", 22.5455, 114.0683, 17_000_000, &[])];
    assert_eq!(places::relocate(&mut entries, &cities), 1);
    assert_eq!((entries[0].terminal.lat, entries[0].terminal.lon), (22.5455, 114.0683));
}

#[test]
fn a_border_post_joins_the_entry_of_its_name_or_stands_alone() {
    let mut entries = vec![entry("TMFAR", "Farap", "TM", 39.17, 63.6, function::RAIL)];
    let post = |code: &str, name: &str, lat: f64| ExtraPlace {
        code: code.into(),
        name: name.into(),
        aliases: vec!["Фарап".into(), "Farab".into()],
        country: "TM".into(),
        lat,
        lon: 63.6,
        functions: function::BORDER | function::ROAD,
    };
    places::add_extra_places(&mut entries, &[post("XBTMFAR", "Farap", 39.2), post("XBTMOTH", "Other", 39.5)]);
    assert_eq!(entries.len(), 2);
    assert!(entries[0].terminal.functions & function::BORDER != 0);
    // "Фарап" folds to the same key as "Farap" and adds nothing.
    assert_eq!(entries[0].extra_names, ["Farab"]);
    assert_eq!(entries[1].terminal.code, "XBTMOTH");
}

/// The committed `data/places/` equals a rebuild from `../shared/data` (the build is
/// deterministic), so the index is reproducible from its stated sources.
#[test]
fn committed_place_index_equals_a_rebuild_from_the_sources() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let shared = root.join("../shared/data");
    if !shared.join("unlocode").exists() {
        eprintln!("SKIPPED: {} is not present; the place index cannot be rebuilt here", shared.display());
        return;
    }
    let out = root.join("data/places");
    let mut records = places::read_places(
        &shared.join("unlocode/unlocode_2024_geoapify.csv.gz"),
        &shared.join("geonames/cities15000_alternatenames.csv.gz"),
        &shared.join("searoute/ports.geojson"),
        &corridor_import::Countries::load(&shared.join("natural_earth/ne_50m_admin_0_countries.geojson.gz")).unwrap(),
        &places::read_index_extras(&out).unwrap(),
    )
    .unwrap();
    let codes: Vec<(String, String)> = std::fs::read_to_string(out.join("trade_codes.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            let mut f = l.splitn(3, ',');
            (f.next().unwrap().to_owned(), f.next().unwrap().to_owned())
        })
        .collect();
    places::apply_trade_codes(&mut records, &codes).unwrap();
    let encoded = corridor_places::encode(&records).unwrap();
    assert!(
        encoded.places_tsv == std::fs::read_to_string(out.join("places.tsv")).unwrap(),
        "data/places/places.tsv differs from a rebuild: run the build_places example"
    );
    assert!(encoded.keys_fst == std::fs::read(out.join("keys.fst")).unwrap(), "keys.fst differs from a rebuild");
    assert!(encoded.postings == std::fs::read(out.join("postings.bin")).unwrap(), "postings.bin differs");
}

/// The committed core network (`data/eurasia/*.csv` written by the build, and its report)
/// equals a rebuild from `../shared/data` and the overlay: the network is reproducible from its
/// stated sources.
#[test]
fn committed_core_equals_a_rebuild_from_the_sources() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let shared = root.join("../shared/data");
    if !shared.join("osm_rail_scgraph").exists() {
        eprintln!("SKIPPED: {} is not present; the corridor core cannot be rebuilt here", shared.display());
        return;
    }
    let dataset = root.join("data/eurasia");
    let (built, _) =
        corridor_import::corebuild::build_dir(&shared, &dataset, &corridor_import::corebuild::Config::default())
            .unwrap();
    for (name, text) in &built.files {
        let committed = std::fs::read_to_string(dataset.join(name)).unwrap();
        assert!(committed == *text, "data/eurasia/{name} differs from a rebuild: run the build_core example");
    }
    let report = std::fs::read_to_string(dataset.join("BUILD_REPORT.md")).unwrap();
    assert!(report == built.report, "data/eurasia/BUILD_REPORT.md differs from a rebuild");
    // The floor: at least 600 freight places.
    assert!(built.files["locations.csv"].lines().count() > 600);
}
