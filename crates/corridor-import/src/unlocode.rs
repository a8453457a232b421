//! UN/LOCODE locations as terminals, from geoapify's CSV export
//! (`unlocode_2024_geoapify.csv.gz`: `country,location,name,nameWoDiacritics,subdivision,status,
//! function,iata,lat,lon`, coordinates in decimal degrees).
//!
//! Only freight-relevant locations are kept: those whose function column has a port (`1` in
//! position 1), rail (`2` in position 2), road (`3` in position 3), multimodal (`6` in position 6)
//! or border-crossing (`B` in position 8) flag, with coordinates. The place index
//! ([`read_unlocode_entries`]) also keeps airports (`4` in position 4). Other functions (postal
//! `5`, fixed transport `7`, `0` = not known) are ignored.
//!
//! Status codes (column 6) are UNECE's: `AA`, `AC`, `AF`, `AI`, `AM`, `AS` approved by some
//! authority, `AQ` approved but functions not verified, `RL` recognised location, `RN` requested
//! by national sources, `RQ` request under consideration, `QQ` not verified since, `UR` included
//! on a user's request, `RR` request rejected, `XX` entry to be removed. `XX` and `RR` rows are
//! skipped; all others are kept.
//!
//! Quirks of the 2024 export, handled here:
//! - A name containing a comma is written as two fields, `"""Mollersdorf"` and ` Baden"""`, in
//!   both name columns, and the status and IATA columns are dropped to keep ten fields
//!   (1,040 rows). Such rows are recognised (both name columns start with a quote and the eighth
//!   field, not the seventh, is a function) and realigned: the name is re-joined
//!   (`Mollersdorf, Baden`), the status is unknown (kept). Their coordinates are often geocoded
//!   from the name and sometimes wrong, or missing.
//! - Coordinates that are `NaN` or out of range (`lon = 381.83` for UAMIR) count as missing:
//!   30 rows.
//! - 139 codes appear twice (bilingual names: `Brussel (Bruxelles)` / `Bruxelles (Brussel)`).
//!   A code gives one terminal: the first kept row, with the function flags of all its kept rows.
//!
//! Errors name the file, the line and the field: a wrong header, a row with another number of
//! fields, a malformed country or location code, or a coordinate that is not a number.

use std::collections::HashMap;
use std::path::Path;

use crate::error::{ImportError, read_text};
use crate::raw::{Terminal, function};

/// The expected header.
const HEADER: [&str; 10] =
    ["country", "location", "name", "nameWoDiacritics", "subdivision", "status", "function", "iata", "lat", "lon"];

/// Reads the UN/LOCODE CSV (gzip when the name ends in `.gz`) into terminals, in file order
/// (see the module documentation for what is kept).
///
/// `bbox = [min_lat, min_lon, max_lat, max_lon]` (degrees, inclusive) keeps only locations inside
/// the box; a box with `min_lon > max_lon` wraps across the antimeridian. `code` is country and
/// location without the space (`CNXIA`), `name` the name without diacritics when present, else
/// the name.
pub fn read_unlocode(path: &Path, bbox: Option<[f64; 4]>) -> Result<Vec<Terminal>, ImportError> {
    Ok(read_unlocode_entries(path, bbox, function::FREIGHT)?.into_iter().map(|e| e.terminal).collect())
}

/// A UN/LOCODE entry: the terminal (name without diacritics) and the name as registered.
#[derive(Clone, Debug, PartialEq)]
pub struct UnlocodeEntry {
    /// Code, name without diacritics, country, coordinates and function flags.
    pub terminal: Terminal,
    /// The registered name, with diacritics (`Łódź`), when it differs from `terminal.name`.
    pub local_name: Option<String>,
    /// Other names of the same entry from other sources (a searoute port's name).
    pub extra_names: Vec<String>,
}

/// Reads the UN/LOCODE CSV like [`read_unlocode`], keeping the entries that have one of the
/// function flags in `mask` (e.g. [`function::FREIGHT`] `|` [`function::AIRPORT`] for the place
/// index), with their registered names.
pub fn read_unlocode_entries(path: &Path, bbox: Option<[f64; 4]>, mask: u8) -> Result<Vec<UnlocodeEntry>, ImportError> {
    if let Some(b) = bbox
        && !(b.iter().all(|x| x.is_finite()) && b[0] <= b[2])
    {
        return Err(ImportError::format(
            path,
            format!("bad bbox {b:?}: expected [min_lat, min_lon, max_lat, max_lon]"),
        ));
    }
    let text = read_text(path)?;
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| csv_error(path, 1, e))?;
    if header.iter().map(str::trim).ne(HEADER) {
        let found = header.iter().collect::<Vec<_>>().join(",");
        return Err(ImportError::field(path, 1, "header", format!("expected `{}`, found `{found}`", HEADER.join(","))));
    }

    let mut terminals: Vec<UnlocodeEntry> = Vec::new();
    let mut by_code: HashMap<String, usize> = HashMap::new();
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line() as usize;
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_error(path, line, e)),
        }
        let line = record.position().map_or(line, |p| p.line() as usize);
        if record.len() == 1 && record[0].trim().is_empty() {
            continue;
        }
        let row = Row::new(path, line, &record)?;
        let country = row.country.trim();
        if !(country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase())) {
            return Err(ImportError::field(path, line, "country", format!("{country:?} is not two capital letters")));
        }
        let location = row.location.trim();
        if !(location.len() == 3 && location.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())) {
            let message = format!("{location:?} is not three capital letters or digits");
            return Err(ImportError::field(path, line, "location", message));
        }
        let (lat, lon) = (coordinate(path, line, "lat", row.lat)?, coordinate(path, line, "lon", row.lon)?);
        let functions = flags(row.function) & mask;
        if matches!(row.status, "XX" | "RR") || functions == 0 {
            continue;
        }
        let (Some(lat), Some(lon)) = (lat, lon) else { continue };
        if !((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)) {
            continue;
        }
        let lon = crate::searoute::normalize_lon(lon);
        if let Some(b) = bbox
            && !in_bbox(b, lat, lon)
        {
            continue;
        }
        let code = format!("{country}{location}");
        if let Some(&k) = by_code.get(&code) {
            terminals[k].terminal.functions |= functions;
            continue;
        }
        let name = if row.name_wo.trim().is_empty() { row.name.trim() } else { row.name_wo.trim() };
        let name = strip_romanization_tag(name);
        by_code.insert(code.clone(), terminals.len());
        let local = strip_romanization_tag(row.name.trim());
        let local_name = (!local.is_empty() && local != name).then(|| local.into_owned());
        let terminal = Terminal { code, name: name.into_owned(), country: country.to_owned(), lat, lon, functions };
        terminals.push(UnlocodeEntry { terminal, local_name, extra_names: Vec::new() });
    }
    Ok(terminals)
}

/// A name that carries the romanization system it was written in ("BGN/PCGN1956 - HAMAD", Qatar's
/// Hamad Port in the 2024 export) is the part after the tag, in title case where the tag's part is
/// all capitals: the tag is no part of the name a user types or reads.
fn strip_romanization_tag(name: &str) -> std::borrow::Cow<'_, str> {
    let Some(rest) = name.strip_prefix("BGN/PCGN").and_then(|r| r.split_once(" - ")).map(|(_, n)| n.trim()) else {
        return name.into();
    };
    if rest.chars().any(char::is_lowercase) {
        return rest.into();
    }
    rest.split(' ')
        .map(|w| {
            let mut c = w.chars();
            c.next().map_or(String::new(), |f| f.to_uppercase().chain(c.flat_map(char::to_lowercase)).collect())
        })
        .collect::<Vec<_>>()
        .join(" ")
        .into()
}

/// One row's fields, realigned when the export split a name at its comma.
struct Row<'r> {
    country: &'r str,
    location: &'r str,
    name: std::borrow::Cow<'r, str>,
    name_wo: std::borrow::Cow<'r, str>,
    status: &'r str,
    function: &'r str,
    lat: &'r str,
    lon: &'r str,
}

impl<'r> Row<'r> {
    fn new(path: &Path, line: usize, r: &'r csv::StringRecord) -> Result<Row<'r>, ImportError> {
        if r.len() != HEADER.len() {
            let message = format!("expected {} fields, found {}", HEADER.len(), r.len());
            return Err(ImportError::field(path, line, "row", message));
        }
        let split_name = r[2].starts_with('"') && r[4].starts_with('"') && is_function(&r[7]) && !is_function(&r[6]);
        Ok(if split_name {
            let join = |a: &str, b: &str| format!("{},{}", a.trim_matches('"'), b.trim_matches('"')).into();
            Row {
                country: &r[0],
                location: &r[1],
                name: join(&r[2], &r[3]),
                name_wo: join(&r[4], &r[5]),
                status: "",
                function: &r[7],
                lat: &r[8],
                lon: &r[9],
            }
        } else {
            Row {
                country: &r[0],
                location: &r[1],
                name: r[2].into(),
                name_wo: r[3].into(),
                status: r[5].trim(),
                function: &r[6],
                lat: &r[8],
                lon: &r[9],
            }
        })
    }
}

/// Whether a field looks like a UN/LOCODE function column (eight characters of `0-9`, `A-Z`, `-`).
fn is_function(s: &str) -> bool {
    s.len() == 8 && s.bytes().all(|b| b == b'-' || b.is_ascii_digit() || b.is_ascii_uppercase())
}

/// The [`function`] flags of a function column, by position.
fn flags(s: &str) -> u8 {
    let s = s.trim().as_bytes();
    let at = |k: usize, c: u8| s.get(k) == Some(&c);
    let mut f = 0;
    for (k, c, flag) in [
        (0, b'1', function::PORT),
        (1, b'2', function::RAIL),
        (2, b'3', function::ROAD),
        (3, b'4', function::AIRPORT),
        (5, b'6', function::MULTIMODAL),
        (7, b'B', function::BORDER),
    ] {
        if at(k, c) {
            f |= flag;
        }
    }
    f
}

/// A coordinate: `None` when empty or not finite (`NaN`), an error when not a number.
fn coordinate(path: &Path, line: usize, field: &str, s: &str) -> Result<Option<f64>, ImportError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let x: f64 = s.parse().map_err(|_| ImportError::field(path, line, field, format!("cannot parse {s:?}")))?;
    Ok(x.is_finite().then_some(x))
}

/// Whether a point is inside `[min_lat, min_lon, max_lat, max_lon]`, wrapping when
/// `min_lon > max_lon`.
fn in_bbox(b: [f64; 4], lat: f64, lon: f64) -> bool {
    let lon_ok = if b[1] <= b[3] { b[1] <= lon && lon <= b[3] } else { lon >= b[1] || lon <= b[3] };
    b[0] <= lat && lat <= b[2] && lon_ok
}

fn csv_error(path: &Path, line: usize, e: csv::Error) -> ImportError {
    let line = e.position().map_or(line, |p| p.line() as usize);
    ImportError::field(path, line, "row", e.to_string())
}
