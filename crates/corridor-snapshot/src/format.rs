//! The snapshot file format, version 3.
//!
//! ```text
//! offset 0   magic "CORRSNAP" (8 bytes)
//!        8   version u32, little-endian (= 2)
//!       12   kind u32 (`SnapshotKind`: 0 rail, 1 road, 2 sea, 3 multimodal)
//!       16   node_count u64
//!       24   arc_count u64
//!       32   checksum u64: FNV-1a 64 of every byte after the 128-byte header
//!       40   label_count u32, country_count u32
//!       48   label_bytes u64
//!       56   cch_arcs u32 (M), cch_levels u32 (L)
//!       64   metric_count u32 (K, at most 64)
//!       68   reserved (60 bytes of zero)
//!      128   sections, each padded to 8 bytes, in this order:
//!            first_out   [u32; n + 1]   CSR offsets
//!            head        [u32; m]       arc heads
//!            weight_m    [u32; m]       arc length, metres
//!            lat_e7      [i32; n]       degrees x 1e7
//!            lon_e7      [i32; n]
//!            order       [u32; n]       CCH nested-dissection order (rank -> node)
//!            component   [u32; n]       connected component id, largest = 0
//!            node_mode   [u8; n]        `NodeMode`: 0 rail, 1 road, 2 sea, 3 terminal
//!            node_gauge  [u16; n]       rail gauge mm (0 = none / unknown)
//!            node_country[u16; n]       index into the country table, 0xFFFF = none
//!            node_label  [u32; n]       label id (terminal code and name), 0 = none
//!            arc_kind    [u8; m]        see `ArcKind`
//!            speed_kmh   [f32; m]       running speed, 0 = no running time (a pure dwell arc)
//!            fixed_h     [f32; m]       mean fixed time: dwell, handling, waiting for a departure
//!            fixed_p90_h [f32; m]       90th percentile of the fixed time
//!            usd_fixed   [f32; m]       flat price per TEU
//!            usd_tkm     [f32; m]       price per cargo tonne-km
//!            kg_tkm      [f32; m]       kg CO2e (well-to-wheel) per cargo tonne-km
//!            arc_label   [u32; m]       label id (border, ferry, gauge change), 0 = none
//!            country     [u32; c]       label id of each country's ISO code
//!            label_end   [u32; L]       end offset of each label in the blob
//!            label_blob  [u8; B]        UTF-8 labels
//!            the CCH of the graph under `order` (see `corridor_cch::Cch`; ids are ranks):
//!            cch_rank        [u32; n]   node -> rank
//!            cch_first_out   [u32; n+1] upward arcs per rank
//!            cch_head        [u32; M]
//!            cch_tail        [u32; M]
//!            cch_parent      [u32; n]   elimination-tree parent
//!            cch_down_first  [u32; n+1] downward adjacency per rank
//!            cch_down_tail   [u32; M]
//!            cch_down_arc    [u32; M]
//!            cch_input_map   [u32; m]   input arc -> CCH arc << 1 | backward
//!            cch_level_first [u32; L+1] ranks per elimination-tree height
//!            cch_level_nodes [u32; n]
//!            metric_name     [[u8; 16]; K] preset name, UTF-8, zero-padded
//!            metric_profile  [u64; K]      fingerprint of the profile it was customized for
//!            per metric k:   fw [u32; M], bw [u32; M], input [u32; m]  (see `CchMetric`)
//! ```
//!
//! The stored metrics are the server's preset profiles, customized when the snapshot is built
//! (OSRM's `osrm-customize` writes `.cell_metrics` the same way): a server whose preset has the
//! same fingerprint maps it instead of customizing it on first use, so no request waits for a
//! customization and no preset costs heap memory.
//!
//! The CCH is metric-independent, so it is built once, when the snapshot is written, and a
//! server maps it like the rest of the file (OSRM serves its `.hsgr` this way): its pages are
//! clean, shared by every process that maps the file and reclaimable by the kernel, and loading
//! costs a validation pass instead of a construction. Its input graph (`first_out`, `head`)
//! and its order are the snapshot's own sections.
//!
//! The arrays are cast from the memory map without copying (bytemuck checks alignment and
//! length); every offset is derived from the counts in the header, so a truncated or
//! inconsistent file is detected before any array is touched. Files of other versions (1:
//! distance only; 2: no stored CCH) are refused with a request to rebuild.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use std::sync::Arc;

use corridor_cch::{Cch, CchArrays, SharedBytes, U32Array};
use memmap2::Mmap;

/// File magic.
pub const MAGIC: &[u8; 8] = b"CORRSNAP";
/// Current format version.
pub const VERSION: u32 = 3;
/// Bytes of the header; the checksum covers everything after it.
pub const HEADER: usize = 128;
/// Most stored metrics a file may declare.
pub const MAX_METRICS: usize = 64;
/// Bytes of a stored metric's name.
pub const METRIC_NAME_BYTES: usize = 16;
/// `node_country` of a node outside every country (sea).
pub const NO_COUNTRY: u16 = u16::MAX;

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

/// Number of sections.
const SECTIONS: usize = 33;
/// Index of the first CCH section (`cch_rank`); the others follow in the documented order.
const CCH: usize = 22;

/// Byte sizes of the sections for the given counts (see the module doc for the order).
fn sizes(counts: Counts) -> Vec<usize> {
    let Counts { n, m, countries: c, labels, blob, cch_arcs: big_m, cch_levels: levels, metrics } = counts;
    let mut out = vec![
        (n + 1) * 4,
        m * 4,
        m * 4,
        n * 4,
        n * 4,
        n * 4,
        n * 4,
        n,
        n * 2,
        n * 2,
        n * 4,
        m,
        m * 4,
        m * 4,
        m * 4,
        m * 4,
        m * 4,
        m * 4,
        m * 4,
        c * 4,
        labels * 4,
        blob,
        n * 4,
        (n + 1) * 4,
        big_m * 4,
        big_m * 4,
        n * 4,
        (n + 1) * 4,
        big_m * 4,
        big_m * 4,
        m * 4,
        (levels + 1) * 4,
        n * 4,
        metrics * METRIC_NAME_BYTES,
        metrics * 8,
    ];
    for _ in 0..metrics {
        out.extend([big_m * 4, big_m * 4, m * 4]);
    }
    out
}

/// Index of the section of stored metric `k`'s upward weights (`+ 1`: downward, `+ 2`: input).
fn metric_section(k: usize) -> usize {
    SECTIONS + 2 + 3 * k
}

/// Byte ranges of the sections.
fn layout(counts: Counts) -> Vec<(usize, usize)> {
    let s = sizes(counts);
    let mut out = vec![(0, 0); s.len()];
    let mut at = HEADER;
    for (i, size) in s.iter().enumerate() {
        out[i] = (at, at + size);
        at += padded(*size);
    }
    out
}

#[derive(Clone, Copy, Debug)]
struct Counts {
    n: usize,
    m: usize,
    countries: usize,
    labels: usize,
    blob: usize,
    cch_arcs: usize,
    cch_levels: usize,
    metrics: usize,
}

/// What network a node belongs to (stored as its code, one byte per node).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum NodeMode {
    /// A railway node.
    Rail = 0,
    /// A road node.
    Road = 1,
    /// A sea-lane node.
    Sea = 2,
    /// A terminal (port, dry port, rail or road terminal) joined to the networks by connectors.
    Terminal = 3,
}

impl NodeMode {
    /// All modes, by code.
    pub const ALL: [NodeMode; 4] = [NodeMode::Rail, NodeMode::Road, NodeMode::Sea, NodeMode::Terminal];

    /// The mode of a stored code.
    pub fn from_code(c: u8) -> Option<NodeMode> {
        NodeMode::ALL.get(usize::from(c)).copied()
    }

    /// The stored code.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// Lower-case name (`rail`, `road`, `sea`, `terminal`).
    pub fn name(self) -> &'static str {
        match self {
            NodeMode::Rail => "rail",
            NodeMode::Road => "road",
            NodeMode::Sea => "sea",
            NodeMode::Terminal => "terminal",
        }
    }
}

impl std::str::FromStr for NodeMode {
    type Err = String;
    fn from_str(s: &str) -> Result<NodeMode, String> {
        NodeMode::ALL
            .into_iter()
            .find(|m| m.name() == s)
            .ok_or_else(|| format!("unknown node mode {s:?} (expected rail, road, sea or terminal)"))
    }
}

/// What a whole snapshot is (stored in its header): one plain graph of a mode, or the
/// multimodal assembly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[repr(u32)]
pub enum SnapshotKind {
    /// A plain railway graph.
    #[default]
    Rail = 0,
    /// A plain road graph.
    Road = 1,
    /// A plain sea-lane graph.
    Sea = 2,
    /// Rail, road and sea joined at terminals, with the curated overlay.
    Multimodal = 3,
}

impl SnapshotKind {
    /// All kinds, by code.
    pub const ALL: [SnapshotKind; 4] =
        [SnapshotKind::Rail, SnapshotKind::Road, SnapshotKind::Sea, SnapshotKind::Multimodal];

    /// The kind of a stored code.
    pub fn from_code(c: u32) -> Option<SnapshotKind> {
        SnapshotKind::ALL.get(c as usize).copied()
    }

    /// The stored code.
    pub fn code(self) -> u32 {
        self as u32
    }

    /// The node mode every node of a plain graph has (terminals for the multimodal kind's
    /// default, which importers always overwrite).
    pub fn node_mode(self) -> NodeMode {
        match self {
            SnapshotKind::Rail => NodeMode::Rail,
            SnapshotKind::Road => NodeMode::Road,
            SnapshotKind::Sea => NodeMode::Sea,
            SnapshotKind::Multimodal => NodeMode::Terminal,
        }
    }

    /// The arc kind every arc of a plain graph has.
    pub fn arc_kind(self) -> ArcKind {
        match self {
            SnapshotKind::Rail => ArcKind::Rail,
            SnapshotKind::Road => ArcKind::Road,
            SnapshotKind::Sea | SnapshotKind::Multimodal => ArcKind::Sea,
        }
    }
}

/// What an arc is, for reports and for per-kind overrides of speed and price.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum ArcKind {
    /// Along a railway.
    Rail = 0,
    /// Along a road.
    Road = 1,
    /// Along a sea lane.
    Sea = 2,
    /// A curated link laid over the detailed graph (a ferry, a short-sea line, a missing piece
    /// of line); its time and price come from the curated dataset.
    Curated = 3,
    /// Between a terminal and a network node of one mode: drayage plus half the handling.
    Connector = 4,
    /// Between the two gauges of a rail node where a break of gauge is: transshipment or
    /// bogie exchange.
    GaugeChange = 5,
    /// A join added by the build to heal a digitisation gap of the source graph.
    Join = 6,
}

impl ArcKind {
    /// All kinds, by code.
    pub const ALL: [ArcKind; 7] = [
        ArcKind::Rail,
        ArcKind::Road,
        ArcKind::Sea,
        ArcKind::Curated,
        ArcKind::Connector,
        ArcKind::GaugeChange,
        ArcKind::Join,
    ];

    /// The kind of a stored code.
    pub fn from_code(c: u8) -> Option<ArcKind> {
        ArcKind::ALL.get(usize::from(c)).copied()
    }

    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            ArcKind::Rail => "rail",
            ArcKind::Road => "road",
            ArcKind::Sea => "sea",
            ArcKind::Curated => "curated",
            ArcKind::Connector => "connector",
            ArcKind::GaugeChange => "gauge_change",
            ArcKind::Join => "join",
        }
    }
}

/// Per-arc attributes beyond the length: what turns metres into hours, dollars and CO2e.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ArcAttr {
    /// [`ArcKind`] code.
    pub kind: u8,
    /// Running speed, km/h (0: the arc has no running time).
    pub speed_kmh: f32,
    /// Mean fixed time, hours.
    pub fixed_h: f32,
    /// 90th percentile of the fixed time, hours.
    pub fixed_p90_h: f32,
    /// Flat price per TEU.
    pub usd_fixed: f32,
    /// Price per cargo tonne-km.
    pub usd_tkm: f32,
    /// kg CO2e (WTW) per cargo tonne-km.
    pub kg_tkm: f32,
    /// Label id (0 = none).
    pub label: u32,
}

/// The arrays of a snapshot, owned, for writing.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SnapshotData {
    /// What the snapshot is.
    pub kind: SnapshotKind,
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
    /// Mode per node (0 rail, 1 road, 2 sea, 3 terminal).
    pub node_mode: Vec<u8>,
    /// Rail gauge per node, mm (0 = none).
    pub node_gauge: Vec<u16>,
    /// Country index per node ([`NO_COUNTRY`] = none).
    pub node_country: Vec<u16>,
    /// Label per node (0 = none).
    pub node_label: Vec<u32>,
    /// Attributes per arc.
    pub arc: Vec<ArcAttr>,
    /// Label id of each country's ISO 3166-1 alpha-2 code.
    pub country: Vec<u32>,
    /// Labels; label 0 is the empty string.
    pub labels: Vec<String>,
    /// Metrics to customize and store (a server's preset profiles).
    pub metrics: Vec<StoredMetric>,
}

/// A metric to store in a snapshot: its name, the fingerprint of the profile it stands for and
/// one weight per arc (the customization input).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StoredMetric {
    /// Preset name (1 to 16 bytes of UTF-8).
    pub name: String,
    /// Fingerprint of the profile (see `Profile::fingerprint`).
    pub fingerprint: u64,
    /// One weight per arc, in CSR order.
    pub weights: Vec<u32>,
}

impl SnapshotData {
    /// The CCH of the graph under `order`, as [`SnapshotData::write`] stores it (an error if
    /// the arrays are not a graph with a permutation as order).
    pub fn cch(&self) -> std::io::Result<corridor_cch::Cch> {
        let n = self.lat_e7.len();
        let invalid = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidInput, what.to_string());
        if self.first_out.len() != n + 1
            || self.first_out[0] != 0
            || self.first_out[n] as usize != self.head.len()
            || self.first_out.windows(2).any(|w| w[0] > w[1])
            || self.head.iter().any(|&h| h as usize >= n)
        {
            return Err(invalid("snapshot data: first_out and head are not a CSR graph of the nodes"));
        }
        let mut seen = vec![false; n];
        if self.order.len() != n
            || self.order.iter().any(|&v| (v as usize) >= n || std::mem::replace(&mut seen[v as usize], true))
        {
            return Err(invalid("snapshot data: order is not a permutation of the nodes"));
        }
        // Only the topology matters to the CCH: no weights or coordinates are needed.
        let topology = corridor_cch::Graph {
            first_out: self.first_out.clone(),
            head: self.head.clone(),
            ..corridor_cch::Graph::default()
        };
        Ok(corridor_cch::Cch::new(&topology, &self.order))
    }

    /// Writes the snapshot to `path` (via a temporary file renamed into place, so a crash never
    /// leaves a half-written snapshot under the final name).
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        let n = self.lat_e7.len();
        let m = self.head.len();
        let mut labels = self.labels.clone();
        if labels.is_empty() {
            labels.push(String::new());
        }
        let mut ends = Vec::with_capacity(labels.len());
        let mut blob = Vec::new();
        for l in &labels {
            blob.extend_from_slice(l.as_bytes());
            ends.push(blob.len() as u32);
        }
        let cch = self.cch()?;
        let c = cch.arrays();
        let counts = Counts {
            n,
            m,
            countries: self.country.len(),
            labels: labels.len(),
            blob: blob.len(),
            cch_arcs: c.head.len(),
            cch_levels: c.level_first.len() - 1,
            metrics: self.metrics.len(),
        };
        if self.metrics.len() > MAX_METRICS {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("more than {MAX_METRICS} stored metrics"),
            ));
        }
        let mut body: Vec<u8> = Vec::with_capacity(layout(counts).last().expect("sections").1);
        let mut push = |bytes: &[u8]| {
            body.extend_from_slice(bytes);
            body.resize(padded(body.len()), 0);
        };
        let or_default = |v: &[u8], len: usize, d: u8| if v.len() == len { v.to_vec() } else { vec![d; len] };
        let arc = |f: fn(&ArcAttr) -> f32| -> Vec<f32> {
            if self.arc.len() == m { self.arc.iter().map(f).collect() } else { vec![0.0; m] }
        };
        push(bytemuck::cast_slice(&self.first_out));
        push(bytemuck::cast_slice(&self.head));
        push(bytemuck::cast_slice(&self.weight_m));
        push(bytemuck::cast_slice(&self.lat_e7));
        push(bytemuck::cast_slice(&self.lon_e7));
        push(bytemuck::cast_slice(&self.order));
        push(bytemuck::cast_slice(&self.component));
        push(&or_default(&self.node_mode, n, self.kind.node_mode().code()));
        let gauge = if self.node_gauge.len() == n { self.node_gauge.clone() } else { vec![0; n] };
        push(bytemuck::cast_slice(&gauge));
        let country = if self.node_country.len() == n { self.node_country.clone() } else { vec![NO_COUNTRY; n] };
        push(bytemuck::cast_slice(&country));
        let node_label = if self.node_label.len() == n { self.node_label.clone() } else { vec![0; n] };
        push(bytemuck::cast_slice(&node_label));
        let kinds: Vec<u8> = if self.arc.len() == m {
            self.arc.iter().map(|a| a.kind).collect()
        } else {
            vec![self.kind.arc_kind() as u8; m]
        };
        push(&kinds);
        push(bytemuck::cast_slice(&arc(|a| a.speed_kmh)));
        push(bytemuck::cast_slice(&arc(|a| a.fixed_h)));
        push(bytemuck::cast_slice(&arc(|a| a.fixed_p90_h)));
        push(bytemuck::cast_slice(&arc(|a| a.usd_fixed)));
        push(bytemuck::cast_slice(&arc(|a| a.usd_tkm)));
        push(bytemuck::cast_slice(&arc(|a| a.kg_tkm)));
        let arc_label: Vec<u32> =
            if self.arc.len() == m { self.arc.iter().map(|a| a.label).collect() } else { vec![0; m] };
        push(bytemuck::cast_slice(&arc_label));
        push(bytemuck::cast_slice(&self.country));
        push(bytemuck::cast_slice(&ends));
        push(&blob);
        for a in [
            c.rank,
            c.first_out,
            c.head,
            c.tail,
            c.parent,
            c.down_first,
            c.down_tail,
            c.down_arc,
            c.input_map,
            c.level_first,
            c.level_nodes,
        ] {
            push(bytemuck::cast_slice(a));
        }
        let mut names = Vec::with_capacity(self.metrics.len() * METRIC_NAME_BYTES);
        for sm in &self.metrics {
            let b = sm.name.as_bytes();
            if b.is_empty() || b.len() > METRIC_NAME_BYTES || b.contains(&0) || sm.weights.len() != m {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!(
                        "stored metric {:?}: a name of 1 to {METRIC_NAME_BYTES} bytes and one weight per arc",
                        sm.name
                    ),
                ));
            }
            names.extend_from_slice(b);
            names.resize(names.len() + METRIC_NAME_BYTES - b.len(), 0);
        }
        push(&names);
        let prints: Vec<u64> = self.metrics.iter().map(|sm| sm.fingerprint).collect();
        push(bytemuck::cast_slice(&prints));
        for sm in &self.metrics {
            // The same customization a server runs on first use (basic + perfect).
            let metric = corridor_cch::CchMetric::new(&cch, &sm.weights).perfect();
            let (fw, bw, input) = metric.arrays();
            push(bytemuck::cast_slice(fw));
            push(bytemuck::cast_slice(bw));
            push(bytemuck::cast_slice(input));
        }
        let mut header = [0u8; HEADER];
        header[..8].copy_from_slice(MAGIC);
        header[8..12].copy_from_slice(&VERSION.to_le_bytes());
        header[12..16].copy_from_slice(&self.kind.code().to_le_bytes());
        header[16..24].copy_from_slice(&(n as u64).to_le_bytes());
        header[24..32].copy_from_slice(&(m as u64).to_le_bytes());
        header[32..40].copy_from_slice(&fnv1a(&body).to_le_bytes());
        header[40..44].copy_from_slice(&(counts.labels as u32).to_le_bytes());
        header[44..48].copy_from_slice(&(counts.countries as u32).to_le_bytes());
        header[48..56].copy_from_slice(&(counts.blob as u64).to_le_bytes());
        header[56..60].copy_from_slice(&(counts.cch_arcs as u32).to_le_bytes());
        header[60..64].copy_from_slice(&(counts.cch_levels as u32).to_le_bytes());
        header[64..68].copy_from_slice(&(counts.metrics as u32).to_le_bytes());
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

/// The per-arc attribute sections of a snapshot (see [`Snapshot::arc_attrs`]).
#[derive(Clone, Copy, Debug)]
pub struct ArcAttrs<'a> {
    kind: &'a [u8],
    speed_kmh: &'a [f32],
    fixed_h: &'a [f32],
    fixed_p90_h: &'a [f32],
    usd_fixed: &'a [f32],
    usd_tkm: &'a [f32],
    kg_tkm: &'a [f32],
    label: &'a [u32],
}

impl ArcAttrs<'_> {
    /// The attributes of arc `a`.
    #[inline]
    pub fn get(&self, a: usize) -> ArcAttr {
        ArcAttr {
            kind: self.kind[a],
            speed_kmh: self.speed_kmh[a],
            fixed_h: self.fixed_h[a],
            fixed_p90_h: self.fixed_p90_h[a],
            usd_fixed: self.usd_fixed[a],
            usd_tkm: self.usd_tkm[a],
            kg_tkm: self.kg_tkm[a],
            label: self.label[a],
        }
    }
}

/// Bytes copied into `u64` words, so that every section (8-byte aligned in the file) is as
/// aligned in memory as it is in a page-aligned map.
struct Aligned {
    words: Vec<u64>,
    len: usize,
}

impl Aligned {
    fn new(bytes: &[u8]) -> Aligned {
        let mut words = vec![0u64; bytes.len().div_ceil(8)];
        bytemuck::cast_slice_mut::<u64, u8>(&mut words)[..bytes.len()].copy_from_slice(bytes);
        Aligned { words, len: bytes.len() }
    }
}

impl AsRef<[u8]> for Aligned {
    fn as_ref(&self) -> &[u8] {
        &bytemuck::cast_slice::<u64, u8>(&self.words)[..self.len]
    }
}

/// A snapshot file mapped into memory.
pub struct Snapshot {
    /// The file's bytes: a memory map ([`Snapshot::open`]) or an aligned copy
    /// ([`Snapshot::from_bytes`]).
    map: SharedBytes,
    counts: Counts,
    /// The stored CCH, its arrays borrowed from `map` (set by [`Snapshot::open`] once the rest
    /// of the file has been checked; always `Some` afterwards).
    cch: Option<Cch>,
    kind: SnapshotKind,
    /// Byte ranges of the sections, computed once: every accessor is a slice of the map.
    layout: Vec<(usize, usize)>,
    /// Name and profile fingerprint of each stored metric.
    metrics: Vec<(String, u64)>,
}

impl Snapshot {
    /// Maps and checks `path`: magic, version, sizes, checksum and the structure of the arrays.
    pub fn open(path: &Path) -> Result<Snapshot, SnapshotError> {
        let io = |source| SnapshotError::Io { path: path.to_path_buf(), source };
        let file = File::open(path).map_err(io)?;
        // SAFETY: the map is read-only and private to this process; corridor never writes a
        // snapshot in place (writes go to a temporary file renamed over it), so the mapped
        // bytes do not change under us in normal use.
        let map = unsafe { Mmap::map(&file) }.map_err(io)?;
        Snapshot::check(Arc::new(map), path)
    }

    /// A snapshot from the bytes of a snapshot file, checked exactly as [`Snapshot::open`]
    /// checks a file (errors name the path `<memory>`). The bytes are copied once into an
    /// 8-byte-aligned buffer, because the arrays are cast in place and a `Vec<u8>` guarantees
    /// no alignment. For tests and fuzzing; servers map files with `open`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Snapshot, SnapshotError> {
        Snapshot::check(Arc::new(Aligned::new(bytes)), Path::new("<memory>"))
    }

    /// The checks of [`Snapshot::open`] on the file's bytes, `path` naming them in errors.
    fn check(map: SharedBytes, path: &Path) -> Result<Snapshot, SnapshotError> {
        let bytes: &[u8] = (*map).as_ref();
        let corrupt = |reason: String| SnapshotError::Corrupt { path: path.to_path_buf(), reason };
        if bytes.len() < 8 || &bytes[..8] != MAGIC {
            return Err(SnapshotError::NotASnapshot { path: path.to_path_buf() });
        }
        if bytes.len() < HEADER {
            return Err(corrupt(format!("{} bytes, shorter than the {HEADER}-byte header", bytes.len())));
        }
        let u32_at = |o: usize| u32::from_le_bytes(bytes[o..o + 4].try_into().expect("4 bytes"));
        let u64_at = |o: usize| u64::from_le_bytes(bytes[o..o + 8].try_into().expect("8 bytes"));
        let version = u32_at(8);
        if version != VERSION {
            return Err(SnapshotError::Version { path: path.to_path_buf(), found: version, expected: VERSION });
        }
        let (n, m, blob) = (u64_at(16), u64_at(24), u64_at(48));
        if n >= u64::from(u32::MAX) || m >= u64::from(u32::MAX) || blob >= u64::from(u32::MAX) {
            return Err(corrupt(format!("implausible sizes: {n} nodes, {m} arcs, {blob} label bytes")));
        }
        let counts = Counts {
            n: n as usize,
            m: m as usize,
            countries: u32_at(44) as usize,
            labels: u32_at(40) as usize,
            blob: blob as usize,
            cch_arcs: u32_at(56) as usize,
            cch_levels: u32_at(60) as usize,
            metrics: u32_at(64) as usize,
        };
        if counts.metrics > MAX_METRICS {
            return Err(corrupt(format!("{} stored metrics, at most {MAX_METRICS} are allowed", counts.metrics)));
        }
        let end = layout(counts).last().expect("sections").1;
        if bytes.len() < end {
            return Err(corrupt(format!("truncated: {} bytes, the header promises {end}", bytes.len())));
        }
        let sum = fnv1a(&bytes[HEADER..]);
        if sum != u64_at(32) {
            return Err(corrupt(format!("checksum mismatch (stored {:016x}, computed {sum:016x})", u64_at(32))));
        }
        let kind = SnapshotKind::from_code(u32_at(12))
            .ok_or_else(|| corrupt(format!("unknown snapshot kind {} in the header", u32_at(12))))?;
        let mut snap = Snapshot { kind, map, counts, layout: layout(counts), cch: None, metrics: Vec::new() };
        let (n, m) = (counts.n, counts.m);
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
        let ends = snap.slice::<u32>(20);
        if counts.labels == 0
            || ends.windows(2).any(|w| w[0] > w[1])
            || ends.last().is_some_and(|&e| e as usize != counts.blob)
        {
            return Err(corrupt("the label table is inconsistent".into()));
        }
        if std::str::from_utf8(snap.slice::<u8>(21)).is_err() {
            return Err(corrupt("a label is not UTF-8".into()));
        }
        let labels = counts.labels as u32;
        if snap.node_label().iter().chain(snap.arc_label()).chain(snap.country_labels()).any(|&l| l >= labels) {
            return Err(corrupt("a label id is out of range".into()));
        }
        if snap.arc_kind().iter().any(|&k| ArcKind::from_code(k).is_none())
            || snap.node_mode().iter().any(|&k| NodeMode::from_code(k).is_none())
        {
            return Err(corrupt("an arc kind or node mode is unknown".into()));
        }
        // Values a changed byte could turn into nonsense that passes the checksum's test of
        // intent (a crafted file) are range-checked, so a route never reads "-1.7e38 h".
        for (name, values, max) in [
            ("speed_kmh", snap.speed_kmh(), 1_000.0f32),
            ("fixed_h", snap.fixed_h(), 100_000.0),
            ("fixed_p90_h", snap.fixed_p90_h(), 100_000.0),
            ("usd_fixed", snap.usd_fixed(), 10_000_000.0),
            ("usd_tkm", snap.usd_tkm(), 100.0),
            ("kg_tkm", snap.kg_tkm(), 10.0),
        ] {
            if let Some(a) = values.iter().position(|&v| !(v.is_finite() && (0.0..=max).contains(&v))) {
                return Err(corrupt(format!("arc {a}: {name} {} is outside 0..{max}", values[a])));
            }
        }
        let lat_ok = |v: i32| (-900_000_000..=900_000_000).contains(&v);
        let lon_ok = |v: i32| (-1_800_000_000..=1_800_000_000).contains(&v);
        if let Some(v) = (0..n).find(|&v| !(lat_ok(snap.lat_e7()[v]) && lon_ok(snap.lon_e7()[v]))) {
            return Err(corrupt(format!("node {v}: coordinate out of range")));
        }
        let c = counts.countries as u16;
        if snap.node_country().iter().any(|&x| x != NO_COUNTRY && x >= c) {
            return Err(corrupt("a node's country is out of range".into()));
        }
        // Labels must split on character boundaries.
        let blob_bytes = snap.slice::<u8>(21);
        let mut start = 0usize;
        for &e in ends {
            if std::str::from_utf8(&blob_bytes[start..e as usize]).is_err() {
                return Err(corrupt("a label is not UTF-8".into()));
            }
            start = e as usize;
        }
        let array = |i: usize| snap.u32_section(i).map_err(|e| corrupt(format!("section {i}: {e}")));
        let arrays = CchArrays {
            order: array(5)?,
            rank: array(CCH)?,
            first_out: array(CCH + 1)?,
            head: array(CCH + 2)?,
            tail: array(CCH + 3)?,
            parent: array(CCH + 4)?,
            down_first: array(CCH + 5)?,
            down_tail: array(CCH + 6)?,
            down_arc: array(CCH + 7)?,
            input_map: array(CCH + 8)?,
            input_first_out: array(0)?,
            input_head: array(1)?,
            level_first: array(CCH + 9)?,
            level_nodes: array(CCH + 10)?,
        };
        snap.cch = Some(Cch::from_arrays(arrays).map_err(|e| corrupt(e.to_string()))?);
        let names = snap.slice::<u8>(SECTIONS);
        let prints = snap.slice::<u64>(SECTIONS + 1);
        let mut metrics: Vec<(String, u64)> = Vec::with_capacity(prints.len());
        for (k, &print) in prints.iter().enumerate() {
            let raw = &names[k * METRIC_NAME_BYTES..(k + 1) * METRIC_NAME_BYTES];
            let name = std::str::from_utf8(raw).map(|x| x.trim_end_matches('\0')).unwrap_or("");
            if name.is_empty() || name.contains('\0') || metrics.iter().any(|(x, _)| x == name) {
                return Err(corrupt(format!("stored metric {k} has an empty, invalid or repeated name")));
            }
            metrics.push((name.to_string(), print));
        }
        snap.metrics = metrics;
        Ok(snap)
    }

    /// Name and profile fingerprint of each stored metric, in file order.
    pub fn stored_metrics(&self) -> &[(String, u64)] {
        &self.metrics
    }

    /// The stored metric `name`, mapped from the file, if it was customized for a profile with
    /// fingerprint `fingerprint` (otherwise the caller customizes its own).
    pub fn stored_metric(&self, name: &str, fingerprint: u64) -> Option<corridor_cch::CchMetric<'_>> {
        let k = self.metrics.iter().position(|(x, f)| x == name && *f == fingerprint)?;
        self.stored_metric_at(k)
    }

    /// A stored metric customized for a profile with `fingerprint`, whatever its name.
    pub fn stored_metric_for(&self, fingerprint: u64) -> Option<corridor_cch::CchMetric<'_>> {
        let k = self.metrics.iter().position(|(_, f)| *f == fingerprint)?;
        self.stored_metric_at(k)
    }

    fn stored_metric_at(&self, k: usize) -> Option<corridor_cch::CchMetric<'_>> {
        let array = |i: usize| self.u32_section(i).ok();
        let s = metric_section(k);
        corridor_cch::CchMetric::from_arrays(self.cch(), array(s)?, array(s + 1)?, array(s + 2)?).ok()
    }

    /// The CCH stored in the file (metric-independent; customize it per metric), its arrays
    /// mapped from the file.
    pub fn cch(&self) -> &Cch {
        // `open` is the only constructor and sets it before returning.
        self.cch.as_ref().expect("Snapshot::open sets the CCH")
    }

    /// Section `i` as a [`U32Array`] borrowing the mapping (for the CCH and stored metrics,
    /// which outlive any borrow of `self`'s slices).
    fn u32_section(&self, i: usize) -> Result<U32Array, corridor_cch::ArrayError> {
        let (a, b) = self.layout[i];
        U32Array::shared(self.map.clone(), a, (b - a) / 4)
    }

    fn slice<T: bytemuck::Pod>(&self, i: usize) -> &[T] {
        let (a, b) = self.layout[i];
        bytemuck::cast_slice(&(*self.map).as_ref()[a..b])
    }

    /// Size of the file, bytes (all of it mapped).
    pub fn file_bytes(&self) -> usize {
        (*self.map).as_ref().len()
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.counts.n
    }

    /// Number of arcs.
    pub fn arc_count(&self) -> usize {
        self.counts.m
    }

    /// What the snapshot is.
    pub fn kind(&self) -> SnapshotKind {
        self.kind
    }

    /// The mode of node `v` (codes are checked when the file is opened).
    pub fn node_mode_of(&self, v: u32) -> NodeMode {
        NodeMode::from_code(self.node_mode()[v as usize]).unwrap_or(NodeMode::Terminal)
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

    /// Mode per node: 0 rail, 1 road, 2 sea, 3 terminal.
    pub fn node_mode(&self) -> &[u8] {
        self.slice(7)
    }

    /// Rail gauge per node, mm (0 = none or unknown).
    pub fn node_gauge(&self) -> &[u16] {
        self.slice(8)
    }

    /// Country index per node ([`NO_COUNTRY`] = none).
    pub fn node_country(&self) -> &[u16] {
        self.slice(9)
    }

    /// Label id per node.
    pub fn node_label(&self) -> &[u32] {
        self.slice(10)
    }

    /// [`ArcKind`] code per arc.
    pub fn arc_kind(&self) -> &[u8] {
        self.slice(11)
    }

    /// Running speed per arc, km/h.
    pub fn speed_kmh(&self) -> &[f32] {
        self.slice(12)
    }

    /// Mean fixed time per arc, hours.
    pub fn fixed_h(&self) -> &[f32] {
        self.slice(13)
    }

    /// 90th percentile of the fixed time per arc, hours.
    pub fn fixed_p90_h(&self) -> &[f32] {
        self.slice(14)
    }

    /// Flat price per TEU per arc.
    pub fn usd_fixed(&self) -> &[f32] {
        self.slice(15)
    }

    /// Price per cargo tonne-km per arc.
    pub fn usd_tkm(&self) -> &[f32] {
        self.slice(16)
    }

    /// kg CO2e (WTW) per cargo tonne-km per arc.
    pub fn kg_tkm(&self) -> &[f32] {
        self.slice(17)
    }

    /// Label id per arc.
    pub fn arc_label(&self) -> &[u32] {
        self.slice(18)
    }

    fn country_labels(&self) -> &[u32] {
        self.slice(19)
    }

    /// Number of countries in the country table.
    pub fn country_count(&self) -> usize {
        self.counts.countries
    }

    /// ISO code of country `c` (empty for [`NO_COUNTRY`]).
    pub fn country_code(&self, c: u16) -> &str {
        self.country_labels().get(usize::from(c)).map_or("", |&l| self.label(l))
    }

    /// Text of label `id` ("" when out of range).
    pub fn label(&self, id: u32) -> &str {
        let ends = self.slice::<u32>(20);
        let Some(&end) = ends.get(id as usize) else { return "" };
        let start = if id == 0 { 0 } else { ends[id as usize - 1] };
        // Checked at open: every label is valid UTF-8.
        std::str::from_utf8(&self.slice::<u8>(21)[start as usize..end as usize]).unwrap_or("")
    }

    /// The per-arc attribute arrays, resolved once: for loops over many arcs, where
    /// [`Snapshot::arc_attr`] would look up eight sections per arc.
    pub fn arc_attrs(&self) -> ArcAttrs<'_> {
        ArcAttrs {
            kind: self.arc_kind(),
            speed_kmh: self.speed_kmh(),
            fixed_h: self.fixed_h(),
            fixed_p90_h: self.fixed_p90_h(),
            usd_fixed: self.usd_fixed(),
            usd_tkm: self.usd_tkm(),
            kg_tkm: self.kg_tkm(),
            label: self.arc_label(),
        }
    }

    /// The attributes of arc `a`.
    pub fn arc_attr(&self, a: usize) -> ArcAttr {
        self.arc_attrs().get(a)
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
