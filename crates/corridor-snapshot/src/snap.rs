//! Snapping a coordinate to the nearest usable node: a uniform grid over the nodes of the
//! allowed components (by default the largest, as OSRM and GraphHopper drop small islands),
//! searched ring by ring until no closer node can exist.

use std::sync::Arc;

/// Earth radius, km.
const R: f64 = 6371.0;

/// Great-circle distance in km.
pub fn haversine_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (a.0.to_radians(), a.1.to_radians(), b.0.to_radians(), b.1.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2) + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * R * h.sqrt().asin()
}

/// A snapped point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Snapped {
    /// The node.
    pub node: u32,
    /// Distance from the asked coordinate to the node, km.
    pub distance_km: f64,
}

/// Why a coordinate could not be snapped.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SnapError {
    /// Latitude or longitude out of range or not a number.
    #[error("coordinate ({lat}, {lon}) is not a valid latitude/longitude")]
    Invalid {
        /// Latitude asked.
        lat: f64,
        /// Longitude asked.
        lon: f64,
    },
    /// The nearest usable node is farther than the limit.
    #[error("no usable network node within {limit_km} km of ({lat}, {lon}){}", if nearest_km.is_finite() { format!("; the nearest is {nearest_km:.1} km away") } else { String::new() })]
    TooFar {
        /// Latitude asked.
        lat: f64,
        /// Longitude asked.
        lon: f64,
        /// The limit.
        limit_km: f64,
        /// Distance to the nearest usable node (infinite if none).
        nearest_km: f64,
    },
}

/// Grid cell size in degrees: a few nodes per cell on continental OSM graphs.
const CELL: f64 = 0.25;

/// A spatial index of nodes.
pub struct SnapIndex {
    /// Coordinates of every node, shared between the indexes of one graph (an engine has one
    /// index per node mode: copies would cost 16 bytes per node each).
    lat: Arc<[f64]>,
    lon: Arc<[f64]>,
    cells: std::collections::HashMap<(i32, i32), Vec<u32>>,
}

fn cell(lat: f64, lon: f64) -> (i32, i32) {
    ((lat / CELL).floor() as i32, (lon / CELL).floor() as i32)
}

impl SnapIndex {
    /// Indexes the nodes for which `usable(node)` holds.
    pub fn new(lat: Vec<f64>, lon: Vec<f64>, usable: impl Fn(u32) -> bool) -> Self {
        SnapIndex::shared(lat.into(), lon.into(), usable)
    }

    /// Like [`SnapIndex::new`], over coordinates shared with other indexes of the same nodes.
    pub fn shared(lat: Arc<[f64]>, lon: Arc<[f64]>, usable: impl Fn(u32) -> bool) -> Self {
        let mut cells: std::collections::HashMap<(i32, i32), Vec<u32>> = std::collections::HashMap::new();
        for i in 0..lat.len() {
            if usable(i as u32) {
                cells.entry(cell(lat[i], lon[i])).or_default().push(i as u32);
            }
        }
        SnapIndex { lat, lon, cells }
    }

    /// The nearest indexed node to (lat, lon) within `limit_km`.
    pub fn nearest(&self, lat: f64, lon: f64, limit_km: f64) -> Result<Snapped, SnapError> {
        if !(lat.is_finite() && lon.is_finite() && (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)) {
            return Err(SnapError::Invalid { lat, lon });
        }
        let (ci, cj) = cell(lat, lon);
        let mut best: Option<Snapped> = None;
        // A cell is at least CELL degrees of latitude (111 km per degree) away per ring step,
        // shrunk by cos(lat) in longitude; stop when the ring cannot beat the best.
        let km_per_ring = CELL * 111.0 * lat.to_radians().cos().max(0.05);
        let max_rings = ((limit_km.max(1.0) / km_per_ring).ceil() as i32 + 1).min(4000);
        for r in 0..=max_rings {
            if let Some(b) = best
                && (f64::from(r) - 1.0) * km_per_ring > b.distance_km
            {
                break;
            }
            for di in -r..=r {
                for dj in -r..=r {
                    if di.abs() != r && dj.abs() != r {
                        continue;
                    }
                    let Some(nodes) = self.cells.get(&(ci + di, cj + dj)) else { continue };
                    for &v in nodes {
                        let d = haversine_km((lat, lon), (self.lat[v as usize], self.lon[v as usize]));
                        if best.is_none_or(|b| d < b.distance_km || (d == b.distance_km && v < b.node)) {
                            best = Some(Snapped { node: v, distance_km: d });
                        }
                    }
                }
            }
        }
        match best {
            Some(b) if b.distance_km <= limit_km => Ok(b),
            b => Err(SnapError::TooFar { lat, lon, limit_km, nearest_km: b.map_or(f64::INFINITY, |b| b.distance_km) }),
        }
    }
}
