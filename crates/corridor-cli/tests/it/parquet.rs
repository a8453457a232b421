//! Parquet and GeoParquet outputs: each file has its table's declared schema (ids as integers,
//! the same types whatever the data), GeoParquet metadata, and one row per CSV row.

use corridor_parquet::{arrow_schema, fields, geo_arrow_schema, inspect, schemas};

use crate::corridor;

fn temp(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("corridor-pq-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d.join(name)
}

#[track_caller]
fn run(args: &[&str]) {
    let out = corridor(args);
    assert!(out.status.success(), "corridor {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn each_schema_is_its_csv_export_column_for_column() {
    let names = |c: &[corridor_parquet::Column]| c.iter().map(|c| c.name).collect::<Vec<_>>();
    assert_eq!(names(&schemas::ROUTE_LEGS), corridor_io::export::ROUTE_CSV_HEADER.to_vec());
    assert_eq!(names(&schemas::COMPARISON), corridor_io::export::COMPARISON_CSV_HEADER.to_vec());
    let (model, demand) = corridor_analytics::commands::default_inputs().unwrap();
    let r = corridor_analytics::commands::run_assignment(
        &model,
        &demand,
        corridor_analytics::commands::AssignMethod::Equilibrium,
    )
    .unwrap();
    let header = |csv: String| csv.lines().next().unwrap().split(',').map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(header(corridor_analytics::elements_csv(&r)), names(&schemas::ASSIGN_ELEMENTS));
    assert_eq!(header(corridor_analytics::flows_csv(&r)), names(&schemas::ASSIGN_FLOWS));
}

#[test]
fn route_compare_and_assign_write_geoparquet_with_declared_types() {
    let legs = temp("legs.parquet");
    let out = corridor(&[
        "route",
        "Xi'an",
        "Duisburg",
        "--corridor",
        "northern",
        "--format",
        "json",
        "--geoparquet",
        legs.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let route: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let i = inspect(&legs).unwrap();
    assert_eq!(i.fields, fields(&geo_arrow_schema(&schemas::ROUTE_LEGS)));
    assert_eq!(i.rows, route["legs"].as_array().unwrap().len());
    let geo = i.geo.unwrap();
    assert!(geo.contains(r#""encoding":"WKB""#) && geo.contains(r#""code":"CRS84""#), "{geo}");
    assert!(geo.contains(r#""geometry_types":["LineString","Point"]"#), "{geo}");

    let cmp = temp("compare.parquet");
    run(&["compare", "Xi'an", "Duisburg", "--geoparquet", cmp.to_str().unwrap()]);
    let i = inspect(&cmp).unwrap();
    assert_eq!(i.fields, fields(&geo_arrow_schema(&schemas::COMPARISON)));
    assert!(i.rows >= 7);

    let flows = temp("flows.parquet");
    let elements = temp("elements.parquet");
    run(&["assign", "--no-choice", "--geoparquet", flows.to_str().unwrap(), "--parquet", elements.to_str().unwrap()]);
    let i = inspect(&flows).unwrap();
    assert_eq!(i.fields, fields(&geo_arrow_schema(&schemas::ASSIGN_FLOWS)));
    assert!(i.rows > 10 && i.geo.unwrap().contains(r#""geometry_types":["LineString"]"#));
    let i = inspect(&elements).unwrap();
    assert_eq!(i.fields, fields(&arrow_schema(&schemas::ASSIGN_ELEMENTS)));
    assert!(i.geo.is_none());
    // A snapshot's routes have no GeoParquet writer: refused, not ignored.
    let snap = temp("x.corridor");
    std::fs::write(&snap, b"not read").unwrap();
    let out = corridor(&["--data", snap.to_str().unwrap(), "route", "a", "b", "--geoparquet", legs.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--geoparquet"), "{err}");
    for f in [&legs, &cmp, &flows, &elements, &snap] {
        std::fs::remove_file(f).ok();
    }
}

#[test]
fn resilience_shards_merge_into_the_single_run() {
    let (all, merged) = (temp("res_all.parquet"), temp("res_merged.parquet"));
    run(&["resilience", "--top-n", "12", "--parquet", all.to_str().unwrap()]);
    let parts: Vec<std::path::PathBuf> = (0..3).map(|i| temp(&format!("res_part{i}.parquet"))).collect();
    for (i, p) in parts.iter().enumerate() {
        let shard = format!("{i}/3");
        run(&["resilience", "--top-n", "12", "--shard", &shard, "--parquet", p.to_str().unwrap()]);
        assert_eq!(inspect(p).unwrap().rows, 4);
    }
    // Any order of the parts.
    let mut args = vec!["merge", "--out", merged.to_str().unwrap()];
    args.extend([&parts[2], &parts[0], &parts[1]].map(|p| p.to_str().unwrap()));
    run(&args);
    let (a, m) = (corridor_parquet::read_table(&all).unwrap(), corridor_parquet::read_table(&merged).unwrap());
    assert_eq!(a.fields, fields(&arrow_schema(&schemas::RESILIENCE)));
    assert_eq!((a.fields, a.rows.len()), (m.fields.clone(), 12));
    assert_eq!(a.rows, m.rows, "the union of the shards is the single run");
    // A missing part, a part twice, a file of no job and a bad shard are refused.
    for (extra, want) in [
        (vec![&parts[0], &parts[1]], "missing parts of resilience: 2/3"),
        (vec![&parts[0], &parts[1], &parts[1], &parts[2]], "is given twice"),
        (vec![&all], "not a part of a sharded job"),
    ] {
        let mut args = vec!["merge", "--out", merged.to_str().unwrap()];
        args.extend(extra.iter().map(|p| p.to_str().unwrap()));
        let out = corridor(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(want), "{err}");
    }
    for f in parts.iter().chain([&all, &merged]) {
        std::fs::remove_file(f).ok();
    }
    for bad in ["3/3", "1", "a/b", "0/0"] {
        let out = corridor(&["resilience", "--shard", bad, "--parquet", merged.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("--shard"), "{bad}");
    }
}

#[test]
fn a_scenario_sweep_in_parts_merges_into_the_single_run() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let files: Vec<String> = ["dostyk_closed", "caspian_capacity_doubled", "rasht_astara"]
        .map(|f| dir.join(format!("{f}.toml")).display().to_string())
        .to_vec();
    let (all, merged) = (temp("sweep_all.parquet"), temp("sweep_merged.parquet"));
    let mut args = vec!["scenario", "sweep"];
    args.extend(files.iter().map(String::as_str));
    let single: Vec<&str> = args.iter().copied().chain(["--parquet", all.to_str().unwrap()]).collect();
    run(&single);
    let parts: Vec<std::path::PathBuf> = (0..2).map(|i| temp(&format!("sweep_part{i}.parquet"))).collect();
    for (i, p) in parts.iter().enumerate() {
        let shard = format!("{i}/2");
        let part: Vec<&str> =
            args.iter().copied().chain(["--shard", &shard, "--parquet", p.to_str().unwrap()]).collect();
        run(&part);
    }
    run(&["merge", "--out", merged.to_str().unwrap(), parts[1].to_str().unwrap(), parts[0].to_str().unwrap()]);
    let (a, m) = (corridor_parquet::read_table(&all).unwrap(), corridor_parquet::read_table(&merged).unwrap());
    assert_eq!(a.fields, fields(&arrow_schema(&schemas::SCENARIO_SWEEP)));
    assert_eq!(a.rows.len(), 3);
    assert_eq!(a.rows[0][0], "Dostyk closed", "rows keep the order of the files");
    assert_eq!((a.fields, a.rows), (m.fields, m.rows));
    for f in parts.iter().chain([&all, &merged]) {
        std::fs::remove_file(f).ok();
    }
}
