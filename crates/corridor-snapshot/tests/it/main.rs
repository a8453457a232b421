//! Integration tests of corridor-snapshot: format round trip, corruption and version errors,
//! snapping, and CCH answers equal to Dijkstra through the snapshot.

use corridor_cch::{Dijkstra, Graph};
use corridor_snapshot::format::{Snapshot, SnapshotError};
use corridor_snapshot::{Engine, Point, build};
use proptest::prelude::*;

fn grid(w: u32, h: u32, seed: u64) -> Graph {
    let mut arcs = Vec::new();
    let mut x = seed;
    let mut rnd = || {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (x >> 33) as u32 % 900 + 100
    };
    let id = |i: u32, j: u32| i * w + j;
    for i in 0..h {
        for j in 0..w {
            if j + 1 < w {
                let d = rnd();
                arcs.push((id(i, j), id(i, j + 1), d));
                arcs.push((id(i, j + 1), id(i, j), d));
            }
            if i + 1 < h {
                let d = rnd();
                arcs.push((id(i, j), id(i + 1, j), d));
                arcs.push((id(i + 1, j), id(i, j), d));
            }
        }
    }
    let n = (w * h) as usize;
    let lat = (0..n).map(|v| 40.0 + (v as u32 / w) as f64 * 0.01).collect();
    let lon = (0..n).map(|v| 50.0 + (v as u32 % w) as f64 * 0.01).collect();
    Graph::from_arcs(n, &arcs, lat, lon)
}

fn tmp(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("corridor-snap-{}-{name}.corridor", std::process::id()))
}

#[test]
fn round_trip_and_damage_is_detected() {
    let g = grid(12, 9, 1);
    let (data, report) = build(&g, corridor_snapshot::SnapshotKind::Rail);
    assert_eq!(report.components, 1);
    let path = tmp("rt");
    data.write(&path).unwrap();
    let snap = Snapshot::open(&path).unwrap();
    assert_eq!(snap.node_count(), 108);
    assert_eq!(snap.head(), &data.head[..]);
    assert_eq!(snap.order(), &data.order[..]);
    // Flip one byte in the body: checksum mismatch.
    let mut bytes = std::fs::read(&path).unwrap();
    let last = bytes.len() - 9;
    bytes[last] ^= 0x40;
    std::fs::write(&path, &bytes).unwrap();
    assert!(matches!(Snapshot::open(&path), Err(SnapshotError::Corrupt { .. })));
    // Truncated.
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let e = Snapshot::open(&path).err().unwrap().to_string();
    assert!(e.contains("truncated"), "{e}");
    // Another version.
    let mut v2 = std::fs::read(&path).unwrap();
    v2[8] = 9;
    std::fs::write(&path, &v2).unwrap();
    assert!(matches!(Snapshot::open(&path), Err(SnapshotError::Version { found: 9, .. })));
    // Not a snapshot.
    std::fs::write(&path, b"id,lat,lon\n").unwrap();
    assert!(matches!(Snapshot::open(&path), Err(SnapshotError::NotASnapshot { .. })));
    std::fs::remove_file(&path).ok();
}

#[test]
fn snapping_reports_distance_and_refuses_far_points() {
    let g = grid(10, 10, 2);
    let path = tmp("snap");
    build(&g, corridor_snapshot::SnapshotKind::Road).0.write(&path).unwrap();
    let engine = Engine::load(&path).unwrap();
    let s = engine.resolve(Point::Coord(40.0001, 50.0002), 5.0).unwrap();
    assert_eq!(s.node, 0);
    assert!(s.distance_km < 0.05);
    let e = engine.resolve(Point::Coord(10.0, 10.0), 50.0).unwrap_err().to_string();
    assert!(e.contains("no usable network node within 50 km"), "{e}");
    assert!(engine.resolve(Point::Coord(95.0, 0.0), 50.0).is_err());
    std::fs::remove_file(&path).ok();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn snapshot_cch_equals_dijkstra(w in 2u32..14, h in 2u32..14, seed in 0u64..1000) {
        let g = grid(w, h, seed);
        let path = tmp(&format!("p{w}x{h}s{seed}"));
        build(&g, corridor_snapshot::SnapshotKind::Sea).0.write(&path).unwrap();
        let engine = Engine::load(&path).unwrap();
        let metric = engine.distance_metric();
        let n = g.node_count() as u32;
        let pairs: Vec<(Point, Point)> = (0..n).flat_map(|s| (0..n).step_by(3).map(move |t| (Point::Node(s), Point::Node(t)))).collect();
        let got = engine.pairs(&metric, &corridor_snapshot::Profile::default(), &pairs, 1.0, None);
        let mut d = Dijkstra::new(g.node_count());
        for ((a, b), r) in pairs.iter().zip(&got) {
            let (Point::Node(s), Point::Node(t)) = (a, b) else { unreachable!() };
            prop_assert_eq!(r.metres, d.distance(&g, &g.weight, *s, *t));
        }
        // A route's geometry starts and ends at the endpoints and has the reported length.
        let (m, pts) = engine.route(&metric, 0, n - 1).unwrap();
        prop_assert_eq!(Some(m), d.distance(&g, &g.weight, 0, n - 1));
        prop_assert_eq!(pts.first().copied(), Some(engine.coord(0)));
        prop_assert_eq!(pts.last().copied(), Some(engine.coord(n - 1)));
        std::fs::remove_file(&path).ok();
    }
}

/// Rewrites the header checksum after `bytes` were changed, as a crafted file would.
fn reseal(bytes: &mut [u8]) {
    let sum = corridor_snapshot::format::fnv1a(&bytes[corridor_snapshot::format::HEADER..]);
    bytes[32..40].copy_from_slice(&sum.to_le_bytes());
}

#[test]
fn the_stored_cch_is_mapped_and_answers_like_one_built_in_memory() {
    let g = grid(8, 7, 5);
    let (data, _) = build(&g, corridor_snapshot::SnapshotKind::Road);
    let path = tmp("cch");
    data.write(&path).unwrap();
    let snap = Snapshot::open(&path).unwrap();
    let built = data.cch().unwrap();
    assert_eq!(snap.cch().heap_bytes(), 0, "a loaded snapshot's CCH borrows the mapping");
    assert_eq!(snap.cch().bytes(), built.bytes());
    assert_eq!(snap.cch().arc_count(), built.arc_count());
    drop(snap);
    // The last word is the last entry of cch_level_nodes (56 nodes: no padding after it).
    let mut bytes = std::fs::read(&path).unwrap();
    let end = bytes.len();
    bytes[end - 4..].copy_from_slice(&u32::MAX.to_le_bytes());
    reseal(&mut bytes);
    std::fs::write(&path, &bytes).unwrap();
    let e = Snapshot::open(&path).err().expect("a crafted level list is refused").to_string();
    assert!(e.contains("corrupt snapshot: invalid CCH arrays: level_nodes"), "{e}");
    std::fs::remove_file(&path).ok();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// A crafted file (a changed word in the stored CCH, checksum rewritten) is refused as
    /// corrupt, or, where the change is harmless (padding), still answers exactly: never a
    /// panic, an out-of-bounds access or a wrong distance.
    #[test]
    fn a_crafted_cch_is_refused_or_harmless(pick in 0.0f64..1.0, value in prop_oneof![Just(0u32), Just(1), Just(u32::MAX), 0u32..200]) {
        let g = grid(6, 5, 3);
        let (data, _) = build(&g, corridor_snapshot::SnapshotKind::Road);
        let path = tmp(&format!("crafted{}", (pick * 1e9) as u64));
        data.write(&path).unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        // The CCH sections are the tail of the file, after the labels.
        let cch_bytes = data.cch().unwrap().bytes() - 4 * (data.order.len() + data.first_out.len() + data.head.len());
        let start = bytes.len() - cch_bytes;
        let at = start + ((pick * (cch_bytes / 4) as f64) as usize).min(cch_bytes / 4 - 1) * 4;
        bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
        reseal(&mut bytes);
        std::fs::write(&path, &bytes).unwrap();
        match Engine::load(&path) {
            Err(e) => prop_assert!(matches!(e, SnapshotError::Corrupt { .. }), "{e}"),
            Ok(engine) => {
                let metric = engine.distance_metric();
                let mut d = Dijkstra::new(g.node_count());
                let n = g.node_count() as u32;
                for s in 0..n {
                    let got = engine.pairs(&metric, &corridor_snapshot::Profile::default(), &[(Point::Node(s), Point::Node(n - 1 - s))], 1.0, None);
                    prop_assert_eq!(got[0].metres, d.distance(&g, &g.weight, s, n - 1 - s));
                }
            }
        }
        std::fs::remove_file(&path).ok();
    }
}

/// A metric stored at build time is mapped (no heap), is found only under its profile's
/// fingerprint, and answers exactly as a customization on the spot.
#[test]
fn stored_metrics_are_mapped_and_equal_a_fresh_customization() {
    use corridor_snapshot::format::StoredMetric;
    use corridor_snapshot::{Objective, Profile};
    let g = grid(11, 8, 9);
    let (mut data, _) = build(&g, corridor_snapshot::SnapshotKind::Road);
    let path = tmp("stored");
    data.write(&path).unwrap();
    let time = Profile { objective: Objective::Time, speed_kmh: [Some(60.0); 3], ..Profile::default() };
    let snap = Snapshot::open(&path).unwrap();
    data.metrics =
        vec![StoredMetric { name: "time".into(), fingerprint: time.fingerprint(), weights: time.weights(&snap) }];
    drop(snap);
    data.write(&path).unwrap();
    let engine = Engine::load(&path).unwrap();
    assert_eq!(engine.snapshot().stored_metrics(), &[("time".to_string(), time.fingerprint())]);
    let other = Profile { speed_kmh: [Some(61.0); 3], ..time.clone() };
    assert!(engine.snapshot().stored_metric("time", other.fingerprint()).is_none(), "another profile's weights");
    assert!(engine.snapshot().stored_metric("cost", time.fingerprint()).is_none());
    let stored = engine.snapshot().stored_metric("time", time.fingerprint()).expect("the stored metric");
    assert!(stored.is_shared());
    assert_eq!(stored.heap_bytes(), 0);
    // A customization on the spot (Engine::metric itself would map the stored one).
    let fresh = corridor_cch::CchMetric::new(engine.cch(), &time.weights(engine.snapshot())).perfect();
    assert!(!fresh.is_shared());
    assert_eq!(stored.arrays(), fresh.arrays());
    assert!(engine.metric(&time).is_shared(), "Engine::metric maps a stored metric of the same profile");
    assert!(engine.metric_basic(&time).is_shared());
    assert!(!engine.metric(&other).is_shared());
    let n = g.node_count() as u32;
    for s in (0..n).step_by(7) {
        assert_eq!(engine.path(&stored, s, n - 1 - s), engine.path(&fresh, s, n - 1 - s));
    }
    // A bad name is refused when writing.
    data.metrics[0].name = "a-name-longer-than-16".into();
    assert!(data.write(&path).is_err());
    std::fs::remove_file(&path).ok();
}

/// A preset's weights with the exclusions blocked equal the excluding profile's own weights,
/// for countries and kinds.
#[test]
fn blocking_a_presets_weights_equals_weighting_the_excluding_profile() {
    use corridor_snapshot::{Objective, Profile};
    let g = grid(10, 6, 4);
    let (mut data, _) = build(&g, corridor_snapshot::SnapshotKind::Road);
    data.node_country = (0..g.node_count() as u32).map(|v| u16::from(v % 10 >= 5)).collect();
    data.labels = vec![String::new(), "AA".into(), "BB".into()];
    data.country = vec![1, 2];
    let path = tmp("block");
    data.write(&path).unwrap();
    let engine = Engine::load(&path).unwrap();
    let base = Profile { objective: Objective::Time, speed_kmh: [Some(50.0); 3], ..Profile::default() };
    for (countries, kinds) in [(vec!["bb".to_string()], 0u8), (vec![], 1 << 1), (vec!["AA".into(), "BB".into()], 0)] {
        let p = Profile { avoid_countries: countries.clone(), avoid_kinds: kinds, ..base.clone() };
        let mut w = base.weights(engine.snapshot());
        p.block(engine.snapshot(), &mut w);
        assert_eq!(w, p.weights(engine.snapshot()), "{countries:?} {kinds}");
        let from = engine.metric_basic_from(&engine.metric(&base), &p);
        assert_eq!(from.arrays(), engine.metric_basic(&p).arrays());
    }
    // Avoiding BB leaves the western half routable and cuts it from the eastern half.
    let p = Profile { avoid_countries: vec!["BB".into()], ..base.clone() };
    let m = engine.metric_basic(&p);
    assert!(engine.path(&m, 0, 4).is_some());
    assert!(engine.path(&m, 0, 9).is_none());
    std::fs::remove_file(&path).ok();
}

/// Float fields are range-checked at open: a changed value (with the checksum rewritten, as a
/// crafted file would be) loaded as "-1.7e38 h" before.
#[test]
fn out_of_range_arc_values_are_refused_at_open() {
    use corridor_snapshot::ArcAttr;
    let g = grid(4, 3, 2);
    let (mut data, _) = build(&g, corridor_snapshot::SnapshotKind::Road);
    let path = tmp("floats");
    let ok = ArcAttr { kind: 1, speed_kmh: 60.0, ..ArcAttr::default() };
    for (bad, want) in [
        (ArcAttr { fixed_h: -1.7e38, ..ok }, "fixed_h"),
        (ArcAttr { speed_kmh: f32::NAN, ..ok }, "speed_kmh"),
        (ArcAttr { usd_tkm: f32::INFINITY, ..ok }, "usd_tkm"),
        (ArcAttr { kg_tkm: 1e9, ..ok }, "kg_tkm"),
    ] {
        data.arc = vec![ok; data.head.len()];
        data.arc[5] = bad;
        data.write(&path).unwrap();
        let e = Snapshot::open(&path).err().expect("refused").to_string();
        assert!(e.contains(&format!("corrupt snapshot: arc 5: {want}")), "{e}");
    }
    std::fs::remove_file(&path).ok();
}

// Snapshot::from_bytes (moved from format.rs's unit tests: it builds with `build`, which
// depends on `format`).
/// A 3-node path graph as file bytes.
fn tiny_bytes() -> (corridor_snapshot::format::SnapshotData, Vec<u8>) {
    let arcs = [(0, 1, 500), (1, 0, 500), (1, 2, 700), (2, 1, 700)];
    let g = corridor_cch::Graph::from_arcs(3, &arcs, vec![40.0, 40.01, 40.02], vec![50.0, 50.0, 50.0]);
    let (data, _) = build(&g, corridor_snapshot::format::SnapshotKind::Road);
    let path = std::env::temp_dir().join(format!("corridor-format-unit-{}.corridor", std::process::id()));
    data.write(&path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    std::fs::remove_file(&path).ok();
    (data, bytes)
}

#[test]
fn from_bytes_checks_like_open() {
    let (data, bytes) = tiny_bytes();
    let snap = Snapshot::from_bytes(&bytes).unwrap();
    assert_eq!(snap.node_count(), 3);
    assert_eq!(snap.head(), &data.head[..]);
    assert_eq!(snap.file_bytes(), bytes.len());
    // An input that starts at an odd address is copied to an aligned buffer, not refused.
    let mut shifted = vec![0u8];
    shifted.extend_from_slice(&bytes);
    assert_eq!(Snapshot::from_bytes(&shifted[1..]).unwrap().head(), &data.head[..]);
    // The same refusals as a file.
    let mut damaged = bytes.clone();
    let last = damaged.len() - 9;
    damaged[last] ^= 0x40;
    let e = Snapshot::from_bytes(&damaged).err().unwrap().to_string();
    assert!(e.starts_with("<memory>: corrupt snapshot: checksum mismatch"), "{e}");
    let e = Snapshot::from_bytes(&bytes[..bytes.len() / 2]).err().unwrap().to_string();
    assert!(e.contains("truncated"), "{e}");
    assert!(matches!(Snapshot::from_bytes(b"id,lat,lon\n"), Err(SnapshotError::NotASnapshot { .. })));
}
