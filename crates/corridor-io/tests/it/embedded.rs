//! The embedded default dataset loads cleanly and covers what the product promises.

use corridor_io::{DatasetFiles, load};
use corridor_model::{LocationIndex, Mode, Platform};

#[test]
fn embedded_dataset_has_no_errors_or_warnings() {
    let loaded = load(&DatasetFiles::embedded()).unwrap_or_else(|d| {
        panic!("embedded dataset has errors:\n{}", d.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"))
    });
    let warnings: Vec<String> = loaded.warnings.iter().map(|d| d.to_string()).collect();
    assert!(warnings.is_empty(), "warnings:\n{}", warnings.join("\n"));
    let net = loaded.network;
    assert!(net.locations.len() >= 100, "only {} locations", net.locations.len());
    for code in ["northern", "middle", "instc", "sea"] {
        assert!(net.corridor_by_code(code).is_some(), "corridor {code} missing");
    }
    // Every required place resolves by a natural spelling.
    let index = LocationIndex::new(&net.locations);
    for name in [
        "Xi'an",
        "Xian",
        "西安",
        "Chongqing",
        "Chengdu",
        "Zhengzhou",
        "Yiwu",
        "Urumqi",
        "Alashankou",
        "Dostyk",
        "Druzhba",
        "Khorgos",
        "Altynkol",
        "Almaty",
        "Astana",
        "Aktau",
        "Kuryk",
        "Baku",
        "Alat",
        "Turkmenbashi",
        "Tbilisi",
        "Poti",
        "Batumi",
        "Akhalkalaki",
        "Kars",
        "Istanbul",
        "Mersin",
        "Moscow",
        "Astrakhan",
        "Brest",
        "Malaszewicze",
        "Małaszewicze",
        "Duisburg",
        "Hamburg",
        "Tashkent",
        "Bishkek",
        "Tehran",
        "Bandar Abbas",
        "Sarakhs",
        "Incheh Borun",
        "Astara",
        "Shanghai",
        "Rotterdam",
    ] {
        assert!(index.find(name).is_ok(), "{name}: {:?}", index.find(name));
    }
    // Both gauges meet at the break-of-gauge stations.
    for code in ["Dostyk", "Brest", "Akhalkalaki"] {
        let l = net.location(index.find(code).unwrap());
        assert!(
            l.serves(Platform::Rail { gauge_mm: 1435 }) && l.serves(Platform::Rail { gauge_mm: 1520 }),
            "{} lacks a gauge",
            l.name
        );
    }
    assert!(net.links.iter().any(|l| l.mode == Mode::Ferry), "no ferry links");
    // Every source id the data uses is documented with a URL or a method.
    for s in &net.sources {
        assert!(!s.url.is_empty() || !s.note.is_empty(), "source {} has neither URL nor note", s.code);
    }
}
