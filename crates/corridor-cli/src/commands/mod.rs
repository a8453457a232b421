//! The subcommands, one module each with its `run(data, args)`: `data` is the global `--data`
//! (a dataset directory, a detailed snapshot file, or none for the embedded network).
//!
//! A command module uses `args`, `common`, `output`, `render`, `detailed` and `combined`, never
//! another command module.

pub(crate) mod assign;
pub(crate) mod build;
pub(crate) mod compare;
pub(crate) mod docs;
pub(crate) mod locations;
pub(crate) mod merge;
pub(crate) mod network;
pub(crate) mod pareto;
pub(crate) mod resilience;
pub(crate) mod route;
pub(crate) mod scenario;
pub(crate) mod serve;
pub(crate) mod table;
pub(crate) mod validate;
