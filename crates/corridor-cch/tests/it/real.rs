//! Shared set-up for the tests on the real Eurasia OSM graphs in `../shared/data`: the graphs
//! and their CCHs are built once per test binary (nested dissection of the road graph takes
//! ~5-20 s) and shared by every test that needs them.

use std::path::PathBuf;
use std::sync::OnceLock;

use corridor_cch::{Cch, Graph, nested_dissection_order};

pub fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

/// Whether corridor-cch itself is optimized (the workspace builds it at opt-level 3 even in
/// the dev profile); at opt-level 0 nested dissection of the real graphs takes minutes.
pub fn optimized() -> bool {
    env!("CORRIDOR_CCH_OPT_LEVEL") != "0"
}

/// A tiny deterministic generator (xorshift), so query pairs do not depend on a crate.
pub struct Rng(pub u64);

impl Rng {
    pub fn below(&mut self, n: usize) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as u32
    }
}

/// One of the real graphs, loaded once.
pub struct RealGraph {
    pub name: &'static str,
    pub graph: Option<Graph>,
    cch: OnceLock<Cch>,
}

impl RealGraph {
    /// The CCH of the full graph under the nested-dissection order, built on first use.
    pub fn cch(&self) -> &Cch {
        let g = self.graph.as_ref().expect("graph present");
        self.cch.get_or_init(|| Cch::new(g, &nested_dissection_order(g)))
    }
}

fn load(dir: &str, stem: &str, name: &'static str) -> RealGraph {
    let dir = shared().join("data").join(dir);
    let nodes = dir.join(format!("{stem}_nodes.csv.gz"));
    let edges = dir.join(format!("{stem}_edges.csv.gz"));
    let graph = (nodes.exists() && edges.exists())
        .then(|| Graph::load_scgraph(&nodes, &edges).unwrap_or_else(|e| panic!("load {name}: {e}")));
    RealGraph { name, graph, cch: OnceLock::new() }
}

/// `../shared/data/osm_road_scgraph` (340,222 nodes, 1,004,562 arcs); `graph` is `None` when absent.
pub fn road() -> &'static RealGraph {
    static ROAD: OnceLock<RealGraph> = OnceLock::new();
    ROAD.get_or_init(|| load("osm_road_scgraph", "world_highways_eurasia", "Eurasia road graph"))
}

/// `../shared/data/osm_rail_scgraph` (196,524 nodes, 477,186 arcs, 437 components);
/// `graph` is `None` when absent.
pub fn rail() -> &'static RealGraph {
    static RAIL: OnceLock<RealGraph> = OnceLock::new();
    RAIL.get_or_init(|| load("osm_rail_scgraph", "world_railways_eurasia", "Eurasia rail graph"))
}
