//! Integration tests of corridor-assign.
