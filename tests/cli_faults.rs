//! `r53ctl push` through a fault-injecting proxy on 127.0.0.1, between r53ctl and the local
//! Route 53 API server: throttling, 500s, connections reset before and after the request was
//! forwarded, slow answers and truncated bodies. The proxy runs in strict mode, so the server
//! refuses what Route 53 would refuse. After each scenario the zone equals the config exactly, and
//! what r53ctl reported matches what was applied.

mod cli;
mod common;
mod proxy;
mod support;

use std::collections::BTreeSet;
use std::process::Output;
use std::time::Duration;

use cli::{assert_exit, config, stderr, stdout, Workspace};
use proxy::{Fault, Proxy, Rule};
use serde_json::{json, Value};

const DOMAIN: &str = "faults.tld";
/// Reads: every GET of the API (ListHostedZonesByName, ListResourceRecordSets, …).
const READS: &str = "/2013-04-01/hostedzone";
/// The write: ChangeResourceRecordSets.
const WRITE: &str = "/rrset";
/// How the report of one request that Route 53 accepted begins.
const ACCEPTED: &str = "request 1 of 1 (4 change actions): applied (change ";
/// The report of one request whose answer was lost but which re-reading the zone found applied.
const FOUND_APPLIED: &str =
    "request 1 of 1 (4 change actions): applied (confirmed by re-reading the zone)";
/// A read timeout the slow answers exceed.
const READ_TIMEOUT_SECS: &str = "1";
const SLOW: Duration = Duration::from_secs(3);

/// A zone pushed to the state of [`before`], with [`after`] as the config, behind a strict proxy.
struct Setup {
    // Declared first so the proxy's upstream outlives nothing it needs; moto stops on drop.
    moto: common::Moto,
    proxy: Proxy,
    /// Talks to the proxy.
    ws: Workspace,
}

/// Requests that reached the proxy during one push.
struct Sent {
    out: Output,
    posts: usize,
    forwarded_posts: usize,
}

fn before() -> Value {
    json!([
        { "name": "test", "type": "A", "value": "1.1.1.1" },
        { "name": "www", "type": "CNAME", "value": "test" },
        { "name": "old", "type": "TXT", "value": "bye" },
    ])
}

/// From [`before`]: `test` modified (DELETE + CREATE), `new` created, `old` deleted: 4 change
/// actions in one request.
fn after() -> Value {
    json!([
        { "name": "test", "type": "A", "value": "2.2.2.2" },
        { "name": "www", "type": "CNAME", "value": "test" },
        { "name": "new", "type": "A", "value": "3.3.3.3" },
    ])
}

fn setup(name: &str) -> Setup {
    let moto = common::Moto::start();
    let proxy = Proxy::start_strict(moto.url.trim_start_matches("http://"));
    let ws = Workspace::new(&format!("faults-{name}"), &proxy.url);
    ws.write_config("dnsconfig.json", &config(DOMAIN, before()));
    assert_exit(&ws.run(&["create-domains"]), 0);
    assert_exit(&ws.run(&["push"]), 0);
    ws.write_config("dnsconfig.json", &config(DOMAIN, after()));
    Setup { moto, proxy, ws }
}

fn fault(method: &'static str, path: &'static str, fault: Fault, times: usize) -> Rule {
    Rule {
        method,
        path,
        fault,
        skip: 0,
        times,
    }
}

impl Setup {
    /// Pushes with `rules` injected.
    fn push(&self, rules: Vec<Rule>, args: &[&str]) -> Sent {
        let posts = self.proxy.count("POST", WRITE);
        let forwarded = self.proxy.forwarded("POST", WRITE);
        for rule in rules {
            self.proxy.inject(rule);
        }
        let out = self.ws.run(&[&["push"], args].concat());
        Sent {
            out,
            posts: self.proxy.count("POST", WRITE) - posts,
            forwarded_posts: self.proxy.forwarded("POST", WRITE) - forwarded,
        }
    }

    /// The zone equals the config: checked straight against the server, not through the proxy.
    #[track_caller]
    fn assert_zone_equals_config(&self) {
        let direct = self.ws.via(&self.moto.url);
        assert_exit(&direct.run(&["preview", "--expect-no-changes"]), 0);
        let live: BTreeSet<String> = direct
            .live_records(DOMAIN)
            .iter()
            .map(|r| format!("{} {} {}", r["name"], r["type"], r["value"]))
            .collect();
        let expected: BTreeSet<String> = [
            r#""new" "A" "3.3.3.3""#,
            r#""test" "A" "2.2.2.2""#,
            r#""www" "CNAME" "test""#,
        ]
        .into_iter()
        .map(String::from)
        .collect();
        assert_eq!(live, expected);
    }
}

/// The push succeeded and its report says the one request was applied, `how`.
#[track_caller]
fn assert_reported_applied(sent: &Sent, how: &str) {
    assert_exit(&sent.out, 0);
    let text = stdout(&sent.out);
    assert!(text.contains(how), "{text}");
    assert!(
        text.contains("applied 1 of 1 request (4 change actions)"),
        "{text}"
    );
    assert!(!text.contains("FAILED"), "{text}");
}

#[test]
fn throttled_reads_and_write_are_retried() {
    let setup = setup("throttle");
    let sent = setup.push(
        vec![
            fault("GET", READS, Fault::Throttle, 3),
            fault("POST", WRITE, Fault::Throttle, 2),
        ],
        &[],
    );
    assert_reported_applied(&sent, ACCEPTED);
    assert_eq!((sent.posts, sent.forwarded_posts), (3, 1));
    setup.assert_zone_equals_config();
}

#[test]
fn a_write_refused_while_a_prior_request_is_processed_is_retried() {
    let setup = setup("prior");
    let sent = setup.push(
        vec![fault("POST", WRITE, Fault::PriorRequestNotComplete, 2)],
        &[],
    );
    assert_reported_applied(&sent, ACCEPTED);
    assert_eq!((sent.posts, sent.forwarded_posts), (3, 1));
    setup.assert_zone_equals_config();
}

#[test]
fn a_server_error_on_a_read_is_retried() {
    let setup = setup("read500");
    let sent = setup.push(vec![fault("GET", "/rrset", Fault::ServerError, 1)], &[]);
    assert_reported_applied(&sent, ACCEPTED);
    assert_eq!((sent.posts, sent.forwarded_posts), (1, 1));
    setup.assert_zone_equals_config();
}

/// The write failed before reaching the server, but r53ctl cannot know that: it reads the zone,
/// finds the request not applied, and sends it once more.
fn write_lost_before_forwarding(name: &str, lost: Fault) {
    let setup = setup(name);
    let sent = setup.push(vec![fault("POST", WRITE, lost, 1)], &[]);
    assert_reported_applied(&sent, ACCEPTED);
    assert_eq!(
        (sent.posts, sent.forwarded_posts),
        (2, 1),
        "{:?}",
        setup.proxy.log()
    );
    let err = stderr(&sent.out);
    assert!(err.contains("reading the zone to find out"), "{err}");
    setup.assert_zone_equals_config();
}

#[test]
fn a_server_error_on_the_write_is_reconciled_and_sent_again() {
    write_lost_before_forwarding("write500", Fault::ServerError);
}

#[test]
fn a_reset_before_forwarding_the_write_is_reconciled_and_sent_again() {
    write_lost_before_forwarding("resetbefore", Fault::ResetBefore);
}

/// The write was applied but its answer lost: r53ctl reads the zone, finds the request applied,
/// and never sends it again.
fn write_applied_but_answer_lost(name: &str, lost: Fault) -> Setup {
    let mut setup = setup(name);
    setup.ws.set_env("R53CTL_READ_TIMEOUT", READ_TIMEOUT_SECS);
    let sent = setup.push(vec![fault("POST", WRITE, lost, 1)], &[]);
    assert_reported_applied(&sent, FOUND_APPLIED);
    assert_eq!(
        (sent.posts, sent.forwarded_posts),
        (1, 1),
        "{:?}",
        setup.proxy.log()
    );
    setup.assert_zone_equals_config();
    setup
}

#[test]
fn a_server_error_after_the_write_was_applied_is_not_sent_again() {
    write_applied_but_answer_lost("after503", Fault::ServerErrorAfterForward);
}

#[test]
fn a_reset_after_the_write_was_applied_is_not_sent_again() {
    write_applied_but_answer_lost("resetafter", Fault::ResetAfter);
}

#[test]
fn a_write_answered_too_slowly_is_not_sent_again() {
    write_applied_but_answer_lost("slowwrite", Fault::Slow(SLOW));
}

#[test]
fn a_truncated_answer_to_the_write_is_not_sent_again() {
    write_applied_but_answer_lost("truncwrite", Fault::Truncate);
}

#[test]
fn an_unreadable_success_answer_to_the_write_is_not_sent_again() {
    write_applied_but_answer_lost("garbagewrite", Fault::GarbageAfterForward);
}

#[test]
fn the_json_report_says_a_request_was_confirmed_by_re_reading() {
    let setup = setup("json");
    let sent = setup.push(
        vec![fault("POST", WRITE, Fault::ResetAfter, 1)],
        &["--format", "json"],
    );
    assert_exit(&sent.out, 0);
    let report: Value = serde_json::from_str(&stdout(&sent.out)).expect("push JSON");
    let request = &report["zones"][0]["request_outcomes"][0];
    assert_eq!(request["status"], "applied", "{report}");
    assert_eq!(
        request["detail"], "confirmed by re-reading the zone",
        "{report}"
    );
    assert_eq!(request["change_id"], Value::Null, "{report}");
    assert_eq!(report["zones"][0]["applied_change_actions"], 4, "{report}");
    setup.assert_zone_equals_config();
}

#[test]
fn a_hostile_error_answer_prints_no_escape_sequence_and_no_secret() {
    let moto = common::Moto::start();
    let proxy = Proxy::start(moto.url.trim_start_matches("http://"));
    let ws = Workspace::new("faults-hostile", &proxy.url);
    ws.write_creds(&json!({ "r53_main": {
        "TYPE": "ROUTE53", "KeyId": "AKIDTEST", "SecretKey": "test-secret-key",
        "Token": "SESSIONTOKENSECRET"
    }}));
    ws.write_config("dnsconfig.json", &config(DOMAIN, before()));
    for args in [&["preview"][..], &["preview", "--debug"]] {
        proxy.inject(fault("GET", READS, Fault::EchoHostile, 1));
        let out = ws.run(args);
        assert_exit(&out, 1);
        let (text, err) = (stdout(&out), stderr(&out));
        assert!(err.contains("InvalidInput"), "{err}");
        assert!(err.contains("\\x1b[31mred alert"), "{err}");
        assert!(err.contains("\\u{202e}you sent"), "{err}");
        assert!(err.contains("x-amz-security-token: [redacted]"), "{err}");
        assert!(err.contains("Signature=[redacted]"), "{err}");
        for raw in [
            "\x1b[31m",
            "\u{202e}",
            "SESSIONTOKENSECRET",
            "test-secret-key",
        ] {
            assert!(
                !err.contains(raw) && !text.contains(raw),
                "{raw:?} in {err}"
            );
        }
    }
}

/// A read whose answer is slow, or arrives cut short, is sent again.
fn read_retried(name: &str, trouble: Fault) {
    let mut setup = setup(name);
    setup.ws.set_env("R53CTL_READ_TIMEOUT", READ_TIMEOUT_SECS);
    let reads = setup.proxy.count("GET", "/rrset");
    let sent = setup.push(vec![fault("GET", "/rrset", trouble, 1)], &[]);
    assert_reported_applied(&sent, ACCEPTED);
    assert_eq!((sent.posts, sent.forwarded_posts), (1, 1));
    assert!(setup.proxy.count("GET", "/rrset") - reads >= 2);
    setup.assert_zone_equals_config();
}

#[test]
fn a_read_answered_too_slowly_is_retried() {
    read_retried("slowread", Fault::Slow(SLOW));
}

#[test]
fn a_truncated_read_is_retried() {
    read_retried("truncread", Fault::Truncate);
}

#[test]
fn a_push_of_two_requests_whose_second_fails_reports_exactly_the_first() {
    const BIG: &str = "big.tld";
    let moto = common::Moto::start();
    let proxy = Proxy::start_strict(moto.url.trim_start_matches("http://"));
    let ws = Workspace::new("faults-two-requests", &proxy.url);
    let records: Vec<Value> = (0..1500)
        .map(|i| json!({ "name": format!("host{i}"), "type": "A", "value": format!("10.0.{}.{}", i / 256, i % 256) }))
        .collect();
    ws.write_config("dnsconfig.json", &config(BIG, json!(records)));
    assert_exit(&ws.run(&["create-domains"]), 0);

    proxy.inject(Rule {
        method: "POST",
        path: WRITE,
        fault: Fault::InvalidChangeBatch,
        skip: 1,
        times: 1,
    });
    let out = ws.run(&["push", "--format", "json"]);
    assert_exit(&out, 1);
    let err = stderr(&out);
    assert!(
        err.contains("push did not complete for 1 zone: big.tld"),
        "{err}"
    );
    let report: Value = serde_json::from_str(&stdout(&out)).expect("push JSON");
    let zone = &report["zones"][0];
    assert!(
        zone["error"]
            .as_str()
            .is_some_and(|e| e.contains("request 2 of 2 was not applied")),
        "{zone}"
    );
    let requests = zone["request_outcomes"]
        .as_array()
        .expect("request outcomes");
    assert_eq!(requests.len(), 2, "{zone}");
    assert_eq!(
        (&requests[0]["status"], &requests[1]["status"]),
        (&json!("applied"), &json!("not_applied"))
    );
    assert!(requests[1]["detail"]
        .as_str()
        .is_some_and(|d| d.contains("InvalidChangeBatch")));
    assert_eq!(zone["applied_requests"], 1);
    assert_eq!(proxy.forwarded("POST", WRITE), 1, "{:?}", proxy.log());

    let first_request: BTreeSet<String> = requests[0]["changes"]
        .as_array()
        .expect("changes of request 1")
        .iter()
        .map(|c| {
            assert_eq!(c["action"], "CREATE");
            c["name"].as_str().unwrap_or_default().to_string()
        })
        .collect();
    let direct = ws.via(&moto.url);
    let live: BTreeSet<String> = direct
        .live_records(BIG)
        .iter()
        .map(|r| format!("{}.{BIG}.", r["name"].as_str().unwrap_or_default()))
        .collect();
    assert_eq!(zone["applied_change_actions"], json!(first_request.len()));
    assert_eq!(live, first_request, "the zone holds exactly request 1");

    assert_exit(&ws.run(&["push"]), 0);
    assert_exit(&direct.run(&["preview", "--expect-no-changes"]), 0);
}

#[test]
fn a_server_without_the_protections_api_gets_one_warning_and_preview_and_push_go_on() {
    let setup = setup("noprotections");
    let unknown_route = || fault("GET", "/rrsetprotection", Fault::UnknownRoute, usize::MAX);
    setup.proxy.inject(unknown_route());
    let warning =
        "warning: the endpoint does not offer ListResourceRecordSetProtections (HTTP 404 \
                   InvalidArgument); planning without record set protections";
    let preview = setup.ws.run(&["preview"]);
    assert_exit(&preview, 0);
    assert!(
        stdout(&preview).contains("3 changes"),
        "{}",
        stdout(&preview)
    );
    let sent = setup.push(vec![], &[]);
    assert_reported_applied(&sent, ACCEPTED);
    for out in [&preview, &sent.out] {
        assert_eq!(stderr(out).matches(warning).count(), 1, "{}", stderr(out));
    }
    assert!(setup.proxy.count("GET", "/rrsetprotection") >= 2);
    setup.assert_zone_equals_config();
}
