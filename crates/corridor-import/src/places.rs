//! The place index's records from UN/LOCODE and GeoNames (see `corridor-places`).
//!
//! Rules, in order:
//! 1. Keep UN/LOCODE entries with a port, rail, road, multimodal, border or airport function and
//!    coordinates, and GeoNames cities of 15,000 people or more, inside the region box
//!    (`lat >= -12`, `lon >= -25`: Europe, Asia, the Middle East, Africa north of 12° S).
//! 2. A city and a UN/LOCODE entry are one place when they are in the same country, at most
//!    [`MERGE_KM`] apart, and the entry's name (or name without diacritics) has the same
//!    normalized key as the city's name or one of its alternate names. Of several such entries
//!    the highest-ranked (most functions, then the nearest) takes the city, and an entry that
//!    wins several takes the one of its own name, then the nearest: its code and
//!    functions are kept; the city adds its population, time zone, names and its position
//!    (GeoNames' is precise to 1e-5 degree, UN/LOCODE's to the minute and geocoded).
//! 3. A UN/LOCODE entry without a city takes the time zone of the nearest city of its country
//!    (of any country when its country has none in the region).
//! 4. A UN/LOCODE entry whose name begins with the name of a city of 100,000 people or more in
//!    its country ("Shenzhen Baoan International Apt"), while lying more than [`RELOCATE_KM`] from
//!    every city of that name, has geocoded coordinates that are wrong (the 2024 export puts
//!    CNSZX near Tashkurgan, 1,600 km from Shenzhen): it is moved to the largest such city.
//! 5. Trade codes (`data/places/trade_codes.csv`): codes that carriers use for another entry than
//!    UN/LOCODE's (CNSHA for Shanghai port) become aliases of that entry, so they rank it first.
//! 6. Names: an entry's name also gives the forms people type: without UN/LOCODE's suffixes
//!    (`Tianjin Xingang Pt` → `Tianjin Xingang`, `Vostochnyy Port` → `Vostochnyy`), the part
//!    before a `/` (`Muhammad Bin Qasim/Karachi` → `Muhammad Bin Qasim`; the part after is the
//!    city it belongs to) and each side of a parenthesis (`El Iskandariya (Alexandria)`). A
//!    searoute port's name (`Vostochny`, `Port Qasim`) is a name of the entry with its code, and a
//!    searoute port without an entry becomes a place of its own. Where the names differ and the
//!    positions are more than [`SEAROUTE_NAME_KM`] apart, searoute's name is not taken (its code
//!    is then for another port), unless the entry is a port whose UN/LOCODE position lies more
//!    than [`INLAND_PORT_KM`] from every searoute port: that geocode is the wrong one (IRZBR,
//!    Chabahar, is put near Shiraz), and the entry takes searoute's position and name.
//! 7. Country: a searoute port without a UN/LOCODE entry takes its country from its code's
//!    first letters, which can be wrong (Zaporizhzhia is ZAPOR there, South Africa's prefix):
//!    when it lies well inside another country (its position and four points
//!    [`COUNTRY_PROBE_DEG`] around it all in that country's Natural Earth polygon), it is in that
//!    country. UN/LOCODE entries keep their registered country: where their position disagrees,
//!    it is the geocoded position that is wrong (LYKHM, Khoms, is placed in Belarus), and border
//!    posts lie on the line anyway.
//! 8. Border posts (`data/places/extra_places.csv`, curated names with positions measured on the
//!    OSM graphs by `tools/derive_border_places.py`): a post whose name (or alias) is already
//!    an entry's name in its country within [`EXTRA_MERGE_KM`] adds its names to that entry;
//!    any other post is a place of its own, with its `XB` code.
//! 9. Rank = 3 × log10(population), population 1,000 when unknown, plus half the function
//!    weights (port 4, rail 3, border 2, multimodal 1, road 1, airport 1): size decides between
//!    cities of one name, functions between places of similar size; places are written best first,
//!    ties by code. A key matches a place's names before its aliases (`Delhi` is Delhi before it
//!    is an old name of Dili).

use std::collections::HashMap;
use std::path::Path;

use corridor_model::geo::haversine_km;
use corridor_model::normalize;
use corridor_places::{Functions, PlaceRecord};

use crate::error::{ImportError, read_text};
use crate::raw::function;
use crate::unlocode::{UnlocodeEntry, read_unlocode_entries};

/// Largest distance between a GeoNames city and the UN/LOCODE entry it merges with, km.
pub const MERGE_KM: f64 = 30.0;

/// Distance beyond which an entry named after a city is taken to be mislocated, km.
pub const RELOCATE_KM: f64 = 75.0;

/// A searoute port's name is a name of the UN/LOCODE entry with its code only within this, km.
pub const SEAROUTE_NAME_KM: f64 = 50.0;

/// A UN/LOCODE port entry farther than this from every searoute port is geocoded inland, km.
pub const INLAND_PORT_KM: f64 = 100.0;

/// The region kept: `[min_lat, min_lon, max_lat, max_lon]`.
pub const REGION: [f64; 4] = [-12.0, -25.0, 90.0, 180.0];

/// A GeoNames city.
#[derive(Clone, Debug, PartialEq)]
pub struct City {
    /// GeoNames id.
    pub id: u64,
    /// Name.
    pub name: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Inhabitants.
    pub population: u64,
    /// IANA time zone.
    pub tz: String,
    /// Alternate names (other scripts and spellings).
    pub alternates: Vec<String>,
}

const GEONAMES_HEADER: [&str; 9] = [
    "geonameid",
    "name",
    "countrycode",
    "admin1code",
    "latitude",
    "longitude",
    "population",
    "timezone",
    "alternatenames",
];

/// A finite number of a CSV field, or an error naming the file, line and field.
fn number(path: &Path, line: usize, field: &str, text: &str) -> Result<f64, ImportError> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| ImportError::field(path, line, field, format!("cannot parse {text:?}")))
}

/// Reads `cities15000_alternatenames.csv(.gz)` (GeoNames, with alternate names joined by `|`),
/// keeping the cities inside `bbox` (`[min_lat, min_lon, max_lat, max_lon]`).
pub fn read_geonames(path: &Path, bbox: [f64; 4]) -> Result<Vec<City>, ImportError> {
    let text = read_text(path)?;
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| ImportError::field(path, 1, "header", e.to_string()))?;
    if header.iter().map(str::trim).ne(GEONAMES_HEADER) {
        let found = header.iter().collect::<Vec<_>>().join(",");
        let message = format!("expected `{}`, found `{found}`", GEONAMES_HEADER.join(","));
        return Err(ImportError::field(path, 1, "header", message));
    }
    let mut cities = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            ImportError::field(path, line, "row", e.to_string())
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let num = |k: usize, field: &str| number(path, line, field, &record[k]);
        let (lat, lon) = (num(4, "latitude")?, num(5, "longitude")?);
        if !(bbox[0] <= lat && lat <= bbox[2] && bbox[1] <= lon && lon <= bbox[3]) {
            continue;
        }
        let id = num(0, "geonameid")? as u64;
        let population = num(6, "population")?.max(0.0) as u64;
        let clean = |s: &str| s.replace(['\t', '\n', '\r', '|'], " ").trim().to_owned();
        cities.push(City {
            id,
            name: clean(&record[1]),
            country: record[2].trim().to_owned(),
            lat,
            lon,
            population,
            tz: record[7].trim().to_owned(),
            alternates: record[8].split('|').map(clean).filter(|s| !s.is_empty()).collect(),
        });
    }
    Ok(cities)
}

/// A curated border post merges with an entry of the same name within this, km.
pub const EXTRA_MERGE_KM: f64 = 15.0;

/// A curated place (`data/places/extra_places.csv`).
#[derive(Clone, Debug, PartialEq)]
pub struct ExtraPlace {
    /// `XB` code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Other spellings.
    pub aliases: Vec<String>,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// [`function`] flags.
    pub functions: u8,
}

/// The places the index adds to the open data, from the directory `dir` (`data/places/`): the
/// measured border posts of `extra_places.csv` (written by `tools/derive_border_places.py`)
/// and the hand-made places of `curated_places.csv` (the same columns: places no open source
/// lists, such as the railhead of Nizhny Bestyakh across the Lena from Yakutsk), in that order.
pub fn read_index_extras(dir: &Path) -> Result<Vec<ExtraPlace>, ImportError> {
    let mut out = read_extra_places(&dir.join("extra_places.csv"))?;
    out.extend(read_extra_places(&dir.join("curated_places.csv"))?);
    Ok(out)
}

/// Reads `extra_places.csv` (`code,name,aliases,country,lat,lon,functions,src,note`).
pub fn read_extra_places(path: &Path) -> Result<Vec<ExtraPlace>, ImportError> {
    let text = read_text(path)?;
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            ImportError::field(path, e.position().map_or(0, |p| p.line() as usize), "row", e.to_string())
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.len() < 7 {
            return Err(ImportError::field(path, line, "row", format!("expected 9 fields, found {}", record.len())));
        }
        let num = |k: usize, field: &str| number(path, line, field, &record[k]);
        let mut functions = 0;
        for c in record[6].chars() {
            functions |= match c {
                'b' => function::BORDER,
                'd' => function::ROAD,
                'r' => function::RAIL,
                'p' => function::PORT,
                _ => return Err(ImportError::field(path, line, "functions", format!("unknown letter {c:?}"))),
            };
        }
        out.push(ExtraPlace {
            code: record[0].trim().to_owned(),
            name: record[1].trim().to_owned(),
            aliases: record[2].split('|').map(str::trim).filter(|a| !a.is_empty()).map(str::to_owned).collect(),
            country: record[3].trim().to_owned(),
            lat: num(4, "lat")?,
            lon: num(5, "lon")?,
            functions,
        });
    }
    Ok(out)
}

/// Rule 8: curated border posts join an entry of their name or become entries.
pub fn add_extra_places(entries: &mut Vec<UnlocodeEntry>, extra: &[ExtraPlace]) {
    for x in extra {
        let keys: Vec<String> = std::iter::once(&x.name).chain(&x.aliases).map(|s| normalize(s)).collect();
        let same = entries.iter().position(|e| {
            let t = &e.terminal;
            t.country == x.country
                && haversine_km((t.lat, t.lon), (x.lat, x.lon)) <= EXTRA_MERGE_KM
                && keys.contains(&normalize(&t.name))
        });
        match same {
            Some(i) => {
                let e = &mut entries[i];
                e.terminal.functions |= x.functions;
                for n in std::iter::once(&x.name).chain(&x.aliases) {
                    if normalize(n) != normalize(&e.terminal.name) && !e.extra_names.contains(n) {
                        e.extra_names.push(n.clone());
                    }
                }
            }
            None => entries.push(UnlocodeEntry {
                terminal: crate::raw::Terminal {
                    code: x.code.clone(),
                    name: x.name.clone(),
                    country: x.country.clone(),
                    lat: x.lat,
                    lon: x.lon,
                    functions: x.functions,
                },
                local_name: None,
                extra_names: x.aliases.clone(),
            }),
        }
    }
}

/// How far around an entry the country check of rule 7 probes, degrees (about 11 km).
pub const COUNTRY_PROBE_DEG: f64 = 0.1;

/// Reads the sources and returns the places in rank order (see the module documentation).
pub fn read_places(
    unlocode: &Path,
    geonames: &Path,
    searoute_ports: &Path,
    countries: &crate::Countries,
    extra: &[ExtraPlace],
) -> Result<Vec<PlaceRecord>, ImportError> {
    let mut entries = read_unlocode_entries(unlocode, Some(REGION), function::FREIGHT | function::AIRPORT)?;
    let cities = read_geonames(geonames, REGION)?;
    let ports = crate::searoute::read_searoute_ports(searoute_ports)?;
    relocate(&mut entries, &cities);
    let from_unlocode = entries.len();
    add_searoute_ports(&mut entries, &ports);
    fix_countries(&mut entries[from_unlocode..], countries);
    add_extra_places(&mut entries, extra);
    Ok(merge(entries, cities))
}

/// Rule 6 for searoute ports: a port's name becomes a name of the entry with its code; a port
/// without an entry (inside the region) becomes an entry.
pub fn add_searoute_ports(entries: &mut Vec<UnlocodeEntry>, ports: &[crate::raw::Terminal]) {
    let by_code: HashMap<String, usize> =
        entries.iter().enumerate().map(|(i, e)| (e.terminal.code.clone(), i)).collect();
    for p in ports {
        let agree = |e: &UnlocodeEntry| {
            let (a, b) = (normalize(&p.name), normalize(&e.terminal.name));
            !a.is_empty() && !b.is_empty() && (a.starts_with(&b) || b.starts_with(&a))
        };
        match by_code.get(&p.code) {
            // Both sources name the same port. searoute's positions are not better in general
            // (many are rounded to whole degrees: CNRUI Ruili at 24.0, 97.5), so the UN/LOCODE
            // position stays.
            Some(&i) if agree(&entries[i]) => {
                let e = &mut entries[i];
                e.terminal.functions |= function::PORT;
                if normalize(&p.name) != normalize(&e.terminal.name) && !e.extra_names.contains(&p.name) {
                    e.extra_names.push(p.name.clone());
                }
            }
            // searoute sometimes names a code's port after another place (ESSEV, Serranillos
            // del Valle near Madrid, is "Seville" there): a name is taken only when both sources
            // put the port within SEAROUTE_NAME_KM. Unless UN/LOCODE's entry is a port that its
            // geocoded position puts far from every searoute port (IRZBR "Chah Bahar", the
            // Iranian Indian Ocean port, lies near Shiraz there, 966 km inland): then it is that
            // position which is wrong, and the port moves to searoute's.
            Some(&i)
                if haversine_km((p.lat, p.lon), (entries[i].terminal.lat, entries[i].terminal.lon))
                    > SEAROUTE_NAME_KM =>
            {
                let e = &mut entries[i];
                let at = (e.terminal.lat, e.terminal.lon);
                let inland = e.terminal.functions & function::PORT != 0
                    && ports.iter().all(|q| haversine_km((q.lat, q.lon), at) > INLAND_PORT_KM);
                if inland {
                    e.terminal.lat = p.lat;
                    e.terminal.lon = p.lon;
                    if normalize(&p.name) != normalize(&e.terminal.name) && !e.extra_names.contains(&p.name) {
                        e.extra_names.push(p.name.clone());
                    }
                }
            }
            Some(&i) => {
                let e = &mut entries[i];
                e.terminal.functions |= function::PORT;
                if normalize(&p.name) != normalize(&e.terminal.name) && !e.extra_names.contains(&p.name) {
                    e.extra_names.push(p.name.clone());
                }
            }
            None if REGION[0] <= p.lat && REGION[1] <= p.lon => {
                entries.push(UnlocodeEntry { terminal: p.clone(), local_name: None, extra_names: Vec::new() });
            }
            None => {}
        }
    }
}

/// The forms of a UN/LOCODE name that people type (rule 6), without the name itself.
pub fn name_forms(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: &str| {
        let s = s.trim().trim_matches(|c| c == ',' || c == '-').trim();
        if !s.is_empty() && s != name && !out.iter().any(|o| o == s) {
            out.push(s.to_owned());
        }
    };
    let head = name.split('/').next().unwrap_or(name);
    push(head);
    let mut bases = vec![head.to_owned()];
    if let Some((a, rest)) = head.split_once('(') {
        let inner = rest.trim_end().trim_end_matches(')');
        push(a);
        push(inner);
        bases = vec![a.trim().to_owned(), inner.trim().to_owned()];
    }
    for b in bases {
        for suffix in [" International Apt", " Intl Apt", " Apt", " Pt", " Pt.", " Port"] {
            if let Some(stem) = b.strip_suffix(suffix)
                && stem.trim().len() >= 3
            {
                push(stem);
            }
        }
    }
    out
}

/// Rule 7: entries well inside another country's polygon take that country; returns how many.
pub fn fix_countries(entries: &mut [UnlocodeEntry], countries: &crate::Countries) -> usize {
    let mut fixed = 0;
    for e in entries.iter_mut() {
        let t = &mut e.terminal;
        let d = COUNTRY_PROBE_DEG;
        let probes = [(0.0, 0.0), (d, 0.0), (-d, 0.0), (0.0, d), (0.0, -d)];
        let found: Vec<Option<u16>> = probes.iter().map(|(a, b)| countries.locate(t.lat + a, t.lon + b)).collect();
        let Some(Some(c)) = found.first().copied() else { continue };
        if found.iter().all(|f| *f == Some(c)) {
            let iso = countries.iso2(c);
            if iso.len() == 2 && iso != t.country {
                t.country = iso.to_owned();
                fixed += 1;
            }
        }
    }
    fixed
}

/// Moves entries named after a big city but located far from it (rule 4); returns how many.
pub fn relocate(entries: &mut [UnlocodeEntry], cities: &[City]) -> usize {
    let mut by_name: HashMap<(String, String), Vec<usize>> = HashMap::new();
    for (i, c) in cities.iter().enumerate() {
        if c.population >= 100_000 {
            by_name.entry((c.country.clone(), normalize(&c.name))).or_default().push(i);
        }
    }
    let mut moved = 0;
    for entry in entries.iter_mut() {
        let t = &mut entry.terminal;
        let words: Vec<&str> = t.name.split_whitespace().collect();
        let mut target: Option<usize> = None;
        // "Sheremetyevo Apt/Moscow": the part after the slash names the city.
        let after_slash = t.name.split_once('/').map(|(_, c)| c.trim().to_owned());
        let prefixes: Vec<String> =
            after_slash.into_iter().chain((1..=words.len().min(3)).rev().map(|n| words[..n].join(" "))).collect();
        for prefix in prefixes {
            let key = normalize(&prefix);
            if key.len() < 4 {
                continue;
            }
            if let Some(ids) = by_name.get(&(t.country.clone(), key)) {
                let near =
                    ids.iter().any(|&c| haversine_km((t.lat, t.lon), (cities[c].lat, cities[c].lon)) <= RELOCATE_KM);
                if !near {
                    target = ids.iter().copied().max_by_key(|&c| (cities[c].population, std::cmp::Reverse(c)));
                }
                break;
            }
        }
        if let Some(c) = target {
            t.lat = cities[c].lat;
            t.lon = cities[c].lon;
            moved += 1;
        }
    }
    moved
}

/// Adds trade codes as aliases (rule 5): each `(code, place)` makes `code` an alias of the record
/// whose code is `place`. Errors name a trade code whose place is not among the records.
pub fn apply_trade_codes(records: &mut [PlaceRecord], codes: &[(String, String)]) -> Result<(), String> {
    for (code, place) in codes {
        let r = records
            .iter_mut()
            .find(|r| r.code == *place)
            .ok_or_else(|| format!("trade code {code}: no place {place} in the index"))?;
        // A name of the place (tier 0): the trade code is meant to find it first.
        r.aliases.insert(0, code.clone());
        r.primary_aliases += 1;
    }
    Ok(())
}

fn functions_of(bits: u8) -> Functions {
    let mut f = Functions::NONE;
    for (b, g) in [
        (function::PORT, Functions::PORT),
        (function::RAIL, Functions::RAIL),
        (function::ROAD, Functions::ROAD),
        (function::MULTIMODAL, Functions::MULTIMODAL),
        (function::BORDER, Functions::BORDER),
        (function::AIRPORT, Functions::AIRPORT),
    ] {
        if bits & b != 0 {
            f = f.union(g);
        }
    }
    f
}

fn function_weight(f: Functions) -> f64 {
    [
        (Functions::PORT, 4.0),
        (Functions::RAIL, 3.0),
        (Functions::BORDER, 2.0),
        (Functions::MULTIMODAL, 1.0),
        (Functions::ROAD, 1.0),
        (Functions::AIRPORT, 1.0),
    ]
    .iter()
    .filter(|(g, _)| f.contains(*g))
    .map(|(_, w)| w)
    .sum()
}

/// The rank score of a place (higher first).
pub fn rank(functions: Functions, population: u64) -> f64 {
    0.5 * function_weight(functions) + 3.0 * (population.max(1000) as f64).log10()
}

/// A 1° grid over city indices, for nearest-city and merge look-ups.
struct Grid {
    cells: HashMap<(i32, i32), Vec<usize>>,
}

impl Grid {
    fn new(cities: &[City]) -> Grid {
        let mut cells: HashMap<(i32, i32), Vec<usize>> = HashMap::new();
        for (i, c) in cities.iter().enumerate() {
            cells.entry(cell(c.lat, c.lon)).or_default().push(i);
        }
        Grid { cells }
    }

    /// Cities within `ring` cells of the point's cell.
    fn around(&self, lat: f64, lon: f64, ring: i32) -> impl Iterator<Item = usize> + '_ {
        let (a, b) = cell(lat, lon);
        (-ring..=ring)
            .flat_map(move |da| (-ring..=ring).map(move |db| (a + da, b + db)))
            .filter_map(|k| self.cells.get(&k))
            .flatten()
            .copied()
    }
}

fn cell(lat: f64, lon: f64) -> (i32, i32) {
    (lat.floor() as i32, lon.floor() as i32)
}

/// Joins entries and cities into ranked places.
pub fn merge(entries: Vec<UnlocodeEntry>, cities: Vec<City>) -> Vec<PlaceRecord> {
    let grid = Grid::new(&cities);
    let city_keys: Vec<Vec<String>> = cities
        .iter()
        .map(|c| {
            let mut k: Vec<String> = std::iter::once(&c.name).chain(&c.alternates).map(|s| normalize(s)).collect();
            k.sort();
            k.dedup();
            k
        })
        .collect();
    // Best entry per city: (functions weight, -distance) highest.
    let mut claim: HashMap<usize, (usize, f64, f64)> = HashMap::new();
    for (e, entry) in entries.iter().enumerate() {
        let t = &entry.terminal;
        let names: Vec<String> = std::iter::once(t.name.clone())
            .chain(entry.local_name.clone())
            .chain(entry.extra_names.iter().cloned())
            .chain(name_forms(&t.name))
            .map(|s| normalize(&s))
            .collect();
        // 30 km is well inside one ring of 1° cells except near the poles.
        for c in grid.around(t.lat, t.lon, 1) {
            let city = &cities[c];
            if city.country != t.country {
                continue;
            }
            let d = haversine_km((t.lat, t.lon), (city.lat, city.lon));
            if d > MERGE_KM || !names.iter().any(|n| city_keys[c].binary_search(n).is_ok()) {
                continue;
            }
            let w = function_weight(functions_of(t.functions));
            let better = claim.get(&c).is_none_or(|&(_, bw, bd)| w > bw || (w == bw && d < bd));
            if better {
                claim.insert(c, (e, w, d));
            }
        }
    }
    // An entry takes at most one city, so every city stays a place of its own or part of
    // exactly one: of the cities it won, the one whose own name is the entry's, then the nearest
    // (UN/LOCODE's Kaohsiung is the city of Kaohsiung, 0.5 km away, not Fengshan 5 km away,
    // whose alternate names hold the old county's name "Kaohsiung"), then the first by
    // GeoNames order.
    let own_name = |e: usize, c: usize| {
        let t = &entries[e].terminal;
        let city = normalize(&cities[c].name);
        std::iter::once(&t.name).chain(&entries[e].local_name).any(|n| normalize(n) == city)
    };
    let mut best_city: HashMap<usize, (bool, f64, usize)> = HashMap::new();
    let mut claims: Vec<(usize, (usize, f64, f64))> = claim.into_iter().collect();
    claims.sort_by_key(|&(c, _)| c);
    for (c, (e, _, d)) in claims {
        let other = !own_name(e, c);
        let better = best_city
            .get(&e)
            .is_none_or(|&(bo, bd, bc)| other.cmp(&bo).then(d.total_cmp(&bd)).then(c.cmp(&bc)).is_lt());
        if better {
            best_city.insert(e, (other, d, c));
        }
    }
    let mut city_of_entry: HashMap<usize, usize> = HashMap::new();
    let mut claimed_city = vec![false; cities.len()];
    for (e, (_, _, c)) in best_city {
        city_of_entry.insert(e, c);
        claimed_city[c] = true;
    }
    let nearest_tz = |lat: f64, lon: f64, country: &str| -> String {
        for same_country in [true, false] {
            for ring in [1, 3, 8, 20] {
                let best = grid
                    .around(lat, lon, ring)
                    .filter(|&c| !same_country || cities[c].country == country)
                    .map(|c| (haversine_km((lat, lon), (cities[c].lat, cities[c].lon)), c))
                    .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                if let Some((_, c)) = best {
                    return cities[c].tz.clone();
                }
            }
        }
        "UTC".to_owned()
    };
    let mut out: Vec<(f64, PlaceRecord)> = Vec::with_capacity(entries.len() + cities.len());
    for (e, entry) in entries.iter().enumerate() {
        let t = &entry.terminal;
        let functions = functions_of(t.functions);
        // Names first (the entry's own forms), then the city's alternate names.
        let mut aliases: Vec<String> = entry.local_name.iter().cloned().collect();
        aliases.extend(entry.extra_names.iter().cloned());
        let (population, tz, name, functions) = match city_of_entry.get(&e) {
            Some(&c) => {
                let city = &cities[c];
                aliases.push(t.name.clone());
                // The city's own name is the one people know ("Qingdao", not "Qingdao Pt").
                (city.population, city.tz.clone(), city.name.clone(), functions.union(Functions::CITY))
            }
            None => (0, nearest_tz(t.lat, t.lon, &t.country), t.name.clone(), functions),
        };
        // The name's forms (without suffix or qualifier) rank after the names themselves:
        // "Frankfurt" is Frankfurt am Main's alternate name before it is Frankfurt (Oder)'s form.
        let primary_aliases = aliases.len();
        aliases.extend(name_forms(&t.name));
        if let Some(&c) = city_of_entry.get(&e) {
            aliases.extend(cities[c].alternates.iter().cloned());
            // The city's GeoNames id, the code it has when no entry takes it, keeps naming it
            // here: a query by id ("GN128747", Karaj) must not stop resolving when a change of
            // the merge rule hands the city to an entry.
            aliases.push(format!("GN{}", cities[c].id));
        }
        // A city's position is GeoNames' (to 1e-5 degree, at the centre people mean by its
        // name); an entry's alone is UN/LOCODE's (to the minute, geocoded).
        let (lat, lon) = city_of_entry.get(&e).map_or((t.lat, t.lon), |&c| (cities[c].lat, cities[c].lon));
        let clean_name = name.replace(['\t', '\n', '\r', '|'], " ");
        let record = PlaceRecord {
            code: t.code.clone(),
            name: clean_name,
            country: t.country.clone(),
            lat,
            lon,
            functions,
            population,
            tz,
            aliases: aliases.into_iter().map(|a| a.replace(['\t', '\n', '\r', '|'], " ")).collect(),
            primary_aliases,
        };
        out.push((rank(functions, population), record));
    }
    for (c, city) in cities.iter().enumerate() {
        if claimed_city[c] {
            continue;
        }
        let record = PlaceRecord {
            code: format!("GN{}", city.id),
            name: city.name.clone(),
            country: city.country.clone(),
            lat: city.lat,
            lon: city.lon,
            functions: Functions::CITY,
            population: city.population,
            tz: city.tz.clone(),
            aliases: city.alternates.clone(),
            primary_aliases: 0,
        };
        out.push((rank(Functions::CITY, city.population), record));
    }
    out.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.code.cmp(&b.1.code)));
    out.into_iter().map(|(_, r)| r).collect()
}
