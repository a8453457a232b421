//! GeoParquet files (`--geoparquet FILE`) of a route's legs, a comparison's routes and an
//! assignment's flows: the CSV export of each under corridor-parquet's declared schema, plus
//! the geometry of each row.

use std::path::Path;

use corridor_io::export::{ComparisonDto, RouteDto, comparison_csv, route_csv};
use corridor_parquet::{Geometry, schemas, write_geoparquet};

use crate::common::{Failure, fail};

/// (lat, lon) points as a geometry: a point for one, a line for more, none for none.
fn geometry(points: &[(f64, f64)]) -> Option<Geometry> {
    match points {
        [] => None,
        [(lat, lon)] => Some(Geometry::Point(*lon, *lat)),
        pts => Some(Geometry::LineString(pts.iter().map(|&(lat, lon)| (lon, lat)).collect())),
    }
}

fn written(path: &Path, r: Result<usize, corridor_parquet::ParquetError>) -> Result<(), Failure> {
    r.map(|_| ()).map_err(|e| fail(1, format!("{}: {e}", path.display())))
}

/// One row per leg (`route --format csv`'s columns), each with its line or point.
pub(crate) fn route(dto: &RouteDto, path: &Path) -> Result<(), Failure> {
    let geoms: Vec<Option<Geometry>> = dto.legs.iter().map(|l| geometry(&l.points)).collect();
    written(path, write_geoparquet(&route_csv(dto), &schemas::ROUTE_LEGS, &geoms, path))
}

/// One row per corridor (`compare --format csv`'s columns), with its whole route as one line
/// (null where the corridor has no route).
pub(crate) fn comparison(c: &ComparisonDto, path: &Path) -> Result<(), Failure> {
    let geoms: Vec<Option<Geometry>> = c
        .corridors
        .iter()
        .map(|cr| {
            let r = cr.route.as_ref()?;
            let mut pts: Vec<(f64, f64)> = Vec::new();
            for leg in &r.legs {
                for &p in &leg.points {
                    if pts.last() != Some(&p) {
                        pts.push(p);
                    }
                }
            }
            geometry(&pts)
        })
        .collect();
    written(path, write_geoparquet(&comparison_csv(c), &schemas::COMPARISON, &geoms, path))
}

/// One row per link with flow (`flows_csv`'s columns), from the flow map's features so that
/// rows and lines match one to one.
pub(crate) fn flows(fc: &serde_json::Value, path: &Path) -> Result<(), Failure> {
    let features = fc["features"].as_array().cloned().unwrap_or_default();
    let quote = corridor_parquet::csv_field;
    let names: Vec<&str> = schemas::ASSIGN_FLOWS.iter().map(|c| c.name).collect();
    let mut text = names.join(",") + "\n";
    let mut geoms = Vec::new();
    for f in &features {
        let p = &f["properties"];
        let s = |k: &str| quote(p[k].as_str().unwrap_or_default());
        let corridors: Vec<&str> =
            p["corridors"].as_array().map(|a| a.iter().filter_map(|c| c.as_str()).collect()).unwrap_or_default();
        let row = [
            s("link"),
            s("from"),
            s("to"),
            s("mode"),
            quote(&corridors.join("|")),
            p["forward_teu_year"].as_f64().unwrap_or(0.0).to_string(),
            p["reverse_teu_year"].as_f64().unwrap_or(0.0).to_string(),
        ];
        text += &(row.join(",") + "\n");
        let pts: Vec<(f64, f64)> = f["geometry"]["coordinates"]
            .as_array()
            .map(|a| a.iter().filter_map(|c| Some((c[1].as_f64()?, c[0].as_f64()?))).collect())
            .unwrap_or_default();
        geoms.push(geometry(&pts));
    }
    written(path, write_geoparquet(&text, &schemas::ASSIGN_FLOWS, &geoms, path))
}
