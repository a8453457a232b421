//! The place index: encoding round trip, lookup order, suggestions, queries, and the embedded
//! index's consistency.

use std::borrow::Cow;

use corridor_places::{Functions, PlaceIndex, PlaceQuery, PlaceRecord, encode, parse_query};
use proptest::prelude::*;

fn record(code: &str, name: &str, country: &str, pop: u64, aliases: &[&str], primary: usize) -> PlaceRecord {
    PlaceRecord {
        code: code.into(),
        name: name.into(),
        country: country.into(),
        lat: 10.0,
        lon: 20.0,
        functions: Functions::CITY,
        population: pop,
        tz: "UTC".into(),
        aliases: aliases.iter().map(|s| s.to_string()).collect(),
        primary_aliases: primary,
    }
}

fn index(records: &[PlaceRecord]) -> PlaceIndex {
    let e = encode(records).unwrap();
    PlaceIndex::open(Cow::Owned(e.places_tsv), Cow::Owned(e.keys_fst), Cow::Owned(e.postings)).unwrap()
}

/// Codes of the places a name finds, in order.
#[track_caller]
fn check(ix: &PlaceIndex, name: &str, country: Option<&str>, expect: &[&str]) {
    let got: Vec<&str> = ix.lookup(name, country).into_iter().map(|id| ix.place(id).code).collect();
    assert_eq!(got, expect, "lookup {name:?} {country:?}");
}

#[test]
fn names_come_before_aliases_then_rank() {
    // In rank order: Dili (big, with the old alias "Delhi") before Delhi.
    let ix = index(&[
        record("TLDIL", "Dili", "TL", 300_000, &["Delhi"], 0),
        record("INDEL", "Delhi", "IN", 200_000, &["Dilli"], 1),
        record("GBLON", "London", "GB", 9_000_000, &["Londres"], 0),
        record("CALON", "London", "CA", 400_000, &[], 0),
    ]);
    check(&ix, "Delhi", None, &["INDEL", "TLDIL"]);
    check(&ix, "delhi", Some("TL"), &["TLDIL"]);
    check(&ix, "London", None, &["GBLON", "CALON"]);
    check(&ix, "LONDON", Some("ca"), &["CALON"]);
    check(&ix, "gblon", None, &["GBLON"]);
    check(&ix, "Dilli", None, &["INDEL"]);
    check(&ix, "", None, &[]);
    assert_eq!(ix.check().unwrap(), ix.key_count());
}

#[test]
fn variants_and_suggestions() {
    let ix = index(&[
        record("RUZBK", "Zabaykal'sk", "RU", 10_000, &[], 0),
        record("RUVYP", "Vostochnyy", "RU", 0, &[], 0),
        record("TJKHU", "Khujand", "TJ", 180_000, &[], 0),
        record("DEDUI", "Duisburg", "DE", 500_000, &[], 0),
    ]);
    let variant = |s: &str| ix.lookup_variant(s, None).map(|(_, ids)| ix.place(ids[0]).code.to_owned());
    assert_eq!(variant("Zabaikalsk").as_deref(), Some("RUZBK"));
    assert_eq!(variant("Vostochny").as_deref(), Some("RUVYP"));
    assert_eq!(variant("Hujand").as_deref(), Some("TJKHU"));
    assert_eq!(variant("Nowhere"), None);
    let s: Vec<&str> = ix.suggest("Duisbrug", 3).into_iter().map(|id| ix.place(id).code).collect();
    assert_eq!(s, ["DEDUI"]);
    assert!(ix.suggest(&"x".repeat(500), 3).is_empty());
    let near = ix.nearest(10.0, 20.0, 2, |p| p.country == "DE");
    assert_eq!(near.len(), 1);
}

#[test]
fn queries() {
    assert_eq!(parse_query(" 36.07, 120.38 ").unwrap(), PlaceQuery::Coordinates { lat: 36.07, lon: 120.38 });
    assert_eq!(
        parse_query("Brest (BY)").unwrap(),
        PlaceQuery::Name { name: "Brest".into(), country: Some("BY".into()) }
    );
    assert_eq!(parse_query("Xi'an").unwrap(), PlaceQuery::Name { name: "Xi'an".into(), country: None });
    for bad in ["", "   ", "91,0", "0,181", "NaN,1", "inf,2"] {
        assert!(parse_query(bad).is_err(), "{bad:?}");
    }
    assert!(parse_query(&"a".repeat(60_000)).is_err());
}

#[test]
fn encoding_refuses_separators_and_bad_coordinates() {
    let mut r = record("X", "A\tB", "CN", 0, &[], 0);
    assert!(encode(&[r.clone()]).is_err());
    r.name = "A".into();
    r.lat = f64::NAN;
    assert!(encode(&[r]).is_err());
    assert!(PlaceIndex::open(Cow::Borrowed(""), Cow::Borrowed(b"junk"), Cow::Borrowed(b"")).is_err());
}

#[test]
fn the_embedded_index_is_consistent_and_finds_real_places() {
    let ix = PlaceIndex::embedded();
    assert!(ix.key_count() > 300_000);
    assert_eq!(ix.check().unwrap(), ix.key_count());
    let first = |q: &str| ix.place(ix.lookup(q, None)[0]).code.to_owned();
    assert_eq!(first("Qingdao"), "CNQIN");
    assert_eq!(first("青岛"), "CNQIN");
    // Trade codes (data/places/trade_codes.csv): carriers' CNTAO and CNSHA are the ports.
    assert_eq!(first("CNTAO"), "CNQIN");
    assert_eq!(first("CNSHA"), "CNSGH");
    assert_eq!(first("Москва"), "RUMOW");
    assert_eq!(first("Paris"), "FRPAR");
}

proptest! {
    /// Every place is found by its own name, and by its code, among the places with that key.
    #[test]
    fn every_place_is_found_by_name_and_code(names in proptest::collection::vec("[a-z]{3,8}( [a-z]{2,6})?", 1..12)) {
        let records: Vec<PlaceRecord> = names
            .iter()
            .enumerate()
            .map(|(i, n)| record(&format!("ZZ{i:03}"), n, "ZZ", 1000 * (i as u64 + 1), &[], 0))
            .collect();
        let ix = index(&records);
        for r in &records {
            let by_name: Vec<&str> = ix.lookup(&r.name, None).into_iter().map(|id| ix.place(id).code).collect();
            prop_assert!(by_name.contains(&r.code.as_str()));
            let by_code: Vec<&str> = ix.lookup(&r.code, None).into_iter().map(|id| ix.place(id).code).collect();
            prop_assert_eq!(by_code[0], r.code.as_str());
        }
    }
}

/// Spelling suggestions stop at `MAX_SUGGEST_LEN`: the automaton's cost grows with the name,
/// and no real place name is that long (a 200-letter unknown name cost 0.35 s to refuse).
#[test]
fn suggestions_are_bounded_by_name_length() {
    let ix = PlaceIndex::embedded();
    assert!(!ix.suggest("Qingdoa", 3).is_empty());
    let near_qingdao = format!("qingdao{}", "x".repeat(corridor_places::MAX_SUGGEST_LEN - 7 + 1));
    assert!(ix.suggest(&near_qingdao, 3).is_empty());
    assert!(ix.suggest(&"z".repeat(200), 3).is_empty());
}
