//! The work one request may do ([`Budget`]) and which part of it stopped a search
//! ([`Interrupt`]); shared by the router and the label search, below both.

use std::fmt;
use std::time::Instant;

/// Label budget of one multi-criteria search by default; far above what the corridor networks
/// need, it only bounds memory on pathological inputs.
pub const MAX_LABELS: usize = 5_000_000;

/// The work one request may do: a deadline (a server's time budget) and the labels of one
/// multi-criteria search. Past either, the search stops and the request fails with
/// `RouteError::Interrupted` instead of answering from an incomplete search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// When to give up; `None`: never.
    pub deadline: Option<Instant>,
    /// Most labels of one multi-criteria search (each a few dozen bytes).
    pub max_labels: usize,
}

impl Default for Budget {
    fn default() -> Self {
        Budget { deadline: None, max_labels: MAX_LABELS }
    }
}

impl Budget {
    /// Whether the deadline has passed.
    pub fn expired(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }
}

/// Nodes settled between two looks at the clock in a Dijkstra search (router and
/// [`crate::resource`]).
pub(crate) const CLOCK_EVERY: usize = 4096;

/// Which part of a [`Budget`] stopped a search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Interrupt {
    /// The deadline passed.
    Deadline,
    /// A multi-criteria search reached its label limit.
    Labels(usize),
}

impl fmt::Display for Interrupt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Interrupt::Deadline => write!(f, "its time budget ran out"),
            Interrupt::Labels(n) => write!(f, "it reached the limit of {n} labels of one multi-criteria search"),
        }
    }
}
