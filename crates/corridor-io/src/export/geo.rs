//! GeoJSON (RFC 7946): coordinates are [longitude, latitude] on WGS84, rounded to 5 decimals
//! (about 1 m), no `crs` member.

use corridor_model::Network;
use corridor_search::{Comparison, Leg, LegKind, Route};
use serde_json::{Value, json};

use super::dto::{LegDto, round};

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
            l.geometry.clone()
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

fn route_features(net: &Network, r: &Route, extra: &serde_json::Map<String, Value>) -> Vec<Value> {
    r.legs
        .iter()
        .enumerate()
        .map(|(i, leg)| {
            let pts = leg_coordinates(net, leg);
            let geometry = if pts.len() == 1 {
                json!({"type": "Point", "coordinates": coords(&pts)[0]})
            } else {
                json!({"type": "LineString", "coordinates": coords(&pts)})
            };
            let mut props = match serde_json::to_value(LegDto::new(net, leg, r.depart)) {
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
pub fn route_geojson(net: &Network, r: &Route) -> Value {
    json!({"type": "FeatureCollection", "features": route_features(net, r, &serde_json::Map::new())})
}

/// All corridors' best routes in one FeatureCollection; each feature carries `corridor` and
/// `color` properties for styling.
pub fn comparison_geojson(net: &Network, c: &Comparison) -> Value {
    let mut features = Vec::new();
    for cr in &c.corridors {
        if let Ok(r) = &cr.route {
            let cor = &net.corridors[cr.corridor.index()];
            let mut extra = serde_json::Map::new();
            extra.insert("corridor".into(), json!(cor.code));
            extra.insert("color".into(), json!(cor.color));
            features.extend(route_features(net, r, &extra));
        }
    }
    json!({"type": "FeatureCollection", "features": features})
}
