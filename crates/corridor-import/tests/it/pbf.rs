//! `.osm.pbf` importer: the tiny fixtures written by `tools/make_pbf_fixture.py` (whose doc
//! string draws the expected graph), broken files, and a real extract when one is at hand.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use corridor_import::pbf::{ModeStats, PbfFilter, PbfStats, parse_gauge, read_pbf, read_pbf_with_stats};
use corridor_import::{ImportError, Layer, Mode, Progress, RawEdge};
use corridor_snapshot::snap::haversine_km;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// The fixture's node coordinates (lat, lon), as in `tools/make_pbf_fixture.py`.
fn coord(osm_id: i64) -> (f64, f64) {
    match osm_id {
        1 => (52.0, 23.5),
        2 => (52.01, 23.6),
        3 => (52.02, 23.7),
        4 => (52.03, 23.8),
        5 => (52.04, 23.9),
        6 => (52.05, 24.0),
        9 => (52.1, 23.5),
        10 => (52.11, 23.55),
        11 => (52.05, 23.95),
        12 => (52.06, 23.97),
        13 => (52.07, 23.99),
        16 => (52.3, 23.7),
        17 => (52.31, 23.72),
        20 => (52.0, 23.4),
        21 => (52.0, 23.3),
        22 => (52.01, 23.2),
        23 => (52.02, 23.1),
        25 => (51.99, 23.45),
        26 => (51.98, 23.46),
        27 => (51.985, 23.47),
        _ => panic!("node {osm_id} is not expected in a layer"),
    }
}

/// Layer nodes in ascending OSM id.
const RAIL_NODES: [i64; 13] = [1, 2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 16, 17];
const ROAD_NODES: [i64; 8] = [1, 20, 21, 22, 23, 25, 26, 27];

/// Checks nodes (exact coordinates, to the pbf's 1e-9 degree) and edges (u, v, gauge, oneway
/// in OSM ids; km within 1e-6 of haversine).
fn check_layer(layer: &Layer, mode: Mode, nodes: &[i64], edges: &[(i64, i64, u16, bool)]) {
    assert_eq!(layer.mode, Some(mode));
    assert_eq!(layer.node_count(), nodes.len(), "{}", layer.source);
    for (i, &id) in nodes.iter().enumerate() {
        let (lat, lon) = coord(id);
        assert!((layer.lat[i] - lat).abs() < 1e-9 && (layer.lon[i] - lon).abs() < 1e-9, "node {id}");
    }
    let ix = |id: i64| nodes.iter().position(|&n| n == id).unwrap() as u32;
    let got: Vec<(u32, u32, u16, bool)> = layer.edges.iter().map(|e| (e.u, e.v, e.gauge_mm, e.oneway)).collect();
    let want: Vec<(u32, u32, u16, bool)> = edges.iter().map(|&(u, v, g, o)| (ix(u), ix(v), g, o)).collect();
    assert_eq!(got, want, "{}", layer.source);
    for (e, &(u, v, ..)) in layer.edges.iter().zip(edges) {
        let km = haversine_km(coord(u), coord(v));
        assert!((e.km - km).abs() < 1e-6, "{u}-{v}: {} vs {km}", e.km);
        assert!(e.km > 0.5, "{u}-{v}: {}", e.km);
    }
}

fn rail_edges() -> Vec<(i64, i64, u16, bool)> {
    vec![
        // way 100, gauge=1435
        (1, 2, 1435, false),
        (2, 3, 1435, false),
        // way 101, gauge=1520, meets way 100 at node 3
        (3, 4, 1520, false),
        (4, 5, 1520, false),
        // way 102, gauge=1435;1520: one edge per gauge
        (5, 6, 1435, false),
        (5, 6, 1520, false),
        // way 105, narrow_gauge 750
        (9, 10, 750, false),
        // way 106 (no gauge): 5-11, [11-999, 999-12 dropped], 12-13
        (5, 11, 0, false),
        (12, 13, 0, false),
        // way 108, gauge=standard
        (16, 17, 0, false),
        // way 109, 17-17-16: the repeated node gives no edge
        (17, 16, 1520, false),
    ]
}

fn road_edges() -> Vec<(i64, i64, u16, bool)> {
    vec![
        // way 200 primary oneway=yes
        (20, 21, 0, true),
        (21, 22, 0, true),
        // way 201 primary_link oneway=-1: against the way
        (23, 22, 0, true),
        // way 203 motorway without oneway: two-way, as tagged
        (20, 25, 0, false),
        // way 204 trunk junction=roundabout: implied oneway
        (25, 26, 0, true),
        (26, 27, 0, true),
        (27, 25, 0, true),
        // way 205 secondary oneway=no, level crossing with the railway at node 1
        (1, 20, 0, false),
    ]
}

fn tiny_stats(bytes: u64) -> PbfStats {
    PbfStats {
        bytes,
        blobs: 3,
        node_blobs: 1,
        needed_nodes: 22,
        missing_nodes: 2,
        rail: ModeStats {
            ways: 7,
            nodes: 13,
            edges: 11,
            missing_segments: 2,
            ways_with_missing_nodes: 1,
            repeated_nodes: 1,
        },
        road: ModeStats {
            ways: 6,
            nodes: 8,
            edges: 8,
            missing_segments: 1,
            ways_with_missing_nodes: 1,
            repeated_nodes: 0,
        },
    }
}

#[test]
fn tiny_layers_are_exact() {
    let path = fixture("tiny.osm.pbf");
    let (layers, stats) = read_pbf_with_stats(&path, &PbfFilter::default(), &()).unwrap();
    assert_eq!(layers.len(), 2);
    check_layer(&layers[0], Mode::Rail, &RAIL_NODES, &rail_edges());
    check_layer(&layers[1], Mode::Road, &ROAD_NODES, &road_edges());
    assert_eq!(stats, tiny_stats(std::fs::metadata(&path).unwrap().len()));
    assert_eq!(
        layers[0].source,
        "tiny.osm.pbf: rail (railway=rail|narrow_gauge, not service=yard): 7 ways, 13 nodes, 11 edges; 2 segments \
         dropped for nodes missing from the file (in 1 ways), 1 for repeated nodes"
    );
    assert!(layers[1].source.starts_with("tiny.osm.pbf: road (highway=motorway|trunk|primary|secondary"));
    assert!(layers[1].source.contains("8 edges; 1 segments dropped"), "{}", layers[1].source);
    // read_pbf is the same without the stats, and the output does not depend on the run.
    assert_eq!(read_pbf(&path, &PbfFilter::default(), &()).unwrap(), layers);
}

#[test]
fn skipped_ways_leave_no_trace() {
    // Nodes only on skipped ways: 7 (railway=disused), 8 (service=yard), 14 and 15
    // (railway=light_rail), 24 (highway=residential).
    let layers = read_pbf(&fixture("tiny.osm.pbf"), &PbfFilter::default(), &()).unwrap();
    let skipped = [(52.06, 24.1), (52.035, 23.85), (52.2, 23.6), (52.21, 23.61), (52.03, 23.2)];
    for layer in &layers {
        for (lat, lon) in skipped {
            let near =
                (0..layer.node_count()).any(|i| (layer.lat[i] - lat).abs() < 1e-9 && (layer.lon[i] - lon).abs() < 1e-9);
            assert!(!near, "{lat},{lon} in {}", layer.source);
        }
    }
    // No light-rail edge of 1435 mm from 14-15, no yard edge 4-8: the exact edge lists above
    // already say so; the gauges present are exactly these.
    let mut gauges: Vec<u16> = layers[0].edges.iter().map(|e| e.gauge_mm).collect();
    gauges.sort_unstable();
    gauges.dedup();
    assert_eq!(gauges, [0, 750, 1435, 1520]);
}

#[test]
fn plain_nodes_and_uncompressed_blobs_read_the_same() {
    let dense = read_pbf(&fixture("tiny.osm.pbf"), &PbfFilter::default(), &()).unwrap();
    let (plain, stats) = read_pbf_with_stats(&fixture("tiny_plain.osm.pbf"), &PbfFilter::default(), &()).unwrap();
    assert_eq!(plain.len(), dense.len());
    for (p, d) in plain.iter().zip(&dense) {
        assert_eq!((&p.lat, &p.lon, &p.edges, p.mode), (&d.lat, &d.lon, &d.edges, d.mode));
        assert_eq!(p.source.replace("tiny_plain.osm.pbf", "tiny.osm.pbf"), d.source);
    }
    assert_eq!((stats.rail, stats.road, stats.missing_nodes), (tiny_stats(0).rail, tiny_stats(0).road, 2));
}

#[test]
fn filter_selects_the_layers() {
    let path = fixture("tiny.osm.pbf");
    let rail = read_pbf(&path, &PbfFilter { rail: true, road: false }, &()).unwrap();
    assert_eq!(rail.len(), 1);
    check_layer(&rail[0], Mode::Rail, &RAIL_NODES, &rail_edges());
    let (road, stats) = read_pbf_with_stats(&path, &PbfFilter { rail: false, road: true }, &()).unwrap();
    assert_eq!(road.len(), 1);
    check_layer(&road[0], Mode::Road, &ROAD_NODES, &road_edges());
    assert_eq!((stats.rail, stats.needed_nodes), (ModeStats::default(), 8 + 1));
    let (none, stats) = read_pbf_with_stats(&path, &PbfFilter { rail: false, road: false }, &()).unwrap();
    assert!(none.is_empty());
    assert_eq!((stats.blobs, stats.needed_nodes), (3, 0));
    assert_eq!(PbfFilter::default(), PbfFilter { rail: true, road: true });
}

#[test]
fn gauge_values() {
    let cases: [(&str, &[u16]); 12] = [
        ("1520", &[1520]),
        ("1435", &[1435]),
        ("1524", &[1524]),
        ("1435;1520", &[1435, 1520]),
        ("1520;1435", &[1435, 1520]),
        ("1000;1435;1668", &[1000, 1435, 1668]),
        (" 1435 ; 1435 ", &[1435]),
        ("1435;foo", &[1435]),
        ("standard", &[0]),
        ("1435 mm", &[0]),
        ("", &[0]),
        ("0;99999", &[0]),
    ];
    for (value, want) in cases {
        assert_eq!(parse_gauge(value), want, "{value:?}");
    }
}

/// Records the stages and the units done.
#[derive(Default)]
struct Recorder {
    stages: Mutex<Vec<(String, Option<u64>)>>,
    done: AtomicU64,
}

impl Progress for Recorder {
    fn stage(&self, name: &str, total: Option<u64>) {
        self.stages.lock().unwrap().push((name.to_string(), total));
    }
    fn inc(&self, n: u64) {
        self.done.fetch_add(n, Ordering::Relaxed);
    }
}

#[test]
fn progress_counts_bytes_of_both_passes() {
    let path = fixture("tiny.osm.pbf");
    let len = std::fs::metadata(&path).unwrap().len();
    let recorder = Recorder::default();
    read_pbf(&path, &PbfFilter::default(), &recorder).unwrap();
    let stages = recorder.stages.into_inner().unwrap();
    let names: Vec<&str> = stages.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["tiny.osm.pbf: ways", "tiny.osm.pbf: nodes", "tiny.osm.pbf: layers"]);
    assert_eq!((stages[0].1, stages[1].1, stages[2].1), (Some(len), Some(len), None));
    assert_eq!(recorder.done.into_inner(), 2 * len);
}

/// The error's text names the file.
fn assert_names(err: &ImportError, path: &Path) {
    let text = err.to_string();
    assert!(text.contains(&path.display().to_string()), "{text}");
}

#[test]
fn broken_files_are_errors_naming_the_file() {
    let dir = std::env::temp_dir().join(format!("corridor-pbf-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let filter = PbfFilter::default();

    let missing = dir.join("missing.osm.pbf");
    let err = read_pbf(&missing, &filter, &()).unwrap_err();
    assert!(matches!(err, ImportError::Io { .. }), "{err}");
    assert_names(&err, &missing);

    let err = read_pbf(&dir, &filter, &()).unwrap_err();
    assert_names(&err, &dir);

    let mut garbage: Vec<(&str, Vec<u8>)> = vec![
        ("empty.osm.pbf", Vec::new()),
        ("text.osm.pbf", b"<?xml version='1.0'?><osm version='0.6'></osm>\n".to_vec()),
        ("small.osm.pbf", vec![0, 0, 0, 2, 10, 0]),
    ];
    // Deterministic noise (SplitMix64).
    let mut s = 42u64;
    let noise: Vec<u8> = (0..4096)
        .map(|_| {
            s = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = s;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            (z ^ (z >> 31)) as u8
        })
        .collect();
    garbage.push(("noise.osm.pbf", noise));
    // A valid header blob followed by garbage in place of the data.
    let tiny = std::fs::read(fixture("tiny.osm.pbf")).unwrap();
    let mut flipped = tiny.clone();
    for b in &mut flipped[tiny.len() / 2..] {
        *b ^= 0x5A;
    }
    garbage.push(("flipped.osm.pbf", flipped));
    let mut trailing = tiny.clone();
    trailing.extend_from_slice(&[0, 0]);
    garbage.push(("trailing.osm.pbf", trailing));
    for (name, bytes) in garbage {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        let err = read_pbf(&path, &filter, &()).unwrap_err();
        assert!(matches!(err, ImportError::Format { .. }), "{name}: {err}");
        assert_names(&err, &path);
    }

    // Every truncation is an error, except at the two blob boundaries (after the header
    // blob, after the node blob), which leave a valid, shorter file with no ways.
    let cut_path = dir.join("cut.osm.pbf");
    let mut valid_cuts = 0;
    for cut in 1..tiny.len() {
        std::fs::write(&cut_path, &tiny[..cut]).unwrap();
        match read_pbf(&cut_path, &filter, &()) {
            Err(err) => assert_names(&err, &cut_path),
            Ok(layers) => {
                assert!(layers.is_empty(), "cut at {cut}");
                valid_cuts += 1;
            }
        }
    }
    assert_eq!(valid_cuts, 2);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Prints nothing; notes when each stage starts.
struct StageTimer {
    start: Instant,
    stages: Mutex<Vec<(String, f64)>>,
}

impl Progress for StageTimer {
    fn stage(&self, name: &str, _total: Option<u64>) {
        self.stages.lock().unwrap().push((name.to_string(), self.start.elapsed().as_secs_f64()));
    }
}

/// A real extract: `CORRIDOR_PBF=path` or the first of a few known places. Any file must
/// import into consistent layers; the timing is printed (run with `--nocapture`).
#[test]
fn real_pbf_if_present() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    let mut candidates: Vec<PathBuf> = std::env::var_os("CORRIDOR_PBF").map(PathBuf::from).into_iter().collect();
    // Any .osm.pbf one level below ../shared/data (none is there yet).
    if let Ok(dirs) = std::fs::read_dir(&shared) {
        let mut found: Vec<PathBuf> = dirs
            .flatten()
            .filter_map(|d| std::fs::read_dir(d.path()).ok())
            .flat_map(|files| files.flatten().map(|f| f.path()))
            .filter(|p| p.to_string_lossy().ends_with(".osm.pbf"))
            .collect();
        found.sort();
        candidates.extend(found);
    }
    // Local copies in this sandbox: the peer harness's pbf of the Eurasian major-road graph
    // (OSM-derived, one two-node way per directed edge) and pyogrio's real OSM sample.
    candidates.push("/tmp/cch-eurasia/graph.osm.pbf".into());
    candidates.push("/tmp/peers-venv-aeq/lib/python3.11/site-packages/pyogrio/tests/fixtures/sample.osm.pbf".into());
    let Some(path) = candidates.iter().find(|p| p.is_file()) else {
        eprintln!(
            "real_pbf_if_present: SKIPPED, no .osm.pbf found (set CORRIDOR_PBF=/path/to/extract.osm.pbf); looked at {:?}",
            candidates
        );
        return;
    };
    let start = Instant::now();
    let timer = StageTimer { start, stages: Mutex::default() };
    let (layers, stats) = read_pbf_with_stats(path, &PbfFilter::default(), &timer).unwrap();
    let secs = start.elapsed().as_secs_f64();
    let stages = timer.stages.into_inner().unwrap();
    for (i, (name, t)) in stages.iter().enumerate() {
        let end = stages.get(i + 1).map_or(secs, |s| s.1);
        eprintln!("  stage {name}: {:.2} s", end - t);
    }
    eprintln!("real_pbf_if_present: {} ({:.1} MB) in {secs:.2} s: {stats:?}", path.display(), stats.bytes as f64 / 1e6);
    for layer in &layers {
        eprintln!("  {}", layer.source);
        let n = layer.node_count();
        assert!(n > 0 && !layer.edges.is_empty());
        assert!(layer.lat.iter().all(|x| (-90.0..=90.0).contains(x)));
        assert!(layer.lon.iter().all(|x| (-180.0..180.0).contains(x)));
        let mut used = vec![false; n];
        for &RawEdge { u, v, km, gauge_mm, oneway } in &layer.edges {
            assert!(u != v && (u as usize) < n && (v as usize) < n);
            let h = haversine_km(
                (layer.lat[u as usize], layer.lon[u as usize]),
                (layer.lat[v as usize], layer.lon[v as usize]),
            );
            assert!(km.is_finite() && (km - h).abs() < 1e-6);
            if layer.mode == Some(Mode::Road) {
                assert_eq!(gauge_mm, 0);
            } else {
                assert!(!oneway);
            }
            used[u as usize] = true;
            used[v as usize] = true;
        }
        assert!(used.iter().all(|&b| b), "every node is on an edge");
    }
    let kept = |m: &ModeStats| m.nodes;
    assert_eq!(layers.iter().map(Layer::node_count).sum::<usize>(), kept(&stats.rail) + kept(&stats.road));
}
