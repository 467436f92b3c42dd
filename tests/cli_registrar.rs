//! The registrar side end to end, through the binary and the fault-injecting proxy in front of
//! moto (which serves Route 53 Domains too): name servers registered only when they differ, the
//! outage guard, `--wait`, AccessDenied, unregistered domains, a server without the API,
//! `check-creds ROUTE53DOMAINS`; and create-domains' private zones, delegation sets and comments.

mod cli;
mod common;
mod proxy;
mod support;

use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

use cli::{assert_exit, stderr, stdout, Workspace};
use proxy::{Fault, Proxy, Rule};

const UPDATE: &str = "UpdateDomainNameservers";

/// A workspace whose Route 53 and Route 53 Domains requests both go through `proxy`, with the
/// creds entries `r53_main` (DNS provider) and `r53reg` (registrar).
fn workspace(name: &str, proxy: &Proxy) -> Workspace {
    let mut ws = Workspace::new(name, &proxy.url);
    ws.set_env("AWS_ENDPOINT_URL_ROUTE_53_DOMAINS", &proxy.url);
    let keys = json!({ "TYPE": "ROUTE53", "KeyId": "AKIDTEST", "SecretKey": "test-secret" });
    ws.write_creds(&json!({ "r53_main": keys, "r53reg": keys }));
    ws
}

/// Writes `config` and creates its zones.
fn with_zones(ws: &Workspace, config: &Value) {
    ws.write_config("dnsconfig.json", config);
    assert_exit(&ws.run(&["create-domains"]), 0);
}

/// A config of `domain` at registrar `r53reg` (type ROUTE53), with `extra` domain fields.
fn config(domain: &str, records: Value, extra: Value) -> Value {
    let mut entry = json!({
        "name": domain, "registrar": "r53reg", "dns_providers": ["r53_main"], "records": records
    });
    if let (Some(target), Value::Object(fields)) = (entry.as_object_mut(), extra) {
        target.extend(fields);
    }
    json!({
        "registrars": { "r53reg": { "type": "ROUTE53" } },
        "dns_providers": { "r53_main": { "type": "ROUTE53" } },
        "domains": [entry]
    })
}

fn start(domain: &str) -> (common::Moto, Proxy) {
    let moto = common::Moto::start();
    moto.register_domain(domain);
    let proxy = Proxy::start(moto.url.trim_start_matches("http://"));
    (moto, proxy)
}

/// The one REGISTRAR line of `text`.
fn registrar_line(text: &str) -> &str {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("REGISTRAR "))
        .collect();
    assert_eq!(lines.len(), 1, "{text}");
    lines[0]
}

#[test]
fn name_servers_are_registered_once_and_not_resent_when_they_match() {
    let (_moto, proxy) = start("r53ctl-reg.com");
    let ws = workspace("registrar-sync", &proxy);
    with_zones(&ws, &config("r53ctl-reg.com", json!([]), json!({})));

    let preview = ws.run(&["preview"]);
    assert_exit(&preview, 0);
    let line = registrar_line(&stdout(&preview)).to_string();
    assert!(
        line.starts_with("REGISTRAR r53ctl-reg.com name servers ns-2048.awscdn-64.net"),
        "{line}"
    );
    let (_, wanted) = line.split_once(" -> ").expect("an arrow");
    assert_eq!(wanted.split(' ').count(), 4, "{line}");
    assert!(
        wanted.contains("awsdns"),
        "the zone's delegation set: {line}"
    );
    assert_exit(&ws.run(&["preview", "--expect-no-changes"]), 3);
    assert_eq!(proxy.count("POST", UPDATE), 0, "preview sends nothing");

    let push = ws.run(&["push"]);
    assert_exit(&push, 0);
    let text = stdout(&push);
    assert_eq!(registrar_line(&text), line);
    assert!(text.contains("registrar: operation "), "{text}");
    assert!(text.contains(" submitted"), "{text}");
    assert_eq!(proxy.forwarded("POST", UPDATE), 1);

    let again = ws.run(&["preview", "--expect-no-changes"]);
    assert_exit(&again, 0);
    assert!(!stdout(&again).contains("REGISTRAR"), "{}", stdout(&again));
    assert_exit(&ws.run(&["push"]), 0);
    assert_eq!(proxy.count("POST", UPDATE), 1, "nothing re-sent");
}

#[test]
fn explicit_name_servers_match_whatever_their_case_and_wait_follows_the_operation() {
    let (_moto, proxy) = start("r53ctl-elsewhere.com");
    let ws = workspace("registrar-explicit", &proxy);
    let servers = json!({ "nameservers": ["NS1.Elsewhere.net.", "ns2.elsewhere.org"] });
    with_zones(&ws, &config("r53ctl-elsewhere.com", json!([]), servers));

    let push = ws.run(&["push", "--wait"]);
    assert_exit(&push, 0);
    let text = stdout(&push);
    assert!(
        registrar_line(&text).ends_with("-> ns1.elsewhere.net ns2.elsewhere.org"),
        "{text}"
    );
    assert!(text.contains("SUCCESSFUL"), "{text}");
    assert_eq!(proxy.forwarded("POST", "GetOperationDetail"), 1);

    let json = ws.run(&["preview", "--format", "json", "--expect-no-changes"]);
    assert_exit(&json, 0);
    let report: Value = serde_json::from_str(&stdout(&json)).expect("JSON");
    assert_eq!(report["registrar_changes"], json!([]));
    assert_eq!(proxy.count("POST", UPDATE), 1);
}

#[test]
fn the_outage_guard_refuses_name_servers_the_zone_does_not_serve_until_forced() {
    let (_moto, proxy) = start("r53ctl-guard.com");
    let ws = workspace("registrar-guard", &proxy);
    let records = json!([{ "name": "@", "type": "NS", "value": "ns1.other-dns.net." }]);
    with_zones(&ws, &config("r53ctl-guard.com", records, json!({})));

    let preview = ws.run(&["preview"]);
    assert_exit(&preview, 0);
    assert!(
        stderr(&preview).contains("push will refuse r53ctl-guard.com"),
        "{}",
        stderr(&preview)
    );
    let refused = ws.run(&["push"]);
    assert_exit(&refused, 4);
    let message = stderr(&refused);
    assert!(
        message.contains("apex NS record set names ns1.other-dns.net")
            && message.contains("--force"),
        "{message}"
    );
    assert_eq!(proxy.count("POST", "/rrset"), 0, "nothing was sent");
    assert_eq!(proxy.count("POST", UPDATE), 0, "nothing was sent");

    assert_exit(&ws.run(&["push", "--force"]), 0);
    assert_eq!(proxy.forwarded("POST", "/rrset"), 1);
    assert_eq!(proxy.forwarded("POST", UPDATE), 1);
}

#[test]
fn access_denied_names_the_iam_action_and_the_none_registrar() {
    let (_moto, proxy) = start("r53ctl-denied.com");
    proxy.inject(Rule {
        method: "POST",
        path: "GetDomainDetail",
        fault: Fault::AccessDeniedJson,
        skip: 0,
        times: 1,
    });
    let ws = workspace("registrar-denied", &proxy);
    with_zones(&ws, &config("r53ctl-denied.com", json!([]), json!({})));
    let preview = ws.run(&["preview"]);
    assert_exit(&preview, 1);
    let message = stderr(&preview);
    for part in [
        "AccessDeniedException",
        "HTTP 400",
        "request id proxy-400",
        "route53domains:GetDomainDetail",
        "registrar of type NONE",
    ] {
        assert!(message.contains(part), "{part:?} missing from:\n{message}");
    }
}

#[test]
fn a_domain_registered_elsewhere_says_so() {
    let moto = common::Moto::start();
    let ws = workspace(
        "registrar-unregistered",
        &Proxy::start(moto.url.trim_start_matches("http://")),
    );
    with_zones(&ws, &config("r53ctl-not-mine.com", json!([]), json!({})));
    let preview = ws.run(&["preview"]);
    assert_exit(&preview, 1);
    let message = stderr(&preview);
    assert!(
        message.contains("InvalidInput")
            && message.contains(
                "not registered with Route 53 Domains in the account of creds entry \"r53reg\""
            ),
        "{message}"
    );
}

#[test]
fn a_server_without_route53_domains_is_a_warning() {
    let (moto, _proxy) = start("r53ctl-nodomains.com");
    let none = support::http_server::TestServer::start(|_| {
        support::http_server::Reply::text(404, "<html>Not Found</html>")
    });
    let mut ws = Workspace::new("registrar-missing-api", &moto.url);
    ws.set_env("AWS_ENDPOINT_URL_ROUTE_53_DOMAINS", &none.url);
    let keys = json!({ "KeyId": "AKIDTEST", "SecretKey": "test-secret" });
    ws.write_creds(&json!({ "r53_main": keys, "r53reg": keys }));
    with_zones(&ws, &config("r53ctl-nodomains.com", json!([]), json!({})));
    let preview = ws.run(&["preview"]);
    assert_exit(&preview, 0);
    assert!(
        stderr(&preview).contains("does not offer Route 53 Domains"),
        "{}",
        stderr(&preview)
    );
    assert!(!stdout(&preview).contains("REGISTRAR"));
}

#[test]
fn check_creds_of_a_registrar_entry_lists_its_domains() {
    let (_moto, proxy) = start("r53ctl-creds.com");
    let ws = workspace("registrar-check-creds", &proxy);
    let out = ws.run(&["check-creds", "r53reg", "ROUTE53DOMAINS"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(
        text.contains("registered domains: 1") && text.contains(&proxy.url),
        "{text}"
    );
    assert_eq!(proxy.count("POST", "ListDomains"), 1);
    assert_exit(&ws.run(&["check-creds", "r53reg"]), 0);
    assert_exit(&ws.run(&["check-creds", "r53reg", "DOMAINS"]), 2);
}

#[test]
fn create_domains_makes_a_private_zone_in_every_vpc_and_leaves_its_apex_alone() {
    let moto = common::Moto::start();
    let proxy = Proxy::start(moto.url.trim_start_matches("http://"));
    let ws = Workspace::new("create-private", &proxy.url);
    let private = json!([
        { "vpc_id": "vpc-1a2b3c4d", "vpc_region": "us-east-1" },
        { "vpc_id": "vpc-5e6f7a8b", "vpc_region": "eu-west-1" }
    ]);
    let domain = json!({
        "name": "private.tld", "registrar": "none", "dns_providers": ["r53_main"],
        "private": private, "comment": "internal names",
        "records": [{ "name": "db", "type": "A", "value": "10.0.0.5" }]
    });
    ws.write_config("dnsconfig.json", &cli::config_of(vec![domain]));
    let created = ws.run(&["create-domains"]);
    assert_exit(&created, 0);
    assert!(
        stdout(&created).contains("created private zone")
            && stdout(&created).contains("vpc-1a2b3c4d vpc-5e6f7a8b"),
        "{}",
        stdout(&created)
    );
    assert_eq!(proxy.forwarded("POST", "/associatevpc"), 1);
    let zones = moto.client().hosted_zones_named("private.tld.").unwrap();
    assert_eq!(zones.len(), 1);
    assert!(zones[0].private);
    assert_eq!(zones[0].comment.as_deref(), Some("internal names"));

    let preview = ws.run(&["preview"]);
    assert_exit(&preview, 0);
    let text = stdout(&preview);
    assert_eq!(
        text.matches("CREATE ").count(),
        1,
        "only the A record: {text}"
    );
    assert!(
        !text.contains("DELETE"),
        "apex NS and SOA left alone: {text}"
    );
    assert_exit(&ws.run(&["push"]), 0);
    assert_exit(&ws.run(&["preview", "--expect-no-changes"]), 0);
    assert!(stdout(&ws.run(&["create-domains"])).contains("private.tld: exists"));
}

#[test]
fn create_domains_uses_the_delegation_set_of_the_creds_entry_and_the_default_comment() {
    let moto = common::Moto::start();
    let proxy = Proxy::start(moto.url.trim_start_matches("http://"));
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&bodies);
    proxy.before_forward("POST", "/hostedzone", move |request| {
        seen.lock()
            .unwrap()
            .push(String::from_utf8_lossy(&request.body).into_owned());
    });
    let ws = Workspace::new("create-delegation", &proxy.url);
    ws.write_creds(&json!({ "r53_main": {
        "TYPE": "ROUTE53", "KeyId": "AKIDTEST", "SecretKey": "test-secret",
        "DelegationSet": "N1PA6795SAMPLE"
    }}));
    ws.write_config("dnsconfig.json", &cli::config("reusable.tld", json!([])));
    assert_exit(&ws.run(&["create-domains"]), 0);
    let bodies = bodies.lock().unwrap();
    assert!(
        bodies[0].contains("<DelegationSetId>N1PA6795SAMPLE</DelegationSetId>")
            && !bodies[0].contains("PrivateZone"),
        "{bodies:?}"
    );
    let zones = moto.client().hosted_zones_named("reusable.tld.").unwrap();
    assert_eq!(zones[0].comment.as_deref(), Some("created by r53ctl"));
}
