//! What r53ctl writes and how it ends when its output goes wrong (a closed or full stdout or
//! stderr), the totals it gives when zones cannot be read, and its JSON documents checked field
//! by field against docs/json.md.

mod cli;
mod common;
mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::process::Stdio;

use serde_json::{json, Value};

use cli::{assert_exit, config_of, domain, stderr, stdout, Workspace};

/// A workspace with zone `out.tld` holding `count` A record sets, pushed, and a creds.json that
/// others may read, which makes every run that opens it warn.
fn zone_with_warning(moto: &common::Moto, name: &str, count: usize) -> Workspace {
    let ws = Workspace::new(name, &moto.url);
    let records: Vec<Value> = (0..count)
        .map(
            |i| json!({ "name": format!("host{i}"), "type": "A", "value": format!("192.0.2.{i}") }),
        )
        .collect();
    let config = config_of(vec![domain("out.tld", json!(records))]);
    ws.write_config("dnsconfig.json", &config);
    assert_exit(&ws.run(&["create-domains"]), 0);
    assert_exit(&ws.run(&["push"]), 0);
    ws.chmod("creds.json", 0o644);
    ws
}

/// Runs r53ctl with `args` and its stdout sent to `stdout`; stderr is captured.
fn run_into(ws: &Workspace, args: &[&str], stdout: impl Into<Stdio>) -> std::process::Output {
    ws.command(args)
        .stdout(stdout)
        .stderr(Stdio::piped())
        .output()
        .expect("run r53ctl")
}

fn dev_full() -> std::fs::File {
    std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full")
}

#[test]
fn closed_or_full_output_streams_fail_the_run_without_a_panic() {
    let moto = common::Moto::start();
    let ws = zone_with_warning(&moto, "closed", 3);
    // `r53ctl preview 2>&1 | head -1`: stdout and stderr both gone. A panic exits 101 here (134
    // in a release build); the run must end as a plain failure.
    let both_closed = cli::run_into_closed_pipe(&mut ws.command(&["preview"]), true);
    assert_eq!(both_closed.status.code(), Some(1));

    // Only stdout gone: the warning still reaches stderr, and the lost reader earns no message.
    let out = cli::run_into_closed_pipe(&mut ws.command(&["preview"]), false);
    assert_exit(&out, 1);
    let err = stderr(&out);
    assert!(err.contains("creds.json holds secrets"), "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("stdout"),
        "{err}"
    );

    // A full disk: the data is cut short, which the run says and its exit code shows.
    for args in [&["preview"][..], &["get-zones", "r53_main", "out.tld"][..]] {
        let out = run_into(&ws, args, dev_full());
        assert_exit(&out, 1);
        let err = stderr(&out);
        assert!(
            err.contains("error: cannot write to stdout: No space left on device"),
            "{args:?}: {err}"
        );
        assert_eq!(err.matches("cannot write").count(), 1, "said once: {err}");
    }
    // --out to a full disk fails the same way.
    let out = ws.run(&[
        "get-zones",
        "--out",
        "/dev/full",
        "--force",
        "r53_main",
        "out.tld",
    ]);
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("writing /dev/full"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn totals_say_how_many_zones_could_not_be_read_and_never_total_nothing() {
    let moto = common::Moto::start();
    let ws = Workspace::new("unread", &moto.url);
    let gone = || domain("gone.tld", json!([]));
    ws.write_config("dnsconfig.json", &config_of(vec![gone()]));
    for command in ["preview", "push"] {
        let out = ws.run(&[command]);
        assert_exit(&out, 1);
        assert!(!stdout(&out).contains("Total:"), "{}", stdout(&out));
        assert!(
            stderr(&out).contains("1 of 1 zone could not be read"),
            "{}",
            stderr(&out)
        );
    }

    let here = domain(
        "here.tld",
        json!([{ "name": "www", "type": "A", "value": "192.0.2.1" }]),
    );
    ws.write_config("dnsconfig.json", &config_of(vec![here.clone()]));
    assert_exit(&ws.run(&["create-domains"]), 0);
    ws.write_config("dnsconfig.json", &config_of(vec![here, gone()]));
    let preview = ws.run(&["preview"]);
    assert_exit(&preview, 1);
    assert!(
        stdout(&preview).contains("Total: 1 change in 1 of 1 zone; 1 more zone could not be read"),
        "{}",
        stdout(&preview)
    );
}

#[test]
fn preview_and_push_documents_match_docs_json_md() {
    let moto = common::Moto::start();
    let ws = zone_with_warning(&moto, "contract", 12);
    // Change host0 and delete host4 to host11 (9 of 14 record sets with SOA and NS: over the 30%
    // limit); create a TXT of two values, a TXT of one value of two strings and a weighted A;
    // gone.tld has no zone.
    let mut config = config_of(vec![
        domain(
            "out.tld",
            json!([
                { "name": "host0", "type": "A", "value": "198.51.100.1" },
                { "name": "host1", "type": "A", "value": "192.0.2.1" },
                { "name": "host2", "type": "A", "value": "192.0.2.2" },
                { "name": "host3", "type": "A", "value": "192.0.2.3" },
                { "name": "two", "type": "TXT", "value": "a" },
                { "name": "two", "type": "TXT", "value": "b" },
                { "name": "one", "type": "TXT", "strings": ["a", "b"] },
                { "name": "w", "type": "A", "value": "192.0.2.60", "set_identifier": "x", "weight": 10 },
            ]),
        ),
        domain("gone.tld", json!([])),
    ]);
    config["registrars"] = json!({ "none": { "type": "NONE" } });
    ws.write_config("dnsconfig.json", &config);
    let contract = Contract::read();

    let preview = ws.run(&["preview", "--format", "json"]);
    assert_exit(&preview, 1);
    let document: Value = serde_json::from_str(&stdout(&preview)).expect("preview JSON");
    contract.check(&document, &["preview"]);
    assert_eq!(
        document["unreadable"][0]["domain"], "gone.tld",
        "{document}"
    );
    assert_eq!(document["total_changes"], 12, "{document}");
    let violation = document["zones"][0]["safety_violation"].as_str();
    assert!(
        violation.is_some_and(|v| v.contains("(64.3%)")),
        "{document}"
    );

    let push = ws.run(&["push", "--force", "--format", "json"]);
    assert_exit(&push, 1);
    let document: Value = serde_json::from_str(&stdout(&push)).expect("push JSON");
    contract.check(&document, &["push", "preview"]);
    assert_eq!(document["zones"][0]["applied_requests"], 1, "{document}");
}

#[test]
fn the_contract_checker_catches_a_field_left_undocumented_or_out() {
    let contract = Contract::read();
    let problems = |document: Value| contract.problems(&document, &["preview"]);
    let good = json!({
        "schema": 1, "zones": [], "unreadable": [], "registrar_changes": [], "total_changes": 0,
        "total_change_actions": 0
    });
    assert_eq!(problems(good.clone()), Vec::<String>::new());
    let mut extra = good.clone();
    extra["surprise"] = json!(true);
    assert_eq!(problems(extra), ["surprise: not documented"]);
    let mut missing = good.clone();
    missing.as_object_mut().unwrap().remove("total_changes");
    assert_eq!(
        problems(missing),
        ["total_changes: documented as always there, missing"]
    );
    let mut null = good;
    null["total_changes"] = Value::Null;
    assert_eq!(
        problems(null),
        ["total_changes: null, documented as number"]
    );
}

/// One row of a field table of docs/json.md.
struct Field {
    kind: String,
    always: bool,
}

/// The field tables of docs/json.md, by section (`## preview`, `## record set`, …) and path.
struct Contract {
    sections: BTreeMap<String, BTreeMap<String, Field>>,
}

/// What a walk through a document found: the paths seen (objects and fields), by the first section
/// of the scope they were seen in, and what does not match the contract.
#[derive(Default)]
struct Walk {
    seen: BTreeSet<(String, String)>,
    scopes: BTreeSet<Vec<String>>,
    problems: Vec<String>,
}

impl Contract {
    fn read() -> Contract {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/json.md");
        let text = std::fs::read_to_string(path).expect("docs/json.md");
        let mut sections: BTreeMap<String, BTreeMap<String, Field>> = BTreeMap::new();
        let mut section = String::new();
        for line in text.lines() {
            if let Some(heading) = line.strip_prefix("## ") {
                section = heading.to_string();
            }
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            if let [_, path, kind, presence, ..] = cells[..] {
                if let Some(path) = path.strip_prefix('`').and_then(|p| p.strip_suffix('`')) {
                    let field = Field {
                        kind: kind.to_string(),
                        always: presence == "always",
                    };
                    sections
                        .entry(section.clone())
                        .or_default()
                        .insert(path.to_string(), field);
                }
            }
        }
        for expected in ["preview", "push", "change", "record set"] {
            assert!(
                sections.contains_key(expected),
                "docs/json.md: no table {expected:?}"
            );
        }
        Contract { sections }
    }

    #[track_caller]
    fn check(&self, document: &Value, scope: &[&str]) {
        let problems = self.problems(document, scope);
        assert!(problems.is_empty(), "{problems:#?}\nin {document:#}");
    }

    /// How `document`, read with the tables of `scope`, differs from the contract.
    fn problems(&self, document: &Value, scope: &[&str]) -> Vec<String> {
        let mut walk = Walk::default();
        self.walk_object(scope, "", document, &mut walk);
        for scope in &walk.scopes {
            for section in scope {
                for (path, field) in &self.sections[section] {
                    let seen = |p: &str| walk.seen.contains(&(scope[0].clone(), p.to_string()));
                    let Some(parent) = parent_of(path) else {
                        continue;
                    };
                    if field.always && seen(parent) && !seen(path) {
                        let problem = format!("{path}: documented as always there, missing");
                        walk.problems.push(problem);
                    }
                }
            }
        }
        walk.problems
    }

    fn walk_object(&self, scope: &[&str], path: &str, value: &Value, walk: &mut Walk) {
        walk.scopes
            .insert(scope.iter().map(|s| s.to_string()).collect());
        walk.seen.insert((scope[0].to_string(), path.to_string()));
        let Value::Object(members) = value else {
            walk.problems.push(format!("{path}: not an object"));
            return;
        };
        for (key, member) in members {
            let child = match path {
                "" => key.clone(),
                _ => format!("{path}.{key}"),
            };
            self.visit(scope, &child, member, walk);
        }
    }

    fn visit(&self, scope: &[&str], path: &str, value: &Value, walk: &mut Walk) {
        let found = scope
            .iter()
            .find_map(|section| self.sections[*section].get(path));
        let Some(field) = found else {
            walk.problems.push(format!("{path}: not documented"));
            return;
        };
        walk.seen.insert((scope[0].to_string(), path.to_string()));
        if !kind_matches(&field.kind, value) {
            let problem = format!("{path}: {value}, documented as {}", field.kind);
            walk.problems.push(problem);
            return;
        }
        let element_kind = field.kind.trim_start_matches("array of ");
        let nested: Option<&str> = self
            .sections
            .contains_key(element_kind)
            .then_some(element_kind);
        match (value, nested) {
            (Value::Array(items), _) => {
                for item in items {
                    let element = format!("{path}[]");
                    match (item, nested) {
                        (_, Some(section)) => self.walk_object(&[section], "", item, walk),
                        (Value::Object(_), None) => self.walk_object(scope, &element, item, walk),
                        _ => self.visit(scope, &element, item, walk),
                    }
                    walk.seen.insert((scope[0].to_string(), element));
                }
            }
            (_, Some(section)) => self.walk_object(&[section], "", value, walk),
            (Value::Object(_), None) => self.walk_object(scope, path, value, walk),
            _ => {}
        }
    }
}

/// The path of the object that holds the field at `path`; none for an array element, which is
/// there as often as the array has elements.
fn parent_of(path: &str) -> Option<&str> {
    if path.ends_with("[]") {
        return None;
    }
    Some(path.rfind('.').map_or("", |dot| &path[..dot]))
}

/// Whether `value` is of the documented `kind`: a JSON type, `array of …`, or a section's object.
fn kind_matches(kind: &str, value: &Value) -> bool {
    match kind {
        "string" => value.is_string(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        kind if kind.starts_with("array") => value.is_array(),
        _ => value.is_object(),
    }
}
