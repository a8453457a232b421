//! The corridor core's reproducible build: the default network (`data/eurasia`) from open data
//! and a curated overlay.
//!
//! ```text
//! overlay/curated/*.csv (the hand-built network: facts, ids, corridor tags)
//!  + places (UN/LOCODE, GeoNames, border posts) ──(select)──> nodes
//!  + OSM rail, OSM road, searoute ──(corenet::contract onto nodes)──> measured links + geometry
//!  + overlay/{rules,borders,transfers,lines}.csv ──(join)──> tariffs, speeds, borders, gauge changes
//!  ──> data/eurasia/{locations,links,borders,transfers,geometry,sources}.csv + BUILD_REPORT.md
//! ```
//!
//! The curated rows pass through unchanged (except that a curated place gains the road platform
//! where a road reaches it, with its transfers): they are the overlay that wins. Generated rows
//! never duplicate a curated link between the same two places. Every generated figure names
//! its source id: the measured km (`OSM-RAIL`, `OSM-ROAD`, `SEAROUTE`), the speed, tariff and
//! emission factor of its country and mode (`overlay/rules.csv`, else the most common curated
//! value of that country, else the dataset's stated proxies), and the border or transfer row
//! (`overlay/borders.csv`, `overlay/transfers.csv`, else a stated proxy).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use corridor_model::geo::haversine_km;
use corridor_model::regions::same_customs_union;
use corridor_places::{Functions, PlaceIndex};

use crate::corenet::{
    Adjacency, BridgedPath, NetGraph, bridged_path, km_on_line, line_edges, neighbours, neighbours_where, simplify,
};
use crate::countries::Countries;
use crate::error::ImportError;
use rayon::prelude::*;

/// Files of a dataset that the build writes (the others stay curated in `data/eurasia`).
pub const OUTPUTS: [&str; 6] =
    ["locations.csv", "links.csv", "borders.csv", "transfers.csv", "geometry.csv", "sources.csv"];

/// Parameters of the build. The defaults are what `data/eurasia` is built with.
#[derive(Clone, Debug)]
pub struct Config {
    /// Largest distance from a place to its snapped rail or road vertex, km. A city's
    /// coordinates (its centre) lie up to about this far from its main station; 15 km admits
    /// Khabarovsk (12.3 km from the nearest vertex of the graph, which is cut at 135° E), a
    /// choice made for that case and stated here.
    pub snap_km_land: f64,
    /// The same for a curated border post's road (posts at mountain passes), km.
    pub snap_km_post: f64,
    /// Largest distance from a port to its snapped sea-lane vertex, km.
    pub snap_km_sea: f64,
    /// Gaps of at most this many km between OSM components are healed (digitisation breaks).
    pub heal_km: f64,
    /// Smallest component a place may snap into.
    pub min_component: u32,
    /// Two places are not neighbours when a third lies on the way within this fraction of
    /// their distance (see [`neighbours`]).
    pub slack: f64,
    /// Longest generated land link, km.
    pub max_km_land: f64,
    /// Longest generated sea link, km.
    pub max_km_sea: f64,
    /// A generated link longer than this × great-circle is a detour and is left out.
    pub max_ratio_land: f64,
    /// The same for sea links.
    pub max_ratio_sea: f64,
    /// Longest link across a break of gauge (between two border stations), km.
    pub max_gauge_link_km: f64,
    /// A path may cross a third country for at most this many km (border wiggles).
    pub third_country_km: f64,
    /// Cities of at least this many people in a covered country become nodes.
    pub city_population: u64,
    /// A smaller city of at least this many people becomes a node too when no other node of its
    /// country (border posts aside) lies within [`Config::coverage_km`] of it.
    pub coverage_population: u64,
    /// See [`Config::coverage_population`], great-circle km: the radius of the road legs of
    /// combined transport in EU Directive 92/106/EEC (`EU-CT-DIRECTIVE`).
    pub coverage_km: f64,
    /// Natural Earth ports of this scale rank or lower (more important) become nodes.
    pub port_scalerank: u8,
    /// A selected place closer than this to an earlier node of the same country is not added.
    pub merge_km: f64,
    /// A border post this close to a curated place of its country is that place, km.
    pub post_merge_km: f64,
    /// Geometry simplification tolerance, km.
    pub tolerance_km: f64,
    /// A generated link that crosses a border within this distance of where a curated link or
    /// an overlay border row crosses the same border in the same mode passes the same post and
    /// takes its figures, km.
    pub same_crossing_km: f64,
    /// The same when the polygons put both ends of the generated link on one side (Natural
    /// Earth's 1:50m border a few km off): a known crossing within this distance of the link's
    /// path, km (the posts of one crossing lie a few km apart).
    pub same_crossing_path_km: f64,
}

/// A generated sea lane with a point south of this latitude between these longitudes passes the
/// Cape of Good Hope (34.4° S, 18.5° E) and takes the price class [`CAPE_PRICE`].
const CAPE_LAT: f64 = -30.0;
/// See [`CAPE_LAT`]: the longitudes of the Cape's waters, degrees east.
const CAPE_LON: (f64, f64) = (10.0, 35.0);
/// The price class of the lanes round the Cape (`prices.csv`).
const CAPE_PRICE: &str = "sea-cape";

/// Whether a sea path of `(lat, lon)` points passes the Cape of Good Hope.
fn rounds_the_cape(points: &[(f64, f64)]) -> bool {
    points.iter().any(|&(lat, lon)| lat < CAPE_LAT && CAPE_LON.0 < lon && lon < CAPE_LON.1)
}

/// A generated sea lane whose every point lies in these waters (latitude and longitude ranges,
/// degrees) is a lane of the Mediterranean or the Black Sea and takes the price class
/// [`MED_PRICE`]: east of Gibraltar (5.6° W), north of the Suez Canal (30° N), west of the
/// Caucasus coast (42° E; the Caspian lies east of 46.5° E), south of 47.5° N.
const MED_BOX: ((f64, f64), (f64, f64)) = ((30.0, 47.5), (-5.6, 42.0));
/// The Bay of Biscay lies inside [`MED_BOX`]: north of this latitude and west of this longitude
/// (the Mediterranean coast north of 42.8° N begins east of 3° E, in the Gulf of Lion).
const BISCAY: (f64, f64) = (42.8, 2.5);
/// The price class of the Mediterranean and Black Sea lanes (`prices.csv`).
const MED_PRICE: &str = "sea-med";

/// A generated sea lane whose every point lies in these waters (latitude and longitude ranges,
/// degrees) is a lane of Atlantic Iberia and Morocco, between the Asia–Europe indices' two
/// ranges, and takes the price class [`IBERIA_PRICE`]: west of Gibraltar (5.6° W) to 10.5° W,
/// from Morocco (33° N) to Galicia and Asturias (43.9° N).
const IBERIA_BOX: ((f64, f64), (f64, f64)) = ((33.0, 43.9), (-10.5, -5.6));
/// The price class of the Atlantic Iberian and Moroccan lanes (`prices.csv`).
const IBERIA_PRICE: &str = "sea-iberia";

/// Whether a sea path of `(lat, lon)` points lies wholly off Atlantic Iberia and Morocco.
fn off_atlantic_iberia(points: &[(f64, f64)]) -> bool {
    let ((lat0, lat1), (lon0, lon1)) = IBERIA_BOX;
    points.iter().all(|&(lat, lon)| lat0 < lat && lat < lat1 && lon0 < lon && lon < lon1)
}

/// Whether a sea path of `(lat, lon)` points lies wholly in the Mediterranean or the Black Sea.
fn in_the_mediterranean(points: &[(f64, f64)]) -> bool {
    let ((lat0, lat1), (lon0, lon1)) = MED_BOX;
    points
        .iter()
        .all(|&(lat, lon)| lat0 < lat && lat < lat1 && lon0 < lon && lon < lon1 && !(lat > BISCAY.0 && lon < BISCAY.1))
}

/// The longest breaks of an OSM graph a curated link's drawing may jump, tried in order, km
/// (see the geometry step of [`build`]).
const BRIDGE_KM: [f64; 2] = [20.0, 50.0];

impl Default for Config {
    fn default() -> Self {
        Config {
            snap_km_land: 15.0,
            snap_km_post: 30.0,
            snap_km_sea: 60.0,
            heal_km: 10.0,
            min_component: 50,
            slack: 0.08,
            max_km_land: 2500.0,
            max_km_sea: 25000.0,
            max_ratio_land: 2.5,
            max_ratio_sea: 4.0,
            third_country_km: 25.0,
            max_gauge_link_km: 40.0,
            city_population: 750_000,
            coverage_population: 250_000,
            coverage_km: 150.0,
            port_scalerank: 4,
            merge_km: 15.0,
            post_merge_km: 8.0,
            tolerance_km: 1.0,
            same_crossing_km: 15.0,
            same_crossing_path_km: 8.0,
        }
    }
}

/// A Natural Earth port: name, position and scale rank (lower = more important).
#[derive(Clone, Debug)]
pub struct NePort {
    /// Name.
    pub name: String,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Natural Earth `scalerank`.
    pub scalerank: u8,
}

/// Everything the build reads.
pub struct Inputs<'a> {
    /// OSM railway graph.
    pub rail: &'a NetGraph,
    /// OSM major-road graph.
    pub road: &'a NetGraph,
    /// searoute lanes.
    pub sea: &'a NetGraph,
    /// Country polygons.
    pub countries: &'a Countries,
    /// Natural Earth ports.
    pub ports: &'a [NePort],
    /// The place index.
    pub places: &'a PlaceIndex,
    /// Overlay files by name (`curated/locations.csv`, `rules.csv`, ...); absent files are empty.
    pub overlay: &'a BTreeMap<String, String>,
}

/// The build's result: the output files by name and a report for people.
pub struct Output {
    /// File name → contents (see [`OUTPUTS`]).
    pub files: BTreeMap<String, String>,
    /// Markdown report: counts, what was left out and why.
    pub report: String,
}

/// A CSV table: header and rows as name → value maps, in file order.
#[derive(Clone, Debug, Default)]
struct Table {
    header: Vec<String>,
    rows: Vec<BTreeMap<String, String>>,
}

impl Table {
    fn parse(name: &str, text: &str) -> Result<Table, ImportError> {
        let mut r = csv::ReaderBuilder::new().comment(Some(b'#')).flexible(false).from_reader(text.as_bytes());
        let header: Vec<String> =
            r.headers().map_err(|e| ImportError::format(name, e.to_string()))?.iter().map(str::to_owned).collect();
        let mut rows = Vec::new();
        for rec in r.records() {
            let rec = rec.map_err(|e| ImportError::format(name, e.to_string()))?;
            rows.push(header.iter().cloned().zip(rec.iter().map(str::to_owned)).collect());
        }
        Ok(Table { header, rows })
    }

    fn write(&self) -> String {
        let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
        w.write_record(&self.header).expect("in memory");
        for r in &self.rows {
            w.write_record(self.header.iter().map(|h| r.get(h).map_or("", String::as_str))).expect("in memory");
        }
        String::from_utf8(w.into_inner().expect("in memory")).expect("utf-8 in, utf-8 out")
    }

    fn push(&mut self, pairs: &[(&str, String)]) {
        self.rows.push(pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect());
    }
}

/// A row of a [`Table`].
type Row = BTreeMap<String, String>;

fn get<'a>(r: &'a BTreeMap<String, String>, k: &str) -> &'a str {
    r.get(k).map_or("", String::as_str)
}

/// One node of the core under construction.
#[derive(Clone, Debug)]
struct Node {
    code: String,
    name: String,
    country: String,
    lat: f64,
    lon: f64,
    tz: String,
    kinds: BTreeSet<String>,
    platforms: BTreeSet<String>,
    /// Row index in the curated locations table, for curated nodes.
    curated: Option<usize>,
    /// Why it was selected.
    why: String,
    /// Rail only, road only or both (border posts are one or the other).
    land: Land,
    /// Snapped vertices.
    rail_v: Option<u32>,
    road_v: Option<u32>,
    sea_v: Option<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Land {
    Both,
    RailOnly,
    RoadOnly,
}

/// Speed, tariff and emission factor of one (mode, country), with sources.
#[derive(Clone, Debug, PartialEq)]
struct Rule {
    speed: String,
    speed_src: String,
    /// Road only: the drivers' hours a day on the move (`driving_h_day`); empty = the dataset's.
    daily: String,
    /// A price class of `prices.csv`.
    price: String,
    emission: String,
}

/// Builds the core. Errors are malformed overlay files; everything that cannot be built (a
/// place off every graph, a path through a third country, a closed border) is left out and
/// listed in the report.
pub fn build(inp: &Inputs<'_>, cfg: &Config) -> Result<Output, ImportError> {
    // A generated link refused because it crosses a country with no node on its path asks for
    // that country's largest city next to the path (transit places, such as Brno between
    // Vienna and Poznań); the build then runs again with them. Each pass can only add
    // places, so this ends; a request after the last pass is reported rather than followed.
    let mut transit: BTreeMap<String, (corridor_places::PlaceId, String)> = BTreeMap::new();
    let road_borders = road_border_weights(inp);
    // The lines of their own speed depend on the graphs only: found once for every pass.
    let mut lines_report = String::new();
    let speeds = inp.overlay.get("line_speeds.csv").map(String::as_str).unwrap_or("");
    let speeds = if speeds.trim().is_empty() { Table::default() } else { Table::parse("line_speeds.csv", speeds)? };
    let lines = own_speed_lines(inp.rail, inp.road, &speeds, &mut lines_report)?;
    for pass in 1..=TRANSIT_PASSES {
        let (mut out, asked) = build_pass(inp, cfg, &transit, &road_borders, (&lines, &lines_report))?;
        let new: Vec<_> = asked.into_iter().filter(|(code, _)| !transit.contains_key(code)).collect();
        if new.is_empty() || pass == TRANSIT_PASSES {
            out.report.push_str(&format!("- transit places: {} in {pass} passes\n", transit.len()));
            if !new.is_empty() {
                let codes: Vec<&str> = new.iter().map(|(c, _)| c.as_str()).collect();
                out.report.push_str(&format!("- transit places asked for after the last pass: {}\n", codes.join(", ")));
            }
            return Ok(out);
        }
        transit.extend(new);
    }
    unreachable!("the loop returns on its last pass")
}

/// The weight the second road search ([`road_border_weights`]) adds to an arc that crosses a
/// border, km: so much that a path with one crossing fewer wins wherever the graph has one
/// within `max_km_land`. An algorithm choice: this search only finds the roads that stay in
/// one country; which of them a route takes is the router's choice, by the crossings' dwell.
const BORDER_ARC_KM: f32 = 2_000.0;

/// Per-arc extra weights of the road graph for the second road search of [`build_pass`]:
/// [`BORDER_ARC_KM`] on every arc whose ends lie in two countries (Natural Earth 1:50m, a
/// vertex off every polygon taking the country whose boundary is within 5 km, else none).
/// The first search takes the shortest path, which for a pair of towns in one country can be
/// a shortcut through a neighbour (Bishkek–Osh through Andijan in Uzbekistan, two crossings):
/// the place on that way then splits the pair, and the road that stays at home (the M41) made
/// no link at all.
fn road_border_weights(inp: &Inputs<'_>) -> Vec<f32> {
    let g = inp.road;
    let country: Vec<Option<u16>> =
        (0..g.len()).into_par_iter().map(|v| inp.countries.nearest_within(g.lat[v], g.lon[v], 5.0)).collect();
    g.extra_where_labels_differ(&country, BORDER_ARC_KM)
}

/// How many times [`build`] may run to add transit places.
const TRANSIT_PASSES: usize = 6;

/// A transit place is a city of at least this many people (a size that has a freight station
/// and truck depots, an algorithm choice) within [`TRANSIT_NEAR_KM`] of the refused path.
const TRANSIT_MIN_POPULATION: u64 = 100_000;
/// See [`TRANSIT_MIN_POPULATION`], km.
const TRANSIT_NEAR_KM: f64 = 25.0;

/// One run of the build with the transit places found so far; also returns the transit places
/// the refused links ask for (code → (place, why)).
#[allow(clippy::type_complexity)] // a private pass of `build`
fn build_pass(
    inp: &Inputs<'_>,
    cfg: &Config,
    transit: &BTreeMap<String, (corridor_places::PlaceId, String)>,
    road_borders: &[f32],
    (lines, lines_report): (&[OwnSpeedLine], &str),
) -> Result<(Output, BTreeMap<String, (corridor_places::PlaceId, String)>), ImportError> {
    let file = |n: &str| inp.overlay.get(n).map(String::as_str).unwrap_or("");
    let table = |n: &str| -> Result<Table, ImportError> {
        if file(n).trim().is_empty() { Ok(Table::default()) } else { Table::parse(n, file(n)) }
    };
    let mut locations = table("curated/locations.csv")?;
    let mut links = table("curated/links.csv")?;
    let mut borders = table("curated/borders.csv")?;
    let mut transfers = table("curated/transfers.csv")?;
    let mut geometry = table("curated/geometry.csv")?;
    let mut sources = table("curated/sources.csv")?;
    let rules_t = table("rules.csv")?;
    let nodes_t = table("nodes.csv")?;
    let ov_borders = table("borders.csv")?;
    let road_sides = RoadSides::parse(&table("road_bcp.csv")?)?;
    let ov_transfers = table("transfers.csv")?;
    let ov_lines = table("lines.csv")?;
    let ov_sources = table("sources.csv")?;
    let corridors_t = table("corridors.csv")?;
    let mut report = String::new();
    let mut left_out: Vec<String> = Vec::new();
    let mut bridged: Vec<String> = Vec::new();

    // ---- sources: curated, then the overlay's new ids, then the build's own method ids ----
    let mut known: BTreeSet<String> = sources.rows.iter().map(|r| get(r, "id").to_owned()).collect();
    for r in &ov_sources.rows {
        if known.insert(get(r, "id").to_owned()) {
            sources.rows.push(r.clone());
        }
    }
    for (id, title, note) in BUILD_SOURCES {
        if known.insert((*id).to_owned()) {
            sources.push(&[
                ("id", (*id).to_owned()),
                ("status", "C".to_owned()),
                ("title", (*title).to_owned()),
                ("url", String::new()),
                ("note", (*note).to_owned()),
            ]);
        }
    }

    // ---- nodes ----
    let mut nodes: Vec<Node> = Vec::new();
    let mut by_code: HashMap<String, usize> = HashMap::new();
    for (i, r) in locations.rows.iter().enumerate() {
        let n = Node {
            code: get(r, "id").to_owned(),
            name: get(r, "name").to_owned(),
            country: get(r, "country").to_owned(),
            lat: get(r, "lat").parse().unwrap_or(f64::NAN),
            lon: get(r, "lon").parse().unwrap_or(f64::NAN),
            tz: get(r, "tz").to_owned(),
            kinds: get(r, "kind").split('|').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
            platforms: get(r, "platforms").split('|').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
            curated: Some(i),
            why: "curated".into(),
            land: Land::Both,
            rail_v: None,
            road_v: None,
            sea_v: None,
        };
        by_code.insert(n.code.clone(), nodes.len());
        nodes.push(n);
    }
    let covered: BTreeSet<String> = rules_t
        .rows
        .iter()
        .map(|r| get(r, "country").to_owned())
        .chain(nodes.iter().map(|n| n.country.clone()))
        .filter(|c| c.len() == 2)
        .collect();

    let mut candidates: Vec<(corridor_places::PlaceId, String)> = Vec::new();
    // The platforms a node of `nodes.csv` is restricted to, where its row says (a ro-ro ferry
    // port is no container port: Cairnryan takes the road only, not the liner lanes).
    let mut only: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    // Named in the overlay (the corridors' published nodes).
    for r in &nodes_t.rows {
        let code = get(r, "code");
        let platforms: BTreeSet<String> =
            get(r, "platforms").split('|').map(str::trim).filter(|p| !p.is_empty()).map(str::to_owned).collect();
        if let Some(bad) = platforms.iter().find(|p| !["road", "rail", "sea"].contains(&p.as_str())) {
            return Err(ImportError::format(
                "overlay/nodes.csv",
                format!("node {code}: unknown platform {bad:?} (road, rail or sea, |-separated)"),
            ));
        }
        if !platforms.is_empty() {
            only.insert(code.to_owned(), platforms);
        }
        match place_by_code(inp.places, code).map(|p| p.id) {
            Some(id) => candidates.push((id, format!("overlay: {}", get(r, "note")))),
            None => left_out.push(format!("node {code}: not in the place index")),
        }
    }
    // The places the overlay's borders, lines and corridor definitions name.
    let named: BTreeSet<String> = ov_borders
        .rows
        .iter()
        .chain(&ov_lines.rows)
        .flat_map(|r| [get(r, "from").to_owned(), get(r, "to").to_owned()])
        .chain(corridors_t.rows.iter().map(|r| get(r, "place").to_owned()))
        .filter(|c| !c.is_empty())
        .collect();
    for code in &named {
        match place_by_code(inp.places, code).map(|p| p.id) {
            Some(id) => candidates.push((id, "named in the overlay's borders, lines or corridors".into())),
            None if by_code.contains_key(code) => {}
            None => left_out.push(format!("{code}: named in the overlay but not in the place index")),
        }
    }
    // Border posts (curated positions measured on the OSM graphs).
    for p in inp.places.iter() {
        if p.code.starts_with("XB") && covered.contains(p.country) {
            candidates.push((p.id, "border post".into()));
        }
    }
    // Transit places asked for by an earlier pass.
    candidates.extend(transit.values().cloned());
    // Major seaports: Natural Earth scale rank, joined to the nearest UN/LOCODE port.
    for port in inp.ports.iter().filter(|p| p.scalerank <= cfg.port_scalerank) {
        let near = inp
            .places
            .nearest(port.lat, port.lon, 1, |p| p.functions.contains(Functions::PORT) && !p.code.starts_with("GN"));
        if let Some(&(id, d)) = near.first() {
            let p = inp.places.place(id);
            if d <= 25.0 && covered.contains(p.country) {
                candidates.push((id, format!("Natural Earth port {} (scale rank {})", port.name, port.scalerank)));
            }
        }
    }
    // Large cities.
    let mut cities: Vec<_> = inp
        .places
        .iter()
        .filter(|p| p.population >= cfg.city_population && covered.contains(p.country))
        .map(|p| (std::cmp::Reverse(p.population), p.code.to_owned(), p.id))
        .collect();
    cities.sort();
    for (pop, _, id) in cities {
        candidates.push((id, format!("city of {} people", pop.0)));
    }
    // Two passes: the candidates above, then the cities no node of the first pass serves
    // (`coverage_cities`).
    let mut coverage_asked = false;
    while !candidates.is_empty() {
        for (id, why) in std::mem::take(&mut candidates) {
            let p = inp.places.place(id);
            if by_code.contains_key(p.code) {
                continue;
            }
            let border = p.code.starts_with("XB") || p.functions.contains(Functions::BORDER);
            // A border post next to a curated place of its country (a curated border station) is
            // that place: two nodes of one name a few km apart would only make the name ambiguous.
            let lower = p.name.to_lowercase();
            // A post named like a curated place elsewhere ("Alat" on the UZ–TM border and the port
            // of Baku at Alat) would make that name ambiguous; the crossing stays, without a post.
            if border
                && p.code.starts_with("XB")
                && nodes.iter().any(|n| {
                    n.curated.is_some()
                        && (n.name.to_lowercase() == lower
                            || n.name.to_lowercase().contains(&format!("({lower})"))
                            || n.name.to_lowercase().starts_with(&format!("{lower} ")))
                })
            {
                continue;
            }
            if border
                && nodes.iter().any(|n| {
                    n.curated.is_some()
                        && n.country == p.country
                        && (haversine_km((n.lat, n.lon), (p.lat, p.lon)) < cfg.post_merge_km
                            || (haversine_km((n.lat, n.lon), (p.lat, p.lon)) < 4.0 * cfg.post_merge_km
                                && n.name.to_lowercase().contains(&lower)))
                })
            {
                continue;
            }
            // A place near an earlier node of its country is that node (a port and its city, a
            // city and its station); border posts face each other across the border and are kept.
            if !border
                && !named.contains(p.code)
                && nodes
                    .iter()
                    .any(|n| n.country == p.country && haversine_km((n.lat, n.lon), (p.lat, p.lon)) < cfg.merge_km)
            {
                continue;
            }
            let post = p.code.starts_with("XB");
            let land = if post && p.functions.contains(Functions::RAIL) && !p.functions.contains(Functions::ROAD) {
                Land::RailOnly
            } else if post && !p.functions.contains(Functions::RAIL) {
                Land::RoadOnly
            } else {
                Land::Both
            };
            let mut kinds = BTreeSet::new();
            if p.functions.contains(Functions::PORT) {
                kinds.insert("seaport".to_owned());
            }
            if border {
                kinds.insert("border_crossing".to_owned());
            } else if p.functions.intersects(Functions::RAIL.union(Functions::MULTIMODAL)) {
                kinds.insert("rail_terminal".to_owned());
            }
            if p.functions.contains(Functions::CITY) || kinds.is_empty() {
                kinds.insert("city".to_owned());
            }
            by_code.insert(p.code.to_owned(), nodes.len());
            nodes.push(Node {
                code: p.code.to_owned(),
                name: p.name.to_owned(),
                country: p.country.to_owned(),
                lat: p.lat,
                lon: p.lon,
                tz: p.tz.to_owned(),
                kinds,
                platforms: BTreeSet::new(),
                curated: None,
                why,
                land,
                rail_v: None,
                road_v: None,
                sea_v: None,
            });
        }
        if !coverage_asked {
            coverage_asked = true;
            // A node restricted to the road (a ro-ro ferry's end) loads nothing but the trucks
            // rolling on: it serves no city around it (Fishguard took Swansea's place).
            let serving: Vec<Node> = nodes
                .iter()
                .filter(|n| only.get(&n.code).is_none_or(|p| p.iter().any(|x| x != "road")))
                .cloned()
                .collect();
            candidates = coverage_cities(inp.places, &covered, &serving, cfg);
        }
    }

    // ---- rules and gauges ----
    let rules = Rules::new(&rules_t, &links, &nodes, &by_code);

    // ---- snapping ----
    let rail_snap = inp.rail.snapper(cfg.min_component);
    let road_snap = inp.road.snapper(cfg.min_component);
    let sea_snap = inp.sea.snapper(cfg.min_component);
    for n in nodes.iter_mut() {
        let curated_rail = n.platforms.iter().any(|p| p.starts_with("rail"));
        if (n.curated.is_some() && curated_rail) || (n.curated.is_none() && n.land != Land::RoadOnly) {
            n.rail_v = rail_snap.nearest(inp.rail, n.lat, n.lon, cfg.snap_km_land).map(|x| x.0);
        }
        if n.land != Land::RailOnly {
            // Mountain border posts sit at passes the major-road graph reaches only roughly.
            let snap = if n.code.starts_with("XB") { cfg.snap_km_post } else { cfg.snap_km_land };
            n.road_v = road_snap.nearest(inp.road, n.lat, n.lon, snap).map(|x| x.0);
        }
        let port = n.kinds.contains("seaport") || n.platforms.contains("sea");
        if port && (n.curated.is_none() || n.platforms.contains("sea")) {
            n.sea_v = sea_snap.nearest(inp.sea, n.lat, n.lon, cfg.snap_km_sea).map(|x| x.0);
        }
        if let Some(allowed) = only.get(&n.code) {
            for (mode, v) in [("rail", &mut n.rail_v), ("road", &mut n.road_v), ("sea", &mut n.sea_v)] {
                if !allowed.contains(mode) {
                    *v = None;
                }
            }
        }
        if n.curated.is_none() {
            if n.rail_v.is_some() {
                n.platforms.insert(format!("rail{}", rules.gauge(&n.country)));
            }
            if n.road_v.is_some() {
                n.platforms.insert("road".into());
            }
            if n.sea_v.is_some() {
                n.platforms.insert("sea".into());
                // Trucks load at every port, also where the road graph stops short of it (the
                // graphs end at 135° E): the road platform then has only the quay transfer,
                // which estimated first and last miles use.
                n.platforms.insert("road".into());
            } else {
                n.kinds.remove("seaport");
                if n.kinds.is_empty() {
                    n.kinds.insert("city".into());
                }
            }
        } else if n.road_v.is_some() && !n.platforms.contains("road") {
            // Trucks load at every port and terminal a road reaches.
            n.platforms.insert("road".into());
        }
    }
    // Places sharing a vertex: the curated place, then a border post, then a place whose
    // function is that mode's keeps it; the others are off that graph (a town's UN/LOCODE entry
    // next to its border station must not take the station's track).
    for mode in 0..3 {
        let mut by_v: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
        for (i, n) in nodes.iter().enumerate() {
            if let Some(v) = [n.rail_v, n.road_v, n.sea_v][mode] {
                by_v.entry(v).or_default().push(i);
            }
        }
        for (_, mut group) in by_v.into_iter().filter(|(_, g)| g.len() > 1) {
            let rank = |i: usize| {
                let n = &nodes[i];
                let has = |f: Functions| place_by_code(inp.places, &n.code).is_some_and(|p| p.functions.contains(f));
                let f = [Functions::RAIL, Functions::ROAD, Functions::PORT][mode];
                (n.curated.is_none(), !n.code.starts_with("XB"), !has(f), i)
            };
            group.sort_by_key(|&i| rank(i));
            for &i in &group[1..] {
                let n = &mut nodes[i];
                match mode {
                    0 => n.rail_v = None,
                    1 => n.road_v = None,
                    _ => n.sea_v = None,
                }
                if n.curated.is_none() {
                    let p = ["rail", "road", "sea"][mode];
                    n.platforms.retain(|x| !x.starts_with(p));
                }
            }
        }
    }
    let unplaced: Vec<String> = nodes
        .iter()
        .filter(|n| n.curated.is_none() && n.platforms.is_empty())
        .map(|n| format!("{} {} ({})", n.code, n.name, n.country))
        .collect();
    if !unplaced.is_empty() {
        left_out.push(format!(
            "{} selected places are on no rail, road or sea graph within the snap distance and are not nodes: {}",
            unplaced.len(),
            unplaced.join(", ")
        ));
    }

    // ---- contraction ----
    let curated_pairs: BTreeSet<(String, String, &'static str)> = links
        .rows
        .iter()
        .map(|r| {
            let m = match get(r, "mode") {
                "rail" => "rail",
                "road" => "road",
                _ => "sea",
            };
            let (a, b) = (get(r, "from").to_owned(), get(r, "to").to_owned());
            (a.clone().min(b.clone()), a.max(b), m)
        })
        .collect();
    let is_node = |n: &Node| n.curated.is_some() || !n.platforms.is_empty();
    let mut gen_links: Vec<GenLink> = Vec::new();
    let mut asked: BTreeMap<String, (corridor_places::PlaceId, String)> = BTreeMap::new();
    let mut transit_cities: BTreeMap<&str, Vec<corridor_places::PlaceId>> = BTreeMap::new();
    for p in inp.places.iter().filter(|p| p.population >= TRANSIT_MIN_POPULATION && covered.contains(p.country)) {
        transit_cities.entry(p.country).or_default().push(p.id);
    }
    for mode in ["rail", "road", "sea"] {
        let (g, at): (&NetGraph, Vec<Option<u32>>) = match mode {
            "rail" => (inp.rail, nodes.iter().map(|n| n.rail_v.filter(|_| is_node(n))).collect()),
            "road" => (inp.road, nodes.iter().map(|n| n.road_v.filter(|_| is_node(n))).collect()),
            _ => (inp.sea, nodes.iter().map(|n| n.sea_v).collect()),
        };
        let blocked = blocked_tags(g, &["volga-don"]);
        let max_km = if mode == "sea" { cfg.max_km_sea } else { cfg.max_km_land };
        // On rail, a link across a break of gauge must be short (between border stations):
        // longer ones are not links, nor halves of the way through a third place.
        let gauge_ok = |i: u32, j: u32, km: f64| {
            mode != "rail"
                || rules.gauge(&nodes[i as usize].country) == rules.gauge(&nodes[j as usize].country)
                || km <= cfg.max_gauge_link_km
        };
        let mut adj = neighbours_where(g, &at, max_km, cfg.slack, &blocked, &gauge_ok, None);
        if mode == "road" {
            // The roads that stay in one country where the shortest one leaves it (see
            // `road_border_weights`); the pairs the first search already joins keep its path.
            let have: BTreeSet<(u32, u32)> = adj.iter().map(|x| (x.a, x.b)).collect();
            let home = neighbours_where(g, &at, max_km, cfg.slack, &blocked, &gauge_ok, Some(road_borders));
            let new: Vec<Adjacency> = home.into_iter().filter(|x| !have.contains(&(x.a, x.b))).collect();
            let _ = writeln!(report, "- road: {} pairs joined only by a road that avoids a border crossing", new.len());
            adj.extend(new);
        }
        if mode == "sea" {
            // The lanes that avoid the Suez Canal (round the Cape), for when it is avoided.
            let mut cape = blocked.clone();
            cape.extend(g.tags.iter().position(|t| t == "suez").map(|i| i as u8));
            let have: BTreeSet<(u32, u32)> = adj.iter().map(|x| (x.a, x.b)).collect();
            adj.extend(
                neighbours(g, &at, max_km, cfg.slack, &cape).into_iter().filter(|x| !have.contains(&(x.a, x.b))),
            );
        }
        let mut kept = 0usize;
        for x in adj {
            let (a, b) = (&nodes[x.a as usize], &nodes[x.b as usize]);
            let key = (a.code.clone().min(b.code.clone()), a.code.clone().max(b.code.clone()), mode);
            if curated_pairs.contains(&key) {
                continue;
            }
            if mode == "sea" && a.curated.is_some() && b.curated.is_some() {
                // The curated deep-sea and feeder lines are the services between curated ports.
                continue;
            }
            match check_link(inp, cfg, g, mode, a, b, &x, &ov_borders, &rules) {
                Ok(()) => {
                    kept += 1;
                    gen_links.push(GenLink { mode, a: x.a as usize, b: x.b as usize, adj: x });
                }
                Err(Refused { why, through }) => {
                    if let Some(c) = through
                        && let Some((p, d)) = transit_city(inp, g, &x, &c, &transit_cities)
                    {
                        asked.entry(p.code.to_owned()).or_insert((
                            p.id,
                            format!(
                                "transit: {} ({c}) lies {d:.0} km from the {mode} path {} – {}",
                                p.name, a.name, b.name
                            ),
                        ));
                    }
                    left_out.push(format!("{mode} {} – {}: {why}", a.name, b.name))
                }
            }
        }
        let _ = writeln!(report, "- {mode}: {kept} generated links");
    }

    // ---- geometry for curated links that have none: the same path search on their graph ----
    {
        let have: BTreeSet<String> = geometry.rows.iter().map(|r| get(r, "link").to_owned()).collect();
        let snapped = |n: &Node, mode: &str| -> Option<u32> {
            match mode {
                "rail" => {
                    n.rail_v.or_else(|| rail_snap.nearest(inp.rail, n.lat, n.lon, 2.0 * cfg.snap_km_land).map(|x| x.0))
                }
                "road" => {
                    n.road_v.or_else(|| road_snap.nearest(inp.road, n.lat, n.lon, 2.0 * cfg.snap_km_land).map(|x| x.0))
                }
                _ => n.sea_v.or_else(|| sea_snap.nearest(inp.sea, n.lat, n.lon, cfg.snap_km_sea).map(|x| x.0)),
            }
        };
        for r in links.rows.iter().filter(|r| !have.contains(get(r, "id"))) {
            let (Some(&ia), Some(&ib)) = (by_code.get(get(r, "from")), by_code.get(get(r, "to"))) else { continue };
            let (a, b) = (&nodes[ia], &nodes[ib]);
            let mode = match (get(r, "mode"), get(r, "platform")) {
                ("rail", _) => "rail",
                ("road", _) => "road",
                _ => "sea",
            };
            let g = match mode {
                "rail" => inp.rail,
                "road" => inp.road,
                _ => inp.sea,
            };
            let km: f64 = get(r, "km").parse().unwrap_or(0.0);
            let blocked = blocked_tags(g, &[]);
            // The drawn path must be the link: within 30 % of its curated km (short links,
            // where snapping dominates, within 15 km). The OSM extracts miss stretches of main
            // lines beyond what healing joins, so a path may jump one gap of at most 20, then
            // 50 km (the break is reported); a longer gap is a missing line, not a break.
            let fits = |x: &BridgedPath| (x.km - km).abs() <= (0.3 * km).max(15.0);
            let (sa, sb) = (snapped(a, mode), snapped(b, mode));
            let found = match (sa, sb) {
                (Some(va), Some(vb)) => [0.0, BRIDGE_KM[0], BRIDGE_KM[1]]
                    .into_iter()
                    .filter_map(|gap| bridged_path(g, va, vb, 2.0 * km + 50.0, gap, &blocked))
                    .find(fits),
                _ => None,
            };
            let why = match (sa, sb) {
                (None, _) => format!("the line is not in the OSM extract: {} has no {mode} vertex nearby", a.name),
                (_, None) => format!("the line is not in the OSM extract: {} has no {mode} vertex nearby", b.name),
                _ => format!("no {mode} path within 30 % of its {km} km, even across one break of {} km", BRIDGE_KM[1]),
            };
            match found {
                Some(x) => {
                    if x.gap_km > 0.0 {
                        bridged.push(format!(
                            "geometry of curated link {}: the {mode} path ({:.0} km) crosses a {:.1} km break of the graph",
                            get(r, "id"),
                            x.km,
                            x.gap_km
                        ));
                    }
                    let pts: Vec<(f64, f64)> = std::iter::once((a.lat, a.lon))
                        .chain(x.path.iter().map(|&v| (g.lat[v as usize], g.lon[v as usize])))
                        .chain(std::iter::once((b.lat, b.lon)))
                        .collect();
                    let id = get(r, "id").to_owned();
                    geometry.push(&[
                        ("link", id),
                        ("polyline", corridor_io::polyline::encode(&simplify(&pts, cfg.tolerance_km))),
                    ]);
                }
                None => left_out.push(format!(
                    "geometry of curated link {}: {why} (drawn as a straight line; {km} km, great circle {:.0} km)",
                    get(r, "id"),
                    haversine_km((a.lat, a.lon), (b.lat, b.lon)),
                )),
            }
        }
    }

    // ---- transit: curated land links whose measured line crosses a third country ----
    // (the Brenner line Munich–Verona through Austria): the link records the countries, so
    // that avoiding one avoids the link and a route lists it. Only where the km is the drawn
    // path's own (`OSM-*`): a curated km with a drawn detour says nothing of the real line.
    {
        let polylines: BTreeMap<&str, &str> =
            geometry.rows.iter().map(|r| (get(r, "link"), get(r, "polyline"))).collect();
        let mut found: Vec<(usize, String)> = Vec::new();
        for (i, r) in links.rows.iter().enumerate() {
            if !matches!(get(r, "mode"), "rail" | "road") || !get(r, "km_src").starts_with("OSM-") {
                continue;
            }
            let (Some(&ia), Some(&ib)) = (by_code.get(get(r, "from")), by_code.get(get(r, "to"))) else { continue };
            let Some(pts) = polylines.get(get(r, "id")).and_then(|p| corridor_io::polyline::decode(p).ok()) else {
                continue;
            };
            let t =
                transit_countries(inp.countries, &pts, &nodes[ia].country, &nodes[ib].country, cfg.third_country_km);
            if !t.is_empty() {
                found.push((i, t.join("|")));
            }
        }
        if !links.header.iter().any(|h| h == "transit") {
            let at = links.header.iter().position(|h| h == "notes").unwrap_or(links.header.len());
            links.header.insert(at, "transit".to_owned());
        }
        for (i, t) in found {
            links.rows[i].insert("transit".to_owned(), t);
        }
    }

    // ---- rows ----
    let mut used_ids: BTreeSet<String> = links.rows.iter().map(|r| get(r, "id").to_owned()).collect();
    let mut new_transfers: BTreeSet<(String, String, String)> = transfers
        .rows
        .iter()
        .map(|r| (get(r, "location").to_owned(), get(r, "from_platform").to_owned(), get(r, "to_platform").to_owned()))
        .collect();
    let known =
        known_crossings(inp, &nodes, &links, &locations, &borders, &geometry, &ov_borders, cfg.same_crossing_km);
    report.push_str(lines_report);
    for gl in &gen_links {
        let (a, b) = (&nodes[gl.a], &nodes[gl.b]);
        let prefix = match gl.mode {
            "rail" => "r",
            "road" => "d",
            _ => "s",
        };
        let base = format!("{prefix}-{}-{}", a.code.to_lowercase(), b.code.to_lowercase());
        let mut id = base.clone();
        let mut k = 2;
        while used_ids.contains(&id) {
            id = format!("{base}-{k}");
            k += 1;
        }
        used_ids.insert(id.clone());
        let km = format!("{:.1}", gl.adj.km);
        let points: Vec<(f64, f64)> = std::iter::once((a.lat, a.lon))
            .chain(gl.adj.path.iter().map(|&v| {
                let g = match gl.mode {
                    "rail" => inp.rail,
                    "road" => inp.road,
                    _ => inp.sea,
                };
                (g.lat[v as usize], g.lon[v as usize])
            }))
            .chain(std::iter::once((b.lat, b.lon)))
            .collect();
        let simplified = simplify(&points, cfg.tolerance_km);
        geometry.push(&[("link", id.clone()), ("polyline", corridor_io::polyline::encode(&simplified))]);
        let cross = a.country != b.country;
        match gl.mode {
            "sea" => {
                let r = rules.sea();
                // A lane round the Cape of Good Hope is the diversion of an Asia–Europe voyage: it
                // takes the Cape class, priced so that the lane costs by the Cape what it costs by
                // Suez (a freight index is a rate per lane, whichever way the carrier sails;
                // C-PRICE-SEA-CAPE).
                // A lane within the Mediterranean or the Black Sea takes the Mediterranean class:
                // Asia's liners price that range by its own index (WCI Shanghai–Genoa), higher
                // than Shanghai–Rotterdam at four fifths of the distance (C-PRICE-SEA-MED).
                let price = if rounds_the_cape(&points) {
                    CAPE_PRICE.to_owned()
                } else if in_the_mediterranean(&points) {
                    MED_PRICE.to_owned()
                } else if off_atlantic_iberia(&points) {
                    // Between the two indexed ranges: at least the North European lane's price
                    // (C-PRICE-SEA-IBERIA), not less for being short of Rotterdam on the way.
                    IBERIA_PRICE.to_owned()
                } else {
                    r.price.clone()
                };
                let sea_km_src = if gl.adj.tags.iter().any(|&t| inp.sea.tags[t as usize] == "join") {
                    "SEAROUTE|EST-GAP-JOIN".to_owned()
                } else {
                    "SEAROUTE".to_owned()
                };
                // A generated lane is sailed by liners (a weekly loop calling at ports): the wait
                // for the departure and the voyage's lateness are charged where a shipment is
                // loaded, and a ship calling at a port sails on without either (the aboard nodes
                // of `Graph::compile`).
                let row = vec![
                    ("id", id.clone()),
                    ("from", a.code.clone()),
                    ("to", b.code.clone()),
                    ("mode", "sea".to_owned()),
                    ("platform", "sea".to_owned()),
                    ("km", km.clone()),
                    ("km_src", sea_km_src),
                    ("speed_kmh", r.speed.clone()),
                    ("time_src", r.speed_src.clone()),
                    ("price", price),
                    ("headway_h", "168".into()),
                    ("headway_src", "EST-HEADWAY-DEEPSEA".into()),
                    ("hold_p", rules.sea_hold[0].clone()),
                    ("hold_mean_h", rules.sea_hold[1].clone()),
                    ("hold_p90_h", rules.sea_hold[2].clone()),
                    ("hold_src", rules.sea_hold[3].clone()),
                    ("emission_factor", r.emission.clone()),
                    // A liner lane belongs to the deep-sea corridor, never a shared feeder of a
                    // land corridor.
                    ("corridors", "sea".to_owned()),
                    ("liner", "true".to_owned()),
                    ("notes", "generated: searoute path between neighbouring ports (C-CORE-BUILD)".to_owned()),
                ];
                links.push(&row);
            }
            mode => {
                let gauges: Vec<u16> = if mode == "rail" {
                    let (ga, gb) = (rules.gauge(&a.country), rules.gauge(&b.country));
                    if ga == gb { vec![ga] } else { vec![ga, gb] }
                } else {
                    vec![0]
                };
                // A path across a border runs each side at that side's figures.
                let r = if cross {
                    rules.across(
                        mode,
                        &side_shares(inp.countries, &points, &a.country, &b.country),
                        &a.country,
                        &b.country,
                    )
                } else {
                    rules.land(mode, &a.country)
                };
                let r = on_own_speed_lines(r, mode, &gl.adj, lines, if mode == "rail" { inp.rail } else { inp.road });
                for (gi, &gauge) in gauges.iter().enumerate() {
                    let platform = if mode == "rail" { format!("rail{gauge}") } else { "road".into() };
                    let lid = if gi == 0 { id.clone() } else { format!("{id}-{gauge}") };
                    if gi > 0 {
                        used_ids.insert(lid.clone());
                        let prev = geometry.rows.last().expect("pushed above").clone();
                        geometry.push(&[("link", lid.clone()), ("polyline", get(&prev, "polyline").to_owned())]);
                    }
                    links.push(&[
                        ("id", lid.clone()),
                        ("from", a.code.clone()),
                        ("to", b.code.clone()),
                        ("mode", mode.to_owned()),
                        ("platform", platform.clone()),
                        ("km", km.clone()),
                        ("km_src", {
                            let g = if mode == "rail" { inp.rail } else { inp.road };
                            let base = if mode == "rail" { "OSM-RAIL" } else { "OSM-ROAD" };
                            if gl.adj.tags.iter().any(|&t| g.tags[t as usize] == "join") {
                                format!("{base}|EST-GAP-JOIN")
                            } else {
                                base.to_owned()
                            }
                        }),
                        // Trucks run at the country's moving speed under the drivers' daily rule.
                        (if mode == "road" { "driving_kmh" } else { "speed_kmh" }, r.speed.clone()),
                        ("driving_h_day", if mode == "road" { r.daily.clone() } else { String::new() }),
                        ("time_src", r.speed_src.clone()),
                        ("price", r.price.clone()),
                        ("emission_factor", r.emission.clone()),
                        ("notes", format!("generated: OSM {mode} path between neighbouring places (C-CORE-BUILD)")),
                    ]);
                    if cross {
                        // Where the path crosses the border, else (both ends on one side of the
                        // polygons) a known crossing near the path.
                        let same = match crossing_point(inp.countries, &points, &a.country, &b.country) {
                            Some(at) => same_crossing(&known, mode, a, b, &[at], cfg.same_crossing_km),
                            None => same_crossing(&known, mode, a, b, &points, cfg.same_crossing_path_km),
                        };
                        let kind = CrossingKind::new(mode, gauges.len() == 2);
                        let row = border_row(&ov_borders, &road_sides, kind, a, b, &lid, same);
                        for r in row {
                            borders.push(&r);
                        }
                    }
                }
                if gauges.len() == 2 {
                    for n in [a, b] {
                        let (g1, g2) = (format!("rail{}", gauges[0]), format!("rail{}", gauges[1]));
                        add_transfer(
                            &mut transfers,
                            &mut new_transfers,
                            &n.code,
                            &g1,
                            &g2,
                            gauge_change(&ov_transfers, &n.code, &g1, &g2),
                        );
                    }
                }
            }
        }
    }
    // Scheduled lines of the overlay (ferries, ro-ro): km measured on the sea lanes when empty.
    for r in &ov_lines.rows {
        let (Some(&ia), Some(&ib)) = (by_code.get(get(r, "from")), by_code.get(get(r, "to"))) else {
            left_out.push(format!("line {}: an end is not a node", get(r, "id")));
            continue;
        };
        let mut row = r.clone();
        let (a, b) = (&nodes[ia], &nodes[ib]);
        let sea_at =
            |n: &Node| n.sea_v.or_else(|| sea_snap.nearest(inp.sea, n.lat, n.lon, cfg.snap_km_sea).map(|x| x.0));
        let path = match (sea_at(a), sea_at(b)) {
            (Some(va), Some(vb)) if va != vb => {
                let blocked = blocked_tags(inp.sea, &[]);
                neighbours(inp.sea, &[Some(va), Some(vb)], cfg.max_km_sea, 0.0, &blocked).into_iter().next()
            }
            _ => None,
        };
        if get(r, "km").is_empty() {
            match &path {
                Some(x) => {
                    row.insert("km".into(), format!("{:.1}", x.km));
                }
                None => {
                    let gc = haversine_km((a.lat, a.lon), (b.lat, b.lon));
                    row.insert("km".into(), format!("{:.1}", gc * 1.3));
                    row.insert("km_src".into(), "EST-KM-SEA-GC".into());
                }
            }
        }
        let pts: Vec<(f64, f64)> = match &path {
            Some(x) => std::iter::once((a.lat, a.lon))
                .chain(x.path.iter().map(|&v| (inp.sea.lat[v as usize], inp.sea.lon[v as usize])))
                .chain(std::iter::once((b.lat, b.lon)))
                .collect(),
            None => vec![(a.lat, a.lon), (b.lat, b.lon)],
        };
        geometry.push(&[
            ("link", get(r, "id").to_owned()),
            ("polyline", corridor_io::polyline::encode(&simplify(&pts, cfg.tolerance_km))),
        ]);
        // A line between countries clears customs at its ports: with the figures of an overlay
        // border row of its mode between its two ends where one is given (Holyhead–Dublin: the
        // Irish Revenue's green, orange and red routes), else as the curated Caspian ferries do
        // (EST-FERRY-CLEARANCE), unless both are in one customs union.
        let id = get(r, "id");
        let own = overlay_border_rows(
            &ov_borders,
            get(r, "mode"),
            a,
            b,
            id,
            &format!("{}–{} ({})", a.name, b.name, get(r, "mode")),
        );
        if !own.is_empty() && a.country != b.country {
            for row in &own {
                borders.push(row);
            }
        } else if a.country != b.country && !same_customs_union(&a.country, &b.country) {
            let rail = get(r, "platform").starts_with("rail");
            borders.push(&[
                ("id", format!("b-{id}")),
                ("name", format!("{}–{} ({})", a.name, b.name, get(r, "mode"))),
                ("link", id.to_owned()),
                ("direction", "both".into()),
                ("hours_mean", "12".into()),
                ("hours_p90", "23".into()),
                ("usd_teu", String::new()),
                ("usd_feu", if rail { "215".into() } else { "208".into() }),
                (
                    "src",
                    if rail {
                        "EST-FERRY-CLEARANCE|EST-PORT-HANDLING-CASPIAN|CAREC-CPMM-2022-RAIL".into()
                    } else {
                        "EST-FERRY-CLEARANCE|EST-PORT-HANDLING-CASPIAN|CAREC-CPMM-2022-ROAD".into()
                    },
                ),
                ("notes", "exit and entry formalities at the two ports; the curated ferries' proxy".into()),
            ]);
        }
        links.rows.push(row);
    }
    // Corridor tags from the published definitions: the shortest path between consecutive
    // waypoints carries the corridor's tag (curated links keep theirs and gain only the
    // corridors the curated network does not know).
    let known_corridors: BTreeSet<&str> = dataset_corridors(file("../dataset.toml"));
    let curated_corridors: BTreeSet<String> = links
        .rows
        .iter()
        .filter(|r| !get(r, "notes").starts_with("generated"))
        .flat_map(|r| get(r, "corridors").split('|').map(str::to_owned).collect::<Vec<_>>())
        .filter(|c| !c.is_empty())
        .collect();
    let mut by_branch: BTreeMap<(String, String), Vec<(u32, String)>> = BTreeMap::new();
    for r in &corridors_t.rows {
        let seq: u32 = get(r, "seq").parse().unwrap_or(0);
        by_branch
            .entry((get(r, "corridor").to_owned(), get(r, "branch").to_owned()))
            .or_default()
            .push((seq, get(r, "place").to_owned()));
    }
    let link_graph = LinkGraph::new(&links);
    for ((corridor, branch), mut seq) in by_branch {
        if !known_corridors.contains(corridor.as_str()) {
            continue;
        }
        seq.sort();
        for w in seq.windows(2) {
            let (p, q) = (&w[0].1, &w[1].1);
            match link_graph.path(p, q) {
                Some(ids) => {
                    for i in ids {
                        let r = &mut links.rows[i];
                        let generated = get(r, "notes").starts_with("generated");
                        if !generated && curated_corridors.contains(&corridor) {
                            continue;
                        }
                        let mut tags: BTreeSet<String> =
                            get(r, "corridors").split('|').filter(|t| !t.is_empty()).map(str::to_owned).collect();
                        tags.insert(corridor.clone());
                        r.insert("corridors".into(), tags.into_iter().collect::<Vec<_>>().join("|"));
                    }
                }
                None => left_out.push(format!("corridor {corridor} ({branch}): no path from {p} to {q}")),
            }
        }
    }
    // A generated cross-border land link that no corridor definition covers is a regional
    // link, not a shared feeder: a corridor's route may use untagged links, and an untagged
    // border crossing would let any corridor leave its own crossings. Borders inside European
    // distribution (the EU and its neighbours west of the corridors' EU gateways) stay shared
    // feeders: every corridor delivers to Madrid or London over them.
    if known_corridors.contains("regional") {
        for r in links.rows.iter_mut() {
            let generated = get(r, "notes").starts_with("generated");
            let (Some(&a), Some(&b)) = (by_code.get(get(r, "from")), by_code.get(get(r, "to"))) else { continue };
            let (ca, cb) = (nodes[a].country.as_str(), nodes[b].country.as_str());
            if generated
                && get(r, "corridors").is_empty()
                && ca != cb
                && !corridor_model::regions::european_distribution(ca, cb)
            {
                r.insert("corridors".into(), "regional".into());
            }
        }
    }
    // Platforms implied by links (a border station reached on the neighbour's gauge).
    let mut extra_platforms: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in &links.rows {
        for end in ["from", "to"] {
            extra_platforms.entry(get(r, end).to_owned()).or_default().insert(get(r, "platform").to_owned());
        }
    }
    for (code, ps) in &extra_platforms {
        if let Some(&i) = by_code.get(code) {
            for p in ps {
                nodes[i].platforms.insert(p.clone());
            }
        }
    }
    // Every container port has a truck gate. A seaport that no road link reaches (Colombo and
    // Singapore: the road graph stops short of them) still takes trucks by an estimated access
    // leg, so it gets the road platform and, below, its quay handling; without them a place
    // beside the port had no way off the ship.
    for n in nodes.iter_mut().filter(|n| n.kinds.contains("seaport") && n.platforms.contains("sea")) {
        n.platforms.insert("road".into());
    }
    // Transfers: every pair of platforms at a node that has none yet.
    for n in nodes.iter().filter(|n| is_node(n)) {
        let ps: Vec<&String> = n.platforms.iter().collect();
        for i in 0..ps.len() {
            for j in i + 1..ps.len() {
                let (p, q) = (ps[i].as_str(), ps[j].as_str());
                fn kind(s: &str) -> &str {
                    if s.starts_with("rail") { "rail" } else { s }
                }
                match (kind(p), kind(q)) {
                    ("rail", "rail") => add_transfer(
                        &mut transfers,
                        &mut new_transfers,
                        &n.code,
                        p,
                        q,
                        gauge_change(&ov_transfers, &n.code, p, q),
                    ),
                    ("rail", "road") | ("road", "rail") => {
                        // At a break of gauge a rail→road→rail move must not undercut the gauge
                        // change: the lift is priced like it (EST-COST-BORDER-TERMINAL).
                        let gauges = n.platforms.iter().filter(|p| p.starts_with("rail")).count();
                        let mut row = transship_row();
                        if gauges > 1 {
                            row[4] = ("usd_feu", "329".into());
                            row[3] = ("usd_teu", String::new());
                            row[5] = ("src", "EST-TRANSSHIP-RAILROAD|EST-P90-LOGN|EST-COST-BORDER-TERMINAL".into());
                            row[7] = (
                                "notes",
                                "crane lift at a break-of-gauge border terminal, priced like the gauge change".into(),
                            );
                        }
                        add_transfer(&mut transfers, &mut new_transfers, &n.code, p, q, row);
                    }
                    (_, "sea") | ("sea", _) => {
                        let land = if q == "sea" { p } else { q };
                        let template = n.curated.and_then(|_| {
                            transfers
                                .rows
                                .iter()
                                .find(|r| get(r, "location") == n.code && get(r, "to_platform") == "sea")
                                .cloned()
                        });
                        match template {
                            // A curated port gaining a road: its quay handling, from the road too.
                            Some(mut row) => {
                                if claim_transfer(&mut new_transfers, &n.code, land, "sea") {
                                    row.insert("from_platform".into(), land.to_owned());
                                    transfers.rows.push(row);
                                }
                            }
                            None => add_transfer(&mut transfers, &mut new_transfers, &n.code, land, "sea", port_row()),
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    // ---- connectivity: a generated place the links do not join to the network is left out ----
    {
        let mut parent: HashMap<String, String> = HashMap::new();
        fn find(p: &mut HashMap<String, String>, x: &str) -> String {
            let mut x = x.to_owned();
            while let Some(px) = p.get(&x).cloned() {
                if px == x {
                    break;
                }
                x = px;
            }
            x
        }
        for r in &links.rows {
            let (a, b) = (find(&mut parent, get(r, "from")), find(&mut parent, get(r, "to")));
            if a != b {
                parent.insert(a.clone(), b.clone());
                parent.entry(b.clone()).or_insert(b);
            } else {
                parent.entry(a.clone()).or_insert(a);
            }
        }
        let main = nodes.iter().find(|n| n.curated.is_some()).map(|n| find(&mut parent, &n.code)).unwrap_or_default();
        let mut dropped: BTreeSet<String> = BTreeSet::new();
        for n in nodes.iter_mut().filter(|n| n.curated.is_none() && !n.platforms.is_empty()) {
            if find(&mut parent, &n.code) != main {
                dropped.insert(n.code.clone());
                n.platforms.clear();
            }
        }
        if !dropped.is_empty() {
            left_out.push(format!(
                "{} places joined to no other or only to each other are left out: {}",
                dropped.len(),
                dropped.iter().cloned().collect::<Vec<_>>().join(", ")
            ));
            let gone: BTreeSet<String> = links
                .rows
                .iter()
                .filter(|r| dropped.contains(get(r, "from")) || dropped.contains(get(r, "to")))
                .map(|r| get(r, "id").to_owned())
                .collect();
            links.rows.retain(|r| !gone.contains(get(r, "id")));
            geometry.rows.retain(|r| !gone.contains(get(r, "link")));
            borders.rows.retain(|r| !gone.contains(get(r, "link")));
            transfers.rows.retain(|r| !dropped.contains(get(r, "location")));
        }
    }

    // ---- locations ----
    for n in &nodes {
        if let Some(i) = n.curated {
            locations.rows[i].insert("platforms".into(), n.platforms.iter().cloned().collect::<Vec<_>>().join("|"));
        }
    }
    let mut added = 0;
    for n in nodes.iter().filter(|n| n.curated.is_none() && !n.platforms.is_empty()) {
        added += 1;
        locations.push(&[
            ("id", n.code.clone()),
            ("name", n.name.clone()),
            ("aliases", String::new()),
            ("country", n.country.clone()),
            ("lat", format!("{:.5}", n.lat)),
            ("lon", format!("{:.5}", n.lon)),
            ("tz", n.tz.clone()),
            ("kind", n.kinds.iter().cloned().collect::<Vec<_>>().join("|")),
            ("platforms", n.platforms.iter().cloned().collect::<Vec<_>>().join("|")),
            ("coord_src", "PLACES-INDEX".into()),
            ("notes", format!("generated node: {}", n.why)),
        ]);
    }
    let mut head = String::new();
    let _ = writeln!(head, "# Core build report\n");
    let _ = writeln!(
        head,
        "{} locations ({} curated, {} generated), {} links ({} generated).\n",
        locations.rows.len(),
        locations.rows.len() - added,
        added,
        links.rows.len(),
        links.rows.len() - table("curated/links.csv")?.rows.len()
    );
    head.push_str(&report);
    let _ = writeln!(head, "\n## Geometry across a break of the OSM graph ({})\n", bridged.len());
    for l in &bridged {
        let _ = writeln!(head, "- {l}");
    }
    let _ = writeln!(head, "\n## Left out ({})\n", left_out.len());
    for l in &left_out {
        let _ = writeln!(head, "- {l}");
    }
    let mut files = BTreeMap::new();
    files.insert("locations.csv".to_owned(), locations.write());
    files.insert("links.csv".to_owned(), links.write());
    files.insert("borders.csv".to_owned(), borders.write());
    files.insert("transfers.csv".to_owned(), transfers.write());
    files.insert("geometry.csv".to_owned(), geometry.write());
    files.insert("sources.csv".to_owned(), sources.write());
    Ok((Output { files, report: head }, asked))
}

/// The third countries a drawn line `pts` (from the `a` end to the `b` end) runs through for
/// more than `min_km`, in the order it enters them; sampled every 2 km or less against the
/// country polygons.
fn transit_countries(countries: &Countries, pts: &[(f64, f64)], a: &str, b: &str, min_km: f64) -> Vec<String> {
    let mut km: BTreeMap<String, f64> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for w in pts.windows(2) {
        let d = haversine_km(w[0], w[1]);
        let n = (d / 2.0).ceil().max(1.0) as usize;
        for k in 0..n {
            let f = (k as f64 + 0.5) / n as f64;
            let (lat, lon) = (w[0].0 + (w[1].0 - w[0].0) * f, w[0].1 + (w[1].1 - w[0].1) * f);
            let Some(c) = countries.locate(lat, lon) else { continue };
            let iso = countries.iso2(c);
            if iso != a && iso != b {
                if !km.contains_key(iso) {
                    order.push(iso.to_owned());
                }
                *km.entry(iso.to_owned()).or_default() += d / n as f64;
            }
        }
    }
    order.into_iter().filter(|c| km[c] > min_km).collect()
}

/// The transit place for a refused land link whose path runs more than the allowed km through
/// a third country: the most populous city of that country within [`TRANSIT_NEAR_KM`] of the
/// path (ties to the lower code), with its distance from the path.
fn transit_city<'a>(
    inp: &Inputs<'a>,
    g: &NetGraph,
    x: &Adjacency,
    c: &str,
    cities: &BTreeMap<&str, Vec<corridor_places::PlaceId>>,
) -> Option<(corridor_places::Place<'a>, f64)> {
    let mut best: Option<(corridor_places::Place<'a>, f64)> = None;
    let near = cities.get(c).map(Vec::as_slice).unwrap_or_default();
    for &v in &x.path {
        let (lat, lon) = (g.lat[v as usize], g.lon[v as usize]);
        if inp.countries.locate(lat, lon).map(|k| inp.countries.iso2(k)) != Some(c) {
            continue;
        }
        for &id in near {
            let p = inp.places.place(id);
            let d = haversine_km((lat, lon), (p.lat, p.lon));
            if d <= TRANSIT_NEAR_KM
                && best.as_ref().is_none_or(|(q, _)| {
                    (std::cmp::Reverse(p.population), p.code) < (std::cmp::Reverse(q.population), q.code)
                })
            {
                best = Some((p, d));
            }
        }
    }
    best
}

struct GenLink {
    mode: &'static str,
    a: usize,
    b: usize,
    adj: Adjacency,
}

/// Source ids for the build's own methods.
const BUILD_SOURCES: &[(&str, &str, &str)] = &[
    (
        "C-CORE-BUILD",
        "Link generated by the core build (corridor-import corebuild): the OSM or searoute path between two neighbouring places",
        "Method: the layer is contracted onto the places (a Dijkstra from each place stops at the next places); km = path length, geometry = the path simplified at 1 km. Facts of the link come from its country and mode (rules).",
    ),
    (
        "EST-GAP-JOIN",
        "A piece of a real line missing from the OSM graph, joined by a straight connector (overlay/joins.csv)",
        "Method: the vertices nearest to the two points of the join are connected by a chain of great-circle edges through the join's listed points (stations or passes, new vertices), scaled to the join's km where a source gives it; the link's km is otherwise a slight underestimate over the gap. A join whose far end is marked new ends on a new vertex beyond the graph's edge (a port south of the extract's 20° N cut, or a port the sea lanes pass far offshore). A join that follows one long edge of the graph through a pass or a border post (new vertices; rows marked EST-POST-SPLIT are written by tools/derive_border_places.py for the post of a crossing's other side) keeps the edge's own length. Each join names the line and why it is known to exist.",
    ),
    (
        "PLACES-INDEX",
        "Position from the place index (data/places: UN/LOCODE 2024, GeoNames, curated border posts)",
        "See data/places/SOURCES.md",
    ),
];

/// Searoute passages that lead out of the region the core covers (no node lies beyond them):
/// the Arctic, Bering, Panama and Magellan.
const OUT_OF_REGION: [&str; 4] = ["northwest", "bering", "panama", "chili"];

/// The tag of healed gaps that join two countries over the sea ([`sea_crossing_heals`]); no
/// search uses them.
const SEA_HEAL: &str = "sea-heal";

/// Km of a healed gap's straight line that may lie outside every country polygon before the gap
/// counts as a sea crossing: the 1:50m coastlines cut a little off coastal land.
const SEA_HEAL_KM: f64 = 3.0;

/// Tags with [`SEA_HEAL`] the healed gaps of `g` that join two countries (Natural Earth 1:50m,
/// ends within 5 km of a polygon) with more than [`SEA_HEAL_KM`] of their straight line over
/// open sea, and returns a report line per gap. Healing joins digitisation breaks; a break
/// between two countries across the sea is a ferry or a fixed link the graph lacks, not a road:
/// healed, it made roads over the Strait of Gibraltar (Tanger Med–Sevilla, 303 km), the Channel
/// (Folkestone–Coquelles) and the Fehmarn Belt. Gaps within one country are left alone, since
/// the coarse 1:50m coastline puts real coastal lines at sea (the Ligurian railway); a real fixed
/// link between two countries that the graph lacks comes in as a `joins.csv` row (the Øresund
/// crossing), which is not a heal.
fn sea_crossing_heals(g: &mut NetGraph, countries: &Countries, mode: &str) -> Vec<String> {
    let country = |v: u32| countries.nearest_within(g.lat[v as usize], g.lon[v as usize], 5.0);
    let at_sea_km = |u: u32, v: u32, km: f64| {
        let (a, b) = ((g.lat[u as usize], g.lon[u as usize]), (g.lat[v as usize], g.lon[v as usize]));
        let n = km.ceil().max(1.0) as usize;
        let off = (0..n)
            .filter(|&k| {
                let f = (k as f64 + 0.5) / n as f64;
                countries.locate(a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f).is_none()
            })
            .count();
        off as f64 * km / n as f64
    };
    let name = |v: u32| {
        let c = country(v).map_or("?", |c| countries.iso2(c));
        format!("{:.3},{:.3} ({c})", g.lat[v as usize], g.lon[v as usize])
    };
    let mut gaps = Vec::new();
    let mut lines = Vec::new();
    for &(u, v, km) in &g.healed {
        if !matches!((country(u), country(v)), (Some(a), Some(b)) if a != b) {
            continue;
        }
        let sea = at_sea_km(u, v, km);
        if sea > SEA_HEAL_KM {
            gaps.push((u, v));
            lines.push(format!("{mode} gap of {km:.1} km from {} to {}, {sea:.0} km of it at sea", name(u), name(v)));
        }
    }
    g.tag_gaps(SEA_HEAL, &gaps);
    lines
}

/// The tag indices of `g` that a search must not use: [`OUT_OF_REGION`] and `extra` (the
/// `volga-don` inland waterway for services of sea-going ships).
fn blocked_tags(g: &NetGraph, extra: &[&str]) -> Vec<u8> {
    g.tags
        .iter()
        .enumerate()
        .filter(|(_, t)| OUT_OF_REGION.contains(&t.as_str()) || *t == SEA_HEAL || extra.contains(&t.as_str()))
        .map(|(i, _)| i as u8)
        .collect()
}

/// The place of the index with exactly this code (a lookup by code may also find places whose
/// name or alias is that text).
fn place_by_code<'a>(places: &'a PlaceIndex, code: &str) -> Option<corridor_places::Place<'a>> {
    places.lookup(code, None).into_iter().map(|id| places.place(id)).find(|p| p.code == code)
}

/// Why a generated link is left out; `through` names the third country that has no node on its
/// path, when that is the reason (see [`transit_city`]).
struct Refused {
    why: String,
    through: Option<String>,
}

impl Refused {
    fn other(why: impl Into<String>) -> Refused {
        Refused { why: why.into(), through: None }
    }
}

/// Land borders open in one mode at the named posts only, with the reason (dated facts, as
/// `CLOSED_BORDERS`): a generated link of that mode must cross the border within
/// [`Config::same_crossing_km`] of one of the posts. Without this, the Murmansk line reached
/// Finland by the Salla branch, which no train crosses.
const SOLE_POSTS: [(&str, &str, &str, &[&str], &str); 1] = [(
    "FI",
    "RU",
    "rail",
    &["FIVAI", "XBRUBUS"],
    "Vainikkala–Buslovskaya is the only FI–RU rail crossing open to freight since Nov 2023 (RAILFREIGHT-2023-FIRU)",
)];

/// Checks a generated link: detour ratio, countries along the path, closed borders, passages.
#[allow(clippy::too_many_arguments)] // one call site; the inputs are the build's own tables
fn check_link(
    inp: &Inputs<'_>,
    cfg: &Config,
    g: &NetGraph,
    mode: &str,
    a: &Node,
    b: &Node,
    x: &Adjacency,
    closed: &Table,
    rules: &Rules,
) -> Result<(), Refused> {
    let gc = haversine_km((a.lat, a.lon), (b.lat, b.lon)).max(1.0);
    let max_ratio = if mode == "sea" { cfg.max_ratio_sea } else { cfg.max_ratio_land };
    if x.km > max_ratio * gc && x.km > 30.0 {
        return Err(Refused::other(format!("a detour of {:.0} km for {:.0} km great-circle", x.km, gc)));
    }
    if mode == "sea" {
        for &t in &x.tags {
            if g.tags[t as usize] == "suez" && a.code != "EGPSD" && b.code != "EGPSD" {
                return Err(Refused::other("passes the Suez Canal without calling at Port Said"));
            }
        }
        if let Some((_, _, why)) = corridor_model::regions::CLOSED_SEA
            .iter()
            .find(|(p, q, _)| (*p == a.country && *q == b.country) || (*q == a.country && *p == b.country))
        {
            return Err(Refused::other(format!("{}–{}: {why}", a.country, b.country)));
        }
        return Ok(());
    }
    if a.country != b.country {
        // A closed crossing of the overlay closes every link between places within 30 km of its
        // two sides (the posts and the stations or towns next to them).
        let near = |code: &str, n: &Node| {
            code == n.code
                || place_by_code(inp.places, code).is_some_and(|p| haversine_km((p.lat, p.lon), (n.lat, n.lon)) <= 30.0)
        };
        if let Some(r) = closed.rows.iter().find(|r| {
            get(r, "mode") == mode
                && get(r, "hours_mean").is_empty()
                && ((near(get(r, "from"), a) && near(get(r, "to"), b))
                    || (near(get(r, "from"), b) && near(get(r, "to"), a)))
        }) {
            return Err(Refused::other(format!("closed crossing: {}", get(r, "notes"))));
        }
        if let Some(why) = corridor_model::regions::closed_border(&a.country, &b.country, mode == "road") {
            return Err(Refused::other(format!("border {}–{} {why}", a.country, b.country)));
        }
        if let Some((.., posts, why)) = SOLE_POSTS.iter().find(|(p, q, m, ..)| {
            *m == mode && ((*p == a.country && *q == b.country) || (*q == a.country && *p == b.country))
        }) {
            let points: Vec<(f64, f64)> = x.path.iter().map(|&v| (g.lat[v as usize], g.lon[v as usize])).collect();
            let at = crossing_point(inp.countries, &points, &a.country, &b.country);
            let near_post = posts.iter().filter_map(|c| place_by_code(inp.places, c)).any(|p| match at {
                Some(at) => haversine_km(at, (p.lat, p.lon)) <= cfg.same_crossing_km,
                None => points.iter().any(|&q| haversine_km(q, (p.lat, p.lon)) <= cfg.same_crossing_path_km),
            });
            if !near_post {
                return Err(Refused::other(format!(
                    "crosses the {}–{} border away from its open post: {why}",
                    a.country, b.country
                )));
            }
        }
    }
    // Countries along the path, by km.
    let mut third: BTreeMap<String, f64> = BTreeMap::new();
    for w in x.path.windows(2) {
        let (u, v) = (w[0] as usize, w[1] as usize);
        let (mlat, mlon) = ((g.lat[u] + g.lat[v]) / 2.0, (g.lon[u] + g.lon[v]) / 2.0);
        if let Some(c) = inp.countries.locate(mlat, mlon) {
            let iso = inp.countries.iso2(c);
            if iso != a.country && iso != b.country {
                *third.entry(iso.to_owned()).or_default() += haversine_km((g.lat[u], g.lon[u]), (g.lat[v], g.lon[v]));
            }
        }
    }
    if mode == "rail" && rules.gauge(&a.country) != rules.gauge(&b.country) && x.km > cfg.max_gauge_link_km {
        // A break of gauge happens at a border station; a long link across one would run one
        // gauge deep into the other country.
        return Err(Refused::other(format!(
            "crosses a break of gauge ({} → {} mm) over {:.0} km with no border station on the way",
            rules.gauge(&a.country),
            rules.gauge(&b.country),
            x.km
        )));
    }
    // A territory closed to transit is refused however short the pass; 1 km spares a path that
    // only grazes the polygon, which the 1:50m coasts place up to a few km off.
    if let Some((c, km, why)) = third
        .iter()
        .filter(|&(_, km)| *km > 1.0)
        .find_map(|(c, km)| corridor_model::regions::no_transit(c).map(|why| (c, km, why)))
    {
        return Err(Refused::other(format!("passes {km:.0} km through {c}: {why}")));
    }
    if let Some((c, km)) = third.iter().find(|(_, km)| **km > cfg.third_country_km) {
        return Err(Refused {
            why: format!("passes {km:.0} km through {c}, which has no node on this path"),
            through: Some(c.clone()),
        });
    }
    Ok(())
}

/// A border crossing that a curated link or an overlay border row describes: where it crosses
/// the border, in which mode, and its rows, each with the direction (country to country) it
/// applies to (`None`: both).
struct KnownCrossing {
    mode: String,
    at: (f64, f64),
    /// What describes it (a curated link id, or the overlay's `from–to`), for the notes.
    what: String,
    /// The two countries it joins (either order): a crossing given only by `both` rows says
    /// them nowhere else.
    countries: (String, String),
    rows: Vec<(Option<(String, String)>, Row)>,
}

/// Where a line of `points` crosses from country `ca` into `cb` (or back): the first pair of
/// consecutive points located in the two, bisected along the segment to the border (to about
/// 100 m). `None` when no such pair exists (a border the polygons place elsewhere).
fn crossing_point(countries: &Countries, points: &[(f64, f64)], ca: &str, cb: &str) -> Option<(f64, f64)> {
    let iso = |p: (f64, f64)| countries.locate(p.0, p.1).map(|c| countries.iso2(c));
    let located: Vec<Option<&str>> = points.iter().map(|&p| iso(p)).collect();
    for (i, w) in located.windows(2).enumerate() {
        let (Some(x), Some(y)) = (w[0], w[1]) else { continue };
        if !((x == ca && y == cb) || (x == cb && y == ca)) {
            continue;
        }
        let (p, q) = bisect_border(points[i], points[i + 1], |m| iso(m) == Some(x), 0.1);
        return Some(((p.0 + q.0) / 2.0, (p.1 + q.1) / 2.0));
    }
    None
}

/// Narrows the segment `p`–`q`, whose `p` end lies on the side `on_p_side` accepts and whose `q`
/// end does not, to the two points that bracket the border: at most 24 halvings, stopping once
/// they are less than `stop_km` apart.
fn bisect_border(
    mut p: (f64, f64),
    mut q: (f64, f64),
    on_p_side: impl Fn((f64, f64)) -> bool,
    stop_km: f64,
) -> ((f64, f64), (f64, f64)) {
    for _ in 0..24 {
        let m = ((p.0 + q.0) / 2.0, (p.1 + q.1) / 2.0);
        if on_p_side(m) {
            p = m
        } else {
            q = m
        }
        if haversine_km(p, q) < stop_km {
            break;
        }
    }
    (p, q)
}

/// The shares of a path's length in country `ca` and in country `cb`, summing to one: a
/// segment between two points of one side counts for that side, one between the two sides is
/// split where it crosses (bisected on the polygons, as [`crossing_point`]), and a point in
/// neither (over the sea, off the polygons) belongs to the side before it (`ca` at the start).
/// A generated link's path leaves no third country ([`build`] refuses those), so two shares
/// cover it.
fn side_shares(countries: &Countries, points: &[(f64, f64)], ca: &str, cb: &str) -> [f64; 2] {
    let side_of = |p: (f64, f64)| match countries.locate(p.0, p.1).map(|c| countries.iso2(c)) {
        Some(c) if c == ca => Some(0usize),
        Some(c) if c == cb => Some(1usize),
        _ => None,
    };
    let mut km = [0.0f64; 2];
    let mut prev = side_of(points[0]).unwrap_or(0);
    for w in points.windows(2) {
        let len = haversine_km(w[0], w[1]);
        let next = side_of(w[1]).unwrap_or(prev);
        if next == prev {
            km[prev] += len;
        } else {
            let (at, _) = bisect_border(w[0], w[1], |m| side_of(m).unwrap_or(prev) == prev, 0.0);
            let before = haversine_km(w[0], at).min(len);
            km[prev] += before;
            km[next] += len - before;
        }
        prev = next;
    }
    let total = km[0] + km[1];
    if total > 0.0 { [km[0] / total, km[1] / total] } else { [1.0, 0.0] }
}

/// The crossings the curated network and the overlay's border rows describe (see
/// [`KnownCrossing`]), so that a generated link across the same post takes their figures
/// instead of a proxy: a generated road Ganja–Gardabani crosses at the Red Bridge, whose
/// curated GE→AZ time is 54.9 h, not the CAREC average of 9.9 h.
#[allow(clippy::too_many_arguments)] // one call site; the build's own tables
fn known_crossings(
    inp: &Inputs<'_>,
    nodes: &[Node],
    links: &Table,
    locations: &Table,
    borders: &Table,
    geometry: &Table,
    ov: &Table,
    max_km: f64,
) -> Vec<KnownCrossing> {
    let country = |code: &str| -> Option<String> {
        locations.rows.iter().find(|r| get(r, "id") == code).map(|r| get(r, "country").to_owned())
    };
    let position = |code: &str| -> Option<(f64, f64)> {
        if let Some(n) = nodes.iter().find(|n| n.code == code) {
            return Some((n.lat, n.lon));
        }
        let r = locations.rows.iter().find(|r| get(r, "id") == code)?;
        Some((get(r, "lat").parse().ok()?, get(r, "lon").parse().ok()?))
    };
    let mut out: Vec<KnownCrossing> = Vec::new();
    // Curated links with border rows, grouped by link.
    let mut by_link: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for r in &borders.rows {
        by_link.entry(get(r, "link")).or_default().push(r);
    }
    for (link, rows) in by_link {
        let Some(l) = links.rows.iter().find(|r| get(r, "id") == link) else { continue };
        let mode = get(l, "mode");
        if mode != "rail" && mode != "road" {
            continue;
        }
        let (from, to) = (get(l, "from"), get(l, "to"));
        let (Some(cf), Some(ct)) = (country(from), country(to)) else { continue };
        if cf == ct {
            continue;
        }
        let line = geometry
            .rows
            .iter()
            .find(|r| get(r, "link") == link)
            .and_then(|r| corridor_io::polyline::decode(get(r, "polyline")).ok())
            .filter(|p| p.len() >= 2)
            .or_else(|| Some(vec![position(from)?, position(to)?]));
        // A short link between two posts whose line the polygons do not cut (Natural Earth's
        // 1:50m border a few km off): the posts' midpoint.
        let ends = position(from).zip(position(to));
        let short = ends
            .filter(|&(p, q)| haversine_km(p, q) <= 2.0 * max_km)
            .map(|(p, q)| ((p.0 + q.0) / 2.0, (p.1 + q.1) / 2.0));
        let Some(at) = line.and_then(|p| crossing_point(inp.countries, &p, &cf, &ct)).or(short) else { continue };
        let rows = directed(&rows, &cf, &ct);
        let what = format!("the curated link {link}");
        out.push(KnownCrossing { mode: mode.to_owned(), at, what, countries: (cf, ct), rows });
    }
    // The overlay's border rows with figures, by pair of posts.
    let mut by_pair: BTreeMap<(&str, &str, &str), Vec<&Row>> = BTreeMap::new();
    for r in ov.rows.iter().filter(|r| !get(r, "hours_mean").is_empty()) {
        by_pair.entry((get(r, "from"), get(r, "to"), get(r, "mode"))).or_default().push(r);
    }
    for ((from, to, mode), rows) in by_pair {
        let (Some(pf), Some(pt)) = (position(from), position(to)) else { continue };
        let cf = nodes.iter().find(|n| n.code == from).map(|n| n.country.clone()).or_else(|| country(from));
        let ct = nodes.iter().find(|n| n.code == to).map(|n| n.country.clone()).or_else(|| country(to));
        let (Some(cf), Some(ct)) = (cf, ct) else { continue };
        if cf == ct {
            continue;
        }
        // The posts face each other across the border: where the line between them crosses it
        // (their midpoint when the polygons put the border elsewhere).
        let at =
            crossing_point(inp.countries, &[pf, pt], &cf, &ct).unwrap_or(((pf.0 + pt.0) / 2.0, (pf.1 + pt.1) / 2.0));
        let rows = directed(&rows, &cf, &ct);
        let what = format!("the overlay's {from}–{to}");
        out.push(KnownCrossing { mode: mode.to_owned(), at, what, countries: (cf, ct), rows });
    }
    out
}

/// Border rows with the direction each applies to, as countries (`cf` → `ct` is `forward`;
/// `None`: both).
fn directed(rows: &[&Row], cf: &str, ct: &str) -> Vec<(Option<(String, String)>, Row)> {
    rows.iter()
        .map(|r| {
            let dir = match get(r, "direction") {
                "forward" => Some((cf.to_owned(), ct.to_owned())),
                "reverse" => Some((ct.to_owned(), cf.to_owned())),
                _ => None,
            };
            (dir, (*r).clone())
        })
        .collect()
}

/// The known crossing a generated link `a`→`b` of `mode` passes: the nearest one in the same
/// mode between the same two countries whose crossing point lies within `max_km` of one of the
/// points `at` (the link's crossing point, or its whole path).
fn same_crossing<'k>(
    known: &'k [KnownCrossing],
    mode: &str,
    a: &Node,
    b: &Node,
    at: &[(f64, f64)],
    max_km: f64,
) -> Option<&'k KnownCrossing> {
    let pair = |c: &KnownCrossing| {
        let (x, y) = &c.countries;
        (*x == a.country && *y == b.country) || (*x == b.country && *y == a.country)
    };
    known
        .iter()
        .filter(|c| c.mode == mode && pair(c))
        .map(|c| (at.iter().map(|&p| haversine_km(c.at, p)).fold(f64::INFINITY, f64::min), c))
        .filter(|(d, _)| *d <= max_km)
        .min_by(|x, y| x.0.total_cmp(&y.0))
        .map(|(_, c)| c)
}

/// `EST-P90-LOGN`: P90 = 1.9 × mean where a source gives one typical value.
const P90_OVER_MEAN: f64 = 1.9;
/// The CAREC 2022 all-road BCP time (hours), the proxy where no side is known.
const CAREC_ROAD_H: f64 = 9.9;
/// The CAREC 2022 all-road BCP cost (USD per truck), where CPMM gives no cost for either side.
const CAREC_ROAD_USD: f64 = 208.0;

/// A number with at most one decimal, as the data files write hours and dollars.
fn fmt_h(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r.fract() == 0.0 { format!("{r:.0}") } else { format!("{r:.1}") }
}

/// One side of a road border post: a country's CAREC road BCP time (and cost) for trucks
/// leaving or entering it (`overlay/road_bcp.csv`).
#[derive(Clone, Debug)]
struct RoadSide {
    /// The neighbours whose posts the figure covers (empty: all). CPMM's PRC figures are from
    /// the CAREC part of China (Xinjiang and Inner Mongolia), not from its posts to Russia,
    /// Vietnam or Hong Kong.
    partners: BTreeSet<String>,
    hours: f64,
    usd: Option<f64>,
    src: String,
    year: String,
}

/// The national road BCP times per country and side. CPMM reports them per country, so a
/// crossing between two members is the exporter's outbound side plus the importer's inbound
/// side, as on the curated Irkeshtam, Torugart, Khunjerab and Alashankou rows.
#[derive(Default, Debug)]
struct RoadSides {
    outbound: BTreeMap<String, RoadSide>,
    inbound: BTreeMap<String, RoadSide>,
}

/// A crossing summed from two sides.
struct SummedCrossing {
    hours: f64,
    usd: Option<f64>,
    src: String,
    note: String,
}

impl RoadSides {
    fn parse(t: &Table) -> Result<RoadSides, ImportError> {
        const FILE: &str = "overlay/road_bcp.csv";
        let mut sides = RoadSides::default();
        for (i, r) in t.rows.iter().enumerate() {
            let line = i + 2;
            let num = |k: &str, max: f64| -> Result<Option<f64>, ImportError> {
                let v = get(r, k);
                if v.is_empty() {
                    return Ok(None);
                }
                match v.parse::<f64>() {
                    Ok(x) if x.is_finite() && (0.0..=max).contains(&x) => Ok(Some(x)),
                    _ => Err(ImportError::field(FILE, line, k, format!("{v:?} is not a number in 0–{max}"))),
                }
            };
            let hours = num("hours_mean", 24.0 * 60.0)?
                .ok_or_else(|| ImportError::field(FILE, line, "hours_mean", "missing".to_owned()))?;
            let side = RoadSide {
                partners: get(r, "partners").split('|').filter(|p| !p.is_empty()).map(str::to_owned).collect(),
                hours,
                usd: num("usd_feu", 100_000.0)?,
                src: get(r, "src").to_owned(),
                year: get(r, "year").to_owned(),
            };
            if side.src.is_empty() {
                return Err(ImportError::field(FILE, line, "src", "every figure needs a source id".to_owned()));
            }
            let country = get(r, "country").to_owned();
            let (out, inn) = match get(r, "direction") {
                "outbound" => (true, false),
                "inbound" => (false, true),
                "both" => (true, true),
                d => {
                    return Err(ImportError::field(
                        FILE,
                        line,
                        "direction",
                        format!("{d:?} is not outbound, inbound or both"),
                    ));
                }
            };
            for (on, map) in [(out, &mut sides.outbound), (inn, &mut sides.inbound)] {
                if on && map.insert(country.clone(), side.clone()).is_some() {
                    return Err(ImportError::field(
                        FILE,
                        line,
                        "country",
                        format!("{country} given twice for one side"),
                    ));
                }
            }
        }
        Ok(sides)
    }

    /// A truck crossing from `from` into `to`: the sum of the two sides when both are known.
    /// When one is, that side alone is a lower bound of the crossing, so the crossing takes it
    /// where it exceeds the CAREC all-road average (Afghanistan's 19.5 h, China's outbound
    /// 20.8 h). `None` when the sides say nothing the proxy does not: neither is known, or the
    /// one known is below the average (a 0.3 h side says nothing of the other side).
    fn crossing(&self, from: &str, to: &str) -> Option<SummedCrossing> {
        let covers = |s: &&RoadSide, other: &str| s.partners.is_empty() || s.partners.contains(other);
        let (o, i) =
            (self.outbound.get(from).filter(|s| covers(s, to)), self.inbound.get(to).filter(|s| covers(s, from)));
        let side = |s: &RoadSide, what: String| SummedCrossing {
            hours: s.hours,
            usd: s.usd,
            src: format!("{}|EST-P90-LOGN", s.src),
            note: format!(
                "CAREC national road BCP time of one side only: {what} {} h ({}); the other side has no CPMM figure, so this is a lower bound",
                fmt_h(s.hours),
                s.year
            ),
        };
        let (o, i) = match (o, i) {
            (None, None) => return None,
            (Some(o), None) | (None, Some(o)) if o.hours <= CAREC_ROAD_H => return None,
            (Some(o), None) => return Some(side(o, format!("{from} outbound"))),
            (None, Some(i)) => return Some(side(i, format!("{to} inbound"))),
            (Some(o), Some(i)) => (o, i),
        };
        let usd = match (o.usd, i.usd) {
            (None, None) => None,
            (x, y) => Some(x.unwrap_or(0.0) + y.unwrap_or(0.0)),
        };
        let mut src: Vec<&str> = o.src.split('|').chain(i.src.split('|')).collect();
        if usd.is_none() {
            src.push("CAREC-CPMM-2022-ROAD");
        }
        src.push("EST-P90-LOGN");
        let mut seen = BTreeSet::new();
        src.retain(|s| seen.insert(*s));
        let cost = match usd {
            Some(_) => "cost = the sides' CPMM costs",
            None => "cost = CAREC 2022 road average USD 208 (no side cost in CPMM)",
        };
        Some(SummedCrossing {
            hours: o.hours + i.hours,
            usd,
            src: src.join("|"),
            note: format!(
                "CAREC national road BCP sums: {from} outbound {} h ({}) + {to} inbound {} h ({}); {cost}",
                fmt_h(o.hours),
                o.year,
                fmt_h(i.hours),
                i.year
            ),
        })
    }
}

/// The cities of at least [`Config::coverage_population`] people in a covered country with no
/// node of their country within [`Config::coverage_km`], largest first; a city taken serves the
/// smaller ones around it. Border posts serve no one: nothing is loaded there. Without these,
/// a shipment from Arkhangelsk (350,000 people, a port and a railway terminus) reached the
/// network by an estimated 831 km truck leg to St Petersburg.
fn coverage_cities(
    places: &corridor_places::PlaceIndex,
    covered: &BTreeSet<String>,
    nodes: &[Node],
    cfg: &Config,
) -> Vec<(corridor_places::PlaceId, String)> {
    let mut cities: Vec<_> = places
        .iter()
        .filter(|p| p.population >= cfg.coverage_population && covered.contains(p.country))
        .map(|p| (std::cmp::Reverse(p.population), p.code.to_owned(), p.id))
        .collect();
    cities.sort();
    let mut served: Vec<(&str, f64, f64)> =
        nodes.iter().filter(|n| !n.code.starts_with("XB")).map(|n| (n.country.as_str(), n.lat, n.lon)).collect();
    let mut out = Vec::new();
    for (pop, _, id) in cities {
        let p = places.place(id);
        let far = |&(c, lat, lon): &(&str, f64, f64)| {
            c != p.country || haversine_km((lat, lon), (p.lat, p.lon)) > cfg.coverage_km
        };
        if served.iter().all(far) {
            served.push((p.country, p.lat, p.lon));
            let named = locode_city(places, id, cfg.merge_km);
            out.push((named, format!("city of {} people with no other node within {} km", pop.0, cfg.coverage_km)));
        }
    }
    out
}

/// The place to make a node of for city `id`. GeoNames counts some cities as their district or
/// prefecture ("Chéngguān Qū" is Lhasa's central district): a GeoNames city whose name UN/LOCODE
/// does not know is the UN/LOCODE city within `km` of it, if any, the name users will type.
/// Belfast keeps its own place, though Newtownabbey lies closer than UN/LOCODE's Belfast point.
fn locode_city(places: &PlaceIndex, id: corridor_places::PlaceId, km: f64) -> corridor_places::PlaceId {
    let p = places.place(id);
    let locode = |q: &corridor_places::Place<'_>| !q.code.starts_with("GN");
    if locode(&p) || places.lookup(p.name, Some(p.country)).iter().any(|&q| locode(&places.place(q))) {
        return id;
    }
    places
        .nearest(p.lat, p.lon, 1, |q| locode(q) && q.country == p.country && q.functions.contains(Functions::CITY))
        .first()
        .filter(|&&(_, d)| d <= km)
        .map_or(id, |&(q, _)| q)
}

/// The CAREC 2022 all-road BCP average as a stated proxy (`EST-BORDER-CAREC-PROXY`).
fn proxy_crossing() -> SummedCrossing {
    SummedCrossing {
        hours: CAREC_ROAD_H,
        usd: Some(CAREC_ROAD_USD),
        src: "CAREC-CPMM-2022-ROAD|EST-P90-LOGN|EST-BORDER-CAREC-PROXY".to_owned(),
        note: "CAREC road BCP average 2022 as proxy".to_owned(),
    }
}

/// What a generated link carries across a border: its mode, and for rail whether the two
/// railways' gauges differ. A break of gauge is timed twice over: the change itself as a transfer
/// at the changing station, and the queue for it (the transshipment yards' capacity) in the
/// crossing's dwell.
#[derive(Clone, Copy, Debug)]
struct CrossingKind<'a> {
    mode: &'a str,
    break_of_gauge: bool,
}

impl<'a> CrossingKind<'a> {
    /// A crossing of `mode`, with a break of gauge or not (never on a road).
    fn new(mode: &'a str, break_of_gauge: bool) -> Self {
        CrossingKind { mode, break_of_gauge: break_of_gauge && mode == "rail" }
    }
}

/// The CAREC-measured same-gauge rail crossing Saryagash–Keles, the proxy for a rail crossing
/// with one gauge on both sides and no figure of its own (`EST-BORDER-SAME-GAUGE`): KZ rail
/// outbound 6.8 h (2022) + UZ rail inbound 6.7 h (2023), P90 by `EST-P90-LOGN`, and the CAREC
/// all-rail cost.
const SAME_GAUGE_RAIL: (&str, &str, &str) = ("13.5", "26", "215");

/// The overlay's border rows of `mode` between `a` and `b` (either way round), as border rows of
/// `link` from `a` to `b`: a row's direction is flipped where it names the ends the other way,
/// and a row without a name takes `name`. Empty where the overlay has none for the pair.
fn overlay_border_rows(
    ov: &Table,
    mode: &str,
    a: &Node,
    b: &Node,
    link: &str,
    name: &str,
) -> Vec<Vec<(&'static str, String)>> {
    let mut out = Vec::new();
    for r in ov.rows.iter().filter(|r| get(r, "mode") == mode && !get(r, "hours_mean").is_empty()) {
        let (f, t) = (get(r, "from"), get(r, "to"));
        let dir = if f == a.code && t == b.code {
            get(r, "direction").to_owned()
        } else if f == b.code && t == a.code {
            match get(r, "direction") {
                "forward" => "reverse".to_owned(),
                "reverse" => "forward".to_owned(),
                d => d.to_owned(),
            }
        } else {
            continue;
        };
        out.push(vec![
            ("id", format!("b-{link}")),
            ("name", if get(r, "name").is_empty() { name.to_owned() } else { get(r, "name").to_owned() }),
            ("link", link.to_owned()),
            ("direction", if dir.is_empty() { "both".into() } else { dir }),
            ("hours_mean", get(r, "hours_mean").to_owned()),
            ("hours_p90", get(r, "hours_p90").to_owned()),
            ("usd_teu", get(r, "usd_teu").to_owned()),
            ("usd_feu", get(r, "usd_feu").to_owned()),
            ("src", get(r, "src").to_owned()),
            ("notes", get(r, "notes").to_owned()),
            ("hold_p", get(r, "hold_p").to_owned()),
            ("hold_mean_h", get(r, "hold_mean_h").to_owned()),
            ("hold_p90_h", get(r, "hold_p90_h").to_owned()),
            ("hold_src", get(r, "hold_src").to_owned()),
        ]);
    }
    out
}

/// The border rows of a generated link `a`→`b` of `kind`: the overlay's facts for the pair, else
/// those of a known crossing at the same post (`same`), else the customs union's technical
/// stop, else for a road post between two countries whose CAREC road BCP times are known per
/// side the sum of the exporter's outbound and the importer's inbound time (`sides`), else for
/// rail with one gauge on both sides the measured same-gauge crossing, else the CAREC averages
/// as a stated proxy.
fn border_row(
    ov: &Table,
    sides: &RoadSides,
    kind: CrossingKind<'_>,
    a: &Node,
    b: &Node,
    link: &str,
    same: Option<&KnownCrossing>,
) -> Vec<Vec<(&'static str, String)>> {
    let mode = kind.mode;
    let name = format!("{}–{}", a.name, b.name);
    let id = format!("b-{link}");
    let mut out = overlay_border_rows(ov, mode, a, b, link, &name);
    if !out.is_empty() {
        return out;
    }
    if let Some(k) = same {
        for (dir, r) in &k.rows {
            let direction = match dir {
                None => "both".to_owned(),
                Some((x, _)) if *x == a.country => "forward".to_owned(),
                Some(_) => "reverse".to_owned(),
            };
            out.push(vec![
                ("id", id.clone()),
                ("name", get(r, "name").to_owned()),
                ("link", link.to_owned()),
                ("direction", direction),
                ("hours_mean", get(r, "hours_mean").to_owned()),
                ("hours_p90", get(r, "hours_p90").to_owned()),
                ("usd_teu", get(r, "usd_teu").to_owned()),
                ("usd_feu", get(r, "usd_feu").to_owned()),
                ("src", get(r, "src").to_owned()),
                ("notes", format!("generated link across the post of {}: its figures. {}", k.what, get(r, "notes"))),
                ("hold_p", get(r, "hold_p").to_owned()),
                ("hold_mean_h", get(r, "hold_mean_h").to_owned()),
                ("hold_p90_h", get(r, "hold_p90_h").to_owned()),
                ("hold_src", get(r, "hold_src").to_owned()),
            ]);
        }
        return out;
    }
    if mode == "road" && !same_customs_union(&a.country, &b.country) {
        let summed =
            [("forward", sides.crossing(&a.country, &b.country)), ("reverse", sides.crossing(&b.country, &a.country))];
        if summed.iter().any(|(_, c)| c.is_some()) {
            // A direction the sides say nothing about keeps the proxy.
            for (direction, c) in summed {
                let c = c.unwrap_or_else(proxy_crossing);
                out.push(vec![
                    ("id", id.clone()),
                    ("name", name.clone()),
                    ("link", link.to_owned()),
                    ("direction", direction.into()),
                    ("hours_mean", fmt_h(c.hours)),
                    ("hours_p90", fmt_h(c.hours * P90_OVER_MEAN)),
                    ("usd_teu", String::new()),
                    ("usd_feu", fmt_h(c.usd.unwrap_or(CAREC_ROAD_USD))),
                    ("src", c.src),
                    ("notes", format!("generated crossing; {}", c.note)),
                ]);
            }
            return out;
        }
    }
    let swiss = |x: &str, y: &str| x == "CH" && corridor_model::regions::EU.contains(&y);
    let (mean, p90, usd, src, note) = if swiss(&a.country, &b.country) || swiss(&b.country, &a.country) {
        // Switzerland is outside the EU customs union but inside its transit and customs
        // security arrangements: goods in transit are declared before the border.
        if mode == "rail" {
            (
                "0.5",
                "1",
                "0",
                "EST-BORDER-CH|SBBCARGO-2018-CHIASSO|EST-BORDER-EU",
                "Switzerland–EU: transit trains clear customs before the border and pass without a customs stop (SBB Cargo 2018); the crew/locomotive change as at EU internal borders",
            )
        } else {
            (
                "0.75",
                "2",
                "0",
                "EST-BORDER-CH|SRF-2021-CHIASSO",
                "Switzerland–EU road transit procedure: about 20 minutes at most Swiss crossings, 2 hours at Chiasso (SRF 2021)",
            )
        }
    } else if matches!((a.country.as_str(), b.country.as_str()), ("IE", "GB") | ("GB", "IE")) {
        // The United Kingdom's only land border with the EU, in Northern Ireland: open under
        // the Good Friday Agreement, the customs checks of goods from Great Britain are made at
        // the Northern Irish ports instead (Northern Ireland Protocol, Windsor Framework).
        (
            "0.5",
            "1",
            "0",
            "FORDHAM-2023-WINDSOR|EST-BORDER-EU",
            "Ireland–Northern Ireland: an open border, no customs stop (customs checks are made at the Northern Irish ports); the technical stop of an EU internal border",
        )
    } else if same_customs_union(&a.country, &b.country) {
        let eu = corridor_model::regions::EU.contains(&a.country.as_str());
        if eu {
            ("0.5", "1", "0", "EST-BORDER-EU", "EU internal border: no customs control")
        } else {
            ("2", "4", "0", "EST-BORDER-EAEU", "EAEU internal border: no customs control")
        }
    } else if mode == "rail" && !kind.break_of_gauge {
        // The all-rail average below is weighed by the China–Kazakhstan breaks of gauge (KZ
        // inbound 78 h, PRC 35 h in 2022); no train is transshipped here.
        (
            SAME_GAUGE_RAIL.0,
            SAME_GAUGE_RAIL.1,
            SAME_GAUGE_RAIL.2,
            "CAREC-CPMM-2022-KZ|CAREC-CPMM-2023-UZ|EST-P90-LOGN|EST-BORDER-SAME-GAUGE",
            "one gauge on both sides: the measured same-gauge crossing Saryagash–Keles (KZ outbound 6.8 h + UZ inbound 6.7 h) as proxy",
        )
    } else if mode == "rail" {
        (
            "40.6",
            "77.1",
            "215",
            "CAREC-CPMM-2022-RAIL|EST-P90-LOGN|EST-BORDER-CAREC-PROXY",
            "break of gauge: CAREC all-rail BCP average 2022 as proxy",
        )
    } else {
        (
            "9.9",
            "18.8",
            "208",
            "CAREC-CPMM-2022-ROAD|EST-P90-LOGN|EST-BORDER-CAREC-PROXY",
            "CAREC road BCP average 2022 as proxy",
        )
    };
    out.push(vec![
        ("id", id),
        ("name", name),
        ("link", link.to_owned()),
        ("direction", "both".into()),
        ("hours_mean", mean.into()),
        ("hours_p90", p90.into()),
        ("usd_teu", if usd == "0" { "0".into() } else { String::new() }),
        ("usd_feu", usd.into()),
        ("src", src.into()),
        ("notes", format!("generated crossing; {note}")),
    ]);
    out
}

/// A gauge change at `loc`: the overlay's row, else the Dostyk figures as the dataset's proxy.
fn gauge_change(ov: &Table, loc: &str, from: &str, to: &str) -> Vec<(&'static str, String)> {
    if let Some(r) = ov.rows.iter().find(|r| {
        get(r, "location") == loc
            && ((get(r, "from_platform") == from && get(r, "to_platform") == to)
                || (get(r, "from_platform") == to && get(r, "to_platform") == from))
    }) {
        return ["kind", "hours_mean", "hours_p90", "usd_teu", "usd_feu", "src", "oneway", "notes"]
            .iter()
            .map(|k| (*k, get(r, k).to_owned()))
            .collect();
    }
    vec![
        ("kind", "transshipment".into()),
        ("hours_mean", "4.25".into()),
        ("hours_p90", "8.07".into()),
        ("usd_teu", String::new()),
        ("usd_feu", "329".into()),
        ("src", "EST-GAUGE-PROXY|EST-P90-LOGN".into()),
        ("oneway", String::new()),
        ("notes", "generated break of gauge; no site figure: the Dostyk processing time and cost as proxy".into()),
    ]
}

/// Adds a transfer row unless the location already has one between the two platforms.
fn add_transfer(
    t: &mut Table,
    seen: &mut BTreeSet<(String, String, String)>,
    loc: &str,
    from: &str,
    to: &str,
    row: Vec<(&'static str, String)>,
) {
    if !claim_transfer(seen, loc, from, to) {
        return;
    }
    let mut full =
        vec![("location", loc.to_owned()), ("from_platform", from.to_owned()), ("to_platform", to.to_owned())];
    full.extend(row);
    t.push(&full);
}

/// Claims the transfer between two platforms of a location (either way round) for a new row:
/// false if one is there already.
fn claim_transfer(seen: &mut BTreeSet<(String, String, String)>, loc: &str, from: &str, to: &str) -> bool {
    let rk = (loc.to_owned(), to.to_owned(), from.to_owned());
    !seen.contains(&rk) && seen.insert((loc.to_owned(), from.to_owned(), to.to_owned()))
}

fn transship_row() -> Vec<(&'static str, String)> {
    vec![
        ("kind", "transshipment".into()),
        ("hours_mean", "12".into()),
        ("hours_p90", "22.8".into()),
        ("usd_teu", "50".into()),
        ("usd_feu", "50".into()),
        ("src", "EST-TRANSSHIP-RAILROAD|EST-P90-LOGN|EST-LIFT-RAILROAD".into()),
        ("oneway", String::new()),
        ("notes", "crane lift and gate-out/in at an inland terminal; one lift USD 50 per container".into()),
    ]
}

/// Quay handling at a generated port, both ways: the terminal dwell. The wait for a liner's
/// departure is the first sailing's (a generated lane has the weekly headway).
fn port_row() -> Vec<(&'static str, String)> {
    vec![
        ("kind", "port_handling".into()),
        ("hours_mean", "48".into()),
        ("hours_p90", "91.2".into()),
        ("usd_teu", "123".into()),
        ("usd_feu", "186".into()),
        ("src", "EST-PORT-DWELL-DEEPSEA|EST-P90-LOGN|PMO-IR-THC|EST-THC-PROXY".into()),
        ("oneway", String::new()),
        ("notes", "generated port: 48 h terminal dwell incl. customs release; one THC (proxy)".into()),
    ]
}

/// A curated link's (speed, its source, tariff, its source, emission factor).
type Facts = (String, String, String, String);

/// Speeds, tariffs, emission factors and gauges per (mode, country).
struct Rules {
    land: BTreeMap<(String, String), Rule>,
    gauges: BTreeMap<String, u16>,
    sea: Rule,
    /// The late-arrival regime of a liner voyage (`hold_p`, `hold_mean_h`, `hold_p90_h`,
    /// `hold_src`): the most common one of the curated deep-sea links with a departure headway,
    /// given to every generated liner lane (drawn once per voyage, where it is loaded).
    sea_hold: [String; 4],
}

impl Rules {
    fn new(t: &Table, links: &Table, nodes: &[Node], by_code: &HashMap<String, usize>) -> Rules {
        let mut land = BTreeMap::new();
        let mut gauges = BTreeMap::new();
        // Most common curated value per (mode, country) over links inside one country.
        let mut counts: BTreeMap<(String, String), BTreeMap<Facts, usize>> = BTreeMap::new();
        let mut sea_counts: BTreeMap<Facts, usize> = BTreeMap::new();
        let mut hold_counts: BTreeMap<[String; 4], usize> = BTreeMap::new();
        for r in &links.rows {
            if get(r, "mode") == "sea"
                && get(r, "emission_factor") == "sea-container"
                && !get(r, "headway_h").is_empty()
                && !get(r, "hold_p").is_empty()
            {
                let h = ["hold_p", "hold_mean_h", "hold_p90_h", "hold_src"].map(|k| get(r, k).to_owned());
                *hold_counts.entry(h).or_default() += 1;
            }
            let (Some(&a), Some(&b)) = (by_code.get(get(r, "from")), by_code.get(get(r, "to"))) else { continue };
            let tuple = (
                get(r, "speed_kmh").to_owned(),
                get(r, "time_src").to_owned(),
                get(r, "price").to_owned(),
                get(r, "emission_factor").to_owned(),
            );
            if tuple.0.is_empty() || tuple.2.is_empty() {
                continue;
            }
            let mode = get(r, "mode");
            if mode == "sea" && get(r, "emission_factor") == "sea-container" {
                *sea_counts.entry(tuple).or_default() += 1;
            } else if (mode == "rail" || mode == "road") && nodes[a].country == nodes[b].country {
                *counts.entry((mode.to_owned(), nodes[a].country.clone())).or_default().entry(tuple).or_default() += 1;
            }
            if mode == "rail"
                && nodes[a].country == nodes[b].country
                && let Some(g) = get(r, "platform").strip_prefix("rail").and_then(|g| g.parse().ok())
            {
                gauges.entry(nodes[a].country.clone()).or_insert(g);
            }
        }
        let pick = |m: &BTreeMap<Facts, usize>| {
            let (t, _) = m.iter().max_by(|x, y| x.1.cmp(y.1).then(y.0.cmp(x.0)))?;
            Some(Rule {
                speed: t.0.clone(),
                speed_src: t.1.clone(),
                daily: String::new(),
                price: t.2.clone(),
                emission: t.3.clone(),
            })
        };
        for (k, m) in &counts {
            if let Some(r) = pick(m) {
                land.insert(k.clone(), r);
            }
        }
        // The overlay's rules win over the curated-derived ones.
        for r in &t.rows {
            let key = (get(r, "mode").to_owned(), get(r, "country").to_owned());
            let gauge = get(r, "gauge_mm").parse::<u16>().ok();
            if let Some(g) = gauge {
                gauges.insert(key.1.clone(), g);
            }
            let old = land.get(&key).cloned();
            let or =
                |v: &str, f: Option<&String>| if v.is_empty() { f.cloned().unwrap_or_default() } else { v.to_owned() };
            let rule = Rule {
                speed: or(get(r, "speed_kmh"), old.as_ref().map(|o| &o.speed)),
                speed_src: or(get(r, "speed_src"), old.as_ref().map(|o| &o.speed_src)),
                daily: or(get(r, "driving_h_day"), old.as_ref().map(|o| &o.daily)),
                price: or(get(r, "price"), old.as_ref().map(|o| &o.price)),
                emission: or(get(r, "emission_factor"), old.as_ref().map(|o| &o.emission)),
            };
            if !rule.speed.is_empty() && !rule.price.is_empty() {
                land.insert(key, rule);
            }
        }
        let sea = pick(&sea_counts).unwrap_or(Rule {
            speed: "23.4".into(),
            speed_src: "EST-SPEED-LINER-CALLS".into(),
            daily: String::new(),
            price: "sea-deepsea".into(),
            emission: "sea-container".into(),
        });
        let sea_hold = hold_counts
            .iter()
            .max_by(|x, y| x.1.cmp(y.1).then(y.0.cmp(x.0)))
            .map(|(h, _)| h.clone())
            .unwrap_or_default();
        Rules { land, gauges, sea, sea_hold }
    }

    /// The platform gauge of a country's railways. 1524 mm (Finland) runs on 1520 mm track and
    /// the reverse without a transfer, so it is one platform.
    fn gauge(&self, country: &str) -> u16 {
        match self.gauges.get(country).copied().unwrap_or(1435) {
            1524 => 1520,
            g => g,
        }
    }

    fn sea(&self) -> &Rule {
        &self.sea
    }

    /// The rule of a land path with `shares` of its length in countries `ca` and `cb`
    /// ([`side_shares`]): the speed is the two speeds blended by time (each km at its side's
    /// speed, so that 140 km in Kazakhstan at 39.2 km/h and 427 km in Turkmenistan at 23.1 km/h
    /// run at 25.8 km/h, not at the origin's 39.2), with both sources; the price class, the
    /// emission factor and the drivers' daily hours are those of the side with the longer share
    /// (a link has one of each). Before, the origin's rule held for the whole path, and the same
    /// line ran at another speed when the build happened to name it from the other end.
    fn across(&self, mode: &str, shares: &[f64; 2], ca: &str, cb: &str) -> Rule {
        let (ra, rb) = (self.land(mode, ca), self.land(mode, cb));
        let (Ok(sa), Ok(sb)) = (ra.speed.parse::<f64>(), rb.speed.parse::<f64>()) else { return ra };
        let blended = (sa > 0.0 && sb > 0.0 && ra.speed != rb.speed).then(|| {
            let src = if ra.speed_src == rb.speed_src {
                ra.speed_src.clone()
            } else {
                format!("{}|{}", ra.speed_src, rb.speed_src)
            };
            (format!("{:.1}", 1.0 / (shares[0] / sa + shares[1] / sb)), src)
        });
        let mut r = if shares[1] > shares[0] { rb } else { ra };
        if let Some((speed, src)) = blended {
            r.speed = speed;
            r.speed_src = src;
        }
        r
    }

    fn land(&self, mode: &str, country: &str) -> Rule {
        if let Some(r) = self.land.get(&(mode.to_owned(), country.to_owned())) {
            return r.clone();
        }
        if mode == "rail" {
            Rule {
                speed: "31.2".into(),
                speed_src: "EST-SPEED-RAIL-PROXY".into(),
                daily: String::new(),
                price: if self.gauge(country) == 1520 { "rail-1520" } else { "rail-1435" }.into(),
                emission: "rail-diesel".into(),
            }
        } else {
            Rule {
                speed: "60".into(),
                speed_src: "EST-SPEED-ROAD".into(),
                daily: String::new(),
                price: "road-carec".into(),
                emission: "road-truck".into(),
            }
        }
    }
}

/// Reads searoute's network ([`crate::searoute::read_searoute_passages`]) with its passages as
/// arc tags (`suez`, `northwest`, ...) and the Volga–Don inland waterway (Astrakhan's
/// approaches to Rostov: not for sea-going ships) tagged `volga-don`. The curated `joins` (a
/// port's approach that the lanes lack) are added tagged `join`; the joins whose ends found no
/// vertex are returned with the graph.
pub fn read_sea(path: &std::path::Path, joins: &[crate::corenet::Join]) -> Result<(NetGraph, Vec<usize>), ImportError> {
    let (layer, passages) = crate::searoute::read_searoute_passages(path)?;
    let mut tags = vec![String::new(), "volga-don".to_owned()];
    let inland =
        |i: u32| (46.5..=50.5).contains(&layer.lat[i as usize]) && (39.75..=47.5).contains(&layer.lon[i as usize]);
    let mut edges: Vec<crate::corenet::TaggedEdge> = layer
        .edges
        .iter()
        .zip(&passages)
        .map(|(e, p)| {
            let tag = match p {
                Some(p) => match tags.iter().position(|t| t == p) {
                    Some(i) => i as u8,
                    None => {
                        tags.push(p.clone());
                        (tags.len() - 1) as u8
                    }
                },
                None if inland(e.u) && inland(e.v) => 1,
                None => 0,
            };
            crate::corenet::TaggedEdge { u: e.u, v: e.v, km: e.km, tag }
        })
        .collect();
    let (mut lat, mut lon) = (layer.lat.clone(), layer.lon.clone());
    tags.push("join".to_owned());
    let missing = crate::corenet::add_joins(&mut lat, &mut lon, &mut edges, joins, (tags.len() - 1) as u8);
    Ok((NetGraph::new(lat, lon, edges, tags, 0.0), missing))
}

/// Reads Natural Earth's ports (`ne_10m_ports.geojson`).
pub fn read_ne_ports(path: &std::path::Path) -> Result<Vec<NePort>, ImportError> {
    let text = crate::error::read_text(path)?;
    let root: serde_json::Value = serde_json::from_str(&text).map_err(|e| ImportError::format(path, e.to_string()))?;
    let mut out = Vec::new();
    for f in root["features"].as_array().into_iter().flatten() {
        let c = &f["geometry"]["coordinates"];
        let (Some(lon), Some(lat)) = (c[0].as_f64(), c[1].as_f64()) else { continue };
        out.push(NePort {
            name: f["properties"]["name"].as_str().unwrap_or("").to_owned(),
            lat,
            lon,
            scalerank: f["properties"]["scalerank"].as_u64().unwrap_or(9).min(255) as u8,
        });
    }
    Ok(out)
}

/// The corridor ids a dataset.toml declares (`id = "..."` lines of its `[[corridor]]` tables).
fn dataset_corridors(toml: &str) -> BTreeSet<&str> {
    let mut out = BTreeSet::new();
    let mut in_corridor = false;
    for line in toml.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            in_corridor = t == "[[corridor]]";
        } else if in_corridor
            && let Some(v) = t.strip_prefix("id").map(str::trim_start).and_then(|v| v.strip_prefix('='))
        {
            out.insert(v.trim().trim_matches('"'));
        }
    }
    out
}

/// The links as an undirected graph of places, for tagging corridors: shortest km path by rail
/// and train ferry, by road only where no such path exists; never by sea (a land corridor's
/// definition is not a sea route), except the direct sea link between two consecutive
/// waypoints (a corridor's own sea leg, such as the INSTC's Chabahar–Nhava Sheva). Searched with
/// corridor's one Dijkstra.
struct LinkGraph {
    /// Place code → dense id.
    ids: HashMap<String, u32>,
    /// Per place: (link row, head, km, road) — an arc id is the index into `arcs`.
    first: Vec<Vec<u32>>,
    arcs: Vec<(usize, u32, u32, f64, bool)>,
    /// Sea link rows by their two ends (in code order).
    sea: HashMap<(String, String), Vec<usize>>,
}

impl LinkGraph {
    fn new(links: &Table) -> LinkGraph {
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut first: Vec<Vec<u32>> = Vec::new();
        let mut arcs = Vec::new();
        let mut id = |code: &str, first: &mut Vec<Vec<u32>>| {
            let n = ids.len() as u32;
            *ids.entry(code.to_owned()).or_insert_with(|| {
                first.push(Vec::new());
                n
            })
        };
        let mut sea: HashMap<(String, String), Vec<usize>> = HashMap::new();
        for (i, r) in links.rows.iter().enumerate() {
            if get(r, "mode") == "sea" {
                sea.entry(LinkGraph::ends(get(r, "from"), get(r, "to"))).or_default().push(i);
                continue;
            }
            let km: f64 = get(r, "km").parse().unwrap_or(f64::INFINITY);
            let road = get(r, "mode") == "road" || get(r, "platform") == "road";
            let (a, b) = (id(get(r, "from"), &mut first), id(get(r, "to"), &mut first));
            for (t, h) in [(a, b), (b, a)] {
                first[t as usize].push(arcs.len() as u32);
                arcs.push((i, t, h, km, road));
            }
        }
        LinkGraph { ids, first, arcs, sea }
    }

    fn ends(a: &str, b: &str) -> (String, String) {
        if a <= b { (a.to_owned(), b.to_owned()) } else { (b.to_owned(), a.to_owned()) }
    }

    fn path(&self, from: &str, to: &str) -> Option<Vec<usize>> {
        self.search(from, to, false)
            .or_else(|| self.search(from, to, true))
            .or_else(|| self.sea.get(&LinkGraph::ends(from, to)).cloned())
    }

    fn search(&self, from: &str, to: &str, roads: bool) -> Option<Vec<usize>> {
        let (&s, &t) = (self.ids.get(from)?, self.ids.get(to)?);
        let mut d = corridor_dijkstra::Dijkstra::<f64>::new(self.first.len());
        let visit = |v: u32| if v == t { corridor_dijkstra::Visit::Stop } else { corridor_dijkstra::Visit::Expand };
        let arcs = |u: u32| {
            self.first[u as usize]
                .iter()
                .map(|&a| (a, self.arcs[a as usize]))
                .filter(move |(_, (.., road))| roads || !road)
                .map(|(a, (_, _, h, km, _))| (a, h, km))
        };
        d.run(&[s], visit, arcs)?;
        Some(d.path(t, |a| self.arcs[a as usize].1).into_iter().map(|a| self.arcs[a as usize].0).collect())
    }
}

/// Reads `overlay/joins.csv` (`mode,lat_a,lon_a,lat_b,lon_b,via,km,src,note`; `via` is
/// `lat lon|lat lon|...` or empty, `km` the join's sourced length or empty): the joins of `mode`.
pub fn read_joins(text: &str, mode: &str) -> Result<Vec<crate::corenet::Join>, ImportError> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let t = Table::parse("overlay/joins.csv", text)?;
    let mut out = Vec::new();
    for (i, r) in t.rows.iter().enumerate().filter(|(_, r)| get(r, "mode") == mode) {
        let num = |k: &str| {
            get(r, k).parse::<f64>().map_err(|_| {
                ImportError::field("overlay/joins.csv", i + 2, k, format!("{:?} is not a number", get(r, k)))
            })
        };
        let mut via = Vec::new();
        for p in get(r, "via").split('|').map(str::trim).filter(|p| !p.is_empty()) {
            let bad = || ImportError::field("overlay/joins.csv", i + 2, "via", format!("{p:?} is not \"lat lon\""));
            let (la, lo) = p.split_once(' ').ok_or_else(bad)?;
            let (la, lo) = (la.trim().parse::<f64>().map_err(|_| bad())?, lo.trim().parse::<f64>().map_err(|_| bad())?);
            if !((-90.0..=90.0).contains(&la) && (-180.0..=180.0).contains(&lo)) {
                return Err(bad());
            }
            via.push((la, lo));
        }
        let km = match get(r, "km") {
            "" => None,
            _ => Some(num("km")?).filter(|k| *k > 0.0 && *k < 5_000.0).map(Some).ok_or_else(|| {
                ImportError::field("overlay/joins.csv", i + 2, "km", format!("{:?} is not in (0, 5000)", get(r, "km")))
            })?,
        };
        let new_b = match get(r, "end_b") {
            "" | "graph" => false,
            "new" => true,
            x => {
                return Err(ImportError::field(
                    "overlay/joins.csv",
                    i + 2,
                    "end_b",
                    format!("{x:?} is neither \"graph\" (a vertex within 5 km) nor \"new\" (a new vertex)"),
                ));
            }
        };
        out.push(crate::corenet::Join {
            a: (num("lat_a")?, num("lon_a")?),
            b: (num("lat_b")?, num("lon_b")?),
            via,
            km,
            new_b,
        });
    }
    Ok(out)
}

/// A line of the rail or road graph that runs at a speed of its own (`overlay/line_speeds.csv`,
/// `mode,lat_a,lon_a,lat_b,lon_b,km,speed_kmh,speed_src,note`): the Baikal–Amur Mainline, single
/// track through mountains, is slower than the Trans-Siberian that a country's rule times, and
/// with one speed for both the shorter BAM took the Trans-Siberian's container trains.
struct OwnSpeedLine {
    mode: String,
    /// The graph's edges on the line ([`line_edges`]).
    edges: BTreeSet<(u32, u32)>,
    speed: f64,
    src: String,
}

/// How far the path found between a line's ends may differ from its published length, as a
/// share: beyond it the path is another way between the ends, not the line (an algorithm
/// choice; the BAM's path is within 2 %).
const LINE_KM_TOLERANCE: f64 = 0.1;

/// Fewer km than this on a line of its own speed are the track a path shares with it at a
/// junction (east of Tayshet, the Trans-Siberian and the BAM leave the station on common
/// track for about 7 km), not a run on it: the path keeps its rule (an algorithm choice).
const LINE_JUNCTION_KM: f64 = 20.0;

/// The rows of `overlay/line_speeds.csv`, each found on its graph and checked against its
/// published length; one report line per line.
fn own_speed_lines(
    rail: &NetGraph,
    road: &NetGraph,
    t: &Table,
    report: &mut String,
) -> Result<Vec<OwnSpeedLine>, ImportError> {
    const FILE: &str = "overlay/line_speeds.csv";
    let mut out = Vec::new();
    for (i, r) in t.rows.iter().enumerate() {
        let line = i + 2;
        let num = |k: &str, lo: f64, hi: f64| {
            get(r, k).parse::<f64>().ok().filter(|x| (lo..=hi).contains(x)).ok_or_else(|| {
                ImportError::field(FILE, line, k, format!("{:?} is not a number in [{lo}, {hi}]", get(r, k)))
            })
        };
        let (a, b) = (
            (num("lat_a", -90.0, 90.0)?, num("lon_a", -180.0, 180.0)?),
            (num("lat_b", -90.0, 90.0)?, num("lon_b", -180.0, 180.0)?),
        );
        let (km, speed) = (num("km", 1.0, 20_000.0)?, num("speed_kmh", 1.0, 200.0)?);
        let src = get(r, "speed_src").trim();
        if src.is_empty() {
            return Err(ImportError::field(FILE, line, "speed_src", "a line's speed needs its source".to_owned()));
        }
        let g = match get(r, "mode") {
            "rail" => rail,
            "road" => road,
            m => return Err(ImportError::field(FILE, line, "mode", format!("{m:?} is not rail or road"))),
        };
        let (edges, found) = line_edges(g, a, b, km * (1.0 + LINE_KM_TOLERANCE)).ok_or_else(|| {
            ImportError::field(
                FILE,
                line,
                "lat_a",
                format!("no path of the graph within {:.0} km joins the line's ends", km * (1.0 + LINE_KM_TOLERANCE)),
            )
        })?;
        if (found / km - 1.0).abs() > LINE_KM_TOLERANCE {
            return Err(ImportError::field(
                FILE,
                line,
                "km",
                format!("the path between the ends is {found:.0} km, the line {km} km: another way, not the line"),
            ));
        }
        let _ = writeln!(
            report,
            "- {} line {a:?}–{b:?}: {found:.0} km of the graph (published {km}) at {speed} km/h",
            get(r, "mode")
        );
        out.push(OwnSpeedLine { mode: get(r, "mode").to_owned(), edges, speed, src: src.to_owned() });
    }
    Ok(out)
}

/// `r` for a generated path that runs partly on lines of their own speed ([`OwnSpeedLine`]):
/// each km on such a line at the line's speed and the rest at `r`'s, blended by time as across
/// a border ([`Rules::across`]), with both sources. A path on none keeps `r`.
fn on_own_speed_lines(mut r: Rule, mode: &str, adj: &Adjacency, lines: &[OwnSpeedLine], g: &NetGraph) -> Rule {
    let Ok(base) = r.speed.parse::<f64>() else { return r };
    let (mut hours, mut on, mut srcs) = (0.0, 0.0, Vec::new());
    for l in lines.iter().filter(|l| l.mode == mode) {
        let km = km_on_line(g, &adj.path, &l.edges).min(adj.km - on);
        if km >= LINE_JUNCTION_KM {
            hours += km / l.speed;
            on += km;
            srcs.push(l.src.as_str());
        }
    }
    if on <= 0.0 || base <= 0.0 {
        return r;
    }
    r.speed = format!("{:.1}", adj.km / (hours + (adj.km - on) / base));
    for s in srcs {
        if !r.speed_src.split('|').any(|x| x == s) {
            r.speed_src = format!("{}|{s}", r.speed_src);
        }
    }
    r
}

/// The `mode` rows of `overlay/cuts.csv` (`mode,lat_a,lon_a,lat_b,lon_b,src,note`): lines of
/// the OSM graphs that carry no traffic, each with its source (see [`crate::corenet::Cut`]).
pub fn read_cuts(text: &str, mode: &str) -> Result<Vec<crate::corenet::Cut>, ImportError> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let t = Table::parse("overlay/cuts.csv", text)?;
    let mut out = Vec::new();
    for (i, r) in t.rows.iter().enumerate().filter(|(_, r)| get(r, "mode") == mode) {
        let num = |k: &str, max: f64| {
            get(r, k).parse::<f64>().ok().filter(|x| x.abs() <= max).ok_or_else(|| {
                ImportError::field(
                    "overlay/cuts.csv",
                    i + 2,
                    k,
                    format!("{:?} is not a number within ±{max}", get(r, k)),
                )
            })
        };
        if get(r, "src").trim().is_empty() {
            return Err(ImportError::field("overlay/cuts.csv", i + 2, "src", "a cut needs its source".to_owned()));
        }
        out.push(crate::corenet::Cut {
            a: (num("lat_a", 90.0)?, num("lon_a", 180.0)?),
            b: (num("lat_b", 90.0)?, num("lon_b", 180.0)?),
        });
    }
    Ok(out)
}

/// The overlay files [`build_dir`] reads from `<dataset>/overlay/`.
pub const OVERLAY_FILES: [&str; 17] = [
    "curated/locations.csv",
    "curated/links.csv",
    "curated/borders.csv",
    "curated/transfers.csv",
    "curated/geometry.csv",
    "curated/sources.csv",
    "rules.csv",
    "nodes.csv",
    "borders.csv",
    "transfers.csv",
    "lines.csv",
    "sources.csv",
    "corridors.csv",
    "joins.csv",
    "cuts.csv",
    "line_speeds.csv",
    "road_bcp.csv",
];

/// Reads every input from `shared` (the `shared/data` directory) and `dataset` (its
/// `dataset.toml` and `overlay/`) and builds the core with `cfg`. Also returns a line on what
/// was read, for people.
pub fn build_dir(
    shared: &std::path::Path,
    dataset: &std::path::Path,
    cfg: &Config,
) -> Result<(Output, String), ImportError> {
    use crate::raw::Mode;
    let read = |p: std::path::PathBuf| crate::error::read_text(&p);
    let overlay_dir = dataset.join("overlay");
    let mut overlay = BTreeMap::new();
    for name in OVERLAY_FILES {
        let p = overlay_dir.join(name);
        if p.exists() {
            overlay.insert(name.to_owned(), read(p)?);
        }
    }
    // dataset.toml is read for its corridor ids (links may be tagged only with those).
    overlay.insert("../dataset.toml".to_owned(), read(dataset.join("dataset.toml"))?);
    let joins = overlay.get("joins.csv").cloned().unwrap_or_default();
    let cuts = overlay.get("cuts.csv").cloned().unwrap_or_default();
    let layer = |name: &str, mode: Mode| {
        crate::read_scgraph(
            &shared.join(format!("{name}_nodes.csv.gz")),
            &shared.join(format!("{name}_edges.csv.gz")),
            mode,
        )
    };
    let mut graphs = Vec::new();
    for (name, mode, m) in [
        ("osm_rail_scgraph/world_railways_eurasia", Mode::Rail, "rail"),
        ("osm_road_scgraph/world_highways_eurasia", Mode::Road, "road"),
    ] {
        let (g, missing, uncut) = NetGraph::from_layer_edited(
            &layer(name, mode)?,
            cfg.heal_km,
            &read_joins(&joins, m)?,
            &read_cuts(&cuts, m)?,
        );
        if !missing.is_empty() {
            return Err(ImportError::format(
                overlay_dir.join("joins.csv"),
                format!("{m} joins {missing:?} have an end with no vertex within 5 km"),
            ));
        }
        if !uncut.is_empty() {
            return Err(ImportError::format(
                overlay_dir.join("cuts.csv"),
                format!("{m} cuts {uncut:?} have an end with no vertex within 5 km or no path between the ends"),
            ));
        }
        graphs.push(g);
    }
    let mut road = graphs.pop().expect("two graphs");
    let mut rail = graphs.pop().expect("two graphs");
    let (sea, missing) = read_sea(&shared.join("searoute/marnet_searoute.geojson"), &read_joins(&joins, "sea")?)?;
    if !missing.is_empty() {
        return Err(ImportError::format(
            overlay_dir.join("joins.csv"),
            format!("sea joins {missing:?} have an end with no vertex within 5 km"),
        ));
    }
    let countries = Countries::load(&shared.join("natural_earth/ne_50m_admin_0_countries.geojson.gz"))?;
    let ports = read_ne_ports(&shared.join("natural_earth/ne_10m_ports.geojson"))?;
    let mut sea_heals = sea_crossing_heals(&mut rail, &countries, "rail");
    sea_heals.extend(sea_crossing_heals(&mut road, &countries, "road"));
    let read_line = format!(
        "rail {} vertices ({} healed gaps), road {} ({} healed), sea {}",
        rail.len(),
        rail.healed.len(),
        road.len(),
        road.healed.len(),
        sea.len()
    );
    let inputs = Inputs {
        rail: &rail,
        road: &road,
        sea: &sea,
        countries: &countries,
        ports: &ports,
        places: PlaceIndex::embedded(),
        overlay: &overlay,
    };
    let mut out = build(&inputs, cfg)?;
    let _ =
        writeln!(out.report, "\n## Healed gaps between two countries over the sea, not used ({})\n", sea_heals.len());
    for line in &sea_heals {
        let _ = writeln!(out.report, "- {line}");
    }
    Ok((out, read_line))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two unit squares side by side: AA west of 1° E, BB east of it.
    fn two_countries() -> Countries {
        squares(&[("AA", 0.0), ("BB", 1.0)])
    }

    /// Unit squares from the equator to 1° N, each (ISO code, west edge in ° E).
    fn squares(list: &[(&str, f64)]) -> Countries {
        let square = |iso: &str, w: f64| {
            format!(
                r#"{{"type":"Feature","properties":{{"ISO_A2":"{iso}","NAME":"{iso}"}},"geometry":{{"type":"Polygon","coordinates":[[[{w},0],[{e},0],[{e},1],[{w},1],[{w},0]]]}}}}"#,
                e = w + 1.0
            )
        };
        let features: Vec<String> = list.iter().map(|&(iso, w)| square(iso, w)).collect();
        let text = format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(","));
        // One file per call: tests run in parallel threads of one process, and a test reading
        // the file while another rewrites it would see it empty.
        static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("corridor-corebuild-countries-{}-{n}.geojson", std::process::id()));
        std::fs::write(&path, text).unwrap();
        let countries = Countries::load(&path).unwrap();
        std::fs::remove_file(&path).ok();
        countries
    }

    /// A healed gap between two countries over the sea is not used; one over land between them
    /// (a stitch at the border) is.
    #[test]
    fn a_healed_gap_between_two_countries_over_the_sea_is_not_used() {
        let e = |u, v| crate::corenet::TaggedEdge { u, v, km: 50.0, tag: 0 };
        // Two lines whose ends are `gap`° of longitude apart at 0.5° N: 0-1 ends at 0.95° E
        // (in AA), 2-3 starts at 0.95° + gap.
        let graph = |gap: f64| {
            NetGraph::new(
                vec![0.5; 4],
                vec![0.2, 0.95, 0.95 + gap, 1.9 + gap],
                vec![e(0, 1), e(2, 3)],
                vec![String::new()],
                20.0,
            )
        };
        // AA [0, 1]° E and BB [1, 2]° E touch: an 11 km stitch over the land border is kept.
        let mut g = graph(0.1);
        assert_eq!(g.healed.len(), 1);
        assert!(sea_crossing_heals(&mut g, &two_countries(), "rail").is_empty());
        // AA [0, 1]° E and BB [1.5, 2.5]° E with sea between: a 67 km gap from AA's coast to
        // BB's (a dead end within 4 x 20 km) has 55 km of it at sea, and is not used.
        let apart = squares(&[("AA", 0.0), ("BB", 1.5)]);
        let mut g = graph(0.6);
        assert_eq!(g.healed.len(), 1);
        let tagged = sea_crossing_heals(&mut g, &apart, "rail");
        assert_eq!(tagged.len(), 1, "{tagged:?}");
        assert!(
            tagged[0].contains("(AA)") && tagged[0].contains("(BB)") && tagged[0].contains("55 km of it at sea"),
            "{tagged:?}"
        );
        // No search crosses it: the two ends are no neighbours any more.
        let at = [Some(0), Some(3)];
        assert!(crate::corenet::neighbours(&g, &at, 1000.0, 0.08, &blocked_tags(&g, &[])).is_empty());
        assert_eq!(crate::corenet::neighbours(&g, &at, 1000.0, 0.08, &[]).len(), 1, "the gap is still in the graph");
    }

    /// A line of its own speed runs the km of a path on it at its speed and the rest at the
    /// rule's, blended by time; a path off it, or of another mode, keeps the rule; a path between
    /// the ends far from the published length is refused.
    #[test]
    fn a_line_of_its_own_speed_slows_the_km_on_it() {
        // Four vertices along the equator, 0° to 3° E, 100 km apart; the slow line is 1°-3° E.
        let e = |u, v| crate::corenet::TaggedEdge { u, v, km: 100.0, tag: 0 };
        let g = NetGraph::new(
            vec![0.0; 4],
            vec![0.0, 1.0, 2.0, 3.0],
            vec![e(0, 1), e(1, 2), e(2, 3)],
            vec![String::new()],
            0.0,
        );
        let empty = NetGraph::new(vec![], vec![], vec![], vec![String::new()], 0.0);
        let table = |km: &str| {
            Table::parse(
                "line_speeds.csv",
                &format!("mode,lat_a,lon_a,lat_b,lon_b,km,speed_kmh,speed_src,note\nrail,0,1,0,3,{km},20,SRC-LINE,x\n"),
            )
            .unwrap()
        };
        let mut report = String::new();
        let lines = own_speed_lines(&g, &empty, &table("210"), &mut report).unwrap();
        assert!(report.contains("200 km of the graph (published 210)"), "{report}");
        let rule = Rule {
            speed: "30".into(),
            speed_src: "SRC-RULE".into(),
            daily: String::new(),
            price: "p".into(),
            emission: "e".into(),
        };
        let adj = |path: Vec<u32>| Adjacency { a: 0, b: 1, km: 100.0 * (path.len() - 1) as f64, path, tags: vec![] };
        // 200 km on the line at 20 km/h and 100 km off it at 30: 300 km in 13.33 h.
        let r = on_own_speed_lines(rule.clone(), "rail", &adj(vec![0, 1, 2, 3]), &lines, &g);
        assert_eq!((r.speed.as_str(), r.speed_src.as_str()), ("22.5", "SRC-RULE|SRC-LINE"));
        // Off the line, or on another mode's lines: the rule as it was.
        let off = on_own_speed_lines(rule.clone(), "rail", &adj(vec![0, 1]), &lines, &g);
        assert_eq!((off.speed.as_str(), off.speed_src.as_str()), ("30", "SRC-RULE"));
        assert_eq!(on_own_speed_lines(rule, "road", &adj(vec![0, 1, 2, 3]), &lines, &g).speed, "30");
        // A path between the ends far from the published length is another way, not the line.
        let err = own_speed_lines(&g, &empty, &table("400"), &mut report).err().unwrap().to_string();
        assert!(err.contains("another way, not the line"), "{err}");
    }

    /// A path across a border runs each side at that side's speed: the Uzen–Bereket line's
    /// 146 km in Kazakhstan at 39.2 km/h and 421 km in Turkmenistan at 23.1 km/h, blended by
    /// time, whichever end names the link; price and emission follow the longer side.
    #[test]
    fn a_path_across_a_border_runs_each_side_at_its_own_speed() {
        let rule = |speed: &str, src: &str, price: &str| Rule {
            speed: speed.into(),
            speed_src: src.into(),
            daily: String::new(),
            price: price.into(),
            emission: format!("{price}-ef"),
        };
        let land = BTreeMap::from([
            (("rail".to_owned(), "AA".to_owned()), rule("39.2", "SRC-AA", "rail-a")),
            (("rail".to_owned(), "BB".to_owned()), rule("23.1", "SRC-BB", "rail-b")),
        ]);
        let rules =
            Rules { land, gauges: BTreeMap::new(), sea: rule("25", "SEA", "sea"), sea_hold: Default::default() };
        // 0.2° to 1.9° E along 0.5° N: 0.8° in AA, 0.9° in BB.
        let path = [(0.5, 0.2), (0.5, 0.6), (0.5, 1.4), (0.5, 1.9)];
        let shares = side_shares(&two_countries(), &path, "AA", "BB");
        assert!((shares[0] - 0.8 / 1.7).abs() < 1e-3 && (shares[1] - 0.9 / 1.7).abs() < 1e-3, "{shares:?}");
        let reversed: Vec<(f64, f64)> = path.iter().rev().copied().collect();
        let back = side_shares(&two_countries(), &reversed, "BB", "AA");
        assert!((back[0] - shares[1]).abs() < 1e-6, "{back:?}");
        let r = rules.across("rail", &shares, "AA", "BB");
        let expect = 1.0 / (shares[0] / 39.2 + shares[1] / 23.1);
        assert_eq!(r.speed, format!("{expect:.1}"));
        assert_eq!(
            (r.speed_src.as_str(), r.price.as_str(), r.emission.as_str()),
            ("SRC-AA|SRC-BB", "rail-b", "rail-b-ef")
        );
        assert_eq!(rules.across("rail", &back, "BB", "AA").speed, r.speed, "the same line from the other end");
        // The Kazakh–Turkmen figures of the Uzen–Bereket line.
        let kti = rules.across("rail", &[146.0 / 567.0, 421.0 / 567.0], "AA", "BB");
        assert_eq!(kti.speed, "25.8");
        // The sea between two coasts counts for the side before it.
        let apart = squares(&[("AA", 0.0), ("BB", 1.5)]);
        let s = side_shares(&apart, &[(0.5, 0.5), (0.5, 1.3), (0.5, 1.7)], "AA", "BB");
        assert!((s[0] - 1.0 / 1.2).abs() < 1e-3, "{s:?}");
    }

    #[test]
    fn only_a_lane_past_the_cape_of_good_hope_takes_the_cape_class() {
        // Colombo to Tenerife round the Cape; Suez to Rotterdam; Cape Horn's latitude at
        // another longitude; the Cape's longitude in the tropics.
        assert!(rounds_the_cape(&[(6.9, 79.8), (-20.0, 60.0), (-35.0, 20.0), (28.4, -16.2)]));
        assert!(!rounds_the_cape(&[(31.3, 32.3), (36.0, -5.6), (51.9, 4.1)]));
        assert!(!rounds_the_cape(&[(-55.9, -67.3)]));
        assert!(!rounds_the_cape(&[(-5.0, 12.0), (-25.0, 33.0)]));
    }

    #[test]
    fn only_a_lane_within_the_mediterranean_or_the_black_sea_takes_the_mediterranean_class() {
        // Port Said to Piraeus to Genoa; Istanbul to Constanța to Novorossiysk; Valencia to
        // Algeciras (east of the strait).
        assert!(in_the_mediterranean(&[(31.3, 32.3), (37.9, 23.6), (44.4, 8.9)]));
        assert!(in_the_mediterranean(&[(41.0, 29.0), (44.2, 28.6), (44.7, 37.8)]));
        assert!(in_the_mediterranean(&[(39.5, -0.4), (36.1, -5.5)]));
        // Out by Gibraltar, by Suez, in the Bay of Biscay, in the Caspian.
        assert!(!in_the_mediterranean(&[(31.3, 32.3), (36.0, -5.8), (51.9, 4.1)]));
        assert!(!in_the_mediterranean(&[(31.3, 32.3), (29.9, 32.5), (21.5, 39.2)]));
        assert!(!in_the_mediterranean(&[(43.3, -2.9), (44.8, -0.6)]));
        assert!(!in_the_mediterranean(&[(40.4, 49.9), (43.6, 51.2)]));
        // Lisbon to Sines to Casablanca is Atlantic Iberia's; out by Gibraltar or Biscay is not.
        assert!(off_atlantic_iberia(&[(38.7, -9.2), (37.9, -8.9), (33.6, -7.6)]));
        assert!(!off_atlantic_iberia(&[(37.9, -8.9), (36.0, -5.4)]));
        assert!(!off_atlantic_iberia(&[(43.5, -5.7), (43.3, -2.9)]));
        assert!(!in_the_mediterranean(&[(38.7, -9.2), (37.9, -8.9)]));
    }

    #[test]
    fn a_corridor_follows_rail_first_then_road_and_sails_only_its_own_direct_leg() {
        // A–B by rail and by a shorter road; B–P by road only; ports P and Q with a direct
        // sailing, and A–Q by sea: no chain of land links and sailings, so B–Q has no path.
        let t = Table::parse(
            "links.csv",
            "id,from,to,mode,platform,km\n\
             r-ab,A,B,rail,rail1520,100\n\
             d-ab,A,B,road,road,50\n\
             d-bp,B,P,road,road,30\n\
             s-pq,P,Q,sea,sea,900\n\
             s-aq,A,Q,sea,sea,10\n",
        )
        .unwrap();
        let g = LinkGraph::new(&t);
        let ids = |p: Option<Vec<usize>>| {
            p.map(|v| v.into_iter().map(|i| get(&t.rows[i], "id").to_owned()).collect::<Vec<_>>())
        };
        assert_eq!(ids(g.path("A", "B")), Some(vec!["r-ab".to_owned()]));
        assert_eq!(ids(g.path("A", "P")), Some(vec!["d-ab".to_owned(), "d-bp".to_owned()]));
        // Consecutive ports: the direct sailing, in either order; never a chain of sailings.
        assert_eq!(ids(g.path("Q", "P")), Some(vec!["s-pq".to_owned()]));
        assert_eq!(ids(g.path("B", "Q")), None);
    }

    #[test]
    fn a_line_crosses_the_border_where_the_polygons_meet() {
        let c = two_countries();
        // (lat, lon): west to east through a vertex in each country.
        let at = crossing_point(&c, &[(0.5, 0.2), (0.5, 0.6), (0.5, 1.7)], "AA", "BB").unwrap();
        assert!(haversine_km(at, (0.5, 1.0)) < 0.2, "{at:?}");
        // Either direction; and no crossing for a line inside one country or between others.
        assert!(crossing_point(&c, &[(0.4, 1.9), (0.4, 0.1)], "AA", "BB").is_some());
        assert_eq!(crossing_point(&c, &[(0.5, 0.2), (0.5, 0.8)], "AA", "BB"), None);
        assert_eq!(crossing_point(&c, &[(0.5, 0.2), (0.5, 1.7)], "AA", "CC"), None);
    }

    fn node(code: &str, country: &str) -> Node {
        Node {
            code: code.into(),
            name: code.into(),
            country: country.into(),
            lat: 0.5,
            lon: 1.0,
            tz: "UTC".into(),
            kinds: BTreeSet::new(),
            platforms: BTreeSet::new(),
            curated: None,
            why: String::new(),
            land: Land::Both,
            rail_v: None,
            road_v: None,
            sea_v: None,
        }
    }

    #[test]
    fn a_crossing_given_only_for_both_directions_is_still_its_countries_post() {
        // A known road crossing AA–BB at (0.5, 1.0) whose only row is `both` (no direction names
        // its countries), and one of CC–DD at the same place.
        let both = |cf: &str, ct: &str| KnownCrossing {
            mode: "road".into(),
            at: (0.5, 1.0),
            what: format!("{cf}–{ct}"),
            countries: (cf.into(), ct.into()),
            rows: vec![(None, Row::new())],
        };
        let known = [both("CC", "DD"), both("AA", "BB")];
        let (a, b) = (node("A", "AA"), node("B", "BB"));
        // Either direction of a generated AA–BB link takes the AA–BB post, not the CC–DD one.
        for (x, y) in [(&a, &b), (&b, &a)] {
            let got = same_crossing(&known, "road", x, y, &[(0.5, 1.01)], 8.0).map(|c| c.what.as_str());
            assert_eq!(got, Some("AA–BB"));
        }
        // Not another mode, not farther than the limit, not another pair of countries.
        assert!(same_crossing(&known, "rail", &a, &b, &[(0.5, 1.01)], 8.0).is_none());
        assert!(same_crossing(&known, "road", &a, &b, &[(0.5, 1.2)], 8.0).is_none());
        assert!(same_crossing(&known, "road", &a, &node("E", "EE"), &[(0.5, 1.01)], 8.0).is_none());
    }

    /// The border rows a generated road link `a`→`b` gets from a road-side table alone, as
    /// `direction hours p90 usd` lines.
    fn road_rows(sides: &str, a: &str, b: &str) -> Vec<String> {
        let t = Table::parse("road_bcp.csv", sides).unwrap();
        let sides = RoadSides::parse(&t).unwrap();
        border_row(
            &Table::default(),
            &sides,
            CrossingKind::new("road", false),
            &node("A", a),
            &node("B", b),
            "d-a-b",
            None,
        )
        .iter()
        .map(|r| {
            let f = |k: &str| r.iter().find(|(x, _)| *x == k).map_or("", |(_, v)| v.as_str()).to_owned();
            format!("{} {} {} {}", f("direction"), f("hours_mean"), f("hours_p90"), f("usd_feu"))
        })
        .collect()
    }

    const SIDES: &str = "country,direction,partners,hours_mean,usd_feu,year,src,notes
CN,outbound,KZ|AF,20.8,638,2022,S-CN,
CN,inbound,KZ|AF,0.3,,2022,S-CN,
KZ,both,,4.2,,2023,S-KZ,
AF,both,,19.5,240,2020,S-AF,
PK,outbound,,28.2,238,2022,S-PK,
";

    #[test]
    fn a_road_post_between_two_known_countries_sums_its_sides_per_direction() {
        // CN→KZ: 20.8 + 4.2 with China's cost; KZ→CN: 4.2 + 0.3, no side cost: the CAREC USD 208.
        assert_eq!(road_rows(SIDES, "CN", "KZ"), ["forward 25 47.5 638", "reverse 4.5 8.5 208"]);
        // PK→AF sums both sides (costs too); AF→PK knows only Afghanistan's side, a lower bound
        // above the 9.9 h average.
        assert_eq!(road_rows(SIDES, "PK", "AF"), ["forward 47.7 90.6 478", "reverse 19.5 37.1 240"]);
        // China's figures are for its posts to the listed neighbours only: towards RU, the
        // outbound side alone (20.8 h) must not apply, and the proxy stays both ways.
        assert_eq!(road_rows(SIDES, "CN", "RU"), ["both 9.9 18.8 208"]);
        // A known side at or below the average says nothing of the crossing: KZ→RU keeps the proxy.
        assert_eq!(road_rows(SIDES, "KZ", "TR"), ["both 9.9 18.8 208"]);
        // Customs unions have no customs control, whatever the table says.
        assert_eq!(road_rows(SIDES, "KZ", "RU")[0].split(' ').nth(1), Some("2"));
    }

    #[test]
    fn a_bad_road_side_row_is_refused_with_its_field() {
        let header = "country,direction,partners,hours_mean,usd_feu,year,src,notes\n";
        for (row, field) in [
            ("KZ,sideways,,4.2,,2023,S,", "direction"),
            ("KZ,both,,-1,,2023,S,", "hours_mean"),
            ("KZ,both,,NaN,,2023,S,", "hours_mean"),
            ("KZ,both,,,,2023,S,", "hours_mean"),
            ("KZ,both,,4.2,x,2023,S,", "usd_feu"),
            ("KZ,both,,4.2,,2023,,", "src"),
        ] {
            let t = Table::parse("road_bcp.csv", &format!("{header}{row}\n")).unwrap();
            match RoadSides::parse(&t) {
                Err(ImportError::Field { field: f, .. }) => assert_eq!(f, field, "{row}"),
                other => panic!("{row}: {other:?}"),
            }
        }
        let twice = format!("{header}KZ,both,,4.2,,2023,S,\nKZ,outbound,,3.9,,2023,S,\n");
        assert!(RoadSides::parse(&Table::parse("road_bcp.csv", &twice).unwrap()).is_err());
    }

    #[test]
    fn a_drawn_line_through_a_third_country_names_it_past_the_wiggle_allowance() {
        // AA (0–1° E) and BB (1–2° E) as in `two_countries`; a line from AA to AA that bulges
        // into BB runs through a "third" country for its ends' pair (AA, CC).
        let c = two_countries();
        // 0.5° N from 0.2° E to 1.8° E and back: about 89 km each way inside BB.
        let out_and_back = [(0.5, 0.2), (0.5, 1.8), (0.6, 0.2)];
        assert_eq!(transit_countries(&c, &out_and_back, "AA", "CC", 25.0), ["BB"]);
        // Under the allowance (border wiggles) it is no transit, nor is a line between the two.
        assert!(transit_countries(&c, &out_and_back, "AA", "CC", 200.0).is_empty());
        assert!(transit_countries(&c, &[(0.5, 0.2), (0.5, 1.8)], "AA", "BB", 25.0).is_empty());
    }

    #[test]
    fn a_swiss_border_clears_transit_before_it_not_at_the_carec_average() {
        let row = |mode: &str, a: &str, b: &str| {
            let r = border_row(
                &Table::default(),
                &RoadSides::default(),
                CrossingKind::new(mode, false),
                &node("A", a),
                &node("B", b),
                "x",
                None,
            );
            let f = |k: &str| r[0].iter().find(|(x, _)| *x == k).map_or("", |(_, v)| v.as_str()).to_owned();
            (f("hours_mean"), f("hours_p90"), f("usd_feu"))
        };
        for (a, b) in [("DE", "CH"), ("CH", "IT")] {
            assert_eq!(row("rail", a, b), ("0.5".into(), "1".into(), "0".into()));
            assert_eq!(row("road", a, b), ("0.75".into(), "2".into(), "0".into()));
        }
        // Outside the EU's arrangements a proxy stays (one gauge: the same-gauge crossing).
        assert_eq!(row("rail", "CH", "RS").0, SAME_GAUGE_RAIL.0);
    }

    #[test]
    fn a_rail_crossing_without_a_figure_is_timed_by_its_gauges() {
        let row = |kind: CrossingKind<'_>, a: &str, b: &str| {
            let r = border_row(&Table::default(), &RoadSides::default(), kind, &node("A", a), &node("B", b), "x", None);
            let f = |k: &str| r[0].iter().find(|(x, _)| *x == k).map_or("", |(_, v)| v.as_str()).to_owned();
            (f("hours_mean"), f("hours_p90"), f("src"))
        };
        // One gauge (Azerbaijan–Georgia): the measured same-gauge crossing, not the average.
        let same = row(CrossingKind::new("rail", false), "AZ", "GE");
        assert_eq!((same.0.as_str(), same.1.as_str()), ("13.5", "26"));
        assert!(same.2.contains("EST-BORDER-SAME-GAUGE"), "{}", same.2);
        // A break of gauge (Azerbaijan–Iran) keeps the all-rail average, whose weight is the
        // queues at breaks of gauge.
        let brk = row(CrossingKind::new("rail", true), "AZ", "IR");
        assert_eq!((brk.0.as_str(), brk.1.as_str()), ("40.6", "77.1"));
        assert!(brk.2.contains("EST-BORDER-CAREC-PROXY"), "{}", brk.2);
        // A customs union's technical stop comes first, whatever the gauges.
        assert_eq!(row(CrossingKind::new("rail", false), "RU", "KZ").0, "2");
    }

    #[test]
    fn a_city_far_from_every_node_of_its_country_becomes_one() {
        let places = PlaceIndex::embedded();
        let code = |name: &str| {
            let ids = places.lookup(name, Some("RU"));
            places.place(*ids.first().unwrap_or_else(|| panic!("{name}"))).code.to_owned()
        };
        let at = |c: &str, lat: f64, lon: f64| Node { lat, lon, ..node(c, "RU") };
        // Russia with Moscow and St Petersburg only, and a border post in the far north.
        let nodes = [at("RUMOW", 55.75, 37.62), at("RULED", 59.94, 30.31), at("XBRUNEA", 64.55, 40.54)];
        let covered: BTreeSet<String> = ["RU".to_owned()].into();
        let got: Vec<String> = coverage_cities(places, &covered, &nodes, &Config::default())
            .into_iter()
            .map(|(id, _)| places.place(id).code.to_owned())
            .collect();
        // Arkhangelsk, 1,000 km from Moscow (a border post serves no one), and Yaroslavl.
        for far in ["Arkhangelsk", "Yaroslavl"] {
            assert!(got.contains(&code(far)), "{far} missing from {got:?}");
        }
        // Balashikha lies within 150 km of Moscow; Kostroma, 65 km from Yaroslavl, is served by it.
        for near in ["Balashikha", "Kostroma"] {
            assert!(!got.contains(&code(near)), "{near} in {got:?}");
        }
        // A node of another country serves no one: a Kazakh node on Saratov's spot leaves it in.
        let saratov = places.place(places.lookup("Saratov", Some("RU"))[0]);
        let kz = Node { lat: saratov.lat, lon: saratov.lon, ..node("KZXXX", "KZ") };
        let covered: BTreeSet<String> = ["RU".to_owned(), "KZ".to_owned()].into();
        let got_kz = coverage_cities(places, &covered, &[&nodes[..], &[kz]].concat(), &Config::default());
        assert!(got_kz.iter().any(|&(id, _)| places.place(id).code == saratov.code));
        // GeoNames' "Chéngguān Qū" (Lhasa's central district, 478,000 people) comes in as the
        // UN/LOCODE city Lhasa beside it; a GeoNames city UN/LOCODE also names keeps its place.
        let covered: BTreeSet<String> = ["CN".to_owned(), "GB".to_owned()].into();
        let got: Vec<&str> = coverage_cities(places, &covered, &[], &Config::default())
            .into_iter()
            .map(|(id, _)| places.place(id).code)
            .collect();
        assert!(got.contains(&"CNLHA") && !got.contains(&"GN13527052"), "{got:?}");
        assert!(got.contains(&"GN2655984"), "Belfast, not Newtownabbey: {got:?}");
    }
}
