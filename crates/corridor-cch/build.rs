//! Build script: exports the optimisation level so the real-graph integration test can choose
//! a query count that finishes in seconds (the dev profile builds workspace crates at
//! opt-level 0, where nested dissection of a 340k-node graph takes minutes).

fn main() {
    let level = std::env::var("OPT_LEVEL").unwrap_or_else(|_| "0".to_owned());
    println!("cargo:rustc-env=CORRIDOR_CCH_OPT_LEVEL={level}");
    println!("cargo:rerun-if-changed=build.rs");
}
