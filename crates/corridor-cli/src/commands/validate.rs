//! `corridor validate`: check a dataset directory (every problem with file, line and field), or
//! a detailed snapshot file; with `--observations FILE`, score the model against published
//! shipments (`corridor_routing::validation`).

use std::path::PathBuf;

use corridor_io::{DatasetFiles, Severity};

use crate::args::{ReportFormat, ValidateArgs};
use crate::common::{Failure, fail, json, load};
use crate::detailed;

/// Largest observations file read, bytes: a hand-collected file is far smaller.
const MAX_OBSERVATIONS_BYTES: u64 = 16 << 20;

/// Runs `validate` on `DIR`, else `--data`, else the embedded dataset.
pub(crate) fn run(data: Option<&PathBuf>, args: ValidateArgs) -> Result<(), Failure> {
    let target = args.dir.as_ref().or(data);
    if let Some(file) = &args.observations {
        if target.is_some_and(|t| t.is_file()) {
            return Err(fail(2, "--observations scores the curated network; it cannot run on a detailed snapshot"));
        }
        return observations(target, file, args.format);
    }
    match target {
        Some(file) if file.is_file() => detailed::validate(file),
        _ => validate(target),
    }
}

/// The capacity and demand tables of the assignment (`capacities.csv`, `demand_2024.csv`) of a
/// dataset directory, or the embedded ones, checked against the network they describe (the
/// embedded tables describe the curated network, see `DatasetFiles::embedded_curated`): every
/// problem with file, line and field, and exit code 1.
fn analysis_tables(dir: Option<&PathBuf>, net: &corridor_model::Network) -> Result<(), Failure> {
    use corridor_analytics::{Capacities, DEFAULT_CAPACITIES_CSV, DEFAULT_DEMAND_CSV, Demand};
    let curated;
    let (net, tables): (&corridor_model::Network, Vec<(String, String)>) = match dir {
        Some(d) => {
            let mut tables = Vec::new();
            for name in ["capacities.csv", "demand_2024.csv"] {
                let p = d.join(name);
                if p.exists() {
                    let text = corridor_io::files::read_text(&p, corridor_io::files::MAX_TEXT_BYTES)
                        .map_err(|e| fail(2, format!("{}: {e}", p.display())))?;
                    tables.push((p.display().to_string(), text));
                }
            }
            (net, tables)
        }
        None => {
            curated = corridor_io::load(&DatasetFiles::embedded_curated())
                .map_err(|diags| {
                    let first: Vec<String> = diags.iter().take(5).map(|d| d.to_string()).collect();
                    fail(1, format!("the embedded curated network does not load:\n{}", first.join("\n")))
                })?
                .network;
            let tables = vec![
                ("capacities.csv".to_string(), DEFAULT_CAPACITIES_CSV.to_string()),
                ("demand_2024.csv".to_string(), DEFAULT_DEMAND_CSV.to_string()),
            ];
            (&curated, tables)
        }
    };
    let mut errors = Vec::new();
    for (name, text) in &tables {
        let result = if name.ends_with("capacities.csv") {
            Capacities::parse(net, name, text).map(|_| ())
        } else {
            Demand::parse(net, name, text).map(|_| ())
        };
        if let Err(errs) = result {
            errors.extend(errs.iter().map(|e| e.to_string()));
        }
    }
    if errors.is_empty() {
        return Ok(());
    }
    for e in &errors {
        println!("{e}");
    }
    Err(fail(1, format!("{} error(s) in the capacity and demand tables", errors.len())))
}

/// A dataset directory (or the embedded dataset): its warnings and a summary line, or every
/// diagnostic and exit code 1 when it has errors.
fn validate(dir: Option<&PathBuf>) -> Result<(), Failure> {
    let files = match dir {
        Some(d) => DatasetFiles::from_dir(d).map_err(|e| fail(2, e.to_string()))?,
        None => DatasetFiles::embedded(),
    };
    let diags = match corridor_io::load(&files) {
        Ok(loaded) => {
            let n = &loaded.network;
            for d in &loaded.warnings {
                println!("{d}");
            }
            analysis_tables(dir, n)?;
            println!(
                "{}: OK: {} locations, {} links, {} transfers, {} border crossings, {} emission factors, {} sources, {} warning(s)",
                files.origin,
                n.locations.len(),
                n.links.len(),
                n.transfers.len(),
                n.borders.len(),
                n.emission_factors.len(),
                n.sources.len(),
                loaded.warnings.len()
            );
            return Ok(());
        }
        Err(d) => d,
    };
    for d in &diags {
        println!("{d}");
    }
    let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
    Err(fail(1, format!("{}: {errors} error(s), {} warning(s)", files.origin, diags.len() - errors)))
}

/// Scores the curated network (`dir` or the embedded one) against the observations in `file`.
fn observations(dir: Option<&PathBuf>, file: &PathBuf, format: ReportFormat) -> Result<(), Failure> {
    let shown = file.display();
    let meta = std::fs::metadata(file).map_err(|e| fail(2, format!("{shown}: {e}")))?;
    if !meta.is_file() {
        return Err(fail(2, format!("{shown}: not a regular file")));
    }
    if meta.len() > MAX_OBSERVATIONS_BYTES {
        return Err(fail(2, format!("{shown}: {} bytes, more than the {MAX_OBSERVATIONS_BYTES} accepted", meta.len())));
    }
    let text = corridor_io::files::read_text(file, corridor_io::files::MAX_TEXT_BYTES)
        .map_err(|e| fail(2, format!("{shown}: {e}")))?;
    let name = file.file_name().map_or_else(|| shown.to_string(), |n| n.to_string_lossy().to_string());
    let cases = corridor_io::observations::parse_observations(&name, &text)
        .map_err(|diags| fail(2, diags.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n")))?;
    let net = load(dir)?;
    let report = corridor_routing::validation::Report::new(
        &net,
        cases,
        corridor_routing::Query::DEFAULT_SAMPLES,
        corridor_routing::Query::DEFAULT_SEED,
    );
    let dto = corridor_io::export::ValidationDto::new(&report);
    let out = match format {
        ReportFormat::Json => json(&dto).map_err(|e| fail(1, format!("{e:#}")))? + "\n",
        ReportFormat::Csv => corridor_io::export::validation_csv(&dto),
        ReportFormat::Table => table(&dto),
    };
    print!("{out}");
    Ok(())
}

/// The report as text: one line per case (days), then the scores.
fn table(v: &corridor_io::export::ValidationDto) -> String {
    use crate::render::{Align, TextTable};
    let d = |h: Option<f64>| h.map_or("-".to_string(), |h| format!("{:.1}", h / 24.0));
    let mut t = TextTable::new(&[
        ("id", Align::Left),
        ("family", Align::Left),
        ("kind", Align::Left),
        ("from", Align::Left),
        ("to", Align::Left),
        ("observed d", Align::Right),
        ("P50 d", Align::Right),
        ("P90 d", Align::Right),
        ("band d", Align::Right),
        ("hit", Align::Left),
        ("route or reason", Align::Left),
    ]);
    for c in &v.cases {
        t.row(vec![
            c.id.clone(),
            c.family.clone(),
            c.kind.to_string(),
            c.from.clone(),
            c.to.clone(),
            d(Some(c.observed_h)),
            d(c.p50_h),
            d(c.p90_h),
            match (c.band_low_h, c.band_high_h) {
                (Some(l), Some(h)) => format!("{}–{}", d(Some(l)), d(Some(h))),
                _ => "-".to_string(),
            },
            if !c.scored {
                format!("not scored ({})", c.basis)
            } else if c.hit {
                "yes".to_string()
            } else {
                "NO".to_string()
            },
            c.error.clone().unwrap_or_else(|| {
                // The routing the source stated, so a reader sees what the prediction was held to.
                let mut cell = c.corridors.join("|");
                if !c.via.is_empty() {
                    cell.push_str(&format!(" via {}", c.via.join(", ")));
                }
                if !c.avoid_location.is_empty() {
                    cell.push_str(&format!(" avoiding {}", c.avoid_location.join(", ")));
                }
                cell
            }),
        ]);
    }
    let mut s = TextTable::new(&[
        ("group", Align::Left),
        ("scored cases", Align::Right),
        ("hits", Align::Right),
        ("rate", Align::Right),
        ("unpredicted", Align::Right),
        ("median observed/P50", Align::Right),
    ]);
    for g in &v.scores {
        s.row(vec![
            g.group.clone(),
            g.cases.to_string(),
            g.hits.to_string(),
            format!("{:.0}%", 100.0 * g.rate),
            g.unpredicted.to_string(),
            g.median_ratio.map_or("-".to_string(), |r| format!("{r:.2}")),
        ]);
    }
    format!(
        "{}\nHit: {}.\n\n{}\n{}\n",
        t.render(),
        v.band,
        s.render(),
        if v.passes {
            "PASSES: at least 80% of all cases and 60% of every family in their band"
        } else {
            "FAILS: fewer than 80% of all cases, or 60% of some family, in their band"
        }
    )
}
