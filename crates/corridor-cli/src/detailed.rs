//! The detailed-network commands: `build` (CSV graph to snapshot), `table` (pairs or matrix on a
//! snapshot) and `route` on a snapshot from coordinates.

use std::path::Path;
use std::time::Instant;

use clap::Args;
use corridor_snapshot::{Engine, PairResult, Point};

use crate::{Failure, fail};

/// Options shared by the detailed-network queries.
#[derive(Args, Clone, Debug)]
pub struct TableOpts {
    /// Refuse coordinates farther than this from the network, km.
    #[arg(long, default_value_t = 25.0, value_name = "KM")]
    pub snap_km: f64,
    /// Average commercial speed for the time column, km/h (default: 39.2 for rail, the
    /// Kazakhstan container-train average of 941 km/day, railfreight.com 2018; 22.5 for road,
    /// the dataset's EST-SPEED-ROAD).
    #[arg(long, value_name = "KMH")]
    pub speed_kmh: Option<f64>,
    /// Rate for the cost column, USD per tonne-km (default: CAREC 2022, 0.080 rail, 0.095 road).
    #[arg(long, value_name = "USD")]
    pub usd_per_tkm: Option<f64>,
    /// Cargo tonnes for the cost column.
    #[arg(long, default_value_t = 10.0, value_name = "T")]
    pub payload_t: f64,
}

impl Default for TableOpts {
    fn default() -> Self {
        TableOpts { snap_km: 25.0, speed_kmh: None, usd_per_tkm: None, payload_t: 10.0 }
    }
}

fn defaults(mode: u32, o: &TableOpts) -> (f64, f64) {
    let (speed, rate) = match mode {
        1 => (22.5, 0.095),
        _ => (39.2, 0.080),
    };
    (o.speed_kmh.unwrap_or(speed), o.usd_per_tkm.unwrap_or(rate))
}

pub fn build(nodes: &Path, edges: &Path, mode: &str, out: &Path) -> Result<(), Failure> {
    let mode = match mode {
        "rail" => 0,
        "road" => 1,
        "other" => 2,
        m => return Err(fail(2, format!("--mode {m:?}: expected rail, road or other"))),
    };
    let t = Instant::now();
    eprintln!("reading {} and {} ...", nodes.display(), edges.display());
    let g = corridor_cch::Graph::load_scgraph(nodes, edges).map_err(|e| fail(2, e.to_string()))?;
    let t_read = t.elapsed().as_secs_f64();
    eprintln!(
        "{} nodes, {} arcs read in {t_read:.1} s; ordering (nested dissection) ...",
        g.node_count(),
        g.arc_count()
    );
    let (data, report) = corridor_snapshot::build(&g, mode);
    data.write(out).map_err(|e| fail(1, format!("{}: {e}", out.display())))?;
    let size = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    println!(
        "{}: {} nodes, {} arcs, {} components (largest {:?}); order {:.1} s; total {:.1} s; {:.1} MB",
        out.display(),
        report.nodes,
        report.arcs,
        report.components,
        report.largest,
        report.order_seconds,
        t.elapsed().as_secs_f64(),
        size as f64 / 1e6
    );
    if report.components > 1 {
        println!(
            "gap report: coordinates snap to the largest component ({} nodes, {:.1}% of all); the other {} components are islands of the source graph (see tools/derive_network.py's gap report for suggested joins)",
            report.largest[0],
            100.0 * report.largest[0] as f64 / report.nodes as f64,
            report.components - 1
        );
    }
    Ok(())
}

fn parse_point(s: &str) -> Result<Point, String> {
    let s = s.trim();
    if let Some((a, b)) = s.split_once(',') {
        let lat = a.trim().parse::<f64>().map_err(|_| format!("{s:?}: bad latitude"))?;
        let lon = b.trim().parse::<f64>().map_err(|_| format!("{s:?}: bad longitude"))?;
        return Ok(Point::Coord(lat, lon));
    }
    let id = s.strip_prefix("node:").unwrap_or(s);
    id.parse::<u32>().map(Point::Node).map_err(|_| format!("{s:?}: expected `lat,lon` or a node id"))
}

fn read_rows(path: &Path) -> Result<Vec<(usize, Vec<String>)>, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| fail(2, format!("{}: {e}", path.display())))?;
    Ok(text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.split(',').map(|c| c.trim().to_string()).collect::<Vec<_>>()))
        .filter(|(_, c)| !c.is_empty() && !c[0].is_empty() && !c[0].starts_with('#'))
        // A header line (non-numeric first cell) is skipped.
        .filter(|(_, c)| c[0].parse::<f64>().is_ok() || c[0].starts_with("node:"))
        .collect())
}

pub fn table(
    data: &Path,
    pairs: Option<&Path>,
    points: Option<&Path>,
    o: &TableOpts,
    json: bool,
    parquet: Option<&Path>,
) -> Result<(), Failure> {
    let engine = Engine::load(data).map_err(|e| fail(2, e.to_string()))?;
    let (speed, rate) = defaults(engine.snapshot().mode(), o);
    let t = Instant::now();
    let metric = engine.distance_metric();
    let t_custom = t.elapsed().as_secs_f64();
    match (pairs, points) {
        (Some(p), _) => {
            let mut list = Vec::new();
            for (line, c) in read_rows(p)? {
                let bad = |m: String| fail(2, format!("{}:{line}: {m}", p.display()));
                let pair = match c.len() {
                    2 => (
                        parse_point(&c[0]).map_err(bad)?,
                        parse_point(&c[1]).map_err(|m| fail(2, format!("{}:{line}: {m}", p.display())))?,
                    ),
                    4 => {
                        let f = |i: usize| {
                            c[i].parse::<f64>().map_err(|_| {
                                fail(2, format!("{}:{line}: field {}: {:?} is not a number", p.display(), i + 1, c[i]))
                            })
                        };
                        (Point::Coord(f(0)?, f(1)?), Point::Coord(f(2)?, f(3)?))
                    }
                    n => {
                        return Err(bad(format!(
                            "{n} fields; expected source,target or src_lat,src_lon,dst_lat,dst_lon"
                        )));
                    }
                };
                list.push(pair);
            }
            let t = Instant::now();
            let results = engine.pairs(&metric, &list, o.snap_km);
            let t_query = t.elapsed().as_secs_f64();
            print_pairs(&results, speed, rate, o.payload_t, json);
            if let Some(path) = parquet {
                let text = pairs_csv(&results, speed, rate, o.payload_t);
                corridor_parquet::csv_to_parquet(&text, path).map_err(|e| fail(1, e.to_string()))?;
            }
            eprintln!(
                "{} pairs; load {:.3} s, CCH build {:.2} s, customization {:.2} s, queries {:.3} s ({:.1} us/pair)",
                list.len(),
                engine.timings.0,
                engine.timings.1,
                t_custom,
                t_query,
                t_query * 1e6 / list.len().max(1) as f64
            );
            Ok(())
        }
        (None, Some(p)) => {
            let mut nodes = Vec::new();
            for (line, c) in read_rows(p)? {
                let pt = parse_point(&c.join(",")).map_err(|m| fail(2, format!("{}:{line}: {m}", p.display())))?;
                let s = engine.resolve(pt, o.snap_km).map_err(|e| fail(2, format!("{}:{line}: {e}", p.display())))?;
                nodes.push(s.node);
            }
            let t = Instant::now();
            let m = engine.matrix(&metric, &nodes, &nodes);
            let t_query = t.elapsed().as_secs_f64();
            let cell = |d: u32| {
                if d == corridor_snapshot::engine::UNREACHABLE {
                    String::new()
                } else {
                    format!("{:.3}", f64::from(d) / 1000.0)
                }
            };
            if json {
                let rows: Vec<Vec<Option<f64>>> = m
                    .chunks(nodes.len().max(1))
                    .map(|r| {
                        r.iter()
                            .map(|&d| (d != corridor_snapshot::engine::UNREACHABLE).then(|| f64::from(d) / 1000.0))
                            .collect()
                    })
                    .collect();
                println!("{}", serde_json::json!({"unit": "km", "nodes": nodes, "km": rows}));
            } else {
                for r in m.chunks(nodes.len().max(1)) {
                    println!("{}", r.iter().map(|&d| cell(d)).collect::<Vec<_>>().join(","));
                }
                let sum: u64 =
                    m.iter().filter(|&&d| d != corridor_snapshot::engine::UNREACHABLE).map(|&d| u64::from(d)).sum();
                println!("# checksum_m={sum}");
            }
            eprintln!("{0}x{0} matrix; customization {t_custom:.2} s, matrix {t_query:.3} s", nodes.len());
            Ok(())
        }
        (None, None) => Err(fail(2, "table needs --pairs FILE or --points FILE")),
    }
}

fn print_pairs(results: &[PairResult], speed: f64, rate: f64, payload: f64, json: bool) {
    let km = |r: &PairResult| r.metres.map(|m| f64::from(m) / 1000.0);
    let checksum: u64 = results.iter().filter_map(|r| r.metres).map(u64::from).sum();
    if json {
        let rows: Vec<serde_json::Value> = results
            .iter()
            .map(|r| {
                serde_json::json!({
                    "source": r.source.map(|s| s.node), "target": r.target.map(|s| s.node),
                    "source_snap_km": r.source.map(|s| s.distance_km), "target_snap_km": r.target.map(|s| s.distance_km),
                    "km": km(r), "hours": km(r).map(|k| k / speed), "usd": km(r).map(|k| k * rate * payload),
                    "error": r.error,
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::json!({"pairs": rows, "checksum_m": checksum, "speed_kmh": speed, "usd_per_tkm": rate, "payload_t": payload})
        );
        return;
    }
    print!("{}", pairs_csv(results, speed, rate, payload));
}

/// The pair results as CSV with a final checksum comment line.
fn pairs_csv(results: &[PairResult], speed: f64, rate: f64, payload: f64) -> String {
    let km = |r: &PairResult| r.metres.map(|m| f64::from(m) / 1000.0);
    let checksum: u64 = results.iter().filter_map(|r| r.metres).map(u64::from).sum();
    let mut out = String::from("source,target,source_snap_km,target_snap_km,km,hours,usd,error\n");
    for r in results {
        let f = |x: Option<f64>, d: usize| x.map_or(String::new(), |v| format!("{v:.d$}"));
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{}\n",
            r.source.map_or(String::new(), |s| s.node.to_string()),
            r.target.map_or(String::new(), |s| s.node.to_string()),
            f(r.source.map(|s| s.distance_km), 3),
            f(r.target.map(|s| s.distance_km), 3),
            f(km(r), 3),
            f(km(r).map(|k| k / speed), 2),
            f(km(r).map(|k| k * rate * payload), 2),
            r.error.as_deref().unwrap_or("").replace(',', ";")
        ));
    }
    out.push_str(&format!("# checksum_m={checksum}\n"));
    out
}

pub fn route(data: &Path, from: &str, to: &str, o: &TableOpts, table: bool, geojson: bool) -> Result<(), Failure> {
    let engine = Engine::load(data).map_err(|e| fail(2, e.to_string()))?;
    let (speed, rate) = defaults(engine.snapshot().mode(), o);
    let a = parse_point(from).map_err(|m| fail(2, format!("from: {m}")))?;
    let b = parse_point(to).map_err(|m| fail(2, format!("to: {m}")))?;
    let s = engine.resolve(a, o.snap_km).map_err(|e| fail(2, format!("from: {e}")))?;
    let t = engine.resolve(b, o.snap_km).map_err(|e| fail(2, format!("to: {e}")))?;
    let metric = engine.distance_metric();
    let (m, pts) = engine.route(&metric, s.node, t.node).ok_or_else(|| {
        fail(1, format!("no route: nodes {} and {} are not connected in this network", s.node, t.node))
    })?;
    let km = f64::from(m) / 1000.0;
    let coords: Vec<serde_json::Value> =
        pts.iter().map(|&(la, lo)| serde_json::json!([(lo * 1e5).round() / 1e5, (la * 1e5).round() / 1e5])).collect();
    let props = serde_json::json!({
        "km": km, "hours": km / speed, "usd": km * rate * o.payload_t,
        "source": s.node, "target": t.node, "source_snap_km": s.distance_km, "target_snap_km": t.distance_km,
        "points": pts.len(),
    });
    if geojson {
        println!(
            "{}",
            serde_json::json!({"type": "FeatureCollection", "features": [
                {"type": "Feature", "geometry": {"type": "LineString", "coordinates": coords}, "properties": props}
            ]})
        );
    } else if table {
        println!(
            "node {} (snapped {:.2} km) -> node {} (snapped {:.2} km): {:.1} km, {:.1} h at {speed} km/h ({:.1} days), USD {:.0} at {rate} USD/t-km x {} t; {} geometry points",
            s.node,
            s.distance_km,
            t.node,
            t.distance_km,
            km,
            km / speed,
            km / speed / 24.0,
            km * rate * o.payload_t,
            o.payload_t,
            pts.len()
        );
    } else {
        println!("{}", serde_json::json!({"route": props, "geometry": {"type": "LineString", "coordinates": coords}}));
    }
    Ok(())
}
