//! Integration tests of corridor-search: scenario fixtures and oracle property tests (costs,
//! continuing corridors, the sea embargo).

mod continuing;
mod embargo;
mod oracle;
mod resource;
mod scenarios;
