//! Natural Earth admin-0 countries (`ne_50m_admin_0_countries.geojson.gz`,
//! `ne_110m_admin_0_countries.geojson`): which country a point is in.
//!
//! Each feature (Polygon or MultiPolygon, with holes) is one country index; its rings are taken
//! together under the even-odd rule, so holes and islands need no special case. Natural Earth
//! splits polygons at the antimeridian, so all longitudes are in [-180, 180].
//!
//! # Point location
//!
//! A 1-degree grid (360 x 180 cells) lists, per cell, the countries whose boundary touches the
//! cell (with those boundary edges, found by each edge's bounding box) or that cover the cell's
//! reference point. The reference point of every cell sits at an odd fraction of the cell so
//! that no vertex or edge of the data passes exactly through it, and whether it is inside each
//! country is computed once at load time with one horizontal ray per grid row. A query then
//! walks from the point horizontally to the reference point's longitude and vertically to the
//! reference point, counting boundary crossings within the cell only; the count's parity flips
//! the reference point's inside bit. The tie rules are those of the usual ray casting
//! (`(a.y > y) != (b.y > y)`, crossings strictly beyond the point), so the result is the
//! even-odd rule of the whole polygon, at the cost of a few dozen edges per query instead of
//! thousands. Locating 600,000 points takes about a tenth of a second in release builds.
//!
//! # ISO codes
//!
//! [`Countries::iso2`] is `ISO_A2_EH` when present and a two-letter code (newer Natural Earth
//! releases), else `ISO_A2`. Where both are `-99` (France, Norway in Natural Earth 4.x), a small
//! table maps `ADM0_A3`: FRA → FR, NOR → NO, KOS → XK, the de-facto states to their de-jure
//! country (CYN Northern Cyprus → CY, SOL Somaliland → SO) and Australian external territories
//! (ATC Ashmore and Cartier, IOA Indian Ocean Territories) → AU. Then `WB_A2` if it is a
//! two-letter code, else `ADM0_A3` itself (three letters: only Siachen Glacier, KAS). Several
//! features may thus share a code (Cyprus and Northern Cyprus are both CY).

use std::path::Path;

use serde_json::Value;

use crate::error::ImportError;
use crate::searoute::{features, geometry, normalize_lon, position, read_json};

/// Grid cell size, degrees.
const CELL: f64 = 1.0;
/// Grid columns (longitude).
const COLS: usize = 360;
/// Grid rows (latitude).
const ROWS: usize = 180;
/// Position of every cell's reference point within the cell (fractions of a cell), chosen so
/// that no vertex of the data lies on the reference point's meridian or parallel.
const REF_X: f64 = 0.503_141_592_653_589_7;
const REF_Y: f64 = 0.497_182_818_284_590_4;
/// Kilometres per degree of latitude (Earth radius 6371 km, as in `corridor_snapshot::snap`).
const KM_PER_DEG: f64 = 6371.0 * std::f64::consts::PI / 180.0;

/// Countries with their boundaries, indexed for fast point location.
#[derive(Clone)]
pub struct Countries {
    iso2: Vec<String>,
    names: Vec<String>,
    /// Entries of cell `c` are `entries[cell_start[c]..cell_start[c + 1]]`.
    cell_start: Vec<u32>,
    entries: Vec<Entry>,
    edges: Vec<Edge>,
}

/// One country in one grid cell.
#[derive(Clone, Copy, Debug)]
struct Entry {
    country: u16,
    /// Whether the cell's reference point is inside the country.
    inside_ref: bool,
    /// The country's boundary edges touching the cell: `edges[first_edge..end_edge]`.
    first_edge: u32,
    end_edge: u32,
}

/// A boundary edge from (ax, ay) to (bx, by), degrees (x = longitude, y = latitude).
#[derive(Clone, Copy, Debug)]
struct Edge {
    ax: f64,
    ay: f64,
    bx: f64,
    by: f64,
}

impl Edge {
    /// Whether the edge crosses the parallel `y` under the half-open rule of ray casting.
    fn spans_y(&self, y: f64) -> bool {
        (self.ay > y) != (self.by > y)
    }

    /// Longitude where the edge meets the parallel `y` (only when [`Edge::spans_y`]).
    fn x_at(&self, y: f64) -> f64 {
        self.ax + (y - self.ay) * (self.bx - self.ax) / (self.by - self.ay)
    }

    /// Whether the edge crosses the meridian `x` under the same half-open rule.
    fn spans_x(&self, x: f64) -> bool {
        (self.ax > x) != (self.bx > x)
    }

    /// Latitude where the edge meets the meridian `x` (only when [`Edge::spans_x`]).
    fn y_at(&self, x: f64) -> f64 {
        self.ay + (x - self.ax) * (self.by - self.ay) / (self.bx - self.ax)
    }
}

impl std::fmt::Debug for Countries {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Countries").field("len", &self.len()).field("edges", &self.edges.len()).finish()
    }
}

/// ADM0_A3 → ISO 3166-1 alpha-2 where Natural Earth 4.x has `ISO_A2 = -99`.
const ADM0_A3_FALLBACK: [(&str, &str); 7] =
    [("FRA", "FR"), ("NOR", "NO"), ("KOS", "XK"), ("CYN", "CY"), ("SOL", "SO"), ("ATC", "AU"), ("IOA", "AU")];

impl Countries {
    /// Loads a Natural Earth admin-0 GeoJSON file (gzip when the name ends in `.gz`) and builds
    /// the grid index.
    ///
    /// Errors name the file and the 0-based feature index: a geometry other than Polygon or
    /// MultiPolygon, a ring with fewer than four positions, a bad position or a longitude
    /// outside [-180, 180] (a polygon that is not split at the antimeridian).
    pub fn load(path: &Path) -> Result<Countries, ImportError> {
        let root = read_json(path)?;
        let features = features(path, &root)?;
        if features.len() > usize::from(u16::MAX) {
            return Err(ImportError::format(path, format!("{} features, at most 65535", features.len())));
        }
        let mut iso2 = Vec::with_capacity(features.len());
        let mut names = Vec::with_capacity(features.len());
        let mut all: Vec<(u16, Edge)> = Vec::new();
        for (i, feature) in features.iter().enumerate() {
            let err = |message: String| ImportError::format(path, format!("feature {i}: {message}"));
            let (kind, coordinates) = geometry(feature).map_err(err)?;
            let polygons: Vec<&Value> = match kind {
                "Polygon" => vec![&feature["geometry"]["coordinates"]],
                "MultiPolygon" => coordinates.iter().collect(),
                other => return Err(err(format!("expected a Polygon or MultiPolygon, found {other}"))),
            };
            for polygon in polygons {
                let rings = polygon.as_array().ok_or_else(|| err("a polygon is not an array of rings".into()))?;
                for ring in rings {
                    let ring = ring.as_array().ok_or_else(|| err("a ring is not an array of positions".into()))?;
                    if ring.len() < 4 {
                        return Err(err(format!("a ring has {} positions, expected at least 4", ring.len())));
                    }
                    let mut points = Vec::with_capacity(ring.len());
                    for c in ring {
                        let (lat, lon) = position(c).map_err(err)?;
                        if !(-180.0..=180.0).contains(&lon) {
                            return Err(err(format!("longitude {lon} outside [-180, 180]")));
                        }
                        points.push((lon, lat));
                    }
                    if points.first() == points.last() {
                        points.pop();
                    }
                    for (k, &(ax, ay)) in points.iter().enumerate() {
                        let (bx, by) = points[(k + 1) % points.len()];
                        all.push((i as u16, Edge { ax, ay, bx, by }));
                    }
                }
            }
            let props = feature.get("properties").unwrap_or(&Value::Null);
            let code = iso2_of(props);
            let text = |k: &str| props.get(k).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
            names.push(text("NAME").or_else(|| text("ADMIN")).unwrap_or(&code).to_owned());
            iso2.push(code);
        }
        let (cell_start, entries, edges) = build_grid(&all);
        Ok(Countries { iso2, names, cell_start, entries, edges })
    }

    /// Number of countries (features).
    pub fn len(&self) -> usize {
        self.iso2.len()
    }

    /// Whether there are no countries.
    pub fn is_empty(&self) -> bool {
        self.iso2.is_empty()
    }

    /// ISO 3166-1 alpha-2 code of a country (see the module documentation for the fallbacks).
    ///
    /// # Panics
    ///
    /// If `idx` is not below [`Countries::len`].
    pub fn iso2(&self, idx: u16) -> &str {
        &self.iso2[usize::from(idx)]
    }

    /// Short name of a country (`NAME`, else `ADMIN`).
    ///
    /// # Panics
    ///
    /// If `idx` is not below [`Countries::len`].
    pub fn name(&self, idx: u16) -> &str {
        &self.names[usize::from(idx)]
    }

    /// The first country with ISO code `iso2`.
    pub fn find(&self, iso2: &str) -> Option<u16> {
        self.iso2.iter().position(|c| c == iso2).map(|k| k as u16)
    }

    /// The country containing the point (even-odd rule), or `None` at sea, outside every
    /// polygon, or for a non-finite point or a latitude outside [-90, 90]. Longitudes are
    /// normalised first.
    pub fn locate(&self, lat: f64, lon: f64) -> Option<u16> {
        if !(lat.is_finite() && lon.is_finite() && (-90.0..=90.0).contains(&lat)) {
            return None;
        }
        let lon = normalize_lon(lon);
        let (row, col) = (row_of(lat), col_of(lon));
        let x_ref = -180.0 + (col as f64 + REF_X) * CELL;
        let y_ref = -90.0 + (row as f64 + REF_Y) * CELL;
        let (x_lo, x_hi) = if lon < x_ref { (lon, x_ref) } else { (x_ref, lon) };
        let (y_lo, y_hi) = if lat < y_ref { (lat, y_ref) } else { (y_ref, lat) };
        for entry in self.cell(row * COLS + col) {
            let mut inside = entry.inside_ref;
            for e in &self.edges[entry.first_edge as usize..entry.end_edge as usize] {
                // From the point east or west to the reference meridian, along the point's parallel.
                if e.spans_y(lat) {
                    let x = e.x_at(lat);
                    if x_lo < x && x <= x_hi {
                        inside = !inside;
                    }
                }
                // Along the reference meridian to the reference point.
                if e.spans_x(x_ref) {
                    let y = e.y_at(x_ref);
                    if y_lo < y && y <= y_hi {
                        inside = !inside;
                    }
                }
            }
            if inside {
                return Some(entry.country);
            }
        }
        None
    }

    /// The country containing the point, else the country with the nearest boundary edge within
    /// `km` (for points just off the coast or on a border river that the generalised polygons
    /// miss). Distances use a local equirectangular projection around the point: good to a few
    /// percent for the tens of kilometres this is meant for.
    pub fn nearest_within(&self, lat: f64, lon: f64, km: f64) -> Option<u16> {
        if let Some(c) = self.locate(lat, lon) {
            return Some(c);
        }
        if !(lat.is_finite() && lon.is_finite() && (-90.0..=90.0).contains(&lat) && km > 0.0) {
            return None;
        }
        let lon = normalize_lon(lon);
        let dlat = km / KM_PER_DEG;
        let (r0, r1) = (row_of((lat - dlat).max(-90.0)), row_of((lat + dlat).min(90.0)));
        let far = (lat.abs() + dlat).min(90.0).to_radians().cos();
        let cols: Vec<usize> = if far * KM_PER_DEG * 180.0 <= km {
            (0..COLS).collect()
        } else {
            let dlon = km / (KM_PER_DEG * far);
            let c0 = ((lon - dlon + 180.0) / CELL).floor() as i64;
            let c1 = ((lon + dlon + 180.0) / CELL).floor() as i64;
            if c1 - c0 + 1 >= COLS as i64 {
                (0..COLS).collect()
            } else {
                (c0..=c1).map(|c| c.rem_euclid(COLS as i64) as usize).collect()
            }
        };
        let kx = lat.to_radians().cos() * KM_PER_DEG;
        let mut best: Option<(f64, u16)> = None;
        for row in r0..=r1 {
            for &col in &cols {
                for entry in self.cell(row * COLS + col) {
                    for e in &self.edges[entry.first_edge as usize..entry.end_edge as usize] {
                        let (ax, ay) = (normalize_lon(e.ax - lon) * kx, (e.ay - lat) * KM_PER_DEG);
                        let (bx, by) = (normalize_lon(e.bx - lon) * kx, (e.by - lat) * KM_PER_DEG);
                        let d = point_segment_distance(ax, ay, bx, by);
                        if d <= km && best.is_none_or(|(b, _)| d < b) {
                            best = Some((d, entry.country));
                        }
                    }
                }
            }
        }
        best.map(|(_, c)| c)
    }

    fn cell(&self, cell: usize) -> &[Entry] {
        &self.entries[self.cell_start[cell] as usize..self.cell_start[cell + 1] as usize]
    }
}

/// Grid row of a latitude in [-90, 90].
fn row_of(lat: f64) -> usize {
    (((lat + 90.0) / CELL).floor().max(0.0) as usize).min(ROWS - 1)
}

/// Grid column of a longitude in [-180, 180].
fn col_of(lon: f64) -> usize {
    (((lon + 180.0) / CELL).floor().max(0.0) as usize).min(COLS - 1)
}

/// Distance from the origin to the segment (a, b), in the units of the coordinates.
fn point_segment_distance(ax: f64, ay: f64, bx: f64, by: f64) -> f64 {
    let (dx, dy) = (bx - ax, by - ay);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 { (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0) } else { 0.0 };
    (ax + t * dx).hypot(ay + t * dy)
}

/// Builds the grid: per cell, the countries with boundary edges there or covering the reference
/// point.
fn build_grid(all: &[(u16, Edge)]) -> (Vec<u32>, Vec<Entry>, Vec<Edge>) {
    const INSIDE: u32 = u32::MAX;
    // (cell, country, edge index or INSIDE)
    let mut keys: Vec<(u32, u16, u32)> = Vec::new();
    for (k, &(country, e)) in all.iter().enumerate() {
        let (c0, c1) = (col_of(e.ax.min(e.bx)), col_of(e.ax.max(e.bx)));
        let (r0, r1) = (row_of(e.ay.min(e.by)), row_of(e.ay.max(e.by)));
        for row in r0..=r1 {
            for col in c0..=c1 {
                keys.push(((row * COLS + col) as u32, country, k as u32));
            }
        }
    }

    // Crossings of every row's reference parallel, then the reference points' parities.
    let mut crossings: Vec<(u32, u16, f64)> = Vec::new();
    for &(country, e) in all {
        let (lo, hi) = (e.ay.min(e.by), e.ay.max(e.by));
        let first = (((lo + 90.0) / CELL - REF_Y).floor().max(0.0) as usize).min(ROWS - 1);
        for row in first..ROWS {
            let y = -90.0 + (row as f64 + REF_Y) * CELL;
            if y >= hi {
                break;
            }
            if e.spans_y(y) {
                crossings.push((row as u32, country, e.x_at(y)));
            }
        }
    }
    crossings.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then(a.2.total_cmp(&b.2)));
    for group in crossings.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
        let (row, country) = (group[0].0 as usize, group[0].1);
        let mut passed = 0; // crossings at or west of the reference point
        for col in 0..COLS {
            let x = -180.0 + (col as f64 + REF_X) * CELL;
            while passed < group.len() && group[passed].2 <= x {
                passed += 1;
            }
            if (group.len() - passed) % 2 == 1 {
                keys.push(((row * COLS + col) as u32, country, INSIDE));
            }
        }
    }

    keys.sort_unstable();
    let mut cell_start = vec![0u32; ROWS * COLS + 1];
    let mut entries = Vec::new();
    let mut edges = Vec::new();
    for group in keys.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
        let (cell, country) = (group[0].0 as usize, group[0].1);
        let first_edge = edges.len() as u32;
        let mut inside_ref = false;
        for &(_, _, k) in group {
            if k == INSIDE {
                inside_ref = true;
            } else {
                edges.push(all[k as usize].1);
            }
        }
        entries.push(Entry { country, inside_ref, first_edge, end_edge: edges.len() as u32 });
        cell_start[cell + 1] += 1;
    }
    for c in 0..ROWS * COLS {
        cell_start[c + 1] += cell_start[c];
    }
    (cell_start, entries, edges)
}

/// The ISO 3166-1 alpha-2 code of a Natural Earth feature (see the module documentation).
fn iso2_of(props: &Value) -> String {
    let text = |k: &str| props.get(k).and_then(Value::as_str).map(str::trim);
    let iso = |s: &&str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase());
    if let Some(code) = text("ISO_A2_EH").filter(iso).or_else(|| text("ISO_A2").filter(iso)) {
        return code.to_owned();
    }
    let a3 = text("ADM0_A3").unwrap_or("");
    if let Some((_, code)) = ADM0_A3_FALLBACK.iter().find(|(k, _)| *k == a3) {
        return (*code).to_owned();
    }
    text("WB_A2").filter(iso).unwrap_or(a3).to_owned()
}
