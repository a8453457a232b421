//! The plain CSV inputs of `corridor --data X.corridor table`: `--pairs` (one origin and
//! destination per row) and `--points` (one point per row, for a matrix). Pure text parsing,
//! kept here rather than in the binary so that it can be tested and fuzzed on its own; the CLI
//! reads the file and prefixes every message with `path:line: `.

use corridor_snapshot::Point;

/// The data rows of a pairs or points file: `(line number, trimmed cells)`. Blank lines and
/// `#` comments are skipped; the first row is a header when its first cell is not a point.
pub fn rows(text: &str) -> Vec<(usize, Vec<String>)> {
    let mut rows: Vec<(usize, Vec<String>)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.split(',').map(|c| c.trim().to_string()).collect::<Vec<_>>()))
        .filter(|(_, c)| !c.is_empty() && !c[0].is_empty() && !c[0].starts_with('#'))
        .collect();
    // The first row is a header when its first cell is not a point; any later row is data, so
    // a row that does not parse is an error naming its line, never silently dropped.
    if rows.first().is_some_and(|(_, c)| c[0].parse::<f64>().is_err() && !c[0].starts_with("node:")) {
        rows.remove(0);
    }
    rows
}

/// One point: `lat,lon` (range-checked) or a node id (`123`, `node:123`).
pub fn parse_point(s: &str) -> Result<Point, String> {
    let s = s.trim();
    if let Some((a, b)) = s.split_once(',') {
        let lat = a.trim().parse::<f64>().map_err(|_| format!("{s:?}: bad latitude"))?;
        let lon = b.trim().parse::<f64>().map_err(|_| format!("{s:?}: bad longitude"))?;
        return coordinate(lat, lon).map_err(|m| format!("{s:?}: {m}"));
    }
    let id = s.strip_prefix("node:").unwrap_or(s);
    id.parse::<u32>().map(Point::Node).map_err(|_| format!("{s:?}: expected `lat,lon` or a node id"))
}

/// A coordinate, range-checked.
pub fn coordinate(lat: f64, lon: f64) -> Result<Point, String> {
    if !(lat.is_finite() && (-90.0..=90.0).contains(&lat)) {
        return Err(format!("latitude {lat} is outside -90..90"));
    }
    if !(lon.is_finite() && (-180.0..=180.0).contains(&lon)) {
        return Err(format!("longitude {lon} is outside -180..180"));
    }
    Ok(Point::Coord(lat, lon))
}

/// One row of a pairs file: `source,target` (node ids) or `src_lat,src_lon,dst_lat,dst_lon`.
pub fn parse_pair(cells: &[String]) -> Result<(Point, Point), String> {
    match cells.len() {
        2 => Ok((parse_point(&cells[0])?, parse_point(&cells[1])?)),
        4 => {
            let f = |i: usize| {
                cells[i].parse::<f64>().map_err(|_| format!("field {}: {:?} is not a number", i + 1, cells[i]))
            };
            let at = |i: usize| -> Result<Point, String> {
                coordinate(f(i)?, f(i + 1)?).map_err(|m| format!("fields {}-{}: {m}", i + 1, i + 2))
            };
            Ok((at(0)?, at(2)?))
        }
        n => Err(format!("{n} fields; expected source,target or src_lat,src_lon,dst_lat,dst_lon")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_skip_header_comments_and_blank_lines() {
        let r = rows("source,target\n# note\n\n0,7\n node:1 , 2 \n");
        assert_eq!(r, vec![(4, vec!["0".into(), "7".into()]), (5, vec!["node:1".into(), "2".into()])]);
        // A first row that is a point is data.
        assert_eq!(rows("40.0,50.0\n").len(), 1);
    }

    #[test]
    fn pairs_and_their_errors() {
        let cells = |s: &str| s.split(',').map(str::to_string).collect::<Vec<_>>();
        assert_eq!(parse_pair(&cells("0,node:7")), Ok((Point::Node(0), Point::Node(7))));
        assert_eq!(parse_pair(&cells("40,50,41,51")), Ok((Point::Coord(40.0, 50.0), Point::Coord(41.0, 51.0))));
        assert_eq!(parse_pair(&cells("40,x,41,51")), Err("field 2: \"x\" is not a number".to_string()));
        assert_eq!(parse_pair(&cells("40,50,91,51")), Err("fields 3-4: latitude 91 is outside -90..90".to_string()));
        assert_eq!(parse_pair(&cells("a,1")), Err("\"a\": expected `lat,lon` or a node id".to_string()));
        assert!(parse_pair(&cells("1,2,3")).unwrap_err().starts_with("3 fields;"));
        assert_eq!(parse_point("40,NaN"), Err("\"40,NaN\": longitude NaN is outside -180..180".to_string()));
    }
}
