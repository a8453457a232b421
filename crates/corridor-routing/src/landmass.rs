//! Which landmass a point lies on, so that an estimated truck leg stays on land: a place on
//! Sardinia is not joined to a terminal on the Italian mainland by a "road" across the
//! Tyrrhenian Sea, nor Heraklion to Athens, nor Yuzhno-Sakhalinsk to Khabarovsk.
//!
//! The rings are Natural Earth's 1:110m admin-0 polygons (`data/places/landmasses.csv`, derived
//! by `tools/derive_landmasses.py`); rings that touch, or that a fixed link trucks drive joins
//! (the Channel Tunnel, the Great Belt and Øresund bridges, the Bosphorus, the Crimean Bridge,
//! the Seto bridges between Honshu and Shikoku),
//! are one landmass; Funen and Bahrain, which the file lacks, are added as rough outlines. At
//! that scale a coast can lie 10–30 km off the real one, so a point in no ring takes the
//! landmass of the rings within [`COAST_KM`] when they agree ([`Land`]: by a strait it is
//! unknown, and farther out it is on an island too small for the file).
//!
//! One landmass is not enough: the straight line that an estimated truck leg is drawn along
//! may still cross a sea between two points of one landmass (Weihai, on the Shandong
//! peninsula, to Nampo in North Korea across the Yellow Sea; a terminal by the Caspian to a
//! place on its far shore). [`land_line`] finds such a line and draws the leg round the sea by
//! the coast, or finds that it cannot.

use std::sync::OnceLock;

/// How far a point in no ring may lie from the coarse coast and still be on its landmass, km.
pub const COAST_KM: f64 = 30.0;

struct Ring {
    landmass: u32,
    /// (min lat, min lon, max lat, max lon), degrees.
    bbox: (f64, f64, f64, f64),
    /// Vertices (lat, lon), degrees; the ring is closed from the last vertex to the first.
    points: Vec<(f64, f64)>,
}

fn rings() -> &'static [Ring] {
    static RINGS: OnceLock<Vec<Ring>> = OnceLock::new();
    RINGS.get_or_init(|| {
        include_str!("../../../data/places/landmasses.csv")
            .lines()
            .skip(1)
            .filter_map(|l| {
                let f: Vec<&str> = l.splitn(7, ',').collect();
                let n = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok());
                let points = f
                    .get(6)?
                    .split(';')
                    .filter_map(|p| {
                        let (a, b) = p.split_once(' ')?;
                        Some((a.parse().ok()?, b.parse().ok()?))
                    })
                    .collect();
                Some(Ring { landmass: f[0].parse().ok()?, bbox: (n(2)?, n(3)?, n(4)?, n(5)?), points })
            })
            .collect()
    })
}

/// Whether (lat, lon) lies inside the ring (ray casting in lon/lat; no ring of the file
/// crosses the antimeridian in a way that matters for the covered region).
fn inside(r: &Ring, lat: f64, lon: f64) -> bool {
    let (a, b, c, d) = r.bbox;
    if lat < a || lat > c || lon < b || lon > d {
        return false;
    }
    let p = &r.points;
    let mut c = false;
    let mut j = p.len() - 1;
    for i in 0..p.len() {
        let ((yi, xi), (yj, xj)) = (p[i], p[j]);
        if (yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi {
            c = !c;
        }
        j = i;
    }
    c
}

const KM_PER_DEG: f64 = 111.195;

/// The point of the ring's boundary nearest to (lat, lon), and its distance, km, in a local
/// equirectangular projection around (lat, lon) with `kx` km per degree of longitude (exact
/// enough within some hundred km).
fn nearest_on_ring(r: &Ring, lat: f64, lon: f64, kx: f64) -> ((f64, f64), f64) {
    let xy = |(y, x): (f64, f64)| ((x - lon) * kx, (y - lat) * KM_PER_DEG);
    let mut best = ((lat, lon), f64::INFINITY);
    let p = &r.points;
    for i in 0..p.len() {
        let (ax, ay) = xy(p[i]);
        let (bx, by) = xy(p[(i + 1) % p.len()]);
        let (dx, dy) = (bx - ax, by - ay);
        let len2 = dx * dx + dy * dy;
        let t = if len2 > 0.0 { (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0) } else { 0.0 };
        let (qx, qy) = (ax + t * dx, ay + t * dy);
        let d = (qx * qx + qy * qy).sqrt();
        if d < best.1 {
            best = ((lat + qy / KM_PER_DEG, lon + qx / kx), d);
        }
    }
    best
}

/// Distance from (lat, lon) to the ring's boundary, km ([`nearest_on_ring`]); infinite when the
/// bounding box is farther than [`COAST_KM`].
fn distance_km(r: &Ring, lat: f64, lon: f64) -> f64 {
    let kx = KM_PER_DEG * lat.to_radians().cos();
    let margin = COAST_KM / KM_PER_DEG;
    let (a, b, c, d) = r.bbox;
    let mlon = COAST_KM / kx.max(1.0);
    if lat < a - margin || lat > c + margin || lon < b - mlon || lon > d + mlon {
        return f64::INFINITY;
    }
    nearest_on_ring(r, lat, lon, kx).1
}

/// Across how many km an island too small for the 1:110m file is taken to be: two points that
/// no ring comes near are on one island within this distance (Palma and the rest of Mallorca).
pub const SMALL_ISLAND_KM: f64 = 75.0;

/// Where a point lies, as far as the 1:110m rings tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Land {
    /// On this landmass: inside one of its rings, or within [`COAST_KM`] of its rings only.
    On(u32),
    /// Within [`COAST_KM`] of two landmasses (a strait: Reggio Calabria and Sicily): unknown.
    Strait,
    /// Farther than [`COAST_KM`] from every ring: an island the file lacks (Mallorca, the
    /// Canaries) or the sea.
    Unmapped,
}

/// Where (lat, lon) lies (see [`Land`]).
pub fn land(lat: f64, lon: f64) -> Land {
    let rings = rings();
    if let Some(r) = rings.iter().find(|r| inside(r, lat, lon)) {
        return Land::On(r.landmass);
    }
    let mut near = rings.iter().filter(|r| distance_km(r, lat, lon) <= COAST_KM).map(|r| r.landmass);
    match near.next() {
        None => Land::Unmapped,
        Some(first) if near.all(|m| m == first) => Land::On(first),
        Some(_) => Land::Strait,
    }
}

/// Whether a truck can drive between points `a` and `b`, whose [`Land`] is given (a place's is
/// worked out once for all its candidate terminals), as far as the landmasses tell: on one
/// landmass; an unmapped point only to another within [`SMALL_ISLAND_KM`]; a point by a strait
/// to anywhere (unknown is no refusal).
pub fn joined(a: (f64, f64), land_a: Land, b: (f64, f64), land_b: Land) -> bool {
    match (land_a, land_b) {
        (Land::On(x), Land::On(y)) => x == y,
        (Land::Strait, _) | (_, Land::Strait) => true,
        (Land::Unmapped, Land::Unmapped) => corridor_model::geo::haversine_km(a, b) <= SMALL_ISLAND_KM,
        (Land::Unmapped, Land::On(_)) | (Land::On(_), Land::Unmapped) => false,
    }
}

/// How far apart the line is looked at, km: less than the narrowest stretch of sea that must
/// be found (a sea 2 × [`COAST_KM`] + 20 km wide has a stretch of 20 km farther than
/// [`COAST_KM`] from both coasts).
const SEA_STEP_KM: f64 = 10.0;

/// How many times over [`land_line`] may turn at a coast (each turn is a search of the rings).
const MAX_TURN_DEPTH: usize = 2;

/// Points every [`SEA_STEP_KM`] along the great circle from `a` to `b` ((lat, lon), degrees),
/// without the two ends.
fn along(a: (f64, f64), b: (f64, f64)) -> Vec<(f64, f64)> {
    let d = corridor_model::geo::haversine_km(a, b);
    let steps = (d / SEA_STEP_KM).ceil() as usize;
    let unit = |(lat, lon): (f64, f64)| {
        let (la, lo) = (lat.to_radians(), lon.to_radians());
        [la.cos() * lo.cos(), la.cos() * lo.sin(), la.sin()]
    };
    let (p, q) = (unit(a), unit(b));
    let omega = (p[0] * q[0] + p[1] * q[1] + p[2] * q[2]).clamp(-1.0, 1.0).acos();
    if steps < 2 || omega.sin().abs() < 1e-12 {
        return Vec::new();
    }
    (1..steps)
        .map(|i| {
            // Spherical linear interpolation: the point a fraction t along the great circle.
            let t = i as f64 / steps as f64;
            let (wa, wb) = (((1.0 - t) * omega).sin() / omega.sin(), (t * omega).sin() / omega.sin());
            let v: Vec<f64> = (0..3).map(|k| wa * p[k] + wb * q[k]).collect();
            (v[2].atan2((v[0] * v[0] + v[1] * v[1]).sqrt()).to_degrees(), v[1].atan2(v[0]).to_degrees())
        })
        .collect()
}

/// The point of the boundaries of the rings of landmass `on` (of every ring when `None`) nearest
/// to `p`, and its distance, km.
fn nearest_coast(p: (f64, f64), on: Option<u32>) -> Option<((f64, f64), f64)> {
    rings()
        .iter()
        .filter(|r| on.is_none_or(|m| r.landmass == m))
        .map(|r| nearest_on_ring(r, p.0, p.1, KM_PER_DEG * p.0.to_radians().cos().max(0.01)))
        .min_by(|x, y| x.1.total_cmp(&y.1))
}

/// The line an estimated truck leg from `a` to `b` is drawn along, as the points where it turns
/// (without the two ends), and its km: the great circle when it crosses no sea
/// (no point of it farther than [`COAST_KM`] from every ring and inside none); else the great
/// circles by the coast point nearest to the line's point
/// farthest out at sea, turned again where those cross a sea, at most [`MAX_TURN_DEPTH`] times
/// over. So a leg along a concave coast (El Jadida to Tanger Med, past the Atlantic off Rabat)
/// keeps its few extra km, and one across a gulf that only a long way round closes (Weihai to
/// Nampo, across the Yellow Sea) gets none: `None`. The turns are sought on `a`'s landmass: an
/// island's nearer shore is no way round. A narrower sea (the Øresund, the Bosphorus, the
/// Strait of Dover) is no crossing: the coarse coast cannot tell it from a bay. `home` is `a`'s
/// [`Land`] (a place's is worked out once for all its candidate terminals).
pub fn land_line(a: (f64, f64), home: Land, b: (f64, f64)) -> Option<(Vec<(f64, f64)>, f64)> {
    let mut turns = Vec::new();
    let km = line_via_coast(a, b, home, MAX_TURN_DEPTH, &mut turns)?;
    Some((turns, km))
}

fn line_via_coast(a: (f64, f64), b: (f64, f64), home: Land, depth: usize, turns: &mut Vec<(f64, f64)>) -> Option<f64> {
    // The coast of the leg's own landmass: an island's nearer shore is no way round.
    let on = match home {
        Land::On(m) => Some(m),
        Land::Strait | Land::Unmapped => None,
    };
    // The point of the line farthest from any coast, among those at sea.
    let mut farthest: Option<((f64, f64), f64)> = None;
    for (lat, lon) in along(a, b) {
        if land(lat, lon) != Land::Unmapped {
            continue;
        }
        let (c, d) = nearest_coast((lat, lon), on)?;
        if farthest.is_none_or(|(_, f)| d > f) {
            farthest = Some((c, d));
        }
    }
    let Some((c, _)) = farthest else {
        return Some(corridor_model::geo::haversine_km(a, b));
    };
    if depth == 0 || !joined(a, home, c, land(c.0, c.1)) {
        return None;
    }
    let first = line_via_coast(a, c, home, depth - 1, turns)?;
    turns.push(c);
    let second = line_via_coast(c, b, home, depth - 1, turns)?;
    Some(first + second)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn landmass(lat: f64, lon: f64) -> Option<u32> {
        match land(lat, lon) {
            Land::On(m) => Some(m),
            Land::Strait | Land::Unmapped => None,
        }
    }

    fn same_land(a: (f64, f64), b: (f64, f64)) -> bool {
        joined(a, land(a.0, a.1), b, land(b.0, b.1))
    }

    /// Whether the great circle from `a` to `b` passes a point farther than [`COAST_KM`] from
    /// every ring and inside none: what [`land_line`] turns at the coast.
    fn crosses_sea(a: (f64, f64), b: (f64, f64)) -> bool {
        along(a, b).into_iter().any(|(lat, lon)| land(lat, lon) == Land::Unmapped)
    }

    fn line(a: (f64, f64), b: (f64, f64)) -> Option<(Vec<(f64, f64)>, f64)> {
        land_line(a, land(a.0, a.1), b)
    }

    #[test]
    fn islands_straits_and_fixed_links() {
        let at = |lat, lon| landmass(lat, lon);
        let eurasia = at(55.75, 37.62).expect("Moscow");
        for (name, lat, lon) in [
            ("Lisbon", 38.72, -9.14),
            ("London (the Channel Tunnel)", 51.51, -0.13),
            ("Copenhagen (Øresund)", 55.68, 12.57),
            ("Istanbul, European side (the Bosphorus)", 41.01, 28.98),
            ("Genoa, outside the coarse coast", 44.41, 8.93),
            ("Singapore", 1.29, 103.85),
            ("Vladivostok", 43.12, 131.89),
        ] {
            assert_eq!(at(lat, lon), Some(eurasia), "{name}");
        }
        for (name, lat, lon) in [
            ("Cagliari", 39.22, 9.11),
            ("Heraklion", 35.34, 25.13),
            ("Yuzhno-Sakhalinsk", 46.96, 142.74),
            ("Haikou", 20.04, 110.34),
            ("Padang", -0.95, 100.35),
            ("Colombo", 6.93, 79.85),
        ] {
            let m = at(lat, lon);
            assert!(m.is_some() && m != Some(eurasia), "{name}: {m:?}");
        }
        for (name, lat, lon) in [("Odense (Funen, added)", 55.40, 10.39), ("Manama (Bahrain, added)", 26.23, 50.59)] {
            assert_eq!(at(lat, lon), Some(eurasia), "{name}");
        }
        assert_eq!(land(40.0, -40.0), Land::Unmapped, "the open Atlantic");
        assert_eq!(land(39.57, 2.65), Land::Unmapped, "Palma de Mallorca, too small for the file");
        assert_eq!(land(38.11, 15.65), Land::Strait, "Reggio Calabria, across from Sicily");
        assert!(!same_land((39.22, 9.11), (42.09, 11.80)), "Cagliari and Civitavecchia");
        assert!(!same_land((39.22, 9.11), (39.57, 2.65)), "Cagliari and Palma");
        assert!(same_land((39.57, 2.65), (39.85, 3.12)), "Palma and Alcúdia, one small island");
        assert!(!same_land((28.10, -15.41), (28.47, -16.25)), "Gran Canaria and Tenerife, 87 km");
        assert!(same_land((38.11, 15.65), (41.90, 12.50)), "a strait is no refusal");
        assert!(same_land((33.84, 132.77), (34.69, 135.19)), "Matsuyama and Kobe, by the Seto bridges");
        assert!(!same_land((43.06, 141.35), (35.68, 139.69)), "Sapporo and Tokyo: the Seikan Tunnel is rail only");
    }

    #[test]
    fn lines_over_the_sea() {
        for (name, a, b) in [
            ("Weihai to Nampo, across the Yellow Sea", (37.51, 122.12), (38.74, 125.41)),
            ("Dalian to Yantai, across the Bohai Strait", (38.91, 121.60), (37.46, 121.45)),
            ("Baku to Turkmenbashi, across the Caspian", (40.41, 49.87), (40.02, 52.96)),
            ("Trieste to Ancona, across the Adriatic", (45.65, 13.78), (43.62, 13.52)),
        ] {
            assert!(same_land(a, b), "{name}: one landmass");
            assert!(crosses_sea(a, b), "{name}");
        }
        for (name, a, b) in [
            ("Moscow to Kazan", (55.75, 37.62), (55.79, 49.12)),
            ("Benxi to Nampo, by Dandong", (41.29, 123.77), (38.74, 125.41)),
            ("Lisbon to Madrid", (38.72, -9.14), (40.42, -3.70)),
            ("Genoa to Nice, along the coast", (44.41, 8.93), (43.70, 7.27)),
            ("Copenhagen to Malmö, over the Øresund", (55.68, 12.57), (55.60, 13.00)),
            ("Istanbul across the Bosphorus", (41.01, 28.98), (40.99, 29.03)),
            ("one point", (50.0, 10.0), (50.0, 10.0)),
        ] {
            assert!(!crosses_sea(a, b), "{name}");
            let (turns, km) = line(a, b).expect(name);
            assert!(turns.is_empty() && (km - corridor_model::geo::haversine_km(a, b)).abs() < 1e-9, "{name}");
        }
    }

    #[test]
    fn lines_round_a_sea() {
        // Along a concave coast: a few per cent longer, by one turn on the coast.
        let (jadida, tanger) = ((33.25, -8.50), (35.89, -5.50));
        assert!(crosses_sea(jadida, tanger), "the line passes the Atlantic off Rabat");
        let (turns, km) = line(jadida, tanger).expect("round by the coast");
        let straight = corridor_model::geo::haversine_km(jadida, tanger);
        assert!(!turns.is_empty() && km > straight && km < 1.1 * straight, "{turns:?} {km} {straight}");
        // Across a gulf or a sea that no short way round closes: no line.
        for (name, a, b) in [
            ("Weihai to Nampo", (37.51, 122.12), (38.74, 125.41)),
            ("Baku to Turkmenbashi", (40.41, 49.87), (40.02, 52.96)),
            ("Trieste to Ancona", (45.65, 13.78), (43.62, 13.52)),
        ] {
            assert_eq!(line(a, b), None, "{name}");
        }
    }
}
