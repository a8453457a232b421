//! Dense typed ids: every entity of a [`crate::Network`] and every node and arc of a
//! [`crate::Graph`] is addressed by a `u32` index wrapped in its own type, so an arc id can never
//! be used to index locations by mistake.

macro_rules! dense_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
        pub struct $name(pub u32);

        impl $name {
            /// The id as an index into the owning vector.
            #[inline]
            pub fn index(self) -> usize {
                self.0 as usize
            }

            /// Builds an id from a vector index.
            ///
            /// # Panics
            /// If `index` does not fit in `u32` (networks are far below that size).
            #[inline]
            pub fn from_index(index: usize) -> Self {
                Self(u32::try_from(index).expect("id overflows u32"))
            }
        }
    };
}

dense_id!(
    /// A location (city, terminal, port, border station) of a network.
    LocationId
);
dense_id!(
    /// A link (a rail, road, sea or ferry connection between two locations).
    LinkId
);
dense_id!(
    /// A transfer between two platforms at one location.
    TransferId
);
dense_id!(
    /// A border crossing point on a link, for one direction.
    BorderId
);
dense_id!(
    /// A row of the emission-factor table.
    EmissionFactorId
);
dense_id!(
    /// A corridor (e.g. `northern`, `middle`) that links can be tagged with.
    CorridorId
);
dense_id!(
    /// A source (citation or estimation method) backing a figure.
    SourceId
);
dense_id!(
    /// A node of the compiled state-expanded graph: a location on one platform, or a border
    /// waypoint.
    NodeId
);
dense_id!(
    /// An arc of the compiled state-expanded graph.
    ArcId
);

/// Which way along its link something applies (a border crossing, a timetabled service). It
/// lives here, below both `network` and `schedule`, so neither module needs the other's.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Direction {
    /// From the link's `from` end to its `to` end.
    Forward,
    /// From `to` to `from`.
    Reverse,
}
