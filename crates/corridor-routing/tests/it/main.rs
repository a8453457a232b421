//! Integration tests of the routing pipeline: place resolution on real names, access legs.

mod access;
mod places;
mod query;
mod validation;

/// The embedded default network.
pub fn network() -> corridor_model::Network {
    corridor_io::load(&corridor_io::DatasetFiles::embedded()).expect("embedded dataset loads").network
}
