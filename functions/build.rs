//! The table of functions (`FUNCTIONS`), made from the binaries themselves: each
//! `src/bin/<name>.rs` calls `shared::api::run_lambda(<endpoint>)`, and the table pairs `<name>`
//! with that same endpoint, so the local API, the tests and the benchmarks run exactly what the
//! Lambda binary runs, and adding a binary is all it takes to be in the table.

use std::fmt::Write;
use std::path::Path;

const CALL: &str = "run_lambda(";

/// The endpoint expression a binary passes to `run_lambda`, with its `use` lines.
fn endpoint_of(source: &str) -> Option<(Vec<&str>, &str)> {
    let uses = source
        .lines()
        .filter(|l| l.trim_start().starts_with("use "))
        .collect();
    let start = source.find(CALL)? + CALL.len();
    let mut depth = 1;
    for (i, c) in source[start..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if depth == 0 {
            // rustfmt puts a trailing comma after an argument it wraps.
            let endpoint = source[start..start + i].trim().trim_end_matches(',');
            return Some((uses, endpoint.trim()));
        }
    }
    None
}

fn main() {
    let bins = Path::new("src/bin");
    println!("cargo:rerun-if-changed={}", bins.display());
    let mut files: Vec<_> = std::fs::read_dir(bins)
        .expect("src/bin")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    let (mut modules, mut table) = (String::new(), String::new());
    for path in files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_stem().unwrap().to_str().expect("a UTF-8 name");
        let source = std::fs::read_to_string(&path).expect("a readable binary");
        let (uses, endpoint) = endpoint_of(&source).unwrap_or_else(|| {
            panic!("{}: no shared::api::run_lambda(<endpoint>)", path.display())
        });
        let module = name.replace('-', "_");
        writeln!(modules, "mod {module} {{").unwrap();
        for line in uses {
            writeln!(modules, "    {}", line.trim()).unwrap();
        }
        writeln!(
            modules,
            "    pub const ENDPOINT: &dyn shared::api::Endpoint = &({endpoint});\n}}"
        )
        .unwrap();
        writeln!(
            table,
            "    Function {{ binary: {name:?}, endpoint: {module}::ENDPOINT }},"
        )
        .unwrap();
    }
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("functions.rs");
    let code = format!("{modules}\n/// Every function binary, by name.\npub const FUNCTIONS: &[Function] = &[\n{table}];\n");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
