//! Golden exports of a route on the mini dataset (insta snapshots).

use corridor_io::export::{RouteDto, route_csv, route_geojson};
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
