//! The source layout stays one-way: every top-level module of `src/` sits in a layer and imports
//! only from layers below it (so no two modules import each other), and no command file imports
//! another. README's source table describes the same layers.
//!
//! `cargo test --test layout -- --nocapture` prints the import graph.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The top-level modules, bottom layer first. A module imports only from layers before its own.
const LAYERS: &[&[&str]] = &[
    &[
        "input",
        "interrupt",
        "log",
        "name",
        "rtype",
        "suggest",
        "time",
        "xml_tree",
        "test_server",
    ],
    &["http", "rdata"],
    &["model", "sigv4"],
    &["config", "creds", "diff"],
    &["batch", "error", "route53"],
    &["domains", "plan"],
    &["output"],
    &["bind", "cli"],
    &["commands"],
];

/// The files of `src/commands/` that are commands; they share only the step modules.
const COMMAND_FILES: &[&str] = &[
    "check",
    "check_creds",
    "completion",
    "convert",
    "create_domains",
    "get_zones",
    "preview",
    "push",
    "push_plan",
    "version",
];
const STEP_MODULES: &[&str] = &["apply", "planning", "registrar", "zones"];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file of `src/` belongs to (`main.rs` and `lib.rs` belong to none).
fn top_module(path: &Path) -> Option<String> {
    let first = path.strip_prefix(src()).ok()?.components().next()?;
    let name = first.as_os_str().to_str()?.trim_end_matches(".rs");
    (!matches!(name, "main" | "lib")).then(|| name.to_string())
}

/// The code of `text` without comments (line comments and doc comments).
fn code_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .filter(|line| !line.trim().is_empty())
}

/// Every top-level module named by a `crate::` path in `code`; `crate::debug!` is log's macro.
fn crate_paths(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let is_macro = rest[name.len()..].starts_with('!');
        match (name.as_str(), is_macro) {
            ("debug", true) => found.insert("log".to_string()),
            (_, true) | ("", _) => false,
            _ => found.insert(name),
        };
    }
    found
}

/// Module → the other top-level modules it imports.
fn import_graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let Some(module) = top_module(&file) else {
            continue;
        };
        let text = std::fs::read_to_string(&file).expect("read source");
        let imports = graph.entry(module.clone()).or_default();
        for line in code_lines(&text) {
            imports.extend(crate_paths(line).into_iter().filter(|m| *m != module));
        }
    }
    graph
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

#[test]
fn modules_import_only_from_layers_below() {
    let graph = import_graph();
    println!("imports between top-level modules:");
    for (module, imports) in &graph {
        let names: Vec<&str> = imports.iter().map(String::as_str).collect();
        println!("  {module} -> {}", names.join(" "));
    }
    let mut wrong = Vec::new();
    for (module, imports) in &graph {
        let Some(layer) = layer_of(module) else {
            wrong.push(format!(
                "{module} is in no layer: add it to LAYERS and README"
            ));
            continue;
        };
        for import in imports {
            match layer_of(import) {
                Some(below) if below < layer => {}
                _ => wrong.push(format!("{module} (layer {layer}) imports {import}")),
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}

/// The modules the `May import:` line of `module`'s header names; `None` when it allows every
/// module below it.
fn allowed_imports(module: &str) -> Option<BTreeSet<String>> {
    let file = [format!("{module}.rs"), format!("{module}/mod.rs")]
        .into_iter()
        .map(|f| src().join(f))
        .find(|p| p.exists())
        .expect("module file");
    let text = std::fs::read_to_string(&file).expect("read module");
    let line = text
        .lines()
        .take_while(|l| l.starts_with("//!"))
        .find(|l| l.contains("May import:"))
        .unwrap_or_else(|| {
            panic!(
                "{}: no 'May import:' line in its //! header",
                file.display()
            )
        });
    if line.contains("every module below it") {
        return None;
    }
    Some(
        line.split('`')
            .skip(1)
            .step_by(2)
            .map(String::from)
            .collect(),
    )
}

/// The test-only HTTP server, which any module's unit tests may use.
const TEST_ONLY: &str = "test_server";

#[test]
fn module_headers_name_what_they_import() {
    for (module, imports) in import_graph() {
        if module == TEST_ONLY {
            continue;
        }
        let Some(allowed) = allowed_imports(&module) else {
            continue;
        };
        let unsaid: Vec<&String> = imports
            .iter()
            .filter(|m| *m != TEST_ONLY && !allowed.contains(*m))
            .collect();
        assert!(
            unsaid.is_empty(),
            "{module} imports {unsaid:?}, which its header does not name"
        );
    }
}

#[test]
fn command_files_import_no_other_command() {
    let dir = src().join("commands");
    for command in COMMAND_FILES {
        let text = std::fs::read_to_string(dir.join(format!("{command}.rs"))).expect("command");
        for line in code_lines(&text) {
            for other in COMMAND_FILES.iter().filter(|c| *c != command) {
                let imports_other = line.contains(&format!("commands::{other}"))
                    || (line.contains("super::") && line.contains(&format!("{other}::")))
                    || line.contains(&format!("super::{other}"));
                assert!(!imports_other, "{command}.rs imports {other}: {line}");
            }
        }
    }
    let mut files = Vec::new();
    rust_files(&dir, &mut files);
    for file in files {
        let name = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        assert!(
            name == "mod" || COMMAND_FILES.contains(&name) || STEP_MODULES.contains(&name),
            "src/commands/{name}.rs is neither a command nor a shared step: list it here"
        );
    }
}

#[test]
fn the_checker_sees_imports_and_ignores_comments() {
    let code = "use crate::plan::{self, Target}; crate::debug!(\"x\"); $crate::log::warn";
    let found: Vec<String> = crate_paths(code).into_iter().collect();
    assert_eq!(found, ["log", "plan"]);
    let lines: Vec<&str> =
        code_lines("//! see crate::cli\nlet x = 1; // crate::output\n").collect();
    assert_eq!(lines, ["let x = 1; "]);
}
