//! The published-observations reader: days and hours to hours, and every bad row reported with
//! its line and field so that no case is dropped silently.

use corridor_io::observations::parse_observations;
use corridor_routing::validation::{Basis, CaseKind, Heading, RunMode};

const HEADER: &str = "id,family,kind,mode,from,to,date,value_low,value_high,unit,basis,source_url,notes\n";

#[test]
fn rows_become_cases_in_hours() {
    let text = format!(
        "{HEADER}a,northern,run,rail,Xian,Duisburg,2024-06,12,14,days,measured,https://x,\n\
         b,northern,dwell,rail,Brest,Malaszewicze,2021,48,48,hours,upper_bound,https://y,\"queue, then\"\n"
    );
    let cases = parse_observations("obs.csv", &text).unwrap();
    assert_eq!(cases.len(), 2);
    assert_eq!(
        (cases[0].kind, cases[0].mode, cases[0].low_h, cases[0].high_h),
        (CaseKind::Run, RunMode::Rail, 288.0, 336.0)
    );
    assert_eq!((cases[1].kind, cases[1].observed_h(), cases[1].basis), (CaseKind::Dwell, 48.0, Basis::UpperBound));
    assert!(cases[0].basis.scored() && !cases[1].basis.scored());
}

#[test]
fn every_bad_row_is_reported_with_line_and_field() {
    let rows = [
        ("a,northern,trip,rail,X,Y,2024,1,1,days,measured,u", "[kind]"),
        ("b,northern,run,plane,X,Y,2024,1,1,days,measured,u", "[mode]"),
        ("c,northern,run,rail,X,Y,2024,1,1,weeks,measured,u", "[unit]"),
        ("d,northern,run,rail,X,Y,2024,5,4,days,measured,u", "[value_high]"),
        ("e,northern,run,rail,X,Y,2024,NaN,1,days,measured,u", "[value_low]"),
        ("f,northern,run,rail,X,Y,2024,1,900,days,measured,u", "[value_high]"),
        ("g,northern,run,rail,,Y,2024,1,1,days,measured,u", "[from]"),
        ("h,northern,run,rail,X,Y,2024,1,1,days,measured,", "[source_url]"),
        ("a,northern,run,rail,X,Y,2024,1,1,days,measured,u", "duplicate id"),
        ("i,northern,run,rail,X,Y,2024,0,0,days,measured,u", "must be positive"),
        ("j,northern,run,rail,X,Y,2024,1,1,days,guess,u", "[basis]"),
    ];
    let text =
        format!("{}{}\n", HEADER.replace(",notes", ""), rows.iter().map(|(r, _)| *r).collect::<Vec<_>>().join("\n"));
    let diags = parse_observations("obs.csv", &text).unwrap_err();
    let shown: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    for (i, (_, want)) in rows.iter().enumerate() {
        let line = format!("obs.csv:{}:", i + 2);
        assert!(
            shown.iter().any(|d| d.starts_with(&line) && d.contains(want)),
            "line {} should report {want:?}: {shown:#?}",
            i + 2
        );
    }
}

#[test]
fn a_missing_column_refuses_the_file() {
    let diags = parse_observations("obs.csv", "id,family,kind\na,b,run\n").unwrap_err();
    assert!(diags.iter().any(|d| d.to_string().contains("missing required column \"mode\"")), "{diags:?}");
}

#[test]
fn a_stated_direction_is_read_and_a_wrong_one_refused() {
    let header = "id,family,kind,mode,from,to,date,value_low,value_high,unit,basis,source_url,direction\n";
    let ok = format!(
        "{header}a,x,dwell,truck,P,P,2017,2,2,hours,measured,u,eastbound\nb,x,run,rail,X,Y,2024,1,1,days,measured,u,n/a\n\
         c,x,run,rail,X,Y,2024,1,1,days,measured,u,\n"
    );
    let cases = parse_observations("obs.csv", &ok).unwrap();
    let headings: Vec<_> = cases.iter().map(|c| c.heading).collect();
    assert_eq!(headings, [Some(Heading::East), None, None]);
    let bad = format!("{header}a,x,run,rail,X,Y,2024,1,1,days,measured,u,sideways\n");
    let diags = parse_observations("obs.csv", &bad).unwrap_err();
    assert!(
        diags.iter().any(|d| d.to_string().starts_with("obs.csv:2:") && d.to_string().contains("[direction]")),
        "{diags:?}"
    );
}

#[test]
fn a_run_may_name_the_places_it_went_round_or_through() {
    let text = "id,family,kind,mode,from,to,date,value_low,value_high,unit,basis,source_url,avoid_location,via\n\
                cape,sea,run,sea,Shanghai,Rotterdam,2025-06,45,48,days,measured,https://x,Port Said,\n\
                suez,sea,run,sea,Shanghai,Rotterdam,2025-06,32,32,days,average,https://x,,\n\
                mongolia,cmrec,run,rail,Wuhu,Moscow,2025-03,21,21,days,scheduled,https://x,,Erenhot|Naushki\n";
    let cases = parse_observations("obs.csv", text).unwrap();
    assert_eq!(cases[0].avoid_location, ["Port Said"]);
    assert!(cases[1].avoid_location.is_empty() && cases[1].via.is_empty());
    assert_eq!(cases[2].via, ["Erenhot", "Naushki"]);
}
