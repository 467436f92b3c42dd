//! The r53ctl binary's credentials, endpoints and error messages, end to end: `check-creds`
//! against moto, every usual AWS error answered by a fake Route 53 on 127.0.0.1 (real-shaped
//! `<ErrorResponse>` bodies, `x-amzn-RequestId` and `Date` headers), network failures, and
//! `--debug` output that never shows a secret. Which credentials a run uses: a named creds file
//! must exist, an existing one must have the entry, and the AWS chain is used only without a
//! file or for a keyless entry, and then said; `!command` values; unknown keys; plain-http
//! endpoints; input files that never end.
//!
//! Secrets: the SecretKey, the session Token and request signatures must appear nowhere in
//! stdout or stderr. The KeyId may: it is an identifier, not a secret (AWS shows it in CloudTrail
//! and the IAM console, and it is what tells a user which key was refused).

mod cli;
mod common;
mod support;

use std::path::Path;
use std::process::Output;

use cli::Workspace;
use serde_json::{json, Value};
use support::http_server::{free_port, Recorded, Reply, TestServer};

const KEY_ID: &str = "AKIDR53CTLCLITEST001";
const SECRET_KEY: &str = "cli-secret-Zq7v/x9Lk2Rr8Tt0";
const SESSION_TOKEN: &str = "cli-session-token-Wm4Pp1Yy6Hh3";
const ROLE_ARN: &str = "arn:aws:iam::123456789012:role/dns";
/// The `Date` a fake server answers with: far from any test run's clock.
const SERVER_DATE: &str = "Thu, 26 Nov 2026 22:30:00 GMT";

/// A workspace with dnsconfig.json (domain `<name>.tld`) and a creds.json entry `r53_main`
/// holding [`KEY_ID`], [`SECRET_KEY`] and [`SESSION_TOKEN`]; each run names its endpoint.
fn workspace(name: &str) -> Workspace {
    let ws = Workspace::without_endpoint(&format!("cli-creds-{name}"));
    ws.write_creds(&json!({ "r53_main": {
        "TYPE": "ROUTE53", "KeyId": KEY_ID, "SecretKey": SECRET_KEY, "Token": SESSION_TOKEN
    }}));
    ws.write_config(
        "dnsconfig.json",
        &cli::config(
            &format!("{name}.tld"),
            json!([ { "name": "a", "type": "A", "value": "192.0.2.1" } ]),
        ),
    );
    ws
}

/// Runs r53ctl in `ws` with `env` added to its clean environment; instance metadata is off.
fn run(ws: &Workspace, args: &[&str], env: &[(&str, &str)]) -> Run {
    Run::of(&ws.run_with_env(args, env))
}

/// What one run printed, and how it ended.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn of(output: &Output) -> Run {
        Run {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    #[track_caller]
    fn assert_exit(&self, code: i32) -> &Run {
        assert_eq!(self.code, Some(code), "{self}");
        self
    }

    /// Asserts that stderr contains every one of `parts`.
    #[track_caller]
    fn assert_stderr_has(&self, parts: &[&str]) -> &Run {
        for part in parts {
            assert!(self.stderr.contains(part), "{part:?} missing from\n{self}");
        }
        self
    }

    /// Asserts that no secret, and no request signature, was printed.
    #[track_caller]
    fn assert_no_secret(&self, signatures: &[String]) -> &Run {
        let mut secrets = vec![SECRET_KEY.to_string(), SESSION_TOKEN.to_string()];
        secrets.extend(signatures.iter().cloned());
        for secret in &secrets {
            assert!(
                !self.stdout.contains(secret.as_str()) && !self.stderr.contains(secret.as_str()),
                "secret {secret:?} printed:\n{self}"
            );
        }
        assert!(!self.stderr.contains("Signature="), "{self}");
        self
    }

    /// Asserts that no line repeats a context, as in "domain x: domain x: …".
    #[track_caller]
    fn assert_no_repeated_context(&self) -> &Run {
        for line in self.stderr.lines() {
            let parts: Vec<&str> = line.split(": ").collect();
            assert!(
                parts.windows(2).all(|pair| pair[0] != pair[1]),
                "repeated context in {line:?}"
            );
        }
        self
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {:?}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

fn fixture(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

/// A fake Route 53 that answers every request with `body` and `status`, as AWS does: XML, a
/// request id header and a Date header.
fn fake_route53(status: u16, body: String, request_id: &'static str) -> TestServer {
    TestServer::start(move |_| {
        Reply::new(status, "text/xml", body.clone())
            .with_header("x-amzn-RequestId", request_id)
            .with_header("Date", SERVER_DATE)
    })
}

/// The `Signature=` value of every request the server received.
fn signatures(requests: &[Recorded]) -> Vec<String> {
    requests
        .iter()
        .filter_map(|r| r.header("authorization"))
        .filter_map(|auth| auth.split("Signature=").nth(1))
        .map(str::to_string)
        .collect()
}

/// A plain-HTTP server as most are: whatever arrives, it answers 400 Bad Request and closes.
fn plain_http_server() -> TestServer {
    TestServer::raw(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
}

/// Runs `check-creds ENTRY` with `args` and `env` against a port nobody listens on: for
/// failures that come before any request to Route 53.
fn check_creds_offline(ws: &Workspace, entry: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
    let endpoint = format!("http://127.0.0.1:{}", free_port());
    let check = ["check-creds", entry, "--endpoint", endpoint.as_str()];
    run(ws, &[&check[..], args].concat(), env)
}

#[test]
fn check_creds_names_the_source_and_counts_the_zones() {
    let moto = common::Moto::start();
    let client = moto.client();
    common::create_zone(&client, &common::unique_zone_name("one"));
    common::create_zone(&client, &common::unique_zone_name("two"));
    let ws = workspace("checkcreds");
    let endpoint = ["--endpoint", moto.url.as_str()];

    let from_entry = run(
        &ws,
        &[&["check-creds", "r53_main"][..], &endpoint].concat(),
        &[],
    );
    from_entry.assert_exit(0);
    for part in [
        "creds entry \"r53_main\" works",
        "creds file:   creds.json\n",
        "credentials:  creds.json entry \"r53_main\"",
        &format!("endpoint:     {} (signing region us-east-1)", moto.url),
        "hosted zones: 2",
    ] {
        assert!(from_entry.stdout.contains(part), "{part:?}\n{from_entry}");
    }

    ws.write_creds(&json!({
        "r53_profile": { "TYPE": "ROUTE53", "Profile": "ci" },
        "r53_env": { "TYPE": "ROUTE53" }
    }));
    ws.write(
        ".aws/credentials",
        &format!("[ci]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET_KEY}\n"),
    );
    let from_profile = run(
        &ws,
        &[&["check-creds", "r53_profile"][..], &endpoint].concat(),
        &[],
    );
    from_profile.assert_exit(0);
    assert!(
        from_profile
            .stdout
            .contains("credentials:  profile \"ci\" in"),
        "{from_profile}"
    );

    let environment = [
        ("AWS_ACCESS_KEY_ID", KEY_ID),
        ("AWS_SECRET_ACCESS_KEY", SECRET_KEY),
    ];
    let from_env = run(
        &ws,
        &[&["check-creds", "r53_env"][..], &endpoint].concat(),
        &environment,
    );
    from_env.assert_exit(0);
    for part in [
        "creds file:   creds.json; the AWS chain gave the credentials (entry \"r53_env\" in \
         creds.json has neither KeyId/SecretKey nor Profile)",
        "credentials:  environment",
    ] {
        assert!(from_env.stdout.contains(part), "{part:?}\n{from_env}");
    }

    std::fs::remove_file(ws.dir.join("creds.json")).unwrap();
    let without_file = run(
        &ws,
        &[&["check-creds", "r53_main"][..], &endpoint].concat(),
        &environment,
    );
    without_file.assert_exit(0);
    assert!(
        without_file.stdout.contains(
            "creds file:   none read; the AWS chain gave the credentials (creds file creds.json \
             does not exist)"
        ),
        "{without_file}"
    );
    for run in [&from_entry, &from_profile, &from_env, &without_file] {
        run.assert_no_secret(&[]);
    }
}

/// AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY holding [`KEY_ID`] and [`SECRET_KEY`].
const ENV_KEYS: [(&str, &str); 2] = [
    ("AWS_ACCESS_KEY_ID", KEY_ID),
    ("AWS_SECRET_ACCESS_KEY", SECRET_KEY),
];

#[test]
fn a_missing_creds_entry_names_the_entry_the_file_and_the_naming_rule() {
    let ws = workspace("noentry");
    ws.write_creds(
        &json!({ "r53_other": { "TYPE": "ROUTE53", "KeyId": KEY_ID, "SecretKey": SECRET_KEY } }),
    );
    // Keys in the environment must not stand in for the entry: they may be another account's.
    for args in [&["preview"][..], &["check-creds", "r53_main"][..]] {
        run(&ws, args, &ENV_KEYS)
            .assert_exit(1)
            .assert_stderr_has(&[
                "creds file creds.json has no entry \"r53_main\" (it has \"r53_other\")",
                "must match the DNS provider's name in the config",
                "{\"r53_main\": {\"TYPE\": \"ROUTE53\"}} to use the AWS credential chain",
            ])
            .assert_no_secret(&[])
            .assert_no_repeated_context();
    }
}

#[test]
fn a_named_creds_file_that_does_not_exist_is_a_usage_error() {
    let ws = workspace("nofile");
    for args in [
        &["preview"][..],
        &["push"][..],
        &["check-creds", "r53_main"][..],
    ] {
        let run = run(&ws, &[args, &["--creds", "nope.json"]].concat(), &ENV_KEYS);
        run.assert_exit(2)
            .assert_stderr_has(&["creds file nope.json does not exist", "--creds"])
            .assert_no_secret(&[]);
        assert!(!run.stderr.contains("credentials for"), "{run}");
    }
}

/// The line preview and push print when the AWS chain gives the credentials of `r53_main`.
fn chain_notice(reason: &str) -> String {
    format!(
        "credentials for \"r53_main\": environment (AWS_ACCESS_KEY_ID) {}…{}, from the AWS chain \
         ({reason})\n",
        &KEY_ID[..4],
        &KEY_ID[KEY_ID.len() - 4..]
    )
}

#[test]
fn the_aws_chain_is_used_only_without_a_creds_file_or_for_a_keyless_entry_and_said_once() {
    let moto = common::Moto::start();
    let ws = workspace("chain");
    let endpoint = ["--endpoint", moto.url.as_str()];
    run(&ws, &[&["create-domains"][..], &endpoint].concat(), &[]).assert_exit(0);
    let cases = [
        (
            json!({ "r53_main": { "TYPE": "ROUTE53" } }),
            "entry \"r53_main\" in creds.json has neither KeyId/SecretKey nor Profile",
        ),
        (json!(null), "creds file creds.json does not exist"),
    ];
    for (creds, reason) in cases {
        match creds {
            Value::Null => std::fs::remove_file(ws.dir.join("creds.json")).unwrap(),
            creds => ws.write_creds(&creds),
        }
        for command in ["preview", "push"] {
            let run = run(&ws, &[&[command][..], &endpoint].concat(), &ENV_KEYS);
            run.assert_exit(0).assert_no_secret(&[]);
            assert_eq!(
                run.stderr.matches(&chain_notice(reason)).count(),
                1,
                "{command}: {run}"
            );
            assert!(!run.stderr.contains(KEY_ID), "the key id is masked: {run}");
        }
    }
}

#[test]
fn bang_values_run_their_command_and_failures_name_entry_key_and_program_only() {
    let moto = common::Moto::start();
    let ws = workspace("bang");
    ws.write("secret.txt", &format!("{SECRET_KEY}\n"));
    ws.write_creds(&json!({ "r53_main": {
        "TYPE": "ROUTE53", "KeyId": format!("!printf '%s\\n' {KEY_ID}"), "SecretKey": "!cat secret.txt"
    }}));
    let check = ["check-creds", "r53_main", "--endpoint", moto.url.as_str()];
    let ok = run(&ws, &check, &[]);
    ok.assert_exit(0).assert_no_secret(&[]);
    assert!(ok.stdout.contains("credentials:  creds.json entry"), "{ok}");

    ws.write_creds(&json!({ "r53_main": {
        "KeyId": KEY_ID, "SecretKey": format!("!TOKEN={SESSION_TOKEN} false --password {SECRET_KEY}")
    }}));
    run(&ws, &check, &[])
        .assert_exit(1)
        .assert_stderr_has(&[
            "entry \"r53_main\" in creds.json: the command of SecretKey (false) exited with status 1",
        ])
        .assert_no_secret(&[]);
}

#[test]
fn unknown_creds_keys_are_warned_about_once_and_delegation_set_is_known() {
    let moto = common::Moto::start();
    let ws = workspace("unknownkeys");
    ws.write_creds(&json!({ "r53_main": {
        "TYPE": "ROUTE53", "KeyId": KEY_ID, "SecretKey": SECRET_KEY,
        "DelegationSet": "N1PA6795SAMPLE", "Colour": "blue"
    }}));
    let endpoint = ["--endpoint", moto.url.as_str()];
    run(&ws, &[&["create-domains"][..], &endpoint].concat(), &[]).assert_exit(0);
    let preview = run(&ws, &[&["preview"][..], &endpoint].concat(), &[]);
    preview.assert_exit(0).assert_stderr_has(&[
        "warning: entry \"r53_main\" in creds.json: r53ctl ignores \"Colour\", which it does not \
         know; the keys it knows are TYPE, KeyId,",
    ]);
    assert_eq!(preview.stderr.matches("ignores").count(), 1, "{preview}");
    assert!(
        !preview.stderr.contains("ignores \"DelegationSet\""),
        "{preview}"
    );
}

#[test]
fn a_credential_process_failure_names_the_program_not_its_arguments() {
    let ws = workspace("process");
    ws.write_creds(&json!({ "r53_main": { "TYPE": "ROUTE53", "Profile": "sso" } }));
    ws.write(
        ".aws/config",
        &format!(
            "[profile sso]\ncredential_process = sh -c 'echo please log in >&2; exit 3' x \
             --secret {SECRET_KEY}\n"
        ),
    );
    check_creds_offline(&ws, "r53_main", &[], &[])
        .assert_exit(1)
        .assert_stderr_has(&[
            "credential_process of profile \"sso\" (sh): exited with status 3: please log in",
        ])
        .assert_no_secret(&[]);
}

#[test]
fn plain_http_to_another_machine_is_warned_about_once_per_run() {
    let route53 = TestServer::start(|_| {
        Reply::new(
            200,
            "text/xml",
            fixture("cli_creds/get_hosted_zone_count.xml"),
        )
    });
    let assumed = fixture("creds/sts-assume-role.xml").replace("2019-", "2099-");
    let sts = TestServer::start(move |_| Reply::new(200, "text/xml", assumed.clone()));
    let ws = workspace("cleartext");
    ws.write_creds(&json!({ "r53_main": {
        "KeyId": KEY_ID, "SecretKey": SECRET_KEY, "RoleArn": ROLE_ARN
    }}));
    // 0.0.0.0 reaches this machine, yet is not a loopback address: it stands for a remote host.
    let remote_route53 = route53.url.replace("127.0.0.1", "0.0.0.0");
    let remote_sts = sts.url.replace("127.0.0.1", "0.0.0.0");
    let cleartext = run(
        &ws,
        &["check-creds", "r53_main", "--endpoint", &remote_route53],
        &[("AWS_ENDPOINT_URL_STS", &remote_sts)],
    );
    cleartext.assert_exit(0).assert_stderr_has(&[&format!(
        "warning: the Route 53 endpoint {remote_route53} is plain http to another machine: \
         signed requests and any session token travel in clear text"
    )]);
    assert_eq!(
        cleartext.stderr.matches("clear text").count(),
        1,
        "{cleartext}"
    );
    assert!(
        !sts.requests().is_empty(),
        "the role was assumed through {remote_sts}"
    );

    let sts_only = run(
        &ws,
        &["check-creds", "r53_main", "--endpoint", &route53.url],
        &[("AWS_ENDPOINT_URL_STS", &remote_sts)],
    );
    sts_only.assert_exit(0).assert_stderr_has(&[&format!(
        "warning: the STS endpoint {remote_sts} is plain http to another machine"
    )]);

    let local = run(
        &ws,
        &["check-creds", "r53_main", "--endpoint", &route53.url],
        &[("AWS_ENDPOINT_URL_STS", &sts.url)],
    );
    local.assert_exit(0);
    assert!(!local.stderr.contains("warning"), "{local}");
}

#[test]
fn endless_input_files_fail_fast_and_are_named() {
    let ws = workspace("devzero");
    ws.write_creds(&json!({ "r53_main": { "TYPE": "ROUTE53" } }));
    let fails_fast_naming = |args: &[&str], env: &[(&str, &str)], named: &str| {
        let started = std::time::Instant::now();
        let run = check_creds_offline(&ws, "r53_main", args, env);
        run.assert_exit(1)
            .assert_stderr_has(&[named, "larger than 64 MiB"]);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "{run}"
        );
    };
    fails_fast_naming(&["--creds", "/dev/zero"], &[], "creds file /dev/zero");
    fails_fast_naming(
        &[],
        &[("AWS_SHARED_CREDENTIALS_FILE", "/dev/zero")],
        "AWS shared file /dev/zero",
    );
    fails_fast_naming(
        &[],
        &[
            ("AWS_WEB_IDENTITY_TOKEN_FILE", "/dev/zero"),
            ("AWS_ROLE_ARN", ROLE_ARN),
        ],
        "web identity token file /dev/zero",
    );
    let container = format!("http://127.0.0.1:{}/creds", free_port());
    fails_fast_naming(
        &[],
        &[
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &container),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/dev/zero"),
        ],
        "container authorization token file /dev/zero",
    );
}

#[test]
fn debug_shows_sources_and_endpoints_but_never_a_secret() {
    let moto = common::Moto::start();
    let ws = workspace("debug");
    let endpoint = ["--endpoint", moto.url.as_str(), "--debug"];
    let mut runs = Vec::new();
    for command in [
        &["create-domains"][..],
        &["preview"][..],
        &["push"][..],
        &["check-creds", "r53_main"][..],
    ] {
        let run = run(&ws, &[command, &endpoint].concat(), &[]);
        run.assert_exit(0);
        runs.push(run);
    }
    let check = runs.last().expect("check-creds ran");
    check.assert_stderr_has(&[
        "debug: creds entry \"r53_main\": credentials from creds.json entry \"r53_main\"",
        &format!(
            "debug: creds entry \"r53_main\": Route 53 endpoint {} (from --endpoint), signing \
             region us-east-1",
            moto.url
        ),
    ]);
    assert_eq!(
        check.stderr.matches("credentials from").count(),
        1,
        "the source is said once:\n{check}"
    );
    for run in &runs {
        run.assert_no_secret(&[]);
    }

    let denied = fake_route53(
        403,
        fixture("route53/error_signature_does_not_match.xml"),
        "debug-req-1",
    );
    let failed = run(
        &ws,
        &[
            "check-creds",
            "r53_main",
            "--debug",
            "--endpoint",
            &denied.url,
        ],
        &[],
    );
    failed
        .assert_exit(1)
        .assert_no_secret(&signatures(&denied.requests()));
    assert!(
        !signatures(&denied.requests()).is_empty(),
        "requests were signed"
    );

    let tls = run(
        &ws,
        &[
            "preview",
            "--debug",
            "--endpoint",
            &format!("https://{}", plain_http_server().host_port()),
        ],
        &[],
    );
    tls.assert_exit(1).assert_no_secret(&[]);
}

#[test]
fn an_sts_failure_shows_code_and_request_id_but_no_secret() {
    let sts = TestServer::start(|_| {
        Reply::new(403, "text/xml", fixture("creds/sts-error.xml"))
            .with_header("x-amzn-RequestId", "4a5b0e1c-7c9e-4a3e-8b32-EXAMPLE")
    });
    let ws = workspace("sts");
    ws.write_creds(&json!({ "r53_main": {
        "TYPE": "ROUTE53", "KeyId": KEY_ID, "SecretKey": SECRET_KEY, "Token": SESSION_TOKEN,
        "RoleArn": ROLE_ARN
    }}));
    let run = run(
        &ws,
        &[
            "check-creds",
            "r53_main",
            "--debug",
            "--endpoint",
            "http://127.0.0.1:9",
        ],
        &[("AWS_ENDPOINT_URL_STS", sts.url.as_str())],
    );
    run.assert_exit(1)
        .assert_stderr_has(&[
            "AssumeRole",
            ROLE_ARN,
            "AccessDenied (HTTP 403)",
            "4a5b0e1c-7c9e-4a3e-8b32-EXAMPLE",
            "trust policy",
        ])
        .assert_no_secret(&signatures(&sts.requests()))
        .assert_no_repeated_context();
    assert!(!sts.requests().is_empty(), "STS was asked");
}

/// Runs `args` against a fake Route 53 answering `fixture` with `status`; the run must fail
/// with exit 1 and show the code, the HTTP status, the request id and `hint`.
fn assert_aws_error(
    args: &[&str],
    fixture_name: &str,
    status: u16,
    code: &str,
    hint: &[&str],
) -> Run {
    let request_id = "7a62c49f-347e-4fc4-9331-6e8eEXAMPLE";
    let server = fake_route53(
        status,
        fixture(&format!("route53/{fixture_name}")),
        request_id,
    );
    let ws = workspace(&code.to_ascii_lowercase());
    let run = run(
        &ws,
        &[args, &["--endpoint", server.url.as_str()]].concat(),
        &[],
    );
    run.assert_exit(1)
        .assert_stderr_has(&[
            code,
            &format!("HTTP {status}"),
            &format!("request id {request_id}"),
        ])
        .assert_stderr_has(hint)
        .assert_no_secret(&signatures(&server.requests()))
        .assert_no_repeated_context();
    run
}

#[test]
fn invalid_client_token_id_says_the_key_id_is_unknown() {
    assert_aws_error(
        &["check-creds", "r53_main"],
        "error_invalid_client_token_id.xml",
        403,
        "InvalidClientTokenId",
        &[
            "creds entry \"r53_main\" does not work: GetHostedZoneCount failed",
            "access key id is not known",
            "KeyId in creds.json",
            "\n  credentials: creds.json entry \"r53_main\"",
        ],
    );
}

#[test]
fn signature_does_not_match_says_the_secret_key_is_wrong() {
    assert_aws_error(
        &["check-creds", "r53_main"],
        "error_signature_does_not_match.xml",
        403,
        "SignatureDoesNotMatch",
        &["secret key is wrong", "SecretKey in creds.json"],
    );
}

#[test]
fn expired_token_says_to_refresh_the_credentials() {
    assert_aws_error(
        &["check-creds", "r53_main"],
        "error_expired_token.xml",
        403,
        "ExpiredToken",
        &["session token has expired", "refresh"],
    );
}

#[test]
fn access_denied_names_the_iam_action() {
    assert_aws_error(
        &["preview"],
        "error_access_denied.xml",
        403,
        "AccessDenied",
        &[
            "domain accessdenied.tld",
            "does not allow route53:ListHostedZonesByName",
        ],
    );
}

#[test]
fn request_time_too_skewed_shows_local_and_server_time() {
    let run = assert_aws_error(
        &["check-creds", "r53_main"],
        "error_request_time_too_skewed.xml",
        403,
        "RequestTimeTooSkewed",
        &[&format!("server time {SERVER_DATE}"), "fix the clock"],
    );
    let local = run
        .stderr
        .split("local time ")
        .nth(1)
        .and_then(|rest| rest.split(',').nth(1))
        .unwrap_or_default();
    assert!(
        local.trim_start().ends_with("GMT"),
        "no local time in\n{run}"
    );
}

#[test]
fn an_unreachable_endpoint_is_named_with_the_fix() {
    let ws = workspace("unreachable");
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}");
    run(&ws, &["check-creds", "r53_main", "--endpoint", &url], &[])
        .assert_exit(1)
        .assert_stderr_has(&[
            &format!("cannot connect to 127.0.0.1:{port}"),
            "check the endpoint",
        ])
        .assert_no_repeated_context();
}

#[test]
fn https_to_a_plain_http_server_says_tls_and_names_aws_ca_bundle() {
    let server = plain_http_server();
    let url = format!("https://{}", server.host_port());
    let ws = workspace("tls");
    run(&ws, &["check-creds", "r53_main", "--endpoint", &url], &[])
        .assert_exit(1)
        .assert_stderr_has(&["TLS handshake with", "http:// URL", "AWS_CA_BUNDLE"])
        .assert_no_repeated_context();
}

#[test]
fn an_unreachable_proxy_is_named() {
    let ws = workspace("proxy");
    let proxy = format!("http://127.0.0.1:{}", free_port());
    let endpoint = format!("https://127.0.0.1:{}", free_port());
    run(
        &ws,
        &["check-creds", "r53_main", "--endpoint", &endpoint],
        &[("HTTPS_PROXY", proxy.as_str())],
    )
    .assert_exit(1)
    .assert_stderr_has(&[&format!("proxy {proxy} failed"), "HTTPS_PROXY"])
    .assert_no_repeated_context();
}

#[test]
fn a_creds_entry_ca_bundle_is_used_for_its_requests() {
    let ws = workspace("cabundle");
    ws.write("not-a-ca.pem", "not a certificate\n");
    ws.write_creds(&json!({
        "r53_main": { "KeyId": KEY_ID, "SecretKey": SECRET_KEY, "CaBundle": "not-a-ca.pem" },
        "r53_missing": { "KeyId": KEY_ID, "SecretKey": SECRET_KEY, "CaBundle": "missing.pem" }
    }));
    check_creds_offline(&ws, "r53_main", &[], &[])
        .assert_exit(1)
        .assert_stderr_has(&[
            "not-a-ca.pem",
            "no PEM certificate",
            "CaBundle in creds.json",
        ]);
    check_creds_offline(&ws, "r53_missing", &[], &[])
        .assert_exit(1)
        .assert_stderr_has(&["entry \"r53_missing\"", "missing.pem", "not a file"]);
}

#[test]
fn a_creds_file_others_can_read_gets_one_warning() {
    let server = TestServer::start(|_| {
        Reply::new(
            200,
            "text/xml",
            fixture("cli_creds/get_hosted_zone_count.xml"),
        )
    });
    let ws = workspace("perms");
    let check = ["check-creds", "r53_main", "--endpoint", server.url.as_str()];

    let tight = run(&ws, &check, &[]);
    tight.assert_exit(0);
    assert!(!tight.stderr.contains("warning"), "{tight}");

    ws.chmod("creds.json", 0o644);
    let loose = run(&ws, &check, &[]);
    loose.assert_exit(0).assert_stderr_has(&[
        "warning: creds.json holds secrets but can be read by its group and by others (mode 644); \
         run: chmod 600 creds.json",
    ]);
    assert_eq!(loose.stderr.matches("warning").count(), 1, "{loose}");
    assert!(loose.stdout.contains("hosted zones: 3"), "{loose}");
}
