//! Fuzz target `places`: what a person types as an origin or destination. The query parser
//! `corridor_places::parse_query`, then the resolver the CLI and server use
//! (`corridor_routing::Resolver` over the embedded network and the embedded place index: names,
//! aliases, UN/LOCODEs, `lat,lon`, fuzzy suggestions), built once.
//!
//! Input: the query text (lossy UTF-8: the server decodes query strings lossily too).
//! Asserts: no panic; errors carry a message.

#![no_main]

use std::sync::LazyLock;

use corridor_model::Network;
use corridor_routing::Resolver;
use libfuzzer_sys::fuzz_target;

static NETWORK: LazyLock<Network> = LazyLock::new(|| {
    corridor_io::load(&corridor_io::DatasetFiles::embedded()).expect("the embedded dataset loads").network
});
static RESOLVER: LazyLock<Resolver<'static>> = LazyLock::new(|| Resolver::new(&NETWORK));

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(e) = corridor_places::parse_query(&text) {
        assert!(!e.to_string().is_empty());
    }
    if let Err(e) = RESOLVER.resolve(&text) {
        assert!(!e.to_string().is_empty());
    }
});
