//! Integration tests of corridor-search: scenario fixtures and oracle property tests.

mod continuing;
mod oracle;
mod scenarios;
