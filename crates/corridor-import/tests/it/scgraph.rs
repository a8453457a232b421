//! The scgraph CSV reader: small graphs, gzip, errors, and the real OSM graphs when present.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use corridor_import::{ImportError, Mode, RawEdge, read_scgraph};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data");

/// A fresh directory under the system temp dir.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("corridor-import-scgraph-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    if name.ends_with(".gz") {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(text.as_bytes()).unwrap();
        std::fs::write(&path, gz.finish().unwrap()).unwrap();
    } else {
        std::fs::write(&path, text).unwrap();
    }
    path
}

/// Reads a pair written to a fresh directory.
fn read_pair(name: &str, nodes: &str, edges: &str) -> Result<corridor_import::Layer, ImportError> {
    let dir = temp_dir(name);
    read_scgraph(&write(&dir, "nodes.csv", nodes), &write(&dir, "edges.csv", edges), Mode::Rail)
}

fn edge(u: u32, v: u32, km: f64) -> RawEdge {
    RawEdge { u, v, km, gauge_mm: 0, oneway: false }
}

#[test]
fn reads_a_pair_mapping_ids_in_file_order() {
    let nodes = "id,lat,lon\n10,45.0,82.5\n30,45.1,180\n\n20,45.2,-179.5\n";
    let edges = "u,v,km\n10,20,1.5\n20,30,2\n30,30,0\n30,10,0.25\n";
    let layer = read_pair("ok", nodes, edges).unwrap();
    assert_eq!(layer.mode, Some(Mode::Rail));
    assert_eq!(layer.lat, [45.0, 45.1, 45.2]);
    assert_eq!(layer.lon, [82.5, -180.0, -179.5], "180 is normalised to -180");
    // The self-loop 30-30 is dropped.
    assert_eq!(layer.edges, [edge(0, 2, 1.5), edge(2, 1, 2.0), edge(1, 0, 0.25)]);
    assert!(layer.source.contains("nodes.csv") && layer.source.contains("edges.csv"));
}

#[test]
fn sparse_ids_and_gzip() {
    let dir = temp_dir("gz");
    let nodes = write(&dir, "n.csv.gz", "id,lat,lon\r\n900000000000,1,2\r\n5,3,4\r\n");
    let edges = write(&dir, "e.csv.gz", "u,v,km\r\n5,900000000000,0.5\r\n");
    let layer = read_scgraph(&nodes, &edges, Mode::Road).unwrap();
    assert_eq!(layer.mode, Some(Mode::Road));
    assert_eq!(layer.node_count(), 2);
    assert_eq!(layer.edges, [edge(1, 0, 0.5)]);
}

/// The error's text names the file, the line and the field.
fn assert_field_error(err: ImportError, file: &str, line: usize, field: &str) {
    let text = err.to_string();
    assert!(text.contains(&format!("{file}:{line}: field {field}:")), "{text}");
    assert!(matches!(err, ImportError::Field { line: l, .. } if l == line), "{text}");
}

#[test]
fn errors_name_file_line_and_field() {
    let nodes = "id,lat,lon\n0,45,82\n1,45.1,82.1\n";
    let err = read_pair("unknown", nodes, "u,v,km\n0,1,1\n1,7,2\n").unwrap_err();
    assert_field_error(err, "edges.csv", 3, "v");
    assert!(
        read_pair("unknown2", nodes, "u,v,km\n0,1,1\n1,7,2\n").unwrap_err().to_string().contains("unknown node id 7")
    );
    let err = read_pair("km", nodes, "u,v,km\n0,1,-1\n").unwrap_err();
    assert_field_error(err, "edges.csv", 2, "km");
    let err = read_pair("kmnan", nodes, "u,v,km\n0,1,NaN\n").unwrap_err();
    assert_field_error(err, "edges.csv", 2, "km");
    let err = read_pair("u", nodes, "u,v,km\nx,1,1\n").unwrap_err();
    assert_field_error(err, "edges.csv", 2, "u");
    let err = read_pair("lat", "id,lat,lon\n0,45,82\n1,north,82.1\n", "u,v,km\n").unwrap_err();
    assert_field_error(err, "nodes.csv", 3, "lat");
    let err = read_pair("latrange", "id,lat,lon\n0,91,82\n", "u,v,km\n").unwrap_err();
    assert_field_error(err, "nodes.csv", 2, "lat");
    let err = read_pair("lonrange", "id,lat,lon\n0,45,182\n", "u,v,km\n").unwrap_err();
    assert_field_error(err, "nodes.csv", 2, "lon");
    let err = read_pair("missing", "id,lat,lon\n0,45\n", "u,v,km\n").unwrap_err();
    assert_field_error(err, "nodes.csv", 2, "lon");
    let err = read_pair("extra", "id,lat,lon\n0,45,82,1\n", "u,v,km\n").unwrap_err();
    assert_field_error(err, "nodes.csv", 2, "row");
    let err = read_pair("dup", "id,lat,lon\n0,45,82\n1,45,82\n0,45,82\n", "u,v,km\n").unwrap_err();
    assert_field_error(err, "nodes.csv", 4, "id");
    assert!(
        read_pair("dup2", "id,lat,lon\n7,45,82\n7,45,82\n", "u,v,km\n").unwrap_err().to_string().contains("line 2")
    );
    let err = read_pair("header", "lat,lon,id\n45,82,0\n", "u,v,km\n").unwrap_err();
    assert_field_error(err, "nodes.csv", 1, "header");
    let err = read_pair("empty", nodes, "").unwrap_err();
    assert!(err.to_string().contains("edges.csv: empty file"), "{err}");
    let err = read_scgraph(Path::new("/nonexistent/n.csv"), Path::new("e.csv"), Mode::Rail).unwrap_err();
    assert!(matches!(err, ImportError::Io { .. }) && err.to_string().contains("/nonexistent/n.csv"), "{err}");
}

fn real(mode: Mode, stem: &str, nodes: usize, edges: usize) {
    let dir = format!("{DATA}/osm_{}_scgraph", mode.name());
    let (n, e) = (format!("{dir}/{stem}_nodes.csv.gz"), format!("{dir}/{stem}_edges.csv.gz"));
    if !Path::new(&n).exists() || !Path::new(&e).exists() {
        eprintln!("skipped: {n} or {e} not found");
        return;
    }
    let t = Instant::now();
    let layer = read_scgraph(Path::new(&n), Path::new(&e), mode).unwrap();
    eprintln!("{stem}: {} nodes, {} edges in {:?}", layer.node_count(), layer.edges.len(), t.elapsed());
    assert_eq!((layer.node_count(), layer.edges.len()), (nodes, edges));
    assert!(layer.lat.iter().all(|lat| (20.0..=72.0).contains(lat)));
    assert!(layer.lon.iter().all(|lon| (-12.0..=135.0).contains(lon)));
    assert!(layer.edges.iter().all(|e| e.u != e.v && e.km.is_finite() && e.km >= 0.0));
}

#[test]
fn real_rail() {
    real(Mode::Rail, "world_railways_eurasia", 196_524, 238_593);
}

#[test]
fn real_road() {
    real(Mode::Road, "world_highways_eurasia", 340_222, 502_281);
}
