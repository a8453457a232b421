//! `load` on datasets with seeded errors: every error is reported, with file, line and field,
//! and nothing panics.

use corridor_io::{DatasetFiles, Severity, load};

use crate::mini;

/// Applies `edits` (file, text to find, replacement) to the mini dataset and checks that the
/// errors reported are exactly `expected` (in `file:line: error [field]: message` form).
#[track_caller]
fn check(edits: &[(&str, &str, &str)], expected: &[&str]) {
    let mut files: DatasetFiles = mini();
    for (file, find, replace) in edits {
        let text = files.files.get_mut(*file).unwrap_or_else(|| panic!("no file {file}"));
        assert!(text.contains(find), "{file} does not contain {find:?}");
        *text = text.replacen(find, replace, 1);
    }
    let got = load_errors(&files);
    assert_eq!(got, expected, "\n--- got ---\n{}\n", got.join("\n"));
}

/// The errors `load` reports for `files`, as shown (`file:line: error [field]: message`); none
/// when it loads.
fn load_errors(files: &DatasetFiles) -> Vec<String> {
    match load(files) {
        Ok(_) => Vec::new(),
        Err(d) => d.iter().filter(|d| d.severity == Severity::Error).map(|d| d.to_string()).collect(),
    }
}

#[test]
fn clean_fixture_loads() {
    let loaded = load(&mini()).expect("mini dataset is valid");
    assert_eq!(loaded.network.locations.len(), 5);
    assert_eq!(loaded.warnings, vec![]);
}

#[test]
fn seeded_errors_are_all_reported_with_file_line_and_field() {
    check(
        &[
            ("locations.csv", "AA,40.0,51.0", "AA,95.0,51.0"),
            ("links.csv", "r-b-bs,BBTWO,BBSEA,rail,rail1520,170", "r-b-bs,BBTWO,BBSEA,rail,rail1435,170"),
            ("links.csv", "f-bs-c,BBSEA,CCEND,ferry,rail1520,300,", "f-bs-c,BBSEA,CCEND,ferry,rail1520,NaN,"),
            ("transfers.csv", "transshipment,4,9", "transshipment,-4,9"),
            ("sources.csv", "made-up figures for a test fixture (method: none; not real data)", ""),
        ],
        &[
            "sources.csv:2: error [note]: an estimate or computed figure must state its method in `note`",
            "locations.csv:3: error [lat]: 95.0 is out of range [-90, 90]",
            // AA-BORDER's row is rejected for its latitude, so links to it cannot resolve.
            "links.csv:2: error [to]: unknown location id \"AA-BORDER\" (not in locations.csv)",
            "links.csv:3: error [from]: unknown location id \"AA-BORDER\" (not in locations.csv)",
            "links.csv:4: error [platform]: rail link joins different gauges: BBTWO (rail1435|rail1520) - BBSEA (rail1520); rail1435 is not served at BBSEA",
            "links.csv:5: error [km]: \"NaN\" is not a number",
            "transfers.csv:2: error [hours_mean]: -4 is out of range [0, 2880]",
            "borders.csv:2: error [link]: unknown link id \"r-ab-b\" (not in links.csv)",
        ],
    );
}

#[test]
fn only_a_sea_link_is_a_liner_service() {
    // A ferry (or a train) that calls and sails on is not a thing the graph models: a shipment
    // stays aboard through port calls of liners only.
    check(
        &[
            ("links.csv", "oneway,notes", "oneway,liner,notes"),
            ("links.csv", "east,rail-e,,\n", "east,rail-e,,,\n"),
            ("links.csv", "east,rail-e,,\nr-b-bs", "east,rail-e,,,\nr-b-bs"),
            ("links.csv", "east,rail-e,,\nf-bs-c", "east,rail-e,,,\nf-bs-c"),
            ("links.csv", "east,ferry,,", "east,ferry,,true,"),
        ],
        &["links.csv:5: error [liner]: only a sea link can be a liner service"],
    );
}

#[test]
fn border_without_dwell_and_cross_border_link_without_border() {
    check(
        &[("borders.csv", "both,30,78", "both,,78")],
        &[
            "borders.csv:2: error [hours_mean]: missing dwell time",
            "links.csv:3: error [to]: link r-ab-b crosses the AA-BB border but borders.csv has no crossing (dwell time) for its forward direction",
            "links.csv:3: error [to]: link r-ab-b crosses the AA-BB border but borders.csv has no crossing (dwell time) for its reverse direction",
        ],
    );
}

#[test]
fn figures_without_sources_duplicates_and_unknown_ids() {
    check(
        &[
            ("links.csv", "100,,,EST-TEST,,,,,east", "100,,,,,,,,east"),
            ("links.csv", "r-ab-b,AA-BORDER", "r-a-ab,AA-BORDER"),
            ("links.csv", "east,ferry", "west,ferry"),
            ("links.csv", "96,EST-TEST", "96,NOPE"),
            ("emission_factors.csv", "rail-e,rail,electric train,tkm,10,0", "rail-e,rail,electric train,tkm,10,20"),
        ],
        &[
            "emission_factors.csv:2: error [ttw_g]: tank-to-wheel 20 exceeds well-to-wheel 10",
            "links.csv:2: error [cost_src]: figure without a source: give a source id from sources.csv (an `estimate` source states its method)",
            "links.csv:3: error [id]: duplicate link id \"r-a-ab\"",
            "links.csv:5: error [headway_src]: unknown source id \"NOPE\" (not in sources.csv)",
            "links.csv:5: error [corridors]: unknown corridor \"west\" (dataset.toml defines [\"east\"])",
            "borders.csv:2: error [link]: unknown link id \"r-ab-b\" (not in links.csv)",
        ],
    );
}

#[test]
fn unreachable_location_and_malformed_rows() {
    check(
        &[("locations.csv", "CCEND,Gamma", "DDLONE,Lonely,,DD,0,0,UTC,city,road,EST-TEST,\nCCEND,Gamma")],
        &[
            "locations.csv: error [id]: unreachable location: DDLONE (Lonely) is not connected to the main network (checked against BBSEA)",
        ],
    );
    check(
        &[("links.csv", "r-a-ab,AAONE,AA-BORDER,rail,rail1435,85", "r-a-ab,AAONE,\"AA-BORDER")],
        // The unterminated quote swallows the rest of the file into one field, so the links
        // after it are gone too and the border row points at nothing.
        &[
            "links.csv:2: error: 3 fields, but the header has 22",
            "borders.csv:2: error [link]: unknown link id \"r-ab-b\" (not in links.csv)",
        ],
    );
}

#[test]
fn toml_errors_point_at_the_line() {
    check(
        &[("dataset.toml", "value = 1.5, src = \"EST-TEST\"", "value = \"fast\", src = \"EST-TEST\"")],
        &["dataset.toml:11: error: invalid type: string \"fast\", expected f64"],
    );
    check(
        &[("dataset.toml", "value = 80.0, src = \"EST-TEST\"", "value = 80.0, src = \"\"")],
        &["dataset.toml:12: error [carbon_price_usd_per_t]: figure without a source"],
    );
}

#[test]
fn a_congestion_regime_is_all_four_columns_in_range() {
    let with = |cells: &str| {
        [(
            "borders.csv",
            "id,name,link,direction,hours_mean,hours_p90,usd_teu,usd_feu,src,notes\nb-ab,Alpha–Beta,r-ab-b,both,30,78,200,,EST-TEST,",
            format!(
                "id,name,link,direction,hours_mean,hours_p90,usd_teu,usd_feu,src,notes,hold_p,hold_mean_h,hold_p90_h,hold_src\nb-ab,Alpha–Beta,r-ab-b,both,30,78,200,,EST-TEST,,{cells}"
            ),
        )]
    };
    let run = |cells: &str, expected: &[&str]| {
        let e = with(cells);
        check(&[(e[0].0, e[0].1, &e[0].2)], expected);
    };
    run("0.1,240,336,EST-TEST", &[]);
    run(",,,", &[]);
    run("0.9,240,336,EST-TEST", &["borders.csv:2: error [hold_p]: 0.9 is out of range [0, 0.5]"]);
    run("0.1,240,100,EST-TEST", &["borders.csv:2: error [hold_p90_h]: P90 100 h is below the mean 240 h"]);
    run(
        "0.1,240,336,",
        &[
            "borders.csv:2: error [hold_src]: a congestion regime needs hold_p, hold_mean_h, hold_p90_h and hold_src",
            "borders.csv:2: error [hold_src]: figure without a source: give a source id from sources.csv (an `estimate` source states its method)",
        ],
    );
    // The regime reaches the loaded network: the expected dwell is mean + p × hold mean.
    let mut files = mini();
    let e = with("0.1,240,336,EST-TEST");
    let text = files.files.get_mut("borders.csv").unwrap();
    *text = text.replacen(e[0].1, &e[0].2, 1);
    let net = load(&files).expect("valid").network;
    assert!((net.borders[0].dwell.expected().0 - 54.0).abs() < 1e-9);
}

const PRICES: &str = "id,direction,usd_teu_km,usd_feu_km,p10,p90,basis,src,notes
rail-x,westbound,0.3,0.5,0.9,1.2,2024-06,S-TEST,
rail-x,eastbound,0.2,0.4,0.9,1.2,2024-06,S-TEST,
";

/// The mini dataset with `prices.csv` and link r-b-bs priced by class `rail-x`.
fn priced(prices: &str, link_price: &str) -> DatasetFiles {
    let mut files = mini();
    files.files.insert("prices.csv".into(), prices.into());
    let links = files.files.get_mut("links.csv").unwrap();
    *links = links.replacen("usd_teu,usd_feu", "price,usd_teu,usd_feu", 1);
    for line in ["r-a-ab", "r-ab-b", "f-bs-c"] {
        let start = links.find(&format!("\n{line},")).unwrap() + 1;
        let at = start + links[start..].find("EST-TEST,").unwrap() + "EST-TEST,".len();
        links.insert(at, ',');
    }
    *links = links.replacen(",EST-TEST,,,0.05,EST-TEST,", &format!(",EST-TEST,{link_price},,,,,"), 1);
    files
}

#[test]
fn a_price_class_prices_a_link_per_container_and_direction() {
    let net = load(&priced(PRICES, "rail-x")).expect("valid").network;
    let l = net.links.iter().find(|l| l.code == "r-b-bs").unwrap();
    // BBTWO (52° E) → BBSEA (54° E) is eastbound; the way back westbound.
    assert_eq!(l.tariff.usd_teu_km, Some(0.2));
    assert_eq!(l.tariff_back.unwrap().usd_feu_km, Some(0.5));
    assert_eq!(l.tariff.basis.unwrap().to_string(), "2024-06");
    assert!(l.sources.cost.iter().any(|&s| net.sources[s.index()].code == "S-TEST"));
    assert_eq!(net.prices.len(), 1);
}

#[test]
fn bad_price_classes_are_reported() {
    let errors = |prices: &str, link: &str| load_errors(&priced(prices, link));
    assert_eq!(
        errors(PRICES, "rail-y"),
        ["links.csv:4: error [price]: unknown price class \"rail-y\" (prices.csv defines [\"rail-x\"])"]
    );
    let one_way = PRICES.lines().take(2).collect::<Vec<_>>().join("\n");
    assert_eq!(
        errors(&one_way, "rail-x")[0],
        "prices.csv:2: error [direction]: price class \"rail-x\" needs one `any` row, or one `westbound` and one `eastbound` row"
    );
    let bad = PRICES.replace("0.9,1.2,2024-06,S-TEST,\nrail-x,east", "1.1,0.5,2024-13,NOPE,\nrail-x,east");
    assert_eq!(
        errors(&bad, "rail-x"),
        [
            "prices.csv:2: error [p10]: 1.1 is out of range [0, 1]",
            "prices.csv:2: error [p90]: 0.5 is out of range [1, 100]",
            "prices.csv:2: error [basis]: price basis \"2024-13\" is not a month YYYY-MM (when the rates were observed)",
            "prices.csv:2: error [src]: unknown source id \"NOPE\" (not in sources.csv)",
        ]
    );
}

#[test]
fn trade_ends_orient_a_class_by_progress_along_its_links() {
    let with_ends = |west: &str, east: &str| {
        format!(
            "id,direction,usd_teu_km,usd_feu_km,p10,p90,basis,src,west_end,east_end,notes
rail-x,westbound,0.3,0.5,0.9,1.2,2024-06,S-TEST,{west},{east},
rail-x,eastbound,0.2,0.4,0.9,1.2,2024-06,S-TEST,,,
"
        )
    };
    // BBTWO (52° E) → BBSEA (54° E) is eastbound by longitude, but towards the west end BBSEA.
    let net = load(&priced(&with_ends("BBSEA", "BBTWO"), "rail-x")).expect("valid").network;
    let l = net.links.iter().find(|l| l.code == "r-b-bs").unwrap();
    assert_eq!(l.tariff.usd_teu_km, Some(0.3));
    assert_eq!(l.tariff_back.unwrap().usd_teu_km, Some(0.2));
    let errors = |prices: &str| load_errors(&priced(prices, "rail-x"));
    assert_eq!(
        errors(&with_ends("BBSEA", "")),
        ["prices.csv:2: error [east_end]: give both trade ends, west_end and east_end, or neither"]
    );
    assert_eq!(errors(&with_ends("BBSEA", "BBSEA")), ["prices.csv:2: error [east_end]: the trade ends must differ"]);
    assert_eq!(
        errors(&with_ends("NOWHERE", "BBTWO")),
        ["prices.csv:2: error [west_end]: unknown location id \"NOWHERE\" (not in locations.csv)"]
    );
    assert_eq!(
        errors(&with_ends("AAONE", "BBTWO")),
        [
            "prices.csv:2: error [west_end]: trade end \"AAONE\" of price class \"rail-x\" is on none of its trade's links"
        ]
    );
}

/// The mini dataset with a `driving_kmh` column on its links (empty everywhere).
fn with_driving_column() -> DatasetFiles {
    let mut files = mini();
    let links = files.files.get_mut("links.csv").unwrap();
    let mut out = String::new();
    for (i, line) in links.lines().enumerate() {
        // After `speed_kmh` (the 9th column).
        let mut cells: Vec<&str> = line.splitn(10, ',').collect();
        cells.insert(9, if i == 0 { "driving_kmh" } else { "" });
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    *links = out;
    files
}

#[test]
fn driving_speed_is_for_road_links_with_the_daily_rule() {
    let errors = |files: &DatasetFiles| load_errors(files);
    assert!(errors(&with_driving_column()).is_empty(), "{:?}", errors(&with_driving_column()));
    // A rail link with a driving speed, and one with both a speed and a driving speed.
    let mut files = with_driving_column();
    let links = files.files.get_mut("links.csv").unwrap();
    *links = links.replacen(
        "r-b-bs,BBTWO,BBSEA,rail,rail1520,170,S-TEST,,40,,",
        "r-b-bs,BBTWO,BBSEA,rail,rail1520,170,S-TEST,,,50,",
        1,
    );
    *links = links.replacen(
        "r-a-ab,AAONE,AA-BORDER,rail,rail1435,85,S-TEST,,40,,",
        "r-a-ab,AAONE,AA-BORDER,rail,rail1435,85,S-TEST,,40,50,",
        1,
    );
    let got = errors(&files);
    assert!(got.iter().any(|e| e.contains("[driving_kmh]: only road links are timed by the drivers' rule")), "{got:?}");
    assert!(got.iter().filter(|e| e.contains("[driving_kmh]")).count() == 2, "{got:?}");
}

#[test]
fn drivers_daily_hours_are_for_links_timed_by_driving_speed_and_within_a_day() {
    let errors = |files: &DatasetFiles| load_errors(files);
    // The mini dataset with `driving_kmh` and `driving_h_day` columns after `speed_kmh`.
    let mut files = mini();
    let links = files.files.get_mut("links.csv").unwrap();
    let mut out = String::new();
    for (i, line) in links.lines().enumerate() {
        let mut cells: Vec<&str> = line.splitn(10, ',').collect();
        cells.insert(9, if i == 0 { "driving_kmh,driving_h_day" } else { "," });
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    *links = out;
    assert!(errors(&files).is_empty(), "{:?}", errors(&files));
    let links = files.files.get_mut("links.csv").unwrap();
    // Daily hours on a rail link timed by its speed, and more hours than a day has.
    *links = links.replacen(
        "r-b-bs,BBTWO,BBSEA,rail,rail1520,170,S-TEST,,40,,,",
        "r-b-bs,BBTWO,BBSEA,rail,rail1520,170,S-TEST,,40,,10,",
        1,
    );
    *links = links.replacen(
        "r-a-ab,AAONE,AA-BORDER,rail,rail1435,85,S-TEST,,40,,,",
        "r-a-ab,AAONE,AA-BORDER,rail,rail1435,85,S-TEST,,40,,30,",
        1,
    );
    let got = errors(&files);
    assert!(
        got.iter().any(|e| e.contains("[driving_h_day]: only a link timed by driving_kmh has drivers' hours")),
        "{got:?}"
    );
    assert!(got.iter().any(|e| e.contains("[driving_h_day]") && e.contains("30")), "{got:?}");
}

/// The bad-files corpus (`bad_files.tsv`): each edit of the mini dataset is refused, and one
/// of the reported errors names the file, line and field with the expected text. All rows are
/// checked and every mismatch is reported at once.
#[test]
fn bad_files_corpus() {
    let table = include_str!("bad_files.tsv");
    let unescape = |s: &str| s.replace("\\n", "\n").replace("\\t", "\t");
    let (mut rows, mut failures) = (0, Vec::new());
    for (n, line) in table.lines().enumerate().filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 4, "bad_files.tsv:{}: expected 4 tab-separated fields", n + 1);
        let (file, find, replace, want) = (f[0], unescape(f[1]), unescape(f[2]), f[3]);
        let mut files: DatasetFiles = mini();
        let text = files.files.get_mut(file).unwrap_or_else(|| panic!("bad_files.tsv:{}: no file {file}", n + 1));
        assert!(text.contains(&find), "bad_files.tsv:{}: {file} does not contain {find:?}", n + 1);
        *text = text.replacen(&find, &replace, 1);
        rows += 1;
        let errors = load_errors(&files);
        if !errors.iter().any(|e| e.contains(want)) {
            failures.push(format!("bad_files.tsv:{}: want {want:?}; got {errors:?}", n + 1));
        }
    }
    assert!(rows >= 40, "the corpus shrank to {rows} rows");
    assert!(failures.is_empty(), "{} of {rows} rows failed:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn a_price_class_may_carry_a_fixed_price_per_sailing() {
    let prices = |teu: &str, feu: &str| {
        format!(
            "id,direction,usd_teu_km,usd_feu_km,p10,p90,basis,src,usd_teu_sailing,usd_feu_sailing
rail-x,any,0.3,0.5,0.9,1.2,2024-06,S-TEST,{teu},{feu}
"
        )
    };
    let net = load(&priced(&prices("155", "287"), "rail-x")).expect("valid").network;
    let l = net.links.iter().find(|l| l.code == "r-b-bs").unwrap();
    assert_eq!(
        (l.tariff.usd_teu_sailing, l.tariff.usd_feu_sailing),
        (Some(corridor_model::Usd(155.0)), Some(corridor_model::Usd(287.0)))
    );
    // Optional, and range-checked like every price.
    let none = load(&priced(&prices("", ""), "rail-x")).expect("valid").network;
    assert_eq!(none.links.iter().find(|l| l.code == "r-b-bs").unwrap().tariff.usd_teu_sailing, None);
    let bad = load(&priced(&prices("-5", "x"), "rail-x")).unwrap_err();
    let shown: Vec<String> = bad.iter().filter(|d| d.severity == Severity::Error).map(|d| d.to_string()).collect();
    assert_eq!(
        shown,
        [
            "prices.csv:2: error [usd_teu_sailing]: -5 is out of range [0, 100000]",
            "prices.csv:2: error [usd_feu_sailing]: \"x\" is not a number"
        ]
    );
}

#[test]
fn a_link_names_the_countries_it_runs_through() {
    let with_transit = |first: &str| {
        let mut files = mini();
        let links = files.files.get_mut("links.csv").unwrap();
        *links = links.replacen("oneway,notes", "transit,notes", 1).replacen(
            "east,rail-e,,",
            &format!("east,rail-e,{first},"),
            1,
        );
        files
    };
    let net = load(&with_transit("AT|CH")).expect("valid").network;
    assert_eq!(net.links.iter().find(|l| l.code == "r-a-ab").unwrap().transit, ["AT", "CH"]);
    let bad = load(&with_transit("Austria")).unwrap_err();
    let shown: Vec<String> = bad.iter().filter(|d| d.severity == Severity::Error).map(|d| d.to_string()).collect();
    assert_eq!(
        shown,
        [
            "links.csv:2: error [transit]: \"Austria\" is not a country code (ISO 3166-1 alpha-2, upper case; several joined by '|')"
        ]
    );
}

/// `borders.csv` with a `traffic` column: the regular trains' figures refine a crossing's own
/// row (traffic empty) in one direction; anything else is refused with its line.
#[test]
fn regular_train_rows_refine_a_rail_crossing() {
    let header = ("borders.csv", "src,notes\n", "src,notes,traffic\n");
    let own = ("borders.csv", "EST-TEST,\n", "EST-TEST,,\n");
    let with = |rows: &str| {
        let mut files: DatasetFiles = mini();
        for (file, find, replace) in [header, own] {
            let text = files.files.get_mut(file).expect("file");
            *text = text.replacen(find, replace, 1);
        }
        files.files.get_mut("borders.csv").expect("file").push_str(rows);
        files
    };
    let loaded = load(&with("b-ab,Alpha–Beta,r-ab-b,forward,90,171,200,,EST-TEST,,regular\n")).expect("loads");
    let net = &loaded.network;
    let fwd = net.borders.iter().find(|b| b.direction == corridor_model::Direction::Forward).expect("forward");
    let rev = net.borders.iter().find(|b| b.direction == corridor_model::Direction::Reverse).expect("reverse");
    assert_eq!(fwd.dwell_for(corridor_model::Traffic::Express).mean.0, 30.0);
    assert_eq!(fwd.dwell_for(corridor_model::Traffic::Regular).mean.0, 90.0);
    assert_eq!(fwd.dwell_for(corridor_model::Traffic::Regular).p90.0, 171.0);
    // The other direction has no row for regular trains: its one figure serves all.
    assert_eq!(rev.dwell_for(corridor_model::Traffic::Regular).mean.0, 30.0);
    assert_eq!(net.borders.len(), 2, "a regular row adds no crossing");

    let errors = |rows: &str| load_errors(&with(rows));
    assert_eq!(
        errors("b-ab,Alpha–Beta,r-ab-b,forward,90,171,200,,EST-TEST,,fast\n"),
        ["borders.csv:3: error [traffic]: unknown traffic \"fast\" (expected express or regular)"]
    );
    assert_eq!(
        errors("b-ab,Alpha–Beta,r-ab-b,forward,90,171,200,,EST-TEST,,express\n"),
        [
            "borders.csv:3: error [traffic]: express is the crossing's own row: leave traffic empty (it applies to all rail traffic without a regular row)"
        ]
    );
    assert_eq!(
        errors(
            "b-ab,Alpha–Beta,r-ab-b,both,90,171,200,,EST-TEST,,regular\nb-ab,Alpha–Beta,r-ab-b,reverse,95,171,200,,EST-TEST,,regular\n"
        ),
        ["borders.csv:4: error [traffic]: link r-ab-b already has a regular-train row for this direction"]
    );
    assert_eq!(
        errors("b-f,Beta–Gamma,f-bs-c,both,90,171,200,,EST-TEST,,regular\n"),
        [
            "borders.csv:3: error [traffic]: link f-bs-c is not a rail link: traffic types apply to rail crossings (trucks cross on road links)"
        ]
    );
    // A regular row without the crossing's own row in its direction.
    let mut files = with("b-ab,Alpha–Beta,r-ab-b,reverse,90,171,200,,EST-TEST,,regular\n");
    let text = files.files.get_mut("borders.csv").expect("file");
    *text = text.replacen("r-ab-b,both,", "r-ab-b,forward,", 1);
    let got = load_errors(&files);
    assert!(
        got.contains(&"borders.csv:3: error [traffic]: a regular-train row for link r-ab-b without the crossing's own row (traffic empty) for that direction".to_string()),
        "{got:?}"
    );
}

/// `links.csv` with `backlog_*` columns: a port's backlog holds a service's departures in the
/// directions given, beside its storms; anything else is refused with its line.
#[test]
fn a_backlog_holds_a_services_departures_in_its_direction() {
    let with = crate::mini_with_ferry_backlog;
    let loaded = load(&with("forward,0.24,432,528,EST-TEST", "")).expect("loads");
    let ferry = loaded.network.links.iter().find(|l| l.code == "f-bs-c").expect("ferry");
    let b = ferry.backlog[0].expect("forward backlog");
    assert_eq!((b.p, b.mean.0, b.p90.0), (0.24, 432.0, 528.0));
    assert!(ferry.backlog[1].is_none(), "none the other way");
    // The wait for a departure carries it in its direction only.
    assert_eq!(ferry.wait[0].expect("wait").backlog, Some(b));
    assert_eq!(ferry.wait[1].expect("wait").backlog, None);
    let both = load(&with("both,0.1,48,96,EST-TEST", "")).expect("loads");
    let ferry = both.network.links.iter().find(|l| l.code == "f-bs-c").expect("ferry");
    assert!(ferry.backlog.iter().all(Option::is_some));

    let errors = |ferry: &str, oneway: &str| load_errors(&with(ferry, oneway));
    assert_eq!(
        errors(",0.24,432,528,EST-TEST", ""),
        ["links.csv:5: error [backlog_direction]: a backlog needs a direction: forward, reverse or both"]
    );
    assert_eq!(
        errors("westbound,0.24,432,528,EST-TEST", ""),
        ["links.csv:5: error [backlog_direction]: unknown direction \"westbound\" (expected forward, reverse or both)"]
    );
    assert_eq!(
        errors("forward,0.24,432,,EST-TEST", ""),
        [
            "links.csv:5: error [backlog_p90_h]: a congestion regime needs backlog_p, backlog_mean_h, backlog_p90_h and backlog_src"
        ]
    );
    assert_eq!(
        errors("forward,0.8,432,528,EST-TEST", "").len(),
        1,
        "a backlog met by most sailings is no congestion regime"
    );
    assert_eq!(
        errors("forward,0.24,432,300,EST-TEST", ""),
        ["links.csv:5: error [backlog_p90_h]: P90 300 h is below the mean 432 h"]
    );
    assert_eq!(
        errors("reverse,0.24,432,528,EST-TEST", "true"),
        ["links.csv:5: error [backlog_direction]: a one-way link has no reverse departures to hold"]
    );
    // A continuous link has no departures to hold.
    let mut files = with(",,,,", "");
    let text = files.files.get_mut("links.csv").expect("file");
    *text = text.replacen("rail-e,,,,,,,\n", "rail-e,,,forward,0.2,48,96,EST-TEST\n", 1);
    let got = load_errors(&files);
    assert_eq!(got, ["links.csv:2: error [backlog_p]: a backlog delays departures: it needs a headway_h"]);
}

/// The mini dataset with `[access]` figures (60 km/h, 9 h a day, class `road-x` at USD 2 per
/// km), `extra` appended to dataset.toml (a country's own trucks), `road-y` at USD 0.5 per km,
/// and, when `road_in_aa`, a road link in country AA timed by the drivers' rule.
fn with_access(extra: &str, road_in_aa: bool) -> DatasetFiles {
    let mut files = if road_in_aa { with_driving_column() } else { mini() };
    files.files.insert(
        "prices.csv".into(),
        "id,direction,usd_teu_km,usd_feu_km,p10,p90,basis,src,notes
road-x,any,2,2,0.7,1.3,2024-06,EST-TEST,
road-y,any,0.5,0.6,0.8,1.2,2022-07,S-TEST,
"
        .into(),
    );
    let toml = files.files.get_mut("dataset.toml").unwrap();
    toml.push_str(
        r#"
[access]
road_detour_factor = { value = 1.13, src = "EST-TEST" }
truck_driving_kmh = { value = 60.0, src = "EST-TEST" }
truck_daily_driving_h = { value = 9.0, src = "EST-TEST" }
truck_price = "road-x"
lift_hours_mean = { value = 12.0, src = "EST-TEST" }
lift_hours_p90 = { value = 22.8, src = "EST-TEST" }
lift_usd = { value = 50.0, src = "EST-TEST" }
road_border_hours_mean = { value = 9.9, src = "EST-TEST" }
road_border_hours_p90 = { value = 18.8, src = "EST-TEST" }
road_border_usd = { value = 208.0, src = "EST-TEST" }
max_km = { value = 1450.0, src = "EST-TEST" }
emission_factor = "rail-e"
"#,
    );
    toml.push_str(extra);
    if road_in_aa {
        let locations = files.files.get_mut("locations.csv").unwrap();
        *locations = locations.replacen("city|rail_terminal,rail1435", "city|rail_terminal,rail1435|road", 1);
        *locations = locations.replacen(
            "AA-BORDER,Alpha Border",
            "AAROAD,Alpha Road,,AA,40.0,50.5,Asia/Almaty,city,road,EST-TEST,\nAA-BORDER,Alpha Border",
            1,
        );
        let links = files.files.get_mut("links.csv").unwrap();
        // 100 km at 50 km/h by the drivers' rule, USD 0.3 per tonne-km.
        let row = "d-a-ar,AAONE,AAROAD,road,road,100,S-TEST,,,50,EST-TEST,,,0.3,EST-TEST,,,,,,rail-e,,";
        *links = links.replacen("\nr-a-ab,", &format!("\n{row}\nr-a-ab,"), 1);
        files
            .files
            .get_mut("transfers.csv")
            .unwrap()
            .push_str("AAONE,rail1435,road,transshipment,12,22.8,50,,EST-TEST,,\n");
    }
    files
}

/// A country without road links may declare how its estimated legs are driven and priced
/// (`[access.countries.XX]`); each figure it leaves out is the dataset-wide one; a bad table is
/// refused with its line, as is one for a country with road links of its own (never used).
#[test]
fn a_country_declares_the_trucks_of_its_estimated_legs() {
    let errors = |files: &DatasetFiles| load_errors(files);
    let own = "\n[access.countries.KR]\ntruck_price = \"road-y\"\ntruck_daily_driving_h = { value = 8.0, src = \"S-TEST\" }\n";
    let files = with_access(own, false);
    let net = load(&files).unwrap_or_else(|d| panic!("{d:?}")).network;
    let access = net.defaults.access.as_ref().unwrap();
    let kr = access.trucks("KR");
    let code = |ids: &[corridor_model::SourceId]| -> Vec<String> {
        ids.iter().map(|s| net.sources[s.index()].code.clone()).collect()
    };
    assert_eq!((kr.driving_kmh, kr.daily_driving_h), (60.0, 8.0));
    assert_eq!((kr.price.usd_teu_km, kr.price.usd_feu_km), (Some(0.5), Some(0.6)));
    assert_eq!(kr.price.basis.unwrap().to_string(), "2022-07");
    assert_eq!(
        (code(&kr.time_sources), code(&kr.cost_sources)),
        (vec!["EST-TEST".into(), "S-TEST".into()], vec!["S-TEST".into()])
    );
    // Another country takes the dataset-wide trucks.
    let other = access.trucks("JP");
    assert_eq!((other.daily_driving_h, other.price.usd_teu_km), (9.0, Some(2.0)));
    // A table with only the speed keeps the dataset-wide price.
    let files = with_access("\n[access.countries.JP]\ntruck_driving_kmh = { value = 50.0, src = \"S-TEST\" }\n", false);
    let net = load(&files).unwrap_or_else(|d| panic!("{d:?}")).network;
    let jp = net.defaults.access.as_ref().unwrap().trucks("JP");
    assert_eq!((jp.driving_kmh, jp.daily_driving_h, jp.price.usd_teu_km), (50.0, 9.0, Some(2.0)));

    for (extra, want) in [
        (
            "\n[access.countries.KR]\ntruck_price = \"road-z\"\n",
            "error [access.countries.KR.truck_price]: unknown price class \"road-z\" (not in prices.csv)",
        ),
        (
            "\n[access.countries.kr]\ntruck_price = \"road-y\"\n",
            "error [access.countries]: \"kr\" is not a country code (ISO 3166 alpha-2, two capital letters)",
        ),
        ("\n[access.countries.KR]\n", "error [access.countries]: [access.countries.KR] gives no figure"),
        (
            "\n[access.countries.KR]\ntruck_driving_kmh = { value = 500.0, src = \"S-TEST\" }\n",
            "error [access.countries.KR.truck_driving_kmh]: 500 is out of range [5, 130]",
        ),
        (
            "\n[access.countries.KR]\ntruck_daily_driving_h = { value = 8.0, src = \"NOPE\" }\n",
            "error [access.countries.KR.truck_daily_driving_h]: unknown source id \"NOPE\"",
        ),
        ("\n[access.countries.KR]\ntruck_speed = 5\n", "unknown field `truck_speed`"),
    ] {
        let files = with_access(extra, false);
        // The line of the country's table in the file as loaded.
        let line = files.files["dataset.toml"].lines().position(|l| l.starts_with("[access.countries")).unwrap() + 1;
        let got = errors(&files);
        let at = format!("dataset.toml:{line}: {want}");
        assert!(
            got.iter().any(|e| e.contains(want) && (want.starts_with("unknown field") || e.starts_with(&at))),
            "{extra}: want {at:?}, got {got:?}"
        );
    }
    // AA has a road link: its declared trucks would never be used.
    assert!(errors(&with_access("", true)).is_empty(), "{:?}", errors(&with_access("", true)));
    let got = errors(&with_access("\n[access.countries.AA]\ntruck_price = \"road-y\"\n", true));
    assert!(
        got.iter().any(|e| e.contains(
            "AA has road links of its own: its estimated legs take their figures; drop [access.countries.AA]"
        )),
        "{got:?}"
    );
}
