//! Golden exports of a route on the mini dataset (insta snapshots).

use corridor_io::export::{RouteDto, leg_description, route_csv, route_geojson};
use corridor_io::load;
use corridor_model::Graph;
use corridor_search::{RouteRequest, Router};

use crate::mini;

#[test]
fn route_exports() {
    let net = load(&mini()).expect("valid").network;
    let graph = Graph::compile(&net);
    let router = Router::new(&net, &graph);
    let req = RouteRequest::new(
        &net.defaults,
        net.location_by_code("AAONE").unwrap(),
        net.location_by_code("CCEND").unwrap(),
    );
    let route = router.route(&req).expect("route");
    let dto = RouteDto::new(&net, &route);
    insta::assert_json_snapshot!("mini_route_json", dto);
    insta::assert_json_snapshot!("mini_route_geojson", route_geojson(&dto));
    insta::assert_snapshot!("mini_route_csv", route_csv(&dto));
}

/// The wait for a sailing says when a port's backlog holds departures that way, and only then.
#[test]
fn a_wait_names_the_backlog_of_its_direction() {
    let net = load(&crate::mini_with_ferry_backlog("forward,0.24,432,528,EST-TEST", "")).expect("valid").network;
    let graph = Graph::compile(&net);
    let router = Router::new(&net, &graph);
    let wait = |from: &str, to: &str| {
        let at = |c: &str| net.location_by_code(c).unwrap();
        let route = router.route(&RouteRequest::new(&net.defaults, at(from), at(to))).expect("route");
        let leg = route.legs.iter().find(|l| matches!(l.kind, corridor_search::LegKind::Wait { .. })).expect("a wait");
        leg_description(&net, leg)
    };
    assert_eq!(
        wait("AAONE", "CCEND"),
        "wait for the next ferry departure (one every 4.0 days on average); a port backlog holds departures this way 24% of the time, 18 days on average"
    );
    assert_eq!(wait("CCEND", "AAONE"), "wait for the next ferry departure (one every 4.0 days on average)");
}
