//! Checks across the records of one domain, each error naming the record: entries of one name,
//! type and set identifier merge into one record set (one TTL, one routing policy, no duplicate
//! values), record sets of one name and type share a routing policy kind, and a CNAME stands alone.

use std::collections::BTreeMap;

use crate::model::{Extra, RecordKey, RecordSet, Routing};
use crate::rtype::RecordType;

use super::records::{Entry, Problem};

/// Most record sets of one name and type under a routing policy.
const MAX_ROUTED_SETS: usize = 100;
/// Most record sets of one name and type under geoproximity routing.
const MAX_GEOPROXIMITY_SETS: usize = 30;

/// A problem located at a record (its label).
pub type Located = (String, Problem);

/// Merges the entries of one domain into record sets and checks them. `default_ttl` applies to
/// entries without a TTL, except in the apex NS record set, which then keeps the live TTL.
pub fn record_sets(
    entries: &[Entry],
    apex: &str,
    default_ttl: u32,
) -> Result<Vec<RecordSet>, Vec<Located>> {
    let mut groups: BTreeMap<RecordKey, Vec<&Entry>> = BTreeMap::new();
    for e in entries {
        let key = RecordKey {
            name: e.name.clone(),
            rtype: e.rtype,
            set_identifier: e.set_identifier.clone(),
        };
        groups.entry(key).or_default().push(e);
    }
    let mut problems = Vec::new();
    let mut sets = Vec::with_capacity(groups.len());
    for (key, group) in &groups {
        match merge(key, group, apex, default_ttl) {
            Ok(set) => sets.push(set),
            Err(p) => problems.push(p),
        }
    }
    problems.extend(check_policies(&groups));
    problems.extend(check_cnames(&groups, apex));
    if problems.is_empty() {
        Ok(sets)
    } else {
        Err(problems)
    }
}

/// One record set from the entries sharing its key.
fn merge(
    key: &RecordKey,
    group: &[&Entry],
    apex: &str,
    default_ttl: u32,
) -> Result<RecordSet, Located> {
    let Some((first, rest)) = group.split_first() else {
        return Err((key.to_string(), Problem::new("no records")));
    };
    let apex_ns = key.rtype == RecordType::NS && key.name == apex;
    let ttl_of = |e: &Entry| match (e.ttl, apex_ns) {
        (Some(ttl), _) => Some(ttl),
        (None, true) => None,
        (None, false) => Some(default_ttl),
    };
    for e in rest {
        if first.alias.is_some() || e.alias.is_some() {
            return Err(conflict(
                e,
                first,
                "an alias record set has one target and no other values",
            ));
        }
        if ttl_of(e) != ttl_of(first) {
            let ttl = |t: Option<u32>| {
                t.map_or("none (keep the live TTL)".to_string(), |t| t.to_string())
            };
            let message = format!(
                "ttl {} differs from ttl {} of {}; a record set has one TTL",
                ttl(ttl_of(e)),
                ttl(ttl_of(first)),
                first.label
            );
            let fix = format!(
                "give every {} {} record the same ttl",
                crate::name::display(&e.name),
                e.rtype
            );
            return Err((e.label.clone(), Problem::new(message).with_fix(fix)));
        }
        if e.routing != first.routing || e.health_check_id != first.health_check_id {
            return Err(conflict(
                e,
                first,
                "routing policy or health check differs within one set_identifier",
            ));
        }
    }
    let values = distinct_values(group)?;
    let ttl = if first.alias.is_some() {
        None
    } else {
        ttl_of(first)
    };
    let extra = Extra {
        set_identifier: key.set_identifier.clone(),
        alias: first.alias.clone(),
        routing: first.routing.clone(),
        health_check_id: first.health_check_id.clone(),
        traffic_policy_instance_id: None,
    };
    Ok(RecordSet::new(
        key.name.clone(),
        key.rtype,
        ttl,
        values,
        extra,
    ))
}

fn conflict(entry: &Entry, first: &Entry, what: &str) -> Located {
    let message = format!("conflicts with {}: {what}", first.label);
    (
        entry.label.clone(),
        Problem::new(message).with_fix(
            "make the records of one record set agree, or give them different set_identifiers",
        ),
    )
}

/// The values of a record set, refusing a value given twice (Route 53 rejects the whole change
/// batch with "Duplicate Resource Record", so it is an error here rather than a warning).
fn distinct_values(group: &[&Entry]) -> Result<Vec<String>, Located> {
    let mut seen: Vec<(String, &Entry)> = Vec::new();
    let mut values = Vec::new();
    for e in group {
        let Some(value) = &e.value else { continue };
        let canonical = crate::rdata::canonical(e.rtype, value);
        if let Some((_, earlier)) = seen.iter().find(|(c, _)| *c == canonical) {
            let message = format!("value {value} is also given by {}", earlier.label);
            return Err((
                e.label.clone(),
                Problem::new(message).with_fix("remove one of the two records"),
            ));
        }
        seen.push((canonical, e));
        values.push(value.clone());
    }
    Ok(values)
}

/// The kind of a routing policy, for messages.
fn policy_kind(routing: Option<&Routing>) -> &'static str {
    match routing {
        None => "none",
        Some(Routing::Weighted { .. }) => "weight",
        Some(Routing::Latency { .. }) => "region",
        Some(Routing::Failover { .. }) => "failover",
        Some(Routing::Geolocation { .. }) => "geolocation",
        Some(Routing::Geoproximity { .. }) => "geoproximity",
        Some(Routing::MultiValue) => "multivalue",
        Some(Routing::Cidr { .. }) => "cidr",
    }
}

/// Record sets of one name and type: all with a set identifier or none, one policy kind, and
/// no more than Route 53's quota.
fn check_policies(groups: &BTreeMap<RecordKey, Vec<&Entry>>) -> Vec<Located> {
    let mut by_name_type: BTreeMap<(&str, RecordType), Vec<&Entry>> = BTreeMap::new();
    for (key, group) in groups {
        if let Some(first) = group.first() {
            by_name_type
                .entry((&key.name, key.rtype))
                .or_default()
                .push(first);
        }
    }
    let mut problems = Vec::new();
    for ((_, rtype), sets) in by_name_type {
        let Some((first, rest)) = sets.split_first() else {
            continue;
        };
        let kind = policy_kind(first.routing.as_ref());
        if let Some(other) = rest
            .iter()
            .find(|e| policy_kind(e.routing.as_ref()) != kind)
        {
            let message = format!(
                "routing policy {} differs from {kind} of {}; record sets of one name and type \
                 all use one routing policy (or none, and then there is one record set)",
                policy_kind(other.routing.as_ref()),
                first.label
            );
            problems.push((
                other.label.clone(),
                Problem::new(message).with_fix("use one routing policy for this name and type"),
            ));
            continue;
        }
        let limit = if kind == "geoproximity" {
            MAX_GEOPROXIMITY_SETS
        } else {
            MAX_ROUTED_SETS
        };
        if sets.len() > limit {
            let message = format!(
                "{} record sets of this name and type; Route 53 allows {limit}",
                sets.len()
            );
            problems.push((
                first.label.clone(),
                Problem::new(message).with_fix("merge or remove record sets"),
            ));
        }
        if kind == "multivalue" && !rtype.allows_multivalue() {
            let message = format!("multivalue answer routing is not available for {rtype}");
            let fix = format!(
                "use it with one of {}",
                RecordType::names_where(RecordType::allows_multivalue)
            );
            problems.push((first.label.clone(), Problem::new(message).with_fix(fix)));
        }
    }
    problems
}

/// A CNAME is never at the apex and never beside other data of its name.
fn check_cnames(groups: &BTreeMap<RecordKey, Vec<&Entry>>, apex: &str) -> Vec<Located> {
    let mut problems = Vec::new();
    for (key, group) in groups {
        let Some(cname) = group.first().filter(|_| key.rtype == RecordType::CNAME) else {
            continue;
        };
        if key.name == apex {
            let fix = "use an alias record (`alias`) at the apex, or put the CNAME on a subdomain";
            problems.push((
                cname.label.clone(),
                Problem::new("a CNAME cannot be at the apex (@)").with_fix(fix),
            ));
            continue;
        }
        let beside = groups
            .iter()
            .find(|(k, _)| k.name == key.name && k.rtype != RecordType::CNAME)
            .and_then(|(_, g)| g.first());
        if let Some(other) = beside {
            let message = format!(
                "a CNAME cannot be beside other data of its name, like {}",
                other.label
            );
            let fix = "remove one of them, or use an alias record instead of the CNAME";
            problems.push((cname.label.clone(), Problem::new(message).with_fix(fix)));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::super::raw::RawRecord;
    use super::super::records::entry;
    use super::*;

    const APEX: &str = "example.tld.";

    fn sets(records: &[&str]) -> Result<Vec<RecordSet>, Vec<Located>> {
        let entries: Vec<Entry> = records
            .iter()
            .enumerate()
            .map(|(i, json)| {
                let raw: RawRecord = serde_json::from_str(json).unwrap();
                entry(&raw, i, APEX).unwrap()
            })
            .collect();
        record_sets(&entries, APEX, 300)
    }

    fn errors(records: &[&str]) -> Vec<Located> {
        sets(records).expect_err("expected errors")
    }

    #[test]
    fn values_merge_into_one_set() {
        let sets = sets(&[
            r#"{"name":"a","type":"A","value":"1.2.3.4"}"#,
            r#"{"name":"A","type":"A","value":"1.2.3.5"}"#,
            r#"{"name":"b","type":"A","value":"1.2.3.4","ttl":60}"#,
        ])
        .unwrap();
        assert_eq!(sets.len(), 2);
        assert_eq!(
            sets[0],
            RecordSet::simple(
                "a.example.tld.",
                RecordType::A,
                300,
                vec!["1.2.3.4".into(), "1.2.3.5".into()]
            )
        );
        assert_eq!(sets[1].ttl, Some(60));
    }

    #[test]
    fn conflicting_ttl_names_both_records() {
        let errs = errors(&[
            r#"{"name":"a","type":"A","value":"1.2.3.4","ttl":60}"#,
            r#"{"name":"a","type":"A","value":"1.2.3.5"}"#,
        ]);
        assert_eq!(errs[0].0, "a A (records[1])");
        assert!(errs[0]
            .1
            .message
            .contains("ttl 300 differs from ttl 60 of a A (records[0])"));
    }

    #[test]
    fn duplicate_values_are_errors() {
        let errs = errors(&[
            r#"{"name":"a","type":"AAAA","value":"2001:db8::1"}"#,
            r#"{"name":"a","type":"AAAA","value":"2001:0db8:0::1"}"#,
        ]);
        assert!(errs[0]
            .1
            .message
            .contains("also given by a AAAA (records[0])"));
    }

    #[test]
    fn apex_ns_without_ttl_keeps_the_live_ttl() {
        let sets = sets(&[
            r#"{"name":"@","type":"NS","value":"ns1.dns.tld."}"#,
            r#"{"name":"@","type":"NS","value":"ns2.dns.tld."}"#,
            r#"{"name":"sub","type":"NS","value":"ns1.dns.tld."}"#,
        ])
        .unwrap();
        assert_eq!(sets[0].ttl, None);
        assert_eq!(sets[1].ttl, Some(300));
    }

    #[test]
    fn alias_set_has_one_target() {
        let errs = errors(&[
            r#"{"name":"a","type":"A","alias":{"target":"lb"}}"#,
            r#"{"name":"a","type":"A","value":"1.2.3.4"}"#,
        ]);
        assert!(errs[0].1.message.contains("alias"));
        let sets = sets(&[r#"{"name":"a","type":"A","alias":{"target":"lb"}}"#]).unwrap();
        assert_eq!(sets[0].ttl, None);
        assert!(sets[0].values.is_empty());
    }

    #[test]
    fn routing_policies_agree_per_name_and_type() {
        let errs = errors(&[
            r#"{"name":"a","type":"A","value":"1.2.3.4","set_identifier":"x","weight":1}"#,
            r#"{"name":"a","type":"A","value":"1.2.3.5","set_identifier":"y","region":"us-east-1"}"#,
        ]);
        assert!(errs[0]
            .1
            .message
            .contains("routing policy region differs from weight"));
        let errs = errors(&[
            r#"{"name":"a","type":"A","value":"1.2.3.4","set_identifier":"x","weight":1}"#,
            r#"{"name":"a","type":"A","value":"1.2.3.5"}"#,
        ]);
        assert!(errs[0].1.message.contains("routing policy"));
        let errs = errors(&[
            r#"{"name":"a","type":"A","value":"1.2.3.4","set_identifier":"x","weight":1}"#,
            r#"{"name":"a","type":"A","value":"1.2.3.5","set_identifier":"x","weight":2}"#,
        ]);
        assert!(errs[0]
            .1
            .message
            .contains("differs within one set_identifier"));
        let errs = errors(&[
            r#"{"name":"a","type":"CNAME","value":"b","set_identifier":"x","multivalue":true}"#,
        ]);
        assert!(errs[0].1.message.contains("not available for CNAME"));
    }

    #[test]
    fn quota_of_routed_sets() {
        let records: Vec<String> = (0..31)
            .map(|i| {
                format!(
                    r#"{{"name":"a","type":"A","value":"1.2.3.4","set_identifier":"s{i}","geoproximity":{{"aws_region":"us-east-1"}}}}"#
                )
            })
            .collect();
        let refs: Vec<&str> = records.iter().map(String::as_str).collect();
        let errs = errors(&refs);
        assert!(errs[0].1.message.contains("31 record sets"));
        assert!(sets(&refs[..30]).is_ok());
    }

    #[test]
    fn cname_rules() {
        let errs = errors(&[r#"{"name":"@","type":"CNAME","value":"www"}"#]);
        assert!(errs[0].1.message.contains("apex"));
        let errs = errors(&[
            r#"{"name":"www","type":"CNAME","value":"test"}"#,
            r#"{"name":"www","type":"TXT","value":"x"}"#,
        ]);
        assert_eq!(errs[0].0, "www CNAME (records[0])");
        assert!(errs[0].1.message.contains("beside other data"));
        assert!(errs[0].1.message.contains("www TXT (records[1])"));
    }
}
