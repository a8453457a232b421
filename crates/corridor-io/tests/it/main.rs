//! Integration tests of corridor-io.
