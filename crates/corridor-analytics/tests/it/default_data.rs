//! The default dataset and 2024 demand: bottlenecks, scenario shifts and resilience.

use corridor_analytics::commands::{AssignMethod, default_inputs, run_assignment, scenario_pair};
use corridor_analytics::*;

fn scenario(name: &str) -> Scenario {
    let path = format!("{}/../../scenarios/{name}.toml", env!("CARGO_MANIFEST_DIR"));
    Scenario::parse(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn flow(r: &FlowReport, link: &str) -> f64 {
    r.links.iter().find(|l| l.link == link).map_or(0.0, |l| l.forward_teu_year + l.reverse_teu_year)
}

fn corridor(r: &FlowReport, c: &str) -> f64 {
    r.corridors.iter().find(|x| x.corridor == c).map_or(0.0, |x| x.teu_km_year)
}

#[test]
fn default_demand_and_capacities_load_with_sources() {
    let (model, demand) = default_inputs().unwrap();
    // Rail via Russia 330,700 westbound + 49,730 eastbound (UTLC ERA), the Middle Corridor and INSTC.
    assert!((demand.total_teu_year() - (330_700.0 + 49_730.0 + 56_500.2 + 54_750.0)).abs() < 1.0);
    assert!(model.capacities.rows.len() >= 9);
    // A broken row is reported as file:line:field.
    let bad = "from,to,teu_year,src,notes\nCNXIA,NOWHERE,5,DEM-TITR-2024,\nCNXIA,DEDUI,x,DEM-TITR-2024,\nCNXIA,DEDUI,5,NOPE,\n";
    let errs = Demand::parse(&model.network, "d.csv", bad).unwrap_err();
    let msgs: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
    assert_eq!(msgs.len(), 3, "{msgs:?}");
    assert!(msgs[0].starts_with("d.csv:2:to:"), "{msgs:?}");
    assert!(msgs[1].starts_with("d.csv:3:teu_year:"), "{msgs:?}");
    assert!(msgs[2].starts_with("d.csv:4:src:"), "{msgs:?}");
    // Every embedded cell is bound to the corridor its source counted; an unknown corridor is
    // an error naming the known ones, and the column may be left out.
    assert!(demand.cells.iter().all(|c| c.corridor.is_some()));
    let bad = "from,to,teu_year,src,notes,corridor\nCNXIA,DEDUI,5,DEM-TITR-2024,,nope\n";
    let errs = Demand::parse(&model.network, "d.csv", bad).unwrap_err();
    assert!(
        errs[0].to_string().starts_with("d.csv:2:corridor: unknown corridor \"nope\" (known: northern"),
        "{errs:?}"
    );
    let free =
        Demand::parse(&model.network, "d.csv", "from,to,teu_year,src,notes\nCNXIA,DEDUI,5,DEM-TITR-2024,\n").unwrap();
    assert_eq!(free.cells[0].corridor, None);
    let errs = Capacities::parse(
        &model.network,
        "c.csv",
        "element_kind,element_id,teu_week,src,notes\nborder,b-nope,5,CAP-ALAT-PH1,\n",
    )
    .unwrap_err();
    assert!(errs[0].to_string().starts_with("c.csv:2:element_id:"));
}

#[test]
fn equilibrium_converges_and_hard_capacity_serves_all_2024_demand() {
    let (model, demand) = default_inputs().unwrap();
    let eq = run_assignment(&model, &demand, AssignMethod::Equilibrium).unwrap();
    let Method::Equilibrium { relative_gap, .. } = eq.method else { panic!() };
    assert!(relative_gap <= 1e-4);
    assert!(eq.totals.unserved_teu < 1.0);
    let hc = run_assignment(&model, &demand, AssignMethod::HardCapacity).unwrap();
    assert!(hc.totals.unserved_teu < 1.0);
    for e in &hc.elements {
        assert!(e.utilisation <= 1.0 + 1e-9, "{e:?}");
    }
    // The Caspian crossing is among the most loaded capacitated elements.
    assert!(eq.elements.iter().take(3).any(|e| e.element.contains("f-kuryk-alat")), "{:#?}", &eq.elements[..3]);
}

#[test]
fn caspian_nears_capacity_under_the_2029_titr_target_and_doubling_moves_flow_to_the_middle_corridor() {
    let (model, demand) = default_inputs().unwrap();
    let grown = demand.grown(&Growth::presets()[1]);
    let (base, doubled) =
        scenario_pair(&model, &grown, None, &scenario("caspian_capacity_doubled"), AssignMethod::HardCapacity).unwrap();
    // The Kuryk–Alat ferry runs at 90% or more of its capacity (it bound outright while box prices
    // were per tonne-km; with per-box prices Alashankou–Dostyk binds first).
    let kuryk = base.elements.iter().find(|e| e.element == "link:f-kuryk-alat (forward)").unwrap();
    assert!(kuryk.utilisation >= 0.9, "{kuryk:#?}");
    let binding: Vec<&ElementLoad> =
        base.elements.iter().filter(|e| e.shadow_price_usd.unwrap_or(0.0) > 0.0 && e.utilisation > 0.999).collect();
    assert!(!binding.is_empty(), "{:#?}", &base.elements[..5]);
    // Below its capacity, doubling the Caspian cannot take flow away from the Middle Corridor.
    assert!(corridor(&doubled, "middle") >= corridor(&base, "middle") * (1.0 - 1e-9));
    // Same with the equilibrium. The demand is bound to the corridor its volume was counted
    // on, so the Middle Corridor's boxes all cross the Caspian before and after (by ferry or
    // feeder, `f-`/`c-` links into Alat), and the doubled crossing cannot pull boxes from the
    // other corridors; what changes is where and how long they wait.
    let (qb, qd) =
        scenario_pair(&model, &grown, None, &scenario("caspian_capacity_doubled"), AssignMethod::Equilibrium).unwrap();
    let caspian = |r: &FlowReport| -> f64 {
        r.elements
            .iter()
            .filter(|e| {
                (e.element.starts_with("link:f-") || e.element.starts_with("link:c-")) && e.element.contains("alat")
            })
            .map(|e| e.load_teu_week)
            .sum()
    };
    let middle_week = grown
        .cells
        .iter()
        .filter(|c| c.corridor == model.network.corridor_by_code("middle"))
        .map(|c| c.teu_year)
        .sum::<f64>()
        / WEEKS_PER_YEAR;
    for r in [&qb, &qd] {
        assert!((caspian(r) - middle_week).abs() <= 1e-6 * middle_week, "{} vs {middle_week}", caspian(r));
    }
    // Each box waits less at Kuryk.
    let kuryk =
        |r: &FlowReport| r.elements.iter().find(|e| e.element == "link:f-kuryk-alat (forward)").unwrap().delay_h;
    assert!(kuryk(&qd) < kuryk(&qb));
}

#[test]
fn dostyk_closed_shifts_flow_to_khorgos_and_other_corridors() {
    let (model, demand) = default_inputs().unwrap();
    for method in [AssignMethod::Equilibrium, AssignMethod::HardCapacity] {
        let (base, closed) = scenario_pair(&model, &demand, None, &scenario("dostyk_closed"), method).unwrap();
        assert!(flow(&base, "r-alashankou-dostyk") > 1000.0);
        assert_eq!(flow(&closed, "r-alashankou-dostyk"), 0.0);
        assert!(flow(&closed, "r-khorgos-altynkol") > flow(&base, "r-khorgos-altynkol") + 1000.0);
        assert!(closed.totals.generalized_usd > base.totals.generalized_usd);
        assert!(closed.totals.unserved_teu < 1.0);
    }
}

#[test]
fn rasht_astara_applies_to_the_default_network() {
    let (model, demand) = default_inputs().unwrap();
    let (base, with_line) =
        scenario_pair(&model, &demand, None, &scenario("rasht_astara"), AssignMethod::HardCapacity).unwrap();
    assert!(with_line.totals.generalized_usd <= base.totals.generalized_usd + 1e-6);
}

#[test]
fn resilience_ranks_every_busy_element() {
    let (model, demand) = default_inputs().unwrap();
    let calls = std::sync::atomic::AtomicUsize::new(0);
    let r = resilience(&model, &demand, Some(40), &HardCapacityConfig::default(), &|_, _| {
        calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    })
    .unwrap();
    assert_eq!(r.ranking.len(), 40);
    assert_eq!(calls.into_inner(), 40);
    assert!(r.ranking[0].score_usd_year >= r.ranking[39].score_usd_year);
    // The loss counts unserved TEU at the penalty; the rerouting part alone falls when demand
    // bound to a corridor goes unserved.
    assert!(r.ranking.iter().all(|c| c.score_usd_year > -1.0), "losing an element never helps");
    assert!(render_resilience(&r, 10, 50_000.0).contains("rank"));
}

/// Not a test of behaviour: prints the tables for the record (`--ignored --nocapture`).
#[test]
#[ignore]
fn print_default_tables() {
    let (model, demand) = default_inputs().unwrap();
    let t = std::time::Instant::now();
    eprintln!(
        "{}",
        corridor_analytics::commands::assign_command(&model, &demand, AssignMethod::Equilibrium, 10).unwrap()
    );
    eprintln!(
        "{}",
        corridor_analytics::commands::assign_command(&model, &demand, AssignMethod::HardCapacity, 10).unwrap()
    );
    for s in ["dostyk_closed", "caspian_capacity_doubled", "rasht_astara"] {
        eprintln!("== {s}");
        eprintln!(
            "{}",
            corridor_analytics::commands::scenario_diff_command(
                &model,
                &demand,
                None,
                &scenario(s),
                AssignMethod::Equilibrium
            )
            .unwrap()
        );
    }
    let grown = demand.grown(&Growth::presets()[1]);
    eprintln!("== caspian doubled, titr-2029 demand, hard capacity");
    eprintln!(
        "{}",
        corridor_analytics::commands::assign_command(&model, &grown, AssignMethod::HardCapacity, 6).unwrap()
    );
    eprintln!(
        "{}",
        corridor_analytics::commands::scenario_diff_command(
            &model,
            &grown,
            None,
            &scenario("caspian_capacity_doubled"),
            AssignMethod::HardCapacity
        )
        .unwrap()
    );
    let t2 = std::time::Instant::now();
    eprintln!("{}", corridor_analytics::commands::resilience_command(&model, &demand, None, &|_, _| {}).unwrap());
    eprintln!("resilience {:?} total {:?}", t2.elapsed(), t.elapsed());
}
