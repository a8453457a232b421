//! `corridor build`: a detailed snapshot, one plain graph from node/edge CSV (`--nodes-csv`,
//! `--edges-csv`), or with `--from <inputs...>` a multimodal network from public sources.
//!
//! Inputs are recognised by name, and a directory is searched (two levels) for them:
//! - `*rail*nodes*.csv[.gz]` + `*rail*edges*.csv[.gz]`: OSM railway graph (scgraph CSV);
//! - `*highway*|*road*` nodes/edges: OSM major-road graph;
//! - `*.osm.pbf`: OpenStreetMap extract (railways with `gauge=`, major roads);
//! - `marnet*.geojson`: the searoute maritime network; `ports.geojson` next to it: its ports;
//! - `unlocode*.csv[.gz]`: UN/LOCODE (terminals by function code);
//! - `*admin_0_countries*.geojson[.gz]`: Natural Earth countries (50m preferred over 110m).
//!
//! The curated dataset (embedded, or `--data DIR`) is the overlay unless `--no-overlay`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use corridor_import::assemble::{Params, assemble};
use corridor_import::overlay::Overlay;
use corridor_import::{Layer, Mode, Progress, Terminal};
use indicatif::{ProgressBar, ProgressStyle};

use crate::args::BuildArgs;
use crate::common::{Failure, fail, load};
use crate::detailed;

/// Builds from CSV when both files are given, else from `--from` (with the curated overlay of
/// `--data DIR` or the embedded dataset, unless `--no-overlay`).
pub(crate) fn run(data: Option<&PathBuf>, args: BuildArgs) -> Result<(), Failure> {
    let BuildArgs { from, modes, no_overlay, heal_km, nodes_csv, edges_csv, mode, out, no_presets } = args;
    match (nodes_csv, edges_csv) {
        (Some(n), Some(e)) => detailed::build(&n, &e, &mode, &out, !no_presets),
        _ if from.is_empty() => Err(fail(2, "build needs --from <inputs...> or --nodes-csv FILE --edges-csv FILE")),
        _ => {
            let overlay = if no_overlay { None } else { Some(load(data)?) };
            build_from(FromOpts { inputs: &from, modes: &modes, out: &out, overlay, heal_km, presets: !no_presets })
        }
    }
}

/// What was found among the inputs.
#[derive(Debug, Default)]
struct Found {
    rail: Option<(PathBuf, PathBuf)>,
    road: Option<(PathBuf, PathBuf)>,
    pbf: Vec<PathBuf>,
    sea: Option<PathBuf>,
    ports: Option<PathBuf>,
    unlocode: Option<PathBuf>,
    countries: Option<PathBuf>,
}

fn name_of(p: &Path) -> String {
    p.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default()
}

fn classify(p: &Path, f: &mut Found, pending: &mut Vec<PathBuf>) -> bool {
    let n = name_of(p);
    if n.ends_with(".osm.pbf") {
        f.pbf.push(p.to_path_buf());
    } else if n.starts_with("marnet") && n.contains(".geojson") {
        f.sea = Some(p.to_path_buf());
    } else if n == "ports.geojson" {
        f.ports = Some(p.to_path_buf());
    } else if n.starts_with("unlocode") && n.contains(".csv") {
        f.unlocode = Some(p.to_path_buf());
    } else if n.contains("admin_0_countries") && n.contains(".geojson") {
        // 50m (finer borders) wins over 110m.
        if f.countries.as_ref().is_none_or(|c| !name_of(c).contains("50m")) {
            f.countries = Some(p.to_path_buf());
        }
    } else if n.contains(".csv") && (n.contains("nodes") || n.contains("edges")) {
        pending.push(p.to_path_buf());
    } else {
        return false;
    }
    true
}

fn discover(inputs: &[PathBuf]) -> Result<Found, Failure> {
    let mut f = Found::default();
    let mut csvs = Vec::new();
    let mut stack: Vec<(PathBuf, usize)> = inputs.iter().map(|p| (p.clone(), 0)).collect();
    while let Some((p, depth)) = stack.pop() {
        if p.is_dir() {
            if depth > 2 {
                continue;
            }
            let mut entries: Vec<PathBuf> = std::fs::read_dir(&p)
                .map_err(|e| fail(2, format!("{}: {e}", p.display())))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            entries.sort();
            stack.extend(entries.into_iter().rev().map(|e| (e, depth + 1)));
        } else if !p.exists() {
            return Err(fail(2, format!("{}: no such file or directory", p.display())));
        } else if !classify(&p, &mut f, &mut csvs) && depth == 0 {
            return Err(fail(
                2,
                format!(
                    "{}: not a recognised input (expected *.osm.pbf, *rail*/*road*|*highway* nodes/edges CSV, marnet*.geojson, ports.geojson, unlocode*.csv, *admin_0_countries*.geojson)",
                    p.display()
                ),
            ));
        }
    }
    for kind in ["rail", "road"] {
        let is_kind = |p: &PathBuf| {
            let n = name_of(p);
            if kind == "rail" { n.contains("rail") } else { n.contains("road") || n.contains("highway") }
        };
        let nodes = csvs.iter().find(|p| is_kind(p) && name_of(p).contains("nodes"));
        let edges = csvs.iter().find(|p| is_kind(p) && name_of(p).contains("edges"));
        match (nodes, edges) {
            (Some(n), Some(e)) => {
                let pair = Some((n.clone(), e.clone()));
                if kind == "rail" { f.rail = pair } else { f.road = pair }
            }
            (Some(x), None) | (None, Some(x)) => {
                return Err(fail(2, format!("{}: the matching {kind} nodes/edges file is missing", x.display())));
            }
            (None, None) => {}
        }
    }
    Ok(f)
}

/// A progress bar per stage on stderr (hidden when stderr is not a terminal).
struct Bars {
    bar: std::sync::Mutex<Option<ProgressBar>>,
    start: Instant,
}

impl Progress for Bars {
    fn stage(&self, name: &str, total: Option<u64>) {
        let mut g = self.bar.lock().expect("progress lock");
        if let Some(b) = g.take() {
            b.finish_and_clear();
        }
        crate::common::note!("[{:6.1} s] {name}", self.start.elapsed().as_secs_f64());
        let b = match total {
            _ if crate::common::quiet() => ProgressBar::hidden(),
            Some(t) => ProgressBar::new(t).with_style(
                ProgressStyle::with_template("  {bar:40} {pos}/{len} {per_sec} eta {eta}").expect("template"),
            ),
            None => ProgressBar::new_spinner(),
        };
        *g = Some(b);
    }
    fn inc(&self, n: u64) {
        if let Some(b) = self.bar.lock().expect("progress lock").as_ref() {
            b.inc(n);
        }
    }
}

/// Options of `corridor build --from`.
struct FromOpts<'a> {
    inputs: &'a [PathBuf],
    modes: &'a [String],
    out: &'a Path,
    overlay: Option<corridor_model::Network>,
    heal_km: f64,
    /// Store the server's preset metrics.
    presets: bool,
}

/// The multimodal build: discover the inputs, read each layer, assemble, write, report.
fn build_from(o: FromOpts<'_>) -> Result<(), Failure> {
    let t0 = Instant::now();
    let found = discover(o.inputs)?;
    let want = |m: &str| o.modes.is_empty() || o.modes.iter().any(|x| x == m);
    let bars = Bars { bar: std::sync::Mutex::new(None), start: t0 };
    let err = |e: corridor_import::ImportError| fail(2, e.to_string());
    let mut layers: Vec<Layer> = Vec::new();
    let mut push = |l: Layer| {
        if let Some(existing) = layers.iter_mut().find(|x| x.mode == l.mode) {
            // A second source of the same mode (two pbf files, or pbf + CSV): append.
            let off = existing.node_count() as u32;
            existing.lat.extend(&l.lat);
            existing.lon.extend(&l.lon);
            existing.edges.extend(l.edges.iter().map(|e| corridor_import::RawEdge {
                u: e.u + off,
                v: e.v + off,
                ..*e
            }));
            existing.source = format!("{} + {}", existing.source, l.source);
        } else {
            layers.push(l);
        }
    };
    if want("rail")
        && let Some((n, e)) = &found.rail
    {
        bars.stage(&format!("reading {} / {}", n.display(), e.display()), None);
        push(corridor_import::read_scgraph(n, e, Mode::Rail).map_err(err)?);
    }
    if want("road")
        && let Some((n, e)) = &found.road
    {
        bars.stage(&format!("reading {} / {}", n.display(), e.display()), None);
        push(corridor_import::read_scgraph(n, e, Mode::Road).map_err(err)?);
    }
    for p in &found.pbf {
        let filter = corridor_import::pbf::PbfFilter { rail: want("rail"), road: want("road") };
        for l in corridor_import::pbf::read_pbf(p, &filter, &bars).map_err(err)? {
            push(l);
        }
    }
    if want("sea")
        && let Some(p) = &found.sea
    {
        bars.stage(&format!("reading {}", p.display()), None);
        push(corridor_import::read_searoute_network(p).map_err(err)?);
    }
    if layers.is_empty() {
        return Err(fail(
            2,
            "no network among the inputs (give OSM scgraph CSV, an .osm.pbf or the searoute network; see `corridor build --help`)",
        ));
    }
    let mut terminals: Vec<Terminal> = Vec::new();
    if let Some(p) = &found.unlocode {
        bars.stage(&format!("reading {}", p.display()), None);
        terminals.extend(corridor_import::read_unlocode(p, Some(bbox(&layers))).map_err(err)?);
    }
    if let Some(p) = &found.ports {
        bars.stage(&format!("reading {}", p.display()), None);
        terminals.extend(corridor_import::read_searoute_ports(p).map_err(err)?);
    }
    let countries = match &found.countries {
        Some(p) => {
            bars.stage(&format!("reading {}", p.display()), None);
            Some(corridor_import::Countries::load(p).map_err(err)?)
        }
        None => None,
    };
    let overlay = o.overlay.as_ref().map(Overlay::from_network).unwrap_or_default();
    let params = Params { heal_km: o.heal_km, ..Params::default() };
    let assembled = assemble(&layers, &terminals, countries.as_ref(), &overlay, &params, &bars);
    let report = assembled.report.clone();
    let (mut data, build_report) = assembled.into_snapshot(&bars);
    bars.stage("writing", None);
    data.write(o.out).map_err(|e| fail(1, format!("{}: {e}", o.out.display())))?;
    let presets = if o.presets {
        bars.stage("customizing and storing the server's preset metrics", None);
        Some(detailed::store_presets(&mut data, o.out)?)
    } else {
        None
    };
    if let Some(b) = bars.bar.lock().expect("progress lock").take() {
        b.finish_and_clear();
    }
    let size = std::fs::metadata(o.out).map(|m| m.len()).unwrap_or(0);
    println!(
        "{}: {} nodes, {} arcs, {} components (largest {:?}); order {:.1} s; {}total {:.1} s; {:.1} MB",
        o.out.display(),
        build_report.nodes,
        build_report.arcs,
        build_report.components,
        build_report.largest.iter().take(5).collect::<Vec<_>>(),
        build_report.order_seconds,
        detailed::presets_note(presets),
        t0.elapsed().as_secs_f64(),
        size as f64 / 1e6
    );
    println!("inputs:");
    for l in &layers {
        println!(
            "  {:<5} {} ({} nodes, {} edges)",
            l.mode.map_or("?", Mode::name),
            l.source,
            l.node_count(),
            l.edges.len()
        );
    }
    if found.unlocode.is_some() || found.ports.is_some() {
        println!("  {} UN/LOCODE and port records", terminals.len());
    }
    if let Some(c) = &countries {
        println!(
            "  {} countries ({})",
            c.len(),
            found.countries.as_ref().map(|p| p.display().to_string()).unwrap_or_default()
        );
    }
    println!(
        "  overlay: {}",
        if o.overlay.is_some() {
            "curated corridor dataset"
        } else {
            "none (--no-overlay): no dwell, prices or ferries"
        }
    );
    println!("nodes by mode: {:?}", report.nodes_by_mode);
    println!("arcs by kind:  {:?}", report.arcs_by_kind);
    println!(
        "countries: {} nodes by polygon, {} by the nearest country within 5 km, {} without",
        report.country_lookup[0], report.country_lookup[1], report.country_lookup[2]
    );
    println!(
        "terminals: {} (joined to rail {}, road {}, sea {})",
        report.terminals.0, report.terminals.1[0], report.terminals.1[1], report.terminals.1[2]
    );
    println!(
        "border arcs: {} with a curated crossing, {} inside a customs union, {} with the median estimate; {} left out across closed borders",
        report.borders[0], report.borders[1], report.borders[2], report.closed_border_arcs
    );
    println!(
        "breaks of gauge: {} with a curated transfer nearby, {} with the median estimate",
        report.gauge_changes[0], report.gauge_changes[1]
    );
    println!(
        "curated links laid over: {} ({} rail/road links skipped: the detailed layer connects their ends)",
        report.curated_links.0, report.curated_links.1
    );
    println!("gap report (per layer: components, main component size; then the largest other components):");
    for (m, k, main) in &report.layer_components {
        println!("  {:<5} {k} components, main {main} nodes", m.name());
    }
    for g in &report.gaps {
        let near = g.nearest_main.map_or("no main-component node within 500 km".to_string(), |(d, at)| {
            format!("suggested join: {d:.1} km to ({:.4}, {:.4})", at.0, at.1)
        });
        println!(
            "  {:<5} {:>6} nodes at ({:.4}, {:.4}) {:<2}  {near}{}{}",
            g.mode.name(),
            g.nodes,
            g.at.0,
            g.at.1,
            g.country,
            if g.healed { "; healed (join)" } else { "" },
            if g.connected_in_snapshot { "; connected in the snapshot" } else { "; NOT connected in the snapshot" }
        );
    }
    Ok(())
}

fn bbox(layers: &[Layer]) -> [f64; 4] {
    let mut b = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
    for l in layers.iter().filter(|l| l.mode != Some(Mode::Sea)) {
        for (&la, &lo) in l.lat.iter().zip(&l.lon) {
            b = [b[0].min(la), b[1].min(lo), b[2].max(la), b[3].max(lo)];
        }
    }
    if b[0].is_finite() { b } else { [-90.0, -180.0, 90.0, 180.0] }
}
