//! Finding locations by what a person types: id, name or alias, in any case, with or without
//! diacritics, apostrophes or spaces, in Latin, Cyrillic or Chinese script ("Xi'an", "xian",
//! "西安"; "Małaszewicze", "malaszewicze"). Unknown names get the closest suggestions.

use std::collections::BTreeMap;

use crate::ids::LocationId;
use crate::network::Location;

/// Folds a name to its search key: transliterated to ASCII, lowercased, letters and digits only.
///
/// ```
/// use corridor_model::normalize;
/// assert_eq!(normalize("Xi'an"), "xian");
/// assert_eq!(normalize("Małaszewicze"), "malaszewicze");
/// assert_eq!(normalize("Ürümqi"), "urumqi");
/// ```
pub fn normalize(s: &str) -> String {
    deunicode::deunicode(s).chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect()
}

/// Why a location query did not resolve to exactly one location.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    /// Nothing matches; the closest names are suggested.
    #[error("unknown location {query:?}{}", suggest(.suggestions))]
    Unknown {
        /// What was asked.
        query: String,
        /// Up to three close matches, as "Name (CODE)".
        suggestions: Vec<String>,
    },
    /// Several locations share this name or alias.
    #[error("ambiguous location {query:?}: could be {}", .candidates.join(", "))]
    Ambiguous {
        /// What was asked.
        query: String,
        /// The matching locations, as "Name (CODE)".
        candidates: Vec<String>,
    },
}

fn suggest(s: &[String]) -> String {
    if s.is_empty() { String::new() } else { format!("; did you mean {}?", s.join(", ")) }
}

/// How a location's id, name or alias matched a search (see [`LocationIndex::search_ranked`]).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum MatchKind {
    /// The whole key.
    Exact,
    /// The key starts with the query.
    Prefix,
    /// The key contains the query.
    Substring,
    /// A close misspelling (small edit distance).
    Misspelling,
}

/// An index of location names for exact lookup, search and suggestions.
#[derive(Clone, Debug)]
pub struct LocationIndex {
    /// Normalized key → locations having it (sorted, deduplicated).
    exact: BTreeMap<String, Vec<LocationId>>,
    /// Second-tier keys: a name without its parenthesised qualifier ("Sarakhs" for
    /// "Sarakhs (Iran)"), used only when no first-tier key matches.
    base: BTreeMap<String, Vec<LocationId>>,
    /// Per location: its display label and all of its normalized keys.
    entries: Vec<(String, Vec<String>)>,
}

impl LocationIndex {
    /// Indexes the given locations by code, name and aliases.
    pub fn new(locations: &[Location]) -> Self {
        let mut exact: BTreeMap<String, Vec<LocationId>> = BTreeMap::new();
        let mut base: BTreeMap<String, Vec<LocationId>> = BTreeMap::new();
        let mut entries = Vec::with_capacity(locations.len());
        for (i, loc) in locations.iter().enumerate() {
            let id = LocationId::from_index(i);
            let mut keys: Vec<String> = std::iter::once(&loc.code)
                .chain(std::iter::once(&loc.name))
                .chain(&loc.aliases)
                .map(|s| normalize(s))
                .filter(|k| !k.is_empty())
                .collect();
            keys.sort();
            keys.dedup();
            for k in &keys {
                let ids = exact.entry(k.clone()).or_default();
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            if let Some((stem, _)) = loc.name.split_once(" (") {
                let k = normalize(stem);
                if !k.is_empty() {
                    base.entry(k).or_default().push(id);
                }
            }
            entries.push((label(loc), keys));
        }
        LocationIndex { exact, base, entries }
    }

    /// Resolves a query to one location, or explains why not.
    pub fn find(&self, query: &str) -> Result<LocationId, LookupError> {
        self.find_known(query)?.ok_or_else(|| LookupError::Unknown {
            query: query.to_string(),
            suggestions: self
                .suggestions(&normalize(query), 3)
                .into_iter()
                .map(|id| self.entries[id.index()].0.clone())
                .collect(),
        })
    }

    /// Resolves a query like [`LocationIndex::find`], but an unknown name is `Ok(None)`
    /// without the spelling suggestions: a caller that goes on to other indexes (the place
    /// resolver) pays no edit distance over every key for an answer it discards.
    pub fn find_known(&self, query: &str) -> Result<Option<LocationId>, LookupError> {
        self.find_in(query, true)
    }

    /// Resolves a query by the first-tier keys only (code, name, aliases as written), without
    /// the second tier of names stripped of their parenthesised qualifier: `Ok(None)` when
    /// nothing matches.
    pub fn find_exact(&self, query: &str) -> Result<Option<LocationId>, LookupError> {
        self.find_in(query, false)
    }

    /// The location of `query`'s key among the first-tier keys, and among the names stripped
    /// of their qualifier when `base`.
    fn find_in(&self, query: &str, base: bool) -> Result<Option<LocationId>, LookupError> {
        let key = normalize(query);
        let hit = self.exact.get(&key).or_else(|| if base { self.base.get(&key) } else { None });
        match hit.map(Vec::as_slice) {
            Some([one]) => Ok(Some(*one)),
            Some(many) => Err(LookupError::Ambiguous {
                query: query.to_string(),
                candidates: many.iter().map(|id| self.entries[id.index()].0.clone()).collect(),
            }),
            None => Ok(None),
        }
    }

    /// Locations matching a free-text query, best first: exact matches, then prefix matches,
    /// then substring matches, then close misspellings. An empty query lists everything.
    pub fn search(&self, query: &str) -> Vec<LocationId> {
        self.search_ranked(query).into_iter().map(|(_, id)| id).collect()
    }

    /// [`LocationIndex::search`] with each hit's kind of match, best first.
    pub fn search_ranked(&self, query: &str) -> Vec<(MatchKind, LocationId)> {
        let key = normalize(query);
        if key.is_empty() {
            return (0..self.entries.len()).map(|i| (MatchKind::Exact, LocationId::from_index(i))).collect();
        }
        let mut scored: Vec<(u32, &str, LocationId)> = Vec::new();
        for (i, (label, keys)) in self.entries.iter().enumerate() {
            let score = keys
                .iter()
                .map(|k| {
                    if *k == key {
                        0
                    } else if k.starts_with(&key) {
                        1
                    } else if k.contains(&key) {
                        2
                    } else if key.len().abs_diff(k.len()) > fuzzy_budget(&key) {
                        // The length difference bounds the distance from below: no match,
                        // and no O(n x m) table for a long query.
                        u32::MAX
                    } else {
                        within_distance(&key, k, fuzzy_budget(&key)).map_or(u32::MAX, |d| 3 + d as u32)
                    }
                })
                .min()
                .unwrap_or(u32::MAX);
            if score != u32::MAX {
                scored.push((score, label, LocationId::from_index(i)));
            }
        }
        scored.sort();
        scored
            .into_iter()
            .map(|(score, _, id)| {
                let kind = match score {
                    0 => MatchKind::Exact,
                    1 => MatchKind::Prefix,
                    2 => MatchKind::Substring,
                    _ => MatchKind::Misspelling,
                };
                (kind, id)
            })
            .collect()
    }

    /// The `n` locations whose keys are closest to `key` (edit distance, also against key
    /// prefixes so that "duisb" suggests Duisburg).
    fn suggestions(&self, key: &str, n: usize) -> Vec<LocationId> {
        // No location name is this long; a long unknown query gets no suggestions rather than
        // an edit-distance table per key.
        if key.len() > MAX_SUGGEST_LEN {
            return Vec::new();
        }
        let mut scored: Vec<(usize, &str, LocationId)> = self
            .entries
            .iter()
            .enumerate()
            .map(|(i, (label, keys))| {
                let d = keys
                    .iter()
                    .map(|k| {
                        let prefix: String = k.chars().take(key.len()).collect();
                        edit_distance(key, k).min(edit_distance(key, &prefix) + 1)
                    })
                    .min()
                    .unwrap_or(usize::MAX);
                (d, label.as_str(), LocationId::from_index(i))
            })
            .collect();
        scored.sort();
        scored.into_iter().take(n).map(|(_, _, id)| id).collect()
    }
}

fn label(loc: &Location) -> String {
    format!("{} ({})", loc.name, loc.code)
}

/// Longest query (normalized, bytes) that gets spelling suggestions.
const MAX_SUGGEST_LEN: usize = 64;

/// How many edits a fuzzy search match may need: none for very short queries.
fn fuzzy_budget(key: &str) -> usize {
    match key.len() {
        0..=3 => 0,
        4..=6 => 1,
        _ => 2,
    }
}

/// The Levenshtein distance of `a` and `b` if it is at most `max`, computed in the diagonal
/// band of width `2 max + 1` and abandoned as soon as a whole row exceeds `max` (Ukkonen's
/// cutoff): a search over every key pays O(|a| max) per key, not O(|a| |b|).
fn within_distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    // Cells outside the band are "more than max"; max + 1 stands for them.
    let over = max + 1;
    let mut prev: Vec<usize> = (0..=b.len()).map(|j| j.min(over)).collect();
    let mut cur = vec![over; b.len() + 1];
    for i in 1..=a.len() {
        let (lo, hi) = (i.saturating_sub(max).max(1), (i + max).min(b.len()));
        // Only the cells just outside this row's band are read by the next row; the rest of
        // `cur` (two rows old) is never read again.
        cur[0] = i.min(over);
        if lo > 1 {
            cur[lo - 1] = over;
        }
        if hi < b.len() {
            cur[hi + 1] = over;
        }
        let mut row_min = cur[0];
        for j in lo..=hi {
            let sub = prev[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            cur[j] = sub.min(prev[j] + 1).min(cur[j - 1] + 1).min(over);
            row_min = row_min.min(cur[j]);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    (prev[b.len()] <= max).then_some(prev[b.len()])
}

/// Levenshtein distance over bytes (keys are ASCII after [`normalize`]).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let sub = prev[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            cur[j] = sub.min(prev[j] + 1).min(cur[j - 1] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The banded, cut-off distance agrees with the full table on every pair of strings over
    /// {a, b, c} of length 0 to 4 (121 strings), for every budget 0 to 3.
    #[test]
    fn within_distance_equals_full_edit_distance() {
        let mut words = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..4 {
            last = last.iter().flat_map(|w| ["a", "b", "c"].map(|c| format!("{w}{c}"))).collect();
            words.extend(last.iter().cloned());
        }
        assert_eq!(words.len(), 121);
        for x in &words {
            for y in &words {
                let d = edit_distance(x, y);
                for max in 0..=3 {
                    assert_eq!(within_distance(x, y, max), (d <= max).then_some(d), "{x:?} {y:?} max {max}");
                }
            }
        }
    }
    use crate::network::{LocationKind, Platform};

    fn loc(code: &str, name: &str, aliases: &[&str]) -> Location {
        Location {
            code: code.into(),
            name: name.into(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            country: "XX".into(),
            lat: 0.0,
            lon: 0.0,
            tz: "UTC".into(),
            kinds: vec![LocationKind::City],
            platforms: vec![Platform::Road],
        }
    }

    fn index() -> LocationIndex {
        LocationIndex::new(&[
            loc("CNXIA", "Xi'an", &["Xian", "西安"]),
            loc("PL-MALASZEWICZE", "Małaszewicze", &[]),
            loc("DEDUI", "Duisburg", &["duisport"]),
            loc("KZ-DOSTYK", "Dostyk", &["Druzhba", "Достык"]),
            loc("RU-DRUZHBA", "Druzhba (Bryansk)", &["Druzhba"]),
        ])
    }

    #[track_caller]
    fn check(query: &str, expect: Result<&str, &str>) {
        let idx = index();
        let got = idx.find(query).map(|id| idx.entries[id.index()].0.clone()).map_err(|e| e.to_string());
        match (got, expect) {
            (Ok(g), Ok(e)) => assert_eq!(g, e),
            (Err(g), Err(e)) => assert_eq!(g, e),
            (g, e) => panic!("query {query:?}: got {g:?}, expected {e:?}"),
        }
    }

    #[test]
    fn finds_by_any_spelling() {
        check("Xi'an", Ok("Xi'an (CNXIA)"));
        check("XIAN", Ok("Xi'an (CNXIA)"));
        check("西安", Ok("Xi'an (CNXIA)"));
        check("cnxia", Ok("Xi'an (CNXIA)"));
        check("Malaszewicze", Ok("Małaszewicze (PL-MALASZEWICZE)"));
        check("Достык", Ok("Dostyk (KZ-DOSTYK)"));
    }

    #[test]
    fn unknown_gets_suggestions_and_shared_alias_is_ambiguous() {
        check(
            "Duisbrug",
            Err(
                "unknown location \"Duisbrug\"; did you mean Duisburg (DEDUI), Dostyk (KZ-DOSTYK), Druzhba (Bryansk) (RU-DRUZHBA)?",
            ),
        );
        check(
            "Druzhba",
            Err("ambiguous location \"Druzhba\": could be Dostyk (KZ-DOSTYK), Druzhba (Bryansk) (RU-DRUZHBA)"),
        );
    }

    #[test]
    fn search_ranks_exact_then_prefix_then_fuzzy() {
        let idx = index();
        let names: Vec<_> = idx.search("du").iter().map(|id| idx.entries[id.index()].0.clone()).collect();
        assert_eq!(names, ["Duisburg (DEDUI)"]);
        assert_eq!(idx.search("").len(), 5);
        assert_eq!(idx.search("dusburg").len(), 1);
    }

    #[test]
    fn long_unknown_queries_get_no_suggestions() {
        let long = "q".repeat(150);
        check(&long, Err(&format!("unknown location \"{long}\"")));
        assert!(index().search(&long).is_empty());
        // Still found when the length difference is within the budget.
        assert_eq!(index().search("duisburgxx").len(), 1);
    }
}
