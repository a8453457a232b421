//! `corridor merge`: the Parquet parts of a sharded job into the file the single run writes.
//!
//! Each part carries its table (`corridor:table`) and its part (`corridor:shard`, `i/n`) in the
//! file footer. The merge refuses parts of different tables, counts or columns, a part given
//! twice, and a missing part; then it concatenates the rows and restores the single run's
//! order (a ranking re-sorted and re-numbered).

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::args::MergeArgs;
use crate::common::{Failure, fail};

/// Footer key naming the table a part belongs to.
pub(crate) const TABLE_KEY: &str = "corridor:table";
/// Footer key naming the part (`i/n`).
pub(crate) const SHARD_KEY: &str = "corridor:shard";

/// Merges the parts into `--out`.
pub(crate) fn run(_data: Option<&PathBuf>, args: MergeArgs) -> Result<(), Failure> {
    let MergeArgs { out, parts } = args;
    let mut tables = Vec::new();
    for p in &parts {
        let t = corridor_parquet::read_table(p).map_err(|e| fail(2, e.to_string()))?;
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
    let mut all = head.clone();
    all.rows = tables.iter().flat_map(|t| t.3.rows.iter().cloned()).collect();
    let (columns, rows) = match table.as_str() {
        "resilience" => (&corridor_parquet::schemas::RESILIENCE[..], merge_ranking(&all)?),
        other => return Err(fail(2, format!("{other}: no merge for this table"))),
    };
    all.rows = rows;
    let n = corridor_parquet::write_table_with(&all.csv(), columns, &[(TABLE_KEY, table)], &out)
        .map_err(|e| fail(1, e.to_string()))?;
    crate::common::note!("{n} rows from {} parts into {}", tables.len(), out.display());
    Ok(())
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
