//! Reader for the TNTP formats of the Transportation Networks for Research collection.
//!
//! Four plain-text files describe a network (<https://github.com/bstabler/TransportationNetworks>):
//!
//! - `_net.tntp`: a metadata header (`<NUMBER OF ZONES> 24`, `<NUMBER OF NODES>`,
//!   `<FIRST THRU NODE>`, `<NUMBER OF LINKS>`, ..., `<END OF METADATA>`), then one link per row:
//!   `init term capacity length free_flow_time b power speed toll type ;`;
//! - `_trips.tntp`: a header (`<NUMBER OF ZONES>`, `<TOTAL OD FLOW>`), then `Origin N` blocks of
//!   `destination : trips;` pairs, several per line;
//! - `_flow.tntp`: best-known equilibrium, one `from to volume cost` row per link, in the
//!   `_net` file's link order, after a header line;
//! - `_node.tntp` (optional): `node x y ;` coordinates after a header line.
//!
//! `~` starts a comment anywhere. Node ids are 1-based and zones are nodes `1..=zones`; nodes
//! below `<FIRST THRU NODE>` cannot be passed through. Every problem is returned as a
//! [`ReadError`] naming file, 1-based line and field; no input makes the reader panic.

use std::path::{Path, PathBuf};

use crate::network::{Link, Network, NetworkError, OdMatrix};

/// A problem reading a TNTP file.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The content is malformed.
    #[error("{file}:{line}: {field}: {message}")]
    Parse {
        /// File name as given to the parser (the path for files read from disk).
        file: String,
        /// 1-based line number.
        line: usize,
        /// The field or section at fault (`capacity`, `<NUMBER OF ZONES>`, `destination`, ...).
        field: &'static str,
        /// What is wrong, quoting the offending text.
        message: String,
    },
}

/// One link row of a `_net.tntp` file. Node ids are the file's (1-based).
#[derive(Clone, Debug, PartialEq)]
pub struct TntpLink {
    /// Tail node id.
    pub from: u32,
    /// Head node id.
    pub to: u32,
    /// Capacity.
    pub capacity: f64,
    /// Length (not used by the assignment).
    pub length: f64,
    /// Free-flow travel time.
    pub free_flow_time: f64,
    /// BPR `b`.
    pub b: f64,
    /// BPR power.
    pub power: f64,
    /// Speed limit (0 if the row omits it; not used).
    pub speed: f64,
    /// Toll (0 if the row omits it; not used: the best-known solutions are for time alone).
    pub toll: f64,
    /// Link type (0 if the row omits it).
    pub link_type: i64,
    /// 1-based line of the row, for messages about the link.
    pub line: usize,
}

/// A parsed `_net.tntp` file.
#[derive(Clone, Debug, PartialEq)]
pub struct TntpNetwork {
    /// File name as given to the parser.
    pub file: String,
    /// `<NUMBER OF ZONES>`.
    pub num_zones: usize,
    /// `<NUMBER OF NODES>`.
    pub num_nodes: usize,
    /// `<FIRST THRU NODE>` (1-based; 1 if the header omits it, i.e. all nodes are passable).
    pub first_thru_node: usize,
    /// Links in file order.
    pub links: Vec<TntpLink>,
    /// Every metadata tag and value, in file order (including ones this reader does not use).
    pub metadata: Vec<(String, String)>,
}

impl TntpNetwork {
    /// The assignment network: node id `k` becomes index `k − 1`; links keep the file order and
    /// get BPR functions.
    pub fn to_network(&self) -> Result<Network, ReadError> {
        let links = self
            .links
            .iter()
            .map(|l| Link::bpr(l.from - 1, l.to - 1, l.capacity, l.free_flow_time, l.b, l.power))
            .collect();
        // The parser already checked every field, so this is a second line of defence that
        // still reports the offending row.
        Network::new(self.num_nodes, self.num_zones, self.first_thru_node.saturating_sub(1), links).map_err(|e| {
            let line = match &e {
                NetworkError::Node { link, .. } | NetworkError::Parameter { link, .. } => {
                    self.links.get(*link).map_or(0, |l| l.line)
                }
                NetworkError::Zones { .. } => 1,
            };
            ReadError::Parse { file: self.file.clone(), line, field: "network", message: e.to_string() }
        })
    }
}

/// A parsed `_trips.tntp` file.
#[derive(Clone, Debug, PartialEq)]
pub struct TntpTrips {
    /// The demand; zone `k` of the file is index `k − 1`.
    pub od: OdMatrix,
    /// `<TOTAL OD FLOW>` if present (informational: some files count intrazonal trips).
    pub declared_total: Option<f64>,
}

/// One row of a `_flow.tntp` file.
#[derive(Clone, Debug, PartialEq)]
pub struct TntpFlow {
    /// Tail node id.
    pub from: u32,
    /// Head node id.
    pub to: u32,
    /// Link volume.
    pub volume: f64,
    /// Link travel time at that volume.
    pub cost: f64,
}

/// One row of a `_node.tntp` file.
#[derive(Clone, Debug, PartialEq)]
pub struct TntpNode {
    /// Node id.
    pub id: u32,
    /// X coordinate (longitude in the geographic files).
    pub x: f64,
    /// Y coordinate (latitude in the geographic files).
    pub y: f64,
}

/// Largest TNTP file read (the largest public networks are tens of MB).
pub const MAX_FILE_BYTES: u64 = 1 << 30;
/// Most zones a trips file or network may declare: the OD matrix is dense (`zones²` values of 8
/// bytes, 3.2 GB at this bound), so a header is checked before anything is allocated. The
/// largest TNTP networks have a few thousand zones (Chicago regional 1,790, Sydney 3,264).
pub const MAX_ZONES: usize = 20_000;
/// Most nodes a network may declare (the largest TNTP network has about 0.4 M).
pub const MAX_NODES: usize = 50_000_000;
/// Largest trips value of one OD pair, and of the file's total: far above any real demand,
/// low enough that sums, flows and BPR terms stay finite.
pub const MAX_TRIPS: f64 = 1e12;
/// Largest BPR power: `(v/c)^power` overflows `f64` far sooner for larger ones. The bound is
/// the largest whole power for which the largest term of the objective stays finite with room
/// for a sum over every link: `fft · b · v · (v/c)^p` at most 1e12 · 1e12 · 1e12 · (1e15)^p (the
/// largest values, trips over the smallest capacity) is 1e291 at p = 17 and 1e306 at p = 18,
/// where a sum over a thousand such links overflows. Barcelona, a TNTP benchmark, has links of
/// power 16.83.
pub const MAX_POWER: f64 = 17.0;
/// Smallest link capacity (with [`MAX_TRIPS`] and [`MAX_POWER`] the BPR term stays finite).
pub const MIN_CAPACITY: f64 = 1e-3;
/// Largest link capacity, length, free-flow time, `b`, speed or toll.
pub const MAX_LINK_VALUE: f64 = 1e12;

/// Reads a file as text, replacing invalid UTF-8 (some TNTP files carry Latin-1 comments).
///
/// Only a regular file of at most [`MAX_FILE_BYTES`] is read: a FIFO would block the open and
/// `/dev/zero` would never end.
fn read_text(path: &Path) -> Result<(String, String), ReadError> {
    use std::io::Read;
    let io = |source| ReadError::Io { path: path.to_path_buf(), source };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(io(std::io::Error::other("not a regular file")));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(io(std::io::Error::other(format!(
            "{} bytes; TNTP files larger than {MAX_FILE_BYTES} bytes are refused",
            meta.len()
        ))));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path).and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)).map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(io(std::io::Error::other(format!("grew beyond {MAX_FILE_BYTES} bytes while being read"))));
    }
    Ok((path.display().to_string(), String::from_utf8_lossy(&bytes).into_owned()))
}

/// Reads and parses a `_net.tntp` file.
pub fn read_net(path: &Path) -> Result<TntpNetwork, ReadError> {
    let (name, text) = read_text(path)?;
    parse_net(&name, &text)
}

/// Reads and parses a `_trips.tntp` file.
pub fn read_trips(path: &Path) -> Result<TntpTrips, ReadError> {
    let (name, text) = read_text(path)?;
    parse_trips(&name, &text)
}

/// Reads and parses a `_flow.tntp` file.
pub fn read_flows(path: &Path) -> Result<Vec<TntpFlow>, ReadError> {
    let (name, text) = read_text(path)?;
    parse_flows(&name, &text)
}

/// Reads and parses a `_node.tntp` file.
pub fn read_nodes(path: &Path) -> Result<Vec<TntpNode>, ReadError> {
    let (name, text) = read_text(path)?;
    parse_nodes(&name, &text)
}

/// Builds [`ReadError::Parse`] values for one file.
struct Ctx<'a> {
    file: &'a str,
}

impl Ctx<'_> {
    fn err(&self, line: usize, field: &'static str, message: impl Into<String>) -> ReadError {
        ReadError::Parse { file: self.file.to_string(), line, field, message: message.into() }
    }

    fn number(&self, line: usize, field: &'static str, token: Option<&str>) -> Result<f64, ReadError> {
        let token = token.ok_or_else(|| self.err(line, field, "missing"))?;
        match token.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(self.err(line, field, format!("expected a finite number, found {token:?}"))),
        }
    }

    fn id(&self, line: usize, field: &'static str, token: Option<&str>) -> Result<u32, ReadError> {
        let token = token.ok_or_else(|| self.err(line, field, "missing"))?;
        match token.parse::<u32>() {
            Ok(v) if v >= 1 => Ok(v),
            _ => Err(self.err(line, field, format!("expected a positive integer id, found {token:?}"))),
        }
    }
}

/// The text of a line before its comment (`~`), trimmed.
fn strip_comment(line: &str) -> &str {
    line.split('~').next().unwrap_or("").trim()
}

/// Parsed metadata: the tags in order and the 1-based line where the data starts.
struct Metadata {
    tags: Vec<(String, String, usize)>,
    end_line: usize,
}

impl Metadata {
    fn value(&self, tag: &str) -> Option<(&str, usize)> {
        self.tags.iter().find(|(t, _, _)| t.eq_ignore_ascii_case(tag)).map(|(_, v, l)| (v.as_str(), *l))
    }

    /// A required non-negative integer tag.
    fn count(&self, ctx: &Ctx, tag: &'static str) -> Result<usize, ReadError> {
        let (value, line) = self.value(tag).ok_or_else(|| {
            ctx.err(self.end_line, "metadata", format!("<{tag}> is missing before <END OF METADATA>"))
        })?;
        value
            .parse::<usize>()
            .map_err(|_| ctx.err(line, field_of_tag(tag), format!("expected a non-negative integer, found {value:?}")))
    }
}

/// Refuses a header count above `max`, naming the tag's line (before anything is sized by it).
fn at_most(ctx: &Ctx, meta: &Metadata, tag: &'static str, n: usize, max: usize, why: &str) -> Result<(), ReadError> {
    if n > max {
        let line = meta.value(tag).map_or(1, |(_, l)| l);
        return Err(ctx.err(line, field_of_tag(tag), format!("{n} {why}; at most {max} are supported")));
    }
    Ok(())
}

/// Refuses a zone count whose dense OD matrix could not be allocated.
fn check_zones(ctx: &Ctx, meta: &Metadata, zones: usize) -> Result<(), ReadError> {
    at_most(ctx, meta, "NUMBER OF ZONES", zones, MAX_ZONES, "zones (the OD matrix is dense: zones² values)")
}

/// The tag names as `'static` field names for errors.
fn field_of_tag(tag: &str) -> &'static str {
    match tag {
        "NUMBER OF ZONES" => "<NUMBER OF ZONES>",
        "NUMBER OF NODES" => "<NUMBER OF NODES>",
        "NUMBER OF LINKS" => "<NUMBER OF LINKS>",
        "FIRST THRU NODE" => "<FIRST THRU NODE>",
        _ => "metadata",
    }
}

/// Reads `<TAG> value` lines up to `<END OF METADATA>`.
fn parse_metadata(ctx: &Ctx, lines: &[&str]) -> Result<Metadata, ReadError> {
    let mut tags = Vec::new();
    for (i, raw) in lines.iter().enumerate() {
        let line = strip_comment(raw);
        if line.is_empty() {
            continue;
        }
        let Some(rest) = line.strip_prefix('<') else {
            return Err(ctx.err(i + 1, "metadata", format!("expected a <TAG> line, found {line:?}")));
        };
        let Some((tag, value)) = rest.split_once('>') else {
            return Err(ctx.err(i + 1, "metadata", format!("unterminated tag in {line:?}")));
        };
        let tag = tag.trim().to_ascii_uppercase();
        if tag == "END OF METADATA" {
            return Ok(Metadata { tags, end_line: i + 1 });
        }
        tags.push((tag, value.trim().to_string(), i + 1));
    }
    // An empty file (a download that failed, a Git LFS file not pulled) says so.
    if lines.iter().all(|l| strip_comment(l).is_empty()) {
        return Err(ctx.err(1, "metadata", "the file is empty (no <TAG> lines and no data)"));
    }
    Err(ctx.err(lines.len().max(1), "metadata", "<END OF METADATA> not found"))
}

/// Parses the text of a `_net.tntp` file; `file` names it in errors.
///
/// Rows need at least the seven fields up to `power`; `speed`, `toll` and `type` default to 0.
/// Checks that node ids are within `<NUMBER OF NODES>`, that capacities are positive and
/// times, `b` and powers non-negative, and that the row count matches `<NUMBER OF LINKS>`
/// (a mismatch usually means a truncated file).
pub fn parse_net(file: &str, text: &str) -> Result<TntpNetwork, ReadError> {
    let ctx = Ctx { file };
    let lines: Vec<&str> = text.lines().collect();
    let meta = parse_metadata(&ctx, &lines)?;
    let num_zones = meta.count(&ctx, "NUMBER OF ZONES")?;
    let num_nodes = meta.count(&ctx, "NUMBER OF NODES")?;
    let declared_links = meta.count(&ctx, "NUMBER OF LINKS")?;
    let first_thru_node =
        if meta.value("FIRST THRU NODE").is_some() { meta.count(&ctx, "FIRST THRU NODE")? } else { 1 };
    if num_zones > num_nodes {
        let line = meta.value("NUMBER OF ZONES").map_or(1, |(_, l)| l);
        return Err(ctx.err(line, "<NUMBER OF ZONES>", format!("{num_zones} zones but only {num_nodes} nodes")));
    }
    check_zones(&ctx, &meta, num_zones)?;
    at_most(&ctx, &meta, "NUMBER OF NODES", num_nodes, MAX_NODES, "nodes")?;
    if first_thru_node > num_nodes + 1 {
        let line = meta.value("FIRST THRU NODE").map_or(1, |(_, l)| l);
        return Err(ctx.err(line, "<FIRST THRU NODE>", format!("{first_thru_node} is beyond the {num_nodes} nodes")));
    }

    // The declared count sizes nothing by itself: a file cannot hold more link rows than lines.
    let mut links = Vec::with_capacity(declared_links.min(lines.len()));
    for (i, raw) in lines.iter().enumerate().skip(meta.end_line) {
        let n = i + 1;
        // A row ends at `;`; anything after it is ignored, as TNTP tools do.
        let body = strip_comment(raw).split(';').next().unwrap_or("");
        let mut tok = body.split_whitespace();
        let Some(first) = tok.next() else { continue };
        let from = ctx.id(n, "init_node", Some(first))?;
        let to = ctx.id(n, "term_node", tok.next())?;
        for (field, id) in [("init_node", from), ("term_node", to)] {
            if id as usize > num_nodes {
                return Err(ctx.err(n, field, format!("node {id} is beyond <NUMBER OF NODES> {num_nodes}")));
            }
        }
        let capacity = ctx.number(n, "capacity", tok.next())?;
        let length = ctx.number(n, "length", tok.next())?;
        let free_flow_time = ctx.number(n, "free_flow_time", tok.next())?;
        let b = ctx.number(n, "b", tok.next())?;
        let power = ctx.number(n, "power", tok.next())?;
        let speed = tok.next().map_or(Ok(0.0), |t| ctx.number(n, "speed", Some(t)))?;
        let toll = tok.next().map_or(Ok(0.0), |t| ctx.number(n, "toll", Some(t)))?;
        let link_type = match tok.next() {
            None => 0,
            Some(t) => {
                t.parse::<i64>().map_err(|_| ctx.err(n, "link_type", format!("expected an integer, found {t:?}")))?
            }
        };
        // Positive, and not so small that `(flow / capacity)^power` leaves f64's range.
        if capacity < MIN_CAPACITY {
            return Err(ctx.err(n, "capacity", format!("must be at least {MIN_CAPACITY:?}, found {capacity:?}")));
        }
        for (field, v) in [("free_flow_time", free_flow_time), ("b", b), ("power", power)] {
            if v < 0.0 {
                return Err(ctx.err(n, field, format!("must be non-negative, found {v}")));
            }
        }
        if power > MAX_POWER {
            return Err(ctx.err(
                n,
                "power",
                format!("{power:?} is beyond the largest supported BPR power {MAX_POWER:?}"),
            ));
        }
        for (field, v) in [
            ("capacity", capacity),
            ("length", length),
            ("free_flow_time", free_flow_time),
            ("b", b),
            ("speed", speed),
            ("toll", toll),
        ] {
            if v.abs() > MAX_LINK_VALUE {
                return Err(ctx.err(n, field, format!("{v:?} is beyond the sanity bound {MAX_LINK_VALUE:e}")));
            }
        }
        links.push(TntpLink { from, to, capacity, length, free_flow_time, b, power, speed, toll, link_type, line: n });
    }
    if links.len() != declared_links {
        let line = meta.value("NUMBER OF LINKS").map_or(1, |(_, l)| l);
        return Err(ctx.err(
            line,
            "<NUMBER OF LINKS>",
            format!("declares {declared_links} links but the file has {} link rows", links.len()),
        ));
    }
    Ok(TntpNetwork {
        file: file.to_string(),
        num_zones,
        num_nodes,
        first_thru_node,
        links,
        metadata: meta.tags.into_iter().map(|(t, v, _)| (t, v)).collect(),
    })
}

/// Parses the text of a `_trips.tntp` file; `file` names it in errors.
///
/// Zones must lie in `1..=<NUMBER OF ZONES>`, trips must be finite and non-negative, and a
/// pair may appear only once.
pub fn parse_trips(file: &str, text: &str) -> Result<TntpTrips, ReadError> {
    let ctx = Ctx { file };
    let lines: Vec<&str> = text.lines().collect();
    let meta = parse_metadata(&ctx, &lines)?;
    let zones = meta.count(&ctx, "NUMBER OF ZONES")?;
    check_zones(&ctx, &meta, zones)?;
    let declared_total = match meta.value("TOTAL OD FLOW") {
        Some((v, line)) => Some(ctx.number(line, "<TOTAL OD FLOW>", Some(v))?),
        None => None,
    };
    let mut od = OdMatrix::new(zones);
    // Which pairs were given, to reject duplicates (a value of 0 is still "given").
    let mut seen = vec![false; zones * zones];
    let zone = |n: usize, field: &'static str, token: Option<&str>| -> Result<u32, ReadError> {
        let id = ctx.id(n, field, token)?;
        if id as usize > zones {
            return Err(ctx.err(n, field, format!("zone {id} is beyond <NUMBER OF ZONES> {zones}")));
        }
        Ok(id)
    };
    let mut origin: Option<u32> = None;
    let mut total = 0.0;
    for (i, raw) in lines.iter().enumerate().skip(meta.end_line) {
        let n = i + 1;
        let line = strip_comment(raw);
        if line.is_empty() {
            continue;
        }
        if let Some(rest) = line.strip_prefix("Origin").or_else(|| line.strip_prefix("origin")) {
            origin = Some(zone(n, "origin", rest.split_whitespace().next())?);
            if rest.split_whitespace().nth(1).is_some() {
                return Err(ctx.err(n, "origin", format!("unexpected text after the origin in {line:?}")));
            }
            continue;
        }
        let Some(o) = origin else {
            return Err(ctx.err(n, "origin", format!("destination entries before any Origin line: {line:?}")));
        };
        for entry in line.split(';') {
            let entry = entry.trim();
            if entry.is_empty() {
                continue;
            }
            let Some((d, v)) = entry.split_once(':') else {
                return Err(ctx.err(n, "destination", format!("expected `destination : trips`, found {entry:?}")));
            };
            let d = zone(n, "destination", Some(d.trim()))?;
            let v = ctx.number(n, "trips", Some(v.trim()))?;
            if v < 0.0 {
                return Err(ctx.err(n, "trips", format!("must be non-negative, found {v}")));
            }
            if v > MAX_TRIPS {
                return Err(ctx.err(n, "trips", format!("{v:?} is beyond the sanity bound {MAX_TRIPS:e}")));
            }
            total += v;
            if total > MAX_TRIPS {
                return Err(ctx.err(n, "trips", format!("the total demand passes the sanity bound {MAX_TRIPS:e}")));
            }
            let k = (o as usize - 1) * zones + (d as usize - 1);
            if std::mem::replace(&mut seen[k], true) {
                return Err(ctx.err(n, "destination", format!("pair {o} -> {d} appears twice")));
            }
            od.set(o as usize - 1, d as usize - 1, v);
        }
    }
    Ok(TntpTrips { od, declared_total })
}

/// Splits the data rows of a `_flow` or `_node` file: skips comments, blank lines and the
/// header lines before the first row that starts with a number.
fn data_rows(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    let mut started = false;
    text.lines().enumerate().filter_map(move |(i, raw)| {
        let body = strip_comment(raw).split(';').next().unwrap_or("").trim();
        let tokens: Vec<&str> = body.split_whitespace().collect();
        let first = tokens.first()?;
        if !started && first.parse::<f64>().is_err() {
            return None;
        }
        started = true;
        Some((i + 1, tokens))
    })
}

/// Parses the text of a `_flow.tntp` file (`from to volume cost` rows after a header line).
pub fn parse_flows(file: &str, text: &str) -> Result<Vec<TntpFlow>, ReadError> {
    let ctx = Ctx { file };
    data_rows(text)
        .map(|(n, t)| {
            let mut tok = t.into_iter();
            Ok(TntpFlow {
                from: ctx.id(n, "from", tok.next())?,
                to: ctx.id(n, "to", tok.next())?,
                volume: ctx.number(n, "volume", tok.next())?,
                cost: ctx.number(n, "cost", tok.next())?,
            })
        })
        .collect()
}

/// Parses the text of a `_node.tntp` file (`node x y` rows after a header line).
pub fn parse_nodes(file: &str, text: &str) -> Result<Vec<TntpNode>, ReadError> {
    let ctx = Ctx { file };
    data_rows(text)
        .map(|(n, t)| {
            let mut tok = t.into_iter();
            Ok(TntpNode {
                id: ctx.id(n, "node", tok.next())?,
                x: ctx.number(n, "x", tok.next())?,
                y: ctx.number(n, "y", tok.next())?,
            })
        })
        .collect()
}
