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
    let matrix;
    let (columns, rows) = match table.as_str() {
        "resilience" => (&corridor_parquet::schemas::RESILIENCE[..], merge_ranking(&all)?),
        "snapshot-pairs" => (&corridor_parquet::schemas::SNAPSHOT_PAIRS[..], interleave(&tables)?),
        "snapshot-matrix" => {
            let unit = match head.fields.get(2).map(|f| f.0.as_str()) {
                Some("km") => "km",
                Some("hours") => "hours",
                Some("usd") => "usd",
                Some("kg_co2e") => "kg_co2e",
                other => return Err(fail(2, format!("{table}: unknown value column {other:?}"))),
            };
            matrix = corridor_parquet::schemas::matrix_long(unit);
            (&matrix[..], interleave(&tables)?)
        }
        other => return Err(fail(2, format!("{other}: no merge for this table"))),
    };
    all.rows = rows;
    let n = corridor_parquet::write_table_with(&all.csv(), columns, &[(TABLE_KEY, table)], &out)
        .map_err(|e| fail(1, e.to_string()))?;
    crate::common::note!("{n} rows from {} parts into {}", tables.len(), out.display());
    Ok(())
}

/// Parts whose items (a pair, or a matrix row of `corridor:item_rows` rows) sit at positions
/// `i, i+n, ...`, put back in the single run's order: item k is the next item of part k mod n.
fn interleave(
    tables: &[(&PathBuf, String, corridor_analytics::Shard, corridor_parquet::TextTable)],
) -> Result<Vec<Vec<String>>, Failure> {
    let n = tables[0].2.count;
    let mut by_part: Vec<Option<(usize, std::slice::Iter<'_, Vec<String>>)>> = vec![None; n];
    for (p, _, s, t) in tables {
        let size: usize = t
            .meta
            .get(ITEM_ROWS_KEY)
            .and_then(|v| v.parse().ok())
            .filter(|&m| m >= 1 && t.rows.len() % m == 0)
            .ok_or_else(|| {
                fail(2, format!("{}: no valid {ITEM_ROWS_KEY} for its {} rows", p.display(), t.rows.len()))
            })?;
        by_part[s.index] = Some((size, t.rows.iter()));
    }
    let mut out = Vec::new();
    for k in 0.. {
        let Some((size, rows)) = by_part[k % n].as_mut() else { unreachable!("every part is present") };
        let item: Vec<Vec<String>> = rows.by_ref().take(*size).cloned().collect();
        if item.is_empty() {
            // Part k mod n has no more items: the job had k items (any later part has none
            // either, as parts hold positions i, i+n, ...).
            break;
        }
        out.extend(item);
    }
    let total: usize = tables.iter().map(|t| t.3.rows.len()).sum();
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
