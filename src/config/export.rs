//! The one writer of r53ctl's config format, for `get-zones` (live zones) and `convert` (a
//! dnscontrol IR or a BIND zone file, read into a [`Config`]): loading its output gives record
//! sets equal to the written ones under [`RecordSet::comparable`].
//!
//! It writes what a person would: `default_ttl` is the most common TTL and records with it give
//! none; one record per line with its keys in a readable order (`name`, `type`, `value`, `ttl`,
//! …); names in UTF-8. The SOA, record sets made by traffic policies and (unless asked for) the
//! apex NS are left out: the first two cannot be written, and leaving the apex NS out leaves
//! it alone.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::{Config, Domain, DEFAULT_TTL};
use crate::model::{RecordSet, Routing};
use crate::name;
use crate::rdata::{self, UserValue};

/// `config` as the text of a config file. `include_apex_ns` writes each zone's apex NS record
/// set too (with its TTL, as a config apex NS without one keeps the live TTL).
pub fn config_text<'c>(config: &'c Config, include_apex_ns: bool) -> String {
    let written = |domain: &'c Domain| -> Vec<&'c RecordSet> {
        domain
            .records
            .iter()
            .filter(|s| s.rtype.is_writable() && s.traffic_policy_instance_id().is_none())
            .filter(|s| include_apex_ns || !s.is_apex_ns_or_soa(&domain.name))
            .collect()
    };
    let domains: Vec<(&Domain, Vec<&RecordSet>)> =
        config.domains.iter().map(|d| (d, written(d))).collect();
    let default_ttl = most_common_ttl(domains.iter().flat_map(|(_, sets)| sets.iter().copied()));
    let registrars: Map<String, Value> = config
        .registrars
        .iter()
        .map(|r| (r.name.clone(), json!({ "type": r.kind })))
        .collect();
    let providers: Map<String, Value> = config
        .providers
        .iter()
        .map(|p| (p.name.clone(), json!({ "type": p.kind })))
        .collect();
    let domains: Vec<String> = domains
        .iter()
        .map(|(domain, sets)| domain_text(domain, sets, default_ttl))
        .collect();
    format!(
        "{{\n  \"default_ttl\": {default_ttl},\n  \"registrars\": {},\n  \"dns_providers\": {},\n  \"domains\": {}\n}}\n",
        inline(&registrars.into()),
        inline(&providers.into()),
        block(&domains, "  ")
    )
}

/// The TTL most written records (values) have, the lowest of equally common ones; 300 when
/// none has one.
fn most_common_ttl<'a>(sets: impl Iterator<Item = &'a RecordSet>) -> u32 {
    let mut counts: BTreeMap<u32, usize> = BTreeMap::new();
    for set in sets {
        if let Some(ttl) = set.ttl {
            *counts.entry(ttl).or_default() += set.values.len();
        }
    }
    counts
        .iter()
        .max_by_key(|&(ttl, count)| (*count, std::cmp::Reverse(*ttl)))
        .map_or(DEFAULT_TTL, |(ttl, _)| *ttl)
}

/// One domain object, its fields one per line and its records one per line.
fn domain_text(domain: &Domain, sets: &[&RecordSet], default_ttl: u32) -> String {
    let mut fields = Fields::default()
        .put("name", domain.display_name.as_str())
        .put("registrar", domain.registrar.as_str())
        .put("dns_providers", json!(domain.providers));
    if let Some(zone_id) = &domain.zone_id {
        fields = fields.put("zone_id", zone_id.as_str());
    }
    if domain.keep_unknown {
        fields = fields.put("keep_unknown", true);
    }
    if let Some(share) = domain.max_change_share {
        fields = fields.put("max_change_share", share);
    }
    if !domain.ignore.is_empty() {
        let rules: Vec<String> = domain
            .ignore
            .iter()
            .map(|r| ignore_rule(r).line())
            .collect();
        fields = fields.put_text("ignore", format!("[{}]", rules.join(", ")));
    }
    if !domain.nameservers.is_empty() {
        let names: Vec<String> = domain
            .nameservers
            .iter()
            .map(|n| name::display(n))
            .collect();
        fields = fields.put("nameservers", json!(names));
    }
    if domain.is_private() {
        let vpcs: Vec<_> = domain
            .private
            .iter()
            .map(|vpc| json!({"vpc_id": vpc.id, "vpc_region": vpc.region}))
            .collect();
        fields = fields.put("private", json!(vpcs));
    }
    if let Some(id) = &domain.delegation_set_id {
        fields = fields.put("delegation_set_id", id.as_str());
    }
    if let Some(comment) = &domain.comment {
        fields = fields.put("comment", comment.as_str());
    }
    let records: Vec<String> = sets
        .iter()
        .flat_map(|set| set_records(set, &domain.name, default_ttl))
        .map(|record| record.line())
        .collect();
    let fields = fields.put_text("records", block(&records, "      "));
    let lines: Vec<String> = fields.pairs().collect();
    format!("{{\n      {}\n    }}", lines.join(",\n      "))
}

/// `items` as a JSON array, one per line, indented by `indent` (the array's own indentation).
fn block(items: &[String], indent: &str) -> String {
    if items.is_empty() {
        return "[]".to_string();
    }
    format!(
        "[\n{indent}  {}\n{indent}]",
        items.join(&format!(",\n{indent}  "))
    )
}

fn ignore_rule(rule: &crate::model::IgnoreRule) -> Fields {
    let fields = Fields::default().put("name", rule.name.as_str());
    if rule.types.is_empty() {
        return fields;
    }
    let types: Vec<&str> = rule.types.iter().map(|t| t.as_str()).collect();
    fields.put("types", types)
}

/// Object fields in the order they were put (a [`Map`] would sort them), each value written.
#[derive(Default)]
struct Fields(Vec<(&'static str, String)>);

impl Fields {
    fn put(self, key: &'static str, value: impl Into<Value>) -> Fields {
        self.put_text(key, inline(&value.into()))
    }

    /// Puts a value already written as JSON.
    fn put_text(mut self, key: &'static str, text: String) -> Fields {
        self.0.push((key, text));
        self
    }

    /// The fields as one line: `{ "name": "www", "type": "A", "value": "192.0.2.1" }`.
    fn line(&self) -> String {
        let fields: Vec<String> = self.pairs().collect();
        format!("{{ {} }}", fields.join(", "))
    }

    fn pairs(&self) -> impl Iterator<Item = String> + '_ {
        self.0
            .iter()
            .map(|(key, text)| format!("\"{key}\": {text}"))
    }
}

/// `value` on one line, with a space after each `:` and `,` as people write JSON.
fn inline(value: &Value) -> String {
    match value {
        Value::Object(map) if map.is_empty() => "{}".to_string(),
        Value::Object(map) => {
            let fields: Vec<String> = map
                .iter()
                .map(|(key, value)| format!("{}: {}", Value::from(key.as_str()), inline(value)))
                .collect();
            format!("{{ {} }}", fields.join(", "))
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(inline).collect();
            format!("[{}]", items.join(", "))
        }
        scalar => scalar.to_string(),
    }
}

/// The config records of one record set: one per value, or one for an alias.
fn set_records(set: &RecordSet, apex: &str, default_ttl: u32) -> Vec<Fields> {
    let relative_name = name::relative(&set.name, apex);
    let apex_ns = set.is_apex_ns_or_soa(apex);
    let common = || {
        Fields::default()
            .put("name", relative_name.as_str())
            .put("type", set.rtype.as_str())
    };
    let tail = |mut fields: Fields| {
        if let Some(ttl) = set.ttl.filter(|&ttl| ttl != default_ttl || apex_ns) {
            fields = fields.put("ttl", ttl);
        }
        if let Some(id) = set.set_identifier() {
            fields = fields.put("set_identifier", id);
        }
        if let Some(routing) = set.routing() {
            let (key, value) = routing_field(routing);
            fields = fields.put(key, value);
        }
        if let Some(check) = set.health_check_id() {
            fields = fields.put("health_check_id", check);
        }
        fields
    };
    if let Some(alias) = set.alias() {
        let mut target =
            Fields::default().put("target", rdata::target_to_user(&alias.dns_name, apex));
        if !alias.hosted_zone_id.is_empty() {
            target = target.put("zone_id", &*alias.hosted_zone_id);
        }
        if alias.evaluate_target_health {
            target = target.put("evaluate_target_health", true);
        }
        return vec![tail(common().put_text("alias", target.line()))];
    }
    set.values
        .iter()
        .map(|value| {
            let record = match rdata::to_user(set.rtype, value, apex) {
                UserValue::Value(v) => common().put("value", v),
                UserValue::Strings(s) => common().put("strings", s),
            };
            tail(record)
        })
        .collect()
}

/// The config field naming a routing policy, and its value.
fn routing_field(routing: &Routing) -> (&'static str, Value) {
    match routing {
        Routing::Weighted { weight } => ("weight", json!(weight)),
        Routing::Latency { region } => ("region", json!(region)),
        Routing::Failover { role } => ("failover", json!(role)),
        Routing::Geolocation {
            continent,
            country,
            subdivision,
        } => (
            "geolocation",
            present(&[
                ("continent", continent),
                ("country", country),
                ("subdivision", subdivision),
            ]),
        ),
        Routing::Geoproximity {
            aws_region,
            local_zone_group,
            coordinates,
            bias,
        } => {
            let mut geo = present(&[
                ("aws_region", aws_region),
                ("local_zone_group", local_zone_group),
            ]);
            if let (Some((latitude, longitude)), Some(map)) = (coordinates, geo.as_object_mut()) {
                map.insert(
                    "coordinates".into(),
                    json!({ "latitude": latitude, "longitude": longitude }),
                );
            }
            if let (Some(bias), Some(map)) = (bias, geo.as_object_mut()) {
                map.insert("bias".into(), json!(bias));
            }
            ("geoproximity", geo)
        }
        Routing::MultiValue => ("multivalue", json!(true)),
        Routing::Cidr {
            collection_id,
            location_name,
        } => (
            "cidr",
            json!({ "collection_id": collection_id, "location_name": location_name }),
        ),
    }
}

/// An object of the fields that are set.
fn present(fields: &[(&str, &Option<String>)]) -> Value {
    let map: Map<String, Value> = fields
        .iter()
        .filter_map(|(k, v)| {
            v.as_ref()
                .map(|v| ((*k).to_string(), Value::from(v.clone())))
        })
        .collect();
    map.into()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::model::AliasTarget;
    use crate::rtype::RecordType;

    const APEX: &str = "example.tld.";

    fn routed(name: &str, id: &str, routing: Routing) -> RecordSet {
        RecordSet::simple(name, RecordType::A, 60, vec!["192.0.2.1".to_string()])
            .with_set_identifier(id)
            .with_routing(routing)
            .with_health_check_id("hc-1")
    }

    fn live_zone() -> Vec<RecordSet> {
        let simple = |name: &str, rtype: RecordType, ttl, values: &[&str]| {
            RecordSet::simple(
                name,
                rtype,
                ttl,
                values.iter().map(|v| v.to_string()).collect(),
            )
        };
        vec![
            simple(
                "example.tld.",
                RecordType::SOA,
                900,
                &["ns-1.awsdns-1.com. hostmaster. 1 7200 900 1209600 86400"],
            ),
            simple(
                "example.tld.",
                RecordType::NS,
                172800,
                &["ns-1.awsdns-1.com.", "ns-2.awsdns-2.net."],
            ),
            simple(
                "example.tld.",
                RecordType::MX,
                300,
                &["10 mail.example.tld.", "20 mx.other.tld."],
            ),
            simple("\\052.example.tld.", RecordType::A, 300, &["192.0.2.9"]),
            simple(
                "www.example.tld.",
                RecordType::CNAME,
                600,
                &["test.example.tld."],
            ),
            simple(
                "a.b.example.tld.",
                RecordType::CNAME,
                600,
                &["x.b.example.tld."],
            ),
            simple(
                "xn--bcher-kva.example.tld.",
                RecordType::AAAA,
                300,
                &["2001:DB8:0::1"],
            ),
            simple(
                "txt.example.tld.",
                RecordType::TXT,
                300,
                &["\"quote \\\" and \\\\\" \"second\"", "\"a\\142c\""],
            ),
            simple(
                "_sip._udp.example.tld.",
                RecordType::SRV,
                300,
                &["1 2 5060 sip.example.tld."],
            ),
            simple(
                "example.tld.",
                RecordType::CAA,
                300,
                &["0 issue \"letsencrypt.org\""],
            ),
            RecordSet::aliased(
                "lb.example.tld.",
                RecordType::A,
                AliasTarget {
                    hosted_zone_id: "Z35SXDOTRQ7X7K".into(),
                    dns_name: "dualstack.x.us-east-1.elb.amazonaws.com.".into(),
                    evaluate_target_health: true,
                },
            ),
            routed("w.example.tld.", "one", Routing::Weighted { weight: 10 }),
            routed(
                "l.example.tld.",
                "eu",
                Routing::Latency {
                    region: "eu-west-1".into(),
                },
            ),
            routed(
                "f.example.tld.",
                "p",
                Routing::Failover {
                    role: "PRIMARY".into(),
                },
            ),
            routed(
                "g.example.tld.",
                "us-ca",
                Routing::Geolocation {
                    continent: None,
                    country: Some("US".into()),
                    subdivision: Some("CA".into()),
                },
            ),
            routed(
                "p.example.tld.",
                "near",
                Routing::Geoproximity {
                    aws_region: None,
                    local_zone_group: None,
                    coordinates: Some(("49.22".into(), "-74.01".into())),
                    bias: Some(-5),
                },
            ),
            routed("m.example.tld.", "m1", Routing::MultiValue),
            routed(
                "c.example.tld.",
                "c1",
                Routing::Cidr {
                    collection_id: "col".into(),
                    location_name: "loc".into(),
                },
            ),
        ]
    }

    fn config_of(records: Vec<RecordSet>) -> Config {
        Config {
            path: Default::default(),
            providers: vec![crate::config::Provider {
                name: "r53_main".into(),
                kind: "ROUTE53".into(),
            }],
            registrars: vec![crate::config::Registrar {
                name: "none".into(),
                kind: "NONE".into(),
            }],
            domains: vec![Domain {
                display_name: "example.tld".into(),
                name: APEX.into(),
                registrar: "none".into(),
                providers: vec!["r53_main".into()],
                zone_id: None,
                records,
                ignore: vec![crate::model::IgnoreRule {
                    name: "_acme*".into(),
                    types: vec![RecordType::TXT],
                }],
                keep_unknown: true,
                max_change_share: Some(0.5),
                nameservers: vec!["ns1.example.net.".into()],
                private: Vec::new(),
                delegation_set_id: Some("N1".into()),
                comment: Some("kept".into()),
            }],
        }
    }

    fn comparable(sets: &[RecordSet]) -> Vec<RecordSet> {
        let mut v: Vec<RecordSet> = sets.iter().map(RecordSet::comparable).collect();
        v.sort_by_key(RecordSet::key);
        v
    }

    #[test]
    fn export_round_trips_through_load() {
        let live = live_zone();
        for include_apex_ns in [false, true] {
            let text = config_text(&config_of(live.clone()), include_apex_ns);
            let loaded = crate::config::parse(Path::new("export.json"), &text)
                .unwrap_or_else(|e| panic!("{e}\n{text}"));
            let domain = &loaded.domains[0];
            let expected: Vec<RecordSet> = live
                .iter()
                .filter(|s| s.rtype != RecordType::SOA)
                .filter(|s| include_apex_ns || !s.is_apex_ns_or_soa(APEX))
                .cloned()
                .collect();
            assert_eq!(comparable(&domain.records), comparable(&expected), "{text}");
            assert!(domain.keep_unknown);
            assert_eq!(domain.max_change_share, Some(0.5));
            assert_eq!(domain.nameservers, ["ns1.example.net."]);
            assert_eq!(domain.ignore, config_of(Vec::new()).domains[0].ignore);
        }
    }

    #[test]
    fn export_writes_what_a_person_would() {
        let text = config_text(&config_of(live_zone()), false);
        let lines: Vec<&str> = text
            .lines()
            .map(|l| l.trim().trim_end_matches(','))
            .collect();
        for line in [
            "\"default_ttl\": 300",
            "\"registrars\": { \"none\": { \"type\": \"NONE\" } }",
            "\"ignore\": [{ \"name\": \"_acme*\", \"types\": [\"TXT\"] }]",
            "{ \"name\": \"www\", \"type\": \"CNAME\", \"value\": \"test\", \"ttl\": 600 }",
            "{ \"name\": \"*\", \"type\": \"A\", \"value\": \"192.0.2.9\" }",
            "{ \"name\": \"bücher\", \"type\": \"AAAA\", \"value\": \"2001:DB8:0::1\" }",
            "{ \"name\": \"txt\", \"type\": \"TXT\", \"value\": \"abc\" }",
            "{ \"name\": \"txt\", \"type\": \"TXT\", \"strings\": [\"quote \\\" and \\\\\", \"second\"] }",
            "{ \"name\": \"lb\", \"type\": \"A\", \"alias\": { \"target\": \"dualstack.x.us-east-1.elb.amazonaws.com.\", \"zone_id\": \"Z35SXDOTRQ7X7K\", \"evaluate_target_health\": true } }",
            "{ \"name\": \"w\", \"type\": \"A\", \"value\": \"192.0.2.1\", \"ttl\": 60, \"set_identifier\": \"one\", \"weight\": 10, \"health_check_id\": \"hc-1\" }",
        ] {
            assert!(lines.contains(&line), "{line}\nnot in\n{text}");
        }
        assert!(!text.contains("SOA") && !text.contains("awsdns"), "{text}");
        let with_ns = config_text(&config_of(live_zone()), true);
        assert!(with_ns.contains("{ \"name\": \"@\", \"type\": \"NS\", \"value\": \"ns-1.awsdns-1.com.\", \"ttl\": 172800 }"), "{with_ns}");
    }

    #[test]
    fn default_ttl_is_the_most_common_ttl() {
        let set = |ttl| {
            RecordSet::simple(
                "a.example.tld.",
                RecordType::A,
                ttl,
                vec!["192.0.2.1".into()],
            )
        };
        assert_eq!(
            most_common_ttl([set(60), set(3600), set(3600)].iter()),
            3600
        );
        assert_eq!(most_common_ttl([set(3600), set(60)].iter()), 60);
        assert_eq!(most_common_ttl([].iter()), DEFAULT_TTL);
    }
}
