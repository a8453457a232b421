//! The UN/LOCODE reader: quirks of the 2024 export, errors with file, line and field, and the real file when present.

use std::path::{Path, PathBuf};
use std::time::Instant;

use corridor_import::raw::function::{BORDER, MULTIMODAL, PORT, RAIL, ROAD};
use corridor_import::{ImportError, Terminal, read_unlocode};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/unlocode/unlocode_2024_geoapify.csv.gz");
const HEADER: &str = "country,location,name,nameWoDiacritics,subdivision,status,function,iata,lat,lon\n";

fn write(name: &str, rows: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("corridor-import-unlocode-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, format!("{HEADER}{rows}")).unwrap();
    path
}

fn find<'t>(terminals: &'t [Terminal], code: &str) -> Option<&'t Terminal> {
    terminals.iter().find(|t| t.code == code)
}

const ROWS: &str = r#"CN,XIA,Xi'an,Xian,SN,AS,12-456--,,34.28333333333333,108.95
KZ,DOS,Dosytk,Dosytk,75,RL,-2------,,45.25,82.48333333333333
AT,MLD,"""Mollersdorf"," Baden""","""Mollersdorf"," Baden""",3,--3-----,48.3602791,16.0063566
DE,HAM,Hamburg,Hamburg,HH,AF,12345---,,53.55,10
FR,XYZ,"Quai, Nord",,,RL,1-------,,45,5
RU,OLD,Old Town,Old Town,,XX,123-----,,55,37
RU,AIR,Airport Only,Airport Only,,AI,---4----,,55,37
RU,NOC,No Coordinates,No Coordinates,,RL,-23-----,,,
BT,NAN,Not A Number,Not A Number,14,,--3--6--,,NaN,27.47
UA,MIR,Mironovka,Mironovka,14,RL,--3-----,,48.48,381.83
PL,TER,Terespol,Terespol,,RL,-23-----,,52.06666666666667,23.616666666666667
BE,BRU,Brussel (Bruxelles),Brussel (Bruxelles),BRU,AI,1234----,,50.83,4.33
BE,BRU,Bruxelles (Brussel),Bruxelles (Brussel),BRU,AI,-------B,,50.83,4.33
US,ADK,Adak Island,Adak Island,AK,AI,1--4----,,51.88,-176.65
QA,HMD,BGN/PCGN1956 - HAMAD,BGN/PCGN1956 - HAMAD,,RL,1-------,,25,51.61666
QA,XXM,BGN/PCGN1956 - Mixed Case,,,RL,1-------,,25,51.6
"#;

#[test]
fn keeps_freight_functions_with_coordinates() {
    let t = read_unlocode(&write("rows.csv", ROWS), None).unwrap();
    let codes: Vec<&str> = t.iter().map(|t| t.code.as_str()).collect();
    assert_eq!(codes, ["CNXIA", "KZDOS", "ATMLD", "DEHAM", "FRXYZ", "PLTER", "BEBRU", "USADK", "QAHMD", "QAXXM"]);
    let xia = find(&t, "CNXIA").unwrap();
    assert_eq!((xia.name.as_str(), xia.country.as_str(), xia.lat, xia.lon), ("Xian", "CN", 34.28333333333333, 108.95));
    assert_eq!(xia.functions, PORT | RAIL | MULTIMODAL);
    assert_eq!(find(&t, "KZDOS").unwrap().functions, RAIL);
    assert_eq!(find(&t, "DEHAM").unwrap().functions, PORT | RAIL | ROAD);
    // A properly quoted name with a comma; empty nameWoDiacritics falls back to the name.
    assert_eq!(find(&t, "FRXYZ").unwrap().name, "Quai, Nord");
    // The export's split name is re-joined and the row realigned.
    let mld = find(&t, "ATMLD").unwrap();
    assert_eq!(
        (mld.name.as_str(), mld.functions, mld.lat, mld.lon),
        ("Mollersdorf, Baden", ROAD, 48.3602791, 16.0063566)
    );
    // One terminal per code, with the functions of every row.
    let bru = find(&t, "BEBRU").unwrap();
    assert_eq!((bru.name.as_str(), bru.functions), ("Brussel (Bruxelles)", PORT | RAIL | ROAD | BORDER));
    // A romanization tag before the name is no part of it; a name in capitals is title-cased.
    assert_eq!(find(&t, "QAHMD").unwrap().name, "Hamad");
    assert_eq!(find(&t, "QAXXM").unwrap().name, "Mixed Case");
}

#[test]
fn bbox_filters_and_wraps() {
    let path = write("bbox.csv", ROWS);
    let codes = |bbox| read_unlocode(&path, Some(bbox)).unwrap().into_iter().map(|t| t.code).collect::<Vec<_>>();
    assert_eq!(codes([30.0, 60.0, 50.0, 110.0]), ["CNXIA", "KZDOS"]);
    assert_eq!(codes([45.25, 82.48333333333333, 45.25, 82.48333333333333]), ["KZDOS"], "inclusive");
    assert_eq!(codes([40.0, 170.0, 60.0, -170.0]), ["USADK"], "across the antimeridian");
    let err = read_unlocode(&path, Some([50.0, 0.0, 40.0, 10.0])).unwrap_err();
    assert!(err.to_string().contains("bad bbox"), "{err}");
    assert!(read_unlocode(&path, Some([0.0, f64::NAN, 1.0, 1.0])).is_err());
}

/// The error's text names the file, the line and the field.
fn assert_field_error(err: ImportError, file: &str, line: usize, field: &str) {
    let text = err.to_string();
    assert!(text.contains(&format!("{file}:{line}: field {field}:")), "{text}");
}

#[test]
fn errors_name_file_line_and_field() {
    let ok = "DE,HAM,Hamburg,Hamburg,HH,AF,12345---,,53.55,10\n";
    let read = |name: &str, rows: &str| read_unlocode(&write(name, rows), None).unwrap_err();
    assert_field_error(
        read("lat.csv", &format!("{ok}{ok}DE,BER,Berlin,Berlin,BE,AF,-23-----,,5230N,13.4\n")),
        "lat.csv",
        4,
        "lat",
    );
    assert_field_error(
        read("lon.csv", &format!("{ok}DE,BER,Berlin,Berlin,BE,AF,-23-----,,52.5,east\n")),
        "lon.csv",
        3,
        "lon",
    );
    assert_field_error(
        read("fields.csv", &format!("{ok}DE,BER,Berlin,Berlin,BE,AF,-23-----,,52.5\n")),
        "fields.csv",
        3,
        "row",
    );
    assert_field_error(
        read("country.csv", &format!("{ok}de,BER,Berlin,Berlin,BE,AF,-23-----,,52.5,13.4\n")),
        "country.csv",
        3,
        "country",
    );
    assert_field_error(
        read("location.csv", &format!("{ok}DE,BE,Berlin,Berlin,BE,AF,-23-----,,52.5,13.4\n")),
        "location.csv",
        3,
        "location",
    );
    // A quoted field spanning lines: the error is on the line where the record starts.
    let rows = format!("{ok}DE,BER,\"Ber\nlin\",Berlin,BE,AF,-23-----,,x,13.4\n");
    assert_field_error(read("multiline.csv", &rows), "multiline.csv", 3, "lat");
    let dir = std::env::temp_dir().join(format!("corridor-import-unlocode-{}", std::process::id()));
    let path = dir.join("header.csv");
    std::fs::write(&path, "country,location,name\nDE,HAM,Hamburg\n").unwrap();
    assert_field_error(read_unlocode(&path, None).unwrap_err(), "header.csv", 1, "header");
    let err = read_unlocode(Path::new("/nonexistent/unlocode.csv"), None).unwrap_err();
    assert!(matches!(err, ImportError::Io { .. }), "{err}");
}

#[test]
fn real_unlocode() {
    if !Path::new(DATA).exists() {
        eprintln!("skipped: {DATA} not found");
        return;
    }
    let t = Instant::now();
    let all = read_unlocode(Path::new(DATA), None).unwrap();
    let elapsed = t.elapsed();
    let count = |flag: u8| all.iter().filter(|t| t.functions & flag != 0).count();
    let counts = [count(PORT), count(RAIL), count(ROAD), count(MULTIMODAL), count(BORDER)];
    eprintln!("unlocode: {} terminals (port, rail, road, multimodal, border: {counts:?}) in {elapsed:?}", all.len());
    assert_eq!(all.len(), 108_425);
    assert_eq!(counts, [16_890, 13_068, 89_952, 15_069, 450]);
    assert!(
        all.iter().all(|t| t.functions != 0 && (-90.0..=90.0).contains(&t.lat) && (-180.0..180.0).contains(&t.lon))
    );
    assert!(all.iter().all(|t| t.code.len() == 5 && t.code.starts_with(&t.country)));

    let dostyk = find(&all, "KZDOS").unwrap();
    assert_eq!((dostyk.name.as_str(), dostyk.functions, dostyk.lat), ("Dosytk", RAIL, 45.25));
    assert_eq!(find(&all, "CNXIA").unwrap().functions, PORT | RAIL | MULTIMODAL);
    assert_eq!(find(&all, "ATMLD").unwrap().name, "Mollersdorf, Baden");

    // Central Asia and the Caucasus.
    let bbox = read_unlocode(Path::new(DATA), Some([35.0, 40.0, 56.0, 90.0])).unwrap();
    eprintln!("unlocode in [35, 40, 56, 90]: {}", bbox.len());
    assert!(bbox.iter().all(|t| (35.0..=56.0).contains(&t.lat) && (40.0..=90.0).contains(&t.lon)));
    for code in ["KZDOS", "KZALS", "GEPTI", "AZBAK", "KZALA", "KZAAU"] {
        assert!(find(&bbox, code).is_some(), "{code}");
    }
}
