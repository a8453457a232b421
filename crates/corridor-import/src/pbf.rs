//! OpenStreetMap `.osm.pbf` importer: the freight-relevant railways and major roads of any
//! extract (a city, a country, a continent) as one [`Layer`] per mode.
//!
//! # What is kept
//!
//! * **Rail** ([`Mode::Rail`]): ways tagged `railway=rail` or `railway=narrow_gauge`, the two
//!   values that carry freight. `light_rail`, `subway`, `tram`, `monorail`, `funicular`,
//!   `miniature` and `preserved` (urban passenger or heritage) are left out, and so are the
//!   lifecycle values (`abandoned`, `disused`, `construction`, `proposed`, `razed`, ...) and
//!   `platform`, simply because they are other values of `railway=`. A kept way that is also
//!   tagged `disused=yes` or `abandoned=yes` is dropped too. Of the `service=` tracks, `yard`
//!   (the classification tracks of marshalling yards: many short parallel ways that add nodes
//!   but no reach) is dropped; `siding`, `spur` (industrial sidings, the first and last mile of
//!   freight) and `crossover` are kept. Gauge: see [`parse_gauge`]; a dual-gauge way gives one
//!   edge per gauge.
//! * **Road** ([`Mode::Road`]): `highway=motorway|trunk|primary|secondary` and their `_link`
//!   ramps: the network a truck uses between terminals. Direction: `oneway=yes|1|true` gives
//!   one-way edges along the way, `oneway=-1|reverse` one-way edges against it, and
//!   `junction=roundabout|circular` implies `oneway=yes` as in OSM unless `oneway=` says
//!   otherwise. Everything else (no tag, `no`, `reversible`, `alternating`) is two-way;
//!   motorways are NOT implied one-way: OSM tags both carriageways, so they are kept as tagged.
//!
//! A way with both a kept `railway=` and a kept `highway=` value is in both layers.
//!
//! # The graph
//!
//! Every node of a kept way becomes a node of its layer and every pair of consecutive nodes an
//! edge (one per gauge), with `km` the haversine distance
//! ([`corridor_snapshot::snap::haversine_km`]). Degree-2 chain nodes are not contracted: the
//! geometry stays exact and simple, and contraction belongs to the assembly step, which also
//! has to keep the nodes where terminals snap. Nodes are numbered in ascending OSM id and edges
//! come in file order (way by way, along each way), so the output is deterministic whatever the
//! thread count. A node only in skipped ways is not in the layer; a node on both a kept railway
//! and a kept road (a level crossing) is a node of both layers, which are independent graphs.
//!
//! Clipped extracts reference nodes that are not in the file: the segments touching such a node
//! are dropped (the rest of the way is kept) and counted, as are repeated consecutive nodes
//! (zero-length segments, also dropped). The counts are in each layer's `source` text and, in
//! detail, in the [`PbfStats`] of [`read_pbf_with_stats`].
//!
//! # How it reads
//!
//! Two passes over the file's blobs with `osmpbf`'s [`BlobReader`], each blob decompressed and
//! decoded on the rayon pool (`par_bridge`; results are put back in file order): pass 1 reads
//! the ways, keeps the selected ones (tags are matched on raw string-table indices, without
//! UTF-8 decoding every tag) and notes which blobs hold nodes; the ids of all their nodes become
//! one sorted, deduplicated `Vec<i64>`. Pass 2 decodes only the blobs that hold nodes (plain and
//! `DenseNodes`) and looks each node up by binary search, keeping the coordinates of the needed
//! ones. Memory is the kept ways' node lists, 24 bytes per needed node (id, lat, lon) and a few
//! decoded blocks in flight: it does not grow with the file's total node count.
//! `ElementReader::par_map_reduce` would call a closure per element and lose the file order;
//! `IndexedReader` reads sequentially on one core.
//!
//! # Errors
//!
//! A missing file, a file that is not an `.osm.pbf` (the first blob must be an `OSMHeader`), a
//! corrupt or truncated blob, trailing bytes after the last complete blob, an unsupported
//! required feature (`HistoricalInformation`) or a coordinate out of range is an
//! [`ImportError`] naming the file (and the blob and byte offset), never a panic: a panic of
//! the decoder on corrupt data is caught and reported the same way. A file cut exactly at a
//! blob boundary is a valid, shorter `.osm.pbf` and cannot be told from one.

use std::fs::File;
use std::io::{BufReader, Read};
use std::ops::Range;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use corridor_snapshot::snap::haversine_km;
use osmpbf::{Blob, BlobReader, BlobType, HeaderBlock, PrimitiveBlock};
use rayon::iter::{IntoParallelRefIterator, ParallelBridge, ParallelIterator};
use rayon::slice::ParallelSliceMut;

use crate::error::ImportError;
use crate::raw::{GaugeMm, Layer, Mode, Progress, RawEdge};

/// Which layers [`read_pbf`] builds. The default is both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PbfFilter {
    /// Build the [`Mode::Rail`] layer (`railway=rail|narrow_gauge`, see the module doc).
    pub rail: bool,
    /// Build the [`Mode::Road`] layer (`highway=motorway|trunk|primary|secondary`, `_link`s).
    pub road: bool,
}

impl Default for PbfFilter {
    /// Rail and road.
    fn default() -> Self {
        PbfFilter { rail: true, road: true }
    }
}

/// Counts of one mode's import, for reports and tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ModeStats {
    /// Ways that passed the filter (including those whose segments were all dropped).
    pub ways: u64,
    /// Nodes of the layer.
    pub nodes: usize,
    /// Edges of the layer (a dual-gauge segment counts once per gauge).
    pub edges: usize,
    /// Segments dropped because a node is not in the file (clipped extracts).
    pub missing_segments: u64,
    /// Ways with at least one such segment.
    pub ways_with_missing_nodes: u64,
    /// Segments dropped because a way repeats a node (`.., a, a, ..`).
    pub repeated_nodes: u64,
}

/// What [`read_pbf_with_stats`] read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PbfStats {
    /// Size of the file, bytes.
    pub bytes: u64,
    /// Blobs in the file (header and data).
    pub blobs: usize,
    /// Blobs holding nodes, the ones decoded again in the second pass.
    pub node_blobs: usize,
    /// Distinct nodes referenced by the kept ways.
    pub needed_nodes: usize,
    /// Of those, the ones not in the file.
    pub missing_nodes: usize,
    /// Rail counts (all zero unless [`PbfFilter::rail`]).
    pub rail: ModeStats,
    /// Road counts (all zero unless [`PbfFilter::road`]).
    pub road: ModeStats,
}

/// Reads the railways and major roads of an OpenStreetMap `.osm.pbf` (see the module doc for
/// what is kept): one [`Layer`] per mode of `filter` that has at least one edge, rail first.
/// Each layer's `source` names the file, the filter and the counts, including the segments
/// dropped for nodes missing from the file.
///
/// # Errors
///
/// [`ImportError::Io`] if the file cannot be read, [`ImportError::Format`] if it is not a
/// valid `.osm.pbf`; both name the file.
pub fn read_pbf(path: &Path, filter: &PbfFilter, progress: &dyn Progress) -> Result<Vec<Layer>, ImportError> {
    read_pbf_with_stats(path, filter, progress).map(|(layers, _)| layers)
}

/// [`read_pbf`], also returning the counts of what was read, kept and dropped.
///
/// # Errors
///
/// As [`read_pbf`].
pub fn read_pbf_with_stats(
    path: &Path,
    filter: &PbfFilter,
    progress: &dyn Progress,
) -> Result<(Vec<Layer>, PbfStats), ImportError> {
    let meta = std::fs::metadata(path).map_err(|source| ImportError::Io { path: path.to_path_buf(), source })?;
    if !meta.is_file() {
        return Err(ImportError::format(path, "not a regular file"));
    }
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let mut stats = PbfStats { bytes: meta.len(), ..PbfStats::default() };

    // Pass 1: ways.
    progress.stage(&format!("{name}: ways"), Some(meta.len()));
    let (blocks, blobs) =
        run_pass(path, meta.len(), progress, |_| true, |_, decoded| Ok(ways_of_blob(decoded, filter)))?;
    stats.blobs = blobs;
    if stats.blobs == 0 {
        return Err(ImportError::format(path, "empty file: not an .osm.pbf"));
    }
    let node_blobs: Vec<bool> = {
        let mut v = vec![false; stats.blobs];
        for (i, b) in &blocks {
            v[*i] = b.has_nodes;
        }
        v
    };
    stats.node_blobs = node_blobs.iter().filter(|&&b| b).count();
    let blocks: Vec<BlockWays> = blocks.into_iter().map(|(_, b)| b).collect();

    let mut needed: Vec<i64> = blocks.iter().flat_map(|b| b.refs.iter().copied()).collect();
    needed.par_sort_unstable();
    needed.dedup();
    stats.needed_nodes = needed.len();

    // Pass 2: coordinates of the needed nodes.
    let mut lat = vec![f64::NAN; needed.len()];
    let mut lon = vec![f64::NAN; needed.len()];
    if !needed.is_empty() {
        progress.stage(&format!("{name}: nodes"), Some(meta.len()));
        let (found, _) = run_pass(
            path,
            meta.len(),
            progress,
            |i| node_blobs.get(i).copied().unwrap_or(false),
            |framed, decoded| nodes_of_blob(path, framed, decoded, &needed),
        )?;
        for (_, coords) in found {
            for (i, la, lo) in coords {
                lat[i as usize] = la;
                lon[i as usize] = lo;
            }
        }
    }
    stats.missing_nodes = lat.iter().filter(|x| x.is_nan()).count();

    // The layers.
    progress.stage(&format!("{name}: layers"), None);
    let mut layers = Vec::new();
    for (mode, wanted, what) in [
        (Mode::Rail, filter.rail, "railway=rail|narrow_gauge, not service=yard"),
        (Mode::Road, filter.road, "highway=motorway|trunk|primary|secondary and _link"),
    ] {
        if !wanted {
            continue;
        }
        let (mut layer, mode_stats) = build_layer(mode, &blocks, &needed, &lat, &lon);
        layer.source = format!(
            "{name}: {} ({what}): {} ways, {} nodes, {} edges; {} segments dropped for nodes missing from the \
             file (in {} ways), {} for repeated nodes",
            mode.name(),
            mode_stats.ways,
            mode_stats.nodes,
            mode_stats.edges,
            mode_stats.missing_segments,
            mode_stats.ways_with_missing_nodes,
            mode_stats.repeated_nodes
        );
        match mode {
            Mode::Rail => stats.rail = mode_stats,
            _ => stats.road = mode_stats,
        }
        if !layer.edges.is_empty() {
            layers.push(layer);
        }
    }
    Ok((layers, stats))
}

/// Parses an OSM `gauge=` value into gauges in mm, ascending and without repeats: `"1520"` →
/// `[1520]`, `"1435;1520"` (dual gauge) → `[1435, 1520]`, `"1520;1435"` → `[1435, 1520]`.
/// Items that are not a whole positive number of mm (`"standard"`, `"1435 mm"`, `""`) are
/// ignored; if none is left, the result is `[0]` (unknown: the country's gauge applies).
pub fn parse_gauge(value: &str) -> Vec<GaugeMm> {
    let mut gauges: Vec<GaugeMm> = value
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()))
        .filter_map(|s| s.parse::<GaugeMm>().ok())
        .filter(|&g| g > 0)
        .collect();
    gauges.sort_unstable();
    gauges.dedup();
    if gauges.is_empty() {
        gauges.push(0);
    }
    gauges
}

/// Travel direction of a kept way's edges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dir {
    Both,
    Forward,
    Backward,
}

/// A way that passed the filter: its mode, direction, gauges and node list.
struct KeptWay {
    mode: Mode,
    dir: Dir,
    /// Range of the gauges in [`BlockWays::gauges`]: rail, at least one (0 = unknown); road `[0]`.
    gauges: Range<usize>,
    /// Range of the node ids in [`BlockWays::refs`].
    refs: Range<usize>,
}

/// Pass 1's result for one blob (the ways' gauges and node ids in two pools, not one
/// allocation per way).
#[derive(Default)]
struct BlockWays {
    has_nodes: bool,
    ways: Vec<KeptWay>,
    gauges: Vec<GaugeMm>,
    refs: Vec<i64>,
}

/// One blob as framed by the reader: its index and byte range in the file.
struct Framed {
    index: usize,
    offset: u64,
    len: u64,
    blob: Blob,
}

/// Counts the bytes handed to the blob reader, to find where each complete blob ends.
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// The blobs of a file in order, each with its index and offset; a framing error or bytes
/// after the last complete blob end the iteration with an error item.
struct Blobs<'a> {
    path: &'a Path,
    reader: BlobReader<Counting<BufReader<File>>>,
    count: Arc<AtomicU64>,
    len: u64,
    /// End of the last complete blob.
    end: u64,
    index: usize,
    done: bool,
}

impl<'a> Blobs<'a> {
    fn open(path: &'a Path, len: u64) -> Result<Self, ImportError> {
        let file = File::open(path).map_err(|source| ImportError::Io { path: path.to_path_buf(), source })?;
        let count = Arc::new(AtomicU64::new(0));
        let reader = BlobReader::new(Counting { inner: BufReader::with_capacity(1 << 20, file), count: count.clone() });
        Ok(Blobs { path, reader, count, len, end: 0, index: 0, done: false })
    }
}

impl Iterator for Blobs<'_> {
    type Item = (usize, Result<Framed, ImportError>);

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let index = self.index;
        match self.reader.next() {
            Some(Ok(blob)) => {
                let offset = self.end;
                self.end = self.count.load(Ordering::Relaxed);
                self.index += 1;
                Some((index, Ok(Framed { index, offset, len: self.end - offset, blob })))
            }
            Some(Err(e)) => {
                self.done = true;
                Some((index, Err(pbf_error(self.path, index, self.end, &e))))
            }
            None => {
                self.done = true;
                (self.end != self.len).then(|| {
                    let message = format!(
                        "truncated or not an .osm.pbf: {} bytes after the last complete blob (blob {index} at byte {})",
                        self.len - self.end,
                        self.end
                    );
                    (index, Err(ImportError::format(self.path, message)))
                })
            }
        }
    }
}

/// An error of blob `index` at byte `offset`.
fn pbf_error(path: &Path, index: usize, offset: u64, e: &dyn std::fmt::Display) -> ImportError {
    ImportError::format(path, format!("not a valid .osm.pbf: blob {index} at byte {offset}: {e}"))
}

/// One pass: `work` on every blob whose index passes `want`, decoded in parallel; the results
/// in file order and the number of blobs, or the first error in file order. Blobs of unknown type are skipped, as the
/// format asks; the first blob must be the `OSMHeader`.
fn run_pass<T: Send>(
    path: &Path,
    len: u64,
    progress: &dyn Progress,
    want: impl Fn(usize) -> bool + Sync + Send,
    work: impl Fn(&Framed, Decoded) -> Result<T, ImportError> + Sync + Send,
) -> Result<(Vec<(usize, T)>, usize), ImportError> {
    let blobs = Blobs::open(path, len)?;
    let mut results: Vec<(usize, Result<Option<T>, ImportError>)> = blobs
        .par_bridge()
        .map(|(index, framed)| {
            let result = framed.and_then(|framed| {
                let size = framed.len;
                let out = if want(index) {
                    let decoded = decode(path, &framed)?;
                    match decoded {
                        Decoded::Skip => None,
                        d => Some(guard(path, &framed, || work(&framed, d))?),
                    }
                } else {
                    None
                };
                progress.inc(size);
                Ok(out)
            });
            (index, result)
        })
        .collect();
    results.sort_unstable_by_key(|(i, _)| *i);
    let count = results.len();
    let mut out = Vec::with_capacity(count);
    for (index, result) in results {
        if let Some(t) = result? {
            out.push((index, t));
        }
    }
    Ok((out, count))
}

/// A decoded blob.
enum Decoded {
    /// An OSMHeader (checked) or a blob of unknown type: nothing to read.
    Skip,
    /// An OSMData block.
    Data(PrimitiveBlock),
}

/// Decodes a blob (decompression and protobuf), checking the header block.
fn decode(path: &Path, framed: &Framed) -> Result<Decoded, ImportError> {
    let err = |e: &dyn std::fmt::Display| pbf_error(path, framed.index, framed.offset, e);
    guard(path, framed, || {
        let kind = framed.blob.get_type();
        if framed.index == 0 && kind != BlobType::OsmHeader {
            return Err(err(&format!("the first blob is '{}', not an OSMHeader", kind.as_str())));
        }
        match kind {
            BlobType::OsmHeader => {
                let header = framed.blob.to_headerblock().map_err(|e| err(&e))?;
                check_header(&header).map_err(|m| err(&m))?;
                Ok(Decoded::Skip)
            }
            BlobType::OsmData => framed.blob.to_primitiveblock().map(Decoded::Data).map_err(|e| err(&e)),
            BlobType::Unknown("") => Err(err(&"blob without a type")),
            BlobType::Unknown(_) => Ok(Decoded::Skip),
        }
    })
}

/// Runs `f`, turning a panic (of the decoder on corrupt data) into an error naming the blob.
fn guard<T>(path: &Path, framed: &Framed, f: impl FnOnce() -> Result<T, ImportError>) -> Result<T, ImportError> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".to_string());
        Err(pbf_error(path, framed.index, framed.offset, &format!("corrupt blob ({what})")))
    })
}

/// Rejects the required features this reader does not support.
fn check_header(header: &HeaderBlock) -> Result<(), String> {
    for feature in header.required_features() {
        match feature.as_str() {
            "OsmSchema-V0.6" | "DenseNodes" => {}
            "HistoricalInformation" => {
                return Err("history files (required feature HistoricalInformation) are not supported".into());
            }
            other => return Err(format!("unsupported required feature '{other}'")),
        }
    }
    Ok(())
}

/// String-table indices of the keys the filter looks at (`u32::MAX`: not in the block).
struct Keys {
    railway: u32,
    highway: u32,
    gauge: u32,
    oneway: u32,
    service: u32,
    junction: u32,
    disused: u32,
    abandoned: u32,
}

impl Keys {
    fn of(table: &[Vec<u8>]) -> Keys {
        let mut k = Keys {
            railway: u32::MAX,
            highway: u32::MAX,
            gauge: u32::MAX,
            oneway: u32::MAX,
            service: u32::MAX,
            junction: u32::MAX,
            disused: u32::MAX,
            abandoned: u32::MAX,
        };
        for (i, s) in table.iter().enumerate() {
            let slot = match s.as_slice() {
                b"railway" => &mut k.railway,
                b"highway" => &mut k.highway,
                b"gauge" => &mut k.gauge,
                b"oneway" => &mut k.oneway,
                b"service" => &mut k.service,
                b"junction" => &mut k.junction,
                b"disused" => &mut k.disused,
                b"abandoned" => &mut k.abandoned,
                _ => continue,
            };
            if *slot == u32::MAX {
                *slot = i as u32;
            }
        }
        k
    }
}

/// The tag values of one way that the filter looks at.
#[derive(Default)]
struct WayTags<'a> {
    railway: Option<&'a [u8]>,
    highway: Option<&'a [u8]>,
    gauge: Option<&'a [u8]>,
    oneway: Option<&'a [u8]>,
    service: Option<&'a [u8]>,
    junction: Option<&'a [u8]>,
    disused: Option<&'a [u8]>,
    abandoned: Option<&'a [u8]>,
}

/// Rail: `Some(gauges)` if the way is a kept railway.
fn rail_gauges(t: &WayTags) -> Option<Vec<GaugeMm>> {
    let rail = matches!(t.railway, Some(b"rail" | b"narrow_gauge"));
    let dead = matches!(t.disused, Some(b"yes")) || matches!(t.abandoned, Some(b"yes"));
    if !rail || dead || matches!(t.service, Some(b"yard")) {
        return None;
    }
    Some(parse_gauge(t.gauge.and_then(|g| std::str::from_utf8(g).ok()).unwrap_or("")))
}

/// Road: `Some(direction)` if the way is a kept road.
fn road_dir(t: &WayTags) -> Option<Dir> {
    let major = matches!(
        t.highway,
        Some(
            b"motorway"
                | b"motorway_link"
                | b"trunk"
                | b"trunk_link"
                | b"primary"
                | b"primary_link"
                | b"secondary"
                | b"secondary_link"
        )
    );
    if !major {
        return None;
    }
    Some(match t.oneway {
        Some(b"yes" | b"1" | b"true") => Dir::Forward,
        Some(b"-1" | b"reverse") => Dir::Backward,
        Some(b"no" | b"false" | b"0") => Dir::Both,
        _ if matches!(t.junction, Some(b"roundabout" | b"circular")) => Dir::Forward,
        _ => Dir::Both,
    })
}

/// Pass 1 on one blob: the kept ways and whether the blob holds nodes.
fn ways_of_blob(decoded: Decoded, filter: &PbfFilter) -> BlockWays {
    let Decoded::Data(block) = decoded else { return BlockWays::default() };
    let table = block.raw_stringtable();
    let keys = Keys::of(table);
    let value = |i: u32| table.get(i as usize).map(Vec::as_slice);
    let mut out = BlockWays::default();
    for group in block.groups() {
        if group.nodes().len() > 0 || group.dense_nodes().len() > 0 {
            out.has_nodes = true;
        }
        for way in group.ways() {
            let mut t = WayTags::default();
            for (k, v) in way.raw_tags() {
                let slot = if k == keys.railway {
                    &mut t.railway
                } else if k == keys.highway {
                    &mut t.highway
                } else if k == keys.gauge {
                    &mut t.gauge
                } else if k == keys.oneway {
                    &mut t.oneway
                } else if k == keys.service {
                    &mut t.service
                } else if k == keys.junction {
                    &mut t.junction
                } else if k == keys.disused {
                    &mut t.disused
                } else if k == keys.abandoned {
                    &mut t.abandoned
                } else {
                    continue;
                };
                *slot = value(v);
            }
            let rail = if filter.rail { rail_gauges(&t) } else { None };
            let road = if filter.road { road_dir(&t) } else { None };
            if rail.is_none() && road.is_none() {
                continue;
            }
            // Delta-decoded here (wrapping: corrupt deltas give missing nodes, not a panic).
            let start = out.refs.len();
            let mut id = 0i64;
            for &d in way.raw_refs() {
                id = id.wrapping_add(d);
                out.refs.push(id);
            }
            let refs = start..out.refs.len();
            if let Some(gauges) = rail {
                let g = out.gauges.len()..out.gauges.len() + gauges.len();
                out.gauges.extend_from_slice(&gauges);
                out.ways.push(KeptWay { mode: Mode::Rail, dir: Dir::Both, gauges: g, refs: refs.clone() });
            }
            if let Some(dir) = road {
                out.gauges.push(0);
                let g = out.gauges.len() - 1..out.gauges.len();
                out.ways.push(KeptWay { mode: Mode::Road, dir, gauges: g, refs });
            }
        }
    }
    out
}

/// Pass 2 on one blob: (index in `needed`, lat, lon) of the needed nodes it holds.
fn nodes_of_blob(
    path: &Path,
    framed: &Framed,
    decoded: Decoded,
    needed: &[i64],
) -> Result<Vec<(u32, f64, f64)>, ImportError> {
    let Decoded::Data(block) = decoded else { return Ok(Vec::new()) };
    let (Some(&first), Some(&last)) = (needed.first(), needed.last()) else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    let mut visit = |id: i64, lat: f64, lon: f64| -> Result<(), ImportError> {
        if id < first || id > last {
            return Ok(());
        }
        if let Ok(i) = needed.binary_search(&id) {
            if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
                let message = format!("node {id} has coordinates out of range ({lat}, {lon})");
                return Err(pbf_error(path, framed.index, framed.offset, &message));
            }
            out.push((i as u32, lat, if lon >= 180.0 { lon - 360.0 } else { lon }));
        }
        Ok(())
    };
    for group in block.groups() {
        for node in group.nodes() {
            visit(node.id(), node.lat(), node.lon())?;
        }
        for node in group.dense_nodes() {
            visit(node.id(), node.lat(), node.lon())?;
        }
    }
    Ok(out)
}

/// One mode's layer from the kept ways and the node coordinates; blocks in parallel.
fn build_layer(mode: Mode, blocks: &[BlockWays], needed: &[i64], lat: &[f64], lon: &[f64]) -> (Layer, ModeStats) {
    // Per block: edges over indices into `needed`, renumbered to the layer's nodes below.
    let parts: Vec<(Vec<RawEdge>, ModeStats)> =
        blocks.par_iter().map(|b| block_edges(mode, b, needed, lat, lon)).collect();
    let mut stats = ModeStats::default();
    let mut edges = Vec::with_capacity(parts.iter().map(|(e, _)| e.len()).sum());
    for (e, s) in parts {
        edges.extend(e);
        stats.ways += s.ways;
        stats.missing_segments += s.missing_segments;
        stats.ways_with_missing_nodes += s.ways_with_missing_nodes;
        stats.repeated_nodes += s.repeated_nodes;
    }
    // Layer node numbers in ascending OSM id (the order of `needed`); u32::MAX = not in the layer.
    let mut index = vec![u32::MAX; needed.len()];
    for e in &edges {
        index[e.u as usize] = 0;
        index[e.v as usize] = 0;
    }
    let mut layer = Layer::new(mode, String::new());
    for (i, slot) in index.iter_mut().enumerate() {
        if *slot == 0 {
            *slot = layer.push_node(lat[i], lon[i]);
        }
    }
    for e in &mut edges {
        e.u = index[e.u as usize];
        e.v = index[e.v as usize];
    }
    layer.edges = edges;
    stats.nodes = layer.node_count();
    stats.edges = layer.edges.len();
    (layer, stats)
}

/// The edges of one block's ways of `mode`, over indices into `needed`, and their counts.
fn block_edges(mode: Mode, block: &BlockWays, needed: &[i64], lat: &[f64], lon: &[f64]) -> (Vec<RawEdge>, ModeStats) {
    let mut stats = ModeStats::default();
    let mut edges = Vec::new();
    let pos = |id: i64| needed.binary_search(&id).expect("every kept way's node is needed");
    for way in block.ways.iter().filter(|w| w.mode == mode) {
        stats.ways += 1;
        let gauges = &block.gauges[way.gauges.clone()];
        let mut missing = false;
        let refs = &block.refs[way.refs.clone()];
        let mut a = refs.first().map(|&id| pos(id));
        for &id in refs.iter().skip(1) {
            let b = pos(id);
            let prev = a.replace(b);
            let Some(a) = prev else { continue };
            if lat[a].is_nan() || lat[b].is_nan() {
                stats.missing_segments += 1;
                missing = true;
                continue;
            }
            if a == b {
                stats.repeated_nodes += 1;
                continue;
            }
            let km = haversine_km((lat[a], lon[a]), (lat[b], lon[b]));
            let (u, v) = if way.dir == Dir::Backward { (b, a) } else { (a, b) };
            for &gauge_mm in gauges {
                edges.push(RawEdge { u: u as u32, v: v as u32, km, gauge_mm, oneway: way.dir != Dir::Both });
            }
        }
        stats.ways_with_missing_nodes += u64::from(missing);
    }
    (edges, stats)
}
