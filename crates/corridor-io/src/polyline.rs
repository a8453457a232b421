//! Google's encoded polyline format (precision 5, lat/lon order), used by OSRM and others and
//! by the dataset's `geometry.csv`. Decoding never panics on malformed input: it returns an
//! error naming the byte offset.

/// Encodes (lat, lon) points with 5 decimals.
///
/// ```
/// use corridor_io::polyline::encode;
/// assert_eq!(encode(&[(38.5, -120.2), (40.7, -120.95), (43.252, -126.453)]), "_p~iF~ps|U_ulLnnqC_mqNvxq`@");
/// ```
pub fn encode(points: &[(f64, f64)]) -> String {
    let mut out = String::new();
    let (mut plat, mut plon) = (0i64, 0i64);
    for &(lat, lon) in points {
        let (ilat, ilon) = ((lat * 1e5).round() as i64, (lon * 1e5).round() as i64);
        push_value(&mut out, ilat - plat);
        push_value(&mut out, ilon - plon);
        (plat, plon) = (ilat, ilon);
    }
    out
}

fn push_value(out: &mut String, v: i64) {
    let mut v = if v < 0 { !(v << 1) } else { v << 1 } as u64;
    while v >= 0x20 {
        out.push(char::from((0x20 | (v & 0x1f)) as u8 + 63));
        v >>= 5;
    }
    out.push(char::from(v as u8 + 63));
}

/// Decodes a polyline into (lat, lon) points.
pub fn decode(s: &str) -> Result<Vec<(f64, f64)>, String> {
    let bytes = s.as_bytes();
    let mut i = 0;
    let next = |i: &mut usize| -> Result<i64, String> {
        let mut result: u64 = 0;
        let mut shift = 0;
        loop {
            let Some(&b) = bytes.get(*i) else {
                return Err(format!("truncated polyline at byte {}", *i));
            };
            if !(63..=126).contains(&b) {
                return Err(format!("invalid polyline character {:?} at byte {}", b as char, *i));
            }
            if shift > 60 {
                return Err(format!("polyline value too long at byte {}", *i));
            }
            let chunk = u64::from(b - 63);
            result |= (chunk & 0x1f) << shift;
            shift += 5;
            *i += 1;
            if chunk < 0x20 {
                break;
            }
        }
        Ok(if result & 1 == 1 { !(result >> 1) as i64 } else { (result >> 1) as i64 })
    };
    let (mut lat, mut lon) = (0i64, 0i64);
    let mut points = Vec::new();
    while i < bytes.len() {
        lat += next(&mut i)?;
        lon += next(&mut i)?;
        let p = (lat as f64 / 1e5, lon as f64 / 1e5);
        if !(-90.0..=90.0).contains(&p.0) || !(-180.0..=180.0).contains(&p.1) {
            return Err(format!("polyline point {p:?} out of range at byte {i}"));
        }
        points.push(p);
    }
    Ok(points)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_garbage() {
        let pts = vec![(38.5, -120.2), (40.7, -120.95), (43.252, -126.453), (-33.9, 151.2)];
        assert_eq!(decode(&encode(&pts)).unwrap(), pts);
        assert!(decode("_p~iF~ps|U_ulL").is_err());
        assert!(decode("abc def").is_err());
        assert_eq!(decode("").unwrap(), vec![]);
    }
}
