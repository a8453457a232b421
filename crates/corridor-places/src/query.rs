//! What a person types for a place: `lat,lon`, a name, or a name qualified by its country
//! (`Paris, FR`, `Brest (BY)`).

/// Longest place query accepted, in bytes: a longer one is refused before any work (no place
/// name is near this long; it bounds the cost of a hostile query).
pub const MAX_QUERY_LEN: usize = 200;

/// A parsed place query.
#[derive(Clone, Debug, PartialEq)]
pub enum PlaceQuery {
    /// A coordinate, WGS84 degrees, range-checked.
    Coordinates {
        /// Latitude.
        lat: f64,
        /// Longitude.
        lon: f64,
    },
    /// A name, code or alias, with an optional country qualifier.
    Name {
        /// The name as typed, trimmed, without the qualifier.
        name: String,
        /// ISO 3166-1 alpha-2, upper case, when given as `Name, CC` or `Name (CC)`.
        country: Option<String>,
    },
}

/// Why a place query cannot be understood.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum QueryError {
    /// Nothing was typed.
    #[error("empty place")]
    Empty,
    /// Longer than [`MAX_QUERY_LEN`].
    #[error("place is {len} bytes long; at most {MAX_QUERY_LEN} are accepted")]
    TooLong {
        /// Its length in bytes.
        len: usize,
    },
    /// Two numbers, but not a coordinate on Earth.
    #[error("{text:?}: latitude must be within -90..90 and longitude within -180..180 (given as lat,lon)")]
    OutOfRange {
        /// What was typed.
        text: String,
    },
}

/// Parses what a person typed for a place.
///
/// ```
/// use corridor_places::{parse_query, PlaceQuery};
/// assert_eq!(parse_query("36.07,120.38").unwrap(), PlaceQuery::Coordinates { lat: 36.07, lon: 120.38 });
/// assert_eq!(
///     parse_query("Paris, FR").unwrap(),
///     PlaceQuery::Name { name: "Paris".into(), country: Some("FR".into()) }
/// );
/// assert!(parse_query("95,10").is_err());
/// ```
pub fn parse_query(text: &str) -> Result<PlaceQuery, QueryError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(QueryError::Empty);
    }
    if t.len() > MAX_QUERY_LEN {
        return Err(QueryError::TooLong { len: t.len() });
    }
    if let Some((a, b)) = t.split_once(',')
        && let (Ok(lat), Ok(lon)) = (a.trim().parse::<f64>(), b.trim().parse::<f64>())
    {
        if !(lat.is_finite() && lon.is_finite() && lat.abs() <= 90.0 && lon.abs() <= 180.0) {
            return Err(QueryError::OutOfRange { text: t.to_owned() });
        }
        return Ok(PlaceQuery::Coordinates { lat, lon });
    }
    let is_cc = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_alphabetic());
    if let Some((name, cc)) = t.rsplit_once(',')
        && is_cc(cc.trim())
        && !name.trim().is_empty()
    {
        return Ok(PlaceQuery::Name { name: name.trim().to_owned(), country: Some(cc.trim().to_ascii_uppercase()) });
    }
    if let Some(inner) = t.strip_suffix(')')
        && let Some((name, cc)) = inner.rsplit_once('(')
        && is_cc(cc.trim())
        && !name.trim().is_empty()
    {
        return Ok(PlaceQuery::Name { name: name.trim().to_owned(), country: Some(cc.trim().to_ascii_uppercase()) });
    }
    Ok(PlaceQuery::Name { name: t.to_owned(), country: None })
}
