//! The corridor choice: a logit whose constants reproduce the calibration volumes, with θ read
//! off the price ranges, predicting a held-out direction by hand-computed shares; and on the
//! default data, the 2024 westbound volumes within 10% with the eastbound rail share held out.

use corridor_analytics::commands::run_choice;
use corridor_analytics::*;
use corridor_model::{Source, SourceStatus, fixture};

use crate::demand;

/// China (E, 110° E) and Europe (W, 10° E) joined by a sea lane `s` and a rail line `r`, each with
/// a backhaul price and a range (value of time 1 USD/h in fixtures).
fn two_corridors() -> corridor_model::Network {
    let mut net = fixture::parse(
        "locations:
           E CN rail1435|sea
           W DE rail1435|sea
         corridors:
           s r
         links:
           E-W sea km=20000 h=800 usd=2000 back=300 p10=0.7 p90=1.5 corridors=s
           E-W rail1435 km=10000 h=400 usd=4000 back=3700 p10=0.8 p90=1.3 corridors=r",
    );
    net.locations[0].lon = 110.0;
    net.locations[1].lon = 10.0;
    net.sources.push(Source {
        code: "OBS".into(),
        status: SourceStatus::Stated,
        title: "observed".into(),
        url: String::new(),
        note: String::new(),
    });
    net
}

const SPEC: &str = r#"
[[alternative]]
id = "sea"
name = "Sea"
corridors = ["s"]
[[alternative]]
id = "rail"
name = "Rail"
corridors = ["r"]
[[observed]]
alternative = "sea"
direction = "westbound"
teu_year = 950
role = "calibrate"
src = "OBS"
[[observed]]
alternative = "rail"
direction = "westbound"
teu_year = 50
role = "calibrate"
src = "OBS"
[[observed]]
alternative = "rail"
direction = "eastbound"
teu_year = 20
role = "validate"
src = "OBS"
"#;

fn modelled(r: &ChoiceReport, alt: &str, way: Way) -> f64 {
    r.rows.iter().find(|x| x.alternative == alt && x.direction == way).unwrap().modelled
}

#[test]
fn constants_reproduce_the_calibration_rows_and_predict_the_other_direction() {
    let net = two_corridors();
    let graph = corridor_model::Graph::compile(&net);
    let router = corridor_search::Router::new(&net, &graph);
    let wk = WEEKS_PER_YEAR;
    let market = demand(&net, &[("E", "W", 1000.0 / wk), ("W", "E", 300.0 / wk)]);
    let spec = ChoiceSpec::parse(&net, "spec.toml", SPEC).unwrap();
    let r = choice(&router, &market, &spec).unwrap();
    assert!((modelled(&r, "sea", Way::Westbound) - 950.0).abs() < 1e-6, "{r:#?}");
    assert!((modelled(&r, "rail", Way::Westbound) - 50.0).abs() < 1e-6, "{r:#?}");
    assert_eq!(r.constants[0], 0.0);
    // By hand: GC = price + 1 USD/h x hours; θ = 2 ln 9 / mean(P90 − P10) of the cell.
    let theta_w = 2.0 * 9f64.ln() / ((2000.0 * 0.8 + 4000.0 * 0.5) / 2.0);
    let theta_e = 2.0 * 9f64.ln() / ((300.0 * 0.8 + 3700.0 * 0.5) / 2.0);
    let asc = (50.0f64 / 950.0).ln() + theta_w * ((4000.0 + 400.0) - (2000.0 + 800.0));
    assert!((r.constants[1] - asc).abs() < 1e-9, "{} vs {asc}", r.constants[1]);
    let share_e = 1.0 / (1.0 + (-(asc - theta_e * ((3700.0 + 400.0) - (300.0 + 800.0)))).exp());
    assert!((modelled(&r, "rail", Way::Eastbound) - 300.0 * share_e).abs() < 1e-6, "{r:#?}");
    let text = render_choice(&r);
    assert!(text.contains("calibrated, within 10%") && text.contains("held out:"), "{text}");
}

#[test]
fn a_bad_specification_is_refused_with_its_reason() {
    let net = two_corridors();
    for (spec, want) in [
        (SPEC.replace("corridors = [\"r\"]", "corridors = [\"x\"]"), "unknown corridor \"x\""),
        (SPEC.replace("src = \"OBS\"", "src = \"NOPE\""), "unknown source \"NOPE\""),
        (SPEC.replace("teu_year = 50", "teu_year = -5"), "must be positive"),
        (SPEC.replace("role = \"validate\"", "role = \"calibrate\""), "one direction"),
        (SPEC.replace("corridors = [\"r\"]", "corridors = [\"s\"]"), "in two alternatives"),
        (
            SPEC.replace(
                "alternative = \"rail\"\ndirection = \"westbound\"",
                "alternative = \"rail\"\ndirection = \"eastbound\"",
            ),
            "one direction",
        ),
        ("[[alternative]]\nid = 1".to_string(), "spec.toml"),
    ] {
        let e = ChoiceSpec::parse(&net, "spec.toml", &spec).unwrap_err().to_string();
        assert!(e.contains(want), "{want:?} not in {e:?}");
    }
}

/// The default data: the 2024 westbound volumes (sea 13.6M, rail via Russia 330,700, Middle
/// Corridor 28,800 TEU) come out within 10% (they calibrate the constants); the eastbound rail
/// volume (49,730 TEU) is held out and only reported.
#[test]
fn default_choice_reproduces_the_2024_westbound_volumes() {
    let net = corridor_io::load(&corridor_io::DatasetFiles::embedded()).unwrap().network;
    let graph = corridor_model::Graph::compile(&net);
    let r = run_choice(
        &corridor_search::Router::new(&net, &graph),
        &("market_2024.csv".into(), DEFAULT_MARKET_CSV.into()),
        &("choice_2024.toml".into(), DEFAULT_CHOICE_TOML.into()),
    )
    .unwrap();
    for row in r.rows.iter().filter(|x| x.role == Some(Role::Calibrate)) {
        let obs = row.observed.unwrap();
        assert!((row.modelled / obs - 1.0).abs() <= 0.10, "{row:?}");
    }
    assert_eq!(r.cells_without_route, 0);
    // Rail via Russia costs more than the sea per box: its constant is a penalty on top.
    assert!(r.constants_usd[1] < 0.0, "{:?}", r.constants_usd);
    // The held-out eastbound rail share is smaller than the westbound one: the sea backhaul is
    // far cheaper than the headhaul, the rail backhaul only 7% cheaper.
    let share = |w: Way| {
        let total: f64 = r.rows.iter().filter(|x| x.direction == w).map(|x| x.modelled).sum();
        modelled(&r, "rail-russia", w) / total
    };
    assert!(share(Way::Eastbound) < share(Way::Westbound), "{r:#?}");
}
