//! Fuzz target `pairs`: the `--pairs` and `--points` CSV files of `corridor --data X.corridor
//! table` (`corridor_io::pairs`: rows, header detection, node ids, `lat,lon` and 4-column
//! coordinate rows, range checks), exactly as the CLI parses them before any routing.
//!
//! Input: the file text (non-UTF-8 inputs are skipped: the CLI reads strict UTF-8).
//! Asserts: no panic; every row either parses or gives a message; parsed coordinates are finite
//! and in range.

#![no_main]

use corridor_io::pairs;
use corridor_snapshot::Point;
use libfuzzer_sys::fuzz_target;

fn check(p: Point) {
    if let Point::Coord(lat, lon) = p {
        assert!(lat.is_finite() && (-90.0..=90.0).contains(&lat), "{lat}");
        assert!(lon.is_finite() && (-180.0..=180.0).contains(&lon), "{lon}");
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for (line, cells) in pairs::rows(text) {
        assert!(line >= 1 && !cells.is_empty());
        match pairs::parse_pair(&cells) {
            Ok((a, b)) => {
                check(a);
                check(b);
            }
            Err(m) => assert!(!m.is_empty()),
        }
        match pairs::parse_point(&cells.join(",")) {
            Ok(p) => check(p),
            Err(m) => assert!(!m.is_empty()),
        }
    }
});
