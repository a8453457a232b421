//! `corridor table`: distances, times and costs on a detailed snapshot, for a batch of pairs or
//! an all-to-all matrix.

use std::path::PathBuf;

use crate::args::{Format, TableArgs};
use crate::common::{Failure, fail};
use crate::detailed;

/// Runs `table`; it needs `--data SNAPSHOT`.
pub(crate) fn run(data: Option<&PathBuf>, args: TableArgs) -> Result<(), Failure> {
    let TableArgs { pairs, points, opts, format, parquet, shard } = args;
    let shard =
        shard.map(|t| corridor_analytics::Shard::parse(&t).map_err(|e| fail(2, format!("--shard {e}")))).transpose()?;
    let data = data.ok_or_else(|| fail(2, "table needs --data SNAPSHOT (see `corridor build`)"))?;
    let json = format == Format::Json;
    detailed::table(data, pairs.as_deref(), points.as_deref(), &opts, json, parquet.as_deref(), shard)
}
