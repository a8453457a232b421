//! Integration tests of corridor-cch: oracle property tests against Dijkstra on random graphs
//! and a checksum test on the real Eurasia road graph (skipped when the shared data is absent).

mod oracle;
mod road;
