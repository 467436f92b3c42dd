//! dnscontrol's IR (`dnscontrol print-ir`, v4 and v5) read as a config: it is turned into r53ctl's
//! own format here, then checked by the same reader as a `dnsconfig.json`, so errors name the
//! file, domain, record and fix alike.
//!
//! What maps where: `registrars` and `dns_providers` (arrays of `{name, type}`) become the maps
//! of r53ctl's format, a registrar of a type other than ROUTE53 becoming NONE (r53ctl leaves
//! other registrars alone); a domain's `dnsProviders` keys its `dns_providers`, `meta.zone_id`
//! (R53_ZONE) its `zone_id`, `keepunknown` (NO_PURGE) `keep_unknown`, `unmanaged` (IGNORE)
//! `ignore`, `nameservers` `nameservers`; a record's type fields are written as one `value`,
//! R53_ALIAS as `alias`, and `meta.r53_weight`, `r53_set_identifier`, `r53_health_check_id` as
//! weighted routing. Unknown fields are ignored.
//!
//! `recordsabsent` (records that must not exist) adds nothing: a push deletes every live record
//! the config does not name. It is an error where that does not hold: under NO_PURGE, when an
//! IGNORE rule covers the record, or when the domain also names the record.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::reader::Errors;
use super::records::{self, Problem};
use crate::model::IgnoreRule;
use crate::rdata;
use crate::rtype::RecordType;

const ROUTE53: &str = "ROUTE53";

/// Whether `value` is dnscontrol's IR: its `registrars` or `dns_providers` is an array (r53ctl's
/// format has maps there).
pub fn is_ir(value: &Value) -> bool {
    ["registrars", "dns_providers"]
        .iter()
        .any(|key| value.get(key).is_some_and(Value::is_array))
}

/// The IR `value` in r53ctl's format; what has no equivalent is pushed to `errors`.
pub fn to_native(value: Value, errors: &mut Errors) -> Value {
    let registrars = kinds(&value, "registrars");
    let providers = kinds(&value, "dns_providers");
    let domains: Vec<Value> = array(&value, "domains")
        .iter()
        .filter_map(|domain| native_domain(domain, &providers, errors))
        .collect();
    let registrars: Map<String, Value> = registrars
        .into_iter()
        .map(|(name, kind)| {
            let kind = if kind == ROUTE53 { ROUTE53 } else { "NONE" };
            (name, json!({ "type": kind }))
        })
        .collect();
    let providers: Map<String, Value> = providers
        .into_iter()
        .filter(|(_, kind)| kind == ROUTE53)
        .map(|(name, _)| (name, json!({ "type": ROUTE53 })))
        .collect();
    json!({ "registrars": registrars, "dns_providers": providers, "domains": domains })
}

/// `[{name, type}]` at `key`, as name → type.
fn kinds(value: &Value, key: &str) -> BTreeMap<String, String> {
    array(value, key)
        .iter()
        .map(|entry| (text(entry, "name").into(), text(entry, "type").into()))
        .collect()
}

fn array<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The string at `key`; `""` when absent, as dnscontrol leaves empty fields out.
fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// The number at `key`; 0 when absent, as dnscontrol leaves zero fields out.
fn number(value: &Value, key: &str) -> u64 {
    value.get(key).and_then(Value::as_u64).unwrap_or_default()
}

fn meta<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get("meta")?.get(key)?.as_str()
}

/// One IR domain in r53ctl's format; `None` when r53ctl does not serve it (reported) or it
/// cannot be expressed (pushed to `errors`).
fn native_domain(
    domain: &Value,
    kinds: &BTreeMap<String, String>,
    errors: &mut Errors,
) -> Option<Value> {
    let name = text(domain, "name");
    let before = errors.len();
    let providers = route53_providers(domain, kinds, errors)?;
    let mut native = Map::new();
    native.insert("name".into(), name.into());
    native.insert("registrar".into(), text(domain, "registrar").into());
    native.insert("dns_providers".into(), json!(providers));
    if let Some(zone_id) = meta(domain, "zone_id") {
        native.insert("zone_id".into(), zone_id.into());
    }
    let keep_unknown = domain.get("keepunknown").and_then(Value::as_bool) == Some(true);
    native.insert("keep_unknown".into(), keep_unknown.into());
    let ignore = ignore_rules(domain, errors);
    native.insert("ignore".into(), ignore.iter().map(ignore_json).collect());
    let name_servers: Vec<&str> = array(domain, "nameservers")
        .iter()
        .map(|ns| text(ns, "name"))
        .collect();
    native.insert("nameservers".into(), json!(name_servers));
    let records = array(domain, "records");
    let native_records: Vec<Value> = records
        .iter()
        .enumerate()
        .filter_map(|(index, record)| native_record(index, record, name, errors))
        .collect();
    native.insert("records".into(), native_records.into());
    check_absent(domain, keep_unknown, &ignore, errors);
    (errors.len() == before).then_some(native.into())
}

/// The domain's ROUTE53 DNS providers; `None` when it has providers and none is ROUTE53, so
/// r53ctl skips it (and says so), or when it mixes ROUTE53 with others (an error).
fn route53_providers(
    domain: &Value,
    kinds: &BTreeMap<String, String>,
    errors: &mut Errors,
) -> Option<Vec<String>> {
    let name = text(domain, "name");
    let listed: Vec<&String> = domain
        .get("dnsProviders")
        .and_then(Value::as_object)
        .map(|map| map.keys().collect())
        .unwrap_or_default();
    let kind_of = |provider: &str| kinds.get(provider).map_or("", String::as_str);
    let (route53, others): (Vec<&String>, Vec<&String>) = listed
        .into_iter()
        .partition(|p| !kinds.contains_key(p.as_str()) || kind_of(p) == ROUTE53);
    if route53.is_empty() && !others.is_empty() {
        let others: Vec<String> = others
            .iter()
            .map(|p| format!("{p} ({})", kind_of(p)))
            .collect();
        crate::log::warn(&format!(
            "{}: skipping domain {name}: its DNS providers {} are not ROUTE53",
            errors.file().display(),
            others.join(", ")
        ));
        return None;
    }
    for other in &others {
        let message = format!(
            "DNS provider {other:?} has type {}, which r53ctl cannot serve",
            kind_of(other)
        );
        let fix = "r53ctl serves ROUTE53 providers only: keep this domain's other providers in \
                   dnscontrol, and give r53ctl a dnsconfig.js that names only the ROUTE53 ones";
        errors.push(Some(name), None, Problem::new(message).with_fix(fix));
    }
    others
        .is_empty()
        .then(|| route53.into_iter().cloned().collect())
}

/// The domain's IGNORE rules. A target pattern has no equivalent and is an error.
fn ignore_rules(domain: &Value, errors: &mut Errors) -> Vec<IgnoreRule> {
    let mut rules = Vec::new();
    for rule in array(domain, "unmanaged") {
        let any = |pattern: &str| pattern.is_empty() || pattern == "*";
        let target = text(rule, "target_pattern");
        if !any(target) {
            let message =
                format!("IGNORE with a target pattern ({target:?}) has no r53ctl equivalent");
            let fix = "ignore by name and type only (IGNORE(label, types)), or remove the rule";
            errors.push(
                Some(text(domain, "name")),
                None,
                Problem::new(message).with_fix(fix),
            );
            continue;
        }
        let label = text(rule, "label_pattern");
        let types = text(rule, "rType_pattern");
        rules.push(IgnoreRule {
            name: if any(label) { "*".into() } else { label.into() },
            types: if any(types) {
                Vec::new()
            } else {
                types
                    .split(',')
                    .filter_map(|t| t.trim().parse().ok())
                    .collect()
            },
        });
    }
    rules
}

fn ignore_json(rule: &IgnoreRule) -> Value {
    let types: Vec<&str> = rule.types.iter().map(|t| t.as_str()).collect();
    json!({ "name": rule.name, "types": types })
}

/// One IR record in r53ctl's format, or `None` with its problems pushed to `errors`.
fn native_record(index: usize, record: &Value, domain: &str, errors: &mut Errors) -> Option<Value> {
    let name = text(record, "name");
    let rtype = text(record, "type").to_ascii_uppercase();
    let mut native = Map::new();
    native.insert("name".into(), name.into());
    if rtype == "R53_ALIAS" {
        let alias = record.get("r53_alias").unwrap_or(&Value::Null);
        native.insert("type".into(), text(alias, "type").into());
        let mut target = Map::new();
        target.insert("target".into(), text(record, "target").into());
        if !text(alias, "zone_id").is_empty() {
            target.insert("zone_id".into(), text(alias, "zone_id").into());
        }
        let evaluate = text(alias, "evaluate_target_health") == "true";
        target.insert("evaluate_target_health".into(), evaluate.into());
        native.insert("alias".into(), target.into());
    } else {
        native.insert("type".into(), rtype.clone().into());
        insert_value(&mut native, &rtype, record);
        if let Some(ttl) = record.get("ttl") {
            native.insert("ttl".into(), ttl.clone());
        }
    }
    if let Some(id) = meta(record, "r53_set_identifier") {
        native.insert("set_identifier".into(), id.into());
    }
    if let Some(check) = meta(record, "r53_health_check_id") {
        native.insert("health_check_id".into(), check.into());
    }
    let Some(weight) = meta(record, "r53_weight") else {
        return Some(native.into());
    };
    match weight.parse::<u32>() {
        Ok(weight) => {
            native.insert("weight".into(), weight.into());
            Some(native.into())
        }
        Err(_) => {
            let label = records::label(index, Some(name), Some(&rtype));
            let problem = Problem::new(format!("r53_weight {weight:?} is not a number"))
                .with_fix("give R53_WEIGHT a whole number from 0 to 255");
            errors.push(Some(domain), Some(&label), problem);
            None
        }
    }
}

/// The record's `value` (or, for TXT given as several strings, `strings`) from its IR fields.
fn insert_value(native: &mut Map<String, Value>, rtype: &str, record: &Value) {
    let strings: Vec<&str> = array(record, "txtstrings")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    if strings.len() > 1 {
        native.insert("strings".into(), json!(strings));
        return;
    }
    let target = match (text(record, "target"), strings.first()) {
        ("", Some(only)) => only,
        (target, _) => target,
    };
    let n = |key| number(record, key);
    let quoted = |key| rdata::quote(text(record, key).as_bytes());
    let value = match rtype {
        "MX" => format!("{} {target}", n("mxpreference")),
        "SRV" => format!(
            "{} {} {} {target}",
            n("srvpriority"),
            n("srvweight"),
            n("srvport")
        ),
        "CAA" => format!(
            "{} {} {}",
            n("caaflag"),
            text(record, "caatag"),
            rdata::quote(target.as_bytes())
        ),
        "DS" => format!(
            "{} {} {} {}",
            n("dskeytag"),
            n("dsalgorithm"),
            n("dsdigesttype"),
            text(record, "dsdigest")
        ),
        "NAPTR" => format!(
            "{} {} {} {} {} {target}",
            n("naptrorder"),
            n("naptrpreference"),
            quoted("naptrflags"),
            quoted("naptrservice"),
            quoted("naptrregexp")
        ),
        "SSHFP" => format!("{} {} {target}", n("sshfpalgorithm"), n("sshfpfingerprint")),
        "TLSA" => format!(
            "{} {} {} {target}",
            n("tlsausage"),
            n("tlsaselector"),
            n("tlsamatchingtype")
        ),
        "HTTPS" | "SVCB" => format!(
            "{} {target} {}",
            n("svcpriority"),
            text(record, "svcparams")
        )
        .trim_end()
        .to_string(),
        _ => target.to_string(),
    };
    native.insert("value".into(), value.into());
}

/// Checks that every record of `recordsabsent` is gone after a push (see the module's comment).
fn check_absent(domain: &Value, keep_unknown: bool, ignore: &[IgnoreRule], errors: &mut Errors) {
    let domain_name = text(domain, "name");
    let records = array(domain, "records");
    for (index, absent) in array(domain, "recordsabsent").iter().enumerate() {
        let (name, rtype) = (text(absent, "name"), text(absent, "type"));
        let same = |r: &&Value| {
            text(r, "name").eq_ignore_ascii_case(name)
                && text(r, "type").eq_ignore_ascii_case(rtype)
                && text(r, "target") == text(absent, "target")
        };
        let ignored = rtype
            .parse::<RecordType>()
            .is_ok_and(|t| ignore.iter().any(|rule| rule.matches(name, t)));
        let why = if keep_unknown {
            "NO_PURGE keeps live records the config does not name, and r53ctl cannot delete one \
             record alone"
        } else if ignored {
            "an IGNORE rule keeps it"
        } else if records.iter().any(|r| same(&r)) {
            "the domain also names it as a record"
        } else {
            continue;
        };
        let label = format!("{name} {rtype} (recordsabsent[{index}])");
        let message = format!("this record must be absent, but {why}");
        let fix =
            "remove NO_PURGE or the IGNORE rule so push deletes it, or drop the absent record";
        errors.push(
            Some(domain_name),
            Some(&label),
            Problem::new(message).with_fix(fix),
        );
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::config::{load, load_ir, parse, Config, ConfigError, Domain, Registrar};
    use crate::model::RecordSet;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/dnscontrol")
            .join(name)
    }

    fn comparable(domain: &Domain) -> Vec<RecordSet> {
        let mut sets: Vec<RecordSet> = domain.records.iter().map(RecordSet::comparable).collect();
        sets.sort_by_key(RecordSet::key);
        sets
    }

    fn assert_same(ir: &Config, native: &Config) {
        assert_eq!(ir.registrars, native.registrars);
        assert_eq!(ir.providers, native.providers);
        assert_eq!(ir.domains.len(), native.domains.len());
        for (a, b) in ir.domains.iter().zip(&native.domains) {
            assert_eq!(comparable(a), comparable(b), "{}", a.display_name);
            assert_eq!(
                (&a.name, &a.registrar, &a.providers, &a.zone_id),
                (&b.name, &b.registrar, &b.providers, &b.zone_id)
            );
            assert_eq!((&a.ignore, a.keep_unknown), (&b.ignore, b.keep_unknown));
            assert_eq!(a.nameservers, b.nameservers);
        }
    }

    #[test]
    fn v4_and_v5_ir_read_as_their_native_equivalents() {
        for version in ["v4", "v5"] {
            let ir = load_ir(&fixture(&format!("ir-{version}.json")))
                .unwrap_or_else(|e| panic!("{version}: {e}"));
            let native = load(&fixture(&format!("native-{version}.json")))
                .unwrap_or_else(|e| panic!("{version}: {e}"));
            assert_same(&ir, &native);
            assert_eq!(
                ir.domains.len(),
                1,
                "elsewhere.tld (CLOUDFLAREAPI only) is skipped"
            );
            assert!(ir.registrars.contains(&Registrar {
                name: "gandi".into(),
                kind: "NONE".into()
            }));
            let example = &ir.domains[0];
            assert_eq!(example.records.len(), 22, "{version}: record sets");
            assert_eq!(example.zone_id.as_deref(), Some("Z0123456789ABCDEFGHIJ"));
            assert_eq!(
                example.nameservers,
                ["ns-1.awsdns-1.com.", "ns-2.awsdns-2.net."]
            );
        }
    }

    #[test]
    fn v4_txtstrings_keep_their_boundaries() {
        let ir = load_ir(&fixture("ir-v4.json")).unwrap();
        let dkim = ir.domains[0]
            .records
            .iter()
            .find(|s| &*s.name == "dkim._domainkey.example.tld.")
            .expect("dkim");
        assert_eq!(dkim.values, ["\"v=DKIM1; k=rsa; p=MIIB\" \"IjANBgkq\""]);
    }

    fn errors_of(domain: Value) -> Vec<ConfigError> {
        let ir = json!({
            "registrars": [{ "name": "none", "type": "NONE" }],
            "dns_providers": [{ "name": "r53", "type": "ROUTE53" },
                              { "name": "cf", "type": "CLOUDFLAREAPI" }],
            "domains": [domain],
        });
        parse(Path::new("ir.json"), &ir.to_string())
            .expect_err("an error")
            .0
    }

    fn domain_with(fields: Value) -> Value {
        let mut domain = json!({ "name": "example.tld", "registrar": "none",
                                 "dnsProviders": { "r53": -1 }, "records": [] });
        if let (Some(domain), Value::Object(fields)) = (domain.as_object_mut(), fields) {
            domain.extend(fields);
        }
        domain
    }

    #[test]
    fn what_r53ctl_cannot_serve_is_an_error_naming_it() {
        let errors = errors_of(domain_with(
            json!({ "dnsProviders": { "r53": -1, "cf": 0 } }),
        ));
        assert!(
            errors[0].message.contains("\"cf\" has type CLOUDFLAREAPI"),
            "{errors:?}"
        );
        assert_eq!(errors[0].domain.as_deref(), Some("example.tld"));

        let records = json!([{ "type": "LOC", "name": "here", "target": "52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m", "ttl": 300 }]);
        let errors = errors_of(domain_with(json!({ "records": records })));
        assert_eq!(errors[0].record.as_deref(), Some("here LOC (records[0])"));
        assert!(
            errors[0].message.contains("\"LOC\" is not supported"),
            "{errors:?}"
        );

        let ignore =
            json!([{ "label_pattern": "*", "rType_pattern": "A", "target_pattern": "10.*" }]);
        let errors = errors_of(domain_with(json!({ "unmanaged": ignore })));
        assert!(
            errors[0].message.contains("target pattern (\"10.*\")"),
            "{errors:?}"
        );

        let weight = json!([{ "type": "A", "name": "w", "target": "192.0.2.1",
                              "meta": { "r53_weight": "heavy", "r53_set_identifier": "x" } }]);
        let errors = errors_of(domain_with(json!({ "records": weight })));
        assert!(
            errors[0].message.contains("r53_weight \"heavy\""),
            "{errors:?}"
        );
        assert!(errors[0].fix.is_some());
    }

    #[test]
    fn records_absent_hold_unless_kept() {
        let absent = json!([{ "type": "A", "name": "old", "target": "192.0.2.9" }]);
        let ir = json!({
            "registrars": [{ "name": "none", "type": "NONE" }],
            "dns_providers": [{ "name": "r53", "type": "ROUTE53" }],
            "domains": [domain_with(json!({ "recordsabsent": absent }))],
        });
        assert!(parse(Path::new("ir.json"), &ir.to_string()).is_ok());
        let kept = [
            (json!({ "keepunknown": true }), "NO_PURGE"),
            (
                json!({ "unmanaged": [{ "label_pattern": "o*", "rType_pattern": "A,AAAA" }] }),
                "IGNORE",
            ),
            (json!({ "records": absent }), "also names it"),
        ];
        for (fields, why) in kept {
            let mut fields = fields;
            fields["recordsabsent"] = absent.clone();
            let errors = errors_of(domain_with(fields));
            assert_eq!(
                errors[0].record.as_deref(),
                Some("old A (recordsabsent[0])")
            );
            assert!(errors[0].message.contains(why), "{why}: {errors:?}");
        }
    }

    #[test]
    fn only_ir_is_converted_as_ir() {
        assert!(!is_ir(&json!({ "registrars": {}, "dns_providers": {} })));
        assert!(is_ir(&json!({ "registrars": [], "domains": [] })));
        let errors = load_ir(&fixture("native-v5.json")).unwrap_err().0;
        assert!(errors[0]
            .message
            .contains("not the output of `dnscontrol print-ir`"));
    }
}
