//! The binary's behaviour that needs no server: help, usage errors, config validation and
//! credential errors, each with its exit code.

mod cli;

use cli::{stderr as err_text, stdout as out_text, Workspace};

/// A workspace whose endpoint is a closed port: nothing here may reach a server.
fn scratch(name: &str) -> Workspace {
    Workspace::new(&format!("offline-{name}"), "http://127.0.0.1:9")
}

const GOOD: &str = r#"{
  "registrars": { "none": { "type": "NONE" } },
  "dns_providers": { "r53_main": { "type": "ROUTE53" } },
  "domains": [ { "name": "example.tld", "registrar": "none", "dns_providers": ["r53_main"],
                 "records": [ { "name": "test", "type": "A", "value": "1.2.3.4" } ] } ]
}"#;

#[test]
fn help_goes_to_stdout_and_exits_zero_for_every_command() {
    let ws = scratch("help");
    for command in r53ctl::cli::COMMANDS.iter().map(|c| c.name) {
        let out = ws.run(&[command, "--help"]);
        assert_eq!(out.status.code(), Some(0), "{command}");
        assert!(
            out_text(&out).contains(&format!("r53ctl {command}")),
            "{command}"
        );
        assert!(out.stderr.is_empty(), "{command}");
    }
    let out = ws.run(&["--help"]);
    assert!(out_text(&out).contains("Exit codes"));
}

#[test]
fn a_wrong_flag_is_a_usage_error() {
    let ws = scratch("flag");
    let out = ws.run(&["preview", "--dommains", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(err_text(&out).contains("unknown option --dommains"));
    assert!(out.stdout.is_empty());
}

#[test]
fn check_accepts_a_valid_config() {
    let ws = scratch("valid");
    std::fs::write(ws.dir.join("dnsconfig.json"), GOOD).unwrap();
    let out = ws.run(&["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", err_text(&out));
    assert!(out_text(&out).contains("valid (1 domain, 1 record set)"));
}

#[test]
fn check_names_file_domain_record_and_problem() {
    let ws = scratch("invalid");
    let bad = GOOD.replace("1.2.3.4", "1.2.3.400");
    std::fs::write(ws.dir.join("bad.json"), bad).unwrap();
    let out = ws.run(&["check", "--config", "bad.json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = err_text(&out);
    for part in ["bad.json", "example.tld", "test", "1.2.3.400"] {
        assert!(err.contains(part), "missing {part:?} in {err}");
    }
}

#[test]
fn a_trailing_backslash_in_a_name_or_target_is_refused_by_check() {
    let ws = scratch("backslash");
    for (record, shown) in [
        (
            r#"{ "name": "evil\\", "type": "A", "value": "1.2.3.4" }"#,
            "evil",
        ),
        (
            r#"{ "name": "www", "type": "CNAME", "value": "test\\" }"#,
            "www",
        ),
        (
            r#"{ "name": "mx", "type": "MX", "value": "10 mail\\" }"#,
            "mx",
        ),
    ] {
        let config = GOOD.replace(
            r#"{ "name": "test", "type": "A", "value": "1.2.3.4" }"#,
            record,
        );
        assert_ne!(config, GOOD);
        std::fs::write(ws.dir.join("dnsconfig.json"), config).unwrap();
        let out = ws.run(&["check"]);
        assert_eq!(out.status.code(), Some(2), "{record}");
        let err = err_text(&out);
        for part in [
            "dnsconfig.json",
            "example.tld",
            shown,
            "lone backslash",
            "remove it",
        ] {
            assert!(err.contains(part), "missing {part:?} in {err}");
        }
    }
}

/// A wrong path to an endless file stops at the 64 MiB input cap, quickly and with exit 2.
#[test]
fn an_endless_config_or_plan_file_fails_fast_with_a_usage_error() {
    let ws = scratch("devzero");
    std::fs::write(ws.dir.join("dnsconfig.json"), GOOD).unwrap();
    for (args, file) in [
        (&["check", "--config", "/dev/zero"][..], "/dev/zero"),
        (&["preview", "--config", "/dev/zero"][..], "/dev/zero"),
        (&["push", "--plan", "/dev/zero"][..], "plan file /dev/zero"),
    ] {
        let started = std::time::Instant::now();
        let out = ws.run(args);
        assert!(started.elapsed().as_secs() < 20, "{args:?} took too long");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", err_text(&out));
        let err = err_text(&out);
        assert!(
            err.contains(file) && err.contains("larger than 64 MiB"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn invalid_json_reports_line_and_column() {
    let ws = scratch("json");
    std::fs::write(ws.dir.join("dnsconfig.json"), "{\n  \"domains\": [,]\n}").unwrap();
    let out = ws.run(&["check"]);
    assert_eq!(out.status.code(), Some(2));
    let err = err_text(&out);
    assert!(
        err.contains("dnsconfig.json") && err.contains("line 2"),
        "{err}"
    );
}

#[test]
fn a_missing_config_file_is_named() {
    let ws = scratch("nofile");
    let out = ws.run(&["check", "--config", "nope.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(err_text(&out).contains("nope.json"));
}

#[test]
fn a_missing_creds_entry_names_entry_file_and_variables() {
    let ws = scratch("nocreds");
    std::fs::write(ws.dir.join("dnsconfig.json"), GOOD).unwrap();
    std::fs::write(
        ws.dir.join("creds.json"),
        r#"{"other": {"TYPE": "ROUTE53"}}"#,
    )
    .unwrap();
    let out = ws.run(&["preview", "--endpoint", "http://127.0.0.1:9"]);
    assert_eq!(out.status.code(), Some(1));
    let err = err_text(&out);
    for part in ["r53_main", "creds.json", "AWS_ACCESS_KEY_ID"] {
        assert!(err.contains(part), "missing {part:?} in {err}");
    }
    assert!(!err.contains("NoCredentialProviders"));
}

#[test]
fn a_closed_stdout_is_no_reason_to_panic() {
    let ws = scratch("pipe");
    std::fs::write(ws.dir.join("dnsconfig.json"), GOOD).unwrap();
    for args in [&["--help"][..], &["check"][..]] {
        // A pipe whose reader is already gone: every write to it fails with EPIPE.
        let (reader, writer) = std::io::pipe().expect("pipe");
        drop(reader);
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_r53ctl"))
            .args(args)
            .current_dir(&ws.dir)
            .env_clear()
            .env("HOME", &ws.dir)
            .stdout(writer)
            .stderr(std::process::Stdio::piped())
            .output()
            .expect("run r53ctl");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", err_text(&out));
        assert!(out.stderr.is_empty(), "{args:?}: {}", err_text(&out));
    }
}
