//! The invariants ARCHITECTURE.md states, checked on the code (rust-analyzer's `tidy.rs` is the
//! model): crate layering, which crates may do I/O or know serde, and a `//!` doc on every file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The workspace crates from the bottom up: a crate may depend only on crates before it.
const LAYERS: [&str; 16] = [
    "corridor-dijkstra",
    "corridor-model",
    "corridor-search",
    "corridor-places",
    "corridor-routing",
    "corridor-cch",
    "corridor-snapshot",
    "corridor-io",
    "corridor-assign",
    "corridor-analytics",
    "corridor-parquet",
    "corridor-import",
    "corridor-server",
    "corridor-cli",
    "corridor-py",
    "corridor-tidy",
];

/// The core of the pipeline: no I/O, no file formats, no JSON.
const CORE: [&str; 5] =
    ["corridor-dijkstra", "corridor-model", "corridor-search", "corridor-places", "corridor-routing"];

/// Crates that may read or write files, and why.
const FILE_IO: [(&str, &str); 9] = [
    ("corridor-io", "dataset loading"),
    ("corridor-import", "importers"),
    ("corridor-snapshot", "the snapshot file (format.rs)"),
    ("corridor-cch", "graph loaders of the benchmarks"),
    ("corridor-assign", "the TNTP reader"),
    ("corridor-parquet", "Parquet output"),
    ("corridor-server", "the API key file"),
    ("corridor-cli", "the binary"),
    ("corridor-analytics", "none today: allowed to read scenario files"),
];

/// Crates that may know serde_json (JSON in or out).
const JSON: [&str; 6] =
    ["corridor-io", "corridor-analytics", "corridor-import", "corridor-server", "corridor-cli", "corridor-py"];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Per crate: its normal dependencies (names).
fn dependencies() -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(root().join("crates")).unwrap() {
        let dir = entry.unwrap().path();
        let Ok(text) = std::fs::read_to_string(dir.join("Cargo.toml")) else { continue };
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let mut deps = Vec::new();
        let mut section = String::new();
        for line in text.lines() {
            let line = line.trim();
            if line.starts_with('[') {
                section = line.to_owned();
                continue;
            }
            if section == "[dependencies]" && !line.is_empty() && !line.starts_with('#') {
                let dep = line.split(['=', '.', ' ']).next().unwrap().trim();
                deps.push(dep.to_owned());
            }
        }
        out.insert(name, deps);
    }
    out
}

/// Every `.rs` file under a directory.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn crates_depend_only_on_crates_below_them() {
    let deps = dependencies();
    assert_eq!(deps.len(), LAYERS.len(), "a crate is missing from LAYERS: {:?}", deps.keys().collect::<Vec<_>>());
    for (name, ds) in &deps {
        let level = LAYERS.iter().position(|l| l == name).unwrap_or_else(|| panic!("{name} is not in LAYERS"));
        for d in ds.iter().filter(|d| d.starts_with("corridor-")) {
            let dl = LAYERS.iter().position(|l| l == d).unwrap_or_else(|| panic!("{d} is not in LAYERS"));
            assert!(dl < level, "{name} depends on {d}, which is not below it");
        }
    }
}

#[test]
fn the_core_crates_know_no_file_formats_and_do_no_io() {
    let deps = dependencies();
    for c in CORE {
        for banned in ["serde", "serde_json", "csv", "toml", "memmap2", "osmpbf", "flate2", "axum", "tokio", "parquet"]
        {
            assert!(!deps[c].iter().any(|d| d == banned), "{c} depends on {banned}");
        }
    }
    let allowed: Vec<&str> = FILE_IO.iter().map(|(c, _)| *c).collect();
    for (name, ds) in &deps {
        if ds.iter().any(|d| d == "serde_json") {
            assert!(JSON.contains(&name.as_str()), "{name} depends on serde_json; only {JSON:?} may");
        }
        let mut files = Vec::new();
        rust_files(&root().join("crates").join(name).join("src"), &mut files);
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            for io in ["std::fs", "File::open", "File::create", "std::net::", "TcpListener"] {
                if text.contains(io) {
                    assert!(allowed.contains(&name.as_str()), "{} uses {io}; {name} may not do I/O", f.display());
                }
            }
        }
    }
}

#[test]
fn every_file_says_what_it_is() {
    let mut files = Vec::new();
    rust_files(&root().join("crates"), &mut files);
    let missing: Vec<String> = files
        .iter()
        .filter(|f| !f.components().any(|c| c.as_os_str() == "target"))
        .filter(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            !text.trim_start().starts_with("//!")
        })
        .map(|f| f.strip_prefix(root()).unwrap_or(f).display().to_string())
        .collect();
    assert!(missing.is_empty(), "files without a //! doc: {missing:?}");
}

/// Module cycles deliberately kept, as `(crate, "a -> b -> a", why)`. Empty: the issue (P6) asks
/// for none, and a new one should be broken rather than listed.
const ALLOWED_MODULE_CYCLES: [(&str, &str, &str); 0] = [];

/// Rust text with comments and the insides of string and char literals blanked, so braces and
/// paths in them do not count (a tidy check, not a parser: good enough for this code base).
fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            i += 2;
            while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                i += 1;
            }
            i += 2;
        } else if c == b'r' && (b.get(i + 1) == Some(&b'"') || b.get(i + 1) == Some(&b'#')) && {
            let prev = if i == 0 { b' ' } else { b[i - 1] };
            !(prev.is_ascii_alphanumeric() || prev == b'_')
        } {
            // Raw string: r"..." or r#"..."#.
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&b'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&b'"') {
                out.push(c as char);
                i += 1;
                continue;
            }
            j += 1;
            let close: Vec<u8> = std::iter::once(b'"').chain(std::iter::repeat_n(b'#', hashes)).collect();
            while j < b.len() && !b[j..].starts_with(&close) {
                j += 1;
            }
            out.push_str("\"\"");
            i = j + close.len();
        } else if c == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == b'\'' && (b.get(i + 2) == Some(&b'\'') || b.get(i + 1) == Some(&b'\\')) {
            // A char literal ('{', '\n', '\u{7f}'); a lifetime ('a) has no closing quote here.
            let mut j = i + 1;
            while j < b.len() && b[j] != b'\'' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            out.push_str("' '");
            i = j + 1;
        } else {
            // Multi-byte UTF-8 outside literals is copied byte-wise as a placeholder.
            out.push(if c.is_ascii() { c as char } else { ' ' });
            i += 1;
        }
    }
    out
}

/// The module path of a source file below `src` (`x.rs` and `x/mod.rs` are `[x]`, `x/y.rs`
/// is `[x, y]`); `None` for the crate root (`lib.rs`, `main.rs`) and binaries (`bin/`).
fn module_path(src: &Path, file: &Path) -> Option<Vec<String>> {
    let rel = file.strip_prefix(src).ok()?;
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if parts.first().is_some_and(|p| p == "bin") {
        return None;
    }
    let last = parts.pop()?;
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && !(parts.is_empty() && (stem == "lib" || stem == "main")) {
        parts.push(stem.to_owned());
    }
    (!parts.is_empty()).then_some(parts)
}

/// The items the crate root re-exports (`pub use x::{A, B as C}`, `pub use x::*`), each mapped
/// to the top-level module that defines it: `crate::A` in another module depends on `x`.
/// A glob's names are the `pub` items of the module's files.
fn root_exports(root: &str, modules: &[String], module_code: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for stmt in root.split(';') {
        let Some(at) = stmt.find("pub use ") else { continue };
        let path = stmt[at + "pub use ".len()..].trim();
        let path = path.strip_prefix("crate::").or_else(|| path.strip_prefix("self::")).unwrap_or(path);
        let Some((module, rest)) = path.split_once("::") else { continue };
        if !modules.iter().any(|m| m == module) {
            continue;
        }
        let names: Vec<String> = if rest.trim() == "*" {
            let code = module_code.get(module).map(String::as_str).unwrap_or("");
            ["pub struct ", "pub enum ", "pub fn ", "pub type ", "pub const ", "pub static ", "pub trait "]
                .iter()
                .flat_map(|kw| code.match_indices(kw).map(move |(i, _)| &code[i + kw.len()..]))
                .map(|t| t.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect())
                .collect()
        } else {
            rest.trim_start_matches('{')
                .trim_end_matches('}')
                .split(',')
                .map(|e| e.split(" as ").last().unwrap_or("").rsplit("::").next().unwrap_or("").trim().to_owned())
                .collect()
        };
        for n in names.into_iter().filter(|n| !n.is_empty()) {
            out.insert(n, module.to_owned());
        }
    }
    out
}

/// Every top-level module that `code` (of the module at `path`) names through `crate::x`,
/// `use crate::{x, ..}` or `super::` chains that climb to the crate root, with inline `mod m {`
/// blocks tracked so that their `super::` resolves correctly. A name the root re-exports counts
/// for the module that defines it (`exports`).
fn referenced_modules(
    code: &str,
    path: &[String],
    modules: &[String],
    exports: &BTreeMap<String, String>,
) -> Vec<String> {
    let bytes = code.as_bytes();
    let ident_at =
        |i: usize| -> String { code[i..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect() };
    let mut found = Vec::new();
    // Inline modules open at a brace depth: (depth, name).
    let mut inline: Vec<(usize, String)> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let boundary =
            i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_' || bytes[i - 1] == b'$');
        match bytes[i] {
            b'{' => depth += 1,
            b'}' => {
                depth = depth.saturating_sub(1);
                if inline.last().is_some_and(|(d, _)| *d == depth) {
                    inline.pop();
                }
            }
            _ if boundary && code[i..].starts_with("mod ") => {
                let name = ident_at(i + 4);
                let rest = code[i + 4 + name.len()..].trim_start();
                if !name.is_empty() && rest.starts_with('{') {
                    inline.push((depth, name));
                }
            }
            _ if boundary && code[i..].starts_with("crate::") => {
                let after = i + "crate::".len();
                if code[after..].starts_with('{') {
                    // `crate::{a::X, b}`: the first segment of every entry at the group's top level.
                    let mut level = 0;
                    let mut start = after + 1;
                    for (k, ch) in code[after..].char_indices().skip(1) {
                        match ch {
                            '{' => level += 1,
                            '}' if level == 0 => {
                                found.push(code[start..after + k].trim().split("::").next().unwrap_or("").to_owned());
                                break;
                            }
                            '}' => level -= 1,
                            ',' if level == 0 => {
                                found.push(code[start..after + k].trim().split("::").next().unwrap_or("").to_owned());
                                start = after + k + 1;
                            }
                            _ => {}
                        }
                    }
                } else {
                    found.push(ident_at(after));
                }
            }
            _ if boundary && code[i..].starts_with("super::") => {
                let mut at: Vec<String> = path.iter().cloned().chain(inline.iter().map(|(_, n)| n.clone())).collect();
                let mut j = i;
                while code[j..].starts_with("super::") {
                    at.pop();
                    j += "super::".len();
                }
                if at.is_empty() {
                    found.push(ident_at(j));
                } else {
                    found.push(at[0].clone());
                }
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    let mut found: Vec<String> = found
        .into_iter()
        .filter_map(|m| if modules.contains(&m) { Some(m) } else { exports.get(&m).cloned() })
        .filter(|m| *m != path[0])
        .collect();
    found.sort();
    found.dedup();
    found
}

/// One cycle through every strongly connected component of more than one module (Tarjan's
/// algorithm, then a path inside the component), each as `a -> b -> a`.
fn module_cycles(graph: &BTreeMap<String, Vec<String>>) -> Vec<String> {
    struct Tarjan<'g> {
        graph: &'g BTreeMap<String, Vec<String>>,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        components: Vec<Vec<&'g str>>,
    }
    impl<'g> Tarjan<'g> {
        fn visit(&mut self, v: &'g str) {
            let i = self.index.len();
            self.index.insert(v, i);
            self.low.insert(v, i);
            self.stack.push(v);
            for w in self.graph.get(v).into_iter().flatten() {
                let w = w.as_str();
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let lw = self.low[w];
                    let lv = self.low.get_mut(v).unwrap();
                    *lv = (*lv).min(lw);
                } else if self.stack.contains(&w) {
                    let iw = self.index[w];
                    let lv = self.low.get_mut(v).unwrap();
                    *lv = (*lv).min(iw);
                }
            }
            if self.low[v] == self.index[v] {
                let mut component = Vec::new();
                while let Some(w) = self.stack.pop() {
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                self.components.push(component);
            }
        }
    }
    let mut t =
        Tarjan { graph, index: BTreeMap::new(), low: BTreeMap::new(), stack: Vec::new(), components: Vec::new() };
    for v in graph.keys() {
        if !t.index.contains_key(v.as_str()) {
            t.visit(v);
        }
    }
    let mut cycles = Vec::new();
    for comp in t.components.iter().filter(|c| c.len() > 1) {
        // Walk from the smallest module inside the component until a module repeats.
        let start = *comp.iter().min().unwrap();
        let mut walk = vec![start];
        loop {
            let v = *walk.last().unwrap();
            let next = graph[v].iter().map(String::as_str).find(|w| comp.contains(w)).unwrap();
            if let Some(p) = walk.iter().position(|&x| x == next) {
                let mut cycle: Vec<&str> = walk[p..].to_vec();
                cycle.push(next);
                cycles.push(cycle.join(" -> "));
                break;
            }
            walk.push(next);
        }
    }
    cycles
}

/// Fails on a cycle between the top-level modules of any crate, naming it. With
/// `TIDY_SHOW_MODULES=1` it prints every crate's module graph (to see what an edge comes from).
#[test]
fn no_crate_has_a_cycle_between_its_top_level_modules() {
    let mut problems = Vec::new();
    for entry in std::fs::read_dir(root().join("crates")).unwrap() {
        let krate = entry.unwrap().path();
        let name = krate.file_name().unwrap().to_string_lossy().to_string();
        let src = krate.join("src");
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        let paths: Vec<(PathBuf, Vec<String>)> =
            files.into_iter().filter_map(|f| module_path(&src, &f).map(|p| (f, p))).collect();
        let mut modules: Vec<String> = paths.iter().map(|(_, p)| p[0].clone()).collect();
        modules.sort();
        modules.dedup();
        let mut module_code: BTreeMap<String, String> = BTreeMap::new();
        for (file, path) in &paths {
            module_code
                .entry(path[0].clone())
                .or_default()
                .push_str(&code_only(&std::fs::read_to_string(file).unwrap()));
        }
        let root_code = ["lib.rs", "main.rs"]
            .iter()
            .filter_map(|f| std::fs::read_to_string(src.join(f)).ok())
            .map(|t| code_only(&t))
            .collect::<String>();
        let exports = root_exports(&root_code, &modules, &module_code);
        let mut graph: BTreeMap<String, Vec<String>> = modules.iter().map(|m| (m.clone(), Vec::new())).collect();
        for (file, path) in &paths {
            let code = code_only(&std::fs::read_to_string(file).unwrap());
            let edges = graph.get_mut(&path[0]).unwrap();
            edges.extend(referenced_modules(&code, path, &modules, &exports));
            edges.sort();
            edges.dedup();
        }
        if std::env::var_os("TIDY_SHOW_MODULES").is_some() {
            eprintln!("{name}: {graph:?}");
        }
        for cycle in module_cycles(&graph) {
            if !ALLOWED_MODULE_CYCLES.iter().any(|(c, cy, _)| *c == name && *cy == cycle) {
                problems.push(format!("{name}: {cycle}"));
            }
        }
    }
    assert!(problems.is_empty(), "module cycles (break them, e.g. by moving the shared item down): {problems:#?}");
}

#[test]
fn the_module_graph_reader_sees_paths_groups_and_super() {
    let modules: Vec<String> = ["a", "b", "c", "d"].map(String::from).to_vec();
    let code = code_only(
        "use crate::{b::X, c};\nfn f() { let s = \"crate::d\"; }\nmod tests { use super::*; use super::super::d; }",
    );
    let none = BTreeMap::new();
    assert_eq!(referenced_modules(&code, &["a".into()], &modules, &none), ["b", "c", "d"]);
    let code = code_only("use super::super::d::Y; use super::e;");
    assert_eq!(referenced_modules(&code, &["a".into(), "x".into()], &modules, &none), ["d"]);
    let module_code: BTreeMap<String, String> = [("c".to_string(), "pub struct Z;".to_string())].into();
    let exports = root_exports("mod b; pub use b::{X, Y as W}; pub use c::*;", &modules, &module_code);
    let code = code_only("use crate::{W, Z}; fn f() -> crate::X {}");
    assert_eq!(referenced_modules(&code, &["a".into()], &modules, &exports), ["b", "c"]);
    let graph: BTreeMap<String, Vec<String>> = [
        ("a".to_string(), vec!["b".to_string()]),
        ("b".to_string(), vec!["c".to_string()]),
        ("c".to_string(), vec!["a".to_string()]),
        ("d".to_string(), vec!["a".to_string()]),
    ]
    .into_iter()
    .collect();
    assert_eq!(module_cycles(&graph), ["a -> b -> c -> a"]);
}
