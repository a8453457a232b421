//! Integration tests of corridor-import, one module per importer and the assembly.

mod smoke {}
mod assemble;
mod countries;
mod pbf;
mod places;
mod scgraph;
mod searoute;
mod unlocode;
