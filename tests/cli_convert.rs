//! `r53ctl convert` end to end against a local Route 53 API server (moto): a dnscontrol IR and a
//! BIND zone file become a config that push applies, and the zone read back holds the same
//! records; `preview --config` takes the IR as it is.

mod cli;
mod common;
mod support;

use std::path::Path;

use cli::{assert_exit, stderr, Workspace};
use r53ctl::model::RecordSet;
use serde_json::json;

/// The zone's record sets without its SOA and apex NS, comparable and sorted. An alias to a
/// name in the zone loses its hosted zone id, which a config leaves out.
fn comparable(records: &[RecordSet], apex: &str) -> Vec<RecordSet> {
    let mut sets: Vec<RecordSet> = records
        .iter()
        .filter(|s| !s.is_apex_ns_or_soa(apex))
        .map(RecordSet::comparable)
        .collect();
    for alias in sets.iter_mut().filter_map(RecordSet::alias_mut) {
        if alias.dns_name.ends_with(&format!(".{apex}")) {
            alias.hosted_zone_id = Box::default();
        }
    }
    sets.sort_by_key(RecordSet::key);
    sets
}

fn records_of(path: &Path) -> Vec<RecordSet> {
    let config = r53ctl::config::load(path).unwrap_or_else(|e| panic!("{e}"));
    config.domains[0].records.clone()
}

fn ir() -> serde_json::Value {
    let sha256 = "e2d3c916f6deeac73294e8268fb5885044a833fc5459588f4a9184cfc41a5766";
    json!({
        "registrars": [{ "name": "none", "type": "NONE" }],
        "dns_providers": [{ "name": "r53_main", "type": "ROUTE53" }],
        "domains": [{
            "name": "conv.tld", "registrar": "none", "dnsProviders": { "r53_main": -1 },
            "records": [
                { "type": "A", "name": "@", "target": "192.0.2.1", "ttl": 300 },
                { "type": "A", "name": "www", "target": "192.0.2.2", "ttl": 300 },
                { "type": "AAAA", "name": "v6", "target": "2001:db8::1", "ttl": 3600 },
                { "type": "MX", "name": "@", "target": "mail.conv.tld.", "ttl": 300, "mxpreference": 10 },
                { "type": "SRV", "name": "_sip._tcp", "target": "sip.conv.tld.", "ttl": 300,
                  "srvpriority": 10, "srvweight": 5, "srvport": 5060 },
                { "type": "CAA", "name": "@", "target": "letsencrypt.org", "ttl": 300, "caatag": "issue" },
                { "type": "DS", "name": "sub", "target": sha256, "ttl": 300, "dskeytag": 60485,
                  "dsalgorithm": 13, "dsdigesttype": 2, "dsdigest": sha256 },
                { "type": "NS", "name": "sub", "target": "ns1.other.tld.", "ttl": 300 },
                { "type": "TXT", "name": "@", "target": "v=spf1 -all", "ttl": 300 },
                { "type": "R53_ALIAS", "name": "app", "target": "www.conv.tld.", "ttl": 300,
                  "r53_alias": { "type": "A", "zone_id": "", "evaluate_target_health": "false" } },
                { "type": "A", "name": "api", "target": "192.0.2.10", "ttl": 60,
                  "meta": { "r53_weight": "90", "r53_set_identifier": "blue" } },
                { "type": "A", "name": "api", "target": "192.0.2.11", "ttl": 60,
                  "meta": { "r53_weight": "10", "r53_set_identifier": "green" } },
            ],
        }],
    })
}

#[test]
fn ir_converts_to_a_config_that_push_applies_and_get_zones_reads_back() {
    let moto = common::Moto::start();
    let ws = Workspace::new("convert-ir", &moto.url);
    ws.write_config("ir.json", &ir());
    let convert = [
        "convert",
        "--from",
        "dnscontrol-ir",
        "ir.json",
        "--out",
        "dnsconfig.json",
    ];
    ws.run_ok(&convert, 0);
    let written = std::fs::read_to_string(ws.dir.join("dnsconfig.json")).expect("written");
    assert!(written.contains("\"default_ttl\": 300,"), "{written}");
    assert!(
        written
            .contains(r#"{ "name": "v6", "type": "AAAA", "value": "2001:db8::1", "ttl": 3600 }"#),
        "{written}"
    );

    let again = ws.run(&convert);
    assert_exit(&again, 2);
    assert!(stderr(&again).contains("--force"), "{}", stderr(&again));
    ws.run_ok(&[&convert[..], &["--force"]].concat(), 0);

    ws.run_ok(&["create-domains"], 0);
    ws.run_ok(&["push"], 0);
    ws.run_ok(&["preview", "--expect-no-changes"], 0);
    ws.run_ok(
        &["preview", "--config", "ir.json", "--expect-no-changes"],
        0,
    );

    ws.run_ok(
        &["get-zones", "r53_main", "conv.tld", "--out", "live.json"],
        0,
    );
    let refused = ws.run(&["get-zones", "r53_main", "conv.tld", "--out", "live.json"]);
    assert_exit(&refused, 2);
    let live = records_of(&ws.dir.join("live.json"));
    let converted = records_of(&ws.dir.join("dnsconfig.json"));
    assert_eq!(
        comparable(&live, "conv.tld."),
        comparable(&converted, "conv.tld.")
    );
    assert_eq!(converted.len(), 12);
}

const ZONE: &str = "$ORIGIN bind.tld.
$TTL 1h
@   IN SOA ns1.bind.tld. admin.bind.tld. ( 2024010101 7200 900
                                           1209600 86400 )
    IN NS ns1.other.tld.
    IN MX 10 mail          ; the mail server
mail        A   192.0.2.25
www   300 IN A  192.0.2.80
      300   A   192.0.2.81
txt   IN 60 TXT \"v=spf1 -all\" \"and \\\"more\\\"\"
a\\032b     A   192.0.2.3
*.wild      TXT \"wild\\059card\"
$ORIGIN sub.bind.tld.
host        AAAA 2001:db8::5
alias       CNAME host
";

#[test]
fn bind_converts_to_a_config_whose_zone_reads_back_the_same() {
    let moto = common::Moto::start();
    let ws = Workspace::new("convert-bind", &moto.url);
    ws.write("bind.tld.zone", ZONE);
    let usage = ws.run(&["convert", "--from", "bind", "bind.tld.zone"]);
    assert_exit(&usage, 2);
    assert!(stderr(&usage).contains("--domain"), "{}", stderr(&usage));
    let config = ws.run_ok(
        &[
            "convert",
            "--from",
            "bind",
            "--domain",
            "bind.tld",
            "bind.tld.zone",
        ],
        0,
    );
    assert!(config.contains("\"default_ttl\": 3600,"), "{config}");
    assert!(
        !config.contains(r#""type": "NS""#),
        "apex NS left out: {config}"
    );
    ws.write("dnsconfig.json", &config);
    ws.run_ok(&["create-domains"], 0);
    ws.run_ok(&["push"], 0);
    ws.run_ok(&["preview", "--expect-no-changes"], 0);

    let bind = ws.run_ok(
        &["get-zones", "--format", "bind", "r53_main", "bind.tld"],
        0,
    );
    let read_back = r53ctl::config::bind_import::parse(Path::new("live.zone"), &bind, "bind.tld")
        .unwrap_or_else(|e| panic!("{e}\n{bind}"));
    let original = r53ctl::config::bind_import::parse(Path::new("bind.tld.zone"), ZONE, "bind.tld")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        comparable(&read_back.domains[0].records, "bind.tld."),
        comparable(&original.domains[0].records, "bind.tld.")
    );
    assert_eq!(original.domains[0].records.len(), 9, "apex NS included");
}

#[test]
fn ir_with_a_type_r53ctl_cannot_serve_is_a_config_error_naming_it() {
    let ws = Workspace::new("convert-bad-ir", "http://127.0.0.1:9");
    let mut ir = ir();
    ir["domains"][0]["records"] =
        json!([{ "type": "CF_REDIRECT", "name": "@", "target": "x", "ttl": 300 }]);
    ws.write_config("ir.json", &ir);
    for args in [
        &["convert", "--from", "dnscontrol-ir", "ir.json"][..],
        &["preview", "--config", "ir.json"][..],
    ] {
        let out = ws.run(args);
        assert_exit(&out, 2);
        assert!(
            stderr(&out).contains("ir.json: domain conv.tld: record @ CF_REDIRECT (records[0]): type \"CF_REDIRECT\" is not supported"),
            "{}",
            stderr(&out)
        );
    }
}
