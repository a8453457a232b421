//! The compiled, state-expanded graph.
//!
//! Each node is a location *on one platform* (Dostyk on 1435 mm rail, Dostyk on 1520 mm rail,
//! Aktau's quay, ...). Arcs are a link traversal, a transfer between two platforms of one
//! location, a border clearance, a wait for a departure and a liner's port call. A link whose
//! direction carries a border crossing is split in two arcs through a *border waypoint* node,
//! so that the border's dwell and cost are an arc of their own and show up as a leg of their
//! own. Likewise a link with a headway (a ferry or liner that departs every so often) is
//! entered through a *wait waypoint*: the wait for the next departure is an arc, and a leg, of
//! its own.
//!
//! A *liner* ([`crate::Link::liner`]) calls at ports and sails on. A liner arriving at a port
//! from which liners depart enters the port's *aboard* node; from there a [`ArcKind::Call`]
//! lands the shipment on the port's sea node (to transfer, end, or board another service, which
//! is waited for again), or keeps it aboard onto any liner departure past that departure's wait.
//! So a voyage waits, and draws its lateness, once: where it is loaded.
//!
//! Sea voyages under the embargo of [`crate::regions::sea_embargo`] run in two *layers*: a
//! voyage that loads at a Russian port may stop at any port but an EU, UK or Ukrainian one, and
//! one that loads at such a port may not stop at a Russian one, while both sail through every port's
//! waters. Each port has its sea node in both layers: the node of its own layer is its platform
//! node, the other is an extra node (a *stop* only at a port of a third country, where cargo of
//! either layer may load, unload or be transshipped). A network without ports on both sides
//! compiles to one layer.
//!
//! Arcs are stored in CSR form (`first_out`/`head`), grouped by tail node. The graph is
//! immutable after [`Graph::compile`] and `Sync`; per-query state lives in the search crate.

use std::ops::Range;

use crate::ids::*;
use crate::network::{Direction, Network, Platform};
use crate::regions::{self, SeaEmbargo};

/// What an arc of the compiled graph stands for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ArcKind {
    /// Travel along a link, in its `from → to` direction if `forward`.
    Link {
        /// The link.
        link: LinkId,
        /// Direction of travel.
        forward: bool,
    },
    /// A transfer between platforms of one location.
    Transfer(TransferId),
    /// Clearing a border crossing.
    Border(BorderId),
    /// Waiting at the departure end for the next departure of a link with a headway
    /// (a ferry or liner service), in its `from → to` direction if `forward`. Boarding is also
    /// where the service's fixed price per sailing falls due (`Tariff::usd_teu_sailing`).
    Wait {
        /// The link waited for.
        link: LinkId,
        /// Direction of travel.
        forward: bool,
    },
    /// A liner's call at a port: the shipment aboard is landed on the quay, or stays aboard to
    /// sail on (see the module documentation). Takes no time or emissions (port calls are in
    /// the liners' running times) and no money but a landing charge where the port has one.
    Call {
        /// The port.
        location: LocationId,
        /// Whether the call lands the shipment (onto the port's sea node), where the port's
        /// landing charge falls due ([`Network::landing_at`]); else it stays aboard.
        lands: bool,
    },
}

/// The state-expanded graph of a [`Network`].
#[derive(Clone, Debug)]
pub struct Graph {
    first_out: Vec<u32>,
    head: Vec<NodeId>,
    tail: Vec<NodeId>,
    kind: Vec<ArcKind>,
    node_location: Vec<LocationId>,
    node_platform: Vec<Option<Platform>>,
    /// Whether a shipment may start or end at the node: platform nodes and the other layer's
    /// sea node at a third country's port.
    node_stop: Vec<bool>,
    location_first_node: Vec<u32>,
    /// Per location, its sea node in the other embargo layer when that node is a stop.
    location_extra_stop: Vec<Option<NodeId>>,
}

/// The sea layer of a voyage: 0 loads or unloads only outside Russia, 1 only outside the EU and
/// the UK (see the module documentation).
type SeaLayer = usize;

impl Graph {
    /// Compiles a network. The network must satisfy [`Network::check`].
    pub fn compile(net: &Network) -> Graph {
        let mut node_location = Vec::new();
        let mut node_platform = Vec::new();
        let mut location_first_node = Vec::with_capacity(net.locations.len() + 1);
        for (i, loc) in net.locations.iter().enumerate() {
            location_first_node.push(node_location.len() as u32);
            for &p in &loc.platforms {
                node_location.push(LocationId::from_index(i));
                node_platform.push(Some(p));
            }
        }
        location_first_node.push(node_location.len() as u32);
        let mut node_stop = vec![true; node_location.len()];

        let platform_node = |loc: LocationId, p: Platform| -> NodeId {
            let start = location_first_node[loc.index()] as usize;
            let offset = net.location(loc).platforms.iter().position(|&q| q == p).expect("platform served");
            NodeId::from_index(start + offset)
        };

        // The embargo layers, only when ports on both sides exist. A port's own layer is 1 on
        // the embargoed side, else 0; its node in the other layer is an extra node.
        let side = |loc: LocationId| regions::sea_embargo(&net.location(loc).country);
        let ports =
            || (0..net.locations.len()).map(LocationId::from_index).filter(|&l| net.location(l).serves(Platform::Sea));
        let layered = ports().any(|l| side(l) == Some(SeaEmbargo::Embargoed))
            && ports().any(|l| side(l) == Some(SeaEmbargo::Embargoing));
        let home = |loc: LocationId| -> SeaLayer { usize::from(side(loc) == Some(SeaEmbargo::Embargoed)) };
        let mut extra = vec![None::<NodeId>; net.locations.len()];
        let mut location_extra_stop = vec![None::<NodeId>; net.locations.len()];
        if layered {
            for l in ports() {
                let n = NodeId::from_index(node_location.len());
                node_location.push(l);
                node_platform.push(Some(Platform::Sea));
                let stop = side(l).is_none();
                node_stop.push(stop);
                extra[l.index()] = Some(n);
                if stop {
                    location_extra_stop[l.index()] = Some(n);
                }
            }
        }
        // The node of `loc` on `p` in sea layer `layer` (layers matter for the sea platform only).
        let layer_node = |loc: LocationId, p: Platform, layer: SeaLayer| -> NodeId {
            match extra[loc.index()] {
                Some(n) if p == Platform::Sea && layer != home(loc) => n,
                _ => platform_node(loc, p),
            }
        };
        // The layers in which cargo may load or unload at `loc`.
        let stop_layers = |loc: LocationId| -> &'static [SeaLayer] {
            match (layered, side(loc)) {
                (false, _) | (true, Some(SeaEmbargo::Embargoing)) => &[0],
                (true, Some(SeaEmbargo::Embargoed)) => &[1],
                (true, None) => &[0, 1],
            }
        };

        // Border records by (link, direction); at most one per pair is honoured (the loader
        // rejects duplicates).
        let mut border_of = vec![[None::<BorderId>; 2]; net.links.len()];
        for (i, b) in net.borders.iter().enumerate() {
            let slot = match b.direction {
                Direction::Forward => 0,
                Direction::Reverse => 1,
            };
            border_of[b.link.index()][slot].get_or_insert(BorderId::from_index(i));
        }

        let mut arcs: Vec<(NodeId, NodeId, ArcKind)> = Vec::new();
        // Aboard nodes, per (port, sea layer), at the ports a liner departs from on a schedule.
        let layers_n = if layered { 2 } else { 1 };
        let mut aboard = vec![[None::<NodeId>; 2]; net.locations.len()];
        for (i, link) in net.links.iter().enumerate() {
            if !link.liner || link.platform != Platform::Sea {
                continue;
            }
            let dirs: &[bool] = if link.oneway { &[true] } else { &[true, false] };
            for &forward in dirs {
                let a = if forward { link.from } else { link.to };
                if !net.is_scheduled(LinkId::from_index(i), forward) || aboard[a.index()][0].is_some() {
                    continue;
                }
                for (layer, slot) in aboard[a.index()].iter_mut().enumerate().take(layers_n) {
                    let n = NodeId::from_index(node_location.len());
                    node_location.push(a);
                    node_platform.push(None);
                    node_stop.push(false);
                    *slot = Some(n);
                    arcs.push((n, layer_node(a, Platform::Sea, layer), ArcKind::Call { location: a, lands: true }));
                }
            }
        }
        let aboard_at = |loc: LocationId, layer: SeaLayer| aboard[loc.index()].get(layer).copied().flatten();
        for (i, link) in net.links.iter().enumerate() {
            let id = LinkId::from_index(i);
            let dirs: &[bool] = if link.oneway { &[true] } else { &[true, false] };
            for &forward in dirs {
                // A timetabled link runs only in the directions its services run in (unless
                // a headway says it runs both ways on demand).
                let timetabled = net.services.iter().any(|s| s.link == id);
                if timetabled && !net.is_scheduled(id, forward) {
                    continue;
                }
                let (a, b) = if forward { (link.from, link.to) } else { (link.to, link.from) };
                let layers = if layered && link.platform == Platform::Sea { 2 } else { 1 };
                for layer in 0..layers {
                    let (mut u, mut v) = (layer_node(a, link.platform, layer), layer_node(b, link.platform, layer));
                    let kind = ArcKind::Link { link: id, forward };
                    if net.is_scheduled(id, forward) {
                        let w = NodeId::from_index(node_location.len());
                        node_location.push(a);
                        node_platform.push(None);
                        node_stop.push(false);
                        arcs.push((u, w, ArcKind::Wait { link: id, forward }));
                        if let (true, Some(on)) = (link.liner, aboard_at(a, layer)) {
                            arcs.push((on, w, ArcKind::Call { location: a, lands: false }));
                        }
                        u = w;
                    }
                    if let (true, Some(on)) = (link.liner, aboard_at(b, layer)) {
                        v = on;
                    }
                    match border_of[i][usize::from(!forward)] {
                        Some(border) => {
                            let w = NodeId::from_index(node_location.len());
                            node_location.push(b);
                            node_platform.push(None);
                            node_stop.push(false);
                            arcs.push((u, w, kind));
                            arcs.push((w, v, ArcKind::Border(border)));
                        }
                        None => arcs.push((u, v, kind)),
                    }
                }
            }
        }
        for (i, t) in net.transfers.iter().enumerate() {
            let id = TransferId::from_index(i);
            // A transfer to or from the sea platform loads or unloads a voyage: it exists in the
            // layers that may stop here (between layers, too, for a sea-to-sea transshipment).
            let layers = stop_layers(t.location);
            let (from_layers, to_layers): (&[SeaLayer], &[SeaLayer]) = (
                if t.from == Platform::Sea { layers } else { &[0] },
                if t.to == Platform::Sea { layers } else { &[0] },
            );
            for &lf in from_layers {
                for &lt in to_layers {
                    let (u, v) = (layer_node(t.location, t.from, lf), layer_node(t.location, t.to, lt));
                    arcs.push((u, v, ArcKind::Transfer(id)));
                    if !t.oneway {
                        arcs.push((v, u, ArcKind::Transfer(id)));
                    }
                }
            }
        }

        // Stable sort keeps insertion order among arcs of one tail: output is deterministic.
        arcs.sort_by_key(|&(u, _, _)| u);
        let n = node_location.len();
        let mut first_out = vec![0u32; n + 1];
        for &(u, _, _) in &arcs {
            first_out[u.index() + 1] += 1;
        }
        for i in 0..n {
            first_out[i + 1] += first_out[i];
        }
        Graph {
            first_out,
            head: arcs.iter().map(|a| a.1).collect(),
            tail: arcs.iter().map(|a| a.0).collect(),
            kind: arcs.iter().map(|a| a.2).collect(),
            node_location,
            node_platform,
            node_stop,
            location_first_node,
            location_extra_stop,
        }
    }

    /// Number of nodes.
    pub fn num_nodes(&self) -> usize {
        self.node_location.len()
    }

    /// Number of arcs.
    pub fn num_arcs(&self) -> usize {
        self.head.len()
    }

    /// The arcs leaving `node`.
    #[inline]
    pub fn out_arcs(&self, node: NodeId) -> Range<usize> {
        self.first_out[node.index()] as usize..self.first_out[node.index() + 1] as usize
    }

    /// Head of an arc.
    #[inline]
    pub fn head(&self, arc: ArcId) -> NodeId {
        self.head[arc.index()]
    }

    /// Tail of an arc.
    #[inline]
    pub fn tail(&self, arc: ArcId) -> NodeId {
        self.tail[arc.index()]
    }

    /// What an arc stands for.
    #[inline]
    pub fn kind(&self, arc: ArcId) -> ArcKind {
        self.kind[arc.index()]
    }

    /// All arc heads, indexed by arc (for hot loops).
    pub fn heads(&self) -> &[NodeId] {
        &self.head
    }

    /// All arc kinds, indexed by arc.
    pub fn kinds(&self) -> &[ArcKind] {
        &self.kind
    }

    /// The location a node belongs to (for a border waypoint: the location the link enters;
    /// for a wait waypoint: the departure location; for an aboard node: the port).
    pub fn node_location(&self, node: NodeId) -> LocationId {
        self.node_location[node.index()]
    }

    /// The platform of a node; `None` for a border or wait waypoint or an aboard node.
    pub fn node_platform(&self, node: NodeId) -> Option<Platform> {
        self.node_platform[node.index()]
    }

    /// The platform nodes of a location.
    pub fn location_nodes(&self, loc: LocationId) -> impl Iterator<Item = NodeId> + '_ {
        let r = self.location_first_node[loc.index()]..self.location_first_node[loc.index() + 1];
        r.map(NodeId)
    }

    /// Whether a shipment may start or end at `node`: a platform node, or a third country's port
    /// in the other sea layer (see the module documentation). Waypoints and the other layer's
    /// sea node at a Russian, EU or UK port are not.
    #[inline]
    pub fn is_stop(&self, node: NodeId) -> bool {
        self.node_stop[node.index()]
    }

    /// The nodes where a shipment may start or end at `loc`: its platform nodes, then its sea
    /// node in the other sea layer where that is a stop.
    pub fn stop_nodes(&self, loc: LocationId) -> impl Iterator<Item = NodeId> + '_ {
        self.location_nodes(loc).chain(self.location_extra_stop[loc.index()])
    }

    /// The node of `loc` on `platform`, if the location serves it.
    pub fn platform_node(&self, loc: LocationId, platform: Platform) -> Option<NodeId> {
        self.location_nodes(loc).find(|&n| self.node_platform(n) == Some(platform))
    }
}
