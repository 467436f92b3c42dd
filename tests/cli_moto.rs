//! The r53ctl binary end to end against a local Route 53 API server (moto) on 127.0.0.1:
//! create, modify, delete, no-op, a conflicting change, paging, and the error paths.

mod cli;
mod common;
mod proxy;
mod support;

use serde_json::{json, Value};

use cli::{assert_exit, config, stderr, stdout, Workspace};

#[test]
fn create_modify_delete_and_no_op() {
    let moto = common::Moto::start();
    let ws = Workspace::new("cmd", &moto.url);
    let v1 = config(
        "cmd.tld",
        json!([
            { "name": "test", "type": "A", "value": "1.2.3.4" },
            { "name": "www", "type": "CNAME", "value": "test" },
            { "name": "txt", "type": "TXT", "value": "hello \"world\"" },
            { "name": "@", "type": "MX", "value": "10 mail" },
            { "name": "@", "type": "MX", "value": "20 mail2" },
        ]),
    );
    ws.write_config("dnsconfig.json", &v1);
    assert_exit(&ws.run(&["create-domains"]), 0);

    let preview = ws.run(&["preview"]);
    assert_exit(&preview, 0);
    let text = stdout(&preview);
    assert_eq!(text.matches("CREATE ").count(), 4, "{text}");
    assert!(text.contains("1 request (atomic)"), "{text}");

    let pending = ws.run(&["preview", "--expect-no-changes"]);
    assert_exit(&pending, 3);

    assert_exit(&ws.run(&["push"]), 0);
    let again = ws.run(&["preview", "--expect-no-changes"]);
    assert_exit(&again, 0);
    assert!(
        stdout(&again).contains("Total: 0 changes"),
        "{}",
        stdout(&again)
    );

    let v2 = config(
        "cmd.tld",
        json!([
            { "name": "test", "type": "A", "value": "5.6.7.8", "ttl": 600 },
            { "name": "www", "type": "CNAME", "value": "test" },
            { "name": "@", "type": "MX", "value": "10 mail" },
            { "name": "v6", "type": "AAAA", "value": "2001:db8::1" },
        ]),
    );
    ws.write_config("dnsconfig.json", &v2);
    let preview = ws.run(&["preview", "--format", "json"]);
    assert_exit(&preview, 0);
    let plan: Value = serde_json::from_str(&stdout(&preview)).expect("preview JSON");
    let counts = &plan["zones"][0]["counts"];
    assert_eq!(
        (&counts["create"], &counts["modify"], &counts["delete"]),
        (&json!(1), &json!(2), &json!(1)),
        "{plan}"
    );

    assert_exit(&ws.run(&["push"]), 0);
    assert_exit(&ws.run(&["preview", "--expect-no-changes"]), 0);
    let live = ws.live_records("cmd.tld");
    assert_eq!(live.len(), 4, "{live:?}");
    assert!(live
        .iter()
        .any(|r| r["name"] == "test" && r["ttl"] == 600 && r["value"] == "5.6.7.8"));
}

#[test]
fn a_record_set_changed_by_someone_else_fails_the_push_whole() {
    let moto = common::Moto::start();
    // Strict: the proxy refuses a DELETE that does not match the live record set, as Route 53
    // does and moto does not.
    let proxy = proxy::Proxy::start_strict(moto.url.trim_start_matches("http://"));
    let ws = Workspace::new("race", &proxy.url);
    ws.write_config(
        "dnsconfig.json",
        &config(
            "race.tld",
            json!([{ "name": "test", "type": "A", "value": "1.1.1.1" }]),
        ),
    );
    assert_exit(&ws.run(&["create-domains"]), 0);
    assert_exit(&ws.run(&["push"]), 0);

    // Ours: test 1.1.1.1 -> 2.2.2.2, and a new record set. Theirs, written directly to the server
    // between our read and our write: test -> 9.9.9.9. Our DELETE of test 1.1.1.1 no longer
    // matches the live record set, so the whole request must fail and theirs must stand.
    ws.write_config(
        "dnsconfig.json",
        &config(
            "race.tld",
            json!([
                { "name": "test", "type": "A", "value": "2.2.2.2" },
                { "name": "new", "type": "A", "value": "3.3.3.3" },
            ]),
        ),
    );
    ws.write_config(
        "theirs.json",
        &config(
            "race.tld",
            json!([{ "name": "test", "type": "A", "value": "9.9.9.9" }]),
        ),
    );
    let theirs = ws.via(&moto.url);
    proxy.before_forward("POST", "/rrset", move |_| {
        assert_exit(&theirs.run(&["push", "--config", "theirs.json"]), 0);
    });
    let posts_before = proxy.count("POST", "/rrset");

    let out = ws.run(&["push"]);
    assert_exit(&out, 1);
    let report = format!("{}{}", stdout(&out), stderr(&out));
    assert!(report.contains("request 1 of 1"), "{report}");
    assert!(report.contains("InvalidChangeBatch"), "{report}");
    assert!(report.contains("not applied"), "{report}");
    assert_eq!(
        proxy.count("POST", "/rrset") - posts_before,
        1,
        "a refused change batch is never sent again: {:?}",
        proxy.log()
    );

    let live = ws.via(&moto.url).live_records("race.tld");
    assert_eq!(live.len(), 1, "nothing of ours may be written: {live:?}");
    assert_eq!(
        (&live[0]["name"], &live[0]["value"]),
        (&json!("test"), &json!("9.9.9.9"))
    );
}

#[test]
fn zones_larger_than_one_page_and_one_request() {
    let moto = common::Moto::start();
    let ws = Workspace::new("paging", &moto.url);
    let records: Vec<Value> = (0..1200)
        .map(|i| json!({ "name": format!("host{i}"), "type": "A", "value": format!("10.0.{}.{}", i / 256, i % 256) }))
        .collect();
    ws.write_config("dnsconfig.json", &config("paging.tld", json!(records)));
    assert_exit(&ws.run(&["create-domains"]), 0);

    let preview = ws.run(&["preview"]);
    assert_exit(&preview, 0);
    assert!(
        stdout(&preview).contains("1200 changes in 2 requests (not atomic"),
        "{}",
        stdout(&preview)
    );
    assert_exit(&ws.run(&["push"]), 0);
    let again = ws.run(&["preview", "--expect-no-changes", "--debug"]);
    assert_exit(&again, 0);
    let pages = stderr(&again)
        .lines()
        .filter(|l| l.starts_with("debug: request GET") && l.contains("/rrset"))
        .count();
    assert!(
        pages >= 5,
        "1,202 record sets need at least 5 pages of 300, saw {pages}"
    );
    assert_eq!(ws.live_records("paging.tld").len(), 1200);
}

#[test]
fn a_domain_without_a_hosted_zone_is_named_with_the_fix() {
    let moto = common::Moto::start();
    let ws = Workspace::new("nozone", &moto.url);
    ws.write_config(
        "dnsconfig.json",
        &config(
            "missing.tld",
            json!([{ "name": "a", "type": "A", "value": "1.1.1.1" }]),
        ),
    );
    let out = ws.run(&["preview"]);
    assert_exit(&out, 1);
    let err = stderr(&out);
    assert!(
        err.contains("missing.tld") && err.contains("create-domains"),
        "{err}"
    );
}

#[test]
fn a_record_set_too_large_for_any_request_is_refused_before_anything_is_sent() {
    let moto = common::Moto::start();
    let proxy = proxy::Proxy::start(moto.url.trim_start_matches("http://"));
    let ws = Workspace::new("toolarge", &proxy.url);
    // Nine TXT values of 3,900 characters: each is within Route 53's 4,000, together they pass
    // the 32,000 characters one ChangeResourceRecordSets request may carry.
    let records: Vec<Value> = (0..9)
        .map(|i| json!({ "name": "big", "type": "TXT", "value": format!("{i}{}", "x".repeat(3899)) }))
        .collect();
    ws.write_config("dnsconfig.json", &config("toolarge.tld", json!(records)));
    assert_exit(&ws.run(&["create-domains"]), 0);

    let out = ws.run(&["push"]);
    assert_exit(&out, 1);
    let err = stderr(&out);
    assert!(
        err.contains("big.toolarge.tld") && err.contains("32000 characters"),
        "{err}"
    );
    assert_eq!(proxy.count("POST", "/rrset"), 0, "{:?}", proxy.log());
}
