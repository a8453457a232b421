//! Command-line behaviour: errors and exit codes, formats, location search, validate.

use std::path::Path;

use crate::{corridor, json};

#[test]
fn unknown_place_exits_2_with_suggestions_by_spelling() {
    let out = corridor(&["route", "Duisbrug", "Xi'an"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("origin: unknown place \"Duisbrug\"; did you mean Duisburg (DEDUI, DE)"), "{err}");
    let out = corridor(&["route", "Xi'an", "Qingdoa"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("destination: unknown place \"Qingdoa\"; did you mean Qingdao (CNQIN, CN)"), "{err}");
}

#[test]
fn bad_options_are_clear_errors() {
    let out = corridor(&["route", "Xi'an", "Duisburg", "--avoid-country", "XX"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--avoid-country XX"));
    let out = corridor(&["route", "Xi'an", "Duisburg", "--payload-t", "-3"]);
    assert_eq!(out.status.code(), Some(2));
    let out = corridor(&["route", "Xi'an", "Xi'an"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("same location"));
}

#[test]
fn no_route_names_the_constraint() {
    // Every rail route from Xi'an to Europe crosses Russia (via Kazakhstan, Mongolia or
    // Manzhouli) or leaves by sea or road (to Kyrgyzstan or Pakistan): avoiding Russia, the sea,
    // ferries and roads cuts everything, and the error names the constraints that do.
    let out = corridor(&["route", "Xi'an", "Duisburg", "--avoid-mode", "sea,ferry,road", "--avoid-country", "RU,KZ"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no route from CNXIA to DEDUI"), "{err}");
    assert!(err.contains("avoided country RU"), "{err}");
}

#[test]
fn formats_parse_and_table_is_aligned() {
    let geo = json(&["route", "Almaty", "Tashkent", "--format", "geojson"]);
    assert_eq!(geo["type"], "FeatureCollection");
    let f = &geo["features"][0];
    let c = &f["geometry"]["coordinates"][0];
    // RFC 7946: [lon, lat]; Almaty is at about 76.9 E, 43.3 N.
    assert!((c[0].as_f64().unwrap() - 76.9).abs() < 1.0 && (c[1].as_f64().unwrap() - 43.3).abs() < 1.0, "{c}");
    let out = corridor(&["route", "Almaty", "Tashkent", "--format", "csv"]);
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv.starts_with("seq,kind,platform,from"), "{csv}");
    let out = corridor(&["compare", "Xi'an", "Duisburg"]);
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("Northern") && table.contains("* best:"), "{table}");
}

#[test]
fn locations_search_is_diacritic_insensitive() {
    let hits = json(&["locations", "malaszewicze", "--format", "json"]);
    assert_eq!(hits[0]["name"], "Małaszewicze");
    let hits = json(&["locations", "西安", "--format", "json"]);
    assert_eq!(hits[0]["id"], "CNXIA");
}

/// A place of exactly the name asked for is listed, not a network location that only
/// resembles it: "Yakutsk" is Yakutsk (off the network), not Irkutsk first; a misspelling with
/// no exact place still finds the network's location.
#[test]
fn locations_put_an_exact_place_before_a_look_alike() {
    let hits = json(&["locations", "Yakutsk", "--format", "json"]);
    let ids: Vec<&str> = hits.as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["RUYKS"], "{hits}");
    let hits = json(&["locations", "Irkutzk", "--format", "json"]);
    assert_eq!(hits[0]["id"], "RUIKT");
}

/// A search that finds only look-alikes says so: "Mehran" (a town on Iran's border with Iraq,
/// in no index) lists Tehran, an edit away, with a note that nothing bears the name; an exact
/// name, or one a location starts with, has no such note; a misspelling of a network location
/// ("Irkutzk") has it too.
#[test]
fn locations_say_when_they_list_only_look_alikes() {
    let note = "nothing is named \"Mehran\"; these locations are only spelled like it";
    let out = corridor(&["locations", "Mehran"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("IRTHR"));
    assert!(String::from_utf8_lossy(&out.stderr).contains(note), "{}", String::from_utf8_lossy(&out.stderr));
    let out = corridor(&["locations", "Mehran", "-q"]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("nothing is named"));
    for query in ["Tehran", "Duisb", "Irkutzk"] {
        let out = corridor(&["locations", query]);
        assert_eq!(out.status.code(), Some(0), "{query}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.contains("nothing is named"), query == "Irkutzk", "{query}: {err}");
    }
}

/// A network location is found by the names the place index gives it, as a route finds it:
/// "Termez" is Tirmiz and "Ulaanbaatar" Ulan Bator (before, both were "no location or place
/// matches", though `corridor route Termez Tashkent` ran).
#[test]
fn locations_find_a_network_location_by_its_other_names() {
    for (query, id) in [("Termez", "UZTER"), ("Ulaanbaatar", "MNULN"), ("Erlian", "CNRLC")] {
        let hits = json(&["locations", query, "--format", "json"]);
        assert_eq!((query, hits[0]["id"].as_str(), hits[0]["in_network"].as_bool()), (query, Some(id), Some(true)));
    }
}

#[test]
fn validate_reports_seeded_errors_in_a_broken_copy() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/eurasia");
    let dir = std::env::temp_dir().join(format!("corridor-validate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for f in std::fs::read_dir(&src).unwrap() {
        let f = f.unwrap();
        // The dataset's files; overlay/ is the core build's input, not part of the dataset.
        if f.file_type().unwrap().is_file() {
            std::fs::copy(f.path(), dir.join(f.file_name())).unwrap();
        }
    }
    let ok = corridor(&["validate", dir.to_str().unwrap()]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stdout));
    // The capacity table is checked too (it was not): an element that does not exist.
    let caps = std::fs::read_to_string(dir.join("capacities.csv")).unwrap();
    let caps = caps.replacen("link,f-kuryk-alat,", "link,seeded-missing,", 1);
    std::fs::write(dir.join("capacities.csv"), &caps).unwrap();
    let caps_line = caps.lines().position(|l| l.contains("seeded-missing")).unwrap() + 1;
    let out = corridor(&["validate", dir.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(&format!("capacities.csv:{caps_line}:element_id: no link \"seeded-missing\" in the network")),
        "{text}"
    );
    std::fs::write(dir.join("capacities.csv"), caps.replacen("seeded-missing", "f-kuryk-alat", 1)).unwrap();
    // Seed: an unknown location in a link, a negative distance, and a figure without source.
    let links = std::fs::read_to_string(dir.join("links.csv")).unwrap();
    let mut lines: Vec<String> = links.lines().map(String::from).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let mut row: Vec<String> = lines[1].split(',').map(String::from).collect();
    row[col("id")] = "seeded-bad".into();
    row[col("to")] = "NOWHERE".into();
    row[col("km")] = "-5".into();
    row[col("time_src")] = String::new();
    lines.push(row.join(","));
    let n = lines.len();
    std::fs::write(dir.join("links.csv"), lines.join("\n") + "\n").unwrap();
    let out = corridor(&["validate", dir.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    for expected in [
        format!("links.csv:{n}: error [to]: unknown location id \"NOWHERE\""),
        format!("links.csv:{n}: error [km]: -5 is out of range"),
        format!("links.csv:{n}: error [time_src]: figure without a source"),
    ] {
        assert!(text.contains(&expected), "missing {expected:?} in:\n{text}");
    }
}

#[test]
fn assign_prints_bottlenecks_and_scenarios_shift_flows() {
    let out = corridor(&["assign", "--top", "5"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Bottlenecks") && text.contains("Corridor shares"), "{text}");
    // The Caspian crossing is among the top bottlenecks of the sourced capacities.
    let top: Vec<&str> = text.lines().skip_while(|l| !l.starts_with("rank")).skip(1).take(3).collect();
    assert!(top.iter().any(|l| l.contains("Alat")), "{top:?}");
    let scen = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/dostyk_closed.toml");
    let out = corridor(&["scenario", "diff", "base", scen.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(diff.contains("khorgos") || diff.contains("Khorgos") || diff.contains("Altynkol"), "{diff}");
    let out = corridor(&["scenario", "diff", "base", "/nonexistent.toml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn each_capacitated_element_is_one_row_of_the_assignment() {
    // A sea link has one arc per sea layer of the embargo; its load is one row (the same ships),
    // and an empty scenario is the base exactly (two rows of one label made `scenario diff`
    // pair the wrong loads).
    let dir = std::env::temp_dir().join(format!("corridor-rows-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out_csv = dir.join("loads.csv");
    let out = corridor(&["assign", "--top", "5000", "--out", out_csv.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&out_csv).unwrap();
    let mut labels: Vec<&str> = text.lines().skip(1).filter_map(|l| l.split(',').nth(1)).collect();
    assert!(labels.iter().any(|l| l.starts_with("link:c-aktau-alat")), "{text}");
    let n = labels.len();
    labels.sort_unstable();
    labels.dedup();
    assert_eq!(labels.len(), n, "an element label appears twice in:\n{text}");
    let empty = dir.join("empty.toml");
    std::fs::write(&empty, "name = \"empty\"\n").unwrap();
    let out = corridor(&["scenario", "diff", "base", empty.to_str().unwrap()]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("The scenario changes nothing in the assignment:"), "{text}");
}

#[test]
fn a_scenario_that_changes_nothing_says_so_and_why() {
    let dir = std::env::temp_dir().join(format!("corridor-noop-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("noop.toml");
    // Neither element carries flow in the base: closing one and doubling the other's capacity
    // cannot move the assignment.
    std::fs::write(
        &path,
        "name = \"noop\"\n[[close]]\nlink = \"c-turkmenbashi-alat\"\n[[capacity]]\ntransfer = \"GEPTI:rail1520>sea\"\nfactor = 2.0\n",
    )
    .unwrap();
    let out = corridor(&["scenario", "diff", "base", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    for want in [
        "The scenario changes nothing in the assignment:",
        "closes link c-turkmenbashi-alat: carries 0 TEU/yr in the base",
        "changes the capacity of transfer GEPTI:rail1520>sea: load 0 of 1534 TEU/wk (0%)",
    ] {
        assert!(text.contains(want), "missing {want:?} in:\n{text}");
    }
    // A scenario that does change the assignment has no such note.
    let scen = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/dostyk_closed.toml");
    let text = String::from_utf8(corridor(&["scenario", "diff", "base", scen.to_str().unwrap()]).stdout).unwrap();
    assert!(!text.contains("changes nothing") && text.contains("r-alashankou-dostyk TEU/yr"), "{text}");
    let closed = text.lines().find(|l| l.contains("r-alashankou-dostyk TEU/yr")).unwrap();
    assert!(closed.trim_end().ends_with("-100.0"), "{closed}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn resilience_counts_unserved_demand_at_the_stated_penalty_and_prints_top_n_rows() {
    let out = corridor(&["resilience", "--top-n", "30"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("USD 50,000 per TEU left unserved"), "{text}");
    let rows: Vec<&str> = text.lines().skip_while(|l| !l.starts_with("rank")).skip(1).collect();
    assert_eq!(rows.len(), 30, "{text}");
    // Losing the only rail line out of Yiwu strands its demand: a loss, never a saving (it is
    // not among the 30 busiest elements, so the full ranking is read).
    let all = String::from_utf8(corridor(&["resilience"]).stdout).unwrap();
    let yiwu = all.lines().find(|l| l.contains("r-yiwu-hangzhou")).expect("Yiwu–Hangzhou ranked");
    let loss: f64 = yiwu.split_whitespace().nth(3).unwrap().replace(',', "").parse().unwrap();
    assert!(loss > 1e9, "{yiwu}");
    // Every loss is positive and the ranking is sorted by it.
    let losses: Vec<f64> =
        rows.iter().map(|l| l.split_whitespace().nth(3).unwrap().replace(',', "").parse().unwrap()).collect();
    assert!(losses.windows(2).all(|w| w[0] >= w[1]), "{losses:?}");
    // The penalty is an option, range-checked; a lower one lowers the loss of stranded demand.
    let low =
        String::from_utf8(corridor(&["resilience", "--top-n", "30", "--unserved-penalty", "10000"]).stdout).unwrap();
    assert!(low.contains("USD 10,000 per TEU"), "{low}");
    for bad in ["0", "-5", "NaN", "inf"] {
        let out = corridor(&["resilience", &format!("--unserved-penalty={bad}")]);
        assert_eq!(out.status.code(), Some(2), "--unserved-penalty {bad}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("--unserved-penalty"), "{bad}");
    }
    assert_eq!(corridor(&["resilience", "--top-n", "0"]).status.code(), Some(2));
}

#[test]
fn tntp_assignment_from_the_command_line() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/tntp");
    if !dir.exists() {
        eprintln!("skipped: {} not present", dir.display());
        return;
    }
    let out_file = std::env::temp_dir().join(format!("sf-flows-{}.csv", std::process::id()));
    let out = corridor(&[
        "assign",
        "--tntp-net",
        dir.join("SiouxFalls_net.tntp").to_str().unwrap(),
        "--tntp-trips",
        dir.join("SiouxFalls_trips.tntp").to_str().unwrap(),
        "--gap",
        "1e-4",
        "--out",
        out_file.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("relative gap") && text.contains("TSTT"), "{text}");
    let flows = std::fs::read_to_string(&out_file).unwrap();
    assert_eq!(flows.lines().count(), 77, "header + 76 links");
    std::fs::remove_file(&out_file).ok();
}

/// The same table as the server's `BAD_VALUES` (`corridor-server/tests/it/errors.rs`): each
/// route parameter's bad value fails with the routing API's words on the command line too
/// (clap names the flag and value, or the query error does: `--avoid-mode plane (item 2)`).
#[test]
fn bad_values_fail_in_the_servers_words() {
    let cases: [(&str, &str, &str); 13] = [
        ("--optimize", "fast", "unknown objective \"fast\" (expected time, cost, co2, balanced or p90)"),
        ("--unit", "box", "unknown cargo unit \"box\" (expected teu or feu)"),
        ("--payload-t", "heavy", "not a number"),
        ("--payload-t", "99", "must be between 0 and 30.5 tonnes"),
        ("--value-of-time", "lots", "not a number"),
        ("--value-of-time", "-1", "must be a non-negative number"),
        ("--carbon-price", "cheap", "not a number"),
        ("--max-transshipments", "many", "not a non-negative integer in range"),
        ("--samples", "many", "not a non-negative integer in range"),
        ("--seed", "x", "not a non-negative integer in range"),
        ("--avoid-mode", "rail,plane", "unknown mode \"plane\" (expected rail, road, sea or ferry)"),
        ("--avoid-country", "R1", "expected an ISO 3166-1 alpha-2 code such as RU"),
        ("--depart", "tomorrow", "not an ISO 8601 time such as 2026-12-01T08:00+05:00"),
    ];
    for (flag, value, core) in cases {
        let out = corridor(&["route", "Xian", "Duisburg", &format!("{flag}={value}")]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{flag}={value}: {err}");
        assert!(err.contains(core), "{flag}={value}: {err:?} lacks {core:?}");
        assert!(
            err.contains(flag) && err.contains(value.split(',').next_back().unwrap_or(value)),
            "{flag}={value}: {err}"
        );
    }
}

/// `network` exports every link of the embedded core with its geometry (as `/v1/network`),
/// straight lines only where the build found no matching path (listed in BUILD_REPORT.md).
#[test]
fn network_exports_every_link_with_geometry() {
    let geo = json(&["network", "--format", "geojson"]);
    let features = geo["features"].as_array().unwrap();
    let links =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/eurasia/links.csv")).unwrap();
    assert_eq!(features.len(), links.lines().count() - 1, "one feature per link");
    let straight: Vec<&str> = features
        .iter()
        .filter(|f| f["properties"]["straight"] == true)
        .map(|f| f["properties"]["id"].as_str().unwrap())
        .collect();
    // Far fewer than the 74 of 240 curated links before the core build, and none at sea.
    assert!(straight.len() * 100 < features.len(), "{} straight: {straight:?}", straight.len());
    assert!(features.iter().filter(|f| f["properties"]["mode"] == "sea").all(|f| f["properties"]["straight"] == false));
    let report =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/eurasia/BUILD_REPORT.md"))
            .unwrap();
    for id in &straight {
        assert!(report.contains(&format!("curated link {id}:")), "{id} is drawn straight without a stated reason");
    }
    let csv = corridor(&["network", "--format", "csv", "--corridor", "tsr"]);
    let text = String::from_utf8_lossy(&csv.stdout);
    assert!(text.starts_with("id,from,to,mode,platform,km,corridors,straight,transit,points\n"), "{text}");
    assert!(text.lines().skip(1).all(|l| l.contains("tsr")) && text.lines().count() > 10, "{text}");
    // A link through a third country says so (the Brenner line through Austria).
    let brenner = features.iter().find(|f| f["properties"]["id"] == "r-munich-verona").unwrap();
    assert_eq!(brenner["properties"]["transit"], serde_json::json!(["AT"]));
    let all = String::from_utf8_lossy(&corridor(&["network", "--format", "csv"]).stdout).into_owned();
    assert!(all.lines().any(|l| l.starts_with("r-munich-verona,") && l.contains(",AT,")), "{all}");
    let bad = corridor(&["network", "--mode", "air"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--mode air (item 1)"));
}

/// Reproducers of issue P9: each ends with a clear error (or, for a closed pipe, quietly),
/// never a panic, a hang or an allocation sized by the input.
#[test]
fn hostile_inputs_end_with_an_error_not_a_panic_or_a_hang() {
    // `serve --time-budget 1e20` panicked converting to a Duration.
    let out = corridor(&["serve", "--time-budget", "1e20"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("--time-budget 1e20: must be between 0.001 and 3600 seconds"), "{err}");
    let out = corridor(&["serve", "--max-concurrent", "0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--max-concurrent 0"));

    // `corridor route Xian Duisburg | head -1` panicked on the broken pipe (exit 101).
    #[cfg(unix)]
    {
        use std::process::{Command, Stdio};
        let mut child = Command::new(env!("CARGO_BIN_EXE_corridor"))
            .args(["compare", "Xian", "Duisburg"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // the reader goes away before anything is written
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{err}");
        assert_ne!(out.status.code(), Some(101), "{err}");
    }

    // A FIFO or a device as a dataset file hung or ate memory.
    #[cfg(unix)]
    {
        let dir = std::env::temp_dir().join(format!("corridor-hostile-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for f in ["locations.csv", "links.csv", "dataset.toml"] {
            let src = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/eurasia/");
            std::fs::copy(format!("{src}{f}"), dir.join(f)).unwrap();
        }
        std::fs::remove_file(dir.join("links.csv")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", dir.join("links.csv")).unwrap();
        let out = corridor(&["--data", dir.to_str().unwrap(), "route", "Xian", "Duisburg"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("links.csv") && err.contains("not a regular file"), "{err}");
        let fifo = dir.join("pairs.csv");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        let out = corridor(&["route", "Xian", "Duisburg", "--format", "csv"]);
        assert!(out.status.success());
        let out = corridor(&["scenario", "diff", "base", fifo.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("pairs.csv: not a regular file"), "{err}");
        std::fs::remove_dir_all(&dir).ok();
    }
}

/// `--data DIR assign` assigns DIR's own demand (it assigned the embedded one): a copy without
/// a demand file is refused, and a broken one is reported under its path.
#[test]
fn assign_on_a_dataset_directory_uses_its_own_demand() {
    let dir = std::env::temp_dir().join(format!("corridor-demand-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let src = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/eurasia"));
    for e in std::fs::read_dir(src).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() && p.file_name().unwrap() != "demand_2024.csv" {
            std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
        }
    }
    let d = dir.to_str().unwrap();
    let out = corridor(&["--data", d, "assign", "--no-choice"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("the dataset has no demand_2024.csv; give one with --demand FILE"), "{err}");
    let demand = std::fs::read_to_string(src.join("demand_2024.csv")).unwrap().replace("CNXIA", "ZZZZZ");
    std::fs::write(dir.join("demand_2024.csv"), demand).unwrap();
    let out = corridor(&["--data", d, "assign", "--no-choice"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("demand_2024.csv") && err.contains("ZZZZZ"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

/// The bad-input corpus (`bad_inputs.tsv`): every case exits with its code and a message that
/// names what is wrong, and none panics.
#[test]
fn bad_input_corpus() {
    let table = include_str!("bad_inputs.tsv");
    let mut n = 0;
    for line in table.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let mut f = line.splitn(3, '\t');
        let (code, args, fragment) = (f.next().unwrap(), f.next().unwrap(), f.next().unwrap_or(""));
        let args: Vec<String> = serde_json::from_str(args).unwrap_or_else(|e| panic!("{line}: {e}"));
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = corridor(&argv);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code.parse::<i32>().unwrap()), "{args:?}: {err}");
        assert!(err.contains(fragment), "{args:?}: {err:?} lacks {fragment:?}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        n += 1;
    }
    assert!(n >= 40, "the corpus has {n} cases");
}

/// Shell completions and man pages come from the parser itself: every subcommand and option is
/// in them, for each shell, and `man --dir` writes one page per command.
#[test]
fn completions_and_man_pages_cover_every_command() {
    let subcommands = ["route", "compare", "pareto", "serve", "assign", "build", "table", "validate", "man", "merge"];
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = corridor(&["completions", shell]);
        assert!(out.status.success(), "{shell}: {}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8(out.stdout).unwrap();
        for s in subcommands.iter().chain(&["max-labels", "avoid-country"]) {
            assert!(text.contains(s), "{shell} completions lack {s}");
        }
    }
    let page = String::from_utf8(corridor(&["man"]).stdout).unwrap();
    assert!(page.starts_with(".ie") && page.contains(".TH corridor 1") && page.contains("corridor\\-route"), "{page}");
    let dir = std::env::temp_dir().join(format!("corridor-man-{}", std::process::id()));
    let out = corridor(&["man", "--dir", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let route = std::fs::read_to_string(dir.join("corridor-route.1")).unwrap();
    assert!(
        route.contains(".TH corridor-route 1  \"corridor-route 0.") && route.contains("\\-\\-avoid\\-country"),
        "{route}"
    );
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 16, "the command and its 15 subcommands");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `serve --config FILE`: every limit from a TOML file, a flag winning over the file, and a
/// bad file refused before listening with its name, line and key.
#[test]
fn serve_reads_a_config_file_and_flags_win() {
    let dir = std::env::temp_dir().join(format!("corridor-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    for (text, needle) in [
        ("[limits]\nbogus = 1\n", "unknown field `bogus`"),
        ("[limits]\ntime_budget = -1\n", "limits.time_budget -1.0: must be between 0.001 and 3600 seconds"),
        ("[limits]\nmax_concurrent = \"lots\"\n", "invalid type: string \"lots\""),
        ("[limits]\nmax_headers = 1000\n", "limits.max_headers 1000: must be between 8 and 256"),
        ("[server]\nbind = \"nowhere\"\n", "line 2"),
        ("[limits]\nmax_snap_km = nan\n", "limits.max_snap_km NaN"),
        ("[limits\n", "TOML parse error at line 1"),
    ] {
        let f = write("bad.toml", text);
        let out = corridor(&["serve", "--config", &f]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{text}: {err}");
        assert!(err.contains(&format!("--config {f}")) && err.contains(needle), "{text}: {err}");
    }
    // A flag wins over the file: the file's max_concurrent of 0 would be refused, the flag's 3
    // is used; the file's bind and max_samples apply.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let f = write(
        "good.toml",
        &format!("[server]\nbind = \"127.0.0.1:{port}\"\n[limits]\nmax_samples = 500\nmax_concurrent = 0\n"),
    );
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args(["serve", "--config", &f, "--max-concurrent", "3"])
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut answer = None;
    for _ in 0..100 {
        if let Ok(r) = crate::detailed::http_get(port, "/v1/route?from=CNXIA&to=DEDUI&samples=600") {
            answer = Some(r);
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    server.kill().unwrap();
    server.wait().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let (status, body) = answer.expect("the server listened on the file's address");
    assert!(status.contains("400") && body.contains("must be between 1 and 500"), "{status} {body}");
}

/// `-q` leaves notes out of stderr (errors stay); `-v` and `-q` together are refused.
#[test]
fn quiet_and_verbose() {
    let dir = std::env::temp_dir().join(format!("corridor-quiet-{}", std::process::id()));
    let d = dir.to_str().unwrap();
    let loud = corridor(&["man", "--dir", d]);
    assert!(String::from_utf8_lossy(&loud.stderr).contains("wrote 16 man pages"));
    let quiet = corridor(&["-q", "man", "--dir", d]);
    assert!(quiet.status.success() && quiet.stderr.is_empty(), "{}", String::from_utf8_lossy(&quiet.stderr));
    let err = corridor(&["-q", "route", "Nowhereville", "Duisburg"]);
    assert_eq!(err.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&err.stderr).contains("error: "), "errors are never silenced");
    let both = corridor(&["-v", "-q", "locations", "Xi'an"]);
    assert_eq!(both.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&both.stderr).contains("cannot be used with"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `--scenario` on `route`, `compare` and `pareto`: the what-if of one shipment. The Rasht–Astara
/// railway (scenarios/rasht_astara.toml) takes Moscow–Bandar Abbas on the INSTC from a truck
/// between Astara and Rasht onto the new line, and the answer says the scenario was applied;
/// without it the truck leg is there. A capacity change is refused (a route has none), as is a
/// scenario key that names nothing, each with the file and the key.
#[test]
fn a_route_can_be_asked_under_a_scenario() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let scen = |f: &str| root.join(f).to_str().unwrap().to_owned();
    let links = |v: &serde_json::Value| -> Vec<String> {
        v["legs"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|l| l["links"].as_array().cloned().unwrap_or_default())
            .map(|x| x.as_str().unwrap().to_owned())
            .collect()
    };
    let args = ["route", "Moscow", "Bandar Abbas", "--corridor", "instc", "--format", "json"];
    let base = json(&args);
    // It has no note: no scenario's, and no trade ban's (its Russian end's ban with Ukraine
    // changes nothing on the way to Iran).
    assert!(links(&base).contains(&"d-astara-rasht".to_owned()) && base.get("notes").is_none(), "{base}");
    let rasht = scen("rasht_astara.toml");
    let new = json(&[&args[..], &["--scenario", &rasht]].concat());
    assert!(links(&new).contains(&"r-rasht-astara".to_owned()), "{new}");
    assert!(!links(&new).contains(&"d-astara-rasht".to_owned()), "{new}");
    assert!(new["notes"][0].as_str().unwrap().starts_with("Scenario \"Rasht–Astara railway\""), "{new}");
    // compare and pareto take it too.
    for cmd in [["compare", "Moscow", "Bandar Abbas"], ["pareto", "Moscow", "Bandar Abbas"]] {
        let out = corridor(&[&cmd[..], &["--scenario", &rasht]].concat());
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).contains("Scenario \"Rasht–Astara railway\""));
    }
    // A service's regime: without the 2025 Kuryk backlog, Xi'an–Baku crosses from Kuryk
    // again (with it, from Aktau); the assignment leaves that backlog out and says so.
    let args = ["route", "Xi'an", "Baku", "--corridor", "middle", "--format", "json"];
    let kuryk = scen("kuryk_backlog_ends.toml");
    assert!(links(&json(&args)).contains(&"f-aktau-alat-rail".to_owned()));
    assert!(links(&json(&[&args[..], &["--scenario", &kuryk]].concat())).contains(&"f-kuryk-alat".to_owned()));
    let out = corridor(&["scenario", "diff", "base", &kuryk]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("changes the port backlog of link f-kuryk-alat: the assignment leaves it out"), "{text}");
    // Refused: a capacity change, an unknown element, a missing file.
    let out = corridor(&["route", "Xi'an", "Duisburg", "--scenario", &scen("caspian_capacity_doubled.toml")]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("caspian_capacity_doubled.toml: scenario key `capacity[0]`") && err.contains("changes a capacity"),
        "{err}"
    );
    let dir = std::env::temp_dir().join(format!("corridor-route-scenario-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "[[close]]\nborder = \"b-nowhere\"\n").unwrap();
    let out = corridor(&["route", "Xi'an", "Duisburg", "--scenario", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.toml") && err.contains("close[0].border") && err.contains("b-nowhere"), "{err}");
    let out = corridor(&["route", "Xi'an", "Duisburg", "--scenario", "/nonexistent.toml"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Norilsk, which no road joins to the rest of Russia, trucked 1,272 km "to Surgut" across the
/// tundra (a sweep of held-out places, 2026-12-07): it is refused with the reason now, and
/// Vorkuta, at the end of the Pechora railway, goes by rail.
#[test]
fn a_town_no_road_reaches_is_not_trucked_across_the_tundra() {
    let out = corridor(&["route", "Norilsk", "Moscow"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "no route: {err}");
    assert!(
        err.contains("it lies in the Norilsk industrial district, where no road leads out: no all-weather road"),
        "{err}"
    );
    let r = json(&["route", "Vorkuta", "Moscow", "--format", "json"]);
    let legs = r["legs"].as_array().unwrap();
    assert!(legs.iter().all(|l| l["kind"] != "road"), "{legs:?}");
    assert_eq!(legs[0]["from"].as_str(), Some("RUVKT"), "{}", legs[0]);
}

/// Russia and Georgia meet only at Verkhny Lars–Kazbegi (a sweep of held-out places,
/// 2026-12-07): Tuapse reached Poti by a train through Abkhazia, whose line into Georgia proper
/// is severed since 1992–93 (the OSM graph's gap there was healed), and Sochi's estimated truck
/// ran 301 km straight to Samtredia through Abkhazia. Each route now crosses at Verkhny Lars, by
/// a core road or by an estimated leg the notes say runs by it.
#[test]
fn russia_and_georgia_meet_only_at_verkhny_lars() {
    for (from, to) in [("Tuapse", "Poti"), ("Sochi", "Batumi"), ("Krasnodar", "Kutaisi")] {
        let r = json(&["route", from, to, "--format", "json"]);
        let crossings: Vec<&str> = r["legs"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["kind"] == "border")
            .filter_map(|l| l["description"].as_str())
            .filter(|d| d.contains("(RU -> GE)"))
            .collect();
        assert_eq!(crossings.len(), 1, "{from}–{to}: {crossings:?}");
        let notes = r["notes"].to_string();
        assert!(
            crossings[0].contains("Verkhny Lars")
                || (crossings[0].contains("(estimated)") && notes.contains("by Verkhny Lars")),
            "{from}–{to}: {crossings:?} {notes}"
        );
    }
    let r = json(&["route", "Sochi", "Batumi", "--format", "json"]);
    assert!(r["notes"].to_string().contains("Samtredia 267 km (608 km by Verkhny Lars)"), "{}", r["notes"]);
}

/// Serhetyaka, the Turkmen station of the Kazakh–Turkmen railway crossing, is a node on the
/// Uzen–Bereket line: a train for it runs there by rail and crosses at Bolashak–Serhetyaka (before,
/// it stopped at Kuryk and trucked 355 km), and a Moscow–Iran train takes the line rather than a
/// generated link that ran its 600 Turkmen km at Kazakhstan's speed.
#[test]
fn the_kazakh_turkmen_rail_crossing_is_reached_by_rail() {
    let r = json(&["route", "Altynkol", "Serhetyaka", "--format", "json"]);
    let legs = r["legs"].as_array().unwrap();
    assert!(legs.iter().all(|l| l["kind"] != "road" && l["kind"] != "transfer"), "{legs:#?}");
    assert_eq!(border_legs(&r), ["border crossing Bolashak–Serhetyaka (KZ -> TM)"]);
    let r = json(&[
        "route",
        "Moscow",
        "Bandar Abbas",
        "--avoid-mode",
        "road,sea,ferry",
        "--optimize",
        "time",
        "--format",
        "json",
    ]);
    assert!(
        border_legs(&r).iter().any(|d| d == "border crossing Bolashak–Serhetyaka (KZ -> TM)"),
        "{:?}",
        border_legs(&r)
    );
}

/// The descriptions of a JSON route's border legs, in order.
fn border_legs(r: &serde_json::Value) -> Vec<String> {
    r["legs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["kind"] == "border")
        .map(|l| l["description"].as_str().unwrap().to_owned())
        .collect()
}

/// Neryungri, on the Amur–Yakutsk line, and the towns of the Baikal–Amur Mainline are reached by
/// rail: a sweep of held-out places (2026-12-07) found Neryungri trucked 1,004 km to Chita.
#[test]
fn towns_on_the_baikal_amur_and_amur_yakutsk_lines_are_reached_by_rail() {
    let r = json(&["route", "Neryungri", "Moscow", "--format", "json"]);
    let legs = r["legs"].as_array().unwrap();
    assert!(legs.iter().all(|l| l["estimated"] != true && l["kind"] != "road"), "{legs:#?}");
    assert!(legs[0]["description"].as_str().unwrap().contains("via Tynda"), "{:?}", legs[0]["description"]);
    let r = json(&["route", "Ust-Kut", "Severobaykalsk", "--format", "json"]);
    assert_eq!(r["legs"].as_array().unwrap().len(), 1, "{:#?}", r["legs"]);
    assert_eq!(r["legs"][0]["kind"], "rail");
    // Yakutsk, across the Lena from the railhead of Nizhny Bestyakh (a hand-made place of the
    // index since session 36), trucks about 25 km to it, not 841 km to Neryungri.
    let r = json(&["route", "Yakutsk", "Moscow", "--format", "json"]);
    let legs = r["legs"].as_array().unwrap();
    assert_eq!((legs[0]["kind"].as_str(), legs[0]["to"].as_str()), (Some("road"), Some("XPRUNBE")), "{legs:#?}");
    assert!(legs[0]["km"].as_f64().unwrap() < 40.0, "{:#?}", legs[0]);
    assert!(legs.iter().skip(1).all(|l| l["kind"] != "road"), "{legs:#?}");
}

/// Syktyvkar, Ukhta and Abakan are reached by rail, and the Pechora railway joins the network at
/// Kotlas: a sweep of held-out places (2026-12-08) found Syktyvkar (245,000 people, 5,000 short
/// of the coverage rule) trucked 392 km to Kirov, and Ukhta 593 km, while the links from Vorkuta
/// ran through it.
#[test]
fn towns_of_the_pechora_railway_and_abakan_are_reached_by_rail() {
    for (from, via) in [("Syktyvkar", "Kotlas"), ("Ukhta", "Kotlas"), ("Vorkuta", "Ukhta"), ("Abakan", "Novosibirsk")] {
        let r = json(&["route", from, "Moscow", "--format", "json"]);
        let legs = r["legs"].as_array().unwrap();
        assert!(legs.iter().all(|l| l["estimated"] != true && l["kind"] == "rail"), "{from}: {legs:#?}");
        assert!(legs[0]["description"].as_str().unwrap().contains(via), "{from}: {:?}", legs[0]["description"]);
    }
}

/// The two Amur bridges between Russia and China opened in 2022 are crossings of the network:
/// the Tongjiang–Nizhneleninskoye rail bridge (Khabarovsk–Harbin by rail crosses there) and the
/// Blagoveshchensk–Heihe road bridge (a truck crosses at Kani-Kurgan); there is no rail bridge
/// between Blagoveshchensk and Heihe, so a train between them goes round by Tongjiang.
#[test]
fn the_amur_bridges_of_2022_are_crossings() {
    let rail = json(&["route", "Khabarovsk", "Harbin", "--avoid-mode", "road,sea", "--format", "json"]);
    assert_eq!(border_legs(&rail), ["border crossing Tongjiang station–Nizhneleninskoye (RU -> CN)"]);
    let road = json(&["route", "Blagoveshchensk", "Heihe", "--avoid-mode", "rail,sea", "--format", "json"]);
    assert_eq!(border_legs(&road), ["border crossing Heihe bridge–Kani-Kurgan (RU -> CN)"]);
    assert!(road["totals"]["km"].as_f64().unwrap() < 60.0, "{}", road["totals"]);
    let train = json(&["route", "Blagoveshchensk", "Heihe", "--avoid-mode", "road,sea", "--format", "json"]);
    assert_eq!(border_legs(&train), ["border crossing Tongjiang station–Nizhneleninskoye (RU -> CN)"]);
}

/// The fastest train from Moscow or Krasnoyarsk to the Pacific takes the Trans-Siberian through
/// Irkutsk and Chita, as the container trains do, not the Baikal–Amur Mainline: the BAM is
/// about 190 km shorter from Tayshet to Belogorsk but single track through mountains
/// (`overlay/line_speeds.csv`, EST-SPEED-BAM); with one speed for both it took these trains.
#[test]
fn the_fastest_train_to_the_pacific_takes_the_trans_siberian() {
    for (from, to) in [("Moscow", "Vladivostok"), ("Krasnoyarsk", "Grodekovo")] {
        let r = json(&["route", from, to, "--avoid-mode", "road,sea", "--optimize", "time", "--format", "json"]);
        let legs = r["legs"].as_array().unwrap();
        let rail: Vec<&str> =
            legs.iter().filter(|l| l["kind"] == "rail").map(|l| l["description"].as_str().unwrap()).collect();
        assert!(rail.iter().any(|d| d.contains("Irkutsk") && d.contains("Chita")), "{from}-{to}: {rail:?}");
        assert!(rail.iter().all(|d| !d.contains("Tynda")), "{from}-{to}: {rail:?}");
    }
}

/// Rostov-on-Don is a river port (about 3.5 m of water, river-sea ships of up to 5,000 t): no
/// container liner sails from it, so a box from Rostov for Shanghai leaves by land for a sea
/// port, and Moscow–Vladivostok does not sail from it.
#[test]
fn no_container_liner_calls_at_the_river_port_of_rostov() {
    for (from, to) in [("Rostov-on-Don", "Shanghai"), ("Moscow", "Vladivostok")] {
        let r = json(&["route", from, to, "--format", "json"]);
        let legs = r["legs"].as_array().unwrap();
        assert!(legs.iter().all(|l| !(l["kind"] == "sea" && l["from"] == "RUROV")), "{from}–{to}: {legs:#?}");
    }
}

/// Faults a sweep of held-out places found (2026-12-06): a place beside a port that takes no
/// trucks, a way round a closed border, an island reached by road, a voyage through a third port
/// between two countries with no shipping between them (now under a trade ban).
#[test]
fn held_out_places_get_real_routes_or_clear_errors() {
    // Dehiwala-Mount Lavinia lies 10 km from Colombo, which had no road platform: the no-route
    // diagnosis then walked a liner's ring of calls until the machine ran out of memory.
    let r = json(&["route", "Shanghai", "Dehiwala-Mount Lavinia", "--format", "json"]);
    let legs = r["legs"].as_array().unwrap();
    let last = legs.last().unwrap();
    assert_eq!((last["kind"].as_str(), last["from_name"].as_str()), (Some("road"), Some("Colombo")), "{last}");
    // Chernihiv (Ukraine) to Mazyr (Belarus): the border is closed, and no estimated truck leg
    // goes round it through a third country (Kharkiv–Belgorod once went 82 km "by Poland"):
    // Chernihiv's trucks stay in Ukraine (or cross to Poland), Mazyr's in Belarus.
    let r = json(&["route", "Chernihiv", "Mazyr", "--format", "json"]);
    for leg in r["legs"].as_array().unwrap() {
        let d = leg["description"].as_str().unwrap_or_default();
        assert!(!d.contains("UA–PL–BY") && !d.contains("BY–PL–UA"), "{d}");
    }
    // Kharkiv–Belgorod and Odesa–Rostov-on-Don: trade between Ukraine and Russia is banned, so
    // the answer is that, with its source (no estimated truck across the front, and no voyage
    // that stays aboard through a third country's port, as before).
    for (from, to) in [("Kharkiv", "Belgorod"), ("Odesa", "Rostov-on-Don")] {
        let out = corridor(&["route", from, to]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("no route from UA to RU: trade between them is banned (Ukraine"), "{err}");
    }
    // Amman to Istanbul would load at Haifa: it keeps out of Israel, and a note says so. Kabul
    // to Kathmandu, between third countries, may not pass through both Pakistan and India.
    for (from, to, avoided, ban) in
        [("Amman", "Istanbul", "IL", "IL and TR"), ("Kabul", "Kathmandu", "PK", "IN and PK")]
    {
        let r = json(&["route", from, to, "--format", "json"]);
        assert!(!r["countries"].as_array().unwrap().iter().any(|c| c == avoided), "{}", r["countries"]);
        let note = format!(
            "Trade ban between {ban}, transit included: the route makes no stop in {avoided} (no loading, unloading, transshipment or land transit; ships may sail past its ports)"
        );
        assert!(r["notes"].as_array().unwrap().iter().any(|n| n.as_str() == Some(note.as_str())), "{}", r["notes"]);
    }
    // Padang (Sumatra) reached Singapore by an estimated truck "via Malaysia": Indonesia meets
    // Malaysia only on Borneo. Since Belawan, Sumatra's port, is in the core, the truck goes
    // there and the box sails; no truck leaves the island.
    let r = crate::json(&["route", "Padang", "Singapore", "--format", "json"]);
    let legs = r["legs"].as_array().unwrap();
    assert_eq!((legs[0]["to"].as_str(), legs[0]["estimated"].as_bool()), (Some("IDBLW"), Some(true)), "{}", legs[0]);
    let trucks = legs.iter().filter(|l| l["kind"] == "road").count();
    assert_eq!(trucks, 1, "one truck leg, on Sumatra: {legs:?}");
    // Ireland, Cyprus, Malta, Iceland and the Maghreb east of Morocco had no port (no place there
    // had a route); their main container ports are nodes since 2026-12-07, and their places truck
    // to them. Cork trucks to Waterford, Ireland's nearest port node since Ireland took the EU road
    // rules (2026-12-07, before: Dublin).
    for (from, port) in [
        ("Cork", "IEWAT"),
        ("Nicosia", "CYLMS"),
        ("Valletta", "MTMAR"),
        ("Reykjavik", "ISREY"),
        ("Constantine", "DZALG"),
        ("Sfax", "TNRAD"),
        // East and South Asia's other large container ports, and the main ports of the large
        // islands that had none (since 2026-12-07, session 30): Osaka trucked 437 km to Yokohama,
        // Seoul 373 km to Busan, Da Nang 689 km to Cat Lai; Makassar, Hokkaido, Mindanao and the
        // Visayas had no route.
        ("Osaka", "JPUKB"),
        ("Seoul", "KRINC"),
        ("Da Nang", "VNDAD"),
        ("Makassar", "IDMAK"),
        ("Sapporo", "JPTMK"),
        ("Cagayan de Oro", "PHDVO"),
        // Indonesian Borneo trucks to Kuching across the island's land border.
        ("Pontianak, ID", "MYKCH"),
        // The islands and island countries that still had no route (session 31): Gran Canaria,
        // Sardinia, Corsica, Okinawa, Jeju, Sakhalin, the Maldives, Timor-Leste and Papua.
        ("Telde", "ESLPA"),
        // Sassari: by the Olbia–Livorno truck ferry since 2026-12-07 (below).
        ("Ajaccio", "FRBIA"),
        ("Okinawa, JP", "JPNAH"),
        ("Seogwipo", "KRCHA"),
        ("Yuzhno-Sakhalinsk", "RUKOR"),
        ("Male, MV", "MVMLE"),
        ("Dili", "TLDIL"),
        ("Sentani", "IDDJJ"),
    ] {
        let r = json(&["route", from, "Rotterdam", "--format", "json"]);
        let sea = r["legs"].as_array().unwrap().iter().find(|l| l["kind"] == "sea").expect("a voyage");
        assert_eq!(sea["from"].as_str(), Some(port), "{from}: {sea}");
    }
    // Belfast was a road node of Great Britain: the OSM graph's gap over the North Channel was
    // healed into a road. It takes the Belfast–Cairnryan ferry, and Cairnryan, a ro-ro port, has
    // no liner lanes (the route to Glasgow is the ferry and a truck).
    let r = json(&["route", "Belfast", "Glasgow", "--optimize", "time", "--format", "json"]);
    let kinds: Vec<&str> = r["legs"].as_array().unwrap().iter().filter_map(|l| l["kind"].as_str()).collect();
    assert!(kinds.contains(&"ferry") && !kinds.contains(&"sea"), "{kinds:?}");
    let hits = json(&["locations", "Cairnryan", "--format", "json"]);
    assert_eq!((hits[0]["id"].as_str(), hits[0]["platforms"].clone()), (Some("GBCYN"), serde_json::json!(["road"])));
    // Great Britain to Ireland took the weekly liner lanes (Taunton to Douglas, Cork, 9.7 days);
    // the Irish Sea truck ferries are lines since session 31, with Revenue's customs routing at
    // the ports: a day or less by Fishguard–Rosslare or Holyhead–Dublin.
    for (from, to, ferry) in
        [("Taunton", "Douglas, IE", "f-fishguard-rosslare-road"), ("Manchester", "Galway", "f-holyhead-dublin-road")]
    {
        let r = json(&["route", from, to, "--format", "json"]);
        let legs = r["legs"].as_array().unwrap();
        assert!(legs.iter().any(|l| l["kind"] == "ferry" && l["links"][0] == ferry), "{from}: {legs:?}");
        assert!(legs.iter().any(|l| l["kind"] == "border"), "{from}: customs at the ferry ports: {legs:?}");
        let days = r["reliability"]["p50_h"].as_f64().unwrap() / 24.0;
        assert!(days < 2.5, "{from} to {to}: P50 {days} days");
    }
    // Sardinia, the Balearics and Crete sailed on the liner lanes, paying the Mediterranean's
    // premiums on a weekly sailing (Sassari to Milan 11.4 days, Heraklion to Athens 10.1); their
    // truck ferries are lines since 2026-12-07 (no customs: one customs union).
    for (from, to, ferry) in [
        ("Sassari", "Milan", "f-livorno-olbia-road"),
        ("Palma", "Barcelona", "f-barcelona-palma-road"),
        ("Heraklion", "Athens", "f-piraeus-heraklion-road"),
    ] {
        let r = json(&["route", from, to, "--format", "json"]);
        let legs = r["legs"].as_array().unwrap();
        assert!(legs.iter().any(|l| l["kind"] == "ferry" && l["links"][0] == ferry), "{from}: {legs:?}");
        assert!(!legs.iter().any(|l| l["kind"] == "border" || l["kind"] == "sea"), "{from}: {legs:?}");
        let days = r["reliability"]["p50_h"].as_f64().unwrap() / 24.0;
        assert!(days < 2.5, "{from} to {to}: P50 {days} days");
    }
    // Korea reached China only on the weekly liner lanes (Seoul to Qingdao 7.6 days); the car
    // ferries carry boxes on chassis from Incheon (since 2026-12-07, session 33), with customs at
    // the ports, at the ministry's USD 325 per TEU and twice that per FEU.
    for (to, ferry) in [("Qingdao", "f-incheon-qingdao-road"), ("Weihai", "f-incheon-weihai-road")] {
        for (unit, usd) in [("teu", 325.0), ("feu", 650.0)] {
            let r = json(&["route", "Seoul", to, "--unit", unit, "--format", "json"]);
            let legs = r["legs"].as_array().unwrap();
            let leg = legs.iter().find(|l| l["kind"] == "ferry" && l["links"][0] == ferry);
            assert_eq!(leg.map(|l| l["usd"].as_f64().unwrap()), Some(usd), "{to} {unit}: {legs:?}");
            assert!(legs.iter().any(|l| l["kind"] == "border"), "{to}: customs at the ferry ports: {legs:?}");
            let days = r["reliability"]["p50_h"].as_f64().unwrap() / 24.0;
            assert!(days < 3.5, "Seoul to {to}: P50 {days} days");
        }
    }
    // An island with no port of the network still gets a clear error naming the nearest
    // terminals (Lombok: Surabaya, on Java, is across the Bali and Lombok straits).
    let out = corridor(&["route", "Mataram", "Singapore"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("no terminal is reachable by an estimated truck leg"), "{err}");
}
