//! Fuzz target `snapshot`: the snapshot reader (`corridor_snapshot::Snapshot::from_bytes`, the
//! same checks as `Snapshot::open` on a mapped file: header, sizes, checksum, CSR arrays,
//! permutation, labels, value ranges, the stored CCH and stored metrics).
//!
//! Input: byte 0 is a flag, the rest is the file. The body checksum (FNV-1a over everything
//! after the header) would stop nearly every mutation at the checksum test, so when bit 0 of the
//! flag is set the target rewrites the header's checksum to match the body first: the fuzzer
//! then reaches the structural checks behind it, as a crafted (not damaged) file would.
//!
//! After a successful open, the accessors are exercised: every label and country, every arc's
//! attributes, the stored metrics, a distance customization of the CCH and one query with its
//! path (inputs are small, so this stays cheap).
//!
//! Asserts: no panic; errors carry a message.

#![no_main]

use corridor_cch::{CchMetric, CchQuery};
use corridor_snapshot::format::{HEADER, Snapshot, fnv1a};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&flag, rest)) = data.split_first() else { return };
    let mut file = rest.to_vec();
    if flag & 1 == 1 && file.len() >= HEADER {
        let sum = fnv1a(&file[HEADER..]);
        file[32..40].copy_from_slice(&sum.to_le_bytes());
    }
    let snap = match Snapshot::from_bytes(&file) {
        Ok(s) => s,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    let n = snap.node_count();
    assert_eq!(snap.first_out().len(), n + 1);
    for v in 0..n as u32 {
        let _ = snap.label(snap.node_label()[v as usize]);
        let _ = snap.node_mode_of(v);
    }
    for c in 0..snap.country_count() {
        let _ = snap.country_code(c as u16);
    }
    let attrs = snap.arc_attrs();
    for a in 0..snap.arc_count() {
        let _ = snap.label(attrs.get(a).label);
    }
    for (name, print) in snap.stored_metrics() {
        let _ = snap.stored_metric(name, *print);
    }
    if n > 0 {
        let metric = CchMetric::new(snap.cch(), snap.weight_m()).perfect();
        let mut q = CchQuery::new(&metric);
        if q.distance(0, (n - 1) as u32).is_some() {
            // The path is input arc ids: callers index the arc arrays with them.
            let m = snap.arc_count();
            assert!(q.path().iter().all(|&a| (a as usize) < m));
        }
    }
});
