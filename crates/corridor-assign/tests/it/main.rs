//! Integration tests of corridor-assign: validation on the TNTP benchmark networks, small
//! networks with known equilibria, property tests and reader error messages.

mod props;
mod reader;
mod small;
mod tntp_validation;
