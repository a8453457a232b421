//! The searoute reader: network and ports, antimeridian, errors, and the real files when present.

use std::path::{Path, PathBuf};
use std::time::Instant;

use corridor_import::raw::function;
use corridor_import::searoute::normalize_lon;
use corridor_import::{ImportError, Layer, Mode, read_searoute_network, read_searoute_ports};
use corridor_snapshot::snap::haversine_km;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/searoute");

fn write(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("corridor-import-searoute-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn collection(features: &[&str]) -> String {
    format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(","))
}

fn line(coords: &str) -> String {
    format!(r#"{{"type":"Feature","properties":{{}},"geometry":{{"type":"LineString","coordinates":{coords}}}}}"#)
}

/// Number of connected components of a layer (union-find).
fn components(layer: &Layer) -> usize {
    let mut parent: Vec<u32> = (0..layer.node_count() as u32).collect();
    fn find(p: &mut [u32], mut x: u32) -> u32 {
        while p[x as usize] != x {
            p[x as usize] = p[p[x as usize] as usize];
            x = p[x as usize];
        }
        x
    }
    for e in &layer.edges {
        let (a, b) = (find(&mut parent, e.u), find(&mut parent, e.v));
        parent[a as usize] = b;
    }
    (0..layer.node_count() as u32).filter(|&x| find(&mut parent, x) == x).count()
}

#[test]
fn normalises_longitudes() {
    assert_eq!(normalize_lon(19.448813), 19.448813);
    assert_eq!(normalize_lon(-180.0), -180.0);
    assert_eq!(normalize_lon(180.0), -180.0);
    assert_eq!(normalize_lon(187.69043), 187.69043 - 360.0);
    assert_eq!(normalize_lon(-190.0), 170.0);
    assert_eq!(normalize_lon(720.5), 0.5);
    assert!((haversine_km((0.0, 179.5), (0.0, -179.5)) - haversine_km((0.0, 0.0), (0.0, 1.0))).abs() < 1e-9);
}

#[test]
fn merges_rounded_coordinates_and_crosses_the_antimeridian() {
    let text = collection(&[
        // 12.0000001 rounds to the same 1e-6 node as 12.
        &line("[[43.0, 12.0], [43.5, 12.0000001], [44.0, 12.5]]"),
        &line("[[44.0, 12.5], [44.0, 12.5], [45.0, 13.0]]"),
        // Bering: 180.5 is -179.5; 180 and -180 are one node.
        &line("[[179.5, 65.0], [180, 65.0], [180.5, 65.0]]"),
        &line("[[-180, 65.0], [-179.5, 65.0]]"),
        r#"{"type":"Feature","properties":{},"geometry":{"type":"MultiLineString","coordinates":[[[45.0, 13.0],[46.0,13.0]],[[46.0,13.0],[43.0,12.0]]]}}"#,
    ]);
    let layer = read_searoute_network(&write("net.geojson", &text)).unwrap();
    assert_eq!(layer.mode, Some(Mode::Sea));
    assert_eq!(layer.node_count(), 8);
    assert_eq!(layer.lat[..4], [12.0, 12.0000001, 12.5, 13.0]);
    assert_eq!(layer.lon[4..], [179.5, -180.0, -179.5, 46.0]);
    assert!(layer.lon.iter().all(|x| (-180.0..180.0).contains(x)));
    let pairs: Vec<(u32, u32)> = layer.edges.iter().map(|e| (e.u, e.v)).collect();
    // The repeated [44.0, 12.5] makes no self-loop; the second Bering line doubles 5-6.
    assert_eq!(pairs, [(0, 1), (1, 2), (2, 3), (4, 5), (5, 6), (5, 6), (3, 7), (7, 0)]);
    let half_degree_at_65 = haversine_km((65.0, 0.0), (65.0, 0.5));
    assert!((half_degree_at_65 - 23.5).abs() < 0.1, "{half_degree_at_65}");
    for k in [3, 4, 5] {
        assert!((layer.edges[k].km - half_degree_at_65).abs() < 1e-9, "{:?}", layer.edges[k]);
    }
    assert!(layer.edges.iter().all(|e| !e.oneway && e.gauge_mm == 0));
    assert_eq!(components(&layer), 2);
}

#[test]
fn network_errors_name_file_and_feature() {
    let err = |name: &str, features: &[&str]| read_searoute_network(&write(name, &collection(features))).unwrap_err();
    let ok = line("[[1,2],[3,4]]");
    let e = err("point.geojson", &[&ok, r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]}}"#]);
    assert!(e.to_string().contains("point.geojson: feature 1: expected a LineString"), "{e}");
    let e = err("short.geojson", &[&line("[[1,2]]")]);
    assert!(e.to_string().contains("feature 0: a line has 1 position(s)"), "{e}");
    let e = err("lat.geojson", &[&ok, &ok, &line("[[1,2],[3,95]]")]);
    assert!(e.to_string().contains("lat.geojson: feature 2: bad position [3,95]"), "{e}");
    let e = err("str.geojson", &[&line(r#"[[1,2],["3",4]]"#)]);
    assert!(e.to_string().contains("feature 0: bad position"), "{e}");
    let e = err("nogeom.geojson", &[r#"{"type":"Feature","geometry":null}"#]);
    assert!(e.to_string().contains("feature 0: no geometry"), "{e}");
    let e = read_searoute_network(&write("bad.json", "{not json")).unwrap_err();
    assert!(matches!(e, ImportError::Format { .. }) && e.to_string().contains("bad.json: invalid JSON"), "{e}");
    let e = read_searoute_network(&write("obj.json", r#"{"type":"Feature"}"#)).unwrap_err();
    assert!(e.to_string().contains("not a GeoJSON FeatureCollection"), "{e}");
}

fn port(code: &str, props: &str, coords: &str) -> String {
    format!(
        r#"{{"type":"Feature","geometry":{{"type":"Point","coordinates":{coords}}},"properties":{{"port":{code}{props}}}}}"#
    )
}

#[test]
fn reads_ports() {
    let text = collection(&[
        &port(r#""ALDRZ""#, r#","name":"Durres","cty":"Albania","t":1.0"#, "[19.448813, 41.318731]"),
        &port(r#""RU PKC""#, r#","name":null"#, "[190.5, 53.0]"),
    ]);
    let ports = read_searoute_ports(&write("ports.geojson", &text)).unwrap();
    assert_eq!(ports.len(), 2);
    assert_eq!((ports[0].code.as_str(), ports[0].name.as_str(), ports[0].country.as_str()), ("ALDRZ", "Durres", "AL"));
    assert_eq!((ports[0].lat, ports[0].lon, ports[0].functions), (41.318731, 19.448813, function::PORT));
    assert_eq!((ports[1].code.as_str(), ports[1].name.as_str(), ports[1].country.as_str()), ("RUPKC", "RUPKC", "RU"));
    assert_eq!(ports[1].lon, 190.5 - 360.0);

    let err = |name: &str, features: &[&str]| read_searoute_ports(&write(name, &collection(features))).unwrap_err();
    let ok = port(r#""ALDRZ""#, "", "[1,2]");
    let e = err("p1.geojson", &[&ok, &port("12", "", "[1,2]")]);
    assert!(e.to_string().contains("p1.geojson: feature 1: field port: missing or not a string"), "{e}");
    let e = err("p2.geojson", &[&port(r#""al""#, "", "[1,2]")]);
    assert!(e.to_string().contains("feature 0: field port: \"al\" does not start with a country code"), "{e}");
    let e = err("p3.geojson", &[&ok, &ok, &line("[[1,2],[3,4]]")]);
    assert!(e.to_string().contains("feature 2: expected a Point, found LineString"), "{e}");
    let e = err("p4.geojson", &[&port(r#""ALDRZ""#, "", "[1]")]);
    assert!(e.to_string().contains("feature 0: bad position [1]"), "{e}");
}

#[test]
fn real_network() {
    let path = format!("{DATA}/marnet_searoute.geojson");
    if !Path::new(&path).exists() {
        eprintln!("skipped: {path} not found");
        return;
    }
    let t = Instant::now();
    let layer = read_searoute_network(Path::new(&path)).unwrap();
    let comps = components(&layer);
    let km: f64 = layer.edges.iter().map(|e| e.km).sum();
    eprintln!(
        "searoute: {} nodes, {} edges, {comps} component(s), {km:.0} km in {:?}",
        layer.node_count(),
        layer.edges.len(),
        t.elapsed()
    );
    assert_eq!((layer.node_count(), layer.edges.len(), comps), (9_686, 15_936, 1));
    assert!(layer.lon.iter().all(|x| (-180.0..180.0).contains(x)));
    // No edge jumps across the map: the longest open-ocean segment is about 3,600 km.
    let longest = layer.edges.iter().map(|e| e.km).fold(0.0, f64::max);
    assert!(longest < 4_000.0, "{longest}");
}

#[test]
fn real_ports() {
    let path = format!("{DATA}/ports.geojson");
    if !Path::new(&path).exists() {
        eprintln!("skipped: {path} not found");
        return;
    }
    let ports = read_searoute_ports(Path::new(&path)).unwrap();
    assert_eq!(ports.len(), 3962);
    let durres = &ports[0];
    assert_eq!((durres.code.as_str(), durres.name.as_str(), durres.country.as_str()), ("ALDRZ", "Durres", "AL"));
    assert!(ports.iter().all(|p| p.functions == function::PORT && p.country.len() == 2));
    assert_eq!(ports.iter().filter(|p| p.code.len() != 5).count(), 1, "EG (Ras Budran) has no location part");
    let mut codes: Vec<&str> = ports.iter().map(|p| p.code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), 3962 - 38, "38 codes appear twice");
    for code in ["KZAAU", "AZBAK", "GEPTI", "CNLYG"] {
        assert!(ports.iter().any(|p| p.code == code), "{code}");
    }
}
