//! Writing live record sets as a config domain object, in the format [`super::load`] reads:
//! loading the result back gives record sets equal to the live ones under
//! [`RecordSet::comparable`].

use serde_json::{json, Map, Value};

use crate::model::{RecordSet, Routing};
use crate::name;
use crate::rdata::{self, UserValue};

/// A domain object for the zone `apex` (wire form), named `display_name`, holding `sets`.
///
/// The SOA and record sets made by traffic policies are left out: a config cannot write them.
/// The caller adds `registrar` and `dns_providers`, which the zone's records do not tell.
pub fn export_domain(display_name: &str, apex: &str, sets: &[RecordSet]) -> Value {
    let records: Vec<Value> = sets
        .iter()
        .filter(|s| s.rtype.is_writable() && s.traffic_policy_instance_id.is_none())
        .flat_map(|s| export_set(s, apex))
        .collect();
    json!({ "name": display_name, "records": records })
}

/// The config records of one record set: one per value, or one for an alias.
fn export_set(set: &RecordSet, apex: &str) -> Vec<Value> {
    let mut common = Map::new();
    common.insert("name".into(), name::relative(&set.name, apex).into());
    common.insert("type".into(), set.rtype.as_str().into());
    if let Some(id) = &set.set_identifier {
        common.insert("set_identifier".into(), id.clone().into());
    }
    if let Some(routing) = &set.routing {
        let (key, value) = routing_field(routing);
        common.insert(key.into(), value);
    }
    if let Some(check) = &set.health_check_id {
        common.insert("health_check_id".into(), check.clone().into());
    }
    if let Some(alias) = &set.alias {
        let mut target = Map::new();
        target.insert(
            "target".into(),
            rdata::target_to_user(&alias.dns_name, apex).into(),
        );
        if !alias.hosted_zone_id.is_empty() {
            target.insert("zone_id".into(), alias.hosted_zone_id.clone().into());
        }
        target.insert(
            "evaluate_target_health".into(),
            alias.evaluate_target_health.into(),
        );
        common.insert("alias".into(), target.into());
        return vec![common.into()];
    }
    if let Some(ttl) = set.ttl {
        common.insert("ttl".into(), ttl.into());
    }
    set.values
        .iter()
        .map(|value| {
            let mut record = common.clone();
            match rdata::to_user(set.rtype, value, apex) {
                UserValue::Value(v) => record.insert("value".into(), v.into()),
                UserValue::Strings(s) => record.insert("strings".into(), s.into()),
            };
            record.into()
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
        RecordSet {
            set_identifier: Some(id.to_string()),
            routing: Some(routing),
            health_check_id: Some("hc-1".to_string()),
            ..RecordSet::simple(name, RecordType::A, 60, vec!["192.0.2.1".to_string()])
        }
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
            RecordSet {
                ttl: None,
                alias: Some(AliasTarget {
                    hosted_zone_id: "Z35SXDOTRQ7X7K".to_string(),
                    dns_name: "dualstack.x.us-east-1.elb.amazonaws.com.".to_string(),
                    evaluate_target_health: true,
                }),
                ..RecordSet::simple("lb.example.tld.", RecordType::A, 0, Vec::new())
            },
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

    #[test]
    fn export_round_trips_through_load() {
        let live = live_zone();
        let mut domain = export_domain("example.tld", APEX, &live);
        let object = domain.as_object_mut().unwrap();
        object.insert("registrar".into(), json!("none"));
        object.insert("dns_providers".into(), json!(["r53_main"]));
        let config = json!({
            "registrars": { "none": { "type": "NONE" } },
            "dns_providers": { "r53_main": { "type": "ROUTE53" } },
            "domains": [domain],
        });
        let loaded = crate::config::parse(Path::new("export.json"), &config.to_string())
            .unwrap_or_else(|e| panic!("{e}\n{config:#}"));
        let comparable = |sets: &[RecordSet]| {
            let mut v: Vec<RecordSet> = sets
                .iter()
                .filter(|s| s.rtype != RecordType::SOA)
                .map(RecordSet::comparable)
                .collect();
            v.sort_by_key(RecordSet::key);
            v
        };
        assert_eq!(comparable(&loaded.domains[0].records), comparable(&live));
    }

    #[test]
    fn export_writes_readable_records() {
        let records = export_domain("example.tld", APEX, &live_zone())["records"].clone();
        let records = records.as_array().unwrap();
        assert!(records.iter().all(|r| r["type"] != "SOA"));
        assert!(
            records.contains(&json!({"name": "www", "type": "CNAME", "ttl": 600, "value": "test"}))
        );
        assert!(
            records.contains(&json!({"name": "*", "type": "A", "ttl": 300, "value": "192.0.2.9"}))
        );
        assert!(records.contains(
            &json!({"name": "bücher", "type": "AAAA", "ttl": 300, "value": "2001:DB8:0::1"})
        ));
        assert!(
            records.contains(&json!({"name": "txt", "type": "TXT", "ttl": 300, "value": "abc"}))
        );
        assert!(records.contains(
            &json!({"name": "txt", "type": "TXT", "ttl": 300, "strings": ["quote \" and \\", "second"]})
        ));
    }
}
