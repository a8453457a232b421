mod smoke {}
mod assemble;
mod countries;
mod pbf;
mod scgraph;
mod searoute;
mod unlocode;
