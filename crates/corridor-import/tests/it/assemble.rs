//! Assembly: breaks of gauge, border dwell from the curated overlay, terminals, curated links,
//! gap healing, and routes on the built snapshot (with avoided countries and gauge changes).
//!
//! Fixture: two square "countries" meeting at lon 82.52 near the real Alashankou–Dostyk
//! crossing (CN west of it, KZ east), a rail line across, a road beside it, a rail island 0.5 km
//! off the line's end (healed) and one 102 km away (reported, not healed), and UN/LOCODE-like
//! terminals.

use corridor_import::assemble::{Params, assemble};
use corridor_import::overlay::Overlay;
use corridor_import::raw::function;
use corridor_import::{Countries, Layer, Mode, RawEdge, Terminal};
use corridor_snapshot::{ArcKind, Engine, Objective, Point, Profile};

fn countries() -> Countries {
    countries_of("CN", "KZ")
}

/// Two square countries, `west` and `east` of lon 82.52.
fn countries_of(west: &str, east: &str) -> Countries {
    let square = |code: &str, lon0: f64, lon1: f64| {
        format!(
            r#"{{"type":"Feature","properties":{{"ISO_A2":"{code}","ADM0_A3":"{code}X","NAME":"{code}"}},"geometry":{{"type":"Polygon","coordinates":[[[{lon0},44.0],[{lon1},44.0],[{lon1},46.5],[{lon0},46.5],[{lon0},44.0]]]}}}}"#
        )
    };
    let text = format!(
        r#"{{"type":"FeatureCollection","features":[{},{}]}}"#,
        square(west, 80.0, 82.52),
        square(east, 82.52, 86.0)
    );
    let path = std::env::temp_dir().join(format!("corridor-asm-{}-{west}{east}-countries.geojson", std::process::id()));
    std::fs::write(&path, text).unwrap();
    Countries::load(&path).unwrap()
}

/// A chain of nodes along lat 45.2 from lon `a` to `b`.
fn chain(layer: &mut Layer, a: f64, b: f64, steps: usize) -> (u32, u32) {
    let first = layer.node_count() as u32;
    for i in 0..=steps {
        layer.push_node(45.2, a + (b - a) * i as f64 / steps as f64);
    }
    for i in 0..steps as u32 {
        let (u, v) = (first + i, first + i + 1);
        let km = corridor_snapshot::snap::haversine_km(
            (layer.lat[u as usize], layer.lon[u as usize]),
            (layer.lat[v as usize], layer.lon[v as usize]),
        );
        layer.edges.push(RawEdge { u, v, km, gauge_mm: 0, oneway: false });
    }
    (first, first + steps as u32)
}

fn overlay() -> Overlay {
    let net = corridor_io::load(&corridor_io::DatasetFiles::embedded()).unwrap().network;
    Overlay::from_network(&net)
}

fn build() -> (std::path::PathBuf, corridor_import::assemble::Report) {
    let mut rail = Layer::new(Mode::Rail, "fixture rail");
    chain(&mut rail, 81.5, 83.5, 40);
    // Island 1: starts 0.5 km east of the line's end.
    chain(&mut rail, 83.5065, 84.0, 10);
    // Island 2: 60 km east of island 1, 102 km from the main line.
    chain(&mut rail, 84.8, 85.2, 8);
    let mut road = Layer::new(Mode::Road, "fixture road");
    chain(&mut road, 81.5, 83.5, 20);
    let terminals = vec![
        Terminal {
            code: "CNAAA".into(),
            name: "West terminal".into(),
            country: "CN".into(),
            lat: 45.21,
            lon: 81.5,
            functions: function::RAIL | function::ROAD,
        },
        Terminal {
            code: "KZBBB".into(),
            name: "East terminal".into(),
            country: "KZ".into(),
            lat: 45.21,
            lon: 83.5,
            functions: function::RAIL | function::ROAD,
        },
        // Road-only places add nothing a road node lacks: skipped.
        Terminal {
            code: "KZCCC".into(),
            name: "Town".into(),
            country: "KZ".into(),
            lat: 45.21,
            lon: 83.0,
            functions: function::ROAD,
        },
    ];
    let c = countries();
    let a = assemble(&[rail, road], &terminals, Some(&c), &overlay(), &Params::default(), &());
    let report = a.report.clone();
    let (data, _) = a.into_snapshot(&());
    let path = std::env::temp_dir().join(format!("corridor-asm-{}.corridor", std::process::id()));
    data.write(&path).unwrap();
    (path, report)
}

#[test]
fn assembly_places_gauges_borders_terminals_and_heals_gaps() {
    let (path, report) = build();
    // One break of gauge (CN 1435 / KZ 1520 at the border node), matched to a curated
    // transfer within 50 km (Dostyk or Alashankou).
    assert_eq!(report.gauge_changes, [1, 0], "{report:?}");
    // The rail and road lines each cross once in each direction; the curated Alashankou–Dostyk
    // crossing lies within 75 km, so the rail crossing uses its records.
    assert_eq!(report.borders[0] + report.borders[2], 4, "{report:?}");
    // The two rail terminals and the curated places within reach (Alashankou, Dostyk); the
    // road-only town is skipped. None is a port.
    assert!(report.terminals.0 >= 2 && report.terminals.1[2] == 0, "{report:?}");
    assert_eq!(report.terminals.1[0], report.terminals.0);
    // The curated Alashankou–Dostyk rail link is not laid over: the rail layer connects its ends.
    assert!(report.curated_links.1 >= 1, "{report:?}");
    // Island 1 is healed; island 2 is reported with its distance and stays apart.
    let rail_gaps: Vec<_> = report.gaps.iter().filter(|g| g.mode == Mode::Rail).collect();
    assert_eq!(rail_gaps.len(), 2, "{rail_gaps:?}");
    let healed = rail_gaps.iter().find(|g| g.healed).expect("a healed island");
    assert!(healed.nearest_main.unwrap().0 < 1.0);
    let far = rail_gaps.iter().find(|g| !g.healed).expect("an unhealed island");
    let d = far.nearest_main.unwrap().0;
    // Measured to the main component (the line ends at lon 83.5): 1.3 degrees of longitude.
    assert!((95.0..110.0).contains(&d), "{d}");
    assert!(!far.connected_in_snapshot);

    let engine = Engine::load(&path).unwrap();
    let snap = engine.snapshot();
    assert_eq!(snap.kind(), corridor_snapshot::SnapshotKind::Multimodal);
    // Gauges by country, copies at the break.
    let gauges: std::collections::BTreeSet<u16> =
        (0..snap.node_count()).filter(|&v| snap.node_mode()[v] == 0).map(|v| snap.node_gauge()[v]).collect();
    assert_eq!(gauges.into_iter().collect::<Vec<_>>(), vec![1435, 1520]);
    let dostyk = (0..snap.arc_count())
        .filter(|&a| snap.arc_kind()[a] == ArcKind::Rail as u8 && snap.label(snap.arc_label()[a]).contains("Dostyk"))
        .count();
    assert_eq!(dostyk, 2, "both directions of the rail crossing carry the curated Alashankou–Dostyk record");

    // Route by rail from the CN terminal to the KZ terminal: one gauge change and one border.
    let terminal = |code: &str| {
        (0..snap.node_count() as u32).find(|&v| snap.label(snap.node_label()[v as usize]).starts_with(code)).unwrap()
    };
    let (s, t) = (terminal("CNAAA"), terminal("KZBBB"));
    assert!((0..snap.node_count()).all(|v| !snap.label(snap.node_label()[v]).starts_with("KZCCC")));
    let p = Profile { objective: Objective::Cost, ..Profile::default() };
    let metric = engine.metric(&p);
    let (_, arcs) = engine.path(&metric, s, t).expect("a route");
    let legs = engine.legs(&p, s, &arcs);
    let kinds: Vec<ArcKind> = legs.iter().map(|l| l.kind).collect();
    assert!(kinds.contains(&ArcKind::GaugeChange) || kinds.contains(&ArcKind::Road), "{kinds:?}");
    let borders: usize = legs.iter().map(|l| l.borders.len()).sum();
    assert_eq!(borders, 1, "{legs:?}");
    let hours: f64 = legs.iter().map(|l| l.cost.hours).sum();
    assert!(hours > 0.0 && legs.iter().all(|l| l.cost.usd >= 0.0));

    // Without gauge changes the border is crossed by road: the route changes mode at the
    // terminals (it may lift onto 1520 mm rail again beyond the border, which is no gauge change).
    let p2 = p.clone().avoid_gauge_changes();
    let m2 = engine.metric(&p2);
    let (_, arcs2) = engine.path(&m2, s, t).expect("a road route");
    let legs2 = engine.legs(&p2, s, &arcs2);
    assert!(legs2.iter().all(|l| l.kind != ArcKind::GaugeChange), "{legs2:?}");
    assert!(legs2.iter().any(|l| l.kind == ArcKind::Road && !l.borders.is_empty()), "{legs2:?}");
    // Avoiding Kazakhstan leaves no route to a Kazakh terminal.
    let p3 = Profile { avoid_countries: vec!["KZ".into()], ..p.clone() };
    assert!(engine.path(&engine.metric(&p3), s, t).is_none());
    // Coordinates snap per mode.
    let r = engine.resolve_mode(Point::Coord(45.2, 82.0), 5.0, Some(corridor_snapshot::NodeMode::Rail)).unwrap();
    assert_eq!(snap.node_mode()[r.node as usize], 0);
    std::fs::remove_file(&path).ok();
}

/// The OSM graphs draw lines and roads across closed borders: the assembly lays no arc across
/// one. The fixture's line and road cross between two countries whose border is closed to every
/// mode (Armenia–Turkey), then to roads only (Finland–Russia: the Vainikkala railway is open).
#[test]
fn no_arc_crosses_a_closed_border() {
    for (west, east, rail_open) in [("AM", "TR", false), ("FI", "RU", true)] {
        let mut rail = Layer::new(Mode::Rail, "fixture rail");
        chain(&mut rail, 81.5, 83.5, 40);
        let mut road = Layer::new(Mode::Road, "fixture road");
        chain(&mut road, 81.5, 83.5, 20);
        let terminal = |code: &str, country: &str, lon: f64| Terminal {
            code: code.into(),
            name: code.into(),
            country: country.into(),
            lat: 45.21,
            lon,
            functions: function::RAIL | function::ROAD,
        };
        let terminals = vec![terminal("XXWWW", west, 81.5), terminal("XXEEE", east, 83.5)];
        let c = countries_of(west, east);
        // Without the curated links and places: the real Alashankou–Dostyk link lies on the
        // fixture's border and would be laid over the gap the closure leaves.
        let overlay = Overlay { links: Vec::new(), places: Vec::new(), ..overlay() };
        let a = assemble(&[rail, road], &terminals, Some(&c), &overlay, &Params::default(), &());
        // Both directions of the road's crossing, and of the line's where it is closed too.
        let closed = if rail_open { 2 } else { 4 };
        assert_eq!(a.report.closed_border_arcs, closed, "{west}–{east}: {:?}", a.report);
        let (data, _) = a.into_snapshot(&());
        let path = std::env::temp_dir().join(format!("corridor-asm-{}-{west}{east}.corridor", std::process::id()));
        data.write(&path).unwrap();
        let engine = Engine::load(&path).unwrap();
        let snap = engine.snapshot();
        let node = |code: &str| {
            (0..snap.node_count() as u32)
                .find(|&v| snap.label(snap.node_label()[v as usize]).starts_with(code))
                .unwrap()
        };
        let p = Profile { objective: Objective::Cost, ..Profile::default() };
        let path_found = engine.path(&engine.metric(&p), node("XXWWW"), node("XXEEE"));
        assert_eq!(path_found.is_some(), rail_open, "{west}–{east}");
        if let Some((_, arcs)) = path_found {
            let legs = engine.legs(&p, node("XXWWW"), &arcs);
            assert!(legs.iter().all(|l| l.kind != ArcKind::Road || l.borders.is_empty()), "{legs:?}");
        }
        std::fs::remove_file(&path).ok();
    }
}
