//! GeoJSON (RFC 7946): coordinates are [longitude, latitude] on WGS84, rounded to 5 decimals
//! (about 1 m), no `crs` member. Written from the result DTOs, so every backend's routes come
//! out the same way.

use corridor_model::Network;
use corridor_search::{Leg, LegKind};
use serde_json::{Value, json};

use super::dto::{ComparisonDto, RouteDto, round};

/// The (lat, lon) points of a move leg, following link geometries where the dataset has them
/// and straight lines otherwise; a single point for transfers and borders.
pub fn leg_coordinates(net: &Network, leg: &Leg) -> Vec<(f64, f64)> {
    if !matches!(leg.kind, LegKind::Move { .. }) {
        let l = net.location(leg.to);
        return vec![(l.lat, l.lon)];
    }
    let mut pts: Vec<(f64, f64)> = Vec::new();
    for &(link, forward) in &leg.links {
        let l = net.link(link);
        let mut seg: Vec<(f64, f64)> = if l.geometry.len() >= 2 {
            l.geometry.to_vec()
        } else {
            let (a, b) = (net.location(l.from), net.location(l.to));
            vec![(a.lat, a.lon), (b.lat, b.lon)]
        };
        if !forward {
            seg.reverse();
        }
        if !pts.is_empty() {
            seg.remove(0);
        }
        pts.extend(seg);
    }
    pts
}

fn coords(pts: &[(f64, f64)]) -> Value {
    Value::Array(pts.iter().map(|&(lat, lon)| json!([round(lon, 5), round(lat, 5)])).collect())
}

fn route_features(r: &RouteDto, extra: &serde_json::Map<String, Value>) -> Vec<Value> {
    r.legs
        .iter()
        .enumerate()
        .map(|(i, leg)| {
            let geometry = match leg.points.as_slice() {
                [] => Value::Null,
                [p] => json!({"type": "Point", "coordinates": coords(&[*p])[0]}),
                pts => json!({"type": "LineString", "coordinates": coords(pts)}),
            };
            let mut props = match serde_json::to_value(leg) {
                Ok(Value::Object(m)) => m,
                _ => serde_json::Map::new(),
            };
            props.insert("seq".into(), json!(i + 1));
            props.extend(extra.clone());
            json!({"type": "Feature", "geometry": geometry, "properties": props})
        })
        .collect()
}

/// A route as a FeatureCollection: one LineString per move leg, one Point per transfer or
/// border crossing, each with the leg's figures as properties.
pub fn route_geojson(r: &RouteDto) -> Value {
    json!({"type": "FeatureCollection", "features": route_features(r, &serde_json::Map::new())})
}

/// All corridors' best routes (on a snapshot: each objective's) in one FeatureCollection; each
/// feature carries `corridor` and `color` properties for styling.
pub fn comparison_geojson(c: &ComparisonDto) -> Value {
    let mut features = Vec::new();
    for cr in &c.corridors {
        if let Some(r) = &cr.route {
            let mut extra = serde_json::Map::new();
            extra.insert("corridor".into(), json!(cr.id));
            extra.insert("color".into(), json!(cr.color));
            features.extend(route_features(r, &extra));
        }
    }
    json!({"type": "FeatureCollection", "features": features})
}

/// The network's links as a GeoJSON FeatureCollection, each with its geometry (a straight line
/// between its ends where the dataset has none, marked `"straight": true`) and the countries it
/// runs through between its ends (`"transit"`, usually empty), filtered to links of
/// any of `corridors` (indices) and of any of `modes` (empty = all). The collection also lists
/// the corridors with their map colours. `/v1/network` and `corridor network` write this.
pub fn network_geojson(net: &Network, corridors: &[usize], modes: &[corridor_model::Mode]) -> Value {
    let features: Vec<Value> = net
        .links
        .iter()
        .filter(|l| modes.is_empty() || modes.contains(&l.mode))
        .filter(|l| corridors.is_empty() || l.corridors.iter().any(|c| corridors.contains(&c.index())))
        .map(|l| {
            let straight = l.geometry.len() < 2;
            let pts: Vec<(f64, f64)> = if straight {
                let (a, b) = (net.location(l.from), net.location(l.to));
                vec![(a.lat, a.lon), (b.lat, b.lon)]
            } else {
                l.geometry.to_vec()
            };
            let coords: Vec<Value> = pts.iter().map(|&(lat, lon)| json!([round(lon, 5), round(lat, 5)])).collect();
            json!({
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": coords},
                "properties": {
                    "id": l.code,
                    "from": net.location(l.from).code,
                    "to": net.location(l.to).code,
                    "mode": l.mode.as_str(),
                    "platform": l.platform.to_string(),
                    "corridors": l.corridors.iter().map(|c| net.corridors[c.index()].code.clone()).collect::<Vec<_>>(),
                    "km": round(l.km.0, 1),
                    "straight": straight,
                    "transit": l.transit,
                }
            })
        })
        .collect();
    let corridor_list: Vec<Value> =
        net.corridors.iter().map(|c| json!({"id": c.code, "name": c.name, "color": c.color})).collect();
    let sources = |ids: &[corridor_model::SourceId]| -> Vec<String> {
        ids.iter().map(|s| net.sources[s.index()].code.clone()).collect()
    };
    // The ISO 14083 intensities the legs' CO2e comes from (a leg names its factors in
    // `emission_factors`), so a report can cite the factors used.
    let factors: Vec<Value> = net
        .emission_factors
        .iter()
        .map(|f| {
            json!({
                "id": f.code,
                "mode": f.mode.as_str(),
                "description": f.description,
                "basis": match f.basis {
                    corridor_model::EmissionBasis::TonneKm => "tkm",
                    corridor_model::EmissionBasis::TeuKm => "teukm",
                },
                "wtw_g": f.wtw_g,
                "ttw_g": f.ttw_g,
                "sources": sources(&f.sources),
            })
        })
        .collect();
    // Every border crossing with its direction and clearance time, for pick lists
    // (`avoid_border` takes these ids).
    let borders: Vec<Value> = net
        .borders
        .iter()
        .map(|b| {
            let link = net.link(b.link);
            let (from, to) = match b.direction {
                corridor_model::Direction::Forward => (link.from, link.to),
                corridor_model::Direction::Reverse => (link.to, link.from),
            };
            let (from, to) = (net.location(from), net.location(to));
            let mut row = json!({
                "id": b.code,
                "name": b.name,
                "link": link.code,
                "from": from.code,
                "to": to.code,
                "from_country": from.country,
                "to_country": to.country,
                "mode": link.mode.as_str(),
                "hours_mean": round(b.dwell.mean.0, 2),
                "hours_p90": round(b.dwell.p90.0, 2),
                "sources": sources(&b.sources),
            });
            // The regular trains' figures where the crossing times them apart.
            if let Some(r) = &b.regular {
                row["regular"] = json!({
                    "hours_mean": round(r.dwell.mean.0, 2),
                    "hours_p90": round(r.dwell.p90.0, 2),
                    "sources": sources(&r.sources),
                });
            }
            row
        })
        .collect();
    let mut countries: Vec<&str> = net.locations.iter().map(|l| l.country.as_str()).collect();
    countries.sort_unstable();
    countries.dedup();
    json!({
        "type": "FeatureCollection",
        "features": features,
        "corridors": corridor_list,
        "countries": countries,
        "borders": borders,
        "emission_factors": factors,
    })
}
