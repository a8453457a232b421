//! The importers' common output: plain layers of nodes and undirected edges per mode, terminals
//! and countries, before they are assembled into one multimodal graph.

/// Transport mode of a detailed-network node or arc.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Mode {
    /// Railway track.
    Rail = 0,
    /// Road.
    Road = 1,
    /// Sea lane.
    Sea = 2,
    /// A terminal (UN/LOCODE location or curated location): where modes meet.
    Terminal = 3,
}

impl Mode {
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Rail => "rail",
            Mode::Road => "road",
            Mode::Sea => "sea",
            Mode::Terminal => "terminal",
        }
    }

    /// The mode of a stored code.
    pub fn from_code(c: u8) -> Option<Mode> {
        [Mode::Rail, Mode::Road, Mode::Sea, Mode::Terminal].get(usize::from(c)).copied()
    }
}

/// Gauge of an edge, mm; 0 = not known (then the country's gauge applies).
pub type GaugeMm = u16;

/// One undirected edge of a layer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RawEdge {
    /// First endpoint (index into the layer's nodes).
    pub u: u32,
    /// Second endpoint.
    pub v: u32,
    /// Length, km.
    pub km: f64,
    /// Track gauge in mm for rail edges whose source says so (OSM `gauge=`), else 0.
    /// A dual-gauge track (`gauge=1435;1520`) is given as two edges, one per gauge.
    pub gauge_mm: GaugeMm,
    /// Travel only from `u` to `v` (OSM `oneway=yes` roads); rail and sea edges are two-way.
    pub oneway: bool,
}

/// One mode's network as read from a source: nodes with coordinates and undirected edges.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layer {
    /// What was read (file name and filter), for reports.
    pub source: String,
    /// Mode of every node and edge of the layer.
    pub mode: Option<Mode>,
    /// Latitude per node, degrees.
    pub lat: Vec<f64>,
    /// Longitude per node, degrees in [-180, 180).
    pub lon: Vec<f64>,
    /// Edges.
    pub edges: Vec<RawEdge>,
}

impl Layer {
    /// An empty layer of `mode`.
    pub fn new(mode: Mode, source: impl Into<String>) -> Layer {
        Layer { source: source.into(), mode: Some(mode), ..Layer::default() }
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.lat.len()
    }

    /// Adds a node and returns its index.
    pub fn push_node(&mut self, lat: f64, lon: f64) -> u32 {
        self.lat.push(lat);
        self.lon.push(lon);
        (self.lat.len() - 1) as u32
    }
}

/// UN/LOCODE function flags (column "Function": 1 port, 2 rail, 3 road, 6 multimodal, B border).
pub mod function {
    /// Port (function 1).
    pub const PORT: u8 = 1;
    /// Rail terminal (function 2).
    pub const RAIL: u8 = 2;
    /// Road terminal (function 3).
    pub const ROAD: u8 = 4;
    /// Multimodal functions (function 6).
    pub const MULTIMODAL: u8 = 8;
    /// Border crossing (function B).
    pub const BORDER: u8 = 16;
    /// Airport (function 4); kept only by the place index, never a network terminal.
    pub const AIRPORT: u8 = 32;
    /// The functions that make a UN/LOCODE entry a freight terminal of a detailed network.
    pub const FREIGHT: u8 = PORT | RAIL | ROAD | MULTIMODAL | BORDER;
}

/// A terminal: a place where goods enter or leave the network and change mode.
#[derive(Clone, Debug, PartialEq)]
pub struct Terminal {
    /// UN/LOCODE without the space (`CNXIA`), or the curated location id.
    pub code: String,
    /// Name.
    pub name: String,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// [`function`] flags.
    pub functions: u8,
}

/// Progress of a long import, for a progress bar. The default methods do nothing.
pub trait Progress: Sync {
    /// A new stage starts; `total` units are expected if known.
    fn stage(&self, _name: &str, _total: Option<u64>) {}
    /// `n` more units are done.
    fn inc(&self, _n: u64) {}
}

/// No progress output.
impl Progress for () {}
