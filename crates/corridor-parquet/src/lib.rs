//! Parquet output for corridor's tables (matrices, pair batches, assignment flows, legs).
//!
//! Every tabular export of corridor already exists as CSV text with a header; [`csv_to_parquet`]
//! turns such text into a Parquet file with typed columns: a column whose non-empty cells all
//! parse as numbers becomes `Float64`, any other column `Utf8`; empty cells are nulls. Files are
//! compressed with zstd. Keeping one conversion, instead of a Parquet writer per export, means
//! the two formats can never disagree.

use std::path::Path;
use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;

/// Why a Parquet file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ParquetError {
    /// The CSV text is malformed (a bug in the caller: exports are generated).
    #[error("table: {0}")]
    Csv(#[from] csv::Error),
    /// The file could not be created.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Arrow or Parquet refused the data.
    #[error("parquet: {0}")]
    Parquet(String),
}

/// Converts CSV text with a header row into a Parquet file at `path`. Lines starting with `#`
/// (checksums, notes) are skipped. Returns the number of rows written.
pub fn csv_to_parquet(csv_text: &str, path: &Path) -> Result<usize, ParquetError> {
    let mut reader = csv::ReaderBuilder::new().comment(Some(b'#')).from_reader(csv_text.as_bytes());
    let header: Vec<String> = reader.headers()?.iter().map(str::to_string).collect();
    let mut cells: Vec<Vec<String>> = vec![Vec::new(); header.len()];
    for rec in reader.records() {
        let rec = rec?;
        for (i, col) in cells.iter_mut().enumerate() {
            col.push(rec.get(i).unwrap_or("").to_string());
        }
    }
    let rows = cells.first().map_or(0, Vec::len);
    let mut fields = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    for (name, col) in header.iter().zip(&cells) {
        let numeric = col.iter().all(|c| c.is_empty() || c.parse::<f64>().is_ok());
        if numeric {
            let values: Float64Array = col.iter().map(|c| c.parse::<f64>().ok()).collect();
            fields.push(Field::new(name, DataType::Float64, true));
            arrays.push(Arc::new(values));
        } else {
            let values: StringArray = col.iter().map(|c| (!c.is_empty()).then_some(c.as_str())).collect();
            fields.push(Field::new(name, DataType::Utf8, true));
            arrays.push(Arc::new(values));
        }
    }
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(|e| ParquetError::Parquet(e.to_string()))?;
    let file =
        std::fs::File::create(path).map_err(|source| ParquetError::Io { path: path.display().to_string(), source })?;
    let props = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::try_new(3).map_err(|e| ParquetError::Parquet(e.to_string()))?))
        .build();
    let mut writer =
        ArrowWriter::try_new(file, schema, Some(props)).map_err(|e| ParquetError::Parquet(e.to_string()))?;
    writer.write(&batch).map_err(|e| ParquetError::Parquet(e.to_string()))?;
    writer.close().map_err(|e| ParquetError::Parquet(e.to_string()))?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::Array;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    #[test]
    fn round_trip_with_types_and_nulls() {
        let path = std::env::temp_dir().join(format!("corridor-parquet-{}.parquet", std::process::id()));
        let csv = "source,target,km,error\n1,2,10.5,\n2,3,,no path\n# checksum_m=10500\n";
        assert_eq!(csv_to_parquet(csv, &path).unwrap(), 2);
        let file = std::fs::File::open(&path).unwrap();
        let mut reader = ParquetRecordBatchReaderBuilder::try_new(file).unwrap().build().unwrap();
        let batch = reader.next().unwrap().unwrap();
        assert_eq!(batch.num_rows(), 2);
        let km = batch.column_by_name("km").unwrap().as_any().downcast_ref::<Float64Array>().unwrap();
        assert_eq!(km.value(0), 10.5);
        assert!(km.is_null(1));
        let err = batch.column_by_name("error").unwrap().as_any().downcast_ref::<StringArray>().unwrap();
        assert!(err.is_null(0));
        assert_eq!(err.value(1), "no path");
        assert_eq!(batch.schema().field_with_name("source").unwrap().data_type(), &DataType::Float64);
        std::fs::remove_file(&path).ok();
    }
}
