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
fn a_closed_stdout_fails_the_run_quietly_and_never_panics() {
    let ws = scratch("pipe");
    std::fs::write(ws.dir.join("dnsconfig.json"), GOOD).unwrap();
    for args in [&["--help"][..], &["check"][..]] {
        // A pipe whose reader is already gone: every write to it fails with EPIPE.
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_r53ctl"));
        command
            .args(args)
            .current_dir(&ws.dir)
            .env_clear()
            .env("HOME", &ws.dir);
        let out = cli::run_into_closed_pipe(&mut command, false);
        // Exit 1: the output did not all arrive. No message: the reader chose to go away.
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", err_text(&out));
        assert!(out.stderr.is_empty(), "{args:?}: {}", err_text(&out));
    }
}

#[test]
fn version_command_and_flag_print_the_same_line() {
    let ws = scratch("version");
    let command = ws.run(&["version"]);
    assert_eq!(command.status.code(), Some(0));
    assert_eq!(
        out_text(&command),
        format!("r53ctl {}\n", env!("CARGO_PKG_VERSION"))
    );
    for flag in ["--version", "-V"] {
        assert_eq!(out_text(&ws.run(&[flag])), out_text(&command), "{flag}");
    }
}

#[test]
fn command_help_shows_examples() {
    let ws = scratch("examples");
    let out = ws.run(&["preview", "--help"]);
    let text = out_text(&out);
    assert!(
        text.contains("Examples:\n  r53ctl preview --domains '*.example.com'"),
        "{text}"
    );
}

#[test]
fn mistyped_command_and_flag_get_a_suggestion() {
    let ws = scratch("did-you-mean");
    let out = ws.run(&["preveiw"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err_text(&out).contains("unknown command 'preveiw' (did you mean 'preview'?)"),
        "{}",
        err_text(&out)
    );
    let out = ws.run(&["preview", "--no-color"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(err_text(&out).contains("did you mean --no-colors?"));
}

/// Two domains, one of them internationalised.
const TWO_DOMAINS: &str = r#"{
  "registrars": { "none": { "type": "NONE" } },
  "dns_providers": { "r53_main": { "type": "ROUTE53" } },
  "domains": [ { "name": "a.example.tld", "registrar": "none", "dns_providers": ["r53_main"] },
               { "name": "bücher.tld", "registrar": "none", "dns_providers": ["r53_main"] } ]
}"#;

#[test]
fn domains_patterns_that_match_nothing_or_empty_lists_are_usage_errors() {
    let ws = scratch("domains");
    std::fs::write(ws.dir.join("dnsconfig.json"), TWO_DOMAINS).unwrap();
    for empty in ["", " , "] {
        let out = ws.run(&["preview", "--expect-no-changes", "--domains", empty]);
        assert_eq!(out.status.code(), Some(2), "{empty:?}");
        assert!(
            err_text(&out).contains("names no domain"),
            "{}",
            err_text(&out)
        );
    }
    let out = ws.run(&["preview", "--domains", "a.example.tld,*.nowhere"]);
    assert_eq!(out.status.code(), Some(2));
    let err = err_text(&out);
    assert!(err.contains("*.nowhere"), "{err}");
    assert!(
        err.contains("it defines: a.example.tld, bücher.tld"),
        "{err}"
    );
}

#[test]
fn limits_beyond_route53_or_the_clamp_are_refused() {
    let ws = scratch("limits");
    for args in [
        &["preview", "--max-rate", "11"][..],
        &["preview", "--concurrency", "0"],
        &["push", "--concurrency", "65"],
    ] {
        let out = ws.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
    }
    let out = ws.run(&["preview", "--max-rate", "11"]);
    assert!(err_text(&out).contains("limit of 10 requests per second"));
}

#[test]
fn config_typos_and_wrong_types_are_named_with_a_fix() {
    let ws = scratch("config-typos");
    let bad = GOOD.replace(
        r#""type": "A", "value": "1.2.3.4""#,
        r#""type": "A", "value": "1.2.3.4", "ttll": 60 }, { "name": "w", "type": "CNMAE", "value": "x" }, { "name": "t", "type": "A", "value": "1.2.3.5", "ttl": "300""#,
    );
    std::fs::write(ws.dir.join("dnsconfig.json"), bad).unwrap();
    let out = ws.run(&["check"]);
    assert_eq!(out.status.code(), Some(2));
    let err = err_text(&out);
    for part in [
        "domain example.tld: record test A (records[0]): unknown field `ttll`",
        "fix: rename `ttll` to `ttl`",
        "record w CNMAE (records[1]): type \"CNMAE\" is not supported",
        "fix: did you mean CNAME?",
        "record t A (records[2]): ttl: expected a number, found the string \"300\"",
        "fix: write 300 without quotes",
    ] {
        assert!(err.contains(part), "missing {part:?} in {err}");
    }
}

/// The words bash completes for the command line `line` (the cursor at its end).
fn bash_completions(script: &std::path::Path, line: &str) -> Vec<String> {
    let program = format!(
        "source {}; COMP_WORDS=({line}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); \
         [[ \"{line}\" == *' ' ]] && {{ COMP_WORDS+=(''); COMP_CWORD=$((COMP_CWORD + 1)); }}; \
         _r53ctl; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display()
    );
    let out = std::process::Command::new("bash")
        .args(["-c", &program])
        .output()
        .expect("run bash");
    assert!(out.status.success(), "{}", err_text(&out));
    let words = out_text(&out);
    words
        .lines()
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect()
}

#[test]
fn completion_scripts_cover_every_command_and_flag_and_parse() {
    let ws = scratch("completion");
    for shell in ["bash", "zsh", "fish"] {
        let out = ws.run(&["completion", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", err_text(&out));
        let script = out_text(&out);
        for command in r53ctl::cli::COMMANDS {
            assert!(script.contains(command.name), "{shell}: {}", command.name);
        }
        for flag in r53ctl::cli::FLAGS {
            assert!(script.contains(flag.long), "{shell}: {}", flag.long);
        }
        let path = ws.dir.join(format!("r53ctl.{shell}"));
        std::fs::write(&path, &script).unwrap();
        let check = std::process::Command::new(shell)
            .arg("-n")
            .arg(&path)
            .output();
        match check {
            Ok(check) => assert!(check.status.success(), "{shell} -n: {}", err_text(&check)),
            Err(_) if shell != "bash" => eprintln!("{shell} is not installed: not checked"),
            Err(err) => panic!("bash: {err}"),
        }
    }
    let out = ws.run(&["completion", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(ws.run(&["completion"]).status.code(), Some(2));
}

#[test]
fn bash_completion_completes_commands_flags_formats_and_files() {
    let ws = scratch("bash-completion");
    let script = ws.dir.join("r53ctl.bash");
    std::fs::write(&script, out_text(&ws.run(&["completion", "bash"]))).unwrap();
    std::fs::write(ws.dir.join("plan-one.json"), "{}").unwrap();
    assert_eq!(bash_completions(&script, "r53ctl pre"), ["preview"]);
    assert_eq!(
        bash_completions(&script, "r53ctl --config x.json push --ref"),
        ["--refuse-blocked"]
    );
    assert_eq!(
        bash_completions(&script, "r53ctl check --dom"),
        Vec::<String>::new()
    );
    assert_eq!(
        bash_completions(&script, "r53ctl preview --dom"),
        ["--domains"]
    );
    assert_eq!(bash_completions(&script, "r53ctl --no-c"), ["--no-colors"]);
    assert_eq!(
        bash_completions(&script, "r53ctl get-zones --format "),
        ["json", "bind", "nameonly"]
    );
    assert_eq!(bash_completions(&script, "r53ctl completion f"), ["fish"]);
    let plan = ws.dir.join("plan-o").display().to_string();
    assert_eq!(
        bash_completions(&script, &format!("r53ctl push --plan {plan}")),
        [ws.dir.join("plan-one.json").display().to_string()]
    );
}

/// Runs r53ctl with `args` in `ws` on a pseudo-terminal (through util-linux's `script`), with
/// the workspace's clean environment; `None` when `script` is not installed.
fn run_on_terminal(ws: &Workspace, args: &str) -> Option<String> {
    let line = format!("'{}' {args}", env!("CARGO_BIN_EXE_r53ctl"));
    let out = std::process::Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .current_dir(&ws.dir)
        .env_clear()
        .env("HOME", &ws.dir)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .ok()?;
    Some(out_text(&out))
}

#[test]
fn no_colors_turns_colour_off_on_a_terminal() {
    use std::os::unix::fs::PermissionsExt;
    let ws = scratch("no-colors-tty");
    std::fs::write(ws.dir.join("dnsconfig.json"), GOOD).unwrap();
    let creds = ws.dir.join("creds.json");
    std::fs::write(
        &creds,
        r#"{"r53_main": {"KeyId": "AKIDEXAMPLE", "SecretKey": "x"}}"#,
    )
    .unwrap();
    // A creds.json others can read draws a warning: coloured on a terminal, unless told not to.
    std::fs::set_permissions(&creds, std::fs::Permissions::from_mode(0o644)).unwrap();
    let preview = "preview --endpoint http://127.0.0.1:9";
    let Some(coloured) = run_on_terminal(&ws, preview) else {
        eprintln!("script (util-linux) is not installed: colour on a terminal not checked");
        return;
    };
    assert!(coloured.contains("\x1b[33mwarning"), "{coloured:?}");
    let plain = run_on_terminal(&ws, &format!("--no-colors {preview}")).unwrap();
    assert!(plain.contains("warning: creds.json"), "{plain:?}");
    assert!(!plain.contains('\x1b'), "{plain:?}");
}
