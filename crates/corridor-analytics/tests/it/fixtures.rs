//! Small fixture networks with answers computed by hand.

use corridor_analytics::*;
use corridor_model::fixture;

use crate::demand;

/// Two parallel rail routes A→B: a cheap one through C with capacity 100 TEU/week and a dear
/// one through D without capacity. (Value of time 1 USD/h, carbon price 0 in fixtures.)
fn two_routes() -> corridor_model::Network {
    let mut net = fixture::parse(
        "locations:
           A CN rail1435
           B CN rail1435
           C CN rail1435
           D CN rail1435
         links:
           A-C rail1435 km=100 h=10 usd=100
           C-B rail1435 km=100 h=10 usd=100
           A-D rail1435 km=100 h=10 usd=300
           D-B rail1435 km=100 h=10 usd=300",
    );
    net.links[0].capacity_teu_week = Some(100.0);
    net
}

fn load(r: &FlowReport, link: &str) -> f64 {
    r.links.iter().find(|l| l.link == link).map_or(0.0, |l| l.forward_teu_year + l.reverse_teu_year) / WEEKS_PER_YEAR
}

#[test]
fn hard_capacity_splits_at_capacity_with_the_cost_difference_as_shadow_price() {
    let net = two_routes();
    let p = Prepared::new(&net, &Capacities::default(), &demand(&net, &[("A", "B", 150.0)]));
    let r = hard_capacity(&p, &HardCapacityConfig::default()).unwrap();
    assert!((load(&r, "A-C") - 100.0).abs() < 1e-6);
    assert!((load(&r, "A-D") - 50.0).abs() < 1e-6);
    assert_eq!(r.totals.unserved_teu, 0.0);
    // Route costs: 2 x (100 + 10 h x 1 USD/h) = 220 vs 2 x 310 = 620: one more TEU/week of
    // capacity saves 400 per week.
    let e = r.elements.iter().find(|e| e.element == "link:A-C (forward)").unwrap();
    assert!((e.shadow_price_usd.unwrap() - 400.0).abs() < 1e-6, "{e:?}");
    assert!((e.utilisation - 1.0).abs() < 1e-9);
    let reverse = r.elements.iter().find(|e| e.element == "link:A-C (reverse)").unwrap();
    assert_eq!(reverse.shadow_price_usd, Some(0.0));
}

#[test]
fn demand_beyond_all_capacity_is_unserved_at_the_penalty_price() {
    let mut net = two_routes();
    net.links[2].capacity_teu_week = Some(20.0);
    let p = Prepared::new(&net, &Capacities::default(), &demand(&net, &[("A", "B", 150.0)]));
    let cfg = HardCapacityConfig { unserved_penalty_usd: 10_000.0 };
    let r = hard_capacity(&p, &cfg).unwrap();
    assert!((r.totals.unserved_teu / WEEKS_PER_YEAR - 30.0).abs() < 1e-6);
    let e = |name: &str| r.elements.iter().find(|e| e.element == name).unwrap().shadow_price_usd.unwrap();
    assert!((e("link:A-C (forward)") - (10_000.0 - 220.0)).abs() < 1e-6);
    assert!((e("link:A-D (forward)") - (10_000.0 - 620.0)).abs() < 1e-6);
    assert_eq!(r.unserved.len(), 1);
}

#[test]
fn equilibrium_equalises_route_costs_and_converges() {
    let net = two_routes();
    let p = Prepared::new(&net, &Capacities::default(), &demand(&net, &[("A", "B", 150.0)]));
    let flows = equilibrium(&p, &EquilibriumConfig::default()).unwrap();
    assert!(flows.converged && flows.relative_gap <= 1e-4);
    let r = assign_equilibrium(&p, &EquilibriumConfig::default()).unwrap();
    let cheap = load(&r, "A-C");
    let dear = load(&r, "A-D");
    assert!((cheap + dear - 150.0).abs() < 1e-6);
    // The linearised Davidson form lets the flow exceed capacity slightly, at a steep price.
    assert!(cheap > 90.0 && cheap < 101.0, "the queue holds the cheap route near capacity: {cheap}");
    // Both used: cheap route cost incl. the valued delay equals the dear one (400 USD more),
    // so the delay at A-C is about 400 h at 1 USD/h.
    let delay = r.elements.iter().find(|e| e.element == "link:A-C (forward)").unwrap().delay_h;
    assert!((delay - 400.0).abs() < 400.0 * 1e-3, "{delay} {cheap} {dear}");
}

#[test]
fn an_od_without_path_is_unserved_in_both_methods() {
    let net = fixture::parse(
        "locations:
           A CN rail1435
           B CN rail1435
           E CN road
         links:
           A-B rail1435 km=100 h=10 usd=100",
    );
    let d = demand(&net, &[("A", "B", 10.0), ("A", "E", 5.0)]);
    let p = Prepared::new(&net, &Capacities::default(), &d);
    for r in [
        hard_capacity(&p, &HardCapacityConfig::default()).unwrap(),
        assign_equilibrium(&p, &EquilibriumConfig::default()).unwrap(),
    ] {
        assert!((r.totals.unserved_teu / WEEKS_PER_YEAR - 5.0).abs() < 1e-6);
        assert!((r.totals.served_teu / WEEKS_PER_YEAR - 10.0).abs() < 1e-6);
    }
}

#[test]
fn transfer_and_border_capacities_bind_their_direction_only() {
    let net = fixture::parse(
        "locations:
           A CN rail1435
           B KZ rail1435|rail1520
           C KZ rail1520|road
           D CN rail1435|road
         links:
           A-B rail1435 km=10 h=1 usd=10
           B-C rail1520 km=10 h=1 usd=10
           A-D rail1435 km=10 h=1 usd=10
           D-C road km=10 h=1 usd=500
         transfers:
           B rail1435>rail1520 h=2 usd=20
           D rail1435>road h=1 usd=5
           C road>rail1520 h=1 usd=5
         borders:
           A-B h=5 usd=50 id=b-ab
           D-C h=5 usd=50 id=b-dc",
    );
    let caps = Capacities {
        rows: vec![CapacityRow {
            element: Element::parse("transfer", "B:rail1435>rail1520").unwrap(),
            teu_week: 40.0,
            sources: vec![],
            notes: String::new(),
        }],
    };
    let p = Prepared::new(&net, &caps, &demand(&net, &[("A", "C", 100.0)]));
    assert_eq!(p.constraints.len(), 1, "only the named direction is constrained");
    let r = hard_capacity(&p, &HardCapacityConfig::default()).unwrap();
    assert!((load(&r, "B-C") - 40.0).abs() < 1e-6);
    assert!((load(&r, "D-C") - 60.0).abs() < 1e-6);
    assert!(r.elements[0].shadow_price_usd.unwrap() > 0.0);
}

#[test]
fn renderings_contain_the_elements_and_valid_geojson() {
    let net = two_routes();
    let p = Prepared::new(&net, &Capacities::default(), &demand(&net, &[("A", "B", 150.0)]));
    let r = hard_capacity(&p, &HardCapacityConfig::default()).unwrap();
    let table = render_assignment_table(&r, 5);
    assert!(table.contains("link:A-C (forward)"), "{table}");
    // More rows asked than elements with a capacity: the table says so.
    let n = r.elements.len();
    assert!(n < 50);
    let all = render_assignment_table(&r, 50);
    assert!(
        all.contains(&format!("(50 rows asked; the network has {n} elements with a capacity, and all are listed)")),
        "{all}"
    );
    assert!(!render_assignment_table(&r, n).contains("rows asked"));
    let csv = elements_csv(&r);
    assert!(csv.starts_with("rank,element,name,load_teu_week"));
    assert!(flows_csv(&r).lines().count() == 5);
    let gj = flows_geojson(&net, &r);
    let f = &gj["features"];
    assert_eq!(f.as_array().unwrap().len(), 4);
    let widths: Vec<f64> = f.as_array().unwrap().iter().map(|x| x["properties"]["width"].as_f64().unwrap()).collect();
    assert!(widths.iter().any(|&w| (w - 12.0).abs() < 1e-9));
    // [lon, lat]: the fixture puts location i at lon = i, lat = 0.
    assert_eq!(f[0]["geometry"]["coordinates"][0][1].as_f64(), Some(0.0));
}
