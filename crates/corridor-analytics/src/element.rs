//! Network elements that can carry a capacity, be closed or be throttled, and the capacity table.
//!
//! An [`Element`] names a link, a border crossing or a directed transfer by its public code
//! (never by a dense id), so capacities and scenarios stay valid when a scenario removes or adds
//! rows and the dense ids shift. [`CapacityConstraint`]s bind an element to the arcs of one
//! compiled graph: capacities apply per direction of travel, because the corridor flows are
//! strongly directional (China → Europe) and line, ferry and gate capacities are quoted that way.

use std::fmt;

use corridor_model::{ArcId, ArcKind, Direction, Graph, Network, Platform};

use crate::csvdata::{DataError, parse_rows};

/// A capacity-bearing element, by public code.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Element {
    /// A link (`links.csv` id), in both directions, each with the full capacity.
    Link(String),
    /// A border crossing (`borders.csv` id), every row (direction) with the full capacity.
    Border(String),
    /// A transfer at a location from one platform to another (directed).
    Transfer {
        /// Location code.
        location: String,
        /// Platform the container leaves.
        from: Platform,
        /// Platform the container enters.
        to: Platform,
    },
}

impl Element {
    /// Parses the `kind` and `id` columns of `capacities.csv` (and scenario selectors):
    /// `link` + `r-a-b`, `border` + `b-x`, `transfer` + `KZAAU:rail1520>sea`.
    pub fn parse(kind: &str, id: &str) -> Result<Element, String> {
        match kind {
            "link" => Ok(Element::Link(id.to_string())),
            "border" => Ok(Element::Border(id.to_string())),
            "transfer" => {
                let (loc, plats) =
                    id.split_once(':').ok_or_else(|| format!("expected location:from>to, got {id:?}"))?;
                let (a, b) = plats.split_once('>').ok_or_else(|| format!("expected location:from>to, got {id:?}"))?;
                Ok(Element::Transfer { location: loc.to_string(), from: a.parse()?, to: b.parse()? })
            }
            _ => Err(format!("unknown element kind {kind:?} (expected link, border or transfer)")),
        }
    }

    /// The kind as written in files (`link`, `border`, `transfer`).
    pub fn kind(&self) -> &'static str {
        match self {
            Element::Link(_) => "link",
            Element::Border(_) => "border",
            Element::Transfer { .. } => "transfer",
        }
    }

    /// The id as written in files.
    pub fn id(&self) -> String {
        match self {
            Element::Link(c) | Element::Border(c) => c.clone(),
            Element::Transfer { location, from, to } => format!("{location}:{from}>{to}"),
        }
    }

    /// Checks that the element exists in `net`; the message says what is missing.
    pub fn resolve(&self, net: &Network) -> Result<(), String> {
        let ok = match self {
            Element::Link(c) => net.links.iter().any(|l| &l.code == c),
            Element::Border(c) => net.borders.iter().any(|b| &b.code == c),
            Element::Transfer { location, from, to } => {
                let Some(loc) = net.location_by_code(location) else {
                    return Err(format!("unknown location {location:?}"));
                };
                net.transfers.iter().any(|t| {
                    t.location == loc
                        && ((t.from == *from && t.to == *to) || (!t.oneway && t.from == *to && t.to == *from))
                })
            }
        };
        if ok { Ok(()) } else { Err(format!("no {} {:?} in the network", self.kind(), self.id())) }
    }

    /// Whether graph arc `kind` (from platform `tail` to platform `head` for transfers) belongs to
    /// this element.
    fn matches(&self, net: &Network, graph: &Graph, arc: ArcId) -> bool {
        match (self, graph.kind(arc)) {
            (Element::Link(c), ArcKind::Link { link, .. }) => &net.link(link).code == c,
            (Element::Border(c), ArcKind::Border(b)) => &net.borders[b.index()].code == c,
            (Element::Transfer { location, from, to }, ArcKind::Transfer(t)) => {
                let t = &net.transfers[t.index()];
                net.location(t.location).code == *location
                    && graph.node_platform(graph.tail(arc)) == Some(*from)
                    && graph.node_platform(graph.head(arc)) == Some(*to)
            }
            _ => false,
        }
    }
}

impl fmt::Display for Element {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind(), self.id())
    }
}

/// One row of `capacities.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct CapacityRow {
    /// The element.
    pub element: Element,
    /// Capacity per direction, TEU per week.
    pub teu_week: f64,
    /// Source ids.
    pub sources: Vec<String>,
    /// Free-text notes (the conversion method).
    pub notes: String,
}

/// Capacities beyond the links' own `capacity_teu_week`: the rows of `capacities.csv`.
///
/// A row for a link overrides the link's dataset capacity; borders and transfers have no
/// capacity column in the dataset, so this table is their only source.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Capacities {
    /// The rows, in file order.
    pub rows: Vec<CapacityRow>,
}

/// The default capacities of the embedded dataset (`data/eurasia/capacities.csv`).
pub const DEFAULT_CAPACITIES_CSV: &str = include_str!("../../../data/eurasia/capacities.csv");

impl Capacities {
    /// Parses `capacities.csv` text (`element_kind,element_id,teu_week,src,notes`), checking
    /// that every element exists in `net` and every source id is in `net.sources`. Errors carry
    /// `file:line:field`.
    pub fn parse(net: &Network, file: &str, text: &str) -> Result<Capacities, Vec<DataError>> {
        let mut rows = Vec::new();
        let errors = parse_rows(file, text, &["element_kind", "element_id", "teu_week", "src", "notes"], |row| {
            let element = Element::parse(row.get("element_kind"), row.get("element_id"))
                .map_err(|m| row.error("element_id", m))?;
            element.resolve(net).map_err(|m| row.error("element_id", m))?;
            let teu_week = row.number("teu_week", 0.0, 1e9)?;
            let sources = row.sources(net, "src")?;
            rows.push(CapacityRow { element, teu_week, sources, notes: row.get("notes").to_string() });
            Ok(())
        });
        if errors.is_empty() { Ok(Capacities { rows }) } else { Err(errors) }
    }

    /// The capacity of `element` in this table, if any (the last row wins).
    pub fn get(&self, element: &Element) -> Option<f64> {
        self.rows.iter().rev().find(|r| &r.element == element).map(|r| r.teu_week)
    }

    /// Sets (or adds) the capacity of `element`.
    pub fn set(&mut self, element: Element, teu_week: f64, source: &str) {
        match self.rows.iter_mut().rev().find(|r| r.element == element) {
            Some(r) => r.teu_week = teu_week,
            None => self.rows.push(CapacityRow {
                element,
                teu_week,
                sources: vec![source.to_string()],
                notes: String::new(),
            }),
        }
    }
}

/// A capacity bound to one arc of a compiled graph.
#[derive(Clone, Debug, PartialEq)]
pub struct CapacityConstraint {
    /// The element.
    pub element: Element,
    /// Direction label (`forward`/`reverse` for links and borders, `from>to` for transfers).
    pub direction: String,
    /// The arc.
    pub arc: ArcId,
    /// TEU per week.
    pub capacity: f64,
}

impl CapacityConstraint {
    /// `element (direction)`, the row label in reports.
    pub fn label(&self) -> String {
        match self.element {
            Element::Transfer { .. } => self.element.to_string(),
            _ => format!("{} ({})", self.element, self.direction),
        }
    }
}

/// Every capacity of `net` + `caps` bound to the arcs of `graph`: one constraint per arc.
///
/// Links carry their dataset `capacity_teu_week` unless `caps` has a row for them. An element
/// with several arcs (a link's two directions, a border id on two links) gives each arc the
/// full capacity: the quoted figures are per direction and per line.
pub fn constraints(net: &Network, graph: &Graph, caps: &Capacities) -> Vec<CapacityConstraint> {
    let mut elements: Vec<(Element, f64)> = Vec::new();
    for l in &net.links {
        let e = Element::Link(l.code.clone());
        if let Some(c) = caps.get(&e).or(l.capacity_teu_week) {
            elements.push((e, c));
        }
    }
    for r in &caps.rows {
        if !matches!(r.element, Element::Link(_)) && !elements.iter().any(|(e, _)| *e == r.element) {
            elements.push((r.element.clone(), caps.get(&r.element).unwrap_or(r.teu_week)));
        }
    }
    let mut out = Vec::new();
    for (element, capacity) in elements {
        for a in 0..graph.num_arcs() {
            let arc = ArcId::from_index(a);
            if !element.matches(net, graph, arc) {
                continue;
            }
            let direction = match graph.kind(arc) {
                ArcKind::Link { forward, .. } => if forward { "forward" } else { "reverse" }.to_string(),
                ArcKind::Border(b) => {
                    let border = &net.borders[b.index()];
                    let dir = if border.direction == Direction::Forward { "forward" } else { "reverse" };
                    format!("{dir}, {}", net.link(border.link).code)
                }
                _ => String::new(),
            };
            out.push(CapacityConstraint { element: element.clone(), direction, arc, capacity });
        }
    }
    out
}
