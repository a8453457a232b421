mod smoke {}
mod assemble;
mod countries;
mod pbf;
mod places;
mod scgraph;
mod searoute;
mod unlocode;
