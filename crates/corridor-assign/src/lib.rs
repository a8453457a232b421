//! Static traffic assignment: where demand goes on a congestible network.
//!
//! Given a network whose links slow down as flow grows (volume-delay functions, [`Vdf`]) and
//! an origin–destination matrix, [`assign`] finds the *user equilibrium*: the link flows at
//! which no trip can get faster by switching path (Wardrop's first principle). It uses
//! Frank–Wolfe with the bi-conjugate direction of Mitradjieva & Lindberg (2013) and an exact
//! line search, with a binary-heap Dijkstra tree per origin for the all-or-nothing step, and
//! stops on the relative gap `(TSTT − SPTT) / TSTT`.
//!
//! The modules:
//!
//! - [`Network`], [`Link`], [`OdMatrix`]: the plain-data input, validated once, no I/O;
//! - [`Vdf`]: the volume-delay forms (BPR and a queueing form for ports, ferries and borders);
//! - [`assign`] / [`evaluate`]: the algorithm, and the gap of any given flows;
//! - [`tntp`]: the reader of the TNTP benchmark formats (`_net`, `_trips`, `_flow`, `_node`);
//! - [`run_tntp`], [`write_flows_csv`], [`cli_main`]: the end-to-end glue for
//!   `corridor assign --tntp-net F_net.tntp --tntp-trips F_trips.tntp --gap 1e-4 --out flows.csv`.
//!
//! The core (`network`, `vdf`, `assign`, the shortest-path trees) does no I/O; only `tntp` and
//! `run` touch files. Results are deterministic: the same input gives the same flows bit for bit.
//!
//! # Example
//!
//! ```
//! use corridor_assign::{assign, AssignConfig, Link, Network, OdMatrix};
//!
//! // A ferry (zone 0 -> zone 1) competing with a longer land route through node 2.
//! let links = vec![
//!     Link::bpr(0, 1, 1000.0, 30.0, 0.15, 4.0),
//!     Link::bpr(0, 2, 5000.0, 25.0, 0.15, 4.0),
//!     Link::bpr(2, 1, 5000.0, 25.0, 0.15, 4.0),
//! ];
//! let net = Network::new(3, 2, 0, links)?;
//! let mut od = OdMatrix::new(2);
//! od.set(0, 1, 3000.0);
//! let eq = assign(&net, &od, &AssignConfig::default())?;
//! assert!(eq.converged && eq.relative_gap <= 1e-4);
//! // Both routes are used and take (nearly) the same time.
//! assert!((eq.times[0] - (eq.times[1] + eq.times[2])).abs() < 0.1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

mod assign;
mod network;
mod run;
mod spt;
pub mod tntp;
mod vdf;

pub use assign::{
    Algorithm, AssignConfig, AssignError, Assignment, GapReport, OriginFlows, UserClass, assign, assign_classes,
    evaluate,
};
pub use network::{Link, Network, NetworkError, OdMatrix};
pub use run::{AssignArgs, Error, Report, TntpResult, cli_main, run_tntp, run_tntp_with, write_flows_csv};
pub use vdf::Vdf;
