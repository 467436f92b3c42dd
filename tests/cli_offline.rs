//! The binary's behaviour that needs no server: help, usage errors, config validation and
//! credential errors, each with its exit code.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn r53ctl(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_r53ctl"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("HOME", dir)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .expect("run r53ctl")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("r53ctl-offline-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

const GOOD: &str = r#"{
  "registrars": { "none": { "type": "NONE" } },
  "dns_providers": { "r53_main": { "type": "ROUTE53" } },
  "domains": [ { "name": "example.tld", "registrar": "none", "dns_providers": ["r53_main"],
                 "records": [ { "name": "test", "type": "A", "value": "1.2.3.4" } ] } ]
}"#;

#[test]
fn help_goes_to_stdout_and_exits_zero_for_every_command() {
    let dir = scratch("help");
    for command in [
        "check",
        "preview",
        "push",
        "get-zones",
        "check-creds",
        "create-domains",
    ] {
        let out = r53ctl(&dir, &[command, "--help"]);
        assert_eq!(out.status.code(), Some(0), "{command}");
        assert!(
            text(&out.stdout).contains(&format!("r53ctl {command}")),
            "{command}"
        );
        assert!(out.stderr.is_empty(), "{command}");
    }
    let out = r53ctl(&dir, &["--help"]);
    assert!(text(&out.stdout).contains("Exit codes"));
}

#[test]
fn a_wrong_flag_is_a_usage_error() {
    let dir = scratch("flag");
    let out = r53ctl(&dir, &["preview", "--dommains", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unknown option --dommains"));
    assert!(out.stdout.is_empty());
}

#[test]
fn check_accepts_a_valid_config() {
    let dir = scratch("valid");
    std::fs::write(dir.join("dnsconfig.json"), GOOD).unwrap();
    let out = r53ctl(&dir, &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("valid (1 domain, 1 record set)"));
}

#[test]
fn check_names_file_domain_record_and_problem() {
    let dir = scratch("invalid");
    let bad = GOOD.replace("1.2.3.4", "1.2.3.400");
    std::fs::write(dir.join("bad.json"), bad).unwrap();
    let out = r53ctl(&dir, &["check", "--config", "bad.json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    for part in ["bad.json", "example.tld", "test", "1.2.3.400"] {
        assert!(err.contains(part), "missing {part:?} in {err}");
    }
}

#[test]
fn invalid_json_reports_line_and_column() {
    let dir = scratch("json");
    std::fs::write(dir.join("dnsconfig.json"), "{\n  \"domains\": [,]\n}").unwrap();
    let out = r53ctl(&dir, &["check"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("dnsconfig.json") && err.contains("line 2"),
        "{err}"
    );
}

#[test]
fn a_missing_config_file_is_named() {
    let dir = scratch("nofile");
    let out = r53ctl(&dir, &["check", "--config", "nope.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("nope.json"));
}

#[test]
fn a_missing_creds_entry_names_entry_file_and_variables() {
    let dir = scratch("nocreds");
    std::fs::write(dir.join("dnsconfig.json"), GOOD).unwrap();
    std::fs::write(dir.join("creds.json"), r#"{"other": {"TYPE": "ROUTE53"}}"#).unwrap();
    let out = r53ctl(&dir, &["preview", "--endpoint", "http://127.0.0.1:9"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    for part in ["r53_main", "creds.json", "AWS_ACCESS_KEY_ID"] {
        assert!(err.contains(part), "missing {part:?} in {err}");
    }
    assert!(!err.contains("NoCredentialProviders"));
}
