//! Integration tests of the corridor CLI.
