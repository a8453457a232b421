//! The searoute maritime network (`marnet_searoute.geojson`, from the `searoute` Python package,
//! derived from Eurostat's MARNET) and its port list (`ports.geojson`).
//!
//! The network is a GeoJSON FeatureCollection of LineStrings (and the odd MultiLineString). Every
//! coordinate becomes a node, coordinates that are equal after normalising the longitude into
//! [-180, 180) and rounding to 1e-6 degrees are merged into one node, and every consecutive pair
//! of coordinates is an undirected edge whose length is the haversine distance between the
//! (normalised) node coordinates ([`corridor_snapshot::snap::haversine_km`], as for every
//! layer). The file writes some Bering Strait longitudes beyond 180 (up to 190.85); after
//! normalisation they meet the -180 side, and the haversine on the normalised coordinates is
//! right across the antimeridian. Consecutive coordinates that merge
//! into one node would make a self-loop and are skipped (there are none in searoute 1.6.0).
//!
//! searoute 1.6.0 gives 9,686 nodes and 15,936 edges (three node pairs are joined by two
//! features each; the parallel edges are kept), all in one connected component, including the
//! Caspian Sea, which the network links to the Black Sea through the Volga–Don canal.
//!
//! Errors name the file and the 0-based index of the offending feature.

use std::collections::HashMap;
use std::path::Path;

use corridor_snapshot::snap::haversine_km;
use serde_json::Value;

use crate::error::{ImportError, read_text};
use crate::raw::{Layer, Mode, RawEdge, Terminal, function};

/// Normalises a longitude into [-180, 180) (180 becomes -180). Values already in range are
/// returned unchanged, bit for bit; a value in [180, 540) is shifted by exactly 360.
pub fn normalize_lon(lon: f64) -> f64 {
    if (-180.0..180.0).contains(&lon) {
        return lon;
    }
    if (180.0..540.0).contains(&lon) {
        return lon - 360.0;
    }
    let x = (lon + 180.0).rem_euclid(360.0) - 180.0;
    if x >= 180.0 { x - 360.0 } else { x }
}

/// Reads the searoute network into a [`Mode::Sea`] layer (see the module documentation for the
/// merging of nodes and the antimeridian).
///
/// Errors: the file is not JSON or not a FeatureCollection, a geometry is neither a LineString
/// nor a MultiLineString, a line has fewer than two positions, or a position is not a pair of
/// finite numbers with a latitude in [-90, 90].
pub fn read_searoute_network(path: &Path) -> Result<Layer, ImportError> {
    read_searoute_passages(path).map(|(layer, _)| layer)
}

/// [`read_searoute_network`] with the `passage` property of each edge's feature (`suez`,
/// `panama`, `northwest`, ...; `None` on the open sea), in edge order.
pub fn read_searoute_passages(path: &Path) -> Result<(Layer, Vec<Option<String>>), ImportError> {
    let root = read_json(path)?;
    let features = features(path, &root)?;
    let mut layer = Layer::new(Mode::Sea, path.display().to_string());
    let mut index: HashMap<(i64, i64), u32> = HashMap::new();
    let mut passages = Vec::new();
    for (i, feature) in features.iter().enumerate() {
        let err = |message: String| ImportError::format(path, format!("feature {i}: {message}"));
        let (kind, coordinates) = geometry(feature).map_err(err)?;
        let passage = feature["properties"]["passage"].as_str().map(str::to_owned);
        let lines: Vec<&Vec<Value>> = match kind {
            "LineString" => vec![coordinates],
            "MultiLineString" => coordinates
                .iter()
                .map(|l| l.as_array().ok_or_else(|| err("a MultiLineString part is not an array".into())))
                .collect::<Result<_, _>>()?,
            other => return Err(err(format!("expected a LineString or MultiLineString, found {other}"))),
        };
        for line in lines {
            if line.len() < 2 {
                return Err(err(format!("a line has {} position(s), expected at least 2", line.len())));
            }
            let mut prev: Option<u32> = None;
            for c in line {
                let (lat, lon) = position(c).map_err(err)?;
                let lon = normalize_lon(lon);
                let node = *index.entry(merge_key(lat, lon)).or_insert_with(|| layer.push_node(lat, lon));
                if let Some(p) = prev
                    && p != node
                {
                    let (a, b) = (p as usize, node as usize);
                    let km = haversine_km((layer.lat[a], layer.lon[a]), (layer.lat[b], layer.lon[b]));
                    layer.edges.push(RawEdge { u: p, v: node, km, gauge_mm: 0, oneway: false });
                    passages.push(passage.clone());
                }
                prev = Some(node);
            }
        }
    }
    Ok((layer, passages))
}

/// Reads searoute's `ports.geojson`: one [`function::PORT`] terminal per Point feature, in file
/// order. `code` is the `port` property (a UN/LOCODE such as `ALDRZ`, spaces removed), `name` the
/// `name` property (the code when it is missing), `country` the first two letters of the code.
///
/// The file is kept as it is: searoute 1.6.0 has 3,962 ports, 38 codes appear twice (two
/// positions for one port) and one code is only a country (`EG`, Ras Budran).
pub fn read_searoute_ports(path: &Path) -> Result<Vec<Terminal>, ImportError> {
    let root = read_json(path)?;
    let features = features(path, &root)?;
    let mut ports = Vec::with_capacity(features.len());
    for (i, feature) in features.iter().enumerate() {
        let err = |message: String| ImportError::format(path, format!("feature {i}: {message}"));
        let (kind, coordinates) = geometry(feature).map_err(err)?;
        if kind != "Point" {
            return Err(err(format!("expected a Point, found {kind}")));
        }
        let (lat, lon) = lat_lon(coordinates).ok_or_else(|| err(bad_position(&feature["geometry"]["coordinates"])))?;
        let props = feature.get("properties");
        let code: String = match props.and_then(|p| p.get("port")).and_then(Value::as_str) {
            Some(code) => code.chars().filter(|c| !c.is_whitespace()).collect(),
            None => return Err(err("field port: missing or not a string".into())),
        };
        let country = code.get(..2).filter(|c| c.bytes().all(|b| b.is_ascii_uppercase()));
        let Some(country) = country.map(str::to_owned) else {
            return Err(err(format!("field port: {code:?} does not start with a country code")));
        };
        let name = match props.and_then(|p| p.get("name")).and_then(Value::as_str) {
            Some(name) if !name.trim().is_empty() => name.trim().to_owned(),
            _ => code.clone(),
        };
        ports.push(Terminal { code, name, country, lat, lon: normalize_lon(lon), functions: function::PORT });
    }
    Ok(ports)
}

/// Rounds a normalised position to 1e-6 degrees; the key of merged nodes.
fn merge_key(lat: f64, lon: f64) -> (i64, i64) {
    let mut x = (lon * 1e6).round() as i64;
    if x >= 180_000_000 {
        x -= 360_000_000; // 179.9999996 rounds to 180: the same node as -180.
    }
    ((lat * 1e6).round() as i64, x)
}

/// Reads and parses a JSON file.
pub(crate) fn read_json(path: &Path) -> Result<Value, ImportError> {
    let text = read_text(path)?;
    serde_json::from_str(&text).map_err(|e| ImportError::format(path, format!("invalid JSON: {e}")))
}

/// The features of a FeatureCollection.
pub(crate) fn features<'v>(path: &Path, root: &'v Value) -> Result<&'v Vec<Value>, ImportError> {
    if root.get("type").and_then(Value::as_str).is_some_and(|t| t != "FeatureCollection") {
        return Err(ImportError::format(path, "not a GeoJSON FeatureCollection"));
    }
    root.get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| ImportError::format(path, "not a GeoJSON FeatureCollection: no `features` array"))
}

/// A feature's geometry type and coordinates array.
pub(crate) fn geometry(feature: &Value) -> Result<(&str, &Vec<Value>), String> {
    let g = feature.get("geometry").filter(|g| !g.is_null()).ok_or("no geometry")?;
    let kind = g.get("type").and_then(Value::as_str).ok_or("geometry without a type")?;
    let coordinates = g.get("coordinates").and_then(Value::as_array).ok_or("geometry without coordinates")?;
    Ok((kind, coordinates))
}

/// A GeoJSON position `[lon, lat, ...]` as (lat, lon); finite, latitude in [-90, 90].
pub(crate) fn position(c: &Value) -> Result<(f64, f64), String> {
    c.as_array().and_then(|a| lat_lon(a)).ok_or_else(|| bad_position(c))
}

/// The (lat, lon) of a position's numbers, if finite with a latitude in [-90, 90].
fn lat_lon(a: &[Value]) -> Option<(f64, f64)> {
    let (lon, lat) = (a.first()?.as_f64()?, a.get(1)?.as_f64()?);
    (lon.is_finite() && (-90.0..=90.0).contains(&lat)).then_some((lat, lon))
}

fn bad_position(c: &Value) -> String {
    format!("bad position {c}: expected [lon, lat] with finite numbers and -90 <= lat <= 90")
}
