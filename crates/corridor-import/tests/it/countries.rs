//! The Natural Earth country locator: point-in-polygon on small shapes, errors, and the real 1:50m file when present.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

use corridor_import::{Countries, ImportError};
use serde_json::Value;

const NE50: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/natural_earth/ne_50m_admin_0_countries.geojson.gz");
const NE110: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/natural_earth/ne_110m_admin_0_countries.geojson");

fn write(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("corridor-import-countries-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn feature(props: &str, geometry: &str) -> String {
    format!(r#"{{"type":"Feature","properties":{{{props}}},"geometry":{geometry}}}"#)
}

fn collection(features: &[String]) -> String {
    format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(","))
}

/// Three countries with boundaries on whole degrees (the worst case for the grid's tie rules):
/// A is a 4 x 4 square with a 2 x 2 hole, B two squares (one inside A's hole), C a triangle
/// touching the antimeridian.
fn fixture() -> Countries {
    let a = feature(
        r#""ISO_A2":"AA","NAME":"Alpha""#,
        r#"{"type":"Polygon","coordinates":[[[10,40],[14,40],[14,44],[10,44],[10,40]],[[11,41],[11,43],[13,43],[13,41],[11,41]]]}"#,
    );
    let b = feature(
        r#""ISO_A2":"-99","ISO_A2_EH":"-99","ADM0_A3":"FRA","NAME":"France-like""#,
        r#"{"type":"MultiPolygon","coordinates":[[[[11.5,41.5],[12.5,41.5],[12.5,42.5],[11.5,42.5],[11.5,41.5]]],[[[14,40],[16,40],[16,42],[14,42],[14,40]]]]}"#,
    );
    let c = feature(
        r#""ISO_A2":"-99","ADM0_A3":"XYZ","WB_A2":"-99","ADMIN":"Zed""#,
        r#"{"type":"Polygon","coordinates":[[[170,60],[180,60],[180,70],[170,60]]]}"#,
    );
    let d = feature(
        r#""ISO_A2_EH":"NO","ISO_A2":"-99","NAME":"Norway-like""#,
        r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#,
    );
    Countries::load(&write("fixture.geojson", &collection(&[a, b, c, d]))).unwrap()
}

#[test]
fn locates_with_holes_and_multipolygons() {
    let c = fixture();
    assert_eq!(c.len(), 4);
    assert!(!c.is_empty());
    assert_eq!((c.iso2(0), c.name(0)), ("AA", "Alpha"));
    assert_eq!((c.iso2(1), c.name(1)), ("FR", "France-like"), "ADM0_A3 fallback");
    assert_eq!((c.iso2(2), c.name(2)), ("XYZ", "Zed"), "last fallback: ADM0_A3 itself; ADMIN for the name");
    assert_eq!((c.iso2(3), c.find("NO")), ("NO", Some(3)), "ISO_A2_EH first");
    assert_eq!(c.locate(40.5, 10.5), Some(0));
    assert_eq!(c.locate(42.0, 11.2), None, "in the hole");
    assert_eq!(c.locate(42.0, 12.0), Some(1), "island in the hole");
    assert_eq!(c.locate(41.0, 15.0), Some(1), "second part");
    assert_eq!(c.locate(43.0, 15.0), None);
    assert_eq!(c.locate(65.0, 179.0), Some(2));
    assert_eq!(c.locate(65.0, 179.0 - 360.0), Some(2), "longitudes are normalised");
    assert_eq!(c.locate(65.0, -179.0), None);
    // On whole-degree lines and vertices the half-open rule decides, consistently with the
    // brute-force ray casting below; off them, the answer is plain.
    assert_eq!(c.locate(41.0, 11.0), brute_force(&fixture_rings(), 41.0, 11.0));
    assert_eq!(c.locate(f64::NAN, 11.0), None);
    assert_eq!(c.locate(91.0, 11.0), None);

    assert_eq!(c.nearest_within(39.9, 12.0, 20.0), Some(0), "11 km south of Alpha");
    assert_eq!(c.nearest_within(39.9, 12.0, 5.0), None);
    assert_eq!(c.nearest_within(42.0, 12.6, 20.0), Some(1), "in Alpha's hole, 8 km from the island");
    assert_eq!(c.nearest_within(42.0, 12.95, 20.0), Some(0), "4 km from the hole's edge");
    assert_eq!(c.nearest_within(65.0, -179.9, 20.0), Some(2), "across the antimeridian");
    assert_eq!(c.nearest_within(41.0, 11.0 + 1e-9, 0.0), c.locate(41.0, 11.0 + 1e-9));
}

/// The fixture's rings per country, for the brute force.
fn fixture_rings() -> Vec<Vec<Ring>> {
    let square = |x0: f64, y0: f64, x1: f64, y1: f64| Ring::new(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1)]);
    vec![
        vec![square(10.0, 40.0, 14.0, 44.0), Ring::new(vec![(11.0, 41.0), (11.0, 43.0), (13.0, 43.0), (13.0, 41.0)])],
        vec![square(11.5, 41.5, 12.5, 42.5), square(14.0, 40.0, 16.0, 42.0)],
        vec![Ring::new(vec![(170.0, 60.0), (180.0, 60.0), (180.0, 70.0)])],
        vec![Ring::new(vec![(0.0, 0.0), (1.0, 0.0), (1.0, 1.0)])],
    ]
}

/// A ring for the brute force, with the bounds that let it skip rings a ray cannot cross.
struct Ring {
    south: f64,
    north: f64,
    east: f64,
    points: Vec<(f64, f64)>,
}

impl Ring {
    fn new(points: Vec<(f64, f64)>) -> Ring {
        let south = points.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
        let north = points.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
        let east = points.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
        Ring { south, north, east, points }
    }
}

/// Plain even-odd ray casting over every ring of every country: the oracle.
fn brute_force(countries: &[Vec<Ring>], lat: f64, lon: f64) -> Option<u16> {
    countries
        .iter()
        .position(|rings| {
            let mut inside = false;
            for ring in rings.iter().filter(|r| r.south <= lat && lat <= r.north && r.east >= lon) {
                let p = &ring.points;
                for (k, &(ax, ay)) in p.iter().enumerate() {
                    let (bx, by) = p[(k + 1) % p.len()];
                    if (ay > lat) != (by > lat) && ax + (lat - ay) * (bx - ax) / (by - ay) > lon {
                        inside = !inside;
                    }
                }
            }
            inside
        })
        .map(|k| k as u16)
}

/// A tiny deterministic generator (SplitMix64) in [0, 1).
fn uniform(state: &mut u64) -> f64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
}

#[test]
fn fixture_agrees_with_brute_force_on_grid_lines_and_vertices() {
    let c = fixture();
    let rings = fixture_rings();
    let mut points = Vec::new();
    // Every quarter degree (many exactly on edges and vertices) plus random points.
    for i in 0..=32 {
        for j in 0..=32 {
            points.push((38.0 + j as f64 / 4.0, 9.0 + i as f64 / 4.0));
            points.push((58.0 + j as f64 / 2.0, 164.0 + i as f64 / 2.0));
            points.push((-1.0 + j as f64 / 8.0, -1.0 + i as f64 / 8.0));
        }
    }
    let mut s = 7;
    for _ in 0..20_000 {
        points.push((38.0 + 8.0 * uniform(&mut s), 9.0 + 8.0 * uniform(&mut s)));
        points.push((58.0 + 14.0 * uniform(&mut s), 168.0 + 12.0 * uniform(&mut s)));
    }
    for (lat, lon) in points {
        assert_eq!(c.locate(lat, lon), brute_force(&rings, lat, lon), "({lat}, {lon})");
    }
}

#[test]
fn errors_name_file_and_feature() {
    let ok = feature(r#""ISO_A2":"AA""#, r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#);
    let load = |name: &str, f: String| Countries::load(&write(name, &collection(&[ok.clone(), f]))).unwrap_err();
    let e = load("point.geojson", feature("", r#"{"type":"Point","coordinates":[0,0]}"#));
    assert!(e.to_string().contains("point.geojson: feature 1: expected a Polygon or MultiPolygon, found Point"), "{e}");
    let e = load("ring.geojson", feature("", r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}"#));
    assert!(e.to_string().contains("feature 1: a ring has 3 positions"), "{e}");
    let e = load("lon.geojson", feature("", r#"{"type":"Polygon","coordinates":[[[170,0],[190,0],[190,1],[170,0]]]}"#));
    assert!(e.to_string().contains("feature 1: longitude 190 outside [-180, 180]"), "{e}");
    let e = load("pos.geojson", feature("", r#"{"type":"Polygon","coordinates":[[[0,0],[1],[1,1],[0,0]]]}"#));
    assert!(e.to_string().contains("feature 1: bad position [1]"), "{e}");
    let e = Countries::load(Path::new("/nonexistent/ne.geojson")).unwrap_err();
    assert!(matches!(e, ImportError::Io { .. }), "{e}");
}

/// Natural Earth 1:50m, loaded once for all tests.
fn ne50() -> Option<&'static Countries> {
    static NE: OnceLock<Option<Countries>> = OnceLock::new();
    NE.get_or_init(|| {
        if !Path::new(NE50).exists() {
            eprintln!("skipped: {NE50} not found");
            return None;
        }
        let t = Instant::now();
        let c = Countries::load(Path::new(NE50)).unwrap();
        eprintln!("ne_50m: {} countries loaded and indexed in {:?}", c.len(), t.elapsed());
        Some(c)
    })
    .as_ref()
}

/// (name, lat, lon, ISO code, inside the 1:50m polygon). Istanbul's (41.01, 28.97) is in the
/// Bosporus as the 1:50m coast draws it (about 1 km off): only `nearest_within` finds it.
const KNOWN: [(&str, f64, f64, &str, bool); 15] = [
    ("Moscow", 55.7558, 37.6173, "RU", true),
    ("Almaty", 43.2389, 76.8897, "KZ", true),
    ("Dostyk", 45.25, 82.48, "KZ", true),
    ("Alashankou", 45.17, 82.57, "CN", true),
    ("Brest", 52.10, 23.69, "BY", true),
    ("Terespol", 52.08, 23.62, "PL", true),
    ("Baku", 40.4093, 49.8671, "AZ", true),
    ("Tbilisi", 41.7151, 44.8271, "GE", true),
    ("Istanbul", 41.01, 28.97, "TR", false),
    ("Paris", 48.8566, 2.3522, "FR", true),
    ("Oslo", 59.9139, 10.7522, "NO", true),
    ("Pristina", 42.6629, 21.1655, "XK", true),
    ("Zharkent", 44.16, 80.00, "KZ", true),
    ("Yining", 43.91, 81.32, "CN", true),
    ("Chukotka beyond 180", 66.0, -172.0, "RU", true),
];

#[test]
fn real_known_points() {
    let Some(c) = ne50() else { return };
    assert_eq!(c.len(), 241);
    for (name, lat, lon, iso, inside) in KNOWN {
        let located = c.locate(lat, lon);
        let got = located.map(|k| c.iso2(k));
        assert_eq!(got, inside.then_some(iso), "{name} ({lat}, {lon}) in {:?}", located.map(|k| c.name(k)));
        let near = c.nearest_within(lat, lon, 5.0).map(|k| c.iso2(k));
        assert_eq!(near, Some(iso), "{name} ({lat}, {lon}) within 5 km");
    }
    assert_eq!(c.name(c.find("FR").unwrap()), "France");
    assert_eq!(c.name(c.find("NO").unwrap()), "Norway");
    for (name, lat, lon) in
        [("Black Sea", 43.0, 34.0), ("Caspian", 42.0, 50.5), ("Atlantic", 30.0, -40.0), ("Pacific", 0.0, -150.0)]
    {
        assert_eq!(c.locate(lat, lon), None, "{name}");
    }
    // Codes are two capital letters except Siachen Glacier (KAS).
    let odd: Vec<&str> = (0..c.len() as u16).map(|k| c.iso2(k)).filter(|s| s.len() != 2).collect();
    assert_eq!(odd, ["KAS"]);
    // Off the coast and on a border river.
    let port_of_baku = c.nearest_within(40.35, 49.90, 10.0).map(|k| c.iso2(k));
    assert_eq!(port_of_baku, Some("AZ"));
    assert_eq!(c.nearest_within(43.0, 34.0, 10.0), None, "mid Black Sea");
}

#[test]
fn real_agrees_with_brute_force() {
    let Some(c) = ne50() else { return };
    let rings = read_rings(NE50);
    let mut s = 42;
    let mut hits = 0;
    for _ in 0..3_000 {
        // Eurasia, where the corridors are.
        let (lat, lon) = (20.0 + 52.0 * uniform(&mut s), -12.0 + 147.0 * uniform(&mut s));
        let want = brute_force(&rings, lat, lon);
        assert_eq!(c.locate(lat, lon), want, "({lat}, {lon})");
        hits += usize::from(want.is_some());
    }
    assert!(hits > 1_000, "{hits}");
}

/// Rings per feature, read independently of the crate.
fn read_rings(path: &str) -> Vec<Vec<Ring>> {
    let text = corridor_import::read_text(Path::new(path)).unwrap();
    let root: Value = serde_json::from_str(&text).unwrap();
    let ring = |r: &Value| {
        Ring::new(r.as_array().unwrap().iter().map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap())).collect())
    };
    root["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let g = &f["geometry"];
            let polygons: Vec<&Value> = match g["type"].as_str().unwrap() {
                "Polygon" => vec![&g["coordinates"]],
                _ => g["coordinates"].as_array().unwrap().iter().collect(),
            };
            polygons.into_iter().flat_map(|p| p.as_array().unwrap().iter().map(ring)).collect()
        })
        .collect()
}

#[test]
fn real_locates_600k_points_fast() {
    let Some(c) = ne50() else { return };
    let mut s = 1;
    let points: Vec<(f64, f64)> =
        (0..600_000).map(|_| (20.0 + 52.0 * uniform(&mut s), -12.0 + 147.0 * uniform(&mut s))).collect();
    let t = Instant::now();
    let found = points.iter().filter(|&&(lat, lon)| c.locate(lat, lon).is_some()).count();
    let elapsed = t.elapsed();
    eprintln!("ne_50m: located 600,000 points ({found} on land) in {elapsed:?}");
    assert!(found > 300_000, "{found}");
}

#[test]
fn real_110m() {
    if !Path::new(NE110).exists() {
        eprintln!("skipped: {NE110} not found");
        return;
    }
    let c = Countries::load(Path::new(NE110)).unwrap();
    assert_eq!(c.len(), 177);
    for (name, lat, lon, iso) in [
        ("Moscow", 55.7558, 37.6173, "RU"),
        ("Almaty", 43.2389, 76.8897, "KZ"),
        ("Paris", 48.8566, 2.3522, "FR"),
        ("Oslo", 59.9139, 10.7522, "NO"),
        ("Tbilisi", 41.7151, 44.8271, "GE"),
    ] {
        assert_eq!(c.locate(lat, lon).map(|k| c.iso2(k)), Some(iso), "{name}");
    }
    assert_eq!(c.locate(30.0, -40.0), None);
}
