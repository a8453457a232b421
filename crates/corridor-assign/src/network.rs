//! The assignment network (nodes, links with volume-delay functions, zones) and the OD matrix.
//!
//! Plain data with validation; no file format. Nodes are dense indices `0..num_nodes`; the
//! first `num_zones` nodes are the zones (centroids) where demand starts and ends. Links keep
//! the caller's order, so flows and costs come back in that order (for TNTP, the order of the
//! `_net` file, which is also the order of its `_flow` file).

use crate::vdf::Vdf;

/// One directed link.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Link {
    /// Tail node index.
    pub from: u32,
    /// Head node index.
    pub to: u32,
    /// Capacity in flow units (vehicles, TEU, tonnes per period; whatever the demand uses).
    pub capacity: f64,
    /// Travel time at zero flow.
    pub free_flow_time: f64,
    /// How the time grows with flow.
    pub vdf: Vdf,
}

impl Link {
    /// A BPR link: `t = fft · (1 + b · (x / capacity)^power)`.
    pub fn bpr(from: u32, to: u32, capacity: f64, free_flow_time: f64, b: f64, power: f64) -> Link {
        Link { from, to, capacity, free_flow_time, vdf: Vdf::Bpr { b, power } }
    }

    /// Travel time at flow `x`.
    #[inline]
    pub fn time(&self, x: f64) -> f64 {
        self.vdf.time(self.free_flow_time, self.capacity, x)
    }

    /// Derivative of the travel time at flow `x`.
    #[inline]
    pub fn derivative(&self, x: f64) -> f64 {
        self.vdf.derivative(self.free_flow_time, self.capacity, x)
    }

    /// `∫₀ˣ t`: this link's term of the Beckmann objective.
    #[inline]
    pub fn integral(&self, x: f64) -> f64 {
        self.vdf.integral(self.free_flow_time, self.capacity, x)
    }
}

/// Why a network was rejected by [`Network::new`]. Indices are 0-based.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum NetworkError {
    /// More zones than nodes, or the first through node beyond the last node.
    #[error("{num_zones} zones and first through node {first_thru_node} do not fit in {num_nodes} nodes")]
    Zones {
        /// Declared number of nodes.
        num_nodes: usize,
        /// Declared number of zones.
        num_zones: usize,
        /// Declared first through node (0-based).
        first_thru_node: usize,
    },
    /// A link ends at a node index outside `0..num_nodes`.
    #[error("link {link}: node {node} is not below the number of nodes {num_nodes}")]
    Node {
        /// Link index.
        link: usize,
        /// The offending node index.
        node: u32,
        /// Number of nodes.
        num_nodes: usize,
    },
    /// A link parameter is negative, non-finite or otherwise outside its domain.
    #[error("link {link}: {field} = {value} is invalid ({reason})")]
    Parameter {
        /// Link index.
        link: usize,
        /// Field name (`capacity`, `free_flow_time`, `vdf`).
        field: &'static str,
        /// The offending value (for `vdf`, its first parameter).
        value: f64,
        /// What the field must satisfy.
        reason: &'static str,
    },
}

/// A validated assignment network with its forward-star (CSR) adjacency.
///
/// **Invariant:** every link has finite non-negative free-flow time, a positive finite capacity
/// and a valid [`Vdf`], so every link time is finite and non-negative at every flow and
/// Dijkstra applies.
#[derive(Clone, Debug)]
pub struct Network {
    num_nodes: usize,
    num_zones: usize,
    first_thru_node: usize,
    links: Vec<Link>,
    /// `first_out[v]..first_out[v + 1]` indexes `out_link` for the links leaving `v`.
    first_out: Vec<u32>,
    /// Link indices sorted by tail node (stable, so ties keep the caller's link order).
    out_link: Vec<u32>,
    /// Head node of `out_link[i]`, stored alongside so that Dijkstra reads one array.
    out_head: Vec<u32>,
}

impl Network {
    /// Validates the links and builds the adjacency.
    ///
    /// Nodes `0..num_zones` are zones. Nodes below `first_thru_node` (0-based) may start and
    /// end paths but not be passed through: TNTP uses this to keep paths from short-cutting
    /// through centroids. `first_thru_node = 0` allows passing through every node.
    pub fn new(
        num_nodes: usize,
        num_zones: usize,
        first_thru_node: usize,
        links: Vec<Link>,
    ) -> Result<Network, NetworkError> {
        if num_zones > num_nodes || first_thru_node > num_nodes || num_nodes >= u32::MAX as usize {
            return Err(NetworkError::Zones { num_nodes, num_zones, first_thru_node });
        }
        for (i, l) in links.iter().enumerate() {
            for node in [l.from, l.to] {
                if node as usize >= num_nodes {
                    return Err(NetworkError::Node { link: i, node, num_nodes });
                }
            }
            let bad = |field, value, reason| Err(NetworkError::Parameter { link: i, field, value, reason });
            if !(l.capacity.is_finite() && l.capacity > 0.0) {
                return bad("capacity", l.capacity, "must be positive and finite");
            }
            if !(l.free_flow_time.is_finite() && l.free_flow_time >= 0.0) {
                return bad("free_flow_time", l.free_flow_time, "must be non-negative and finite");
            }
            if !l.vdf.is_valid() {
                let first = match l.vdf {
                    Vdf::Bpr { b, .. } => b,
                    Vdf::Davidson { j, .. } => j,
                };
                return bad("vdf", first, "BPR needs b, power >= 0; Davidson needs j >= 0, 0 < mu < 1");
            }
        }
        if links.len() >= u32::MAX as usize {
            return Err(NetworkError::Parameter {
                link: links.len(),
                field: "links",
                value: links.len() as f64,
                reason: "too many links for 32-bit indices",
            });
        }
        // Counting sort by tail node: stable, O(n + m).
        let mut first_out = vec![0u32; num_nodes + 1];
        for l in &links {
            first_out[l.from as usize + 1] += 1;
        }
        for v in 0..num_nodes {
            first_out[v + 1] += first_out[v];
        }
        let mut next = first_out.clone();
        let mut out_link = vec![0u32; links.len()];
        let mut out_head = vec![0u32; links.len()];
        for (i, l) in links.iter().enumerate() {
            let slot = &mut next[l.from as usize];
            out_link[*slot as usize] = i as u32;
            out_head[*slot as usize] = l.to;
            *slot += 1;
        }
        Ok(Network { num_nodes, num_zones, first_thru_node, links, first_out, out_link, out_head })
    }

    /// Number of nodes.
    pub fn num_nodes(&self) -> usize {
        self.num_nodes
    }

    /// Number of zones (nodes `0..num_zones`).
    pub fn num_zones(&self) -> usize {
        self.num_zones
    }

    /// First node (0-based) that paths may pass through; nodes below it only start or end paths.
    pub fn first_thru_node(&self) -> usize {
        self.first_thru_node
    }

    /// The links in the caller's order.
    pub fn links(&self) -> &[Link] {
        &self.links
    }

    /// Range into [`Network::out_links`] / [`Network::out_heads`] of the links leaving `v`.
    #[inline]
    pub(crate) fn out_range(&self, v: usize) -> std::ops::Range<usize> {
        self.first_out[v] as usize..self.first_out[v + 1] as usize
    }

    /// Link indices sorted by tail node.
    #[inline]
    pub(crate) fn out_links(&self) -> &[u32] {
        &self.out_link
    }

    /// Head nodes parallel to [`Network::out_links`].
    #[inline]
    pub(crate) fn out_heads(&self) -> &[u32] {
        &self.out_head
    }

    /// Link times at flows `flows` (one per link, same order), written into `times`.
    pub fn times_into(&self, flows: &[f64], times: &mut [f64]) {
        debug_assert_eq!(flows.len(), self.links.len());
        for ((t, l), &x) in times.iter_mut().zip(&self.links).zip(flows) {
            *t = l.time(x);
        }
    }

    /// The Beckmann objective `Σ ∫₀^{x_a} t_a`: the function user equilibrium minimises.
    pub fn beckmann(&self, flows: &[f64]) -> f64 {
        self.links.iter().zip(flows).map(|(l, &x)| l.integral(x)).sum()
    }
}

/// A dense origin–destination demand matrix over the zones of a network.
#[derive(Clone, Debug, PartialEq)]
pub struct OdMatrix {
    zones: usize,
    trips: Vec<f64>,
}

impl OdMatrix {
    /// An all-zero matrix over `zones` zones.
    pub fn new(zones: usize) -> OdMatrix {
        OdMatrix { zones, trips: vec![0.0; zones * zones] }
    }

    /// Number of zones.
    pub fn zones(&self) -> usize {
        self.zones
    }

    /// Demand from zone `origin` to zone `destination` (0-based).
    ///
    /// # Panics
    /// If either index is not below [`OdMatrix::zones`].
    pub fn get(&self, origin: usize, destination: usize) -> f64 {
        assert!(origin < self.zones && destination < self.zones, "zone index out of range");
        self.trips[origin * self.zones + destination]
    }

    /// Sets the demand from `origin` to `destination` (0-based).
    ///
    /// # Panics
    /// If either index is not below [`OdMatrix::zones`].
    pub fn set(&mut self, origin: usize, destination: usize, trips: f64) {
        assert!(origin < self.zones && destination < self.zones, "zone index out of range");
        self.trips[origin * self.zones + destination] = trips;
    }

    /// The row of demands leaving `origin`.
    pub fn row(&self, origin: usize) -> &[f64] {
        &self.trips[origin * self.zones..(origin + 1) * self.zones]
    }

    /// Total demand between distinct zones (intrazonal demand never enters the network).
    pub fn total(&self) -> f64 {
        (0..self.zones)
            .map(|o| self.row(o).iter().enumerate().filter(|&(d, _)| d != o).map(|(_, v)| v).sum::<f64>())
            .sum()
    }
}
