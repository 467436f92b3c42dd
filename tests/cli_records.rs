//! Every kind of record set r53ctl manages, end to end through the binary against a local Route 53
//! API server (moto): round trips through push and get-zones, spellings that must not diff,
//! alias rules, what r53ctl must leave alone, and which hosted zone a domain maps to.
//!
//! moto cannot hold some record sets real Route 53 accepts; they are kept out of these tests and
//! covered by unit tests of the XML and export code instead:
//! - geoproximity (`GeoProximityLocation`) and IP-based (`CidrRoutingConfig`) routing: moto 5.2
//!   drops both elements on write and lists the record sets without them (and has no
//!   CreateCidrCollection), so they would read back as plain record sets;
//! - record sets made by a traffic policy: moto has no CreateTrafficPolicy(Instance);
//! - record set protections: moto has no ListResourceRecordSetProtections.

mod cli;
mod common;
mod support;

use cli::{assert_exit, config, config_with, stderr, Workspace};
use r53ctl::rtype::RecordType;
use serde_json::{json, Value};

const LONG_TXT_BYTES: usize = 300;
const HEALTH_CHECK: &str = "abcdef12-3456-7890-abcd-ef1234567890";
const ELB_ZONE: &str = "Z35SXDOTRQ7X7K";

/// One record set of every type, alias kind and routing policy moto can hold.
fn every_kind_of_record() -> Value {
    let sha256 = "e2d3c916f6deeac73294e8268fb5885044a833fc5459588f4a9184cfc41a5766";
    json!([
        { "name": "@", "type": "A", "value": "192.0.2.1" },
        { "name": "@", "type": "MX", "value": "10 mail" },
        { "name": "@", "type": "MX", "value": "20 mx.backup.tld." },
        { "name": "@", "type": "CAA", "value": "0 issue letsencrypt.org" },
        { "name": "@", "type": "CAA", "value": "0 iodef \"mailto:sec@rt.tld\"" },
        { "name": "@", "type": "SPF", "value": "v=spf1 -all" },
        { "name": "v6", "type": "AAAA", "value": "2001:db8::1" },
        { "name": "www", "type": "CNAME", "value": "v6", "ttl": 60 },
        { "name": "sub", "type": "NS", "value": "ns1.other.tld." },
        { "name": "sub", "type": "NS", "value": "ns2.other.tld." },
        { "name": "sub", "type": "DS", "value": format!("60485 5 2 {sha256}") },
        { "name": "ptr", "type": "PTR", "value": "www" },
        { "name": "_sip._tcp", "type": "SRV", "value": "10 5 5060 sip" },
        { "name": "sip", "type": "NAPTR", "value": "100 10 \"S\" \"SIP+D2T\" \"\" _sip._tcp.rt.tld." },
        { "name": "ssh", "type": "SSHFP", "value": format!("1 1 {}", "ab".repeat(20)) },
        { "name": "_443._tcp", "type": "TLSA", "value": format!("3 1 1 {sha256}") },
        { "name": "@", "type": "HTTPS", "value": "1 . alpn=\"h2,h3\" port=443" },
        { "name": "_8443._svc", "type": "SVCB", "value": "1 svc ipv4hint=192.0.2.7" },
        { "name": "txt", "type": "TXT", "value": "x".repeat(LONG_TXT_BYTES) },
        { "name": "txt", "type": "TXT", "value": "say \"hi\" and C:\\path\\" },
        { "name": "dkim._domainkey", "type": "TXT", "strings": ["v=DKIM1; k=rsa; p=MIIB", "IjANBgkq"] },
        { "name": "*", "type": "A", "value": "192.0.2.2" },
        { "name": "*.wild", "type": "TXT", "value": "wildcard" },
        { "name": "bücher", "type": "A", "value": "192.0.2.3" },
        { "name": "target", "type": "A", "value": "192.0.2.4" },
        { "name": "app", "type": "A", "alias": { "target": "target" } },
        { "name": "lb", "type": "A", "alias": { "target": "dualstack.x.us-east-1.elb.amazonaws.com.",
                                                 "zone_id": ELB_ZONE, "evaluate_target_health": true } },
        { "name": "api", "type": "A", "value": "192.0.2.10", "set_identifier": "blue", "weight": 90,
          "health_check_id": HEALTH_CHECK },
        { "name": "api", "type": "A", "value": "192.0.2.11", "set_identifier": "green", "weight": 10 },
        { "name": "lat", "type": "A", "value": "192.0.2.20", "set_identifier": "us", "region": "us-east-1" },
        { "name": "lat", "type": "A", "value": "192.0.2.21", "set_identifier": "eu", "region": "eu-west-1" },
        { "name": "ha", "type": "A", "value": "192.0.2.30", "set_identifier": "p", "failover": "PRIMARY",
          "health_check_id": HEALTH_CHECK },
        { "name": "ha", "type": "A", "value": "192.0.2.31", "set_identifier": "s", "failover": "SECONDARY" },
        { "name": "geo", "type": "A", "value": "192.0.2.40", "set_identifier": "eu",
          "geolocation": { "continent": "EU" } },
        { "name": "geo", "type": "A", "value": "192.0.2.41", "set_identifier": "wa",
          "geolocation": { "country": "US", "subdivision": "WA" } },
        { "name": "geo", "type": "A", "value": "192.0.2.42", "set_identifier": "any",
          "geolocation": { "country": "*" } },
        { "name": "mv", "type": "A", "value": "192.0.2.50", "set_identifier": "m1", "multivalue": true },
        { "name": "mv", "type": "A", "value": "192.0.2.51", "set_identifier": "m2", "multivalue": true },
    ])
}

/// Creates the zone of `config` and pushes it; afterwards preview must find nothing to do.
fn create_and_push(ws: &Workspace, config: &Value) {
    ws.write_config("dnsconfig.json", config);
    ws.run_ok(&["create-domains"], 0);
    ws.run_ok(&["push"], 0);
    let again = ws.run_ok(&["preview", "--expect-no-changes"], 0);
    assert!(again.contains("Total: 0 changes"), "{again}");
}

#[test]
fn every_kind_of_record_set_round_trips_through_push_and_get_zones() {
    let moto = common::Moto::start();
    let ws = Workspace::new("records-round-trip", &moto.url);
    create_and_push(&ws, &config("rt.tld", every_kind_of_record()));

    let exported_text = ws.run_ok(&["get-zones", "--format", "json", "r53_main", "rt.tld"], 0);
    let exported: Value = serde_json::from_str(&exported_text).expect("get-zones JSON");
    let records = exported["domains"][0]["records"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for expected in [
        json!({ "name": "bücher", "type": "A", "value": "192.0.2.3" }),
        json!({ "name": "*", "type": "A", "value": "192.0.2.2" }),
        json!({ "name": "txt", "type": "TXT", "value": "say \"hi\" and C:\\path\\" }),
        json!({ "name": "dkim._domainkey", "type": "TXT",
                "strings": ["v=DKIM1; k=rsa; p=MIIB", "IjANBgkq"] }),
        json!({ "name": "app", "type": "A",
                "alias": { "target": "target", "zone_id": zone_id(&ws, "rt.tld") } }),
    ] {
        assert!(
            records.contains(&expected),
            "{expected} not in {exported:#}"
        );
    }
    let long_txt = records
        .iter()
        .find(|r| r["name"] == "txt" && r.to_string().contains("xxxx"))
        .unwrap_or_else(|| panic!("no long TXT in {exported:#}"));
    let joined: String = match (&long_txt["value"], &long_txt["strings"]) {
        (Value::String(v), _) => v.clone(),
        (_, Value::Array(parts)) => parts.iter().filter_map(Value::as_str).collect(),
        _ => String::new(),
    };
    assert_eq!(joined, "x".repeat(LONG_TXT_BYTES), "{long_txt}");

    std::fs::write(ws.dir.join("exported.json"), &exported_text).expect("write export");
    let pushed = ws.run_ok(&["push", "--config", "exported.json"], 0);
    assert!(pushed.contains("Total: 0 changes"), "{pushed}");
    ws.run_ok(
        &[
            "preview",
            "--config",
            "exported.json",
            "--expect-no-changes",
        ],
        0,
    );
    ws.run_ok(&["preview", "--expect-no-changes"], 0);

    let bind = ws.run_ok(&["get-zones", "--format", "bind", "r53_main", "rt.tld"], 0);
    for line in [
        "$ORIGIN rt.tld.",
        "@\t300\tIN\tMX\t10 mail.rt.tld.",
        "www\t60\tIN\tCNAME\tv6.rt.tld.",
        "xn--bcher-kva\t300\tIN\tA\t192.0.2.3",
        "sub\t300\tIN\tNS\tns1.other.tld.",
        "*\t300\tIN\tA\t192.0.2.2",
        "*.wild\t300\tIN\tTXT\t\"wildcard\"",
    ] {
        assert!(bind.lines().any(|l| l == line), "{line:?} not in\n{bind}");
    }
    assert!(
        bind.lines().any(|l| l.starts_with("; api.rt.tld A [blue")),
        "routed record sets are comments:\n{bind}"
    );
}

/// The id of the only hosted zone named `domain`, as get-zones reports it.
fn zone_id(ws: &Workspace, domain: &str) -> String {
    let bind = ws.run_ok(&["get-zones", "--format", "bind", "r53_main", domain], 0);
    bind.lines()
        .find_map(|l| l.strip_prefix("; Route 53 hosted zone "))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no zone id in\n{bind}"))
        .to_string()
}

#[test]
fn other_spellings_of_the_same_records_do_not_diff() {
    let moto = common::Moto::start();
    let ws = Workspace::new("records-spelling", &moto.url);
    create_and_push(
        &ws,
        &config(
            "spell.tld",
            json!([
                { "name": "www", "type": "CNAME", "value": "host" },
                { "name": "*", "type": "A", "value": "192.0.2.1" },
                { "name": "@", "type": "MX", "value": "10 mail.spell.tld." },
                { "name": "v6", "type": "AAAA", "value": "2001:db8::1" },
            ]),
        ),
    );
    ws.write_config(
        "respelled.json",
        &config(
            "SPELL.TLD.",
            json!([
                { "name": "WWW.Spell.TLD.", "type": "cname", "value": "HOST.spell.tld." },
                { "name": "\\052", "type": "A", "value": "192.0.2.1" },
                { "name": "@", "type": "MX", "value": "10 mail" },
                { "name": "V6", "type": "AAAA", "value": "2001:0DB8:0:0::1" },
            ]),
        ),
    );
    let preview = ws.run_ok(
        &[
            "preview",
            "--config",
            "respelled.json",
            "--expect-no-changes",
        ],
        0,
    );
    assert!(preview.contains("no changes"), "{preview}");
}

#[test]
fn alias_with_a_ttl_is_a_config_error_naming_the_record() {
    let ws = Workspace::new("records-alias-ttl", "http://127.0.0.1:9");
    ws.write_config(
        "dnsconfig.json",
        &config(
            "alias.tld",
            json!([{ "name": "app", "type": "A", "ttl": 60, "alias": { "target": "www" } }]),
        ),
    );
    let out = ws.run(&["preview"]);
    assert_exit(&out, 2);
    let err = stderr(&out);
    assert!(err.contains("app A") && err.contains("ttl"), "{err}");
}

#[test]
fn alias_to_plain_and_back_is_one_atomic_request_each_way() {
    let moto = common::Moto::start();
    let ws = Workspace::new("records-alias-swap", &moto.url);
    let target_record = json!({ "name": "target", "type": "A", "value": "192.0.2.1" });
    let alias = |evaluate: bool| {
        let target = json!({ "target": "target", "evaluate_target_health": evaluate });
        config(
            "swap.tld",
            json!([target_record, { "name": "app", "type": "A", "alias": target }]),
        )
    };
    let plain = config(
        "swap.tld",
        json!([target_record, { "name": "app", "type": "A", "value": "192.0.2.9" }]),
    );
    create_and_push(&ws, &alias(false));
    // moto refuses a CREATE equal to one it applied before while the name still exists, even
    // when the same request DELETEs it first; Route 53 accepts it. So the way back uses another
    // alias than the first one.
    for next in [&plain, &alias(true)] {
        ws.write_config("dnsconfig.json", next);
        let preview = ws.run_ok(&["preview"], 0);
        assert!(
            preview.contains("MODIFY app.swap.tld A") && preview.contains("1 request (atomic)"),
            "{preview}"
        );
        ws.run_ok(&["push"], 0);
        ws.run_ok(&["preview", "--expect-no-changes"], 0);
    }
}

/// Record sets someone else made in zone `domain`, written straight through the API.
fn add_foreign_record_sets(moto: &common::Moto, ws: &Workspace, domain: &str) {
    let apex = format!("{domain}.");
    let sets = [
        ("_acme-challenge.www", RecordType::TXT, "\"token\""),
        ("legacy", RecordType::A, "192.0.2.99"),
    ]
    .map(|(name, rtype, value)| {
        r53ctl::model::RecordSet::simple(
            &format!("{name}.{apex}"),
            rtype,
            60,
            vec![value.to_string()],
        )
    });
    common::add_record_sets(&moto.client(), &zone_id(ws, domain), &sets);
}

#[test]
fn ignored_and_unknown_record_sets_apex_ns_and_soa_are_left_alone() {
    let moto = common::Moto::start();
    let ws = Workspace::new("records-hands-off", &moto.url);
    let records = json!([{ "name": "www", "type": "A", "value": "192.0.2.1" }]);
    create_and_push(&ws, &config("hands.tld", records.clone()));
    add_foreign_record_sets(&moto, &ws, "hands.tld");

    let ignoring = json!({ "ignore": [{ "name": "_acme-challenge*", "types": ["TXT"] }] });
    ws.write_config(
        "dnsconfig.json",
        &config_with("hands.tld", records.clone(), ignoring),
    );
    let preview = ws.run_ok(&["preview"], 0);
    assert!(
        preview.contains("KEEP   _acme-challenge.www.hands.tld TXT (matches an ignore rule)"),
        "{preview}"
    );
    assert!(preview.contains("DELETE legacy.hands.tld A"), "{preview}");
    assert!(
        !preview.contains(" SOA") && !preview.contains(" NS"),
        "{preview}"
    );

    ws.write_config(
        "dnsconfig.json",
        &config_with(
            "hands.tld",
            records.clone(),
            json!({ "keep_unknown": true }),
        ),
    );
    let preview = ws.run_ok(&["preview", "--expect-no-changes"], 0);
    assert!(
        preview.contains("KEEP   legacy.hands.tld A (not in the config"),
        "{preview}"
    );
    ws.run_ok(&["push"], 0);

    let ignoring = json!({ "ignore": [{ "name": "_acme-challenge*" }] });
    ws.write_config(
        "dnsconfig.json",
        &config_with("hands.tld", records, ignoring),
    );
    ws.run_ok(&["push"], 0);
    let live = ws.run_ok(
        &["get-zones", "--include-apex-ns", "r53_main", "hands.tld"],
        0,
    );
    assert!(
        live.contains("_acme-challenge.www"),
        "ignored TXT kept: {live}"
    );
    assert!(!live.contains("legacy"), "unknown A deleted: {live}");
    assert!(live.contains("172800"), "apex NS keeps its TTL: {live}");
}

#[test]
fn apex_ns_in_the_config_keeps_the_live_ttl_unless_it_sets_one() {
    let moto = common::Moto::start();
    let ws = Workspace::new("records-apex-ns", &moto.url);
    create_and_push(&ws, &config("ns.tld", json!([])));
    let get_zones = ["get-zones", "--include-apex-ns", "r53_main", "ns.tld"];
    let exported: Value = serde_json::from_str(&ws.run_ok(&get_zones, 0)).expect("get-zones JSON");
    let name_servers: Vec<Value> = exported["domains"][0]["records"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["type"] == "NS")
        .map(|r| json!({ "name": "@", "type": "NS", "value": r["value"] }))
        .collect();
    assert!(!name_servers.is_empty(), "{exported:#}");

    ws.write_config("dnsconfig.json", &config("ns.tld", json!(name_servers)));
    let preview = ws.run_ok(&["preview", "--expect-no-changes"], 0);
    assert!(preview.contains("no changes"), "{preview}");

    let with_ttl: Vec<Value> = name_servers
        .iter()
        .map(|r| json!({ "name": "@", "type": "NS", "value": r["value"], "ttl": 3600 }))
        .collect();
    ws.write_config("dnsconfig.json", &config("ns.tld", json!(with_ttl)));
    let preview = ws.run_ok(&["preview"], 0);
    assert!(
        preview.contains("MODIFY ns.tld NS 172800") && preview.contains("-> 3600"),
        "{preview}"
    );
}

#[test]
fn zone_id_picks_one_of_two_zones_sharing_a_name() {
    let moto = common::Moto::start();
    let client = moto.client();
    let first = common::create_zone(&client, "twin.tld.");
    let second = common::create_zone(&client, "twin.tld.");
    let ws = Workspace::new("records-twins", &moto.url);
    let records = json!([{ "name": "www", "type": "A", "value": "192.0.2.1" }]);

    ws.write_config("dnsconfig.json", &config("twin.tld", records.clone()));
    let out = ws.run(&["preview"]);
    assert_exit(&out, 1);
    let err = stderr(&out);
    for id in [&first.zone.id, &second.zone.id] {
        assert!(err.contains(id.as_str()), "{id} not named: {err}");
    }
    assert!(err.contains("zone_id"), "{err}");

    let picked = json!({ "zone_id": second.zone.id });
    ws.write_config("dnsconfig.json", &config_with("twin.tld", records, picked));
    let preview = ws.run_ok(&["preview"], 0);
    assert!(
        preview.contains(&format!("(zone {},", second.zone.id)),
        "{preview}"
    );
    ws.run_ok(&["push"], 0);
    let first_sets = client
        .list_record_sets(&first.zone.id, None)
        .expect("list the first zone");
    assert!(
        first_sets.iter().all(|rs| !rs.name.starts_with("www.")),
        "the other zone is untouched: {first_sets:?}"
    );
    ws.run_ok(&["preview", "--expect-no-changes"], 0);
}
