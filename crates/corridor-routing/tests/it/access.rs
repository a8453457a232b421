//! Access legs.
