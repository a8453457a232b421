//! Benchmarks of the pipeline's new steps on the embedded data: place resolution (a name, a
//! transliteration variant, a coordinate, a misspelling's suggestions), access/egress
//! preparation, a door-to-door route from a place outside the network (prepare, compile and
//! search), and a table with a sea-only port (its cells searched again with its truck legs).
//! Run with `cargo bench -p corridor-routing --bench pipeline`.

use std::hint::black_box;

use corridor_io::{DatasetFiles, load};
use corridor_model::Graph;
use corridor_routing::{Endpoint, Query, Resolver, prepare};
use corridor_search::Router;
use criterion::{Criterion, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let net = load(&DatasetFiles::embedded()).expect("embedded dataset").network;
    let resolver = Resolver::new(&net);
    c.bench_function("open_embedded_place_index", |b| {
        b.iter(|| {
            let e = corridor_places::PlaceIndex::open(
                std::borrow::Cow::Borrowed(include_str!("../../../data/places/places.tsv")),
                std::borrow::Cow::Borrowed(include_bytes!("../../../data/places/keys.fst")),
                std::borrow::Cow::Borrowed(include_bytes!("../../../data/places/postings.bin")),
            );
            black_box(e.is_ok())
        })
    });
    c.bench_function("resolve_name_qingdao", |b| b.iter(|| black_box(resolver.resolve("Qingdao").is_ok())));
    c.bench_function("resolve_variant_zabaikalsk", |b| b.iter(|| black_box(resolver.resolve("Zabaikalsk").is_ok())));
    // The first coordinate query parses every place's position once; later ones reuse it.
    let _ = resolver.resolve("36.07,120.38");
    c.bench_function("resolve_coordinate", |b| b.iter(|| black_box(resolver.resolve("36.07,120.38").is_ok())));
    c.bench_function("suggest_misspelling", |b| b.iter(|| black_box(resolver.resolve("Qingdoa").is_err())));
    // `corridor locations` / `/v1/locations`: a network location found by a name only the place
    // index gives it (Termez is Tirmiz), and an empty query listing every location.
    c.bench_function("search_core_alias_termez", |b| b.iter(|| black_box(resolver.search_core("Termez").len())));
    c.bench_function("search_core_all", |b| b.iter(|| black_box(resolver.search_core("").len())));
    // Unknown names: an 8-letter one (edit distance 2 over every key) and a 37-letter garbage
    // one, the cheap way to spend a server's CPU that the fuzzers found.
    c.bench_function("suggest_unknown_atlantis", |b| b.iter(|| black_box(resolver.resolve("Atlantis").is_err())));
    let garbage = "Qwertzuiopasdfghjklyxcvbnmqwertzuiopa";
    c.bench_function("suggest_unknown_37_letters", |b| b.iter(|| black_box(resolver.resolve(garbage).is_err())));
    // The origin must lie outside the network, or these measure nothing: Qingdao, their first
    // origin, became a network location and left them timing a no-op (about 50 ns) unnoticed.
    let (rizhao, baku) = (resolver.resolve("Rizhao").unwrap(), resolver.resolve("Baku").unwrap());
    assert!(matches!(rizhao.endpoint, Endpoint::Outside(_)), "Rizhao must be outside the network");
    c.bench_function("prepare_access_rizhao_baku", |b| {
        b.iter(|| black_box(prepare(&net, &rizhao.endpoint, &baku.endpoint).unwrap().access.len()))
    });
    // A place whose straight lines to its terminals cross the sea: the lines are drawn round the
    // coast (`landmass::land_line`), the costliest access case.
    let (jadida, shanghai) = (resolver.resolve("El Jadida").unwrap(), resolver.resolve("Shanghai").unwrap());
    assert!(matches!(jadida.endpoint, Endpoint::Outside(_)), "El Jadida must be outside the network");
    let p = prepare(&net, &jadida.endpoint, &shanghai.endpoint).unwrap();
    assert!(p.access[0].candidates.iter().any(|c| !c.turns.is_empty()), "El Jadida's legs must turn at the coast");
    c.bench_function("prepare_access_el_jadida_shanghai", |b| {
        b.iter(|| black_box(prepare(&net, &jadida.endpoint, &shanghai.endpoint).unwrap().access.len()))
    });
    // A place whose legs to terminals through a third country run by the curated border posts
    // (Khorugh: Gilgit, in Pakistan, through Afghanistan by Torkham and Sher Khan Bandar).
    let khorugh = resolver.resolve("Khorugh").unwrap();
    let p = prepare(&net, &khorugh.endpoint, &baku.endpoint).unwrap();
    assert!(p.access[0].candidates.iter().any(|c| !c.posts.is_empty()), "Khorugh's legs must cross at posts");
    c.bench_function("prepare_access_khorugh_baku", |b| {
        b.iter(|| black_box(prepare(&net, &khorugh.endpoint, &baku.endpoint).unwrap().access.len()))
    });
    // A place whose six nearest terminals are ports off the land network (Madurai, in southern
    // India): the nearest terminal on it is sought further out and offered as well.
    let madurai = resolver.resolve("Madurai").unwrap();
    let p = prepare(&net, &madurai.endpoint, &baku.endpoint).unwrap();
    assert!(p.access[0].candidates.len() > corridor_routing::access::MAX_CANDIDATES, "Madurai's extra candidate");
    c.bench_function("prepare_access_madurai_baku", |b| {
        b.iter(|| black_box(prepare(&net, &madurai.endpoint, &baku.endpoint).unwrap().access.len()))
    });
    // Two outside places 10 km apart: their legs to the terminals and the direct leg between them.
    let (formby, maghull) = (resolver.resolve("Formby, GB").unwrap(), resolver.resolve("Maghull, GB").unwrap());
    let p = prepare(&net, &formby.endpoint, &maghull.endpoint).unwrap();
    assert!(p.access[0].direct.is_some(), "Formby's direct leg to Maghull");
    c.bench_function("prepare_access_formby_maghull", |b| {
        b.iter(|| black_box(prepare(&net, &formby.endpoint, &maghull.endpoint).unwrap().access.len()))
    });
    // Two core ends: the network is borrowed, and only the check that an end has a road or
    // rail link (`access::landless`) runs; a sea-only port end (Yangon) adds its truck legs.
    let xian = resolver.resolve("Xi'an").unwrap();
    assert!(matches!(xian.endpoint, Endpoint::Core(_)) && matches!(baku.endpoint, Endpoint::Core(_)));
    c.bench_function("prepare_core_xian_baku", |b| {
        b.iter(|| black_box(prepare(&net, &xian.endpoint, &baku.endpoint).unwrap().from))
    });
    // The check's worst case for an end with roads: Imphal's first road or rail link comes late
    // in the links (4,084 of 4,894), so the check passes over nearly all of them.
    let imphal = resolver.resolve("Imphal").unwrap();
    assert!(matches!(prepare(&net, &imphal.endpoint, &baku.endpoint).unwrap().network, std::borrow::Cow::Borrowed(_)));
    c.bench_function("prepare_core_imphal_baku", |b| {
        b.iter(|| black_box(prepare(&net, &imphal.endpoint, &baku.endpoint).unwrap().from))
    });
    let yangon = resolver.resolve("Yangon").unwrap();
    assert!(matches!(yangon.endpoint, Endpoint::Core(_)), "Yangon must be a network location");
    assert!(matches!(prepare(&net, &yangon.endpoint, &baku.endpoint).unwrap().network, std::borrow::Cow::Owned(_)));
    c.bench_function("prepare_core_landless_yangon_baku", |b| {
        b.iter(|| black_box(prepare(&net, &yangon.endpoint, &baku.endpoint).unwrap().network.links.len()))
    });
    // A table whose one source is a sea-only port: the plain table, and `access::table`, which
    // searches the port's row again on the network with its truck legs (copy, compile, tree).
    let graph = Graph::compile(&net);
    let router = Router::new(&net, &graph);
    let id = |code: &str| net.location_by_code(code).expect("core location");
    let targets: Vec<_> = ["CNKMG", "CNCQI", "CNSGH", "THLCH", "INNSA", "DEDUI"].iter().map(|c| id(c)).collect();
    let req = Query::default().table_request(&net, id("MMRGN"), targets[0]).unwrap();
    c.bench_function("table_yangon_6_plain", |b| {
        b.iter(|| black_box(router.table(&req, &[id("MMRGN")], &targets).unwrap().len()))
    });
    c.bench_function("table_yangon_6_with_truck_legs", |b| {
        b.iter(|| black_box(corridor_routing::access::table(&router, &req, &[id("MMRGN")], &targets).unwrap().len()))
    });
    c.bench_function("route_door_to_door_rizhao_baku", |b| {
        b.iter(|| {
            let p = prepare(&net, &rizhao.endpoint, &baku.endpoint).unwrap();
            let graph = Graph::compile(&p.network);
            let req = Query::default().core_request(&p.network, p.from, p.to).unwrap();
            black_box(Router::new(&p.network, &graph).route(&req).unwrap().totals.hours)
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = bench
}
criterion_main!(benches);
