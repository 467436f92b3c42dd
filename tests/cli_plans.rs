//! Reviewed plans (`preview --out`, `push --plan`), safety limits, many zones, output for scripts
//! and `push --wait`, through the r53ctl binary against a local Route 53 API server (moto).

mod cli;
mod common;
mod support;

use std::collections::BTreeSet;

use cli::{assert_exit, config, config_of, config_with, domain, stderr, stdout, Workspace};
use r53ctl::http::{Transport, TransportOptions};
use r53ctl::route53::{BucketLimit, Client, ClientOptions, Limits};
use r53ctl::sigv4::Endpoint;
use serde_json::{json, Value};

/// The one warning a run against moto earns: moto lacks ListResourceRecordSetProtections.
const MOTO_WARNING: &str =
    "warning: the endpoint does not offer ListResourceRecordSetProtections (HTTP 404)";

fn read_json(ws: &Workspace, name: &str) -> Value {
    let text = std::fs::read_to_string(ws.dir.join(name)).expect("read file");
    serde_json::from_str(&text).expect("JSON file")
}

/// `count` A records `host0`, `host1`, … starting at number `from`.
fn hosts(from: usize, count: usize) -> Value {
    let records: Vec<Value> = (from..from + count)
        .map(|i| json!({ "name": format!("host{i}"), "type": "A", "value": format!("10.0.0.{i}") }))
        .collect();
    json!(records)
}

fn has_record(live: &[Value], name: &str, value: &str) -> bool {
    live.iter()
        .any(|r| r["name"] == name && r["value"] == value)
}

#[test]
fn a_reviewed_plan_is_applied_exactly_without_a_config() {
    let moto = common::Moto::start();
    let ws = Workspace::new("apply", &moto.url);
    let v1 = config(
        "plan.tld",
        json!([
            { "name": "keep", "type": "A", "value": "1.1.1.1" },
            { "name": "change", "type": "A", "value": "2.2.2.2" },
            { "name": "gone", "type": "A", "value": "3.3.3.3" },
        ]),
    );
    ws.write_config("dnsconfig.json", &v1);
    assert_exit(&ws.run(&["create-domains"]), 0);
    assert_exit(&ws.run(&["push"]), 0);

    let v2 = config(
        "plan.tld",
        json!([
            { "name": "keep", "type": "A", "value": "1.1.1.1" },
            { "name": "change", "type": "A", "value": "4.4.4.4" },
            { "name": "new", "type": "TXT", "value": "hello" },
        ]),
    );
    ws.write_config("dnsconfig.json", &v2);
    assert_exit(&ws.run(&["preview", "--out", "plan.json"]), 0);
    let plan = read_json(&ws, "plan.json");
    assert_eq!(plan["format"], "r53ctl-plan/1");
    assert_eq!(plan["zones"][0]["provider"], "r53_main");
    assert_eq!(plan["zones"][0]["max_change_share"], json!(0.3));

    // No config at all: the plan alone says what to send and where.
    std::fs::remove_file(ws.dir.join("dnsconfig.json")).expect("remove config");
    let push = ws.run(&["push", "--plan", "plan.json"]);
    assert_exit(&push, 0);
    let text = stdout(&push);
    assert!(
        text.contains("applied 1 of 1 request (4 change actions)"),
        "{text}"
    );
    assert!(
        text.contains("DELETE gone.plan.tld A 300 3.3.3.3"),
        "{text}"
    );
    assert!(!text.contains('\x1b'), "no colour off a terminal: {text:?}");
    assert!(
        stderr(&push).is_empty(),
        "no progress off a terminal: {}",
        stderr(&push)
    );

    ws.write_config("dnsconfig.json", &v2);
    let after = ws.run(&["preview", "--expect-no-changes"]);
    assert_exit(&after, 0);
    assert!(
        stdout(&after).contains("Total: 0 changes"),
        "{}",
        stdout(&after)
    );
    let live = ws.live_records("plan.tld");
    assert_eq!(live.len(), 3, "{live:?}");
    assert!(has_record(&live, "change", "4.4.4.4"), "{live:?}");
}

#[test]
fn a_zone_changed_since_the_plan_is_not_touched_and_others_apply() {
    let moto = common::Moto::start();
    let ws = Workspace::new("changed", &moto.url);
    let records = |value: &str| json!([{ "name": "www", "type": "A", "value": value }]);
    ws.write_config(
        "dnsconfig.json",
        &config_of(vec![
            domain("a.tld", records("1.1.1.1")),
            domain("b.tld", records("1.1.1.1")),
        ]),
    );
    assert_exit(&ws.run(&["create-domains"]), 0);
    assert_exit(&ws.run(&["push"]), 0);

    ws.write_config(
        "dnsconfig.json",
        &config_of(vec![
            domain("a.tld", records("2.2.2.2")),
            domain("b.tld", records("2.2.2.2")),
        ]),
    );
    assert_exit(&ws.run(&["preview", "--out", "plan.json"]), 0);

    // Someone else changes a.tld after the plan was reviewed.
    ws.write_config(
        "theirs.json",
        &config(
            "a.tld",
            json!([
                { "name": "www", "type": "A", "value": "1.1.1.1" },
                { "name": "theirs", "type": "A", "value": "9.9.9.9" },
            ]),
        ),
    );
    assert_exit(&ws.run(&["push", "--config", "theirs.json"]), 0);

    let push = ws.run(&["push", "--plan", "plan.json"]);
    assert_exit(&push, 1);
    let text = stdout(&push);
    assert!(
        text.contains("zone a.tld (") && text.contains("changed since the plan was made"),
        "{text}"
    );
    assert!(text.contains("nothing was written to it"), "{text}");
    assert!(stderr(&push).contains("a.tld"), "{}", stderr(&push));

    let a = ws.live_records("a.tld");
    assert!(
        has_record(&a, "www", "1.1.1.1") && has_record(&a, "theirs", "9.9.9.9"),
        "{a:?}"
    );
    assert_eq!(a.len(), 2, "{a:?}");
    let b = ws.live_records("b.tld");
    assert_eq!(b.len(), 1, "{b:?}");
    assert!(has_record(&b, "www", "2.2.2.2"), "{b:?}");
}

#[test]
fn a_plan_whose_zone_id_is_another_zones_is_refused_naming_both() {
    let moto = common::Moto::start();
    let ws = Workspace::new("wrongzone", &moto.url);
    let records = |value: &str| json!([{ "name": "www", "type": "A", "value": value }]);
    let both = |value: &str| {
        config_of(vec![
            domain("a.tld", records(value)),
            domain("b.tld", records(value)),
        ])
    };
    ws.write_config("dnsconfig.json", &both("1.1.1.1"));
    assert_exit(&ws.run(&["create-domains"]), 0);
    assert_exit(&ws.run(&["push"]), 0);
    ws.write_config("dnsconfig.json", &both("2.2.2.2"));
    assert_exit(&ws.run(&["preview", "--out", "plan.json"]), 0);

    let mut plan = read_json(&ws, "plan.json");
    let b_id = plan["zones"][1]["zone"]["id"].clone();
    plan["zones"][0]["zone"]["id"] = b_id.clone();
    plan["zones"].as_array_mut().unwrap().truncate(1);
    ws.write("plan.json", &plan.to_string());

    let push = ws.run(&["push", "--plan", "plan.json"]);
    assert_exit(&push, 1);
    let text = stdout(&push);
    let b_id = b_id.as_str().unwrap();
    assert!(
        text.contains(&format!(
            "the plan says zone {b_id} is a.tld, but in Route 53 zone {b_id} is b.tld"
        )) && text.contains("nothing was written to it"),
        "{text}"
    );
    assert!(has_record(&ws.live_records("b.tld"), "www", "1.1.1.1"));
}

/// Plan files are checked before anything is read or sent; a bad one is a usage error (exit 2).
#[test]
fn unreadable_malformed_and_unsupported_plans_are_usage_errors() {
    // Nothing listens here: a run that tried the network would fail with exit 1, not 2.
    let ws = Workspace::new("badplan", "http://127.0.0.1:9");
    let zone = json!({
        "domain": "x.tld", "provider": "r53_main", "max_change_share": 0.3,
        "zone": { "id": "Z1", "name": "x.tld.", "private": false },
        "live_fingerprint": "sha256:00",
        "batches": [[{ "action": "UPSERT", "record_set": {
            "name": "a.x.tld.", "type": "A", "ttl": 300, "values": ["1.1.1.1"] } }]]
    });
    let create_a = |value: &str| {
        let mut zone = zone.clone();
        zone["batches"][0][0]["action"] = json!("CREATE");
        zone["batches"][0][0]["record_set"]["values"][0] = json!(value);
        zone
    };
    let cases = [
        ("missing.json", None, "cannot read it"),
        ("garbage.json", Some("{not json".to_string()), "not JSON"),
        (
            "future.json",
            Some(json!({ "format": "r53ctl-plan/9", "zones": [] }).to_string()),
            "its format is \"r53ctl-plan/9\"",
        ),
        (
            "upsert.json",
            Some(json!({ "format": "r53ctl-plan/1", "zones": [zone] }).to_string()),
            "$.zones[0].batches[0][0].action: action \"UPSERT\" is not CREATE or DELETE (UPSERT only",
        ),
        (
            "notanip.json",
            Some(json!({ "format": "r53ctl-plan/1", "zones": [create_a("not-an-ip")] }).to_string()),
            "$.zones[0].batches[0][0].record_set.values[0]: \"not-an-ip\" is not an IPv4 address",
        ),
        (
            "twice.json",
            Some(
                json!({ "format": "r53ctl-plan/1",
                        "zones": [create_a("1.1.1.1"), create_a("2.2.2.2")] })
                .to_string(),
            ),
            "$.zones[1].zone.id: zone Z1 is also planned at $.zones[0]",
        ),
    ];
    for (file, content, expected) in cases {
        if let Some(content) = content {
            ws.write(file, &content);
        }
        let out = ws.run(&["push", "--plan", file]);
        assert_exit(&out, 2);
        let err = stderr(&out);
        assert!(err.contains(&format!("plan file {file}: ")), "{err}");
        assert!(err.contains(expected), "{err}");
        assert!(stdout(&out).is_empty(), "{}", stdout(&out));
    }
}

#[test]
fn a_push_that_changes_too_much_of_a_zone_is_refused() {
    let moto = common::Moto::start();
    let ws = Workspace::new("safety", &moto.url);
    // 10 hosts + SOA + NS: 12 live record sets.
    ws.write_config("dnsconfig.json", &config("safe.tld", hosts(0, 10)));
    assert_exit(&ws.run(&["create-domains"]), 0);
    assert_exit(&ws.run(&["push"]), 0);

    // Deleting 4 of 12 (33.3%) is more than the default 30%.
    ws.write_config("dnsconfig.json", &config("safe.tld", hosts(0, 6)));
    let refused = ws.run(&["push"]);
    assert_exit(&refused, 4);
    let err = stderr(&refused);
    assert!(
        err.contains(
            "safe.tld: would change or delete 4 of 12 record sets (33.3%), more than the 30% limit"
        ),
        "{err}"
    );
    assert_eq!(ws.live_records("safe.tld").len(), 10, "nothing may be sent");

    // preview says so; a reviewed plan is held to the same limit.
    let preview = ws.run(&["preview", "--out", "plan.json"]);
    assert_exit(&preview, 0);
    assert!(
        stderr(&preview)
            .contains("warning: push will refuse safe.tld: would change or delete 4 of 12"),
        "{}",
        stderr(&preview)
    );
    assert_exit(&ws.run(&["push", "--plan", "plan.json"]), 4);
    assert_eq!(ws.live_records("safe.tld").len(), 10, "nothing may be sent");

    // The domain may allow more.
    let relaxed = config_with("safe.tld", hosts(0, 6), json!({ "max_change_share": 0.5 }));
    ws.write_config("dnsconfig.json", &relaxed);
    assert_exit(&ws.run(&["push"]), 0);
    assert_eq!(ws.live_records("safe.tld").len(), 6);

    // Or --force, once: deleting 5 of 14 (35.7%).
    ws.write_config("dnsconfig.json", &config("safe.tld", hosts(0, 12)));
    assert_exit(&ws.run(&["push"]), 0);
    ws.write_config("dnsconfig.json", &config("safe.tld", hosts(0, 7)));
    assert_exit(&ws.run(&["push"]), 4);
    assert_exit(&ws.run(&["push", "--force"]), 0);
    assert_eq!(ws.live_records("safe.tld").len(), 7);
}

#[test]
fn an_invalid_max_change_share_is_a_config_error() {
    let ws = Workspace::new("badshare", "http://127.0.0.1:9");
    let bad = config_with("x.tld", json!([]), json!({ "max_change_share": 1.5 }));
    ws.write_config("dnsconfig.json", &bad);
    let out = ws.run(&["check"]);
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains("max_change_share 1.5 is not a share from 0 to 1"),
        "{}",
        stderr(&out)
    );
}

/// A client for `moto` that does not pace itself: test set-up need not wait for AWS's quotas.
fn unpaced_client(moto: &common::Moto) -> Client {
    let off = BucketLimit::new(0.0, 0.0);
    let options = ClientOptions {
        limits: Limits {
            requests: off,
            per_operation: off,
            operations: Vec::new(),
            changes: off,
        },
        ..ClientOptions::default()
    };
    let transport = Transport::new(&TransportOptions::default()).expect("transport");
    let endpoint = Endpoint {
        url: moto.url.clone(),
        region: "us-east-1".into(),
        service: "route53",
    };
    Client::with_options(transport, endpoint, common::static_credentials(), options)
}

/// 200 zones are each read once, concurrently, through one client, and all reported. The run
/// keeps to Route 53's request rate (10 per second), so it takes tens of seconds.
#[test]
fn two_hundred_zones_preview_in_one_run() {
    let moto = common::Moto::start();
    let ws = Workspace::new("many", &moto.url);
    let names: Vec<String> = (0..200).map(|i| format!("zone{i}.tld")).collect();
    let setup = unpaced_client(&moto);
    for name in &names {
        common::create_zone(&setup, &format!("{name}."));
    }
    let www = json!([{ "name": "www", "type": "A", "value": "192.0.2.1" }]);
    let domains: Vec<Value> = names.iter().map(|n| domain(n, www.clone())).collect();
    ws.write_config("dnsconfig.json", &config_of(domains));

    let out = ws.run(&["preview", "--debug", "--concurrency", "8"]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("Total: 200 changes in 200 of 200 zones"),
        "{}",
        stdout(&out)
    );
    let err = stderr(&out);
    assert_eq!(err.matches(MOTO_WARNING).count(), 1, "once per run: {err}");
    assert!(
        !err.lines()
            .filter(|l| !l.starts_with(MOTO_WARNING))
            .any(|l| l.starts_with("error") || l.starts_with("warning")),
        "{err}"
    );
    let reads: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("debug: request ") && l.ends_with("(ListResourceRecordSets)"))
        .filter_map(|l| l.split("/hostedzone/").nth(1)?.split('/').next())
        .collect();
    let zones: BTreeSet<&str> = reads.iter().copied().collect();
    assert_eq!(reads.len(), 200, "one read per zone");
    assert_eq!(zones.len(), 200, "no zone read twice");
    let clients = err
        .lines()
        .filter(|l| l.contains("creds entry \"r53_main\": credentials from"))
        .count();
    assert_eq!(clients, 1, "one client for the provider:\n{err}");
    let requests_of = |operation: &str| {
        err.lines()
            .filter(|l| l.starts_with("debug: request ") && l.ends_with(&format!("({operation})")))
            .count()
    };
    assert_eq!(
        (
            requests_of("ListHostedZonesByName"),
            requests_of("ListHostedZones")
        ),
        (0, 2),
        "200 zones are found by listing the account's zones once (2 pages), not one by one"
    );
}

#[test]
fn json_output_is_one_document_and_exit_codes_tell_outcomes_apart() {
    let moto = common::Moto::start();
    let ws = Workspace::new("json", &moto.url);
    ws.write_config(
        "dnsconfig.json",
        &config(
            "json.tld",
            json!([{ "name": "a", "type": "A", "value": "1.1.1.1" }]),
        ),
    );
    assert_exit(&ws.run(&["create-domains"]), 0);
    assert_exit(&ws.run(&["preview", "--expect-no-changes"]), 3);
    // A wildcard selects the domain, in any case; an empty list is refused, not "no changes".
    let wildcard = ws.run(&["preview", "--expect-no-changes", "--domains", "JSON.*"]);
    assert_exit(&wildcard, 3);
    assert!(
        stdout(&wildcard).contains("json.tld"),
        "{}",
        stdout(&wildcard)
    );
    assert_exit(
        &ws.run(&["preview", "--expect-no-changes", "--domains", ""]),
        2,
    );
    assert_exit(&ws.run(&["preview", "--format", "yaml"]), 2);

    let push = ws.run(&["push", "--format", "json"]);
    assert_exit(&push, 0);
    let report: Value =
        serde_json::from_str(&stdout(&push)).expect("push prints one JSON document");
    assert!(
        stderr(&push).lines().all(|l| l.starts_with(MOTO_WARNING)),
        "nothing but JSON: {}",
        stderr(&push)
    );
    let zone = &report["zones"][0];
    assert_eq!(zone["domain"], "json.tld", "{report}");
    assert_eq!(zone["applied_requests"], 1, "{report}");
    assert_eq!(zone["applied_change_actions"], 1, "{report}");
    assert_eq!(
        zone["change_ids"].as_array().map(Vec::len),
        Some(1),
        "{report}"
    );
    assert_eq!(zone["error"], Value::Null, "{report}");

    ws.write_config(
        "dnsconfig.json",
        &config(
            "json.tld",
            json!([{ "name": "a", "type": "A", "value": "2.2.2.2" }]),
        ),
    );
    assert_exit(
        &ws.run(&["preview", "--out", "plan.json", "--format", "json"]),
        0,
    );
    let push = ws.run(&["push", "--plan", "plan.json", "--format", "json"]);
    assert_exit(&push, 0);
    let report: Value =
        serde_json::from_str(&stdout(&push)).expect("push --plan prints one JSON document");
    assert_eq!(report["zones"][0]["applied_change_actions"], 2, "{report}");
    assert_eq!(report["total_change_actions"], 2, "{report}");
    let uncovered = ws.run(&["push", "--plan", "plan.json", "--domains", "other.tld"]);
    assert_exit(&uncovered, 2);
    assert!(
        stderr(&uncovered).contains("which the plan does not cover; it covers: json.tld"),
        "{}",
        stderr(&uncovered)
    );
    let uncovered = ws.run(&["push", "--plan", "plan.json", "--domains", "*.other"]);
    assert_exit(&uncovered, 2);
    assert!(
        stderr(&uncovered).contains("--domains names *.other, which the plan does not cover"),
        "{}",
        stderr(&uncovered)
    );

    ws.write_config("dnsconfig.json", &config("nozone.tld", json!([])));
    let failed = ws.run(&["push", "--format", "json"]);
    assert_exit(&failed, 1);
    let report: Value = serde_json::from_str(&stdout(&failed))
        .expect("a failed push still prints one JSON document");
    assert_eq!(report["zones"], json!([]), "{report}");
    let partial = ws.run(&["preview", "--out", "partial.json"]);
    assert_exit(&partial, 1);
    assert!(
        !ws.dir.join("partial.json").exists(),
        "a plan must cover every zone"
    );
}

#[test]
fn push_wait_asks_for_the_change_status() {
    let moto = common::Moto::start();
    let ws = Workspace::new("wait", &moto.url);
    ws.write_config(
        "dnsconfig.json",
        &config(
            "wait.tld",
            json!([{ "name": "a", "type": "A", "value": "1.1.1.1" }]),
        ),
    );
    assert_exit(&ws.run(&["create-domains"]), 0);
    let out = ws.run(&["push", "--wait", "--debug"]);
    assert_exit(&out, 0);
    let err = stderr(&out);
    let position = |operation: &str| {
        err.lines().position(|l| {
            l.starts_with("debug: request ") && l.ends_with(&format!("({operation})"))
        })
    };
    let change = position("ChangeResourceRecordSets").expect("a change was sent");
    let status = position("GetChange").unwrap_or_else(|| panic!("no GetChange request:\n{err}"));
    assert!(status > change, "{err}");
}
