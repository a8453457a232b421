//! Integration tests of corridor-search: scenario fixtures and oracle property tests.

mod oracle;
mod scenarios;
