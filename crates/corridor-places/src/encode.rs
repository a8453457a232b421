//! Writing the index: places in rank order → `places.tsv`, `keys.fst` and `postings.bin`.
//!
//! The encoder is deterministic (same records, same bytes), so the committed files can be
//! checked against a rebuild from the sources.

use std::collections::BTreeMap;

use corridor_model::normalize;

use crate::Functions;

/// Marks an fst value that points into the postings instead of naming one place.
pub(crate) const MULTI: u64 = 1 << 63;

/// A place to be written, owned.
#[derive(Clone, Debug, PartialEq)]
pub struct PlaceRecord {
    /// UN/LOCODE without the space, or `GN<geonameid>`.
    pub code: String,
    /// Display name.
    pub name: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// Function flags.
    pub functions: Functions,
    /// Inhabitants, 0 when unknown.
    pub population: u64,
    /// IANA time zone.
    pub tz: String,
    /// Other names and spellings; those that normalize to a key already given are dropped.
    pub aliases: Vec<String>,
    /// How many of the first `aliases` are names of the place itself (another script, a form
    /// without a suffix) rather than alternate names: a key that is one of them ranks the place
    /// with its code and name, before places that have the key only as an alias.
    pub primary_aliases: usize,
}

/// The three parts of an index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Encoded {
    /// `places.tsv`.
    pub places_tsv: String,
    /// `keys.fst`.
    pub keys_fst: Vec<u8>,
    /// `postings.bin`.
    pub postings: Vec<u8>,
}

/// Why records could not be encoded.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum EncodeError {
    /// A field holds a tab or a line break (or an alias a `|`), which the format cannot carry.
    #[error("place {code}: field {field} contains a tab, line break or '|'")]
    Separator {
        /// The place.
        code: String,
        /// The field.
        field: &'static str,
    },
    /// A coordinate is not finite or out of range.
    #[error("place {code}: coordinates ({lat}, {lon}) out of range")]
    Coordinates {
        /// The place.
        code: String,
        /// Latitude.
        lat: f64,
        /// Longitude.
        lon: f64,
    },
    /// The text would exceed the 4 GiB that a `u32` id can address.
    #[error("places.tsv would exceed 4 GiB")]
    TooLarge,
    /// The fst builder failed.
    #[error("building the key map: {0}")]
    Fst(String),
}

const HEADER: &str = "#code\tname\tcountry\tlat\tlon\tfunctions\tpopulation\ttz\taliases\n";

/// Encodes places, already in rank order (best first), into the three files of an index.
pub fn encode(records: &[PlaceRecord]) -> Result<Encoded, EncodeError> {
    let mut text = String::from(HEADER);
    // Per key: (tier, place id); tier 0 = code, name or primary alias, 1 = other alias.
    let mut keys: BTreeMap<String, Vec<(u8, u32)>> = BTreeMap::new();
    for r in records {
        for (field, v) in [("code", &r.code), ("name", &r.name), ("country", &r.country), ("tz", &r.tz)] {
            if v.contains(['\t', '\n', '\r', '|']) {
                return Err(EncodeError::Separator { code: r.code.clone(), field });
            }
        }
        if !(r.lat.is_finite() && r.lon.is_finite() && r.lat.abs() <= 90.0 && r.lon.abs() <= 180.0) {
            return Err(EncodeError::Coordinates { code: r.code.clone(), lat: r.lat, lon: r.lon });
        }
        let id = u32::try_from(text.len()).map_err(|_| EncodeError::TooLarge)?;
        let mut own: Vec<(String, u8)> = Vec::new();
        let mut aliases: Vec<&str> = Vec::new();
        for (k, name) in [&r.code, &r.name].into_iter().chain(&r.aliases).enumerate() {
            if k >= 2 && name.contains(['\t', '\n', '\r', '|']) {
                return Err(EncodeError::Separator { code: r.code.clone(), field: "aliases" });
            }
            let key = normalize(name);
            if key.is_empty() || own.iter().any(|(o, _)| *o == key) {
                continue;
            }
            own.push((key, u8::from(k >= 2 + r.primary_aliases)));
            if k >= 2 {
                aliases.push(name.trim());
            }
        }
        for (key, tier) in own {
            keys.entry(key).or_default().push((tier, id));
        }
        use std::fmt::Write;
        let _ = writeln!(
            text,
            "{}\t{}\t{}\t{:.5}\t{:.5}\t{}\t{}\t{}\t{}",
            r.code,
            r.name,
            r.country,
            r.lat,
            r.lon,
            r.functions.letters(),
            r.population,
            r.tz,
            aliases.join("|")
        );
    }
    u32::try_from(text.len()).map_err(|_| EncodeError::TooLarge)?;
    let mut postings: Vec<u8> = Vec::new();
    let mut builder = fst::MapBuilder::memory();
    for (key, ids) in &mut keys {
        // Names before aliases, then rank (ids are in rank order).
        ids.sort_unstable();
        let ids: Vec<u32> = ids.iter().map(|&(_, id)| id).collect();
        let value = if let [one] = ids.as_slice() {
            u64::from(*one)
        } else {
            let at = (postings.len() / 4) as u64;
            postings.extend_from_slice(&(ids.len() as u32).to_le_bytes());
            for id in &ids {
                postings.extend_from_slice(&id.to_le_bytes());
            }
            MULTI | at
        };
        builder.insert(key, value).map_err(|e| EncodeError::Fst(e.to_string()))?;
    }
    let keys_fst = builder.into_inner().map_err(|e| EncodeError::Fst(e.to_string()))?;
    Ok(Encoded { places_tsv: text, keys_fst, postings })
}
