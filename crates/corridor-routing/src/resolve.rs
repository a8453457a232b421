//! Step 1 of the pipeline, *place*: what a person typed → a location of the corridor core, or a
//! place outside it (a UN/LOCODE location, a GeoNames city or a coordinate).
//!
//! Order: a coordinate is parsed first (and taken as the core location it lies on, within
//! [`CORE_SNAP_KM`]); a name is looked up among the core's own names and aliases first (curated,
//! so it wins), then in the place index, where the best-ranked place wins and the others are
//! kept as alternatives. A place-index hit that *is* a core location (same code) is that
//! location. Nothing found: the error carries spelling suggestions from both indexes.

use corridor_model::geo::haversine_km;
use corridor_model::{LocationId, LocationIndex, LookupError, Network, normalize};
use corridor_places::{Functions, PlaceIndex, PlaceQuery, QueryError, parse_query};

/// A coordinate this close to a core location is that location, km.
pub const CORE_SNAP_KM: f64 = 2.0;

/// A coordinate takes the country and time zone of the nearest known place within this, km.
pub const COORDINATE_PLACE_KM: f64 = 150.0;

/// An origin or destination.
#[derive(Clone, Debug, PartialEq)]
pub enum Endpoint {
    /// A location of the corridor core.
    Core(LocationId),
    /// A place outside the core, joined to it by access or egress legs.
    Outside(OutsidePlace),
}

/// A place that is not a location of the corridor core.
#[derive(Clone, Debug, PartialEq)]
pub struct OutsidePlace {
    /// UN/LOCODE, `GN<id>` for a GeoNames city, or `@lat,lon` for a coordinate.
    pub code: String,
    /// Display name.
    pub name: String,
    /// ISO 3166-1 alpha-2 (for a coordinate: the nearest known place's).
    pub country: String,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// IANA time zone.
    pub tz: String,
    /// What the place is used for (none for a coordinate).
    pub functions: Functions,
    /// Other places with the same name, as "Name (CODE, CC)", best ranked first (at most 4).
    pub alternatives: Vec<String>,
    /// For a coordinate: the known place its country and time zone were taken from.
    pub near: Option<String>,
    /// The name was matched as a transliteration variant ("Zabaikalsk" read as "Zabaykal'sk").
    pub read_as: Option<String>,
}

/// What a place query resolved to.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    /// What was typed.
    pub query: String,
    /// The endpoint.
    pub endpoint: Endpoint,
}

/// Why a place could not be resolved.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ResolveError {
    /// Malformed or out-of-range input.
    #[error("{0}")]
    Query(#[from] QueryError),
    /// Nothing of that name.
    #[error("unknown place {query:?}{}", suggest(.suggestions))]
    Unknown {
        /// What was asked.
        query: String,
        /// Close spellings, as "Name (CODE, CC)".
        suggestions: Vec<String>,
    },
    /// Several core locations share the name (curated names are never guessed).
    #[error("ambiguous location {query:?}: could be {}", .candidates.join(", "))]
    Ambiguous {
        /// What was asked.
        query: String,
        /// The candidates.
        candidates: Vec<String>,
    },
    /// A coordinate with no known place near enough to tell its country.
    #[error("{lat},{lon}: no known place within {COORDINATE_PLACE_KM} km, so its country is unknown (at sea?)")]
    Nowhere {
        /// Latitude.
        lat: f64,
        /// Longitude.
        lon: f64,
    },
}

fn suggest(s: &[String]) -> String {
    if s.is_empty() { String::new() } else { format!("; did you mean {}?", s.join(", ")) }
}

/// Resolves place queries against one core network and the embedded place index.
pub struct Resolver<'a> {
    net: &'a Network,
    core: LocationIndex,
    places: &'static PlaceIndex,
}

/// The network's locations a search lists ([`Resolver::search_core_listing`]).
#[derive(Clone, Debug, PartialEq)]
pub struct CoreListing {
    /// The locations, best first.
    pub locations: Vec<corridor_model::LocationId>,
    /// Whether they are only look-alikes: each only spelled like the query, and no place of
    /// the place index bears the name.
    pub look_alikes_only: bool,
}

impl<'a> Resolver<'a> {
    /// A resolver over `net`'s locations and the embedded place index.
    pub fn new(net: &'a Network) -> Self {
        Resolver { net, core: LocationIndex::new(&net.locations), places: PlaceIndex::embedded() }
    }

    /// The network whose locations are the core.
    pub fn network(&self) -> &'a Network {
        self.net
    }

    /// The place index in use.
    pub fn places(&self) -> &'static PlaceIndex {
        self.places
    }

    /// The network's locations matching a free-text search, best first
    /// ([`LocationIndex::search_ranked`]), without the misspellings when the place index has a
    /// place of exactly that name: the place asked for is meant, not a look-alike ("Yakutsk" is
    /// not Irkutsk). A network location that the place index knows by the query (its other
    /// names: "Termez" for Tirmiz, "Ulaanbaatar" for Ulan Bator) ranks with the exact matches,
    /// as a route resolves the query to it. `corridor locations` and `/v1/locations` list these.
    pub fn search_core(&self, query: &str) -> Vec<corridor_model::LocationId> {
        self.search_core_listing(query).locations
    }

    /// [`Resolver::search_core`], and whether what it lists are only look-alikes: every
    /// location only spelled like the query (an edit away: "Mehran" lists Tehran) and no place
    /// bearing the name, which `corridor locations` and `/v1/locations` say rather than pass
    /// them off as matches.
    pub fn search_core_listing(&self, query: &str) -> CoreListing {
        let mut hits = self.core.search_ranked(query);
        let misspelt = !hits.is_empty() && hits.iter().all(|&(kind, _)| kind == corridor_model::MatchKind::Misspelling);
        let mut named = Vec::new();
        let mut known = false;
        if let Ok(PlaceQuery::Name { name, country }) = parse_query(query) {
            let mut ids = self.places.lookup(&name, country.as_deref());
            if !ids.is_empty() {
                known = true;
                hits.retain(|&(kind, _)| kind != corridor_model::MatchKind::Misspelling);
            } else if let Some((_, variant)) = self.places.lookup_variant(&name, country.as_deref()) {
                known = true;
                ids = variant;
            }
            named = ids.iter().filter_map(|&id| self.net.location_by_code(self.places.place(id).code)).collect();
        }
        let exact = hits.iter().take_while(|&&(kind, _)| kind == corridor_model::MatchKind::Exact).count();
        let mut seen = vec![false; self.net.locations.len()];
        let order = hits[..exact].iter().map(|&(_, id)| id).chain(named).chain(hits[exact..].iter().map(|&(_, id)| id));
        let locations = order.filter(|id| !std::mem::replace(&mut seen[id.index()], true)).collect();
        CoreListing { locations, look_alikes_only: misspelt && !known }
    }

    /// Resolves what a person typed.
    pub fn resolve(&self, text: &str) -> Result<Resolved, ResolveError> {
        let query = parse_query(text)?;
        let endpoint = match query {
            PlaceQuery::Coordinates { lat, lon } => self.coordinates(lat, lon)?,
            PlaceQuery::Name { name, country } => self.name(text.trim(), &name, country.as_deref())?,
        };
        Ok(Resolved { query: text.trim().to_owned(), endpoint })
    }

    /// Resolves a query to a core location only (for options such as `--avoid-location`).
    pub fn resolve_core(&self, text: &str) -> Result<LocationId, ResolveError> {
        match self.resolve(text)?.endpoint {
            Endpoint::Core(id) => Ok(id),
            Endpoint::Outside(p) => {
                let near = self.nearest_core(p.lat, p.lon, 3);
                let names: Vec<String> =
                    near.iter().map(|&(id, d)| format!("{} {:.0} km", self.net.location(id).name, d)).collect();
                Err(ResolveError::Unknown {
                    query: format!("{} ({} is not a location of the corridor network)", text.trim(), p.name),
                    suggestions: names,
                })
            }
        }
    }

    fn coordinates(&self, lat: f64, lon: f64) -> Result<Endpoint, ResolveError> {
        if let Some(&(id, d)) = self.nearest_core(lat, lon, 1).first()
            && d <= CORE_SNAP_KM
        {
            return Ok(Endpoint::Core(id));
        }
        let (id, d) = *self.places.nearest(lat, lon, 1, |_| true).first().ok_or(ResolveError::Nowhere { lat, lon })?;
        if d > COORDINATE_PLACE_KM {
            return Err(ResolveError::Nowhere { lat, lon });
        }
        let p = self.places.place(id);
        Ok(Endpoint::Outside(OutsidePlace {
            code: format!("@{lat:.5},{lon:.5}"),
            name: format!("{lat:.4},{lon:.4}"),
            country: p.country.to_owned(),
            lat,
            lon,
            tz: p.tz.to_owned(),
            functions: Functions::NONE,
            alternatives: Vec::new(),
            near: Some(format!("{} {d:.0} km", p.label())),
            read_as: None,
        }))
    }

    fn name(&self, text: &str, name: &str, country: Option<&str>) -> Result<Endpoint, ResolveError> {
        // The curated names first, as typed (core names may contain "(China)" themselves); a
        // core name stripped of its qualifier ("Frankfurt" of "Frankfurt (Oder)") only after
        // the place index's names.
        match self.core.find_exact(text) {
            Ok(Some(id)) => return Ok(Endpoint::Core(id)),
            Err(LookupError::Ambiguous { query, candidates }) => {
                return Err(ResolveError::Ambiguous { query, candidates });
            }
            _ => {}
        }
        if country.is_some()
            && let Ok(Some(id)) = self.core.find_known(name)
            && country.is_some_and(|c| self.net.location(id).country.eq_ignore_ascii_case(c))
        {
            return Ok(Endpoint::Core(id));
        }
        let mut hits = self.places.lookup(name, country);
        if hits.is_empty() {
            match self.core.find_known(text) {
                Ok(Some(id)) => return Ok(Endpoint::Core(id)),
                Err(LookupError::Ambiguous { query, candidates }) => {
                    return Err(ResolveError::Ambiguous { query, candidates });
                }
                Ok(None) | Err(LookupError::Unknown { .. }) => {}
            }
        }
        let mut read_as = None;
        if hits.is_empty()
            && let Some((variant, ids)) = self.places.lookup_variant(name, country)
        {
            hits = ids;
            read_as = Some(variant);
        }
        // The display name spelled as typed, diacritics and punctuation included, breaks ties
        // between places whose names fold to the same key ("Jalal-Abad" is Kyrgyzstan's, "Jalālābād"
        // Afghanistan's): such places come first, in rank order.
        // Only a spelling with marks that the folding drops (hyphens, apostrophes, diacritics)
        // carries this information: plain letters, the way most people type, do not.
        let typed = name.trim().to_lowercase();
        let marked = typed.chars().any(|c| !(c.is_ascii_alphanumeric() || c == ' '));
        let exact = |id: &corridor_places::PlaceId| marked && self.places.place(*id).name.to_lowercase() == typed;
        let (mut first, rest): (Vec<_>, Vec<_>) = hits.into_iter().partition(exact);
        first.extend(rest);
        let hits = first;
        let Some(&best) = hits.first() else {
            return Err(ResolveError::Unknown { query: text.to_owned(), suggestions: self.suggestions(name) });
        };
        let p = self.places.place(best);
        if let Some(id) = self.net.location_by_code(p.code) {
            return Ok(Endpoint::Core(id));
        }
        // The same place under another code: a core location of the same name nearby (its name
        // compared with and without a parenthesised qualifier).
        let key = normalize(p.name);
        let same = |s: &str| normalize(s) == key || normalize(s.split('(').next().unwrap_or(s)) == key;
        if let Some(&(id, _)) = self.nearest_core(p.lat, p.lon, 3).iter().find(|&&(id, d)| {
            let l = self.net.location(id);
            d <= 25.0 && l.country == p.country && (same(&l.name) || l.aliases.iter().any(|a| same(a)))
        }) {
            return Ok(Endpoint::Core(id));
        }
        Ok(Endpoint::Outside(OutsidePlace {
            code: p.code.to_owned(),
            name: p.name.to_owned(),
            country: p.country.to_owned(),
            lat: p.lat,
            lon: p.lon,
            tz: p.tz.to_owned(),
            functions: p.functions,
            alternatives: hits.iter().skip(1).take(4).map(|&id| self.places.place(id).label()).collect(),
            near: None,
            read_as: read_as.map(|_| p.name.to_owned()),
        }))
    }

    /// Up to six suggestions: the core's close names, then the place index's close spellings,
    /// then, for a name of several words, the words that are places themselves ("Almaty
    /// Oblast", "port of Aktau", "Tashkent, Uzbekistan": Almaty, Aktau, Tashkent).
    pub fn suggestions(&self, name: &str) -> Vec<String> {
        const MAX: usize = 6;
        let mut out: Vec<String> =
            self.core.search(name).into_iter().take(3).map(|id| core_label(self.net, id)).collect();
        let push = |label: String, out: &mut Vec<String>| {
            if !out.contains(&label) && out.len() < MAX {
                out.push(label);
            }
        };
        for id in self.places.suggest(name, MAX) {
            push(self.places.place(id).label(), &mut out);
        }
        let words: Vec<&str> = name
            .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '/' | '(' | ')'))
            .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 3)
            .collect();
        if words.len() > 1 {
            // The two best-ranked places of each word, most words at most (the name is bounded
            // by MAX_QUERY_LEN, so this is a few exact lookups).
            for w in words.iter().take(8) {
                for id in self.places.lookup(w, None).into_iter().take(2) {
                    push(self.places.place(id).label(), &mut out);
                }
            }
        }
        out
    }

    /// The places of the place index outside the network named by a free-text search (its exact
    /// name or alias, else a spelling variant), at most `n`: the places `corridor locations` and
    /// `/v1/locations` list after the network's own, any of which can be routed from.
    pub fn off_network_places(&self, query: &str, n: usize) -> Vec<corridor_places::PlaceId> {
        let Ok(PlaceQuery::Name { name, country }) = parse_query(query) else { return Vec::new() };
        let mut ids = self.places.lookup(&name, country.as_deref());
        if ids.is_empty()
            && let Some((_, variant)) = self.places.lookup_variant(&name, country.as_deref())
        {
            ids = variant;
        }
        ids.retain(|&id| self.net.location_by_code(self.places.place(id).code).is_none());
        ids.truncate(n);
        ids
    }

    /// The `n` core locations nearest to a point, with great-circle km.
    pub fn nearest_core(&self, lat: f64, lon: f64, n: usize) -> Vec<(LocationId, f64)> {
        let mut all: Vec<(LocationId, f64)> = self
            .net
            .locations
            .iter()
            .enumerate()
            .map(|(i, l)| (LocationId::from_index(i), haversine_km((lat, lon), (l.lat, l.lon))))
            .collect();
        all.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        all.truncate(n);
        all
    }
}

/// "Name (CODE, CC)" of a core location.
pub fn core_label(net: &Network, id: LocationId) -> String {
    let l = net.location(id);
    format!("{} ({}, {})", l.name, l.code, l.country)
}
