//! The snapshot file format, version 1.
//!
//! ```text
//! offset 0   magic "CORRSNAP" (8 bytes)
//!        8   version u32, little-endian (= 1)
//!       12   mode u32 (0 rail, 1 road, 2 other)
//!       16   node_count u64
//!       24   arc_count u64
//!       32   checksum u64: FNV-1a 64 of every byte after the 64-byte header
//!       40   reserved (24 bytes of zero)
//!       64   first_out [u32; n + 1]   padded to 8 bytes
//!            head      [u32; m]       padded
//!            weight_m  [u32; m]       arc length in metres, padded
//!            lat_e7    [i32; n]       degrees x 1e7, padded
//!            lon_e7    [i32; n]       padded
//!            order     [u32; n]       CCH nested-dissection order (rank -> node), padded
//!            component [u32; n]       connected component id, largest = 0, padded
//! ```
//!
//! The arrays are cast from the memory map without copying (bytemuck checks alignment and
//! length); every offset is derived from the two counts, so a truncated or inconsistent file is
//! detected before any array is touched.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use memmap2::Mmap;

/// File magic.
pub const MAGIC: &[u8; 8] = b"CORRSNAP";
/// Current format version.
pub const VERSION: u32 = 1;
const HEADER: usize = 64;

/// Why a snapshot could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// The file could not be opened or mapped.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file does not start with the snapshot magic.
    #[error("{path}: not a corridor snapshot (build one with `corridor build`)")]
    NotASnapshot {
        /// The file.
        path: PathBuf,
    },
    /// The file was written by another format version.
    #[error(
        "{path}: snapshot format version {found}, this corridor reads version {expected}; rebuild it with `corridor build`"
    )]
    Version {
        /// The file.
        path: PathBuf,
        /// Version in the file.
        found: u32,
        /// Version this code reads.
        expected: u32,
    },
    /// The file is truncated, inconsistent or its checksum does not match.
    #[error("{path}: corrupt snapshot: {reason}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
}

/// FNV-1a, 64-bit. Not cryptographic: it detects damage, not tampering.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    // Eight bytes per step keeps it at memory speed on large files.
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        h ^= u64::from_le_bytes(c.try_into().expect("8 bytes"));
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    for &b in chunks.remainder() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn padded(bytes: usize) -> usize {
    bytes.div_ceil(8) * 8
}

/// Byte ranges of the arrays for the given counts.
fn layout(n: usize, m: usize) -> [(usize, usize); 7] {
    let sizes = [(n + 1) * 4, m * 4, m * 4, n * 4, n * 4, n * 4, n * 4];
    let mut out = [(0, 0); 7];
    let mut at = HEADER;
    for (i, s) in sizes.iter().enumerate() {
        out[i] = (at, at + s);
        at += padded(*s);
    }
    out
}

/// The arrays of a snapshot, owned, for writing.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SnapshotData {
    /// 0 rail, 1 road, 2 other.
    pub mode: u32,
    /// CSR offsets, `n + 1`.
    pub first_out: Vec<u32>,
    /// Arc heads.
    pub head: Vec<u32>,
    /// Arc lengths, metres.
    pub weight_m: Vec<u32>,
    /// Latitudes x 1e7.
    pub lat_e7: Vec<i32>,
    /// Longitudes x 1e7.
    pub lon_e7: Vec<i32>,
    /// CCH order.
    pub order: Vec<u32>,
    /// Component id per node (0 = largest).
    pub component: Vec<u32>,
}

impl SnapshotData {
    /// Writes the snapshot to `path` (via a temporary file renamed into place, so a crash never
    /// leaves a half-written snapshot under the final name).
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        let n = self.lat_e7.len();
        let m = self.head.len();
        let mut body: Vec<u8> = Vec::with_capacity(layout(n, m)[6].1);
        let mut push = |bytes: &[u8]| {
            body.extend_from_slice(bytes);
            body.resize(padded(body.len()), 0);
        };
        push(bytemuck::cast_slice(&self.first_out));
        push(bytemuck::cast_slice(&self.head));
        push(bytemuck::cast_slice(&self.weight_m));
        push(bytemuck::cast_slice(&self.lat_e7));
        push(bytemuck::cast_slice(&self.lon_e7));
        push(bytemuck::cast_slice(&self.order));
        push(bytemuck::cast_slice(&self.component));
        let mut header = [0u8; HEADER];
        header[..8].copy_from_slice(MAGIC);
        header[8..12].copy_from_slice(&VERSION.to_le_bytes());
        header[12..16].copy_from_slice(&self.mode.to_le_bytes());
        header[16..24].copy_from_slice(&(n as u64).to_le_bytes());
        header[24..32].copy_from_slice(&(m as u64).to_le_bytes());
        header[32..40].copy_from_slice(&fnv1a(&body).to_le_bytes());
        let tmp = path.with_extension("corridor.tmp");
        {
            let mut f = File::create(&tmp)?;
            f.write_all(&header)?;
            f.write_all(&body)?;
            f.sync_all()?;
        }
        std::fs::rename(&tmp, path)
    }
}

/// A snapshot file mapped into memory.
pub struct Snapshot {
    map: Mmap,
    n: usize,
    m: usize,
    mode: u32,
}

impl Snapshot {
    /// Maps and checks `path`: magic, version, sizes and checksum.
    pub fn open(path: &Path) -> Result<Snapshot, SnapshotError> {
        let io = |source| SnapshotError::Io { path: path.to_path_buf(), source };
        let file = File::open(path).map_err(io)?;
        // SAFETY: the map is read-only and private to this process; corridor never writes a
        // snapshot in place (writes go to a temporary file renamed over it), so the mapped
        // bytes do not change under us in normal use.
        let map = unsafe { Mmap::map(&file) }.map_err(io)?;
        let corrupt = |reason: String| SnapshotError::Corrupt { path: path.to_path_buf(), reason };
        if map.len() < 8 || &map[..8] != MAGIC {
            return Err(SnapshotError::NotASnapshot { path: path.to_path_buf() });
        }
        if map.len() < HEADER {
            return Err(corrupt(format!("{} bytes, shorter than the {HEADER}-byte header", map.len())));
        }
        let u32_at = |o: usize| u32::from_le_bytes(map[o..o + 4].try_into().expect("4 bytes"));
        let u64_at = |o: usize| u64::from_le_bytes(map[o..o + 8].try_into().expect("8 bytes"));
        let version = u32_at(8);
        if version != VERSION {
            return Err(SnapshotError::Version { path: path.to_path_buf(), found: version, expected: VERSION });
        }
        let (n, m) = (u64_at(16), u64_at(24));
        if n >= u64::from(u32::MAX) || m >= u64::from(u32::MAX) {
            return Err(corrupt(format!("implausible sizes: {n} nodes, {m} arcs")));
        }
        let (n, m) = (n as usize, m as usize);
        let end = layout(n, m)[6].1;
        if map.len() < end {
            return Err(corrupt(format!("truncated: {} bytes, the header promises {end}", map.len())));
        }
        let sum = fnv1a(&map[HEADER..]);
        if sum != u64_at(32) {
            return Err(corrupt(format!("checksum mismatch (stored {:016x}, computed {sum:016x})", u64_at(32))));
        }
        let snap = Snapshot { mode: u32_at(12), map, n, m };
        // Structural checks so later array accesses cannot go out of bounds.
        let fo = snap.first_out();
        if fo[0] != 0 || fo[n] as usize != m || fo.windows(2).any(|w| w[0] > w[1]) {
            return Err(corrupt("first_out is not a valid CSR offset array".into()));
        }
        if snap.head().iter().any(|&h| h as usize >= n) {
            return Err(corrupt("an arc head is out of range".into()));
        }
        let mut seen = vec![false; n];
        for &v in snap.order() {
            if v as usize >= n || std::mem::replace(&mut seen[v as usize], true) {
                return Err(corrupt("order is not a permutation of the nodes".into()));
            }
        }
        Ok(snap)
    }

    fn slice<T: bytemuck::Pod>(&self, i: usize) -> &[T] {
        let (a, b) = layout(self.n, self.m)[i];
        bytemuck::cast_slice(&self.map[a..b])
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.n
    }

    /// Number of arcs.
    pub fn arc_count(&self) -> usize {
        self.m
    }

    /// 0 rail, 1 road, 2 other.
    pub fn mode(&self) -> u32 {
        self.mode
    }

    /// CSR offsets.
    pub fn first_out(&self) -> &[u32] {
        self.slice(0)
    }

    /// Arc heads.
    pub fn head(&self) -> &[u32] {
        self.slice(1)
    }

    /// Arc lengths in metres.
    pub fn weight_m(&self) -> &[u32] {
        self.slice(2)
    }

    /// Latitudes x 1e7.
    pub fn lat_e7(&self) -> &[i32] {
        self.slice(3)
    }

    /// Longitudes x 1e7.
    pub fn lon_e7(&self) -> &[i32] {
        self.slice(4)
    }

    /// CCH order.
    pub fn order(&self) -> &[u32] {
        self.slice(5)
    }

    /// Component id per node (0 = largest).
    pub fn component(&self) -> &[u32] {
        self.slice(6)
    }

    /// The graph as a [`corridor_cch::Graph`] (copies the arrays; tens of milliseconds for a
    /// continental graph).
    pub fn graph(&self) -> corridor_cch::Graph {
        corridor_cch::Graph {
            first_out: self.first_out().to_vec(),
            head: self.head().to_vec(),
            weight: self.weight_m().to_vec(),
            lat: self.lat_e7().iter().map(|&x| f64::from(x) / 1e7).collect(),
            lon: self.lon_e7().iter().map(|&x| f64::from(x) / 1e7).collect(),
        }
    }
}
