//! Parquet and GeoParquet output for corridor's tables (matrices, pair batches, route legs,
//! assignment elements and flows).
//!
//! Every tabular export of corridor already exists as CSV text with a header; [`write_table`]
//! turns such text into a Parquet file under a **declared** Arrow schema ([`schemas`]): ids are
//! `UInt32`, measures `Float64`, repeated strings (kinds, modes, corridors) dictionary-encoded,
//! and a column is nullable only where the table has empty cells by design (an `error`, a
//! missing P10). The types never depend on the data, so two runs always give the same schema.
//! [`write_geoparquet`] adds a WKB `geometry` column and the GeoParquet 1.1 `geo` metadata
//! (CRS OGC:CRS84 as PROJJSON, geometry types, bbox), which GeoPandas, DuckDB and QGIS read.
//! Files are zstd-compressed. Keeping one conversion, instead of a writer per export, means
//! the CSV and Parquet outputs can never disagree.

pub mod schemas;

use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::StringDictionaryBuilder;
use arrow_array::types::Int32Type;
use arrow_array::{
    Array, ArrayRef, BinaryArray, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray, UInt32Array,
};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;

/// Why a Parquet file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ParquetError {
    /// The CSV text is malformed (a bug in the caller: exports are generated).
    #[error("table: {0}")]
    Csv(#[from] csv::Error),
    /// The table does not fit its declared schema (a bug in the caller).
    #[error("table: {0}")]
    Schema(String),
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

/// The Arrow type of a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnType {
    /// Dense ids and counts.
    UInt32,
    /// Large counts and checksums.
    Int64,
    /// Measures (km, hours, USD, kg CO2e, TEU).
    Float64,
    /// `true`/`false`.
    Bool,
    /// Free text.
    Utf8,
    /// Repeated strings (codes, kinds, modes, corridors): `Dictionary(Int32, Utf8)`.
    Dict,
}

/// One declared column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    /// Name, as in the CSV header.
    pub name: &'static str,
    /// Arrow type.
    pub ty: ColumnType,
    /// Whether empty cells (nulls) are allowed.
    pub nullable: bool,
}

impl Column {
    /// A column that never has empty cells.
    pub const fn required(name: &'static str, ty: ColumnType) -> Column {
        Column { name, ty, nullable: false }
    }

    /// A column whose empty cells are nulls.
    pub const fn nullable(name: &'static str, ty: ColumnType) -> Column {
        Column { name, ty, nullable: true }
    }

    fn arrow(&self) -> Field {
        let dt = match self.ty {
            ColumnType::UInt32 => DataType::UInt32,
            ColumnType::Int64 => DataType::Int64,
            ColumnType::Float64 => DataType::Float64,
            ColumnType::Bool => DataType::Boolean,
            ColumnType::Utf8 => DataType::Utf8,
            ColumnType::Dict => DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
        };
        Field::new(self.name, dt, self.nullable)
    }
}

/// The Arrow schema of `columns` (what [`write_table`] writes).
pub fn arrow_schema(columns: &[Column]) -> Schema {
    Schema::new(columns.iter().map(Column::arrow).collect::<Vec<_>>())
}

/// A geometry of [`write_geoparquet`], in (longitude, latitude) degrees on WGS 84.
#[derive(Clone, Debug, PartialEq)]
pub enum Geometry {
    /// A point.
    Point(f64, f64),
    /// A line through at least two points.
    LineString(Vec<(f64, f64)>),
}

impl Geometry {
    /// Well-known binary, little endian (ISO 19125; what GeoParquet's WKB encoding stores).
    pub fn wkb(&self) -> Vec<u8> {
        let mut out = vec![1u8];
        match self {
            Geometry::Point(x, y) => {
                out.extend(1u32.to_le_bytes());
                out.extend(x.to_le_bytes());
                out.extend(y.to_le_bytes());
            }
            Geometry::LineString(pts) => {
                out.extend(2u32.to_le_bytes());
                out.extend((pts.len() as u32).to_le_bytes());
                for (x, y) in pts {
                    out.extend(x.to_le_bytes());
                    out.extend(y.to_le_bytes());
                }
            }
        }
        out
    }

    fn type_name(&self) -> &'static str {
        match self {
            Geometry::Point(..) => "Point",
            Geometry::LineString(_) => "LineString",
        }
    }

    fn points(&self) -> Vec<(f64, f64)> {
        match self {
            Geometry::Point(x, y) => vec![(*x, *y)],
            Geometry::LineString(p) => p.clone(),
        }
    }
}

/// Converts CSV text with a header row into a Parquet file at `path` under `columns` (the
/// header must name exactly these columns, in this order). Lines starting with `#` (checksums,
/// notes) are skipped. Returns the number of rows written.
pub fn write_table(csv_text: &str, columns: &[Column], path: &Path) -> Result<usize, ParquetError> {
    write_table_with(csv_text, columns, &[], path)
}

/// [`write_table`] with key-value metadata in the file footer (a shard's `corridor:table` and
/// `corridor:shard`, which [`read_table`] gives back for merging).
pub fn write_table_with(
    csv_text: &str,
    columns: &[Column],
    meta: &[(&str, String)],
    path: &Path,
) -> Result<usize, ParquetError> {
    let (arrays, rows) = typed_arrays(csv_text, columns)?;
    let kv = meta.iter().map(|(k, v)| KeyValue::new((*k).to_owned(), v.clone())).collect();
    write(path, Arc::new(arrow_schema(columns)), arrays, kv)?;
    Ok(rows)
}

/// A Parquet file read back as text: column names, rows of cells (the CSV spelling of each
/// value, empty for null; floats in their shortest round-trip form) and the footer's key-value
/// metadata. For merging shards, whose parts were written by [`write_table_with`].
#[derive(Clone, Debug, PartialEq)]
pub struct TextTable {
    /// The columns as [`fields`] lists them.
    pub fields: Vec<(String, String, bool)>,
    /// The rows.
    pub rows: Vec<Vec<String>>,
    /// Footer metadata.
    pub meta: std::collections::BTreeMap<String, String>,
}

impl TextTable {
    /// The rows as CSV text with a header (the input of [`write_table`]).
    pub fn csv(&self) -> String {
        let mut out = self.fields.iter().map(|f| csv_field(&f.0)).collect::<Vec<_>>().join(",") + "\n";
        for r in &self.rows {
            out += &(r.iter().map(|c| csv_field(c)).collect::<Vec<_>>().join(",") + "\n");
        }
        out
    }
}

/// One CSV cell, quoted as RFC 4180 asks when it holds a comma, a quote or a line break.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_owned() }
}

/// Writes to `out` the rows `order` picks from the Parquet files `parts` — `(part, row)` pairs,
/// in output order — under the parts' own schema (which must be the same in every part) and
/// the footer `meta`. Merges the parts of a sharded table without a text round trip.
pub fn interleave_parts(
    parts: &[&Path],
    order: &[(usize, usize)],
    meta: &[(&str, String)],
    out: &Path,
) -> Result<usize, ParquetError> {
    let pq = |p: &Path, e: &dyn std::fmt::Display| ParquetError::Parquet(format!("{}: {e}", p.display()));
    let mut batches = Vec::new();
    let mut schema: Option<Arc<Schema>> = None;
    for &p in parts {
        let file =
            std::fs::File::open(p).map_err(|source| ParquetError::Io { path: p.display().to_string(), source })?;
        let builder =
            parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| pq(p, &e))?;
        // The footer metadata differs per part (its shard); the columns must not.
        let s = Arc::new(Schema::new(builder.schema().fields().clone()));
        if schema.as_ref().is_some_and(|x| x != &s) {
            return Err(ParquetError::Schema(format!("{}: columns differ from the first part's", p.display())));
        }
        let parts_batches: Vec<RecordBatch> =
            builder.build().map_err(|e| pq(p, &e))?.collect::<Result<_, _>>().map_err(|e| pq(p, &e))?;
        let b = arrow_select::concat::concat_batches(&s, &parts_batches).map_err(|e| pq(p, &e))?;
        schema = Some(s);
        batches.push(b);
    }
    let schema = schema.ok_or_else(|| ParquetError::Schema("no parts".into()))?;
    if let Some(&(k, r)) = order.iter().find(|&&(k, r)| k >= batches.len() || r >= batches[k].num_rows()) {
        return Err(ParquetError::Schema(format!("row {r} of part {k} does not exist")));
    }
    let mut arrays = Vec::with_capacity(schema.fields().len());
    for c in 0..schema.fields().len() {
        let cols: Vec<&dyn Array> = batches.iter().map(|b| b.column(c).as_ref()).collect();
        arrays.push(
            arrow_select::interleave::interleave(&cols, order).map_err(|e| ParquetError::Parquet(e.to_string()))?,
        );
    }
    let kv = meta.iter().map(|(k, v)| KeyValue::new((*k).to_owned(), v.clone())).collect();
    write(out, schema, arrays, kv)?;
    Ok(order.len())
}

/// Reads a Parquet file of corridor's column types back as text (see [`TextTable`]).
pub fn read_table(path: &Path) -> Result<TextTable, ParquetError> {
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Float64Type, Int64Type, UInt32Type};
    let pq = |e: &dyn std::fmt::Display| ParquetError::Parquet(format!("{}: {e}", path.display()));
    let file =
        std::fs::File::open(path).map_err(|source| ParquetError::Io { path: path.display().to_string(), source })?;
    let builder = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| pq(&e))?;
    let meta = builder
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .map(|kv| kv.iter().filter_map(|k| Some((k.key.clone(), k.value.clone()?))).collect())
        .unwrap_or_default();
    let fields = fields(builder.schema());
    let mut rows = Vec::new();
    for batch in builder.build().map_err(|e| pq(&e))? {
        let batch = batch.map_err(|e| pq(&e))?;
        let mut cols: Vec<Vec<String>> = Vec::new();
        for a in batch.columns() {
            let n = a.len();
            let cell = |i: usize, f: &dyn Fn(usize) -> String| if a.is_null(i) { String::new() } else { f(i) };
            let col: Vec<String> = match a.data_type() {
                DataType::UInt32 => {
                    (0..n).map(|i| cell(i, &|i| a.as_primitive::<UInt32Type>().value(i).to_string())).collect()
                }
                DataType::Int64 => {
                    (0..n).map(|i| cell(i, &|i| a.as_primitive::<Int64Type>().value(i).to_string())).collect()
                }
                DataType::Float64 => {
                    (0..n).map(|i| cell(i, &|i| a.as_primitive::<Float64Type>().value(i).to_string())).collect()
                }
                DataType::Boolean => (0..n).map(|i| cell(i, &|i| a.as_boolean().value(i).to_string())).collect(),
                DataType::Utf8 => (0..n).map(|i| cell(i, &|i| a.as_string::<i32>().value(i).to_owned())).collect(),
                DataType::Dictionary(_, _) => {
                    let d = a.as_dictionary::<Int32Type>();
                    let values = d.values().as_string::<i32>();
                    (0..n).map(|i| cell(i, &|i| values.value(d.keys().value(i) as usize).to_owned())).collect()
                }
                other => {
                    return Err(ParquetError::Schema(format!(
                        "{}: column type {other} is not one of corridor's",
                        path.display()
                    )));
                }
            };
            cols.push(col);
        }
        for i in 0..batch.num_rows() {
            rows.push(cols.iter().map(|c| c[i].clone()).collect());
        }
    }
    Ok(TextTable { fields, rows, meta })
}

/// [`write_table`] plus a `geometry` column (WKB, one per row; `None` is a null geometry) and
/// the GeoParquet 1.1 metadata: encoding WKB, CRS OGC:CRS84 (longitude, latitude on WGS 84,
/// written out as PROJJSON), the geometry types present and the bounding box.
pub fn write_geoparquet(
    csv_text: &str,
    columns: &[Column],
    geometries: &[Option<Geometry>],
    path: &Path,
) -> Result<usize, ParquetError> {
    let (mut arrays, rows) = typed_arrays(csv_text, columns)?;
    if geometries.len() != rows {
        return Err(ParquetError::Schema(format!("{rows} rows but {} geometries", geometries.len())));
    }
    let wkb: Vec<Option<Vec<u8>>> = geometries.iter().map(|g| g.as_ref().map(Geometry::wkb)).collect();
    arrays.push(Arc::new(BinaryArray::from_iter(wkb.iter().map(|g| g.as_deref()))));
    let mut types: Vec<&str> = geometries.iter().flatten().map(Geometry::type_name).collect();
    types.sort_unstable();
    types.dedup();
    let pts: Vec<(f64, f64)> = geometries.iter().flatten().flat_map(Geometry::points).collect();
    let bbox = if pts.is_empty() {
        String::new()
    } else {
        let f = |sel: fn(&(f64, f64)) -> f64, min: bool| {
            pts.iter()
                .map(sel)
                .fold(if min { f64::INFINITY } else { f64::NEG_INFINITY }, |a, b| if min { a.min(b) } else { a.max(b) })
        };
        format!(",\"bbox\":[{},{},{},{}]", f(|p| p.0, true), f(|p| p.1, true), f(|p| p.0, false), f(|p| p.1, false))
    };
    let geo = format!(
        "{{\"version\":\"1.1.0\",\"primary_column\":\"geometry\",\"columns\":{{\"geometry\":{{\"encoding\":\"WKB\",\"geometry_types\":[{}],\"crs\":{CRS84_PROJJSON}{bbox}}}}}}}",
        types.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(",")
    );
    write(path, Arc::new(geo_arrow_schema(columns)), arrays, vec![KeyValue::new("geo".to_owned(), geo)])?;
    Ok(rows)
}

/// OGC:CRS84 (WGS 84, longitude then latitude) as PROJJSON, the CRS GeoParquet 1.1 names.
const CRS84_PROJJSON: &str = r#"{"$schema":"https://proj.org/schemas/v0.7/projjson.schema.json","type":"GeographicCRS","name":"WGS 84 (CRS84)","datum_ensemble":{"name":"World Geodetic System 1984 ensemble","members":[{"name":"World Geodetic System 1984 (Transit)"},{"name":"World Geodetic System 1984 (G730)"},{"name":"World Geodetic System 1984 (G873)"},{"name":"World Geodetic System 1984 (G1150)"},{"name":"World Geodetic System 1984 (G1674)"},{"name":"World Geodetic System 1984 (G1762)"},{"name":"World Geodetic System 1984 (G2139)"}],"ellipsoid":{"name":"WGS 84","semi_major_axis":6378137,"inverse_flattening":298.257223563},"accuracy":"2.0"},"coordinate_system":{"subtype":"ellipsoidal","axis":[{"name":"Geodetic longitude","abbreviation":"Lon","direction":"east","unit":"degree"},{"name":"Geodetic latitude","abbreviation":"Lat","direction":"north","unit":"degree"}]},"scope":"Not known.","area":"World.","bbox":{"south_latitude":-90,"west_longitude":-180,"north_latitude":90,"east_longitude":180},"id":{"authority":"OGC","code":"CRS84"}}"#;

/// What a Parquet file holds: its columns, its GeoParquet `geo` metadata if any, and its row
/// count (for tests and checks; reads the footer only).
#[derive(Clone, Debug, PartialEq)]
pub struct Inspection {
    /// The columns stored in the file, as [`fields`] lists them.
    pub fields: Vec<(String, String, bool)>,
    /// The `geo` key-value metadata (GeoParquet), if present.
    pub geo: Option<String>,
    /// All key-value metadata of the footer.
    pub meta: std::collections::BTreeMap<String, String>,
    /// Number of rows.
    pub rows: usize,
}

/// Reads the footer of the Parquet file at `path`.
pub fn inspect(path: &Path) -> Result<Inspection, ParquetError> {
    let pq = |e: &dyn std::fmt::Display| ParquetError::Parquet(e.to_string());
    let file =
        std::fs::File::open(path).map_err(|source| ParquetError::Io { path: path.display().to_string(), source })?;
    let builder = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| pq(&e))?;
    let meta = builder.metadata().file_metadata();
    let kv: std::collections::BTreeMap<String, String> = meta
        .key_value_metadata()
        .map(|kv| kv.iter().filter_map(|k| Some((k.key.clone(), k.value.clone()?))).collect())
        .unwrap_or_default();
    let geo = kv.get("geo").cloned();
    Ok(Inspection { fields: fields(builder.schema()), geo, meta: kv, rows: meta.num_rows() as usize })
}

/// The (name, Arrow type, nullable) of each column of `schema`, metadata left aside.
pub fn fields(schema: &Schema) -> Vec<(String, String, bool)> {
    schema.fields().iter().map(|f| (f.name().clone(), f.data_type().to_string(), f.is_nullable())).collect()
}

/// The Arrow schema [`write_geoparquet`] writes for `columns`.
pub fn geo_arrow_schema(columns: &[Column]) -> Schema {
    let mut fields: Vec<Field> = columns.iter().map(Column::arrow).collect();
    fields.push(Field::new("geometry", DataType::Binary, true));
    Schema::new(fields)
}

fn typed_arrays(csv_text: &str, columns: &[Column]) -> Result<(Vec<ArrayRef>, usize), ParquetError> {
    let mut reader = csv::ReaderBuilder::new().comment(Some(b'#')).from_reader(csv_text.as_bytes());
    let header: Vec<String> = reader.headers()?.iter().map(str::to_string).collect();
    let names: Vec<&str> = columns.iter().map(|c| c.name).collect();
    if header != names {
        return Err(ParquetError::Schema(format!("header {header:?} is not the declared {names:?}")));
    }
    let mut cells: Vec<Vec<String>> = vec![Vec::new(); header.len()];
    for rec in reader.records() {
        let rec = rec?;
        for (i, col) in cells.iter_mut().enumerate() {
            col.push(rec.get(i).unwrap_or("").to_string());
        }
    }
    let rows = cells.first().map_or(0, Vec::len);
    let mut arrays: Vec<ArrayRef> = Vec::new();
    for (c, col) in columns.iter().zip(&cells) {
        let bad =
            |row: usize, why: &str| ParquetError::Schema(format!("{} row {}: {:?} {why}", c.name, row + 1, col[row]));
        if !c.nullable
            && let Some(r) = col.iter().position(String::is_empty)
        {
            return Err(bad(r, "is empty in a column without nulls"));
        }
        fn parse<T: std::str::FromStr>(
            col: &[String],
            bad: &dyn Fn(usize, &str) -> ParquetError,
            what: &str,
        ) -> Result<Vec<Option<T>>, ParquetError> {
            col.iter()
                .enumerate()
                .map(|(i, s)| if s.is_empty() { Ok(None) } else { s.parse::<T>().map(Some).map_err(|_| bad(i, what)) })
                .collect()
        }
        let array: ArrayRef = match c.ty {
            ColumnType::UInt32 => Arc::new(UInt32Array::from(parse::<u32>(col, &bad, "is not a u32")?)),
            ColumnType::Int64 => Arc::new(Int64Array::from(parse::<i64>(col, &bad, "is not an i64")?)),
            ColumnType::Float64 => Arc::new(Float64Array::from(parse::<f64>(col, &bad, "is not a number")?)),
            ColumnType::Bool => Arc::new(BooleanArray::from(parse::<bool>(col, &bad, "is not true or false")?)),
            ColumnType::Utf8 => {
                Arc::new(col.iter().map(|s| (!s.is_empty()).then_some(s.as_str())).collect::<StringArray>())
            }
            ColumnType::Dict => {
                let mut b = StringDictionaryBuilder::<Int32Type>::new();
                for s in col {
                    if s.is_empty() { b.append_null() } else { b.append_value(s) }
                }
                Arc::new(b.finish())
            }
        };
        arrays.push(array);
    }
    Ok((arrays, rows))
}

fn write(path: &Path, schema: Arc<Schema>, arrays: Vec<ArrayRef>, meta: Vec<KeyValue>) -> Result<(), ParquetError> {
    let pq = |e: &dyn std::fmt::Display| ParquetError::Parquet(e.to_string());
    let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(|e| pq(&e))?;
    let file =
        std::fs::File::create(path).map_err(|source| ParquetError::Io { path: path.display().to_string(), source })?;
    let props = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::try_new(3).map_err(|e| pq(&e))?))
        .set_key_value_metadata((!meta.is_empty()).then_some(meta))
        .build();
    let mut writer = ArrowWriter::try_new(file, schema, Some(props)).map_err(|e| pq(&e))?;
    writer.write(&batch).map_err(|e| pq(&e))?;
    writer.close().map_err(|e| pq(&e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::Array;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    const PAIRS: [Column; 4] = [
        Column::required("source", ColumnType::UInt32),
        Column::required("target", ColumnType::UInt32),
        Column::nullable("km", ColumnType::Float64),
        Column::nullable("error", ColumnType::Dict),
    ];

    fn temp(name: &str) -> std::path::PathBuf {
        std::env::temp_dir().join(format!("corridor-parquet-{}-{name}.parquet", std::process::id()))
    }

    #[test]
    fn declared_types_and_nulls_whatever_the_data() {
        let path = temp("typed");
        // A column of integers stays UInt32 and one with only nulls stays Float64: the schema,
        // not the data, decides.
        let csv = "source,target,km,error\n1,2,,\n2,3,,no path\n# checksum_m=10500\n";
        assert_eq!(write_table(csv, &PAIRS, &path).unwrap(), 2);
        let file = std::fs::File::open(&path).unwrap();
        let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
        assert_eq!(builder.schema().as_ref(), &arrow_schema(&PAIRS));
        let batch = builder.build().unwrap().next().unwrap().unwrap();
        let src = batch.column_by_name("source").unwrap().as_any().downcast_ref::<UInt32Array>().unwrap();
        assert_eq!(src.values().to_vec(), vec![1, 2]);
        assert_eq!(batch.column_by_name("km").unwrap().null_count(), 2);
        std::fs::remove_file(&path).ok();
    }

    #[test]
    fn a_table_that_breaks_its_schema_is_an_error() {
        let path = temp("bad");
        for (csv, want) in [
            ("source,target,km\n1,2,3\n", "header"),
            ("source,target,km,error\n,2,3,\n", "empty in a column without nulls"),
            ("source,target,km,error\n1.5,2,3,\n", "is not a u32"),
            ("source,target,km,error\n1,2,x,\n", "is not a number"),
        ] {
            let e = write_table(csv, &PAIRS, &path).unwrap_err().to_string();
            assert!(e.contains(want), "{csv:?}: {e}");
        }
        assert!(write_geoparquet("source,target,km,error\n1,2,3,\n", &PAIRS, &[], &path).is_err());
        std::fs::remove_file(&path).ok();
    }

    #[test]
    fn geoparquet_has_wkb_and_its_metadata() {
        let path = temp("geo");
        let geoms =
            [Some(Geometry::LineString(vec![(108.95, 34.27), (6.77, 51.43)])), Some(Geometry::Point(82.5, 45.2))];
        write_geoparquet("source,target,km,error\n1,2,3,\n2,3,4,\n", &PAIRS, &geoms, &path).unwrap();
        let file = std::fs::File::open(&path).unwrap();
        let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
        let kv = builder.metadata().file_metadata().key_value_metadata().unwrap();
        let geo = kv.iter().find(|k| k.key == "geo").unwrap().value.clone().unwrap();
        assert!(geo.starts_with(r#"{"version":"1.1.0","primary_column":"geometry","columns":{"geometry":{"encoding":"WKB","geometry_types":["LineString","Point"],"crs":{"#));
        assert!(
            geo.contains(r#""id":{"authority":"OGC","code":"CRS84"}"#)
                && geo.ends_with(r#""bbox":[6.77,34.27,108.95,51.43]}}}"#),
            "{geo}"
        );
        let batch = builder.build().unwrap().next().unwrap().unwrap();
        let g = batch.column_by_name("geometry").unwrap().as_any().downcast_ref::<BinaryArray>().unwrap();
        // WKB point: byte order 1, type 1, x, y.
        let p = g.value(1);
        assert_eq!(&p[..5], &[1, 1, 0, 0, 0]);
        assert_eq!(f64::from_le_bytes(p[5..13].try_into().unwrap()), 82.5);
        assert_eq!(g.value(0).len(), 1 + 4 + 4 + 2 * 16);
        std::fs::remove_file(&path).ok();
    }
}
