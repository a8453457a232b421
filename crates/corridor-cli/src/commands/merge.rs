//! `corridor merge`: the Parquet parts of a sharded job into the file the single run writes.
//!
//! Each part carries its table (`corridor:table`) and its part (`corridor:shard`, `i/n`) in the
//! file footer. The merge refuses parts of different tables, counts or columns, a part given
//! twice, and a missing part; then it concatenates the rows and restores the single run's
//! order (a ranking re-sorted and re-numbered).

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::args::MergeArgs;
use crate::common::{Failure, ITEM_ROWS_KEY, SHARD_KEY, TABLE_KEY, fail};

/// Merges the parts into `--out`.
pub(crate) fn run(_data: Option<&PathBuf>, args: MergeArgs) -> Result<(), Failure> {
    let MergeArgs { out, parts } = args;
    let mut tables = Vec::new();
    for p in &parts {
        // The footer only: a large table's rows are read once, by the merge itself.
        let t = corridor_parquet::inspect(p).map_err(|e| fail(2, e.to_string()))?;
        let (Some(table), Some(shard)) = (t.meta.get(TABLE_KEY), t.meta.get(SHARD_KEY)) else {
            return Err(fail(
                2,
                format!("{}: not a part of a sharded job (no {TABLE_KEY} and {SHARD_KEY})", p.display()),
            ));
        };
        let shard = corridor_analytics::Shard::parse(shard).map_err(|e| fail(2, format!("{}: {e}", p.display())))?;
        tables.push((p, table.clone(), shard, t));
    }
    let (_, table, first, head) = &tables[0];
    let mut seen: BTreeMap<usize, &PathBuf> = BTreeMap::new();
    for (p, t, s, x) in &tables {
        if t != table || s.count != first.count || x.fields != head.fields {
            return Err(fail(
                2,
                format!("{}: part {s} of {t} does not belong with part {first} of {table}", p.display()),
            ));
        }
        if let Some(q) = seen.insert(s.index, p) {
            return Err(fail(2, format!("{}: part {s} is given twice (also {})", p.display(), q.display())));
        }
    }
    let missing: Vec<String> =
        (0..first.count).filter(|i| !seen.contains_key(i)).map(|i| format!("{i}/{}", first.count)).collect();
    if !missing.is_empty() {
        return Err(fail(2, format!("missing parts of {table}: {}", missing.join(", "))));
    }
    let n = match table.as_str() {
        "resilience" => {
            // A ranking is small: re-sorted as text by its loss, then written typed.
            let mut all = corridor_parquet::read_table(tables[0].0).map_err(|e| fail(2, e.to_string()))?;
            for (p, ..) in &tables[1..] {
                all.rows.extend(corridor_parquet::read_table(p).map_err(|e| fail(2, e.to_string()))?.rows);
            }
            all.rows = merge_ranking(&all)?;
            corridor_parquet::write_table_with(
                &all.csv(),
                &corridor_parquet::schemas::RESILIENCE,
                &[(TABLE_KEY, table.clone())],
                &out,
            )
            .map_err(|e| fail(1, e.to_string()))?
        }
        "snapshot-pairs" | "snapshot-matrix" | "scenario-sweep" => {
            // Tables can be large: the rows are interleaved as Arrow arrays, no text.
            let order = interleave(&tables)?;
            let mut paths: Vec<&std::path::Path> = vec![std::path::Path::new(""); first.count];
            for (p, _, s, _) in &tables {
                paths[s.index] = p.as_path();
            }
            corridor_parquet::interleave_parts(&paths, &order, &[(TABLE_KEY, table.clone())], &out)
                .map_err(|e| fail(1, e.to_string()))?
        }
        other => return Err(fail(2, format!("{other}: no merge for this table"))),
    };
    crate::common::note!("{n} rows from {} parts into {}", tables.len(), out.display());
    Ok(())
}

/// Parts whose items (a pair, or a matrix row of `corridor:item_rows` rows) sit at positions
/// `i, i+n, ...`, as (part, row) pairs in the single run's order: item k is the next item of
/// part k mod n.
fn interleave(
    tables: &[(&PathBuf, String, corridor_analytics::Shard, corridor_parquet::Inspection)],
) -> Result<Vec<(usize, usize)>, Failure> {
    let n = tables[0].2.count;
    // Per part: rows per item, rows in all, rows placed so far.
    let mut parts: Vec<(usize, usize, usize)> = vec![(1, 0, 0); n];
    for (p, _, s, t) in tables {
        let size: usize = t
            .meta
            .get(ITEM_ROWS_KEY)
            .and_then(|v| v.parse().ok())
            .filter(|&m| m >= 1 && t.rows % m == 0)
            .ok_or_else(|| fail(2, format!("{}: no valid {ITEM_ROWS_KEY} for its {} rows", p.display(), t.rows)))?;
        parts[s.index] = (size, t.rows, 0);
    }
    let mut out = Vec::new();
    for k in 0.. {
        let part = k % n;
        let (size, total, placed) = &mut parts[part];
        if *placed >= *total {
            // Part k mod n has no more items: the job had k items (a later part has none
            // either, as parts hold positions i, i+n, ...).
            break;
        }
        out.extend((*placed..*placed + *size).map(|r| (part, r)));
        *placed += *size;
    }
    let total: usize = parts.iter().map(|p| p.1).sum();
    if out.len() != total {
        return Err(fail(2, format!("the parts do not interleave: {} of {total} rows placed", out.len())));
    }
    Ok(out)
}

/// A ranking's rows in the single run's order: loss descending, ties by element; ranks
/// re-numbered from 1.
fn merge_ranking(t: &corridor_parquet::TextTable) -> Result<Vec<Vec<String>>, Failure> {
    let col =
        |name: &str| t.fields.iter().position(|f| f.0 == name).ok_or_else(|| fail(2, format!("no column {name}")));
    let (rank, element, loss) = (col("rank")?, col("element")?, col("loss_usd_year")?);
    let mut rows = t.rows.clone();
    let key = |r: &Vec<String>| r[loss].parse::<f64>().unwrap_or(f64::NEG_INFINITY);
    rows.sort_by(|a, b| key(b).total_cmp(&key(a)).then_with(|| a[element].cmp(&b[element])));
    for (i, r) in rows.iter_mut().enumerate() {
        r[rank] = (i + 1).to_string();
    }
    Ok(rows)
}
