//! The input graph: a plain directed graph as struct-of-arrays (CSR) with one `u32` weight per
//! arc and a coordinate per node, plus loaders for the CSV formats we benchmark on.
//!
//! Two formats are read:
//! - the OSM "scgraph" export in `../shared/data/osm_*_scgraph` (`nodes.csv.gz`: `id,lat,lon`;
//!   `edges.csv.gz`: `u,v,km`, undirected). Each undirected edge becomes two arcs whose weight is
//!   `round(km * 1000)` integer metres, the weight the peer harness uses, so distance checksums
//!   are comparable with RoutingKit, fast_paths and the others;
//! - the peer harness's graph directory (`nodes.csv`: `id,lat,lon`; `edges.csv`:
//!   `from,to,weight_seconds,...`, directed rows).

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// Weight of an unreachable distance. Arc weights must be smaller; path lengths saturate here.
pub const INF: u32 = u32::MAX;

/// A directed graph in CSR form with node coordinates.
///
/// Arcs of node `u` are `first_out[u]..first_out[u + 1]`; within one node they keep the order in
/// which they were given, so results are deterministic. Parallel arcs and self loops are allowed
/// (they are harmless for every algorithm of this crate).
#[derive(Clone, Debug, Default)]
pub struct Graph {
    /// `first_out[u]` is the index of the first arc leaving `u`; length `node_count + 1`.
    pub first_out: Vec<u32>,
    /// Head node of each arc.
    pub head: Vec<u32>,
    /// Weight of each arc (`< INF`).
    pub weight: Vec<u32>,
    /// Latitude of each node in degrees (used only for the nested-dissection order).
    pub lat: Vec<f64>,
    /// Longitude of each node in degrees.
    pub lon: Vec<f64>,
}

impl Graph {
    /// Builds the CSR graph from an arc list `(tail, head, weight)`; arcs keep their input order
    /// within each tail. Panics if an endpoint is `>= node_count` (a broken invariant of the caller).
    pub fn from_arcs(node_count: usize, arcs: &[(u32, u32, u32)], lat: Vec<f64>, lon: Vec<f64>) -> Graph {
        assert_eq!(lat.len(), node_count, "one latitude per node");
        assert_eq!(lon.len(), node_count, "one longitude per node");
        let mut first_out = vec![0u32; node_count + 1];
        for &(t, h, _) in arcs {
            assert!((t as usize) < node_count && (h as usize) < node_count, "arc endpoint out of range");
            first_out[t as usize + 1] += 1;
        }
        for i in 0..node_count {
            first_out[i + 1] += first_out[i];
        }
        let mut pos: Vec<u32> = first_out[..node_count].to_vec();
        let mut head = vec![0u32; arcs.len()];
        let mut weight = vec![0u32; arcs.len()];
        for &(t, h, w) in arcs {
            let p = pos[t as usize] as usize;
            head[p] = h;
            weight[p] = w;
            pos[t as usize] += 1;
        }
        Graph { first_out, head, weight, lat, lon }
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.first_out.len() - 1
    }

    /// Number of arcs.
    pub fn arc_count(&self) -> usize {
        self.head.len()
    }

    /// The arc range of node `u`.
    #[inline]
    pub fn arcs(&self, u: u32) -> std::ops::Range<usize> {
        self.first_out[u as usize] as usize..self.first_out[u as usize + 1] as usize
    }

    /// Tail node of every arc (the inverse of `first_out`).
    pub fn tails(&self) -> Vec<u32> {
        let mut tail = Vec::with_capacity(self.arc_count());
        for u in 0..self.node_count() as u32 {
            tail.extend(std::iter::repeat_n(u, self.arcs(u).len()));
        }
        tail
    }

    /// Loads the OSM scgraph CSV pair (`id,lat,lon` and `u,v,km`, gzip-compressed when the name
    /// ends in `.gz`). Every undirected edge becomes two arcs of `round(km * 1000)` metres.
    pub fn load_scgraph(nodes: &Path, edges: &Path) -> Result<Graph, LoadError> {
        let (lat, lon) = read_nodes(nodes)?;
        let n = lat.len();
        let mut arcs = Vec::new();
        for_each_row(edges, 3, |line, f| {
            let u = parse_node(edges, line, f[0], n)?;
            let v = parse_node(edges, line, f[1], n)?;
            let km: f64 =
                f[2].parse().map_err(|_| LoadError::Field { file: edges.into(), line, field: f[2].into() })?;
            if !(km.is_finite() && km >= 0.0 && km * 1000.0 < f64::from(INF - 1)) {
                return Err(LoadError::Field { file: edges.into(), line, field: f[2].into() });
            }
            let w = (km * 1000.0).round() as u32;
            arcs.push((u, v, w));
            arcs.push((v, u, w));
            Ok(())
        })?;
        Ok(Graph::from_arcs(n, &arcs, lat, lon))
    }

    /// Loads a peer-harness graph directory: `nodes.csv` (`id,lat,lon`) and `edges.csv`
    /// (`from,to,weight,...`, directed rows; columns after the third are ignored).
    pub fn load_graph_dir(dir: &Path) -> Result<Graph, LoadError> {
        let nodes = dir.join("nodes.csv");
        let edges = dir.join("edges.csv");
        let (lat, lon) = read_nodes(&nodes)?;
        let n = lat.len();
        let mut arcs = Vec::new();
        for_each_row(&edges, 3, |line, f| {
            let u = parse_node(&edges, line, f[0], n)?;
            let v = parse_node(&edges, line, f[1], n)?;
            let w: u32 =
                f[2].parse().map_err(|_| LoadError::Field { file: edges.clone(), line, field: f[2].into() })?;
            if w == INF {
                return Err(LoadError::Field { file: edges.clone(), line, field: f[2].into() });
            }
            arcs.push((u, v, w));
            Ok(())
        })?;
        Ok(Graph::from_arcs(n, &arcs, lat, lon))
    }
}

/// Why a graph file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be opened or read.
    #[error("{file}: {source}")]
    Io {
        /// The file.
        file: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A row has a missing or malformed field.
    #[error("{file}:{line}: bad field {field:?}")]
    Field {
        /// The file.
        file: PathBuf,
        /// 1-based line number.
        line: usize,
        /// The offending text.
        field: String,
    },
    /// The nodes file has no node.
    #[error("{file}: no nodes (expected a header and `id,lat,lon` rows)")]
    Empty {
        /// The file.
        file: PathBuf,
    },
    /// Node ids must be `0..n` in file order, so that they index the arrays directly.
    #[error("{file}:{line}: node ids must be 0..n in order")]
    NodeOrder {
        /// The file.
        file: PathBuf,
        /// 1-based line number.
        line: usize,
    },
}

fn open(path: &Path) -> Result<Box<dyn BufRead>, LoadError> {
    // A FIFO would block the open and a device never ends: regular files only.
    let meta = std::fs::metadata(path).map_err(|source| LoadError::Io { file: path.into(), source })?;
    if !meta.is_file() {
        return Err(LoadError::Io { file: path.into(), source: std::io::Error::other("not a regular file") });
    }
    let f = File::open(path).map_err(|source| LoadError::Io { file: path.into(), source })?;
    let r: Box<dyn Read> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::GzDecoder::new(f))
    } else {
        Box::new(f)
    };
    Ok(Box::new(BufReader::with_capacity(1 << 16, r)))
}

/// Calls `row(line_number, fields)` for every data row (the header is skipped).
fn for_each_row(
    path: &Path,
    min_fields: usize,
    mut row: impl FnMut(usize, &[&str]) -> Result<(), LoadError>,
) -> Result<(), LoadError> {
    let mut r = open(path)?;
    let mut buf = String::new();
    let mut line = 0;
    loop {
        buf.clear();
        let got = r.read_line(&mut buf).map_err(|source| LoadError::Io { file: path.into(), source })?;
        if got == 0 {
            return Ok(());
        }
        line += 1;
        let text = buf.trim_end();
        if line == 1 || text.is_empty() {
            continue;
        }
        let f: Vec<&str> = text.split(',').collect();
        if f.len() < min_fields {
            return Err(LoadError::Field { file: path.into(), line, field: text.into() });
        }
        row(line, &f)?;
    }
}

fn read_nodes(path: &Path) -> Result<(Vec<f64>, Vec<f64>), LoadError> {
    let (mut lat, mut lon) = (Vec::new(), Vec::new());
    for_each_row(path, 3, |line, f| {
        let bad = |s: &str| LoadError::Field { file: path.into(), line, field: s.into() };
        let id: usize = f[0].parse().map_err(|_| bad(f[0]))?;
        if id != lat.len() {
            return Err(LoadError::NodeOrder { file: path.into(), line });
        }
        let (y, x): (f64, f64) = (f[1].parse().map_err(|_| bad(f[1]))?, f[2].parse().map_err(|_| bad(f[2]))?);
        if !(y.is_finite() && y.abs() <= 90.0) {
            return Err(bad(f[1]));
        }
        if !(x.is_finite() && x.abs() <= 180.0) {
            return Err(bad(f[2]));
        }
        lat.push(y);
        lon.push(x);
        Ok(())
    })?;
    if lat.is_empty() {
        return Err(LoadError::Empty { file: path.into() });
    }
    Ok((lat, lon))
}

fn parse_node(file: &Path, line: usize, s: &str, n: usize) -> Result<u32, LoadError> {
    match s.parse::<usize>() {
        Ok(v) if v < n => Ok(v as u32),
        _ => Err(LoadError::Field { file: file.into(), line, field: s.into() }),
    }
}
