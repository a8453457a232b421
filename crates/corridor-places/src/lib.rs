//! The place index: every place a user may name as an origin or destination, beyond the
//! curated corridor network.
//!
//! It holds the UN/LOCODE 2024 entries with a port, rail, road, multimodal, airport or border
//! function and the GeoNames cities of 15,000 people or more (with their names in other scripts),
//! for Europe, Asia, the Middle East and Africa north of 12° S (the box `lat >= -12`, `lon >= -25`).
//! A GeoNames city and a UN/LOCODE entry of the same country within 30 km whose names agree are
//! one place. The index is built from `../shared/data` by `corridor-import`'s `build_places`
//! example and committed under `data/places/` (see `data/places/SOURCES.md`); the binary embeds it.
//!
//! Three files make the index, all produced by [`encode`]:
//! - `places.tsv`: one place per line in rank order (best first): code, name, country, lat, lon,
//!   function letters, population, IANA time zone, aliases. A [`PlaceId`] is the byte offset of
//!   its line, so finding a place needs no table of lines and loading costs nothing.
//! - `keys.fst`: an [`fst::Map`] from every normalized key (code, name, aliases; see
//!   [`corridor_model::normalize`]) to one place id, or to a postings entry when several places
//!   share the key.
//! - `postings.bin`: little-endian `u32` words, per entry the count then the place ids in rank
//!   order.
//!
//! This crate does no I/O: the embedded files are compiled in, and [`encode`] returns bytes.

mod encode;
mod query;

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

pub use encode::{EncodeError, Encoded, PlaceRecord, encode};
pub use query::{MAX_QUERY_LEN, PlaceQuery, QueryError, parse_query};

/// Longest name (normalized, bytes) that gets spelling suggestions. The Levenshtein automaton
/// over the whole index costs time with the name's length (a 200-letter unknown name took
/// 0.35 s of CPU to refuse, found by fuzzing the server); real place names are shorter (the
/// longest in the index's sources are about 60 letters).
pub const MAX_SUGGEST_LEN: usize = 64;

use corridor_model::normalize;

/// A place of the index: the byte offset of its line in `places.tsv` (dense enough, stable for
/// one build of the index, and ordered by rank).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct PlaceId(u32);

impl PlaceId {
    /// The raw value (a byte offset).
    pub fn raw(self) -> u32 {
        self.0
    }
}

/// What a place is used for, as flags (UN/LOCODE functions, plus `CITY` for a GeoNames city).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub struct Functions(u8);

impl Functions {
    /// Seaport or river port (UN/LOCODE function 1).
    pub const PORT: Functions = Functions(1);
    /// Rail terminal (function 2).
    pub const RAIL: Functions = Functions(2);
    /// Road terminal (function 3).
    pub const ROAD: Functions = Functions(4);
    /// Multimodal functions such as an inland clearance depot (function 6).
    pub const MULTIMODAL: Functions = Functions(8);
    /// Border crossing (function B).
    pub const BORDER: Functions = Functions(16);
    /// Airport (function 4).
    pub const AIRPORT: Functions = Functions(32);
    /// A city of 15,000 people or more (GeoNames).
    pub const CITY: Functions = Functions(64);

    /// Each flag with its letter in `places.tsv` and its name for people, in display order.
    const TABLE: [(Functions, char, &'static str); 7] = [
        (Functions::PORT, 'p', "port"),
        (Functions::RAIL, 'r', "rail terminal"),
        (Functions::ROAD, 'd', "road terminal"),
        (Functions::MULTIMODAL, 'm', "multimodal"),
        (Functions::BORDER, 'b', "border crossing"),
        (Functions::AIRPORT, 'a', "airport"),
        (Functions::CITY, 'c', "city"),
    ];

    /// No function.
    pub const NONE: Functions = Functions(0);

    /// The raw bits.
    pub fn bits(self) -> u8 {
        self.0
    }

    /// Flags from raw bits (unknown bits are dropped).
    pub fn from_bits(bits: u8) -> Functions {
        Functions(bits & 127)
    }

    /// Whether all flags of `other` are set.
    pub fn contains(self, other: Functions) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether any flag of `other` is set.
    pub fn intersects(self, other: Functions) -> bool {
        self.0 & other.0 != 0
    }

    /// The union.
    pub fn union(self, other: Functions) -> Functions {
        Functions(self.0 | other.0)
    }

    /// The letters of `places.tsv` (`"prd"`).
    pub fn letters(self) -> String {
        Self::TABLE.iter().filter(|(f, ..)| self.contains(*f)).map(|(_, c, _)| *c).collect()
    }

    /// Parses the letters of `places.tsv`; `None` on an unknown letter.
    pub fn from_letters(s: &str) -> Option<Functions> {
        s.chars().try_fold(Functions::NONE, |acc, c| {
            Self::TABLE.iter().find(|(_, l, _)| *l == c).map(|(f, ..)| acc.union(*f))
        })
    }

    /// The names of the flags for people (`["port", "rail terminal"]`).
    pub fn names(self) -> Vec<&'static str> {
        Self::TABLE.iter().filter(|(f, ..)| self.contains(*f)).map(|(.., n)| *n).collect()
    }
}

/// One place, borrowed from the index.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Place<'a> {
    /// Where it is in the index.
    pub id: PlaceId,
    /// UN/LOCODE without the space (`CNTAO`), or `GN` and the GeoNames id for a city without one.
    pub code: &'a str,
    /// Display name.
    pub name: &'a str,
    /// ISO 3166-1 alpha-2 country code.
    pub country: &'a str,
    /// Latitude, WGS84 degrees.
    pub lat: f64,
    /// Longitude, WGS84 degrees.
    pub lon: f64,
    /// What the place is used for.
    pub functions: Functions,
    /// Inhabitants (GeoNames), 0 when unknown.
    pub population: u64,
    /// IANA time zone (the GeoNames city's, or the nearest city's for a UN/LOCODE entry).
    pub tz: &'a str,
    aliases: &'a str,
}

impl<'a> Place<'a> {
    /// Other names and spellings (`|`-separated in the file).
    pub fn aliases(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.aliases.split('|').filter(|a| !a.is_empty())
    }

    /// "Qingdao (CNTAO, CN)".
    pub fn label(&self) -> String {
        format!("{} ({}, {})", self.name, self.code, self.country)
    }
}

impl fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

/// The place index (see the crate documentation). Immutable and `Sync`; share one per process.
pub struct PlaceIndex {
    text: Cow<'static, str>,
    keys: fst::Map<Cow<'static, [u8]>>,
    postings: Cow<'static, [u8]>,
    /// Every place's id and coordinates, parsed on the first geographic query.
    coords: OnceLock<Vec<(PlaceId, f32, f32)>>,
}

impl fmt::Debug for PlaceIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PlaceIndex").field("bytes", &self.text.len()).field("keys", &self.keys.len()).finish()
    }
}

static EMBEDDED: OnceLock<PlaceIndex> = OnceLock::new();

/// Why the index files could not be opened.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
    /// The key map is not an fst map.
    #[error("place keys: {0}")]
    Keys(String),
    /// The postings are not whole `u32` words, or a key points outside the files.
    #[error("place index is inconsistent: {0}")]
    Inconsistent(String),
}

impl PlaceIndex {
    /// The index compiled into the binary (`data/places/`), opened once per process.
    pub fn embedded() -> &'static PlaceIndex {
        EMBEDDED.get_or_init(|| {
            PlaceIndex::open(
                Cow::Borrowed(include_str!("../../../data/places/places.tsv")),
                Cow::Borrowed(include_bytes!("../../../data/places/keys.fst")),
                Cow::Borrowed(include_bytes!("../../../data/places/postings.bin")),
            )
            .expect("the embedded place index is checked by the tests of corridor-places")
        })
    }

    /// Opens an index from its three parts (see [`encode`]). The parts are checked for shape;
    /// every key's places are checked by [`PlaceIndex::check`].
    pub fn open(
        text: Cow<'static, str>,
        keys: Cow<'static, [u8]>,
        postings: Cow<'static, [u8]>,
    ) -> Result<PlaceIndex, OpenError> {
        let keys = fst::Map::new(keys).map_err(|e| OpenError::Keys(e.to_string()))?;
        if !postings.len().is_multiple_of(4) {
            return Err(OpenError::Inconsistent(format!("postings are {} bytes, not whole u32 words", postings.len())));
        }
        if text.len() >= u32::MAX as usize {
            return Err(OpenError::Inconsistent("places.tsv is 4 GiB or more".into()));
        }
        Ok(PlaceIndex { text, keys, postings, coords: OnceLock::new() })
    }

    /// Checks that every key points at places that parse (the whole index; for tests and
    /// `corridor validate`).
    pub fn check(&self) -> Result<usize, OpenError> {
        use fst::Streamer;
        let mut stream = self.keys.stream();
        let mut n = 0;
        while let Some((key, v)) = stream.next() {
            let ids = self.postings_of(v).ok_or_else(|| {
                OpenError::Inconsistent(format!("key {:?}: postings out of range", String::from_utf8_lossy(key)))
            })?;
            for id in ids {
                self.try_place(id).ok_or_else(|| {
                    OpenError::Inconsistent(format!("key {:?}: no place at {}", String::from_utf8_lossy(key), id.0))
                })?;
            }
            n += 1;
        }
        Ok(n)
    }

    /// Number of distinct keys.
    pub fn key_count(&self) -> usize {
        self.keys.len()
    }

    /// Size of the three parts in bytes (text, keys, postings).
    pub fn sizes(&self) -> (usize, usize, usize) {
        (self.text.len(), self.keys.as_fst().as_bytes().len(), self.postings.len())
    }

    /// The place with this id. Ids come from this index, so the line exists.
    pub fn place(&self, id: PlaceId) -> Place<'_> {
        self.try_place(id).expect("place ids come from this index")
    }

    fn try_place(&self, id: PlaceId) -> Option<Place<'_>> {
        let start = id.0 as usize;
        if start == 0 || !self.text.is_char_boundary(start) || self.text.as_bytes().get(start - 1) != Some(&b'\n') {
            return None;
        }
        let rest = &self.text[start..];
        let line = rest.split('\n').next()?;
        parse_line(id, line)
    }

    /// All places in rank order.
    pub fn iter(&self) -> impl Iterator<Item = Place<'_>> + '_ {
        let mut offset = 0usize;
        self.text.split_inclusive('\n').filter_map(move |line| {
            let id = PlaceId(offset as u32);
            offset += line.len();
            if line.starts_with('#') { None } else { parse_line(id, line.trim_end_matches('\n')) }
        })
    }

    fn postings_of(&self, v: u64) -> Option<Vec<PlaceId>> {
        if v & encode::MULTI == 0 {
            return Some(vec![PlaceId(u32::try_from(v).ok()?)]);
        }
        let at = usize::try_from(v & !encode::MULTI).ok()?;
        let word = |i: usize| -> Option<u32> {
            let b = self.postings.get(i * 4..i * 4 + 4)?;
            Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        };
        let n = word(at)? as usize;
        (0..n).map(|k| word(at + 1 + k).map(PlaceId)).collect()
    }

    /// The places whose code, name or alias normalizes to the same key as `name`, best ranked
    /// first; with `country`, only that country's.
    pub fn lookup(&self, name: &str, country: Option<&str>) -> Vec<PlaceId> {
        let key = normalize(name);
        if key.is_empty() {
            return Vec::new();
        }
        let ids = self.keys.get(key.as_bytes()).and_then(|v| self.postings_of(v)).unwrap_or_default();
        ids.into_iter()
            .filter(|&id| country.is_none_or(|c| self.try_place(id).is_some_and(|p| p.country.eq_ignore_ascii_case(c))))
            .collect()
    }

    /// Like [`PlaceIndex::lookup`] for the spelling variants that transliteration produces when
    /// the name itself has no match: `i`/`y` at one position (`Zabaikalsk`, `Zabaykalsk`), a
    /// doubled final `y` (`Vostochny`, `Vostochnyy`), `h`/`kh` at one position (`Hujand`,
    /// `Khujand`). Returns the places of the first variant that has any, with that variant's key.
    pub fn lookup_variant(&self, name: &str, country: Option<&str>) -> Option<(String, Vec<PlaceId>)> {
        let key = normalize(name);
        if key.is_empty() || key.len() > MAX_QUERY_LEN {
            return None;
        }
        variants(&key).into_iter().find_map(|v| {
            let ids = self.lookup(&v, country);
            (!ids.is_empty()).then_some((v, ids))
        })
    }

    /// Places whose keys are within a small edit distance of `name` (1; or 2 for names of 7
    /// letters or more whose first letter the key shares), best first: by distance, then rank.
    /// At most `n`. None for a name longer than [`MAX_SUGGEST_LEN`] bytes.
    pub fn suggest(&self, name: &str, n: usize) -> Vec<PlaceId> {
        use fst::{IntoStreamer, Streamer};
        let key = normalize(name);
        if key.is_empty() || key.len() > MAX_SUGGEST_LEN {
            return Vec::new();
        }
        let mut found: Vec<(usize, PlaceId)> = Vec::new();
        for distance in [1u32, 2] {
            if distance == 2 && key.len() < 7 {
                break;
            }
            let automaton = levenshtein_builder(distance).build_dfa(&key);
            // At distance 2 the first letter must match, as in Lucene's DirectSpellChecker
            // (`minPrefix` 1) and Elasticsearch's term suggester (`prefix_length` 1): without
            // it every two-letter prefix of the index is within reach and the walk visits most
            // of the 88,000 keys' trie.
            let first = &key.as_bytes()[..1];
            let mut stream = if distance == 2 {
                self.keys.search(&automaton).ge(first).lt(next_prefix(first)).into_stream()
            } else {
                self.keys.search(&automaton).into_stream()
            };
            while let Some((k, v)) = stream.next() {
                let d = edit_distance(k, key.as_bytes());
                for id in self.postings_of(v).unwrap_or_default() {
                    found.push((d, id));
                }
            }
            if found.len() >= n {
                break;
            }
        }
        found.sort();
        let mut out: Vec<PlaceId> = Vec::new();
        for (_, id) in found {
            if !out.contains(&id) {
                out.push(id);
            }
            if out.len() == n {
                break;
            }
        }
        out
    }

    /// The `n` places nearest to a point (great circle), with their distance in km; only those
    /// for which `keep` holds.
    pub fn nearest(&self, lat: f64, lon: f64, n: usize, keep: impl Fn(&Place<'_>) -> bool) -> Vec<(PlaceId, f64)> {
        let coords = self.coords.get_or_init(|| self.iter().map(|p| (p.id, p.lat as f32, p.lon as f32)).collect());
        let mut best: Vec<(f64, PlaceId)> = Vec::with_capacity(n + 1);
        // A degree of latitude is 111.19 km everywhere, so the latitude difference alone bounds
        // the distance from below and skips most places without the trigonometry.
        const KM_PER_DEG_LAT: f64 = std::f64::consts::PI * corridor_model::geo::EARTH_RADIUS_KM / 180.0;
        for &(id, plat, plon) in coords {
            if best.len() == n
                && best.last().is_some_and(|&(w, _)| (lat - f64::from(plat)).abs() * KM_PER_DEG_LAT * 0.999 >= w)
            {
                continue;
            }
            let d = corridor_model::geo::haversine_km((lat, lon), (f64::from(plat), f64::from(plon)));
            if best.len() == n && best.last().is_some_and(|&(w, _)| d >= w) {
                continue;
            }
            if !keep(&self.place(id)) {
                continue;
            }
            let at = best.partition_point(|&(w, _)| w <= d);
            best.insert(at, (d, id));
            best.truncate(n);
        }
        best.into_iter().map(|(d, id)| (id, d)).collect()
    }
}

/// Parses one line of `places.tsv`.
fn parse_line(id: PlaceId, line: &str) -> Option<Place<'_>> {
    let mut f = line.split('\t');
    let code = f.next()?;
    let name = f.next()?;
    let country = f.next()?;
    let lat: f64 = f.next()?.parse().ok()?;
    let lon: f64 = f.next()?.parse().ok()?;
    let functions = Functions::from_letters(f.next()?)?;
    let population: u64 = f.next()?.parse().ok()?;
    let tz = f.next()?;
    let aliases = f.next().unwrap_or("");
    if !(lat.is_finite() && lon.is_finite() && (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)) {
        return None;
    }
    Some(Place { id, code, name, country, lat, lon, functions, population, tz, aliases })
}

/// Transliteration variants of a normalized key, in a fixed order, without the key itself.
fn variants(key: &str) -> Vec<String> {
    let b = key.as_bytes();
    let mut out: Vec<String> = Vec::new();
    let mut push = |v: String| {
        if v != key && !out.contains(&v) {
            out.push(v);
        }
    };
    for (i, &c) in b.iter().enumerate() {
        let swap = match c {
            b'i' => Some("y"),
            b'y' => Some("i"),
            _ => None,
        };
        if let Some(r) = swap {
            push(format!("{}{r}{}", &key[..i], &key[i + 1..]));
        }
    }
    // A query naming the facility: "Hamad Port", "Port of Riga".
    for stem in
        [key.strip_suffix("port"), key.strip_prefix("portof"), key.strip_suffix("seaport")].into_iter().flatten()
    {
        if stem.len() >= 3 {
            push(stem.to_owned());
        }
    }
    if key.ends_with('y') {
        push(format!("{key}y"));
    }
    if let Some(stem) = key.strip_suffix("yy") {
        push(format!("{stem}y"));
    }
    for (i, _) in key.match_indices("kh") {
        push(format!("{}h{}", &key[..i], &key[i + 2..]));
    }
    for (i, _) in key.match_indices('h') {
        if i == 0 || b[i - 1] != b'k' {
            push(format!("{}kh{}", &key[..i], &key[i + 1..]));
        }
    }
    out
}

/// The smallest byte string above every string that starts with `prefix` (a one-byte ASCII
/// prefix here, so the increment cannot overflow).
fn next_prefix(prefix: &[u8]) -> Vec<u8> {
    let mut v = prefix.to_vec();
    if let Some(last) = v.last_mut() {
        *last = last.saturating_add(1);
    }
    v
}

/// Levenshtein distance of two byte strings (keys are ASCII).
fn edit_distance(a: &[u8], b: &[u8]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The Levenshtein automaton builders for edit distance 1 and 2 (no transpositions, as
/// [`edit_distance`]), built once per process: each precomputes the parametric table from which
/// a query's DFA is then built in time linear in the query.
fn levenshtein_builder(distance: u32) -> &'static levenshtein_automata::LevenshteinAutomatonBuilder {
    static BUILDERS: OnceLock<[levenshtein_automata::LevenshteinAutomatonBuilder; 2]> = OnceLock::new();
    let builders = BUILDERS.get_or_init(|| {
        [
            levenshtein_automata::LevenshteinAutomatonBuilder::new(1, false),
            levenshtein_automata::LevenshteinAutomatonBuilder::new(2, false),
        ]
    });
    &builders[if distance <= 1 { 0 } else { 1 }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use fst::Streamer;

    /// The automaton walk finds exactly the places a brute-force edit distance over all keys
    /// finds, at distance 1 and 2 (names of 7 letters or more, same first letter), on misspellings, garbage and
    /// non-ASCII names. One pass over the keys serves every name (the oracle is slow in debug).
    #[test]
    fn suggestions_equal_brute_force_edit_distance() {
        let index = PlaceIndex::embedded();
        let names = ["Duisbrg", "Almati", "Atlantis", "Qwertzuiop", "Ürümqi"];
        let keys: Vec<String> = names.iter().map(|n| normalize(n)).collect();
        let mut want: Vec<Vec<PlaceId>> = vec![Vec::new(); names.len()];
        let mut all = index.keys.stream();
        while let Some((k, v)) = all.next() {
            for (i, key) in keys.iter().enumerate() {
                let budget = if key.len() >= 7 && k.first() == key.as_bytes().first() { 2 } else { 1 };
                if k.len().abs_diff(key.len()) <= budget && edit_distance(k, key.as_bytes()) <= budget {
                    want[i].extend(index.postings_of(v).unwrap_or_default());
                }
            }
        }
        for (i, name) in names.iter().enumerate() {
            let mut got = index.suggest(name, usize::MAX);
            got.sort();
            want[i].sort();
            want[i].dedup();
            assert_eq!(got, want[i], "{name} ({})", keys[i]);
        }
    }
}
