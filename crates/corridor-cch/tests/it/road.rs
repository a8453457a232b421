//! Placeholder for the real-graph test (filled in below).
