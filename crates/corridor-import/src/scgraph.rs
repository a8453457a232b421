//! The OSM "scgraph" CSV pair (exported from the `scgraph_data` package): a node file
//! `id,lat,lon` and an edge file `u,v,km` of undirected edges, each with a header line and
//! gzip-compressed when the name ends in `.gz`.
//!
//! Node ids are usually dense (`0..n` in file order), but the reader does not rely on it: ids are
//! mapped to layer indices in file order, and an edge naming an id that is not in the node file
//! is an error with file, line and field. Self-loops (`u == v`) carry nothing for routing and are
//! dropped. Longitudes are normalised into [-180, 180).
//!
//! On the Eurasian cut in `shared/data`, the rail pair gives 196,524 nodes / 238,593 edges and the
//! road pair 340,222 nodes / 502,281 edges.

use std::collections::HashMap;
use std::path::Path;

use crate::error::{ImportError, read_text};
use crate::raw::{Layer, Mode, RawEdge};
use crate::searoute::normalize_lon;

const NODE_HEADER: [&str; 3] = ["id", "lat", "lon"];
const EDGE_HEADER: [&str; 3] = ["u", "v", "km"];

/// Reads an scgraph node file (`id,lat,lon`) and edge file (`u,v,km`) into one layer of `mode`.
///
/// Nodes keep the order of the node file; edges keep the order of the edge file (minus
/// self-loops) with `gauge_mm = 0` and `oneway = false`. Errors name the file, the 1-based line and
/// the field: an unparsable number, a latitude outside [-90, 90], a longitude outside
/// [-180, 180], a negative or non-finite `km`, a duplicate node id, an edge endpoint that is not a
/// node id, or a wrong header.
pub fn read_scgraph(nodes: &Path, edges: &Path, mode: Mode) -> Result<Layer, ImportError> {
    let mut layer = Layer::new(mode, format!("{} + {}", nodes.display(), edges.display()));

    let text = read_text(nodes)?;
    let mut ids = Vec::new();
    let mut lines = Vec::new();
    for_each_row(nodes, &text, &NODE_HEADER, |line, f| {
        let id: u64 = parse(nodes, line, "id", f[0])?;
        let lat: f64 = parse(nodes, line, "lat", f[1])?;
        let lon: f64 = parse(nodes, line, "lon", f[2])?;
        if !(-90.0..=90.0).contains(&lat) {
            return Err(ImportError::field(nodes, line, "lat", format!("{lat} is outside [-90, 90]")));
        }
        if !(-180.0..=180.0).contains(&lon) {
            return Err(ImportError::field(nodes, line, "lon", format!("{lon} is outside [-180, 180]")));
        }
        layer.push_node(lat, normalize_lon(lon));
        ids.push(id);
        lines.push(line);
        Ok(())
    })?;
    drop(text);
    let index = IdIndex::new(nodes, &ids, &lines)?;
    drop((ids, lines));

    let text = read_text(edges)?;
    for_each_row(edges, &text, &EDGE_HEADER, |line, f| {
        let u = index.node(edges, line, "u", f[0])?;
        let v = index.node(edges, line, "v", f[1])?;
        let km: f64 = parse(edges, line, "km", f[2])?;
        if !(km.is_finite() && km >= 0.0) {
            return Err(ImportError::field(edges, line, "km", format!("{km} is not a finite length >= 0")));
        }
        if u != v {
            layer.edges.push(RawEdge { u, v, km, gauge_mm: 0, oneway: false });
        }
        Ok(())
    })?;
    Ok(layer)
}

/// Node id to layer index: a plain vector when the ids are dense enough, else a hash map.
enum IdIndex {
    Dense(Vec<u32>),
    Sparse(HashMap<u64, u32>),
}

impl IdIndex {
    const NONE: u32 = u32::MAX;

    fn new(path: &Path, ids: &[u64], lines: &[usize]) -> Result<IdIndex, ImportError> {
        let duplicate = |k: usize, first: u32| {
            let message = format!("duplicate node id {} (first on line {})", ids[k], lines[first as usize]);
            ImportError::field(path, lines[k], "id", message)
        };
        let max = ids.iter().copied().max().unwrap_or(0);
        if max < 2 * ids.len() as u64 + 1024 {
            let mut dense = vec![Self::NONE; max as usize + 1];
            for (k, &id) in ids.iter().enumerate() {
                let slot = &mut dense[id as usize];
                if *slot != Self::NONE {
                    return Err(duplicate(k, *slot));
                }
                *slot = k as u32;
            }
            Ok(IdIndex::Dense(dense))
        } else {
            let mut sparse = HashMap::with_capacity(ids.len());
            for (k, &id) in ids.iter().enumerate() {
                if let Some(&first) = sparse.get(&id) {
                    return Err(duplicate(k, first));
                }
                sparse.insert(id, k as u32);
            }
            Ok(IdIndex::Sparse(sparse))
        }
    }

    fn node(&self, path: &Path, line: usize, field: &str, text: &str) -> Result<u32, ImportError> {
        let id: u64 = parse(path, line, field, text)?;
        let found = match self {
            IdIndex::Dense(dense) => dense.get(id as usize).copied().filter(|&k| k != Self::NONE),
            IdIndex::Sparse(sparse) => sparse.get(&id).copied(),
        };
        found.ok_or_else(|| ImportError::field(path, line, field, format!("unknown node id {id}")))
    }
}

/// Parses one field, naming file, line and field on failure.
fn parse<T: std::str::FromStr>(path: &Path, line: usize, field: &str, text: &str) -> Result<T, ImportError> {
    text.parse().map_err(|_| ImportError::field(path, line, field, format!("cannot parse {text:?}")))
}

/// Checks the header, then calls `row(line, fields)` for every non-empty data line.
fn for_each_row<'t>(
    path: &Path,
    text: &'t str,
    header: &[&str; 3],
    mut row: impl FnMut(usize, [&'t str; 3]) -> Result<(), ImportError>,
) -> Result<(), ImportError> {
    let mut lines = text.lines().enumerate().map(|(k, l)| (k + 1, l.trim()));
    let expected = header.join(",");
    match lines.by_ref().find(|(_, l)| !l.is_empty()) {
        None => return Err(ImportError::format(path, format!("empty file: expected the header `{expected}`"))),
        Some((line, l)) => {
            if l.split(',').map(str::trim).ne(header.iter().copied()) {
                return Err(ImportError::field(path, line, "header", format!("expected `{expected}`, found `{l}`")));
            }
        }
    }
    for (line, l) in lines {
        if l.is_empty() {
            continue;
        }
        let mut fields = [""; 3];
        let mut count = 0;
        for f in l.split(',') {
            if let Some(slot) = fields.get_mut(count) {
                *slot = f.trim();
            }
            count += 1;
        }
        if count < 3 {
            return Err(ImportError::field(path, line, header[count], "missing"));
        }
        if count > 3 {
            return Err(ImportError::field(path, line, "row", format!("expected 3 fields, found {count}")));
        }
        row(line, fields)?;
    }
    Ok(())
}
