//! Integration tests of corridor-cch: oracle property tests against Dijkstra on random graphs,
//! a checksum test on the real Eurasia road graph and 10,000-query checksums against Dijkstra
//! on the real Eurasia rail and road graphs (skipped when the shared data is absent).

mod checksum10k;
mod oracle;
mod real;
mod road;
