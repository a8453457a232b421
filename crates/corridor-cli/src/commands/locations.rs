//! `corridor locations`: search the network's locations and the place index by id, name or
//! alias; on a snapshot, with the node each one snaps to.

use std::path::PathBuf;

use corridor_io::export::{LocationDto, PlaceDto};
use corridor_model::Network;

use crate::args::{Format, LocationsArgs};
use crate::common::{Failure, fail, json, load, snapshot};
use crate::render::{Align, TextTable};

/// Runs `locations` on the curated network (with `--data X.corridor`: the embedded one, and
/// the snapshot for the snapped nodes).
pub(crate) fn run(data: Option<&PathBuf>, args: LocationsArgs) -> Result<(), Failure> {
    let LocationsArgs { query, format } = args;
    if let Some(snap) = snapshot(data) {
        let engine = corridor_snapshot::Engine::load(snap).map_err(|e| fail(2, e.to_string()))?;
        return locations(&load(None)?, query.as_deref().unwrap_or(""), format, Some(&engine));
    }
    let net = load(data)?;
    locations(&net, query.as_deref().unwrap_or(""), format, None)
}

/// `locations`: the corridor network's own locations matching the query, then the places of the
/// place index of that name (any of them can be routed from), each with its nearest terminals
/// and, on a snapshot, the node it snaps to.
fn locations(
    net: &Network,
    query: &str,
    format: Format,
    engine: Option<&corridor_snapshot::Engine>,
) -> Result<(), Failure> {
    let resolver = corridor_routing::Resolver::new(net);
    let places = resolver.places();
    // Without the network's look-alikes of a place the index has by exactly that name.
    let listing = resolver.search_core_listing(query);
    let hits = listing.locations;
    if !query.trim().is_empty() {
        // A query that is no place query at all (too long, bad coordinates) is refused.
        corridor_places::parse_query(query).map_err(|e| fail(2, e.to_string()))?;
    }
    let place_hits = resolver.off_network_places(query, 10);
    if hits.is_empty() && place_hits.is_empty() {
        let s = resolver.suggestions(query);
        let hint = if s.is_empty() { String::new() } else { format!("; did you mean {}?", s.join(", ")) };
        return Err(fail(2, format!("no location or place matches {query:?}{hint}")));
    }
    if listing.look_alikes_only {
        crate::common::note!("Note: nothing is named {query:?}; these locations are only spelled like it");
    }
    let snapped = |lat: f64, lon: f64| -> Option<(u32, f64)> {
        engine
            .and_then(|e| e.resolve(corridor_snapshot::Point::Coord(lat, lon), 50.0).ok())
            .map(|s| (s.node, s.distance_km))
    };
    match format {
        Format::Json | Format::Geojson => {
            let mut out: Vec<serde_json::Value> = Vec::new();
            for &id in &hits {
                let l = net.location(id);
                let mut v = serde_json::to_value(LocationDto::new(l)).map_err(|e| fail(1, e.to_string()))?;
                v["in_network"] = true.into();
                if let Some((node, km)) = snapped(l.lat, l.lon) {
                    v["snapshot_node"] = serde_json::json!({"node": node, "km": (km * 100.0).round() / 100.0});
                }
                out.push(v);
            }
            for &id in &place_hits {
                let p = places.place(id);
                // The API's place, with the fields a network location's line has besides.
                let mut v = serde_json::to_value(PlaceDto::new(&resolver, id)).map_err(|e| fail(1, e.to_string()))?;
                v["tz"] = p.tz.into();
                v["platforms"] = serde_json::json!([]);
                v["aliases"] = p.aliases().take(12).collect::<Vec<_>>().into();
                v["in_network"] = false.into();
                if let Some((node, km)) = snapped(p.lat, p.lon) {
                    v["snapshot_node"] = serde_json::json!({"node": node, "km": (km * 100.0).round() / 100.0});
                }
                out.push(v);
            }
            println!("{}", json(&out).map_err(|e| fail(1, e.to_string()))?);
        }
        Format::Csv | Format::Table => {
            let mut t = TextTable::new(&[
                ("id", Align::Left),
                ("name", Align::Left),
                ("country", Align::Left),
                ("kind", Align::Left),
                ("platforms", Align::Left),
                ("lat", Align::Right),
                ("lon", Align::Right),
                ("aliases / nearest terminals", Align::Left),
            ]);
            let mut csv = String::from("id,name,country,lat,lon,in_network\n");
            for &id in &hits {
                let l = net.location(id);
                t.row(vec![
                    l.code.clone(),
                    l.name.clone(),
                    l.country.clone(),
                    l.kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(","),
                    l.platforms.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(","),
                    format!("{:.3}", l.lat),
                    format!("{:.3}", l.lon),
                    l.aliases.join(", "),
                ]);
                csv.push_str(&format!(
                    "{},\"{}\",{},{},{},true\n",
                    l.code,
                    l.name.replace('"', "\"\""),
                    l.country,
                    l.lat,
                    l.lon
                ));
            }
            for &id in &place_hits {
                let p = places.place(id);
                // The same terminals as the JSON's (the route's own candidates).
                let near: Vec<String> = PlaceDto::new(&resolver, id)
                    .nearest_terminals
                    .iter()
                    .map(|t| format!("{} {:.0} km", t.name, t.km))
                    .collect();
                t.row(vec![
                    p.code.to_owned(),
                    p.name.to_owned(),
                    p.country.to_owned(),
                    p.functions.names().join(","),
                    "-".into(),
                    format!("{:.3}", p.lat),
                    format!("{:.3}", p.lon),
                    if near.is_empty() {
                        "not a corridor terminal; no terminal within reach of a truck".to_owned()
                    } else {
                        format!("not a corridor terminal; nearest: {}", near.join(", "))
                    },
                ]);
                csv.push_str(&format!(
                    "{},\"{}\",{},{},{},false\n",
                    p.code,
                    p.name.replace('"', "\"\""),
                    p.country,
                    p.lat,
                    p.lon
                ));
            }
            if format == Format::Csv {
                print!("{csv}");
            } else {
                print!("{}", t.render());
            }
        }
    }
    Ok(())
}
